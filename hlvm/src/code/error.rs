//! Errors of the bytecode reader.

use thiserror::Error;

/// A bytecode file that could not be read: where, and what was wrong.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("at byte {offset}: {kind}")]
pub struct ReadError {
    /// Byte offset in the input where the problem was found.
    pub offset: usize,
    /// What was wrong.
    pub kind: ReadErrorKind,
}

/// What was wrong with a bytecode file.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum ReadErrorKind {
    /// The file does not start with `HLB`.
    #[error("not HashLink bytecode (missing `HLB` header)")]
    BadHeader,
    /// A version this reader does not support (supported: 4 and 5).
    #[error("unsupported HLB version {found} (supported: 4, 5)")]
    UnsupportedVersion {
        /// The version byte.
        found: u8,
    },
    /// The input ended in the middle of a section.
    #[error("unexpected end of data while reading {what}")]
    Truncated {
        /// The section or item being read.
        what: &'static str,
    },
    /// A count larger than the bytes that remain could hold.
    #[error("{what} count {count} is larger than the remaining {remaining} bytes allow")]
    CountTooLarge {
        /// The kind of item counted.
        what: &'static str,
        /// The count found.
        count: usize,
        /// Bytes left in the input.
        remaining: usize,
    },
    /// A negative value where only non-negative ones are valid.
    #[error("negative {what}: {value}")]
    Negative {
        /// The item being read.
        what: &'static str,
        /// The value found.
        value: i32,
    },
    /// An index outside its table.
    #[error("{what} index {index} out of range (count {count})")]
    IndexOutOfRange {
        /// The index space (type, string, global, function, register, ...).
        what: &'static str,
        /// The index found.
        index: i64,
        /// The size of the table.
        count: usize,
    },
    /// An unknown type kind byte.
    #[error("invalid type kind {0}")]
    BadTypeKind(u8),
    /// An unknown opcode byte.
    #[error("invalid opcode {0}")]
    BadOpcode(u8),
    /// A jump whose target is outside the function.
    #[error("jump target {target} outside function of {nops} ops (function {findex}, op {pc})")]
    BadJump {
        /// Function index.
        findex: u32,
        /// The jumping op.
        pc: usize,
        /// The target computed.
        target: i64,
        /// Number of ops in the function.
        nops: usize,
    },
    /// The string pool is malformed (missing terminator or lengths past its end).
    #[error("malformed string pool")]
    BadStringPool,
    /// Two functions (or natives) claim the same function index.
    #[error("function index {0} defined twice")]
    DuplicateFunction(u32),
    /// A function index that has no function or native.
    #[error("function index {0} has no definition")]
    MissingFunction(u32),
    /// The entrypoint is not a bytecode function.
    #[error("entrypoint {0} is not a function")]
    BadEntrypoint(u32),
    /// Something structurally wrong not covered above.
    #[error("{0}")]
    Invalid(String),
}
