//! [`Map`]: a Haxe `Map` (`haxe.ds.StringMap`, `IntMap` or `ObjectMap`), read and
//! written in place.

use std::fmt;

use hlvm::gc::{bytesmap, NativeObj, Obj};
use hlvm::value::*;

use crate::convert::{Cx, FromHl, IntoHl};
use crate::value::Value;
use crate::{Error, Result};

/// The key type of a Haxe map, which decides its class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapKind {
    /// `Map<String, V>`: `haxe.ds.StringMap`.
    String,
    /// `Map<Int, V>`: `haxe.ds.IntMap`.
    Int,
    /// `Map<{object}, V>`: `haxe.ds.ObjectMap` (keys compared by identity).
    Object,
}

impl MapKind {
    /// HashLink's class for maps of this kind.
    pub fn class_name(self) -> &'static str {
        match self {
            MapKind::String => "haxe.ds.StringMap",
            MapKind::Int => "haxe.ds.IntMap",
            MapKind::Object => "haxe.ds.ObjectMap",
        }
    }
}

/// The map's kind and the handle of its native table (`h` field).
pub(crate) fn native(cx: &mut Cx<'_>, v: u64, ty: u32) -> Result<(MapKind, u32)> {
    let not_map = |cx: &mut Cx<'_>| {
        let actual = cx.value_type_name(v, ty);
        Err(crate::convert::mismatch("Map".into(), actual))
    };
    if v == 0 {
        return Err(crate::convert::null_value("Map".into()));
    }
    let base = cx.vm.virtual_base(v);
    let Some(Obj::Instance { ty: cls, fields }) = cx.vm.heap.get(handle(base)) else { return not_map(cx) };
    let cls = *cls;
    let kind = match cx.vm.type_name(cls).as_str() {
        "haxe.ds.StringMap" => MapKind::String,
        "haxe.ds.IntMap" => MapKind::Int,
        "haxe.ds.ObjectMap" => MapKind::Object,
        _ => return not_map(cx),
    };
    let Some(h) = cx.instance_field(cls, "h").and_then(|(i, _)| fields.get(i).copied()) else { return not_map(cx) };
    let ok = matches!(
        (kind, cx.vm.heap.get(handle(h))),
        (MapKind::String, Some(Obj::Native(NativeObj::BytesMap(_))))
            | (MapKind::Int, Some(Obj::Native(NativeObj::IntMap(_))))
            | (MapKind::Object, Some(Obj::Native(NativeObj::ObjMap(_))))
    );
    if !ok {
        return not_map(cx);
    }
    Ok((kind, handle(h)))
}

pub(crate) fn is_map(cx: &mut Cx<'_>, v: u64, ty: u32) -> bool {
    native(cx, v, ty).is_ok()
}

/// A key converted for the native table.
enum Key {
    Str(Vec<u16>),
    Int(i32),
    Obj(u64),
}

fn key_of(cx: &mut Cx<'_>, kind: MapKind, key: impl IntoHl) -> Result<Key> {
    let place = || "map key".to_string();
    Ok(match kind {
        MapKind::String => {
            let st = cx.p.string.ok_or_else(|| Error::TypeNotFound("String".into()))?;
            let s = key.into_hl(cx, st).map_err(|e| e.at(place))?;
            if s == 0 {
                return Err(Error::NullValue { what: place(), expected: "String".into() });
            }
            Key::Str(cx.vm.string_units(s).unwrap_or_default())
        }
        MapKind::Int => Key::Int(i32_of(key.into_hl(cx, cx.p.i32).map_err(|e| e.at(place))?)),
        MapKind::Object => {
            let o = key.into_hl(cx, cx.p.dyn_).map_err(|e| e.at(place))?;
            if o == 0 {
                return Err(Error::NullValue { what: place(), expected: "an object".into() });
            }
            Key::Obj(o)
        }
    })
}

fn lookup(cx: &Cx<'_>, h: u32, key: &Key) -> Option<u64> {
    match (cx.vm.heap.get(h)?, key) {
        (Obj::Native(NativeObj::BytesMap(m)), Key::Str(k)) => m.value_at(find_str(cx, h, k)?).copied(),
        (Obj::Native(NativeObj::IntMap(m)), Key::Int(k)) => m.get(k).copied(),
        (Obj::Native(NativeObj::ObjMap(m)), Key::Obj(k)) => m.get(&handle(*k)).map(|&(_, v)| v),
        _ => None,
    }
}

/// The slot of string map `h`'s entry for `units`, if any.
fn find_str(cx: &Cx<'_>, h: u32, units: &[u16]) -> Option<usize> {
    let Some(Obj::Native(NativeObj::BytesMap(m))) = cx.vm.heap.get(h) else { return None };
    let text = bytesmap::units_text(units);
    bytesmap::find_text(m, &cx.vm.heap, bytesmap::key_hash(&text), &text)
}

fn insert(cx: &mut Cx<'_>, h: u32, key: Key, v: u64) {
    if let Key::Str(k) = &key {
        // A new key is a bytes block of its own, as a Haxe `StringMap.set` would pass.
        let at = match find_str(cx, h, k) {
            Some(i) => hlvm::gc::SetAt::Existing(i),
            None => {
                let p = cx.vm.alloc_utf16(k);
                let Some(Obj::Native(NativeObj::BytesMap(m))) = cx.vm.heap.get(h) else { return };
                let Some(at) = bytesmap::set_at(m, &cx.vm.heap, p) else { return };
                at
            }
        };
        if let Some(Obj::Native(NativeObj::BytesMap(m))) = cx.vm.heap.get_mut(h) {
            at.apply(m, v);
        }
        return;
    }
    match (cx.vm.heap.get_mut(h), key) {
        (Some(Obj::Native(NativeObj::IntMap(m))), Key::Int(k)) => {
            m.insert(k, v);
        }
        (Some(Obj::Native(NativeObj::ObjMap(m))), Key::Obj(k)) => {
            m.insert(handle(k), (k, v));
        }
        _ => {}
    }
}

/// Every entry as ((key slot, key type), (value slot, value type)); string keys are
/// allocated as Haxe strings.
pub(crate) fn entries(cx: &mut Cx<'_>, v: u64, ty: u32) -> Result<Vec<((u64, u32), (u64, u32))>> {
    let (_, h) = native(cx, v, ty)?;
    let d = cx.p.dyn_;
    let raw: Vec<(Key, u64)> = match cx.vm.heap.get(h) {
        Some(Obj::Native(NativeObj::BytesMap(m))) => m
            .iter()
            .map(|(k, &v)| (Key::Str(cx.vm.read_utf16_z(k.slot()).unwrap_or_default()), v))
            .collect(),
        Some(Obj::Native(NativeObj::IntMap(m))) => m.iter().map(|(&k, &v)| (Key::Int(k), v)).collect(),
        Some(Obj::Native(NativeObj::ObjMap(m))) => m.values().map(|&(k, v)| (Key::Obj(k), v)).collect(),
        _ => Vec::new(),
    };
    let mut out = Vec::with_capacity(raw.len());
    for (k, val) in raw {
        let key = match k {
            Key::Str(units) => {
                let st = cx.p.string.ok_or_else(|| Error::TypeNotFound("String".into()))?;
                (cx.vm.alloc_string_utf16(&units).map_err(|e| cx.exc(e))?, st)
            }
            Key::Int(i) => (from_i32(i), cx.p.i32),
            Key::Obj(o) => (o, d),
        };
        out.push((key, (val, d)));
    }
    Ok(out)
}

/// Builds a new map of `kind` from `items`; the result is not rooted.
pub(crate) fn build<K: IntoHl, V: IntoHl>(cx: &mut Cx<'_>, kind: MapKind, items: impl IntoIterator<Item = (K, V)>) -> Result<u64> {
    let class = cx.class(kind.class_name()).ok_or_else(|| Error::TypeNotFound(kind.class_name().into()))?;
    let (hi, _) = cx.instance_field(class, "h").ok_or_else(|| Error::Internal(format!("{} has no field h", kind.class_name())))?;
    let table = match kind {
        MapKind::String => NativeObj::BytesMap(Box::default()),
        MapKind::Int => NativeObj::IntMap(Box::default()),
        MapKind::Object => NativeObj::ObjMap(Box::default()),
    };
    let h = cx.vm.heap.alloc(Obj::Native(table));
    let obj = cx.vm.new_object(class).map_err(|e| cx.exc(e))?;
    if let Some(Obj::Instance { fields, .. }) = cx.vm.heap.get_mut(handle(obj)) {
        fields[hi] = h as u64;
    }
    let mark = cx.vm.temp_root_len();
    cx.vm.push_temp_root(obj);
    let r = (|| {
        for (k, v) in items {
            let key = key_of(cx, kind, k)?;
            let val = v.into_hl(cx, cx.p.dyn_).map_err(|e| e.at(|| "map value".into()))?;
            insert(cx, h, key, val);
        }
        Ok(())
    })();
    cx.vm.truncate_temp_roots(mark);
    r.map(|()| obj)
}

/// A Haxe `Map`. Reads and writes go to the Haxe map itself.
#[derive(Clone)]
pub struct Map(Value);

impl Map {
    pub(crate) fn from_value(v: Value) -> Map {
        Map(v)
    }

    /// The map as a [`Value`].
    pub fn value(&self) -> &Value {
        &self.0
    }

    fn with_native<R>(&self, f: impl FnOnce(&mut Cx<'_>, MapKind, u32) -> Result<R>) -> Result<R> {
        self.0.with(|cx, v| {
            let (kind, h) = native(cx, v, self.0.ty())?;
            f(cx, kind, h)
        })
    }

    /// The key type.
    pub fn kind(&self) -> Result<MapKind> {
        self.with_native(|_, k, _| Ok(k))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.with_native(|cx, _, h| {
            Ok(match cx.vm.heap.get(h) {
                Some(Obj::Native(NativeObj::BytesMap(m))) => m.len(),
                Some(Obj::Native(NativeObj::IntMap(m))) => m.len(),
                Some(Obj::Native(NativeObj::ObjMap(m))) => m.len(),
                _ => 0,
            })
        })
        .unwrap_or(0)
    }

    /// True when the map has no entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value for `key`, or `None` when the key is absent (`map.get(key)`; a
    /// present `null` value reads as `None` too when `V` is an `Option`).
    ///
    /// # Errors
    /// [`Error::TypeMismatch`] when the key or value has the wrong type.
    pub fn get<V: FromHl>(&self, key: impl IntoHl) -> Result<Option<V>> {
        self.with_native(|cx, kind, h| {
            let key = key_of(cx, kind, key)?;
            match lookup(cx, h, &key) {
                Some(v) => V::from_hl(cx, v, cx.p.dyn_).map(Some).map_err(|e| e.at(|| "map value".into())),
                None => Ok(None),
            }
        })
    }

    /// Sets `key` to `value` (`map.set(key, value)`).
    ///
    /// # Errors
    /// [`Error::TypeMismatch`] / [`Error::NullValue`] for a key of the wrong type.
    pub fn set(&self, key: impl IntoHl, value: impl IntoHl) -> Result<()> {
        self.with_native(|cx, kind, h| {
            let key = key_of(cx, kind, key)?;
            let v = value.into_hl(cx, cx.p.dyn_).map_err(|e| e.at(|| "map value".into()))?;
            insert(cx, h, key, v);
            Ok(())
        })
    }

    /// Whether `key` is present (`map.exists(key)`).
    pub fn exists(&self, key: impl IntoHl) -> Result<bool> {
        self.with_native(|cx, kind, h| {
            let key = key_of(cx, kind, key)?;
            Ok(lookup(cx, h, &key).is_some())
        })
    }

    /// Removes `key`; returns whether it was present (`map.remove(key)`).
    pub fn remove(&self, key: impl IntoHl) -> Result<bool> {
        self.with_native(|cx, kind, h| {
            let key = key_of(cx, kind, key)?;
            let found = match &key {
                Key::Str(k) => find_str(cx, h, k),
                _ => None,
            };
            Ok(match (cx.vm.heap.get_mut(h), key) {
                (Some(Obj::Native(NativeObj::BytesMap(m))), Key::Str(_)) => found.and_then(|i| m.remove_at(i)).is_some(),
                (Some(Obj::Native(NativeObj::IntMap(m))), Key::Int(k)) => m.remove(&k).is_some(),
                (Some(Obj::Native(NativeObj::ObjMap(m))), Key::Obj(k)) => m.remove(&handle(k)).is_some(),
                _ => false,
            })
        })
    }

    /// Removes every entry (`map.clear()`).
    pub fn clear(&self) -> Result<()> {
        self.with_native(|cx, _, h| {
            match cx.vm.heap.get_mut(h) {
                Some(Obj::Native(NativeObj::BytesMap(m))) => m.clear(),
                Some(Obj::Native(NativeObj::IntMap(m))) => m.clear(),
                Some(Obj::Native(NativeObj::ObjMap(m))) => m.clear(),
                _ => {}
            }
            Ok(())
        })
    }

    /// The keys (in no particular order).
    pub fn keys<K: FromHl>(&self) -> Result<Vec<K>> {
        Ok(self.entries::<K, Value>()?.into_iter().map(|(k, _)| k).collect())
    }

    /// The values (in the order of [`Map::keys`]).
    pub fn values<V: FromHl>(&self) -> Result<Vec<V>> {
        Ok(self.entries::<Value, V>()?.into_iter().map(|(_, v)| v).collect())
    }

    /// The entries as `(key, value)` pairs (in no particular order).
    pub fn entries<K: FromHl, V: FromHl>(&self) -> Result<Vec<(K, V)>> {
        self.0.with(|cx, v| {
            let raw = entries(cx, v, self.0.ty())?;
            let mut out = Vec::with_capacity(raw.len());
            for ((kv, kt), (vv, vt)) in raw {
                let k = K::from_hl(cx, kv, kt).map_err(|e| e.at(|| "map key".into()))?;
                let val = V::from_hl(cx, vv, vt).map_err(|e| e.at(|| "map value".into()))?;
                out.push((k, val));
            }
            Ok(out)
        })
    }
}

impl fmt::Debug for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Map({:?})", self.0)
    }
}
