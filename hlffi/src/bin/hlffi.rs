//! `hlffi` command-line runner.
//!
//! - `hlffi run FILE.hl [ARGS...]` runs a HashLink bytecode file like the reference `hl`
//!   binary does: the program's output goes to stdout, an uncaught exception prints
//!   `Uncaught exception: ...` and the `Called from` frames to stdout and exits with
//!   code 1, and `Sys.exit(n)` exits with `n`. The event loop (timers, `MainLoop`) runs
//!   after `main` until it is empty.
//! - `hlffi run --watch FILE.hl [ARGS...]` runs the program and hot-reloads it whenever
//!   the file changes, until interrupted.
//! - `hlffi run --watch BUILD.hxml [ARGS...]` compiles `BUILD.hxml` with `haxe`, runs the
//!   `.hl` it produces (`-hl OUT`), and on every change of the Haxe sources (the `-cp`
//!   folders) or of the `.hxml` recompiles and hot-reloads; compiler errors are printed
//!   and the last good code keeps running.
//! - `--interp` (before the file) runs bytecode in the interpreter only; by default hot
//!   functions are compiled to native code (the `HLVM_JIT` environment variable applies
//!   when the flag is absent).
//! - `hlffi dump FILE.hl [FILTER]` disassembles functions.
//!
//! Invoked under the name `hl` (a link or copy named `hl`, as `scripts/install.sh`
//! installs), the runner takes the reference `hl` binary's command line instead, so that
//! scripts and programs starting `hl` run on hlvm: `hl [OPTIONS] FILE.hl [ARGS...]`, with
//! `hl`'s options (`--version` prints `1.17.0`; `--hot-reload` reloads the file when it
//! changes; `--debug PORT`, `--debug-wait` and `--profile N` are accepted and ignored, as
//! is any other `-`/`+` option with its value), `hlboot.dat` in the current folder when no
//! file is given, and HashLink's exit code 1 with the error on stdout when the file cannot
//! be loaded.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hlffi::{Error, Vm};

const USAGE: &str = "usage: hlffi run [--interp] [--watch] FILE.hl [ARGS...]
       hlffi run [--interp] --watch BUILD.hxml [ARGS...]
       hlffi dump FILE.hl [FUNCTION-NAME-FILTER]";

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(all(target_os = "linux", not(test)))]
#[used]
#[link_section = ".init_array"]
static TUNE_ALLOCATOR: extern "C" fn() = tune_allocator;

/// mimalloc 3's options (`mi_option_e` in its `mimalloc.h`; the numbering is that of
/// the pinned `libmimalloc-sys` version, checked by the test below).
mod mi_option {
    pub const ARENA_EAGER_COMMIT: i32 = 4;
    pub const PURGE_DELAY: i32 = 15;
}

extern "C" {
    #[cfg(test)]
    fn mi_option_get(option: i32) -> std::ffi::c_long;
    fn mi_option_set(option: i32, value: std::ffi::c_long);
}

/// The runner allocates through mimalloc: against glibc's allocator, `shared/bench`'s
/// `binarytrees` and `maps` run about 30 % faster and `strings` about 10 %, the others
/// unchanged (user time, one run each, alternating). Tuned for peak memory: arenas are
/// committed as they are used rather than at once, and freed pages go back to the
/// system at once rather than after a second. Peak RSS (`/usr/bin/time`): with
/// mimalloc's defaults `dispatch` took 50 MB, `maps` 168 MB; tuned, against glibc:
/// `binarytrees` 38.5 → 32.6 MB, `maps` 147 → 129 MB, `strings` 114 → 126 MB, the
/// small programs 0.5–2 MB more. Environment variables (`MIMALLOC_PURGE_DELAY`...)
/// still override these.
///
/// It must run before the first allocation, which creates the first arena: from the
/// ELF initialisers (`.init_array`), before Rust's runtime starts (on Linux; elsewhere
/// mimalloc keeps its defaults).
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
extern "C" fn tune_allocator() {
    for (option, value, var) in
        [(mi_option::ARENA_EAGER_COMMIT, 0, "MIMALLOC_ARENA_EAGER_COMMIT"), (mi_option::PURGE_DELAY, 0, "MIMALLOC_PURGE_DELAY")]
    {
        if std::env::var_os(var).is_none() {
            // SAFETY: mimalloc's option setters take any value and are thread-safe.
            unsafe { mi_option_set(option, value) };
        }
    }
}

fn main() -> ExitCode {
    let invoked_as_hl = std::env::args_os()
        .next()
        .and_then(|a| Path::new(&a).file_stem().map(|s| s.to_os_string()))
        .is_some_and(|s| s == "hl");
    if invoked_as_hl {
        return hl_main(std::env::args().skip(1).collect());
    }
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("run") => {}
        Some("dump") => {
            let (Some(file), filter) = (args.next(), args.next()) else {
                return usage();
            };
            let mut vm = Vm::new();
            if let Err(e) = vm.load_file(&file) {
                eprintln!("hlffi: {e}");
                return ExitCode::from(2);
            }
            print!("{}", vm.disassemble(filter.as_deref().unwrap_or("")));
            return ExitCode::SUCCESS;
        }
        Some("--help") | Some("-h") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => return usage(),
    }
    let mut rest: Vec<String> = args.collect();
    let (mut watch, mut jit) = (false, true);
    while let Some(flag) = rest.first() {
        match flag.as_str() {
            "--watch" => watch = true,
            "--interp" => jit = false,
            _ => break,
        }
        rest.remove(0);
    }
    if rest.is_empty() {
        return usage();
    }
    let file = rest.remove(0);
    run_on_vm_thread(move || if watch { watch_main(&file, rest, jit) } else { run_once(&file, rest, jit, false) })
}

/// The `hl` command line (see the module docs): options, then the file, then the
/// program's arguments.
fn hl_main(args: Vec<String>) -> ExitCode {
    let mut hot_reload = false;
    let mut file = None;
    // Index of the first unknown option: with `hlboot.dat`, the program's arguments start there.
    let mut first_boot_arg = None;
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        i += 1;
        match arg {
            "--version" => {
                print!("1.17.0");
                let _ = std::io::stdout().flush();
                return ExitCode::SUCCESS;
            }
            "--hot-reload" => hot_reload = true,
            "--debug-wait" => {}
            "--debug" | "--profile" => i += 1,
            _ if arg.starts_with('-') || arg.starts_with('+') => {
                // Another option: its value, if one follows, is skipped too.
                first_boot_arg.get_or_insert(i - 1);
                if args.get(i).is_some_and(|v| !v.starts_with('-') && !v.starts_with('+')) {
                    i += 1;
                }
            }
            _ => {
                file = Some(arg.to_string());
                break;
            }
        }
    }
    let rest: Vec<String> = match (&file, first_boot_arg) {
        (Some(_), _) => args[i..].to_vec(),
        (None, Some(k)) => args[k..].to_vec(),
        (None, None) => Vec::new(),
    };
    let file = match file {
        Some(f) => f,
        None if Path::new("hlboot.dat").is_file() => "hlboot.dat".to_string(),
        None => {
            println!("hl (hlffi {}, HashLink 1.17 compatible)\n  Usage : hl [--hot-reload] <file.hl> [args...]", env!("CARGO_PKG_VERSION"));
            return ExitCode::from(1);
        }
    };
    let jit = !std::env::var("HLVM_JIT").is_ok_and(|v| v == "0");
    run_on_vm_thread(move || if hot_reload { watch_main(&file, rest, jit) } else { run_once(&file, rest, jit, true) })
}

/// Runs `body` on a thread with a large native stack: Haxe calls nest on the native stack
/// (HashLink reaches ~250,000 frames); past the limit, Haxe gets a catchable `Stack overflow`.
fn run_on_vm_thread(body: impl FnOnce() -> ExitCode + Send + 'static) -> ExitCode {
    let vm_thread = std::thread::Builder::new().name("hlffi-vm".into()).stack_size(VM_STACK_BYTES).spawn(body);
    match vm_thread.map(|t| t.join()) {
        Ok(Ok(code)) => code,
        Ok(Err(_)) => ExitCode::from(101),
        Err(e) => {
            eprintln!("hlffi: cannot start the VM thread: {e}");
            ExitCode::from(2)
        }
    }
}

/// Native stack of the thread running the VM (reserved address space; pages are only
/// committed as calls use them).
const VM_STACK_BYTES: usize = 512 << 20;

fn usage() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::from(2)
}

/// Loads and runs `file` once. A file that cannot be loaded is reported on stderr with
/// exit code 2, or, `as_hl`, on stdout with exit code 1 as `hl` does.
fn run_once(file: &str, program_args: Vec<String>, jit: bool, as_hl: bool) -> ExitCode {
    let mut vm = Vm::builder().args(program_args).blocking_event_loop(true);
    if !jit {
        vm = vm.jit(false);
    }
    let mut vm = vm.build();
    if let Err(e) = vm.load_file(file) {
        if as_hl {
            println!("{e}");
            return ExitCode::from(1);
        }
        eprintln!("hlffi: {e}");
        return ExitCode::from(2);
    }
    let result = vm.call_entry();
    // The process exits next: stop the other threads, and skip freeing the heap.
    vm.end_for_exit();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => report(e),
    }
}

/// Exit code (and report) for an error ending the program, as `hl` does.
fn report(e: Error) -> ExitCode {
    match e {
        Error::Exit(code) => ExitCode::from((code & 0xFF) as u8),
        Error::Exception { message, stack } => {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "Uncaught exception: {message}");
            for frame in &stack {
                let _ = writeln!(out, "Called from {frame}");
            }
            let _ = out.flush();
            ExitCode::from(1)
        }
        e => {
            eprintln!("hlffi: {e}");
            ExitCode::from(1)
        }
    }
}

/// What `--watch` rebuilds from: the `.hxml` file and what it says.
struct Build {
    hxml: PathBuf,
    /// Folder `haxe` runs in (the `.hxml`'s).
    dir: PathBuf,
    /// The `.hl` it produces.
    output: PathBuf,
    /// Source folders (`-cp`), and the `.hxml` itself.
    watched: Vec<PathBuf>,
}

impl Build {
    fn parse(hxml: &Path) -> Result<Build, String> {
        let text = std::fs::read_to_string(hxml).map_err(|e| format!("cannot read {}: {e}", hxml.display()))?;
        let dir = hxml.parent().filter(|p| !p.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let words: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.starts_with('#')).flat_map(str::split_whitespace).collect();
        let mut output = None;
        let mut watched = vec![hxml.to_path_buf()];
        for pair in words.windows(2) {
            match pair[0] {
                "-hl" | "--hl" => output = Some(dir.join(pair[1])),
                "-cp" | "-p" | "--class-path" => watched.push(dir.join(pair[1])),
                _ => {}
            }
        }
        if watched.len() == 1 {
            watched.push(dir.clone());
        }
        let output = output.ok_or_else(|| format!("{} has no -hl output", hxml.display()))?;
        Ok(Build { hxml: hxml.to_path_buf(), dir, output, watched })
    }

    /// Runs `haxe BUILD.hxml`; the compiler's messages on failure.
    fn compile(&self) -> Result<(), String> {
        let name = self.hxml.file_name().map(|n| n.to_os_string()).unwrap_or_default();
        let out = Command::new("haxe").arg(name).current_dir(&self.dir).output().map_err(|e| format!("cannot run haxe: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
        }
    }
}

fn watch_main(file: &str, program_args: Vec<String>, jit: bool) -> ExitCode {
    let path = PathBuf::from(file);
    let build = if path.extension().is_some_and(|e| e == "hxml") {
        match Build::parse(&path) {
            Ok(b) => Some(b),
            Err(e) => {
                eprintln!("hlffi: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        None
    };
    let hl = match &build {
        Some(b) => {
            if let Err(msg) = b.compile() {
                eprint!("{msg}");
                eprintln!("hlffi: compilation failed");
                return ExitCode::from(1);
            }
            b.output.clone()
        }
        None => path.clone(),
    };
    let mut vm = Vm::builder().args(program_args).hot_reload(true);
    if !jit {
        vm = vm.jit(false);
    }
    let mut vm = vm.build();
    if let Err(e) = vm.load_file(&hl) {
        eprintln!("hlffi: {e}");
        return ExitCode::from(2);
    }
    vm.on_reload(|r| match r {
        Ok(rep) => eprintln!("hlffi: reloaded: {} changed, {} added, {} unchanged", rep.changed.len(), rep.added.len(), rep.unchanged),
        Err(e) => eprintln!("hlffi: reload failed, still running the previous code: {e}"),
    });
    let sources_changed = match &build {
        Some(b) => match watch_sources(&b.watched) {
            Ok(flag) => Some(flag),
            Err(e) => {
                eprintln!("hlffi: {e}");
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    eprintln!("hlffi: watching {} (Ctrl-C to stop)", path.display());
    if let Err(e) = vm.call_entry() {
        vm.flush();
        return report(e);
    }
    let mut last = Instant::now();
    loop {
        let now = Instant::now();
        let dt = now.duration_since(last).as_secs_f64();
        last = now;
        if let Err(e) = vm.update(dt) {
            vm.flush();
            return report(e);
        }
        vm.flush();
        match (&build, &sources_changed) {
            (Some(b), Some((flag, _watcher))) => {
                if flag.swap(false, Ordering::AcqRel) {
                    // Let a burst of saves settle before compiling.
                    std::thread::sleep(Duration::from_millis(30));
                    flag.store(false, Ordering::Release);
                    match b.compile() {
                        Ok(()) => {
                            let _ = vm.reload_module(&b.output);
                        }
                        Err(msg) => {
                            eprint!("{msg}");
                            eprintln!("hlffi: compilation failed, still running the last good code");
                        }
                    }
                }
            }
            _ => match vm.check_reload() {
                Ok(_) => {}
                // Reported by the on_reload callback; keep running the old code.
                Err(Error::Reload(_)) => {}
                Err(e) => eprintln!("hlffi: {e}"),
            },
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// A flag set by a background watcher (kept running while the returned watcher lives) whenever a `.hx`/`.hxml` file under `dirs` changes.
fn watch_sources(dirs: &[PathBuf]) -> Result<(Arc<AtomicBool>, notify::RecommendedWatcher), String> {
    use notify::Watcher;
    let flag = Arc::new(AtomicBool::new(false));
    let f = flag.clone();
    let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        if let Ok(ev) = ev {
            let relevant = ev.paths.iter().any(|p| p.extension().is_some_and(|e| e == "hx" || e == "hxml"));
            if relevant && !matches!(ev.kind, notify::EventKind::Access(_)) {
                f.store(true, Ordering::Release);
            }
        }
    })
    .map_err(|e| format!("cannot watch sources: {e}"))?;
    for d in dirs {
        let mode = if d.is_dir() { notify::RecursiveMode::Recursive } else { notify::RecursiveMode::NonRecursive };
        watcher.watch(d, mode).map_err(|e| format!("cannot watch {}: {e}", d.display()))?;
    }
    Ok((flag, watcher))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The option numbers name the options they are meant to: mimalloc's defaults for
    /// them (`src/options.c`) are 2 (commit arenas eagerly where the system overcommits)
    /// and 1000 ms. (The test binary does not tune the allocator at start-up.)
    #[test]
    fn mimalloc_option_numbers() {
        if std::env::vars_os().any(|(k, _)| k.to_string_lossy().starts_with("MIMALLOC_")) {
            return;
        }
        // SAFETY: reading an option has no precondition.
        let (eager, delay) = unsafe { (mi_option_get(mi_option::ARENA_EAGER_COMMIT), mi_option_get(mi_option::PURGE_DELAY)) };
        assert_eq!((eager, delay), (2, 1000));
        tune_allocator();
        // SAFETY: as above.
        let (eager, delay) = unsafe { (mi_option_get(mi_option::ARENA_EAGER_COMMIT), mi_option_get(mi_option::PURGE_DELAY)) };
        assert_eq!((eager, delay), (0, 0));
    }
}
