// String and StringBuf: every method with edge arguments (negative, out of range,
// empty strings), comparisons, concatenation of every value kind.
class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function q(s:String) return s == null ? "null" : "[" + s + "]";

	static function main() {
		var s = "Hello, World";
		p("length", s.length);
		for (i in [-1, 0, 5, 11, 12, 100])
			p("charAt " + i, q(s.charAt(i)) + " code " + s.charCodeAt(i));
		for (args in [[0, 5], [-5, 3], [7, -1], [3, 0], [3, 100], [100, 2], [-100, 3], [0, -3], [-3, -1]])
			p("substr " + args, q(s.substr(args[0], args[1])));
		p("substr one arg", q(s.substr(7)) + " " + q(s.substr(-5)));
		for (args in [[0, 5], [5, 0], [-3, 4], [4, -3], [3, 3], [7, 100], [100, 200]])
			p("substring " + args, q(s.substring(args[0], args[1])));
		p("substring one arg", q(s.substring(7)) + " " + q(s.substring(-2)));
		for (sub in ["o", "World", "", "xyz", "Hello, World!", "l"]) {
			p("indexOf " + q(sub), s.indexOf(sub) + " from 5: " + s.indexOf(sub, 5) + " from -3: " + s.indexOf(sub, -3) + " from 100: "
				+ s.indexOf(sub, 100));
			p("lastIndexOf " + q(sub), s.lastIndexOf(sub) + " from 5: " + s.lastIndexOf(sub, 5) + " from -3: " + s.lastIndexOf(sub, -3)
				+ " from 100: " + s.lastIndexOf(sub, 100));
		}
		for (sep in [",", "l", "", "Hello, World", "xyz", " "])
			p("split " + q(sep), s.split(sep));
		p("split empty string", "".split(","));
		p("split empty both", "".split(""));
		p("split edges", ",a,,b,".split(","));
		p("toUpperCase", s.toUpperCase());
		p("toLowerCase", s.toLowerCase());
		p("toString", s.toString());
		p("fromCharCode", String.fromCharCode(65) + String.fromCharCode(0x263A));
		p("compare ==", "abc" == "abc");
		p("compare <", ("abc" < "abd") + " " + ("Z" < "a") + " " + ("" < "a") + " " + ("é" > "z") + " " + ("ab" < "abc"));
		p("compare >=", ("b" >= "a") + " " + ("a" >= "a"));
		var n:String = null;
		p("null concat", "a" + n + "b");
		p("null == null", n == null);
		p("concat kinds", "s" + 1 + 2.5 + true + null + [1, 2] + {x: 1} + 'c'.code);
		p("int + string", 1 + 2 + "x" + 1 + 2);
		p("multiline", "line1\nline2\ttab\\back\"quote'single");
		p("interpolation", 'v=${1 + 2} s=$s');
		p("code", "A".code + " " + "é".code);
		p("repeat", [for (i in 0...3) "ab"].join(""));
		p("long string length", StringTools.lpad("", "0123456789", 10000).length);

		var b = new StringBuf();
		p("buf empty", q(b.toString()) + " length " + b.length);
		b.add("abc");
		b.add(1);
		b.add(2.5);
		b.add(true);
		b.add(null);
		b.add([1]);
		b.addChar(65);
		b.addChar(0xE9);
		b.addSub("0123456789", 3, 4);
		b.addSub("0123456789", 8);
		b.addSub("0123456789", 5, 0);
		p("buf", b.toString());
		p("buf length", b.length);
		var big = new StringBuf();
		for (i in 0...1000)
			big.add(i);
		p("big buf length", big.length);
		p("big buf tail", big.toString().substr(-10));
	}
}
