// haxe.Int64 and haxe.Int32: arithmetic with overflow, division, shifts, comparisons,
// parsing and printing, conversions, Int64Helper.
import haxe.Int64;
import haxe.Int32;

using haxe.Int64;

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function main() {
		var vals:Array<Int64> = [Int64.make(0, 0), Int64.make(0, 1), Int64.make(-1, -1), Int64.make(0x7FFFFFFF, 0xFFFFFFFF),
			Int64.make(0x80000000, 0), Int64.make(1, 0), Int64.make(0, 0xFFFFFFFF), Int64.ofInt(-123456789), Int64.make(0x12345678, 0x9ABCDEF0),
			Int64.ofInt(1000000007)];
		for (v in vals)
			p("v " + Int64.toStr(v), "high " + v.high + " low " + v.low + " isNeg " + v.isNeg() + " isZero " + v.isZero() + " neg " + (-v)
				+ " toInt? " + (try Std.string(v.toInt()) catch (e:Dynamic) "error " + e));
		for (a in vals)
			for (b in [Int64.ofInt(1), Int64.ofInt(-1), Int64.ofInt(7), Int64.make(1, 0), Int64.make(-1, -1)]) {
				var div = try Std.string(a / b) catch (e:Dynamic) "err " + e;
				var mod = try Std.string(a % b) catch (e:Dynamic) "err " + e;
				p(a + " op " + b, "add " + (a + b) + " sub " + (a - b) + " mul " + (a * b) + " div " + div + " mod " + mod + " cmp " + Int64.compare(a, b)
					+ " ucmp " + Int64.ucompare(a, b) + " eq " + (a == b) + " lt " + (a < b) + " and " + (a & b) + " or " + (a | b) + " xor " + (a ^ b));
			}
		for (s in [0, 1, 31, 32, 33, 63, 64])
			p("shift " + s, (Int64.make(0x80000001, 1) << s) + " " + (Int64.make(0x80000001, 1) >> s) + " " + (Int64.make(0x80000001, 1) >>> s));
		try {
			p("div zero", Int64.ofInt(1) / Int64.ofInt(0));
		} catch (e:Dynamic) {
			p("div zero", "error " + e);
		}
		for (s in ["0", "123", "-123", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "12a", "", " 5", "+5"]) {
			try {
				p("parseString " + s, Int64.parseString(s));
			} catch (e:Dynamic) {
				p("parseString " + s, "error " + e);
			}
		}
		for (f in [0.0, 1.5, -1.5, 4294967296.0, 9007199254740992.0, -9007199254740993.0, 1e19, Math.NaN]) {
			try {
				p("fromFloat " + f, Int64.fromFloat(f));
			} catch (e:Dynamic) {
				p("fromFloat " + f, "error " + e);
			}
		}
		var x = Int64.ofInt(5);
		x++;
		p("++", x);
		x--;
		x--;
		p("--", x);
		x += Int64.ofInt(10);
		p("+=", x);
		p("divMod", Int64.divMod(Int64.ofInt(-17), Int64.ofInt(5)));
		p("is Int64", Int64.isInt64(x));
		p("toString", Std.string(Int64.make(1, 2)));
		p("getHigh/Low", Int64.make(3, 4).high + " " + Int64.make(3, 4).low);
		var big:Int64 = 0x7FFFFFFF;
		p("int literal", big * 4);

		var i32:Int32 = 0x7FFFFFFF;
		p("Int32 +1", i32 + 1);
		p("Int32 *2", i32 * 2);
		var n32:Int32 = -2147483648;
		p("Int32 neg", -n32);
		p("Int32 ucompare", Int32.ucompare(-1, 1));
		p("Int32 shift", (i32 : Int32) >> 3);
		p("Int32 ushr", (n32 : Int32) >>> 3);
		p("Int32 toFloat", (n32 : Float));
	}
}
