// Single (f32) values turned into strings: Std.string, trace, concatenation, arrays, Dynamic.
class Holder {
	public var s:Single;
	public function new(v:Single) { s = v; }
}

class Main {
	static function main() {
		var a:Single = 0.1;
		var b:Single = 1.5;
		var c:Single = 1 / 3;
		var big:Single = 16777217.0;
		var tiny:Single = 1e-10;
		var huge:Single = 3.4e38;
		var neg:Single = -2.75;
		var whole:Single = 100;
		Sys.println("concat: " + a + " " + b + " " + c + " " + big + " " + tiny + " " + huge + " " + neg + " " + whole);
		Sys.println("Std.string: " + Std.string(a) + " " + Std.string(c));
		trace(a);
		trace(c);
		var d:Dynamic = a;
		Sys.println("dynamic: " + d);
		Sys.println("Std.string(dynamic): " + Std.string(d));
		var arr:Array<Single> = [a, b, c];
		Sys.println("array: " + arr);
		var darr:Array<Dynamic> = [a, c, 2.5];
		Sys.println("dynamic array: " + darr);
		var h = new Holder(c);
		Sys.println("field: " + h.s);
		var o = {f: a, g: c};
		Sys.println("anon: " + o);
		Sys.println("widened: " + (a : Float));
		Sys.println("sum: " + (a + b));
		var prod:Single = a * c;
		Sys.println("prod: " + prod);
		var inf:Single = 1e39;
		Sys.println("inf: " + inf);
		var n:Single = Math.NaN;
		Sys.println("nan: " + n);
		Sys.println("Single max: " + (3.4028234663852886e38 : Single));
		var v = new haxe.ds.Vector<Single>(2);
		v[0] = a; v[1] = c;
		Sys.println("vector: " + v.toArray());
		var bytes = haxe.io.Bytes.alloc(4);
		bytes.setFloat(0, 0.1);
		Sys.println("bytes float: " + bytes.getFloat(0));
		Sys.println("Type.typeof: " + Type.typeof(d));
		Sys.println("isOfType Float: " + Std.isOfType(d, Float));
		// NaN and infinities as Singles are printed by C printf: the sign of a NaN shows.
		var z = 0.0;
		var zz:Single = z / z;
		Sys.println("0/0 single: " + zz);
		var sq:Single = Math.sqrt(-1);
		Sys.println("sqrt(-1) single: " + sq);
		var ni:Single = Math.NEGATIVE_INFINITY;
		Sys.println("-inf single: " + ni);
		var ms:Single = z * -1.0;
		Sys.println("-0 single: " + ms);
		Sys.println("Float NaN: " + Math.NaN + " " + (z / z));
		// Floats nested in anonymous objects print with 17 significant digits.
		Sys.println("anon floats: " + {x: 0.1, y: 1 / 3, z: 2.0});
		var nested:Array<Dynamic> = [0.1, {w: 0.1}];
		Sys.println("nested: " + nested);
	}
}
