class A {
	public static var fa:Int->Int = x -> x + 1;
}

class Main {
	static var fm:Int->Int = x -> x * 2;

	static function main() {}

	public static function step() {
		Sys.println(A.fa(10) + " " + fm(10));
	}
}
