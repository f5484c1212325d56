// sys.net.UdpSocket on 127.0.0.1: sendTo / readFrom with the sender's address, datagram
// boundaries, truncation of a datagram larger than the buffer, empty datagrams (read as
// Eof), non-blocking reads (Blocked), receive timeouts, select on UDP sockets, broadcast
// flag, connected UDP sockets with the stream API, and bounds errors.
import haxe.io.Bytes;
import sys.net.Address;
import sys.net.Host;
import sys.net.UdpSocket;
import sys.net.Socket;

class Main {
	static function attempt(what:String, f:Void->Dynamic) {
		try {
			Sys.println(what + ": " + f());
		} catch (e:Dynamic) {
			Sys.println(what + ": " + e);
		}
	}

	static function main() {
		var lo = new Host("127.0.0.1");
		var u1 = new UdpSocket(), u2 = new UdpSocket();
		u1.bind(lo, 0);
		u2.bind(lo, 0);
		var to1 = new Address();
		to1.host = lo.ip;
		to1.port = u1.host().port;
		Sys.println("address: " + to1.getHost().toString());

		var from = new Address();
		var buf = Bytes.alloc(16);
		Sys.println("sent " + u2.sendTo(Bytes.ofString("ping"), 0, 4, to1));
		Sys.println("sent " + u2.sendTo(Bytes.ofString("__second__"), 2, 6, to1));
		var n = u1.readFrom(buf, 0, 16, from);
		Sys.println("read " + n + " " + buf.getString(0, n) + " from u2: " + (from.host == lo.ip && from.port == u2.host().port));
		var n = u1.readFrom(buf, 3, 10, from);
		Sys.println("read " + n + " " + buf.getString(3, n));

		// A datagram larger than the buffer: the rest is lost.
		u2.sendTo(Bytes.ofString("0123456789"), 0, 10, to1);
		u2.sendTo(Bytes.ofString("next"), 0, 4, to1);
		var n = u1.readFrom(buf, 0, 4, from);
		Sys.println("truncated " + n + " " + buf.getString(0, n));
		var n = u1.readFrom(buf, 0, 16, from);
		Sys.println("then " + n + " " + buf.getString(0, n));

		// An empty datagram reads as 0, which UdpSocket reports as Eof.
		u2.sendTo(Bytes.alloc(0), 0, 0, to1);
		attempt("empty datagram", () -> u1.readFrom(buf, 0, 16, from));

		u1.setBlocking(false);
		attempt("non-blocking readFrom", () -> u1.readFrom(buf, 0, 16, from));
		u1.setBlocking(true);
		u1.setTimeout(0.05);
		attempt("readFrom with timeout", () -> u1.readFrom(buf, 0, 16, from));
		u1.setTimeout(0);

		// select sees a waiting datagram.
		Sys.println("select before: " + Socket.select([u1], null, null, 0).read.length);
		u2.sendTo(Bytes.ofString("sel"), 0, 3, to1);
		Sys.println("select after: " + Socket.select([u1], [u2], null, 1.0).read.length);
		Sys.println("read " + u1.readFrom(buf, 0, 16, from));

		attempt("setBroadcast", () -> {
			u1.setBroadcast(true);
			"ok";
		});
		attempt("sendTo out of bounds", () -> u2.sendTo(buf, 10, 10, to1));
		attempt("readFrom out of bounds", () -> u1.readFrom(buf, -1, 2, from));

		// A connected UDP socket uses the stream API too.
		var to2 = new Address();
		to2.host = lo.ip;
		to2.port = u2.host().port;
		u1.connect(lo, to2.port);
		Sys.println("u1 peer is u2: " + (u1.peer().port == to2.port));
		u1.output.writeString("via output");
		var n = u2.readFrom(buf, 0, 16, from);
		Sys.println("u2 got " + buf.getString(0, n));
		u2.sendTo(Bytes.ofString("via input"), 0, 9, to1);
		var n = u1.input.readBytes(buf, 0, 16);
		Sys.println("u1 input got " + buf.getString(0, n));

		u1.close();
		attempt("sendTo on closed", () -> u1.sendTo(buf, 0, 1, to2));
		attempt("readFrom on closed", () -> u1.readFrom(buf, 0, 1, from));
		attempt("setBroadcast on closed", () -> {
			u1.setBroadcast(true);
			"ok";
		});
		u2.close();
		Sys.println("end");
	}
}
