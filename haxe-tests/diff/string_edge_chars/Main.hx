// Character-level edge cases: fromCharCode and StringBuf.addChar outside the valid range,
// NUL characters inside strings, map keys and bytes, charCodeAt on surrogates, case mapping
// of special letters, comparisons across planes.
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
		for (c in [0, 1, 0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x10FFFF, 0x110000, -1, 0xD800, 0xDFFF])
			attempt("fromCharCode " + c, () -> {
				var s = String.fromCharCode(c);
				s.length + " " + [for (i in 0...s.length) s.charCodeAt(i)];
			});
		for (c in [0x41, 0xE9, 0x1F600, 0x110000, -5])
			attempt("addChar " + c, () -> {
				var b = new StringBuf();
				b.addChar(c);
				var s = b.toString();
				s.length + " " + [for (i in 0...s.length) s.charCodeAt(i)];
			});
		var withNul = "a" + String.fromCharCode(0) + "b";
		p("nul length", withNul.length);
		p("nul codes", [for (i in 0...withNul.length) withNul.charCodeAt(i)]);
		p("nul indexOf b", withNul.indexOf("b"));
		p("nul split", withNul.split(String.fromCharCode(0)));
		p("nul bytes", haxe.io.Bytes.ofString(withNul).toHex());
		var m = new Map<String, Int>();
		m.set(withNul, 1);
		p("nul key exists a", m.exists("a"));
		p("nul key exists full", m.exists(withNul));
		p("nul upper", withNul.toUpperCase().length);
		p("nul == a", withNul == "a");
		p("nul compare", Reflect.compare(withNul, "a"));
		var pair = "😀";
		p("surrogate codes", pair.charCodeAt(0) + " " + pair.charCodeAt(1));
		p("compare planes", ("\uFFFF" < pair) + " " + ("\uE000" < pair) + " " + Reflect.compare("\uFFFF", pair));
		for (s in ["ǆ", "ǅ", "Ǆ", "ß", "ŉ", "µ", "ſ", "ı", "İ", "ÿ", "Ÿ", "ﬀ", "Ω", "ω", "𐐀", "𐐨"])
			p("case " + s, s.toUpperCase() + " " + s.toLowerCase());
		p("trim unicode spaces", "[" + StringTools.trim("\u00A0\u2003x\u3000") + "]");
		p("isSpace unicode", StringTools.isSpace("\u00A0", 0));
		p("lpad emoji", StringTools.lpad("x", "😀", 5));
		p("substr of pair", "a😀b".substr(1, 1).length + " " + "a😀b".substr(1, 2));
		p("replace in pair", StringTools.replace("😀😀", "😀".substr(1, 1), "X").length);
		p("urlEncode nul", StringTools.urlEncode(withNul));
		p("htmlEscape nul", StringTools.htmlEscape(withNul).length);
	}
}
