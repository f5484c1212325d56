//! `stdlib`: HashLink's standard natives (`@:hlNative("std", ...)`) and those of its
//! `fmt` library, one file (or folder) per area, each with a table listing its
//! `(name, implementation)` pairs.
//!
//! A native receives the argument slots in register format (see [`crate::value`]) and
//! returns its result slot. `ref<T>` arguments are register references
//! ([`Vm::ref_write`]). Natives must not keep heap handles across a call back into
//! Haxe code unless they are rooted (`Vm::temp_roots`).

use rustc_hash::FxHashMap as HashMap;

use crate::gc::Obj;
use crate::module::FnSlot;
use crate::value::*;
use crate::vm::{Exc, Vm};

mod array;
mod bytes;
mod fmt;
mod maps;
pub(crate) mod net;
#[allow(dead_code, reason = "the regexp module's full API is unit-tested; the natives use part of it")]
mod regexp;
mod obj;
mod process;
mod sort;
mod ssl;
mod string;
mod sys;
mod thread;
pub(crate) mod text;

pub(crate) type Table = &'static [(&'static str, crate::module::NativeFn)];

/// Adds every standard native (library `std`) and the `fmt` and `ssl` natives to `reg`.
pub(crate) fn register(reg: &mut HashMap<(String, String), FnSlot>) {
    for table in [string::NATIVES, bytes::NATIVES, array::NATIVES, maps::NATIVES, obj::NATIVES, sys::NATIVES, thread::NATIVES, regexp::NATIVES, net::NATIVES, process::NATIVES] {
        for &(name, f) in table {
            reg.insert(("std".to_string(), name.to_string()), FnSlot::Native(f));
        }
    }
    for &(name, f) in fmt::NATIVES {
        reg.insert((fmt::LIB.to_string(), name.to_string()), FnSlot::Native(f));
    }
    for &(name, f) in ssl::NATIVES {
        reg.insert((ssl::LIB.to_string(), name.to_string()), FnSlot::Native(f));
    }
}

/// Placeholder for natives of optional libraries (`?lib`) that are not available.
pub(crate) fn missing_native(vm: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    Err(vm.throw_msg("Native function is not available"))
}

/// A native with nothing to do here; returns 0 (false / null / void).
pub(crate) fn noop(_: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    Ok(0)
}

/// A native that always succeeds; returns `true`.
pub(crate) fn ret_true(_: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    Ok(1)
}

/// `len` bytes from byte `pos` of a `Bytes` slot (empty when `len` is 0, whatever the
/// slot); `None` when outside the block.
pub(crate) fn byte_range(vm: &Vm, b: u64, pos: i32, len: i32) -> Option<&[u8]> {
    if pos < 0 || len < 0 {
        return None;
    }
    if len == 0 {
        return Some(&[]);
    }
    vm.bytes_at(b)?.get(pos as usize..pos as usize + len as usize)
}

/// Retries an I/O call interrupted by a signal (`EINTR`).
pub(crate) fn retry<T>(mut f: impl FnMut() -> std::io::Result<T>) -> std::io::Result<T> {
    loop {
        match f() {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            r => return r,
        }
    }
}

/// [`byte_range`], writable.
pub(crate) fn byte_range_mut(vm: &mut Vm, b: u64, pos: i32, len: i32) -> Option<&mut [u8]> {
    if pos < 0 || len < 0 {
        return None;
    }
    if len == 0 {
        return Some(&mut []);
    }
    vm.bytes_at_mut(b)?.get_mut(pos as usize..pos as usize + len as usize)
}

/// Argument `i` (0 when missing).
#[inline]
pub(crate) fn arg(a: &[u64], i: usize) -> u64 {
    a.get(i).copied().unwrap_or(0)
}

/// Argument `i` as an Int.
#[inline]
pub(crate) fn argi(a: &[u64], i: usize) -> i32 {
    i32_of(arg(a, i))
}

impl Vm {
    /// The bytes of the block a `Bytes` slot points into, from its offset on.
    pub(crate) fn bytes_at(&self, b: u64) -> Option<&[u8]> {
        let (h, off) = bytes_ptr(b);
        match self.heap.get(h)? {
            Obj::Bytes(d) => d.get(off..),
            _ => None,
        }
    }

    /// Mutable bytes from a `Bytes` slot's offset on.
    pub(crate) fn bytes_at_mut(&mut self, b: u64) -> Option<&mut [u8]> {
        let (h, off) = bytes_ptr(b);
        match self.heap.get_mut(h)? {
            Obj::Bytes(d) => d.get_mut(off..),
            _ => None,
        }
    }

    /// Allocates a bytes block holding `data`.
    pub(crate) fn alloc_bytes_from(&mut self, data: Vec<u8>) -> u64 {
        make_bytes(self.heap.alloc(Obj::Bytes(data.into())), 0)
    }

    /// UTF-16 units at a `Bytes` slot: `len` units from byte `pos`.
    pub(crate) fn units_at(&self, b: u64, pos: i32, len: i32) -> Option<Vec<u16>> {
        if pos < 0 || len < 0 {
            return None;
        }
        let d = self.bytes_at(b)?;
        let s = d.get(pos as usize..pos as usize + len as usize * 2)?;
        Some(s.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect())
    }

    /// Stores an Int through a `ref<i32>` argument (ignored when null).
    pub(crate) fn set_ref_i32(&mut self, r: u64, v: i32) -> Result<(), Exc> {
        if r == 0 {
            return Ok(());
        }
        self.ref_write(r, from_i32(v))
    }

    /// Returns UTF-16 `units` as a new bytes block, writing the unit count to `len_ref`.
    pub(crate) fn ret_utf16(&mut self, units: &[u16], len_ref: u64) -> Result<u64, Exc> {
        self.set_ref_i32(len_ref, units.len() as i32)?;
        Ok(self.alloc_utf16(units))
    }

    /// Throws HashLink's bounds error for a bad native argument.
    pub(crate) fn out_of_bounds(&mut self) -> Exc {
        self.throw_msg("Out of bounds")
    }
}
