//! Global mapping: statics through their class's type, constants by content, other
//! globals by type and the order the entrypoint stores them in; and the values new
//! globals start with.

use rustc_hash::FxHashMap as HashMap;

use super::plan::Planner;
use super::types::flat_fields;
use super::{incompatible, Result};
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

/// The cached nullary constructor the entrypoint stores at `pc` (`SetGlobal`), when
/// it follows genhl's pattern: `Int i; GetArray v, values, i; SafeCast c, v; SetGlobal`.
pub(super) fn traced_enum_ctor(ops: &[Op], pc: usize, src: u32, ints: &[i32]) -> Option<u32> {
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

    pub(super) fn fresh_global(&mut self, ty: u32, init: GlobalInit) -> u32 {
        let g = (self.run.globals.len() + self.add_globals.len()) as u32;
        self.add_globals.push((ty, init));
        g
    }

    /// A new global of enum type stored by the entrypoint as a cached nullary constructor.
    pub(super) fn traced_enum_value(&self, g: usize, gty: u32, entry: Option<&Function>) -> Option<GlobalInit> {
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
