//! `Std.string` of any value (`hl_to_string`), and HashLink's float formatting.

use crate::code::Type;
use crate::gc::Obj;
use crate::module::Kind;
use crate::value::*;
use crate::vm::{Exc, Vm};

/// Formats a Float as HashLink's `ftos` prints it (`Std.string(f)`, string
/// concatenation): C `%.15g` (conformance NOTES, "Numbers").
pub fn ftos(v: f64) -> String {
    crate::stdlib::text::ftos(v)
}

/// C `%.{prec}g` as HashLink's buffer printing writes values nested in structures
/// (`%.17g` for Floats) and every Single (`%.9g`), NaN spelled by the C library (`-nan`).
pub fn fmt_g(v: f64, prec: u8) -> String {
    crate::stdlib::text::c_fmt_g(v, prec)
}

/// A Single as HashLink prints it anywhere (`Std.string`, concatenation, `trace`, arrays,
/// fields): C `%.9g` of the value widened to a double (`0.1` → `0.100000001`).
pub fn single_to_string(v: f32) -> String {
    fmt_g(v as f64, 9)
}

impl Vm {
    /// `Std.string` of a `Dynamic` value.
    ///
    /// # Errors
    /// Exceptions thrown by a `toString` method it calls.
    pub fn dyn_to_string(&mut self, v: u64) -> Result<String, Exc> {
        Ok(String::from_utf16_lossy(&self.dyn_to_units(v)?))
    }

    /// [`Vm::dyn_to_string`] as UTF-16 code units, keeping unpaired surrogates of the
    /// strings it contains (HashLink copies string contents as they are).
    ///
    /// # Errors
    /// Exceptions thrown by a `toString` method it calls.
    pub fn dyn_to_units(&mut self, v: u64) -> Result<Vec<u16>, Exc> {
        self.to_string_depth(v, 0, &mut Vec::new())
    }

    /// `Std.string` of a value of static type `ty`.
    pub fn value_to_string(&mut self, v: u64, ty: u32) -> Result<String, Exc> {
        let k = Kind::of(&self.types[ty as usize]);
        Ok(match k {
            Kind::I32 | Kind::U8 | Kind::U16 => i32_of(v).to_string(),
            Kind::I64 => (v as i64).to_string(),
            Kind::F64 => ftos(f64_of(v)),
            Kind::F32 => single_to_string(f32_of(v)),
            Kind::Bool => if v & 1 != 0 { "true" } else { "false" }.into(),
            Kind::Void => "void".into(),
            Kind::Ptr => return self.dyn_to_string(v),
            Kind::Bytes => "bytes".into(),
            Kind::Type => "type".into(),
            Kind::Ref => "ref".into(),
        })
    }

    /// `stack`: the structures being printed around this value; one of them met again
    /// prints as `...`, as HashLink does for anonymous and dynamic objects.
    fn to_string_depth(&mut self, v: u64, depth: usize, stack: &mut Vec<u64>) -> Result<Vec<u16>, Exc> {
        if v == 0 {
            return Ok(units("null"));
        }
        if depth > 64 {
            return Ok(units("..."));
        }
        enum What {
            Scalar(u32, u64),
            Str,
            ToString(u32),
            Class(String),
            Enum(u32, u32, Vec<u64>),
            Virtual(u32, Vec<u64>),
            Dyn(Vec<(i32, u32, u64)>),
            Other(&'static str),
        }
        let what = match self.heap.get(handle(v)) {
            None => return Ok(units("null")),
            Some(Obj::Dyn { ty, val }) => What::Scalar(*ty, *val),
            Some(Obj::Instance { ty, .. }) => {
                if Some(*ty) == self.string_type {
                    What::Str
                } else {
                    match self.rt_obj.get(*ty as usize).and_then(|r| r.as_ref()) {
                        Some(rt) => match rt.to_string {
                            Some(f) => What::ToString(f),
                            None => What::Class(rt.name.clone()),
                        },
                        None => What::Other("object"),
                    }
                }
            }
            Some(Obj::Enum { ty, ctor, params }) => What::Enum(*ty, *ctor, params.to_vec()),
            Some(Obj::Virtual { ty, value, fields }) => {
                if *value != 0 {
                    let b = *value as u64;
                    return self.to_string_depth(b, depth + 1, stack);
                }
                What::Virtual(*ty, fields.to_vec())
            }
            Some(Obj::DynObj(fields)) => What::Dyn(crate::gc::dyn_fields_in_order(fields).iter().map(|f| (f.hash, f.ty, f.val)).collect()),
            // HashLink prints `function#` and the closure's address in hex; the handle
            // stands in for the address.
            Some(Obj::Closure { .. }) | Some(Obj::VarArgs { .. }) => return Ok(units(&format!("function#{:X}", handle(v)))),
            Some(Obj::Array { .. }) => What::Other("#array"),
            Some(Obj::Bytes(_)) => What::Other("#bytes"),
            Some(Obj::Native(_)) => What::Other("#abstract"),
            Some(Obj::Free(_)) => What::Other("null"),
        };
        Ok(match what {
            What::Scalar(ty, val) => match &self.types[ty as usize] {
                // value_to_string uses ftos at top level; nested floats get 17 digits.
                Type::F64 if depth == 0 => units(&ftos(f64_of(val))),
                Type::F64 => units(&fmt_g(f64_of(val), 17)),
                Type::F32 => units(&single_to_string(f32_of(val))),
                Type::Type => {
                    let t = val as usize;
                    if t == 0 {
                        units("null")
                    } else {
                        units(&self.type_name(t as u32 - 1))
                    }
                }
                Type::Bytes => self.read_utf16_z(val).unwrap_or_default(),
                Type::Abstract(_) => units(&format!("~{}", self.type_name(ty))),
                _ => units(&self.value_to_string(val, ty)?),
            },
            What::Str => self.string_units(v).unwrap_or_default(),
            What::ToString(f) => {
                let r = self.call(f, &[v])?;
                self.read_utf16_z(r).unwrap_or_else(|| units("null"))
            }
            What::Class(name) => units(&name),
            What::Enum(ty, ctor, params) => {
                let Some(c) = self.types[ty as usize].enum_construct(ctor) else { return Ok(units("enum")) };
                let name = self.code.strings[c.name as usize].clone();
                if params.is_empty() {
                    units(&name)
                } else {
                    let mut parts = Vec::with_capacity(params.len());
                    for (&p, &pt) in params.iter().zip(c.params.iter()) {
                        parts.push(self.typed_to_string(p, pt, depth, stack)?);
                    }
                    let mut out = units(&name);
                    out.push(u16::from(b'('));
                    out.extend(join(parts, ","));
                    out.push(u16::from(b')'));
                    out
                }
            }
            What::Virtual(ty, fields) => {
                let Some(rv) = self.rt_virt.get(ty as usize).cloned().flatten() else { return Ok(units("{}")) };
                if stack.contains(&v) {
                    return Ok(units("..."));
                }
                let mut parts = Vec::new();
                let mut order: Vec<(&crate::module::RtField, u64)> = rv.fields.iter().zip(fields.iter().copied()).collect();
                order.sort_by_key(|(f, _)| f.hash);
                stack.push(v);
                for (f, val) in order {
                    let s = self.typed_to_string(val, f.ty, depth, stack);
                    match s {
                        Ok(s) => parts.push([units(&f.name), units(" : "), s].concat()),
                        Err(e) => {
                            stack.pop();
                            return Err(e);
                        }
                    }
                }
                stack.pop();
                if parts.is_empty() {
                    units("{}")
                } else {
                    [units("{"), join(parts, ", "), units("}")].concat()
                }
            }
            What::Dyn(fields) => {
                // An object literal with a `toString` method also gets a `__string` field
                // (a `() -> bytes` closure) from the compiler; HashLink prints through it.
                let string_hash = self.field_names.hash_of("__string");
                let to_string = fields.iter().find(|(h, _, _)| *h == string_hash).and_then(|&(_, ty, val)| {
                    let f = self.types.get(ty as usize)?.fun()?;
                    (f.args.is_empty() && matches!(self.types.get(f.ret as usize), Some(Type::Bytes)) && val != 0).then_some((val, f.ret))
                });
                if let Some((c, ret)) = to_string {
                    let r = self.call_closure_typed(handle(c), &[], &[], ret)?;
                    return Ok(self.read_utf16_z(r).unwrap_or_else(|| units("null")));
                }
                if stack.contains(&v) {
                    return Ok(units("..."));
                }
                let mut parts = Vec::new();
                stack.push(v);
                for (hash, ty, val) in fields {
                    let name = self.field_names.name(hash).map_or_else(|| format!("#{hash}"), str::to_string);
                    match self.typed_to_string(val, ty, depth, stack) {
                        Ok(s) => parts.push([units(&name), units(" : "), s].concat()),
                        Err(e) => {
                            stack.pop();
                            return Err(e);
                        }
                    }
                }
                stack.pop();
                if parts.is_empty() {
                    units("{}")
                } else {
                    [units("{"), join(parts, ", "), units("}")].concat()
                }
            }
            What::Other(s) => units(s),
        })
    }

    fn typed_to_string(&mut self, v: u64, ty: u32, depth: usize, stack: &mut Vec<u64>) -> Result<Vec<u16>, Exc> {
        match self.types[ty as usize] {
            Type::F64 => return Ok(units(&fmt_g(f64_of(v), 17))),
            Type::F32 => return Ok(units(&single_to_string(f32_of(v)))),
            _ => {}
        }
        if self.types[ty as usize].is_ptr() && !matches!(self.types[ty as usize], Type::Bytes | Type::Abstract(_)) {
            self.to_string_depth(v, depth + 1, stack)
        } else {
            Ok(units(&self.value_to_string(v, ty)?))
        }
    }
}

/// `s` as UTF-16 code units.
fn units(s: &str) -> Vec<u16> {
    s.encode_utf16().collect()
}

/// `parts` joined with `sep`, in UTF-16 code units.
fn join(parts: Vec<Vec<u16>>, sep: &str) -> Vec<u16> {
    let sep = units(sep);
    let mut out = Vec::new();
    for (i, p) in parts.into_iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(&sep);
        }
        out.extend(p);
    }
    out
}
