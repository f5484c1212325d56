//! obj/dynamic, fun, types and error natives: reflection over objects, closures,
//! enums and runtime types.

use super::{arg, argi, noop, Table};
use crate::code::Type;
use crate::gc::Obj;
use crate::rt::INVALID_COMPARISON;
use crate::value::*;
use crate::vm::{Exc, Vm};

pub(super) const NATIVES: Table = &[
    ("alloc_obj", alloc_obj),
    ("get_virtual_value", get_virtual_value),
    ("obj_get_field", obj_get_field),
    ("obj_set_field", obj_set_field),
    ("obj_has_field", obj_has_field),
    ("obj_delete_field", obj_delete_field),
    ("obj_fields", obj_fields),
    ("obj_copy", obj_copy),
    ("field_name", field_name),
    ("ptr_compare", ptr_compare),
    ("value_cast", value_cast),
    ("dyn_compare", dyn_compare),
    ("dyn_op", dyn_op),
    ("call_method", call_method),
    ("get_closure_value", get_closure_value),
    ("make_closure", make_closure),
    ("make_var_args", make_var_args),
    ("no_closure", no_closure),
    ("fun_compare", fun_compare),
    ("type_enum_fields", type_enum_fields),
    ("type_enum_values", type_enum_values),
    ("type_name", type_name),
    ("type_safe_cast", type_safe_cast),
    ("type_set_global", type_set_global),
    ("type_get_global", type_get_global),
    ("enum_parameters", enum_parameters),
    ("type_args_count", type_args_count),
    ("type_instance_fields", type_instance_fields),
    ("alloc_enum_dyn", alloc_enum_dyn),
    ("type_enum_eq", type_enum_eq),
    ("type_super", type_super),
    ("breakpoint", noop),
    ("set_error_handler", noop),
    ("exception_stack", exception_stack),
    ("make_macro_pos", noop),
];

fn ty_arg(vm: &Vm, v: u64) -> Option<u32> {
    if v == 0 || v as usize > vm.types.len() {
        None
    } else {
        Some(v as u32 - 1)
    }
}

fn alloc_obj(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    match ty_arg(vm, arg(a, 0)) {
        Some(t) => vm.new_object(t),
        None => Err(vm.null_access(None)),
    }
}

fn get_virtual_value(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    match vm.heap.get(handle(arg(a, 0))) {
        Some(Obj::Virtual { value, .. }) => Ok(*value as u64),
        _ => Ok(0),
    }
}

fn obj_get_field(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let o = arg(a, 0);
    if o == 0 {
        return Ok(0);
    }
    let d = vm.type_index(Type::Dyn);
    vm.dyn_get_hash(o, argi(a, 1), d)
}

fn obj_set_field(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let o = arg(a, 0);
    if o == 0 {
        return Err(vm.null_access(None));
    }
    let h = argi(a, 1);
    let name = vm.field_names.name_rc(h);
    let d = vm.type_index(Type::Dyn);
    // HashLink stores the value with its run-time type (a boxed Int is stored as an Int),
    // which decides whether a dynamic object's field keeps its place (`dyn_set_hash`).
    let v = arg(a, 2);
    let (v, vty) = match vm.heap.get(handle(v)) {
        Some(&Obj::Dyn { ty, val }) if !vm.types.get(ty as usize).is_some_and(Type::is_ptr) => (val, ty),
        _ => (v, d),
    };
    vm.dyn_set_hash(o, h, name.as_deref().unwrap_or(""), v, vty)?;
    Ok(0)
}

fn obj_has_field(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let h = argi(a, 1);
    let base = vm.virtual_base(arg(a, 0));
    let r = match vm.heap.get(handle(base)) {
        Some(Obj::DynObj(f)) => f.binary_search_by_key(&h, |f| f.hash).is_ok(),
        Some(Obj::Instance { ty, .. }) => vm.rt_obj.get(*ty as usize).and_then(|r| r.as_ref()).is_some_and(|r| r.field_index.contains_key(&h)),
        Some(Obj::Virtual { ty, .. }) => vm.rt_virt.get(*ty as usize).and_then(|r| r.as_ref()).is_some_and(|r| r.field_index.contains_key(&h)),
        _ => false,
    };
    Ok(r as u64)
}

fn obj_delete_field(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let h = argi(a, 1);
    let mut base = vm.virtual_base(arg(a, 0));
    // A standalone record (an object literal typed as a structure) first moves its fields
    // into a dynamic object, which can lose one; a field it does not have is not deleted.
    if let Some(Obj::Virtual { ty, .. }) = vm.heap.get(handle(base)) {
        let has = vm.rt_virt.get(*ty as usize).and_then(|r| r.as_ref()).is_some_and(|r| r.field_index.contains_key(&h));
        if !has {
            return Ok(0);
        }
        base = vm.virtual_make_value(base);
    }
    match vm.heap.get_mut(handle(base)) {
        Some(Obj::DynObj(f)) => Ok(crate::gc::dyn_fields_remove(f, h) as u64),
        _ => Ok(0),
    }
}

/// `obj_fields(dyn) -> array of bytes`: field names (dynamic objects and virtuals;
/// class instances give their fields too).
fn obj_fields(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let base = vm.virtual_base(arg(a, 0));
    let names: Vec<String> = match vm.heap.get(handle(base)) {
        Some(Obj::DynObj(f)) => crate::gc::dyn_fields_in_order(f).iter().map(|f| vm.field_names.name(f.hash).unwrap_or_default().to_string()).collect(),
        // As HashLink lists them: the class's own fields, then its super class's, and so
        // on; unnamed fields (interface slots) are hidden from reflection.
        Some(Obj::Instance { ty, .. }) => class_chain(vm, *ty)
            .iter()
            .flat_map(|o| o.fields.iter())
            .map(|f| vm.code.strings.get(f.name as usize).cloned().unwrap_or_default())
            .filter(|n| !n.is_empty())
            .collect(),
        Some(Obj::Virtual { ty, .. }) => vm.rt_virt.get(*ty as usize).and_then(|r| r.as_ref()).map(|r| r.fields.iter().map(|f| f.name.clone()).collect()).unwrap_or_default(),
        _ => return Ok(0),
    };
    let data: Vec<u64> = names.iter().map(|n| vm.alloc_utf16(&n.encode_utf16().collect::<Vec<_>>())).collect();
    let elem = vm.type_index(Type::Bytes);
    Ok(vm.heap.alloc(Obj::Array { elem, data: data.into() }) as u64)
}

fn obj_copy(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let base = vm.virtual_base(arg(a, 0));
    let copy = match vm.heap.get(handle(base)) {
        Some(Obj::DynObj(f)) => Obj::DynObj(f.clone()),
        // A standalone record copies into another record of the same type, as HashLink
        // does (so the copy lists its fields in the type's order).
        Some(Obj::Virtual { ty, fields, .. }) => Obj::Virtual { ty: *ty, value: 0, fields: fields.clone() },
        Some(Obj::Instance { ty, fields }) => Obj::Instance { ty: *ty, fields: fields.clone() },
        None => return Ok(0),
        _ => return Err(vm.throw_msg("Can't copy this value")),
    };
    Ok(vm.heap.alloc(copy) as u64)
}

fn field_name(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    match vm.field_names.name(argi(a, 0)).map(str::to_string) {
        Some(n) => Ok(vm.alloc_utf16(&n.encode_utf16().collect::<Vec<_>>())),
        None => Ok(0),
    }
}

fn ptr_compare(_: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let (x, y) = (arg(a, 0), arg(a, 1));
    Ok(from_i32(if x == y { 0 } else if x > y { 1 } else { -1 }))
}

/// `value_cast(dyn, type) -> dyn`: checks that the value is of `type`.
fn value_cast(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let v = arg(a, 0);
    let Some(t) = ty_arg(vm, arg(a, 1)) else { return Ok(v) };
    if v == 0 || matches!(vm.types[t as usize], Type::Dyn) {
        return Ok(v);
    }
    let d = vm.type_index(Type::Dyn);
    let r = vm.cast(v, d, t)?;
    Ok(vm.to_dyn(r, t))
}

fn dyn_compare(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    Ok(from_i32(vm.dyn_compare(arg(a, 0), arg(a, 1))?))
}

/// `dyn_op(op, a, b) -> dyn`: arithmetic on two `Dynamic` numbers.
fn dyn_op(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let op = argi(a, 0);
    let (x, y) = (arg(a, 1), arg(a, 2));
    let f = vm.type_index(Type::F64);
    let i = vm.type_index(Type::I32);
    let d = vm.type_index(Type::Dyn);
    if x == 0 && y == 0 {
        return Ok(if op == 3 || op == 4 { vm.to_dyn(f64::NAN.to_bits(), f) } else { 0 });
    }
    let fx = f64_of(vm.cast(x, d, f)?);
    let fy = f64_of(vm.cast(y, d, f)?);
    let ix = i32_of(vm.cast(x, d, i)?);
    let iy = i32_of(vm.cast(y, d, i)?);
    let r = match op {
        0 => (fx + fy).to_bits(),
        1 => (fx - fy).to_bits(),
        2 => (fx * fy).to_bits(),
        3 => (fx % fy).to_bits(),
        4 => (fx / fy).to_bits(),
        5 => return Ok(vm.to_dyn(from_i32(ix.wrapping_shl(iy as u32 & 31)), i)),
        6 => return Ok(vm.to_dyn(from_i32(ix.wrapping_shr(iy as u32 & 31)), i)),
        7 => return Ok(vm.to_dyn(from_i32(((ix as u32) >> (iy as u32 & 31)) as i32), i)),
        8 => return Ok(vm.to_dyn(from_i32(ix & iy), i)),
        9 => return Ok(vm.to_dyn(from_i32(ix | iy), i)),
        10 => return Ok(vm.to_dyn(from_i32(ix ^ iy), i)),
        _ => return Err(vm.throw_msg(&format!("Invalid op {op}"))),
    };
    Ok(vm.to_dyn(r, f))
}

/// `call_method(f, args) -> dyn`: `Reflect.callMethod`.
fn call_method(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let f = arg(a, 0);
    let args: Vec<u64> = match vm.heap.get(handle(arg(a, 1))) {
        Some(Obj::Array { data, .. }) => data.to_vec(),
        None => Vec::new(),
        _ => return Err(vm.throw_msg("Invalid arguments")),
    };
    vm.call_dynamic(f, &args)
}

fn get_closure_value(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    match vm.heap.get(handle(arg(a, 0))) {
        Some(Obj::Closure { bound, .. }) if { bound.kind } == crate::gc::Bound::REFERENCE => Ok(bound.value),
        _ => Ok(0),
    }
}

fn make_closure(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    match vm.heap.get(handle(arg(a, 0))) {
        Some(Obj::Closure { fun, .. }) => {
            let fun = *fun;
            let ty = vm.bound_closure_type(fun);
            Ok(vm.heap.alloc(Obj::Closure { ty, fun, bound: Some((arg(a, 1), true)).into() }) as u64)
        }
        _ => Ok(0),
    }
}

fn make_var_args(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let d = vm.type_index(Type::Dyn);
    let ty = vm.type_index(Type::Fun(crate::code::FunType { args: Vec::new(), ret: d }));
    Ok(vm.heap.alloc(Obj::VarArgs { ty, inner: handle(arg(a, 0)), arity: None }) as u64)
}

fn no_closure(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    match vm.heap.get(handle(arg(a, 0))) {
        Some(Obj::Closure { fun, bound, .. }) if bound.is_some() => {
            let fun = *fun;
            let ty = vm.fun_type(fun).unwrap_or(0);
            Ok(vm.heap.alloc(Obj::Closure { ty, fun, bound: crate::gc::Bound::NONE }) as u64)
        }
        _ => Ok(arg(a, 0)),
    }
}

fn fun_compare(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let (x, y) = (arg(a, 0), arg(a, 1));
    if x == y {
        return Ok(1);
    }
    let eq = match (vm.heap.get(handle(x)), vm.heap.get(handle(y))) {
        (Some(Obj::Closure { fun: fa, bound: ba, .. }), Some(Obj::Closure { fun: fb, bound: bb, .. })) => fa == fb && ba.get().map(|b| b.0) == bb.get().map(|b| b.0),
        _ => false,
    };
    Ok(eq as u64)
}

fn str_array(vm: &mut Vm, names: &[String]) -> u64 {
    let data: Vec<u64> = names.iter().map(|n| vm.alloc_utf16(&n.encode_utf16().collect::<Vec<_>>())).collect();
    let elem = vm.type_index(Type::Bytes);
    vm.heap.alloc(Obj::Array { elem, data: data.into() }) as u64
}

fn type_enum_fields(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(t) = ty_arg(vm, arg(a, 0)) else { return Ok(0) };
    let Type::Enum(e) = vm.types[t as usize].clone() else { return Ok(0) };
    let names: Vec<String> = e.constructs.iter().map(|c| vm.code.strings[c.name as usize].clone()).collect();
    Ok(str_array(vm, &names))
}

/// `type_enum_values(type) -> array`: constructors without parameters as values
/// (shared, like HashLink's), null for the others.
fn type_enum_values(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(t) = ty_arg(vm, arg(a, 0)) else { return Ok(0) };
    let Type::Enum(e) = vm.types[t as usize].clone() else { return Ok(0) };
    let mut data = Vec::with_capacity(e.constructs.len());
    for (i, c) in e.constructs.iter().enumerate() {
        if c.params.is_empty() {
            data.push(vm.heap.alloc(Obj::Enum { ty: t, ctor: i as u32, params: Vec::new().into() }) as u64);
        } else {
            data.push(0);
        }
    }
    let elem = vm.type_index(Type::Dyn);
    Ok(vm.heap.alloc(Obj::Array { elem, data: data.into() }) as u64)
}

fn type_name(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(t) = ty_arg(vm, arg(a, 0)) else { return Ok(0) };
    let n = match &vm.types[t as usize] {
        Type::Obj(o) | Type::Struct(o) => vm.code.strings[o.name as usize].clone(),
        Type::Enum(e) => vm.code.strings[e.name as usize].clone(),
        Type::Abstract(n) => vm.code.strings[*n as usize].clone(),
        _ => vm.type_name(t),
    };
    Ok(vm.alloc_utf16(&n.encode_utf16().collect::<Vec<_>>()))
}

/// `type_safe_cast(a, b) -> bool`: can a value of type `a` be used as `b`?
fn type_safe_cast(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let (Some(x), Some(y)) = (ty_arg(vm, arg(a, 0)), ty_arg(vm, arg(a, 1))) else { return Ok(0) };
    if x == y || matches!(vm.types[y as usize], Type::Dyn) {
        return Ok(1);
    }
    let r = match (&vm.types[x as usize], &vm.types[y as usize]) {
        (Type::Obj(_), Type::Obj(_)) | (Type::Struct(_), Type::Struct(_)) => vm.obj_inherits(x, y),
        (tx, ty) => tx == ty,
    };
    Ok(r as u64)
}

fn global_of(vm: &Vm, t: u32) -> Option<usize> {
    let g = match &vm.types[t as usize] {
        Type::Obj(o) | Type::Struct(o) => o.global,
        Type::Enum(e) => e.global,
        _ => 0,
    };
    if g == 0 || g as usize > vm.globals.len() {
        None
    } else {
        Some(g as usize - 1)
    }
}

fn type_set_global(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(t) = ty_arg(vm, arg(a, 0)) else { return Ok(0) };
    match global_of(vm, t) {
        Some(g) => {
            vm.globals[g] = arg(a, 1);
            Ok(1)
        }
        None => Ok(0),
    }
}

fn type_get_global(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(t) = ty_arg(vm, arg(a, 0)) else { return Ok(0) };
    Ok(global_of(vm, t).map(|g| vm.globals[g]).unwrap_or(0))
}

fn enum_parameters(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let (ty, ctor, params) = match vm.heap.get(handle(arg(a, 0))) {
        Some(Obj::Enum { ty, ctor, params }) => (*ty, *ctor, params.to_vec()),
        _ => return Ok(0),
    };
    let Some(c) = vm.types[ty as usize].enum_construct(ctor) else { return Ok(0) };
    let mut data = Vec::with_capacity(params.len());
    for (&p, &pt) in params.iter().zip(c.params.iter()) {
        data.push(vm.to_dyn(p, pt));
    }
    let elem = vm.type_index(Type::Dyn);
    Ok(vm.heap.alloc(Obj::Array { elem, data: data.into() }) as u64)
}

fn type_args_count(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(t) = ty_arg(vm, arg(a, 0)) else { return Ok(0) };
    Ok(from_i32(vm.types[t as usize].fun().map(|f| f.args.len() as i32).unwrap_or(0)))
}

/// `type_instance_fields(type) -> array of bytes`: fields, methods, and HashLink's
/// extras (one empty name per implemented interface is not tracked here).
fn type_instance_fields(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(t) = ty_arg(vm, arg(a, 0)) else { return Ok(0) };
    let Some(names) = instance_field_names(vm, t) else { return Ok(0) };
    let elem = vm.type_index(Type::Bytes);
    let data: Vec<u64> = names.iter().map(|n| n.as_ref().map_or(0, |n| vm.alloc_utf16(&n.encode_utf16().collect::<Vec<_>>()))).collect();
    Ok(vm.heap.alloc(Obj::Array { elem, data: data.into() }) as u64)
}

/// The array HashLink 1.17's `type_instance_fields` builds for type `t` (`None` for a type
/// that is neither a class nor a virtual):
/// - a virtual (an interface's `__type__`): its field names in declaration order;
/// - a class: from the class up to its root, each class's new methods (those outside the
///   parent's virtual table) then its declared fields (unnamed interface slots included,
///   as empty names). The array is sized as HashLink sizes it (final methods of the
///   whole chain + virtual-table slots + all fields), so it ends with `None` (null)
///   entries when that count is larger than what was written.
fn instance_field_names(vm: &Vm, t: u32) -> Option<Vec<Option<String>>> {
    let name = |i: u32| vm.code.strings.get(i as usize).cloned().unwrap_or_default();
    match vm.types.get(t as usize)? {
        Type::Virtual(v) => return Some(v.fields.iter().map(|f| Some(name(f.name))).collect()),
        Type::Obj(_) | Type::Struct(_) => {}
        _ => return None,
    }
    let rt = vm.rt_obj.get(t as usize)?.as_ref()?;
    let mut names = Vec::new();
    let mut finals = 0;
    for o in class_chain(vm, t) {
        let parent_slots = o.super_.and_then(|s| vm.rt_obj.get(s as usize)?.as_ref()).map_or(0, |p| p.vtable.len());
        finals += o.protos.iter().filter(|p| p.pindex < 0).count();
        for p in &o.protos {
            if p.pindex < 0 || p.pindex as usize >= parent_slots {
                names.push(Some(name(p.name)));
            }
        }
        names.extend(o.fields.iter().map(|f| Some(name(f.name))));
    }
    let size = finals + rt.vtable.len() + rt.fields.len();
    if names.len() < size {
        names.resize(size, None);
    }
    Some(names)
}

/// Class `t` and its super classes, from `t` up to the root (at most 1,000: the linker
/// refuses cyclic hierarchies, this bound only keeps malformed input from looping).
fn class_chain(vm: &Vm, t: u32) -> Vec<&crate::code::ObjType> {
    let mut chain = Vec::new();
    let mut cur = Some(t);
    while let Some(o) = cur.and_then(|c| vm.types.get(c as usize)).and_then(|ty| ty.obj()) {
        chain.push(o);
        cur = o.super_;
        if chain.len() >= 1000 {
            break;
        }
    }
    chain
}

/// `alloc_enum_dyn(type, index, args, nargs) -> dyn`: `Type.createEnumIndex`.
fn alloc_enum_dyn(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(t) = ty_arg(vm, arg(a, 0)) else { return Ok(0) };
    let idx = argi(a, 1);
    let n = argi(a, 3);
    let Some(c) = u32::try_from(idx).ok().and_then(|i| vm.types[t as usize].enum_construct(i)) else { return Ok(0) };
    let args: Vec<u64> = match vm.heap.get(handle(arg(a, 2))) {
        Some(Obj::Array { data, .. }) => data.to_vec(),
        _ => Vec::new(),
    };
    // More arguments than parameters, or fewer than announced: no value. Fewer
    // arguments than parameters is allowed when every missing parameter can hold null
    // (optional enum arguments), as in HashLink 1.17 (`Type.createEnum(E, "C", [x])`).
    let n = n.max(0) as usize;
    if n > c.params.len() || n > args.len() {
        return Ok(0);
    }
    if c.params[n..].iter().any(|&pt| !vm.types.get(pt as usize).is_some_and(Type::is_ptr)) {
        return Ok(0);
    }
    let d = vm.type_index(Type::Dyn);
    let mut params = Vec::with_capacity(c.params.len());
    for (i, &pt) in c.params.iter().enumerate() {
        params.push(if i < n { vm.cast(args[i], d, pt)? } else { 0 });
    }
    Ok(vm.heap.alloc(Obj::Enum { ty: t, ctor: idx as u32, params: params.into() }) as u64)
}

/// `type_enum_eq(a, b) -> bool`: structural equality of enum values.
fn type_enum_eq(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    Ok(enum_eq(vm, arg(a, 0), arg(a, 1), 0)? as u64)
}

fn enum_eq(vm: &mut Vm, x: u64, y: u64, depth: usize) -> Result<bool, Exc> {
    if x == y {
        return Ok(true);
    }
    if depth > 100 {
        return Ok(false);
    }
    let (tx, cx, px, ty_, cy, py) = match (vm.heap.get(handle(x)), vm.heap.get(handle(y))) {
        (Some(Obj::Enum { ty: tx, ctor: cx, params: px }), Some(Obj::Enum { ty: ty_, ctor: cy, params: py })) => {
            (*tx, *cx, px.to_vec(), *ty_, *cy, py.to_vec())
        }
        _ => return Ok(false),
    };
    if tx != ty_ || cx != cy {
        return Ok(false);
    }
    let Some(c) = vm.types[tx as usize].enum_construct(cx) else { return Ok(false) };
    for ((&p, &q), &pt) in px.iter().zip(py.iter()).zip(c.params.iter()) {
        let same = match &vm.types[pt as usize] {
            Type::Enum(_) => enum_eq(vm, p, q, depth + 1)?,
            t if t.is_ptr() => {
                let r = vm.dyn_compare(p, q)?;
                r == 0 || (r == INVALID_COMPARISON && enum_eq(vm, p, q, depth + 1)?)
            }
            Type::F64 => f64_of(p) == f64_of(q),
            _ => p == q,
        };
        if !same {
            return Ok(false);
        }
    }
    Ok(true)
}

fn type_super(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(t) = ty_arg(vm, arg(a, 0)) else { return Ok(0) };
    match vm.types[t as usize].obj().and_then(|o| o.super_) {
        Some(s) => Ok(s as u64 + 1),
        None => Ok(vm.type_index(Type::Void) as u64 + 1),
    }
}

/// `exception_stack() -> array of bytes`: the frames of the last throw.
fn exception_stack(vm: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    let frames = vm.exc_stack.clone();
    let names = vm.format_stack(&frames);
    Ok(str_array(vm, &names))
}
