//! Benchmark of host→Haxe call overhead for `Bench.inc(n:Int):Int`
//! (`examples/bench/Bench.hx`): by name with `Vm::call_static`, and through a cached
//! `StaticFn` handle. Prints ns/call (best of 5 runs of N calls).
//!
//! Run with `scripts/bench-api.sh`.

use std::time::Instant;

fn best_ns(n: u32, mut f: impl FnMut(u32)) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        for i in 0..n {
            f(i);
        }
        best = best.min(t.elapsed().as_nanos() as f64 / n as f64);
    }
    best
}

fn main() -> hlffi::Result<()> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "target/examples/bench.hl".into());
    let n: u32 = std::env::args().nth(2).and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let mut vm = hlffi::Vm::new();
    vm.load_file(&path)?;
    vm.call_entry()?;
    let by_name = best_ns(n, |i| {
        let r: i32 = vm.call_static("Bench", "inc", (i as i32,)).expect("call");
        std::hint::black_box(r);
    });
    let inc = vm.static_fn::<(i32,), i32>("Bench", "inc")?;
    let cached = best_ns(n, |i| {
        let r = inc.call((i as i32,)).expect("call");
        std::hint::black_box(r);
    });
    println!("call_static by name: {by_name:.1} ns/call");
    println!("cached StaticFn:     {cached:.1} ns/call");
    Ok(())
}
