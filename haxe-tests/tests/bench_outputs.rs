//! The benchmark programs of `../shared/bench` must print exactly their
//! `expected.stdout`. Timing is not tested here (see `scripts/bench.sh`).
//!
//! These programs are heavy for an interpreter, so they run only in optimised builds:
//! `cargo test --release` (what `scripts/test.sh` and CI run). In a debug build each test
//! prints that it was skipped and passes.

fn run_bench(name: &str) {
    if cfg!(debug_assertions) {
        eprintln!("skipped {name}: benchmark outputs are checked in release builds only (cargo test --release)");
        return;
    }
    haxe_tests::run_shared_case("bench", name);
}

macro_rules! benchmarks {
    ($($test:ident => $name:literal,)*) => {
        $(
            #[test]
            fn $test() {
                run_bench($name);
            }
        )*

        /// Every folder of the suite on disk must have a test above.
        #[test]
        fn every_benchmark_has_a_test() {
            let missing = haxe_tests::unlisted_cases("bench", &[$($name),*]);
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
