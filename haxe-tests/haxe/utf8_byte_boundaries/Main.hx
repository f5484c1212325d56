// Bytes <-> String UTF-8 conversion cut at every byte boundary, malformed and overlong
// sequences, BytesBuffer/BytesOutput/BytesInput, Base64. Expected output recorded on
// HashLink 1.17.
class Main {
	static function codes(s:String) return s == null ? "null" : [for (i in 0...s.length) StringTools.hex(StringTools.fastCodeAt(s, i))].join(" ");
	static function main() {
		var samples = ["", "a", "é", "€", "😀", "a😀b", "日本語", "\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}"];
		for (s in samples) {
			var b = haxe.io.Bytes.ofString(s);
			var parts = [];
			for (i in 0...b.length + 1) for (j in i...b.length + 1) parts.push(codes(b.getString(i, j - i)));
			trace(b.toHex(), parts.join("|"));
		}
		for (hex in ["c3", "e282", "f09f98", "80", "bf41", "c041", "e08080", "eda080", "f4908080", "f8", "ff41", "c3a9c3", "41f09f9880"]) {
			var b = haxe.io.Bytes.ofHex(hex);
			trace(hex, codes(b.toString()), codes(b.getString(0, b.length)));
		}
		var bb = new haxe.io.BytesBuffer();
		bb.addString("x😀é");
		trace(bb.getBytes().toHex());
		trace(codes(haxe.io.Bytes.ofString("😀").getString(1, 3)));
		var o = new haxe.io.BytesOutput(); o.writeString("aé😀"); trace(o.getBytes().toHex());
		var i = new haxe.io.BytesInput(haxe.io.Bytes.ofHex("61c3a9f09f988041")); trace(codes(i.readString(3)), codes(i.readString(5)));
		trace(haxe.crypto.Base64.encode(haxe.io.Bytes.ofString("é😀")), codes(haxe.crypto.Base64.decode("w6nwn5iA").toString()));
		trace(new UnicodeString("a😀é").length, ("a😀é" : String).length, haxe.Utf8.length("a😀é"));
	}
}
