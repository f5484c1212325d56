//! Rust functions called from Haxe: natives bound by name
//! ([`crate::Vm::register_native`]) and Rust closures as Haxe function values
//! ([`crate::Vm::function`]).
//!
//! Both go through one trampoline: it lends the VM to handles used inside the
//! callback, converts the arguments, runs the closure, and converts the result. A
//! Rust error or panic inside the closure becomes a Haxe exception (an `hl_error`-like
//! message `callback NAME failed: ...`) that Haxe code can catch; it never unwinds
//! through the VM.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::{Rc, Weak};

use hlvm::Exc;

use crate::convert::{CallbackReturn, FromArgs};
use crate::function::signature;
use crate::shared::Shared;
use crate::Error;

/// Builds the hlvm host function for closure `f` named `name`.
pub(crate) fn trampoline<A, R, F>(shared: Weak<Shared>, name: String, f: F) -> hlvm::HostFn
where
    A: FromArgs,
    R: CallbackReturn,
    F: Fn(A) -> R + 'static,
{
    Rc::new(move |vm: &mut hlvm::Vm, findex: u32, args: &[u64]| -> Result<u64, Exc> {
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
                match f(a).into_outcome() {
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
