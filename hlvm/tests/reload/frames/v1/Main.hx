class Main {
	static function main() {}

	@:hlNative("reloadtest", "trigger")
	static function trigger():Void {}

	static function inner():String {
		return "inner v1";
	}

	public static function step() {
		Sys.println("before v1");
		trigger();
		Sys.println("after v1, " + inner());
	}
}
