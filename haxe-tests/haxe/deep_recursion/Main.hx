// Deep recursion: HashLink runs 200,000 nested calls of a simple function, and a
// method with more locals; output recorded on HashLink 1.17.
class Node {
	public var next:Node;
	public var v:Int;
	public function new(v, next) {
		this.v = v;
		this.next = next;
	}
	public function sum():Int {
		return next == null ? v : v + next.sum();
	}
}

class Main {
	static function depth(n:Int):Int {
		return n == 0 ? 0 : 1 + depth(n - 1);
	}

	static function fib(n:Int, a:Float, b:Float, s:String):Float {
		if (n == 0)
			return a + s.length;
		var c = a + b;
		return fib(n - 1, b, c / 2, s);
	}

	static function main() {
		trace(depth(200000));
		var list:Node = null;
		for (i in 0...150000)
			list = new Node(i & 7, list);
		trace(list.sum());
		trace(fib(40000, 1.0, 2.0, "abc"));
	}
}
