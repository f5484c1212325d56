//! Stress runs of the thread programs of `haxe-tests/haxe/` (`threads_*`): each one
//! runs [`RUNS`] times in a row per engine, every run in a child process with a hard
//! time limit ([`RUN_TIMEOUT`]: the child is killed and the test fails naming the
//! program, so a deadlock fails instead of hanging CI), its output and exit code
//! compared with `expected.stdout` / `expected.exit` every time.
//!
//! Engines: the default one and the interpreter (`HLVM_JIT=0`); when `HLVM_JIT` is set
//! (as `scripts/test.sh` does for its eager-JIT and interpreter stages), only that
//! engine, so no stage repeats another's runs. `HAXE_TESTS_STRESS_RUNS` changes the
//! number of runs, `HAXE_TESTS_STRESS_TIMEOUT` the limit of one run (in seconds).
//!
//! The child is this test binary itself, run as `<binary> --exact stress_child` with
//! the program's bytecode in [`CHILD_HL`]: it runs the program with
//! [`haxe_tests::run_in_process`] (as `own.rs` does), writes the output to the file
//! named by [`CHILD_OUT`] and exits with the program's exit code.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use haxe_tests::{compile, ensure_haxe, own_programs_dir, Case};

/// Runs of each program per engine.
const RUNS: usize = 10;

/// The longest one run may take before it is killed and the test fails.
const RUN_TIMEOUT: Duration = Duration::from_secs(60);

/// Set in a child: the bytecode file to run.
const CHILD_HL: &str = "HAXE_TESTS_STRESS_HL";
/// Set in a child: where to write the program's output.
const CHILD_OUT: &str = "HAXE_TESTS_STRESS_OUT";
/// Set in a child: the program's arguments, one per line.
const CHILD_ARGS: &str = "HAXE_TESTS_STRESS_ARGS";

/// The child side (see the module docs); does nothing in a normal test run.
#[test]
fn stress_child() {
    let (Some(hl), Some(out)) = (std::env::var_os(CHILD_HL), std::env::var_os(CHILD_OUT)) else { return };
    let args: Vec<String> = std::env::var(CHILD_ARGS).map(|a| a.lines().map(String::from).collect()).unwrap_or_default();
    let outcome = haxe_tests::run_in_process(Path::new(&hl), &args);
    if let Err(e) = std::fs::write(&out, outcome.stdout.as_bytes()) {
        eprintln!("stress child: cannot write {}: {e}", Path::new(&out).display());
        std::process::exit(haxe_tests::EXIT_VM_ERROR);
    }
    // Ends the process here: the test harness must not add its own exit code.
    std::process::exit(outcome.exit_code);
}

/// The engines to run: a label and the `HLVM_JIT` value to set (`None`: inherited).
fn engines() -> Vec<(String, Option<&'static str>)> {
    match std::env::var("HLVM_JIT") {
        Ok(v) => vec![(format!("HLVM_JIT={v}"), None)],
        Err(_) => vec![("default engine".to_string(), None), ("HLVM_JIT=0".to_string(), Some("0"))],
    }
}

fn runs() -> usize {
    std::env::var("HAXE_TESTS_STRESS_RUNS").ok().and_then(|v| v.trim().parse().ok()).unwrap_or(RUNS)
}

fn run_timeout() -> Duration {
    std::env::var("HAXE_TESTS_STRESS_TIMEOUT")
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .map_or(RUN_TIMEOUT, Duration::from_secs_f64)
}

/// A folder of this test process for the children's output files.
fn scratch_dir(program: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("threads-stress-{}-{program}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

/// One run of `hl` in a child process; `Err` describes what went wrong.
fn run_once(case: &Case, hl: &Path, jit: Option<&str>, dir: &Path, limit: Duration) -> Result<(), String> {
    let out = dir.join("stdout");
    let err = dir.join("stderr");
    let _ = std::fs::remove_file(&out);
    let stderr = std::fs::File::create(&err).map_err(|e| format!("cannot create {}: {e}", err.display()))?;
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the test binary: {e}"))?;
    let mut cmd = Command::new(exe);
    cmd.args(["--exact", "stress_child", "--nocapture", "--test-threads=1", "-q"])
        .env(CHILD_HL, hl)
        .env(CHILD_OUT, &out)
        .env(CHILD_ARGS, case.args.join("\n"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr);
    if let Some(v) = jit {
        cmd.env("HLVM_JIT", v);
    }
    let mut child = cmd.spawn().map_err(|e| format!("cannot start the child: {e}"))?;
    let deadline = Instant::now() + limit;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("timed out after {limit:?} (killed)"));
            }
            Err(e) => return Err(format!("cannot wait for the child: {e}")),
        }
    };
    let stdout = std::fs::read(&out).map(|b| String::from_utf8_lossy(&b).into_owned());
    let stderr_text = || {
        let text = std::fs::read_to_string(&err).unwrap_or_default();
        let tail: Vec<&str> = text.lines().rev().take(20).collect();
        tail.into_iter().rev().collect::<Vec<_>>().join("\n")
    };
    let Ok(stdout) = stdout else {
        return Err(format!("the child ended ({status}) without writing its output; stderr:\n{}", stderr_text()));
    };
    let mut problems = Vec::new();
    if stdout != case.expected_stdout {
        problems.push(format!("stdout differs (- expected, + actual):\n{}", haxe_tests::diff_lines(&case.expected_stdout, &stdout)));
    }
    if status.code() != Some(case.expected_exit) {
        problems.push(format!("{status}, expected exit code {}", case.expected_exit));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}\nstderr:\n{}", problems.join("\n"), stderr_text()))
    }
}

/// Compiles `program` once, then runs it [`RUNS`] times per engine; panics with every
/// failure (the runs of an engine stop at its first failure).
fn stress(program: &str) {
    ensure_haxe();
    let case = Case::load(&own_programs_dir().join(program)).unwrap_or_else(|e| panic!("{e}"));
    let hl = compile(&case.dir, "Main", &case.flags).unwrap_or_else(|e| panic!("{e}"));
    let dir = scratch_dir(program);
    let (n, limit) = (runs(), run_timeout());
    let mut failures = Vec::new();
    for (label, jit) in engines() {
        let start = Instant::now();
        let mut slowest = Duration::ZERO;
        for run in 1..=n {
            let t = Instant::now();
            let result = run_once(&case, &hl, jit, &dir, limit);
            slowest = slowest.max(t.elapsed());
            if let Err(e) = result {
                failures.push(format!("{program} ({label}), run {run} of {n}: {e}"));
                break;
            }
        }
        eprintln!(
            "{program} ({label}): {n} runs in {:.1} s, slowest {:.2} s",
            start.elapsed().as_secs_f64(),
            slowest.as_secs_f64()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

macro_rules! stress_tests {
    ($($program:ident),* $(,)?) => {
        $(
            #[test]
            fn $program() {
                stress(stringify!($program));
            }
        )*
    };
}

stress_tests!(threads_messages, threads_sync, threads_pools_events, threads_lifecycle, threads_sockets, threads_blocking_io);

/// Every `threads_*` program of `haxe-tests/haxe/` has a stress test above.
#[test]
fn every_thread_program_is_stressed() {
    const STRESSED: &[&str] =
        &["threads_messages", "threads_sync", "threads_pools_events", "threads_lifecycle", "threads_sockets", "threads_blocking_io"];
    let dirs = haxe_tests::case_dirs(&own_programs_dir()).unwrap_or_else(|e| panic!("{e}"));
    let missing: Vec<String> = dirs
        .iter()
        .filter_map(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .filter(|n| n.starts_with("threads_") && !STRESSED.contains(&n.as_str()))
        .collect();
    assert!(missing.is_empty(), "add these programs to stress_tests! in threads_stress.rs: {missing:?}");
}
