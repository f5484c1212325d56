//! TABLE: the heap's objects by handle, in memory that never moves.
//!
//! The table reserves address space for every 32-bit handle once (2^32 entries of
//! [`Obj`], 96 GiB of addresses) mapped read-only, and makes it writable as it grows.
//! Pages never written read as zeros, which is [`Obj::Free`]: compiled code can read
//! the entry of any handle a register holds, without comparing it to the length first,
//! and find no object there (`jit::translate`'s `obj_of`). Growing never copies (a
//! `Vec` reallocates and moves every entry), and the entries' address stays the same
//! for the table's life.
//!
//! Where so much address space cannot be reserved (under valgrind, or a low
//! `ulimit -v`), a smaller power of two is, down to 2^20 entries; compiled code then
//! masks handles with [`Table::mask`], so that any handle still lands inside it.

use super::Obj;

const ENTRY: usize = std::mem::size_of::<Obj>();
/// Entries made writable at a time, at least (a multiple of the page size in bytes).
const GROW: usize = 8192;
const _: () = assert!((GROW * ENTRY).is_multiple_of(65536));

/// Heap objects by handle (see the module docs).
pub(crate) struct Table {
    base: *mut Obj,
    /// Entries in use (each initialised).
    len: usize,
    /// Entries mapped read-write.
    writable: usize,
    /// Entries reserved: a power of two.
    reserved: usize,
}

// SAFETY: the table owns its mapping and the objects in it exclusively, like a `Vec`;
// nothing in it refers to the thread that made it.
unsafe impl Send for Table {}

impl Table {
    /// An empty table.
    ///
    /// # Panics
    /// When not even 2^20 entries (32 MiB of addresses) can be reserved.
    pub(crate) fn new() -> Table {
        for bits in [32u32, 30, 28, 26, 24, 22, 20] {
            let reserved = 1usize << bits;
            // SAFETY: a new private anonymous mapping; no existing memory is touched.
            let p = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    reserved * ENTRY,
                    libc::PROT_READ,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                    -1,
                    0,
                )
            };
            if p != libc::MAP_FAILED {
                return Table { base: p.cast(), len: 0, writable: 0, reserved };
            }
        }
        panic!("hlvm: cannot reserve address space for the heap's handle table");
    }

    /// Number of entries in use.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The first entry's address (stable for the table's life).
    pub(crate) fn as_ptr(&self) -> *const Obj {
        self.base
    }

    /// `reserved - 1`: any `u32` handle masked with this has a readable entry (all
    /// ones when every handle has one).
    pub(crate) fn mask(&self) -> u32 {
        (self.reserved - 1) as u32
    }

    /// Appends `obj`; returns its index.
    ///
    /// # Panics
    /// When the reservation is full (2^32 entries, or the smaller reservation).
    pub(crate) fn push(&mut self, obj: Obj) -> usize {
        if self.len == self.writable {
            self.grow();
        }
        // SAFETY: `len < writable`: the entry is mapped read-write, and unused.
        unsafe { self.base.add(self.len).write(obj) };
        self.len += 1;
        self.len - 1
    }

    fn grow(&mut self) {
        let more = self.writable.max(GROW).min(self.reserved - self.writable);
        assert!(more > 0, "hlvm: the heap's handle table is full ({} objects)", self.reserved);
        // SAFETY: `[writable, writable + more)` lies inside the reservation, at a page
        // boundary (`GROW * ENTRY` is a multiple of the page size, and so is every
        // `writable`).
        let rc = unsafe {
            libc::mprotect(self.base.add(self.writable).cast(), more * ENTRY, libc::PROT_READ | libc::PROT_WRITE)
        };
        assert!(rc == 0, "hlvm: cannot grow the heap's handle table: {}", std::io::Error::last_os_error());
        self.writable += more;
    }

    #[inline]
    pub(crate) fn get(&self, i: usize) -> Option<&Obj> {
        // SAFETY: entries below `len` are initialised objects owned by the table.
        (i < self.len).then(|| unsafe { &*self.base.add(i) })
    }

    #[inline]
    pub(crate) fn get_mut(&mut self, i: usize) -> Option<&mut Obj> {
        // SAFETY: as in `get`, and `&mut self` makes the access exclusive.
        (i < self.len).then(|| unsafe { &mut *self.base.add(i) })
    }

    /// Two different entries at once (`None` when `i == j` or either is out of range).
    pub(crate) fn get2_mut(&mut self, i: usize, j: usize) -> Option<(&mut Obj, &mut Obj)> {
        if i == j || i >= self.len || j >= self.len {
            return None;
        }
        // SAFETY: as in `get_mut`; `i != j`, so the two references do not overlap.
        Some(unsafe { (&mut *self.base.add(i), &mut *self.base.add(j)) })
    }
}

impl std::ops::Index<usize> for Table {
    type Output = Obj;

    #[inline]
    fn index(&self, i: usize) -> &Obj {
        match self.get(i) {
            Some(o) => o,
            None => panic!("handle {i} out of the table ({} entries)", self.len),
        }
    }
}

impl std::ops::IndexMut<usize> for Table {
    #[inline]
    fn index_mut(&mut self, i: usize) -> &mut Obj {
        let len = self.len;
        match self.get_mut(i) {
            Some(o) => o,
            None => panic!("handle {i} out of the table ({len} entries)"),
        }
    }
}

impl Drop for Table {
    fn drop(&mut self) {
        // SAFETY: the first `len` entries are initialised and dropped once; then the
        // mapping made in `new` is released whole.
        unsafe {
            std::ptr::drop_in_place(std::ptr::slice_from_raw_parts_mut(self.base, self.len));
            libc::munmap(self.base.cast(), self.reserved * ENTRY);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_in_place_and_unused_entries_read_as_free() {
        let mut t = Table::new();
        let base = t.as_ptr();
        for i in 0..(GROW * 3 + 5) {
            assert_eq!(t.push(Obj::Dyn { ty: 1, val: i as u64 }), i);
        }
        assert_eq!(t.as_ptr(), base);
        assert!(matches!(t[GROW * 2 + 1], Obj::Dyn { val, .. } if val == (GROW * 2 + 1) as u64));
        assert!(t.get(t.len()).is_none());
        // What compiled code reads past the end: a zero tag, `Obj::Free`.
        let last = t.mask() as usize;
        // SAFETY: every entry up to the mask is mapped readable.
        let tag = unsafe { *(base.add(last) as *const u32) };
        assert_eq!(tag, 0);
        let past = t.len() + 1;
        // SAFETY: as above.
        assert_eq!(unsafe { *(base.add(past) as *const u32) }, 0);
        t[3] = Obj::Bytes(vec![1u8, 2, 3].into());
        assert!(matches!(&t[3], Obj::Bytes(b) if b.len() == 3));
    }
}
