//! The conformance suite `../shared/conformance`: one test per case folder. Each case is
//! compiled with `haxe` (plus the case's `flags`, as `run.sh` does) and run in-process
//! through `hlffi`; stdout and the exit code must match the reference HashLink 1.17
//! behaviour recorded beside it exactly.
//!
//! Run one case: `cargo test -p haxe-tests --release --test conformance case_07_enums`.

fn run_case(name: &str) {
    haxe_tests::run_shared_case("conformance", name);
}

macro_rules! conformance_cases {
    ($($test:ident => $name:literal,)*) => {
        $(
            #[test]
            fn $test() {
                run_case($name);
            }
        )*

        /// Every folder of the suite on disk must have a test above.
        #[test]
        fn every_case_folder_has_a_test() {
            let missing = haxe_tests::unlisted_cases("conformance", &[$($name),*]);
            assert!(missing.is_empty(), "conformance cases without a test in tests/conformance.rs: {missing:?}");
        }
    };
}

conformance_cases! {
    case_01_hello => "01_hello",
    case_02_arith => "02_arith",
    case_03_strings => "03_strings",
    case_04_arrays => "04_arrays",
    case_05_maps => "05_maps",
    case_06_classes => "06_classes",
    case_07_enums => "07_enums",
    case_08_closures => "08_closures",
    case_09_dynamic => "09_dynamic",
    case_10_exceptions => "10_exceptions",
    case_11_reflection => "11_reflection",
    case_12_bytes_io => "12_bytes_io",
    case_13_json_serial => "13_json_serial",
    case_14_regex => "14_regex",
    case_15_iterators => "15_iterators",
    case_16_int64_abstract => "16_int64_abstract",
    case_17_resources_v5 => "17_resources_v5",
}
