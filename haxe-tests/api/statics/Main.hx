// Statics and value conversions.
class Main {
	public static var counter:Int = 0;
	public static var title:String = "game";
	public static var ratio:Float = 0.5;
	public static var enabled:Bool = true;
	public static var maybe:Null<Int> = null;
	public static var anything:Dynamic = null;
	public static var single:Single = 1.5;
	public static var point:Point = null;

	static function main() {
		counter = 1;
		point = new Point(1, 2);
	}

	public static function add(a:Int, b:Int):Int
		return a + b;

	public static function inc(n:Int):Int
		return n + 1;

	public static function half(x:Float):Float
		return x / 2;

	public static function greet(name:String):String
		return "Hello, " + name + " (" + name.length + ")";

	public static function mix(a:Int, b:Float, c:String, d:Bool):String
		return a + "|" + b + "|" + c + "|" + d;

	public static function negate(b:Bool):Bool
		return !b;

	public static function describe(x:Null<Int>):String
		return x == null ? "none" : "some " + x;

	public static function maybeName(give:Bool):Null<String>
		return give ? "named" : null;

	public static function typeOf(d:Dynamic):String
		return Std.string(Type.typeof(d));

	public static function isPoint(d:Dynamic):Bool
		return Std.isOfType(d, Point);

	public static function fail(msg:String):Int
		throw msg;

	public static function failObject():Int
		throw new haxe.Exception("structured failure");

	public static function divide(a:Int, b:Int):Int {
		if (b == 0)
			throw "division by zero";
		return Std.int(a / b);
	}

	public static function bump():Void
		counter++;

	public static function wide(a:Int, b:Int, c:Int, d:Int, e:Int, f:Int, g:Int, h:Int):Int
		return a + b * 2 + c * 3 + d * 4 + e * 5 + f * 6 + g * 7 + h * 8;

	public static function makePoint(x:Float, y:Float):Point
		return new Point(x, y);

	public static function pointSum(p:Point):Float
		return p.x + p.y;

	public static function big(x:hl.I64):hl.I64
		return x * 2;

	public static function useSingle(s:Single):Float
		return s * 2;
}

class Point {
	public var x:Float;
	public var y:Float;

	public function new(x:Float, y:Float) {
		this.x = x;
		this.y = y;
	}
}
