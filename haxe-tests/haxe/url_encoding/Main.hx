// StringTools.urlEncode/urlDecode and haxe.Serializer on characters inside and outside the
// BMP, lone surrogates and malformed escapes. Expected output recorded on HashLink 1.17.
class Main {
	static function dec(s:String) {
		return try {
			var r = StringTools.urlDecode(s);
			[for (i in 0...r.length) StringTools.hex(StringTools.fastCodeAt(r, i), 4)].join(" ");
		} catch (e:Dynamic) {
			"throws " + e;
		}
	}

	static function main() {
		for (s in ["a b&c=d/é?", "AZaz09_-.~!*'()", "日😀", "éあ😂", "😀😀x", ""])
			trace(StringTools.urlEncode(s), StringTools.urlDecode(StringTools.urlEncode(s)) == s);
		var pair = "😀";
		var hi = pair.substr(0, 1), lo = pair.substr(1, 1);
		trace(StringTools.urlEncode(hi + "A"), StringTools.urlEncode(hi), StringTools.urlEncode(lo), StringTools.urlEncode(lo + hi));
		for (s in ["a%20b%26c+d%C3%A9", "100%", "%zz%4", "%e6%97%a5", "%F0%9F%98%80", "%F0%9F%98", "%C3", "%C3x", "%E6%97",
			"%C3%zz", "%ED%A0%BD", "%F4%8F%BF%BF", "%F0%80%80%80"])
			trace(s, dec(s));
		var s = "éあ😂";
		var ser = haxe.Serializer.run(s);
		trace(ser, haxe.Unserializer.run(ser) == s);
		trace(haxe.Serializer.run("😂"), haxe.Unserializer.run("y12:%F0%9F%98%82") == "😂");
		trace(haxe.Serializer.run({k: "日😀"}));
	}
}
