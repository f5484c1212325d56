// Hot reload: signature changes. v2 changes an instance method's signature (it gets a
// new function; handles made before keep the old, type-correct body); v3 changes a
// static function's signature (refused: the class object's field would change type).
class Greeter {
	public var name:String;

	public function new(name:String) {
		this.name = name;
	}

	public function tag():Int {
		return 42;
	}

	public function greet(punct:String):String {
		return "hello " + name + punct;
	}
}

class Main {
	public static var g:Greeter;

	static function main() {
		g = new Greeter("ada");
	}

	public static function value(x:Int):String {
		return "v3 " + x;
	}

	public static function callValue():String {
		return "via " + value(7);
	}

	public static function boundGreet():Dynamic {
		return g.greet;
	}

	public static function callGreet():String {
		return g.greet("!");
	}
}
