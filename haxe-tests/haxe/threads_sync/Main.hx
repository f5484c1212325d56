import sys.thread.Deque;
import sys.thread.Lock;
import sys.thread.Mutex;
import sys.thread.Thread;
import sys.thread.Tls;

typedef Cond = hl.Abstract<"hl_condition">;
typedef Sem = hl.Abstract<"hl_semaphore">;

/** Lock (counting, timeouts), Mutex (contention, recursion, tryAcquire from another
    thread), Tls (one value per thread), and the natives behind Haxe 4.3's Condition
    and Semaphore and hl.Atomics, called directly. Output is printed by the main thread
    only, in a fixed order. */
class Main {
	@:hlNative("std", "condition_alloc") static function condAlloc():Cond return null;
	@:hlNative("std", "condition_acquire") static function condAcquire(c:Cond):Void {}
	@:hlNative("std", "condition_try_acquire") static function condTryAcquire(c:Cond):Bool return false;
	@:hlNative("std", "condition_release") static function condRelease(c:Cond):Void {}
	@:hlNative("std", "condition_wait") static function condWait(c:Cond):Void {}
	@:hlNative("std", "condition_timed_wait") static function condTimedWait(c:Cond, t:Float):Bool return false;
	@:hlNative("std", "condition_signal") static function condSignal(c:Cond):Void {}
	@:hlNative("std", "condition_broadcast") static function condBroadcast(c:Cond):Void {}
	@:hlNative("std", "semaphore_alloc") static function semAlloc(v:Int):Sem return null;
	@:hlNative("std", "semaphore_acquire") static function semAcquire(s:Sem):Void {}
	@:hlNative("std", "semaphore_try_acquire") static function semTryAcquire(s:Sem, ?t:Float):Bool return false;
	@:hlNative("std", "semaphore_release") static function semRelease(s:Sem):Void {}
	@:hlNative("std", "atomic_add32") static function atomicAdd(r:hl.Ref<Int>, v:Int):Int return 0;
	@:hlNative("std", "atomic_compare_exchange32") static function atomicCas(r:hl.Ref<Int>, e:Int, v:Int):Int return 0;
	@:hlNative("std", "atomic_load32") static function atomicLoad(r:hl.Ref<Int>):Int return 0;

	static function main() {
		locks();
		mutexes();
		tls();
		conditions();
		semaphores();
		atomics();
	}

	static function locks() {
		var l = new Lock();
		var t0 = haxe.Timer.stamp();
		trace('wait(0.05) on a fresh lock: ${l.wait(0.05)}, waited enough: ${haxe.Timer.stamp() - t0 >= 0.04}');
		trace('wait(0): ${l.wait(0)}, wait(-1): ${l.wait(-1)}');
		l.release();
		l.release();
		trace('after two releases: ${l.wait(0)} ${l.wait(0.01)} ${l.wait(0)}');
		// A thread releases after a delay: wait() blocks until then.
		var order = new Deque<String>();
		Thread.create(() -> {
			Sys.sleep(0.05);
			order.add("released");
			l.release();
		});
		trace('wait() for another thread: ${l.wait()}');
		order.add("woke");
		trace([order.pop(false), order.pop(false)]);
		// Several waiters, each woken by one release.
		var woken = new Lock();
		for (_ in 0...5)
			Thread.create(() -> {
				l.wait();
				woken.release();
			});
		Sys.sleep(0.02);
		for (_ in 0...5)
			l.release();
		var all = true;
		for (_ in 0...5)
			all = all && woken.wait(5.0);
		trace('5 waiters woken by 5 releases: $all, extra: ${woken.wait(0.01)}');
	}

	static function mutexes() {
		var m = new Mutex();
		var counter = 0;
		var done = new Lock();
		for (_ in 0...4)
			Thread.create(() -> {
				for (_ in 0...2000) {
					m.acquire();
					var c = counter;
					// Sleeps and loops while holding the mutex: others must wait.
					if (c % 500 == 0)
						Sys.sleep(0.001);
					counter = c + 1;
					m.release();
				}
				done.release();
			});
		for (_ in 0...4)
			done.wait();
		trace('mutex counter: $counter');
		// Recursive acquisition, and tryAcquire from another thread.
		m.acquire();
		m.acquire();
		trace('tryAcquire by the owner: ${m.tryAcquire()}');
		var other = new Deque<Bool>();
		Thread.create(() -> other.add(m.tryAcquire()));
		trace('tryAcquire by another thread while held: ${other.pop(true)}');
		m.release();
		m.release();
		m.release();
		Thread.create(() -> {
			var got = m.tryAcquire();
			if (got)
				m.release();
			other.add(got);
		});
		trace('tryAcquire by another thread once free: ${other.pop(true)}');
		// Releasing a mutex this thread does not hold changes nothing.
		var holder = new Lock(), go = new Lock();
		Thread.create(() -> {
			m.acquire();
			holder.release();
			go.wait();
			m.release();
			holder.release();
		});
		holder.wait();
		m.release();
		trace('after a foreign release, still held: ${!m.tryAcquire()}');
		go.release();
		holder.wait();
		trace('after the owner released: ${m.tryAcquire()}');
		m.release();
	}

	static function tls() {
		var t = new Tls<String>();
		trace('initial: ${t.value}');
		t.value = "main";
		var results = new Deque<String>();
		for (i in 0...3)
			Thread.create(() -> {
				var before = t.value;
				t.value = 'thread $i';
				Sys.sleep(0.01);
				results.add('$before -> ${t.value}');
			});
		var got = [for (_ in 0...3) results.pop(true)];
		got.sort(Reflect.compare);
		trace(got);
		trace('main keeps: ${t.value}');
		t.value = null;
		trace('reset: ${t.value}');
	}

	static function conditions() {
		var c = condAlloc();
		var ready = false;
		var log = new Deque<String>();
		var n = 3;
		var finished = new Lock();
		for (i in 0...n)
			Thread.create(() -> {
				condAcquire(c);
				while (!ready)
					condWait(c);
				log.add("woke");
				condRelease(c);
				finished.release();
			});
		Sys.sleep(0.05);
		condAcquire(c);
		ready = true;
		condBroadcast(c);
		condRelease(c);
		for (_ in 0...n)
			finished.wait();
		trace('broadcast woke ${[for (_ in 0...n) log.pop(false)].length} waiters');
		condAcquire(c);
		var t0 = haxe.Timer.stamp();
		trace('timedWait with no signal: ${condTimedWait(c, 0.05)}, waited: ${haxe.Timer.stamp() - t0 >= 0.04}');
		trace('lock held again after the wait: ${condTryAcquire(c)}');
		condRelease(c);
		condRelease(c);
		// signal wakes a waiter that holds the lock again on return.
		var state = 0;
		Thread.create(() -> {
			condAcquire(c);
			state = 1;
			condSignal(c);
			condRelease(c);
		});
		condAcquire(c);
		while (state == 0)
			condWait(c);
		trace('signalled, state $state');
		condRelease(c);
	}

	static function semaphores() {
		var s = semAlloc(2);
		trace('tryAcquire x3 on 2: ${semTryAcquire(s)} ${semTryAcquire(s)} ${semTryAcquire(s)}');
		var t0 = haxe.Timer.stamp();
		trace('tryAcquire(0.05) on 0: ${semTryAcquire(s, 0.05)}, waited: ${haxe.Timer.stamp() - t0 >= 0.04}');
		Thread.create(() -> {
			Sys.sleep(0.02);
			semRelease(s);
		});
		semAcquire(s);
		trace("acquired after a release by another thread");
		semRelease(s);
		trace('tryAcquire(1.0): ${semTryAcquire(s, 1.0)}');
	}

	static function atomics() {
		var x = 5;
		trace('add: ${atomicAdd(x, 3)} -> $x');
		trace('cas hit: ${atomicCas(x, 8, 1)} -> $x, cas miss: ${atomicCas(x, 8, 2)} -> $x');
		trace('load: ${atomicLoad(x)}');
	}
}
