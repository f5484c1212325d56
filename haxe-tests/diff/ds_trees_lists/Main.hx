// haxe.ds.BalancedTree, List, GenericStack, haxe.ds.Option, Lambda over them.
import haxe.ds.BalancedTree;
import haxe.ds.GenericStack;
import haxe.ds.Option;

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function main() {
		var t = new BalancedTree<String, Int>();
		for (w in "the quick brown fox jumps over the lazy dog".split(" "))
			t.set(w, w.length);
		p("tree", t.toString());
		p("keys", [for (k in t.keys()) k]);
		p("values", [for (v in t) v]);
		p("get fox", t.get("fox"));
		p("get cat", t.get("cat"));
		p("exists dog", t.exists("dog"));
		p("remove the", t.remove("the"));
		p("remove the again", t.remove("the"));
		p("after remove", t.toString());
		var c = t.copy();
		c.set("zebra", 5);
		p("copy", c.toString());
		p("orig", t.toString());
		p("kv", [for (k => v in t) k + v]);
		t.clear();
		p("cleared", t.toString());
		var it = new BalancedTree<Int, String>();
		for (i in [50, 20, 80, 10, 30, 70, 90, 25, 35, 5])
			it.set(i, "n" + i);
		for (i in [20, 50, 5])
			it.remove(i);
		p("int tree", it.toString());

		var l = new List<Int>();
		p("empty list", l.toString());
		p("empty isEmpty", l.isEmpty());
		p("empty first", l.first());
		p("empty pop", l.pop());
		for (i in 0...6)
			l.add(i);
		l.push(-1);
		p("list", l.toString());
		p("length", l.length);
		p("first", l.first());
		p("last", l.last());
		p("pop", l.pop());
		p("remove 3", l.remove(3));
		p("remove 33", l.remove(33));
		p("after", l.toString());
		p("join", l.join("|"));
		p("filter", l.filter(i -> i % 2 == 0).toString());
		p("map", l.map(i -> "x" + i).toString());
		p("kv", [for (i => v in l) i + ":" + v]);
		l.clear();
		p("cleared", l.toString() + " " + l.length);

		var s = new GenericStack<String>();
		p("stack empty", s.isEmpty());
		p("stack first", s.first());
		s.add("a");
		s.add("b");
		s.add("c");
		p("stack", s.toString());
		p("stack first", s.first());
		p("stack pop", s.pop());
		p("stack remove a", s.remove("a"));
		p("stack", s.toString());
		p("stack iter", [for (x in s) x]);

		var o1:Option<Int> = Some(3);
		var o2:Option<Int> = None;
		p("options", [o1, o2]);
		p("option match", switch (o1) {
			case Some(v): v * 2;
			case None: -1;
		});

		// Lambda on several iterables
		var arr = [5, 3, 8, 1];
		p("array", Lambda.array(l));
		p("list of", Lambda.list(arr).toString());
		p("has", Lambda.has(arr, 8));
		p("exists", Lambda.exists(arr, x -> x > 7));
		p("foreach", Lambda.foreach(arr, x -> x > 0));
		p("count", Lambda.count(arr));
		p("count pred", Lambda.count(arr, x -> x > 2));
		p("empty", Lambda.empty([]));
		p("indexOf", Lambda.indexOf(arr, 8));
		p("find", Lambda.find(arr, x -> x < 4));
		p("findIndex", Lambda.findIndex(arr, x -> x < 4));
		p("fold", Lambda.fold(arr, (x, acc) -> acc + x, 100));
		p("map", Lambda.map(arr, x -> x * x));
		p("mapi", Lambda.mapi(arr, (i, x) -> i * x));
		p("flatten", Lambda.flatten([[1], [2, 3], []]));
		p("flatMap", Lambda.flatMap(arr, x -> [x, x]));
		p("concat", Lambda.concat(arr, [0]));
		p("filter", Lambda.filter(arr, x -> x != 3));
	}
}
