//! TRANSLATE: one bytecode function to Cranelift IR.
//!
//! Register classes: `UI8`/`UI16`/`I32`/`Bool` registers are `i32` values, `I64` is
//! `i64`, `F32`/`F64` are floats, and every other register (references, bytes, types,
//! refs, void) is an `i64` holding its register-format slot (see [`crate::value`]),
//! stored through to the window on every write so the collector sees it. Conversions
//! between classes go through the slot format, exactly as the interpreter reinterprets
//! slots.

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::immediates::{Ieee32, Ieee64};
use cranelift_codegen::ir::AliasRegionData;
use cranelift_codegen::ir::{
    types, AbiParam, Block, BlockCall, Function, InstBuilder, JumpTableData, MemFlagsData, SigRef, Signature, Type, Value,
};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use rustc_hash::FxHashMap as HashMap;

use super::analysis::{op_regs, Analysis};
use super::helpers;
use crate::code::{Op, Reg, Type as HlType};
use crate::gc::layout;
use crate::interp::{ArOp, Cmp};
use crate::module::{CompiledFn, Kind};
use crate::vm::{Frame, Vm};

/// Cranelift value class of a register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cls {
    I32,
    I64,
    F32,
    F64,
    /// A slot stored through to the window on every write.
    Slot,
}

fn cls_of(k: Kind) -> Cls {
    match k {
        Kind::U8 | Kind::U16 | Kind::I32 | Kind::Bool => Cls::I32,
        Kind::I64 => Cls::I64,
        Kind::F32 => Cls::F32,
        Kind::F64 => Cls::F64,
        Kind::Void | Kind::Bytes | Kind::Ptr | Kind::Type | Kind::Ref => Cls::Slot,
    }
}

fn ty_of(c: Cls) -> Type {
    match c {
        Cls::I32 => types::I32,
        Cls::I64 | Cls::Slot => types::I64,
        Cls::F32 => types::F32,
        Cls::F64 => types::F64,
    }
}

/// Byte offset of a `Vm` field, for compiled code's direct loads.
macro_rules! vm_off {
    ($($f:tt)+) => {
        std::mem::offset_of!(Vm, $($f)+) as i32
    };
}

/// Helper signatures.
struct Sigs {
    enter: SigRef,
    frame: SigRef,
    leave: SigRef,
    op: SigRef,
    /// `(vm, cf, base, pc) -> slot`
    finish: SigRef,
    compare: SigRef,
    throw: SigRef,
    catch: SigRef,
    entry: SigRef,
    fmod: SigRef,
    fmodf: SigRef,
    /// `(vm, cf, base, pc, site) -> entry`
    method_entry: SigRef,
    closure: SigRef,
    /// `(vm, u32) -> u64`
    vm_u32: SigRef,
    /// `(vm, u64) -> u64`
    vm_u64: SigRef,
    /// `(vm, u64, u32) -> u64`
    vm_u64_u32: SigRef,
    /// `(vm, u64, u32, u32) -> u64`
    vm_u64_u32_u32: SigRef,
    /// `(vm, u64, u32, u64, u32)`
    dyn_set: SigRef,
}

struct Tr<'a, 'b> {
    b: FunctionBuilder<'b>,
    code: &'a crate::code::Code,
    funcs: &'a [crate::module::FnSlot],
    f: &'a CompiledFn,
    an: &'a Analysis,
    cls: Vec<Cls>,
    /// Each register's variable.
    vars: Vec<Variable>,
    /// The window pointer `bp` is defined (false in the prologue, whose helper calls
    /// come before it).
    window_ready: bool,
    /// `0_i64`, defined in the entry block: every forgotten data pointer is this one
    /// value, so that where all paths forgot it Cranelift's SSA construction gives this
    /// value back and [`Tr::object_data`] skips the test of the cache.
    zero: Value,
    /// The VM pointer parameter; read through [`Tr::vm`].
    vm_param: Value,
    cf: i64,
    /// The heap's [`crate::gc::Heap::table_mask`].
    table_mask: u32,
    /// The op being translated.
    pc: usize,
    /// Per register, the value of its data pointer variable (`Tr::data`) known to be
    /// a looked-up pointer, never 0: an SSA value is the same on every path, so where
    /// the variable still reads as that value the object needs no test at all.
    valid_data: Vec<Option<Value>>,
    /// The stack slot [`Tr::anchor`] stores to.
    anchor_slot: Option<cranelift_codegen::ir::StackSlot>,
    /// The VM pointer read in this block since its last call (see [`Tr::vm`]).
    vm_cache: Option<(Block, Value)>,
    frame: Variable,
    bp: Variable,
    base: Variable,
    osr: Variable,
    /// Frames below ours (what `frames.len` returns to).
    depth: Variable,
    /// 1 once our frame is on the frame stack (always, unless `lazy`).
    pushed: Variable,
    /// A function that calls nothing and has no loop: its frame is pushed only when a
    /// helper, the interpreter or a throw needs it (nothing else can observe it: no
    /// safepoint, no callee, no `Ref`, no handler).
    lazy: bool,
    ret: Variable,
    tmp: Variable,
    tmp2: Variable,
    tmp3: Variable,
    blocks: Vec<Option<Block>>,
    exit_ret: Block,
    exit_exc: Block,
    catches: HashMap<(Reg, u32), Block>,
    sigs: Sigs,
    terminated: bool,
    /// The method call sites' cache (see [`helpers::MethodCache`]).
    methods: &'a mut helpers::MethodCache,
    /// Per register read as one kind of object (see [`data_access`]): variables
    /// holding its object's data pointer (0: unknown) and length, and the kind, so that
    /// accesses after the first skip the handle-table lookup and the kind check. A
    /// write to the register or any call (which may run a reload that replaces an
    /// instance's fields) resets the pointer to 0. See [`Tr::object_data`].
    data: Vec<Option<(Variable, Variable, u32)>>,
    /// Memory flags per alias region: the VM structure; the frames; register windows;
    /// what only the VM changes (heap table entries — object kinds, slice pointers and
    /// lengths —, virtual tables, the function table); what compiled code stores to
    /// (fields, elements, globals); bytes data (unaligned; `Obj::Bytes` blocks are
    /// allocations of their own, so a `SetMem` leaves the fields that lead to them in
    /// place: fannkuch reads an array's length and bytes field around each one). The
    /// regions are disjoint memory, so Cranelift may reuse a load across stores to the
    /// others (calls clobber them all).
    fvm: MemFlagsData,
    ffr: MemFlagsData,
    fwin: MemFlagsData,
    fhdr: MemFlagsData,
    fobj: MemFlagsData,
    fbytes: MemFlagsData,
}

/// The register `op` reads as a heap object of one kind, and that kind's tag, for
/// the ops whose data [`Tr::object_data`] can remember.
fn data_access(op: &Op) -> Option<(Reg, u32)> {
    Some(match *op {
        Op::Field { obj, .. } | Op::SetField { obj, .. } => (obj, layout::TAG_INSTANCE),
        Op::GetThis { .. } | Op::SetThis { .. } => (0, layout::TAG_INSTANCE),
        Op::GetArray { array, .. } | Op::SetArray { array, .. } | Op::ArraySize { array, .. } => (array, layout::TAG_ARRAY),
        Op::EnumField { src, .. } => (src, layout::TAG_ENUM),
        Op::GetI8 { bytes, .. }
        | Op::GetI16 { bytes, .. }
        | Op::GetMem { bytes, .. }
        | Op::SetI8 { bytes, .. }
        | Op::SetI16 { bytes, .. }
        | Op::SetMem { bytes, .. } => (bytes, layout::TAG_BYTES),
        _ => return None,
    })
}

/// Builds `func` (signature `sig`: `(vm, osr_pc) -> slot`) from `f`; its method call
/// sites use `methods` (which must live as long as the code).
///
/// # Errors
/// An op or register combination the translator does not handle.
pub(super) fn translate(
    func: &mut Function,
    fctx: &mut FunctionBuilderContext,
    sig: &Signature,
    vm_ref: &Vm,
    target: cranelift_codegen::isa::TargetFrontendConfig,
    f: &CompiledFn,
    an: &Analysis,
    methods: &mut helpers::MethodCache,
) -> Result<(), String> {
    if !methods.reserve(f.func.ops.len()) {
        return Err("no call-site numbers left".into());
    }
    let mut b = FunctionBuilder::new(func, fctx);
    let cc = sig.call_conv;
    let mk = |params: &[Type], rets: &[Type]| {
        let mut s = Signature::new(cc);
        s.params.extend(params.iter().map(|&t| AbiParam::new(t)));
        s.returns.extend(rets.iter().map(|&t| AbiParam::new(t)));
        s
    };
    use types::{F32, F64, I32, I64};
    let sigs = Sigs {
        enter: b.import_signature(mk(&[I64, I64], &[I64])),
        frame: b.import_signature(mk(&[I64], &[I64])),
        leave: b.import_signature(mk(&[I64], &[])),
        op: b.import_signature(mk(&[I64, I64, I64, I32], &[I32])),
        finish: b.import_signature(mk(&[I64, I64, I64, I32], &[I64])),
        compare: b.import_signature(mk(&[I64, I64, I64, I64, I32], &[I32])),
        throw: b.import_signature(mk(&[I64, I64], &[])),
        catch: b.import_signature(mk(&[I64], &[I64])),
        entry: b.import_signature(mk(&[I64, I64], &[I64])),
        fmod: b.import_signature(mk(&[F64, F64], &[F64])),
        fmodf: b.import_signature(mk(&[F32, F32], &[F32])),
        method_entry: b.import_signature(mk(&[I64, I64, I64, I32, I32], &[I64])),
        closure: b.import_signature(mk(&[I64, I64, I32], &[I64])),
        vm_u32: b.import_signature(mk(&[I64, I32], &[I64])),
        vm_u64: b.import_signature(mk(&[I64, I64], &[I64])),
        vm_u64_u32: b.import_signature(mk(&[I64, I64, I32], &[I64])),
        vm_u64_u32_u32: b.import_signature(mk(&[I64, I64, I32, I32], &[I64])),
        dyn_set: b.import_signature(mk(&[I64, I64, I32, I64, I32], &[])),
    };
    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    let params = b.block_params(entry).to_vec();
    let (vm, osr_pc) = (params[0], params[1]);
    // The one "unknown" value of every data pointer (see `Tr::zero`).
    let zero = b.ins().iconst(I64, 0);

    let cls: Vec<Cls> = f.kinds.iter().map(|&k| cls_of(k)).collect();
    let vars: Vec<Variable> = cls.iter().map(|&c| b.declare_var(ty_of(c))).collect();
    // Registers read as one kind of object only (malformed bytecode could read one
    // register as two kinds: it is then looked up every time, with its kind checked).
    let mut kind: Vec<Option<u32>> = vec![None; cls.len()];
    let mut mixed = vec![false; cls.len()];
    for op in &f.func.ops {
        let Some((r, tag)) = data_access(op) else { continue };
        let Some(k) = kind.get_mut(r as usize) else { continue };
        match *k {
            None => *k = Some(tag),
            Some(t) if t != tag => mixed[r as usize] = true,
            Some(_) => {}
        }
    }
    let mut data = vec![None; cls.len()];
    for (r, k) in kind.iter().enumerate() {
        if let (Some(tag), false) = (*k, mixed[r]) {
            data[r] = Some((b.declare_var(I64), b.declare_var(I64), tag));
        }
    }
    let n = f.func.ops.len();
    let mut blocks = vec![None; n + 1];
    for (pc, &l) in an.leader.iter().enumerate() {
        if l {
            blocks[pc] = Some(b.create_block());
        }
    }
    let frame = b.declare_var(I64);
    let bp = b.declare_var(I64);
    let base = b.declare_var(I64);
    let osr = b.declare_var(I64);
    let depth = b.declare_var(I64);
    let pushed = b.declare_var(I64);
    let lazy = an.loop_heads.is_empty()
        && !f.func.ops.iter().any(|op| {
            matches!(
                op,
                Op::Call { .. } | Op::CallMethod { .. } | Op::CallThis { .. } | Op::CallClosure { .. } | Op::Ref { .. } | Op::Trap { .. }
            )
        });
    let ret = b.declare_var(I64);
    let tmp = b.declare_var(I64);
    let tmp2 = b.declare_var(I64);
    let tmp3 = b.declare_var(I64);
    let exit_ret = b.create_block();
    let exit_exc = b.create_block();
    b.set_cold_block(exit_exc);
    let mut region = |id: u32, what: &'static str| {
        Some(b.func.dfg.alias_regions.insert(AliasRegionData { user_id: id, description: what.into() }))
    };
    let (rvm, rwin, robj) = (region(1, "vm"), region(2, "window"), region(3, "heap"));
    let (rfr, rhdr, rbytes) = (region(4, "frames"), region(5, "headers"), region(6, "bytes"));
    let fvm = MemFlagsData::trusted().with_alias_region(rvm);
    let ffr = MemFlagsData::trusted().with_alias_region(rfr);
    // Not `aligned`: a heap table entry's slice pointers and a closure's bound value are
    // 8-byte fields at 4-byte-aligned offsets (`gc::layout`: entries are 24 bytes).
    let fhdr = MemFlagsData::new().with_notrap().with_alias_region(rhdr);
    let fwin = MemFlagsData::trusted().with_alias_region(rwin);
    let fobj = MemFlagsData::trusted().with_alias_region(robj);
    let fbytes = MemFlagsData::new().with_notrap().with_alias_region(rbytes);
    let mut t = Tr {
        b,
        code: &vm_ref.code,
        funcs: &vm_ref.funcs,
        f,
        an,
        cls,
        vars,
        window_ready: false,
        zero,
        vm_param: vm,
        cf: f as *const CompiledFn as i64,
        table_mask: vm_ref.heap.table_mask(),
        vm_cache: None,
        anchor_slot: None,
        pc: 0,
        valid_data: vec![None; f.kinds.len()],
        frame,
        bp,
        base,
        osr,
        depth,
        pushed,
        lazy,
        ret,
        tmp,
        tmp2,
        tmp3,
        blocks,
        exit_ret,
        exit_exc,
        catches: HashMap::default(),
        sigs,
        terminated: false,
        methods,
        data,
        fvm,
        ffr,
        fwin,
        fhdr,
        fobj,
        fbytes,
    };
    t.prologue(osr_pc)?;
    for pc in 0..n {
        t.op(pc)?;
    }
    if !t.terminated {
        let z = t.b.ins().iconst(I64, 0);
        t.b.def_var(t.ret, z);
        t.b.ins().jump(t.exit_ret, &[]);
    }
    t.epilogue();
    t.b.seal_all_blocks();
    t.b.finalize(target);
    Ok(())
}

impl Tr<'_, '_> {
    // ------------------------------------------------------------------ helpers

    fn helper(&mut self, addr: usize, sig: SigRef, args: &[Value]) -> Option<Value> {
        let callee = self.b.ins().iconst(types::I64, addr as i64);
        let inst = self.b.ins().call_indirect(sig, callee, args);
        let r = self.b.inst_results(inst).first().copied();
        self.after_call();
        r
    }

    /// [`Tr::helper`] with the VM pointer as the first argument, before `args`.
    fn vm_helper(&mut self, addr: usize, sig: SigRef, args: &[Value]) -> Option<Value> {
        let mut all = Vec::with_capacity(args.len() + 1);
        all.push(self.vm());
        all.extend_from_slice(args);
        self.helper(addr, sig, &all)
    }

    /// A new block placed after all the others (Cranelift's cold blocks): for paths
    /// that rarely run (the interpreter's slow paths, helpers that handle misses,
    /// collections, exceptions), so that the common path falls through densely.
    fn cold_block(&mut self) -> Block {
        let b = self.b.create_block();
        self.b.set_cold_block(b);
        b
    }

    /// Forgets the object data pointer known for register `r` (it is being written).
    fn forget_data(&mut self, r: Reg) {
        if let Some(Some((p, _, _))) = self.data.get(r as usize) {
            let p = *p;
            self.b.def_var(p, self.zero);
        }
    }

    /// After a call of compiled code or a helper: object data pointers are forgotten
    /// (registers whose address is taken are read from the window: see [`Tr::get`]).
    fn after_call(&mut self) {
        self.vm_cache = None;
        self.forget_all_data();
    }

    /// Forgets every known object data pointer (after a call: a reload may have
    /// replaced an instance's fields).
    fn forget_all_data(&mut self) {
        if self.data.iter().all(|d| d.is_none()) {
            return;
        }
        for &(p, _, _) in self.data.iter().flatten() {
            self.b.def_var(p, self.zero);
        }
    }

    /// `(data pointer, length)` of the heap object behind register `r` when its kind is
    /// `tag` (the slices at `ptr`/`len` of its table entry); branches to `slow`
    /// otherwise. Known from an earlier access since `r` was last written, they cost
    /// no load (see `Tr::data`), and no test either where every path looked them up
    /// (`Tr::valid_data`; farm-bench A/B nbody 0.87, fannkuch 1.05 although it runs
    /// 5.7 % fewer instructions, the rest unchanged).
    fn object_data(&mut self, r: Reg, tag: u32, ptr: usize, len: usize, slow: Block) -> (Value, Value) {
        self.object_data_checked(r, tag, ptr, len, None, slow).0
    }

    /// [`Tr::object_data`], for an access of element `index` (`Some`): when the object
    /// is looked up here, the lookup also checks that its length exceeds `index`, in
    /// the same branch as its kind, and the result says so (`true`); otherwise the
    /// caller checks the index.
    fn object_data_checked(&mut self, r: Reg, tag: u32, ptr: usize, len: usize, index: Option<u32>, slow: Block) -> ((Value, Value), bool) {
        use types::I64;
        let Some(Some((pv, lv, _))) = self.data.get(r as usize).copied().filter(|d| d.is_some_and(|d| d.2 == tag)) else {
            return (self.lookup_data(r, tag, ptr, len, index, slow), index.is_some());
        };
        let known = self.b.use_var(pv);
        if self.valid_data[r as usize] == Some(known) {
            // Looked up on every path here, since the last write or call: no test.
            let n = self.b.use_var(lv);
            return ((known, n), false);
        }
        if known == self.zero {
            // Forgotten on every path here (the register was just written): look it up.
            let (p, n) = self.lookup_data(r, tag, ptr, len, index, slow);
            self.b.def_var(pv, p);
            self.b.def_var(lv, n);
            self.valid_data[r as usize] = Some(p);
            return ((p, n), index.is_some());
        }
        let look = self.b.create_block();
        let have = self.b.create_block();
        let p = self.b.append_block_param(have, I64);
        let n = self.b.append_block_param(have, I64);
        let cached_len = self.b.use_var(lv);
        self.b.ins().brif(known, have, &[known.into(), cached_len.into()], look, &[]);
        self.b.switch_to_block(look);
        let (lp, ln) = self.lookup_data(r, tag, ptr, len, None, slow);
        self.b.def_var(pv, lp);
        self.b.def_var(lv, ln);
        self.b.ins().jump(have, &[lp.into(), ln.into()]);
        self.b.switch_to_block(have);
        self.b.def_var(pv, p);
        self.b.def_var(lv, n);
        self.valid_data[r as usize] = Some(p);
        ((p, n), false)
    }

    /// [`Tr::object_data`] read from the handle table; with `index`, also checks that
    /// the length exceeds it, in the same branch as the kind (an entry is always
    /// readable, whatever its kind: see [`Tr::obj_of`]).
    fn lookup_data(&mut self, r: Reg, tag: u32, ptr: usize, len: usize, index: Option<u32>, slow: Block) -> (Value, Value) {
        let s = self.get_slot(r);
        let Some(index) = index else {
            let addr = self.obj_of(s, tag, slow);
            // Lengths are `u32`s (`gc::Slots`).
            let n = self.b.ins().uload32(self.fhdr, addr, len as i32);
            let p = self.b.ins().load(types::I64, self.fhdr, addr, ptr as i32);
            return (p, n);
        };
        let addr = self.entry_of(s);
        let t = self.b.ins().load(types::I32, self.fhdr, addr, layout::TAG as i32);
        let n = self.b.ins().uload32(self.fhdr, addr, len as i32);
        let p = self.b.ins().load(types::I64, self.fhdr, addr, ptr as i32);
        let is = self.b.ins().icmp_imm_s(IntCC::Equal, t, tag as i64);
        let inb = self.b.ins().icmp_imm_u(IntCC::UnsignedGreaterThan, n, index as i64);
        let ok = self.b.ins().band(is, inb);
        let c2 = self.b.create_block();
        self.b.ins().brif(ok, c2, &[], slow, &[]);
        self.b.switch_to_block(c2);
        (p, n)
    }

    fn block(&mut self, pc: usize) -> Block {
        match self.blocks[pc] {
            Some(b) => b,
            None => {
                let b = self.b.create_block();
                self.blocks[pc] = Some(b);
                b
            }
        }
    }

    /// The VM pointer. Where compiled code keeps it in Cranelift's pinned register
    /// ([`super::PINNED_VM`]) it is read from that register once per block between
    /// calls (a read is a register move; the register is never allocated, so unlike a
    /// parameter live across the whole function the value needs no spill slot);
    /// elsewhere it is the entry's parameter.
    fn vm(&mut self) -> Value {
        if super::PINNED_VM {
            let here = self.b.current_block();
            if let (Some(b), Some((cb, v))) = (here, self.vm_cache) {
                if b == cb {
                    return v;
                }
            }
            let v = self.b.ins().get_pinned_reg(types::I64);
            self.vm_cache = here.map(|b| (b, v));
            v
        } else {
            self.vm_param
        }
    }

    fn load_vm(&mut self, ty: Type, off: i32) -> Value {
        let vm = self.vm();
        self.b.ins().load(ty, self.fvm, vm, off)
    }

    /// Records the op being executed in the frame (stack traces, `NullCheck` names).
    fn set_pc(&mut self, pc: usize) {
        if self.lazy {
            self.materialize_frame();
        }
        let fr = self.b.use_var(self.frame);
        let v = self.b.ins().iconst(types::I32, pc as i64);
        self.b.ins().store(self.ffr, v, fr, std::mem::offset_of!(Frame, pc) as i32);
    }

    // ------------------------------------------------------------------ registers

    fn to_slot(&mut self, v: Value, c: Cls) -> Value {
        let ins = self.b.ins();
        match c {
            Cls::I32 => ins.uextend(types::I64, v),
            Cls::I64 | Cls::Slot => v,
            Cls::F32 => {
                let i = ins.bitcast(types::I32, MemFlagsData::new(), v);
                self.b.ins().uextend(types::I64, i)
            }
            Cls::F64 => ins.bitcast(types::I64, MemFlagsData::new(), v),
        }
    }

    fn from_slot(&mut self, s: Value, c: Cls) -> Value {
        let ins = self.b.ins();
        match c {
            Cls::I32 => ins.ireduce(types::I32, s),
            Cls::I64 | Cls::Slot => s,
            Cls::F32 => {
                let i = ins.ireduce(types::I32, s);
                self.b.ins().bitcast(types::F32, MemFlagsData::new(), i)
            }
            Cls::F64 => ins.bitcast(types::F64, MemFlagsData::new(), s),
        }
    }

    fn slot_addr_off(r: Reg) -> i32 {
        (r as i32) * 8
    }

    fn get(&mut self, r: Reg) -> Value {
        // A register whose address is taken lives in the window (a callee or native may
        // write it through a `Ref`): read where it is used, so calls reload nothing.
        if self.window_ready && self.an.address_taken[r as usize] {
            let bp = self.b.use_var(self.bp);
            return self.b.ins().load(ty_of(self.cls[r as usize]), self.fwin, bp, Self::slot_addr_off(r));
        }
        self.b.use_var(self.vars[r as usize])
    }

    fn get_as(&mut self, r: Reg, c: Cls) -> Value {
        let rc = self.cls[r as usize];
        let v = self.get(r);
        if rc == c {
            return v;
        }
        let s = self.to_slot(v, rc);
        self.from_slot(s, c)
    }

    fn get_slot(&mut self, r: Reg) -> Value {
        let c = self.cls[r as usize];
        let v = self.get(r);
        self.to_slot(v, c)
    }

    /// `R[r]` as stored in an 8-byte slot (window, field, argument): the slot form,
    /// except that a `Float` is stored as it is (same bits; no move through an integer
    /// register).
    fn get_stored(&mut self, r: Reg) -> Value {
        let c = self.cls[r as usize];
        let v = self.get(r);
        self.stored_form(v, c)
    }

    /// `v` (of class `c`) in the form [`Tr::get_stored`] gives.
    fn stored_form(&mut self, v: Value, c: Cls) -> Value {
        if c == Cls::F64 { v } else { self.to_slot(v, c) }
    }

    fn store_window(&mut self, r: Reg, v: Value, c: Cls) {
        let s = self.stored_form(v, c);
        let bp = self.b.use_var(self.bp);
        self.b.ins().store(self.fwin, s, bp, Self::slot_addr_off(r));
    }

    /// `R[r] := v` (`v` of `r`'s class).
    fn set(&mut self, r: Reg, v: Value) {
        let c = self.cls[r as usize];
        let v = if matches!(c, Cls::F64 | Cls::F32) { self.anchor(r, v) } else { v };
        self.forget_data(r);
        self.b.def_var(self.vars[r as usize], v);
        if c == Cls::Slot || self.an.address_taken[r as usize] {
            self.store_window(r, v, c);
        }
    }

    /// `v` (the new value of register `r`), computed here. Cranelift's optimiser places
    /// a pure instruction at its first use, and an op's fast path (a field store, say)
    /// is a block that does not dominate the ops after it, so each later use computed
    /// it again: nbody's `advance` took three square roots and divisions per body pair
    /// where it needs one. A store has effects and stays where it is, with its
    /// operand computed before it, so a costly float (a division or a square root)
    /// that later ops read more than once is stored to a stack slot nothing reads
    /// (farm-bench A/B: nbody 0.82, spectralnorm and mandelbrot unchanged; storing
    /// every float result made spectralnorm 7 % slower).
    fn anchor(&mut self, r: Reg, v: Value) -> Value {
        let dfg = &self.b.func.dfg;
        use cranelift_codegen::ir::{Opcode, ValueDef};
        let costly = match dfg.value_def(v) {
            ValueDef::Result(inst, _) => matches!(dfg.insts[inst].opcode(), Opcode::Fdiv | Opcode::Sqrt),
            _ => false,
        };
        if !costly || !self.read_twice(r) {
            return v;
        }
        let slot = match self.anchor_slot {
            Some(s) => s,
            None => {
                let s = self.b.create_sized_stack_slot(cranelift_codegen::ir::StackSlotData::new(
                    cranelift_codegen::ir::StackSlotKind::ExplicitSlot,
                    8,
                    3,
                ));
                self.anchor_slot = Some(s);
                s
            }
        };
        self.b.ins().stack_store(types::I64, v, slot, 0);
        v
    }

    /// Whether register `r`, written by the current op, is read by two ops or more
    /// before it is written again, in the ops that follow (in order, up to 64 of them).
    fn read_twice(&self, r: Reg) -> bool {
        let mut reads = 0;
        for op in self.f.func.ops.iter().skip(self.pc + 1).take(64) {
            let (mut read, mut written) = (false, false);
            op_regs(op, |x| read |= x == r, |x| written |= x == r);
            reads += read as u32;
            if reads >= 2 {
                return true;
            }
            if written {
                return false;
            }
        }
        false
    }

    /// `R[r] := v` for an `f64` result: as it is in a `Float` register (no round trip
    /// through an integer register), else as its bits.
    fn set_f64(&mut self, r: Reg, v: Value) {
        if self.cls[r as usize] == Cls::F64 {
            self.set(r, v);
        } else {
            let s = self.b.ins().bitcast(types::I64, MemFlagsData::new(), v);
            self.set_slot(r, s);
        }
    }

    fn set_slot(&mut self, r: Reg, s: Value) {
        let c = self.cls[r as usize];
        let v = self.from_slot(s, c);
        self.set(r, v);
    }

    /// `R[r] := v` for an `i32` result, truncated to `r`'s width as the interpreter does.
    fn set_i32(&mut self, r: Reg, v: Value) {
        let v = match self.f.kinds[r as usize] {
            Kind::U8 => self.b.ins().band_imm_u(v, 0xFF),
            Kind::U16 => self.b.ins().band_imm_u(v, 0xFFFF),
            Kind::Bool => self.b.ins().band_imm_u(v, 1),
            _ => v,
        };
        if self.cls[r as usize] == Cls::I32 {
            self.set(r, v);
        } else {
            let s = self.b.ins().uextend(types::I64, v);
            self.set_slot(r, s);
        }
    }

    /// `R[r] := ` a constant given in register format.
    fn set_const(&mut self, r: Reg, slot: u64) {
        let v = match self.cls[r as usize] {
            Cls::I32 => self.b.ins().iconst(types::I32, slot as u32 as i64),
            Cls::I64 | Cls::Slot => self.b.ins().iconst(types::I64, slot as i64),
            Cls::F32 => self.b.ins().f32const(Ieee32::with_bits(slot as u32)),
            Cls::F64 => self.b.ins().f64const(Ieee64::with_bits(slot)),
        };
        self.set(r, v);
    }

    /// Stores a register to its window slot before the interpreter reads it.
    fn spill(&mut self, r: Reg) {
        // References and registers whose address is taken are written through already;
        // an argument no op reads keeps the value the caller stored.
        let c = self.cls[r as usize];
        if c != Cls::Slot && !self.an.address_taken[r as usize] && !self.unread_arg(r) {
            let v = self.b.use_var(self.vars[r as usize]);
            self.store_window(r, v, c);
        }
    }

    /// Reads a register back from its window slot after the interpreter wrote it.
    fn reload(&mut self, r: Reg) {
        self.forget_data(r);
        let c = self.cls[r as usize];
        let bp = self.b.use_var(self.bp);
        let v = self.b.ins().load(ty_of(c), self.fwin, bp, Self::slot_addr_off(r));
        self.b.def_var(self.vars[r as usize], v);
    }

    // ------------------------------------------------------------------ control

    /// Where an exception raised at `pc` goes: the innermost active handler, or out.
    fn exc_target(&mut self, pc: usize) -> Block {
        let handler = self.an.traps[pc].as_ref().and_then(|t| t.last().copied());
        match handler {
            Some(h) => match self.catches.get(&h) {
                Some(&b) => b,
                None => {
                    let b = self.cold_block();
                    self.catches.insert(h, b);
                    b
                }
            },
            None => self.exit_exc,
        }
    }

    /// After a helper that can fail: leave for the handler when an exception is pending.
    fn check_exc(&mut self, pc: usize) {
        let flag = self.load_vm(types::I8, vm_off!(jit_exc));
        let handler = self.exc_target(pc);
        let cont = self.b.create_block();
        self.b.ins().brif(flag, handler, &[], cont, &[]);
        self.b.switch_to_block(cont);
    }

    /// Non-zero when a safepoint has work: a collection is due (`heap.due`) or another
    /// thread asks for the VM lock (`*preempt_ptr`, written by other threads, hence
    /// read with an atomic load that is never hoisted out of a loop).
    fn safepoint_due(&mut self) -> Value {
        let due = self.load_vm(types::I8, vm_off!(heap.due));
        let p = self.load_vm(types::I64, vm_off!(preempt_ptr));
        let pre = self.b.ins().atomic_load(types::I8, MemFlagsData::trusted(), p);
        self.b.ins().bor(due, pre)
    }

    /// A block that jumps to `target`, running the GC safepoint first when the jump
    /// goes backwards.
    fn edge(&mut self, pc: usize, target: u32) -> Block {
        let dest = self.block(target as usize);
        if target as usize > pc {
            return dest;
        }
        let here = self.b.current_block();
        let sp = self.b.create_block();
        let gc = self.cold_block();
        self.b.switch_to_block(sp);
        let due = self.safepoint_due();
        self.b.ins().brif(due, gc, &[], dest, &[]);
        self.b.switch_to_block(gc);
        self.vm_helper(helpers::collect as *const () as usize, self.sigs.leave, &[]);
        self.b.ins().jump(dest, &[]);
        if let Some(h) = here {
            self.b.switch_to_block(h);
        }
        sp
    }

    fn branch(&mut self, pc: usize, cond: Value, target: u32, negate: bool) {
        let taken = self.edge(pc, target);
        let fall = self.block(pc + 1);
        if negate {
            self.b.ins().brif(cond, fall, &[], taken, &[]);
        } else {
            self.b.ins().brif(cond, taken, &[], fall, &[]);
        }
        self.terminated = true;
    }

    // ------------------------------------------------------------------ entry, exit

    fn prologue(&mut self, osr_pc: Value) -> Result<(), String> {
        use types::I64;
        let normal = self.b.create_block();
        let normal2 = self.b.create_block();
        let osr_blk = if self.an.loop_heads.is_empty() { normal } else { self.cold_block() };
        let failed = self.cold_block();
        // Only a function with a loop can be entered in the middle (the interpreter hands
        // a call over at a loop head).
        if self.an.loop_heads.is_empty() {
            self.b.ins().jump(normal, &[]);
        } else {
            let is_osr = self.b.ins().icmp_imm_s(IntCC::SignedGreaterThanOrEqual, osr_pc, 0);
            self.b.ins().brif(is_osr, osr_blk, &[], normal, &[]);
        }

        self.b.switch_to_block(normal);
        if self.lazy {
            return self.lazy_prologue(failed);
        }
        // Normal call: the frame is ours to push (inline; the helper when the stack is
        // full, which raises `Stack overflow`).
        let depth = self.load_vm(I64, vm_off!(frames.len));
        let sp = self.load_vm(I64, vm_off!(sp));
        let slen = self.load_vm(I64, vm_off!(stack_len));
        let nregs = self.cls.len() as i64;
        let end = self.b.ins().iadd_imm_s(sp, nregs);
        let ok1 = self.frame_room(depth);
        let ok2 = self.b.ins().icmp(IntCC::UnsignedLessThanOrEqual, end, slen);
        let ok = self.b.ins().band(ok1, ok2);
        let fast = self.b.create_block();
        let slow = self.cold_block();
        self.b.ins().brif(ok, fast, &[], slow, &[]);

        self.b.switch_to_block(slow);
        let cf = self.b.ins().iconst(I64, self.cf);
        let fr = self.vm_helper(helpers::enter as *const () as usize, self.sigs.enter, &[cf]).ok_or("enter")?;
        self.b.def_var(self.frame, fr);
        let pushed = self.cold_block();
        self.b.ins().brif(fr, pushed, &[], failed, &[]);
        self.b.switch_to_block(pushed);
        let base = self.b.ins().load(I64, self.ffr, fr, std::mem::offset_of!(Frame, base) as i32);
        self.b.def_var(self.base, base);
        let n = self.load_vm(I64, vm_off!(frames.len));
        let d = self.b.ins().iadd_imm_s(n, -1);
        self.b.def_var(self.depth, d);
        let one = self.b.ins().iconst(I64, 1);
        self.b.def_var(self.pushed, one);
        self.b.ins().jump(normal2, &[]);

        self.b.switch_to_block(fast);
        let fr = self.push_frame(depth, sp);
        let z32 = self.b.ins().iconst(types::I32, 0);
        self.b.ins().store(self.ffr, z32, fr, std::mem::offset_of!(Frame, pc) as i32);
        // Registers the collector scans (or that live in the window) start as 0.
        let stack = self.load_vm(I64, vm_off!(stack_ptr));
        let soff = self.b.ins().ishl_imm_u(sp, 3);
        let bp = self.b.ins().iadd(stack, soff);
        self.zero_scanned_registers(bp);
        self.b.def_var(self.frame, fr);
        self.b.def_var(self.base, sp);
        self.b.def_var(self.depth, depth);
        let one = self.b.ins().iconst(I64, 1);
        self.b.def_var(self.pushed, one);
        let due = self.safepoint_due();
        let gc = self.cold_block();
        self.b.ins().brif(due, gc, &[], normal2, &[]);
        self.b.switch_to_block(gc);
        self.vm_helper(helpers::collect as *const () as usize, self.sigs.leave, &[]);
        self.b.ins().jump(normal2, &[]);

        self.b.switch_to_block(failed);
        let z = self.b.ins().iconst(I64, 0);
        self.b.ins().return_(&[z]);
        self.b.switch_to_block(normal2);
        self.frame_vars(0);
        self.init_registers();
        self.window_ready = true;
        let first = self.block(0);
        self.b.ins().jump(first, &[]);
        self.terminated = true;
        if self.an.loop_heads.is_empty() {
            return Ok(());
        }

        // On-stack replacement: the interpreter's frame, registers in the window.
        self.b.switch_to_block(osr_blk);
        self.window_ready = false;
        let fr = self.vm_helper(helpers::current_frame as *const () as usize, self.sigs.frame, &[]).ok_or("frame")?;
        self.b.def_var(self.frame, fr);
        let base = self.b.ins().load(I64, self.ffr, fr, std::mem::offset_of!(Frame, base) as i32);
        self.b.def_var(self.base, base);
        let n = self.load_vm(I64, vm_off!(frames.len));
        let d = self.b.ins().iadd_imm_s(n, -1);
        self.b.def_var(self.depth, d);
        self.frame_vars(1);
        for r in 0..self.cls.len() as Reg {
            self.reload(r);
        }
        self.window_ready = true;
        let heads = self.an.loop_heads.clone();
        for h in heads {
            let next = self.cold_block();
            let dest = self.block(h as usize);
            let hit = self.b.ins().icmp_imm_s(IntCC::Equal, osr_pc, h as i64);
            self.b.ins().brif(hit, dest, &[], next, &[]);
            self.b.switch_to_block(next);
        }
        // Not a loop head of this function: report it rather than run anything.
        let msg = self.b.ins().iconst(I64, 0);
        self.vm_helper(helpers::rethrow as *const () as usize, self.sigs.throw, &[msg]);
        self.b.ins().jump(self.exit_exc, &[]);
        self.terminated = true;
        Ok(())
    }

    /// Entry of a function with a lazy frame (see `Tr::lazy`): only the window is
    /// taken (scanned registers zeroed), `sp` and the frames are left alone until
    /// something needs the frame ([`Tr::materialize_frame`]). The window's bounds are
    /// checked here only when there are registers to zero: otherwise the fast path only
    /// reads the arguments (which the caller stored, within bounds) and writes nothing
    /// beyond them, and every store to the rest of the window comes after
    /// [`Tr::materialize_frame`], which checks them (`dispatch`'s leaf methods).
    fn lazy_prologue(&mut self, failed: Block) -> Result<(), String> {
        use types::I64;
        let sp = self.load_vm(I64, vm_off!(sp));
        let fast = self.b.create_block();
        let start = self.b.create_block();
        if !self.scanned_registers().is_empty() {
            let ok = self.window_fits(sp);
            let slow = self.cold_block();
            self.b.ins().brif(ok, fast, &[], slow, &[]);
            // No room: the helper raises `Stack overflow`.
            self.b.switch_to_block(slow);
            let cf = self.b.ins().iconst(I64, self.cf);
            self.vm_helper(helpers::enter as *const () as usize, self.sigs.enter, &[cf]);
            self.b.ins().jump(failed, &[]);
        } else {
            self.b.ins().jump(fast, &[]);
        }
        self.b.switch_to_block(fast);
        let stack = self.load_vm(I64, vm_off!(stack_ptr));
        let soff = self.b.ins().ishl_imm_u(sp, 3);
        let bp = self.b.ins().iadd(stack, soff);
        let z = self.zero_scanned_registers(bp);
        self.b.def_var(self.base, sp);
        self.b.def_var(self.bp, bp);
        self.b.def_var(self.pushed, z);
        self.b.def_var(self.osr, z);
        self.b.def_var(self.frame, z);
        self.b.def_var(self.depth, z);
        self.b.ins().jump(start, &[]);
        self.b.switch_to_block(failed);
        let z = self.b.ins().iconst(I64, 0);
        self.b.ins().return_(&[z]);
        self.b.switch_to_block(start);
        self.init_registers();
        self.window_ready = true;
        let first = self.block(0);
        self.b.ins().jump(first, &[]);
        self.terminated = true;
        Ok(())
    }

    /// Whether our window, starting at `base`, fits in the VM's stack (an `i8`
    /// condition).
    fn window_fits(&mut self, base: Value) -> Value {
        use types::I64;
        let slen = self.load_vm(I64, vm_off!(stack_len));
        let end = self.b.ins().iadd_imm_s(base, self.cls.len() as i64);
        self.b.ins().icmp(IntCC::UnsignedLessThanOrEqual, end, slen)
    }

    /// In a function with a lazy frame, before anything that may look at the frame
    /// (a helper, the interpreter, a throw): pushes it if not done yet, with the depth
    /// and native-stack checks (`Stack overflow` returns from the function at once).
    fn materialize_frame(&mut self) {
        use types::I64;
        let have = self.b.create_block();
        let push = self.cold_block();
        let pushed = self.b.use_var(self.pushed);
        self.b.ins().brif(pushed, have, &[], push, &[]);
        self.b.switch_to_block(push);
        let depth = self.load_vm(I64, vm_off!(frames.len));
        let ok = self.frame_room(depth);
        // The window too: the prologue may not have checked it (see `lazy_prologue`).
        let base = self.b.use_var(self.base);
        let fits = self.window_fits(base);
        let ok = self.b.ins().band(ok, fits);
        let room = self.cold_block();
        let full = self.cold_block();
        self.b.ins().brif(ok, room, &[], full, &[]);
        self.b.switch_to_block(full);
        self.vm_helper(helpers::overflow as *const () as usize, self.sigs.leave, &[]);
        // Out at once: a lazy function has no handler, its frame was not pushed and it
        // leaves `sp` alone. (The result is ignored with an exception pending.)
        let any = self.vm();
        self.b.ins().return_(&[any]);
        self.b.switch_to_block(room);
        let fr = self.push_frame(depth, base);
        self.b.def_var(self.frame, fr);
        self.b.def_var(self.depth, depth);
        let one = self.b.ins().iconst(I64, 1);
        self.b.def_var(self.pushed, one);
        self.b.ins().jump(have, &[]);
        self.b.switch_to_block(have);
    }

    /// Whether a frame can be pushed above `depth` frames: under `max_depth`, and the
    /// native stack above its limit (an `i8` condition).
    fn frame_room(&mut self, depth: Value) -> Value {
        use types::I64;
        let maxd = self.load_vm(I64, vm_off!(max_depth));
        let ok1 = self.b.ins().icmp(IntCC::UnsignedLessThan, depth, maxd);
        let limit = self.load_vm(I64, vm_off!(stack_limit));
        let nsp = self.b.ins().get_stack_pointer(I64);
        let ok2 = self.b.ins().icmp(IntCC::UnsignedGreaterThanOrEqual, nsp, limit);
        self.b.ins().band(ok1, ok2)
    }

    /// Pushes our frame (function, window `base`) as frame number `depth` and takes the
    /// window (`sp := base + nregs`); returns the frame's address.
    fn push_frame(&mut self, depth: Value, base: Value) -> Value {
        use types::I64;
        let frames = self.load_vm(I64, vm_off!(frames.ptr));
        let off = self.b.ins().imul_imm_u(depth, std::mem::size_of::<Frame>() as i64);
        let fr = self.b.ins().iadd(frames, off);
        let cf = self.b.ins().iconst(I64, self.cf);
        self.b.ins().store(self.ffr, cf, fr, std::mem::offset_of!(Frame, fun) as i32);
        self.b.ins().store(self.ffr, base, fr, std::mem::offset_of!(Frame, base) as i32);
        let d1 = self.b.ins().iadd_imm_s(depth, 1);
        let vm = self.vm();
        self.b.ins().store(self.fvm, d1, vm, vm_off!(frames.len));
        let end = self.b.ins().iadd_imm_s(base, self.cls.len() as i64);
        let vm = self.vm();
        self.b.ins().store(self.fvm, end, vm, vm_off!(sp));
        fr
    }

    /// Arguments read from the window, other registers 0 (normal entry).
    fn init_registers(&mut self) {
        let nargs = self.f.nargs.min(self.cls.len());
        for r in 0..self.cls.len() as Reg {
            // An argument no op reads stays in the window (see `spill`): 0 stands for it.
            if (r as usize) < nargs && !self.unread_arg(r) {
                self.reload(r);
            } else {
                let z = match self.cls[r as usize] {
                    Cls::I32 => self.b.ins().iconst(types::I32, 0),
                    Cls::I64 | Cls::Slot => self.b.ins().iconst(types::I64, 0),
                    Cls::F32 => self.b.ins().f32const(0.0f32),
                    Cls::F64 => self.b.ins().f64const(0.0f64),
                };
                self.b.def_var(self.vars[r as usize], z);
            }
        }
    }

    /// Zeroes the window slots of registers the collector scans or whose address is
    /// taken (arguments excepted); returns the 0 constant.
    fn zero_scanned_registers(&mut self, bp: Value) -> Value {
        let z = self.b.ins().iconst(types::I64, 0);
        for r in self.scanned_registers() {
            self.b.ins().store(self.fwin, z, bp, r as i32 * 8);
        }
        z
    }

    /// The registers after the arguments that live in the window at all times: the
    /// collector scans them (references) or their address is taken.
    fn scanned_registers(&self) -> Vec<usize> {
        (self.f.nargs.min(self.cls.len())..self.cls.len()).filter(|&r| self.cls[r] == Cls::Slot || self.an.address_taken[r]).collect()
    }

    /// Whether `r` is an argument that no op reads (see `Analysis::read`).
    fn unread_arg(&self, r: Reg) -> bool {
        (r as usize) < self.f.nargs && !self.an.read[r as usize] && !self.an.address_taken[r as usize]
    }


    /// Defines `bp` (from `base`) and `osr` once the frame is known.
    fn frame_vars(&mut self, osr: i64) {
        use types::I64;
        let base = self.b.use_var(self.base);
        let stack = self.load_vm(I64, vm_off!(stack_ptr));
        let off = self.b.ins().ishl_imm_u(base, 3);
        let bp = self.b.ins().iadd(stack, off);
        self.b.def_var(self.bp, bp);
        let o = self.b.ins().iconst(I64, osr);
        self.b.def_var(self.osr, o);
    }

    fn epilogue(&mut self) {
        // Handlers: take the exception, store it in the handler's register, jump.
        let mut catches: Vec<((Reg, u32), Block)> = self.catches.iter().map(|(&k, &v)| (k, v)).collect();
        catches.sort_by_key(|&((_, t), _)| t);
        for ((reg, target), blk) in catches {
            self.b.switch_to_block(blk);
            let v = self.vm_helper(helpers::catch as *const () as usize, self.sigs.catch, &[]).unwrap_or(self.zero);
            let flag = self.load_vm(types::I8, vm_off!(jit_exc));
            let ok = self.b.create_block();
            self.b.ins().brif(flag, self.exit_exc, &[], ok, &[]);
            self.b.switch_to_block(ok);
            self.set_slot(reg, v);
            let dest = self.block(target as usize);
            self.b.ins().jump(dest, &[]);
        }
        self.b.switch_to_block(self.exit_exc);
        if self.lazy {
            // An exception always comes after the frame was pushed (`set_pc`). The
            // result is ignored with an exception pending: any value will do, and one
            // already in a register keeps a constant from living across every call.
            self.pop_frame_from_memory();
            let any = self.vm();
            self.b.ins().return_(&[any]);
        } else {
            let z = self.b.ins().iconst(types::I64, 0);
            self.b.def_var(self.ret, z);
            self.b.ins().jump(self.exit_ret, &[]);
        }

        self.b.switch_to_block(self.exit_ret);
        let leave = self.b.create_block();
        let done = self.b.create_block();
        if self.lazy {
            let pushed = self.b.use_var(self.pushed);
            self.b.ins().brif(pushed, leave, &[], done, &[]);
        } else if self.an.loop_heads.is_empty() {
            self.b.ins().jump(leave, &[]);
        } else {
            let osr = self.b.use_var(self.osr);
            self.b.ins().brif(osr, done, &[], leave, &[]);
        }
        self.b.switch_to_block(leave);
        // Pop our frame and free the window.
        let fl = self.fvm;
        let d = self.b.use_var(self.depth);
        let vm = self.vm();
        self.b.ins().store(fl, d, vm, vm_off!(frames.len));
        let base = self.b.use_var(self.base);
        let vm = self.vm();
        self.b.ins().store(fl, base, vm, vm_off!(sp));
        self.b.ins().jump(done, &[]);
        self.b.switch_to_block(done);
        let r = self.b.use_var(self.ret);
        self.b.ins().return_(&[r]);
    }

    // ------------------------------------------------------------------ ops

    fn op(&mut self, pc: usize) -> Result<(), String> {
        self.pc = pc;
        if self.an.leader[pc] {
            let blk = self.block(pc);
            if !self.terminated {
                self.b.ins().jump(blk, &[]);
            }
            self.b.switch_to_block(blk);
            self.terminated = false;
        } else if self.terminated {
            // Unreachable code: give it a block of its own.
            let blk = self.b.create_block();
            self.b.switch_to_block(blk);
            self.terminated = false;
        }
        let f = self.f;
        let op = &f.func.ops[pc];
        match op {
            Op::Mov { dst, src } => {
                let v = self.get_as(*src, self.cls[*dst as usize]);
                self.set(*dst, v);
            }
            Op::Int { dst, idx } => {
                let Some(&v) = self.code.ints.get(*idx as usize) else { return Err("int constant".into()) };
                let slot = match self.f.kinds[*dst as usize] {
                    Kind::I64 => v as i64 as u64,
                    Kind::F64 => (v as f64).to_bits(),
                    _ => v as u32 as u64,
                };
                self.set_const(*dst, slot);
            }
            Op::Float { dst, idx } => {
                let Some(&v) = self.code.floats.get(*idx as usize) else { return Err("float constant".into()) };
                let slot = match self.f.kinds[*dst as usize] {
                    Kind::F32 => (v as f32).to_bits() as u64,
                    _ => v.to_bits(),
                };
                self.set_const(*dst, slot);
            }
            Op::Bool { dst, value } => self.set_const(*dst, *value as u64),
            Op::Null { dst } => self.set_const(*dst, 0),
            Op::Type { dst, ty } => self.set_const(*dst, *ty as u64 + 1),
            Op::Add { dst, a, b } => self.arith(*dst, *a, *b, ArOp::Add),
            Op::Sub { dst, a, b } => self.arith(*dst, *a, *b, ArOp::Sub),
            Op::Mul { dst, a, b } => self.arith(*dst, *a, *b, ArOp::Mul),
            Op::SDiv { dst, a, b } => self.arith(*dst, *a, *b, ArOp::SDiv),
            Op::UDiv { dst, a, b } => self.arith(*dst, *a, *b, ArOp::UDiv),
            Op::SMod { dst, a, b } => self.arith(*dst, *a, *b, ArOp::SMod),
            Op::UMod { dst, a, b } => self.arith(*dst, *a, *b, ArOp::UMod),
            Op::Shl { dst, a, b } => self.arith(*dst, *a, *b, ArOp::Shl),
            Op::SShr { dst, a, b } => self.arith(*dst, *a, *b, ArOp::SShr),
            Op::UShr { dst, a, b } => self.arith(*dst, *a, *b, ArOp::UShr),
            Op::And { dst, a, b } => self.arith(*dst, *a, *b, ArOp::And),
            Op::Or { dst, a, b } => self.arith(*dst, *a, *b, ArOp::Or),
            Op::Xor { dst, a, b } => self.arith(*dst, *a, *b, ArOp::Xor),
            Op::Neg { dst, src } => match self.f.kinds[*dst as usize] {
                Kind::F64 => {
                    let x = self.get_as(*src, Cls::F64);
                    let z = self.b.ins().f64const(0.0f64);
                    let v = self.b.ins().fsub(z, x);
                    self.set(*dst, v);
                }
                Kind::F32 => {
                    let x = self.get_as(*src, Cls::F32);
                    let z = self.b.ins().f32const(0.0f32);
                    let v = self.b.ins().fsub(z, x);
                    self.set(*dst, v);
                }
                Kind::I64 => {
                    let x = self.get_as(*src, Cls::I64);
                    let v = self.b.ins().ineg(x);
                    self.set(*dst, v);
                }
                _ => {
                    let x = self.get_as(*src, Cls::I32);
                    let v = self.b.ins().ineg(x);
                    self.set_i32(*dst, v);
                }
            },
            Op::Not { dst, src } => {
                let x = self.get_as(*src, Cls::I32);
                let z = self.b.ins().icmp_imm_s(IntCC::Equal, x, 0);
                let s = self.b.ins().uextend(types::I64, z);
                self.set_slot(*dst, s);
            }
            Op::Incr { dst } => self.step(*dst, 1),
            Op::Decr { dst } => self.step(*dst, -1),
            Op::Call { dst, fun, args } => match (self.intrinsic(*fun), &args[..]) {
                (Some(name), [a]) => {
                    let x = self.get_as(*a, Cls::F64);
                    let v = if name == "math_sqrt" { self.b.ins().sqrt(x) } else { self.b.ins().fabs(x) };
                    self.set_f64(*dst, v);
                }
                _ => self.call(pc, *dst, *fun, args),
            },
            Op::UnsafeCast { dst, src }
                if self.f.kinds[*dst as usize] == self.f.kinds[*src as usize]
                    || !(self.f.kinds[*dst as usize].is_scalar() || self.f.kinds[*src as usize].is_scalar()) =>
            {
                // A reinterpretation (the interpreter copies the slot).
                let v = self.get_as(*src, self.cls[*dst as usize]);
                self.set(*dst, v);
            }
            Op::ToVirtual { dst, src } if self.f.kinds[*src as usize] == Kind::Ptr && self.cls[*dst as usize] == Cls::Slot => {
                // A view of the wanted type already (an interface value read back from
                // an `Array<Interface>` or a `Dynamic`) is itself; anything else, null
                // included, is converted by the interpreter.
                let to = self.f.func.regs[*dst as usize];
                self.with_slow_path(pc, op, |t, slow| {
                    let s = t.get_slot(*src);
                    let addr = t.obj_of(s, layout::TAG_VIRTUAL, slow);
                    let ty = t.b.ins().load(types::I32, t.fhdr, addr, layout::VIRTUAL_TY as i32);
                    let same = t.b.ins().icmp_imm_s(IntCC::Equal, ty, to as i64);
                    let ok = t.b.create_block();
                    t.b.ins().brif(same, ok, &[], slow, &[]);
                    t.b.switch_to_block(ok);
                    t.set_slot(*dst, s);
                });
            }
            Op::GetGlobal { dst, global } => {
                let g = self.load_vm(types::I64, vm_off!(globals_ptr));
                let c = self.cls[*dst as usize];
                let v = self.b.ins().load(ty_of(c), self.fobj, g, (*global as i32) * 8);
                self.set(*dst, v);
            }
            Op::SetGlobal { global, src } => {
                let s = self.get_slot(*src);
                let g = self.load_vm(types::I64, vm_off!(globals_ptr));
                self.b.ins().store(self.fobj, s, g, (*global as i32) * 8);
            }
            Op::JTrue { cond, target } | Op::JFalse { cond, target } => {
                let x = self.get_as(*cond, Cls::I32);
                let m = self.b.ins().band_imm_u(x, 0xFF);
                let c = self.b.ins().icmp_imm_s(IntCC::NotEqual, m, 0);
                self.branch(pc, c, *target, matches!(op, Op::JFalse { .. }));
            }
            Op::JNull { reg, target } | Op::JNotNull { reg, target } => {
                let s = self.get_slot(*reg);
                let c = self.b.ins().icmp_imm_s(IntCC::Equal, s, 0);
                self.branch(pc, c, *target, matches!(op, Op::JNotNull { .. }));
            }
            Op::JSLt { a, b, target }
            | Op::JSGte { a, b, target }
            | Op::JSGt { a, b, target }
            | Op::JSLte { a, b, target }
            | Op::JNotLt { a, b, target }
            | Op::JNotGte { a, b, target }
            | Op::JEq { a, b, target }
            | Op::JNotEq { a, b, target } => {
                let Some((_, _, c, negate)) = helpers::compare_of(op) else { return Err("compare".into()) };
                self.compare(pc, *a, *b, c, negate, *target);
            }
            Op::JULt { a, b, target } | Op::JUGte { a, b, target } => {
                let x = self.get_as(*a, Cls::I32);
                let y = self.get_as(*b, Cls::I32);
                let cc = if matches!(op, Op::JULt { .. }) { IntCC::UnsignedLessThan } else { IntCC::UnsignedGreaterThanOrEqual };
                let c = self.b.ins().icmp(cc, x, y);
                self.branch(pc, c, *target, false);
            }
            Op::JAlways { target } => {
                let dest = self.edge(pc, *target);
                self.b.ins().jump(dest, &[]);
                self.terminated = true;
            }
            Op::Switch { reg, targets, .. } => {
                let x = self.get_as(*reg, Cls::I32);
                let fall = self.block(pc + 1);
                let mut entries = Vec::with_capacity(targets.len());
                for &t in targets.iter() {
                    let blk = self.block(t as usize);
                    entries.push(BlockCall::new(blk, std::iter::empty(), &mut self.b.func.dfg.value_lists));
                }
                let def = BlockCall::new(fall, std::iter::empty(), &mut self.b.func.dfg.value_lists);
                let jt = self.b.create_jump_table(JumpTableData::new(def, &entries));
                self.b.ins().br_table(x, jt);
                self.terminated = true;
            }
            Op::Ret { reg } => {
                let s = self.get_slot(*reg);
                self.b.def_var(self.ret, s);
                self.b.ins().jump(self.exit_ret, &[]);
                self.terminated = true;
            }
            Op::Throw { reg } | Op::Rethrow { reg } => {
                self.set_pc(pc);
                let s = self.get_slot(*reg);
                let h = if matches!(op, Op::Throw { .. }) { helpers::throw as *const () as usize } else { helpers::rethrow as *const () as usize };
                self.vm_helper(h, self.sigs.throw, &[s]);
                let dest = self.exc_target(pc);
                self.b.ins().jump(dest, &[]);
                self.terminated = true;
            }
            Op::NullCheck { reg } => {
                let s = self.get_slot(*reg);
                let null = self.cold_block();
                let cont = self.b.create_block();
                self.b.ins().brif(s, cont, &[], null, &[]);
                self.b.switch_to_block(null);
                self.interpret(pc, op);
                let dest = self.exc_target(pc);
                self.b.ins().jump(dest, &[]);
                self.b.switch_to_block(cont);
            }
            Op::Trap { .. } | Op::EndTrap { .. } | Op::Label | Op::Nop | Op::Prefetch => {}
            Op::Ref { dst, src } => {
                let base = self.b.use_var(self.base);
                let v = self.b.ins().iadd_imm_s(base, *src as i64 + 1);
                self.set(*dst, v);
            }
            Op::ToSFloat { dst, src } | Op::ToUFloat { dst, src } => {
                let signed = matches!(op, Op::ToSFloat { .. });
                let x = match (self.f.kinds[*src as usize], signed) {
                    (Kind::F64, true) => self.get(*src),
                    (Kind::F32, true) => {
                        let v = self.get(*src);
                        self.b.ins().fpromote(types::F64, v)
                    }
                    (Kind::I64, true) => {
                        let v = self.get_as(*src, Cls::I64);
                        self.b.ins().fcvt_from_sint(types::F64, v)
                    }
                    (_, true) => {
                        let v = self.get_as(*src, Cls::I32);
                        self.b.ins().fcvt_from_sint(types::F64, v)
                    }
                    (Kind::I64, false) => {
                        let v = self.get_as(*src, Cls::I64);
                        self.b.ins().fcvt_from_uint(types::F64, v)
                    }
                    (_, false) => {
                        let v = self.get_as(*src, Cls::I32);
                        self.b.ins().fcvt_from_uint(types::F64, v)
                    }
                };
                if self.f.kinds[*dst as usize] == Kind::F32 {
                    let v = self.b.ins().fdemote(types::F32, x);
                    self.set(*dst, v);
                } else {
                    self.set_f64(*dst, x);
                }
            }
            Op::ToInt { dst, src } => self.to_int(*dst, *src),
            Op::Field { dst, obj, field } => self.field_get(pc, op, *dst, *obj, *field),
            Op::GetThis { dst, field } => self.field_get(pc, op, *dst, 0, *field),
            Op::SetField { obj, field, src } => self.field_set(pc, op, *obj, *field, *src),
            Op::SetThis { field, src } => self.field_set(pc, op, 0, *field, *src),
            Op::GetArray { dst, array, index } => self.with_slow_path(pc, op, |t, slow| {
                let p = t.array_element(*array, *index, slow);
                let c = t.cls[*dst as usize];
                let v = t.b.ins().load(ty_of(c), t.fobj, p, 0);
                t.set(*dst, v);
            }),
            Op::SetArray { array, index, src } => self.with_slow_path(pc, op, |t, slow| {
                let p = t.array_element(*array, *index, slow);
                let v = t.get_slot(*src);
                t.b.ins().store(t.fobj, v, p, 0);
            }),
            Op::ArraySize { dst, array } => self.with_slow_path(pc, op, |t, slow| {
                let (_, n) = t.object_data(*array, layout::TAG_ARRAY, layout::ARRAY_PTR, layout::ARRAY_LEN, slow);
                let n = t.b.ins().ireduce(types::I32, n);
                t.set_i32(*dst, n);
            }),
            Op::EnumIndex { dst, src } => self.with_slow_path(pc, op, |t, slow| {
                let e = t.get_slot(*src);
                let addr = t.obj_of(e, layout::TAG_ENUM, slow);
                let c = t.b.ins().load(types::I32, t.fhdr, addr, layout::ENUM_CTOR as i32);
                t.set_i32(*dst, c);
            }),
            Op::EnumField { dst, src, field, .. } => self.with_slow_path(pc, op, |t, slow| {
                let p = t.fixed_element(*src, layout::TAG_ENUM, layout::ENUM_PTR, layout::ENUM_LEN, *field, slow);
                let c = t.cls[*dst as usize];
                let v = t.b.ins().load(ty_of(c), t.fobj, p, 0);
                t.set(*dst, v);
            }),
            Op::GetI8 { dst, bytes, index } => self.mem_get(pc, op, *dst, *bytes, *index, 1),
            Op::GetI16 { dst, bytes, index } => self.mem_get(pc, op, *dst, *bytes, *index, 2),
            Op::GetMem { dst, bytes, index } => {
                let size = self.f.kinds[*dst as usize].mem_size();
                self.mem_get(pc, op, *dst, *bytes, *index, size)
            }
            Op::SetI8 { bytes, index, src } => self.mem_set(pc, op, *bytes, *index, *src, 1),
            Op::SetI16 { bytes, index, src } => self.mem_set(pc, op, *bytes, *index, *src, 2),
            Op::SetMem { bytes, index, src } => {
                let size = self.f.kinds[*src as usize].mem_size();
                self.mem_set(pc, op, *bytes, *index, *src, size)
            }
            Op::CallMethod { dst, field, args } if !args.is_empty() => {
                self.call_method(pc, op, *dst, args[0], &args[1..])
            }
            Op::CallThis { dst, args, .. } => self.call_method(pc, op, *dst, 0, args),
            Op::CallClosure { dst, fun, args } => self.call_closure(pc, op, *dst, *fun, args),
            // Ops of the dynamic runtime: one call of the runtime function the
            // interpreter runs for them (no trip through the interpreter's loop).
            Op::New { dst } => {
                let ty = self.iconst32(self.f.func.regs[*dst as usize]);
                self.runtime_op(pc, false, Some(*dst), helpers::new_object as *const () as usize, self.sigs.vm_u32, &[ty]);
            }
            Op::ToDyn { dst, src } => {
                let (v, ty) = (self.get_slot(*src), self.iconst32(self.f.func.regs[*src as usize]));
                self.runtime_op(pc, false, Some(*dst), helpers::to_dyn as *const () as usize, self.sigs.vm_u64_u32, &[v, ty]);
            }
            Op::SafeCast { dst, src } | Op::ToVirtual { dst, src } | Op::UnsafeCast { dst, src } => {
                let v = self.get_slot(*src);
                let from = self.iconst32(self.f.func.regs[*src as usize]);
                let to = self.iconst32(self.f.func.regs[*dst as usize]);
                let h = helpers::cast as *const () as usize;
                self.runtime_op(pc, true, Some(*dst), h, self.sigs.vm_u64_u32_u32, &[v, from, to]);
            }
            Op::GetType { dst, src } => {
                let (v, ty) = (self.get_slot(*src), self.iconst32(self.f.func.regs[*src as usize]));
                self.runtime_op(pc, false, Some(*dst), helpers::runtime_type as *const () as usize, self.sigs.vm_u64_u32, &[v, ty]);
            }
            Op::GetTID { dst, src } => {
                let t = self.get_slot(*src);
                self.runtime_op(pc, false, Some(*dst), helpers::type_kind as *const () as usize, self.sigs.vm_u64, &[t]);
            }
            Op::DynGet { dst, obj, name } => {
                let o = self.get_slot(*obj);
                let (name, want) = (self.iconst32(*name), self.iconst32(self.f.func.regs[*dst as usize]));
                self.runtime_op(pc, true, Some(*dst), helpers::dyn_get as *const () as usize, self.sigs.vm_u64_u32_u32, &[o, name, want]);
            }
            Op::DynSet { obj, name, src } => {
                let (o, v) = (self.get_slot(*obj), self.get_slot(*src));
                let (name, vty) = (self.iconst32(*name), self.iconst32(self.f.func.regs[*src as usize]));
                self.runtime_op(pc, true, None, helpers::dyn_set as *const () as usize, self.sigs.dyn_set, &[o, name, v, vty]);
            }
            _ => {
                let slow = self.b.create_block();
                self.b.ins().jump(slow, &[]);
                self.slow_path(pc, op, slow, None);
            }
        }
        Ok(())
    }

    /// Emits `slow`: `op` run by the interpreter, then on to `then` (the registers the
    /// op writes reloaded on a cold path first, when it writes any), or without `then`
    /// on to a new current block.
    fn slow_path(&mut self, pc: usize, op: &Op, slow: Block, then: Option<Block>) {
        self.b.switch_to_block(slow);
        self.interpret(pc, op);
        let dest = self.exc_target(pc);
        let mut writes = Vec::new();
        op_regs(op, |_| {}, |w| writes.push(w));
        // `interpret` left the helper's status in `tmp`.
        let st = self.b.use_var(self.tmp);
        if let (Some(then), true) = (then, writes.is_empty()) {
            self.b.ins().brif(st, dest, &[], then, &[]);
            return;
        }
        let cont = if then.is_some() { self.cold_block() } else { self.b.create_block() };
        self.b.ins().brif(st, dest, &[], cont, &[]);
        self.b.switch_to_block(cont);
        for w in writes {
            self.reload(w);
        }
        if let Some(then) = then {
            self.b.ins().jump(then, &[]);
        }
    }

    /// `fast` emits the common case, branching to the block it is given when it does
    /// not apply; that block runs `op` in the interpreter.
    /// In a function with a lazy frame, that block hands the rest of the call to
    /// the interpreter instead ([`Tr::finish_interpreted`]).
    fn with_slow_path(&mut self, pc: usize, op: &Op, fast: impl FnOnce(&mut Self, Block)) {
        let slow = self.cold_block();
        let join = self.b.create_block();
        fast(self, slow);
        self.b.ins().jump(join, &[]);
        if self.lazy {
            self.finish_interpreted(pc, slow);
        } else {
            self.slow_path(pc, op, slow, Some(join));
        }
        self.b.switch_to_block(join);
    }

    /// Emits `slow` for a function with a lazy frame: the frame pushed (its window
    /// checked), every register stored to the window, and the interpreter runs the
    /// call from op `pc` to its return (`helpers::finish`); compiled code returns its
    /// result. No value of the fast path is live across that call (it never returns
    /// there), so these small functions need no callee-saved registers and no spills
    /// for their slow paths.
    fn finish_interpreted(&mut self, pc: usize, slow: Block) {
        use types::{I32, I64};
        self.b.switch_to_block(slow);
        self.set_pc(pc);
        for r in 0..self.cls.len() as Reg {
            self.spill(r);
        }
        let cf = self.b.ins().iconst(I64, self.cf);
        let base = self.b.use_var(self.base);
        let p = self.b.ins().iconst(I32, pc as i64);
        let r = self.vm_helper(helpers::finish as *const () as usize, self.sigs.finish, &[cf, base, p]).unwrap_or(cf);
        // Returns `r` (0 with an exception pending, as `helpers::finish` gives it).
        self.pop_frame_from_memory();
        self.b.ins().return_(&[r]);
    }

    /// Pops the frame on top of the frame stack and frees its window, reading both
    /// from memory: after a call, without keeping the depth and window variables
    /// live across it (a lazy frame's slow paths and exception exit).
    fn pop_frame_from_memory(&mut self) {
        use types::I64;
        let vm = self.vm();
        let n = self.load_vm(I64, vm_off!(frames.len));
        let top = self.b.ins().iadd_imm_s(n, -1);
        self.b.ins().store(self.fvm, top, vm, vm_off!(frames.len));
        let frames = self.load_vm(I64, vm_off!(frames.ptr));
        let off = self.b.ins().imul_imm_u(top, std::mem::size_of::<Frame>() as i64);
        let fr = self.b.ins().iadd(frames, off);
        let base = self.b.ins().load(I64, self.ffr, fr, std::mem::offset_of!(Frame, base) as i32);
        self.b.ins().store(self.fvm, base, vm, vm_off!(sp));
    }

    /// The address of the heap object behind reference slot `slot` when its tag is
    /// `tag`; branches to `slow` otherwise (null, a stale handle, another kind). The
    /// handle needs no bounds check: masked with the table's mask (all ones, hence no
    /// code, unless the address space was short), its entry is always readable, a
    /// free one past the table's end (`gc::table`; a VM's heap cannot be replaced by
    /// another than a VM's, so the mask read when translating stays right).
    fn obj_of(&mut self, slot: Value, tag: u32, slow: Block) -> Value {
        let addr = self.entry_of(slot);
        let t = self.b.ins().load(types::I32, self.fhdr, addr, layout::TAG as i32);
        let is = self.b.ins().icmp_imm_s(IntCC::Equal, t, tag as i64);
        let c2 = self.b.create_block();
        self.b.ins().brif(is, c2, &[], slow, &[]);
        self.b.switch_to_block(c2);
        addr
    }

    /// The address of the handle table's entry for reference slot `slot`, whatever its
    /// kind (see [`Tr::obj_of`]).
    fn entry_of(&mut self, slot: Value) -> Value {
        use types::I64;
        let h = self.b.ins().ireduce(types::I32, slot);
        let h = if self.table_mask == u32::MAX { h } else { self.b.ins().band_imm_u(h, self.table_mask as i64) };
        let h = self.b.ins().uextend(I64, h);
        let table = self.load_vm(I64, vm_off!(heap.table));
        // `h * 24` as `(h + 2h) * 8`: a `lea` and a scaled address, not a multiply.
        const _: () = assert!(layout::OBJ_SIZE == 24);
        let h2 = self.b.ins().ishl_imm_u(h, 1);
        let h3 = self.b.ins().iadd(h, h2);
        let off = self.b.ins().ishl_imm_u(h3, 3);
        self.b.ins().iadd(table, off)
    }

    /// The address of field `field` of the instance in register `obj`, or a branch to
    /// `slow` (not an instance, or no such field).
    fn field_addr(&mut self, obj: Reg, field: u32, slow: Block) -> Value {
        self.fixed_element(obj, layout::TAG_INSTANCE, layout::FIELDS_PTR, layout::FIELDS_LEN, field, slow)
    }

    /// The address of 8-byte element `index` of the data of the object of kind `tag`
    /// in register `r` ([`Tr::object_data`]), or a branch to `slow` (another kind, out
    /// of bounds).
    fn fixed_element(&mut self, r: Reg, tag: u32, ptr: usize, len: usize, index: u32, slow: Block) -> Value {
        let ((p, n), checked) = self.object_data_checked(r, tag, ptr, len, Some(index), slow);
        if checked {
            return self.b.ins().iadd_imm_s(p, index as i64 * 8);
        }
        self.fixed_index(p, n, index, slow)
    }

    /// The address of 8-byte element `index` of the `n` at `data`, or a branch to `slow`
    /// when out of bounds.
    fn fixed_index(&mut self, data: Value, n: Value, index: u32, slow: Block) -> Value {
        let inb = self.b.ins().icmp_imm_u(IntCC::UnsignedGreaterThan, n, index as i64);
        let ok = self.b.create_block();
        self.b.ins().brif(inb, ok, &[], slow, &[]);
        self.b.switch_to_block(ok);
        self.b.ins().iadd_imm_s(data, index as i64 * 8)
    }

    /// The address of element `R[index]` of the native array in register `array`, or a
    /// branch to `slow` (not an array, out of bounds, negative indices included).
    fn array_element(&mut self, array: Reg, index: Reg, slow: Block) -> Value {
        let (data, n) = self.object_data(array, layout::TAG_ARRAY, layout::ARRAY_PTR, layout::ARRAY_LEN, slow);
        let i = self.get_as(index, Cls::I32);
        let i = self.b.ins().uextend(types::I64, i);
        let inb = self.b.ins().icmp(IntCC::UnsignedLessThan, i, n);
        let ok = self.b.create_block();
        self.b.ins().brif(inb, ok, &[], slow, &[]);
        self.b.switch_to_block(ok);
        let off = self.b.ins().ishl_imm_u(i, 3);
        self.b.ins().iadd(data, off)
    }

    fn field_get(&mut self, pc: usize, op: &Op, dst: Reg, obj: Reg, field: u32) {
        self.with_slow_path(pc, op, |t, slow| {
            let p = t.field_addr(obj, field, slow);
            let c = t.cls[dst as usize];
            let v = t.b.ins().load(ty_of(c), t.fobj, p, 0);
            t.set(dst, v);
        });
    }

    fn field_set(&mut self, pc: usize, op: &Op, obj: Reg, field: u32, src: Reg) {
        self.with_slow_path(pc, op, |t, slow| {
            let p = t.field_addr(obj, field, slow);
            let v = t.get_stored(src);
            t.b.ins().store(t.fobj, v, p, 0);
        });
    }

    /// The address of `size` bytes at `R[bytes] + R[index]`, or a branch to `slow`
    /// (negative index, out of bounds, not bytes).
    fn mem_addr(&mut self, bytes: Reg, index: Reg, size: usize, slow: Block) -> Value {
        use types::I64;
        let (data, n) = self.object_data(bytes, layout::TAG_BYTES, layout::BYTES_PTR, layout::BYTES_LEN, slow);
        let s = self.get_slot(bytes);
        let off = self.b.ins().ushr_imm_u(s, 32);
        let i = self.get_as(index, Cls::I32);
        let i = self.b.ins().sextend(I64, i);
        let neg = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, i, 0);
        let at = self.b.ins().iadd(off, i);
        let end = self.b.ins().iadd_imm_s(at, size as i64);
        let over = self.b.ins().icmp(IntCC::UnsignedGreaterThan, end, n);
        let bad = self.b.ins().bor(neg, over);
        let ok = self.b.create_block();
        self.b.ins().brif(bad, slow, &[], ok, &[]);
        self.b.switch_to_block(ok);
        self.b.ins().iadd(data, at)
    }

    /// `R[dst] :=` the `size` bytes at `R[bytes] + R[index]`, zero-extended (as the
    /// interpreter reads them into a slot).
    fn mem_get(&mut self, pc: usize, op: &Op, dst: Reg, bytes: Reg, index: Reg, size: usize) {
        self.with_slow_path(pc, op, |t, slow| {
            let p = t.mem_addr(bytes, index, size, slow);
            let fl = t.fbytes;
            let c = t.cls[dst as usize];
            let v = match (size, c) {
                (1, _) => t.b.ins().uload8(types::I64, fl, p, 0),
                (2, _) => t.b.ins().uload16(types::I64, fl, p, 0),
                (4, Cls::I32 | Cls::F32) => {
                    let v = t.b.ins().load(ty_of(c), fl, p, 0);
                    t.set(dst, v);
                    return;
                }
                (4, _) => t.b.ins().uload32(fl, p, 0),
                (_, Cls::I64 | Cls::F64 | Cls::Slot) => {
                    let v = t.b.ins().load(ty_of(c), fl, p, 0);
                    t.set(dst, v);
                    return;
                }
                _ => t.b.ins().load(types::I64, fl, p, 0),
            };
            t.set_slot(dst, v);
        });
    }

    /// The low `size` bytes of `R[src]`'s slot := at `R[bytes] + R[index]`.
    fn mem_set(&mut self, pc: usize, op: &Op, bytes: Reg, index: Reg, src: Reg, size: usize) {
        self.with_slow_path(pc, op, |t, slow| {
            let p = t.mem_addr(bytes, index, size, slow);
            let fl = t.fbytes;
            let c = t.cls[src as usize];
            match (size, c) {
                (4, Cls::I32 | Cls::F32) | (8, Cls::I64 | Cls::F64 | Cls::Slot) => {
                    let v = t.get(src);
                    t.b.ins().store(fl, v, p, 0);
                }
                _ => {
                    let v = t.get_slot(src);
                    match size {
                        1 => t.b.ins().istore8(fl, v, p, 0),
                        2 => t.b.ins().istore16(fl, v, p, 0),
                        4 => t.b.ins().istore32(fl, v, p, 0),
                        _ => t.b.ins().store(fl, v, p, 0),
                    };
                }
            }
        });
    }

    /// Stores `args` into the callee's window (which starts where ours ends), from
    /// argument position `first`.
    fn store_args(&mut self, first: usize, args: &[Reg]) {
        let nregs = self.cls.len() as i32;
        for (i, &a) in args.iter().enumerate() {
            let s = self.get_stored(a);
            let bp = self.b.use_var(self.bp);
            self.b.ins().store(self.fwin, s, bp, (nregs + (first + i) as i32) * 8);
        }
    }

    /// `CallMethod`/`CallThis` through the [`helpers::MethodCache`]: when its entry for
    /// this call site and the class of the receiver (a class instance, or the instance
    /// an interface view in a register of a virtual type views) is filled, the compiled
    /// entry it holds is called directly. On a miss, [`helpers::method_entry`] finds
    /// the method (virtual table, interface) and, when it has compiled code, gives its
    /// entry, which is called the same way (and remembered in the cache); anything else
    /// (an interpreted method, a null receiver, dynamic objects, conversions) runs the
    /// op in the interpreter, which finds the method the same way. Inline
    /// lookups of the virtual table and of per-site interface caches took 150 IR
    /// instructions and 20 blocks per call site: dispatch's 200-op `main` compiled to
    /// 5,253 instructions, and their register allocation was the largest part of the
    /// process's peak memory (now about 60 and 7).
    fn call_method(&mut self, pc: usize, op: &Op, dst: Reg, recv: Reg, rest: &[Reg]) {
        use types::{I32, I64};
        use helpers::MethodCache;
        // A register of a virtual type holds an interface view in code the Haxe
        // compiler emits; any other, an instance (anything else misses).
        let rty = self.f.func.regs.get(recv as usize).and_then(|&t| self.code.types.get(t as usize));
        let view = matches!(rty, Some(HlType::Virtual(_)));
        let r = self.get_slot(recv);
        self.set_pc(pc);
        let site = self.methods.new_site();
        let (call, miss, generic, join) = (self.b.create_block(), self.cold_block(), self.cold_block(), self.b.create_block());
        let (code_p, inst_p) = (self.b.append_block_param(call, I64), self.b.append_block_param(call, I64));
        let result = self.b.append_block_param(join, I64);
        // The instance (handle) and its address.
        let (inst, addr) = if view {
            let vaddr = self.obj_of(r, layout::TAG_VIRTUAL, miss);
            let inner = self.b.ins().load(I32, self.fhdr, vaddr, layout::VIRTUAL_VALUE as i32);
            let inner = self.b.ins().uextend(I64, inner);
            (inner, self.obj_of(inner, layout::TAG_INSTANCE, miss))
        } else {
            (r, self.obj_of(r, layout::TAG_INSTANCE, miss))
        };
        // `MethodCache::key(ty, site)` and its entry.
        let ty = self.b.ins().load(I32, self.fhdr, addr, layout::INSTANCE_TY as i32);
        let ty = self.b.ins().uextend(I64, ty);
        let key = self.b.ins().iadd_imm_s(ty, MethodCache::key(0, site) as i64);
        let index = self.b.ins().iadd_imm_s(ty, MethodCache::offset(site) as i64);
        let index = self.b.ins().band_imm_u(index, (1 << MethodCache::BITS) - 1);
        let off = self.b.ins().imul_imm_u(index, std::mem::size_of::<helpers::MethodEntry>() as i64);
        let entries = self.b.ins().iconst(I64, self.methods.base() as i64);
        let entry = self.b.ins().iadd(entries, off);
        let ekey = self.b.ins().load(I64, self.fhdr, entry, std::mem::offset_of!(helpers::MethodEntry, key) as i32);
        let hit = self.b.ins().icmp(IntCC::Equal, key, ekey);
        let code = self.b.ins().load(I64, self.fhdr, entry, std::mem::offset_of!(helpers::MethodEntry, code) as i32);
        self.b.ins().brif(hit, call, &[code.into(), inst.into()], miss, &[]);

        // The helpers read the op's registers from the window.
        self.b.switch_to_block(miss);
        self.spill_reads(op);
        let cf = self.b.ins().iconst(I64, self.cf);
        let base = self.b.use_var(self.base);
        let p = self.b.ins().iconst(I32, pc as i64);
        let site = self.b.ins().iconst(I32, site as i64);
        let code = self.vm_helper(helpers::method_entry as *const () as usize, self.sigs.method_entry, &[cf, base, p, site]).unwrap_or(cf);
        let inst = self.load_vm(I64, vm_off!(jit_bound));
        self.b.ins().brif(code, call, &[code.into(), inst.into()], generic, &[]);

        // `miss` dominates `generic`: its values are still good here.
        self.b.switch_to_block(generic);
        self.vm_helper(helpers::op as *const () as usize, self.sigs.op, &[cf, base, p]);
        // The interpreter left the result in the window (the pending exception, if
        // any, is tested after `join`).
        let bp = self.b.use_var(self.bp);
        let v = self.b.ins().load(I64, self.fwin, bp, Self::slot_addr_off(dst));
        self.b.ins().jump(join, &[v.into()]);

        self.b.switch_to_block(call);
        let bp = self.b.use_var(self.bp);
        self.b.ins().store(self.fwin, inst_p, bp, self.cls.len() as i32 * 8);
        self.store_args(1, rest);
        let v = self.call_entry(code_p);
        self.b.ins().jump(join, &[v.into()]);

        self.b.switch_to_block(join);
        self.after_call();
        self.check_exc(pc);
        self.set_slot(dst, result);
    }

    /// `CallClosure`: a closure of exactly the register's type is read inline; one
    /// whose signature is the register's (`helpers::closure`) also needs no conversion.
    /// Either is called through the table, with its bound argument first, if any.
    /// Anything else (conversions, `Dynamic`, null) runs in the interpreter.
    fn call_closure(&mut self, pc: usize, op: &Op, dst: Reg, fun: Reg, args: &[Reg]) {
        use types::{I32, I64};
        let fty = self.f.func.regs[fun as usize];
        self.with_slow_path(pc, op, |t, slow| {
            let (fi_var, kind_var, bound_var) = (t.tmp, t.tmp2, t.tmp3);
            let c = t.get_slot(fun);
            t.set_pc(pc);
            let ask = t.cold_block();
            let dispatch = t.b.create_block();
            let addr = t.obj_of(c, layout::TAG_CLOSURE, ask);
            let ty = t.b.ins().load(I32, t.fhdr, addr, layout::CLOSURE_TY as i32);
            let same = t.b.ins().icmp_imm_s(IntCC::Equal, ty, fty as i64);
            let exact = t.b.create_block();
            t.b.ins().brif(same, exact, &[], ask, &[]);
            t.b.switch_to_block(exact);
            let fi = t.b.ins().load(I32, t.fhdr, addr, layout::CLOSURE_FUN as i32);
            let fi = t.b.ins().uextend(I64, fi);
            let kind = t.b.ins().load(I32, t.fhdr, addr, layout::CLOSURE_BOUND_KIND as i32);
            let kind = t.b.ins().uextend(I64, kind);
            let bv = t.b.ins().load(I64, t.fhdr, addr, layout::CLOSURE_BOUND as i32);
            t.b.def_var(fi_var, fi);
            t.b.def_var(kind_var, kind);
            t.b.def_var(bound_var, bv);
            t.b.ins().jump(dispatch, &[]);

            t.b.switch_to_block(ask);
            let ft = t.b.ins().iconst(I32, fty as i64);
            let r = t.vm_helper(helpers::closure as *const () as usize, t.sigs.closure, &[c, ft]).unwrap_or(c);
            let miss = t.b.ins().icmp_imm_s(IntCC::Equal, r, -1);
            let hit = t.cold_block();
            t.b.ins().brif(miss, slow, &[], hit, &[]);
            t.b.switch_to_block(hit);
            let fi = t.b.ins().band_imm_u(r, 0xFFFF_FFFF);
            let kind = t.b.ins().ushr_imm_u(r, 32);
            let bv = t.load_vm(I64, vm_off!(jit_bound));
            t.b.def_var(fi_var, fi);
            t.b.def_var(kind_var, kind);
            t.b.def_var(bound_var, bv);
            t.b.ins().jump(dispatch, &[]);

            t.b.switch_to_block(dispatch);
            let kind = t.b.use_var(kind_var);
            let with_bound = t.b.create_block();
            let plain = t.b.create_block();
            let join = t.b.create_block();
            t.b.ins().brif(kind, with_bound, &[], plain, &[]);
            t.b.switch_to_block(plain);
            t.store_args(0, args);
            let fi = t.b.use_var(fi_var);
            let fi = t.b.ins().ireduce(I32, fi);
            let v = t.table_call(pc, fi, args.len());
            t.set_slot(dst, v);
            t.b.ins().jump(join, &[]);
            t.b.switch_to_block(with_bound);
            let bv = t.b.use_var(bound_var);
            let bp = t.b.use_var(t.bp);
            t.b.ins().store(t.fwin, bv, bp, t.cls.len() as i32 * 8);
            t.store_args(1, args);
            let fi = t.b.use_var(fi_var);
            let fi = t.b.ins().ireduce(I32, fi);
            let v = t.table_call(pc, fi, args.len() + 1);
            t.set_slot(dst, v);
            t.b.ins().jump(join, &[]);
            t.b.switch_to_block(join);
        });
    }

    /// Calls the compiled entry `code` (arguments already stored) as a normal call;
    /// returns its result slot (the caller tests the exception flag).
    fn call_entry(&mut self, code: Value) -> Value {
        let m1 = self.b.ins().iconst(types::I64, -1);
        let vm = self.vm();
        let inst = self.b.ins().call_indirect(self.sigs.entry, code, &[vm, m1]);
        let r = self.b.inst_results(inst)[0];
        self.after_call();
        r
    }

    /// Calls function `fi` (an `i32` value) with `nargs` arguments already stored,
    /// through its entry in the function table (`Vm::jit_table`: its compiled code,
    /// or [`helpers::interpreted`], which reads the second argument as
    /// `!(nargs << 32 | fi)`; compiled code only tests its sign). Handles a pending
    /// exception; returns the result slot.
    fn table_call(&mut self, pc: usize, fi: Value, nargs: usize) -> Value {
        use types::I64;
        let table = self.load_vm(I64, vm_off!(jit_table_ptr));
        let fx = self.b.ins().uextend(I64, fi);
        let off = self.b.ins().ishl_imm_u(fx, 3);
        let at = self.b.ins().iadd(table, off);
        let code = self.b.ins().load(I64, self.fhdr, at, 0);
        let with_n = self.b.ins().iadd_imm_s(fx, ((nargs as u64) << 32) as i64);
        let arg = self.b.ins().bnot(with_n);
        self.call_table_entry(pc, code, arg)
    }

    /// [`Tr::table_call`] of function `fi`, known here: its entry is read at a constant
    /// offset, and the argument the entry of an interpreted function reads is a
    /// constant.
    fn table_call_const(&mut self, pc: usize, fi: u32, nargs: usize) -> Value {
        use types::I64;
        let Ok(off) = i32::try_from(fi as u64 * 8) else {
            let v = self.b.ins().iconst(types::I32, fi as i64);
            return self.table_call(pc, v, nargs);
        };
        let table = self.load_vm(I64, vm_off!(jit_table_ptr));
        let code = self.b.ins().load(I64, self.fhdr, table, off);
        let arg = self.b.ins().iconst(I64, !((nargs as u64) << 32 | fi as u64) as i64);
        self.call_table_entry(pc, code, arg)
    }

    /// Calls table entry `code` with `arg` as its second argument (see [`Tr::table_call`]).
    fn call_table_entry(&mut self, pc: usize, code: Value, arg: Value) -> Value {
        let vm = self.vm();
        let inst = self.b.ins().call_indirect(self.sigs.entry, code, &[vm, arg]);
        let r = self.b.inst_results(inst)[0];
        self.after_call();
        self.check_exc(pc);
        r
    }

    /// The standard-library native function `fun` compiles to one instruction
    /// (`std@math_sqrt`, `std@math_abs` on `Float`), unless the host replaced it.
    fn intrinsic(&self, fun: u32) -> Option<&'static str> {
        let Some(crate::code::FunRef::Native(i)) = self.code.fun_refs.get(fun as usize) else { return None };
        let n = self.code.natives.get(*i)?;
        if n.lib != "std" || !matches!(self.funcs.get(fun as usize), Some(crate::module::FnSlot::Native(_))) {
            return None;
        }
        match n.name.as_str() {
            "math_sqrt" => Some("math_sqrt"),
            "math_abs" => Some("math_abs"),
            _ => None,
        }
    }

    fn iconst32(&mut self, v: u32) -> Value {
        self.b.ins().iconst(types::I32, v as i64)
    }

    /// `R[dst] :=` helper `addr` (signature `sig`) called with the VM and `args`, its
    /// result in slot form (no `dst`: a helper without result); `throws`: the helper can raise an exception, so the op's
    /// position is recorded first (stack traces) and the exception flag tested after.
    /// A helper that only fails on a VM bug (a panic) is tested too, without the
    /// position.
    fn runtime_op(&mut self, pc: usize, throws: bool, dst: Option<Reg>, addr: usize, sig: SigRef, args: &[Value]) {
        if throws {
            self.set_pc(pc);
        } else if self.lazy {
            // The exception exit of a lazy frame pops it.
            self.materialize_frame();
        }
        let r = self.vm_helper(addr, sig, args);
        self.check_exc(pc);
        if let (Some(dst), Some(r)) = (dst, r) {
            self.set_slot(dst, r);
        }
    }

    /// Stores the registers `op` reads to the window, for a helper that reads them there.
    fn spill_reads(&mut self, op: &Op) {
        let mut reads = Vec::new();
        op_regs(op, |r| reads.push(r), |_| {});
        for r in reads {
            self.spill(r);
        }
    }

    /// Runs `op` in the interpreter: records the position, stores what it reads, calls
    /// the helper; its status (nonzero: exception pending) is left in `tmp`.
    fn interpret(&mut self, pc: usize, op: &Op) {
        // The frame first: in a function with a lazy frame, pushing it checks that the
        // window fits (see `lazy_prologue`) before anything is stored in it.
        self.set_pc(pc);
        self.spill_reads(op);
        let cf = self.b.ins().iconst(types::I64, self.cf);
        let base = self.b.use_var(self.base);
        let p = self.b.ins().iconst(types::I32, pc as i64);
        let st = self.vm_helper(helpers::op as *const () as usize, self.sigs.op, &[cf, base, p]).unwrap_or(p);
        let st = self.b.ins().uextend(types::I64, st);
        self.b.def_var(self.tmp, st);
    }

    fn step(&mut self, r: Reg, d: i64) {
        match self.f.kinds[r as usize] {
            Kind::F64 => {
                let x = self.get(r);
                let one = self.b.ins().f64const(d as f64);
                let v = self.b.ins().fadd(x, one);
                self.set(r, v);
            }
            Kind::F32 => {
                let x = self.get(r);
                let one = self.b.ins().f32const(d as f32);
                let v = self.b.ins().fadd(x, one);
                self.set(r, v);
            }
            Kind::I64 => {
                let x = self.get(r);
                let v = self.b.ins().iadd_imm_s(x, d);
                self.set(r, v);
            }
            _ => {
                let x = self.get_as(r, Cls::I32);
                let v = self.b.ins().iadd_imm_s(x, d);
                self.set_i32(r, v);
            }
        }
    }

    fn arith(&mut self, dst: Reg, a: Reg, b: Reg, op: ArOp) {
        match self.f.kinds[dst as usize] {
            Kind::F64 | Kind::F32 => {
                let c = self.cls[dst as usize];
                let x = self.get_as(a, c);
                let y = self.get_as(b, c);
                let ins = self.b.ins();
                let v = match op {
                    ArOp::Add => ins.fadd(x, y),
                    ArOp::Sub => ins.fsub(x, y),
                    ArOp::Mul => ins.fmul(x, y),
                    ArOp::SDiv | ArOp::UDiv => ins.fdiv(x, y),
                    ArOp::SMod | ArOp::UMod => {
                        let (h, s) = if c == Cls::F64 {
                            (helpers::fmod as *const () as usize, self.sigs.fmod)
                        } else {
                            (helpers::fmodf as *const () as usize, self.sigs.fmodf)
                        };
                        self.helper(h, s, &[x, y]).unwrap_or(x)
                    }
                    _ => {
                        if c == Cls::F64 {
                            ins.f64const(0.0f64)
                        } else {
                            ins.f32const(0.0f32)
                        }
                    }
                };
                self.set(dst, v);
            }
            Kind::I64 => {
                let x = self.get_as(a, Cls::I64);
                let y = self.get_as(b, Cls::I64);
                let v = self.int_op(types::I64, x, y, op);
                self.set(dst, v);
            }
            _ => {
                let x = self.get_as(a, Cls::I32);
                let y = self.get_as(b, Cls::I32);
                let v = self.int_op(types::I32, x, y, op);
                self.set_i32(dst, v);
            }
        }
    }

    /// Integer arithmetic with HashLink's rules: wrapping; division or remainder by 0
    /// gives 0; `MIN / -1` wraps and `x % -1` is 0; shift counts modulo the width.
    fn int_op(&mut self, ty: Type, x: Value, y: Value, op: ArOp) -> Value {
        let ins = self.b.ins();
        match op {
            ArOp::Add => ins.iadd(x, y),
            ArOp::Sub => ins.isub(x, y),
            ArOp::Mul => ins.imul(x, y),
            ArOp::Shl => ins.ishl(x, y),
            ArOp::SShr => ins.sshr(x, y),
            ArOp::UShr => ins.ushr(x, y),
            ArOp::And => ins.band(x, y),
            ArOp::Or => ins.bor(x, y),
            ArOp::Xor => ins.bxor(x, y),
            ArOp::SDiv | ArOp::SMod => {
                let zero = self.b.ins().icmp_imm_s(IntCC::Equal, y, 0);
                let m1 = self.b.ins().icmp_imm_s(IntCC::Equal, y, -1);
                let bad = self.b.ins().bor(zero, m1);
                let one = self.b.ins().iconst(ty, 1);
                let d = self.b.ins().select(bad, one, y);
                let z = self.b.ins().iconst(ty, 0);
                if op == ArOp::SDiv {
                    let q = self.b.ins().sdiv(x, d);
                    let nx = self.b.ins().ineg(x);
                    let q = self.b.ins().select(m1, nx, q);
                    self.b.ins().select(zero, z, q)
                } else {
                    let r = self.b.ins().srem(x, d);
                    self.b.ins().select(bad, z, r)
                }
            }
            ArOp::UDiv | ArOp::UMod => {
                let zero = self.b.ins().icmp_imm_s(IntCC::Equal, y, 0);
                let one = self.b.ins().iconst(ty, 1);
                let d = self.b.ins().select(zero, one, y);
                let q = if op == ArOp::UDiv { self.b.ins().udiv(x, d) } else { self.b.ins().urem(x, d) };
                let z = self.b.ins().iconst(ty, 0);
                self.b.ins().select(zero, z, q)
            }
        }
    }

    /// HashLink's float→int (x86 `cvttsd2si`): `i32::MIN` for NaN and out of range.
    fn f64_to_i32(&mut self, x: Value) -> Value {
        let lo = self.b.ins().f64const(-2147483649.0f64);
        let hi = self.b.ins().f64const(2147483648.0f64);
        let a = self.b.ins().fcmp(FloatCC::GreaterThan, x, lo);
        let c = self.b.ins().fcmp(FloatCC::LessThan, x, hi);
        let ok = self.b.ins().band(a, c);
        let t = self.b.ins().fcvt_to_sint_sat(types::I32, x);
        let min = self.b.ins().iconst(types::I32, i32::MIN as i64);
        self.b.ins().select(ok, t, min)
    }

    fn to_int(&mut self, dst: Reg, src: Reg) {
        let (ks, kd) = (self.f.kinds[src as usize], self.f.kinds[dst as usize]);
        match (ks, kd) {
            (Kind::F64 | Kind::F32, Kind::I64) => {
                let x = self.get(src);
                let v = self.b.ins().fcvt_to_sint_sat(types::I64, x);
                self.set(dst, v);
            }
            (Kind::F64 | Kind::F32, _) => {
                let mut x = self.get(src);
                if ks == Kind::F32 {
                    x = self.b.ins().fpromote(types::F64, x);
                }
                let v = self.f64_to_i32(x);
                self.set_i32(dst, v);
            }
            (Kind::I64, Kind::I64) => {
                let v = self.get(src);
                self.set(dst, v);
            }
            (Kind::I64, _) => {
                let x = self.get(src);
                let v = self.b.ins().ireduce(types::I32, x);
                self.set_i32(dst, v);
            }
            (_, Kind::I64) => {
                let x = self.get_as(src, Cls::I32);
                let v = self.b.ins().sextend(types::I64, x);
                self.set(dst, v);
            }
            _ => {
                let x = self.get_as(src, Cls::I32);
                self.set_i32(dst, x);
            }
        }
    }

    fn compare(&mut self, pc: usize, a: Reg, b: Reg, c: Cmp, negate: bool, target: u32) {
        let k = self.f.kinds[a as usize];
        let icc = |signed: bool| match (c, signed) {
            (Cmp::Lt, true) => IntCC::SignedLessThan,
            (Cmp::Gte, true) => IntCC::SignedGreaterThanOrEqual,
            (Cmp::Gt, true) => IntCC::SignedGreaterThan,
            (Cmp::Lte, true) => IntCC::SignedLessThanOrEqual,
            (Cmp::Lt, false) => IntCC::UnsignedLessThan,
            (Cmp::Gte, false) => IntCC::UnsignedGreaterThanOrEqual,
            (Cmp::Gt, false) => IntCC::UnsignedGreaterThan,
            (Cmp::Lte, false) => IntCC::UnsignedLessThanOrEqual,
            (Cmp::Eq, _) => IntCC::Equal,
        };
        let cond = match k {
            Kind::I32 | Kind::U8 | Kind::U16 | Kind::Bool => {
                let x = self.get_as(a, Cls::I32);
                let y = self.get_as(b, Cls::I32);
                self.b.ins().icmp(icc(true), x, y)
            }
            Kind::I64 => {
                let x = self.get_as(a, Cls::I64);
                let y = self.get_as(b, Cls::I64);
                self.b.ins().icmp(icc(true), x, y)
            }
            Kind::F64 | Kind::F32 => {
                let cl = cls_of(k);
                let x = self.get_as(a, cl);
                let y = self.get_as(b, cl);
                let fcc = match c {
                    Cmp::Lt => FloatCC::LessThan,
                    Cmp::Gte => FloatCC::GreaterThanOrEqual,
                    Cmp::Gt => FloatCC::GreaterThan,
                    Cmp::Lte => FloatCC::LessThanOrEqual,
                    Cmp::Eq => FloatCC::Equal,
                };
                self.b.ins().fcmp(fcc, x, y)
            }
            Kind::Bytes | Kind::Ref | Kind::Void => {
                let x = self.get_slot(a);
                let y = self.get_slot(b);
                self.b.ins().icmp(icc(false), x, y)
            }
            Kind::Type if c != Cmp::Eq => {
                let x = self.get_slot(a);
                let y = self.get_slot(b);
                self.b.ins().icmp(icc(false), x, y)
            }
            Kind::Type | Kind::Ptr => {
                // The interpreter's rules (compare methods, dynamic comparison).
                let x = self.get_slot(a);
                let y = self.get_slot(b);
                self.set_pc(pc);
                let cf = self.b.ins().iconst(types::I64, self.cf);
                let p = self.b.ins().iconst(types::I32, pc as i64);
                let r = self.vm_helper(helpers::compare as *const () as usize, self.sigs.compare, &[cf, x, y, p]).unwrap_or(p);
                let failed = self.b.ins().icmp_imm_s(IntCC::Equal, r, 2);
                let dest = self.exc_target(pc);
                let cont = self.b.create_block();
                self.b.ins().brif(failed, dest, &[], cont, &[]);
                self.b.switch_to_block(cont);
                let taken = self.b.ins().icmp_imm_s(IntCC::Equal, r, 1);
                self.branch(pc, taken, target, false);
                return;
            }
        };
        self.branch(pc, cond, target, negate);
    }

    /// `Call`: through the function table, callee known.
    fn call(&mut self, pc: usize, dst: Reg, fun: u32, args: &[Reg]) {
        self.store_args(0, args);
        self.set_pc(pc);
        let r = self.table_call_const(pc, fun, args.len());
        self.set_slot(dst, r);
    }
}


