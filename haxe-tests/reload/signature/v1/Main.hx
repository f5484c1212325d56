// Hot reload: signature changes. v2 changes an instance method's signature (it gets a
// new function; handles made before keep the old, type-correct body); v3 changes a
// static function's signature (refused: the class object's field would change type).
class Greeter {
	public var name:String;

	public function new(name:String) {
		this.name = name;
	}

	public function tag():String {
		return "tag " + name;
	}

	public function greet():String {
		return "hi " + name;
	}
}

class Main {
	public static var g:Greeter;

	static function main() {
		g = new Greeter("ada");
	}

	public static function value():String {
		return "v1";
	}

	public static function callValue():String {
		return "via " + value();
	}

	public static function boundGreet():Dynamic {
		return g.greet;
	}

	public static function callGreet():String {
		return g.greet();
	}
}
