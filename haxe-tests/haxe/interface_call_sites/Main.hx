// Interface calls at call sites that see many classes, and interface values converted
// back from `Dynamic` (HashLink's `ToVirtual`): a loop over an `Array<Shape>` of twelve
// classes (more than a call-site cache keeps, so entries are replaced while the loop
// runs), the same objects seen through a second interface, casts from `Dynamic` to the
// interface a value already has, to another one, and of null; calls of a method the
// object lacks (HashLink's messages); loops long enough for the compiler to take over.
interface Shape {
	function area():Int;
	function tag():String;
}

interface Sided {
	function sides():Int;
}

class S0 implements Shape implements Sided {
	public function new() {}
	public function area():Int return 0;
	public function tag():String return "s0";
	public function sides():Int return 3;
}

class S1 implements Shape { public function new() {} public function area():Int return 1; public function tag():String return "s1"; }
class S2 implements Shape { public function new() {} public function area():Int return 2; public function tag():String return "s2"; }
class S3 implements Shape { public function new() {} public function area():Int return 3; public function tag():String return "s3"; }
class S4 implements Shape { public function new() {} public function area():Int return 4; public function tag():String return "s4"; }
class S5 implements Shape { public function new() {} public function area():Int return 5; public function tag():String return "s5"; }
class S6 implements Shape { public function new() {} public function area():Int return 6; public function tag():String return "s6"; }
class S7 implements Shape { public function new() {} public function area():Int return 7; public function tag():String return "s7"; }
class S8 implements Shape { public function new() {} public function area():Int return 8; public function tag():String return "s8"; }
class S9 implements Shape { public function new() {} public function area():Int return 9; public function tag():String return "s9"; }

class S10 extends S0 {
	override public function area():Int return 10;
	override public function tag():String return "s10";
	override public function sides():Int return 4;
}

class S11 extends S10 {
	override public function area():Int return 11;
	override public function sides():Int return 5;
}

// Classes without a callable `area`, seen as a Shape through Dynamic.
class DynField { public var area:Dynamic; public function new() {} }
class IntField { public var area:Int = 3; public function new() {} }
class NullFun { public var area:Void->Int; public function new() {} }
class SetFun { public var area:Void->Int; public function new() { area = () -> 42; } }

class Main {
	static function attempt(what:String, f:() -> Void) {
		try f() catch (e:Dynamic) Sys.println(what + ": " + e);
	}

	static function sum(shapes:Array<Shape>, rounds:Int):Int {
		var t = 0;
		for (r in 0...rounds)
			for (s in shapes)
				t += s.area() * (r % 3 + 1);
		return t;
	}

	static function tags(shapes:Array<Shape>):String {
		var b = new StringBuf();
		for (s in shapes)
			b.add(s.tag() + " ");
		return b.toString();
	}

	static function viaDynamic(values:Array<Dynamic>, rounds:Int):Int {
		var t = 0;
		for (r in 0...rounds) {
			for (v in values) {
				var s:Shape = v;
				t += s.area();
			}
		}
		return t;
	}

	static function sidesOf(values:Array<Dynamic>):String {
		var b = new StringBuf();
		for (v in values) {
			var s:Sided = v;
			b.add(s.sides() + " ");
		}
		return b.toString();
	}

	static function main() {
		var shapes:Array<Shape> = [new S0(), new S1(), new S2(), new S3(), new S4(), new S5(), new S6(), new S7(), new S8(), new S9(), new S10(), new S11()];
		Sys.println("sum " + sum(shapes, 20000));
		Sys.println("tags " + tags(shapes));
		var reversed = shapes.copy();
		reversed.reverse();
		Sys.println("sum reversed " + sum(reversed, 20000));
		Sys.println("tags reversed " + tags(reversed));
		// Only the first five: a site that sees fewer classes than its cache holds.
		Sys.println("sum five " + sum(shapes.slice(0, 5), 50000));

		// Interface values stored as Dynamic, converted back to the same interface.
		var dyns:Array<Dynamic> = [for (s in shapes) s];
		Sys.println("via dynamic " + viaDynamic(dyns, 20000));
		// ...and to another interface than the one they were stored as.
		var sided:Array<Dynamic> = [shapes[0], shapes[10], shapes[11]];
		Sys.println("sides " + sidesOf(sided));
		// Class instances stored as Dynamic (never viewed before), then as Shape.
		var plain:Array<Dynamic> = [new S3(), new S11(), new S7()];
		Sys.println("plain " + viaDynamic(plain, 1000));

		// Members that cannot be called, each with HashLink's message; a function field
		// holding a function is called.
		var odd:Array<Dynamic> = ["text", new DynField(), new IntField(), new NullFun(), new SetFun(), new haxe.ds.StringMap<Int>(), [1, 2]];
		for (v in odd)
			attempt(Type.getClassName(Type.getClass(v)), () -> { var s:Shape = v; Sys.println(s.area()); });

		// Null through Dynamic stays null; calling on it fails.
		var none:Dynamic = null;
		var s:Shape = none;
		Sys.println("null is null " + (s == null));
		try {
			Sys.println(s.area());
		} catch (e:Dynamic) {
			Sys.println("caught " + e);
		}
	}
}
