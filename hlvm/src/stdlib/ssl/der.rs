//! A minimal DER reader for the structures the `ssl` natives look into: certificates
//! (names, validity, subject alternative names), public and private keys.
//!
//! Only what these structures use is supported: one-byte tags (tag numbers below 31)
//! and definite lengths of up to four bytes. Anything else reads as malformed (`None`).

/// Universal tags used by the callers.
pub(crate) const INTEGER: u8 = 0x02;
pub(crate) const BIT_STRING: u8 = 0x03;
pub(crate) const OCTET_STRING: u8 = 0x04;
pub(crate) const NULL: u8 = 0x05;
pub(crate) const OID: u8 = 0x06;
pub(crate) const UTC_TIME: u8 = 0x17;
pub(crate) const GENERALIZED_TIME: u8 = 0x18;
pub(crate) const SEQUENCE: u8 = 0x30;
pub(crate) const SET: u8 = 0x31;

/// One element: its tag byte and content.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tlv<'a> {
    pub tag: u8,
    pub content: &'a [u8],
}

/// A cursor over consecutive DER elements.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Reader<'a> {
        Reader { rest: data }
    }

    /// True when every element was read.
    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The bytes not read yet.
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.rest
    }

    /// The next element, or `None` when the input is malformed or empty.
    pub(crate) fn next(&mut self) -> Option<Tlv<'a>> {
        let (&tag, after) = self.rest.split_first()?;
        if tag & 0x1F == 0x1F {
            return None;
        }
        let (&first, mut after) = after.split_first()?;
        let len = if first < 0x80 {
            first as usize
        } else {
            let n = (first & 0x7F) as usize;
            if n == 0 || n > 4 || after.len() < n {
                return None;
            }
            let len = after[..n].iter().fold(0usize, |acc, &b| acc << 8 | b as usize);
            after = &after[n..];
            len
        };
        if after.len() < len {
            return None;
        }
        let (content, rest) = after.split_at(len);
        self.rest = rest;
        Some(Tlv { tag, content })
    }

    /// The next element's content when it has tag `tag`, else the Mbed TLS ASN.1 error
    /// `mbedtls_asn1_get_tag` gives (`ASN1_OUT_OF_DATA`, `ASN1_UNEXPECTED_TAG`,
    /// `ASN1_INVALID_LENGTH`); the cursor moves only on success.
    pub(crate) fn tag(&mut self, tag: u8) -> Result<&'a [u8], i32> {
        use super::errors::{ASN1_INVALID_LENGTH, ASN1_OUT_OF_DATA, ASN1_UNEXPECTED_TAG};
        let (&t, after) = self.rest.split_first().ok_or(ASN1_OUT_OF_DATA)?;
        if t != tag {
            return Err(ASN1_UNEXPECTED_TAG);
        }
        let (&first, mut after) = after.split_first().ok_or(ASN1_OUT_OF_DATA)?;
        let len = if first < 0x80 {
            first as usize
        } else {
            let n = (first & 0x7F) as usize;
            if n == 0 || n > 4 {
                return Err(ASN1_INVALID_LENGTH);
            }
            if after.len() < n {
                return Err(ASN1_OUT_OF_DATA);
            }
            let len = after[..n].iter().fold(0usize, |acc, &b| acc << 8 | b as usize);
            after = &after[n..];
            len
        };
        if after.len() < len {
            return Err(ASN1_OUT_OF_DATA);
        }
        let (content, rest) = after.split_at(len);
        self.rest = rest;
        Ok(content)
    }

    /// The next element when it has tag `tag`.
    pub(crate) fn expect(&mut self, tag: u8) -> Option<Tlv<'a>> {
        let save = *self;
        match self.next() {
            Some(t) if t.tag == tag => Some(t),
            _ => {
                *self = save;
                None
            }
        }
    }

    /// The next element's content when it has tag `tag`; leaves the cursor unchanged
    /// otherwise (for OPTIONAL fields).
    pub(crate) fn optional(&mut self, tag: u8) -> Option<&'a [u8]> {
        self.expect(tag).map(|t| t.content)
    }
}

/// Reads one element of tag `tag` at the start of `data`; returns its content and the
/// bytes after it.
pub(crate) fn take(data: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let mut r = Reader::new(data);
    let t = r.expect(tag)?;
    Some((t.content, r.rest()))
}

/// DER encoding of one element.
pub(crate) fn encode(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// Known object identifiers (DER content bytes).
pub(crate) mod oid {
    /// `rsaEncryption` (1.2.840.113549.1.1.1).
    pub(crate) const RSA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01];
    /// `id-ecPublicKey` (1.2.840.10045.2.1).
    pub(crate) const EC_PUBLIC_KEY: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01];
    /// `secp256r1` / P-256 (1.2.840.10045.3.1.7).
    pub(crate) const P256: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
    /// `secp384r1` / P-384 (1.3.132.0.34).
    pub(crate) const P384: &[u8] = &[0x2B, 0x81, 0x04, 0x00, 0x22];
    /// `subjectAltName` extension (2.5.29.17).
    pub(crate) const SUBJECT_ALT_NAME: &[u8] = &[0x55, 0x1D, 0x11];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_encodes_lengths() {
        let long = vec![7u8; 300];
        let enc = encode(OCTET_STRING, &long);
        assert_eq!(&enc[..4], &[0x04, 0x82, 0x01, 0x2C]);
        let (content, rest) = take(&enc, OCTET_STRING).unwrap();
        assert_eq!(content, &long[..]);
        assert!(rest.is_empty());
        assert!(take(&[0x30, 0x05, 0x01], SEQUENCE).is_none());
        assert!(take(&[0x1F, 0x01, 0x00], 0x1F).is_none());
        assert!(take(&[0x30, 0x80], SEQUENCE).is_none());
    }
}
