//! [`Bytes`]: a `haxe.io.Bytes`, with zero-copy access to its contents.

use std::fmt;

use hlvm::gc::Obj;
use hlvm::value::*;

use crate::convert::Cx;
use crate::value::Value;
use crate::{Error, Result};

/// The class's `b` (hl.Bytes) and `length` fields: (bytes slot, length).
fn parts(cx: &mut Cx<'_>, v: u64) -> Option<(u64, usize)> {
    let base = cx.vm.virtual_base(v);
    let Some(Obj::Instance { ty, fields }) = cx.vm.heap.get(handle(base)) else { return None };
    if cx.vm.type_name(*ty) != "haxe.io.Bytes" {
        return None;
    }
    let (bi, _) = cx.instance_field(*ty, "b")?;
    let (li, _) = cx.instance_field(*ty, "length")?;
    Some((*fields.get(bi)?, i32_of(*fields.get(li)?).max(0) as usize))
}

pub(crate) fn is_bytes(cx: &mut Cx<'_>, v: u64, _ty: u32) -> bool {
    v != 0 && parts(cx, v).is_some()
}

/// Builds a `haxe.io.Bytes` holding a copy of `data`; the result is not rooted.
pub(crate) fn build(cx: &mut Cx<'_>, data: &[u8]) -> Result<u64> {
    let class = cx.class("haxe.io.Bytes").ok_or_else(|| Error::TypeNotFound("haxe.io.Bytes".into()))?;
    let (bi, _) = cx.instance_field(class, "b").ok_or_else(|| Error::Internal("haxe.io.Bytes has no field b".into()))?;
    let (li, _) = cx.instance_field(class, "length").ok_or_else(|| Error::Internal("haxe.io.Bytes has no field length".into()))?;
    let len = i32::try_from(data.len()).map_err(|_| Error::InvalidArgument("bytes longer than 2 GiB".into()))?;
    let block = cx.vm.heap.alloc(Obj::Bytes(data.to_vec().into()));
    let obj = cx.vm.new_object(class).map_err(|e| cx.exc(e))?;
    if let Some(Obj::Instance { fields, .. }) = cx.vm.heap.get_mut(handle(obj)) {
        fields[bi] = make_bytes(block, 0);
        fields[li] = from_i32(len);
    }
    Ok(obj)
}

/// A `haxe.io.Bytes` buffer. Access is zero-copy: [`Bytes::with_slice`] and
/// [`Bytes::with_slice_mut`] see the buffer Haxe code sees.
#[derive(Clone)]
pub struct Bytes(Value);

impl Bytes {
    pub(crate) fn from_value(v: Value) -> Bytes {
        Bytes(v)
    }

    /// The buffer as a [`Value`].
    pub fn value(&self) -> &Value {
        &self.0
    }

    /// Runs `f` on the contents, mutably and without copying.
    ///
    /// # Errors
    /// [`Error::Internal`] if the buffer's storage is inconsistent.
    pub fn with_slice_mut<R>(&self, f: impl FnOnce(&mut [u8]) -> R) -> Result<R> {
        self.0.with(|cx, v| {
            let (b, len) = parts(cx, v).ok_or_else(|| Error::Internal("not a haxe.io.Bytes".into()))?;
            let (h, off) = bytes_ptr(b);
            match cx.vm.heap.get_mut(h) {
                Some(Obj::Bytes(data)) => {
                    let s = data.get_mut(off..off + len).ok_or_else(|| Error::Internal("bytes storage too small".into()))?;
                    Ok(f(s))
                }
                _ => Err(Error::Internal("bytes storage missing".into())),
            }
        })
    }

    /// Runs `f` on the contents without copying.
    pub fn with_slice<R>(&self, f: impl FnOnce(&[u8]) -> R) -> Result<R> {
        self.with_slice_mut(|s| f(s))
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.with_slice(|s| s.len()).unwrap_or(0)
    }

    /// True for an empty buffer.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A copy of the contents.
    pub fn to_vec(&self) -> Result<Vec<u8>> {
        self.with_slice(|s| s.to_vec())
    }

    /// Byte `index`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when `index >= len()`.
    pub fn get(&self, index: usize) -> Result<u8> {
        self.with_slice(|s| s.get(index).copied())?
            .ok_or_else(|| Error::InvalidArgument(format!("index {index} out of range (length {})", self.len())))
    }

    /// Sets byte `index`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when `index >= len()`.
    pub fn set(&self, index: usize, byte: u8) -> Result<()> {
        let ok = self.with_slice_mut(|s| s.get_mut(index).map(|b| *b = byte).is_some())?;
        if ok {
            Ok(())
        } else {
            Err(Error::InvalidArgument(format!("index {index} out of range (length {})", self.len())))
        }
    }
}

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bytes({} bytes)", self.len())
    }
}
