//! The error codes and messages the `ssl` natives report, as HashLink 1.17 reports them.
//!
//! HashLink's `ssl.hdll` is built on Mbed TLS and throws the text of
//! `mbedtls_strerror(code)` (`"PK - Invalid key tag or value"`, ...), and its
//! `ssl_handshake` returns Mbed TLS codes as they are. Haxe programs see those messages, so
//! this module keeps the codes and texts of the errors these natives produce, as the Mbed
//! TLS 2.28 library the reference VM was built with prints them. A code combines a
//! high-level part (`code & 0xFF80`: module X509, PK, PEM, SSL, ...) and a low-level part
//! (`code & 0x7F`: ASN1, BASE64, BIGNUM, ...), printed as `"HIGH : LOW"`.

/// A negative Mbed TLS error code (or, for `cert_load_path`, a positive count of files
/// that failed, which HashLink passes to `mbedtls_strerror` unchanged).
pub(crate) type Code = i32;

pub(crate) const PEM_INVALID_DATA: Code = -0x1100;
pub(crate) const PEM_INVALID_ENC_IV: Code = -0x1200;
pub(crate) const PEM_UNKNOWN_ENC_ALG: Code = -0x1280;
pub(crate) const PEM_PASSWORD_REQUIRED: Code = -0x1300;
pub(crate) const PEM_PASSWORD_MISMATCH: Code = -0x1380;
pub(crate) const PKCS12_BAD_INPUT_DATA: Code = -0x1F80;
pub(crate) const PKCS12_PBE_INVALID_FORMAT: Code = -0x1E80;
pub(crate) const PKCS5_INVALID_FORMAT: Code = -0x2F00;
pub(crate) const PKCS5_FEATURE_UNAVAILABLE: Code = -0x2E80;
pub(crate) const PKCS5_PASSWORD_MISMATCH: Code = -0x2E00;
pub(crate) const AES_INVALID_INPUT_LENGTH: Code = -0x0022;
pub(crate) const DES_INVALID_INPUT_LENGTH: Code = -0x0032;
pub(crate) const BASE64_INVALID_CHARACTER: Code = -0x002C;
pub(crate) const ASN1_OUT_OF_DATA: Code = -0x0060;
pub(crate) const ASN1_UNEXPECTED_TAG: Code = -0x0062;
pub(crate) const ASN1_INVALID_LENGTH: Code = -0x0064;
pub(crate) const ASN1_LENGTH_MISMATCH: Code = -0x0066;
pub(crate) const ASN1_INVALID_DATA: Code = -0x0068;
pub(crate) const X509_INVALID_FORMAT: Code = -0x2180;
pub(crate) const X509_CERT_VERIFY_FAILED: Code = -0x2700;
pub(crate) const X509_CERT_UNKNOWN_FORMAT: Code = -0x2780;
pub(crate) const X509_FILE_IO_ERROR: Code = -0x2900;
pub(crate) const PK_FILE_IO_ERROR: Code = -0x3E00;
pub(crate) const PK_ALLOC_FAILED: Code = -0x3F80;
pub(crate) const PK_KEY_INVALID_FORMAT: Code = -0x3D00;
pub(crate) const PK_KEY_INVALID_VERSION: Code = -0x3D80;
pub(crate) const PK_UNKNOWN_PK_ALG: Code = -0x3C80;
pub(crate) const PK_PASSWORD_REQUIRED: Code = -0x3C00;
pub(crate) const PK_PASSWORD_MISMATCH: Code = -0x3B80;
pub(crate) const PK_UNKNOWN_NAMED_CURVE: Code = -0x3A00;
pub(crate) const PK_INVALID_ALG: Code = -0x3A80;
pub(crate) const PK_INVALID_PUBKEY: Code = -0x3B00;
pub(crate) const PK_FEATURE_UNAVAILABLE: Code = -0x3980;
pub(crate) const RSA_BAD_INPUT_DATA: Code = -0x4080;
pub(crate) const ECP_BAD_INPUT_DATA: Code = -0x4F80;
pub(crate) const ECP_INVALID_KEY: Code = -0x4C80;
pub(crate) const SSL_BAD_INPUT_DATA: Code = -0x7100;
pub(crate) const SSL_INVALID_MAC: Code = -0x7180;
pub(crate) const SSL_NO_CIPHER_CHOSEN: Code = -0x7380;
pub(crate) const SSL_NO_CLIENT_CERTIFICATE: Code = -0x7480;
pub(crate) const SSL_UNEXPECTED_MESSAGE: Code = -0x7700;
pub(crate) const SSL_FATAL_ALERT_MESSAGE: Code = -0x7780;
pub(crate) const SSL_INTERNAL_ERROR: Code = -0x6C00;

/// High-level codes (`code & 0xFF80`) and their texts.
const HIGH: &[(i32, &str)] = &[
    (0x1080, "PEM - No PEM header or footer found"),
    (0x1100, "PEM - PEM string is not as expected"),
    (0x1200, "PEM - RSA IV is not in hex-format"),
    (0x1280, "PEM - Unsupported key encryption algorithm"),
    (0x1300, "PEM - Private key password can't be empty"),
    (0x1380, "PEM - Given private key password does not allow for correct decryption"),
    (0x1E00, "PKCS12 - Given private key password does not allow for correct decryption"),
    (0x1E80, "PKCS12 - PBE ASN.1 data not as expected"),
    (0x1F00, "PKCS12 - Feature not available, e.g. unsupported encryption scheme"),
    (0x1F80, "PKCS12 - Bad input parameters to function"),
    (0x2180, "X509 - The CRT/CRL/CSR format is invalid, e.g. different type expected"),
    (0x2700, "X509 - Certificate verification failed, e.g. CRL, CA or signature check failed"),
    (0x2780, "X509 - Format not recognized as DER or PEM"),
    (0x2900, "X509 - Read/write of file failed"),
    (0x2E00, "PKCS5 - Given private key password does not allow for correct decryption"),
    (0x2E80, "PKCS5 - Requested encryption or digest alg not available"),
    (0x2F00, "PKCS5 - Unexpected ASN.1 data"),
    (0x2F80, "PKCS5 - Bad input parameters to function"),
    (0x3980, "PK - Unavailable feature, e.g. RSA disabled for RSA key"),
    (0x3A00, "PK - Elliptic curve is unsupported (only NIST curves are supported)"),
    (0x3A80, "PK - The algorithm tag or value is invalid"),
    (0x3B00, "PK - The pubkey tag or value is invalid (only RSA and EC are supported)"),
    (0x3B80, "PK - Given private key password does not allow for correct decryption"),
    (0x3C00, "PK - Private key password can't be empty"),
    (0x3C80, "PK - Key algorithm is unsupported (only RSA and EC are supported)"),
    (0x3D00, "PK - Invalid key tag or value"),
    (0x3D80, "PK - Unsupported key version"),
    (0x3E00, "PK - Read/write of file failed"),
    (0x3F80, "PK - Memory allocation failed"),
    (0x4080, "RSA - Bad input parameters to function"),
    (0x4C80, "ECP - Invalid private or public key"),
    (0x4F80, "ECP - Bad input parameters to function"),
    (0x6C00, "SSL - Internal error (eg, unexpected failure in lower-level module)"),
    (0x6D00, "SSL - Public key type mismatch (eg, asked for RSA key exchange and presented EC key)"),
    (0x7100, "SSL - Bad input parameters to function"),
    (0x7180, "SSL - Verification of the message MAC failed"),
    (0x7280, "SSL - The connection indicated an EOF"),
    (0x7380, "SSL - The server has no ciphersuites in common with the client"),
    (0x7480, "SSL - No client certification received from the client, but required by the authentication mode"),
    (0x7700, "SSL - An unexpected message was received from our peer"),
    (0x7780, "SSL - A fatal alert message was received from our peer"),
];

/// Low-level codes (`code & 0x7F`, and the small positive counts `cert_load_path` can
/// pass) and their texts.
const LOW: &[(i32, &str)] = &[
    (0x01, "ERROR - Generic error"),
    (0x02, "BIGNUM - An error occurred while reading from or writing to a file"),
    (0x03, "HMAC_DRBG - Too many random requested in single call"),
    (0x04, "BIGNUM - Bad input parameters to function"),
    (0x05, "HMAC_DRBG - Input too large (Entropy + additional)"),
    (0x06, "BIGNUM - There is an invalid character in the digit string"),
    (0x07, "HMAC_DRBG - Read/write error in file"),
    (0x08, "BIGNUM - The buffer is too small to write to"),
    (0x09, "HMAC_DRBG - The entropy source failed"),
    (0x0A, "BIGNUM - The input arguments are negative or result in illegal output"),
    (0x0B, "OID - output buffer is too small"),
    (0x0C, "BIGNUM - The input argument for division is zero, which is not allowed"),
    (0x0D, "CCM - Bad input parameters to the function"),
    (0x0E, "BIGNUM - The input arguments are not acceptable"),
    (0x0F, "CCM - Authenticated decryption failed"),
    (0x10, "BIGNUM - Memory allocation failed"),
    (0x22, "AES - Invalid data input length"),
    (0x2C, "BASE64 - Invalid character in input"),
    (0x32, "DES - The data input has an invalid length"),
    (0x60, "ASN1 - Out of data when parsing an ASN1 data structure"),
    (0x62, "ASN1 - ASN1 tag was of an unexpected value"),
    (0x64, "ASN1 - Error when trying to determine the length or invalid length"),
    (0x66, "ASN1 - Actual length differs from expected length"),
    (0x68, "ASN1 - Data is invalid"),
];

/// The message HashLink throws for `code` (`mbedtls_strerror`'s text).
pub(crate) fn message(code: Code) -> String {
    let c = code.unsigned_abs() as i32;
    let (high, low) = (c & 0xFF80, c & !0xFF80);
    let mut out = String::new();
    if high != 0 {
        match HIGH.iter().find(|(k, _)| *k == high) {
            Some((_, t)) => out.push_str(t),
            None => out.push_str(&format!("UNKNOWN ERROR CODE ({high:04X})")),
        }
    }
    if low != 0 {
        if !out.is_empty() {
            out.push_str(" : ");
        }
        match LOW.iter().find(|(k, _)| *k == low) {
            Some((_, t)) => out.push_str(t),
            None => out.push_str(&format!("UNKNOWN ERROR CODE ({low:04X})")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_combine_high_and_low_parts() {
        assert_eq!(message(PK_KEY_INVALID_FORMAT), "PK - Invalid key tag or value");
        assert_eq!(
            message(PK_KEY_INVALID_FORMAT + ASN1_UNEXPECTED_TAG),
            "PK - Invalid key tag or value : ASN1 - ASN1 tag was of an unexpected value"
        );
        assert_eq!(
            message(PEM_INVALID_DATA + BASE64_INVALID_CHARACTER),
            "PEM - PEM string is not as expected : BASE64 - Invalid character in input"
        );
        assert_eq!(message(6), "BIGNUM - There is an invalid character in the digit string");
        assert_eq!(message(0x15), "UNKNOWN ERROR CODE (0015)");
    }
}
