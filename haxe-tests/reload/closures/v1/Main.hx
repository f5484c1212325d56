// Hot reload: closures made before the reload (by a static initialiser, in main, a
// bound method) run the new code.
class Thing {
	var name:String;

	public function new(name:String) {
		this.name = name;
	}

	public function describe():String {
		return "thing " + name + " v1";
	}
}

class Main {
	public static var f:Void->String = () -> "f v1";
	public static var g:Int->String;
	public static var bound:Void->String;
	public static var hook:Int->Int;

	static function main() {
		var base = 10;
		g = (x:Int) -> "g v1 " + (base + x);
		bound = new Thing("t").describe;
	}

	public static function callHook(x:Int):Int {
		return hook(x) + 1;
	}

	public static function callAll():String {
		return f() + "|" + g(1) + "|" + bound();
	}
}
