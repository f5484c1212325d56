// Several resources with names of different lengths (the lookup compares NUL-terminated
// names), binary, empty and non-ASCII ones. Expected output recorded on HashLink 1.17.
class Main {
	static function main() {
		var names = haxe.Resource.listNames();
		names.sort(Reflect.compare);
		trace(names);
		for (n in names) {
			var s = haxe.Resource.getString(n);
			var b = haxe.Resource.getBytes(n);
			trace(n, n.length, s == null ? null : s.length, b == null ? null : b.length, b == null ? null : b.toHex().substr(0, 40));
		}
		trace(haxe.Resource.getString("missing"), haxe.Resource.getBytes("missing"));
	}
}
