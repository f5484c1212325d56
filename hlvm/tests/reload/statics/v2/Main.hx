class Point {
	public var x:Int;
	public var y:Int;

	public function new(x:Int, y:Int) {
		this.x = x;
		this.y = y;
	}
}

class Main {
	static var added:Int = 42;
	static var counter:Int = 0;
	static var list:Array<String> = [];
	static function fresh():String {
		return "fresh";
	}
	static var map:Map<String, Int> = new Map();
	static var pt:Point;
	static var name:String = "init";
	static var tag:String = "tag";

	static function main() {
		pt = new Point(1, 2);
	}

	public static function step() {
		counter++;
		added++;
		list.push("s" + counter);
		map.set("k" + counter, counter * 10);
		pt.y += 1;
		Sys.println('v2 counter=$counter list=${list.join(",")} map=${map.get("k" + counter)} keys=${[for (k in map.keys()) k].length} pt=${pt.x},${pt.y} name=$name added=$added tag=$tag ${fresh()}');
	}
}
