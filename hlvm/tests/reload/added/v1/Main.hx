interface Named {
	function name():String;
}

class First implements Named {
	public function new() {}

	public function name():String {
		return "first";
	}
}

class Main {
	static var first:Named = new First();

	static function main() {}

	public static function step() {
		Sys.println("v1 " + first.name() + " " + Std.isOfType(first, Named));
	}
}
