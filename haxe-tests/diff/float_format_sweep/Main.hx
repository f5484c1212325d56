// Float formatting and parsing over a deterministic sweep of values: random bit patterns,
// powers of ten and two, values near rounding boundaries; printed through Std.string
// (%.15g), nested in an array (%.17g), Single, and parsed back with Std.parseFloat.
import haxe.io.FPHelper;

class Main {
	static var seed = 42;

	static function next() {
		seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF;
		return seed;
	}

	static function main() {
		var values:Array<Float> = [];
		for (i in 0...150) {
			var hi = (next() & 0x7FEFFFFF) | (next() & 1) << 31;
			var lo = next() ^ (next() << 16);
			values.push(FPHelper.i64ToDouble(lo, hi));
		}
		for (e in -20...25) {
			values.push(Math.pow(10, e));
			values.push(1.5 * Math.pow(10, e));
			values.push(Math.pow(10, e) - Math.pow(10, e - 16));
		}
		for (e in [-1074, -1073, -1022, -1021, -500, -53, -52, 52, 53, 63, 64, 500, 1023])
			values.push(Math.pow(2, e));
		for (x in [0.5, 1.5, 2.5, 0.05, 0.15, 0.25, 0.35, 1e-5, 9.5e-5, 123456789012345.6, 999999999999999.4, 999999999999999.5,
			0.000099999999999999991, 4.35, 4.345, 8.125e-10])
			values.push(x);
		var mismatches = 0;
		for (v in values) {
			var s = Std.string(v);
			var back = Std.parseFloat(s);
			var single:Single = v;
			Sys.println(s + " | " + [v] + " | " + single + " | " + Math.round(v * 1000) / 1000 + " | " + (back == v));
			if (Std.parseFloat(Std.string([v]).substr(1).split("]")[0]) != v && Math.isFinite(v))
				mismatches++;
		}
		Sys.println("17-digit round trips failing: " + mismatches);
		for (s in ["0.1e1", "1.", ".1", "1e-5", "1E5", "-.5", "+.5", "00012.50", "1e+0", "4.9406564584124654e-324", "2.4703282292062328e-324",
			"2.4703282292062327e-324", "1.7976931348623158e308", "1.7976931348623159e308", "123456789012345678901234567890e-10", "0x1p3",
			"1_0", "1,5", "٣.٥", "  \t\n 7.25xyz"])
			Sys.println("parse " + s + " = " + Std.parseFloat(s));
	}
}
