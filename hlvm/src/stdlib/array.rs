//! array natives (`hl.NativeArray`).

use super::{arg, argi, Table};
use crate::gc::Obj;
use crate::value::*;
use crate::vm::{Exc, Vm};

pub(super) const NATIVES: Table = &[("alloc_array", alloc_array), ("array_blit", array_blit), ("array_type", array_type)];

/// `alloc_array(type, size) -> array`; a negative size throws `Invalid array size`, as
/// HashLink does.
fn alloc_array(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let t = arg(a, 0);
    let n = argi(a, 1);
    if n < 0 {
        return Err(vm.throw_msg("Invalid array size"));
    }
    if t == 0 || t as usize > vm.types.len() {
        return Err(vm.out_of_bounds());
    }
    Ok(vm.heap.alloc(Obj::Array { elem: t as u32 - 1, data: vec![0; n as usize].into() }) as u64)
}

/// `array_blit(dst, dstPos, src, srcPos, len)`
fn array_blit(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let (dst, dp, src, sp, n) = (handle(arg(a, 0)), argi(a, 1), handle(arg(a, 2)), argi(a, 3), argi(a, 4));
    if dp < 0 || sp < 0 || n < 0 {
        return Err(vm.out_of_bounds());
    }
    let (dp, sp, n) = (dp as usize, sp as usize, n as usize);
    let chunk = match vm.heap.get(src) {
        Some(Obj::Array { data, .. }) if sp + n <= data.len() => data[sp..sp + n].to_vec(),
        _ => return Err(vm.out_of_bounds()),
    };
    match vm.heap.get_mut(dst) {
        Some(Obj::Array { data, .. }) if dp + n <= data.len() => data[dp..dp + n].copy_from_slice(&chunk),
        _ => return Err(vm.out_of_bounds()),
    }
    Ok(0)
}

/// `array_type(array) -> type`: the element type.
fn array_type(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    match vm.heap.get(handle(arg(a, 0))) {
        Some(Obj::Array { elem, .. }) => Ok(*elem as u64 + 1),
        _ => Err(vm.null_access(None)),
    }
}
