//! `threads`: Haxe threads (`sys.thread`) on real OS threads, under one VM lock.
//!
//! # Execution model
//! Every Haxe thread is an OS thread, but Haxe code runs on one of them at a time: the
//! thread that holds the **VM lock** ([`Sched`]). The lock is released
//! - by every blocking native (`Lock.wait`, `Deque.pop(true)`, `Mutex.acquire` when
//!   contended, `Condition`/`Semaphore` waits, `Sys.sleep`, the socket and TLS natives
//!   that can wait, the process natives (pipes, waiting for a child, `Sys.command`),
//!   and file natives on anything but regular files: stdin, pipes, FIFOs), through
//!   [`Vm::blocking`] and [`Vm::wait_on`], for as long as the thread is blocked;
//! - at safepoints (function entries and loop back-edges, in the interpreter and in
//!   compiled code) when another thread has waited for it for longer than
//!   [`QUANTUM`] (at once when a host thread waits) ([`Vm::safepoint`]): long-running
//!   threads take turns, in FIFO order;
//! - when a thread ends.
//!
//! The thread that created the [`Vm`] (the host's) holds the lock from the start.
//! Once another thread can run in the VM ([`Vm::threads_active`]: Haxe code started a
//! thread, or the embedder allowed host threads with [`Vm::enable_attach`]), the
//! embedder releases it whenever the host leaves the VM ([`Vm::release_thread`]) and
//! takes it back when it enters again ([`VmLock::acquire`], [`Vm::resume_thread`]):
//! Haxe threads then run while the host runs its own code. Other host threads enter
//! with [`Vm::attach_thread`] (an execution state and a `Thread` identity of their
//! own) and leave with [`Vm::detach_thread`]; `hlffi`'s `VmCell` does all this and
//! checks, through [`VmLock::held_by_current_thread`], that no thread uses the VM
//! without the lock. [`blocking_begin`]/[`blocking_end`] release the lock of the VM a
//! thread holds for a stretch of host code (the C API's `hlffi_blocking_begin`).
//!
//! # Per-thread state
//! Each thread has its own execution state ([`ExecState`]: register stack, frame
//! stack, exception state, native stack limit, temporary roots...). The running
//! thread's state lives in the [`Vm`]'s own fields, where the interpreter and compiled
//! code find it; a thread that gives up the lock first moves ("parks") its state into
//! [`Threads::parked`], and the thread that takes the lock moves its own back in. Only
//! ownership of the buffers moves, never their contents, so addresses compiled code
//! and frames hold (register windows, frames) stay valid for their own thread.
//!
//! The collector runs on the lock holder and scans the current state and every parked
//! one (frames, temporary roots), plus thread handles and thread-local values: a
//! collection never waits for another thread, so a thread blocked in a native cannot
//! deadlock it. Heap handles a blocked native keeps in Rust locals are its arguments,
//! which its caller's frame roots.
//!
//! # Blocking primitives
//! The state of `Lock`, `Mutex`, `Deque`, `Condition` and `Semaphore` objects lives in
//! the heap and is only touched under the VM lock. A thread that must wait parks, then
//! releases the VM lock and starts waiting on the object's condition variable in one
//! step (both under [`Sched`]'s mutex, which every condition variable here uses), so a
//! notification sent by the next lock holder cannot be lost.
//!
//! # Soundness
//! Threads reach the VM through a raw pointer ([`VmPtr`]) and dereference it only
//! while holding the VM lock; the lock's mutex orders every access (happens-before),
//! so the VM's `Rc`s and `Cell`s are never used by two threads at once. A blocked
//! thread's suspended Rust frames still hold `&mut Vm`: [`Vm::blocking`] and
//! [`Vm::wait_on`] pass the VM's address to an opaque function across the wait, so the
//! compiler assumes it changed. When the VM is dropped the lock is marked dead: threads
//! waiting for it (or waking up later) stop for good instead of touching freed memory.
//!
//! # Parallel execution (later)
//! Running threads in parallel needs per-thread allocation in the heap, a collector
//! that stops every running thread at a safepoint (the safepoint checks here are where
//! they would stop), and atomic inline caches and JIT compilation; nothing in the
//! per-thread state layout assumes one running thread.

use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use rustc_hash::FxHashMap as HashMap;

use crate::gc::{NativeObj, Obj};
use crate::vm::{Exc, FrameStack, Vm};

/// How long a thread waits for the VM lock before asking the holder to yield at its
/// next safepoint.
pub(crate) const QUANTUM: Duration = Duration::from_millis(2);

/// Register-stack slots of a thread created by Haxe code (8 MB, committed as used).
pub(crate) const CHILD_STACK_SLOTS: usize = 1 << 20;
/// Call depth limit of a thread created by Haxe code.
pub(crate) const CHILD_MAX_DEPTH: usize = 100_000;
/// How many states of ended threads are kept for new threads.
const MAX_SPARE_STATES: usize = 4;
/// Native stack of a thread created by Haxe code (the interpreter recurses on calls).
const CHILD_NATIVE_STACK: usize = 64 << 20;

/// The VM lock: who may run Haxe code, in FIFO order.
pub(crate) struct Sched {
    state: Mutex<SchedState>,
    /// Signalled when the lock is released.
    turn: Condvar,
    /// Non-zero when a thread has waited for the lock for over [`QUANTUM`] (or a host
    /// thread waits for it at all): the holder yields at its next safepoint. Compiled
    /// code reads it (one byte).
    pub(crate) preempt: AtomicU8,
    /// [`thread_token`] of the OS thread holding the lock (0: nobody). Written only by
    /// that thread (when it takes or releases the lock), so a thread comparing it with
    /// its own token learns reliably whether it holds the lock.
    holder: AtomicU64,
}

/// What a [`blocking_begin`] region released: the VM's lock, its address, and the
/// thread id to resume.
type Released = (Arc<Sched>, *mut Vm, u64);

static NEXT_TOKEN: AtomicU64 = AtomicU64::new(1);

thread_local! {
    /// This OS thread's identity for [`Sched::holder`] (never 0 once taken: see
    /// [`thread_token`]). Const-initialised: reading it is one thread-local load, with
    /// no lazy-initialisation state to test (host calls read it on every call).
    static TOKEN: Cell<u64> = const { Cell::new(0) };
    /// The VMs whose lock this OS thread holds, innermost last (see [`held_vm`]).
    static HELD: RefCell<Vec<*mut Vm>> = const { RefCell::new(Vec::new()) };
    /// Open [`blocking_begin`] regions, innermost last: the VM whose lock the region
    /// released (its lock, address and the thread id to resume), or `None` when it
    /// released nothing.
    static BLOCKED: RefCell<Vec<Option<Released>>> = const { RefCell::new(Vec::new()) };
}

/// A number identifying the calling OS thread (unique in the process, never 0).
#[inline]
pub fn thread_token() -> u64 {
    let t = TOKEN.with(Cell::get);
    if t != 0 {
        return t;
    }
    let t = NEXT_TOKEN.fetch_add(1, Ordering::Relaxed);
    TOKEN.with(|c| c.set(t));
    t
}

struct SchedState {
    /// Some thread holds the lock.
    held: bool,
    /// Tickets handed to waiting threads, and the next one to be served.
    next_ticket: u64,
    serving: u64,
    /// The VM was dropped: nobody may take the lock again.
    dead: bool,
}

/// The guard of [`Sched`]'s mutex.
type SchedGuard<'a> = MutexGuard<'a, SchedState>;

impl Sched {
    /// A lock held by the calling thread.
    pub(crate) fn new() -> Arc<Sched> {
        Arc::new(Sched {
            state: Mutex::new(SchedState { held: true, next_ticket: 0, serving: 0, dead: false }),
            turn: Condvar::new(),
            preempt: AtomicU8::new(0),
            holder: AtomicU64::new(thread_token()),
        })
    }

    /// Locks the scheduler's mutex (never poisoned in practice: nothing panics under it).
    fn lock(&self) -> SchedGuard<'_> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes the VM lock, after every thread already waiting for it; `None` once the VM
    /// is dead. An `urgent` caller (a host thread) asks the holder to yield as soon as
    /// it is first in line instead of after a [`QUANTUM`].
    fn acquire<'a>(&'a self, mut g: SchedGuard<'a>, urgent: bool) -> Option<SchedGuard<'a>> {
        if g.dead {
            return None;
        }
        if !g.held && g.serving == g.next_ticket {
            g.held = true;
            self.holder.store(thread_token(), Ordering::Relaxed);
            return Some(g);
        }
        let ticket = g.next_ticket;
        g.next_ticket += 1;
        loop {
            if g.dead {
                return None;
            }
            if !g.held && g.serving == ticket {
                break;
            }
            if g.serving != ticket {
                // Not next in line: wait for releases only (no periodic wake-ups).
                g = self.turn.wait(g).unwrap_or_else(PoisonError::into_inner);
                continue;
            }
            if urgent {
                self.preempt.store(1, Ordering::Relaxed);
            }
            let (ng, to) = self.turn.wait_timeout(g, QUANTUM).unwrap_or_else(PoisonError::into_inner);
            g = ng;
            if to.timed_out() && g.held {
                self.preempt.store(1, Ordering::Relaxed);
            }
        }
        g.serving += 1;
        g.held = true;
        self.holder.store(thread_token(), Ordering::Relaxed);
        self.preempt.store(0, Ordering::Relaxed);
        // The next ticket holder is now first in line: wake it so that it starts timing
        // its wait (and asks for a turn after a quantum).
        if g.serving != g.next_ticket {
            self.turn.notify_all();
        }
        Some(g)
    }

    /// Releases the VM lock (the caller holds it).
    fn release(&self, g: &mut SchedGuard<'_>) {
        g.held = false;
        self.holder.store(0, Ordering::Relaxed);
        self.turn.notify_all();
    }

    /// Marks the VM dead (see the module docs); the caller holds the VM lock.
    pub(crate) fn kill(&self) {
        let mut g = self.lock();
        g.dead = true;
        self.turn.notify_all();
    }

    /// Takes the VM lock for a thread that does not hold it; a Haxe thread of a dead VM
    /// stops here for good.
    fn acquire_new(&self) {
        let g = self.lock();
        match self.acquire(g, false) {
            Some(g) => drop(g),
            None => park_forever(),
        }
    }
}

/// A handle on a VM's lock that any thread may hold (`Send + Sync`, cheap to clone):
/// it tells whether the calling thread holds the lock, and lets a thread that does
/// not hold it wait for it. Embedders use it with [`Vm::resume_thread`],
/// [`Vm::attach_thread`], [`Vm::release_thread`] and [`Vm::detach_thread`] to run
/// host threads in the VM (see the module docs).
#[derive(Clone)]
pub struct VmLock(Arc<Sched>);

impl VmLock {
    /// Whether the calling OS thread holds the lock.
    #[inline]
    pub fn held_by_current_thread(&self) -> bool {
        self.0.holder.load(Ordering::Relaxed) == thread_token()
    }

    /// Whether the VM was dropped (the lock can never be taken again).
    pub fn is_dead(&self) -> bool {
        self.0.lock().dead
    }

    /// Waits for the lock (after the threads already waiting; the holder is asked to
    /// yield at its next safepoint). `false`, without the lock, once the VM is dropped.
    /// The caller must not hold it already.
    pub fn acquire(&self) -> bool {
        let g = self.0.lock();
        self.0.acquire(g, true).is_some()
    }
}

fn park_forever() -> ! {
    loop {
        std::thread::park();
    }
}

/// One thread's execution state (see the module docs): the fields of [`Vm`] that
/// belong to the thread running Haxe code.
pub(crate) struct ExecState {
    pub stack: Vec<u64>,
    pub sp: usize,
    pub frames: FrameStack,
    pub max_depth: usize,
    pub exc_stack: Vec<(u32, u32)>,
    pub exc_top_pending: bool,
    pub jit_exc: u8,
    pub jit_pending: Option<Exc>,
    pub stack_limit: usize,
    pub stack_ptr: *mut u64,
    pub stack_len: usize,
    pub osr_target: Option<u32>,
    pub jit_bound: u64,
    pub temp_roots: Vec<u64>,
}

impl ExecState {
    /// A state with a register stack of `slots` slots and room for `max_depth` calls.
    pub(crate) fn new(slots: usize, max_depth: usize) -> ExecState {
        let mut stack = vec![0u64; slots.max(1024)];
        let stack_ptr = stack.as_mut_ptr();
        let stack_len = stack.len();
        ExecState {
            stack,
            sp: 0,
            frames: FrameStack::new(max_depth + 1),
            max_depth,
            exc_stack: Vec::new(),
            exc_top_pending: false,
            jit_exc: 0,
            jit_pending: None,
            stack_limit: 0,
            stack_ptr,
            stack_len,
            osr_target: None,
            jit_bound: 0,
            temp_roots: Vec::new(),
        }
    }

    /// A state with no room at all (what the VM holds while no thread runs).
    fn empty() -> ExecState {
        ExecState {
            stack: Vec::new(),
            sp: 0,
            frames: FrameStack::empty(),
            max_depth: 0,
            exc_stack: Vec::new(),
            exc_top_pending: false,
            jit_exc: 0,
            jit_pending: None,
            stack_limit: 0,
            stack_ptr: std::ptr::null_mut(),
            stack_len: 0,
            osr_target: None,
            jit_bound: 0,
            temp_roots: Vec::new(),
        }
    }

    /// Whether any frame is running.
    pub(crate) fn has_frames(&self) -> bool {
        !self.frames.is_empty()
    }
}

/// Haxe threads of one VM.
pub(crate) struct Threads {
    pub sched: Arc<Sched>,
    /// The thread holding the VM lock (whose state is in the [`Vm`]'s fields).
    pub current: u64,
    next_id: u64,
    /// States of the threads that do not hold the lock, by thread id.
    pub parked: HashMap<u64, Box<ExecState>>,
    /// Each live thread's handle (`thread_current`), by thread id; roots.
    pub handles: HashMap<u64, u32>,
    /// Thread-local values by `(tls slot, thread id)`; roots.
    pub tls: HashMap<(u32, u64), u64>,
    pub next_tls: u32,
    /// Set by [`Vm::enable_attach`].
    attach_enabled: bool,
    /// Host threads attached now ([`Vm::attach_thread`]).
    attached: usize,
    /// States of ended threads, for new ones (allocating and clearing a register stack
    /// costs more than a short attached call).
    spare: Vec<ExecState>,
}

impl Threads {
    /// Whether another OS thread ever ran in this VM (a Haxe thread or an attached
    /// host thread): from then on the lock is released whenever its holder blocks or
    /// leaves the VM.
    pub(crate) fn active(&self) -> bool {
        self.next_id > 1 || self.attach_enabled
    }
}

/// The main thread's id (the thread that created the VM).
pub(crate) const MAIN_THREAD: u64 = 0;

impl Threads {
    pub(crate) fn new() -> Threads {
        Threads {
            sched: Sched::new(),
            current: MAIN_THREAD,
            next_id: 1,
            parked: HashMap::default(),
            handles: HashMap::default(),
            tls: HashMap::default(),
            next_tls: 1,
            attach_enabled: false,
            attached: 0,
            spare: Vec::new(),
        }
    }
}

/// What `thread_current`/`thread_create` hand to Haxe (`hl_thread`): compared by
/// identity, one per thread; holds the thread's id.
pub(crate) struct ThreadHandle(#[expect(dead_code, reason = "kept for debugging and host attach")] pub u64);

/// The VM's address, sent to a new thread. Dereferenced only under the VM lock (see
/// the module docs).
struct VmPtr(*mut Vm);
// SAFETY: the pointer is only dereferenced by a thread holding the VM lock, which
// orders all accesses to the VM; the VM outlives every such access (a dropped VM's
// lock is dead and never taken again).
unsafe impl Send for VmPtr {}

/// An opaque use of the VM's address across a wait: the compiler must assume the VM
/// changed while the thread was blocked (other threads ran).
#[inline(never)]
fn vm_escapes(vm: *mut Vm) {
    std::hint::black_box(vm);
}

impl Vm {
    /// Swaps the VM's execution-state fields with `st`.
    fn swap_exec(&mut self, st: &mut ExecState) {
        use std::mem::swap;
        swap(&mut self.stack, &mut st.stack);
        swap(&mut self.sp, &mut st.sp);
        swap(&mut self.frames, &mut st.frames);
        swap(&mut self.max_depth, &mut st.max_depth);
        swap(&mut self.exc_stack, &mut st.exc_stack);
        swap(&mut self.exc_top_pending, &mut st.exc_top_pending);
        swap(&mut self.jit_exc, &mut st.jit_exc);
        swap(&mut self.jit_pending, &mut st.jit_pending);
        swap(&mut self.stack_limit, &mut st.stack_limit);
        swap(&mut self.stack_ptr, &mut st.stack_ptr);
        swap(&mut self.stack_len, &mut st.stack_len);
        swap(&mut self.osr_target, &mut st.osr_target);
        swap(&mut self.jit_bound, &mut st.jit_bound);
        swap(&mut self.temp_roots, &mut st.temp_roots);
    }

    /// Moves the current thread's state out of the VM, into `parked` (before the
    /// thread releases the lock).
    fn park_current(&mut self) {
        let mut st = Box::new(ExecState::empty());
        self.swap_exec(&mut st);
        self.threads.parked.insert(self.threads.current, st);
        forget_held(self);
    }

    /// Makes thread `id` current, moving its parked state into the VM (after the
    /// thread took the lock).
    fn resume(&mut self, id: u64) {
        if let Some(mut st) = self.threads.parked.remove(&id) {
            self.swap_exec(&mut st);
        }
        self.threads.current = id;
        let me: *mut Vm = self;
        HELD.with(|h| h.borrow_mut().push(me));
    }

    /// Runs `f` with the VM lock released (a blocking call that touches nothing of the
    /// VM), then takes the lock back.
    pub(crate) fn blocking<R>(&mut self, f: impl FnOnce() -> R) -> R {
        if !self.threads.active() {
            // No other thread can be waiting for the lock.
            return f();
        }
        let sched = self.threads.sched.clone();
        let (id, g) = self.leave(&sched);
        drop(g);
        let r = f();
        vm_escapes(self);
        sched.acquire_new();
        self.resume(id);
        r
    }

    /// Runs `f` with the VM lock released, so that other threads run meanwhile. `f`
    /// must not use the VM; it runs on the calling thread. Without other threads it
    /// just runs `f`.
    pub fn allow_threads<R>(&mut self, f: impl FnOnce() -> R) -> R {
        self.blocking(f)
    }

    /// Releases the VM lock and waits for `cv` to be notified (through
    /// [`Vm::notify`]) or for `deadline`, then takes the lock back. Wake-ups may be
    /// spurious: callers re-check their condition.
    pub(crate) fn wait_on(&mut self, cv: &Condvar, deadline: Option<Instant>) {
        let sched = self.threads.sched.clone();
        let (id, g) = self.leave(&sched);
        {
            let g = match deadline {
                None => cv.wait(g).unwrap_or_else(PoisonError::into_inner),
                Some(d) => {
                    let now = Instant::now();
                    if d > now {
                        cv.wait_timeout(g, d - now).unwrap_or_else(PoisonError::into_inner).0
                    } else {
                        g
                    }
                }
            };
            if sched.acquire(g, false).is_none() {
                park_forever();
            }
        }
        vm_escapes(self);
        self.resume(id);
    }

    /// Wakes one (or all) threads waiting on `cv` in [`Vm::wait_on`].
    pub(crate) fn notify(&self, cv: &Condvar, all: bool) {
        let _g = self.threads.sched.lock();
        if all {
            cv.notify_all();
        } else {
            cv.notify_one();
        }
    }

    /// The VM's lock, for embedders running host threads in the VM.
    pub fn vm_lock(&self) -> VmLock {
        VmLock(self.threads.sched.clone())
    }

    /// Whether the lock must be released whenever its holder leaves the VM: another
    /// OS thread ran in this VM (a Haxe thread) or may attach ([`Vm::enable_attach`]).
    pub fn threads_active(&self) -> bool {
        self.threads.active()
    }

    /// Lets host threads attach ([`Vm::attach_thread`]): from now on the thread that
    /// created the VM must release the lock whenever it leaves the VM
    /// ([`Vm::release_thread`]), as [`Vm::threads_active`] says.
    pub fn enable_attach(&mut self) {
        self.threads.attach_enabled = true;
    }

    /// Records that the calling thread, which created this VM and holds its lock since,
    /// has the VM at its final address (for [`blocking_begin`]). Call once, right
    /// after moving the VM to where it stays.
    pub fn bind_creator(&mut self) {
        if self.threads.sched.holder.load(Ordering::Relaxed) == thread_token() {
            let me: *mut Vm = self;
            HELD.with(|h| h.borrow_mut().push(me));
        }
    }

    /// Stops every other thread for good, as dropping the VM does, without freeing
    /// anything (for a process about to exit: freeing a large heap takes time). The
    /// caller holds the lock and must not run Haxe code in this VM again.
    pub fn stop_threads(&mut self) {
        self.threads.sched.kill();
    }

    /// The id of the thread whose state is current (the lock holder's; the creating
    /// thread's is 0).
    pub fn current_thread_id(&self) -> u64 {
        self.threads.current
    }

    /// Parks the calling thread's state and releases the lock: the thread leaves the
    /// VM until it calls [`VmLock::acquire`] then [`Vm::resume_thread`] with the
    /// returned id. The caller holds the lock and must not use the VM in between.
    pub fn release_thread(&mut self) -> u64 {
        let sched = self.threads.sched.clone();
        let (id, g) = self.leave(&sched);
        drop(g);
        id
    }

    /// Parks the current thread's state and releases the lock (`sched`, the VM's);
    /// returns the thread's id and the scheduler's mutex, still locked, so a waiter can
    /// start waiting without missing a notification.
    fn leave<'a>(&mut self, sched: &'a Sched) -> (u64, SchedGuard<'a>) {
        let id = self.threads.current;
        self.park_current();
        vm_escapes(self);
        let mut g = sched.lock();
        sched.release(&mut g);
        (id, g)
    }

    /// Makes thread `id` (from [`Vm::release_thread`]) current again. The caller has
    /// just taken the lock with [`VmLock::acquire`].
    pub fn resume_thread(&mut self, id: u64) {
        vm_escapes(self);
        self.resume(id);
    }

    /// Gives the calling host thread, which has just taken the lock with
    /// [`VmLock::acquire`], an execution state of its own (a register stack, frames,
    /// and a `sys.thread.Thread` identity) and makes it current. Pair with
    /// [`Vm::detach_thread`].
    pub fn attach_thread(&mut self) -> u64 {
        vm_escapes(self);
        let id = self.threads.next_id;
        self.threads.next_id += 1;
        let mut st = self.child_state();
        st.stack_limit = crate::vm::native_stack_limit();
        self.threads.parked.insert(id, Box::new(st));
        self.threads.attached += 1;
        self.resume(id);
        id
    }

    /// How many host threads are attached ([`Vm::attach_thread`]) now, running or
    /// waiting inside the VM.
    pub fn attached_threads(&self) -> usize {
        self.threads.attached
    }

    /// Ends an attached thread (from [`Vm::attach_thread`], current, with no frames
    /// running): forgets its state and thread-local values, then releases the lock.
    pub fn detach_thread(&mut self) {
        self.threads.attached = self.threads.attached.saturating_sub(1);
        self.end_thread_and_release();
    }

    /// Ends the current thread ([`Vm::end_thread`]) and releases the lock for good.
    fn end_thread_and_release(&mut self) {
        self.end_thread();
        let sched = self.threads.sched.clone();
        vm_escapes(self);
        let mut g = sched.lock();
        sched.release(&mut g);
    }

    /// Whether another thread asked for the VM lock (see [`QUANTUM`]).
    #[inline(always)]
    pub(crate) fn preempt_requested(&self) -> bool {
        self.threads.sched.preempt.load(Ordering::Relaxed) != 0
    }

    /// A safepoint: collects when a collection is due, and lets waiting threads run
    /// when one asked for the lock.
    pub(crate) fn safepoint(&mut self) {
        if self.heap.should_collect() {
            self.collect();
        }
        if self.preempt_requested() {
            self.yield_vm();
        }
    }

    /// Gives the VM lock to the threads waiting for it, then takes it back.
    pub(crate) fn yield_vm(&mut self) {
        let sched = self.threads.sched.clone();
        let (id, g) = self.leave(&sched);
        if sched.acquire(g, false).is_none() {
            park_forever();
        }
        vm_escapes(self);
        self.resume(id);
    }

    /// Whether any thread (running or parked) has frames (hot reload keeps replaced
    /// functions alive while some do).
    pub(crate) fn any_frames(&self) -> bool {
        !self.frames.is_empty() || self.host_calls != 0 || self.threads.parked.values().any(|s| s.has_frames())
    }

    /// The handle of the current thread (`thread_current`), made on first use.
    pub(crate) fn current_thread_handle(&mut self) -> u32 {
        let id = self.threads.current;
        if let Some(&h) = self.threads.handles.get(&id) {
            return h;
        }
        let h = self.heap.alloc(Obj::Native(NativeObj::Opaque(Box::new(ThreadHandle(id)).into())));
        self.threads.handles.insert(id, h);
        h
    }

    /// Starts a Haxe thread running closure `c` (`thread_create`); its handle, or
    /// `None` when the OS refused to create a thread.
    pub(crate) fn spawn_thread(&mut self, c: u64) -> Option<u32> {
        let id = self.threads.next_id;
        self.threads.next_id += 1;
        let h = self.heap.alloc(Obj::Native(NativeObj::Opaque(Box::new(ThreadHandle(id)).into())));
        self.threads.handles.insert(id, h);
        let mut st = self.child_state();
        // The closure stays rooted until the thread ends.
        st.temp_roots.push(c);
        self.threads.parked.insert(id, Box::new(st));
        let vm = VmPtr(self as *mut Vm);
        let sched = self.threads.sched.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("haxe-{id}"))
            .stack_size(CHILD_NATIVE_STACK)
            .spawn(move || thread_main(vm, sched, id));
        match spawned {
            Ok(_) => Some(h),
            Err(_) => {
                self.threads.parked.remove(&id);
                self.threads.handles.remove(&id);
                None
            }
        }
    }

    /// Runs a new thread's closure to its end (called by the thread itself, holding
    /// the VM lock); an uncaught exception is printed as HashLink does.
    fn run_thread(&mut self) {
        self.stack_limit = crate::vm::native_stack_limit();
        let c = self.temp_roots.first().copied().unwrap_or(0);
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.call_thread_closure(c)));
        let r = match r {
            Ok(r) => r,
            Err(_) => Err(Exc::Internal("VM bug: panic in a thread".into())),
        };
        match r {
            Ok(_) => {}
            Err(Exc::Throw(v)) => {
                let message = self.dyn_to_string(v).unwrap_or_else(|_| "?".into());
                let stack = self.format_stack(&self.exc_stack.clone());
                let mut text = format!("Uncaught exception: {message}\n");
                for f in stack {
                    text.push_str("Called from ");
                    text.push_str(&f);
                    text.push('\n');
                }
                self.write_out(text.as_bytes());
                self.flush_stdout();
            }
            Err(Exc::Exit(code)) => {
                // `Sys.exit` in a thread ends the process, as on HashLink.
                self.flush_stdout();
                std::process::exit(code);
            }
            Err(Exc::Internal(e)) => {
                self.flush_stdout();
                eprintln!("hlvm: thread {}: {e}", self.threads.current);
            }
        }
    }

    /// Calls a `Void -> Void` closure (the thread's job).
    fn call_thread_closure(&mut self, c: u64) -> Result<u64, Exc> {
        match self.heap.get(crate::value::handle(c)) {
            Some(Obj::Closure { fun, bound, .. }) => {
                let (fun, bound) = (*fun, bound.get());
                match bound {
                    Some((b, _)) => self.call(fun, &[b]),
                    None => self.call(fun, &[]),
                }
            }
            _ => self.call_dynamic(c, &[]),
        }
    }

    /// Forgets the ending thread (its handle stays valid for Haxe code that kept it)
    /// and drops its state; the caller then releases the lock.
    fn end_thread(&mut self) {
        let id = self.threads.current;
        self.threads.handles.remove(&id);
        self.threads.tls.retain(|&(_, t), _| t != id);
        let mut st = ExecState::empty();
        self.swap_exec(&mut st);
        if self.threads.spare.len() < MAX_SPARE_STATES && st.stack_len == CHILD_STACK_SLOTS.max(1024) {
            self.threads.spare.push(st);
        }
        self.threads.current = u64::MAX;
        forget_held(self);
    }

    /// A state for a new thread: a spare one from an ended thread (reset), or a fresh
    /// one. Registers need no clearing: every call clears its own window.
    fn child_state(&mut self) -> ExecState {
        match self.threads.spare.pop() {
            Some(mut st) => {
                st.sp = 0;
                st.frames.len = 0;
                st.exc_stack.clear();
                st.exc_top_pending = false;
                st.jit_exc = 0;
                st.jit_pending = None;
                st.stack_limit = 0;
                st.osr_target = None;
                st.jit_bound = 0;
                st.temp_roots.clear();
                st
            }
            None => ExecState::new(CHILD_STACK_SLOTS, CHILD_MAX_DEPTH),
        }
    }
}

/// Removes `vm` from the calling thread's [`HELD`] list (it is releasing the lock).
fn forget_held(vm: *mut Vm) {
    HELD.with(|h| {
        let mut h = h.borrow_mut();
        if let Some(i) = h.iter().rposition(|&p| p == vm) {
            h.remove(i);
        }
    });
}

/// A Haxe thread's body: take the VM lock, run the job, release the lock.
fn thread_main(vm: VmPtr, sched: Arc<Sched>, id: u64) {
    sched.acquire_new();
    // SAFETY: this thread holds the VM lock (see `VmPtr`); the VM is alive, since a
    // dropped VM's lock is never acquired again.
    let vm = unsafe { &mut *vm.0 };
    vm.resume(id);
    vm.run_thread();
    vm.end_thread_and_release();
}

/// Releases the lock of the VM the calling thread holds (the innermost one), for a
/// long operation outside the VM (the C API's `hlffi_blocking_begin`): other threads
/// run meanwhile. Must be paired with [`blocking_end`] on the same thread; until then
/// the thread must not use the VM. Without a VM held, or while no other thread can
/// run ([`Vm::threads_active`]), the region releases nothing.
///
/// # Safety
/// The calling thread must not use the VM it holds, through any reference or
/// pointer it has, until the matching [`blocking_end`] returns; references to the VM
/// held by its callers may be used again after that.
pub unsafe fn blocking_begin() {
    let vm = HELD.with(|h| h.borrow().last().copied());
    let entry = vm.and_then(|p| {
        // SAFETY: `p` is in this thread's HELD list: the thread holds that VM's lock,
        // so the VM is alive and nobody else uses it; the caller gives up its own
        // use of it until `blocking_end` (the function's contract).
        let vm = unsafe { &mut *p };
        if !vm.threads.active() {
            return None;
        }
        let sched = vm.threads.sched.clone();
        let id = vm.release_thread();
        Some((sched, p, id))
    });
    BLOCKED.with(|b| b.borrow_mut().push(entry));
}

/// Ends the innermost [`blocking_begin`] region of the calling thread: takes the
/// lock back (waiting for it) and resumes. Without an open region it does nothing.
/// If the VM was dropped meanwhile, it returns without touching it.
pub fn blocking_end() {
    let Some(entry) = BLOCKED.with(|b| b.borrow_mut().pop()) else { return };
    if let Some((sched, p, id)) = entry {
        if VmLock(sched).acquire() {
            // SAFETY: this thread holds the lock again and the VM is not dead (it is
            // dropped only under its lock, after being marked dead), so `p` is alive.
            unsafe { &mut *p }.resume_thread(id);
        }
    }
}

/// Whether the calling thread is inside a [`blocking_begin`] region.
pub fn in_blocking_region() -> bool {
    BLOCKED.with(|b| !b.borrow().is_empty())
}

impl Drop for Vm {
    fn drop(&mut self) {
        self.threads.sched.kill();
        forget_held(self);
    }
}
