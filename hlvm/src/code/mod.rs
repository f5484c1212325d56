//! `code`: the immutable, validated contents of one HLB bytecode file.
//!
//! [`Code::read`] is the only way to build a [`Code`]: it parses the file and checks
//! every count, index, register, jump target and constant reference, so later stages
//! (linker, interpreter) may rely on them being in range.
//!
//! File layout (HLB, as written by the Haxe compiler): `"HLB"`, version byte, flags
//! (bit 0: debug info), counts, then the int, float and string pools, the bytes pool
//! (version 5+), debug file names (when flagged), types, globals, natives, functions
//! (each with its debug line table when flagged), and constants (version 4+).

mod error;
pub mod opcodes;
mod reader;
mod types;

pub use error::{ReadError, ReadErrorKind};
pub use opcodes::{Op, Reg, OP_NAMES};
pub use types::{EnumConstruct, EnumType, Field, FunType, ObjType, Proto, Type, VirtualType};

/// Index into [`Code::types`].
pub type TypeIdx = u32;
/// Index into [`Code::strings`].
pub type StrIdx = u32;
/// A function index (`findex`): bytecode functions and natives share this space.
pub type FunIdx = u32;
/// Index into [`Code::globals`].
pub type GlobalIdx = u32;

/// A native function the module imports (`hl_native`).
#[derive(Debug, Clone, PartialEq)]
pub struct Native {
    /// Library name (`std` for HashLink's standard library).
    pub lib: String,
    /// Function name in the library.
    pub name: String,
    /// Its function type.
    pub ty: TypeIdx,
    /// The function index it occupies.
    pub findex: FunIdx,
}

/// A bytecode function (`hl_function`).
#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    /// Its function type.
    pub ty: TypeIdx,
    /// The function index it occupies.
    pub findex: FunIdx,
    /// Register types; arguments are the first registers.
    pub regs: Vec<TypeIdx>,
    /// Instructions.
    pub ops: Vec<Op>,
    /// Per op: `(debug file index, line)`; empty without debug info.
    pub debug: Vec<(u32, u32)>,
}

/// A constant object initialiser (HLB v4+): global `global` is an object whose fields
/// are given by `fields` (indices into the int/float/string pools by field type).
#[derive(Debug, Clone, PartialEq)]
pub struct Constant {
    /// The global receiving the object.
    pub global: GlobalIdx,
    /// One pool index per field.
    pub fields: Vec<u32>,
}

/// What a function index refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FunRef {
    /// `functions[i]`.
    Function(usize),
    /// `natives[i]`.
    Native(usize),
}

/// The validated contents of an HLB file.
#[derive(Debug, Clone, PartialEq)]
pub struct Code {
    /// HLB version (4 or 5).
    pub version: u8,
    /// True when the file carries debug info (file names and line tables).
    pub has_debug: bool,
    /// Int constant pool.
    pub ints: Vec<i32>,
    /// Float constant pool (zeros normalised to +0, as HashLink loads them).
    pub floats: Vec<f64>,
    /// String constant pool (UTF-8 in the file).
    pub strings: Vec<String>,
    /// Bytes constant pool data (HLB v5).
    pub bytes: Vec<u8>,
    /// Start of each bytes constant in [`Code::bytes`] (HLB v5).
    pub bytes_pos: Vec<u32>,
    /// Source file names used by debug info.
    pub debug_files: Vec<String>,
    /// Type table.
    pub types: Vec<Type>,
    /// Global types.
    pub globals: Vec<TypeIdx>,
    /// Imported natives.
    pub natives: Vec<Native>,
    /// Bytecode functions.
    pub functions: Vec<Function>,
    /// Constant object initialisers.
    pub constants: Vec<Constant>,
    /// Function index of the entrypoint (runs static initialisers, then `main`).
    pub entrypoint: FunIdx,
    /// For each function index: what it refers to. Every index below its length is defined.
    pub fun_refs: Vec<FunRef>,
}

impl Code {
    /// Reads and validates an HLB file.
    ///
    /// # Errors
    /// A [`ReadError`] with the byte offset and the kind of problem, for any input that
    /// is not a well-formed HLB version 4 or 5 file. Never panics.
    pub fn read(data: &[u8]) -> Result<Code, ReadError> {
        reader::read(data)
    }

    /// An empty module (no types, no functions); what a [`crate::Vm`] holds before a load.
    pub fn empty() -> Code {
        Code {
            version: 4,
            has_debug: false,
            ints: Vec::new(),
            floats: Vec::new(),
            strings: Vec::new(),
            bytes: Vec::new(),
            bytes_pos: Vec::new(),
            debug_files: Vec::new(),
            types: Vec::new(),
            globals: Vec::new(),
            natives: Vec::new(),
            functions: Vec::new(),
            constants: Vec::new(),
            entrypoint: 0,
            fun_refs: Vec::new(),
        }
    }

    /// The function type of function index `f`, if defined.
    pub fn fun_type(&self, f: FunIdx) -> Option<TypeIdx> {
        match self.fun_refs.get(f as usize)? {
            FunRef::Function(i) => Some(self.functions[*i].ty),
            FunRef::Native(i) => Some(self.natives[*i].ty),
        }
    }
}
