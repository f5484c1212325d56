//! # hlvm — a HashLink-compatible virtual machine
//!
//! Runs `.hl` bytecode produced by the Haxe compiler (HLB versions 4 and 5) with the
//! behaviour of the reference HashLink 1.17 VM.
//!
//! Pipeline: [`code`] reads and validates the file into an immutable [`Code`];
//! [`module`] links it (object layouts, virtual tables, natives, function table);
//! `interp` executes it; [`gc`] collects its heap; `stdlib` provides HashLink's
//! standard natives.
//!
//! ```no_run
//! let bytes = std::fs::read("hello.hl").unwrap();
//! let code = hlvm::Code::read(&bytes)?;
//! let mut vm = hlvm::Vm::new(hlvm::VmConfig::default());
//! vm.load(code)?;
//! vm.call_entry()?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod code;
pub mod gc;
mod host;
mod interp;
mod jit;
pub mod module;
mod reload;
mod rt;
mod stdlib;
pub mod value;
mod threads;
mod vm;

pub use code::{Code, ReadError, ReadErrorKind};
pub use jit::jit_counts;
pub use module::{FnSlot, HostFn, LinkError};
pub use reload::{ReloadError, ReloadReport};
pub use vm::{Exc, JitMode, RunError, Vm, VmConfig};
pub use threads::{blocking_begin, blocking_end, in_blocking_region, thread_token, VmLock};
