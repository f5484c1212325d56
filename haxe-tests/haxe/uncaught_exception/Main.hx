class Validator {
	public function new() {}

	public function checkRange(v:Int):Int { if (v > 2) throw "out of range: " + v; return v * 10; }
}

class Main {
	static function sumChecked(v:Validator, n:Int):Int { var total = 0; for (i in 0...n) total += v.checkRange(i); return total; }

	static function main() {
		var v = new Validator();
		Sys.println("small: " + sumChecked(v, 3));
		Sys.println("large: " + sumChecked(v, 5));
	}
}
// An uncaught exception prints `Uncaught exception: <value>` and one `Called from` line per
// frame (innermost first) on stdout and exits with code 1. Each function above that appears
// in the stack is written on one line, so every op of it carries the same debug line.
