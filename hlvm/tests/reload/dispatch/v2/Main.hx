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

	public function name():String {
		return "base";
	}
}

class Derived extends Base {
	override public function name():String {
		return "derived v2";
	}
}

class Main {
	static var shape:Shape;
	static var dyn:Dynamic;
	static var b:Base;

	static function main() {
		shape = new Sq(3);
		dyn = new Sq(4);
		b = new Derived();
	}

	public static function step() {
		Sys.println(shape.area() + " " + dyn.area() + " " + b.name());
	}
}
