// Frame names of closures, local functions and bound methods, as haxe.CallStack sees them.
class Counter {
	public var n:Int = 0;
	public var onTick:Void->Void;
	public function new() {
		onTick = function() { n++; Main.show("ctor closure"); };
	}
	public function tick():Void { onTick(); }
	public function each(f:Int->Void) { for (i in 0...1) f(i); }
	public function nested():Void {
		each(function(i) {
			var inner = function() Main.show("nested inner");
			inner();
		});
	}
}

class Main {
	static var initClosure:Void->Void = function() show("static init closure");

	public static function show(label:String) {
		var frames = [for (s in haxe.CallStack.callStack()) Std.string(s)];
		Sys.println(label + ": " + frames.slice(0, 4).join(" | "));
	}

	static function twice(f:Void->Void) { f(); f(); }

	static function main() {
		initClosure();
		var c = new Counter();
		c.tick();
		c.nested();
		var bound = c.tick;
		bound();
		function localNamed(x:Int) { show("local named " + x); }
		localNamed(1);
		twice(() -> show("arrow"));
		[1].map(x -> { show("map"); return x; });
		var later:Array<Void->Void> = [];
		for (i in 0...2) later.push(() -> show("loop " + i));
		for (f in later) f();
		try {
			(function() throw "thrown")();
		} catch (e:Dynamic) {
			Sys.println("caught " + e + ": " + [for (s in haxe.CallStack.exceptionStack()) Std.string(s)].join(" | "));
		}
	}
}
