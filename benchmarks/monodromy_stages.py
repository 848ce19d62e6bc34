"""Monodromy alone on one system of known degree (issue 17): where the time goes.

    python benchmarks/monodromy_stages.py benchmarks/systems/nn_131_sq_bias_gl2.ms \
        --degree 4929 --seed 3 --timeout 150 [--json out.json]

Skips the dimension probe (``--degree`` is given), runs
:func:`grobnet.numeric.monodromy.monodromy_solve` with the defaults of the hybrid route
(threads on every core), logs each loop / target / rescue event (wall and CPU seconds),
then prints one JSON summary: found / D, timed out, the solver's stats.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from checkout import use_checkout_build  # noqa: E402

use_checkout_build()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("system")
    ap.add_argument("--degree", type=int, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=None)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    from grobnet.engine.convert import integer_input
    from grobnet.frontend.io import read_msolve
    from grobnet.numeric.monodromy import monodromy_solve
    names, polys = integer_input(read_msolve(args.system))
    t0, c0 = time.perf_counter(), time.process_time()
    last = {}

    def progress(stage, info):
        key = (stage, info.get("found"), info.get("known"), info.get("waiting"),
               info.get("rescue"))
        if last.get("k") == key:
            return
        last["k"] = key
        print(f"[{time.perf_counter() - t0:7.1f}s cpu {time.process_time() - c0:7.1f}s] "
              f"{stage} {info}", flush=True)

    load0 = os.getloadavg()
    res = monodromy_solve(polys, len(names), args.degree, seed=args.seed,
                          timeout=args.timeout, progress=progress)
    rec = {"system": args.system, "seed": args.seed, "degree": args.degree,
           "found": len(res.points), "timed_out": res.timed_out,
           "wall_s": round(time.perf_counter() - t0, 1),
           "cpu_s": round(time.process_time() - c0, 1),
           "load_before": load0, "load_after": os.getloadavg(), "stats": res.stats}
    print("SUMMARY " + json.dumps(rec, default=repr), flush=True)
    if args.json:
        args.json.write_text(json.dumps(rec, default=repr, indent=1))


if __name__ == "__main__":
    main()
