//! Hot reload: patching a running module with a new compilation of edited Haxe sources
//! (the job HashLink's `hl_module_patch` does; this is our own design).
//!
//! [`Vm::reload`] translates the new [`Code`] into the running module's index spaces,
//! then swaps changed function bodies into their existing function-table slots. Every
//! call goes through a slot, so every caller, every closure (closures hold a function
//! index) and every method value runs the new body on its next call, and a call to an
//! unchanged function costs exactly what it cost before: no indirection is ever added.
//! A function already running keeps its old body until it returns: each interpreter
//! frame holds its own `Rc<CompiledFn>` and never re-reads the table mid-function;
//! what it reads from the module by index (pools, types, globals, fields of class
//! objects, vtable slots) keeps its index, because a reload only ever appends.
//!
//! The rules users see (matching, what may change, what is refused) are documented on
//! [`Vm::reload`]; the naming rule for functions in `names`.
//!
//! The whole patch is computed first from shared borrows (`plan::Planner`), then applied
//! in one infallible step (`Vm::apply`).
//!
//! Module map: `names` (qualified function names), `types` (type mapping, layout
//! checks), `globals` (global mapping, initial values of new globals), `functions`
//! (function mapping, body translation), `plan` (the planner and the `Plan` it
//! produces), `vtables` (virtual-table slots), `apply` (committing a plan).

#![forbid(unsafe_code)]

mod apply;
mod functions;
mod globals;
mod names;
mod plan;
mod types;
mod vtables;

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

impl ReloadState {
    /// Whether it was recorded with `code` (the VM's current module).
    fn is_for(&self, code: &Rc<Code>) -> bool {
        std::ptr::eq(self.code.as_ptr(), Rc::as_ptr(code))
    }
}

fn incompatible(msg: impl Into<String>) -> ReloadError {
    ReloadError::Incompatible(msg.into())
}

/// Nesting limit for type mapping (real type graphs are a few levels deep).
const MAX_DEPTH: usize = 500;

impl Vm {
    /// Hot-reloads the running module from `new`, another compilation of (edited)
    /// sources of the loaded program: changed function bodies are swapped into their
    /// function-table slots, so every caller, closure and method value runs the new body
    /// on its next call; a function already running finishes its old body; statics keep
    /// their values. Calls to unchanged functions cost exactly what they cost before.
    ///
    /// # Matching (never by index: indices shift whenever code is added)
    /// - **Types.** Classes, structs, named enums and abstracts by name; every other type
    ///   (functions, virtuals, `Null<T>`, refs, the anonymous enums holding closure
    ///   captures) by structure after mapping its components; recursive structural types
    ///   are matched coinductively. Unknown types are appended.
    /// - **Functions** by qualified name (see "Function names" below) *and* type. A
    ///   function whose name matches but whose signature changed gets a new slot (old
    ///   closures keep the old body, which stays type-correct) and is reported as changed. The VM remembers the slot of every name it has seen, so a function
    ///   removed by one reload and added back by a later one gets its old slot again. A
    ///   bytecode function the host replaced ([`Vm::replace_function`]) keeps its
    ///   replacement.
    /// - **Natives** by `(lib, name)` and type; new imports are resolved in the VM's
    ///   registry (optional `?lib` imports may stay missing, as in [`Vm::load`]).
    /// - **Globals.** A class's statics are the fields of its class object `$Name`, held by
    ///   the global its type names (`ObjType::global`, `EnumType::global`), so those map
    ///   through the type. Constant globals (string literals) map by content. Other globals
    ///   (cached nullary enum constructors, core type objects, interface class objects,
    ///   `$allTypes`) map by type and the order the entrypoint first stores them in.
    /// - **Constant pools** by value: missing strings, ints, floats and bytes are appended.
    ///
    /// # What may change
    /// Function bodies; methods, classes, interfaces and enums may be added. A class object
    /// (`$Main`) may gain statics (static vars and functions are its fields): they are
    /// appended to the running layout and the new code's field indices are translated, so
    /// running code still finds the old ones; statics the new code drops stay, unused.
    /// Classes may gain and lose methods, virtual ones included: running methods keep
    /// their vtable slots, new virtual methods get fresh ones, and the new code's slot
    /// numbers are translated (genhl renumbers slots when a method becomes virtual).
    ///
    /// Statics keep their runtime values: static initialisers are **not** re-run, and
    /// statics new to a class (and all statics of a new class) start at their default
    /// value (0, null, false), whatever their initialiser says. Nothing of the new
    /// entrypoint runs. The values the entrypoint would give *new* globals are read off it
    /// when they are straight-line genhl patterns: class objects of new classes, enums and
    /// interfaces (with `__name__`/`__ename__`, `__type__`, an enum's `__evalues__`),
    /// cached nullary enum constructors, core type objects, string constants, and every
    /// interface's `__implementedBy__` list (so `Std.isOfType` sees new implementers).
    /// Not recreated: a new class's registration for `Type.resolveClass`, a new enum's
    /// `__constructs__` (`Type.getEnumConstructs`), `haxe.Resource`'s table (resources
    /// new to the program are not found).
    ///
    /// With Haxe's default dead-code elimination (`-dce std`), code that starts using
    /// more of a standard-library class can give that class fields it did not have,
    /// which is a layout change; build hot-reloadable programs with `-dce no`.
    ///
    /// # What is refused ([`ReloadError`]), leaving the VM exactly as it was
    /// [`ReloadError::Layout`]: a class or struct whose instance fields changed (added,
    /// removed, retyped, reordered) or whose super class changed; a static whose type
    /// changed; a named enum whose constructors changed. [`ReloadError::Link`]: natives
    /// no library provides. [`ReloadError::Incompatible`]: a different HLB version, a
    /// global whose type changed, anything else that cannot be mapped. Only the first
    /// conflict (in type order) is reported.
    ///
    /// # Function names
    /// Names (in [`ReloadReport`] and [`Vm::qualified_function`]): `Class.method`
    /// for methods and statics (`pkg.Class.method`, without genhl's `$`), `.init` for the
    /// entrypoint, `Class.var~init` for a closure the static initialisation stores into
    /// static `var`, `Parent~k` for any other closure (anonymous or local function),
    /// `Parent` being the named function that makes it and `k` counting, from 0, the
    /// distinct closures `Parent` makes, in op order; and `path/File.hx:line(args):ret`
    /// for the few functions that are neither methods nor closures (standard-library
    /// helpers genhl binds to no class). Inserting a closure before existing ones in the
    /// same function shifts their ordinals (bodies of the same type may then trade
    /// places); appending is always safe.
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
        // The planner read the remembered names only when they belong to this code.
        let kept = self.reload_state.take().filter(|st| st.is_for(&self.code));
        self.apply(plan);
        let mut state = kept.unwrap_or_else(|| ReloadState { code: Rc::downgrade(&self.code), names: HashMap::default() });
        state.names.extend(names);
        state.code = Rc::downgrade(&self.code);
        self.reload_state = Some(state);
        Ok(report)
    }

    /// The function index of the function named `name`: `Class.method` for methods and
    /// statics (`pkg.Class.method`, no `$`), `.init` for the entrypoint, `Parent~k` for
    /// closures (the full rule is on [`Vm::reload`]). The
    /// linker's trace names (`$Main.main`) are accepted too. Computes every name: cache
    /// the index rather than calling this on a hot path. (`Vm::find_function` looks up
    /// trace names only.)
    pub fn qualified_function(&self, name: &str) -> Option<u32> {
        let bodies = running_bodies(self);
        let names = names::compute(&self.types, &self.code.strings, &bodies, self.code.entrypoint, |f| running_loc(self, &bodies, f));
        names
            .qualified
            .iter()
            .position(|q| q.as_deref() == Some(name))
            .or_else(|| (0..names.trace.len()).find(|&f| names.trace_name(&self.code.strings, f) == name))
            .map(|f| f as u32)
    }
}

/// Debug file and line of the first op of running function `f`: from the module's code,
/// whose line tables a reload keeps current (the slot of an unchanged function keeps the
/// lines it was compiled with).
fn running_loc<'v>(vm: &'v Vm, bodies: &[Option<&'v Function>], f: usize) -> Option<(&'v str, u32)> {
    let code = &vm.code;
    let func = match code.fun_refs.get(f) {
        Some(FunRef::Function(i)) => code.functions.get(*i),
        _ => bodies.get(f).copied().flatten(),
    }?;
    let &(file, line) = func.debug.first()?;
    Some((code.debug_files.get(file as usize)?.as_str(), line))
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
