// sys.io file streams: text and binary modes, line reading with \n and \r\n, eof after
// the last byte, seeking past the end, empty files, appending, reading bytes in chunks.
import sys.io.File;
import sys.FileSystem;

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function main() {
		var dir = "hlffi_diff_file_io_text_tmp";
		if (!FileSystem.exists(dir))
			FileSystem.createDirectory(dir);
		var path = dir + "/lines.txt";
		File.saveContent(path, "first\nsecond\r\nthird\n\nlast-no-newline");
		var input = File.read(path, false);
		var lines = [];
		try {
			while (true)
				lines.push("[" + input.readLine() + "]");
		} catch (e:haxe.io.Eof) {
			lines.push("Eof");
		}
		p("lines", lines);
		p("eof after lines", input.eof());
		input.close();

		var bin = File.read(path, true);
		var chunk = haxe.io.Bytes.alloc(8);
		var chunks = [];
		while (true) {
			var n = try bin.readBytes(chunk, 0, 8) catch (e:haxe.io.Eof) -1;
			if (n <= 0) {
				chunks.push("end " + n);
				break;
			}
			chunks.push(n + ":" + chunk.getString(0, n).split("\n").join("\\n").split("\r").join("\\r"));
		}
		p("chunks", chunks);
		p("eof", bin.eof());
		bin.seek(0, SeekBegin);
		p("tell after seek", bin.tell());
		bin.seek(1000, SeekBegin);
		p("tell past end", bin.tell());
		p("read past end", try Std.string(bin.readByte()) catch (e:haxe.io.Eof) "Eof");
		p("eof past end", bin.eof());
		bin.close();

		var empty = dir + "/empty.txt";
		File.saveContent(empty, "");
		p("empty content", "[" + File.getContent(empty) + "]");
		p("empty bytes", File.getBytes(empty).length);
		var ei = File.read(empty);
		p("empty eof before read", ei.eof());
		p("empty readAll", ei.readAll().length);
		p("empty eof after read", ei.eof());
		ei.close();

		var ap = dir + "/append.txt";
		for (i in 0...3) {
			var o = File.append(ap);
			o.writeString("line" + i + "\n");
			o.close();
		}
		p("appended", File.getContent(ap).split("\n"));
		var o = File.write(ap);
		o.writeString("overwritten");
		o.close();
		p("overwritten", File.getContent(ap));
		var big = new StringBuf();
		for (i in 0...5000)
			big.add(i % 10);
		File.saveContent(dir + "/big.txt", big.toString());
		var bi = File.read(dir + "/big.txt");
		var total = 0;
		var sum = 0;
		try {
			while (true) {
				sum += bi.readByte() - 48;
				total++;
			}
		} catch (e:haxe.io.Eof) {}
		bi.close();
		p("big", total + " " + sum);
		for (f in FileSystem.readDirectory(dir))
			FileSystem.deleteFile(dir + "/" + f);
		FileSystem.deleteDirectory(dir);
		p("cleaned", FileSystem.exists(dir));
	}
}
