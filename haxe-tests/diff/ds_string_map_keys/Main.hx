// String map keys are the strings' own bytes, as in HashLink (its table keeps the key's
// pointer): keys built at run time and dropped by the program stay readable through the
// map across collections; a key's text ends at its first NUL character; keys set from
// substrings, concatenations and StringBuf results; remove, re-set and iterate after
// collections.
class Main {
	static function show(label:String, m:Map<String, Int>) {
		var ks = [for (k in m.keys()) k + "(" + k.length + ")=" + m.get(k)];
		Sys.println(label + ": " + ks.join(","));
	}

	static function build(n:Int):Map<String, Int> {
		var m = new Map<String, Int>();
		for (i in 0...n) {
			var b = new StringBuf();
			b.add("key");
			b.add(i * 7919 % 1000);
			m.set(b.toString(), i);
		}
		return m;
	}

	static function main() {
		var m = build(40);
		// Garbage to collect, and collections, while the map alone holds its keys.
		for (round in 0...5) {
			var junk = [for (i in 0...20000) "junk" + i];
			hl.Gc.major();
			Sys.println("round " + round + " " + junk.length + " " + m.get("key" + (round * 7919 % 1000)));
		}
		show("built", m);
		var total = 0;
		for (k in m.keys())
			total += m.get(k) + k.length;
		Sys.println("total " + total);

		// NUL inside a key: the text stops there.
		var nul = String.fromCharCode(0);
		var z = new Map<String, Int>();
		z.set("ab" + nul + "cd", 1);
		z.set("ab" + nul + "xy", 2);
		z.set("ab", 3);
		z.set(nul + "lead", 4);
		z.set("", 5);
		show("nul", z);
		Sys.println("get ab = " + z.get("ab") + ", exists ab\\0zz = " + z.exists("ab" + nul + "zz") + ", get empty = " + z.get(""));

		// Substrings and concatenations as keys; the same text through different strings.
		var s = "alpha-beta-gamma-delta";
		var parts = new Map<String, Int>();
		for (i in 0...s.length - 4)
			parts.set(s.substr(i, 5), i);
		parts.set("alpha", 100);
		parts.set("al" + "pha", 200);
		show("parts", parts);
		Sys.println("removed beta = " + parts.remove("beta-") + ", again = " + parts.remove("beta-"));
		for (i in 0...3)
			hl.Gc.major();
		parts.set("beta-", 7);
		show("parts after", parts);

		// Copy, clear, refill after collections.
		var c = m.copy();
		m.clear();
		hl.Gc.major();
		Sys.println("copy size " + Lambda.count(c) + ", cleared size " + Lambda.count(m));
		for (k in c.keys())
			if (c.get(k) % 3 == 0)
				m.set(k.toUpperCase(), c.get(k));
		show("refilled", m);
		Sys.println(c.toString().length);
	}
}
