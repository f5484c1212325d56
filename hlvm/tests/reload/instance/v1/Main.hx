class Counter {
	public var n:Int;
	public var label:String;

	public function new(label:String) {
		this.label = label;
		n = 0;
	}

	public function bump():Int {
		n += 1;
		return n;
	}
}

class Main {
	static var c:Counter;

	static function main() {
		c = new Counter("c");
	}

	public static function step() {
		var v = c.bump();
		Sys.println(c.label + " n=" + v);
	}
}
