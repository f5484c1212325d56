//! Type reflection: finding classes, enums and abstracts by name, and describing them.

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use hlvm::code::Type;

use crate::convert::Cx;
use crate::shared::{ClassStatics, Static};
use crate::{Error, Result};

/// What a named type is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeKind {
    /// A class (or interface, which HashLink compiles like a class).
    Class,
    /// An enum.
    Enum,
    /// An `hl.Abstract<"name">` native handle type (Haxe abstracts over other types
    /// are erased by the compiler; their implementation class `_Name.Name_Impl_` is a
    /// [`TypeKind::Class`]).
    Abstract,
}

/// A description of a class, enum or abstract of the loaded module.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeInfo {
    /// Name with package (`game.Player`).
    pub name: String,
    /// What it is.
    pub kind: TypeKind,
    /// The super class (classes only).
    pub super_class: Option<String>,
    /// Instance fields with their Haxe types, inherited first (classes only).
    pub fields: Vec<(String, String)>,
    /// Instance methods, inherited included (classes only).
    pub methods: Vec<String>,
    /// Static variables with their Haxe types (classes only).
    pub static_fields: Vec<(String, String)>,
    /// Static methods (classes only).
    pub static_methods: Vec<String>,
    /// Constructor names in order (enums only).
    pub constructors: Vec<String>,
}

/// Every named class, enum and abstract: name → type index. Class objects (`$Name`)
/// are left out: they are reached through their class.
fn all_types(cx: &Cx<'_>) -> HashMap<String, u32> {
    let mut out = HashMap::default();
    for t in 0..cx.vm.type_count() as u32 {
        let named = matches!(cx.vm.ty(t), Some(Type::Obj(_) | Type::Struct(_) | Type::Enum(_) | Type::Abstract(_)));
        if !named {
            continue;
        }
        let name = cx.vm.type_name(t);
        let is_class_object = name.rsplit('.').next().is_some_and(|n| n.starts_with('$'));
        if !name.is_empty() && !is_class_object {
            out.entry(name).or_insert(t);
        }
    }
    out
}

/// The type named `name`, if any.
pub(crate) fn find_type(cx: &mut Cx<'_>, name: &str) -> Option<u32> {
    let mut names = cx.shared.names.borrow_mut();
    if names.types.is_none() {
        names.types = Some(all_types(cx));
    }
    names.types.as_ref()?.get(name).copied()
}

/// The statics of class `class` (cached).
pub(crate) fn statics(cx: &mut Cx<'_>, class: &str) -> Result<Arc<ClassStatics>> {
    if let Some(s) = cx.shared.names.borrow().statics.get(class) {
        return Ok(s.clone());
    }
    let t = cx.class(class).ok_or_else(|| Error::TypeNotFound(class.into()))?;
    let global = cx.vm.type_global(t).ok_or_else(|| Error::TypeNotFound(format!("{class} (it has no class object)")))?;
    let gt = cx.vm.global_type(global).ok_or_else(|| Error::Internal(format!("global {global} has no type")))?;
    let mut members = HashMap::default();
    if let Some(rt) = cx.vm.rt_obj(gt) {
        for (i, f) in rt.fields.iter().enumerate() {
            members.insert(f.name.clone(), Static::Var(i, f.ty));
        }
        let methods: Vec<(String, u32)> =
            rt.bindings.iter().filter_map(|&(fid, findex)| rt.fields.get(fid).map(|f| (f.name.clone(), findex))).collect();
        for (name, findex) in methods {
            if let Ok(sig) = crate::function::signature(cx, findex) {
                members.insert(name, Static::Method(findex, Arc::new(sig)));
            }
        }
    }
    let s = Arc::new(ClassStatics { global, members });
    cx.shared.names.borrow_mut().statics.insert(class.to_string(), s.clone());
    Ok(s)
}

/// Fields of the class object inherited from `hl.BaseType.Class`, not user statics.
fn is_runtime_field(name: &str) -> bool {
    name.starts_with("__")
}

pub(crate) fn describe(cx: &mut Cx<'_>, name: &str) -> Result<TypeInfo> {
    let t = find_type(cx, name).ok_or_else(|| Error::TypeNotFound(name.into()))?;
    let mut info = TypeInfo {
        name: name.to_string(),
        kind: TypeKind::Class,
        super_class: None,
        fields: Vec::new(),
        methods: Vec::new(),
        static_fields: Vec::new(),
        static_methods: Vec::new(),
        constructors: Vec::new(),
    };
    match cx.vm.ty(t).cloned() {
        Some(Type::Enum(e)) => {
            info.kind = TypeKind::Enum;
            info.constructors = e.constructs.iter().map(|c| cx.vm.string_constant(c.name).unwrap_or("?").to_string()).collect();
        }
        Some(Type::Abstract(_)) => info.kind = TypeKind::Abstract,
        _ => {
            if let Some(rt) = cx.vm.rt_obj(t) {
                info.super_class = rt.super_.map(|s| cx.vm.type_name(s));
                info.fields = rt.fields.iter().map(|f| (f.name.clone(), cx.hx_name(f.ty))).collect();
                info.methods = rt.method_names.iter().filter(|m| !m.starts_with("__")).cloned().collect();
            }
            if let Ok(st) = statics(cx, name) {
                let gt = cx.vm.global_type(st.global).unwrap_or(0);
                if let Some(rt) = cx.vm.rt_obj(gt) {
                    for f in &rt.fields {
                        if is_runtime_field(&f.name) {
                            continue;
                        }
                        match st.members.get(&f.name) {
                            Some(Static::Method(..)) => info.static_methods.push(f.name.clone()),
                            _ => info.static_fields.push((f.name.clone(), cx.hx_name(f.ty))),
                        }
                    }
                }
            }
        }
    }
    Ok(info)
}

pub(crate) fn list(cx: &mut Cx<'_>) -> Vec<String> {
    let mut names: Vec<String> = all_types(cx).into_keys().collect();
    names.sort();
    names
}

/// One entry of the loaded module's type table (HashLink's `hl_type`), as returned by
/// [`crate::VmRef::type_table`]. Indices refer to the same table.
#[derive(Debug, Clone, PartialEq)]
pub struct RawType {
    /// HashLink's `hl_type_kind` number: 0 `void` … 11 `obj`, 17 `abstract`, 18 `enum`,
    /// 21 `struct`, 22 `packed`, 23 `guid`.
    pub kind: u8,
    /// Qualified name of a class, `@:struct` class or enum; the native name of an
    /// abstract; empty for other kinds.
    pub name: String,
    /// The super class (classes), as an index into the table.
    pub super_index: Option<usize>,
    /// Instance fields the class declares itself (inherited ones excluded): name and
    /// type index.
    pub fields: Vec<(String, usize)>,
    /// Instance methods the class declares itself (its prototype table).
    pub methods: Vec<String>,
}

pub(crate) fn type_table(cx: &mut Cx<'_>) -> Vec<RawType> {
    let n = cx.vm.type_count() as u32;
    let s = |cx: &Cx<'_>, i: u32| cx.vm.string_constant(i).unwrap_or("").to_string();
    (0..n)
        .map(|t| {
            let Some(ty) = cx.vm.ty(t).cloned() else {
                return RawType { kind: 0, name: String::new(), super_index: None, fields: Vec::new(), methods: Vec::new() };
            };
            let kind = ty.kind_id();
            match ty {
                Type::Obj(o) | Type::Struct(o) => RawType {
                    kind,
                    name: cx.vm.type_name(t),
                    super_index: o.super_.map(|i| i as usize),
                    fields: o.fields.iter().map(|f| (s(cx, f.name), f.ty as usize)).collect(),
                    methods: o.protos.iter().map(|p| s(cx, p.name)).collect(),
                },
                Type::Enum(_) => RawType { kind, name: cx.vm.type_name(t), super_index: None, fields: Vec::new(), methods: Vec::new() },
                Type::Abstract(n) => RawType { kind, name: s(cx, n), super_index: None, fields: Vec::new(), methods: Vec::new() },
                _ => RawType { kind, name: String::new(), super_index: None, fields: Vec::new(), methods: Vec::new() },
            }
        })
        .collect()
}
