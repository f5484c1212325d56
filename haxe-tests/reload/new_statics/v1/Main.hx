// Hot reload: v2 adds statics to an existing class and a new class with statics.
class Main {
	public static var counter:Int = 0;

	static function main() {
		counter = 1;
	}

	public static function step():String {
		counter++;
		return "v1 counter=" + counter;
	}
}
