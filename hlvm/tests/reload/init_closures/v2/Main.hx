class A {
	public static var fa:Int->Int = x -> x + 1;
}

class Aa {
	public static var fb:Int->Int = x -> x - 1;
}

class Main {
	static var fm:Int->Int = x -> x * 3;
	static var fz:Int->Int = x -> x;

	static function main() {}

	public static function step() {
		Sys.println(A.fa(10) + " " + fm(10) + " " + (Aa.fb == null) + " " + (fz == null));
	}
}
