//! The planner: computes a whole reload from shared borrows of the VM and the new
//! code, in the order pools, types, layouts, globals, functions, type translation,
//! bodies, runtime layouts. Nothing here mutates the VM.

use std::rc::Rc;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::functions::{FunMapping, Pending};
use super::globals::GlobalInit;
use super::types::{NomKey, Shallow, TKey, TState};
use super::vtables::Layout;
use super::{incompatible, names, ReloadReport, Result};
use crate::code::{Code, Constant, EnumConstruct, EnumType, Field, FunRef, FunType, ObjType, Type, VirtualType};
use crate::module::{CompiledFn, FnSlot, RtField, RtObj, RtVirtual};
use crate::vm::Vm;

/// A function appended to the table.
pub(super) enum Appended {
    Bytecode { cf: Rc<CompiledFn>, trace: String },
    Native { lib: String, name: String, ty: u32, slot: FnSlot },
}

/// A class object type that gained statics: its instances (the class objects held by
/// globals) get the new fields.
pub(super) struct Migration {
    pub(super) ty: u32,
    pub(super) len: usize,
    /// `(field, findex before, findex now)` for bindings (static functions) to refresh.
    pub(super) bindings: Vec<(usize, Option<u32>, u32)>,
}

/// Everything [`Vm::apply`] needs; computed without touching the VM.
pub(super) struct Plan {
    pub(super) add_strings: Vec<String>,
    pub(super) add_ints: Vec<i32>,
    pub(super) add_floats: Vec<f64>,
    pub(super) add_bytes: Vec<Vec<u8>>,
    pub(super) add_files: Vec<String>,
    pub(super) has_debug: bool,
    pub(super) updated_types: Vec<(u32, Type)>,
    pub(super) add_types: Vec<Type>,
    pub(super) rt_obj: Vec<(u32, Rc<RtObj>)>,
    pub(super) rt_virt: Vec<(u32, Rc<RtVirtual>)>,
    pub(super) add_globals: Vec<(u32, GlobalInit)>,
    pub(super) add_constants: Vec<Constant>,
    /// `(global, implementing types)`: interface class objects' `__implementedBy__`.
    pub(super) implemented_by: Vec<(u32, Vec<u32>)>,
    pub(super) swaps: Vec<(u32, Rc<CompiledFn>)>,
    pub(super) debug_updates: Vec<(u32, Vec<(u32, u32)>)>,
    pub(super) appended: Vec<Appended>,
    pub(super) migrations: Vec<Migration>,
    /// Field names new to the running VM and their hashes.
    pub(super) hash_names: Vec<(i32, String)>,
    pub(super) report: ReloadReport,
    /// Qualified name → running slot, for the next reload: the entries that differ
    /// from the remembered names (all of them when nothing is remembered).
    pub(super) names: Vec<(String, u32)>,
}

/// Slices of each bytes constant (HLB v5): from its start to the next greater start.
pub(super) fn bytes_slices(code: &Code) -> Vec<&[u8]> {
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
pub(super) fn merge_pool<K: std::hash::Hash + Eq>(run: impl Iterator<Item = K>, run_len: usize, new: impl Iterator<Item = K>) -> (Vec<u32>, Vec<usize>) {
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

pub(super) struct Planner<'a> {
    pub(super) vm: &'a Vm,
    pub(super) run: &'a Code,
    pub(super) new: &'a Code,
    /// `vm.types.len()`: first index of appended types.
    pub(super) base: usize,

    pub(super) strings: Vec<u32>,
    pub(super) add_strings: Vec<String>,
    pub(super) ints: Vec<u32>,
    pub(super) add_ints: Vec<i32>,
    pub(super) floats: Vec<u32>,
    pub(super) add_floats: Vec<f64>,
    pub(super) bytes: Vec<u32>,
    pub(super) add_bytes: Vec<Vec<u8>>,
    pub(super) files: Vec<u32>,
    pub(super) add_files: Vec<String>,

    pub(super) tstate: Vec<TState>,
    /// New type index of each appended type, in order.
    pub(super) fresh_types: Vec<u32>,
    pub(super) run_nominal: HashMap<NomKey<'a>, u32>,
    pub(super) new_nominal: Vec<Option<NomKey<'a>>>,
    pub(super) run_struct: HashMap<TKey, u32>,
    pub(super) add_struct: HashMap<TKey, u32>,
    pub(super) run_shallow: Option<HashMap<Shallow, Vec<u32>>>,

    /// Class object types that gained statics: new flattened field → running field.
    pub(super) field_remap: HashMap<u32, Vec<u32>>,
    pub(super) appended_fields: HashMap<u32, Vec<Field>>,

    pub(super) gmap: Vec<u32>,
    pub(super) add_globals: Vec<(u32, GlobalInit)>,
    pub(super) add_constants: Vec<Constant>,
    pub(super) implemented_by: Vec<(u32, Vec<u32>)>,

    /// Final vtable layout of every class of the new code.
    pub(super) vtables: HashMap<u32, Layout>,
    /// Classes whose new slot numbers differ from the final ones: new slot → final slot.
    pub(super) slot_remap: HashMap<u32, Vec<u32>>,

    pub(super) fmap: Vec<Option<u32>>,
    /// Final types of appended types (filled by `translate_types`).
    pub(super) add_types: Vec<Type>,
    pub(super) updated_types: HashMap<u32, Type>,
    /// Field names the running VM does not know yet, with the hashes they will get.
    pub(super) new_names: std::cell::RefCell<HashMap<i32, String>>,
}

impl<'a> Planner<'a> {
    pub(super) fn new(vm: &'a Vm, new: &'a Code) -> Result<Planner<'a>> {
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
            implemented_by: Vec::new(),
            vtables: HashMap::default(),
            slot_remap: HashMap::default(),
            fmap: Vec::new(),
            add_types: Vec::new(),
            updated_types: HashMap::default(),
            new_names: Default::default(),
        })
    }

    pub(super) fn plan(mut self) -> Result<Plan> {
        self.merge_pools();
        self.map_types()?;
        self.check_layouts()?;
        self.plan_vtables()?;
        self.map_globals()?;
        let funcs = self.map_functions()?;
        self.translate_types()?;
        self.build(funcs)
    }

    // ------------------------------------------------------------------ pools

    pub(super) fn merge_pools(&mut self) {
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

    pub(super) fn str_idx(&self, i: u32) -> Result<u32> {
        self.strings.get(i as usize).copied().ok_or_else(|| incompatible(format!("string {i} out of range")))
    }

    pub(super) fn final_string(&self, i: u32) -> &str {
        let n = self.run.strings.len();
        match (i as usize).checked_sub(n) {
            None => &self.run.strings[i as usize],
            Some(k) => self.add_strings.get(k).map(String::as_str).unwrap_or(""),
        }
    }

    // ------------------------------------------------------------------ type translation

    pub(super) fn final_type(&self, t: u32) -> Option<&Type> {
        match (t as usize).checked_sub(self.base) {
            None => self.updated_types.get(&t).or_else(|| self.vm.types.get(t as usize)),
            Some(k) => self.add_types.get(k),
        }
    }

    pub(super) fn tr_bindings(&self, r: u32, bindings: &[(u32, u32)]) -> Result<Vec<(u32, u32)>> {
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

    pub(super) fn tr_fields(&self, fields: &[Field]) -> Result<Vec<Field>> {
        fields.iter().map(|f| Ok(Field { name: self.str_idx(f.name)?, ty: self.tmap(f.ty)? })).collect()
    }

    pub(super) fn tr_global_ref(&self, g: u32) -> Result<u32> {
        if g == 0 {
            return Ok(0);
        }
        Ok(self.global_idx(g - 1)? + 1)
    }

    /// Builds the final form of appended types and of matched classes whose methods or
    /// statics changed.
    pub(super) fn translate_types(&mut self) -> Result<()> {
        let mut add = Vec::with_capacity(self.fresh_types.len());
        for (k, &nt) in self.fresh_types.iter().enumerate() {
            let c = (self.base + k) as u32;
            let ty = &self.new.types[nt as usize];
            let tys = |v: &[u32]| v.iter().map(|&t| self.tmap(t)).collect::<Result<Vec<u32>>>();
            add.push(match ty {
                Type::Obj(o) | Type::Struct(o) => {
                    let o = ObjType {
                        name: self.str_idx(o.name)?,
                        super_: o.super_.map(|s| self.tmap(s)).transpose()?,
                        global: self.tr_global_ref(o.global)?,
                        fields: self.tr_fields(&o.fields)?,
                        protos: self.final_protos(c, nt, &o.protos)?,
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
            o.protos = self.final_protos(r, t as u32, &no.protos)?;
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

    // ------------------------------------------------------------------ runtime layouts

    /// The hash field name `name` gets once this reload applies (see
    /// [`crate::rt::FieldNames`]); a name new to the VM is recorded in `new_names`.
    fn name_hash(&self, name: &str) -> i32 {
        let mut pending = self.new_names.borrow_mut();
        let h = self.vm.field_names.plan_hash(name, &pending);
        if self.vm.field_names.name(h) != Some(name) {
            pending.insert(h, name.to_string());
        }
        h
    }

    /// Runtime layout of final object type `t` (mirrors `module::build_obj`).
    pub(super) fn build_rt(&self, t: u32, dirty: &HashSet<u32>, memo: &mut HashMap<u32, Rc<RtObj>>, depth: usize) -> Result<Rc<RtObj>> {
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
            let hash = self.name_hash(&name);
            let idx = rt.fields.len();
            if self.final_type(f.ty).is_some_and(Type::is_ptr) {
                rt.ptr_fields.push(idx as u32);
            }
            rt.field_index.insert(hash, idx);
            rt.fields.push(RtField { name, hash, ty: f.ty });
        }
        for p in &o.protos {
            let name = self.final_string(p.name).to_string();
            let hash = self.name_hash(&name);
            rt.add_method(name, hash, p.pindex, p.findex).map_err(incompatible)?;
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
    pub(super) fn dirty_classes(&self) -> Vec<u32> {
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

    pub(super) fn build(self, m: FunMapping) -> Result<Plan> {
        let (vm, new) = (self.vm, self.new);
        let mut report = ReloadReport { changed: m.changed, added: m.added, unchanged: 0 };
        let mut swaps = Vec::new();
        let mut debug_updates = Vec::new();
        let name_of = |f: usize| m.qualified.get(f).cloned().flatten().unwrap_or_default();
        for (i, rf, f, revived) in m.matched {
            let Some(FnSlot::Bytecode(cur)) = vm.funcs.get(rf as usize) else {
                // Replaced by the host: the replacement stays.
                report.unchanged += 1;
                continue;
            };
            let nf = &new.functions[i];
            let cur = &cur.func;
            if revived {
                report.added.push(name_of(f));
            }
            if self.tr_matches(nf, cur)? {
                if revived {
                    continue;
                }
                report.unchanged += 1;
                let stored = match self.run.fun_refs.get(rf as usize) {
                    Some(FunRef::Function(j)) => self.run.functions.get(*j),
                    _ => None,
                };
                if stored.is_some_and(|s| !self.tr_debug_matches(nf, &s.debug)) {
                    debug_updates.push((rf, self.tr_debug(nf)));
                }
            } else {
                if !revived {
                    report.changed.push(name_of(f));
                }
                swaps.push((rf, self.compile(self.tr_function(nf, rf)?)?));
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
        for &t in &dirty_list {
            let rt = self.build_rt(t, &dirty, &mut memo, 0)?;
            rt_obj.push((t, rt));
        }
        let mut rt_virt = Vec::new();
        for (k, ty) in self.add_types.iter().enumerate() {
            if let Type::Virtual(v) = ty {
                let mut rv = RtVirtual::default();
                for f in &v.fields {
                    let name = self.final_string(f.name).to_string();
                    let hash = self.name_hash(&name);
                    rv.field_index.insert(hash, rv.fields.len());
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

        let Planner { add_strings, add_ints, add_floats, add_bytes, add_files, add_globals, add_constants, implemented_by, add_types, updated_types, new_names, .. } = self;
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
            implemented_by,
            swaps,
            debug_updates,
            appended,
            migrations,
            hash_names: new_names.into_inner().into_iter().collect(),
            report,
            names: m.names,
        })
    }
}
