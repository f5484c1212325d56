//! maps natives: `hl_bytes_map` (String keys), `hl_int_map`, `hl_obj_map`.
//! Values are `Dynamic` slots. String and Int maps iterate in HashLink's order (see
//! [`crate::rt::MapTable`]); object maps in an order of their own (HashLink's depends on
//! addresses).

use rustc_hash::FxHashMap as HashMap;

use super::{arg, argi, Table};
use crate::code::Type;
use crate::rt::bytesmap as rt;
use crate::rt::{BytesMap, MapTable};
use crate::gc::{NativeObj, Obj};
use crate::value::*;
use crate::vm::{Exc, Vm};

pub(super) const NATIVES: Table = &[
    ("hballoc", hballoc),
    ("hbset", hbset),
    ("hbget", hbget),
    ("hbexists", hbexists),
    ("hbremove", hbremove),
    ("hbkeys", hbkeys),
    ("hbvalues", hbvalues),
    ("hbclear", hbclear),
    ("hialloc", hialloc),
    ("hiset", hiset),
    ("higet", higet),
    ("hiexists", hiexists),
    ("hiremove", hiremove),
    ("hikeys", hikeys),
    ("hivalues", hivalues),
    ("hiclear", hiclear),
    ("hoalloc", hoalloc),
    ("hoset", hoset),
    ("hoget", hoget),
    ("hoexists", hoexists),
    ("horemove", horemove),
    ("hokeys", hokeys),
    ("hovalues", hovalues),
    ("hoclear", hoclear),
];

fn hballoc(vm: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    Ok(vm.heap.alloc(Obj::Native(NativeObj::BytesMap(Box::default()))) as u64)
}
fn hialloc(vm: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    Ok(vm.heap.alloc(Obj::Native(NativeObj::IntMap(Box::default()))) as u64)
}
fn hoalloc(vm: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    Ok(vm.heap.alloc(Obj::Native(NativeObj::ObjMap(Box::default()))) as u64)
}

fn bmap(vm: &Vm, m: u64) -> Result<&BytesMap, Exc> {
    match vm.heap.get(handle(m)) {
        Some(Obj::Native(NativeObj::BytesMap(map))) => Ok(map),
        _ => Err(Exc::Internal("not a bytes map".into())),
    }
}
fn bmap_mut(vm: &mut Vm, m: u64) -> Result<&mut BytesMap, Exc> {
    match vm.heap.get_mut(handle(m)) {
        Some(Obj::Native(NativeObj::BytesMap(map))) => Ok(map),
        _ => Err(Exc::Internal("not a bytes map".into())),
    }
}
fn imap(vm: &mut Vm, m: u64) -> Result<&mut MapTable<i32>, Exc> {
    match vm.heap.get_mut(handle(m)) {
        Some(Obj::Native(NativeObj::IntMap(map))) => Ok(map),
        _ => Err(Exc::Internal("not an int map".into())),
    }
}
fn omap(vm: &mut Vm, m: u64) -> Result<&mut HashMap<u32, (u64, u64)>, Exc> {
    match vm.heap.get_mut(handle(m)) {
        Some(Obj::Native(NativeObj::ObjMap(map))) => Ok(map),
        _ => Err(Exc::Internal("not an object map".into())),
    }
}

/// The slot of map `m`'s entry for key `k` (a `Bytes` slot), if any; a null key is a
/// null access, as in HashLink.
fn bfind(vm: &mut Vm, m: u64, k: u64) -> Result<Option<usize>, Exc> {
    let map = bmap(vm, m)?;
    match rt::key_text(&vm.heap, k) {
        Some(text) => Ok(rt::find_text(map, &vm.heap, rt::key_hash(text), text)),
        None => Err(vm.null_access(None)),
    }
}

fn hbset(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let (m, v) = (arg(a, 0), arg(a, 2));
    let Some(at) = rt::set_at(bmap(vm, m)?, &vm.heap, arg(a, 1)) else { return Err(vm.null_access(None)) };
    at.apply(bmap_mut(vm, m)?, v);
    Ok(0)
}
fn hbget(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let i = bfind(vm, arg(a, 0), arg(a, 1))?;
    Ok(i.and_then(|i| bmap(vm, arg(a, 0)).ok()?.value_at(i).copied()).unwrap_or(0))
}
fn hbexists(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    Ok(bfind(vm, arg(a, 0), arg(a, 1))?.is_some() as u64)
}
fn hbremove(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(i) = bfind(vm, arg(a, 0), arg(a, 1))? else { return Ok(0) };
    Ok(bmap_mut(vm, arg(a, 0))?.remove_at(i).is_some() as u64)
}
fn hbclear(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    bmap_mut(vm, arg(a, 0))?.clear();
    Ok(0)
}
/// The keys, as the `Bytes` they were set with (HashLink gives back the pointers it stored).
fn hbkeys(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let data: Vec<u64> = bmap(vm, arg(a, 0))?.keys().map(|k| k.slot()).collect();
    let elem = vm.type_index(Type::Bytes);
    Ok(vm.heap.alloc(Obj::Array { elem, data: data.into() }) as u64)
}
fn hbvalues(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let data: Vec<u64> = bmap(vm, arg(a, 0))?.values().copied().collect();
    let elem = vm.type_index(Type::Dyn);
    Ok(vm.heap.alloc(Obj::Array { elem, data: data.into() }) as u64)
}

fn hiset(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    imap(vm, arg(a, 0))?.insert(argi(a, 1), arg(a, 2));
    Ok(0)
}
fn higet(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    Ok(imap(vm, arg(a, 0))?.get(&argi(a, 1)).copied().unwrap_or(0))
}
fn hiexists(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    Ok(imap(vm, arg(a, 0))?.contains_key(&argi(a, 1)) as u64)
}
fn hiremove(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    Ok(imap(vm, arg(a, 0))?.remove(&argi(a, 1)).is_some() as u64)
}
fn hiclear(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    imap(vm, arg(a, 0))?.clear();
    Ok(0)
}
fn hikeys(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let data: Vec<u64> = imap(vm, arg(a, 0))?.keys().map(|&k| from_i32(k)).collect();
    let elem = vm.type_index(Type::I32);
    Ok(vm.heap.alloc(Obj::Array { elem, data: data.into() }) as u64)
}
fn hivalues(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let data: Vec<u64> = imap(vm, arg(a, 0))?.values().copied().collect();
    let elem = vm.type_index(Type::Dyn);
    Ok(vm.heap.alloc(Obj::Array { elem, data: data.into() }) as u64)
}

/// An object-map key as HashLink stores it: a virtual (an interface or structure view)
/// stands for the object it views, so one object is one key however it is typed; a
/// standalone record first gets a backing dynamic object.
fn okey(vm: &mut Vm, k: u64) -> u64 {
    match vm.heap.get(handle(k)) {
        Some(Obj::Virtual { .. }) => vm.virtual_make_value(k),
        _ => k,
    }
}
fn hoset(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let k = okey(vm, arg(a, 1));
    omap(vm, arg(a, 0))?.insert(handle(k), (k, arg(a, 2)));
    Ok(0)
}
fn hoget(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let k = okey(vm, arg(a, 1));
    Ok(omap(vm, arg(a, 0))?.get(&handle(k)).map(|e| e.1).unwrap_or(0))
}
fn hoexists(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let k = okey(vm, arg(a, 1));
    Ok(omap(vm, arg(a, 0))?.contains_key(&handle(k)) as u64)
}
fn horemove(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let k = okey(vm, arg(a, 1));
    Ok(omap(vm, arg(a, 0))?.remove(&handle(k)).is_some() as u64)
}
fn hoclear(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    omap(vm, arg(a, 0))?.clear();
    Ok(0)
}
fn hokeys(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let data: Vec<u64> = omap(vm, arg(a, 0))?.values().map(|e| e.0).collect();
    let elem = vm.type_index(Type::Dyn);
    Ok(vm.heap.alloc(Obj::Array { elem, data: data.into() }) as u64)
}
fn hovalues(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let data: Vec<u64> = omap(vm, arg(a, 0))?.values().map(|e| e.1).collect();
    let elem = vm.type_index(Type::Dyn);
    Ok(vm.heap.alloc(Obj::Array { elem, data: data.into() }) as u64)
}
