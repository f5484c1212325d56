// haxe.io.Bytes: allocation, get/set of every width, strings in UTF-8 and RawNative,
// sub/blit/fill/compare, hex, out-of-bounds errors.
import haxe.io.Bytes;

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function attempt(label:String, f:() -> Dynamic) {
		try {
			p(label, f());
		} catch (e:Dynamic) {
			p(label + " threw", e);
		}
	}

	static function main() {
		var b = Bytes.alloc(16);
		p("alloc length", b.length);
		p("alloc hex", b.toHex());
		b.fill(0, 16, 0xAB);
		p("fill", b.toHex());
		for (i in 0...16)
			b.set(i, i * 17);
		p("set", b.toHex());
		p("get 15", b.get(15));
		b.set(0, 300);
		p("set 300", b.get(0));
		b.set(1, -1);
		p("set -1", b.get(1));
		p("getUInt16 2", b.getUInt16(2));
		p("getInt32 4", b.getInt32(4));
		p("getInt64 8", b.getInt64(8));
		p("getFloat 4", b.getFloat(4));
		p("getDouble 8", b.getDouble(8));
		b.setUInt16(0, 0xBEEF);
		b.setInt32(2, -123456789);
		b.setFloat(6, 1.5);
		b.setDouble(8, -2.25);
		p("after sets", b.toHex());
		p("readback", [b.getUInt16(0), b.getInt32(2), b.getFloat(6), b.getDouble(8)]);
		b.setInt64(8, haxe.Int64.make(0x01020304, 0x05060708));
		p("setInt64", b.toHex());
		b.setFloat(0, 0.1);
		p("float 0.1", b.getFloat(0));
		b.setFloat(0, 1e40);
		p("float overflow", b.getFloat(0));
		b.setDouble(0, Math.NaN);
		p("double NaN", b.getDouble(0));

		var s = Bytes.ofString("héllo wörld 😀");
		p("ofString length", s.length);
		p("ofString hex", s.toHex());
		p("toString", s.toString());
		p("getString", s.getString(0, 6));
		p("getString mid", s.getString(7, 6));
		var raw = Bytes.ofString("aé", RawNative);
		p("RawNative length", raw.length);
		p("RawNative hex", raw.toHex());
		p("RawNative getString", raw.getString(0, raw.length, RawNative));
		p("ofHex", Bytes.ofHex("48656c6c6f").toString());
		p("ofHex upper", Bytes.ofHex("4A4B").toString());
		attempt("ofHex odd", () -> Bytes.ofHex("abc").toHex());

		var sub = s.sub(1, 4);
		p("sub", sub.toHex());
		var dst = Bytes.alloc(10);
		dst.fill(0, 10, 0x2E);
		dst.blit(2, s, 0, 5);
		p("blit", dst.toString());
		dst.blit(1, dst, 2, 5);
		p("blit self", dst.toString());
		p("compare eq", Bytes.ofString("abc").compare(Bytes.ofString("abc")));
		p("compare lt", Bytes.ofString("abc").compare(Bytes.ofString("abd")));
		p("compare gt", Bytes.ofString("b").compare(Bytes.ofString("abc")));
		p("compare prefix", Bytes.ofString("ab").compare(Bytes.ofString("abc")));
		p("compare longer", Bytes.ofString("abcd").compare(Bytes.ofString("abc")));
		p("compare empty", Bytes.alloc(0).compare(Bytes.alloc(0)));
		var e = Bytes.alloc(0);
		p("empty", e.length + " [" + e.toString() + "] [" + e.toHex() + "]");
		p("ofData", Bytes.ofData(s.getData()).length);

		attempt("get out of range", () -> Bytes.alloc(2).get(5));
		attempt("sub out of range", () -> s.sub(10, 100).toHex());
		attempt("sub negative", () -> s.sub(-1, 2).toHex());
		attempt("blit out of range", () -> {
			dst.blit(8, s, 0, 5);
			"ok";
		});
		attempt("getString out of range", () -> s.getString(10, 100));
		attempt("fill out of range", () -> {
			dst.fill(5, 10, 0);
			"ok";
		});
		attempt("getInt32 out of range", () -> Bytes.alloc(3).getInt32(0));
		attempt("getDouble out of range", () -> Bytes.alloc(8).getDouble(4));
		attempt("setUInt16 out of range", () -> {
			Bytes.alloc(2).setUInt16(1, 5);
			"ok";
		});
		attempt("alloc negative", () -> Bytes.alloc(-1).length);
		var invalid = Bytes.alloc(4);
		invalid.set(0, 0x61);
		invalid.set(1, 0xFF);
		invalid.set(2, 0xC3);
		invalid.set(3, 0x62);
		attempt("invalid utf8 toString length", () -> invalid.toString().length);
		attempt("NativeArray negative", () -> new hl.NativeArray<Int>(-1).length);
		attempt("Vector negative", () -> new haxe.ds.Vector<String>(-2).length);
		var bi = new haxe.io.BytesInput(Bytes.ofString("xyz"));
		p("BytesInput readString", bi.readString(2));
	}
}
