//! Option letters and the pattern text handed to PCRE2.
//!
//! HashLink compiles with the 16-bit PCRE2 library, options `UTF | UCP | ALT_BSUX |
//! ALLOW_EMPTY_CLASS | MATCH_UNSET_BACKREF` plus
//! the letters' flags, and matches with a depth limit of 3500. We compile the
//! same pattern (decoded to UTF-8) with the same options in the 8-bit
//! library; the only textual difference is the spelling of `(*UTF16)`.

use super::error::NewError;

/// The depth limit HashLink sets on its PCRE2 match context
/// (`pcre2_set_depth_limit(match_context, 3500)`).
pub const HL_DEPTH_LIMIT: u32 = 3500;

/// Flags selected by the option letters of `std@regexp_new_options`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    /// `i`: `PCRE2_CASELESS`.
    pub caseless: bool,
    /// `s`: `PCRE2_DOTALL`.
    pub dotall: bool,
    /// `m`: `PCRE2_MULTILINE`.
    pub multiline: bool,
    /// `g`: `PCRE2_UNGREEDY` (sic). Haxe's `EReg` strips every `g` from the
    /// options before calling the native, so only direct native calls see it.
    pub ungreedy: bool,
}

impl Flags {
    /// Parses option letters as HashLink does: the text stops at the first
    /// NUL unit; `i`, `s`, `m`, `g` set flags, `u` is accepted and ignored
    /// (UTF and UCP are always on); anything else is
    /// [`NewError::UnknownOption`]. Letters may repeat.
    pub fn parse(options: &[u16]) -> Result<Flags, NewError> {
        let mut f = Flags::default();
        for &o in options.iter().take_while(|&&o| o != 0) {
            match o {
                0x69 => f.caseless = true,  // i
                0x73 => f.dotall = true,    // s
                0x6D => f.multiline = true, // m
                0x75 => {}                  // u
                0x67 => f.ungreedy = true,  // g
                _ => return Err(NewError::UnknownOption { option: o }),
            }
        }
        Ok(f)
    }
}

/// Start-of-pattern items PCRE2 recognises after `(*`, in its own order
/// (first prefix match wins). `UTF16)` is the 16-bit library's spelling, which
/// HashLink accepts and the 8-bit library does not; it is rewritten to `UTF)`.
const START_ITEMS: &[&str] = &[
    "UTF16)",
    "UTF)",
    "UCP)",
    "NOTEMPTY)",
    "NOTEMPTY_ATSTART)",
    "NO_AUTO_POSSESS)",
    "NO_DOTSTAR_ANCHOR)",
    "NO_JIT)",
    "NO_START_OPT)",
    "CASELESS_RESTRICT)",
    "TURKISH_CASING)",
    "LIMIT_HEAP=",
    "LIMIT_MATCH=",
    "LIMIT_DEPTH=",
    "LIMIT_RECURSION=",
    "CR)",
    "LF)",
    "CRLF)",
    "ANY)",
    "NUL)",
    "ANYCRLF)",
    "BSR_ANYCRLF)",
    "BSR_UNICODE)",
];

/// Cuts `pattern` at its first NUL unit (HashLink passes it NUL-terminated)
/// and decodes it, failing with PCRE2's UTF-16 messages on bad surrogates.
pub fn decode(pattern: &[u16]) -> Result<(Vec<u16>, String), NewError> {
    let end = pattern
        .iter()
        .position(|&u| u == 0)
        .unwrap_or(pattern.len());
    let units = &pattern[..end];
    let mut i = 0;
    while i < units.len() {
        let u = units[i];
        let bad = if (0xD800..0xDC00).contains(&u) {
            match units.get(i + 1) {
                None => Some("UTF-16 error: missing low surrogate at end"),
                Some(&l) if !(0xDC00..0xE000).contains(&l) => {
                    Some("UTF-16 error: invalid low surrogate")
                }
                Some(_) => {
                    i += 1;
                    None
                }
            }
        } else if (0xDC00..0xE000).contains(&u) {
            Some("UTF-16 error: isolated low surrogate")
        } else {
            None
        };
        if let Some(message) = bad {
            return Err(NewError::Compile {
                message: message.to_string(),
                pattern: units.to_vec(),
            });
        }
        i += 1;
    }
    // Validated above, so decoding cannot fail.
    let text = String::from_utf16_lossy(units);
    Ok((units.to_vec(), text))
}

/// Adapts the start-of-pattern items of a HashLink (16-bit PCRE2) pattern
/// for the 8-bit library: `(*UTF16)` becomes `(*UTF)`; `(*UTF8)`, which the
/// 16-bit library rejects, is rejected with its message. Only the leading
/// items are looked at, exactly as PCRE2 scans them.
pub fn rewrite(pattern: &str) -> Result<std::borrow::Cow<'_, str>, &'static str> {
    let bytes = pattern.as_bytes();
    let mut pos = 0;
    let mut utf16_at = Vec::new();
    while bytes[pos..].starts_with(b"(*") {
        let rest = &pattern[pos + 2..];
        if rest.starts_with("UTF8)") {
            return Err("(*VERB) not recognized or malformed");
        }
        let Some(name) = START_ITEMS.iter().find(|n| rest.starts_with(**n)) else {
            break;
        };
        let mut after = pos + 2 + name.len();
        if name.ends_with('=') {
            // Same integer reading as PCRE2: digits, stop before overflow, ')'.
            let mut c: u32 = 0;
            let digits = after;
            while after < bytes.len() && bytes[after].is_ascii_digit() {
                if c > u32::MAX / 10 - 1 {
                    break;
                }
                c = c * 10 + u32::from(bytes[after] - b'0');
                after += 1;
            }
            if after == digits || bytes.get(after) != Some(&b')') {
                break; // malformed: PCRE2 reports it
            }
            after += 1;
        } else if *name == "UTF16)" {
            utf16_at.push(pos);
        }
        pos = after;
    }
    if utf16_at.is_empty() {
        return Ok(std::borrow::Cow::Borrowed(pattern));
    }
    let mut out = String::with_capacity(pattern.len());
    let mut last = 0;
    for at in utf16_at {
        out.push_str(&pattern[last..at]);
        out.push_str("(*UTF)");
        last = at + "(*UTF16)".len();
    }
    out.push_str(&pattern[last..]);
    Ok(std::borrow::Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    #[test]
    fn option_letters() {
        assert_eq!(Flags::parse(&u("")).unwrap(), Flags::default());
        let f = Flags::parse(&u("ismug")).unwrap();
        assert!(f.caseless && f.dotall && f.multiline && f.ungreedy);
        assert_eq!(
            Flags::parse(&u("ix")),
            Err(NewError::UnknownOption {
                option: u16::from(b'x')
            })
        );
        assert_eq!(
            Flags::parse(&u("I")),
            Err(NewError::UnknownOption {
                option: u16::from(b'I')
            })
        );
        // Stops at NUL like the C string HashLink reads.
        assert!(
            Flags::parse(&[u16::from(b'i'), 0, u16::from(b'x')])
                .unwrap()
                .caseless
        );
    }

    #[test]
    fn rewrite_start_items() {
        assert_eq!(rewrite("abc").unwrap(), "abc");
        assert_eq!(
            rewrite("(*CRLF)(*UTF16)a(*UTF16)").unwrap(),
            "(*CRLF)(*UTF)a(*UTF16)"
        );
        assert_eq!(
            rewrite("(*LIMIT_DEPTH=10)(*UTF16)a").unwrap(),
            "(*LIMIT_DEPTH=10)(*UTF)a"
        );
        assert_eq!(rewrite("(*FAIL)(*UTF16)").unwrap(), "(*FAIL)(*UTF16)");
        assert!(rewrite("(*UCP)(*UTF8)a").is_err());
        assert!(rewrite("a(*UTF8)").is_ok());
    }

    #[test]
    fn pattern_decoding() {
        let (units, text) = decode(&[u16::from(b'a'), 0, u16::from(b'b')]).unwrap();
        assert_eq!(units, u("a"));
        assert_eq!(text, "a");
        let err = decode(&[u16::from(b'a'), 0xDC00]).unwrap_err();
        assert!(
            matches!(err, NewError::Compile { ref message, .. } if message == "UTF-16 error: isolated low surrogate")
        );
        let err = decode(&[0xD800]).unwrap_err();
        assert!(
            matches!(err, NewError::Compile { ref message, .. } if message == "UTF-16 error: missing low surrogate at end")
        );
        let err = decode(&[0xD800, 0x41]).unwrap_err();
        assert!(
            matches!(err, NewError::Compile { ref message, .. } if message == "UTF-16 error: invalid low surrogate")
        );
        assert_eq!(decode(&u("😀")).unwrap().1, "😀");
    }
}
