//! §6.6 types and reflection, §6.14 abstracts: `hlffi_type*` is a borrowed pointer
//! into a [`TypeTable`] built once per loaded (or reloaded) code from
//! [`hlffi_rs::VmRef::type_table`]. Tables live until `hlffi_destroy`, so a pointer
//! obtained before a reload stays readable (it describes the old code).

use std::ffi::{c_char, c_int, c_void, CString};
use std::rc::Rc;

use crate::boundary::{c_str, code, fail, guard, guard_code, malloc_str, vm_opt, R};
use crate::vm::CVm;

const TYPE_MAGIC: u64 = 0x6866_6674_7970_6500;
const KIND_OBJ: i32 = 11;
const KIND_ABSTRACT: i32 = 17;
const KIND_ENUM: i32 = 18;
const KIND_STRUCT: i32 = 21;

/// One `hlffi_type` (`#[repr(C)]`, magic first: see `boundary::has_magic`).
#[repr(C)]
pub(crate) struct HType {
    magic: u64,
    kind: i32,
    /// Qualified name, or the kind's word (`i32`, `dynamic`...).
    name: CString,
    super_: *mut HType,
    fields: Vec<(CString, *mut HType)>,
    methods: Vec<CString>,
}

/// The types of one loaded code, in module order.
pub(crate) struct TypeTable {
    types: Box<[HType]>,
}

fn kind_word(kind: i32) -> &'static str {
    const WORDS: [&str; 23] = [
        "void", "ui8", "ui16", "i32", "i64", "f32", "f64", "bool", "bytes", "dynamic", "function", "obj", "array", "type", "ref", "virtual",
        "dynobj", "abstract", "enum", "null", "method", "struct", "packed",
    ];
    usize::try_from(kind).ok().and_then(|k| WORDS.get(k)).copied().unwrap_or("unknown")
}

fn cstring(s: &str) -> CString {
    CString::new(s.replace('\0', " ")).unwrap_or_default()
}

impl TypeTable {
    fn build(raw: Vec<hlffi_rs::RawType>) -> TypeTable {
        let mut types: Box<[HType]> = raw
            .iter()
            .map(|t| {
                let kind = i32::from(t.kind);
                let named = matches!(kind, KIND_OBJ | KIND_STRUCT | KIND_ENUM | KIND_ABSTRACT) && !t.name.is_empty();
                HType {
                    magic: TYPE_MAGIC,
                    kind,
                    name: cstring(if named { &t.name } else { kind_word(kind) }),
                    super_: std::ptr::null_mut(),
                    fields: Vec::new(),
                    methods: t.methods.iter().map(|m| cstring(m)).collect(),
                }
            })
            .collect();
        let n = types.len();
        let base = types.as_mut_ptr();
        let at = |i: usize| if i < n { base.wrapping_add(i) } else { std::ptr::null_mut() };
        for (i, t) in raw.iter().enumerate() {
            let fields = t.fields.iter().map(|(name, ty)| (cstring(name), at(*ty))).collect();
            // Pointers into the boxed slice stay valid: a `Box<[T]>` never moves its
            // elements, and the table is never resized.
            if let Some(slot) = types.get_mut(i) {
                slot.super_ = t.super_index.map_or(std::ptr::null_mut(), at);
                slot.fields = fields;
            }
        }
        TypeTable { types }
    }

    fn iter_ptrs(&self) -> impl Iterator<Item = *mut HType> + '_ {
        self.types.iter().map(|t| (t as *const HType).cast_mut())
    }

    /// The named type `name` whose kind passes `want` (class objects `$Name` are not
    /// types the host looks for).
    fn find(&self, name: &str, want: impl Fn(i32) -> bool) -> Option<*mut HType> {
        self.types
            .iter()
            .find(|t| {
                want(t.kind) && matches!(t.kind, KIND_OBJ | KIND_STRUCT | KIND_ENUM | KIND_ABSTRACT) && t.name.to_bytes() == name.as_bytes() && !name.rsplit('.').next().is_some_and(|n| n.starts_with('$'))
            })
            .map(|t| (t as *const HType).cast_mut())
    }
}

/// The current type table of `vm` (built on first use).
pub(crate) fn table(vm: &CVm) -> R<Rc<TypeTable>> {
    if let Some(t) = vm.local()?.types.clone() {
        return Ok(t);
    }
    let raw = vm.vref()?.type_table();
    let t = Rc::new(TypeTable::build(raw));
    vm.local()?.types = Some(t.clone());
    Ok(t)
}

/// The type behind `p`, if it is one.
///
/// # Safety
/// `p` is NULL or an `hlffi_type*` of a VM that is still alive.
unsafe fn ty<'a>(p: *mut c_void) -> Option<&'a HType> {
    // SAFETY: per the contract, NULL or one of this library's objects.
    if !unsafe { crate::boundary::has_magic(p, TYPE_MAGIC) } {
        return None;
    }
    // SAFETY: the magic says it is a live `HType` (tables live until destroy).
    unsafe { p.cast::<HType>().as_ref() }
}

fn is_class(t: &HType) -> bool {
    matches!(t.kind, KIND_OBJ | KIND_STRUCT)
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`; `name` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn hlffi_find_type(vm: *mut c_void, name: *const c_char) -> *mut c_void {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard(v, std::ptr::null_mut(), || {
        let vm = v.ok_or_else(|| fail(code::NULL_VM, "the VM is NULL"))?;
        if name.is_null() {
            return Err(fail(code::INVALID_TYPE, "the type name is NULL"));
        }
        // SAFETY: C contract.
        let name = unsafe { c_str(name, "name") }?;
        let t = table(vm)?;
        t.find(name, |_| true).map(|p| p.cast()).ok_or_else(|| fail(code::TYPE_NOT_FOUND, format!("type not found: {name}")))
    })
}

/// # Safety
/// `t` is NULL or an `hlffi_type*` of a live VM.
#[no_mangle]
pub unsafe extern "C" fn hlffi_type_get_kind(t: *mut c_void) -> c_int {
    // SAFETY: C contract of this function.
    unsafe { ty(t) }.map_or(0, |t| t.kind)
}

/// # Safety
/// `t` is NULL or an `hlffi_type*` of a live VM.
#[no_mangle]
pub unsafe extern "C" fn hlffi_type_get_name(t: *mut c_void) -> *const c_char {
    // SAFETY: C contract of this function.
    unsafe { ty(t) }.map_or(std::ptr::null(), |t| t.name.as_ptr())
}

type TypeCallback = extern "C" fn(ty: *mut c_void, userdata: *mut c_void);

/// # Safety
/// `vm` is NULL or from `hlffi_create`.
#[no_mangle]
pub unsafe extern "C" fn hlffi_list_types(vm: *mut c_void, callback: Option<TypeCallback>, userdata: *mut c_void) -> c_int {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard_code(v, || {
        let vm = v.ok_or_else(|| fail(code::NULL_VM, "the VM is NULL"))?;
        let cb = callback.ok_or_else(|| fail(code::INVALID_TYPE, "the callback is NULL"))?;
        let t = table(vm)?;
        for p in t.iter_ptrs() {
            cb(p.cast(), userdata);
        }
        Ok(())
    })
}

/// # Safety
/// `t` is NULL or an `hlffi_type*` of a live VM.
#[no_mangle]
pub unsafe extern "C" fn hlffi_class_get_super(t: *mut c_void) -> *mut c_void {
    // SAFETY: C contract of this function.
    unsafe { ty(t) }.filter(|t| is_class(t)).map_or(std::ptr::null_mut(), |t| t.super_.cast())
}

/// # Safety
/// `t` is NULL or an `hlffi_type*` of a live VM.
#[no_mangle]
pub unsafe extern "C" fn hlffi_class_get_field_count(t: *mut c_void) -> c_int {
    // SAFETY: C contract of this function.
    unsafe { ty(t) }.filter(|t| is_class(t)).map_or(-1, |t| c_int::try_from(t.fields.len()).unwrap_or(c_int::MAX))
}

fn nth<T>(v: &[T], index: c_int) -> Option<&T> {
    usize::try_from(index).ok().and_then(|i| v.get(i))
}

/// # Safety
/// `t` is NULL or an `hlffi_type*` of a live VM.
#[no_mangle]
pub unsafe extern "C" fn hlffi_class_get_field_name(t: *mut c_void, index: c_int) -> *const c_char {
    // SAFETY: C contract of this function.
    unsafe { ty(t) }.and_then(|t| nth(&t.fields, index)).map_or(std::ptr::null(), |f| f.0.as_ptr())
}

/// # Safety
/// `t` is NULL or an `hlffi_type*` of a live VM.
#[no_mangle]
pub unsafe extern "C" fn hlffi_class_get_field_type(t: *mut c_void, index: c_int) -> *mut c_void {
    // SAFETY: C contract of this function.
    unsafe { ty(t) }.and_then(|t| nth(&t.fields, index)).map_or(std::ptr::null_mut(), |f| f.1.cast())
}

/// # Safety
/// `t` is NULL or an `hlffi_type*` of a live VM.
#[no_mangle]
pub unsafe extern "C" fn hlffi_class_get_method_count(t: *mut c_void) -> c_int {
    // SAFETY: C contract of this function.
    unsafe { ty(t) }.filter(|t| is_class(t)).map_or(-1, |t| c_int::try_from(t.methods.len()).unwrap_or(c_int::MAX))
}

/// # Safety
/// `t` is NULL or an `hlffi_type*` of a live VM.
#[no_mangle]
pub unsafe extern "C" fn hlffi_class_get_method_name(t: *mut c_void, index: c_int) -> *const c_char {
    // SAFETY: C contract of this function.
    unsafe { ty(t) }.and_then(|t| nth(&t.methods, index)).map_or(std::ptr::null(), |m| m.as_ptr())
}

// ---------------------------------------------------------------- 6.14 abstracts

/// # Safety
/// `t` is NULL or an `hlffi_type*` of a live VM.
#[no_mangle]
pub unsafe extern "C" fn hlffi_is_abstract(t: *mut c_void) -> bool {
    // SAFETY: C contract of this function.
    unsafe { ty(t) }.is_some_and(|t| t.kind == KIND_ABSTRACT)
}

/// # Safety
/// `t` is NULL or an `hlffi_type*` of a live VM.
#[no_mangle]
pub unsafe extern "C" fn hlffi_abstract_get_name(t: *mut c_void) -> *mut c_char {
    // SAFETY: C contract of this function.
    match unsafe { ty(t) } {
        Some(t) if t.kind == KIND_ABSTRACT => malloc_str(&t.name.to_string_lossy()),
        _ => std::ptr::null_mut(),
    }
}

/// # Safety
/// `vm` is NULL or from `hlffi_create`; `name` is NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn hlffi_abstract_find(vm: *mut c_void, name: *const c_char) -> *mut c_void {
    // SAFETY: C contract of this function.
    let v = unsafe { vm_opt(vm) };
    guard(v, std::ptr::null_mut(), || {
        let vm = v.ok_or_else(|| fail(code::NULL_VM, "the VM is NULL"))?;
        // SAFETY: C contract.
        let name = unsafe { c_str(name, "name") }?;
        let t = table(vm)?;
        t.find(name, |k| k == KIND_ABSTRACT)
            .map(|p| p.cast())
            .ok_or_else(|| fail(code::TYPE_NOT_FOUND, format!("abstract type not found: {name}")))
    })
}

/// The abstract type name of a value (its run-time type), if it is one.
pub(crate) fn abstract_name_of(vm: &CVm, value: &hlffi_rs::Value) -> R<Option<String>> {
    if value.kind() != hlffi_rs::ValueKind::Other {
        return Ok(None);
    }
    let name = value.type_name();
    let t = table(vm)?;
    Ok(t.find(&name, |k| k == KIND_ABSTRACT).map(|_| name))
}
