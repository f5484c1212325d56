// Hot reload through the C API: version 3: Counter gains a field (refused).
class Counter {
	public var n:Int = 0;
	public var extra:Int = 0;

	public function new() {}
}

class Main {
	public static var calls:Int = 0;
	public static var counter:Counter = new Counter();

	static function main() {}

	public static function value():String {
		calls++;
		return "v3";
	}

	public static function step():String {
		counter.n++;
		return value() + " n=" + counter.n;
	}
}
