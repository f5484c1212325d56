// Reflect.fields order: class instances (own fields, then the super class's), class
// objects, anonymous and dynamic objects (insertion order, after deletions), Reflect.copy
// of a structure. Expected output recorded on HashLink 1.17.
class Base { public var z:Int = 1; public var a:String = "a"; var priv:Float = 1.5; public function new() {} public function meth() return 1; static public var st = 3; static function sf() {} }
class Child extends Base { public var m:Array<Int> = [1]; public var b:Null<Int>; public var fn:Void->Void; public function new() { super(); fn = function() {}; } override public function meth() return 2; public function other() {} }
class Main {
	static function main() {
		var c = new Child();
		trace(Reflect.fields(c));
		trace(Type.getInstanceFields(Child));
		trace(Type.getClassFields(Child), Type.getClassFields(Base));
		var o = {z: 1, a: "x", m: [1], b: null, c: 2.5, longer_name: true, A: 0, _u: 1};
		trace(Reflect.fields(o));
		trace(o);
		var d:Dynamic = {};
		for (k in ["q", "b", "zz", "a", "m", "aa"]) Reflect.setField(d, k, k.length);
		trace(Reflect.fields(d), d);
		trace(Reflect.hasField(c, "z"), Reflect.hasField(c, "meth"), Reflect.hasField(c, "nope"), Reflect.hasField(c, "st"));
		trace(Reflect.field(c, "z"), Reflect.field(c, "priv"), Reflect.field(c, "nope"), Reflect.isFunction(Reflect.field(c, "meth")));
		Reflect.setField(c, "z", 9); trace(c.z);
		trace(Reflect.getProperty(c, "a"), Reflect.field(Base, "st"), Reflect.fields(Base));
		trace(Type.typeof(c), Type.typeof(o), Type.typeof(d), Type.typeof(c.fn), Type.typeof(Base));
		trace(Std.string(c), Std.string(Child), Std.string(Base));
		trace(Reflect.copy(o), Reflect.compareMethods(c.meth, c.meth), Reflect.isObject(c), Reflect.isObject(o), Reflect.isObject("s"), Reflect.isObject(1));
		trace(Type.getSuperClass(Child) == Base, Type.getClassName(Type.getClass(c)), Type.createEmptyInstance(Child).z);
		var inst = Type.createInstance(Child, []);
		trace(inst.a, inst.m, Reflect.fields(inst).length);
	}
}
