//! HashLink's `Date` natives.
//!
//! On HashLink a `Date` is a single Int: seconds since the Unix epoch. The natives read it as
//! an **unsigned** 32-bit number (`(time_t)(unsigned)d`), so negative values mean dates after
//! 2038 (up to 2106), never dates before 1970. Local time comes from the C library (`TZ`).

use super::utf::utf16_to_utf8;

fn zero_tm() -> libc::tm {
    // SAFETY: `struct tm` is plain data (ints, a long and a possibly-null `const char *`);
    // the all-zero bit pattern is a valid value, and is what HashLink's `memset` produces.
    unsafe { std::mem::zeroed() }
}

fn mktime_local(tm: &mut libc::tm) -> i32 {
    // SAFETY: `tm` is a valid, exclusively borrowed `struct tm`.
    let t = unsafe { libc::mktime(tm) };
    t as i32
}

fn split(d: i32, utc: bool) -> Option<libc::tm> {
    let t: libc::time_t = d as u32 as libc::time_t;
    let mut tm = zero_tm();
    // SAFETY: both pointers are valid for the duration of the call.
    let r = unsafe {
        if utc {
            libc::gmtime_r(&t, &mut tm)
        } else {
            libc::localtime_r(&t, &mut tm)
        }
    };
    if r.is_null() { None } else { Some(tm) }
}

/// `std@date_new(year, month, day, hours, minutes, seconds)` (`new Date(...)`): the local
/// time given is converted with C `mktime` (`tm_isdst = -1`, i.e. the C library decides on
/// DST). `month` is **0-based** (Haxe passes `Date`'s month argument unchanged). Out-of-range
/// fields are normalised by `mktime` (month 12 → January of the next year, day 0 → last day
/// of the previous month, ...). The `time_t` result is truncated to 32 bits; `mktime`'s error
/// value gives `-1`.
pub fn date_new(y: i32, mon: i32, d: i32, h: i32, mi: i32, s: i32) -> i32 {
    let mut tm = zero_tm();
    tm.tm_year = y.wrapping_sub(1900);
    tm.tm_mon = mon;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    tm.tm_isdst = -1;
    mktime_local(&mut tm)
}

/// `std@date_now` (`Date.now()`): C `time(NULL)` truncated to 32 bits (whole seconds).
pub fn date_now() -> i32 {
    // SAFETY: `time` accepts a null pointer.
    let t = unsafe { libc::time(std::ptr::null_mut()) };
    t as i32
}

/// -2^63 and 2^63 as doubles: the range of x86-64's 64-bit truncating conversion.
const I64_LO: f64 = -9_223_372_036_854_775_808.0;
const I64_HI: f64 = 9_223_372_036_854_775_808.0;

/// `std@date_from_time(ms)` (`Date.fromTime`): `(int)(unsigned)(ms / 1000.0)`.
///
/// The seconds value is truncated toward zero and reduced modulo 2^32 (so `-1500.0` ms gives
/// `-1`, i.e. `0xFFFFFFFF`). This mirrors x86-64 C compilers, which convert a double to
/// `unsigned int` through a 64-bit truncating conversion: NaN, ±inf and values outside the
/// 64-bit range give `0`.
pub fn date_from_time(ms: f64) -> i32 {
    let secs = ms / 1000.0;
    if secs.is_nan() || !(I64_LO..I64_HI).contains(&secs) {
        return 0;
    }
    (secs as i64) as i32
}

/// `std@date_get_time(d)` (`Date.getTime()`): `(unsigned)d * 1000.0` milliseconds; never
/// negative (`-1` → `4294967295000`).
pub fn date_get_time(d: i32) -> f64 {
    f64::from(d as u32) * 1000.0
}

/// `std@date_to_string(d)` (`Date.toString()`): the local time of `d` (read as unsigned
/// seconds) formatted as `YYYY-MM-DD HH:MM:SS` (C `strftime("%Y-%m-%d %H:%M:%S")`).
pub fn date_to_string(d: i32) -> String {
    let tm = split(d, false).unwrap_or_else(zero_tm);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        i64::from(tm.tm_year) + 1900,
        tm.tm_mon + 1,
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec
    )
}

/// Broken-down time as returned by [`date_get_inf`]; field meanings follow C `struct tm`
/// except that `year` is the full year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DateParts {
    /// Full year, e.g. `2024`.
    pub year: i32,
    /// Month, **0-based** (`0` = January), as `Date.getMonth()` returns it.
    pub month: i32,
    /// Day of the month, 1..=31.
    pub day: i32,
    /// Hours, 0..=23.
    pub hours: i32,
    /// Minutes, 0..=59.
    pub minutes: i32,
    /// Seconds, 0..=60.
    pub seconds: i32,
    /// Day of the week, `0` = Sunday (`Date.getDay()`).
    pub wday: i32,
}

/// `std@date_get_inf` (`utc == false`: local time via `localtime_r`; backs `getFullYear`,
/// `getMonth`, `getDate`, `getHours`, `getMinutes`, `getSeconds`, `getDay`) and
/// `std@date_get_utc_inf` (`utc == true`: `gmtime_r`; backs the `getUTC*` methods and
/// `getTimezoneOffset`). `d` is read as unsigned seconds since the epoch. (HashLink throws
/// `"invalid date"` if the C call fails, which cannot happen for 32-bit inputs with a 64-bit
/// `time_t`; this function then returns all zeros.)
pub fn date_get_inf(d: i32, utc: bool) -> DateParts {
    match split(d, utc) {
        Some(tm) => DateParts {
            year: tm.tm_year.wrapping_add(1900),
            month: tm.tm_mon,
            day: tm.tm_mday,
            hours: tm.tm_hour,
            minutes: tm.tm_min,
            seconds: tm.tm_sec,
            wday: tm.tm_wday,
        },
        None => DateParts::default(),
    }
}

enum Item {
    /// `%Nd`
    Int(usize),
    /// an ordinary, non-space format character that must match exactly
    Lit(u8),
}

fn is_c_space(b: u8) -> bool {
    b == b' ' || (9..=13).contains(&b)
}

/// Minimal C `sscanf` for formats made of `%Nd` and literal non-space characters: fills
/// `out` in order until the first matching failure (later fields keep their value).
fn scan(s: &[u8], fmt: &[Item], out: &mut [i32]) {
    let mut i = 0usize;
    let mut field = 0usize;
    let at = |i: usize| s.get(i).copied().unwrap_or(0);
    for item in fmt {
        match *item {
            Item::Lit(c) => {
                if at(i) != c {
                    return;
                }
                i += 1;
            }
            Item::Int(width) => {
                while is_c_space(at(i)) {
                    i += 1;
                }
                let mut used = 0usize;
                let mut neg = false;
                let c = at(i);
                if c == b'-' || c == b'+' {
                    neg = c == b'-';
                    used += 1;
                    i += 1;
                }
                let mut v: i64 = 0;
                let mut digits = 0;
                while used < width && at(i).is_ascii_digit() {
                    v = v * 10 + i64::from(at(i) - b'0');
                    used += 1;
                    digits += 1;
                    i += 1;
                }
                if digits == 0 {
                    return;
                }
                if let Some(slot) = out.get_mut(field) {
                    *slot = (if neg { -v } else { v }) as i32;
                }
                field += 1;
            }
        }
    }
}

/// `std@date_from_string` (`Date.fromString(s)`). Returns `None` where HashLink throws
/// `"Invalid date format"`.
///
/// The string (up to its first `0` unit) is converted to UTF-8 and dispatched on its **byte
/// length**, exactly as HashLink does:
/// * 19 bytes: `sscanf("%4d-%2d-%2d %2d:%2d:%2d")`, then local time via `mktime`
///   (month in the text is 1-based), like [`date_new`];
/// * 10 bytes: `sscanf("%4d-%2d-%2d")`, midnight local time;
/// * 8 bytes: `sscanf("%2d:%2d:%2d")`, result is simply `h * 3600 + m * 60 + s`
///   (no time zone: `"12:34:56"` → `45296`);
/// * any other length → `None`.
///
/// `sscanf` semantics are kept: each number may have leading whitespace and a sign (the
/// sign counts toward the width), parsing stops at the first mismatch and the remaining
/// fields stay 0 (e.g. `"2020-01-xx"` → `date_new(2020, 0, 0, 0, 0, 0)` = 2019-12-31),
/// and out-of-range values are normalised by `mktime`.
pub fn date_from_string(s: &[u16]) -> Option<i32> {
    let bytes = utf16_to_utf8(s);
    let d = Item::Int;
    let l = Item::Lit;
    match bytes.len() {
        19 => {
            let mut f = [0i32; 6];
            let fmt = [d(4), l(b'-'), d(2), l(b'-'), d(2), d(2), l(b':'), d(2), l(b':'), d(2)];
            // (the ' ' between date and time in the C format only skips optional
            // whitespace, which %d does anyway)
            scan(&bytes, &fmt, &mut f);
            Some(date_new(f[0], f[1].wrapping_sub(1), f[2], f[3], f[4], f[5]))
        }
        10 => {
            let mut f = [0i32; 3];
            scan(&bytes, &[d(4), l(b'-'), d(2), l(b'-'), d(2)], &mut f);
            Some(date_new(f[0], f[1].wrapping_sub(1), f[2], 0, 0, 0))
        }
        8 => {
            let mut f = [0i32; 3];
            scan(&bytes, &[d(2), l(b':'), d(2), l(b':'), d(2)], &mut f);
            Some(f[2].wrapping_add(f[1].wrapping_mul(60)).wrapping_add(f[0].wrapping_mul(3600)))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    #[test]
    fn utc_parts() {
        let p = date_get_inf(0, true);
        assert_eq!(p, DateParts { year: 1970, month: 0, day: 1, hours: 0, minutes: 0, seconds: 0, wday: 4 });
        // 2000-02-29 12:34:56 UTC = 951827696 (a Tuesday)
        let p = date_get_inf(951_827_696, true);
        assert_eq!(p, DateParts { year: 2000, month: 1, day: 29, hours: 12, minutes: 34, seconds: 56, wday: 2 });
        // negative Ints are dates after 2038
        let p = date_get_inf(-1, true);
        assert_eq!((p.year, p.month, p.day, p.hours, p.minutes, p.seconds), (2106, 1, 7, 6, 28, 15));
    }

    #[test]
    fn local_roundtrip() {
        let t = date_new(2021, 6, 15, 13, 45, 30);
        let p = date_get_inf(t, false);
        assert_eq!((p.year, p.month, p.day, p.hours, p.minutes, p.seconds), (2021, 6, 15, 13, 45, 30));
        assert_eq!(date_to_string(t), "2021-07-15 13:45:30");
        // normalisation
        assert_eq!(date_new(2020, 12, 1, 0, 0, 0), date_new(2021, 0, 1, 0, 0, 0));
        assert_eq!(date_new(2020, 0, 0, 0, 0, 0), date_new(2019, 11, 31, 0, 0, 0));
    }

    #[test]
    fn from_string() {
        assert_eq!(date_from_string(&u("2021-07-15 13:45:30")), Some(date_new(2021, 6, 15, 13, 45, 30)));
        assert_eq!(date_from_string(&u("2021-07-15")), Some(date_new(2021, 6, 15, 0, 0, 0)));
        assert_eq!(date_from_string(&u("12:34:56")), Some(45296));
        assert_eq!(date_from_string(&u("2021-07-1")), None);
        assert_eq!(date_from_string(&u("")), None);
        assert_eq!(date_from_string(&u("2021-07-15T13:45:30Z")), None);
        assert_eq!(date_from_string(&u("2021-07-15T13:45:30")), Some(date_new(2021, 6, 15, 0, 0, 0)));
        assert_eq!(date_from_string(&u("2020-01-xx")), Some(date_new(2020, 0, 0, 0, 0, 0)));
        assert_eq!(date_from_string(&u("2020-1-2  ")), Some(date_new(2020, 0, 2, 0, 0, 0)));
        assert_eq!(date_from_string(&u("-1:-1:-1")), Some(-3661));
        assert_eq!(date_from_string(&u("ab:cd:ef")), Some(0));
        // byte length counts: "é" is 2 bytes
        assert_eq!(date_from_string(&u("1234567é")), None);
        assert_eq!(date_from_string(&u("123456é")), Some(12 * 3600));
    }

    #[test]
    fn time_conversions() {
        assert_eq!(date_get_time(1), 1000.0);
        assert_eq!(date_get_time(-1), 4294967295000.0);
        assert_eq!(date_from_time(1500.0), 1);
        assert_eq!(date_from_time(-1500.0), -1);
        assert_eq!(date_from_time(4294967296000.0), 0);
        assert_eq!(date_from_time(4294967295000.0), -1);
        assert_eq!(date_from_time(f64::NAN), 0);
        assert_eq!(date_from_time(f64::INFINITY), 0);
        assert_eq!(date_from_time(1e30), 0);
        let now = date_now();
        assert!(!(0..=1_600_000_000).contains(&now));
        assert_eq!(date_from_time(date_get_time(now)), now);
    }
}
