class Main {
	static function main() {}

	public static function step() {
		Sys.println("v1");
	}
}
