// sys.io.Process pipes: stdout and stderr apart, readLine/readAll/readByte and partial
// readBytes with small buffers, end of stream (haxe.io.Eof), writing to a child's stdin
// and closing it, 1 MB each way through a pipe, writing to a child that has exited, and
// output a child wrote before a signal killed it. Only programs every Linux system has
// (/bin/sh, cat, printf, head, tr, wc) are started.
import haxe.io.Bytes;
import sys.io.Process;

class Main {
	static function show(label:String, v:Dynamic) {
		Sys.println(label + ": " + Std.string(v));
	}

	static function main() {
		// stdout and stderr are separate pipes.
		var p = new Process("sh", ["-c", "echo to-out; echo to-err >&2; echo more-out"]);
		show("stdout", p.stdout.readAll().toString());
		show("stderr", p.stderr.readAll().toString());
		show("exit", p.exitCode());
		p.close();

		// readLine until Eof; the last line has no newline.
		var p = new Process("printf", ["first\\nsecond line\\n\\nlast"]);
		var lines = [];
		try {
			while (true)
				lines.push(p.stdout.readLine());
		} catch (e:haxe.io.Eof) {
			lines.push("<eof>");
		}
		show("lines", lines.join("|"));
		// At the end: readByte, readBytes and readAll.
		try {
			p.stdout.readByte();
		} catch (e:haxe.io.Eof) {
			show("readByte at end", "Eof");
		}
		try {
			p.stdout.readBytes(Bytes.alloc(4), 0, 4);
		} catch (e:haxe.io.Eof) {
			show("readBytes at end", "Eof");
		}
		show("readAll at end", "[" + p.stdout.readAll().toString() + "]");
		p.exitCode();
		p.close();

		// Small buffers: the output is complete (the child has exited) before reading,
		// so each read gets min(buffer, what is left).
		var p = new Process("printf", ["0123456789abcdefghij"]);
		p.exitCode();
		var buf = Bytes.alloc(8);
		var sizes = [];
		var text = new StringBuf();
		try {
			while (true) {
				var n = p.stdout.readBytes(buf, 2, 3);
				sizes.push(n);
				text.add(buf.getString(2, n));
			}
		} catch (e:haxe.io.Eof) {}
		show("chunk sizes", sizes.join(","));
		show("chunks", text.toString());
		// A zero-length read ends with Eof too (HashLink maps a 0-byte read to -1).
		var p2 = new Process("printf", ["abc"]);
		try {
			show("zero-length read", p2.stdout.readBytes(buf, 0, 0));
		} catch (e:haxe.io.Eof) {
			show("zero-length read", "Eof");
		}
		show("after zero-length read", p2.stdout.readAll().toString());
		p2.exitCode();
		p2.close();
		p.close();
		// stdin: written, closed, echoed back by cat.
		var p = new Process("cat", []);
		p.stdin.writeString("hello\n");
		p.stdin.writeString("w\u00f6rld \u2713\n");
		for (c in [65, 66, 10])
			p.stdin.writeByte(c);
		var b = Bytes.ofString("..partial..");
		p.stdin.writeBytes(b, 2, 7);
		p.stdin.close();
		show("cat echo", p.stdout.readAll().toString());
		show("cat exit", p.exitCode());
		p.close();

		// 1 MB out of a child through readAll, and again through a 7-byte buffer.
		var p = new Process("sh", ["-c", "head -c 1048576 /dev/zero | tr '\\0' a"]);
		var all = p.stdout.readAll();
		var ok = true;
		for (i in 0...all.length)
			if (all.get(i) != 'a'.code) {
				ok = false;
				break;
			}
		show("1 MB readAll", all.length + " bytes, all 'a': " + ok);
		show("1 MB exit", p.exitCode());
		p.close();
		var p = new Process("sh", ["-c", "head -c 300000 /dev/zero | tr '\\0' b"]);
		var small = Bytes.alloc(7);
		var total = 0, sum = 0;
		try {
			while (true) {
				var n = p.stdout.readBytes(small, 0, 7);
				total += n;
				for (i in 0...n)
					sum += small.get(i);
			}
		} catch (e:haxe.io.Eof) {}
		show("300000 bytes via 7-byte reads", total + " bytes, sum " + sum);
		p.exitCode();
		p.close();

		// 1 MB into a child: wc answers only after stdin closes.
		var p = new Process("wc", ["-c"]);
		var chunk = Bytes.alloc(65536);
		chunk.fill(0, chunk.length, 'z'.code);
		for (i in 0...16)
			p.stdin.write(chunk);
		p.stdin.close();
		show("wc -c of 1 MB", StringTools.trim(p.stdout.readAll().toString()));
		show("wc exit", p.exitCode());
		p.close();

		// Writing to a child that has exited: the broken pipe is an Eof, not a crash.
		var p = new Process("true", []);
		p.exitCode();
		try {
			p.stdin.writeString("nobody reads this");
			show("write to exited child", "written");
		} catch (e:haxe.io.Eof) {
			show("write to exited child", "Eof");
		}
		p.close();

		// What a child wrote before a signal killed it is still there to read.
		var p = new Process("sh", ["-c", "echo before; printf 'no newline'; echo err-before >&2; kill -9 $$; echo after"]);
		show("killed child stdout", p.stdout.readAll().toString());
		show("killed child stderr", p.stderr.readAll().toString());
		show("killed child exit", p.exitCode());
		p.close();
		// Also when the parent kills it while its output waits unread in the pipe: the
		// child says on stderr when everything is written, then blocks in cat.
		var p = new Process("sh", ["-c", "echo one; printf 'two'; echo ready >&2; exec cat"]);
		show("child ready", p.stderr.readLine());
		p.kill();
		show("after kill", p.stdout.readAll().toString());
		show("exit", p.exitCode());
		p.close();
	}
}
