//! Thread natives of HashLink 1.17's `std` library (`src/std/thread.c`): threads,
//! thread-locals, `Lock`, `Mutex`, `Deque`, `Condition`, `Semaphore` and atomics, as
//! used by `sys.thread` (Haxe 4.2, and 4.3's `Condition`/`Semaphore`) and `hl.Atomics`.
//!
//! Threads run under the VM lock (see `crate::threads`): the state of every primitive
//! is a heap object only touched by the lock holder, and a thread that must wait
//! releases the lock while it waits ([`Vm::wait_on`]). Behaviour follows HashLink on
//! Linux (facts from its source and from running it):
//! - `Mutex` and `Condition` locks are recursive and owned by a thread: releasing one
//!   the thread does not hold does nothing;
//! - `Lock` is a counter: `release` adds one, `wait` takes one, waiting up to
//!   `timeout` seconds (forever when null); false on timeout;
//! - `Deque.pop(true)` waits for a value; `pop(false)` gives null when empty;
//! - `Semaphore.tryAcquire(null)` does not wait; with a timeout it waits that long;
//! - `Condition.timedWait` is false when it timed out (the lock is taken back either way);
//! - `thread_get_name` is always null (HashLink on Linux finds no thread by its id);
//! - an uncaught exception ends only its thread, printed as `Uncaught exception: ...`
//!   with its `Called from` lines; `Sys.exit` in a thread ends the process.
//!
//! A null primitive handle throws `Null access` (HashLink would crash).

use std::sync::{Arc, Condvar};
use std::time::{Duration, Instant};

use super::{arg, Table};
use crate::gc::{DequeObj, NativeObj, Obj};
use crate::threads::ThreadHandle;
use crate::value::*;
use crate::vm::{Exc, Vm};

pub(crate) const NATIVES: Table = &[
    ("thread_create", thread_create),
    ("thread_current", thread_current),
    ("thread_set_name", thread_set_name),
    ("thread_get_name", thread_get_name),
    ("tls_alloc", tls_alloc),
    ("tls_get", tls_get),
    ("tls_set", tls_set),
    ("lock_create", lock_create),
    ("lock_release", lock_release),
    ("lock_wait", lock_wait),
    ("mutex_alloc", mutex_alloc),
    ("mutex_acquire", mutex_acquire),
    ("mutex_try_acquire", mutex_try_acquire),
    ("mutex_release", mutex_release),
    ("mutex_free", super::noop),
    ("deque_alloc", deque_alloc),
    ("deque_add", deque_add),
    ("deque_push", deque_push),
    ("deque_pop", deque_pop),
    ("semaphore_alloc", semaphore_alloc),
    ("semaphore_acquire", semaphore_acquire),
    ("semaphore_try_acquire", semaphore_try_acquire),
    ("semaphore_release", semaphore_release),
    ("semaphore_free", super::noop),
    ("condition_alloc", condition_alloc),
    ("condition_acquire", condition_acquire),
    ("condition_try_acquire", condition_try_acquire),
    ("condition_release", condition_release),
    ("condition_wait", condition_wait),
    ("condition_timed_wait", condition_timed_wait),
    ("condition_signal", condition_signal),
    ("condition_broadcast", condition_broadcast),
    ("condition_free", super::noop),
    ("atomic_add32", atomic_add32),
    ("atomic_sub32", atomic_sub32),
    ("atomic_and32", atomic_and32),
    ("atomic_or32", atomic_or32),
    ("atomic_xor32", atomic_xor32),
    ("atomic_compare_exchange32", atomic_compare_exchange32),
    ("atomic_compare_exchange_ptr", atomic_compare_exchange_ptr),
    ("atomic_exchange32", atomic_exchange32),
    ("atomic_exchange_ptr", atomic_exchange_ptr),
    ("atomic_load32", atomic_load32),
    ("atomic_load_ptr", atomic_load_ptr),
    ("atomic_store32", atomic_store32),
    ("atomic_store_ptr", atomic_store_ptr),
];

// ---------------------------------------------------------------------- objects

/// A lock owned by one thread at a time, recursively (`Mutex`, and `Condition`'s lock).
#[derive(Default)]
struct Owned {
    /// Owning thread and how many times it acquired the lock.
    owner: Option<u64>,
    count: u32,
    /// Threads waiting to acquire it, woken when it becomes free.
    waiting: u32,
    cv: Arc<Condvar>,
}

impl Owned {
    /// Takes the lock for `me` if it is free or already mine.
    fn try_take(&mut self, me: u64) -> bool {
        match self.owner {
            None => {
                self.owner = Some(me);
                self.count = 1;
                true
            }
            Some(o) if o == me => {
                self.count = self.count.saturating_add(1);
                true
            }
            Some(_) => false,
        }
    }

    /// Releases one level of `me`'s ownership; true when waiters must be woken.
    fn give(&mut self, me: u64) -> bool {
        if self.owner != Some(me) {
            return false;
        }
        self.count = self.count.saturating_sub(1);
        if self.count == 0 {
            self.owner = None;
            return self.waiting > 0;
        }
        false
    }
}

/// Permits taken and given back: the state of a `Lock` (`LockObj`) and of a
/// `Semaphore` (`SemObj`), which differ only in their initial count.
struct Counter {
    count: i64,
    /// Threads waiting for a permit, woken one per release.
    waiting: u32,
    cv: Arc<Condvar>,
}

impl Counter {
    fn new(count: i64) -> Counter {
        Counter { count, waiting: 0, cv: Arc::default() }
    }
}

/// A native object holding a [`Counter`] (distinct types, so Haxe cannot pass a lock
/// where a semaphore is expected).
trait Counted: 'static {
    fn counter(&mut self) -> &mut Counter;
}

struct LockObj(Counter);
struct SemObj(Counter);

impl Counted for LockObj {
    fn counter(&mut self) -> &mut Counter {
        &mut self.0
    }
}

impl Counted for SemObj {
    fn counter(&mut self) -> &mut Counter {
        &mut self.0
    }
}

/// Gives back one permit of the `T` at `h`, waking one waiting thread.
fn counter_release<T: Counted>(vm: &mut Vm, h: u64) -> Result<u64, Exc> {
    let c = prim::<T>(vm, h)?.counter();
    c.count = c.count.saturating_add(1);
    if c.waiting > 0 {
        let cv = c.cv.clone();
        vm.notify(&cv, false);
    }
    Ok(0)
}

/// Takes a permit of the `T` at `h`: 1 when taken, 0 when none is free and `wait` is
/// false or `until` passed.
fn counter_take<T: Counted>(vm: &mut Vm, h: u64, until: Option<Instant>, wait: bool) -> Result<u64, Exc> {
    loop {
        let c = prim::<T>(vm, h)?.counter();
        if c.count > 0 {
            c.count -= 1;
            return Ok(1);
        }
        if !wait || timed_out(until) {
            return Ok(0);
        }
        c.waiting += 1;
        let cv = c.cv.clone();
        vm.wait_on(&cv, until);
        prim::<T>(vm, h)?.counter().waiting -= 1;
    }
}

struct CondObj {
    lock: Owned,
    /// Threads in `wait`, and wake-ups granted to them by `signal`/`broadcast`.
    waiters: u32,
    wakeups: u32,
    cv: Arc<Condvar>,
}

struct TlsObj(u32);

fn new_native(vm: &mut Vm, v: impl std::any::Any) -> u64 {
    vm.heap.alloc(Obj::Native(NativeObj::Opaque(Box::new(v).into()))) as u64
}

/// The primitive of type `T` behind handle `h`.
fn prim<T: 'static>(vm: &mut Vm, h: u64) -> Result<&mut T, Exc> {
    let ok = matches!(vm.heap.get(handle(h)), Some(Obj::Native(NativeObj::Opaque(b))) if b.is::<T>());
    if !ok {
        return Err(vm.null_access(None));
    }
    match vm.heap.get_mut(handle(h)) {
        Some(Obj::Native(NativeObj::Opaque(b))) => b.downcast_mut::<T>().ok_or(Exc::Internal("primitive changed type".into())),
        _ => Err(Exc::Internal("primitive vanished".into())),
    }
}

/// A `Null<Float>` timeout argument, in seconds.
fn timeout_arg(vm: &Vm, v: u64) -> Option<f64> {
    match vm.heap.get(handle(v)) {
        Some(Obj::Dyn { val, .. }) => Some(f64_of(*val)),
        _ => None,
    }
}

/// When a wait of `secs` seconds started now ends (far in the future for huge values;
/// now for negative or NaN ones).
fn deadline(secs: f64) -> Instant {
    let now = Instant::now();
    if secs.is_nan() || secs <= 0.0 {
        return now;
    }
    now.checked_add(Duration::from_secs_f64(secs.min(1e9))).unwrap_or(now + Duration::from_secs(1 << 30))
}

fn timed_out(d: Option<Instant>) -> bool {
    d.is_some_and(|d| Instant::now() >= d)
}

// ---------------------------------------------------------------------- threads

/// `thread_create(f) -> thread`: runs `f` on a new thread; null when the OS refuses.
fn thread_create(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let c = arg(a, 0);
    if c == 0 {
        return Err(vm.null_access(None));
    }
    Ok(vm.spawn_thread(c).map_or(0, u64::from))
}

/// `thread_current() -> thread`: the same handle on every call from one thread.
fn thread_current(vm: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    Ok(vm.current_thread_handle() as u64)
}

/// `thread_set_name(t, name)`: names the OS thread on HashLink; not observable here.
fn thread_set_name(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    prim::<ThreadHandle>(vm, arg(a, 0))?;
    Ok(0)
}

/// `thread_get_name(t) -> bytes`: null (see the module docs).
fn thread_get_name(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    prim::<ThreadHandle>(vm, arg(a, 0))?;
    Ok(0)
}

// ---------------------------------------------------------------------- tls

/// `tls_alloc(gcValue) -> tls`: a slot with one value per thread (null at first).
fn tls_alloc(vm: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    let id = vm.threads.next_tls;
    vm.threads.next_tls = id.wrapping_add(1);
    Ok(new_native(vm, TlsObj(id)))
}

fn tls_get(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let id = prim::<TlsObj>(vm, arg(a, 0))?.0;
    Ok(vm.threads.tls.get(&(id, vm.threads.current)).copied().unwrap_or(0))
}

fn tls_set(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let id = prim::<TlsObj>(vm, arg(a, 0))?.0;
    let key = (id, vm.threads.current);
    match arg(a, 1) {
        0 => vm.threads.tls.remove(&key),
        v => vm.threads.tls.insert(key, v),
    };
    Ok(0)
}

// ---------------------------------------------------------------------- lock

fn lock_create(vm: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    Ok(new_native(vm, LockObj(Counter::new(0))))
}

fn lock_release(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    counter_release::<LockObj>(vm, arg(a, 0))
}

/// `lock_wait(l, ?timeout) -> bool`.
fn lock_wait(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let until = timeout_arg(vm, arg(a, 1)).map(deadline);
    counter_take::<LockObj>(vm, arg(a, 0), until, true)
}

// ---------------------------------------------------------------------- mutex

fn mutex_alloc(vm: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    Ok(new_native(vm, Owned::default()))
}

/// Acquires the recursive lock `o` of the object at `h` (found by `get`), waiting as long
/// as another thread owns it.
fn acquire_owned(vm: &mut Vm, h: u64, get: fn(&mut Vm, u64) -> Result<&mut Owned, Exc>) -> Result<u64, Exc> {
    let me = vm.threads.current;
    loop {
        let o = get(vm, h)?;
        if o.try_take(me) {
            return Ok(0);
        }
        o.waiting += 1;
        let cv = o.cv.clone();
        vm.wait_on(&cv, None);
        get(vm, h)?.waiting -= 1;
    }
}

fn release_owned(vm: &mut Vm, h: u64, get: fn(&mut Vm, u64) -> Result<&mut Owned, Exc>) -> Result<u64, Exc> {
    let me = vm.threads.current;
    let o = get(vm, h)?;
    if o.give(me) {
        let cv = o.cv.clone();
        vm.notify(&cv, false);
    }
    Ok(0)
}

fn mutex_of(vm: &mut Vm, h: u64) -> Result<&mut Owned, Exc> {
    prim::<Owned>(vm, h)
}

fn mutex_acquire(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    acquire_owned(vm, arg(a, 0), mutex_of)
}

fn mutex_try_acquire(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let me = vm.threads.current;
    Ok(mutex_of(vm, arg(a, 0))?.try_take(me) as u64)
}

fn mutex_release(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    release_owned(vm, arg(a, 0), mutex_of)
}

// ---------------------------------------------------------------------- deque

fn deque_alloc(vm: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    Ok(vm.heap.alloc(Obj::Native(NativeObj::Deque(Box::default()))) as u64)
}

fn deque_of(vm: &mut Vm, h: u64) -> Result<&mut DequeObj, Exc> {
    if !matches!(vm.heap.get(handle(h)), Some(Obj::Native(NativeObj::Deque(_)))) {
        return Err(vm.null_access(None));
    }
    match vm.heap.get_mut(handle(h)) {
        Some(Obj::Native(NativeObj::Deque(q))) => Ok(q),
        _ => Err(Exc::Internal("deque vanished".into())),
    }
}

fn deque_put(vm: &mut Vm, a: &[u64], front: bool) -> Result<u64, Exc> {
    let v = arg(a, 1);
    let q = deque_of(vm, arg(a, 0))?;
    if front {
        q.items.push_front(v);
    } else {
        q.items.push_back(v);
    }
    if q.waiting > 0 {
        let cv = q.cv.clone();
        vm.notify(&cv, false);
    }
    Ok(0)
}

/// `deque_add(d, v)`: appends at the back.
fn deque_add(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    deque_put(vm, a, false)
}

/// `deque_push(d, v)`: inserts at the front.
fn deque_push(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    deque_put(vm, a, true)
}

/// `deque_pop(d, block)`: removes the front value; waits for one when `block`, else
/// null when empty.
fn deque_pop(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let h = arg(a, 0);
    let block = arg(a, 1) & 0xFF != 0;
    loop {
        let q = deque_of(vm, h)?;
        if let Some(v) = q.items.pop_front() {
            return Ok(v);
        }
        if !block {
            return Ok(0);
        }
        q.waiting += 1;
        let cv = q.cv.clone();
        vm.wait_on(&cv, None);
        deque_of(vm, h)?.waiting -= 1;
    }
}

// ---------------------------------------------------------------------- semaphore

/// `semaphore_alloc(value)`.
fn semaphore_alloc(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let n = i64::from(i32_of(arg(a, 0)));
    Ok(new_native(vm, SemObj(Counter::new(n))))
}

fn semaphore_acquire(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    counter_take::<SemObj>(vm, arg(a, 0), None, true).map(|_| 0)
}

/// `semaphore_try_acquire(s, ?timeout) -> bool`: no wait when `timeout` is null.
fn semaphore_try_acquire(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    match timeout_arg(vm, arg(a, 1)) {
        None => counter_take::<SemObj>(vm, arg(a, 0), None, false),
        Some(t) => counter_take::<SemObj>(vm, arg(a, 0), Some(deadline(t)), true),
    }
}

fn semaphore_release(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    counter_release::<SemObj>(vm, arg(a, 0))
}

// ---------------------------------------------------------------------- condition

fn condition_alloc(vm: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    Ok(new_native(vm, CondObj { lock: Owned::default(), waiters: 0, wakeups: 0, cv: Arc::default() }))
}

fn cond_lock(vm: &mut Vm, h: u64) -> Result<&mut Owned, Exc> {
    Ok(&mut prim::<CondObj>(vm, h)?.lock)
}

fn condition_acquire(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    acquire_owned(vm, arg(a, 0), cond_lock)
}

fn condition_try_acquire(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let me = vm.threads.current;
    Ok(cond_lock(vm, arg(a, 0))?.try_take(me) as u64)
}

fn condition_release(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    release_owned(vm, arg(a, 0), cond_lock)
}

/// Waits for a signal (until `until`), with the condition's lock released meanwhile
/// and taken back (as many times as it was held) after; true when signalled.
fn cond_wait(vm: &mut Vm, h: u64, until: Option<Instant>) -> Result<bool, Exc> {
    let me = vm.threads.current;
    let c = prim::<CondObj>(vm, h)?;
    let held = if c.lock.owner == Some(me) { std::mem::take(&mut c.lock.count) } else { 0 };
    if held > 0 {
        c.lock.owner = None;
        if c.lock.waiting > 0 {
            let cv = c.lock.cv.clone();
            vm.notify(&cv, false);
        }
    }
    let c = prim::<CondObj>(vm, h)?;
    c.waiters += 1;
    let signalled = loop {
        let c = prim::<CondObj>(vm, h)?;
        if c.wakeups > 0 {
            c.wakeups -= 1;
            break true;
        }
        if timed_out(until) {
            break false;
        }
        let cv = c.cv.clone();
        vm.wait_on(&cv, until);
    };
    let c = prim::<CondObj>(vm, h)?;
    c.waiters -= 1;
    c.wakeups = c.wakeups.min(c.waiters);
    if held > 0 {
        acquire_owned(vm, h, cond_lock)?;
        cond_lock(vm, h)?.count = held;
    }
    Ok(signalled)
}

fn condition_wait(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    cond_wait(vm, arg(a, 0), None).map(|_| 0)
}

/// `condition_timed_wait(c, seconds) -> bool`.
fn condition_timed_wait(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let until = deadline(f64_of(arg(a, 1)));
    cond_wait(vm, arg(a, 0), Some(until)).map(u64::from)
}

fn condition_signal(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let c = prim::<CondObj>(vm, arg(a, 0))?;
    if c.wakeups < c.waiters {
        c.wakeups += 1;
        let cv = c.cv.clone();
        vm.notify(&cv, true);
    }
    Ok(0)
}

fn condition_broadcast(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let c = prim::<CondObj>(vm, arg(a, 0))?;
    if c.wakeups < c.waiters {
        c.wakeups = c.waiters;
        let cv = c.cv.clone();
        vm.notify(&cv, true);
    }
    Ok(0)
}

// ---------------------------------------------------------------------- atomics
// Haxe code runs under the VM lock, so a read-modify-write through a `ref` is atomic.

fn rmw32(vm: &mut Vm, a: &[u64], f: impl FnOnce(i32) -> i32) -> Result<u64, Exc> {
    let r = arg(a, 0);
    let old = i32_of(vm.ref_read(r)?);
    vm.ref_write(r, from_i32(f(old)))?;
    Ok(from_i32(old))
}

fn atomic_add32(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let b = i32_of(arg(a, 1));
    rmw32(vm, a, |x| x.wrapping_add(b))
}
fn atomic_sub32(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let b = i32_of(arg(a, 1));
    rmw32(vm, a, |x| x.wrapping_sub(b))
}
fn atomic_and32(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let b = i32_of(arg(a, 1));
    rmw32(vm, a, |x| x & b)
}
fn atomic_or32(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let b = i32_of(arg(a, 1));
    rmw32(vm, a, |x| x | b)
}
fn atomic_xor32(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let b = i32_of(arg(a, 1));
    rmw32(vm, a, |x| x ^ b)
}
/// `atomic_exchange32(r, v) -> old`.
fn atomic_exchange32(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let b = i32_of(arg(a, 1));
    rmw32(vm, a, |_| b)
}
/// `atomic_compare_exchange32(r, expected, replacement) -> old`.
fn atomic_compare_exchange32(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let (e, n) = (i32_of(arg(a, 1)), i32_of(arg(a, 2)));
    rmw32(vm, a, |x| if x == e { n } else { x })
}
fn atomic_load32(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    Ok(from_i32(i32_of(vm.ref_read(arg(a, 0))?)))
}
/// `atomic_store32(r, v) -> v`.
fn atomic_store32(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let v = i32_of(arg(a, 1));
    vm.ref_write(arg(a, 0), from_i32(v))?;
    Ok(from_i32(v))
}

/// `atomic_compare_exchange_ptr(r, expected, replacement) -> old` (by identity).
fn atomic_compare_exchange_ptr(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let r = arg(a, 0);
    let old = vm.ref_read(r)?;
    if old == arg(a, 1) {
        vm.ref_write(r, arg(a, 2))?;
    }
    Ok(old)
}
fn atomic_exchange_ptr(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let r = arg(a, 0);
    let old = vm.ref_read(r)?;
    vm.ref_write(r, arg(a, 1))?;
    Ok(old)
}
fn atomic_load_ptr(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    vm.ref_read(arg(a, 0))
}
fn atomic_store_ptr(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    vm.ref_write(arg(a, 0), arg(a, 1))?;
    Ok(arg(a, 1))
}
