//! # hlffi — embed Haxe (HashLink bytecode) in Rust
//!
//! `hlffi` runs `.hl` files produced by the Haxe compiler (`haxe -hl out.hl`) on
//! [`hlvm`], our HashLink-compatible virtual machine, and gives the host a safe API
//! around it: calls in both directions, values, objects, arrays, maps, enums,
//! callbacks and the event loop.
//!
//! ```no_run
//! use hlffi::{Vm, Object};
//!
//! let mut vm = Vm::new();
//! vm.register_native("game", "log", |(msg,): (String,)| println!("[haxe] {msg}"));
//! vm.load_file("game.hl")?;
//! vm.call_entry()?; // static initialisers, then `main`
//!
//! let sum: i32 = vm.call_static("Main", "add", (2, 3))?;
//! let player: Object = vm.new_instance("Player", ("Ada",))?;
//! player.set("hp", 90)?;
//! let hp: i32 = player.call("damage", (10,))?;
//! let update = vm.static_fn::<(f64,), ()>("Game", "update")?; // resolved once
//! update.call((1.0 / 60.0,))?;
//! vm.update(1.0 / 60.0)?; // due haxe.Timer / MainLoop work
//! # Ok::<(), hlffi::Error>(())
//! ```
//!
//! Every handle ([`Value`], [`Object`], [`Array`], [`Map`], [`Bytes`],
//! [`EnumValue`], [`Function`]) keeps its Haxe value alive — it is a GC root — until
//! dropped. Errors are one enum, [`Error`], whose variants follow HLFFI's
//! `hlffi_error_code` ([`Error::code`]). Haxe's output (`trace`, `Sys.println`) goes
//! to the process's stdout unless the builder redirects it ([`VmBuilder::stdout`]).

#![deny(unsafe_code)]

mod array;
mod attach;
mod bytes;
mod callback;
#[allow(unsafe_code)]
mod cell;
mod convert;
mod enums;
mod error;
mod events;
mod function;
mod map;
mod object;
mod reflect;
mod reload;
mod shared;
mod thread;
mod value;
mod vm;

pub use array::{Array, ArrayIter};
pub use attach::VmAttach;
pub use bytes::Bytes;
pub use convert::{ArrayKind, Args, CallbackReturn, FromArgs, FromHl, IntoHl, MapKey};
#[doc(hidden)]
pub use convert::{ArgBuf, Cx};
pub use enums::{EnumCtor, EnumValue};
pub use error::Error;
pub use function::{Function, MethodFn, StaticFn};
pub use map::{Map, MapKind};
pub use object::Object;
pub use reflect::{RawType, TypeInfo, TypeKind};
pub use reload::{ReloadError, ReloadReport};
pub use thread::{VmThread, VmThreadBuilder};
pub use value::{Value, ValueKind};
pub use vm::{ArgCount, MovingVm, Vm, VmBuilder, VmRef};
pub use hlvm::{blocking_begin, blocking_end, jit_counts, JitMode};

/// Result type used throughout `hlffi`.
pub type Result<T, E = Error> = std::result::Result<T, E>;
