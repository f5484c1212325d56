// Semantics compiled code must share with the interpreter and HashLink: integer
// wrapping, division and shifts, float conversions and comparisons (NaN), unsigned
// comparisons, bytes and arrays at their bounds, exceptions crossing calls and
// handlers nested in loops, virtual and interface calls, closures, enums, refs, and
// loops long enough to be compiled while running. Output recorded on HashLink 1.17.
import haxe.io.Bytes;

interface Shape {
	function area():Float;
	function name():String;
}

class Base implements Shape {
	public var w:Float;
	public function new(w:Float) {
		this.w = w;
	}
	public function area():Float {
		return w * w;
	}
	public function name():String {
		return "base";
	}
	public function scaled(k:Int):Int {
		return Std.int(w) * k;
	}
}

class Circle extends Base {
	override public function area():Float {
		return 3.0 * w * w;
	}
	override public function name():String {
		return "circle:" + super.name();
	}
}

enum Tree {
	Leaf(v:Int);
	Node(l:Tree, r:Tree);
}

class Main {
	static var counter = 0;

	static function sum(t:Tree):Int {
		return switch t {
			case Leaf(v): v;
			case Node(l, r): sum(l) + sum(r);
		}
	}

	static function build(d:Int):Tree {
		return d == 0 ? Leaf(d + 1) : Node(build(d - 1), build(d - 1));
	}

	static function thrower(i:Int):Int {
		if (i % 7 == 3)
			throw "bad " + i;
		return i * 2;
	}

	static function inc(r:Int):Int {
		counter += r;
		return counter;
	}

	static function swap(a:Array<Int>, i:Int, j:Int) {
		var t = a[i];
		a[i] = a[j];
		a[j] = t;
	}

	static function deep(n:Int):Int {
		return n == 0 ? 0 : 1 + deep(n - 1);
	}

	static function main() {
		// Integers: wrapping, division by zero, MIN / -1, remainders, shifts.
		var big = 0x7FFFFFFF;
		var vals = [0, 1, -1, 7, -7, big, -big - 1, 3];
		var out = [];
		for (a in vals)
			for (b in vals) {
				out.push(a + b);
				out.push(a * b);
				out.push(Std.int(a / (b == 0 ? 1 : b)));
				out.push(a % (b == 0 ? 1 : b));
				out.push(a << (b & 63));
				out.push(a >> (b & 63));
				out.push(a >>> (b & 63));
			}
		var h = 0;
		for (x in out)
			h = h * 31 + x;
		trace("int hash " + h + " count " + out.length);
		var z = 0;
		var m = -big - 1;
		trace('div0 ${Std.int(5 / 1)} mod ${m % -1} ${5 % 3} ${-5 % 3}');

		// Floats: conversions, NaN comparisons, negative zero.
		var fs = [0.0, -0.0, 1.5, -1.5, 2147483647.5, -2147483648.7, 1e10, -1e10, Math.NaN, Math.POSITIVE_INFINITY];
		var s = [];
		for (f in fs) {
			s.push(Std.string(Std.int(f)));
			s.push(f < 1.0 ? "lt" : "ge");
			s.push(!(f >= 1.0) ? "nge" : "ge");
			s.push(f == f ? "eq" : "ne");
			s.push(Std.string(-f));
			s.push(Std.string(f * 0.5));
		}
		trace(s.join(","));
		trace(Std.string(7.5 % 2) + " " + Std.string(-7.5 % 2) + " " + Std.string(1 / -0.0));
		var m = [];
		for (f in fs)
			m.push(Math.sqrt(f) + "/" + Math.abs(f) + "/" + (1 / Math.abs(f)));
		trace(m.join(" "));

		// Unsigned comparisons and conversions.
		var u:UInt = 0xFFFFFFFF;
		var u2:UInt = 1;
		trace('${u > u2} ${u2 < u} ${(u : Float)} ${u / 2}');

		// Bytes at their bounds; negative and out-of-range indices throw.
		var b = Bytes.alloc(16);
		for (i in 0...16)
			b.set(i, i * 17);
		b.setInt32(4, -123456);
		b.setDouble(8, 3.25);
		trace('${b.get(0)} ${b.get(15)} ${b.getInt32(4)} ${b.getDouble(8)} ${b.getUInt16(0)} ${b.toHex()}');
		for (i in [-1, 16, 1000]) {
			try {
				trace(b.get(i));
			} catch (e:Dynamic) {
				trace("bytes error at " + i + ": " + e);
			}
		}

		// Arrays: growth, out of range reads give defaults.
		var arr = [for (i in 0...10) i * i];
		arr[15] = 1;
		trace('${arr.length} ${arr[12]} ${arr[100]} ${arr[-1]}');
		var fa = [1.5, 2.5];
		trace('${fa[5]} ${fa.length}');
		var perm = [for (i in 0...8) i];
		for (k in 0...1000)
			swap(perm, k % 8, (k * 5 + 3) % 8);
		trace(perm.join(" "));

		// Exceptions thrown by callees, caught in loops, rethrown, nested handlers.
		var caught = 0, total = 0;
		for (i in 0...5000) {
			try {
				total += thrower(i);
			} catch (e:String) {
				caught++;
				if (i == 3)
					trace(e);
			}
		}
		trace('caught $caught total $total');
		try {
			try {
				thrower(10);
			} catch (e:Int) {
				trace("wrong handler");
			}
		} catch (e:Dynamic) {
			trace("outer " + e);
		}
		function rethrow() {
			try {
				thrower(3);
			} catch (e:Dynamic) {
				throw e + "!";
			}
		}
		try
			rethrow()
		catch (e:String)
			trace(e);

		// Null access reported by compiled code.
		var nobj:Base = null;
		try {
			trace(nobj.w);
		} catch (e:Dynamic) {
			trace("null: " + e);
		}
		var nfun:Int->Int = null;
		try {
			trace(nfun(1));
		} catch (e:Dynamic) {
			trace("null call: " + e);
		}

		// Virtual, super and interface calls, method closures.
		var shapes:Array<Shape> = [new Base(2), new Circle(1.5), new Base(0.5)];
		var acc = 0.0;
		var names = [];
		for (i in 0...30000) {
			var sh = shapes[i % 3];
			acc += sh.area();
			if (i < 3)
				names.push(sh.name());
		}
		trace('$acc ${names.join(",")}');
		var c = new Circle(3);
		var f = c.scaled;
		var g:Base->Float = (x) -> x.area();
		trace('${f(4)} ${g(c)} ${c.name()}');

		// Closures capturing and mutating locals, static function values.
		var total2 = 0;
		var add = (k:Int) -> total2 += k;
		for (i in 0...20000)
			add(i & 7);
		var ops:Array<Int->Int> = [inc, x -> x * 3, x -> x - 1];
		var r = 0;
		for (i in 0...3000)
			r = ops[i % 3](r) % 1000003;
		trace('$total2 $r $counter');

		// Enums and recursion.
		trace(sum(build(12)) + " " + deep(5000));

		// Dynamic and anonymous objects inside hot loops.
		var o:Dynamic = {x: 1, y: 2.5, s: "a"};
		var sum2 = 0.0;
		for (i in 0...5000) {
			o.x = o.x + 1;
			sum2 += o.y;
		}
		trace('${o.x} $sum2 ${o.s}');

		// Int64 and a long-running loop entered once (compiled while running).
		var a64 = haxe.Int64.make(1, 0);
		var x64 = haxe.Int64.ofInt(0);
		for (i in 0...100000)
			x64 = x64 + a64 + haxe.Int64.ofInt(i);
		trace(haxe.Int64.toStr(x64));
		var acc2 = 0;
		var fl = 0.0;
		for (i in 0...3000000) {
			acc2 = (acc2 * 1103515245 + 12345) & 0x7FFFFFFF;
			fl += (acc2 & 1023) / 1024.0;
		}
		trace('$acc2 $fl');
		var str = new StringBuf();
		for (i in 0...2000)
			str.add(String.fromCharCode(65 + i % 26));
		trace(str.toString().length + " " + str.toString().substr(1990));
	}
}
