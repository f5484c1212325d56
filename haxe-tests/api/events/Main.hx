// Event loop: haxe.Timer, haxe.Timer.delay, haxe.MainLoop and EventLoop.run.
class Main {
	public static var ticks = 0;
	public static var delayed = 0;
	public static var mainLoopRuns = 0;
	public static var queued = 0;
	static var timer:haxe.Timer;

	static function main() {
		timer = new haxe.Timer(10);
		timer.run = function() {
			ticks++;
			if (ticks == 3)
				timer.stop();
		};
		haxe.Timer.delay(() -> delayed++, 1);
		trace("main returned");
	}

	public static function addMainLoop():Void {
		var ev:haxe.MainLoop.MainEvent = null;
		ev = haxe.MainLoop.add(() -> {
			mainLoopRuns++;
			if (mainLoopRuns == 2)
				ev.stop();
		});
	}

	public static function queue():Void {
		sys.thread.Thread.current().events.run(() -> queued++);
	}

	public static function failLater():Void {
		haxe.Timer.delay(() -> throw "timer failure", 0);
	}
}
