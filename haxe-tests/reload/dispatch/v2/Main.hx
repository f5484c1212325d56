// Hot reload: methods reached through an interface, through Dynamic and through a
// virtual (overridden) method.
interface Shape {
	function area():Int;
}

class Sq implements Shape {
	var s:Int;

	public function new(s:Int) {
		this.s = s;
	}

	public function area():Int {
		return s * s + 1000;
	}
}

class Base {
	public function new() {}

	public function who():String {
		return "base";
	}
}

class Derived extends Base {
	override public function who():String {
		return "derived v2";
	}
}

class Main {
	public static var shape:Shape;
	public static var dyn:Dynamic;
	public static var base:Base;

	static function main() {
		shape = new Sq(3);
		dyn = new Sq(4);
		base = new Derived();
	}

	public static function viaInterface():Int {
		return shape.area();
	}

	public static function viaDynamic():Int {
		return dyn.area();
	}

	public static function viaVirtual():String {
		return base.who();
	}

	// A loop long enough to be compiled (tiered mode) with its call sites' caches
	// filled: after the reload they must call the new bodies.
	public static function sumInLoop(n:Int):Int {
		var t = 0;
		for (i in 0...n)
			t += shape.area() + base.who().charCodeAt(9);
		return t;
	}

	public static function areaOf(s:Shape):Int {
		return s.area();
	}

	public static function areaOfDynamic(d:Dynamic):Int {
		return d.area();
	}
}
