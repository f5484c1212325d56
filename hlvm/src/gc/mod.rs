//! `gc`: the heap and its non-moving mark-and-sweep collector.
//!
//! # Invariant
//! A heap reference is a 32-bit handle: an index into [`Heap::objs`], 0 meaning null.
//! Handles never move. A handle stored anywhere the collector cannot see (a Rust local
//! of a native, say) is valid only until the next collection, and collections happen
//! only at *safepoints*: the interpreter's function entries and backward jumps, where
//! every live value is in a register of some frame, a global, or a host root.
//!
//! Marking is precise: registers and globals are scanned by their static types, and
//! each object kind knows which of its slots hold references ([`Obj::trace`]).
//! `hl.Bytes` values carry a byte offset in their upper 32 bits
//! ([`crate::value::bytes_ptr`]); the block's handle is the lower 32.
//!
//! `HLVM_GC_STRESS=N` asks for a collection at the first safepoint after every N
//! allocations (N = 1: at every safepoint that follows an allocation).

mod heap;
mod slots;
mod table;

pub use heap::{dyn_fields_add, dyn_fields_from, dyn_fields_in_order, dyn_fields_remove, layout, Bound, DequeObj, DynField, Heap, NativeObj, NativeRefs, Obj};
pub use slots::Slots;
/// The table types of [`NativeObj::BytesMap`] and [`NativeObj::IntMap`].
pub use crate::rt::{BytesKey, BytesMap, MapKey, MapTable, SetAt};
/// `String` map keys and their lookups through the heap.
pub use crate::rt::bytesmap;
