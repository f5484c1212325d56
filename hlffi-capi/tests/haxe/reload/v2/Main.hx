// Hot reload through the C API: version 2: a changed body.
class Counter {
	public var n:Int = 0;

	public function new() {}
}

class Main {
	public static var calls:Int = 0;
	public static var counter:Counter = new Counter();

	static function main() {}

	public static function value():String {
		calls++;
		return "v2";
	}

	public static function step():String {
		counter.n++;
		return value() + " n=" + counter.n;
	}
}
