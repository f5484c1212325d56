// An exception thrown by a timer callback, after main has returned, is reported like
// any uncaught exception.
class Main {
	static function main() {
		haxe.Timer.delay(function() {
			Sys.println("timer fired");
			throw "from the timer";
		}, 5);
		Sys.println("main done");
	}
}
