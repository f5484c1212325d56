class Main {
	static var calls = 0;

	static function main() {}

	@:hlNative("reloadtest", "plus_one")
	static function plusOne(x:Int):Int {
		return 0;
	}

	public static function step() {
		calls++;
		Sys.println("v2 calls=" + calls + " native=" + plusOne(calls));
	}
}
