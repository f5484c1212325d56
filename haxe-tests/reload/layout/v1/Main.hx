// Hot reload: v2 adds a field to Counter (refused: live objects have the old layout);
// v3 only changes a body (accepted).
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
	public static var c:Counter;

	static function main() {
		c = new Counter();
	}

	public static function step():String {
		return "v1 n=" + c.bump();
	}
}
