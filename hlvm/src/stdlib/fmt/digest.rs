//! `digest(out, src, length, format)`: the hash native behind `haxe.crypto.Md5` and
//! `haxe.crypto.Sha1` on HashLink (`hl.Format.digest`).
//!
//! `format & 0xFF` picks the algorithm: 0 MD5 (16 bytes written to `out`), 1 SHA-1
//! (20 bytes), 2 CRC-32 and 3 Adler-32 (both continue from the little-endian Int already
//! in `out[0..4]` and store the result there, as zlib's `crc32`/`adler32` do with their
//! running value). Others throw `Unknown digest format <n>`. With bit 256 set, `src` is
//! a string's UTF-16 bytes: it is converted to UTF-8 up to its first NUL unit
//! (HashLink's `hl_to_utf8`, lone surrogates and all) and `length` is ignored. Other
//! high bits are ignored. Facts from HashLink 1.17's `fmt.hdll`, checked with
//! `haxe-tests/haxe/fmt_digest`.
//!
//! Beyond HashLink: a null `out`, `src` bytes outside their block or a negative length
//! throw (HashLink would read or write out of bounds); an empty `hl.Bytes` is a null
//! pointer on HashLink, which zlib's checksums answer with 0 (CRC-32) and 1 (Adler-32),
//! and so do we.

use md5::Md5;
use sha1::{Digest, Sha1};

use super::zlib;
use crate::gc::Obj;
use crate::stdlib::text::utf16_to_utf8;
use crate::stdlib::{arg, argi};
use crate::value::*;
use crate::vm::{Exc, Vm};

/// The input as HashLink's C code sees it: `None` for a null pointer.
fn input(vm: &mut Vm, src: u64, len: i32, string: bool) -> Result<Option<Vec<u8>>, Exc> {
    if string {
        return match vm.read_utf16_z(src) {
            Some(units) if src != 0 => Ok(Some(utf16_to_utf8(&units))),
            _ => Err(vm.null_access(None)),
        };
    }
    if len < 0 {
        return Err(vm.out_of_bounds());
    }
    let (h, off) = bytes_ptr(src);
    let block = if src == 0 {
        None
    } else {
        match vm.heap.get(h) {
            Some(Obj::Bytes(d)) => Some(d),
            _ => None,
        }
    };
    let size = block.map_or(0, |d| d.len());
    if size == 0 && off == 0 && len == 0 {
        return Ok(None);
    }
    match block.and_then(|d| d.get(off..off.checked_add(len as usize)?)) {
        Some(s) => Ok(Some(s.to_vec())),
        None if len == 0 => Ok(Some(Vec::new())),
        None => Err(vm.out_of_bounds()),
    }
}

/// Writes `bytes` at the start of `out`.
fn put(vm: &mut Vm, out: u64, bytes: &[u8]) -> Result<u64, Exc> {
    if out == 0 {
        return Err(vm.null_access(None));
    }
    match vm.bytes_at_mut(out).and_then(|d| d.get_mut(..bytes.len())) {
        Some(d) => {
            d.copy_from_slice(bytes);
            Ok(0)
        }
        None => Err(vm.out_of_bounds()),
    }
}

/// The little-endian Int at the start of `out` (the running checksum).
fn running(vm: &mut Vm, out: u64) -> Result<u32, Exc> {
    if out == 0 {
        return Err(vm.null_access(None));
    }
    match vm.bytes_at(out).and_then(|d| d.get(..4)) {
        Some(d) => Ok(u32::from_le_bytes([d[0], d[1], d[2], d[3]])),
        None => Err(vm.out_of_bounds()),
    }
}

/// `digest(out, src, length, format)`
pub(super) fn digest(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let (out, src, len, format) = (arg(a, 0), arg(a, 1), argi(a, 2), argi(a, 3));
    let data = input(vm, src, len, format & 256 != 0)?;
    let bytes = data.as_deref().unwrap_or(&[]);
    match format & 0xFF {
        0 => put(vm, out, &Md5::digest(bytes)),
        1 => put(vm, out, &Sha1::digest(bytes)),
        2 => {
            let crc = zlib::crc32_of(running(vm, out)?, data.as_deref());
            put(vm, out, &crc.to_le_bytes())
        }
        3 => {
            let adler = zlib::adler32_of(running(vm, out)?, data.as_deref());
            put(vm, out, &adler.to_le_bytes())
        }
        n => Err(vm.throw_msg(&format!("Unknown digest format {n}"))),
    }
}
