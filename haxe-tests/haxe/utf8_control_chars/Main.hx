// UTF-8 decoding of DEL (0x7F) and other control characters: file names read back from
// the system, file contents, Bytes.toString and BytesInput.readLine keep them (HashLink
// 1.17). Expected output recorded on HashLink 1.17.
class Main {
	static function codes(s:String) return [for (i in 0...s.length) StringTools.fastCodeAt(s, i)].join(",");

	static function main() {
		var tmp = Sys.getEnv("TMPDIR");
		var d = (tmp == null || tmp == "" ? "/tmp" : tmp) + "/hlffi-utf8-" + Std.random(1000000000);
		sys.FileSystem.createDirectory(d);
		var names = ["\x7F", "a\x7Fb", "\x01", "é", "\u{1F600}", "x\x1F\x7F"];
		for (n in names) {
			sys.io.File.saveContent(d + "/" + n, "x" + n);
			trace(codes(n), sys.FileSystem.exists(d + "/" + n), codes(sys.io.File.getContent(d + "/" + n)));
		}
		var l = sys.FileSystem.readDirectory(d);
		l.sort(Reflect.compare);
		trace([for (x in l) codes(x)]);
		trace(codes(sys.FileSystem.absolutePath(d + "/\x7F")).split(",").slice(-2));
		for (x in l)
			sys.FileSystem.deleteFile(d + "/" + x);
		sys.FileSystem.deleteDirectory(d);
		trace(sys.FileSystem.exists(d));
		var b = haxe.io.Bytes.ofString("\x7F\n");
		trace(b.toHex(), codes(b.toString()), codes(haxe.io.Bytes.ofHex("7f0a").toString()));
		trace(codes(haxe.io.Bytes.ofHex("617f62c3a97f").toString()), codes(haxe.io.Bytes.ofHex("7f").getString(0, 1)));
		trace(codes(new haxe.io.BytesInput(haxe.io.Bytes.ofHex("7f0a41")).readLine()));
	}
}
