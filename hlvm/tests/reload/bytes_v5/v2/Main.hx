class Main {
	static var hits = 0;

	static function main() {}

	public static function step() {
		hits++;
		var b = haxe.Resource.getBytes("blob");
		var blob = b == null ? "no blob" : [for (i in 0...b.length) b.get(i)].join(",");
		Sys.println("v2 " + hits + " " + haxe.Resource.getString("greeting") + " " + haxe.Resource.getBytes("greeting").length + " " + blob);
	}
}
