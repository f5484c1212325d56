// The sequence of comparator calls made by the native sort of Array<Int> and Array<Float>
// (and, for comparison, of object and String arrays, sorted in Haxe code).
class Main {
	static var log:StringBuf;

	static function sortInts(label:String, a:Array<Int>, ?cmp:Int->Int->Int) {
		log = new StringBuf();
		var calls = 0;
		var c = cmp != null ? cmp : (x:Int, y:Int) -> x - y;
		a.sort(function(x, y) {
			calls++;
			log.add(x + "," + y + " ");
			return c(x, y);
		});
		Sys.println(label + ": " + a + " calls=" + calls);
		Sys.println("  " + log.toString());
	}

	static function sortFloats(label:String, a:Array<Float>) {
		log = new StringBuf();
		var calls = 0;
		a.sort(function(x, y) {
			calls++;
			log.add(x + "," + y + " ");
			return x < y ? -1 : (x > y ? 1 : 0);
		});
		Sys.println(label + ": " + a + " calls=" + calls);
		Sys.println("  " + log.toString());
	}

	static function lcg(n:Int, seed:Int, mod:Int):Array<Int> {
		var out = [];
		var s = seed;
		for (i in 0...n) {
			s = (s * 1103515245 + 12345) & 0x7fffffff;
			out.push(s % mod);
		}
		return out;
	}

	static function main() {
		sortInts("empty", []);
		sortInts("one", [5]);
		sortInts("two", [2, 1]);
		sortInts("three", [3, 1, 2]);
		sortInts("sorted8", [1, 2, 3, 4, 5, 6, 7, 8]);
		sortInts("reversed8", [8, 7, 6, 5, 4, 3, 2, 1]);
		sortInts("dups", [3, 1, 3, 2, 1, 2, 3, 1]);
		sortInts("twelve", [5, 11, 2, 9, 0, 7, 3, 10, 1, 8, 4, 6]);
		sortInts("random20", lcg(20, 7, 100));
		sortInts("random40", lcg(40, 11, 50));
		sortInts("random70", lcg(70, 3, 1000));
		sortInts("descending cmp", lcg(15, 5, 30), (x, y) -> y - x);
		sortInts("always zero", [4, 2, 9, 1, 7, 3], (x, y) -> 0);
		sortInts("always one", [4, 2, 9, 1, 7, 3, 8, 5, 6, 0], (x, y) -> 1);
		sortInts("always minus one", [4, 2, 9, 1, 7, 3, 8, 5, 6, 0], (x, y) -> -1);
		sortFloats("floats", [2.5, -1.0, 3.25, 0.5, 2.5, -7.0, 10.0, 1.0 / 3]);
		var fl = [for (i in lcg(25, 9, 1000)) i / 8];
		sortFloats("floats25", fl);
		var strs = ["pear", "apple", "fig", "kiwi", "banana", "cherry", "date"];
		var slog = new StringBuf();
		strs.sort(function(a, b) { slog.add(a + "," + b + " "); return a < b ? -1 : (a > b ? 1 : 0); });
		Sys.println("strings: " + strs);
		Sys.println("  " + slog.toString());
		var stable = [for (i in 0...12) {k: i % 3, i: i}];
		stable.sort((a, b) -> a.k - b.k);
		Sys.println("stable: " + [for (o in stable) o.k + ":" + o.i].join(" "));
	}
}
