//! MARKING: roots (globals, every thread's frames and temporary roots, constants, host
//! roots, thread handles and thread-local values), then a
//! worklist over the heap. See `crate::gc` for the invariant.

use crate::code::Type;
use crate::gc::{NativeObj, Obj};
use crate::module::Kind;
use crate::vm::Vm;

impl Vm {
    /// Runs a full collection. Only called at safepoints (see `crate::gc`).
    pub fn collect(&mut self) {
        let mut work: Vec<u32> = Vec::with_capacity(1024);
        macro_rules! root {
            ($h:expr) => {{
                let h = $h as u32;
                if h != 0 && self.heap.mark(h) {
                    work.push(h);
                }
            }};
        }
        for (i, &t) in self.code.globals.iter().enumerate() {
            if self.types[t as usize].is_ptr() {
                root!(self.globals[i]);
            }
        }
        // Every thread's frames: the running one's (in the VM's fields), then the
        // parked ones' (see `crate::threads`).
        let parked = self.threads.parked.values().map(|st| (&st.frames, &st.stack[..], &st.temp_roots[..]));
        for (frames, stack, temps) in std::iter::once((&self.frames, &self.stack[..], &self.temp_roots[..])).chain(parked) {
            for f in frames.iter() {
                for (r, k) in f.fun().kinds.iter().enumerate() {
                    let v = stack.get(f.base + r).copied().unwrap_or(0);
                    if matches!(k, Kind::Ptr | Kind::Bytes) || (*k == Kind::Ref && v & crate::value::REF_HEAP != 0) {
                        root!(v);
                    }
                }
            }
            for &v in temps {
                root!(v);
            }
        }
        for &h in self.const_strings.iter().chain(self.const_bytes.iter()) {
            root!(h);
        }
        for &v in self.host_roots.iter().flatten() {
            root!(v);
        }
        for &h in self.threads.handles.values() {
            root!(h);
        }
        for &v in self.threads.tls.values() {
            root!(v);
        }
        let mut kids: Vec<u64> = Vec::with_capacity(64);
        while let Some(h) = work.pop() {
            let mut push = |v: u64| kids.push(v);
            let types = &self.types;
            let is_ptr = |t: u32| types.get(t as usize).is_some_and(Type::is_ptr);
            match self.heap.get(h) {
                Some(Obj::Instance { ty, fields }) => {
                    if let Some(Some(rt)) = self.rt_obj.get(*ty as usize) {
                        for &i in &rt.ptr_fields {
                            if let Some(&v) = fields.get(i as usize) {
                                push(v);
                            }
                        }
                    }
                }
                Some(Obj::Dyn { ty, val }) => {
                    if is_ptr(*ty) {
                        push(*val);
                    }
                }
                Some(Obj::Array { elem, data }) => {
                    if is_ptr(*elem) {
                        for &v in data {
                            push(v);
                        }
                    }
                }
                Some(Obj::Closure { bound, .. }) if { bound.kind } == crate::gc::Bound::REFERENCE => push(bound.value),
                Some(Obj::VarArgs { inner, .. }) => push(*inner as u64),
                Some(Obj::Virtual { ty, value, fields }) => {
                    push(*value as u64);
                    if let Some(Some(rv)) = self.rt_virt.get(*ty as usize) {
                        for (f, &v) in rv.fields.iter().zip(fields.iter()) {
                            if is_ptr(f.ty) {
                                push(v);
                            }
                        }
                    }
                }
                Some(Obj::DynObj(fields)) => {
                    for f in fields.iter() {
                        if is_ptr(f.ty) {
                            push(f.val);
                        }
                    }
                }
                Some(Obj::Enum { ty, ctor, params }) => {
                    if let Some(Type::Enum(e)) = types.get(*ty as usize) {
                        if let Some(c) = e.constructs.get(*ctor as usize) {
                            for (&pt, &v) in c.params.iter().zip(params.iter()) {
                                if is_ptr(pt) {
                                    push(v);
                                }
                            }
                        }
                    }
                }
                Some(Obj::Native(n)) => match n {
                    NativeObj::BytesMap(m) => m.iter().for_each(|(k, &v)| {
                        push(k.slot());
                        push(v)
                    }),
                    NativeObj::IntMap(m) => m.values().for_each(|&v| push(v)),
                    NativeObj::ObjMap(m) => m.values().for_each(|&(k, v)| {
                        push(k);
                        push(v)
                    }),
                    NativeObj::Deque(d) => d.items.iter().for_each(|&v| push(v)),
                    NativeObj::Opaque(_) => {}
                    NativeObj::Traced(t) => t.refs(&mut |v| push(v)),
                },
                _ => {}
            }
            for v in kids.drain(..) {
                root!(v);
            }
        }
        self.heap.sweep();
    }
}
