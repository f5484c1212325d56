// The order in which reflection lists things, unsorted: instance and class fields of
// classes with inheritance, interfaces and properties, Reflect.fields of instances,
// structure literals and dynamic objects, enum constructors.
interface IShape {
	function area():Float;
}

class Base implements IShape {
	public var zeta:Int = 1;
	public var alpha:String = "a";
	public var mid:Float = 0.5;
	public static var sCount = 0;
	public static var aStatic = "s";

	public function new() {}

	public function area() return 0.0;

	public function zMethod() {}

	public function aMethod() {}

	public static function zStatic() {}

	public static function aStaticFn() {}
}

class Derived extends Base {
	public var extra:Bool = true;
	public var another:Int = 2;
	public var prop(get, set):Int;

	public function new() {
		super();
	}

	function get_prop() return 1;

	function set_prop(v) return v;

	override public function area() return 1.0;

	public function derivedOnly() {}

	public static function dStatic() {}
}

enum Big {
	Zulu;
	Alpha;
	Mike(x:Int);
	Bravo;
}

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function main() {
		p("instance fields Base", Type.getInstanceFields(Base));
		p("instance fields Derived", Type.getInstanceFields(Derived));
		p("class fields Base", Type.getClassFields(Base));
		p("class fields Derived", Type.getClassFields(Derived));
		p("Reflect.fields Base", Reflect.fields(new Base()));
		p("Reflect.fields Derived", Reflect.fields(new Derived()));
		p("Reflect.fields class", Reflect.fields(Base));
		var lit = {zz: 1, aa: 2, mm: 3, b: 4, a: 5, longerName: 6, x1: 7, x0: 8};
		p("literal fields", Reflect.fields(lit));
		p("literal print", lit);
		var dynLit:Dynamic = {zz: 1, aa: 2, mm: 3};
		dynLit.new1 = 0;
		dynLit.aa0 = 0;
		p("grown literal fields", Reflect.fields(dynLit));
		p("grown literal print", dynLit);
		p("enum constructs", Type.getEnumConstructs(Big));
		p("allEnums", Type.allEnums(Big));
		var nested = {outer: {z: 1, a: 2}, list: [{q: 1, b: 2}]};
		p("nested literal", nested);
		p("json of literal", haxe.Json.stringify(lit));
		p("json of instance", haxe.Json.stringify(new Derived()));
		var copy = Reflect.copy(lit);
		p("copy of literal", Reflect.fields(copy));
		var d = new haxe.DynamicAccess<Int>();
		for (k in ["k3", "k1", "k2"])
			d.set(k, 0);
		p("DynamicAccess keys", d.keys());
	}
}
