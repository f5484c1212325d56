// Float to string conversions, on edge values and through every path (Std.string,
// concatenation, trace, Array printing, StringBuf, Json, Dynamic).
class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function main() {
		var values:Array<Float> = [0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.1 + 0.2, 1 / 3, 2 / 3, 10 / 3, 100.0, 1e15, 1e16, 1e17, 1e20, 1e21, 1e22,
			123456789012345.0, 1234567890123456.0, 12345678901234567.0, 9007199254740993.0, 1e-5, 1e-6, 1e-7, 1.5e-7, 0.000123, 123.456, -123.456,
			1.7976931348623157e308, 2.2250738585072014e-308, 5e-324, 4.9e-324, 1e-320, 3.14159265358979, 2.718281828459045, 1e100, -1e-100,
			0.30000000000000004, 100000000000000000000000.0, 1.0000000000000002, 0.9999999999999999, 255 / 256, 1 / 1024, 1e300 * 1e10,
			-1e300 * 1e10, Math.NaN, 4294967296.0, 2147483648.0, -2147483649.0, 1.25, 1.125, 1e-300 * 1e-300, -(1e-300 * 1e-300), 65536.0 * 65536.0 * 65536.0];
		for (v in values) {
			var sb = new StringBuf();
			sb.add(v);
			var d:Dynamic = v;
			p("v", Std.string(v) + " | " + v + " | " + sb.toString() + " | " + d + " | " + haxe.Json.stringify(v) + " | " + [v]);
		}
		trace(0.1 + 0.2);
		trace(-0.0);
		trace(1e21);
		var f32:Single = 0.1;
		p("single 0.1", f32);
		var f32b:Single = 16777217.0;
		p("single 16777217", f32b);
		p("single to float", (f32 : Float));
		p("int plus float", 1 + 0.5);
		p("int div", 7 / 2);
		p("int div exact", 8 / 2);
		p("str concat int", "x" + 42 + 1.5);
		p("int as float", (5 : Float));
		p("neg zero product", 0.0 * -1);
		p("neg zero literal", -0.0);
		p("string of nested floats", [[0.5, -0.0], [1e21]]);
		p("anon float", {f: 1.5e-10});
		var nf:Null<Float> = null;
		p("null float", nf);
		var nf2:Null<Float> = 2.5;
		p("nullable float", nf2);
		p("fixed", [for (i in 0...10) i * 0.1]);
		p("sums", [for (i in 1...10) 1.0 / i]);
		p("powers", [for (i in 0...25) Math.pow(10, i)]);
		p("neg powers", [for (i in 0...25) Math.pow(10, -i)]);
		p("two powers", [for (i in 50...64) Math.pow(2, i)]);
	}
}
