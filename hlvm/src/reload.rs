//! Hot reload: patching a running module with a new compilation of edited Haxe sources
//! (the job HashLink's `hl_module_patch` does; this is our own design).
//!
//! [`Vm::reload`] takes the new [`Code`] and translates it into the running module's
//! index spaces, then swaps changed function bodies into their existing function-table
//! slots. Every call goes through a slot, so every caller, every closure (closures hold
//! a function index) and every method value runs the new body on its next call, and a
//! call to an unchanged function costs exactly what it cost before: no indirection is
//! ever added. A function already running keeps its old body until it returns (each
//! interpreter frame holds its own `Rc<CompiledFn>`; the interpreter never re-reads the
//! table in the middle of a function).
//!
//! # Matching (never by index: indices shift whenever code is added)
//! - **Types.** Classes, structs, named enums and abstracts by name; every other type
//!   (functions, virtuals, `Null<T>`, refs, the anonymous enums holding closure
//!   captures) structurally, after mapping its components; recursive structural types
//!   are matched coinductively.
//! - **Functions** by qualified name (see [`names`] for the rule, including anonymous
//!   functions: `Main.main~0`) *and* type. A function whose name matches but whose
//!   signature changed gets a new slot (old closures keep the old body, which stays
//!   type-correct); it is reported as changed.
//! - **Natives** by `(lib, name)`; new imports are resolved in the VM's registry.
//! - **Globals.** A class's statics live in the fields of its class object `$Name`, held
//!   by the global its type names (`ObjType::global`, `EnumType::global`), so those map
//!   through the type. Constant globals (string literals) map by content. Other globals
//!   (cached nullary enum constructors, `$allTypes`, ...) map by type and the order in
//!   which the entrypoint first stores them (the order genhl emits them in).
//! - **Constant pools** by value: missing strings, ints, floats and bytes are appended.
//!
//! # What may change
//! Function bodies; methods and classes may be added. A class object (`$Main`) may gain
//! statics (static vars and static functions are its fields): they are appended to the
//! running layout and the new code's field indices are translated, so existing code and
//! running frames still find the old ones. Statics keep their runtime values; static
//! initialisers are **not** re-run; statics new to a class start at their default value
//! (0, null, false). A new class gets a new class object with default statics; a new
//! enum gets its class object and its nullary constructors; nothing else of the new
//! entrypoint runs (so `Type.resolveClass` does not know a class added by a reload).
//!
//! # What is rejected ([`ReloadError`]), leaving the VM exactly as it was
//! A class or struct whose instance fields changed (added, removed, retyped, reordered)
//! or whose super class changed, a static whose type changed, a virtual method that
//! would move to another vtable slot (a virtual method added to or removed from a super
//! class that has subclasses with virtual methods of their own), a named enum whose
//! constructors changed: [`ReloadError::Layout`]. Natives no library provides:
//! [`ReloadError::Link`]. A different HLB version, a global whose type changed, and
//! anything else that cannot be mapped: [`ReloadError::Incompatible`].
//!
//! The whole patch is computed first from shared borrows (`plan::Planner`), and applied
//! in one infallible step (`Vm::apply`).
//!
//! Module map: [`names`] (qualified function names), `types` (type mapping, layout
//! checks), `globals` (global mapping, initial values of new globals), `functions`
//! (function mapping, body translation), `plan` (the planner and the `Plan` it
//! produces), `apply` (committing a plan).

#![forbid(unsafe_code)]

mod apply;
mod functions;
mod globals;
mod names;
mod plan;
mod types;

use std::rc::Rc;

use rustc_hash::FxHashMap as HashMap;
use thiserror::Error;

use crate::code::{Code, FunRef, Function};
use crate::module::{FnSlot, LinkError};
use crate::vm::Vm;

/// What a successful [`Vm::reload`] did. Names follow the rule of [`Vm::qualified_function`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReloadReport {
    /// Functions whose body changed (swapped in place, or given a new slot when their
    /// signature changed), sorted.
    pub changed: Vec<String>,
    /// Functions new to the module, sorted.
    pub added: Vec<String>,
    /// Number of functions whose translated body is identical (left untouched).
    pub unchanged: usize,
}

/// Why a reload was refused. The VM is left exactly as it was.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum ReloadError {
    /// A class, struct or enum cannot keep its runtime layout.
    #[error("cannot reload: the layout of `{type_name}` changed: {detail}")]
    Layout {
        /// The Haxe name of the type (`pkg.Class`; statics are reported on their class).
        type_name: String,
        /// What changed (names the field, method or constructor).
        detail: String,
    },
    /// The new code imports natives the VM does not provide
    /// ([`LinkError::MissingNatives`], as `lib@name`).
    #[error("cannot reload: {0}")]
    Link(#[from] LinkError),
    /// The new code cannot be mapped onto the running module.
    #[error("cannot reload: {0}")]
    Incompatible(String),
}

type Result<T> = std::result::Result<T, ReloadError>;

/// What a VM remembers between reloads: the function slot each qualified name last
/// had, so a function removed by one reload and added back by a later one gets its old
/// slot again (closures made before still reach it). Valid only for the code it was
/// recorded with (`Vm::load` starts over).
pub(crate) struct ReloadState {
    code: std::rc::Weak<Code>,
    names: HashMap<String, u32>,
}

fn incompatible(msg: impl Into<String>) -> ReloadError {
    ReloadError::Incompatible(msg.into())
}

/// Nesting limit for type mapping (real type graphs are a few levels deep).
const MAX_DEPTH: usize = 500;

impl Vm {
    /// Hot-reloads the running module from `new`, another compilation of (edited)
    /// sources of the loaded program. See the [module documentation](self) for how
    /// functions, types and globals are matched and what may change.
    ///
    /// Cost: linear in the size of both modules (names, pools and bodies are compared
    /// once); only changed functions are compiled.
    ///
    /// # Errors
    /// [`ReloadError::Layout`], [`ReloadError::Link`] or [`ReloadError::Incompatible`];
    /// the VM is then untouched (globals, function table, types and code as before).
    pub fn reload(&mut self, new: Code) -> std::result::Result<ReloadReport, ReloadError> {
        if !self.loaded {
            return Err(incompatible("no module is loaded"));
        }
        let mut plan = plan::Planner::new(self, &new)?.plan()?;
        let report = std::mem::take(&mut plan.report);
        let names = std::mem::take(&mut plan.names);
        self.apply(plan);
        self.reload_state = Some(ReloadState { code: Rc::downgrade(&self.code), names });
        Ok(report)
    }

    /// The function index of the function named `name`: `Class.method` for methods and
    /// statics (`pkg.Class.method`, no `$`), `.init` for the entrypoint, `Parent~k` for
    /// anonymous functions (see [`ReloadReport`] and the reload naming rule). The
    /// linker's trace names (`$Main.main`) are accepted too. Computes every name: cache
    /// the index rather than calling this on a hot path. (`Vm::find_function` looks up
    /// trace names only.)
    pub fn qualified_function(&self, name: &str) -> Option<u32> {
        let bodies = running_bodies(self);
        let names = names::compute(&self.types, &self.code.strings, &bodies, self.code.entrypoint);
        names
            .qualified
            .iter()
            .position(|q| q.as_deref() == Some(name))
            .or_else(|| names.trace.iter().position(|t| t == name))
            .map(|f| f as u32)
    }
}

/// Bytecode of every running function index: what its slot runs, or, for a bytecode
/// function the host replaced (`Vm::replace_function`), the code it replaced, so the
/// function keeps its name (and the override survives reloads).
fn running_bodies(vm: &Vm) -> Vec<Option<&Function>> {
    let code = &vm.code;
    vm.funcs
        .iter()
        .enumerate()
        .map(|(f, s)| match s {
            FnSlot::Bytecode(cf) => Some(&cf.func),
            _ => match code.fun_refs.get(f) {
                Some(FunRef::Function(i)) => code.functions.get(*i),
                _ => None,
            },
        })
        .collect()
}
