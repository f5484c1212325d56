//! sys, math, date, random and file natives (threads: `thread.rs`).
//!
//! # Blocking
//! The natives that can wait on the outside world release the VM lock
//! ([`Vm::blocking`]) around the system call once the program has started threads, as
//! HashLink marks them blocking: `sys_sleep`, `sys_command` (the whole `system` call),
//! `sys_get_char`, `file_open` (opening a FIFO waits for its other end),
//! `file_contents`, and `file_read`, `file_read_char`, `file_write` and
//! `file_write_char` on stdin, stderr and files that are not regular files (FIFOs,
//! terminals, devices). Reads and writes of regular files keep the lock: they do not
//! wait for other programs, and releasing costs about as much as the system call
//! (a byte-by-byte read of 1 MB took 670 ms instead of 420 ms with releases). While the
//! lock is released the natives touch no VM memory: data goes through a buffer of
//! their own, copied after the lock is taken back, and a file is held through its own
//! reference ([`Arc`]), so a `file_close` by another thread meanwhile closes the
//! descriptor only once the blocked call is over. Writes to stdout go to the VM's
//! output buffer and keep the lock.

use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::Arc;

use super::{arg, argi, noop, ret_true, text, Table};
use crate::code::Type;
use crate::gc::{NativeObj, Obj};
use crate::value::*;
use crate::vm::{Exc, Vm};

pub(super) const NATIVES: Table = &[
    ("sys_print", sys_print),
    ("sys_utf8_path", ret_true),
    ("sys_is64", ret_true),
    ("sys_exit", sys_exit),
    ("sys_time", sys_time),
    ("sys_cpu_time", sys_cpu_time),
    ("sys_string", sys_string),
    ("sys_args", sys_args),
    ("sys_get_env", sys_get_env),
    ("sys_put_env", sys_put_env),
    ("sys_env", sys_env),
    ("sys_exists", sys_exists),
    ("sys_delete", sys_delete),
    ("sys_remove_dir", sys_remove_dir),
    ("sys_create_dir", sys_create_dir),
    ("sys_is_dir", sys_is_dir),
    ("sys_rename", sys_rename),
    ("sys_read_dir", sys_read_dir),
    ("sys_full_path", sys_full_path),
    ("sys_get_cwd", sys_get_cwd),
    ("sys_set_cwd", sys_set_cwd),
    ("sys_sleep", sys_sleep),
    ("sys_exe_path", sys_exe_path),
    ("sys_set_time_locale", ret_true),
    ("sys_stat", sys_stat),
    ("sys_command", sys_command),
    ("sys_get_char", sys_get_char),
    ("sys_hl_file", sys_hl_file),
    ("gc_major", gc_major),
    ("gc_enable", noop),
    ("gc_get_flags", noop),
    ("gc_set_flags", noop),
    ("gc_stats", noop),
    ("blocking", noop),
    ("math_sqrt", math_sqrt),
    ("math_abs", math_abs),
    ("math_floor", math_floor),
    ("math_ceil", math_ceil),
    ("math_round", math_round),
    ("math_ffloor", math_ffloor),
    ("math_fceil", math_fceil),
    ("math_fround", math_fround),
    ("math_isnan", math_isnan),
    ("math_isfinite", math_isfinite),
    ("math_pow", math_pow),
    ("math_sin", math_sin),
    ("math_cos", math_cos),
    ("math_tan", math_tan),
    ("math_asin", math_asin),
    ("math_acos", math_acos),
    ("math_atan", math_atan),
    ("math_atan2", math_atan2),
    ("math_exp", math_exp),
    ("math_log", math_log),
    ("rnd_init_system", rnd_init_system),
    ("rnd_int", rnd_int),
    ("rnd_float", rnd_float),
    ("rnd_set_seed", rnd_set_seed),
    ("date_new", date_new),
    ("date_now", date_now),
    ("date_to_string", date_to_string),
    ("date_from_time", date_from_time),
    ("date_get_time", date_get_time),
    ("date_from_string", date_from_string),
    ("date_get_inf", date_get_inf),
    ("date_get_utc_inf", date_get_utc_inf),
    ("file_open", file_open),
    ("file_close", file_close),
    ("file_read", file_read),
    ("file_write", file_write),
    ("file_read_char", file_read_char),
    ("file_write_char", file_write_char),
    ("file_seek", file_seek),
    ("file_tell", file_tell),
    ("file_eof", file_eof),
    ("file_flush", file_flush),
    ("file_contents", file_contents),
    ("file_stdin", file_stdin),
    ("file_stdout", file_stdout),
    ("file_stderr", file_stderr),
];

/// A 0-terminated UTF-8 path/string argument.
fn utf8_arg(vm: &Vm, b: u64) -> Option<String> {
    let d = vm.bytes_at(b)?;
    let end = d.iter().position(|&c| c == 0).unwrap_or(d.len());
    Some(String::from_utf8_lossy(&d[..end]).into_owned())
}

fn utf8_ret(vm: &mut Vm, s: &str) -> u64 {
    let mut v = s.as_bytes().to_vec();
    v.push(0);
    vm.alloc_bytes_from(v)
}

fn sys_print(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    if let Some(u) = vm.read_utf16_z(arg(a, 0)) {
        let s = super::text::utf16_to_utf8(&u);
        vm.write_out(&s);
        // HashLink flushes stdout after every print: output reaches a pipe at once, and
        // survives the process being killed.
        vm.flush_stdout();
    }
    Ok(0)
}

fn sys_exit(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    vm.flush_stdout();
    Err(Exc::Exit(argi(a, 0)))
}

fn sys_time(_: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or(0.0);
    Ok(t.to_bits())
}

/// `sys_cpu_time() -> f64`: CPU seconds used by the process.
fn sys_cpu_time(_: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    // SAFETY: `timespec` is plain data; all-zero is a valid value.
    let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: `ts` is a live local the call writes into.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) } == 0;
    let t = if ok { ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9 } else { 0.0 };
    Ok(t.to_bits())
}

/// `sys_string() -> bytes`: the system's name as `Sys.systemName()` reads it, UTF-16
/// (HashLink returns a `USTR` literal and Haxe decodes it with `String.fromUCS2`).
fn sys_string(vm: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    let name = if cfg!(target_os = "macos") {
        "Mac"
    } else if cfg!(windows) {
        "Windows"
    } else if cfg!(any(target_os = "freebsd", target_os = "netbsd", target_os = "openbsd", target_os = "dragonfly")) {
        "BSD"
    } else {
        "Linux"
    };
    let units: Vec<u16> = name.encode_utf16().collect();
    Ok(vm.alloc_utf16(&units))
}

fn bytes_array(vm: &mut Vm, items: &[String]) -> u64 {
    let data: Vec<u64> = items.iter().map(|s| utf8_ret(vm, s)).collect();
    let elem = vm.type_index(Type::Bytes);
    vm.heap.alloc(Obj::Array { elem, data: data.into() }) as u64
}

fn sys_args(vm: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    let args = vm.args.clone();
    Ok(bytes_array(vm, &args))
}

fn sys_get_env(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(k) = utf8_arg(vm, arg(a, 0)) else { return Ok(0) };
    match std::env::var(&k) {
        Ok(v) => Ok(utf8_ret(vm, &v)),
        Err(_) => Ok(0),
    }
}

fn sys_put_env(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(k) = utf8_arg(vm, arg(a, 0)) else { return Ok(0) };
    if k.is_empty() || k.contains('=') || k.contains('\0') {
        return Ok(0);
    }
    match utf8_arg(vm, arg(a, 1)) {
        Some(v) if !v.contains('\0') => std::env::set_var(&k, v),
        _ => std::env::remove_var(&k),
    }
    Ok(1)
}

fn sys_env(vm: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    let mut items = Vec::new();
    for (k, v) in std::env::vars() {
        items.push(k);
        items.push(v);
    }
    Ok(bytes_array(vm, &items))
}

fn path_op(vm: &mut Vm, a: &[u64], f: fn(&str) -> bool) -> Result<u64, Exc> {
    let Some(p) = utf8_arg(vm, arg(a, 0)) else { return Ok(0) };
    Ok(f(&p) as u64)
}

fn sys_exists(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    path_op(vm, a, |p| std::path::Path::new(p).exists())
}
fn sys_delete(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    path_op(vm, a, |p| std::fs::remove_file(p).is_ok())
}
fn sys_remove_dir(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    path_op(vm, a, |p| std::fs::remove_dir(p).is_ok())
}
fn sys_create_dir(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    path_op(vm, a, |p| std::fs::create_dir(p).is_ok())
}
fn sys_is_dir(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    path_op(vm, a, |p| std::path::Path::new(p).is_dir())
}
fn sys_set_cwd(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    path_op(vm, a, |p| std::env::set_current_dir(p).is_ok())
}

fn sys_rename(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let (Some(x), Some(y)) = (utf8_arg(vm, arg(a, 0)), utf8_arg(vm, arg(a, 1))) else { return Ok(0) };
    Ok(std::fs::rename(x, y).is_ok() as u64)
}

fn sys_read_dir(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(p) = utf8_arg(vm, arg(a, 0)) else { return Ok(0) };
    let Ok(rd) = std::fs::read_dir(p) else { return Ok(0) };
    let names: Vec<String> = rd.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    Ok(bytes_array(vm, &names))
}

fn sys_full_path(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(p) = utf8_arg(vm, arg(a, 0)) else { return Ok(0) };
    match std::fs::canonicalize(p) {
        Ok(f) => Ok(utf8_ret(vm, &f.to_string_lossy())),
        Err(_) => Ok(0),
    }
}

fn sys_get_cwd(vm: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    let mut d = std::env::current_dir().map(|d| d.to_string_lossy().into_owned()).unwrap_or_default();
    if !d.ends_with('/') {
        d.push('/');
    }
    Ok(utf8_ret(vm, &d))
}

fn sys_exe_path(vm: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    let p = std::env::current_exe().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(utf8_ret(vm, &p))
}

/// `sys_stat(path) -> NativeArray<Int>`: gid, uid, atime, mtime, ctime, size, dev,
/// ino, nlink, rdev, mode (the order `sys.FileSystem.stat` reads).
fn sys_stat(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    use std::os::unix::fs::MetadataExt;
    let Some(p) = utf8_arg(vm, arg(a, 0)) else { return Ok(0) };
    let Ok(m) = std::fs::metadata(&p) else { return Ok(0) };
    let vals = [
        m.gid() as i64,
        m.uid() as i64,
        m.atime(),
        m.mtime(),
        m.ctime(),
        m.size() as i64,
        m.dev() as i64,
        m.ino() as i64,
        m.nlink() as i64,
        m.rdev() as i64,
        m.mode() as i64,
    ];
    let data: Vec<u64> = vals.iter().map(|&v| from_i32(v as i32)).collect();
    let elem = vm.type_index(Type::I32);
    Ok(vm.heap.alloc(Obj::Array { elem, data: data.into() }) as u64)
}

/// `sys_command(cmd) -> i32`: runs `cmd` with the C library's `system` (`sh -c cmd`,
/// `SIGINT`/`SIGQUIT` ignored by the caller while it waits), as HashLink does, and
/// returns `exit status | terminating signal << 8` (2304 for a shell killed by
/// `SIGKILL`). Pending output is flushed first so that it comes before the command's.
fn sys_command(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(cmd) = vm.bytes_at(arg(a, 0)).map(|d| d[..d.iter().position(|&c| c == 0).unwrap_or(d.len())].to_vec()) else {
        return Err(vm.null_access(None));
    };
    vm.flush_stdout();
    // `cmd` was cut at its first NUL, so it holds none.
    let Ok(cmd) = std::ffi::CString::new(cmd) else { return Ok(from_i32(-1)) };
    // SAFETY: `cmd` is a valid NUL-terminated string that outlives the call.
    let status = vm.blocking(|| unsafe { libc::system(cmd.as_ptr()) });
    Ok(from_i32(libc::WEXITSTATUS(status) | (libc::WTERMSIG(status) << 8)))
}

/// `sys_get_char(echo) -> i32`: one byte from stdin, -1 at end of input.
fn sys_get_char(vm: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    let mut b = [0u8; 1];
    let c = match vm.blocking(|| std::io::stdin().read(&mut b)) {
        Ok(1) => b[0] as i32,
        _ => -1,
    };
    Ok(from_i32(c))
}

/// `sys_hl_file() -> bytes`: the VM does not know which file the module came from
/// (it may have been loaded from memory), so this is null.
/// `sys_hl_file() -> bytes`: the running bytecode file's path in UTF-8, as the host gave it
/// (`Vm::set_hl_file`), or null (then `Sys.programPath` falls back to the executable).
fn sys_hl_file(vm: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    match vm.hl_file.clone() {
        Some(p) => Ok(utf8_ret(vm, &p.to_string_lossy())),
        None => Ok(0),
    }
}

/// `gc_major()`: HashLink runs a major collection; ours waits for the next safepoint.
fn gc_major(_: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    Ok(0)
}

/// `sys_sleep(seconds)`: other Haxe threads run meanwhile (the VM lock is released).
fn sys_sleep(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let s = f64_of(arg(a, 0));
    if s > 0.0 && s.is_finite() {
        let d = std::time::Duration::from_secs_f64(s.min(1e6));
        vm.blocking(|| std::thread::sleep(d));
    }
    Ok(0)
}

// ---------------------------------------------------------------------- math

macro_rules! fmath {
    ($name:ident, $f:expr) => {
        fn $name(_: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
            let f: fn(f64) -> f64 = $f;
            Ok(f(f64_of(arg(a, 0))).to_bits())
        }
    };
}
fmath!(math_sqrt, f64::sqrt);
fmath!(math_abs, f64::abs);
fmath!(math_ffloor, f64::floor);
fmath!(math_fceil, f64::ceil);
fmath!(math_fround, text::math_fround);
fmath!(math_sin, f64::sin);
fmath!(math_cos, f64::cos);
fmath!(math_tan, f64::tan);
fmath!(math_asin, f64::asin);
fmath!(math_acos, f64::acos);
fmath!(math_atan, f64::atan);
fmath!(math_exp, f64::exp);
fmath!(math_log, f64::ln);

fn math_floor(_: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    Ok(from_i32(text::math_floor(f64_of(arg(a, 0)))))
}
fn math_ceil(_: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    Ok(from_i32(text::math_ceil(f64_of(arg(a, 0)))))
}
fn math_round(_: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    Ok(from_i32(text::math_round(f64_of(arg(a, 0)))))
}
fn math_isnan(_: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    Ok(f64_of(arg(a, 0)).is_nan() as u64)
}
fn math_isfinite(_: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    Ok(f64_of(arg(a, 0)).is_finite() as u64)
}
fn math_pow(_: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    Ok(f64_of(arg(a, 0)).powf(f64_of(arg(a, 1))).to_bits())
}
fn math_atan2(_: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    Ok(f64_of(arg(a, 0)).atan2(f64_of(arg(a, 1))).to_bits())
}

// ---------------------------------------------------------------------- random

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u32 {
        // xorshift64*
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 32) as u32
    }
}

fn rnd_init_system(vm: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(1) | 1;
    Ok(vm.heap.alloc(Obj::Native(NativeObj::Opaque(Box::new(Rng(seed)).into()))) as u64)
}

fn rng(vm: &mut Vm, r: u64) -> Option<&mut Rng> {
    match vm.heap.get_mut(handle(r)) {
        Some(Obj::Native(NativeObj::Opaque(b))) => b.downcast_mut::<Rng>(),
        _ => None,
    }
}

fn rnd_int(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    match rng(vm, arg(a, 0)) {
        Some(r) => Ok(from_i32((r.next() & 0x3FFF_FFFF) as i32)),
        None => Err(vm.null_access(None)),
    }
}

fn rnd_float(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    match rng(vm, arg(a, 0)) {
        Some(r) => {
            let hi = (r.next() >> 5) as f64;
            let lo = (r.next() >> 6) as f64;
            Ok(((hi * 67108864.0 + lo) / 9007199254740992.0).to_bits())
        }
        None => Err(vm.null_access(None)),
    }
}

fn rnd_set_seed(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let s = argi(a, 1) as u32 as u64;
    if let Some(r) = rng(vm, arg(a, 0)) {
        r.0 = s.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    }
    Ok(0)
}

// ---------------------------------------------------------------------- date
// HashLink's Date is an Int of seconds since the epoch, in local time (see `text`).

fn date_new(_: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    Ok(from_i32(text::date_new(argi(a, 0), argi(a, 1), argi(a, 2), argi(a, 3), argi(a, 4), argi(a, 5))))
}

fn date_now(_: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    Ok(from_i32(text::date_now()))
}

fn date_to_string(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let u: Vec<u16> = text::date_to_string(argi(a, 0)).encode_utf16().collect();
    vm.ret_utf16(&u, arg(a, 1))
}

fn date_from_time(_: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    Ok(from_i32(text::date_from_time(f64_of(arg(a, 0)))))
}

fn date_get_time(_: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    Ok(text::date_get_time(argi(a, 0)).to_bits())
}

/// `date_from_string(bytes, byteLen)`: `YYYY-MM-DD hh:mm:ss`, `YYYY-MM-DD` or `hh:mm:ss`.
fn date_from_string(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(u) = vm.units_at(arg(a, 0), 0, argi(a, 1) / 2) else { return Err(vm.out_of_bounds()) };
    match text::date_from_string(&u) {
        Some(t) => Ok(from_i32(t)),
        None => Err(vm.throw_msg("Invalid date format")),
    }
}

fn date_inf(vm: &mut Vm, a: &[u64], utc: bool) -> Result<u64, Exc> {
    let p = text::date_get_inf(argi(a, 0), utc);
    let vals = [p.year, p.month, p.day, p.hours, p.minutes, p.seconds, p.wday];
    for (i, v) in vals.iter().enumerate() {
        vm.set_ref_i32(arg(a, i + 1), *v)?;
    }
    Ok(0)
}

fn date_get_inf(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    date_inf(vm, a, false)
}

fn date_get_utc_inf(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    date_inf(vm, a, true)
}

// ---------------------------------------------------------------------- files

/// A `hl_fdesc`: an open file (with its end-of-file flag), or a standard stream.
enum FileHandle {
    /// Shared with a native blocked on it (see the module docs).
    File(Arc<OpenFile>, bool),
    Stdin,
    Stdout,
    Stderr,
}

/// A file opened by `file_open`.
struct OpenFile {
    file: std::fs::File,
    /// Not a regular file (a FIFO, a terminal...): reads and writes may wait for
    /// another program, with the VM lock released.
    may_block: bool,
}

impl OpenFile {
    /// Runs `io` on the file, with the VM lock released when the file may block.
    fn io<R>(&self, vm: &mut Vm, io: impl FnOnce(&std::fs::File) -> R) -> R {
        if self.may_block {
            vm.blocking(|| io(&self.file))
        } else {
            io(&self.file)
        }
    }
}

/// Where a read comes from, held while the VM lock is released.
enum Source {
    File(Arc<OpenFile>),
    Stdin,
}

/// The readable stream behind handle `f`, or `None` for anything else.
fn source(vm: &mut Vm, f: u64) -> Option<Source> {
    match file_obj(vm, f)? {
        FileHandle::File(file, _) => Some(Source::File(file.clone())),
        FileHandle::Stdin => Some(Source::Stdin),
        _ => None,
    }
}

impl Source {
    /// One `read`, with the VM lock released when it may block.
    fn read(&self, vm: &mut Vm, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Source::File(f) => f.io(vm, |mut file| file.read(buf)),
            Source::Stdin => vm.blocking(|| std::io::stdin().read(buf)),
        }
    }
}

/// Sets the end-of-file flag of handle `h` if it still holds the file `file` (another
/// thread may have closed it while the read was blocked).
fn set_eof(vm: &mut Vm, h: u64, file: &Arc<OpenFile>) {
    if let Some(FileHandle::File(f, eof)) = file_obj(vm, h) {
        if Arc::ptr_eq(f, file) {
            *eof = true;
        }
    }
}

fn file_obj(vm: &mut Vm, f: u64) -> Option<&mut FileHandle> {
    match vm.heap.get_mut(handle(f)) {
        Some(Obj::Native(NativeObj::Opaque(b))) => b.downcast_mut::<FileHandle>(),
        _ => None,
    }
}

fn new_file(vm: &mut Vm, h: FileHandle) -> u64 {
    vm.heap.alloc(Obj::Native(NativeObj::Opaque(Box::new(h).into()))) as u64
}

/// `file_open(path, mode, binary)`: mode 0 read, 1 write, 2 append, 3 read+write
/// (as `sys.io.File` passes it).
fn file_open(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(p) = utf8_arg(vm, arg(a, 0)) else { return Ok(0) };
    let mut o = std::fs::OpenOptions::new();
    match argi(a, 1) {
        0 => o.read(true),
        1 => o.write(true).create(true).truncate(true),
        2 => o.append(true).create(true),
        _ => o.read(true).write(true).create(true),
    };
    match vm.blocking(|| o.open(p)) {
        Ok(file) => {
            let may_block = !file.metadata().is_ok_and(|m| m.is_file());
            Ok(new_file(vm, FileHandle::File(Arc::new(OpenFile { file, may_block }), false)))
        }
        Err(_) => Ok(0),
    }
}

fn file_close(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    if let Some(Obj::Native(n)) = vm.heap.get_mut(handle(arg(a, 0))) {
        *n = NativeObj::Opaque(Box::new(()).into());
    }
    Ok(0)
}

fn file_read(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let (pos, len) = (argi(a, 2), argi(a, 3));
    if pos < 0 || len < 0 {
        return Err(vm.out_of_bounds());
    }
    let Some(src) = source(vm, arg(a, 0)) else { return Err(vm.throw_msg("Invalid file handle")) };
    let mut buf = vec![0u8; len as usize];
    let n = match (src.read(vm, &mut buf), &src) {
        (Ok(0), Source::File(f)) if len > 0 => {
            set_eof(vm, arg(a, 0), f);
            -1
        }
        (Ok(n), _) => n as i32,
        (Err(_), _) => -1,
    };
    if n > 0 {
        match vm.bytes_at_mut(arg(a, 1)).and_then(|d| d.get_mut(pos as usize..pos as usize + n as usize)) {
            Some(d) => d.copy_from_slice(&buf[..n as usize]),
            None => return Err(vm.out_of_bounds()),
        }
    }
    Ok(from_i32(n))
}

fn write_to(vm: &mut Vm, f: u64, data: &[u8]) -> Result<i32, Exc> {
    if let Some(FileHandle::Stdout) = file_obj(vm, f) {
        vm.write_out(data);
        return Ok(data.len() as i32);
    }
    let r = match file_obj(vm, f) {
        Some(FileHandle::File(f, _)) => {
            let f = f.clone();
            f.io(vm, |mut file| file.write_all(data))
        }
        Some(FileHandle::Stderr) => {
            vm.flush_stdout();
            vm.blocking(|| std::io::stderr().write_all(data))
        }
        _ => return Err(vm.throw_msg("Invalid file handle")),
    };
    Ok(r.map(|_| data.len() as i32).unwrap_or(-1))
}

fn file_write(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let (pos, len) = (argi(a, 2), argi(a, 3));
    if pos < 0 || len < 0 {
        return Err(vm.out_of_bounds());
    }
    let Some(data) = vm.bytes_at(arg(a, 1)).and_then(|d| d.get(pos as usize..pos as usize + len as usize)).map(|d| d.to_vec()) else {
        return Err(vm.out_of_bounds());
    };
    Ok(from_i32(write_to(vm, arg(a, 0), &data)?))
}

fn file_read_char(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(src) = source(vm, arg(a, 0)) else { return Err(vm.throw_msg("Invalid file handle")) };
    let mut b = [0u8; 1];
    let n = match (src.read(vm, &mut b), &src) {
        (Ok(1), _) => b[0] as i32,
        (_, Source::File(f)) => {
            set_eof(vm, arg(a, 0), f);
            -1
        }
        (_, Source::Stdin) => -1,
    };
    Ok(from_i32(n))
}

fn file_write_char(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let c = [argi(a, 1) as u8];
    Ok((write_to(vm, arg(a, 0), &c)? == 1) as u64)
}

fn file_seek(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let (pos, kind) = (argi(a, 1) as i64, argi(a, 2));
    match file_obj(vm, arg(a, 0)) {
        Some(FileHandle::File(f, eof)) => {
            *eof = false;
            let to = match kind {
                0 => SeekFrom::Start(pos.max(0) as u64),
                1 => SeekFrom::Current(pos),
                _ => SeekFrom::End(pos),
            };
            Ok((&f.file).seek(to).is_ok() as u64)
        }
        _ => Ok(0),
    }
}

fn file_tell(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    match file_obj(vm, arg(a, 0)) {
        Some(FileHandle::File(f, _)) => Ok(from_i32((&f.file).stream_position().map(|p| p as i32).unwrap_or(-1))),
        _ => Ok(from_i32(-1)),
    }
}

fn file_eof(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    match file_obj(vm, arg(a, 0)) {
        Some(FileHandle::File(_, eof)) => Ok(*eof as u64),
        _ => Ok(0),
    }
}

fn file_flush(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    match file_obj(vm, arg(a, 0)) {
        Some(FileHandle::File(f, _)) => Ok((&f.file).flush().is_ok() as u64),
        Some(FileHandle::Stdout) => {
            vm.flush_stdout();
            Ok(1)
        }
        _ => Ok(1),
    }
}

/// `file_contents(path, ref<i32>) -> bytes`: the whole file, or null when it cannot be read
/// (`sys.io.File` then throws its own `SysError`), as for a file whose size does not fit
/// the `Int` it is returned in (HashLink's sizes are `int`s too).
fn file_contents(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(p) = utf8_arg(vm, arg(a, 0)) else { return Err(vm.null_access(None)) };
    match vm.blocking(|| std::fs::read(&p)) {
        Ok(d) if d.len() >= i32::MAX as usize => Ok(0),
        Ok(mut d) => {
            vm.set_ref_i32(arg(a, 1), d.len() as i32)?;
            d.push(0);
            Ok(vm.alloc_bytes_from(d))
        }
        Err(_) => Ok(0),
    }
}

fn file_stdin(vm: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    Ok(new_file(vm, FileHandle::Stdin))
}
fn file_stdout(vm: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    Ok(new_file(vm, FileHandle::Stdout))
}
fn file_stderr(vm: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    Ok(new_file(vm, FileHandle::Stderr))
}

