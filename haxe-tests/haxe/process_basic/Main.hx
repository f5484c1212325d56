// sys.io.Process and Sys.command: how commands start (shell string or program plus
// arguments), exit codes (normal, signals, polling, reaping twice), kill, pid, close,
// a program that cannot be executed, and the environment children see. Only programs
// every Linux system has (/bin/sh, cat, printf, true) are started.
import sys.io.Process;

class Main {
	static function show(label:String, v:Dynamic) {
		Sys.println(label + ": " + Std.string(v));
	}

	static function attempt(label:String, f:() -> Dynamic) {
		try {
			show(label, f());
		} catch (e:haxe.io.Eof) {
			show(label, "Eof");
		} catch (e:Dynamic) {
			show(label, "exception " + Std.string(e));
		}
	}

	static function main() {
		// Arguments go to the program as they are: spaces, quotes, unicode, empty.
		var p = new Process("printf", ["[%s]\\n", "a b", "c'd", 'e"f', "h\u00e9llo \u2713 \u{1F600}", "", "$HOME", "*"]);
		Sys.print(p.stdout.readAll().toString());
		show("printf exit", p.exitCode());
		p.close();

		// Without arguments the command is a shell command line.
		var p = new Process("echo 'one two' | tr a-z A-Z; exit 5");
		show("shell stdout", p.stdout.readAll().toString());
		show("shell exit", p.exitCode());
		p.close();

		// Exit codes: plain, and 0x40000000 | signal when a signal ends the child.
		for (script in ["exit 0", "exit 3", "exit 255", "kill -9 $$", "kill -15 $$"]) {
			var p = new Process("sh", ["-c", script]);
			show("exit code of '" + script + "'", p.exitCode());
			// Reaped already: blocking gives -1, polling gives 0.
			show("  again", p.exitCode());
			show("  again polling", p.exitCode(false));
			p.close();
		}

		// Polling while the child runs gives null; it ends when its stdin closes.
		var p = new Process("cat", []);
		show("cat running", p.exitCode(false));
		p.stdin.close();
		show("cat after stdin close", p.exitCode());
		p.close();

		// kill sends SIGKILL.
		var p = new Process("cat", []);
		show("before kill", p.exitCode(false));
		p.kill();
		show("killed", p.exitCode());
		p.kill(); // reaped: nothing happens
		p.close();

		// The pid is the child's own.
		var p = new Process("sh", ["-c", "echo $$"]);
		var pid = p.getPid();
		show("pid positive", pid > 0);
		show("pid matches $$", p.stdout.readLine() == Std.string(pid));
		p.exitCode();
		p.close();

		// After close the pipes are gone: reads and writes end with Eof, exitCode works.
		var p = new Process("sh", ["-c", "exit 7"]);
		p.close();
		attempt("read after close", () -> p.stdout.readLine());
		attempt("stderr after close", () -> p.stderr.readByte());
		attempt("write after close", () -> {
			p.stdin.writeString("x");
			"written";
		});
		attempt("stdin close after close", () -> {
			p.stdin.close();
			"closed";
		});
		show("exit after close", p.exitCode());

		// A program that cannot be executed: the child reports it and exits with 1.
		var p = new Process("hlffi-no-such-program", ["arg"]);
		show("missing pid positive", p.getPid() > 0);
		show("missing stdout", "[" + p.stdout.readAll().toString() + "]");
		show("missing stderr", p.stderr.readAll().toString());
		show("missing exit", p.exitCode());
		p.close();
		var p = new Process("/", []);
		show("directory stderr", p.stderr.readAll().toString());
		show("directory exit", p.exitCode());
		p.close();
		// Through the shell: the shell's "not found" status.
		var p = new Process("hlffi-no-such-program arg");
		p.stderr.readAll();
		show("missing via shell exit", p.exitCode());
		p.close();

		// Children see the environment as Sys.putEnv left it.
		Sys.putEnv("HLFFI_PROCESS_TEST", "value with spaces \u00e9");
		var p = new Process("sh", ["-c", "printf '%s' \"$HLFFI_PROCESS_TEST\""]);
		show("env", p.stdout.readAll().toString());
		p.exitCode();
		p.close();

		// Sys.command: exit status | signal << 8.
		show("command exit 0", Sys.command("true"));
		show("command exit 4", Sys.command("exit 4"));
		show("command exit 300", Sys.command("exit 300"));
		show("command SIGKILL", Sys.command("kill -9 $$"));
		show("command SIGTERM", Sys.command("kill -15 $$"));
		show("command with args", Sys.command("sh", ["-c", "test \"$1\" = \"a b'c\"", "sh", "a b'c"]));
		show("command missing", Sys.command("hlffi-no-such-program 2>/dev/null"));
	}
}
