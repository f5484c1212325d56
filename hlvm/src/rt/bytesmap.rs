//! [`BytesKey`]: the key of a `String` map (`hl_bytes_map`, behind `haxe.ds.StringMap`),
//! and the lookups that compare such keys through the heap.
//!
//! A key is the `hl.Bytes` pointer the program set it with, not a copy of its characters,
//! as in HashLink, whose table stores the pointer: `keys()` gives back those very blocks,
//! and a map costs no allocation per key. The key's text is its UTF-16 units up to the
//! first 0 unit (or the end of the block), as HashLink reads it; the block stays alive as
//! long as the map holds it (the collector traces keys, `rt::gc`). Measured on
//! `shared/bench/maps` (150,000 `String` keys): one 24-byte slot per entry instead of a
//! 32-byte slot and a separate copy of the key.

use std::num::NonZeroU64;

use super::MapTable;
use crate::gc::{Heap, Obj};
use crate::value::bytes_ptr;

/// A `String` map key: a `Bytes` slot (register format: block handle, byte offset), never
/// null. Its text is read from the heap ([`key_text`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct BytesKey(NonZeroU64);

impl BytesKey {
    /// The `Bytes` slot (a reference the collector must trace).
    pub fn slot(self) -> u64 {
        self.0.get()
    }
}

/// The table of a `String` map.
pub type BytesMap = MapTable<BytesKey>;

/// The text of the key at `Bytes` slot `p` (and of any 0-terminated string there:
/// [`crate::Vm::read_utf16_z`] decodes it): its UTF-16 units, little-endian, up to the
/// first 0 unit or the block's end (an odd last byte is left out). `None` when `p` is
/// null or not a bytes block, or its offset lies past the block's end.
pub fn key_text(heap: &Heap, p: u64) -> Option<&[u8]> {
    let (h, off) = bytes_ptr(p);
    let Obj::Bytes(data) = heap.get(h)? else { return None };
    let s = data.get(off..)?;
    let n = s.chunks_exact(2).position(|c| c == [0, 0]).unwrap_or(s.len() / 2);
    Some(&s[..n * 2])
}

/// HashLink's hash of a key's text (as [`key_text`] gives it), unsigned.
pub fn key_hash(text: &[u8]) -> u32 {
    crate::stdlib::text::hash_units(text.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]]))) as u32
}

/// The text of UTF-16 `units` as [`key_text`] gives it (for keys that come from the host).
pub fn units_text(units: &[u16]) -> Vec<u8> {
    let n = units.iter().position(|&u| u == 0).unwrap_or(units.len());
    units[..n].iter().flat_map(|u| u.to_le_bytes()).collect()
}

/// The slot of `map`'s entry whose key reads as `text` (hashed `hash`).
pub fn find_text(map: &BytesMap, heap: &Heap, hash: u32, text: &[u8]) -> Option<usize> {
    map.find_with(hash, |k| key_text(heap, k.slot()) == Some(text))
}

/// Where setting a key in a map goes ([`set_at`]).
pub enum SetAt {
    /// A key with the same text is there, in this slot: HashLink keeps that key and
    /// replaces the value.
    Existing(usize),
    /// A new key, with its hash, for [`MapTable::insert_new`].
    New(u32, BytesKey),
}

impl SetAt {
    /// Sets the value there (adding the key if it is new).
    pub fn apply(self, map: &mut BytesMap, value: u64) {
        match self {
            SetAt::Existing(i) => {
                if let Some(v) = map.value_at_mut(i) {
                    *v = value;
                }
            }
            SetAt::New(hash, key) => map.insert_new(hash, key, value),
        }
    }
}

/// Where setting key `p` in `map` goes; `None` when `p` is not a key (null, or not a
/// bytes block).
pub fn set_at(map: &BytesMap, heap: &Heap, p: u64) -> Option<SetAt> {
    let text = key_text(heap, p)?;
    let hash = key_hash(text);
    Some(match find_text(map, heap, hash, text) {
        Some(i) => SetAt::Existing(i),
        // `key_text` found a block: its handle, the slot's low half, is not 0.
        None => SetAt::New(hash, BytesKey(NonZeroU64::new(p)?)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::make_bytes;

    fn utf16z(s: &str) -> Vec<u8> {
        s.encode_utf16().chain([0]).flat_map(|u| u.to_le_bytes()).collect()
    }

    #[test]
    fn key_text_reads_to_the_first_nul() {
        let mut heap = Heap::new();
        let b = heap.alloc(Obj::Bytes(utf16z("ab\0cd").into()));
        assert_eq!(key_text(&heap, make_bytes(b, 0)), Some(&utf16z("ab")[..4]));
        // At an offset: the units from there.
        assert_eq!(key_text(&heap, make_bytes(b, 6)), Some(&utf16z("cd")[..4]));
        // No terminator: to the end, without an odd last byte.
        let c = heap.alloc(Obj::Bytes(vec![b'x', 0, b'y'].into()));
        assert_eq!(key_text(&heap, make_bytes(c, 0)), Some(&[b'x', 0][..]));
        // Null, past the end, not bytes.
        assert_eq!(key_text(&heap, 0), None);
        assert_eq!(key_text(&heap, make_bytes(c, 4)), None);
        let d = heap.alloc(Obj::Dyn { ty: 0, val: 0 });
        assert_eq!(key_text(&heap, make_bytes(d, 0)), None);
        assert_eq!(units_text(&[u16::from(b'a'), 0, u16::from(b'b')]), vec![b'a', 0]);
    }

    #[test]
    fn keys_with_one_text_are_one_entry() {
        let mut heap = Heap::new();
        let k1 = make_bytes(heap.alloc(Obj::Bytes(utf16z("key").into())), 0);
        let k2 = make_bytes(heap.alloc(Obj::Bytes(utf16z("key\0other").into())), 0);
        let k3 = make_bytes(heap.alloc(Obj::Bytes(utf16z("yek").into())), 0);
        let mut map = BytesMap::default();
        for (k, v) in [(k1, 1), (k2, 2), (k3, 3)] {
            let Some(at) = set_at(&map, &heap, k) else { panic!("a key") };
            at.apply(&mut map, v);
        }
        // "key\0other" reads as "key": it replaced the value and kept the first key.
        assert_eq!(map.len(), 2);
        let keys: Vec<u64> = map.keys().map(|k| k.slot()).collect();
        assert!(keys.contains(&k1) && keys.contains(&k3) && !keys.contains(&k2));
        let text = units_text(&"key".encode_utf16().collect::<Vec<_>>());
        let i = find_text(&map, &heap, key_hash(&text), &text);
        assert_eq!(i.and_then(|i| map.value_at(i)), Some(&2));
        assert_eq!(i.and_then(|i| map.remove_at(i)), Some(2));
        assert_eq!(find_text(&map, &heap, key_hash(&text), &text), None);
        assert!(set_at(&map, &heap, 0).is_none());
    }
}
