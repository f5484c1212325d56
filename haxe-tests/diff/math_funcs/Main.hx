// Math: every function on ordinary and edge values (NaN, ±0, ±Infinity, huge, tiny).
class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function main() {
		var values:Array<Float> = [0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 1.5, -1.5, 2.5, -2.5, 3.7, -3.7, 1e-10, 1e10, 1e300, -1e300, 5e-324,
			2147483647.0, 2147483648.0, -2147483648.5, 4503599627370496.5, Math.PI, Math.NaN, Math.POSITIVE_INFINITY, Math.NEGATIVE_INFINITY];
		for (v in values) {
			p("v", v);
			p("  abs", Math.abs(v));
			p("  floor", Math.floor(v));
			p("  ceil", Math.ceil(v));
			p("  round", Math.round(v));
			p("  ffloor", Math.ffloor(v));
			p("  fceil", Math.fceil(v));
			p("  fround", Math.fround(v));
			p("  sqrt", Math.sqrt(v));
			p("  exp", Math.exp(v));
			p("  log", Math.log(v));
			p("  sin", Math.sin(v));
			p("  cos", Math.cos(v));
			p("  tan", Math.tan(v));
			p("  asin", Math.asin(v));
			p("  acos", Math.acos(v));
			p("  atan", Math.atan(v));
			p("  isNaN", Math.isNaN(v));
			p("  isFinite", Math.isFinite(v));
			p("  int", Std.int(v));
			p("  neg", -v);
			p("  *-1", v * -1);
			p("  /0", v / 0);
		}
		var pairs:Array<Array<Float>> = [[2, 10], [2, 0.5], [-8, 1 / 3], [0, 0], [0, -1], [-0.0, -1], [Math.NaN, 0], [1, Math.NaN], [10, -2],
			[Math.POSITIVE_INFINITY, 0], [-1, Math.POSITIVE_INFINITY], [1, 1], [-1, -1], [1e308, 10], [3, 4]];
		for (pr in pairs) {
			var a = pr[0], b = pr[1];
			p("pair " + a + " " + b, "pow " + Math.pow(a, b) + " atan2 " + Math.atan2(a, b) + " min " + Math.min(a, b) + " max " + Math.max(a, b)
				+ " mod " + (a % b) + " div " + (a / b));
		}
		p("min -0 0", 1 / Math.min(-0.0, 0.0));
		p("max -0 0", 1 / Math.max(-0.0, 0.0));
		p("min int", Math.min(3, 2));
		p("PI", Math.PI);
		p("NaN == NaN", Math.NaN == Math.NaN);
		p("NaN != NaN", Math.NaN != Math.NaN);
		p("NaN < 1", Math.NaN < 1);
		p("NaN > 1", Math.NaN > 1);
		p("NaN >= NaN", Math.NaN >= Math.NaN);
		p("inf == inf", Math.POSITIVE_INFINITY == Math.POSITIVE_INFINITY);
		p("0 == -0", 0.0 == -0.0);
		var r = Math.random();
		p("random range", r >= 0 && r < 1);
		p("sqrt 2", Math.sqrt(2));
		p("exp 1", Math.exp(1));
		p("log 10", Math.log(10));
		p("sin pi", Math.sin(Math.PI));
		p("cos pi", Math.cos(Math.PI));
		p("round halves", [for (i in -6...7) Math.round(i / 2)]);
		p("floor halves", [for (i in -6...7) Math.floor(i / 2)]);
		p("fround halves", [for (i in -6...7) Math.fround(i / 2)]);
	}
}
