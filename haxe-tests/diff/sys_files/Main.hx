// sys.FileSystem and sys.io.File in a temporary folder created and removed under the
// working directory: write, append, read, stat, rename, copy, directories, errors.
import sys.FileSystem;
import sys.io.File;

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function attempt(label:String, f:() -> Dynamic) {
		try {
			p(label, f());
		} catch (e:Dynamic) {
			p(label + " threw", e);
		}
	}

	static function sortedDir(d:String) {
		var a = FileSystem.readDirectory(d);
		a.sort(Reflect.compare);
		return a;
	}

	static function main() {
		var root = "hlffi_diff_sys_files_tmp";
		if (FileSystem.exists(root))
			removeTree(root);
		p("exists before", FileSystem.exists(root));
		FileSystem.createDirectory(root + "/a/b/c");
		p("exists after", FileSystem.exists(root));
		p("isDirectory", FileSystem.isDirectory(root + "/a/b"));
		var f = root + "/file.txt";
		File.saveContent(f, "hello\nwörld\n");
		p("getContent", File.getContent(f));
		p("isDirectory file", FileSystem.isDirectory(f));
		p("stat size", FileSystem.stat(f).size);
		var st = FileSystem.stat(f);
		p("stat mtime is date", Std.isOfType(st.mtime, Date));
		p("stat fields", [st.nlink, st.size].join(","));
		var out = File.append(f, false);
		out.writeString("appended");
		out.close();
		p("after append", File.getContent(f));
		File.saveBytes(root + "/bin.dat", haxe.io.Bytes.ofHex("00ff10"));
		p("getBytes", File.getBytes(root + "/bin.dat").toHex());
		var w = File.write(root + "/w.bin", true);
		w.writeInt32(0x01020304);
		w.writeDouble(1.5);
		w.writeString("end");
		w.close();
		var r = File.read(root + "/w.bin", true);
		p("read int", r.readInt32());
		p("read double", r.readDouble());
		p("tell", r.tell());
		p("read rest", r.readAll().toString());
		p("eof", r.eof());
		r.seek(0, SeekBegin);
		p("seek begin", r.readByte());
		r.seek(-3, SeekEnd);
		p("seek end", r.readString(3));
		r.seek(-2, SeekCur);
		p("seek cur", r.readString(2));
		try {
			r.readByte();
			p("read past end", "no error");
		} catch (e:haxe.io.Eof) {
			p("read past end", "Eof");
		}
		r.close();
		File.copy(f, root + "/copy.txt");
		p("copy", File.getContent(root + "/copy.txt").length);
		FileSystem.rename(root + "/copy.txt", root + "/a/moved.txt");
		p("rename", FileSystem.exists(root + "/copy.txt") + " " + FileSystem.exists(root + "/a/moved.txt"));
		p("readDirectory", sortedDir(root));
		p("readDirectory a", sortedDir(root + "/a"));
		p("fullPath ends", StringTools.endsWith(FileSystem.fullPath(root + "/a/../file.txt"), "/" + root + "/file.txt"));
		p("absolutePath ends", StringTools.endsWith(FileSystem.absolutePath(root), root));
		var u = File.update(f, false);
		u.seek(0, SeekBegin);
		u.writeString("J");
		u.close();
		p("update", File.getContent(f));
		File.saveContent(root + "/unicodé 😀.txt", "ü");
		p("unicode name", FileSystem.exists(root + "/unicodé 😀.txt") + " " + File.getContent(root + "/unicodé 😀.txt"));
		attempt("getContent missing", () -> File.getContent(root + "/missing.txt"));
		attempt("read missing", () -> File.read(root + "/missing.txt"));
		attempt("stat missing", () -> FileSystem.stat(root + "/missing.txt").size);
		attempt("deleteFile missing", () -> {
			FileSystem.deleteFile(root + "/missing.txt");
			"ok";
		});
		attempt("deleteDirectory not empty", () -> {
			FileSystem.deleteDirectory(root + "/a");
			"ok";
		});
		attempt("readDirectory missing", () -> FileSystem.readDirectory(root + "/nope"));
		attempt("createDirectory exists", () -> {
			FileSystem.createDirectory(root + "/a");
			"ok";
		});
		attempt("rename missing", () -> {
			FileSystem.rename(root + "/nope", root + "/nope2");
			"ok";
		});
		p("isDirectory missing", FileSystem.isDirectory(root + "/nope"));
		removeTree(root);
		p("removed", FileSystem.exists(root));
	}

	static function removeTree(d:String) {
		for (e in FileSystem.readDirectory(d)) {
			var path = d + "/" + e;
			if (FileSystem.isDirectory(path))
				removeTree(path);
			else
				FileSystem.deleteFile(path);
		}
		FileSystem.deleteDirectory(d);
	}
}
