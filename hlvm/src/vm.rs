//! [`Vm`]: a loaded module with its heap, globals, function table and call stack.
//!
//! Type map: [`Vm`] owns the [`crate::code::Code`] (immutable), the linked runtime
//! layouts (`rt_obj`, `rt_virt`), the function table (`funcs`, one [`FnSlot`] per
//! function index: every call goes through it, which is what hot reload swaps), the
//! [`Heap`], the globals, and the execution state (register stack, frames, exception
//! state) of the Haxe thread that holds the VM lock; other threads' states are parked
//! in `threads` (see `crate::threads`).

use rustc_hash::FxHashMap as HashMap;
use std::io::Write;
use std::rc::Rc;

use thiserror::Error;

use crate::code::{Code, Type};
use crate::gc::{Heap, Obj};
use crate::module::{self, FnSlot, LinkError, RtObj, RtVirtual};
use crate::value::*;

/// Settings of a [`Vm`].
pub struct VmConfig {
    /// Program arguments (`Sys.args()`).
    pub args: Vec<String>,
    /// Where `Sys.print`/`trace` output goes.
    pub stdout: Box<dyn Write + Send>,
    /// Register-stack size in slots (8 bytes each); exceeding it throws `Stack overflow`.
    pub stack_slots: usize,
    /// Maximum call depth; exceeding it throws `Stack overflow`. The native stack of
    /// the thread running the VM also bounds the depth: calls stop with a catchable
    /// `Stack overflow` when less than [`STACK_RESERVE`] bytes of it are left.
    pub max_depth: usize,
    /// Which engine runs bytecode functions (see `crate::jit`).
    pub jit: JitMode,
}

/// Native stack bytes kept free below the deepest Haxe call: past it, a call throws a
/// catchable `Stack overflow` instead of overflowing the thread's stack.
pub const STACK_RESERVE: usize = 256 << 10;

/// The lowest address calls may use on the current thread's stack ([`STACK_RESERVE`]
/// above its end), or 0 when the thread's stack bounds are unknown. Computed once per
/// thread (reading the bounds can be slow: for the main thread glibc parses
/// `/proc/self/maps`).
#[inline]
pub(crate) fn native_stack_limit() -> usize {
    thread_local! {
        /// The limit, or `usize::MAX` until computed (no stack ends there).
        static LIMIT: std::cell::Cell<usize> = const { std::cell::Cell::new(usize::MAX) };
    }
    let v = LIMIT.with(std::cell::Cell::get);
    if v != usize::MAX {
        return v;
    }
    let v = thread_stack_limit();
    LIMIT.with(|l| l.set(v));
    v
}

fn thread_stack_limit() -> usize {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: `attr` is initialised by `pthread_getattr_np` before it is read and
        // destroyed after; the out-pointers are valid locals.
        unsafe {
            let mut attr: libc::pthread_attr_t = std::mem::zeroed();
            if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) != 0 {
                return 0;
            }
            let mut addr: *mut libc::c_void = std::ptr::null_mut();
            let mut size: libc::size_t = 0;
            let ok = libc::pthread_attr_getstack(&attr, &mut addr, &mut size) == 0;
            libc::pthread_attr_destroy(&mut attr);
            if ok && size > 2 * STACK_RESERVE {
                return addr as usize + STACK_RESERVE;
            }
        }
    }
    0
}

/// An address in the current native stack frame (the stack grows down).
#[inline(always)]
pub(crate) fn native_sp() -> usize {
    let probe = 0u8;
    std::ptr::addr_of!(probe) as usize
}

/// Which engine runs bytecode functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JitMode {
    /// The interpreter only (the reference implementation).
    Off,
    /// Interpret first; compile a function with Cranelift once it is hot (called often,
    /// or looping: a running loop moves into compiled code at its loop head).
    Tiered,
    /// Compile every function at its first call (for differential testing).
    Eager,
}

impl JitMode {
    /// The mode `HLVM_JIT` asks for: `0`/`off` the interpreter, `eager` compile at first
    /// call, anything else (or unset) tiered.
    pub fn from_env() -> JitMode {
        match std::env::var("HLVM_JIT").as_deref().map(str::trim) {
            Ok("0") | Ok("off") | Ok("false") => JitMode::Off,
            Ok("eager") => JitMode::Eager,
            _ => JitMode::Tiered,
        }
    }
}

impl Default for VmConfig {
    fn default() -> Self {
        VmConfig {
            args: Vec::new(),
            stdout: Box::new(std::io::stdout()),
            stack_slots: 8 << 20,
            max_depth: 1_000_000,
            jit: JitMode::from_env(),
        }
    }
}

/// How running Haxe code ended abnormally, as seen by the host.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum RunError {
    /// An exception nothing caught: `Std.string` of the value, and the frames at the
    /// throw point (innermost first, formatted `name(file:line)`).
    #[error("Uncaught exception: {message}")]
    Exception {
        /// The exception as a string.
        message: String,
        /// Call stack at the throw.
        stack: Vec<String>,
    },
    /// `Sys.exit(code)`.
    #[error("exit({0})")]
    Exit(i32),
    /// A VM-internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}

/// Non-local exits travelling through interpreter frames as `Err`.
#[derive(Debug, Clone, PartialEq)]
pub enum Exc {
    /// A Haxe exception: the thrown value (a `Dynamic` slot).
    Throw(u64),
    /// `Sys.exit(code)`.
    Exit(i32),
    /// A VM-internal failure (not catchable by Haxe code).
    Internal(String),
}

/// One call of a bytecode function (interpreted or compiled): its code, the start of its
/// register window in `Vm::stack`, and the op being executed (for stack traces).
///
/// `fun` is valid while the frame is on the stack: the function table holds the
/// `CompiledFn`, and a reload that replaces it while frames run keeps the old one in
/// `Vm::retired` until the stack is empty again.
#[derive(Clone, Copy)]
#[repr(C)]
pub(crate) struct Frame {
    pub fun: *const crate::module::CompiledFn,
    pub base: usize,
    pub pc: u32,
}

impl Frame {
    /// The running function.
    pub fn fun(&self) -> &crate::module::CompiledFn {
        // SAFETY: see the type's docs: a frame's function outlives the frame.
        unsafe { &*self.fun }
    }
}

/// The call stack: frames in an array that never moves or grows, so that compiled code
/// pushes and pops frames itself (it writes `frames[len]` and `len`).
#[repr(C)]
pub(crate) struct FrameStack {
    /// `buf`'s first frame.
    pub ptr: *mut Frame,
    /// Frames in use.
    pub len: usize,
    buf: Box<[Frame]>,
}

impl FrameStack {
    /// Room for `cap` frames (zeroed memory: pages are only committed when used).
    pub fn new(cap: usize) -> FrameStack {
        let cap = cap.max(1);
        let mut buf: Box<[Frame]> = match std::alloc::Layout::array::<Frame>(cap) {
            // SAFETY: the layout is non-zero-sized; an all-zero `Frame` is valid (null
            // function pointer, zero base and pc), and the allocation has the layout a
            // `Box<[Frame]>` of `cap` elements frees.
            Ok(layout) => unsafe {
                let p = std::alloc::alloc_zeroed(layout) as *mut Frame;
                if p.is_null() {
                    std::alloc::handle_alloc_error(layout);
                }
                Box::from_raw(std::ptr::slice_from_raw_parts_mut(p, cap))
            },
            Err(_) => vec![Frame { fun: std::ptr::null(), base: 0, pc: 0 }; 1].into_boxed_slice(),
        };
        FrameStack { ptr: buf.as_mut_ptr(), len: 0, buf }
    }

    /// A stack with no room (held by the VM while no thread runs Haxe code).
    pub fn empty() -> FrameStack {
        let mut buf: Box<[Frame]> = Box::new([]);
        FrameStack { ptr: buf.as_mut_ptr(), len: 0, buf }
    }

    /// Pushes `f`; false when full.
    pub fn push(&mut self, f: Frame) -> bool {
        match self.buf.get_mut(self.len) {
            Some(slot) => {
                *slot = f;
                self.len += 1;
                true
            }
            None => false,
        }
    }

    pub fn pop(&mut self) -> Option<Frame> {
        self.len = self.len.checked_sub(1)?;
        self.buf.get(self.len).copied()
    }

    pub fn last_mut(&mut self) -> Option<&mut Frame> {
        let n = self.len.checked_sub(1)?;
        self.buf.get_mut(n)
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn truncate(&mut self, n: usize) {
        self.len = self.len.min(n);
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Frame> {
        self.buf[..self.len.min(self.buf.len())].iter()
    }
}

/// A HashLink virtual machine.
pub struct Vm {
    pub(crate) code: Rc<Code>,
    /// Types: the module's, then any the runtime added.
    pub(crate) types: Vec<Type>,
    /// Index of each parameterless type by kind (`Type::kind_id`), as `type_index` last
    /// found it (checked before use).
    pub(crate) basic_types: [u32; 32],
    /// Interned hash of each string constant used as a `DynSet` field name (cleared
    /// when a module is loaded).
    pub(crate) dyn_name_hashes: Vec<Option<i32>>,
    pub(crate) rt_obj: Vec<Option<Rc<RtObj>>>,
    pub(crate) rt_virt: Vec<Option<Rc<RtVirtual>>>,
    pub(crate) funcs: Vec<FnSlot>,
    /// Type (a `Fun`) of each function-table slot, parallel to `funcs`.
    pub(crate) fun_types: Vec<u32>,
    pub(crate) fun_names: Vec<String>,
    pub(crate) globals: Vec<u64>,
    /// The garbage-collected heap.
    pub heap: Heap,
    pub(crate) stack: Vec<u64>,
    pub(crate) sp: usize,
    pub(crate) frames: FrameStack,
    /// Functions replaced while frames were running them (see [`Frame`]).
    pub(crate) retired: Vec<Rc<crate::module::CompiledFn>>,
    /// Host calls into compiled code in progress ([`Vm::call_host`]'s short way, which
    /// pushes no frame): while nonzero, replaced functions are retired as if frames ran.
    pub(crate) host_calls: u32,
    pub(crate) max_depth: usize,
    pub(crate) const_strings: Vec<u32>,
    pub(crate) const_bytes: Vec<u32>,
    pub(crate) string_type: Option<u32>,
    pub(crate) exc_stack: Vec<(u32, u32)>,
    pub(crate) exc_top_pending: bool,
    pub(crate) natives: HashMap<(String, String), FnSlot>,
    pub(crate) out: std::io::BufWriter<Box<dyn Write + Send>>,
    pub(crate) args: Vec<String>,
    /// The bytecode file's path as the host named it (`Sys.programPath()` reads it through
    /// `sys_hl_file`); `None` for a module loaded from memory.
    pub(crate) hl_file: Option<std::path::PathBuf>,
    /// Field-name hashes and names, with HashLink's collision rule.
    pub(crate) field_names: crate::rt::FieldNames,
    pub(crate) temp_roots: Vec<u64>,
    pub(crate) host_roots: Vec<Option<u64>>,
    /// Free slots of `host_roots`.
    pub(crate) free_roots: Vec<usize>,
    /// Haxe threads: the VM lock, parked threads' states, handles, thread-locals
    /// (see `crate::threads`).
    pub(crate) threads: crate::threads::Threads,
    /// `&threads.sched.preempt`, for compiled code's safepoints.
    pub(crate) preempt_ptr: *const std::sync::atomic::AtomicU8,
    pub(crate) loaded: bool,
    /// `(virtual type, class, field)` → method to call directly (see `interface_fn`).
    pub(crate) iface_cache: HashMap<(u32, u32, u32), Option<u32>>,
    /// What hot reload remembers between reloads (see `crate::reload`).
    pub(crate) reload_state: Option<crate::reload::ReloadState>,
    /// The JIT compiler; `None` when bytecode is only interpreted.
    pub(crate) jit: Option<Box<crate::jit::Jit>>,
    /// Compile after how many calls (0: at the first).
    pub(crate) jit_threshold: u32,
    /// 1 while `jit_pending` holds an exception raised under compiled code, which tests
    /// this byte after every call (see `crate::jit`).
    pub(crate) jit_exc: u8,
    pub(crate) jit_pending: Option<Exc>,
    /// Native stack address below which calls throw `Stack overflow` (0: unchecked);
    /// set for the thread that enters the VM with no call running.
    pub(crate) stack_limit: usize,
    /// `stack.as_mut_ptr()` and `stack.len()` (the stack never reallocates).
    pub(crate) stack_ptr: *mut u64,
    pub(crate) stack_len: usize,
    /// `globals.as_mut_ptr()`, refreshed by [`Vm::sync_jit`].
    pub(crate) globals_ptr: *mut u64,
    /// Per function index: the entry compiled code calls, the slot's compiled code
    /// when it has some, else `crate::jit::interpreted_entry()`; refreshed by
    /// [`Vm::sync_jit`] whenever the function table changes, and set when the code of
    /// a function is installed.
    pub(crate) jit_table: Vec<usize>,
    pub(crate) jit_table_ptr: *const usize,
    /// Set by the interpreter when a loop became hot: the loop head to enter compiled code at.
    pub(crate) osr_target: Option<u32>,
    /// Per type index: the class's virtual table as `[address, length]` (`[0, 0]` for
    /// other types), refreshed by [`Vm::sync_jit`].
    pub(crate) vtables: Vec<[usize; 2]>,
    pub(crate) vtables_ptr: *const [usize; 2],
    pub(crate) vtables_len: usize,
    /// A closure's bound argument, handed from `jit::helpers::closure` to compiled code.
    pub(crate) jit_bound: u64,
}

impl Vm {
    /// A VM with the standard natives registered and no module.
    pub fn new(config: VmConfig) -> Vm {
        let mut natives = HashMap::default();
        crate::stdlib::register(&mut natives);
        let threads = crate::threads::Threads::new();
        let preempt_ptr = &threads.sched.preempt as *const std::sync::atomic::AtomicU8;
        let mut stack = vec![0; config.stack_slots.max(1024)];
        let stack_ptr = stack.as_mut_ptr();
        let stack_len = stack.len();
        let (jit, jit_threshold) = match config.jit {
            JitMode::Off => (None, 0),
            JitMode::Tiered => (crate::jit::Jit::new(false).map(Box::new), crate::jit::HOT_CALLS),
            JitMode::Eager => (crate::jit::Jit::new(true).map(Box::new), 0),
        };
        Vm {
            code: Rc::new(Code::empty()),
            types: Vec::new(),
            basic_types: [u32::MAX; 32],
            dyn_name_hashes: Vec::new(),
            rt_obj: Vec::new(),
            rt_virt: Vec::new(),
            funcs: Vec::new(),
            fun_types: Vec::new(),
            fun_names: Vec::new(),
            globals: Vec::new(),
            heap: Heap::new(),
            stack,
            sp: 0,
            frames: FrameStack::new(config.max_depth + 1),
            retired: Vec::new(),
            host_calls: 0,
            max_depth: config.max_depth,
            const_strings: Vec::new(),
            const_bytes: Vec::new(),
            string_type: None,
            exc_stack: Vec::new(),
            exc_top_pending: false,
            natives,
            out: std::io::BufWriter::with_capacity(1 << 16, config.stdout),
            args: config.args,
            hl_file: None,
            field_names: Default::default(),
            temp_roots: Vec::new(),
            host_roots: Vec::new(),
            free_roots: Vec::new(),
            threads,
            preempt_ptr,
            loaded: false,
            iface_cache: HashMap::default(),
            reload_state: None,
            jit,
            jit_threshold,
            jit_exc: 0,
            jit_pending: None,
            stack_limit: 0,
            stack_ptr,
            stack_len,
            globals_ptr: std::ptr::null_mut(),
            jit_table: Vec::new(),
            jit_table_ptr: std::ptr::null(),
            osr_target: None,
            jit_bound: 0,
            vtables: Vec::new(),
            vtables_ptr: std::ptr::null(),
            vtables_len: 0,
        }
    }

    /// Replaces function-table slot `f` (hot reload, host replacements); a bytecode
    /// function that frames may still be running is kept until the stack is empty.
    pub(crate) fn set_slot(&mut self, f: usize, slot: FnSlot) {
        if let Some(s) = self.funcs.get_mut(f) {
            let old = std::mem::replace(s, slot);
            if let (FnSlot::Bytecode(cf), true) = (old, self.any_frames()) {
                self.retired.push(cf);
            }
        }
    }

    /// Refreshes what compiled code reads from the VM directly (the function table's
    /// bytecode entries, the globals' address). Called whenever either changes.
    pub(crate) fn sync_jit(&mut self) {
        self.jit_table.clear();
        let interpreted = crate::jit::interpreted_entry();
        self.jit_table.extend(self.funcs.iter().map(|s| match s {
            FnSlot::Bytecode(cf) if cf.jit.code.get() != 0 => cf.jit.code.get(),
            _ => interpreted,
        }));
        self.jit_table_ptr = self.jit_table.as_ptr();
        self.globals_ptr = self.globals.as_mut_ptr();
        self.vtables.clear();
        self.vtables.extend(self.rt_obj.iter().map(|r| match r {
            Some(rt) => [rt.vtable.as_ptr() as usize, rt.vtable.len()],
            None => [0, 0],
        }));
        self.vtables_ptr = self.vtables.as_ptr();
        self.vtables_len = self.vtables.len();
        if let Some(jit) = &mut self.jit {
            jit.tables_changed();
        }
    }

    /// True when bytecode functions may be compiled to native code.
    pub fn jit_enabled(&self) -> bool {
        self.jit.is_some()
    }

    /// Registers (or replaces) a native `lib@name` implemented by the host. Must be
    /// called before [`Vm::load`] to satisfy the module's imports.
    pub fn register_native(&mut self, lib: &str, name: &str, f: module::HostFn) {
        self.natives.insert((lib.to_string(), name.to_string()), FnSlot::Host(f));
    }

    /// Adds a host function to the function table, with function type `ty` (a `Fun`
    /// type index), so that Haxe closures can refer to it; returns its function index.
    pub fn add_host_function(&mut self, ty: u32, name: &str, f: module::HostFn) -> u32 {
        self.funcs.push(FnSlot::Host(f));
        self.fun_types.push(ty);
        self.fun_names.push(name.to_string());
        self.sync_jit();
        (self.funcs.len() - 1) as u32
    }

    /// The type (a `Fun` type index) of function-table slot `f`.
    pub fn fun_type(&self, f: u32) -> Option<u32> {
        self.fun_types.get(f as usize).copied()
    }

    /// Number of function-table slots.
    pub fn function_count(&self) -> usize {
        self.funcs.len()
    }

    /// Links `code`: builds object layouts, resolves natives, allocates globals and
    /// initialises constant globals.
    ///
    /// # Errors
    /// [`LinkError::MissingNatives`] naming every import no library provides;
    /// [`LinkError::Invalid`] for type-level inconsistencies.
    pub fn load(&mut self, code: Code) -> Result<(), LinkError> {
        let mut names = self.field_names.clone();
        module::intern_names(&code, &mut names);
        let linked = module::link(&code, &self.natives, &names)?;
        self.field_names = names;
        self.dyn_name_hashes.clear();
        self.types = code.types.clone();
        self.rt_obj = linked.rt_obj;
        self.rt_virt = linked.rt_virt;
        self.funcs = linked.funcs;
        self.fun_types = (0..self.funcs.len() as u32).map(|f| code.fun_type(f).unwrap_or(0)).collect();
        self.fun_names = linked.fun_names;
        self.globals = vec![0; code.globals.len()];
        self.const_strings = vec![0; code.strings.len()];
        self.const_bytes = vec![0; if code.version >= 5 { code.bytes_pos.len() } else { code.strings.len() }];
        self.string_type = self.rt_obj.iter().position(|r| r.as_ref().is_some_and(|r| r.name == "String")).map(|i| i as u32);
        self.code = Rc::new(code);
        self.sync_jit();
        self.init_constants().map_err(|e| LinkError::Invalid(format!("constant initialisation failed: {e:?}")))?;
        self.loaded = true;
        Ok(())
    }

    fn init_constants(&mut self) -> Result<(), Exc> {
        let code = self.code.clone();
        for c in &code.constants {
            let gt = code.globals[c.global as usize];
            let Some(rt) = self.rt_obj.get(gt as usize).cloned().flatten() else {
                return Err(Exc::Internal(format!("constant global {} is not an object", c.global)));
            };
            if rt.fields.len() != c.fields.len() {
                return Err(Exc::Internal(format!("constant global {} has the wrong field count", c.global)));
            }
            let mut fields = vec![0u64; rt.fields.len()];
            for (i, (f, &idx)) in rt.fields.iter().zip(&c.fields).enumerate() {
                let idx = idx as usize;
                let bad = || Exc::Internal(format!("constant field index {idx} out of range"));
                fields[i] = match &self.types[f.ty as usize] {
                    Type::I32 | Type::UI8 | Type::UI16 => from_i32(*code.ints.get(idx).ok_or_else(bad)?),
                    Type::Bool => (idx != 0) as u64,
                    Type::F64 => code.floats.get(idx).ok_or_else(bad)?.to_bits(),
                    Type::Bytes => {
                        if idx >= code.strings.len() {
                            return Err(bad());
                        }
                        make_bytes(self.const_string(idx as u32), 0)
                    }
                    Type::Type => (idx as u64) + 1,
                    _ => *self.globals.get(idx).ok_or_else(bad)?,
                };
            }
            let h = self.heap.alloc(Obj::Instance { ty: gt, fields: fields.into() });
            self.globals[c.global as usize] = h as u64;
        }
        Ok(())
    }

    /// Runs the entrypoint (static initialisers then `main`).
    ///
    /// # Errors
    /// [`RunError::Exception`] for an uncaught exception, [`RunError::Exit`] for
    /// `Sys.exit`, [`RunError::Internal`] when no module is loaded.
    pub fn call_entry(&mut self) -> Result<(), RunError> {
        if !self.loaded {
            return Err(RunError::Internal("no module loaded".into()));
        }
        let entry = self.code.entrypoint;
        let r = self.call_guarded(entry, &[]);
        self.flush_stdout();
        r.map(|_| ()).map_err(|e| self.run_error(e))
    }

    /// [`Vm::call_guarded`] for a host's top-level call, shortened when function `f` is
    /// compiled already and `args` are all its parameters: its code is entered directly
    /// (no interpreter dispatch, no unwind guard: compiled code never unwinds, every
    /// helper it calls catches panics). Every other case goes to `call_guarded`.
    /// Same results and errors.
    #[inline(always)]
    pub fn call_host(&mut self, f: u32, args: &[u64]) -> Result<u64, Exc> {
        if self.frames.is_empty() && self.retired.is_empty() {
            if let Some(FnSlot::Bytecode(cf)) = self.funcs.get(f as usize) {
                let (code, nargs) = (cf.jit.code.get(), cf.nargs);
                let sp = self.sp;
                if code != 0 && args.len() == nargs && sp + args.len() <= self.stack.len() {
                    self.stack_limit = native_stack_limit();
                    // A host call passes a few arguments: a `memcpy` call costs more
                    // than the copy.
                    match *args {
                        [] => {}
                        [a] => self.stack[sp] = a,
                        [a, b] => {
                            self.stack[sp] = a;
                            self.stack[sp + 1] = b;
                        }
                        _ => self.stack[sp..sp + args.len()].copy_from_slice(args),
                    }
                    // The code is kept alive for the call, whatever happens to the slot
                    // meanwhile: `host_calls` makes `set_slot` retire what it replaces
                    // (cheaper than holding a reference to the function: no dependent
                    // read-modify-write before the call).
                    self.host_calls += 1;
                    // SAFETY: `code` is the entry of the function in slot `f`; its
                    // arguments are at `stack[sp..]`.
                    let r = unsafe { crate::jit::invoke(code, self, -1) };
                    self.host_calls -= 1;
                    return self.jit_result(r);
                }
            }
        }
        self.call_guarded(f, args)
    }

    /// [`Vm::call`] from the host: a Rust panic inside the VM (a bug, never expected)
    /// becomes `Exc::Internal` instead of unwinding into the host, and the call stack
    /// is reset so the VM stays usable.
    pub fn call_guarded(&mut self, f: u32, args: &[u64]) -> Result<u64, Exc> {
        let depth = self.frames.len();
        if depth == 0 {
            // No frame can return into replaced code any more (unless another thread's).
            if !self.retired.is_empty() && !self.any_frames() {
                self.retired.clear();
            }
            self.stack_limit = native_stack_limit();
        }
        let sp = self.sp;
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.call(f, args)));
        match r {
            Ok(r) => r,
            Err(p) => {
                self.frames.truncate(depth);
                self.sp = sp;
                self.jit_exc = 0;
                self.jit_pending = None;
                let what = p
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| p.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "panic".into());
                Err(Exc::Internal(format!("VM bug: {what}")))
            }
        }
    }

    /// Converts an in-flight [`Exc`] into the host-facing [`RunError`].
    pub fn run_error(&mut self, e: Exc) -> RunError {
        match e {
            Exc::Throw(v) => {
                let message = self.dyn_to_string(v).unwrap_or_else(|_| "?".into());
                let stack = self.format_stack(&self.exc_stack.clone());
                RunError::Exception { message, stack }
            }
            Exc::Exit(c) => RunError::Exit(c),
            Exc::Internal(s) => RunError::Internal(s),
        }
    }

    /// Formats `(findex, pc)` frames as HashLink prints them after `Called from `.
    pub(crate) fn format_stack(&self, frames: &[(u32, u32)]) -> Vec<String> {
        let code = &self.code;
        let mut out = Vec::new();
        for &(f, pc) in frames {
            let name = self.fun_name(f);
            let (file, line) = match code.fun_refs.get(f as usize) {
                Some(crate::code::FunRef::Function(i)) => {
                    let func = &code.functions[*i];
                    match func.debug.get(pc as usize) {
                        Some(&(file, line)) => (
                            code.debug_files.get(file as usize).map(|s| s.as_str()).unwrap_or("?"),
                            line,
                        ),
                        None => ("?", 0),
                    }
                }
                _ => ("?", 0),
            };
            // The debug file name as stored (HashLink prints it unchanged: `Main.hx`, but
            // `/usr/share/haxe/std/haxe/Timer.hx` for the standard library).
            out.push(format!("{name}({file}:{line})"));
        }
        out
    }

    /// The qualified name of function `f` (`Class.method`, `$Class.staticMethod`),
    /// or `fun$N` for anonymous functions.
    pub fn fun_name(&self, f: u32) -> String {
        match self.fun_names.get(f as usize) {
            Some(n) if !n.is_empty() => n.clone(),
            _ => {
                if f == self.code.entrypoint {
                    ".init".to_string()
                } else {
                    format!("fun${f}")
                }
            }
        }
    }

    /// Flushes buffered standard output.
    pub fn flush_stdout(&mut self) {
        let _ = self.out.flush();
    }

    /// The loaded code.
    pub fn code(&self) -> &Code {
        &self.code
    }

    // ------------------------------------------------------------------ strings

    /// The UTF-16 bytes block of string constant `idx`, allocated on first use and
    /// kept alive for the VM's lifetime.
    pub(crate) fn const_string(&mut self, idx: u32) -> u32 {
        let h = self.const_strings[idx as usize];
        if h != 0 {
            return h;
        }
        let s = &self.code.strings[idx as usize];
        let mut b = Vec::with_capacity(s.len() * 2 + 2);
        for u in s.encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        b.extend_from_slice(&[0, 0]);
        let h = self.heap.alloc(Obj::Bytes(b.into()));
        self.const_strings[idx as usize] = h;
        h
    }

    /// The bytes block of bytes constant `idx` (HLB v5 pool; the string's UTF-8 before v5).
    pub(crate) fn const_bytes(&mut self, idx: u32) -> u32 {
        let h = self.const_bytes[idx as usize];
        if h != 0 {
            return h;
        }
        let code = self.code.clone();
        let data = if code.version >= 5 {
            let start = code.bytes_pos[idx as usize] as usize;
            let end = code
                .bytes_pos
                .iter()
                .filter(|&&p| p as usize > start)
                .min()
                .map(|&p| p as usize)
                .unwrap_or(code.bytes.len());
            code.bytes[start..end].to_vec()
        } else {
            let mut v = code.strings[idx as usize].as_bytes().to_vec();
            v.push(0);
            v
        };
        let h = self.heap.alloc(Obj::Bytes(data.into()));
        self.const_bytes[idx as usize] = h;
        h
    }

    /// Allocates a UTF-16 bytes block (with a terminating 0 unit) for `units`.
    pub fn alloc_utf16(&mut self, units: &[u16]) -> u64 {
        let mut b = Vec::with_capacity(units.len() * 2 + 2);
        for u in units {
            b.extend_from_slice(&u.to_le_bytes());
        }
        b.extend_from_slice(&[0, 0]);
        make_bytes(self.heap.alloc(Obj::Bytes(b.into())), 0)
    }

    /// Allocates a Haxe `String` object holding `s`.
    ///
    /// # Errors
    /// `Exc::Internal` when the module has no `String` class.
    pub fn alloc_string(&mut self, s: &str) -> Result<u64, Exc> {
        let units: Vec<u16> = s.encode_utf16().collect();
        self.alloc_string_utf16(&units)
    }

    /// Allocates a Haxe `String` object from UTF-16 units.
    pub fn alloc_string_utf16(&mut self, units: &[u16]) -> Result<u64, Exc> {
        let Some(st) = self.string_type else {
            return Err(Exc::Internal("the module has no String class".into()));
        };
        let b = self.alloc_utf16(units);
        let h = self.heap.alloc(Obj::Instance {
            ty: st,
            fields: vec![b, from_i32(units.len() as i32)].into(),
        });
        Ok(h as u64)
    }

    /// Reads `len` UTF-16 units at a `Bytes` slot.
    pub fn read_utf16(&self, b: u64, len: usize) -> Option<Vec<u16>> {
        let (h, off) = bytes_ptr(b);
        match self.heap.get(h)? {
            Obj::Bytes(data) => {
                let end = off.checked_add(len.checked_mul(2)?)?;
                let s = data.get(off..end)?;
                Some(s.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect())
            }
            _ => None,
        }
    }

    /// Reads a 0-terminated UTF-16 string at a `Bytes` slot.
    pub fn read_utf16_z(&self, b: u64) -> Option<Vec<u16>> {
        // The terminator first (`key_text`), so that the units are copied into a vector
        // of exactly their number.
        let s = crate::rt::bytesmap::key_text(&self.heap, b)?;
        Some(s.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect())
    }

    /// The UTF-16 contents of a Haxe `String` object.
    pub fn string_units(&self, s: u64) -> Option<Vec<u16>> {
        match self.heap.get(handle(s))? {
            Obj::Instance { ty, fields } if Some(*ty) == self.string_type && fields.len() >= 2 => {
                let len = i32_of(fields[1]);
                self.read_utf16(fields[0], len.max(0) as usize)
            }
            _ => None,
        }
    }

    /// The contents of a Haxe `String` object as Rust text (lossy for lone surrogates).
    pub fn string_value(&self, s: u64) -> Option<String> {
        self.string_units(s).map(|u| String::from_utf16_lossy(&u))
    }

    // ------------------------------------------------------------------ errors

    /// Throws a runtime error with message `msg` the way HashLink's `hl_error` does:
    /// the value is a `Dynamic` holding UTF-16 `bytes` (not a `String`: `Std.isOfType(e,
    /// String)` is false; `Std.string(e)` is the message).
    pub fn throw_msg(&mut self, msg: &str) -> Exc {
        let units: Vec<u16> = msg.encode_utf16().collect();
        let b = self.alloc_utf16(&units);
        let bt = self.type_index(Type::Bytes);
        let v = self.heap.alloc(Obj::Dyn { ty: bt, val: b }) as u64;
        self.throw_value(v)
    }

    /// Throws `v`, recording the call stack.
    pub fn throw_value(&mut self, v: u64) -> Exc {
        self.exc_stack = self.frames.iter().rev().map(|f| (f.fun().func.findex, f.pc)).collect();
        self.exc_top_pending = true;
        Exc::Throw(v)
    }

    /// `Null access` error, with the field name when known (`Null access .name`).
    pub fn null_access(&mut self, field: Option<&str>) -> Exc {
        match field {
            Some(f) => self.throw_msg(&format!("Null access .{f}")),
            None => self.throw_msg("Null access"),
        }
    }

    // ------------------------------------------------------------------ output

    /// Writes to Haxe's standard output.
    pub fn write_out(&mut self, data: &[u8]) {
        let _ = self.out.write_all(data);
    }

    // ------------------------------------------------------------------ roots

    /// Keeps `v` (a reference slot) alive until [`Vm::remove_root`]; returns its id.
    /// O(1): ids of removed roots are reused.
    pub fn add_root(&mut self, v: u64) -> usize {
        if let Some(i) = self.free_roots.pop() {
            self.host_roots[i] = Some(v);
            return i;
        }
        self.host_roots.push(Some(v));
        self.host_roots.len() - 1
    }

    /// Releases a root from [`Vm::add_root`]. Unknown or already released ids are ignored.
    pub fn remove_root(&mut self, id: usize) {
        if let Some(r) = self.host_roots.get_mut(id) {
            if r.take().is_some() {
                self.free_roots.push(id);
            }
        }
    }

    /// The value held by root `id`.
    pub fn root_value(&self, id: usize) -> Option<u64> {
        self.host_roots.get(id).copied().flatten()
    }

    /// Replaces the value held by root `id`.
    pub fn set_root(&mut self, id: usize, v: u64) {
        if let Some(Some(r)) = self.host_roots.get_mut(id) {
            *r = v;
        }
    }

    /// Number of host roots held.
    pub fn root_count(&self) -> usize {
        self.host_roots.len() - self.free_roots.len()
    }
}

impl Vm {
    /// Disassembles every bytecode function whose name contains `filter`: one line
    /// per op (`pc: Op { .. }`), preceded by the function's name, index and register
    /// types. A debugging aid for VM developers.
    pub fn disassemble(&self, filter: &str) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        for f in &self.code.functions {
            let name = self.fun_name(f.findex);
            if !name.contains(filter) {
                continue;
            }
            let regs: Vec<String> = f.regs.iter().map(|&t| self.type_name(t)).collect();
            let _ = writeln!(out, "fun {} #{} regs [{}]", name, f.findex, regs.join(", "));
            for (pc, op) in f.ops.iter().enumerate() {
                let _ = writeln!(out, "  {pc:4}: {op:?}");
            }
        }
        out
    }
}

impl Vm {
    /// Records the path of the bytecode file this VM runs, as given by the host (relative
    /// paths stay relative): `Sys.programPath()` makes it absolute, as with HashLink's `hl`.
    pub fn set_hl_file(&mut self, path: &std::path::Path) {
        self.hl_file = Some(path.to_path_buf());
    }
}
