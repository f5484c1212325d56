// haxe.zip.Compress / Uncompress on HashLink's `fmt@deflate_*` / `fmt@inflate_*` natives:
// one-shot runs at every level, streaming with small buffers and each flush mode, raw and
// gzip window bits, corrupt input (the zlib error messages), sizes at buffer boundaries,
// and a zip archive written with haxe.zip.Writer and read back with haxe.zip.Reader.
import haxe.io.Bytes;
import haxe.io.BytesBuffer;
import haxe.zip.Compress;
import haxe.zip.Uncompress;
import haxe.zip.FlushMode;

class Main {
	static function pattern(n:Int, seed:Int):Bytes {
		var b = Bytes.alloc(n);
		var x = seed;
		for (i in 0...n) {
			x = (x * 1103515245 + 12345) & 0x7FFFFFFF;
			b.set(i, (x >> 16) & 0xFF);
		}
		return b;
	}

	/** Compressible text: words drawn from a small list. */
	static function text(n:Int, seed:Int):Bytes {
		var words = ["alpha ", "beta ", "gamma ", "delta\n", "epsilon ", "zeta, ", "eta. "];
		var b = new BytesBuffer();
		var x = seed;
		var len = 0;
		while (len < n) {
			x = (x * 1103515245 + 12345) & 0x7FFFFFFF;
			var w = words[(x >> 16) % words.length];
			b.addString(w);
			len += w.length;
		}
		return b.getBytes().sub(0, n);
	}

	static function sum(b:Bytes):String {
		return b.length + ":" + StringTools.hex(haxe.crypto.Crc32.make(b), 8);
	}

	static function show(label:String, s:String) {
		Sys.println(label + " " + s);
	}

	static function attempt(label:String, f:() -> String) {
		try {
			show(label, f());
		} catch (e:Dynamic) {
			show(label, "exception " + Std.string(e));
		}
	}

	static function res(r:{done:Bool, read:Int, write:Int}):String {
		return (r.done ? "done" : "more") + " r" + r.read + " w" + r.write;
	}

	static function oneShot() {
		var inputs = [
			Bytes.alloc(0),
			Bytes.ofString("a"),
			Bytes.ofString("hello hello hello hello"),
			Bytes.ofString("héllo wörld ☃"),
			text(1000, 1),
			pattern(1000, 2),
			text(100000, 3),
			pattern(70000, 4)
		];
		for (i in 0...inputs.length) {
			var src = inputs[i];
			for (level in [-1, 0, 1, 2, 5, 6, 9]) {
				var c = Compress.run(src, level);
				var tag = "run i" + i + " L" + level;
				show(tag, src.length <= 23 ? c.toHex() : sum(c));
				var u = Uncompress.run(c);
				if (u.compare(src) != 0)
					show(tag, "ROUND TRIP MISMATCH " + sum(u));
				var u2 = Uncompress.run(c, 7);
				if (u2.compare(src) != 0)
					show(tag, "ROUND TRIP MISMATCH (bufsize 7) " + sum(u2));
			}
		}
	}

	/** Streams `src` through a Compress in input chunks of `chunk`, output buffer `out` bytes. */
	static function streamCompress(tag:String, src:Bytes, level:Int, chunk:Int, out:Int, mode:FlushMode, verbose:Bool):Bytes {
		var c = new Compress(level);
		c.setFlushMode(mode);
		var buf = Bytes.alloc(out);
		var result = new BytesBuffer();
		var pos = 0;
		var calls = 0;
		var log = [];
		while (pos < src.length) {
			var end = pos + chunk > src.length ? src.length : pos + chunk;
			var piece = src.sub(pos, end - pos);
			var ppos = 0;
			while (true) {
				var r = c.execute(piece, ppos, buf, 0);
				calls++;
				if (verbose)
					log.push(res(r));
				result.addBytes(buf, 0, r.write);
				ppos += r.read;
				if (ppos >= piece.length && r.write < out)
					break;
			}
			pos = end;
		}
		c.setFlushMode(FlushMode.FINISH);
		while (true) {
			var r = c.execute(Bytes.alloc(0), 0, buf, 0);
			calls++;
			if (verbose)
				log.push("F " + res(r));
			result.addBytes(buf, 0, r.write);
			if (r.done)
				break;
		}
		c.close();
		var b = result.getBytes();
		show(tag, sum(b) + " calls " + calls);
		if (verbose)
			show(tag + " log", log.join(", "));
		return b;
	}

	static function streamUncompress(tag:String, src:Bytes, chunk:Int, out:Int, mode:FlushMode, wbits:Null<Int>, verbose:Bool):Bytes {
		var u = new Uncompress(wbits);
		u.setFlushMode(mode);
		var buf = Bytes.alloc(out);
		var result = new BytesBuffer();
		var pos = 0;
		var calls = 0;
		var log = [];
		var done = false;
		while (!done) {
			var end = pos + chunk > src.length ? src.length : pos + chunk;
			var r = u.execute(src.sub(0, end), pos, buf, 0);
			calls++;
			if (verbose)
				log.push(res(r));
			result.addBytes(buf, 0, r.write);
			pos += r.read;
			done = r.done;
			if (calls > 100000)
				throw "too many calls";
		}
		u.close();
		var b = result.getBytes();
		show(tag, sum(b) + " calls " + calls + " consumed " + pos);
		if (verbose)
			show(tag + " log", log.join(", "));
		return b;
	}

	static function streaming() {
		var small = text(300, 5);
		var big = text(50000, 6);
		var bin = pattern(20000, 7);
		var modes = [FlushMode.NO, FlushMode.SYNC, FlushMode.FULL, FlushMode.BLOCK];
		for (m in modes) {
			var z = streamCompress("deflate small " + m, small, 6, 50, 16, m, true);
			if (Uncompress.run(z).compare(small) != 0)
				show("deflate small " + m, "ROUND TRIP MISMATCH");
			var z = streamCompress("deflate big " + m, big, 9, 1000, 100, m, false);
			if (Uncompress.run(z).compare(big) != 0)
				show("deflate big " + m, "ROUND TRIP MISMATCH");
			var z = streamCompress("deflate bin " + m, bin, 1, 4096, 4096, m, false);
			if (Uncompress.run(z).compare(bin) != 0)
				show("deflate bin " + m, "ROUND TRIP MISMATCH");
		}
		var z = Compress.run(big, 6);
		for (m in [FlushMode.NO, FlushMode.SYNC, FlushMode.FULL, FlushMode.BLOCK])
			streamUncompress("inflate big " + m, z, 100, 333, m, null, false);
		var zs = Compress.run(small, 6);
		streamUncompress("inflate small", zs, 10, 32, FlushMode.SYNC, null, true);
		streamUncompress("inflate small 1-byte", zs, 1, 1, FlushMode.NO, 15, false);
		// FINISH on inflate needs all output in one call: a small buffer is a buffer error
		attempt("inflate finish small buffer", () -> {
			var u = new Uncompress();
			u.setFlushMode(FlushMode.FINISH);
			var buf = Bytes.alloc(16);
			var r = u.execute(zs, 0, buf, 0);
			res(r);
		});
		attempt("inflate finish big buffer", () -> {
			var u = new Uncompress();
			u.setFlushMode(FlushMode.FINISH);
			var buf = Bytes.alloc(1000);
			res(u.execute(zs, 0, buf, 0));
		});
		// once done, more calls stay done
		attempt("inflate after end", () -> {
			var u = new Uncompress();
			var buf = Bytes.alloc(1000);
			var a = res(u.execute(zs, 0, buf, 0));
			var b = res(u.execute(zs, 0, buf, 0));
			var c = res(u.execute(zs, zs.length, buf, 0));
			u.close();
			u.close();
			a + " / " + b + " / " + c;
		});
		// trailing garbage after the stream is left unread
		attempt("inflate trailing", () -> {
			var t = Bytes.alloc(zs.length + 5);
			t.blit(0, zs, 0, zs.length);
			var u = new Uncompress();
			var buf = Bytes.alloc(1000);
			res(u.execute(t, 0, buf, 0));
		});
		// deflate: output buffer full, finishing twice, zero-size output
		attempt("deflate finish again", () -> {
			var c = new Compress(6);
			c.setFlushMode(FlushMode.FINISH);
			var buf = Bytes.alloc(1000);
			var a = res(c.execute(small, 0, buf, 0));
			var b = res(c.execute(small, small.length, buf, 0));
			a + " / " + b;
		});
		attempt("deflate zero output", () -> {
			var c = new Compress(6);
			res(c.execute(small, 0, Bytes.alloc(0), 0));
		});
		attempt("deflate no flush change after finish", () -> {
			var c = new Compress(6);
			c.setFlushMode(FlushMode.FINISH);
			var buf = Bytes.alloc(1000);
			var a = res(c.execute(small, 0, buf, 0));
			c.setFlushMode(FlushMode.NO);
			var b = res(c.execute(small, 0, buf, 0));
			a + " / " + b;
		});
		attempt("deflate at offsets", () -> {
			var c = new Compress(6);
			c.setFlushMode(FlushMode.FINISH);
			var buf = Bytes.alloc(1000);
			buf.fill(0, 1000, 0xAA);
			var r = c.execute(small, 100, buf, 10);
			res(r) + " " + buf.sub(0, 12).toHex() + " " + Uncompress.run(buf.sub(10, r.write)).compare(small.sub(100, 200));
		});
		attempt("inflate at offsets", () -> {
			var t = Bytes.alloc(zs.length + 7);
			t.blit(7, zs, 0, zs.length);
			var u = new Uncompress();
			var buf = Bytes.alloc(400);
			var r = u.execute(t, 7, buf, 50);
			res(r) + " " + buf.sub(50, 300).compare(small);
		});
		attempt("same bytes for input and output", () -> {
			var both = Bytes.alloc(1300);
			both.blit(0, small, 0, 300);
			var c = new Compress(6);
			c.setFlushMode(FlushMode.FINISH);
			var r = c.execute(both, 0, both, 300);
			var u = new Uncompress();
			var r2 = u.execute(both.sub(0, 300 + r.write), 300, both, 700);
			res(r) + " " + res(r2) + " " + both.sub(700, 300).compare(small);
		});
		attempt("positions out of range", () -> {
			var u = new Uncompress();
			res(u.execute(zs, zs.length + 1, Bytes.alloc(10), 0));
		});
		attempt("negative position", () -> {
			var c = new Compress(6);
			res(c.execute(small, -1, Bytes.alloc(10), 0));
		});
		attempt("dst position out of range", () -> {
			var c = new Compress(6);
			res(c.execute(small, 0, Bytes.alloc(10), 11));
		});
	}

	static function windowBits() {
		var src = text(5000, 8);
		var z = Compress.run(src, 6);
		var raw = z.sub(2, z.length - 6);
		// raw deflate (-15), also the zip entry form
		streamUncompress("raw -15", raw, 10000, 10000, FlushMode.SYNC, -15, false);
		streamUncompress("raw -9", raw, 10000, 10000, FlushMode.SYNC, -9, false);
		attempt("zlib data as raw", () -> {
			streamUncompress("zlib as raw", z, 10000, 10000, FlushMode.SYNC, -15, false);
			"ok";
		});
		// gzip wrapper built by hand: header, raw data, crc32, size
		var gz = new BytesBuffer();
		for (x in [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])
			gz.addByte(x);
		gz.addBytes(raw, 0, raw.length);
		var t = Bytes.alloc(8);
		t.setInt32(0, haxe.crypto.Crc32.make(src));
		t.setInt32(4, src.length);
		gz.addBytes(t, 0, 8);
		var gzb = gz.getBytes();
		streamUncompress("gzip 31", gzb, 10000, 10000, FlushMode.SYNC, 31, false);
		streamUncompress("auto 47 gzip", gzb, 10000, 10000, FlushMode.SYNC, 47, false);
		streamUncompress("auto 47 zlib", z, 10000, 10000, FlushMode.SYNC, 47, false);
		attempt("zlib as gzip", () -> {
			streamUncompress("zlib as gzip", z, 10000, 10000, FlushMode.SYNC, 31, false);
			"ok";
		});
		for (bits in [8, 9, 15, 16, 7, -7, -8, -16, 100])
			attempt("inflate_init " + bits, () -> {
				var u = new Uncompress(bits);
				u.close();
				"ok";
			});
		// a stream made with a 15-bit window read with a smaller one
		attempt("window 9 on 15-bit stream", () -> {
			streamUncompress("w9", z, 10000, 10000, FlushMode.SYNC, 9, false);
			"ok";
		});
	}

	static function levels() {
		for (level in [-2, -1, 0, 9, 10, 100])
			attempt("deflate_init " + level, () -> {
				var c = new Compress(level);
				c.close();
				"ok";
			});
		for (n in [0, 1, 100, 16383, 16384, 65536, 1000000])
			for (level in [0, 6])
				attempt("bound " + n + " L" + level, () -> {
					var c = new Compress(level);
					var b = @:privateAccess Compress.deflate_bound(@:privateAccess c.s, n);
					c.close();
					"" + b;
				});
		for (f in [-1, 5, 100])
			attempt("flush mode " + f, () -> {
				var u = new Uncompress();
				@:privateAccess Uncompress.zip_flush_mode(@:privateAccess u.s, f);
				"ok";
			});
	}

	static function corrupt() {
		var good = Compress.run(text(2000, 9), 6);
		var cases:Array<{name:String, data:Bytes}> = [];
		cases.push({name: "empty", data: Bytes.alloc(0)});
		cases.push({name: "bad header check", data: Bytes.ofHex("789d0000")});
		cases.push({name: "bad method", data: Bytes.ofHex("7f07")});
		cases.push({name: "bad window", data: Bytes.ofHex("881c")});
		cases.push({name: "dictionary", data: Bytes.ofHex("78bb000000010000")});
		cases.push({name: "bad block type", data: Bytes.ofHex("789c07")});
		cases.push({name: "stored lengths", data: Bytes.ofHex("789c0105000000")});
		var t = good.sub(0, good.length >> 1);
		cases.push({name: "truncated", data: t});
		var b = good.sub(0, good.length);
		b.set(b.length - 1, b.get(b.length - 1) ^ 0xFF);
		cases.push({name: "bad adler", data: b});
		var d = good.sub(0, good.length);
		for (i in 10...20)
			d.set(i, 0xFF);
		cases.push({name: "garbled", data: d});
		cases.push({name: "random", data: pattern(500, 10)});
		var e = good.sub(0, good.length);
		e.set(2, e.get(2) | 6);
		cases.push({name: "reserved block", data: e});
		for (c in cases) {
			// Uncompress.run never ends on a stream asking for a preset dictionary
			if (c.name != "dictionary")
				attempt("corrupt run " + c.name, () -> sum(Uncompress.run(c.data)));
			attempt("corrupt execute " + c.name, () -> {
				var u = new Uncompress();
				var buf = Bytes.alloc(100000);
				var r = u.execute(c.data, 0, buf, 0);
				var s = res(r);
				// calling again after an error
				try {
					s += " / " + res(u.execute(c.data, r.read, buf, 0));
				} catch (e:Dynamic) {
					s += " / again " + Std.string(e);
				}
				s;
			});
		}
		attempt("error value type", () -> {
			try {
				Uncompress.run(Bytes.ofHex("789c07"));
				"no error";
			} catch (e:Dynamic) {
				"isString=" + Std.isOfType(e, String) + " " + Type.typeof(e);
			}
		});
	}

	static function boundaries() {
		for (n in [0, 1, 255, 256, 32767, 32768, 65535, 65536, 65537, 131072]) {
			var src = text(n, n);
			var z = Compress.run(src, 6);
			var ok = Uncompress.run(z).compare(src) == 0;
			var ok2 = Uncompress.run(z, n == 0 ? 1 : n).compare(src) == 0;
			var ok3 = Uncompress.run(z, n + 1).compare(src) == 0;
			var ok4 = n > 1 ? Uncompress.run(z, n - 1).compare(src) == 0 : true;
			show("boundary " + n, sum(z) + " " + ok + ok2 + ok3 + ok4);
			// exact-size output buffer in one execute, as Tools.uncompress does (an empty
			// Bytes has a null hl.Bytes on HashLink: zlib refuses it)
			attempt("exact " + n, () -> {
				var u = new Uncompress();
				var out = Bytes.alloc(n);
				var r = u.execute(z, 0, out, 0);
				u.close();
				res(r) + " " + (out.compare(src) == 0);
			});
		}
	}

	static function zipArchive() {
		var date = new Date(2021, 4, 17, 13, 45, 30);
		var entries = new haxe.ds.List<haxe.zip.Entry>();
		var contents = [
			{name: "empty.txt", data: Bytes.alloc(0), level: 6},
			{name: "hello.txt", data: Bytes.ofString("Hello, zip!\n"), level: 9},
			{name: "dir/text.txt", data: text(40000, 11), level: 6},
			{name: "dir/bin.dat", data: pattern(10000, 12), level: 1},
			{name: "stored.txt", data: text(500, 13), level: -100},
			{name: "uni.txt", data: Bytes.ofString("ünïcödé"), level: 0},
		];
		for (c in contents) {
			var e:haxe.zip.Entry = {
				fileName: c.name,
				fileSize: c.data.length,
				fileTime: date,
				compressed: false,
				dataSize: c.data.length,
				data: c.data,
				crc32: haxe.crypto.Crc32.make(c.data)
			};
			if (c.level != -100)
				haxe.zip.Tools.compress(e, c.level);
			entries.add(e);
		}
		var out = new haxe.io.BytesOutput();
		new haxe.zip.Writer(out).write(entries);
		var zip = out.getBytes();
		show("zip", sum(zip));
		var read = haxe.zip.Reader.readZip(new haxe.io.BytesInput(zip));
		var i = 0;
		for (e in read) {
			var c = contents[i++];
			var before = e.compressed + " " + e.dataSize + "/" + e.fileSize + " crc " + StringTools.hex(e.crc32, 8);
			// an empty compressed entry fails on HashLink: its output Bytes is null
			attempt("entry " + e.fileName, () -> {
				haxe.zip.Tools.uncompress(e);
				before + " -> " + sum(e.data) + " " + (e.data.compare(c.data) == 0);
			});
		}
		// Reader.unzip is the other path
		for (e in haxe.zip.Reader.readZip(new haxe.io.BytesInput(zip)))
			attempt("unzip " + e.fileName, () -> sum(haxe.zip.Reader.unzip(e)));
		// a corrupted entry
		var bad = zip.sub(0, zip.length);
		var off = 30 + "empty.txt".length + 2 + 30 + "hello.txt".length + 5;
		bad.set(off, bad.get(off) ^ 0x55);
		attempt("bad entry", () -> {
			var s = [];
			for (e in haxe.zip.Reader.readZip(new haxe.io.BytesInput(bad))) {
				if (e.fileName != "empty.txt")
					haxe.zip.Tools.uncompress(e);
				s.push(e.fileName + "=" + sum(e.data));
			}
			s.join(" ");
		});
	}

	static function main() {
		oneShot();
		streaming();
		windowBits();
		levels();
		corrupt();
		boundaries();
		zipArchive();
	}
}
