//! Rust called from Haxe: natives bound by name and Rust closures as Haxe function
//! values, against `haxe-tests/api/callbacks/Main.hx`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use haxe_tests::{api_program, Output};
use hlffi::{Error, Function, Object, Vm};

/// The callbacks program with every native it declares registered.
fn vm_with_natives(log: Rc<RefCell<Vec<String>>>) -> (Vm, Output) {
    let out = Output::default();
    let mut vm = Vm::builder().stdout(out.writer()).build();
    vm.register_native("game", "add", |(a, b): (i32, i32)| a + b);
    vm.register_native("game", "log", move |(msg,): (String,)| log.borrow_mut().push(msg));
    vm.register_native("game", "scale", |(x, k): (f64, f64)| x * k);
    vm.register_native("game", "fail", |(why,): (String,)| -> Result<i32, String> {
        if why == "panic" {
            panic!("deliberate panic");
        }
        Err(format!("refused: {why}"))
    });
    vm.register_native("game", "spawn", |(enemy,): (Object,)| -> hlffi::Result<i32> { enemy.call::<i32>("hit", (3,)) });
    vm.register_native("game", "reenter", |(n,): (i32,)| n);
    vm.load_file(api_program("callbacks")).unwrap();
    vm.call_entry().unwrap();
    (vm, out)
}

#[test]
fn natives_bound_by_name_receive_typed_arguments() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let (vm, _) = vm_with_natives(log.clone());
    assert_eq!(vm.call_static::<String>("Main", "useNatives", ()).unwrap(), "5 6");
    assert_eq!(*log.borrow(), ["hello from haxe"]);
    // A native receiving an object can call back into Haxe through it.
    assert_eq!(vm.call_static::<i32>("Main", "spawnEnemy", (10,)).unwrap(), 7);
}

#[test]
fn missing_natives_fail_the_load() {
    let mut vm = Vm::new();
    vm.register_native("game", "add", |(a, b): (i32, i32)| a + b);
    let e = vm.load_file(api_program("callbacks")).unwrap_err();
    assert_eq!(e.code(), 8);
    assert_eq!(
        e.to_string(),
        "cannot link module: missing native(s): game@fail, game@log, game@reenter, game@scale, game@spawn"
    );
}

#[test]
fn re_registering_replaces_a_native_after_load() {
    let (mut vm, _) = vm_with_natives(Rc::default());
    vm.register_native("game", "add", |(a, b): (i32, i32)| a * b);
    assert_eq!(vm.call_static::<String>("Main", "useNatives", ()).unwrap(), "6 6");
}

#[test]
fn callback_errors_and_panics_become_haxe_exceptions() {
    let (vm, _) = vm_with_natives(Rc::default());
    assert_eq!(
        vm.call_static::<String>("Main", "catchFailure", ("no",)).unwrap(),
        "caught callback game.fail failed: refused: no"
    );
    assert_eq!(
        vm.call_static::<String>("Main", "catchFailure", ("panic",)).unwrap(),
        "caught callback game.fail failed: panicked: deliberate panic"
    );
    match vm.call_static::<i32>("Main", "failUncaught", ("later",)).unwrap_err() {
        Error::Exception { message, stack } => {
            assert_eq!(message, "callback game.fail failed: refused: later");
            assert!(stack.iter().any(|f| f.starts_with("$Main.failUncaught")), "{stack:?}");
        }
        e => panic!("{e}"),
    }
    // The VM is fine afterwards.
    assert_eq!(vm.call_static::<String>("Main", "useNatives", ()).unwrap(), "5 6");
}

#[test]
fn rust_closures_as_haxe_functions() {
    let (vm, _) = vm_with_natives(Rc::default());
    let seen = Rc::new(Cell::new(0));
    let s = seen.clone();
    let on_event = vm
        .function("on_event", move |(x,): (i32,)| {
            s.set(s.get() + x);
            x * 10
        })
        .unwrap();
    assert_eq!(on_event.arity(), Some(1));
    // Stored in a Dynamic static and called by Haxe.
    vm.set_static("Main", "onEvent", &on_event).unwrap();
    assert_eq!(vm.call_static::<i32>("Main", "fire", (4,)).unwrap(), 40);
    assert_eq!(seen.get(), 4);
    // Stored in a typed (Int->Int) static.
    vm.set_static("Main", "transform", &on_event).unwrap();
    assert_eq!(vm.call_static::<i32>("Main", "applyTransform", (5,)).unwrap(), 50);
    // Passed as an argument to a typed parameter.
    assert_eq!(vm.call_static::<i32>("Main", "applyTo", (&on_event, 6)).unwrap(), 60);
    assert_eq!(seen.get(), 15);
    // Called from Rust, like any Haxe function.
    assert_eq!(on_event.call::<i32>((1,)).unwrap(), 10);
    // Haxe functions come back as Function handles.
    let double: Function = vm.get_static("Main", "double").unwrap();
    assert_eq!(double.call::<i32>((21,)).unwrap(), 42);
    assert_eq!(vm.call_static::<i32>("Main", "applyTo", (&double, 4)).unwrap(), 8);
}

#[test]
fn closure_argument_mismatches_are_haxe_exceptions() {
    let (vm, _) = vm_with_natives(Rc::default());
    let takes_two = vm.function("pair", |(s, n): (String, i32)| format!("{s}{n}")).unwrap();
    assert_eq!(vm.call_static::<String>("Main", "callWith2", (&takes_two,)).unwrap(), "two2");
    let wants_int = vm.function("wants_int", |(n,): (i32,)| n).unwrap();
    vm.set_static("Main", "onEvent", &wants_int).unwrap();
    assert_eq!(vm.call_static::<i32>("Main", "fire", (3,)).unwrap(), 3);
    let wants_string = vm.function("wants_string", |(s,): (String,)| s.len() as i32).unwrap();
    vm.set_static("Main", "onEvent", &wants_string).unwrap();
    let e = vm.call_static::<i32>("Main", "fire", (3,)).unwrap_err();
    assert_eq!(e.to_string(), "Uncaught exception: callback wants_string failed: argument 1 of wants_string: expected String, got Int");
    // A call through Dynamic drops extra arguments (as HashLink does), so `wants_int`
    // receives "two" as its one argument.
    let e = vm.call_static::<String>("Main", "callWith2", (&wants_int,)).unwrap_err();
    assert_eq!(e.to_string(), "Uncaught exception: callback wants_int failed: argument 1 of wants_int: expected Int, got String");
}

#[test]
fn callbacks_can_reenter_haxe() {
    let out = Output::default();
    let mut vm = Vm::builder().stdout(out.writer()).build();
    // `reenter(n)` calls back into Haxe, which calls `reenter(n - 1)`, down to 0.
    let depth = Rc::new(Cell::new(0));
    let vm_slot: Rc<RefCell<Option<Function>>> = Rc::default();
    let (d, slot) = (depth.clone(), vm_slot.clone());
    vm.register_native("game", "reenter", move |(n,): (i32,)| -> hlffi::Result<i32> {
        d.set(d.get().max(n));
        if n == 0 {
            return Ok(0);
        }
        let f = slot.borrow().clone().ok_or_else(|| Error::InvalidArgument("not set".into()))?;
        Ok(1 + f.call::<i32>((n - 1,))?)
    });
    for name in ["add", "log", "scale", "fail", "spawn"] {
        vm.register_native("game", name, |(): ()| 0);
    }
    vm.load_file(api_program("callbacks")).unwrap();
    vm.call_entry().unwrap();
    *vm_slot.borrow_mut() = Some(vm.get_static("Main", "reenter").unwrap());
    assert_eq!(vm.call_static::<i32>("Main", "reenter", (20,)).unwrap(), 20);
    assert_eq!(depth.get(), 20);
}

#[test]
fn functions_need_a_loaded_module() {
    let vm = Vm::new();
    assert_eq!(vm.function("f", |(): ()| 1).unwrap_err().to_string(), "no module loaded");
}
