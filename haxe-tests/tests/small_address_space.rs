//! The heap's handle table reserves address space for every 32-bit handle (128 GiB);
//! where a limit forbids that (`ulimit -v`, valgrind) it reserves less and compiled
//! code masks handles instead. This runs programs that reach objects of every kind
//! from compiled code in a child process limited to 6 GiB of address space, in both
//! engines, with collections at every safepoint.

use std::process::Command;

const CHILD: &str = "HAXE_TESTS_SMALL_AS_CHILD";
const CASES: [&str; 3] = ["method_dispatch", "interface_call_sites", "jit_semantics"];

#[test]
fn programs_run_when_not_every_handle_can_be_reserved() {
    if std::env::var_os(CHILD).is_some() {
        return child();
    }
    haxe_tests::ensure_haxe();
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("cannot find the test binary: {e}"));
    for jit in ["eager", "0"] {
        let out = Command::new(&exe)
            .args(["--exact", "programs_run_when_not_every_handle_can_be_reserved", "--nocapture", "-q"])
            .env(CHILD, "1")
            .env("HLVM_JIT", jit)
            .env("HLVM_GC_STRESS", "1")
            .output()
            .unwrap_or_else(|e| panic!("cannot start the child: {e}"));
        assert!(
            out.status.success(),
            "HLVM_JIT={jit}: {}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn child() {
    let limit = libc::rlimit { rlim_cur: 6 << 30, rlim_max: 6 << 30 };
    // SAFETY: sets this process's own limit from a valid struct.
    assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_AS, &limit) }, 0, "setrlimit");
    let root = haxe_tests::own_programs_dir();
    let dirs: Vec<_> = CASES.iter().map(|c| root.join(c)).collect();
    let failures = haxe_tests::check_cases(&dirs);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
