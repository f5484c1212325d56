//! Child process natives behind `sys.io.Process` (`process_*`, the `hl_process`
//! abstract), Unix only, with HashLink 1.17's observable behaviour (facts read from its
//! `src/std/process.c` and checked against the reference VM by the
//! `haxe-tests/haxe/process_*` programs):
//!
//! - `process_run(cmd, args, detached)`: with `args` null, `cmd` runs through
//!   `/bin/sh -c cmd`; otherwise `cmd` is executed directly (searched on `PATH`) with
//!   `cmd` as `argv[0]` followed by `args` (a null element ends the list). `detached` is
//!   ignored on Unix. The child's stdin, stdout and stderr are pipes; everything else
//!   is inherited, except that the child starts with `SIGPIPE` ignored, as children of
//!   `hl` do (`hl` ignores it and the setting survives `exec`). When the program cannot
//!   be executed, HashLink's forked child prints `Command not found : <cmd>` on its
//!   stderr and exits with 1; here a `/bin/sh` stands in for that child and does the
//!   same, so the handle still has a pid, an exit code and pipes. Null is returned
//!   (the Haxe side throws `Process creation failure : <cmd>`) only when no process can
//!   be started at all (no pipes or no fork).
//! - `process_stdout_read` / `process_stderr_read(p, bytes, pos, len) -> Int`: one
//!   blocking `read` of up to `len` bytes; the count read, or -1 at end of stream, on
//!   error, after `process_close`, and also when `len` is 0 (HashLink maps a 0-byte
//!   `read` to -1). The Haxe side turns -1 into `haxe.io.Eof`.
//! - `process_stdin_write(p, bytes, pos, len) -> Int`: one blocking `write`; the count
//!   written or -1 (broken pipe, closed stdin). `SIGPIPE` never ends the process, even
//!   in a host that has not ignored it (`hl` ignores it at startup): the write fails.
//! - `process_stdin_close(p) -> Bool`: closes the child's stdin; false when it was
//!   already closed.
//! - `process_exit(p, running: ref<Bool>) -> Int`: `running` null waits for the child;
//!   otherwise it only polls, sets `running` and returns 0 while the child runs. The
//!   result is the exit status, or `0x40000000 | signal` when a signal ended the child.
//!   A child is reaped once: later calls return -1 (blocking) or 0 with `running` false
//!   (polling), as `waitpid` failing does in HashLink.
//! - `process_pid(p) -> Int`, `process_kill(p)` (`SIGKILL`; nothing once the child has
//!   been reaped, where HashLink would signal a pid that may have been reused), and
//!   `process_close(p)` (closes the three pipes, does not wait; the collector does the
//!   same for an unreachable handle).
//!
//! A null or foreign handle throws a null access (HashLink would crash); a `pos`/`len`
//! outside the bytes throws `Out of bounds` (HashLink does not check).
//!
//! # Blocking
//! Reads, writes and waits (`process_exit` with `running` null) block the calling
//! thread, as in HashLink, but with the VM lock released ([`Vm::blocking`]) once the
//! program has started threads, so other Haxe threads run meanwhile (HashLink keeps
//! them running too: its threads run in parallel). While the lock is released the
//! native touches no VM memory: it reads into (or writes from) a buffer of its own and
//! copies after taking the lock back, and it holds its own reference to the pipe
//! ([`Arc`]), so a `process_close` by another thread meanwhile cannot close the
//! descriptor under it (it is closed when the blocked call ends). Two threads waiting
//! for the same child: one gets its status, the other `-1`, as `waitpid` failing does
//! in HashLink.

use std::ffi::OsStr;
use std::fs::File;
use std::io::{ErrorKind, Read, Write};
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::Arc;

use super::{arg, argi, retry, Table};
use crate::code::Type;
use crate::gc::{NativeObj, Obj};
use crate::value::*;
use crate::vm::{Exc, Vm};

pub(super) const NATIVES: Table = &[
    ("process_run", process_run),
    ("process_stdout_read", process_stdout_read),
    ("process_stderr_read", process_stderr_read),
    ("process_stdin_write", process_stdin_write),
    ("process_stdin_close", process_stdin_close),
    ("process_exit", process_exit),
    ("process_pid", process_pid),
    ("process_close", process_close),
    ("process_kill", process_kill),
];

/// The `hl_process` abstract: a started child and our ends of its three pipes
/// (`None` once closed; shared with a native blocked on them, see the module docs).
struct Process {
    pid: libc::pid_t,
    stdin: Option<Arc<File>>,
    stdout: Option<Arc<File>>,
    stderr: Option<Arc<File>>,
    /// `waitpid` has returned this child's status: the pid is no longer ours.
    reaped: bool,
}

/// The bytes of a NUL-terminated string argument, without the terminator.
fn c_bytes(vm: &Vm, b: u64) -> Option<Vec<u8>> {
    let d = vm.bytes_at(b)?;
    let end = d.iter().position(|&c| c == 0).unwrap_or(d.len());
    Some(d[..end].to_vec())
}

/// Makes the child start with `SIGPIPE` ignored, as the children of `hl` do (Rust's
/// `Command` resets it to the default action otherwise).
pub(super) fn ignore_sigpipe_in_child(cmd: &mut Command) {
    // SAFETY: the closure runs in the forked child before `exec` and only calls
    // `signal`, which is async-signal-safe; it touches no memory of the parent.
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGPIPE, libc::SIG_IGN);
            Ok(())
        });
    }
}

/// Our end of a child's pipe as a shareable file (`&File` reads and writes).
fn pipe_file(end: impl Into<OwnedFd>) -> Arc<File> {
    Arc::new(File::from(end.into()))
}

/// Spawns `cmd` with piped stdio and returns the handle, or `None` when no process
/// could be started.
fn spawn(mut cmd: Command) -> std::io::Result<Process> {
    cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    ignore_sigpipe_in_child(&mut cmd);
    let mut child = cmd.spawn()?;
    // `Child` is dropped below without waiting: `process_exit` reaps the pid itself.
    Ok(Process {
        pid: child.id() as libc::pid_t,
        stdin: child.stdin.take().map(pipe_file),
        stdout: child.stdout.take().map(pipe_file),
        stderr: child.stderr.take().map(pipe_file),
        reaped: false,
    })
}

/// `process_run(cmd, args: NativeArray<Bytes>, detached) -> hl_process` (see the module
/// docs).
fn process_run(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(prog) = c_bytes(vm, arg(a, 0)) else { return Ok(0) };
    let args: Option<Vec<Vec<u8>>> = match vm.heap.get(handle(arg(a, 1))) {
        _ if arg(a, 1) == 0 => None,
        // An array of anything but bytes gives null, as in HashLink.
        Some(Obj::Array { elem, data }) if vm.types.get(*elem as usize) == Some(&Type::Bytes) => {
            let slots: Vec<u64> = data.iter().copied().take_while(|&s| s != 0).collect();
            Some(slots.into_iter().map(|s| c_bytes(vm, s).unwrap_or_default()).collect())
        }
        _ => return Ok(0),
    };
    let cmd = match &args {
        None => {
            let mut c = Command::new("/bin/sh");
            c.arg("-c").arg(OsStr::from_bytes(&prog));
            c
        }
        Some(list) => {
            let mut c = Command::new(OsStr::from_bytes(&prog));
            c.args(list.iter().map(|s| OsStr::from_bytes(s)));
            c
        }
    };
    let started = match spawn(cmd) {
        Ok(p) => Some(p),
        // No pipes, no fork: HashLink returns null here too.
        Err(e) if matches!(e.raw_os_error(), Some(libc::EMFILE | libc::ENFILE | libc::EAGAIN | libc::ENOMEM)) => None,
        // The program could not be executed: HashLink's child reports it and exits 1.
        Err(_) => {
            let mut c = Command::new("/bin/sh");
            c.arg("-c").arg("printf 'Command not found : %s\\n' \"$0\" >&2; exit 1").arg(OsStr::from_bytes(&prog));
            spawn(c).ok()
        }
    };
    match started {
        Some(p) => Ok(vm.heap.alloc(Obj::Native(NativeObj::Opaque(Box::new(p).into()))) as u64),
        None => Ok(0),
    }
}

/// The process behind handle `p`, if it is one.
fn process(vm: &mut Vm, p: u64) -> Option<&mut Process> {
    match vm.heap.get_mut(handle(p)) {
        Some(Obj::Native(NativeObj::Opaque(b))) if p != 0 => b.downcast_mut::<Process>(),
        _ => None,
    }
}

/// The process behind argument 0, or return HashLink's null access from the native.
macro_rules! process_or_throw {
    ($vm:expr, $a:expr) => {
        match process($vm, arg($a, 0)) {
            Some(p) => p,
            None => return Err($vm.null_access(None)),
        }
    };
}

/// Checks that `pos..pos+len` lies in the bytes at slot `b`.
fn check_range(vm: &mut Vm, b: u64, pos: i32, len: i32) -> Result<(usize, usize), Exc> {
    let fits = pos >= 0 && len >= 0 && vm.bytes_at(b).is_some_and(|d| (pos as usize + len as usize) <= d.len());
    if fits {
        Ok((pos as usize, len as usize))
    } else {
        Err(vm.out_of_bounds())
    }
}


/// One read from the child's stdout (`err` false) or stderr into `bytes[pos..pos+len]`,
/// with the VM lock released (see the module docs).
fn read_pipe(vm: &mut Vm, a: &[u64], err: bool) -> Result<u64, Exc> {
    let (b, pos, len) = (arg(a, 1), argi(a, 2), argi(a, 3));
    process_or_throw!(vm, a);
    let (pos, len) = check_range(vm, b, pos, len)?;
    let p = process_or_throw!(vm, a);
    let Some(pipe) = (if err { p.stderr.clone() } else { p.stdout.clone() }) else { return Ok(from_i32(-1)) };
    let mut buf = vec![0u8; len];
    let n = match vm.blocking(|| retry(|| (&*pipe).read(&mut buf))) {
        Ok(n) if n > 0 => n,
        _ => return Ok(from_i32(-1)),
    };
    // The bytes object is an argument (rooted by the caller's frame) and bytes never
    // change size: the range checked above still fits.
    if let Some(d) = vm.bytes_at_mut(b).and_then(|d| d.get_mut(pos..pos + n)) {
        d.copy_from_slice(&buf[..n]);
    }
    Ok(from_i32(n as i32))
}

fn process_stdout_read(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    read_pipe(vm, a, false)
}

fn process_stderr_read(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    read_pipe(vm, a, true)
}

/// `process_stdin_write(p, bytes, pos, len) -> Int`: one write, with the VM lock
/// released; the count or -1.
fn process_stdin_write(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let (b, pos, len) = (arg(a, 1), argi(a, 2), argi(a, 3));
    process_or_throw!(vm, a);
    let (pos, len) = check_range(vm, b, pos, len)?;
    let data = vm.bytes_at(b).and_then(|d| d.get(pos..pos + len)).map(<[u8]>::to_vec).unwrap_or_default();
    let Some(pipe) = process_or_throw!(vm, a).stdin.clone() else { return Ok(from_i32(-1)) };
    let n = match vm.blocking(|| without_sigpipe(|| retry(|| (&*pipe).write(&data)))) {
        Ok(n) => n as i32,
        Err(_) => -1,
    };
    Ok(from_i32(n))
}

/// Runs `f` (a write that may hit a broken pipe) so that `SIGPIPE` cannot end the
/// process even when the host has not ignored it (the `hlffi` runner and `hl` do; a C
/// host may not): the signal is blocked for this thread during `f`, and one it raised
/// is taken off the pending set before unblocking. The write then fails with `EPIPE`.
fn without_sigpipe<T>(f: impl FnOnce() -> std::io::Result<T>) -> std::io::Result<T> {
    // SAFETY (the zeroed sets and the block below): `sigset_t` is plain data that
    // `sigemptyset` initialises; the calls only touch these locals and this thread's
    // signal mask.
    let mut pipe_set: libc::sigset_t = unsafe { std::mem::zeroed() };
    let mut old_mask: libc::sigset_t = unsafe { std::mem::zeroed() };
    let mut pending: libc::sigset_t = unsafe { std::mem::zeroed() };
    let was_pending = unsafe {
        libc::sigemptyset(&mut pipe_set);
        libc::sigaddset(&mut pipe_set, libc::SIGPIPE);
        libc::pthread_sigmask(libc::SIG_BLOCK, &pipe_set, &mut old_mask);
        libc::sigemptyset(&mut pending);
        libc::sigpending(&mut pending);
        libc::sigismember(&pending, libc::SIGPIPE) == 1
    };
    let r = f();
    // A SIGPIPE pending before the write is not ours to take.
    if matches!(&r, Err(e) if e.raw_os_error() == Some(libc::EPIPE)) && !was_pending {
        let zero = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        // SAFETY: as above; a zero timeout makes `sigtimedwait` return at once.
        unsafe { libc::sigtimedwait(&pipe_set, std::ptr::null_mut(), &zero) };
    }
    // SAFETY: restores the mask saved above.
    unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, &old_mask, std::ptr::null_mut()) };
    r
}

/// `process_stdin_close(p) -> Bool`: false when stdin was already closed.
fn process_stdin_close(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    Ok(process_or_throw!(vm, a).stdin.take().is_some() as u64)
}

/// `process_exit(p, running: ref<Bool>) -> Int` (see the module docs); a blocking wait
/// releases the VM lock.
fn process_exit(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let running = arg(a, 1);
    let poll = running != 0;
    let p = process_or_throw!(vm, a);
    let (pid, reaped) = (p.pid, p.reaped);
    let (ret, status) = if reaped {
        (-1, 0)
    } else if poll {
        wait_child(pid, libc::WNOHANG)
    } else {
        vm.blocking(|| wait_child(pid, 0))
    };
    if ret == pid {
        process_or_throw!(vm, a).reaped = true;
    }
    if poll {
        vm.ref_write(running, (ret == 0) as u64)?;
    }
    let code = if ret != pid {
        if poll {
            0
        } else {
            -1
        }
    } else if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else if libc::WIFSIGNALED(status) {
        0x4000_0000 | libc::WTERMSIG(status)
    } else {
        -2
    };
    Ok(from_i32(code))
}

/// `waitpid(pid, flags)`, retried when a signal interrupts it: its result and the status.
fn wait_child(pid: libc::pid_t, flags: libc::c_int) -> (libc::pid_t, libc::c_int) {
    let mut status: libc::c_int = 0;
    loop {
        // SAFETY: `status` is a live local the call writes into; `pid` is a child of this
        // process that `process_exit` has not seen reaped (another thread waiting for it
        // at the same time makes this call fail with `ECHILD`, which is fine).
        let r = unsafe { libc::waitpid(pid, &mut status, flags) };
        if r == -1 && std::io::Error::last_os_error().kind() == ErrorKind::Interrupted {
            continue;
        }
        return (r, status);
    }
}

fn process_pid(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    Ok(from_i32(process_or_throw!(vm, a).pid))
}

/// `process_close(p)`: closes our ends of the pipes; the child keeps running.
fn process_close(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let p = process_or_throw!(vm, a);
    p.stdin = None;
    p.stdout = None;
    p.stderr = None;
    Ok(0)
}

/// `process_kill(p)`: sends `SIGKILL` to a child not reaped yet.
fn process_kill(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let p = process_or_throw!(vm, a);
    if !p.reaped {
        // SAFETY: plain system call on a pid that is still our (unreaped) child.
        unsafe { libc::kill(p.pid, libc::SIGKILL) };
    }
    Ok(0)
}
