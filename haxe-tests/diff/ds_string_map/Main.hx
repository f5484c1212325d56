// haxe.ds.StringMap: insertion, iteration order (HashLink's hash table order), removal,
// copy, clear, keyValueIterator, toString, unicode and empty keys, growth.
class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function main() {
		var m = new haxe.ds.StringMap<Int>();
		for (k in ["one", "two", "three", "four", "", "é", "日本", "a😀", "ONE", "one "])
			m.set(k, k.length);
		p("get one", m.get("one"));
		p("get missing", m.get("missing"));
		p("exists empty", m.exists(""));
		p("exists missing", m.exists("nope"));
		p("keys", [for (k in m.keys()) k]);
		p("values", [for (v in m) v]);
		p("kv", [for (k => v in m) k + "=" + v]);
		p("toString", m.toString());
		p("remove two", m.remove("two"));
		p("remove two again", m.remove("two"));
		p("keys after remove", [for (k in m.keys()) k]);
		m.set("one", 100);
		p("overwrite", m.get("one"));
		var c = m.copy();
		c.set("copy", 1);
		p("copy has copy", c.exists("copy"));
		p("orig has copy", m.exists("copy"));
		p("copy keys", [for (k in c.keys()) k]);
		m.clear();
		p("after clear", m.toString());
		p("after clear keys", [for (k in m.keys()) k]);

		// growth and order with many keys
		var big = new Map<String, Int>();
		for (i in 0...200)
			big.set("key" + i, i);
		var ks = [for (k in big.keys()) k];
		p("big count", ks.length);
		p("big order", ks.join(","));
		for (i in 0...200)
			if (i % 3 == 0)
				big.remove("key" + i);
		p("big after remove", [for (k in big.keys()) k].join(","));
		var sum = 0;
		for (v in big)
			sum += v;
		p("big sum", sum);

		// Map literal and generic Map<String,...>
		var lit = ["z" => 1, "a" => 2, "m" => 3];
		p("literal", lit);
		p("literal keys", [for (k in lit.keys()) k]);
		var nested = ["x" => [1, 2], "y" => []];
		p("nested", nested);
		var dm:Map<String, Dynamic> = ["n" => null, "s" => "str", "f" => 1.5];
		p("dynamic values", dm);
		p("null value exists", dm.exists("n"));
		p("null value get", dm.get("n"));
		var it = lit.keyValueIterator();
		p("kv hasNext", it.hasNext());
		var first = it.next();
		p("kv first", first.key + "=" + first.value);
	}
}
