//! Hot-reload benchmark: the cost of `Vm::reload_module` on a large module, and the
//! cost of calls before and after many reloads.
//!
//! Expects two compilations of one program that differ in one function body (made by
//! `scripts/bench-reload.sh`: 40 classes × 50 static methods plus `Main`):
//!
//! 1. loads `V1`, runs its entrypoint;
//! 2. times N host calls of an unchanged function (`Main.unchanged`, through a cached
//!    `StaticFn`) and one in-Haxe loop (`Main.hot`, N calls of generated methods);
//! 3. runs `RELOADS` reloads alternating `V2`/`V1`, timing each `reload_module` call
//!    (read + parse + plan + apply) and checking each report;
//! 4. times the same calls again.
//!
//! usage: `reload_bench V1.hl V2.hl [N] [RELOADS]` (defaults 1,000,000 and 100).

use std::time::{Duration, Instant};

use hlffi::Vm;

/// Best of 5 runs of `n` iterations of `f`, in ns per iteration.
fn best_ns(n: u32, mut f: impl FnMut(u32)) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        for i in 0..n {
            f(i);
        }
        best = best.min(t.elapsed().as_nanos() as f64 / f64::from(n));
    }
    best
}

struct Calls {
    host_ns: f64,
    haxe_ns: f64,
}

fn measure_calls(vm: &Vm, n: u32) -> hlffi::Result<Calls> {
    let unchanged = vm.static_fn::<(i32,), i32>("Main", "unchanged")?;
    let host_ns = best_ns(n, |i| {
        let r = unchanged.call((i as i32,)).expect("Main.unchanged");
        std::hint::black_box(r);
    });
    let hot = vm.static_fn::<(i32,), i32>("Main", "hot")?;
    let inner = (n / 10).max(1);
    let haxe_ns = best_ns(1, |_| {
        std::hint::black_box(hot.call((inner as i32,)).expect("Main.hot"));
    }) / f64::from(inner);
    Ok(Calls { host_ns, haxe_ns })
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [v1, v2, rest @ ..] = args.as_slice() else {
        return Err("usage: reload_bench V1.hl V2.hl [N] [RELOADS]".into());
    };
    let n: u32 = rest.first().map(|s| s.parse()).transpose()?.unwrap_or(1_000_000);
    let reloads: usize = rest.get(1).map(|s| s.parse()).transpose()?.unwrap_or(100);

    let mut vm = Vm::builder().hot_reload(true).build();
    let t = Instant::now();
    vm.load_file(v1)?;
    let load = t.elapsed();
    vm.call_entry()?;
    // The cached handle resolved before any reload is the one timed at the end too.
    let unchanged = vm.static_fn::<(i32,), i32>("Main", "unchanged")?;
    let expected = unchanged.call((5,))?;

    let before = measure_calls(&vm, n)?;

    let mut times = Vec::with_capacity(reloads);
    let mut functions = 0;
    for i in 0..reloads {
        let (file, version) = if i % 2 == 0 { (v2, 1) } else { (v1, 0) };
        let t = Instant::now();
        let report = vm.reload_module(file)?;
        times.push(t.elapsed());
        if report.changed != ["C20.m25"] || !report.added.is_empty() {
            return Err(format!("reload {i}: unexpected report {report:?}").into());
        }
        functions = report.unchanged + report.changed.len();
        let got: i32 = vm.call_static("C20", "m25", (1,))?;
        let want = 25 + 20 + version; // C20.m25(x) = x * 25 + 20 (+ 1 in v2)
        if got != want {
            return Err(format!("reload {i}: C20.m25(1) = {got}, expected {want}").into());
        }
    }
    if unchanged.call((5,))? != expected {
        return Err("Main.unchanged changed its result".into());
    }

    let after = measure_calls(&vm, n)?;

    let mut sorted = times.clone();
    sorted.sort();
    let (min, max) = (sorted[0], sorted[sorted.len() - 1]);
    let median = sorted[sorted.len() / 2];
    let size = std::fs::metadata(v1)?.len();
    println!("module: {v1} ({size} bytes, {functions} functions), loaded in {:.1} ms", ms(load));
    println!();
    println!("| measure | value |");
    println!("|---|---|");
    println!("| `reload_module`, {reloads} reloads (v2/v1 alternating): min | {:.2} ms |", ms(min));
    println!("| `reload_module`: median | {:.2} ms |", ms(median));
    println!("| `reload_module`: max | {:.2} ms |", ms(max));
    println!("| host call of unchanged `Main.unchanged` (StaticFn), before | {:.1} ns/call |", before.host_ns);
    println!("| host call of unchanged `Main.unchanged` (StaticFn), after {reloads} reloads | {:.1} ns/call |", after.host_ns);
    println!("| in-Haxe call loop (`Main.hot`), before | {:.1} ns/iteration |", before.haxe_ns);
    println!("| in-Haxe call loop (`Main.hot`), after {reloads} reloads | {:.1} ns/iteration |", after.haxe_ns);
    println!();
    let target = Duration::from_millis(5);
    println!(
        "median reload {} the 5 ms target; host calls after/before: {:.2}x, in-Haxe loop after/before: {:.2}x",
        if median < target { "meets" } else { "MISSES" },
        after.host_ns / before.host_ns,
        after.haxe_ns / before.haxe_ns,
    );
    Ok(())
}
