//! The only `unsafe` code: a minimal safe wrapper over `pcre2-sys`
//! (the vendored 8-bit PCRE2 that the `pcre2` crate also builds on).
//!
//! Why not the `pcre2` crate's `Regex`: its `ucp(true)` forces
//! `PCRE2_MATCH_INVALID_UTF`, under which `pcre2_match` re-validates the
//! subject from the start offset to the end on **every** call, so the
//! `EReg.map`/`replace`/`split` loops become quadratic (≈13 s for 50 000
//! matches in a 730 000-unit string); it also cannot set the depth limit or
//! `PCRE2_UNGREEDY`. Here we make the same calls HashLink makes: compile with
//! `UTF | UCP | flags`, match data from the pattern, a match context with a
//! depth limit, and `pcre2_match` with `PCRE2_NO_UTF_CHECK`.
//!
//! Soundness of `PCRE2_NO_UTF_CHECK`: subjects are `&str` (valid UTF-8 by
//! type) and the start offset is checked to be a character boundary, which is
//! exactly what PCRE2 requires for the flag.

use std::ffi::c_int;
use std::ptr::{self, NonNull};

use pcre2_sys::{
    PCRE2_ERROR_NOMATCH, PCRE2_INFO_CAPTURECOUNT, PCRE2_NO_UTF_CHECK, PCRE2_UNSET, pcre2_code_8,
    pcre2_code_free_8, pcre2_compile_8, pcre2_get_error_message_8, pcre2_get_ovector_count_8,
    pcre2_get_ovector_pointer_8, pcre2_match_8, pcre2_match_context_8,
    pcre2_match_context_create_8, pcre2_match_context_free_8, pcre2_match_data_8,
    pcre2_match_data_create_from_pattern_8, pcre2_match_data_free_8, pcre2_pattern_info_8,
    pcre2_set_depth_limit_8,
};

/// PCRE2's text for an error code (compile or match).
pub(crate) fn error_message(code: c_int) -> String {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is writable for its full length, which we pass.
    let n = unsafe { pcre2_get_error_message_8(code, buf.as_mut_ptr(), buf.len()) };
    match usize::try_from(n) {
        Ok(n) => String::from_utf8_lossy(&buf[..n.min(buf.len())]).into_owned(),
        Err(_) => format!("PCRE2 error {code}"),
    }
}

/// A compiled pattern with its own match data and match context, so that
/// match data can never be used with another pattern.
pub(crate) struct Pcre {
    code: NonNull<pcre2_code_8>,
    data: NonNull<pcre2_match_data_8>,
    context: NonNull<pcre2_match_context_8>,
    /// Ovector pairs available (>= capture count + 1).
    pairs: usize,
    /// Capture count + 1.
    groups: usize,
}

// SAFETY: the three PCRE2 blocks are exclusively owned; PCRE2 code is
// read-only after compilation and the match data/context are only touched
// through `&mut self` (matching) or `&self` (reading the ovector).
unsafe impl Send for Pcre {}
// SAFETY: as above; `&self` methods only read.
unsafe impl Sync for Pcre {}

/// Empty subjects still get a dereferenceable pointer (older PCRE2 versions
/// touched it; see rust-pcre2 issue #42).
static EMPTY: [u8; 1] = [0];

impl Pcre {
    /// Compiles `pattern` with `options`; sets `depth_limit` on the match
    /// context. `Err((code, offset))` on a compile error.
    pub(crate) fn compile(
        pattern: &str,
        options: u32,
        depth_limit: u32,
    ) -> Result<Pcre, (c_int, usize)> {
        let mut err: c_int = 0;
        let mut offset: usize = 0;
        let pat = if pattern.is_empty() {
            EMPTY.as_ptr()
        } else {
            pattern.as_ptr()
        };
        // SAFETY: `pat` is readable for `pattern.len()` bytes; the out
        // pointers are valid; a null compile context means defaults.
        let code = unsafe {
            pcre2_compile_8(
                pat,
                pattern.len(),
                options,
                &mut err,
                &mut offset,
                ptr::null_mut(),
            )
        };
        let Some(code) = NonNull::new(code) else {
            return Err((err, offset));
        };
        let mut captures: u32 = 0;
        // SAFETY: `code` is a live compiled pattern; CAPTURECOUNT writes a u32.
        let rc = unsafe {
            pcre2_pattern_info_8(
                code.as_ptr(),
                PCRE2_INFO_CAPTURECOUNT,
                (&raw mut captures).cast(),
            )
        };
        debug_assert_eq!(rc, 0);
        // SAFETY: `code` is live; a null general context means malloc/free.
        let data =
            unsafe { pcre2_match_data_create_from_pattern_8(code.as_ptr(), ptr::null_mut()) };
        // SAFETY: as above.
        let context = unsafe { pcre2_match_context_create_8(ptr::null_mut()) };
        let (Some(data), Some(context)) = (NonNull::new(data), NonNull::new(context)) else {
            // SAFETY: each pointer is either null (a no-op for the free
            // functions) or freshly allocated and not used afterwards.
            unsafe {
                pcre2_match_data_free_8(data);
                pcre2_match_context_free_8(context);
                pcre2_code_free_8(code.as_ptr());
            }
            panic!("PCRE2: out of memory creating match data");
        };
        // SAFETY: `context` is live. Always returns 0.
        unsafe { pcre2_set_depth_limit_8(context.as_ptr(), depth_limit) };
        // SAFETY: `data` is live.
        let pairs = unsafe { pcre2_get_ovector_count_8(data.as_ptr()) } as usize;
        let groups = captures as usize + 1;
        debug_assert!(pairs >= groups);
        Ok(Pcre {
            code,
            data,
            context,
            pairs,
            groups,
        })
    }

    /// Capture count + 1 (HashLink's `n_groups`).
    pub(crate) fn groups(&self) -> usize {
        self.groups
    }

    /// `pcre2_match(code, subject, subject.len(), start, NO_UTF_CHECK)`.
    /// `Ok(true)` on a match (read it with [`Pcre::group`]), `Ok(false)` on no
    /// match, `Err(code)` on any PCRE2 error (limits).
    ///
    /// # Panics
    ///
    /// If `start` is not a character boundary of `subject` (or is past it).
    pub(crate) fn find(&mut self, subject: &str, start: usize) -> Result<bool, c_int> {
        assert!(
            subject.is_char_boundary(start),
            "start offset {start} is not a char boundary"
        );
        let ptr = if subject.is_empty() {
            EMPTY.as_ptr()
        } else {
            subject.as_ptr()
        };
        // SAFETY: `ptr` is readable for `subject.len()` bytes of valid UTF-8
        // and `start` is a character boundary within it, which is what
        // PCRE2_NO_UTF_CHECK requires; code/data/context are live and were
        // created for each other.
        let rc = unsafe {
            pcre2_match_8(
                self.code.as_ptr(),
                ptr,
                subject.len(),
                start,
                PCRE2_NO_UTF_CHECK,
                self.data.as_ptr(),
                self.context.as_ptr(),
            )
        };
        if rc >= 0 {
            // rc == 0 would mean "ovector too small", impossible with match
            // data created from the pattern.
            Ok(true)
        } else if rc == PCRE2_ERROR_NOMATCH {
            Ok(false)
        } else {
            Err(rc)
        }
    }

    /// Byte span of group `i` of the last successful [`Pcre::find`], `None` if
    /// unset (did not participate, or `i` out of range).
    pub(crate) fn group(&self, i: usize) -> Option<(usize, usize)> {
        if i >= self.groups || i >= self.pairs {
            return None;
        }
        // SAFETY: `data` is live and its ovector has `pairs` pairs, of which
        // we read pair `i < pairs`. The ovector lives as long as `data`, and
        // `&self` excludes a concurrent `find`.
        let (s, e) = unsafe {
            let ov = pcre2_get_ovector_pointer_8(self.data.as_ptr());
            (*ov.add(2 * i), *ov.add(2 * i + 1))
        };
        if s == PCRE2_UNSET || e == PCRE2_UNSET {
            None
        } else {
            Some((s, e))
        }
    }
}

impl Drop for Pcre {
    fn drop(&mut self) {
        // SAFETY: all three were allocated by PCRE2 in `compile`, are owned by
        // `self` alone and are never used again.
        unsafe {
            pcre2_match_data_free_8(self.data.as_ptr());
            pcre2_match_context_free_8(self.context.as_ptr());
            pcre2_code_free_8(self.code.as_ptr());
        }
    }
}
