// haxe.ds.ObjectMap and EnumValueMap: identity keys, removal, copy; output sorted where
// the reference order depends on addresses.
class Key {
	public var id:Int;

	public function new(id) this.id = id;

	public function toString() return "K" + id;
}

enum Ev {
	E1;
	E2(i:Int);
	E3(s:String, e:Ev);
}

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function sortedStrings(a:Array<String>) {
		a.sort(Reflect.compare);
		return a;
	}

	static function main() {
		var keys = [for (i in 0...20) new Key(i)];
		var m = new haxe.ds.ObjectMap<Key, Int>();
		for (k in keys)
			m.set(k, k.id * 10);
		p("get 3", m.get(keys[3]));
		p("get other", m.get(new Key(3)));
		p("exists", m.exists(keys[5]));
		p("exists other", m.exists(new Key(5)));
		p("keys sorted", sortedStrings([for (k in m.keys()) k.toString()]));
		var sum = 0;
		for (v in m)
			sum += v;
		p("values sum", sum);
		p("remove", m.remove(keys[0]));
		p("remove again", m.remove(keys[0]));
		p("count", [for (k in m.keys()) k].length);
		var c = m.copy();
		c.remove(keys[1]);
		p("copy count", [for (k in c.keys()) k].length);
		p("orig count", [for (k in m.keys()) k].length);
		m.clear();
		p("cleared", m.toString());
		var one = new haxe.ds.ObjectMap<Key, String>();
		one.set(keys[7], "seven");
		p("toString one", one.toString());

		var am = new Map<Array<Int>, String>();
		var a1 = [1], a2 = [1];
		am.set(a1, "a1");
		am.set(a2, "a2");
		p("array keys distinct", am.get(a1) + " " + am.get(a2));

		// EnumValueMap: ordered by comparison of enum values (a BalancedTree)
		var em = new haxe.ds.EnumValueMap<Ev, String>();
		em.set(E2(5), "e2-5");
		em.set(E1, "e1");
		em.set(E3("b", E1), "e3b");
		em.set(E2(-1), "e2-1");
		em.set(E3("a", E2(2)), "e3a");
		em.set(E3("a", E1), "e3a1");
		em.set(E2(5), "e2-5 again");
		p("enum map", em.toString());
		p("enum keys", [for (k in em.keys()) k]);
		p("enum get", em.get(E2(5)));
		p("enum get structural", em.get(E3("a", E2(2))));
		p("enum exists", em.exists(E2(6)));
		p("enum remove", em.remove(E1));
		p("enum after remove", em.toString());
		var gm:Map<Ev, Int> = [E1 => 1, E2(0) => 2];
		p("Map<Enum>", gm);
		p("copy", em.copy().toString());
	}
}
