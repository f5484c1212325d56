//! §6.1–6.5, 6.18, 6.19: lifecycle, integration modes, event loop, threading, hot
//! reload, utilities and error texts.

use std::ffi::{c_char, c_int, c_void, CStr};
use std::path::PathBuf;
use std::ptr::NonNull;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use hlffi_rs::{Error, Vm, VmThread};

use crate::boundary::{c_str, code, fail, guard, guard_code, guard_code_outside, vm_opt, R};
use crate::vm::{lock, load_fail, set_worker, thread_token, CVm};

pub(crate) type ReloadCallback = extern "C" fn(vm: *mut c_void, success: bool, userdata: *mut c_void);
type ThreadFunc = extern "C" fn(vm: *mut c_void, userdata: *mut c_void);
type AsyncCallback = extern "C" fn(vm: *mut c_void, result: *mut c_void, userdata: *mut c_void);

const MODE_NON_THREADED: c_int = 0;
const MODE_THREADED: c_int = 1;

// ---------------------------------------------------------------- 6.1 lifecycle

#[no_mangle]
pub extern "C" fn hlffi_create() -> *mut c_void {
    guard(None, std::ptr::null_mut(), || Ok(Box::into_raw(Box::new(CVm::new())).cast()))
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`; `argv` is NULL or holds `argc` C strings.
#[no_mangle]
pub unsafe extern "C" fn hlffi_init(vm: *mut c_void, argc: c_int, argv: *mut *mut c_char) -> c_int {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard_code(v, || {
        let vm = v.ok_or_else(|| fail(code::NULL_VM, "the VM is NULL"))?;
        if vm.initialized.load(Ordering::Acquire) {
            return Err(fail(code::ALREADY_INITIALIZED, "hlffi_init was already called for this VM"));
        }
        let mut args = Vec::new();
        if !argv.is_null() {
            for i in 0..argc.max(0) as usize {
                // SAFETY: `argv` holds `argc` pointers per the contract.
                let a = unsafe { *argv.add(i) };
                if !a.is_null() {
                    // SAFETY: each non-null element is a C string.
                    args.push(unsafe { CStr::from_ptr(a) }.to_string_lossy().into_owned());
                }
            }
        }
        vm.owner.store(thread_token(), Ordering::Release);
        vm.local()?.args = args;
        vm.initialized.store(true, Ordering::Release);
        Ok(())
    })
}

fn load_with(vm: &CVm, path: Option<PathBuf>, load: impl FnOnce(&mut Vm) -> hlffi_rs::Result<()>) -> R<()> {
    if !vm.initialized.load(Ordering::Acquire) {
        return Err(fail(code::NOT_INITIALIZED, "hlffi_init has not been called"));
    }
    if vm.loaded.load(Ordering::Acquire) {
        return Err(fail(code::ALREADY_INITIALIZED, "a module is already loaded"));
    }
    let args = vm.local()?.args.clone();
    let mut new = Vm::builder().args(args).hot_reload(vm.hot_reload.load(Ordering::Acquire)).build();
    // Registered workers may call in from now on (§5.3).
    *lock(&vm.ticket) = Some(new.attach_handle().map_err(load_fail)?);
    load(&mut new).map_err(load_fail)?;
    let mut local = vm.local()?;
    local.vref = Some(new.handle());
    local.vm = Some(Box::new(new));
    local.path = path;
    local.types = None;
    vm.loaded.store(true, Ordering::Release);
    Ok(())
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`; `path` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn hlffi_load_file(vm: *mut c_void, path: *const c_char) -> c_int {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard_code(v, || {
        let vm = v.ok_or_else(|| fail(code::NULL_VM, "the VM is NULL"))?;
        // SAFETY: C contract.
        let path = PathBuf::from(unsafe { c_str(path, "path") }?);
        load_with(vm, Some(path.clone()), |new| new.load_file(&path))
    })
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`; `data` is NULL or `size` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn hlffi_load_memory(vm: *mut c_void, data: *const c_void, size: usize) -> c_int {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard_code(v, || {
        let vm = v.ok_or_else(|| fail(code::NULL_VM, "the VM is NULL"))?;
        if data.is_null() || size == 0 {
            return Err(fail(code::INVALID_ARGUMENT, "data is NULL or size is 0"));
        }
        // SAFETY: `size` readable bytes at `data` per the contract; copied by `load_memory`.
        let bytes = unsafe { std::slice::from_raw_parts(data.cast::<u8>(), size) };
        load_with(vm, None, |new| new.load_memory(bytes))
    })
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_call_entry(vm: *mut c_void) -> c_int {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard_code(v, || {
        let vm = v.ok_or_else(|| fail(code::NULL_VM, "the VM is NULL"))?;
        if !vm.loaded.load(Ordering::Acquire) {
            return Err(fail(code::NOT_INITIALIZED, "no module loaded (hlffi_load_file first)"));
        }
        if lock(&vm.thread).as_ref().is_some_and(VmThread::is_running) {
            return Err(fail(code::THREAD_ALREADY_RUNNING, "the VM thread runs the entry point (THREADED mode)"));
        }
        vm.with_vm_mut(|m| {
            if m.entry_called() {
                return Ok(());
            }
            m.call_entry().map_err(|e| {
                let mut f = crate::boundary::Fail::from(e);
                if f.code == code::NOT_INITIALIZED {
                    f.code = code::ENTRY_POINT_NOT_FOUND;
                }
                f
            })
        })
    })
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`, and is not used again.
#[no_mangle]
pub unsafe extern "C" fn hlffi_destroy(vm: *mut c_void) {
    // SAFETY: C contract of this function.
    let Some(v) = (unsafe { vm_opt(vm) }) else { return };
    let ok = guard(Some(v), false, || {
        if v.mut_busy() {
            return Err(fail(code::WRONG_THREAD, "hlffi_destroy from inside a call into the VM"));
        }
        stop_thread(v)?;
        // Drop the VM and every handle the library holds, on this (owning) thread.
        let local = v.take_local()?;
        drop(local);
        Ok(true)
    });
    if ok {
        // SAFETY: `vm` came from `Box::into_raw` in `hlffi_create`; the VM thread is
        // joined and the local state dropped, so nothing refers to it any more.
        drop(unsafe { Box::from_raw(vm.cast::<CVm>()) });
    }
}

// ---------------------------------------------------------------- 6.2 modes

/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_set_integration_mode(vm: *mut c_void, mode: c_int) -> c_int {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard_code(v, || {
        let vm = v.ok_or_else(|| fail(code::NULL_VM, "the VM is NULL"))?;
        if mode != MODE_NON_THREADED && mode != MODE_THREADED {
            return Err(fail(code::INVALID_ARGUMENT, format!("unknown integration mode {mode}")));
        }
        vm.mode.store(mode, Ordering::Release);
        Ok(())
    })
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_get_integration_mode(vm: *mut c_void) -> c_int {
    // SAFETY: C contract of this function.
    unsafe { vm_opt(vm) }.map_or(MODE_NON_THREADED, |v| v.mode.load(Ordering::Acquire))
}

// ---------------------------------------------------------------- 6.3 event loop

const EVENTLOOP_UV: c_int = 0;
const EVENTLOOP_MAINLOOP: c_int = 4;

/// Runs the due Haxe events (timers, `MainLoop`, thread events: in Haxe 4 on
/// HashLink they all live on the main thread's `sys.thread.EventLoop`).
fn run_events(vm: &CVm) -> R<()> {
    let r = vm.vref()?;
    if !r.entry_called() {
        return Ok(());
    }
    r.run_events().map(|_| ()).map_err(Into::into)
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_update(vm: *mut c_void, _delta_time: f32) -> c_int {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard_code(v, || {
        let vm = v.ok_or_else(|| fail(code::NULL_VM, "the VM is NULL"))?;
        if !vm.loaded.load(Ordering::Acquire) {
            return Ok(());
        }
        run_events(vm)
    })
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_has_pending_work(vm: *mut c_void) -> bool {
    // SAFETY: C contract of this function.
    unsafe { hlffi_has_pending_events(vm, 2) }
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_process_events(vm: *mut c_void, kind: c_int) -> c_int {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard_code(v, || {
        let vm = v.ok_or_else(|| fail(code::NULL_VM, "the VM is NULL"))?;
        if !(EVENTLOOP_UV..=EVENTLOOP_MAINLOOP).contains(&kind) {
            return Err(fail(code::INVALID_ARGUMENT, format!("unknown event loop type {kind}")));
        }
        // No libuv loop exists in this VM; every other choice is the Haxe loop.
        if kind == EVENTLOOP_UV || !vm.loaded.load(Ordering::Acquire) {
            return Ok(());
        }
        run_events(vm)
    })
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_has_pending_events(vm: *mut c_void, kind: c_int) -> bool {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard(v, false, || {
        let vm = v.ok_or_else(|| fail(code::NULL_VM, "the VM is NULL"))?;
        if kind == EVENTLOOP_UV || !(EVENTLOOP_UV..=EVENTLOOP_MAINLOOP).contains(&kind) || !vm.loaded.load(Ordering::Acquire) {
            return Ok(false);
        }
        Ok(vm.vref()?.has_pending_work())
    })
}

// ---------------------------------------------------------------- 6.4 threading

/// A value that may cross to the VM thread: see each use for why that is sound.
pub(crate) struct AssertSend<T>(pub T);
// SAFETY: only used for (a) the host's `void*` userdata and `hlffi_vm*`, which C code
// passes between threads by design (§6.4), (b) API results that never leave their
// thread (`CVm::entered`), and (c) C callbacks (`callbacks.rs`), which run on the
// thread holding the VM lock.
unsafe impl<T> Send for AssertSend<T> {}
// SAFETY: see `Send`; the wrapped value is only reached through `Mutex`es or moved.
unsafe impl<T> Sync for AssertSend<T> {}

impl<T> AssertSend<T> {
    /// The value (a method, so that closures capture the whole wrapper).
    pub(crate) fn get(&self) -> &T {
        &self.0
    }
}


/// Runs a C work item with the VM lent to it (ownership stays with the VM thread).
/// The item runs inside the VM (holding its lock) as a whole.
fn run_item(cvm: &CVm, vm: &mut Vm, f: impl FnOnce()) {
    let r = cvm.entered(|| {
        if let Ok(mut l) = cvm.local() {
            l.active = Some(NonNull::from(&mut *vm));
        }
        f();
        if let Ok(mut l) = cvm.local() {
            l.active = None;
        }
        Ok(())
    });
    if let Err(e) = r {
        cvm.record(&e);
    }
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_thread_start(vm: *mut c_void) -> c_int {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    // Outside the VM: the VM thread must be able to take it while this call waits.
    guard_code_outside(v, || {
        let cvm = v.ok_or_else(|| fail(code::NULL_VM, "the VM is NULL"))?;
        if cvm.mode.load(Ordering::Acquire) != MODE_THREADED {
            return Err(fail(code::THREAD_START_FAILED, "the integration mode is not HLFFI_MODE_THREADED"));
        }
        let mut slot = lock(&cvm.thread);
        if slot.as_ref().is_some_and(VmThread::is_running) {
            return Err(fail(code::THREAD_ALREADY_RUNNING, "the VM thread is already running"));
        }
        if !cvm.loaded.load(Ordering::Acquire) {
            return Err(fail(code::NOT_INITIALIZED, "no module loaded (hlffi_load_file first)"));
        }
        if cvm.mut_busy() {
            return Err(fail(code::WRONG_THREAD, "hlffi_thread_start from inside a call into the VM"));
        }
        let boxed = cvm.entered(|| cvm.local()?.vm.take().ok_or_else(|| fail(code::NOT_INITIALIZED, "the VM is not on this thread")))?;
        let moving = match (*boxed).into_moving() {
            Ok(m) => m,
            Err(e) => return Err(fail(code::THREAD_START_FAILED, e.to_string())),
        };
        let handover = Arc::new(Mutex::new(Some(moving)));
        let from_host = handover.clone();
        let cvm_addr = AssertSend(cvm as *const CVm);
        let thread = VmThread::builder().run_entry(false).build(move || {
            let cvm_ptr = &cvm_addr;
            // SAFETY: the `CVm` outlives its VM thread (`hlffi_destroy` joins it first).
            let cvm = unsafe { &*cvm_ptr.0 };
            // From here on the VM thread owns the VM (the host thread gave it up above).
            cvm.owner.store(thread_token(), Ordering::Release);
            let vm = lock(&from_host).take().ok_or(Error::ThreadNotStarted)?;
            Ok(vm.arrive())
        });
        let started = thread.start();
        if let Err(e) = started {
            // Setup cannot fail once the VM was handed over; put it back if it did.
            if let Some(m) = lock(&handover).take() {
                cvm.owner.store(thread_token(), Ordering::Release);
                let back = Box::new(m.arrive());
                cvm.entered(|| {
                    cvm.local()?.vm = Some(back);
                    Ok(())
                })?;
            }
            return Err(fail(code::THREAD_START_FAILED, e.to_string()));
        }
        // The entry point runs as the first work item, with the VM lent to C callbacks.
        let cvm_addr = AssertSend(cvm as *const CVm);
        let r = thread.call_async(
            move |vm: &mut Vm| {
                let cvm_ptr = &cvm_addr;
                // SAFETY: as above.
                let cvm = unsafe { &*cvm_ptr.0 };
                let mut result = Ok(());
                run_item(cvm, vm, || {
                    result = cvm.with_vm_mut(|m| if m.entry_called() { Ok(()) } else { m.call_entry().map_err(Into::into) });
                });
                if let Err(f) = result {
                    cvm.record(&f);
                }
            },
            |_| {},
        );
        if let Err(e) = r {
            return Err(fail(code::THREAD_START_FAILED, e.to_string()));
        }
        *slot = Some(thread);
        Ok(())
    })
}

/// Brings the VM back from its thread and joins it (no-op without a thread).
fn stop_thread(cvm: &CVm) -> R<()> {
    let thread = lock(&cvm.thread).take();
    let Some(thread) = thread else { return Ok(()) };
    if !thread.is_running() {
        return Ok(());
    }
    // The last item: move the VM out (an empty VM takes its place until the thread
    // drops it). FIFO: every item queued before runs first.
    let back: Arc<Mutex<Option<hlffi_rs::MovingVm>>> = Arc::new(Mutex::new(None));
    let sink = back.clone();
    let r = thread.call_sync(move |vm: &mut Vm| {
        let old = std::mem::replace(vm, Vm::new());
        match old.into_moving() {
            Ok(m) => *lock(&sink) = Some(m),
            Err(e) => eprintln!("hlffi: the VM could not leave its thread: {e}"),
        }
    });
    if let Err(e) = r {
        let wrong = matches!(e, Error::WrongThread(_));
        *lock(&cvm.thread) = Some(thread);
        return Err(fail(if wrong { code::WRONG_THREAD } else { code::UNKNOWN }, e.to_string()));
    }
    thread.stop().map_err(|e| fail(code::THREAD_STOP_FAILED, e.to_string()))?;
    // The VM thread is joined: this thread owns the VM again.
    cvm.owner.store(thread_token(), Ordering::Release);
    let vm = lock(&back).take().map(|m| Box::new(m.arrive()));
    cvm.entered(|| {
        let mut local = cvm.local()?;
        local.active = None;
        local.vm = vm;
        Ok(())
    })
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_thread_stop(vm: *mut c_void) -> c_int {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard_code_outside(v, || stop_thread(v.ok_or_else(|| fail(code::NULL_VM, "the VM is NULL"))?))
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_thread_is_running(vm: *mut c_void) -> bool {
    // SAFETY: C contract of this function.
    unsafe { vm_opt(vm) }.is_some_and(|v| lock(&v.thread).as_ref().is_some_and(VmThread::is_running))
}

fn thread_of(cvm: &CVm) -> R<VmThread> {
    lock(&cvm.thread)
        .as_ref()
        .filter(|t| t.is_running())
        .cloned()
        .ok_or_else(|| fail(code::THREAD_NOT_STARTED, "the VM thread is not running (hlffi_thread_start)"))
}

fn thread_fail(e: Error) -> crate::boundary::Fail {
    let c = match e {
        Error::WrongThread(_) => code::WRONG_THREAD,
        Error::ThreadNotStarted => code::THREAD_NOT_STARTED,
        _ => code::UNKNOWN,
    };
    fail(c, e.to_string())
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`; `func` is NULL or a function; `userdata` is
/// whatever `func` expects.
#[no_mangle]
pub unsafe extern "C" fn hlffi_thread_call_sync(vm: *mut c_void, func: Option<ThreadFunc>, userdata: *mut c_void) -> c_int {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard_code_outside(v, || {
        let cvm = v.ok_or_else(|| fail(code::NULL_VM, "the VM is NULL"))?;
        let func = func.ok_or_else(|| fail(code::INVALID_ARGUMENT, "func is NULL"))?;
        let thread = thread_of(cvm)?;
        let data = AssertSend((cvm as *const CVm, userdata));
        thread
            .call_sync(move |m: &mut Vm| {
                let data = data;
                let (cvm_ptr, ud) = data.0;
                // SAFETY: the `CVm` outlives its VM thread.
                let cvm = unsafe { &*cvm_ptr };
                run_item(cvm, m, || func(cvm_ptr.cast_mut().cast(), ud));
            })
            .map_err(thread_fail)
    })
}

/// # Safety
/// As for `hlffi_thread_call_sync`; `userdata` must stay valid until `callback` ran.
#[no_mangle]
pub unsafe extern "C" fn hlffi_thread_call_async(
    vm: *mut c_void,
    func: Option<ThreadFunc>,
    callback: Option<AsyncCallback>,
    userdata: *mut c_void,
) -> c_int {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard_code_outside(v, || {
        let cvm = v.ok_or_else(|| fail(code::NULL_VM, "the VM is NULL"))?;
        let func = func.ok_or_else(|| fail(code::INVALID_ARGUMENT, "func is NULL"))?;
        let thread = thread_of(cvm)?;
        let data = AssertSend((cvm as *const CVm, userdata));
        thread
            .call_async(
                move |m: &mut Vm| {
                    let data = data;
                    let (cvm_ptr, ud) = data.0;
                    // SAFETY: the `CVm` outlives its VM thread.
                    let cvm = unsafe { &*cvm_ptr };
                    run_item(cvm, m, || {
                        func(cvm_ptr.cast_mut().cast(), ud);
                        if let Some(cb) = callback {
                            cb(cvm_ptr.cast_mut().cast(), std::ptr::null_mut(), ud);
                        }
                    });
                },
                |_| {},
            )
            .map_err(thread_fail)
    })
}

#[no_mangle]
pub extern "C" fn hlffi_worker_register() {
    set_worker(true);
}

#[no_mangle]
pub extern "C" fn hlffi_worker_unregister() {
    set_worker(false);
}

/// Releases the VM lock this thread holds (inside a callback Haxe called, say) until
/// `hlffi_blocking_end`, so other threads run meanwhile; without a VM held, or with
/// no other thread able to run, it only records the region. Calls pair up; inside a
/// region the VM refuses this thread (`HLFFI_ERROR_WRONG_THREAD`).
#[no_mangle]
pub extern "C" fn hlffi_blocking_begin() {
    // SAFETY: this thread's references to the VM are the library's own (suspended in
    // the frames that called the C callback); C code cannot reach the VM but through
    // API calls, which refuse a thread inside a blocking region (`VmCell::hold` and
    // `VmCell::attach` check `in_blocking_region`), until `hlffi_blocking_end`.
    unsafe { hlffi_rs::blocking_begin() };
}

#[no_mangle]
pub extern "C" fn hlffi_blocking_end() {
    hlffi_rs::blocking_end();
}

// ---------------------------------------------------------------- 6.5 hot reload

/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_enable_hot_reload(vm: *mut c_void, enable: bool) -> c_int {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard_code(v, || {
        let vm = v.ok_or_else(|| fail(code::NULL_VM, "the VM is NULL"))?;
        if vm.loaded.load(Ordering::Acquire) {
            return Err(fail(code::ALREADY_INITIALIZED, "hot reload must be enabled before the module is loaded"));
        }
        vm.hot_reload.store(enable, Ordering::Release);
        Ok(())
    })
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_is_hot_reload_enabled(vm: *mut c_void) -> bool {
    // SAFETY: C contract of this function.
    unsafe { vm_opt(vm) }.is_some_and(|v| v.hot_reload.load(Ordering::Acquire))
}

/// Reload errors with the codes of §6.5.
fn reload_fail(e: Error) -> crate::boundary::Fail {
    let c = match &e {
        Error::ReloadNotEnabled => code::RELOAD_NOT_ENABLED,
        Error::NotLoaded => code::NOT_INITIALIZED,
        Error::FileNotFound { .. } => code::FILE_NOT_FOUND,
        Error::InvalidBytecode(_) => code::INVALID_BYTECODE,
        _ => code::RELOAD_FAILED,
    };
    fail(c, e.to_string())
}

fn reload_checks(vm: &CVm) -> R<()> {
    if !vm.loaded.load(Ordering::Acquire) {
        return Err(fail(code::NOT_INITIALIZED, "no module loaded"));
    }
    if !vm.hot_reload.load(Ordering::Acquire) {
        return Err(fail(code::RELOAD_NOT_ENABLED, "hot reload is not enabled (hlffi_enable_hot_reload before loading)"));
    }
    Ok(())
}

/// After an attempt: forget code-dependent caches, tell the reload callback.
fn after_reload(vm: &CVm, r: &R<bool>) {
    if matches!(r, Ok(true)) {
        if let Ok(mut l) = vm.local() {
            if let Some(t) = l.types.take() {
                l.old_types.push(t);
            }
        }
    }
    let cb = *lock(&vm.reload_cb);
    if let Some((cb, ud)) = cb {
        cb((vm as *const CVm).cast_mut().cast(), matches!(r, Ok(true)), ud as *mut c_void);
    }
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`; `path` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn hlffi_reload_module(vm: *mut c_void, path: *const c_char) -> c_int {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard_code(v, || {
        let vm = v.ok_or_else(|| fail(code::NULL_VM, "the VM is NULL"))?;
        reload_checks(vm)?;
        let path = if path.is_null() {
            vm.local()?.path.clone().ok_or_else(|| fail(code::INVALID_ARGUMENT, "path is NULL and the module was loaded from memory"))?
        } else {
            // SAFETY: C contract.
            PathBuf::from(unsafe { c_str(path, "path") }?)
        };
        let r = vm.with_vm_mut(|m| m.reload_module(&path).map(|_| true).map_err(reload_fail));
        after_reload(vm, &r);
        r.map(|_| ())
    })
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`; `data` is NULL or `size` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn hlffi_reload_module_memory(vm: *mut c_void, data: *const c_void, size: usize) -> c_int {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard_code(v, || {
        let vm = v.ok_or_else(|| fail(code::NULL_VM, "the VM is NULL"))?;
        if data.is_null() || size == 0 {
            return Err(fail(code::INVALID_ARGUMENT, "data is NULL or size is 0"));
        }
        reload_checks(vm)?;
        // SAFETY: `size` readable bytes per the contract (copied by the reader).
        let bytes = unsafe { std::slice::from_raw_parts(data.cast::<u8>(), size) };
        let r = vm.with_vm_mut(|m| m.reload_module_memory(bytes).map(|_| true).map_err(reload_fail));
        after_reload(vm, &r);
        r.map(|_| ())
    })
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_set_reload_callback(vm: *mut c_void, callback: Option<ReloadCallback>, userdata: *mut c_void) {
    // SAFETY: C contract of this function.
    if let Some(v) = unsafe { vm_opt(vm) } {
        *lock(&v.reload_cb) = callback.map(|cb| (cb, userdata as usize));
    }
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_check_reload(vm: *mut c_void) -> bool {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard(v, false, || {
        let vm = v.ok_or_else(|| fail(code::NULL_VM, "the VM is NULL"))?;
        if reload_checks(vm).is_err() || vm.local()?.path.is_none() {
            return Ok(false);
        }
        let r = vm.with_vm_mut(|m| m.check_reload().map_err(reload_fail));
        match r {
            Ok(false) => Ok(false),
            r => {
                after_reload(vm, &r);
                r
            }
        }
    })
}

// ---------------------------------------------------------------- 6.18 utilities

#[no_mangle]
pub extern "C" fn hlffi_get_version() -> *const c_char {
    c"3.0.0".as_ptr()
}

#[no_mangle]
pub extern "C" fn hlffi_get_hl_version() -> *const c_char {
    c"1.17.0".as_ptr()
}

#[no_mangle]
pub extern "C" fn hlffi_is_jit_mode() -> bool {
    true
}

/// Our collector scans no native stacks (roots are explicit), so there is nothing to
/// record.
#[no_mangle]
pub extern "C" fn hlffi_update_stack_top(_stack_marker: *mut c_void) {}

#[no_mangle]
pub extern "C" fn hlffi_gc_block() {
    hlffi_blocking_begin();
}

#[no_mangle]
pub extern "C" fn hlffi_gc_unblock() {
    hlffi_blocking_end();
}

// ---------------------------------------------------------------- 6.19 errors

/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_get_error(vm: *mut c_void) -> *const c_char {
    // SAFETY: C contract of this function.
    match unsafe { vm_opt(vm) } {
        Some(v) => v.error_ptr(),
        None => c"NULL VM".as_ptr(),
    }
}

#[no_mangle]
pub extern "C" fn hlffi_get_error_string(code: c_int) -> *const c_char {
    let s: &'static CStr = match code {
        0 => c"Success",
        1 => c"VM is NULL",
        2 => c"Already initialized",
        3 => c"Not initialized",
        4 => c"Initialization failed",
        5 => c"Destroy failed",
        6 => c"File not found",
        7 => c"Invalid bytecode",
        8 => c"Module load failed",
        9 => c"Module initialization failed",
        10 => c"Entry point not found",
        11 => c"Type not found",
        12 => c"Method not found",
        13 => c"Field not found",
        14 => c"Call failed",
        15 => c"Exception thrown",
        16 => c"Invalid type",
        17 => c"Type mismatch",
        18 => c"Null value",
        19 => c"Hot reload not supported",
        20 => c"Hot reload not enabled",
        21 => c"Hot reload failed",
        22 => c"Thread not started",
        23 => c"Thread already running",
        24 => c"Thread start failed",
        25 => c"Thread stop failed",
        26 => c"Wrong thread",
        27 => c"Event loop not found",
        28 => c"Event loop failed",
        29 => c"Out of memory",
        30 => c"Invalid argument",
        31 => c"Not implemented",
        32 => c"Unknown error",
        _ => c"Unknown error code",
    };
    s.as_ptr()
}
