// Method calls by receiver type, as compiled code picks its path from the register's
// static type: class receivers (virtual table), interface receivers (a call-site cache
// that several classes share in one loop), structural (anonymous) receivers over class
// instances and over plain anonymous objects, `@:struct` classes, calls on `this`, and
// null receivers of each kind. Loops run long enough to be compiled while running.
// Output recorded on HashLink 1.17.

interface Named {
	function name():String;
}

interface Shape extends Named {
	function area():Float;
	function grow(k:Int):Int;
}

class Base implements Shape {
	public var w:Int;

	public function new(w:Int) {
		this.w = w;
	}

	public function area():Float {
		return w * 1.0;
	}

	public function grow(k:Int):Int {
		w += k;
		return twice();
	}

	public function name():String {
		return "base";
	}

	function twice():Int {
		return w * 2;
	}
}

class Square extends Base {
	override public function area():Float {
		return w * w * 1.0;
	}

	override public function name():String {
		return "square";
	}
}

class Tri extends Square {
	override public function area():Float {
		return super.area() / 2;
	}

	override function twice():Int {
		return w * 3;
	}
}

class Other implements Named {
	public function new() {}

	public function name():String {
		return "other";
	}
}

@:struct class Pair {
	public var a:Int;
	public var b:Int;

	public function new(a:Int, b:Int) {
		this.a = a;
		this.b = b;
	}

	public function sum():Int {
		return a + b;
	}
}

typedef HasName = {
	function name():String;
}

class Main {
	static function viaClass(b:Base, k:Int):Int {
		return b.grow(k);
	}

	static function viaShape(s:Shape):Float {
		return s.area();
	}

	static function viaAnon(h:HasName):String {
		return h.name();
	}

	static function attempt(what:String, f:() -> Dynamic) {
		try {
			Sys.println(what + ": " + f());
		} catch (e:Dynamic) {
			Sys.println(what + ": caught " + e);
		}
	}

	static function main() {
		var shapes:Array<Shape> = [new Base(1), new Square(2), new Tri(3)];
		var named:Array<Named> = [shapes[0], new Other(), shapes[2], shapes[1]];
		var acc = 0.0;
		var grown = 0;
		var names = new Map<String, Int>();
		for (i in 0...30000) {
			var s = shapes[i % 3];
			acc += viaShape(s);
			grown = (grown + s.grow(i & 1) + viaClass(cast s, 0)) & 0xFFFFFF;
			var n = named[i % 4].name();
			names.set(n, (names.exists(n) ? names.get(n) : 0) + 1);
			if (i % 1000 == 0)
				for (s in shapes)
					(cast s : Base).w = 1 + (i % 7);
		}
		Sys.println("acc=" + acc + " grown=" + grown);
		var keys = [for (k in names.keys()) k];
		keys.sort(Reflect.compare);
		for (k in keys)
			Sys.println(k + "=" + names.get(k));

		// Structural receivers: a view of a class instance, and a plain anonymous object.
		var anon:HasName = {name: function() return "anon"};
		var views:Array<HasName> = [new Square(1), anon, new Other()];
		var seen = [];
		for (i in 0...12000)
			if (i % 4000 < 3)
				seen.push(viaAnon(views[i % 3]));
		Sys.println(seen.join(","));

		var p = new Pair(20, 22);
		var total = 0;
		for (i in 0...20000)
			total = (total + p.sum() + i) & 0xFFFFF;
		Sys.println("pair=" + p.sum() + " total=" + total);

		var nb:Base = null;
		var ns:Shape = null;
		var nn:Named = null;
		var nh:HasName = null;
		attempt("null class", () -> nb.grow(1));
		attempt("null class via static", () -> viaClass(nb, 1));
		attempt("null interface", () -> ns.area());
		attempt("null parent interface", () -> nn.name());
		attempt("null structural", () -> nh.name());
		attempt("null via interface arg", () -> viaShape(ns));
	}
}
