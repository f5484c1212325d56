//! [`MapTable`]: the hash table behind `haxe.ds.StringMap` and `haxe.ds.IntMap`, built so
//! that iteration order (`keys()`, `iterator()`, `toString()`) is the one HashLink 1.17
//! gives, since Haxe programs print maps and their output must match.
//!
//! The order HashLink produces follows from its table shape, observed in its public source
//! (`src/std/maps.c`, `maps.h`) and checked by `haxe-tests/diff/ds_string_map` and
//! `ds_int_map`:
//! - a table has `capacity` entry slots and `ncells` buckets; a key goes to bucket
//!   `hash % ncells` (unsigned), and a new key is put at the *head* of its bucket's chain;
//! - iteration walks buckets `0..ncells`, each chain from head to tail;
//! - when a new key finds every slot used (`len == capacity`), the capacity grows from 0 to
//!   3, then to `(capacity * 3 + 1) / 2`; the bucket count becomes the first of a fixed list
//!   of primes that is at least `capacity / 4`. If the bucket count is unchanged (and the
//!   table does not cross 128 slots, where HashLink widens its chain indices) the chains stay
//!   as they are; otherwise every entry is re-inserted, walking the old buckets in order, so
//!   chains come out reversed;
//! - removing a key frees its slot for later keys (no shrinking); `clear` empties the table
//!   back to capacity 0.
//!
//! Hashes: an Int key hashes to itself (as unsigned); a String key to HashLink's string hash
//! ([`crate::stdlib::text::hash`], the field-name hash, without name caching). String keys
//! are compared through the heap ([`super::BytesKey`]): the table's own primitives take the
//! hash and a comparison ([`MapTable::find_with`], [`MapTable::insert_new`],
//! [`MapTable::remove_at`]); keys that compare by themselves ([`MapKey`]) have the usual
//! `get` / `insert` / `remove` on top.

use std::borrow::Borrow;

/// A key of a [`MapTable`] that compares by itself: how HashLink hashes it. Lookups take
/// the borrowed form ([`MapKey::Key`]).
pub trait MapKey: Eq + Clone + Borrow<Self::Key> {
    /// What lookups take (`i32` for `i32`).
    type Key: ?Sized + Eq;
    /// The unsigned hash whose remainder by the bucket count picks the bucket.
    fn map_hash(key: &Self::Key) -> u32;
}

impl MapKey for i32 {
    type Key = i32;
    fn map_hash(key: &i32) -> u32 {
        *key as u32
    }
}

/// HashLink's bucket counts: each about twice the previous, all prime.
const PRIMES: [u32; 28] = [
    7, 17, 37, 79, 163, 331, 673, 1361, 2729, 5471, 10949, 21911, 43853, 87613, 175229, 350459, 700919, 1401857,
    2803727, 5607457, 11214943, 22429903, 44859823, 89719661, 179424673, 373587883, 776531401, 1611623773,
];

/// Above this many slots HashLink stores chain links as 32-bit ints instead of bytes; crossing
/// it re-inserts every entry even when the bucket count stays the same.
const WIDE_LIMIT: usize = 128;

/// No entry (a chain's end, an empty bucket, the end of the free list).
const NONE: u32 = u32::MAX;

/// One slot: a key's entry, linked into its bucket's chain, or a free slot (`key` is
/// `None`) linked into the free list.
#[derive(Clone)]
struct Slot<K> {
    next: u32,
    hash: u32,
    key: Option<K>,
    value: u64,
}

/// A hash table of `K` to register slots (`Dynamic` values) iterating in HashLink's order
/// (see the module doc), laid out like HashLink's: `capacity` slots in one array, each
/// bucket the index of its chain's head, chains linked through the slots. An entry takes
/// 24 bytes, with an `i32` or a [`super::BytesKey`] key.
#[derive(Clone)]
pub struct MapTable<K> {
    /// Per bucket: the slot at the head of its chain, or [`NONE`].
    cells: Vec<u32>,
    /// Slots in use or freed (`slots.len() <= capacity`).
    slots: Vec<Slot<K>>,
    /// The first freed slot, or [`NONE`].
    free: u32,
    len: usize,
    capacity: usize,
}

impl<K> Default for MapTable<K> {
    fn default() -> Self {
        MapTable { cells: Vec::new(), slots: Vec::new(), free: NONE, len: 0, capacity: 0 }
    }
}

impl<K> MapTable<K> {
    /// Number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The slot of the entry whose hash is `hash` and whose key `eq` accepts, if any
    /// (for keys that compare through something the table does not hold, such as the
    /// heap for [`super::BytesKey`]).
    pub fn find_with(&self, hash: u32, mut eq: impl FnMut(&K) -> bool) -> Option<usize> {
        let n = self.cells.len();
        if n == 0 {
            return None;
        }
        let mut i = self.cells[(hash % n as u32) as usize];
        while let Some(s) = self.slots.get(i as usize) {
            if s.hash == hash && s.key.as_ref().is_some_and(&mut eq) {
                return Some(i as usize);
            }
            i = s.next;
        }
        None
    }

    /// The value in slot `i` (from [`MapTable::find_with`]).
    pub fn value_at(&self, i: usize) -> Option<&u64> {
        self.slots.get(i).filter(|s| s.key.is_some()).map(|s| &s.value)
    }

    /// The value in slot `i`, writable.
    pub fn value_at_mut(&mut self, i: usize) -> Option<&mut u64> {
        self.slots.get_mut(i).filter(|s| s.key.is_some()).map(|s| &mut s.value)
    }

    /// Adds `key` (whose hash is `hash`, and which the caller found absent with
    /// [`MapTable::find_with`]) with `value`, at the head of its bucket, after growing
    /// the table when every slot is used.
    pub fn insert_new(&mut self, hash: u32, key: K, value: u64) {
        if self.len == self.capacity {
            self.grow();
        }
        // The table has buckets after `grow`, whose first size is 7.
        let b = (hash % self.cells.len().max(1) as u32) as usize;
        let head = self.cells.get(b).copied().unwrap_or(NONE);
        let slot = Slot { next: head, hash, key: Some(key), value };
        let i = if self.free != NONE {
            let i = self.free as usize;
            self.free = self.slots[i].next;
            self.slots[i] = slot;
            i
        } else {
            self.slots.push(slot);
            self.slots.len() - 1
        };
        if let Some(c) = self.cells.get_mut(b) {
            *c = i as u32;
        }
        self.len += 1;
    }

    /// Removes the entry in slot `i` (from [`MapTable::find_with`]); returns its value.
    /// The slot is kept for later keys.
    pub fn remove_at(&mut self, i: usize) -> Option<u64> {
        let hash = self.slots.get(i).filter(|s| s.key.is_some())?.hash;
        let b = (hash % self.cells.len() as u32) as usize;
        let next = self.slots[i].next;
        if self.cells[b] == i as u32 {
            self.cells[b] = next;
        } else {
            let mut p = self.cells[b] as usize;
            while self.slots[p].next != i as u32 {
                p = self.slots[p].next as usize;
            }
            self.slots[p].next = next;
        }
        let s = &mut self.slots[i];
        s.key = None;
        s.next = self.free;
        self.free = i as u32;
        self.len -= 1;
        Some(s.value)
    }

    /// Removes every entry and gives the table back its initial size.
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    fn grow(&mut self) {
        let old_capacity = self.capacity;
        let capacity = if old_capacity == 0 { 3 } else { (old_capacity * 3 + 1) >> 1 };
        let wanted = (capacity >> 2) as u32;
        let ncells = PRIMES.iter().copied().find(|&p| p >= wanted).unwrap_or(PRIMES[PRIMES.len() - 1]) as usize;
        self.capacity = capacity;
        self.slots.reserve_exact(capacity - self.slots.len());
        if ncells == self.cells.len() && (capacity < WIDE_LIMIT || old_capacity >= WIDE_LIMIT) {
            return;
        }
        // Every entry, old buckets in order and each chain from head to tail, goes to the
        // head of its new bucket.
        let order: Vec<u32> = self.chains().collect();
        self.cells = vec![NONE; ncells];
        for i in order {
            let s = &mut self.slots[i as usize];
            let b = (s.hash % ncells as u32) as usize;
            s.next = self.cells[b];
            self.cells[b] = i;
        }
    }

    /// The slots in use, in HashLink's iteration order.
    fn chains(&self) -> impl Iterator<Item = u32> + '_ {
        self.cells.iter().flat_map(move |&head| {
            std::iter::successors(Some(head).filter(|&i| i != NONE), move |&i| {
                Some(self.slots[i as usize].next).filter(|&n| n != NONE)
            })
        })
    }

    /// Every entry in HashLink's iteration order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &u64)> + '_ {
        self.chains().filter_map(move |i| {
            let s = &self.slots[i as usize];
            s.key.as_ref().map(|k| (k, &s.value))
        })
    }

    /// Every key in HashLink's iteration order.
    pub fn keys(&self) -> impl Iterator<Item = &K> + '_ {
        self.iter().map(|(k, _)| k)
    }

    /// Every value in HashLink's iteration order.
    pub fn values(&self) -> impl Iterator<Item = &u64> + '_ {
        self.iter().map(|(_, v)| v)
    }
}

impl<K: MapKey> MapTable<K> {
    /// An empty table (capacity 0).
    pub fn new() -> Self {
        Self::default()
    }

    /// The slot holding `key`, if any.
    fn find(&self, key: &K::Key) -> Option<usize> {
        self.find_with(K::map_hash(key), |k| k.borrow() == key)
    }

    /// The value stored for `key`.
    pub fn get(&self, key: &K::Key) -> Option<&u64> {
        self.find(key).and_then(|i| self.value_at(i))
    }

    /// The value stored for `key`, writable.
    pub fn get_mut(&mut self, key: &K::Key) -> Option<&mut u64> {
        self.find(key).and_then(|i| self.value_at_mut(i))
    }

    /// True when `key` has an entry.
    pub fn contains_key(&self, key: &K::Key) -> bool {
        self.find(key).is_some()
    }

    /// Sets `key` to `value`; returns the previous value. A new key goes to the head of its
    /// bucket, after growing the table when every slot is used.
    pub fn insert(&mut self, key: K, value: u64) -> Option<u64> {
        let hash = K::map_hash(key.borrow());
        if let Some(v) = self.find_with(hash, |k| k.borrow() == key.borrow()).and_then(|i| self.value_at_mut(i)) {
            return Some(std::mem::replace(v, value));
        }
        self.insert_new(hash, key, value);
        None
    }

    /// Removes `key`; returns its value. Its slot is kept for later keys.
    pub fn remove(&mut self, key: &K::Key) -> Option<u64> {
        self.find(key).and_then(|i| self.remove_at(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_like_hashlink() {
        let mut t = MapTable::<i32>::new();
        let mut caps = Vec::new();
        for i in 0..200 {
            t.insert(i, 0);
            if caps.last() != Some(&t.capacity) {
                caps.push(t.capacity);
            }
        }
        assert_eq!(caps, [3, 5, 8, 12, 18, 27, 41, 62, 93, 140, 210]);
        assert_eq!(t.len(), 200);
    }

    #[test]
    fn head_insertion_and_bucket_order() {
        let mut t = MapTable::<i32>::new();
        for k in [1, 8, 2] {
            t.insert(k, k as u64);
        }
        // 7 buckets: 1 and 8 share bucket 1 (8 inserted last, so first), 2 in bucket 2.
        assert_eq!(t.keys().copied().collect::<Vec<_>>(), [8, 1, 2]);
        assert_eq!(t.remove(&8), Some(8));
        assert_eq!(t.remove(&8), None);
        assert_eq!(t.insert(1, 10), Some(1));
        assert_eq!(t.get(&1), Some(&10));
        assert_eq!(t.keys().copied().collect::<Vec<_>>(), [1, 2]);
        t.clear();
        assert!(t.is_empty());
    }

    #[test]
    fn negative_keys_hash_unsigned() {
        let mut t = MapTable::<i32>::new();
        t.insert(-1, 0);
        t.insert(0, 0);
        // 0xFFFF_FFFF % 7 == 3.
        assert_eq!(t.keys().copied().collect::<Vec<_>>(), [0, -1]);
    }
}
