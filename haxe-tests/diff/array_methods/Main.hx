// Array: every method with edge arguments, on Int, Float, Bool, String and object
// arrays (HashLink specializes the storage), iteration while modifying, printing.
class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function main() {
		var a = [5, 3, 8, 1, 9, 2];
		p("length", a.length);
		p("slice", a.slice(1, 3) + " " + a.slice(-2) + " " + a.slice(2, -1) + " " + a.slice(4, 2) + " " + a.slice(10) + " " + a.slice(-100, 2));
		p("concat", a.concat([7, 7]));
		p("join", a.join(", ") + " | " + [].join(",") + " | " + [null, 1].join("-"));
		p("indexOf", a.indexOf(8) + " " + a.indexOf(42) + " " + a.indexOf(5, 1) + " " + a.indexOf(9, -2) + " " + a.indexOf(5, -100));
		p("lastIndexOf", a.lastIndexOf(8) + " " + a.lastIndexOf(42) + " " + a.lastIndexOf(5, 3) + " " + a.lastIndexOf(2, -1)
			+ " " + a.lastIndexOf(5, -100));
		p("contains", a.contains(1) + " " + a.contains(4));
		var b = a.copy();
		b.reverse();
		p("reverse", b + " orig " + a);
		p("splice", b.splice(1, 2) + " left " + b);
		var c = [1, 2, 3, 4, 5];
		p("splice negative", c.splice(-2, 1) + " left " + c);
		var c2 = [1, 2, 3];
		p("splice big", c2.splice(1, 100) + " left " + c2);
		var c3 = [1, 2, 3];
		p("splice zero", c3.splice(1, 0) + " left " + c3);
		var c4 = [1, 2, 3];
		p("splice neg len", c4.splice(1, -1) + " left " + c4);
		var d = [1, 2, 3];
		d.insert(0, 0);
		d.insert(100, 99);
		d.insert(-1, -1);
		d.insert(-100, -100);
		p("insert", d);
		p("remove", d.remove(99) + " " + d.remove(42) + " " + d);
		p("push", d.push(7) + " " + d);
		p("pop", d.pop() + " " + d);
		p("shift", d.shift() + " " + d);
		d.unshift(11);
		p("unshift", d);
		p("empty pop", [].pop() + " shift " + [].shift());
		var e:Array<Int> = [];
		e[5] = 1;
		p("set beyond", e + " length " + e.length);
		p("read beyond", e[100]);
		var f = [1, 2, 3, 4, 5, 6];
		p("filter", f.filter(x -> x % 2 == 0));
		p("map", f.map(x -> x * 1.5));
		f.resize(3);
		p("resize smaller", f);
		f.resize(6);
		p("resize larger", f);
		p("iterator", [for (x in f) x * 2]);
		p("keyValueIterator", [for (k => v in ["a", "b"]) k + v]);
		var s = ["pear", "Apple", "fig", "apple"];
		s.sort(Reflect.compare);
		p("sort strings", s);
		var fl = [2.5, -1.0, 0.0, 1e10, -0.5];
		fl.sort(Reflect.compare);
		p("sort floats", fl);
		var bo = [true, false, true];
		p("bools", bo + " " + bo.indexOf(false));
		var objs = [{n: 2}, {n: 1}];
		objs.sort((x, y) -> x.n - y.n);
		p("sort objects", objs);
		var nested = [[1, 2], [], [3]];
		p("nested", nested + " flattened " + [for (x in nested) for (y in x) y]);
		var dyn:Array<Dynamic> = [1, "two", 3.0, null, [4], {five: 5}, true];
		p("dynamic array", dyn);
		p("dynamic indexOf", dyn.indexOf("two") + " " + dyn.indexOf(3) + " " + dyn.indexOf(null));
		var mod = [1, 2, 3, 4];
		var seen = [];
		for (x in mod) {
			seen.push(x);
			if (x == 2)
				mod.remove(3);
		}
		p("modify while iterating", seen + " " + mod);
		var big = [for (i in 0...1000) i];
		p("big sum", Lambda.fold(big, (x, acc) -> acc + x, 0));
		p("toString", a.toString());
		var single:Array<Single> = [1.5, 0.1];
		p("single array", single);
		var i64:Array<haxe.Int64> = [haxe.Int64.make(1, 0)];
		p("int64 array", i64);
		var u8 = new hl.Bytes(4);
		u8[0] = 200;
		p("hl.Bytes index", u8[0]);
		var na = new hl.NativeArray<String>(3);
		na[1] = "mid";
		p("NativeArray", [for (i in 0...na.length) na[i]]);
		var arr2 = [3, 1, 2];
		var sorted = arr2.copy();
		haxe.ds.ArraySort.sort(sorted, (x, y) -> x - y);
		p("copy independent", arr2 + " " + sorted);
		p("equality", ([1] == [1]) + " " + (a == a));
	}
}
