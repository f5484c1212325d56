// Stack frames of closures and anonymous functions in an uncaught exception.
class Worker {
	public function new() {}
	public function run(f:Int->Int):Int { return f(3); }
	public function inner():Int {
		var g = function(x:Int):Int { if (x > 2) throw "boom in method closure " + x; return x; };
		return run(g);
	}
}

class Main {
	static function apply(f:Int->Int, v:Int):Int { return f(v); }

	static function helper():Int {
		var a = function(x:Int) return x + 1;
		var b = function(x:Int) return apply(y -> { if (y > 5) throw "deep " + y; return y; }, x * 10);
		return apply(a, 1) + apply(b, 1);
	}

	static function main() {
		try {
			helper();
		} catch (e:Dynamic) {
			Sys.println("caught: " + e);
			for (s in haxe.CallStack.exceptionStack()) Sys.println("  " + s);
		}
		var arr = [3, 1, 2];
		arr.sort((x, y) -> x - y);
		Sys.println(arr);
		var local = function() {
			var w = new Worker();
			return w.inner();
		};
		Sys.println(local());
	}
}
