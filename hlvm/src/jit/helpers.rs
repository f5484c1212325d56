//! HELPERS: the Rust functions compiled code calls, with the C calling convention.
//!
//! Every helper receives the VM as `*mut Vm`. Compiled code only runs inside
//! [`super::invoke`], which is given `&mut Vm`; while it runs, the VM is reached only
//! through that pointer (compiled code, then helpers, one at a time), so each helper
//! may turn it back into `&mut Vm` for its own duration.
//!
//! No Rust panic may unwind into compiled code (its frames have no unwind tables):
//! each helper body runs under [`guard`], which turns a panic into a pending
//! `Exc::Internal`. Failures are reported the same way as exceptions: the helper
//! stores the [`Exc`] with [`Vm::jit_fail`] and compiled code, which tests
//! `Vm::jit_exc` after every helper that can fail, unwinds by returning.

use crate::interp::Cmp;
use crate::module::CompiledFn;
use crate::vm::{Exc, Frame, Vm};

/// Runs `body` on the VM behind `vm`; a panic becomes a pending internal error and
/// `on_panic` is returned.
///
/// # Safety
/// `vm` is the pointer [`super::invoke`] handed to compiled code, and no other
/// reference to the VM is in use while the helper runs.
#[inline(always)]
unsafe fn guard<R>(vm: *mut Vm, on_panic: R, body: impl FnOnce(&mut Vm) -> R) -> R {
    // SAFETY: guaranteed by the caller (see the module docs).
    let vm = unsafe { &mut *vm };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| body(&mut *vm))) {
        Ok(r) => r,
        Err(p) => {
            let what = p.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| p.downcast_ref::<String>().cloned());
            vm.jit_fail(Exc::Internal(format!("VM bug: {}", what.unwrap_or_else(|| "panic".into()))));
            on_panic
        }
    }
}

/// Function entry when the inline fast path cannot take it (the stack is full, or
/// this is the slow path chosen by the translator): takes the register window at `vm.sp` (arguments already in its
/// first slots), zeroes the other registers, pushes the frame and runs a GC safepoint.
/// Returns the frame, or null with `Stack overflow` pending.
///
/// # Safety
/// `cf` points to the `CompiledFn` whose code calls this, owned by an `Rc` that is
/// alive (the function table's slot or a frame's).
pub(super) unsafe extern "C" fn enter(vm: *mut Vm, cf: *const CompiledFn) -> *mut Frame {
    // SAFETY: see `guard`.
    unsafe {
        guard(vm, std::ptr::null_mut(), |vm| {
            // SAFETY: `cf` is alive (caller's contract).
            let f = &*cf;
            let nregs = f.kinds.len();
            let base = vm.sp;
            if base + nregs > vm.stack.len() || vm.frames.len() >= vm.max_depth || crate::vm::native_sp() < vm.stack_limit {
                let e = vm.throw_msg("Stack overflow");
                vm.jit_fail(e);
                return std::ptr::null_mut();
            }
            vm.sp += nregs;
            vm.stack[base + f.nargs.min(nregs)..base + nregs].fill(0);
            vm.frames.push(Frame { fun: cf, base, pc: 0 });
            if vm.heap.should_collect() || vm.preempt_requested() {
                vm.safepoint();
            }
            // Frames never move (see `FrameStack`).
            match vm.frames.last_mut() {
                Some(fr) => fr as *mut Frame,
                None => std::ptr::null_mut(),
            }
        })
    }
}

/// The current frame, for a call entered in the middle (on-stack replacement): the
/// interpreter pushed it.
pub(super) unsafe extern "C" fn current_frame(vm: *mut Vm) -> *mut Frame {
    // SAFETY: see `guard`.
    unsafe { guard(vm, std::ptr::null_mut(), |vm| vm.frames.last_mut().map_or(std::ptr::null_mut(), |f| f as *mut Frame)) }
}

/// A function with a lazy frame found no room to push it: `Stack overflow`.
pub(super) unsafe extern "C" fn overflow(vm: *mut Vm) {
    // SAFETY: see `guard`.
    unsafe {
        guard(vm, (), |vm| {
            let e = vm.throw_msg("Stack overflow");
            vm.jit_fail(e);
        })
    }
}

/// Calls function `findex` with the `nargs` arguments at `stack[sp..]` through the
/// function table (natives, host functions, interpreted bytecode).
pub(super) unsafe extern "C" fn call(vm: *mut Vm, findex: u32, nargs: u32) -> u64 {
    // SAFETY: see `guard`.
    unsafe {
        guard(vm, 0, |vm| {
            let sp = vm.sp;
            let n = nargs as usize;
            let mut buf = [0u64; 8];
            let args: Vec<u64>;
            let a: &[u64] = if n <= 8 {
                // One 8-byte load per slot: compiled code has just stored each one, and a
                // wider load (`memcpy`'s) spanning several of those stores waits for
                // them to reach the cache (6 % of `strings`).
                for (b, w) in buf.iter_mut().zip(&vm.stack[sp..sp + n]) {
                    // SAFETY: `w` is a valid reference; the volatile read only keeps the
                    // loads one slot wide.
                    *b = std::ptr::read_volatile(w);
                }
                &buf[..n]
            } else {
                args = vm.stack[sp..sp + n].to_vec();
                &args
            };
            match vm.call(findex, a) {
                Ok(v) => v,
                Err(e) => {
                    vm.jit_fail(e);
                    0
                }
            }
        })
    }
}

/// Runs the op at `pc` of `cf` in the interpreter, on the window at `base`; 1 when it
/// raised an exception (pending).
///
/// # Safety
/// `cf` is alive (the running frame holds it).
pub(super) unsafe extern "C" fn op(vm: *mut Vm, cf: *const CompiledFn, base: u64, pc: u32) -> u32 {
    // SAFETY: see `guard`; `cf` per the contract.
    unsafe {
        guard(vm, 1, |vm| match vm.exec_one(&*cf, base as usize, pc as usize) {
            Ok(()) => 0,
            Err(e) => {
                vm.jit_fail(e);
                1
            }
        })
    }
}

/// The rest of the call of `cf` (a function with a lazy frame, its frame pushed and
/// every register in the window at `base`), run by the interpreter from op `pc`:
/// its result slot, or 0 with an exception pending.
///
/// # Safety
/// `cf` is alive (the running frame holds it).
pub(super) unsafe extern "C" fn finish(vm: *mut Vm, cf: *const CompiledFn, base: u64, pc: u32) -> u64 {
    // SAFETY: see `guard`; `cf` per the contract.
    unsafe {
        guard(vm, 0, |vm| match vm.exec_rest(&*cf, base as usize, pc as usize) {
            Ok(v) => v,
            Err(e) => {
                vm.jit_fail(e);
                0
            }
        })
    }
}

/// The comparison of the jump at `pc` of `cf` on non-numeric registers, with the
/// interpreter's rules (`Reflect.compare`-like for `Dynamic`, `__compare` methods...):
/// 1 taken, 0 not, 2 exception pending.
///
/// # Safety
/// `cf` is alive (the running frame holds it).
pub(super) unsafe extern "C" fn compare(vm: *mut Vm, cf: *const CompiledFn, a: u64, b: u64, pc: u32) -> u32 {
    // SAFETY: see `guard`; `cf` per the contract.
    unsafe {
        guard(vm, 2, |vm| {
            let f = &*cf;
            let Some((ra, rb, c, negate)) = f.func.ops.get(pc as usize).and_then(compare_of) else {
                vm.jit_fail(Exc::Internal(format!("op {pc} is not a comparison")));
                return 2;
            };
            let (k, ty, tb) = (f.kinds[ra as usize], f.func.regs[ra as usize], f.func.regs[rb as usize]);
            match vm.cmp_op(k, ty, tb, a, b, c) {
                Ok(r) => (r != negate) as u32,
                Err(e) => {
                    vm.jit_fail(e);
                    2
                }
            }
        })
    }
}

/// The value of a helper below that can fail: `Ok(v)` is `v`; an error is made
/// pending ([`Vm::jit_fail`]) and 0 returned (compiled code tests `Vm::jit_exc`).
#[inline(always)]
fn value_or_fail(vm: &mut Vm, r: Result<u64, Exc>) -> u64 {
    r.unwrap_or_else(|e| {
        vm.jit_fail(e);
        0
    })
}

/// `ONew` of type `ty` ([`Vm::new_object`]).
pub(super) unsafe extern "C" fn new_object(vm: *mut Vm, ty: u32) -> u64 {
    // SAFETY: see `guard`.
    unsafe {
        guard(vm, 0, |vm| {
            let r = vm.new_object(ty);
            value_or_fail(vm, r)
        })
    }
}

/// `OToDyn` of `v` (slot form) of static type `ty` ([`Vm::to_dyn`]).
pub(super) unsafe extern "C" fn to_dyn(vm: *mut Vm, v: u64, ty: u32) -> u64 {
    // SAFETY: see `guard`.
    unsafe { guard(vm, 0, |vm| vm.to_dyn(v, ty)) }
}

/// `OSafeCast` (and the conversions of `OToVirtual`/`OUnsafeCast` that are not
/// reinterpretations) of `v` from type `from` to type `to` ([`Vm::cast`]).
pub(super) unsafe extern "C" fn cast(vm: *mut Vm, v: u64, from: u32, to: u32) -> u64 {
    // SAFETY: see `guard`.
    unsafe {
        guard(vm, 0, |vm| {
            let r = vm.cast(v, from, to);
            value_or_fail(vm, r)
        })
    }
}

/// `OGetType`: the run-time type of `v` (static type `ty`) as a type value (index + 1).
pub(super) unsafe extern "C" fn runtime_type(vm: *mut Vm, v: u64, ty: u32) -> u64 {
    // SAFETY: see `guard`.
    unsafe { guard(vm, 0, |vm| vm.runtime_type(v, ty) as u64 + 1) }
}

/// `OGetTID`: the kind number of type value `t` ([`Vm::type_kind_id`]).
pub(super) unsafe extern "C" fn type_kind(vm: *mut Vm, t: u64) -> u64 {
    // SAFETY: see `guard`.
    unsafe { guard(vm, 0, |vm| vm.type_kind_id(t) as u64) }
}

/// `ODynGet`: field `name` (string constant) of `o`, converted to type `want`.
pub(super) unsafe extern "C" fn dyn_get(vm: *mut Vm, o: u64, name: u32, want: u32) -> u64 {
    // SAFETY: see `guard`.
    unsafe {
        guard(vm, 0, |vm| {
            let r = vm.dyn_get_named(o, name, want);
            value_or_fail(vm, r)
        })
    }
}

/// `ODynSet`: field `name` (string constant) of `o` := `v` of type `vty`.
pub(super) unsafe extern "C" fn dyn_set(vm: *mut Vm, o: u64, name: u32, v: u64, vty: u32) {
    // SAFETY: see `guard`.
    unsafe {
        guard(vm, (), |vm| {
            if let Err(e) = vm.dyn_set_named(o, name, v, vty) {
                vm.jit_fail(e);
            }
        })
    }
}

/// The two registers, comparison and negation of a comparing jump.
pub(super) fn compare_of(op: &crate::code::Op) -> Option<(u32, u32, Cmp, bool)> {
    use crate::code::Op;
    Some(match op {
        Op::JSLt { a, b, .. } => (*a, *b, Cmp::Lt, false),
        Op::JSGte { a, b, .. } => (*a, *b, Cmp::Gte, false),
        Op::JSGt { a, b, .. } => (*a, *b, Cmp::Gt, false),
        Op::JSLte { a, b, .. } => (*a, *b, Cmp::Lte, false),
        Op::JNotLt { a, b, .. } => (*a, *b, Cmp::Lt, true),
        Op::JNotGte { a, b, .. } => (*a, *b, Cmp::Gte, true),
        Op::JEq { a, b, .. } => (*a, *b, Cmp::Eq, false),
        Op::JNotEq { a, b, .. } => (*a, *b, Cmp::Eq, true),
        _ => return None,
    })
}

/// `throw v`: records the call stack, then unwinds.
pub(super) unsafe extern "C" fn throw(vm: *mut Vm, v: u64) {
    // SAFETY: see `guard`.
    unsafe {
        guard(vm, (), |vm| {
            let e = vm.throw_value(v);
            vm.jit_fail(e);
        })
    }
}

/// `rethrow v`: unwinds keeping the recorded call stack.
pub(super) unsafe extern "C" fn rethrow(vm: *mut Vm, v: u64) {
    // SAFETY: see `guard`.
    unsafe { guard(vm, (), |vm| vm.jit_fail(Exc::Throw(v))) }
}

/// Takes the pending exception for a handler: its value, with `jit_exc` cleared. An
/// exit or internal error stays pending (no handler catches those).
pub(super) unsafe extern "C" fn catch(vm: *mut Vm) -> u64 {
    // SAFETY: see `guard`.
    unsafe {
        guard(vm, 0, |vm| match vm.jit_pending.take() {
            Some(Exc::Throw(v)) => {
                vm.jit_exc = 0;
                v
            }
            other => {
                vm.jit_pending = other;
                0
            }
        })
    }
}

/// A safepoint that found a collection due or another thread asking for the VM
/// (see `crate::threads`).
pub(super) unsafe extern "C" fn collect(vm: *mut Vm) {
    // SAFETY: see `guard`.
    unsafe { guard(vm, (), |vm| vm.safepoint()) }
}

/// Float remainder (C `fmod`), as the interpreter computes `%` on `Float`.
pub(super) extern "C" fn fmod(a: f64, b: f64) -> f64 {
    a % b
}

/// `Single` remainder (C `fmodf`).
pub(super) extern "C" fn fmodf(a: f32, b: f32) -> f32 {
    a % b
}

/// The function a `CallMethod`/`CallThis` at `pc` of `cf` runs on receiver `recv` when
/// no conversion is needed: a class instance's virtual table, or an interface (virtual)
/// view of one whose method has the field's signature; the receiver to pass is left in
/// `Vm::jit_bound`. `u32::MAX` otherwise (the interpreter handles the rest). An
/// interface hit is remembered in the call site's cache `site` (see [`SiteCache`]).
///
/// # Safety
/// `cf` is alive (the running frame holds it); `site` points to the call site's cache.
pub(super) unsafe extern "C" fn method(vm: *mut Vm, cf: *const CompiledFn, recv: u64, pc: u32, site: *mut SiteCache) -> u32 {
    // SAFETY: see `guard`; `cf` per the contract.
    unsafe {
        guard(vm, u32::MAX, |vm| {
            use crate::code::Op;
            let f = &*cf;
            let (field, rreg, dst) = match f.func.ops.get(pc as usize) {
                Some(Op::CallMethod { field, args, dst }) if !args.is_empty() => (*field, args[0], *dst),
                Some(Op::CallThis { field, dst, .. }) => (*field, 0, *dst),
                _ => return u32::MAX,
            };
            if let Some(fi) = vm.vtable_fn(recv, field) {
                vm.jit_bound = recv;
                return fi;
            }
            let (rty, ret) = (f.func.regs[rreg as usize], f.func.regs[dst as usize]);
            match vm.interface_fn(recv, rty, field, ret) {
                Some((fi, inst)) => {
                    vm.jit_bound = inst;
                    if let Some(crate::gc::Obj::Instance { ty, .. }) = vm.heap.get(inst as u32) {
                        // SAFETY: `site` is the call site's cache (caller's contract).
                        (*site).fill(vm.jit_epoch, ty + 1, fi);
                    }
                    fi
                }
                None => u32::MAX,
            }
        })
    }
}

/// A method call site's inline cache (receiver of a class type, or of a virtual type
/// viewing an instance): the class (instance type index; [`MethodSite::EMPTY`]: none)
/// the site last called, with the entry of that class's method, which compiled code
/// then calls without reading the virtual table and the function table. Filled by
/// compiled code with compiled entries only, and emptied by [`Vm::sync_jit`] whenever
/// the function table or the virtual tables change (load of host functions, hot
/// reload), so that an entry is always the one the tables give.
#[repr(C)]
#[derive(Debug)]
pub(crate) struct MethodSite {
    pub ty: u32,
    pub code: usize,
}

impl MethodSite {
    /// The `ty` of an empty site: no instance type has this index.
    pub const EMPTY: u32 = u32::MAX;
}

impl Default for MethodSite {
    fn default() -> MethodSite {
        MethodSite { ty: MethodSite::EMPTY, code: 0 }
    }
}

/// The call-site caches one compiled function's code refers to by address: they live
/// as long as the [`super::Jit`] that owns the code.
#[derive(Debug, Default)]
// Boxed: the code holds each cache's address, which must not move as the lists grow.
#[allow(clippy::vec_box)]
pub(crate) struct Caches {
    pub iface: Vec<Box<SiteCache>>,
    pub method: Vec<Box<MethodSite>>,
}

impl Caches {
    pub(crate) fn extend(&mut self, other: Caches) {
        self.iface.extend(other.iface);
        self.method.extend(other.method);
    }

    /// Empties every method site (the tables changed).
    pub(crate) fn clear_methods(&mut self) {
        for s in &mut self.method {
            **s = MethodSite::default();
        }
    }
}

/// An interface call site's inline cache: [`SiteCache::WAYS`] entries of `(key, method)`
/// where `key` is the viewed object's class (type + 1; 0: empty), all valid for the
/// reload epoch `epoch`. A class goes to its own entry, [`SiteCache::way`]`(key)`, which
/// compiled code looks at first; when that is taken by another class, to a free one,
/// which compiled code finds by reading them all. A site that sees up to `WAYS` classes
/// (a loop over an `Array<Interface>`) keeps them all.
#[repr(C)]
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct SiteCache {
    pub epoch: u32,
    pub entries: [SiteEntry; SiteCache::WAYS],
}

/// One entry of a [`SiteCache`].
#[repr(C)]
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct SiteEntry {
    pub key: u32,
    pub fun: u32,
}

impl SiteCache {
    /// Number of entries: `2^WAY_BITS`.
    pub const WAYS: usize = 1 << SiteCache::WAY_BITS;
    pub const WAY_BITS: u32 = 3;
    /// Fibonacci hashing: the top `WAY_BITS` bits of `key * HASH` (32-bit) pick the
    /// entry, so that type indices in arithmetic progression (classes are often 4 or 8
    /// types apart) spread over the entries.
    pub const HASH: u32 = 0x9E37_79B9;

    /// The entry of class key `key` (compiled code computes the same).
    pub(crate) fn way(key: u32) -> usize {
        (key.wrapping_mul(SiteCache::HASH) >> (32 - SiteCache::WAY_BITS)) as usize
    }

    /// Remembers that class key `key` runs `fun`, in epoch `epoch` (entries of an
    /// older epoch are dropped).
    pub(crate) fn fill(&mut self, epoch: u32, key: u32, fun: u32) {
        if self.epoch != epoch {
            self.entries = Default::default();
            self.epoch = epoch;
        }
        // The entry already holding `key`, else its own entry when free, else a free one,
        // else its own (replacing another class).
        let own = SiteCache::way(key);
        let at = self
            .entries
            .iter()
            .position(|e| e.key == key)
            .or_else(|| (self.entries[own].key == 0).then_some(own))
            .or_else(|| self.entries.iter().position(|e| e.key == 0))
            .unwrap_or(own);
        self.entries[at] = SiteEntry { key, fun };
    }
}

/// For a `CallClosure` through a register of function type `fty`: the closure's
/// function when no argument conversion is needed, with bit 32 set when it has a bound
/// first argument (left in `Vm::jit_bound`); `u64::MAX` otherwise.
pub(super) unsafe extern "C" fn closure(vm: *mut Vm, c: u64, fty: u32) -> u64 {
    // SAFETY: see `guard`.
    unsafe {
        guard(vm, u64::MAX, |vm| match vm.closure_direct(c, fty) {
            Some((f, None)) => f as u64,
            Some((f, Some(b))) => {
                vm.jit_bound = b;
                f as u64 | 1 << 32
            }
            None => u64::MAX,
        })
    }
}
