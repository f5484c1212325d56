//! [`VmThread`]: HLFFI's THREADED integration mode — a [`Vm`] that lives on its own OS
//! thread, driven by host threads through a `Send + Sync` handle.
//!
//! A [`Vm`] and its handles are `!Send`: they stay on the thread that made them. A
//! `VmThread` therefore builds its VM *on* the VM thread, with a setup closure the host
//! gives once ([`VmThread::new`]); host threads then send it work:
//!
//! * [`VmThread::call_sync`] queues a closure and blocks until it has run, returning
//!   its result. Any number of host threads may call it at once; each waits on its
//!   own reply channel, so every caller is woken for its own item (no shared
//!   condition variable that can lose a wake-up).
//! * [`VmThread::call_async`] queues a closure and returns at once; `on_done` then
//!   receives the closure's result, on the VM thread.
//!
//! Work items run one at a time, in the order they were queued (sync and async items
//! share one FIFO). The queue is unbounded: nothing is ever dropped for lack of room.
//!
//! ## The VM thread's loop
//! Setup (build + load), then the entrypoint ([`Vm::call_entry`], which returns when
//! `main` does), then until [`VmThread::stop`]: run queued items, and run the Haxe
//! event loop ([`Vm::update`]: `haxe.Timer`, `haxe.MainLoop`, `sys.thread` events)
//! between them, waking for due timers even when no work arrives. Haxe's event loop
//! and host work items are thus interleaved: queued work does not wait for the event
//! loop to empty. Errors the thread meets outside work items (the entrypoint, a
//! throwing timer) are kept for [`VmThread::take_errors`].
//!
//! ## Which call from which thread
//! | call | host threads | the VM thread (inside a work item) |
//! |---|---|---|
//! | `new`, `start`, `stop`, `restart` | yes | `start`/`stop`/`restart`: [`Error::WrongThread`] |
//! | `call_sync` | yes (blocks) | [`Error::WrongThread`] (it would wait for itself) |
//! | `call_async`, `is_running`, `take_errors` | yes | yes |
//!
//! Inside a work item, the `&mut Vm` is the VM: every [`Vm`] method and every handle
//! works, but handles must not leave the closure (they are `!Send`; the compiler
//! enforces it because results must be `Send`).

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{mpsc, Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{JoinHandle, ThreadId};
use std::time::{Duration, Instant};

use crate::{Error, Result, Vm};

/// Stack size of the VM thread: the interpreter recurses on every Haxe call.
const DEFAULT_STACK_SIZE: usize = 256 << 20;

/// How often the VM thread runs the Haxe event loop while timers are pending.
const EVENT_TICK: Duration = Duration::from_millis(1);

type Job = Box<dyn FnOnce(&mut Vm) + Send>;
type Setup = dyn Fn() -> Result<Vm> + Send + Sync;

/// A handle to a [`Vm`] running on its own OS thread (HLFFI's THREADED mode).
/// Cheap to clone; `Send + Sync`. See the [module docs](self) for the threading rules.
///
/// ```no_run
/// use hlffi::{Vm, VmThread};
///
/// let vt = VmThread::new(|| {
///     let mut vm = Vm::new();
///     vm.load_file("game.hl")?;
///     Ok(vm)
/// });
/// vt.start()?; // builds the VM on its thread, then runs `main` there
/// let sum: i32 = vt.call_sync(|vm| vm.call_static("Main", "add", (2, 3)))??;
/// vt.call_async(|vm| vm.call_static::<()>("Main", "tick", ()), |r| assert!(r.is_ok()))?;
/// vt.stop()?; // runs what is queued, then drops the VM and joins its thread
/// # Ok::<(), hlffi::Error>(())
/// ```
#[derive(Clone)]
pub struct VmThread {
    inner: Arc<Inner>,
}

struct Inner {
    setup: Arc<Setup>,
    stack_size: usize,
    run_entry: bool,
    state: Mutex<State>,
    /// Signalled when work is queued or a stop is requested (only the VM thread waits).
    wake: Condvar,
    /// Serialises `start`/`stop`/`restart` against each other.
    control: Mutex<()>,
}

#[derive(Default)]
struct State {
    queue: VecDeque<Job>,
    /// True from a successful `start` until `stop` has joined the thread.
    running: bool,
    /// Set by `stop`: finish the queue, then exit.
    stopping: bool,
    thread: Option<ThreadId>,
    join: Option<JoinHandle<()>>,
    errors: Vec<Error>,
}

/// Configures a [`VmThread`] ([`VmThread::builder`]).
#[derive(Debug, Clone)]
pub struct VmThreadBuilder {
    stack_size: usize,
    run_entry: bool,
}

impl VmThreadBuilder {
    /// The VM thread's stack size in bytes (default 256 MiB, reserved rather than
    /// committed: the interpreter recurses on every Haxe call).
    pub fn stack_size(mut self, bytes: usize) -> Self {
        self.stack_size = bytes;
        self
    }

    /// Whether the thread runs the entrypoint after setup (default `true`). With
    /// `false`, the host runs it itself, e.g. as the first work item.
    pub fn run_entry(mut self, on: bool) -> Self {
        self.run_entry = on;
        self
    }

    /// A stopped VM thread whose VM `setup` builds at every start.
    pub fn build(self, setup: impl Fn() -> Result<Vm> + Send + Sync + 'static) -> VmThread {
        VmThread {
            inner: Arc::new(Inner {
                setup: Arc::new(setup),
                stack_size: self.stack_size,
                run_entry: self.run_entry,
                state: Mutex::new(State::default()),
                wake: Condvar::new(),
                control: Mutex::new(()),
            }),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock cannot leave `State` inconsistent (every update
    // is a single assignment or push), so a poisoned lock is still usable.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

impl VmThread {
    /// A stopped VM thread whose VM `setup` builds (on the VM thread) at every
    /// [`VmThread::start`]: typically [`Vm::builder`], natives, [`Vm::load_file`]. The
    /// entrypoint is run by the thread after `setup`, unless `setup` already ran it.
    pub fn new(setup: impl Fn() -> Result<Vm> + Send + Sync + 'static) -> VmThread {
        VmThread::builder().build(setup)
    }

    /// Options: stack size, whether the thread runs the entrypoint.
    pub fn builder() -> VmThreadBuilder {
        VmThreadBuilder { stack_size: DEFAULT_STACK_SIZE, run_entry: true }
    }

    fn on_vm_thread(&self) -> bool {
        lock(&self.inner.state).thread == Some(std::thread::current().id())
    }

    /// Starts the VM thread: it runs the setup closure, then the entrypoint, then
    /// serves queued work and the Haxe event loop until [`VmThread::stop`]. Returns
    /// once setup is done; the entrypoint then runs on the VM thread (queued items wait
    /// for it; an error it returns goes to [`VmThread::take_errors`]).
    ///
    /// # Errors
    /// [`Error::ThreadAlreadyRunning`]; [`Error::WrongThread`] from the VM thread;
    /// [`Error::ThreadStartFailed`] when the OS refuses a thread; whatever the setup
    /// closure returned (the thread has then exited).
    pub fn start(&self) -> Result<()> {
        if self.on_vm_thread() {
            return Err(Error::WrongThread("VmThread::start from the VM thread".into()));
        }
        let _control = lock(&self.inner.control);
        {
            let mut st = lock(&self.inner.state);
            if st.running {
                return Err(Error::ThreadAlreadyRunning);
            }
            st.stopping = false;
            st.running = true;
        }
        let (ready_tx, ready_rx) = mpsc::channel::<Result<()>>();
        let inner = self.inner.clone();
        let spawned = std::thread::Builder::new()
            .name("hlffi-vm".into())
            .stack_size(self.inner.stack_size)
            .spawn(move || vm_thread_main(inner, ready_tx));
        let join = match spawned {
            Ok(j) => j,
            Err(e) => {
                lock(&self.inner.state).running = false;
                return Err(Error::ThreadStartFailed(e.to_string()));
            }
        };
        let ready = ready_rx.recv().unwrap_or_else(|_| Err(Error::ThreadStartFailed("the VM thread ended during setup".into())));
        let mut st = lock(&self.inner.state);
        match ready {
            Ok(()) => {
                st.join = Some(join);
                Ok(())
            }
            Err(e) => {
                st.running = false;
                st.thread = None;
                drop(st);
                let _ = join.join();
                Err(e)
            }
        }
    }

    /// Asks the VM thread to finish: items queued before this call still run (FIFO),
    /// later ones are refused; then the VM is dropped on its thread and the thread is
    /// joined. Blocks until then. `Ok` also when no thread runs.
    ///
    /// # Errors
    /// [`Error::WrongThread`] from the VM thread (it cannot join itself).
    pub fn stop(&self) -> Result<()> {
        if self.on_vm_thread() {
            return Err(Error::WrongThread("VmThread::stop from the VM thread".into()));
        }
        let _control = lock(&self.inner.control);
        let join = {
            let mut st = lock(&self.inner.state);
            if !st.running {
                return Ok(());
            }
            st.stopping = true;
            self.inner.wake.notify_all();
            st.join.take()
        };
        if let Some(j) = join {
            if j.join().is_err() {
                lock(&self.inner.state).errors.push(Error::Internal("the VM thread panicked".into()));
            }
        }
        let mut st = lock(&self.inner.state);
        st.running = false;
        st.stopping = false;
        st.thread = None;
        // Only left over if the thread died: dropping the items wakes their callers.
        st.queue.clear();
        Ok(())
    }

    /// [`VmThread::stop`], then [`VmThread::start`]: a fresh VM from the setup closure.
    ///
    /// # Errors
    /// As for `stop` and `start`.
    pub fn restart(&self) -> Result<()> {
        self.stop()?;
        self.start()
    }

    /// Whether the VM thread runs (between a successful `start` and the end of `stop`).
    pub fn is_running(&self) -> bool {
        lock(&self.inner.state).running
    }

    /// Errors the VM thread met outside work items (the entrypoint, throwing timers or
    /// events, a panic), oldest first; taking them empties the list.
    pub fn take_errors(&self) -> Vec<Error> {
        std::mem::take(&mut lock(&self.inner.state).errors)
    }

    fn push(&self, job: Job) -> Result<()> {
        let mut st = lock(&self.inner.state);
        if !st.running || st.stopping {
            return Err(Error::ThreadNotStarted);
        }
        st.queue.push_back(job);
        self.inner.wake.notify_all();
        Ok(())
    }

    /// Runs `f` on the VM thread after every item queued before it, and returns its
    /// result. Blocks the calling thread meanwhile (so `f` may borrow from its stack
    /// only through `'static` data: use `Arc`s or move values in).
    ///
    /// # Errors
    /// [`Error::ThreadNotStarted`] when no VM thread runs (or it is stopping);
    /// [`Error::WrongThread`] when called from the VM thread itself (inside a work item
    /// or a callback), where waiting would never end; [`Error::Callback`] when `f`
    /// panicked (the VM thread goes on).
    pub fn call_sync<R, F>(&self, f: F) -> Result<R>
    where
        F: FnOnce(&mut Vm) -> R + Send + 'static,
        R: Send + 'static,
    {
        if self.on_vm_thread() {
            return Err(Error::WrongThread("VmThread::call_sync from the VM thread would wait for itself".into()));
        }
        let (tx, rx) = mpsc::sync_channel::<std::thread::Result<R>>(1);
        self.push(Box::new(move |vm: &mut Vm| {
            let r = catch_unwind(AssertUnwindSafe(|| f(vm)));
            let _ = tx.send(r);
        }))?;
        match rx.recv() {
            Ok(Ok(r)) => Ok(r),
            Ok(Err(p)) => Err(Error::Callback { name: "VmThread::call_sync".into(), message: format!("panicked: {}", panic_message(&*p)) }),
            // The job was dropped unrun: the thread died.
            Err(_) => Err(Error::ThreadNotStarted),
        }
    }

    /// Queues `f` for the VM thread and returns at once; after `f` returns, `on_done`
    /// receives its result on the VM thread (`Err(Error::Callback)` if `f` panicked).
    /// FIFO with every other item: a later `call_sync` returns only after this ran.
    ///
    /// # Errors
    /// [`Error::ThreadNotStarted`] when no VM thread runs (or it is stopping).
    pub fn call_async<R, F, D>(&self, f: F, on_done: D) -> Result<()>
    where
        F: FnOnce(&mut Vm) -> R + Send + 'static,
        D: FnOnce(Result<R>) + Send + 'static,
        R: 'static,
    {
        self.push(Box::new(move |vm: &mut Vm| {
            let r = catch_unwind(AssertUnwindSafe(|| f(vm))).map_err(|p| Error::Callback {
                name: "VmThread::call_async".into(),
                message: format!("panicked: {}", panic_message(&*p)),
            });
            let _ = catch_unwind(AssertUnwindSafe(|| on_done(r)));
        }))
    }
}

/// Body of the VM thread.
fn vm_thread_main(inner: Arc<Inner>, ready: mpsc::Sender<Result<()>>) {
    lock(&inner.state).thread = Some(std::thread::current().id());
    let setup = inner.setup.clone();
    let vm = match catch_unwind(AssertUnwindSafe(|| setup())) {
        Ok(Ok(vm)) => vm,
        Ok(Err(e)) => {
            let _ = ready.send(Err(e));
            return;
        }
        Err(p) => {
            let _ = ready.send(Err(Error::ThreadStartFailed(format!("setup panicked: {}", panic_message(&*p)))));
            return;
        }
    };
    let mut vm = vm;
    let _ = ready.send(Ok(()));
    if inner.run_entry && !vm.entry_called() {
        if let Err(e) = vm.call_entry() {
            lock(&inner.state).errors.push(e);
        }
    }
    let mut next_pump = Instant::now();
    loop {
        // Waiting for work lets the program's Haxe threads run.
        let wait = || {
            let mut st = lock(&inner.state);
            loop {
                if let Some(job) = st.queue.pop_front() {
                    break Some(job);
                }
                if st.stopping {
                    break None;
                }
                let now = Instant::now();
                if now >= next_pump {
                    // Time to look at the event loop again.
                    break None;
                }
                st = inner.wake.wait_timeout(st, next_pump - now).map(|(g, _)| g).unwrap_or_else(|e| e.into_inner().0);
            }
        };
        // An error is unreachable (the VM is not lent out here); the loop goes round again.
        let job = vm.allow_threads(wait).unwrap_or_default();
        match job {
            Some(job) => {
                job(&mut vm);
                // The item may have scheduled Haxe events: look at the loop soon.
                next_pump = next_pump.min(Instant::now() + EVENT_TICK);
            }
            None => {
                let st = lock(&inner.state);
                if st.stopping && st.queue.is_empty() {
                    break;
                }
            }
        }
        let now = Instant::now();
        if now >= next_pump {
            if vm.has_pending_work() {
                if let Err(e) = vm.update(0.0) {
                    lock(&inner.state).errors.push(e);
                }
                next_pump = now + EVENT_TICK;
            } else {
                // Nothing scheduled: only new work (which may schedule some) wakes us.
                next_pump = now + Duration::from_secs(3600);
            }
        }
    }
    drop(vm);
}
