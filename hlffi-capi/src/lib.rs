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
//!
//! ## Where behaviour is chosen or limited (beyond the spec's "required" resolutions)
//!
//! * All handles are roots (§5.1 rule 3); `hlffi_get_field` results must be freed.
//! * `hlffi_update`/`hlffi_process_events` return `HLFFI_ERROR_EXCEPTION_THROWN` (with
//!   the exception recorded) when a Haxe event throws; later events run at the next
//!   call. `TIMERS`, `MAINLOOP` and `HAXE` all run the main thread's
//!   `sys.thread.EventLoop`, where Haxe 4 on HashLink schedules all three; `UV` does
//!   nothing (no libuv loop exists).
//! * Threads (§5.3): Haxe code runs on one thread at a time, the one holding the VM
//!   lock (`hlffi::VmAttach`). Every API call from the VM's owner, or from a thread
//!   that called `hlffi_worker_register`, runs inside the VM (holding the lock for
//!   the call), so workers and the owner never race, whatever the host does; between
//!   calls nobody holds it, so an owner that joins its workers without a blocking
//!   region does not deadlock. Other threads get `HLFFI_ERROR_WRONG_THREAD`.
//!   `hlffi_blocking_begin`/`end` (and `hlffi_gc_block`/`unblock`, the same here)
//!   release the lock the calling thread holds, e.g. inside a callback; the VM
//!   refuses that thread until the region ends. The collector never stops or scans
//!   host threads (roots are explicit), so `hlffi_update_stack_top` does nothing.
//!   C callbacks may be called from any thread holding the lock (Haxe threads too),
//!   as with HashLink.
//! * Arrays: `@:struct` arrays fail with `HLFFI_ERROR_NOT_IMPLEMENTED`; C pointers
//!   exist for `Array<Int>`/`<Float>`/`<Single>` storage only (`collections.rs`).
//!   `hlffi_array_push` grows the array in place.
//! * Bytes: `haxe.io.Bytes` values (C-made buffers are ones, with a known length);
//!   raw `hl.Bytes` values are refused.
//! * `hlffi_enum_alloc_simple` on a constructor with parameters fails (use
//!   `hlffi_enum_alloc`). `hlffi_is_instance_of` also matches subclasses.
//! * Callbacks take 0–8 parameters; the typed variant treats its types as advisory.
//! * `hlffi_cache_instance_method`/`hlffi_call_cached_method`: NULL (NYI upstream).

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
