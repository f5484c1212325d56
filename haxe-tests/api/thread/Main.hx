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

	public static function later():Void {
		haxe.Timer.delay(() -> record("timer"), 1);
	}
}
