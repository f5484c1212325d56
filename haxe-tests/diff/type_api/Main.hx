// Type: classes, enums, instances, names, fields, typeof, enum construction and comparison.
package;

class Base {
	public var a:Int;
	public var b:String;
	public static var count = 0;

	public function new(a:Int, b:String) {
		this.a = a;
		this.b = b;
		count++;
	}

	public function hello() return "hello " + b;

	public static function make() return new Base(0, "made");
}

class Child extends Base {
	public var c:Float = 1.5;

	public function new(a, b) super(a, b);

	public function extra() return c;

	override public function hello() return "child " + super.hello();
}

enum Shape {
	Circle(r:Float);
	Rect(w:Int, h:Int);
	Empty;
	Named(name:String, ?tag:Shape);
}

enum Simple { A; B; C; }

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function sorted(a:Array<String>) {
		a.sort(Reflect.compare);
		return a;
	}

	static function main() {
		var b = new Base(1, "x");
		var c = new Child(2, "y");
		p("getClass b", Type.getClassName(Type.getClass(b)));
		p("getClass c", Type.getClassName(Type.getClass(c)));
		p("getClass string", Type.getClassName(Type.getClass("s")));
		p("getClass array", Type.getClassName(Type.getClass([1])));
		p("getClass null", Type.getClass(null));
		var anon:Dynamic = {x: 1};
		p("getClass anon", Type.getClass(anon));
		p("super Child", Type.getClassName(Type.getSuperClass(Child)));
		p("super Base", Type.getSuperClass(Base));
		p("className Base", Type.getClassName(Base));
		p("className String", Type.getClassName(String));
		p("className Array", Type.getClassName(Array));
		p("className Math", Type.getClassName(Math));
		p("resolve Base", Type.resolveClass("Base") == Base);
		p("resolve Child", Type.resolveClass("Child") == Child);
		p("resolve String", Type.resolveClass("String") == String);
		p("resolve missing", Type.resolveClass("Nope"));
		p("resolveEnum Shape", Type.resolveEnum("Shape") == Shape);
		p("resolveEnum missing", Type.resolveEnum("Nope"));
		p("enumName", Type.getEnumName(Shape));
		p("enumName haxe.io.Error", Type.getEnumName(haxe.io.Error));

		var i = Type.createInstance(Child, [5, "made"]);
		p("createInstance", i.hello() + " " + i.a + " " + i.c);
		var e = Type.createEmptyInstance(Child);
		p("createEmptyInstance a", e.a);
		p("createEmptyInstance b", e.b);
		p("createEmptyInstance c", e.c);
		p("count", Base.count);

		p("instance fields Base", sorted(Type.getInstanceFields(Base)));
		p("instance fields Child", sorted(Type.getInstanceFields(Child)));
		p("class fields Base", sorted(Type.getClassFields(Base)));
		p("class fields Child", sorted(Type.getClassFields(Child)));

		// typeof
		p("typeof int", Type.typeof(1));
		p("typeof float", Type.typeof(1.5));
		p("typeof bool", Type.typeof(true));
		p("typeof string", Type.typeof("s"));
		p("typeof null", Type.typeof(null));
		p("typeof obj", Type.typeof(b));
		p("typeof anon", Type.typeof(anon));
		p("typeof fun", Type.typeof(function() {}));
		p("typeof enum", Type.typeof(Empty));
		p("typeof class", Type.typeof(Base));
		p("typeof enum type", Type.typeof(Shape));
		p("typeof array", Type.typeof([1]));
		var fd:Dynamic = 2.0;
		p("typeof 2.0 dyn", Type.typeof(fd));
		switch (Type.typeof(c)) {
			case TClass(cl): p("TClass", Type.getClassName(cl));
			default: p("TClass", "no");
		}
		switch (Type.typeof(Rect(1, 2))) {
			case TEnum(en): p("TEnum", Type.getEnumName(en));
			default: p("TEnum", "no");
		}

		// enums
		p("constructs", Type.getEnumConstructs(Shape));
		p("allEnums Simple", Type.allEnums(Simple));
		p("allEnums Shape", Type.allEnums(Shape));
		p("createEnum Circle", Type.createEnum(Shape, "Circle", [2.5]));
		p("createEnum Empty", Type.createEnum(Shape, "Empty"));
		p("createEnum Named", Type.createEnum(Shape, "Named", ["n"]));
		p("createEnumIndex 1", Type.createEnumIndex(Shape, 1, [3, 4]));
		p("createEnumIndex 2", Type.createEnumIndex(Shape, 2));
		for (v in [Circle(1), Rect(2, 3), Empty, Named("x", Empty), Named("y")]) {
			p("enum " + v, Type.enumConstructor(v) + " " + Type.enumIndex(v) + " " + Type.enumParameters(v) + " " + Type.getEnumName(Type.getEnum(v)));
		}
		p("enumEq same", Type.enumEq(Rect(1, 2), Rect(1, 2)));
		p("enumEq diff", Type.enumEq(Rect(1, 2), Rect(1, 3)));
		p("enumEq ctor", Type.enumEq(Empty, Empty));
		p("enumEq nested", Type.enumEq(Named("a", Circle(1)), Named("a", Circle(1))));
		p("enumEq nested diff", Type.enumEq(Named("a", Circle(1)), Named("a", Circle(2))));
		p("== Empty", Empty == Empty);
		p("== A B", A == B);
		try {
			Type.createEnum(Shape, "Nope");
			p("createEnum bad", "no error");
		} catch (err:Dynamic) {
			p("createEnum bad", err);
		}
		try {
			Type.createEnum(Shape, "Rect", [1]);
			p("createEnum wrong args", "no error");
		} catch (err:Dynamic) {
			p("createEnum wrong args", err);
		}
		try {
			Type.createEnumIndex(Shape, 10);
			p("createEnumIndex bad", "no error");
		} catch (err:Dynamic) {
			p("createEnumIndex bad", err);
		}
		var ev = Rect(7, 8);
		p("EnumValue getIndex", ev.getIndex());
		p("EnumValue getName", ev.getName());
		p("EnumValue getParameters", ev.getParameters());
		p("EnumValue match", ev.match(Rect(7, _)));
		p("EnumValue match 2", ev.match(Rect(_, 9)));
	}
}
