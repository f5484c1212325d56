// haxe.zip.Compress/Uncompress (zlib through the "fmt" library), round trips at several
// levels, with a fixed input so the compressed bytes are comparable.
import haxe.io.Bytes;

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function main() {
		var text = "";
		for (i in 0...50)
			text += "line " + i + " of some repetitive text, repetitive text. ";
		var input = Bytes.ofString(text);
		p("input", input.length);
		for (level in [0, 1, 6, 9]) {
			var c = haxe.zip.Compress.run(input, level);
			p("level " + level, c.length + " " + c.sub(0, 8).toHex() + " crc " + haxe.crypto.Crc32.make(c));
			var u = haxe.zip.Uncompress.run(c);
			p("  roundtrip", u.length + " equal " + (u.compare(input) == 0));
		}
		var empty = haxe.zip.Compress.run(Bytes.alloc(0), 6);
		p("empty", empty.toHex() + " back " + haxe.zip.Uncompress.run(empty).length);
		try {
			haxe.zip.Uncompress.run(Bytes.ofString("not zlib data"));
			p("bad input", "no error");
		} catch (e:Dynamic) {
			p("bad input", "error " + e);
		}
		var bin = Bytes.alloc(5000);
		for (i in 0...bin.length)
			bin.set(i, (i * i) & 0xFF);
		var cb = haxe.zip.Compress.run(bin, 9);
		p("binary", cb.length + " " + haxe.crypto.Adler32.make(cb));
		p("binary roundtrip", haxe.zip.Uncompress.run(cb).compare(bin) == 0);
	}
}
