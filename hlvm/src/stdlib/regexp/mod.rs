//! regexp natives (`EReg`): PCRE2 with HashLink's options and positions.
//!
//! HashLink runs the 16-bit PCRE2 library on UTF-16 strings; we run the 8-bit one
//! (the vendored build of `pcre2-sys`) on the UTF-8 form and map offsets back, so
//! every position reported is in UTF-16 units as HashLink reports them. The only
//! `unsafe` code is in `ffi`.

mod error;
mod ffi;
mod pattern;
mod regex;
mod subject;

pub use regex::Regex;

use super::{arg, argi, Table};
use crate::gc::{NativeObj, Obj};
use crate::value::*;
use crate::vm::{Exc, Vm};

pub(super) const NATIVES: Table = &[
    ("regexp_new_options", regexp_new_options),
    ("regexp_match", regexp_match),
    ("regexp_matched_pos", regexp_matched_pos),
    ("regexp_matched_num", regexp_matched_num),
];

fn regex_of(vm: &mut Vm, r: u64) -> Option<&mut Regex> {
    match vm.heap.get_mut(handle(r)) {
        Some(Obj::Native(NativeObj::Opaque(b))) => b.downcast_mut::<Regex>(),
        _ => None,
    }
}

/// `regexp_new_options(pattern, options) -> ereg`: null for an unknown option,
/// throws HashLink's compilation message for a bad pattern.
fn regexp_new_options(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let (Some(p), Some(o)) = (vm.read_utf16_z(arg(a, 0)), vm.read_utf16_z(arg(a, 1))) else {
        return Err(vm.null_access(None));
    };
    match Regex::hl_new(&p, &o) {
        Ok(Some(r)) => Ok(vm.heap.alloc(Obj::Native(NativeObj::Opaque(Box::new(r).into()))) as u64),
        Ok(None) => Ok(0),
        Err(msg) => {
            let s = vm.alloc_string_utf16(&msg)?;
            Err(vm.throw_value(s))
        }
    }
}

/// `regexp_match(ereg, str, pos, len) -> bool`
fn regexp_match(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let (pos, len) = (argi(a, 2), argi(a, 3));
    let end = pos as i64 + len as i64;
    if pos < 0 || len < 0 || end > i32::MAX as i64 {
        return Err(vm.throw_msg(error::HL_MATCH_ERROR));
    }
    let Some(units) = vm.units_at(arg(a, 1), 0, end as i32) else { return Err(vm.null_access(None)) };
    let Some(r) = regex_of(vm, arg(a, 0)) else { return Err(vm.null_access(None)) };
    match r.hl_match(&units, pos, len) {
        Ok(b) => Ok(b as u64),
        Err(msg) => Err(vm.throw_msg(&msg)),
    }
}

/// `regexp_matched_pos(ereg, n, ref<i32> len) -> i32`
fn regexp_matched_pos(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(r) = regex_of(vm, arg(a, 0)) else { return Err(vm.null_access(None)) };
    match r.hl_matched_pos(argi(a, 1)) {
        Ok((p, l)) => {
            vm.set_ref_i32(arg(a, 2), l)?;
            Ok(from_i32(p))
        }
        Err(msg) => Err(vm.throw_msg(&msg)),
    }
}

/// `regexp_matched_num(ereg) -> i32`
fn regexp_matched_num(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(r) = regex_of(vm, arg(a, 0)) else { return Err(vm.null_access(None)) };
    Ok(from_i32(r.hl_matched_num()))
}
