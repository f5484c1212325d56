// Lifecycle: main runs, throws on demand, and can exit.
class Main {
	public static var started = 0;
	public static var mode = "";

	static function main() {
		started++;
		trace("main ran");
		var args = Sys.args();
		if (args.length > 0 && args[0] == "throw")
			throw "boom in main";
		if (args.length > 0 && args[0] == "exit")
			Sys.exit(3);
	}

	public static function ping():Int {
		return started;
	}
}
