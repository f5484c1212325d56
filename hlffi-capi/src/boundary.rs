//! The C boundary: panic catching, failure values and messages, checked pointer
//! access, and the `malloc` blocks handed to C (value handles, cached calls, strings).
//!
//! Every `extern "C"` function of this crate runs its body through [`guard`]: the body
//! returns `Result<T, Fail>`; an `Err` (or a panic, caught here) becomes the spec's
//! failure value for that function (NULL / false / -1 / fallback / code) and a message
//! stored on the VM for `hlffi_get_error` (HLFFI_C_API.md §5.2). Nothing unwinds
//! into C.
//!
//! This module and the thread-confined cell of `vm.rs` hold the crate's `unsafe` code.

use std::ffi::{c_char, c_int, c_void, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};

use hlffi_rs::{Error, Value};

use crate::vm::CVm;

/// Numeric `hlffi_error_code`s used by name in this crate (HLFFI_C_API.md §4.1).
pub(crate) mod code {
    pub const OK: i32 = 0;
    pub const NULL_VM: i32 = 1;
    pub const ALREADY_INITIALIZED: i32 = 2;
    pub const NOT_INITIALIZED: i32 = 3;
    pub const FILE_NOT_FOUND: i32 = 6;
    pub const INVALID_BYTECODE: i32 = 7;
    pub const ENTRY_POINT_NOT_FOUND: i32 = 10;
    pub const TYPE_NOT_FOUND: i32 = 11;
    pub const FIELD_NOT_FOUND: i32 = 13;
    pub const INVALID_TYPE: i32 = 16;
    pub const TYPE_MISMATCH: i32 = 17;
    pub const NULL_VALUE: i32 = 18;
    pub const RELOAD_NOT_ENABLED: i32 = 20;
    pub const RELOAD_FAILED: i32 = 21;
    pub const THREAD_NOT_STARTED: i32 = 22;
    pub const THREAD_ALREADY_RUNNING: i32 = 23;
    pub const THREAD_START_FAILED: i32 = 24;
    pub const THREAD_STOP_FAILED: i32 = 25;
    pub const WRONG_THREAD: i32 = 26;
    pub const OUT_OF_MEMORY: i32 = 29;
    pub const INVALID_ARGUMENT: i32 = 30;
    pub const NOT_IMPLEMENTED: i32 = 31;
    pub const UNKNOWN: i32 = 32;
}

/// Why a C call failed: its `hlffi_error_code` and the message for `hlffi_get_error`.
/// A Haxe exception also carries its stack, for the VM's exception record.
#[derive(Debug)]
pub(crate) struct Fail {
    pub code: i32,
    pub msg: String,
    pub exception: Option<(String, String)>,
}

pub(crate) type R<T> = Result<T, Fail>;

pub(crate) fn fail(code: i32, msg: impl Into<String>) -> Fail {
    Fail { code, msg: msg.into(), exception: None }
}

impl From<Error> for Fail {
    fn from(e: Error) -> Fail {
        let exception = match &e {
            Error::Exception { message, stack } => Some((message.clone(), stack.join("\n"))),
            _ => None,
        };
        Fail { code: e.code(), msg: e.to_string(), exception }
    }
}

fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

/// Runs `body`; on `Err` or panic records the failure on `vm` (when there is one) and
/// returns `on_fail`.
///
/// The body runs inside the VM when the calling thread may use it
/// ([`CVm::entered`]); [`guard_outside`] runs it outside (for calls that wait for
/// another thread that needs the VM).
pub(crate) fn guard<T>(vm: Option<&CVm>, on_fail: T, body: impl FnOnce() -> R<T>) -> T {
    guard_outside(vm, on_fail, || match vm {
        Some(v) => v.entered(body),
        None => body(),
    })
}

/// [`guard`] without entering the VM.
pub(crate) fn guard_outside<T>(vm: Option<&CVm>, on_fail: T, body: impl FnOnce() -> R<T>) -> T {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(v)) => v,
        Ok(Err(f)) => {
            if let Some(vm) = vm {
                vm.record(&f);
            }
            on_fail
        }
        Err(p) => {
            if let Some(vm) = vm {
                vm.record(&fail(code::UNKNOWN, format!("internal error (panic): {}", panic_text(&*p))));
            }
            on_fail
        }
    }
}

/// [`guard`] for functions returning an `hlffi_error_code`.
pub(crate) fn guard_code(vm: Option<&CVm>, body: impl FnOnce() -> R<()>) -> c_int {
    guard_code_outside(vm, || match vm {
        Some(v) => v.entered(body),
        None => body(),
    })
}

/// [`guard_code`] without entering the VM.
pub(crate) fn guard_code_outside(vm: Option<&CVm>, body: impl FnOnce() -> R<()>) -> c_int {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => code::OK,
        Ok(Err(f)) => {
            if let Some(vm) = vm {
                vm.record(&f);
            }
            f.code
        }
        Err(p) => {
            if let Some(vm) = vm {
                vm.record(&fail(code::UNKNOWN, format!("internal error (panic): {}", panic_text(&*p))));
            }
            code::UNKNOWN
        }
    }
}

// ---------------------------------------------------------------- pointers from C

/// The VM behind `p`, or `None` for NULL or a pointer that is not an `hlffi_vm`.
///
/// # Safety
/// `p` is NULL or was returned by `hlffi_create` and not yet passed to
/// `hlffi_destroy` (the C contract of every function taking an `hlffi_vm*`).
pub(crate) unsafe fn vm_opt<'a>(p: *mut c_void) -> Option<&'a CVm> {
    // SAFETY: per the caller's contract `p` is NULL or one of this library's objects
    // (a host that mixes up its pointers passes another one: every object starts with
    // an 8-byte magic number, `#[repr(C)]`, so the read stays inside it).
    if !unsafe { has_magic(p, crate::vm::VM_MAGIC) } {
        return None;
    }
    // SAFETY: the magic says `p` is a live `CVm` (from `Box::into_raw` in
    // `hlffi_create`); shared access only.
    unsafe { p.cast::<CVm>().as_ref() }
}

/// Whether `p` is non-NULL and starts with `magic`.
///
/// # Safety
/// `p` is NULL or points to at least 8 readable, 8-aligned bytes: one of this
/// library's objects (`CVm`, `HValue`, `HType`, `HCached`, all `#[repr(C)]` with the
/// magic first).
pub(crate) unsafe fn has_magic(p: *const c_void, magic: u64) -> bool {
    // SAFETY: per the contract.
    !p.is_null() && unsafe { p.cast::<u64>().read() } == magic
}

/// The VM, or `HLFFI_ERROR_NULL_VM`.
pub(crate) fn vm_of(v: Option<&CVm>) -> R<&CVm> {
    v.ok_or_else(|| fail(code::NULL_VM, "the VM is NULL"))
}

/// The NUL-terminated UTF-8 string at `p`.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string that stays unchanged for `'a`.
pub(crate) unsafe fn c_str<'a>(p: *const c_char, what: &str) -> R<&'a str> {
    if p.is_null() {
        return Err(fail(code::INVALID_ARGUMENT, format!("{what} is NULL")));
    }
    // SAFETY: non-null and NUL-terminated per the caller's contract.
    let s = unsafe { CStr::from_ptr(p) };
    s.to_str().map_err(|_| fail(code::INVALID_ARGUMENT, format!("{what} is not valid UTF-8")))
}

/// A `malloc`'d copy of `s` with a terminating NUL (NULL if memory is exhausted), for
/// the host to `free()` (HLFFI_C_API.md §5.1 rule 5).
pub(crate) fn malloc_str(s: &str) -> *mut c_char {
    let bytes = s.as_bytes();
    // SAFETY: `malloc` with a non-zero size; the result is checked for NULL.
    let p = unsafe { libc::malloc(bytes.len() + 1) }.cast::<u8>();
    if p.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: `p` has room for `len + 1` bytes and does not overlap `bytes`.
    unsafe {
        std::ptr::copy_nonoverlapping(bytes.as_ptr(), p, bytes.len());
        *p.add(bytes.len()) = 0;
    }
    p.cast()
}

/// Moves `v` into a fresh `malloc` block (so a host that releases it with libc `free`
/// frees memory the right way: `v` then simply never drops). NULL if memory is
/// exhausted (then `v` is dropped here).
pub(crate) fn malloc_box<T>(v: T) -> *mut T {
    let size = std::mem::size_of::<T>().max(1);
    // SAFETY: `malloc` returns memory aligned for any fundamental type (16 bytes on
    // the supported platforms, at least `align_of::<T>()` for the types used here:
    // pointers, integers, `Rc`s); checked for NULL.
    let p = unsafe { libc::malloc(size) }.cast::<T>();
    if p.is_null() {
        return p;
    }
    debug_assert!((p as usize).is_multiple_of(std::mem::align_of::<T>()));
    // SAFETY: `p` is valid for writes of one `T`, and uninitialised.
    unsafe { p.write(v) };
    p
}

/// Takes the value back out of a block made by [`malloc_box`] and frees the block.
///
/// # Safety
/// `p` came from `malloc_box::<T>` and was neither freed nor taken before.
pub(crate) unsafe fn malloc_unbox<T>(p: *mut T) -> T {
    // SAFETY: per the contract `p` holds an initialised `T` that nobody else owns.
    let v = unsafe { p.read() };
    // SAFETY: `p` came from `libc::malloc` and is freed exactly once.
    unsafe { libc::free(p.cast()) };
    v
}

// ---------------------------------------------------------------- value handles

/// Marks live `hlffi_value` blocks (a cheap check against stray pointers).
const VALUE_MAGIC: u64 = 0x6866_6676_616c_7565;

/// An `hlffi_value`: one `malloc` block holding a rooted [`Value`] and its VM.
#[repr(C)]
pub(crate) struct HValue {
    magic: u64,
    pub vm: *const CVm,
    pub value: Value,
}

/// A new handle to `value` for the host (NULL when memory is exhausted).
pub(crate) fn new_handle(vm: &CVm, value: Value) -> *mut c_void {
    malloc_box(HValue { magic: VALUE_MAGIC, vm, value }).cast()
}

/// The handle behind `p`.
///
/// # Safety
/// `p` is NULL or a live handle returned by this library (not yet freed).
pub(crate) unsafe fn handle<'a>(p: *mut c_void) -> R<&'a HValue> {
    if p.is_null() {
        return Err(fail(code::NULL_VALUE, "the value handle is NULL"));
    }
    // SAFETY: per the contract, one of this library's objects (see `has_magic`).
    if !unsafe { has_magic(p, VALUE_MAGIC) } {
        return Err(fail(code::INVALID_ARGUMENT, "not an hlffi_value handle (freed already?)"));
    }
    // SAFETY: the magic says it is a live `HValue` block; shared access only.
    unsafe { p.cast::<HValue>().as_ref() }.ok_or_else(|| fail(code::NULL_VALUE, "the value handle is NULL"))
}

/// The VM a handle belongs to (for error messages), if `p` is a valid handle.
///
/// # Safety
/// As for [`handle`]; the handle's VM must still be alive (spec: handles are invalid
/// after `hlffi_destroy`).
pub(crate) unsafe fn handle_vm<'a>(p: *mut c_void) -> Option<&'a CVm> {
    // SAFETY: forwarded contract.
    let h = unsafe { handle(p) }.ok()?;
    // SAFETY: the handle's VM outlives its handles (caller's contract).
    unsafe { h.vm.as_ref() }
}

/// Releases a handle made by [`new_handle`]: drops its root and frees the block.
///
/// # Safety
/// `p` is a live handle (checked by [`handle`] first); it is invalid afterwards.
pub(crate) unsafe fn free_handle(p: *mut c_void) {
    let p = p.cast::<HValue>();
    // SAFETY: a live block: mark it dead before dropping, so a second free of the same
    // pointer in this window is refused by the magic check.
    unsafe { (*p).magic = 0 };
    // SAFETY: the block is live and owned by the caller, who gives it up now.
    drop(unsafe { malloc_unbox(p) });
}

/// Moves the value out of a handle the library takes over (a callback's result) and
/// frees the block.
///
/// # Safety
/// As for [`free_handle`].
pub(crate) unsafe fn take_handle(p: *mut c_void) -> Value {
    let p = p.cast::<HValue>();
    // SAFETY: see `free_handle`.
    unsafe { (*p).magic = 0 };
    // SAFETY: see `free_handle`.
    unsafe { malloc_unbox(p) }.value
}

/// The arguments `argv[0..argc]` as values (a NULL element is Haxe `null`).
///
/// # Safety
/// `argv` is NULL (only with `argc == 0`) or points to `argc` readable pointers, each
/// NULL or a live handle.
pub(crate) unsafe fn args(vm: &CVm, argc: c_int, argv: *mut *mut c_void) -> R<Vec<Value>> {
    if argc < 0 {
        return Err(fail(code::INVALID_ARGUMENT, format!("argc is negative ({argc})")));
    }
    if argc == 0 {
        return Ok(Vec::new());
    }
    if argv.is_null() {
        return Err(fail(code::INVALID_ARGUMENT, format!("argv is NULL with argc = {argc}")));
    }
    let mut out = Vec::with_capacity(argc as usize);
    for i in 0..argc as usize {
        // SAFETY: `argv` has `argc` elements per the contract.
        let p = unsafe { *argv.add(i) };
        if p.is_null() {
            out.push(vm.vref()?.null()?);
        } else {
            // SAFETY: non-null elements are live handles per the contract.
            out.push(unsafe { handle(p) }?.value.clone());
        }
    }
    Ok(out)
}
