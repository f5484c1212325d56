//! # hlffi-capi — the HLFFI C API on top of `hlffi`
//!
//! Builds `libhlffi.so` and `libhlffi.a`, exporting the 141 functions of
//! `HLFFI_C_API.md` §6 with the prototypes of `include/hlffi.h` (hand-written from
//! the spec), plus the `hlt_*` type descriptors of §1.1 (declared by
//! `include/hl.h`). Everything is built on the `hlffi` crate's public API.
//!
//! Map of the sources, by spec section:
//!
//! | file | spec |
//! |---|---|
//! | `boundary.rs` | §5.1/5.2: panic boundary, failure values, `malloc` handles and strings |
//! | `vm.rs` | `hlffi_vm`, thread ownership (§5.3) |
//! | `api.rs` | §6.1–6.5 lifecycle, modes, event loop, threading, hot reload; §6.18–6.19 |
//! | `types.rs` | §6.6 types and reflection, §6.14 abstract types |
//! | `values.rs` | §6.7 values, §6.8 statics, §6.9 instances, §6.16 exceptions, §6.17 caching |
//! | `collections.rs` | §6.10 arrays, §6.11 maps, §6.12 bytes, §1.1 `hlt_*` |
//! | `enums.rs` | §6.13 enums, §6.14 abstract values |
//! | `callbacks.rs` | §6.15 callbacks |
//!
//! Rules every function follows: a Haxe exception or a Rust panic never unwinds into
//! C; every failure returns the spec's failure value and leaves a message for
//! `hlffi_get_error`; every live `hlffi_value` keeps its Haxe value alive until
//! `hlffi_value_free`; handles are single `malloc` blocks, so a host that releases
//! one with libc `free()` leaks its root (until `hlffi_destroy`) but corrupts nothing.

#![allow(
    clippy::missing_safety_doc,
    reason = "each extern function documents its C contract in a `# Safety` section or its header comment"
)]

mod api;
mod boundary;
mod callbacks;
mod collections;
mod enums;
mod types;
mod values;
mod vm;
