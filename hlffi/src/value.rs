//! [`Value`]: a handle to any Haxe value, kept alive (a GC root) while it exists.

use std::fmt;
use std::sync::Arc;

use hlvm::code::Type;
use hlvm::gc::{NativeObj, Obj};
use hlvm::value::handle;

use crate::convert::{Cx, FromHl};
use crate::shared::Shared;
use crate::{Error, Result};

/// A host root: released (at once, or at the VM's next use) when the last clone of
/// the handle holding it is dropped.
pub(crate) struct Root {
    shared: Arc<Shared>,
    id: usize,
}

impl Drop for Root {
    fn drop(&mut self) {
        self.shared.release_root(self.id);
    }
}

#[derive(Clone)]
enum Repr {
    /// A scalar (`Int`, `Float`, `Bool`...), or null: nothing to keep alive.
    Plain(u64),
    /// A reference, held by a host root.
    Rooted(Arc<Root>),
}

/// Any Haxe value: a number, a string, an object, an array, a function, `null`...
///
/// A `Value` keeps what it refers to alive: it is a root of the garbage collector
/// until it (and every clone of it — cloning is cheap and shares the root) is dropped.
/// A `Value` is tied to the [`crate::Vm`] that made it; using it after the VM is
/// dropped gives [`Error::VmDropped`].
#[derive(Clone)]
pub struct Value {
    shared: Arc<Shared>,
    /// Static type of the slot.
    ty: u32,
    /// Whether slots of `ty` are references (0 is `null`).
    is_ref: bool,
    repr: Repr,
}

/// What kind of Haxe value a [`Value`] holds (from its run-time type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ValueKind {
    /// `null`.
    Null,
    /// `Bool`.
    Bool,
    /// `Int` (and `hl.UI8`, `hl.UI16`).
    Int,
    /// `hl.I64`.
    Int64,
    /// `Float` or `Single`.
    Float,
    /// `String`.
    String,
    /// A Haxe `Array` (any element type).
    Array,
    /// A `haxe.ds.StringMap`, `IntMap` or `ObjectMap` (what `Map` is at run time).
    Map,
    /// `haxe.io.Bytes`.
    Bytes,
    /// An enum value.
    Enum,
    /// A function (closure, method value, or Rust callback).
    Function,
    /// A class instance (other than the above).
    Object,
    /// An anonymous structure (`{ x : 1 }`) or a dynamic object.
    Structure,
    /// Anything else (`hl.Bytes`, native handles, types...).
    Other,
}

impl Value {
    pub(crate) fn new(cx: &mut Cx<'_>, v: u64, ty: u32) -> Value {
        let is_ref = cx.vm.ty(ty).is_some_and(Type::is_ptr);
        let repr = if is_ref && v != 0 {
            #[expect(clippy::arc_with_non_send_sync, reason = "atomic counts for handles dropped on the wrong thread (see `Shared`)")]
            Repr::Rooted(Arc::new(Root { shared: cx.shared.clone(), id: cx.vm.add_root(v) }))
        } else {
            Repr::Plain(v)
        };
        Value { shared: cx.shared.clone(), ty, is_ref, repr }
    }

    pub(crate) fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// Static type index of the slot.
    pub(crate) fn ty(&self) -> u32 {
        self.ty
    }

    /// The slot (register format of [`Value::ty`]).
    pub(crate) fn slot(&self, vm: &hlvm::Vm) -> u64 {
        match &self.repr {
            Repr::Plain(v) => *v,
            Repr::Rooted(r) => vm.root_value(r.id).unwrap_or(0),
        }
    }

    /// Runs `f` with the VM and this value's slot.
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut Cx<'_>, u64) -> Result<R>) -> Result<R> {
        self.shared.with(|cx| {
            let v = self.slot(cx.vm);
            f(cx, v)
        })
    }

    /// True for `null`.
    pub fn is_null(&self) -> bool {
        self.is_ref && matches!(self.repr, Repr::Plain(0))
    }

    /// True for the "value" of a `Void` function's call.
    pub fn is_void(&self) -> bool {
        self.with(|cx, _| Ok(matches!(cx.vm.ty(self.ty), Some(Type::Void)))).unwrap_or(false)
    }

    /// Converts the value to a Rust type.
    ///
    /// # Errors
    /// [`Error::TypeMismatch`] when the value is not of a type `T` accepts,
    /// [`Error::NullValue`] for `null` unless `T` is an `Option`.
    pub fn get<T: FromHl>(&self) -> Result<T> {
        self.with(|cx, v| T::from_hl(cx, v, self.ty)).map_err(|e| e.at(|| "value".into()))
    }

    /// What kind of value this is.
    pub fn kind(&self) -> ValueKind {
        self.with(|cx, v| Ok(kind_of(cx, v, self.ty))).unwrap_or(ValueKind::Other)
    }

    /// Haxe's name of the value's run-time type (`Int`, `String`, `Array<Int>`,
    /// `game.Player`, `null`...).
    pub fn type_name(&self) -> String {
        self.with(|cx, v| Ok(cx.value_type_name(v, self.ty))).unwrap_or_else(|e| format!("<{e}>"))
    }

    /// `Std.string(value)`: the value as Haxe prints it (calls `toString` methods).
    ///
    /// # Errors
    /// [`Error::Exception`] when a `toString` throws.
    pub fn to_haxe_string(&self) -> Result<String> {
        self.with(|cx, v| {
            let r = cx.vm.value_to_string(v, self.ty);
            r.map_err(|e| cx.exc(e))
        })
    }

    /// Whether two values are the same Haxe value: identical objects, or equal
    /// scalars/strings (Haxe's `==` on `Dynamic`).
    pub fn same_as(&self, other: &Value) -> bool {
        if !Arc::ptr_eq(&self.shared, &other.shared) {
            return false;
        }
        self.with(|cx, a| {
            let b = other.slot(cx.vm);
            let da = cx.vm.to_dyn(a, self.ty);
            let db = cx.vm.to_dyn(b, other.ty);
            let r = cx.vm.dyn_compare(da, db).map_err(|e| cx.exc(e))?;
            Ok(r == 0)
        })
        .unwrap_or(false)
    }
}

pub(crate) fn kind_of(cx: &mut Cx<'_>, v: u64, ty: u32) -> ValueKind {
    let Some(t) = cx.vm.ty(ty) else { return ValueKind::Other };
    if !t.is_ptr() {
        return match t {
            Type::Bool => ValueKind::Bool,
            Type::UI8 | Type::UI16 | Type::I32 => ValueKind::Int,
            Type::I64 => ValueKind::Int64,
            Type::F32 | Type::F64 => ValueKind::Float,
            _ => ValueKind::Other,
        };
    }
    if v == 0 {
        return ValueKind::Null;
    }
    let base = cx.vm.virtual_base(v);
    match cx.vm.heap.get(handle(base)) {
        None => ValueKind::Null,
        Some(Obj::Dyn { ty, .. }) => {
            let ty = *ty;
            kind_of(cx, 1, ty)
        }
        Some(Obj::Closure { .. }) | Some(Obj::VarArgs { .. }) => ValueKind::Function,
        Some(Obj::Enum { .. }) => ValueKind::Enum,
        Some(Obj::DynObj(_)) | Some(Obj::Virtual { .. }) => ValueKind::Structure,
        Some(Obj::Instance { ty, .. }) => {
            let ty = *ty;
            if Some(ty) == cx.p.string {
                ValueKind::String
            } else if crate::array::is_array(cx, base, ty) {
                ValueKind::Array
            } else if crate::map::is_map(cx, base, ty) {
                ValueKind::Map
            } else if crate::bytes::is_bytes(cx, base, ty) {
                ValueKind::Bytes
            } else {
                ValueKind::Object
            }
        }
        Some(Obj::Native(NativeObj::Opaque(_))) | Some(_) => ValueKind::Other,
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.with(|cx, v| {
            let name = cx.value_type_name(v, self.ty);
            let text = cx.vm.value_to_string(v, self.ty).unwrap_or_else(|_| "?".into());
            Ok((name, text))
        }) {
            Ok((name, text)) => write!(f, "Value({name}: {text})"),
            Err(Error::VmBusy) => write!(f, "Value(<VM busy>)"),
            Err(e) => write!(f, "Value(<{e}>)"),
        }
    }
}
