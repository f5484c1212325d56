//! [`VmCell`]: shared, re-entrant access to the one [`hlvm::Vm`] of an embedding, from
//! the threads allowed in it.
//!
//! Every handle ([`crate::Value`], [`crate::Object`], ...) and the [`crate::Vm`] itself
//! reach the VM through one `VmCell`.
//!
//! # Which thread may use the VM
//! Haxe code runs on one OS thread at a time: the one holding the VM lock
//! ([`hlvm::VmLock`], see hlvm's `threads` module). Every access checks that the calling
//! thread holds it:
//!
//! * The thread that created the VM (the host's) holds it from the start. Once other
//!   threads can run in the VM ([`hlvm::Vm::threads_active`]: Haxe code started a
//!   thread, or [`crate::Vm::attach_handle`] was called), it releases the lock whenever
//!   its outermost access ends, and takes it back (waiting for it) when it enters
//!   again. So Haxe threads run while the host runs its own code.
//! * Haxe threads hold the lock while they run, so callbacks they call may use handles.
//! * Other host threads take it in [`VmCell::attach`] ([`crate::VmAttach`]).
//! * Any other thread (one that kept a handle in a thread-local, say) gets
//!   [`Error::WrongThread`].
//!
//! # Nesting on one thread
//! Per thread, access is strictly nested (the state is thread-local, [`Scope`]):
//!
//! * At the top level, [`VmCell::with`] lends the VM to one closure at a time; a second
//!   `with` while the first runs is refused with [`Error::VmBusy`].
//! * When Haxe code calls back into Rust (a host native or a Rust closure turned into a
//!   Haxe function), hlvm hands the callback a `&mut hlvm::Vm` reborrowed from the one
//!   the running `with` lent out. [`VmCell::enter_callback`] records that reference as
//!   the one to lend next, so handles used inside the callback work, and restores the
//!   previous state when the callback returns (or unwinds).
//!
//! Two threads' `&mut hlvm::Vm` can exist at once (a thread blocked in a native keeps
//! its own, suspended, while another thread runs): the VM lock orders their uses, and
//! hlvm passes the VM's address to an opaque function across every wait (as for its
//! own Haxe threads), so no access is reordered across a hand-over.
//!
//! This is the only module of `hlffi` with `unsafe` code.

use std::cell::{Cell, RefCell};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::shared::Shared;

use crate::{Error, Result};

/// One thread's nesting state for one [`VmCell`].
#[derive(Clone, Copy, PartialEq, Eq)]
struct Scope {
    /// The pointer the next [`VmCell::with`] derives its `&mut` from: `None` for the
    /// cell's own (the top level), the callback's own `&mut` inside a host callback.
    active: Option<NonNull<hlvm::Vm>>,
    /// True while a `&mut` derived from `active` is lent out.
    busy: bool,
    /// Open `with`, callback and attach scopes; the creating thread releases the lock
    /// when it leaves the outermost one.
    depth: u32,
}

const TOP: Scope = Scope { active: None, busy: false, depth: 0 };

/// A top-level scope while [`VmCell::with_fast`] runs on it: the VM is lent out.
const FAST_TOP: Scope = Scope { active: None, busy: true, depth: 1 };

thread_local! {
    /// This thread's non-top-level [`Scope`]s, by cell address (only while a scope is
    /// open, so an address is never stale).
    static SCOPES: RefCell<Vec<(usize, Scope)>> = const { RefCell::new(Vec::new()) };
    /// `SCOPES.len()`, readable without borrowing it (for [`VmCell::with_fast`]).
    static OPEN: Cell<usize> = const { Cell::new(0) };
    /// The cell [`VmCell::with_fast`] runs on in this thread (its address), 0 for none:
    /// that cell's top-level scope is [`FAST_TOP`] meanwhile.
    static FAST: Cell<usize> = const { Cell::new(0) };
}

pub(crate) struct VmCell {
    /// The VM, owned (from `Box::into_raw`); `None` once torn down. Read and written
    /// only by the thread holding the VM lock.
    owner: Cell<Option<NonNull<hlvm::Vm>>>,
    lock: hlvm::VmLock,
    /// [`hlvm::thread_token`] of the thread that owns the VM: the one that created it,
    /// or the one it moved to ([`crate::MovingVm`]); 0 while it moves.
    creator: AtomicU64,
}

/// Restores the thread's [`Scope`] when a `with`, callback or attach scope ends (also
/// on unwind), and releases the lock when the creating thread leaves the VM.
struct Restore<'a> {
    cell: &'a VmCell,
    saved: Scope,
    /// Release the lock after restoring (the creating thread's outermost scope).
    release: bool,
}

impl Drop for Restore<'_> {
    fn drop(&mut self) {
        self.cell.set_scope(self.saved);
        if self.release {
            self.cell.release_if_shared();
        }
    }
}

impl VmCell {
    pub(crate) fn new(vm: hlvm::Vm) -> VmCell {
        let p = NonNull::from(Box::leak(Box::new(vm)));
        // SAFETY: `p` was just leaked: unique, and this thread holds the new VM's lock.
        let vm = unsafe { &mut *p.as_ptr() };
        vm.bind_creator();
        VmCell { lock: vm.vm_lock(), owner: Cell::new(Some(p)), creator: AtomicU64::new(hlvm::thread_token()) }
    }

    fn key(&self) -> usize {
        self as *const VmCell as usize
    }

    /// This thread's scope when no entry of `SCOPES` names this cell.
    fn top(&self) -> Scope {
        if FAST.get() == self.key() {
            FAST_TOP
        } else {
            TOP
        }
    }

    fn scope(&self) -> Scope {
        let k = self.key();
        SCOPES.with(|s| s.borrow().iter().rev().find(|e| e.0 == k).map(|e| e.1)).unwrap_or_else(|| self.top())
    }

    fn set_scope(&self, sc: Scope) {
        let k = self.key();
        let top = self.top();
        SCOPES.with(|s| {
            let mut s = s.borrow_mut();
            match s.iter().rposition(|e| e.0 == k) {
                Some(i) if sc == top => {
                    s.swap_remove(i);
                }
                Some(i) => s[i].1 = sc,
                None if sc == top => {}
                None => s.push((k, sc)),
            }
            OPEN.set(s.len());
        });
    }

    /// Marks this thread's scope busy, one level deeper, and returns the scope it
    /// replaces (one thread-local access: this runs on every call into the VM);
    /// `None` when the scope is busy already (nothing changed). (An `Option`, 16 bytes,
    /// comes back in registers; a `Result` went through memory and cost a store
    /// forwarding stall on every call.)
    fn enter(&self) -> Option<Scope> {
        let k = self.key();
        let top = self.top();
        SCOPES.with(|s| {
            let mut s = s.borrow_mut();
            match s.iter().rposition(|e| e.0 == k) {
                Some(i) => {
                    let sc = s[i].1;
                    if sc.busy {
                        return None;
                    }
                    s[i].1 = Scope { active: sc.active, busy: true, depth: sc.depth + 1 };
                    Some(sc)
                }
                None if top.busy => None,
                None => {
                    s.push((k, Scope { active: None, busy: true, depth: 1 }));
                    OPEN.set(s.len());
                    Some(TOP)
                }
            }
        })
    }

    /// The VM's lock (for [`crate::VmAttach`]).
    pub(crate) fn vm_lock(&self) -> &hlvm::VmLock {
        &self.lock
    }

    /// Whether the calling thread holds the VM lock.
    pub(crate) fn held(&self) -> bool {
        self.lock.held_by_current_thread()
    }

    /// Whether the calling thread is the one that created the VM.
    pub(crate) fn on_creator_thread(&self) -> bool {
        hlvm::thread_token() == self.creator.load(Ordering::Acquire)
    }

    /// Prepares the VM to move to another thread ([`crate::Vm::into_moving`]): this
    /// (owning) thread releases the lock and gives up ownership.
    ///
    /// # Errors
    /// [`Error::VmBusy`] inside a call into the VM; as [`VmCell::with`].
    pub(crate) fn leave_for_move(&self) -> Result<()> {
        if self.scope() != TOP {
            return Err(Error::VmBusy);
        }
        self.hold()?;
        let Some(p) = self.owner.get() else { return Err(Error::VmDropped) };
        // SAFETY: this thread holds the lock (`hold`) and uses the VM through no other
        // reference (its scope is the top level).
        unsafe { &mut *p.as_ptr() }.release_thread();
        self.creator.store(0, Ordering::Release);
        Ok(())
    }

    /// Makes the calling thread the VM's owner after a move ([`VmCell::leave_for_move`]
    /// on the old thread, then a hand-over that orders the two).
    pub(crate) fn arrive(&self) {
        self.creator.store(hlvm::thread_token(), Ordering::Release);
        // Taking the lock now only keeps the creation-time state (the owner holds it
        // until threads exist); on failure the next access takes it.
        let _ = self.hold();
    }

    /// Makes sure the calling thread holds the VM lock: the creating thread takes it
    /// back if it had released it (`Ok(true)`: it must release it when done).
    #[inline]
    fn hold(&self) -> Result<bool> {
        if self.lock.held_by_current_thread() {
            return Ok(false);
        }
        self.take_back()
    }

    /// [`VmCell::hold`] when the calling thread does not hold the lock.
    #[cold]
    fn take_back(&self) -> Result<bool> {
        if !self.on_creator_thread() || hlvm::in_blocking_region() {
            return Err(Error::WrongThread(
                "this VM is used by another thread (use it from the thread that created it, from a callback, or inside VmAttach::attach)".into(),
            ));
        }
        if !self.lock.acquire() {
            return Err(Error::VmDropped);
        }
        match self.owner.get() {
            Some(p) => {
                // SAFETY: this thread holds the lock and the VM is alive (a dropped VM's
                // lock cannot be taken); no other reference to it is in use here.
                unsafe { &mut *p.as_ptr() }.resume_thread(0);
                Ok(true)
            }
            // Not reachable: tearing the VM down kills its lock.
            None => Err(Error::VmDropped),
        }
    }

    /// For [`VmCell::teardown`] and [`VmCell::abandon`]: whether the VM can be ended
    /// from here (it exists and is not lent out on this thread), after taking the lock
    /// ([`VmCell::hold`]; refused on a thread that may not use the VM).
    fn hold_to_end(&self) -> bool {
        !self.scope().busy && self.owner.get().is_some() && self.hold().is_ok()
    }

    /// Releases the lock if other threads can use the VM (the caller holds it and is
    /// leaving the VM).
    fn release_if_shared(&self) {
        if let Some(p) = self.owner.get() {
            // SAFETY: the caller holds the lock (see `Restore`), the VM is alive, and no
            // `&mut` derived from it is in use on this thread any more.
            let vm = unsafe { &mut *p.as_ptr() };
            if vm.threads_active() {
                vm.release_thread();
            }
        }
    }

    /// Lends the VM to `f`.
    ///
    /// # Errors
    /// [`Error::VmBusy`] when the VM is already lent out on this thread (a re-entrant
    /// call outside a callback); [`Error::WrongThread`] on a thread that may not use
    /// the VM now; [`Error::VmDropped`] after [`VmCell::teardown`]; otherwise what `f`
    /// returns.
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut hlvm::Vm) -> Result<R>) -> Result<R> {
        let reacquired = self.hold()?;
        let Some(sc) = self.enter() else {
            if reacquired {
                self.release_if_shared();
            }
            return Err(Error::VmBusy);
        };
        let release = reacquired || (sc.depth == 0 && self.on_creator_thread());
        let _restore = Restore { cell: self, saved: sc, release };
        let Some(mut p) = sc.active.or(self.owner.get()) else {
            return Err(Error::VmDropped);
        };
        // SAFETY: this thread holds the VM lock, so no other thread uses the VM now. `p`
        // points to a live VM: either `owner` (alive until `teardown`, which clears it
        // under the lock) or the `&mut` a callback on this thread received, which
        // outlives the callback scope that installed it. `busy` guarantees no other
        // `&mut` derived from `p` is live on this thread: every `with` sets it for its
        // whole duration, and only `enter_callback`/`attach` clear it, while the outer
        // borrow is suspended inside hlvm waiting for them to return. Pointers installed
        // by callbacks are reborrows of the outer `&mut`, so the nesting is a proper
        // reborrow stack.
        let vm = unsafe { p.as_mut() };
        f(vm)
    }

    /// [`VmCell::with`], the short way, for a host's top-level calls (a cached function
    /// handle called from a game loop): when the calling thread holds the lock, has no
    /// scope open on any cell, and no other thread can run in the VM. `None`, nothing
    /// done, otherwise: the caller then uses `with`, which answers every other case.
    ///
    /// What `with` would do here, `with_fast` does too: the VM is lent to `f` alone (a
    /// `with` on this thread meanwhile, outside callbacks, is refused as busy: the
    /// cell's top-level scope is [`FAST_TOP`]), and if `f` started a Haxe thread, the
    /// creating thread releases the lock on the way out.
    #[inline]
    pub(crate) fn with_fast<R>(&self, f: impl FnOnce(&mut hlvm::Vm) -> R) -> Option<R> {
        if OPEN.get() != 0 || FAST.get() != 0 || !self.lock.held_by_current_thread() {
            return None;
        }
        let mut p = self.owner.get()?;
        /// Ends the fast scope, also on unwind.
        struct Reset;
        impl Drop for Reset {
            fn drop(&mut self) {
                FAST.with(|f| f.set(0));
            }
        }
        // SAFETY: this thread holds the VM lock, so no other thread uses the VM; `owner`
        // is alive until `teardown`, which clears it under the lock. No `&mut` derived
        // from it is live on this thread: no scope of any cell is open here (`OPEN`), so
        // no `with` or callback is running below us, and from now until `Reset` a `with`
        // on this cell outside a callback is refused (`FAST`), while callbacks lend the
        // `&mut` hlvm passes them (reborrows of this one), as inside `with`.
        let vm = unsafe { p.as_mut() };
        if vm.threads_active() {
            return None;
        }
        FAST.with(|f| f.set(self.key()));
        let reset = Reset;
        let r = f(vm);
        drop(reset);
        if vm.threads_active() && self.on_creator_thread() {
            vm.release_thread();
        }
        Some(r)
    }

    /// Runs `f` (a host callback's body, on the thread holding the lock) with `vm` —
    /// the `&mut` hlvm passed to the callback — as the VM lent to any `with` inside it.
    pub(crate) fn enter_callback<R>(&self, vm: &mut hlvm::Vm, f: impl FnOnce() -> R) -> R {
        let sc = self.scope();
        let _restore = Restore { cell: self, saved: sc, release: false };
        self.set_scope(Scope { active: Some(NonNull::from(vm)), busy: false, depth: sc.depth + 1 });
        f()
    }

    /// Runs `f` holding the VM lock for the whole call. A host thread that is not the
    /// owning one gets an execution state of its own in the VM for it; the owning thread
    /// takes the lock back if it had released it; a thread already holding it (inside
    /// a callback or another `attach`) just runs `f`.
    ///
    /// # Errors
    /// [`Error::VmDropped`] when the VM is gone (also while waiting for the lock).
    pub(crate) fn attach<R>(&self, f: impl FnOnce() -> R) -> Result<R> {
        if self.on_creator_thread() {
            // Hold the lock across `f` (the creating thread's `with`s inside are nested).
            let reacquired = self.hold()?;
            let sc = self.scope();
            let _restore = Restore { cell: self, saved: sc, release: reacquired || sc.depth == 0 };
            self.set_scope(Scope { depth: sc.depth + 1, ..sc });
            return Ok(f());
        }
        if self.lock.held_by_current_thread() {
            return Ok(f());
        }
        if hlvm::in_blocking_region() {
            return Err(Error::WrongThread("attach inside a blocking region (hlffi_blocking_begin)".into()));
        }
        if !self.lock.acquire() {
            return Err(Error::VmDropped);
        }
        let Some(p) = self.owner.get() else { return Err(Error::VmDropped) };
        // SAFETY: this thread holds the lock and the VM is alive (see `hold`).
        unsafe { &mut *p.as_ptr() }.attach_thread();
        struct Detach<'a>(&'a VmCell);
        impl Drop for Detach<'_> {
            fn drop(&mut self) {
                if let Some(p) = self.0.owner.get() {
                    // SAFETY: this thread still holds the lock (nothing in the scope can
                    // end it: blocking natives take it back before returning), and the
                    // scope's borrows of the VM have ended.
                    unsafe { &mut *p.as_ptr() }.detach_thread();
                }
            }
        }
        let _detach = Detach(self);
        let sc = self.scope();
        let _restore = Restore { cell: self, saved: sc, release: false };
        self.set_scope(Scope { active: None, busy: false, depth: sc.depth + 1 });
        Ok(f())
    }

    /// True while the VM is lent out on this thread.
    #[cfg(test)]
    pub(crate) fn is_busy(&self) -> bool {
        self.scope().busy
    }

    /// Drops the VM, after attached host threads have left it. Later `with` calls fail
    /// with [`Error::VmDropped`]. Refused (the VM is kept) while the VM is lent out on
    /// this thread, and on a thread other than the creating one (a handle kept
    /// elsewhere outliving the `Vm`: the VM then leaks).
    pub(crate) fn teardown(&self) {
        if !self.hold_to_end() {
            return;
        }
        // Attached host threads inside the VM (blocked, or between their turns) finish
        // their calls first: dropping the VM under them would strand them.
        while let Some(p) = self.owner.get() {
            // SAFETY: this thread holds the lock; the VM is alive.
            let vm = unsafe { &mut *p.as_ptr() };
            if vm.attached_threads() == 0 {
                break;
            }
            vm.release_thread();
            std::thread::sleep(std::time::Duration::from_millis(1));
            if self.hold().is_err() {
                return;
            }
        }
        if let Some(p) = self.owner.take() {
            // SAFETY: `p` came from `Box::leak` in `new`, is taken out of `owner` exactly
            // once, under the lock, and no borrow of it is live on this thread (`busy` is
            // false) nor on others (they wait for the lock, or are parked in hlvm, which
            // marks the lock dead when the VM drops so they never touch it again).
            drop(unsafe { Box::from_raw(p.as_ptr()) });
        }
    }

    /// Ends the VM without freeing it, for a process about to exit: takes the lock
    /// (other threads stop at their next safepoint, or wherever they wait), marks it
    /// dead so they never run again, and forgets the VM. Later uses fail with
    /// [`Error::VmDropped`]. Does nothing where [`VmCell::teardown`] would refuse.
    pub(crate) fn abandon(&self) {
        if !self.hold_to_end() {
            return;
        }
        if let Some(p) = self.owner.take() {
            // SAFETY: this thread holds the lock and no borrow of the VM is live on it;
            // the VM is never freed, so the pointer stays valid for anyone parked on it.
            unsafe { &mut *p.as_ptr() }.stop_threads();
        }
    }
}

impl Drop for VmCell {
    fn drop(&mut self) {
        self.set_scope(TOP);
        self.teardown();
    }
}

/// An `Arc<Shared>` that may cross threads: [`crate::VmAttach`]'s.
#[derive(Clone)]
pub(crate) struct SendShared(Arc<Shared>);

impl SendShared {
    pub(crate) fn new(shared: Arc<Shared>) -> SendShared {
        SendShared(shared)
    }

    /// The `Shared`: use it only through [`VmCell::attach`] (and the lock-free
    /// [`hlvm::VmLock`] queries).
    pub(crate) fn get(&self) -> &Arc<Shared> {
        &self.0
    }
}

// SAFETY: `Arc`'s counts are atomic, so clones and drops on any thread are fine. The
// `Shared` behind it is only used through `VmCell::attach` (which takes the VM lock
// before touching anything thread-confined, ordering every use between threads) and
// the `VmLock` queries, which are thread-safe.
unsafe impl Send for SendShared {}
// SAFETY: as above; `&SendShared` gives no more access than `SendShared`.
unsafe impl Sync for SendShared {}

// SAFETY: a `MovingVm` is made by `Vm::into_moving`, after the old thread released
// the VM lock and gave up ownership (`VmCell::leave_for_move`); until
// `MovingVm::arrive` on the new thread takes the lock, nothing of the `Vm` is used
// except through `Arc` counts (atomic) and the lock. Handles left on the old thread
// are refused there (it neither owns the VM nor holds the lock) and only queue their
// roots' release (`Shared::release_root`, a `Mutex`).
unsafe impl Send for crate::MovingVm {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_with_is_refused_and_state_is_restored() {
        let cell = VmCell::new(hlvm::Vm::new(hlvm::VmConfig::default()));
        let r = cell.with(|_| Ok(cell.with(|_| Ok(())).is_err()));
        assert!(matches!(r, Ok(true)));
        assert!(!cell.is_busy());
        assert!(cell.with(|_| Ok(())).is_ok());
    }

    #[test]
    fn callback_scope_lends_the_inner_reference() {
        let cell = VmCell::new(hlvm::Vm::new(hlvm::VmConfig::default()));
        let r = cell.with(|vm| {
            let roots = vm.root_count();
            let inner = cell.enter_callback(vm, || cell.with(|vm2| Ok(vm2.add_root(0))));
            assert!(cell.is_busy(), "busy again after the callback");
            Ok((roots, inner?, vm.root_count()))
        });
        assert!(matches!(r, Ok((0, 0, 1))));
    }

    #[test]
    fn panics_restore_the_state() {
        let cell = VmCell::new(hlvm::Vm::new(hlvm::VmConfig::default()));
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = cell.with(|_| -> Result<()> { panic!("boom") });
        }));
        assert!(r.is_err());
        assert!(!cell.is_busy());
        assert!(cell.with(|_| Ok(())).is_ok());
    }

    #[test]
    fn teardown_makes_access_fail() {
        let cell = VmCell::new(hlvm::Vm::new(hlvm::VmConfig::default()));
        cell.teardown();
        assert!(matches!(cell.with(|_| Ok(())), Err(Error::VmDropped)));
    }
}
