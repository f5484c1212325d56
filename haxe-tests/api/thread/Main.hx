// THREADED mode (hlffi::VmThread): calls from many host threads, async ordering,
// timers serviced by the VM thread between work items.
class Main {
	public static var counter = 0;
	public static var ticks = 0;
	static var log:Array<String> = [];
	static var timer:haxe.Timer;

	static function main() {
		timer = new haxe.Timer(2);
		timer.run = function() {
			ticks++;
			if (ticks == 20)
				timer.stop();
		};
	}

	public static function add(a:Int, b:Int):Int {
		return a + b;
	}

	public static function incr():Int {
		return ++counter;
	}

	public static function record(s:String):Void {
		log.push(s);
	}

	public static function joined():String {
		return log.join(",");
	}

	public static function fail():Int {
		throw "boom";
	}

	// A Haxe thread (sys.thread) fed with messages by work items: it must run while the
	// VM thread waits for work.
	static var worker:sys.thread.Thread;
	public static var fromWorker = 0;

	public static function startWorker():Void {
		worker = sys.thread.Thread.create(() -> {
			while (true) {
				var v:Int = sys.thread.Thread.readMessage(true);
				if (v < 0)
					break;
				fromWorker += v;
			}
		});
	}

	public static function send(v:Int):Void {
		worker.sendMessage(v);
	}

	public static function later():Void {
		haxe.Timer.delay(() -> record("timer"), 1);
	}
}
