//! Conversions between Rust values and Haxe values: [`IntoHl`], [`FromHl`], argument
//! lists ([`Args`], [`FromArgs`]) and the checked coercion between Haxe types.
//!
//! | Rust | Haxe |
//! |---|---|
//! | `()` | `Void` (as a result: any value, discarded) |
//! | `bool` | `Bool` |
//! | `i32` | `Int` (also `hl.UI8`/`hl.UI16`, and `Float` by widening) |
//! | `i64` | `hl.I64` (an `Int` widens) |
//! | `f32`, `f64` | `Single`, `Float` (an `Int` widens) |
//! | `String`, `&str` | `String` |
//! | `Option<T>` | `Null<T>` / any nullable type (`None` is `null`) |
//! | `Vec<T>` | `Array<T>` (copied) |
//! | `HashMap<K, V>` | `Map<K, V>` with `String` or `Int` keys (copied) |
//! | [`Value`], [`Object`], [`Array`], [`Map`], [`Bytes`], [`EnumValue`], [`Function`] | the value itself (no copy) |
//!
//! A value of the wrong type is [`Error::TypeMismatch`] naming both Haxe types; `null`
//! where a value is required is [`Error::NullValue`].

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

use hlvm::code::Type;
use hlvm::gc::Obj;
use hlvm::value::*;
use hlvm::Exc;

use crate::shared::{Prims, Shared};
use crate::value::Value;
use crate::{Array, Bytes, EnumValue, Error, Function, Map, Object, Result};

/// Argument slots of one call (no allocation up to 8).
#[doc(hidden)]
pub type ArgBuf = smallvec::SmallVec<[u64; 8]>;

/// Conversion context: the VM lent to one `hlffi` operation. Not constructible
/// outside `hlffi`; it appears in the conversion traits' hidden methods only.
#[doc(hidden)]
pub struct Cx<'a> {
    pub(crate) vm: &'a mut hlvm::Vm,
    pub(crate) shared: &'a Arc<Shared>,
    pub(crate) p: &'a Prims,
}

/// A type-mismatch error whose location (`what`) the caller fills in.
pub(crate) fn mismatch(expected: String, actual: String) -> Error {
    Error::TypeMismatch { what: String::new(), expected, actual }
}

/// A null-value error whose location the caller fills in.
pub(crate) fn null_value(expected: String) -> Error {
    Error::NullValue { what: String::new(), expected }
}

impl Error {
    /// Adds where a conversion error happened, outermost first (`argument 1 of
    /// Main.sum, array element 0`); other errors are returned unchanged.
    pub(crate) fn at(self, place: impl FnOnce() -> String) -> Error {
        let join = |outer: String, inner: String| if inner.is_empty() { outer } else { format!("{outer}, {inner}") };
        match self {
            Error::TypeMismatch { what, expected, actual } => Error::TypeMismatch { what: join(place(), what), expected, actual },
            Error::NullValue { what, expected } => Error::NullValue { what: join(place(), what), expected },
            e => e,
        }
    }
}

fn is_scalar(t: &Type) -> bool {
    matches!(t, Type::UI8 | Type::UI16 | Type::I32 | Type::I64 | Type::F32 | Type::F64 | Type::Bool)
}

fn is_int(t: &Type) -> bool {
    matches!(t, Type::UI8 | Type::UI16 | Type::I32)
}

fn is_float(t: &Type) -> bool {
    matches!(t, Type::F32 | Type::F64)
}

/// Whether a scalar of type `from` may be passed where `to` is expected: same kind,
/// or a lossless-in-spirit widening (Int → Float/I64; Single ↔ Float).
fn scalar_fits(from: &Type, to: &Type) -> bool {
    match to {
        Type::Bool => matches!(from, Type::Bool),
        Type::UI8 | Type::UI16 | Type::I32 => is_int(from),
        Type::I64 => is_int(from) || matches!(from, Type::I64),
        Type::F32 | Type::F64 => is_int(from) || is_float(from),
        _ => false,
    }
}

impl Cx<'_> {
    fn tyc(&self, t: u32) -> Type {
        self.vm.ty(t).cloned().unwrap_or(Type::Void)
    }

    /// Haxe's name for type `t` (`Int`, `Float`, `Array<Int>`, `pack.Class`,
    /// `Null<Int>`, `(Int) -> String`, `{ x : Int }`...).
    pub(crate) fn hx_name(&self, t: u32) -> String {
        let Some(ty) = self.vm.ty(t) else { return "?".into() };
        match ty {
            Type::Void => "Void".into(),
            Type::UI8 => "hl.UI8".into(),
            Type::UI16 => "hl.UI16".into(),
            Type::I32 => "Int".into(),
            Type::I64 => "hl.I64".into(),
            Type::F32 => "Single".into(),
            Type::F64 => "Float".into(),
            Type::Bool => "Bool".into(),
            Type::Bytes => "hl.Bytes".into(),
            Type::Dyn => "Dynamic".into(),
            Type::Fun(f) | Type::Method(f) => {
                let args: Vec<String> = f.args.iter().map(|&a| self.hx_name(a)).collect();
                format!("({}) -> {}", args.join(", "), self.hx_name(f.ret))
            }
            Type::Obj(_) | Type::Struct(_) => {
                let n = self.vm.type_name(t);
                match n.as_str() {
                    "hl.types.ArrayBytes_Int" => "Array<Int>".into(),
                    "hl.types.ArrayBytes_Float" => "Array<Float>".into(),
                    "hl.types.ArrayBytes_Single" | "hl.types.ArrayBytes_hl_F32" => "Array<Single>".into(),
                    "hl.types.ArrayBytes_hl_UI8" => "Array<hl.UI8>".into(),
                    "hl.types.ArrayBytes_hl_UI16" => "Array<hl.UI16>".into(),
                    "hl.types.ArrayObj" => "Array".into(),
                    "hl.types.ArrayDyn" => "Array<Dynamic>".into(),
                    _ => n,
                }
            }
            Type::Array => "hl.NativeArray".into(),
            Type::Type => "hl.Type".into(),
            Type::Ref(i) => format!("hl.Ref<{}>", self.hx_name(*i)),
            Type::Virtual(v) => {
                let fs: Vec<String> = v
                    .fields
                    .iter()
                    .map(|f| format!("{} : {}", self.vm.string_constant(f.name).unwrap_or("?"), self.hx_name(f.ty)))
                    .collect();
                format!("{{ {} }}", fs.join(", "))
            }
            Type::DynObj => "Dynamic".into(),
            Type::Abstract(_) | Type::Enum(_) => self.vm.type_name(t),
            Type::Null(i) => format!("Null<{}>", self.hx_name(*i)),
            Type::Packed(i) => format!("hl.Packed<{}>", self.hx_name(*i)),
            Type::Guid => "hl.GUID".into(),
        }
    }

    /// Haxe name of the run-time type of `v` (static type `t`); `null` for null.
    pub(crate) fn value_type_name(&mut self, v: u64, t: u32) -> String {
        let ty = self.tyc(t);
        if ty.is_ptr() && v == 0 {
            return "null".into();
        }
        let base = if ty.is_ptr() { self.vm.virtual_base(v) } else { v };
        let rt = self.vm.runtime_type(base, t);
        self.hx_name(rt)
    }

    /// Exceptions raised by the VM, as errors.
    pub(crate) fn exc(&mut self, e: Exc) -> Error {
        Error::from(self.vm.run_error(e))
    }

    /// Converts `v` of static type `from` to static type `to`, checking that it fits.
    ///
    /// # Errors
    /// [`Error::TypeMismatch`] / [`Error::NullValue`] without a location.
    pub(crate) fn coerce(&mut self, v: u64, from: u32, to: u32) -> Result<u64> {
        if from == to {
            return Ok(v);
        }
        let tf = self.tyc(from);
        let tt = self.tyc(to);
        if matches!(tt, Type::Void) {
            return Ok(0);
        }
        if is_scalar(&tt) {
            let Some((val, vt)) = self.unbox(v, from) else {
                if tf.is_ptr() && v == 0 {
                    return Err(null_value(self.hx_name(to)));
                }
                let actual = self.value_type_name(v, from);
                return Err(mismatch(self.hx_name(to), actual));
            };
            let vty = self.tyc(vt);
            if !scalar_fits(&vty, &tt) {
                return Err(mismatch(self.hx_name(to), self.hx_name(vt)));
            }
            return self.vm.cast(val, vt, to).map_err(|e| self.exc(e));
        }
        if is_scalar(&tf) {
            return match &tt {
                Type::Dyn => Ok(self.vm.to_dyn(v, from)),
                Type::Null(inner) if self.vm.ty(*inner).is_some_and(|i| scalar_fits(&tf, i)) => {
                    let inner = *inner;
                    let c = self.vm.cast(v, from, inner).map_err(|e| self.exc(e))?;
                    Ok(self.vm.to_dyn(c, inner))
                }
                _ => Err(mismatch(self.hx_name(to), self.hx_name(from))),
            };
        }
        // Reference to reference.
        if v == 0 {
            return Ok(0);
        }
        if let Type::Null(inner) = &tt {
            let inner = *inner;
            return match self.unbox(v, from) {
                Some((val, vt)) if self.vm.ty(vt).zip(self.vm.ty(inner)).is_some_and(|(a, b)| scalar_fits(a, b)) => {
                    let c = self.vm.cast(val, vt, inner).map_err(|e| self.exc(e))?;
                    Ok(self.vm.to_dyn(c, inner))
                }
                _ => {
                    let actual = self.value_type_name(v, from);
                    Err(mismatch(self.hx_name(to), actual))
                }
            };
        }
        if let Type::Obj(_) = &tt {
            let base = self.vm.virtual_base(v);
            if let Some(Obj::Instance { ty, .. }) = self.vm.heap.get(handle(base)) {
                let ty = *ty;
                if self.vm.obj_inherits(ty, to) {
                    return Ok(base);
                }
                if Some(to) == self.p.string || Some(ty) == self.p.string {
                    return Err(mismatch(self.hx_name(to), self.hx_name(ty)));
                }
            }
        }
        match self.vm.cast(v, from, to) {
            Ok(c) => Ok(c),
            Err(Exc::Throw(_)) => {
                let actual = self.value_type_name(v, from);
                Err(mismatch(self.hx_name(to), actual))
            }
            Err(e) => Err(self.exc(e)),
        }
    }

    /// For a scalar slot: itself. For a `Dynamic`/`Null<T>` box of a scalar: the
    /// scalar and its type. `None` for null and for non-scalar references.
    pub(crate) fn unbox(&self, v: u64, t: u32) -> Option<(u64, u32)> {
        let ty = self.vm.ty(t)?;
        if is_scalar(ty) {
            return Some((v, t));
        }
        if !ty.is_ptr() || v == 0 {
            return None;
        }
        match self.vm.heap.get(handle(v))? {
            Obj::Dyn { ty, val } if self.vm.ty(*ty).is_some_and(is_scalar) => Some((*val, *ty)),
            _ => None,
        }
    }

    /// Allocates a Haxe `String`.
    pub(crate) fn new_string(&mut self, s: &str) -> Result<u64> {
        self.vm.alloc_string(s).map_err(|e| self.exc(e))
    }

    /// Reads a Haxe `String` (static type `t`, possibly `Dynamic`).
    pub(crate) fn read_string(&mut self, v: u64, t: u32) -> Result<String> {
        let ty = self.tyc(t);
        if ty.is_ptr() && v == 0 {
            return Err(null_value("String".into()));
        }
        if ty.is_ptr() {
            let base = self.vm.virtual_base(v);
            if let Some(s) = self.vm.string_value(base) {
                return Ok(s);
            }
        }
        let actual = self.value_type_name(v, t);
        Err(mismatch("String".into(), actual))
    }

    /// Roots `v` (static type `t`) in a [`Value`].
    pub(crate) fn value(&mut self, v: u64, t: u32) -> Value {
        Value::new(self, v, t)
    }

    /// Checks that `value` belongs to this VM.
    pub(crate) fn own(&self, value: &Value) -> Result<()> {
        if Arc::ptr_eq(value.shared(), self.shared) {
            Ok(())
        } else {
            Err(Error::InvalidArgument("the value belongs to another VM".into()))
        }
    }

    /// The type index of the class `name`, if the module has it.
    pub(crate) fn class(&mut self, name: &str) -> Option<u32> {
        crate::reflect::find_type(self, name).filter(|&t| matches!(self.vm.ty(t), Some(Type::Obj(_) | Type::Struct(_))))
    }

    /// A field of an instance: its index in the layout and its type.
    pub(crate) fn instance_field(&self, ty: u32, name: &str) -> Option<(usize, u32)> {
        let rt = self.vm.rt_obj(ty)?;
        let i = *rt.field_index.get(&self.vm.field_hash(name))?;
        Some((i, rt.fields[i].ty))
    }
}

// ---------------------------------------------------------------------- traits

/// A Rust value that can be passed to Haxe.
///
/// Implemented for the types in the [module table](self); the conversion is checked
/// against the Haxe type expected where the value goes.
pub trait IntoHl {
    /// Converts `self` to a slot of Haxe type `want`.
    #[doc(hidden)]
    fn into_hl(self, cx: &mut Cx<'_>, want: u32) -> Result<u64>;

    /// The kind of Haxe array a `Vec` of this type becomes when nothing else says.
    #[doc(hidden)]
    fn array_kind() -> ArrayKind {
        ArrayKind::Dynamic
    }

    /// For scalars (`i32`, `f64`...): their own Haxe type, so a value can be made
    /// without a `Dynamic` box.
    #[doc(hidden)]
    fn scalar_type(_cx: &Cx<'_>) -> Option<u32> {
        None
    }

    /// For scalars: `(type, slot)` of the value as its own Haxe type, without the VM.
    /// A call whose parameters have exactly these types skips [`IntoHl::into_hl`]
    /// (which would return the same slot: a value of the wanted type is not coerced).
    #[doc(hidden)]
    fn scalar_slot(&self, _p: &Prims) -> Option<(u32, u64)> {
        None
    }
}

/// A Rust value that can be read from a Haxe value.
pub trait FromHl: Sized {
    /// Reads `v`, a slot of Haxe type `ty`.
    #[doc(hidden)]
    fn from_hl(cx: &mut Cx<'_>, v: u64, ty: u32) -> Result<Self>;

    /// Reads `v` without the VM when that gives what [`FromHl::from_hl`] would: a
    /// scalar read from a slot of its own Haxe type, `()` from anything. `None`
    /// otherwise (the caller then uses `from_hl`).
    #[doc(hidden)]
    fn from_scalar(_v: u64, _ty: u32, _p: &Prims) -> Option<Self> {
        None
    }
}

/// Element storage of a Haxe `Array` (HashLink specialises arrays of numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrayKind {
    /// `Array<Int>` (`hl.types.ArrayBytes_Int`).
    Int,
    /// `Array<Float>` (`hl.types.ArrayBytes_Float`).
    Float,
    /// `Array<Single>` (`hl.types.ArrayBytes_Single`).
    Single,
    /// Any other element type (`hl.types.ArrayObj`: objects, strings, boxed values).
    Dynamic,
}

impl ArrayKind {
    /// HashLink's class for arrays of this kind.
    pub fn class_name(self) -> &'static str {
        match self {
            ArrayKind::Int => "hl.types.ArrayBytes_Int",
            ArrayKind::Float => "hl.types.ArrayBytes_Float",
            ArrayKind::Single => "hl.types.ArrayBytes_Single",
            ArrayKind::Dynamic => "hl.types.ArrayObj",
        }
    }
}

macro_rules! scalar_conv {
    ($t:ty, $field:ident, $to:expr, $from:expr, $kind:expr) => {
        impl IntoHl for $t {
            fn into_hl(self, cx: &mut Cx<'_>, want: u32) -> Result<u64> {
                let slot: u64 = ($to)(self);
                cx.coerce(slot, cx.p.$field, want)
            }
            fn array_kind() -> ArrayKind {
                $kind
            }
            fn scalar_type(cx: &Cx<'_>) -> Option<u32> {
                Some(cx.p.$field)
            }
            #[inline]
            fn scalar_slot(&self, p: &Prims) -> Option<(u32, u64)> {
                Some((p.$field, ($to)(*self)))
            }
        }
        impl FromHl for $t {
            fn from_hl(cx: &mut Cx<'_>, v: u64, ty: u32) -> Result<Self> {
                let want = cx.p.$field;
                let s = cx.coerce(v, ty, want)?;
                Ok(($from)(s))
            }
            #[inline]
            fn from_scalar(v: u64, ty: u32, p: &Prims) -> Option<Self> {
                (ty == p.$field).then(|| ($from)(v))
            }
        }
    };
}

scalar_conv!(i32, i32, from_i32, i32_of, ArrayKind::Int);
scalar_conv!(i64, i64, |v: i64| v as u64, |s: u64| s as i64, ArrayKind::Dynamic);
scalar_conv!(f64, f64, f64::to_bits, f64_of, ArrayKind::Float);
scalar_conv!(f32, f32, from_f32, f32_of, ArrayKind::Single);
scalar_conv!(bool, bool, |b: bool| b as u64, |s: u64| s as u32 != 0, ArrayKind::Dynamic);

impl IntoHl for () {
    fn into_hl(self, cx: &mut Cx<'_>, want: u32) -> Result<u64> {
        match cx.vm.ty(want) {
            Some(t) if t.is_ptr() || matches!(t, Type::Void) => Ok(0),
            _ => Err(null_value(cx.hx_name(want))),
        }
    }
}

impl FromHl for () {
    fn from_hl(_: &mut Cx<'_>, _: u64, _: u32) -> Result<Self> {
        Ok(())
    }
    fn from_scalar(_: u64, _: u32, _: &Prims) -> Option<Self> {
        Some(())
    }
}

impl IntoHl for &str {
    fn into_hl(self, cx: &mut Cx<'_>, want: u32) -> Result<u64> {
        let Some(st) = cx.p.string else { return Err(Error::TypeNotFound("String".into())) };
        let s = cx.new_string(self)?;
        cx.coerce(s, st, want)
    }
}

impl IntoHl for String {
    fn into_hl(self, cx: &mut Cx<'_>, want: u32) -> Result<u64> {
        self.as_str().into_hl(cx, want)
    }
}

impl IntoHl for &String {
    fn into_hl(self, cx: &mut Cx<'_>, want: u32) -> Result<u64> {
        self.as_str().into_hl(cx, want)
    }
}

impl FromHl for String {
    fn from_hl(cx: &mut Cx<'_>, v: u64, ty: u32) -> Result<Self> {
        cx.read_string(v, ty)
    }
}

impl<T: IntoHl> IntoHl for Option<T> {
    fn into_hl(self, cx: &mut Cx<'_>, want: u32) -> Result<u64> {
        match self {
            Some(v) => v.into_hl(cx, want),
            None => match cx.vm.ty(want) {
                Some(t) if t.is_ptr() => Ok(0),
                _ => Err(null_value(cx.hx_name(want))),
            },
        }
    }
}

impl<T: FromHl> FromHl for Option<T> {
    fn from_hl(cx: &mut Cx<'_>, v: u64, ty: u32) -> Result<Self> {
        if v == 0 && cx.vm.ty(ty).is_some_and(Type::is_ptr) {
            Ok(None)
        } else {
            T::from_hl(cx, v, ty).map(Some)
        }
    }
}

impl<T: IntoHl> IntoHl for Vec<T> {
    fn into_hl(self, cx: &mut Cx<'_>, want: u32) -> Result<u64> {
        let kind = match cx.vm.ty(want) {
            Some(Type::Obj(_)) => match cx.vm.type_name(want).as_str() {
                "hl.types.ArrayBytes_Int" => ArrayKind::Int,
                "hl.types.ArrayBytes_Float" => ArrayKind::Float,
                "hl.types.ArrayBytes_Single" => ArrayKind::Single,
                "hl.types.ArrayObj" | "hl.types.ArrayDyn" => ArrayKind::Dynamic,
                _ => T::array_kind(),
            },
            _ => T::array_kind(),
        };
        let arr = crate::array::build(cx, kind, self)?;
        let at = cx.vm.runtime_type(arr, cx.p.dyn_);
        cx.coerce(arr, at, want)
    }
}

impl<T: FromHl> FromHl for Vec<T> {
    fn from_hl(cx: &mut Cx<'_>, v: u64, ty: u32) -> Result<Self> {
        let (len, elems) = crate::array::storage(cx, v, ty)?;
        let mut out = Vec::with_capacity(len);
        for i in 0..len {
            let (ev, et) = crate::array::read(cx, &elems, i)?;
            out.push(T::from_hl(cx, ev, et).map_err(|e| e.at(|| format!("array element {i}")))?);
        }
        Ok(out)
    }
}

impl<K: IntoHl + MapKey, V: IntoHl> IntoHl for HashMap<K, V> {
    fn into_hl(self, cx: &mut Cx<'_>, want: u32) -> Result<u64> {
        let m = crate::map::build(cx, K::map_kind(), self)?;
        let mt = cx.vm.runtime_type(m, cx.p.dyn_);
        cx.coerce(m, mt, want)
    }
}

impl<K: FromHl + MapKey + Eq + Hash, V: FromHl> FromHl for HashMap<K, V> {
    fn from_hl(cx: &mut Cx<'_>, v: u64, ty: u32) -> Result<Self> {
        let entries = crate::map::entries(cx, v, ty)?;
        let mut out = HashMap::with_capacity(entries.len());
        for ((kv, kt), (vv, vt)) in entries {
            let k = K::from_hl(cx, kv, kt).map_err(|e| e.at(|| "map key".into()))?;
            let val = V::from_hl(cx, vv, vt).map_err(|e| e.at(|| "map value".into()))?;
            out.insert(k, val);
        }
        Ok(out)
    }
}

/// Key types of Haxe maps: `String` keys make a `haxe.ds.StringMap`, `Int` keys a
/// `haxe.ds.IntMap`, objects an `haxe.ds.ObjectMap`.
pub trait MapKey {
    /// Which map class keys of this type use.
    #[doc(hidden)]
    fn map_kind() -> crate::MapKind;
}

impl MapKey for String {
    fn map_kind() -> crate::MapKind {
        crate::MapKind::String
    }
}
impl MapKey for &str {
    fn map_kind() -> crate::MapKind {
        crate::MapKind::String
    }
}
impl MapKey for i32 {
    fn map_kind() -> crate::MapKind {
        crate::MapKind::Int
    }
}
impl MapKey for Object {
    fn map_kind() -> crate::MapKind {
        crate::MapKind::Object
    }
}

// Handles: passed by value or by reference, without copying the Haxe value.

impl IntoHl for &Value {
    fn into_hl(self, cx: &mut Cx<'_>, want: u32) -> Result<u64> {
        cx.own(self)?;
        let v = self.slot(cx.vm);
        cx.coerce(v, self.ty(), want)
    }
}

impl IntoHl for Value {
    fn into_hl(self, cx: &mut Cx<'_>, want: u32) -> Result<u64> {
        (&self).into_hl(cx, want)
    }
}

impl FromHl for Value {
    fn from_hl(cx: &mut Cx<'_>, v: u64, ty: u32) -> Result<Self> {
        Ok(cx.value(v, ty))
    }
}

macro_rules! handle_conv {
    ($h:ident, $check:path, $expected:expr) => {
        impl IntoHl for &$h {
            fn into_hl(self, cx: &mut Cx<'_>, want: u32) -> Result<u64> {
                self.value().into_hl(cx, want)
            }
        }
        impl IntoHl for $h {
            fn into_hl(self, cx: &mut Cx<'_>, want: u32) -> Result<u64> {
                self.value().into_hl(cx, want)
            }
        }
        impl FromHl for $h {
            fn from_hl(cx: &mut Cx<'_>, v: u64, ty: u32) -> Result<Self> {
                if !cx.vm.ty(ty).is_some_and(Type::is_ptr) {
                    // A scalar (Int, Float, Bool...): never a reference, whatever its bits.
                    return Err(mismatch($expected.into(), cx.hx_name(ty)));
                }
                if v == 0 {
                    return Err(null_value($expected.into()));
                }
                if !$check(cx, v, ty) {
                    let actual = cx.value_type_name(v, ty);
                    return Err(mismatch($expected.into(), actual));
                }
                Ok($h::from_value(cx.value(v, ty)))
            }
        }
    };
}

handle_conv!(Object, crate::object::is_object, "an object");
handle_conv!(Array, crate::array::is_array, "Array");
handle_conv!(Map, crate::map::is_map, "Map");
handle_conv!(Bytes, crate::bytes::is_bytes, "haxe.io.Bytes");
handle_conv!(EnumValue, crate::enums::is_enum, "an enum value");
handle_conv!(Function, crate::function::is_function, "a function");

// ---------------------------------------------------------------------- argument lists

/// An argument list for a Haxe call: a tuple of up to 8 [`IntoHl`] values, `()`, or a
/// slice/`Vec` of [`Value`]s.
pub trait Args {
    /// Number of arguments.
    #[doc(hidden)]
    fn count(&self) -> usize;

    /// Converts the arguments to the parameter types `params` (same length as
    /// `count()`), appending the slots to `out` and rooting references on the VM's
    /// temporary roots. Errors name the argument (1-based) with `name`.
    #[doc(hidden)]
    fn convert(self, cx: &mut Cx<'_>, params: &[u32], out: &mut ArgBuf, name: &dyn Fn() -> String) -> Result<()>;

    /// When every argument is a scalar whose own Haxe type is its parameter's type
    /// (an `i32` for an `Int`...): writes their slots to `out` (`count()` of them, what
    /// [`Args::convert`] would append; nothing to root: no references) and returns true.
    /// False otherwise. `out` is at least `count()` long.
    #[doc(hidden)]
    fn scalar_slots(&self, _params: &[u32], _p: &Prims, _out: &mut [u64]) -> bool {
        false
    }
}

fn arg_place(i: usize, name: &dyn Fn() -> String) -> impl FnOnce() -> String + '_ {
    move || format!("argument {} of {}", i + 1, name())
}

impl Args for () {
    fn count(&self) -> usize {
        0
    }
    fn convert(self, _: &mut Cx<'_>, _: &[u32], _: &mut ArgBuf, _: &dyn Fn() -> String) -> Result<()> {
        Ok(())
    }
    fn scalar_slots(&self, _: &[u32], _: &Prims, _: &mut [u64]) -> bool {
        true
    }
}

macro_rules! tuple_args {
    ($n:expr; $($T:ident $i:tt),+) => {
        impl<$($T: IntoHl),+> Args for ($($T,)+) {
            fn count(&self) -> usize {
                $n
            }
            fn convert(self, cx: &mut Cx<'_>, params: &[u32], out: &mut ArgBuf, name: &dyn Fn() -> String) -> Result<()> {
                $(
                    let v = self.$i.into_hl(cx, params[$i]).map_err(|e| e.at(arg_place($i, name)))?;
                    cx.vm.push_temp_root(v);
                    out.push(v);
                )+
                Ok(())
            }
            #[inline]
            fn scalar_slots(&self, params: &[u32], p: &Prims, out: &mut [u64]) -> bool {
                let slots = [$(match self.$i.scalar_slot(p) {
                    Some((ty, v)) if params.get($i) == Some(&ty) => v,
                    _ => return false,
                }),+];
                match out.get_mut(..$n) {
                    Some(o) => o.copy_from_slice(&slots),
                    None => return false,
                }
                true
            }
        }
    };
}

/// Invokes `$m!(N; A 0, B 1, ...)` for every tuple length from 1 to 8.
macro_rules! for_each_tuple {
    ($m:ident) => {
        $m!(1; A 0);
        $m!(2; A 0, B 1);
        $m!(3; A 0, B 1, C 2);
        $m!(4; A 0, B 1, C 2, D 3);
        $m!(5; A 0, B 1, C 2, D 3, E 4);
        $m!(6; A 0, B 1, C 2, D 3, E 4, F 5);
        $m!(7; A 0, B 1, C 2, D 3, E 4, F 5, G 6);
        $m!(8; A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
    };
}
pub(crate) use for_each_tuple;

for_each_tuple!(tuple_args);

impl Args for &[Value] {
    fn count(&self) -> usize {
        self.len()
    }
    fn convert(self, cx: &mut Cx<'_>, params: &[u32], out: &mut ArgBuf, name: &dyn Fn() -> String) -> Result<()> {
        for (i, (v, &p)) in self.iter().zip(params).enumerate() {
            let s = v.into_hl(cx, p).map_err(|e| e.at(arg_place(i, name)))?;
            cx.vm.push_temp_root(s);
            out.push(s);
        }
        Ok(())
    }
}

impl Args for Vec<Value> {
    fn count(&self) -> usize {
        self.len()
    }
    fn convert(self, cx: &mut Cx<'_>, params: &[u32], out: &mut ArgBuf, name: &dyn Fn() -> String) -> Result<()> {
        self.as_slice().convert(cx, params, out, name)
    }
}

impl<const N: usize> Args for &[Value; N] {
    fn count(&self) -> usize {
        N
    }
    fn convert(self, cx: &mut Cx<'_>, params: &[u32], out: &mut ArgBuf, name: &dyn Fn() -> String) -> Result<()> {
        self.as_slice().convert(cx, params, out, name)
    }
}

/// The parameters of a Rust callback called from Haxe: a tuple of up to 8 [`FromHl`]
/// values (`()` for none).
pub trait FromArgs: Sized {
    /// Number of parameters.
    #[doc(hidden)]
    const COUNT: usize;

    /// Reads the arguments `args` of types `tys`.
    #[doc(hidden)]
    fn from_args(cx: &mut Cx<'_>, args: &[u64], tys: &[u32], name: &dyn Fn() -> String) -> Result<Self>;
}

impl FromArgs for () {
    const COUNT: usize = 0;
    fn from_args(_: &mut Cx<'_>, _: &[u64], _: &[u32], _: &dyn Fn() -> String) -> Result<Self> {
        Ok(())
    }
}

macro_rules! tuple_from_args {
    ($n:expr; $($T:ident $i:tt),+) => {
        impl<$($T: FromHl),+> FromArgs for ($($T,)+) {
            const COUNT: usize = $n;
            fn from_args(cx: &mut Cx<'_>, args: &[u64], tys: &[u32], name: &dyn Fn() -> String) -> Result<Self> {
                if args.len() < $n || tys.len() < $n {
                    return Err(Error::ArgumentCount { function: name(), expected: $n, given: args.len() });
                }
                Ok(($(
                    $T::from_hl(cx, args[$i], tys[$i]).map_err(|e| e.at(arg_place($i, name)))?,
                )+))
            }
        }
    };
}

for_each_tuple!(tuple_from_args);

/// What a Rust callback may return: a value ([`IntoHl`]) or a `Result` of one; an
/// `Err` becomes a Haxe exception carrying its message.
pub trait CallbackReturn {
    /// The value, or the error message.
    #[doc(hidden)]
    fn into_outcome(self) -> std::result::Result<Box<dyn FnOnce(&mut Cx<'_>, u32) -> Result<u64>>, String>;
}

impl<T: IntoHl + 'static> CallbackReturn for T {
    fn into_outcome(self) -> std::result::Result<Box<dyn FnOnce(&mut Cx<'_>, u32) -> Result<u64>>, String> {
        Ok(Box::new(move |cx, want| self.into_hl(cx, want)))
    }
}

impl<T: IntoHl + 'static, E: std::fmt::Display> CallbackReturn for std::result::Result<T, E> {
    fn into_outcome(self) -> std::result::Result<Box<dyn FnOnce(&mut Cx<'_>, u32) -> Result<u64>>, String> {
        match self {
            Ok(v) => Ok(Box::new(move |cx, want| v.into_hl(cx, want))),
            Err(e) => Err(e.to_string()),
        }
    }
}
