"""The worker pool that generated code hands parallel loops to.

Generated code (see ``outline-parallel-loops``) calls

    void mlopt_parallel_for(void (*fn)(void *ctx, int64_t lo, int64_t hi),
                            void *ctx, int64_t n, int64_t threads);

to run ``fn(ctx, i, i + 1)`` for every ``i`` in ``0..n`` on up to ``threads``
threads (the caller included).  The pool is plain LLVM IR over libc
(``pthread_create`` and the Linux ``futex`` system call), so nothing beyond
what ``pip install`` brings is needed:

* workers are created on first use and live as long as the process; between
  jobs they spin briefly, then sleep on a futex;
* a job is published by bumping a generation counter; worker ``w`` takes part
  when ``w < threads - 1``; iterations are claimed one at a time by
  compare-and-swap on (generation, next iteration), so uneven iterations
  balance, and the caller never waits for a worker that is still asleep: it
  runs whatever nobody has claimed and waits only for iterations in progress;
* each iteration writes its own outputs, so results do not depend on which
  thread ran what: they are identical for every thread count;
* while one call uses the pool, a concurrent call (another Python thread
  calling a compiled model) runs its loop serially instead of waiting.

The JIT compiles this module once per process and registers the symbol for
every later module; ``--emit=obj|shared`` links a copy into the output.
"""

from __future__ import annotations

import os
import platform
import threading

import llvmlite.binding as llvm

ENTRY = "mlopt_parallel_for"
_SPINS = 20000

_FUTEX_SYSCALL = {"x86_64": 202, "amd64": 202, "aarch64": 98, "arm64": 98}


def pool_ir(arch: str | None = None) -> str:
    """The LLVM IR of the pool for ``arch`` (default: this machine's)."""
    arch = (arch or platform.machine()).lower()
    nr = _FUTEX_SYSCALL.get(arch)
    if nr is None:
        raise RuntimeError(f"the mlopt thread pool does not support {arch!r}")
    pause = "yield" if arch in ("aarch64", "arm64") else "pause"
    return _POOL_IR.replace("@FUTEX@", str(nr)).replace("@SPINS@", str(_SPINS)).replace("@PAUSE@", pause)


# Globals: the job (fn, ctx, n), (generation, next iteration) in one word, the
# generation's futex word the workers wait on, how many workers the job has
# (seats), iterations finished (the futex word the caller waits on) and how
# many threads sleep on a futex (the caller wakes them only then).
_POOL_IR = r"""
; pool_state: generation << 32 | next iteration (claimed by compare-and-swap,
; so a worker that wakes late can never take an iteration of another job);
; pool_gen: the low 32 bits of the generation, the futex word workers sleep on;
; pool_done: iterations finished, the futex word the caller sleeps on.
@pool_fn = internal global ptr null, align 8
@pool_ctx = internal global ptr null, align 8
@pool_n = internal global i64 0, align 8
@pool_state = internal global i64 0, align 64
@pool_gen = internal global i32 0, align 64
@pool_done = internal global i32 0, align 64
@pool_seats = internal global i32 0, align 8
@pool_workers = internal global i32 0, align 8
@pool_sleepers = internal global i32 0, align 64
@pool_busy = internal global i32 0, align 64

declare i32 @pthread_create(ptr, ptr, ptr, ptr)
declare i32 @pthread_detach(i64)
declare i64 @syscall(i64, ...)

; claim and run iterations of the job of generation %g until none are left
define internal void @pool_run(i64 %g) {
entry:
  %fn = load ptr, ptr @pool_fn, align 8
  %ctx = load ptr, ptr @pool_ctx, align 8
  %n = load i64, ptr @pool_n, align 8
  %s0 = load atomic i64, ptr @pool_state acquire, align 8
  br label %claim
claim:
  %s = phi i64 [ %s0, %entry ], [ %cur, %retry ], [ %s1, %ran ]
  %sg = lshr i64 %s, 32
  %same = icmp eq i64 %sg, %g
  br i1 %same, label %check, label %exit
check:
  %i = and i64 %s, 4294967295
  %left = icmp slt i64 %i, %n
  br i1 %left, label %cas, label %exit
cas:
  %s1 = add i64 %s, 1
  %pair = cmpxchg ptr @pool_state, i64 %s, i64 %s1 acq_rel acquire
  %ok = extractvalue { i64, i1 } %pair, 1
  %cur = extractvalue { i64, i1 } %pair, 0
  br i1 %ok, label %run, label %retry
retry:
  br label %claim
run:
  %i1 = add i64 %i, 1
  call void %fn(ptr %ctx, i64 %i, i64 %i1)
  %d = atomicrmw add ptr @pool_done, i32 1 acq_rel
  %d1 = add i32 %d, 1
  %n32 = trunc i64 %n to i32
  %all = icmp eq i32 %d1, %n32
  br i1 %all, label %wake, label %ran
wake:
  %w = call i64 (i64, ...) @syscall(i64 @FUTEX@, ptr @pool_done, i32 129, i32 1)
  br label %ran
ran:
  br label %claim
exit:
  ret void
}

; wait until *addr != seen: spin, then sleep on the futex
define internal i32 @pool_wait_change(ptr %addr, i32 %seen) {
entry:
  br label %spin
spin:
  %k = phi i32 [ 0, %entry ], [ %k1, %again ], [ 0, %sleep ]
  %v = load atomic i32, ptr %addr acquire, align 4
  %changed = icmp ne i32 %v, %seen
  br i1 %changed, label %out, label %again
again:
  call void asm sideeffect "@PAUSE@", ""()
  %k1 = add i32 %k, 1
  %tired = icmp sgt i32 %k1, @SPINS@
  br i1 %tired, label %sleep, label %spin
sleep:
  %z0 = atomicrmw add ptr @pool_sleepers, i32 1 seq_cst
  %r = call i64 (i64, ...) @syscall(i64 @FUTEX@, ptr %addr, i32 128, i32 %seen, ptr null)
  %z1 = atomicrmw sub ptr @pool_sleepers, i32 1 seq_cst
  br label %spin
out:
  ret i32 %v
}

define internal ptr @pool_worker(ptr %arg) {
entry:
  %id = ptrtoint ptr %arg to i64
  %id32 = trunc i64 %id to i32
  br label %wait
wait:
  %seen = phi i32 [ 0, %entry ], [ %g, %next ]
  %g = call i32 @pool_wait_change(ptr @pool_gen, i32 %seen)
  %seats = load i32, ptr @pool_seats, align 4
  %mine = icmp slt i32 %id32, %seats
  br i1 %mine, label %work, label %next
work:
  %s = load atomic i64, ptr @pool_state acquire, align 8
  %sg = lshr i64 %s, 32
  call void @pool_run(i64 %sg)
  br label %next
next:
  br label %wait
}

; start workers until there are `want` of them; returns how many there are
define internal i32 @pool_grow(i32 %want) {
entry:
  %tid = alloca i64, align 8
  br label %check
check:
  %have = load i32, ptr @pool_workers, align 4
  %enough = icmp sge i32 %have, %want
  br i1 %enough, label %out, label %start
start:
  %id = sext i32 %have to i64
  %arg = inttoptr i64 %id to ptr
  %rc = call i32 @pthread_create(ptr %tid, ptr null, ptr @pool_worker, ptr %arg)
  %ok = icmp eq i32 %rc, 0
  br i1 %ok, label %started, label %out
started:
  %t = load i64, ptr %tid, align 8
  %d = call i32 @pthread_detach(i64 %t)
  %have1 = add i32 %have, 1
  store i32 %have1, ptr @pool_workers, align 4
  br label %check
out:
  %now = load i32, ptr @pool_workers, align 4
  ret i32 %now
}

define void @mlopt_parallel_for(ptr %fn, ptr %ctx, i64 %n, i64 %threads) {
entry:
  %small = icmp sle i64 %n, 1
  %one = icmp sle i64 %threads, 1
  %huge = icmp sgt i64 %n, 2147483647
  %serial0 = or i1 %small, %one
  %serial1 = or i1 %serial0, %huge
  br i1 %serial1, label %serial, label %lock
lock:
  %pair = cmpxchg ptr @pool_busy, i32 0, i32 1 acquire monotonic
  %got = extractvalue { i32, i1 } %pair, 1
  br i1 %got, label %setup, label %serial
setup:
  %tn = trunc i64 %threads to i32
  %want0 = sub i32 %tn, 1
  %nm1 = sub i64 %n, 1
  %capped = icmp slt i64 %nm1, 1024
  %cap = trunc i64 %nm1 to i32
  %cap1 = select i1 %capped, i32 %cap, i32 1024
  %fewer = icmp slt i32 %cap1, %want0
  %want = select i1 %fewer, i32 %cap1, i32 %want0
  %have = call i32 @pool_grow(i32 %want)
  %lt = icmp slt i32 %have, %want
  %seats = select i1 %lt, i32 %have, i32 %want
  store ptr %fn, ptr @pool_fn, align 8
  store ptr %ctx, ptr @pool_ctx, align 8
  store i64 %n, ptr @pool_n, align 8
  store i32 %seats, ptr @pool_seats, align 4
  store atomic i32 0, ptr @pool_done seq_cst, align 4
  %old = load i64, ptr @pool_state, align 8
  %og = lshr i64 %old, 32
  %ng = add i64 %og, 1
  %ns = shl i64 %ng, 32
  store atomic i64 %ns, ptr @pool_state seq_cst, align 8
  %gen = atomicrmw add ptr @pool_gen, i32 1 seq_cst
  %sl = load atomic i32, ptr @pool_sleepers seq_cst, align 4
  %anyone = icmp sgt i32 %sl, 0
  br i1 %anyone, label %wakeall, label %go
wakeall:
  %wk = call i64 (i64, ...) @syscall(i64 @FUTEX@, ptr @pool_gen, i32 129, i32 2147483647)
  br label %go
go:
  call void @pool_run(i64 %ng)
  %n32 = trunc i64 %n to i32
  br label %join
join:
  %dn = load atomic i32, ptr @pool_done acquire, align 4
  %fin = icmp eq i32 %dn, %n32
  br i1 %fin, label %done, label %waitd
waitd:
  %nd = call i32 @pool_wait_change(ptr @pool_done, i32 %dn)
  br label %join
done:
  store atomic i32 0, ptr @pool_busy release, align 4
  ret void
serial:
  call void %fn(ptr %ctx, i64 0, i64 %n)
  ret void
}
"""

_LOCK = threading.Lock()
_ENGINE: list[object] = []  # the pool's JIT engine: kept for the life of the process


def ensure_jit_pool() -> None:
    """Compile the pool into this process (once) and register ``mlopt_parallel_for``
    for the modules the JIT compiles later."""
    with _LOCK:
        if _ENGINE:
            return
        from mlopt.backends.llvm import _init_llvm, target_machine

        _init_llvm()
        mod = llvm.parse_assembly(pool_ir())
        mod.verify()
        tm = target_machine(2, None, jit=True)
        engine = llvm.create_mcjit_compiler(mod, tm)
        engine.finalize_object()
        llvm.add_symbol(ENTRY, engine.get_function_address(ENTRY))
        _ENGINE.append(engine)


def default_threads() -> int:
    """``MLOPT_NUM_THREADS`` if set, else the CPUs this process may run on."""
    env = os.environ.get("MLOPT_NUM_THREADS", "").strip()
    if env:
        try:
            n = int(env)
        except ValueError:
            raise ValueError(f"MLOPT_NUM_THREADS must be a positive integer, not {env!r}") from None
        if n < 1:
            raise ValueError(f"MLOPT_NUM_THREADS must be a positive integer, not {env!r}")
        return n
    return available_cpus()


def available_cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)
