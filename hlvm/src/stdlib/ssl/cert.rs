//! X.509 certificates behind `sys.ssl.Certificate`: parsing (PEM and DER, files and
//! folders), the accessors (`cert_get_*`), and chains (`cert_get_next`, `cert_add_*`).
//!
//! # Values
//! A certificate handle (`hl.Abstract<"hl_ssl_cert">`) is an `Obj::Native(Opaque)`
//! holding a [`CertRef`]: a shared [`Chain`] and a position in it. As in HashLink (where
//! the handle points at one `mbedtls_x509_crt` of a linked list), `next()` gives a handle
//! on the same chain, and `add`/`addDER` append to the chain every handle on it sees. A
//! position past the end (an empty chain, or `ssl_get_peer_certificate` without a peer
//! certificate) reads as a certificate with no fields: HashLink crashes there instead.
//!
//! # Parsing, as the reference's Mbed TLS 2.28 does it
//! - A buffer holding `-----BEGIN CERTIFICATE-----` (before any NUL) is PEM: every block
//!   is decoded and parsed; blocks that fail are counted. The result is the count of
//!   failures when at least one certificate was read, else the first error (or
//!   `X509_CERT_UNKNOWN_FORMAT` when there was no block at all). Anything else is one DER
//!   certificate (bytes after its outer `SEQUENCE` ignored).
//! - `cert_load_file` and `cert_load_path` fail on any failed certificate (a positive
//!   count too: HashLink passes the count to `mbedtls_strerror`, which reads it as a
//!   low-level error code); `cert_add_pem` fails only when nothing was read.
//! - A DER certificate that does not parse is `X509_INVALID_FORMAT` (Mbed TLS sometimes
//!   adds a more precise low-level reason, which is not reproduced), one whose public key
//!   is neither RSA nor EC is `PK_UNKNOWN_PK_ALG`.
//!
//! # Accessors
//! Name fields are looked up by Mbed TLS's short names (`CN`, `O`, `emailAddress`, ...,
//! case-sensitive); the first attribute with that name wins. Values are the raw bytes of
//! the attribute, each byte one UTF-16 unit, bytes below 32, 127 and 129..159 shown as
//! `?` (so UTF-8 text shows as Latin-1, as on HashLink). `altNames` lists every subject
//! alternative name entry's raw content the same way (an IP address shows as four
//! characters). Dates are `[year, month 1-12, day, hour, minute, second]` in UTC.
//!
//! Facts from HashLink 1.17's `libs/ssl/ssl.c` and Haxe 4.2.5's
//! `std/hl/_std/sys/ssl/Certificate.hx`, checked against the reference VM by the
//! `ssl_cert` program of `haxe-tests/haxe/`.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::RootCertStore;

use super::der::{self, oid, Reader};
use super::errors::{self, Code};
use super::pem;

/// One parsed certificate: its DER and the fields the accessors and the verifiers read.
#[derive(Debug, Default)]
pub(crate) struct Cert {
    /// The certificate's DER encoding (its outer `SEQUENCE`).
    pub der: Vec<u8>,
    subject: Vec<(Vec<u8>, Vec<u8>)>,
    issuer: Vec<(Vec<u8>, Vec<u8>)>,
    subject_raw: Vec<u8>,
    issuer_raw: Vec<u8>,
    /// Subject alternative names, `(context tag number, raw content)`, when the
    /// certificate has the extension.
    san: Option<Vec<(u8, Vec<u8>)>>,
    not_before: [i32; 6],
    not_after: [i32; 6],
}

/// Short names of name attributes, as Mbed TLS's table gives them (OID content bytes).
const SHORT_NAMES: &[(&[u8], &str)] = &[
    (&[0x55, 0x04, 0x03], "CN"),
    (&[0x55, 0x04, 0x06], "C"),
    (&[0x55, 0x04, 0x07], "L"),
    (&[0x55, 0x04, 0x08], "ST"),
    (&[0x55, 0x04, 0x0A], "O"),
    (&[0x55, 0x04, 0x0B], "OU"),
    (&[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x01], "emailAddress"),
    (&[0x55, 0x04, 0x05], "serialNumber"),
    (&[0x55, 0x04, 0x10], "postalAddress"),
    (&[0x55, 0x04, 0x11], "postalCode"),
    (&[0x55, 0x04, 0x04], "SN"),
    (&[0x55, 0x04, 0x2A], "GN"),
    (&[0x55, 0x04, 0x2B], "initials"),
    (&[0x55, 0x04, 0x2C], "generationQualifier"),
    (&[0x55, 0x04, 0x0C], "title"),
    (&[0x55, 0x04, 0x2E], "dnQualifier"),
    (&[0x55, 0x04, 0x41], "pseudonym"),
    (&[0x09, 0x92, 0x26, 0x89, 0x93, 0xF2, 0x2C, 0x64, 0x01, 0x19], "DC"),
    (&[0x55, 0x04, 0x2D], "uniqueIdentifier"),
];

/// String types Mbed TLS accepts as attribute values.
const NAME_VALUE_TAGS: &[u8] = &[0x1E, 0x0C, 0x14, 0x13, 0x16, 0x1C, 0x03];

/// The tag number of `dNSName` in `GeneralName`.
const SAN_DNS: u8 = 2;

/// Parses a `Name`: every attribute of every RDN, in order. `None` when malformed or
/// (`allow_empty` false) empty.
fn parse_name(content: &[u8], allow_empty: bool) -> Option<Vec<(Vec<u8>, Vec<u8>)>> {
    let mut out = Vec::new();
    let mut rdns = Reader::new(content);
    if rdns.is_empty() && !allow_empty {
        return None;
    }
    while !rdns.is_empty() {
        let set = rdns.expect(der::SET)?;
        let mut atvs = Reader::new(set.content);
        if atvs.is_empty() {
            return None;
        }
        while !atvs.is_empty() {
            let atv = atvs.expect(der::SEQUENCE)?;
            let mut r = Reader::new(atv.content);
            let id = r.expect(der::OID)?;
            let val = r.next()?;
            if !NAME_VALUE_TAGS.contains(&val.tag) {
                return None;
            }
            out.push((id.content.to_vec(), val.content.to_vec()));
        }
    }
    Some(out)
}

/// Parses a UTCTime or GeneralizedTime the way Mbed TLS does: `YYMMDDhhmm[ss][Z]` or
/// `YYYYMMDDhhmm[ss][Z]`, nothing else, fields in range.
fn parse_time(t: der::Tlv) -> Option<[i32; 6]> {
    let year_len = match t.tag {
        der::UTC_TIME => 2,
        der::GENERALIZED_TIME => 4,
        _ => return None,
    };
    let s = t.content;
    if s.len() < year_len + 8 {
        return None;
    }
    let num = |b: &[u8]| -> Option<i32> {
        b.iter().try_fold(0i32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + (c - b'0') as i32))
    };
    let mut year = num(&s[..year_len])?;
    if year_len == 2 {
        year += if year < 50 { 2000 } else { 1900 };
    }
    let mut v = [year, 0, 0, 0, 0, 0];
    let mut p = year_len;
    for f in v.iter_mut().take(5).skip(1) {
        *f = num(&s[p..p + 2])?;
        p += 2;
    }
    let mut rest = &s[p..];
    if rest.len() >= 2 {
        v[5] = num(&rest[..2])?;
        rest = &rest[2..];
    }
    if rest == b"Z" {
        rest = &[];
    }
    if !rest.is_empty() {
        return None;
    }
    let [y, mo, d, h, mi, sec] = v;
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match mo {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    let ok = (0..=9999).contains(&y) && (1..=days).contains(&d) && (0..=23).contains(&h) && (0..=59).contains(&mi) && (0..=59).contains(&sec);
    ok.then_some(v)
}

/// The entries of a `subjectAltName` extension value: `(tag number, raw content)`.
fn parse_san(value: &[u8]) -> Option<Vec<(u8, Vec<u8>)>> {
    let (seq, _) = der::take(value, der::SEQUENCE)?;
    let mut r = Reader::new(seq);
    let mut out = Vec::new();
    while !r.is_empty() {
        let t = r.next()?;
        if t.tag & 0x80 == 0 {
            return None;
        }
        out.push((t.tag & 0x1F, t.content.to_vec()));
    }
    Some(out)
}

/// Checks a `SubjectPublicKeyInfo`'s algorithm: RSA or EC, as Mbed TLS 2.28 supports.
fn check_spki(spki: &[u8]) -> Result<(), Code> {
    let mut r = Reader::new(spki);
    let alg = r.expect(der::SEQUENCE).ok_or(errors::PK_INVALID_ALG + errors::ASN1_UNEXPECTED_TAG)?;
    let id = Reader::new(alg.content).expect(der::OID).ok_or(errors::PK_INVALID_ALG + errors::ASN1_UNEXPECTED_TAG)?;
    if id.content != oid::RSA && id.content != oid::EC_PUBLIC_KEY {
        return Err(errors::PK_UNKNOWN_PK_ALG);
    }
    r.expect(der::BIT_STRING).ok_or(errors::PK_INVALID_PUBKEY + errors::ASN1_UNEXPECTED_TAG)?;
    Ok(())
}

impl Cert {
    /// Parses one DER certificate (bytes after its outer `SEQUENCE` are ignored).
    ///
    /// # Errors
    /// `X509_INVALID_FORMAT` for a malformed certificate, a `PK_*` code for an
    /// unsupported public key.
    pub(crate) fn parse_der(data: &[u8]) -> Result<Cert, Code> {
        let bad = errors::X509_INVALID_FORMAT;
        let mut outer = Reader::new(data);
        let cert = outer.expect(der::SEQUENCE).ok_or(bad)?;
        let der = data[..data.len() - outer.rest().len()].to_vec();
        let mut c = Reader::new(cert.content);
        let tbs = c.expect(der::SEQUENCE).ok_or(bad)?;
        c.expect(der::SEQUENCE).ok_or(bad)?;
        c.expect(der::BIT_STRING).ok_or(bad)?;
        let mut t = Reader::new(tbs.content);
        let version = match t.optional(0xA0) {
            Some(v) => {
                let (n, _) = der::take(v, der::INTEGER).ok_or(bad)?;
                if n.len() != 1 || n[0] > 2 {
                    return Err(bad);
                }
                n[0] as i32 + 1
            }
            None => 1,
        };
        t.expect(der::INTEGER).ok_or(bad)?;
        t.expect(der::SEQUENCE).ok_or(bad)?;
        let issuer = t.expect(der::SEQUENCE).ok_or(bad)?;
        let validity = t.expect(der::SEQUENCE).ok_or(bad)?;
        let subject = t.expect(der::SEQUENCE).ok_or(bad)?;
        let spki = t.expect(der::SEQUENCE).ok_or(bad)?;
        check_spki(spki.content)?;
        let mut v = Reader::new(validity.content);
        let not_before = v.next().and_then(parse_time).ok_or(bad)?;
        let not_after = v.next().and_then(parse_time).ok_or(bad)?;
        let mut san = None;
        if version >= 2 {
            t.optional(0x81).or_else(|| t.optional(0xA1));
            t.optional(0x82).or_else(|| t.optional(0xA2));
        }
        if version == 3 {
            if let Some(exts) = t.optional(0xA3) {
                let (list, _) = der::take(exts, der::SEQUENCE).ok_or(bad)?;
                let mut r = Reader::new(list);
                while !r.is_empty() {
                    let ext = r.expect(der::SEQUENCE).ok_or(bad)?;
                    let mut e = Reader::new(ext.content);
                    let id = e.expect(der::OID).ok_or(bad)?;
                    e.optional(0x01);
                    let value = e.expect(der::OCTET_STRING).ok_or(bad)?;
                    if id.content == oid::SUBJECT_ALT_NAME {
                        san = Some(parse_san(value.content).ok_or(bad)?);
                    }
                }
            }
        }
        Ok(Cert {
            der,
            subject: parse_name(subject.content, true).ok_or(bad)?,
            issuer: parse_name(issuer.content, false).ok_or(bad)?,
            subject_raw: subject.content.to_vec(),
            issuer_raw: issuer.content.to_vec(),
            san,
            not_before,
            not_after,
        })
    }

    /// The value of the first `subject` (or issuer) attribute with short name `field`.
    pub(crate) fn name_field(&self, issuer: bool, field: &[u8]) -> Option<&[u8]> {
        let list = if issuer { &self.issuer } else { &self.subject };
        list.iter()
            .find(|(id, _)| SHORT_NAMES.iter().any(|(o, n)| o == id && n.as_bytes() == field))
            .map(|(_, v)| v.as_slice())
    }

    /// Raw contents of the subject alternative names (empty without the extension).
    pub(crate) fn alt_names(&self) -> impl Iterator<Item = &[u8]> {
        self.san.iter().flatten().map(|(_, v)| v.as_slice())
    }

    pub(crate) fn not_before(&self) -> [i32; 6] {
        self.not_before
    }

    pub(crate) fn not_after(&self) -> [i32; 6] {
        self.not_after
    }

    /// True when the issuer name is the subject name (byte for byte).
    pub(crate) fn self_issued(&self) -> bool {
        self.issuer_raw == self.subject_raw
    }

    /// True when `now` (seconds since 1970, UTC) is within the validity period.
    pub(crate) fn valid_at(&self, now: u64) -> bool {
        let now = civil(now);
        self.not_before <= now && now <= self.not_after
    }

    /// Mbed TLS 2.28's host name check: against every `dNSName` entry when the
    /// certificate has subject alternative names, else against every `CN`; equal
    /// ignoring ASCII case, or a `*.rest` pattern matching `host` from its first dot.
    pub(crate) fn matches_host(&self, host: &[u8]) -> bool {
        match &self.san {
            Some(san) => san.iter().any(|(tag, v)| *tag == SAN_DNS && name_matches(v, host)),
            None => self.subject.iter().any(|(id, v)| id.as_slice() == [0x55, 0x04, 0x03] && name_matches(v, host)),
        }
    }
}

fn name_matches(name: &[u8], host: &[u8]) -> bool {
    if name.eq_ignore_ascii_case(host) {
        return true;
    }
    if name.len() < 3 || !name.starts_with(b"*.") {
        return false;
    }
    match host.iter().position(|&c| c == b'.') {
        Some(dot) if dot > 0 => host[dot..].eq_ignore_ascii_case(&name[1..]),
        _ => false,
    }
}

/// `[year, month, day, hour, minute, second]` (UTC) of a time in seconds since 1970.
fn civil(secs: u64) -> [i32; 6] {
    let days = (secs / 86400) as i64;
    let rem = (secs % 86400) as i32;
    // Days to civil date (proleptic Gregorian), after Howard Hinnant's algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + (month <= 2) as i64;
    [year as i32, month as i32, day as i32, rem / 3600, rem / 60 % 60, rem % 60]
}

/// Certificates parsed from one buffer (see the module docs), with Mbed TLS's result:
/// 0, the count of failed certificates, or a negative error when none was read.
pub(crate) fn parse_all(data: &[u8]) -> (Vec<Cert>, Code) {
    const HEADER: &str = "-----BEGIN CERTIFICATE-----";
    const FOOTER: &str = "-----END CERTIFICATE-----";
    let text_end = data.iter().position(|&c| c == 0);
    let is_pem = text_end.is_some() && data[..text_end.unwrap_or(0)].windows(HEADER.len()).any(|w| w == HEADER.as_bytes());
    if !is_pem {
        return match Cert::parse_der(data) {
            Ok(c) => (vec![c], 0),
            Err(e) => (Vec::new(), e),
        };
    }
    let mut certs = Vec::new();
    let (mut failed, mut first_error) = (0, 0);
    let mut rest = &data[..text_end.unwrap_or(0)];
    while !rest.is_empty() {
        match pem::read(rest, HEADER, FOOTER, None) {
            Ok(Some(block)) => {
                rest = &rest[block.used.min(rest.len())..];
                match Cert::parse_der(&block.der) {
                    Ok(c) => certs.push(c),
                    Err(e) => {
                        if first_error == 0 {
                            first_error = e;
                        }
                        failed += 1;
                    }
                }
            }
            Ok(None) => break,
            Err((e, used)) => {
                rest = &rest[used.min(rest.len())..];
                if first_error == 0 {
                    first_error = e;
                }
                failed += 1;
            }
        }
    }
    if !certs.is_empty() {
        (certs, failed)
    } else if first_error != 0 {
        (certs, first_error)
    } else {
        (certs, errors::X509_CERT_UNKNOWN_FORMAT)
    }
}

/// `mbedtls_x509_crt_parse_file`: the file's bytes plus a NUL, parsed with
/// [`parse_all`]; `PK_FILE_IO_ERROR` when it cannot be read, `PK_ALLOC_FAILED` for a
/// folder (Mbed TLS opens it and fails to allocate the size it reports).
pub(crate) fn parse_file(path: &std::path::Path) -> (Vec<Cert>, Code) {
    if path.is_dir() {
        return (Vec::new(), errors::PK_ALLOC_FAILED);
    }
    match std::fs::read(path) {
        Ok(mut data) => {
            data.push(0);
            parse_all(&data)
        }
        Err(_) => (Vec::new(), errors::PK_FILE_IO_ERROR),
    }
}

/// `mbedtls_x509_crt_parse_path`: every regular file of a folder (symbolic links
/// followed), in directory order. The result counts the files that failed (one for a
/// file-level error, its count of failed certificates otherwise).
///
/// # Errors
/// `X509_FILE_IO_ERROR` when the folder cannot be listed or an entry cannot be examined.
pub(crate) fn parse_path(path: &std::path::Path) -> Result<(Vec<Cert>, Code), Code> {
    let dir = std::fs::read_dir(path).map_err(|_| errors::X509_FILE_IO_ERROR)?;
    let mut certs = Vec::new();
    let mut failed = 0;
    for entry in dir {
        let entry = entry.map_err(|_| errors::X509_FILE_IO_ERROR)?;
        let meta = std::fs::metadata(entry.path()).map_err(|_| errors::X509_FILE_IO_ERROR)?;
        if !meta.is_file() {
            continue;
        }
        let (mut c, r) = parse_file(&entry.path());
        certs.append(&mut c);
        failed += if r < 0 { 1 } else { r };
    }
    Ok((certs, failed))
}

/// A list of certificates that handles share (see the module docs).
#[derive(Default)]
pub(crate) struct Chain {
    pub certs: Vec<Arc<Cert>>,
    /// Trust anchors built from `certs[start..]`, kept until the chain changes.
    trust: Option<(usize, Arc<Trust>)>,
}

/// What a certificate chain set with `conf_set_ca` trusts.
#[derive(Debug)]
pub(crate) struct Trust {
    /// The certificates as `rustls` trust anchors (those it can read).
    pub roots: Arc<RootCertStore>,
    /// The certificates themselves: a self-issued certificate listed here is trusted as
    /// it is, as Mbed TLS does.
    pub certs: Vec<Arc<Cert>>,
}

/// A certificate handle's value: a chain and a position in it.
#[derive(Clone)]
pub(crate) struct CertRef {
    pub chain: Rc<RefCell<Chain>>,
    pub index: usize,
}

impl CertRef {
    /// A handle on a new chain holding `certs`.
    pub(crate) fn new(certs: Vec<Cert>) -> CertRef {
        let chain = Chain { certs: certs.into_iter().map(Arc::new).collect(), trust: None };
        CertRef { chain: Rc::new(RefCell::new(chain)), index: 0 }
    }

    /// The certificate at this position (`None` past the end).
    pub(crate) fn get(&self) -> Option<Arc<Cert>> {
        self.chain.borrow().certs.get(self.index).cloned()
    }

    /// Appends certificates to the chain.
    pub(crate) fn append(&self, certs: Vec<Cert>) {
        let mut chain = self.chain.borrow_mut();
        chain.certs.extend(certs.into_iter().map(Arc::new));
        chain.trust = None;
    }

    /// The DER of the certificates from this position to the end of the chain.
    pub(crate) fn ders(&self) -> Vec<CertificateDer<'static>> {
        let chain = self.chain.borrow();
        chain.certs.iter().skip(self.index).map(|c| CertificateDer::from(c.der.clone())).collect()
    }

    /// The trust anchors of the certificates from this position on (cached).
    pub(crate) fn trust(&self) -> Arc<Trust> {
        let mut chain = self.chain.borrow_mut();
        if let Some((start, t)) = &chain.trust {
            if *start == self.index {
                return t.clone();
            }
        }
        let mut roots = RootCertStore::empty();
        let mut certs = Vec::new();
        for c in chain.certs.iter().skip(self.index) {
            let _ = roots.add(CertificateDer::from(c.der.clone()));
            certs.push(c.clone());
        }
        let t = Arc::new(Trust { roots: Arc::new(roots), certs });
        chain.trust = Some((self.index, t.clone()));
        t
    }
}

/// A byte of an ASN.1 string as HashLink shows it (see the module docs).
pub(crate) fn shown_unit(b: u8) -> u16 {
    if b < 32 || b == 127 || (b > 128 && b < 160) {
        b'?' as u16
    } else {
        b as u16
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names() {
        assert!(name_matches(b"localhost", b"LocalHost"));
        assert!(name_matches(b"*.example.test", b"foo.example.test"));
        assert!(!name_matches(b"*.example.test", b"a.foo.example.test"));
        assert!(!name_matches(b"*.example.test", b"example.test"));
        assert!(!name_matches(b"*.", b"a."));
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), [1970, 1, 1, 0, 0, 0]);
        assert_eq!(civil(951_782_400), [2000, 2, 29, 0, 0, 0]);
        assert_eq!(civil(4_102_444_799), [2099, 12, 31, 23, 59, 59]);
    }

    #[test]
    fn times() {
        let t = |tag, s: &str| parse_time(der::Tlv { tag, content: s.as_bytes() });
        assert_eq!(t(der::UTC_TIME, "200101000000Z"), Some([2020, 1, 1, 0, 0, 0]));
        assert_eq!(t(der::UTC_TIME, "9901010000Z"), Some([1999, 1, 1, 0, 0, 0]));
        assert_eq!(t(der::GENERALIZED_TIME, "21200101000000Z"), Some([2120, 1, 1, 0, 0, 0]));
        assert_eq!(t(der::UTC_TIME, "200230000000Z"), None);
        assert_eq!(t(der::UTC_TIME, "200101000000.5Z"), None);
    }
}
