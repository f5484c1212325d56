//! `hlffi run --watch`: the runner hot-reloads a changed `.hl`, and with an `.hxml`
//! recompiles edited Haxe sources, keeping the last good code on compile errors.
//! Drives the real binary on programs compiled by `haxe`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PROGRAM: &str = r#"class Main {
	static var n = 0;
	static function main() {
		new haxe.Timer(20).run = tick;
	}
	static function tick() {
		n++;
		Sys.println("tick " + n + " " + value());
	}
	static function value() return "VALUE";
}
"#;

fn program(value: &str) -> String {
    PROGRAM.replace("VALUE", value)
}

/// A fresh folder under the target directory.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("run-watch-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).expect("scratch folder");
    dir
}

fn haxe(dir: &Path, out: &str) {
    let st = Command::new("haxe").args(["-cp", "src", "-main", "Main", "-hl", out]).current_dir(dir).status().expect("haxe must be installed");
    assert!(st.success(), "haxe failed");
}

/// The runner, with stdout and stderr collected in the background.
struct Runner {
    child: Child,
    out: Arc<Mutex<String>>,
    err: Arc<Mutex<String>>,
}

impl Runner {
    fn start(dir: &Path, target: &str) -> Runner {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hlffi"))
            .args(["run", "--watch", target])
            .current_dir(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("runner starts");
        let collect = |mut r: Box<dyn Read + Send>| {
            let buf = Arc::new(Mutex::new(String::new()));
            let b = buf.clone();
            std::thread::spawn(move || {
                let mut chunk = [0u8; 4096];
                while let Ok(n) = r.read(&mut chunk) {
                    if n == 0 {
                        break;
                    }
                    b.lock().expect("lock").push_str(&String::from_utf8_lossy(&chunk[..n]));
                }
            });
            buf
        };
        let out = collect(Box::new(child.stdout.take().expect("stdout")));
        let err = collect(Box::new(child.stderr.take().expect("stderr")));
        Runner { child, out, err }
    }

    /// Waits until stdout's last line contains `needle` (10 s at most).
    fn wait_for(&self, needle: &str) {
        let start = Instant::now();
        loop {
            let out = self.out.lock().expect("lock").clone();
            if out.lines().last().is_some_and(|l| l.contains(needle)) {
                return;
            }
            if start.elapsed() > Duration::from_secs(10) {
                panic!("never saw {needle:?}\nstdout:\n{out}\nstderr:\n{}", self.err.lock().expect("lock"));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn stderr(&self) -> String {
        self.err.lock().expect("lock").clone()
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn watch_hl_reloads_a_replaced_file_and_keeps_state() {
    let dir = scratch("hl");
    std::fs::write(dir.join("src/Main.hx"), program("one")).unwrap();
    haxe(&dir, "game.hl");
    let runner = Runner::start(&dir, "game.hl");
    runner.wait_for(" one");
    // Compile elsewhere and rename over the watched file, as build tools and editors do.
    std::fs::write(dir.join("src/Main.hx"), program("two")).unwrap();
    haxe(&dir, "next.hl");
    std::fs::rename(dir.join("next.hl"), dir.join("game.hl")).unwrap();
    runner.wait_for(" two");
    // The counter kept counting: state survived the reload.
    let out = runner.out.lock().unwrap().clone();
    let last: Vec<&str> = out.lines().last().unwrap().split(' ').collect();
    assert!(last[1].parse::<i32>().unwrap() > 1, "{out}");
    assert!(runner.stderr().contains("hlffi: reloaded: 1 changed, 0 added"), "{}", runner.stderr());
    // A file that is not bytecode is not applied; the program keeps running.
    std::fs::write(dir.join("game.hl"), b"garbage").unwrap();
    std::thread::sleep(Duration::from_millis(200));
    runner.wait_for(" two");
}

#[test]
fn watch_hxml_recompiles_and_survives_compile_errors() {
    let dir = scratch("hxml");
    std::fs::write(dir.join("src/Main.hx"), program("alpha")).unwrap();
    std::fs::write(dir.join("build.hxml"), "-cp src\n-main Main\n-hl out/game.hl\n").unwrap();
    let runner = Runner::start(&dir, "build.hxml");
    runner.wait_for(" alpha");
    std::fs::write(dir.join("src/Main.hx"), program("beta")).unwrap();
    runner.wait_for(" beta");
    // A syntax error: reported, and the last good code keeps running.
    std::fs::write(dir.join("src/Main.hx"), program("beta").replace("return \"beta\"", "return \"beta\" +")).unwrap();
    let start = Instant::now();
    while !runner.stderr().contains("compilation failed, still running the last good code") {
        assert!(start.elapsed() < Duration::from_secs(10), "no compile error reported:\n{}", runner.stderr());
        std::thread::sleep(Duration::from_millis(20));
    }
    runner.wait_for(" beta");
    std::fs::write(dir.join("src/Main.hx"), program("gamma")).unwrap();
    runner.wait_for(" gamma");
}
