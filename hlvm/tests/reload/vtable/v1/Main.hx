class Base {
	public function new() {}

	public function name():String {
		return "base";
	}

	public function kind():String {
		return "k-base";
	}
}

class Mid extends Base {
	override public function kind():String {
		return "k-mid";
	}

	public function extra():String {
		return "x-mid";
	}
}

class Leaf extends Mid {
	override public function extra():String {
		return "x-leaf";
	}
}

class Main {
	static var objs:Array<Base> = [new Base(), new Mid(), new Leaf()];

	static function main() {}

	public static function step() {
		var parts = [for (o in objs) o.name() + "/" + o.kind()];
		var m:Mid = cast objs[2];
		Sys.println(parts.join(" ") + " " + m.extra());
	}
}
