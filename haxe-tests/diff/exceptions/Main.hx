// Exceptions: haxe.Exception and subclasses, ValueException, catch by type, rethrow,
// wrapping of native errors, details(), previous, finally-like patterns, errors thrown
// by the runtime (null access, bounds, casts, division).
class MyError extends haxe.Exception {
	public var code:Int;

	public function new(msg:String, code:Int, ?previous:haxe.Exception) {
		super(msg, previous);
		this.code = code;
	}
}

class Other extends MyError {}

class Plain {
	public function new() {}

	public function toString() return "Plain!";
}

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function thrower(kind:Int):Dynamic {
		switch (kind) {
			case 0: throw "a string";
			case 1: throw 42;
			case 2: throw new MyError("mine", 7);
			case 3: throw new Other("other", 8);
			case 4: throw new Plain();
			case 5: throw {field: "anon"};
			case 6: throw haxe.io.Error.Overflow;
			case 7: throw new haxe.Exception("base");
			case 8: throw null;
			case 9: throw [1, 2];
			case 10: throw 1.5;
			case 11: throw true;
		}
		return "no throw";
	}

	static function classify(kind:Int) {
		try {
			thrower(kind);
		} catch (e:Other) {
			return "Other " + e.message + " " + e.code;
		} catch (e:MyError) {
			return "MyError " + e.message + " " + e.code;
		} catch (e:String) {
			return "String " + e;
		} catch (e:Int) {
			return "Int " + e;
		} catch (e:haxe.io.Error) {
			return "io.Error " + e;
		} catch (e:haxe.ValueException) {
			return "ValueException " + e.message + " value " + Std.string(e.value);
		} catch (e:haxe.Exception) {
			return "Exception " + e.message + " " + Type.getClassName(Type.getClass(e));
		}
		return "none";
	}

	static function main() {
		for (k in 0...12)
			p("classify " + k, classify(k));
		for (k in 0...12) {
			try {
				thrower(k);
			} catch (e:Dynamic) {
				p("dynamic " + k, Std.string(e) + " isException " + Std.isOfType(e, haxe.Exception));
			}
		}
		for (k in 0...12) {
			try {
				thrower(k);
			} catch (e:haxe.Exception) {
				p("as Exception " + k, e.message + " | " + e.toString() + " | native " + Std.string(e.native) + " | class "
					+ Type.getClassName(Type.getClass(e)));
			}
		}
		// previous and details
		try {
			try {
				thrower(2);
			} catch (e:MyError) {
				throw new MyError("wrapped", 1, e);
			}
		} catch (e:MyError) {
			p("previous", e.previous.message);
			p("details first line", e.details().split("\n")[0]);
		}
		// rethrow keeps the value
		try {
			try {
				thrower(0);
			} catch (e:Dynamic) {
				p("caught inner", e);
				throw e;
			}
		} catch (e:String) {
			p("rethrown string", e);
		}
		try {
			try {
				thrower(3);
			} catch (e:haxe.Exception) {
				throw e;
			}
		} catch (e:Other) {
			p("rethrown exception", e.message + " same class " + Std.isOfType(e, Other));
		}
		// runtime errors
		var runtime:Array<() -> Dynamic> = [
			() -> {
				var o:Plain = null;
				return o.toString();
			},
			() -> {
				var a:Array<Int> = null;
				return a.length;
			},
			() -> {
				var d:Dynamic = null;
				return d.field;
			},
			() -> {
				var d:Dynamic = "str";
				return (d : Plain);
			},
			() -> cast("str", Plain),
			() -> {
				var d:Dynamic = {};
				return d.notAFunction();
			},
			() -> {
				var v = new haxe.ds.Vector<Int>(2);
				return v[5];
			},
			() -> [1, 2, 3][10],
			() -> "abc".charCodeAt(10),
			() -> Std.parseInt(null),
			() -> {
				var s:String = null;
				return s.length;
			},
			() -> {
				var i:Int = cast(null : Null<Int>);
				return i;
			},
			() -> throw new haxe.exceptions.NotImplementedException(),
			() -> throw new haxe.exceptions.ArgumentException("arg", "bad argument"),
			() -> throw new haxe.exceptions.PosException("pos message"),
		];
		for (i in 0...runtime.length) {
			try {
				p("runtime " + i, runtime[i]());
			} catch (e:haxe.Exception) {
				p("runtime " + i + " threw", Type.getClassName(Type.getClass(e)) + ": " + e.message);
			} catch (e:Dynamic) {
				p("runtime " + i + " threw dyn", e);
			}
		}
		// exceptions inside loops and closures
		var results = [];
		for (i in 0...5) {
			try {
				if (i % 2 == 0)
					throw i;
				results.push("ok" + i);
			} catch (e:Int) {
				results.push("caught" + e);
			}
		}
		p("loop", results);
		var f = function() {
			try {
				return "from try";
			} catch (e:Dynamic) {
				return "from catch";
			}
		};
		p("return in try", f());
		p("nested depth", nested(5));
		p("ValueException unwrap", try {
			throw new haxe.ValueException("val");
		} catch (e:String) {
			"unwrapped " + e;
		} catch (e:Dynamic) {
			"not unwrapped " + e;
		});
		p("final", "end");
		throw new MyError("uncaught at the end", 99);
	}

	static function nested(n:Int):String {
		try {
			if (n == 0)
				throw "bottom";
			return nested(n - 1);
		} catch (e:String) {
			if (n < 3)
				throw e + n;
			return "caught at " + n + ": " + e;
		}
	}
}
