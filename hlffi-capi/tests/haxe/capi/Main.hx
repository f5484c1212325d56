// The Haxe side of the C API tests (hlffi-capi/tests/c/*.c).
enum Color {
	Red;
	Green;
	Rgb(r:Int, g:Int, b:Int);
}

class Entity {
	public var name:String;
	public var hp:Int;
	public var speed:Float;
	public var alive:Bool;

	public function new(name:String, hp:Int) {
		this.name = name;
		this.hp = hp;
		speed = 1.5;
		alive = true;
	}

	public function damage(n:Int):Int {
		hp -= n;
		if (hp <= 0) {
			hp = 0;
			alive = false;
		}
		return hp;
	}

	public function describe():String {
		return name + ":" + hp;
	}

	public function fail():Void {
		throw "entity failure";
	}

	public function isAlive():Bool {
		return alive;
	}

	public function getSpeed():Float {
		return speed;
	}
}

class Player extends Entity {
	public var score:Int = 0;

	public function new(name:String) {
		super(name, 100);
	}

	override public function describe():String {
		return "Player " + super.describe();
	}
}

class Main {
	public static var counter:Int = 0;
	public static var ratio:Float = 0.5;
	public static var flag:Bool = false;
	public static var title:String = "hello";
	public static var onEvent:Dynamic = null;
	public static var ints:Array<Int> = [1, 2, 3];
	public static var names:Array<String> = ["a", "b"];
	public static var scores:Map<String, Int> = ["ann" => 3, "bob" => 5];
	public static var ids:Map<Int, String> = [1 => "one", 2 => "two"];
	public static var color:Color = Rgb(1, 2, 3);
	public static var data:haxe.io.Bytes = haxe.io.Bytes.ofString("abc");
	public static var ticks:Int = 0;
	public static var log:Array<String> = [];
	public static var mutex:sys.thread.Mutex = new sys.thread.Mutex();
	public static var native:hl.NativeArray<Int> = makeNative();

	static function makeNative():hl.NativeArray<Int> {
		var a = new hl.NativeArray<Int>(3);
		a[0] = 5;
		a[1] = 6;
		a[2] = 7;
		return a;
	}

	public static function nativeSum():Int {
		var s = 0;
		for (i in 0...native.length)
			s += native[i];
		return s;
	}

	static function main() {
		log.push("main");
	}

	public static function add(a:Int, b:Int):Int {
		return a + b;
	}

	public static function mulf(a:Float, b:Float):Float {
		return a * b;
	}

	public static function greet(name:String):String {
		return "Hello, " + name + "!";
	}

	public static function len(s:String):Int {
		return s.length;
	}

	public static function incr():Int {
		return ++counter;
	}

	public static function noop():Void {}

	public static function throwing(level:Int):Int {
		if (level > 5)
			throw "Invalid level: " + level;
		return level;
	}

	public static function callEvent(x:Int):Dynamic {
		return onEvent(x, "from haxe");
	}

	public static function sumArray(a:Array<Int>):Int {
		var s = 0;
		for (x in a)
			s += x;
		return s;
	}

	public static function joinArray(a:Array<Dynamic>):String {
		return a.join(",");
	}

	public static function mapSize(m:Map<String, Int>):Int {
		var n = 0;
		for (_ in m)
			n++;
		return n;
	}

	public static function colorName(c:Color):String {
		return switch (c) {
			case Red: "red";
			case Green: "green";
			case Rgb(r, g, b): 'rgb($r,$g,$b)';
		}
	}

	public static function bytesSum(b:haxe.io.Bytes):Int {
		var s = 0;
		for (i in 0...b.length)
			s += b.get(i);
		return s;
	}

	public static function startTimer():Void {
		haxe.Timer.delay(() -> ticks++, 1);
	}

	public static function record(s:String):Void {
		log.push(s);
	}

	public static function joined():String {
		return log.join(",");
	}

	public static function makePlayer(n:String):Player {
		return new Player(n);
	}

	public static function garbage(n:Int):Int {
		var a = [];
		for (i in 0...n)
			a.push("s" + i);
		return a.length;
	}
}
