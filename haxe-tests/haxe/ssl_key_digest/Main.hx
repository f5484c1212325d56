// sys.ssl.Key and sys.ssl.Digest (HashLink's ssl library): private and public keys in
// PEM (PKCS#1, SEC1, PKCS#8, SubjectPublicKeyInfo) and DER, from strings and files,
// with the error messages of bad input; digests of every algorithm; RSA signatures
// (PKCS#1 v1.5: the same bytes on every VM) and ECDSA P-256 signatures (random: only
// verified), verified with public and private keys.
import haxe.Resource;
import haxe.io.Bytes;
import sys.ssl.Digest;
import sys.ssl.DigestAlgorithm;
import sys.ssl.Key;

class Main {
	static function attempt(what:String, f:Void->Dynamic) {
		try {
			Sys.println(what + ": " + Std.string(f()));
		} catch (e:Dynamic) {
			Sys.println(what + " threw: " + Std.string(e));
		}
	}

	static function pem(name:String)
		return Resource.getString(name);

	static function main() {
		var data = Bytes.ofString("hello world");
		for (alg in [DigestAlgorithm.MD5, SHA1, SHA224, SHA256, SHA384, SHA512, RIPEMD160])
			Sys.println(alg + ": " + Digest.make(data, alg).toHex());
		Sys.println("SHA256 of nothing: " + Digest.make(Bytes.alloc(0), SHA256).toHex());
		var big = Bytes.alloc(100000);
		for (i in 0...big.length)
			big.set(i, i * 7);
		Sys.println("SHA1 of 100000 bytes: " + Digest.make(big, SHA1).toHex());
		attempt("unknown algorithm", () -> Digest.make(data, cast "SHA3"));
		attempt("lower case", () -> Digest.make(data, cast "sha256"));
		attempt("odd length name", () -> Digest.make(data, cast "FOO"));

		// Keys.
		var rsa = Key.readPEM(pem("server.key"), false);
		var rsaDer = Key.readDER(Resource.getBytes("server.key.der"), false);
		var rsa1 = Key.readPEM(pem("server.rsa.key"), false);
		var rsaPub = Key.readPEM(pem("server.pub"), true);
		var rsaPub1 = Key.readPEM(pem("server.rsa.pub"), true);
		var ec = Key.readPEM(pem("other.key"), false);
		var ecPub = Key.readPEM(pem("other.pub"), true);
		var rogue = Key.readPEM(pem("rogue.key"), false);
		Sys.println("keys read: " + [rsa, rsaDer, rsa1, rsaPub, rsaPub1, ec, ecPub, rogue].length);
		attempt("PEM with unused password", () -> Key.readPEM(pem("server.key"), false, "pw") != null);
		attempt("private as public", () -> Key.readPEM(pem("server.key"), true));
		attempt("public as private", () -> Key.readPEM(pem("server.pub"), false));
		attempt("certificate as private", () -> Key.readPEM(pem("server.crt"), false));
		attempt("certificate as public", () -> Key.readPEM(pem("server.crt"), true));
		attempt("garbage private", () -> Key.readPEM("garbage", false));
		attempt("garbage public", () -> Key.readPEM("garbage", true));
		attempt("empty private", () -> Key.readPEM("", false));
		attempt("empty public", () -> Key.readPEM("", true));
		attempt("bad base64", () -> Key.readPEM("-----BEGIN PRIVATE KEY-----\nMII!!\n-----END PRIVATE KEY-----\n", false));
		attempt("bad PKCS#8", () -> Key.readPEM("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", false));
		attempt("bad PKCS#1", () -> Key.readPEM("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n", false));
		attempt("bad SEC1", () -> Key.readPEM("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n", false));
		attempt("bad public", () -> Key.readPEM("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", true));
		// Encrypted keys: the schemes Mbed TLS 2.28 reads (not PKCS#8 with AES).
		for (name in ["server.aes.key", "other.trad.key", "other.des3.key", "other.p12.key", "other.enc.key"])
			for (pass in [null, "", "secret", "Secret", "wrong password"])
				attempt(name + " with " + (pass == null ? "no password" : "'" + pass + "'"), () -> Key.readPEM(pem(name), false, pass) != null);
		var aes = Key.readPEM(pem("server.aes.key"), false, "secret");
		Sys.println("decrypted RSA key signs the same: " + (Digest.sign(data, aes, SHA256).compare(Digest.sign(data, rsa, SHA256)) == 0));
		for (name in ["other.trad.key", "other.des3.key", "other.p12.key"])
			Sys.println("decrypted " + name + " signs: " + Digest.verify(data, Digest.sign(data, Key.readPEM(pem(name), false, "secret"), SHA256), ecPub, SHA256));
		attempt("encrypted DER without password", () -> Key.readDER(Bytes.ofString(pem("other.des3.key")), false));
		attempt("bad IV", () -> Key.readPEM(StringTools.replace(pem("server.aes.key"), "AES-256-CBC,", "AES-256-CBC,ZZ"), false, "secret"));
		attempt("unknown cipher", () -> Key.readPEM(StringTools.replace(pem("server.aes.key"), "AES-256-CBC,", "AES-512-CBC,"), false, "secret"));
		attempt("no DEK-Info", () -> Key.readPEM(StringTools.replace(pem("server.aes.key"), "DEK-Info", "DEK-Inf0"), false, "secret"));
		attempt("DER garbage private", () -> Key.readDER(Bytes.ofString("garbage"), false));
		attempt("DER garbage public", () -> Key.readDER(Bytes.ofString("garbage"), true));
		attempt("DER empty private", () -> Key.readDER(Bytes.alloc(0), false));
		attempt("DER empty public", () -> Key.readDER(Bytes.alloc(0), true));
		attempt("DER private as public", () -> Key.readDER(Resource.getBytes("server.key.der"), true));
		attempt("DER certificate as public", () -> Key.readDER(Resource.getBytes("server.crt.der"), true));
		attempt("DER certificate as private", () -> Key.readDER(Resource.getBytes("server.crt.der"), false));

		var tmp = Sys.getEnv("TMPDIR");
		if (tmp == null || tmp == "")
			tmp = "/tmp";
		var base = tmp + "/hlffi_ssl_key_" + Std.random(1000000000);
		sys.io.File.saveContent(base + ".pem", pem("server.key"));
		sys.io.File.saveBytes(base + ".der", Resource.getBytes("server.key.der"));
		sys.io.File.saveContent(base + ".pub", pem("server.pub"));
		attempt("loadFile PEM", () -> Digest.verify(data, Digest.sign(data, Key.loadFile(base + ".pem"), SHA256), rsaPub, SHA256));
		attempt("loadFile DER", () -> Digest.verify(data, Digest.sign(data, Key.loadFile(base + ".der"), SHA256), rsaPub, SHA256));
		attempt("loadFile public", () -> Key.loadFile(base + ".pub", true) != null);
		attempt("loadFile public as private", () -> Key.loadFile(base + ".pub"));
		for (ext in [".pem", ".der", ".pub"])
			sys.FileSystem.deleteFile(base + ext);

		// Signatures.
		for (alg in [DigestAlgorithm.SHA256, SHA384, SHA512]) {
			var sig = Digest.sign(data, rsa, alg);
			Sys.println("RSA " + alg + ": " + sig.length + " bytes, SHA1 " + Digest.make(sig, SHA1).toHex());
			Sys.println("  same with DER and PKCS#1 keys: " + (Digest.sign(data, rsaDer, alg).compare(sig) == 0) + " " + (Digest.sign(data, rsa1, alg).compare(sig) == 0));
			Sys.println("  verify public/PKCS#1 public/private: " + Digest.verify(data, sig, rsaPub, alg) + " " + Digest.verify(data, sig, rsaPub1, alg) + " "
				+ Digest.verify(data, sig, rsa, alg));
			Sys.println("  other data: " + Digest.verify(Bytes.ofString("hello worle"), sig, rsaPub, alg));
		}
		var sig256 = Digest.sign(data, rsa, SHA256);
		attempt("RSA verify with another algorithm", () -> Digest.verify(data, sig256, rsaPub, SHA512));
		attempt("RSA verify truncated", () -> Digest.verify(data, sig256.sub(0, 100), rsaPub, SHA256));
		attempt("RSA verify garbage", () -> Digest.verify(data, Bytes.ofString("zz"), rsaPub, SHA256));
		attempt("RSA verify with EC key", () -> Digest.verify(data, sig256, ecPub, SHA256));
		attempt("RSA sign with public key", () -> Digest.sign(data, rsaPub, SHA256));
		var esig = Digest.sign(data, ec, SHA256);
		Sys.println("ECDSA P-256 SHA256: DER signature " + (esig.get(0) == 0x30 && esig.length > 8 && esig.length <= 72));
		Sys.println("  verify public/private: " + Digest.verify(data, esig, ecPub, SHA256) + " " + Digest.verify(data, esig, ec, SHA256));
		Sys.println("  other data, other key: " + Digest.verify(Bytes.ofString("x"), esig, ecPub, SHA256) + " " + Digest.verify(data, esig, rogue, SHA256));
		Sys.println("  two signatures verify: " + Digest.verify(data, Digest.sign(data, ec, SHA256), ecPub, SHA256));
		attempt("EC verify with RSA key", () -> Digest.verify(data, esig, rsaPub, SHA256));
		attempt("EC sign with public key", () -> Digest.sign(data, ecPub, SHA256));
		attempt("sign, unknown algorithm", () -> Digest.sign(data, rsa, cast "FOO"));
		attempt("verify, unknown algorithm", () -> Digest.verify(data, data, rsa, cast "FOO"));
	}
}
