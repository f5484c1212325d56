//! `sys.io.Process` in a host that has not ignored `SIGPIPE` (a C host may leave it at
//! its default action, which ends the process). Writing to a child that has exited must
//! fail with `haxe.io.Eof` as it does under `hl` and the `hlffi` runner (both ignore
//! the signal), not kill the host. A test binary of its own: it changes the process-wide
//! signal disposition.

#[test]
fn broken_pipe_to_a_child_does_not_kill_the_host() {
    haxe_tests::ensure_haxe();
    // SAFETY: sets this test process's SIGPIPE disposition back to the default action;
    // no other test runs in this binary.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
    let dir = haxe_tests::own_programs_dir().join("process_pipes");
    if let Err(report) = haxe_tests::check_case(&dir) {
        panic!("{report}");
    }
}
