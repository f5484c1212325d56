// A null access in a nested instance call is reported with the field name and the
// frames of every call.
class Node {
	public var next:Node;
	public var value:Int;

	public function new(v) value = v;

	public function sumTo(depth:Int):Int {
		if (depth == 0)
			return value;
		return value + next.sumTo(depth - 1);
	}
}

class Main {
	static function main() {
		var a = new Node(1);
		a.next = new Node(2);
		Sys.println("sum 1 = " + a.sumTo(1));
		Sys.println("sum 2 = " + a.sumTo(2));
	}
}
