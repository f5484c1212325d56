// String, StringBuf, StringTools and Std.parseInt basics.
class Main {
	static function main() {
		var buf = new StringBuf();
		for (i in 0...5) {
			buf.add(i);
			buf.addChar(",".code);
		}
		Sys.println(buf.toString());
		buf.add("end");
		Sys.println("buf length " + buf.length);
		Sys.println(buf.toString());

		var s = "Hello, Haxe World";
		Sys.println("length " + s.length);
		Sys.println(s.toUpperCase());
		Sys.println(s.toLowerCase());
		Sys.println("indexOf " + s.indexOf("Haxe"));
		Sys.println("lastIndexOf " + s.lastIndexOf("o"));
		Sys.println("missing " + s.indexOf("xyz"));
		Sys.println(s.substr(7, 4));
		Sys.println(s.substring(12));
		Sys.println(s.charAt(0) + s.charCodeAt(1));
		Sys.println(s.split(" ").join("|"));
		Sys.println(StringTools.replace(s, "o", "0"));
		Sys.println(StringTools.trim("  pad  ") + "!");
		Sys.println(StringTools.lpad("7", "0", 3));
		Sys.println(StringTools.hex(255, 4));
		Sys.println(StringTools.startsWith(s, "Hello") + " " + StringTools.endsWith(s, "Hello"));

		Sys.println(Std.parseInt("42") + 1);
		Sys.println(Std.parseInt("-17"));
		Sys.println(Std.parseInt("0x1F"));
		Sys.println(Std.parseInt("12abc"));
		Sys.println(Std.parseInt("abc"));
		Sys.println(Std.parseFloat("2.5") * 2);

		Sys.println("a" + 1 + 2);
		Sys.println(1 + 2 + "a");
		Sys.println("x" == "x" + "");
		var parts = [];
		for (word in ["one", "two", "three"])
			parts.push(word.charAt(0).toUpperCase() + word.substr(1));
		Sys.println(parts.join(" "));
	}
}
