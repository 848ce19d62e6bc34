"""Stage timings of ``grobnet.solve`` (defaults) on one system, for issue 17.

    python benchmarks/solve_stages.py benchmarks/systems/nn_131_sq_bias_gl2.ms [--timeout 900]
    python benchmarks/solve_stages.py scale_1-4-1 [--timeout 900]     # a bench_networks case
    python benchmarks/solve_stages.py SYSTEM --seed 101 --executor serial   # 1 worker

Logs every progress event with its wall time, then one JSON summary: stage seconds (probe =
until the "probe" event; numeric = until "numeric"; certification = until "certified";
total), complete, reason, certified / D, real count, peak RSS of this process (and of
waited-for children), the load average, and ``stats["route_choice"]``.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from checkout import use_checkout_build  # noqa: E402

use_checkout_build()


def load(spec):
    if spec.endswith(".ms"):
        from grobnet.frontend.io import read_msolve
        return read_msolve(spec)
    import bench_networks as bn
    case = next((c for c in bn.FAMILIES["scale"] if spec in c.name), None)
    if case is None:
        names = ", ".join(c.name for c in bn.FAMILIES["scale"])
        raise SystemExit(f"solve_stages: {spec!r} is neither an .ms file nor part of a scale "
                         f"case's name ({names})")
    return case.build()[2]


def _jsonable(x):
    try:
        json.dumps(x)
        return x
    except TypeError:
        if isinstance(x, dict):
            return {str(k): _jsonable(v) for k, v in x.items()}
        if isinstance(x, (list, tuple)):
            return [_jsonable(v) for v in x]
        return repr(x)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("system")
    ap.add_argument("--timeout", type=float, default=None)
    ap.add_argument("--json", type=Path, default=None, help="also write the summary here")
    ap.add_argument("--seed", type=int, default=None,
                    help="grobnet.solve(seed=...): primes and monodromy start points "
                         "(default: a fresh random seed, kept in the summary)")
    ap.add_argument("--executor", default="auto",
                    help="grobnet.solve(executor=...): 'auto' (default: every core), "
                         "'serial' (one thread: the 1-worker baseline of issue 17), "
                         "'processes'")
    args = ap.parse_args()
    import grobnet
    system = load(args.system)
    t0, c0 = time.perf_counter(), time.process_time()
    marks = {}
    last_round = [None]

    def progress(stage, info):
        now = time.perf_counter() - t0
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if stage == "f4-round":
            last_round[0] = info
            if info.get("rows", 0) * info.get("cols", 0) > 5e7 or info.get("round", 0) % 10 == 0:
                print(f"[{now:8.1f}s] f4 {info} peak {rss:.0f} MB", flush=True)
            return
        ev = info.get("event", stage) if isinstance(info, dict) else stage
        marks.setdefault(ev, now)
        marks[ev + "_last"] = now
        cpu = time.process_time() - c0
        marks.setdefault(ev + "_cpu", round(cpu, 1))
        print(f"[{now:8.1f}s cpu {cpu:7.1f}s] {stage} {info} peak {rss:.0f} MB", flush=True)

    load0 = os.getloadavg()
    err = None
    try:
        sol = grobnet.solve(system, timeout=args.timeout, progress=progress, seed=args.seed,
                            executor=args.executor)
    except Exception as exc:            # a timeout or another failure: say which
        sol, err = None, f"{type(exc).__name__}: {exc}"
    total = time.perf_counter() - t0
    rec = {"system": args.system, "nvars": system.nvars, "total_s": round(total, 1),
           "cpu_s": round(time.process_time() - c0, 1),
           "marks_s": {k: round(v, 1) for k, v in marks.items()},
           "peak_mb_self": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
           "peak_mb_children": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                                     / 1024),
           "load_before": load0, "load_after": os.getloadavg(), "error": err,
           "last_f4_round": last_round[0], "seed_arg": args.seed,
           "executor": args.executor}
    if sol is not None:
        st = sol.stats if isinstance(sol.stats, dict) else {}
        rec.update(complete=sol.complete, reason=getattr(sol, "reason", None),
                   route=getattr(sol, "route", None), degree=getattr(sol, "degree", None),
                   real=len(sol.real) if sol.real is not None else None,
                   route_choice=_jsonable(st.get("route_choice")),
                   stats_keys=sorted(st))
        rec["seed"] = st.get("seed")
        num = st.get("numeric") or []
        rec["monodromy_runs"] = [_jsonable({k: r.get(k) for k in
                                            ("generic", "loops", "nodes", "passes", "pass_found",
                                             "rescue_rounds", "recovered", "loop_seconds",
                                             "target_seconds", "seconds")}) for r in num]
        for k in ("certified", "n_certified"):
            if k in st:
                rec["certified"] = st[k]
        rec["hybrid_stats"] = _jsonable({k: st[k] for k in st
                                         if k in ("hybrid", "numeric_time", "certify_time",
                                                  "probe", "timings")})
    print("SUMMARY " + json.dumps(rec, default=repr), flush=True)
    if args.json:
        args.json.write_text(json.dumps(rec, default=repr, indent=1))


if __name__ == "__main__":
    main()
