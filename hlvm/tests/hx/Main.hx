// A small program exercising most sections of an HLB file: classes with methods and
// fields, an interface, an enum, closures, strings, floats, maps and exceptions.
interface Shape {
	function area():Float;
}

class Rect implements Shape {
	var w:Float;
	var h:Float;

	public function new(w:Float, h:Float) {
		this.w = w;
		this.h = h;
	}

	public function area():Float
		return w * h;
}

enum Op {
	Push(v:Int);
	Pop;
	Label(name:String);
}

class Main {
	static var counter = 0;

	static function main() {
		var shapes:Array<Shape> = [new Rect(2, 3), new Rect(1.5, 4)];
		var total = 0.0;
		for (s in shapes)
			total += s.area();
		Sys.println("area " + total);
		var ops = [Push(1), Push(2), Label("x"), Pop];
		var names = ops.map(function(o) return Std.string(o));
		Sys.println(names.join(";"));
		var m = new Map<String, Int>();
		m.set("a", 1);
		m.set("b", 2);
		Sys.println("sum " + (m.get("a") + m.get("b")));
		var add = function(x:Int) return x + ++counter;
		Sys.println("closure " + add(10) + " " + add(10));
		try {
			throw "oops";
		} catch (e:String) {
			Sys.println("caught " + e);
		}
		Sys.println(StringTools.replace("hello world", "o", "0"));
	}
}
