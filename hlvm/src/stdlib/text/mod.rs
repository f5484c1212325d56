//! Pure text, number and date conversions behind the string, math and date natives
//! (no VM state; HashLink 1.17 semantics, documented per function).
//!
//! Strings are UTF-16 unit slices without terminator. Nothing here panics on any input.

#![allow(dead_code)]

mod date;
mod hash;
mod num;
mod unicase_table;
mod utf;

pub use date::*;
pub use hash::*;
pub use num::*;
pub use utf::*;

#[cfg(test)]
mod fuzz {
    use super::*;

    /// Feeds pseudo-random inputs (biased towards interesting units) to every function:
    /// none may panic.
    #[test]
    fn nothing_panics() {
        let mut seed: u64 = 0x1234_5678_9abc_def0;
        let mut next = move || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as u32
        };
        let special16: [u16; 16] = [
            0, 0x25, 0x2B, 0x2D, 0x2E, 0x30, 0x78, 0x65, 0x20, 0x39, 0x7F, 0xD800, 0xDC00, 0xFFFF, 0xE9, 0x46,
        ];
        let special8: [u8; 12] = [0, 0x7F, 0x80, 0xBF, 0xC0, 0xDF, 0xE0, 0xED, 0xF0, 0xF7, 0xF8, 0xFF];
        for _ in 0..20_000 {
            let len = (next() % 24) as usize;
            let s16: Vec<u16> = (0..len)
                .map(|_| {
                    let r = next();
                    if r % 2 == 0 { special16[(r as usize / 2) % 16] } else { (r >> 8) as u16 }
                })
                .collect();
            let s8: Vec<u8> = (0..len)
                .map(|_| {
                    let r = next();
                    if r % 2 == 0 { special8[(r as usize / 2) % 12] } else { (r >> 8) as u8 }
                })
                .collect();
            let _ = parse_int(&s16);
            let _ = parse_float(&s16);
            let _ = utf8_to_utf16(&s8);
            let _ = utf16_to_utf8(&s16);
            let _ = ucs2_upper(&s16);
            let _ = ucs2_lower(&s16);
            let _ = url_encode(&s16);
            let _ = url_decode(&s16);
            let _ = hash(&s16);
            let _ = hash_utf8(&s8);
            let _ = string_compare(&s16, &s16[len / 2..]);
            let _ = std_string_compare(&s16, &s16[len / 2..], len);
            let _ = date_from_string(&s16);
            let f = f64::from_bits(u64::from(next()) << 32 | u64::from(next()));
            let _ = ftos(f);
            let _ = f64_to_i32(f);
            let _ = math_round(f);
            let _ = date_from_time(f);
            let i = next() as i32;
            let _ = date_get_inf(i, true);
            let _ = date_to_string(i);
        }
        for &d in &[i32::MIN, -1, 0, i32::MAX] {
            let _ = date_get_inf(d, false);
            let _ = date_new(d, d, d, d, d, d);
        }
    }
}
