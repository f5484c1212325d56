// Hot reload: an instance method's body changes; objects made before see the new code.
class Counter {
	public var n:Int;
	public var name:String;

	public function new(name:String) {
		this.name = name;
		n = 0;
	}

	public function bump():Int {
		n += 1;
		return n;
	}

	public function describe():String {
		return name + " n=" + n + " v1";
	}
}

class Main {
	public static var made:Counter;

	static function main() {
		made = new Counter("made");
		made.bump();
	}

	public static function bumpMade():Int {
		return made.bump();
	}
}
