//! [`Vm`]: one HashLink virtual machine with at most one loaded module.

use std::io::Write;
use std::path::Path;

use crate::{Error, Result};

/// A Haxe virtual machine.
///
/// Lifecycle: [`Vm::new`] (or [`Vm::builder`]) → [`Vm::load_file`] /
/// [`Vm::load_memory`] → [`Vm::call_entry`]. Dropping the VM frees everything it owns.
pub struct Vm {
    inner: hlvm::Vm,
    loaded: bool,
}

/// Configures a [`Vm`] before it is created.
#[derive(Default)]
pub struct VmBuilder {
    args: Vec<String>,
    stdout: Option<Box<dyn Write + Send>>,
}

impl VmBuilder {
    /// Program arguments, returned by Haxe's `Sys.args()`.
    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.args = args.into_iter().map(Into::into).collect();
        self
    }

    /// Where Haxe's standard output (`trace`, `Sys.print`, `Sys.println`) goes.
    /// Defaults to the process's stdout.
    pub fn stdout(mut self, out: Box<dyn Write + Send>) -> Self {
        self.stdout = Some(out);
        self
    }

    /// Creates the VM.
    pub fn build(self) -> Vm {
        let mut config = hlvm::VmConfig::default();
        config.args = self.args;
        if let Some(out) = self.stdout {
            config.stdout = out;
        }
        Vm { inner: hlvm::Vm::new(config), loaded: false }
    }
}

impl Default for Vm {
    fn default() -> Self {
        Self::new()
    }
}

impl Vm {
    /// A VM with default settings: no program arguments, output to stdout.
    pub fn new() -> Vm {
        VmBuilder::default().build()
    }

    /// Starts configuring a VM.
    pub fn builder() -> VmBuilder {
        VmBuilder::default()
    }

    /// Reads, validates and links the bytecode file at `path`.
    ///
    /// # Errors
    /// [`Error::FileNotFound`] when the file cannot be read, [`Error::InvalidBytecode`]
    /// when it is not valid HLB, [`Error::Link`] when a native it needs is missing,
    /// [`Error::AlreadyLoaded`] when this VM already holds a module.
    pub fn load_file(&mut self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let bytes = std::fs::read(path)
            .map_err(|source| Error::FileNotFound { path: path.display().to_string(), source })?;
        self.load_memory(&bytes)
    }

    /// Like [`Vm::load_file`], from bytes in memory (the bytes are copied).
    pub fn load_memory(&mut self, bytes: &[u8]) -> Result<()> {
        if self.loaded {
            return Err(Error::AlreadyLoaded);
        }
        let code = hlvm::Code::read(bytes)?;
        self.inner.load(code)?;
        self.loaded = true;
        Ok(())
    }

    /// Runs the module's entrypoint: static initialisers, then `main`.
    ///
    /// # Errors
    /// [`Error::NotLoaded`] before a load; [`Error::Exception`] when Haxe code throws
    /// and nothing catches it (the VM stays usable); [`Error::Exit`] when the program
    /// called `Sys.exit`.
    pub fn call_entry(&mut self) -> Result<()> {
        if !self.loaded {
            return Err(Error::NotLoaded);
        }
        self.inner.call_entry().map_err(Error::from)
    }

    /// Disassembles the loaded module's functions whose name contains `filter`
    /// (a debugging aid; the format is not stable).
    pub fn disassemble(&self, filter: &str) -> String {
        self.inner.disassemble(filter)
    }

    /// Flushes Haxe's buffered standard output.
    pub fn flush(&mut self) {
        self.inner.flush_stdout();
    }
}
