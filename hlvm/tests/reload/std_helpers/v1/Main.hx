class Main {
	static var f:Int->Int;

	static function main() {
		f = x -> x + 1;
	}

	public static function value():String {
		Sys.println("v1");
		return "v1";
	}

	public static function words():String {
		Sys.println("a b c".split(" ").join("+") + " " + f(1));
		return "";
	}
}
