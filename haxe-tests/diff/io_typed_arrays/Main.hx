// haxe.io typed arrays (UInt8Array, UInt16Array, Int32Array, Float32Array,
// Float64Array, ArrayBufferView) and hl.Bytes/hl.NativeArray helpers.
import haxe.io.*;

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function main() {
		var u8 = new UInt8Array(6);
		for (i in 0...u8.length)
			u8[i] = i * 60;
		p("UInt8Array", [for (i in 0...u8.length) u8[i]]);
		p("UInt8Array view bytes", u8.view.buffer.toHex());
		var u8b = UInt8Array.fromArray([1, 255, 256, -1]);
		p("UInt8Array fromArray", [for (i in 0...u8b.length) u8b[i]]);
		var sub = u8.subarray(2, 4);
		p("subarray", [for (i in 0...sub.length) sub[i]]);
		sub[0] = 7;
		p("subarray shares", u8[2]);
		var u16 = UInt16Array.fromArray([0, 65535, 65536, -2]);
		p("UInt16Array", [for (i in 0...u16.length) u16[i]]);
		var i32 = Int32Array.fromArray([1, -1, 0x7FFFFFFF]);
		p("Int32Array", [for (i in 0...i32.length) i32[i]]);
		p("Int32Array bytes", i32.view.buffer.toHex());
		var f32 = Float32Array.fromArray([0.1, 1.5, 1e40, -0.0]);
		p("Float32Array", [for (i in 0...f32.length) f32[i]]);
		var f64 = Float64Array.fromArray([0.1, Math.PI, -1e300]);
		p("Float64Array", [for (i in 0...f64.length) f64[i]]);
		var shared = Bytes.alloc(8);
		var asU8 = UInt8Array.fromBytes(shared);
		var asF64 = Float64Array.fromBytes(shared);
		asF64[0] = 1.0;
		p("shared bytes", [for (i in 0...asU8.length) asU8[i]]);
		var view = ArrayBufferView.fromBytes(Bytes.ofString("abcdef"), 1, 3);
		p("ArrayBufferView", view.byteOffset + " " + view.byteLength + " " + view.buffer.toString());

		var hb = new hl.Bytes(16);
		hb.fill(0, 16, 0x41);
		hb.setI32(0, 0x44434241);
		hb.setF64(8, 2.5);
		p("hl.Bytes getI32", hb.getI32(0));
		p("hl.Bytes getF64", hb.getF64(8));
		p("hl.Bytes getUI16", hb.getUI16(1));
		p("hl.Bytes compare", hb.compare(0, hb, 0, 4) + " " + hb.compare(0, hb, 1, 4));
		var hb2 = hb.sub(0, 4);
		p("hl.Bytes sub", [for (i in 0...4) hb2.getUI8(i)]);
		p("hl.Bytes offset", hb.offset(4).getUI8(0));
		var na = new hl.NativeArray<Int>(5);
		for (i in 0...5)
			na[i] = i * i;
		var nb = new hl.NativeArray<Int>(5);
		nb.blit(1, na, 2, 3);
		p("NativeArray blit", [for (i in 0...nb.length) nb[i]]);
		p("NativeArray sub", [for (x in na.sub(1, 2)) x]);
	}
}
