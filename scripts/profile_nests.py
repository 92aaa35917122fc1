"""Where a compiled model's time goes: wall time per top-level loop nest.

Lowers a bench model (``bench/bench_models.py`` names, or an .onnx path) to the
affine level as the runtime does (kernels sized for this CPU, ``threads``),
puts a call to a probe before and after each top-level ``affine.for`` of the
entry, compiles the rest of the way and runs it; the probe (a Python ctypes
callback bound as an external symbol) records the clock.  Prints the time per
nest kind and the slowest nests: whether it is split over the thread pool
(PAR), kernel FMA / other vector / scalar code, the trip counts of its outer
loops, and what it reads and writes.  A probe pair costs ~2 us (printed).

    python scripts/profile_nests.py squeezenet 1 [TOP]
    python scripts/profile_nests.py path/to/model.onnx 2

Developer tool (it changes the code it measures only by the probe calls);
the numbers in docs/performance.md's notes come from it.
"""
import ctypes
import sys
import time

import onnx
from collections import defaultdict
from xdsl.dialects import affine, arith, func
from xdsl.dialects.builtin import IntegerAttr, i64
from mlopt import make_context
from mlopt.frontends.onnx import import_model
from mlopt.passes.pipelines import stages_from, sized_stages
from mlopt.backends.runtime import _parsed_pipeline, compile_model
import llvmlite.binding as llvm
sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent / "bench"))
import bench_models as bm  # noqa: E402
name, threads = sys.argv[1], int(sys.argv[2])
top = int(sys.argv[3]) if len(sys.argv) > 3 else 25
path = bm.light_models()[name] if name in bm.light_models() else name
feeds = bm.model_inputs(name, path); args = list(feeds.values())
module = import_model(onnx.load(str(path)))
ctx = make_context()
for st, text in stages_from("onnx"):
    if st == "affine-to-llvm": break
    text = sized_stages(None, threads).get(st, text)
    _parsed_pipeline(text).apply(ctx, module)
entry = [f for f in module.ops if isinstance(f, func.FuncOp) and f.body.blocks][0]
decl = func.FuncOp.external("__probe", [i64], [])
module.body.block.add_op(decl)
def trips(l):
    try: return (l.upperBoundMap.data.results[0].value - l.lowerBoundMap.data.results[0].value) // l.step.value.data
    except Exception: return -1
def describe(op):
    names = {type(o).__name__ for o in op.walk()}
    kind = "fma" if "FMAOp" in names else ("dot4" if "Dot4Op" in names else ("vec" if any("Vector" in k for k in names) else "scalar"))
    par = "PAR" if any("mlopt.parallel" in o.attributes for o in op.walk()) else "   "
    shape = []; l = op
    while isinstance(l, affine.ForOp):
        shape.append(trips(l))
        inner = [o for o in l.body.block.ops if isinstance(o, affine.ForOp)]
        l = inner[0] if len(inner) == 1 else None
    st = [o for o in op.walk() if isinstance(o, (affine.StoreOp, affine.VectorStoreOp)) or type(o).__name__ == "MaskedStoreOp"]
    ld = [o for o in op.walk() if isinstance(o, (affine.LoadOp, affine.VectorLoadOp))]
    src = ld[0].memref.type if ld else None
    dst = st[0].operands[1].type if st else None
    return f"{par} {kind:6} {'x'.join(map(str, shape)):14} {str(src)[7:-1]:>22} -> {str(dst)[7:-1]}"
desc = {}
k = 0
for op in list(entry.body.block.ops):
    if isinstance(op, affine.ForOp):
        desc[k] = describe(op)
        for where in ("before", "after"):
            c = arith.ConstantOp(IntegerAttr(k, i64))
            call = func.CallOp("__probe", [c.result], [])
            if where == "before":
                entry.body.block.insert_ops_before([c, call], op)
            else:
                entry.body.block.insert_ops_after([c, call], op)
        k += 1
stamps = []
CB = ctypes.CFUNCTYPE(None, ctypes.c_int64)
cb = CB(lambda i: stamps.append((i, time.perf_counter_ns())))
llvm.add_symbol("__probe", ctypes.cast(cb, ctypes.c_void_p).value)
c = compile_model(module, num_threads=threads)
c(*args)
# overhead of a probe pair
t0 = time.perf_counter_ns()
for _ in range(1000): cb(0); cb(0)
pair = (time.perf_counter_ns() - t0) / 1000
tot = defaultdict(float); runs = 30
t_all = 0
for _ in range(runs):
    stamps.clear(); t0 = time.perf_counter(); c(*args); t_all += time.perf_counter() - t0
    open_ = {}
    for i, t in stamps:
        if i in open_: tot[i] += t - open_.pop(i)
        else: open_[i] = t
total = t_all / runs * 1e3
nest_ms = {i: v / runs / 1e6 for i, v in tot.items()}
print(f"{name} threads={threads}: {total:.2f} ms per call (probes {len(desc)} pairs, ~{pair/1e3:.1f} us each), nests {sum(nest_ms.values()):.2f} ms")
by_kind = defaultdict(float)
for i, v in nest_ms.items():
    by_kind[desc[i][:10]] += v
for kk, v in sorted(by_kind.items(), key=lambda x: -x[1]):
    print(f"  {kk}: {v:.2f} ms")
for i, v in sorted(nest_ms.items(), key=lambda x: -x[1])[:top]:
    print(f"{v:7.3f} ms  #{i:3} {desc[i]}")
