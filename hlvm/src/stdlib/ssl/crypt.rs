//! Decryption of password-protected private keys, with the schemes and error codes of
//! the reference's Mbed TLS 2.28:
//! - PEM `DEK-Info` (OpenSSL's traditional format): DES-CBC, DES-EDE3-CBC, AES-128/192/256-CBC,
//!   key from the password with OpenSSL's MD5 `EVP_BytesToKey` (salt: the IV's first 8
//!   bytes). The padding is not checked: a result that does not start like a DER
//!   `SEQUENCE` is `PEM_PASSWORD_MISMATCH`.
//! - PKCS#8 `EncryptedPrivateKeyInfo` with PBES2 (PBKDF2 with HMAC-SHA1/224/256/384/512;
//!   DES-CBC or DES-EDE3-CBC only: AES is `PKCS5_FEATURE_UNAVAILABLE` as on the
//!   reference), or PKCS#12 PBE with SHA1 and 3-key or 2-key triple DES, or 128-bit RC4.
//!   Bad padding is `*_PASSWORD_MISMATCH`; other schemes are `PK_FEATURE_UNAVAILABLE`.
//!   The PKCS#12 password is the password's bytes widened to 16 bits, as Mbed TLS does.

use des::cipher::{Array, BlockCipherDecrypt, BlockSizeUser, KeyInit, StreamCipher};

use super::der::{self, Reader};
use super::errors::{self, Code};
use super::key::Md;

/// Block ciphers used in CBC mode by the schemes above.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cipher {
    Des,
    Des3,
    Des2,
    Aes(usize),
}

impl Cipher {
    pub(crate) fn key_len(self) -> usize {
        match self {
            Cipher::Des => 8,
            Cipher::Des3 => 24,
            Cipher::Des2 => 16,
            Cipher::Aes(n) => n,
        }
    }

    pub(crate) fn block_len(self) -> usize {
        match self {
            Cipher::Aes(_) => 16,
            _ => 8,
        }
    }
}

fn cbc<C: BlockCipherDecrypt + KeyInit>(key: &[u8], iv: &[u8], data: &mut [u8]) -> Option<()> {
    let c = C::new_from_slice(key).ok()?;
    let bs = C::block_size();
    let mut prev = iv.get(..bs)?.to_vec();
    for chunk in data.chunks_exact_mut(bs) {
        let saved = chunk.to_vec();
        let mut block: Array<u8, <C as BlockSizeUser>::BlockSize> = Array::try_from(&*chunk).ok()?;
        c.decrypt_block(&mut block);
        for ((o, b), p) in chunk.iter_mut().zip(block.iter()).zip(&prev) {
            *o = b ^ p;
        }
        prev = saved;
    }
    Some(())
}

/// CBC decryption in place, no padding removed.
///
/// # Errors
/// Mbed TLS's invalid-length code of the cipher when `data` is not whole blocks.
pub(crate) fn cbc_decrypt(cipher: Cipher, key: &[u8], iv: &[u8], data: &mut [u8]) -> Result<(), Code> {
    if !data.len().is_multiple_of(cipher.block_len()) {
        return Err(match cipher {
            Cipher::Aes(_) => errors::AES_INVALID_INPUT_LENGTH,
            _ => errors::DES_INVALID_INPUT_LENGTH,
        });
    }
    let ok = match cipher {
        Cipher::Des => cbc::<des::Des>(key, iv, data),
        Cipher::Des3 => cbc::<des::TdesEde3>(key, iv, data),
        Cipher::Des2 => cbc::<des::TdesEde2>(key, iv, data),
        Cipher::Aes(16) => cbc::<aes::Aes128>(key, iv, data),
        Cipher::Aes(24) => cbc::<aes::Aes192>(key, iv, data),
        Cipher::Aes(_) => cbc::<aes::Aes256>(key, iv, data),
    };
    ok.ok_or(errors::PK_FEATURE_UNAVAILABLE)
}

/// Removes PKCS#7 padding; `None` when it is not valid.
fn unpad(mut data: Vec<u8>) -> Option<Vec<u8>> {
    let &n = data.last()?;
    let n = n as usize;
    if n == 0 || n > data.len() || !data[data.len() - n..].iter().all(|&b| b as usize == n) {
        return None;
    }
    data.truncate(data.len() - n);
    Some(data)
}

/// OpenSSL's `EVP_BytesToKey` with MD5 and one iteration, as PEM encryption uses it.
pub(crate) fn bytes_to_key(pwd: &[u8], salt: &[u8], len: usize) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(len + 16);
    let mut prev: Vec<u8> = Vec::new();
    while out.len() < len {
        let mut input = prev.clone();
        input.extend_from_slice(pwd);
        input.extend_from_slice(salt);
        prev = Md::Md5.digest(&input);
        out.extend_from_slice(&prev);
    }
    out.truncate(len);
    out
}

/// Decrypts a PEM body (see the module docs).
///
/// # Errors
/// `PEM_PASSWORD_MISMATCH`, or the cipher's invalid-length code.
pub(crate) fn pem_decrypt(cipher: Cipher, iv: &[u8], pwd: &[u8], mut data: Vec<u8>) -> Result<Vec<u8>, Code> {
    let key = bytes_to_key(pwd, &iv[..8.min(iv.len())], cipher.key_len());
    cbc_decrypt(cipher, &key, iv, &mut data)?;
    if data.len() <= 2 || data[0] != der::SEQUENCE || data[1] > 0x83 {
        return Err(errors::PEM_PASSWORD_MISMATCH);
    }
    Ok(data)
}

/// `AlgorithmIdentifier` as `mbedtls_asn1_get_alg` reads it: OID, parameters' tag (0
/// when absent) and content.
fn get_alg<'a>(r: &mut Reader<'a>) -> Result<(&'a [u8], u8, &'a [u8]), Code> {
    let seq = r.tag(der::SEQUENCE)?;
    let mut a = Reader::new(seq);
    let id = a.tag(der::OID)?;
    if a.is_empty() {
        return Ok((id, 0, &[]));
    }
    let p = a.next().ok_or(errors::ASN1_OUT_OF_DATA)?;
    Ok((id, p.tag, p.content))
}

/// A non-negative `INTEGER` that fits an `i32`, as `mbedtls_asn1_get_int` reads it.
fn get_int(r: &mut Reader) -> Result<u32, Code> {
    let v = r.tag(der::INTEGER)?;
    if v.is_empty() || v.len() > 4 && v[0] != 0 || v[0] & 0x80 != 0 {
        return Err(errors::ASN1_INVALID_LENGTH);
    }
    let n = v.iter().fold(0u64, |acc, &b| acc << 8 | b as u64);
    u32::try_from(n).ok().filter(|&n| n <= i32::MAX as u32).ok_or(errors::ASN1_INVALID_LENGTH)
}

mod oids {
    /// `pbeWithSHAAnd128BitRC4` (1.2.840.113549.1.12.1.1).
    pub(super) const PKCS12_RC4_128: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x01, 0x01];
    /// `pbeWithSHAAnd3-KeyTripleDES-CBC` (1.2.840.113549.1.12.1.3).
    pub(super) const PKCS12_DES3: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x01, 0x03];
    /// `pbeWithSHAAnd2-KeyTripleDES-CBC` (1.2.840.113549.1.12.1.4).
    pub(super) const PKCS12_DES2: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x01, 0x04];
    /// `id-PBES2` (1.2.840.113549.1.5.13).
    pub(super) const PBES2: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0D];
    /// `id-PBKDF2` (1.2.840.113549.1.5.12).
    pub(super) const PBKDF2: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0C];
    /// `desCBC` (1.3.14.3.2.7).
    pub(super) const DES_CBC: &[u8] = &[0x2B, 0x0E, 0x03, 0x02, 0x07];
    /// `des-EDE3-CBC` (1.2.840.113549.3.7).
    pub(super) const DES_EDE3_CBC: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x03, 0x07];
    /// `hmacWithSHA1` .. `hmacWithSHA512` (1.2.840.113549.2.7 .. 11).
    pub(super) const HMAC_PREFIX: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x02];
}

/// PKCS#12 key derivation (RFC 7292 appendix B) with SHA1: `len` bytes for purpose `id`
/// (1 key, 2 IV). As in Mbed TLS, salt and password each fill exactly one 64-byte block
/// (repeated, or cut when longer).
fn pkcs12_derive(pwd: &[u8], salt: &[u8], iterations: u32, id: u8, len: usize) -> Vec<u8> {
    const V: usize = 64;
    let fill = |s: &[u8]| -> Vec<u8> { s.iter().copied().cycle().take(V).collect() };
    let mut i_buf = fill(salt);
    i_buf.extend(fill(pwd));
    let d = [id; V];
    let mut out = Vec::with_capacity(len + 20);
    while out.len() < len {
        let mut input = d.to_vec();
        input.extend_from_slice(&i_buf);
        let mut a = Md::Sha1.digest(&input);
        for _ in 1..iterations.max(1) {
            a = Md::Sha1.digest(&a);
        }
        out.extend_from_slice(&a);
        if out.len() >= len {
            break;
        }
        let b: Vec<u8> = a.iter().copied().cycle().take(V).collect();
        for chunk in i_buf.chunks_mut(V) {
            let mut carry = 1u16;
            for k in (0..V).rev() {
                let s = chunk[k] as u16 + b[k] as u16 + carry;
                chunk[k] = s as u8;
                carry = s >> 8;
            }
        }
    }
    out.truncate(len);
    out
}

/// PKCS#12 PBE parameters: salt and iteration count.
fn pkcs12_params(tag: u8, params: &[u8]) -> Result<(&[u8], u32), Code> {
    let f = errors::PKCS12_PBE_INVALID_FORMAT;
    if tag != der::SEQUENCE {
        return Err(f + errors::ASN1_UNEXPECTED_TAG);
    }
    let mut r = Reader::new(params);
    let salt = r.tag(der::OCTET_STRING).map_err(|e| f + e)?;
    let iterations = get_int(&mut r).map_err(|e| f + e)?;
    if !r.is_empty() {
        return Err(f + errors::ASN1_LENGTH_MISMATCH);
    }
    Ok((salt, iterations))
}

/// The password as PKCS#12 wants it: each byte widened to 16 bits, big-endian, then a
/// 16-bit terminator (Mbed TLS's conversion, which ignores UTF-8).
fn pkcs12_password(pwd: &[u8]) -> Result<Vec<u8>, Code> {
    if pwd.len() > 128 {
        return Err(errors::PKCS12_BAD_INPUT_DATA);
    }
    let mut out: Vec<u8> = pwd.iter().flat_map(|&b| [0, b]).collect();
    out.extend_from_slice(&[0, 0]);
    Ok(out)
}

/// PBES2 parameters and decryption.
fn pbes2(tag: u8, params: &[u8], pwd: &[u8], data: &[u8]) -> Result<Vec<u8>, Code> {
    let f = errors::PKCS5_INVALID_FORMAT;
    let unavailable = errors::PKCS5_FEATURE_UNAVAILABLE;
    if tag != der::SEQUENCE {
        return Err(f + errors::ASN1_UNEXPECTED_TAG);
    }
    let mut r = Reader::new(params);
    let (kdf, ktag, kparams) = get_alg(&mut r).map_err(|e| f + e)?;
    if kdf != oids::PBKDF2 {
        return Err(unavailable);
    }
    if ktag != der::SEQUENCE {
        return Err(f + errors::ASN1_UNEXPECTED_TAG);
    }
    let mut k = Reader::new(kparams);
    let salt = k.tag(der::OCTET_STRING).map_err(|e| f + e)?;
    let iterations = get_int(&mut k).map_err(|e| f + e)?;
    let mut md = Md::Sha1;
    if !k.is_empty() {
        match get_int(&mut k) {
            Ok(_) | Err(errors::ASN1_UNEXPECTED_TAG) => {}
            Err(e) => return Err(f + e),
        }
        if !k.is_empty() {
            let (prf, ptag, _) = get_alg(&mut k).map_err(|e| f + e)?;
            if ptag != 0 && ptag != der::NULL {
                return Err(f + errors::ASN1_UNEXPECTED_TAG);
            }
            md = match prf.strip_prefix(oids::HMAC_PREFIX) {
                Some([7]) => Md::Sha1,
                Some([8]) => Md::Sha224,
                Some([9]) => Md::Sha256,
                Some([10]) => Md::Sha384,
                Some([11]) => Md::Sha512,
                _ => return Err(unavailable),
            };
            if !k.is_empty() {
                return Err(f + errors::ASN1_LENGTH_MISMATCH);
            }
        }
    }
    let (enc, etag, iv) = get_alg(&mut r).map_err(|e| f + e)?;
    let cipher = match enc {
        oids::DES_CBC => Cipher::Des,
        oids::DES_EDE3_CBC => Cipher::Des3,
        _ => return Err(unavailable),
    };
    if etag != der::OCTET_STRING || iv.len() != cipher.block_len() {
        return Err(f);
    }
    let mut key = vec![0; cipher.key_len()];
    match md {
        Md::Sha1 => pbkdf2::pbkdf2_hmac::<sha1::Sha1>(pwd, salt, iterations, &mut key),
        Md::Sha224 => pbkdf2::pbkdf2_hmac::<sha2::Sha224>(pwd, salt, iterations, &mut key),
        Md::Sha256 => pbkdf2::pbkdf2_hmac::<sha2::Sha256>(pwd, salt, iterations, &mut key),
        Md::Sha384 => pbkdf2::pbkdf2_hmac::<sha2::Sha384>(pwd, salt, iterations, &mut key),
        _ => pbkdf2::pbkdf2_hmac::<sha2::Sha512>(pwd, salt, iterations, &mut key),
    }
    let mut out = data.to_vec();
    if cbc_decrypt(cipher, &key, iv, &mut out).is_err() {
        return Err(errors::PKCS5_PASSWORD_MISMATCH);
    }
    unpad(out).ok_or(errors::PKCS5_PASSWORD_MISMATCH)
}

/// Decrypts a PKCS#8 `EncryptedPrivateKeyInfo`: the `PrivateKeyInfo` DER inside.
///
/// # Errors
/// `PK_PASSWORD_REQUIRED` for an empty password, `PK_PASSWORD_MISMATCH`, a
/// `PKCS5_*`/`PKCS12_*` code for bad parameters, `PK_FEATURE_UNAVAILABLE` for another
/// scheme (see the module docs).
pub(crate) fn pkcs8_decrypt(data: &[u8], pwd: &[u8]) -> Result<Vec<u8>, Code> {
    if pwd.is_empty() {
        return Err(errors::PK_PASSWORD_REQUIRED);
    }
    let f = errors::PK_KEY_INVALID_FORMAT;
    let mut r = Reader::new(data);
    let seq = r.tag(der::SEQUENCE).map_err(|e| f + e)?;
    let mut s = Reader::new(seq);
    let (alg, ptag, params) = get_alg(&mut s).map_err(|e| f + e)?;
    let enc = s.tag(der::OCTET_STRING).map_err(|e| f + e)?;
    match alg {
        oids::PKCS12_DES3 | oids::PKCS12_DES2 => {
            let cipher = if alg == oids::PKCS12_DES3 { Cipher::Des3 } else { Cipher::Des2 };
            let (salt, iterations) = pkcs12_params(ptag, params)?;
            let upwd = pkcs12_password(pwd)?;
            let key = pkcs12_derive(&upwd, salt, iterations, 1, cipher.key_len());
            let iv = pkcs12_derive(&upwd, salt, iterations, 2, cipher.block_len());
            let mut out = enc.to_vec();
            if cbc_decrypt(cipher, &key, &iv, &mut out).is_err() {
                return Err(errors::PK_PASSWORD_MISMATCH);
            }
            unpad(out).ok_or(errors::PK_PASSWORD_MISMATCH)
        }
        oids::PKCS12_RC4_128 => {
            let (salt, iterations) = pkcs12_params(ptag, params)?;
            let upwd = pkcs12_password(pwd)?;
            let key = pkcs12_derive(&upwd, salt, iterations, 1, 16);
            let mut out = enc.to_vec();
            let mut rc4 = rc4::Rc4::new_from_slice(&key).map_err(|_| errors::PK_FEATURE_UNAVAILABLE)?;
            rc4.apply_keystream(&mut out);
            if out.first() != Some(&der::SEQUENCE) {
                return Err(errors::PK_PASSWORD_MISMATCH);
            }
            Ok(out)
        }
        oids::PBES2 => match pbes2(ptag, params, pwd, enc) {
            Err(errors::PKCS5_PASSWORD_MISMATCH) => Err(errors::PK_PASSWORD_MISMATCH),
            r => r,
        },
        _ => Err(errors::PK_FEATURE_UNAVAILABLE),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_to_key_matches_openssl() {
        // `openssl enc -aes-256-cbc -P -md md5 -S 0001020304050607 -pass pass:secret`
        let k = bytes_to_key(b"secret", &[0, 1, 2, 3, 4, 5, 6, 7], 32);
        let hex: String = k.iter().map(|b| format!("{b:02X}")).collect();
        assert_eq!(hex, "035FB8145B73CF111570DC936112BE9C375A5D3D8B915BC213BDBEF9DBFB7851");
    }

    #[test]
    fn padding() {
        assert_eq!(unpad(vec![1, 2, 3, 2, 2]), Some(vec![1, 2, 3]));
        assert_eq!(unpad(vec![1, 2, 3, 1, 2]), None);
        assert_eq!(unpad(vec![1, 0]), None);
        assert_eq!(unpad(vec![9]), None);
    }
}
