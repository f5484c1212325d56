// Sys: program arguments (from the `args` file), environment variables set by the program,
// systemName, cpu time and time monotonicity, stdout/stderr, exit code.
class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function main() {
		var args = Sys.args();
		p("args count", args.length);
		for (i in 0...args.length)
			p("arg " + i, "[" + args[i] + "] length " + args[i].length);
		p("getEnv missing", Sys.getEnv("HLFFI_DIFF_SURELY_UNSET_VARIABLE"));
		Sys.putEnv("HLFFI_DIFF_VAR", "value é");
		p("getEnv set", Sys.getEnv("HLFFI_DIFF_VAR"));
		p("environment has it", Sys.environment().get("HLFFI_DIFF_VAR"));
		Sys.putEnv("HLFFI_DIFF_VAR", "");
		p("getEnv empty", "[" + Sys.getEnv("HLFFI_DIFF_VAR") + "]");
		p("systemName", Sys.systemName());
		var t0 = Sys.time();
		var c0 = Sys.cpuTime();
		var x = 0;
		for (i in 0...100000)
			x += i;
		p("time monotonic", Sys.time() >= t0);
		p("cpuTime monotonic", Sys.cpuTime() >= c0);
		p("loop", x);
		Sys.print("print without newline|");
		Sys.println("println");
		Sys.stdout().writeString("stdout write\n");
		Sys.stderr().writeString("this goes to stderr\n");
		Sys.stdout().flush();
		p("programPath ends", StringTools.endsWith(Sys.programPath(), ".hl"));
		trace("trace line");
		trace("trace with", "extra", 1);
		haxe.Log.trace("custom pos", {fileName: "Fake.hx", lineNumber: 99, className: "Fake", methodName: "m"});
		var old = haxe.Log.trace;
		haxe.Log.trace = function(v, ?pos) Sys.println("redirected: " + v + " from " + pos.fileName + ":" + pos.lineNumber);
		trace("hello");
		haxe.Log.trace = old;
		p("formatOutput", haxe.Log.formatOutput("msg", {fileName: "F.hx", lineNumber: 1, className: "C", methodName: "m", customParams: [1, 2]}));
		Sys.exit(3);
	}
}
