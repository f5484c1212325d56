//! §6.15 callbacks: C functions Haxe can call, as Haxe function values of `nargs`
//! `Dynamic` parameters returning `Dynamic` (the header's model: the host stores the
//! closure from `hlffi_get_callback` where Haxe reaches it, e.g. a `Dynamic` static).
//!
//! The closure is made when first needed (registration may precede loading) and
//! stays rooted until unregistered or destroyed. After `hlffi_unregister_callback`,
//! a Haxe reference that is still called throws a Haxe exception instead of calling
//! the C function.

use std::cell::{Cell, RefCell};
use std::ffi::{c_char, c_int, c_void};
use std::rc::Rc;

use hlffi_rs::{Function, Value, VmRef};

use crate::api::AssertSend;
use crate::boundary::{c_str, code, fail, guard, new_handle, take_handle, vm_opt, R};
use crate::vm::CVm;

pub(crate) type NativeFunc = extern "C" fn(vm: *mut c_void, argc: c_int, argv: *mut *mut c_void) -> *mut c_void;

/// Most parameters a callback may declare (argument tuples go up to 8).
const MAX_ARGS: c_int = 8;

pub(crate) struct Callback {
    name: String,
    func: NativeFunc,
    nargs: c_int,
    cvm: *const CVm,
    alive: Cell<bool>,
    closure: RefCell<Option<Function>>,
}

/// Calls the C function with library-owned handles for `args`; takes over its result.
fn invoke(cb: &Callback, args: Vec<Value>) -> Result<Option<Value>, String> {
    if !cb.alive.get() {
        return Err(format!("callback {} was unregistered", cb.name));
    }
    // SAFETY: the `CVm` owns this callback (through `Local::callbacks`), so it is alive
    // whenever the callback can run.
    let cvm = unsafe { &*cb.cvm };
    let mut argv: Vec<*mut c_void> = args.into_iter().map(|v| new_handle(cvm, v)).collect();
    if argv.iter().any(|p| p.is_null()) {
        for p in argv.into_iter().filter(|p| !p.is_null()) {
            // SAFETY: made by `new_handle` just above and not given away.
            unsafe { crate::boundary::free_handle(p) };
        }
        return Err("out of memory".into());
    }
    let argc = c_int::try_from(argv.len()).unwrap_or(0);
    let ret = (cb.func)(cb.cvm.cast_mut().cast(), argc, argv.as_mut_ptr());
    for p in argv {
        // SAFETY: the argument handles belong to the library (§3) and are released now.
        unsafe { crate::boundary::free_handle(p) };
    }
    if ret.is_null() {
        return Ok(None);
    }
    // SAFETY: the C function returns a handle of this library (or NULL), which the
    // library takes over (§3).
    match unsafe { crate::boundary::handle(ret) } {
        // SAFETY: checked live just above; ownership passes to us.
        Ok(_) => Ok(Some(unsafe { take_handle(ret) })),
        Err(f) => Err(format!("callback {} returned an invalid handle: {}", cb.name, f.msg)),
    }
}

/// Makes the Haxe function value for `cb`.
fn make_closure(vref: &VmRef, cb: &Rc<Callback>) -> hlffi_rs::Result<Function> {
    macro_rules! arity {
        ($($n:literal => ($($a:ident),*)),*) => {
            match cb.nargs {
                $($n => {
                    // Any thread holding the VM lock may call it (Haxe threads, workers):
                    // C callbacks are the host's to make thread-safe, as with HashLink.
                    // The `Rc` is only cloned or dropped by threads holding the VM lock
                    // (every API call that touches callbacks runs inside the VM,
                    // `CVm::entered`; the closure runs and is collected under the lock).
                    let c = AssertSend(cb.clone());
                    #[allow(unused_parens, reason = "one pattern per arity")]
                    vref.function_send(&cb.name, move |($($a,)*): ($(arity!(@v $a),)*)| invoke(c.get(), vec![$($a),*]))
                })*
                _ => Err(hlffi_rs::Error::InvalidArgument(format!("nargs {} out of range", cb.nargs))),
            }
        };
        (@v $a:ident) => { Value };
    }
    arity!(0 => (), 1 => (a), 2 => (a, b), 3 => (a, b, c), 4 => (a, b, c, d), 5 => (a, b, c, d, e),
        6 => (a, b, c, d, e, f), 7 => (a, b, c, d, e, f, g), 8 => (a, b, c, d, e, f, g, h))
}

fn register(vm: &CVm, name: &str, func: NativeFunc, nargs: c_int) -> R<bool> {
    if !(0..=MAX_ARGS).contains(&nargs) {
        return Err(fail(code::INVALID_ARGUMENT, format!("nargs must be 0..={MAX_ARGS}, got {nargs}")));
    }
    if name.is_empty() {
        return Err(fail(code::INVALID_ARGUMENT, "the callback name is empty"));
    }
    let mut local = vm.local()?;
    if local.callbacks.contains_key(name) {
        return Err(fail(code::INVALID_ARGUMENT, format!("a callback named {name} is already registered")));
    }
    let cb = Rc::new(Callback { name: name.to_string(), func, nargs, cvm: vm, alive: Cell::new(true), closure: RefCell::new(None) });
    local.callbacks.insert(name.to_string(), cb);
    Ok(true)
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`; `name` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn hlffi_register_callback(vm: *mut c_void, name: *const c_char, func: Option<NativeFunc>, nargs: c_int) -> bool {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard(v, false, || {
        let vm = v.ok_or_else(|| fail(code::NULL_VM, "the VM is NULL"))?;
        // SAFETY: C contract.
        let name = unsafe { c_str(name, "name") }?;
        let func = func.ok_or_else(|| fail(code::INVALID_ARGUMENT, "func is NULL"))?;
        register(vm, name, func, nargs)
    })
}

/// The declared types are advisory: arguments arrive as handles whatever their Haxe
/// type, which is correct for every kind (upstream crashes on Int/Float/Bool).
///
/// # Safety
/// As for `hlffi_register_callback`; `arg_types` is NULL or `nargs` readable values.
#[no_mangle]
pub unsafe extern "C" fn hlffi_register_callback_typed(
    vm: *mut c_void,
    name: *const c_char,
    func: Option<NativeFunc>,
    nargs: c_int,
    _arg_types: *const c_int,
    _return_type: c_int,
) -> bool {
    // SAFETY: C contract of this function.
    unsafe { hlffi_register_callback(vm, name, func, nargs) }
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`; `name` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn hlffi_get_callback(vm: *mut c_void, name: *const c_char) -> *mut c_void {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard(v, std::ptr::null_mut(), || {
        let vm = v.ok_or_else(|| fail(code::NULL_VM, "the VM is NULL"))?;
        // SAFETY: C contract.
        let name = unsafe { c_str(name, "name") }?;
        let cb = vm.local()?.callbacks.get(name).cloned().ok_or_else(|| fail(code::INVALID_ARGUMENT, format!("no callback named {name}")))?;
        let existing = cb.closure.borrow().clone();
        let f = match existing {
            Some(f) => f,
            None => {
                let f = make_closure(&vm.vref()?, &cb)?;
                *cb.closure.borrow_mut() = Some(f.clone());
                f
            }
        };
        let h = new_handle(vm, f.value().clone());
        if h.is_null() {
            return Err(fail(code::OUT_OF_MEMORY, "out of memory"));
        }
        Ok(h)
    })
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`; `name` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn hlffi_unregister_callback(vm: *mut c_void, name: *const c_char) -> bool {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard(v, false, || {
        let vm = v.ok_or_else(|| fail(code::NULL_VM, "the VM is NULL"))?;
        // SAFETY: C contract.
        let name = unsafe { c_str(name, "name") }?;
        let cb = vm.local()?.callbacks.remove(name);
        match cb {
            Some(cb) => {
                cb.alive.set(false);
                // Drop the root outside the state borrow.
                let f = cb.closure.borrow_mut().take();
                drop(f);
                Ok(true)
            }
            None => Ok(false),
        }
    })
}
