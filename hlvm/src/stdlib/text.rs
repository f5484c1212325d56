//! Pure text and number conversions behind the string natives (no VM state).

/// `std@parse_int`: optional spaces, sign, decimal or `0x` hex digits; wraps on
/// overflow; stops at the first other character; `None` without digits.
pub fn parse_int(s: &[u16]) -> Option<i32> {
    let mut i = 0;
    while i < s.len() && is_space(s[i]) {
        i += 1;
    }
    let mut neg = false;
    if i < s.len() && (s[i] == b'-' as u16 || s[i] == b'+' as u16) {
        neg = s[i] == b'-' as u16;
        i += 1;
    }
    let mut v: i32 = 0;
    let mut digits = 0;
    if i + 1 < s.len() && s[i] == b'0' as u16 && (s[i + 1] == b'x' as u16 || s[i + 1] == b'X' as u16) {
        i += 2;
        while i < s.len() {
            let c = s[i];
            let d = match c {
                0x30..=0x39 => c - 0x30,
                0x61..=0x66 => c - 0x61 + 10,
                0x41..=0x46 => c - 0x41 + 10,
                _ => break,
            };
            v = v.wrapping_mul(16).wrapping_add(d as i32);
            digits += 1;
            i += 1;
        }
    } else {
        while i < s.len() && (0x30..=0x39).contains(&s[i]) {
            v = v.wrapping_mul(10).wrapping_add((s[i] - 0x30) as i32);
            digits += 1;
            i += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    Some(if neg { v.wrapping_neg() } else { v })
}

fn is_space(c: u16) -> bool {
    matches!(c, 0x20 | 0x09 | 0x0A | 0x0B | 0x0C | 0x0D)
}

/// `std@parse_float`: the longest prefix that parses as a C float literal (after
/// leading spaces); NaN when none does. `Infinity` is not accepted.
pub fn parse_float(s: &[u16]) -> f64 {
    let text: String = s.iter().map(|&u| if u < 128 { u as u8 as char } else { '\u{1}' }).collect();
    let t = text.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let b = t.as_bytes();
    let mut end = 0;
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let mut digits = false;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
        digits = true;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
            digits = true;
        }
    }
    if digits {
        end = i;
        if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
            let mut j = i + 1;
            if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
                j += 1;
            }
            let st = j;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if j > st {
                end = j;
            }
        }
    }
    if end == 0 {
        return f64::NAN;
    }
    t[..end].parse::<f64>().unwrap_or(f64::NAN)
}

/// `std@utf8_to_utf16`: decodes UTF-8 (invalid sequences become U+FFFD).
pub fn utf8_to_utf16(s: &[u8]) -> Vec<u16> {
    String::from_utf8_lossy(s).encode_utf16().collect()
}

/// `std@utf16_to_utf8`: encodes UTF-16; a high surrogate is combined with the next
/// unit whatever it is (HashLink's behaviour).
pub fn utf16_to_utf8(s: &[u16]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let mut c = s[i] as u32;
        if (0xD800..0xDC00).contains(&c) && i + 1 < s.len() {
            let lo = s[i + 1] as u32;
            c = (((c - 0xD800) << 10) | (lo.wrapping_sub(0xDC00) & 0x3FF)) + 0x10000;
            i += 1;
        }
        i += 1;
        if c < 0x80 {
            out.push(c as u8);
        } else if c < 0x800 {
            out.push(0xC0 | (c >> 6) as u8);
            out.push(0x80 | (c & 63) as u8);
        } else if c < 0x10000 {
            out.push(0xE0 | (c >> 12) as u8);
            out.push(0x80 | ((c >> 6) & 63) as u8);
            out.push(0x80 | (c & 63) as u8);
        } else {
            out.push(0xF0 | (c >> 18) as u8);
            out.push(0x80 | ((c >> 12) & 63) as u8);
            out.push(0x80 | ((c >> 6) & 63) as u8);
            out.push(0x80 | (c & 63) as u8);
        }
    }
    out
}

/// `std@ucs2_upper`.
pub fn ucs2_upper(s: &[u16]) -> Vec<u16> {
    s.iter()
        .map(|&u| match char::from_u32(u as u32) {
            Some(c) => {
                let mut up = c.to_uppercase();
                match (up.next(), up.next()) {
                    (Some(x), None) if (x as u32) < 0x10000 => x as u32 as u16,
                    _ => u,
                }
            }
            None => u,
        })
        .collect()
}

/// `std@ucs2_lower`.
pub fn ucs2_lower(s: &[u16]) -> Vec<u16> {
    s.iter()
        .map(|&u| match char::from_u32(u as u32) {
            Some(c) => {
                let mut lo = c.to_lowercase();
                match (lo.next(), lo.next()) {
                    (Some(x), None) if (x as u32) < 0x10000 => x as u32 as u16,
                    _ => u,
                }
            }
            None => u,
        })
        .collect()
}

/// `std@url_encode`: percent-encodes the UTF-8 form, keeping `A-Za-z0-9-_.~`.
pub fn url_encode(s: &[u16]) -> Vec<u16> {
    let mut out = Vec::new();
    for b in utf16_to_utf8(s) {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as u16);
        } else {
            for c in format!("%{:02X}", b).bytes() {
                out.push(c as u16);
            }
        }
    }
    out
}

/// `std@url_decode`: decodes `%XX` sequences and `+` as space.
pub fn url_decode(s: &[u16]) -> Vec<u16> {
    let mut bytes = Vec::new();
    let mut i = 0;
    let hex = |u: u16| char::from_u32(u as u32).and_then(|c| c.to_digit(16));
    while i < s.len() {
        let u = s[i];
        if u == b'%' as u16 && i + 2 < s.len() + 0 && i + 2 <= s.len() - 1 {
            if let (Some(a), Some(b)) = (hex(s[i + 1]), hex(s[i + 2])) {
                bytes.push((a * 16 + b) as u8);
                i += 3;
                continue;
            }
        }
        if u == b'+' as u16 {
            bytes.push(b' ');
        } else {
            bytes.extend(utf16_to_utf8(&[u]));
        }
        i += 1;
    }
    utf8_to_utf16(&bytes)
}
