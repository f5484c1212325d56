// Exception stacks: haxe.Exception.stack, details(), CallStack of closures, and an uncaught
// exception from standard-library code, whose frames print the stored std file paths.
import haxe.CallStack;
class Thrower {
	public function new() {}
	public function go(n:Int):Int {
		if (n == 0) throw new haxe.Exception("bottom");
		return [1].map(x -> go(n - 1))[0];
	}
}
class Main {
	static function level2() { throw "plain string"; }
	static function level1() { level2(); }
	static function main() {
		try level1() catch (e:haxe.Exception) {
			Sys.println("message: " + e.message);
			Sys.println("string: " + Std.string(e));
			Sys.println("stack: " + CallStack.toString(e.stack));
			Sys.println("details: " + e.details());
		}
		try new Thrower().go(2) catch (e:haxe.Exception) {
			Sys.println("stack2: " + CallStack.toString(e.stack));
		}
		var f = function(a:Int) {
			var g = () -> CallStack.toString(CallStack.callStack());
			return g();
		};
		Sys.println("callStack: " + f(1));
		try {
			var arr:Array<Int> = null;
			arr.push(1);
		} catch (e:Dynamic) {
			Sys.println("exceptionStack: " + CallStack.toString(CallStack.exceptionStack()));
		}
		haxe.Timer.delay(null, 0);
	}
}
