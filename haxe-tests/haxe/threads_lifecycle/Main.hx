import sys.thread.Deque;
import sys.thread.Lock;
import sys.thread.Thread;

/** Thread lifecycle: `Thread.current()` identity, an uncaught exception ends only its
    thread (printed with its stack), CPU-bound threads that never block all make
    progress (they take turns), deep recursion in a thread, and `main` returning while
    threads still run ends the program without waiting for them. */
class Main {
	static function fib(n:Int):Int
		return n < 2 ? n : fib(n - 1) + fib(n - 2);

	static function depth(n:Int):Int
		return n == 0 ? 0 : 1 + depth(n - 1);

	static function main() {
		var main = Thread.current();
		trace('current is stable: ${Thread.current() == main}');
		var q = new Deque<Dynamic>();
		var t:Thread = null;
		t = Thread.create(() -> {
			q.add(Thread.current() == main);
			q.add(Thread.current() == Thread.current());
		});
		trace('in a thread: current is main ${q.pop(true)}, stable ${q.pop(true)}');

		// An uncaught exception in a thread: printed, the thread ends, main goes on.
		var l = new Lock();
		Thread.create(() -> {
			l.release();
			throw "thread failure";
		});
		l.wait();
		Sys.sleep(0.05);
		trace("main still running");

		// CPU-bound threads with no blocking call: each must finish.
		var results = new Deque<String>();
		for (i in 0...3)
			Thread.create(() -> {
				var x = 0;
				for (j in 0...3000000)
					x = (x + j * i) % 1000003;
				results.add('loop $i: $x');
			});
		Thread.create(() -> results.add('fib: ${fib(24)}'));
		Thread.create(() -> results.add('recursion depth: ${depth(20000)}'));
		var got = [for (_ in 0...5) results.pop(true)];
		got.sort(Reflect.compare);
		for (g in got)
			trace(g);

		// The main thread spins too while others run.
		var flag = new Deque<Int>();
		Thread.create(() -> {
			var s = 0;
			for (j in 0...1000000)
				s += j & 1;
			flag.add(s);
		});
		var spins = 0;
		var v:Null<Int> = null;
		while ((v = flag.pop(false)) == null)
			spins++;
		trace('main spun until the thread finished: $v');

		// Threads still sleeping or looping when main returns: the program ends.
		Thread.create(() -> {
			Sys.sleep(2);
			trace("never printed");
		});
		Thread.create(() -> {
			while (true)
				Sys.sleep(0.01);
		});
		trace("main returns");
	}
}
