// How values print through Std.string, string concatenation and trace when nested inside
// arrays, structures, enums, maps and class instances (floats, Single, Int64, null,
// bools, strings with quotes, recursion).
enum E {
	A(f:Float);
	B(s:String, n:Null<Int>);
	C(e:E);
}

class WithToString {
	public function new() {}

	public function toString() return "custom<" + 1.5 + ">";
}

class NoToString {
	public var x = 1;
	public var y = 0.1;

	public function new() {}
}

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function main() {
		var floats = [0.1, 1 / 3, 1e21, 1e-7, -0.0 * 1, 100.0, 123456789.123, Math.NaN, Math.POSITIVE_INFINITY];
		p("float array", floats);
		p("float anon", {a: 0.1, b: 1 / 3, c: 1e21});
		p("float enum", [A(0.1), A(1 / 3), A(1e-7)]);
		p("float dynamic array", ([0.1, 1 / 3] : Array<Dynamic>));
		var fm = new Map<String, Float>();
		fm.set("third", 1 / 3);
		p("float map", fm);
		var s:Single = 0.1;
		p("single", s);
		p("single array", ([0.1, 1 / 3] : Array<Single>));
		p("single anon", {s: (0.1 : Single)});
		p("single dynamic", (s : Dynamic));
		p("int64", haxe.Int64.make(1, 2));
		p("int64 in anon", {v: haxe.Int64.make(0, 5)});
		p("nulls", [null, B(null, null), {n: null}]);
		p("bools", [true, false]);
		p("strings", ["a\"b", "c'd", "", "x\ny"]);
		p("nested", [[[1]], [[]], [[2, [3]]]]);
		p("enum nested", C(C(B("deep", 3))));
		p("class with toString", [new WithToString()]);
		p("class without toString", new NoToString());
		p("class in anon", {w: new WithToString(), n: new NoToString()});
		var rec:Dynamic = {name: "rec"};
		rec.self = rec;
		p("recursive anon", rec);
		var ra:Array<Dynamic> = [1];
		ra.push(ra);
		p("recursive array", ra);
		p("int map", [1 => [0.5], 2 => []]);
		p("list", Lambda.list([0.1, 2]));
		p("bytes", haxe.io.Bytes.ofString("ab"));
		p("class", NoToString);
		p("enum type", E);
		p("anon function field", {f: 1}.f);
		trace([0.1, 1 / 3]);
		trace({a: 1 / 3});
		trace(A(1 / 3));
		p("concat", "" + [0.1, 1 / 3] + " " + {a: 1 / 3} + " " + A(1 / 3));
		p("StringBuf add", {
			var b = new StringBuf();
			b.add([1 / 3]);
			b.add({x: 0.1});
			b.toString();
		});
		p("Json", haxe.Json.stringify({a: [1 / 3, 0.1, 1e21]}));
		p("String interpolation", '${1 / 3} ${[1 / 3]}');
	}
}
