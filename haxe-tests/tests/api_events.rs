//! The host-driven event loop (`Vm::update`, `Vm::has_pending_work`) against
//! `haxe-tests/api/events/Main.hx`: haxe.Timer, Timer.delay, MainLoop, EventLoop.

use std::time::{Duration, Instant};

use haxe_tests::{api_program, api_vm, Output};
use hlffi::{Error, Vm};

/// Calls `update` every millisecond until `done` or two seconds pass.
fn pump_until(vm: &mut Vm, mut done: impl FnMut(&Vm) -> bool) {
    let start = Instant::now();
    while !done(vm) {
        assert!(start.elapsed() < Duration::from_secs(2), "events did not run in time");
        vm.update(0.001).unwrap();
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn get(vm: &Vm, name: &str) -> i32 {
    vm.get_static("Main", name).unwrap()
}

#[test]
fn call_entry_returns_and_update_runs_timers() {
    let (mut vm, out) = api_vm("events");
    assert_eq!(out.take(), "Main.hx:17: main returned\n");
    assert_eq!((get(&vm, "ticks"), get(&vm, "delayed")), (0, 0), "nothing ran inside call_entry");
    assert!(vm.has_pending_work());
    pump_until(&mut vm, |vm| get(vm, "ticks") == 3 && get(vm, "delayed") == 1);
    // The repeating timer stopped itself at 3 and the delay fired once.
    for _ in 0..30 {
        vm.update(0.001).unwrap();
        std::thread::sleep(Duration::from_millis(1));
    }
    assert_eq!((get(&vm, "ticks"), get(&vm, "delayed")), (3, 1));
    assert!(!vm.has_pending_work());
    assert_eq!(vm.update(0.016).unwrap(), 0);
}

#[test]
fn mainloop_and_queued_events() {
    let (mut vm, _) = api_vm("events");
    vm.call_static::<()>("Main", "addMainLoop", ()).unwrap();
    vm.call_static::<()>("Main", "queue", ()).unwrap();
    assert!(vm.has_pending_work());
    pump_until(&mut vm, |vm| get(vm, "mainLoopRuns") == 2 && get(vm, "queued") == 1);
    for _ in 0..10 {
        vm.update(0.001).unwrap();
    }
    assert_eq!((get(&vm, "mainLoopRuns"), get(&vm, "queued")), (2, 1), "stopped events stay stopped");
}

#[test]
fn a_throwing_event_is_reported_and_the_loop_goes_on() {
    let (mut vm, _) = api_vm("events");
    vm.call_static::<()>("Main", "failLater", ()).unwrap();
    let start = Instant::now();
    let err = loop {
        assert!(start.elapsed() < Duration::from_secs(2));
        match vm.update(0.001) {
            Err(e) => break e,
            Ok(_) => std::thread::sleep(Duration::from_millis(1)),
        }
    };
    assert!(matches!(&err, Error::Exception { message, .. } if message == "timer failure"), "{err}");
    pump_until(&mut vm, |vm| get(vm, "ticks") == 3);
}

#[test]
fn blocking_mode_runs_the_loop_inside_call_entry() {
    let out = Output::default();
    let mut vm = Vm::builder().stdout(out.writer()).blocking_event_loop(true).build();
    vm.load_file(api_program("events")).unwrap();
    vm.call_entry().unwrap();
    assert_eq!((get(&vm, "ticks"), get(&vm, "delayed")), (3, 1));
    assert!(!vm.has_pending_work());
}

#[test]
fn update_before_the_entrypoint_is_refused() {
    let (mut vm, _) = haxe_tests::api_vm_loaded("events");
    assert!(matches!(vm.update(0.0), Err(Error::EntryNotCalled)));
    assert!(!vm.has_pending_work());
}
