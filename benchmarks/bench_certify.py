#!/usr/bin/env python
"""Krawczyk certification: the fast path (binary64 interval kernel + one arb evaluation
per point) against the arb path, on the same approximations, in the same run.

    python benchmarks/bench_certify.py [--systems a,b] [--points K] [--tag STEM]

For each system (msolve files in ``benchmarks/systems``; degrees below), monodromy
(``grobnet.numeric.monodromy.monodromy_solve``) produces the approximations once; then
``certify_solutions(..., fast=True)`` and ``fast=False`` certify the same points (fast
first, then arb, then fast again: the two fast times bracket the arb run on a shared
machine).  Reported: certified / degree, real count, seconds of each path and of the
fast path's stages, the ratio arb / fast, and whether both paths agree (same indices,
same real set).  ``uptime``'s load average is written next to the numbers, and the
CPU time of this process next to the wall time (on a loaded machine the CPU ratio is
the steadier one).
Results: ``benchmarks/results/<tag>.csv`` and ``.md``.
"""
from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from grobnet.engine.convert import integer_input                        # noqa: E402
from grobnet.frontend.io import read_msolve                             # noqa: E402
from grobnet.numeric.certify import certify_solutions                   # noqa: E402
from grobnet.numeric.monodromy import monodromy_solve                   # noqa: E402

RESULTS = HERE / "results"
DEGREES = {"nn_121_sq_bias_gl2": 481, "nn_xor_221_sq_bias_gl2": 4289,
           "nn_131_sq_bias_gl2": 4929, "katsura8": 256, "cyclic6": 156}


def load() -> str:
    return "%.2f %.2f %.2f" % os.getloadavg()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--systems", default="nn_131_sq_bias_gl2")
    ap.add_argument("--points", type=int, default=0, help="certify only the first K points")
    ap.add_argument("--budget", type=float, default=300.0, help="monodromy seconds")
    ap.add_argument("--cache", default="", help="folder to keep the monodromy points in")
    ap.add_argument("--tag", default=time.strftime("certify_%Y%m%d-%H%M%S"))
    args = ap.parse_args(argv)
    rows = []
    for name in args.systems.split(","):
        system = read_msolve(HERE / "systems" / f"{name}.ms")
        names, polys = integer_input(system)
        degree = DEGREES[name]
        t = time.monotonic()
        cache = Path(args.cache) / f"{name}.npy" if args.cache else None
        if cache is not None and cache.exists():
            points = np.load(cache)
        else:
            points = monodromy_solve(polys, len(names), degree, seed=0,
                                     timeout=args.budget).points
            if cache is not None:
                cache.parent.mkdir(parents=True, exist_ok=True)
                np.save(cache, points)
        P = points if not args.points else points[:args.points]
        print(f"{name}: {len(points)}/{degree} points in {time.monotonic() - t:.1f} s",
              flush=True)
        runs = {}
        for label, fast in (("fast", True), ("arb", False), ("fast2", True)):
            before = load()
            t, c = time.monotonic(), time.process_time()
            res = certify_solutions(polys, len(names), P, variables=names, fast=fast)
            runs[label] = (time.monotonic() - t, res, before, time.process_time() - c)
            print(f"  {label}: {res} in {runs[label][0]:.2f} s, CPU {runs[label][3]:.2f} s "
                  f"(load {before})", flush=True)
        fast_t = min(runs["fast"][0], runs["fast2"][0])
        fast_c = min(runs["fast"][3], runs["fast2"][3])
        best = "fast" if runs["fast"][3] <= runs["fast2"][3] else "fast2"
        f, a = runs[best][1], runs["arb"][1]
        agree = (f.indices == a.indices and [c.is_real for c in f.complex]
                 == [c.is_real for c in a.complex])
        st = f.stats
        rows.append({
            "system": name, "degree": degree, "points": len(P),
            "certified_fast": f.n_certified, "certified_arb": a.n_certified,
            "real": f.n_real, "agree": agree,
            "fast_s": round(fast_t, 2), "arb_s": round(runs["arb"][0], 2),
            "ratio_arb_over_fast": round(runs["arb"][0] / fast_t, 2),
            "fast_cpu_s": round(fast_c, 2), "arb_cpu_s": round(runs["arb"][3], 2),
            "cpu_ratio": round(runs["arb"][3] / fast_c, 2),
            "fast_by_kernel": st.get("methods", {}).get("fast", 0),
            "float_newton_s": round(st.get("float_newton_time", 0), 2),
            "kernel_s": round(st.get("fast_kernel_time", 0), 2),
            "narrow_s": round(st.get("fast_narrow_time", 0), 2),
            "disjoint_s": round(st.get("disjointness_time", 0), 2),
            "load_fast": runs["fast"][2], "load_arb": runs["arb"][2],
        })
    RESULTS.mkdir(exist_ok=True)
    with open(RESULTS / f"{args.tag}.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    with open(RESULTS / f"{args.tag}.md", "w") as fh:
        fh.write(f"# Certification: fast path vs arb path ({time.strftime('%Y-%m-%d %H:%M')})\n\n")
        fh.write("Same approximations (monodromy), same run; `fast_s` / `fast_cpu_s`: the "
                 "better of two fast runs bracketing the arb run (wall / CPU seconds); load = `uptime` 1/5/15-min averages before each "
                 "run (2-core machine shared with other sessions).\n\n")
        fh.write("| " + " | ".join(rows[0]) + " |\n|" + "---|" * len(rows[0]) + "\n")
        for r in rows:
            fh.write("| " + " | ".join(str(v) for v in r.values()) + " |\n")
    print(f"wrote {RESULTS / args.tag}.csv/.md")


if __name__ == "__main__":
    main()
