//! UTF-8/UTF-16 conversion, case mapping, URL encoding and string comparison.

use super::unicase_table::{TO_LOWER, TO_UPPER};

fn byte(s: &[u8], i: usize) -> u8 {
    s.get(i).copied().unwrap_or(0)
}

/// Number of UTF-16 units HashLink's `hl_utf8_length` assigns to a NUL-terminated byte
/// string, as (units, bytes consumed by the counted units, stopped on a >= 0xF8 lead).
fn utf8_units(s: &[u8]) -> (usize, bool) {
    let mut units = 0usize;
    let mut i = 0usize;
    loop {
        let c = byte(s, i);
        if c == 0 {
            return (units, false);
        }
        if c < 0x80 {
            units += 1;
            i += 1;
        } else if c < 0xC0 {
            // A stray continuation byte ends the string.
            return (units, false);
        } else if c < 0xE0 {
            if byte(s, i + 1) & 0x80 == 0 {
                return (units, false);
            }
            units += 1;
            i += 2;
        } else if c < 0xF0 {
            if (byte(s, i + 1) & byte(s, i + 2)) & 0x80 == 0 {
                return (units, false);
            }
            units += 1;
            i += 3;
        } else if c < 0xF8 {
            if (byte(s, i + 1) & byte(s, i + 2) & byte(s, i + 3)) & 0x80 == 0 {
                return (units, false);
            }
            units += 2;
            i += 4;
        } else {
            // Counted as one unit, then counting stops.
            return (units + 1, true);
        }
    }
}

/// `std@utf8_to_utf16` (`hl_utf8_to_utf16`; used by `String.fromUTF8`, `Bytes.toString`,
/// `Bytes.getString`, and for every UTF-8 string coming from the system), reproducing
/// HashLink's lenient decoder. Returns the UTF-16 units (the length HashLink reports is
/// `result.len()`).
///
/// * Input stops at the first `0` byte or at the end of the slice.
/// * Decoding also **stops** (silently truncating) at: a byte in
///   `0x80..=0xBF` where a character should start, a 2/3/4-byte lead whose following
///   1/2/3 bytes do not all have their top bit set (including a truncated sequence at the
///   end).
/// * Continuation bytes are not otherwise validated; overlong forms are accepted; their bits
///   are combined as `lead & 0x3F` / `lead & 0x1F` / `lead & 0x0F` and `cont & 0x7F`.
///   An encoded surrogate (`ED A0 80`) yields that lone surrogate unit (CESU-8 decodes).
/// * 4-byte sequences produce the pair `(cp >> 10) + 0xD7C0`, `(cp & 0x3FF) | 0xDC00`
///   (truncated to 16 bits, even for out-of-range or overlong code points).
/// * A lead byte `>= 0xF8` ends the string **and** adds a trailing `0` unit (HashLink
///   counts it as one unit but writes only the terminator there).
pub fn utf8_to_utf16(s: &[u8]) -> Vec<u16> {
    let (units, bad_lead) = utf8_units(s);
    let mut out = Vec::with_capacity(units);
    let mut i = 0usize;
    while out.len() < units {
        let c = u32::from(byte(s, i));
        if c < 0x80 {
            if c == 0 {
                break;
            }
            out.push(c as u16);
            i += 1;
        } else if c < 0xE0 {
            let v = ((c & 0x3F) << 6) | (u32::from(byte(s, i + 1)) & 0x7F);
            out.push(v as u16);
            i += 2;
        } else if c < 0xF0 {
            let v = ((c & 0x1F) << 12)
                | ((u32::from(byte(s, i + 1)) & 0x7F) << 6)
                | (u32::from(byte(s, i + 2)) & 0x7F);
            out.push(v as u16);
            i += 3;
        } else {
            if out.len() + 1 >= units {
                // Only room for one unit (the >= 0xF8 case): HashLink writes nothing here.
                break;
            }
            let v = ((c & 0x0F) << 18)
                | ((u32::from(byte(s, i + 1)) & 0x7F) << 12)
                | ((u32::from(byte(s, i + 2)) & 0x7F) << 6)
                | (u32::from(byte(s, i + 3)) & 0x7F);
            out.push(((v >> 10) + 0xD7C0) as u16);
            out.push(((v & 0x3FF) | 0xDC00) as u16);
            i += 4;
        }
    }
    if bad_lead {
        out.resize(units, 0);
    }
    out
}

/// `std@utf16_to_utf8` (`hl_utf16_to_utf8`; used by `String.toUTF8`, `Sys.println`/`print`,
/// file names, etc.), reproducing HashLink's encoder. Returns the UTF-8 bytes (no terminator).
///
/// * Conversion stops at the first `0` unit or at the end of the slice.
/// * `< 0x80` → 1 byte, `< 0x800` → 2 bytes, other non-surrogates → 3 bytes.
/// * **Any** unit in `0xD800..=0xDFFF` (high or low) is combined with the unit that follows
///   it, unchecked: `k = (((u - 0xD800) << 10) | (next - 0xDC00)) + 0x10000` in 32-bit signed
///   arithmetic, emitted as the 4 bytes `0xF0 | k >> 18`, `0x80 | (k >> 12) & 63`,
///   `0x80 | (k >> 6) & 63`, `0x80 | k & 63` (each truncated to a byte). The following unit
///   is consumed even if it is not a low surrogate, so a lone surrogate "eats" the next
///   character and produces garbage bytes (not U+FFFD). A valid pair gives normal UTF-8.
/// * A surrogate in the last position is combined with `0` (the terminator) and conversion
///   ends there (HashLink itself would read past the terminator: undefined behaviour).
pub fn utf16_to_utf8(s: &[u16]) -> Vec<u8> {
    encode_utf8(s, true)
}

/// [`utf16_to_utf8`] over exactly the units of `s`, `0` units included (encoded as `0`
/// bytes): `hl_utf16_to_utf8` given an explicit length, as `haxe.io.Bytes.ofString` calls
/// it (`"a\0b"` gives 3 bytes).
pub fn utf16_to_utf8_all(s: &[u16]) -> Vec<u8> {
    encode_utf8(s, false)
}

fn encode_utf8(s: &[u16], stop_at_nul: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() * 3);
    let mut i = 0usize;
    while i < s.len() {
        let v = u32::from(s[i]);
        if v == 0 && stop_at_nul {
            break;
        }
        if v < 0x80 {
            out.push(v as u8);
        } else if v < 0x800 {
            out.push((0xC0 | (v >> 6)) as u8);
            out.push((0x80 | (v & 63)) as u8);
        } else if (0xD800..=0xDFFF).contains(&v) {
            let next = i32::from(s.get(i + 1).copied().unwrap_or(0));
            let k = (((v as i32) - 0xD800).wrapping_shl(10) | (next - 0xDC00)).wrapping_add(0x10000);
            out.push((0xF0 | (k >> 18)) as u8);
            out.push((0x80 | ((k >> 12) & 63)) as u8);
            out.push((0x80 | ((k >> 6) & 63)) as u8);
            out.push((0x80 | (k & 63)) as u8);
            // The unit eaten was the terminator (or the end): stop there. With an explicit
            // length, a `0` unit inside the string is eaten like any other.
            if i + 1 >= s.len() || (next == 0 && stop_at_nul) {
                break;
            }
            i += 1;
        } else {
            out.push((0xE0 | (v >> 12)) as u8);
            out.push((0x80 | ((v >> 6) & 63)) as u8);
            out.push((0x80 | (v & 63)) as u8);
        }
        i += 1;
    }
    out
}

fn map_units(s: &[u16], table: &[(u16, u16)]) -> Vec<u16> {
    s.iter()
        .map(|&c| match table.binary_search_by_key(&c, |&(k, _)| k) {
            Ok(idx) => table.get(idx).map_or(c, |&(_, v)| v),
            Err(_) => c,
        })
        .collect()
}

/// `std@ucs2_upper` (`String.toUpperCase`): maps each UTF-16 code unit independently through
/// HashLink's fixed case table; output has the same length as the input (embedded `0` units
/// are kept and mapped like any other unit).
///
/// The table covers the BMP only, as of **Unicode 7.0**, using the *simple titlecase*
/// mapping of each character (so `ǆ`/`Ǆ` → `ǅ`, `ß` stays `ß`, `ŉ` stays, `µ` → `Μ`,
/// `ſ` → `S`, `ı` → `I`, `ÿ` → `Ÿ`). Surrogates are never changed, so supplementary-plane
/// letters (e.g. Deseret) are not mapped. Characters added after Unicode 7.0 (e.g. Cherokee
/// small letters, Georgian Mtavruli) are not mapped.
pub fn ucs2_upper(s: &[u16]) -> Vec<u16> {
    map_units(s, &TO_UPPER)
}

/// `std@ucs2_lower` (`String.toLowerCase`): like [`ucs2_upper`] with the *simple lowercase*
/// mapping (BMP only, Unicode 7.0): e.g. `İ` → `i`, `Ω` (U+2126) → `ω`, `K` (U+212A) → `k`,
/// `ẞ` → `ß`, `ǅ` → `ǆ`.
pub fn ucs2_lower(s: &[u16]) -> Vec<u16> {
    map_units(s, &TO_LOWER)
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

fn push_pct(out: &mut Vec<u16>, b: u32) {
    out.push(u16::from(b'%'));
    out.push(u16::from(HEX[((b >> 4) & 0xF) as usize]));
    out.push(u16::from(HEX[(b & 0xF) as usize]));
}

/// `std@url_encode` (`StringTools.urlEncode` on HL), as HashLink 1.17 encodes.
///
/// Stops at the first `0` unit (or the end of the slice). `A-Z a-z 0-9 _ - .` are kept;
/// every other character is written as `%XX` escapes (uppercase hex) of its UTF-8 form: a
/// surrogate pair (high `D800..=DBFF` followed by low `DC00..=DFFE`) as one 4-byte
/// sequence (😀 → `%F0%9F%98%80`), any other unit on its own (1, 2 or 3 bytes; a lone
/// surrogate as 3 bytes). Space becomes `%20` (not `+`), `~` becomes `%7E`. (HashLink's
/// pairing test excludes the low surrogate `DFFF`, which is then encoded alone.)
pub fn url_encode(s: &[u16]) -> Vec<u16> {
    let end = s.iter().position(|&c| c == 0).unwrap_or(s.len());
    let s = &s[..end];
    let mut out = Vec::with_capacity(s.len() * 3);
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        i += 1;
        let keep = matches!(c, 0x41..=0x5A | 0x61..=0x7A | 0x30..=0x39)
            || c == u16::from(b'_')
            || c == u16::from(b'-')
            || c == u16::from(b'.');
        if keep {
            out.push(c);
            continue;
        }
        let c = u32::from(c);
        let low = s.get(i).copied().map_or(0, u32::from);
        if c < 0x80 {
            push_pct(&mut out, c);
        } else if c < 0x800 {
            push_pct(&mut out, 0xC0 | (c >> 6));
            push_pct(&mut out, 0x80 | (c & 63));
        } else if (0xD800..=0xDBFF).contains(&c) && (0xDC00..0xDFFF).contains(&low) {
            i += 1;
            let cp = (((c - 0xD800) << 10) | (low - 0xDC00)) + 0x10000;
            push_pct(&mut out, 0xF0 | (cp >> 18));
            push_pct(&mut out, 0x80 | ((cp >> 12) & 63));
            push_pct(&mut out, 0x80 | ((cp >> 6) & 63));
            push_pct(&mut out, 0x80 | (cp & 63));
        } else {
            push_pct(&mut out, 0xE0 | (c >> 12));
            push_pct(&mut out, 0x80 | ((c >> 6) & 63));
            push_pct(&mut out, 0x80 | (c & 63));
        }
    }
    out
}

fn hex_val(c: u16) -> Option<u16> {
    match c {
        0x30..=0x39 => Some(c - 0x30),
        0x61..=0x66 => Some(c - 0x61 + 10),
        0x41..=0x46 => Some(c - 0x41 + 10),
        _ => None,
    }
}

/// Error raised by `std@url_decode`; [`UrlDecodeError::message`] is the text HashLink throws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlDecodeError {
    /// A multi-byte escape was not followed by another `%` (thrown as `"Malformed URL encoded"`).
    Malformed,
}

impl UrlDecodeError {
    /// The exception message HashLink throws (a String value) for this error.
    pub fn message(self) -> &'static str {
        match self {
            UrlDecodeError::Malformed => "Malformed URL encoded",
        }
    }
}

/// Decodes like `std@url_decode`, returning `Err` exactly where HashLink throws; on error the
/// partial output decoded so far is discarded by HashLink (the native throws).
///
/// Rules (input stops at the first `0` unit or the end of the slice):
/// * `+` → space;
/// * `%` not followed by two hex digits → a literal `%`, and decoding continues right after
///   it (`"100%"` → `"100%"`, `"%zz"` → `"%zz"`);
/// * `%XX` with `XX < 0x80` → that character;
/// * `%XX` with `0x80 <= XX < 0xE0` (a lead byte; stray continuation bytes count as leads)
///   must be followed by `%`, otherwise `Err(Malformed)`; then a second escape `%YY` gives
///   `((XX & 0x3F) << 6) | (YY & 0x7F)`. If `YY` is not two hex digits HashLink does not notice:
///   it uses `0x7F` for `YY & 0x7F` and continues decoding right after that `%`;
/// * `0xE0 <= XX < 0xF0` → same with two more escapes: `((XX & 0x1F) << 12) |
///   ((YY & 0x7F) << 6) | (ZZ & 0x7F)` (so an escaped surrogate yields a lone surrogate unit);
/// * `XX >= 0xF0` → same with three more escapes: the code point `((XX & 0x0F) << 18) |
///   ((YY & 0x7F) << 12) | ((ZZ & 0x7F) << 6) | (WW & 0x7F)` becomes a surrogate pair,
///   computed in 16-bit units without range checks as HashLink 1.17 does.
pub fn try_url_decode(s: &[u16]) -> Result<Vec<u16>, UrlDecodeError> {
    let end = s.iter().position(|&c| c == 0).unwrap_or(s.len());
    let s = &s[..end];
    let at = |i: usize| s.get(i).copied().unwrap_or(0);
    // Reads "%XX"'s XX at `*i` (which points just after the '%'); on success advances `*i`.
    let decode_hex = |i: &mut usize| -> Option<u16> {
        let p1 = hex_val(at(*i))?;
        let p2 = hex_val(at(*i + 1))?;
        *i += 2;
        Some((p1 << 4) | p2)
    };
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0usize;
    while i < s.len() {
        let mut c = s[i];
        i += 1;
        if c == u16::from(b'+') {
            c = u16::from(b' ');
        } else if c == u16::from(b'%') {
            let Some(p1) = decode_hex(&mut i) else {
                out.push(u16::from(b'%'));
                continue;
            };
            let mut cont = || -> Result<u16, UrlDecodeError> {
                let next = at(i);
                i += 1;
                if next != u16::from(b'%') {
                    return Err(UrlDecodeError::Malformed);
                }
                Ok(decode_hex(&mut i).unwrap_or(0xFFFF))
            };
            if p1 < 0x80 {
                c = p1;
            } else if p1 < 0xE0 {
                let p2 = cont()?;
                c = ((p1 & 0x3F) << 6) | (p2 & 0x7F);
            } else if p1 < 0xF0 {
                let p2 = cont()?;
                let p3 = cont()?;
                c = ((p1 & 0x1F) << 12) | ((p2 & 0x7F) << 6) | (p3 & 0x7F);
            } else {
                let p2 = cont()?;
                let p3 = cont()?;
                let p4 = cont()?;
                let k = ((i32::from(p1 & 0x0F) << 18) | (i32::from(p2 & 0x7F) << 12) | (i32::from(p3 & 0x7F) << 6) | i32::from(p4 & 0x7F)) - 0x10000;
                out.push(((k >> 10) + 0xD800) as u16);
                c = ((k & 0x3FF) | 0xDC00) as u16;
            }
        }
        out.push(c);
    }
    Ok(out)
}

/// `std@url_decode` (`StringTools.urlDecode` on HL) for inputs where HashLink does not throw;
/// see [`try_url_decode`] for the exact rules. Where HashLink would throw (`"Malformed URL
/// encoded"`), this returns the input unchanged. A VM should call
/// [`try_url_decode`] and throw [`UrlDecodeError::message`] as a String on `Err`.
pub fn url_decode(s: &[u16]) -> Vec<u16> {
    try_url_decode(s).unwrap_or_else(|_| s.to_vec())
}

/// String ordering as seen by Haxe code on HL: `String.__compare`, which backs
/// `Reflect.compare` on strings and dynamic comparisons (`hl_dyn_compare`).
///
/// Compares code units over the common prefix (`bytes_compare16`, Haxe 4.2.5 targets
/// hl-ver >= 1.10): at the first difference returns `a[i] - b[i]` (raw difference, e.g.
/// `"B"` vs `"a"` → -31, `"é"` vs `"z"` → 111); if the prefix is equal returns
/// `a.len() - b.len()` (`"ab"` vs `"abc"` → -1). `0` units are compared like any other.
pub fn string_compare(a: &[u16], b: &[u16]) -> i32 {
    let n = a.len().min(b.len());
    let d = bytes_compare16(a, b, n);
    if d != 0 {
        return d;
    }
    (a.len() as i64 - b.len() as i64).clamp(i32::MIN as i64, i32::MAX as i64) as i32
}

/// `std@bytes_compare16(a, b, len)`: the difference `a[i] - b[i]` of the first differing code
/// unit among the first `len` units, or 0. `len` is clamped to both slices' lengths.
pub fn bytes_compare16(a: &[u16], b: &[u16], len: usize) -> i32 {
    a.iter()
        .zip(b.iter())
        .take(len)
        .find(|(x, y)| x != y)
        .map_or(0, |(&x, &y)| i32::from(x) - i32::from(y))
}

/// The raw `std@string_compare(a, b, len)` native, which the Haxe compiler emits for the
/// `<`, `<=`, `>`, `>=` operators on two Strings (it then compares lengths itself when the
/// result is 0). HashLink implements it as C `memcmp` over `len * 2` bytes of the
/// little-endian UTF-16 data, so the **low byte of each unit is compared first**
/// (e.g. U+0100 sorts before `"a"` U+0061). Returns the difference of the first differing
/// bytes (glibc's magnitude may differ; only the sign is meaningful), or 0. `len` is clamped
/// to both slices' lengths.
pub fn std_string_compare(a: &[u16], b: &[u16], len: usize) -> i32 {
    for (&x, &y) in a.iter().zip(b.iter()).take(len) {
        if x != y {
            let [xl, xh] = x.to_le_bytes();
            let [yl, yh] = y.to_le_bytes();
            if xl != yl {
                return i32::from(xl) - i32::from(yl);
            }
            return i32::from(xh) - i32::from(yh);
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }
    fn s16(v: &[u16]) -> String {
        String::from_utf16_lossy(v)
    }

    #[test]
    fn utf8_to_utf16_valid() {
        for s in ["", "hello", "café naïve", "a😀b", "日本語", "\u{7ff}\u{800}\u{ffff}\u{10000}\u{10ffff}"] {
            assert_eq!(utf8_to_utf16(s.as_bytes()), u(s), "{s:?}");
        }
    }

    #[test]
    fn utf8_to_utf16_quirks() {
        // stops at NUL
        assert_eq!(utf8_to_utf16(b"ab\0cd"), u("ab"));
        // DEL is an ordinary character (HashLink 1.17; older versions stopped there)
        assert_eq!(utf8_to_utf16(b"a\x7fb"), u("a\u{7f}b"));
        // stray continuation byte ends the string
        assert_eq!(utf8_to_utf16(b"ab\x80cd"), u("ab"));
        // truncated sequences end the string
        assert_eq!(utf8_to_utf16(b"a\xc3"), u("a"));
        assert_eq!(utf8_to_utf16(b"a\xc3b"), u("a"));
        assert_eq!(utf8_to_utf16(b"a\xe6\x97"), u("a"));
        assert_eq!(utf8_to_utf16(b"a\xf0\x9f\x98"), u("a"));
        // overlong accepted
        assert_eq!(utf8_to_utf16(b"\xc0\x80x"), vec![0, u16::from(b'x')]);
        assert_eq!(utf8_to_utf16(b"\xc1\xbf"), vec![0x7F]);
        // CESU-8 / encoded surrogates
        assert_eq!(utf8_to_utf16(b"\xed\xa0\xbd\xed\xb8\x80"), vec![0xD83D, 0xDE00]);
        // continuation bits masked with 0x7F (bit 6 leaks in)
        assert_eq!(utf8_to_utf16(b"\xc3\xe9\x80"), vec![0xE9 & 0x7F | 0xC0]);
        // >= 0xF8 lead: counted as one unit, filled with 0
        assert_eq!(utf8_to_utf16(b"ab\xf8cd"), vec![0x61, 0x62, 0]);
        assert_eq!(utf8_to_utf16(b"\xff"), vec![0]);
    }

    #[test]
    fn utf16_to_utf8_valid() {
        for s in ["", "hello", "café", "a😀b", "日本語", "\u{7ff}\u{800}\u{ffff}\u{10000}\u{10ffff}"] {
            assert_eq!(utf16_to_utf8(&u(s)), s.as_bytes(), "{s:?}");
        }
    }

    #[test]
    fn utf16_to_utf8_quirks() {
        // stops at NUL
        assert_eq!(utf16_to_utf8(&u("ab\0cd")), b"ab");
        // lone high surrogate eats the next unit
        let v = utf16_to_utf8(&[0xD83D, 0x61, 0x62]);
        assert_eq!(v.len(), 5);
        assert_eq!(v[4], b'b');
        // k = ((0x3D << 10) | (0x61 - 0xDC00)) + 0x10000, computed in i32
        let k: i32 = ((0x3D << 10) | (0x61 - 0xDC00)) + 0x10000;
        assert_eq!(
            &v[..4],
            &[(0xF0 | (k >> 18)) as u8, (0x80 | ((k >> 12) & 63)) as u8, (0x80 | ((k >> 6) & 63)) as u8, (0x80 | (k & 63)) as u8]
        );
        // lone surrogate at the end: combined with the terminator, then stop
        assert_eq!(utf16_to_utf8(&[0x61, 0xD800]).len(), 5);
        // lone low surrogate followed by a char also consumes it
        assert_eq!(utf16_to_utf8(&[0xDC00, 0x41, 0x42]).len(), 5);
    }

    #[test]
    fn case_mapping_reference() {
        assert_eq!(s16(&ucs2_upper(&u("MiXeD case 123 àé"))), "MIXED CASE 123 ÀÉ");
        assert_eq!(s16(&ucs2_lower(&u("MiXeD CASE 123 ÀÉ"))), "mixed case 123 àé");
        assert_eq!(s16(&ucs2_upper(&u("café naïve"))), "CAFÉ NAÏVE");
        assert_eq!(s16(&ucs2_upper(&u("a😀b"))), "A😀B");
        assert_eq!(ucs2_upper(&[0x61, 0, 0x62]), vec![0x41, 0, 0x42]);
    }

    #[test]
    fn case_mapping_matches_hashlink_table() {
        // Entries checked against HashLink's unicase table.
        let up: &[(u16, u16)] = &[
            (0xB5, 924), (0xFF, 376), (0x17F, 83), (0x131, 73), (0x1C4, 453), (0x1C6, 453),
            (0x1C5, 0x1C5), (0x250, 11375), (0x25C, 42923), (0x261, 42924), (0x265, 42893),
            (0x266, 42922), (0x26C, 42925), (0x287, 42929), (0x29E, 42928), (0x29D, 0x29D),
            (0x282, 0x282), (0x345, 921), (0x37B, 1021), (0x3C2, 931), (0x3D7, 975), (0x3F2, 1017),
            (0x3F3, 895), (0x3B0, 0x3B0), (0x3AC, 902), (0x1FB3, 8124), (0x1FBE, 921),
            (0x1D79, 42877), (0x1D7D, 11363), (0x1D8E, 0x1D8E), (0x2D27, 4295), (0x2D2D, 4301),
            (0x1E9B, 7776), (0x214E, 8498), (0x24D0, 9398), (0xFF41, 65313), (0xDF, 0xDF),
            (0x10D0, 0x10D0), (0xAB70, 0xAB70), (0x13F8, 0x13F8), (0xA7B5, 0xA7B5),
            (0x180, 579), (0x195, 502), (0x19A, 573), (0x19E, 544), (0x1BF, 503), (0x23F, 11390),
            (0x240, 11391), (0x242, 577), (0x280, 422), (0x283, 425), (0x288, 430), (0x289, 580),
            (0x28A, 433), (0x28C, 581), (0x292, 439),
        ];
        for &(c, want) in up {
            assert_eq!(ucs2_upper(&[c]), vec![want], "upper {c:#x}");
        }
        let lo: &[(u16, u16)] = &[
            (0x130, 105), (0x1C4, 454), (0x1C5, 454), (0x37F, 1011), (0x1E9E, 223), (0x2126, 969),
            (0x212A, 107), (0x212B, 229), (0x2132, 8526), (0x2C62, 619), (0x2C63, 7549),
            (0x2C6D, 593), (0x2C6E, 625), (0x2C6F, 592), (0x2C70, 594), (0x2C7E, 575),
            (0x2C7F, 576), (0xA78D, 613), (0xA7AA, 614), (0xA7AB, 604), (0xA7AC, 609),
            (0xA7AD, 620), (0xA7B0, 670), (0xA7B1, 647), (0xA7B2, 0xA7B2), (0x3F4, 952),
            (0x3F9, 1010), (0x3FD, 891), (0x10A0, 11520), (0x1F88, 8064), (0x2160, 8560),
            (0x24B6, 9424), (0xFF21, 65345), (0x13A0, 0x13A0), (0x1C90, 0x1C90),
            (0xD801, 0xD801), (0x178, 255), (0x220, 414), (0x23A, 11365), (0x23E, 11366),
            (0x23D, 410), (0x243, 384), (0x244, 649), (0x245, 652),
        ];
        for &(c, want) in lo {
            assert_eq!(ucs2_lower(&[c]), vec![want], "lower {c:#x}");
        }
    }

    #[test]
    fn url_encode_reference() {
        assert_eq!(s16(&url_encode(&u("a b&c=d/é?"))), "a%20b%26c%3Dd%2F%C3%A9%3F");
        assert_eq!(s16(&url_encode(&u("AZaz09_-.~!*'()"))), "AZaz09_-.%7E%21%2A%27%28%29");
        assert_eq!(s16(&url_encode(&u("日😀"))), "%E6%97%A5%F0%9F%98%80");
        // lone surrogates (and a low surrogate DFFF, which HashLink does not pair) alone
        assert_eq!(s16(&url_encode(&[0xD83D, 0x41])), "%ED%A0%BDA");
        assert_eq!(s16(&url_encode(&[0xDE00])), "%ED%B8%80");
        assert_eq!(s16(&url_encode(&[0xDBFF, 0xDFFF])), "%ED%AF%BF%ED%BF%BF");
        assert_eq!(s16(&url_encode(&u("a\0b"))), "a");
    }

    #[test]
    fn url_decode_reference() {
        assert_eq!(s16(&url_decode(&u("a%20b%26c+d%C3%A9"))), "a b&c dé");
        assert_eq!(s16(&url_decode(&u("100%"))), "100%");
        assert_eq!(s16(&url_decode(&u("%zz%4"))), "%zz%4");
        assert_eq!(s16(&url_decode(&u("%e6%97%a5"))), "日");
        assert_eq!(try_url_decode(&u("%C3")), Err(UrlDecodeError::Malformed));
        assert_eq!(try_url_decode(&u("%C3x")), Err(UrlDecodeError::Malformed));
        assert_eq!(try_url_decode(&u("%E6%97")), Err(UrlDecodeError::Malformed));
        assert_eq!(try_url_decode(&u("%F0%9F%98%80")), Ok(u("😀")));
        assert_eq!(try_url_decode(&u("%F0%9F%98")), Err(UrlDecodeError::Malformed));
        assert_eq!(url_decode(&u("%F0")), u("%F0"));
        // invalid hex after the second '%': 0x7F is used and decoding resumes after '%'
        assert_eq!(try_url_decode(&u("%C3%zz")), Ok(vec![0xFF, 0x7A, 0x7A]));
        // escaped surrogate -> lone surrogate unit
        assert_eq!(try_url_decode(&u("%ED%A0%BD")), Ok(vec![0xD83D]));
        assert_eq!(try_url_decode(&u("a\0%F0")), Ok(u("a")));
    }

    #[test]
    fn compare() {
        assert_eq!(string_compare(&u("abc"), &u("abd")), -1);
        assert_eq!(string_compare(&u("ab"), &u("abc")), -1);
        assert_eq!(string_compare(&u("same"), &u("same")), 0);
        assert_eq!(string_compare(&u("B"), &u("a")), -31);
        assert_eq!(string_compare(&u("é"), &u("z")), 111);
        assert_eq!(string_compare(&u(""), &u("xyz")), -3);
        assert_eq!(bytes_compare16(&u("ab"), &u("ax"), 1), 0);
        assert!(std_string_compare(&[0x100], &[0x61], 1) < 0);
        assert!(std_string_compare(&[0x62], &[0x61], 1) > 0);
        assert!(std_string_compare(&[0x161], &[0x61], 1) > 0);
        assert_eq!(std_string_compare(&u("abc"), &u("abd"), 2), 0);
    }
}
