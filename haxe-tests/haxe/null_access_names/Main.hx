// Which field a "Null access" error names.
class Point {
	public var x:Int;
	public var y:Float;
	public var name:String;
	public function new() { x = 1; y = 2; name = "p"; }
	public function move(dx:Int):Int { x += dx; return x; }
	public function getThis():Point { return this; }
	public function readX():Int { return this.x; }
	public function five(a:Int, b:Int, c:Int, d:Int):Int { return a + b + c + d; }
	public function four(a:Int, b:Int, c:Int):Int { return a + b + c; }
	public function useThis():Int { return this.x + 1; }
}

class Leaf {
	public var next:Leaf;
	public var v:Int = 0;
	public function new() {}
}

class Sub extends Point {
	override public function move(dx:Int):Int { return super.move(dx * 2); }
}

interface Shape { function area():Float; }

class Sq implements Shape {
	public function new() {}
	public function area():Float { return 4; }
}

typedef HasX = { x:Int };

class Main {
	static var nullPoint:Point = null;

	static function attempt(label:String, f:Void->Void) {
		try {
			f();
			Sys.println(label + ": no error");
		} catch (e:Dynamic) {
			Sys.println(label + ": " + Std.string(e));
		}
	}

	static function callStatic(p:Point):Int { return p.readX(); }
	static function takesPoint(p:Point):Int { return p.useThis(); }

	static function main() {
		var p:Point = nullPoint;
		attempt("read int field", () -> Sys.println(p.x));
		attempt("read float field", () -> Sys.println(p.y));
		attempt("read string field", () -> Sys.println(p.name));
		attempt("write int field", () -> p.x = 5);
		attempt("write float field", () -> p.y = 5.5);
		attempt("write string field", () -> p.name = "q");
		attempt("compound assign", () -> p.x += 1);
		attempt("increment", () -> p.x++);
		attempt("method call", () -> p.move(1));
		attempt("method call (sub)", () -> { var s:Sub = null; s.move(1); });
		attempt("method value", () -> { var f = p.move; f(1); });
		attempt("this field via method", () -> callStatic(p));
		var sh:Shape = null;
		attempt("interface call", () -> sh.area());
		var d:Dynamic = null;
		attempt("dynamic read", () -> Sys.println(d.foo));
		attempt("dynamic write", () -> d.foo = 1);
		attempt("dynamic call", () -> d.bar(1));
		attempt("dynamic call no args", () -> d.baz());
		var t:HasX = null;
		attempt("typedef read", () -> Sys.println(t.x));
		attempt("typedef write", () -> t.x = 3);
		var a:Array<Int> = null;
		attempt("array read", () -> Sys.println(a[0]));
		attempt("array write", () -> a[0] = 1);
		attempt("array length", () -> Sys.println(a.length));
		attempt("array push", () -> a.push(1));
		var af:Array<Float> = null;
		attempt("float array read", () -> Sys.println(af[1]));
		var ad:Array<Dynamic> = null;
		attempt("dyn array read", () -> Sys.println(ad[1]));
		var ao:Array<Point> = null;
		attempt("obj array read", () -> Sys.println(ao[0]));
		var s:String = null;
		attempt("string length", () -> Sys.println(s.length));
		attempt("string charAt", () -> Sys.println(s.charAt(0)));
		attempt("string charCodeAt", () -> Sys.println(s.charCodeAt(0)));
		var fn:Int->Int = null;
		attempt("null function call", () -> fn(1));
		var dfn:Dynamic = null;
		attempt("null dynamic function call", () -> dfn(1));
		var m:Map<String, Int> = null;
		attempt("map get", () -> Sys.println(m.get("a")));
		var e:haxe.ds.Option<Int> = null;
		attempt("enum switch", () -> switch (e) { case Some(v): Sys.println(v); case None: Sys.println("none"); });
		var bytes:haxe.io.Bytes = null;
		attempt("bytes get", () -> Sys.println(bytes.get(0)));
		attempt("Reflect.field", () -> Sys.println(Reflect.field(null, "x")));
		attempt("Reflect.setField", () -> Reflect.setField(null, "x", 1));
		attempt("Reflect.getProperty", () -> Sys.println(Reflect.getProperty(null, "x")));
		var o:{a:Int, f:Void->Int} = null;
		attempt("anon method call", () -> o.f());
		attempt("anon read", () -> Sys.println(o.a));
		attempt("five-arg method (CallN)", () -> p.five(1, 2, 3, 4));
		attempt("four-arg method", () -> p.four(1, 2, 3));
		attempt("index into null field", () -> p.x = p.x * 2 + 1);
		var leaf = new Leaf();
		attempt("chain read", () -> Sys.println(leaf.next.v));
		attempt("chain write", () -> leaf.next.v = 4);
		attempt("chain write next", () -> leaf.next.next = null);
		attempt("arith on field", () -> Sys.println(leaf.next.v + 1));
		attempt("static with null arg", () -> Sys.println(Main.takesPoint(null)));
		attempt("Std.string null", () -> Sys.println(Std.string(p)));
		attempt("string concat null", () -> Sys.println("a" + s));
		attempt("string methods", () -> Sys.println(s.toUpperCase()));
		attempt("string split", () -> Sys.println(s.split(",")));
		attempt("string indexOf", () -> Sys.println(s.indexOf("a")));
		attempt("string substr", () -> Sys.println(s.substr(1)));
		attempt("array iterate", () -> for (x in a) Sys.println(x));
		attempt("array join", () -> Sys.println(a.join(",")));
		attempt("array sort", () -> a.sort((x, y) -> x - y));
		attempt("dyn array write", () -> ad[0] = 1);
		attempt("dynamic array read", () -> { var da:Dynamic = null; Sys.println(da[0]); });
		attempt("dynamic field incr", () -> { var dd:Dynamic = null; dd.count++; });
	}
}
