//! §6.13 enums and the value half of §6.14 abstracts.

use std::ffi::{c_char, c_int, c_void};

use hlffi_rs::{EnumValue, TypeKind, Value};

use crate::boundary::{vm_of, args, c_str, code, fail, guard, handle_vm, malloc_str, vm_opt, R};
use crate::values::{h, out};
use crate::vm::CVm;

/// Constructor names of enum `name`.
fn constructors(vm: &CVm, name: &str) -> R<Vec<String>> {
    let info = vm.vref()?.find_type(name)?;
    if info.kind != TypeKind::Enum {
        return Err(fail(code::TYPE_NOT_FOUND, format!("{name} is not an enum")));
    }
    Ok(info.constructors)
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`; `type_name` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn hlffi_enum_get_construct_count(vm: *mut c_void, type_name: *const c_char) -> c_int {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard(v, -1, || {
        // SAFETY: C contract.
        let name = unsafe { c_str(type_name, "type_name") }?;
        Ok(c_int::try_from(constructors(vm_of(v)?, name)?.len()).unwrap_or(c_int::MAX))
    })
}

/// # Safety
/// As for `hlffi_enum_get_construct_count`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_enum_get_construct_name(vm: *mut c_void, type_name: *const c_char, index: c_int) -> *mut c_char {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard(v, std::ptr::null_mut(), || {
        // SAFETY: C contract.
        let name = unsafe { c_str(type_name, "type_name") }?;
        let c = constructors(vm_of(v)?, name)?;
        let n = usize::try_from(index).ok().and_then(|i| c.get(i)).ok_or_else(|| fail(code::INVALID_ARGUMENT, format!("{name} has no constructor {index}")))?;
        Ok(malloc_str(n))
    })
}

fn on_enum<T>(value: *mut c_void, fallback: T, f: impl FnOnce(&CVm, &EnumValue) -> R<T>) -> T {
    // SAFETY: callers forward their own handle argument.
    let v = unsafe { handle_vm(value) };
    guard(v, fallback, || {
        // SAFETY: as above.
        let (vm, hv) = unsafe { h(value) }?;
        let e = hv.value.get::<EnumValue>().map_err(|_| fail(code::INVALID_TYPE, format!("not an enum value: {}", hv.value.type_name())))?;
        f(vm, &e)
    })
}

/// # Safety
/// `value` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn hlffi_enum_get_index(value: *mut c_void) -> c_int {
    on_enum(value, -1, |_, e| Ok(c_int::try_from(e.index()).unwrap_or(c_int::MAX)))
}

/// # Safety
/// `value` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn hlffi_enum_get_name(value: *mut c_void) -> *mut c_char {
    on_enum(value, std::ptr::null_mut(), |_, e| Ok(malloc_str(&e.constructor())))
}

/// # Safety
/// `value` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn hlffi_enum_get_param_count(value: *mut c_void) -> c_int {
    on_enum(value, -1, |_, e| Ok(c_int::try_from(e.param_count()).unwrap_or(c_int::MAX)))
}

/// # Safety
/// `value` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn hlffi_enum_get_param(value: *mut c_void, param_index: c_int) -> *mut c_void {
    on_enum(value, std::ptr::null_mut(), |vm, e| {
        let i = usize::try_from(param_index)
            .ok()
            .filter(|&i| i < e.param_count())
            .ok_or_else(|| fail(code::INVALID_ARGUMENT, format!("parameter {param_index} out of range ({} parameters)", e.param_count())))?;
        out(vm, e.param::<Value>(i)?)
    })
}

fn ctor_index(index: c_int) -> R<usize> {
    usize::try_from(index).map_err(|_| fail(code::INVALID_ARGUMENT, format!("negative constructor index {index}")))
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`; `type_name` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn hlffi_enum_alloc_simple(vm: *mut c_void, type_name: *const c_char, index: c_int) -> *mut c_void {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard(v, std::ptr::null_mut(), || {
        let vm = vm_of(v)?;
        // SAFETY: C contract.
        let name = unsafe { c_str(type_name, "type_name") }?;
        let e = vm.vref()?.enum_value(name, ctor_index(index)?, ())?;
        out(vm, e.value().clone())
    })
}

/// # Safety
/// As for `hlffi_enum_alloc_simple`; `params` holds `nparam` handles.
#[no_mangle]
pub unsafe extern "C" fn hlffi_enum_alloc(vm: *mut c_void, type_name: *const c_char, index: c_int, nparam: c_int, params: *mut *mut c_void) -> *mut c_void {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard(v, std::ptr::null_mut(), || {
        let vm = vm_of(v)?;
        // SAFETY: C contract.
        let name = unsafe { c_str(type_name, "type_name") }?;
        // SAFETY: C contract.
        let a = unsafe { args(vm, nparam, params) }?;
        let e = vm.vref()?.enum_value(name, ctor_index(index)?, a)?;
        out(vm, e.value().clone())
    })
}

/// # Safety
/// `value` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn hlffi_enum_is(value: *mut c_void, index: c_int) -> bool {
    on_enum(value, false, |_, e| Ok(usize::try_from(index).is_ok_and(|i| i == e.index())))
}

/// # Safety
/// `value` is NULL or a live handle; `name` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn hlffi_enum_is_named(value: *mut c_void, name: *const c_char) -> bool {
    on_enum(value, false, |_, e| {
        // SAFETY: C contract.
        let n = unsafe { c_str(name, "name") }?;
        Ok(e.constructor() == n)
    })
}

// ---------------------------------------------------------------- 6.14 (values)

/// # Safety
/// `value` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn hlffi_value_is_abstract(value: *mut c_void) -> bool {
    // SAFETY: C contract of this function.
    let v = unsafe { handle_vm(value) };
    guard(v, false, || {
        // SAFETY: C contract.
        let (vm, hv) = unsafe { h(value) }?;
        Ok(crate::types::abstract_name_of(vm, &hv.value)?.is_some())
    })
}

/// # Safety
/// `value` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn hlffi_value_get_abstract_name(value: *mut c_void) -> *mut c_char {
    // SAFETY: C contract of this function.
    let v = unsafe { handle_vm(value) };
    guard(v, std::ptr::null_mut(), || {
        // SAFETY: C contract.
        let (vm, hv) = unsafe { h(value) }?;
        let n = crate::types::abstract_name_of(vm, &hv.value)?.ok_or_else(|| fail(code::INVALID_TYPE, "not an abstract value"))?;
        Ok(malloc_str(&n))
    })
}
