// Zero float constants. Haxe merges 0.0 and -0.0 into one entry of the float table, and
// HashLink loads a zero constant as +0 whatever its sign bit, so `-0.0` written in source
// is +0 at run time; a real negative zero comes from arithmetic (`0.0 * -1`).
class Main {
	static var negZeroStatic:Float = -0.0;
	static inline var NZ:Float = -0.0;

	static function show(label:String, x:Float) {
		Sys.println(label + ": " + x + " 1/x=" + (1 / x));
	}

	static function negZeroFirst():Float {
		return -0.0;
	}

	static function main() {
		show("negZeroFirst", negZeroFirst());
		var z = 0.0;
		var nz = -0.0;
		show("0.0", z);
		show("-0.0", nz);
		show("static -0.0", negZeroStatic);
		show("inline -0.0", NZ);
		var arr = [0.0, -0.0, 1.0, -1.0];
		for (x in arr) show("arr", x);
		var made = 0.0 * -1;
		show("0.0 * -1", made);
		var m = z * -1.0;
		show("z * -1.0", m);
		show("-z", -z);
		show("-made", -made);
		show("-m", -m);
		show("m + 0", m + 0);
		show("m - 0", m - 0.0);
		show("m * 0", m * 0.0);
		show("NEGATIVE_INFINITY", Math.NEGATIVE_INFINITY);
		show("POSITIVE_INFINITY", Math.POSITIVE_INFINITY);
		Sys.println("NaN: " + Math.NaN);
		Sys.println("1/NEG_INF: " + (1 / Math.NEGATIVE_INFINITY));
		Sys.println("-1/POS_INF: " + (-1 / Math.POSITIVE_INFINITY));
		var d:Dynamic = -0.0;
		Sys.println("dynamic -0.0: " + d + " " + (1 / d));
		var dm:Dynamic = m;
		Sys.println("dynamic made: " + dm + " " + (1 / dm));
		var s:Single = -0.0;
		Sys.println("single -0.0: " + (1 / s));
		var sm:Single = m;
		Sys.println("single made: " + (1 / sm));
		Sys.println("max(-0,0): " + (1 / Math.max(m, 0.0)));
		Sys.println("min(0,-0): " + (1 / Math.min(0.0, m)));
		Sys.println("round(-0.4): " + (1 / Math.round(-0.4)));
		Sys.println("fround(-0.4): " + (1 / Math.fround(-0.4)));
		Sys.println("ffloor(-0.0): " + (1 / Math.ffloor(m)));
		Sys.println("parse -0: " + (1 / Std.parseFloat("-0")));
		Sys.println("abs(-0): " + (1 / Math.abs(m)));
		Sys.println("sqrt(-0): " + (1 / Math.sqrt(m)));
	}
}
