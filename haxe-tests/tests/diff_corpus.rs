//! The differential corpus: every folder of `haxe-tests/diff/` holding a `Main.hx`, one
//! small program per area of the Haxe standard library on HashLink (Std, Reflect, Type,
//! StringTools, EReg, Date, Math, haxe.ds, haxe.io, Json, Serializer, Template, Xml,
//! crypto, Int64, Unicode, sys.FileSystem, timers, exceptions, edge values). Same layout
//! as `haxe/` (`expected.stdout` recorded on HashLink 1.17, optional `expected.exit`,
//! `flags`, `args`). `scripts/diff-ref.sh` runs the same programs side by side with a
//! reference `hl` binary. All programs run; the test fails listing every failure.

#[test]
fn diff_corpus_programs() {
    haxe_tests::ensure_haxe();
    // The expected outputs were recorded with TZ=UTC (Date prints local time). Set it before
    // any VM thread starts, so the C library reads it at its first local-time conversion.
    if std::env::var_os("TZ").is_none_or(|tz| tz != "UTC") {
        std::env::set_var("TZ", "UTC");
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("diff");
    let dirs = haxe_tests::case_dirs(&root).unwrap_or_else(|e| panic!("{e}"));
    assert!(dirs.len() >= 30, "expected at least 30 programs under {}, found {}", root.display(), dirs.len());
    let failures = haxe_tests::check_cases(&dirs);
    assert!(
        failures.is_empty(),
        "{} of {} corpus programs failed:\n\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n\n")
    );
}
