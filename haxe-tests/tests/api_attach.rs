//! Host threads in the VM: `hlffi::VmAttach` against `haxe-tests/api/attach/Main.hx` —
//! calls from attached threads racing the creating thread, `Thread.current()` per
//! attached thread, attached threads blocking in Haxe, host natives called from Haxe
//! threads (`Send` ones run, others throw), handles smuggled to another thread, a
//! dropped VM, and Haxe threads running while the host runs its own code.
//!
//! Every test runs under a watchdog: a deadlock ends the process with a message
//! instead of hanging CI.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use haxe_tests::api_program;
use hlffi::{Error, Vm, VmAttach, VmRef};

/// Ends the process if the test is still running after `secs` seconds.
struct Watchdog(Option<mpsc::Sender<()>>);

impl Watchdog {
    fn new(what: &'static str, secs: u64) -> Watchdog {
        let (tx, rx) = mpsc::channel::<()>();
        std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(Duration::from_secs(secs)) {
                eprintln!("api_attach: test `{what}` still running after {secs} s (deadlock?)");
                std::process::exit(101);
            }
        });
        Watchdog(Some(tx))
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        if let Some(tx) = self.0.take() {
            let _ = tx.send(());
        }
    }
}

/// The program loaded and started, its `host.note` native doing nothing.
fn vm() -> Vm {
    let mut vm = Vm::new();
    vm.register_native_send("host", "note", |(_v,): (i32,)| ());
    vm.load_file(api_program("attach")).unwrap();
    vm.call_entry().unwrap();
    vm
}

#[test]
fn ticket_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<VmAttach>();
}

#[test]
fn attached_threads_and_the_creator_share_the_vm() {
    let _w = Watchdog::new("attached_threads_and_the_creator_share_the_vm", 60);
    let vm = vm();
    let ticket = vm.attach_handle().unwrap();
    let workers: Vec<_> = (0..8)
        .map(|_| {
            let t = ticket.clone();
            std::thread::spawn(move || {
                (0..500).map(|_| t.attach(|vm| vm.call_static::<i32>("Main", "incr", ())).unwrap().unwrap()).collect::<Vec<_>>()
            })
        })
        .collect();
    let mut all: Vec<i32> = (0..500).map(|_| vm.call_static::<i32>("Main", "incr", ()).unwrap()).collect();
    for w in workers {
        all.extend(w.join().unwrap());
    }
    all.sort_unstable();
    assert_eq!(all, (1..=4500).collect::<Vec<_>>(), "every increment seen once");
    assert_eq!(vm.get_static::<i32>("Main", "counter").unwrap(), 4500);
}

#[test]
fn each_attached_thread_is_a_haxe_thread() {
    let _w = Watchdog::new("each_attached_thread_is_a_haxe_thread", 60);
    let vm = vm();
    assert_eq!(vm.call_static::<i32>("Main", "register", ()).unwrap(), 1);
    let ticket = vm.attach_handle().unwrap();
    for expected in 2..=4 {
        let t = ticket.clone();
        let n = std::thread::spawn(move || {
            t.attach(|vm| {
                // Same thread, same `Thread.current()`, within one attach.
                let a = vm.call_static::<i32>("Main", "register", ()).unwrap();
                let b = vm.call_static::<i32>("Main", "register", ()).unwrap();
                assert_eq!(a, b);
                a
            })
            .unwrap()
        })
        .join()
        .unwrap();
        assert_eq!(n, expected);
    }
    assert_eq!(vm.call_static::<i32>("Main", "register", ()).unwrap(), 4, "the creator keeps its identity");
}

#[test]
fn an_attached_thread_blocked_in_haxe_lets_others_run() {
    let _w = Watchdog::new("an_attached_thread_blocked_in_haxe_lets_others_run", 60);
    let vm = vm();
    let ticket = vm.attach_handle().unwrap();
    let (tx, rx) = mpsc::channel();
    let t = ticket.clone();
    let consumer = std::thread::spawn(move || {
        let got = t.attach(|vm| vm.call_static::<i32>("Main", "pop", ()).unwrap()).unwrap();
        tx.send(got).unwrap();
    });
    // The consumer waits inside `Deque.pop(true)`; the creator can still call in.
    std::thread::sleep(Duration::from_millis(20));
    assert!(rx.try_recv().is_err(), "pop returned before anything was pushed");
    assert_eq!(vm.call_static::<i32>("Main", "incr", ()).unwrap(), 1);
    vm.call_static::<()>("Main", "push", (42,)).unwrap();
    assert_eq!(rx.recv_timeout(Duration::from_secs(30)).unwrap(), 42);
    consumer.join().unwrap();
}

#[test]
fn haxe_threads_call_send_natives() {
    let _w = Watchdog::new("haxe_threads_call_send_natives", 60);
    let count = Arc::new(AtomicUsize::new(0));
    let sum = Arc::new(AtomicUsize::new(0));
    let mut vm = Vm::new();
    let (c, s) = (count.clone(), sum.clone());
    vm.register_native_send("host", "note", move |(v,): (i32,)| {
        c.fetch_add(1, Ordering::Relaxed);
        s.fetch_add(v as usize, Ordering::Relaxed);
    });
    vm.load_file(api_program("attach")).unwrap();
    vm.call_entry().unwrap();
    vm.call_static::<()>("Main", "startNoters", (4, 1000)).unwrap();
    vm.call_static::<()>("Main", "waitThreads", (4,)).unwrap();
    assert_eq!(count.load(Ordering::Relaxed), 4000);
    assert_eq!(sum.load(Ordering::Relaxed), 4 * (999 * 1000 / 2));
}

#[test]
fn a_closure_that_is_not_send_throws_on_other_threads() {
    let _w = Watchdog::new("a_closure_that_is_not_send_throws_on_other_threads", 60);
    let vm = vm();
    // An `Rc` makes the closure `!Send`: it may only run on this thread.
    let calls = std::rc::Rc::new(std::cell::Cell::new(0));
    let c = calls.clone();
    let local = vm
        .function("local", move |(x,): (i32,)| {
            c.set(c.get() + 1);
            x * 2
        })
        .unwrap();
    vm.call_static::<()>("Main", "callOnThread", (&local,)).unwrap();
    vm.call_static::<()>("Main", "waitThreads", (1,)).unwrap();
    let got = vm.get_static::<String>("Main", "fromThread").unwrap();
    assert!(got.starts_with("threw ") && got.contains("another thread"), "{got}");
    assert_eq!(calls.get(), 0);

    let shared = Arc::new(AtomicUsize::new(0));
    let s = shared.clone();
    let sendable = vm
        .function_send("sendable", move |(x,): (i32,)| {
            s.fetch_add(1, Ordering::Relaxed);
            x * 3
        })
        .unwrap();
    vm.call_static::<()>("Main", "callOnThread", (&sendable,)).unwrap();
    vm.call_static::<()>("Main", "waitThreads", (1,)).unwrap();
    assert_eq!(vm.get_static::<String>("Main", "fromThread").unwrap(), "returned 21");
    assert_eq!(shared.load(Ordering::Relaxed), 1);
}

thread_local! {
    static SMUGGLED: std::cell::RefCell<Option<(VmRef, hlffi::Value)>> = const { std::cell::RefCell::new(None) };
}

#[test]
fn handles_kept_past_attach_are_refused() {
    let _w = Watchdog::new("handles_kept_past_attach_are_refused", 60);
    let vm = vm();
    let roots = vm.root_count();
    let ticket = vm.attach_handle().unwrap();
    let outcome = std::thread::spawn(move || {
        ticket
            .attach(|vm| {
                let s = vm.to_value("kept").unwrap();
                SMUGGLED.with(|k| *k.borrow_mut() = Some((vm.clone(), s)));
            })
            .unwrap();
        let (vm, s) = SMUGGLED.with(|k| k.borrow_mut().take()).unwrap();
        let call = vm.call_static::<i32>("Main", "incr", ());
        let read = format!("{:?}", s.to_haxe_string());
        let alive = ticket.is_alive();
        drop(s); // released at the VM's next use, on a thread that may use it
        (format!("{call:?}"), read, alive)
    })
    .join()
    .unwrap();
    assert!(outcome.0.contains("WrongThread"), "{}", outcome.0);
    assert!(outcome.1.contains("WrongThread"), "{}", outcome.1);
    assert!(outcome.2);
    // The creator still works, and the dropped handle's root goes away.
    assert_eq!(vm.call_static::<i32>("Main", "incr", ()).unwrap(), 1);
    assert_eq!(vm.root_count(), roots);
}

#[test]
fn attach_after_the_vm_is_dropped_fails_cleanly() {
    let _w = Watchdog::new("attach_after_the_vm_is_dropped_fails_cleanly", 60);
    let vm = vm();
    let ticket = vm.attach_handle().unwrap();
    assert!(ticket.is_alive());
    drop(vm);
    assert!(!ticket.is_alive());
    let r = std::thread::spawn(move || ticket.attach(|vm| vm.call_static::<i32>("Main", "incr", ())).map(|_| ())).join().unwrap();
    assert!(matches!(r, Err(Error::VmDropped)), "{r:?}");
}

#[test]
fn dropping_the_vm_waits_for_an_attached_call() {
    let _w = Watchdog::new("dropping_the_vm_waits_for_an_attached_call", 60);
    let vm = vm();
    let ticket = vm.attach_handle().unwrap();
    let (tx, rx) = mpsc::channel();
    let worker = std::thread::spawn(move || {
        ticket
            .attach(|vm| {
                tx.send(()).unwrap();
                vm.call_static::<i32>("Main", "spin", (3_000_000,)).unwrap()
            })
            .unwrap()
    });
    rx.recv().unwrap();
    drop(vm); // waits for the lock: the attached call finishes first
    let s = worker.join().unwrap();
    assert_eq!(s, (0..3_000_000).map(|i| i % 7).sum::<i32>());
}

#[test]
fn haxe_threads_run_while_the_host_runs_its_own_code() {
    let _w = Watchdog::new("haxe_threads_run_while_the_host_runs_its_own_code", 60);
    let vm = vm();
    vm.call_static::<()>("Main", "startWorker", ()).unwrap();
    for v in 1..=10 {
        vm.call_static::<()>("Main", "send", (v,)).unwrap();
    }
    // No `allow_threads`: the host thread leaves the VM between calls.
    let deadline = Instant::now() + Duration::from_secs(30);
    while vm.get_static::<i32>("Main", "fromWorker").unwrap() != 55 {
        assert!(Instant::now() < deadline, "the Haxe thread did not run");
        std::thread::sleep(Duration::from_millis(2));
    }
    vm.call_static::<()>("Main", "send", (-1,)).unwrap();
}
