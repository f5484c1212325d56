// haxe.io.Path: parsing, joining, normalizing, extensions, directories, absolute paths.
import haxe.io.Path;

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function main() {
		for (s in ["", "a", "a.txt", "/a/b/c.tar.gz", "dir/", "dir/file", ".hidden", "dir/.hidden", "C:\\win\\path.exe", "a/b\\c.d",
			"../up/x.y", "./x", "/", "file.", "a.b/c", "héllo/wörld.txt"]) {
			var pa = new Path(s);
			p("path [" + s + "]", "dir=" + pa.dir + " file=" + pa.file + " ext=" + pa.ext + " backslash=" + pa.backslash + " str=" + pa.toString());
			p("  withoutExtension", Path.withoutExtension(s));
			p("  withoutDirectory", Path.withoutDirectory(s));
			p("  directory", Path.directory(s));
			p("  extension", Path.extension(s));
			p("  isAbsolute", Path.isAbsolute(s));
			p("  addTrailingSlash", Path.addTrailingSlash(s));
			p("  removeTrailingSlashes", Path.removeTrailingSlashes(s));
			p("  normalize", Path.normalize(s));
		}
		p("withExtension", Path.withExtension("a/b.c", "d"));
		p("join", Path.join(["a", "b", "c.txt"]));
		p("join slashes", Path.join(["a/", "/b/", "c"]));
		p("join empty", Path.join(["", "a", ""]));
		p("join none", Path.join([]));
		p("normalize dots", Path.normalize("a/./b/../../c//d/./e/.."));
		p("normalize leading ..", Path.normalize("../../a/b/../c"));
		p("normalize abs", Path.normalize("/a/../../b"));
		p("normalize backslash", Path.normalize("a\\b\\..\\c"));
		p("normalize double", Path.normalize("a//b"));
		p("removeTrailing many", Path.removeTrailingSlashes("a/b///"));
		p("addTrailing backslash", Path.addTrailingSlash("a\\b"));
		p("isAbsolute win", Path.isAbsolute("c:/x"));
		p("isAbsolute unc", Path.isAbsolute("\\\\server"));
		var pa = new Path("x/y.z");
		pa.ext = null;
		p("ext removed", pa.toString());
		pa.dir = null;
		p("dir removed", pa.toString());
		pa.ext = "w";
		pa.backslash = true;
		pa.dir = "q";
		p("backslash", pa.toString());
	}
}
