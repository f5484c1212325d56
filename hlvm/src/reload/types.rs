//! Type mapping: new type indices to running ones (classes by name, other types by
//! structure, recursive ones coinductively), and the layout checks on matched classes
//! and enums.

use rustc_hash::FxHashMap as HashMap;

use super::plan::Planner;
use super::{incompatible, names, ReloadError, Result, MAX_DEPTH};
use crate::code::{EnumConstruct, EnumType, Field, ObjType, Type};

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum TState {
    Todo,
    Busy,
    Done(u32),
}

/// Name key of a nominal type: kind tag, name, occurrence of that name.
pub(super) type NomKey<'a> = (u8, &'a str, u32);

/// Structural key of a type, components in the running index space.
#[derive(Hash, PartialEq, Eq)]
pub(super) enum TKey {
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
pub(super) enum Shallow {
    Kind(u8, usize),
    Virtual(Box<[String]>),
    Enum(Box<[(String, usize)]>),
}

pub(super) fn nominal_of<'s>(ty: &Type, strings: &'s [String]) -> Option<(u8, &'s str)> {
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
pub(super) fn components(ty: &Type) -> Vec<u32> {
    match ty {
        Type::Fun(f) | Type::Method(f) => f.args.iter().copied().chain(std::iter::once(f.ret)).collect(),
        Type::Ref(t) | Type::Null(t) | Type::Packed(t) => vec![*t],
        Type::Virtual(v) => v.fields.iter().map(|f| f.ty).collect(),
        Type::Enum(e) => e.constructs.iter().flat_map(|c| c.params.iter().copied()).collect(),
        _ => Vec::new(),
    }
}

/// Structural key of `ty` whose components (see [`components`]) are `comps`.
pub(super) fn tkey(ty: &Type, comps: &[u32], strings: &[String]) -> TKey {
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

pub(super) fn shallow(ty: &Type, strings: &[String]) -> Shallow {
    let s = |i: u32| strings.get(i as usize).cloned().unwrap_or_default();
    match ty {
        Type::Virtual(v) => Shallow::Virtual(v.fields.iter().map(|f| s(f.name)).collect()),
        Type::Enum(e) => Shallow::Enum(e.constructs.iter().map(|c| (s(c.name), c.params.len())).collect()),
        t => Shallow::Kind(t.kind_id(), components(t).len()),
    }
}


pub(super) fn names_of_kind(t: &Type) -> &'static str {
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

impl<'a> Planner<'a> {
    // ------------------------------------------------------------------ types

    pub(super) fn map_types(&mut self) -> Result<()> {
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

    pub(super) fn fresh_type(&mut self, t: u32) -> u32 {
        let r = (self.base + self.fresh_types.len()) as u32;
        self.fresh_types.push(t);
        r
    }

    /// The running index of new type `t`; `None` while `t` is being mapped (a cycle).
    pub(super) fn map_type(&mut self, t: u32, depth: usize) -> Result<Option<u32>> {
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
    pub(super) fn resolve_cycle(&mut self, t: u32) -> Result<Option<u32>> {
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
    pub(super) fn equiv(&self, a: u32, r: u32, assume: &mut HashMap<u32, u32>, depth: usize) -> bool {
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

    pub(super) fn tmap(&self, t: u32) -> Result<u32> {
        match self.tstate.get(t as usize) {
            Some(TState::Done(x)) => Ok(*x),
            _ => Err(incompatible(format!("type {t} could not be mapped"))),
        }
    }

    /// A readable name of running-or-appended type `t` (for error messages).
    pub(super) fn describe(&self, t: u32) -> String {
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

    pub(super) fn check_layouts(&mut self) -> Result<()> {
        for t in 0..self.new.types.len() {
            if self.new_nominal[t].is_none() {
                continue;
            }
            let r = self.tmap(t as u32)?;
            if r as usize >= self.base {
                continue;
            }
            match (&self.new.types[t], &self.vm.types[r as usize]) {
                (Type::Obj(no), Type::Obj(ro)) | (Type::Struct(no), Type::Struct(ro)) => self.check_class(r, no, ro)?,
                (Type::Enum(ne), Type::Enum(re)) => self.check_enum(ne, re)?,
                _ => {}
            }
        }
        Ok(())
    }

    pub(super) fn check_class(&mut self, r: u32, no: &ObjType, ro: &ObjType) -> Result<()> {
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
            let inherited = ro.super_.and_then(|s| names::flat_fields(&vm.types, s)).map_or(0, |f| f.len());
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
        Ok(())
    }

    pub(super) fn check_enum(&self, ne: &EnumType, re: &EnumType) -> Result<()> {
        let (new, run) = (self.new, self.run);
        let type_name = run.strings.get(re.name as usize).cloned().unwrap_or_default();
        let layout = |detail: String| ReloadError::Layout { type_name: type_name.clone(), detail };
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

}
