// ObjectMap keys reached through interfaces and Dynamic: one object is one key however it
// is typed (HashLink keys a virtual by the object it views). Expected output recorded on
// HashLink 1.17.
interface IKey { function id():Int; }
class K implements IKey { var n:Int; public function new(n) this.n = n; public function id() return n; public function toString() return "K" + n; }
class Main {
	static function main() {
		var a = new K(1), b = new K(2);
		var ia:IKey = a, ib:IKey = b;
		var m = new haxe.ds.ObjectMap<IKey, String>();
		m.set(ia, "ia");
		m.set(b, "b");
		trace(m.get(a), m.get(ia), m.get(ib), m.get(b), m.exists(a), m.exists(new K(1)));
		var d:Dynamic = a;
		trace(m.get(d), m.exists(d));
		var m2 = new haxe.ds.ObjectMap<Dynamic, Int>();
		m2.set(d, 1);
		m2.set(ia, 2);
		m2.set(a, 3);
		var n = 0; for (k in m2.keys()) n++;
		trace(n, m2.get(a), m2.get(ia), m2.get(d));
		var o = {x: 1};
		var od:Dynamic = o;
		var ov:{x:Int} = o;
		m2.set(o, 10);
		trace(m2.get(od), m2.get(ov), m2.exists({x: 1}));
		trace(m2.remove(ia), m2.exists(a), m2.remove(od), m2.exists(o));
		var m3:Map<IKey, Int> = [ia => 1, ib => 2];
		trace(m3.get(a), m3.get(b), [for (k in m3.keys()) k.id()].length);
		var em = new haxe.ds.EnumValueMap<haxe.ds.Option<Int>, Int>();
		em.set(Some(1), 1); em.set(None, 2); em.set(Some(1), 3);
		trace(em.get(Some(1)), em.get(None), [for (k in em.keys()) k].length);
	}
}
