//! Hot reload while Haxe threads run (`haxe-tests/reload/threads/`): four `sys.thread`
//! threads keep calling `Work.version()` (1 in v1, 2 in v2) and record each result; the
//! host reloads back and forth between the versions and checks that every thread gets
//! the new value from its next call on, and never the old one again.
//!
//! The host gives the threads time with `Vm::allow_threads` (today the host thread
//! holds the VM between its calls, so that is the only time they run); nothing here
//! depends on the threads *not* running between the host's calls. A watchdog aborts the
//! test process with a message if the test takes over a minute, so a deadlock fails
//! the test instead of hanging CI.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use haxe_tests::{compile, ensure_haxe, Output};
use hlffi::Vm;

/// Haxe threads started by the test.
const THREADS: i32 = 4;

/// The longest the test may take before the watchdog aborts the process.
const WATCHDOG: Duration = Duration::from_secs(60);

/// The longest one wait for the threads' progress may take.
const PROGRESS_TIMEOUT: Duration = Duration::from_secs(20);

/// Compiles version `version` of the case (cached) and returns the `.hl` path.
fn hl(version: &str) -> PathBuf {
    ensure_haxe();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("reload/threads").join(version);
    compile(&dir, "Main", &[]).unwrap_or_else(|e| panic!("{e}"))
}

/// Aborts the process with a message naming `what` unless dropped within `limit`.
struct Watchdog(#[expect(dead_code, reason = "dropping the sender disarms the watchdog")] mpsc::Sender<()>);

fn watchdog(what: &'static str, limit: Duration) -> Watchdog {
    let (tx, rx) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        if let Err(mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(limit) {
            eprintln!("{what}: still running after {} s (deadlock?); aborting", limit.as_secs());
            std::process::abort();
        }
    });
    Watchdog(tx)
}

/// Each thread's call count.
fn calls(vm: &Vm) -> Vec<i32> {
    (0..THREADS).map(|i| vm.call_static::<i32>("Main", "callsOf", (i,)).unwrap()).collect()
}

/// Each thread's results as runs of equal values: `(value, count)`, oldest first.
fn runs(vm: &Vm) -> Vec<Vec<(i32, i32)>> {
    (0..THREADS)
        .map(|i| {
            let text = vm.call_static::<String>("Main", "runsOf", (i,)).unwrap();
            text.split(',')
                .filter(|s| !s.is_empty())
                .map(|run| {
                    let (v, n) = run.split_once('x').unwrap_or_else(|| panic!("bad run {run:?} in {text:?}"));
                    (v.parse().unwrap(), n.parse().unwrap())
                })
                .collect()
        })
        .collect()
}

/// Lets the threads run (in 5 ms slices) until every thread has made at least
/// `at_least[i]` calls.
fn wait_for_calls(vm: &Vm, at_least: &[i32], what: &str) {
    let deadline = Instant::now() + PROGRESS_TIMEOUT;
    loop {
        let now = calls(vm);
        if now.iter().zip(at_least).all(|(n, want)| n >= want) {
            return;
        }
        assert!(Instant::now() < deadline, "{what}: threads stuck at {now:?} calls, waiting for {at_least:?}");
        vm.allow_threads(|| std::thread::sleep(Duration::from_millis(5))).unwrap();
    }
}

/// Starts [`THREADS`] threads (sleeping 1 ms between calls, or `busy`: not at all),
/// reloads `reloads` times between v2 and v1, checking after each reload that every
/// thread gets the new value from its next call on, then stops the threads.
fn reload_while_threads_run(busy: bool, reloads: usize) {
    let out = Output::default();
    let mut vm = Vm::builder().hot_reload(true).stdout(out.writer()).build();
    vm.load_file(hl("v1")).unwrap();
    vm.call_entry().unwrap();
    assert_eq!(out.take(), "version 1\n");
    vm.call_static::<()>("Main", "start", (THREADS, busy)).unwrap();
    wait_for_calls(&vm, &[3; THREADS as usize], "before any reload");

    // What every thread must have seen so far: runs of these values, in order.
    let mut values = vec![1];
    for step in 0..reloads {
        let (version, new) = if step % 2 == 0 { ("v2", 2) } else { ("v1", 1) };
        let report = vm.reload_module(hl(version)).unwrap_or_else(|e| panic!("reload {step} to {version}: {e}"));
        assert_eq!(report.changed, ["Work.version"], "reload {step} to {version}");
        values.push(new);
        // Calls counted now started before this point, or after the reload; one call
        // may be under way (started before the reload, recorded later).
        let at_reload = calls(&vm);
        let want: Vec<i32> = at_reload.iter().map(|n| n + 3).collect();
        wait_for_calls(&vm, &want, &format!("after reload {step} to {version}"));
        for (i, thread_runs) in runs(&vm).iter().enumerate() {
            let seen: Vec<i32> = thread_runs.iter().map(|r| r.0).collect();
            assert_eq!(seen, values, "thread {i} after reload {step} to {version}: runs {thread_runs:?}");
            // 1-based index of the first call that returned the new value.
            let first_new: i32 = thread_runs[..thread_runs.len() - 1].iter().map(|r| r.1).sum::<i32>() + 1;
            assert!(
                first_new <= at_reload[i] + 2,
                "thread {i} after reload {step} to {version}: first new value at call {first_new}, \
                 but {} calls were made before the reload returned (runs {thread_runs:?})",
                at_reload[i]
            );
        }
    }

    // The threads stop cleanly: `stopAll` waits for each with the VM lock released.
    assert!(vm.call_static::<bool>("Main", "stopAll", (10.0,)).unwrap(), "a thread did not stop");
    assert_eq!(out.take(), "");
}

#[test]
fn every_thread_runs_new_code_at_its_next_call() {
    let _watchdog = watchdog("every_thread_runs_new_code_at_its_next_call", WATCHDOG);
    reload_while_threads_run(false, 10);
}

/// Threads that never block: the host reloads while they are stopped at a safepoint,
/// possibly inside `Work.version` itself (that call finishes in the old code).
#[test]
fn busy_threads_run_new_code_at_their_next_call() {
    let _watchdog = watchdog("busy_threads_run_new_code_at_their_next_call", WATCHDOG);
    reload_while_threads_run(true, 10);
}
