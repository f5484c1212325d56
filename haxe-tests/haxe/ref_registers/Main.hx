// Registers whose address is taken (`hl.Ref`, and the Int temporary Haxe also passes
// as `Std.string`'s length out-parameter): compiled code keeps them in machine
// registers between calls, so it must read them back after every call that may write
// through the reference, exceptions included. Output recorded on HashLink 1.17.
class Main {
	static function inc(r:hl.Ref<Int>, by:Int) {
		r.set(r.get() + by);
	}

	static function swap(a:hl.Ref<Float>, b:hl.Ref<Float>) {
		var t = a.get();
		a.set(b.get());
		b.set(t);
	}

	static function bump(r:hl.Ref<Int>):Int {
		r.set(r.get() * 2);
		return r.get();
	}

	static function throwing(r:hl.Ref<Int>) {
		r.set(r.get() + 1000);
		throw "after write";
	}

	static function main() {
		// A counter updated through its reference in a hot loop, read between calls.
		var x = 0;
		var sum = 0;
		for (i in 0...200000) {
			inc(x, i & 7);
			sum = (sum + x) & 0xFFFFFF;
			x = x & 0xFFFF;
		}
		Sys.println('x=$x sum=$sum');
		// Floats swapped through references.
		var a = 1.5, b = -2.25;
		for (i in 0...100001)
			swap(a, b);
		Sys.println('a=$a b=$b');
		// The result and the referenced register written by one call.
		var y = 3;
		var r = bump(y) + y;
		Sys.println('y=$y r=$r');
		// A write through the reference, then an exception: the handler sees it.
		var z = 1;
		try {
			throwing(z);
		} catch (e:Dynamic) {
			Sys.println('caught $e z=$z');
		}
		// Loop variables next to number-to-string conversions.
		var s = "";
		for (round in 0...20000) {
			var lo = 0, hi = 50;
			var acc = round;
			while (lo < hi) {
				acc += lo * hi;
				lo++;
				hi--;
			}
			if (round % 5000 == 0)
				s += acc + "," + lo + "," + hi + ";";
		}
		Sys.println(s + " " + s.length);
	}
}
