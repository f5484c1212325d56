//! [`Object`]: a class instance or anonymous structure, with field access and method
//! calls resolved through the class hierarchy.

use std::fmt;

use hlvm::gc::Obj;
use hlvm::value::handle;

use crate::convert::{Args, Cx, FromHl, IntoHl};
use crate::function::{call_closure, call_raw, signature};
use crate::value::Value;
use crate::{Error, Result};

/// A Haxe object: a class instance (`new Player()`), an anonymous structure
/// (`{ x: 1 }`) or a dynamic object.
///
/// Fields and methods are looked up by name through the class hierarchy (inherited
/// members included, overrides win). Like every handle, an `Object` is a GC root.
#[derive(Clone)]
pub struct Object(Value);

pub(crate) fn is_object(cx: &mut Cx<'_>, v: u64, _ty: u32) -> bool {
    let base = cx.vm.virtual_base(v);
    matches!(cx.vm.heap.get(handle(base)), Some(Obj::Instance { .. }) | Some(Obj::Virtual { .. }) | Some(Obj::DynObj(_)))
}

/// Where a named member of an object lives.
enum Member {
    /// Field `i` of an instance or virtual's own storage, of type `ty`.
    Field(u64, usize, u32),
    /// Method (function index) of the instance's class.
    Method(u64, u32),
    /// A field of a dynamic object (read/written by hash).
    Dynamic(u64),
    Missing(String),
}

fn member(cx: &mut Cx<'_>, o: u64, name: &str, for_write: bool) -> Result<Member> {
    let hash = cx.vm.field_hash(name);
    let base = cx.vm.virtual_base(o);
    Ok(match cx.vm.heap.get(handle(base)) {
        None => return Err(Error::NullValue { what: format!("object with field {name}"), expected: "an object".into() }),
        Some(Obj::Instance { ty, .. }) => {
            let ty = *ty;
            match cx.vm.rt_obj(ty) {
                Some(rt) => match rt.field_index.get(&hash) {
                    Some(&i) => Member::Field(base, i, rt.fields[i].ty),
                    None => match rt.methods.get(&hash) {
                        Some(&f) => Member::Method(base, f),
                        None => Member::Missing(rt.name.clone()),
                    },
                },
                None => Member::Missing(cx.vm.type_name(ty)),
            }
        }
        Some(Obj::Virtual { ty, .. }) => {
            let ty = *ty;
            match cx.vm.rt_virtual(ty).and_then(|rv| rv.field_index.get(&hash).map(|&i| (i, rv.fields[i].ty))) {
                Some((i, fty)) => Member::Field(base, i, fty),
                None => Member::Missing(cx.hx_name(ty)),
            }
        }
        Some(Obj::DynObj(fields)) => {
            if for_write || fields.binary_search_by_key(&hash, |f| f.hash).is_ok() {
                Member::Dynamic(base)
            } else {
                Member::Missing("dynamic object".into())
            }
        }
        Some(_) => {
            let n = cx.value_type_name(o, cx.p.dyn_);
            Member::Missing(n)
        }
    })
}

fn read_field(cx: &mut Cx<'_>, base: u64, i: usize) -> u64 {
    match cx.vm.heap.get(handle(base)) {
        Some(Obj::Instance { fields, .. }) | Some(Obj::Virtual { fields, .. }) => fields.get(i).copied().unwrap_or(0),
        _ => 0,
    }
}

fn write_field(cx: &mut Cx<'_>, base: u64, i: usize, v: u64) {
    if let Some(Obj::Instance { fields, .. }) | Some(Obj::Virtual { fields, .. }) = cx.vm.heap.get_mut(handle(base)) {
        if let Some(s) = fields.get_mut(i) {
            *s = v;
        }
    }
}

/// Reads field `name` of object `o` (a method reads as a function bound to `o`).
pub(crate) fn get_field<R: FromHl>(cx: &mut Cx<'_>, o: u64, name: &str) -> Result<R> {
    let place = || format!("field {name}");
    match member(cx, o, name, false)? {
        Member::Field(base, i, ty) => {
            let v = read_field(cx, base, i);
            R::from_hl(cx, v, ty).map_err(|e| e.at(place))
        }
        Member::Method(base, f) => {
            let ty = cx.vm.bound_closure_type(f);
            let c = cx.vm.heap.alloc(Obj::Closure { ty, fun: f, bound: Some((base, true)).into() }) as u64;
            R::from_hl(cx, c, ty).map_err(|e| e.at(place))
        }
        Member::Dynamic(base) => {
            let d = cx.p.dyn_;
            let v = cx.vm.dyn_get_hash(base, cx.vm.field_hash(name), d).map_err(|e| cx.exc(e))?;
            R::from_hl(cx, v, d).map_err(|e| e.at(place))
        }
        Member::Missing(class) => Err(Error::FieldNotFound { class, field: name.into() }),
    }
}

/// Writes field `name` of object `o`.
pub(crate) fn set_field(cx: &mut Cx<'_>, o: u64, name: &str, value: impl IntoHl) -> Result<()> {
    let place = || format!("field {name}");
    match member(cx, o, name, true)? {
        Member::Field(base, i, ty) => {
            let v = value.into_hl(cx, ty).map_err(|e| e.at(place))?;
            write_field(cx, base, i, v);
            Ok(())
        }
        Member::Dynamic(base) => {
            let d = cx.p.dyn_;
            let v = value.into_hl(cx, d).map_err(|e| e.at(place))?;
            let hash = cx.vm.intern_field(name);
            cx.vm.dyn_set_hash(base, hash, name, v, d).map_err(|e| cx.exc(e))
        }
        Member::Method(base, _) => {
            let class = cx.value_type_name(base, cx.p.dyn_);
            Err(Error::InvalidArgument(format!("{class}.{name} is a method, not a field")))
        }
        Member::Missing(class) => Err(Error::FieldNotFound { class, field: name.into() }),
    }
}

/// Calls method `name` of object `o` (or a function stored in field `name`).
pub(crate) fn call_method<A: Args, R: FromHl>(cx: &mut Cx<'_>, o: u64, name: &str, args: A) -> Result<R> {
    match member(cx, o, name, false)? {
        Member::Method(base, f) => {
            let class = cx.value_type_name(base, cx.p.dyn_);
            let sig = signature(cx, f)?;
            let params = sig.params.get(1..).unwrap_or(&[]).to_vec();
            call_raw(cx, f, Some(base), args, &params, sig.ret, &|| format!("{class}.{name}"))
        }
        Member::Field(base, i, _) => {
            let class = cx.value_type_name(base, cx.p.dyn_);
            let c = read_field(cx, base, i);
            call_closure(cx, c, args, &|| format!("{class}.{name}"))
        }
        Member::Dynamic(base) => {
            let d = cx.p.dyn_;
            let c = cx.vm.dyn_get_hash(base, cx.vm.field_hash(name), d).map_err(|e| cx.exc(e))?;
            call_closure(cx, c, args, &|| format!("field {name}"))
        }
        Member::Missing(class) => Err(Error::MethodNotFound { class, method: name.into() }),
    }
}

impl Object {
    pub(crate) fn from_value(v: Value) -> Object {
        Object(v)
    }

    /// The object as a [`Value`].
    pub fn value(&self) -> &Value {
        &self.0
    }

    /// Name of the object's class with its package (`game.Player`); for structures,
    /// their Haxe type (`{ x : Int }`) or `Dynamic`.
    pub fn class_name(&self) -> String {
        self.0.type_name()
    }

    /// Reads a field (a method reads as a [`crate::Function`] bound to the object).
    ///
    /// # Errors
    /// [`Error::FieldNotFound`] naming the class; [`Error::TypeMismatch`] /
    /// [`Error::NullValue`] when the field's value does not convert to `R`.
    pub fn get<R: FromHl>(&self, field: &str) -> Result<R> {
        self.0.with(|cx, o| get_field(cx, o, field))
    }

    /// Writes a field. A dynamic object (`var d:Dynamic = {}`) gains the field if it
    /// lacks it; class instances and typed structures have fixed fields.
    ///
    /// # Errors
    /// [`Error::FieldNotFound`]; [`Error::TypeMismatch`] when `value` does not fit the
    /// field's type.
    pub fn set(&self, field: &str, value: impl IntoHl) -> Result<()> {
        self.0.with(|cx, o| set_field(cx, o, field, value))
    }

    /// Calls a method (virtual dispatch: a subclass's override runs), or a function
    /// stored in a field.
    ///
    /// # Errors
    /// [`Error::MethodNotFound`] naming the class; [`Error::ArgumentCount`];
    /// [`Error::TypeMismatch`] for arguments and result; [`Error::Exception`].
    pub fn call<R: FromHl>(&self, method: &str, args: impl Args) -> Result<R> {
        self.0.with(|cx, o| call_method(cx, o, method, args))
    }

    /// Whether the object has a field or method of this name.
    pub fn has_field(&self, name: &str) -> bool {
        self.0.with(|cx, o| Ok(!matches!(member(cx, o, name, false)?, Member::Missing(_)))).unwrap_or(false)
    }

    /// Whether the object is an instance of class `class` (`pack.Class`) or of one of
    /// its subclasses.
    ///
    /// # Errors
    /// [`Error::TypeNotFound`] when the module has no such class.
    pub fn is_instance_of(&self, class: &str) -> Result<bool> {
        self.0.with(|cx, o| {
            let target = cx.class(class).ok_or_else(|| Error::TypeNotFound(class.into()))?;
            let base = cx.vm.virtual_base(o);
            Ok(match cx.vm.heap.get(handle(base)) {
                Some(Obj::Instance { ty, .. }) => {
                    let ty = *ty;
                    cx.vm.obj_inherits(ty, target)
                }
                _ => false,
            })
        })
    }

    /// Names of the object's fields: a class's instance fields (inherited first), or a
    /// structure's fields.
    pub fn field_names(&self) -> Vec<String> {
        self.0
            .with(|cx, o| {
                let base = cx.vm.virtual_base(o);
                Ok(match cx.vm.heap.get(handle(base)) {
                    Some(Obj::Instance { ty, .. }) => {
                        cx.vm.rt_obj(*ty).map(|rt| rt.fields.iter().map(|f| f.name.clone()).collect()).unwrap_or_default()
                    }
                    Some(Obj::Virtual { ty, .. }) => {
                        cx.vm.rt_virtual(*ty).map(|rv| rv.fields.iter().map(|f| f.name.clone()).collect()).unwrap_or_default()
                    }
                    Some(Obj::DynObj(fields)) => {
                        let hashes: Vec<i32> = hlvm::gc::dyn_fields_in_order(fields).iter().map(|f| f.hash).collect();
                        hashes.into_iter().filter_map(|h| cx.vm.field_name(h)).collect()
                    }
                    _ => Vec::new(),
                })
            })
            .unwrap_or_default()
    }
}

impl fmt::Debug for Object {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Object({:?})", self.0)
    }
}
