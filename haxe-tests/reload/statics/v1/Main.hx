// Hot reload: statics (Int, Array, Map, object, String) keep their runtime values.
class Point {
	public var x:Int;
	public var y:Int;

	public function new(x:Int, y:Int) {
		this.x = x;
		this.y = y;
	}
}

class Main {
	public static var counter:Int = 0;
	public static var list:Array<String> = [];
	public static var map:Map<String, Int> = new Map();
	public static var pt:Point;
	public static var name:String = "init";

	static function main() {
		pt = new Point(1, 1);
	}

	public static function step():String {
		counter++;
		list.push("s" + counter);
		map.set("k" + counter, counter * 10);
		pt.x += 1;
		return "v1 counter=" + counter + " list=" + list.join(",") + " map=" + map.get("k" + counter) + " pt=" + pt.x + "," + pt.y + " name=" + name;
	}
}
