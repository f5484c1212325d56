//! [`VmCell`]: shared, re-entrant access to the one [`hlvm::Vm`] of an embedding.
//!
//! Every handle ([`crate::Value`], [`crate::Object`], ...) and the [`crate::Vm`] itself
//! reach the VM through one `VmCell`. Access is strictly nested:
//!
//! * At the top level, [`VmCell::with`] lends the VM to one closure at a time; a second
//!   `with` while the first runs is refused with [`Error::VmBusy`].
//! * When Haxe code calls back into Rust (a host native or a Rust closure turned into a
//!   Haxe function), hlvm hands the callback a `&mut hlvm::Vm` reborrowed from the one
//!   the running `with` lent out. [`VmCell::enter_callback`] records that reference as
//!   the one to lend next, so handles used inside the callback work, and restores the
//!   previous state when the callback returns (or unwinds).
//!
//! This is the only module of `hlffi` with `unsafe` code.

use std::cell::Cell;
use std::ptr::NonNull;

use crate::{Error, Result};

pub(crate) struct VmCell {
    /// The VM, owned (from `Box::into_raw`); `None` once torn down.
    owner: Cell<Option<NonNull<hlvm::Vm>>>,
    /// The pointer the next [`VmCell::with`] derives its `&mut` from: `owner` at the top
    /// level, the callback's own `&mut` inside a host callback.
    active: Cell<Option<NonNull<hlvm::Vm>>>,
    /// True while a `&mut` derived from `active` is lent out.
    busy: Cell<bool>,
}

/// Restores `busy`/`active` when a `with` or a callback scope ends, also on unwind.
struct Restore<'a> {
    cell: &'a VmCell,
    active: Option<NonNull<hlvm::Vm>>,
    busy: bool,
}

impl Drop for Restore<'_> {
    fn drop(&mut self) {
        self.cell.active.set(self.active);
        self.cell.busy.set(self.busy);
    }
}

impl VmCell {
    pub(crate) fn new(vm: hlvm::Vm) -> VmCell {
        let p = NonNull::from(Box::leak(Box::new(vm)));
        VmCell { owner: Cell::new(Some(p)), active: Cell::new(Some(p)), busy: Cell::new(false) }
    }

    /// Lends the VM to `f`.
    ///
    /// # Errors
    /// [`Error::VmBusy`] when the VM is already lent out (a re-entrant call outside a
    /// callback); [`Error::VmDropped`] after [`VmCell::teardown`]; otherwise what `f`
    /// returns.
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut hlvm::Vm) -> Result<R>) -> Result<R> {
        if self.busy.get() {
            return Err(Error::VmBusy);
        }
        let Some(mut p) = self.active.get() else { return Err(Error::VmDropped) };
        let _restore = Restore { cell: self, active: self.active.get(), busy: false };
        self.busy.set(true);
        // SAFETY: `p` points to a live VM: either `owner` (alive until `teardown`, which
        // clears `active` first) or the `&mut` a callback received, which outlives the
        // callback scope that installed it. `busy` guarantees no other `&mut` derived
        // from `p` is live: every `with` sets it for its whole duration, and only
        // `enter_callback` clears it, while the outer borrow is suspended inside hlvm
        // waiting for the callback to return. Pointers installed by callbacks are
        // reborrows of the outer `&mut`, so the nesting is a proper reborrow stack.
        let vm = unsafe { p.as_mut() };
        f(vm)
    }

    /// Runs `f` (a host callback's body) with `vm` — the `&mut` hlvm passed to the
    /// callback — as the VM lent to any `with` inside it.
    pub(crate) fn enter_callback<R>(&self, vm: &mut hlvm::Vm, f: impl FnOnce() -> R) -> R {
        let _restore = Restore { cell: self, active: self.active.get(), busy: self.busy.get() };
        self.active.set(Some(NonNull::from(vm)));
        self.busy.set(false);
        f()
    }

    /// True while the VM is lent out.
    #[cfg(test)]
    pub(crate) fn is_busy(&self) -> bool {
        self.busy.get()
    }

    /// Drops the VM. Later `with` calls fail with [`Error::VmDropped`]. Refused (the VM
    /// is kept) while the VM is lent out.
    pub(crate) fn teardown(&self) {
        if self.busy.get() {
            return;
        }
        self.active.set(None);
        if let Some(p) = self.owner.take() {
            // SAFETY: `p` came from `Box::leak` in `new`, is taken out of `owner` exactly
            // once, and no borrow of it is live (`busy` is false and `active` was cleared,
            // so no new one can start).
            drop(unsafe { Box::from_raw(p.as_ptr()) });
        }
    }
}

impl Drop for VmCell {
    fn drop(&mut self) {
        self.busy.set(false);
        self.teardown();
    }
}

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
