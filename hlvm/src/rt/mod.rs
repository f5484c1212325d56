//! `rt`: runtime semantics shared by the interpreter and the natives — boxing
//! (`vdynamic`), casts, virtuals, dynamic field access by name hash, closure calls with
//! argument conversion, comparisons, object allocation, string conversion, HashLink's function names (stack
//! frames, `Null access .field`), and the collector's marking phase.

pub mod bytesmap;
mod dynamic;
mod fieldnames;
mod funnames;
mod gc;
mod maptable;
mod tostring;

pub(crate) use dynamic::INVALID_COMPARISON;
pub use fieldnames::FieldNames;
pub use bytesmap::{BytesKey, BytesMap, SetAt};
pub use maptable::{MapKey, MapTable};
pub(crate) use funnames::name_nested_functions;
