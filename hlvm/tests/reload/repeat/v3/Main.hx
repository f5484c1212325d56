class Main {
	static var total = 0;
	static var hist:Array<Int> = null;

	static function main() {}

	static function bonus(x:Int):Int {
		return x * 100;
	}

	public static function step() {
		var add = function(n) return total + bonus(n);
		total = add(1);
		if (hist == null)
			hist = [];
		hist.push(total);
		Sys.println("v3 total=" + total + " hist=" + hist);
	}
}
