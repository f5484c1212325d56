//! `jit`: compiles bytecode functions to native code with Cranelift.
//!
//! # Design
//! - **Same frames as the interpreter.** A compiled function takes the same register
//!   window in `Vm::stack` and pushes the same [`crate::vm::Frame`], so the collector,
//!   stack traces, `Ref` registers and the function table work unchanged, and a call
//!   can move from the interpreter into compiled code in the middle (see *Tiers*).
//! - **Registers.** Each register is a Cranelift variable, kept in machine registers
//!   by Cranelift's allocator. Registers that hold references are also stored to their
//!   window slot whenever they are written, so the window always holds every live
//!   reference: a collection can run at any call or safepoint without stack maps.
//!   Registers whose address is taken (`Ref`) are written through to the window too,
//!   and read back from it after every call and helper (which may write through the
//!   reference); between calls they stay in machine registers (fannkuch's `lo`, a
//!   register Haxe also uses for `Std.string`'s length out-parameter, was loaded
//!   and stored in memory on every use of the hot loop).
//! - **Object data.** The heap keeps the handle representation: reaching an object is
//!   a table lookup and a kind check. Per register read as one kind of object, two
//!   variables remember its data pointer and length from the first access until the
//!   register is written or any call is made (a reload may replace a class object's
//!   fields), so later accesses only check the index (`translate::Tr::object_data`).
//! - **Calls** go through the function table: `Vm::jit_table` gives each slot's entry,
//!   its compiled code, called directly (arguments are stored into the callee's
//!   window, which starts where the caller's ends), or for anything else (natives, host
//!   functions, interpreted code) [`helpers::interpreted`], which calls it through
//!   [`Vm::call`]. Hot reload swaps slots and resynchronises the table
//!   ([`Vm::sync_jit`]); code running in old frames finishes on the old code, which
//!   lives as long as the JIT module. Method calls probe a cache shared by all compiled
//!   code, keyed by call site and class ([`helpers::MethodCache`], emptied by
//!   `sync_jit`), and leave misses to one out-of-line helper.
//! - **The VM pointer** is in Cranelift's pinned register on x86-64 ([`PINNED_VM`]).
//! - **Ops** that are not translated to machine code run in the interpreter, one op
//!   at a time ([`Vm::exec_one`], through `helpers::op`): the translator stores the
//!   registers the op reads and reloads those it writes. Semantics are therefore the
//!   interpreter's by construction for those ops. The blocks of paths that rarely
//!   run (an op's interpreter fallback, the helpers behind a call-site miss, a due
//!   collection, exception exits, the frame push of a lazy frame) are Cranelift cold
//!   blocks, emitted after the function's body so that the common path falls through
//!   (`farm-bench` A/B: dispatch 0.82, fannkuch 0.77, closures 0.78, nbody 0.87).
//! - **Exceptions** never unwind Rust through compiled frames: a failing helper stores
//!   the exception in `Vm::jit_pending` and sets `Vm::jit_exc`; compiled code tests that
//!   byte after each call and either jumps to the active handler (handlers are
//!   resolved statically: `analysis`) or returns to its caller, which does the same.
//! - **Tiers.** [`JitMode::Tiered`](crate::JitMode) interprets a function until it has
//!   been called [`HOT_CALLS`] times or has looped [`HOT_LOOPS`] times; a looping call
//!   then continues in compiled code at its loop head (on-stack replacement: the
//!   compiled function's second argument is the op to start at, and it reads every
//!   register from the window). `Eager` compiles at the first call. A function the
//!   translator refuses stays interpreted.
//! - **Where.** Translation to IR runs on the thread holding the VM lock; code
//!   generation on a compile thread of the VM ([`worker`]). In tiered mode the
//!   interpreter keeps running a function whose code is being generated, and its
//!   entry is installed at its next call or loop back-edge after the compile thread
//!   is done; eager mode waits.

mod analysis;
mod helpers;
mod translate;
mod worker;

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::rc::Rc;

use cranelift_codegen::ir::{types, AbiParam, Function, Signature, UserFuncName};
use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_codegen::settings::{self, Configurable};
use cranelift_frontend::FunctionBuilderContext;
use rustc_hash::FxHashMap as HashMap;

use crate::module::{CompiledFn, FnSlot};
use crate::vm::{Exc, Vm};

/// Functions compiled, and functions the translator refused (they stay interpreted),
/// by every VM of the process: see [`jit_counts`].
static COMPILED: AtomicUsize = AtomicUsize::new(0);
static REFUSED: AtomicUsize = AtomicUsize::new(0);

/// `(compiled, refused)`: how many functions the JIT compiled and how many it left to
/// the interpreter, over all VMs of this process (for tests and diagnostics; with
/// `HLVM_JIT_LOG=1` each refusal is also printed on stderr with its reason).
pub fn jit_counts() -> (usize, usize) {
    (COMPILED.load(Ordering::Relaxed), REFUSED.load(Ordering::Relaxed))
}

/// Calls after which a function is compiled (tiered mode). Compiling costs about 1.5 ms of
/// CPU time per function today. Haxe's unit suite (load + run, `ci` build, mean of 5):
/// at 1,000 calls it compiled 129 functions (0.20 s of CPU) and took 0.56 s against the
/// interpreter's 0.34 s; at 3,000, 45 functions, 0.43 s; at 5,000, 0.33 s, as fast as
/// the interpreter. `../shared/bench` moved within run-to-run noise between 1,000 and
/// 5,000 (each benchmark runs millions of calls; `dispatch` 0.96x, range 0.86-1.11x).
pub(crate) const HOT_CALLS: u32 = 5000;
/// Backward jumps (added to calls) after which a running loop moves to compiled code.
pub(crate) const HOT_LOOPS: u32 = 10000;

/// Per-function JIT state, in its [`CompiledFn`].
#[derive(Debug, Default)]
pub(crate) struct JitState {
    /// Address of the compiled entry (see [`invoke`]), 0 until compiled.
    pub code: Cell<usize>,
    /// Calls and loop iterations counted while interpreted.
    pub hot: Cell<u32>,
    /// The translator refused the function: it stays interpreted.
    pub failed: Cell<bool>,
    /// Its code is being generated (tiered mode: installed by [`Jit::poll`]).
    pub pending: Cell<bool>,
}

/// The compiler of one VM: the translator's state here, code generation on the
/// compile thread ([`worker::Worker`], which owns all code compiled for the VM).
pub(crate) struct Jit {
    isa: OwnedTargetIsa,
    fctx: FunctionBuilderContext,
    worker: worker::Worker,
    /// Wait for each function's code (eager mode) instead of interpreting meanwhile.
    wait: bool,
    next_job: u64,
    /// Functions whose code is being generated, by job id, with the CPU time their
    /// translation took (microseconds) and the size of their IR (instructions, blocks).
    pending: HashMap<u64, (Rc<CompiledFn>, u64, [usize; 2])>,
    /// Log compilations and refusals to stderr (`HLVM_JIT_LOG=1`).
    log: bool,
    /// Print the IR and machine code of functions whose name contains this
    /// (`HLVM_JIT_DUMP=NAME`).
    dump: Option<String>,
    /// The method call sites' cache (its address is in the code).
    methods: helpers::MethodCache,
}

/// The function table's entry of a function without compiled code
/// (see [`Vm::jit_table`]).
pub(crate) fn interpreted_entry() -> usize {
    helpers::interpreted as *const () as usize
}

/// A compiled function's entry: `(vm, osr_pc) -> result slot`; `osr_pc < 0` is a
/// normal call (arguments in the window at `vm.sp`), otherwise the op index of a loop
/// head to continue the current interpreted frame at.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
type Entry = unsafe extern "C" fn(*mut Vm, i64) -> u64;

/// Compiled code keeps the VM pointer in Cranelift's pinned register (x86-64: `r15`,
/// callee-saved in the System V ABI, so Rust helpers preserve it): it is never spilled
/// and reloaded the way a parameter live across a whole function is (dispatch's
/// `main` reloaded it from its stack frame before nearly every call). [`invoke`] sets
/// it when Rust enters compiled code. Elsewhere the VM is the entry's first parameter.
pub(crate) const PINNED_VM: bool = cfg!(target_arch = "x86_64");

/// Runs compiled code.
///
/// # Safety
/// `code` is the entry of a function compiled by this VM's [`Jit`]. For a normal call
/// (`osr < 0`) its arguments are at `vm.stack[vm.sp..]`; otherwise the current frame is
/// that function's, interpreted up to loop head `osr`.
#[inline]
pub(crate) unsafe fn invoke(code: usize, vm: &mut Vm, osr: i64) -> u64 {
    let vm = vm as *mut Vm;
    #[cfg(target_arch = "x86_64")]
    {
        let r: u64;
        // SAFETY: `code` is an `Entry` (caller's contract), called with the System V
        // ABI: arguments in rdi and rsi, result in rax, every caller-saved register
        // clobbered (`clobber_abi`); the stack is aligned for a call on entry to an asm
        // block. Compiled code also reads the VM from r15 (`PINNED_VM`), which it never
        // writes, so r15 still holds `vm` afterwards, as declared.
        unsafe {
            std::arch::asm!(
                "call {code}",
                code = in(reg) code,
                in("rdi") vm,
                in("rsi") osr,
                in("r15") vm,
                lateout("rax") r,
                clobber_abi("C"),
            );
        }
        r
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        // SAFETY: `code` is an `Entry` (caller's contract).
        let f: Entry = unsafe { std::mem::transmute::<usize, Entry>(code) };
        // SAFETY: compiled code follows the helpers' contract (see `helpers`).
        unsafe { f(vm, osr) }
    }
}

impl Jit {
    /// Forgets what method call sites remember (see [`helpers::MethodCache`]).
    pub(crate) fn tables_changed(&mut self) {
        self.methods.clear();
    }

    /// A compiler for the host machine, or `None` when Cranelift does not support it
    /// (or no compile thread can start). `wait`: eager mode (see [`Jit::wait`]).
    pub(crate) fn new(wait: bool) -> Option<Jit> {
        let mut flags = settings::builder();
        flags.set("opt_level", "speed").ok()?;
        flags.set("use_colocated_libcalls", "false").ok()?;
        flags.set("is_pic", "false").ok()?;
        if PINNED_VM {
            flags.set("enable_pinned_reg", "true").ok()?;
        }
        // Cranelift's IR verifier: in debug builds, or with `HLVM_JIT_VERIFY=1` (tests).
        let verify = cfg!(debug_assertions) || std::env::var("HLVM_JIT_VERIFY").is_ok_and(|v| v == "1");
        flags.set("enable_verifier", if verify { "true" } else { "false" }).ok()?;
        let isa = cranelift_native::builder().ok()?.finish(settings::Flags::new(flags)).ok()?;
        let worker = worker::Worker::start(isa.clone())?;
        let log = std::env::var("HLVM_JIT_LOG").is_ok_and(|v| v != "0");
        let dump = std::env::var("HLVM_JIT_DUMP").ok();
        Some(Jit {
            isa,
            fctx: FunctionBuilderContext::new(),
            worker,
            wait,
            next_job: 0,
            pending: HashMap::default(),
            log,
            dump,
            methods: helpers::MethodCache::default(),
        })
    }

    /// Translates `f` and hands it to the compile thread (marking it pending); in eager
    /// mode waits for its code and installs it.
    ///
    /// # Errors
    /// Why the function is left to the interpreter (the translator refused it, or the
    /// compile thread is gone).
    fn submit(&mut self, vm: &mut Vm, f: &Rc<CompiledFn>) -> Result<(), String> {
        let started = thread_cpu_micros();
        let an = analysis::Analysis::new(&f.func.ops, f.kinds.len())?;
        let mut sig = Signature::new(self.isa.default_call_conv());
        sig.params.push(AbiParam::new(types::I64));
        sig.params.push(AbiParam::new(types::I64));
        sig.returns.push(AbiParam::new(types::I64));
        let mut func = Function::with_name_signature(UserFuncName::default(), sig.clone());
        let target = self.isa.frontend_config();
        translate::translate(&mut func, &mut self.fctx, &sig, vm, target, f, &an, &mut self.methods)?;
        let disasm = self.dump.as_deref().is_some_and(|d| vm.fun_name(f.func.findex).contains(d));
        if disasm {
            eprintln!("hlvm jit: {}\n{}", vm.fun_name(f.func.findex), func.display());
        }
        let size = [func.dfg.num_insts(), func.dfg.num_blocks()];
        let id = self.next_job;
        self.next_job += 1;
        if !self.worker.submit(worker::Job { id, func, disasm }) {
            return Err("the compile thread is gone".into());
        }
        f.jit.pending.set(true);
        self.pending.insert(id, (f.clone(), thread_cpu_micros().saturating_sub(started), size));
        if self.wait {
            while f.jit.pending.get() {
                let Some(done) = self.worker.wait_done() else {
                    return Err("the compile thread is gone".into());
                };
                self.install(vm, done);
            }
        }
        Ok(())
    }

    /// Installs the code of every function the compile thread has finished.
    fn poll(&mut self, vm: &mut Vm) {
        while let Some(done) = self.worker.try_done() {
            self.install(vm, done);
        }
    }

    fn install(&mut self, vm: &mut Vm, done: worker::Done) {
        let Some((f, translate_us, [insts, blocks])) = self.pending.remove(&done.id) else { return };
        f.jit.pending.set(false);
        match done.result {
            Ok(code) => {
                COMPILED.fetch_add(1, Ordering::Relaxed);
                if self.log {
                    eprintln!(
                        "hlvm jit: compiled {} ({} ops, {insts} IR instructions in {blocks} blocks) in {} us of CPU time ({} translating, {} on the compile thread)",
                        vm.fun_name(f.func.findex),
                        f.func.ops.len(),
                        translate_us + done.cpu_us,
                        translate_us,
                        done.cpu_us
                    );
                }
                f.jit.code.set(code);
                let fi = f.func.findex as usize;
                if let (Some(FnSlot::Bytecode(cf)), Some(e)) = (vm.funcs.get(fi), vm.jit_table.get_mut(fi)) {
                    if Rc::ptr_eq(cf, &f) {
                        *e = code;
                    }
                }
            }
            Err(why) => self.refuse(vm, &f, &why),
        }
    }

    fn refuse(&self, vm: &Vm, f: &CompiledFn, why: &str) {
        REFUSED.fetch_add(1, Ordering::Relaxed);
        if self.log {
            eprintln!("hlvm jit: {} stays interpreted: {why}", vm.fun_name(f.func.findex));
        }
        f.jit.failed.set(true);
    }
}

/// CPU time used by the calling thread, in microseconds (for `HLVM_JIT_LOG`: unlike wall
/// time, it does not count time the thread waited for a core).
fn thread_cpu_micros() -> u64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant Linux knows.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return 0;
    }
    ts.tv_sec as u64 * 1_000_000 + ts.tv_nsec as u64 / 1000
}

impl Vm {
    /// `f`'s compiled entry: at once if it has one; otherwise its code is generated
    /// (unless refused before) and `None` returned to interpret meanwhile — eager mode
    /// waits and returns the entry.
    pub(crate) fn jit_compile(&mut self, f: &Rc<CompiledFn>) -> Option<usize> {
        let code = f.jit.code.get();
        if code != 0 {
            return Some(code);
        }
        if f.jit.failed.get() {
            return None;
        }
        let mut jit = self.jit.take()?;
        if f.jit.pending.get() {
            jit.poll(self);
        } else {
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| jit.submit(self, f)))
                .unwrap_or_else(|_| Err("the translator panicked".into()));
            if let Err(why) = r {
                jit.refuse(self, f, &why);
            }
        }
        self.jit = Some(jit);
        match f.jit.code.get() {
            0 => None,
            code => Some(code),
        }
    }

    /// Calls compiled function `f` (entry `code`) with `args`.
    pub(crate) fn run_jit(&mut self, f: &CompiledFn, code: usize, args: &[u64]) -> Result<u64, Exc> {
        let sp = self.sp;
        let n = args.len().max(f.nargs);
        if sp + n > self.stack.len() {
            return Err(self.throw_msg("Stack overflow"));
        }
        self.stack[sp..sp + args.len()].copy_from_slice(args);
        self.stack[sp + args.len()..sp + n].fill(0);
        // SAFETY: `code` is `f`'s entry; its arguments are at `stack[sp..]`.
        let r = unsafe { invoke(code, self, -1) };
        self.jit_result(r)
    }

    /// The outcome of compiled code that returned `r`: the pending exception, if any.
    #[inline]
    pub(crate) fn jit_result(&mut self, r: u64) -> Result<u64, Exc> {
        if self.jit_exc == 0 {
            return Ok(r);
        }
        self.jit_exc = 0;
        Err(self.jit_pending.take().unwrap_or_else(|| Exc::Internal("compiled code lost its exception".into())))
    }

    /// Makes `e` pending for compiled code. Compiled frames record their exact op before
    /// anything that can throw, so the interpreter's fix-up of the top frame's position
    /// does not apply.
    pub(crate) fn jit_fail(&mut self, e: Exc) {
        self.exc_top_pending = false;
        self.jit_pending = Some(e);
        self.jit_exc = 1;
    }
}
