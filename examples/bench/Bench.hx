// Host→Haxe call overhead benchmark target (see hlffi/examples/call_overhead.rs).
class Bench {
	static function main() {}

	public static function inc(n:Int):Int
		return n + 1;
}
