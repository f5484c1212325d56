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

/// The function table's entry (`Vm::jit_table`) of every function without compiled
/// code (natives, host functions, bytecode not compiled yet or refused): compiled code
/// calls it like a compiled entry, with `!(nargs << 32 | findex)` as the second
/// argument (negative, as for any normal call), and it calls the function through
/// [`call`].
pub(crate) unsafe extern "C" fn interpreted(vm: *mut Vm, arg: i64) -> u64 {
    let v = !arg as u64;
    // SAFETY: the caller's contract (see `guard`); the arguments are at `stack[sp..]`.
    unsafe { call(vm, v as u32, (v >> 32) as u32) }
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

/// The method a `CallMethod`/`CallThis` at `pc` of `cf` calls, with the op's registers
/// in the window at `base`: that of a class instance (its virtual table) or of an
/// interface view of one (when the method has the virtual field's signature), and the
/// instance to pass as its first argument.
///
/// # Safety
/// `cf` is alive (the running frame holds it).
unsafe fn find_method(vm: &mut Vm, cf: *const CompiledFn, base: usize, pc: u32) -> Option<(u32, u64)> {
    use crate::code::Op;
    // SAFETY: per the contract.
    let f = unsafe { &*cf };
    let (field, recv, dst) = match f.func.ops.get(pc as usize) {
        Some(Op::CallMethod { field, args, dst }) if !args.is_empty() => (*field, args[0], *dst),
        Some(Op::CallThis { field, dst, .. }) => (*field, 0, *dst),
        _ => return None,
    };
    let r = vm.stack[base + recv as usize];
    if let Some(fi) = vm.vtable_fn(r, field) {
        return Some((fi, r));
    }
    let (rty, ret) = (f.func.regs[recv as usize], f.func.regs[dst as usize]);
    vm.interface_fn(r, rty, field, ret)
}

/// For a `CallMethod`/`CallThis` at `pc` of `cf` whose call site's cache `site`
/// missed, with the op's registers in the window at `base`: the compiled entry of
/// the method it calls ([`find_method`]), with the instance to pass first left in
/// `Vm::jit_bound`, and remembered in the [`MethodCache`] for call site `site`; 0
/// when there is none (the method is interpreted, or the op needs the interpreter;
/// compiled code then runs the op there).
///
/// # Safety
/// `cf` is alive (the running frame holds it).
pub(super) unsafe extern "C" fn method_entry(vm: *mut Vm, cf: *const CompiledFn, base: u64, pc: u32, site: u32) -> u64 {
    // SAFETY: see `guard`; `cf` per the contract.
    unsafe {
        guard(vm, 0, |vm| {
            let Some((fi, inst)) = find_method(vm, cf, base as usize, pc) else { return 0 };
            let code = match vm.funcs.get(fi as usize) {
                Some(crate::module::FnSlot::Bytecode(c)) => c.jit.code.get(),
                _ => 0,
            };
            let Some(&crate::gc::Obj::Instance { ty, .. }) = vm.heap.get(inst as u32) else { return 0 };
            if code == 0 {
                return 0;
            }
            if let Some(jit) = vm.jit.as_mut() {
                jit.methods.fill(ty, site, code);
            }
            vm.jit_bound = inst;
            code as u64
        })
    }
}

/// One entry of the [`MethodCache`]: a call site and class ([`MethodCache::key`]; 0:
/// empty) and the compiled entry that site calls for instances of that class.
#[repr(C)]
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct MethodEntry {
    pub key: u64,
    pub code: usize,
}

/// The method call sites' inline cache, shared by all compiled code of a VM: a
/// direct-mapped table from (call site, class of the instance) to the compiled entry
/// of the method that site calls on it, which compiled code probes inline (one hashed
/// entry) before asking [`method_entry`]. Each `CallMethod`/`CallThis` translated gets
/// a site number of its own, so that a site calling several classes (a loop over an
/// `Array<Base>` or `Array<Interface>`) keeps one entry per class. Filled with compiled
/// entries only, and emptied whenever the function table or the virtual tables change
/// (load of host functions, hot reload: [`super::Jit::tables_changed`]), so that an
/// entry is always the one the tables give.
#[derive(Debug)]
pub(crate) struct MethodCache {
    entries: Box<[MethodEntry]>,
    next_site: u32,
}

impl Default for MethodCache {
    fn default() -> MethodCache {
        // Zeroed memory: the pages of entries never filled are never touched.
        MethodCache { entries: vec![MethodEntry::default(); 1 << MethodCache::BITS].into_boxed_slice(), next_site: 0 }
    }
}

impl MethodCache {
    /// `2^BITS` entries (16 bytes each: 64 KB).
    pub const BITS: u32 = 12;
    /// Fibonacci hashing of the site number: where its classes' entries start.
    const HASH: u32 = 0x9E37_79B9;

    /// The key of instances of class `ty` at call site `site`: `site << 32` plus
    /// `ty + 1` (one addition of a constant in compiled code), never 0 and distinct
    /// for distinct pairs since `site` is below `u32::MAX` ([`MethodCache::reserve`]).
    pub(crate) fn key(ty: u32, site: u32) -> u64 {
        debug_assert!(site < u32::MAX);
        ((site as u64) << 32) + ty as u64 + 1
    }

    /// Where the entries of call site `site` start: the entry of class `ty` is
    /// `(ty + offset(site)) mod 2^BITS` (compiled code computes the same), so that the
    /// classes one site calls, often close type indices, take distinct entries, and
    /// that finding one takes no multiplication.
    pub(crate) fn offset(site: u32) -> u32 {
        site.wrapping_mul(MethodCache::HASH) >> (32 - MethodCache::BITS)
    }

    fn index(ty: u32, site: u32) -> usize {
        (ty.wrapping_add(MethodCache::offset(site)) & ((1 << MethodCache::BITS) - 1)) as usize
    }

    /// The address of the first entry (it never moves).
    pub(crate) fn base(&self) -> usize {
        self.entries.as_ptr() as usize
    }

    /// A new call site's number (unique and below `u32::MAX`: see
    /// [`MethodCache::reserve`]).
    pub(crate) fn new_site(&mut self) -> u32 {
        let s = self.next_site;
        self.next_site = self.next_site.saturating_add(1);
        s
    }

    /// Whether `n` more call sites can have numbers of their own (a function with more
    /// is left to the interpreter rather than share a number: a shared one would
    /// call another site's method).
    pub(crate) fn reserve(&self, n: usize) -> bool {
        (u32::MAX - self.next_site) as usize >= n
    }

    /// Remembers that `site` calls `code` for instances of class `ty`.
    pub(crate) fn fill(&mut self, ty: u32, site: u32, code: usize) {
        let key = MethodCache::key(ty, site);
        self.entries[MethodCache::index(ty, site)] = MethodEntry { key, code };
    }

    /// Empties every entry (the tables changed).
    pub(crate) fn clear(&mut self) {
        self.entries.fill(MethodEntry::default());
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

#[cfg(test)]
mod tests {
    use super::{MethodCache, MethodEntry};

    /// The entry compiled code reads for class `ty` at `site`: the one at
    /// `(ty + offset(site)) mod 2^BITS`, a hit only when its key is `key(ty, site)`.
    fn probe(c: &MethodCache, ty: u32, site: u32) -> Option<usize> {
        let i = (ty.wrapping_add(MethodCache::offset(site)) & ((1 << MethodCache::BITS) - 1)) as usize;
        let e: MethodEntry = c.entries[i];
        (e.key == MethodCache::key(ty, site)).then_some(e.code)
    }

    #[test]
    fn keys_are_distinct_and_never_empty() {
        // Site numbers stop below u32::MAX (`reserve`): key(u32::MAX, u32::MAX) would be 0.
        let last = u32::MAX - 1;
        let cases = [(0, 0), (1, 0), (0, 1), (u32::MAX, 0), (0, last), (u32::MAX - 1, 7), (u32::MAX, last), (u32::MAX, last - 1)];
        for (i, &(t1, s1)) in cases.iter().enumerate() {
            assert_ne!(MethodCache::key(t1, s1), 0, "key({t1}, {s1}) is the empty key");
            for &(t2, s2) in &cases[i + 1..] {
                assert_ne!(MethodCache::key(t1, s1), MethodCache::key(t2, s2), "({t1}, {s1}) and ({t2}, {s2}) share a key");
            }
        }
    }

    #[test]
    fn colliding_classes_replace_each_other_without_false_hits() {
        let mut c = MethodCache::default();
        let (a, b) = (c.new_site(), c.new_site());
        // Two classes of one site, and a class of another site, on the same entry.
        let n = 1u32 << MethodCache::BITS;
        let t1 = 5;
        let t2 = t1 + n;
        let t3 = (t1.wrapping_add(MethodCache::offset(a)).wrapping_sub(MethodCache::offset(b))) & (n - 1);
        c.fill(t1, a, 0x1000);
        assert_eq!(probe(&c, t1, a), Some(0x1000));
        assert_eq!(probe(&c, t2, a), None);
        assert_eq!(probe(&c, t3, b), None);
        c.fill(t2, a, 0x2000);
        assert_eq!(probe(&c, t1, a), None);
        assert_eq!(probe(&c, t2, a), Some(0x2000));
        c.fill(t3, b, 0x3000);
        assert_eq!(probe(&c, t3, b), Some(0x3000));
        assert_eq!(probe(&c, t2, a), None);
        // Classes of one site that do not collide keep their own entries.
        c.fill(t1 + 1, a, 0x4000);
        assert_eq!(probe(&c, t1 + 1, a), Some(0x4000));
        assert_eq!(probe(&c, t3, b), Some(0x3000));
        c.clear();
        assert_eq!(probe(&c, t1 + 1, a), None);
        assert_eq!(probe(&c, t3, b), None);
    }

    #[test]
    fn site_numbers_run_out_instead_of_wrapping() {
        let mut c = MethodCache { next_site: u32::MAX - 2, ..MethodCache::default() };
        assert!(c.reserve(2));
        assert!(!c.reserve(3));
        assert_eq!(c.new_site(), u32::MAX - 2);
        assert_eq!(c.new_site(), u32::MAX - 1);
        assert!(!c.reserve(1));
        assert!(c.reserve(0));
    }
}
