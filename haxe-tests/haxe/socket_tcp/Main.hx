// sys.net.Socket over TCP on 127.0.0.1, single-threaded: one program is server and
// client. Port 0 picks a free port; port numbers are never printed. Covers listen /
// connect / accept, host() and peer(), the input and output streams in both directions,
// end of stream after shutdown and close, non-blocking reads and accepts (Blocked / null),
// receive timeouts, connection refused, a port already in use, a closed socket, and a
// 1 MB transfer through non-blocking sockets driven by Socket.select.
import haxe.io.Bytes;
import sys.net.Host;
import sys.net.Socket;

class Main {
	static var port:Int;

	static function attempt(what:String, f:Void->Void) {
		try {
			f();
			Sys.println(what + ": ok");
		} catch (e:Dynamic) {
			Sys.println(what + ": " + Std.string(e).split(":" + port).join(":PORT"));
		}
	}

	static function main() {
		var lo = new Host("127.0.0.1");
		var server = new Socket();
		Sys.println("unbound host: " + server.host().host + " port " + server.host().port);
		Sys.println("unconnected peer: " + server.peer());
		server.bind(lo, 0);
		port = server.host().port;
		Sys.println("bound to " + server.host().host + ", port chosen: " + (port > 0));
		server.listen(4);

		var client = new Socket();
		client.connect(lo, port);
		var conn = server.accept();
		Sys.println("accepted: " + (conn != null));
		Sys.println("client peer is the server: " + (client.peer().host.ip == lo.ip && client.peer().port == port));
		Sys.println("accepted peer is the client: " + (conn.peer().port == client.host().port && conn.peer().host.toString() == "127.0.0.1"));
		Sys.println("accepted host port: " + (conn.host().port == port));

		// client -> server
		client.output.writeString("hello\nworld\r\n");
		client.output.writeByte(7);
		client.output.writeInt32(-123456);
		client.output.writeDouble(1.5);
		client.write("tail");
		Sys.println("readLine: " + conn.input.readLine());
		Sys.println("readLine (CRLF): " + conn.input.readLine());
		Sys.println("readByte: " + conn.input.readByte());
		Sys.println("readInt32: " + conn.input.readInt32());
		Sys.println("readDouble: " + conn.input.readDouble());
		var b = Bytes.alloc(4);
		conn.input.readFullBytes(b, 0, 4);
		Sys.println("readFullBytes: " + b.toString());

		// server -> client
		var big = Bytes.alloc(10000);
		for (i in 0...big.length)
			big.set(i, i * 7);
		conn.output.writeFullBytes(big, 0, big.length);
		conn.output.writeString("done");
		var got = client.input.read(10000);
		var same = true;
		for (i in 0...got.length)
			if (got.get(i) != (i * 7) & 0xff)
				same = false;
		Sys.println("10000 bytes back: " + (got.length == 10000 && same));
		Sys.println("then: " + client.input.readString(4));

		// Nothing to read: non-blocking gives Blocked, a timeout gives Blocked after the wait.
		client.setBlocking(false);
		attempt("non-blocking readByte", () -> client.input.readByte());
		attempt("non-blocking readBytes", () -> client.input.readBytes(Bytes.alloc(8), 0, 8));
		client.setBlocking(true);
		client.setTimeout(0.1);
		var t0 = Sys.time();
		attempt("readByte with timeout", () -> client.input.readByte());
		Sys.println("waited about the timeout: " + (Sys.time() - t0 >= 0.08));
		client.setTimeout(0);
		attempt("setTimeout(-0.5)", () -> client.setTimeout(-0.5));
		attempt("setFastSend", () -> client.setFastSend(true));

		server.setBlocking(false);
		Sys.println("non-blocking accept with nothing pending: " + server.accept());

		// Half close: the server sees the end of the stream, can still answer.
		client.shutdown(false, true);
		attempt("server readByte after client shutdown", () -> conn.input.readByte());
		attempt("server readBytes after client shutdown", () -> conn.input.readBytes(Bytes.alloc(8), 0, 8));
		conn.write("bye");
		conn.close();
		Sys.println("client read() until end: " + client.read());
		attempt("client readByte after close", () -> client.input.readByte());
		attempt("shutdown(false, false)", () -> client.shutdown(false, false));
		client.close();
		client.close();

		// A closed socket: every call fails the way Socket.hx reports a null handle.
		attempt("readByte on closed", () -> client.input.readByte());
		attempt("writeByte on closed", () -> client.output.writeByte(1));
		attempt("writeString on closed", () -> client.output.writeString("x"));
		attempt("connect on closed", () -> client.connect(lo, port));
		attempt("listen on closed", () -> client.listen(1));
		attempt("bind on closed", () -> client.bind(lo, 0));
		attempt("setBlocking on closed", () -> client.setBlocking(true));
		attempt("setTimeout on closed", () -> client.setTimeout(1));
		attempt("setFastSend on closed", () -> client.setFastSend(true));
		attempt("shutdown on closed", () -> client.shutdown(true, true));
		Sys.println("host of closed: " + client.host() + ", peer of closed: " + client.peer() + ", accept on closed: " + client.accept());

		// The port is still in use by the listening socket.
		attempt("bind to a port in use", () -> new Socket().bind(lo, port));
		server.close();
		attempt("connect to a closed port", () -> new Socket().connect(lo, port));

		pump();
		Sys.println("end");
	}

	// 1 MB from a to b with both sockets non-blocking, writing and reading as select says.
	static function pump() {
		var lo = new Host("127.0.0.1");
		var server = new Socket();
		server.bind(lo, 0);
		server.listen(1);
		var a = new Socket();
		a.connect(lo, server.host().port);
		var b = server.accept();
		server.close();
		a.setBlocking(false);
		b.setBlocking(false);
		var total = 1 << 20;
		var data = Bytes.alloc(total);
		for (i in 0...total)
			data.set(i, (i * 31 + (i >> 8)) & 0xff);
		var sent = 0, received = 0, rounds = 0, blockedWrites = 0, sum = 0, sumWant = 0;
		for (i in 0...total)
			sumWant = (sumWant * 33 + data.get(i)) | 0;
		var buf = Bytes.alloc(65536);
		while (received < total && rounds < 100000) {
			rounds++;
			var r = Socket.select([b], sent < total ? [a] : [], null, 5.0);
			if (r.write.length > 0) {
				try {
					sent += a.output.writeBytes(data, sent, Std.int(Math.min(65536, total - sent)));
				} catch (e:haxe.io.Error) {
					blockedWrites++;
				}
				if (sent == total)
					a.shutdown(false, true);
			}
			if (r.read.length > 0) {
				var n = b.input.readBytes(buf, 0, buf.length);
				for (i in 0...n)
					sum = (sum * 33 + buf.get(i)) | 0;
				received += n;
			}
		}
		Sys.println("pump: sent " + sent + ", received " + received + ", same data " + (sum == sumWant));
		try {
			b.input.readBytes(buf, 0, 1);
			Sys.println("pump: more data?");
		} catch (e:haxe.io.Eof) {
			Sys.println("pump: Eof after the shutdown");
		}
		a.close();
		b.close();
	}
}
