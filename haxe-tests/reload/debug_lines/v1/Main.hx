// Hot reload: exceptions thrown by new code report the new source lines, also for a
// function whose code did not change but moved down in the file.
class Main {
	static function main() {}

	public static function fail():Int {
		throw "boom v1";
	}

	public static function moved():Int {
		throw "moved";
	}
}
