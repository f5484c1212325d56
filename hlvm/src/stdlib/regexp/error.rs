//! Errors of the three natives, with the exact texts HashLink raises.

use std::fmt;

/// Prefix of the value HashLink throws when `std@regexp_new_options` fails to
/// compile a pattern. The full text is
/// `"Regexp compilation error : " + <PCRE2 message> + " in " + <pattern>`.
pub const HL_COMPILE_ERROR_PREFIX: &str = "Regexp compilation error : ";

/// Text of the `String` HashLink throws (via `hl_error`) when `pcre2_match`
/// fails with anything but "no match" (depth/match limit hit, bad offset).
pub const HL_MATCH_ERROR: &str = "An error occurred while running pcre2_match()";

/// Text of the `String` HashLink throws when `std@regexp_matched_pos` is called
/// while the last match attempt failed (or none was made).
pub const HL_NOT_MATCHED_ERROR: &str = "Calling regexp_matched_pos() on an unmatched regexp";

/// Why [`super::Regex::new`] failed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NewError {
    /// An option letter other than `i`, `s`, `m`, `u`, `g` was given.
    ///
    /// HashLink does **not** throw here: `regexp_new_options` returns `null`,
    /// and the `EReg` object keeps a null handle (the next `match` then fails
    /// on it). A VM that wants to be exact returns null from the native.
    UnknownOption {
        /// The offending UTF-16 code unit.
        option: u16,
    },
    /// PCRE2 rejected the pattern. HashLink throws a value whose text is
    /// [`NewError::hl_exception_text`].
    Compile {
        /// PCRE2's message, e.g. `"missing closing parenthesis"`.
        message: String,
        /// The pattern as HashLink saw it (cut at the first NUL unit).
        pattern: Vec<u16>,
    },
}

impl NewError {
    /// The UTF-16 text of the value HashLink throws for this error, or `None`
    /// for [`NewError::UnknownOption`] (HashLink returns null instead).
    ///
    /// HashLink throws it as a `bytes` dynamic (not a `String` object)
    /// holding this NUL-terminated UTF-16 text.
    pub fn hl_exception_text(&self) -> Option<Vec<u16>> {
        match self {
            NewError::UnknownOption { .. } => None,
            NewError::Compile { message, pattern } => {
                let mut t: Vec<u16> = HL_COMPILE_ERROR_PREFIX.encode_utf16().collect();
                t.extend(message.encode_utf16());
                t.extend(" in ".encode_utf16());
                t.extend_from_slice(pattern);
                Some(t)
            }
        }
    }
}

impl fmt::Display for NewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NewError::UnknownOption { option } => match char::from_u32(u32::from(*option)) {
                Some(c) => write!(f, "unknown regexp option {c:?}"),
                None => write!(f, "unknown regexp option U+{option:04X}"),
            },
            NewError::Compile { .. } => {
                let text = self.hl_exception_text().unwrap_or_default();
                f.write_str(&String::from_utf16_lossy(&text))
            }
        }
    }
}

impl std::error::Error for NewError {}

/// Why a match attempt ([`super::Regex::exec`]) failed with an error rather
/// than a plain "no match". In every case HashLink throws [`HL_MATCH_ERROR`]
/// (or, for a range past the end of the string, reads past it: undefined).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MatchError {
    /// `pos + len` is past the end of the subject (or overflows).
    OutOfRange {
        /// Requested start, in UTF-16 units.
        pos: usize,
        /// Requested length, in UTF-16 units.
        len: usize,
        /// Subject length, in UTF-16 units.
        subject_len: usize,
    },
    /// PCRE2 reported an error, e.g. the depth limit (3500, as HashLink sets)
    /// or the match limit was reached.
    Pcre {
        /// PCRE2's error code (negative).
        code: i32,
        /// PCRE2's message for `code`.
        message: String,
    },
}

impl fmt::Display for MatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MatchError::OutOfRange {
                pos,
                len,
                subject_len,
            } => write!(
                f,
                "match range {pos}+{len} is outside a subject of {subject_len} code units"
            ),
            MatchError::Pcre { message, .. } => f.write_str(message),
        }
    }
}

impl std::error::Error for MatchError {}

/// Why [`super::Regex::matched_pos`] could not answer. HashLink throws a
/// `String` for both (see [`PosError::hl_message`]).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PosError {
    /// The last match attempt failed, errored, or none was made.
    NotMatched,
    /// The group index is negative or `>= group_count()`.
    OutOfBounds {
        /// The requested group index.
        index: i64,
    },
}

impl PosError {
    /// The exact text of the `String` HashLink throws.
    pub fn hl_message(&self) -> String {
        match self {
            PosError::NotMatched => HL_NOT_MATCHED_ERROR.to_string(),
            PosError::OutOfBounds { index } => format!("Matched index {index} outside bounds"),
        }
    }
}

impl fmt::Display for PosError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.hl_message())
    }
}

impl std::error::Error for PosError {}
