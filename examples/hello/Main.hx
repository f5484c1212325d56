// A small Haxe program for `scripts/run-example.sh`: classes with inheritance, closures,
// a Map and string building, run by `hlffi run`.

class Shape {
	public var name:String;

	public function new(name:String) {
		this.name = name;
	}

	public function area():Float {
		return 0;
	}

	public function describe():String {
		return name + " with area " + area();
	}
}

class Rect extends Shape {
	var w:Float;
	var h:Float;

	public function new(w:Float, h:Float) {
		super("rect " + w + "x" + h);
		this.w = w;
		this.h = h;
	}

	override public function area():Float {
		return w * h;
	}
}

class Circle extends Shape {
	var r:Float;

	public function new(r:Float) {
		super("circle r=" + r);
		this.r = r;
	}

	override public function area():Float {
		return Math.PI * r * r;
	}
}

class Main {
	static function makeCounter(step:Int):Void->Int {
		var count = 0;
		return function() {
			count += step;
			return count;
		};
	}

	static function main() {
		Sys.println("Hello from Haxe on hlffi!");

		var shapes:Array<Shape> = [new Rect(2, 3), new Circle(1), new Rect(0.5, 4)];
		for (s in shapes)
			Sys.println(s.describe());

		var byTens = makeCounter(10);
		byTens();
		byTens();
		Sys.println("counter after 3 calls: " + byTens());

		var words = "the quick brown fox jumps over the lazy dog the end".split(" ");
		var counts = new Map<String, Int>();
		for (w in words)
			counts.set(w, (counts.exists(w) ? counts.get(w) : 0) + 1);
		var keys = [for (k in counts.keys()) k];
		keys.sort(Reflect.compare);
		var buf = new StringBuf();
		for (k in keys) {
			if (buf.length > 0)
				buf.add(", ");
			buf.add(k + "=" + counts.get(k));
		}
		Sys.println("word counts: " + buf.toString());

		var squares = [for (i in 1...6) i * i].map(x -> x + 1).filter(x -> x % 2 == 0);
		Sys.println("even squares+1: " + squares.join(" "));
	}
}
