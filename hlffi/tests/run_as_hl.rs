//! The runner invoked as `hl` takes the reference `hl` command line (`hl [OPTIONS]
//! FILE.hl [ARGS]`, `hlboot.dat` when no file is given). Drives the real binary through a
//! link named `hl`, on a program compiled by `haxe`; the expected behaviour was checked
//! against HashLink 1.17's `hl`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const PROGRAM: &str = r#"class Main {
	static function main() {
		Sys.println("args " + Sys.args().length + " [" + Sys.args().join("|") + "]");
		Sys.exit(Sys.args().length);
	}
}
"#;

/// A fresh folder holding `prog.hl` and a link `hl` to the runner.
fn setup(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("run-as-hl-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).expect("scratch folder");
    std::fs::write(dir.join("src/Main.hx"), PROGRAM).expect("write Main.hx");
    let st = Command::new("haxe").args(["-cp", "src", "-main", "Main", "-hl", "prog.hl"]).current_dir(&dir).status().expect("haxe must be installed");
    assert!(st.success(), "haxe failed");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_hlffi"), dir.join("hl")).expect("link hl");
    dir
}

fn hl(dir: &Path, args: &[&str]) -> Output {
    Command::new(dir.join("hl")).args(args).current_dir(dir).output().expect("hl runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn hl_command_line() {
    let dir = setup("cli");
    let o = hl(&dir, &["--version"]);
    assert_eq!((stdout(&o).as_str(), o.status.code()), ("1.17.0", Some(0)));

    let o = hl(&dir, &["prog.hl", "a", "b c", "--x"]);
    assert_eq!((stdout(&o).as_str(), o.status.code()), ("args 3 [a|b c|--x]\n", Some(3)));

    // hl's own options before the file are taken (and ignored here), not passed on.
    let o = hl(&dir, &["--debug", "6000", "--profile", "10", "prog.hl", "z"]);
    assert_eq!((stdout(&o).as_str(), o.status.code()), ("args 1 [z]\n", Some(1)));

    // A file that cannot be loaded: exit code 1, as hl.
    let o = hl(&dir, &["missing.hl"]);
    assert_eq!(o.status.code(), Some(1));

    // No file and no hlboot.dat: usage, exit code 1.
    let o = hl(&dir, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("Usage"), "{}", stdout(&o));

    // No file: hlboot.dat runs, and arguments start at the first unknown option.
    std::fs::copy(dir.join("prog.hl"), dir.join("hlboot.dat")).expect("copy hlboot.dat");
    let o = hl(&dir, &[]);
    assert_eq!((stdout(&o).as_str(), o.status.code()), ("args 0 []\n", Some(0)));
    let o = hl(&dir, &["-x", "foo", "+y"]);
    assert_eq!((stdout(&o).as_str(), o.status.code()), ("args 3 [-x|foo|+y]\n", Some(3)));
}
