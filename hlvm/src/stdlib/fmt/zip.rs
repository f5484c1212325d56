//! zlib stream natives (`haxe.zip.Compress`, `haxe.zip.Uncompress` on HashLink):
//! `inflate_init`, `deflate_init`, `deflate_bound`, `zip_end`, `zip_flush_mode`,
//! `inflate_buffer`, `deflate_buffer`.
//!
//! A stream is an abstract `fmt_zip` handle holding a [`Stream`] and its flush mode
//! (initially "no flush"); the collector ends it when the handle dies. Behaviour follows
//! HashLink 1.17's `fmt.hdll` (checked with `haxe-tests/haxe/fmt_zip`):
//!
//! * `inflate_init(bits)`: bits 0 means 15; zlib's other rules apply (negative = raw
//!   deflate, +16 gzip, +32 auto-detect). `deflate_init(level)`: `-1..=9`.
//!   A refused parameter throws `ZLib Error : <code>` (e.g. `ZLib Error : -2`).
//! * `*_buffer(z, src, srcPos, srcLen, dst, dstPos, dstLen, read, write)`: feeds
//!   `src[srcPos..srcLen]` into `dst[dstPos..dstLen]` (the lengths are end positions)
//!   with the stream's flush mode, stores the bytes consumed and produced through the
//!   two refs, and returns whether zlib reported the end of the stream. A negative
//!   position or an end before its position throws `Out of range` (so do bytes past
//!   the end of the block, which HashLink would read or write blindly). Source and
//!   destination may be the same `Bytes`, even overlapping. Any negative zlib
//!   code throws `ZLib Error : <msg> (<code>)`, or `ZLib Error : <code>` when zlib set
//!   no message (so a call that can make no progress, `Z_BUF_ERROR`, throws
//!   `ZLib Error : -5`); the refs are then left alone. A stream that needs a preset
//!   dictionary returns false without error, as on HashLink.
//! * An empty `hl.Bytes` is a null pointer on HashLink (zero-size allocations are null),
//!   and zlib refuses a null output buffer (`ZLib Error : -2` when inflating,
//!   `ZLib Error : stream error (-2)` when deflating); we pass null for a zero-length
//!   block too, so that shows the same.
//! * `zip_flush_mode(z, mode)`: 0 none, 1 sync, 2 full, 3 finish, 4 block (the
//!   `haxe.zip.FlushMode` indexes); others throw `Invalid flush mode <n>`.
//! * `zip_end(z)`: frees zlib's state; ending twice is fine. HashLink crashes on a
//!   stream used after its end; here zlib refuses it (`ZLib Error : -2`).

use std::ffi::c_int;

use super::zlib::{self, Kind, Stream, Z_STREAM_END};
use crate::gc::{NativeObj, Obj, Slots};
use crate::stdlib::{arg, argi};
use crate::value::*;
use crate::vm::{Exc, Vm};

/// An `fmt_zip` handle's contents.
struct Zip {
    stream: Stream,
    /// zlib flush value used by every `*_buffer` call.
    flush: c_int,
}

fn zip_of(vm: &mut Vm, z: u64) -> Option<&mut Zip> {
    match vm.heap.get_mut(handle(z)) {
        Some(Obj::Native(NativeObj::Opaque(b))) => b.downcast_mut::<Zip>(),
        _ => None,
    }
}

/// HashLink's zlib exception text.
fn zlib_error_text(msg: Option<&str>, code: c_int) -> String {
    match msg {
        Some(m) => format!("ZLib Error : {m} ({code})"),
        None => format!("ZLib Error : {code}"),
    }
}

fn new_zip(vm: &mut Vm, made: Result<Stream, c_int>) -> Result<u64, Exc> {
    match made {
        Ok(stream) => {
            let z = Zip { stream, flush: zlib::Z_NO_FLUSH };
            Ok(vm.heap.alloc(Obj::Native(NativeObj::Opaque(Box::new(z).into()))) as u64)
        }
        Err(code) => Err(vm.throw_msg(&zlib_error_text(None, code))),
    }
}

/// `inflate_init(windowBits) -> fmt_zip`
pub(super) fn inflate_init(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let bits = match argi(a, 0) {
        0 => 15,
        b => b,
    };
    new_zip(vm, Stream::inflate(bits))
}

/// `deflate_init(level) -> fmt_zip`
pub(super) fn deflate_init(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    new_zip(vm, Stream::deflate(argi(a, 0)))
}

/// `deflate_bound(z, length) -> Int`: zlib's `deflateBound` (truncated to an Int, the
/// length sign-extended as HashLink's C conversion does).
pub(super) fn deflate_bound(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let len = argi(a, 1) as i64 as u64;
    let Some(z) = zip_of(vm, arg(a, 0)) else { return Err(vm.null_access(None)) };
    Ok(from_i32(z.stream.bound(len as libz_sys::uLong) as i32))
}

/// `zip_end(z)`
pub(super) fn zip_end(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(z) = zip_of(vm, arg(a, 0)) else { return Err(vm.null_access(None)) };
    z.stream.end();
    Ok(0)
}

/// `zip_flush_mode(z, mode)`
pub(super) fn zip_flush_mode(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let mode = argi(a, 1);
    let flush = match mode {
        0 => zlib::Z_NO_FLUSH,
        1 => zlib::Z_SYNC_FLUSH,
        2 => zlib::Z_FULL_FLUSH,
        3 => zlib::Z_FINISH,
        4 => zlib::Z_BLOCK,
        _ => return Err(vm.throw_msg(&format!("Invalid flush mode {mode}"))),
    };
    let Some(z) = zip_of(vm, arg(a, 0)) else { return Err(vm.null_access(None)) };
    z.flush = flush;
    Ok(0)
}

/// `inflate_buffer(z, src, srcPos, srcLen, dst, dstPos, dstLen, read, write) -> Bool`
pub(super) fn inflate_buffer(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    buffer(vm, a, Kind::Inflate)
}

/// `deflate_buffer(z, src, srcPos, srcLen, dst, dstPos, dstLen, read, write) -> Bool`
pub(super) fn deflate_buffer(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    buffer(vm, a, Kind::Deflate)
}

/// A byte range of an `hl.Bytes` argument, as the pointer HashLink's C code gets.
enum Range {
    /// A null pointer: a null slot, or offset 0 of a zero-length block (HashLink
    /// allocates nothing for zero bytes).
    Null,
    /// A non-null pointer with no bytes to touch.
    Empty,
    /// `len > 0` bytes from `start` in block `handle`.
    Block { handle: u32, start: usize, len: usize },
}

/// Resolves `b[pos..pos + len]`; `None` when the bytes do not lie inside the block.
fn range(vm: &Vm, b: u64, pos: usize, len: usize) -> Option<Range> {
    let (h, off) = bytes_ptr(b);
    let start = off.checked_add(pos)?;
    let size = if b == 0 {
        0
    } else {
        match vm.heap.get(h)? {
            Obj::Bytes(d) => d.len(),
            _ => return None,
        }
    };
    if len == 0 {
        return Some(if size == 0 && start == 0 { Range::Null } else { Range::Empty });
    }
    if b == 0 || start.checked_add(len)? > size {
        return None;
    }
    Some(Range::Block { handle: h, start, len })
}

fn buffer(vm: &mut Vm, a: &[u64], kind: Kind) -> Result<u64, Exc> {
    let (z, src, src_pos, src_end) = (arg(a, 0), arg(a, 1), argi(a, 2), argi(a, 3));
    let (dst, dst_pos, dst_end) = (arg(a, 4), argi(a, 5), argi(a, 6));
    let (read_ref, write_ref) = (arg(a, 7), arg(a, 8));
    let (src_len, dst_len) = (src_end.wrapping_sub(src_pos), dst_end.wrapping_sub(dst_pos));
    if src_pos < 0 || dst_pos < 0 || src_len < 0 || dst_len < 0 {
        return Err(vm.throw_msg("Out of range"));
    }
    let (Some(sr), Some(dr)) = (
        range(vm, src, src_pos as usize, src_len as usize),
        range(vm, dst, dst_pos as usize, dst_len as usize),
    ) else {
        return Err(vm.throw_msg("Out of range"));
    };
    // Lend the stream and the destination block out of the heap for the call, so that
    // the source can be borrowed from the heap beside them; both go back right after.
    // Nothing allocates meanwhile, so no collection can see the placeholders.
    let mut zip = match vm.heap.get_mut(handle(z)) {
        Some(Obj::Native(NativeObj::Opaque(slot))) if slot.is::<Zip>() => std::mem::replace(slot, Box::new(()).into()),
        _ => return Err(vm.null_access(None)),
    };
    let mut dst_block = match dr {
        Range::Block { handle, .. } => match vm.heap.get_mut(handle) {
            Some(Obj::Bytes(d)) => Some(std::mem::replace(d, Slots::from(Vec::new()))),
            _ => None,
        },
        _ => None,
    };
    let step = zip.downcast_mut::<Zip>().and_then(|zip| {
        let flush = zip.flush;
        call(vm, &mut zip.stream, kind, &sr, &dr, dst_block.as_deref_mut(), flush)
    });
    if let (Range::Block { handle, .. }, Some(d)) = (&dr, dst_block) {
        if let Some(Obj::Bytes(slot)) = vm.heap.get_mut(*handle) {
            *slot = d;
        }
    }
    let message = zip.downcast_ref::<Zip>().and_then(|zip| zip.stream.message());
    if let Some(Obj::Native(NativeObj::Opaque(slot))) = vm.heap.get_mut(handle(z)) {
        *slot = zip;
    }
    let Some(step) = step else { return Err(vm.throw_msg("Out of range")) };
    if step.code < 0 {
        return Err(vm.throw_msg(&zlib_error_text(message.as_deref(), step.code)));
    }
    vm.set_ref_i32(read_ref, step.read as i32)?;
    vm.set_ref_i32(write_ref, step.written as i32)?;
    Ok(u64::from(step.code == Z_STREAM_END))
}

/// One zlib call from `sr` into `dr`, whose block (if any) is `dst`, already taken out
/// of the heap (a source in that same block is read from it, overlaps and all). `None`
/// if a range no longer resolves.
fn call(vm: &Vm, stream: &mut Stream, kind: Kind, sr: &Range, dr: &Range, dst: Option<&mut [u8]>, flush: c_int) -> Option<zlib::Step> {
    if let (Range::Block { handle, start, len }, Range::Block { handle: dh, start: ds, len: dl }) = (sr, dr) {
        if handle == dh {
            return stream.step_within(kind, dst?, *start..start + len, *ds..ds + dl, flush);
        }
    }
    let input: Option<&[u8]> = match sr {
        Range::Null => None,
        Range::Empty => Some(&[]),
        Range::Block { handle, start, len } => match vm.heap.get(*handle)? {
            Obj::Bytes(d) => Some(d.get(*start..start + len)?),
            _ => return None,
        },
    };
    let output: Option<&mut [u8]> = match dr {
        Range::Null => None,
        Range::Empty => Some(&mut []),
        Range::Block { start, len, .. } => Some(dst?.get_mut(*start..start + len)?),
    };
    Some(stream.step(kind, input, output, flush))
}
