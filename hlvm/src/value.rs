//! Register format: how values of each HashLink type are stored in a `u64` slot.
//!
//! | type | slot |
//! |---|---|
//! | `UI8`, `UI16`, `I32`, `Bool` | the value zero-extended from 32 bits (`v as u32 as u64`) |
//! | `I64`, `Guid` | the value's bits |
//! | `F32` | `f32::to_bits` in the low 32 bits |
//! | `F64` | `f64::to_bits` |
//! | `Bytes` | block handle in the low 32 bits, byte offset in the high 32 |
//! | other references | the object's handle (0 = null) |
//! | `Type` | type index + 1 (0 = null) |
//! | `Ref` | stack slot index + 1 (0 = null), or [`REF_HEAP`] plus the handle of a heap cell |

/// Reads an `I32` slot.
#[inline(always)]
pub fn i32_of(v: u64) -> i32 {
    v as u32 as i32
}

/// Makes an `I32` slot.
#[inline(always)]
pub fn from_i32(v: i32) -> u64 {
    v as u32 as u64
}

/// Reads an `F64` slot.
#[inline(always)]
pub fn f64_of(v: u64) -> f64 {
    f64::from_bits(v)
}

/// Reads an `F32` slot.
#[inline(always)]
pub fn f32_of(v: u64) -> f32 {
    f32::from_bits(v as u32)
}

/// Makes an `F32` slot.
#[inline(always)]
pub fn from_f32(v: f32) -> u64 {
    v.to_bits() as u64
}

/// The handle part of a reference slot.
#[inline(always)]
pub fn handle(v: u64) -> u32 {
    v as u32
}

/// Splits a `Bytes` slot into (block handle, byte offset).
#[inline(always)]
pub fn bytes_ptr(v: u64) -> (u32, usize) {
    (v as u32, (v >> 32) as usize)
}

/// Makes a `Bytes` slot from a block handle and byte offset.
#[inline(always)]
pub fn make_bytes(h: u32, offset: usize) -> u64 {
    (h as u64) | ((offset as u64) << 32)
}

/// HashLink's float→int conversion (x86 `cvttsd2si`: `i32::MIN` for NaN, infinities
/// and out-of-range values); defined in `stdlib::text`.
#[inline]
pub fn f64_to_i32(f: f64) -> i32 {
    crate::stdlib::text::f64_to_i32(f)
}

/// Tag of `Ref` slots that point into a heap cell (a `Dyn` box's value) rather than a
/// register.
pub const REF_HEAP: u64 = 1 << 63;
