import sys.thread.Deque;
import sys.thread.Lock;
import sys.thread.Thread;

/** Messages between threads: 8 producers x 10,000 values through one `Deque` and
    through `Thread.sendMessage`, none lost or reordered per producer; `Deque.push`
    (front), `pop(false)` on an empty deque, replies to each producer's own thread. */
class Main {
	static inline var PRODUCERS = 8;
	static inline var COUNT = 10000;

	static function main() {
		var d = new Deque<Int>();
		trace(d.pop(false));
		d.add(1);
		d.add(2);
		d.push(0);
		trace([d.pop(false), d.pop(false), d.pop(false), d.pop(false)]);

		// Deque: every producer adds its own increasing sequence.
		for (p in 0...PRODUCERS)
			Thread.create(() -> for (i in 0...COUNT) d.add(p * COUNT + i));
		checkAll(() -> d.pop(true), "deque");

		// Thread messages to the main thread.
		var main = Thread.current();
		for (p in 0...PRODUCERS)
			Thread.create(() -> for (i in 0...COUNT) main.sendMessage(p * COUNT + i));
		checkAll(() -> Thread.readMessage(true), "sendMessage");
		trace(Thread.readMessage(false));

		// Request/reply: each worker waits for messages on its own queue.
		var done = new Lock();
		var results = new Deque<String>();
		var workers = [];
		for (w in 0...4) {
			workers.push(Thread.create(() -> {
				var sum = 0;
				while (true) {
					var m:Null<Int> = Thread.readMessage(true);
					if (m == null || m < 0)
						break;
					sum += m;
				}
				results.add('worker $w: $sum');
				done.release();
			}));
		}
		for (i in 0...1000)
			workers[i % 4].sendMessage(i);
		for (w in workers)
			w.sendMessage(-1);
		for (_ in 0...4)
			done.wait();
		var lines = [for (_ in 0...4) results.pop(true)];
		lines.sort(Reflect.compare);
		for (l in lines)
			trace(l);
		trace(Thread.current() == main);
	}

	static function checkAll(next:() -> Int, what:String) {
		var last = [for (_ in 0...PRODUCERS) -1];
		var total = 0.0;
		var inOrder = true;
		for (_ in 0...PRODUCERS * COUNT) {
			var v:Int = next();
			var p = Std.int(v / COUNT);
			if (v % COUNT != last[p] + 1)
				inOrder = false;
			last[p] = v % COUNT;
			total += v;
		}
		trace('$what: received ${PRODUCERS * COUNT}, sum $total, in order per producer: $inOrder, last ${last}');
	}
}
