// Sys.args(): the harness passes the lines of the `args` file as program arguments.
class Main {
	static function main() {
		var args = Sys.args();
		Sys.println("count: " + args.length);
		for (i in 0...args.length)
			Sys.println(i + ": [" + args[i] + "] length " + args[i].length);
		var n = Std.parseInt(args[args.length - 1]);
		Sys.println("last as int plus one: " + (n + 1));
		trace("joined " + args.join(","));
	}
}
