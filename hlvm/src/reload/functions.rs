//! Function mapping (by qualified name and type; natives by `(lib, name)`) and the
//! translation of function bodies into the running index spaces.

use std::rc::Rc;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::plan::Planner;
use super::{incompatible, names, running_bodies, running_loc, ReloadError, Result};
use crate::code::{FunRef, Function, Op, Type};
use crate::module::{CompiledFn, FnSlot, Kind, LinkError};

pub(super) enum Pending {
    Bytecode { index: usize, findex: u32, trace: String },
    Native { lib: String, name: String, ty: u32, slot: FnSlot },
}

#[derive(Default)]
pub(super) struct FunMapping {
    /// `(index in new.functions, running findex, new function index, revived)`: revived
    /// functions were gone from the running code and come back in their remembered slot.
    pub(super) matched: Vec<(usize, u32, usize, bool)>,
    /// Qualified name of each new function index (see `names`).
    pub(super) qualified: Vec<Option<String>>,
    /// Functions to append, with their new function index, in that order.
    pub(super) order: Vec<(usize, Pending)>,
    pub(super) changed: Vec<String>,
    pub(super) added: Vec<String>,
    /// See [`super::plan::Plan::names`].
    pub(super) names: Vec<(String, u32)>,
}

impl<'a> Planner<'a> {
    // ------------------------------------------------------------------ functions

    /// Maps every live new function index; returns the matched `(new, running)` pairs,
    /// the appended bytecode functions (new index) and the report names.
    pub(super) fn map_functions(&mut self) -> Result<FunMapping> {
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
        let new_loc = |f: usize| {
            let &(file, line) = new_bodies.get(f).copied().flatten()?.debug.first()?;
            Some((new.debug_files.get(file as usize)?.as_str(), line))
        };
        let new_names = names::compute(&new.types, &new.strings, &new_bodies, new.entrypoint, new_loc);
        let run_names = names::compute(&vm.types, &run.strings, &run_bodies, run.entrypoint, |f| running_loc(vm, &run_bodies, f));
        let mut run_by_name: HashMap<&str, u32> = HashMap::default();
        for (f, q) in run_names.qualified.iter().enumerate() {
            if let Some(q) = q {
                run_by_name.entry(q.as_str()).or_insert(f as u32);
            }
        }
        // The compiler may declare one native several times (`alloc_bytes` twice in
        // every program, through `hl.Bytes` and another declaration): the k-th
        // declaration of a `(lib, name)` in the new code maps to the k-th in the running
        // code, so that unchanged callers of either stay unchanged.
        let mut run_natives: HashMap<(&str, &str), Vec<u32>> = HashMap::default();
        for (f, r) in run.fun_refs.iter().enumerate() {
            if let FunRef::Native(i) = r {
                if let Some(n) = run.natives.get(*i) {
                    run_natives.entry((n.lib.as_str(), n.name.as_str())).or_default().push(f as u32);
                }
            }
        }
        let mut natives_seen: HashMap<(&str, &str), usize> = HashMap::default();
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
            .filter(|st| st.is_for(&vm.code))
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
                    let key = (nat.lib.as_str(), nat.name.as_str());
                    let nth = natives_seen.entry(key).or_insert(0);
                    let same = run_natives.get(&key).and_then(|fs| fs.get(*nth).or(fs.first()));
                    *nth += 1;
                    if let Some(&rf) = same {
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
                            m.matched.push((i, rf, f, false));
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
                    m.matched.push((i, rf, f, true));
                    continue;
                }
            }
            if known || old.is_some() {
                m.changed.push(name.to_string());
            } else {
                m.added.push(name.to_string());
            }
            m.order.push((f, Pending::Bytecode { index: i, findex: 0, trace: new_names.trace_name(&new.strings, f) }));
        }
        // Appended slots, in new function-index order.
        m.order.sort_by_key(|(f, _)| *f);
        for (next, (f, p)) in (vm.funcs.len() as u32..).zip(m.order.iter_mut()) {
            self.fmap[*f] = Some(next);
            if let Pending::Bytecode { findex, .. } = p {
                *findex = next;
            }
        }
        // Names for the next reload: the remembered ones, updated with the running ones,
        // then with the new ones. Only the entries that change are built (most names keep
        // their slot from one reload to the next).
        let mut latest: HashMap<&str, u32> = run_by_name.clone();
        for (f, q) in new_names.qualified.iter().enumerate() {
            if let (Some(q), Some(rf)) = (q, self.fmap[f]) {
                latest.insert(q.as_str(), rf);
            }
        }
        let names = latest
            .into_iter()
            .filter(|(name, rf)| remembered.and_then(|r| r.get(*name)) != Some(rf))
            .map(|(name, rf)| (name.to_string(), rf))
            .collect();
        m.names = names;
        m.qualified = new_names.qualified;
        Ok(m)
    }

    pub(super) fn fun_idx(&self, f: u32) -> Result<u32> {
        self.fmap.get(f as usize).copied().flatten().ok_or_else(|| incompatible(format!("function {f} is referenced but has no name to match it by")))
    }

    // ------------------------------------------------------------------ function translation

    pub(super) fn field_idx(&self, regs: &[u32], obj: u32, field: u32) -> Result<u32> {
        if self.field_remap.is_empty() {
            return Ok(field);
        }
        let t = regs.get(obj as usize).copied().ok_or_else(|| incompatible(format!("register {obj} out of range")))?;
        match self.field_remap.get(&self.tmap(t)?) {
            Some(m) => m.get(field as usize).copied().ok_or_else(|| incompatible(format!("field {field} out of range"))),
            None => Ok(field),
        }
    }

    pub(super) fn tr_op(&self, op: &Op, regs: &[u32]) -> Result<Op> {
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
            Op::CallMethod { dst, field, args } => {
                let recv = args.first().and_then(|&a| regs.get(a as usize)).copied().ok_or_else(|| incompatible("method call without receiver"))?;
                Op::CallMethod { dst: *dst, field: self.slot_idx(recv, *field)?, args: args.clone() }
            }
            Op::CallThis { dst, field, args } => {
                let recv = regs.first().copied().ok_or_else(|| incompatible("method call without receiver"))?;
                Op::CallThis { dst: *dst, field: self.slot_idx(recv, *field)?, args: args.clone() }
            }
            Op::VirtualClosure { dst, obj, field } => {
                let recv = regs.get(*obj as usize).copied().ok_or_else(|| incompatible(format!("register {obj} out of range")))?;
                Op::VirtualClosure { dst: *dst, obj: *obj, field: self.slot_idx(recv, *field)? }
            }
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

    pub(super) fn tr_function(&self, f: &Function, findex: u32) -> Result<Function> {
        let regs = f.regs.iter().map(|&t| self.tmap(t)).collect::<Result<Vec<u32>>>()?;
        let ops = f.ops.iter().map(|op| self.tr_op(op, &f.regs)).collect::<Result<Vec<Op>>>()?;
        Ok(Function { ty: self.tmap(f.ty)?, findex, regs, ops, debug: self.tr_debug(f) })
    }

    /// Whether new function `f`, translated, has `cur`'s type, registers and ops: what
    /// [`Planner::tr_function`] would give, compared op by op without building it (most
    /// functions are unchanged). `Ok(false)` at the first difference, before the rest is
    /// checked: the caller then translates `f` in full, which reports what cannot be
    /// translated.
    pub(super) fn tr_matches(&self, f: &Function, cur: &Function) -> Result<bool> {
        if f.regs.len() != cur.regs.len() || f.ops.len() != cur.ops.len() || self.tmap(f.ty)? != cur.ty {
            return Ok(false);
        }
        for (&t, &c) in f.regs.iter().zip(&cur.regs) {
            if self.tmap(t)? != c {
                return Ok(false);
            }
        }
        for (op, c) in f.ops.iter().zip(&cur.ops) {
            if std::mem::discriminant(op) != std::mem::discriminant(c) || self.tr_op(op, &f.regs)? != *c {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// `f`'s line table in the running file indices.
    pub(super) fn tr_debug(&self, f: &Function) -> Vec<(u32, u32)> {
        f.debug.iter().map(|&(file, line)| (self.tr_file(file), line)).collect()
    }

    /// Whether `f`'s line table, translated, is `lines`.
    pub(super) fn tr_debug_matches(&self, f: &Function, lines: &[(u32, u32)]) -> bool {
        f.debug.len() == lines.len() && f.debug.iter().zip(lines).all(|(&(file, line), &l)| (self.tr_file(file), line) == l)
    }

    fn tr_file(&self, file: u32) -> u32 {
        self.files.get(file as usize).copied().unwrap_or(file)
    }

    pub(super) fn compile(&self, func: Function) -> Result<Rc<CompiledFn>> {
        let kinds = func.regs.iter().map(|&t| self.final_type(t).map_or(Kind::Ptr, Kind::of)).collect();
        let nargs = self.final_type(func.ty).and_then(Type::fun).map_or(0, |ft| ft.args.len());
        if nargs > func.regs.len() {
            return Err(incompatible(format!("function {} takes {nargs} arguments but has {} registers", func.findex, func.regs.len())));
        }
        Ok(Rc::new(CompiledFn { func, kinds, nargs, jit: Default::default() }))
    }

}
