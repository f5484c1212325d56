//! The bytecode reader and linker against real `haxe` output: every truncation and
//! thousands of seeded random corruptions of a real `.hl` file must be rejected (or
//! accepted) without a panic, and an HLB v5 file derived from a v4 one must run the same.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock};

use hlvm::{Code, Vm, VmConfig};

/// Compiles `tests/hx/Main.hx` once per test run.
fn program() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/hx");
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hlvm-reader-test.hl");
        let status = Command::new("haxe")
            .args(["-cp", src.to_str().expect("utf-8 path"), "-main", "Main", "-hl"])
            .arg(&out)
            .status()
            .expect("haxe must be installed (scripts/install-deps.sh)");
        assert!(status.success(), "haxe failed to compile tests/hx/Main.hx");
        std::fs::read(&out).expect("compiled program")
    })
}

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Loads and runs `bytes`, returning what the program printed.
fn run(bytes: &[u8]) -> String {
    let cap = Capture::default();
    let config = VmConfig { stdout: Box::new(cap.clone()), ..VmConfig::default() };
    let mut vm = Vm::new(config);
    vm.load(Code::read(bytes).expect("valid bytecode")).expect("links");
    vm.call_entry().expect("runs");
    let out = cap.0.lock().expect("lock").clone();
    String::from_utf8(out).expect("utf-8 output")
}

const EXPECTED: &str = "area 12\nPush(1);Push(2);Label(x);Pop\nsum 3\nclosure 11 12\ncaught oops\nhell0 w0rld\n";

#[test]
fn real_program_runs() {
    assert_eq!(run(program()), EXPECTED);
}

/// Loading may fail, but never panic: read, then link what reads.
fn load_never_panics(bytes: &[u8]) -> bool {
    match Code::read(bytes) {
        Ok(code) => {
            let mut vm = Vm::new(VmConfig { stack_slots: 1024, ..VmConfig::default() });
            vm.load(code).is_ok()
        }
        Err(_) => false,
    }
}

#[test]
fn every_truncation_is_rejected() {
    let full = program();
    for len in 0..full.len() {
        let r = std::panic::catch_unwind(|| Code::read(&full[..len]));
        match r {
            Ok(Ok(_)) => panic!("a file cut at {len} of {} bytes was accepted", full.len()),
            Ok(Err(_)) => {}
            Err(_) => panic!("reading a file cut at {len} bytes panicked"),
        }
    }
}

#[test]
fn random_corruptions_never_panic() {
    let full = program();
    // xorshift64: deterministic, seeded.
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut loaded = 0;
    for case in 0..4000 {
        let mut bytes = full.to_vec();
        let changes = 1 + next() % 8;
        for _ in 0..changes {
            let at = (next() % bytes.len() as u64) as usize;
            bytes[at] = match next() % 4 {
                0 => 0xFF,
                1 => 0,
                2 => bytes[at] ^ (1 << (next() % 8)),
                _ => next() as u8,
            };
        }
        let r = std::panic::catch_unwind(|| load_never_panics(&bytes));
        match r {
            Ok(ok) => loaded += ok as usize,
            Err(_) => panic!("corruption case {case} panicked"),
        }
    }
    // Some corruptions (in strings, floats, ...) still load: the test must exercise the
    // linker too, not only the header checks.
    assert!(loaded > 0, "no corrupted file got as far as linking");
}

/// Rewrites an HLB v4 file as v5: version byte 5, a bytes-constant count of 0 after
/// the string count, and an empty bytes pool after the string pool (HLB v5 layout).
fn to_v5(v4: &[u8]) -> Vec<u8> {
    struct R<'a> {
        d: &'a [u8],
        p: usize,
    }
    impl R<'_> {
        fn byte(&mut self) -> u8 {
            let b = self.d[self.p];
            self.p += 1;
            b
        }
        fn index(&mut self) -> i64 {
            let b = self.byte() as i64;
            if b & 0x80 == 0 {
                return b & 0x7F;
            }
            if b & 0x40 == 0 {
                let v = self.byte() as i64 | ((b & 31) << 8);
                return if b & 0x20 == 0 { v } else { -v };
            }
            let (c, d, e) = (self.byte() as i64, self.byte() as i64, self.byte() as i64);
            let v = ((b & 31) << 24) | (c << 16) | (d << 8) | e;
            if b & 0x20 == 0 {
                v
            } else {
                -v
            }
        }
        fn i32(&mut self) -> i64 {
            let v = i32::from_le_bytes([self.d[self.p], self.d[self.p + 1], self.d[self.p + 2], self.d[self.p + 3]]);
            self.p += 4;
            v as i64
        }
    }
    assert_eq!(&v4[..4], b"HLB\x04", "expected an HLB v4 file");
    let mut r = R { d: v4, p: 4 };
    r.index(); // flags
    let nints = r.index();
    let nfloats = r.index();
    let nstrings = r.index();
    let after_nstrings = r.p;
    for _ in 0..5 {
        r.index(); // types, globals, natives, functions, constants
    }
    r.index(); // entrypoint
    r.p += nints as usize * 4 + nfloats as usize * 8;
    let size = r.i32();
    r.p += size as usize;
    for _ in 0..nstrings {
        r.index();
    }
    let after_strings = r.p;
    let mut out = Vec::with_capacity(v4.len() + 5);
    out.extend_from_slice(b"HLB\x05");
    out.extend_from_slice(&v4[4..after_nstrings]);
    out.push(0); // nbytes
    out.extend_from_slice(&v4[after_nstrings..after_strings]);
    out.extend_from_slice(&0i32.to_le_bytes()); // empty bytes pool
    out.extend_from_slice(&v4[after_strings..]);
    out
}

#[test]
fn derived_v5_file_runs_the_same() {
    let v5 = to_v5(program());
    let code = Code::read(&v5).expect("v5 reads");
    assert_eq!(code.version, 5);
    assert_eq!(run(&v5), EXPECTED);
}

#[test]
fn unsupported_version_is_named() {
    let mut bytes = program().to_vec();
    bytes[3] = 9;
    let e = Code::read(&bytes).expect_err("version 9 is not supported");
    assert_eq!(e.kind, hlvm::ReadErrorKind::UnsupportedVersion { found: 9 });
    assert_eq!(e.offset, 3);
}

#[test]
fn missing_native_is_named() {
    let code = Code::read(program()).expect("reads");
    let mut code = code;
    let n = code.natives.iter_mut().find(|n| n.name == "sys_print").expect("program prints");
    n.name = "no_such_native".into();
    let mut vm = Vm::new(VmConfig::default());
    let e = vm.load(code).expect_err("cannot link");
    assert_eq!(e, hlvm::LinkError::MissingNatives(vec!["std@no_such_native".into()]));
}
