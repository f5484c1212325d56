//! Applying a plan to the VM in one infallible step.

use std::rc::Rc;

use rustc_hash::FxHashMap as HashMap;

use super::globals::{ConstField, GlobalInit};
use super::names;
use super::plan::{Appended, Migration, Plan};
use crate::code::{FunRef, Native, Type};
use crate::gc::Obj;
use crate::module::FnSlot;
use crate::value::{from_i32, make_bytes};
use crate::vm::Vm;

impl Vm {
    /// Applies a plan. Cannot fail: every index was checked while planning.
    pub(super) fn apply(&mut self, p: Plan) {
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
        // A bytes constant ends where the next one starts: keep an empty last one empty.
        if !p.add_bytes.is_empty() && code.bytes_pos.iter().any(|&s| s as usize >= code.bytes.len()) {
            code.bytes.push(0);
        }
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
            // A function that was compiled stays compiled: its new body is compiled at
            // its next call (only changed and added functions are ever recompiled, and
            // the reload itself stays quick).
            let was_compiled = matches!(self.funcs.get(f as usize), Some(FnSlot::Bytecode(old)) if old.jit.code.get() != 0);
            if was_compiled {
                cf.jit.hot.set(self.jit_threshold);
            }
            self.set_slot(f as usize, FnSlot::Bytecode(cf));
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
            self.field_names.register(h, &n);
        }
        self.iface_cache.clear();

        // Class objects that gained statics.
        for m in &p.migrations {
            self.migrate_class_object(m);
        }

        // New globals: plain values first, then objects that may refer to them.
        let first = self.globals.len();
        self.globals.resize(first + p.add_globals.len(), 0);
        self.sync_jit();
        let mut enum_values: HashMap<(u32, u32), u64> = HashMap::default();
        for pass in [false, true] {
            for (k, (_, init)) in p.add_globals.iter().enumerate() {
                let object = matches!(init, GlobalInit::ClassObject { .. } | GlobalInit::EnumObject { .. } | GlobalInit::Object { .. });
                if object == pass {
                    let v = self.initial_value(init, &mut enum_values);
                    self.globals[first + k] = v;
                }
            }
        }

        self.sync_jit();

        // Interfaces learn their new implementers (`Std.isOfType`).
        for (g, list) in p.implemented_by {
            let obj = self.globals.get(g as usize).copied().unwrap_or(0);
            let Some(Obj::Instance { ty, fields }) = self.heap.get(crate::value::handle(obj)) else { continue };
            let Some(idx) = self.rt_obj.get(*ty as usize).and_then(|r| r.as_ref()).and_then(|r| r.field_index.get(&self.field_names.hash_of("__implementedBy__")).copied())
            else {
                continue;
            };
            let data: Vec<u64> = list.iter().map(|&t| t as u64 + 1).collect();
            let current = fields.get(idx).copied().unwrap_or(0);
            if matches!(self.heap.get(crate::value::handle(current)), Some(Obj::Array { data: d, .. }) if *d == data) {
                continue;
            }
            let elem = self.type_index(Type::Type);
            let arr = self.heap.alloc(Obj::Array { elem, data: data.into() }) as u64;
            if let Some(Obj::Instance { fields, .. }) = self.heap.get_mut(crate::value::handle(obj)) {
                if let Some(slot) = fields.get_mut(idx) {
                    *slot = arr;
                }
            }
        }
    }

    /// Grows the class objects of type `m.ty` to their new field count and points
    /// changed static-function fields at their new function.
    fn migrate_class_object(&mut self, m: &Migration) {
        let holders: Vec<usize> = self.code.globals.iter().enumerate().filter(|(_, &t)| t == m.ty).map(|(g, _)| g).collect();
        for g in holders {
            // New globals of this type (not created yet) are built with the new layout.
            let Some(&v) = self.globals.get(g) else { continue };
            let h = crate::value::handle(v);
            let Some(Obj::Instance { ty, fields }) = self.heap.get_mut(h) else { continue };
            if *ty != m.ty {
                continue;
            }
            if fields.len() < m.len {
                let mut v = fields.to_vec();
                v.resize(m.len, 0);
                *fields = v.into();
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
        self.heap.alloc(Obj::Closure { ty: fty, fun: f, bound: bound.into() }) as u64
    }

    /// A Haxe `String` object holding `s`, or null when the module has no `String`.
    fn new_string(&mut self, s: &str) -> u64 {
        let Some(st) = self.string_type else { return 0 };
        let units: Vec<u16> = s.encode_utf16().collect();
        let b = self.alloc_utf16(&units);
        self.heap.alloc(Obj::Instance { ty: st, fields: vec![b, from_i32(units.len() as i32)].into() }) as u64
    }

    fn set_named_field(&mut self, obj: u64, ty: u32, name: &str, v: u64) {
        let Some(idx) = self.rt_obj.get(ty as usize).and_then(|r| r.as_ref()).and_then(|r| r.field_index.get(&self.field_names.hash_of(name)).copied()) else { return };
        if let Some(Obj::Instance { fields, .. }) = self.heap.get_mut(crate::value::handle(obj)) {
            if let Some(slot) = fields.get_mut(idx) {
                *slot = v;
            }
        }
    }

    fn enum_value(&mut self, en: u32, ctor: u32, cache: &mut HashMap<(u32, u32), u64>) -> u64 {
        *cache.entry((en, ctor)).or_insert_with(|| self.heap.alloc(Obj::Enum { ty: en, ctor, params: Vec::new().into() }) as u64)
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
                self.heap.alloc(Obj::Instance { ty, fields: vals.into() }) as u64
            }
            GlobalInit::ClassObject { class_ty, inst } => {
                let Ok(obj) = self.new_object(class_ty) else { return 0 };
                self.set_named_field(obj, class_ty, "__type__", inst as u64 + 1);
                // The class object `pkg.$Name` names `pkg.Name` (for interfaces too, whose
                // instance type is a virtual).
                let name = match self.types.get(class_ty as usize) {
                    Some(Type::Obj(o)) => names::display_class(self.code.strings.get(o.name as usize).map_or("", String::as_str)),
                    _ => String::new(),
                };
                let s = self.new_string(&name);
                self.set_named_field(obj, class_ty, "__name__", s);
                obj
            }
            GlobalInit::Object { ty, ref fields } => {
                let n = self.rt_obj.get(ty as usize).and_then(|r| r.as_ref()).map_or(0, |r| r.fields.len());
                let mut vals = vec![0u64; n];
                for (i, f) in fields {
                    let v = match *f {
                        ConstField::Raw(v) => v,
                        ConstField::Str(s) => make_bytes(self.const_string(s), 0),
                        ConstField::Global(g) => self.globals.get(g as usize).copied().unwrap_or(0),
                    };
                    if let Some(slot) = vals.get_mut(*i) {
                        *slot = v;
                    }
                }
                self.heap.alloc(Obj::Instance { ty, fields: vals.into() }) as u64
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
                let arr = self.heap.alloc(Obj::Array { elem, data: data.into() }) as u64;
                self.set_named_field(obj, class_ty, "__evalues__", arr);
                obj
            }
            GlobalInit::EnumValue { en, ctor } => self.enum_value(en, ctor, enum_values),
        }
    }
}
