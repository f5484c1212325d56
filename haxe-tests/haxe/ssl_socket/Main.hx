// sys.ssl.Socket (HashLink's ssl library) on 127.0.0.1, single-threaded: one program is
// TLS server and client, both sockets non-blocking, each handshake stepped in turn until
// both ends are done or failed. Covers certificate verification (trusted chain, host
// names with wildcards, untrusted self-signed certificates with verifyCert true, false
// and null, no CA), client certificates (required, optional), SNI, peer certificates,
// data both ways (lines, bytes, 64 KB), Blocked reads and the end of the stream.
import haxe.Resource;
import haxe.io.Bytes;
import sys.net.Host;
import sys.ssl.Certificate;
import sys.ssl.Digest;
import sys.ssl.Key;
import sys.ssl.Socket;

typedef Setup = {
	?serverCert:String,
	?serverChain:Bool,
	?serverVerify:Null<Bool>,
	?clientCA:String,
	?clientVerify:Null<Bool>,
	?hostname:String,
	?clientCert:String,
	?sni:Bool,
	?data:Bool,
}

class Main {
	static function cert(name:String)
		return Certificate.fromString(Resource.getString(name + ".crt"));

	static function key(name:String)
		return Key.readPEM(Resource.getString(name + ".key"), false);

	static function step(s:Socket):String {
		try {
			s.handshake();
			return "done";
		} catch (e:haxe.io.Error) {
			return Std.string(e);
		} catch (e:haxe.io.Eof) {
			return "Eof";
		} catch (e:Dynamic) {
			return "error " + Std.string(e);
		}
	}

	static function finished(s:String)
		return s != "Blocked";

	static function retry<T>(f:Void->T):T {
		for (i in 0...1000) {
			try {
				return f();
			} catch (e:haxe.io.Error) {
				if (e != Blocked)
					throw e;
				Sys.sleep(0.001);
			}
		}
		throw "still blocked";
	}

	static function run(name:String, s:Setup) {
		Sys.println("== " + name);
		var server = new Socket();
		server.verifyCert = s.serverVerify;
		if (s.serverCert != null) {
			var c = cert(s.serverCert);
			if (s.serverChain)
				c.add(Resource.getString("ca.crt"));
			server.setCertificate(c, key(s.serverCert));
		}
		if (s.serverVerify != false)
			server.setCA(cert("ca"));
		if (s.sni)
			server.addSNICertificate(n -> {
				Sys.println("  SNI callback: " + n);
				n == "other.test";
			}, cert("other"), key("other"));
		server.bind(new Host("127.0.0.1"), 0);
		server.listen(1);
		var port = server.host().port;

		var client = new Socket();
		client.verifyCert = s.clientVerify;
		if (s.clientCA != null)
			client.setCA(cert(s.clientCA));
		if (s.hostname != null)
			client.setHostname(s.hostname);
		if (s.clientCert != null)
			client.setCertificate(cert(s.clientCert), key(s.clientCert));
		client.setBlocking(false);
		client.connect(new Host("127.0.0.1"), port);
		var conn = retry(() -> try server.accept() catch (e:String) throw haxe.io.Error.Blocked);
		conn.setBlocking(false);

		var cs = "Blocked", ss = "Blocked";
		for (i in 0...300) {
			if (!finished(cs))
				cs = step(client);
			if (!finished(ss))
				ss = step(conn);
			if (finished(cs) && finished(ss))
				break;
			Sys.sleep(0.001);
		}
		Sys.println("  client: " + cs + ", server: " + ss);
		if (cs == "done" && ss == "done") {
			var pc = client.peerCertificate();
			Sys.println("  client sees: " + pc.commonName + (pc.next() == null ? "" : " then " + pc.next().commonName));
			var sc = conn.peerCertificate();
			Sys.println("  server sees a certificate object: " + (sc != null) + (s.clientCert == null ? "" : ", " + sc.commonName));
			if (s.data)
				exchange(client, conn);
			else {
				client.output.writeString("ping\n");
				Sys.println("  server reads: " + retry(() -> conn.input.readLine()));
			}
		}
		conn.close();
		client.close();
		server.close();
	}

	static function exchange(client:Socket, conn:Socket) {
		client.output.writeString("hello over tls\n");
		var line = retry(() -> conn.input.readLine());
		Sys.println("  server reads: " + line);
		conn.output.writeString("echo: " + line + "\n");
		Sys.println("  client reads: " + retry(() -> client.input.readLine()));
		var b = Bytes.alloc(16);
		try {
			client.input.readBytes(b, 0, 16);
			Sys.println("  nothing to read: no exception");
		} catch (e:Dynamic) {
			Sys.println("  nothing to read: " + e);
		}
		client.output.writeByte(0xE9);
		client.output.writeByte(0);
		Sys.println("  bytes: " + retry(() -> conn.input.readByte()) + " " + retry(() -> conn.input.readByte()));

		// 64 KB each way, in chunks, pumping both ends.
		for (dir in ["client to server", "server to client"]) {
			var from = dir == "client to server" ? client : conn;
			var to = dir == "client to server" ? conn : client;
			var data = Bytes.alloc(65536);
			for (i in 0...data.length)
				data.set(i, (i * 31 + (i >> 8)) & 0xFF);
			var got = Bytes.alloc(data.length);
			var sent = 0, received = 0, rounds = 0;
			while (received < data.length && rounds++ < 20000) {
				if (sent < data.length) {
					try {
						sent += from.output.writeBytes(data, sent, Std.int(Math.min(5000, data.length - sent)));
					} catch (e:haxe.io.Error) {}
				}
				try {
					received += to.input.readBytes(got, received, got.length - received);
				} catch (e:haxe.io.Error) {}
			}
			Sys.println("  " + dir + ": " + received + " bytes, intact " + (Digest.make(got, SHA256).toHex() == Digest.make(data, SHA256).toHex()));
		}

		// Writes until the socket's buffers are full: the blocked record is kept and sent by
		// the next write, which reports its own length (call again with the same data).
		var chunk = Bytes.alloc(16000);
		for (i in 0...chunk.length)
			chunk.set(i, i & 0xFF);
		var written = 0, blocked = false, calls = 0;
		while (!blocked && calls++ < 10000) {
			try {
				written += client.output.writeBytes(chunk, 0, chunk.length);
			} catch (e:haxe.io.Error) {
				blocked = true;
			}
		}
		var got = 0, buf = Bytes.alloc(65536);
		function drain() {
			var idle = 0;
			while (idle < 50) {
				try {
					got += conn.input.readBytes(buf, 0, buf.length);
					idle = 0;
				} catch (e:haxe.io.Error) {
					idle++;
					Sys.sleep(0.001);
				}
			}
		}
		drain();
		Sys.println("  writes blocked: " + blocked + ", the retry returns " + client.output.writeBytes(chunk, 0, chunk.length));
		written += chunk.length;
		drain();
		Sys.println("  received what was written: " + (got == written));

		// The peer closes: the end of the stream.
		conn.close();
		try {
			retry(() -> client.input.readBytes(b, 0, 16));
			Sys.println("  after close: no exception");
		} catch (e:haxe.io.Eof) {
			Sys.println("  after close: Eof");
		}
		try {
			client.input.readByte();
			Sys.println("  readByte after close: no exception");
		} catch (e:Dynamic) {
			Sys.println("  readByte after close: " + e);
		}
	}

	static function main() {
		run("trusted chain, host name localhost", {serverCert: "server", serverVerify: false, clientCA: "ca", clientVerify: true, hostname: "localhost", data: true});
		run("server sends its chain", {serverCert: "server", serverChain: true, serverVerify: false, clientCA: "ca", clientVerify: true, hostname: "localhost"});
		run("default host name 127.0.0.1 (IP names never match)", {serverCert: "server", serverVerify: false, clientCA: "ca", clientVerify: true});
		run("wildcard *.example.test", {serverCert: "server", serverVerify: false, clientCA: "ca", clientVerify: true, hostname: "foo.EXAMPLE.test"});
		run("wildcard is one label", {serverCert: "server", serverVerify: false, clientCA: "ca", clientVerify: true, hostname: "a.foo.example.test"});
		run("host name mismatch", {serverCert: "server", serverVerify: false, clientCA: "ca", clientVerify: true, hostname: "wrong.test"});
		run("host name mismatch, verifyCert null", {serverCert: "server", serverVerify: false, clientCA: "ca", clientVerify: null, hostname: "wrong.test"});
		run("untrusted self-signed", {serverCert: "rogue", serverVerify: false, clientCA: "ca", clientVerify: true, hostname: "localhost"});
		run("untrusted self-signed, verifyCert false", {serverCert: "rogue", serverVerify: false, clientCA: "ca", clientVerify: false, hostname: "localhost"});
		run("untrusted self-signed, verifyCert null", {serverCert: "rogue", serverVerify: false, clientCA: "ca", clientVerify: null, hostname: "localhost"});
		run("self-signed, trusted as itself", {serverCert: "rogue", serverVerify: false, clientCA: "rogue", clientVerify: true, hostname: "localhost"});
		run("no CA, verifyCert true", {serverCert: "server", serverVerify: false, clientVerify: true, hostname: "localhost"});
		run("no CA, verifyCert false", {serverCert: "server", serverVerify: false, clientVerify: false, hostname: "localhost"});
		run("client certificate required, none sent", {serverCert: "server", serverVerify: true, clientCA: "ca", clientVerify: true, hostname: "localhost"});
		run("client certificate required, trusted one sent", {serverCert: "server", serverVerify: true, clientCA: "ca", clientVerify: true, hostname: "localhost", clientCert: "other"});
		run("client certificate required, untrusted one sent", {serverCert: "server", serverVerify: true, clientCA: "ca", clientVerify: true, hostname: "localhost", clientCert: "rogue"});
		run("client certificate optional, untrusted one sent", {serverCert: "server", serverVerify: null, clientCA: "ca", clientVerify: true, hostname: "localhost", clientCert: "rogue"});
		run("client certificate optional, none sent", {serverCert: "server", serverVerify: null, clientCA: "ca", clientVerify: true, hostname: "localhost"});
		run("SNI picks other.test", {serverCert: "server", serverVerify: false, clientCA: "ca", clientVerify: true, hostname: "other.test", sni: true});
		run("SNI falls back to the own certificate", {serverCert: "server", serverVerify: false, clientCA: "ca", clientVerify: true, hostname: "localhost", sni: true});
		run("SNI without a match nor own certificate", {serverVerify: false, clientCA: "ca", clientVerify: true, hostname: "localhost", sni: true});
		run("server without certificate", {serverVerify: false, clientCA: "ca", clientVerify: false, hostname: "localhost"});
	}
}
