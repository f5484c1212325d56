// Digests through HashLink's `fmt@digest` native (haxe.crypto.Md5 / Sha1 on HL) and the
// pure-Haxe ones (Sha224, Sha256, Hmac, Crc32, Adler32), on empty, short, long, non-ASCII
// and binary inputs, including sizes at the 64-byte block boundaries.
import haxe.crypto.*;
import haxe.io.Bytes;

class Main {
	static function pattern(n:Int, seed:Int):Bytes {
		var b = Bytes.alloc(n);
		var x = seed;
		for (i in 0...n) {
			x = (x * 1103515245 + 12345) & 0x7FFFFFFF;
			b.set(i, (x >> 16) & 0xFF);
		}
		return b;
	}

	/** A String from raw UTF-16 units (lone surrogates included). */
	static function ucs2(units:Array<Int>):String {
		var b = Bytes.alloc(units.length * 2 + 2);
		for (i in 0...units.length)
			b.setUInt16(i * 2, units[i]);
		return @:privateAccess String.fromUCS2(b.getData());
	}

	static function strings():Array<String> {
		var long = new StringBuf();
		for (i in 0...1000)
			long.add("abc" + i);
		return [
			"",
			"a",
			"abc",
			"message digest",
			"The quick brown fox jumps over the lazy dog",
			"héllo wörld ☃ 😀 日本語",
			"a\x00b",
			ucs2([0xD800, 0x78, 0x79, 0x7A]),
			ucs2([0x78, 0xDC00, 0x79, 0x7A]),
			long.toString(),
		];
	}

	static function show(label:String, s:String) {
		Sys.println(label + " " + s);
	}

	/** Prints `f()`, or the exception it throws (Sha224.make throws on some sizes on HL). */
	static function safe(label:String, f:() -> String) {
		try {
			show(label, f());
		} catch (e:Dynamic) {
			show(label, "exception " + Std.string(e));
		}
	}

	static function main() {
		var i = 0;
		for (s in strings()) {
			var tag = "s" + (i++) + "(" + s.length + ")";
			show(tag + " md5", Md5.encode(s));
			show(tag + " sha1", Sha1.encode(s));
			// Md5/Sha1.encode stop at a NUL unit; Bytes.ofString of such a string reads
			// uninitialised memory on HashLink, so nothing else is checked for it
			if (s.indexOf("\x00") >= 0)
				continue;
			show(tag + " sha224", Sha224.encode(s));
			show(tag + " sha256", Sha256.encode(s));
			var b = Bytes.ofString(s);
			show(tag + " md5b", Md5.make(b).toHex());
			show(tag + " sha1b", Sha1.make(b).toHex());
			show(tag + " crc32", StringTools.hex(Crc32.make(b), 8));
			show(tag + " adler32", StringTools.hex(Adler32.make(b), 8));
		}
		for (n in [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 255, 256, 1000, 4096, 65535, 65536, 65537, 300000]) {
			var b = pattern(n, n);
			var tag = "b" + n;
			show(tag + " md5", Md5.make(b).toHex());
			show(tag + " sha1", Sha1.make(b).toHex());
			safe(tag + " sha224", () -> Sha224.make(b).toHex());
			show(tag + " sha256", Sha256.make(b).toHex());
			show(tag + " crc32", StringTools.hex(Crc32.make(b), 8));
			show(tag + " adler32", StringTools.hex(Adler32.make(b), 8));
		}
		// sub-range digests (Bytes.sub shares nothing, but offsets inside one block matter for hl.Bytes)
		var big = pattern(200, 7);
		show("sub md5", Md5.make(big.sub(13, 100)).toHex());
		show("sub sha1", Sha1.make(big.sub(64, 64)).toHex());

		// incremental Crc32
		var c = new Crc32();
		var data = pattern(1000, 3);
		for (k in 0...10)
			for (j in 0...100)
				c.byte(data.get(k * 100 + j));
		show("crc32 incremental", StringTools.hex(c.get(), 8));
		var a = new Adler32();
		a.update(data, 0, 500);
		a.update(data, 500, 500);
		show("adler32 incremental", StringTools.hex(a.get(), 8));
		show("adler32 equals", "" + a.equals(Adler32.read(new haxe.io.BytesInput(Bytes.ofHex(StringTools.hex(Adler32.make(data), 8))))));

		// Hmac with every hash, short and long keys (longer than the 64-byte block)
		var keys = [Bytes.alloc(0), Bytes.ofString("key"), pattern(64, 1), pattern(65, 2), pattern(200, 3)];
		var msgs = [Bytes.alloc(0), Bytes.ofString("The quick brown fox jumps over the lazy dog"), pattern(1000, 4)];
		for (h in [haxe.crypto.Hmac.HashMethod.MD5, haxe.crypto.Hmac.HashMethod.SHA1, haxe.crypto.Hmac.HashMethod.SHA256]) {
			var hm = new Hmac(h);
			for (ki in 0...keys.length)
				for (mi in 0...msgs.length)
					show("hmac " + h + " k" + ki + " m" + mi, hm.make(keys[ki], msgs[mi]).toHex());
		}

		// hl.Format.digest directly: crc32 (2) and adler32 (3) continue from the Int in `out`
		var src = Bytes.ofString("hello world");
		for (alg in [2, 3]) {
			var out = Bytes.alloc(4);
			hl.Format.digest(out.getData(), src.getData(), src.length, alg);
			show("raw " + alg + " from 0", out.toHex());
			var out2 = Bytes.alloc(4);
			out2.setInt32(0, alg == 2 ? 0 : 1);
			hl.Format.digest(out2.getData(), src.getData(), 5, alg);
			hl.Format.digest(out2.getData(), (src.getData() : hl.Bytes).offset(5), src.length - 5, alg);
			show("raw " + alg + " chained", out2.toHex());
			var out3 = Bytes.alloc(4);
			out3.setInt32(0, 0x12345678);
			hl.Format.digest(out3.getData(), src.getData(), 0, alg);
			show("raw " + alg + " empty", out3.toHex());
		}
		// an empty Bytes is a null pointer on HashLink: zlib's checksums then give 0 and 1
		for (alg in [0, 1, 2, 3]) {
			var out = Bytes.alloc(20);
			out.setInt32(0, 0x12345678);
			hl.Format.digest(out.getData(), Bytes.alloc(0).getData(), 0, alg);
			show("null src " + alg, out.toHex());
		}
		// non-canonical running Adler-32 values (sums above 65520), several lengths
		for (init in [0xFFFFFFFF, 0xFFF1FFF1, 0x0000FFFF, 0xFFFF0000]) {
			for (n in [0, 1, 2, 15, 16, 17, 6000]) {
				var data = pattern(n, n + 1);
				var out = Bytes.alloc(4);
				out.setInt32(0, init);
				hl.Format.digest(out.getData(), data.getData(), n, 3);
				var out2 = Bytes.alloc(4);
				out2.setInt32(0, init);
				hl.Format.digest(out2.getData(), data.getData(), n, 2);
				show("init " + StringTools.hex(init, 8) + " n" + n, out.toHex() + " " + out2.toHex());
			}
		}
		// string flag (256): UTF-16 input converted to UTF-8, length argument ignored
		var s = "héllo";
		for (alg in [0, 1, 2, 3]) {
			var out = Bytes.alloc(20);
			hl.Format.digest(out.getData(), @:privateAccess s.bytes, 0, 256 | alg);
			show("str " + alg, out.toHex());
		}
		// md5 / sha1 write only their own bytes
		var wide = Bytes.alloc(24);
		wide.fill(0, 24, 0xEE);
		hl.Format.digest(wide.getData(), src.getData(), src.length, 0);
		show("md5 into 24", wide.toHex());
		wide.fill(0, 24, 0xEE);
		hl.Format.digest(wide.getData(), src.getData(), src.length, 1);
		show("sha1 into 24", wide.toHex());
		// unknown formats
		for (alg in [4, 7, 255, 0x1004, 260]) {
			try {
				hl.Format.digest(wide.getData(), src.getData(), src.length, alg);
				show("format " + alg, "no error");
			} catch (e:Dynamic) {
				show("format " + alg, Std.string(e) + " isString=" + Std.isOfType(e, String));
			}
		}
		// format bits above 0xFF besides 256 are ignored
		var hi = Bytes.alloc(16);
		hl.Format.digest(hi.getData(), src.getData(), src.length, 0x1000);
		show("format 0x1000", hi.toHex());
		// the image natives of fmt are referenced but never called: the program must
		// still load, as it does on HashLink with fmt.hdll
		if (Sys.args().length > 1000) {
			hl.Format.decodePNG(null, 0, null, 0, 0, 0, RGBA, 0);
			hl.Format.decodeJPG(null, 0, null, 0, 0, 0, RGBA, 0);
			hl.Format.decodeDXT(null, null, 0, 0, 0);
			hl.Format.scaleImage(null, 0, 0, 0, 0, null, 0, 0, 0, 0, 0);
			new hl.Format.Mikktspace().compute();
		}
		show("end", "ok");
	}
}
