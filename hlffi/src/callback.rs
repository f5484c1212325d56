//! Rust functions called from Haxe: natives bound by name
//! ([`crate::Vm::register_native`]) and Rust closures as Haxe function values
//! ([`crate::Vm::function`]).
//!
//! Both go through one trampoline: it lends the VM to handles used inside the
//! callback, converts the arguments, runs the closure, and converts the result. A
//! Rust error or panic inside the closure becomes a Haxe exception (an `hl_error`-like
//! message `callback NAME failed: ...`) that Haxe code can catch; it never unwinds
//! through the VM.
//!
//! # Threads
//! Haxe threads call callbacks too, on their own OS threads (holding the VM lock). A
//! closure that is not `Send` may share state (an `Rc`, say) with code its thread runs
//! outside the VM, so it is bound to the thread that made it ([`Affinity::Creator`]):
//! called from another thread it throws instead of running, and if the VM drops it on
//! another thread (a collection run by a Haxe thread) it is leaked rather than dropped
//! there. `Send` closures ([`crate::Vm::register_native_send`],
//! [`crate::VmRef::function_send`]) run on any thread; the VM lock serialises calls.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;
use std::sync::Weak;

use hlvm::Exc;

use crate::convert::{CallbackReturn, FromArgs};
use crate::function::signature;
use crate::shared::Shared;
use crate::Error;

/// Which threads may call a callback.
#[derive(Clone, Copy)]
pub(crate) enum Affinity {
    /// Only the thread that made it (the closure is not `Send`).
    Creator,
    /// Any thread (the closure is `Send`).
    Any,
}

/// A closure with its thread affinity: dropped only on its own thread (else leaked).
struct Bound<F> {
    /// Always `Some` until dropped.
    f: Option<F>,
    /// [`hlvm::thread_token`] of the only thread allowed, or 0 for any.
    thread: u64,
}

impl<F> Bound<F> {
    fn new(f: F, affinity: Affinity) -> Bound<F> {
        let thread = match affinity {
            Affinity::Creator => hlvm::thread_token(),
            Affinity::Any => 0,
        };
        Bound { f: Some(f), thread }
    }

    /// Whether the calling thread may call (and drop) the closure.
    fn allowed(&self) -> bool {
        self.thread == 0 || self.thread == hlvm::thread_token()
    }
}

impl<F> Drop for Bound<F> {
    fn drop(&mut self) {
        if !self.allowed() {
            // A closure that is not `Send` must not be dropped on another thread: leak it.
            std::mem::forget(self.f.take());
        }
    }
}

/// Builds the hlvm host function for closure `f` named `name`.
pub(crate) fn trampoline<A, R, F>(shared: Weak<Shared>, name: String, f: F, affinity: Affinity) -> hlvm::HostFn
where
    A: FromArgs,
    R: CallbackReturn,
    F: Fn(A) -> R + 'static,
{
    let f = Bound::new(f, affinity);
    Rc::new(move |vm: &mut hlvm::Vm, findex: u32, args: &[u64]| -> Result<u64, Exc> {
        if !f.allowed() {
            return Err(vm.throw_msg(&format!(
                "callback {name} called from another thread than the one that made it (only Send closures, from register_native_send or function_send, may run on other threads)"
            )));
        }
        let Some(shared) = shared.upgrade() else {
            return Err(vm.throw_msg(&format!("callback {name} called after its VM was dropped")));
        };
        let outcome = shared.cell.enter_callback(vm, || {
            catch_unwind(AssertUnwindSafe(|| -> Result<u64, Error> {
                let (a, ret) = shared.with(|cx| {
                    let sig = signature(cx, findex)?;
                    let a = A::from_args(cx, args, &sig.params, &|| name.clone())?;
                    Ok((a, sig.ret))
                })?;
                let Some(call) = f.f.as_ref() else { return Err(Error::VmDropped) };
                match call(a).into_outcome() {
                    Ok(conv) => shared.with(|cx| conv(cx, ret).map_err(|e| e.at(|| format!("return value of {name}")))),
                    Err(message) => Err(Error::Callback { name: name.clone(), message }),
                }
            }))
        });
        match outcome {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(Error::Exit(code))) => Err(Exc::Exit(code)),
            Ok(Err(e @ Error::Callback { .. })) => Err(vm.throw_msg(&e.to_string())),
            Ok(Err(e)) => Err(vm.throw_msg(&format!("callback {name} failed: {e}"))),
            Err(panic) => {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "panic".into());
                Err(vm.throw_msg(&format!("callback {name} failed: panicked: {what}")))
            }
        }
    })
}
