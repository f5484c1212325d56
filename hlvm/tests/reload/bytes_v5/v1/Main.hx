class Main {
	static var hits = 0;

	static function main() {}

	public static function step() {
		hits++;
		Sys.println("v1 " + hits + " " + haxe.Resource.getString("greeting") + " " + haxe.Resource.getBytes("greeting").length);
	}
}
