class Main {
	static var total = 0;

	static function main() {}

	public static function step() {
		total += 1;
		Sys.println("v1 total=" + total);
	}
}
