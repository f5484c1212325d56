// Hot reload: v2 adds statics to an existing class and a new class with statics.
class Registry {
	public static var items:Array<String>;
	public static var limit:Int = 3;

	public static function add(s:String):Int {
		if (items == null)
			items = [];
		items.push(s);
		return items.length;
	}
}

class Main {
	public static var label:String = "fresh";
	public static var counter:Int = 0;
	public static var extra:Int = 7;

	static function main() {
		counter = 1;
	}

	public static function step():String {
		counter++;
		extra++;
		return "v2 counter=" + counter + " extra=" + extra + " label=" + label + " items=" + Registry.add("s" + counter) + " limit=" + Registry.limit;
	}
}
