#!/usr/bin/env python
"""Path tracking and monodromy: the compiled tracker against the numpy one, and
monodromy's found / D and time on the network systems.

    python benchmarks/bench_tracking.py [--budget S] [--paths P] [--systems a,b] [--skip-numpy]
                                        [--workers 1,2] [--tag STEM]

1. **Paths per second** on the same start points and the same segment (a random
   start pair of the tracker's family, tracked to a second random parameter point)
   with the numpy tracker (``grobnet.numeric.homotopy.track``) and the compiled one
   on 1 and 2 threads, in the same run; the ratio is the peer ratio.
2. **Monodromy** (``grobnet.numeric.monodromy.monodromy_solve``): solutions found /
   degree and seconds on nn_121 GL2, the seed's XOR [2,2,2,1] GL2 net (generated as
   in ``benchmarks/systems.py``), nn_131 GL2 and XOR [2,2,1] GL2, for each worker
   count of ``--workers`` (threads of the C tracker; ``pool2`` = a process pool of 2
   workers); the speed-up 2 workers / 1 worker is reported.

The machine is shared: ``uptime``'s load average is written next to the numbers, and
the CPU time of this process (all its threads) next to the wall time, so a run on 2
threads that got only one free core shows up as CPU time ~ wall time.
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
sys.path.insert(0, str(HERE))

from checkout import use_checkout_build                                 # noqa: E402

use_checkout_build()              # this checkout's grobnet if built in place, else installed

from grobnet.engine.convert import integer_input                           # noqa: E402
from grobnet.frontend import GeneralizedL2, Network, gradient_system, xor  # noqa: E402
from grobnet.frontend.io import read_msolve                             # noqa: E402
from grobnet.numeric.homotopy import TrackOptions, track                # noqa: E402
from grobnet.numeric.monodromy import monodromy_solve                   # noqa: E402
from grobnet.numeric.polyeval import PolySystem                         # noqa: E402
from grobnet.numeric.tracker import CompiledTracker                     # noqa: E402
from grobnet.parallel import ProcessExecutor                            # noqa: E402

RESULTS = HERE / "results"
#: system -> degree (from the mod-p basis: benchmarks/systems/README.md; 641 for the seed net)
DEGREES = {"nn_121_sq_bias_gl2": 481, "gen_seed_xor_2221_gl2": 641,
           "nn_xor_221_sq_bias_gl2": 4289, "nn_131_sq_bias_gl2": 4929}
RATE_SYSTEMS = ["katsura8", "nn_121_sq_bias_gl2", "nn_131_sq_bias_gl2", "nn_xor_221_sq_bias_gl2"]


def load(name):
    """``(variable names, integer polynomials)`` of a shipped or generated system."""
    if name == "gen_seed_xor_2221_gl2":
        g = gradient_system(Network((2, 2, 2, 1), activation="identity", bias=False), xor(),
                            reg=GeneralizedL2(seed=1))
        return integer_input(g)
    return integer_input(read_msolve(HERE / "systems" / f"{name}.ms"))


def load_average() -> str:
    try:
        return "load %.2f %.2f %.2f" % os.getloadavg()
    except OSError:                                                     # pragma: no cover
        return "load ?"


def paths_per_second(name, npaths, skip_numpy):
    names, polys = load(name)
    n = len(names)
    S = PolySystem(polys, n)
    T = CompiledTracker(S)
    rng = np.random.default_rng(0)

    def crandn(*shape):
        return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)) / np.sqrt(2)

    c = crandn(n)
    x0 = crandn(npaths, n)
    mu0 = -S.values(x0) / (x0 - c)
    mu1 = 2 * np.sqrt(np.mean(np.abs(mu0) ** 2)) * crandn(n)
    opts = TrackOptions(max_steps=400)
    row = {"system": name, "paths": npaths, "load": load_average()}
    if not skip_numpy:
        t = time.perf_counter()
        ref = track(S, x0, mu0, mu1, opts, center=c)
        row["numpy_s"] = time.perf_counter() - t
        row["numpy_ok"] = int(np.sum(ref.status == 0))
    params = np.vstack([mu0, mu1[None, :]])
    route = np.stack([np.arange(npaths), np.full(npaths, npaths)], axis=1)
    for key, o, threads in (("c1", opts, 1), ("c2", opts, 2),
                            ("pade1", TrackOptions(max_steps=400, predictor="pade"), 1)):
        t = time.perf_counter()
        res = T.track(x0, route, params, c, o, threads=threads)
        row[f"{key}_s"] = time.perf_counter() - t
        row[f"{key}_ok"] = int(np.sum(res.status == 0))
        row[f"{key}_steps_per_path"] = res.stats["steps"] / npaths
    row["steps_per_path"] = row["c1_steps_per_path"]
    for key in ("numpy", "c1", "c2", "pade1"):
        if f"{key}_s" in row:
            row[f"{key}_paths_per_s"] = npaths / row[f"{key}_s"]
    if "numpy_s" in row:
        row["ratio_c1"] = row["numpy_s"] / row["c1_s"]
        row["ratio_c2"] = row["numpy_s"] / row["c2_s"]
    return row


def monodromy_run(name, workers, budget, seed):
    names, polys = load(name)
    kwargs = {}
    pool = None
    if workers.startswith("pool"):
        pool = ProcessExecutor(int(workers[4:]))
        kwargs = {"executor": pool, "threads": 1}
    else:
        kwargs = {"threads": int(workers)}
    before = load_average()
    cpu = time.process_time()              # all threads of this process (not pool workers)
    t = time.perf_counter()
    try:
        sol = monodromy_solve(polys, len(names), DEGREES[name], seed=seed, timeout=budget,
                              **kwargs)
    finally:
        if pool is not None:
            pool.close()
    seconds = time.perf_counter() - t
    cpu = time.process_time() - cpu
    st = sol.stats
    return {"system": name, "workers": workers, "degree": DEGREES[name], "found": len(sol.points),
            "complete": sol.complete_count, "timed_out": sol.timed_out, "seconds": seconds,
            "paths": st["paths"], "steps": st["steps"], "nodes": st["nodes"],
            "generic": st["generic"], "loop_s": st["loop_seconds"],
            "target_s": st["target_seconds"], "cpu_s": cpu, "load_before": before,
            "load_after": load_average()}


def write(tag, rates, runs):
    RESULTS.mkdir(exist_ok=True)
    with open(RESULTS / f"{tag}.csv", "w", newline="", encoding="utf-8") as fh:
        keys = sorted({k for r in rates + runs for k in r})
        w = csv.DictWriter(fh, fieldnames=keys)
        w.writeheader()
        for r in rates + runs:
            w.writerow(r)
    lines = [f"# bench_tracking {tag}", "",
             f"Machine: {os.cpu_count()} logical cores, shared (load averages next to each row).",
             "", "## Paths per second (same start points, same segment)", "",
             "Same algorithm (Runge-Kutta + Newton) in numpy and in C; the last columns: the "
             "compiled Pade predictor (monodromy's default) on 1 thread.", "",
             "| system | paths | steps/path | numpy paths/s | compiled 1 thread | compiled 2 threads "
             "| ratio 1 thread | ratio 2 threads | Pade paths/s (steps/path) | paths ok numpy / C / "
             "Pade | load |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rates:
        lines.append("| {system} | {paths} | {spp:.0f} | {np_} | {c1:.0f} | {c2:.0f} | {r1} | {r2} | "
                     "{pd:.0f} ({pds:.0f}) | {oks} | {load} |".format(
                         pd=r["pade1_paths_per_s"], pds=r["pade1_steps_per_path"],
                         oks=f"{r.get('numpy_ok', '-')} / {r['c1_ok']} / {r['pade1_ok']}",
                         system=r["system"], paths=r["paths"], spp=r["steps_per_path"],
                         np_=f"{r['numpy_paths_per_s']:.0f}" if "numpy_paths_per_s" in r else "-",
                         c1=r["c1_paths_per_s"], c2=r["c2_paths_per_s"],
                         r1=f"{r['ratio_c1']:.0f}x" if "ratio_c1" in r else "-",
                         r2=f"{r['ratio_c2']:.0f}x" if "ratio_c2" in r else "-", load=r["load"]))
    lines += ["", "## Monodromy: found / degree", "",
              "| system | workers | found / D | complete | seconds | CPU s (this process) | loops s "
              "| target s | paths | nodes | load before / after |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        lines.append(f"| {r['system']} | {r['workers']} | {r['found']} / {r['degree']} | "
                     f"{'yes' if r['complete'] else 'no'}{' (budget)' if r['timed_out'] else ''} | "
                     f"{r['seconds']:.1f} | {r['cpu_s']:.1f} | {r['loop_s']:.1f} | "
                     f"{r['target_s']:.1f} | {r['paths']} | "
                     f"{r['nodes']} | {r['load_before']} / {r['load_after']} |")
    by = {}
    for r in runs:
        by.setdefault(r["system"], {})[r["workers"]] = r
    speed = []
    for name, d in by.items():
        for two in ("2", "pool2"):
            if "1" in d and two in d and d["1"]["complete"] and d[two]["complete"]:
                speed.append(f"| {name} | {two} | {d['1']['seconds'] / d[two]['seconds']:.2f}x |")
    if speed:
        lines += ["", "## Speed-up of 2 workers over 1", "", "| system | workers | speed-up |",
                  "|---|---|---|"] + speed
    (RESULTS / f"{tag}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--budget", type=float, default=120.0, help="seconds per monodromy run")
    ap.add_argument("--paths", type=int, default=400, help="paths for the rate comparison")
    ap.add_argument("--systems", default=",".join(DEGREES))
    ap.add_argument("--rate-systems", default=",".join(RATE_SYSTEMS))
    ap.add_argument("--workers", default="1,2", help="comma list: thread counts or poolN")
    ap.add_argument("--skip-numpy", action="store_true")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--tag", default=None)
    args = ap.parse_args(argv)
    tag = args.tag or "tracking_" + time.strftime("%Y%m%d-%H%M%S")
    rates = []
    for name in filter(None, args.rate_systems.split(",")):
        rates.append(paths_per_second(name, args.paths, args.skip_numpy))
        print(rates[-1], flush=True)
    runs = []
    for name in filter(None, args.systems.split(",")):
        for workers in args.workers.split(","):
            runs.append(monodromy_run(name, workers, args.budget, args.seed))
            print(runs[-1], flush=True)
    print(write(tag, rates, runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
