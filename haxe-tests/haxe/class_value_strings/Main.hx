enum Color { Red; Green; }
class Point { public var x:Int = 1; public function new() {} }
class Named { public function new() {} public function toString() return "Named!"; }
interface IFace {}
class Main {
	static function main() {
		Sys.println(Std.string(Point));
		Sys.println("" + Point);
		trace(Point);
		var c:Dynamic = Point;
		Sys.println(c);
		Sys.println(Std.string(Main));
		Sys.println(Std.string(Color));
		Sys.println(Std.string(IFace));
		Sys.println(Std.string(String));
		Sys.println(Std.string(Array));
		Sys.println(Std.string(haxe.ds.StringMap));
		Sys.println(Std.string(Named));
		Sys.println(Std.string(new Point()));
		Sys.println(Std.string(new Named()));
		Sys.println(Std.string([Point, Main]));
		Sys.println(Type.getClassName(Point));
		Sys.println(Std.string(Type.getClass(new Point())));
		Sys.println(Std.string(Red));
		Sys.println(Std.string(Type.typeof(new Point())));
		Sys.println(Std.string(Type.typeof(Point)));
		Sys.println(Std.string(Type.typeof(Red)));
		Sys.println(Std.string({c: Point}));
		var fs = Std.string(Main.main);
		Sys.println(StringTools.startsWith(fs, "function#") + " " + (fs.length > 9));
		Sys.println(Std.string(Math));
	}
}
