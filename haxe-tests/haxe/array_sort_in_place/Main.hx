// Array<Int>/<Float> native sort works in place: a comparator that reads the array sees each
// intermediate state, and one that throws leaves the array partly sorted.
class Main {
	static function main() {
		var u:Array<UInt> = [3, 1, 2];
		var log = [];
		u.sort((a, b) -> { log.push(a + "," + b); return a < b ? -1 : (a > b ? 1 : 0); });
		Sys.println(u + " " + log);
		var big = [for (i in 0...30) (i * 7919) % 31];
		var calls = 0;
		big.sort((a, b) -> { calls++; return b - a; });
		Sys.println(big + " " + calls);
		var copy = [5, 4, 3, 2, 1];
		var seen = [];
		copy.sort((a, b) -> { seen.push(copy.join("")); return a - b; });
		Sys.println(copy + " " + seen);
		var thr = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 11, 10, 13, 12];
		try thr.sort((a, b) -> { if (a == 2 && b == 3) throw "stop"; return a - b; }) catch (e:Dynamic) Sys.println("thrown " + e + " " + thr);
		var fl = [3.5, -1.0, 2.25, Math.NaN, 0.0];
		fl.sort((a, b) -> a < b ? -1 : (a > b ? 1 : 0));
		Sys.println(fl);
		var sub = [6, 5, 4, 3, 2, 1];
		var s2 = sub.slice(2);
		s2.sort((a, b) -> a - b);
		Sys.println(sub + " " + s2);
	}
}
