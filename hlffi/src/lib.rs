//! # hlffi — embed Haxe (HashLink bytecode) in Rust
//!
//! `hlffi` runs `.hl` files produced by the Haxe compiler (`haxe -hl out.hl`) on
//! [`hlvm`], our HashLink-compatible virtual machine, and gives the host a safe API
//! around it.
//!
//! ```no_run
//! let mut vm = hlffi::Vm::new();
//! vm.load_file("game.hl")?;
//! vm.call_entry()?; // runs `static function main()` and the static initialisers
//! # Ok::<(), hlffi::Error>(())
//! ```
//!
//! Haxe's output (`trace`, `Sys.println`) goes to the process's stdout unless the
//! builder redirects it ([`VmBuilder::stdout`]).

#![forbid(unsafe_code)]

mod error;
mod vm;

pub use error::Error;
pub use vm::{Vm, VmBuilder};

/// Result type used throughout `hlffi`.
pub type Result<T, E = Error> = std::result::Result<T, E>;
