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
    /// The module's entrypoint has not run yet, so statics are not initialised
    /// (call [`crate::Vm::call_entry`] first).
    #[error("the entrypoint has not run yet (call call_entry first)")]
    EntryNotCalled,
    /// No class, enum or abstract of this name exists in the loaded module (it may have
    /// been removed by the Haxe compiler's dead-code elimination; `@:keep` keeps it).
    #[error("type not found: {0}")]
    TypeNotFound(String),
    /// The class has no such method (static or instance, inherited included).
    #[error("{class} has no method {method}")]
    MethodNotFound {
        /// Class name, with its package (`pack.Class`).
        class: String,
        /// Method name.
        method: String,
    },
    /// The class (or value) has no such field.
    #[error("{class} has no field {field}")]
    FieldNotFound {
        /// Class name, with its package, or a description of the value.
        class: String,
        /// Field name.
        field: String,
    },
    /// A value does not have the Haxe type required where it is used.
    ///
    /// `expected` and `actual` are Haxe type names (`Int`, `Float`, `String`,
    /// `Array<Int>`, `pack.Class`, `Null<Int>`, `Dynamic`, ...).
    #[error("{what}: expected {expected}, got {actual}")]
    TypeMismatch {
        /// Where: `argument 2 of Main.add`, `return value of Main.add`, `field Main.hp`...
        what: String,
        /// The type required.
        expected: String,
        /// The type of the value given.
        actual: String,
    },
    /// A null value where a non-nullable one is required.
    #[error("{what}: null where {expected} is required")]
    NullValue {
        /// Where (as in [`Error::TypeMismatch`]).
        what: String,
        /// The type required.
        expected: String,
    },
    /// A function was called with the wrong number of arguments.
    #[error("{function} takes {expected} argument(s), {given} given")]
    ArgumentCount {
        /// The function (`Main.add`).
        function: String,
        /// Parameters it declares.
        expected: usize,
        /// Arguments passed.
        given: usize,
    },
    /// An argument is invalid for reasons other than its type (an index out of range,
    /// a value from another VM...).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// The VM is already in use: an `hlffi` call was made while another one was running
    /// and not from inside a callback (e.g. from a `Drop` impl during a call).
    #[error("the VM is busy with another call")]
    VmBusy,
    /// The [`crate::Vm`] this handle belongs to has been dropped.
    #[error("the VM this handle belongs to has been dropped")]
    VmDropped,
    /// Hot reload was not enabled before load ([`crate::VmBuilder::hot_reload`]).
    #[error("hot reload is not enabled (VmBuilder::hot_reload)")]
    ReloadNotEnabled,
    /// The new code cannot replace the running code; nothing was changed.
    #[error("{0}")]
    Reload(#[from] hlvm::ReloadError),
    /// [`crate::VmThread`]: no VM thread runs (never started, stopped, or stopping).
    #[error("the VM thread is not running")]
    ThreadNotStarted,
    /// [`crate::VmThread::start`] while the VM thread already runs.
    #[error("the VM thread is already running")]
    ThreadAlreadyRunning,
    /// The VM thread could not be started (the OS refused a thread).
    #[error("cannot start the VM thread: {0}")]
    ThreadStartFailed(String),
    /// A call made from a thread where it is not allowed (e.g.
    /// [`crate::VmThread::call_sync`] from the VM thread, which would wait for itself).
    #[error("wrong thread: {0}")]
    WrongThread(String),
    /// A Rust callback called from Haxe failed (returned an error or panicked).
    #[error("callback {name} failed: {message}")]
    Callback {
        /// The callback (`lib.name` of a native, or the name given to `Vm::function`).
        name: String,
        /// The error or panic message.
        message: String,
    },
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
            Error::EntryNotCalled => 9,
            Error::TypeNotFound(_) => 11,
            Error::MethodNotFound { .. } => 12,
            Error::FieldNotFound { .. } => 13,
            Error::TypeMismatch { .. } => 17,
            Error::NullValue { .. } => 18,
            Error::ArgumentCount { .. } | Error::InvalidArgument(_) => 30,
            Error::VmBusy => 26,
            Error::VmDropped => 1,
            Error::Callback { .. } => 14,
            Error::ReloadNotEnabled => 20,
            Error::Reload(_) => 21,
            Error::ThreadNotStarted => 22,
            Error::ThreadAlreadyRunning => 23,
            Error::ThreadStartFailed(_) => 24,
            Error::WrongThread(_) => 26,
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
