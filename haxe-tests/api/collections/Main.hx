// Collections: arrays, maps, bytes, enums, abstracts; and reflection targets.
enum Color {
	Red;
	Green;
	Rgb(r:Int, g:Int, b:Int);
	Named(name:String);
}

abstract Meters(Float) from Float to Float {
	public inline function new(v:Float)
		this = v;

	public function double():Meters
		return new Meters(this * 2);
}

class Item {
	public var id:Int;

	public function new(id:Int)
		this.id = id;
}

class Main {
	public static var scores:Array<Int> = [];
	public static var weights:Array<Float> = [];
	public static var names:Array<String> = [];
	public static var items:Array<Item> = [];
	public static var table:Map<String, Int> = new Map();
	public static var byId:Map<Int, String> = new Map();
	public static var owners:Map<Item, String> = new Map();
	public static var data:haxe.io.Bytes = null;
	public static var color:Color = Red;
	public static var distance:Meters = new Meters(1.5);

	static function main() {
		scores = [1, 2, 3];
		weights = [0.5, 1.5];
		names = ["a", "b", "c"];
		items = [new Item(1), new Item(2)];
		table.set("one", 1);
		table.set("two", 2);
		byId.set(7, "seven");
		owners.set(items[0], "first");
		data = haxe.io.Bytes.alloc(4);
		data.set(0, 65);
		trace(distance.double());
	}

	public static function sum(xs:Array<Int>):Int {
		var s = 0;
		for (x in xs)
			s += x;
		return s;
	}

	public static function sumF(xs:Array<Float>):Float {
		var s = 0.0;
		for (x in xs)
			s += x;
		return s;
	}

	public static function join(xs:Array<String>):String
		return xs.join(",");

	public static function ids(xs:Array<Item>):String
		return [for (i in xs) i.id].join(",");

	public static function range(n:Int):Array<Int>
		return [for (i in 0...n) i * i];

	public static function total(m:Map<String, Int>):Int {
		var t = 0;
		for (k in m.keys())
			t += m.get(k);
		return t;
	}

	public static function describeIds(m:Map<Int, String>):String {
		var ks = [for (k in m.keys()) k];
		ks.sort(Reflect.compare);
		return [for (k in ks) k + "=" + m.get(k)].join(",");
	}

	public static function bytesSum(b:haxe.io.Bytes):Int {
		var s = 0;
		for (i in 0...b.length)
			s += b.get(i);
		return s;
	}

	public static function colorName(c:Color):String {
		return switch c {
			case Red: "red";
			case Green: "green";
			case Rgb(r, g, b): 'rgb($r,$g,$b)';
			case Named(n): "named " + n;
		}
	}

	public static function makeRgb(r:Int, g:Int, b:Int):Color
		return Rgb(r, g, b);

	public static function scoresLength():Int
		return scores.length;

	public static function lastName():String
		return names[names.length - 1];
}
