//! §6.7 values, §6.8 statics, §6.9 instances, §6.16 exceptions, §6.17 cached calls.
//!
//! Conversions follow §5.1 rule 9: a value is first offered as it is; when Haxe
//! needs another scalar kind (an Int slot given a Float...), the converted scalar is
//! offered instead ([`store`]).

use std::ffi::{c_char, c_int, c_void};

use hlffi_rs::{Error, Object, StaticFn, Value, ValueKind, VmRef};

use crate::boundary::{vm_of, 
    args, c_str, code, fail, free_handle, guard, handle, handle_vm, malloc_box, malloc_str, malloc_unbox, new_handle, vm_opt, Fail, HValue, R,
};
use crate::vm::{lock, CVm};

/// A handle for the host, or `OUT_OF_MEMORY`.
pub(crate) fn out(vm: &CVm, v: Value) -> R<*mut c_void> {
    let h = new_handle(vm, v);
    if h.is_null() {
        return Err(fail(code::OUT_OF_MEMORY, "out of memory"));
    }
    Ok(h)
}

/// A call result for the host: `Void` becomes a handle holding `null` (§6.8).
pub(crate) fn out_result(vm: &CVm, vref: &VmRef, v: Value) -> R<*mut c_void> {
    if v.is_void() {
        return out(vm, vref.null()?);
    }
    out(vm, v)
}

/// `v` as another scalar kind, for slots that need it (§5.1 rule 9).
fn alternatives(vref: &VmRef, v: &Value) -> Vec<Value> {
    let mut alt = Vec::new();
    match v.kind() {
        ValueKind::Float => {
            if let Ok(f) = v.get::<f64>() {
                alt.extend(vref.to_value(float_to_int(f)));
            }
        }
        ValueKind::Bool => {
            if let Ok(b) = v.get::<bool>() {
                alt.extend(vref.to_value(i32::from(b)));
            }
        }
        ValueKind::Int => {
            if let Ok(i) = v.get::<i32>() {
                alt.extend(vref.to_value(i != 0));
            }
        }
        _ => {}
    }
    alt
}

/// Stores `v` with `put`, retrying with converted scalars on a type mismatch.
pub(crate) fn store(vref: &VmRef, v: &Value, put: impl Fn(&Value) -> hlffi_rs::Result<()>) -> R<()> {
    match put(v) {
        Err(e @ Error::TypeMismatch { .. }) => {
            for a in alternatives(vref, v) {
                if put(&a).is_ok() {
                    return Ok(());
                }
            }
            Err(e.into())
        }
        r => r.map_err(Into::into),
    }
}

fn float_to_int(f: f64) -> i32 {
    // Truncation toward zero, saturating (NaN gives 0), as `as` does.
    f as i32
}

pub(crate) fn as_int(v: &Value) -> Option<i32> {
    // The common case first: one VM access instead of two.
    if let Ok(i) = v.get::<i32>() {
        return Some(i);
    }
    match v.kind() {
        ValueKind::Int => v.get::<i32>().ok(),
        ValueKind::Float => v.get::<f64>().ok().map(float_to_int),
        ValueKind::Bool => v.get::<bool>().ok().map(i32::from),
        _ => None,
    }
}

pub(crate) fn as_float(v: &Value) -> Option<f64> {
    match v.kind() {
        ValueKind::Float => v.get::<f64>().ok(),
        ValueKind::Int => v.get::<i32>().ok().map(f64::from),
        _ => None,
    }
}

pub(crate) fn as_bool(v: &Value) -> Option<bool> {
    match v.kind() {
        ValueKind::Bool => v.get::<bool>().ok(),
        ValueKind::Int => v.get::<i32>().ok().map(|i| i != 0),
        _ => None,
    }
}

pub(crate) fn as_string(v: &Value) -> Option<String> {
    (v.kind() == ValueKind::String).then(|| v.get::<String>().ok()).flatten()
}

/// The VM and handle of a handle argument.
///
/// # Safety
/// `p` is NULL or a live handle.
pub(crate) unsafe fn h<'a>(p: *mut c_void) -> R<(&'a CVm, &'a HValue)> {
    // SAFETY: forwarded contract.
    let hv = unsafe { handle(p) }?;
    // SAFETY: a handle's VM outlives it (handles are invalid after destroy, §6.1).
    let vm = unsafe { hv.vm.as_ref() }.ok_or_else(|| fail(code::NULL_VM, "the handle has no VM"))?;
    vm.check_thread()?;
    Ok((vm, hv))
}

// ---------------------------------------------------------------- 6.7 values

fn make(vm: *mut c_void, f: impl FnOnce(&VmRef) -> hlffi_rs::Result<Value>) -> *mut c_void {
    // SAFETY: every caller forwards its own `vm` argument, NULL or from `hlffi_create`.
    let v = unsafe { vm_opt(vm) };
    guard(v, std::ptr::null_mut(), || {
        let vm = vm_of(v)?;
        let r = vm.vref()?;
        out(vm, f(&r)?)
    })
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_value_int(vm: *mut c_void, value: c_int) -> *mut c_void {
    make(vm, |r| r.to_value(value))
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_value_float(vm: *mut c_void, value: f64) -> *mut c_void {
    make(vm, |r| r.to_value(value))
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_value_f32(vm: *mut c_void, value: f32) -> *mut c_void {
    make(vm, |r| r.to_value(value))
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_value_bool(vm: *mut c_void, value: bool) -> *mut c_void {
    make(vm, |r| r.to_value(value))
}

/// `NULL` input gives `NULL` (the header's rule).
///
/// # Safety
/// `vm` is NULL or from `hlffi_create`; `s` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn hlffi_value_string(vm: *mut c_void, s: *const c_char) -> *mut c_void {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard(v, std::ptr::null_mut(), || {
        let vm = vm_of(v)?;
        // SAFETY: C contract.
        let s = unsafe { c_str(s, "the string") }?;
        out(vm, vm.vref()?.to_value(s)?)
    })
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_value_null(vm: *mut c_void) -> *mut c_void {
    make(vm, |r| r.null())
}

/// # Safety
/// `value` is NULL or a live handle, not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn hlffi_value_free(value: *mut c_void) {
    if value.is_null() {
        return;
    }
    // SAFETY: C contract of this function.
    let v = unsafe { handle_vm(value) };
    guard(v, (), || {
        // SAFETY: C contract: a live handle.
        let (vm, _) = unsafe { h(value) }?;
        vm.check_thread()?;
        // SAFETY: checked live above; the host gives it up.
        unsafe { free_handle(value) };
        Ok(())
    });
}

fn read<T>(value: *mut c_void, fallback: T, f: impl FnOnce(&Value) -> Option<T>) -> T {
    // SAFETY: every caller forwards its own `value` argument (NULL or a live handle).
    let v = unsafe { handle_vm(value) };
    guard(v, fallback, || {
        // SAFETY: as above.
        let (_, hv) = unsafe { h(value) }?;
        f(&hv.value).ok_or_else(|| fail(code::TYPE_MISMATCH, format!("the value is {}", hv.value.type_name())))
    })
}

/// # Safety
/// `value` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn hlffi_value_as_int(value: *mut c_void, fallback: c_int) -> c_int {
    read(value, fallback, as_int)
}

/// # Safety
/// `value` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn hlffi_value_as_float(value: *mut c_void, fallback: f64) -> f64 {
    read(value, fallback, as_float)
}

/// # Safety
/// `value` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn hlffi_value_as_f32(value: *mut c_void, fallback: f32) -> f32 {
    read(value, fallback, |v| as_float(v).map(|f| f as f32))
}

/// # Safety
/// `value` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn hlffi_value_as_bool(value: *mut c_void, fallback: bool) -> bool {
    read(value, fallback, as_bool)
}

/// # Safety
/// `value` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn hlffi_value_as_string(value: *mut c_void) -> *mut c_char {
    read(value, std::ptr::null_mut(), |v| as_string(v).map(|s| malloc_str(&s)))
}

/// # Safety
/// `value` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn hlffi_value_is_null(value: *mut c_void) -> bool {
    if value.is_null() {
        return true;
    }
    read(value, true, |v| Some(v.is_null() || v.is_void()))
}

// ---------------------------------------------------------------- 6.8 statics

/// # Safety
/// `vm` is NULL or from `hlffi_create`; names are NULL or C strings.
#[no_mangle]
pub unsafe extern "C" fn hlffi_get_static_field(vm: *mut c_void, class_name: *const c_char, field_name: *const c_char) -> *mut c_void {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard(v, std::ptr::null_mut(), || {
        let vm = vm_of(v)?;
        // SAFETY: C contract.
        let (c, f) = unsafe { (c_str(class_name, "class_name")?, c_str(field_name, "field_name")?) };
        let r = vm.vref()?;
        out(vm, r.get_static::<Value>(c, f)?)
    })
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`; names are NULL or C strings; `value` is NULL
/// or a live handle.
#[no_mangle]
pub unsafe extern "C" fn hlffi_set_static_field(vm: *mut c_void, class_name: *const c_char, field_name: *const c_char, value: *mut c_void) -> c_int {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    crate::boundary::guard_code(v, || {
        let vm = vm_of(v)?;
        // SAFETY: C contract.
        let (c, f) = unsafe { (c_str(class_name, "class_name")?, c_str(field_name, "field_name")?) };
        if value.is_null() {
            return Err(fail(code::INVALID_ARGUMENT, "value is NULL (use hlffi_value_null for null)"));
        }
        // SAFETY: C contract.
        let (_, hv) = unsafe { h(value) }?;
        let r = vm.vref()?;
        store(&r, &hv.value, |x| r.set_static(c, f, x))
    })
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`; names are NULL or C strings; `argv` holds
/// `argc` handles (or NULLs).
#[no_mangle]
pub unsafe extern "C" fn hlffi_call_static(vm: *mut c_void, class_name: *const c_char, method_name: *const c_char, argc: c_int, argv: *mut *mut c_void) -> *mut c_void {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard(v, std::ptr::null_mut(), || {
        let vm = vm_of(v)?;
        // SAFETY: C contract.
        unsafe { call_static(vm, class_name, method_name, argc, argv) }
    })
}

/// # Safety
/// As for `hlffi_call_static`.
unsafe fn call_static(vm: &CVm, class_name: *const c_char, method_name: *const c_char, argc: c_int, argv: *mut *mut c_void) -> R<*mut c_void> {
    // SAFETY: C contract.
    let (c, m) = unsafe { (c_str(class_name, "class_name")?, c_str(method_name, "method_name")?) };
    // SAFETY: C contract.
    let a = unsafe { args(vm, argc, argv) }?;
    let r = vm.vref()?;
    let v = r.call_static::<Value>(c, m, a)?;
    out_result(vm, &r, v)
}

// ---------------------------------------------------------------- 6.9 instances

fn object(hv: &HValue) -> R<Object> {
    hv.value.get::<Object>().map_err(|_| fail(code::INVALID_TYPE, format!("not an object: {}", hv.value.type_name())))
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`; `class_name` is NULL or a C string; `argv`
/// holds `argc` handles (or NULLs).
#[no_mangle]
pub unsafe extern "C" fn hlffi_new(vm: *mut c_void, class_name: *const c_char, argc: c_int, argv: *mut *mut c_void) -> *mut c_void {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard(v, std::ptr::null_mut(), || {
        let vm = vm_of(v)?;
        // SAFETY: C contract.
        let c = unsafe { c_str(class_name, "class_name") }?;
        // SAFETY: C contract.
        let a = unsafe { args(vm, argc, argv) }?;
        let o = vm.vref()?.new_instance(c, a)?;
        out(vm, o.value().clone())
    })
}

/// Runs `f` on the object `obj` with field/method `name`; the failure goes to the
/// handle's VM.
fn on_object<T>(obj: *mut c_void, name: *const c_char, fallback: T, f: impl FnOnce(&CVm, &Object, &str) -> R<T>) -> T {
    // SAFETY: every caller forwards its own `obj` argument (NULL or a live handle).
    let v = unsafe { handle_vm(obj) };
    guard(v, fallback, || {
        // SAFETY: as above.
        let (vm, hv) = unsafe { h(obj) }?;
        // SAFETY: callers forward their own name argument (NULL or a C string).
        let name = unsafe { c_str(name, "name") }?;
        f(vm, &object(hv)?, name)
    })
}

/// # Safety
/// `obj` is NULL or a live handle; `field_name` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn hlffi_get_field(obj: *mut c_void, field_name: *const c_char) -> *mut c_void {
    on_object(obj, field_name, std::ptr::null_mut(), |vm, o, f| out(vm, o.get::<Value>(f)?))
}

/// # Safety
/// `obj`, `value` are NULL or live handles; `field_name` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn hlffi_set_field(obj: *mut c_void, field_name: *const c_char, value: *mut c_void) -> bool {
    on_object(obj, field_name, false, |vm, o, f| {
        if value.is_null() {
            return Err(fail(code::INVALID_ARGUMENT, "value is NULL (use hlffi_value_null for null)"));
        }
        // SAFETY: C contract.
        let (_, hv) = unsafe { h(value) }?;
        let r = vm.vref()?;
        store(&r, &hv.value, |x| o.set(f, x)).map(|()| true)
    })
}

fn field_conv<T>(obj: *mut c_void, name: *const c_char, fallback: T, conv: impl FnOnce(&Value) -> Option<T>) -> T {
    on_object(obj, name, fallback, |_, o, f| {
        let v = o.get::<Value>(f)?;
        conv(&v).ok_or_else(|| fail(code::TYPE_MISMATCH, format!("field {f} holds {}", v.type_name())))
    })
}

/// # Safety
/// `obj` is NULL or a live handle; `field_name` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn hlffi_get_field_int(obj: *mut c_void, field_name: *const c_char, fallback: c_int) -> c_int {
    field_conv(obj, field_name, fallback, as_int)
}

/// # Safety
/// `obj` is NULL or a live handle; `field_name` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn hlffi_get_field_float(obj: *mut c_void, field_name: *const c_char, fallback: f32) -> f32 {
    field_conv(obj, field_name, fallback, |v| as_float(v).map(|f| f as f32))
}

/// # Safety
/// `obj` is NULL or a live handle; `field_name` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn hlffi_get_field_bool(obj: *mut c_void, field_name: *const c_char, fallback: bool) -> bool {
    field_conv(obj, field_name, fallback, as_bool)
}

/// # Safety
/// `obj` is NULL or a live handle; `field_name` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn hlffi_get_field_string(obj: *mut c_void, field_name: *const c_char) -> *mut c_char {
    field_conv(obj, field_name, std::ptr::null_mut(), |v| as_string(v).map(|s| malloc_str(&s)))
}

fn set_conv(vm: *mut c_void, obj: *mut c_void, name: *const c_char, make: impl FnOnce(&VmRef) -> hlffi_rs::Result<Value>) -> bool {
    // The handle's VM boxes the value; `vm` may be NULL, but not something else.
    // SAFETY: every caller forwards its own `vm` argument (NULL or from `hlffi_create`).
    if !vm.is_null() && unsafe { vm_opt(vm) }.is_none() {
        return false;
    }
    on_object(obj, name, false, |hvm, o, f| {
        let r = hvm.vref()?;
        let v = make(&r)?;
        store(&r, &v, |x| o.set(f, x)).map(|()| true)
    })
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`; `obj` is NULL or a live handle;
/// `field_name` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn hlffi_set_field_int(vm: *mut c_void, obj: *mut c_void, field_name: *const c_char, value: c_int) -> bool {
    set_conv(vm, obj, field_name, |r| r.to_value(value))
}

/// # Safety
/// As for `hlffi_set_field_int`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_set_field_float(vm: *mut c_void, obj: *mut c_void, field_name: *const c_char, value: f32) -> bool {
    set_conv(vm, obj, field_name, |r| r.to_value(f64::from(value)))
}

/// # Safety
/// As for `hlffi_set_field_int`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_set_field_bool(vm: *mut c_void, obj: *mut c_void, field_name: *const c_char, value: bool) -> bool {
    set_conv(vm, obj, field_name, |r| r.to_value(value))
}

/// # Safety
/// As for `hlffi_set_field_int`; `value` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn hlffi_set_field_string(vm: *mut c_void, obj: *mut c_void, field_name: *const c_char, value: *const c_char) -> bool {
    // SAFETY: C contract.
    let s = match unsafe { c_str(value, "value") } {
        Ok(s) => s.to_string(),
        Err(f) => {
            // SAFETY: C contract.
            if let Some(vm) = unsafe { handle_vm(obj) } {
                vm.record(&f);
            }
            return false;
        }
    };
    set_conv(vm, obj, field_name, move |r| r.to_value(s))
}

/// Calls method `name` of `obj`; `Void` results become `null`.
fn call_method(obj: *mut c_void, name: *const c_char, argc: c_int, argv: *mut *mut c_void) -> R<(&'static CVm, Value)> {
    // SAFETY: callers forward their own arguments, per their C contract.
    let (vm, hv) = unsafe { h(obj) }?;
    // SAFETY: as above.
    let name = unsafe { c_str(name, "method_name") }?;
    let o = object(hv)?;
    // SAFETY: as above.
    let a = unsafe { args(vm, argc, argv) }?;
    let v = o.call::<Value>(name, a)?;
    let v = if v.is_void() { vm.vref()?.null()? } else { v };
    // SAFETY: the VM outlives every use the callers make of it (within their call).
    Ok((unsafe { &*(vm as *const CVm) }, v))
}

fn method_conv<T>(obj: *mut c_void, name: *const c_char, argc: c_int, argv: *mut *mut c_void, fallback: T, conv: impl FnOnce(&CVm, Value) -> R<T>) -> T {
    // SAFETY: callers forward their own `obj` argument.
    let v = unsafe { handle_vm(obj) };
    guard(v, fallback, || {
        let (vm, r) = call_method(obj, name, argc, argv)?;
        conv(vm, r)
    })
}

fn mismatch(v: &Value) -> Fail {
    fail(code::TYPE_MISMATCH, format!("the result is {}", v.type_name()))
}

/// # Safety
/// `obj` is NULL or a live handle; `method_name` is NULL or a C string; `argv` holds
/// `argc` handles (or NULLs).
#[no_mangle]
pub unsafe extern "C" fn hlffi_call_method(obj: *mut c_void, method_name: *const c_char, argc: c_int, argv: *mut *mut c_void) -> *mut c_void {
    method_conv(obj, method_name, argc, argv, std::ptr::null_mut(), out)
}

/// # Safety
/// As for `hlffi_call_method`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_call_method_void(obj: *mut c_void, method_name: *const c_char, argc: c_int, argv: *mut *mut c_void) -> bool {
    method_conv(obj, method_name, argc, argv, false, |_, _| Ok(true))
}

/// # Safety
/// As for `hlffi_call_method`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_call_method_int(obj: *mut c_void, method_name: *const c_char, argc: c_int, argv: *mut *mut c_void, fallback: c_int) -> c_int {
    method_conv(obj, method_name, argc, argv, fallback, |_, v| as_int(&v).ok_or_else(|| mismatch(&v)))
}

/// # Safety
/// As for `hlffi_call_method`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_call_method_float(obj: *mut c_void, method_name: *const c_char, argc: c_int, argv: *mut *mut c_void, fallback: f32) -> f32 {
    method_conv(obj, method_name, argc, argv, fallback, |_, v| as_float(&v).map(|f| f as f32).ok_or_else(|| mismatch(&v)))
}

/// # Safety
/// As for `hlffi_call_method`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_call_method_bool(obj: *mut c_void, method_name: *const c_char, argc: c_int, argv: *mut *mut c_void, fallback: bool) -> bool {
    method_conv(obj, method_name, argc, argv, fallback, |_, v| as_bool(&v).ok_or_else(|| mismatch(&v)))
}

/// # Safety
/// As for `hlffi_call_method`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_call_method_string(obj: *mut c_void, method_name: *const c_char, argc: c_int, argv: *mut *mut c_void) -> *mut c_char {
    method_conv(obj, method_name, argc, argv, std::ptr::null_mut(), |_, v| as_string(&v).map(|s| malloc_str(&s)).ok_or_else(|| mismatch(&v)))
}

/// Exact class or a subclass (the spec lets hosts depend on neither answer for
/// subclasses).
///
/// # Safety
/// `obj` is NULL or a live handle; `class_name` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn hlffi_is_instance_of(obj: *mut c_void, class_name: *const c_char) -> bool {
    on_object(obj, class_name, false, |_, o, c| Ok(o.is_instance_of(c)?))
}

// ---------------------------------------------------------------- 6.16 exceptions

/// Stores the text for `*out_error`: the exception's message or the error's.
fn out_error_ptr(vm: &CVm, is_exception: bool) -> *const c_char {
    if is_exception {
        if let Some((m, _)) = lock(&vm.exception).as_ref() {
            return m.as_ptr();
        }
    }
    vm.error_ptr()
}

/// Shared body of the `try` calls.
///
/// # Safety
/// `out_result`/`out_error` are NULL or writable.
unsafe fn try_call(vm: Option<&CVm>, call: impl FnOnce() -> R<*mut c_void>, out_result: *mut *mut c_void, out_error: *mut *const c_char) -> c_int {
    let (result, status, err) = match vm {
        None => (std::ptr::null_mut(), 2, c"the VM is NULL (or the handle is invalid)".as_ptr()),
        Some(vm) => {
            *lock(&vm.exception) = None;
            let r: Result<*mut c_void, bool> = guard(Some(vm), Err(false), || {
                Ok(match call() {
                    Ok(p) => Ok(p),
                    Err(f) => {
                        vm.record(&f);
                        Err(f.exception.is_some())
                    }
                })
            });
            match r {
                Ok(p) => (p, 0, std::ptr::null()),
                Err(is_exception) => {
                    (std::ptr::null_mut(), if is_exception { 1 } else { 2 }, out_error_ptr(vm, is_exception))
                }
            }
        }
    };
    if !out_result.is_null() {
        // SAFETY: writable per the contract.
        unsafe { *out_result = result };
    } else if !result.is_null() {
        // Nobody takes the result: release it.
        // SAFETY: just made by this library.
        unsafe { free_handle(result) };
    }
    if !out_error.is_null() {
        // SAFETY: writable per the contract.
        unsafe { *out_error = err };
    }
    status
}

/// # Safety
/// As for `hlffi_call_static`; `out_result`/`out_error` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn hlffi_try_call_static(
    vm: *mut c_void,
    class_name: *const c_char,
    method_name: *const c_char,
    argc: c_int,
    argv: *mut *mut c_void,
    out_result: *mut *mut c_void,
    out_error: *mut *const c_char,
) -> c_int {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    // SAFETY: C contract (forwarded).
    unsafe {
        try_call(
            v,
            || {
                let vm = vm_of(v)?;
                call_static(vm, class_name, method_name, argc, argv)
            },
            out_result,
            out_error,
        )
    }
}

/// # Safety
/// As for `hlffi_call_method`; `out_result`/`out_error` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn hlffi_try_call_method(
    obj: *mut c_void,
    method_name: *const c_char,
    argc: c_int,
    argv: *mut *mut c_void,
    out_result: *mut *mut c_void,
    out_error: *mut *const c_char,
) -> c_int {
    // SAFETY: C contract of this function.
    let v = unsafe { handle_vm(obj) };
    // SAFETY: C contract (forwarded).
    unsafe {
        try_call(
            v,
            || {
                let (vm, r) = call_method(obj, method_name, argc, argv)?;
                out(vm, r)
            },
            out_result,
            out_error,
        )
    }
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_get_exception_message(vm: *mut c_void) -> *const c_char {
    // SAFETY: C contract of this function.
    unsafe { vm_opt(vm) }.and_then(|v| lock(&v.exception).as_ref().map(|e| e.0.as_ptr())).unwrap_or(std::ptr::null())
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_get_exception_stack(vm: *mut c_void) -> *const c_char {
    // SAFETY: C contract of this function.
    unsafe { vm_opt(vm) }.and_then(|v| lock(&v.exception).as_ref().map(|e| e.1.as_ptr())).unwrap_or(std::ptr::null())
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_has_exception(vm: *mut c_void) -> bool {
    // SAFETY: C contract of this function.
    unsafe { vm_opt(vm) }.is_some_and(|v| lock(&v.exception).is_some())
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_clear_exception(vm: *mut c_void) {
    // SAFETY: C contract of this function.
    if let Some(v) = unsafe { vm_opt(vm) } {
        *lock(&v.exception) = None;
    }
}

// ---------------------------------------------------------------- 6.17 cached calls

const CACHED_MAGIC: u64 = 0x6866_6663_6163_6865;

/// An `hlffi_cached_call`: one `malloc` block (`#[repr(C)]`, magic first).
#[repr(C)]
struct HCached {
    magic: u64,
    vm: *const CVm,
    f: StaticFn<Vec<Value>, Value>,
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`; names are NULL or C strings.
#[no_mangle]
pub unsafe extern "C" fn hlffi_cache_static_method(vm: *mut c_void, class_name: *const c_char, method_name: *const c_char) -> *mut c_void {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard(v, std::ptr::null_mut(), || {
        let vm = vm_of(v)?;
        // SAFETY: C contract.
        let (c, m) = unsafe { (c_str(class_name, "class_name")?, c_str(method_name, "method_name")?) };
        let f = vm.vref()?.static_fn_dynamic(c, m)?;
        let p = malloc_box(HCached { magic: CACHED_MAGIC, vm, f });
        if p.is_null() {
            return Err(fail(code::OUT_OF_MEMORY, "out of memory"));
        }
        Ok(p.cast())
    })
}

/// # Safety
/// `cached` is NULL or a live `hlffi_cached_call`.
unsafe fn cached_ref<'a>(cached: *mut c_void) -> Option<&'a HCached> {
    // SAFETY: per the contract, NULL or one of this library's objects.
    if !unsafe { crate::boundary::has_magic(cached, CACHED_MAGIC) } {
        return None;
    }
    // SAFETY: the magic says it is a live block.
    unsafe { cached.cast::<HCached>().as_ref() }
}

/// # Safety
/// `cached` is NULL or a live `hlffi_cached_call`; `args` holds `argc` handles.
#[no_mangle]
pub unsafe extern "C" fn hlffi_call_cached(cached: *mut c_void, argc: c_int, argv: *mut *mut c_void) -> *mut c_void {
    // SAFETY: C contract of this function.
    let Some(c) = (unsafe { cached_ref(cached) }) else { return std::ptr::null_mut() };
    // SAFETY: the VM outlives its cached calls (invalid after destroy, §6.1).
    let v = unsafe { c.vm.as_ref() };
    guard(v, std::ptr::null_mut(), || {
        let vm = vm_of(v)?;
        vm.check_thread()?;
        // SAFETY: C contract.
        let a = unsafe { args(vm, argc, argv) }?;
        let r = c.f.call(a)?;
        if r.is_void() {
            return out(vm, vm.vref()?.null()?);
        }
        out(vm, r)
    })
}

/// # Safety
/// `cached` is NULL or a live `hlffi_cached_call`, not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn hlffi_cached_call_free(cached: *mut c_void) {
    // SAFETY: C contract of this function.
    let Some(c) = (unsafe { cached_ref(cached) }) else { return };
    // SAFETY: the VM outlives its cached calls.
    let v = unsafe { c.vm.as_ref() };
    guard(v, (), || {
        if let Some(vm) = v {
            vm.check_thread()?;
        }
        let p = cached.cast::<HCached>();
        // SAFETY: live block owned by the host, given up now; marked dead first.
        unsafe {
            (*p).magic = 0;
            drop(malloc_unbox(p));
        }
        Ok(())
    });
}

/// Not implemented (documented upstream as NYI): always NULL; hosts fall back to
/// `hlffi_call_method`.
///
/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_cache_instance_method(vm: *mut c_void, _class_name: *const c_char, _method_name: *const c_char) -> *mut c_void {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard(v, std::ptr::null_mut(), || Err(fail(code::NOT_IMPLEMENTED, "hlffi_cache_instance_method is not implemented (use hlffi_call_method)")))
}

/// Not implemented (NYI upstream): always NULL.
///
/// # Safety
/// Any arguments.
#[no_mangle]
pub unsafe extern "C" fn hlffi_call_cached_method(_cached: *mut c_void, _instance: *mut c_void, _argc: c_int, _argv: *mut *mut c_void) -> *mut c_void {
    std::ptr::null_mut()
}
