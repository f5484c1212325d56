class Counter {
	public var n:Int;
	public var extra:Int;

	public function new() {
		n = 0;
	}

	public function bump():Int {
		n += 1;
		extra += 1;
		return n + extra;
	}
}

class Main {
	static var c:Counter;

	static function main() {
		c = new Counter();
	}

	public static function step() {
		Sys.println("v2 n=" + c.bump());
	}
}
