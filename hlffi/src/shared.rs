//! State shared by a [`crate::Vm`] and every handle it gave out: the VM cell, roots
//! waiting to be released, and lookup caches.

use std::cell::{Cell, RefCell};
use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

use hlvm::code::Type;

use crate::cell::VmCell;
use crate::convert::Cx;
use crate::Result;

/// Type indices the conversions use constantly (computed once per loaded module).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Prims {
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
    Method(u32, Rc<crate::function::Signature>),
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
    pub statics: HashMap<String, Rc<ClassStatics>>,
}

pub(crate) struct Shared {
    pub cell: VmCell,
    /// Host roots whose handles were dropped while the VM was busy.
    pending_release: RefCell<Vec<usize>>,
    /// Whether `pending_release` may be non-empty.
    has_pending: Cell<bool>,
    pub names: RefCell<Names>,
    pub prims: Cell<Option<Prims>>,
    pub loaded: Cell<bool>,
    pub entry_called: Cell<bool>,
}

impl Shared {
    pub(crate) fn new(vm: hlvm::Vm) -> Rc<Shared> {
        Rc::new(Shared {
            cell: VmCell::new(vm),
            pending_release: RefCell::new(Vec::new()),
            has_pending: Cell::new(false),
            names: RefCell::new(Names::default()),
            prims: Cell::new(None),
            loaded: Cell::new(false),
            entry_called: Cell::new(false),
        })
    }

    /// Lends the VM, wrapped in a conversion context, to `f`.
    pub(crate) fn with<R>(self: &Rc<Self>, f: impl FnOnce(&mut Cx<'_>) -> Result<R>) -> Result<R> {
        self.cell.with(|vm| {
            self.release_pending(vm);
            let prims = match self.prims.get() {
                Some(p) => p,
                None => {
                    let p = compute_prims(vm);
                    if self.loaded.get() {
                        self.prims.set(Some(p));
                    }
                    p
                }
            };
            let mut cx = Cx { vm, shared: self, p: prims };
            f(&mut cx)
        })
    }

    /// Releases host root `id` now, or at the next access if the VM is busy.
    pub(crate) fn release_root(&self, id: usize) {
        let done = self.cell.with(|vm| {
            vm.remove_root(id);
            Ok(())
        });
        if done.is_err() {
            if let Ok(mut p) = self.pending_release.try_borrow_mut() {
                p.push(id);
                self.has_pending.set(true);
            }
        }
    }

    fn release_pending(&self, vm: &mut hlvm::Vm) {
        if !self.has_pending.replace(false) {
            return;
        }
        if let Ok(mut p) = self.pending_release.try_borrow_mut() {
            for id in p.drain(..) {
                vm.remove_root(id);
            }
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
