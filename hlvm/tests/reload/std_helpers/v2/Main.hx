class Main {
	static var f:Int->Int;

	static function main() {
		// Calls a standard-library helper (an array literal) before making the closure.
		var unused = [1, 2];
		f = x -> x + 1;
	}

	public static function value():String {
		// Starts to call standard-library helpers genhl gives no name.
		var parts = ["v", "2"];
		Sys.println(parts.join(""));
		return parts.join("");
	}

	public static function words():String {
		Sys.println("a b c".split(" ").join("+") + " " + f(1));
		return "";
	}
}
