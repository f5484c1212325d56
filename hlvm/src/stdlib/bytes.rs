//! bytes natives: allocation, blit, compare, fill, find, and typed sorts.

use super::{arg, argi, Table};
use crate::code::Type;
use crate::value::*;
use crate::vm::{Exc, Vm};

pub(super) const NATIVES: Table = &[
    ("alloc_bytes", alloc_bytes),
    ("bytes_address", bytes_address),
    ("bytes_from_address", bytes_from_address),
    ("bytes_blit", bytes_blit),
    ("bytes_compare", bytes_compare),
    ("bytes_compare16", bytes_compare16),
    ("bytes_fill", bytes_fill),
    ("bytes_find", bytes_find),
    ("bsort_i32", bsort_i32),
    ("bsort_f64", bsort_f64),
    ("bytes_offset", bytes_offset),
    ("bytes_subtract", bytes_subtract),
];

/// `alloc_bytes(size) -> bytes`: zero-filled; a negative size throws `Invalid allocation
/// size`, HashLink's allocator error.
fn alloc_bytes(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let n = argi(a, 0);
    if n < 0 {
        return Err(vm.throw_msg("Invalid allocation size"));
    }
    Ok(vm.alloc_bytes_from(vec![0; n as usize]))
}

/// `bytes_blit(dst, dstPos, src, srcPos, len)`: overlapping copies allowed.
fn bytes_blit(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let (dst, dpos, src, spos, len) = (arg(a, 0), argi(a, 1), arg(a, 2), argi(a, 3), argi(a, 4));
    if dpos < 0 || spos < 0 || len < 0 {
        return Err(vm.out_of_bounds());
    }
    if len == 0 {
        return Ok(0);
    }
    let (dh, doff) = bytes_ptr(dst);
    let (sh, soff) = bytes_ptr(src);
    let (d0, s0, n) = (doff + dpos as usize, soff + spos as usize, len as usize);
    if dh == sh {
        let Some(crate::gc::Obj::Bytes(data)) = vm.heap.get_mut(dh) else { return Err(vm.null_access(None)) };
        if d0 + n > data.len() || s0 + n > data.len() {
            return Err(vm.out_of_bounds());
        }
        data.copy_within(s0..s0 + n, d0);
        return Ok(0);
    }
    // Straight from one block to the other (a `StringBuf` growing blits all it holds).
    let Some((crate::gc::Obj::Bytes(d), crate::gc::Obj::Bytes(s))) = vm.heap.get2_mut(dh, sh) else {
        return Err(vm.out_of_bounds());
    };
    match (d.get_mut(d0..).and_then(|d| d.get_mut(..n)), s.get(s0..).and_then(|s| s.get(..n))) {
        (Some(d), Some(s)) => d.copy_from_slice(s),
        _ => return Err(vm.out_of_bounds()),
    }
    Ok(0)
}

/// `bytes_compare(a, aPos, b, bPos, len) -> i32`: memcmp sign.
///
/// HashLink runs `memcmp` on raw memory, which stops being meaningful past a block's end
/// but in practice returns at the first difference: `haxe.Resource` relies on that,
/// comparing a resource name with a longer or shorter one for the wanted name's length.
/// So the ranges may run past their blocks as long as a difference is found first; only
/// a comparison that would need bytes beyond a block throws `Out of bounds`.
fn bytes_compare(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let (x, xp, y, yp, n) = (arg(a, 0), argi(a, 1), arg(a, 2), argi(a, 3), argi(a, 4));
    if xp < 0 || yp < 0 || n < 0 {
        return Err(vm.out_of_bounds());
    }
    if n == 0 {
        return Ok(0);
    }
    let r = {
        let sx = vm.bytes_at(x).map(|d| d.get(xp as usize..).unwrap_or(&[]));
        let sy = vm.bytes_at(y).map(|d| d.get(yp as usize..).unwrap_or(&[]));
        match (sx, sy) {
            (Some(sx), Some(sy)) => {
                let avail = sx.len().min(sy.len()).min(n as usize);
                match sx[..avail].iter().zip(&sy[..avail]).find(|(p, q)| p != q) {
                    Some((p, q)) => Some(p.cmp(q) as i32),
                    None if avail == n as usize => Some(0),
                    None => None,
                }
            }
            _ => None,
        }
    };
    match r {
        Some(r) => Ok(from_i32(r)),
        None => Err(vm.out_of_bounds()),
    }
}

/// `bytes_compare16(a, b, len) -> i32`: first differing UTF-16 unit difference.
fn bytes_compare16(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let n = argi(a, 2);
    let (Some(x), Some(y)) = (vm.units_at(arg(a, 0), 0, n), vm.units_at(arg(a, 1), 0, n)) else {
        return Err(vm.out_of_bounds());
    };
    Ok(from_i32(super::text::bytes_compare16(&x, &y, n as usize)))
}

/// `bytes_fill(b, pos, len, value)`
fn bytes_fill(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let (pos, len, v) = (argi(a, 1), argi(a, 2), argi(a, 3) as u8);
    if pos < 0 || len < 0 {
        return Err(vm.out_of_bounds());
    }
    match vm.bytes_at_mut(arg(a, 0)).and_then(|d| d.get_mut(pos as usize..pos as usize + len as usize)) {
        Some(d) => d.fill(v),
        None => return Err(vm.out_of_bounds()),
    }
    Ok(0)
}

/// `bytes_find(b, pos, len, needle, npos, nlen) -> i32`: absolute position or -1.
fn bytes_find(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let (pos, len, npos, nlen) = (argi(a, 1), argi(a, 2), argi(a, 4), argi(a, 5));
    if pos < 0 || len < 0 || npos < 0 || nlen < 0 {
        return Err(vm.out_of_bounds());
    }
    let hay = vm.bytes_at(arg(a, 0)).and_then(|d| d.get(pos as usize..pos as usize + len as usize));
    let needle = vm.bytes_at(arg(a, 3)).and_then(|d| d.get(npos as usize..npos as usize + nlen as usize));
    let (Some(hay), Some(needle)) = (hay, needle) else { return Err(vm.out_of_bounds()) };
    if needle.is_empty() {
        return Ok(from_i32(pos));
    }
    let r = memchr::memmem::find(hay, needle).map_or(-1, |i| i as i32 + pos);
    Ok(from_i32(r))
}

/// The elements of a `bsort_*` call, read and written in the bytes block itself.
struct BytesSort<'v> {
    vm: &'v mut Vm,
    bytes: u64,
    start: usize,
    size: usize,
    cmp: u32,
    elem_t: u32,
    int_t: u32,
}

impl super::sort::SortTarget for BytesSort<'_> {
    type Item = u64;

    fn get(&mut self, i: usize) -> u64 {
        let at = self.start + i * self.size;
        match self.vm.bytes_at(self.bytes).and_then(|d| d.get(at..at + self.size)) {
            Some(c) if c.len() == 4 => u32::from_le_bytes([c[0], c[1], c[2], c[3]]) as u64,
            Some(c) if c.len() == 8 => u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]),
            _ => 0,
        }
    }

    fn set(&mut self, i: usize, v: u64) {
        let (at, size) = (self.start + i * self.size, self.size);
        if let Some(c) = self.vm.bytes_at_mut(self.bytes).and_then(|d| d.get_mut(at..at + size)) {
            c.copy_from_slice(&v.to_le_bytes()[..size]);
        }
    }

    fn compare(&mut self, a: u64, b: u64) -> Result<i32, Exc> {
        let (t, it) = (self.elem_t, self.int_t);
        Ok(i32_of(self.vm.call_closure_typed(self.cmp, &[a, b], &[t, t], it)?))
    }
}

fn bsort(vm: &mut Vm, a: &[u64], size: usize, ty: Type) -> Result<u64, Exc> {
    let (b, pos, len, f) = (arg(a, 0), argi(a, 1), argi(a, 2), arg(a, 3));
    if pos < 0 || len < 0 {
        return Err(vm.out_of_bounds());
    }
    // `pos` is a byte offset (HashLink sorts the elements at `bytes + pos`), and the sort
    // works in place: a comparator that reads the array sees it being sorted.
    let (start, end) = (pos as usize, pos as usize + len as usize * size);
    if vm.bytes_at(b).and_then(|d| d.get(start..end)).is_none() {
        return Err(vm.out_of_bounds());
    }
    let (elem_t, int_t) = (vm.type_index(ty), vm.type_index(Type::I32));
    let mut target = BytesSort { vm, bytes: b, start, size, cmp: handle(f), elem_t, int_t };
    super::sort::sort(&mut target, len as usize).map(|()| 0)
}

/// `bsort_i32(bytes, pos, len, cmp)`: stable sort of `len` Ints from byte offset `pos`.
fn bsort_i32(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    bsort(vm, a, 4, Type::I32)
}

/// `bsort_f64(bytes, pos, len, cmp)`: stable sort of `len` Floats from byte offset `pos`.
fn bsort_f64(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    bsort(vm, a, 8, Type::F64)
}

/// `bytes_offset(b, delta) -> bytes`
fn bytes_offset(_vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let (h, off) = bytes_ptr(arg(a, 0));
    Ok(make_bytes(h, (off as i64 + argi(a, 1) as i64).max(0) as usize))
}

/// `bytes_subtract(a, b) -> i32`: offset difference within one block.
fn bytes_subtract(_vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let (_, x) = bytes_ptr(arg(a, 0));
    let (_, y) = bytes_ptr(arg(a, 1));
    Ok(from_i32(x as i32 - y as i32))
}

/// `bytes_address(b, high: ref<i32>) -> i32`: an "address" for `b`. Memory is addressed
/// by handles here, so the address is the byte offset (low word) and the block handle
/// (high word); [`bytes_from_address`] turns it back into the same `hl.Bytes`.
fn bytes_address(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let (h, off) = bytes_ptr(arg(a, 0));
    let high = arg(a, 1);
    if high != 0 {
        vm.ref_write(high, from_i32(h as i32))?;
    }
    Ok(from_i32(off as i32))
}

/// `bytes_from_address(low, high) -> bytes`: the inverse of [`bytes_address`]; null
/// when `high` does not name a bytes block.
fn bytes_from_address(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let h = argi(a, 1) as u32;
    let off = argi(a, 0).max(0) as usize;
    match vm.heap.get(h) {
        Some(crate::gc::Obj::Bytes(_)) => Ok(make_bytes(h, off)),
        _ => Ok(0),
    }
}
