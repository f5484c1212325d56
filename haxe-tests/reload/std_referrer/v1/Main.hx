// Hot reload: v2's changed body starts to call a standard-library function that HLB
// leaves anonymous (`hl.types.ArrayObj.alloc`, made by an array literal).
class Main {
	static function main() {}

	public static function value():String {
		return "v1";
	}

	public static function words(s:String):Array<String> {
		return s.split(" ");
	}
}
