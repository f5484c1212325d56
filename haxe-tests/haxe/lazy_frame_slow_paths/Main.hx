// Small functions without loops or calls (compiled with a lazy frame) whose fast path
// fails half-way: the rest of the call runs in the interpreter, with the registers the
// compiled part computed, the same exception and stack trace, and the frame stack intact.
class P {
	public var x:Int;
	public var y:Int;
	public var f:Float;

	public function new(x, y, f) {
		this.x = x;
		this.y = y;
		this.f = f;
	}

	// `this` is never read: compiled code neither loads nor stores it.
	public function across(q:P):Int {
		return q.x - q.y;
	}
}

class Main {
	static function sum(p:P):Int {
		return p.x + p.y;
	}

	static function mix(p:P, q:P):Float {
		var a = p.x * 3;
		var b = p.f * 0.5;
		var c = q.y;
		return a + b + c;
	}

	static function pick(a:Array<Int>, i:Int):Int {
		var k = i * 2;
		return a[k] + k;
	}

	// Arguments no op reads (an object, a Float) beside ones that fail.
	static function unused(skip:P, scale:Float, p:P):Float {
		return p.f * 2;
	}

	static function main() {
		var ok = new P(1, 2, 3.0);
		var other = new P(10, 20, 30.0);
		var arr = [for (i in 0...10) i * i];
		var total = 0.0;
		for (i in 0...20000) {
			total += sum(ok) + mix(ok, other) + pick(arr, i % 5);
		}
		Sys.println("warm " + total);
		for (i in 0...4) {
			try {
				var q = i == 1 ? null : other;
				var p = i == 2 ? null : ok;
				Sys.println("mix " + i + " " + mix(p, q));
			} catch (e:Dynamic) {
				Sys.println("caught " + i + " " + e);
				Sys.println(haxe.CallStack.toString(haxe.CallStack.exceptionStack()));
			}
		}
		for (i in 0...20000)
			total += ok.across(other) + unused(other, 1.5, ok);
		for (i in 0...2) {
			var q = i == 1 ? null : other;
			try {
				Sys.println("across " + i + " " + ok.across(q));
			} catch (e:Dynamic) {
				Sys.println("caught " + i + " " + e);
				Sys.println(haxe.CallStack.toString(haxe.CallStack.exceptionStack()));
			}
			try {
				Sys.println("unused " + i + " " + unused(ok, 2.5, q));
			} catch (e:Dynamic) {
				Sys.println("caught " + i + " " + e);
				Sys.println(haxe.CallStack.toString(haxe.CallStack.exceptionStack()));
			}
		}
		// Out-of-range reads of an Array<Int> give 0, past the fast path.
		Sys.println("pick " + pick(arr, 3) + " " + pick(arr, 7) + " " + pick(arr, -1));
		Sys.println("end " + (sum(ok) + mix(ok, other) + sum(other)));
	}
}
