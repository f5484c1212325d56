//! The main thread's event loop (`sys.thread.EventLoop`), pumped by the host.
//!
//! With Haxe 4 on HashLink, `haxe.Timer`, `haxe.MainLoop` and
//! `sys.thread.Thread.current().events` all schedule work on the main thread's
//! `EventLoop`. A program run by the `hl` command runs that loop after `main` returns
//! until no work is left; an embedded program instead has the host call
//! [`crate::Vm::update`] once per frame, which runs what is due and returns at once.
//! The loop is read through its fields (`regularEvents`, `oneTimeEvents`,
//! `promisedEventsCount`), the same whether or not the program kept
//! `EventLoop.progress` from dead-code elimination.

use hlvm::gc::Obj;
use hlvm::value::*;

use crate::convert::Cx;
use crate::function::call_closure;
use crate::shared::Static;
use crate::{Error, Result};

fn field(cx: &Cx<'_>, obj: u64, name: &str) -> Option<u64> {
    let Some(Obj::Instance { ty, fields }) = cx.vm.heap.get(handle(obj)) else { return None };
    let (i, _) = cx.instance_field(*ty, name)?;
    fields.get(i).copied()
}

fn set_field(cx: &mut Cx<'_>, obj: u64, name: &str, v: u64) {
    let Some(Obj::Instance { ty, .. }) = cx.vm.heap.get(handle(obj)) else { return };
    let Some((i, _)) = cx.instance_field(*ty, name) else { return };
    if let Some(Obj::Instance { fields, .. }) = cx.vm.heap.get_mut(handle(obj)) {
        fields[i] = v;
    }
}

/// The main thread's `EventLoop` object, if the program has one.
fn main_loop(cx: &mut Cx<'_>) -> Result<Option<u64>> {
    let st = match crate::reflect::statics(cx, "sys.thread._Thread.HaxeThread") {
        Ok(s) => s,
        Err(Error::TypeNotFound(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    let Some(&Static::Var(i, _)) = st.members.get("mainThread") else { return Ok(None) };
    let class_obj = cx.vm.global(st.global).unwrap_or(0);
    let thread = match cx.vm.heap.get(handle(class_obj)) {
        Some(Obj::Instance { fields, .. }) => fields.get(i).copied().unwrap_or(0),
        _ => 0,
    };
    if thread == 0 {
        return Ok(None);
    }
    Ok(field(cx, thread, "events").filter(|&e| e != 0))
}

fn now() -> f64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or(0.0)
}

/// Runs the due regular events (timers) and every queued one-time event once.
/// Returns how many ran.
pub(crate) fn pump(cx: &mut Cx<'_>) -> Result<usize> {
    let Some(lp) = main_loop(cx)? else { return Ok(0) };
    let t = now();
    let mark = cx.vm.temp_root_len();
    cx.vm.push_temp_root(lp);
    let r = pump_loop(cx, lp, t);
    cx.vm.truncate_temp_roots(mark);
    r
}

fn pump_loop(cx: &mut Cx<'_>, lp: u64, t: f64) -> Result<usize> {
    // Collect due regular events first (the list may change while they run).
    let mut due = Vec::new();
    let mut ev = field(cx, lp, "regularEvents").unwrap_or(0);
    let mut guard = 0;
    while ev != 0 && guard < 1_000_000 {
        let next_run = f64_of(field(cx, ev, "nextRunTime").unwrap_or(0));
        if next_run <= t {
            let interval = f64_of(field(cx, ev, "interval").unwrap_or(0));
            set_field(cx, ev, "nextRunTime", (next_run + interval).to_bits());
            cx.vm.push_temp_root(ev);
            due.push(ev);
        }
        ev = field(cx, ev, "next").unwrap_or(0);
        guard += 1;
    }
    let mut ran = 0;
    for ev in due {
        if field(cx, ev, "cancelled").unwrap_or(0) as u32 != 0 {
            continue;
        }
        let run = field(cx, ev, "run").unwrap_or(0);
        call_closure::<(), ()>(cx, run, (), &|| "timer event".into())?;
        ran += 1;
    }
    // One-time events: the `oneTimeEvents` array up to its first null.
    let arr = field(cx, lp, "oneTimeEvents").unwrap_or(0);
    let mut once = Vec::new();
    if arr != 0 {
        if let Ok((len, elems)) = crate::array::storage(cx, arr, cx.p.dyn_) {
            for i in 0..len {
                let (f, _) = crate::array::read(cx, &elems, i)?;
                if f == 0 {
                    break;
                }
                cx.vm.push_temp_root(f);
                once.push(f);
            }
            if let crate::array::Elems::Native { arr, .. } = elems {
                if let Some(Obj::Array { data, .. }) = cx.vm.heap.get_mut(arr) {
                    data.iter_mut().take(once.len()).for_each(|s| *s = 0);
                }
            }
        }
        set_field(cx, lp, "oneTimeEventsIdx", 0);
    }
    for f in once {
        call_closure::<(), ()>(cx, f, (), &|| "event".into())?;
        ran += 1;
    }
    Ok(ran)
}

/// Whether the main loop has scheduled work (timers, queued events, promised events).
pub(crate) fn pending(cx: &mut Cx<'_>) -> Result<bool> {
    let Some(lp) = main_loop(cx)? else { return Ok(false) };
    if field(cx, lp, "regularEvents").unwrap_or(0) != 0 {
        return Ok(true);
    }
    if i32_of(field(cx, lp, "promisedEventsCount").unwrap_or(0)) > 0 {
        return Ok(true);
    }
    let arr = field(cx, lp, "oneTimeEvents").unwrap_or(0);
    if arr != 0 {
        if let Ok((len, elems)) = crate::array::storage(cx, arr, cx.p.dyn_) {
            if len > 0 && crate::array::read(cx, &elems, 0)?.0 != 0 {
                return Ok(true);
            }
        }
    }
    Ok(false)
}
