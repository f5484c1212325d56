// Dynamic objects and anonymous structures: field order as listed by Reflect.fields and
// printed by Std.string / Json after adding, deleting and re-typing fields; copies;
// records turned into dynamic objects; dynamic access of every value kind.
class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function show(label:String, o:Dynamic) {
		p(label, Std.string(o) + " fields " + Reflect.fields(o) + " json " + haxe.Json.stringify(o));
	}

	static function main() {
		var o:Dynamic = {};
		show("empty", o);
		for (k in ["zeta", "alpha", "mid", "", "é", "sp ace", "b", "a", "longer_name_here", "x1"])
			Reflect.setField(o, k, k.length);
		show("inserted", o);
		Reflect.deleteField(o, "mid");
		show("deleted mid", o);
		Reflect.setField(o, "mid", "back");
		show("mid again", o);
		Reflect.setField(o, "alpha", 1.5);
		show("alpha to float", o);
		Reflect.setField(o, "zeta", "string now");
		show("zeta to string", o);
		Reflect.setField(o, "b", true);
		show("b to bool", o);
		Reflect.setField(o, "a", 7);
		show("a same type", o);
		Reflect.setField(o, "zeta", null);
		show("zeta to null", o);
		Reflect.setField(o, "x1", [1, 2]);
		show("x1 to array", o);
		var c = Reflect.copy(o);
		Reflect.setField(c, "new", 0);
		show("copy", c);
		show("orig", o);

		// a structure literal is a record until it needs to grow
		var r:Dynamic = {b: 2, a: 1, c: 3, longName: "l", d: 4.5};
		show("record", r);
		r.e = "added";
		show("record grown", r);
		Reflect.deleteField(r, "b");
		show("record deleted", r);
		var r2:Dynamic = {y: 1, x: 2};
		var r2c = Reflect.copy(r2);
		show("record copy", r2c);
		Reflect.setField(r2c, "w", 0);
		show("record copy grown", r2c);

		// a record field written through Dynamic with a value its type cannot hold
		var typed:{x:Int, y:String} = {x: 1, y: "y"};
		var dt:Dynamic = typed;
		try {
			dt.x = "text";
			p("record retyped", "ok");
		} catch (e:Dynamic) {
			p("record retyped", "error " + e);
		}
		show("record after retype", dt);
		try {
			p("typed read after retype", typed.x);
		} catch (e:Dynamic) {
			p("typed read after retype", "error " + e);
		}
		dt.y = 5;
		show("string field given an Int", dt);
		var typed2:{f:Float} = {f: 1.5};
		var dt2:Dynamic = typed2;
		dt2.f = 2;
		p("Float field given an Int", typed2.f + " " + Reflect.fields(dt2));

		// dynamic field writes and reads of every kind
		var d:Dynamic = {};
		d.i = 1;
		d.f = 2.5;
		d.s = "str";
		d.b = false;
		d.n = null;
		d.a = [1];
		d.o = {inner: true};
		d.fn = function(x:Int) return x + 1;
		show("kinds", {i: d.i, f: d.f, s: d.s, b: d.b, n: d.n, a: d.a, o: d.o});
		p("call field", d.fn(41));
		p("fields kinds", Reflect.fields(d));
		d.i += 10;
		d.f *= 2;
		d.s += "!";
		p("updated", d.i + " " + d.f + " " + d.s);
		p("missing read", d.missing);
		var anon = {x: 1, y: {z: ([1, 2, {w: "deep"}] : Array<Dynamic>)}};
		p("nested anon", anon);
		var objs:Array<Dynamic> = [{a: 1}, {a: 1, b: 2}, {b: 2, a: 1}];
		p("objects array", objs);
		var m:Dynamic = {toString: function() return "custom toString"};
		p("toString field", m);
		var many:Dynamic = {};
		for (i in 0...40)
			Reflect.setField(many, "f" + ((i * 17) % 40), i);
		p("many fields", Reflect.fields(many).join(","));
		for (i in 0...40)
			if (i % 3 == 0)
				Reflect.deleteField(many, "f" + i);
		p("many after delete", Reflect.fields(many).join(","));
	}
}
