//! [`VmAttach`]: host threads other than the VM's creator calling into the VM.
//!
//! A [`crate::Vm`] and its handles are `!Send`. To let another host thread call Haxe,
//! take a [`VmAttach`] from the VM ([`crate::VmRef::attach_handle`]), send it to the
//! thread, and run the calls inside [`VmAttach::attach`]: the thread takes the VM lock
//! (Haxe code runs on one thread at a time), gets an execution state of its own (its
//! own stack, a `sys.thread.Thread` identity for `Thread.current()`), gets a
//! [`crate::VmRef`] to use the VM as the creating thread does, and leaves the VM when
//! the closure returns. Handles made inside must not outlive the closure: the result
//! must be `Send`, which they are not. A handle smuggled out anyway (kept in a
//! thread-local) fails with [`crate::Error::WrongThread`] when used outside, and its
//! drop only releases its root at the VM's next use.
//!
//! While a host thread is attached, the creating thread waits for the lock when it
//! calls into the VM (and the other way round); Haxe code that blocks (a `Lock.wait`,
//! `Sys.sleep`, socket I/O) lets the others run meanwhile.

use std::sync::Arc;

use crate::cell::SendShared;
use crate::shared::Shared;
use crate::{Result, VmRef};

/// A `Send + Sync` ticket that lets host threads call into a VM
/// ([`crate::VmRef::attach_handle`]). Cheap to clone. See the [module docs](self).
///
/// ```no_run
/// let mut vm = hlffi::Vm::new();
/// vm.load_file("game.hl")?;
/// vm.call_entry()?;
/// let ticket = vm.attach_handle()?;
/// let worker = std::thread::spawn(move || {
///     ticket.attach(|vm| vm.call_static::<i32>("Main", "work", (21,)))
/// });
/// let answer = worker.join().expect("worker thread")??;
/// # Ok::<(), hlffi::Error>(())
/// ```
#[derive(Clone)]
pub struct VmAttach {
    shared: SendShared,
}

impl VmAttach {
    pub(crate) fn new(shared: Arc<Shared>) -> VmAttach {
        VmAttach { shared: SendShared::new(shared) }
    }

    /// Runs `f` on the calling thread, inside the VM: it waits for the VM lock, then
    /// `f` may use the VM through the [`VmRef`] it receives (calls, statics, values,
    /// callbacks), then the thread leaves the VM. Other threads do not run Haxe code
    /// while `f` runs, except while Haxe code it calls blocks. On the VM's own thread
    /// it holds the VM for the whole of `f` too; inside a callback or a nested `attach`
    /// it just runs `f`. A panic in `f` leaves the VM first, then continues unwinding.
    ///
    /// # Errors
    /// [`crate::Error::VmDropped`] when the VM was dropped (also while waiting);
    /// [`crate::Error::WrongThread`] inside a blocking region of the C API.
    pub fn attach<R: Send>(&self, f: impl FnOnce(&VmRef) -> R) -> Result<R> {
        let shared = self.shared.get();
        shared.cell.attach(|| f(&VmRef { shared: shared.clone() }))
    }

    /// Whether the VM still exists.
    pub fn is_alive(&self) -> bool {
        !self.shared.get().cell.vm_lock().is_dead()
    }
}
