//! UTF-16 subjects converted once to UTF-8, with offset tables both ways.
//!
//! The 8-bit PCRE2 used here works on UTF-8 bytes while HashLink
//! strings are UTF-16 code units. A [`Subject`] owns the UTF-8 form of one
//! UTF-16 string and maps between the two offset spaces:
//!
//! * unit index -> byte offset: `to_byte[i]`, or [`MID_PAIR`] when `i` points
//!   at the low half of a surrogate pair (there is no byte boundary there);
//! * byte offset -> unit index: `to_unit[b]`, exact on character boundaries,
//!   rounded down inside a multi-byte character (only `\C` can stop there).
//!
//! Pure-ASCII subjects (the common case) need no tables at all: offsets are
//! the identity.
//!
//! Lone surrogates cannot be written in UTF-8; they are encoded as
//! [`LONE_SURROGATE_SUBSTITUTE`] (U+FFFF, a noncharacter), which, like a lone
//! surrogate under HashLink's PCRE, is matched by `.`, `[^...]`, `\W`, `\D`,
//! `\S` but not by `\w`, letters, digits or spaces.

/// The character that stands for a lone (unpaired) surrogate code unit in the
/// UTF-8 form of a subject. A one-unit character in UTF-16, three bytes in
/// UTF-8.
pub const LONE_SURROGATE_SUBSTITUTE: char = '\u{FFFF}';

/// Marker in the unit->byte table for "inside a surrogate pair".
const MID_PAIR: u32 = u32::MAX;

/// How UTF-16 unit offsets relate to UTF-8 byte offsets.
#[derive(Clone, Debug)]
enum OffsetMap {
    /// Every unit is ASCII: unit offset == byte offset.
    Ascii,
    /// General case: explicit tables (see the module doc).
    Tables {
        /// `units.len() + 1` entries.
        to_byte: Box<[u32]>,
        /// `utf8.len() + 1` entries.
        to_unit: Box<[u32]>,
    },
}

/// A UTF-16 string prepared for matching: the original code units, their
/// UTF-8 encoding and the offset tables between them.
///
/// Build one per string and reuse it for every match against that string
/// (`EReg.map`/`replace`/`split` match the same string many times with
/// increasing positions). [`super::Regex::exec`] keeps one internally as a
/// cache; a VM that can identify strings cheaply (for example by object
/// identity of an immutable string) can instead keep its own `Subject` and
/// call [`super::Regex::exec_subject`], which never converts or compares.
#[derive(Clone, Debug)]
pub struct Subject {
    units: Box<[u16]>,
    utf8: Box<str>,
    map: OffsetMap,
}

fn is_high(u: u16) -> bool {
    (0xD800..0xDC00).contains(&u)
}

fn is_low(u: u16) -> bool {
    (0xDC00..0xE000).contains(&u)
}

impl Subject {
    /// Converts `units` (a whole HashLink string, not just the range to
    /// search) to UTF-8 and builds the offset tables. Cost: one pass over the
    /// string; memory: the UTF-8 copy plus, for non-ASCII strings, 4 bytes per
    /// unit and 4 bytes per UTF-8 byte.
    pub fn new(units: &[u16]) -> Subject {
        Subject::encode(units, None)
    }

    /// Like [`Subject::new`], but if `split_at` is the index of the low half
    /// of a surrogate pair, that pair is encoded as two lone surrogates, so
    /// that a match may start (or be bounded) between its halves.
    pub(crate) fn encode(units: &[u16], split_at: Option<usize>) -> Subject {
        if units.iter().all(|&u| u < 0x80) {
            let utf8: Box<str> = units.iter().map(|&u| char::from(u as u8)).collect();
            return Subject {
                units: units.into(),
                utf8,
                map: OffsetMap::Ascii,
            };
        }
        let n = units.len();
        let mut utf8 = String::with_capacity(n + n / 2);
        let mut to_byte = vec![0u32; n + 1];
        let mut to_unit: Vec<u32> = Vec::with_capacity(n + n / 2 + 1);
        let mut i = 0;
        while i < n {
            let u = units[i];
            let start = utf8.len() as u32;
            to_byte[i] = start;
            let paired = is_high(u) && i + 1 < n && is_low(units[i + 1]) && split_at != Some(i + 1);
            let (ch, width) = if paired {
                let cp = 0x10000 + (((u as u32) - 0xD800) << 10) + ((units[i + 1] as u32) - 0xDC00);
                // `cp` is in 0x10000..=0x10FFFF, always a valid scalar value.
                (char::from_u32(cp).unwrap_or(LONE_SURROGATE_SUBSTITUTE), 2)
            } else {
                (
                    char::from_u32(u as u32).unwrap_or(LONE_SURROGATE_SUBSTITUTE),
                    1,
                )
            };
            utf8.push(ch);
            // Every byte of the character maps back to its first unit.
            to_unit.extend(std::iter::repeat_n(i as u32, ch.len_utf8()));
            if width == 2 {
                to_byte[i + 1] = MID_PAIR;
            }
            i += width;
        }
        to_byte[n] = utf8.len() as u32;
        to_unit.push(n as u32);
        Subject {
            units: units.into(),
            utf8: utf8.into_boxed_str(),
            map: OffsetMap::Tables {
                to_byte: to_byte.into_boxed_slice(),
                to_unit: to_unit.into_boxed_slice(),
            },
        }
    }

    /// Length of the subject in UTF-16 code units.
    pub fn len(&self) -> usize {
        self.units.len()
    }

    /// True if the subject has no code units.
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// The original UTF-16 code units.
    pub fn units(&self) -> &[u16] {
        &self.units
    }

    /// The UTF-8 form handed to PCRE2.
    pub fn utf8(&self) -> &str {
        &self.utf8
    }

    /// True if this subject was built from a string that starts with all of
    /// `units` (equal, or `units` is a prefix). Costs one comparison of
    /// `units.len()` code units.
    pub fn starts_with(&self, units: &[u16]) -> bool {
        self.units.len() >= units.len() && self.units[..units.len()] == *units
    }

    /// Byte offset of unit index `i` (`i <= len()`), or `None` if `i` falls
    /// between the two halves of a surrogate pair.
    pub(crate) fn byte_offset(&self, i: usize) -> Option<usize> {
        match &self.map {
            OffsetMap::Ascii => Some(i),
            OffsetMap::Tables { to_byte, .. } => {
                let b = to_byte[i];
                (b != MID_PAIR).then_some(b as usize)
            }
        }
    }

    /// Unit index of byte offset `b` (`b <= utf8().len()`), rounded down to
    /// the start of the character containing it.
    pub(crate) fn unit_offset(&self, b: usize) -> usize {
        match &self.map {
            OffsetMap::Ascii => b,
            OffsetMap::Tables { to_unit, .. } => to_unit[b] as usize,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    #[test]
    fn ascii_is_identity() {
        let s = Subject::new(&u("abc"));
        assert_eq!(s.utf8(), "abc");
        assert_eq!(s.byte_offset(3), Some(3));
        assert_eq!(s.unit_offset(2), 2);
        assert_eq!(s.len(), 3);
    }

    #[test]
    fn bmp_and_astral_offsets() {
        // c a f é 😀 !  -> units: 0 1 2 3 4(hi) 5(lo) 6, len 7
        let s = Subject::new(&u("café😀!"));
        assert_eq!(s.utf8(), "café😀!");
        assert_eq!(s.byte_offset(3), Some(3));
        assert_eq!(s.byte_offset(4), Some(5));
        assert_eq!(s.byte_offset(5), None); // inside the pair
        assert_eq!(s.byte_offset(6), Some(9));
        assert_eq!(s.byte_offset(7), Some(10));
        assert_eq!(s.unit_offset(5), 4);
        assert_eq!(s.unit_offset(9), 6);
        assert_eq!(s.unit_offset(10), 7);
        assert_eq!(s.unit_offset(4), 3); // inside é: rounded down
    }

    #[test]
    fn lone_surrogates_and_split_pairs() {
        let units = [0x61, 0xDC00, 0xD83D, 0xDE00, 0xD800];
        let s = Subject::new(&units);
        assert_eq!(s.utf8(), "a\u{FFFF}😀\u{FFFF}");
        let t = Subject::encode(&units, Some(3));
        assert_eq!(t.utf8(), "a\u{FFFF}\u{FFFF}\u{FFFF}\u{FFFF}");
        assert_eq!(t.byte_offset(3), Some(7));
    }

    #[test]
    fn prefix_check() {
        let s = Subject::new(&u("hello"));
        assert!(s.starts_with(&u("hell")));
        assert!(s.starts_with(&u("hello")));
        assert!(!s.starts_with(&u("help")));
        assert!(!s.starts_with(&u("hello!")));
    }
}
