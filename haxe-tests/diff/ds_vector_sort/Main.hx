// haxe.ds.Vector and haxe.ds.ArraySort, plus Array.sort stability and comparator use.
import haxe.ds.Vector;
import haxe.ds.ArraySort;

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function main() {
		var v = new Vector<Int>(5);
		p("new int vector", v.toArray());
		var fv = new Vector<Float>(3);
		p("new float vector", fv.toArray());
		var sv = new Vector<String>(3);
		p("new string vector", sv.toArray());
		var bv = new Vector<Bool>(2);
		p("new bool vector", bv.toArray());
		for (i in 0...v.length)
			v[i] = i * i;
		p("filled", v.toArray());
		p("length", v.length);
		p("get 3", v.get(3));
		var c = v.copy();
		c[0] = 99;
		p("copy", c.toArray() + " orig " + v.toArray());
		var f = Vector.fromArrayCopy([9, 8, 7]);
		p("fromArrayCopy", f.toArray());
		var d = new Vector<Int>(8);
		Vector.blit(v, 1, d, 2, 3);
		p("blit", d.toArray());
		Vector.blit(d, 0, d, 1, 7);
		p("blit overlap", d.toArray());
		p("join", v.join("-"));
		p("map", v.map(x -> x + 0.5).toArray());
		p("toString", Std.string(v));
		var s = Vector.fromArrayCopy([5, 2, 9, 1, 5, 6]);
		s.sort((a, b) -> a - b);
		p("sort", s.toArray());
		var grow = Vector.fromArrayCopy([1, 2, 3]);
		p("resize", grow.toArray());
		var vs = Vector.fromArrayCopy(["b", "a"]);
		p("fromData", Vector.fromData(vs.toData()).toArray());

		// ArraySort: stable merge sort
		var pairs = [for (i in 0...30) {k: (i * 7) % 5, i: i}];
		ArraySort.sort(pairs, (a, b) -> a.k - b.k);
		p("stable", [for (x in pairs) x.k + "/" + x.i].join(" "));
		var words = "pear apple fig banana kiwi cherry date grape lime".split(" ");
		ArraySort.sort(words, (a, b) -> a.length - b.length);
		p("by length", words);
		var nums = [3.5, -1, 2, Math.NaN, 0, -0.0, 10];
		ArraySort.sort(nums, Reflect.compare);
		p("floats", nums);

		// Array.sort (HashLink's own sort) with various comparators
		var a = [for (i in 0...40) (i * 37) % 23];
		a.sort((x, y) -> x - y);
		p("array sort", a);
		a.sort((x, y) -> y - x);
		p("array sort desc", a);
		var st = [for (i in 0...20) {k: i % 3, i: i}];
		st.sort((x, y) -> x.k - y.k);
		p("array sort objs", [for (x in st) x.k + "/" + x.i].join(" "));
		var strs = ["b", "B", "a", "A", "é", "", "ab", "aB"];
		strs.sort(Reflect.compare);
		p("string sort", strs);
		var fl = [0.5, -2.5, 1e10, -1e-10, 3];
		fl.sort(Reflect.compare);
		p("float sort", fl);
		var calls = 0;
		var big = [for (i in 0...100) (i * 7919) % 101];
		big.sort(function(x, y) {
			calls++;
			return x - y;
		});
		p("big sorted ok", [for (i in 1...big.length) big[i - 1] <= big[i]].indexOf(false) == -1);
		p("comparator calls", calls);
	}
}
