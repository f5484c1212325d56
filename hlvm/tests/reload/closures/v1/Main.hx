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
	static var f:Int->Int;
	static var g:Void->String;
	static var bound:Void->String;

	static function main() {
		var k = 10;
		f = function(x) return x * k;
		g = () -> "g v1";
		bound = new Thing("t").describe;
	}

	public static function step() {
		Sys.println(f(2) + " " + g() + " " + bound());
	}
}
