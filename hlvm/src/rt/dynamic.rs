//! Dynamic semantics: boxing, casts, virtuals, field access by name, calls.

use crate::code::Type;
use crate::gc::Obj;
use crate::interp::Cmp;
use crate::module::Kind;
use crate::value::*;
use crate::vm::{Exc, Vm};

/// HashLink's "not comparable" result of `hl_dyn_compare`.
pub(crate) const INVALID_COMPARISON: i32 = 0xAABBCCDDu32 as i32;

impl Vm {
    /// Index of a type equal to `t`, adding it to the runtime type table if needed.
    pub fn type_index(&mut self, t: Type) -> u32 {
        // Types without parameters (`Dyn`, `Bytes`, `I32`...), which casts and natives ask
        // for all the time, are remembered by kind; the entry is checked, so it never goes
        // stale when the type table is replaced.
        let basic = matches!(
            t,
            Type::Void
                | Type::UI8
                | Type::UI16
                | Type::I32
                | Type::I64
                | Type::F32
                | Type::F64
                | Type::Bool
                | Type::Bytes
                | Type::Dyn
                | Type::Array
                | Type::Type
                | Type::DynObj
                | Type::Guid
        )
        .then(|| t.kind_id() as usize);
        if let Some(k) = basic {
            let i = self.basic_types[k];
            if self.types.get(i as usize) == Some(&t) {
                return i;
            }
        }
        let i = match self.types.iter().position(|x| *x == t) {
            Some(i) => i as u32,
            None => {
                self.types.push(t);
                self.rt_obj.push(None);
                self.rt_virt.push(None);
                (self.types.len() - 1) as u32
            }
        };
        if let Some(k) = basic {
            self.basic_types[k] = i;
        }
        i
    }

    /// The type of `v` (statically `ty`) at run time (`OGetType`, `Type.typeof`).
    pub fn runtime_type(&mut self, v: u64, ty: u32) -> u32 {
        let t = &self.types[ty as usize];
        if !t.is_ptr() {
            return ty;
        }
        if matches!(t, Type::Bytes | Type::Abstract(_)) {
            return ty;
        }
        match self.heap.get(handle(v)) {
            None => self.type_index(Type::Void),
            Some(Obj::Instance { ty, .. }) => *ty,
            Some(Obj::Dyn { ty, .. }) => *ty,
            Some(Obj::Closure { ty, .. }) | Some(Obj::VarArgs { ty, .. }) => *ty,
            Some(Obj::Virtual { ty, .. }) => *ty,
            Some(Obj::Enum { ty, .. }) => *ty,
            Some(Obj::Array { .. }) => self.type_index(Type::Array),
            Some(Obj::DynObj(_)) => self.type_index(Type::DynObj),
            Some(Obj::Bytes(_)) => self.type_index(Type::Bytes),
            Some(Obj::Native(_)) | Some(Obj::Free(_)) => ty,
        }
    }

    /// `OGetTID`: the kind number ([`Type::kind_id`]) of type value `t` (index + 1);
    /// 0 for null or an unknown type.
    pub fn type_kind_id(&self, t: u64) -> u8 {
        match t.checked_sub(1) {
            Some(i) => self.types.get(i as usize).map_or(0, Type::kind_id),
            None => 0,
        }
    }

    /// Boxes `v` of static type `ty` as a `Dynamic` (`OToDyn`). References to
    /// objects are their own dynamic value; other values get a `vdynamic` box.
    pub fn to_dyn(&mut self, v: u64, ty: u32) -> u64 {
        match &self.types[ty as usize] {
            Type::Void => 0,
            Type::Bool | Type::I32 | Type::UI8 | Type::UI16 | Type::F32 | Type::F64 | Type::I64 | Type::Type | Type::Guid => {
                if matches!(self.types[ty as usize], Type::Type) && v == 0 {
                    return 0;
                }
                self.heap.alloc(Obj::Dyn { ty, val: v }) as u64
            }
            Type::Bytes | Type::Abstract(_) | Type::Ref(_) | Type::Packed(_) => {
                if v == 0 {
                    0
                } else {
                    self.heap.alloc(Obj::Dyn { ty, val: v }) as u64
                }
            }
            _ => v,
        }
    }

    /// HashLink's display name of type `t` (`hl_type_str`), used in cast errors.
    pub fn type_name(&self, t: u32) -> String {
        match self.types.get(t as usize) {
            None => "?".into(),
            Some(t) => match t {
                Type::Void => "void".into(),
                Type::UI8 => "ui8".into(),
                Type::UI16 => "ui16".into(),
                Type::I32 => "i32".into(),
                Type::I64 => "i64".into(),
                Type::F32 => "f32".into(),
                Type::F64 => "f64".into(),
                Type::Bool => "bool".into(),
                Type::Bytes => "bytes".into(),
                Type::Dyn => "dynamic".into(),
                Type::Fun(f) | Type::Method(f) => {
                    let args: Vec<String> = f.args.iter().map(|&a| self.type_name(a)).collect();
                    format!("({} -> {})", args.join(", "), self.type_name(f.ret))
                }
                Type::Obj(o) | Type::Struct(o) => self.code.strings.get(o.name as usize).cloned().unwrap_or_default(),
                Type::Array => "array".into(),
                Type::Type => "type".into(),
                Type::Ref(t) => format!("ref<{}>", self.type_name(*t)),
                Type::Virtual(v) => {
                    let fs: Vec<String> = v
                        .fields
                        .iter()
                        .map(|f| format!("{}:{}", self.code.strings[f.name as usize], self.type_name(f.ty)))
                        .collect();
                    format!("virtual<{}>", fs.join(","))
                }
                Type::DynObj => "dynobj".into(),
                Type::Abstract(n) => self.code.strings.get(*n as usize).cloned().unwrap_or_default(),
                Type::Enum(e) => self.code.strings.get(e.name as usize).cloned().unwrap_or_default(),
                Type::Null(t) => format!("null<{}>", self.type_name(*t)),
                Type::Packed(t) => format!("packed<{}>", self.type_name(*t)),
                Type::Guid => "guid".into(),
            },
        }
    }

    fn invalid_cast(&mut self, from: u32, to: u32) -> Exc {
        let msg = format!("Can't cast {} to {}", self.type_name(from), self.type_name(to));
        self.throw_msg(&msg)
    }

    /// True when class `t` is `target` or inherits from it.
    pub fn obj_inherits(&self, mut t: u32, target: u32) -> bool {
        let mut guard = 0;
        loop {
            if t == target {
                return true;
            }
            if let (Some(a), Some(b)) = (self.types.get(t as usize), self.types.get(target as usize)) {
                if let (Some(oa), Some(ob)) = (a.obj(), b.obj()) {
                    if oa.name == ob.name {
                        return true;
                    }
                }
            }
            match self.rt_obj.get(t as usize).and_then(|r| r.as_ref()).and_then(|r| r.super_) {
                Some(s) if guard < 1000 => {
                    t = s;
                    guard += 1;
                }
                _ => return false,
            }
        }
    }

    /// Converts `v` from static type `from` to static type `to` (`OSafeCast`,
    /// `OToVirtual`, and every implicit conversion of dynamic calls and field access).
    ///
    /// # Errors
    /// Throws `Can't cast A to B` (a Haxe `String`) when the value does not fit.
    pub fn cast(&mut self, v: u64, from: u32, to: u32) -> Result<u64, Exc> {
        if from == to {
            return Ok(v);
        }
        let kf = Kind::of(&self.types[from as usize]);
        let kt = Kind::of(&self.types[to as usize]);
        let scalar = |k: Kind| matches!(k, Kind::U8 | Kind::U16 | Kind::I32 | Kind::I64 | Kind::F32 | Kind::F64 | Kind::Bool);
        if scalar(kf) && scalar(kt) {
            return Ok(convert_scalar(v, kf, kt));
        }
        if kt == Kind::Void {
            return Ok(0);
        }
        if scalar(kf) || matches!(kf, Kind::Bytes | Kind::Type) && !matches!(kt, Kind::Bytes | Kind::Type) {
            let d = self.to_dyn(v, from);
            let dyn_t = self.type_index(Type::Dyn);
            return self.cast(d, dyn_t, to);
        }
        // From here `v` is a reference (or Bytes/Type into Bytes/Type).
        if v == 0 {
            return Ok(0);
        }
        if scalar(kt) {
            return self.unbox_scalar(v, kt, to);
        }
        // Matched by variant, without cloning the type (a virtual's or a class's field
        // list is an allocation): only `Null`'s and `Ref`'s inner types are read.
        let tt = Target::of(&self.types[to as usize]);
        match tt {
            Target::Dyn => Ok(match self.heap.get(handle(v)) {
                Some(Obj::Virtual { value, .. }) if *value != 0 => *value as u64,
                _ => v,
            }),
            Target::Obj => {
                let base = self.virtual_base(v);
                match self.heap.get(handle(base)) {
                    Some(Obj::Instance { ty, .. }) => {
                        let ty = *ty;
                        if self.obj_inherits(ty, to) {
                            return Ok(base);
                        }
                        // Classes may convert themselves (`__cast`, e.g. arrays to ArrayDyn).
                        if let Some(f) = self.method_of(ty, "__cast") {
                            let r = self.call(f, &[base, to as u64 + 1])?;
                            if r != 0 {
                                return Ok(r);
                            }
                        }
                        Err(self.invalid_cast(ty, to))
                    }
                    _ => {
                        let rt = self.runtime_type(v, from);
                        Err(self.invalid_cast(rt, to))
                    }
                }
            }
            Target::Virtual => self.to_virtual(v, from, to),
            Target::Null(inner) => match self.heap.get(handle(v)) {
                Some(Obj::Dyn { ty, val }) => {
                    let (ty, val) = (*ty, *val);
                    if ty == inner {
                        return Ok(v);
                    }
                    let ki = Kind::of(&self.types[inner as usize]);
                    let kv = Kind::of(&self.types[ty as usize]);
                    if scalar(ki) && scalar(kv) {
                        let c = convert_scalar(val, kv, ki);
                        Ok(self.heap.alloc(Obj::Dyn { ty: inner, val: c }) as u64)
                    } else {
                        // HashLink converts to the scalar inside and names it when it fails
                        // (`Can't cast String to i32` for a `Null<Int>` target).
                        let named = if scalar(ki) { inner } else { to };
                        Err(self.invalid_cast(ty, named))
                    }
                }
                _ => {
                    let rt = self.runtime_type(v, from);
                    let named = if scalar(Kind::of(&self.types[inner as usize])) { inner } else { to };
                    Err(self.invalid_cast(rt, named))
                }
            },
            Target::Fun => match self.heap.get(handle(v)) {
                Some(Obj::Closure { .. }) => Ok(v),
                // HashLink wraps a variable-argument function cast to a typed function
                // in a wrapper of that type, which passes the type's argument count.
                Some(&Obj::VarArgs { ty, inner, arity }) => {
                    if arity.is_some() && ty == to {
                        return Ok(v);
                    }
                    let arity = self.types[to as usize].fun().map(|f| f.args.len() as u32);
                    Ok(self.heap.alloc(Obj::VarArgs { ty: to, inner, arity }) as u64)
                }
                _ => {
                    let rt = self.runtime_type(v, from);
                    Err(self.invalid_cast(rt, to))
                }
            },
            Target::Enum => match self.heap.get(handle(v)) {
                Some(Obj::Enum { ty, .. }) => {
                    let ty = *ty;
                    let same = ty == to || self.type_name(ty) == self.type_name(to);
                    if same {
                        Ok(v)
                    } else {
                        Err(self.invalid_cast(ty, to))
                    }
                }
                _ => {
                    let rt = self.runtime_type(v, from);
                    Err(self.invalid_cast(rt, to))
                }
            },
            Target::Array => match self.heap.get(handle(v)) {
                Some(Obj::Array { .. }) => Ok(v),
                _ => {
                    let rt = self.runtime_type(v, from);
                    Err(self.invalid_cast(rt, to))
                }
            },
            Target::DynObj => {
                let base = self.virtual_base(v);
                match self.heap.get(handle(base)) {
                    Some(Obj::DynObj(_)) => Ok(base),
                    _ => {
                        let rt = self.runtime_type(v, from);
                        Err(self.invalid_cast(rt, to))
                    }
                }
            }
            Target::Ref(inner) if !matches!(kf, Kind::Ref) => {
                // A dynamic value where `ref<T>` is expected: a fresh cell holding it as T.
                let dyn_t = self.type_index(Type::Dyn);
                let c = self.cast(v, dyn_t, inner)?;
                Ok(REF_HEAP | self.heap.alloc(Obj::Dyn { ty: inner, val: c }) as u64)
            }
            Target::Raw | Target::Ref(_) => {
                if matches!(kf, Kind::Bytes | Kind::Type | Kind::Ref) {
                    return Ok(v);
                }
                match self.heap.get(handle(v)) {
                    Some(Obj::Dyn { val, .. }) => Ok(*val),
                    Some(Obj::Native(_)) => Ok(v),
                    _ => {
                        let rt = self.runtime_type(v, from);
                        Err(self.invalid_cast(rt, to))
                    }
                }
            }
            Target::Other => Ok(v),
        }
    }

    fn unbox_scalar(&mut self, v: u64, kt: Kind, to: u32) -> Result<u64, Exc> {
        match self.heap.get(handle(v)) {
            Some(Obj::Dyn { ty, val }) => {
                let (ty, val) = (*ty, *val);
                let kv = Kind::of(&self.types[ty as usize]);
                if matches!(kv, Kind::U8 | Kind::U16 | Kind::I32 | Kind::I64 | Kind::F32 | Kind::F64 | Kind::Bool) {
                    Ok(convert_scalar(val, kv, kt))
                } else {
                    Err(self.invalid_cast(ty, to))
                }
            }
            _ => {
                let dyn_t = self.type_index(Type::Dyn);
                let rt = self.runtime_type(v, dyn_t);
                Err(self.invalid_cast(rt, to))
            }
        }
    }

    /// HashLink's `hl_safe_cast(t, to)`: a value of static type `t` can be used as a `to`
    /// without conversion (same type, a subclass, a dynamic kind into `Dynamic`, a function
    /// of compatible signature, a virtual with the same leading fields).
    pub(crate) fn safe_cast_type(&self, t: u32, to: u32) -> bool {
        if t == to {
            return true;
        }
        let (Some(tt), Some(tto)) = (self.types.get(t as usize), self.types.get(to as usize)) else { return false };
        if matches!(tto, Type::Dyn) {
            return tt.is_dynamic();
        }
        match (tt, tto) {
            (Type::Obj(_), Type::Obj(_)) | (Type::Struct(_), Type::Struct(_)) => self.obj_inherits(t, to),
            (Type::Fun(a), Type::Fun(b)) | (Type::Method(a), Type::Method(b)) => {
                a.args.len() == b.args.len()
                    && self.safe_cast_type(a.ret, b.ret)
                    && a.args.iter().zip(&b.args).all(|(&x, &y)| {
                        self.safe_cast_type(y, x) || (matches!(self.types.get(x as usize), Some(Type::Dyn)) && self.types.get(y as usize).is_some_and(Type::is_dynamic))
                    })
            }
            (Type::Virtual(_), Type::Virtual(_)) => {
                let (Some(a), Some(b)) = (self.rt_virt.get(t as usize).and_then(|r| r.as_ref()), self.rt_virt.get(to as usize).and_then(|r| r.as_ref())) else {
                    return false;
                };
                b.fields.len() < a.fields.len() && a.fields.iter().zip(&b.fields).all(|(x, y)| x.hash == y.hash && self.types.get(x.ty as usize) == self.types.get(y.ty as usize))
            }
            _ => tt == tto,
        }
    }

    /// How a dynamic object stores a value of type `ty`: whether it is a reference, and
    /// its size in bytes (HashLink's `hl_is_ptr` and `hl_type_size`).
    fn dyn_storage(&self, ty: u32) -> (bool, u8) {
        match self.types.get(ty as usize) {
            Some(Type::UI8 | Type::Bool) => (false, 1),
            Some(Type::UI16) => (false, 2),
            Some(Type::I32 | Type::F32) => (false, 4),
            Some(Type::I64 | Type::F64) => (false, 8),
            Some(Type::Void) => (false, 0),
            _ => (true, 8),
        }
    }

    /// Turns the standalone record `v` (a `Virtual` without backing object) into a view
    /// of a new dynamic object holding its fields; returns that object.
    pub(crate) fn virtual_make_value(&mut self, v: u64) -> u64 {
        let (ty, fields) = match self.heap.get(handle(v)) {
            Some(Obj::Virtual { ty, value: 0, fields }) => (*ty, fields.to_vec()),
            Some(Obj::Virtual { value, .. }) => return *value as u64,
            _ => return v,
        };
        let Some(rv) = self.rt_virt.get(ty as usize).cloned().flatten() else { return v };
        // Ranked in the type's lookup order (by hash), as HashLink builds it.
        let mut list: Vec<(i32, u32, u64)> = rv.fields.iter().zip(fields.iter()).map(|(f, &val)| (f.hash, f.ty, val)).collect();
        list.sort_by_key(|f| f.0);
        let dyn_fields = crate::gc::dyn_fields_from(list);
        let d = self.heap.alloc(Obj::DynObj(dyn_fields.into()));
        if let Some(Obj::Virtual { value, fields, .. }) = self.heap.get_mut(handle(v)) {
            *value = d;
            *fields = Vec::new().into();
        }
        d as u64
    }

    /// For a virtual with a backing object: the object; otherwise `v` itself.
    pub fn virtual_base(&self, v: u64) -> u64 {
        match self.heap.get(handle(v)) {
            Some(Obj::Virtual { value, .. }) if *value != 0 => *value as u64,
            _ => v,
        }
    }

    fn to_virtual(&mut self, v: u64, from: u32, to: u32) -> Result<u64, Exc> {
        let base = match self.heap.get(handle(v)) {
            Some(Obj::Virtual { ty, value, .. }) => {
                if *ty == to {
                    return Ok(v);
                }
                if *value != 0 {
                    *value as u64
                } else {
                    // A standalone record seen through another structure: move its fields
                    // into a dynamic object both views share (HashLink's
                    // `hl_virtual_make_value`), so fields the first type lacks can be added.
                    self.virtual_make_value(v)
                }
            }
            Some(Obj::Instance { .. }) | Some(Obj::DynObj(_)) => v,
            _ => {
                let rt = self.runtime_type(v, from);
                return Err(self.invalid_cast(rt, to));
            }
        };
        Ok(self.heap.alloc(Obj::Virtual { ty: to, value: handle(base), fields: Vec::new().into() }) as u64)
    }

    // ------------------------------------------------------------------ fields

    /// `OField`: field `field` of `o` (statically `oty`), converted to `want`.
    pub(crate) fn get_field(&mut self, o: u64, oty: u32, field: u32, want: u32) -> Result<u64, Exc> {
        match self.heap.get(handle(o)) {
            Some(Obj::Instance { fields, .. }) => match fields.get(field as usize) {
                Some(&v) => Ok(v),
                None => Err(Exc::Internal(format!("field {field} out of range"))),
            },
            Some(Obj::Virtual { ty, value, fields }) => {
                let (vty, value) = (*ty, *value);
                if value == 0 && vty == oty {
                    return match fields.get(field as usize) {
                        Some(&v) => Ok(v),
                        None => Ok(0),
                    };
                }
                let Some(hash) = self.rt_virt.get(oty as usize).and_then(|r| r.as_ref()).and_then(|r| r.fields.get(field as usize)).map(|f| f.hash)
                else {
                    return Err(Exc::Internal(format!("virtual field {field} out of range")));
                };
                let target = if value != 0 { value as u64 } else { o };
                if value == 0 {
                    return self.dyn_get_own_virtual(target, hash, want);
                }
                self.dyn_get_hash(target, hash, want)
            }
            None => {
                let name = self.field_name_of(oty, field);
                Err(self.null_access(name.as_deref()))
            }
            _ => Err(Exc::Internal("field access on a non-object".into())),
        }
    }

    pub(crate) fn field_name_of(&self, oty: u32, field: u32) -> Option<String> {
        if let Some(Some(rt)) = self.rt_obj.get(oty as usize) {
            return rt.fields.get(field as usize).map(|f| f.name.clone());
        }
        if let Some(Some(rv)) = self.rt_virt.get(oty as usize) {
            return rv.fields.get(field as usize).map(|f| f.name.clone());
        }
        None
    }

    /// `OSetField`.
    pub(crate) fn set_field(&mut self, o: u64, oty: u32, field: u32, v: u64, vty: u32) -> Result<(), Exc> {
        match self.heap.get_mut(handle(o)) {
            Some(Obj::Instance { fields, .. }) => match fields.get_mut(field as usize) {
                Some(slot) => {
                    *slot = v;
                    Ok(())
                }
                None => Err(Exc::Internal(format!("field {field} out of range"))),
            },
            Some(Obj::Virtual { ty, value, fields }) => {
                let (vt, value) = (*ty, *value);
                if value == 0 && vt == oty {
                    if let Some(slot) = fields.get_mut(field as usize) {
                        *slot = v;
                    }
                    return Ok(());
                }
                let rv = self.rt_virt.get(oty as usize).cloned().flatten();
                let Some(f) = rv.as_ref().and_then(|r| r.fields.get(field as usize)) else {
                    return Err(Exc::Internal(format!("virtual field {field} out of range")));
                };
                let target = if value != 0 { value as u64 } else { o };
                self.dyn_set_hash(target, f.hash, &f.name, v, vty)
            }
            None => Err(self.null_access(None)),
            _ => Err(Exc::Internal("field store on a non-object".into())),
        }
    }

    /// The interned hash of string constant `name`, remembered per constant (a
    /// constant's text and a name's hash never change while a module is loaded).
    fn name_hash(&mut self, name: u32) -> i32 {
        if let Some(&Some(h)) = self.dyn_name_hashes.get(name as usize) {
            return h;
        }
        let h = self.field_names.intern(self.code.strings.get(name as usize).map_or("", String::as_str));
        if self.dyn_name_hashes.len() <= name as usize {
            self.dyn_name_hashes.resize(name as usize + 1, None);
        }
        self.dyn_name_hashes[name as usize] = Some(h);
        h
    }

    /// `ODynGet`: field named by string constant `name`. HashLink 1.17 hashes this name
    /// with `hl_hash_utf8` (see [`crate::stdlib::text::hash_c_bytes`]), not through its
    /// name table, so it is not registered and collisions are not resolved.
    pub(crate) fn dyn_get_named(&mut self, o: u64, name: u32, want: u32) -> Result<u64, Exc> {
        let h = crate::stdlib::text::hash_c_bytes(self.code.strings[name as usize].as_bytes());
        if o == 0 {
            // HashLink's dynamic reads and writes throw a plain `Null access`.
            return Err(self.null_access(None));
        }
        self.dyn_get_hash(o, h, want)
    }

    /// `ODynSet`.
    pub(crate) fn dyn_set_named(&mut self, o: u64, name: u32, v: u64, vty: u32) -> Result<(), Exc> {
        let h = self.name_hash(name);
        if o == 0 {
            return Err(self.null_access(None));
        }
        let code = self.code.clone();
        self.dyn_set_hash(o, h, code.strings.get(name as usize).map_or("", String::as_str), v, vty)
    }

    fn dyn_get_own_virtual(&mut self, o: u64, hash: i32, want: u32) -> Result<u64, Exc> {
        let found = match self.heap.get(handle(o)) {
            Some(Obj::Virtual { ty, fields, .. }) => {
                let rv = self.rt_virt.get(*ty as usize).and_then(|r| r.as_ref());
                rv.and_then(|rv| rv.field_index.get(&hash).map(|&i| (fields.get(i).copied().unwrap_or(0), rv.fields[i].ty)))
            }
            _ => None,
        };
        match found {
            Some((v, t)) => self.cast(v, t, want),
            None => Ok(0),
        }
    }

    /// Reads field `hash` of any object: class instance (fields, then methods as
    /// bound closures), virtual, dynamic object. Missing fields read as null/0.
    ///
    /// # Errors
    /// Throws when the value found cannot be converted to `want`.
    pub fn dyn_get_hash(&mut self, o: u64, hash: i32, want: u32) -> Result<u64, Exc> {
        enum Found {
            Val(u64, u32),
            Method(u32),
            Missing,
            Virt(u64),
        }
        let found = match self.heap.get(handle(o)) {
            None => return Err(self.null_access(None)),
            Some(Obj::Instance { ty, fields }) => match self.rt_obj.get(*ty as usize).and_then(|r| r.as_ref()) {
                Some(rt) => match rt.field_index.get(&hash) {
                    Some(&i) => Found::Val(fields[i], rt.fields[i].ty),
                    None => match rt.methods.get(&hash) {
                        Some(&f) => Found::Method(f),
                        None => Found::Missing,
                    },
                },
                None => Found::Missing,
            },
            Some(Obj::Virtual { value, .. }) => {
                if *value != 0 {
                    Found::Virt(*value as u64)
                } else {
                    return self.dyn_get_own_virtual(o, hash, want);
                }
            }
            Some(Obj::DynObj(fields)) => match fields.binary_search_by_key(&hash, |f| f.hash) {
                Ok(i) => Found::Val(fields[i].val, fields[i].ty),
                Err(_) => Found::Missing,
            },
            Some(_) => Found::Missing,
        };
        match found {
            Found::Val(v, t) => self.cast(v, t, want),
            Found::Method(f) => {
                let ty = self.bound_closure_type(f);
                let c = self.heap.alloc(Obj::Closure { ty, fun: f, bound: Some((o, true)).into() }) as u64;
                let dyn_t = self.type_index(Type::Dyn);
                self.cast(c, dyn_t, want)
            }
            Found::Virt(b) => self.dyn_get_hash(b, hash, want),
            Found::Missing => {
                // Classes may answer unknown fields (`__get_field`, e.g. ArrayDyn.length).
                let ty = match self.heap.get(handle(o)) {
                    Some(Obj::Instance { ty, .. }) => Some(*ty),
                    _ => None,
                };
                if let Some(f) = ty.and_then(|t| self.method_of(t, "__get_field")) {
                    let r = self.call(f, &[o, from_i32(hash)])?;
                    let dyn_t = self.type_index(Type::Dyn);
                    return self.cast(r, dyn_t, want);
                }
                Ok(0)
            }
        }
    }

    /// Writes field `hash` (named `name`) of any object; dynamic objects grow.
    ///
    /// # Errors
    /// Throws when the object has no such field and cannot grow, or on a failed cast.
    pub fn dyn_set_hash(&mut self, o: u64, hash: i32, name: &str, v: u64, vty: u32) -> Result<(), Exc> {
        self.field_names.register(hash, name);
        enum Target {
            Field(usize, u32),
            Virt(u64),
            OwnVirt(usize, u32),
            Dyn,
            Missing(String),
        }
        let t = match self.heap.get(handle(o)) {
            None => return Err(self.null_access(None)),
            Some(Obj::Instance { ty, .. }) => match self.rt_obj.get(*ty as usize).and_then(|r| r.as_ref()) {
                Some(rt) => match rt.field_index.get(&hash) {
                    Some(&i) => Target::Field(i, rt.fields[i].ty),
                    None => Target::Missing(rt.name.clone()),
                },
                None => Target::Missing(String::new()),
            },
            Some(Obj::Virtual { ty, value, .. }) => {
                if *value != 0 {
                    Target::Virt(*value as u64)
                } else {
                    match self.rt_virt.get(*ty as usize).and_then(|r| r.as_ref()).and_then(|rv| rv.field_index.get(&hash).map(|&i| (i, rv.fields[i].ty))) {
                        Some((i, t)) => Target::OwnVirt(i, t),
                        // A new field: the record becomes a view of a growable object.
                        None => Target::Virt(self.virtual_make_value(o)),
                    }
                }
            }
            Some(Obj::DynObj(_)) => Target::Dyn,
            // Anything else (arrays, strings' bytes, enums...): HashLink's message.
            Some(_) => Target::Missing(String::new()),
        };
        // A record field written with a value its type does not safely hold (a String into
        // an Int field) turns the record into a dynamic object whose field takes the
        // value's type, as in HashLink; typed reads of the field then convert (and throw).
        let t = match t {
            Target::OwnVirt(_, ft) if !self.safe_cast_type(vty, ft) => Target::Virt(self.virtual_make_value(o)),
            t => t,
        };
        match t {
            Target::Field(i, ft) | Target::OwnVirt(i, ft) => {
                let c = self.cast(v, vty, ft)?;
                match self.heap.get_mut(handle(o)) {
                    Some(Obj::Instance { fields, .. }) | Some(Obj::Virtual { fields, .. }) => {
                        if let Some(s) = fields.get_mut(i) {
                            *s = c;
                        }
                    }
                    _ => {}
                }
                Ok(())
            }
            Target::Virt(b) => self.dyn_set_hash(b, hash, name, v, vty),
            Target::Dyn => {
                // HashLink removes and adds again a field set with a value stored
                // differently (reference vs scalar, or another size), so it is listed
                // last; otherwise the field keeps its place.
                let old_ty = match self.heap.get(handle(o)) {
                    Some(Obj::DynObj(fields)) => fields.binary_search_by_key(&hash, |f| f.hash).ok().map(|i| fields[i].ty),
                    _ => None,
                };
                let moves = old_ty.is_some_and(|t| t != vty && self.dyn_storage(t) != self.dyn_storage(vty));
                if let Some(Obj::DynObj(fields)) = self.heap.get_mut(handle(o)) {
                    if moves {
                        crate::gc::dyn_fields_remove(fields, hash);
                    }
                    crate::gc::dyn_fields_add(fields, hash, vty, v);
                }
                Ok(())
            }
            Target::Missing(cls) if cls.is_empty() => Err(self.throw_msg("Invalid field access")),
            Target::Missing(cls) => Err(self.throw_msg(&format!("{cls} does not have field {name}"))),
        }
    }

    // ------------------------------------------------------------------ calls

    /// `OCallMethod`: `args[0]` is the receiver, statically typed `recv_ty`.
    pub(crate) fn call_method(&mut self, recv_ty: u32, field: u32, args: &[u64], arg_tys: &[u32], ret: u32) -> Result<u64, Exc> {
        let recv = args[0];
        match self.heap.get(handle(recv)) {
            None => Err(self.null_access(None)),
            Some(Obj::Instance { ty, .. }) => {
                let ty = *ty;
                let f = self.rt_obj.get(ty as usize).and_then(|r| r.as_ref()).and_then(|r| r.vtable.get(field as usize).copied());
                match f {
                    Some(f) if f != u32::MAX => self.call(f, args),
                    _ => Err(Exc::Internal(format!("method slot {field} missing in {}", self.type_name(ty)))),
                }
            }
            Some(Obj::Virtual { value, .. }) => {
                let value = *value;
                let rv = self.rt_virt.get(recv_ty as usize).cloned().flatten();
                let Some(vf) = rv.as_ref().and_then(|r| r.fields.get(field as usize)) else {
                    return Err(Exc::Internal(format!("virtual method {field} out of range")));
                };
                if value != 0 {
                    let method = match self.heap.get(value) {
                        Some(Obj::Instance { ty, .. }) => self
                            .rt_obj
                            .get(*ty as usize)
                            .and_then(|r| r.as_ref())
                            .and_then(|r| if r.field_index.contains_key(&vf.hash) { None } else { r.methods.get(&vf.hash).copied() }),
                        _ => None,
                    };
                    if let Some(m) = method {
                        let mut a = Vec::with_capacity(args.len());
                        a.push(value as u64);
                        a.extend_from_slice(&args[1..]);
                        return self.call_fn_converting(m, &a, arg_tys, ret, true);
                    }
                }
                if value != 0 {
                    if let Some(msg) = self.uncallable_member(value, vf.hash, &vf.name) {
                        return Err(self.throw_msg(&msg));
                    }
                }
                let dyn_t = self.type_index(Type::Dyn);
                let c = if value != 0 { self.dyn_get_hash(value as u64, vf.hash, dyn_t)? } else { self.dyn_get_own_virtual(recv, vf.hash, dyn_t)? };
                if c == 0 {
                    return Err(self.null_access(Some(&vf.name)));
                }
                self.temp_roots.push(c);
                let r = self.call_closure_typed(handle(c), &args[1..], &arg_tys[1..], ret);
                self.temp_roots.pop();
                r
            }
            Some(_) => Err(Exc::Internal("method call on a non-object".into())),
        }
    }

    /// HashLink's error for a method call through a view of class instance `inst` when
    /// the class has no method `name` (hash `hash`): `C has no method name` when it has no
    /// such member or a function field holding null, `Field name is of type T and cannot
    /// be called` for a field of another type. `None` when the member can be called, or
    /// `inst` is not a class instance.
    fn uncallable_member(&self, inst: u32, hash: i32, name: &str) -> Option<String> {
        let Some(Obj::Instance { ty, fields }) = self.heap.get(inst) else { return None };
        let rt = self.rt_obj.get(*ty as usize)?.as_ref()?;
        let no_method = || format!("{} has no method {name}", self.type_name(*ty));
        let Some(&k) = rt.field_index.get(&hash) else {
            return (!rt.methods.contains_key(&hash)).then(no_method);
        };
        let fty = rt.fields.get(k)?.ty;
        match self.types.get(fty as usize) {
            Some(Type::Fun(_) | Type::Method(_)) => (fields.get(k) == Some(&0)).then(no_method),
            _ => Some(format!("Field {name} is of type {} and cannot be called", self.type_name(fty))),
        }
    }

    /// Calls function `f` with `args` whose static types are `arg_tys` (the first being
    /// the receiver when `skip_first_conv`), converting each to the parameter type and
    /// the result to `ret`.
    fn call_fn_converting(&mut self, f: u32, args: &[u64], arg_tys: &[u32], ret: u32, recv: bool) -> Result<u64, Exc> {
        let Some(ft) = self.fun_type(f).and_then(|t| self.types[t as usize].fun().cloned()) else {
            return Err(Exc::Internal(format!("function {f} has no type")));
        };
        let mut a = Vec::with_capacity(ft.args.len());
        for (i, &pt) in ft.args.iter().enumerate() {
            let v = args.get(i).copied().unwrap_or(0);
            if recv && i == 0 {
                a.push(v);
                continue;
            }
            let at = arg_tys.get(i).copied().unwrap_or(pt);
            a.push(self.cast(v, at, pt)?);
        }
        let r = self.call(f, &a)?;
        self.cast(r, ft.ret, ret)
    }

    /// `OVirtualClosure`: method `field` of `o` bound to `o`.
    pub(crate) fn virtual_closure(&mut self, o: u64, oty: u32, field: u32, cty: u32) -> Result<u64, Exc> {
        match self.heap.get(handle(o)) {
            None => Err(self.null_access(None)),
            Some(Obj::Instance { ty, .. }) => {
                let ty = *ty;
                let f = self.rt_obj.get(ty as usize).and_then(|r| r.as_ref()).and_then(|r| r.vtable.get(field as usize).copied());
                match f {
                    Some(f) if f != u32::MAX => Ok(self.heap.alloc(Obj::Closure { ty: cty, fun: f, bound: Some((o, true)).into() }) as u64),
                    _ => Err(Exc::Internal(format!("method slot {field} missing"))),
                }
            }
            Some(Obj::Virtual { .. }) => {
                let Some(hash) = self.rt_virt.get(oty as usize).and_then(|r| r.as_ref()).and_then(|r| r.fields.get(field as usize)).map(|f| f.hash)
                else {
                    return Err(Exc::Internal("virtual closure field out of range".into()));
                };
                let dyn_t = self.type_index(Type::Dyn);
                let base = self.virtual_base(o);
                if base == o {
                    self.dyn_get_own_virtual(o, hash, dyn_t)
                } else {
                    self.dyn_get_hash(base, hash, dyn_t)
                }
            }
            Some(_) => Err(Exc::Internal("virtual closure of a non-object".into())),
        }
    }

    /// Calls closure `c` with `args` of static types `arg_tys`; converts arguments to
    /// the closure's parameter types and the result to `ret`.
    ///
    /// # Errors
    /// Null access when `c` is not a function; the callee's exception otherwise.
    pub fn call_closure_typed(&mut self, c: u32, args: &[u64], arg_tys: &[u32], ret: u32) -> Result<u64, Exc> {
        match self.heap.get(c) {
            Some(Obj::Closure { fun, bound, .. }) => {
                let (fun, bound) = (*fun, bound.get());
                let Some(ft) = self.fun_type(fun).and_then(|t| self.types[t as usize].fun().cloned()) else {
                    return Err(Exc::Internal(format!("function {fun} has no type")));
                };
                let skip = bound.is_some() as usize;
                let mut a = Vec::with_capacity(ft.args.len());
                if let Some((b, _)) = bound {
                    a.push(b);
                }
                for (i, &pt) in ft.args.iter().enumerate().skip(skip) {
                    let j = i - skip;
                    let v = args.get(j).copied().unwrap_or(0);
                    let at = arg_tys.get(j).copied().unwrap_or(pt);
                    a.push(if at == pt { v } else { self.cast(v, at, pt)? });
                }
                let r = self.call(fun, &a)?;
                if ft.ret == ret {
                    Ok(r)
                } else {
                    self.cast(r, ft.ret, ret)
                }
            }
            Some(&Obj::VarArgs { inner, arity, .. }) => {
                // A typed call of a cast wrapper passes the wrapper type's count: extra
                // arguments are dropped, missing ones are null.
                let n = arity.map_or(args.len(), |n| n as usize);
                self.call_var_args(inner, &args[..n.min(args.len())], arg_tys, n, ret)
            }
            None => Err(self.null_access(None)),
            Some(_) => Err(self.throw_msg("Invalid function call")),
        }
    }

    /// Calls the function `inner` of a `Reflect.makeVarArgs` value with one
    /// `Array<Dynamic>` of `count` elements: `args` boxed (by `arg_tys`), then nulls.
    fn call_var_args(&mut self, inner: u32, args: &[u64], arg_tys: &[u32], count: usize, ret: u32) -> Result<u64, Exc> {
        let dyn_t = self.type_index(Type::Dyn);
        let mut data = Vec::with_capacity(count);
        for (i, &v) in args.iter().enumerate() {
            let t = arg_tys.get(i).copied().unwrap_or(dyn_t);
            data.push(self.to_dyn(v, t));
        }
        data.resize(count.max(args.len()), 0);
        let arr = self.heap.alloc(Obj::Array { elem: dyn_t, data: data.into() }) as u64;
        let arr_t = self.type_index(Type::Array);
        let r = self.call_closure_typed(inner, &[arr], &[arr_t], dyn_t)?;
        self.cast(r, dyn_t, ret)
    }

    /// Calls a function value with `Dynamic` arguments (`Reflect.callMethod`); checks
    /// the arity like HashLink (`Missing arguments : N expected but M passed`; extra
    /// arguments are ignored).
    ///
    /// # Errors
    /// Throws on a wrong argument count or failed conversion.
    pub fn call_dynamic(&mut self, c: u64, args: &[u64]) -> Result<u64, Exc> {
        let dyn_t = self.type_index(Type::Dyn);
        let tys = vec![dyn_t; args.len()];
        self.call_dynamic_typed(c, args, &tys, dyn_t)
    }

    /// A call through a `Dynamic` value: like [`Vm::call_closure_typed`] after
    /// HashLink's arity check (counts include a bound first argument): too few arguments
    /// throw, too many are ignored.
    pub fn call_dynamic_typed(&mut self, c: u64, args: &[u64], arg_tys: &[u32], ret: u32) -> Result<u64, Exc> {
        match self.heap.get(handle(c)) {
            Some(Obj::Closure { fun, bound, .. }) => {
                let (fun, bound) = (*fun, bound.get());
                let nparams = self.fun_type(fun).and_then(|t| self.types[t as usize].fun().map(|f| f.args.len())).unwrap_or(0);
                let passed = args.len() + bound.is_some() as usize;
                if passed < nparams {
                    return Err(self.throw_msg(&format!("Missing arguments : {nparams} expected but {passed} passed")));
                }
                // Extra arguments are dropped, as HashLink does (`f(1, 2, 3)` on a
                // two-argument function through `Dynamic` or `Reflect.callMethod`).
                self.call_closure_typed(handle(c), args, arg_tys, ret)
            }
            // Through `Dynamic`, even a cast wrapper passes every argument (HashLink
            // unwraps it and calls the variable-argument function directly).
            Some(&Obj::VarArgs { inner, .. }) => self.call_var_args(inner, args, arg_tys, args.len(), ret),
            None => Err(self.null_access(None)),
            Some(_) => Err(self.throw_msg("Invalid function call")),
        }
    }

    // ------------------------------------------------------------------ objects

    /// `ONew`: a zeroed instance of class/virtual `ty`, or an empty dynamic object.
    pub fn new_object(&mut self, ty: u32) -> Result<u64, Exc> {
        match &self.types[ty as usize] {
            Type::Obj(_) | Type::Struct(_) => {
                let Some(rt) = self.rt_obj.get(ty as usize).cloned().flatten() else {
                    return Err(Exc::Internal("class without layout".into()));
                };
                let h = self.heap.alloc(Obj::Instance { ty, fields: vec![0; rt.fields.len()].into() });
                for &(fid, mid) in &rt.bindings {
                    let fty = self.fun_type(mid).unwrap_or(0);
                    let takes_this = self.types[fty as usize]
                        .fun()
                        .and_then(|f| f.args.first().copied())
                        .is_some_and(|a0| self.types[a0 as usize].obj().is_some() && self.obj_inherits(ty, a0));
                    let bound = if takes_this { Some((h as u64, true)) } else { None };
                    let c = self.heap.alloc(Obj::Closure { ty: fty, fun: mid, bound: bound.into() });
                    if let Some(Obj::Instance { fields, .. }) = self.heap.get_mut(h) {
                        fields[fid] = c as u64;
                    }
                }
                Ok(h as u64)
            }
            Type::Virtual(v) => {
                let n = v.fields.len();
                Ok(self.heap.alloc(Obj::Virtual { ty, value: 0, fields: vec![0; n].into() }) as u64)
            }
            Type::DynObj => Ok(self.heap.alloc(Obj::DynObj(Box::default())) as u64),
            _ => Err(Exc::Internal(format!("cannot allocate a value of type {}", self.type_name(ty)))),
        }
    }

    // ------------------------------------------------------------------ comparison

    /// The object a virtual wraps (`vvirtual->value`), 0 when it has none or `v` is not a
    /// virtual.
    fn virtual_value(&self, v: u64) -> u64 {
        match self.heap.get(handle(v)) {
            Some(Obj::Virtual { value, .. }) => *value as u64,
            _ => 0,
        }
    }

    /// `JEq` between registers of which at least one is statically a virtual (an interface
    /// or anonymous structure type), as HashLink 1.17 compiles it: a virtual equals an object
    /// when it wraps that very object; two virtuals are equal when they are the same value or
    /// wrap the same object. `None` when neither type is a virtual.
    fn virtual_eq(&self, ta: u32, tb: u32, a: u64, b: u64) -> Option<bool> {
        let is_virtual = |t: u32| matches!(self.types.get(t as usize), Some(Type::Virtual(_)));
        let is_obj = |t: u32| matches!(self.types.get(t as usize), Some(Type::Obj(_) | Type::Struct(_)));
        let wraps = |virt: u64, obj: u64| if virt == 0 { obj == 0 } else { obj != 0 && self.virtual_value(virt) == obj };
        match (is_virtual(ta), is_virtual(tb)) {
            (true, false) if is_obj(tb) => Some(wraps(a, b)),
            (false, true) if is_obj(ta) => Some(wraps(b, a)),
            (true, true) => Some(a == b || (a != 0 && b != 0 && { let va = self.virtual_value(a); va != 0 && va == self.virtual_value(b) })),
            _ => None,
        }
    }

    /// Jump comparisons on registers of kind `k`; `ty` and `tb` are the static types of the
    /// two registers (only equality between references looks at `tb`).
    pub(crate) fn cmp_op(&mut self, k: Kind, ty: u32, tb: u32, a: u64, b: u64, c: Cmp) -> Result<bool, Exc> {
        let ord = |x: std::cmp::Ordering| match c {
            Cmp::Lt => x.is_lt(),
            Cmp::Gte => x.is_ge(),
            Cmp::Gt => x.is_gt(),
            Cmp::Lte => x.is_le(),
            Cmp::Eq => x.is_eq(),
        };
        Ok(match k {
            Kind::I32 | Kind::U8 | Kind::U16 | Kind::Bool => ord(i32_of(a).cmp(&i32_of(b))),
            Kind::I64 => ord((a as i64).cmp(&(b as i64))),
            Kind::F64 => match f64_of(a).partial_cmp(&f64_of(b)) {
                Some(o) => ord(o),
                None => false,
            },
            Kind::F32 => match f32_of(a).partial_cmp(&f32_of(b)) {
                Some(o) => ord(o),
                None => false,
            },
            Kind::Bytes | Kind::Ref | Kind::Void => ord(a.cmp(&b)),
            Kind::Type => {
                if c == Cmp::Eq {
                    a == b || (a != 0 && b != 0 && self.types.get(a as usize - 1) == self.types.get(b as usize - 1))
                } else {
                    ord(a.cmp(&b))
                }
            }
            Kind::Ptr => {
                if c == Cmp::Eq {
                    if let Some(eq) = self.virtual_eq(ty, tb, a, b) {
                        return Ok(eq);
                    }
                }
                if a == b {
                    return Ok(matches!(c, Cmp::Eq | Cmp::Gte | Cmp::Lte));
                }
                match &self.types[ty as usize] {
                    Type::Obj(_) | Type::Struct(_) => {
                        if a == 0 || b == 0 {
                            return Ok(if c == Cmp::Eq { false } else { ord(a.cmp(&b)) });
                        }
                        match self.compare_fun(a) {
                            Some(f) => {
                                let r = i32_of(self.call(f, &[a, b])?);
                                ord(r.cmp(&0))
                            }
                            None => {
                                if c == Cmp::Eq {
                                    false
                                } else {
                                    ord(a.cmp(&b))
                                }
                            }
                        }
                    }
                    Type::Enum(_) => {
                        if c == Cmp::Eq {
                            false
                        } else {
                            ord(a.cmp(&b))
                        }
                    }
                    Type::Fun(_) | Type::Method(_) if c == Cmp::Eq => self.closure_eq(a, b),
                    _ => {
                        // HashLink tests the sign of `hl_dyn_compare`'s result, except that
                        // `>` and `>=` are false for values that do not compare; the
                        // invalid result is negative, so `<` and `<=` are true for them.
                        let r = self.dyn_compare(a, b)?;
                        if r == INVALID_COMPARISON && matches!(c, Cmp::Gt | Cmp::Gte) {
                            false
                        } else {
                            ord(r.cmp(&0))
                        }
                    }
                }
            }
        })
    }

    fn closure_eq(&self, a: u64, b: u64) -> bool {
        match (self.heap.get(handle(a)), self.heap.get(handle(b))) {
            (Some(Obj::Closure { fun: fa, bound: ba, .. }), Some(Obj::Closure { fun: fb, bound: bb, .. })) => {
                fa == fb && ba.get().map(|x| x.0) == bb.get().map(|x| x.0)
            }
            _ => false,
        }
    }

    /// The type of function `f` once its first argument is bound (a method value).
    pub fn bound_closure_type(&mut self, f: u32) -> u32 {
        let ft = self.fun_type(f).and_then(|t| self.types[t as usize].fun().cloned());
        match ft {
            Some(ft) if !ft.args.is_empty() => {
                self.type_index(Type::Fun(crate::code::FunType { args: ft.args[1..].to_vec(), ret: ft.ret }))
            }
            _ => self.fun_type(f).unwrap_or(0),
        }
    }

    /// Function index of method `name` of class `ty` (inherited included).
    pub fn method_of(&self, ty: u32, name: &str) -> Option<u32> {
        self.rt_obj.get(ty as usize)?.as_ref()?.methods.get(&self.field_names.hash_of(name)).copied()
    }

    fn compare_fun(&self, a: u64) -> Option<u32> {
        match self.heap.get(handle(a)) {
            Some(Obj::Instance { ty, .. }) => {
                let rt = self.rt_obj.get(*ty as usize)?.as_ref()?;
                rt.methods.get(&self.field_names.hash_of("__compare")).copied()
            }
            _ => None,
        }
    }

    /// `hl_dyn_compare`: 0 equal, <0 / >0 ordered, [`INVALID_COMPARISON`] otherwise.
    ///
    /// # Errors
    /// Exceptions from a class's `__compare`.
    pub fn dyn_compare(&mut self, a: u64, b: u64) -> Result<i32, Exc> {
        if a == b {
            return Ok(0);
        }
        if a == 0 {
            return Ok(-1);
        }
        if b == 0 {
            return Ok(1);
        }
        let get = |vm: &Vm, v: u64| -> Option<(Kind, u64)> {
            match vm.heap.get(handle(v)) {
                Some(Obj::Dyn { ty, val }) => Some((Kind::of(&vm.types[*ty as usize]), *val)),
                _ => None,
            }
        };
        if let (Some((ka, va)), Some((kb, vb))) = (get(self, a), get(self, b)) {
            // HashLink 1.17's table: same kinds compare (bytes, shorts and bools by
            // difference, Int and Int64 as -1/0/1, floats by sign of the difference); Float
            // against Int or Single converts; any other pair (Int against Bool, Int64 or
            // Single...) is not comparable.
            use Kind::*;
            return Ok(match (ka, kb) {
                (U8, U8) | (U16, U16) | (Bool, Bool) => i32_of(va).wrapping_sub(i32_of(vb)),
                (I32, I32) => i32_of(va).cmp(&i32_of(vb)) as i32,
                (I64, I64) => (va as i64).cmp(&(vb as i64)) as i32,
                (F32, F32) => fcompare(f32_of(va), f32_of(vb)),
                (F64, F64) | (F64, I32) | (I32, F64) | (F64, F32) | (F32, F64) => dcompare(as_f64(va, ka), as_f64(vb, kb)),
                _ => INVALID_COMPARISON,
            });
        }
        match (self.heap.get(handle(a)), self.heap.get(handle(b))) {
            (Some(Obj::Instance { ty: ta, .. }), Some(Obj::Instance { ty: tb, .. })) => {
                let (ta, tb) = (*ta, *tb);
                if let Some(f) = self.compare_fun(a) {
                    if ta == tb || self.obj_inherits(ta, tb) || self.obj_inherits(tb, ta) {
                        return Ok(i32_of(self.call(f, &[a, b])?));
                    }
                }
                Ok(INVALID_COMPARISON)
            }
            (Some(Obj::Closure { .. }), Some(Obj::Closure { .. })) => Ok(if self.closure_eq(a, b) { 0 } else { INVALID_COMPARISON }),
            // An object or dynamic object against a virtual: compare with what the virtual
            // wraps (a virtual without one sorts as null).
            (Some(Obj::Instance { .. } | Obj::DynObj(_)), Some(Obj::Virtual { value, .. })) => {
                let v = *value as u64;
                if v == 0 { Ok(1) } else { self.dyn_compare(a, v) }
            }
            (Some(Obj::Virtual { value, .. }), Some(Obj::Instance { .. } | Obj::DynObj(_))) => {
                let v = *value as u64;
                if v == 0 { Ok(-1) } else { self.dyn_compare(v, b) }
            }
            (Some(Obj::Virtual { value: va, .. }), Some(Obj::Virtual { value: vb, .. })) => {
                if *va != 0 && *vb != 0 {
                    let (va, vb) = (*va as u64, *vb as u64);
                    self.dyn_compare(va, vb)
                } else {
                    Ok(INVALID_COMPARISON)
                }
            }
            _ => Ok(INVALID_COMPARISON),
        }
    }
}

fn as_f64(v: u64, k: Kind) -> f64 {
    match k {
        Kind::F64 => f64_of(v),
        Kind::F32 => f32_of(v) as f64,
        Kind::I64 => v as i64 as f64,
        _ => i32_of(v) as f64,
    }
}

/// HashLink's `fcompare` (`dcompare` in single precision). Widening to f64 gives the same
/// answer: an f32 difference is zero only for equal values, overflows keep their sign, and
/// NaN arises from the same operands (NaN, or infinities of one sign).
fn fcompare(a: f32, b: f32) -> i32 {
    dcompare(f64::from(a), f64::from(b))
}

fn dcompare(a: f64, b: f64) -> i32 {
    let d = a - b;
    if d.is_nan() {
        return if a == b { 0 } else { INVALID_COMPARISON };
    }
    if d == 0.0 {
        0
    } else if d > 0.0 {
        1
    } else {
        -1
    }
}

/// Converts between scalar register kinds (C conversions as HashLink does them).
pub(crate) fn convert_scalar(v: u64, from: Kind, to: Kind) -> u64 {
    let as_i64 = match from {
        Kind::F64 => {
            let f = f64_of(v);
            return match to {
                Kind::F64 => v,
                Kind::F32 => from_f32(f as f32),
                Kind::I64 => f as i64 as u64,
                Kind::Bool => (f != 0.0) as u64,
                k => norm_int(k, f64_to_i32(f) as i64),
            };
        }
        Kind::F32 => {
            let f = f32_of(v) as f64;
            return match to {
                Kind::F64 => f.to_bits(),
                Kind::F32 => v,
                Kind::I64 => f as i64 as u64,
                Kind::Bool => (f != 0.0) as u64,
                k => norm_int(k, f64_to_i32(f) as i64),
            };
        }
        Kind::I64 => v as i64,
        Kind::U8 => (v & 0xFF) as i64,
        Kind::U16 => (v & 0xFFFF) as i64,
        Kind::Bool => (v & 1) as i64,
        _ => i32_of(v) as i64,
    };
    match to {
        Kind::F64 => (as_i64 as f64).to_bits(),
        Kind::F32 => from_f32(as_i64 as f32),
        Kind::I64 => as_i64 as u64,
        Kind::Bool => (as_i64 != 0) as u64,
        k => norm_int(k, as_i64),
    }
}

fn norm_int(k: Kind, v: i64) -> u64 {
    match k {
        Kind::U8 => (v as u64) & 0xFF,
        Kind::U16 => (v as u64) & 0xFFFF,
        _ => from_i32(v as i32),
    }
}

/// What [`Vm::cast`] needs of its target type: the variant, and the inner type of a
/// `Null` or `Ref`.
#[derive(Clone, Copy)]
enum Target {
    Dyn,
    Obj,
    Virtual,
    Null(u32),
    Fun,
    Enum,
    Array,
    DynObj,
    Ref(u32),
    /// `Bytes`, `Abstract` and `Type`: passed through, or unboxed from a `Dyn`.
    Raw,
    Other,
}

impl Target {
    fn of(t: &Type) -> Target {
        match *t {
            Type::Dyn => Target::Dyn,
            Type::Obj(_) | Type::Struct(_) => Target::Obj,
            Type::Virtual(_) => Target::Virtual,
            Type::Null(inner) => Target::Null(inner),
            Type::Fun(_) | Type::Method(_) => Target::Fun,
            Type::Enum(_) => Target::Enum,
            Type::Array => Target::Array,
            Type::DynObj => Target::DynObj,
            Type::Ref(inner) => Target::Ref(inner),
            Type::Bytes | Type::Abstract(_) | Type::Type => Target::Raw,
            _ => Target::Other,
        }
    }
}
