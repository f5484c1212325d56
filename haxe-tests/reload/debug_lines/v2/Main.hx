// Hot reload: exceptions thrown by new code report the new source lines, also for a
// function whose code did not change but moved down in the file.
class Main {
	static function main() {}

	public static function fail():Int {
		var n = 1;
		throw "boom v2";
	}

	// Three lines were added above, so `moved` is three lines further down.

	public static function moved():Int {
		throw "moved";
	}
}
