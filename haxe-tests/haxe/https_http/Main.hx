// haxe.Http over https against a TLS server on 127.0.0.1 run by a thread of the same
// program (test-only certificates from ../ssl_certs, trusted through
// sys.ssl.Socket.DEFAULT_CA). Expected output recorded on HashLink 1.17.
import sys.ssl.Certificate;
import sys.ssl.Key;

class Main {
	static function serve(server:sys.ssl.Socket, requests:Int, done:sys.thread.Lock) {
		for (i in 0...requests) {
			var c = server.accept();
			try {
				c.handshake();
				var line = c.input.readLine();
				var len = 0;
				while (true) {
					var h = c.input.readLine();
					if (h == "")
						break;
					if (StringTools.startsWith(h.toLowerCase(), "content-length:"))
						len = Std.parseInt(StringTools.trim(h.substr(15)));
				}
				var body = len > 0 ? c.input.readString(len) : "";
				var reply = "you sent " + line + (body != "" ? " with " + body : "") + " é";
				var bytes = haxe.io.Bytes.ofString(reply);
				c.output.writeString("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " + bytes.length
					+ "\r\nX-Test: yes\r\nConnection: close\r\n\r\n");
				c.output.write(bytes);
				c.output.flush();
			} catch (e:Dynamic) {}
			c.close();
		}
		server.close();
		done.release();
	}

	static function main() {
		var ca = Certificate.fromString(haxe.Resource.getString("ca.crt"));
		sys.ssl.Socket.DEFAULT_CA = ca;
		var server = new sys.ssl.Socket();
		server.setCA(ca);
		server.setCertificate(Certificate.fromString(haxe.Resource.getString("server.crt")),
			Key.readPEM(haxe.Resource.getString("server.key"), false));
		server.verifyCert = false;
		server.bind(new sys.net.Host("127.0.0.1"), 0);
		server.listen(4);
		var port = server.host().port;
		var done = new sys.thread.Lock();
		sys.thread.Thread.create(() -> serve(server, 2, done));

		var h = new haxe.Http('https://localhost:$port/hello?x=1');
		h.onData = d -> trace("GET data: " + d);
		h.onError = e -> trace("GET error: " + e);
		h.onStatus = s -> trace("GET status: " + s);
		h.request(false);
		trace("header X-Test: " + h.responseHeaders.get("X-Test"));

		var p = new haxe.Http('https://localhost:$port/post');
		p.setPostData("a=1&b=2");
		p.onData = d -> trace("POST data: " + d);
		p.onError = e -> trace("POST error: " + e);
		p.request(true);
		trace("server done: " + done.wait(10));
	}
}
