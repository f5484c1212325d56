//! This crate's own Haxe programs: every folder of `haxe-tests/haxe/` holding a
//! `Main.hx` (same layout as the conformance suite, plus an optional `args` file with one
//! program argument per line). All programs run; the test fails listing every failure.

#[test]
fn own_haxe_programs() {
    haxe_tests::ensure_haxe();
    let root = haxe_tests::own_programs_dir();
    let dirs = haxe_tests::case_dirs(&root).unwrap_or_else(|e| panic!("{e}"));
    assert!(!dirs.is_empty(), "no Haxe programs under {}", root.display());
    let failures = haxe_tests::check_cases(&dirs);
    assert!(
        failures.is_empty(),
        "{} of {} own Haxe programs failed:\n\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n\n")
    );
}
