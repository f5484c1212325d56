// Closures: captured variables (shared, per-iteration), method closures bound to
// instances, static closures, bind, comparison, closures stored in structures and
// arrays, recursion through closures, closures as Dynamic.
class Counter {
	public var n = 0;

	public function new() {}

	public function inc(by:Int) {
		n += by;
		return n;
	}

	public static function twice(f:Int->Int, x:Int) return f(f(x));
}

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function makeAdder(k:Int) return x -> x + k;

	static function main() {
		var fs = [];
		for (i in 0...5)
			fs.push(() -> i * 10);
		p("loop capture", [for (f in fs) f()]);
		var shared = 0;
		var incs = [for (i in 0...3) () -> ++shared];
		for (f in incs)
			f();
		p("shared capture", shared);
		var add5 = makeAdder(5);
		p("adder", add5(1) + " " + makeAdder(-1)(1));
		var c = new Counter();
		var m = c.inc;
		m(2);
		m(3);
		p("method closure", c.n);
		p("static twice", Counter.twice(add5, 0));
		p("method as arg", Counter.twice(c.inc, 1) + " n " + c.n);
		var bound = Counter.twice.bind(x -> x * 3);
		p("bind", bound(2));
		var fact:Int->Int = null;
		fact = n -> n <= 1 ? 1 : n * fact(n - 1);
		p("recursive closure", fact(10));
		var o = {f: (a:Int) -> a + 1, g: c.inc};
		p("struct closures", o.f(1) + " " + o.g(100));
		var d:Dynamic = c.inc;
		p("dynamic method", d(1));
		p("compareMethods", Reflect.compareMethods(c.inc, c.inc) + " " + Reflect.compareMethods(c.inc, new Counter().inc));
		var f1 = add5;
		p("closure identity", (f1 == add5) + " " + (makeAdder(5) == makeAdder(5)));
		var compose = (f:Int->Int, g:Int->Int) -> (x:Int) -> f(g(x));
		p("compose", compose(add5, x -> x * 2)(10));
		var acc = [];
		function local(n:Int) {
			if (n > 0) {
				acc.push(n);
				local(n - 1);
			}
		}
		local(4);
		p("local function", acc);
		var counterGen = function() {
			var count = 0;
			return function() return count++;
		};
		var g1 = counterGen(), g2 = counterGen();
		g1();
		g1();
		p("independent generators", g1() + " " + g2());
		var arr = [3, 1, 2];
		var calls = 0;
		arr.sort(function(a, b) {
			calls++;
			return a - b;
		});
		p("sort closure", arr + " calls>0 " + (calls > 0));
		p("Reflect.callMethod closure", Reflect.callMethod(null, add5, [10]));
		p("isFunction", Reflect.isFunction(add5) + " " + Reflect.isFunction(c.inc));
		var opt = function(a:Int, ?b:Int) return b == null ? a : a + b;
		p("optional args", opt(1) + " " + opt(1, 2));
		var def = function(a:Int, b = 10) return a + b;
		p("default args", def(1) + " " + def(1, 1));
		var floatF = function(x:Float) return x / 2;
		p("float closure", floatF(3));
	}
}
