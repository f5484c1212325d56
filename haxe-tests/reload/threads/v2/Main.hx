// Hot reload while Haxe threads run (haxe-tests/tests/reload_threads.rs): the host
// starts threads that keep calling Work.version(), reloads between v1 (1) and v2 (2),
// and checks that each thread gets the new value from its next call on. Only
// Work.version differs between the versions.
import sys.thread.Lock;
import sys.thread.Mutex;
import sys.thread.Thread;

class Work {
	public static function version():Int {
		return 2;
	}
}

class Main {
	/** Per thread: the results of its calls as runs of equal values, "value x count"
		joined by ",", oldest first; and how many calls it made. */
	static var runs:Array<Array<Int>> = [];
	static var calls:Array<Int> = [];
	static var stop = false;
	static var mutex = new Mutex();
	static var ended:Lock = new Lock();
	static var started = 0;

	static function main() {
		Sys.println("version " + Work.version());
	}

	/** Starts `n` threads calling Work.version() in a loop, with a 1 ms sleep between
		calls, or none when `busy` (they then take turns at safepoints). */
	public static function start(n:Int, busy:Bool):Void {
		stop = false;
		started = n;
		runs = [for (_ in 0...n) []];
		calls = [for (_ in 0...n) 0];
		for (i in 0...n)
			Thread.create(() -> loop(i, busy));
	}

	static function loop(i:Int, busy:Bool) {
		while (!stop) {
			var v = Work.version();
			record(i, v);
			if (!busy)
				Sys.sleep(0.001);
		}
		ended.release();
	}

	static function record(i:Int, v:Int) {
		mutex.acquire();
		var r = runs[i];
		if (r.length == 0 || r[r.length - 2] != v) {
			r.push(v);
			r.push(1);
		} else {
			r[r.length - 1]++;
		}
		calls[i]++;
		mutex.release();
	}

	/** How many calls thread `i` made. */
	public static function callsOf(i:Int):Int {
		mutex.acquire();
		var n = calls[i];
		mutex.release();
		return n;
	}

	/** Thread `i`'s results: "1x12,2x5" for twelve calls that gave 1, then five that
		gave 2. */
	public static function runsOf(i:Int):String {
		mutex.acquire();
		var r = runs[i];
		var parts = [for (k in 0...(r.length >> 1)) r[2 * k] + "x" + r[2 * k + 1]];
		mutex.release();
		return parts.join(",");
	}

	/** Stops the threads; false when one did not end within `timeout` seconds. */
	public static function stopAll(timeout:Float):Bool {
		stop = true;
		for (_ in 0...started)
			if (!ended.wait(timeout))
				return false;
		return true;
	}
}
