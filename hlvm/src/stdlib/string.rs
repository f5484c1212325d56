//! strings/ucs2 natives: number formatting and parsing, UTF conversions, case, URL.

use super::{arg, argi, text, Table};
use crate::code::Type;
use crate::gc::Obj;
use crate::value::*;
use crate::vm::{Exc, Vm};

pub(super) const NATIVES: Table = &[
    ("itos", itos),
    ("ftos", ftos),
    ("value_to_string", value_to_string),
    ("ucs2length", ucs2length),
    ("utf8_to_utf16", utf8_to_utf16),
    ("utf16_to_utf8", utf16_to_utf8),
    ("ucs2_upper", ucs2_upper),
    ("ucs2_lower", ucs2_lower),
    ("parse_int", parse_int),
    ("parse_float", parse_float),
    ("string_compare", string_compare),
    ("url_encode", url_encode),
    ("url_decode", url_decode),
    ("hash", hash),
];

fn units(s: &str) -> Vec<u16> {
    s.encode_utf16().collect()
}

/// `itos(i32, ref<i32>) -> bytes`
fn itos(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    vm.ret_utf16(&units(&argi(a, 0).to_string()), arg(a, 1))
}

/// `ftos(f64, ref<i32>) -> bytes`
fn ftos(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    vm.ret_utf16(&units(&text::ftos(f64_of(arg(a, 0)))), arg(a, 1))
}

/// `value_to_string(dyn, ref<i32>) -> bytes`: `Std.string`, keeping the code units of the
/// strings inside the value (unpaired surrogates included), as HashLink copies them.
fn value_to_string(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let u = vm.dyn_to_units(arg(a, 0))?;
    vm.ret_utf16(&u, arg(a, 1))
}

/// `ucs2length(bytes, bytePos) -> i32`: units before the 0 terminator.
fn ucs2length(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let pos = argi(a, 1).max(0) as usize;
    let n = match vm.bytes_at(arg(a, 0)) {
        Some(d) => d.get(pos..).unwrap_or(&[]).chunks_exact(2).take_while(|c| c[0] != 0 || c[1] != 0).count(),
        None => return Err(vm.null_access(None)),
    };
    Ok(from_i32(n as i32))
}

/// `utf8_to_utf16(bytes, bytePos, ref<i32> byteSize) -> bytes`: 0-terminated UTF-8 input.
fn utf8_to_utf16(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let pos = argi(a, 1).max(0) as usize;
    let src: Vec<u8> = match vm.bytes_at(arg(a, 0)) {
        Some(d) => d.get(pos..).unwrap_or(&[]).iter().copied().take_while(|&b| b != 0).collect(),
        None => return Err(vm.null_access(None)),
    };
    let u = text::utf8_to_utf16(&src);
    // The size is reported in bytes (`String.fromUTF8` halves it).
    vm.set_ref_i32(arg(a, 2), (u.len() * 2) as i32)?;
    Ok(vm.alloc_utf16(&u))
}

/// `utf16_to_utf8(bytes, len, ref<i32>) -> bytes`: `len` units (`0` units included), or
/// up to the 0 terminator when `len` is 0; the result is 0-terminated, its size (without
/// the terminator) written to the reference.
fn utf16_to_utf8(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let len = argi(a, 1);
    let out = if len > 0 {
        vm.units_at(arg(a, 0), 0, len).map(|u| text::utf16_to_utf8_all(&u))
    } else {
        vm.read_utf16_z(arg(a, 0)).map(|u| text::utf16_to_utf8(&u))
    };
    let Some(mut out) = out else { return Err(vm.null_access(None)) };
    vm.set_ref_i32(arg(a, 2), out.len() as i32)?;
    out.push(0);
    Ok(vm.alloc_bytes_from(out))
}

fn case_conv(vm: &mut Vm, a: &[u64], f: fn(&[u16]) -> Vec<u16>) -> Result<u64, Exc> {
    let Some(u) = vm.units_at(arg(a, 0), argi(a, 1), argi(a, 2)) else { return Err(vm.out_of_bounds()) };
    let r = f(&u);
    Ok(vm.alloc_utf16(&r))
}

/// `ucs2_upper(bytes, bytePos, len) -> bytes`
fn ucs2_upper(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    case_conv(vm, a, text::ucs2_upper)
}

/// `ucs2_lower(bytes, bytePos, len) -> bytes`
fn ucs2_lower(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    case_conv(vm, a, text::ucs2_lower)
}

/// `parse_int(bytes, bytePos, byteLen) -> null<i32>`
fn parse_int(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(u) = vm.units_at(arg(a, 0), argi(a, 1), argi(a, 2) / 2) else { return Err(vm.out_of_bounds()) };
    match text::parse_int(&u) {
        Some(v) => {
            let t = vm.type_index(Type::I32);
            Ok(vm.to_dyn(from_i32(v), t))
        }
        None => Ok(0),
    }
}

/// `parse_float(bytes, bytePos, byteLen) -> f64`
fn parse_float(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(u) = vm.units_at(arg(a, 0), argi(a, 1), argi(a, 2) / 2) else { return Err(vm.out_of_bounds()) };
    Ok(text::parse_float(&u).to_bits())
}

/// `string_compare(bytes, bytes, len) -> i32`: compares `len` UTF-16 units the way
/// HashLink does (a byte-wise `memcmp`; only the sign is meaningful).
fn string_compare(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let n = argi(a, 2);
    let (Some(x), Some(y)) = (vm.units_at(arg(a, 0), 0, n), vm.units_at(arg(a, 1), 0, n)) else {
        return Err(vm.out_of_bounds());
    };
    Ok(from_i32(text::std_string_compare(&x, &y, n as usize)))
}

/// `url_encode(bytes, ref<i32>) -> bytes`
fn url_encode(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(u) = vm.read_utf16_z(arg(a, 0)) else { return Err(vm.null_access(None)) };
    let r = text::url_encode(&u);
    vm.ret_utf16(&r, arg(a, 1))
}

/// `url_decode(bytes, ref<i32>) -> bytes`
fn url_decode(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(u) = vm.read_utf16_z(arg(a, 0)) else { return Err(vm.null_access(None)) };
    match text::try_url_decode(&u) {
        Ok(r) => vm.ret_utf16(&r, arg(a, 1)),
        Err(e) => Err(vm.throw_msg(e.message())),
    }
}

/// `hash(bytes) -> i32`: field-name hash of a 0-terminated UTF-16 string.
fn hash(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let (h, off) = crate::value::bytes_ptr(arg(a, 0));
    if let Some(Obj::Bytes(data)) = vm.heap.get(h) {
        if let Some(k) = data.get(off..).and_then(|s| vm.field_names.known_utf16_le(s)) {
            return Ok(from_i32(k));
        }
    }
    let Some(u) = vm.read_utf16_z(arg(a, 0)) else { return Err(vm.null_access(None)) };
    Ok(from_i32(vm.field_names.intern_utf16(&u)))
}
