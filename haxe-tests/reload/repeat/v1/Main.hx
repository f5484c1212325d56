// Hot reload: repeated reloads v1 -> v2 -> v3 -> v1 carry the state along.
class Main {
	public static var total:Int = 0;

	static function main() {}

	public static function step():String {
		total += 1;
		return "v1 total=" + total;
	}
}
