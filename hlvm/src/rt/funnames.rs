//! HashLink's names for functions: the frame names of stack traces and the field a
//! failed null check names.
//!
//! # Frame names
//! A method or a static (a proto or binding of a class) is `Class.field` (`$Main.main`);
//! the entry point is `.init`. Every other function (closures, local functions, and
//! unbound standard-library helpers) is named after the method whose code refers to it:
//! the linker visits the bytecode functions in file order, finds for each one its
//! "owner" (itself when it is a method, else the owner recorded for it so far, else
//! none), and for every `Call*`, `StaticClosure` or `InstanceClosure` of a bytecode
//! function that is not a method, records that owner and the owner's next ordinal
//! (counted per owner, once per referring op). Such a function prints as
//! `Class.~field.N` (`$Main.~main.1`, `Worker.~inner.0`); one that never got an owner
//! prints as `fun$N` with its function index. Haxe's `CallStack` turns these into
//! `Method($Main,~main.1)` and `LocalFunction(N)`.
//!
//! # Null access names
//! A failed `NullCheck` throws `Null access .name` when the op that uses the checked
//! register (after any constant loads and arithmetic) reads or writes one of its fields
//! (`Field`, `SetField`: that field's name) or calls a function with it as first argument
//! (a `Call` of 1 to 4 arguments: the called function's field name, as above). Anything
//! else (a virtual or interface call, a dynamic access, a closure call) throws plain
//! `Null access`. A `CallN` (5 arguments or more) is compared by HashLink against its
//! argument count instead of its first argument; that quirk is kept.

use crate::code::{Code, FunRef, Function, Op};
use crate::vm::Vm;

/// Names the functions that `names` (by function index: `Class.field` for methods and
/// statics, empty otherwise) leaves empty, after the method that refers to them.
pub(crate) fn name_nested_functions(code: &Code, names: &mut [String]) {
    let n = names.len();
    let is_method: Vec<bool> = names.iter().map(|s| !s.is_empty()).collect();
    let is_bytecode = |f: usize| matches!(code.fun_refs.get(f), Some(FunRef::Function(_)));
    let mut owner: Vec<Option<usize>> = vec![None; n];
    let mut ordinal = vec![0u32; n];
    let mut next = vec![0u32; n];
    for func in &code.functions {
        let mut cur = Some(func.findex as usize);
        let mut steps = 0;
        while let Some(c) = cur {
            if is_method.get(c).copied().unwrap_or(false) || steps > n {
                break;
            }
            cur = owner.get(c).copied().flatten();
            steps += 1;
        }
        let Some(real) = cur.filter(|&c| is_method.get(c).copied().unwrap_or(false)) else { continue };
        for op in &func.ops {
            let target = match op {
                Op::Call { fun, .. } | Op::StaticClosure { fun, .. } | Op::InstanceClosure { fun, .. } => *fun as usize,
                _ => continue,
            };
            if target >= n || !is_bytecode(target) || is_method[target] {
                continue;
            }
            owner[target] = Some(real);
            ordinal[target] = next[real];
            next[real] += 1;
        }
    }
    for f in 0..n {
        if is_method[f] || f == code.entrypoint as usize {
            continue;
        }
        if let Some(o) = owner[f] {
            let (class, field) = split_method_name(&names[o]);
            names[f] = format!("{class}.~{field}.{}", ordinal[f]);
        }
    }
}

/// `pkg.$Class.field` → (`pkg.$Class`, `field`).
fn split_method_name(name: &str) -> (&str, &str) {
    name.rsplit_once('.').unwrap_or(("", name))
}

/// The field name HashLink associates with a function named `name` by
/// [`name_nested_functions`]: `field` for `Class.field` and for `Class.~field.N`.
fn field_of_name(name: &str) -> Option<&str> {
    if name.is_empty() || name.starts_with("fun$") {
        return None;
    }
    match name.rsplit_once(".~") {
        Some((_, rest)) => Some(rest.rsplit_once('.').map(|(f, _)| f).unwrap_or(rest)),
        None => Some(split_method_name(name).1),
    }
}

/// True for the ops HashLink skips when looking for the use of a null-checked register:
/// constant loads and arithmetic.
fn is_skipped(op: &Op) -> bool {
    matches!(
        op,
        Op::Int { .. }
            | Op::Float { .. }
            | Op::Bool { .. }
            | Op::Bytes { .. }
            | Op::String { .. }
            | Op::Null { .. }
            | Op::Add { .. }
            | Op::Sub { .. }
            | Op::Mul { .. }
            | Op::SDiv { .. }
            | Op::UDiv { .. }
            | Op::SMod { .. }
            | Op::UMod { .. }
            | Op::Shl { .. }
            | Op::SShr { .. }
            | Op::UShr { .. }
            | Op::And { .. }
            | Op::Or { .. }
            | Op::Xor { .. }
            | Op::Neg { .. }
            | Op::Not { .. }
            | Op::Incr { .. }
            | Op::Decr { .. }
    )
}

impl Vm {
    /// The field named by the `Null access` error of the `NullCheck` of register `reg`
    /// at `pc` in `func` (see the module docs), or `None` for a plain `Null access`.
    pub fn null_check_field(&self, func: &Function, pc: usize, reg: u32) -> Option<String> {
        let ops = &func.ops;
        let mut next = pc + 1;
        while next + 1 < ops.len() && is_skipped(&ops[next]) {
            next += 1;
        }
        match ops.get(next)? {
            Op::Field { obj, field, .. } | Op::SetField { obj, field, .. } if *obj == reg => {
                let ty = *func.regs.get(reg as usize)?;
                self.field_name_of(ty, *field)
            }
            Op::Call { fun, args, .. } => {
                let first = match args.len() {
                    0 => return None,
                    1..=4 => args[0],
                    n => n as u32,
                };
                if first != reg {
                    return None;
                }
                field_of_name(self.fun_names.get(*fun as usize)?).map(str::to_string)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_of_methods_and_nested_functions() {
        assert_eq!(field_of_name("$Main.main"), Some("main"));
        assert_eq!(field_of_name("haxe.ds.$StringMap.get"), Some("get"));
        assert_eq!(field_of_name("Worker.~inner.0"), Some("inner"));
        assert_eq!(field_of_name("pkg.$Main.~main.12"), Some("main"));
        assert_eq!(field_of_name("fun$12"), None);
        assert_eq!(field_of_name(""), None);
    }
}
