//! §6.10 arrays, §6.11 maps, §6.12 bytes, and the `hlt_*` type descriptors (§1.1).
//!
//! Layout notes (where this VM differs from HashLink, §6.10 "say so where it does
//! not"): `Array<Int>`, `Array<Float>` and `Array<Single>` keep their elements in
//! one contiguous buffer, which the pointer functions expose; `hl.NativeArray` and
//! `@:struct` instances keep every field in an 8-byte slot of the VM's heap rather
//! than in HashLink's C layout, so no C pointer to them can be given (raw
//! `hl.NativeArray` values from Haxe still work with `hlffi_array_length`, `_get`
//! and `_set`, in place).
//! `hlffi_native_array_new` therefore makes a Haxe `Array` of the element kind (its
//! buffer is contiguous for Int/Float/Single), map key/value snapshots are Haxe
//! `Array`s too, and the `@:struct` array functions fail with
//! `HLFFI_ERROR_NOT_IMPLEMENTED`. C-made byte buffers are `haxe.io.Bytes` (their
//! length is known).

use std::ffi::{c_char, c_int, c_void};

use hlffi_rs::{Array, ArrayKind, Bytes, Map, MapKind, Value, VmRef};

use crate::boundary::{vm_of, code, fail, guard, handle_vm, vm_opt, R};
use crate::values::{h, out, store};
use crate::vm::CVm;

/// `hl_type` stand-ins: hosts pass their addresses; only the address matters.
#[repr(C)]
pub struct HlType {
    kind: u32,
}

macro_rules! hlt {
    ($($name:ident = $kind:expr),*) => {
        $(
            #[no_mangle]
            #[allow(non_upper_case_globals, reason = "HashLink's names")]
            pub static $name: HlType = HlType { kind: $kind };
        )*
    };
}
hlt!(hlt_void = 0, hlt_i32 = 3, hlt_i64 = 4, hlt_f32 = 5, hlt_f64 = 6, hlt_bool = 7, hlt_bytes = 8, hlt_dyn = 9, hlt_array = 12, hlt_dynobj = 16, hlt_abstract = 17);

/// The descriptor behind an `hl_type*` (by address; NULL is Dynamic).
fn descriptor(p: *const c_void) -> Option<u32> {
    let all: [&HlType; 11] = [&hlt_void, &hlt_i32, &hlt_i64, &hlt_f32, &hlt_f64, &hlt_bool, &hlt_bytes, &hlt_dyn, &hlt_array, &hlt_dynobj, &hlt_abstract];
    all.iter().find(|t| std::ptr::eq(**t as *const HlType, p.cast())).map(|t| t.kind)
}

fn array_kind(p: *const c_void) -> R<ArrayKind> {
    if p.is_null() {
        return Ok(ArrayKind::Dynamic);
    }
    match descriptor(p) {
        Some(3) => Ok(ArrayKind::Int),
        Some(6) => Ok(ArrayKind::Float),
        Some(5) => Ok(ArrayKind::Single),
        Some(_) => Ok(ArrayKind::Dynamic),
        None => Err(fail(code::INVALID_TYPE, "element_type is not one of the hlt_* descriptors")),
    }
}

fn new_array(vm: &CVm, r: &VmRef, kind: ArrayKind, length: c_int) -> R<*mut c_void> {
    if length < 0 {
        return Err(fail(code::INVALID_ARGUMENT, format!("negative length {length}")));
    }
    let a = r.new_array(kind)?;
    for _ in 0..length {
        match kind {
            ArrayKind::Int => a.push(0)?,
            ArrayKind::Float => a.push(0.0f64)?,
            ArrayKind::Single => a.push(0.0f32)?,
            ArrayKind::Dynamic => a.push(())?,
        };
    }
    out(vm, a.value().clone())
}

/// The value of handle `p`, or Haxe `null` for a NULL pointer.
///
/// # Safety
/// `p` is NULL or a live handle.
unsafe fn value_or_null(r: &VmRef, p: *mut c_void) -> R<Value> {
    if p.is_null() {
        return Ok(r.null()?);
    }
    // SAFETY: forwarded contract.
    Ok(unsafe { h(p) }?.1.value.clone())
}

fn array(v: &Value) -> R<Array> {
    v.get::<Array>().map_err(|_| fail(code::INVALID_TYPE, format!("not an array: {}", v.type_name())))
}

fn index(i: c_int, len: usize) -> R<usize> {
    usize::try_from(i).ok().filter(|&i| i < len).ok_or_else(|| fail(code::INVALID_ARGUMENT, format!("index {i} out of range (length {len})")))
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`; `element_type` is NULL or an `hlt_*` address.
#[no_mangle]
pub unsafe extern "C" fn hlffi_array_new(vm: *mut c_void, element_type: *mut c_void, length: c_int) -> *mut c_void {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard(v, std::ptr::null_mut(), || {
        let vm = vm_of(v)?;
        new_array(vm, &vm.vref()?, array_kind(element_type)?, length)
    })
}

/// # Safety
/// `arr` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn hlffi_array_length(arr: *mut c_void) -> c_int {
    // SAFETY: C contract of this function.
    let v = unsafe { handle_vm(arr) };
    guard(v, -1, || {
        // SAFETY: C contract.
        let (_, hv) = unsafe { h(arr) }?;
        Ok(c_int::try_from(array(&hv.value)?.len()).unwrap_or(c_int::MAX))
    })
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`; `arr` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn hlffi_array_get(vm: *mut c_void, arr: *mut c_void, i: c_int) -> *mut c_void {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) }.or_else(|| unsafe { handle_vm(arr) });
    guard(v, std::ptr::null_mut(), || {
        // SAFETY: C contract.
        let (hvm, hv) = unsafe { h(arr) }?;
        let a = array(&hv.value)?;
        let i = index(i, a.len())?;
        out(hvm, a.get::<Value>(i)?)
    })
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`; `arr`, `value` are NULL or live handles.
#[no_mangle]
pub unsafe extern "C" fn hlffi_array_set(vm: *mut c_void, arr: *mut c_void, i: c_int, value: *mut c_void) -> bool {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) }.or_else(|| unsafe { handle_vm(arr) });
    guard(v, false, || {
        // SAFETY: C contract.
        let (hvm, hv) = unsafe { h(arr) }?;
        let a = array(&hv.value)?;
        let i = index(i, a.len())?;
        let r = hvm.vref()?;
        // SAFETY: `value` is NULL or a live handle (C contract of this function).
        let x = unsafe { value_or_null(&r, value) }?;
        store(&r, &x, |x| a.set(i, x)).map(|()| true)
    })
}

/// Grows the array in place (amortised O(1)): every holder sees the push.
///
/// # Safety
/// `vm` is NULL or from `hlffi_create`; `arr`, `value` are NULL or live handles.
#[no_mangle]
pub unsafe extern "C" fn hlffi_array_push(vm: *mut c_void, arr: *mut c_void, value: *mut c_void) -> bool {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) }.or_else(|| unsafe { handle_vm(arr) });
    guard(v, false, || {
        // SAFETY: C contract.
        let (hvm, hv) = unsafe { h(arr) }?;
        let a = array(&hv.value)?;
        let r = hvm.vref()?;
        // SAFETY: `value` is NULL or a live handle (C contract of this function).
        let x = unsafe { value_or_null(&r, value) }?;
        store(&r, &x, |x| a.push(x).map(|_| ())).map(|()| true)
    })
}

/// A Haxe `Array` of the element kind (see the module doc).
///
/// # Safety
/// As for `hlffi_array_new`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_native_array_new(vm: *mut c_void, element_type: *mut c_void, length: c_int) -> *mut c_void {
    // SAFETY: forwarded contract.
    unsafe { hlffi_array_new(vm, element_type, length) }
}

/// The contiguous element buffer of an `Array<Int>` (`int*`), `Array<Float>`
/// (`double*`) or `Array<Single>` (`float*`); valid until the array grows or dies.
/// NULL for other arrays (their elements are VM slots, not C values).
///
/// # Safety
/// `arr` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn hlffi_native_array_get_ptr(arr: *mut c_void) -> *mut c_void {
    // SAFETY: C contract of this function.
    let v = unsafe { handle_vm(arr) };
    guard(v, std::ptr::null_mut(), || {
        // SAFETY: C contract.
        let (_, hv) = unsafe { h(arr) }?;
        let a = array(&hv.value)?;
        if a.kind() == ArrayKind::Dynamic {
            return Err(fail(code::INVALID_TYPE, "only Array<Int>, Array<Float> and Array<Single> have a C element buffer"));
        }
        Ok(a.with_bytes_mut(|b| b.as_mut_ptr().cast::<c_void>())?)
    })
}

fn no_structs(v: Option<&CVm>) {
    if let Some(vm) = v {
        vm.record(&fail(
            code::NOT_IMPLEMENTED,
            "@:struct arrays are not supported: this VM keeps struct fields in 8-byte slots, not in HashLink's C layout",
        ));
    }
}

/// Not supported by this VM's object layout (module doc): NULL.
///
/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_array_new_struct(vm: *mut c_void, _struct_type: *mut c_void, _length: c_int) -> *mut c_void {
    // SAFETY: C contract of this function.
    no_structs(unsafe { vm_opt(vm) });
    std::ptr::null_mut()
}

/// Not supported (module doc): NULL.
///
/// # Safety
/// `arr` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn hlffi_array_get_struct(arr: *mut c_void, _index: c_int) -> *mut c_void {
    // SAFETY: C contract of this function.
    no_structs(unsafe { handle_vm(arr) });
    std::ptr::null_mut()
}

/// Not supported (module doc): false.
///
/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_array_set_struct(vm: *mut c_void, _arr: *mut c_void, _index: c_int, _struct_ptr: *mut c_void, _struct_size: c_int) -> bool {
    // SAFETY: C contract of this function.
    no_structs(unsafe { vm_opt(vm) });
    false
}

/// Not supported (module doc): NULL.
///
/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_native_array_new_struct(vm: *mut c_void, _struct_type: *mut c_void, _length: c_int) -> *mut c_void {
    // SAFETY: C contract of this function.
    no_structs(unsafe { vm_opt(vm) });
    std::ptr::null_mut()
}

/// Not supported (module doc): NULL.
///
/// # Safety
/// `arr` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn hlffi_native_array_get_struct_ptr(arr: *mut c_void) -> *mut c_void {
    // SAFETY: C contract of this function.
    no_structs(unsafe { handle_vm(arr) });
    std::ptr::null_mut()
}

// ---------------------------------------------------------------- 6.11 maps

fn map(v: &Value) -> R<Map> {
    v.get::<Map>().map_err(|_| fail(code::INVALID_TYPE, format!("not a map: {}", v.type_name())))
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`; the types are NULL or `hlt_*` addresses.
#[no_mangle]
pub unsafe extern "C" fn hlffi_map_new(vm: *mut c_void, key_type: *mut c_void, _value_type: *mut c_void) -> *mut c_void {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard(v, std::ptr::null_mut(), || {
        let vm = vm_of(v)?;
        let kind = match descriptor(key_type) {
            Some(3) => MapKind::Int,
            Some(8) => MapKind::String,
            _ => MapKind::Object,
        };
        out(vm, vm.vref()?.new_map(kind)?.value().clone())
    })
}

/// Runs `f` with the map and key of a map call.
fn with_map_key<T>(vm: *mut c_void, m: *mut c_void, key: *mut c_void, fallback: T, f: impl FnOnce(&CVm, &Map, &Value) -> R<T>) -> T {
    // SAFETY: callers forward their own arguments per their C contract.
    let v = unsafe { vm_opt(vm) }.or_else(|| unsafe { handle_vm(m) });
    guard(v, fallback, || {
        // SAFETY: as above.
        let (hvm, hv) = unsafe { h(m) }?;
        let mp = map(&hv.value)?;
        if key.is_null() {
            return Err(fail(code::INVALID_ARGUMENT, "key is NULL"));
        }
        // SAFETY: as above.
        let (_, k) = unsafe { h(key) }?;
        f(hvm, &mp, &k.value)
    })
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`; the others are NULL or live handles.
#[no_mangle]
pub unsafe extern "C" fn hlffi_map_set(vm: *mut c_void, m: *mut c_void, key: *mut c_void, value: *mut c_void) -> bool {
    with_map_key(vm, m, key, false, |hvm, mp, k| {
        let r = hvm.vref()?;
        // SAFETY: `value` is NULL or a live handle (C contract of this function).
        let x = unsafe { value_or_null(&r, value) }?;
        mp.set(k, &x)?;
        Ok(true)
    })
}

/// # Safety
/// As for `hlffi_map_set`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_map_get(vm: *mut c_void, m: *mut c_void, key: *mut c_void) -> *mut c_void {
    with_map_key(vm, m, key, std::ptr::null_mut(), |hvm, mp, k| match mp.get::<Value>(k)? {
        Some(v) => out(hvm, v),
        None => Err(fail(code::FIELD_NOT_FOUND, "no such key")),
    })
}

/// # Safety
/// As for `hlffi_map_set`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_map_exists(vm: *mut c_void, m: *mut c_void, key: *mut c_void) -> bool {
    with_map_key(vm, m, key, false, |_, mp, k| Ok(mp.exists(k)?))
}

/// # Safety
/// As for `hlffi_map_set`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_map_remove(vm: *mut c_void, m: *mut c_void, key: *mut c_void) -> bool {
    with_map_key(vm, m, key, false, |_, mp, k| Ok(mp.remove(k)?))
}

/// Keys or values as a Haxe `Array` snapshot.
fn snapshot(vm: *mut c_void, m: *mut c_void, keys: bool) -> *mut c_void {
    // SAFETY: callers forward their own arguments per their C contract.
    let v = unsafe { vm_opt(vm) }.or_else(|| unsafe { handle_vm(m) });
    guard(v, std::ptr::null_mut(), || {
        // SAFETY: as above.
        let (hvm, hv) = unsafe { h(m) }?;
        let mp = map(&hv.value)?;
        let r = hvm.vref()?;
        let (items, kind) = if keys {
            let kind = if mp.kind()? == MapKind::Int { ArrayKind::Int } else { ArrayKind::Dynamic };
            (mp.keys::<Value>()?, kind)
        } else {
            (mp.values::<Value>()?, ArrayKind::Dynamic)
        };
        let a = r.new_array(kind)?;
        for x in &items {
            a.push(x)?;
        }
        out(hvm, a.value().clone())
    })
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`; `m` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn hlffi_map_keys(vm: *mut c_void, m: *mut c_void) -> *mut c_void {
    snapshot(vm, m, true)
}

/// # Safety
/// As for `hlffi_map_keys`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_map_values(vm: *mut c_void, m: *mut c_void) -> *mut c_void {
    snapshot(vm, m, false)
}

/// # Safety
/// `m` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn hlffi_map_size(m: *mut c_void) -> c_int {
    // SAFETY: C contract of this function.
    let v = unsafe { handle_vm(m) };
    guard(v, -1, || {
        // SAFETY: C contract.
        let (_, hv) = unsafe { h(m) }?;
        Ok(c_int::try_from(map(&hv.value)?.len()).unwrap_or(c_int::MAX))
    })
}

/// # Safety
/// `m` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn hlffi_map_clear(m: *mut c_void) -> bool {
    // SAFETY: C contract of this function.
    let v = unsafe { handle_vm(m) };
    guard(v, false, || {
        // SAFETY: C contract.
        let (_, hv) = unsafe { h(m) }?;
        map(&hv.value)?.clear()?;
        Ok(true)
    })
}

// ---------------------------------------------------------------- 6.12 bytes

fn bytes(v: &Value) -> R<Bytes> {
    v.get::<Bytes>().map_err(|_| fail(code::INVALID_TYPE, format!("not haxe.io.Bytes: {}", v.type_name())))
}

fn new_bytes(vm: *mut c_void, data: impl FnOnce() -> R<Vec<u8>>) -> *mut c_void {
    // SAFETY: callers forward their own `vm` argument (NULL or from `hlffi_create`).
    let v = unsafe { vm_opt(vm) };
    guard(v, std::ptr::null_mut(), || {
        let vm = vm_of(v)?;
        let d = data()?;
        out(vm, vm.vref()?.new_bytes(&d)?.value().clone())
    })
}

fn size(n: c_int) -> R<usize> {
    usize::try_from(n).map_err(|_| fail(code::INVALID_ARGUMENT, format!("negative size {n}")))
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_bytes_new(vm: *mut c_void, n: c_int) -> *mut c_void {
    new_bytes(vm, || Ok(vec![0; size(n)?]))
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`; `data` is NULL or `n` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn hlffi_bytes_from_data(vm: *mut c_void, data: *const c_void, n: c_int) -> *mut c_void {
    new_bytes(vm, || {
        let n = size(n)?;
        if n == 0 {
            return Ok(Vec::new());
        }
        if data.is_null() {
            return Err(fail(code::INVALID_ARGUMENT, "data is NULL"));
        }
        // SAFETY: `n` readable bytes at `data` per the contract; copied at once.
        Ok(unsafe { std::slice::from_raw_parts(data.cast::<u8>(), n) }.to_vec())
    })
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`; `s` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn hlffi_bytes_from_string(vm: *mut c_void, s: *const c_char) -> *mut c_void {
    new_bytes(vm, || {
        if s.is_null() {
            return Err(fail(code::INVALID_ARGUMENT, "str is NULL"));
        }
        // SAFETY: a C string per the contract.
        Ok(unsafe { std::ffi::CStr::from_ptr(s) }.to_bytes().to_vec())
    })
}

fn on_bytes<T>(b: *mut c_void, fallback: T, f: impl FnOnce(&Bytes) -> R<T>) -> T {
    // SAFETY: callers forward their own handle argument.
    let v = unsafe { handle_vm(b) };
    guard(v, fallback, || {
        // SAFETY: as above.
        let (_, hv) = unsafe { h(b) }?;
        f(&bytes(&hv.value)?)
    })
}

/// The storage (writes are seen by Haxe); valid while the buffer lives.
///
/// # Safety
/// `b` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn hlffi_bytes_get_ptr(b: *mut c_void) -> *mut c_void {
    on_bytes(b, std::ptr::null_mut(), |x| Ok(x.with_slice_mut(|s| s.as_mut_ptr().cast::<c_void>())?))
}

/// # Safety
/// `b` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn hlffi_bytes_get_length(b: *mut c_void) -> c_int {
    on_bytes(b, -1, |x| Ok(c_int::try_from(x.len()).unwrap_or(c_int::MAX)))
}

/// `pos..pos+len` within a buffer of `total` bytes.
fn range(pos: c_int, len: c_int, total: usize) -> R<std::ops::Range<usize>> {
    let (p, l) = (size(pos)?, size(len)?);
    let end = p.checked_add(l).filter(|&e| e <= total).ok_or_else(|| fail(code::INVALID_ARGUMENT, format!("range {p}+{l} exceeds the length {total}")))?;
    Ok(p..end)
}

/// # Safety
/// `dst`, `src` are NULL or live handles.
#[no_mangle]
pub unsafe extern "C" fn hlffi_bytes_blit(dst: *mut c_void, dst_pos: c_int, src: *mut c_void, src_pos: c_int, len: c_int) -> bool {
    on_bytes(dst, false, |d| {
        // SAFETY: C contract.
        let (_, s) = unsafe { h(src) }?;
        let s = bytes(&s.value)?;
        // Copy out first: `memmove` semantics, also for the same buffer.
        let data = s.with_slice(|x| range(src_pos, len, x.len()).map(|r| x[r].to_vec()))??;
        d.with_slice_mut(|x| {
            let r = range(dst_pos, len, x.len())?;
            x[r].copy_from_slice(&data);
            Ok(true)
        })?
    })
}

/// # Safety
/// `a`, `b` are NULL or live handles.
#[no_mangle]
pub unsafe extern "C" fn hlffi_bytes_compare(a: *mut c_void, a_pos: c_int, b: *mut c_void, b_pos: c_int, len: c_int) -> c_int {
    on_bytes(a, 0, |x| {
        // SAFETY: C contract.
        let (_, y) = unsafe { h(b) }?;
        let y = bytes(&y.value)?;
        let left = x.with_slice(|s| range(a_pos, len, s.len()).map(|r| s[r].to_vec()))??;
        let right = y.with_slice(|s| range(b_pos, len, s.len()).map(|r| s[r].to_vec()))??;
        Ok(match left.cmp(&right) {
            std::cmp::Ordering::Less => -1,
            std::cmp::Ordering::Equal => 0,
            std::cmp::Ordering::Greater => 1,
        })
    })
}

/// # Safety
/// `b` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn hlffi_bytes_to_string(b: *mut c_void, length: c_int) -> *mut c_char {
    on_bytes(b, std::ptr::null_mut(), |x| {
        let data = x.with_slice(|s| range(0, length, s.len()).map(|r| s[r].to_vec()))??;
        // SAFETY: `malloc` of `len + 1` bytes, checked for NULL, then filled.
        let p = unsafe { libc::malloc(data.len() + 1) }.cast::<u8>();
        if p.is_null() {
            return Err(fail(code::OUT_OF_MEMORY, "out of memory"));
        }
        // SAFETY: `p` has room for `len + 1` bytes.
        unsafe {
            std::ptr::copy_nonoverlapping(data.as_ptr(), p, data.len());
            *p.add(data.len()) = 0;
        }
        Ok(p.cast())
    })
}

/// # Safety
/// `b` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn hlffi_bytes_get(b: *mut c_void, i: c_int) -> c_int {
    on_bytes(b, -1, |x| {
        let r = range(i, 1, x.len())?;
        Ok(c_int::from(x.get(r.start)?))
    })
}

fn byte(value: c_int) -> R<u8> {
    u8::try_from(value).map_err(|_| fail(code::INVALID_ARGUMENT, format!("byte value {value} is not 0-255")))
}

/// # Safety
/// `b` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn hlffi_bytes_set(b: *mut c_void, i: c_int, value: c_int) -> bool {
    on_bytes(b, false, |x| {
        let v = byte(value)?;
        let r = range(i, 1, x.len())?;
        x.set(r.start, v)?;
        Ok(true)
    })
}

/// # Safety
/// `b` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn hlffi_bytes_fill(b: *mut c_void, pos: c_int, len: c_int, value: c_int) -> bool {
    on_bytes(b, false, |x| {
        let v = byte(value)?;
        x.with_slice_mut(|s| {
            let r = range(pos, len, s.len())?;
            s[r].fill(v);
            Ok(true)
        })?
    })
}
