//! SLOTS: the boxed slices inside heap objects (instance fields, native array
//! elements, bytes), with a layout compiled code reads directly.

use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;

/// An owned, fixed-length slice — a `Box<[T]>` whose layout is guaranteed:
/// `#[repr(C, packed(4))] { ptr: *mut T, len: u32 }`, 12 bytes aligned to 4, so that a
/// heap table entry holding one after two `u32`s stays 24 bytes (`Box<[T]>`'s own field
/// order is not specified). Compiled code loads `ptr` (8 bytes, not always 8-aligned) and
/// `len` (a `u32`) at [`Slots::PTR`] and [`Slots::LEN`] to index it without calling into
/// the VM. A slice has at most `u32::MAX` elements (HashLink's sizes are `int`s).
#[repr(C, packed(4))]
pub struct Slots<T> {
    ptr: NonNull<T>,
    len: u32,
    _own: PhantomData<Box<[T]>>,
}

impl<T> Slots<T> {
    /// Byte offset of the data pointer.
    pub const PTR: usize = std::mem::offset_of!(Slots<u8>, ptr);
    /// Byte offset of the length (in elements).
    pub const LEN: usize = std::mem::offset_of!(Slots<u8>, len);

    /// Takes ownership of `b`.
    ///
    /// # Panics
    /// When `b` has more than `u32::MAX` elements.
    pub fn from_box(b: Box<[T]>) -> Slots<T> {
        let len = u32::try_from(b.len()).unwrap_or_else(|_| panic!("hlvm: a heap object of {} elements is too large (at most {})", b.len(), u32::MAX));
        // `Box::into_raw` never returns null (an empty box is dangling, not null).
        let ptr = NonNull::new(Box::into_raw(b) as *mut T).unwrap_or(NonNull::dangling());
        Slots { ptr, len, _own: PhantomData }
    }

    /// Gives the elements back as a box.
    pub fn into_box(self) -> Box<[T]> {
        let me = std::mem::ManuallyDrop::new(self);
        // SAFETY: `ptr`/`len` came from `Box::into_raw` of a `Box<[T]>` of that length
        // (`from_box`), and `me` is never used or dropped again.
        unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(me.ptr.as_ptr(), me.len as usize)) }
    }

    /// Changes the length, filling new elements with `v` (reallocates).
    pub fn resize(&mut self, n: usize, v: T)
    where
        T: Clone,
    {
        let old = std::mem::replace(self, Slots::from_box(Box::new([])));
        let mut vec = old.into_box().into_vec();
        vec.resize(n, v);
        *self = Slots::from(vec);
    }
}

impl<T> Drop for Slots<T> {
    fn drop(&mut self) {
        // SAFETY: as in `into_box`; this is the single owner.
        drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(self.ptr.as_ptr(), self.len as usize)) });
    }
}

impl<T> Deref for Slots<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        // SAFETY: `ptr` points to `len` initialised elements owned by `self`.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len as usize) }
    }
}

impl<T> DerefMut for Slots<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        // SAFETY: as in `deref`, borrowed mutably through `&mut self`.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len as usize) }
    }
}

impl<T> From<Vec<T>> for Slots<T> {
    fn from(v: Vec<T>) -> Slots<T> {
        Slots::from_box(v.into_boxed_slice())
    }
}

impl<T> From<Box<[T]>> for Slots<T> {
    fn from(b: Box<[T]>) -> Slots<T> {
        Slots::from_box(b)
    }
}

impl<'a, T> IntoIterator for &'a Slots<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T: Clone> Clone for Slots<T> {
    fn clone(&self) -> Slots<T> {
        Slots::from(self.to_vec())
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Slots<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl<T: PartialEq> PartialEq<Vec<T>> for Slots<T> {
    fn eq(&self, other: &Vec<T>) -> bool {
        **self == other[..]
    }
}

#[cfg(test)]
mod tests {
    use super::Slots;

    #[test]
    fn layout_and_ownership() {
        let mut s: Slots<u64> = vec![1, 2, 3].into();
        // The layout compiled code relies on.
        let raw = &s as *const Slots<u64> as *const u8;
        // SAFETY: reading the two words of a live `Slots`.
        let (p, n) = unsafe { ((raw.add(Slots::<u64>::PTR) as *const *const u64).read_unaligned(), *(raw.add(Slots::<u64>::LEN) as *const u32)) };
        assert_eq!((std::mem::size_of::<Slots<u64>>(), std::mem::align_of::<Slots<u64>>()), (12, 4));
        assert_eq!(n, 3);
        // SAFETY: `p` points to the 3 elements.
        assert_eq!(unsafe { *p.add(2) }, 3);
        s[1] = 7;
        s.resize(5, 9);
        assert_eq!(&s[..], &[1, 7, 3, 9, 9]);
        let e: Slots<u8> = Vec::new().into();
        assert!(e.is_empty());
        assert_eq!(s.clone().into_box().len(), 5);
    }
}
