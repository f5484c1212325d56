// Hot reload: a static method's body changes between versions.
class Main {
	public static var calls:Int = 0;

	static function main() {}

	public static function value():String {
		calls++;
		return "v2";
	}

	public static function callValue():String {
		return "via " + value();
	}

	public static function twice(x:Int):Int {
		return x * 2;
	}
}
