class Main {
	static function main() {}

	public static function greet() {
		Sys.println("hello from v2, " + twice(4));
	}

	public static function other() {
		Sys.println("other " + twice(21));
	}

	static function twice(x:Int):Int {
		return x * 2;
	}
}
