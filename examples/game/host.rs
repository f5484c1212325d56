//! A Rust game loop embedding a Haxe game (`examples/game/Game.hx`).
//!
//! Run it with `scripts/run-example.sh`, which compiles the Haxe code and then runs
//! `cargo run --release -p hlffi --example game -- target/examples/game.hl [FRAMES]`.
//!
//! Each frame the host calls `Game.update(dt)` through a cached handle, pumps the Haxe
//! event loop (`haxe.Timer`) with `vm.update(dt)`, and now and then reads the entities
//! (a Haxe `Array` of objects), edits one, tunes the game through its `Map` of
//! settings, and spawns a new entity. Haxe calls back into Rust through a native
//! (`host.log`) and through a Rust closure stored in `Game.onLap`.
//!
//! With `--watch`, the host enables hot reload and watches the `.hl` file: recompile
//! `Game.hx` while it runs (`cd examples/game && haxe -cp . -main Game -hl
//! ../../target/examples/game.hl`) and the next frame runs the new code, with the
//! entities, score and settings as they were. It then runs until interrupted unless a
//! frame count is given.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use hlffi::{Array, Map, Object, Vm};

fn main() {
    if let Err(e) = run() {
        eprintln!("game host: {e}");
        std::process::exit(1);
    }
}

fn run() -> hlffi::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let watch = args.iter().any(|a| a == "--watch");
    args.retain(|a| a != "--watch");
    let path = args.first().cloned().unwrap_or_else(|| "target/examples/game.hl".into());
    let default_frames = if watch { u32::MAX } else { 180 };
    let frames: u32 = args.get(1).and_then(|f| f.parse().ok()).unwrap_or(default_frames);

    let mut vm = Vm::builder().hot_reload(watch).build();
    // `@:hlNative("host", "log")` in Game.hx.
    vm.register_native("host", "log", |(msg,): (String,)| println!("[haxe] {msg}"));
    vm.load_file(&path)?;
    if watch {
        vm.watch()?;
        vm.on_reload(|r| match r {
            Ok(rep) => println!("hot reload: changed {:?}, added {:?}", rep.changed, rep.added),
            Err(e) => println!("hot reload refused, still running the old code: {e}"),
        });
        println!("watching {path} for changes");
    }
    vm.call_entry()?;

    // Haxe calls this closure (stored in a Dynamic static) on every lap.
    let laps = Rc::new(RefCell::new(Vec::new()));
    let seen = laps.clone();
    let on_lap = vm.function("on_lap", move |(name, score): (String, i32)| {
        seen.borrow_mut().push(format!("{name} (score {score})"));
    })?;
    vm.set_static("Game", "onLap", &on_lap)?;

    let update = vm.static_fn::<(f64,), ()>("Game", "update")?;
    let leader = vm.static_fn::<(), Object>("Game", "leader")?;
    let settings: Map = vm.get_static("Game", "settings")?;
    let dt = 1.0 / 60.0;

    for frame in 1..=frames {
        // Game.update(dt); then due timers (and, with --watch, a changed module).
        update.call((dt,))?;
        vm.update(dt)?;
        for lap in laps.borrow_mut().drain(..) {
            println!("frame {frame:3}: lap completed by {lap}");
        }
        if frame == 60 {
            // Speed everything up from the host, and give blue a push.
            settings.set("speedFactor", 1.5)?;
            let entities: Array = vm.get_static("Game", "entities")?;
            let blue: Object = entities.get(1)?;
            blue.set("speed", blue.get::<f64>("speed")? + 30.0)?;
            println!("frame {frame:3}: host set speedFactor=1.5 and boosted blue");
        }
        if frame == 120 {
            let green: Object = vm.call_static("Game", "spawn", ("green", 10.0, 90.0))?;
            println!("frame {frame:3}: host spawned {}", green.value().to_haxe_string()?);
        }
        if frame % 60 == 0 {
            let entities: Vec<Object> = vm.get_static("Game", "entities")?;
            let names: Vec<String> = entities.iter().map(|e| e.value().to_haxe_string()).collect::<Result<_, _>>()?;
            let lead = leader.call(())?;
            println!(
                "frame {frame:3}: score {} | leader {} | {}",
                vm.get_static::<i32>("Game", "score")?,
                lead.get::<String>("name")?,
                names.join(" ")
            );
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    println!(
        "done: {} frames in Haxe, score {}, {} timer boosts",
        vm.get_static::<i32>("Game", "frames")?,
        vm.get_static::<i32>("Game", "score")?,
        vm.get_static::<i32>("Game", "boosts")?
    );
    Ok(())
}
