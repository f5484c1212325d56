// haxe.Json: parse and stringify (with replacer and indentation), every value kind,
// escapes, unicode, numbers, errors.
class Obj {
	public var name:String;
	public var list:Array<Int>;
	public var inner:{a:Int};
	var priv:Float = 0.5;

	public function new() {
		name = "obj";
		list = [1, 2];
		inner = {a: 3};
	}
}

enum En { V1; V2(x:Int); }

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function sortedKeys(o:Dynamic) {
		var a = Reflect.fields(o);
		a.sort(Reflect.compare);
		return a;
	}

	static function main() {
		var texts = ['{"a":1,"b":[true,false,null],"c":"str","d":1.5e3,"e":{"f":-0.25}}', '[]', '{}', '"just a string"', '123', '-1.5E-3', 'true',
			'null', '["\\u00e9\\u65e5\\ud83d\\ude00","\\n\\t\\r\\b\\f\\"\\\\\\/"]', '  [ 1 , 2 ]  ', '[1e2, 1E+2, 0.1, -0, 12345678901234567890]',
			'{"dup":1,"dup":2}', '{"":0,"sp ace":1,"é":2}', '[[[[[]]]]]', '"\\u0041\\u0042"'];
		for (t in texts) {
			var v:Dynamic = haxe.Json.parse(t);
			p("parse " + t, Std.string(v) + " -> " + haxe.Json.stringify(v));
		}
		var o:Dynamic = haxe.Json.parse('{"z":1,"a":{"y":[1,{"x":null}]},"m":"s"}');
		p("keys", sortedKeys(o));
		p("nested", o.a.y[1].x);
		var bad = ['{', '[1,]', '{"a":}', 'tru', '"unterminated', '[1 2]', '{a:1}', '', '01', 'NaN', '[1]x', "'single'"];
		for (t in bad) {
			try {
				p("bad " + t, Std.string(haxe.Json.parse(t)));
			} catch (e:Dynamic) {
				p("bad " + t, "error " + e);
			}
		}
		p("stringify int", haxe.Json.stringify(42));
		p("stringify floats", haxe.Json.stringify([0.1, -0.0, 1e21, 1e-7, 100.0, Math.NaN, Math.POSITIVE_INFINITY, 1 / 3]));
		p("stringify string", haxe.Json.stringify("quote\" back\\ nl\n tab\t ctl\x01 é 😀 </script>"));
		p("stringify null", haxe.Json.stringify(null));
		p("stringify bool", haxe.Json.stringify([true, false]));
		p("stringify class", haxe.Json.stringify(new Obj()));
		p("stringify map", haxe.Json.stringify(["k" => 1]));
		p("stringify int map", haxe.Json.stringify([1 => "v"]));
		try {
			p("stringify enum", haxe.Json.stringify([V1, V2(3)]));
		} catch (e:Dynamic) {
			p("stringify enum", "error " + e);
		}
		p("stringify nested empty", haxe.Json.stringify({a: [], b: {}}));
		p("stringify pretty", haxe.Json.stringify({a: [1, 2], b: {c: "d"}, e: []}, null, "  "));
		p("stringify pretty tab", haxe.Json.stringify([{x: 1}], null, "\t"));
		p("stringify replacer", haxe.Json.stringify({a: 1, b: "two", c: [3]}, function(key:Dynamic, value:Dynamic):Dynamic {
			if (key == "b")
				return "replaced";
			if (Std.isOfType(value, Int))
				return value * 10;
			return value;
		}));
		var anon = {x: 1, y: "y", z: [1.5]};
		var round = haxe.Json.parse(haxe.Json.stringify(anon));
		p("roundtrip", Std.string(round.x) + " " + Std.string(round.y) + " " + Std.string(round.z[0]));
		p("printer direct", haxe.format.JsonPrinter.print([1, {a: null}], null, " "));
		p("parser direct", haxe.format.JsonParser.parse('{"k":[1,2]}').k.length);
		var big = [for (i in 0...20) {id: i, name: "n" + i, even: i % 2 == 0}];
		var s = haxe.Json.stringify(big);
		p("big length", s.length);
		p("big reparse", (haxe.Json.parse(s) : Array<Dynamic>)[19].name);
	}
}
