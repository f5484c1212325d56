// haxe.io.FPHelper: float/double bit conversions, including NaN, infinities, -0,
// denormals and rounding to single precision.
import haxe.io.FPHelper;

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function hex64(i:haxe.Int64) return StringTools.hex(i.high, 8) + StringTools.hex(i.low, 8);

	static function main() {
		var values:Array<Float> = [0, -0.0 * 1, 1, -1, 0.5, 0.1, 1 / 3, 3.4028234663852886e38, 3.5e38, 1.17549435e-38, 1e-45, 1e-46, 5e-324,
			1.7976931348623157e308, Math.POSITIVE_INFINITY, Math.NEGATIVE_INFINITY, 16777217, 123456.789, -2.5e-10, Math.PI];
		for (v in values) {
			var f32 = FPHelper.floatToI32(v);
			var d64 = FPHelper.doubleToI64(v);
			p("v " + v, "f32 " + StringTools.hex(f32, 8) + " back " + FPHelper.i32ToFloat(f32) + " | f64 " + hex64(d64) + " back "
				+ FPHelper.i64ToDouble(d64.low, d64.high));
		}
		p("NaN f32 isNaN", Math.isNaN(FPHelper.i32ToFloat(FPHelper.floatToI32(Math.NaN))));
		p("NaN f64 isNaN", Math.isNaN(FPHelper.i64ToDouble(FPHelper.doubleToI64(Math.NaN).low, FPHelper.doubleToI64(Math.NaN).high)));
		for (bits in [0x3F800000, 0x7F800000, 0xFF800000, 0x00000001, 0x80000000, 0x7F7FFFFF, 0x40490FDB, 0x7FC00000, 0x7F800001])
			p("i32ToFloat " + StringTools.hex(bits, 8), FPHelper.i32ToFloat(bits));
		p("i64ToDouble 1", FPHelper.i64ToDouble(0, 0x3FF00000));
		p("i64ToDouble min", FPHelper.i64ToDouble(1, 0));
		p("i64ToDouble -inf", FPHelper.i64ToDouble(0, 0xFFF00000));
		p("i64ToDouble max", FPHelper.i64ToDouble(0xFFFFFFFF, 0x7FEFFFFF));
	}
}
