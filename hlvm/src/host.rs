//! Read access to a loaded module's runtime structures for embedders (the `hlffi`
//! crate): types, class layouts, globals and the function table.

use crate::code::Type;
use crate::module::{FnSlot, RtObj, RtVirtual};
use crate::vm::Vm;

impl Vm {
    /// Number of types: the module's, then those added at run time.
    pub fn type_count(&self) -> usize {
        self.types.len()
    }

    /// Type `t`, if it exists.
    pub fn ty(&self, t: u32) -> Option<&Type> {
        self.types.get(t as usize)
    }

    /// Runtime layout of class/struct type `t` (fields flattened super-first, methods).
    pub fn rt_obj(&self, t: u32) -> Option<&RtObj> {
        self.rt_obj.get(t as usize)?.as_deref()
    }

    /// Runtime layout of virtual type `t`.
    pub fn rt_virtual(&self, t: u32) -> Option<&RtVirtual> {
        self.rt_virt.get(t as usize)?.as_deref()
    }

    /// Number of globals.
    pub fn global_count(&self) -> usize {
        self.globals.len()
    }

    /// Global `g` (register format of its type), if it exists.
    pub fn global(&self, g: usize) -> Option<u64> {
        self.globals.get(g).copied()
    }

    /// Type of global `g`.
    pub fn global_type(&self, g: usize) -> Option<u32> {
        self.code.globals.get(g).copied()
    }

    /// Index of the global holding the class/enum object of type `t` (`$Name` for a
    /// class: its statics), from `ObjType.global`/`EnumType.global` (stored 1-based).
    pub fn type_global(&self, t: u32) -> Option<usize> {
        let g = match self.types.get(t as usize)? {
            Type::Obj(o) | Type::Struct(o) => o.global,
            Type::Enum(e) => e.global,
            _ => 0,
        };
        (g != 0 && (g as usize) <= self.globals.len()).then(|| g as usize - 1)
    }

    /// Replaces the function in slot `f` (every later call, closure and method value
    /// using `f` runs the new one). Returns false when `f` does not exist.
    pub fn replace_function(&mut self, f: u32, slot: FnSlot) -> bool {
        if (f as usize) >= self.funcs.len() {
            return false;
        }
        self.set_slot(f as usize, slot);
        self.sync_jit();
        true
    }

    /// Function index of the function named `name` (as [`Vm::fun_name`] spells it).
    pub fn find_function(&self, name: &str) -> Option<u32> {
        self.fun_names.iter().position(|n| n == name).map(|i| i as u32)
    }

    /// Name of a string in the module's string pool.
    pub fn string_constant(&self, idx: u32) -> Option<&str> {
        self.code.strings.get(idx as usize).map(|s| s.as_str())
    }

    /// True once a module has been loaded.
    pub fn is_loaded(&self) -> bool {
        self.loaded
    }
}

impl Vm {
    /// Function indices the module imports native `lib@name` into (`lib` without the
    /// optional `?` prefix).
    pub fn native_indices(&self, lib: &str, name: &str) -> Vec<u32> {
        self.code
            .natives
            .iter()
            .filter(|n| n.lib.trim_start_matches('?') == lib && n.name == name)
            .map(|n| n.findex)
            .collect()
    }

    /// Keeps `v` alive until [`Vm::truncate_temp_roots`] shrinks the temporary roots
    /// below it (for values held across a call that may collect).
    pub fn push_temp_root(&mut self, v: u64) {
        self.temp_roots.push(v);
    }

    /// Number of temporary roots.
    pub fn temp_root_len(&self) -> usize {
        self.temp_roots.len()
    }

    /// Drops temporary roots above `len`.
    pub fn truncate_temp_roots(&mut self, len: usize) {
        self.temp_roots.truncate(len);
    }

    /// Flushes Haxe's standard output if anything is buffered.
    #[inline]
    pub fn flush_pending_output(&mut self) {
        if !self.out.buffer().is_empty() {
            self.flush_stdout();
        }
    }
}

impl Vm {
    /// The field name whose hash is `hash`, when known.
    pub fn field_name(&self, hash: i32) -> Option<String> {
        self.field_names.name(hash).map(str::to_string)
    }

    /// The field-name hash of `name` in this VM: HashLink's `hl_hash_gen` value, moved to
    /// the next free hash when a different name registered earlier has the same one (as
    /// HashLink 1.17 resolves collisions, haxe#5572). Does not register `name`.
    pub fn field_hash(&self, name: &str) -> i32 {
        self.field_names.hash_of(name)
    }

    /// [`Vm::field_hash`], registering `name` when it is new (what HashLink does whenever
    /// a program hashes a name, e.g. to write a new field of a dynamic object).
    pub fn intern_field(&mut self, name: &str) -> i32 {
        self.field_names.intern(name)
    }
}
