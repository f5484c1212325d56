// Operations on Dynamic values: arithmetic and comparison between Int, Float, String,
// Bool and null at run time, increments, equality of boxed values, casts.
class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function main() {
		var values:Array<Dynamic> = [0, 1, -7, 2.5, -0.0 * 1, Math.NaN, "3", "abc", "", true, null, 2147483647, 1e300];
		for (a in values)
			for (b in values) {
				var add:Dynamic = try a + b catch (e:Dynamic) "err:" + e;
				var sub:Dynamic = try a - b catch (e:Dynamic) "err:" + e;
				var mul:Dynamic = try a * b catch (e:Dynamic) "err:" + e;
				var div:Dynamic = try a / b catch (e:Dynamic) "err:" + e;
				var mod:Dynamic = try a % b catch (e:Dynamic) "err:" + e;
				p(Std.string(a) + " , " + Std.string(b),
					"add " + add + " sub " + sub + " mul " + mul + " div " + div + " mod " + mod + " eq " + (a == b) + " lt " + (a < b) + " ge "
					+ (a >= b) + " cmp " + Reflect.compare(a, b));
			}
		var d:Dynamic = 5;
		d++;
		p("inc", d);
		d += 1.5;
		p("add float", d);
		var i:Dynamic = 7;
		p("int ops", (i << 2) + " " + (i >> 1) + " " + (i & 3) + " " + (i | 8) + " " + (i ^ 1) + " " + (~i) + " " + (-i));
		var f:Dynamic = 7.9;
		p("float shift", try Std.string(f << 1) catch (e:Dynamic) "err:" + e);
		var x:Dynamic = 3;
		var y:Dynamic = 3.0;
		p("int float eq", x == y);
		var s1:Dynamic = "ab";
		var s2:Dynamic = "a" + "b";
		p("string eq", s1 == s2);
		var o1:Dynamic = {a: 1};
		var o2:Dynamic = {a: 1};
		p("object eq", (o1 == o2) + " " + (o1 == o1));
		var arr:Dynamic = [1, 2];
		p("dyn array", Std.string(arr[1]) + " " + Std.string(arr.length));
		arr.push(3);
		p("dyn push", arr);
		var fn:Dynamic = function(a:Int, b:Int) return a * b;
		p("dyn call", fn(6, 7));
		p("dyn call float args", fn(2.9, 3));
		var n:Dynamic = null;
		p("null == null", n == null);
		p("Std.int dyn", Std.int(d == null ? 0 : 2.7));
		var b:Dynamic = true;
		p("bool ops", (b == true) + " " + (!b) + " " + (b && false));
		var iv:Int = cast 2.9;
		p("cast float to int", iv);
		var fv:Float = cast(7 : Dynamic);
		p("cast int to float", fv);
		var sv:Dynamic = 12;
		p("isOfType checks", [Std.isOfType(d, String), Std.isOfType(x, Int), Std.isOfType(y, Int), Std.isOfType(y, Float)]);
	}
}
