// EReg corner cases: empty matches in global replace/split/map, anchors with matchSub,
// captures in split, unicode classes and case folding, backtracking, special characters.
class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function main() {
		p("replace empty pattern", ~/(?:)/g.replace("abc", "-"));
		p("replace a*", ~/a*/g.replace("baaac", "X"));
		p("replace a* start", ~/a*/g.replace("aab", "X"));
		p("split empty pattern", ~/(?:)/g.split("abc"));
		p("split a*", ~/a*/g.split("baaac"));
		p("split captures", ~/(,)/g.split("a,b,c"));
		p("map empty", ~/x*/g.map("ab", e -> "[" + e.matched(0) + "]"));
		p("map unicode", ~/./g.map("é😀a", e -> "<" + e.matched(0) + ">"));
		var r = ~/^a/;
		p("matchSub anchor at 0", r.matchSub("ba", 0));
		p("matchSub anchor at 1", r.matchSub("ba", 1));
		var r2 = ~/\bx/;
		p("matchSub word boundary", r2.matchSub("ax x", 1));
		p("case insensitive unicode", ~/É/i.match("é") + " " + ~/é/i.match("É"));
		p("unicode class w", ~/^\w+$/.match("日本") + " " + ~/^\w+$/u.match("日本"));
		p("dot emoji", ~/^.$/.match("😀") + " " + ~/^..$/.match("😀"));
		p("unicode escape", ~/\x{E9}/.match("é"));
		p("digit class", ~/^\d+$/.match("٣٤") + " " + ~/^\d+$/u.match("٣٤"));
		p("space class", ~/^\s+$/.match("\t\n \u00A0"));
		p("backtracking", ~/^(a+)+b$/.match("aaaaaaaaaaaaaaaaaaaab"));
		p("alternation order", {
			var e = ~/(a|ab)(c|bcd)/;
			e.match("abcd");
			e.matched(0) + " " + e.matched(1) + " " + e.matched(2);
		});
		p("non-greedy", {
			var e = ~/a.*?b/;
			e.match("aXbYb");
			e.matched(0);
		});
		p("lookbehind", ~/(?<=a)b/g.replace("ab cb ab", "X"));
		p("named group", {
			var e = ~/(?<year>\d{4})-(?<m>\d\d)/;
			e.match("on 2024-05");
			e.matched(1) + "/" + e.matched(2);
		});
		p("replace $ edge", ~/b/.replace("abc", "$") + " " + ~/(b)/.replace("abc", "$1$1$"));
		p("empty class", ~/a[]b/.match("ab") + " " + ~/a[^]b/.match("axb"));
		p("class with bracket", ~/[]a]/.match("]") + " " + ~/[]a]/.match("a"));
		p("\\u escape", ~/\u00e9/.match("é") + " " + ~/^\u0041$/.match("A"));
		p("\\x two digits", ~/\x41/.match("A") + " " + ~/\x4/.match("\x04") + " " + ~/\x{41}/.match("x{41}"));
		p("\\U", new EReg("\\U", "").match("U"));
		p("unset backref", ~/(a)?\1b/.match("b") + " " + ~/(a)?\1b/.match("aab"));
		p("multiline anchors", ~/^\w/gm.replace("ab\ncd\nef", "#"));
		p("dollar anchor", ~/c$/m.match("abc\nd") + " " + ~/c$/.match("abc\nd"));
		p("newline in class", ~/[^a]/.match("\n"));
		p("escape round trip", [for (s in ["a.b", "(x)", "[y]", "1+1", "a|b", "^$", "\\"]) new EReg("^" + EReg.escape(s) + "$", "").match(s)]);
		p("matchedPos after global", {
			var e = ~/o/g;
			var s = "foo boo";
			var out = [];
			var pos = 0;
			while (e.matchSub(s, pos)) {
				var mp = e.matchedPos();
				out.push(mp.pos);
				pos = mp.pos + mp.len;
			}
			out;
		});
		p("long input", ~/b+/.replace(StringTools.lpad("", "a", 5000) + "bbb" + StringTools.lpad("", "a", 5000), "X").length);
		for (bad in ["[", "(?", "*a", "a{2,1}", "\\"]) {
			try {
				new EReg(bad, "");
				p("bad " + bad, "compiled");
			} catch (e:Dynamic) {
				p("bad " + bad, Std.string(e));
			}
		}
		try {
			var e = ~/a/;
			e.match("a");
			p("matched out of range", e.matched(5));
		} catch (err:Dynamic) {
			p("matched out of range", err);
		}
		try {
			p("matched negative", ~/a/.matched(-1));
		} catch (err:Dynamic) {
			p("matched negative", err);
		}
	}
}
