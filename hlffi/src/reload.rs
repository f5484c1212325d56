//! Hot reload of the loaded module: [`Vm::reload_module`], [`Vm::reload_module_memory`],
//! [`Vm::check_reload`], [`Vm::watch`] and [`Vm::on_reload`].
//!
//! The VM side ([`hlvm::Vm::reload`]) matches the new code to the running module by
//! names (types, functions, statics), swaps changed functions into their slots in one
//! step and keeps every static's value; a reload that cannot keep the running state
//! (a class's fields changed, a missing native...) is refused and changes nothing.
//! This module adds files, change detection and notification.
//!
//! Reloads only ever run on the VM's thread, inside a call to one of these methods or
//! to [`Vm::update`] (when watching): never in the middle of Haxe code.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

pub use hlvm::{ReloadError, ReloadReport};

use crate::{Error, Result, Vm};

/// What `check_reload` compares: modification time and size of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
}

fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    Some(Stamp { modified: m.modified().ok(), len: m.len() })
}

/// How long `check_reload` waits before reading again a file it found unreadable or
/// incomplete (an editor or compiler still writing it).
const RETRY_DELAY: Duration = Duration::from_millis(50);

type Callback = Box<dyn FnMut(std::result::Result<&ReloadReport, &Error>)>;

/// Reload bookkeeping of a [`Vm`].
#[derive(Default)]
pub(crate) struct ReloadState {
    /// Stamp of the file when it was last loaded (or found incompatible).
    stamp: Option<Stamp>,
    /// After a failed read of a changed file: not before this instant again.
    retry_at: Option<Instant>,
    callbacks: Vec<Callback>,
    watcher: Option<Watch>,
}

struct Watch {
    /// Set by the watcher thread when the file's folder reports a change to it.
    dirty: Arc<AtomicBool>,
    _watcher: notify::RecommendedWatcher,
}

impl ReloadState {
    pub(crate) fn loaded(&mut self, path: &Path) {
        self.stamp = stamp(path);
        self.retry_at = None;
    }

    /// Whether the watcher saw a change since the last call (always false without one).
    pub(crate) fn take_dirty(&self) -> bool {
        self.watcher.as_ref().is_some_and(|w| w.dirty.swap(false, Ordering::AcqRel))
    }
}

impl Vm {
    fn require_reload(&self) -> Result<()> {
        if !self.hot_reload_enabled() {
            return Err(Error::ReloadNotEnabled);
        }
        if !self.shared.is_loaded() {
            return Err(Error::NotLoaded);
        }
        Ok(())
    }

    /// Reloads the module from `path`, another compilation of the loaded program.
    /// Changed and new functions run from their next call on; statics keep their
    /// values. The file [`Vm::check_reload`] watches stays the one given to
    /// [`Vm::load_file`] (HLFFI's rule), whatever `path` is.
    ///
    /// # Errors
    /// [`Error::ReloadNotEnabled`] unless [`crate::VmBuilder::hot_reload`] was set;
    /// [`Error::NotLoaded`]; [`Error::FileNotFound`]; [`Error::InvalidBytecode`] for a
    /// file that is not (complete) bytecode; [`Error::Reload`] when the new code cannot
    /// replace the running one (the error names the type, field or function at fault).
    /// On every error the running code and its state are exactly as before.
    pub fn reload_module(&mut self, path: impl AsRef<Path>) -> Result<ReloadReport> {
        self.reload_path(path.as_ref(), true)
    }

    /// [`Vm::reload_module`]; `notify_incomplete`: whether `on_reload` callbacks hear
    /// of a file that cannot be read or is not complete bytecode.
    fn reload_path(&mut self, path: &Path, notify_incomplete: bool) -> Result<ReloadReport> {
        self.require_reload()?;
        let r = std::fs::read(path)
            .map_err(|source| Error::FileNotFound { path: path.display().to_string(), source })
            .and_then(|bytes| self.apply_reload(&bytes));
        let watched = self.path.as_deref() == Some(path);
        if watched && (r.is_ok() || matches!(r, Err(Error::Reload(_)))) {
            // The watched file is complete: remember its stamp, so an unchanged file
            // is not retried. Reloads from another path leave the watched file (the
            // one given to `load_file`) and its stamp alone, as HLFFI does.
            self.reload.loaded(path);
        }
        let incomplete = matches!(r, Err(Error::FileNotFound { .. }) | Err(Error::InvalidBytecode(_)));
        if notify_incomplete || !incomplete {
            self.notify(&r);
        }
        r
    }

    /// Like [`Vm::reload_module`], from bytes in memory.
    pub fn reload_module_memory(&mut self, bytes: &[u8]) -> Result<ReloadReport> {
        self.require_reload()?;
        let r = self.apply_reload(bytes);
        self.notify(&r);
        r
    }

    fn apply_reload(&mut self, bytes: &[u8]) -> Result<ReloadReport> {
        let started = Instant::now();
        let code = hlvm::Code::read(bytes)?;
        let r = self.shared.cell.with(|vm| vm.reload(code).map_err(Error::Reload));
        match &r {
            Ok(report) => {
                self.shared.invalidate_names();
                tracing::debug!(
                    changed = ?report.changed,
                    added = ?report.added,
                    unchanged = report.unchanged,
                    micros = started.elapsed().as_micros() as u64,
                    "hot reload applied"
                );
            }
            Err(e) => tracing::debug!(error = %e, "hot reload refused"),
        }
        r
    }

    fn notify(&mut self, r: &Result<ReloadReport>) {
        if let Err(e) = r {
            if matches!(e, Error::ReloadNotEnabled | Error::NotLoaded) {
                return;
            }
        }
        let mut callbacks = std::mem::take(&mut self.reload.callbacks);
        for cb in &mut callbacks {
            cb(r.as_ref());
        }
        callbacks.append(&mut self.reload.callbacks);
        self.reload.callbacks = callbacks;
    }

    /// Registers `callback`, called after every reload attempt (of any of the reload
    /// methods) with the report or the error.
    pub fn on_reload(&mut self, callback: impl FnMut(std::result::Result<&ReloadReport, &Error>) + 'static) {
        self.reload.callbacks.push(Box::new(callback));
    }

    /// Reloads the loaded file (the path given to [`Vm::load_file`]; reloads from
    /// other paths do not change it) if its modification time or size changed since
    /// it was loaded or last reloaded. Returns whether a reload happened.
    ///
    /// A file that cannot be read or is not complete bytecode (an editor writing it
    /// through a rename, a compiler half-way through) is not applied: `check_reload`
    /// returns `Ok(false)` and reads it again at a later call (at most every 50 ms)
    /// until it loads. Costs one `stat` when nothing changed.
    ///
    /// # Errors
    /// [`Error::ReloadNotEnabled`], [`Error::NotLoaded`], [`Error::InvalidArgument`]
    /// when the module was loaded from memory, and [`Error::Reload`] when the complete
    /// new file cannot replace the running code (it is then not retried until it
    /// changes again).
    pub fn check_reload(&mut self) -> Result<bool> {
        self.require_reload()?;
        let path = self.path.clone().ok_or_else(|| Error::InvalidArgument("the module was loaded from memory, not a file".into()))?;
        let now = stamp(&path);
        if now.is_none() || now == self.reload.stamp {
            return Ok(false);
        }
        if self.reload.retry_at.is_some_and(|t| Instant::now() < t) {
            return Ok(false);
        }
        // A file still being written is retried silently: callbacks hear of the result
        // once it is complete.
        match self.reload_path(&path, false) {
            Ok(_) => Ok(true),
            Err(Error::FileNotFound { .. }) | Err(Error::InvalidBytecode(_)) => {
                self.reload.retry_at = Some(Instant::now() + RETRY_DELAY);
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }

    /// Starts a background watcher (the `notify` crate) on the loaded file. From then
    /// on, [`Vm::update`] calls [`Vm::check_reload`] when the watcher saw the file
    /// change, so a host that pumps `update` every frame picks up new code by itself
    /// (the reload runs inside `update`, on the VM's thread). Errors of such reloads go
    /// to the [`Vm::on_reload`] callbacks and to `tracing`.
    ///
    /// # Errors
    /// [`Error::ReloadNotEnabled`], [`Error::NotLoaded`], [`Error::InvalidArgument`]
    /// for a module loaded from memory or a watcher the OS refuses.
    pub fn watch(&mut self) -> Result<()> {
        use notify::Watcher;
        self.require_reload()?;
        let path = self.path.clone().ok_or_else(|| Error::InvalidArgument("the module was loaded from memory, not a file".into()))?;
        let dirty = Arc::new(AtomicBool::new(false));
        let flag = dirty.clone();
        let name = path.file_name().map(|n| n.to_os_string());
        let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
            if let Ok(ev) = ev {
                if ev.paths.iter().any(|p| p.file_name().map(|n| n.to_os_string()) == name) {
                    flag.store(true, Ordering::Release);
                }
            }
        })
        .map_err(|e| Error::InvalidArgument(format!("cannot watch {}: {e}", path.display())))?;
        let dir = watched_dir(&path);
        watcher
            .watch(&dir, notify::RecursiveMode::NonRecursive)
            .map_err(|e| Error::InvalidArgument(format!("cannot watch {}: {e}", dir.display())))?;
        self.reload.watcher = Some(Watch { dirty, _watcher: watcher });
        Ok(())
    }

    /// With [`Vm::watch`]: reloads if the watcher saw a change (or an earlier read is
    /// due for a retry). Called by [`Vm::update`].
    pub(crate) fn poll_watch(&mut self) {
        let due = self.reload.take_dirty() || self.reload.retry_at.is_some();
        if due && self.reload.watcher.is_some() {
            if let Err(e) = self.check_reload() {
                tracing::warn!(error = %e, "hot reload failed; the running code is unchanged");
            }
        }
    }
}

/// The folder to watch for `path` (its parent; `.` for a bare file name).
fn watched_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}
