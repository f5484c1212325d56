//! The short way of host calls (`StaticFn::call` and `Vm::call_static` with scalar
//! arguments and result, entering compiled code directly) against the long one: same
//! results, errors, callbacks and threads. Each test makes more calls than the tiered
//! JIT's threshold, so the function is compiled part-way (and from the first call under
//! `HLVM_JIT=eager`; never under `HLVM_JIT=0`, where every call is interpreted).
//! Programs: `haxe-tests/api/callbacks/Main.hx` and `haxe-tests/api/thread/Main.hx`.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use haxe_tests::api_program;
use hlffi::{Error, StaticFn, Vm};

/// More calls than `hlvm`'s tiered threshold (5,000 calls).
const CALLS: i32 = 12_000;

/// The callbacks program, its natives answering 0 except `reenter`, which calls
/// `Main.double` through the handle in `double` (set after the load).
fn callbacks_vm(double: Rc<RefCell<Option<StaticFn<(i32,), i32>>>>) -> Vm {
    let mut vm = Vm::new();
    vm.register_native("game", "reenter", move |(n,): (i32,)| -> hlffi::Result<i32> {
        let f = double.borrow().clone().ok_or_else(|| Error::InvalidArgument("not set".into()))?;
        Ok(f.call((n,))? + 1)
    });
    for name in ["add", "log", "scale", "fail", "spawn"] {
        vm.register_native("game", name, |(): ()| 0);
    }
    vm.load_file(api_program("callbacks")).unwrap();
    vm.call_entry().unwrap();
    vm
}

#[test]
fn cached_and_named_calls_return_the_same_values_before_and_after_compiling() {
    let vm = callbacks_vm(Rc::default());
    let double = vm.static_fn::<(i32,), i32>("Main", "double").unwrap();
    for n in 0..CALLS {
        assert_eq!(double.call((n,)).unwrap(), n * 2);
        assert_eq!(vm.call_static::<i32>("Main", "double", (n - CALLS,)).unwrap(), (n - CALLS) * 2);
    }
    // Int overflow wraps as in Haxe, on both ways.
    assert_eq!(double.call((i32::MAX,)).unwrap(), -2);
    // Arguments or results of other types take the long way, with its conversions.
    assert_eq!(vm.call_static::<f64>("Main", "double", (21,)).unwrap(), 42.0);
    assert_eq!(vm.call_static::<Option<i32>>("Main", "double", (4,)).unwrap(), Some(8));
    let e = vm.call_static::<i32>("Main", "double", (1.5,)).unwrap_err();
    assert!(matches!(e, Error::TypeMismatch { .. }), "{e}");
    let e = vm.call_static::<i32>("Main", "double", (1, 2)).unwrap_err();
    assert!(matches!(e, Error::ArgumentCount { .. }), "{e}");
}

#[test]
fn exceptions_become_errors_and_leave_the_vm_usable() {
    let vm = callbacks_vm(Rc::default());
    // `Main.transform` is null: calling it throws.
    let apply = vm.static_fn::<(i32,), i32>("Main", "applyTransform").unwrap();
    for n in 0..CALLS {
        let e = apply.call((n,)).unwrap_err();
        assert!(matches!(e, Error::Exception { .. }), "call {n}: {e}");
        let e = vm.call_static::<i32>("Main", "applyTransform", (n,)).unwrap_err();
        assert!(matches!(e, Error::Exception { .. }), "call {n}: {e}");
    }
    let double = vm.static_fn::<(i32,), i32>("Main", "double").unwrap();
    assert_eq!(double.call((5,)).unwrap(), 10);
}

#[test]
fn callbacks_inside_short_calls_can_call_back_into_haxe() {
    let slot: Rc<RefCell<Option<StaticFn<(i32,), i32>>>> = Rc::default();
    let vm = callbacks_vm(slot.clone());
    *slot.borrow_mut() = Some(vm.static_fn("Main", "double").unwrap());
    // `Main.transform` is a Rust closure reading a Haxe static through the VM.
    let vm_in: Rc<RefCell<Option<hlffi::Function>>> = Rc::default();
    let add_one = vm.function("addOne", |(x,): (i32,)| x + 1).unwrap();
    vm.set_static("Main", "transform", &add_one).unwrap();
    *vm_in.borrow_mut() = Some(add_one);
    let apply = vm.static_fn::<(i32,), i32>("Main", "applyTransform").unwrap();
    // `Main.reenter(n)` calls the native `reenter`, which calls `Main.double(n)` through
    // a cached handle from inside the first call (a nested call takes the long way).
    let reenter = vm.static_fn::<(i32,), i32>("Main", "reenter").unwrap();
    for n in 0..CALLS {
        assert_eq!(apply.call((n,)).unwrap(), n + 1);
        assert_eq!(reenter.call((n,)).unwrap(), n * 2 + 1);
    }
    // The handles stay usable from the top level afterwards.
    assert_eq!(vm.call_static::<i32>("Main", "reenter", (7,)).unwrap(), 15);
    drop(vm_in);
}

#[test]
fn a_thread_started_by_a_short_call_runs_between_host_calls() {
    let mut vm = Vm::new();
    vm.load_file(api_program("thread")).unwrap();
    vm.call_entry().unwrap();
    let incr = vm.static_fn::<(), i32>("Main", "incr").unwrap();
    let first = incr.call(()).unwrap();
    for i in 1..CALLS {
        assert_eq!(incr.call(()).unwrap(), first + i);
    }
    // `startWorker()`: no arguments, no result, so the short way; it starts a thread,
    // after which the host thread must leave the VM between its calls.
    vm.static_fn::<(), ()>("Main", "startWorker").unwrap().call(()).unwrap();
    let send = vm.static_fn::<(i32,), ()>("Main", "send").unwrap();
    for v in 1..=10 {
        send.call((v,)).unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while vm.get_static::<i32>("Main", "fromWorker").unwrap() != 55 {
        assert!(Instant::now() < deadline, "the Haxe thread did not run");
        std::thread::sleep(Duration::from_millis(2));
    }
    send.call((-1,)).unwrap();
    assert_eq!(incr.call(()).unwrap(), first + CALLS);
}
