// Dynamic calls and Reflect.callMethod with more and fewer arguments than the function takes.
class Obj {
	public var k:Int = 10;
	public function new() {}
	public function add(a:Int, b:Int):Int { return k + a + b; }
	public function one(a:Int):String { return "one(" + a + ")"; }
}

class Main {
	static function two(a:Int, b:Int):String { return "two(" + a + "," + b + ")"; }
	static function opt(a:Int, ?b:Int):String { return "opt(" + a + "," + b + ")"; }
	static function none():String { return "none()"; }
	static function fl(a:Float, b:String):String { return "fl(" + a + "," + b + ")"; }
	static function dynArgs(a:Dynamic, b:Dynamic):String { return "dynArgs(" + a + "," + b + ")"; }

	static function attempt(label:String, f:Void->Dynamic) {
		try {
			Sys.println(label + ": " + Std.string(f()));
		} catch (e:Dynamic) {
			Sys.println(label + ": exception " + Std.string(e));
		}
	}

	// not inline: Haxe 4.2.5 turns an inlined `d(...)` into a direct untyped call
	static function asDyn(f:Dynamic):Dynamic { return f; }

	static function main() {
		var t:Dynamic = asDyn(two);
		attempt("two exact", () -> t(1, 2));
		attempt("two more", () -> t(1, 2, 3));
		attempt("two many more", () -> t(1, 2, 3, 4, 5, 6));
		attempt("two fewer", () -> t(1));
		attempt("two none", () -> t());
		var n:Dynamic = asDyn(none);
		attempt("none more", () -> n(1));
		var o:Dynamic = asDyn(opt);
		attempt("opt one", () -> o(1));
		attempt("opt more", () -> o(1, 2, 3));
		var f:Dynamic = asDyn(fl);
		attempt("fl more", () -> f(1.5, "s", 3));
		attempt("fl fewer", () -> f(1.5));
		var da:Dynamic = asDyn(dynArgs);
		attempt("dynArgs fewer", () -> da(1));
		var obj = new Obj();
		var m:Dynamic = asDyn(obj.add);
		attempt("method more", () -> m(1, 2, 3));
		attempt("method fewer", () -> m(1));
		var lam:Dynamic = asDyn(function(x:Int) return x * 2);
		attempt("lambda more", () -> lam(4, 5));
		attempt("lambda fewer", () -> lam());
		var cap = 7;
		var clo:Dynamic = asDyn(function(x:Int, y:Int) return x + y + cap);
		attempt("capturing more", () -> clo(1, 2, 3));
		attempt("capturing fewer", () -> clo(1));
		attempt("callMethod exact", () -> Reflect.callMethod(null, two, [1, 2]));
		attempt("callMethod more", () -> Reflect.callMethod(null, two, [1, 2, 3]));
		attempt("callMethod fewer", () -> Reflect.callMethod(null, two, [1]));
		attempt("callMethod empty", () -> Reflect.callMethod(null, two, []));
		attempt("callMethod opt", () -> Reflect.callMethod(null, opt, [1]));
		attempt("callMethod none more", () -> Reflect.callMethod(null, none, [1, 2]));
		attempt("callMethod bound more", () -> Reflect.callMethod(obj, obj.add, [1, 2, 3]));
		attempt("callMethod bound fewer", () -> Reflect.callMethod(obj, obj.one, []));
		attempt("callMethod field more", () -> Reflect.callMethod(obj, Reflect.field(obj, "one"), [1, 2]));
		attempt("callMethod lambda more", () -> Reflect.callMethod(null, lam, [3, 4, 5]));
		attempt("callMethod fl fewer", () -> Reflect.callMethod(null, fl, [2.5]));
		attempt("callMethod string args", () -> Reflect.callMethod(null, two, ["a", "b"]));
		var vf:Dynamic = Reflect.makeVarArgs(function(args:Array<Dynamic>) return "varargs " + args.length + " " + args);
		attempt("varargs", () -> vf(1, 2, 3));
		attempt("varargs none", () -> vf());
		var fld:Dynamic = Reflect.field(obj, "add");
		attempt("field more", () -> fld(1, 2, 3, 4));
		attempt("field fewer", () -> fld(1));
		var dobj:Dynamic = obj;
		attempt("dyn method more", () -> dobj.add(1, 2, 3));
		attempt("dyn method fewer", () -> dobj.add(1));
		attempt("dyn method one more", () -> dobj.one(1, 2));
		var anon:Dynamic = {f: function(a:Int) return "anon f " + a};
		attempt("anon more", () -> anon.f(1, 2));
		attempt("anon fewer", () -> anon.f());
	}
}
