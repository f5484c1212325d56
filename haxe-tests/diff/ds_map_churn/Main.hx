// String and Int maps under churn: interleaved inserts and removals across growth
// steps, clear and refill, re-inserting removed keys, copies; iteration order printed
// at every step (HashLink's bucket order).
class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function main() {
		var im = new Map<Int, Int>();
		var seed = 12345;
		function next() {
			seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF;
			return seed;
		}
		for (round in 0...12) {
			for (i in 0...(round * 7 + 3))
				im.set(next() % 500 - 100, round);
			var removed = 0;
			for (k in [for (k in im.keys()) k])
				if (next() % 3 == 0) {
					im.remove(k);
					removed++;
				}
			p("int round " + round, [for (k in im.keys()) k].join(","));
		}
		im.clear();
		for (i in 0...20)
			im.set(i * 37, i);
		p("int after clear", [for (k in im.keys()) k].join(","));
		var cp = im.copy();
		cp.remove(37);
		cp.set(1000, 0);
		p("int copy", [for (k in cp.keys()) k].join(","));

		var sm = new Map<String, Int>();
		var words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea commodo consequat duis aute irure in reprehenderit voluptate velit esse cillum fugiat nulla pariatur excepteur sint occaecat cupidatat non proident sunt culpa qui officia deserunt mollit anim id est laborum".split(" ");
		for (round in 0...10) {
			for (i in 0...(round * 5 + 4)) {
				var w = words[next() % words.length] + (next() % 4);
				sm.set(w, i);
			}
			for (k in [for (k in sm.keys()) k])
				if (next() % 4 == 0)
					sm.remove(k);
			p("string round " + round, [for (k in sm.keys()) k].join(","));
		}
		for (w in words)
			sm.set(w.toUpperCase(), 0);
		p("string upper", [for (k in sm.keys()) k].join(","));
		sm.clear();
		for (w in words.slice(0, 10))
			sm.set(w, 1);
		for (w in words.slice(0, 10))
			sm.remove(w);
		for (w in words.slice(5, 15))
			sm.set(w, 2);
		p("string refill", [for (k in sm.keys()) k].join(","));
		p("string values", [for (v in sm) v].join(","));
	}
}
