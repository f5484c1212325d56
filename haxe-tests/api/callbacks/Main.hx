// Callbacks: natives bound by name, Rust closures as Haxe function values.
class Host {
	@:hlNative("game", "add") public static function add(a:Int, b:Int):Int
		return 0;

	@:hlNative("game", "log") public static function log(msg:String):Void {}

	@:hlNative("game", "scale") public static function scale(x:Float, k:Float):Float
		return 0;

	@:hlNative("game", "fail") public static function fail(why:String):Int
		return 0;

	@:hlNative("game", "spawn") public static function spawn(e:Enemy):Int
		return 0;

	@:hlNative("game", "reenter") public static function reenter(n:Int):Int
		return 0;
}

class Enemy {
	public var hp:Int;

	public function new(hp:Int)
		this.hp = hp;

	public function hit(n:Int):Int {
		hp -= n;
		return hp;
	}
}

class Main {
	public static var onEvent:Dynamic = null;
	public static var transform:Int->Int = null;
	public static var lastCaught:String = "";

	static function main() {}

	public static function useNatives():String {
		Host.log("hello from haxe");
		return Host.add(2, 3) + " " + Host.scale(1.5, 4);
	}

	public static function catchFailure(why:String):String {
		try {
			return "returned " + Host.fail(why);
		} catch (e:Dynamic) {
			lastCaught = Std.string(e);
			return "caught " + lastCaught;
		}
	}

	public static function failUncaught(why:String):Int
		return Host.fail(why);

	public static function fire(x:Int):Dynamic
		return onEvent(x);

	public static function applyTransform(x:Int):Int
		return transform(x);

	public static function applyTo(f:Int->Int, x:Int):Int
		return f(x);

	public static function callWith2(f:Dynamic):Dynamic
		return f("two", 2);

	public static function spawnEnemy(hp:Int):Int
		return Host.spawn(new Enemy(hp));

	public static function reenter(n:Int):Int
		return Host.reenter(n);

	public static function double(n:Int):Int
		return n * 2;
}
