//! Calling Haxe functions: [`Function`] (a Haxe function value), [`StaticFn`] and
//! [`MethodFn`] (typed handles resolved once), and the call machinery they share.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use hlvm::code::Type;
use hlvm::gc::Obj;
use hlvm::value::handle;

use crate::convert::{ArgBuf, Args, Cx, FromHl};
use crate::shared::{Prims, Shared};
use crate::value::Value;
use crate::{Error, Object, Result};

/// Parameter and result types of a function, and a name for messages.
#[derive(Debug, Clone)]
pub(crate) struct Signature {
    pub params: Vec<u32>,
    pub ret: u32,
}

pub(crate) fn signature(cx: &Cx<'_>, f: u32) -> Result<Signature> {
    let fty = cx.vm.fun_type(f).ok_or_else(|| Error::Internal(format!("function {f} has no type")))?;
    match cx.vm.ty(fty) {
        Some(Type::Fun(ft)) | Some(Type::Method(ft)) => Ok(Signature { params: ft.args.clone(), ret: ft.ret }),
        _ => Err(Error::Internal(format!("function {f} has a non-function type"))),
    }
}

/// Calls function `f` with `this` (when given) then `args`, converted to `params`
/// (the parameters after `this`), and reads the result as `R` from type `ret`.
pub(crate) fn call_raw<A: Args, R: FromHl>(
    cx: &mut Cx<'_>,
    f: u32,
    this: Option<u64>,
    args: A,
    params: &[u32],
    ret: u32,
    name: &dyn Fn() -> String,
) -> Result<R> {
    let given = args.count();
    if given != params.len() {
        return Err(Error::ArgumentCount { function: name(), expected: params.len(), given });
    }
    // Scalars of their parameters' exact types (`(Int)->Int` called with an `i32`):
    // no conversion and nothing to root (`this` is kept alive by its handle), so the
    // call skips both; the same for a scalar result of `R`'s own type.
    let mut buf = ScalarBuf::new();
    if buf.put(this, &args, params, cx.p) {
        return call_slots(cx, f, buf.slots(), ret, name);
    }
    let v = with_args(cx, this, args, params, name, |vm, buf| vm.call_guarded(f, buf))?;
    read_result(cx, v, ret, name)
}

/// Calls function `f` with argument slots that need no rooting (scalars, and a `this`
/// its handle keeps alive), and reads the result as `R` from type `ret`.
pub(crate) fn call_slots<R: FromHl>(cx: &mut Cx<'_>, f: u32, args: &[u64], ret: u32, name: &dyn Fn() -> String) -> Result<R> {
    let r = cx.vm.call_host(f, args);
    cx.vm.flush_pending_output();
    let v = r.map_err(|e| cx.exc(e))?;
    read_result(cx, v, ret, name)
}

/// The most arguments [`Args`] takes (its longest tuple).
pub(crate) const MAX_SCALAR_ARGS: usize = 8;

/// Argument slots of a call whose arguments are all scalars (after a receiver, if
/// any): a plain array, cheaper to fill and drop than an [`ArgBuf`].
pub(crate) struct ScalarBuf {
    slots: [u64; MAX_SCALAR_ARGS + 1],
    len: usize,
}

impl ScalarBuf {
    pub(crate) fn new() -> ScalarBuf {
        ScalarBuf { slots: [0; MAX_SCALAR_ARGS + 1], len: 0 }
    }

    /// Puts `this` (when given), then the slots of `args` when they are scalars of
    /// `params`' exact types (see [`Args::scalar_slots`]); false otherwise, the buffer
    /// then empty.
    #[inline]
    pub(crate) fn put<A: Args>(&mut self, this: Option<u64>, args: &A, params: &[u32], p: &Prims) -> bool {
        let skip = this.is_some() as usize;
        let n = args.count();
        if let Some(t) = this {
            self.slots[0] = t;
        }
        let ok = n == params.len() && n <= MAX_SCALAR_ARGS && args.scalar_slots(params, p, &mut self.slots[skip..]);
        self.len = if ok { skip + n } else { 0 };
        ok
    }

    pub(crate) fn slots(&self) -> &[u64] {
        &self.slots[..self.len.min(self.slots.len())]
    }
}

/// A call the short way ([`crate::cell::VmCell::with_fast`]), when it needs no
/// conversion context: `resolve` (run holding the lock) gives the function and its
/// result type after putting the argument slots in the buffer, or `None` when the
/// arguments are not scalars of their parameters' exact types; `R` must read a scalar
/// of the result type without the VM. `None` (nothing done) when that does not apply.
#[inline]
pub(crate) fn call_fast<R: FromHl>(
    shared: &Arc<Shared>,
    resolve: impl FnOnce(&Prims, &mut ScalarBuf) -> Option<(u32, u32)>,
) -> Option<Result<R>> {
    let p = shared.prims.get()?;
    // The exception, if any, waits here: what the closure returns stays small enough
    // to come back in registers (a returned `Result<u64, Exc>` cost store-forwarding
    // stalls on every call).
    let mut exc = None;
    let out = shared.cell.with_fast(|vm| {
        let mut buf = ScalarBuf::new();
        let (f, ret) = resolve(p, &mut buf)?;
        // `from_scalar` depends only on the types: probing it with 0 says whether the
        // result will be readable.
        R::from_scalar(0, ret, p)?;
        shared.release_pending(vm);
        let r = vm.call_host(f, buf.slots());
        vm.flush_pending_output();
        Some(match r {
            Ok(v) => R::from_scalar(v, ret, p).ok_or(()),
            Err(e) => {
                exc = Some(e);
                Err(())
            }
        })
    })??;
    if let Ok(r) = out {
        return Some(Ok(r));
    }
    // (Not a match on `(out, exc)`: building that pair moved the exception slot on
    // every call.)
    Some(match exc {
        Some(e) => shared.with(|cx| Err(cx.exc(e))),
        None => Err(Error::Internal("unreadable scalar result".into())),
    })
}

fn read_result<R: FromHl>(cx: &mut Cx<'_>, v: u64, ret: u32, name: &dyn Fn() -> String) -> Result<R> {
    if let Some(r) = R::from_scalar(v, ret, cx.p) {
        return Ok(r);
    }
    R::from_hl(cx, v, ret).map_err(|e| e.at(|| format!("return value of {}", name())))
}

#[inline]
/// Converts `args` to `params` (after `this`, when given), keeps them rooted while
/// `call` runs with them, and turns an exception into an error.
fn with_args<A: Args>(
    cx: &mut Cx<'_>,
    this: Option<u64>,
    args: A,
    params: &[u32],
    name: &dyn Fn() -> String,
    call: impl FnOnce(&mut hlvm::Vm, &[u64]) -> Result<u64, hlvm::Exc>,
) -> Result<u64> {
    let mark = cx.vm.temp_root_len();
    let mut buf = ArgBuf::new();
    if let Some(t) = this {
        buf.push(t);
    }
    let converted = args.convert(cx, params, &mut buf, name);
    let result = converted.map(|()| call(cx.vm, &buf));
    cx.vm.truncate_temp_roots(mark);
    cx.vm.flush_pending_output();
    result?.map_err(|e| cx.exc(e))
}

/// Calls function value `c` (a closure slot) with `args`.
pub(crate) fn call_closure<A: Args, R: FromHl>(cx: &mut Cx<'_>, c: u64, args: A, name: &dyn Fn() -> String) -> Result<R> {
    let base = cx.vm.virtual_base(c);
    match cx.vm.heap.get(handle(base)) {
        Some(Obj::Closure { fun, bound, .. }) => {
            let (fun, bound) = (*fun, bound.get());
            let sig = signature(cx, fun)?;
            let skip = bound.is_some() as usize;
            let params = sig.params.get(skip..).unwrap_or(&[]).to_vec();
            call_raw(cx, fun, bound.map(|b| b.0), args, &params, sig.ret, name)
        }
        Some(Obj::VarArgs { .. }) => {
            let params = vec![cx.p.dyn_; args.count()];
            let v = with_args(cx, None, args, &params, name, |vm, buf| vm.call_dynamic(base, buf))?;
            R::from_hl(cx, v, cx.p.dyn_).map_err(|e| e.at(|| format!("return value of {}", name())))
        }
        None => Err(Error::NullValue { what: name(), expected: "a function".into() }),
        Some(_) => {
            let actual = cx.value_type_name(c, cx.p.dyn_);
            Err(Error::TypeMismatch { what: name(), expected: "a function".into(), actual })
        }
    }
}

pub(crate) fn is_function(cx: &mut Cx<'_>, v: u64, _ty: u32) -> bool {
    let base = cx.vm.virtual_base(v);
    matches!(cx.vm.heap.get(handle(base)), Some(Obj::Closure { .. }) | Some(Obj::VarArgs { .. }))
}

/// A Haxe function value: a closure, a method bound to its object, a static function,
/// or a Rust closure made with [`crate::Vm::function`].
#[derive(Clone)]
pub struct Function(Value);

impl Function {
    pub(crate) fn from_value(v: Value) -> Function {
        Function(v)
    }

    /// The function as a [`Value`].
    pub fn value(&self) -> &Value {
        &self.0
    }

    /// Calls the function.
    ///
    /// # Errors
    /// [`Error::ArgumentCount`], [`Error::TypeMismatch`] for arguments and result,
    /// [`Error::Exception`] when Haxe code throws.
    pub fn call<R: FromHl>(&self, args: impl Args) -> Result<R> {
        self.0.with(|cx, c| call_closure(cx, c, args, &|| "function".to_string()))
    }

    /// Number of parameters the function declares (`None` for variadic functions).
    pub fn arity(&self) -> Option<usize> {
        self.0
            .with(|cx, c| {
                let base = cx.vm.virtual_base(c);
                Ok(match cx.vm.heap.get(handle(base)) {
                    Some(Obj::Closure { fun, bound, .. }) => {
                        let (fun, bound) = (*fun, bound.get());
                        signature(cx, fun).ok().map(|s| s.params.len() - bound.is_some() as usize)
                    }
                    _ => None,
                })
            })
            .ok()
            .flatten()
    }
}

impl fmt::Debug for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Function({:?})", self.0)
    }
}

/// A static function resolved once ([`crate::Vm::static_fn`]): calls skip every name
/// lookup. `A` is the argument tuple, `R` the result.
///
/// Calls whose arguments and result are scalars of the function's exact types (`i32`
/// for `Int`, `f64` for `Float`, `bool`, `f32`, `i64`; `()` for no arguments or a
/// discarded result), made by the thread that owns the VM outside any other call
/// while no Haxe thread runs, take a short way: no conversion, and the function's
/// compiled code (once the JIT compiled it) is entered directly. Same results and
/// errors either way; `scripts/bench-api.sh` measures it.
pub struct StaticFn<A, R> {
    shared: Arc<Shared>,
    findex: u32,
    sig: Signature,
    name: Arc<str>,
    _types: PhantomData<fn(A) -> R>,
}

impl<A: Args, R: FromHl> StaticFn<A, R> {
    pub(crate) fn new(shared: Arc<Shared>, findex: u32, sig: Signature, name: String) -> Self {
        StaticFn { shared, findex, sig, name: name.into(), _types: PhantomData }
    }

    /// Calls the function.
    ///
    /// # Errors
    /// [`Error::TypeMismatch`] / [`Error::NullValue`] for arguments and result,
    /// [`Error::Exception`] when Haxe code throws.
    pub fn call(&self, args: A) -> Result<R> {
        let fast = call_fast(&self.shared, |p, buf| buf.put(None, &args, &self.sig.params, p).then_some((self.findex, self.sig.ret)));
        if let Some(r) = fast {
            return r;
        }
        let name = &self.name;
        self.shared.with(|cx| call_raw(cx, self.findex, None, args, &self.sig.params, self.sig.ret, &|| name.to_string()))
    }
}

impl<A, R> Clone for StaticFn<A, R> {
    fn clone(&self) -> Self {
        StaticFn { shared: self.shared.clone(), findex: self.findex, sig: self.sig.clone(), name: self.name.clone(), _types: PhantomData }
    }
}

impl<A, R> fmt::Debug for StaticFn<A, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StaticFn({})", self.name)
    }
}

/// An instance method resolved once ([`crate::Vm::method_fn`]): calls dispatch on
/// the receiver's class (overrides win) without string lookups.
pub struct MethodFn<A, R> {
    shared: Arc<Shared>,
    class: u32,
    hash: i32,
    /// Function type the handle was resolved with (a reload may change it).
    fun_type: u32,
    params: Vec<u32>,
    ret: u32,
    name: Arc<str>,
    _types: PhantomData<fn(A) -> R>,
}

impl<A: Args, R: FromHl> MethodFn<A, R> {
    pub(crate) fn new(shared: Arc<Shared>, class: u32, hash: i32, fun_type: u32, sig: Signature, name: String) -> Self {
        let params = sig.params.get(1..).unwrap_or(&[]).to_vec();
        MethodFn { shared, class, hash, fun_type, params, ret: sig.ret, name: name.into(), _types: PhantomData }
    }

    /// Calls the method on `this`, which must be an instance of the class the method
    /// was resolved on (or of a subclass).
    ///
    /// # Errors
    /// [`Error::TypeMismatch`] when `this` is of another class; as [`StaticFn::call`].
    pub fn call(&self, this: &Object, args: A) -> Result<R> {
        let name = &self.name;
        this.value().with(|cx, o| {
            cx.own(this.value())?;
            let base = cx.vm.virtual_base(o);
            let f = match cx.vm.heap.get(handle(base)) {
                Some(Obj::Instance { ty, .. }) if cx.vm.obj_inherits(*ty, self.class) => {
                    let ty = *ty;
                    cx.vm.rt_obj(ty).and_then(|rt| rt.methods.get(&self.hash).copied())
                }
                None => return Err(Error::NullValue { what: format!("receiver of {name}"), expected: cx.hx_name(self.class) }),
                _ => None,
            };
            let Some(f) = f else {
                let actual = cx.value_type_name(o, this.value().ty());
                return Err(Error::TypeMismatch { what: format!("receiver of {name}"), expected: cx.hx_name(self.class), actual });
            };
            if cx.vm.fun_type(f) == Some(self.fun_type) {
                return call_raw(cx, f, Some(base), args, &self.params, self.ret, &|| name.to_string());
            }
            // A subclass override or a reload gave the method another signature: check
            // the arguments and result against the one that runs, as a call by name does.
            let sig = signature(cx, f)?;
            let params = sig.params.get(1..).unwrap_or(&[]).to_vec();
            call_raw(cx, f, Some(base), args, &params, sig.ret, &|| name.to_string())
        })
    }
}

impl<A, R> Clone for MethodFn<A, R> {
    fn clone(&self) -> Self {
        MethodFn {
            shared: self.shared.clone(),
            class: self.class,
            hash: self.hash,
            fun_type: self.fun_type,
            params: self.params.clone(),
            ret: self.ret,
            name: self.name.clone(),
            _types: PhantomData,
        }
    }
}

impl<A, R> fmt::Debug for MethodFn<A, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MethodFn({})", self.name)
    }
}
