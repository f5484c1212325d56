// Smaller std modules: haxe.ds.HashMap, haxe.Rest, haxe.DynamicAccess, ReadOnlyArray,
// haxe.Resource, haxe.PosInfos, haxe.Constraints.IMap, haxe.ds.ListSort, Std.random(1),
// haxe.Ucs2-free string helpers, haxe.io.Mime, haxe.ds.Either.
import haxe.ds.HashMap;
import haxe.ds.Either;

class Key {
	public var a:Int;
	public var b:String;

	public function new(a, b) {
		this.a = a;
		this.b = b;
	}

	public function hashCode():Int return a * 31 + b.length;

	public function toString() return 'Key($a,$b)';
}

class Node {
	public var v:Int;
	public var prev:Node;
	public var next:Node;

	public function new(v) this.v = v;
}

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function sum(...values:Int) {
		var t = 0;
		for (v in values)
			t += v;
		return t + " of " + values.length + " " + values.toArray();
	}

	static function pos(?info:haxe.PosInfos) return info.fileName + ":" + info.lineNumber + " " + info.className + "." + info.methodName;

	static function main() {
		var hm = new HashMap<Key, String>();
		var k1 = new Key(1, "x");
		hm.set(k1, "one");
		hm.set(new Key(2, "yy"), "two");
		hm.set(new Key(1, "x"), "one again");
		p("HashMap get", hm.get(k1));
		p("HashMap exists", hm.exists(new Key(2, "yy")) + " " + hm.exists(new Key(3, "z")));
		var keys = [for (k in hm.keys()) k.toString()];
		keys.sort(Reflect.compare);
		p("HashMap keys", keys);
		p("HashMap remove", hm.remove(new Key(2, "yy")));
		var vals = [for (v in hm) v];
		vals.sort(Reflect.compare);
		p("HashMap values", vals);

		p("rest none", sum());
		p("rest some", sum(1, 2, 3));
		p("rest spread", sum(...[4, 5]));

		var da:haxe.DynamicAccess<Int> = {};
		da.set("a", 1);
		da["b"] = 2;
		p("DynamicAccess", da.get("a") + " " + da["b"] + " " + da.exists("c") + " " + da.keys() + " " + da.remove("a") + " " + da.keys());
		p("DynamicAccess copy", da.copy());

		var ro:haxe.ds.ReadOnlyArray<Int> = [3, 1, 2];
		p("ReadOnlyArray", ro + " " + ro.length + " " + ro[1] + " " + ro.indexOf(2));

		p("Resource names", haxe.Resource.listNames());
		p("Resource string", haxe.Resource.getString("greeting"));
		p("Resource bytes", haxe.Resource.getBytes("greeting").length);
		p("Resource missing", haxe.Resource.getString("nope"));

		p("PosInfos", pos());

		var n1 = new Node(3), n2 = new Node(1), n3 = new Node(2);
		n1.next = n2;
		n2.prev = n1;
		n2.next = n3;
		n3.prev = n2;
		var head = haxe.ds.ListSort.sort(n1, (a, b) -> a.v - b.v);
		var order = [];
		while (head != null) {
			order.push(head.v);
			head = head.next;
		}
		p("ListSort", order);

		var e1:Either<Int, String> = Left(1);
		var e2:Either<Int, String> = Right("r");
		p("Either", [e1, e2]);

		p("Std.random(1)", [for (i in 0...5) Std.random(1)]);
		var im:haxe.Constraints.IMap<String, Int> = new haxe.ds.StringMap();
		im.set("k", 1);
		p("IMap", im.get("k") + " " + im.exists("k"));
		var fn = Reflect.makeVarArgs(a -> a.length);
		p("bind", (function(a:Int, b:Int) return a - b).bind(10)(3));
		p("bind placeholder", (function(a:Int, b:Int) return a - b).bind(_, 10)(3));
		var arr = [1, 2, 3];
		p("inline for", [for (i in 0...arr.length) arr[i] * i]);
		p("while/do", {
			var i = 0;
			do
				i += 3
			while (i < 10);
			i;
		});
		p("ternary chain", [for (i in 0...4) i == 0 ? "zero" : i == 1 ? "one" : "many"]);
		p("int iterator step", [for (i in new IntIterator(2, 5)) i]);
	}
}
