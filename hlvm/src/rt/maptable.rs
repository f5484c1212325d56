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
//! ([`crate::stdlib::text::hash`], the field-name hash, without name caching).

/// A key of a [`MapTable`]: how HashLink hashes it.
pub trait MapKey: Eq + Clone {
    /// The unsigned hash whose remainder by the bucket count picks the bucket.
    fn map_hash(&self) -> u32;
}

impl MapKey for i32 {
    fn map_hash(&self) -> u32 {
        *self as u32
    }
}

impl MapKey for Vec<u16> {
    fn map_hash(&self) -> u32 {
        crate::stdlib::text::hash(self) as u32
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

/// A hash table of `K` to register slots (`Dynamic` values) iterating in HashLink's order
/// (see the module doc). Each bucket is a `Vec` holding its chain *tail first*, so the head
/// insertion HashLink does is a `push`.
#[derive(Clone)]
pub struct MapTable<K> {
    /// `buckets[i]`: the chain of bucket `i`, tail first: `(hash, key, value)`.
    buckets: Vec<Vec<(u32, K, u64)>>,
    len: usize,
    capacity: usize,
}

impl<K> Default for MapTable<K> {
    fn default() -> Self {
        MapTable { buckets: Vec::new(), len: 0, capacity: 0 }
    }
}

impl<K: MapKey> MapTable<K> {
    /// An empty table (capacity 0).
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn bucket_of(&self, hash: u32) -> Option<usize> {
        let n = self.buckets.len();
        (n > 0).then(|| (hash % n as u32) as usize)
    }

    /// The value stored for `key`.
    pub fn get(&self, key: &K) -> Option<&u64> {
        let hash = key.map_hash();
        let b = self.bucket_of(hash)?;
        self.buckets[b].iter().find(|(h, k, _)| *h == hash && k == key).map(|(_, _, v)| v)
    }

    /// The value stored for `key`, writable.
    pub fn get_mut(&mut self, key: &K) -> Option<&mut u64> {
        let hash = key.map_hash();
        let b = self.bucket_of(hash)?;
        self.buckets[b].iter_mut().find(|(h, k, _)| *h == hash && k == key).map(|(_, _, v)| v)
    }

    /// True when `key` has an entry.
    pub fn contains_key(&self, key: &K) -> bool {
        self.get(key).is_some()
    }

    /// Sets `key` to `value`; returns the previous value. A new key goes to the head of its
    /// bucket, after growing the table when every slot is used.
    pub fn insert(&mut self, key: K, value: u64) -> Option<u64> {
        if let Some(v) = self.get_mut(&key) {
            return Some(std::mem::replace(v, value));
        }
        if self.len == self.capacity {
            self.grow();
        }
        let hash = key.map_hash();
        // The table has buckets after `grow`, whose first size is 7.
        let b = self.bucket_of(hash).unwrap_or(0);
        self.buckets[b].push((hash, key, value));
        self.len += 1;
        None
    }

    /// Removes `key`; returns its value.
    pub fn remove(&mut self, key: &K) -> Option<u64> {
        let hash = key.map_hash();
        let b = self.bucket_of(hash)?;
        let chain = &mut self.buckets[b];
        let i = chain.iter().position(|(h, k, _)| *h == hash && k == key)?;
        let (_, _, v) = chain.remove(i);
        self.len -= 1;
        Some(v)
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
        if ncells == self.buckets.len() && (capacity < WIDE_LIMIT || old_capacity >= WIDE_LIMIT) {
            return;
        }
        let old = std::mem::replace(&mut self.buckets, (0..ncells).map(|_| Vec::new()).collect());
        for chain in old {
            // Old chain from head to tail; each entry goes to the head of its new bucket.
            for (hash, key, value) in chain.into_iter().rev() {
                let b = (hash % ncells as u32) as usize;
                self.buckets[b].push((hash, key, value));
            }
        }
    }

    /// Every entry in HashLink's iteration order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &u64)> + '_ {
        self.buckets.iter().flat_map(|chain| chain.iter().rev().map(|(_, k, v)| (k, v)))
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
