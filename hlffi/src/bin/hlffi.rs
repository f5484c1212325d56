//! `hlffi` command-line runner: `hlffi run FILE.hl [ARGS...]`.
//!
//! Runs a HashLink bytecode file like the reference `hl` binary does: the program's
//! output goes to stdout, an uncaught exception prints `Uncaught exception: ...` and the
//! `Called from` frames to stdout and exits with code 1, and `Sys.exit(n)` exits with `n`.

use std::process::ExitCode;

const USAGE: &str = "usage: hlffi run FILE.hl [ARGS...]\n       hlffi dump FILE.hl [FUNCTION-NAME-FILTER]";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("run") => {}
        Some("dump") => {
            let (Some(file), filter) = (args.next(), args.next()) else {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            };
            let mut vm = hlffi::Vm::new();
            if let Err(e) = vm.load_file(&file) {
                eprintln!("hlffi: {e}");
                return ExitCode::from(2);
            }
            print!("{}", vm.disassemble(filter.as_deref().unwrap_or("")));
            return ExitCode::SUCCESS;
        }
        Some("--help") | Some("-h") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    }
    let Some(file) = args.next() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let program_args: Vec<String> = args.collect();
    let mut vm = hlffi::Vm::builder().args(program_args).blocking_event_loop(true).build();
    if let Err(e) = vm.load_file(&file) {
        eprintln!("hlffi: {e}");
        return ExitCode::from(2);
    }
    let result = vm.call_entry();
    vm.flush();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(hlffi::Error::Exit(code)) => exit_code(code),
        Err(hlffi::Error::Exception { message, stack }) => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "Uncaught exception: {message}");
            for frame in &stack {
                let _ = writeln!(out, "Called from {frame}");
            }
            let _ = out.flush();
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("hlffi: {e}");
            ExitCode::from(1)
        }
    }
}

/// Process exit codes are 8 bits on Unix: `Sys.exit(n)` yields `n & 0xFF`, as with `hl`.
fn exit_code(code: i32) -> ExitCode {
    ExitCode::from((code & 0xFF) as u8)
}
