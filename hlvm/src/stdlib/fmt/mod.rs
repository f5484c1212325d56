//! `fmt` natives (HashLink's `fmt.hdll`, `@:hlNative("fmt", ...)`): what the Haxe
//! standard library uses on HashLink, i.e. `digest` (`haxe.crypto.Md5`/`Sha1`) and the
//! zlib streams (`haxe.zip.Compress`/`Uncompress`, so `haxe.zip.Tools` and zip
//! archives). The image/audio natives are registered but throw when called.
//!
//! | file | covers |
//! |---|---|
//! | `digest.rs` | `digest`: MD5, SHA-1, CRC-32, Adler-32 |
//! | `zip.rs` | `inflate_*`, `deflate_*`, `zip_end`, `zip_flush_mode` |
//! | `zlib.rs` | the safe wrapper over zlib (the module's only `unsafe` code) |
//! | `media.rs` | image, audio and mesh natives (unsupported) |

mod digest;
mod media;
mod zip;
mod zlib;

use super::Table;

/// Library name these natives are registered under.
pub(crate) const LIB: &str = "fmt";

pub(crate) const NATIVES: Table = &[
    ("digest", digest::digest),
    ("inflate_init", zip::inflate_init),
    ("deflate_init", zip::deflate_init),
    ("deflate_bound", zip::deflate_bound),
    ("zip_end", zip::zip_end),
    ("zip_flush_mode", zip::zip_flush_mode),
    ("inflate_buffer", zip::inflate_buffer),
    ("deflate_buffer", zip::deflate_buffer),
    ("jpg_encode", media::jpg_encode),
    ("jpg_decode", media::jpg_decode),
    ("png_decode", media::png_decode),
    ("dxt_decode", media::dxt_decode),
    ("img_scale", media::img_scale),
    ("compute_mikkt_tangents", media::compute_mikkt_tangents),
    ("ogg_open", media::ogg_open),
    ("ogg_info", media::ogg_info),
    ("ogg_tell", media::ogg_tell),
    ("ogg_seek", media::ogg_seek),
    ("ogg_read", media::ogg_read),
    ("mp3_open", media::mp3_open),
    ("mp3_frame_info", media::mp3_frame_info),
    ("mp3_decode_frame", media::mp3_decode_frame),
];
