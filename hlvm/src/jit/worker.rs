//! `worker`: the compile thread — Cranelift code generation away from the thread
//! running Haxe code.
//!
//! Translating a function to Cranelift IR reads the VM (its code, function table and
//! types), so it runs on the thread holding the VM lock (`Jit::submit`). Code
//! generation — optimisation, register allocation, emission — only needs the IR, and
//! is most of the cost (about 1 ms of CPU for a small function). A [`Job`] carries the
//! IR to the compile thread, which owns the `JITModule` (and so the code memory) and
//! sends the entry address back ([`Done`]). In tiered mode the interpreter keeps
//! running the function meanwhile; eager mode waits for the result.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::thread::JoinHandle;

use cranelift_codegen::ir::Function;
use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::Module;

/// A function to generate code for.
pub(super) struct Job {
    pub id: u64,
    pub func: Function,
    /// Print the machine code (`HLVM_JIT_DUMP`).
    pub disasm: bool,
}

/// The outcome of a [`Job`]: the entry address, or why there is none; and the CPU
/// time code generation took, in microseconds.
pub(super) struct Done {
    pub id: u64,
    pub result: Result<usize, String>,
    pub cpu_us: u64,
}

/// The compile thread and its two channels. Dropping it closes the job channel and
/// joins the thread (after the job in progress, if any).
pub(super) struct Worker {
    jobs: Option<Sender<Job>>,
    done: Receiver<Done>,
    thread: Option<JoinHandle<()>>,
}

impl Worker {
    /// Starts the compile thread for `isa`; `None` when the OS refuses a thread.
    pub(super) fn start(isa: OwnedTargetIsa) -> Option<Worker> {
        let (jobs, job_rx) = channel::<Job>();
        let (done_tx, done) = channel::<Done>();
        let thread = std::thread::Builder::new()
            .name("hlvm-jit".into())
            .spawn(move || {
                let mut module = JITModule::new(JITBuilder::with_isa(isa, cranelift_module::default_libcall_names()));
                let mut ctx = module.make_context();
                for job in job_rx {
                    let started = super::thread_cpu_micros();
                    let result = catch_unwind(AssertUnwindSafe(|| generate(&mut module, &mut ctx, job.func, job.disasm)))
                        .unwrap_or_else(|_| Err("the code generator panicked".into()));
                    module.clear_context(&mut ctx);
                    let cpu_us = super::thread_cpu_micros().saturating_sub(started);
                    if done_tx.send(Done { id: job.id, result, cpu_us }).is_err() {
                        break;
                    }
                }
            })
            .ok()?;
        Some(Worker { jobs: Some(jobs), done, thread: Some(thread) })
    }

    /// Queues `job`; `false` if the compile thread is gone.
    pub(super) fn submit(&self, job: Job) -> bool {
        self.jobs.as_ref().is_some_and(|j| j.send(job).is_ok())
    }

    /// A finished job, if one is waiting.
    pub(super) fn try_done(&self) -> Option<Done> {
        self.done.try_recv().ok()
    }

    /// Waits for the next finished job; `None` if the compile thread is gone.
    pub(super) fn wait_done(&self) -> Option<Done> {
        self.done.recv().ok()
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.jobs = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Generates code for `func` into `module`; the entry address.
fn generate(module: &mut JITModule, ctx: &mut cranelift_codegen::Context, func: Function, disasm: bool) -> Result<usize, String> {
    let id = module.declare_anonymous_function(&func.signature).map_err(|e| e.to_string())?;
    ctx.func = func;
    ctx.set_disasm(disasm);
    let defined = module.define_function(id, ctx).map_err(|e| format!("{e:?}"));
    if disasm {
        if let Some(v) = ctx.compiled_code().and_then(|c| c.vcode.as_ref()) {
            eprintln!("hlvm jit: machine code\n{v}");
        }
        ctx.set_disasm(false);
    }
    defined?;
    module.finalize_definitions().map_err(|e| e.to_string())?;
    Ok(module.get_finalized_function(id) as usize)
}
