//! The C API tested from C: the header compiles as C99 and C++ with every warning an
//! error, the built library exports exactly the header's functions, and C programs
//! (`tests/c/*.c`, compiled with `cc` against `include/hlffi.h` and the built
//! `libhlffi`) run against real `haxe` output (`tests/haxe/`).
//!
//! The library is the `cdylib`/`staticlib` of this package, built by [`lib_dir`]
//! into `target/<profile>/libhlffi.{so,a}`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use haxe_tests::{compile, ensure_haxe};

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `target/<profile>`: the test binary lives in its `deps/` folder.
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    exe.parent().and_then(Path::parent).expect("target/<profile>/deps/<test>").to_path_buf()
}

/// `target/<profile>/libhlffi.{so,a}`, built first: `cargo test` does not build C
/// library targets, so this runs `cargo build -p hlffi-capi` (same profile and
/// target folder, whichever they are; cargo releases its lock before running tests)
/// once per run.
fn lib_dir() -> PathBuf {
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let r = BUILT.get_or_init(|| {
        let dir = profile_dir();
        let mut cmd = Command::new(env!("CARGO"));
        cmd.args(["build", "-p", "hlffi-capi", "--lib"]).current_dir(crate_dir());
        // The target folder this test binary was built in, however it was chosen.
        if let Some(target) = dir.parent() {
            cmd.arg("--target-dir").arg(target);
        }
        // The profile this test binary was built with: `target/<dir>` is named after it
        // (`debug` for `dev`).
        let profile = match dir.file_name().and_then(|n| n.to_str()) {
            Some("debug") | None => "dev",
            Some(p) => p,
        };
        cmd.args(["--profile", profile]);
        let out = cmd.output().map_err(|e| format!("cannot run cargo: {e}"))?;
        if !out.status.success() {
            return Err(format!("cargo build -p hlffi-capi failed:\n{}", String::from_utf8_lossy(&out.stderr)));
        }
        if !(dir.join("libhlffi.so").is_file() && dir.join("libhlffi.a").is_file()) {
            return Err(format!("libhlffi.so/.a not found in {}", dir.display()));
        }
        Ok(dir)
    });
    r.clone().unwrap_or_else(|e| panic!("{e}"))
}

fn out_dir(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("capi-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).expect("scratch folder");
    d
}

fn run(cmd: &mut Command) -> std::process::Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    if !out.status.success() {
        panic!(
            "{cmd:?} failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    out
}

/// Compiles C program `tests/c/<name>.c` against the shared library.
fn build_c(name: &str, tag: &str, extra: &[&str]) -> PathBuf {
    let lib = lib_dir();
    let exe = out_dir(&format!("{name}-{tag}")).join(name);
    run(Command::new("cc")
        .args(["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-D_POSIX_C_SOURCE=200809L", "-g"])
        .arg("-I")
        .arg(crate_dir().join("include"))
        .arg(crate_dir().join("tests/c").join(format!("{name}.c")))
        .arg("-o")
        .arg(&exe)
        .arg("-L")
        .arg(&lib)
        .arg(format!("-Wl,-rpath,{}", lib.display()))
        .arg("-lhlffi")
        .args(extra));
    exe
}

fn haxe_program(rel: &str) -> PathBuf {
    ensure_haxe();
    compile(&crate_dir().join("tests/haxe").join(rel), "Main", &[]).unwrap_or_else(|e| panic!("{e}"))
}

fn run_c(exe: &Path, args: &[&Path], envs: &[(&str, &str)]) -> String {
    let mut cmd = Command::new(exe);
    cmd.args(args);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    String::from_utf8_lossy(&run(&mut cmd).stdout).into_owned()
}

// ---------------------------------------------------------------- header checks

/// Prototypes declared by `hlffi.h`: `name` of every `ret name(args);` line.
fn declared_functions() -> Vec<String> {
    let h = std::fs::read_to_string(crate_dir().join("include/hlffi.h")).expect("hlffi.h");
    let mut names: Vec<String> = h
        .lines()
        .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && !l.starts_with("typedef") && l.trim_end().ends_with(");"))
        .filter_map(|l| {
            let open = l.find('(')?;
            let name = l[..open].rsplit([' ', '*']).next()?;
            name.starts_with("hlffi_").then(|| name.to_string())
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn header_declares_141_functions() {
    assert_eq!(declared_functions().len(), 141);
}

#[test]
fn header_compiles_as_c99_and_cpp_with_warnings_as_errors() {
    let dir = out_dir("header");
    let inc = crate_dir().join("include");
    let c = dir.join("check.c");
    // Twice (include guard), with hl.h (compatible hl_type), every macro used.
    std::fs::write(
        &c,
        "#include \"hl.h\"\n#include \"hlffi.h\"\n#include \"hlffi.h\"\n\
         int main(void) {\n  HLFFI_ENTER_SCOPE();\n  hl_type* t = &hlt_i32;\n  (void)t;\n\
         return HLFFI_VERSION_MAJOR == 3 && HLFFI_CALL_ERROR == 2 && HLFFI_ERROR_UNKNOWN == 32 && HLFFI_TYPE_PACKED == 22 ? 0 : 1;\n}\n",
    )
    .expect("write");
    run(Command::new("cc").args(["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-c"]).arg("-I").arg(&inc).arg(&c).arg("-o").arg(dir.join("c.o")));
    let cpp = dir.join("check.cpp");
    std::fs::write(
        &cpp,
        "#include <hl.h>\n#include \"hlffi.h\"\n#include \"hlffi.h\"\n\
         static_assert(sizeof(hlffi_error_code) == sizeof(int), \"int-sized enum\");\n\
         static_assert(HLFFI_MODE_THREADED == 1 && HLFFI_EVENTLOOP_MAINLOOP == 4, \"enum values\");\n\
         int main() {\n  HLFFI_ENTER_SCOPE();\n  { hlffi::BlockingGuard b; }\n  { hlffi::WorkerGuard w; }\n  return 0;\n}\n",
    )
    .expect("write");
    let lib = lib_dir();
    let exe = dir.join("check_cpp");
    run(Command::new("c++")
        .args(["-std=c++11", "-Wall", "-Wextra", "-Werror", "-pedantic"])
        .arg("-I")
        .arg(&inc)
        .arg(&cpp)
        .arg("-o")
        .arg(&exe)
        .arg("-L")
        .arg(&lib)
        .arg(format!("-Wl,-rpath,{}", lib.display()))
        .arg("-lhlffi"));
    run(&mut Command::new(&exe));
}

#[test]
fn library_exports_exactly_the_declared_functions() {
    let declared = declared_functions();
    let lib = lib_dir();
    // 1. A C file taking every declared function's address links against both the
    //    shared and the static library (a missing export fails at link time).
    let dir = out_dir("symbols");
    let mut src = String::from("#include \"hlffi.h\"\n#include \"hl.h\"\n#include <stdio.h>\ntypedef void (*any_fn)(void);\nstatic any_fn fns[] = {\n");
    for f in &declared {
        src.push_str(&format!("  (any_fn){f},\n"));
    }
    src.push_str("};\nint main(void) {\n  unsigned n = 0;\n  for (unsigned i = 0; i < sizeof fns / sizeof fns[0]; i++) n += fns[i] != 0;\n");
    src.push_str("  const void* data[] = {&hlt_void, &hlt_i32, &hlt_i64, &hlt_f64, &hlt_f32, &hlt_dyn, &hlt_array, &hlt_bytes, &hlt_dynobj, &hlt_bool, &hlt_abstract};\n");
    src.push_str("  printf(\"%u %u\\n\", n, (unsigned)(sizeof data / sizeof data[0]));\n  return 0;\n}\n");
    let c = dir.join("all.c");
    std::fs::write(&c, src).expect("write");
    let inc = crate_dir().join("include");
    for (exe, link) in [("all_shared", vec![format!("-L{}", lib.display()), format!("-Wl,-rpath,{}", lib.display()), "-lhlffi".into()]), ("all_static", vec![lib.join("libhlffi.a").display().to_string(), "-lpthread".into(), "-ldl".into(), "-lm".into(), "-lz".into()])] {
        let exe = dir.join(exe);
        run(Command::new("cc").args(["-std=c99", "-Wpedantic", "-Wall"]).arg("-I").arg(&inc).arg(&c).arg("-o").arg(&exe).args(&link));
        assert_eq!(String::from_utf8_lossy(&run(&mut Command::new(&exe)).stdout), "141 11\n");
    }
    // 2. The shared library exports no other `hlffi_` function.
    let nm = run(Command::new("nm").args(["-D", "--defined-only"]).arg(lib.join("libhlffi.so")));
    let text = String::from_utf8_lossy(&nm.stdout);
    let mut exported: Vec<String> = text
        .lines()
        .filter_map(|l| {
            let mut parts = l.split_whitespace().rev();
            let name = parts.next()?;
            let kind = parts.next()?;
            (kind == "T" && name.starts_with("hlffi_")).then(|| name.to_string())
        })
        .collect();
    exported.sort();
    assert_eq!(exported, declared);
    for data in ["hlt_void", "hlt_i32", "hlt_bytes", "hlt_abstract"] {
        assert!(text.lines().any(|l| l.ends_with(&format!(" {data}"))), "{data} not exported");
    }
}

// ---------------------------------------------------------------- C programs

/// Builds `tests/c/NAME.c` (linked with `libs`), runs it on the `capi` Haxe program,
/// plainly or under `HLVM_GC_STRESS=1`, and expects its success line.
fn check_capi_program(name: &str, libs: &[&str], gc_stress: bool) {
    let hl = haxe_program("capi");
    let (tag, envs): (&str, &[(&str, &str)]) = if gc_stress { ("stress", &[("HLVM_GC_STRESS", "1")]) } else { ("plain", &[]) };
    let exe = build_c(name, tag, libs);
    assert_eq!(run_c(&exe, &[&hl], envs), format!("{name}: all checks passed\n"));
}

#[test]
fn basic_non_threaded() {
    check_capi_program("basic", &[], false);
}

#[test]
fn basic_non_threaded_under_gc_stress() {
    check_capi_program("basic", &[], true);
}

#[test]
fn threaded_mode() {
    check_capi_program("threaded", &["-lpthread"], false);
}

#[test]
fn threaded_mode_under_gc_stress() {
    check_capi_program("threaded", &["-lpthread"], true);
}

#[test]
fn worker_threads() {
    check_capi_program("workers", &["-lpthread"], false);
}

#[test]
fn worker_threads_under_gc_stress() {
    check_capi_program("workers", &["-lpthread"], true);
}

#[test]
fn hot_reload() {
    let (v1, v2, v3) = (haxe_program("reload/v1"), haxe_program("reload/v2"), haxe_program("reload/v3"));
    let exe = build_c("reload", "plain", &[]);
    let scratch = out_dir("reload-files");
    assert_eq!(run_c(&exe, &[&v1, &v2, &v3, &scratch], &[]), "reload: all checks passed (4 applied, 4 refused)\n");
}

/// Builds `examples/c/<name>.c` like a host would (`-I include`, `-lhlffi`).
fn build_example(name: &str) -> PathBuf {
    let lib = lib_dir();
    let examples = crate_dir().join("../examples/c");
    let exe = out_dir(&format!("example-{name}")).join(name);
    run(Command::new("cc")
        .args(["-std=c99", "-Wall", "-Wextra", "-Werror", "-D_POSIX_C_SOURCE=200809L"])
        .arg("-I")
        .arg(crate_dir().join("include"))
        .arg(examples.join(format!("{name}.c")))
        .arg("-o")
        .arg(&exe)
        .arg("-L")
        .arg(&lib)
        .arg(format!("-Wl,-rpath,{}", lib.display()))
        .args(["-lhlffi", "-lpthread"]));
    exe
}

fn example_game() -> PathBuf {
    ensure_haxe();
    compile(&crate_dir().join("../examples/c"), "Game", &[]).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn example_game_loop() {
    let hl = example_game();
    let exe = build_example("game");
    let out = run_c(&exe, &[&hl, Path::new("400")], &[]);
    // The dragon arrives from a 10 ms timer: on a loaded machine it can already be there
    // at frame 1.
    assert!(out.starts_with("frame 1, score 0, 2 enemies left\n") || out.starts_with("frame 1, score 0, 3 enemies left\n"), "{out}");
    assert!(out.contains("  [C] slime defeated, score 10\n") && out.contains("  [C] dragon defeated, score 30\n"), "{out}");
    assert!(out.ends_with("final score 30, 3 kills reported to C\n"), "{out}");
}

#[test]
fn example_threaded_host() {
    let hl = example_game();
    let exe = build_example("threaded");
    let out = run_c(&exe, &[&hl], &[]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[..2].iter().all(|l| l.starts_with("[host thread ") && l.contains("frame ")), "{out}");
    assert!(lines[..2].iter().any(|l| l.contains("frame 20, ")), "the last status sees all 20 frames: {out}");
    assert_eq!(lines[2], "done");
}

#[test]
fn example_bench_runs() {
    ensure_haxe();
    let hl = compile(&crate_dir().join("../examples/bench"), "Bench", &[]).unwrap_or_else(|e| panic!("{e}"));
    let exe = build_example("bench");
    let out = run_c(&exe, &[&hl, Path::new("1000")], &[]);
    assert!(out.contains("| hlffi_call_static (by name) | ") && out.contains("| hlffi_call_cached | "), "{out}");
    // Each run sums i + 1 over i < 1000, twice (by name and cached), five runs.
    assert!(out.ends_with(&format!("(1000 calls per run, best of 5; checksum {})\n", 10 * 500_500)), "{out}");
}
