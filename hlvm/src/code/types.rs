//! HashLink types as read from the bytecode's type table (`hl_type`).

use super::{StrIdx, TypeIdx};

/// One entry of the type table. Kinds mirror HashLink's `hl_type_kind`, without the `H`.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    /// `HVOID` (0).
    Void,
    /// `HUI8` (1): unsigned 8-bit integer.
    UI8,
    /// `HUI16` (2): unsigned 16-bit integer.
    UI16,
    /// `HI32` (3): Haxe `Int`.
    I32,
    /// `HI64` (4): `haxe.Int64` on HashLink.
    I64,
    /// `HF32` (5): single-precision float.
    F32,
    /// `HF64` (6): Haxe `Float`.
    F64,
    /// `HBOOL` (7).
    Bool,
    /// `HBYTES` (8): `hl.Bytes`, a raw byte pointer.
    Bytes,
    /// `HDYN` (9): `Dynamic`.
    Dyn,
    /// `HFUN` (10): a function (closure) type.
    Fun(FunType),
    /// `HOBJ` (11): a class instance.
    Obj(ObjType),
    /// `HARRAY` (12): `hl.NativeArray` (`varray`).
    Array,
    /// `HTYPE` (13): a runtime type value.
    Type,
    /// `HREF` (14): `hl.Ref<T>`.
    Ref(TypeIdx),
    /// `HVIRTUAL` (15): a structural (anonymous) type.
    Virtual(VirtualType),
    /// `HDYNOBJ` (16): a dynamic object (`{}` grown with `Reflect.setField`).
    DynObj,
    /// `HABSTRACT` (17): an opaque native handle, named.
    Abstract(StrIdx),
    /// `HENUM` (18).
    Enum(EnumType),
    /// `HNULL` (19): `Null<T>` of a value type, boxed.
    Null(TypeIdx),
    /// `HMETHOD` (20): a method type (a `Fun` whose first argument is `this`).
    Method(FunType),
    /// `HSTRUCT` (21): like `Obj`, laid out as a C struct.
    Struct(ObjType),
    /// `HPACKED` (22): an inline struct in its container.
    Packed(TypeIdx),
    /// `HGUID` (23): a 64-bit identifier (HashLink 1.15+).
    Guid,
}

/// Arguments and return type of a `Fun` or `Method`.
#[derive(Debug, Clone, PartialEq)]
pub struct FunType {
    /// Argument types, in order.
    pub args: Vec<TypeIdx>,
    /// Return type.
    pub ret: TypeIdx,
}

/// A field of an object or virtual type.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Field name (a string-table index).
    pub name: StrIdx,
    /// Field type.
    pub ty: TypeIdx,
}

/// A method in a class's prototype (`hl_obj_proto`).
#[derive(Debug, Clone, PartialEq)]
pub struct Proto {
    /// Method name.
    pub name: StrIdx,
    /// Function implementing it.
    pub findex: u32,
    /// Virtual-table slot (`pindex`), or -1 when the method is not virtual.
    pub pindex: i32,
}

/// A class (`HOBJ`) or struct (`HSTRUCT`) type.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjType {
    /// Fully qualified class name.
    pub name: StrIdx,
    /// Super class, if any.
    pub super_: Option<TypeIdx>,
    /// Global holding the class value (`global_value`), 1-based; 0 = none.
    pub global: u32,
    /// Fields declared by this class (not its super classes).
    pub fields: Vec<Field>,
    /// Methods declared or overridden by this class.
    pub protos: Vec<Proto>,
    /// `(field index, function index)` pairs: fields bound to a method closure.
    pub bindings: Vec<(u32, u32)>,
}

/// A virtual (structural) type.
#[derive(Debug, Clone, PartialEq)]
pub struct VirtualType {
    /// Fields, in declaration order.
    pub fields: Vec<Field>,
}

/// One enum constructor.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumConstruct {
    /// Constructor name.
    pub name: StrIdx,
    /// Parameter types.
    pub params: Vec<TypeIdx>,
}

/// An enum type.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumType {
    /// Fully qualified enum name.
    pub name: StrIdx,
    /// Global holding the enum value, 1-based; 0 = none.
    pub global: u32,
    /// Constructors, by index.
    pub constructs: Vec<EnumConstruct>,
}

impl Type {
    /// Constructor `ctor` of this enum type (`None` for another type or index): a
    /// copy, so that natives that run code while using it need not clone the whole type.
    pub fn enum_construct(&self, ctor: u32) -> Option<EnumConstruct> {
        match self {
            Type::Enum(e) => e.constructs.get(ctor as usize).cloned(),
            _ => None,
        }
    }

    /// The HashLink kind number (`hl_type_kind`).
    pub fn kind_id(&self) -> u8 {
        match self {
            Type::Void => 0,
            Type::UI8 => 1,
            Type::UI16 => 2,
            Type::I32 => 3,
            Type::I64 => 4,
            Type::F32 => 5,
            Type::F64 => 6,
            Type::Bool => 7,
            Type::Bytes => 8,
            Type::Dyn => 9,
            Type::Fun(_) => 10,
            Type::Obj(_) => 11,
            Type::Array => 12,
            Type::Type => 13,
            Type::Ref(_) => 14,
            Type::Virtual(_) => 15,
            Type::DynObj => 16,
            Type::Abstract(_) => 17,
            Type::Enum(_) => 18,
            Type::Null(_) => 19,
            Type::Method(_) => 20,
            Type::Struct(_) => 21,
            Type::Packed(_) => 22,
            Type::Guid => 23,
        }
    }

    /// True when values of this type are references to GC-managed memory
    /// (HashLink's `hl_is_ptr`).
    pub fn is_ptr(&self) -> bool {
        matches!(
            self,
            Type::Bytes
                | Type::Dyn
                | Type::Fun(_)
                | Type::Obj(_)
                | Type::Array
                | Type::Virtual(_)
                | Type::DynObj
                | Type::Abstract(_)
                | Type::Enum(_)
                | Type::Null(_)
                | Type::Method(_)
                | Type::Struct(_)
        )
    }

    /// True for types whose values are stored boxed when made `Dynamic`
    /// (HashLink's `hl_is_dynamic` is the opposite).
    pub fn is_dynamic(&self) -> bool {
        matches!(
            self,
            Type::Dyn
                | Type::Fun(_)
                | Type::Obj(_)
                | Type::Array
                | Type::Virtual(_)
                | Type::DynObj
                | Type::Enum(_)
                | Type::Null(_)
        )
    }

    /// The object description of an `Obj` or `Struct` type.
    pub fn obj(&self) -> Option<&ObjType> {
        match self {
            Type::Obj(o) | Type::Struct(o) => Some(o),
            _ => None,
        }
    }

    /// The function description of a `Fun` or `Method` type.
    pub fn fun(&self) -> Option<&FunType> {
        match self {
            Type::Fun(f) | Type::Method(f) => Some(f),
            _ => None,
        }
    }
}
