//! `interp`: the bytecode interpreter.
//!
//! Each call of a bytecode function takes a window of `nregs` slots on the VM's
//! register stack (`Vm::stack`), pushes a [`crate::vm::Frame`] (for stack traces and
//! GC root scanning) and runs [`Vm::exec`]. Exceptions travel as `Err(Exc::Throw)`;
//! `Trap` handlers are kept per call in a small local list, so no Rust unwinding is
//! involved. Safepoints (a collection, or letting another Haxe thread run: see
//! `crate::threads`): function entry and backward jumps.

use std::rc::Rc;

use crate::code::{Op, Type};
use crate::gc::Obj;
use crate::module::{CompiledFn, FnSlot, Kind};
use crate::value::*;
use crate::vm::{Exc, Frame, Vm};

impl Vm {
    /// Calls function index `f` with `args` (register format). Every call goes
    /// through the function table.
    ///
    /// # Errors
    /// The exception or exit the callee raised.
    pub fn call(&mut self, f: u32, args: &[u64]) -> Result<u64, Exc> {
        let slot = match self.funcs.get(f as usize) {
            Some(s) => s.clone(),
            None => return Err(Exc::Internal(format!("call to undefined function {f}"))),
        };
        match slot {
            FnSlot::Bytecode(cf) => self.run_fn(&cf, args),
            FnSlot::Native(nf) => nf(self, args),
            FnSlot::Host(h) => h(self, f, args),
        }
    }

    fn run_fn(&mut self, f: &Rc<CompiledFn>, args: &[u64]) -> Result<u64, Exc> {
        if self.jit.is_some() {
            if let Some(code) = self.jit_code_for(f) {
                return self.run_jit(f, code, args);
            }
        }
        let nregs = f.kinds.len();
        let base = self.sp;
        if base + nregs > self.stack.len() || self.frames.len() >= self.max_depth || crate::vm::native_sp() < self.stack_limit {
            return Err(self.throw_msg("Stack overflow"));
        }
        self.sp += nregs;
        let regs = &mut self.stack[base..base + nregs];
        regs.fill(0);
        let n = args.len().min(f.nargs).min(nregs);
        regs[..n].copy_from_slice(&args[..n]);
        self.frames.push(Frame { fun: Rc::as_ptr(f), base, pc: 0 });
        if self.heap.should_collect() || self.preempt_requested() {
            self.safepoint();
        }
        let r = self.exec(f, base);
        self.frames.pop();
        self.sp = base;
        r
    }

    /// The compiled code of `f`, compiling it now when it became hot (tiered mode) or
    /// at its first call (eager mode); `None` keeps it interpreted.
    #[inline]
    fn jit_code_for(&mut self, f: &Rc<CompiledFn>) -> Option<usize> {
        let code = f.jit.code.get();
        if code != 0 {
            return Some(code);
        }
        if f.jit.failed.get() {
            return None;
        }
        let n = f.jit.hot.get().saturating_add(1);
        f.jit.hot.set(n);
        if n <= self.jit_threshold {
            return None;
        }
        self.jit_compile(f)
    }

    fn exec(&mut self, f: &Rc<CompiledFn>, base: usize) -> Result<u64, Exc> {
        let mut traps: Vec<(u32, u32)> = Vec::new();
        let mut pc = 0usize;
        let mut stop = usize::MAX;
        loop {
            match self.exec_ops(f, base, &mut pc, &mut traps, &mut stop) {
                Ok(v) => {
                    let Some(target) = self.osr_target.take() else { return Ok(v) };
                    // A hot loop: continue this call in compiled code at the loop head.
                    stop = usize::MAX;
                    if let Some(code) = self.jit_compile(f) {
                        // SAFETY: `code` is `f`'s compiled entry; this frame is `f`'s,
                        // current, with its registers in the window at `base`.
                        let r = unsafe { crate::jit::invoke(code, self, target as i64) };
                        return self.jit_result(r);
                    }
                }
                Err(e) => {
                    self.place_exc_top(pc.saturating_sub(1));
                    match (e, traps.pop()) {
                        (Exc::Throw(v), Some((r, target))) => {
                            self.stack[base + r as usize] = v;
                            pc = target as usize;
                        }
                        (e, _) => return Err(e),
                    }
                }
            }
        }
    }

    /// Runs `f`'s current frame (window at `base`) from op `pc` to its return, the way
    /// the interpreter does: compiled code of a function without loops, calls or
    /// handlers hands its call over here when an op leaves its fast path.
    pub(crate) fn exec_rest(&mut self, f: &CompiledFn, base: usize, pc: usize) -> Result<u64, Exc> {
        let mut pcr = pc;
        let mut stop = usize::MAX;
        let mut traps = Vec::new();
        let r = self.exec_ops(f, base, &mut pcr, &mut traps, &mut stop);
        if r.is_err() {
            self.place_exc_top(pcr.saturating_sub(1));
        }
        r
    }

    /// After an exception left `exec_ops`: when the top frame of its stack trace is
    /// still to be placed, it is at op `pc`.
    fn place_exc_top(&mut self, pc: usize) {
        if self.exc_top_pending {
            self.exc_top_pending = false;
            if let Some(top) = self.exc_stack.first_mut() {
                top.1 = pc as u32;
            }
        }
    }

    /// Runs one op of `f` (at `pc`, in the frame whose window starts at `base`) the
    /// way the interpreter does; compiled code calls this for the ops it does not
    /// translate itself. Never a jump, `Ret` or trap op.
    pub(crate) fn exec_one(&mut self, f: &CompiledFn, base: usize, pc: usize) -> Result<(), Exc> {
        let mut pcr = pc;
        let mut stop = pc + 1;
        let mut traps = Vec::new();
        let r = self.exec_ops(f, base, &mut pcr, &mut traps, &mut stop).map(|_| ());
        if r.is_err() {
            self.place_exc_top(pc);
        }
        r
    }

    #[inline]
    fn set_pc(&mut self, pc: usize) {
        if let Some(fr) = self.frames.last_mut() {
            fr.pc = pc as u32;
        }
    }

    #[allow(clippy::cognitive_complexity)]
    fn exec_ops(
        &mut self,
        f: &CompiledFn,
        base: usize,
        pcr: &mut usize,
        traps: &mut Vec<(u32, u32)>,
        stop: &mut usize,
    ) -> Result<u64, Exc> {
        let ops = &f.func.ops;
        let kinds = &f.kinds;
        let regty = &f.func.regs;
        macro_rules! r {
            ($x:expr) => {
                self.stack[base + $x as usize]
            };
        }
        macro_rules! args {
            ($a:expr) => {{
                let mut buf = [0u64; 8];
                let a: &[u32] = $a;
                if a.len() <= 8 {
                    for (i, &x) in a.iter().enumerate() {
                        buf[i] = r!(x);
                    }
                    ArgBuf::Small(buf, a.len())
                } else {
                    ArgBuf::Big(a.iter().map(|&x| r!(x)).collect())
                }
            }};
        }
        loop {
            let pc = *pcr;
            if pc == *stop {
                return Ok(0);
            }
            let Some(op) = ops.get(pc) else {
                return Err(Exc::Internal(format!("function {} ran past its end", f.func.findex)));
            };
            *pcr = pc + 1;
            match op {
                Op::Mov { dst, src } => r!(*dst) = r!(*src),
                Op::Int { dst, idx } => {
                    let v = self.code.ints[*idx as usize];
                    r!(*dst) = match kinds[*dst as usize] {
                        Kind::I64 => v as i64 as u64,
                        Kind::F64 => (v as f64).to_bits(),
                        _ => from_i32(v),
                    };
                }
                Op::Float { dst, idx } => {
                    let v = self.code.floats[*idx as usize];
                    r!(*dst) = match kinds[*dst as usize] {
                        Kind::F32 => from_f32(v as f32),
                        _ => v.to_bits(),
                    };
                }
                Op::Bool { dst, value } => r!(*dst) = *value as u64,
                Op::Bytes { dst, idx } => {
                    let h = self.const_bytes(*idx);
                    r!(*dst) = make_bytes(h, 0);
                }
                Op::String { dst, idx } => {
                    let h = self.const_string(*idx);
                    r!(*dst) = make_bytes(h, 0);
                }
                Op::Null { dst } => r!(*dst) = 0,
                Op::Add { dst, a, b } => r!(*dst) = arith(kinds[*dst as usize], r!(*a), r!(*b), ArOp::Add),
                Op::Sub { dst, a, b } => r!(*dst) = arith(kinds[*dst as usize], r!(*a), r!(*b), ArOp::Sub),
                Op::Mul { dst, a, b } => r!(*dst) = arith(kinds[*dst as usize], r!(*a), r!(*b), ArOp::Mul),
                Op::SDiv { dst, a, b } => r!(*dst) = arith(kinds[*dst as usize], r!(*a), r!(*b), ArOp::SDiv),
                Op::UDiv { dst, a, b } => r!(*dst) = arith(kinds[*dst as usize], r!(*a), r!(*b), ArOp::UDiv),
                Op::SMod { dst, a, b } => r!(*dst) = arith(kinds[*dst as usize], r!(*a), r!(*b), ArOp::SMod),
                Op::UMod { dst, a, b } => r!(*dst) = arith(kinds[*dst as usize], r!(*a), r!(*b), ArOp::UMod),
                Op::Shl { dst, a, b } => r!(*dst) = arith(kinds[*dst as usize], r!(*a), r!(*b), ArOp::Shl),
                Op::SShr { dst, a, b } => r!(*dst) = arith(kinds[*dst as usize], r!(*a), r!(*b), ArOp::SShr),
                Op::UShr { dst, a, b } => r!(*dst) = arith(kinds[*dst as usize], r!(*a), r!(*b), ArOp::UShr),
                Op::And { dst, a, b } => r!(*dst) = arith(kinds[*dst as usize], r!(*a), r!(*b), ArOp::And),
                Op::Or { dst, a, b } => r!(*dst) = arith(kinds[*dst as usize], r!(*a), r!(*b), ArOp::Or),
                Op::Xor { dst, a, b } => r!(*dst) = arith(kinds[*dst as usize], r!(*a), r!(*b), ArOp::Xor),
                Op::Neg { dst, src } => {
                    let v = r!(*src);
                    // Float negation is `0 - x` on HashLink: -(0.0) is +0 (conformance NOTES).
                    r!(*dst) = match kinds[*dst as usize] {
                        Kind::F64 => (0.0 - f64_of(v)).to_bits(),
                        Kind::F32 => from_f32(0.0 - f32_of(v)),
                        Kind::I64 => (v as i64).wrapping_neg() as u64,
                        k => norm(k, from_i32(i32_of(v).wrapping_neg())),
                    };
                }
                Op::Not { dst, src } => r!(*dst) = (r!(*src) & 0xFFFF_FFFF == 0) as u64,
                Op::Incr { dst } => {
                    let v = r!(*dst);
                    r!(*dst) = match kinds[*dst as usize] {
                        Kind::I64 => (v as i64).wrapping_add(1) as u64,
                        Kind::F64 => (f64_of(v) + 1.0).to_bits(),
                        Kind::F32 => from_f32(f32_of(v) + 1.0),
                        k => norm(k, from_i32(i32_of(v).wrapping_add(1))),
                    };
                }
                Op::Decr { dst } => {
                    let v = r!(*dst);
                    r!(*dst) = match kinds[*dst as usize] {
                        Kind::I64 => (v as i64).wrapping_sub(1) as u64,
                        Kind::F64 => (f64_of(v) - 1.0).to_bits(),
                        Kind::F32 => from_f32(f32_of(v) - 1.0),
                        k => norm(k, from_i32(i32_of(v).wrapping_sub(1))),
                    };
                }
                Op::Call { dst, fun, args } => {
                    let a = args!(args);
                    self.set_pc(pc);
                    let v = self.call(*fun, a.as_slice())?;
                    r!(*dst) = v;
                }
                Op::CallMethod { dst, field, args } => {
                    let a = args!(args);
                    self.set_pc(pc);
                    // Fast path: a class instance, through its virtual table.
                    if let Some(f) = self.vtable_fn(a.as_slice()[0], *field) {
                        let v = self.call(f, a.as_slice())?;
                        r!(*dst) = v;
                        continue;
                    }
                    let recv_ty = regty[args[0] as usize];
                    // Interface call on a class instance: cached method, same signature.
                    if let Some((f, inst)) = self.interface_fn(a.as_slice()[0], recv_ty, *field, regty[*dst as usize]) {
                        let mut a = a;
                        match &mut a {
                            ArgBuf::Small(b, _) => b[0] = inst,
                            ArgBuf::Big(v) => v[0] = inst,
                        }
                        let v = self.call(f, a.as_slice())?;
                        r!(*dst) = v;
                        continue;
                    }
                    let arg_tys: Vec<u32> = args.iter().map(|&x| regty[x as usize]).collect();
                    let v = self.call_method(recv_ty, *field, a.as_slice(), &arg_tys, regty[*dst as usize])?;
                    r!(*dst) = v;
                }
                Op::CallThis { dst, field, args } => {
                    if args.len() < 16 {
                        if let Some(f) = self.vtable_fn(r!(0u32), *field) {
                            let mut buf = [0u64; 16];
                            buf[0] = r!(0u32);
                            for (i, &x) in args.iter().enumerate() {
                                buf[i + 1] = r!(x);
                            }
                            self.set_pc(pc);
                            let v = self.call(f, &buf[..args.len() + 1])?;
                            r!(*dst) = v;
                            continue;
                        }
                    }
                    let mut a = vec![r!(0u32)];
                    a.extend(args.iter().map(|&x| r!(x)));
                    self.set_pc(pc);
                    let mut arg_tys = vec![regty[0]];
                    arg_tys.extend(args.iter().map(|&x| regty[x as usize]));
                    let v = self.call_method(regty[0], *field, &a, &arg_tys, regty[*dst as usize])?;
                    r!(*dst) = v;
                }
                Op::CallClosure { dst, fun, args } => {
                    let a = args!(args);
                    let c = r!(*fun);
                    self.set_pc(pc);
                    if c == 0 {
                        return Err(self.null_access(None));
                    }
                    // Fast path: the closure's signature is the register's.
                    if let Some((f, bound)) = self.closure_direct(c, regty[*fun as usize]) {
                        let v = match bound {
                            None => self.call(f, a.as_slice())?,
                            Some(b) if args.len() < 16 => {
                                let mut buf = [0u64; 16];
                                buf[0] = b;
                                buf[1..=args.len()].copy_from_slice(a.as_slice());
                                self.call(f, &buf[..args.len() + 1])?
                            }
                            Some(b) => {
                                let mut v = vec![b];
                                v.extend_from_slice(a.as_slice());
                                self.call(f, &v)?
                            }
                        };
                        r!(*dst) = v;
                        continue;
                    }
                    let arg_tys: Vec<u32> = args.iter().map(|&x| regty[x as usize]).collect();
                    let v = if matches!(self.types[regty[*fun as usize] as usize], Type::Dyn) {
                        self.call_dynamic_typed(c, a.as_slice(), &arg_tys, regty[*dst as usize])?
                    } else {
                        self.call_closure_typed(handle(c), a.as_slice(), &arg_tys, regty[*dst as usize])?
                    };
                    r!(*dst) = v;
                }
                Op::StaticClosure { dst, fun } => {
                    let ty = self.fun_type(*fun).unwrap_or(0);
                    let h = self.heap.alloc(Obj::Closure { ty, fun: *fun, bound: crate::gc::Bound::NONE });
                    r!(*dst) = h as u64;
                }
                Op::InstanceClosure { dst, fun, obj } => {
                    let ty = regty[*dst as usize];
                    let is_ptr = self.types[regty[*obj as usize] as usize].is_ptr();
                    let h = self.heap.alloc(Obj::Closure { ty, fun: *fun, bound: Some((r!(*obj), is_ptr)).into() });
                    r!(*dst) = h as u64;
                }
                Op::VirtualClosure { dst, obj, field } => {
                    let o = r!(*obj);
                    self.set_pc(pc);
                    let v = self.virtual_closure(o, regty[*obj as usize], *field, regty[*dst as usize])?;
                    r!(*dst) = v;
                }
                Op::GetGlobal { dst, global } => r!(*dst) = self.globals[*global as usize],
                Op::SetGlobal { global, src } => self.globals[*global as usize] = r!(*src),
                Op::Field { dst, obj, field } => {
                    let o = r!(*obj);
                    if let Some(Obj::Instance { fields, .. }) = self.heap.get(handle(o)) {
                        if let Some(&v) = fields.get(*field as usize) {
                            r!(*dst) = v;
                            continue;
                        }
                    }
                    let v = self.get_field(o, regty[*obj as usize], *field, regty[*dst as usize])?;
                    r!(*dst) = v;
                }
                Op::SetField { obj, field, src } => {
                    let o = r!(*obj);
                    let v = r!(*src);
                    if let Some(Obj::Instance { fields, .. }) = self.heap.get_mut(handle(o)) {
                        if let Some(slot) = fields.get_mut(*field as usize) {
                            *slot = v;
                            continue;
                        }
                    }
                    self.set_field(o, regty[*obj as usize], *field, r!(*src), regty[*src as usize])?;
                }
                Op::GetThis { dst, field } => {
                    let o = r!(0u32);
                    if let Some(Obj::Instance { fields, .. }) = self.heap.get(handle(o)) {
                        if let Some(&v) = fields.get(*field as usize) {
                            r!(*dst) = v;
                            continue;
                        }
                    }
                    let v = self.get_field(o, regty[0], *field, regty[*dst as usize])?;
                    r!(*dst) = v;
                }
                Op::SetThis { field, src } => {
                    let o = r!(0u32);
                    let v = r!(*src);
                    if let Some(Obj::Instance { fields, .. }) = self.heap.get_mut(handle(o)) {
                        if let Some(slot) = fields.get_mut(*field as usize) {
                            *slot = v;
                            continue;
                        }
                    }
                    self.set_field(o, regty[0], *field, r!(*src), regty[*src as usize])?;
                }
                Op::DynGet { dst, obj, name } => {
                    let o = r!(*obj);
                    self.set_pc(pc);
                    let v = self.dyn_get_named(o, *name, regty[*dst as usize])?;
                    r!(*dst) = v;
                }
                Op::DynSet { obj, name, src } => {
                    let o = r!(*obj);
                    self.set_pc(pc);
                    self.dyn_set_named(o, *name, r!(*src), regty[*src as usize])?;
                }
                Op::JTrue { cond, target } => {
                    if r!(*cond) & 0xFF != 0 {
                        self.jump(f, pcr, pc, stop, *target);
                    }
                }
                Op::JFalse { cond, target } => {
                    if r!(*cond) & 0xFF == 0 {
                        self.jump(f, pcr, pc, stop, *target);
                    }
                }
                Op::JNull { reg, target } => {
                    if r!(*reg) == 0 {
                        self.jump(f, pcr, pc, stop, *target);
                    }
                }
                Op::JNotNull { reg, target } => {
                    if r!(*reg) != 0 {
                        self.jump(f, pcr, pc, stop, *target);
                    }
                }
                Op::JSLt { a, b, target } => {
                    if self.cmp_op(kinds[*a as usize], regty[*a as usize], regty[*b as usize], r!(*a), r!(*b), Cmp::Lt)? {
                        self.jump(f, pcr, pc, stop, *target);
                    }
                }
                Op::JSGte { a, b, target } => {
                    if self.cmp_op(kinds[*a as usize], regty[*a as usize], regty[*b as usize], r!(*a), r!(*b), Cmp::Gte)? {
                        self.jump(f, pcr, pc, stop, *target);
                    }
                }
                Op::JSGt { a, b, target } => {
                    if self.cmp_op(kinds[*a as usize], regty[*a as usize], regty[*b as usize], r!(*a), r!(*b), Cmp::Gt)? {
                        self.jump(f, pcr, pc, stop, *target);
                    }
                }
                Op::JSLte { a, b, target } => {
                    if self.cmp_op(kinds[*a as usize], regty[*a as usize], regty[*b as usize], r!(*a), r!(*b), Cmp::Lte)? {
                        self.jump(f, pcr, pc, stop, *target);
                    }
                }
                Op::JULt { a, b, target } => {
                    if (r!(*a) as u32) < (r!(*b) as u32) {
                        self.jump(f, pcr, pc, stop, *target);
                    }
                }
                Op::JUGte { a, b, target } => {
                    if (r!(*a) as u32) >= (r!(*b) as u32) {
                        self.jump(f, pcr, pc, stop, *target);
                    }
                }
                Op::JNotLt { a, b, target } => {
                    if !self.cmp_op(kinds[*a as usize], regty[*a as usize], regty[*b as usize], r!(*a), r!(*b), Cmp::Lt)? {
                        self.jump(f, pcr, pc, stop, *target);
                    }
                }
                Op::JNotGte { a, b, target } => {
                    if !self.cmp_op(kinds[*a as usize], regty[*a as usize], regty[*b as usize], r!(*a), r!(*b), Cmp::Gte)? {
                        self.jump(f, pcr, pc, stop, *target);
                    }
                }
                Op::JEq { a, b, target } => {
                    if self.cmp_op(kinds[*a as usize], regty[*a as usize], regty[*b as usize], r!(*a), r!(*b), Cmp::Eq)? {
                        self.jump(f, pcr, pc, stop, *target);
                    }
                }
                Op::JNotEq { a, b, target } => {
                    if !self.cmp_op(kinds[*a as usize], regty[*a as usize], regty[*b as usize], r!(*a), r!(*b), Cmp::Eq)? {
                        self.jump(f, pcr, pc, stop, *target);
                    }
                }
                Op::JAlways { target } => self.jump(f, pcr, pc, stop, *target),
                Op::ToDyn { dst, src } => {
                    let v = self.to_dyn(r!(*src), regty[*src as usize]);
                    r!(*dst) = v;
                }
                Op::ToSFloat { dst, src } => {
                    let v = r!(*src);
                    let x = match kinds[*src as usize] {
                        Kind::F64 => f64_of(v),
                        Kind::F32 => f32_of(v) as f64,
                        Kind::I64 => v as i64 as f64,
                        _ => i32_of(v) as f64,
                    };
                    r!(*dst) = if kinds[*dst as usize] == Kind::F32 { from_f32(x as f32) } else { x.to_bits() };
                }
                Op::ToUFloat { dst, src } => {
                    let v = r!(*src);
                    let x = match kinds[*src as usize] {
                        Kind::I64 => v as f64,
                        _ => v as u32 as f64,
                    };
                    r!(*dst) = if kinds[*dst as usize] == Kind::F32 { from_f32(x as f32) } else { x.to_bits() };
                }
                Op::ToInt { dst, src } => {
                    let v = r!(*src);
                    let dk = kinds[*dst as usize];
                    r!(*dst) = match (kinds[*src as usize], dk) {
                        (Kind::F64, Kind::I64) => f64_of(v) as i64 as u64,
                        (Kind::F32, Kind::I64) => f32_of(v) as i64 as u64,
                        (Kind::F64, k) => norm(k, from_i32(f64_to_i32(f64_of(v)))),
                        (Kind::F32, k) => norm(k, from_i32(f64_to_i32(f32_of(v) as f64))),
                        (Kind::I64, Kind::I64) => v,
                        (Kind::I64, k) => norm(k, from_i32(v as i64 as i32)),
                        (_, Kind::I64) => i32_of(v) as i64 as u64,
                        (_, k) => norm(k, v),
                    };
                }
                Op::SafeCast { dst, src } => {
                    self.set_pc(pc);
                    let v = self.cast(r!(*src), regty[*src as usize], regty[*dst as usize])?;
                    r!(*dst) = v;
                }
                Op::UnsafeCast { dst, src } => {
                    let (kd, ks) = (kinds[*dst as usize], kinds[*src as usize]);
                    if kd == ks || !(kd.is_scalar() || ks.is_scalar()) {
                        r!(*dst) = r!(*src);
                    } else {
                        // Unboxing `Null<T>` (or boxing): a real conversion, as the JIT does.
                        self.set_pc(pc);
                        let v = self.cast(r!(*src), regty[*src as usize], regty[*dst as usize])?;
                        r!(*dst) = v;
                    }
                }
                Op::ToVirtual { dst, src } => {
                    self.set_pc(pc);
                    let v = self.cast(r!(*src), regty[*src as usize], regty[*dst as usize])?;
                    r!(*dst) = v;
                }
                Op::Label | Op::Nop | Op::Prefetch => {}
                Op::Ret { reg } => return Ok(r!(*reg)),
                Op::Throw { reg } => {
                    self.set_pc(pc);
                    let v = r!(*reg);
                    return Err(self.throw_value(v));
                }
                Op::Rethrow { reg } => return Err(Exc::Throw(r!(*reg))),
                Op::Switch { reg, targets, .. } => {
                    let v = r!(*reg) as u32 as usize;
                    if let Some(&t) = targets.get(v) {
                        self.jump(f, pcr, pc, stop, t);
                    }
                }
                Op::NullCheck { reg } => {
                    if r!(*reg) == 0 {
                        self.set_pc(pc);
                        // HashLink names the field the checked value is used for next.
                        let name = self.null_check_field(&f.func, pc, *reg);
                        return Err(self.null_access(name.as_deref()));
                    }
                }
                Op::Trap { reg, target } => traps.push((*reg, *target)),
                Op::EndTrap { .. } => {
                    traps.pop();
                }
                Op::GetI8 { dst, bytes, index } => {
                    let v = self.mem_read(r!(*bytes), i32_of(r!(*index)), 1)?;
                    r!(*dst) = v;
                }
                Op::GetI16 { dst, bytes, index } => {
                    let v = self.mem_read(r!(*bytes), i32_of(r!(*index)), 2)?;
                    r!(*dst) = v;
                }
                Op::GetMem { dst, bytes, index } => {
                    let k = kinds[*dst as usize];
                    let (b, i) = (r!(*bytes), i32_of(r!(*index)));
                    if let Some(v) = self.mem_read_fast(b, i, k.mem_size()) {
                        r!(*dst) = v;
                        continue;
                    }
                    let v = self.mem_read(r!(*bytes), i32_of(r!(*index)), k.mem_size())?;
                    r!(*dst) = v;
                }
                Op::GetArray { dst, array, index } => {
                    let v = self.array_get(r!(*array), i32_of(r!(*index)), kinds[*array as usize])?;
                    r!(*dst) = v;
                }
                Op::SetI8 { bytes, index, src } => {
                    self.mem_write(r!(*bytes), i32_of(r!(*index)), 1, r!(*src))?;
                }
                Op::SetI16 { bytes, index, src } => {
                    self.mem_write(r!(*bytes), i32_of(r!(*index)), 2, r!(*src))?;
                }
                Op::SetMem { bytes, index, src } => {
                    let k = kinds[*src as usize];
                    let (b, i, v) = (r!(*bytes), i32_of(r!(*index)), r!(*src));
                    if self.mem_write_fast(b, i, k.mem_size(), v) {
                        continue;
                    }
                    self.mem_write(r!(*bytes), i32_of(r!(*index)), k.mem_size(), r!(*src))?;
                }
                Op::SetArray { array, index, src } => {
                    self.array_set(r!(*array), i32_of(r!(*index)), r!(*src), kinds[*array as usize])?;
                }
                Op::New { dst } => {
                    let v = self.new_object(regty[*dst as usize])?;
                    r!(*dst) = v;
                }
                Op::ArraySize { dst, array } => {
                    let a = r!(*array);
                    let n = match self.heap.get(handle(a)) {
                        Some(Obj::Array { data, .. }) => data.len() as i32,
                        _ => {
                            self.set_pc(pc);
                            return Err(self.null_access(Some("length")));
                        }
                    };
                    r!(*dst) = from_i32(n);
                }
                Op::Type { dst, ty } => r!(*dst) = *ty as u64 + 1,
                Op::GetType { dst, src } => {
                    let v = r!(*src);
                    let t = self.runtime_type(v, regty[*src as usize]);
                    r!(*dst) = t as u64 + 1;
                }
                Op::GetTID { dst, src } => {
                    let kid = self.type_kind_id(r!(*src));
                    r!(*dst) = kid as u64;
                }
                Op::Ref { dst, src } => r!(*dst) = (base + *src as usize) as u64 + 1,
                Op::Unref { dst, src } => {
                    let p = r!(*src);
                    let v = self.ref_read(p)?;
                    r!(*dst) = v;
                }
                Op::Setref { dst, src } => {
                    let p = r!(*dst);
                    let v = r!(*src);
                    self.ref_write(p, v)?;
                }
                Op::MakeEnum { dst, construct, args } => {
                    let params: Box<[u64]> = args.iter().map(|&x| r!(x)).collect();
                    let ty = regty[*dst as usize];
                    self.check_construct(ty, *construct)?;
                    let h = self.heap.alloc(Obj::Enum { ty, ctor: *construct, params: params.into() });
                    r!(*dst) = h as u64;
                }
                Op::EnumAlloc { dst, construct } => {
                    let ty = regty[*dst as usize];
                    let n = self.check_construct(ty, *construct)?;
                    let h = self.heap.alloc(Obj::Enum { ty, ctor: *construct, params: vec![0; n].into() });
                    r!(*dst) = h as u64;
                }
                Op::EnumIndex { dst, src } => {
                    let v = r!(*src);
                    let i = match self.heap.get(handle(v)) {
                        Some(Obj::Enum { ctor, .. }) => *ctor as i32,
                        _ => {
                            self.set_pc(pc);
                            return Err(self.null_access(None));
                        }
                    };
                    r!(*dst) = from_i32(i);
                }
                Op::EnumField { dst, src, field, .. } => {
                    let v = r!(*src);
                    let x = match self.heap.get(handle(v)) {
                        Some(Obj::Enum { params, .. }) => params.get(*field as usize).copied(),
                        _ => None,
                    };
                    match x {
                        Some(x) => r!(*dst) = x,
                        None => {
                            self.set_pc(pc);
                            return Err(self.null_access(None));
                        }
                    }
                }
                Op::SetEnumField { dst, field, src } => {
                    let v = r!(*dst);
                    let s = r!(*src);
                    match self.heap.get_mut(handle(v)) {
                        Some(Obj::Enum { params, .. }) if (*field as usize) < params.len() => params[*field as usize] = s,
                        _ => return Err(self.null_access(None)),
                    }
                }
                Op::Assert => {
                    self.set_pc(pc);
                    return Err(self.throw_msg("Assert"));
                }
                Op::RefData { .. } | Op::RefOffset { .. } => {
                    return Err(Exc::Internal(format!("opcode {:?} is not supported", op)));
                }
            }
        }
    }

    /// The function in virtual-table slot `field` of `recv` when it is a class instance.
    #[inline]
    pub(crate) fn vtable_fn(&self, recv: u64, field: u32) -> Option<u32> {
        match self.heap.get(handle(recv)) {
            Some(Obj::Instance { ty, .. }) => {
                let f = *self.rt_obj.get(*ty as usize)?.as_ref()?.vtable.get(field as usize)?;
                (f != u32::MAX).then_some(f)
            }
            _ => None,
        }
    }

    /// For an interface (virtual) call: the method of the viewed class instance and the
    /// instance, when the method's signature equals the virtual field's (cached per
    /// virtual type, class and field).
    pub(crate) fn interface_fn(&mut self, recv: u64, vty: u32, field: u32, ret: u32) -> Option<(u32, u64)> {
        let Some(Obj::Virtual { value, .. }) = self.heap.get(handle(recv)) else { return None };
        let inst = *value;
        let Some(Obj::Instance { ty, .. }) = self.heap.get(inst) else { return None };
        let key = (vty, *ty, field);
        if let Some(&hit) = self.iface_cache.get(&key) {
            return hit.map(|f| (f, inst as u64));
        }
        let found = (|| {
            let vf = self.rt_virt.get(vty as usize)?.as_ref()?.fields.get(field as usize)?;
            let rt = self.rt_obj.get(*ty as usize)?.as_ref()?;
            if rt.field_index.contains_key(&vf.hash) {
                return None;
            }
            let f = *rt.methods.get(&vf.hash)?;
            let want = self.types.get(vf.ty as usize)?.fun()?;
            let real = self.types.get(self.fun_type(f)? as usize)?.fun()?;
            let same = real.args.len() == want.args.len() + 1 && real.args[1..] == want.args[..] && real.ret == want.ret && want.ret == ret;
            same.then_some(f)
        })();
        self.iface_cache.insert(key, found);
        found.map(|f| (f, inst as u64))
    }

    /// For a closure `c` called through a register of function type `fty`: its function
    /// and bound value, when no argument or result conversion is needed.
    #[inline]
    pub(crate) fn closure_direct(&self, c: u64, fty: u32) -> Option<(u32, Option<u64>)> {
        let Some(Obj::Closure { fun, bound, ty }) = self.heap.get(handle(c)) else { return None };
        let b = bound.get().map(|b| b.0);
        if *ty == fty {
            return Some((*fun, b));
        }
        let want = self.types.get(fty as usize)?.fun()?;
        let real = self.types.get(self.fun_type(*fun)? as usize)?.fun()?;
        let skip = bound.is_some() as usize;
        (real.args.len() == want.args.len() + skip && real.args[skip..] == want.args[..] && real.ret == want.ret).then_some((*fun, b))
    }

    /// Jumps to `target`; a backward jump is a GC safepoint and, with the JIT on,
    /// counts towards making the function hot: past the threshold, `exec_ops` stops
    /// at the loop head and `exec` moves the call into compiled code.
    #[inline(always)]
    fn jump(&mut self, f: &CompiledFn, pcr: &mut usize, pc: usize, stop: &mut usize, target: u32) {
        *pcr = target as usize;
        if (target as usize) <= pc {
            if self.heap.should_collect() || self.preempt_requested() {
                self.safepoint();
            }
            if self.jit.is_some() && !f.jit.failed.get() {
                let n = f.jit.hot.get().saturating_add(1);
                f.jit.hot.set(n);
                if n > self.jit_threshold.saturating_add(crate::jit::HOT_LOOPS) {
                    *stop = target as usize;
                    self.osr_target = Some(target);
                }
            }
        }
    }

    fn check_construct(&self, ty: u32, c: u32) -> Result<usize, Exc> {
        match self.types.get(ty as usize) {
            Some(Type::Enum(e)) => match e.constructs.get(c as usize) {
                Some(k) => Ok(k.params.len()),
                None => Err(Exc::Internal(format!("enum constructor {c} out of range"))),
            },
            _ => Err(Exc::Internal("MakeEnum into a non-enum register".into())),
        }
    }

    /// Reads through a `Ref` slot: a register (`slot + 1`) or, with [`REF_HEAP`] set,
    /// the value cell of a heap box (made when a dynamic value is passed where a
    /// `ref<T>` is expected, e.g. an optional Int argument of a dynamic call).
    pub(crate) fn ref_read(&mut self, p: u64) -> Result<u64, Exc> {
        if p & REF_HEAP != 0 {
            return match self.heap.get(handle(p)) {
                Some(Obj::Dyn { val, .. }) => Ok(*val),
                _ => Err(self.null_access(None)),
            };
        }
        if p == 0 || p as usize > self.stack.len() {
            return Err(self.null_access(None));
        }
        Ok(self.stack[p as usize - 1])
    }

    /// Writes through a `Ref` slot (see [`Vm::ref_read`]).
    pub(crate) fn ref_write(&mut self, p: u64, v: u64) -> Result<(), Exc> {
        if p & REF_HEAP != 0 {
            return match self.heap.get_mut(handle(p)) {
                Some(Obj::Dyn { val, .. }) => {
                    *val = v;
                    Ok(())
                }
                _ => Err(self.null_access(None)),
            };
        }
        if p == 0 || p as usize > self.stack.len() {
            return Err(self.null_access(None));
        }
        self.stack[p as usize - 1] = v;
        Ok(())
    }

    /// In-bounds memory read, or `None` (the caller reports the error).
    #[inline(always)]
    fn mem_read_fast(&self, b: u64, index: i32, size: usize) -> Option<u64> {
        let (h, off) = bytes_ptr(b);
        let Some(Obj::Bytes(data)) = self.heap.get(h) else { return None };
        let at = off.checked_add(usize::try_from(index).ok()?)?;
        let s = data.get(at..at.checked_add(size)?)?;
        let mut w = [0u8; 8];
        w[..size].copy_from_slice(s);
        Some(u64::from_le_bytes(w))
    }

    /// In-bounds memory write; false when out of bounds or not bytes.
    #[inline(always)]
    fn mem_write_fast(&mut self, b: u64, index: i32, size: usize, v: u64) -> bool {
        let (h, off) = bytes_ptr(b);
        let Some(Obj::Bytes(data)) = self.heap.get_mut(h) else { return false };
        let Ok(i) = usize::try_from(index) else { return false };
        let Some(at) = off.checked_add(i) else { return false };
        match at.checked_add(size).and_then(|end| data.get_mut(at..end)) {
            Some(d) => {
                d.copy_from_slice(&v.to_le_bytes()[..size]);
                true
            }
            None => false,
        }
    }

    fn mem_read(&mut self, b: u64, index: i32, size: usize) -> Result<u64, Exc> {
        let (h, off) = bytes_ptr(b);
        let at = off as i64 + index as i64;
        let res = match self.heap.get(h) {
            Some(Obj::Bytes(data)) if at >= 0 && (at as usize) + size <= data.len() => {
                let s = &data[at as usize..at as usize + size];
                Some(match size {
                    1 => s[0] as u64,
                    2 => u16::from_le_bytes([s[0], s[1]]) as u64,
                    4 => u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as u64,
                    _ => u64::from_le_bytes([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]]),
                })
            }
            _ => None,
        };
        match res {
            Some(v) => Ok(v),
            None if h == 0 => Err(self.null_access(None)),
            None => Err(self.throw_msg("Memory access out of bounds")),
        }
    }

    fn mem_write(&mut self, b: u64, index: i32, size: usize, v: u64) -> Result<(), Exc> {
        let (h, off) = bytes_ptr(b);
        let at = off as i64 + index as i64;
        let ok = match self.heap.get_mut(h) {
            Some(Obj::Bytes(data)) if at >= 0 && (at as usize) + size <= data.len() => {
                let at = at as usize;
                data[at..at + size].copy_from_slice(&v.to_le_bytes()[..size]);
                true
            }
            _ => false,
        };
        if ok {
            Ok(())
        } else if h == 0 {
            Err(self.null_access(None))
        } else {
            Err(self.throw_msg("Memory access out of bounds"))
        }
    }

    fn array_get(&mut self, a: u64, index: i32, k: Kind) -> Result<u64, Exc> {
        match self.heap.get(handle(a)) {
            Some(Obj::Array { data, .. }) => match data.get(index as usize) {
                Some(v) if index >= 0 => Ok(*v),
                _ => Err(self.throw_msg("Array index out of bounds")),
            },
            _ if k == Kind::Bytes => self.mem_read(a, index.wrapping_mul(8), 8),
            _ => Err(self.null_access(None)),
        }
    }

    fn array_set(&mut self, a: u64, index: i32, v: u64, k: Kind) -> Result<(), Exc> {
        match self.heap.get_mut(handle(a)) {
            Some(Obj::Array { data, .. }) => match data.get_mut(index as usize) {
                Some(slot) if index >= 0 => {
                    *slot = v;
                    Ok(())
                }
                _ => Err(self.throw_msg("Array index out of bounds")),
            },
            _ if k == Kind::Bytes => self.mem_write(a, index.wrapping_mul(8), 8, v),
            _ => Err(self.null_access(None)),
        }
    }
}

/// Argument buffer for calls: inline for up to 8 arguments.
pub(crate) enum ArgBuf {
    Small([u64; 8], usize),
    Big(Vec<u64>),
}

impl ArgBuf {
    #[inline(always)]
    pub(crate) fn as_slice(&self) -> &[u64] {
        match self {
            ArgBuf::Small(b, n) => &b[..*n],
            ArgBuf::Big(v) => v,
        }
    }
}

/// A binary arithmetic op (shared with the JIT).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArOp {
    Add,
    Sub,
    Mul,
    SDiv,
    UDiv,
    SMod,
    UMod,
    Shl,
    SShr,
    UShr,
    And,
    Or,
    Xor,
}

/// Comparison asked of [`Vm::cmp_op`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cmp {
    Lt,
    Gte,
    Gt,
    Lte,
    Eq,
}

/// Truncates an integer result to its register width.
#[inline(always)]
fn norm(k: Kind, v: u64) -> u64 {
    match k {
        Kind::U8 => v & 0xFF,
        Kind::U16 => v & 0xFFFF,
        Kind::Bool => v & 1,
        _ => v & 0xFFFF_FFFF,
    }
}

/// Integer arithmetic with HashLink's rules: wrapping; division or remainder by 0
/// gives 0, `MIN % -1` gives 0 (conformance NOTES); shift counts are taken modulo the
/// width.
macro_rules! int_arith {
    ($op:expr, $x:expr, $y:expr, $s:ty, $u:ty, $mask:expr) => {{
        let (x, y): ($s, $s) = ($x, $y);
        match $op {
            ArOp::Add => x.wrapping_add(y),
            ArOp::Sub => x.wrapping_sub(y),
            ArOp::Mul => x.wrapping_mul(y),
            ArOp::SDiv if y == 0 => 0,
            ArOp::SDiv => x.wrapping_div(y),
            ArOp::UDiv if y == 0 => 0,
            ArOp::UDiv => ((x as $u) / (y as $u)) as $s,
            ArOp::SMod if y == 0 || y == -1 => 0,
            ArOp::SMod => x % y,
            ArOp::UMod if y == 0 => 0,
            ArOp::UMod => ((x as $u) % (y as $u)) as $s,
            ArOp::Shl => x.wrapping_shl((y & $mask) as u32),
            ArOp::SShr => x.wrapping_shr((y & $mask) as u32),
            ArOp::UShr => ((x as $u) >> (y & $mask)) as $s,
            ArOp::And => x & y,
            ArOp::Or => x | y,
            ArOp::Xor => x ^ y,
        }
    }};
}

/// Float arithmetic (`%` is C `fmod`); bit operations do not apply to floats.
macro_rules! float_arith {
    ($op:expr, $x:expr, $y:expr) => {{
        let (x, y) = ($x, $y);
        match $op {
            ArOp::Add => Some(x + y),
            ArOp::Sub => Some(x - y),
            ArOp::Mul => Some(x * y),
            ArOp::SDiv | ArOp::UDiv => Some(x / y),
            ArOp::SMod | ArOp::UMod => Some(x % y),
            _ => None,
        }
    }};
}

/// `R[dst] := R[a] op R[b]` for a destination register of kind `k`.
#[inline(always)]
fn arith(k: Kind, a: u64, b: u64, op: ArOp) -> u64 {
    match k {
        Kind::F64 => float_arith!(op, f64_of(a), f64_of(b)).map_or(0, f64::to_bits),
        Kind::F32 => float_arith!(op, f32_of(a), f32_of(b)).map_or(0, from_f32),
        Kind::I64 => int_arith!(op, a as i64, b as i64, i64, u64, 63) as u64,
        _ => norm(k, from_i32(int_arith!(op, i32_of(a), i32_of(b), i32, u32, 31))),
    }
}
