//! The image, audio and mesh natives of `fmt.hdll` (`hl.Format`, `hl.Mikktspace`) and the
//! ogg/mp3 decoders: not implemented.
//!
//! They are registered so that modules which reference them link, as they do on
//! HashLink with `fmt.hdll` beside it; calling one throws
//! `fmt@<name> is not supported by hlvm`.

use crate::vm::{Exc, Vm};

macro_rules! unsupported {
    ($($name:ident),* $(,)?) => {
        $(
            pub(super) fn $name(vm: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
                Err(vm.throw_msg(concat!("fmt@", stringify!($name), " is not supported by hlvm")))
            }
        )*
    };
}

unsupported!(
    jpg_encode,
    jpg_decode,
    png_decode,
    dxt_decode,
    img_scale,
    compute_mikkt_tangents,
    ogg_open,
    ogg_info,
    ogg_tell,
    ogg_seek,
    ogg_read,
    mp3_open,
    mp3_frame_info,
    mp3_decode_frame,
);
