class Point {
	public var x:Int;
	public var y:Int;

	public function new(x:Int, y:Int) {
		this.x = x;
		this.y = y;
	}
}

class Main {
	static var counter:Int = 0;
	static var list:Array<String> = [];
	static var map:Map<String, Int> = new Map();
	static var pt:Point;
	static var name:String = "init";

	static function main() {
		pt = new Point(1, 2);
	}

	public static function step() {
		counter++;
		list.push("s" + counter);
		map.set("k" + counter, counter * 10);
		pt.x += 1;
		Sys.println('v1 counter=$counter list=${list.join(",")} map=${map.get("k" + counter)} pt=${pt.x},${pt.y} name=$name');
	}
}
