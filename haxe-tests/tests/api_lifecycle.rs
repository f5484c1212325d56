//! VM lifecycle through the `hlffi` API: loading, errors with their
//! `hlffi_error_code`, exceptions and exits in `main`, against
//! `haxe-tests/api/lifecycle/Main.hx`.

use haxe_tests::{api_program, Output};
use hlffi::{Error, Vm};

#[test]
fn load_errors_have_their_codes() {
    let mut vm = Vm::new();
    let e = vm.load_file("/nonexistent/game.hl").unwrap_err();
    assert!(matches!(e, Error::FileNotFound { .. }));
    assert_eq!(e.code(), 6);
    assert!(e.to_string().starts_with("cannot read /nonexistent/game.hl: "), "{e}");
    let e = vm.load_memory(b"not bytecode").unwrap_err();
    assert_eq!(e.code(), 7);
    assert!(e.to_string().starts_with("invalid bytecode: "), "{e}");
    let e = vm.call_entry().unwrap_err();
    assert!(matches!(e, Error::NotLoaded));
    assert_eq!(e.code(), 3);
    assert!(matches!(vm.call_static::<i32>("Main", "ping", ()), Err(Error::NotLoaded)));
    // After failed loads, a good one works.
    vm.load_file(api_program("lifecycle")).unwrap();
    assert_eq!(vm.loaded_path(), Some(api_program("lifecycle").as_path()));
    let e = vm.load_file(api_program("lifecycle")).unwrap_err();
    assert!(matches!(e, Error::AlreadyLoaded));
    assert_eq!(e.code(), 2);
}

#[test]
fn truncated_bytecode_is_rejected() {
    let bytes = std::fs::read(api_program("lifecycle")).unwrap();
    for cut in [0, 3, 10, bytes.len() / 2, bytes.len() - 1] {
        let mut vm = Vm::new();
        let e = vm.load_memory(&bytes[..cut]).unwrap_err();
        assert_eq!(e.code(), 7, "cut at {cut}: {e}");
    }
}

#[test]
fn entrypoint_runs_main_once_with_its_output() {
    let out = Output::default();
    let mut vm = Vm::builder().stdout(out.writer()).build();
    vm.load_file(api_program("lifecycle")).unwrap();
    vm.call_entry().unwrap();
    assert_eq!(out.take(), "Main.hx:8: main ran\n");
    assert_eq!(vm.call_static::<i32>("Main", "ping", ()).unwrap(), 1);
}

#[test]
fn an_exception_in_main_is_reported_and_the_vm_stays_usable() {
    let out = Output::default();
    let mut vm = Vm::builder().args(["throw"]).stdout(out.writer()).build();
    vm.load_file(api_program("lifecycle")).unwrap();
    match vm.call_entry().unwrap_err() {
        Error::Exception { message, stack } => {
            assert_eq!(message, "boom in main");
            assert_eq!(stack.first().map(String::as_str), Some("$Main.main(Main.hx:11)"), "{stack:?}");
        }
        e => panic!("{e}"),
    }
    assert_eq!(vm.call_static::<i32>("Main", "ping", ()).unwrap(), 1);
}

#[test]
fn sys_exit_is_an_error_value() {
    let mut vm = Vm::builder().args(["exit"]).stdout(Output::default().writer()).build();
    vm.load_file(api_program("lifecycle")).unwrap();
    let e = vm.call_entry().unwrap_err();
    assert!(matches!(e, Error::Exit(3)), "{e}");
    assert_eq!(e.to_string(), "program exited with code 3");
}
