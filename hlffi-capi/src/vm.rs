//! `hlffi_vm`: the C-side VM object, and who may touch the `hlffi::Vm` inside it.
//!
//! An `hlffi::Vm` and its handles are `!Send`. The C API lets the VM move: in
//! NON_THREADED mode it belongs to the thread that called `hlffi_init`, and threads
//! that called `hlffi_worker_register` call in too (each API call inside the VM,
//! holding its lock: [`CVm::entered`]); in THREADED mode `hlffi_thread_start` moves
//! it to the VM thread (an [`hlffi_rs::VmThread`], through [`hlffi_rs::MovingVm`])
//! and `hlffi_thread_stop` moves it back. [`CVm`] therefore splits its state:
//!
//! * fields any thread may use (error text, mode, the VM thread handle, the exception
//!   record, the reload callback) sit behind `Mutex`es and atomics;
//! * the [`Local`] part (the `Vm`, its [`VmRef`], callbacks, type tables) sits in a
//!   `RefCell` that only the thread owning the VM, or a registered worker, may borrow,
//!   and only while holding the VM lock: every access first compares the calling
//!   thread with [`CVm::owner`] ([`CVm::local`]), so a host that breaks §5.3 gets
//!   `HLFFI_ERROR_WRONG_THREAD` instead of a data race.
//!
//! Calls into Haxe never hold a `RefCell` borrow: they clone the [`VmRef`] (an `Rc`)
//! and release the borrow first, so C callbacks called from Haxe can use the API
//! again. Operations that need the `Vm` itself (`&mut`: load, entry point, reload) go
//! through [`CVm::with_vm_mut`], which refuses to nest.

use std::cell::{Cell, RefCell, RefMut};
use std::collections::HashMap;
use std::ffi::CString;
use std::path::PathBuf;
use std::ptr::NonNull;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use hlffi_rs::{Vm, VmAttach, VmRef, VmThread};

use crate::boundary::{code, fail, Fail, R};
use crate::callbacks::Callback;
use crate::types::TypeTable;

pub(crate) const VM_MAGIC: u64 = 0x6866_6676_6d5f_766d;

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every update under these locks is a single assignment: a panic cannot leave
    // them half-written, so a poisoned lock is still usable.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

static NEXT_TOKEN: AtomicU64 = AtomicU64::new(1);

thread_local! {
    /// This thread's identity for ownership checks (0 is "nobody").
    static TOKEN: u64 = NEXT_TOKEN.fetch_add(1, Ordering::Relaxed);
    /// Set by `hlffi_worker_register` on this thread.
    static WORKER: Cell<u32> = const { Cell::new(0) };
}

pub(crate) fn thread_token() -> u64 {
    TOKEN.with(|t| *t)
}

pub(crate) fn set_worker(on: bool) {
    WORKER.with(|w| w.set(if on { w.get() + 1 } else { w.get().saturating_sub(1) }));
}

fn is_worker() -> bool {
    WORKER.with(|w| w.get() > 0)
}

/// The thread-confined part of a [`CVm`].
#[derive(Default)]
pub(crate) struct Local {
    /// The VM while it is on the host side (between load and `hlffi_thread_start`,
    /// and after `hlffi_thread_stop`).
    pub vm: Option<Box<Vm>>,
    /// While the VM thread runs a work item: the `&mut Vm` lent to it.
    pub active: Option<NonNull<Vm>>,
    /// Calls and handles go through this (a clone of the VM's own `VmRef`).
    pub vref: Option<VmRef>,
    pub args: Vec<String>,
    pub path: Option<PathBuf>,
    pub callbacks: HashMap<String, Rc<Callback>>,
    /// Type table of the current code, built on first use.
    pub types: Option<Rc<TypeTable>>,
    /// Tables of earlier code (after reloads): `hlffi_type*`s stay valid until destroy.
    pub old_types: Vec<Rc<TypeTable>>,
}

/// An `hlffi_vm` (`#[repr(C)]`, magic first: see `boundary::has_magic`).
#[repr(C)]
pub struct CVm {
    magic: u64,
    error: Mutex<CString>,
    pub mode: AtomicI32,
    pub hot_reload: AtomicBool,
    pub initialized: AtomicBool,
    pub loaded: AtomicBool,
    /// Thread token allowed to use `local` (0 before `hlffi_init`: anyone).
    pub owner: AtomicU64,
    /// True while an operation holds the `&mut Vm` ([`CVm::with_vm_mut`]).
    mut_busy: AtomicBool,
    pub thread: Mutex<Option<VmThread>>,
    /// Lets the owning thread and registered workers enter the VM for a whole API
    /// call ([`CVm::entered`]); set when a module is loaded.
    pub ticket: Mutex<Option<VmAttach>>,
    pub reload_cb: Mutex<Option<(crate::api::ReloadCallback, usize)>>,
    /// Last Haxe exception caught at the boundary: message and stack (§6.16).
    pub exception: Mutex<Option<(CString, CString)>>,
    local: RefCell<Local>,
}

// SAFETY: `CVm` is shared between host threads and the VM thread. The `Mutex`/atomic
// fields are thread-safe by themselves. `local` (a `RefCell` holding `!Send` values)
// is only borrowed through `CVm::local`, which first checks that the calling thread
// is the VM's current owner or a registered worker. Those run every API call inside
// the VM once a module is loaded (`CVm::entered`: holding the VM lock, whose mutex
// orders their accesses); before that workers are refused, and the owner is alone.
// Ownership changes only at `hlffi_init`, `hlffi_thread_start` and
// `hlffi_thread_stop`, each of which synchronises with the old owner (channel and
// join of the VM thread). So the `RefCell` and the `Rc`s inside are never used by two
// threads at once, and every hand-over has a happens-before edge.
unsafe impl Sync for CVm {}
// SAFETY: as above; the `CVm` box itself is only dropped by `hlffi_destroy` after the
// VM thread was joined.
unsafe impl Send for CVm {}

impl CVm {
    pub(crate) fn new() -> CVm {
        CVm {
            magic: VM_MAGIC,
            error: Mutex::new(c"No error".to_owned()),
            mode: AtomicI32::new(0),
            hot_reload: AtomicBool::new(false),
            initialized: AtomicBool::new(false),
            loaded: AtomicBool::new(false),
            owner: AtomicU64::new(0),
            mut_busy: AtomicBool::new(false),
            thread: Mutex::new(None),
            ticket: Mutex::new(None),
            reload_cb: Mutex::new(None),
            exception: Mutex::new(None),
            local: RefCell::new(Local::default()),
        }
    }

    /// Stores `f` for `hlffi_get_error` (and a Haxe exception for §6.16).
    pub(crate) fn record(&self, f: &Fail) {
        let text = CString::new(f.msg.replace('\0', " ")).unwrap_or_default();
        *lock(&self.error) = text;
        if let Some((message, stack)) = &f.exception {
            let m = CString::new(message.replace('\0', " ")).unwrap_or_default();
            let s = CString::new(stack.replace('\0', " ")).unwrap_or_default();
            *lock(&self.exception) = Some((m, s));
        }
    }

    /// Pointer to the current error text (valid until the next failure on this VM).
    pub(crate) fn error_ptr(&self) -> *const std::ffi::c_char {
        lock(&self.error).as_ptr()
    }

    /// Runs an API call's `body` inside the VM (holding its lock, see `hlffi::VmAttach`)
    /// when the calling thread may use the VM: its owner, or a thread that called
    /// `hlffi_worker_register`. So the owner and workers never use the VM, or this
    /// `CVm`'s thread-confined state, at the same time, whatever the host does. Other
    /// threads run `body` as it is (it refuses them, `check_thread`).
    pub(crate) fn entered<T>(&self, body: impl FnOnce() -> R<T>) -> R<T> {
        let owner = self.owner.load(Ordering::Acquire);
        if owner != thread_token() && !is_worker() {
            return body();
        }
        let ticket = lock(&self.ticket).clone();
        if ticket.is_none() && owner != thread_token() {
            return Err(fail(code::WRONG_THREAD, "worker threads may call in once a module is loaded"));
        }
        match ticket {
            // The result crosses no thread: `attach` runs `body` on this one.
            Some(t) => t.attach(|_| crate::api::AssertSend(body())).map_err(Fail::from)?.0,
            None => body(),
        }
    }

    /// Refuses calls from a thread that does not own the VM (§5.3).
    pub(crate) fn check_thread(&self) -> R<()> {
        let owner = self.owner.load(Ordering::Acquire);
        if owner == 0 || owner == thread_token() || is_worker() {
            return Ok(());
        }
        Err(fail(
            code::WRONG_THREAD,
            "called from a thread that does not own the VM (in THREADED mode, call it inside a hlffi_thread_call_sync/async function; other threads may call in after hlffi_worker_register)",
        ))
    }

    /// The thread-confined state, after the ownership check. Borrows are short and
    /// never held across calls into Haxe.
    pub(crate) fn local(&self) -> R<RefMut<'_, Local>> {
        self.check_thread()?;
        self.local.try_borrow_mut().map_err(|_| fail(code::UNKNOWN, "internal error: VM state borrowed twice"))
    }

    /// The VM's `&self` handle, for calls.
    pub(crate) fn vref(&self) -> R<VmRef> {
        self.local()?.vref.clone().ok_or_else(|| fail(code::NOT_INITIALIZED, "no module loaded (hlffi_load_file first)"))
    }

    /// Runs `f` with the `Vm` itself (load, entry point, reload, events).
    ///
    /// # Errors
    /// `NOT_INITIALIZED` without a VM; `WRONG_THREAD` from the wrong thread, or while
    /// another such operation runs (e.g. from a callback inside `hlffi_call_entry`).
    pub(crate) fn with_vm_mut<T>(&self, f: impl FnOnce(&mut Vm) -> R<T>) -> R<T> {
        let mut ptr = {
            let mut local = self.local()?;
            match local.active {
                Some(p) => p,
                None => match local.vm.as_mut() {
                    Some(b) => NonNull::from(&mut **b),
                    None => return Err(fail(code::NOT_INITIALIZED, "no module loaded (hlffi_load_file first)")),
                },
            }
        };
        if self.mut_busy.swap(true, Ordering::AcqRel) {
            return Err(fail(
                code::WRONG_THREAD,
                "not allowed while hlffi_call_entry, hlffi_update or a reload of this VM runs (e.g. from a callback it called)",
            ));
        }
        struct Clear<'a>(&'a AtomicBool);
        impl Drop for Clear<'_> {
            fn drop(&mut self) {
                self.0.store(false, Ordering::Release);
            }
        }
        let _clear = Clear(&self.mut_busy);
        // SAFETY: `ptr` points to the VM owned by `local.vm` (a `Box` that only
        // `hlffi_thread_start`/`hlffi_destroy` remove, and both refuse to run while
        // `mut_busy` is set) or to the `&mut Vm` lent to the running work item
        // (`local.active`, cleared before that item returns). `mut_busy` makes this
        // the only `&mut` derived from it; other API calls meanwhile reach the VM
        // through cloned `VmRef`s, not through this pointer.
        let vm = unsafe { ptr.as_mut() };
        f(vm)
    }

    pub(crate) fn mut_busy(&self) -> bool {
        self.mut_busy.load(Ordering::Acquire)
    }

    /// Takes the whole local state (for `hlffi_destroy`).
    pub(crate) fn take_local(&self) -> R<Local> {
        Ok(std::mem::take(&mut *self.local()?))
    }
}

/// Maps an `hlffi::Error` from loading to the codes of `hlffi_load_*` (§6.1).
pub(crate) fn load_fail(e: hlffi_rs::Error) -> Fail {
    let mut f = Fail::from(e);
    if f.code == code::NOT_INITIALIZED {
        f.code = code::UNKNOWN;
    }
    f
}
