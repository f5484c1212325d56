// Host threads attached to the VM (hlffi::VmAttach), host callbacks called from Haxe
// threads, and Haxe threads running while the host runs its own code.
import sys.thread.Deque;
import sys.thread.Lock;
import sys.thread.Thread;

class Main {
	public static var counter = 0;
	static var seen:Array<Thread> = [];
	static var done = new Lock();
	static var queue = new Deque<Int>();

	static function main() {}

	public static function incr():Int {
		return ++counter;
	}

	// How many distinct `Thread.current()` values have called this so far.
	public static function register():Int {
		var t = Thread.current();
		if (seen.indexOf(t) < 0)
			seen.push(t);
		return seen.length;
	}

	@:hlNative("host", "note") static function note(v:Int):Void {}

	// `n` Haxe threads each call the host native `each` times.
	public static function startNoters(n:Int, each:Int):Void {
		for (i in 0...n)
			Thread.create(() -> {
				for (k in 0...each)
					note(k);
				done.release();
			});
	}

	// Waits for `n` threads started above (blocks, letting them run).
	public static function waitThreads(n:Int):Void {
		for (i in 0...n)
			done.wait();
	}

	// Calls `f(7)` on a new Haxe thread; what it returned or threw lands in `fromThread`.
	public static var fromThread = "";

	public static function callOnThread(f:Int->Int):Void {
		Thread.create(() -> {
			try {
				fromThread = "returned " + f(7);
			} catch (e:Dynamic) {
				fromThread = "threw " + Std.string(e);
			}
			done.release();
		});
	}

	public static function push(v:Int):Void {
		queue.add(v);
	}

	// Blocks until a value is pushed.
	public static function pop():Int {
		return queue.pop(true);
	}

	// A Haxe thread that counts the messages it receives until a negative one.
	static var worker:Thread;
	public static var fromWorker = 0;

	public static function startWorker():Void {
		worker = Thread.create(() -> {
			while (true) {
				var v:Int = Thread.readMessage(true);
				if (v < 0)
					break;
				fromWorker += v;
			}
		});
	}

	public static function send(v:Int):Void {
		worker.sendMessage(v);
	}

	public static function spin(n:Int):Int {
		var s = 0;
		for (i in 0...n)
			s += i % 7;
		return s;
	}
}
