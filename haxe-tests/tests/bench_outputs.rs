//! The benchmark programs of `../shared/bench` must print exactly their
//! `expected.stdout`. Timing is not tested here (see `scripts/bench.sh`).
//!
//! These programs are heavy for an interpreter, so they run only in optimised builds:
//! `cargo test --release` (what `scripts/test.sh` and CI run). In a debug build each test
//! prints that it was skipped and passes.

use std::path::PathBuf;

fn bench_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench")
}

fn run_bench(name: &str) {
    if cfg!(debug_assertions) {
        eprintln!("skipped {name}: benchmark outputs are checked in release builds only (cargo test --release)");
        return;
    }
    let root = bench_dir();
    let root = root.canonicalize().unwrap_or(root);
    if !root.is_dir() {
        eprintln!("skipped {name}: no benchmarks at {}", root.display());
        return;
    }
    haxe_tests::ensure_haxe();
    let dir = root.join(name);
    assert!(dir.is_dir(), "benchmark {name} is missing: {}", dir.display());
    if let Err(report) = haxe_tests::check_case(&dir) {
        panic!("{report}");
    }
}

macro_rules! benchmarks {
    ($($test:ident => $name:literal,)*) => {
        $(
            #[test]
            fn $test() {
                run_bench($name);
            }
        )*

        /// Every benchmark folder on disk must have a test above.
        #[test]
        fn every_benchmark_has_a_test() {
            let root = bench_dir();
            if !root.is_dir() {
                eprintln!("skipped: no benchmarks at {}", root.display());
                return;
            }
            let listed = [$($name),*];
            let dirs = haxe_tests::case_dirs(&root).unwrap_or_else(|e| panic!("{e}"));
            let missing: Vec<String> = dirs
                .iter()
                .filter_map(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
                .filter(|n| !listed.contains(&n.as_str()))
                .collect();
            assert!(missing.is_empty(), "benchmarks without a test in tests/bench_outputs.rs: {missing:?}");
        }
    };
}

benchmarks! {
    bench_binarytrees => "binarytrees",
    bench_closures => "closures",
    bench_dispatch => "dispatch",
    bench_dynamic => "dynamic",
    bench_fannkuch => "fannkuch",
    bench_mandelbrot => "mandelbrot",
    bench_maps => "maps",
    bench_nbody => "nbody",
    bench_spectralnorm => "spectralnorm",
    bench_strings => "strings",
}
