// Reflect: fields of anonymous objects and class instances, calls, comparisons, properties.
class Point {
	public var x:Int;
	public var y:Float;
	public var name:String;
	public var prop(get, set):Int;
	var hidden:Int = 7;

	public function new(x, y) {
		this.x = x;
		this.y = y;
		name = "pt";
	}

	function get_prop() return x * 10;

	function set_prop(v:Int) {
		x = v;
		return v;
	}

	public function sum(k:Int):Float return x + y + k;

	public static function stat(a:Int, b:Int) return a - b;
}

enum Color { Red; Rgb(r:Int, g:Int, b:Int); }

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function sorted(a:Array<String>) {
		a.sort(Reflect.compare);
		return a;
	}

	static function main() {
		var o:Dynamic = {a: 1, b: "two", c: [3], d: null, e: 2.5};
		p("field a", Reflect.field(o, "a"));
		p("field b", Reflect.field(o, "b"));
		p("field missing", Reflect.field(o, "zz"));
		p("field d", Reflect.field(o, "d"));
		p("has a", Reflect.hasField(o, "a"));
		p("has d", Reflect.hasField(o, "d"));
		p("has zz", Reflect.hasField(o, "zz"));
		p("fields", sorted(Reflect.fields(o)));
		Reflect.setField(o, "f", "new");
		p("after set", Reflect.field(o, "f"));
		p("fields2", sorted(Reflect.fields(o)));
		p("delete b", Reflect.deleteField(o, "b"));
		p("delete b again", Reflect.deleteField(o, "b"));
		p("fields3", sorted(Reflect.fields(o)));
		var c = Reflect.copy(o);
		Reflect.setField(c, "a", 100);
		p("copy a", Reflect.field(c, "a"));
		p("orig a", Reflect.field(o, "a"));
		p("copy null", Reflect.copy(null));

		var pt = new Point(2, 3.5);
		p("pt x", Reflect.field(pt, "x"));
		p("pt y", Reflect.field(pt, "y"));
		p("pt name", Reflect.field(pt, "name"));
		p("pt hidden", Reflect.field(pt, "hidden"));
		p("pt prop field", Reflect.field(pt, "prop"));
		p("pt getProperty", Reflect.getProperty(pt, "prop"));
		Reflect.setProperty(pt, "prop", 5);
		p("pt x after setProperty", pt.x);
		Reflect.setField(pt, "x", 11);
		p("pt x after setField", pt.x);
		p("pt has x", Reflect.hasField(pt, "x"));
		p("pt has sum", Reflect.hasField(pt, "sum"));
		p("pt has zz", Reflect.hasField(pt, "zz"));
		p("pt fields", sorted(Reflect.fields(pt)));
		var m = Reflect.field(pt, "sum");
		p("isFunction method", Reflect.isFunction(m));
		p("callMethod", Reflect.callMethod(pt, m, [4]));
		p("call static", Reflect.callMethod(Point, Reflect.field(Point, "stat"), [10, 3]));
		var f = function(a:Int, b:Int, c:Int) return a * 100 + b * 10 + c;
		p("call closure", Reflect.callMethod(null, f, [1, 2, 3]));
		p("isFunction closure", Reflect.isFunction(f));
		p("isFunction int", Reflect.isFunction(1));
		p("isFunction null", Reflect.isFunction(null));
		p("compareMethods same", Reflect.compareMethods(f, f));
		p("compareMethods other", Reflect.compareMethods(f, function() {}));
		p("compareMethods bound", Reflect.compareMethods(Reflect.field(pt, "sum"), Reflect.field(pt, "sum")));

		// isObject / isEnumValue
		p("isObject anon", Reflect.isObject(o));
		p("isObject inst", Reflect.isObject(pt));
		p("isObject string", Reflect.isObject("s"));
		p("isObject int", Reflect.isObject(1));
		p("isObject class", Reflect.isObject(Point));
		p("isObject null", Reflect.isObject(null));
		p("isObject array", Reflect.isObject([1]));
		p("isObject enum", Reflect.isObject(Red));
		p("isEnumValue Red", Reflect.isEnumValue(Red));
		p("isEnumValue Rgb", Reflect.isEnumValue(Rgb(1, 2, 3)));
		p("isEnumValue int", Reflect.isEnumValue(3));
		p("isEnumValue Color", Reflect.isEnumValue(Color));

		// compare
		p("compare 1 2", Reflect.compare(1, 2));
		p("compare 2 1", Reflect.compare(2, 1));
		p("compare 2 2", Reflect.compare(2, 2));
		p("compare 1.5 1", Reflect.compare(1.5, 1));
		p("compare a b", Reflect.compare("a", "b"));
		p("compare b a", Reflect.compare("b", "a"));
		p("compare ab a", Reflect.compare("ab", "a"));
		p("compare eq str", Reflect.compare("x", "x"));
		p("compare null null", Reflect.compare(null, null));
		p("compare null 1", Reflect.compare((null:Null<Int>), (1:Null<Int>)));
		p("compare 1 null", Reflect.compare((1:Null<Int>), (null:Null<Int>)));
		p("compare nan", Reflect.compare(Math.NaN, 1));
		p("compare Z a", Reflect.compare("Z", "a"));
		p("compare é e", Reflect.compare("é", "e"));

		// makeVarArgs
		var va = Reflect.makeVarArgs(function(args:Array<Dynamic>) return args.length + ":" + args.join(","));
		p("varargs 0", va());
		var vd:Dynamic = va;
		p("varargs 3", vd(1, "b", 3.5));

		// fields of class statics and of enums
		p("Point static field", Reflect.field(Point, "stat") != null);
		var arr:Dynamic = [1, 2];
		p("array length field", Reflect.field(arr, "length"));
		p("string length field", Reflect.field("hello", "length"));
		p("getProperty anon", Reflect.getProperty(o, "a"));
		Reflect.setProperty(o, "g", 9);
		p("setProperty anon", o.g);
		p("field null obj", Reflect.field(null, "x"));
		p("hasField null", Reflect.hasField(null, "x"));
	}
}
