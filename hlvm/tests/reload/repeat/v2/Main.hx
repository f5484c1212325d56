class Main {
	static var total = 0;

	static function main() {}

	public static function step() {
		total += 10;
		Sys.println("v2 total=" + total);
	}
}
