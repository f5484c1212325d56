enum Mode {
	Fast;
	Slow;
	Custom(speed:Int);
}

interface Named {
	function name():String;
}

interface Sized {
	function size():Int;
}

class First implements Named {
	public function new() {}

	public function name():String {
		return "first";
	}
}

class Extra implements Named implements Sized {
	public static var made = 0;
	public static var base = 7;

	public var v:Int;

	public function new(v:Int) {
		this.v = v;
	}

	public function name():String {
		return "extra" + v;
	}

	public function size():Int {
		return v;
	}

	public function twice():Int {
		return v * 2;
	}

	public static function make(v:Int):Extra {
		made++;
		return new Extra(v);
	}
}

class Main {
	static var first:Named = new First();

	static function main() {}

	static function helper(x:Int):Int {
		return x + 100;
	}

	static function speed(m:Mode):Int {
		return switch m {
			case Fast: 1;
			case Slow: 2;
			case Custom(s): s;
		}
	}

	public static function step() {
		var e = Extra.make(5);
		var m = Slow;
		Sys.println("v2 " + helper(e.twice()) + " made=" + Extra.made + " base=" + Extra.base + " " + m + "=" + speed(m) + " "
			+ Custom(9) + "=" + speed(Custom(9)) + " " + (m == Slow) + " " + Type.enumIndex(Fast));
		var n:Named = e;
		var d:Dynamic = 2.5;
		var z:Sized = e;
		Sys.println(first.name() + " " + n.name() + " " + z.size() + " " + Std.isOfType(first, Named) + " " + Std.isOfType(e, Named) + " "
			+ Std.isOfType(e, Sized) + " " + Std.isOfType(first, Sized) + " " + Std.isOfType(d, Float) + " " + Std.isOfType(d, Int) + " "
			+ Type.getClassName(Extra) + " " + Type.getEnumName(Mode) + " " + Type.getClassName(Type.getClass(e)));
	}
}
