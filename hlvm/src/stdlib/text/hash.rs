//! HashLink's field-name hash.

/// `hl_hash_gen` / `std@hash`: the hash HashLink uses for object field names (dynamic
/// objects, virtuals, `Reflect.field`, the runtime field lookup tables).
///
/// Over the UTF-16 code units up to the first `0` unit (or the end of the slice):
/// `h = 223 * h + unit` in wrapping 32-bit arithmetic starting from 0, then
/// `h % 0x1FFFFF7B` with C (truncating) remainder, so the result is in
/// `-0x1FFFFF7A..=0x1FFFFF7A` and can be negative for long names.
///
/// Not modelled: when caching names, HashLink 1.17 checks its global name cache and, if a
/// *different* name already produced the same hash, increments the hash until it finds a
/// free or matching slot (haxe#5572). That depends on which names were hashed before, so a
/// VM that wants it must keep its own `hash → name` table on top of this function.
pub fn hash(name: &[u16]) -> i32 {
    hash_units(name.iter().copied())
}

/// [`hash`] of UTF-16 units given one by one (stops at the first 0).
pub fn hash_units(name: impl Iterator<Item = u16>) -> i32 {
    let mut h: i32 = 0;
    for c in name.take_while(|&c| c != 0) {
        h = h.wrapping_mul(223).wrapping_add(i32::from(c));
    }
    h % 0x1FFF_FF7B
}

/// The same value as [`hash`] for the UTF-8 form of the name (e.g. names from bytecode
/// string tables): `hash_utf8(s.as_bytes()) == hash(&s.encode_utf16().collect::<Vec<_>>())`.
/// Decodes UTF-8 to UTF-16 (invalid sequences become U+FFFD) and stops at the first `0` byte.
///
/// Note: HashLink's own C helper `hl_hash_utf8` hashes the raw (sign-extended `char`) bytes
/// instead and only agrees with this for ASCII names; the runtime hashes field names through
/// the UTF-16 path ([`hash`]), which is what this function reproduces.
pub fn hash_utf8(name: &[u8]) -> i32 {
    let end = name.iter().position(|&b| b == 0).unwrap_or(name.len());
    let s = String::from_utf8_lossy(&name[..end]);
    let mut h: i32 = 0;
    for c in s.encode_utf16() {
        h = h.wrapping_mul(223).wrapping_add(i32::from(c));
    }
    h % 0x1FFF_FF7B
}

/// HashLink's `hl_hash_utf8`: [`hash`]'s formula over the raw bytes of a UTF-8 name, each
/// byte sign-extended as a C `char` (up to the first `0` byte), without collision handling.
/// HashLink 1.17's JIT hashes the field name of `ODynGet` this way, so a dynamic read of a
/// name whose hash collided (or of a non-ASCII name) looks up a different hash than the
/// write that stored it.
pub fn hash_c_bytes(name: &[u8]) -> i32 {
    let mut h: i32 = 0;
    for &b in name {
        if b == 0 {
            break;
        }
        h = h.wrapping_mul(223).wrapping_add(i32::from(b as i8));
    }
    h % 0x1FFF_FF7B
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    #[test]
    fn c_bytes_agree_with_utf16_for_ascii_only() {
        assert_eq!(hash_c_bytes(b"baseReward"), hash(&u("baseReward")));
        assert_eq!(hash_c_bytes(b"ab\0c"), hash(&u("ab")));
        assert_ne!(hash_c_bytes("é".as_bytes()), hash(&u("é")));
        assert_eq!(hash_c_bytes("é".as_bytes()), (0xC3u8 as i8 as i32) * 223 + (0xA9u8 as i8 as i32));
    }

    #[test]
    fn small_names() {
        assert_eq!(hash(&[]), 0);
        assert_eq!(hash(&u("a")), 97);
        assert_eq!(hash(&u("ab")), 97 * 223 + 98);
        assert_eq!(hash(&u("abc")), (97 * 223 + 98) * 223 + 99);
        assert_eq!(hash(&u("x\0yz")), hash(&u("x")));
    }

    #[test]
    fn wrapping_and_negative() {
        // Reference computation in i64 with explicit 32-bit wrap.
        fn reference(s: &str) -> i32 {
            let mut h: i64 = 0;
            for c in s.encode_utf16() {
                h = ((h * 223 + c as i64) as i32) as i64;
            }
            (h as i32) % 0x1FFFFF7B
        }
        for s in ["toString", "hello world this is long", "__string", "zzzzzzzzzzzzzzzz", "éàü😀", "x"] {
            assert_eq!(hash(&u(s)), reference(s), "{s}");
            assert_eq!(hash_utf8(s.as_bytes()), hash(&u(s)), "{s}");
        }
        // some long names hash negative
        assert!(["zzzzzzzzz", "abcdefghijk", "aaaaaaaaaaaaaaaaaaaaa"].iter().any(|s| hash(&u(s)) < 0));
        assert!(hash(&u("zzzzzzzzzzzzzzzzzzzzzzzz")).abs() < 0x1FFFFF7B);
    }

    #[test]
    fn utf8_matches_utf16() {
        assert_eq!(hash_utf8(b"name\0rest"), hash(&u("name")));
        assert_eq!(hash_utf8("日本".as_bytes()), hash(&u("日本")));
    }
}
