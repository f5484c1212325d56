//! Global mapping: statics through their class's type, constants by content, other
//! globals by type and the order the entrypoint stores them in; and the values new
//! globals start with.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::plan::Planner;
use super::names::flat_fields;
use super::{incompatible, names, Result};
use crate::code::{Code, Constant, FunRef, Function, Op, Type};
use crate::module::FnSlot;
use crate::value::from_i32;

/// The value a global new to the module starts with.
pub(super) enum GlobalInit {
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
    /// An object of type `ty` with some fields set (the rest 0).
    Object { ty: u32, fields: Vec<(usize, ConstField)> },
}

pub(super) enum ConstField {
    Raw(u64),
    Str(u32),
    Global(u32),
}

/// Key of a global no type owns.
#[derive(Hash, PartialEq, Eq)]
pub(super) enum GKey {
    /// A constant object: type and field values.
    Const(u32, Box<[CVal]>),
    /// Type, and ordinal among globals of that type by first store in the entrypoint.
    Site(u32, u32),
    /// Type, and ordinal among the remaining globals of that type.
    Other(u32, u32),
}

#[derive(Hash, PartialEq, Eq)]
pub(super) enum CVal {
    Int(i32),
    Float(u64),
    Str(String),
    Ty(u32),
}

/// The register `op` writes, if any (`Setref` and `SetEnumField` write through their
/// operand, not to it).
fn op_dst(op: &Op) -> Option<u32> {
    match op {
        Op::Mov { dst, .. }
        | Op::Int { dst, .. }
        | Op::Float { dst, .. }
        | Op::Bool { dst, .. }
        | Op::Bytes { dst, .. }
        | Op::String { dst, .. }
        | Op::Null { dst }
        | Op::Add { dst, .. }
        | Op::Sub { dst, .. }
        | Op::Mul { dst, .. }
        | Op::SDiv { dst, .. }
        | Op::UDiv { dst, .. }
        | Op::SMod { dst, .. }
        | Op::UMod { dst, .. }
        | Op::Shl { dst, .. }
        | Op::SShr { dst, .. }
        | Op::UShr { dst, .. }
        | Op::And { dst, .. }
        | Op::Or { dst, .. }
        | Op::Xor { dst, .. }
        | Op::Neg { dst, .. }
        | Op::Not { dst, .. }
        | Op::Incr { dst }
        | Op::Decr { dst }
        | Op::Call { dst, .. }
        | Op::CallMethod { dst, .. }
        | Op::CallThis { dst, .. }
        | Op::CallClosure { dst, .. }
        | Op::StaticClosure { dst, .. }
        | Op::InstanceClosure { dst, .. }
        | Op::VirtualClosure { dst, .. }
        | Op::GetGlobal { dst, .. }
        | Op::Field { dst, .. }
        | Op::GetThis { dst, .. }
        | Op::DynGet { dst, .. }
        | Op::ToDyn { dst, .. }
        | Op::ToSFloat { dst, .. }
        | Op::ToUFloat { dst, .. }
        | Op::ToInt { dst, .. }
        | Op::SafeCast { dst, .. }
        | Op::UnsafeCast { dst, .. }
        | Op::ToVirtual { dst, .. }
        | Op::GetI8 { dst, .. }
        | Op::GetI16 { dst, .. }
        | Op::GetMem { dst, .. }
        | Op::GetArray { dst, .. }
        | Op::New { dst }
        | Op::ArraySize { dst, .. }
        | Op::Type { dst, .. }
        | Op::GetType { dst, .. }
        | Op::GetTID { dst, .. }
        | Op::Ref { dst, .. }
        | Op::Unref { dst, .. }
        | Op::MakeEnum { dst, .. }
        | Op::EnumAlloc { dst, .. }
        | Op::EnumIndex { dst, .. }
        | Op::EnumField { dst, .. }
        | Op::RefData { dst, .. }
        | Op::RefOffset { dst, .. } => Some(*dst),
        _ => None,
    }
}

/// Every op index control can reach other than from the op before it.
fn jump_targets(ops: &[Op]) -> HashSet<usize> {
    let mut t = HashSet::default();
    for op in ops {
        match op {
            Op::Trap { target, .. } => {
                t.insert(*target as usize);
            }
            Op::Switch { targets, end, .. } => {
                t.extend(targets.iter().map(|&x| x as usize));
                t.insert(*end as usize);
            }
            _ => t.extend(op.jump_target().map(|x| x as usize)),
        }
    }
    t
}

/// The op that last wrote register `r` before `pc`, when it lies in the same
/// straight-line run (no jump target in between): its index and the op.
fn def_before<'o>(ops: &'o [Op], targets: &HashSet<usize>, pc: usize, r: u32) -> Option<(usize, &'o Op)> {
    let mut i = pc;
    while i > 0 {
        if targets.contains(&i) {
            return None;
        }
        i -= 1;
        let op = ops.get(i)?;
        if op_dst(op) == Some(r) {
            return Some((i, op));
        }
    }
    None
}

impl<'a> Planner<'a> {
    // ------------------------------------------------------------------ globals

    /// Owner type (new space) of each global: the type whose `global` names it.
    pub(super) fn owners(types: &[Type], nglobals: usize) -> Vec<Option<u32>> {
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
    pub(super) fn global_keys(gtypes: &[Option<u32>], owned: &[Option<u32>], consts: Vec<Option<Box<[CVal]>>>, entry: Option<&[Op]>) -> Vec<Option<GKey>> {
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
    pub(super) fn const_key(
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

    pub(super) fn map_globals(&mut self) -> Result<()> {
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
        // New unowned globals: numbered first (their initial values may refer to each
        // other), then given the value the entrypoint would store when it can be read off.
        let first = self.add_globals.len();
        for &g in &pending {
            self.gmap[g] = (run.globals.len() + self.add_globals.len()) as u32;
            self.add_globals.push((new_gty[g].unwrap_or(0), GlobalInit::Zero));
        }
        let targets = new_entry.map(|e| jump_targets(&e.ops)).unwrap_or_default();
        for (k, &g) in pending.iter().enumerate() {
            let gty = new_gty[g].unwrap_or(0);
            let init = if let Some(c) = new_const_of[g] {
                let (fields, constant) = self.translate_constant(c, self.gmap[g])?;
                self.add_constants.push(constant);
                GlobalInit::Const { ty: gty, fields }
            } else {
                new_entry.and_then(|e| self.traced_init(e, &targets, g, gty)).unwrap_or(GlobalInit::Zero)
            };
            self.add_globals[first + k].1 = init;
        }
        if let Some(e) = new_entry {
            self.implemented_by = self.traced_implemented_by(e, &targets);
        }
        Ok(())
    }

    pub(super) fn fresh_global(&mut self, ty: u32, init: GlobalInit) -> u32 {
        let g = (self.run.globals.len() + self.add_globals.len()) as u32;
        self.add_globals.push((ty, init));
        g
    }

    /// The value the new entrypoint stores into new global `g` (of running type `gty`),
    /// when the code computing it is one of genhl's straight-line patterns: a cached
    /// nullary enum constructor (`__evalues__[k]`), an object built field by field
    /// (core type objects), or the class object `Type.initClass($C, C, name)` returns
    /// (interfaces). Nothing is run.
    fn traced_init(&self, entry: &Function, targets: &HashSet<usize>, g: usize, gty: u32) -> Option<GlobalInit> {
        let ops = &entry.ops;
        let pc = ops.iter().position(|op| matches!(op, Op::SetGlobal { global, .. } if *global as usize == g))?;
        let Op::SetGlobal { src, .. } = &ops[pc] else { return None };
        let (mut at, mut r) = (pc, *src);
        for _ in 0..8 {
            let (i, op) = def_before(ops, targets, at, r)?;
            match op {
                Op::Mov { src, .. } | Op::SafeCast { src, .. } | Op::UnsafeCast { src, .. } => (at, r) = (i, *src),
                Op::GetArray { index, .. } => {
                    let (_, Op::Int { idx, .. }) = def_before(ops, targets, i, *index)? else { return None };
                    let ctor = u32::try_from(*self.new.ints.get(*idx as usize)?).ok()?;
                    let Some(Type::Enum(e)) = self.new.globals.get(g).and_then(|&t| self.new.types.get(t as usize)) else { return None };
                    return e.constructs.get(ctor as usize)?.params.is_empty().then_some(GlobalInit::EnumValue { en: gty, ctor });
                }
                Op::New { dst } => {
                    let ty = self.tmap(*entry.regs.get(*dst as usize)?).ok()?;
                    let mut fields = Vec::new();
                    for (j, op) in ops.iter().enumerate().take(pc).skip(i + 1) {
                        match op {
                            Op::SetField { obj, field, src } if obj == dst => {
                                if let Some(v) = self.traced_value(entry, targets, j, *src) {
                                    fields.push((*field as usize, v));
                                }
                            }
                            op if op_dst(op) == Some(*dst) => return None,
                            _ => {}
                        }
                    }
                    return Some(GlobalInit::Object { ty, fields });
                }
                Op::Call { args, .. } if args.len() >= 2 => {
                    let (_, Op::Type { ty, .. }) = def_before(ops, targets, i, args[1])? else { return None };
                    return Some(GlobalInit::ClassObject { class_ty: gty, inst: self.tmap(*ty).ok()? });
                }
                _ => return None,
            }
        }
        None
    }

    /// The `__implementedBy__` lists the new entrypoint gives interface class objects
    /// (`SetField c.__implementedBy__, a` after `a = alloc_array(Type, n)` and
    /// `SetArray a[k] = Type T`, then `SetGlobal g, c`): per running global, the
    /// implementing types. Lists that cannot be read off completely are left out.
    fn traced_implemented_by(&self, entry: &Function, targets: &HashSet<usize>) -> Vec<(u32, Vec<u32>)> {
        let ops = &entry.ops;
        let mut out = Vec::new();
        for (pc, op) in ops.iter().enumerate() {
            let Op::SetField { obj, field, src: arr } = op else { continue };
            let named = entry
                .regs
                .get(*obj as usize)
                .and_then(|&t| names::field_name(&self.new.types, t, *field))
                .and_then(|n| self.new.strings.get(n as usize))
                .is_some_and(|n| n == "__implementedBy__");
            if !named {
                continue;
            }
            let list = (|| {
                let (start, Op::Call { args, .. }) = def_before(ops, targets, pc, *arr)? else { return None };
                let (_, Op::Int { idx, .. }) = def_before(ops, targets, start, *args.get(1)?)? else { return None };
                let n = usize::try_from(*self.new.ints.get(*idx as usize)?).ok()?;
                let mut types = vec![None; n];
                for j in start + 1..pc {
                    if let Op::SetArray { array, index, src } = &ops[j] {
                        if array != arr {
                            continue;
                        }
                        let (_, Op::Int { idx, .. }) = def_before(ops, targets, j, *index)? else { return None };
                        let (_, Op::Type { ty, .. }) = def_before(ops, targets, j, *src)? else { return None };
                        let k = usize::try_from(*self.new.ints.get(*idx as usize)?).ok()?;
                        *types.get_mut(k)? = Some(self.tmap(*ty).ok()?);
                    }
                }
                types.into_iter().collect::<Option<Vec<u32>>>()
            })();
            // The global the class object is stored into, just after.
            let mut holder = *obj;
            let mut global = None;
            for op in ops.iter().skip(pc + 1).take(4) {
                match op {
                    Op::SafeCast { dst, src } | Op::UnsafeCast { dst, src } | Op::Mov { dst, src } if *src == holder => holder = *dst,
                    Op::SetGlobal { global: g, src } if *src == holder => {
                        global = Some(*g);
                        break;
                    }
                    _ => {}
                }
            }
            if let (Some(list), Some(g)) = (list, global) {
                if let Some(&rg) = self.gmap.get(g as usize).filter(|&&rg| rg != u32::MAX) {
                    out.push((rg, list));
                }
            }
        }
        out
    }

    /// A constant value stored at `pc` from register `r`: a type, a global, an Int or a Bool.
    fn traced_value(&self, entry: &Function, targets: &HashSet<usize>, pc: usize, r: u32) -> Option<ConstField> {
        let (_, op) = def_before(&entry.ops, targets, pc, r)?;
        match op {
            Op::Type { ty, .. } => Some(ConstField::Raw(self.tmap(*ty).ok()? as u64 + 1)),
            Op::GetGlobal { global, .. } => {
                let g = *self.gmap.get(*global as usize)?;
                (g != u32::MAX).then_some(ConstField::Global(g))
            }
            Op::Int { dst, idx } => {
                let t = self.new.types.get(*entry.regs.get(*dst as usize)? as usize)?;
                let v = *self.new.ints.get(*idx as usize)?;
                matches!(t, Type::I32).then_some(ConstField::Raw(from_i32(v)))
            }
            Op::Bool { value, .. } => Some(ConstField::Raw(*value as u64)),
            _ => None,
        }
    }

    /// Translates constant `c` of the new code (for new global `rg`): the values to
    /// store, and the constant in the running index spaces.
    pub(super) fn translate_constant(&self, c: &Constant, rg: u32) -> Result<(Vec<ConstField>, Constant)> {
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


    pub(super) fn global_idx(&self, g: u32) -> Result<u32> {
        match self.gmap.get(g as usize) {
            Some(&x) if x != u32::MAX => Ok(x),
            _ => Err(incompatible(format!("global {g} could not be mapped"))),
        }
    }

}
