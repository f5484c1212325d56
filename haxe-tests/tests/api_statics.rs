//! Statics and value conversions through the `hlffi` API, against
//! `haxe-tests/api/statics/Main.hx` compiled by `haxe`.

use hlffi::{Error, Object, Value, ValueKind};
use haxe_tests::api_vm;

#[test]
fn calls_static_methods_with_every_primitive() {
    let (vm, _) = api_vm("statics");
    assert_eq!(vm.call_static::<i32>("Main", "add", (2, 40)).unwrap(), 42);
    assert_eq!(vm.call_static::<i32>("Main", "add", (i32::MAX, 1)).unwrap(), i32::MIN);
    assert_eq!(vm.call_static::<f64>("Main", "half", (5.0,)).unwrap(), 2.5);
    // An Int widens to a Float parameter, and an Int result to f64.
    assert_eq!(vm.call_static::<f64>("Main", "half", (3,)).unwrap(), 1.5);
    assert_eq!(vm.call_static::<f64>("Main", "add", (1, 2)).unwrap(), 3.0);
    assert!(!vm.call_static::<bool>("Main", "negate", (true,)).unwrap());
    assert_eq!(vm.call_static::<String>("Main", "greet", ("Ada",)).unwrap(), "Hello, Ada (3)");
    assert_eq!(vm.call_static::<String>("Main", "greet", (String::from("héllo ✓"),)).unwrap(), "Hello, héllo ✓ (7)");
    assert_eq!(vm.call_static::<String>("Main", "mix", (1, 2.5, "x", false)).unwrap(), "1|2.5|x|false");
    assert_eq!(vm.call_static::<i32>("Main", "wide", (1, 1, 1, 1, 1, 1, 1, 1)).unwrap(), 36);
    assert_eq!(vm.call_static::<i64>("Main", "big", (1i64 << 40,)).unwrap(), 1i64 << 41);
    assert_eq!(vm.call_static::<f64>("Main", "useSingle", (1.25f32,)).unwrap(), 2.5);
    vm.call_static::<()>("Main", "bump", ()).unwrap();
    // A result can be discarded with `()`.
    vm.call_static::<()>("Main", "add", (1, 1)).unwrap();
}

#[test]
fn nullable_values_map_to_option() {
    let (vm, _) = api_vm("statics");
    assert_eq!(vm.call_static::<String>("Main", "describe", (Some(4),)).unwrap(), "some 4");
    assert_eq!(vm.call_static::<String>("Main", "describe", (None::<i32>,)).unwrap(), "none");
    assert_eq!(vm.call_static::<Option<String>>("Main", "maybeName", (true,)).unwrap().as_deref(), Some("named"));
    assert_eq!(vm.call_static::<Option<String>>("Main", "maybeName", (false,)).unwrap(), None);
    let e = vm.call_static::<String>("Main", "maybeName", (false,)).unwrap_err();
    assert_eq!(e.to_string(), "return value of Main.maybeName: null where String is required");
    assert!(matches!(e, Error::NullValue { .. }));
    assert_eq!(e.code(), 18);
    let e = vm.call_static::<i32>("Main", "add", (None::<i32>, 1)).unwrap_err();
    assert_eq!(e.to_string(), "argument 1 of Main.add: null where Int is required");
}

#[test]
fn reads_and_writes_static_variables() {
    let (vm, _) = api_vm("statics");
    assert_eq!(vm.get_static::<i32>("Main", "counter").unwrap(), 1, "main() set it");
    vm.set_static("Main", "counter", 10).unwrap();
    vm.call_static::<()>("Main", "bump", ()).unwrap();
    assert_eq!(vm.get_static::<i32>("Main", "counter").unwrap(), 11);

    assert_eq!(vm.get_static::<String>("Main", "title").unwrap(), "game");
    vm.set_static("Main", "title", "renamed").unwrap();
    assert_eq!(vm.get_static::<String>("Main", "title").unwrap(), "renamed");
    assert_eq!(vm.get_static::<f64>("Main", "ratio").unwrap(), 0.5);
    assert!(vm.get_static::<bool>("Main", "enabled").unwrap());
    assert_eq!(vm.get_static::<f32>("Main", "single").unwrap(), 1.5);
    assert_eq!(vm.get_static::<Option<i32>>("Main", "maybe").unwrap(), None);
    vm.set_static("Main", "maybe", 5).unwrap();
    assert_eq!(vm.get_static::<Option<i32>>("Main", "maybe").unwrap(), Some(5));
    vm.set_static("Main", "maybe", None::<i32>).unwrap();
    assert_eq!(vm.get_static::<Option<i32>>("Main", "maybe").unwrap(), None);

    // Dynamic holds anything; Haxe sees the run-time type.
    vm.set_static("Main", "anything", 3).unwrap();
    assert_eq!(vm.call_static::<String>("Main", "typeOf", (vm.get_static::<Value>("Main", "anything").unwrap(),)).unwrap(), "TInt");
    vm.set_static("Main", "anything", "text").unwrap();
    assert_eq!(vm.get_static::<String>("Main", "anything").unwrap(), "text");
    vm.set_static("Main", "anything", 2.5).unwrap();
    assert_eq!(vm.call_static::<String>("Main", "typeOf", (2.5,)).unwrap(), "TFloat");
    assert_eq!(vm.get_static::<f64>("Main", "anything").unwrap(), 2.5);

    let p: Object = vm.get_static("Main", "point").unwrap();
    assert_eq!(p.get::<f64>("y").unwrap(), 2.0);
}

#[test]
fn type_mismatches_name_both_types() {
    let (vm, _) = api_vm("statics");
    let e = vm.call_static::<i32>("Main", "add", ("one", 2)).unwrap_err();
    assert_eq!(e.to_string(), "argument 1 of Main.add: expected Int, got String");
    assert_eq!(e.code(), 17);
    let e = vm.call_static::<i32>("Main", "add", (1, 2.5)).unwrap_err();
    assert_eq!(e.to_string(), "argument 2 of Main.add: expected Int, got Float");
    let e = vm.call_static::<String>("Main", "add", (1, 2)).unwrap_err();
    assert_eq!(e.to_string(), "return value of Main.add: expected String, got Int");
    let e = vm.call_static::<bool>("Main", "greet", ("x",)).unwrap_err();
    assert_eq!(e.to_string(), "return value of Main.greet: expected Bool, got String");
    let e = vm.set_static("Main", "counter", "ten").unwrap_err();
    assert_eq!(e.to_string(), "field Main.counter: expected Int, got String");
    let e = vm.get_static::<i32>("Main", "title").unwrap_err();
    assert_eq!(e.to_string(), "field Main.title: expected Int, got String");
    let p: Value = vm.get_static("Main", "point").unwrap();
    let e = vm.call_static::<String>("Main", "greet", (&p,)).unwrap_err();
    assert_eq!(e.to_string(), "argument 1 of Main.greet: expected String, got Point");
    assert_eq!(vm.get_static::<i32>("Main", "counter").unwrap(), 1, "failed writes change nothing");
}

#[test]
fn unknown_names_and_wrong_arity_are_errors() {
    let (vm, _) = api_vm("statics");
    let e = vm.call_static::<i32>("Nope", "add", (1, 2)).unwrap_err();
    assert_eq!(e.to_string(), "type not found: Nope");
    assert_eq!(e.code(), 11);
    let e = vm.call_static::<i32>("Main", "nope", ()).unwrap_err();
    assert_eq!(e.to_string(), "Main has no method nope");
    assert_eq!(e.code(), 12);
    let e = vm.get_static::<i32>("Main", "nope").unwrap_err();
    assert_eq!(e.to_string(), "Main has no field nope");
    assert_eq!(e.code(), 13);
    let e = vm.set_static("Main", "add", 1).unwrap_err();
    assert_eq!(e.to_string(), "Main has no field add");
    let e = vm.call_static::<i32>("Main", "add", (1,)).unwrap_err();
    assert_eq!(e.to_string(), "Main.add takes 2 argument(s), 1 given");
    assert_eq!(e.code(), 30);
    let e = vm.call_static::<i32>("Main", "add", (1, 2, 3)).unwrap_err();
    assert!(matches!(e, Error::ArgumentCount { expected: 2, given: 3, .. }), "{e}");
}

#[test]
fn haxe_exceptions_surface_and_leave_the_vm_usable() {
    let (vm, _) = api_vm("statics");
    match vm.call_static::<i32>("Main", "fail", ("bad move",)).unwrap_err() {
        Error::Exception { message, stack } => {
            assert_eq!(message, "bad move");
            let src = std::fs::read_to_string(haxe_tests::api_programs_dir().join("statics/Main.hx")).unwrap();
            let line = src.lines().position(|l| l.trim() == "throw msg;").unwrap() + 1;
            assert_eq!(stack.first(), Some(&format!("$Main.fail(Main.hx:{line})")), "{stack:?}");
        }
        e => panic!("expected an exception, got {e}"),
    }
    let e = vm.call_static::<i32>("Main", "failObject", ()).unwrap_err();
    assert_eq!(e.to_string(), "Uncaught exception: structured failure");
    assert_eq!(e.code(), 15);
    let e = vm.call_static::<i32>("Main", "divide", (1, 0)).unwrap_err();
    assert!(matches!(&e, Error::Exception { message, .. } if message == "division by zero"), "{e}");
    // The VM still works, with its state.
    assert_eq!(vm.call_static::<i32>("Main", "divide", (9, 3)).unwrap(), 3);
    assert_eq!(vm.get_static::<i32>("Main", "counter").unwrap(), 1);
}

#[test]
fn cached_static_handles_call_without_lookups() {
    let (vm, _) = api_vm("statics");
    let add = vm.static_fn::<(i32, i32), i32>("Main", "add").unwrap();
    let inc = vm.static_fn::<(i32,), i32>("Main", "inc").unwrap();
    let mut n = 0;
    for _ in 0..1000 {
        n = inc.call((n,)).unwrap();
    }
    assert_eq!(n, 1000);
    assert_eq!(add.call((n, 1)).unwrap(), 1001);
    let greet = vm.static_fn::<(&str,), String>("Main", "greet").unwrap();
    assert_eq!(greet.call(("x",)).unwrap(), "Hello, x (1)");
    let e = vm.static_fn::<(i32,), i32>("Main", "add").unwrap_err();
    assert_eq!(e.to_string(), "Main.add takes 2 argument(s), 1 given");
    let e = vm.static_fn::<(), i32>("Main", "counter").unwrap_err();
    assert_eq!(e.to_string(), "Main has no method counter");
    let fail = vm.static_fn::<(&str,), i32>("Main", "fail").unwrap();
    assert!(matches!(fail.call(("x",)), Err(Error::Exception { .. })));
    let wrong = vm.static_fn::<(&str, i32), i32>("Main", "add").unwrap();
    assert_eq!(wrong.call(("a", 1)).unwrap_err().to_string(), "argument 1 of Main.add: expected Int, got String");
}

#[test]
fn values_know_their_kind_and_type() {
    let (vm, _) = api_vm("statics");
    let v = vm.to_value(42).unwrap();
    assert_eq!(v.kind(), ValueKind::Int);
    assert_eq!(v.type_name(), "Int");
    assert_eq!(v.get::<i32>().unwrap(), 42);
    assert_eq!(v.get::<f64>().unwrap(), 42.0);
    assert_eq!(v.get::<String>().unwrap_err().to_string(), "value: expected String, got Int");
    let s = vm.to_value("hey").unwrap();
    assert_eq!((s.kind(), s.type_name().as_str()), (ValueKind::String, "String"));
    assert_eq!(s.to_haxe_string().unwrap(), "hey");
    let p: Value = vm.call_static("Main", "makePoint", (1.5, 2.0)).unwrap();
    assert_eq!((p.kind(), p.type_name().as_str()), (ValueKind::Object, "Point"));
    assert_eq!(vm.call_static::<f64>("Main", "pointSum", (&p,)).unwrap(), 3.5);
    let n = vm.null().unwrap();
    assert!(n.is_null());
    assert_eq!(n.kind(), ValueKind::Null);
    // Objects are nullable in Haxe: null goes through, and Haxe reports the access.
    let e = vm.call_static::<f64>("Main", "pointSum", (&n,)).unwrap_err();
    assert_eq!(e.to_string(), "Uncaught exception: Null access .x");
    // Values can be passed where Dynamic is expected, keeping their type.
    assert!(vm.call_static::<bool>("Main", "isPoint", (&p,)).unwrap());
    assert!(!vm.call_static::<bool>("Main", "isPoint", (1,)).unwrap());
    assert!(vm.to_value(1).unwrap().same_as(&vm.to_value(1).unwrap()));
}

#[test]
fn calls_before_the_entrypoint_are_refused() {
    let (vm, _) = haxe_tests::api_vm_loaded("statics");
    let e = vm.call_static::<i32>("Main", "add", (1, 2)).unwrap_err();
    assert_eq!(e.to_string(), "the entrypoint has not run yet (call call_entry first)");
    assert!(matches!(vm.get_static::<i32>("Main", "counter"), Err(Error::EntryNotCalled)));
}

#[test]
fn handles_keep_values_alive_across_collections() {
    let (vm, _) = api_vm("statics");
    let before = vm.root_count();
    let points: Vec<Object> = (0..200).map(|i| vm.call_static("Main", "makePoint", (i as f64, 1.0)).unwrap()).collect();
    assert_eq!(vm.root_count(), before + 200);
    for _ in 0..3 {
        vm.collect_garbage();
        // Churn: allocate garbage in Haxe.
        for i in 0..200 {
            let _ = vm.call_static::<String>("Main", "greet", (format!("n{i}"),)).unwrap();
        }
    }
    for (i, p) in points.iter().enumerate() {
        assert_eq!(p.get::<f64>("x").unwrap(), i as f64);
    }
    let clone = points[5].clone();
    drop(points);
    assert_eq!(vm.root_count(), before + 1, "clones share one root");
    vm.collect_garbage();
    assert_eq!(clone.get::<f64>("x").unwrap(), 5.0);
    drop(clone);
    assert_eq!(vm.root_count(), before);
}

#[test]
fn handles_outliving_the_vm_report_it() {
    let (vm, _) = api_vm("statics");
    let p: Object = vm.call_static("Main", "makePoint", (1.0, 2.0)).unwrap();
    drop(vm);
    assert!(matches!(p.get::<f64>("x"), Err(Error::VmDropped)));
    assert_eq!(Error::VmDropped.code(), 1);
}
