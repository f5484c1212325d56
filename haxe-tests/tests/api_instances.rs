//! Instances through the `hlffi` API: construction, fields, methods, inheritance,
//! interfaces and structures, against `haxe-tests/api/instances/Main.hx`.

use haxe_tests::api_vm;
use hlffi::{Error, Function, Object, ValueKind};

#[test]
fn constructs_and_uses_instances() {
    let (vm, _) = api_vm("instances");
    let e: Object = vm.new_instance("Entity", ("orc", 30)).unwrap();
    assert_eq!(e.class_name(), "Entity");
    assert_eq!(e.get::<String>("name").unwrap(), "orc");
    assert_eq!(e.get::<i32>("hp").unwrap(), 30);
    assert_eq!(e.call::<i32>("damage", (12,)).unwrap(), 18);
    e.set("hp", 5).unwrap();
    assert_eq!(e.call::<String>("describe", ()).unwrap(), "orc(5)");
    e.call::<()>("rename", ("goblin",)).unwrap();
    assert_eq!(e.get::<String>("name").unwrap(), "goblin");
    assert_eq!(vm.call_static::<String>("Main", "describeEntity", (&e,)).unwrap(), "goblin(5)");
    assert_eq!(e.field_names(), ["name", "hp", "tags", "onHit"]);
    assert!(e.has_field("damage") && e.has_field("hp") && !e.has_field("mana"));
    // A class without a constructor.
    let empty = vm.new_instance("Empty", ()).unwrap();
    assert_eq!(empty.class_name(), "Empty");
}

#[test]
fn inheritance_and_overrides() {
    let (vm, _) = api_vm("instances");
    let p = vm.new_instance("Player", ("ada",)).unwrap();
    assert_eq!(p.get::<i32>("hp").unwrap(), 100, "inherited field set by the super constructor");
    assert_eq!(p.call::<String>("describe", ()).unwrap(), "Player ada(100)", "override wins");
    assert_eq!(p.call::<i32>("damage", (1,)).unwrap(), 99, "inherited method");
    assert_eq!(p.call::<f64>("addScore", (2.5,)).unwrap(), 2.5);
    assert!(p.is_instance_of("Player").unwrap());
    assert!(p.is_instance_of("Entity").unwrap());
    assert!(!p.is_instance_of("Empty").unwrap());
    assert_eq!(p.is_instance_of("Nope").unwrap_err().to_string(), "type not found: Nope");
    // Through the base class's static signature, and through an interface.
    assert_eq!(vm.call_static::<String>("Main", "describeEntity", (&p,)).unwrap(), "Player ada(99)");
    assert_eq!(vm.call_static::<f64>("Main", "areaOf", (&p,)).unwrap(), 2.5);
    let e = vm.new_instance("Entity", ("x", 1)).unwrap();
    // As in HashLink, an object seen through an interface it lacks fails on use, with
    // HashLink's message (checked with HashLink 1.17, passing `new Entity` as a `Shape`
    // through `Dynamic`).
    let err = vm.call_static::<f64>("Main", "areaOf", (&e,)).unwrap_err();
    assert_eq!(err.to_string(), "Uncaught exception: Entity has no method area");
    // Statics hold instances created by main().
    let hero: Object = vm.get_static("Main", "hero").unwrap();
    assert_eq!(hero.get::<String>("name").unwrap(), "hero");
}

#[test]
fn cached_method_handles_dispatch_virtually() {
    let (vm, _) = api_vm("instances");
    let describe = vm.method_fn::<(), String>("Entity", "describe").unwrap();
    let e = vm.new_instance("Entity", ("e", 1)).unwrap();
    let p = vm.new_instance("Player", ("p",)).unwrap();
    assert_eq!(describe.call(&e, ()).unwrap(), "e(1)");
    assert_eq!(describe.call(&p, ()).unwrap(), "Player p(100)");
    let damage = vm.method_fn::<(i32,), i32>("Entity", "damage").unwrap();
    assert_eq!(damage.call(&p, (50,)).unwrap(), 50);
    let empty = vm.new_instance("Empty", ()).unwrap();
    let err = describe.call(&empty, ()).unwrap_err();
    assert_eq!(err.to_string(), "receiver of Entity.describe: expected Entity, got Empty");
    assert_eq!(vm.method_fn::<(), i32>("Entity", "nope").unwrap_err().to_string(), "Entity has no method nope");
    assert_eq!(vm.method_fn::<(), i32>("Entity", "damage").unwrap_err().to_string(), "Entity.damage takes 1 argument(s), 0 given");
}

#[test]
fn misuse_gives_exact_errors() {
    let (vm, _) = api_vm("instances");
    let e = vm.new_instance("Entity", ("orc", 30)).unwrap();
    assert_eq!(e.get::<i32>("mana").unwrap_err().to_string(), "Entity has no field mana");
    assert_eq!(e.set("mana", 1).unwrap_err().to_string(), "Entity has no field mana");
    assert_eq!(e.call::<i32>("fly", ()).unwrap_err().to_string(), "Entity has no method fly");
    assert_eq!(e.set("hp", "lots").unwrap_err().to_string(), "field hp: expected Int, got String");
    assert_eq!(e.get::<i32>("name").unwrap_err().to_string(), "field name: expected Int, got String");
    assert_eq!(e.call::<i32>("damage", ()).unwrap_err().to_string(), "Entity.damage takes 1 argument(s), 0 given");
    assert_eq!(e.call::<i32>("damage", ("x",)).unwrap_err().to_string(), "argument 1 of Entity.damage: expected Int, got String");
    assert_eq!(e.set("damage", 1).unwrap_err().to_string(), "invalid argument: Entity.damage is a method, not a field");
    match e.call::<i32>("damage", (-1,)).unwrap_err() {
        Error::Exception { message, .. } => assert_eq!(message, "negative damage -1"),
        other => panic!("{other}"),
    }
    assert_eq!(e.get::<i32>("hp").unwrap(), 30, "the object is intact");
    assert_eq!(vm.new_instance("Nope", ()).unwrap_err().to_string(), "type not found: Nope");
    assert_eq!(vm.new_instance("Entity", ("a",)).unwrap_err().to_string(), "new Entity takes 2 argument(s), 1 given");
    assert_eq!(
        vm.new_instance("Entity", (1, 2)).unwrap_err().to_string(),
        "argument 1 of new Entity: expected String, got Int"
    );
    // null in a field is a null value, not a crash.
    assert_eq!(e.get::<Option<Function>>("onHit").unwrap().is_none(), true);
    assert_eq!(e.get::<Function>("onHit").unwrap_err().to_string(), "field onHit: null where a function is required");
}

#[test]
fn methods_read_as_bound_functions() {
    let (vm, _) = api_vm("instances");
    let e = vm.new_instance("Entity", ("orc", 30)).unwrap();
    let damage: Function = e.get("damage").unwrap();
    assert_eq!(damage.arity(), Some(1));
    assert_eq!(damage.call::<i32>((5,)).unwrap(), 25);
    assert_eq!(e.get::<i32>("hp").unwrap(), 25);
}

#[test]
fn structures_and_dynamic_objects() {
    let (vm, _) = api_vm("instances");
    let s: Object = vm.call_static("Main", "makeStruct", ()).unwrap();
    assert_eq!(s.value().kind(), ValueKind::Structure);
    assert_eq!(s.get::<i32>("x").unwrap(), 7);
    assert_eq!(s.get::<String>("label").unwrap(), "seven");
    s.set("x", 8).unwrap();
    assert_eq!(s.get::<i32>("x").unwrap(), 8);
    assert_eq!(s.get::<i32>("nope").unwrap_err().to_string(), "{ label : String, x : Int } has no field nope");
    let d: Object = vm.call_static("Main", "makeDynamic", ()).unwrap();
    assert_eq!(d.get::<i32>("speed").unwrap(), 3);
    assert_eq!(d.get::<String>("kind").unwrap(), "fast");
    d.set("speed", 4).unwrap();
    assert_eq!(d.get::<i32>("speed").unwrap(), 4);
    let mut names = d.field_names();
    names.sort();
    assert_eq!(names, ["kind", "speed"]);
    assert_eq!(d.get::<i32>("nope").unwrap_err().to_string(), "dynamic object has no field nope");
    // A structure type accepts any object: present fields are read, absent ones are null.
    d.set("x", 1).unwrap();
    d.set("y", 10).unwrap();
    assert_eq!(vm.call_static::<i32>("Main", "structSum", (&d,)).unwrap(), 11);
    assert_eq!(s.set("extra", 1).unwrap_err().to_string(), "{ label : String, x : Int } has no field extra");
}

#[test]
fn scalars_never_convert_to_handles() {
    // An Int's bits are never read as a reference to some other heap object.
    let (vm, _) = api_vm("instances");
    for v in [vm.to_value(1).unwrap(), vm.to_value(2.5).unwrap(), vm.to_value(true).unwrap()] {
        let e = v.get::<Object>().unwrap_err();
        assert!(matches!(e, Error::TypeMismatch { .. }), "{e:?}");
        assert!(v.get::<Function>().is_err());
        assert!(v.get::<hlffi::Array>().is_err());
    }
    let e = vm.to_value(1).unwrap().get::<Object>().unwrap_err();
    assert_eq!(e.to_string(), "value: expected an object, got Int");
}
