// haxe.CallStack: exception stacks and call stacks as HashLink prints them (function
// names, files and lines), from static and instance methods, closures and nested calls.
import haxe.CallStack;

class Thing {
	public function new() {}

	public function method(n:Int):Array<StackItem> {
		if (n > 0)
			return method(n - 1);
		return CallStack.callStack();
	}

	public function fail() {
		throw "instance failure";
	}
}

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function level3() {
		throw new haxe.Exception("deep");
	}

	static function level2() level3();

	static function level1() level2();

	static function show(label:String, s:CallStack) {
		Sys.println(label + ":" + CallStack.toString(s));
		Sys.println(label + " items: " + s.length);
	}

	static function main() {
		try {
			level1();
		} catch (e:haxe.Exception) {
			show("exception stack", e.stack);
			show("CallStack.exceptionStack", CallStack.exceptionStack());
			Sys.println("details: " + e.details());
		}
		show("callStack", CallStack.callStack());
		show("method callStack", new Thing().method(2));
		var closure = function() return CallStack.callStack();
		show("closure callStack", closure());
		try {
			new Thing().fail();
		} catch (e:Dynamic) {
			show("instance exception", CallStack.exceptionStack());
		}
		try {
			[1, 2].map(function(x) {
				if (x == 2)
					throw "in map";
				return x;
			});
		} catch (e:Dynamic) {
			show("map closure exception", CallStack.exceptionStack());
		}
		try {
			var o:Dynamic = null;
			o.x = 1;
		} catch (e:Dynamic) {
			p("null access", e);
			show("null access stack", CallStack.exceptionStack());
		}
		for (item in CallStack.callStack())
			switch (item) {
				case FilePos(s, file, line, col):
					p("item", "FilePos " + file + ":" + line + " " + Std.string(s));
				default:
					p("item", Std.string(item));
			}
		p("empty toString", CallStack.toString([]));
		p("custom items", CallStack.toString([Module("m"), CFunction, Method("C", "f"), LocalFunction(3), FilePos(null, "f.hx", 1, 2)]));
		level1();
	}
}
