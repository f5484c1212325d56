import sys.thread.Deque;
import sys.thread.Lock;
import sys.thread.Mutex;
import sys.thread.Thread;

/** Threads benchmark: 4 workers doing independent CPU work, a 3-stage
    producer/consumer pipeline through Deques, and 4 threads contending for a Mutex. */
class Main {
	static function work(seed:Int):Int {
		var x = seed;
		var acc = 0;
		for (i in 0...30000000) {
			x = (x * 1103515245 + 12345) & 0x7FFFFFFF;
			acc ^= x >> 7;
		}
		return acc;
	}

	static function main() {
		// 1. Independent CPU work.
		var results = new Deque<Int>();
		for (w in 0...4)
			Thread.create(() -> results.add(work(w + 1)));
		var acc = 0;
		for (_ in 0...4)
			acc ^= results.pop(true);
		Sys.println('workers: $acc');

		// 2. Pipeline: producer -> doubler -> summer.
		var n = 1000000;
		var a = new Deque<Int>(), b = new Deque<Int>(), out = new Deque<Float>();
		Thread.create(() -> {
			for (i in 0...n)
				a.add(i);
			a.add(-1);
		});
		Thread.create(() -> {
			while (true) {
				var v = a.pop(true);
				b.add(v < 0 ? v : v * 2);
				if (v < 0)
					break;
			}
		});
		Thread.create(() -> {
			var s = 0.0;
			while (true) {
				var v = b.pop(true);
				if (v < 0)
					break;
				s += v;
			}
			out.add(s);
		});
		Sys.println('pipeline: ${out.pop(true)}');

		// 3. Mutex contention.
		var m = new Mutex();
		var counter = 0;
		var done = new Lock();
		for (_ in 0...4)
			Thread.create(() -> {
				for (_ in 0...1000000) {
					m.acquire();
					counter++;
					m.release();
				}
				done.release();
			});
		for (_ in 0...4)
			done.wait();
		Sys.println('mutex: $counter');
	}
}
