// Socket.select on 127.0.0.1 (single-threaded): readiness of listening, connected and
// half-closed sockets in the read, write and others sets, order of the results, null
// and empty arrays, zero / positive timeouts (no wait without a timeout on idle sockets),
// and a pure timed wait with no sockets at all.
import sys.net.Host;
import sys.net.Socket;

class Main {
	static var names:Map<Socket, String> = new Map();

	static function list(a:Array<Socket>)
		return "[" + [for (s in a) names.get(s)].join(",") + "]";

	static function show(what:String, r:{read:Array<Socket>, write:Array<Socket>, others:Array<Socket>}) {
		Sys.println(what + ": read " + list(r.read) + " write " + list(r.write) + " others " + list(r.others));
	}

	static function main() {
		var lo = new Host("127.0.0.1");
		var server = new Socket();
		server.bind(lo, 0);
		server.listen(4);
		var port = server.host().port;
		var c1 = new Socket(), c2 = new Socket();
		names.set(server, "server");
		names.set(c1, "c1");
		names.set(c2, "c2");

		var t0 = Sys.time();
		show("idle listener, 0.1s", Socket.select([server], null, null, 0.1));
		Sys.println("waited: " + (Sys.time() - t0 >= 0.08));
		show("idle listener, 0s", Socket.select([server], [], [], 0));

		c1.connect(lo, port);
		c2.connect(lo, port);
		show("two pending connections", Socket.select([server], [c1, c2], [server, c1, c2], 1.0));
		var a1 = server.accept(), a2 = server.accept();
		names.set(a1, "a1");
		names.set(a2, "a2");
		show("after accepting both", Socket.select([server, a1, a2, c1, c2], [a2, a1], null, 0));

		c2.write("x");
		a1.write("yz");
		show("c2 and a1 sent", Socket.select([c1, c2, a1, a2, server], null, null, 1.0));
		Sys.println("a2 reads " + a2.input.readString(1) + ", c1 reads " + c1.input.readString(2));
		show("all drained", Socket.select([c1, c2, a1, a2], null, null, 0));

		// The end of the stream counts as readable.
		c1.shutdown(false, true);
		show("c1 shut its output", Socket.select([a1, a2], [c1], null, 1.0));
		c2.close();
		show("c2 closed", Socket.select([a1, a2], null, null, 1.0));
		try a2.input.readByte() catch (e:haxe.io.Eof) Sys.println("a2: Eof");

		// The same socket twice, and the same socket in several sets.
		show("duplicates", Socket.select([a1, a1, a2], [a1, a1], [a1], 1.0));

		// Nothing ready within a short timeout.
		var t0 = Sys.time();
		show("nothing in 0.05s", Socket.select([server], null, [a1], 0.05));
		Sys.println("waited: " + (Sys.time() - t0 >= 0.04));

		var t0 = Sys.time();
		show("no sockets, 0.05s", Socket.select(null, null, null, 0.05));
		Sys.println("waited: " + (Sys.time() - t0 >= 0.04));
		show("empty arrays, 0s", Socket.select([], [], [], 0));
		try {
			Socket.select(null, null, null, 1e10);
			Sys.println("huge timeout: returned");
		} catch (e:Dynamic) {
			Sys.println("huge timeout: " + e);
		}
		try {
			Socket.select(null, null, null, Math.NaN);
			Sys.println("NaN timeout: returned");
		} catch (e:Dynamic) {
			Sys.println("NaN timeout: " + e);
		}

		// waitForRead returns once data is there.
		a1.write("!");
		c1.waitForRead();
		Sys.println("waitForRead then read: " + c1.input.readString(1));

		for (s in [server, c1, a1, a2])
			s.close();
		Sys.println("end");
	}
}
