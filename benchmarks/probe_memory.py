"""Peak memory and time of the dimension probe's phases, one after the other (issue 17).

    python benchmarks/probe_memory.py benchmarks/systems/nn_xor_221_sq_bias_gl2.ms [--threads 1]
    python benchmarks/probe_memory.py scale_1-3-1 [--proof]

Phases, in one process (as :func:`grobnet.exact.probe.probe_dimension` runs them): the first
prime's traced F4 (``f4_learn``), the second prime's trace replay (``f4_apply``), then the
randomized Groebner-basis check of the replayed basis (``check_groebner``; ``--proof`` adds the
deterministic check).  Before each phase the kernel's peak-RSS mark is reset
(``/proc/self/clear_refs``, Linux), so each phase's peak is its own: its growth over the
resident size it started from is what the phase itself needs.  Prints one JSON line per
phase (seconds wall and CPU, start and peak RSS in MB, the engine's largest matrix, trace
bytes) and the per-matrix log of the check on stderr.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from checkout import use_checkout_build  # noqa: E402

use_checkout_build()


def _status(field):
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) // 1024
    return -1


def _reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass


def load(spec):
    if spec.endswith(".ms"):
        from grobnet.frontend.io import read_msolve
        return read_msolve(spec)
    import bench_networks as bn
    case = next(c for c in bn.FAMILIES["scale"] if spec in c.name)
    return case.build()[2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("system")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--primes", type=int, nargs=2, default=(2147483629, 2147483587))
    ap.add_argument("--proof", action="store_true", help="also run the deterministic check")
    ap.add_argument("--seed", type=int, default=12345)
    args = ap.parse_args()
    from grobnet.engine.convert import integer_input
    from grobnet.engine.modp import check_groebner, f4_apply, f4_learn, modp_arrays

    names, polys = integer_input(load(args.system))
    n = len(names)
    p1, p2 = args.primes
    raw1, raw2 = modp_arrays(polys, n, p1), modp_arrays(polys, n, p2)
    state = {}

    def phase(name, fn):
        _reset_peak()
        start = _status("VmRSS")
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        rec = {"phase": name, "wall_s": round(time.perf_counter() - t0, 2),
               "cpu_s": round(time.process_time() - c0, 2), "rss_start_mb": start,
               "peak_mb": _status("VmHWM"), "threads": args.threads}
        return out, rec

    (basis1, st1, trace), rec = phase("f4_learn p1", lambda: f4_learn(
        raw1, n, p1, threads=args.threads))
    rec.update(max_rows=st1.get("max_rows"), max_cols=st1.get("max_cols"),
               max_nnz=st1.get("max_nnz"), basis=len(basis1), core_peak_mb=st1.get("peak_memory", 0) >> 20,
               trace_mb=trace.memory >> 20)
    print(json.dumps(rec), flush=True)
    state["trace"] = trace
    (basis2, st2), rec = phase("f4_apply p2", lambda: f4_apply(trace, raw2, p2,
                                                               threads=args.threads))
    rec.update(max_rows=st2.get("max_rows"), max_cols=st2.get("max_cols"),
               max_nnz=st2.get("max_nnz"), basis=len(basis2),
               core_peak_mb=st2.get("peak_memory", 0) >> 20)
    print(json.dumps(rec), flush=True)
    terms = sum(len(c) for _, c in basis2)
    runs = [("check randomized", args.seed)] + ([("check proof", None)] if args.proof else [])
    for name, seed in runs:
        mats = []

        def prog(r, d, rows, cols, mats=mats):
            mats.append((r, d, rows, cols))
            print(name, "matrix", r, "degree", d, rows, "x", cols, "rss_mb", _status("VmRSS"),
                  file=sys.stderr, flush=True)
        ok, rec = phase(name, lambda: check_groebner(basis2, raw2, n, p2, threads=args.threads,
                                                     seed=seed, progress=prog))
        big = max(mats, key=lambda x: x[2] * x[3], default=None)
        rec.update(ok=ok, basis_terms=terms, matrices=len(mats), largest_matrix=big)
        print(json.dumps(rec), flush=True)


if __name__ == "__main__":
    main()
