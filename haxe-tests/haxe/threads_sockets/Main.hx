import sys.net.Host;
import sys.net.Socket;
import sys.thread.Deque;
import sys.thread.Thread;

/** Blocking socket calls let other threads run: a server thread blocks in `accept` and
    then in `readLine` while the main thread (which it waits for) connects and writes;
    a thread blocked in `select` is woken by data sent from another thread. Loopback only. */
class Main {
	static function main() {
		var portQ = new Deque<Int>();
		var log = new Deque<String>();
		Thread.create(() -> {
			var server = new Socket();
			server.bind(new Host("127.0.0.1"), 0);
			server.listen(4);
			portQ.add(server.host().port);
			for (i in 0...2) {
				var c = server.accept();
				var line = c.input.readLine();
				log.add('server got: $line');
				c.output.writeString(line.toUpperCase() + "\n");
				c.close();
			}
			server.close();
			log.add("server done");
		});
		var port = portQ.pop(true);
		for (msg in ["hello", "threads"]) {
			var s = new Socket();
			s.connect(new Host("127.0.0.1"), port);
			s.output.writeString(msg + "\n");
			trace('reply: ${s.input.readLine()}');
			s.close();
		}
		trace(log.pop(true));
		trace(log.pop(true));
		trace(log.pop(true));

		// select() in one thread, woken by a write from another.
		var server = new Socket();
		server.bind(new Host("127.0.0.1"), 0);
		server.listen(1);
		var client = new Socket();
		client.connect(new Host("127.0.0.1"), server.host().port);
		var peer = server.accept();
		Thread.create(() -> {
			var r = Socket.select([peer], [], [], 5.0);
			log.add('select woke with ${r.read.length} readable');
			log.add('read: ${peer.input.readLine()}');
		});
		Sys.sleep(0.05);
		client.output.writeString("ping\n");
		trace(log.pop(true));
		trace(log.pop(true));
		client.close();
		peer.close();
		server.close();
	}
}
