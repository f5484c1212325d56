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
//! The whole patch is computed first from shared borrows (`Planner`), and applied in one
//! infallible step (`Vm::apply`).

#![forbid(unsafe_code)]

mod names;

use std::rc::Rc;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use thiserror::Error;

use crate::code::{Code, Constant, EnumConstruct, EnumType, Field, FunRef, FunType, Function, Native, ObjType, Op, Proto, Type, VirtualType};
use crate::gc::Obj;
use crate::module::{hash_str, CompiledFn, FnSlot, Kind, LinkError, RtField, RtObj, RtVirtual};
use crate::value::{from_i32, make_bytes};
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
        let mut plan = Planner::new(self, &new)?.plan()?;
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

// ---------------------------------------------------------------------------- plan

/// The value a global new to the module starts with.
enum GlobalInit {
    /// 0 / null.
    Zero,
    /// A constant object of type `ty` (HLB constants: string literals), field by field.
    Const { ty: u32, fields: Vec<ConstField> },
    /// The class object `$Name` of a new class (`class_ty`) of instance type `inst`.
    ClassObject { class_ty: u32, inst: u32 },
    /// The class object `$Name` of a new enum `en`.
    EnumObject { class_ty: u32, en: u32 },
    /// A nullary constructor of enum `en`, as cached by the entrypoint.
    EnumValue { en: u32, ctor: u32 },
}

enum ConstField {
    Raw(u64),
    Str(u32),
    Global(u32),
}

/// A function appended to the table.
enum Appended {
    Bytecode { cf: Rc<CompiledFn>, trace: String },
    Native { lib: String, name: String, ty: u32, slot: FnSlot },
}

/// A class object type that gained statics: its instances (the class objects held by
/// globals) get the new fields.
struct Migration {
    ty: u32,
    len: usize,
    /// `(field, findex before, findex now)` for bindings (static functions) to refresh.
    bindings: Vec<(usize, Option<u32>, u32)>,
}

/// Everything [`Vm::apply`] needs; computed without touching the VM.
struct Plan {
    add_strings: Vec<String>,
    add_ints: Vec<i32>,
    add_floats: Vec<f64>,
    add_bytes: Vec<Vec<u8>>,
    add_files: Vec<String>,
    has_debug: bool,
    updated_types: Vec<(u32, Type)>,
    add_types: Vec<Type>,
    rt_obj: Vec<(u32, Rc<RtObj>)>,
    rt_virt: Vec<(u32, Rc<RtVirtual>)>,
    add_globals: Vec<(u32, GlobalInit)>,
    add_constants: Vec<Constant>,
    swaps: Vec<(u32, Rc<CompiledFn>)>,
    debug_updates: Vec<(u32, Vec<(u32, u32)>)>,
    appended: Vec<Appended>,
    migrations: Vec<Migration>,
    hash_names: Vec<(i32, String)>,
    report: ReloadReport,
    /// Qualified name → running slot, for the next reload.
    names: HashMap<String, u32>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum TState {
    Todo,
    Busy,
    Done(u32),
}

/// Name key of a nominal type: kind tag, name, occurrence of that name.
type NomKey<'a> = (u8, &'a str, u32);

/// Structural key of a type, components in the running index space.
#[derive(Hash, PartialEq, Eq)]
enum TKey {
    Prim(u8),
    Fun(Box<[u32]>),
    Method(Box<[u32]>),
    Ref(u32),
    Null(u32),
    Packed(u32),
    Virtual(Box<[(String, u32)]>),
    Enum(Box<[(String, Box<[u32]>)]>),
}

/// Shallow shape of a structural type (for coinductive matching of recursive types).
#[derive(Hash, PartialEq, Eq)]
enum Shallow {
    Kind(u8, usize),
    Virtual(Box<[String]>),
    Enum(Box<[(String, usize)]>),
}

/// Key of a global no type owns.
#[derive(Hash, PartialEq, Eq)]
enum GKey {
    /// A constant object: type and field values.
    Const(u32, Box<[CVal]>),
    /// Type, and ordinal among globals of that type by first store in the entrypoint.
    Site(u32, u32),
    /// Type, and ordinal among the remaining globals of that type.
    Other(u32, u32),
}

#[derive(Hash, PartialEq, Eq)]
enum CVal {
    Int(i32),
    Float(u64),
    Str(String),
    Ty(u32),
}

fn nominal_of<'s>(ty: &Type, strings: &'s [String]) -> Option<(u8, &'s str)> {
    let s = |i: u32| strings.get(i as usize).map(String::as_str).unwrap_or("");
    match ty {
        Type::Obj(o) => Some((0, s(o.name))),
        Type::Struct(o) => Some((1, s(o.name))),
        Type::Enum(e) if e.global != 0 => Some((2, s(e.name))),
        Type::Abstract(n) => Some((3, s(*n))),
        _ => None,
    }
}

/// Component types of a structural type, in a fixed order.
fn components(ty: &Type) -> Vec<u32> {
    match ty {
        Type::Fun(f) | Type::Method(f) => f.args.iter().copied().chain(std::iter::once(f.ret)).collect(),
        Type::Ref(t) | Type::Null(t) | Type::Packed(t) => vec![*t],
        Type::Virtual(v) => v.fields.iter().map(|f| f.ty).collect(),
        Type::Enum(e) => e.constructs.iter().flat_map(|c| c.params.iter().copied()).collect(),
        _ => Vec::new(),
    }
}

/// Structural key of `ty` whose components (see [`components`]) are `comps`.
fn tkey(ty: &Type, comps: &[u32], strings: &[String]) -> TKey {
    let s = |i: u32| strings.get(i as usize).cloned().unwrap_or_default();
    match ty {
        Type::Fun(_) => TKey::Fun(comps.into()),
        Type::Method(_) => TKey::Method(comps.into()),
        Type::Ref(_) => TKey::Ref(comps[0]),
        Type::Null(_) => TKey::Null(comps[0]),
        Type::Packed(_) => TKey::Packed(comps[0]),
        Type::Virtual(v) => TKey::Virtual(v.fields.iter().zip(comps).map(|(f, &t)| (s(f.name), t)).collect()),
        Type::Enum(e) => {
            let mut at = 0;
            TKey::Enum(
                e.constructs
                    .iter()
                    .map(|c| {
                        let p: Box<[u32]> = comps[at..at + c.params.len()].into();
                        at += c.params.len();
                        (s(c.name), p)
                    })
                    .collect(),
            )
        }
        t => TKey::Prim(t.kind_id()),
    }
}

fn shallow(ty: &Type, strings: &[String]) -> Shallow {
    let s = |i: u32| strings.get(i as usize).cloned().unwrap_or_default();
    match ty {
        Type::Virtual(v) => Shallow::Virtual(v.fields.iter().map(|f| s(f.name)).collect()),
        Type::Enum(e) => Shallow::Enum(e.constructs.iter().map(|c| (s(c.name), c.params.len())).collect()),
        t => Shallow::Kind(t.kind_id(), components(t).len()),
    }
}

/// Fields of object type `t` flattened, super classes first.
fn flat_fields(types: &[Type], t: u32) -> Option<Vec<&Field>> {
    let mut chain = Vec::new();
    let mut cur = Some(t);
    while let Some(c) = cur {
        if chain.len() > 1000 {
            return None;
        }
        let o = types.get(c as usize)?.obj()?;
        chain.push(o);
        cur = o.super_;
    }
    Some(chain.iter().rev().flat_map(|o| o.fields.iter()).collect())
}

/// Method names by vtable slot for object type `t` (super classes first).
fn slot_names(types: &[Type], strings: &[String], t: u32) -> Result<Vec<Option<String>>> {
    let mut chain = Vec::new();
    let mut cur = Some(t);
    while let Some(c) = cur {
        if chain.len() > 1000 {
            return Err(incompatible(format!("class hierarchy of type {t} is cyclic")));
        }
        let Some(o) = types.get(c as usize).and_then(Type::obj) else { break };
        chain.push(o);
        cur = o.super_;
    }
    let mut slots: Vec<Option<String>> = Vec::new();
    for o in chain.iter().rev() {
        for p in &o.protos {
            if p.pindex < 0 {
                continue;
            }
            let s = p.pindex as usize;
            if s > 1_000_000 {
                return Err(incompatible(format!("method slot {s} out of range")));
            }
            if slots.len() <= s {
                slots.resize(s + 1, None);
            }
            slots[s] = strings.get(p.name as usize).cloned();
        }
    }
    Ok(slots)
}

/// Slices of each bytes constant (HLB v5): from its start to the next greater start.
fn bytes_slices(code: &Code) -> Vec<&[u8]> {
    let mut starts: Vec<usize> = code.bytes_pos.iter().map(|&p| p as usize).collect();
    starts.sort_unstable();
    starts.dedup();
    code.bytes_pos
        .iter()
        .map(|&p| {
            let p = p as usize;
            let end = match starts.binary_search(&p) {
                Ok(i) => starts.get(i + 1).copied().unwrap_or(code.bytes.len()),
                Err(_) => p,
            };
            code.bytes.get(p..end).unwrap_or(&[])
        })
        .collect()
}

/// Maps a new pool onto a running one by key: returns the running index of each new
/// entry and the new entries to append (their positions in the new pool).
fn merge_pool<K: std::hash::Hash + Eq>(run: impl Iterator<Item = K>, run_len: usize, new: impl Iterator<Item = K>) -> (Vec<u32>, Vec<usize>) {
    let mut index: HashMap<K, u32> = HashMap::default();
    for (i, k) in run.enumerate() {
        index.entry(k).or_insert(i as u32);
    }
    let mut map = Vec::new();
    let mut add = Vec::new();
    for (i, k) in new.enumerate() {
        let next = (run_len + add.len()) as u32;
        let r = *index.entry(k).or_insert_with(|| {
            add.push(i);
            next
        });
        map.push(r);
    }
    (map, add)
}

/// The cached nullary constructor the entrypoint stores at `pc` (`SetGlobal`), when
/// it follows genhl's pattern: `Int i; GetArray v, values, i; SafeCast c, v; SetGlobal`.
fn traced_enum_ctor(ops: &[Op], pc: usize, src: u32, ints: &[i32]) -> Option<u32> {
    let cast = ops.get(pc.checked_sub(1)?)?;
    let v = match cast {
        Op::SafeCast { dst, src: s } | Op::UnsafeCast { dst, src: s } | Op::Mov { dst, src: s } if *dst == src => *s,
        _ => return None,
    };
    let Op::GetArray { dst, index, .. } = ops.get(pc.checked_sub(2)?)? else { return None };
    if *dst != v {
        return None;
    }
    let Op::Int { dst, idx } = ops.get(pc.checked_sub(3)?)? else { return None };
    if dst != index {
        return None;
    }
    u32::try_from(*ints.get(*idx as usize)?).ok()
}

struct Planner<'a> {
    vm: &'a Vm,
    run: &'a Code,
    new: &'a Code,
    /// `vm.types.len()`: first index of appended types.
    base: usize,

    strings: Vec<u32>,
    add_strings: Vec<String>,
    ints: Vec<u32>,
    add_ints: Vec<i32>,
    floats: Vec<u32>,
    add_floats: Vec<f64>,
    bytes: Vec<u32>,
    add_bytes: Vec<Vec<u8>>,
    files: Vec<u32>,
    add_files: Vec<String>,

    tstate: Vec<TState>,
    /// New type index of each appended type, in order.
    fresh_types: Vec<u32>,
    run_nominal: HashMap<NomKey<'a>, u32>,
    new_nominal: Vec<Option<NomKey<'a>>>,
    run_struct: HashMap<TKey, u32>,
    add_struct: HashMap<TKey, u32>,
    run_shallow: Option<HashMap<Shallow, Vec<u32>>>,

    /// Class object types that gained statics: new flattened field → running field.
    field_remap: HashMap<u32, Vec<u32>>,
    appended_fields: HashMap<u32, Vec<Field>>,

    gmap: Vec<u32>,
    add_globals: Vec<(u32, GlobalInit)>,
    add_constants: Vec<Constant>,

    fmap: Vec<Option<u32>>,
    /// Final types of appended types (filled by `translate_types`).
    add_types: Vec<Type>,
    updated_types: HashMap<u32, Type>,
}

impl<'a> Planner<'a> {
    fn new(vm: &'a Vm, new: &'a Code) -> Result<Planner<'a>> {
        let run: &Code = &vm.code;
        if new.version != run.version {
            return Err(incompatible(format!("the running module is HLB version {}, the new one version {}", run.version, new.version)));
        }
        Ok(Planner {
            vm,
            run,
            new,
            base: vm.types.len(),
            strings: Vec::new(),
            add_strings: Vec::new(),
            ints: Vec::new(),
            add_ints: Vec::new(),
            floats: Vec::new(),
            add_floats: Vec::new(),
            bytes: Vec::new(),
            add_bytes: Vec::new(),
            files: Vec::new(),
            add_files: Vec::new(),
            tstate: vec![TState::Todo; new.types.len()],
            fresh_types: Vec::new(),
            run_nominal: HashMap::default(),
            new_nominal: Vec::new(),
            run_struct: HashMap::default(),
            add_struct: HashMap::default(),
            run_shallow: None,
            field_remap: HashMap::default(),
            appended_fields: HashMap::default(),
            gmap: Vec::new(),
            add_globals: Vec::new(),
            add_constants: Vec::new(),
            fmap: Vec::new(),
            add_types: Vec::new(),
            updated_types: HashMap::default(),
        })
    }

    fn plan(mut self) -> Result<Plan> {
        self.merge_pools();
        self.map_types()?;
        self.check_layouts()?;
        self.map_globals()?;
        let funcs = self.map_functions()?;
        self.translate_types()?;
        self.build(funcs)
    }

    // ------------------------------------------------------------------ pools

    fn merge_pools(&mut self) {
        let (run, new) = (self.run, self.new);
        let (m, add) = merge_pool(run.strings.iter().map(String::as_str), run.strings.len(), new.strings.iter().map(String::as_str));
        self.strings = m;
        self.add_strings = add.iter().map(|&i| new.strings[i].clone()).collect();
        let (m, add) = merge_pool(run.ints.iter().copied(), run.ints.len(), new.ints.iter().copied());
        self.ints = m;
        self.add_ints = add.iter().map(|&i| new.ints[i]).collect();
        let (m, add) = merge_pool(run.floats.iter().map(|f| f.to_bits()), run.floats.len(), new.floats.iter().map(|f| f.to_bits()));
        self.floats = m;
        self.add_floats = add.iter().map(|&i| new.floats[i]).collect();
        if new.version >= 5 {
            let (rs, ns) = (bytes_slices(run), bytes_slices(new));
            let (m, add) = merge_pool(rs.iter().copied(), rs.len(), ns.iter().copied());
            self.bytes = m;
            self.add_bytes = add.iter().map(|&i| ns[i].to_vec()).collect();
        }
        let (m, add) = merge_pool(run.debug_files.iter().map(String::as_str), run.debug_files.len(), new.debug_files.iter().map(String::as_str));
        self.files = m;
        self.add_files = add.iter().map(|&i| new.debug_files[i].clone()).collect();
    }

    fn str_idx(&self, i: u32) -> Result<u32> {
        self.strings.get(i as usize).copied().ok_or_else(|| incompatible(format!("string {i} out of range")))
    }

    fn final_string(&self, i: u32) -> &str {
        let n = self.run.strings.len();
        match (i as usize).checked_sub(n) {
            None => &self.run.strings[i as usize],
            Some(k) => self.add_strings.get(k).map(String::as_str).unwrap_or(""),
        }
    }

    // ------------------------------------------------------------------ types

    fn map_types(&mut self) -> Result<()> {
        let (vm, new, run) = (self.vm, self.new, self.run);
        let mut seen: HashMap<(u8, &str), u32> = HashMap::default();
        for (i, ty) in vm.types.iter().enumerate() {
            match nominal_of(ty, &run.strings) {
                Some((tag, name)) => {
                    let occ = seen.entry((tag, name)).or_insert(0);
                    self.run_nominal.insert((tag, name, *occ), i as u32);
                    *occ += 1;
                }
                None => {
                    let key = tkey(ty, &components(ty), &run.strings);
                    self.run_struct.entry(key).or_insert(i as u32);
                }
            }
        }
        seen.clear();
        self.new_nominal = new
            .types
            .iter()
            .map(|ty| {
                nominal_of(ty, &new.strings).map(|(tag, name)| {
                    let occ = seen.entry((tag, name)).or_insert(0);
                    *occ += 1;
                    (tag, name, *occ - 1)
                })
            })
            .collect();
        for t in 0..new.types.len() {
            self.map_type(t as u32, 0)?;
        }
        Ok(())
    }

    fn fresh_type(&mut self, t: u32) -> u32 {
        let r = (self.base + self.fresh_types.len()) as u32;
        self.fresh_types.push(t);
        r
    }

    /// The running index of new type `t`; `None` while `t` is being mapped (a cycle).
    fn map_type(&mut self, t: u32, depth: usize) -> Result<Option<u32>> {
        let ti = t as usize;
        match self.tstate.get(ti) {
            None => return Err(incompatible(format!("type {t} out of range"))),
            Some(TState::Done(x)) => return Ok(Some(*x)),
            Some(TState::Busy) => return Ok(None),
            Some(TState::Todo) => {}
        }
        if depth > MAX_DEPTH {
            return Err(incompatible(format!("type {t} is nested too deeply")));
        }
        if let Some(key) = self.new_nominal[ti] {
            let r = match self.run_nominal.get(&key) {
                Some(&r) => r,
                None => self.fresh_type(t),
            };
            self.tstate[ti] = TState::Done(r);
            return Ok(Some(r));
        }
        self.tstate[ti] = TState::Busy;
        let ty = &self.new.types[ti];
        let comps = components(ty);
        let mut mapped = Vec::with_capacity(comps.len());
        let mut cyclic = false;
        for c in comps {
            match self.map_type(c, depth + 1)? {
                Some(x) => mapped.push(x),
                None => cyclic = true,
            }
        }
        if let TState::Done(x) = self.tstate[ti] {
            // Resolved while matching a cycle through it.
            return Ok(Some(x));
        }
        let r = if cyclic {
            self.tstate[ti] = TState::Todo;
            match self.resolve_cycle(t)? {
                Some(r) => r,
                None => self.fresh_type(t),
            }
        } else {
            let key = tkey(ty, &mapped, &self.new.strings);
            match self.run_struct.get(&key).or_else(|| self.add_struct.get(&key)) {
                Some(&r) => r,
                None => {
                    let r = self.fresh_type(t);
                    self.add_struct.insert(key, r);
                    r
                }
            }
        };
        self.tstate[ti] = TState::Done(r);
        Ok(Some(r))
    }

    /// Matches a type on a structural cycle against running types of the same shape.
    fn resolve_cycle(&mut self, t: u32) -> Result<Option<u32>> {
        if self.run_shallow.is_none() {
            let mut m: HashMap<Shallow, Vec<u32>> = HashMap::default();
            for (i, ty) in self.vm.types.iter().enumerate() {
                if nominal_of(ty, &self.run.strings).is_none() {
                    m.entry(shallow(ty, &self.run.strings)).or_default().push(i as u32);
                }
            }
            self.run_shallow = Some(m);
        }
        let sh = shallow(&self.new.types[t as usize], &self.new.strings);
        let cands = self.run_shallow.as_ref().and_then(|m| m.get(&sh)).cloned().unwrap_or_default();
        for r in cands {
            let mut assume: HashMap<u32, u32> = HashMap::default();
            if self.equiv(t, r, &mut assume, 0) {
                for (a, b) in assume {
                    if !matches!(self.tstate[a as usize], TState::Done(_)) {
                        self.tstate[a as usize] = TState::Done(b);
                    }
                }
                return Ok(Some(r));
            }
        }
        Ok(None)
    }

    /// Coinductive structural equality of new type `a` and running type `r`.
    fn equiv(&self, a: u32, r: u32, assume: &mut HashMap<u32, u32>, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        if let Some(TState::Done(x)) = self.tstate.get(a as usize) {
            return *x == r;
        }
        if let Some(&x) = assume.get(&a) {
            return x == r;
        }
        if let Some(key) = self.new_nominal.get(a as usize).copied().flatten() {
            return self.run_nominal.get(&key) == Some(&r);
        }
        let (Some(ta), Some(tr)) = (self.new.types.get(a as usize), self.vm.types.get(r as usize)) else { return false };
        if ta.kind_id() != tr.kind_id() || nominal_of(tr, &self.run.strings).is_some() {
            return false;
        }
        if shallow(ta, &self.new.strings) != shallow(tr, &self.run.strings) {
            return false;
        }
        assume.insert(a, r);
        let (ca, cr) = (components(ta), components(tr));
        ca.len() == cr.len() && ca.iter().zip(&cr).all(|(&x, &y)| self.equiv(x, y, assume, depth + 1))
    }

    fn tmap(&self, t: u32) -> Result<u32> {
        match self.tstate.get(t as usize) {
            Some(TState::Done(x)) => Ok(*x),
            _ => Err(incompatible(format!("type {t} could not be mapped"))),
        }
    }

    /// A readable name of running-or-appended type `t` (for error messages).
    fn describe(&self, t: u32) -> String {
        match (t as usize).checked_sub(self.base) {
            None => self.vm.type_name(t),
            Some(k) => {
                let Some(&nt) = self.fresh_types.get(k) else { return format!("type {t}") };
                match &self.new.types[nt as usize] {
                    Type::Obj(o) | Type::Struct(o) => self.new.strings.get(o.name as usize).cloned().unwrap_or_default(),
                    Type::Enum(e) => self.new.strings.get(e.name as usize).cloned().unwrap_or_default(),
                    Type::Virtual(v) => {
                        let f: Vec<&str> = v.fields.iter().map(|f| self.new.strings.get(f.name as usize).map(String::as_str).unwrap_or("")).collect();
                        format!("{{{}}}", f.join(","))
                    }
                    other => format!("a new {} type", names_of_kind(other)),
                }
            }
        }
    }

    // ------------------------------------------------------------------ layouts

    fn check_layouts(&mut self) -> Result<()> {
        for t in 0..self.new.types.len() {
            if self.new_nominal[t].is_none() {
                continue;
            }
            let r = self.tmap(t as u32)?;
            if r as usize >= self.base {
                continue;
            }
            match (&self.new.types[t], &self.vm.types[r as usize]) {
                (Type::Obj(no), Type::Obj(ro)) | (Type::Struct(no), Type::Struct(ro)) => self.check_class(t as u32, r, no, ro)?,
                (Type::Enum(ne), Type::Enum(re)) => self.check_enum(r, ne, re)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn check_class(&mut self, t: u32, r: u32, no: &ObjType, ro: &ObjType) -> Result<()> {
        let (new, run, vm) = (self.new, self.run, self.vm);
        let raw = run.strings.get(ro.name as usize).map(String::as_str).unwrap_or("");
        let class_object = names::is_class_object_name(raw);
        let type_name = names::display_class(raw);
        let layout = |detail: String| ReloadError::Layout { type_name: type_name.clone(), detail };
        let nsuper = no.super_.map(|s| self.tmap(s)).transpose()?;
        if nsuper != ro.super_ {
            let d = |s: Option<u32>| s.map(|s| format!("`{}`", self.describe(s))).unwrap_or_else(|| "none".into());
            return Err(layout(format!("its super class changed from {} to {}", d(ro.super_), d(nsuper))));
        }
        let field_label = |name: &str| if name.is_empty() { "an unnamed field (an interface slot)".to_string() } else { format!("`{name}`") };
        let old: Vec<(&str, u32)> = ro.fields.iter().map(|f| (run.strings.get(f.name as usize).map(String::as_str).unwrap_or(""), f.ty)).collect();
        let mut newf: Vec<(&str, u32)> = Vec::with_capacity(no.fields.len());
        for f in &no.fields {
            newf.push((new.strings.get(f.name as usize).map(String::as_str).unwrap_or(""), self.tmap(f.ty)?));
        }
        if class_object {
            // Statics: running order kept, new ones appended, types must agree.
            let inherited = ro.super_.and_then(|s| flat_fields(&vm.types, s)).map_or(0, |f| f.len());
            let mut used = vec![false; old.len()];
            let mut remap: Vec<u32> = (0..inherited as u32).collect();
            let mut appended = Vec::new();
            for (i, &(name, ty)) in newf.iter().enumerate() {
                match old.iter().enumerate().position(|(j, o)| !used[j] && o.0 == name) {
                    Some(j) => {
                        used[j] = true;
                        if old[j].1 != ty {
                            return Err(layout(format!(
                                "static {} changed type from `{}` to `{}`",
                                field_label(name),
                                self.describe(old[j].1),
                                self.describe(ty)
                            )));
                        }
                        remap.push((inherited + j) as u32);
                    }
                    None => {
                        remap.push((inherited + old.len() + appended.len()) as u32);
                        appended.push(Field { name: self.str_idx(no.fields[i].name)?, ty });
                    }
                }
            }
            let identity = appended.is_empty() && remap.iter().enumerate().all(|(i, &j)| i as u32 == j);
            if !identity {
                self.field_remap.insert(r, remap);
            }
            if !appended.is_empty() {
                self.appended_fields.insert(r, appended);
            }
        } else if old != newf {
            let detail = if let Some(&(n, _)) = newf.iter().find(|(n, _)| !old.iter().any(|o| o.0 == *n)) {
                format!("field {} was added", field_label(n))
            } else if let Some(&(n, _)) = old.iter().find(|(n, _)| !newf.iter().any(|o| o.0 == *n)) {
                format!("field {} was removed", field_label(n))
            } else if let Some((&(n, nt), ot)) = newf.iter().zip(&old).find(|(a, b)| a.0 == b.0 && a.1 != b.1).map(|(a, b)| (a, b.1)) {
                format!("field {} changed type from `{}` to `{}`", field_label(n), self.describe(ot), self.describe(nt))
            } else if let Some((i, &(n, _))) = newf.iter().enumerate().find(|(i, f)| old.get(*i).map(|o| o.0) != Some(f.0)) {
                let from = old.iter().position(|o| o.0 == n).unwrap_or(i);
                format!("field {} moved from position {from} to {i}", field_label(n))
            } else {
                "its fields changed".to_string()
            };
            return Err(layout(detail));
        }
        // Virtual methods must keep their vtable slots: running code calls by slot.
        let rs = slot_names(&vm.types, &run.strings, r)?;
        let ns = slot_names(&new.types, &new.strings, t)?;
        for (s, name) in rs.iter().enumerate() {
            let Some(name) = name else { continue };
            if ns.get(s).and_then(Option::as_ref) != Some(name) {
                let detail = match ns.iter().position(|n| n.as_ref() == Some(name)) {
                    Some(to) => format!(
                        "virtual method `{name}` would move from vtable slot {s} to {to} (a virtual method was added to or removed from a super class)"
                    ),
                    None => format!("virtual method `{name}` was removed"),
                };
                return Err(layout(detail));
            }
        }
        Ok(())
    }

    fn check_enum(&self, r: u32, ne: &EnumType, re: &EnumType) -> Result<()> {
        let (new, run) = (self.new, self.run);
        let type_name = run.strings.get(re.name as usize).cloned().unwrap_or_default();
        let layout = |detail: String| ReloadError::Layout { type_name: type_name.clone(), detail };
        let _ = r;
        let nname = |c: &EnumConstruct| new.strings.get(c.name as usize).map(String::as_str).unwrap_or("");
        let rname = |c: &EnumConstruct| run.strings.get(c.name as usize).map(String::as_str).unwrap_or("");
        if let Some(c) = ne.constructs.iter().find(|c| !re.constructs.iter().any(|o| rname(o) == nname(c))) {
            return Err(layout(format!("constructor `{}` was added", nname(c))));
        }
        if let Some(c) = re.constructs.iter().find(|c| !ne.constructs.iter().any(|o| nname(o) == rname(c))) {
            return Err(layout(format!("constructor `{}` was removed", rname(c))));
        }
        for (i, (nc, rc)) in ne.constructs.iter().zip(&re.constructs).enumerate() {
            if nname(nc) != rname(rc) {
                return Err(layout(format!("constructor `{}` moved to position {i}", nname(nc))));
            }
            let mut same = nc.params.len() == rc.params.len();
            for (&a, &b) in nc.params.iter().zip(&rc.params) {
                same &= self.tmap(a)? == b;
            }
            if !same {
                return Err(layout(format!("the parameters of constructor `{}` changed", nname(nc))));
            }
        }
        Ok(())
    }

    // ------------------------------------------------------------------ globals

    /// Owner type (new space) of each global: the type whose `global` names it.
    fn owners(types: &[Type], nglobals: usize) -> Vec<Option<u32>> {
        let mut owner = vec![None; nglobals];
        for (t, ty) in types.iter().enumerate() {
            let g = match ty {
                Type::Obj(o) | Type::Struct(o) => o.global,
                Type::Enum(e) => e.global,
                _ => 0,
            };
            if let Some(slot) = (g as usize).checked_sub(1).and_then(|g| owner.get_mut(g)) {
                if slot.is_none() {
                    *slot = Some(t as u32);
                }
            }
        }
        owner
    }

    /// Keys of the globals no type owns, given each global's type (in the running space),
    /// its constant key, and the entrypoint's ops.
    fn global_keys(gtypes: &[Option<u32>], owned: &[Option<u32>], consts: Vec<Option<Box<[CVal]>>>, entry: Option<&[Op]>) -> Vec<Option<GKey>> {
        let n = gtypes.len();
        let mut keys: Vec<Option<GKey>> = Vec::with_capacity(n);
        let mut has_const = vec![false; n];
        for (g, c) in consts.into_iter().enumerate() {
            match (c, gtypes.get(g).copied().flatten()) {
                (Some(c), Some(t)) if owned[g].is_none() => {
                    has_const[g] = true;
                    keys.push(Some(GKey::Const(t, c)));
                }
                _ => keys.push(None),
            }
        }
        let mut counts: HashMap<u32, u32> = HashMap::default();
        let eligible = |g: usize, keys: &[Option<GKey>]| g < n && owned[g].is_none() && !has_const[g] && keys[g].is_none();
        for op in entry.unwrap_or(&[]) {
            if let Op::SetGlobal { global, .. } = op {
                let g = *global as usize;
                if eligible(g, &keys) {
                    if let Some(t) = gtypes[g] {
                        let c = counts.entry(t).or_insert(0);
                        keys[g] = Some(GKey::Site(t, *c));
                        *c += 1;
                    }
                }
            }
        }
        counts.clear();
        for g in 0..n {
            if eligible(g, &keys) {
                if let Some(t) = gtypes[g] {
                    let c = counts.entry(t).or_insert(0);
                    keys[g] = Some(GKey::Other(t, *c));
                    *c += 1;
                }
            }
        }
        keys
    }

    /// The content key of constant `c` of a program (`types`, pools), types mapped by `ty`.
    fn const_key(
        types: &[Type],
        code: &Code,
        c: &Constant,
        gty: u32,
        ty: impl Fn(u32) -> Option<u32>,
    ) -> Option<Box<[CVal]>> {
        let fields = flat_fields(types, gty)?;
        if fields.len() != c.fields.len() {
            return None;
        }
        let mut out = Vec::with_capacity(fields.len());
        for (f, &idx) in fields.iter().zip(&c.fields) {
            out.push(match types.get(f.ty as usize)? {
                Type::I32 | Type::UI8 | Type::UI16 => CVal::Int(*code.ints.get(idx as usize)?),
                Type::Bool => CVal::Int((idx != 0) as i32),
                Type::F64 => CVal::Float(code.floats.get(idx as usize)?.to_bits()),
                Type::Bytes => CVal::Str(code.strings.get(idx as usize)?.clone()),
                Type::Type => CVal::Ty(ty(idx)?),
                _ => return None,
            });
        }
        Some(out.into())
    }

    fn map_globals(&mut self) -> Result<()> {
        let (vm, run, new) = (self.vm, self.run, self.new);
        let nglob = new.globals.len();
        let run_owner = Self::owners(&vm.types, run.globals.len());
        let new_owner = Self::owners(&new.types, nglob);
        let mut new_gty = Vec::with_capacity(nglob);
        for &t in &new.globals {
            new_gty.push(Some(self.tmap(t)?));
        }

        // Running keys of unowned globals.
        let run_gty: Vec<Option<u32>> = run.globals.iter().map(|&t| Some(t)).collect();
        let mut run_consts: Vec<Option<Box<[CVal]>>> = (0..run.globals.len()).map(|_| None).collect();
        for c in &run.constants {
            if let Some(&gt) = run.globals.get(c.global as usize) {
                run_consts[c.global as usize] = Self::const_key(&vm.types, run, c, gt, Some);
            }
        }
        let run_entry = match vm.funcs.get(run.entrypoint as usize) {
            Some(FnSlot::Bytecode(cf)) => Some(&cf.func.ops[..]),
            _ => None,
        };
        let run_keys = Self::global_keys(&run_gty, &run_owner, run_consts, run_entry);
        let mut run_by_key: HashMap<GKey, u32> = HashMap::default();
        for (g, k) in run_keys.into_iter().enumerate() {
            if let Some(k) = k {
                run_by_key.entry(k).or_insert(g as u32);
            }
        }

        // New keys.
        let mut new_consts: Vec<Option<Box<[CVal]>>> = (0..nglob).map(|_| None).collect();
        let mut new_const_of: Vec<Option<&Constant>> = vec![None; nglob];
        for c in &new.constants {
            let g = c.global as usize;
            if let Some(&gt) = new.globals.get(g) {
                new_const_of[g] = Some(c);
                new_consts[g] = Self::const_key(&new.types, new, c, gt, |t| self.tmap(t).ok());
            }
        }
        let new_entry = match new.fun_refs.get(new.entrypoint as usize) {
            Some(FunRef::Function(i)) => new.functions.get(*i),
            _ => None,
        };
        let new_keys = Self::global_keys(&new_gty, &new_owner, new_consts, new_entry.map(|f| &f.ops[..]));

        self.gmap = vec![u32::MAX; nglob];
        let mut pending: Vec<usize> = Vec::new();
        for g in 0..nglob {
            let gty = new_gty[g].unwrap_or(0);
            if let Some(owner) = new_owner[g] {
                let rt = self.tmap(owner)?;
                let rg = match vm.types.get(rt as usize) {
                    Some(Type::Obj(o)) | Some(Type::Struct(o)) => o.global,
                    Some(Type::Enum(e)) => e.global,
                    _ => 0,
                };
                if rg != 0 && (rg as usize) <= run.globals.len() && run_owner[rg as usize - 1].is_some() {
                    let rg = rg - 1;
                    if run.globals[rg as usize] != gty {
                        return Err(incompatible(format!(
                            "the global of `{}` changed type from `{}` to `{}`",
                            self.describe(rt),
                            self.describe(run.globals[rg as usize]),
                            self.describe(gty)
                        )));
                    }
                    self.gmap[g] = rg;
                    continue;
                }
                let init = match &new.types[owner as usize] {
                    Type::Enum(_) => GlobalInit::EnumObject { class_ty: gty, en: rt },
                    _ => GlobalInit::ClassObject { class_ty: gty, inst: rt },
                };
                self.gmap[g] = self.fresh_global(gty, init);
                continue;
            }
            if let Some(&rg) = new_keys[g].as_ref().and_then(|k| run_by_key.get(k)) {
                self.gmap[g] = rg;
                continue;
            }
            pending.push(g);
        }
        // New unowned globals: constants and cached enum constructors get their values.
        for g in pending {
            let gty = new_gty[g].unwrap_or(0);
            let rg = (run.globals.len() + self.add_globals.len()) as u32;
            self.gmap[g] = rg;
            self.add_globals.push((gty, GlobalInit::Zero));
            let init = if let Some(c) = new_const_of[g] {
                let (fields, constant) = self.translate_constant(c, rg)?;
                self.add_constants.push(constant);
                GlobalInit::Const { ty: gty, fields }
            } else {
                self.traced_enum_value(g, gty, new_entry).unwrap_or(GlobalInit::Zero)
            };
            if let Some(last) = self.add_globals.last_mut() {
                last.1 = init;
            }
        }
        Ok(())
    }

    fn fresh_global(&mut self, ty: u32, init: GlobalInit) -> u32 {
        let g = (self.run.globals.len() + self.add_globals.len()) as u32;
        self.add_globals.push((ty, init));
        g
    }

    /// A new global of enum type stored by the entrypoint as a cached nullary constructor.
    fn traced_enum_value(&self, g: usize, gty: u32, entry: Option<&Function>) -> Option<GlobalInit> {
        let entry = entry?;
        let Some(Type::Enum(e)) = self.new.globals.get(g).and_then(|&t| self.new.types.get(t as usize)) else { return None };
        let pc = entry.ops.iter().position(|op| matches!(op, Op::SetGlobal { global, .. } if *global as usize == g))?;
        let Op::SetGlobal { src, .. } = &entry.ops[pc] else { return None };
        let ctor = traced_enum_ctor(&entry.ops, pc, *src, &self.new.ints)?;
        let c = e.constructs.get(ctor as usize)?;
        c.params.is_empty().then_some(GlobalInit::EnumValue { en: gty, ctor })
    }

    /// Translates constant `c` of the new code (for new global `rg`): the values to
    /// store, and the constant in the running index spaces.
    fn translate_constant(&self, c: &Constant, rg: u32) -> Result<(Vec<ConstField>, Constant)> {
        let new = self.new;
        let gt = new.globals.get(c.global as usize).copied().ok_or_else(|| incompatible("constant of an undefined global"))?;
        let fields = flat_fields(&new.types, gt).ok_or_else(|| incompatible(format!("constant global {} is not an object", c.global)))?;
        if fields.len() != c.fields.len() {
            return Err(incompatible(format!("constant global {} has the wrong field count", c.global)));
        }
        let bad = |idx: u32| incompatible(format!("constant field index {idx} out of range"));
        let mut out = Vec::with_capacity(fields.len());
        let mut idxs = Vec::with_capacity(fields.len());
        for (f, &idx) in fields.iter().zip(&c.fields) {
            let (v, i) = match new.types.get(f.ty as usize) {
                Some(Type::I32 | Type::UI8 | Type::UI16) => {
                    let v = *new.ints.get(idx as usize).ok_or_else(|| bad(idx))?;
                    (ConstField::Raw(from_i32(v)), *self.ints.get(idx as usize).ok_or_else(|| bad(idx))?)
                }
                Some(Type::Bool) => (ConstField::Raw((idx != 0) as u64), idx),
                Some(Type::F64) => {
                    let v = *new.floats.get(idx as usize).ok_or_else(|| bad(idx))?;
                    (ConstField::Raw(v.to_bits()), *self.floats.get(idx as usize).ok_or_else(|| bad(idx))?)
                }
                Some(Type::Bytes) => {
                    let s = self.str_idx(idx)?;
                    (ConstField::Str(s), s)
                }
                Some(Type::Type) => {
                    let t = self.tmap(idx)?;
                    (ConstField::Raw(t as u64 + 1), t)
                }
                _ => {
                    let g = *self.gmap.get(idx as usize).ok_or_else(|| bad(idx))?;
                    if g == u32::MAX {
                        return Err(incompatible(format!("constant global {} refers to global {idx}, not mapped yet", c.global)));
                    }
                    (ConstField::Global(g), g)
                }
            };
            out.push(v);
            idxs.push(i);
        }
        Ok((out, Constant { global: rg, fields: idxs }))
    }

    // ------------------------------------------------------------------ functions

    /// Maps every live new function index; returns the matched `(new, running)` pairs,
    /// the appended bytecode functions (new index) and the report names.
    fn map_functions(&mut self) -> Result<FunMapping> {
        let (vm, run, new) = (self.vm, self.run, self.new);
        let new_bodies: Vec<Option<&Function>> = new
            .fun_refs
            .iter()
            .map(|r| match r {
                FunRef::Function(i) => new.functions.get(*i),
                FunRef::Native(_) => None,
            })
            .collect();
        let run_bodies = running_bodies(vm);
        let new_names = names::compute(&new.types, &new.strings, &new_bodies, new.entrypoint);
        let run_names = names::compute(&vm.types, &run.strings, &run_bodies, run.entrypoint);
        let mut run_by_name: HashMap<&str, u32> = HashMap::default();
        for (f, q) in run_names.qualified.iter().enumerate() {
            if let Some(q) = q {
                run_by_name.entry(q.as_str()).or_insert(f as u32);
            }
        }
        let mut run_natives: HashMap<(&str, &str), u32> = HashMap::default();
        for (f, r) in run.fun_refs.iter().enumerate() {
            if let FunRef::Native(i) = r {
                if let Some(n) = run.natives.get(*i) {
                    run_natives.entry((n.lib.as_str(), n.name.as_str())).or_insert(f as u32);
                }
            }
        }
        let run_fun_ty = |f: u32| -> Option<u32> {
            match vm.funcs.get(f as usize)? {
                FnSlot::Bytecode(cf) => Some(cf.func.ty),
                _ => match run.fun_refs.get(f as usize)? {
                    FunRef::Native(i) => run.natives.get(*i).map(|n| n.ty),
                    FunRef::Function(i) => run.functions.get(*i).map(|f| f.ty),
                },
            }
        };

        // Names remembered from earlier reloads (for functions removed, then re-added).
        let remembered = vm
            .reload_state
            .as_ref()
            .filter(|st| std::ptr::eq(st.code.as_ptr(), Rc::as_ptr(&vm.code)))
            .map(|st| &st.names);

        let mut m = FunMapping::default();
        self.fmap = vec![None; new.fun_refs.len()];
        let mut used: HashSet<u32> = HashSet::default();
        let mut missing = Vec::new();
        let mut pending: Vec<(usize, usize, &str, u32)> = Vec::new();
        // Pass 1: natives, and functions whose name the running code has now.
        for (f, r) in new.fun_refs.iter().enumerate() {
            match *r {
                FunRef::Native(i) => {
                    let nat = &new.natives[i];
                    let ty = self.tmap(nat.ty)?;
                    if let Some(&rf) = run_natives.get(&(nat.lib.as_str(), nat.name.as_str())) {
                        if run_fun_ty(rf) == Some(ty) {
                            self.fmap[f] = Some(rf);
                            continue;
                        }
                    }
                    let key = (nat.lib.trim_start_matches('?').to_string(), nat.name.clone());
                    let slot = match vm.natives.get(&(nat.lib.clone(), nat.name.clone())).or_else(|| vm.natives.get(&key)) {
                        Some(s) => s.clone(),
                        None => {
                            if !nat.lib.starts_with('?') {
                                missing.push(format!("{}@{}", nat.lib, nat.name));
                            }
                            FnSlot::Native(crate::stdlib::missing_native)
                        }
                    };
                    m.order.push((f, Pending::Native { lib: nat.lib.clone(), name: nat.name.clone(), ty, slot }));
                }
                FunRef::Function(i) => {
                    let Some(name) = new_names.qualified[f].as_deref() else { continue };
                    let ty = self.tmap(new.functions[i].ty)?;
                    let is_match = |rf: u32| run_bodies.get(rf as usize).is_some_and(Option::is_some) && run_fun_ty(rf) == Some(ty);
                    match run_by_name.get(name) {
                        Some(&rf) if is_match(rf) && used.insert(rf) => {
                            self.fmap[f] = Some(rf);
                            m.matched.push((i, rf, name.to_string(), false));
                        }
                        _ => pending.push((f, i, name, ty)),
                    }
                }
            }
        }
        if !missing.is_empty() {
            missing.sort();
            missing.dedup();
            return Err(ReloadError::Link(LinkError::MissingNatives(missing)));
        }
        // Pass 2: the others get their remembered slot when it is free and fits, else a
        // new slot.
        for (f, i, name, ty) in pending {
            let known = run_by_name.contains_key(name);
            let old = if known { None } else { remembered.and_then(|r| r.get(name)).copied() };
            if let Some(rf) = old {
                let fits = run_bodies.get(rf as usize).is_some_and(Option::is_some) && run_fun_ty(rf) == Some(ty);
                if fits && used.insert(rf) {
                    self.fmap[f] = Some(rf);
                    m.matched.push((i, rf, name.to_string(), true));
                    continue;
                }
            }
            if known || old.is_some() {
                m.changed.push(name.to_string());
            } else {
                m.added.push(name.to_string());
            }
            m.order.push((f, Pending::Bytecode { index: i, findex: 0, trace: new_names.trace[f].clone() }));
        }
        // Appended slots, in new function-index order.
        m.order.sort_by_key(|(f, _)| *f);
        let mut next = vm.funcs.len() as u32;
        for (f, p) in &mut m.order {
            self.fmap[*f] = Some(next);
            if let Pending::Bytecode { findex, .. } = p {
                *findex = next;
            }
            next += 1;
        }
        // Names for the next reload: remembered ones, the running ones, then the new ones.
        let mut names: HashMap<String, u32> = remembered.cloned().unwrap_or_default();
        for (name, &rf) in &run_by_name {
            names.insert((*name).to_string(), rf);
        }
        for (f, q) in new_names.qualified.iter().enumerate() {
            if let (Some(q), Some(rf)) = (q, self.fmap[f]) {
                names.insert(q.clone(), rf);
            }
        }
        m.names = names;
        Ok(m)
    }

    fn fun_idx(&self, f: u32) -> Result<u32> {
        self.fmap.get(f as usize).copied().flatten().ok_or_else(|| incompatible(format!("function {f} is referenced but has no name to match it by")))
    }

    fn global_idx(&self, g: u32) -> Result<u32> {
        match self.gmap.get(g as usize) {
            Some(&x) if x != u32::MAX => Ok(x),
            _ => Err(incompatible(format!("global {g} could not be mapped"))),
        }
    }

    // ------------------------------------------------------------------ type translation

    fn final_type(&self, t: u32) -> Option<&Type> {
        match (t as usize).checked_sub(self.base) {
            None => self.updated_types.get(&t).or_else(|| self.vm.types.get(t as usize)),
            Some(k) => self.add_types.get(k),
        }
    }

    fn tr_protos(&self, protos: &[Proto]) -> Result<Vec<Proto>> {
        protos
            .iter()
            .map(|p| Ok(Proto { name: self.str_idx(p.name)?, findex: self.fun_idx(p.findex)?, pindex: p.pindex }))
            .collect()
    }

    fn tr_bindings(&self, r: u32, bindings: &[(u32, u32)]) -> Result<Vec<(u32, u32)>> {
        let remap = self.field_remap.get(&r);
        bindings
            .iter()
            .map(|&(fid, mid)| {
                let fid = match remap {
                    Some(m) => *m.get(fid as usize).ok_or_else(|| incompatible(format!("binding of field {fid} out of range")))?,
                    None => fid,
                };
                Ok((fid, self.fun_idx(mid)?))
            })
            .collect()
    }

    fn tr_fields(&self, fields: &[Field]) -> Result<Vec<Field>> {
        fields.iter().map(|f| Ok(Field { name: self.str_idx(f.name)?, ty: self.tmap(f.ty)? })).collect()
    }

    fn tr_global_ref(&self, g: u32) -> Result<u32> {
        if g == 0 {
            return Ok(0);
        }
        Ok(self.global_idx(g - 1)? + 1)
    }

    /// Builds the final form of appended types and of matched classes whose methods or
    /// statics changed.
    fn translate_types(&mut self) -> Result<()> {
        let mut add = Vec::with_capacity(self.fresh_types.len());
        for &nt in &self.fresh_types {
            let ty = &self.new.types[nt as usize];
            let tys = |v: &[u32]| v.iter().map(|&t| self.tmap(t)).collect::<Result<Vec<u32>>>();
            add.push(match ty {
                Type::Obj(o) | Type::Struct(o) => {
                    let o = ObjType {
                        name: self.str_idx(o.name)?,
                        super_: o.super_.map(|s| self.tmap(s)).transpose()?,
                        global: self.tr_global_ref(o.global)?,
                        fields: self.tr_fields(&o.fields)?,
                        protos: self.tr_protos(&o.protos)?,
                        bindings: o.bindings.iter().map(|&(f, m)| Ok((f, self.fun_idx(m)?))).collect::<Result<_>>()?,
                    };
                    if matches!(ty, Type::Obj(_)) {
                        Type::Obj(o)
                    } else {
                        Type::Struct(o)
                    }
                }
                Type::Enum(e) => Type::Enum(EnumType {
                    name: self.str_idx(e.name)?,
                    global: self.tr_global_ref(e.global)?,
                    constructs: e
                        .constructs
                        .iter()
                        .map(|c| Ok(EnumConstruct { name: self.str_idx(c.name)?, params: tys(&c.params)? }))
                        .collect::<Result<_>>()?,
                }),
                Type::Virtual(v) => Type::Virtual(VirtualType { fields: self.tr_fields(&v.fields)? }),
                Type::Fun(f) => Type::Fun(FunType { args: tys(&f.args)?, ret: self.tmap(f.ret)? }),
                Type::Method(f) => Type::Method(FunType { args: tys(&f.args)?, ret: self.tmap(f.ret)? }),
                Type::Ref(t) => Type::Ref(self.tmap(*t)?),
                Type::Null(t) => Type::Null(self.tmap(*t)?),
                Type::Packed(t) => Type::Packed(self.tmap(*t)?),
                Type::Abstract(n) => Type::Abstract(self.str_idx(*n)?),
                other => other.clone(),
            });
        }
        self.add_types = add;
        let mut updated = HashMap::default();
        for t in 0..self.new.types.len() {
            let (Some(no), true) = (self.new.types[t].obj(), self.new_nominal[t].is_some()) else { continue };
            let r = self.tmap(t as u32)?;
            if r as usize >= self.base {
                continue;
            }
            let cur = &self.vm.types[r as usize];
            let Some(ro) = cur.obj() else { continue };
            let mut o = ro.clone();
            if o.global == 0 {
                o.global = self.tr_global_ref(no.global)?;
            }
            o.protos = self.tr_protos(&no.protos)?;
            o.bindings = self.tr_bindings(r, &no.bindings)?;
            if let Some(extra) = self.appended_fields.get(&r) {
                o.fields.extend(extra.iter().cloned());
            }
            let ty = if matches!(cur, Type::Obj(_)) { Type::Obj(o) } else { Type::Struct(o) };
            if ty != *cur {
                updated.insert(r, ty);
            }
        }
        self.updated_types = updated;
        Ok(())
    }

    // ------------------------------------------------------------------ function translation

    fn field_idx(&self, regs: &[u32], obj: u32, field: u32) -> Result<u32> {
        if self.field_remap.is_empty() {
            return Ok(field);
        }
        let t = regs.get(obj as usize).copied().ok_or_else(|| incompatible(format!("register {obj} out of range")))?;
        match self.field_remap.get(&self.tmap(t)?) {
            Some(m) => m.get(field as usize).copied().ok_or_else(|| incompatible(format!("field {field} out of range"))),
            None => Ok(field),
        }
    }

    fn tr_op(&self, op: &Op, regs: &[u32]) -> Result<Op> {
        let ints = |i: u32| self.ints.get(i as usize).copied().ok_or_else(|| incompatible(format!("int constant {i} out of range")));
        Ok(match op {
            Op::Int { dst, idx } => Op::Int { dst: *dst, idx: ints(*idx)? },
            Op::Float { dst, idx } => Op::Float {
                dst: *dst,
                idx: self.floats.get(*idx as usize).copied().ok_or_else(|| incompatible(format!("float constant {idx} out of range")))?,
            },
            Op::Bytes { dst, idx } => Op::Bytes {
                dst: *dst,
                idx: if self.new.version >= 5 {
                    self.bytes.get(*idx as usize).copied().ok_or_else(|| incompatible(format!("bytes constant {idx} out of range")))?
                } else {
                    self.str_idx(*idx)?
                },
            },
            Op::String { dst, idx } => Op::String { dst: *dst, idx: self.str_idx(*idx)? },
            Op::DynGet { dst, obj, name } => Op::DynGet { dst: *dst, obj: *obj, name: self.str_idx(*name)? },
            Op::DynSet { obj, name, src } => Op::DynSet { obj: *obj, name: self.str_idx(*name)?, src: *src },
            Op::Call { dst, fun, args } => Op::Call { dst: *dst, fun: self.fun_idx(*fun)?, args: args.clone() },
            Op::StaticClosure { dst, fun } => Op::StaticClosure { dst: *dst, fun: self.fun_idx(*fun)? },
            Op::InstanceClosure { dst, fun, obj } => Op::InstanceClosure { dst: *dst, fun: self.fun_idx(*fun)?, obj: *obj },
            Op::GetGlobal { dst, global } => Op::GetGlobal { dst: *dst, global: self.global_idx(*global)? },
            Op::SetGlobal { global, src } => Op::SetGlobal { global: self.global_idx(*global)?, src: *src },
            Op::Type { dst, ty } => Op::Type { dst: *dst, ty: self.tmap(*ty)? },
            Op::Field { dst, obj, field } => Op::Field { dst: *dst, obj: *obj, field: self.field_idx(regs, *obj, *field)? },
            Op::SetField { obj, field, src } => Op::SetField { obj: *obj, field: self.field_idx(regs, *obj, *field)?, src: *src },
            Op::GetThis { dst, field } => Op::GetThis { dst: *dst, field: self.field_idx(regs, 0, *field)? },
            Op::SetThis { field, src } => Op::SetThis { field: self.field_idx(regs, 0, *field)?, src: *src },
            other => other.clone(),
        })
    }

    fn tr_function(&self, f: &Function, findex: u32) -> Result<Function> {
        let regs = f.regs.iter().map(|&t| self.tmap(t)).collect::<Result<Vec<u32>>>()?;
        let ops = f.ops.iter().map(|op| self.tr_op(op, &f.regs)).collect::<Result<Vec<Op>>>()?;
        let debug = f
            .debug
            .iter()
            .map(|&(file, line)| (self.files.get(file as usize).copied().unwrap_or(file), line))
            .collect();
        Ok(Function { ty: self.tmap(f.ty)?, findex, regs, ops, debug })
    }

    fn compile(&self, func: Function) -> Result<Rc<CompiledFn>> {
        let kinds = func.regs.iter().map(|&t| self.final_type(t).map_or(Kind::Ptr, Kind::of)).collect();
        let nargs = self.final_type(func.ty).and_then(Type::fun).map_or(0, |ft| ft.args.len());
        if nargs > func.regs.len() {
            return Err(incompatible(format!("function {} takes {nargs} arguments but has {} registers", func.findex, func.regs.len())));
        }
        Ok(Rc::new(CompiledFn { func, kinds, nargs }))
    }

    // ------------------------------------------------------------------ runtime layouts

    /// Runtime layout of final object type `t` (mirrors `module::build_obj`).
    fn build_rt(&self, t: u32, dirty: &HashSet<u32>, memo: &mut HashMap<u32, Rc<RtObj>>, depth: usize) -> Result<Rc<RtObj>> {
        if let Some(rt) = memo.get(&t) {
            return Ok(rt.clone());
        }
        if !dirty.contains(&t) {
            if let Some(Some(rt)) = self.vm.rt_obj.get(t as usize) {
                return Ok(rt.clone());
            }
        }
        if depth > 1000 {
            return Err(incompatible(format!("class hierarchy of type {t} is cyclic")));
        }
        let Some(o) = self.final_type(t).and_then(Type::obj) else {
            return Err(incompatible(format!("type {t} is not a class")));
        };
        let mut rt = match o.super_ {
            Some(s) => {
                let parent = self.build_rt(s, dirty, memo, depth + 1)?;
                let mut r = (*parent).clone();
                r.super_ = Some(s);
                r
            }
            None => RtObj::default(),
        };
        rt.name = self.final_string(o.name).to_string();
        for f in &o.fields {
            let name = self.final_string(f.name).to_string();
            let hash = hash_str(&name);
            let idx = rt.fields.len();
            if self.final_type(f.ty).is_some_and(Type::is_ptr) {
                rt.ptr_fields.push(idx as u32);
            }
            rt.field_index.insert(hash, idx);
            rt.fields.push(RtField { name, hash, ty: f.ty });
        }
        for p in &o.protos {
            let name = self.final_string(p.name).to_string();
            let hash = hash_str(&name);
            if p.pindex >= 0 {
                let slot = p.pindex as usize;
                if slot > 1_000_000 {
                    return Err(incompatible(format!("method {name} has slot {slot}")));
                }
                if rt.vtable.len() <= slot {
                    rt.vtable.resize(slot + 1, u32::MAX);
                }
                rt.vtable[slot] = p.findex;
            }
            if !rt.methods.contains_key(&hash) {
                rt.method_names.push(name.clone());
            }
            rt.methods.insert(hash, p.findex);
            if name == "__string" {
                rt.to_string = Some(p.findex);
            }
        }
        for &(fid, mid) in &o.bindings {
            let fid = fid as usize;
            if fid >= rt.fields.len() {
                return Err(incompatible(format!("bad binding in type {t}")));
            }
            rt.bindings.retain(|(f, _)| *f != fid);
            rt.bindings.push((fid, mid));
        }
        let rt = Rc::new(rt);
        memo.insert(t, rt.clone());
        Ok(rt)
    }

    /// Object types whose runtime layout must be rebuilt: appended ones, updated ones
    /// and every class below them.
    fn dirty_classes(&self) -> Vec<u32> {
        let mut dirty: HashSet<u32> = self.updated_types.keys().copied().collect();
        let total = self.base + self.add_types.len();
        for k in 0..self.add_types.len() {
            if self.add_types[k].obj().is_some() {
                dirty.insert((self.base + k) as u32);
            }
        }
        let mut state: Vec<Option<bool>> = vec![None; total];
        let mut out = Vec::new();
        for t in 0..total as u32 {
            if self.final_type(t).and_then(Type::obj).is_none() {
                continue;
            }
            // Walk up until a known answer.
            let mut chain = Vec::new();
            let mut cur = Some(t);
            let mut verdict = false;
            while let Some(c) = cur {
                if let Some(v) = state.get(c as usize).copied().flatten() {
                    verdict = v;
                    break;
                }
                if dirty.contains(&c) {
                    verdict = true;
                    chain.push(c);
                    break;
                }
                chain.push(c);
                if chain.len() > 1000 {
                    break;
                }
                cur = self.final_type(c).and_then(Type::obj).and_then(|o| o.super_);
            }
            for c in chain {
                if let Some(s) = state.get_mut(c as usize) {
                    *s = Some(verdict);
                }
            }
            if verdict {
                out.push(t);
            }
        }
        out
    }

    // ------------------------------------------------------------------ plan

    fn build(self, m: FunMapping) -> Result<Plan> {
        let (vm, new) = (self.vm, self.new);
        let mut report = ReloadReport { changed: m.changed, added: m.added, unchanged: 0 };
        let mut swaps = Vec::new();
        let mut debug_updates = Vec::new();
        for (i, rf, name, revived) in m.matched {
            let Some(FnSlot::Bytecode(cur)) = vm.funcs.get(rf as usize) else {
                // Replaced by the host: the replacement stays.
                report.unchanged += 1;
                continue;
            };
            let f = self.tr_function(&new.functions[i], rf)?;
            let cur = &cur.func;
            if revived {
                report.added.push(name.clone());
            }
            if f.ty == cur.ty && f.regs == cur.regs && f.ops == cur.ops {
                if revived {
                    continue;
                }
                report.unchanged += 1;
                let stored = match self.run.fun_refs.get(rf as usize) {
                    Some(FunRef::Function(j)) => self.run.functions.get(*j),
                    _ => None,
                };
                if stored.is_some_and(|s| s.debug != f.debug) {
                    debug_updates.push((rf, f.debug));
                }
            } else {
                if !revived {
                    report.changed.push(name);
                }
                swaps.push((rf, self.compile(f)?));
            }
        }
        let mut appended = Vec::with_capacity(m.order.len());
        for (_, p) in m.order {
            appended.push(match p {
                Pending::Bytecode { index, findex, trace } => {
                    let f = self.tr_function(&new.functions[index], findex)?;
                    Appended::Bytecode { cf: self.compile(f)?, trace }
                }
                Pending::Native { lib, name, ty, slot } => Appended::Native { lib, name, ty, slot },
            });
        }
        report.changed.sort();
        report.changed.dedup();
        report.added.sort();

        // Runtime layouts.
        let dirty_list = self.dirty_classes();
        let dirty: HashSet<u32> = dirty_list.iter().copied().collect();
        let mut memo = HashMap::default();
        let mut rt_obj = Vec::with_capacity(dirty_list.len());
        let mut hash_names = Vec::new();
        for &t in &dirty_list {
            let rt = self.build_rt(t, &dirty, &mut memo, 0)?;
            for f in &rt.fields {
                hash_names.push((f.hash, f.name.clone()));
            }
            for n in &rt.method_names {
                hash_names.push((hash_str(n), n.clone()));
            }
            rt_obj.push((t, rt));
        }
        let mut rt_virt = Vec::new();
        for (k, ty) in self.add_types.iter().enumerate() {
            if let Type::Virtual(v) = ty {
                let mut rv = RtVirtual::default();
                for f in &v.fields {
                    let name = self.final_string(f.name).to_string();
                    let hash = hash_str(&name);
                    rv.field_index.insert(hash, rv.fields.len());
                    hash_names.push((hash, name.clone()));
                    rv.fields.push(RtField { name, hash, ty: f.ty });
                }
                rt_virt.push(((self.base + k) as u32, Rc::new(rv)));
            }
        }

        // Class objects that gained statics or whose static functions moved.
        let mut migrations = Vec::new();
        for (&r, ty) in &self.updated_types {
            let (Some(o), Some(ro)) = (ty.obj(), vm.types.get(r as usize).and_then(Type::obj)) else { continue };
            if !names::is_class_object_name(self.final_string(o.name)) {
                continue;
            }
            let old: HashMap<u32, u32> = ro.bindings.iter().copied().collect();
            let bindings: Vec<(usize, Option<u32>, u32)> =
                o.bindings.iter().filter(|(fid, mid)| old.get(fid) != Some(mid)).map(|&(fid, mid)| (fid as usize, old.get(&fid).copied(), mid)).collect();
            let len = memo.get(&r).map_or(0, |rt| rt.fields.len());
            if bindings.is_empty() && o.fields.len() == ro.fields.len() {
                continue;
            }
            migrations.push(Migration { ty: r, len, bindings });
        }
        migrations.sort_by_key(|m| m.ty);

        let Planner { add_strings, add_ints, add_floats, add_bytes, add_files, add_globals, add_constants, add_types, updated_types, .. } = self;
        Ok(Plan {
            add_strings,
            add_ints,
            add_floats,
            add_bytes,
            add_files,
            has_debug: new.has_debug,
            updated_types: updated_types.into_iter().collect(),
            add_types,
            rt_obj,
            rt_virt,
            add_globals,
            add_constants,
            swaps,
            debug_updates,
            appended,
            migrations,
            hash_names,
            report,
            names: m.names,
        })
    }
}

fn names_of_kind(t: &Type) -> &'static str {
    match t {
        Type::Fun(_) => "function",
        Type::Method(_) => "method",
        Type::Ref(_) => "ref",
        Type::Null(_) => "Null",
        Type::Packed(_) => "packed",
        Type::Abstract(_) => "abstract",
        _ => "value",
    }
}

enum Pending {
    Bytecode { index: usize, findex: u32, trace: String },
    Native { lib: String, name: String, ty: u32, slot: FnSlot },
}

#[derive(Default)]
struct FunMapping {
    /// `(index in new.functions, running findex, name, revived)`: revived functions were
    /// gone from the running code and come back in their remembered slot.
    matched: Vec<(usize, u32, String, bool)>,
    /// Functions to append, with their new function index, in that order.
    order: Vec<(usize, Pending)>,
    changed: Vec<String>,
    added: Vec<String>,
    names: HashMap<String, u32>,
}

// ---------------------------------------------------------------------------- apply

impl Vm {
    /// Applies a plan. Cannot fail: every index was checked while planning.
    fn apply(&mut self, p: Plan) {
        // Code: pools, types, globals, functions.
        let host_gap: Vec<(u32, String, u32)> = {
            let code_len = self.code.fun_refs.len();
            (code_len..self.funcs.len())
                .map(|f| (f as u32, self.fun_names.get(f).cloned().unwrap_or_default(), self.fun_types.get(f).copied().unwrap_or(0)))
                .collect()
        };
        for (t, ty) in p.updated_types {
            if let Some(slot) = self.types.get_mut(t as usize) {
                *slot = ty;
            }
        }
        self.types.extend(p.add_types);
        self.rt_obj.resize(self.types.len(), None);
        self.rt_virt.resize(self.types.len(), None);
        for (t, rt) in p.rt_obj {
            self.rt_obj[t as usize] = Some(rt);
        }
        for (t, rv) in p.rt_virt {
            self.rt_virt[t as usize] = Some(rv);
        }
        let types = self.types.clone();
        let code = Rc::make_mut(&mut self.code);
        code.strings.extend(p.add_strings);
        code.ints.extend(p.add_ints);
        code.floats.extend(p.add_floats);
        for b in p.add_bytes {
            code.bytes_pos.push(code.bytes.len() as u32);
            code.bytes.extend(b);
        }
        code.debug_files.extend(p.add_files);
        code.has_debug |= p.has_debug;
        code.types = types;
        code.globals.extend(p.add_globals.iter().map(|g| g.0));
        code.constants.extend(p.add_constants);
        for (f, cf) in &p.swaps {
            if let Some(FunRef::Function(i)) = code.fun_refs.get(*f as usize) {
                if let Some(slot) = code.functions.get_mut(*i) {
                    *slot = cf.func.clone();
                }
            }
        }
        for (f, debug) in p.debug_updates {
            if let Some(FunRef::Function(i)) = code.fun_refs.get(f as usize) {
                if let Some(slot) = code.functions.get_mut(*i) {
                    slot.debug = debug;
                }
            }
        }
        // Host functions added after load have no entry in the code: give them one so
        // function indices and `fun_refs` stay aligned.
        for (f, name, ty) in host_gap {
            code.fun_refs.push(FunRef::Native(code.natives.len()));
            code.natives.push(Native { lib: "$host".into(), name, ty, findex: f });
        }
        let mut new_types = Vec::with_capacity(p.appended.len());
        for a in &p.appended {
            let findex = code.fun_refs.len() as u32;
            match a {
                Appended::Bytecode { cf, .. } => {
                    code.fun_refs.push(FunRef::Function(code.functions.len()));
                    code.functions.push(cf.func.clone());
                    new_types.push(cf.func.ty);
                }
                Appended::Native { lib, name, ty, .. } => {
                    code.fun_refs.push(FunRef::Native(code.natives.len()));
                    code.natives.push(Native { lib: lib.clone(), name: name.clone(), ty: *ty, findex });
                    new_types.push(*ty);
                }
            }
        }
        let (nstrings, nbytes) = (code.strings.len(), if code.version >= 5 { code.bytes_pos.len() } else { code.strings.len() });

        // Function table.
        for (f, cf) in p.swaps {
            if let Some(slot) = self.funcs.get_mut(f as usize) {
                *slot = FnSlot::Bytecode(cf);
            }
        }
        for (a, ty) in p.appended.into_iter().zip(new_types) {
            match a {
                Appended::Bytecode { cf, trace } => {
                    self.funcs.push(FnSlot::Bytecode(cf));
                    self.fun_names.push(trace);
                }
                Appended::Native { slot, .. } => {
                    self.funcs.push(slot);
                    self.fun_names.push(String::new());
                }
            }
            self.fun_types.push(ty);
        }

        // Caches.
        self.const_strings.resize(nstrings, 0);
        self.const_bytes.resize(nbytes, 0);
        for (h, n) in p.hash_names {
            self.hash_names.entry(h).or_insert(n);
        }
        self.iface_cache.clear();

        // Class objects that gained statics.
        for m in &p.migrations {
            self.migrate_class_object(m);
        }

        // New globals.
        let first = self.globals.len();
        self.globals.resize(first + p.add_globals.len(), 0);
        let mut enum_values: HashMap<(u32, u32), u64> = HashMap::default();
        for (k, (_, init)) in p.add_globals.iter().enumerate() {
            let v = self.initial_value(init, &mut enum_values);
            self.globals[first + k] = v;
        }
    }

    /// Grows the class objects of type `m.ty` to their new field count and points
    /// changed static-function fields at their new function.
    fn migrate_class_object(&mut self, m: &Migration) {
        let holders: Vec<usize> = self.code.globals.iter().enumerate().filter(|(_, &t)| t == m.ty).map(|(g, _)| g).collect();
        for g in holders {
            let h = crate::value::handle(self.globals[g]);
            let Some(Obj::Instance { ty, fields }) = self.heap.get_mut(h) else { continue };
            if *ty != m.ty {
                continue;
            }
            if fields.len() < m.len {
                let mut v = fields.to_vec();
                v.resize(m.len, 0);
                *fields = v.into_boxed_slice();
            }
            for &(fid, old, mid) in &m.bindings {
                let cur = match self.heap.get(h) {
                    Some(Obj::Instance { fields, .. }) => fields.get(fid).copied(),
                    _ => None,
                };
                let Some(cur) = cur else { continue };
                let stale = cur == 0 || matches!(self.heap.get(crate::value::handle(cur)), Some(Obj::Closure { fun, .. }) if Some(*fun) == old);
                if !stale {
                    continue;
                }
                let c = self.method_closure(m.ty, h, mid);
                if let Some(Obj::Instance { fields, .. }) = self.heap.get_mut(h) {
                    if let Some(slot) = fields.get_mut(fid) {
                        *slot = c;
                    }
                }
            }
        }
    }

    /// A closure of function `f` for a field of object `h` of class `ty`, bound to the
    /// object when `f` takes it as first argument (as `new_object` does for bindings).
    fn method_closure(&mut self, ty: u32, h: u32, f: u32) -> u64 {
        let fty = self.code.fun_type(f).unwrap_or(0);
        let takes_this = self
            .types
            .get(fty as usize)
            .and_then(Type::fun)
            .and_then(|ft| ft.args.first().copied())
            .is_some_and(|a0| self.types.get(a0 as usize).is_some_and(|t| t.obj().is_some()) && self.obj_inherits(ty, a0));
        let bound = takes_this.then_some((h as u64, true));
        self.heap.alloc(Obj::Closure { ty: fty, fun: f, bound }) as u64
    }

    /// A Haxe `String` object holding `s`, or null when the module has no `String`.
    fn new_string(&mut self, s: &str) -> u64 {
        let Some(st) = self.string_type else { return 0 };
        let units: Vec<u16> = s.encode_utf16().collect();
        let b = self.alloc_utf16(&units);
        self.heap.alloc(Obj::Instance { ty: st, fields: vec![b, from_i32(units.len() as i32)].into_boxed_slice() }) as u64
    }

    fn set_named_field(&mut self, obj: u64, ty: u32, name: &str, v: u64) {
        let Some(idx) = self.rt_obj.get(ty as usize).and_then(|r| r.as_ref()).and_then(|r| r.field_index.get(&hash_str(name)).copied()) else { return };
        if let Some(Obj::Instance { fields, .. }) = self.heap.get_mut(crate::value::handle(obj)) {
            if let Some(slot) = fields.get_mut(idx) {
                *slot = v;
            }
        }
    }

    fn enum_value(&mut self, en: u32, ctor: u32, cache: &mut HashMap<(u32, u32), u64>) -> u64 {
        *cache.entry((en, ctor)).or_insert_with(|| self.heap.alloc(Obj::Enum { ty: en, ctor, params: Box::new([]) }) as u64)
    }

    fn initial_value(&mut self, init: &GlobalInit, enum_values: &mut HashMap<(u32, u32), u64>) -> u64 {
        match *init {
            GlobalInit::Zero => 0,
            GlobalInit::Const { ty, ref fields } => {
                let mut vals = Vec::with_capacity(fields.len());
                for f in fields {
                    vals.push(match *f {
                        ConstField::Raw(v) => v,
                        ConstField::Str(s) => make_bytes(self.const_string(s), 0),
                        ConstField::Global(g) => self.globals.get(g as usize).copied().unwrap_or(0),
                    });
                }
                self.heap.alloc(Obj::Instance { ty, fields: vals.into_boxed_slice() }) as u64
            }
            GlobalInit::ClassObject { class_ty, inst } => {
                let Ok(obj) = self.new_object(class_ty) else { return 0 };
                self.set_named_field(obj, class_ty, "__type__", inst as u64 + 1);
                let name = match self.types.get(inst as usize) {
                    Some(Type::Obj(o)) | Some(Type::Struct(o)) => self.code.strings.get(o.name as usize).cloned().unwrap_or_default(),
                    _ => String::new(),
                };
                let s = self.new_string(&name);
                self.set_named_field(obj, class_ty, "__name__", s);
                obj
            }
            GlobalInit::EnumObject { class_ty, en } => {
                let Ok(obj) = self.new_object(class_ty) else { return 0 };
                self.set_named_field(obj, class_ty, "__type__", en as u64 + 1);
                let (name, nullary): (String, Vec<bool>) = match self.types.get(en as usize) {
                    Some(Type::Enum(e)) => (
                        self.code.strings.get(e.name as usize).cloned().unwrap_or_default(),
                        e.constructs.iter().map(|c| c.params.is_empty()).collect(),
                    ),
                    _ => (String::new(), Vec::new()),
                };
                let s = self.new_string(&name);
                self.set_named_field(obj, class_ty, "__ename__", s);
                let mut data = Vec::with_capacity(nullary.len());
                for (i, n) in nullary.into_iter().enumerate() {
                    data.push(if n { self.enum_value(en, i as u32, enum_values) } else { 0 });
                }
                let elem = self.type_index(Type::Dyn);
                let arr = self.heap.alloc(Obj::Array { elem, data }) as u64;
                self.set_named_field(obj, class_ty, "__evalues__", arr);
                obj
            }
            GlobalInit::EnumValue { en, ctor } => self.enum_value(en, ctor, enum_values),
        }
    }
}
