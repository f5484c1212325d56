//! `module`: linking a [`Code`] into runtime structures — object layouts (fields
//! flattened super-first), virtual tables, field lookup by name hash, the function
//! table, and native resolution.

use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

use thiserror::Error;

use crate::code::{Code, FunRef, Function, Type};
use crate::rt::FieldNames;
use crate::vm::{Exc, Vm};

/// A native implementation: receives the VM and the argument slots (register format).
pub type NativeFn = fn(&mut Vm, &[u64]) -> Result<u64, Exc>;

/// A host-provided function (a Rust closure registered by the embedder): receives the
/// VM, the function index being called (its type is [`Vm::fun_type`]) and the argument
/// slots in the register format of that type's parameters.
pub type HostFn = Rc<dyn Fn(&mut Vm, u32, &[u64]) -> Result<u64, Exc>>;

/// Why a module could not be linked.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum LinkError {
    /// Natives the bytecode imports that no library provides, as `lib@name`.
    #[error("missing native(s): {}", .0.join(", "))]
    MissingNatives(Vec<String>),
    /// The bytecode is consistent on its own but violates a typing rule the VM relies on.
    #[error("invalid module: {0}")]
    Invalid(String),
}

/// Register classes the interpreter dispatches on, precomputed per register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `Void`.
    Void,
    /// `UI8`.
    U8,
    /// `UI16`.
    U16,
    /// `I32`.
    I32,
    /// `I64` (and `Guid`).
    I64,
    /// `F32`.
    F32,
    /// `F64`.
    F64,
    /// `Bool`.
    Bool,
    /// `Bytes`.
    Bytes,
    /// Any other reference type.
    Ptr,
    /// `Type` values.
    Type,
    /// `Ref` values.
    Ref,
}

impl Kind {
    /// Numbers and booleans: kinds an `UnsafeCast` converts rather than reinterprets.
    pub fn is_scalar(self) -> bool {
        matches!(self, Kind::U8 | Kind::U16 | Kind::I32 | Kind::I64 | Kind::F32 | Kind::F64 | Kind::Bool)
    }

    /// Bytes a `GetMem`/`SetMem` moves for a register of this kind.
    pub fn mem_size(self) -> usize {
        match self {
            Kind::U8 | Kind::Bool => 1,
            Kind::U16 => 2,
            Kind::I32 | Kind::F32 => 4,
            _ => 8,
        }
    }

    /// The kind of registers of type `t`.
    pub fn of(t: &Type) -> Kind {
        match t {
            Type::Void => Kind::Void,
            Type::UI8 => Kind::U8,
            Type::UI16 => Kind::U16,
            Type::I32 => Kind::I32,
            Type::I64 | Type::Guid => Kind::I64,
            Type::F32 => Kind::F32,
            Type::F64 => Kind::F64,
            Type::Bool => Kind::Bool,
            Type::Bytes => Kind::Bytes,
            Type::Type => Kind::Type,
            Type::Ref(_) | Type::Packed(_) => Kind::Ref,
            _ => Kind::Ptr,
        }
    }
}

/// A bytecode function prepared for the interpreter.
#[derive(Debug)]
pub struct CompiledFn {
    /// The function as read.
    pub func: Function,
    /// Kind of each register.
    pub kinds: Box<[Kind]>,
    /// Number of arguments.
    pub nargs: usize,
    /// Its native code, once the JIT compiled it (see `crate::jit`).
    pub(crate) jit: crate::jit::JitState,
}

/// One function-table slot: what runs when function index `findex` is called.
#[derive(Clone)]
pub enum FnSlot {
    /// A bytecode function run by the interpreter.
    Bytecode(Rc<CompiledFn>),
    /// A built-in native.
    Native(NativeFn),
    /// A host closure.
    Host(HostFn),
}

/// A field of a runtime object layout.
#[derive(Debug, Clone)]
pub struct RtField {
    /// Field name.
    pub name: String,
    /// `hl_hash_gen` of the name.
    pub hash: i32,
    /// Field type.
    pub ty: u32,
}

/// Runtime layout of an `Obj`/`Struct` type (HashLink's `hl_runtime_obj`).
#[derive(Debug, Clone, Default)]
pub struct RtObj {
    /// Class name.
    pub name: String,
    /// All fields, super classes first.
    pub fields: Vec<RtField>,
    /// Field index by name hash.
    pub field_index: HashMap<i32, usize>,
    /// Virtual table: function index by proto slot (`pindex`).
    pub vtable: Vec<u32>,
    /// Methods (protos, inherited included, overrides win) by name hash.
    pub methods: HashMap<i32, u32>,
    /// Method names in declaration order (super first), for reflection.
    pub method_names: Vec<String>,
    /// Indices of fields holding references.
    pub ptr_fields: Vec<u32>,
    /// `(field index, function index)`: fields initialised with a method closure.
    pub bindings: Vec<(usize, u32)>,
    /// Super class type.
    pub super_: Option<u32>,
    /// Function index of `__string`, if the class has one.
    pub to_string: Option<u32>,
}

impl RtObj {
    /// Adds method `name` (field-name hash `hash`, function `findex`, in virtual-table slot
    /// `pindex` when it is not negative); a method of the same name (an inherited one) is
    /// overridden.
    ///
    /// # Errors
    /// A message when the slot is absurdly large (malformed bytecode).
    pub(crate) fn add_method(&mut self, name: String, hash: i32, pindex: i32, findex: u32) -> Result<(), String> {
        if pindex >= 0 {
            let slot = pindex as usize;
            if slot > 1_000_000 {
                return Err(format!("method {name} has slot {slot}"));
            }
            if self.vtable.len() <= slot {
                self.vtable.resize(slot + 1, u32::MAX);
            }
            self.vtable[slot] = findex;
        }
        if name == "__string" {
            self.to_string = Some(findex);
        }
        if !self.methods.contains_key(&hash) {
            self.method_names.push(name);
        }
        self.methods.insert(hash, findex);
        Ok(())
    }
}

/// Runtime layout of a `Virtual` type.
#[derive(Debug, Clone, Default)]
pub struct RtVirtual {
    /// Fields, in declaration order.
    pub fields: Vec<RtField>,
    /// Field index by name hash.
    pub field_index: HashMap<i32, usize>,
}

/// HashLink's natural field-name hash (`hl_hash_gen`) of a name; see
/// [`crate::stdlib::text::hash`] for the definition. The hash a running VM uses can differ
/// when names collide: see [`crate::rt::FieldNames`] and [`crate::Vm::field_hash`].
pub fn hash_str(name: &str) -> i32 {
    let units: Vec<u16> = name.encode_utf16().collect();
    crate::stdlib::text::hash(&units)
}

/// [`hash_str`] over UTF-16 units.
pub fn hash_utf16(name: &[u16]) -> i32 {
    crate::stdlib::text::hash(name)
}

pub(crate) struct Linked {
    pub rt_obj: Vec<Option<Rc<RtObj>>>,
    pub rt_virt: Vec<Option<Rc<RtVirtual>>>,
    pub funcs: Vec<FnSlot>,
    pub fun_names: Vec<String>,
}

fn build_obj(code: &Code, names: &FieldNames, t: usize, out: &mut Vec<Option<Rc<RtObj>>>, depth: usize) -> Result<Rc<RtObj>, LinkError> {
    if let Some(Some(rt)) = out.get(t) {
        return Ok(rt.clone());
    }
    if depth > 1000 {
        return Err(LinkError::Invalid(format!("class hierarchy of type {t} is cyclic")));
    }
    let Some(o) = code.types[t].obj() else {
        return Err(LinkError::Invalid(format!("type {t} is not a class")));
    };
    let mut rt = match o.super_ {
        Some(s) => {
            if code.types[s as usize].obj().is_none() {
                return Err(LinkError::Invalid(format!("super type of type {t} is not a class")));
            }
            let parent = build_obj(code, names, s as usize, out, depth + 1)?;
            let mut r = (*parent).clone();
            r.super_ = Some(s);
            r
        }
        None => RtObj::default(),
    };
    rt.name = code.strings[o.name as usize].clone();
    for f in &o.fields {
        let name = code.strings[f.name as usize].clone();
        let hash = names.hash_of(&name);
        let idx = rt.fields.len();
        if code.types[f.ty as usize].is_ptr() {
            rt.ptr_fields.push(idx as u32);
        }
        rt.field_index.insert(hash, idx);
        rt.fields.push(RtField { name, hash, ty: f.ty });
    }
    for p in &o.protos {
        let name = code.strings[p.name as usize].clone();
        if code.fun_refs.get(p.findex as usize).is_none() {
            return Err(LinkError::Invalid(format!("method {name} refers to undefined function {}", p.findex)));
        }
        let hash = names.hash_of(&name);
        rt.add_method(name, hash, p.pindex, p.findex).map_err(LinkError::Invalid)?;
    }
    for &(fid, mid) in &o.bindings {
        let fid = fid as usize;
        if fid >= rt.fields.len() || code.fun_refs.get(mid as usize).is_none() {
            return Err(LinkError::Invalid(format!("bad binding in type {t}")));
        }
        rt.bindings.retain(|(f, _)| *f != fid);
        rt.bindings.push((fid, mid));
    }
    let rt = Rc::new(rt);
    out[t] = Some(rt.clone());
    Ok(rt)
}

/// Prepares `f` for the interpreter.
pub fn compile(code: &Code, f: &Function) -> CompiledFn {
    let kinds = f.regs.iter().map(|&t| Kind::of(&code.types[t as usize])).collect();
    let nargs = code.types[f.ty as usize].fun().map(|ft| ft.args.len()).unwrap_or(0);
    CompiledFn { func: f.clone(), kinds, nargs, jit: Default::default() }
}

/// Interns the field names of `code` into `names` in the order HashLink 1.17 registers
/// them when it loads a module: while reading types, type by type, a class's fields then
/// its methods, a virtual's fields; then, while compiling functions in order, the names
/// written by `ODynSet`.
pub(crate) fn intern_names(code: &Code, names: &mut FieldNames) {
    let s = |i: u32| code.strings.get(i as usize).map_or("", |s| s.as_str());
    for t in &code.types {
        match t {
            Type::Obj(o) | Type::Struct(o) => {
                for f in &o.fields {
                    names.intern(s(f.name));
                }
                for p in &o.protos {
                    names.intern(s(p.name));
                }
            }
            Type::Virtual(v) => {
                for f in &v.fields {
                    names.intern(s(f.name));
                }
            }
            _ => {}
        }
    }
    for f in &code.functions {
        for op in &f.ops {
            if let crate::code::Op::DynSet { name, .. } = op {
                names.intern(s(*name));
            }
        }
    }
}

/// Builds the runtime layouts of `code` and resolves its natives; `names` must hold the
/// module's type names ([`intern_names`]).
pub(crate) fn link(
    code: &Code,
    natives: &HashMap<(String, String), FnSlot>,
    names: &FieldNames,
) -> Result<Linked, LinkError> {
    let n = code.types.len();
    let mut rt_obj = vec![None; n];
    let mut rt_virt = vec![None; n];
    for t in 0..n {
        match &code.types[t] {
            Type::Obj(_) | Type::Struct(_) => {
                build_obj(code, names, t, &mut rt_obj, 0)?;
            }
            Type::Virtual(v) => {
                let mut rv = RtVirtual::default();
                for f in &v.fields {
                    let name = code.strings[f.name as usize].clone();
                    let hash = names.hash_of(&name);
                    rv.field_index.insert(hash, rv.fields.len());
                    rv.fields.push(RtField { name, hash, ty: f.ty });
                }
                rt_virt[t] = Some(Rc::new(rv));
            }
            _ => {}
        }
    }
    // Function names for stack traces: `Class.method` from protos and bindings.
    let mut fun_names = vec![String::new(); code.fun_refs.len()];
    for (t, ty) in code.types.iter().enumerate() {
        if let Some(o) = ty.obj() {
            let cname = rt_obj[t].as_ref().map(|r| r.name.clone()).unwrap_or_default();
            for p in &o.protos {
                if let Some(slot) = fun_names.get_mut(p.findex as usize) {
                    if slot.is_empty() {
                        *slot = format!("{}.{}", cname, code.strings[p.name as usize]);
                    }
                }
            }
            for &(fid, mid) in &o.bindings {
                let fname = rt_obj[t].as_ref().and_then(|r| r.fields.get(fid as usize)).map(|f| f.name.clone());
                if let (Some(slot), Some(fname)) = (fun_names.get_mut(mid as usize), fname) {
                    if slot.is_empty() {
                        *slot = format!("{cname}.{fname}");
                    }
                }
            }
        }
    }
    crate::rt::name_nested_functions(code, &mut fun_names);
    let mut missing = Vec::new();
    let mut funcs = Vec::with_capacity(code.fun_refs.len());
    for r in &code.fun_refs {
        match *r {
            FunRef::Function(i) => funcs.push(FnSlot::Bytecode(Rc::new(compile(code, &code.functions[i])))),
            FunRef::Native(i) => {
                let nat = &code.natives[i];
                match natives.get(&(nat.lib.clone(), nat.name.clone())) {
                    Some(f) => funcs.push(f.clone()),
                    None => {
                        let optional = nat.lib.starts_with('?');
                        let key = (nat.lib.trim_start_matches('?').to_string(), nat.name.clone());
                        if let Some(f) = natives.get(&key) {
                            funcs.push(f.clone());
                        } else {
                            if !optional {
                                missing.push(format!("{}@{}", nat.lib, nat.name));
                            }
                            funcs.push(FnSlot::Native(crate::stdlib::missing_native));
                        }
                    }
                }
            }
        }
    }
    if !missing.is_empty() {
        missing.sort();
        missing.dedup();
        return Err(LinkError::MissingNatives(missing));
    }
    for f in &code.functions {
        let Some(ft) = code.types[f.ty as usize].fun() else { continue };
        if ft.args.len() > f.regs.len() {
            return Err(LinkError::Invalid(format!(
                "function {} takes {} arguments but has {} registers",
                f.findex,
                ft.args.len(),
                f.regs.len()
            )));
        }
    }
    Ok(Linked { rt_obj, rt_virt, funcs, fun_names })
}
