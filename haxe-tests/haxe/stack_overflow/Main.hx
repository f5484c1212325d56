// Unbounded recursion ends with a catchable `Stack overflow` exception and the program
// goes on. HashLink 1.17 crashes here (segmentation fault); this expected output is the
// behaviour hlvm specifies instead (both engines), not a recording.
class Main {
	static var calls = 0;

	static function inf(n:Int):Int {
		calls++;
		return inf(n + 1) + 1;
	}

	static function main() {
		try {
			inf(0);
		} catch (e:Dynamic) {
			trace("caught " + e + " after more than 100000 calls: " + (calls > 100000));
		}
		calls = 0;
		try {
			inf(0);
		} catch (e:Dynamic) {
			trace("again " + e);
		}
		trace("done");
	}
}
