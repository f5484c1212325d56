// haxe.ds.IntMap: iteration order, negative and huge keys, removal, growth, copy, toString.
class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function main() {
		var m = new haxe.ds.IntMap<String>();
		for (k in [5, -1, 0, 2147483647, -2147483648, 100, 42, 7, 1 << 20, 3])
			m.set(k, "v" + k);
		p("get 5", m.get(5));
		p("get missing", m.get(6));
		p("exists 0", m.exists(0));
		p("keys", [for (k in m.keys()) k]);
		p("values", [for (v in m) v]);
		p("kv", [for (k => v in m) k + ":" + v]);
		p("toString", m.toString());
		p("remove 42", m.remove(42));
		p("remove 42 again", m.remove(42));
		p("keys after remove", [for (k in m.keys()) k]);
		var c = m.copy();
		c.set(999, "new");
		p("copy", c.toString());
		p("orig", m.toString());
		m.clear();
		p("clear", m.toString());

		var big = new Map<Int, Int>();
		for (i in 0...300)
			big.set(i * 7919 % 1000, i);
		var ks = [for (k in big.keys()) k];
		p("big count", ks.length);
		p("big order", ks.join(","));
		for (i in 0...1000)
			if (i % 2 == 0)
				big.remove(i);
		p("big after remove", [for (k in big.keys()) k].join(","));
		for (i in 0...50)
			big.set(-i, i);
		p("big negatives", [for (k in big.keys()) k].join(","));
		var lit = [3 => "c", 1 => "a", 2 => "b"];
		p("literal", lit);
		var fm = new Map<Int, Float>();
		fm.set(1, 1.5);
		fm.set(2, -0.0);
		p("float values", fm);
		var bm = new Map<Int, Bool>();
		bm.set(1, true);
		bm.set(2, false);
		p("bool values", bm);
		p("bool missing", bm.get(3));
	}
}
