class Main {
	static var calls = 0;

	static function main() {}

	public static function step() {
		calls++;
		Sys.println("v1 calls=" + calls);
	}
}
