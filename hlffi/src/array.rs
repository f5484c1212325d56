//! [`Array`]: a Haxe `Array`, read and written in place.
//!
//! HashLink stores `Array<Int>`, `Array<Float>` and `Array<Single>` as packed bytes
//! (`hl.types.ArrayBytes_*`), every other array as a `hl.types.ArrayObj` over a
//! `NativeArray<Dynamic>`, and `Array<Dynamic>` as a `hl.types.ArrayDyn` wrapping
//! one of those. `Array` handles all of them, and raw `hl.NativeArray` values too
//! (read and written in place; their length is fixed, so `push` and `clear` fail).

use std::fmt;
use std::marker::PhantomData;

use hlvm::code::Type;
use hlvm::gc::Obj;
use hlvm::value::*;

use crate::convert::{ArrayKind, Cx, FromHl, IntoHl};
use crate::value::Value;
use crate::{Error, Result};

/// Where an array's elements are.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Elems {
    /// `ArrayObj`: the instance, and the handle of its `NativeArray` (elements of type `elem`).
    Native { obj: u64, arr: u32, elem: u32 },
    /// `ArrayBytes_*`: the instance, the bytes slot, element type and width in bytes.
    Packed { obj: u64, block: u64, elem: u32, width: usize },
}

fn packed_elem(cx: &mut Cx<'_>, class: &str) -> Option<(u32, usize)> {
    Some(match class {
        "hl.types.ArrayBytes_Int" => (cx.p.i32, 4),
        "hl.types.ArrayBytes_Float" => (cx.p.f64, 8),
        "hl.types.ArrayBytes_Single" | "hl.types.ArrayBytes_hl_F32" => (cx.p.f32, 4),
        "hl.types.ArrayBytes_hl_UI8" => (cx.p.ui8, 1),
        "hl.types.ArrayBytes_hl_UI16" => (cx.p.ui16, 2),
        "hl.types.ArrayBytes_hl_I64" => (cx.p.i64, 8),
        _ => return None,
    })
}

fn int_field(cx: &Cx<'_>, obj: u64, ty: u32, name: &str) -> Option<(usize, u64)> {
    let (i, _) = cx.instance_field(ty, name)?;
    match cx.vm.heap.get(handle(obj)) {
        Some(Obj::Instance { fields, .. }) => Some((i, *fields.get(i)?)),
        _ => None,
    }
}

fn set_slot(cx: &mut Cx<'_>, obj: u64, i: usize, v: u64) {
    if let Some(Obj::Instance { fields, .. }) = cx.vm.heap.get_mut(handle(obj)) {
        if let Some(s) = fields.get_mut(i) {
            *s = v;
        }
    }
}

pub(crate) fn is_array(cx: &mut Cx<'_>, v: u64, ty: u32) -> bool {
    storage(cx, v, ty).is_ok()
}

/// The length and element storage of array value `v` (static type `ty`).
pub(crate) fn storage(cx: &mut Cx<'_>, v: u64, ty: u32) -> Result<(usize, Elems)> {
    let not_array = |cx: &mut Cx<'_>| {
        let actual = cx.value_type_name(v, ty);
        Err(crate::convert::mismatch("Array".into(), actual))
    };
    if v == 0 || !cx.vm.ty(ty).is_some_and(Type::is_ptr) {
        if v == 0 && cx.vm.ty(ty).is_some_and(Type::is_ptr) {
            return Err(crate::convert::null_value("Array".into()));
        }
        return not_array(cx);
    }
    let mut obj = cx.vm.virtual_base(v);
    // A raw `hl.NativeArray`: fixed length, no Haxe `Array` object around it.
    if let Some(Obj::Array { elem, data }) = cx.vm.heap.get(handle(obj)) {
        return Ok((data.len(), Elems::Native { obj: 0, arr: handle(obj), elem: *elem }));
    }
    for _ in 0..4 {
        let Some(Obj::Instance { ty: cls, .. }) = cx.vm.heap.get(handle(obj)) else { return not_array(cx) };
        let cls = *cls;
        let name = cx.vm.type_name(cls);
        if name == "hl.types.ArrayDyn" {
            match int_field(cx, obj, cls, "array") {
                Some((_, inner)) if inner != 0 => {
                    obj = inner;
                    continue;
                }
                _ => return not_array(cx),
            }
        }
        let Some((_, len)) = int_field(cx, obj, cls, "length") else { return not_array(cx) };
        let len = i32_of(len).max(0) as usize;
        if name == "hl.types.ArrayObj" {
            let Some((_, arr)) = int_field(cx, obj, cls, "array") else { return not_array(cx) };
            let elem = match cx.vm.heap.get(handle(arr)) {
                Some(Obj::Array { elem, data }) if data.len() >= len => *elem,
                _ => return not_array(cx),
            };
            return Ok((len, Elems::Native { obj, arr: handle(arr), elem }));
        }
        if let Some((elem, width)) = packed_elem(cx, &name) {
            let Some((_, block)) = int_field(cx, obj, cls, "bytes") else { return not_array(cx) };
            return Ok((len, Elems::Packed { obj, block, elem, width }));
        }
        return not_array(cx);
    }
    not_array(cx)
}

/// Element `i` of an array (no bounds check beyond the storage's): slot and type.
pub(crate) fn read(cx: &mut Cx<'_>, elems: &Elems, i: usize) -> Result<(u64, u32)> {
    let missing = || Error::InvalidArgument(format!("array element {i} is outside the array's storage"));
    match *elems {
        Elems::Native { arr, elem, .. } => match cx.vm.heap.get(arr) {
            Some(Obj::Array { data, .. }) => Ok((*data.get(i).ok_or_else(missing)?, elem)),
            _ => Err(missing()),
        },
        Elems::Packed { block, elem, width, .. } => {
            let (h, off) = bytes_ptr(block);
            let Some(Obj::Bytes(data)) = cx.vm.heap.get(h) else { return Err(missing()) };
            let start = off + i * width;
            let b = data.get(start..start + width).ok_or_else(missing)?;
            let mut raw = [0u8; 8];
            raw[..width].copy_from_slice(b);
            Ok((u64::from_le_bytes(raw), elem))
        }
    }
}

/// Writes element `i` (growing the array, Haxe-style, when `i >= len`).
fn write(cx: &mut Cx<'_>, len: usize, elems: &Elems, i: usize, value: impl IntoHl) -> Result<()> {
    let place = || format!("array element {i}");
    match *elems {
        Elems::Native { obj, arr, elem } => {
            if obj == 0 && i >= len {
                return Err(Error::InvalidArgument(format!("index {i} out of range: a NativeArray has a fixed length ({len})")));
            }
            let v = value.into_hl(cx, elem).map_err(|e| e.at(place))?;
            if let Some(Obj::Array { data, .. }) = cx.vm.heap.get_mut(arr) {
                if i >= data.len() {
                    let cap = (i + 1).max(data.len() * 2).max(4);
                    data.resize(cap, 0);
                }
                data[i] = v;
            }
            grow_length(cx, obj, len, i)
        }
        Elems::Packed { obj, block, elem, width } => {
            let v = value.into_hl(cx, elem).map_err(|e| e.at(place))?;
            let (h, off) = bytes_ptr(block);
            let mut new_cap = None;
            if let Some(Obj::Bytes(data)) = cx.vm.heap.get_mut(h) {
                let end = off + (i + 1) * width;
                if end > data.len() {
                    let cap_elems = (i + 1).max(len * 2).max(4);
                    data.resize(off + cap_elems * width, 0);
                    new_cap = Some(cap_elems);
                }
                data[off + i * width..end].copy_from_slice(&v.to_le_bytes()[..width]);
            }
            if let Some(cap) = new_cap {
                let cls = class_of(cx, obj);
                if let Some((si, _)) = cls.and_then(|c| cx.instance_field(c, "size")) {
                    set_slot(cx, obj, si, from_i32(cap as i32));
                }
            }
            grow_length(cx, obj, len, i)
        }
    }
}

fn class_of(cx: &Cx<'_>, obj: u64) -> Option<u32> {
    match cx.vm.heap.get(handle(obj)) {
        Some(Obj::Instance { ty, .. }) => Some(*ty),
        _ => None,
    }
}

fn grow_length(cx: &mut Cx<'_>, obj: u64, len: usize, i: usize) -> Result<()> {
    if i >= len && obj != 0 {
        let cls = class_of(cx, obj).ok_or_else(|| Error::Internal("array without class".into()))?;
        let (li, _) = cx.instance_field(cls, "length").ok_or_else(|| Error::Internal("array without length".into()))?;
        set_slot(cx, obj, li, from_i32((i + 1) as i32));
    }
    Ok(())
}

/// Builds a new Haxe array of `kind` from `items`; the result is not rooted.
pub(crate) fn build<T: IntoHl>(cx: &mut Cx<'_>, kind: ArrayKind, items: impl IntoIterator<Item = T>) -> Result<u64> {
    let class = cx.class(kind.class_name()).ok_or_else(|| Error::TypeNotFound(kind.class_name().into()))?;
    let obj = cx.vm.new_object(class).map_err(|e| cx.exc(e))?;
    let mark = cx.vm.temp_root_len();
    cx.vm.push_temp_root(obj);
    let r = fill(cx, kind, class, obj, items);
    cx.vm.truncate_temp_roots(mark);
    r.map(|()| obj)
}

fn fill<T: IntoHl>(cx: &mut Cx<'_>, kind: ArrayKind, class: u32, obj: u64, items: impl IntoIterator<Item = T>) -> Result<()> {
    let missing = |f: &str| Error::Internal(format!("{} has no field {f}", kind.class_name()));
    let (li, _) = cx.instance_field(class, "length").ok_or_else(|| missing("length"))?;
    let elems = if kind == ArrayKind::Dynamic {
        let (ai, _) = cx.instance_field(class, "array").ok_or_else(|| missing("array"))?;
        let elem = cx.p.dyn_;
        let arr = cx.vm.heap.alloc(Obj::Array { elem, data: Vec::new().into() });
        set_slot(cx, obj, ai, arr as u64);
        Elems::Native { obj, arr, elem }
    } else {
        let name = kind.class_name();
        let (elem, width) = packed_elem(cx, name).ok_or_else(|| missing("bytes"))?;
        let (bi, _) = cx.instance_field(class, "bytes").ok_or_else(|| missing("bytes"))?;
        let block = make_bytes(cx.vm.heap.alloc(Obj::Bytes(Vec::new().into())), 0);
        set_slot(cx, obj, bi, block);
        Elems::Packed { obj, block, elem, width }
    };
    set_slot(cx, obj, li, 0);
    for (i, item) in items.into_iter().enumerate() {
        write(cx, i, &elems, i, item)?;
    }
    Ok(())
}

/// A Haxe `Array` (any element type). Reads and writes go to the Haxe array itself:
/// changes are visible to Haxe code holding the same array.
#[derive(Clone)]
pub struct Array(Value);

impl Array {
    pub(crate) fn from_value(v: Value) -> Array {
        Array(v)
    }

    /// The array as a [`Value`].
    pub fn value(&self) -> &Value {
        &self.0
    }

    fn with_storage<R>(&self, f: impl FnOnce(&mut Cx<'_>, usize, Elems) -> Result<R>) -> Result<R> {
        self.0.with(|cx, v| {
            let (len, elems) = storage(cx, v, self.0.ty())?;
            f(cx, len, elems)
        })
    }

    /// Number of elements (`array.length`).
    pub fn len(&self) -> usize {
        self.with_storage(|_, len, _| Ok(len)).unwrap_or(0)
    }

    /// True when the array has no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The element type's storage: [`ArrayKind::Int`], `Float`, `Single`, or `Dynamic`.
    pub fn kind(&self) -> ArrayKind {
        self.with_storage(|cx, _, e| {
            Ok(match e {
                Elems::Native { .. } => ArrayKind::Dynamic,
                Elems::Packed { elem, .. } if elem == cx.p.i32 => ArrayKind::Int,
                Elems::Packed { elem, .. } if elem == cx.p.f64 => ArrayKind::Float,
                Elems::Packed { elem, .. } if elem == cx.p.f32 => ArrayKind::Single,
                Elems::Packed { .. } => ArrayKind::Dynamic,
            })
        })
        .unwrap_or(ArrayKind::Dynamic)
    }

    /// Element `index`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when `index >= len()`; conversion errors.
    pub fn get<T: FromHl>(&self, index: usize) -> Result<T> {
        self.with_storage(|cx, len, e| {
            if index >= len {
                return Err(Error::InvalidArgument(format!("index {index} out of range (length {len})")));
            }
            let (v, t) = read(cx, &e, index)?;
            T::from_hl(cx, v, t).map_err(|er| er.at(|| format!("array element {index}")))
        })
    }

    /// Sets element `index`; like Haxe, an index at or past the end grows the array
    /// (elements in between are `null`/0).
    ///
    /// # Errors
    /// [`Error::TypeMismatch`] when `value` does not fit the element type.
    pub fn set(&self, index: usize, value: impl IntoHl) -> Result<()> {
        if index > i32::MAX as usize - 1 {
            return Err(Error::InvalidArgument(format!("index {index} out of range")));
        }
        self.with_storage(|cx, len, e| write(cx, len, &e, index, value))
    }

    /// Appends an element (`array.push(value)`); returns the new length.
    ///
    /// # Errors
    /// As [`Array::set`].
    pub fn push(&self, value: impl IntoHl) -> Result<usize> {
        self.with_storage(|cx, len, e| write(cx, len, &e, len, value).map(|()| len + 1))
    }

    /// Removes every element (`array.resize(0)`).
    pub fn clear(&self) -> Result<()> {
        self.with_storage(|cx, _, e| {
            let obj = match e {
                Elems::Native { obj: 0, .. } => {
                    return Err(Error::InvalidArgument("a NativeArray has a fixed length".into()));
                }
                Elems::Native { obj, arr, .. } => {
                    if let Some(Obj::Array { data, .. }) = cx.vm.heap.get_mut(arr) {
                        data.iter_mut().for_each(|s| *s = 0);
                    }
                    obj
                }
                Elems::Packed { obj, .. } => obj,
            };
            let cls = class_of(cx, obj).ok_or_else(|| Error::Internal("array without class".into()))?;
            if let Some((li, _)) = cx.instance_field(cls, "length") {
                set_slot(cx, obj, li, 0);
            }
            Ok(())
        })
    }

    /// Copies the elements into a `Vec`.
    ///
    /// # Errors
    /// The first element that does not convert to `T`.
    pub fn to_vec<T: FromHl>(&self) -> Result<Vec<T>> {
        self.0.get::<Vec<T>>()
    }

    /// Iterates over the elements, converting each to `T` as it goes. The array may
    /// change while iterating (Haxe semantics: the length is read at each step).
    pub fn iter<T: FromHl>(&self) -> ArrayIter<'_, T> {
        ArrayIter { array: self, next: 0, _t: PhantomData }
    }

    /// Runs `f` on the elements of an `Array<Int>` in place, without copying.
    ///
    /// # Errors
    /// [`Error::TypeMismatch`] when this is not an `Array<Int>`.
    pub fn with_i32_slice<R>(&self, f: impl FnOnce(&[i32]) -> R) -> Result<R> {
        self.with_packed(ArrayKind::Int, |b| match bytemuck::try_cast_slice::<u8, i32>(b) {
            Ok(s) => f(s),
            Err(_) => f(&b.chunks_exact(4).map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect::<Vec<_>>()),
        })
    }

    /// Runs `f` on the elements of an `Array<Float>` in place, without copying.
    ///
    /// # Errors
    /// [`Error::TypeMismatch`] when this is not an `Array<Float>`.
    pub fn with_f64_slice<R>(&self, f: impl FnOnce(&[f64]) -> R) -> Result<R> {
        self.with_packed(ArrayKind::Float, |b| match bytemuck::try_cast_slice::<u8, f64>(b) {
            Ok(s) => f(s),
            Err(_) => f(&b.chunks_exact(8).map(|c| f64::from_le_bytes(c.try_into().unwrap_or([0; 8]))).collect::<Vec<_>>()),
        })
    }

    /// Runs `f` on the raw little-endian bytes of a packed array (`Array<Int>`,
    /// `Array<Float>`, `Array<Single>`), mutably and without copying: the
    /// bytes are the array's storage, `len() * element size` of them.
    ///
    /// # Errors
    /// [`Error::TypeMismatch`] for arrays of other element types.
    pub fn with_bytes_mut<R>(&self, f: impl FnOnce(&mut [u8]) -> R) -> Result<R> {
        self.with_storage(|cx, len, e| match e {
            Elems::Packed { block, width, .. } => {
                let (h, off) = bytes_ptr(block);
                match cx.vm.heap.get_mut(h) {
                    Some(Obj::Bytes(data)) => {
                        let b = data.get_mut(off..off + len * width).ok_or_else(|| Error::Internal("array storage too small".into()))?;
                        Ok(f(b))
                    }
                    _ => Err(Error::Internal("array storage missing".into())),
                }
            }
            Elems::Native { .. } => Err(crate::convert::mismatch("a packed array (Array<Int>/Array<Float>)".into(), "Array".into())),
        })
    }

    fn with_packed<R>(&self, kind: ArrayKind, f: impl FnOnce(&[u8]) -> R) -> Result<R> {
        let actual = self.kind();
        if actual != kind {
            let name = |k: ArrayKind| match k {
                ArrayKind::Int => "Array<Int>",
                ArrayKind::Float => "Array<Float>",
                ArrayKind::Single => "Array<Single>",
                ArrayKind::Dynamic => "Array",
            };
            return Err(Error::TypeMismatch { what: "array".into(), expected: name(kind).into(), actual: name(actual).into() });
        }
        self.with_bytes_mut(|b| f(b))
    }
}

/// Iterator over an [`Array`]'s elements ([`Array::iter`]).
pub struct ArrayIter<'a, T> {
    array: &'a Array,
    next: usize,
    _t: PhantomData<fn() -> T>,
}

impl<T: FromHl> Iterator for ArrayIter<'_, T> {
    type Item = Result<T>;
    fn next(&mut self) -> Option<Result<T>> {
        if self.next >= self.array.len() {
            return None;
        }
        self.next += 1;
        Some(self.array.get(self.next - 1))
    }
}

impl fmt::Debug for Array {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Array({:?})", self.0)
    }
}
