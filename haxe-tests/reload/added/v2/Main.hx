// Hot reload: v2 adds a static method and a class that the changed code uses.
class Extra {
	public var k:Int;

	public function new(k:Int) {
		this.k = k;
	}

	public function twice():Int {
		return k * 2;
	}

	public static function make(k:Int):Extra {
		return new Extra(k);
	}
}

class Main {
	public static var calls:Int = 0;

	static function main() {
		calls = 1;
	}

	public static function value():String {
		calls++;
		return "v2 calls=" + calls + " helper=" + helper(3) + " extra=" + Extra.make(5).twice();
	}

	public static function helper(x:Int):Int {
		return x + 100;
	}
}
