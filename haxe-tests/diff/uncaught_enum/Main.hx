// An uncaught exception whose value is an enum value with parameters.
enum Problem {
	Bad(reason:String, level:Int);
}

class Main {
	static function check(n:Int) {
		if (n > 2)
			throw Bad("too big", n);
		return n;
	}

	static function main() {
		for (i in 0...5)
			Sys.println("checked " + check(i));
	}
}
