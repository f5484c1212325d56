//! Hot reload through the `hlffi` API, on real `haxe` output.
//!
//! Each case in `haxe-tests/reload/<case>/` holds versions `v1/Main.hx`, `v2/Main.hx`,
//! ... of one program. A test loads v1 on a VM built with `hot_reload(true)`, runs its
//! entrypoint, uses it from the host (calls by name, cached handles, objects, closures,
//! statics), reloads later versions with `reload_module`, `reload_module_memory` or
//! `check_reload`, and checks exact values, reports and errors. A refused reload must
//! leave the old code running with its state.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::{Duration, Instant};

use haxe_tests::{compile, ensure_haxe, Output};
use hlffi::{Error, Function, Object, ReloadError, ReloadReport, Vm};

/// Compiles version `version` of case `case` (cached) and returns the `.hl` path.
fn hl(case: &str, version: &str) -> PathBuf {
    ensure_haxe();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("reload").join(case).join(version);
    compile(&dir, "Main", &[]).unwrap_or_else(|e| panic!("{e}"))
}

fn bytes(case: &str, version: &str) -> Vec<u8> {
    std::fs::read(hl(case, version)).expect("compiled bytecode")
}

/// A VM with hot reload on, captured output, and `file` loaded and its entrypoint run.
fn start_file(file: &Path) -> (Vm, Output) {
    let out = Output::default();
    let mut vm = Vm::builder().hot_reload(true).stdout(out.writer()).build();
    vm.load_file(file).unwrap_or_else(|e| panic!("loading {}: {e}", file.display()));
    vm.call_entry().unwrap_or_else(|e| panic!("running {}: {e}", file.display()));
    (vm, out)
}

/// [`start_file`] on v1 of `case`.
fn start(case: &str) -> (Vm, Output) {
    start_file(&hl(case, "v1"))
}

fn reload(vm: &mut Vm, case: &str, version: &str) -> ReloadReport {
    vm.reload_module(hl(case, version)).unwrap_or_else(|e| panic!("reloading {case}/{version}: {e}"))
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// A fresh, empty folder under the target's temporary folder, for tests that edit
/// files on disk.
fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("reload-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch folder");
    dir
}

/// Replaces `path` the way editors and compilers do: write a temporary file in the same
/// folder, then rename it over the target.
fn replace_atomically(path: &Path, contents: &[u8]) {
    let tmp = path.with_extension("hl.tmp");
    std::fs::write(&tmp, contents).expect("write temporary file");
    std::fs::rename(&tmp, path).expect("rename over the target");
}

/// Every reload attempt seen by an `on_reload` callback: `Ok(changed)` or `Err(message)`.
type Seen = Rc<RefCell<Vec<Result<Vec<String>, String>>>>;

fn record_reloads(vm: &mut Vm) -> Seen {
    let seen: Seen = Rc::default();
    let sink = seen.clone();
    vm.on_reload(move |r| sink.borrow_mut().push(r.map(|rep| rep.changed.clone()).map_err(|e| e.to_string())));
    seen
}

#[test]
fn static_method_body_change() {
    let (mut vm, _) = start("static_body");
    let value = vm.static_fn::<(), String>("Main", "value").unwrap();
    let twice = vm.static_fn::<(i32,), i32>("Main", "twice").unwrap();
    assert_eq!(vm.call_static::<String>("Main", "value", ()).unwrap(), "v1");
    assert_eq!(value.call(()).unwrap(), "v1");
    assert_eq!(vm.call_static::<String>("Main", "callValue", ()).unwrap(), "via v1");
    assert_eq!(twice.call((21,)).unwrap(), 42);

    let report = reload(&mut vm, "static_body", "v2");
    assert_eq!(report.changed, strs(&["Main.value"]));
    assert_eq!(report.added, Vec::<String>::new());
    assert!(report.unchanged > 100, "the standard library counts as unchanged: {report:?}");

    // By name from the host, from Haxe callers, and through the handle resolved before.
    assert_eq!(vm.call_static::<String>("Main", "value", ()).unwrap(), "v2");
    assert_eq!(vm.call_static::<String>("Main", "callValue", ()).unwrap(), "via v2");
    assert_eq!(value.call(()).unwrap(), "v2");
    assert_eq!(twice.call((21,)).unwrap(), 42);
    // A handle resolved after the reload too.
    assert_eq!(vm.static_fn::<(), String>("Main", "value").unwrap().call(()).unwrap(), "v2");
    // The static counter kept counting through the reload.
    assert_eq!(vm.get_static::<i32>("Main", "calls").unwrap(), 7);

    // Reloading the same code again changes nothing.
    let again = reload(&mut vm, "static_body", "v2");
    assert_eq!(again, ReloadReport { changed: vec![], added: vec![], unchanged: report.unchanged + 1 });
    assert_eq!(value.call(()).unwrap(), "v2");
}

#[test]
fn instance_method_body_change_reaches_existing_objects() {
    let (mut vm, _) = start("instance");
    let host = vm.new_instance("Counter", ("host",)).unwrap();
    let made: Object = vm.get_static("Main", "made").unwrap();
    let bump = vm.method_fn::<(), i32>("Counter", "bump").unwrap();
    assert_eq!(host.call::<i32>("bump", ()).unwrap(), 1);
    assert_eq!(bump.call(&host, ()).unwrap(), 2);
    assert_eq!(host.call::<String>("describe", ()).unwrap(), "host n=2 v1");
    assert_eq!(vm.call_static::<i32>("Main", "bumpMade", ()).unwrap(), 2);

    let report = reload(&mut vm, "instance", "v2");
    assert_eq!(report.changed, strs(&["Counter.bump", "Counter.describe"]));
    assert!(report.added.is_empty(), "{report:?}");

    // Objects made before the reload (by the host and by Haxe) run the new bodies, by
    // name and through the MethodFn resolved before.
    assert_eq!(host.call::<i32>("bump", ()).unwrap(), 12);
    assert_eq!(bump.call(&host, ()).unwrap(), 22);
    assert_eq!(host.get::<i32>("n").unwrap(), 22);
    assert_eq!(host.call::<String>("describe", ()).unwrap(), "host n=22 v2");
    assert_eq!(vm.call_static::<i32>("Main", "bumpMade", ()).unwrap(), 12);
    assert_eq!(made.call::<String>("describe", ()).unwrap(), "made n=12 v2");
    // New objects too.
    let fresh = vm.new_instance("Counter", ("fresh",)).unwrap();
    assert_eq!(fresh.call::<i32>("bump", ()).unwrap(), 10);
}

#[test]
fn closures_made_before_the_reload_run_new_code() {
    let (mut vm, _) = start("closures");
    let f: Function = vm.get_static("Main", "f").unwrap();
    let g: Function = vm.get_static("Main", "g").unwrap();
    let bound: Function = vm.get_static("Main", "bound").unwrap();
    assert_eq!(f.call::<String>(()).unwrap(), "f v1");
    assert_eq!(g.call::<String>((1,)).unwrap(), "g v1 11");
    assert_eq!(bound.call::<String>(()).unwrap(), "thing t v1");
    assert_eq!(vm.call_static::<String>("Main", "callAll", ()).unwrap(), "f v1|g v1 11|thing t v1");
    // A Rust closure stored in a static as a Haxe function.
    let hook = vm.function("hook", |(x,): (i32,)| x * 100).unwrap();
    vm.set_static("Main", "hook", &hook).unwrap();
    assert_eq!(vm.call_static::<i32>("Main", "callHook", (3,)).unwrap(), 301);

    let report = reload(&mut vm, "closures", "v2");
    assert_eq!(report.changed, strs(&["Main.callHook", "Main.f~init", "Main.main~0", "Thing.describe"]));
    assert!(report.added.is_empty(), "{report:?}");

    // The host's handles on closures made by v1 (by a static initialiser, in main with
    // a captured local, a bound method) run the v2 bodies, with their captures intact.
    assert_eq!(f.call::<String>(()).unwrap(), "f v2");
    assert_eq!(g.call::<String>((5,)).unwrap(), "g v2 15");
    assert_eq!(bound.call::<String>(()).unwrap(), "thing t v2");
    assert_eq!(vm.call_static::<String>("Main", "callAll", ()).unwrap(), "f v2|g v2 11|thing t v2");
    assert_eq!(vm.call_static::<i32>("Main", "callHook", (3,)).unwrap(), 302);
    // Nothing the reload left behind is collected while still in use.
    vm.collect_garbage();
    assert_eq!(vm.call_static::<String>("Main", "callAll", ()).unwrap(), "f v2|g v2 11|thing t v2");
    assert_eq!(g.call::<String>((2,)).unwrap(), "g v2 12");
}

#[test]
fn interface_dynamic_and_virtual_calls_reach_new_code() {
    let (mut vm, _) = start("dispatch");
    let shape: Object = vm.get_static("Main", "shape").unwrap();
    let dyn_sq: Object = vm.get_static("Main", "dyn").unwrap();
    let host_sq = vm.new_instance("Sq", (5,)).unwrap();
    assert_eq!(vm.call_static::<i32>("Main", "viaInterface", ()).unwrap(), 9);
    assert_eq!(vm.call_static::<i32>("Main", "viaDynamic", ()).unwrap(), 16);
    assert_eq!(vm.call_static::<String>("Main", "viaVirtual", ()).unwrap(), "derived v1");
    assert_eq!(vm.call_static::<i32>("Main", "areaOf", (&host_sq,)).unwrap(), 25);
    assert_eq!(vm.call_static::<i32>("Main", "areaOfDynamic", (&host_sq,)).unwrap(), 25);
    // 9 + '1', then 1009 + '2', per iteration; twice, so that the callees are compiled
    // and the call sites of compiled code remember them (tiered and eager mode).
    for _ in 0..2 {
        assert_eq!(vm.call_static::<i32>("Main", "sumInLoop", (30_000,)).unwrap(), (9 + 49) * 30_000);
    }

    let report = reload(&mut vm, "dispatch", "v2");
    assert_eq!(report.changed, strs(&["Derived.who", "Sq.area"]));

    assert_eq!(vm.call_static::<i32>("Main", "viaInterface", ()).unwrap(), 1009);
    assert_eq!(vm.call_static::<i32>("Main", "viaDynamic", ()).unwrap(), 1016);
    assert_eq!(vm.call_static::<String>("Main", "viaVirtual", ()).unwrap(), "derived v2");
    assert_eq!(vm.call_static::<i32>("Main", "areaOf", (&host_sq,)).unwrap(), 1025);
    assert_eq!(vm.call_static::<i32>("Main", "areaOfDynamic", (&host_sq,)).unwrap(), 1025);
    assert_eq!(vm.call_static::<i32>("Main", "sumInLoop", (30_000,)).unwrap(), (1009 + 50) * 30_000);
    // From the host, on objects held before the reload.
    assert_eq!(shape.call::<i32>("area", ()).unwrap(), 1009);
    assert_eq!(dyn_sq.call::<i32>("area", ()).unwrap(), 1016);
    assert_eq!(host_sq.call::<i32>("area", ()).unwrap(), 1025);
    let base: Object = vm.get_static("Main", "base").unwrap();
    assert_eq!(base.call::<String>("who", ()).unwrap(), "derived v2");
}

#[test]
fn added_method_and_class_used_by_changed_code() {
    let (mut vm, _) = start("added");
    assert_eq!(vm.call_static::<String>("Main", "value", ()).unwrap(), "v1 calls=2");
    assert!(matches!(vm.call_static::<i32>("Main", "helper", (1,)), Err(Error::MethodNotFound { .. })));
    assert!(matches!(vm.find_type("Extra"), Err(Error::TypeNotFound(_))));

    let report = reload(&mut vm, "added", "v2");
    // The entrypoint changed too (it initialises the new class); it is not re-run.
    assert_eq!(report.changed, strs(&[".init", "Main.value"]));
    // (A constructor is bound to the class object's `__constructor__` field, the name
    // HashLink's stack traces use too.)
    assert_eq!(report.added, strs(&["Extra.__constructor__", "Extra.make", "Extra.twice", "Main.helper"]));

    assert_eq!(vm.call_static::<String>("Main", "value", ()).unwrap(), "v2 calls=3 helper=103 extra=10");
    // The new method and class are reachable from the host by name.
    assert_eq!(vm.call_static::<i32>("Main", "helper", (1,)).unwrap(), 101);
    let extra = vm.new_instance("Extra", (7,)).unwrap();
    assert_eq!(extra.call::<i32>("twice", ()).unwrap(), 14);
    let made: Object = vm.call_static("Extra", "make", (4,)).unwrap();
    assert_eq!(made.class_name(), "Extra");
    assert_eq!(made.get::<i32>("k").unwrap(), 4);
    assert_eq!(vm.static_fn::<(i32,), i32>("Main", "helper").unwrap().call((2,)).unwrap(), 102);
    assert!(vm.find_type("Extra").is_ok());
}

#[test]
fn statics_keep_their_values() {
    let (mut vm, _) = start("statics");
    let step = |vm: &Vm| vm.call_static::<String>("Main", "step", ()).unwrap();
    assert_eq!(step(&vm), "v1 counter=1 list=s1 map=10 pt=2,1 name=init");
    assert_eq!(step(&vm), "v1 counter=2 list=s1,s2 map=20 pt=3,1 name=init");
    // State changed by the host before the reload must be kept too.
    vm.set_static("Main", "name", "host").unwrap();
    let list: hlffi::Array = vm.get_static("Main", "list").unwrap();
    list.push("h").unwrap();
    let pt: Object = vm.get_static("Main", "pt").unwrap();
    pt.set("x", 7).unwrap();

    let report = reload(&mut vm, "statics", "v2");
    // v2 iterates a map's keys: the entrypoint initialises the type objects it needs
    // (it changed, but is not re-run).
    assert_eq!(report.changed, strs(&[".init", "Main.step"]));

    assert_eq!(vm.get_static::<i32>("Main", "counter").unwrap(), 2);
    assert_eq!(vm.get_static::<Vec<String>>("Main", "list").unwrap(), strs(&["s1", "s2", "h"]));
    let map: HashMap<String, i32> = vm.get_static("Main", "map").unwrap();
    assert_eq!(map, HashMap::from([("k1".to_string(), 10), ("k2".to_string(), 20)]));
    assert_eq!(vm.get_static::<String>("Main", "name").unwrap(), "host");
    let pt_after: Object = vm.get_static("Main", "pt").unwrap();
    assert_eq!((pt_after.get::<i32>("x").unwrap(), pt_after.get::<i32>("y").unwrap()), (7, 1));

    assert_eq!(step(&vm), "v2 counter=3 list=s1,s2,h,s3 map=30 keys=3 pt=7,2 name=host");
    assert_eq!(step(&vm), "v2 counter=4 list=s1,s2,h,s3,s4 map=40 keys=4 pt=7,3 name=host");
    // The host's old handles see the same objects Haxe edits.
    assert_eq!(list.len(), 5);
    assert_eq!(pt.get::<i32>("y").unwrap(), 3);

    reload(&mut vm, "statics", "v1");
    assert_eq!(step(&vm), "v1 counter=5 list=s1,s2,h,s3,s4,s5 map=50 pt=8,3 name=host");
}

#[test]
fn repeated_reloads_carry_state() {
    let (mut vm, _) = start("repeat");
    let step = vm.static_fn::<(), String>("Main", "step").unwrap();
    assert_eq!(step.call(()).unwrap(), "v1 total=1");
    assert_eq!(reload(&mut vm, "repeat", "v2").changed, strs(&["Main.step"]));
    assert_eq!(step.call(()).unwrap(), "v2 total=11");
    // From memory this time.
    let r3 = vm.reload_module_memory(&bytes("repeat", "v3")).unwrap();
    assert_eq!(r3.changed, strs(&["Main.step"]));
    assert_eq!(step.call(()).unwrap(), "v3 total=111");
    assert_eq!(reload(&mut vm, "repeat", "v1").changed, strs(&["Main.step"]));
    assert_eq!(step.call(()).unwrap(), "v1 total=112");
    // Many more rounds: the counter keeps counting, the handle keeps working.
    let mut expected = 112;
    for round in 0..10 {
        for (v, inc) in [("v2", 10), ("v3", 100), ("v1", 1)] {
            reload(&mut vm, "repeat", v);
            expected += inc;
            assert_eq!(step.call(()).unwrap(), format!("{v} total={expected}"), "round {round}");
        }
    }
    assert_eq!(vm.get_static::<i32>("Main", "total").unwrap(), expected);
}

#[test]
fn structural_change_is_refused_and_old_code_keeps_running() {
    let (mut vm, _) = start("layout");
    let seen = record_reloads(&mut vm);
    let counter: Object = vm.get_static("Main", "c").unwrap();
    assert_eq!(vm.call_static::<String>("Main", "step", ()).unwrap(), "v1 n=1");

    let err = vm.reload_module(hl("layout", "v2")).unwrap_err();
    let message = "cannot reload: the layout of `Counter` changed: field `extra` was added";
    assert_eq!(err.to_string(), message);
    match &err {
        Error::Reload(ReloadError::Layout { type_name, detail }) => {
            assert_eq!(type_name, "Counter");
            assert_eq!(detail, "field `extra` was added");
        }
        other => panic!("expected Error::Reload(Layout), got {other:?}"),
    }
    assert_eq!(err.code(), 21);
    assert_eq!(*seen.borrow(), vec![Err(message.to_string())]);

    // The old code runs, with its state.
    assert_eq!(vm.call_static::<String>("Main", "step", ()).unwrap(), "v1 n=2");
    assert_eq!(counter.get::<i32>("n").unwrap(), 2);
    assert!(!counter.has_field("extra"));

    // A compatible version is still accepted afterwards.
    let report = reload(&mut vm, "layout", "v3");
    assert_eq!(report.changed, strs(&["Main.step"]));
    assert_eq!(vm.call_static::<String>("Main", "step", ()).unwrap(), "v3 n=3");
    assert_eq!(*seen.borrow(), vec![Err(message.to_string()), Ok(strs(&["Main.step"]))]);
}

#[test]
fn corrupt_and_truncated_files_are_refused() {
    let (mut vm, _) = start("static_body");
    let seen = record_reloads(&mut vm);
    assert_eq!(vm.call_static::<String>("Main", "value", ()).unwrap(), "v1");
    let good = bytes("static_body", "v2");
    let dir = scratch_dir("corrupt");

    let mut bad_magic = good.clone();
    bad_magic[0] = b'X';
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("bad magic", bad_magic),
        ("truncated to half", good[..good.len() / 2].to_vec()),
        ("missing last byte", good[..good.len() - 1].to_vec()),
        ("header only", good[..4].to_vec()),
        ("empty", Vec::new()),
        ("text", b"class Main {}\n".to_vec()),
    ];
    for (i, (what, data)) in cases.iter().enumerate() {
        let file = dir.join(format!("bad{i}.hl"));
        std::fs::write(&file, data).unwrap();
        let e = vm.reload_module(&file).unwrap_err();
        assert!(matches!(e, Error::InvalidBytecode(_)), "{what}: {e:?}");
        assert_eq!(e.code(), 7, "{what}");
        let e = vm.reload_module_memory(data).unwrap_err();
        assert!(matches!(e, Error::InvalidBytecode(_)), "{what} (memory): {e:?}");
        // Old code and state intact.
        assert_eq!(vm.call_static::<String>("Main", "value", ()).unwrap(), "v1", "{what}");
    }
    assert_eq!(vm.get_static::<i32>("Main", "calls").unwrap(), 1 + cases.len() as i32);
    let e = vm.reload_module(dir.join("missing.hl")).unwrap_err();
    assert!(matches!(e, Error::FileNotFound { .. }), "{e:?}");
    {
        let seen = seen.borrow();
        assert_eq!(seen.len(), 2 * cases.len() + 1, "every attempt is notified");
        assert!(seen.iter().take(2 * cases.len()).all(|r| matches!(r, Err(m) if m.starts_with("invalid bytecode: "))), "{seen:?}");
    }

    // The good file still applies afterwards.
    let file = dir.join("good.hl");
    std::fs::write(&file, &good).unwrap();
    assert_eq!(vm.reload_module(&file).unwrap().changed, strs(&["Main.value"]));
    assert_eq!(vm.call_static::<String>("Main", "value", ()).unwrap(), "v2");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn reload_requires_hot_reload_and_a_loaded_module() {
    let v2 = hl("static_body", "v2");
    let out = Output::default();
    let mut vm = Vm::builder().stdout(out.writer()).build();
    assert!(!vm.hot_reload_enabled());
    vm.load_file(hl("static_body", "v1")).unwrap();
    vm.call_entry().unwrap();
    let fired = Rc::new(RefCell::new(0));
    let f = fired.clone();
    vm.on_reload(move |_| *f.borrow_mut() += 1);
    let e = vm.reload_module(&v2).unwrap_err();
    assert!(matches!(e, Error::ReloadNotEnabled), "{e:?}");
    assert_eq!(e.to_string(), "hot reload is not enabled (VmBuilder::hot_reload)");
    assert_eq!(e.code(), 20);
    assert!(matches!(vm.reload_module_memory(&bytes("static_body", "v2")), Err(Error::ReloadNotEnabled)));
    assert!(matches!(vm.check_reload(), Err(Error::ReloadNotEnabled)));
    assert_eq!(*fired.borrow(), 0, "misuse is not a reload attempt");
    assert_eq!(vm.call_static::<String>("Main", "value", ()).unwrap(), "v1");

    // Enabled, but nothing loaded yet.
    let mut empty = Vm::builder().hot_reload(true).build();
    assert!(matches!(empty.reload_module(&v2), Err(Error::NotLoaded)));
    assert!(matches!(empty.check_reload(), Err(Error::NotLoaded)));

    // Loaded from memory: there is no file to check.
    let mut from_memory = Vm::builder().hot_reload(true).stdout(Output::default().writer()).build();
    from_memory.load_memory(&bytes("static_body", "v1")).unwrap();
    from_memory.call_entry().unwrap();
    let e = from_memory.check_reload().unwrap_err();
    assert!(matches!(e, Error::InvalidArgument(_)), "{e:?}");
    assert_eq!(e.to_string(), "invalid argument: the module was loaded from memory, not a file");
    from_memory.reload_module_memory(&bytes("static_body", "v2")).unwrap();
    assert_eq!(from_memory.call_static::<String>("Main", "value", ()).unwrap(), "v2");
}

#[test]
fn check_reload_follows_the_file_on_disk() {
    let dir = scratch_dir("check");
    let live = dir.join("live.hl");
    std::fs::copy(hl("static_body", "v1"), &live).unwrap();
    let (mut vm, _) = start_file(&live);
    let seen = record_reloads(&mut vm);
    let value = vm.static_fn::<(), String>("Main", "value").unwrap();

    // Unchanged: nothing happens.
    assert!(!vm.check_reload().unwrap());
    assert!(!vm.check_reload().unwrap());
    assert!(seen.borrow().is_empty());
    assert_eq!(value.call(()).unwrap(), "v1");

    // Replaced through a rename, as editors do.
    std::thread::sleep(Duration::from_millis(20));
    replace_atomically(&live, &bytes("static_body", "v2"));
    assert!(vm.check_reload().unwrap());
    assert_eq!(value.call(()).unwrap(), "v2");
    assert_eq!(*seen.borrow(), vec![Ok(strs(&["Main.value"]))]);
    assert!(!vm.check_reload().unwrap(), "applied once");

    // Half-written in place: not applied, old code keeps running.
    let v3 = bytes("static_body", "v3");
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(&live, &v3[..v3.len() / 2]).unwrap();
    assert!(!vm.check_reload().unwrap());
    let failed_at = Instant::now();
    assert_eq!(value.call(()).unwrap(), "v2");
    // The writer finishes; within the retry delay the file is not read again...
    std::fs::write(&live, &v3).unwrap();
    let early = vm.check_reload().unwrap();
    // (Only checkable when this thread was not descheduled for the whole delay.)
    if failed_at.elapsed() < Duration::from_millis(45) {
        assert!(!early, "read again before the retry delay");
        assert_eq!(value.call(()).unwrap(), "v2");
        // ...and after it, it is applied.
        std::thread::sleep(Duration::from_millis(60));
        assert!(vm.check_reload().unwrap());
    }
    assert_eq!(value.call(()).unwrap(), "version three");
    assert!(!vm.check_reload().unwrap());
    // The half-written file was retried silently: on_reload heard only of the results.
    {
        let seen = seen.borrow();
        assert_eq!(seen.len(), 2, "{seen:?}");
        assert_eq!(seen[1], Ok(strs(&["Main.value"])));
    }
    // Statics survived all of it (`value` counts its calls).
    let calls = vm.get_static::<i32>("Main", "calls").unwrap();
    assert!(calls == 4 || calls == 5, "{calls}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_reload_keeps_watching_the_file_given_to_load_file() {
    // HLFFI's rule: `check_reload` watches the file `load_file` was given; a reload
    // from another path neither moves the watch nor updates the watched file's stamp.
    let dir = scratch_dir("check-other-path");
    let live = dir.join("live.hl");
    std::fs::copy(hl("static_body", "v1"), &live).unwrap();
    let (mut vm, _) = start_file(&live);
    let other = dir.join("other.hl");
    std::fs::copy(hl("static_body", "v2"), &other).unwrap();
    vm.reload_module(&other).unwrap();
    assert_eq!(vm.call_static::<String>("Main", "value", ()).unwrap(), "v2");
    assert_eq!(vm.loaded_path(), Some(live.as_path()));
    // Neither file changed since: nothing to do.
    assert!(!vm.check_reload().unwrap());
    // The other file changes: not watched.
    std::thread::sleep(Duration::from_millis(20));
    replace_atomically(&other, &bytes("static_body", "v3"));
    assert!(!vm.check_reload().unwrap());
    assert_eq!(vm.call_static::<String>("Main", "value", ()).unwrap(), "v2");
    // The loaded file changes: applied.
    replace_atomically(&live, &bytes("static_body", "v3"));
    assert!(vm.check_reload().unwrap());
    assert_eq!(vm.call_static::<String>("Main", "value", ()).unwrap(), "version three");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_reload_does_not_retry_a_refused_file_until_it_changes() {
    let dir = scratch_dir("check-refused");
    let live = dir.join("live.hl");
    std::fs::copy(hl("layout", "v1"), &live).unwrap();
    let (mut vm, _) = start_file(&live);
    let seen = record_reloads(&mut vm);
    assert_eq!(vm.call_static::<String>("Main", "step", ()).unwrap(), "v1 n=1");

    std::thread::sleep(Duration::from_millis(20));
    replace_atomically(&live, &bytes("layout", "v2"));
    let e = vm.check_reload().unwrap_err();
    assert!(matches!(e, Error::Reload(ReloadError::Layout { .. })), "{e:?}");
    assert_eq!(e.to_string(), "cannot reload: the layout of `Counter` changed: field `extra` was added");
    std::thread::sleep(Duration::from_millis(60));
    assert!(!vm.check_reload().unwrap(), "the refused file is not tried again");
    assert_eq!(seen.borrow().len(), 1);
    assert_eq!(vm.call_static::<String>("Main", "step", ()).unwrap(), "v1 n=2");

    // Fixed on disk: applied.
    std::thread::sleep(Duration::from_millis(20));
    replace_atomically(&live, &bytes("layout", "v3"));
    assert!(vm.check_reload().unwrap());
    assert_eq!(vm.call_static::<String>("Main", "step", ()).unwrap(), "v3 n=3");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn watch_applies_changes_from_update() {
    let dir = scratch_dir("watch");
    let live = dir.join("live.hl");
    std::fs::copy(hl("static_body", "v1"), &live).unwrap();
    let (mut vm, _) = start_file(&live);
    let seen = record_reloads(&mut vm);
    vm.watch().unwrap();
    let value = vm.static_fn::<(), String>("Main", "value").unwrap();
    vm.update(0.0).unwrap();
    assert_eq!(value.call(()).unwrap(), "v1");
    assert!(seen.borrow().is_empty(), "nothing changed yet");

    replace_atomically(&live, &bytes("static_body", "v3"));
    // The watcher thread reports the change; the reload happens inside `update`.
    let deadline = Instant::now() + Duration::from_secs(5);
    while seen.borrow().is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
        vm.update(0.01).unwrap();
    }
    assert_eq!(*seen.borrow(), vec![Ok(strs(&["Main.value"]))]);
    assert_eq!(value.call(()).unwrap(), "version three");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn on_reload_sees_reports_of_every_method() {
    let (mut vm, _) = start("repeat");
    let reports: Rc<RefCell<Vec<ReloadReport>>> = Rc::default();
    let sink = reports.clone();
    vm.on_reload(move |r| sink.borrow_mut().push(r.expect("accepted").clone()));
    let r2 = reload(&mut vm, "repeat", "v2");
    let r3 = vm.reload_module_memory(&bytes("repeat", "v3")).unwrap();
    assert_eq!(*reports.borrow(), vec![r2, r3]);
}

#[test]
fn changed_signatures() {
    let (mut vm, _) = start("signature");
    let g: Object = vm.get_static("Main", "g").unwrap();
    let bound: Function = vm.call_static("Main", "boundGreet", ()).unwrap();
    assert_eq!(g.call::<String>("greet", ()).unwrap(), "hi ada");
    assert_eq!(vm.call_static::<String>("Main", "callGreet", ()).unwrap(), "hi ada");

    // Instance methods' signatures changed (`greet` gained a parameter, `tag` now
    // returns Int): new functions, reported as changed.
    let report = reload(&mut vm, "signature", "v2");
    // (`boundGreet` makes a closure of the new function: its body changed too.)
    assert_eq!(report.changed, strs(&["Greeter.greet", "Greeter.tag", "Main.boundGreet", "Main.callGreet", "Main.value"]));
    assert!(report.added.is_empty(), "{report:?}");
    assert_eq!(vm.call_static::<String>("Main", "callGreet", ()).unwrap(), "hello ada!");
    assert_eq!(g.call::<String>("greet", ("?",)).unwrap(), "hello ada?");
    let e = g.call::<String>("greet", ()).unwrap_err();
    assert!(matches!(e, Error::ArgumentCount { expected: 1, given: 0, .. }), "{e:?}");
    assert_eq!(e.to_string(), "Greeter.greet takes 1 argument(s), 0 given");
    assert_eq!(vm.method_fn::<(String,), String>("Greeter", "greet").unwrap().call(&g, (".".into(),)).unwrap(), "hello ada.");
    // A method value taken before the reload keeps the old, type-correct body.
    assert_eq!(bound.call::<String>(()).unwrap(), "hi ada");
    let e = g.call::<String>("tag", ()).unwrap_err();
    assert_eq!(e.to_string(), "return value of Greeter.tag: expected String, got Int");
    assert_eq!(g.call::<i32>("tag", ()).unwrap(), 42);

    // A static function's signature changed: refused (static functions are fields of
    // the class object, and a static may not change type).
    let err = vm.reload_module(hl("signature", "v3")).unwrap_err();
    match &err {
        Error::Reload(ReloadError::Layout { type_name, detail }) => {
            assert_eq!(type_name, "Main");
            assert!(detail.starts_with("static `value` changed type"), "{detail}");
        }
        other => panic!("expected Error::Reload(Layout), got {other:?}"),
    }
    assert_eq!(vm.call_static::<String>("Main", "callValue", ()).unwrap(), "via v2");
    assert_eq!(vm.call_static::<String>("Main", "callGreet", ()).unwrap(), "hello ada!");
}

/// BUG (hlffi `MethodFn::call`): a `MethodFn` caches the parameter and return types of
/// the method it was resolved on, but dispatches by name hash at each call. After a
/// reload changed the method's signature, it calls the new function with the old
/// argument list and converts its result with the old return type: `greet()` (now
/// `greet(punct:String)`) runs with `punct = null` and returns "hello adanull", and
/// `tag()` (String → Int, returning 42) comes back as the String "hl/types/ArrayBase.hx"
/// (the Int read as a String). It should fail like a call by name does.
#[test]
fn method_fn_resolved_before_a_signature_change_is_checked() {
    let (mut vm, _) = start("signature");
    let g: Object = vm.get_static("Main", "g").unwrap();
    let greet = vm.method_fn::<(), String>("Greeter", "greet").unwrap();
    let tag = vm.method_fn::<(), String>("Greeter", "tag").unwrap();
    assert_eq!(greet.call(&g, ()).unwrap(), "hi ada");
    assert_eq!(tag.call(&g, ()).unwrap(), "tag ada");
    reload(&mut vm, "signature", "v2");
    let e = greet.call(&g, ()).unwrap_err();
    assert!(matches!(&e, Error::ArgumentCount { expected: 1, given: 0, .. }), "{e:?}");
    assert_eq!(e.to_string(), "Greeter.greet takes 1 argument(s), 0 given");
    let e = tag.call(&g, ()).unwrap_err();
    assert!(matches!(&e, Error::TypeMismatch { .. }), "{e:?}");
    assert_eq!(e.to_string(), "return value of Greeter.tag: expected String, got Int");
}

/// The `Main.*` frames of an exception's stack.
fn main_frames(e: &Error) -> Vec<String> {
    match e {
        Error::Exception { stack, .. } => stack.iter().filter(|f| f.contains("$Main.")).cloned().collect(),
        other => panic!("expected an exception, got {other:?}"),
    }
}

#[test]
fn exceptions_from_reloaded_code_report_new_lines() {
    let (mut vm, _) = start("debug_lines");
    let e = vm.call_static::<i32>("Main", "fail", ()).unwrap_err();
    assert_eq!(e.to_string(), "Uncaught exception: boom v1");
    assert_eq!(main_frames(&e), strs(&["$Main.fail(Main.hx:7)"]));
    let e = vm.call_static::<i32>("Main", "moved", ()).unwrap_err();
    assert_eq!(main_frames(&e), strs(&["$Main.moved(Main.hx:11)"]));

    let report = reload(&mut vm, "debug_lines", "v2");
    assert!(report.changed.contains(&"Main.fail".to_string()), "{report:?}");

    let e = vm.call_static::<i32>("Main", "fail", ()).unwrap_err();
    assert_eq!(e.to_string(), "Uncaught exception: boom v2");
    assert_eq!(main_frames(&e), strs(&["$Main.fail(Main.hx:8)"]));
    // Same code, three lines further down: the trace must name the line of the source
    // that is now running.
    let e = vm.call_static::<i32>("Main", "moved", ()).unwrap_err();
    assert_eq!(main_frames(&e), strs(&["$Main.moved(Main.hx:14)"]));
}

#[test]
fn added_statics_start_at_their_default_value() {
    let (mut vm, _) = start("new_statics");
    assert_eq!(vm.call_static::<String>("Main", "step", ()).unwrap(), "v1 counter=2");
    assert!(matches!(vm.get_static::<i32>("Main", "extra"), Err(Error::FieldNotFound { .. })));

    let report = reload(&mut vm, "new_statics", "v2");
    // (The exact report is checked by `report_lists_only_what_the_source_changed`.)
    assert!(report.changed.contains(&"Main.step".to_string()), "{report:?}");
    assert!(report.added.contains(&"Registry.add".to_string()), "{report:?}");

    // Static initialisers are not re-run (documented): new statics hold 0 / null.
    assert_eq!(vm.get_static::<i32>("Main", "counter").unwrap(), 2);
    assert_eq!(vm.get_static::<i32>("Main", "extra").unwrap(), 0);
    assert_eq!(vm.get_static::<Option<String>>("Main", "label").unwrap(), None);
    assert_eq!(vm.get_static::<i32>("Registry", "limit").unwrap(), 0);
    // The host can set them, and Haxe sees what it set.
    vm.set_static("Main", "label", "host").unwrap();
    vm.set_static("Registry", "limit", 5).unwrap();
    assert_eq!(vm.call_static::<String>("Main", "step", ()).unwrap(), "v2 counter=3 extra=1 label=host items=1 limit=5");
    assert_eq!(vm.call_static::<String>("Main", "step", ()).unwrap(), "v2 counter=4 extra=2 label=host items=2 limit=5");
    assert_eq!(vm.get_static::<Vec<String>>("Registry", "items").unwrap(), strs(&["s3", "s4"]));

    // Back to v1: the statics it does not know stay, unused; its code still runs.
    reload(&mut vm, "new_statics", "v1");
    assert_eq!(vm.call_static::<String>("Main", "step", ()).unwrap(), "v1 counter=5");
    assert_eq!(vm.get_static::<i32>("Main", "extra").unwrap(), 2);
}

/// BUG (hlvm reload naming, `hlvm/src/reload/names.rs` rule 3): functions HLB leaves
/// anonymous are named after their lexicographically smallest referrer. Standard-library
/// helpers without a class binding are among them (`hl.types.ArrayObj.alloc`, called by
/// every array literal). In v1 it is `String.split~0`; v2's `Main.value` starts to use an
/// array literal, so in v2 it is `Main.value~0`. The reload then takes it for a new
/// function (a new slot, reported as added) and every standard-library function calling
/// it for changed, although only `Main.value` changed in the source.
#[test]
fn report_lists_only_what_the_source_changed() {
    let (mut vm, _) = start("std_referrer");
    assert_eq!(vm.call_static::<Vec<String>>("Main", "words", ("a b",)).unwrap(), strs(&["a", "b"]));
    let report = reload(&mut vm, "std_referrer", "v2");
    assert_eq!(vm.call_static::<String>("Main", "value", ()).unwrap(), "v2");
    assert_eq!(vm.call_static::<Vec<String>>("Main", "words", ("c d",)).unwrap(), strs(&["c", "d"]));
    assert_eq!((report.changed, report.added), (strs(&["Main.value"]), vec![]));
}
