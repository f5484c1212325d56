// sys.ssl.Certificate (HashLink's ssl library): PEM and DER parsing from strings, files
// and folders, subject and issuer fields, alternative names, validity dates, chains
// (next, add, addDER) and the error messages of bad input. The test certificates come
// from ../ssl_certs (embedded as resources); files are written to a temporary folder.
import haxe.Resource;
import sys.FileSystem;
import sys.io.File;
import sys.ssl.Certificate;

class Main {
	static function attempt(what:String, f:Void->Dynamic) {
		try {
			Sys.println(what + ": " + Std.string(f()));
		} catch (e:Dynamic) {
			Sys.println(what + " threw: " + Std.string(e));
		}
	}

	static function dump(name:String, c:Certificate) {
		Sys.println("== " + name);
		for (f in ["CN", "C", "ST", "L", "O", "OU", "emailAddress", "serialNumber", "cn", "commonName", ""])
			Sys.println("  subject " + f + ": " + c.subject(f) + " / issuer: " + c.issuer(f));
		Sys.println("  commonName: " + c.commonName);
		var alt = c.altNames;
		Sys.println("  altNames: " + alt + " lengths " + [for (a in alt) a.length]);
		Sys.println("  notBefore: " + c.notBefore.getFullYear() + "-" + (c.notBefore.getMonth() + 1) + "-" + c.notBefore.getDate());
		Sys.println("  notAfter: " + c.notAfter);
	}

	static function names(c:Certificate):Array<String> {
		var out = [];
		while (c != null) {
			out.push(c.commonName);
			c = c.next();
		}
		return out;
	}

	static function main() {
		Sys.println("system known: " + (["Linux", "Mac", "Windows", "BSD"].indexOf(Sys.systemName()) >= 0));
		var server = Certificate.fromString(Resource.getString("server.crt"));
		dump("server", server);
		Sys.println("server next: " + server.next());
		dump("ca", Certificate.fromString(Resource.getString("ca.crt")));
		dump("other", Certificate.fromString(Resource.getString("other.crt")));
		dump("rogue", Certificate.fromString(Resource.getString("rogue.crt")));

		// Chains: add and addDER append to the chain every handle on it sees.
		var chain = Certificate.fromString(Resource.getString("server.crt"));
		var second = null;
		chain.add(Resource.getString("ca.crt"));
		second = chain.next();
		Sys.println("after add: " + names(chain));
		chain.addDER(Resource.getBytes("server.crt.der"));
		Sys.println("after addDER: " + names(chain) + ", from second: " + names(second));
		second.add(Resource.getString("other.crt") + "\n" + Resource.getString("rogue.crt"));
		Sys.println("after add of two: " + names(chain));
		var both = Certificate.fromString("junk before\n" + Resource.getString("ca.crt") + Resource.getString("other.crt") + "junk after");
		Sys.println("fromString of two: " + names(both));
		Sys.println("one good, one bad: " + names(Certificate.fromString(Resource.getString("ca.crt") + "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")));

		// Files and folders.
		var tmp = Sys.getEnv("TMPDIR");
		if (tmp == null || tmp == "")
			tmp = "/tmp";
		var dir = tmp + "/hlffi_ssl_cert_" + Std.random(1000000000);
		FileSystem.createDirectory(dir);
		File.saveContent(dir + "/server.pem", Resource.getString("server.crt"));
		File.saveBytes(dir + "/server.der", Resource.getBytes("server.crt.der"));
		File.saveContent(dir + "/two.pem", Resource.getString("ca.crt") + Resource.getString("other.crt"));
		FileSystem.createDirectory(dir + "/sub");
		attempt("loadFile pem", () -> names(Certificate.loadFile(dir + "/server.pem")));
		attempt("loadFile der", () -> names(Certificate.loadFile(dir + "/server.der")));
		attempt("loadFile two", () -> names(Certificate.loadFile(dir + "/two.pem")));
		attempt("loadPath", () -> {
			var n = names(Certificate.loadPath(dir));
			n.sort(Reflect.compare);
			n;
		});
		File.saveContent(dir + "/bad1.pem", "not a certificate");
		attempt("loadPath, 1 bad file", () -> Certificate.loadPath(dir));
		File.saveContent(dir + "/bad2.pem", Resource.getString("server.key"));
		attempt("loadPath, 2 bad files", () -> Certificate.loadPath(dir));
		File.saveContent(dir + "/partly.pem", Resource.getString("ca.crt") + "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
		attempt("loadFile, one of two bad", () -> Certificate.loadFile(dir + "/partly.pem"));
		attempt("loadFile missing", () -> Certificate.loadFile(dir + "/missing.pem"));
		attempt("loadFile folder", () -> Certificate.loadFile(dir + "/sub"));
		attempt("loadPath missing", () -> Certificate.loadPath(dir + "/missing"));
		attempt("loadPath empty folder", () -> names(Certificate.loadPath(dir + "/sub")));
		for (f in FileSystem.readDirectory(dir))
			if (!FileSystem.isDirectory(dir + "/" + f))
				FileSystem.deleteFile(dir + "/" + f);
		FileSystem.deleteDirectory(dir + "/sub");
		FileSystem.deleteDirectory(dir);

		// Bad input.
		attempt("fromString garbage", () -> Certificate.fromString("garbage"));
		attempt("fromString empty", () -> Certificate.fromString(""));
		attempt("fromString bad base64", () -> Certificate.fromString("-----BEGIN CERTIFICATE-----\nMIIB!!!\n-----END CERTIFICATE-----\n"));
		attempt("fromString space in line", () -> Certificate.fromString("-----BEGIN CERTIFICATE-----\nMIIB AAAA\n-----END CERTIFICATE-----\n"));
		attempt("fromString bad DER", () -> Certificate.fromString("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"));
		attempt("fromString empty body", () -> Certificate.fromString("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"));
		attempt("fromString no line end", () -> Certificate.fromString("-----BEGIN CERTIFICATE-----MIIB-----END CERTIFICATE-----\n"));
		attempt("fromString no footer", () -> Certificate.fromString("-----BEGIN CERTIFICATE-----\nMIIB\n"));
		attempt("fromString a key", () -> Certificate.fromString(Resource.getString("server.key")));
		attempt("add garbage", () -> {
			chain.add("garbage");
			"ok";
		});
		attempt("addDER garbage", () -> {
			chain.addDER(haxe.io.Bytes.ofString("garbage"));
			"ok";
		});
		attempt("addDER truncated", () -> {
			var der = Resource.getBytes("server.crt.der");
			chain.addDER(der.sub(0, der.length - 10));
			"ok";
		});
		Sys.println("chain unchanged: " + names(chain));
	}
}
