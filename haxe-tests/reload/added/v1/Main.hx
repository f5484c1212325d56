// Hot reload: v2 adds a static method and a class that the changed code uses.
class Main {
	public static var calls:Int = 0;

	static function main() {
		calls = 1;
	}

	public static function value():String {
		calls++;
		return "v1 calls=" + calls;
	}
}
