// Reflect.callMethod and Dynamic calls: argument conversions, padding with defaults, var-args functions.
class Main {
	static function attempt(label:String, f:Void->Dynamic) {
		try Sys.println(label + ": " + Std.string(f())) catch (e:Dynamic) Sys.println(label + ": exception " + Std.string(e));
	}
	static function asDyn(f:Dynamic):Dynamic return f;
	static function fl(a:Float, b:Bool, c:String, d:Int):String return "fl " + a + " " + b + " " + c + " " + d;
	static function retF(a:Int):Float return a / 2;
	static function main() {
		attempt("callMethod null fn", () -> Reflect.callMethod(null, null, [1]));
		attempt("callMethod not fn", () -> Reflect.callMethod(null, asDyn(5), [1]));
		attempt("callMethod fewer mixed", () -> Reflect.callMethod(null, fl, []));
		attempt("callMethod float to int", () -> Reflect.callMethod(null, fl, [1, true, "s", 2.7]));
		attempt("callMethod int to float", () -> Reflect.callMethod(null, fl, [1, 1, 2, 3]));
		attempt("dyn ret", () -> { var r:Dynamic = asDyn(retF); var v:Int = r(3); v; });
		attempt("dyn ret float", () -> { var r:Dynamic = asDyn(retF); r(3, 4, 5); });
		var vf:Dynamic = Reflect.makeVarArgs(a -> a.length);
		attempt("callMethod varargs", () -> Reflect.callMethod(null, vf, [1, 2, 3]));
		attempt("callMethod varargs empty", () -> Reflect.callMethod(null, vf, []));
		attempt("Reflect.isFunction", () -> Reflect.isFunction(vf));
		attempt("compareMethods", () -> Reflect.compareMethods(fl, fl));
	}
}
