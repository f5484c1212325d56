// haxe.crypto.Base64, BaseCode, Crc32, Adler32 on empty, ASCII, binary and UTF-8 input.
import haxe.crypto.*;
import haxe.io.Bytes;

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function main() {
		var inputs = ["", "f", "fo", "foo", "foob", "fooba", "foobar", "héllo wörld", "😀", "The quick brown fox jumps over the lazy dog"];
		for (s in inputs) {
			var b = Bytes.ofString(s);
			p("base64 [" + s + "]", Base64.encode(b) + " | nopad " + Base64.encode(b, false) + " | url " + Base64.urlEncode(b) + " | str "
				+ Base64.encode(Bytes.ofString(s)));
			p("  decode", Base64.decode(Base64.encode(b)).toString() + " | nopad " + Base64.decode(Base64.encode(b, false), false).toString()
				+ " | url " + Base64.urlDecode(Base64.urlEncode(b)).toString());
			p("  crc32", Crc32.make(b) + " adler32 " + Adler32.make(b));
		}
		var bin = Bytes.alloc(256);
		for (i in 0...256)
			bin.set(i, i);
		p("binary base64", Base64.encode(bin));
		p("binary url", Base64.urlEncode(bin));
		p("binary crc32", Crc32.make(bin));
		p("binary adler32", Adler32.make(bin));
		var c = new Crc32();
		c.byte(1);
		c.update(bin, 10, 20);
		p("crc32 incremental", c.get());
		var a = new Adler32();
		a.update(bin, 0, 100);
		a.update(bin, 100, 156);
		p("adler32 incremental", a.get());
		p("adler32 equals", a.equals(Adler32.read(new haxe.io.BytesInput(Bytes.ofHex(StringTools.hex(a.get(), 8))))));
		var big = Bytes.alloc(100000);
		for (i in 0...big.length)
			big.set(i, (i * 31) & 0xFF);
		p("big crc32", Crc32.make(big));
		p("big adler32", Adler32.make(big));

		var hex = new BaseCode(Bytes.ofString("0123456789abcdef"));
		p("basecode hex", hex.encodeString("Hello"));
		p("basecode hex decode", hex.decodeString("48656c6c6f"));
		var b32 = new BaseCode(Bytes.ofString("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"));
		p("basecode 32", b32.encodeBytes(Bytes.ofString("foobar")).toString());
		p("basecode 32 decode", b32.decodeBytes(b32.encodeBytes(Bytes.ofString("foobar"))).toString());
		var bin2 = new BaseCode(Bytes.ofString("01"));
		p("basecode 2", bin2.encodeString("AB"));
		p("BaseCode.encode", BaseCode.encode("xyz", "0123456789abcdef"));
		p("BaseCode.decode", BaseCode.decode("78797a", "0123456789abcdef"));
		for (bad in ["abc", "ab=c", "!!!!", "Zm9v\nYmFy"]) {
			try {
				p("decode bad [" + bad + "]", Base64.decode(bad).toHex());
			} catch (e:Dynamic) {
				p("decode bad [" + bad + "]", "error " + e);
			}
		}
		try {
			p("basecode bad base", new BaseCode(Bytes.ofString("abc")));
		} catch (e:Dynamic) {
			p("basecode bad base", "error " + e);
		}
		try {
			p("basecode bad char", hex.decodeString("zz"));
		} catch (e:Dynamic) {
			p("basecode bad char", "error " + e);
		}
	}
}
