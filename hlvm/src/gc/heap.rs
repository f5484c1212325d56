//! HEAP: object storage addressed by handles, and the sweep phase.

use rustc_hash::FxHashMap as HashMap;

use super::table::Table;
use super::Slots;

/// A field of a dynamic object (`vdynobj`): its name hash, static type, value and rank in
/// insertion order. A dynamic object's fields are kept sorted by hash (for lookups);
/// `order` gives the order HashLink lists and prints them in (the order they were added,
/// ranks closing up when one is deleted). See [`dyn_fields_add`], [`dyn_fields_remove`] and
/// [`dyn_fields_in_order`].
#[derive(Debug, Clone, Copy)]
pub struct DynField {
    /// Field-name hash.
    pub hash: i32,
    /// Type of the stored value.
    pub ty: u32,
    /// The value, a register-format slot.
    pub val: u64,
    /// Rank in insertion order (0 = added first among the present fields).
    pub order: u32,
}

/// Sets field `hash` of a dynamic object's `fields`: a present field keeps its rank, a new
/// one is ranked last.
pub fn dyn_fields_add(fields: &mut Vec<DynField>, hash: i32, ty: u32, val: u64) {
    match fields.binary_search_by_key(&hash, |f| f.hash) {
        Ok(i) => {
            let f = &mut fields[i];
            f.ty = ty;
            f.val = val;
        }
        Err(i) => {
            let order = fields.len() as u32;
            fields.insert(i, DynField { hash, ty, val, order });
        }
    }
}

/// Removes field `hash`; the fields added after it move up one rank. False when absent.
pub fn dyn_fields_remove(fields: &mut Vec<DynField>, hash: i32) -> bool {
    let Ok(i) = fields.binary_search_by_key(&hash, |f| f.hash) else { return false };
    let gone = fields.remove(i).order;
    for f in fields.iter_mut().filter(|f| f.order > gone) {
        f.order -= 1;
    }
    true
}

/// The fields in insertion order.
pub fn dyn_fields_in_order(fields: &[DynField]) -> Vec<DynField> {
    let mut v = fields.to_vec();
    v.sort_by_key(|f| f.order);
    v
}

/// Dynamic-object fields from `(hash, type, value)` triples given in insertion order.
/// (HashLink turns a standalone record into a dynamic object in its type's lookup order,
/// i.e. by hash: callers doing that sort first.)
pub fn dyn_fields_from(list: impl IntoIterator<Item = (i32, u32, u64)>) -> Vec<DynField> {
    let mut v: Vec<DynField> =
        list.into_iter().enumerate().map(|(i, (hash, ty, val))| DynField { hash, ty, val, order: i as u32 }).collect();
    v.sort_by_key(|f| f.hash);
    v
}

/// A closure's bound first argument, laid out for compiled code (`#[repr(C, packed(4))]`:
/// 12 bytes aligned to 4, so that a closure's heap table entry stays 24 bytes, with
/// `value` 8-aligned there, after three `u32`s): `kind` is [`Bound::NONE_KIND`] (none),
/// [`Bound::VALUE`] (a scalar) or [`Bound::REFERENCE`] (a reference, traced by the
/// collector).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C, packed(4))]
pub struct Bound {
    /// What `value` is.
    pub kind: u32,
    /// The argument, a register-format slot.
    pub value: u64,
}

impl Bound {
    /// No bound argument.
    pub const NONE_KIND: u32 = 0;
    /// A scalar.
    pub const VALUE: u32 = 1;
    /// A reference.
    pub const REFERENCE: u32 = 2;
    /// No bound argument.
    pub const NONE: Bound = Bound { value: 0, kind: Bound::NONE_KIND };

    /// `Some((value, is_reference))`, or `None`.
    pub fn get(self) -> Option<(u64, bool)> {
        (self.kind != Bound::NONE_KIND).then_some((self.value, self.kind == Bound::REFERENCE))
    }

    /// Whether there is a bound argument.
    pub fn is_some(self) -> bool {
        self.kind != Bound::NONE_KIND
    }
}

impl From<Option<(u64, bool)>> for Bound {
    fn from(b: Option<(u64, bool)>) -> Bound {
        match b {
            None => Bound::NONE,
            Some((value, true)) => Bound { value, kind: Bound::REFERENCE },
            Some((value, false)) => Bound { value, kind: Bound::VALUE },
        }
    }
}

/// A `sys.thread.Deque`: its values (traced), and how threads wait for one (see
/// `crate::threads`).
#[derive(Default)]
pub struct DequeObj {
    /// `Dynamic` values, front first.
    pub items: std::collections::VecDeque<u64>,
    /// Threads blocked in `pop(true)`.
    pub waiting: u32,
    /// Notified when a value arrives and a thread waits.
    pub cv: std::sync::Arc<std::sync::Condvar>,
}

/// A value behind one thin pointer (8 bytes, where a `Box<dyn Trait>` takes 16): keeps
/// [`NativeObj`], and so a heap table entry, small. Dereferences to the value.
pub struct Thin<T: ?Sized>(Box<Box<T>>);

impl<T: ?Sized> std::ops::Deref for Thin<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: ?Sized> std::ops::DerefMut for Thin<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T: std::any::Any> From<Box<T>> for Thin<dyn std::any::Any> {
    fn from(b: Box<T>) -> Self {
        Thin(Box::new(b))
    }
}

impl<T: NativeRefs> From<Box<T>> for Thin<dyn NativeRefs> {
    fn from(b: Box<T>) -> Self {
        Thin(Box::new(b))
    }
}

/// Native objects behind `abstract` handles (maps, regular expressions, files...).
/// Every variant is one thin pointer (16 bytes in all with the tag).
pub enum NativeObj {
    /// `hl_bytes_map`: UTF-16 string keys (the `Bytes` the program set them with; see
    /// [`crate::rt::BytesKey`]) to `Dynamic` values, in HashLink's iteration order.
    BytesMap(Box<crate::rt::BytesMap>),
    /// `hl_int_map`: Int keys to `Dynamic` values, in HashLink's iteration order.
    IntMap(Box<crate::rt::MapTable<i32>>),
    /// `hl_obj_map`: object identity (handle) keys to `(key, Dynamic value)`.
    ObjMap(Box<HashMap<u32, (u64, u64)>>),
    /// `hl_deque` (`sys.thread.Deque`): `Dynamic` values, front first.
    Deque(Box<DequeObj>),
    /// Anything else a native keeps (holds no heap references); made from a `Box<T>`
    /// with `.into()`.
    Opaque(Thin<dyn std::any::Any>),
    /// A native value that holds heap references (a callback closure, a handle it
    /// must keep alive): the collector marks what [`NativeRefs::refs`] reports.
    Traced(Thin<dyn NativeRefs>),
}

/// A native value kept in [`NativeObj::Traced`]: says which heap references it holds.
/// Reach the concrete type through `Any` (`(&**b as &dyn Any).downcast_ref::<T>()`).
pub trait NativeRefs: std::any::Any {
    /// Calls `f` with every heap reference (a register-format slot, 0 for none) the
    /// value holds.
    fn refs(&self, f: &mut dyn FnMut(u64));
}

impl std::fmt::Debug for NativeObj {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NativeObj::BytesMap(m) => write!(f, "BytesMap({})", m.len()),
            NativeObj::IntMap(m) => write!(f, "IntMap({})", m.len()),
            NativeObj::ObjMap(m) => write!(f, "ObjMap({})", m.len()),
            NativeObj::Deque(d) => write!(f, "Deque({})", d.items.len()),
            NativeObj::Opaque(_) => write!(f, "Opaque"),
            NativeObj::Traced(_) => write!(f, "Traced"),
        }
    }
}

/// One heap object. Slots (`u64`) are in register format (see [`crate::value`]).
///
/// `#[repr(u32)]` fixes the layout compiled code reads: each variant is a `repr(C)`
/// struct of a `u32` tag (the explicit discriminants) followed by the variant's fields
/// (see [`layout`]). Every variant fits in 24 bytes, the size of a heap table entry:
/// slices are [`Slots`] (12 bytes, aligned to 4), a dynamic object's fields and a native
/// object sit behind one pointer (8-10 % less peak memory than 32-byte entries on the
/// heap-heavy benchmarks: README's Memory section).
#[derive(Debug)]
#[repr(u32)]
pub enum Obj {
    /// An unused slot, linking to the next free one (0: none).
    Free(u32) = 0,
    /// A class instance (`vobj`): fields flattened, super class first.
    Instance {
        /// Its `Obj`/`Struct` type.
        ty: u32,
        /// Field values.
        fields: Slots<u64>,
    } = 1,
    /// A boxed value (`vdynamic`) of a non-object type (Int, Float, Bool, bytes, ...).
    Dyn {
        /// Type of the boxed value.
        ty: u32,
        /// The value.
        val: u64,
    },
    /// Raw bytes (`hl.Bytes` target).
    Bytes(Slots<u8>) = 3,
    /// `hl.NativeArray` (`varray`) of `elem`.
    Array {
        /// Element type.
        elem: u32,
        /// Elements.
        data: Slots<u64>,
    } = 4,
    /// A function value (`vclosure`).
    Closure {
        /// Its function type.
        ty: u32,
        /// Function index.
        fun: u32,
        /// Bound first argument, if any.
        bound: Bound,
    } = 5,
    /// `Reflect.makeVarArgs`: calls `inner` with one array of the arguments.
    VarArgs {
        /// Function type presented (`Dynamic`-taking).
        ty: u32,
        /// The wrapped closure (`Array<Dynamic> -> Dynamic`).
        inner: u32,
        /// `None` for the value `makeVarArgs` returns, which takes any number of
        /// arguments. `Some(n)` once cast to a function type of `n` arguments (HashLink's
        /// function wrapper): a typed call then passes exactly `n` arguments, whatever the
        /// call site gives, while a call through `Dynamic` still passes them all.
        arity: Option<u32>,
    },
    /// A structural view (`vvirtual`) of `value`, or a standalone record when
    /// `value` is 0.
    Virtual {
        /// Its `Virtual` type.
        ty: u32,
        /// The object viewed (instance or dynamic object), or 0.
        value: u32,
        /// Own field storage (used when `value` is 0).
        fields: Slots<u64>,
    } = 7,
    /// A dynamic object (`vdynobj`), fields kept sorted by hash.
    DynObj(Box<Vec<DynField>>),
    /// An enum value (`venum`).
    Enum {
        /// Its `Enum` type.
        ty: u32,
        /// Constructor index.
        ctor: u32,
        /// Constructor parameters.
        params: Slots<u64>,
    } = 9,
    /// A native object.
    Native(NativeObj),
}

/// Where compiled code finds things in an [`Obj`] (byte offsets from the object).
pub mod layout {
    use super::{Bound, Obj, Slots};

    /// The tag of [`Obj::Instance`].
    pub const TAG_INSTANCE: u32 = 1;
    /// The tag of [`Obj::Bytes`].
    pub const TAG_BYTES: u32 = 3;
    /// The tag of [`Obj::Array`].
    pub const TAG_ARRAY: u32 = 4;
    /// The tag of [`Obj::Enum`].
    pub const TAG_ENUM: u32 = 9;
    /// The tag of [`Obj::Closure`].
    pub const TAG_CLOSURE: u32 = 5;
    /// The tag of [`Obj::Virtual`].
    pub const TAG_VIRTUAL: u32 = 7;

    // `repr(u32)`: a `repr(C)` union of one `repr(C)` struct per variant, each starting
    // with the tag. These mirror the variants used by compiled code.
    #[repr(C)]
    struct Instance {
        tag: u32,
        ty: u32,
        fields: Slots<u64>,
    }
    #[repr(C)]
    struct Bytes {
        tag: u32,
        data: Slots<u8>,
    }
    #[repr(C)]
    struct Array {
        tag: u32,
        elem: u32,
        data: Slots<u64>,
    }
    #[repr(C)]
    struct Virtual {
        tag: u32,
        ty: u32,
        value: u32,
        fields: Slots<u64>,
    }
    #[repr(C)]
    struct Closure {
        tag: u32,
        ty: u32,
        fun: u32,
        bound: Bound,
    }
    #[repr(C)]
    struct Enum {
        tag: u32,
        ty: u32,
        ctor: u32,
        params: Slots<u64>,
    }
    const _: () = assert!(std::mem::size_of::<Obj>() == 24 && std::mem::align_of::<Obj>() == 8);
    const _: () = assert!(std::mem::size_of::<Virtual>() <= 24 && std::mem::size_of::<Closure>() <= 24);
    const _: () = assert!(std::mem::size_of::<Enum>() <= 24 && std::mem::size_of::<Instance>() <= 24);
    // The hot 8-byte fields are 8-aligned: an instance's fields, an array's elements, a
    // closure's bound value (the other slice pointers are 4-aligned).
    const _: () = assert!(FIELDS_PTR % 8 == 0 && ARRAY_PTR % 8 == 0 && CLOSURE_BOUND % 8 == 0);

    /// Size of one heap table entry.
    pub const OBJ_SIZE: usize = std::mem::size_of::<Obj>();
    /// Offset of the tag.
    pub const TAG: usize = std::mem::offset_of!(Instance, tag);
    /// `Instance.ty`.
    pub const INSTANCE_TY: usize = std::mem::offset_of!(Instance, ty);
    /// `Instance.fields` data pointer and length.
    pub const FIELDS_PTR: usize = std::mem::offset_of!(Instance, fields) + Slots::<u64>::PTR;
    pub const FIELDS_LEN: usize = std::mem::offset_of!(Instance, fields) + Slots::<u64>::LEN;
    /// `Array.data` data pointer and length.
    pub const ARRAY_PTR: usize = std::mem::offset_of!(Array, data) + Slots::<u64>::PTR;
    pub const ARRAY_LEN: usize = std::mem::offset_of!(Array, data) + Slots::<u64>::LEN;
    /// `Bytes` data pointer and length.
    pub const BYTES_PTR: usize = std::mem::offset_of!(Bytes, data) + Slots::<u8>::PTR;
    pub const BYTES_LEN: usize = std::mem::offset_of!(Bytes, data) + Slots::<u8>::LEN;
    /// `Virtual.ty` (its virtual type) and `Virtual.value` (the viewed object's handle).
    pub const VIRTUAL_TY: usize = std::mem::offset_of!(Virtual, ty);
    pub const VIRTUAL_VALUE: usize = std::mem::offset_of!(Virtual, value);
    /// `Closure.ty`, `Closure.fun`, and its bound argument's value and kind.
    pub const CLOSURE_TY: usize = std::mem::offset_of!(Closure, ty);
    pub const CLOSURE_FUN: usize = std::mem::offset_of!(Closure, fun);
    pub const CLOSURE_BOUND: usize = std::mem::offset_of!(Closure, bound.value);
    pub const CLOSURE_BOUND_KIND: usize = std::mem::offset_of!(Closure, bound.kind);
    /// `Enum.ctor`, and `Enum.params` data pointer and length.
    pub const ENUM_CTOR: usize = std::mem::offset_of!(Enum, ctor);
    pub const ENUM_PTR: usize = std::mem::offset_of!(Enum, params) + Slots::<u64>::PTR;
    pub const ENUM_LEN: usize = std::mem::offset_of!(Enum, params) + Slots::<u64>::LEN;

    #[cfg(test)]
    mod tests {
        use super::*;

        /// Reads a `T` at byte `off` of `o`.
        fn at<T: Copy>(o: &Obj, off: usize) -> T {
            // SAFETY: the offsets above are inside `Obj` and of the right type.
            unsafe { ((o as *const Obj as *const u8).add(off) as *const T).read_unaligned() }
        }

        #[test]
        fn offsets_match_the_enum() {
            assert_eq!(OBJ_SIZE, 24);
            let o = Obj::Instance { ty: 5, fields: vec![10u64, 20, 30].into() };
            assert_eq!((at::<u32>(&o, TAG), at::<u32>(&o, INSTANCE_TY)), (TAG_INSTANCE, 5));
            assert_eq!(at::<u32>(&o, FIELDS_LEN), 3);
            // SAFETY: the pointer read is the fields' data.
            assert_eq!(unsafe { *at::<*const u64>(&o, FIELDS_PTR).add(1) }, 20);
            let o = Obj::Array { elem: 2, data: vec![7u64; 4].into() };
            assert_eq!((at::<u32>(&o, TAG), at::<u32>(&o, ARRAY_LEN)), (TAG_ARRAY, 4));
            // SAFETY: as above.
            assert_eq!(unsafe { *at::<*const u64>(&o, ARRAY_PTR) }, 7);
            let o = Obj::Bytes(vec![1u8, 2, 3, 4, 5].into());
            assert_eq!((at::<u32>(&o, TAG), at::<u32>(&o, BYTES_LEN)), (TAG_BYTES, 5));
            // SAFETY: as above.
            assert_eq!(unsafe { *at::<*const u8>(&o, BYTES_PTR).add(4) }, 5);
            let o = Obj::Closure { ty: 3, fun: 11, bound: Some((77, true)).into() };
            assert_eq!((at::<u32>(&o, TAG), at::<u32>(&o, CLOSURE_TY), at::<u32>(&o, CLOSURE_FUN)), (TAG_CLOSURE, 3, 11));
            assert_eq!((at::<u64>(&o, CLOSURE_BOUND), at::<u32>(&o, CLOSURE_BOUND_KIND)), (77, Bound::REFERENCE));
            let o = Obj::Virtual { ty: 2, value: 99, fields: Vec::new().into() };
            assert_eq!((at::<u32>(&o, TAG), at::<u32>(&o, VIRTUAL_TY), at::<u32>(&o, VIRTUAL_VALUE)), (TAG_VIRTUAL, 2, 99));
            let o = Obj::Enum { ty: 1, ctor: 6, params: vec![8u64, 9].into() };
            assert_eq!((at::<u32>(&o, TAG), at::<u32>(&o, ENUM_CTOR), at::<u32>(&o, ENUM_LEN)), (TAG_ENUM, 6, 2));
        }
    }
}

/// The heap: handles, mark bits and a free list.
pub struct Heap {
    objs: Table,
    /// One mark bit per handle (bit `h % 64` of word `h / 64`): an eighth of a byte per
    /// object, dense enough to stay in cache while marking.
    marks: Vec<u64>,
    free: u32,
    live: usize,
    allocs_since_gc: usize,
    bytes_since_gc: usize,
    threshold: usize,
    stress: usize,
    /// Number of collections so far.
    pub collections: usize,
    /// `objs.as_ptr()`, for compiled code (see [`Table`]).
    pub(crate) table: *const Obj,
    /// [`Heap::should_collect`] as one byte, kept current by every allocation, so that
    /// compiled code tests it with a single load at its safepoints.
    pub(crate) due: bool,
}

/// Allocations (and, times 64, bytes) between collections while the live set is small;
/// above it the next collection comes after [`GROWTH_PERCENT`] of the live count. 50,000 keeps the object
/// table of a program with few live objects near 2 MB (at 200,000 it grew to 8 MB:
/// `closures` peaked at 19 MB instead of 14 MB, `dynamic` at 22 instead of 17 MB), with
/// no measurable change in time on closures, dynamic, dispatch, maps and strings. Not
/// better everywhere: `binarytrees`, whose live set is large, peaks at 37 MB instead of
/// 33 MB (its collections fall at other moments of its live set; `farm-bench`).
const MIN_THRESHOLD: usize = 50_000;

/// The allocations between two collections, in percent of the objects the last one left
/// alive (above [`MIN_THRESHOLD`]). Measured against 200 (farm-bench, 5 runs each): at
/// 125, peak RSS binarytrees 30.0 -> 23.4 MiB, maps 112.5 -> 91.1 MiB, strings 103.8 ->
/// 82.1 MiB, time binarytrees +3 %, maps -2.6 %, strings +1.8 %; at 150, 25.0, 98.3 and
/// 88.4 MiB for no change in time. At 100 against 125 (farm-bench, 7 runs each, after
/// the JIT's call sites were made compact): strings 84.0 -> 76.0 MiB (86 -> 79.7 MB by
/// `/usr/bin/time` in 5 runs of each, against HashLink's 57 MB: from 1.51x to 1.39x,
/// the benchmark that sat on the 1.5x line), maps 88.9 -> 81.7 MiB, binarytrees
/// unchanged; wall time strings +1 %, binarytrees +6 %, maps +9 % (still 0.56x and
/// 0.92x HashLink's). Memory is the criterion these programs miss; time has the margin.
/// (HashLink collects after allocating a fifth of its heap's pages.)
const GROWTH_PERCENT: usize = 100;

impl Heap {
    /// An empty heap. Reads `HLVM_GC_STRESS` from the environment. Only a VM makes one,
    /// so that a VM's heap can only be exchanged with another VM's (compiled code
    /// relies on the handle table's mask: see `gc::table`).
    pub(crate) fn new() -> Heap {
        let stress = std::env::var("HLVM_GC_STRESS").ok().and_then(|s| s.trim().parse().ok()).unwrap_or(0);
        Heap {
            objs: Table::new(),
            marks: vec![0],
            free: 0,
            live: 0,
            allocs_since_gc: 0,
            bytes_since_gc: 0,
            threshold: MIN_THRESHOLD,
            stress,
            collections: 0,
            due: false,
            table: std::ptr::null(),
        }
        .with_table()
    }

    /// Stores `obj` and returns its handle (never 0).
    pub fn alloc(&mut self, obj: Obj) -> u32 {
        self.allocs_since_gc += 1;
        self.live += 1;
        if let Obj::Bytes(b) = &obj {
            self.bytes_since_gc += b.len();
        }
        self.due = self.should_collect();
        if self.free != 0 {
            let h = self.free;
            let slot = &mut self.objs[h as usize];
            if let Obj::Free(next) = slot {
                self.free = *next;
            }
            // A free entry owns nothing: no call to drop it (3 % of `strings`).
            match std::mem::replace(slot, obj) {
                Obj::Free(_) => {}
                old => drop(old),
            }
            return h;
        }
        let h = self.objs.push(obj);
        if h / 64 >= self.marks.len() {
            self.marks.push(0);
        }
        h as u32
    }

    fn with_table(mut self) -> Heap {
        // Handle 0 is null: its entry stays free.
        self.objs.push(Obj::Free(0));
        self.table = self.objs.as_ptr();
        self
    }

    /// The mask compiled code applies to handles (see [`Table::mask`]).
    pub(crate) fn table_mask(&self) -> u32 {
        self.objs.mask()
    }

    /// Counts bytes a native added to an existing object (for collection pacing).
    pub fn note_bytes(&mut self, n: usize) {
        self.bytes_since_gc += n;
        self.due = self.should_collect();
    }

    /// True when a collection is due at the next safepoint.
    #[inline]
    pub fn should_collect(&self) -> bool {
        if self.stress > 0 {
            return self.allocs_since_gc >= self.stress;
        }
        self.allocs_since_gc >= self.threshold || self.bytes_since_gc >= self.threshold * 64
    }

    /// The object behind handle `h`, if `h` is a live handle.
    #[inline]
    pub fn get(&self, h: u32) -> Option<&Obj> {
        match self.objs.get(h as usize) {
            Some(Obj::Free(_)) | None => None,
            Some(o) => Some(o),
        }
    }

    /// Mutable access to the object behind handle `h`.
    #[inline]
    pub fn get_mut(&mut self, h: u32) -> Option<&mut Obj> {
        match self.objs.get_mut(h as usize) {
            Some(Obj::Free(_)) | None => None,
            Some(o) => Some(o),
        }
    }

    /// The objects behind two different live handles, both writable.
    pub fn get2_mut(&mut self, a: u32, b: u32) -> Option<(&mut Obj, &mut Obj)> {
        match self.objs.get2_mut(a as usize, b as usize)? {
            (Obj::Free(_), _) | (_, Obj::Free(_)) => None,
            pair => Some(pair),
        }
    }

    /// Number of live objects (after the last sweep, plus allocations since).
    pub fn live(&self) -> usize {
        self.live
    }

    /// Marks `h`; returns true when it was not marked before (so it must be traced).
    #[inline]
    pub(crate) fn mark(&mut self, h: u32) -> bool {
        let i = h as usize;
        if h == 0 || i >= self.objs.len() {
            return false;
        }
        let bit = 1u64 << (i % 64);
        match self.marks.get_mut(i / 64) {
            Some(w) if *w & bit == 0 => {
                *w |= bit;
                !matches!(self.objs[i], Obj::Free(_))
            }
            _ => false,
        }
    }

    /// SWEEP: frees every unmarked object, clears marks, and sets the next threshold.
    pub(crate) fn sweep(&mut self) {
        let mut live = 0;
        for i in (1..self.objs.len()).rev() {
            if self.marks[i / 64] & (1 << (i % 64)) != 0 {
                live += 1;
            } else if !matches!(self.objs[i], Obj::Free(_)) {
                self.objs[i] = Obj::Free(self.free);
                self.free = i as u32;
            }
        }
        self.marks.fill(0);
        self.live = live;
        self.allocs_since_gc = 0;
        self.bytes_since_gc = 0;
        self.threshold = (live * GROWTH_PERCENT / 100).max(MIN_THRESHOLD);
        self.collections += 1;
        self.due = false;
    }
}
