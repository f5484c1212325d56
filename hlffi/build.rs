//! Link options of the `hlffi` runner (its binaries only; the library is unaffected).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    // Packed relative relocations (`DT_RELR`, glibc 2.36 and binutils 2.38 or later):
    // the runner is position-independent, and its ~15,000 relative relocations took a
    // 372 KB `.rela.dyn` section that the loader reads at every start; packed, they take
    // 3 KB. Peak RSS 0.5-0.9 MB lower on every `shared/bench` program (dispatch
    // 13.7 -> 13.1 MB, fannkuch 15.0 -> 14.1 MB; with `--interp` 7.3 -> 6.6 MB), the
    // same as a non-PIE build, which would give up address-space randomisation.
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
