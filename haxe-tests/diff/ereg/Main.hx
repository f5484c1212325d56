// EReg: matching, groups, positions, matchSub, split, replace, map, escape, options.
class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function groups(r:EReg, n:Int) {
		var out = [];
		for (i in 0...n) {
			try {
				out.push(r.matched(i));
			} catch (e:Dynamic) {
				out.push("<err " + e + ">");
			}
		}
		return out;
	}

	static function main() {
		var r = ~/(\d+)-(\d+)/;
		p("match", r.match("tel 123-4567 and 89-10"));
		p("groups", groups(r, 4));
		p("left", r.matchedLeft());
		p("right", r.matchedRight());
		p("pos", r.matchedPos());
		p("matchSub", r.matchSub("tel 123-4567 and 89-10", 8));
		p("groups sub", groups(r, 3));
		p("pos sub", r.matchedPos());
		p("left sub", r.matchedLeft());
		p("matchSub len", r.matchSub("1-2 3-4 5-6", 2, 5));
		p("groups len", groups(r, 3));
		p("no match", r.match("nothing"));

		var opt = ~/(a)?(b)/;
		p("optional group", opt.match("b"));
		p("optional groups", groups(opt, 3));

		p("case i", ~/HELLO/i.match("say hello"));
		p("case", ~/HELLO/.match("say hello"));
		var m = ~/^b/m;
		p("multiline", m.match("a\nb"));
		p("not multiline", ~/^b/.match("a\nb"));
		p("dot newline", ~/a.b/.match("a\nb"));
		p("dot newline s", ~/a.b/s.match("a\nb"));

		p("split", ~/[,;]\s*/g.split("a, b;c,,d"));
		p("split no g", ~/,/.split("a,b,c"));
		p("split empty", ~/,/g.split(""));
		p("split all", ~/x/g.split("xxx"));
		p("split none", ~/z/g.split("abc"));
		p("replace", ~/o/.replace("foo boo", "0"));
		p("replace g", ~/o/g.replace("foo boo", "0"));
		p("replace groups", ~/(\w+)@(\w+)/g.replace("me@home you@work", "$2 at $1"));
		p("replace dollar", ~/a/g.replace("banana", "$$"));
		p("replace $0", ~/an/g.replace("banana", "[$0]"));
		p("replace empty match", ~/x*/g.replace("abc", "-"));
		p("map", ~/\d+/g.map("a1b22c333", function(e) return "<" + Std.parseInt(e.matched(0)) * 2 + ">"));
		p("map pos", ~/b/g.map("abcabc", function(e) return Std.string(e.matchedPos().pos)));
		p("escape", EReg.escape("a.b*c?d+e(f)[g]{h}|i^j$k\\l/m"));
		p("escaped works", new EReg(EReg.escape("1+1=2?"), "").match("is 1+1=2?"));

		// unicode
		var u = ~/é+/;
		p("unicode match", u.match("caféé!"));
		p("unicode pos", u.matchedPos());
		p("unicode left", u.matchedLeft());
		p("unicode right", u.matchedRight());
		var emo = ~/😀(.)/;
		p("emoji match", emo.match("x😀y😀z"));
		p("emoji group", emo.matched(1));
		p("emoji pos", emo.matchedPos());
		p("u class", ~/^\w+$/u.match("héllo"));
		p("no u class", ~/^\w+$/.match("héllo"));

		// greedy / lazy, anchors, backrefs, alternation
		var g = ~/<(.+)>/;
		g.match("<a><b>");
		p("greedy", g.matched(1));
		var l = ~/<(.+?)>/;
		l.match("<a><b>");
		p("lazy", l.matched(1));
		p("backref", ~/(\w)\1/.match("abccd"));
		p("alternation", ~/cat|dog/g.replace("cat dog bird", "pet"));
		p("word boundary", ~/\bis\b/g.replace("this is it", "IS"));
		p("lookahead", ~/a(?=b)/g.replace("ab ac ab", "X"));
		p("named class", ~/[[:digit:]]+/.match("x42"));
		p("hex escape", ~/\x41/.match("A"));
		var big = new EReg("(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)", "");
		p("many groups", big.match("abcdefghijk"));
		p("group 11", big.matched(11));
		p("global match loop", {
			var rr = ~/\d/g;
			var s = "a1b2c3";
			var found = [];
			var pos = 0;
			while (rr.matchSub(s, pos)) {
				var mp = rr.matchedPos();
				found.push(rr.matched(0));
				pos = mp.pos + mp.len;
			}
			found;
		});
		try {
			new EReg("(unclosed", "");
			p("bad regex", "compiled");
		} catch (e:Dynamic) {
			p("bad regex", e);
		}
		try {
			var rr = ~/a/;
			rr.match("b");
			p("matched after fail", rr.matched(0));
		} catch (e:Dynamic) {
			p("matched after fail", e);
		}
	}
}
