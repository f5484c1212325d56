//! Differential test of the two engines: every Haxe program of the repository's test
//! folders (and the shared conformance cases) runs in the interpreter and with every
//! function compiled by the JIT at its first call; stdout and exit code must be equal.
//! Expected outputs are not needed: the interpreter is the reference implementation,
//! and the conformance and own-program suites compare it with HashLink's output.

use std::path::{Path, PathBuf};

use haxe_tests::{compile, run_in_process_with, workspace_root};
use hlffi::JitMode;

/// Folders holding a `Main.hx` directly under `dir`, sorted.
fn programs_in(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).filter(|p| p.join("Main.hx").is_file()).collect())
        .unwrap_or_default();
    out.sort();
    out
}

fn lines_of(dir: &Path, file: &str) -> Vec<String> {
    std::fs::read_to_string(dir.join(file)).map(|t| t.lines().map(String::from).collect()).unwrap_or_default()
}

#[test]
fn interpreter_and_jit_agree() {
    haxe_tests::ensure_haxe();
    let root = workspace_root();
    let mut dirs = programs_in(&root.join("haxe-tests/haxe"));
    dirs.extend(programs_in(&root.join("haxe-tests/diff")));
    dirs.extend(programs_in(&root.join("examples")));
    // Hot reload cases: each version folder is a program of its own.
    for case in std::fs::read_dir(root.join("haxe-tests/reload")).into_iter().flatten().flatten() {
        dirs.extend(programs_in(&case.path()));
    }
    dirs.extend(programs_in(&haxe_tests::shared_dir().join("conformance")));
    dirs.sort();
    dirs.dedup();
    assert!(dirs.len() > 20, "too few programs found: {dirs:?}");
    let mut failures = Vec::new();
    for dir in &dirs {
        let flags: Vec<String> =
            lines_of(dir, "flags").first().map(|l| l.split_whitespace().map(String::from).collect()).unwrap_or_default();
        let args = lines_of(dir, "args");
        let hl = match compile(dir, "Main", &flags) {
            Ok(hl) => hl,
            Err(e) => {
                failures.push(format!("{}: does not compile: {e}", dir.display()));
                continue;
            }
        };
        let interp = run_in_process_with(&hl, &args, Some(JitMode::Off));
        let jit = run_in_process_with(&hl, &args, Some(JitMode::Eager));
        if interp.stdout == jit.stdout && interp.exit_code == jit.exit_code {
            eprintln!("SAME {}", dir.display());
        } else {
            eprintln!("DIFF {}", dir.display());
            failures.push(format!(
                "{}: interpreter exit {} / JIT exit {}\n{}",
                dir.display(),
                interp.exit_code,
                jit.exit_code,
                haxe_tests::diff_lines(&interp.stdout, &jit.stdout)
            ));
        }
    }
    assert!(failures.is_empty(), "{} of {} programs differ:\n\n{}", failures.len(), dirs.len(), failures.join("\n\n"));
    // Every function that ran was compiled: none was left to the interpreter.
    let (compiled, refused) = hlffi::jit_counts();
    assert!(compiled > 1000, "only {compiled} functions were compiled");
    assert_eq!(refused, 0, "the JIT refused {refused} functions (HLVM_JIT_LOG=1 names them)");
}
