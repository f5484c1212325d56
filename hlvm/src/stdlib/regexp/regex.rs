//! The compiled regexp (HashLink's `ereg` abstract) and its match state.

use std::fmt;

use pcre2_sys::{
    PCRE2_ALLOW_EMPTY_CLASS, PCRE2_ALT_BSUX, PCRE2_CASELESS, PCRE2_DOTALL, PCRE2_MATCH_UNSET_BACKREF,
    PCRE2_MULTILINE, PCRE2_UCP, PCRE2_UNGREEDY, PCRE2_UTF,
};

use super::error::{HL_MATCH_ERROR, MatchError, NewError, PosError};
use super::ffi::{self, Pcre};
use super::pattern::{self, Flags, HL_DEPTH_LIMIT};
use super::subject::Subject;

/// A compiled HashLink regexp plus the result of its last match attempt,
/// like HashLink's `ereg` abstract (one PCRE2 code + one match data block).
///
/// Compiled with `UTF | UCP` always on (so `\w`, `\d`, `\b`, case folding are
/// Unicode-aware), plus `ALT_BSUX` (`\xhh` takes exactly two hex digits and `\x{..}`
/// is a literal `x`; `\uhhhh` is a character; `\U` is `U`), `ALLOW_EMPTY_CLASS` (`[]`
/// never matches, `[^]` matches any character) and `MATCH_UNSET_BACKREF` (a reference
/// to an unset group matches the empty string); never JIT-compiled, matched with a
/// depth limit of 3500: all as HashLink 1.17 does (`diff/ereg_edge`).
pub struct Regex {
    re: Pcre,
    /// Number of groups including group 0 (HashLink's `n_groups`).
    groups: usize,
    flags: Flags,
    pattern: Vec<u16>,
    /// Whether the last match attempt succeeded.
    matched: bool,
    /// `(start, len)` in UTF-16 units per group of the last successful
    /// match; `None` for a group that did not participate.
    spans: Vec<Option<(usize, usize)>>,
    /// Subject converted for the last [`Regex::exec`] call.
    cache: Option<Subject>,
}

impl fmt::Debug for Regex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Regex")
            .field("pattern", &String::from_utf16_lossy(&self.pattern))
            .field("flags", &self.flags)
            .field("groups", &self.groups)
            .field("matched", &self.matched)
            .field("spans", &self.spans)
            .finish_non_exhaustive()
    }
}

impl Regex {
    /// Compiles a regexp like `std@regexp_new_options(pattern, options)`.
    ///
    /// * `pattern`: UTF-16, read up to its first NUL unit (if any).
    /// * `options`: UTF-16 letters, read up to the first NUL: `i` caseless,
    ///   `s` dot matches newline, `m` multiline, `u` accepted and ignored,
    ///   `g` *ungreedy* (Haxe's `EReg` removes `g` before calling, so there it
    ///   only means "global" on the Haxe side).
    ///
    /// # Errors
    ///
    /// * [`NewError::UnknownOption`] for any other letter (checked before the
    ///   pattern; HashLink returns null, it does not throw).
    /// * [`NewError::Compile`] if PCRE2 rejects the pattern (HashLink throws
    ///   [`NewError::hl_exception_text`]).
    pub fn new(pattern: &[u16], options: &[u16]) -> Result<Regex, NewError> {
        let flags = Flags::parse(options)?;
        let (units, text) = pattern::decode(pattern)?;
        let compile_error = |message: String| NewError::Compile {
            message,
            pattern: units.clone(),
        };
        let source = pattern::rewrite(&text).map_err(|m| compile_error(m.to_string()))?;
        let mut options = PCRE2_UCP | PCRE2_UTF | PCRE2_ALT_BSUX | PCRE2_ALLOW_EMPTY_CLASS | PCRE2_MATCH_UNSET_BACKREF;
        for (on, bit) in [
            (flags.caseless, PCRE2_CASELESS),
            (flags.dotall, PCRE2_DOTALL),
            (flags.multiline, PCRE2_MULTILINE),
            (flags.ungreedy, PCRE2_UNGREEDY),
        ] {
            if on {
                options |= bit;
            }
        }
        let re = Pcre::compile(&source, options, HL_DEPTH_LIMIT)
            .map_err(|(code, _offset)| compile_error(ffi::error_message(code)))?;
        let groups = re.groups();
        Ok(Regex {
            re,
            groups,
            flags,
            pattern: units,
            matched: false,
            spans: vec![None; groups],
            cache: None,
        })
    }

    /// [`Regex::new`] shaped like the native: `Ok(None)` where HashLink
    /// returns null (unknown option), `Err(text)` where it throws (the UTF-16
    /// text of the thrown `bytes` value).
    pub fn hl_new(pattern: &[u16], options: &[u16]) -> Result<Option<Regex>, Vec<u16>> {
        match Regex::new(pattern, options) {
            Ok(r) => Ok(Some(r)),
            Err(e) => e.hl_exception_text().map_or(Ok(None), Err),
        }
    }

    /// The pattern as compiled (cut at the first NUL), in UTF-16.
    pub fn pattern(&self) -> &[u16] {
        &self.pattern
    }

    /// The flags the option letters selected.
    pub fn flags(&self) -> Flags {
        self.flags
    }

    /// Number of groups **including group 0**, i.e. capture groups + 1. This is
    /// HashLink's `n_groups`: valid indices for [`Regex::matched_pos`] are
    /// `0..group_count()`.
    pub fn group_count(&self) -> usize {
        self.groups
    }

    /// Number of capturing groups in the pattern (`group_count() - 1`).
    pub fn capture_count(&self) -> usize {
        self.groups - 1
    }

    /// Whether the last match attempt succeeded (false before any).
    pub fn is_matched(&self) -> bool {
        self.matched
    }

    /// Searches `subject[pos..pos + len]` like `std@regexp_match(r, s, pos, len)`
    /// and records the result for [`Regex::matched_pos`].
    ///
    /// `subject` is the whole string (HashLink passes the string's buffer):
    /// PCRE2 is called with the subject cut at `pos + len` and a start offset
    /// of `pos`. So:
    /// * nothing at or after `pos + len` is seen; `$`, `\z`, `\b` treat
    ///   `pos + len` as the end of the string;
    /// * text before `pos` **is** seen by lookbehinds and `\b`, but `^` and
    ///   `\A` do not match at `pos` when `pos > 0` (unless `m` and a newline
    ///   precedes), e.g. `^\d` does not match `"a1"` from 1;
    /// * returned positions are absolute indices into `subject`.
    ///
    /// The converted subject is cached: calling again with the same contents
    /// (or a prefix of them) costs one comparison, not a conversion. Use
    /// [`Regex::exec_subject`] to skip even that.
    ///
    /// # Errors
    ///
    /// [`MatchError::OutOfRange`] if `pos + len > subject.len()`;
    /// [`MatchError::Pcre`] if PCRE2 fails (depth or match limit). In both
    /// cases the regexp is left unmatched. HashLink throws
    /// [`HL_MATCH_ERROR`] for the latter (and reads out of bounds for the
    /// former).
    pub fn exec(&mut self, subject: &[u16], pos: usize, len: usize) -> Result<bool, MatchError> {
        let cached = match self.cache.take() {
            Some(c) if c.starts_with(subject) => c,
            _ => Subject::new(subject),
        };
        let result = self.exec_in(&cached, subject.len(), pos, len);
        self.cache = Some(cached);
        result
    }

    /// [`Regex::exec`] on an already converted subject (see [`Subject`]).
    ///
    /// # Errors
    ///
    /// As for [`Regex::exec`].
    pub fn exec_subject(
        &mut self,
        subject: &Subject,
        pos: usize,
        len: usize,
    ) -> Result<bool, MatchError> {
        self.exec_in(subject, subject.len(), pos, len)
    }

    /// The native with HashLink's `i32` arguments and error text: `Err(text)`
    /// is the `String` HashLink throws ([`HL_MATCH_ERROR`]). Negative `pos` or
    /// `len` is an error, as PCRE2 reports a bad offset for them in HashLink.
    pub fn hl_match(&mut self, subject: &[u16], pos: i32, len: i32) -> Result<bool, String> {
        let (Ok(p), Ok(l)) = (usize::try_from(pos), usize::try_from(len)) else {
            self.matched = false;
            return Err(HL_MATCH_ERROR.to_string());
        };
        self.exec(subject, p, l)
            .map_err(|_| HL_MATCH_ERROR.to_string())
    }

    /// Matches within `subject`, whose first `limit` units are the real
    /// subject (the cached one may be longer).
    fn exec_in(
        &mut self,
        subject: &Subject,
        limit: usize,
        pos: usize,
        len: usize,
    ) -> Result<bool, MatchError> {
        self.matched = false;
        let end = match pos.checked_add(len) {
            Some(end) if end <= limit => end,
            _ => {
                return Err(MatchError::OutOfRange {
                    pos,
                    len,
                    subject_len: limit,
                });
            }
        };
        match (subject.byte_offset(pos), subject.byte_offset(end)) {
            (Some(start_b), Some(end_b)) => self.run(subject, start_b, end_b),
            _ => {
                // `pos` or `end` splits a surrogate pair: re-encode with that
                // pair as two lone surrogates (HashLink's PCRE sees halves).
                let split = Subject::encode(&subject.units()[..end], Some(pos));
                let start_b = split.byte_offset(pos).unwrap_or(split.utf8().len());
                let end_b = split.utf8().len();
                self.run(&split, start_b, end_b)
            }
        }
    }

    fn run(&mut self, subject: &Subject, start_b: usize, end_b: usize) -> Result<bool, MatchError> {
        let found = self
            .re
            .find(&subject.utf8()[..end_b], start_b)
            .map_err(|code| MatchError::Pcre {
                code,
                message: ffi::error_message(code),
            })?;
        if !found {
            return Ok(false);
        }
        for (i, span) in self.spans.iter_mut().enumerate() {
            *span = self.re.group(i).map(|(s, e)| {
                let s16 = subject.unit_offset(s);
                (s16, subject.unit_offset(e) - s16)
            });
        }
        self.matched = true;
        Ok(true)
    }

    /// Position of group `n` of the last match, like `std@regexp_matched_pos`:
    /// `Ok(Some((start, len)))` in UTF-16 units (start is an absolute index
    /// into the subject), `Ok(None)` if group `n` did not participate.
    ///
    /// # Errors
    ///
    /// [`PosError::NotMatched`] if the last match attempt failed or none was
    /// made (checked first), [`PosError::OutOfBounds`] if
    /// `n >= group_count()`. HashLink throws [`PosError::hl_message`] for both.
    pub fn matched_pos(&self, n: usize) -> Result<Option<(usize, usize)>, PosError> {
        if !self.matched {
            return Err(PosError::NotMatched);
        }
        match self.spans.get(n) {
            Some(span) => Ok(*span),
            None => Err(PosError::OutOfBounds {
                index: i64::try_from(n).unwrap_or(i64::MAX),
            }),
        }
    }

    /// The native with HashLink's types: `Ok((start, len))`, where a group
    /// that did not participate gives `(-1, 0)` (PCRE2's unset offsets), and
    /// `Err(text)` is the `String` HashLink throws.
    pub fn hl_matched_pos(&self, n: i32) -> Result<(i32, i32), String> {
        if !self.matched {
            return Err(PosError::NotMatched.hl_message());
        }
        let span = usize::try_from(n)
            .ok()
            .and_then(|i| self.spans.get(i))
            .ok_or_else(|| {
                PosError::OutOfBounds {
                    index: i64::from(n),
                }
                .hl_message()
            })?;
        Ok(match *span {
            // HashLink strings are indexed by i32, so these fit.
            Some((s, l)) => (s as i32, l as i32),
            None => (-1, 0),
        })
    }

    /// `std@regexp_matched_num`: `-1` if the last attempt failed, otherwise
    /// [`Regex::group_count`].
    pub fn hl_matched_num(&self) -> i32 {
        if self.matched {
            i32::try_from(self.groups).unwrap_or(i32::MAX)
        } else {
            -1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use super::super::error::HL_NOT_MATCHED_ERROR;

    fn u(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    fn rx(p: &str, o: &str) -> Regex {
        Regex::new(&u(p), &u(o)).unwrap()
    }

    /// Matches `s[pos..pos+len]` and returns group 0's span.
    fn find(r: &mut Regex, s: &str, pos: usize, len: Option<usize>) -> Option<(usize, usize)> {
        let s = u(s);
        let len = len.unwrap_or(s.len() - pos);
        if r.exec(&s, pos, len).unwrap() {
            r.matched_pos(0).unwrap()
        } else {
            None
        }
    }

    #[test]
    fn group_counts() {
        let r = rx("(a)(?:b)(c)?", "");
        assert_eq!(r.group_count(), 3);
        assert_eq!(r.capture_count(), 2);
        assert_eq!(rx("x", "").group_count(), 1);
    }

    #[test]
    fn unknown_option_is_null_not_throw() {
        let e = Regex::new(&u("a"), &u("ix")).unwrap_err();
        assert_eq!(
            e,
            NewError::UnknownOption {
                option: u16::from(b'x')
            }
        );
        assert_eq!(e.hl_exception_text(), None);
        assert!(matches!(Regex::hl_new(&u("a"), &u("x")), Ok(None)));
        // Options are checked before the pattern is compiled.
        assert!(matches!(Regex::hl_new(&u("("), &u("x")), Ok(None)));
    }

    #[test]
    fn compile_error_text() {
        let e = Regex::new(&u("(unclosed"), &u("")).unwrap_err();
        let text = String::from_utf16(&e.hl_exception_text().unwrap()).unwrap();
        assert_eq!(
            text,
            "Regexp compilation error : missing closing parenthesis in (unclosed"
        );
        assert_eq!(e.to_string(), text);
        let Err(t) = Regex::hl_new(&u("a{2,1}"), &u("")) else {
            panic!()
        };
        assert_eq!(
            String::from_utf16(&t).unwrap(),
            "Regexp compilation error : numbers out of order in {} quantifier in a{2,1}"
        );
        let Err(t) = Regex::hl_new(&u("(*UTF8)a"), &u("")) else {
            panic!()
        };
        assert_eq!(
            String::from_utf16(&t).unwrap(),
            "Regexp compilation error : (*VERB) not recognized or malformed in (*UTF8)a"
        );
        // Pattern is read up to its first NUL.
        let mut p = u("ab");
        p.push(0);
        p.extend(u("("));
        let mut r = Regex::new(&p, &u("")).unwrap();
        assert_eq!(r.pattern(), u("ab").as_slice());
        assert_eq!(find(&mut r, "xab", 0, None), Some((1, 2)));
        // Start-of-pattern items, with the 16-bit spelling of (*UTF).
        let mut r = rx("(*LIMIT_MATCH=100000)(*UTF16)a", "");
        assert_eq!(find(&mut r, "ba", 0, None), Some((1, 1)));
    }

    #[test]
    fn option_letters_take_effect() {
        assert_eq!(
            find(&mut rx("HELLO", "i"), "say hello", 0, None),
            Some((4, 5))
        );
        assert_eq!(find(&mut rx("a.b", "s"), "a\nb", 0, None), Some((0, 3)));
        assert_eq!(find(&mut rx("a.b", ""), "a\nb", 0, None), None);
        assert_eq!(find(&mut rx("^b", "m"), "a\nb", 0, None), Some((2, 1)));
        assert_eq!(find(&mut rx("^b", "u"), "a\nb", 0, None), None);
        // 'g' at the native level is PCRE2_UNGREEDY.
        assert_eq!(find(&mut rx("a+", "g"), "aaa", 0, None), Some((0, 1)));
        assert_eq!(find(&mut rx("a+?", "g"), "aaa", 0, None), Some((0, 3)));
        assert!(rx("a", "g").flags().ungreedy);
    }

    #[test]
    fn ucp_is_on() {
        assert_eq!(find(&mut rx(r"^\w+$", ""), "naïve", 0, None), Some((0, 5)));
        assert_eq!(find(&mut rx(r"\d+", ""), "x٣٤y", 0, None), Some((1, 2)));
        assert_eq!(find(&mut rx(r"\bé", ""), "aé é", 0, None), Some((3, 1)));
        assert_eq!(find(&mut rx("ÉTÉ", "i"), "été", 0, None), Some((0, 3)));
    }

    #[test]
    fn pos_len_semantics() {
        // len bounds the subject: $ and \b see pos+len as the end.
        assert_eq!(
            find(&mut rx(r"\d+", ""), "12 34 56", 3, Some(1)),
            Some((3, 1))
        );
        assert_eq!(find(&mut rx("b$", ""), "abc", 0, Some(2)), Some((1, 1)));
        assert_eq!(find(&mut rx(r"b\b", ""), "abc", 0, Some(2)), Some((1, 1)));
        assert_eq!(find(&mut rx("c", ""), "abc", 0, Some(2)), None);
        // Text before pos is visible to lookbehind and \b ...
        assert_eq!(find(&mut rx("(?<=a)b", ""), "ab", 1, None), Some((1, 1)));
        assert_eq!(find(&mut rx(r"\bb", ""), "ab b", 1, None), Some((3, 1)));
        // ... but ^ and \A do not match at pos > 0 (\G does).
        assert_eq!(find(&mut rx(r"^\d", ""), "a1", 1, None), None);
        assert_eq!(find(&mut rx(r"\A\d", ""), "a1", 1, None), None);
        assert_eq!(find(&mut rx(r"\G\d", ""), "a1", 1, None), Some((1, 1)));
        assert_eq!(find(&mut rx(r"^\d", "m"), "a\n1", 2, None), Some((2, 1)));
        // Empty range at the end.
        assert_eq!(find(&mut rx("$", ""), "ab", 2, Some(0)), Some((2, 0)));
        assert_eq!(find(&mut rx("x*", ""), "", 0, None), Some((0, 0)));
    }

    #[test]
    fn matched_pos_states() {
        let mut r = rx("(a)?(b)", "");
        assert_eq!(r.matched_pos(0), Err(PosError::NotMatched));
        assert_eq!(r.hl_matched_pos(0), Err(HL_NOT_MATCHED_ERROR.to_string()));
        assert_eq!(r.hl_matched_num(), -1);
        let s = u("xb");
        assert_eq!(r.exec(&s, 0, 2), Ok(true));
        assert_eq!(r.matched_pos(0), Ok(Some((1, 1))));
        assert_eq!(r.matched_pos(1), Ok(None));
        assert_eq!(r.matched_pos(2), Ok(Some((1, 1))));
        assert_eq!(r.matched_pos(3), Err(PosError::OutOfBounds { index: 3 }));
        assert_eq!(r.hl_matched_pos(1), Ok((-1, 0)));
        assert_eq!(
            r.hl_matched_pos(3),
            Err("Matched index 3 outside bounds".to_string())
        );
        assert_eq!(
            r.hl_matched_pos(-1),
            Err("Matched index -1 outside bounds".to_string())
        );
        assert_eq!(r.hl_matched_num(), 3);
        // Trailing groups that did not participate are unset too.
        let mut t = rx("(a)(b)?(c)?", "");
        assert_eq!(t.exec(&u("xa"), 0, 2), Ok(true));
        assert_eq!(t.matched_pos(2), Ok(None));
        assert_eq!(t.hl_matched_pos(3), Ok((-1, 0)));
        // A failed attempt forgets the previous match.
        assert_eq!(r.exec(&u("zzz"), 0, 3), Ok(false));
        assert_eq!(r.matched_pos(0), Err(PosError::NotMatched));
    }

    #[test]
    fn match_errors() {
        let mut r = rx("a", "");
        let s = u("aaa");
        assert!(r.exec(&s, 0, 3).unwrap());
        assert_eq!(
            r.exec(&s, 2, 2),
            Err(MatchError::OutOfRange {
                pos: 2,
                len: 2,
                subject_len: 3
            })
        );
        assert!(!r.is_matched());
        assert_eq!(
            r.exec(&s, usize::MAX, 2).unwrap_err(),
            MatchError::OutOfRange {
                pos: usize::MAX,
                len: 2,
                subject_len: 3
            }
        );
        assert_eq!(r.hl_match(&s, -1, 2), Err(HL_MATCH_ERROR.to_string()));
        assert_eq!(r.hl_match(&s, 2, -1), Err(HL_MATCH_ERROR.to_string()));
        assert_eq!(r.hl_match(&s, 1, 2), Ok(true));
        assert_eq!(r.hl_matched_pos(0), Ok((1, 1)));
    }

    #[test]
    fn depth_limit_like_hashlink() {
        // Each iteration of a group with alternatives leaves a backtrack
        // point; HashLink's depth limit of 3500 stops this long before the end.
        let mut r = rx("(?:a|b)*c", "");
        let long = u(&("a".repeat(10_000) + "c"));
        let err = r.exec(&long, 0, long.len()).unwrap_err();
        assert!(matches!(err, MatchError::Pcre { .. }), "{err:?}");
        assert_eq!(
            r.hl_match(&long, 0, 10_001),
            Err(HL_MATCH_ERROR.to_string())
        );
        assert!(!r.is_matched());
        // Short inputs are fine.
        let short = u(&("a".repeat(1000) + "c"));
        assert_eq!(r.exec(&short, 0, 1001), Ok(true));
        // A lower limit in the pattern wins, as min(context, pattern) does.
        let mut low = rx("(*LIMIT_DEPTH=10)(?:a|b)*c", "");
        assert!(low.exec(&u(&("a".repeat(100) + "c")), 0, 101).is_err());
    }

    #[test]
    fn utf16_offsets() {
        let mut r = rx("(😀+)", "");
        assert_eq!(find(&mut r, "hi 😀😀 there", 0, None), Some((3, 4)));
        assert_eq!(r.matched_pos(1), Ok(Some((3, 4))));
        let mut r = rx("(é+)(.)", "");
        assert_eq!(find(&mut r, "caféé!", 0, None), Some((3, 3)));
        assert_eq!(r.matched_pos(2), Ok(Some((5, 1))));
        // Starting after an astral char.
        assert_eq!(find(&mut rx("a", ""), "😀a😀a", 3, None), Some((5, 1)));
    }

    #[test]
    fn split_surrogate_pairs_and_lone_surrogates() {
        let mut r = rx(".", "");
        let s = [0xD83D, 0xDE00, u16::from(b'x')];
        // From the low half: it is matched alone, as HashLink's PCRE reads it.
        assert_eq!(r.exec(&s, 1, 2), Ok(true));
        assert_eq!(r.matched_pos(0), Ok(Some((1, 1))));
        // Range ending after the high half: the high half alone.
        assert_eq!(r.exec(&s, 0, 1), Ok(true));
        assert_eq!(r.matched_pos(0), Ok(Some((0, 1))));
        // Whole pair.
        assert_eq!(r.exec(&s, 0, 3), Ok(true));
        assert_eq!(r.matched_pos(0), Ok(Some((0, 2))));
        // Lone surrogates: matched by . and \W, not by \w.
        let lone = [u16::from(b'a'), 0xDC00, u16::from(b'b')];
        let mut w = rx(r"\W", "");
        assert_eq!(w.exec(&lone, 0, 3), Ok(true));
        assert_eq!(w.matched_pos(0), Ok(Some((1, 1))));
        let mut ww = rx(r"^\w+$", "");
        assert_eq!(ww.exec(&lone, 0, 3), Ok(false));
    }

    #[test]
    fn cache_never_goes_stale() {
        let mut r = rx("b", "");
        assert_eq!(r.exec(&u("abc"), 0, 3), Ok(true));
        assert_eq!(r.matched_pos(0), Ok(Some((1, 1))));
        // Different contents, same length.
        assert_eq!(r.exec(&u("bcd"), 0, 3), Ok(true));
        assert_eq!(r.matched_pos(0), Ok(Some((0, 1))));
        // A prefix of the cached string reuses it but is bounded by its own length.
        assert_eq!(r.exec(&u("bcdb"), 1, 3), Ok(true));
        assert_eq!(r.matched_pos(0), Ok(Some((3, 1))));
        assert_eq!(r.exec(&u("bcd"), 1, 2), Ok(false));
        assert_eq!(
            r.exec(&u("bcd"), 1, 3).unwrap_err(),
            MatchError::OutOfRange {
                pos: 1,
                len: 3,
                subject_len: 3
            }
        );
        // Prefix ending inside a pair of the cached string.
        let mut dot = rx(".$", "");
        assert_eq!(dot.exec(&u("x😀"), 0, 3), Ok(true));
        assert_eq!(dot.matched_pos(0), Ok(Some((1, 2))));
        let cut = [u16::from(b'x'), 0xD83D];
        assert_eq!(dot.exec(&cut, 0, 2), Ok(true));
        assert_eq!(dot.matched_pos(0), Ok(Some((1, 1))));
    }

    #[test]
    fn prepared_subject() {
        let subject = Subject::new(&u("k1=v1;k2=v2;"));
        let mut r = rx(r"k(\d)=v\1;", "");
        let mut pos = 0;
        let mut found = vec![];
        while r.exec_subject(&subject, pos, subject.len() - pos).unwrap() {
            let (s, l) = r.matched_pos(0).unwrap().unwrap();
            found.push((s, l, r.matched_pos(1).unwrap().unwrap().0));
            pos = s + l;
        }
        assert_eq!(found, vec![(0, 6, 1), (6, 6, 7)]);
    }
}
