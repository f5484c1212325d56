//! Keys and digests behind `sys.ssl.Key` and `sys.ssl.Digest` (`key_from_pem`,
//! `key_from_der`, `dgst_make`, `dgst_sign`, `dgst_verify`).
//!
//! # Keys
//! A key handle (`hl.Abstract<"hl_ssl_pkey">`) is an `Obj::Native(Opaque)` holding an
//! `Arc<`[`Key`]`>`. Keys are read as the reference's Mbed TLS 2.28 reads them, with its
//! error codes for the common failures:
//! - private keys: PEM `RSA PRIVATE KEY` (PKCS#1), `EC PRIVATE KEY` (SEC1), `PRIVATE KEY`
//!   (PKCS#8) or `ENCRYPTED PRIVATE KEY`, found in that order; text without any of them
//!   is tried as DER: PKCS#8, PKCS#1, then SEC1 (`PK_KEY_INVALID_FORMAT` when none fits);
//! - public keys: PEM `RSA PUBLIC KEY` (PKCS#1) or `PUBLIC KEY` (SubjectPublicKeyInfo),
//!   else DER: PKCS#1, then SubjectPublicKeyInfo;
//! - RSA, and EC on the curves Mbed TLS knows (NIST P-192 to P-521, the Koblitz curves,
//!   Brainpool); other algorithms (Ed25519, ...) are `PK_UNKNOWN_PK_ALG`.
//!
//! - encrypted keys: PEM with `Proc-Type: 4,ENCRYPTED`, and `ENCRYPTED PRIVATE KEY`
//!   (PKCS#8), with the schemes Mbed TLS 2.28 supports ([`super::crypt`]); without a
//!   password: `PK - Private key password can't be empty`.
//!
//! **Difference from HashLink:** key values are not checked mathematically when read
//! (Mbed TLS checks RSA and EC keys); a bad key fails when it is used.
//!
//! # Digests and signatures
//! `dgst_make` supports every algorithm of `sys.ssl.DigestAlgorithm` (MD5, SHA1, SHA224,
//! SHA256, SHA384, SHA512, RIPEMD160); another name throws
//! `Unknown hash algorithm: ...` with the name's UTF-8 bytes read as UTF-16, as HashLink's
//! message shows it. Signatures are PKCS#1 v1.5 for RSA (the same bytes as HashLink) and
//! DER-encoded ECDSA for EC keys, computed with `ring`.
//!
//! **Differences from HashLink:** `ring` signs RSA with SHA256, SHA384 and SHA512 only,
//! verifies RSA with SHA1, SHA256, SHA384 and SHA512, and signs and verifies ECDSA on P-256
//! and P-384 with SHA256 and SHA384 only (P-256 with SHA384 and P-384 with SHA256 verify
//! only). Other combinations throw `PK - Unavailable feature, e.g. RSA disabled for RSA
//! key` where HashLink computes them. ECDSA signatures are randomised (HashLink's are
//! deterministic, RFC 6979); both verify the same way.
//!
//! Facts from HashLink 1.17's `libs/ssl/ssl.c`, Haxe 4.2.5's `std/hl/_std/sys/ssl/Key.hx`
//! and `Digest.hx`, checked against the reference VM by the `ssl_key_digest` program of
//! `haxe-tests/haxe/`.

use std::sync::Arc;

use ring::rand::SystemRandom;
use ring::signature;
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs1KeyDer, PrivatePkcs8KeyDer};

use super::crypt;
use super::der::{self, oid, Reader};
use super::errors::{self, Code};
use super::pem;

/// Elliptic curves Mbed TLS 2.28 reads, as (OID content, field size in bytes).
const CURVES: &[(&[u8], usize)] = &[
    (&[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x01], 24),
    (&[0x2B, 0x81, 0x04, 0x00, 0x21], 28),
    (oid::P256, 32),
    (oid::P384, 48),
    (&[0x2B, 0x81, 0x04, 0x00, 0x23], 66),
    (&[0x2B, 0x81, 0x04, 0x00, 0x1F], 24),
    (&[0x2B, 0x81, 0x04, 0x00, 0x20], 28),
    (&[0x2B, 0x81, 0x04, 0x00, 0x0A], 32),
    (&[0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x07], 32),
    (&[0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x0B], 48),
    (&[0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x0D], 64),
];

/// `id-ecDH` (1.3.132.1.12), which Mbed TLS reads as an EC key too.
const EC_DH: &[u8] = &[0x2B, 0x81, 0x04, 0x01, 0x0C];

/// A key's algorithm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Alg {
    Rsa,
    /// An EC key on the curve with this OID.
    Ec(Vec<u8>),
}

/// A parsed key.
#[derive(Debug)]
pub(crate) struct Key {
    pub alg: Alg,
    /// The private key: PKCS#1 DER for RSA, PKCS#8 DER for EC; `None` for a public key.
    private: Option<Vec<u8>>,
    /// The public key: PKCS#1 `RSAPublicKey` DER for RSA, the encoded point for EC (empty
    /// when a private EC key does not include it).
    public: Vec<u8>,
}

impl Key {
    /// The private key for `rustls`, or `None` for a public key.
    pub(crate) fn private_der(&self) -> Option<PrivateKeyDer<'static>> {
        let d = self.private.clone()?;
        Some(match self.alg {
            Alg::Rsa => PrivateKeyDer::Pkcs1(PrivatePkcs1KeyDer::from(d)),
            Alg::Ec(_) => PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(d)),
        })
    }
}

// ---------------------------------------------------------------------- parsing

/// The significant bytes of an `INTEGER`'s content (leading zeros dropped).
fn significant(int: &[u8]) -> &[u8] {
    let skip = int.iter().take_while(|&&b| b == 0).count();
    &int[skip..]
}

/// `AlgorithmIdentifier`: its OID and its parameters element (tag 0 when absent).
fn get_alg<'a>(r: &mut Reader<'a>) -> Result<(&'a [u8], u8, &'a [u8]), Code> {
    let seq = r.tag(der::SEQUENCE).map_err(|e| errors::PK_INVALID_ALG + e)?;
    let mut a = Reader::new(seq);
    let id = a.tag(der::OID).map_err(|e| errors::PK_INVALID_ALG + e)?;
    if a.is_empty() {
        return Ok((id, 0, &[]));
    }
    let p = a.next().ok_or(errors::PK_INVALID_ALG + errors::ASN1_OUT_OF_DATA)?;
    if !a.is_empty() {
        return Err(errors::PK_INVALID_ALG + errors::ASN1_LENGTH_MISMATCH);
    }
    Ok((id, p.tag, p.content))
}

/// Which algorithm an `AlgorithmIdentifier` names, with the EC curve from its
/// parameters.
fn pk_alg(id: &[u8], ptag: u8, params: &[u8]) -> Result<Alg, Code> {
    if id == oid::RSA {
        if (ptag != der::NULL && ptag != 0) || !params.is_empty() {
            return Err(errors::PK_INVALID_ALG);
        }
        return Ok(Alg::Rsa);
    }
    if id == oid::EC_PUBLIC_KEY || id == EC_DH {
        if ptag != der::OID {
            return Err(errors::PK_KEY_INVALID_FORMAT);
        }
        return curve(params).map(|c| Alg::Ec(c.to_vec()));
    }
    Err(errors::PK_UNKNOWN_PK_ALG)
}

fn curve(id: &[u8]) -> Result<&'static [u8], Code> {
    CURVES.iter().find(|(o, _)| *o == id).map(|(o, _)| *o).ok_or(errors::PK_UNKNOWN_NAMED_CURVE)
}

fn field_size(curve: &[u8]) -> usize {
    CURVES.iter().find(|(o, _)| *o == curve).map_or(0, |&(_, n)| n)
}

/// Checks an encoded EC point (uncompressed form) for `curve`.
fn check_point(curve: &[u8], point: &[u8]) -> Result<(), Code> {
    let n = field_size(curve);
    match point.first() {
        Some(4) if point.len() == 1 + 2 * n => Ok(()),
        Some(2 | 3) => Err(-0x4E80),
        _ => Err(errors::ECP_BAD_INPUT_DATA),
    }
}

/// PKCS#1 `RSAPublicKey`: the DER itself when valid.
fn rsa_public(data: &[u8]) -> Result<Vec<u8>, Code> {
    let e = errors::PK_INVALID_PUBKEY;
    let mut r = Reader::new(data);
    let seq = r.tag(der::SEQUENCE).map_err(|c| e + c)?;
    if !r.is_empty() {
        return Err(e + errors::ASN1_LENGTH_MISMATCH);
    }
    let mut s = Reader::new(seq);
    let n = s.tag(der::INTEGER).map_err(|c| e + c)?;
    if significant(n).is_empty() {
        return Err(e);
    }
    let ex = s.tag(der::INTEGER).map_err(|c| e + c)?;
    if significant(ex).is_empty() {
        return Err(e);
    }
    if !s.is_empty() {
        return Err(e + errors::ASN1_LENGTH_MISMATCH);
    }
    Ok(data[..data.len() - r.rest().len()].to_vec())
}

/// `SubjectPublicKeyInfo` (bytes after it ignored).
fn subject_public_key(data: &[u8]) -> Result<Key, Code> {
    let mut r = Reader::new(data);
    let spki = r.tag(der::SEQUENCE).map_err(|c| errors::PK_KEY_INVALID_FORMAT + c)?;
    let mut s = Reader::new(spki);
    let (id, ptag, params) = get_alg(&mut s)?;
    let alg = pk_alg(id, ptag, params)?;
    let bits = s.tag(der::BIT_STRING).map_err(|c| errors::PK_INVALID_PUBKEY + c)?;
    let (&unused, key) = bits.split_first().ok_or(errors::PK_INVALID_PUBKEY + errors::ASN1_OUT_OF_DATA)?;
    if unused != 0 {
        return Err(errors::PK_INVALID_PUBKEY + errors::ASN1_INVALID_DATA);
    }
    if !s.is_empty() {
        return Err(errors::PK_INVALID_PUBKEY + errors::ASN1_LENGTH_MISMATCH);
    }
    let public = match &alg {
        Alg::Rsa => rsa_public(key)?,
        Alg::Ec(c) => {
            check_point(c, key)?;
            key.to_vec()
        }
    };
    Ok(Key { alg, private: None, public })
}

/// A failure inside a PKCS#1 private key, as Mbed TLS reports it.
fn pkcs1_error(c: Code) -> Code {
    if c & 0xFF80 == 0 {
        errors::PK_KEY_INVALID_FORMAT + c
    } else {
        errors::PK_KEY_INVALID_FORMAT
    }
}

/// PKCS#1 `RSAPrivateKey`.
fn rsa_private(data: &[u8]) -> Result<Key, Code> {
    let f = errors::PK_KEY_INVALID_FORMAT;
    let mut r = Reader::new(data);
    let seq = r.tag(der::SEQUENCE).map_err(|c| f + c)?;
    let der_len = data.len() - r.rest().len();
    let mut s = Reader::new(seq);
    let version = s.tag(der::INTEGER).map_err(|c| f + c)?;
    if !significant(version).is_empty() {
        return Err(errors::PK_KEY_INVALID_VERSION);
    }
    let mut ints = Vec::with_capacity(8);
    for _ in 0..8 {
        let v = s.tag(der::INTEGER).map_err(pkcs1_error)?;
        if significant(v).is_empty() {
            return Err(f);
        }
        ints.push(v);
    }
    if !s.is_empty() {
        return Err(f + errors::ASN1_LENGTH_MISMATCH);
    }
    let mut public = der::encode(der::INTEGER, ints[0]);
    public.extend(der::encode(der::INTEGER, ints[1]));
    Ok(Key { alg: Alg::Rsa, private: Some(data[..der_len].to_vec()), public: der::encode(der::SEQUENCE, &public) })
}

/// SEC1 `ECPrivateKey`, on `known` (the curve a PKCS#8 wrapper named) or the curve of
/// its own parameters.
fn ec_private(data: &[u8], known: Option<&[u8]>) -> Result<Key, Code> {
    let f = errors::PK_KEY_INVALID_FORMAT;
    let mut r = Reader::new(data);
    let seq = r.tag(der::SEQUENCE).map_err(|c| f + c)?;
    let der_len = data.len() - r.rest().len();
    let mut s = Reader::new(seq);
    let version = s.tag(der::INTEGER).map_err(|c| f + c)?;
    if version != [1] {
        return Err(errors::PK_KEY_INVALID_VERSION);
    }
    s.tag(der::OCTET_STRING).map_err(|c| f + c)?;
    let mut curve_id = known.map(<[u8]>::to_vec);
    if !s.is_empty() {
        match s.tag(0xA0) {
            Ok(params) => {
                let id = Reader::new(params).tag(der::OID).map_err(|c| f + c)?;
                let c = curve(id)?;
                if curve_id.as_deref().is_some_and(|k| k != c) {
                    return Err(f);
                }
                curve_id = Some(c.to_vec());
            }
            Err(errors::ASN1_UNEXPECTED_TAG) => {}
            Err(c) => return Err(f + c),
        }
    }
    let Some(curve_id) = curve_id else { return Err(f) };
    let mut public = Vec::new();
    if !s.is_empty() {
        match s.tag(0xA1) {
            Ok(p) => {
                let bits = Reader::new(p).tag(der::BIT_STRING).map_err(|c| f + c)?;
                match bits.split_first() {
                    Some((0, point)) if check_point(&curve_id, point).is_ok() => public = point.to_vec(),
                    _ => return Err(f),
                }
            }
            Err(errors::ASN1_UNEXPECTED_TAG) => {}
            Err(c) => return Err(f + c),
        }
    }
    // PKCS#8 wrapping of the SEC1 key, the form `ring` and `rustls` read.
    let mut alg = der::encode(der::OID, oid::EC_PUBLIC_KEY);
    alg.extend(der::encode(der::OID, &curve_id));
    let mut p8 = der::encode(der::INTEGER, &[0]);
    p8.extend(der::encode(der::SEQUENCE, &alg));
    p8.extend(der::encode(der::OCTET_STRING, &data[..der_len]));
    Ok(Key { alg: Alg::Ec(curve_id), private: Some(der::encode(der::SEQUENCE, &p8)), public })
}

/// PKCS#8 `PrivateKeyInfo` (unencrypted).
fn pkcs8_private(data: &[u8]) -> Result<Key, Code> {
    let f = errors::PK_KEY_INVALID_FORMAT;
    let mut r = Reader::new(data);
    let seq = r.tag(der::SEQUENCE).map_err(|c| f + c)?;
    let mut s = Reader::new(seq);
    let version = s.tag(der::INTEGER).map_err(|c| f + c)?;
    if !significant(version).is_empty() {
        return Err(errors::PK_KEY_INVALID_VERSION);
    }
    let (id, ptag, params) = get_alg(&mut s)?;
    let alg = pk_alg(id, ptag, params)?;
    let key = s.tag(der::OCTET_STRING).map_err(|c| f + c)?;
    if key.is_empty() {
        return Err(f + errors::ASN1_OUT_OF_DATA);
    }
    match alg {
        Alg::Rsa => rsa_private(key),
        Alg::Ec(c) => ec_private(key, Some(&c)),
    }
}

/// `EncryptedPrivateKeyInfo`, decrypted with `pass` ([`super::crypt`]).
fn pkcs8_encrypted(data: &[u8], pass: Option<&[u8]>) -> Result<Key, Code> {
    let plain = crypt::pkcs8_decrypt(data, pass.unwrap_or(&[]))?;
    pkcs8_private(&plain)
}

/// A PEM block for a private key: its decoded (and decrypted) body parsed by `parse`,
/// with Mbed TLS's mapping of PEM errors. `Ok(None)` when the text has no such block.
fn pem_private(
    text: &[u8],
    label: &str,
    pass: Option<&[u8]>,
    parse: impl Fn(&[u8]) -> Result<Key, Code>,
) -> Result<Option<Key>, Code> {
    let header = format!("-----BEGIN {label}-----");
    let footer = format!("-----END {label}-----");
    match pem::read(text, &header, &footer, pass) {
        Ok(Some(b)) => parse(&b.der).map(Some),
        Ok(None) => Ok(None),
        Err((errors::PEM_PASSWORD_REQUIRED, _)) => Err(errors::PK_PASSWORD_REQUIRED),
        Err((errors::PEM_PASSWORD_MISMATCH, _)) => Err(errors::PK_PASSWORD_MISMATCH),
        Err((c, _)) => Err(c),
    }
}

/// `mbedtls_pk_parse_key`: a private key from PEM text (with its terminating NUL) or
/// DER.
///
/// # Errors
/// The Mbed TLS code HashLink reports (see the module docs).
pub(crate) fn parse_private(data: &[u8], pass: Option<&[u8]>) -> Result<Key, Code> {
    if data.is_empty() {
        return Err(errors::PK_KEY_INVALID_FORMAT);
    }
    if data.last() == Some(&0) {
        if let Some(k) = pem_private(data, "RSA PRIVATE KEY", pass, rsa_private)? {
            return Ok(k);
        }
        if let Some(k) = pem_private(data, "EC PRIVATE KEY", pass, |d| ec_private(d, None))? {
            return Ok(k);
        }
        if let Some(k) = pem_private(data, "PRIVATE KEY", pass, pkcs8_private)? {
            return Ok(k);
        }
        match pem::read(data, "-----BEGIN ENCRYPTED PRIVATE KEY-----", "-----END ENCRYPTED PRIVATE KEY-----", None) {
            Ok(Some(b)) => return pkcs8_encrypted(&b.der, pass),
            Ok(None) => {}
            Err((c, _)) => return Err(c),
        }
    }
    if pass.is_some_and(|p| !p.is_empty()) {
        if let Err(errors::PK_PASSWORD_MISMATCH) = pkcs8_encrypted(data, pass) {
            return Err(errors::PK_PASSWORD_MISMATCH);
        }
    }
    pkcs8_private(data)
        .or_else(|_| rsa_private(data))
        .or_else(|_| ec_private(data, None))
        .map_err(|_| errors::PK_KEY_INVALID_FORMAT)
}

/// `mbedtls_pk_parse_public_key`: a public key from PEM text (with its terminating
/// NUL) or DER.
///
/// # Errors
/// The Mbed TLS code HashLink reports (see the module docs).
pub(crate) fn parse_public(data: &[u8]) -> Result<Key, Code> {
    if data.is_empty() {
        return Err(errors::PK_KEY_INVALID_FORMAT);
    }
    if data.last() == Some(&0) {
        match pem::read(data, "-----BEGIN RSA PUBLIC KEY-----", "-----END RSA PUBLIC KEY-----", None) {
            Ok(Some(b)) => return rsa_public(&b.der).map(|public| Key { alg: Alg::Rsa, private: None, public }),
            Ok(None) => {}
            Err((c, _)) => return Err(c),
        }
        match pem::read(data, "-----BEGIN PUBLIC KEY-----", "-----END PUBLIC KEY-----", None) {
            Ok(Some(b)) => return subject_public_key(&b.der),
            Ok(None) => {}
            Err((c, _)) => return Err(c),
        }
    }
    match rsa_public(data) {
        Ok(public) => return Ok(Key { alg: Alg::Rsa, private: None, public }),
        Err(c) if c != errors::PK_INVALID_PUBKEY + errors::ASN1_UNEXPECTED_TAG => return Err(c),
        Err(_) => {}
    }
    subject_public_key(data)
}

// ---------------------------------------------------------------------- digests

/// `sys.ssl.DigestAlgorithm` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Md {
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
    Ripemd160,
}

impl Md {
    /// The algorithm named `name` (exact, upper case).
    pub(crate) fn from_name(name: &[u8]) -> Option<Md> {
        Some(match name {
            b"MD5" => Md::Md5,
            b"SHA1" => Md::Sha1,
            b"SHA224" => Md::Sha224,
            b"SHA256" => Md::Sha256,
            b"SHA384" => Md::Sha384,
            b"SHA512" => Md::Sha512,
            b"RIPEMD160" => Md::Ripemd160,
            _ => return None,
        })
    }

    /// The digest of `data`.
    pub(crate) fn digest(self, data: &[u8]) -> Vec<u8> {
        use sha2::Digest as _;
        match self {
            Md::Md5 => md5::Md5::digest(data).to_vec(),
            Md::Sha1 => sha1::Sha1::digest(data).to_vec(),
            Md::Sha224 => sha2::Sha224::digest(data).to_vec(),
            Md::Sha256 => sha2::Sha256::digest(data).to_vec(),
            Md::Sha384 => sha2::Sha384::digest(data).to_vec(),
            Md::Sha512 => sha2::Sha512::digest(data).to_vec(),
            Md::Ripemd160 => ripemd::Ripemd160::digest(data).to_vec(),
        }
    }
}

/// Signs `data` with `key`, hashing it with `md`.
///
/// # Errors
/// `RSA_BAD_INPUT_DATA` / `ECP_INVALID_KEY` for a public key (as HashLink), and
/// `PK_FEATURE_UNAVAILABLE` for what `ring` cannot do (see the module docs).
pub(crate) fn sign(key: &Key, md: Md, data: &[u8]) -> Result<Vec<u8>, Code> {
    let rng = SystemRandom::new();
    let unavailable = errors::PK_FEATURE_UNAVAILABLE;
    match &key.alg {
        Alg::Rsa => {
            let Some(private) = &key.private else { return Err(errors::RSA_BAD_INPUT_DATA) };
            let padding: &'static dyn signature::RsaEncoding = match md {
                Md::Sha256 => &signature::RSA_PKCS1_SHA256,
                Md::Sha384 => &signature::RSA_PKCS1_SHA384,
                Md::Sha512 => &signature::RSA_PKCS1_SHA512,
                _ => return Err(unavailable),
            };
            let pair = signature::RsaKeyPair::from_der(private).map_err(|_| unavailable)?;
            let mut sig = vec![0; pair.public().modulus_len()];
            pair.sign(padding, &rng, data, &mut sig).map_err(|_| unavailable)?;
            Ok(sig)
        }
        Alg::Ec(curve) => {
            let Some(private) = &key.private else { return Err(errors::ECP_INVALID_KEY) };
            let alg = match (curve.as_slice(), md) {
                (oid::P256, Md::Sha256) => &signature::ECDSA_P256_SHA256_ASN1_SIGNING,
                (oid::P384, Md::Sha384) => &signature::ECDSA_P384_SHA384_ASN1_SIGNING,
                _ => return Err(unavailable),
            };
            let pair = signature::EcdsaKeyPair::from_pkcs8(alg, private, &rng).map_err(|_| unavailable)?;
            pair.sign(&rng, data).map(|s| s.as_ref().to_vec()).map_err(|_| unavailable)
        }
    }
}

/// The public key of `key` as `ring` reads it for verification (`None`: an EC private
/// key without its public point, which is derived with `ring` from the private key).
fn public_for_ring(key: &Key) -> Option<Vec<u8>> {
    if !key.public.is_empty() {
        return Some(key.public.clone());
    }
    let private = key.private.as_ref()?;
    let rng = SystemRandom::new();
    let alg = match &key.alg {
        Alg::Ec(c) if c.as_slice() == oid::P256 => &signature::ECDSA_P256_SHA256_ASN1_SIGNING,
        Alg::Ec(c) if c.as_slice() == oid::P384 => &signature::ECDSA_P384_SHA384_ASN1_SIGNING,
        _ => return None,
    };
    use signature::KeyPair as _;
    signature::EcdsaKeyPair::from_pkcs8(alg, private, &rng).ok().map(|p| p.public_key().as_ref().to_vec())
}

/// Verifies `sig` over `data` (hashed with `md`) with `key`.
///
/// # Errors
/// `PK_FEATURE_UNAVAILABLE` for what `ring` cannot check (see the module docs).
pub(crate) fn verify(key: &Key, md: Md, data: &[u8], sig: &[u8]) -> Result<bool, Code> {
    let alg: &'static dyn signature::VerificationAlgorithm = match (&key.alg, md) {
        (Alg::Rsa, Md::Sha1) => &signature::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY,
        (Alg::Rsa, Md::Sha256) => &signature::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
        (Alg::Rsa, Md::Sha384) => &signature::RSA_PKCS1_2048_8192_SHA384,
        (Alg::Rsa, Md::Sha512) => &signature::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY,
        (Alg::Ec(c), Md::Sha256) if c.as_slice() == oid::P256 => &signature::ECDSA_P256_SHA256_ASN1,
        (Alg::Ec(c), Md::Sha384) if c.as_slice() == oid::P256 => &signature::ECDSA_P256_SHA384_ASN1,
        (Alg::Ec(c), Md::Sha256) if c.as_slice() == oid::P384 => &signature::ECDSA_P384_SHA256_ASN1,
        (Alg::Ec(c), Md::Sha384) if c.as_slice() == oid::P384 => &signature::ECDSA_P384_SHA384_ASN1,
        _ => return Err(errors::PK_FEATURE_UNAVAILABLE),
    };
    let Some(public) = public_for_ring(key) else { return Err(errors::PK_FEATURE_UNAVAILABLE) };
    Ok(signature::UnparsedPublicKey::new(alg, public).verify(data, sig).is_ok())
}

/// A shared key, as handles hold it.
pub(crate) type KeyRef = Arc<Key>;
