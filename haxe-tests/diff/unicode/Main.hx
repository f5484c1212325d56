// Unicode: UTF-16 strings with surrogate pairs, haxe.Utf8 (deprecated), UnicodeString,
// haxe.iterators, String methods on non-ASCII text, case mapping, code points.
import haxe.iterators.StringIterator;
import haxe.iterators.StringIteratorUnicode;
import haxe.iterators.StringKeyValueIterator;
import haxe.iterators.StringKeyValueIteratorUnicode;

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function main() {
		var samples = ["", "abc", "héllo", "日本語", "a😀b", "😀😁😂", "Ω≈ç√", "ﬃ", "İı", "ß", "ǅ", "\u00A0x\u2003"];
		for (s in samples) {
			p("[" + s + "]", "length " + s.length + " upper " + s.toUpperCase() + " lower " + s.toLowerCase() + " codes "
				+ [for (i in 0...s.length) s.charCodeAt(i)]);
			var u:UnicodeString = s;
			p("  UnicodeString", "length " + u.length + " codes " + [for (i in 0...u.length) u.charCodeAt(i)] + " chars "
				+ [for (i in 0...u.length) u.charAt(i)]);
			p("  unicode iter", [for (c in new StringIteratorUnicode(s)) c]);
			p("  unicode kv", [for (k => c in new StringKeyValueIteratorUnicode(s)) k + ":" + c]);
			p("  plain iter", [for (c in new StringIterator(s)) c]);
			p("  plain kv", [for (k => c in new StringKeyValueIterator(s)) k + ":" + c]);
			p("  bytes", haxe.io.Bytes.ofString(s).toHex());
		}
		var s = "a😀b😁c";
		p("charAt surrogate", [for (i in 0...s.length) s.charAt(i).length]);
		p("substr", s.substr(1, 2) + " " + s.substr(1, 2).length);
		p("substring", s.substring(2, 4));
		p("lone high then char", s.substring(1, 2) + "x");
		p("lone low then char", s.substring(2, 3) + "y");
		p("lone surrogates nested", [s.substring(1, 2) + "x", s.substring(2, 3) + "y"]);
		p("lone surrogate in field", {f: s.substring(1, 2) + "z"});
		p("indexOf", s.indexOf("b") + " " + s.indexOf("😁") + " " + s.lastIndexOf("😀"));
		p("split emoji", s.split("😀"));
		p("split empty", s.split("").length);
		p("fromCharCode astral", String.fromCharCode(0x1F600) + " " + String.fromCharCode(0x1F600).length);
		p("fromCharCode bmp", String.fromCharCode(0xE9));
		try {
			p("fromCharCode surrogates", (String.fromCharCode(0xD83D) + String.fromCharCode(0xDE00)) == "😀");
		} catch (e:Dynamic) {
			p("fromCharCode surrogates", "error " + e);
		}
		var u:UnicodeString = "x😀y";
		p("UnicodeString indexOf", u.indexOf("y") + " " + u.lastIndexOf("😀"));
		p("UnicodeString substr", u.substr(1, 1) + " " + u.substring(1, 3));
		p("UnicodeString split", u.split("😀"));
		p("UnicodeString validate", UnicodeString.validate(haxe.io.Bytes.ofString("ok😀"), UTF8));
		var bad = haxe.io.Bytes.ofHex("61ff62");
		p("UnicodeString validate bad", UnicodeString.validate(bad, UTF8));
		p("fromCharCode upper", String.fromCharCode(0x10FFFF).length);
		p("compare", ["b", "a", "é", "e", "😀", "\uFFFF", "z"].map(x -> x.charCodeAt(0)));
		var arr = ["é", "e", "😀", "\uFFFF", "z", "E", ""];
		arr.sort(Reflect.compare);
		p("sorted", arr);
		p("concat", "é" + "😀" + 1 + true + null);
		p("StringBuf", {
			var b = new StringBuf();
			b.add("é");
			b.addChar(0x1F600);
			b.addChar(0xE9);
			b.addSub("日本語テキスト", 2, 3);
			b.toString();
		});
		p("urlEncode", StringTools.urlEncode("é😀"));
		p("htmlEscape", StringTools.htmlEscape("é<😀>"));
		try p("utf8 encode", haxe.Utf8.encode("é")) catch (e:Dynamic) p("utf8 encode", "error " + e);
		try p("utf8 length", haxe.Utf8.length("h😀é")) catch (e:Dynamic) p("utf8 length", "error " + e);
		try p("utf8 sub", haxe.Utf8.sub("h😀é!", 1, 2)) catch (e:Dynamic) p("utf8 sub", "error " + e);
		p("utf8 charCodeAt", haxe.Utf8.charCodeAt("h😀é", 1));
		try p("utf8 validate", haxe.Utf8.validate("ok")) catch (e:Dynamic) p("utf8 validate", "error " + e);
		try p("utf8 compare", haxe.Utf8.compare("a", "b")) catch (e:Dynamic) p("utf8 compare", "error " + e);
		try {
			var buf = new haxe.Utf8();
			buf.addChar(0x41);
			buf.addChar(0xE9);
			p("utf8 buffer", buf.toString());
		} catch (e:Dynamic) {
			p("utf8 buffer", "error " + e);
		}
		try {
			var codes = [];
			haxe.Utf8.iter("a😀", c -> codes.push(c));
			p("utf8 iter", codes);
		} catch (e:Dynamic) {
			p("utf8 iter", "error " + e);
		}
	}
}
