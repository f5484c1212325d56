//! [`EnumValue`]: a value of a Haxe enum, with its constructor and parameters.

use std::fmt;

use hlvm::code::Type;
use hlvm::gc::Obj;
use hlvm::value::handle;

use crate::convert::{Args, ArgBuf, Cx, FromHl};
use crate::value::Value;
use crate::{Error, Result};

pub(crate) fn is_enum(cx: &mut Cx<'_>, v: u64, _ty: u32) -> bool {
    matches!(cx.vm.heap.get(handle(v)), Some(Obj::Enum { .. }))
}

/// (enum type, constructor index, parameter slots) of an enum value.
fn parts(cx: &Cx<'_>, v: u64) -> Result<(u32, usize, Vec<u64>)> {
    match cx.vm.heap.get(handle(v)) {
        Some(Obj::Enum { ty, ctor, params }) => Ok((*ty, *ctor as usize, params.to_vec())),
        _ => Err(Error::Internal("not an enum value".into())),
    }
}

/// Constructor `ctor` of enum type `ty`: (name, parameter types).
fn constructor(cx: &Cx<'_>, ty: u32, ctor: usize) -> Result<(String, Vec<u32>)> {
    match cx.vm.ty(ty) {
        Some(Type::Enum(e)) => {
            let c = e.constructs.get(ctor).ok_or_else(|| Error::Internal(format!("constructor {ctor} out of range")))?;
            Ok((cx.vm.string_constant(c.name).unwrap_or("?").to_string(), c.params.clone()))
        }
        _ => Err(Error::Internal("not an enum type".into())),
    }
}

/// Builds enum value `ctor` of enum type `ty` from `args`; the result is not rooted.
pub(crate) fn build<A: Args>(cx: &mut Cx<'_>, ty: u32, ctor: usize, args: A) -> Result<u64> {
    let (name, params) = constructor(cx, ty, ctor)?;
    let enum_name = cx.vm.type_name(ty);
    let full = || format!("{enum_name}.{name}");
    if args.count() != params.len() {
        return Err(Error::ArgumentCount { function: full(), expected: params.len(), given: args.count() });
    }
    let mark = cx.vm.temp_root_len();
    let mut buf = ArgBuf::new();
    let r = args.convert(cx, &params, &mut buf, &full);
    cx.vm.truncate_temp_roots(mark);
    r?;
    Ok(cx.vm.heap.alloc(Obj::Enum { ty, ctor: ctor as u32, params: buf.to_vec().into() }) as u64)
}

/// Index of constructor `name` (or the index itself, checked) of enum type `ty`.
pub(crate) fn constructor_index(cx: &Cx<'_>, ty: u32, which: EnumCtor<'_>) -> Result<usize> {
    let Some(Type::Enum(e)) = cx.vm.ty(ty) else { return Err(Error::Internal("not an enum type".into())) };
    let enum_name = cx.vm.type_name(ty);
    match which {
        EnumCtor::Index(i) if i < e.constructs.len() => Ok(i),
        EnumCtor::Index(i) => Err(Error::InvalidArgument(format!("{enum_name} has {} constructors, not {}", e.constructs.len(), i + 1))),
        EnumCtor::Name(n) => e
            .constructs
            .iter()
            .position(|c| cx.vm.string_constant(c.name) == Some(n))
            .ok_or_else(|| Error::FieldNotFound { class: enum_name, field: n.into() }),
    }
}

/// Which constructor of an enum: by name or by index (declaration order, from 0).
#[derive(Debug, Clone, Copy)]
pub enum EnumCtor<'a> {
    /// By name (`"Rgb"`).
    Name(&'a str),
    /// By index (`0` for the first constructor).
    Index(usize),
}

impl<'a> From<&'a str> for EnumCtor<'a> {
    fn from(n: &'a str) -> Self {
        EnumCtor::Name(n)
    }
}

impl From<usize> for EnumCtor<'_> {
    fn from(i: usize) -> Self {
        EnumCtor::Index(i)
    }
}

/// A Haxe enum value (`Color.Rgb(255, 0, 0)`).
#[derive(Clone)]
pub struct EnumValue(Value);

impl EnumValue {
    pub(crate) fn from_value(v: Value) -> EnumValue {
        EnumValue(v)
    }

    /// The value as a [`Value`].
    pub fn value(&self) -> &Value {
        &self.0
    }

    /// The enum's name with its package (`game.Color`).
    pub fn enum_name(&self) -> String {
        self.0.with(|cx, v| Ok(cx.vm.type_name(parts(cx, v)?.0))).unwrap_or_default()
    }

    /// The constructor's name (`Type.enumConstructor`).
    pub fn constructor(&self) -> String {
        self.0
            .with(|cx, v| {
                let (ty, c, _) = parts(cx, v)?;
                Ok(constructor(cx, ty, c)?.0)
            })
            .unwrap_or_default()
    }

    /// The constructor's index in declaration order (`Type.enumIndex`).
    pub fn index(&self) -> usize {
        self.0.with(|cx, v| Ok(parts(cx, v)?.1)).unwrap_or(0)
    }

    /// Number of parameters of the constructor.
    pub fn param_count(&self) -> usize {
        self.0.with(|cx, v| Ok(parts(cx, v)?.2.len())).unwrap_or(0)
    }

    /// Parameter `i` (`Type.enumParameters(e)[i]`).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when there is no parameter `i`; conversion errors.
    pub fn param<T: FromHl>(&self, i: usize) -> Result<T> {
        self.0.with(|cx, v| {
            let (ty, c, params) = parts(cx, v)?;
            let (name, tys) = constructor(cx, ty, c)?;
            let (Some(&p), Some(&t)) = (params.get(i), tys.get(i)) else {
                return Err(Error::InvalidArgument(format!("{name} has {} parameter(s), not {}", params.len(), i + 1)));
            };
            T::from_hl(cx, p, t).map_err(|e| e.at(|| format!("parameter {i} of {name}")))
        })
    }

    /// All parameters.
    pub fn params(&self) -> Result<Vec<Value>> {
        (0..self.param_count()).map(|i| self.param::<Value>(i)).collect()
    }
}

impl fmt::Debug for EnumValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EnumValue({:?})", self.0)
    }
}
