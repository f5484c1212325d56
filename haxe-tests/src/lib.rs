//! # haxe-tests — compile real Haxe programs and run them through `hlffi`
//!
//! The harness behind the test suites of this crate:
//!
//! - [`compile`] runs the Haxe compiler (`haxe -cp DIR -main MAIN ... -hl OUT`) with the
//!   source folder as working directory, caching the bytecode under
//!   `<target>/haxe-cache/<name>-<hash>.hl`; the hash covers every file of the folder, the
//!   main class, the extra arguments and the compiler version.
//! - [`run_in_process`] runs a `.hl` file on an [`hlffi::Vm`] inside this process, captures
//!   what the program prints and reports it the way the `hlffi run` command line does (an
//!   uncaught exception becomes `Uncaught exception: ...` plus `Called from ...` lines on
//!   stdout and exit code 1).
//! - [`Case`] and [`check_case`] implement the layout shared by the conformance suite
//!   (`../shared/conformance/<case>/`), the benchmarks (`../shared/bench/<name>/`) and this
//!   crate's own programs (`haxe/<name>/`): a `Main.hx`, an `expected.stdout`, optionally an
//!   `expected.exit`, a `flags` file (extra compiler arguments, first line, split on
//!   whitespace, as `run.sh` reads it) and an `args` file (program arguments, one per line).
//!
//! `expected.stderr` is not compared here: the VM's stderr is the process's own stderr.
//! `../shared/conformance/run.sh` compares it when it runs the `hlffi` binary.
//!
//! Environment: `HAXE_TESTS_TIMEOUT` (seconds per program run, default 300) bounds each
//! run; `CARGO_TARGET_DIR` moves the cache along with the target folder.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex, OnceLock, PoisonError};
use std::time::Duration;

/// Stack size of the thread that runs the VM: the interpreter recurses on Haxe calls.
const VM_STACK_SIZE: usize = 256 << 20;

/// Default limit for one program run, in seconds (`HAXE_TESTS_TIMEOUT` overrides it).
const DEFAULT_TIMEOUT_SECS: u64 = 300;

/// Exit code reported when a run hits the time limit (the one `timeout(1)` uses).
pub const EXIT_TIMEOUT: i32 = 124;

/// Exit code reported when the VM thread panicked (the one Rust uses for a panicking `main`).
pub const EXIT_PANIC: i32 = 101;

/// Exit code reported when the program could not be loaded or the VM failed internally.
pub const EXIT_VM_ERROR: i32 = 2;

/// What a program run produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOutcome {
    /// Everything the program printed, followed by the uncaught-exception report or the
    /// harness's error line, if any (lossily decoded as UTF-8).
    pub stdout: String,
    /// The exit code a process running the program would report.
    pub exit_code: i32,
}

/// The workspace root (the folder holding the workspace `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    crate_dir.parent().unwrap_or(crate_dir).to_path_buf()
}

/// The shared folder next to the repository (`<workspace>/../shared`), which holds the
/// conformance suite and the benchmarks.
pub fn shared_dir() -> PathBuf {
    workspace_root().join("..").join("shared")
}

/// This crate's own Haxe programs (`haxe-tests/haxe`).
pub fn own_programs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("haxe")
}

/// Where compiled bytecode is cached: `<target>/haxe-cache`, where `<target>` is
/// `CARGO_TARGET_DIR` when set (relative to the workspace root) and `<workspace>/target`
/// otherwise.
pub fn cache_dir() -> PathBuf {
    let root = workspace_root();
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root.join(dir),
        _ => root.join("target"),
    };
    target.join("haxe-cache")
}

/// Finds the `haxe` compiler on `PATH`.
///
/// # Errors
/// A message saying how to install it when no executable `haxe` is on `PATH`.
pub fn find_haxe() -> Result<PathBuf, String> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join("haxe"))
        .find(|candidate| is_executable(candidate))
        .ok_or_else(|| {
            "the Haxe compiler `haxe` was not found on PATH: these tests compile real Haxe \
             programs. Install it with `scripts/install-deps.sh` (or `apt-get install haxe`)."
                .to_string()
        })
}

/// Panics with a clear message when the `haxe` compiler is not on `PATH`.
///
/// # Panics
/// When [`find_haxe`] fails.
pub fn ensure_haxe() {
    if let Err(message) = find_haxe() {
        panic!("{message}");
    }
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

/// `haxe -version`, part of the cache key so a compiler change recompiles everything.
fn haxe_version(haxe: &Path) -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| match Command::new(haxe).arg("-version").output() {
        // Haxe 4 prints the version on stdout, older releases on stderr.
        Ok(out) => {
            let mut v = String::from_utf8_lossy(&out.stdout).into_owned();
            v.push_str(&String::from_utf8_lossy(&out.stderr));
            v.trim().to_string()
        }
        Err(_) => String::new(),
    })
}

/// Compiles `source_dir/<main>.hx` to HashLink bytecode and returns the `.hl` path.
///
/// Runs `haxe -cp <source_dir> -main <main> <extra_args...> -hl <out>` with `source_dir`
/// (made absolute) as working directory, like `../shared/conformance/run.sh`, so paths in
/// `extra_args` are relative to it and `trace` positions print as `Main.hx:LINE`.
///
/// The result is cached as `<cache_dir>/<folder name>-<hash>.hl`, the hash covering every
/// file under `source_dir` (names and contents), `main`, `extra_args` and the compiler
/// version. The compiler writes a temporary file that is renamed into place, so tests
/// running in parallel never see a half-written file.
///
/// # Errors
/// A readable message when `haxe` is missing, the folder cannot be read, or the compiler
/// fails (with its output).
pub fn compile(source_dir: &Path, main: &str, extra_args: &[String]) -> Result<PathBuf, String> {
    let haxe = find_haxe()?;
    let source_dir = source_dir
        .canonicalize()
        .map_err(|e| format!("cannot open Haxe source folder {}: {e}", source_dir.display()))?;
    let name = source_dir
        .file_name()
        .map_or_else(|| "program".to_string(), |n| n.to_string_lossy().into_owned());

    let mut hasher = sha1_smol::Sha1::new();
    hash_field(&mut hasher, haxe_version(&haxe).as_bytes());
    hash_field(&mut hasher, main.as_bytes());
    for arg in extra_args {
        hash_field(&mut hasher, arg.as_bytes());
    }
    let mut files = Vec::new();
    list_files(&source_dir, &mut files)
        .map_err(|e| format!("cannot list {}: {e}", source_dir.display()))?;
    files.sort();
    for file in &files {
        let relative = file.strip_prefix(&source_dir).unwrap_or(file);
        let contents =
            std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        hash_field(&mut hasher, relative.to_string_lossy().as_bytes());
        hash_field(&mut hasher, &contents);
    }
    let digest = hasher.digest().to_string();
    let key = &digest[..16];

    let cache = cache_dir();
    std::fs::create_dir_all(&cache)
        .map_err(|e| format!("cannot create cache folder {}: {e}", cache.display()))?;
    let out = cache.join(format!("{name}-{key}.hl"));
    if out.is_file() {
        return Ok(out);
    }

    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let unique = COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = cache.join(format!("{name}-{key}.hl.tmp-{}-{unique}", std::process::id()));
    let output = Command::new(&haxe)
        .current_dir(&source_dir)
        .arg("-cp")
        .arg(&source_dir)
        .arg("-main")
        .arg(main)
        .args(extra_args)
        .arg("-hl")
        .arg(&tmp)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", haxe.display()))?;
    if !output.status.success() || !tmp.is_file() {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!(
            "haxe could not compile {} ({}):\n{}{}",
            source_dir.join(format!("{main}.hx")).display(),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
        ));
    }
    std::fs::rename(&tmp, &out).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot move {} to {}: {e}", tmp.display(), out.display())
    })?;
    Ok(out)
}

/// Feeds one length-prefixed field to the hasher, so `["ab", "c"]` and `["a", "bc"]` differ.
fn hash_field(hasher: &mut sha1_smol::Sha1, bytes: &[u8]) {
    hasher.update(&(bytes.len() as u64).to_le_bytes());
    hasher.update(bytes);
}

fn list_files(dir: &Path, files: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            list_files(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}

/// A `Write` that appends to a shared buffer, so the VM's output can be read after the
/// VM (and the thread running it) is gone.
#[derive(Clone, Default)]
struct SharedBuffer(Arc<Mutex<Vec<u8>>>);

impl SharedBuffer {
    fn append(&self, bytes: &[u8]) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).extend_from_slice(bytes);
    }

    fn contents(&self) -> String {
        let bytes = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl Write for SharedBuffer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.append(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The limit for one run: `HAXE_TESTS_TIMEOUT` seconds, or [`DEFAULT_TIMEOUT_SECS`].
fn run_timeout() -> Duration {
    let secs = std::env::var("HAXE_TESTS_TIMEOUT")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|&s| s > 0)
        .unwrap_or(DEFAULT_TIMEOUT_SECS);
    Duration::from_secs(secs)
}

/// Runs the bytecode file `hl` on an [`hlffi::Vm`] in this process, with `args` as the
/// program's `Sys.args()`, and reports what it printed and how it ended:
///
/// - normal end: exit code 0;
/// - `Sys.exit(n)`: exit code `n & 0xFF`, as a process reports it (the `hlffi` runner
///   exits with that code too);
/// - uncaught exception: `Uncaught exception: {message}` and one `Called from {frame}`
///   line per frame appended to the output, exit code 1 (the `hlffi run` format);
/// - load failure or any other VM error: a line `hlffi: {error}`, exit code
///   [`EXIT_VM_ERROR`] (2); a panic in the VM: a line `hlffi: VM panicked: ...`, exit
///   code [`EXIT_PANIC`] (101); no end within `HAXE_TESTS_TIMEOUT` seconds (default 300):
///   a line `hlffi: timed out ...`, exit code [`EXIT_TIMEOUT`] (124), and the VM thread
///   is left running (it dies with the test process).
///
/// The VM runs on its own thread with a 256 MiB stack, since the interpreter recurses
/// on every Haxe call.
pub fn run_in_process(hl: &Path, args: &[String]) -> RunOutcome {
    run_in_process_with(hl, args, None)
}

/// [`run_in_process`] with the VM's engine chosen (`None`: the default, which the
/// `HLVM_JIT` environment variable may change).
pub fn run_in_process_with(hl: &Path, args: &[String], engine: Option<hlffi::JitMode>) -> RunOutcome {
    let out = SharedBuffer::default();
    let (done_tx, done_rx) = mpsc::channel();
    let spawned = {
        let out = out.clone();
        let hl = hl.to_path_buf();
        let args = args.to_vec();
        std::thread::Builder::new()
            .name(format!("hlffi-vm {}", hl.display()))
            .stack_size(VM_STACK_SIZE)
            .spawn(move || {
                // Sends the exit code; a panic drops the sender instead, seen below.
                let code = run_vm(&hl, args, &out, engine);
                let _ = done_tx.send(code);
            })
    };
    let handle = match spawned {
        Ok(handle) => handle,
        Err(e) => {
            out.append(format!("hlffi: cannot start the VM thread: {e}\n").as_bytes());
            return RunOutcome { stdout: out.contents(), exit_code: EXIT_VM_ERROR };
        }
    };
    let limit = run_timeout();
    let exit_code = match done_rx.recv_timeout(limit) {
        Ok(code) => {
            let _ = handle.join();
            code
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let why = match handle.join() {
                Err(payload) => panic_message(payload.as_ref()),
                Ok(()) => "the VM thread ended without a result".to_string(),
            };
            out.append(format!("hlffi: VM panicked: {why}\n").as_bytes());
            EXIT_PANIC
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            out.append(
                format!(
                    "hlffi: timed out after {} s (HAXE_TESTS_TIMEOUT)\n",
                    limit.as_secs()
                )
                .as_bytes(),
            );
            EXIT_TIMEOUT
        }
    };
    RunOutcome { stdout: out.contents(), exit_code }
}

/// Loads and runs one program; returns the exit code, writing reports to `out`.
fn run_vm(hl: &Path, args: Vec<String>, out: &SharedBuffer, engine: Option<hlffi::JitMode>) -> i32 {
    let mut builder = hlffi::Vm::builder().args(args).stdout(Box::new(out.clone())).blocking_event_loop(true);
    if let Some(mode) = engine {
        builder = builder.jit_mode(mode);
    }
    let mut vm = builder.build();
    if let Err(e) = vm.load_file(hl) {
        out.append(format!("hlffi: {e}\n").as_bytes());
        return EXIT_VM_ERROR;
    }
    let result = vm.call_entry();
    vm.flush();
    match result {
        Ok(()) => 0,
        Err(hlffi::Error::Exit(code)) => code & 0xFF,
        Err(hlffi::Error::Exception { message, stack }) => {
            let mut report = format!("Uncaught exception: {message}\n");
            for frame in &stack {
                let _ = writeln!(report, "Called from {frame}");
            }
            out.append(report.as_bytes());
            1
        }
        Err(e) => {
            out.append(format!("hlffi: {e}\n").as_bytes());
            EXIT_VM_ERROR
        }
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(non-string panic payload)".to_string()
    }
}

/// One test program folder: `Main.hx`, `expected.stdout`, and optionally `expected.exit`,
/// `flags` and `args`.
#[derive(Debug, Clone)]
pub struct Case {
    /// The folder's name, e.g. `01_hello`.
    pub name: String,
    /// The folder.
    pub dir: PathBuf,
    /// Extra compiler arguments: the first line of `flags`, split on whitespace.
    pub flags: Vec<String>,
    /// Program arguments: the lines of `args` (each line is one argument).
    pub args: Vec<String>,
    /// The exact expected output.
    pub expected_stdout: String,
    /// The expected exit code: `expected.exit`, or 0.
    pub expected_exit: i32,
}

impl Case {
    /// Reads the case in `dir`.
    ///
    /// # Errors
    /// When `Main.hx` or `expected.stdout` is missing or a file cannot be read or parsed.
    pub fn load(dir: &Path) -> Result<Case, String> {
        let name = dir
            .file_name()
            .map_or_else(|| dir.display().to_string(), |n| n.to_string_lossy().into_owned());
        if !dir.join("Main.hx").is_file() {
            return Err(format!("{name}: no Main.hx in {}", dir.display()));
        }
        let read = |file: &str| -> Result<Option<String>, String> {
            let path = dir.join(file);
            if !path.exists() {
                return Ok(None);
            }
            std::fs::read_to_string(&path)
                .map(Some)
                .map_err(|e| format!("{name}: cannot read {}: {e}", path.display()))
        };
        // Read lossily, like the program's output: HashLink prints unpaired surrogates as
        // bytes that are not UTF-8 (`diff/unicode`); `scripts/diff-ref.sh` compares bytes.
        let stdout_path = dir.join("expected.stdout");
        let expected_stdout = match std::fs::read(&stdout_path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(format!("{name}: no expected.stdout in {}", dir.display()))
            }
            Err(e) => return Err(format!("{name}: cannot read {}: {e}", stdout_path.display())),
        };
        let expected_exit = match read("expected.exit")? {
            None => 0,
            Some(text) => text.trim().parse::<i32>().map_err(|e| {
                format!("{name}: expected.exit holds {:?}, not an exit code: {e}", text.trim())
            })?,
        };
        let flags = read("flags")?
            .map(|text| {
                text.lines().next().unwrap_or("").split_whitespace().map(String::from).collect()
            })
            .unwrap_or_default();
        let args = read("args")?
            .map(|text| text.lines().map(String::from).collect())
            .unwrap_or_default();
        Ok(Case { name, dir: dir.to_path_buf(), flags, args, expected_stdout, expected_exit })
    }

    /// Compiles and runs the case, comparing stdout and exit code exactly.
    ///
    /// # Errors
    /// A report naming the case, with a diff of the first differing lines, when the
    /// output or the exit code differs or the program does not compile.
    pub fn check(&self) -> Result<(), String> {
        let hl = compile(&self.dir, "Main", &self.flags).map_err(|e| format!("{}: {e}", self.name))?;
        let outcome = run_in_process(&hl, &self.args);
        let mut problems = Vec::new();
        if outcome.stdout != self.expected_stdout {
            problems.push(format!(
                "stdout differs (- expected, + actual):\n{}",
                diff_lines(&self.expected_stdout, &outcome.stdout)
            ));
        }
        if outcome.exit_code != self.expected_exit {
            problems.push(format!(
                "exit code {}, expected {}",
                outcome.exit_code, self.expected_exit
            ));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "FAIL {} ({}; bytecode: {})\n{}",
                self.name,
                self.dir.display(),
                hl.display(),
                problems.join("\n")
            ))
        }
    }
}

/// Runs [`check_case`] on every folder of `dirs`, printing `PASS`/`FAIL` lines on stderr;
/// returns the failure reports.
pub fn check_cases(dirs: &[PathBuf]) -> Vec<String> {
    let mut failures = Vec::new();
    for dir in dirs {
        match check_case(dir) {
            Ok(()) => eprintln!("PASS {}", dir.display()),
            Err(report) => {
                eprintln!("FAIL {}", dir.display());
                failures.push(report);
            }
        }
    }
    failures
}

/// Loads and checks the case in `dir` (see [`Case::check`]).
///
/// # Errors
/// As [`Case::load`] and [`Case::check`].
pub fn check_case(dir: &Path) -> Result<(), String> {
    Case::load(dir)?.check()
}

/// Every sub-folder of `dir` holding a `Main.hx`, sorted by name.
///
/// # Errors
/// When `dir` cannot be listed.
pub fn case_dirs(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.join("Main.hx").is_file())
        .collect();
    dirs.sort();
    Ok(dirs)
}

/// Most lines of each side shown by [`diff_lines`].
const DIFF_LINES: usize = 12;
/// Unchanged lines shown before the first difference.
const DIFF_CONTEXT: usize = 3;

/// A short unified-style diff of the first region where `expected` and `actual` differ:
/// a `@@ line N @@` header, a few unchanged lines of context, then the expected lines
/// (`-`) and the actual lines (`+`) of that region, each side capped at 12 lines.
pub fn diff_lines(expected: &str, actual: &str) -> String {
    let want: Vec<&str> = expected.split_inclusive('\n').collect();
    let got: Vec<&str> = actual.split_inclusive('\n').collect();
    let prefix = want.iter().zip(&got).take_while(|(a, b)| a == b).count();
    let suffix = want[prefix..]
        .iter()
        .rev()
        .zip(got[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let want_mid = &want[prefix..want.len() - suffix];
    let got_mid = &got[prefix..got.len() - suffix];

    let mut text = format!(
        "@@ line {} @@ (expected {} lines, got {})\n",
        prefix + 1,
        want.len(),
        got.len()
    );
    for line in &want[prefix.saturating_sub(DIFF_CONTEXT)..prefix] {
        push_diff_line(&mut text, ' ', line);
    }
    for (sign, side) in [('-', want_mid), ('+', got_mid)] {
        for line in side.iter().take(DIFF_LINES) {
            push_diff_line(&mut text, sign, line);
        }
        if side.len() > DIFF_LINES {
            let _ = writeln!(text, "{sign} ... {} more lines", side.len() - DIFF_LINES);
        }
    }
    text
}

fn push_diff_line(text: &mut String, sign: char, line: &str) {
    match line.strip_suffix('\n') {
        Some(body) => {
            let _ = writeln!(text, "{sign}{body}");
        }
        None => {
            let _ = writeln!(text, "{sign}{line}");
            text.push_str("\\ no newline at end\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_shows_first_differing_region_with_context() {
        let d = diff_lines("a\nb\nc\nd\ne\n", "a\nb\nX\nd\ne\n");
        assert_eq!(d, "@@ line 3 @@ (expected 5 lines, got 5)\n a\n b\n-c\n+X\n");
    }

    #[test]
    fn diff_reports_missing_trailing_newline() {
        let d = diff_lines("a\nb\n", "a\nb");
        assert_eq!(d, "@@ line 2 @@ (expected 2 lines, got 2)\n a\n-b\n+b\n\\ no newline at end\n");
    }

    #[test]
    fn diff_of_extra_output() {
        let d = diff_lines("a\n", "a\nboom\n");
        assert_eq!(d, "@@ line 2 @@ (expected 1 lines, got 2)\n a\n+boom\n");
    }

    #[test]
    fn case_files_are_parsed() {
        let dir = std::env::temp_dir().join(format!("haxe-tests-case-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("Main.hx"), "class Main { static function main() {} }\n").unwrap();
        std::fs::write(dir.join("expected.stdout"), "x\n").unwrap();
        std::fs::write(dir.join("expected.exit"), "3\n").unwrap();
        std::fs::write(dir.join("flags"), "-D a=1  -D b\nignored line\n").unwrap();
        std::fs::write(dir.join("args"), "one\ntwo words\n").unwrap();
        let case = Case::load(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(case.expected_stdout, "x\n");
        assert_eq!(case.expected_exit, 3);
        assert_eq!(case.flags, ["-D", "a=1", "-D", "b"]);
        assert_eq!(case.args, ["one", "two words"]);
    }
}

/// Checks case `name` of the shared suite `suite` (`"conformance"`, `"bench"`: a folder
/// of `../shared`), panicking with the report on a mismatch. When the shared folder is
/// absent (a checkout without `../shared`), prints that the case was skipped.
pub fn run_shared_case(suite: &str, name: &str) {
    let root = shared_dir().join(suite);
    let root = root.canonicalize().unwrap_or(root);
    if !root.is_dir() {
        eprintln!("skipped {name}: no {suite} suite at {} (it lives next to the repository)", root.display());
        return;
    }
    ensure_haxe();
    let dir = root.join(name);
    assert!(dir.is_dir(), "{suite} case {name} is missing: {}", dir.display());
    if let Err(report) = check_case(&dir) {
        panic!("{report}");
    }
}

/// Case folders of the shared suite `suite` that are not in `listed` (empty when the
/// suite is absent), so a test file can insist that every case has a test.
pub fn unlisted_cases(suite: &str, listed: &[&str]) -> Vec<String> {
    let root = shared_dir().join(suite);
    if !root.is_dir() {
        return Vec::new();
    }
    let dirs = case_dirs(&root).unwrap_or_else(|e| panic!("{e}"));
    dirs.iter()
        .filter_map(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .filter(|n| !listed.contains(&n.as_str()))
        .collect()
}

// ---------------------------------------------------------------------- API suites

/// What an embedded VM printed (Haxe's `trace`/`Sys.println`), captured for assertions.
#[derive(Clone, Default)]
pub struct Output(SharedBuffer);

impl Output {
    /// A writer to give to [`hlffi::VmBuilder::stdout`].
    pub fn writer(&self) -> Box<dyn Write + Send> {
        Box::new(self.0.clone())
    }

    /// Everything printed since the last call, emptying the buffer.
    pub fn take(&self) -> String {
        let mut bytes = self.0 .0.lock().unwrap_or_else(PoisonError::into_inner);
        let text = String::from_utf8_lossy(&bytes).into_owned();
        bytes.clear();
        text
    }
}

/// Folder of the API test programs (`haxe-tests/api/<area>/Main.hx`).
pub fn api_programs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("api")
}

/// Compiles API test program `name` (cached; see [`compile`]). Panics with the
/// compiler's message on failure.
pub fn api_program(name: &str) -> PathBuf {
    ensure_haxe();
    compile(&api_programs_dir().join(name), "Main", &[]).unwrap_or_else(|e| panic!("{e}"))
}

/// A VM with captured output and API test program `name` loaded (entrypoint not run).
pub fn api_vm_loaded(name: &str) -> (hlffi::Vm, Output) {
    let out = Output::default();
    let mut vm = hlffi::Vm::builder().stdout(out.writer()).build();
    vm.load_file(api_program(name)).unwrap_or_else(|e| panic!("loading {name}: {e}"));
    (vm, out)
}

/// A VM with captured output, API test program `name` loaded and its entrypoint run.
pub fn api_vm(name: &str) -> (hlffi::Vm, Output) {
    let (mut vm, out) = api_vm_loaded(name);
    vm.call_entry().unwrap_or_else(|e| panic!("running {name}: {e}"));
    (vm, out)
}
