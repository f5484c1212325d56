// haxe.Timer and haxe.MainLoop (haxe.EntryPoint): the loop runs after main returns.
// Only orderings that do not depend on timing are printed: events run a fixed number of
// times, and each timer step schedules the next one (one pending timer at a time, plus
// stopped ones that must never run).
import haxe.Timer;
import haxe.MainLoop;

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function main() {
		p("stamp increases", Timer.stamp() <= Timer.stamp());
		var n = 0;
		var ev:haxe.MainLoop.MainEvent = null;
		ev = MainLoop.add(function() {
			n++;
			if (n == 4) {
				p("event calls", n);
				ev.stop();
				startTimers();
			}
		});
		MainLoop.runInMainThread(() -> p("runInMainThread", "ran"));
		haxe.EntryPoint.runInMainThread(() -> p("EntryPoint.runInMainThread", "ran"));
		var once:haxe.MainLoop.MainEvent = null;
		once = MainLoop.add(function() {
			p("once event", "ran");
			once.stop();
		});
		var never = MainLoop.add(() -> p("stopped event", "SHOULD NOT RUN"));
		never.stop();
		p("hasEvents", MainLoop.hasEvents());
		p("main", "returns");
	}

	static function startTimers() {
		var stopped = Timer.delay(() -> p("stopped timer", "SHOULD NOT RUN"), 1);
		stopped.stop();
		Timer.delay(function() {
			p("delay 1", "ran");
			var count = 0;
			var t = new Timer(5);
			t.run = function() {
				count++;
				p("repeat", count);
				if (count == 3) {
					t.stop();
					Timer.delay(function() {
						p("delay after repeat", "ran");
						var ev:haxe.MainLoop.MainEvent = null;
						ev = MainLoop.add(function() {
							p("last event", "ran");
							ev.stop();
						});
					}, 1);
				}
			};
		}, 10);
	}
}
