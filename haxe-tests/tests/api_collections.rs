//! Arrays, maps, bytes, enums, abstracts and type reflection through the `hlffi`
//! API, against `haxe-tests/api/collections/Main.hx`.

use std::collections::HashMap;

use haxe_tests::api_vm;
use hlffi::{Array, ArrayKind, Bytes, EnumValue, Map, MapKind, Object, TypeKind, Value, ValueKind};

#[test]
fn vecs_become_haxe_arrays_and_back() {
    let (vm, _) = api_vm("collections");
    assert_eq!(vm.call_static::<i32>("Main", "sum", (vec![1, 2, 3, 4],)).unwrap(), 10);
    assert_eq!(vm.call_static::<f64>("Main", "sumF", (vec![0.25, 0.5],)).unwrap(), 0.75);
    assert_eq!(vm.call_static::<String>("Main", "join", (vec!["x", "y"],)).unwrap(), "x,y");
    assert_eq!(vm.call_static::<String>("Main", "join", (Vec::<String>::new(),)).unwrap(), "");
    assert_eq!(vm.call_static::<Vec<i32>>("Main", "range", (5,)).unwrap(), [0, 1, 4, 9, 16]);
    assert_eq!(vm.get_static::<Vec<String>>("Main", "names").unwrap(), ["a", "b", "c"]);
    assert_eq!(vm.get_static::<Vec<f64>>("Main", "weights").unwrap(), [0.5, 1.5]);
    let items: Vec<Object> = vm.get_static("Main", "items").unwrap();
    assert_eq!(items.iter().map(|o| o.get::<i32>("id").unwrap()).collect::<Vec<_>>(), [1, 2]);
    // Objects go back in, in a new array.
    let item = vm.new_instance("Item", (9,)).unwrap();
    assert_eq!(vm.call_static::<String>("Main", "ids", (vec![item.clone(), items[0].clone()],)).unwrap(), "9,1");
    let e = vm.call_static::<i32>("Main", "sum", (vec!["a"],)).unwrap_err();
    assert_eq!(e.to_string(), "argument 1 of Main.sum, array element 0: expected Int, got String");
    let e = vm.get_static::<Vec<i32>>("Main", "names").unwrap_err();
    assert_eq!(e.to_string(), "field Main.names, array element 0: expected Int, got String");
    let e = vm.call_static::<Vec<i32>>("Main", "sum", (vec![1],)).unwrap_err();
    assert_eq!(e.to_string(), "return value of Main.sum: expected Array, got Int");
}

#[test]
fn array_handles_edit_haxe_arrays_in_place() {
    let (vm, _) = api_vm("collections");
    let scores: Array = vm.get_static("Main", "scores").unwrap();
    assert_eq!((scores.len(), scores.kind()), (3, ArrayKind::Int));
    assert_eq!(scores.push(10).unwrap(), 4);
    scores.set(0, 100).unwrap();
    assert_eq!(vm.call_static::<i32>("Main", "scoresLength", ()).unwrap(), 4, "Haxe sees the push");
    assert_eq!(vm.call_static::<i32>("Main", "sum", (&scores,)).unwrap(), 115);
    assert_eq!(scores.get::<i32>(3).unwrap(), 10);
    assert_eq!(scores.iter::<i32>().collect::<Result<Vec<_>, _>>().unwrap(), [100, 2, 3, 10]);
    assert_eq!(scores.with_i32_slice(|s| s.iter().sum::<i32>()).unwrap(), 115);
    scores.with_bytes_mut(|b| b[0] = 1).unwrap();
    assert_eq!(scores.get::<i32>(0).unwrap(), 1);
    assert_eq!(scores.get::<i32>(9).unwrap_err().to_string(), "invalid argument: index 9 out of range (length 4)");
    assert_eq!(scores.push("x").unwrap_err().to_string(), "array element 4: expected Int, got String");
    assert_eq!(
        scores.with_f64_slice(|_| ()).unwrap_err().to_string(),
        "array: expected Array<Float>, got Array<Int>"
    );
    // Setting past the end grows the array, as in Haxe.
    scores.set(6, 7).unwrap();
    assert_eq!(scores.to_vec::<i32>().unwrap(), [1, 2, 3, 10, 0, 0, 7]);

    let names: Array = vm.get_static("Main", "names").unwrap();
    assert_eq!(names.kind(), ArrayKind::Dynamic);
    names.push("d").unwrap();
    assert_eq!(vm.call_static::<String>("Main", "lastName", ()).unwrap(), "d");
    names.clear().unwrap();
    assert!(names.is_empty());

    let fresh = vm.new_array(ArrayKind::Float).unwrap();
    for x in [1.5, 2.5] {
        fresh.push(x).unwrap();
    }
    assert_eq!(fresh.with_f64_slice(|s| s.to_vec()).unwrap(), [1.5, 2.5]);
    assert_eq!(vm.call_static::<f64>("Main", "sumF", (&fresh,)).unwrap(), 4.0);
    vm.set_static("Main", "weights", &fresh).unwrap();
    assert_eq!(vm.get_static::<Vec<f64>>("Main", "weights").unwrap(), [1.5, 2.5]);
    // A value's kind tells arrays apart.
    assert_eq!(vm.get_static::<Value>("Main", "items").unwrap().kind(), ValueKind::Array);
    assert_eq!(vm.get_static::<Array>("Main", "table").unwrap_err().to_string(), "field Main.table: expected Array, got haxe.ds.StringMap");
}

#[test]
fn maps_convert_and_edit_in_place() {
    let (vm, _) = api_vm("collections");
    let table: HashMap<String, i32> = vm.get_static("Main", "table").unwrap();
    assert_eq!(table, HashMap::from([("one".to_string(), 1), ("two".to_string(), 2)]));
    let m = HashMap::from([("a".to_string(), 5), ("b".to_string(), 6)]);
    assert_eq!(vm.call_static::<i32>("Main", "total", (m,)).unwrap(), 11);
    let ids = HashMap::from([(3, "c".to_string()), (1, "a".to_string())]);
    assert_eq!(vm.call_static::<String>("Main", "describeIds", (ids,)).unwrap(), "1=a,3=c");

    let live: Map = vm.get_static("Main", "table").unwrap();
    assert_eq!((live.kind().unwrap(), live.len()), (MapKind::String, 2));
    assert_eq!(live.get::<i32>("one").unwrap(), Some(1));
    assert_eq!(live.get::<i32>("zero").unwrap(), None);
    live.set("three", 3).unwrap();
    assert!(live.exists("three").unwrap());
    assert_eq!(vm.call_static::<i32>("Main", "total", (&live,)).unwrap(), 6, "Haxe sees the set");
    assert!(live.remove("one").unwrap());
    assert!(!live.remove("one").unwrap());
    let mut keys = live.keys::<String>().unwrap();
    keys.sort();
    assert_eq!(keys, ["three", "two"]);
    let mut values = live.values::<i32>().unwrap();
    values.sort();
    assert_eq!(values, [2, 3]);
    assert_eq!(live.set(1, 1).unwrap_err().to_string(), "map key: expected String, got Int");
    live.clear().unwrap();
    assert!(live.is_empty());

    let by_id: Map = vm.get_static("Main", "byId").unwrap();
    assert_eq!(by_id.get::<String>(7).unwrap().as_deref(), Some("seven"));
    by_id.set(8, "eight").unwrap();
    assert_eq!(vm.call_static::<String>("Main", "describeIds", (&by_id,)).unwrap(), "7=seven,8=eight");

    let owners: Map = vm.get_static("Main", "owners").unwrap();
    let items: Vec<Object> = vm.get_static("Main", "items").unwrap();
    assert_eq!(owners.kind().unwrap(), MapKind::Object);
    assert_eq!(owners.get::<String>(&items[0]).unwrap().as_deref(), Some("first"));
    assert_eq!(owners.get::<String>(&items[1]).unwrap(), None);
    owners.set(&items[1], "second").unwrap();
    assert_eq!(owners.len(), 2);

    let fresh = vm.new_map(MapKind::Int).unwrap();
    fresh.set(2, "two").unwrap();
    assert_eq!(vm.call_static::<String>("Main", "describeIds", (&fresh,)).unwrap(), "2=two");
}

#[test]
fn bytes_are_shared_without_copies() {
    let (vm, _) = api_vm("collections");
    let data: Bytes = vm.get_static("Main", "data").unwrap();
    assert_eq!(data.to_vec().unwrap(), [65, 0, 0, 0]);
    data.with_slice_mut(|s| s.copy_from_slice(&[1, 2, 3, 4])).unwrap();
    assert_eq!(vm.call_static::<i32>("Main", "bytesSum", (&data,)).unwrap(), 10);
    data.set(3, 200).unwrap();
    assert_eq!(data.get(3).unwrap(), 200);
    assert_eq!(data.get(4).unwrap_err().to_string(), "invalid argument: index 4 out of range (length 4)");
    let mine = vm.new_bytes(&[9; 10]).unwrap();
    assert_eq!(mine.len(), 10);
    assert_eq!(vm.call_static::<i32>("Main", "bytesSum", (&mine,)).unwrap(), 90);
    assert_eq!(mine.value().kind(), ValueKind::Bytes);
}

#[test]
fn enums_read_and_construct() {
    let (vm, _) = api_vm("collections");
    let red: EnumValue = vm.get_static("Main", "color").unwrap();
    assert_eq!((red.enum_name().as_str(), red.constructor().as_str(), red.index(), red.param_count()), ("Color", "Red", 0, 0));
    let c: EnumValue = vm.call_static("Main", "makeRgb", (1, 2, 3)).unwrap();
    assert_eq!((c.constructor().as_str(), c.index()), ("Rgb", 2));
    assert_eq!(c.param::<i32>(1).unwrap(), 2);
    assert_eq!(c.params().unwrap().iter().map(|v| v.get::<i32>().unwrap()).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(c.param::<i32>(3).unwrap_err().to_string(), "invalid argument: Rgb has 3 parameter(s), not 4");
    let green = vm.enum_value("Color", "Green", ()).unwrap();
    assert_eq!(vm.call_static::<String>("Main", "colorName", (&green,)).unwrap(), "green");
    let named = vm.enum_value("Color", 3, ("teal",)).unwrap();
    assert_eq!(vm.call_static::<String>("Main", "colorName", (&named,)).unwrap(), "named teal");
    let rgb = vm.enum_value("Color", "Rgb", (9, 8, 7)).unwrap();
    assert_eq!(vm.call_static::<String>("Main", "colorName", (rgb,)).unwrap(), "rgb(9,8,7)");
    vm.set_static("Main", "color", &named).unwrap();
    assert_eq!(vm.get_static::<EnumValue>("Main", "color").unwrap().param::<String>(0).unwrap(), "teal");
    assert_eq!(vm.enum_value("Color", "Blue", ()).unwrap_err().to_string(), "Color has no field Blue");
    assert_eq!(vm.enum_value("Color", 9, ()).unwrap_err().to_string(), "invalid argument: Color has 4 constructors, not 10");
    assert_eq!(vm.enum_value("Color", "Rgb", (1,)).unwrap_err().to_string(), "Color.Rgb takes 3 argument(s), 1 given");
    assert_eq!(vm.enum_value("Color", "Named", (1,)).unwrap_err().to_string(), "argument 1 of Color.Named: expected String, got Int");
    assert_eq!(vm.enum_value("Nope", 0, ()).unwrap_err().to_string(), "type not found: Nope");
    assert_eq!(vm.call_static::<String>("Main", "colorName", (1,)).unwrap_err().to_string(), "argument 1 of Main.colorName: expected Color, got Int");
}

#[test]
fn reflection_describes_types() {
    let (vm, out) = api_vm("collections");
    let src = std::fs::read_to_string(haxe_tests::api_programs_dir().join("collections/Main.hx")).unwrap();
    let line = src.lines().position(|l| l.contains("trace(distance.double())")).unwrap() + 1;
    assert_eq!(out.take(), format!("Main.hx:{line}: 3\n"), "main traced an abstract's method result");
    let main = vm.find_type("Main").unwrap();
    assert_eq!(main.kind, TypeKind::Class);
    assert!(main.static_methods.contains(&"sum".to_string()), "{main:?}");
    assert!(main.static_fields.contains(&("scores".to_string(), "Array<Int>".to_string())), "{main:?}");
    let item = vm.find_type("Item").unwrap();
    assert_eq!(item.fields, [("id".to_string(), "Int".to_string())]);
    assert_eq!(item.super_class, None);
    let color = vm.find_type("Color").unwrap();
    assert_eq!(color.kind, TypeKind::Enum);
    assert_eq!(color.constructors, ["Red", "Green", "Rgb", "Named"]);
    // A Haxe abstract compiles to its implementation class.
    let types = vm.list_types();
    assert!(types.iter().any(|t| t == "_Main.Meters_Impl_"), "{types:?}");
    assert_eq!(vm.call_static::<f64>("_Main.Meters_Impl_", "double", (2.0,)).unwrap(), 4.0);
    assert!(types.iter().any(|t| t == "haxe.ds.StringMap"));
    let native = types.iter().find(|t| vm.find_type(t).map(|i| i.kind == TypeKind::Abstract).unwrap_or(false));
    assert!(native.is_some(), "natives handles such as hl_bytes_map are abstracts");
    assert_eq!(vm.find_type("Nope").unwrap_err().to_string(), "type not found: Nope");
}
