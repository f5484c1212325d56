//! Virtual-table slots across a reload.
//!
//! Running code calls virtual methods by slot (`CallMethod`, `CallThis`,
//! `VirtualClosure`), and genhl numbers slots by declaration order: making a method
//! virtual (adding an override) or adding one to a super class renumbers the slots after
//! it. So slots are not taken from the new code. Per class, parents first:
//! - the layout starts as the parent's final layout;
//! - every slot the running class had keeps its method (so running code and running
//!   frames dispatch as before);
//! - a virtual method the layout does not know yet gets a fresh slot, past every slot the
//!   class's hierarchy (same root class) uses.
//!
//! A method's *primary* slot is its parent's when the parent has it (callers typed with
//! the parent use it), else its running slot, else its fresh slot; the new code's slot
//! operands and protos are translated to primary slots. A method may also keep older
//! slots (aliases); the class's protos fill every slot, with its own implementation or
//! the inherited one, or, for a method the new code removed, the running one.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::plan::Planner;
use super::{incompatible, Result};
use crate::code::{Proto, Type};

/// The final slot layout of one class.
#[derive(Clone, Default)]
pub(super) struct Layout {
    /// Method name and its name's string index (final space) per slot.
    pub(super) by_slot: Vec<Option<(String, u32)>>,
    /// Primary slot of each method name.
    pub(super) slot_of: HashMap<String, u32>,
}

/// Method names (and string indices) by slot of object type `t`, super classes first.
fn slot_table(types: &[Type], strings: &[String], t: u32) -> Result<Vec<Option<(String, u32)>>> {
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
    let mut slots = Vec::new();
    for o in chain.iter().rev() {
        for p in &o.protos {
            let Ok(s) = usize::try_from(p.pindex) else { continue };
            if s > 1_000_000 {
                return Err(incompatible(format!("method slot {s} out of range")));
            }
            if slots.len() <= s {
                slots.resize(s + 1, None);
            }
            slots[s] = strings.get(p.name as usize).map(|n| (n.clone(), p.name));
        }
    }
    Ok(slots)
}

fn put(by_slot: &mut Vec<Option<(String, u32)>>, s: usize, v: (String, u32)) {
    if by_slot.len() <= s {
        by_slot.resize(s + 1, None);
    }
    by_slot[s] = Some(v);
}

impl<'a> Planner<'a> {
    /// Computes the final slot layout of every class of the new code, and the slot
    /// translation (new slot → final slot) of those where it is not the identity.
    pub(super) fn plan_vtables(&mut self) -> Result<()> {
        let (vm, new) = (self.vm, self.new);
        // Classes of the new code, parents first.
        let mut classes: Vec<(usize, u32)> = Vec::new();
        for (t, ty) in new.types.iter().enumerate() {
            let Some(mut o) = ty.obj() else { continue };
            let mut depth = 0;
            while let Some(s) = o.super_ {
                depth += 1;
                if depth > 1000 {
                    return Err(incompatible(format!("class hierarchy of type {t} is cyclic")));
                }
                let Some(p) = new.types.get(s as usize).and_then(Type::obj) else { break };
                o = p;
            }
            classes.push((depth, t as u32));
        }
        classes.sort_unstable();
        // Next free slot per hierarchy (root class, final space), from the running vtables.
        let root_of = |mut t: u32, types: &dyn Fn(u32) -> Option<u32>| {
            for _ in 0..1000 {
                match types(t) {
                    Some(s) => t = s,
                    None => break,
                }
            }
            t
        };
        let run_super = |t: u32| vm.types.get(t as usize).and_then(Type::obj).and_then(|o| o.super_);
        let mut next_free: HashMap<u32, usize> = HashMap::default();
        for (t, rt) in vm.rt_obj.iter().enumerate() {
            if let Some(rt) = rt {
                let root = root_of(t as u32, &run_super);
                let n = next_free.entry(root).or_insert(0);
                *n = (*n).max(rt.vtable.len());
            }
        }
        let mut layouts: HashMap<u32, Layout> = HashMap::default();
        for (_, t) in classes {
            let c = self.tmap(t)?;
            let parent = match new.types[t as usize].obj().and_then(|o| o.super_) {
                Some(s) => Some(self.tmap(s)?),
                None => None,
            };
            let mut lay = parent.and_then(|p| layouts.get(&p)).cloned().unwrap_or_default();
            if (c as usize) < self.base {
                for (s, v) in slot_table(&vm.types, &self.run.strings, c)?.into_iter().enumerate() {
                    if let Some(v) = v {
                        lay.slot_of.entry(v.0.clone()).or_insert(s as u32);
                        put(&mut lay.by_slot, s, v);
                    }
                }
            }
            let new_slots = slot_table(&new.types, &new.strings, t)?;
            let root = {
                let final_super = |x: u32| -> Option<u32> {
                    if (x as usize) < self.base {
                        run_super(x)
                    } else {
                        let nt = *self.fresh_types.get(x as usize - self.base)?;
                        let s = new.types.get(nt as usize)?.obj()?.super_?;
                        self.tmap(s).ok()
                    }
                };
                root_of(c, &final_super)
            };
            let mut remap = Vec::with_capacity(new_slots.len());
            let mut identity = true;
            for (p, v) in new_slots.into_iter().enumerate() {
                let Some((name, idx)) = v else {
                    remap.push(u32::MAX);
                    continue;
                };
                let slot = match lay.slot_of.get(&name) {
                    Some(&s) => s,
                    None => {
                        let free = next_free.entry(root).or_insert(0);
                        let s = (*free).max(lay.by_slot.len());
                        *free = s + 1;
                        lay.slot_of.insert(name.clone(), s as u32);
                        put(&mut lay.by_slot, s, (name, self.str_idx(idx)?));
                        s as u32
                    }
                };
                identity &= slot as usize == p;
                remap.push(slot);
            }
            if !identity {
                self.slot_remap.insert(c, remap);
            }
            layouts.insert(c, lay);
        }
        self.vtables = layouts;
        Ok(())
    }

    /// The final slot of virtual method `field` called on a value of new type `ty`.
    pub(super) fn slot_idx(&self, ty: u32, field: u32) -> Result<u32> {
        if self.slot_remap.is_empty() {
            return Ok(field);
        }
        match self.slot_remap.get(&self.tmap(ty)?) {
            Some(m) => m.get(field as usize).copied().filter(|&s| s != u32::MAX).ok_or_else(|| incompatible(format!("method slot {field} out of range"))),
            None => Ok(field),
        }
    }

    /// The final protos of class `c` (new type `t`): the new code's, at their primary
    /// slots, plus one entry for every other slot of the layout that this class
    /// introduces or overrides (see the module documentation).
    pub(super) fn final_protos(&self, c: u32, t: u32, protos: &[Proto]) -> Result<Vec<Proto>> {
        let Some(lay) = self.vtables.get(&c) else {
            return protos.iter().map(|p| Ok(Proto { name: self.str_idx(p.name)?, findex: self.fun_idx(p.findex)?, pindex: p.pindex })).collect();
        };
        let new = self.new;
        let new_name = |i: u32| new.strings.get(i as usize).map(String::as_str).unwrap_or("");
        let parent = new.types.get(t as usize).and_then(Type::obj).and_then(|o| o.super_);
        let parent_lay = match parent {
            Some(s) => self.vtables.get(&self.tmap(s)?),
            None => None,
        };
        let mut out = Vec::with_capacity(protos.len());
        let mut own: HashSet<&str> = HashSet::default();
        for p in protos {
            let (name, findex) = (self.str_idx(p.name)?, self.fun_idx(p.findex)?);
            if p.pindex < 0 {
                out.push(Proto { name, findex, pindex: -1 });
                continue;
            }
            let n = new_name(p.name);
            own.insert(n);
            let primary = lay.slot_of.get(n).copied().ok_or_else(|| incompatible(format!("method {n} has no slot")))?;
            out.push(Proto { name, findex, pindex: primary as i32 });
            for (s, v) in lay.by_slot.iter().enumerate() {
                if matches!(v, Some((m, _)) if m == n) && s as u32 != primary {
                    out.push(Proto { name, findex, pindex: s as i32 });
                }
            }
        }
        // Slots this class brings (not in its parent's layout) for methods it does not
        // define itself: the inherited implementation, or the running one.
        for (s, v) in lay.by_slot.iter().enumerate() {
            let Some((n, name)) = v else { continue };
            if own.contains(n.as_str()) || parent_lay.is_some_and(|pl| matches!(pl.by_slot.get(s), Some(Some((m, _))) if m == n)) {
                continue;
            }
            let inherited = self.inherited_impl(parent, n)?;
            let running = self.vm.rt_obj.get(c as usize).and_then(|r| r.as_ref()).and_then(|r| r.vtable.get(s).copied()).filter(|&f| f != u32::MAX);
            if let Some(findex) = inherited.or(running) {
                out.push(Proto { name: *name, findex, pindex: s as i32 });
            }
        }
        Ok(out)
    }

    /// The implementation of method `n` a class with new super class `parent` inherits.
    fn inherited_impl(&self, mut parent: Option<u32>, n: &str) -> Result<Option<u32>> {
        for _ in 0..1000 {
            let Some(p) = parent else { break };
            let Some(o) = self.new.types.get(p as usize).and_then(Type::obj) else { break };
            if let Some(pr) = o.protos.iter().find(|pr| self.new.strings.get(pr.name as usize).is_some_and(|s| s == n)) {
                return Ok(Some(self.fun_idx(pr.findex)?));
            }
            parent = o.super_;
        }
        Ok(None)
    }
}
