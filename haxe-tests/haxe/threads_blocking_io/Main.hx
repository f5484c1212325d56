import haxe.io.Bytes;
import sys.FileSystem;
import sys.io.File;
import sys.io.Process;
import sys.thread.Deque;
import sys.thread.Thread;

/** Blocking process and file I/O while other Haxe threads run. In every case one
    thread blocks (reading a child's stdout or stderr, writing a child's stdin with the
    pipe full, waiting for a child's exit, `Sys.command`, opening and reading a FIFO)
    until another Haxe thread has done its part: the program can only end if the
    blocked thread let the others run. The helpers wait a little before acting, so the
    blocking call has started by then. Only programs every Linux system has are started
    (/bin/sh, cat, mktemp, mkfifo); only the main thread prints, in a fixed order. */
class Main {
	static function main() {
		pipeRead();
		pipeReadStderr();
		exitWait();
		fullPipes();
		var dir = tempDir();
		command(dir);
		fifo(dir);
		FileSystem.deleteDirectory(dir);
		Sys.println("done");
	}

	/** The main thread reads `cat`'s output line by line; a thread feeds its stdin. */
	static function pipeRead() {
		var p = new Process("cat", []);
		Thread.create(() -> {
			for (i in 0...5) {
				Sys.sleep(0.01);
				p.stdin.writeString('line $i\n');
				p.stdin.flush();
			}
			p.stdin.close();
		});
		var got = [];
		try {
			while (true)
				got.push(p.stdout.readLine());
		} catch (e:haxe.io.Eof) {}
		Sys.println("read from cat: " + got.join(", "));
		Sys.println("cat exit: " + p.exitCode());
		p.close();
	}

	/** The same on stderr: the child answers there once a thread wrote to it. */
	static function pipeReadStderr() {
		var p = new Process("sh", ["-c", "read x; echo \"got $x\" >&2"]);
		Thread.create(() -> {
			Sys.sleep(0.02);
			p.stdin.writeString("ping\n");
			p.stdin.close();
		});
		Sys.println("stderr: " + p.stderr.readLine());
		Sys.println("sh exit: " + p.exitCode());
		p.close();
	}

	/** `exitCode()` waits for a child that ends only when a thread writes to it. */
	static function exitWait() {
		var p = new Process("sh", ["-c", "read x; exit $x"]);
		Thread.create(() -> {
			Sys.sleep(0.02);
			p.stdin.writeString("7\n");
			p.stdin.close();
		});
		Sys.println("exit code after the thread wrote: " + p.exitCode());
		p.close();
	}

	/** 256 KB through `cat`: the main thread's writes block once both pipes are full,
		until a thread reads `cat`'s output. */
	static function fullPipes() {
		var p = new Process("cat", []);
		var result = new Deque<Int>();
		Thread.create(() -> {
			var buf = Bytes.alloc(4096);
			var total = 0, sum = 0;
			try {
				while (true) {
					var n = p.stdout.readBytes(buf, 0, buf.length);
					for (i in 0...n)
						sum = (sum * 31 + buf.get(i)) & 0xFFFFFF;
					total += n;
				}
			} catch (e:haxe.io.Eof) {}
			result.add(total);
			result.add(sum);
		});
		var chunk = Bytes.alloc(8192);
		for (i in 0...chunk.length)
			chunk.set(i, (i * 7) & 0xFF);
		for (_ in 0...32)
			p.stdin.writeFullBytes(chunk, 0, chunk.length);
		p.stdin.close();
		var total = result.pop(true);
		var sum = result.pop(true);
		Sys.println('cat echoed $total bytes, checksum $sum');
		Sys.println("cat exit: " + p.exitCode());
		p.close();
	}

	/** A fresh temporary folder (`mktemp -d`). */
	static function tempDir():String {
		var p = new Process("mktemp", ["-d"]);
		var dir = p.stdout.readLine();
		p.exitCode();
		p.close();
		return dir;
	}

	/** `Sys.command` waits for a shell that waits for a file a thread creates. */
	static function command(dir:String) {
		var flag = dir + "/flag";
		Thread.create(() -> {
			Sys.sleep(0.05);
			File.saveContent(flag, "x");
		});
		var script = 'i=0; while [ ! -e $flag ] && [ $$i -lt 1000 ]; do sleep 0.01; i=$$((i+1)); done; [ -e $flag ] && exit 3; exit 1';
		Sys.println("command exit: " + Sys.command("sh", ["-c", script]));
		FileSystem.deleteFile(flag);
	}

	/** A FIFO: opening it waits for the other end, reading waits for the writer. */
	static function fifo(dir:String) {
		var path = dir + "/fifo";
		Sys.println("mkfifo: " + Sys.command("mkfifo", [path]));
		Thread.create(() -> {
			Sys.sleep(0.02);
			var out = File.write(path);
			for (i in 0...3) {
				Sys.sleep(0.01);
				out.writeString('fifo $i\n');
				out.flush();
			}
			out.close();
		});
		var input = File.read(path);
		var got = [];
		try {
			while (true)
				got.push(input.readLine());
		} catch (e:haxe.io.Eof) {}
		input.close();
		Sys.println("read from the fifo: " + got.join(", "));
		// The other direction: the main thread writes, a thread reads.
		var result = new Deque<String>();
		Thread.create(() -> {
			var input = File.read(path);
			result.add(input.readAll().toString());
			input.close();
		});
		var out = File.write(path);
		out.writeString("from main\n");
		out.close();
		Sys.println("a thread read: " + StringTools.trim(result.pop(true)));
		FileSystem.deleteFile(path);
	}
}
