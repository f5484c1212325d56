// Int arithmetic: 32-bit overflow, division and modulo corner cases, shifts, bit ops,
// conversions between Int, Float and UInt.
class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function main() {
		var max = 2147483647;
		var min = -2147483648;
		p("max+1", max + 1);
		p("min-1", min - 1);
		p("max*2", max * 2);
		p("min*-1", min * -1);
		p("-min", -min);
		p("max*max", max * max);
		p("mul wrap", 123456789 * 987654321);
		p("65536*65536", 65536 * 65536);
		var zero = 0;
		var ints = [7, -7, 0, 1, -1, max, min, 3, -3];
		for (a in ints)
			for (b in [2, -2, 3, -3, 0, 1, -1, max, min]) {
				p(a + " op " + b, "div " + (a / b) + " idiv " + Std.int(a / b) + " mod " + (a % b) + " and " + (a & b) + " or " + (a | b) + " xor "
					+ (a ^ b));
			}
		for (s in [0, 1, 4, 31, 32, 33, 63, -1])
			p("shift " + s, (1 << s) + " " + (-16 >> s) + " " + (-16 >>> s) + " " + (max >> s) + " " + (min >>> s));
		p("~0", ~0);
		p("~max", ~max);
		p("idiv min -1", Std.int(min / -1));
		p("mod min -1", min % -1);
		p("mod zero", 5 % zero);
		p("div zero", 5 / zero);
		p("neg div zero", -5 / zero);
		p("zero div zero", zero / zero);
		var u:UInt = -1;
		p("uint -1", u);
		p("uint > 0", u > 0);
		var u2:UInt = 0xB2D05E00;
		p("uint big", u2);
		p("uint div", u2 / (2:UInt));
		p("uint add", u2 + u2);
		p("uint compare", (u2 : UInt) > (5 : UInt));
		p("uint to float", (u2 : Float));
		p("float to int wrap", Std.int(3000000000.0));
		p("float to int neg", Std.int(-3000000000.0));
		p("int in float", 1.0 * max + 1);
		p("++ wrap", {
			var x = max;
			x++;
			x;
		});
		p("-- wrap", {
			var x = min;
			x--;
			x;
		});
		p("+= wrap", {
			var x = max;
			x += max;
			x;
		});
		p("*= wrap", {
			var x = 0x10000;
			x *= 0x10000;
			x;
		});
		p("hex literal", 0xFFFFFFFF);
		p("hex literal 2", 0x80000000);
		var d:Dynamic = max;
		p("dynamic add", d + 1);
		p("dynamic mul", d * 2);
		var n:Null<Int> = null;
		p("null int", n);
		p("null int == 0", n == 0);
		var i8 = 0;
		for (i in 0...40)
			i8 = (i8 * 31 + i) | 0;
		p("hash loop", i8);
		p("compare max min", max > min);
		p("compare wrap", max + 1 < max);
		p("int string", Std.string(min));
		p("int parse back", Std.parseInt(Std.string(min)));
		var f = 1.9;
		p("cast int", Std.int(f));
		p("int to string concat", "" + min + max);
	}
}
