// StringTools: every function, with empty, non-ASCII and surrogate-pair strings.
using StringTools;

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function q(s:String) return "[" + s + "]";

	static function main() {
		var samples = ["", "abc", "  padded  ", "\t\n x \r\n", "héllo wörld", "日本語テキスト", "a😀b", "<a href=\"x\">&amp;'</a>", "100%", "a+b c/d?e=f&g"];
		for (s in samples) {
			p("trim " + q(s), q(s.trim()));
			p("ltrim " + q(s), q(s.ltrim()));
			p("rtrim " + q(s), q(s.rtrim()));
			p("htmlEscape " + q(s), s.htmlEscape());
			p("htmlEscape quotes " + q(s), s.htmlEscape(true));
			p("urlEncode " + q(s), s.urlEncode());
			p("urlDecode(urlEncode) " + q(s), s.urlEncode().urlDecode());
			p("isSpace0 " + q(s), s.isSpace(0));
			p("lpad " + q(s), s.lpad("*", 12));
			p("rpad " + q(s), s.rpad("-=", 13));
			p("replace " + q(s), s.replace("l", "L"));
			p("contains " + q(s), s.contains("l"));
			p("startsWith " + q(s), s.startsWith("a"));
			p("endsWith " + q(s), s.endsWith("b"));
		}
		p("htmlUnescape", "&lt;b&gt; &amp;amp; &quot;x&quot; &#039;y&#039; &#39; &nbsp;".htmlUnescape());
		p("urlDecode plus", "a+b%20c%2Bd".urlDecode());
		p("urlDecode bad", "%zz%4".urlDecode());
		p("urlDecode utf8", "%C3%A9%E6%97%A5".urlDecode());
		p("replace empty sub", "abc".replace("", "-"));
		p("replace all", "aaaa".replace("aa", "b"));
		p("replace nothing", "abc".replace("x", "y"));
		p("startsWith empty", "abc".startsWith(""));
		p("endsWith empty", "abc".endsWith(""));
		p("endsWith whole", "abc".endsWith("abc"));
		p("endsWith longer", "bc".endsWith("abc"));
		p("lpad empty pad", "x".lpad("", 5));
		p("lpad shorter", "abcdef".lpad("0", 3));
		p("rpad multi", "x".rpad("ab", 6));
		for (n in [0, 1, 15, 16, 255, 256, 65535, -1, -255, 0x7FFFFFFF, 0x80000000])
			p("hex " + n, n.hex());
		p("hex digits", 10.hex(8));
		p("hex digits small", 0x12345.hex(2));
		p("fastCodeAt", "abc".fastCodeAt(1));
		p("fastCodeAt end", "abc".fastCodeAt(3));
		p("unsafeCodeAt", "héllo".unsafeCodeAt(1));
		p("isEof", StringTools.isEof("abc".fastCodeAt(3)));
		p("isEof 0", StringTools.isEof(0));
		p("quoteUnixArg", haxe.SysTools.quoteUnixArg("it's a test"));
		p("quoteUnixArg plain", haxe.SysTools.quoteUnixArg("plain"));
		p("quoteUnixArg empty", haxe.SysTools.quoteUnixArg(""));
		p("quoteWinArg", haxe.SysTools.quoteWinArg("a b\"c", true));
		p("quoteWinArg plain", haxe.SysTools.quoteWinArg("abc", false));
		var codes = [];
		for (c in "a😀é".iterator())
			codes.push(c);
		p("iterator", codes);
		var kv = [];
		for (i => c in "x😀y".keyValueIterator())
			kv.push(i + ":" + c);
		p("keyValueIterator", kv);
		for (i in 0...8)
			p("isSpace '\t\n\r x' " + i, "\t\n\r x\x0B\x0C ".isSpace(i));
	}
}
