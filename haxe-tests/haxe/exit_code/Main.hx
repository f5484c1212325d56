// Sys.exit(n) ends the program at once with exit code n: later code does not run and a
// surrounding catch does not see it.
class Main {
	static function leave(code:Int):Void {
		Sys.println("exiting with " + code);
		Sys.exit(code);
		Sys.println("still in leave");
	}

	static function main() {
		Sys.println("before exit");
		var code = 0;
		for (i in 0...3)
			code += i;
		try {
			leave(code);
		} catch (e:Dynamic) {
			Sys.println("caught " + e);
		}
		Sys.println("after exit");
	}
}
