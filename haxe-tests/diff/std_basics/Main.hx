// Std: string, isOfType, downcast, int, parseInt, parseFloat, random with a range of one.
class A {
	public var x:Int;
	public function new(x) { this.x = x; }
}

class B extends A {
	public function new(x) { super(x); }
	public function toString() { return "B(" + x + ")"; }
}

interface I {}

class C implements I {
	public function new() {}
}

enum E { One; Two(a:Int); Three(s:String, b:Bool); }

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function main() {
		// Std.string of every kind of value
		p("int", 42);
		p("neg", -7);
		p("float", 1.5);
		p("float int", 3.0);
		p("bool", true);
		p("null", null);
		p("string", "hi");
		p("array", [1, 2, 3]);
		p("array str", ["a", "b"]);
		p("array null", [null, "x"]);
		p("nested", [[1], [2, 3], []]);
		p("anon", {a: 1});
		p("anon2", {b: "x", a: [1]});
		p("enum", One);
		p("enum2", Two(5));
		p("enum3", Three("s", false));
		p("enum nested", [Two(1), One]);
		p("class A", new A(3) != null);
		p("class B", new B(4));
		p("class value", A);
		p("enum value", E);
		p("String class", String);
		p("Math class", Math);
		var d:Dynamic = new B(9);
		p("dyn B", d);
		p("dyn string", ("" + d));
		p("map", [1 => "a"]);
		p("smap", ["k" => 2]);
		p("int array len", [1, 2].length);
		p("float array", [1.0, 2.5, -0.0]);
		p("bool array", [true, false]);

		// isOfType
		p("is Int 1", Std.isOfType(1, Int));
		p("is Int 1.5", Std.isOfType(1.5, Int));
		p("is Float 1", Std.isOfType(1, Float));
		p("is Float 1.5", Std.isOfType(1.5, Float));
		p("is String", Std.isOfType("s", String));
		p("is String int", Std.isOfType(1, String));
		p("is Bool", Std.isOfType(true, Bool));
		p("is Bool 0", Std.isOfType(0, Bool));
		p("is A B", Std.isOfType(new B(1), A));
		p("is B A", Std.isOfType(new A(1), B));
		p("is I C", Std.isOfType(new C(), I));
		p("is I A", Std.isOfType(new A(1), I));
		p("is Array", Std.isOfType([1], Array));
		p("is E", Std.isOfType(One, E));
		p("is E int", Std.isOfType(1, E));
		p("is null", Std.isOfType(null, String));
		p("is Dynamic", Std.isOfType(1, Dynamic));
		p("is Dynamic null", Std.isOfType(null, Dynamic));
		p("is Class", Std.isOfType(A, Class));
		p("is Enum", Std.isOfType(E, Enum));
		var f:Dynamic = 3.0;
		p("is Int 3.0 dyn", Std.isOfType(f, Int));
		var big:Dynamic = 3000000000.0;
		p("is Int big", Std.isOfType(big, Int));

		// downcast
		var a:A = new B(2);
		p("downcast ok", Std.downcast(a, B));
		p("downcast bad", Std.downcast(new A(1), B));
		p("downcast null", Std.downcast(null, B));

		// Std.int
		for (v in [0.0, 0.5, -0.5, 1.9999, -1.9999, 2147483647.0, -2147483648.0, 1e10, -1e10, 4294967296.5])
			p("int " + v, Std.int(v));

		// parseInt
		for (s in ["0", "12", "-12", "+12", " 12", "12 ", "12abc", "abc", "", "-", "0x1F", "0X1f", "-0x10", "0x", "010",
			"2147483647", "2147483648", "-2147483648", "-2147483649", "99999999999", "1e3", "1.5", "\t7", "\n8", "  -3x", "0xFFFFFFFF",
			"0x100000000", "٣", "--1", "+-1", "00012"])
			p("parseInt '" + s + "'", Std.parseInt(s));

		// parseFloat
		for (s in ["0", "1.5", "-1.5", "+1.5", ".5", "5.", "1e3", "1E3", "1e-3", "1e+3", "1e", "1e+", " 2.5", "2.5 ", "2.5abc", "abc", "",
			"-", ".", "NaN", "nan", "Infinity", "-Infinity", "inf", "0x10", "1.7976931348623157e308", "1e309", "-1e309", "5e-324", "1e-400",
			"0.1", "123456789012345678901234567890", "1_000", "\t3", "-0", "-0.0", "00.5", "1.2.3", "1e2e3"])
			p("parseFloat '" + s + "'", Std.parseFloat(s));

		// random with a range that leaves no choice
		p("random 1", Std.random(1));
		p("random 0", Std.random(0));
		p("random -5", Std.random(-5));
	}
}
