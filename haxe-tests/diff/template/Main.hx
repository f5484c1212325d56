// haxe.Template: substitutions, conditions, loops, macros, globals, expressions, errors.
class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function run(label:String, tpl:String, ctx:Dynamic, ?macros:Dynamic) {
		try {
			p(label, new haxe.Template(tpl).execute(ctx, macros));
		} catch (e:Dynamic) {
			p(label, "error " + e);
		}
	}

	static function main() {
		var ctx = {
			name: "World",
			n: 3,
			f: 2.5,
			flag: true,
			off: false,
			empty: "",
			none: null,
			items: [{id: 1, label: "one"}, {id: 2, label: "two"}, {id: 3, label: "three"}],
			nums: [10, 20, 30],
			nested: {deep: {value: "deep!"}},
			html: "<b>&'\""
		};
		run("simple", "Hello ::name::!", ctx);
		run("number", "n=::n:: f=::f::", ctx);
		run("missing", "[::missing::]", ctx);
		run("null", "[::none::]", ctx);
		run("nested", "::nested.deep.value::", ctx);
		run("html", "::html::", ctx);
		run("if", "::if flag::yes::else::no::end::", ctx);
		run("if off", "::if off::yes::else::no::end::", ctx);
		run("elseif", "::if off::a::elseif (n == 3)::b::else::c::end::", ctx);
		run("if empty string", "::if empty::full::else::empty::end::", ctx);
		run("foreach", "::foreach items::[::id:: ::label::]::end::", ctx);
		run("foreach nums", "::foreach nums::<::__current__::>::end::", ctx);
		run("foreach index", "::foreach items::::__index__::;::end::", ctx);
		run("outer scope", "::foreach items::::name::-::id:: ::end::", ctx);
		run("expr", "::(n * 2 + 1)::", ctx);
		run("compare", "::if (n > 2)::big::else::small::end::", ctx);
		run("string compare", "::if (name == \"World\")::match::end::", ctx);
		run("logic", "::if ((n > 2) && flag)::both::end::", ctx);
		run("or", "::if ((n > 5) || flag)::either::end::", ctx);
		run("not", "::if !off::not off::end::", ctx);
		run("float expr", "::(f * 2)::", ctx);
		run("set", "::set x = (n + 4)::::x::", ctx);
		run("macro", "$$upper(::name::) $$add(1,2)", ctx, {
			upper: function(resolve:String->Dynamic, s:String) return s.toUpperCase(),
			add: function(resolve:String->Dynamic, a:String, b:String) return Std.parseInt(a) + Std.parseInt(b)
		});
		run("macro resolve", "$$show(name)", ctx, {show: function(resolve:String->Dynamic, v:String) return "<" + resolve(v) + ">"});
		haxe.Template.globals = {g: "global value"};
		run("globals", "::g::", {});
		run("no vars", "plain text with : colons", ctx);
		run("dollars", "cost $5", ctx);
		run("unclosed if", "::if flag::yes", ctx);
		run("bad end", "::end::", ctx);
		run("bad expr", "::(1 +)::", ctx);
		run("multi line", "line1 ::name::\nline2 ::foreach nums::::__current__:: ::end::\nend", ctx);
	}
}
