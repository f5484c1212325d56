// haxe.Serializer / haxe.Unserializer: every value kind, caches, references, custom
// serialization, class and enum resolution, errors.
import haxe.Serializer;
import haxe.Unserializer;

class Point {
	public var x:Int;
	public var y:Float;
	public var label:String;
	public var next:Point;

	public function new(x, y) {
		this.x = x;
		this.y = y;
		label = "p" + x;
	}

	public function toString() return 'Point($x,$y,$label)';
}

class Custom {
	public var data:String;

	public function new(d) data = d;

	function hxSerialize(s:Serializer) {
		s.serialize(data.toUpperCase());
		s.serialize(data.length);
	}

	function hxUnserialize(u:Unserializer) {
		data = u.unserialize() + "/" + u.unserialize();
	}
}

enum Tree {
	Leaf;
	Node(l:Tree, v:Int, r:Tree);
	Tagged(s:String, ?t:Tree);
}

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function rt(label:String, v:Dynamic, useCache = false, useEnumIndex = false) {
		var s = new Serializer();
		s.useCache = useCache;
		s.useEnumIndex = useEnumIndex;
		s.serialize(v);
		var str = s.toString();
		var back:Dynamic = null;
		try {
			back = Unserializer.run(str);
		} catch (e:Dynamic) {
			back = "error " + e;
		}
		p(label, str + " -> " + Std.string(back));
	}

	static function main() {
		rt("null", null);
		rt("true", true);
		rt("false", false);
		rt("0", 0);
		rt("int", 12345);
		rt("neg int", -7);
		rt("min int", -2147483648);
		rt("float", 1.5);
		rt("float small", 1e-10);
		rt("float big", 1.7976931348623157e308);
		rt("float whole", 3.0);
		rt("nan", Math.NaN);
		rt("inf", Math.POSITIVE_INFINITY);
		rt("-inf", Math.NEGATIVE_INFINITY);
		rt("-0", -0.0 * 1);
		rt("string", "hello");
		rt("string special", "a b:c%d\ne😀");
		rt("empty string", "");
		rt("array", [1, 2, 3]);
		rt("array nulls", [null, null, null, 1, null]);
		rt("array mixed", [1, "a", 2.5, true, null, [1]]);
		rt("empty array", []);
		rt("anon", {a: 1, b: "x"});
		rt("nested anon", {inner: {deep: ([1, {z: null}] : Array<Dynamic>)}});
		rt("list", Lambda.list([1, 2]));
		rt("string map", ["a" => 1, "b" => 2]);
		rt("int map", [1 => "one", 2 => "two"]);
		var om = new Map<Point, String>();
		om.set(new Point(1, 2), "pt");
		rt("object map", om);
		rt("date", new Date(2020, 1, 2, 3, 4, 5));
		rt("bytes", haxe.io.Bytes.ofString("bytes!\x01\u00FF"));
		rt("bytes empty", haxe.io.Bytes.alloc(0));
		rt("class", new Point(3, 4.5));
		rt("enum", Node(Leaf, 5, Node(Leaf, 6, Leaf)));
		rt("enum index", Node(Leaf, 5, Tagged("t")), false, true);
		rt("enum optional", Tagged("x"));
		rt("custom", new Custom("abc"));
		rt("class value", Point);
		rt("enum value", Tree);
		var shared = new Point(7, 8);
		shared.next = shared;
		rt("cycle cache", shared, true);
		var str = "repeated";
		rt("string cache", [str, str, str]);
		rt("obj cache", [shared, shared], true);
		var arr = [1];
		rt("array cache", [arr, arr], true);
		var u = new Unserializer("i1i2i3");
		p("multiple", [u.unserialize(), u.unserialize(), u.unserialize()]);
		for (bad in ["", "x", "i", "a1", "y3:ab", "cNope;g", "wNope:0:0", "oy1:a", "Z"]) {
			try {
				p("bad " + bad, Unserializer.run(bad));
			} catch (e:Dynamic) {
				p("bad " + bad, "error " + e);
			}
		}
		Serializer.USE_CACHE = false;
		p("static run", Serializer.run({k: ([1.25, "v"] : Array<Dynamic>)}));
		var resolver = {
			resolveClass: function(name:String):Class<Dynamic> return name == "Renamed" ? Point : null,
			resolveEnum: function(name:String):Enum<Dynamic> return null
		};
		var un = new Unserializer("cy7:Renamedy1:xi1y1:yd2.5y5:labely2:hig");
		un.setResolver(resolver);
		p("resolver", un.unserialize());
	}
}
