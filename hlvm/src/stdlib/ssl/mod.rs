//! HashLink's `ssl` library (`ssl.hdll`): the natives behind Haxe's `sys.ssl.Socket`,
//! `Certificate`, `Key` and `Digest` (`@:hlNative("ssl", ...)`), on `rustls` and `ring`.
//!
//! | file | natives |
//! |---|---|
//! | [`cert`] | `cert_load_defaults`, `cert_load_file`, `cert_load_path`, `cert_get_subject`, `cert_get_issuer`, `cert_get_altnames`, `cert_get_notbefore`, `cert_get_notafter`, `cert_get_next`, `cert_add_pem`, `cert_add_der` |
//! | [`key`] | `key_from_pem`, `key_from_der`, `dgst_make`, `dgst_sign`, `dgst_verify` (with [`crypt`] for encrypted keys) |
//! | [`tls`] | `conf_new`, `conf_close`, `conf_set_ca`, `conf_set_verify`, `conf_set_cert`, `conf_set_servername_callback`, `ssl_new`, `ssl_close`, `ssl_handshake`, `ssl_set_socket`, `ssl_set_hostname`, `ssl_get_peer_certificate`, `ssl_recv`, `ssl_recv_char`, `ssl_send`, `ssl_send_char`, `ssl_set_bio` (throws: not supported) |
//! | here | `ssl_init` (nothing to do) |
//!
//! Parsing helpers: [`der`] (DER reader), [`pem`] (PEM blocks as Mbed TLS finds them).
//!
//! The reference is HashLink 1.17's `ssl.hdll` built on the system's Mbed TLS 2.28 (the
//! usual Linux build), whose behaviour these natives reproduce: verification rules,
//! return codes, and errors thrown as HashLink throws them, `hl_error` with Mbed TLS's
//! message for the code ([`errors`]), a `Dynamic` holding the text. Null handles, which
//! crash HashLink, throw `Null access`. Behaviour that differs from HashLink is listed in
//! each file's docs; in short: `dgst_sign`/`dgst_verify` lack some algorithm and curve
//! combinations ([`key`]), the client does not send SNI for an IP address, and
//! `ssl_set_bio` (unused by Haxe's standard library) throws ([`tls`]).

use std::sync::Arc;

use crate::code::Type;
use crate::gc::{NativeObj, Obj};
use crate::value::*;
use crate::vm::{Exc, Vm};

mod cert;
mod crypt;
mod der;
mod errors;
mod key;
mod pem;
mod tls;

pub(crate) use super::{arg, argi, byte_range, byte_range_mut};
use cert::{Cert, CertRef};
use key::{Key, KeyRef, Md};

/// The library name these natives are registered under.
pub(crate) const LIB: &str = "ssl";

pub(crate) const NATIVES: super::Table = &[
    ("ssl_init", super::noop),
    ("cert_load_defaults", cert_load_defaults),
    ("cert_load_file", cert_load_file),
    ("cert_load_path", cert_load_path),
    ("cert_get_subject", cert_get_subject),
    ("cert_get_issuer", cert_get_issuer),
    ("cert_get_altnames", cert_get_altnames),
    ("cert_get_notbefore", cert_get_notbefore),
    ("cert_get_notafter", cert_get_notafter),
    ("cert_get_next", cert_get_next),
    ("cert_add_pem", cert_add_pem),
    ("cert_add_der", cert_add_der),
    ("key_from_pem", key_from_pem),
    ("key_from_der", key_from_der),
    ("dgst_make", dgst_make),
    ("dgst_sign", dgst_sign),
    ("dgst_verify", dgst_verify),
    ("conf_new", tls::conf_new),
    ("conf_close", tls::conf_close),
    ("conf_set_ca", tls::conf_set_ca),
    ("conf_set_verify", tls::conf_set_verify),
    ("conf_set_cert", tls::conf_set_cert),
    ("conf_set_servername_callback", tls::conf_set_servername_callback),
    ("ssl_new", tls::ssl_new),
    ("ssl_close", tls::ssl_close),
    ("ssl_handshake", tls::ssl_handshake),
    ("ssl_set_socket", tls::ssl_set_socket),
    ("ssl_set_hostname", tls::ssl_set_hostname),
    ("ssl_set_bio", tls::ssl_set_bio),
    ("ssl_get_peer_certificate", tls::ssl_get_peer_certificate),
    ("ssl_recv", tls::ssl_recv),
    ("ssl_recv_char", tls::ssl_recv_char),
    ("ssl_send", tls::ssl_send),
    ("ssl_send_char", tls::ssl_send_char),
];

// ---------------------------------------------------------------------- helpers

/// Throws HashLink's error for Mbed TLS code `code` (its `mbedtls_strerror` text).
fn throw_code(vm: &mut Vm, code: errors::Code) -> Exc {
    vm.throw_msg(&errors::message(code))
}

/// The bytes of a NUL-terminated `Bytes` argument, without the NUL (`None` for null).
fn c_string(vm: &Vm, b: u64) -> Option<Vec<u8>> {
    let d = vm.bytes_at(b)?;
    Some(d[..d.iter().position(|&c| c == 0).unwrap_or(d.len())].to_vec())
}

fn new_cert_handle(vm: &mut Vm, c: CertRef) -> u64 {
    vm.heap.alloc(Obj::Native(NativeObj::Opaque(Box::new(c).into()))) as u64
}

/// The certificate handle's value at a slot (`None`: null or not a certificate).
fn cert_of(vm: &Vm, v: u64) -> Option<CertRef> {
    match vm.heap.get(handle(v)) {
        Some(Obj::Native(NativeObj::Opaque(b))) => b.downcast_ref::<CertRef>().cloned(),
        _ => None,
    }
}

fn cert_arg(vm: &mut Vm, v: u64) -> Result<CertRef, Exc> {
    match cert_of(vm, v) {
        Some(c) => Ok(c),
        None => Err(vm.null_access(None)),
    }
}

/// The key handle's value at a slot (`None`: null or not a key).
fn key_of(vm: &Vm, v: u64) -> Option<KeyRef> {
    match vm.heap.get(handle(v)) {
        Some(Obj::Native(NativeObj::Opaque(b))) => b.downcast_ref::<KeyRef>().cloned(),
        _ => None,
    }
}

fn key_arg(vm: &mut Vm, v: u64) -> Result<KeyRef, Exc> {
    match key_of(vm, v) {
        Some(k) => Ok(k),
        None => Err(vm.null_access(None)),
    }
}

/// A file path from a NUL-terminated UTF-8 `Bytes` argument.
fn path_arg(vm: &mut Vm, v: u64) -> Result<std::path::PathBuf, Exc> {
    let Some(p) = c_string(vm, v) else { return Err(vm.null_access(None)) };
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt as _;
        Ok(std::path::PathBuf::from(std::ffi::OsString::from_vec(p)))
    }
    #[cfg(not(unix))]
    {
        Ok(std::path::PathBuf::from(String::from_utf8_lossy(&p).into_owned()))
    }
}

/// Allocates a `NativeArray` of element type `elem` holding `data`.
fn alloc_array(vm: &mut Vm, elem: Type, data: Vec<u64>) -> u64 {
    let elem = vm.type_index(elem);
    vm.heap.alloc(Obj::Array { elem, data: data.into() }) as u64
}

/// An ASN.1 value as HashLink returns it: one UTF-16 unit per byte (see [`cert`]).
fn asn1_string(vm: &mut Vm, raw: &[u8]) -> u64 {
    let units: Vec<u16> = raw.iter().map(|&b| cert::shown_unit(b)).collect();
    vm.alloc_utf16(&units)
}

// ---------------------------------------------------------------------- certificates

/// `cert_load_defaults() -> cert`: null on Linux and other Unix systems, where HashLink
/// has no system store either (Haxe then reads the usual bundle files); the system's
/// trusted roots on Windows and macOS, or null when there are none.
fn cert_load_defaults(vm: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    #[cfg(any(windows, target_os = "macos"))]
    {
        let found = rustls_native_certs::load_native_certs();
        let certs: Vec<Cert> = found.certs.iter().filter_map(|d| Cert::parse_der(d.as_ref()).ok()).collect();
        if !certs.is_empty() {
            return Ok(new_cert_handle(vm, CertRef::new(certs)));
        }
    }
    let _ = vm;
    Ok(0)
}

/// `cert_load_file(path) -> cert`: every certificate of a PEM or DER file; throws when
/// the file cannot be read or any certificate in it fails.
fn cert_load_file(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let path = path_arg(vm, arg(a, 0))?;
    let (certs, r) = cert::parse_file(&path);
    if r != 0 {
        return Err(throw_code(vm, r));
    }
    Ok(new_cert_handle(vm, CertRef::new(certs)))
}

/// `cert_load_path(path) -> cert`: the certificates of every file in a folder; throws
/// when the folder cannot be read or any file fails (see [`cert`]).
fn cert_load_path(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let path = path_arg(vm, arg(a, 0))?;
    match cert::parse_path(&path) {
        Ok((certs, 0)) => Ok(new_cert_handle(vm, CertRef::new(certs))),
        Ok((_, r)) | Err(r) => Err(throw_code(vm, r)),
    }
}

/// The subject or issuer field named by a `Bytes` argument, as a UTF-16 string, or null.
fn name_field(vm: &mut Vm, a: &[u64], issuer: bool) -> Result<u64, Exc> {
    let cert = cert_arg(vm, arg(a, 0))?;
    let Some(field) = c_string(vm, arg(a, 1)) else { return Err(vm.null_access(None)) };
    let value = cert.get().and_then(|c| c.name_field(issuer, &field).map(<[u8]>::to_vec));
    Ok(value.map_or(0, |v| asn1_string(vm, &v)))
}

/// `cert_get_subject(cert, field: bytes) -> bytes` (UTF-16, or null).
fn cert_get_subject(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    name_field(vm, a, false)
}

/// `cert_get_issuer(cert, field: bytes) -> bytes` (UTF-16, or null).
fn cert_get_issuer(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    name_field(vm, a, true)
}

/// `cert_get_altnames(cert) -> NativeArray<bytes>` (UTF-16 strings).
fn cert_get_altnames(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let cert = cert_arg(vm, arg(a, 0))?;
    let names: Vec<Vec<u8>> = cert.get().map(|c| c.alt_names().map(<[u8]>::to_vec).collect()).unwrap_or_default();
    // The strings are unreachable until the array holds them: keep them rooted.
    let mark = vm.temp_root_len();
    let mut data = Vec::with_capacity(names.len());
    for n in &names {
        let s = asn1_string(vm, n);
        vm.push_temp_root(s);
        data.push(s);
    }
    let arr = alloc_array(vm, Type::Bytes, data);
    vm.truncate_temp_roots(mark);
    Ok(arr)
}

fn date_array(vm: &mut Vm, a: &[u64], after: bool) -> Result<u64, Exc> {
    let cert = cert_arg(vm, arg(a, 0))?;
    let d = cert.get().map_or([0; 6], |c| if after { c.not_after() } else { c.not_before() });
    Ok(alloc_array(vm, Type::I32, d.iter().map(|&v| from_i32(v)).collect()))
}

/// `cert_get_notbefore(cert) -> NativeArray<Int>`: `[year, month, day, hour, minute,
/// second]`, UTC.
fn cert_get_notbefore(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    date_array(vm, a, false)
}

/// `cert_get_notafter(cert) -> NativeArray<Int>`.
fn cert_get_notafter(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    date_array(vm, a, true)
}

/// `cert_get_next(cert) -> cert`: the next certificate of the chain, or null.
fn cert_get_next(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let cert = cert_arg(vm, arg(a, 0))?;
    let next = CertRef { chain: cert.chain.clone(), index: cert.index + 1 };
    if next.get().is_none() {
        return Ok(0);
    }
    Ok(new_cert_handle(vm, next))
}

/// `cert_add_pem(cert or null, pem: bytes) -> cert`: appends the certificates of a PEM
/// text (or one DER certificate) to `cert`'s chain, or to a new chain when null; throws
/// when none could be read.
fn cert_add_pem(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(mut data) = c_string(vm, arg(a, 1)) else { return Err(vm.null_access(None)) };
    data.push(0);
    let (certs, r) = cert::parse_all(&data);
    if r < 0 {
        return Err(throw_code(vm, r));
    }
    add_to(vm, arg(a, 0), certs)
}

/// `cert_add_der(cert or null, der: bytes, len) -> cert`: appends one DER certificate.
fn cert_add_der(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(data) = byte_range(vm, arg(a, 1), 0, argi(a, 2)).map(<[u8]>::to_vec) else { return Err(vm.out_of_bounds()) };
    match Cert::parse_der(&data) {
        Ok(c) => add_to(vm, arg(a, 0), vec![c]),
        Err(r) => Err(throw_code(vm, r)),
    }
}

fn add_to(vm: &mut Vm, cert: u64, certs: Vec<Cert>) -> Result<u64, Exc> {
    if cert == 0 {
        return Ok(new_cert_handle(vm, CertRef::new(certs)));
    }
    cert_arg(vm, cert)?.append(certs);
    Ok(cert)
}

// ---------------------------------------------------------------------- keys

fn new_key_handle(vm: &mut Vm, k: Key) -> u64 {
    let k: KeyRef = Arc::new(k);
    vm.heap.alloc(Obj::Native(NativeObj::Opaque(Box::new(k).into()))) as u64
}

/// `key_from_pem(pem: bytes, public: Bool, password: bytes or null) -> key`.
fn key_from_pem(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(mut data) = c_string(vm, arg(a, 0)) else { return Err(vm.null_access(None)) };
    data.push(0);
    let public = arg(a, 1) as u8 != 0;
    let pass = if arg(a, 2) == 0 { None } else { c_string(vm, arg(a, 2)) };
    let r = if public { key::parse_public(&data) } else { key::parse_private(&data, pass.as_deref()) };
    match r {
        Ok(k) => Ok(new_key_handle(vm, k)),
        Err(c) => Err(throw_code(vm, c)),
    }
}

/// `key_from_der(der: bytes, len, public: Bool) -> key`.
fn key_from_der(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(data) = byte_range(vm, arg(a, 0), 0, argi(a, 1)).map(<[u8]>::to_vec) else { return Err(vm.out_of_bounds()) };
    let r = if arg(a, 2) as u8 != 0 { key::parse_public(&data) } else { key::parse_private(&data, None) };
    match r {
        Ok(k) => Ok(new_key_handle(vm, k)),
        Err(c) => Err(throw_code(vm, c)),
    }
}

// ---------------------------------------------------------------------- digests

/// The digest algorithm named by a `Bytes` argument; throws HashLink's message otherwise
/// (the name's UTF-8 bytes shown as UTF-16 units, as its `%s` formatting does).
fn md_arg(vm: &mut Vm, v: u64) -> Result<Md, Exc> {
    let Some(name) = c_string(vm, v) else { return Err(vm.null_access(None)) };
    if let Some(md) = Md::from_name(&name) {
        return Ok(md);
    }
    let mut units: Vec<u16> = name.chunks(2).map(|c| u16::from_le_bytes([c[0], c.get(1).copied().unwrap_or(0)])).collect();
    if let Some(end) = units.iter().position(|&u| u == 0) {
        units.truncate(end);
    }
    let mut msg: Vec<u16> = "Unknown hash algorithm: ".encode_utf16().collect();
    msg.extend(units);
    Err(vm.throw_msg(&String::from_utf16_lossy(&msg)))
}

/// `dgst_make(data: bytes, len, alg: bytes, ref size) -> bytes`.
fn dgst_make(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let md = md_arg(vm, arg(a, 2))?;
    let Some(data) = byte_range(vm, arg(a, 0), 0, argi(a, 1)) else { return Err(vm.out_of_bounds()) };
    let out = md.digest(data);
    vm.set_ref_i32(arg(a, 3), out.len() as i32)?;
    Ok(vm.alloc_bytes_from(out))
}

/// `dgst_sign(data: bytes, len, key, alg: bytes, ref size) -> bytes`.
fn dgst_sign(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let md = md_arg(vm, arg(a, 3))?;
    let Some(data) = byte_range(vm, arg(a, 0), 0, argi(a, 1)).map(<[u8]>::to_vec) else { return Err(vm.out_of_bounds()) };
    let key = key_arg(vm, arg(a, 2))?;
    match key::sign(&key, md, &data) {
        Ok(sig) => {
            vm.set_ref_i32(arg(a, 4), sig.len() as i32)?;
            Ok(vm.alloc_bytes_from(sig))
        }
        Err(c) => Err(throw_code(vm, c)),
    }
}

/// `dgst_verify(data: bytes, dlen, sig: bytes, slen, key, alg: bytes) -> Bool`.
fn dgst_verify(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let md = md_arg(vm, arg(a, 5))?;
    let Some(data) = byte_range(vm, arg(a, 0), 0, argi(a, 1)).map(<[u8]>::to_vec) else { return Err(vm.out_of_bounds()) };
    let Some(sig) = byte_range(vm, arg(a, 2), 0, argi(a, 3)).map(<[u8]>::to_vec) else { return Err(vm.out_of_bounds()) };
    let key = key_arg(vm, arg(a, 4))?;
    match key::verify(&key, md, &data, &sig) {
        Ok(ok) => Ok(ok as u64),
        Err(c) => Err(throw_code(vm, c)),
    }
}
