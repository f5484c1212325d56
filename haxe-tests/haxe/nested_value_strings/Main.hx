// Floats and Singles nested in enums, anonymous objects, Json, StringBuf: C printf spellings.
enum E { A(f:Float); B(s:Single, i:Int); C(d:Dynamic); }
class P { public var x:Float = 0.1; public function new() {} }
class Main {
	static function main() {
		var s:Single = 0.1;
		Sys.println(A(0.1));
		Sys.println(B(s, 3));
		Sys.println(C(0.1));
		Sys.println(C(s));
		Sys.println(A(Math.NaN));
		Sys.println({a: Math.NaN, b: Math.POSITIVE_INFINITY, c: -0.0, d: 1e21, e: 123456789012345678.0});
		var m = [1 => 0.1, 2 => 2.5];
		Sys.println(m);
		Sys.println(haxe.Json.stringify({x: 0.1, s: s}));
		var sb = new StringBuf(); sb.add(s); sb.add(" "); sb.add(0.1); Sys.println(sb.toString());
		Sys.println([A(0.1), A(1e-7)]);
		var d:Dynamic = {v: s};
		Sys.println(d.v + " " + d);
		Sys.println(Std.string(new P()));
		var l = new List<Float>(); l.add(0.1); Sys.println(l);
		var v = haxe.ds.Vector.fromArrayCopy([0.1, 0.2]); Sys.println(v);
		Sys.println(haxe.io.Bytes.ofString("hi"));
		Sys.println(new haxe.ds.IntMap<Float>());
		Sys.println(Std.string(Math.PI) + " " + ({pi: Math.PI}));
	}
}
