//! [`Vm`]: one HashLink virtual machine with at most one loaded module.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use hlvm::code::{FunType, Type};
use hlvm::gc::Obj;
use hlvm::value::handle;

use crate::callback::{trampoline, Affinity};
use crate::convert::{Args, CallbackReturn, FromArgs, FromHl, IntoHl};
use crate::function::{call_closure, call_fast, call_raw, call_slots, signature, MethodFn, ScalarBuf, StaticFn};
use crate::reflect::{self, TypeInfo};
use crate::shared::{Names, Prims, Shared, Static};
use crate::{Array, ArrayKind, VmAttach, Bytes, EnumCtor, EnumValue, Error, Function, Map, MapKind, Object, Result, Value};

/// Name of the function the Haxe compiler calls after `main` to run the main thread's
/// event loop (`sys.thread.Thread.processEvents`).
const PROCESS_EVENTS: &str = "sys.thread._Thread.$Thread_Impl_.processEvents";

/// A Haxe virtual machine.
///
/// Lifecycle: [`Vm::new`] (or [`Vm::builder`]) → [`Vm::register_native`] (optional)
/// → [`Vm::load_file`] / [`Vm::load_memory`] → [`Vm::call_entry`] → calls, values,
/// callbacks, [`Vm::update`] each frame. Dropping the VM frees everything it owns;
/// handles that outlive it report [`Error::VmDropped`].
///
/// A `Vm` and its handles are single-threaded (`!Send`): use them on the thread that
/// created the VM.
pub struct Vm {
    pub(crate) r: VmRef,
    pub(crate) path: Option<PathBuf>,
    pub(crate) reload: crate::reload::ReloadState,
    blocking_event_loop: bool,
    hot_reload: bool,
}

/// Configures a [`Vm`] before it is created.
#[derive(Default)]
pub struct VmBuilder {
    args: Vec<String>,
    stdout: Option<Box<dyn Write + Send>>,
    blocking_event_loop: bool,
    hot_reload: bool,
    jit: Option<hlvm::JitMode>,
}

impl VmBuilder {
    /// Whether bytecode may be compiled to native code (`true`: hot functions are
    /// compiled with Cranelift, the default) or is only interpreted (`false`: the
    /// reference interpreter). Without this call, the `HLVM_JIT` environment variable
    /// decides (`0` interprets, `eager` compiles every function at its first call).
    pub fn jit(mut self, on: bool) -> Self {
        self.jit = Some(if on { hlvm::JitMode::Tiered } else { hlvm::JitMode::Off });
        self
    }

    /// Chooses the engine exactly ([`JitMode`](hlvm::JitMode)): `Off`, `Tiered` (the
    /// default) or `Eager` (every function compiled at its first call, for testing the
    /// compiler on all code).
    pub fn jit_mode(mut self, mode: hlvm::JitMode) -> Self {
        self.jit = Some(mode);
        self
    }

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

    /// Whether [`Vm::call_entry`] runs the main thread's event loop after `main`
    /// until no timer or event is left, as the `hl` command does (`true`), or returns
    /// as soon as `main` does and leaves the events to [`Vm::update`] (`false`, the
    /// default: the host owns the main loop).
    pub fn blocking_event_loop(mut self, on: bool) -> Self {
        self.blocking_event_loop = on;
        self
    }

    /// Enables hot reload of the loaded module (off by default): [`Vm::reload_module`],
    /// [`Vm::check_reload`], [`Vm::watch`].
    pub fn hot_reload(mut self, on: bool) -> Self {
        self.hot_reload = on;
        self
    }

    /// Creates the VM.
    pub fn build(self) -> Vm {
        let mut config = hlvm::VmConfig::default();
        config.args = self.args;
        if let Some(out) = self.stdout {
            config.stdout = out;
        }
        if let Some(mode) = self.jit {
            config.jit = mode;
        }
        Vm {
            r: VmRef { shared: Shared::new(hlvm::Vm::new(config)) },
            path: None,
            reload: Default::default(),
            blocking_event_loop: self.blocking_event_loop,
            hot_reload: self.hot_reload,
        }
    }
}

impl std::ops::Deref for Vm {
    type Target = VmRef;
    fn deref(&self) -> &VmRef {
        &self.r
    }
}

impl Default for Vm {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for Vm {
    fn drop(&mut self) {
        // Handles may keep `Shared` alive; the VM itself goes now, which also breaks
        // reference cycles through callbacks that hold handles.
        self.shared.cell.teardown();
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

    // ------------------------------------------------------------------ lifecycle

    /// Reads, validates and links the bytecode file at `path`. Runs no Haxe code.
    ///
    /// # Errors
    /// [`Error::FileNotFound`] when the file cannot be read, [`Error::InvalidBytecode`]
    /// when it is not valid HLB, [`Error::Link`] when a native it needs is missing,
    /// [`Error::AlreadyLoaded`] when this VM already holds a module. A failed load
    /// leaves the VM empty, so another load may follow.
    pub fn load_file(&mut self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| Error::FileNotFound { path: path.display().to_string(), source })?;
        self.load_memory(&bytes)?;
        self.shared.cell.with(|vm| {
            vm.set_hl_file(path);
            Ok(())
        })?;
        self.path = Some(path.to_path_buf());
        self.reload.loaded(path);
        Ok(())
    }

    /// Like [`Vm::load_file`], from bytes in memory (the bytes are copied).
    pub fn load_memory(&mut self, bytes: &[u8]) -> Result<()> {
        if self.shared.is_loaded() {
            return Err(Error::AlreadyLoaded);
        }
        let code = hlvm::Code::read(bytes)?;
        let blocking = self.blocking_event_loop;
        self.shared.cell.with(|vm| {
            vm.load(code)?;
            if !blocking {
                if let Some(f) = vm.find_function(PROCESS_EVENTS) {
                    vm.replace_function(f, hlvm::FnSlot::Native(|_, _| Ok(0)));
                }
            }
            Ok(())
        })?;
        self.shared.loaded.store(true, std::sync::atomic::Ordering::Release);
        self.shared.invalidate_names();
        Ok(())
    }

    /// Runs the module's entrypoint: static initialisers, then `main`. With
    /// [`VmBuilder::blocking_event_loop`], then the event loop until it is empty.
    ///
    /// # Errors
    /// [`Error::NotLoaded`] before a load; [`Error::Exception`] when Haxe code throws
    /// and nothing catches it (the VM stays usable); [`Error::Exit`] when the program
    /// called `Sys.exit`.
    pub fn call_entry(&mut self) -> Result<()> {
        if !self.shared.is_loaded() {
            return Err(Error::NotLoaded);
        }
        let r = self.shared.cell.with(|vm| vm.call_entry().map_err(Error::from));
        self.shared.entry_called.store(true, std::sync::atomic::Ordering::Release);
        r
    }

    /// Readies the VM to move to another OS thread (a `Vm` is `!Send`): this thread
    /// gives it up, and [`MovingVm::arrive`] on the new thread makes that thread its
    /// owner, as if it had created it. Handles left on this thread fail with
    /// [`Error::WrongThread`] from then on (drop them before, or let them go: their
    /// roots are released at the VM's next use). Natives and functions registered
    /// with closures that are not `Send` stay bound to this thread (they throw when
    /// Haxe calls them elsewhere).
    ///
    /// # Errors
    /// [`Error::VmBusy`] inside a call into the VM; [`Error::WrongThread`] on a
    /// thread that does not own the VM.
    pub fn into_moving(self) -> Result<MovingVm> {
        self.shared.cell.leave_for_move()?;
        Ok(MovingVm(Some(self)))
    }

    /// Ends the VM for a process that is about to exit: Haxe threads stop for good
    /// (at their next safepoint, or wherever they wait), and the VM's memory is not
    /// freed (the operating system takes it back at exit; freeing a large heap takes
    /// time). Flushes Haxe's output first. Use it instead of dropping the `Vm` just
    /// before `std::process::exit` or returning from `main`.
    pub fn end_for_exit(self) {
        self.flush();
        self.shared.cell.abandon();
    }

    /// A cheap `&self` handle to this VM ([`VmRef`]), usable while the `Vm` is
    /// borrowed mutably (inside [`Vm::call_entry`] or [`Vm::update`], from a callback).
    pub fn handle(&self) -> VmRef {
        self.r.clone()
    }

    /// Path given to [`Vm::load_file`], if the module came from a file.
    pub fn loaded_path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Whether hot reload was enabled ([`VmBuilder::hot_reload`]).
    pub fn hot_reload_enabled(&self) -> bool {
        self.hot_reload
    }

    // ------------------------------------------------------------------ host functions

    /// Provides native `lib@name` (`@:hlNative("lib", "name")` in Haxe) with a Rust
    /// closure. Call it before loading to satisfy the module's import; calling it again
    /// (before or after loading) replaces the implementation, atomically for Haxe code.
    /// Arguments convert from the native's declared Haxe types, the result to its
    /// return type.
    ///
    /// ```no_run
    /// let mut vm = hlffi::Vm::new();
    /// vm.register_native("game", "log", |(msg,): (String,)| println!("{msg}"));
    /// vm.register_native("game", "add", |(a, b): (i32, i32)| a + b);
    /// # Ok::<(), hlffi::Error>(())
    /// ```
    ///
    /// A closure returning `Err`, or panicking, throws a Haxe exception instead of
    /// returning; Haxe code can catch it.
    ///
    /// The closure runs only on the thread that registered it: called from a Haxe
    /// thread (`sys.thread.Thread`) it throws. Use [`Vm::register_native_send`] for
    /// natives Haxe threads call.
    pub fn register_native<A, R, F>(&mut self, lib: &str, name: &str, f: F)
    where
        A: FromArgs,
        R: CallbackReturn,
        F: Fn(A) -> R + 'static,
    {
        self.bind_native(lib, name, f, Affinity::Creator);
    }

    /// [`Vm::register_native`] for a `Send` closure, which any thread may call: Haxe
    /// threads and attached host threads ([`VmAttach`]). Calls never overlap (Haxe code
    /// runs on one thread at a time).
    pub fn register_native_send<A, R, F>(&mut self, lib: &str, name: &str, f: F)
    where
        A: FromArgs,
        R: CallbackReturn,
        F: Fn(A) -> R + Send + 'static,
    {
        self.bind_native(lib, name, f, Affinity::Any);
    }

    fn bind_native<A, R, F>(&mut self, lib: &str, name: &str, f: F, affinity: Affinity)
    where
        A: FromArgs,
        R: CallbackReturn,
        F: Fn(A) -> R + 'static,
    {
        let host = trampoline(Arc::downgrade(&self.shared), format!("{lib}.{name}"), f, affinity);
        let _ = self.shared.cell.with(|vm| {
            vm.register_native(lib, name, host.clone());
            for f in vm.native_indices(lib, name) {
                vm.replace_function(f, hlvm::FnSlot::Host(host.clone()));
            }
            Ok(())
        });
    }

    // ------------------------------------------------------------------ event loop

    /// Runs the Haxe work that is due — `haxe.Timer` ticks, `haxe.Timer.delay`,
    /// `haxe.MainLoop` callbacks, events queued on the main thread's
    /// `sys.thread.EventLoop` — and returns without waiting. Call once per frame.
    /// After [`Vm::watch`], it first applies a changed module (hot reload).
    /// `dt` (seconds since the last frame) is informational: timers follow the clock.
    /// Returns how many events ran.
    ///
    /// # Errors
    /// [`Error::Exception`] when an event throws (later events wait for the next
    /// call); [`Error::EntryNotCalled`].
    pub fn update(&mut self, dt: f64) -> Result<usize> {
        let _ = dt;
        self.require_entry()?;
        self.poll_watch();
        self.shared.with(crate::events::pump)
    }
}

/// A [`Vm`] moving to another OS thread ([`Vm::into_moving`]); `Send`. Dropped
/// without arriving, it arrives on the dropping thread and drops the VM there.
pub struct MovingVm(Option<Vm>);

impl MovingVm {
    /// Makes the calling thread the VM's owner and returns the VM.
    pub fn arrive(mut self) -> Vm {
        let vm = self.0.take().unwrap_or_default();
        vm.shared.cell.arrive();
        vm
    }
}

impl Drop for MovingVm {
    fn drop(&mut self) {
        if let Some(vm) = self.0.take() {
            vm.shared.cell.arrive();
        }
    }
}

/// The `&self` half of a [`Vm`]: calls, statics, instances, values, reflection.
/// A [`Vm`] dereferences to it, so these are called as `vm.call_static(..)`.
/// [`Vm::handle`] gives a cheap clone that stays usable while the `Vm` itself is
/// borrowed mutably (e.g. from a callback running inside [`Vm::call_entry`]).
/// Like the `Vm`, it is `!Send`.
#[derive(Clone)]
pub struct VmRef {
    pub(crate) shared: Arc<Shared>,
}

impl VmRef {

    pub(crate) fn require_entry(&self) -> Result<()> {
        if !self.shared.is_loaded() {
            return Err(Error::NotLoaded);
        }
        if !self.shared.entry_ran() {
            return Err(Error::EntryNotCalled);
        }
        Ok(())
    }

    /// Whether [`Vm::call_entry`] has run (even if `main` threw).
    pub fn entry_called(&self) -> bool {
        self.shared.entry_ran()
    }

    /// Whether a module is loaded.
    pub fn is_loaded(&self) -> bool {
        self.shared.is_loaded()
    }

    // ------------------------------------------------------------------ statics

    /// Calls static method `class.method` (`class` with its package: `game.Main`).
    /// A static variable holding a function is called too.
    ///
    /// ```no_run
    /// # let mut vm = hlffi::Vm::new();
    /// let sum: i32 = vm.call_static("Main", "add", (2, 3))?;
    /// let greeting: String = vm.call_static("Main", "greet", ("Ada",))?;
    /// vm.call_static::<()>("Main", "reset", ())?;
    /// # Ok::<(), hlffi::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::TypeNotFound`], [`Error::MethodNotFound`], [`Error::ArgumentCount`],
    /// [`Error::TypeMismatch`] / [`Error::NullValue`] for an argument or the result,
    /// [`Error::Exception`] when the method throws, [`Error::EntryNotCalled`] before
    /// [`Vm::call_entry`].
    pub fn call_static<R: FromHl>(&self, class: &str, method: &str, args: impl Args) -> Result<R> {
        self.require_entry()?;
        // A method seen before, called with scalars of its parameters' types: no
        // conversion, and no clone of the class's cached statics.
        if let Some(r) = call_fast(&self.shared, |p, buf| known_static(&self.shared.names.borrow(), class, method, &args, p, buf)) {
            return r;
        }
        self.shared.with(|cx| {
            let mut buf = ScalarBuf::new();
            let known = known_static(&cx.shared.names.borrow(), class, method, &args, cx.p, &mut buf);
            if let Some((f, ret)) = known {
                return call_slots(cx, f, buf.slots(), ret, &|| format!("{class}.{method}"));
            }
            let st = reflect::statics(cx, class)?;
            match st.members.get(method) {
                Some(Static::Method(f, sig)) => {
                    call_raw(cx, *f, None, args, &sig.params, sig.ret, &|| format!("{class}.{method}"))
                }
                Some(&Static::Var(i, _)) if !method.starts_with("__") => {
                    let c = static_slot(cx, st.global, i);
                    call_closure(cx, c, args, &|| format!("{class}.{method}"))
                }
                _ => Err(Error::MethodNotFound { class: class.into(), method: method.into() }),
            }
        })
    }

    /// Reads static variable `class.field`.
    ///
    /// # Errors
    /// [`Error::TypeNotFound`], [`Error::FieldNotFound`], conversion errors,
    /// [`Error::EntryNotCalled`].
    pub fn get_static<R: FromHl>(&self, class: &str, field: &str) -> Result<R> {
        self.require_entry()?;
        self.shared.with(|cx| {
            let st = reflect::statics(cx, class)?;
            match st.members.get(field) {
                Some(&Static::Var(i, ty)) if !field.starts_with("__") => {
                    let v = static_slot(cx, st.global, i);
                    R::from_hl(cx, v, ty).map_err(|e| e.at(|| format!("field {class}.{field}")))
                }
                Some(&Static::Method(f, _)) => {
                    let ty = cx.vm.fun_type(f).unwrap_or(0);
                    let c = cx.vm.heap.alloc(Obj::Closure { ty, fun: f, bound: hlvm::gc::Bound::NONE }) as u64;
                    R::from_hl(cx, c, ty).map_err(|e| e.at(|| format!("field {class}.{field}")))
                }
                _ => Err(Error::FieldNotFound { class: class.into(), field: field.into() }),
            }
        })
    }

    /// Writes static variable `class.field`.
    ///
    /// # Errors
    /// [`Error::TypeNotFound`], [`Error::FieldNotFound`] (also for a static method),
    /// [`Error::TypeMismatch`] when `value` does not fit the variable's type.
    pub fn set_static(&self, class: &str, field: &str, value: impl IntoHl) -> Result<()> {
        self.require_entry()?;
        self.shared.with(|cx| {
            let st = reflect::statics(cx, class)?;
            match st.members.get(field) {
                Some(&Static::Var(i, ty)) if !field.starts_with("__") => {
                    let v = value.into_hl(cx, ty).map_err(|e| e.at(|| format!("field {class}.{field}")))?;
                    let obj = cx.vm.global(st.global).unwrap_or(0);
                    match cx.vm.heap.get_mut(handle(obj)) {
                        Some(Obj::Instance { fields, .. }) if i < fields.len() => {
                            fields[i] = v;
                            Ok(())
                        }
                        _ => Err(Error::EntryNotCalled),
                    }
                }
                _ => Err(Error::FieldNotFound { class: class.into(), field: field.into() }),
            }
        })
    }

    /// Resolves static method `class.method` once, for calls without name lookups.
    /// The argument tuple `A` and result `R` are checked against the method's Haxe
    /// signature at each call; the number of arguments is checked here.
    ///
    /// ```no_run
    /// # let mut vm = hlffi::Vm::new();
    /// let add = vm.static_fn::<(i32, i32), i32>("Main", "add")?;
    /// assert_eq!(add.call((2, 3))?, 5);
    /// # Ok::<(), hlffi::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::TypeNotFound`], [`Error::MethodNotFound`], [`Error::ArgumentCount`].
    pub fn static_fn<A: Args + ArgCount, R: FromHl>(&self, class: &str, method: &str) -> Result<StaticFn<A, R>> {
        self.require_entry()?;
        let (f, sig) = self.shared.with(|cx| {
            let st = reflect::statics(cx, class)?;
            match st.members.get(method) {
                Some(Static::Method(f, sig)) => Ok((*f, (**sig).clone())),
                _ => Err(Error::MethodNotFound { class: class.into(), method: method.into() }),
            }
        })?;
        let name = format!("{class}.{method}");
        if A::COUNT != sig.params.len() {
            return Err(Error::ArgumentCount { function: name, expected: sig.params.len(), given: A::COUNT });
        }
        Ok(StaticFn::new(self.shared.clone(), f, sig, name))
    }

    /// Like [`VmRef::static_fn`], for a number of arguments known only at run time (a
    /// `Vec` of [`Value`]s, as C hosts pass them): the count is checked at each call.
    ///
    /// # Errors
    /// [`Error::TypeNotFound`], [`Error::MethodNotFound`], [`Error::EntryNotCalled`].
    pub fn static_fn_dynamic(&self, class: &str, method: &str) -> Result<StaticFn<Vec<Value>, Value>> {
        self.require_entry()?;
        let (f, sig) = self.shared.with(|cx| {
            let st = reflect::statics(cx, class)?;
            match st.members.get(method) {
                Some(Static::Method(f, sig)) => Ok((*f, (**sig).clone())),
                _ => Err(Error::MethodNotFound { class: class.into(), method: method.into() }),
            }
        })?;
        Ok(StaticFn::new(self.shared.clone(), f, sig, format!("{class}.{method}")))
    }

    /// Resolves instance method `class.method` once; calls on any instance of `class`
    /// (or a subclass, whose override runs) skip name lookups.
    ///
    /// # Errors
    /// [`Error::TypeNotFound`], [`Error::MethodNotFound`], [`Error::ArgumentCount`].
    pub fn method_fn<A: Args + ArgCount, R: FromHl>(&self, class: &str, method: &str) -> Result<MethodFn<A, R>> {
        let (t, hash, fty, sig) = self.shared.with(|cx| {
            let t = cx.class(class).ok_or_else(|| Error::TypeNotFound(class.into()))?;
            let hash = cx.vm.field_hash(method);
            let f = cx
                .vm
                .rt_obj(t)
                .and_then(|rt| rt.methods.get(&hash).copied())
                .ok_or_else(|| Error::MethodNotFound { class: class.into(), method: method.into() })?;
            Ok((t, hash, cx.vm.fun_type(f).unwrap_or(0), signature(cx, f)?))
        })?;
        let name = format!("{class}.{method}");
        let expected = sig.params.len().saturating_sub(1);
        if A::COUNT != expected {
            return Err(Error::ArgumentCount { function: name, expected, given: A::COUNT });
        }
        Ok(MethodFn::new(self.shared.clone(), t, hash, fty, sig, name))
    }

    // ------------------------------------------------------------------ instances

    /// Creates an instance of `class` with its constructor (`new class(args...)`).
    ///
    /// # Errors
    /// [`Error::TypeNotFound`]; [`Error::ArgumentCount`] / [`Error::TypeMismatch`] for
    /// the constructor's arguments; [`Error::Exception`] when it throws.
    pub fn new_instance(&self, class: &str, args: impl Args) -> Result<Object> {
        self.require_entry()?;
        self.shared.with(|cx| {
            let t = cx.class(class).ok_or_else(|| Error::TypeNotFound(class.into()))?;
            let ctor = match reflect::statics(cx, class) {
                Ok(st) => match st.members.get("__constructor__") {
                    Some(&Static::Method(f, _)) => Some(f),
                    _ => None,
                },
                Err(_) => None,
            };
            let obj = cx.vm.new_object(t).map_err(|e| cx.exc(e))?;
            let mark = cx.vm.temp_root_len();
            cx.vm.push_temp_root(obj);
            let r = match ctor {
                Some(f) => signature(cx, f).and_then(|sig| {
                    let params = sig.params.get(1..).unwrap_or(&[]).to_vec();
                    call_raw::<_, ()>(cx, f, Some(obj), args, &params, sig.ret, &|| format!("new {class}"))
                }),
                None if args.count() == 0 => Ok(()),
                None => Err(Error::ArgumentCount { function: format!("new {class}"), expected: 0, given: args.count() }),
            };
            cx.vm.truncate_temp_roots(mark);
            r?;
            Ok(Object::from_value(cx.value(obj, t)))
        })
    }

    // ------------------------------------------------------------------ values

    /// Converts a Rust value to a Haxe [`Value`] of its natural Haxe type (`i32` →
    /// `Int`, `&str` → `String`, `Vec<f64>` → `Array<Float>`, `HashMap<String, T>` →
    /// `haxe.ds.StringMap`...).
    ///
    /// # Errors
    /// [`Error::TypeNotFound`] when the module lacks the class needed (e.g.
    /// `haxe.ds.IntMap` was removed by dead-code elimination).
    pub fn to_value<V: IntoHl>(&self, value: V) -> Result<Value> {
        self.shared.with(|cx| {
            // Scalars go straight to their own type (no `Dynamic` box to allocate).
            if let Some(t) = V::scalar_type(cx) {
                let v = value.into_hl(cx, t)?;
                return Ok(cx.value(v, t));
            }
            let d = cx.p.dyn_;
            let v = value.into_hl(cx, d)?;
            let (v, t) = match cx.unbox(v, d) {
                Some(scalar) => scalar,
                None if v == 0 => (0, d),
                None => (v, cx.vm.runtime_type(v, d)),
            };
            Ok(cx.value(v, t))
        })
    }

    /// A new empty Haxe array of `kind`.
    ///
    /// # Errors
    /// [`Error::TypeNotFound`] when the module has no array class of that kind.
    pub fn new_array(&self, kind: ArrayKind) -> Result<Array> {
        self.shared.with(|cx| {
            let a = crate::array::build(cx, kind, Vec::<()>::new())?;
            let t = cx.vm.runtime_type(a, cx.p.dyn_);
            Ok(Array::from_value(cx.value(a, t)))
        })
    }

    /// A new empty Haxe map with keys of `kind`.
    ///
    /// # Errors
    /// [`Error::TypeNotFound`] when the module has no map class of that kind.
    pub fn new_map(&self, kind: MapKind) -> Result<Map> {
        self.shared.with(|cx| {
            let m = crate::map::build(cx, kind, Vec::<((), ())>::new())?;
            let t = cx.vm.runtime_type(m, cx.p.dyn_);
            Ok(Map::from_value(cx.value(m, t)))
        })
    }

    /// A new `haxe.io.Bytes` holding a copy of `data`.
    ///
    /// # Errors
    /// [`Error::TypeNotFound`] when the module does not use `haxe.io.Bytes`.
    pub fn new_bytes(&self, data: &[u8]) -> Result<Bytes> {
        self.shared.with(|cx| {
            let b = crate::bytes::build(cx, data)?;
            let t = cx.vm.runtime_type(b, cx.p.dyn_);
            Ok(Bytes::from_value(cx.value(b, t)))
        })
    }

    /// A value of enum `name` built with constructor `ctor` (a name or an index) and
    /// its parameters.
    ///
    /// ```no_run
    /// # let vm = hlffi::Vm::new();
    /// let red = vm.enum_value("Color", "Red", ())?;
    /// let rgb = vm.enum_value("Color", "Rgb", (255, 128, 0))?;
    /// # Ok::<(), hlffi::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::TypeNotFound`], [`Error::FieldNotFound`] for an unknown constructor,
    /// [`Error::InvalidArgument`] for an index out of range, [`Error::ArgumentCount`],
    /// [`Error::TypeMismatch`].
    pub fn enum_value<'a>(&self, name: &str, ctor: impl Into<EnumCtor<'a>>, args: impl Args) -> Result<EnumValue> {
        let ctor = ctor.into();
        self.shared.with(|cx| {
            let t = reflect::find_type(cx, name)
                .filter(|&t| matches!(cx.vm.ty(t), Some(Type::Enum(_))))
                .ok_or_else(|| Error::TypeNotFound(name.into()))?;
            let index = crate::enums::constructor_index(cx, t, ctor)?;
            let v = crate::enums::build(cx, t, index, args)?;
            Ok(EnumValue::from_value(cx.value(v, t)))
        })
    }

    /// The `null` value (as a `Dynamic`).
    ///
    /// # Errors
    /// [`Error::VmBusy`] / [`Error::VmDropped`] only.
    pub fn null(&self) -> Result<Value> {
        self.shared.with(|cx| Ok(cx.value(0, cx.p.dyn_)))
    }

    /// Turns a Rust closure into a Haxe function value, to store in a `Dynamic` or
    /// function-typed variable or pass as an argument. Its parameters and result are
    /// `Dynamic` on the Haxe side and convert to and from `A` and `R`.
    ///
    /// ```no_run
    /// # let vm = hlffi::Vm::new();
    /// let on_score = vm.function("on_score", |(points,): (i32,)| println!("+{points}"))?;
    /// vm.set_static("Game", "onScore", &on_score)?;
    /// # Ok::<(), hlffi::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::NotLoaded`] before a module is loaded.
    ///
    /// The closure runs only on the thread that made it: called from another thread (a
    /// Haxe thread) it throws. Use [`VmRef::function_send`] for functions Haxe threads
    /// call.
    pub fn function<A, R, F>(&self, name: &str, f: F) -> Result<Function>
    where
        A: FromArgs,
        R: CallbackReturn,
        F: Fn(A) -> R + 'static,
    {
        self.make_function(name, f, Affinity::Creator)
    }

    /// [`VmRef::function`] for a `Send` closure, which any thread may call (Haxe threads,
    /// attached host threads). Calls never overlap.
    ///
    /// # Errors
    /// [`Error::NotLoaded`] before a module is loaded.
    pub fn function_send<A, R, F>(&self, name: &str, f: F) -> Result<Function>
    where
        A: FromArgs,
        R: CallbackReturn,
        F: Fn(A) -> R + Send + 'static,
    {
        self.make_function(name, f, Affinity::Any)
    }

    fn make_function<A, R, F>(&self, name: &str, f: F, affinity: Affinity) -> Result<Function>
    where
        A: FromArgs,
        R: CallbackReturn,
        F: Fn(A) -> R + 'static,
    {
        if !self.shared.is_loaded() {
            return Err(Error::NotLoaded);
        }
        let host = trampoline(Arc::downgrade(&self.shared), name.to_string(), f, affinity);
        self.shared.with(|cx| {
            let d = cx.p.dyn_;
            let ty = cx.vm.type_index(Type::Fun(FunType { args: vec![d; A::COUNT], ret: d }));
            let findex = cx.vm.add_host_function(ty, name, host);
            let c = cx.vm.heap.alloc(Obj::Closure { ty, fun: findex, bound: hlvm::gc::Bound::NONE }) as u64;
            Ok(Function::from_value(cx.value(c, ty)))
        })
    }

    /// Runs the due Haxe events like [`Vm::update`], without the hot-reload file check
    /// (which needs the `Vm` itself). Returns how many events ran.
    ///
    /// # Errors
    /// As for [`Vm::update`].
    pub fn run_events(&self) -> Result<usize> {
        self.require_entry()?;
        self.shared.with(crate::events::pump)
    }

    /// The loaded module's type table (HashLink's `hl_type`s), in module order.
    pub fn type_table(&self) -> Vec<crate::reflect::RawType> {
        self.shared.with(|cx| Ok(crate::reflect::type_table(cx))).unwrap_or_default()
    }

    /// Runs `f` with the VM lock released, so that other threads (Haxe threads, attached
    /// host threads) run in the VM meanwhile. Haxe code runs on one thread at a time;
    /// the thread that created the VM holds the lock only while it is inside the VM
    /// (once other threads exist), so this matters inside a callback that does long
    /// work outside the VM (waiting for I/O, say). Elsewhere it just runs `f`. `f` must
    /// not use the VM (doing so returns [`Error::WrongThread`]), hence `Send`: it
    /// cannot hold the thread's handles.
    ///
    /// # Errors
    /// [`Error::VmBusy`] when called from inside a call into the VM that is not a
    /// callback; [`Error::VmDropped`].
    pub fn allow_threads<R>(&self, f: impl FnOnce() -> R + Send) -> Result<R> {
        if !self.shared.cell.held() {
            return Ok(f());
        }
        self.shared.cell.with(|vm| Ok(vm.allow_threads(f)))
    }

    /// A ticket that lets other host threads call into this VM ([`VmAttach::attach`]).
    /// From now on the creating thread releases the VM lock whenever it leaves the VM.
    ///
    /// # Errors
    /// [`Error::VmDropped`]; [`Error::WrongThread`] on a thread that may not use the VM.
    pub fn attach_handle(&self) -> Result<VmAttach> {
        self.shared.cell.with(|vm| {
            vm.enable_attach();
            Ok(())
        })?;
        Ok(VmAttach::new(self.shared.clone()))
    }

    /// Whether timers or events are scheduled (so [`Vm::update`] has work now or later).
    pub fn has_pending_work(&self) -> bool {
        self.require_entry().is_ok() && self.shared.with(crate::events::pending).unwrap_or(false)
    }

    // ------------------------------------------------------------------ reflection

    /// Describes class, enum or abstract `name` (`pack.Name`).
    ///
    /// # Errors
    /// [`Error::TypeNotFound`].
    pub fn find_type(&self, name: &str) -> Result<TypeInfo> {
        self.shared.with(|cx| reflect::describe(cx, name))
    }

    /// Names of every class, enum and abstract of the module, sorted.
    pub fn list_types(&self) -> Vec<String> {
        self.shared.with(|cx| Ok(reflect::list(cx))).unwrap_or_default()
    }

    // ------------------------------------------------------------------ misc

    /// Runs a full garbage collection now.
    pub fn collect_garbage(&self) {
        let _ = self.shared.cell.with(|vm| {
            vm.collect();
            Ok(())
        });
    }

    /// Number of values the host keeps alive (live handles).
    pub fn root_count(&self) -> usize {
        self.shared.with(|cx| Ok(cx.vm.root_count())).unwrap_or(0)
    }

    /// Disassembles the loaded module's functions whose name contains `filter`
    /// (a debugging aid; the format is not stable).
    pub fn disassemble(&self, filter: &str) -> String {
        self.shared.cell.with(|vm| Ok(vm.disassemble(filter))).unwrap_or_default()
    }

    /// Flushes Haxe's buffered standard output.
    pub fn flush(&self) {
        let _ = self.shared.cell.with(|vm| {
            vm.flush_stdout();
            Ok(())
        });
    }
}

/// Slot `i` of a class object (global `global`).
fn static_slot(cx: &crate::convert::Cx<'_>, global: usize, i: usize) -> u64 {
    let obj = cx.vm.global(global).unwrap_or(0);
    match cx.vm.heap.get(handle(obj)) {
        Some(Obj::Instance { fields, .. }) => fields.get(i).copied().unwrap_or(0),
        _ => 0,
    }
}

/// Argument tuples with a known length (for [`Vm::static_fn`] and [`Vm::method_fn`]).
pub trait ArgCount {
    /// Number of arguments.
    const COUNT: usize;
}

impl ArgCount for () {
    const COUNT: usize = 0;
}

macro_rules! arg_count {
    ($n:expr; $($T:ident $i:tt),+) => {
        impl<$($T),+> ArgCount for ($($T,)+) {
            const COUNT: usize = $n;
        }
    };
}
crate::convert::for_each_tuple!(arg_count);

/// A static method `class.method` resolved before, when `args` are scalars of its
/// parameters' exact types: its function and result type, the slots put in `buf`.
fn known_static<A: Args>(names: &Names, class: &str, method: &str, args: &A, p: &Prims, buf: &mut ScalarBuf) -> Option<(u32, u32)> {
    match names.statics.get(class)?.members.get(method)? {
        Static::Method(f, sig) if buf.put(None, args, &sig.params, p) => Some((*f, sig.ret)),
        _ => None,
    }
}
