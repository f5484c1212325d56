// Sys.exit from inside an event-loop callback ends the program with that code, and
// pending events do not run.
class Main {
	static function main() {
		haxe.Timer.delay(function() {
			Sys.println("first timer");
			haxe.Timer.delay(() -> Sys.println("never printed"), 50);
			Sys.exit(7);
		}, 5);
		Sys.println("main done");
	}
}
