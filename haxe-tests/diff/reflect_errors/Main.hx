// Error messages and edge behaviour of reflection and dynamic access: missing fields,
// wrong argument counts, wrong types, null receivers, statics, typeof of special kinds.
class Thing {
	public var n:Int = 1;
	public var s:String = "s";
	public var f:Float = 1.5;
	public static var count:Int = 0;

	public function new(?a:Int, ?b:String) {
		if (a != null)
			n = a;
		if (b != null)
			s = b;
	}

	public function add(x:Int, y:Int) return x + y + n;

	public static function stat(x:Int) return x * 2;
}

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function attempt(label:String, f:() -> Dynamic) {
		try {
			p(label, f());
		} catch (e:Dynamic) {
			p(label + " threw", e);
		}
	}

	static function main() {
		var t = new Thing();
		var d:Dynamic = t;
		attempt("missing field read", () -> d.missing);
		attempt("missing field write", () -> {
			d.missing = 1;
			"written";
		});
		attempt("Reflect.field missing", () -> Reflect.field(t, "missing"));
		attempt("Reflect.setField missing", () -> {
			Reflect.setField(t, "missing", 1);
			"set";
		});
		attempt("setField wrong type", () -> {
			Reflect.setField(t, "n", "not an int");
			t.n;
		});
		attempt("setField float to int", () -> {
			Reflect.setField(t, "n", 2.7);
			t.n;
		});
		attempt("setField int to float", () -> {
			Reflect.setField(t, "f", 3);
			t.f;
		});
		attempt("setField null to int", () -> {
			Reflect.setField(t, "n", null);
			t.n;
		});
		attempt("setField int to string", () -> {
			Reflect.setField(t, "s", 5);
			t.s;
		});
		attempt("dynamic write wrong type", () -> {
			d.n = "str";
			t.n;
		});
		attempt("callMethod too few", () -> Reflect.callMethod(t, Reflect.field(t, "add"), [1]));
		attempt("callMethod too many", () -> Reflect.callMethod(t, Reflect.field(t, "add"), [1, 2, 3]));
		attempt("callMethod wrong type", () -> Reflect.callMethod(t, Reflect.field(t, "add"), ["a", 2]));
		attempt("callMethod float args", () -> Reflect.callMethod(t, Reflect.field(t, "add"), [1.9, 2.9]));
		attempt("callMethod null function", () -> Reflect.callMethod(t, null, []));
		attempt("callMethod not a function", () -> Reflect.callMethod(t, (5 : Dynamic), []));
		attempt("dynamic call missing method", () -> d.nope(1));
		attempt("dynamic call method", () -> d.add(1, 2));
		attempt("dynamic call with too few", () -> d.add(1));
		attempt("static via Reflect", () -> Reflect.callMethod(Thing, Reflect.field(Thing, "stat"), [21]));
		attempt("static field read", () -> Reflect.field(Thing, "count"));
		attempt("static field write", () -> {
			Reflect.setField(Thing, "count", 5);
			Thing.count;
		});
		attempt("getProperty missing", () -> Reflect.getProperty(t, "zzz"));
		attempt("createInstance no args", () -> Type.createInstance(Thing, []).n);
		attempt("createInstance args", () -> Type.createInstance(Thing, [7, "x"]).s);
		attempt("createInstance too many", () -> Type.createInstance(Thing, [1, "a", 3]).n);
		attempt("createInstance wrong type", () -> Type.createInstance(Thing, ["a"]).n);
		attempt("createInstance String", () -> Type.createInstance(String, ["abc"]));
		attempt("createInstance Array", () -> Type.createInstance(Array, []));
		attempt("createEmptyInstance String", () -> Type.createEmptyInstance(String) == null);
		attempt("null receiver field", () -> Reflect.field(null, "x"));
		attempt("null receiver setField", () -> {
			Reflect.setField(null, "x", 1);
			"set";
		});
		attempt("fields of int", () -> Reflect.fields(5));
		attempt("fields of string", () -> Reflect.fields("str"));
		attempt("fields of array", () -> Reflect.fields([1]));
		attempt("hasField method", () -> Reflect.hasField(t, "add"));
		attempt("isObject enum", () -> Reflect.isObject(haxe.io.Error.Blocked));
		attempt("typeof Single", () -> Type.typeof((1.5 : Single)));
		attempt("typeof Int64", () -> Type.typeof(haxe.Int64.make(1, 1)));
		attempt("typeof Bytes", () -> Type.typeof(haxe.io.Bytes.alloc(1)));
		attempt("typeof class instance method", () -> Type.typeof(t.add));
		attempt("typeof Thing class", () -> Type.typeof(Thing));
		attempt("getClass of class", () -> Type.getClass(Thing));
		attempt("getEnum of non-enum", () -> Type.getEnum(cast 5));
		attempt("getClassName null", () -> Type.getClassName(null));
		attempt("cast to wrong class", () -> cast(d, String));
		attempt("Std.downcast interface", () -> Std.downcast(d, Thing).n);
		attempt("string index", () -> {
			var s:Dynamic = "abc";
			s[1];
		});
		attempt("deleteField class", () -> Reflect.deleteField(t, "n"));
		attempt("compare objects", () -> Reflect.compare(t, t));
		attempt("compare enum", () -> Reflect.compare(haxe.io.Error.Blocked, haxe.io.Error.Blocked));
		attempt("compare strings dyn", () -> Reflect.compare(("abc" : Dynamic), ("abd" : Dynamic)));
		attempt("compare int float", () -> Reflect.compare((1 : Dynamic), (1.5 : Dynamic)));
		attempt("compare bool", () -> Reflect.compare(true, false));
	}
}
