class Main {
	static function main() {}

	@:hlNative("reloadtest", "trigger")
	static function trigger():Void {}

	static function inner():String {
		return "inner v2";
	}

	public static function step() {
		Sys.println("before v2");
		trigger();
		Sys.println("after v2, " + inner());
	}
}
