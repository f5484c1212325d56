//! Field-name interning: the table from field-name hashes to names that HashLink keeps
//! next to `hl_hash_gen`, including its rule for names whose hashes collide.
//!
//! HashLink 1.17 hashes a name with [`crate::stdlib::text::hash`] and, when it caches the
//! name, looks the hash up in a global table: if a *different* name already owns it, it
//! tries the next hash (`h + 1`, then `h + 2`, ...) until it finds a free slot or the same
//! name (haxe#5572). So a name's hash depends on the names hashed before it: first the
//! fields and methods of every class and the fields of every virtual, in type order, when
//! the module is read; then the names programs hash at run time (`Reflect.field` and
//! friends through `std@hash`, dynamic field access). [`FieldNames`] is that table.

use std::rc::Rc;

use rustc_hash::FxHashMap as HashMap;

/// Hash ↔ name table with HashLink's collision rule (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct FieldNames {
    by_hash: HashMap<i32, Rc<str>>,
    by_name: HashMap<Rc<str>, i32>,
}

impl FieldNames {
    /// The hash of `name`, registering it first when it is new: its natural hash, or the
    /// next free one when a different name owns that hash.
    pub fn intern(&mut self, name: &str) -> i32 {
        if let Some(&h) = self.by_name.get(name) {
            return h;
        }
        let h = self.free_hash(name, |_| false);
        let name: Rc<str> = name.into();
        self.by_hash.insert(h, name.clone());
        self.by_name.insert(name, h);
        h
    }

    /// [`FieldNames::intern`] for a name given as UTF-16 units (up to the first `0`).
    pub fn intern_utf16(&mut self, name: &[u16]) -> i32 {
        let end = name.iter().position(|&c| c == 0).unwrap_or(name.len());
        self.intern(&String::from_utf16_lossy(&name[..end]))
    }

    /// The hash `name` has or would get if interned now, without registering it.
    pub fn hash_of(&self, name: &str) -> i32 {
        match self.by_name.get(name) {
            Some(&h) => h,
            None => self.free_hash(name, |_| false),
        }
    }

    /// The hash `name` would get if it were interned after the names of `pending` (hashes
    /// planned but not registered yet, e.g. by a reload being checked); the caller records
    /// the result in `pending`.
    pub fn plan_hash(&self, name: &str, pending: &HashMap<i32, String>) -> i32 {
        if let Some(&h) = self.by_name.get(name) {
            return h;
        }
        if let Some((&h, _)) = pending.iter().find(|(_, n)| n.as_str() == name) {
            return h;
        }
        self.free_hash(name, |h| pending.contains_key(&h))
    }

    /// Registers `name` under exactly `hash` when that hash is free (a name interned
    /// elsewhere, e.g. by [`FieldNames::plan_hash`]); otherwise does nothing.
    pub fn register(&mut self, hash: i32, name: &str) {
        if self.by_hash.contains_key(&hash) || self.by_name.contains_key(name) {
            return;
        }
        let name: Rc<str> = name.into();
        self.by_hash.insert(hash, name.clone());
        self.by_name.insert(name, hash);
    }

    /// The hash of a name already interned under its natural hash, given as UTF-16LE
    /// bytes (up to the first 0 unit, or the end); `None` when it is not (a new name, or
    /// one moved to another hash by a collision): [`FieldNames::intern_utf16`] then
    /// decides. Allocates nothing (the `std@hash` native runs on every `Reflect.field`).
    pub fn known_utf16_le(&self, bytes: &[u8]) -> Option<i32> {
        let units = || bytes.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).take_while(|&u| u != 0);
        let h = crate::stdlib::text::hash_units(units());
        let name = self.by_hash.get(&h)?;
        name.encode_utf16().eq(units()).then_some(h)
    }

    /// The name registered for `hash`, shared.
    pub fn name_rc(&self, hash: i32) -> Option<Rc<str>> {
        self.by_hash.get(&hash).cloned()
    }

    /// The name registered for `hash`, if any.
    pub fn name(&self, hash: i32) -> Option<&str> {
        self.by_hash.get(&hash).map(|n| &**n)
    }

    /// The first hash from `name`'s natural one that no other name owns (nor `taken`).
    fn free_hash(&self, name: &str, taken: impl Fn(i32) -> bool) -> i32 {
        let units: Vec<u16> = name.encode_utf16().collect();
        let mut h = crate::stdlib::text::hash(&units);
        while self.by_hash.get(&h).is_some_and(|n| &**n != name) || taken(h) {
            h = h.wrapping_add(1);
        }
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // "baseReward" and "user_3235_65290" have the same natural hash (haxe#5572).
    const A: &str = "baseReward";
    const B: &str = "user_3235_65290";

    #[test]
    fn colliding_names_get_distinct_hashes_in_registration_order() {
        let mut n = FieldNames::default();
        let ha = n.intern(A);
        let hb = n.intern(B);
        assert_eq!(hb, ha + 1);
        assert_eq!(n.intern(A), ha);
        assert_eq!(n.intern(B), hb);
        assert_eq!(n.name(ha), Some(A));
        assert_eq!(n.name(hb), Some(B));
        let mut m = FieldNames::default();
        assert_eq!(m.intern(B), ha, "the first name registered keeps the natural hash");
        assert_eq!(m.intern(A), ha + 1);
    }

    fn utf16_le(s: &str) -> Vec<u8> {
        s.encode_utf16().chain([0]).flat_map(u16::to_le_bytes).collect()
    }

    #[test]
    fn known_utf16_le_answers_only_for_names_at_their_natural_hash() {
        let mut n = FieldNames::default();
        assert_eq!(n.known_utf16_le(&utf16_le(A)), None, "not interned yet");
        let ha = n.intern(A);
        let hb = n.intern(B);
        assert_eq!(n.known_utf16_le(&utf16_le(A)), Some(ha));
        // B lives at ha + 1: its natural hash belongs to A, so the slow path decides.
        assert_eq!(n.known_utf16_le(&utf16_le(B)), None);
        assert_eq!(n.intern_utf16(&B.encode_utf16().collect::<Vec<_>>()), hb);
        // Bytes after the terminating 0 unit are ignored; without one, the end stops.
        let mut tail = utf16_le(A);
        tail.extend_from_slice(&[b'x', 0]);
        assert_eq!(n.known_utf16_le(&tail), Some(ha));
        let bare: Vec<u8> = A.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(n.known_utf16_le(&bare), Some(ha));
        // A prefix of a known name is another name.
        assert_eq!(n.known_utf16_le(&utf16_le("baseRewar")), None);
    }

    #[test]
    fn hash_of_and_plan_hash_do_not_register() {
        let mut n = FieldNames::default();
        let ha = n.intern(A);
        assert_eq!(n.hash_of(B), ha + 1);
        let mut pending = HashMap::default();
        let hb = n.plan_hash(B, &pending);
        pending.insert(hb, B.to_string());
        assert_eq!(n.name(hb), None);
        assert_eq!(n.plan_hash(B, &pending), hb);
        n.register(hb, B);
        assert_eq!(n.intern(B), hb);
        assert_eq!(n.name(hb), Some(B));
    }
}
