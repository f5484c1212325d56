//! The one error type of `hlffi`.

use thiserror::Error;

/// Everything that can go wrong while embedding Haxe.
///
/// Variants follow HLFFI's `hlffi_error_code` (see `HLFFI_C_API.md`); [`Error::code`]
/// gives the numeric code
/// (`HLFFI_OK` = 0, `HLFFI_ERROR_FILE_NOT_FOUND` = 6, ...).
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// The file given to [`crate::Vm::load_file`] could not be read.
    #[error("cannot read {path}: {source}")]
    FileNotFound {
        /// The path as given.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The bytes are not valid HashLink bytecode (HLB).
    #[error("invalid bytecode: {0}")]
    InvalidBytecode(#[from] hlvm::ReadError),
    /// The bytecode is valid but could not be linked (e.g. a native is missing).
    #[error("cannot link module: {0}")]
    Link(#[from] hlvm::LinkError),
    /// A module is already loaded into this VM.
    #[error("a module is already loaded")]
    AlreadyLoaded,
    /// No module has been loaded yet.
    #[error("no module loaded")]
    NotLoaded,
    /// Haxe code threw an exception that nothing caught.
    ///
    /// `message` is `Std.string` of the thrown value; `stack` lists the frames at the
    /// throw point, innermost first, as HashLink prints them after `Called from `
    /// (e.g. `$Main.main(Main.hx:12)`).
    #[error("Uncaught exception: {message}")]
    Exception {
        /// `Std.string` of the thrown value.
        message: String,
        /// Frames at the throw point, innermost first.
        stack: Vec<String>,
    },
    /// Haxe code called `Sys.exit(code)`.
    #[error("program exited with code {0}")]
    Exit(i32),
    /// An internal VM error (a bug in hlvm, or bytecode outside what the VM supports).
    #[error("internal VM error: {0}")]
    Internal(String),
}

impl Error {
    /// The numeric `hlffi_error_code` of this error (`HLFFI_C_API.md` §4.1).
    pub fn code(&self) -> i32 {
        match self {
            Error::FileNotFound { .. } => 6,
            Error::InvalidBytecode(_) => 7,
            Error::Link(_) => 8,
            Error::AlreadyLoaded => 2,
            Error::NotLoaded => 3,
            Error::Exception { .. } => 15,
            // A program that exits is not a failure of the call mechanism; HLFFI has no
            // dedicated code, so it maps to CALL_FAILED.
            Error::Exit(_) => 14,
            Error::Internal(_) => 32,
        }
    }
}

impl From<hlvm::RunError> for Error {
    fn from(e: hlvm::RunError) -> Self {
        match e {
            hlvm::RunError::Exception { message, stack } => Error::Exception { message, stack },
            hlvm::RunError::Exit(code) => Error::Exit(code),
            hlvm::RunError::Internal(what) => Error::Internal(what),
        }
    }
}
