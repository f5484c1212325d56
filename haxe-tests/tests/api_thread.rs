//! THREADED mode: `hlffi::VmThread` against `haxe-tests/api/thread/Main.hx` — start,
//! stop, restart, `call_sync` from many threads, `call_async` ordering, the event loop
//! serviced between work items, and misuse (wrong thread, stopped thread, panics).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use haxe_tests::{api_program, Output};
use hlffi::{Error, Vm, VmThread};

fn vm_thread() -> (VmThread, Output) {
    let path = api_program("thread");
    let out = Output::default();
    let writer_src = out.clone();
    let vt = VmThread::new(move || {
        let mut vm = Vm::builder().stdout(writer_src.writer()).build();
        vm.load_file(&path)?;
        Ok(vm)
    });
    (vt, out)
}

fn started() -> VmThread {
    let (vt, _) = vm_thread();
    vt.start().unwrap();
    vt
}

fn get(vt: &VmThread, name: &'static str) -> i32 {
    vt.call_sync(move |vm| vm.get_static::<i32>("Main", name)).unwrap().unwrap()
}

#[test]
fn start_call_stop() {
    let (vt, _) = vm_thread();
    assert!(!vt.is_running());
    assert!(matches!(vt.call_sync(|_| ()), Err(Error::ThreadNotStarted)));
    vt.start().unwrap();
    assert!(vt.is_running());
    assert!(matches!(vt.start(), Err(Error::ThreadAlreadyRunning)));
    let sum = vt.call_sync(|vm| vm.call_static::<i32>("Main", "add", (2, 40))).unwrap().unwrap();
    assert_eq!(sum, 42);
    vt.stop().unwrap();
    assert!(!vt.is_running());
    let e = vt.call_sync(|_| ()).unwrap_err();
    assert!(matches!(e, Error::ThreadNotStarted), "{e:?}");
    assert_eq!(e.code(), 22);
    assert!(matches!(vt.call_async(|_| (), |_| ()), Err(Error::ThreadNotStarted)));
    vt.stop().unwrap(); // stopping a stopped thread is fine
    assert!(vt.take_errors().is_empty());
}

#[test]
fn call_sync_from_eight_threads() {
    let vt = started();
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let vt = vt.clone();
            std::thread::spawn(move || {
                (0..1000).map(|_| vt.call_sync(|vm| vm.call_static::<i32>("Main", "incr", ())).unwrap().unwrap()).collect::<Vec<_>>()
            })
        })
        .collect();
    let mut all: Vec<i32> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    // Each caller got the result of its own item: every value exactly once.
    all.sort_unstable();
    assert_eq!(all, (1..=8000).collect::<Vec<_>>());
    assert_eq!(get(&vt, "counter"), 8000);
    vt.stop().unwrap();
}

#[test]
fn async_items_run_in_order_with_sync_items() {
    let vt = started();
    let done = Arc::new(Mutex::new(Vec::new()));
    for i in 0..100 {
        let done = done.clone();
        vt.call_async(
            move |vm| vm.call_static::<()>("Main", "record", (i.to_string(),)).map(|_| i),
            move |r| done.lock().unwrap().push(r.unwrap().unwrap()),
        )
        .unwrap();
    }
    // A later call_sync returns only after every earlier async item ran.
    let joined = vt.call_sync(|vm| vm.call_static::<String>("Main", "joined", ())).unwrap().unwrap();
    assert_eq!(joined, (0..100).map(|i| i.to_string()).collect::<Vec<_>>().join(","));
    assert_eq!(*done.lock().unwrap(), (0..100).collect::<Vec<_>>());
    vt.stop().unwrap();
}

#[test]
fn stop_runs_the_items_queued_before_it() {
    let vt = started();
    let done = Arc::new(Mutex::new(0));
    for _ in 0..50 {
        let done = done.clone();
        vt.call_async(|vm| vm.call_static::<i32>("Main", "incr", ()), move |r| {
            assert!(r.unwrap().is_ok());
            *done.lock().unwrap() += 1;
        })
        .unwrap();
    }
    vt.stop().unwrap();
    assert_eq!(*done.lock().unwrap(), 50);
}

#[test]
fn call_sync_from_the_vm_thread_is_an_error() {
    let vt = started();
    let inner = vt.clone();
    let r = vt.call_sync(move |_| inner.call_sync(|_| 1)).unwrap();
    let e = r.unwrap_err();
    assert!(matches!(e, Error::WrongThread(_)), "{e:?}");
    assert_eq!(e.code(), 26);
    let inner = vt.clone();
    assert!(matches!(vt.call_sync(move |_| inner.stop()).unwrap(), Err(Error::WrongThread(_))));
    // call_async from the VM thread is fine: it runs after the current item.
    let inner = vt.clone();
    let seen = Arc::new(Mutex::new(None));
    let sink = seen.clone();
    vt.call_sync(move |_| inner.call_async(|vm| vm.call_static::<i32>("Main", "add", (1, 1)), move |r| *sink.lock().unwrap() = Some(r)))
        .unwrap()
        .unwrap();
    vt.call_sync(|_| ()).unwrap();
    assert_eq!(seen.lock().unwrap().take().unwrap().unwrap().unwrap(), 2);
    vt.stop().unwrap();
}

#[test]
fn timers_run_on_the_vm_thread_between_work_items() {
    let vt = started();
    let start = Instant::now();
    // The program's 2 ms timer runs 20 times while the host only queues reads.
    while get(&vt, "ticks") < 20 {
        assert!(start.elapsed() < Duration::from_secs(5), "timers did not run");
        std::thread::sleep(Duration::from_millis(2));
    }
    // Events scheduled by a work item run too.
    vt.call_sync(|vm| vm.call_static::<()>("Main", "later", ())).unwrap().unwrap();
    let start = Instant::now();
    loop {
        let log = vt.call_sync(|vm| vm.call_static::<String>("Main", "joined", ())).unwrap().unwrap();
        if log == "timer" {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(5), "the delayed call did not run: {log:?}");
        std::thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(get(&vt, "ticks"), 20);
    vt.stop().unwrap();
}

#[test]
fn exceptions_and_panics_leave_the_thread_running() {
    let vt = started();
    let e = vt.call_sync(|vm| vm.call_static::<i32>("Main", "fail", ())).unwrap().unwrap_err();
    assert!(matches!(&e, Error::Exception { message, .. } if message == "boom"), "{e:?}");
    let e = vt.call_sync(|_| -> i32 { panic!("host bug") }).unwrap_err();
    assert!(matches!(&e, Error::Callback { message, .. } if message.contains("host bug")), "{e:?}");
    assert_eq!(vt.call_sync(|vm| vm.call_static::<i32>("Main", "add", (1, 2))).unwrap().unwrap(), 3);
    vt.stop().unwrap();
}

#[test]
fn restart_builds_a_fresh_vm() {
    let vt = started();
    for _ in 0..3 {
        vt.call_sync(|vm| vm.call_static::<i32>("Main", "incr", ())).unwrap().unwrap();
    }
    assert_eq!(get(&vt, "counter"), 3);
    vt.restart().unwrap();
    assert!(vt.is_running());
    assert_eq!(get(&vt, "counter"), 0, "statics start over in the new VM");
    vt.stop().unwrap();
    vt.start().unwrap();
    assert_eq!(get(&vt, "counter"), 0);
    vt.stop().unwrap();
}

#[test]
fn a_failing_setup_is_reported_by_start() {
    let vt = VmThread::new(|| {
        let mut vm = Vm::new();
        vm.load_file("/nonexistent/thread.hl")?;
        Ok(vm)
    });
    let e = vt.start().unwrap_err();
    assert!(matches!(e, Error::FileNotFound { .. }), "{e:?}");
    assert!(!vt.is_running());
    assert!(matches!(vt.call_sync(|_| ()), Err(Error::ThreadNotStarted)));
    // A throwing `main` is kept for take_errors; the thread serves work anyway.
    let vt = VmThread::new(|| {
        let mut vm = Vm::builder().stdout(Output::default().writer()).build();
        vm.load_file(api_program("thread"))?;
        Ok(vm)
    });
    vt.start().unwrap();
    assert_eq!(vt.call_sync(|vm| vm.call_static::<i32>("Main", "add", (1, 2))).unwrap().unwrap(), 3);
    vt.stop().unwrap();
    assert!(vt.take_errors().is_empty());
}

#[test]
fn handle_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<VmThread>();
}

#[test]
fn haxe_threads_run_while_the_vm_thread_waits() {
    let vt = started();
    vt.call_sync(|vm| vm.call_static::<()>("Main", "startWorker", ())).unwrap().unwrap();
    for v in 1..=10 {
        vt.call_sync(move |vm| vm.call_static::<()>("Main", "send", (v,))).unwrap().unwrap();
    }
    // The worker sums its messages only while the VM thread is idle between items.
    let deadline = Instant::now() + Duration::from_secs(10);
    while get(&vt, "fromWorker") != 55 {
        assert!(Instant::now() < deadline, "the Haxe thread did not run");
        std::thread::sleep(Duration::from_millis(5));
    }
    vt.call_sync(|vm| vm.call_static::<()>("Main", "send", (-1,))).unwrap().unwrap();
    vt.stop().unwrap();
    assert!(vt.take_errors().is_empty());
}

#[test]
fn allow_threads_lets_haxe_threads_run() {
    let path = api_program("thread");
    let mut vm = Vm::builder().build();
    vm.load_file(&path).unwrap();
    vm.call_entry().unwrap();
    vm.call_static::<()>("Main", "startWorker", ()).unwrap();
    for v in 1..=10 {
        vm.call_static::<()>("Main", "send", (v,)).unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while vm.get_static::<i32>("Main", "fromWorker").unwrap() != 55 {
        assert!(Instant::now() < deadline, "the Haxe thread did not run");
        vm.allow_threads(|| std::thread::sleep(Duration::from_millis(5))).unwrap();
    }
    vm.call_static::<()>("Main", "send", (-1,)).unwrap();
}
