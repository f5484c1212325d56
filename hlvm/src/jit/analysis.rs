//! ANALYSIS: what the translator needs to know about a function before emitting code —
//! block leaders, the exception handlers active at each op, registers whose address is
//! taken, loop heads (where the interpreter may hand a running call over), and which
//! registers an op reads and writes.

use crate::code::{Op, Reg};

/// Facts about one function's ops.
pub(super) struct Analysis {
    /// Per op: it starts a basic block.
    pub leader: Vec<bool>,
    /// Per op: the active handlers `(register, target)`, innermost last, or `None` when
    /// the op is unreachable.
    pub traps: Vec<Option<Vec<(Reg, u32)>>>,
    /// Per register: `Ref` takes its address, so it must live in the register window.
    pub address_taken: Vec<bool>,
    /// Targets of backward jumps, ascending: where the interpreter may enter compiled
    /// code in the middle of a call (on-stack replacement).
    pub loop_heads: Vec<u32>,
    /// Per register: some op reads it (see [`op_regs`]). An argument no op reads is
    /// neither loaded from the window on entry nor stored back to it.
    pub read: Vec<bool>,
}

/// Why a function is left to the interpreter.
pub(super) type Refusal = String;

/// Control-flow successors of the op at `pc` (excluding exception edges).
fn successors(op: &Op, pc: usize, out: &mut Vec<usize>) {
    out.clear();
    match op {
        Op::JAlways { target } => out.push(*target as usize),
        Op::Ret { .. } | Op::Throw { .. } | Op::Rethrow { .. } => {}
        Op::Switch { targets, .. } => {
            out.extend(targets.iter().map(|&t| t as usize));
            out.push(pc + 1);
        }
        _ => {
            if let Some(t) = op.jump_target() {
                out.push(t as usize);
            }
            out.push(pc + 1);
        }
    }
}

impl Analysis {
    /// Analyses `ops` of a function with `nregs` registers.
    ///
    /// # Errors
    /// Handlers that do not nest the same way on every path to an op (`Trap`/`EndTrap`
    /// out of balance), a path falling off the end, or a bad register or target: the
    /// interpreter, which tracks handlers dynamically, runs such functions.
    pub fn new(ops: &[Op], nregs: usize) -> Result<Analysis, Refusal> {
        let n = ops.len();
        let mut leader = vec![false; n + 1];
        let mut address_taken = vec![false; nregs];
        let mut read = vec![false; nregs];
        let mut loop_heads = Vec::new();
        if n == 0 {
            return Err("empty function".into());
        }
        leader[0] = true;
        let mut succ = Vec::new();
        for (pc, op) in ops.iter().enumerate() {
            let mut targets: Vec<u32> = Vec::new();
            match op {
                Op::Switch { targets: t, .. } => targets.extend(t.iter().copied()),
                Op::Trap { target, .. } => targets.push(*target),
                _ => targets.extend(op.jump_target()),
            }
            let branches = !targets.is_empty() || matches!(op, Op::Ret { .. } | Op::Throw { .. } | Op::Rethrow { .. });
            for &t in &targets {
                if t as usize >= n {
                    return Err(format!("jump target {t} out of range"));
                }
                leader[t as usize] = true;
                if t as usize <= pc && !matches!(op, Op::Trap { .. }) && !loop_heads.contains(&t) {
                    loop_heads.push(t);
                }
            }
            if branches {
                leader[pc + 1] = true;
            }
            op_regs(op, |r| {
                if let Some(x) = read.get_mut(r as usize) {
                    *x = true;
                }
            }, |_| {});
            if let Op::Ref { src, .. } = op {
                match address_taken.get_mut(*src as usize) {
                    Some(a) => *a = true,
                    None => return Err(format!("register {src} out of range")),
                }
            }
        }
        loop_heads.sort_unstable();

        // Handlers active at each op: a forward walk; every path must agree.
        let mut traps: Vec<Option<Vec<(Reg, u32)>>> = vec![None; n];
        let mut work = vec![(0usize, Vec::new())];
        while let Some((pc, state)) = work.pop() {
            if pc >= n {
                return Err("a path runs past the last op".into());
            }
            match &traps[pc] {
                Some(s) if *s == state => continue,
                Some(_) => return Err(format!("handlers disagree at op {pc}")),
                None => traps[pc] = Some(state.clone()),
            }
            let op = &ops[pc];
            let mut after = state.clone();
            match op {
                Op::Trap { reg, target } => {
                    // An exception caught here resumes at `target` with this handler gone.
                    work.push((*target as usize, state.clone()));
                    after.push((*reg, *target));
                }
                Op::EndTrap { .. } => {
                    if after.pop().is_none() {
                        return Err(format!("EndTrap without Trap at op {pc}"));
                    }
                }
                _ => {}
            }
            successors(op, pc, &mut succ);
            for &s in &succ {
                work.push((s, after.clone()));
            }
        }
        Ok(Analysis { leader, traps, address_taken, loop_heads, read })
    }
}

/// Calls `read` for each register `op` reads and `write` for each it writes (the
/// registers compiled code must store before, and reload after, running the op in the
/// interpreter).
pub(super) fn op_regs(op: &Op, mut read: impl FnMut(Reg), mut write: impl FnMut(Reg)) {
    match op {
        Op::Mov { dst, src }
        | Op::Neg { dst, src }
        | Op::Not { dst, src }
        | Op::ToDyn { dst, src }
        | Op::ToSFloat { dst, src }
        | Op::ToUFloat { dst, src }
        | Op::ToInt { dst, src }
        | Op::SafeCast { dst, src }
        | Op::UnsafeCast { dst, src }
        | Op::ToVirtual { dst, src }
        | Op::GetType { dst, src }
        | Op::GetTID { dst, src }
        | Op::Unref { dst, src }
        | Op::EnumIndex { dst, src }
        | Op::RefData { dst, src }
        | Op::EnumField { dst, src, .. } => {
            read(*src);
            write(*dst);
        }
        Op::Ref { dst, .. } => write(*dst),
        Op::Int { dst, .. }
        | Op::Float { dst, .. }
        | Op::Bool { dst, .. }
        | Op::Bytes { dst, .. }
        | Op::String { dst, .. }
        | Op::Null { dst }
        | Op::StaticClosure { dst, .. }
        | Op::GetGlobal { dst, .. }
        | Op::New { dst }
        | Op::Type { dst, .. }
        | Op::EnumAlloc { dst, .. } => write(*dst),
        Op::Add { dst, a, b }
        | Op::Sub { dst, a, b }
        | Op::Mul { dst, a, b }
        | Op::SDiv { dst, a, b }
        | Op::UDiv { dst, a, b }
        | Op::SMod { dst, a, b }
        | Op::UMod { dst, a, b }
        | Op::Shl { dst, a, b }
        | Op::SShr { dst, a, b }
        | Op::UShr { dst, a, b }
        | Op::And { dst, a, b }
        | Op::Or { dst, a, b }
        | Op::Xor { dst, a, b } => {
            read(*a);
            read(*b);
            write(*dst);
        }
        Op::Incr { dst } | Op::Decr { dst } => {
            read(*dst);
            write(*dst);
        }
        Op::Call { dst, args, .. } | Op::CallMethod { dst, args, .. } | Op::MakeEnum { dst, args, .. } => {
            args.iter().for_each(|&a| read(a));
            write(*dst);
        }
        Op::CallThis { dst, args, .. } => {
            read(0);
            args.iter().for_each(|&a| read(a));
            write(*dst);
        }
        Op::CallClosure { dst, fun, args } => {
            read(*fun);
            args.iter().for_each(|&a| read(a));
            write(*dst);
        }
        Op::InstanceClosure { dst, obj, .. } | Op::VirtualClosure { dst, obj, .. } => {
            read(*obj);
            write(*dst);
        }
        Op::SetGlobal { src, .. } => read(*src),
        Op::Field { dst, obj, .. } | Op::DynGet { dst, obj, .. } => {
            read(*obj);
            write(*dst);
        }
        Op::SetField { obj, src, .. } | Op::DynSet { obj, src, .. } => {
            read(*obj);
            read(*src);
        }
        Op::GetThis { dst, .. } => {
            read(0);
            write(*dst);
        }
        Op::SetThis { src, .. } => {
            read(0);
            read(*src);
        }
        Op::JTrue { cond, .. } | Op::JFalse { cond, .. } => read(*cond),
        Op::JNull { reg, .. } | Op::JNotNull { reg, .. } => read(*reg),
        Op::JSLt { a, b, .. }
        | Op::JSGte { a, b, .. }
        | Op::JSGt { a, b, .. }
        | Op::JSLte { a, b, .. }
        | Op::JULt { a, b, .. }
        | Op::JUGte { a, b, .. }
        | Op::JNotLt { a, b, .. }
        | Op::JNotGte { a, b, .. }
        | Op::JEq { a, b, .. }
        | Op::JNotEq { a, b, .. } => {
            read(*a);
            read(*b);
        }
        Op::Ret { reg } | Op::Throw { reg } | Op::Rethrow { reg } | Op::Switch { reg, .. } | Op::NullCheck { reg } => read(*reg),
        Op::Trap { reg, .. } => write(*reg),
        Op::GetI8 { dst, bytes, index } | Op::GetI16 { dst, bytes, index } | Op::GetMem { dst, bytes, index } => {
            read(*bytes);
            read(*index);
            write(*dst);
        }
        Op::GetArray { dst, array, index } => {
            read(*array);
            read(*index);
            write(*dst);
        }
        Op::SetI8 { bytes, index, src } | Op::SetI16 { bytes, index, src } | Op::SetMem { bytes, index, src } => {
            read(*bytes);
            read(*index);
            read(*src);
        }
        Op::SetArray { array, index, src } => {
            read(*array);
            read(*index);
            read(*src);
        }
        Op::ArraySize { dst, array } => {
            read(*array);
            write(*dst);
        }
        Op::Setref { dst, src } => {
            read(*dst);
            read(*src);
        }
        Op::SetEnumField { dst, src, .. } => {
            read(*dst);
            read(*src);
        }
        Op::RefOffset { dst, src, offset } => {
            read(*src);
            read(*offset);
            write(*dst);
        }
        Op::EndTrap { .. } | Op::JAlways { .. } | Op::Label | Op::Assert | Op::Nop | Op::Prefetch => {}
    }
}
