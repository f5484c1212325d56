// Reflection on anonymous objects: Reflect.deleteField on structure-typed and Dynamic
// object literals, Std.string of an object literal with a toString field, and
// Type.getInstanceFields on classes and interfaces. Expected output recorded on HashLink 1.17.
interface IShape {
	function area():Float;
	var name(get, never):String;
}

interface IEmpty {}

class Square implements IShape {
	var side:Float;
	public var name(get, never):String;

	function get_name() return "square";

	public function new(s) side = s;

	public function area() return side * side;

	public function toString() return "Square(" + side + ")";
}

class Base {
	public var a:Int = 1;

	public function new() {}

	public function m1() return 1;

	public function m2() return 2;
}

class Child extends Base {
	public var b:String = "b";

	override public function m2() return 22;

	public function m3() return 3;
}

class Main {
	static function main() {
		var o = {abc: null, def: 1};
		trace(Reflect.deleteField(o, "def"), Reflect.hasField(o, "def"), Reflect.fields(o), o);
		trace(Reflect.deleteField(o, "nope"), Reflect.fields(o));
		var o2:Dynamic = {a: 1, b: "x", c: 2.5};
		trace(Reflect.deleteField(o2, "b"), Reflect.deleteField(o2, "zz"), Reflect.fields(o2), o2, o2.b);
		o2.b = "back";
		trace(o2.b, Reflect.fields(o2).length);
		var t:{x:Int, ?y:Int} = {x: 1, y: 2};
		trace(Reflect.deleteField(t, "y"), t.y, t.x, Reflect.field(t, "y"));

		var x = {toString: function() return "foo"};
		trace(Std.string(x), "" + x);
		var y:Dynamic = {toString: function() return "bar", v: 3};
		trace(Std.string(y), [y]);
		var z = {v: 1, toString: null};
		trace(Std.string(z));
		var w:Dynamic = {v: 2};
		w.toString = function() return "late";
		// A toString added later gives no __string: printed as a plain object (the closure's
		// text is an address, so only its start is shown).
		trace(Std.string(w).substr(0, 28));

		trace(Type.getInstanceFields(Type.resolveClass("IShape")));
		trace(Type.getInstanceFields(Type.resolveClass("IEmpty")));
		trace(Type.getInstanceFields(Square).length, Type.getInstanceFields(Square).filter(f -> f != null && f != ""));
		trace(Type.getInstanceFields(Base));
		trace(Type.getInstanceFields(Child));
		trace(Type.getClassFields(Square));
	}
}
