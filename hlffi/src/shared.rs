//! State shared by a [`crate::Vm`] and every handle it gave out: the VM cell, roots
//! waiting to be released, and lookup caches.

use std::cell::{OnceCell, RefCell};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use hlvm::code::Type;

use crate::cell::VmCell;
use crate::convert::Cx;
use crate::Result;

/// Type indices the conversions use constantly (computed once per loaded module).
#[derive(Clone, Copy, Debug)]
#[doc(hidden)]
pub struct Prims {
    pub i32: u32,
    pub i64: u32,
    pub f32: u32,
    pub f64: u32,
    pub bool: u32,
    pub ui8: u32,
    pub ui16: u32,
    pub dyn_: u32,
    /// The `String` class, when the module has one.
    pub string: Option<u32>,
}

/// How a static member of a class is reached.
#[derive(Clone, Debug)]
pub(crate) enum Static {
    /// A static method: its function index and signature.
    Method(u32, Arc<crate::function::Signature>),
    /// A static variable: field index in the class object, and its type.
    Var(usize, u32),
}

/// A class's statics: the global holding its class object (`$Name`), and its members.
#[derive(Debug)]
pub(crate) struct ClassStatics {
    /// Global index of the class object.
    pub global: usize,
    pub members: HashMap<String, Static>,
}

#[derive(Default)]
pub(crate) struct Names {
    /// Classes, enums and abstracts by name (`pack.Name`); built on first use.
    pub types: Option<HashMap<String, u32>>,
    /// Statics by class name.
    pub statics: HashMap<String, Arc<ClassStatics>>,
}

/// What every handle of one VM shares.
///
/// It sits in an `Arc` (atomic counts) so that a handle dropped on a thread that may
/// not use the VM (one kept in a thread-local, say) only decrements a count; the
/// `Cell`/`RefCell` fields are used only by the thread holding the VM lock (inside
/// [`VmCell::with`]), the rest are atomics or a `Mutex`.
pub(crate) struct Shared {
    pub cell: VmCell,
    /// Host roots whose handles were dropped while the VM was busy, or on a thread not
    /// holding the VM lock.
    pending_release: Mutex<Vec<usize>>,
    /// Whether `pending_release` may be non-empty.
    has_pending: AtomicBool,
    pub names: RefCell<Names>,
    /// Set once a module is loaded (a reload keeps the primitive types' indices).
    pub prims: OnceCell<Prims>,
    pub loaded: AtomicBool,
    pub entry_called: AtomicBool,
}

impl Shared {
    #[expect(clippy::arc_with_non_send_sync, reason = "atomic counts for handles dropped on the wrong thread; see the type's docs")]
    pub(crate) fn new(vm: hlvm::Vm) -> Arc<Shared> {
        Arc::new(Shared {
            cell: VmCell::new(vm),
            pending_release: Mutex::new(Vec::new()),
            has_pending: AtomicBool::new(false),
            names: RefCell::new(Names::default()),
            prims: OnceCell::new(),
            loaded: AtomicBool::new(false),
            entry_called: AtomicBool::new(false),
        })
    }

    /// Whether a module is loaded.
    pub(crate) fn is_loaded(&self) -> bool {
        self.loaded.load(Ordering::Acquire)
    }

    /// Whether the entrypoint ran.
    pub(crate) fn entry_ran(&self) -> bool {
        self.entry_called.load(Ordering::Acquire)
    }

    /// Lends the VM, wrapped in a conversion context, to `f`.
    pub(crate) fn with<R>(self: &Arc<Self>, f: impl FnOnce(&mut Cx<'_>) -> Result<R>) -> Result<R> {
        self.cell.with(|vm| {
            self.release_pending(vm);
            let computed;
            let p = match self.prims.get() {
                Some(p) => p,
                None => {
                    computed = compute_prims(vm);
                    if self.is_loaded() {
                        self.prims.get_or_init(|| computed)
                    } else {
                        &computed
                    }
                }
            };
            let mut cx = Cx { vm, shared: self, p };
            f(&mut cx)
        })
    }

    /// Releases host root `id` now, or at the VM's next use if the VM is busy or the
    /// calling thread does not hold the VM lock.
    pub(crate) fn release_root(&self, id: usize) {
        if self.cell.held() {
            let done = self.cell.with(|vm| {
                vm.remove_root(id);
                Ok(())
            });
            if done.is_ok() {
                return;
            }
        }
        self.pending_release.lock().unwrap_or_else(PoisonError::into_inner).push(id);
        self.has_pending.store(true, Ordering::Release);
    }

    /// Removes the roots [`Shared::release_root`] queued (handles dropped while the VM
    /// could not be reached), if any: otherwise one atomic load on the host-call path.
    #[inline]
    pub(crate) fn release_pending(&self, vm: &mut hlvm::Vm) {
        if self.has_pending.load(Ordering::Acquire) {
            self.release_pending_now(vm);
        }
    }

    /// [`Shared::release_pending`]'s work, out of line.
    #[cold]
    fn release_pending_now(&self, vm: &mut hlvm::Vm) {
        self.has_pending.store(false, Ordering::Relaxed);
        let ids = std::mem::take(&mut *self.pending_release.lock().unwrap_or_else(PoisonError::into_inner));
        for id in ids {
            vm.remove_root(id);
        }
    }

    /// Forgets caches that depend on the module's code (after a reload).
    pub(crate) fn invalidate_names(&self) {
        let mut n = self.names.borrow_mut();
        n.types = None;
        n.statics.clear();
    }
}

fn compute_prims(vm: &mut hlvm::Vm) -> Prims {
    let string = (0..vm.type_count() as u32).find(|&t| matches!(vm.ty(t), Some(Type::Obj(_))) && vm.type_name(t) == "String");
    Prims {
        i32: vm.type_index(Type::I32),
        i64: vm.type_index(Type::I64),
        f32: vm.type_index(Type::F32),
        f64: vm.type_index(Type::F64),
        bool: vm.type_index(Type::Bool),
        ui8: vm.type_index(Type::UI8),
        ui16: vm.type_index(Type::UI16),
        dyn_: vm.type_index(Type::Dyn),
        string,
    }
}
