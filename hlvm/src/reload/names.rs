//! Qualified function names: how hot reload recognises "the same function" in two
//! compilations whose function indices differ.
//!
//! # The rule
//! 1. **Methods and statics.** A function a class lists as a method (a proto of type `C`)
//!    is `C.name`; a function bound to a field (a binding of type `C`) is `C.field`.
//!    Static functions are bindings of the class object type `$C` (`pkg.$C`); the `$`
//!    is dropped, so a static is named like a method (`Main.main`; Haxe forbids a static
//!    and an instance field with the same name). Types are visited in table order, protos
//!    before bindings; the first name given to a function wins.
//! 2. **Entrypoint.** The entrypoint (static initialisation, then `main`) is `.init`.
//!    A closure it stores straight into a static (`static var f = function ...`) is
//!    `Class.f~init`, so it keeps its name whatever other classes initialise.
//! 3. **Closures** (anonymous and local functions) have no name in HLB. Each is named
//!    after the function that makes it into a closure (`StaticClosure`,
//!    `InstanceClosure`): `P~k`, where `P` is that function's name and `k` counts, from
//!    0, the distinct closures `P` makes, in op order (`Main.main~0`, `Main.main~1`,
//!    `Main.main~0~0` for a closure made inside `Main.main~0`). Naming proceeds breadth
//!    first from the named functions; when several functions of the same round make one
//!    closure, the lexicographically smallest candidate wins.
//! 4. **Other unnamed functions** are only ever called directly: standard-library
//!    statics genhl gives no binding (`hl.types.ArrayObj.alloc`). They are named by
//!    where they are defined and their type, `path/File.hx:line(args):ret` (plus `#n`
//!    when several share that), so the name does not depend on who calls them; without
//!    debug info, `P~ck` after a caller, `k` counting such functions `P` calls.
//! 5. Functions nothing names or refers to are dead code and stay unnamed; natives are
//!    matched by `(lib, name)` instead and never get a name here.
//!
//! Consequence of rule 3: inserting a closure *before* existing ones in the same function
//! shifts their ordinals. Reload compares signatures too (see `super`), so a shifted
//! ordinal never hands a closure a body of another type, but two closures of the same
//! type may swap bodies. Appending closures after existing ones is always safe.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::code::{Field, Function, Op, Type};

/// Names of every function index of one program.
pub(crate) struct Names {
    /// Qualified name (the matching key) per function index; `None` for natives and dead code.
    pub qualified: Vec<Option<String>>,
    /// The name the linker would give it for stack traces, as string indices of its
    /// type and member (`$Main` and `main`); `None` when anonymous. See
    /// [`Names::trace_name`].
    pub trace: Vec<Option<(u32, u32)>>,
}

impl Names {
    /// The name the linker would give function `f` for stack traces (`$Main.main`),
    /// empty when anonymous; `strings` is the string pool the names were computed from.
    pub(crate) fn trace_name(&self, strings: &[String], f: usize) -> String {
        let s = |i: u32| strings.get(i as usize).map(String::as_str).unwrap_or("");
        match self.trace.get(f).copied().flatten() {
            Some((t, m)) => format!("{}.{}", s(t), s(m)),
            None => String::new(),
        }
    }
}

/// `pkg.$Name` → `pkg.Name`: the Haxe name of a class object type.
pub(crate) fn display_class(raw: &str) -> String {
    match raw.rfind('.') {
        Some(dot) => {
            let (pkg, last) = raw.split_at(dot + 1);
            format!("{pkg}{}", last.strip_prefix('$').unwrap_or(last))
        }
        None => raw.strip_prefix('$').unwrap_or(raw).to_string(),
    }
}

/// True when `raw` names a class object type (`$Main`, `pkg.$Foo`): the type of the
/// global holding a class's statics.
pub(crate) fn is_class_object_name(raw: &str) -> bool {
    raw.rsplit('.').next().is_some_and(|last| last.starts_with('$'))
}

/// Name (string index) of flattened field `fid` of object type `t` (super classes first).
pub(crate) fn field_name(types: &[Type], t: u32, fid: u32) -> Option<u32> {
    Some(flat_fields(types, t)?.get(fid as usize)?.name)
}

/// Fields of object type `t` flattened, super classes first.
pub(crate) fn flat_fields(types: &[Type], t: u32) -> Option<Vec<&Field>> {
    let mut chain = Vec::new();
    let mut cur = Some(t);
    while let Some(c) = cur {
        if chain.len() > 1000 {
            return None;
        }
        let o = types.get(c as usize)?.obj()?;
        chain.push(o);
        cur = o.super_;
    }
    Some(chain.iter().rev().flat_map(|o| o.fields.iter()).collect())
}

/// Functions an op refers to by index.
pub(crate) fn op_fun_ref(op: &Op) -> Option<u32> {
    match op {
        Op::Call { fun, .. } | Op::StaticClosure { fun, .. } | Op::InstanceClosure { fun, .. } => Some(*fun),
        _ => None,
    }
}

/// A readable, compilation-independent label of type `t` (for location names).
fn type_label(types: &[Type], strings: &[String], t: u32, depth: usize) -> String {
    let s = |i: u32| strings.get(i as usize).map(String::as_str).unwrap_or("");
    let sub = |t: u32| if depth > 2 { "_".to_string() } else { type_label(types, strings, t, depth + 1) };
    match types.get(t as usize) {
        None => "?".to_string(),
        Some(Type::Obj(o) | Type::Struct(o)) => s(o.name).to_string(),
        Some(Type::Enum(e)) => s(e.name).to_string(),
        Some(Type::Abstract(n)) => s(*n).to_string(),
        Some(Type::Fun(f) | Type::Method(f)) => {
            let args: Vec<String> = f.args.iter().map(|&a| sub(a)).collect();
            format!("({}):{}", args.join(","), sub(f.ret))
        }
        Some(Type::Virtual(v)) => {
            let fields: Vec<&str> = v.fields.iter().map(|f| s(f.name)).collect();
            format!("{{{}}}", fields.join(","))
        }
        Some(Type::Null(t)) => format!("Null<{}>", sub(*t)),
        Some(Type::Ref(t)) => format!("Ref<{}>", sub(*t)),
        Some(Type::Packed(t)) => format!("Packed<{}>", sub(*t)),
        Some(other) => format!("{other:?}"),
    }
}

/// Computes the names of a program: `bodies[f]` is the bytecode of function index `f`
/// (`None` for natives and host functions); `loc(f)` the debug file name and line of
/// its first op, if known.
pub(crate) fn compute<'s>(
    types: &[Type],
    strings: &[String],
    bodies: &[Option<&Function>],
    entry: u32,
    loc: impl Fn(usize) -> Option<(&'s str, u32)>,
) -> Names {
    let n = bodies.len();
    let mut qualified: Vec<Option<String>> = vec![None; n];
    let mut trace: Vec<Option<(u32, u32)>> = vec![None; n];
    let str_of = |i: u32| strings.get(i as usize).map(String::as_str).unwrap_or("");
    let mut set = |f: u32, q: String, t: Option<(u32, u32)>, qualified: &mut Vec<Option<String>>| {
        let f = f as usize;
        if f < n && bodies[f].is_some() && qualified[f].is_none() {
            qualified[f] = Some(q);
            trace[f] = t;
        }
    };
    for (t, ty) in types.iter().enumerate() {
        let Some(o) = ty.obj() else { continue };
        let raw = str_of(o.name);
        let disp = display_class(raw);
        for p in &o.protos {
            let m = str_of(p.name);
            set(p.findex, format!("{disp}.{m}"), Some((o.name, p.name)), &mut qualified);
        }
        if !o.bindings.is_empty() {
            // Flattened once per type (a class object binds every static).
            let fields = flat_fields(types, t as u32).unwrap_or_default();
            for &(fid, mid) in &o.bindings {
                if let Some(f) = fields.get(fid as usize) {
                    let m = str_of(f.name);
                    set(mid, format!("{disp}.{m}"), Some((o.name, f.name)), &mut qualified);
                }
            }
        }
    }
    set(entry, ".init".to_string(), None, &mut qualified);
    // Closures the static initialisation stores straight into a static.
    if let Some(body) = bodies.get(entry as usize).copied().flatten() {
        for (pc, op) in body.ops.iter().enumerate() {
            let (Op::StaticClosure { dst, fun } | Op::InstanceClosure { dst, fun, .. }) = op else { continue };
            let store = body.ops.iter().skip(pc + 1).take(2).find_map(|op| match op {
                Op::SetField { obj, field, src } if src == dst => Some((*obj, *field)),
                _ => None,
            });
            let Some((obj, field)) = store else { continue };
            let Some(&t) = body.regs.get(obj as usize) else { continue };
            let Some(o) = types.get(t as usize).and_then(Type::obj) else { continue };
            let raw = str_of(o.name);
            if !is_class_object_name(raw) {
                continue;
            }
            if let Some(fname) = field_name(types, t, field) {
                set(*fun, format!("{}.{}~init", display_class(raw), str_of(fname)), None, &mut qualified);
            }
        }
    }

    // Functions some op makes into a closure, and location names for the others.
    let mut closure = vec![false; n];
    for body in bodies.iter().flatten() {
        for op in &body.ops {
            if let Op::StaticClosure { fun, .. } | Op::InstanceClosure { fun, .. } = op {
                if let Some(c) = closure.get_mut(*fun as usize) {
                    *c = true;
                }
            }
        }
    }
    let mut located: Vec<Option<String>> = vec![None; n];
    let mut seen_loc: HashMap<String, usize> = HashMap::default();
    for f in 0..n {
        let Some(body) = bodies[f] else { continue };
        if closure[f] || qualified[f].is_some() {
            continue;
        }
        let Some((file, line)) = loc(f) else { continue };
        let base = format!("{file}:{line}{}", type_label(types, strings, body.ty, 0));
        let k = seen_loc.entry(base.clone()).or_insert(0);
        located[f] = Some(if *k == 0 { base } else { format!("{base}#{k}") });
        *k += 1;
    }

    // Breadth first from the named functions.
    let named: Vec<bool> = qualified.iter().map(Option::is_some).collect();
    let mut frontier: Vec<usize> = (0..n).filter(|&f| named[f]).collect();
    let mut seen: HashSet<usize> = HashSet::default();
    while !frontier.is_empty() {
        let mut best: HashMap<usize, String> = HashMap::default();
        for &p in &frontier {
            let (Some(body), Some(pname)) = (bodies[p], qualified[p].as_deref()) else { continue };
            seen.clear();
            let (mut k, mut c) = (0usize, 0usize);
            for op in &body.ops {
                let Some(f) = op_fun_ref(op) else { continue };
                let f = f as usize;
                if f >= n || bodies[f].is_none() || named[f] {
                    continue;
                }
                let makes = matches!(op, Op::StaticClosure { .. } | Op::InstanceClosure { .. });
                let cand = if closure[f] {
                    if !makes || !seen.insert(f) {
                        continue;
                    }
                    k += 1;
                    format!("{pname}~{}", k - 1)
                } else if let Some(loc) = &located[f] {
                    loc.clone()
                } else {
                    if !seen.insert(f) {
                        continue;
                    }
                    c += 1;
                    format!("{pname}~c{}", c - 1)
                };
                if qualified[f].is_none() {
                    match best.get_mut(&f) {
                        Some(b) if cand < *b => *b = cand,
                        Some(_) => {}
                        None => {
                            best.insert(f, cand);
                        }
                    }
                }
            }
        }
        let mut next: Vec<usize> = best.keys().copied().collect();
        next.sort_unstable();
        for &f in &next {
            qualified[f] = best.remove(&f);
        }
        frontier = next;
    }
    Names { qualified, trace }
}
