//! The only `unsafe` code of `fmt`: a minimal safe wrapper over zlib (`libz-sys`).
//!
//! Why zlib itself and not a Rust deflate (miniz_oxide, flate2's default backend):
//! HashLink's `fmt.hdll` links the system zlib, and Haxe programs can see everything
//! zlib does: the exact compressed bytes at each level and flush mode, `deflateBound`,
//! the numeric return codes (a `Z_BUF_ERROR` is an exception on HashLink) and the text
//! of `z_stream.msg` ("invalid block type", "incorrect data check", ...), which ends up
//! in the exception message. A different compressor or inflater would give other bytes
//! and other messages. flate2's zlib backend hides the codes, panics on some window
//! sizes and levels zlib merely refuses, and offers no `deflateBound`, so we make the
//! same five calls HashLink makes directly. `libz-sys` links the system zlib (as HashLink
//! does; `scripts/install-deps.sh` installs its headers). Without one it builds its
//! bundled copy, a newer zlib whose compressed bytes match but whose `deflateBound`
//! answers differ from zlib 1.2.13's, which HashLink 1.17 uses on this machine.
//!
//! The checksums (`crc32`, `adler32`) come from zlib too, for the same reason: HashLink's
//! `digest` calls them with the caller's running value, including non-canonical Adler
//! values and null buffers, and zlib's exact answers for those are what programs see.

use std::ffi::{c_int, CStr};
use std::ptr;

use libz_sys::{
    adler32, crc32, deflate, deflateBound, deflateEnd, deflateInit_, inflate, inflateEnd, inflateInit2_, uInt,
    uLong, voidpf, z_stream, zlibVersion, Bytef, Z_STREAM_ERROR,
};

/// zlib return code for "end of stream reached" (`Z_STREAM_END`).
pub(crate) const Z_STREAM_END: c_int = libz_sys::Z_STREAM_END;

/// Flush values as zlib numbers them.
pub(crate) const Z_NO_FLUSH: c_int = libz_sys::Z_NO_FLUSH;
pub(crate) const Z_SYNC_FLUSH: c_int = libz_sys::Z_SYNC_FLUSH;
pub(crate) const Z_FULL_FLUSH: c_int = libz_sys::Z_FULL_FLUSH;
pub(crate) const Z_FINISH: c_int = libz_sys::Z_FINISH;
pub(crate) const Z_BLOCK: c_int = libz_sys::Z_BLOCK;

/// zlib's allocation hook: zlib's own default allocates with the C heap too.
unsafe extern "C" fn zalloc(_opaque: voidpf, items: uInt, size: uInt) -> voidpf {
    // SAFETY: calloc has no preconditions; zlib checks the result for null.
    unsafe { libc::calloc(items as usize, size as usize) }
}

/// zlib's release hook, pairing [`zalloc`].
unsafe extern "C" fn zfree(_opaque: voidpf, address: voidpf) {
    // SAFETY: zlib only passes pointers it got from `zalloc` (or null).
    unsafe { libc::free(address) }
}

/// A fresh `z_stream` with no state, as zlib wants it before `*Init*`.
fn blank() -> Box<z_stream> {
    Box::new(z_stream {
        next_in: ptr::null_mut(),
        avail_in: 0,
        total_in: 0,
        next_out: ptr::null_mut(),
        avail_out: 0,
        total_out: 0,
        msg: ptr::null_mut(),
        state: ptr::null_mut(),
        zalloc,
        zfree,
        opaque: ptr::null_mut(),
        data_type: 0,
        adler: 0,
        reserved: 0,
    })
}

/// Which zlib engine a [`Stream`] was initialised for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    Inflate,
    Deflate,
}

/// What one `inflate`/`deflate` call did.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Step {
    /// zlib's return code (`Z_OK`, `Z_STREAM_END`, `Z_NEED_DICT`, or a negative error).
    pub code: c_int,
    /// Input bytes consumed.
    pub read: usize,
    /// Output bytes produced.
    pub written: usize,
}

/// One zlib stream (inflate or deflate), owned and ended on drop.
///
/// Invariant: `z` is boxed so its address never changes (zlib's state points back at
/// it), and `next_in`/`next_out` are null between calls, so no borrowed buffer is
/// remembered past the call that lent it.
pub(crate) struct Stream {
    z: Box<z_stream>,
    kind: Kind,
    /// Whether `*End` is still owed (false after [`Stream::end`] or a failed init).
    live: bool,
}

impl Stream {
    /// `inflateInit2(window_bits)`: `8..=15` zlib wrapper, `-8..=-15` raw deflate,
    /// `+16` gzip, `+32` automatic zlib/gzip detection (zlib's rules).
    ///
    /// # Errors
    /// zlib's (negative) code when it refuses the parameters.
    pub(crate) fn inflate(window_bits: i32) -> Result<Stream, c_int> {
        let mut z = blank();
        // SAFETY: `z` is a valid, state-less z_stream with allocation hooks; the version
        // string and struct size come from the linked zlib's own declarations.
        let rc = unsafe {
            inflateInit2_(&mut *z, window_bits, zlibVersion(), std::mem::size_of::<z_stream>() as c_int)
        };
        if rc != libz_sys::Z_OK {
            return Err(rc);
        }
        Ok(Stream { z, kind: Kind::Inflate, live: true })
    }

    /// `deflateInit(level)`: zlib wrapper, 15-bit window, memory level 8; `level` is
    /// `-1` (default, 6) or `0..=9`.
    ///
    /// # Errors
    /// zlib's (negative) code when it refuses the level.
    pub(crate) fn deflate(level: i32) -> Result<Stream, c_int> {
        let mut z = blank();
        // SAFETY: as in `inflate`.
        let rc = unsafe { deflateInit_(&mut *z, level, zlibVersion(), std::mem::size_of::<z_stream>() as c_int) };
        if rc != libz_sys::Z_OK {
            return Err(rc);
        }
        Ok(Stream { z, kind: Kind::Deflate, live: true })
    }

    /// One `inflate` or `deflate` call (per `kind`, which must match the stream's;
    /// otherwise `Z_STREAM_ERROR` without calling zlib) from `input` into `output`.
    /// `None` stands for a null pointer (which zlib refuses for a non-empty buffer, and
    /// for the output always), as HashLink passes for an empty `hl.Bytes`.
    pub(crate) fn step(&mut self, kind: Kind, input: Option<&[u8]>, output: Option<&mut [u8]>, flush: c_int) -> Step {
        let (in_ptr, in_len) = input.map_or((ptr::null(), 0), |i| (i.as_ptr(), i.len()));
        let (out_ptr, out_len) = output.map_or((ptr::null_mut(), 0), |o| (o.as_mut_ptr(), o.len()));
        // SAFETY: the pointers are null (with length 0) or come from live slices of those
        // lengths, borrowed (the output exclusively) for this call.
        unsafe { self.step_raw(kind, in_ptr, in_len, out_ptr, out_len, flush) }
    }

    /// [`Stream::step`] with the input and output both inside `block` (they may overlap,
    /// as they can on HashLink when a program passes one `Bytes` for both: zlib then
    /// reads what it has already written, exactly as there). `None` if a range is not
    /// inside `block`.
    pub(crate) fn step_within(
        &mut self,
        kind: Kind,
        block: &mut [u8],
        input: std::ops::Range<usize>,
        output: std::ops::Range<usize>,
        flush: c_int,
    ) -> Option<Step> {
        let size = block.len();
        if input.start > input.end || input.end > size || output.start > output.end || output.end > size {
            return None;
        }
        let base = block.as_mut_ptr();
        // SAFETY: both ranges were checked to lie inside `block`, which is exclusively
        // borrowed for this call; no Rust reference into it is used while zlib runs.
        unsafe {
            Some(self.step_raw(
                kind,
                base.add(input.start),
                input.len(),
                base.add(output.start),
                output.len(),
                flush,
            ))
        }
    }

    /// # Safety
    /// `next_in` must be null (with `in_len` 0) or readable for `in_len` bytes, and
    /// `next_out` null (with `out_len` 0) or writable for `out_len` bytes, for the whole
    /// call; the two may overlap.
    unsafe fn step_raw(
        &mut self,
        kind: Kind,
        next_in: *const u8,
        in_len: usize,
        next_out: *mut u8,
        out_len: usize,
        flush: c_int,
    ) -> Step {
        // Lengths come from HashLink Int arguments (non-negative i32), so they fit a uInt.
        let (Ok(avail_in), Ok(avail_out)) = (uInt::try_from(in_len), uInt::try_from(out_len)) else {
            return Step { code: Z_STREAM_ERROR, read: 0, written: 0 };
        };
        if kind != self.kind {
            return Step { code: Z_STREAM_ERROR, read: 0, written: 0 };
        }
        self.z.next_in = next_in.cast_mut();
        self.z.avail_in = avail_in;
        self.z.next_out = next_out;
        self.z.avail_out = avail_out;
        // SAFETY: the buffers are valid for the call per this function's contract (zlib
        // reads input through a const pointer and never writes it); the stream is
        // initialised for `kind` or has a null state, which zlib rejects with
        // Z_STREAM_ERROR.
        let code = unsafe {
            match self.kind {
                Kind::Inflate => inflate(&mut *self.z, flush),
                Kind::Deflate => deflate(&mut *self.z, flush),
            }
        };
        let read = in_len - self.z.avail_in as usize;
        let written = out_len - self.z.avail_out as usize;
        self.z.next_in = ptr::null_mut();
        self.z.avail_in = 0;
        self.z.next_out = ptr::null_mut();
        self.z.avail_out = 0;
        Step { code, read, written }
    }

    /// zlib's last message (`z_stream.msg`), if it set one. zlib never clears it, so it
    /// can be left over from an earlier call, exactly as HashLink reports it.
    pub(crate) fn message(&self) -> Option<String> {
        if self.z.msg.is_null() {
            return None;
        }
        // SAFETY: zlib only stores pointers to its static, NUL-terminated messages.
        Some(unsafe { CStr::from_ptr(self.z.msg) }.to_string_lossy().into_owned())
    }

    /// `deflateBound(len)` for a deflate stream; for anything else zlib's conservative
    /// bound for an unknown stream.
    pub(crate) fn bound(&mut self, len: uLong) -> uLong {
        if self.kind == Kind::Deflate {
            // SAFETY: a deflate stream, initialised or with a null state (zlib checks).
            unsafe { deflateBound(&mut *self.z, len) }
        } else {
            let mut z = blank();
            // SAFETY: a state-less stream, which deflateBound accepts.
            unsafe { deflateBound(&mut *z, len) }
        }
    }

    /// `inflateEnd`/`deflateEnd`: frees zlib's state; the stream then refuses every call
    /// with `Z_STREAM_ERROR`. Ending twice is harmless.
    pub(crate) fn end(&mut self) {
        if !self.live {
            return;
        }
        self.live = false;
        // SAFETY: the stream was initialised for `kind` and not ended yet.
        unsafe {
            match self.kind {
                Kind::Inflate => inflateEnd(&mut *self.z),
                Kind::Deflate => deflateEnd(&mut *self.z),
            };
        }
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        self.end();
    }
}

/// zlib's `crc32(crc, buf, len)`: continues the CRC-32 `crc` over `data`; `None` (a null
/// buffer) returns 0.
pub(crate) fn crc32_of(crc: u32, data: Option<&[u8]>) -> u32 {
    checksum(crc, data, crc32)
}

/// zlib's `adler32(adler, buf, len)`: continues the Adler-32 `adler` over `data`; `None`
/// (a null buffer) returns 1.
pub(crate) fn adler32_of(adler: u32, data: Option<&[u8]>) -> u32 {
    checksum(adler, data, adler32)
}

type ChecksumFn = unsafe extern "C" fn(uLong, *const Bytef, uInt) -> uLong;

fn checksum(init: u32, data: Option<&[u8]>, f: ChecksumFn) -> u32 {
    // HashLink passes the running value as a C `int` converted to `uLong` (sign-extended).
    let mut acc = init as i32 as i64 as uLong;
    match data {
        None => {
            // SAFETY: zlib checks for a null buffer before reading it (len 0 to be sure).
            acc = unsafe { f(acc, ptr::null(), 0) };
        }
        Some(d) => {
            for chunk in d.chunks(1 << 30) {
                // SAFETY: `chunk` is a live slice of `chunk.len()` (< 2^32) bytes.
                acc = unsafe { f(acc, chunk.as_ptr(), chunk.len() as uInt) };
            }
        }
    }
    acc as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut d = Stream::deflate(6).unwrap();
        let mut out = vec![0u8; d.bound(data.len() as uLong) as usize];
        let s = d.step(Kind::Deflate, Some(&data), Some(&mut out), Z_FINISH);
        assert_eq!((s.code, s.read), (Z_STREAM_END, data.len()));
        let mut i = Stream::inflate(15).unwrap();
        let mut back = vec![0u8; data.len()];
        let t = i.step(Kind::Inflate, Some(&out[..s.written]), Some(&mut back), Z_NO_FLUSH);
        assert_eq!((t.code, t.written), (Z_STREAM_END, data.len()));
        assert_eq!(back, data);
    }

    #[test]
    fn errors_and_end() {
        assert_eq!(Stream::deflate(10).err(), Some(Z_STREAM_ERROR));
        assert_eq!(Stream::inflate(7).err(), Some(Z_STREAM_ERROR));
        let mut i = Stream::inflate(15).unwrap();
        let mut out = [0u8; 16];
        let s = i.step(Kind::Inflate, Some(&[0x78, 0x9c, 0x07]), Some(&mut out), Z_NO_FLUSH);
        assert_eq!(s.code, libz_sys::Z_DATA_ERROR);
        assert_eq!(i.message().as_deref(), Some("invalid block type"));
        assert_eq!(i.step(Kind::Deflate, None, Some(&mut out), Z_NO_FLUSH).code, Z_STREAM_ERROR);
        i.end();
        i.end();
        assert_eq!(i.step(Kind::Inflate, Some(&[]), Some(&mut out), Z_NO_FLUSH).code, Z_STREAM_ERROR);
    }

    #[test]
    fn checksums() {
        assert_eq!(crc32_of(0, Some(b"abc")), 0x3524_41C2);
        assert_eq!(adler32_of(1, Some(b"abc")), 0x024D_0127);
        assert_eq!(crc32_of(0x1234_5678, None), 0);
        assert_eq!(adler32_of(0x1234_5678, None), 1);
    }
}
