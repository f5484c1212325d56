//! Hot reload (`Vm::reload`) on real `haxe` output: each case in `tests/reload/<case>/`
//! has versions `v1/Main.hx`, `v2/Main.hx`, ... of one program. A test loads v1, runs
//! its entrypoint, calls its static functions, reloads later versions and checks the
//! exact output, the report, and that refused reloads leave the VM as it was.

use std::cell::RefCell;
use std::io::Write;
use std::path::PathBuf;
use std::process::Command;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use hlvm::{Code, LinkError, ReloadError, ReloadReport, Vm, VmConfig};

/// Compiles `<src>/Main.hx` (with the compiler arguments in `<src>/flags`, if any, run
/// from `<src>`) into the target's temporary folder.
fn compile_dir(src: &std::path::Path, out_name: &str) -> Vec<u8> {
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("hlvm-reload-{out_name}.hl"));
    let flags = std::fs::read_to_string(src.join("flags")).unwrap_or_default();
    let status = Command::new("haxe")
        .current_dir(src)
        .args(["-cp", src.to_str().expect("utf-8 path"), "-main", "Main", "-hl"])
        .arg(&out)
        .args(flags.split_whitespace())
        .status()
        .expect("haxe must be installed (scripts/install-deps.sh)");
    assert!(status.success(), "haxe failed to compile {}", src.display());
    std::fs::read(&out).expect("compiled program")
}

fn compile(case: &str, version: &str) -> Code {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reload").join(case).join(version);
    Code::read(&compile_dir(&src, &format!("{case}-{version}"))).expect("valid bytecode")
}

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A VM running one case.
struct Session {
    vm: Vm,
    out: Capture,
    case: &'static str,
}

impl Session {
    fn with_vm(case: &'static str, setup: impl FnOnce(&mut Vm)) -> Session {
        let out = Capture::default();
        let mut vm = Vm::new(VmConfig { stdout: Box::new(out.clone()), ..VmConfig::default() });
        setup(&mut vm);
        vm.load(compile(case, "v1")).expect("v1 links");
        vm.call_entry().expect("v1 entrypoint runs");
        let mut s = Session { vm, out, case };
        s.take();
        s
    }

    fn start(case: &'static str) -> Session {
        Session::with_vm(case, |_| {})
    }

    /// Output printed since the last call.
    fn take(&mut self) -> String {
        self.vm.flush_stdout();
        let mut buf = self.out.0.lock().expect("lock");
        String::from_utf8(std::mem::take(&mut *buf)).expect("utf-8 output")
    }

    /// Calls static function `name` (e.g. `Main.step`) and returns what it printed.
    fn call(&mut self, name: &str) -> String {
        let f = self.vm.qualified_function(name).unwrap_or_else(|| panic!("no function {name}"));
        if let Err(e) = self.vm.call_guarded(f, &[]) {
            let e = self.vm.run_error(e);
            panic!("{name} failed: {e} {e:?}");
        }
        self.take()
    }

    fn reload(&mut self, version: &str) -> Result<ReloadReport, ReloadError> {
        let code = compile(self.case, version);
        self.vm.reload(code)
    }
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn static_method_body_change() {
    let mut s = Session::start("static_body");
    let greet = s.vm.qualified_function("Main.greet").expect("Main.greet");
    assert_eq!(s.call("Main.greet"), "hello from v1\n");
    let report = s.reload("v2").expect("reload");
    assert_eq!(report.changed, strs(&["Main.greet"]));
    assert!(report.added.is_empty(), "{report:?}");
    assert!(report.unchanged > 100, "{report:?}");
    // Same slot: callers holding the index run the new body.
    assert_eq!(s.vm.qualified_function("Main.greet"), Some(greet));
    assert_eq!(s.call("Main.greet"), "hello from v2, 8\n");
    assert_eq!(s.call("Main.other"), "other 42\n");
    // Reloading the same code again changes nothing.
    let again = s.reload("v2").expect("reload");
    assert!(again.changed.is_empty() && again.added.is_empty(), "{again:?}");
    assert_eq!(again.unchanged, report.unchanged + 1);
}

#[test]
fn host_replacements_survive() {
    let mut s = Session::start("static_body");
    let other = s.vm.qualified_function("Main.other").expect("Main.other");
    assert!(s.vm.replace_function(
        other,
        hlvm::FnSlot::Native(|vm, _| {
            vm.write_out(b"replaced by the host\n");
            Ok(0)
        })
    ));
    assert_eq!(s.call("Main.other"), "replaced by the host\n");
    let report = s.reload("v2").expect("reload");
    assert_eq!(report.changed, strs(&["Main.greet"]));
    assert_eq!(s.vm.qualified_function("Main.other"), Some(other));
    assert_eq!(s.call("Main.other"), "replaced by the host\n");
    assert_eq!(s.call("Main.greet"), "hello from v2, 8\n");
}

#[test]
fn closures_of_static_initialisers_keep_their_identity() {
    let mut s = Session::start("init_closures");
    assert_eq!(s.call("Main.step"), "11 20\n");
    // v2 adds classes whose static initialisers make closures of the same type.
    let report = s.reload("v2").expect("reload");
    assert!(report.changed.contains(&"Main.fm~init".to_string()), "{report:?}");
    assert!(!report.changed.contains(&"A.fa~init".to_string()), "{report:?}");
    for f in ["Aa.fb~init", "Main.fz~init"] {
        assert!(report.added.contains(&f.to_string()), "{f} not in {report:?}");
    }
    // Statics are not re-initialised: the closures made by v1 run their new bodies,
    // the new statics are null.
    assert_eq!(s.call("Main.step"), "11 30 true true\n");
}

#[test]
fn standard_library_helpers_keep_their_names() {
    let mut s = Session::start("std_helpers");
    assert_eq!(s.call("Main.words"), "a+b+c 2\n");
    assert_eq!(s.call("Main.value"), "v1\n");
    let r = s.reload("v2").expect("reload");
    assert_eq!(s.call("Main.value"), "v2\n");
    assert_eq!(s.call("Main.words"), "a+b+c 2\n");
    // Only what the source changed: std helpers without a binding are named by their
    // definition, not by their callers, and the closure in `main` keeps its ordinal
    // although `main` now calls such a helper before making it.
    assert_eq!((r.changed, r.added), (strs(&["Main.main", "Main.value"]), vec![]));
}

#[test]
fn instance_method_seen_by_existing_object() {
    let mut s = Session::start("instance");
    assert_eq!(s.call("Main.step"), "c n=1\n");
    assert_eq!(s.call("Main.step"), "c n=2\n");
    let report = s.reload("v2").expect("reload");
    assert_eq!(report.changed, strs(&["Counter.bump"]));
    assert!(report.added.is_empty());
    assert_eq!(s.call("Main.step"), "c n=12\n");
}

#[test]
fn closures_made_before_the_reload_run_new_code() {
    let mut s = Session::start("closures");
    assert_eq!(s.call("Main.step"), "20 g v1 thing t v1\n");
    let report = s.reload("v2").expect("reload");
    assert_eq!(report.changed, strs(&["Main.main~0", "Main.main~1", "Thing.describe"]));
    assert!(report.added.is_empty());
    assert_eq!(s.call("Main.step"), "21 g v2 thing t v2\n");
}

#[test]
fn interface_dynamic_and_virtual_calls() {
    let mut s = Session::start("dispatch");
    assert_eq!(s.call("Main.step"), "9 16 derived v1\n");
    let report = s.reload("v2").expect("reload");
    assert_eq!(report.changed, strs(&["Derived.name", "Sq.area"]));
    assert_eq!(s.call("Main.step"), "1009 1016 derived v2\n");
}

#[test]
fn added_method_class_and_enum() {
    let mut s = Session::start("added");
    assert_eq!(s.call("Main.step"), "v1 first true\n");
    let report = s.reload("v2").expect("reload");
    // The entrypoint changed too (it initialises the new class); it is not re-run.
    assert_eq!(report.changed, strs(&[".init", "Main.step"]));
    for f in ["Main.helper", "Main.speed", "Extra.make", "Extra.twice"] {
        assert!(report.added.contains(&f.to_string()), "{f} not in {:?}", report.added);
    }
    // A new class's statics start at their default value: initialisers are not run.
    // Class objects of the new class, enum and interface, the enum's cached constructors
    // and the `Float` core type object (first needed by v2) exist, and the old interface
    // knows its new implementer. (What a fresh run of v2 prints.)
    let tail = "first extra5 5 true true true false true false Extra Mode Extra\n";
    assert_eq!(s.call("Main.step"), format!("v2 110 made=1 base=0 Slow=2 Custom(9)=9 true 0\n{tail}"));
    assert_eq!(s.call("Main.step"), format!("v2 110 made=2 base=0 Slow=2 Custom(9)=9 true 0\n{tail}"));
}

#[test]
fn virtual_methods_keep_their_slots() {
    let mut s = Session::start("vtable");
    let v1 = "base/k-base base/k-mid base/k-mid x-leaf\n";
    assert_eq!(s.call("Main.step"), v1);
    // v3 overrides `name` in Leaf: `Base.name` becomes virtual and genhl renumbers the
    // slots of `kind` and `extra`. The objects made by v1 dispatch through the new
    // slots, old code through the old ones.
    let r3 = s.reload("v3").expect("v3");
    assert_eq!(r3.added, strs(&["Leaf.name"]));
    assert_eq!(s.call("Main.step"), "base/k-base base/k-mid leaf/k-mid x-leaf\n");
    // v2 drops that override again, changes `Mid.kind` and adds a subclass of `Base`.
    s.reload("v2").expect("v2");
    assert_eq!(s.call("Main.step"), "base/k-base base/k-mid2 base/k-mid2 k-other x-leaf\n");
    s.reload("v1").expect("v1");
    assert_eq!(s.call("Main.step"), v1);
    s.reload("v3").expect("v3 again");
    assert_eq!(s.call("Main.step"), "base/k-base base/k-mid leaf/k-mid x-leaf\n");
}

#[test]
fn statics_keep_their_values() {
    let mut s = Session::start("statics");
    assert_eq!(s.call("Main.step"), "v1 counter=1 list=s1 map=10 pt=2,2 name=init\n");
    assert_eq!(s.call("Main.step"), "v1 counter=2 list=s1,s2 map=20 pt=3,2 name=init\n");
    // v2 adds statics (a var and a function) before, between and after the old ones.
    let report = s.reload("v2").expect("reload");
    assert_eq!(report.changed, strs(&[".init", "Main.step"]));
    assert!(report.added.contains(&"Main.fresh".to_string()), "{report:?}");
    assert_eq!(s.call("Main.step"), "v2 counter=3 list=s1,s2,s3 map=30 keys=3 pt=3,3 name=init added=1 tag=null fresh\n");
    assert_eq!(s.call("Main.step"), "v2 counter=4 list=s1,s2,s3,s4 map=40 keys=4 pt=3,4 name=init added=2 tag=null fresh\n");
    // And back: the statics v1 does not know stay in the class object, unused.
    s.reload("v1").expect("reload back");
    assert_eq!(s.call("Main.step"), "v1 counter=5 list=s1,s2,s3,s4,s5 map=50 pt=4,4 name=init\n");
}

#[test]
fn hlb_v5_bytes_pool() {
    let mut s = Session::start("bytes_v5");
    assert_eq!(s.vm.code().version, 5);
    assert_eq!(s.call("Main.step"), "v1 1 hello resource 14\n");
    let pool = s.vm.code().bytes_pos.len();
    let r = s.reload("v2").expect("reload");
    assert_eq!(r.changed, strs(&[".init", "Main.step"]));
    // The new resource's bytes join the running pool...
    assert_eq!(s.vm.code().bytes_pos.len(), pool + 1);
    assert!(s.vm.code().bytes.windows(4).any(|w| w == [1, 2, 3, 255]));
    // ...but `haxe.Resource` lists resources in a static its initialiser fills, which a
    // reload does not re-run: a resource new to the program is not found.
    assert_eq!(s.call("Main.step"), "v2 2 hello resource 14 no blob\n");
    s.reload("v1").expect("back to v1");
    assert_eq!(s.call("Main.step"), "v1 3 hello resource 14\n");
}

#[test]
fn repeated_reloads_carry_state() {
    let mut s = Session::start("repeat");
    assert_eq!(s.call("Main.step"), "v1 total=1\n");
    s.reload("v2").expect("v2");
    assert_eq!(s.call("Main.step"), "v2 total=11\n");
    let r3 = s.reload("v3").expect("v3");
    assert_eq!(r3.changed, strs(&[".init", "Main.step"]));
    assert_eq!(r3.added, strs(&["Main.bonus", "Main.step~0"]));
    assert_eq!(s.call("Main.step"), "v3 total=111 hist=[111]\n");
    let r1 = s.reload("v1").expect("back to v1");
    assert_eq!(r1.changed, strs(&[".init", "Main.step"]));
    assert!(r1.added.is_empty());
    assert_eq!(s.call("Main.step"), "v1 total=112\n");
    let size = |vm: &Vm| (vm.code().fun_refs.len(), vm.type_count(), vm.global_count(), vm.code().strings.len(), vm.code().ints.len());
    let before = size(&s.vm);
    for v in ["v2", "v3", "v1", "v3"] {
        s.reload(v).expect("reload");
    }
    assert_eq!(s.call("Main.step"), "v3 total=212 hist=[111,212]\n");
    s.reload("v1").expect("reload");
    assert_eq!(size(&s.vm), before, "reloading known versions must not grow the module");
}

#[test]
fn changed_field_layout_is_refused() {
    let mut s = Session::start("layout");
    assert_eq!(s.call("Main.step"), "v1 n=1\n");
    let before = s.vm.code().clone();
    let err = s.reload("v2").expect_err("a field was added");
    match &err {
        ReloadError::Layout { type_name, detail } => {
            assert_eq!(type_name, "Counter");
            assert_eq!(detail, "field `extra` was added");
        }
        other => panic!("unexpected error {other:?}"),
    }
    assert_eq!(err.to_string(), "cannot reload: the layout of `Counter` changed: field `extra` was added");
    assert!(*s.vm.code() == before, "a refused reload changed the code");
    assert_eq!(s.call("Main.step"), "v1 n=2\n");
    // A static that changes type is refused too, on its class.
    let err = s.reload("v3").expect_err("a static changed type");
    assert_eq!(err, ReloadError::Layout { type_name: "Main".into(), detail: "static `c` changed type from `Counter` to `dynamic`".into() });
    assert!(*s.vm.code() == before, "a refused reload changed the code");
    assert_eq!(s.call("Main.step"), "v1 n=3\n");
}

#[test]
fn missing_native_is_refused_then_accepted_once_registered() {
    let mut s = Session::start("natives");
    assert_eq!(s.call("Main.step"), "v1 calls=1\n");
    let before = s.vm.code().clone();
    let err = s.reload("v2").expect_err("native missing");
    assert_eq!(err, ReloadError::Link(LinkError::MissingNatives(strs(&["reloadtest@plus_one"]))));
    assert!(*s.vm.code() == before, "a refused reload changed the code");
    assert_eq!(s.call("Main.step"), "v1 calls=2\n");
    s.vm.register_native("reloadtest", "plus_one", Rc::new(|_vm: &mut Vm, _f: u32, a: &[u64]| Ok(hlvm::value::from_i32(hlvm::value::i32_of(a[0]) + 1))));
    let report = s.reload("v2").expect("native now provided");
    assert_eq!(report.changed, strs(&["Main.step"]));
    assert_eq!(s.call("Main.step"), "v2 calls=3 native=4\n");
}

#[test]
fn running_frames_finish_their_old_body() {
    let v2 = Rc::new(RefCell::new(Some(compile("frames", "v2"))));
    let result: Rc<RefCell<Option<Result<ReloadReport, ReloadError>>>> = Rc::default();
    let (code, res) = (v2.clone(), result.clone());
    let mut s = Session::with_vm("frames", move |vm| {
        vm.register_native(
            "reloadtest",
            "trigger",
            Rc::new(move |vm: &mut Vm, _f: u32, _a: &[u64]| {
                if let Some(c) = code.borrow_mut().take() {
                    *res.borrow_mut() = Some(vm.reload(c));
                }
                Ok(0)
            }),
        );
    });
    // `step` reloads in the middle of itself: it finishes as v1, what it calls after
    // the reload is v2.
    assert_eq!(s.call("Main.step"), "before v1\nafter v1, inner v2\n");
    let report = result.borrow_mut().take().expect("trigger ran").expect("reload");
    assert_eq!(report.changed, strs(&["Main.inner", "Main.step"]));
    assert_eq!(s.call("Main.step"), "before v2\nafter v2, inner v2\n");
}

fn compile_bytes(case: &str, version: &str) -> Vec<u8> {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reload").join(case).join(version);
    compile_dir(&src, &format!("{case}-{version}"))
}

/// Reloads `new` into a fresh VM running `v1`; a refusal must leave the code as it was.
/// Returns whether the reload was accepted.
fn reload_checked(v1: &Code, new: Code) -> bool {
    let mut vm = Vm::new(VmConfig { stdout: Box::new(Capture::default()), stack_slots: 1 << 16, ..VmConfig::default() });
    vm.load(v1.clone()).expect("v1 links");
    vm.call_entry().expect("v1 runs");
    let before = vm.code().clone();
    match vm.reload(new) {
        Ok(_) => true,
        Err(_) => {
            assert!(*vm.code() == before, "a refused reload changed the code");
            false
        }
    }
}

#[test]
fn other_programs_reload_or_are_refused_without_panicking() {
    let v1 = compile("static_body", "v1");
    let mut accepted = 0;
    for (case, v) in [("dispatch", "v2"), ("added", "v2"), ("layout", "v2"), ("statics", "v2"), ("closures", "v1"), ("init_closures", "v2")] {
        let new = compile(case, v);
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| reload_checked(&v1, new)));
        accepted += r.unwrap_or_else(|_| panic!("reloading {case}/{v} panicked")) as usize;
    }
    assert!(accepted > 0);
}

#[test]
fn corrupted_reloads_never_panic() {
    let v1 = compile("added", "v1");
    let full = compile_bytes("added", "v2");
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let (mut read, mut accepted) = (0, 0);
    for case in 0..3000 {
        let mut bytes = full.clone();
        for _ in 0..1 + next() % 4 {
            let at = (next() % bytes.len() as u64) as usize;
            bytes[at] = match next() % 3 {
                0 => bytes[at] ^ (1 << (next() % 8)),
                1 => bytes[at].wrapping_add(1),
                _ => next() as u8,
            };
        }
        let Ok(code) = Code::read(&bytes) else { continue };
        read += 1;
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| reload_checked(&v1, code)));
        accepted += r.unwrap_or_else(|_| panic!("corruption case {case} panicked")) as usize;
    }
    // The corruptions must get past the reader often enough to exercise reload.
    assert!(read > 100, "only {read} corrupted files were readable");
    println!("{read} readable corruptions, {accepted} reloaded");
}

/// Generates a program of about `classes * methods` functions; `variant` changes the
/// body of one method.
fn big_program(classes: usize, methods: usize, variant: u32) -> String {
    let mut s = String::new();
    for c in 0..classes {
        s.push_str(&format!("class C{c} {{\n\tpublic var v:Int;\n\tpublic function new(v:Int) {{ this.v = v; }}\n"));
        for m in 0..methods {
            let extra = if c == classes / 2 && m == methods / 2 { variant } else { 0 };
            if m % 2 == 0 {
                s.push_str(&format!("\tpublic function m{m}(x:Int):Int {{ var s = x; for (i in 0...3) s += i * {m} + v + {extra}; return s; }}\n"));
            } else {
                s.push_str(&format!("\tpublic static function s{m}(x:Int):String {{ return \"c{c}m{m}:\" + (x + {m} + {extra}); }}\n"));
            }
        }
        s.push_str("}\n");
    }
    s.push_str("class Main {\n\tstatic var objs:Array<Dynamic> = [];\n\tstatic function main() {}\n");
    s.push_str("\tpublic static function hot():Int { var o = new C0(1); var t = 0; for (i in 0...200000) t += o.m0(i); return t; }\n}\n");
    s
}

fn compile_source(name: &str, source: &str) -> (Code, usize) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("hlvm-reload-src-{name}"));
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("Main.hx"), source).expect("write source");
    let bytes = compile_dir(&dir, name);
    let len = bytes.len();
    (Code::read(&bytes).expect("valid bytecode"), len)
}

/// Reload timing on a ~2,000-function module (run with `--ignored --nocapture`).
#[test]
#[ignore = "measurement, not a check; run with --ignored --nocapture"]
fn measure_reload_time() {
    let (v1, size) = compile_source("big-v1", &big_program(40, 50, 0));
    let (v2, _) = compile_source("big-v2", &big_program(40, 50, 1));
    println!("module: {} functions, {} types, {} bytes", v1.functions.len(), v1.types.len(), size);
    let mut vm = Vm::new(VmConfig::default());
    vm.load(v1.clone()).expect("links");
    vm.call_entry().expect("runs");
    let hot = vm.qualified_function("Main.hot").expect("Main.hot");
    let time_hot = |vm: &mut Vm| {
        let t = Instant::now();
        vm.call_guarded(hot, &[]).expect("hot runs");
        t.elapsed()
    };
    let before = (0..5).map(|_| time_hot(&mut vm)).min().expect("runs");
    let mut times = Vec::new();
    for i in 0..100 {
        let code = if i % 2 == 0 { v2.clone() } else { v1.clone() };
        let t = Instant::now();
        let r = vm.reload(code).expect("reload");
        times.push(t.elapsed());
        assert_eq!(r.changed.len(), 1, "{:?}", r.changed);
    }
    times.sort();
    let after = (0..5).map(|_| time_hot(&mut vm)).min().expect("runs");
    println!(
        "reload (100 runs, one function changed): min {:?}, median {:?}, max {:?}",
        times[0],
        times[times.len() / 2],
        times[times.len() - 1]
    );
    println!("hot loop (unchanged function, 200k calls): before {before:?}, after 100 reloads {after:?}");
    assert_eq!(vm.code().fun_refs.len(), v1.fun_refs.len(), "the function table must not grow");
    assert_eq!(vm.type_count(), v1.types.len(), "the type table must not grow");
}
