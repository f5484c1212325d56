//! `rt`: runtime semantics shared by the interpreter and the natives — boxing
//! (`vdynamic`), casts, virtuals, dynamic field access by name hash, closure calls with
//! argument conversion, comparisons, object allocation, string conversion, and the
//! collector's marking phase.

mod dynamic;
mod gc;
mod tostring;

pub(crate) use dynamic::INVALID_COMPARISON;
