#!/bin/sh
# TEST-ONLY certificates and keys for the ssl_* programs of haxe-tests/haxe/.
# They protect nothing: the private keys are public. Generated once with OpenSSL 3
# (`sh gen.sh` in this folder rewrites them; the programs' expected output must then be
# recorded again on the reference VM). Nothing runs this script at test time.
# Validity: 2020-01-01 to 2120-01-01 (UTC), so no test machine's clock is outside it.
set -e
work=$(mktemp -d)
trap 'rm -rf "$work" ca.key' EXIT
touch "$work/index.txt"
cat > "$work/ca.cnf" <<X
[ca]
default_ca = test
[test]
database = $work/index.txt
new_certs_dir = $work
serial = $work/serial
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[any]
countryName = optional
stateOrProvinceName = optional
localityName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied
emailAddress = optional
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth
subjectAltName = DNS:localhost,DNS:*.example.test,IP:127.0.0.1,email:server@example.test
authorityKeyIdentifier = keyid
[other_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth,clientAuth
subjectAltName = DNS:other.test
authorityKeyIdentifier = keyid
[rogue_ext]
basicConstraints = critical,CA:TRUE
subjectAltName = DNS:localhost
X
echo 1000 > "$work/serial"
sign() { # csr out extensions [selfsign key]
  if [ -n "$4" ]; then how="-selfsign -keyfile $4"; else how="-cert ca.crt -keyfile ca.key"; fi
  openssl ca -batch -config "$work/ca.cnf" $how -in "$1" -out "$work/out.pem" -extensions "$3" \
    -startdate 20200101000000Z -enddate 21200101000000Z -notext 2>/dev/null
  openssl x509 -in "$work/out.pem" -out "$2"
}

# Test CA: EC P-256, self-signed, CA:TRUE.
openssl ecparam -name prime256v1 -genkey -noout -out ca.key
openssl req -new -key ca.key -out "$work/ca.csr" \
  -subj "/C=FR/ST=Test State/L=Test City/O=hlffi tests/OU=TLS/CN=hlffi test CA/emailAddress=ca@example.test"
sign "$work/ca.csr" ca.crt ca_ext ca.key

# Server: RSA 2048 (PKCS#8 PEM key, also as DER and its public key), signed by the CA.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out server.key
openssl pkey -in server.key -pubout -out server.pub
openssl pkey -in server.key -outform DER -out server.key.der
openssl rsa -in server.key -traditional -out server.rsa.key
openssl rsa -in server.key -RSAPublicKey_out -out server.rsa.pub
openssl rsa -in server.key -traditional -aes256 -passout pass:secret -out server.aes.key
openssl req -new -key server.key -out "$work/server.csr" -subj "/C=FR/O=hlffi tests/CN=localhost"
sign "$work/server.csr" server.crt server_ext
openssl x509 -in server.crt -outform DER -out server.crt.der

# Second server name for SNI: EC P-256 (SEC1 PEM key), signed by the CA.
openssl ecparam -name prime256v1 -genkey -noout -out other.key
openssl ec -in other.key -pubout -out other.pub
openssl pkey -in other.key -aes256 -passout pass:secret -out other.enc.key
openssl pkcs8 -topk8 -in other.key -v2 des3 -passout pass:secret -out other.des3.key
openssl pkcs8 -topk8 -in other.key -v1 PBE-SHA1-3DES -passout pass:secret -out other.p12.key
openssl ec -in other.key -des3 -passout pass:secret -out other.trad.key
openssl req -new -key other.key -out "$work/other.csr" -subj "/O=hlffi tests/CN=other.test"
sign "$work/other.csr" other.crt other_ext

# Untrusted self-signed certificate (CA:TRUE, as OpenSSL makes them by default), EC P-256.
openssl ecparam -name prime256v1 -genkey -noout -out rogue.key
openssl req -new -key rogue.key -out "$work/rogue.csr" -subj "/O=hlffi rogue/CN=localhost"
sign "$work/rogue.csr" rogue.crt rogue_ext rogue.key
