//! PEM blocks as the reference VM's Mbed TLS 2.28 reads them (`mbedtls_pem_read_buffer`):
//! what counts as a block, what is skipped, and which error each malformed block gives.
//!
//! - The text is searched for `header` and for `footer` (both from the start of the
//!   text); no header, no footer, or a footer before the header: no block.
//! - The header may be followed by one space and one line end (`\r\n` or `\n`), which is
//!   required; the block ends after the footer plus the same optional characters.
//! - An encrypted block (`Proc-Type: 4,ENCRYPTED` and `DEK-Info: ALG,IV` lines right
//!   after the header) is decrypted with the password ([`super::crypt`]); without one it
//!   is `PEM_PASSWORD_REQUIRED`. A missing line end is `PEM_INVALID_DATA`, a bad IV
//!   `PEM_INVALID_ENC_IV`, another algorithm `PEM_UNKNOWN_ENC_ALG`.
//! - The base64 text may hold line ends anywhere and spaces at the start of lines or at
//!   the end; a space inside a line, a character outside the alphabet, more than two `=`
//!   or data after `=` is `PEM_INVALID_DATA + BASE64_INVALID_CHARACTER`; an empty body is
//!   `PEM_INVALID_DATA`.

use super::crypt::{self, Cipher};
use super::errors::{self, Code};

/// A PEM block found in a text.
#[derive(Debug)]
pub(crate) struct Block {
    /// The decoded (and decrypted) body.
    pub der: Vec<u8>,
    /// Bytes of the text up to the end of the block, from where the next search starts.
    pub used: usize,
}

/// Reads the hexadecimal IV of a `DEK-Info` line.
fn hex_iv(s: &[u8], len: usize) -> Option<Vec<u8>> {
    let s = s.get(..2 * len)?;
    s.chunks(2).map(|p| u8::from_str_radix(std::str::from_utf8(p).ok()?, 16).ok()).collect()
}

/// Parses the `Proc-Type` and `DEK-Info` lines at the start of `body`: the cipher, IV
/// and the rest of the body.
fn dek_info(body: &[u8]) -> Result<(Cipher, Vec<u8>, &[u8]), Code> {
    let mut s = &body[22..];
    s = s.strip_prefix(b"\r").unwrap_or(s);
    s = s.strip_prefix(b"\n").ok_or(errors::PEM_INVALID_DATA)?;
    let mut found = None;
    for (prefix, cipher) in [(&b"DEK-Info: DES-EDE3-CBC,"[..], Cipher::Des3), (b"DEK-Info: DES-CBC,", Cipher::Des)] {
        if let Some(rest) = s.strip_prefix(prefix) {
            let iv = hex_iv(rest, 8).ok_or(errors::PEM_INVALID_ENC_IV)?;
            s = &rest[16..];
            found = Some((cipher, iv));
        }
    }
    if s.starts_with(b"DEK-Info: AES-") {
        let cipher = if s.starts_with(b"DEK-Info: AES-128-CBC,") {
            Cipher::Aes(16)
        } else if s.starts_with(b"DEK-Info: AES-192-CBC,") {
            Cipher::Aes(24)
        } else if s.starts_with(b"DEK-Info: AES-256-CBC,") {
            Cipher::Aes(32)
        } else {
            return Err(errors::PEM_UNKNOWN_ENC_ALG);
        };
        let iv = hex_iv(&s[22..], 16).ok_or(errors::PEM_INVALID_ENC_IV)?;
        s = &s[22 + 32..];
        found = Some((cipher, iv));
    }
    let Some((cipher, iv)) = found else { return Err(errors::PEM_UNKNOWN_ENC_ALG) };
    s = s.strip_prefix(b"\r").unwrap_or(s);
    s = s.strip_prefix(b"\n").ok_or(errors::PEM_INVALID_DATA)?;
    Ok((cipher, iv, s))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Reads the first block framed by `header` and `footer` in `text` (cut at its first NUL,
/// as C's string functions do), decrypting it with `pwd` when it is encrypted. `Ok(None)`
/// when there is none (`PEM_NO_HEADER_FOOTER_PRESENT`).
///
/// # Errors
/// The Mbed TLS code of a malformed block or a failed decryption (see the module docs),
/// together with the number of bytes to skip past it.
pub(crate) fn read(text: &[u8], header: &str, footer: &str, pwd: Option<&[u8]>) -> Result<Option<Block>, (Code, usize)> {
    let text = &text[..text.iter().position(|&c| c == 0).unwrap_or(text.len())];
    let Some(h) = find(text, header.as_bytes()) else { return Ok(None) };
    let Some(f) = find(text, footer.as_bytes()) else { return Ok(None) };
    if f <= h {
        return Ok(None);
    }
    let mut s = h + header.len();
    if text.get(s) == Some(&b' ') {
        s += 1;
    }
    if text.get(s) == Some(&b'\r') {
        s += 1;
    }
    if text.get(s) == Some(&b'\n') {
        s += 1;
    } else {
        return Ok(None);
    }
    let mut end = f + footer.len();
    for c in [b' ', b'\r', b'\n'] {
        if text.get(end) == Some(&c) {
            end += 1;
        }
    }
    let mut body = text.get(s..f).unwrap_or(&[]);
    let mut enc = None;
    if body.starts_with(b"Proc-Type: 4,ENCRYPTED") {
        let (cipher, iv, rest) = dek_info(body).map_err(|e| (e, end))?;
        enc = Some((cipher, iv));
        body = rest;
    }
    if body.is_empty() {
        return Err((errors::PEM_INVALID_DATA, end));
    }
    let Some(der) = base64_decode(body) else { return Err((errors::PEM_INVALID_DATA + errors::BASE64_INVALID_CHARACTER, end)) };
    let der = match enc {
        None => der,
        Some((cipher, iv)) => {
            let Some(pwd) = pwd else { return Err((errors::PEM_PASSWORD_REQUIRED, end)) };
            crypt::pem_decrypt(cipher, &iv, pwd, der).map_err(|e| (e, end))?
        }
    };
    Ok(Some(Block { der, used: end }))
}

fn b64_value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Decodes base64 with the rules of the module docs; `None` on an invalid character.
/// A final group of fewer than four characters is dropped.
pub(crate) fn base64_decode(src: &[u8]) -> Option<Vec<u8>> {
    // Validation pass.
    let mut i = 0;
    let mut pads = 0;
    while i < src.len() {
        let mut spaces = 0;
        while i < src.len() && src[i] == b' ' {
            i += 1;
            spaces += 1;
        }
        if i == src.len() {
            break;
        }
        let c = src[i];
        if c == b'\n' || (c == b'\r' && src.get(i + 1) == Some(&b'\n')) {
            i += 1;
            continue;
        }
        if spaces != 0 {
            return None;
        }
        if c == b'=' {
            pads += 1;
            if pads > 2 {
                return None;
            }
        } else if b64_value(c).is_none() || pads != 0 {
            return None;
        }
        i += 1;
    }
    // Decoding pass.
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let (mut acc, mut n, mut keep) = (0u32, 0, 3);
    for &c in src {
        if c == b'\r' || c == b'\n' || c == b' ' {
            continue;
        }
        let v = if c == b'=' {
            keep -= 1;
            0
        } else {
            b64_value(c).unwrap_or(0)
        };
        acc = acc << 6 | v as u32;
        n += 1;
        if n == 4 {
            n = 0;
            let bytes = [(acc >> 16) as u8, (acc >> 8) as u8, acc as u8];
            out.extend_from_slice(&bytes[..keep.max(0) as usize]);
            acc = 0;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_rules() {
        assert_eq!(base64_decode(b"aGVsbG8=").unwrap(), b"hello");
        assert_eq!(base64_decode(b"aGVs\nbG8=\n").unwrap(), b"hello");
        assert_eq!(base64_decode(b"aGVs  \r\nbG8=  ").unwrap(), b"hello");
        assert!(base64_decode(b"aG Vs").is_none());
        assert!(base64_decode(b"  aGVs").is_none());
        assert!(base64_decode(b"aGVs!").is_none());
        assert!(base64_decode(b"aGV===").is_none());
        assert!(base64_decode(b"aG==bG8=").is_none());
    }

    #[test]
    fn blocks() {
        let t = b"junk\n-----BEGIN X-----\naGVsbG8=\n-----END X-----\nmore";
        let b = read(t, "-----BEGIN X-----", "-----END X-----", None).unwrap().unwrap();
        assert_eq!(b.der, b"hello");
        assert_eq!(&t[b.used..], b"more");
        assert!(read(b"nothing", "-----BEGIN X-----", "-----END X-----", None).unwrap().is_none());
        let bad = read(b"-----BEGIN X-----\nMIIB!!!\n-----END X-----\n", "-----BEGIN X-----", "-----END X-----", None);
        assert_eq!(bad.unwrap_err().0, errors::PEM_INVALID_DATA + errors::BASE64_INVALID_CHARACTER);
    }
}
