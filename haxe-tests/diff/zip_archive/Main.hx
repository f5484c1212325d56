// haxe.zip.Writer and Reader: an archive with stored and deflated entries and fixed
// dates, written to bytes and read back; haxe.zip.InflateImpl on raw data.
import haxe.io.Bytes;
import haxe.zip.Entry;

class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function entry(name:String, data:Bytes, compress:Bool):Entry {
		var e:Entry = {
			fileName: name,
			fileSize: data.length,
			fileTime: new Date(2021, 5, 7, 8, 9, 10),
			compressed: false,
			dataSize: data.length,
			data: data,
			crc32: haxe.crypto.Crc32.make(data)
		};
		if (compress)
			haxe.zip.Tools.compress(e, 9);
		return e;
	}

	static function main() {
		var text = Bytes.ofString([for (i in 0...200) "row " + (i % 7)].join("\n"));
		var entries = new haxe.ds.List<Entry>();
		entries.add(entry("stored.txt", Bytes.ofString("just stored"), false));
		entries.add(entry("deflated.txt", text, true));
		entries.add(entry("dir/empty.bin", Bytes.alloc(0), false));
		entries.add(entry("unicodé.txt", Bytes.ofString("ü"), true));
		var out = new haxe.io.BytesOutput();
		new haxe.zip.Writer(out).write(entries);
		var zip = out.getBytes();
		p("zip size", zip.length);
		p("zip crc", haxe.crypto.Crc32.make(zip));
		p("zip head", zip.sub(0, 30).toHex());
		try {
			var read = haxe.zip.Reader.readZip(new haxe.io.BytesInput(zip));
			for (e in read) {
				var data = haxe.zip.Reader.unzip(e);
				p("entry " + e.fileName, "size " + e.fileSize + " compressed " + e.compressed + " dataSize " + e.dataSize + " time "
					+ e.fileTime + " crc " + e.crc32 + " content " + data.length + " " + haxe.crypto.Crc32.make(data));
			}
		} catch (e:Dynamic) {
			p("readZip", "error " + e);
		}
		// An archive of stored entries only, which the reader accepts.
		var plain = new haxe.ds.List<Entry>();
		plain.add(entry("a.txt", Bytes.ofString("alpha"), false));
		plain.add(entry("b.txt", Bytes.ofString("beta"), false));
		var out2 = new haxe.io.BytesOutput();
		new haxe.zip.Writer(out2).write(plain);
		try {
			for (e in haxe.zip.Reader.readZip(new haxe.io.BytesInput(out2.getBytes())))
				p("stored entry " + e.fileName, haxe.zip.Reader.unzip(e).toString() + " " + e.fileTime);
		} catch (e:Dynamic) {
			p("stored readZip", "error " + e);
		}
		var deflated = haxe.zip.Compress.run(text, 6);
		var inflated = haxe.zip.InflateImpl.run(new haxe.io.BytesInput(deflated));
		p("InflateImpl", inflated.length + " equal " + (inflated.compare(text) == 0));
		var u = new haxe.zip.Uncompress();
		var dst = Bytes.alloc(text.length);
		var r = u.execute(deflated, 0, dst, 0);
		p("Uncompress.execute", r.done + " " + r.read + " " + r.write);
		u.close();
		var c = new haxe.zip.Compress(9);
		var cdst = Bytes.alloc(text.length + 100);
		c.setFlushMode(FINISH);
		var cr = c.execute(text, 0, cdst, 0);
		p("Compress.execute", cr.done + " " + cr.read + " " + cr.write);
		c.close();
	}
}
