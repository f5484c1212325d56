class Counter {
	public var n:Int;

	public function new() {
		n = 0;
	}

	public function bump():Int {
		n += 1;
		return n;
	}
}

class Main {
	static var c:Dynamic;

	static function main() {
		c = new Counter();
	}

	public static function step() {
		Sys.println("v1 n=" + c.bump());
	}
}
