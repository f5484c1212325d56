// sys.net.Host: address parsing (C inet_aton forms), the Int encoding of addresses
// (network byte order in memory), toString, "localhost", reverse lookup of the loopback
// address, Host.localhost() and the error for names that do not resolve. Only names that
// need no DNS server are used.
import sys.net.Host;

class Main {
	static function show(name:String) {
		try {
			var h = new Host(name);
			Sys.println('"$name" -> ${h.toString()} ip=${h.ip} same host: ${h.host == name}');
		} catch (e:Dynamic) {
			Sys.println('"$name" -> ' + Std.string(e));
		}
	}

	static function main() {
		for (name in ["127.0.0.1", "10.1.2.3", "192.168.0.255", "127.1", "10.1.2", "0x7f.0.0.1", "017.0.0.1", "0", "4294967294", "0XFF.0xfe.255.0377",
			"127.0.0.1 ", "127.0.0.1\t", "1.2.3.4 tail", "localhost", "255.255.255.255", ""])
			show(name);

		var h = new Host("127.0.0.1");
		// The Int is the address bytes in network order, read as a little-endian Int here.
		Sys.println("bytes " + [h.ip & 0xff, (h.ip >> 8) & 0xff, (h.ip >> 16) & 0xff, (h.ip >>> 24)].join("."));
		Sys.println("reverse " + h.reverse());
		var local = Host.localhost();
		Sys.println("localhost() is a non-empty String: " + (Std.isOfType(local, String) && local.length > 0));
		Sys.println("toString of new Host(\"localhost\"): " + new Host("localhost").toString());
	}
}
