// Field names whose hashes collide ("baseReward" and "user_3235_65290" have the same
// hl_hash_gen value): HashLink gives the second name registered the next free hash, so
// both fields coexist. Expected output recorded on HashLink 1.17.
class Holder {
	public var baseReward = 10;

	public function new() {}
}

class Main {
	static var field1 = "baseReward";
	static var field2 = "user_3235_65290";

	static function main() {
		var o = {};
		Reflect.setField(o, field1, 1);
		Reflect.setField(o, field2, 2);
		Reflect.setField(o, field2, 3);
		trace(Reflect.field(o, field1), Reflect.field(o, field2), Reflect.fields(o).length);
		trace(Reflect.hasField(o, field1), Reflect.hasField(o, field2));
		Reflect.deleteField(o, field1);
		trace(Reflect.field(o, field1), Reflect.field(o, field2), Reflect.fields(o));
		Reflect.deleteField(o, field2);
		trace(Reflect.field(o, field1), Reflect.field(o, field2), Reflect.fields(o));

		var h = new Holder();
		trace(Reflect.field(h, field1), Reflect.field(h, field2), Reflect.hasField(h, field2));
		var d:Dynamic = {};
		d.user_3235_65290 = "dyn";
		d.baseReward = "base";
		trace(d.user_3235_65290, d.baseReward, Reflect.field(d, field2), Reflect.field(d, field1));
		var m = new haxe.ds.StringMap<Int>();
		m.set(field1, 1);
		m.set(field2, 2);
		trace(m.get(field1), m.get(field2));
	}
}
