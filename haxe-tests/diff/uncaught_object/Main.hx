// An uncaught exception whose value is a class instance with toString, thrown from a
// method called through a closure: the report line and the stack.
class Failure {
	public var code:Int;

	public function new(code) this.code = code;

	public function toString() return "Failure(code=" + code + ")";
}

class Main {
	static function run(f:() -> Void) f();

	static function main() {
		Sys.println("before");
		run(() -> throw new Failure(42));
		Sys.println("not reached");
	}
}
