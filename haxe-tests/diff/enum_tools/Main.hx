// Enums: EnumTools/EnumValueTools, haxe.EnumFlags, enum abstracts, pattern matching,
// recursive and generic enums, printing.
using haxe.EnumTools;
using haxe.EnumTools.EnumValueTools;

enum Color {
	Red;
	Green;
	Blue;
	Rgb(r:Int, g:Int, b:Int);
	Named(name:String);
}

enum Flag {
	A;
	B;
	C;
	D;
}

enum Expr {
	Num(n:Float);
	Add(a:Expr, b:Expr);
	Mul(a:Expr, b:Expr);
	Neg(e:Expr);
	Var(name:String);
}

enum Box<T> {
	Empty;
	Full(v:T);
	Pair(a:T, b:T);
}

enum abstract Level(Int) to Int {
	var Low = 1;
	var Mid = 5;
	var High = 10;
}

enum abstract Name(String) {
	var First = "first";
	var Second = "second";
}

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function eval(e:Expr, env:Map<String, Float>):Float {
		return switch (e) {
			case Num(n): n;
			case Add(a, b): eval(a, env) + eval(b, env);
			case Mul(a, b): eval(a, env) * eval(b, env);
			case Neg(x): -eval(x, env);
			case Var(n): env.exists(n) ? env.get(n) : 0;
		}
	}

	static function main() {
		p("getName", Color.getName());
		p("getConstructors", Color.getConstructors());
		p("createByName", Color.createByName("Rgb", [1, 2, 3]));
		p("createByIndex", Color.createByIndex(1));
		p("createAll", Color.createAll());
		p("createAll Flag", Flag.createAll());
		var c = Rgb(10, 20, 30);
		p("getIndex", c.getIndex());
		p("getName", c.getName());
		p("getParameters", c.getParameters());
		p("equals", c.equals(Rgb(10, 20, 30)) + " " + c.equals(Rgb(10, 20, 31)) + " " + Red.equals(Red));
		p("match", c.match(Rgb(10, _, _)) + " " + c.match(Red));
		p("== Red", Red == Red);
		p("enum in array", [Red, Named("x"), Rgb(0, 0, 0)]);
		p("switch", [for (x in [Red, Green, Blue, Rgb(1, 2, 3), Named("n")]) switch (x) {
			case Red | Green: "warm-ish";
			case Rgb(r, _, _) if (r > 0): "rgb r=" + r;
			case Named(n): "named " + n;
			default: "other";
		}]);

		var flags = new haxe.EnumFlags<Flag>();
		flags.set(A);
		flags.set(C);
		p("flags has", [for (f in Flag.createAll()) f + ":" + flags.has(f)]);
		flags.unset(A);
		flags.set(D);
		p("flags int", flags.toInt());
		p("flags ofInt", haxe.EnumFlags.ofInt(5).has(C));

		var e = Add(Num(2), Mul(Var("x"), Neg(Num(3))));
		p("expr", e);
		p("eval", eval(e, ["x" => 4.0]));
		var b1:Box<String> = Full("s");
		var b2:Box<Int> = Pair(1, 2);
		var b3:Box<Box<Int>> = Full(Full(7));
		p("boxes", [b1, Empty] + " " + b2 + " " + b3);
		p("box param types", Type.enumParameters(b2));

		var lv:Level = Mid;
		p("enum abstract", lv + " " + (lv : Int) + " " + ((High : Int) > (Low : Int)));
		p("enum abstract switch", switch (lv) {
			case Low: "low";
			case Mid: "mid";
			case High: "high";
		});
		var nm:Name = Second;
		p("string enum abstract", nm);
		p("Type.getEnum", Type.getEnumName(Type.getEnum(Full(1))));
		p("enum value as Dynamic", (Named("d") : Dynamic));
		p("enum params of nested", Type.enumParameters(b3));
		p("Std.string enum with null", Named(null));
		p("enum compare", Type.enumIndex(Blue) - Type.enumIndex(Red));
		var map = new Map<Color, Int>();
		map.set(Red, 1);
		map.set(Rgb(1, 1, 1), 2);
		map.set(Rgb(1, 1, 1), 3);
		p("enum map", map);
	}
}
