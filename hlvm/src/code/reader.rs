//! The HLB parser. Every read is bounds-checked; every count is checked against the
//! bytes that remain before anything is allocated for it.

use super::opcodes::{Op, RawOp, OP_NARGS};
use super::types::*;
use super::{Code, Constant, FunRef, Function, Native, ReadError, ReadErrorKind as K};

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

type R<T> = Result<T, ReadError>;

impl<'a> Reader<'a> {
    fn err<T>(&self, kind: K) -> R<T> {
        Err(ReadError { offset: self.pos, kind })
    }

    fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    fn byte(&mut self, what: &'static str) -> R<u8> {
        match self.data.get(self.pos) {
            Some(b) => {
                self.pos += 1;
                Ok(*b)
            }
            None => self.err(K::Truncated { what }),
        }
    }

    fn take(&mut self, n: usize, what: &'static str) -> R<&'a [u8]> {
        if n > self.remaining() {
            return self.err(K::Truncated { what });
        }
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn i32(&mut self, what: &'static str) -> R<i32> {
        let b = self.take(4, what)?;
        Ok(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn f64(&mut self, what: &'static str) -> R<f64> {
        let b = self.take(8, what)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(f64::from_le_bytes(a))
    }

    /// HashLink's variable-length signed index encoding.
    fn index(&mut self, what: &'static str) -> R<i32> {
        let b = self.byte(what)? as i32;
        if b & 0x80 == 0 {
            return Ok(b & 0x7F);
        }
        if b & 0x40 == 0 {
            let v = self.byte(what)? as i32 | ((b & 31) << 8);
            return Ok(if b & 0x20 == 0 { v } else { -v });
        }
        let c = self.byte(what)? as i32;
        let d = self.byte(what)? as i32;
        let e = self.byte(what)? as i32;
        let v = ((b & 31) << 24) | (c << 16) | (d << 8) | e;
        Ok(if b & 0x20 == 0 { v } else { -v })
    }

    fn uindex(&mut self, what: &'static str) -> R<u32> {
        let start = self.pos;
        let v = self.index(what)?;
        if v < 0 {
            return Err(ReadError { offset: start, kind: K::Negative { what, value: v } });
        }
        Ok(v as u32)
    }

    /// A count of items each taking at least `min_size` bytes.
    fn count(&mut self, what: &'static str, min_size: usize) -> R<usize> {
        let n = self.uindex(what)? as usize;
        let remaining = self.remaining();
        if n.saturating_mul(min_size.max(1)) > remaining && n > 0 && min_size > 0 {
            return self.err(K::CountTooLarge { what, count: n, remaining });
        }
        Ok(n)
    }

    fn checked(&mut self, what: &'static str, count: usize) -> R<u32> {
        let start = self.pos;
        let v = self.index(what)?;
        if v < 0 || v as usize >= count {
            return Err(ReadError {
                offset: start,
                kind: K::IndexOutOfRange { what, index: v as i64, count },
            });
        }
        Ok(v as u32)
    }

    fn strings(&mut self, n: usize) -> R<Vec<String>> {
        let size = self.i32("string pool size")?;
        if size < 0 {
            return self.err(K::Negative { what: "string pool size", value: size });
        }
        let pool = self.take(size as usize, "string pool")?;
        if n > pool.len() {
            return self.err(K::CountTooLarge { what: "string", count: n, remaining: pool.len() });
        }
        let mut out = Vec::with_capacity(n);
        let mut at = 0usize;
        for _ in 0..n {
            let len = self.uindex("string length")? as usize;
            let end = at.checked_add(len).filter(|&e| e < pool.len());
            let Some(end) = end else { return self.err(K::BadStringPool) };
            if pool[end] != 0 {
                return self.err(K::BadStringPool);
            }
            out.push(String::from_utf8_lossy(&pool[at..end]).into_owned());
            at = end + 1;
        }
        Ok(out)
    }
}

struct Counts {
    types: usize,
    strings: usize,
}

fn read_type(r: &mut Reader, c: &Counts) -> R<Type> {
    let kind = r.byte("type kind")?;
    let ty = |r: &mut Reader| r.checked("type", c.types);
    let s = |r: &mut Reader| r.checked("string", c.strings);
    Ok(match kind {
        0 => Type::Void,
        1 => Type::UI8,
        2 => Type::UI16,
        3 => Type::I32,
        4 => Type::I64,
        5 => Type::F32,
        6 => Type::F64,
        7 => Type::Bool,
        8 => Type::Bytes,
        9 => Type::Dyn,
        10 | 20 => {
            let nargs = r.byte("function arity")? as usize;
            let mut args = Vec::with_capacity(nargs);
            for _ in 0..nargs {
                args.push(ty(r)?);
            }
            let ret = ty(r)?;
            let f = FunType { args, ret };
            if kind == 10 {
                Type::Fun(f)
            } else {
                Type::Method(f)
            }
        }
        11 | 21 => {
            let name = s(r)?;
            let sup = r.index("super type")?;
            let super_ = if sup < 0 {
                None
            } else if (sup as usize) < c.types {
                Some(sup as u32)
            } else {
                return r.err(K::IndexOutOfRange { what: "super type", index: sup as i64, count: c.types });
            };
            let global = r.uindex("class global")?;
            let nfields = r.count("field", 2)?;
            let nproto = r.count("proto", 3)?;
            let nbindings = r.count("binding", 2)?;
            let mut fields = Vec::with_capacity(nfields);
            for _ in 0..nfields {
                fields.push(Field { name: s(r)?, ty: ty(r)? });
            }
            let mut protos = Vec::with_capacity(nproto);
            for _ in 0..nproto {
                let name = s(r)?;
                let findex = r.uindex("proto function")?;
                let pindex = r.index("proto slot")?;
                protos.push(Proto { name, findex, pindex });
            }
            let mut bindings = Vec::with_capacity(nbindings);
            for _ in 0..nbindings {
                let f = r.uindex("binding field")?;
                let g = r.uindex("binding function")?;
                bindings.push((f, g));
            }
            let o = ObjType { name, super_, global, fields, protos, bindings };
            if kind == 11 {
                Type::Obj(o)
            } else {
                Type::Struct(o)
            }
        }
        12 => Type::Array,
        13 => Type::Type,
        14 => Type::Ref(ty(r)?),
        15 => {
            let n = r.count("virtual field", 2)?;
            let mut fields = Vec::with_capacity(n);
            for _ in 0..n {
                fields.push(Field { name: s(r)?, ty: ty(r)? });
            }
            Type::Virtual(VirtualType { fields })
        }
        16 => Type::DynObj,
        17 => Type::Abstract(s(r)?),
        18 => {
            let name = s(r)?;
            let global = r.uindex("enum global")?;
            let n = r.byte("enum constructor count")? as usize;
            let mut constructs = Vec::with_capacity(n);
            for _ in 0..n {
                let cname = s(r)?;
                let np = r.count("enum parameter", 1)?;
                let mut params = Vec::with_capacity(np);
                for _ in 0..np {
                    params.push(ty(r)?);
                }
                constructs.push(EnumConstruct { name: cname, params });
            }
            Type::Enum(EnumType { name, global, constructs })
        }
        19 => Type::Null(ty(r)?),
        22 => Type::Packed(ty(r)?),
        23 => Type::Guid,
        k => return r.err(K::BadTypeKind(k)),
    })
}

/// Reads one op; its operands past the third go to the end of `extra`.
fn read_raw_op(r: &mut Reader, extra: &mut Vec<i32>) -> R<RawOp> {
    let op = r.byte("opcode")?;
    let Some(&nargs) = OP_NARGS.get(op as usize) else {
        r.pos -= 1;
        return r.err(K::BadOpcode(op));
    };
    let mut p = [0i32; 3];
    let start = extra.len() as u32;
    match nargs {
        0 => {}
        1..=3 => {
            for slot in p.iter_mut().take(nargs as usize) {
                *slot = r.index("operand")?;
            }
        }
        4 => {
            for slot in p.iter_mut() {
                *slot = r.index("operand")?;
            }
            extra.push(r.index("operand")?);
        }
        -1 => {
            if op == 70 {
                // Switch: reg, count, targets..., end
                p[0] = r.index("operand")?;
                let n = r.count("switch target", 1)?;
                p[1] = n as i32;
                for _ in 0..n {
                    extra.push(r.index("switch target")?);
                }
                p[2] = r.index("operand")?;
            } else {
                p[0] = r.index("operand")?;
                p[1] = r.index("operand")?;
                let n = r.byte("argument count")? as usize;
                p[2] = n as i32;
                for _ in 0..n {
                    extra.push(r.index("argument")?);
                }
            }
        }
        n => {
            for slot in p.iter_mut() {
                *slot = r.index("operand")?;
            }
            for _ in 0..(n - 3) {
                extra.push(r.index("operand")?);
            }
        }
    }
    Ok(RawOp { op, p, extra: start..extra.len() as u32 })
}

/// Limits an op's operands are checked against.
struct Limits {
    nregs: usize,
    ints: usize,
    floats: usize,
    strings: usize,
    bytes: usize,
    types: usize,
    globals: usize,
    funs: usize,
    nops: usize,
    findex: u32,
}

/// Validates `raw` (at byte `at`, op `pc` of its function); `extra` is the pool its
/// extra operands are in.
fn decode(raw: &RawOp, extra: &[i32], pc: usize, l: &Limits, at: usize) -> R<Op> {
    let extra = extra.get(raw.extra.start as usize..raw.extra.end as usize).unwrap_or(&[]);
    let fail = |what: &'static str, index: i64, count: usize| {
        Err(ReadError { offset: at, kind: K::IndexOutOfRange { what, index, count } })
    };
    let reg = |v: i32| -> R<u32> {
        if v < 0 || v as usize >= l.nregs {
            fail("register", v as i64, l.nregs)
        } else {
            Ok(v as u32)
        }
    };
    let idx = |v: i32, what: &'static str, count: usize| -> R<u32> {
        if v < 0 || v as usize >= count {
            fail(what, v as i64, count)
        } else {
            Ok(v as u32)
        }
    };
    let nonneg = |v: i32, what: &'static str| -> R<u32> {
        if v < 0 {
            Err(ReadError { offset: at, kind: K::Negative { what, value: v } })
        } else {
            Ok(v as u32)
        }
    };
    let jump = |off: i32| -> R<u32> {
        let target = pc as i64 + 1 + off as i64;
        if target < 0 || target >= l.nops as i64 {
            Err(ReadError {
                offset: at,
                kind: K::BadJump { findex: l.findex, pc, target, nops: l.nops },
            })
        } else {
            Ok(target as u32)
        }
    };
    let regs = |v: &[i32]| -> R<Box<[u32]>> { v.iter().map(|&x| reg(x)).collect() };
    let [p1, p2, p3] = raw.p;
    let e0 = extra.first().copied().unwrap_or(0);
    use Op::*;
    macro_rules! bin {
        ($v:ident) => {
            $v { dst: reg(p1)?, a: reg(p2)?, b: reg(p3)? }
        };
    }
    macro_rules! jcmp {
        ($v:ident) => {
            $v { a: reg(p1)?, b: reg(p2)?, target: jump(p3)? }
        };
    }
    Ok(match raw.op {
        0 => Mov { dst: reg(p1)?, src: reg(p2)? },
        1 => Int { dst: reg(p1)?, idx: idx(p2, "int constant", l.ints)? },
        2 => Float { dst: reg(p1)?, idx: idx(p2, "float constant", l.floats)? },
        3 => Bool { dst: reg(p1)?, value: p2 != 0 },
        4 => Bytes { dst: reg(p1)?, idx: idx(p2, "bytes constant", l.bytes)? },
        5 => String { dst: reg(p1)?, idx: idx(p2, "string constant", l.strings)? },
        6 => Null { dst: reg(p1)? },
        7 => bin!(Add),
        8 => bin!(Sub),
        9 => bin!(Mul),
        10 => bin!(SDiv),
        11 => bin!(UDiv),
        12 => bin!(SMod),
        13 => bin!(UMod),
        14 => bin!(Shl),
        15 => bin!(SShr),
        16 => bin!(UShr),
        17 => bin!(And),
        18 => bin!(Or),
        19 => bin!(Xor),
        20 => Neg { dst: reg(p1)?, src: reg(p2)? },
        21 => Not { dst: reg(p1)?, src: reg(p2)? },
        22 => Incr { dst: reg(p1)? },
        23 => Decr { dst: reg(p1)? },
        24..=28 => {
            let n = (raw.op - 24) as usize;
            let mut args = Vec::with_capacity(n);
            if n >= 1 {
                args.push(reg(p3)?);
            }
            for &a in extra.iter().take(n.saturating_sub(1)) {
                args.push(reg(a)?);
            }
            Call { dst: reg(p1)?, fun: idx(p2, "function", l.funs)?, args: args.into() }
        }
        29 => Call { dst: reg(p1)?, fun: idx(p2, "function", l.funs)?, args: regs(extra)? },
        30 => {
            if extra.is_empty() {
                return Err(ReadError { offset: at, kind: K::Invalid("CallMethod without receiver".into()) });
            }
            CallMethod { dst: reg(p1)?, field: nonneg(p2, "method slot")?, args: regs(extra)? }
        }
        31 => CallThis { dst: reg(p1)?, field: nonneg(p2, "method slot")?, args: regs(extra)? },
        32 => CallClosure { dst: reg(p1)?, fun: reg(p2)?, args: regs(extra)? },
        33 => StaticClosure { dst: reg(p1)?, fun: idx(p2, "function", l.funs)? },
        34 => InstanceClosure { dst: reg(p1)?, fun: idx(p2, "function", l.funs)?, obj: reg(p3)? },
        35 => VirtualClosure { dst: reg(p1)?, obj: reg(p2)?, field: nonneg(p3, "method slot")? },
        36 => GetGlobal { dst: reg(p1)?, global: idx(p2, "global", l.globals)? },
        37 => SetGlobal { global: idx(p1, "global", l.globals)?, src: reg(p2)? },
        38 => Field { dst: reg(p1)?, obj: reg(p2)?, field: nonneg(p3, "field")? },
        39 => SetField { obj: reg(p1)?, field: nonneg(p2, "field")?, src: reg(p3)? },
        40 => GetThis { dst: reg(p1)?, field: nonneg(p2, "field")? },
        41 => SetThis { field: nonneg(p1, "field")?, src: reg(p2)? },
        42 => DynGet { dst: reg(p1)?, obj: reg(p2)?, name: idx(p3, "string", l.strings)? },
        43 => DynSet { obj: reg(p1)?, name: idx(p2, "string", l.strings)?, src: reg(p3)? },
        44 => JTrue { cond: reg(p1)?, target: jump(p2)? },
        45 => JFalse { cond: reg(p1)?, target: jump(p2)? },
        46 => JNull { reg: reg(p1)?, target: jump(p2)? },
        47 => JNotNull { reg: reg(p1)?, target: jump(p2)? },
        48 => jcmp!(JSLt),
        49 => jcmp!(JSGte),
        50 => jcmp!(JSGt),
        51 => jcmp!(JSLte),
        52 => jcmp!(JULt),
        53 => jcmp!(JUGte),
        54 => jcmp!(JNotLt),
        55 => jcmp!(JNotGte),
        56 => jcmp!(JEq),
        57 => jcmp!(JNotEq),
        58 => JAlways { target: jump(p1)? },
        59 => ToDyn { dst: reg(p1)?, src: reg(p2)? },
        60 => ToSFloat { dst: reg(p1)?, src: reg(p2)? },
        61 => ToUFloat { dst: reg(p1)?, src: reg(p2)? },
        62 => ToInt { dst: reg(p1)?, src: reg(p2)? },
        63 => SafeCast { dst: reg(p1)?, src: reg(p2)? },
        64 => UnsafeCast { dst: reg(p1)?, src: reg(p2)? },
        65 => ToVirtual { dst: reg(p1)?, src: reg(p2)? },
        66 => Label,
        67 => Ret { reg: reg(p1)? },
        68 => Throw { reg: reg(p1)? },
        69 => Rethrow { reg: reg(p1)? },
        70 => {
            let targets: R<Box<[u32]>> = extra.iter().map(|&o| jump(o)).collect();
            // `end` marks the end of the switch for tools; it may equal the op count.
            let end = (pc as i64 + 1 + p3 as i64).clamp(0, l.nops as i64) as u32;
            Switch { reg: reg(p1)?, targets: targets?, end }
        }
        71 => NullCheck { reg: reg(p1)? },
        72 => Trap { reg: reg(p1)?, target: jump(p2)? },
        73 => EndTrap { reg: reg(p1).unwrap_or(0) },
        74 => GetI8 { dst: reg(p1)?, bytes: reg(p2)?, index: reg(p3)? },
        75 => GetI16 { dst: reg(p1)?, bytes: reg(p2)?, index: reg(p3)? },
        76 => GetMem { dst: reg(p1)?, bytes: reg(p2)?, index: reg(p3)? },
        77 => GetArray { dst: reg(p1)?, array: reg(p2)?, index: reg(p3)? },
        78 => SetI8 { bytes: reg(p1)?, index: reg(p2)?, src: reg(p3)? },
        79 => SetI16 { bytes: reg(p1)?, index: reg(p2)?, src: reg(p3)? },
        80 => SetMem { bytes: reg(p1)?, index: reg(p2)?, src: reg(p3)? },
        81 => SetArray { array: reg(p1)?, index: reg(p2)?, src: reg(p3)? },
        82 => New { dst: reg(p1)? },
        83 => ArraySize { dst: reg(p1)?, array: reg(p2)? },
        84 => Type { dst: reg(p1)?, ty: idx(p2, "type", l.types)? },
        85 => GetType { dst: reg(p1)?, src: reg(p2)? },
        86 => GetTID { dst: reg(p1)?, src: reg(p2)? },
        87 => Ref { dst: reg(p1)?, src: reg(p2)? },
        88 => Unref { dst: reg(p1)?, src: reg(p2)? },
        89 => Setref { dst: reg(p1)?, src: reg(p2)? },
        90 => MakeEnum { dst: reg(p1)?, construct: nonneg(p2, "enum constructor")?, args: regs(extra)? },
        91 => EnumAlloc { dst: reg(p1)?, construct: nonneg(p2, "enum constructor")? },
        92 => EnumIndex { dst: reg(p1)?, src: reg(p2)? },
        93 => EnumField {
            dst: reg(p1)?,
            src: reg(p2)?,
            construct: nonneg(p3, "enum constructor")?,
            field: nonneg(e0, "enum field")?,
        },
        94 => SetEnumField { dst: reg(p1)?, field: nonneg(p2, "enum field")?, src: reg(p3)? },
        95 => Assert,
        96 => RefData { dst: reg(p1)?, src: reg(p2)? },
        97 => RefOffset { dst: reg(p1)?, src: reg(p2)?, offset: reg(p3)? },
        98 => Nop,
        _ => Prefetch,
    })
}

/// Reads one function's debug line table (HashLink's compact encoding).
fn read_debug(r: &mut Reader, nops: usize, nfiles: usize) -> R<Vec<(u32, u32)>> {
    let mut out = Vec::with_capacity(nops);
    let mut file: i64 = -1;
    let mut line: i64 = 0;
    let cur = |file: i64, line: i64| (file.max(0) as u32, line.clamp(0, u32::MAX as i64) as u32);
    while out.len() < nops {
        let c = r.byte("debug info")? as i64;
        if c & 1 != 0 {
            let lo = r.byte("debug info")? as i64;
            file = ((c >> 1) << 8) | lo;
            if file as usize >= nfiles {
                return r.err(K::IndexOutOfRange { what: "debug file", index: file, count: nfiles });
            }
        } else if c & 2 != 0 {
            let delta = c >> 6;
            let count = ((c >> 2) & 15) as usize;
            if out.len() + count > nops {
                return r.err(K::Invalid("debug info runs past the function's ops".into()));
            }
            for _ in 0..count {
                out.push(cur(file, line));
            }
            line += delta;
        } else if c & 4 != 0 {
            line += c >> 3;
            out.push(cur(file, line));
        } else {
            let b2 = r.byte("debug info")? as i64;
            let b3 = r.byte("debug info")? as i64;
            line = (c >> 3) | (b2 << 5) | (b3 << 13);
            out.push(cur(file, line));
        }
    }
    Ok(out)
}

pub(super) fn read(data: &[u8]) -> R<Code> {
    let mut r = Reader { data, pos: 0 };
    if data.len() < 3 || &data[..3] != b"HLB" {
        return r.err(K::BadHeader);
    }
    r.pos = 3;
    let version = r.byte("version")?;
    if !(4..=5).contains(&version) {
        r.pos -= 1;
        return r.err(K::UnsupportedVersion { found: version });
    }
    let flags = r.uindex("flags")?;
    let has_debug = flags & 1 != 0;
    let nints = r.count("int", 4)?;
    let nfloats = r.count("float", 8)?;
    let nstrings = r.count("string", 1)?;
    let nbytes = if version >= 5 { r.count("bytes", 1)? } else { 0 };
    let ntypes = r.count("type", 1)?;
    let nglobals = r.count("global", 1)?;
    let nnatives = r.count("native", 4)?;
    let nfunctions = r.count("function", 4)?;
    let nconstants = r.count("constant", 2)?;
    let entrypoint = r.uindex("entrypoint")?;

    let mut ints = Vec::with_capacity(nints);
    for _ in 0..nints {
        ints.push(r.i32("int pool")?);
    }
    let mut floats = Vec::with_capacity(nfloats);
    for _ in 0..nfloats {
        // HashLink loads a zero constant as +0 whatever its sign bit (it clears the register
        // instead of reading the pool), and the Haxe compiler merges `0.0` and `-0.0` into
        // one pool entry: normalising here gives every engine that behaviour. (HashLink's
        // constant objects would copy a -0 raw, but Haxe emits no Float fields in them.)
        let v = r.f64("float pool")?;
        floats.push(if v == 0.0 { 0.0 } else { v });
    }
    let strings = r.strings(nstrings)?;
    let (mut bytes, mut bytes_pos) = (Vec::new(), Vec::new());
    if version >= 5 {
        let size = r.i32("bytes pool size")?;
        if size < 0 {
            return r.err(K::Negative { what: "bytes pool size", value: size });
        }
        bytes = r.take(size as usize, "bytes pool")?.to_vec();
        bytes_pos.reserve(nbytes);
        for _ in 0..nbytes {
            let p = r.uindex("bytes position")?;
            if p as usize > bytes.len() {
                return r.err(K::IndexOutOfRange { what: "bytes position", index: p as i64, count: bytes.len() });
            }
            bytes_pos.push(p);
        }
    }
    let mut debug_files = Vec::new();
    if has_debug {
        let n = r.count("debug file", 1)?;
        debug_files = r.strings(n)?;
    }
    let counts = Counts { types: ntypes, strings: nstrings };
    let mut types = Vec::with_capacity(ntypes);
    for _ in 0..ntypes {
        types.push(read_type(&mut r, &counts)?);
    }
    let mut globals = Vec::with_capacity(nglobals);
    for _ in 0..nglobals {
        globals.push(r.checked("type", ntypes)?);
    }
    let nfuns = nnatives + nfunctions;
    let mut natives = Vec::with_capacity(nnatives);
    for _ in 0..nnatives {
        let lib = r.checked("string", nstrings)?;
        let name = r.checked("string", nstrings)?;
        let ty = r.checked("type", ntypes)?;
        let findex = r.checked("function", nfuns)?;
        natives.push(Native {
            lib: strings[lib as usize].clone(),
            name: strings[name as usize].clone(),
            ty,
            findex,
        });
    }
    // Function bodies are read raw first: their operands are checked once every
    // function index is known.
    let mut raw_functions = Vec::with_capacity(nfunctions);
    let (mut raw_ops, mut extra) = (Vec::new(), Vec::new());
    for _ in 0..nfunctions {
        let ty = r.checked("type", ntypes)?;
        let findex = r.checked("function", nfuns)?;
        let nregs = r.count("register", 1)?;
        let nops = r.count("op", 1)?;
        let mut regs = Vec::with_capacity(nregs);
        for _ in 0..nregs {
            regs.push(r.checked("type", ntypes)?);
        }
        let first = raw_ops.len();
        raw_ops.reserve(nops);
        for _ in 0..nops {
            let at = r.pos;
            raw_ops.push((at, read_raw_op(&mut r, &mut extra)?));
        }
        let ops = first..raw_ops.len();
        let mut debug = Vec::new();
        if has_debug {
            debug = read_debug(&mut r, nops, debug_files.len())?;
            let nassigns = r.count("assign", 2)?;
            for _ in 0..nassigns {
                r.uindex("assign")?;
                r.index("assign")?;
            }
        }
        raw_functions.push((ty, findex, regs, ops, debug));
    }
    let mut constants = Vec::with_capacity(nconstants);
    for _ in 0..nconstants {
        let global = r.checked("global", nglobals)?;
        let n = r.count("constant field", 1)?;
        let mut fields = Vec::with_capacity(n);
        for _ in 0..n {
            fields.push(r.uindex("constant field")?);
        }
        constants.push(Constant { global, fields });
    }

    // Function index space: each index defined exactly once.
    let mut fun_refs: Vec<Option<FunRef>> = vec![None; nfuns];
    for (i, n) in natives.iter().enumerate() {
        let slot = &mut fun_refs[n.findex as usize];
        if slot.is_some() {
            return r.err(K::DuplicateFunction(n.findex));
        }
        *slot = Some(FunRef::Native(i));
    }
    for (i, f) in raw_functions.iter().enumerate() {
        let slot = &mut fun_refs[f.1 as usize];
        if slot.is_some() {
            return r.err(K::DuplicateFunction(f.1));
        }
        *slot = Some(FunRef::Function(i));
    }
    let mut refs = Vec::with_capacity(nfuns);
    for (i, s) in fun_refs.into_iter().enumerate() {
        match s {
            Some(s) => refs.push(s),
            None => return r.err(K::MissingFunction(i as u32)),
        }
    }
    match refs.get(entrypoint as usize) {
        Some(FunRef::Function(_)) => {}
        _ => return r.err(K::BadEntrypoint(entrypoint)),
    }

    let mut functions = Vec::with_capacity(nfunctions);
    for (ty, findex, regs, ops, debug) in raw_functions {
        let raw_ops = &raw_ops[ops];
        if !matches!(types[ty as usize], Type::Fun(_) | Type::Method(_)) {
            return r.err(K::Invalid(format!("function {findex} has a non-function type")));
        }
        let limits = Limits {
            nregs: regs.len(),
            ints: ints.len(),
            floats: floats.len(),
            strings: strings.len(),
            // Before v5, OBytes indexes the string pool.
            bytes: if version >= 5 { bytes_pos.len() } else { strings.len() },
            types: types.len(),
            globals: globals.len(),
            funs: nfuns,
            nops: raw_ops.len(),
            findex,
        };
        let mut ops = Vec::with_capacity(raw_ops.len());
        for (pc, (at, raw)) in raw_ops.iter().enumerate() {
            ops.push(decode(raw, &extra, pc, &limits, *at)?);
        }
        functions.push(Function { ty, findex, regs, ops, debug });
    }
    for n in &natives {
        if !matches!(types[n.ty as usize], Type::Fun(_)) {
            return r.err(K::Invalid(format!("native {}@{} has a non-function type", n.lib, n.name)));
        }
    }
    Ok(Code {
        version,
        has_debug,
        ints,
        floats,
        strings,
        bytes,
        bytes_pos,
        debug_files,
        types,
        globals,
        natives,
        functions,
        constants,
        entrypoint,
        fun_refs: refs,
    })
}
