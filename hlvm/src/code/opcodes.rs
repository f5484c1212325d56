//! The opcode table: HashLink's `opcodes.h` order, one variant per opcode.
//!
//! Register notation in the docs: `R[x]` is register `x` of the current function,
//! `G[g]` global `g`, `K_int[i]` the i-th int constant. Jump targets are stored as
//! absolute op indices (the bytecode stores `offset` relative to the next op:
//! `target = pc + 1 + offset`); the reader converts and validates them.

/// A register index in the current function.
pub type Reg = u32;

/// One decoded instruction.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub enum Op {
    /// `R[dst] := R[src]`
    Mov { dst: Reg, src: Reg },
    /// `R[dst] := K_int[idx]`
    Int { dst: Reg, idx: u32 },
    /// `R[dst] := K_float[idx]`
    Float { dst: Reg, idx: u32 },
    /// `R[dst] := value != 0`
    Bool { dst: Reg, value: bool },
    /// `R[dst] := K_bytes[idx]` (HLB v5 bytes pool; before v5, the string's UTF-8 bytes)
    Bytes { dst: Reg, idx: u32 },
    /// `R[dst] := UTF-16 bytes of K_string[idx]`
    String { dst: Reg, idx: u32 },
    /// `R[dst] := null`
    Null { dst: Reg },
    /// `R[dst] := R[a] + R[b]`
    Add { dst: Reg, a: Reg, b: Reg },
    /// `R[dst] := R[a] - R[b]`
    Sub { dst: Reg, a: Reg, b: Reg },
    /// `R[dst] := R[a] * R[b]`
    Mul { dst: Reg, a: Reg, b: Reg },
    /// `R[dst] := R[a] / R[b]` (signed; floats divide)
    SDiv { dst: Reg, a: Reg, b: Reg },
    /// `R[dst] := R[a] / R[b]` (unsigned)
    UDiv { dst: Reg, a: Reg, b: Reg },
    /// `R[dst] := R[a] % R[b]` (signed; floats use fmod)
    SMod { dst: Reg, a: Reg, b: Reg },
    /// `R[dst] := R[a] % R[b]` (unsigned)
    UMod { dst: Reg, a: Reg, b: Reg },
    /// `R[dst] := R[a] << R[b]`
    Shl { dst: Reg, a: Reg, b: Reg },
    /// `R[dst] := R[a] >> R[b]` (arithmetic)
    SShr { dst: Reg, a: Reg, b: Reg },
    /// `R[dst] := R[a] >>> R[b]` (logical)
    UShr { dst: Reg, a: Reg, b: Reg },
    /// `R[dst] := R[a] & R[b]`
    And { dst: Reg, a: Reg, b: Reg },
    /// `R[dst] := R[a] | R[b]`
    Or { dst: Reg, a: Reg, b: Reg },
    /// `R[dst] := R[a] ^ R[b]`
    Xor { dst: Reg, a: Reg, b: Reg },
    /// `R[dst] := -R[src]`
    Neg { dst: Reg, src: Reg },
    /// `R[dst] := !R[src]` (bool)
    Not { dst: Reg, src: Reg },
    /// `R[dst] += 1`
    Incr { dst: Reg },
    /// `R[dst] -= 1`
    Decr { dst: Reg },
    /// `R[dst] := F[fun](R[args]...)` (Call0..Call4 and CallN)
    Call { dst: Reg, fun: u32, args: Box<[Reg]> },
    /// `R[dst] := R[args[0]].vtable[field](R[args]...)`
    CallMethod { dst: Reg, field: u32, args: Box<[Reg]> },
    /// `R[dst] := R[0].vtable[field](R[0], R[args]...)`
    CallThis { dst: Reg, field: u32, args: Box<[Reg]> },
    /// `R[dst] := R[fun](R[args]...)` (closure call)
    CallClosure { dst: Reg, fun: Reg, args: Box<[Reg]> },
    /// `R[dst] := closure of F[fun]`
    StaticClosure { dst: Reg, fun: u32 },
    /// `R[dst] := closure of F[fun] bound to R[obj]`
    InstanceClosure { dst: Reg, fun: u32, obj: Reg },
    /// `R[dst] := closure of R[obj].vtable[field] bound to R[obj]`
    VirtualClosure { dst: Reg, obj: Reg, field: u32 },
    /// `R[dst] := G[global]`
    GetGlobal { dst: Reg, global: u32 },
    /// `G[global] := R[src]`
    SetGlobal { global: u32, src: Reg },
    /// `R[dst] := R[obj].field`
    Field { dst: Reg, obj: Reg, field: u32 },
    /// `R[obj].field := R[src]`
    SetField { obj: Reg, field: u32, src: Reg },
    /// `R[dst] := R[0].field`
    GetThis { dst: Reg, field: u32 },
    /// `R[0].field := R[src]`
    SetThis { field: u32, src: Reg },
    /// `R[dst] := R[obj].<K_string[name]>` (dynamic lookup)
    DynGet { dst: Reg, obj: Reg, name: u32 },
    /// `R[obj].<K_string[name]> := R[src]` (dynamic store)
    DynSet { obj: Reg, name: u32, src: Reg },
    /// `if R[cond] goto target`
    JTrue { cond: Reg, target: u32 },
    /// `if !R[cond] goto target`
    JFalse { cond: Reg, target: u32 },
    /// `if R[reg] == null goto target`
    JNull { reg: Reg, target: u32 },
    /// `if R[reg] != null goto target`
    JNotNull { reg: Reg, target: u32 },
    /// `if R[a] < R[b] goto target` (signed)
    JSLt { a: Reg, b: Reg, target: u32 },
    /// `if R[a] >= R[b] goto target` (signed)
    JSGte { a: Reg, b: Reg, target: u32 },
    /// `if R[a] > R[b] goto target` (signed)
    JSGt { a: Reg, b: Reg, target: u32 },
    /// `if R[a] <= R[b] goto target` (signed)
    JSLte { a: Reg, b: Reg, target: u32 },
    /// `if R[a] < R[b] goto target` (unsigned)
    JULt { a: Reg, b: Reg, target: u32 },
    /// `if R[a] >= R[b] goto target` (unsigned)
    JUGte { a: Reg, b: Reg, target: u32 },
    /// `if !(R[a] < R[b]) goto target` (true for NaN)
    JNotLt { a: Reg, b: Reg, target: u32 },
    /// `if !(R[a] >= R[b]) goto target` (true for NaN)
    JNotGte { a: Reg, b: Reg, target: u32 },
    /// `if R[a] == R[b] goto target`
    JEq { a: Reg, b: Reg, target: u32 },
    /// `if R[a] != R[b] goto target`
    JNotEq { a: Reg, b: Reg, target: u32 },
    /// `goto target`
    JAlways { target: u32 },
    /// `R[dst] := box(R[src])` as Dynamic
    ToDyn { dst: Reg, src: Reg },
    /// `R[dst] := float(R[src])` (signed source)
    ToSFloat { dst: Reg, src: Reg },
    /// `R[dst] := float(R[src])` (unsigned source)
    ToUFloat { dst: Reg, src: Reg },
    /// `R[dst] := int(R[src])`
    ToInt { dst: Reg, src: Reg },
    /// `R[dst] := R[src]` converted to R[dst]'s type, checked (throws on mismatch)
    SafeCast { dst: Reg, src: Reg },
    /// `R[dst] := R[src]` reinterpreted as R[dst]'s type
    UnsafeCast { dst: Reg, src: Reg },
    /// `R[dst] := virtual view of R[src]`
    ToVirtual { dst: Reg, src: Reg },
    /// A loop head; no effect.
    Label,
    /// `return R[reg]`
    Ret { reg: Reg },
    /// `throw R[reg]` (records the call stack)
    Throw { reg: Reg },
    /// `throw R[reg]` (keeps the recorded call stack)
    Rethrow { reg: Reg },
    /// `goto targets[R[reg]]` if in range, else fall through to `end`
    Switch { reg: Reg, targets: Box<[u32]>, end: u32 },
    /// `if R[reg] == null throw "Null access"`
    NullCheck { reg: Reg },
    /// Install a handler: an exception goes to `target` with the value in R[reg].
    Trap { reg: Reg, target: u32 },
    /// Remove the innermost handler.
    EndTrap { reg: Reg },
    /// `R[dst] := ui8 at R[bytes] + R[index]`
    GetI8 { dst: Reg, bytes: Reg, index: Reg },
    /// `R[dst] := ui16 at R[bytes] + R[index]`
    GetI16 { dst: Reg, bytes: Reg, index: Reg },
    /// `R[dst] := value of R[dst]'s type at R[bytes] + R[index]`
    GetMem { dst: Reg, bytes: Reg, index: Reg },
    /// `R[dst] := R[array][R[index]]`
    GetArray { dst: Reg, array: Reg, index: Reg },
    /// `ui8 at R[bytes] + R[index] := R[src]`
    SetI8 { bytes: Reg, index: Reg, src: Reg },
    /// `ui16 at R[bytes] + R[index] := R[src]`
    SetI16 { bytes: Reg, index: Reg, src: Reg },
    /// `value at R[bytes] + R[index] := R[src]`
    SetMem { bytes: Reg, index: Reg, src: Reg },
    /// `R[array][R[index]] := R[src]`
    SetArray { array: Reg, index: Reg, src: Reg },
    /// `R[dst] := new instance of R[dst]'s type`
    New { dst: Reg },
    /// `R[dst] := length of R[array]`
    ArraySize { dst: Reg, array: Reg },
    /// `R[dst] := type value T[ty]`
    Type { dst: Reg, ty: u32 },
    /// `R[dst] := runtime type of R[src]`
    GetType { dst: Reg, src: Reg },
    /// `R[dst] := kind id of the runtime type value R[src]`
    GetTID { dst: Reg, src: Reg },
    /// `R[dst] := &R[src]`
    Ref { dst: Reg, src: Reg },
    /// `R[dst] := *R[src]`
    Unref { dst: Reg, src: Reg },
    /// `*R[dst] := R[src]`
    Setref { dst: Reg, src: Reg },
    /// `R[dst] := constructor `construct` of R[dst]'s enum with R[args]`
    MakeEnum { dst: Reg, construct: u32, args: Box<[Reg]> },
    /// `R[dst] := constructor `construct` with default parameters`
    EnumAlloc { dst: Reg, construct: u32 },
    /// `R[dst] := constructor index of R[src]`
    EnumIndex { dst: Reg, src: Reg },
    /// `R[dst] := parameter `field` of R[src] (as constructor `construct`)`
    EnumField { dst: Reg, src: Reg, construct: u32, field: u32 },
    /// `parameter `field` of R[dst] := R[src]`
    SetEnumField { dst: Reg, field: u32, src: Reg },
    /// Debug assertion; traps.
    Assert,
    /// `R[dst] := pointer to the data of R[src]`
    RefData { dst: Reg, src: Reg },
    /// `R[dst] := R[src] + R[offset] elements`
    RefOffset { dst: Reg, src: Reg, offset: Reg },
    /// No effect.
    Nop,
    /// Cache hint; no effect.
    Prefetch,
}

impl Op {
    /// The target of a conditional or unconditional jump (not `Switch` or `Trap`).
    pub fn jump_target(&self) -> Option<u32> {
        match self {
            Op::JTrue { target, .. }
            | Op::JFalse { target, .. }
            | Op::JNull { target, .. }
            | Op::JNotNull { target, .. }
            | Op::JSLt { target, .. }
            | Op::JSGte { target, .. }
            | Op::JSGt { target, .. }
            | Op::JSLte { target, .. }
            | Op::JULt { target, .. }
            | Op::JUGte { target, .. }
            | Op::JNotLt { target, .. }
            | Op::JNotGte { target, .. }
            | Op::JEq { target, .. }
            | Op::JNotEq { target, .. }
            | Op::JAlways { target } => Some(*target),
            _ => None,
        }
    }
}

/// How many operands each opcode has in the file (`-1`: variable), by opcode number.
pub(crate) const OP_NARGS: [i8; 100] = [
    2, 2, 2, 2, 2, 2, 1, // Mov Int Float Bool Bytes String Null
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, // Add..Xor
    2, 2, 1, 1, // Neg Not Incr Decr
    2, 3, 4, 5, 6, -1, -1, -1, -1, // Call0..CallClosure
    2, 3, 3, // StaticClosure InstanceClosure VirtualClosure
    2, 2, 3, 3, 2, 2, 3, 3, // GetGlobal..DynSet
    2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 1, // JTrue..JAlways
    2, 2, 2, 2, 2, 2, 2, // ToDyn..ToVirtual
    0, 1, 1, 1, -1, 1, 2, 1, // Label Ret Throw Rethrow Switch NullCheck Trap EndTrap
    3, 3, 3, 3, 3, 3, 3, 3, // GetI8..SetArray
    1, 2, 2, 2, 2, // New ArraySize Type GetType GetTID
    2, 2, 2, // Ref Unref Setref
    -1, 2, 2, 4, 3, // MakeEnum EnumAlloc EnumIndex EnumField SetEnumField
    0, 2, 3, 0, 3, // Assert RefData RefOffset Nop Prefetch
];

/// Opcode names, by number, as HashLink names them (without the `O`).
pub const OP_NAMES: [&str; 100] = [
    "Mov", "Int", "Float", "Bool", "Bytes", "String", "Null", "Add", "Sub", "Mul", "SDiv",
    "UDiv", "SMod", "UMod", "Shl", "SShr", "UShr", "And", "Or", "Xor", "Neg", "Not", "Incr",
    "Decr", "Call0", "Call1", "Call2", "Call3", "Call4", "CallN", "CallMethod", "CallThis",
    "CallClosure", "StaticClosure", "InstanceClosure", "VirtualClosure", "GetGlobal",
    "SetGlobal", "Field", "SetField", "GetThis", "SetThis", "DynGet", "DynSet", "JTrue",
    "JFalse", "JNull", "JNotNull", "JSLt", "JSGte", "JSGt", "JSLte", "JULt", "JUGte", "JNotLt",
    "JNotGte", "JEq", "JNotEq", "JAlways", "ToDyn", "ToSFloat", "ToUFloat", "ToInt", "SafeCast",
    "UnsafeCast", "ToVirtual", "Label", "Ret", "Throw", "Rethrow", "Switch", "NullCheck", "Trap",
    "EndTrap", "GetI8", "GetI16", "GetMem", "GetArray", "SetI8", "SetI16", "SetMem", "SetArray",
    "New", "ArraySize", "Type", "GetType", "GetTID", "Ref", "Unref", "Setref", "MakeEnum",
    "EnumAlloc", "EnumIndex", "EnumField", "SetEnumField", "Assert", "RefData", "RefOffset",
    "Nop", "Prefetch",
];

/// An instruction as stored in the file, before validation: opcode number and operands,
/// the operands past the third (call arguments, switch targets) as a range of a pool
/// shared by all the module's ops (one allocation for all of them).
#[derive(Debug, Clone)]
pub(crate) struct RawOp {
    pub op: u8,
    pub p: [i32; 3],
    pub extra: std::ops::Range<u32>,
}
