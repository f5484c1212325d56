//! Number formatting/parsing and the Math natives whose results differ from plain Rust.

use std::ffi::{c_char, c_int};

/// Formats a Float the way HashLink does (`std@ftos`, used by `Std.string(float)`, string
/// concatenation and `trace`).
///
/// HashLink prints NaN as `NaN` and everything else with C `printf("%.15g")`: at most 15
/// significant digits, trailing zeros (and a trailing `.`) removed, exponent form when the
/// decimal exponent is `< -4` or `>= 15`, with a sign and at least two exponent digits.
/// Examples: `0.1+0.2` → `0.3`, `1/3` → `0.333333333333333`, `2^53` → `9.00719925474099e+15`,
/// `1e15` → `1e+15`, `1e14+0.5` → `100000000000000`, `1e-7` → `1e-07`, `3.0` → `3`,
/// `+inf` → `inf`, `-inf` → `-inf`, `-0.0` → `-0`, `5e-324` → `4.94065645841247e-324`.
///
/// Implemented with the C library's `snprintf`, exactly as HashLink does (HashLink never
/// retries with more digits: 15 significant digits are final).
pub fn ftos(v: f64) -> String {
    if v.is_nan() {
        return "NaN".to_string();
    }
    let mut buf = [0u8; 48];
    // SAFETY: the buffer is writable for `buf.len()` bytes, the format is a NUL-terminated
    // literal that consumes exactly one `double` argument; snprintf never writes past `n`.
    let n: c_int = unsafe {
        libc::snprintf(
            buf.as_mut_ptr() as *mut c_char,
            buf.len(),
            c"%.15g".as_ptr(),
            v,
        )
    };
    let n = if n < 0 { 0 } else { (n as usize).min(buf.len() - 1) };
    // Output is pure ASCII ("-0123456789.e+infa"); HashLink's buffer allows 23 characters,
    // and the longest %.15g output is 22 ("-1.23456789012345e-308").
    buf[..n].iter().map(|&b| b as char).collect()
}

/// C `printf("%.{prec}g", v)`, exactly as HashLink's buffer printing uses it for values
/// inside structures (`%.17g` for a Float field of an anonymous object) and for every
/// `Single` (`%.9g`: `0.1` as a Single prints `0.100000001`). Unlike [`ftos`], NaN is the C
/// library's spelling, with its sign (`nan`, `-nan`: x86 makes `0/0` a negative NaN).
pub fn c_fmt_g(v: f64, prec: u8) -> String {
    let mut buf = [0u8; 64];
    // SAFETY: the buffer is writable for `buf.len()` bytes; the format is a NUL-terminated
    // literal consuming one `int` (the precision, at most 255) and one `double`; snprintf
    // never writes past `n`.
    let n: c_int = unsafe {
        libc::snprintf(
            buf.as_mut_ptr() as *mut c_char,
            buf.len(),
            c"%.*g".as_ptr(),
            prec as c_int,
            v,
        )
    };
    let n = if n < 0 { 0 } else { (n as usize).min(buf.len() - 1) };
    buf[..n].iter().map(|&b| b as char).collect()
}

/// Formats an Int the way HashLink does (`std@itos`): C `"%d"`, e.g. `-2147483648`.
pub fn itos(v: i32) -> String {
    v.to_string()
}

/// HashLink's whitespace test used by `parse_int`/`parse_float`: space or `\t \n \v \f \r`
/// (code units 9..=13 and 32).
fn is_space(c: u16) -> bool {
    c == 32 || (9..14).contains(&c)
}

fn unit(s: &[u16], i: usize) -> u16 {
    s.get(i).copied().unwrap_or(0)
}

fn hex_digit(c: u16) -> Option<i32> {
    match c {
        0x30..=0x39 => Some((c - 0x30) as i32),
        0x41..=0x46 => Some((c - 0x41 + 10) as i32),
        0x61..=0x66 => Some((c - 0x61 + 10) as i32),
        _ => None,
    }
}

/// `std@parse_int` as called by `Std.parseInt(s)` (`parse_int(s.bytes, 0, s.length << 1)`).
/// `None` is Haxe `null`.
///
/// Algorithm (HashLink 1.17):
/// 1. skip leading whitespace (space, `\t`, `\n`, `\v`, `\f`, `\r`);
/// 2. hex form: `0x`/`0X`, optionally preceded by one `+`/`-`: reads hex digits until the
///    first non-hex unit, accumulating `h = (h << 4) | digit` with 32-bit wrap-around, negates
///    (wrapping) for `-`. Never `None`: `"0x"` and `"0xg"` give `Some(0)`;
/// 3. decimal form: an optional sign followed by digits, but only the first **16 units**
///    (sign included) are looked at; the value is computed in 64 bits and then truncated to
///    32 bits (so `"2147483648"` → `-2147483648`, `"99999999999"` → `1215752191`, and a
///    20-digit number only uses its first 16 digits). `None` when there is no digit right
///    after the optional sign (`""`, `"-"`, `"abc"`, `"- 5"`, `".5"`);
/// 4. whatever follows the number is ignored (`"12abc"` → 12, `"1e3"` → 1, `"1.9"` → 1).
///
/// The end of the slice acts as HashLink's NUL terminator (an embedded `0` unit stops
/// parsing the same way any other non-digit does).
pub fn parse_int(s: &[u16]) -> Option<i32> {
    let mut i = 0;
    while is_space(unit(s, i)) {
        i += 1;
    }
    let sign = unit(s, i);
    let signed = sign == u16::from(b'-') || sign == u16::from(b'+');
    let is_x = |c: u16| c == u16::from(b'x') || c == u16::from(b'X');
    let zero = u16::from(b'0');
    let hex = if signed {
        unit(s, i + 1) == zero && is_x(unit(s, i + 2))
    } else {
        unit(s, i) == zero && is_x(unit(s, i + 1))
    };
    if hex {
        let mut j = i + if signed { 3 } else { 2 };
        let mut h: i32 = 0;
        while let Some(d) = hex_digit(unit(s, j)) {
            h = h.wrapping_shl(4) | d;
            j += 1;
        }
        if sign == u16::from(b'-') {
            h = h.wrapping_neg();
        }
        return Some(h);
    }
    // Decimal: at most 16 units including the sign, then C strtol on that buffer.
    let mut n = 0usize;
    let neg = sign == u16::from(b'-');
    if signed {
        n = 1;
    }
    let mut value: i64 = 0;
    let mut digits = 0;
    while n < 16 {
        let c = unit(s, i + n);
        if !(0x30..=0x39).contains(&c) {
            break;
        }
        value = value * 10 + i64::from(c - 0x30);
        digits += 1;
        n += 1;
    }
    if digits == 0 {
        return None;
    }
    if neg {
        value = -value;
    }
    Some(value as i32)
}

/// `std@parse_float` as called by `Std.parseFloat(s)` (`parse_float(s.bytes, 0, s.length << 1)`).
///
/// Algorithm (HashLink 1.17):
/// 1. skip leading whitespace (space, `\t`, `\n`, `\v`, `\f`, `\r`);
/// 2. copy the longest run (at most **30 units**) of characters from `0-9 . e E + -`;
/// 3. run C `strtod` on that ASCII copy; if it consumed nothing the result is NaN, otherwise
///    its value (a prefix parse: `"1.5abc"` → 1.5, `"3.14.15"` → 3.14, `"5."` → 5,
///    `".5"` → 0.5, `"-.5"` → -0.5, `"+1.5"` → 1.5, `"0x10"` → 0, `"1e400"` → inf,
///    `"1e-400"` → 0, `"1e"` → 1).
///
/// Because letters other than `e`/`E` are never copied, `"Infinity"`, `"inf"` and `"NaN"`
/// all give NaN. Digits beyond the 30-unit window are ignored (e.g. a long run of leading
/// zeros after `0.` truncates the number).
pub fn parse_float(s: &[u16]) -> f64 {
    let mut i = 0;
    while is_space(unit(s, i)) {
        i += 1;
    }
    let mut buf = [0u8; 31];
    let mut n = 0;
    while n < 30 {
        let c = unit(s, i + n);
        let ok = (0x30..=0x39).contains(&c)
            || c == u16::from(b'.')
            || c == u16::from(b'e')
            || c == u16::from(b'E')
            || c == u16::from(b'-')
            || c == u16::from(b'+');
        if !ok {
            break;
        }
        buf[n] = c as u8;
        n += 1;
    }
    if n == 0 {
        return f64::NAN;
    }
    // buf[n] is 0: NUL-terminated.
    let mut end: *mut c_char = std::ptr::null_mut();
    // SAFETY: `buf` is NUL-terminated (it has 31 bytes and at most 30 are written), and strtod
    // only reads up to the terminator and stores a pointer into `buf` in `end`.
    let v = unsafe { libc::strtod(buf.as_ptr() as *const c_char, &mut end) };
    let consumed = (end as usize).wrapping_sub(buf.as_ptr() as usize);
    if end.is_null() || consumed == 0 {
        return f64::NAN;
    }
    v
}

/// Float → Int conversion as HashLink's JIT/C code does it on x86-64 (`cvttsd2si`, used by
/// `Std.int`, casts, and every native below that returns an Int from a Float): truncation
/// toward zero when the truncated value fits in an `i32`, otherwise (NaN, ±inf, `3e9`,
/// `-3e9`, `1e20`) the "integer indefinite" value `-2147483648`.
pub fn f64_to_i32(f: f64) -> i32 {
    // Fits iff -2147483649 < f < 2147483648 (NaN fails both comparisons).
    if f > -2147483649.0 && f < 2147483648.0 {
        f as i32
    } else {
        i32::MIN
    }
}

/// `std@math_fround` (`Math.fround`): `floor(f + 0.5)` computed in double precision, so
/// halves round up (`-2.5` → `-2`), and e.g. `0.49999999999999994` → `1` because the addition
/// rounds. NaN/inf pass through; `-0.3` → `0` (never `-0`).
pub fn math_fround(f: f64) -> f64 {
    (f + 0.5).floor()
}

/// `std@math_round` (`Math.round`): [`math_fround`] converted with [`f64_to_i32`]
/// (`2.5` → 3, `-2.5` → -2, `-1e10` → -2147483648, NaN → -2147483648).
pub fn math_round(f: f64) -> i32 {
    f64_to_i32(math_fround(f))
}

/// `std@math_ffloor` (`Math.ffloor`): C `floor`.
pub fn math_ffloor(f: f64) -> f64 {
    f.floor()
}

/// `std@math_fceil` (`Math.fceil`): C `ceil`.
pub fn math_fceil(f: f64) -> f64 {
    f.ceil()
}

/// `std@math_floor` (`Math.floor`): `floor` then [`f64_to_i32`] (`1e10` → -2147483648).
pub fn math_floor(f: f64) -> i32 {
    f64_to_i32(f.floor())
}

/// `std@math_ceil` (`Math.ceil`): `ceil` then [`f64_to_i32`] (`-0.5` → 0, NaN → -2147483648).
pub fn math_ceil(f: f64) -> i32 {
    f64_to_i32(f.ceil())
}

/// `std@math_isnan` (`Math.isNaN`).
pub fn math_isnan(f: f64) -> bool {
    f.is_nan()
}

/// `std@math_isfinite` (`Math.isFinite`): false for NaN and ±inf.
pub fn math_isfinite(f: f64) -> bool {
    f.is_finite()
}

/// `std@math_abs` (`Math.abs` on a Float): C `fabs` (clears the sign bit, `-0` → `0`,
/// NaN stays NaN).
pub fn math_abs(f: f64) -> f64 {
    f.abs()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    #[test]
    fn ftos_reference_outputs() {
        // Values and outputs recorded from the reference VM (conformance 02_arith).
        let cases: &[(f64, &str)] = &[
            (1.0, "1"),
            (0.1 + 0.2, "0.3"),
            (0.1, "0.1"),
            (1.0 / 3.0, "0.333333333333333"),
            (2.0 / 3.0, "0.666666666666667"),
            (1e20, "1e+20"),
            (1e21, "1e+21"),
            (1e22, "1e+22"),
            (1e-7, "1e-07"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (123456789.123, "123456789.123"),
            (0.0, "0"),
            (-0.0, "-0"),
            (-1e-7, "-1e-07"),
            (-123.456, "-123.456"),
            (1e14 + 0.5, "100000000000000"),
            (0.1 * 3.0, "0.3"),
            (10.0, "10"),
            (99999999999.0, "99999999999"),
            (123456789012345678.0, "1.23456789012346e+17"),
            (f64::NAN, "NaN"),
            (-f64::NAN, "NaN"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (9007199254740992.0, "9.00719925474099e+15"),
            (9007199254740993.0, "9.00719925474099e+15"),
            (2147483648.0, "2147483648"),
            (18446744073709551616.0, "1.84467440737096e+19"),
            (5e-324, "4.94065645841247e-324"),
            (1.7976931348623157e308, "1.79769313486232e+308"),
            (2.2250738585072014e-308, "2.2250738585072e-308"),
            (std::f64::consts::PI, "3.14159265358979"),
            (-1.5, "-1.5"),
            (100.0, "100"),
            (1e15, "1e+15"),
            (1e16, "1e+16"),
            (1e17, "1e+17"),
            (1.23e-20, "1.23e-20"),
            (0.5, "0.5"),
            (1.005, "1.005"),
            (12345.6789, "12345.6789"),
            ((1.0 / 3.0) * 3.0, "1"),
            (0.000001, "1e-06"),
            (1.5e300, "1.5e+300"),
            (1.5e-7, "1.5e-07"),
            (3.0, "3"),
            (999999999999999.0, "999999999999999"),
            (0.00001234, "1.234e-05"),
            (5.1, "5.1"),
            (-2.5, "-2.5"),
        ];
        for &(v, want) in cases {
            assert_eq!(ftos(v), want, "ftos({v:e})");
        }
    }

    #[test]
    fn itos_works() {
        assert_eq!(itos(0), "0");
        assert_eq!(itos(-42), "-42");
        assert_eq!(itos(i32::MIN), "-2147483648");
        assert_eq!(itos(i32::MAX), "2147483647");
    }

    #[test]
    fn parse_int_reference_outputs() {
        let cases: &[(&str, Option<i32>)] = &[
            ("0x1F", Some(31)),
            (" 12", Some(12)),
            ("12abc", Some(12)),
            ("", None),
            ("-", None),
            ("1e3", Some(1)),
            ("abc", None),
            ("-42", Some(-42)),
            ("+7", Some(7)),
            ("007", Some(7)),
            ("0xff", Some(255)),
            ("  -3  ", Some(-3)),
            ("2147483648", Some(-2147483648)),
            ("99999999999", Some(1215752191)),
            ("\t5", Some(5)),
            ("1.9", Some(1)),
            ("-0", Some(0)),
        ];
        for &(s, want) in cases {
            assert_eq!(parse_int(&u(s)), want, "parse_int({s:?})");
        }
    }

    #[test]
    fn parse_int_edge_cases() {
        let cases: &[(&str, Option<i32>)] = &[
            ("+", None),
            ("- 5", None),
            ("--5", None),
            ("+-5", None),
            (".5", None),
            ("\n\r\x0b\x0c 8", Some(8)),
            ("\u{a0}8", None), // NBSP is not whitespace for HashLink
            ("0x", Some(0)),
            ("0xg", Some(0)),
            ("0X1g", Some(1)),
            ("-0x10", Some(-16)),
            ("+0x10", Some(16)),
            ("0xFFFFFFFF", Some(-1)),
            ("0x100000001", Some(1)),
            ("-0x80000000", Some(i32::MIN)),
            ("- 0x10", None),
            ("2147483647", Some(i32::MAX)),
            ("-2147483648", Some(i32::MIN)),
            ("-2147483649", Some(i32::MAX)),
            ("4294967296", Some(0)),
            // only the first 16 units are used (sign included)
            ("12345678901234567890", Some(1234567890123456i64 as i32)),
            ("-12345678901234567890", Some(-123456789012345i64 as i32)),
            ("0000000000000000000000001", Some(0)),
            ("1\u{0}2", Some(1)),
            ("\u{0}1", None),
        ];
        for &(s, want) in cases {
            assert_eq!(parse_int(&u(s)), want, "parse_int({s:?})");
        }
    }

    #[test]
    fn parse_float_reference_outputs() {
        let cases: &[(&str, &str)] = &[
            ("1.5", "1.5"),
            (" 2.5", "2.5"),
            ("1e3", "1000"),
            ("1.5e-3", "0.0015"),
            ("12abc", "12"),
            ("", "NaN"),
            ("-", "NaN"),
            ("abc", "NaN"),
            (".5", "0.5"),
            ("5.", "5"),
            ("-.5", "-0.5"),
            ("0x10", "0"),
            ("Infinity", "NaN"),
            ("NaN", "NaN"),
            ("1e400", "inf"),
            ("  -7.25xyz", "-7.25"),
            ("3.14.15", "3.14"),
            ("+1.5", "1.5"),
        ];
        for &(s, want) in cases {
            assert_eq!(ftos(parse_float(&u(s))), want, "parse_float({s:?})");
        }
    }

    #[test]
    fn parse_float_edge_cases() {
        assert!(parse_float(&u("inf")).is_nan());
        assert!(parse_float(&u("-Infinity")).is_nan());
        assert!(parse_float(&u(".")).is_nan());
        assert!(parse_float(&u("e5")).is_nan());
        assert!(parse_float(&u("+-1")).is_nan());
        assert_eq!(parse_float(&u("-1e400")), f64::NEG_INFINITY);
        assert_eq!(parse_float(&u("1e-400")), 0.0);
        assert_eq!(parse_float(&u("1e")), 1.0);
        assert_eq!(parse_float(&u("1e+")), 1.0);
        assert_eq!(parse_float(&u("1.5E2")), 150.0);
        assert_eq!(parse_float(&u("\t\n 4")), 4.0);
        assert_eq!(parse_float(&u("1-2")), 1.0);
        assert_eq!(parse_float(&u("0.1")), 0.1);
        assert_eq!(parse_float(&u("5e-324")), 5e-324);
        assert_eq!(parse_float(&u("1.7976931348623157e308")), f64::MAX);
        let neg_zero = parse_float(&u("-0"));
        assert!(neg_zero == 0.0 && neg_zero.is_sign_negative());
        // 30-unit window: "0." followed by 28 zeros then "1" -> the 1 is cut off.
        let long = format!("0.{}1", "0".repeat(28));
        assert_eq!(parse_float(&u(&long)), 0.0);
        let long = format!("0.{}1", "0".repeat(27));
        assert_eq!(parse_float(&u(&long)), 1e-28);
    }

    #[test]
    fn float_to_int() {
        assert_eq!(f64_to_i32(3e9), i32::MIN);
        assert_eq!(f64_to_i32(-3e9), i32::MIN);
        assert_eq!(f64_to_i32(f64::NAN), i32::MIN);
        assert_eq!(f64_to_i32(f64::INFINITY), i32::MIN);
        assert_eq!(f64_to_i32(f64::NEG_INFINITY), i32::MIN);
        assert_eq!(f64_to_i32(1e20), i32::MIN);
        assert_eq!(f64_to_i32(-0.9), 0);
        assert_eq!(f64_to_i32(2.99), 2);
        assert_eq!(f64_to_i32(-2.99), -2);
        assert_eq!(f64_to_i32(2147483647.9), i32::MAX);
        assert_eq!(f64_to_i32(-2147483648.9), i32::MIN);
        assert_eq!(f64_to_i32(2147483648.0), i32::MIN);
    }

    #[test]
    fn math_reference_outputs() {
        assert_eq!(math_floor(2.7), 2);
        assert_eq!(math_floor(-2.3), -3);
        assert_eq!(math_ceil(2.1), 3);
        assert_eq!(math_ceil(-2.7), -2);
        assert_eq!(math_round(2.5), 3);
        assert_eq!(math_round(-2.5), -2);
        assert_eq!(math_round(-2.6), -3);
        assert_eq!(math_round(0.49), 0);
        assert_eq!(math_round(0.49999999999999994), 1);
        assert_eq!(ftos(math_ffloor(-1.5)), "-2");
        assert_eq!(ftos(math_fceil(1.2)), "2");
        assert_eq!(ftos(math_fround(2.5)), "3");
        assert_eq!(ftos(math_fround(-0.3)), "0");
        assert_eq!(math_floor(1e10), i32::MIN);
        assert_eq!(math_round(-1e10), i32::MIN);
        assert_eq!(math_ceil(f64::NAN), i32::MIN);
        assert_eq!(ftos(math_ffloor(1e10)), "10000000000");
        assert!(!math_isfinite(f64::NAN) && !math_isfinite(f64::INFINITY) && math_isfinite(1.5));
        assert!(math_isnan(f64::NAN) && !math_isnan(1.0));
        assert_eq!(math_abs(-5.25), 5.25);
    }
}
