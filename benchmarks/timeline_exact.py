"""Usage: python benchmarks/timeline_exact.py serial|pool2 [SYSTEM]

Timeline of a katsura-9 exact solve, serial or on 2 worker processes: every job's
submit/finish time (parent clock), function, pickled argument size; parent CPU time;
per job function: count, first submit, last finish (the phases of the run)."""
import sys, time, pickle, os
HERE_ = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE_)); sys.path.insert(0, HERE_)
import grobnet
from grobnet.parallel import ProcessExecutor
from bench_tracking import read_msolve, HERE
mode = sys.argv[1]
name = sys.argv[2] if len(sys.argv) > 2 else "katsura9"
log = []
T0 = [0.0]
orig = ProcessExecutor.submit
def submit(self, fn, item):
    t = time.perf_counter() - T0[0]
    size = len(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))
    job = orig(self, fn, item)
    rec = [getattr(fn, "__name__", str(fn)), t, None, size]
    log.append(rec)
    job.future.add_done_callback(lambda f, rec=rec: rec.__setitem__(2, time.perf_counter() - T0[0]))
    return job
ProcessExecutor.submit = submit
system = read_msolve(HERE / "systems" / f"{name}.ms")
ex = "serial" if mode == "serial" else ProcessExecutor(2)
if ex != "serial":
    ex._get_pool()
T0[0] = time.perf_counter(); c0 = time.process_time()
s = grobnet.solve(system, real=True, method="exact", executor=ex, seed=int(os.environ.get("SEED", "1")))
wall = time.perf_counter() - T0[0]; cpu = time.process_time() - c0
print(f"{mode} wall {wall:.3f} parent cpu {cpu:.3f} degree {s.degree} real {len(s.real)}")
st = getattr(s, "stats", {})
for k in sorted(st):
    v = st[k]
    if isinstance(v, (int, float, str)) and len(str(v)) < 80:
        print(f"  {k}: {v}")
from collections import Counter
for fn, t, e, sz in log:
    print(f"  job {fn:20s} submit {t:7.3f} done {e if e is None else round(e,3)!s:>7} arg {sz/1e3:8.1f} kB")
if ex != "serial":
    ex.close()
phases = {}
for fn, t, e, sz in log:
    n, first, last, kb = phases.get(fn, (0, t, e or 0.0, 0.0))
    phases[fn] = (n + 1, min(first, t), max(last, e or 0.0), kb + sz / 1e3)
for fn, (n, first, last, kb) in sorted(phases.items(), key=lambda kv: kv[1][1]):
    print(f"phase {fn:20s} jobs {n:4d} from {first:7.3f} to {last:7.3f} s, sent {kb / 1e3:7.1f} MB")
