import sys.thread.Deque;
import sys.thread.ElasticThreadPool;
import sys.thread.FixedThreadPool;
import sys.thread.Lock;
import sys.thread.Mutex;
import sys.thread.Thread;

/** Thread pools (fixed and elastic), per-thread event loops (`createWithEventLoop`,
    `events.run`/`repeat`/`promise`/`runPromised`), `haxe.Timer` in a child thread,
    and work handed back to the main thread's loop, which runs after `main`. Results
    are collected and printed by the main thread in a fixed order. */
class Main {
	static function main() {
		pools();
		loops();
	}

	static function pools() {
		var fixed = new FixedThreadPool(3);
		trace('fixed threads: ${fixed.threadsCount}');
		var results = new Deque<Int>();
		for (i in 0...50)
			fixed.run(() -> results.add(i * i));
		var sum = 0;
		for (_ in 0...50)
			sum += results.pop(true);
		trace('fixed: 50 tasks, sum of squares $sum');
		fixed.shutdown();
		trace('fixed shut down: ${fixed.isShutdown}');
		try {
			fixed.run(() -> {});
		} catch (e:sys.thread.ThreadPoolException) {
			trace('run after shutdown: ${e.message}');
		}

		var elastic = new ElasticThreadPool(4, 0.2);
		var m = new Mutex();
		var active = 0, peak = 0;
		for (i in 0...20)
			elastic.run(() -> {
				m.acquire();
				active++;
				if (active > peak)
					peak = active;
				m.release();
				Sys.sleep(0.01);
				m.acquire();
				active--;
				m.release();
				results.add(i);
			});
		var got = [for (_ in 0...20) results.pop(true)];
		got.sort(Reflect.compare);
		trace('elastic: $got');
		trace('elastic used at most 4 threads at once: ${peak <= 4 && peak >= 1}');
		elastic.shutdown();
	}

	static function loops() {
		var out = new Deque<String>();
		// A thread with its own event loop: runs queued events, then repeats.
		var done = new Lock();
		var worker = Thread.createWithEventLoop(() -> {
			// Keeps the loop alive after the repeating event is cancelled.
			Thread.current().events.promise();
			var ticks = 0;
			var h:sys.thread.EventLoop.EventHandler = null;
			h = Thread.current().events.repeat(() -> {
				ticks++;
				out.add('worker tick $ticks');
				if (ticks == 3) {
					Thread.current().events.cancel(h);
					done.release();
				}
			}, 10);
		});
		done.wait();
		for (_ in 0...3)
			trace(out.pop(true));
		// Events sent to the worker's loop from the main thread run on the worker.
		var workerThread = worker;
		worker.events.run(() -> out.add('ran on worker: ${Thread.current() == workerThread}'));
		trace(out.pop(true));
		// The promised event keeps the loop alive until it is delivered.
		Thread.create(() -> {
			Sys.sleep(0.02);
			worker.events.runPromised(() -> out.add("promised event delivered"));
		});
		trace(out.pop(true));
		// haxe.Timer inside a thread with an event loop.
		Thread.createWithEventLoop(() -> {
			var t = new haxe.Timer(15);
			var n = 0;
			t.run = () -> {
				n++;
				if (n == 2) {
					t.stop();
					out.add("timer in a thread fired twice");
				}
			};
			haxe.Timer.delay(() -> out.add("delay in a thread"), 5);
		});
		var two = [out.pop(true), out.pop(true)];
		two.sort(Reflect.compare);
		trace(two);
		// Without an event loop, `events` throws.
		Thread.create(() -> {
			try {
				Thread.current().events.run(() -> {});
				out.add("no exception");
			} catch (e:sys.thread.NoEventLoopException) {
				out.add("NoEventLoopException");
			}
		});
		trace(out.pop(true));
		// Work sent back to the main thread runs after main returns, in order.
		var main = Thread.current();
		var l = new Lock();
		main.events.promise();
		Thread.create(() -> {
			main.events.runPromised(() -> trace("back on main: " + (Thread.current() == main)));
			l.release();
		});
		l.wait();
		haxe.Timer.delay(() -> trace("main timer after 20 ms"), 20);
		trace("main returns");
	}
}
