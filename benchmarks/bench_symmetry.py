#!/usr/bin/env python
"""Symmetry in the hybrid route (#17 item 5): paths and time with and without the group.

    python benchmarks/bench_symmetry.py [--nets 141,151,161,121b] [--seeds 0,1]
                                        [--budget S] [--tag STEM]

For each network (plain L2, lambda = 1/10; the group is the hidden-unit permutations
proven by :mod:`grobnet.frontend.symmetry` and again on the integer equations) the
degree ``D`` comes from the dimension probe (mod p), then
:func:`grobnet.numeric.route.hybrid_solutions` runs twice in the same process with the
same seed: with ``symmetry=`` the group (one path and one Krawczyk test per orbit) and
without (the peer).  Columns: certified / D, paths tracked (loop, seed and target
paths), orbits, monodromy and certification seconds, CPU seconds of the process, and
the ratios without / with.  Both runs must certify the same number of solutions.

Nets: ``141`` = [1,4,1] z^2, no bias, 3 points (D = 321, S_4); ``151`` = [1,5,1] (969,
S_5); ``161`` = [1,6,1] (2913, S_6); ``121b`` = [1,2,1] z+z^2 with bias on the five
points of the shared nn_121 systems (465, S_2).  The machine is shared: ``uptime``'s
load average is written next to the numbers.
Results: ``benchmarks/results/<tag>.csv`` and ``.md``.
"""
from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from grobnet.engine.convert import integer_input            # noqa: E402
from grobnet.exact.probe import probe_dimension             # noqa: E402
from grobnet.frontend import L2, Network, gradient_system   # noqa: E402
from grobnet.numeric.route import hybrid_solutions, system_symmetry  # noqa: E402

RESULTS = HERE / "results"
THREE = ([[1], [2], [-1]], [[1], [0], [2]])
FIVE = ([[-1], [Fraction(-1, 2)], [0], [Fraction(1, 2)], [1]],
        [[1], [0], [Fraction(-1, 3)], [0], [1]])
NETS = {"141": ((1, 4, 1), "z^2", False, THREE),
        "151": ((1, 5, 1), "z^2", False, THREE),
        "161": ((1, 6, 1), "z^2", False, THREE),
        "121b": ((1, 2, 1), "z+z^2", True, FIVE)}


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run(name, seed, budget):
    widths, act, bias, data = NETS[name]
    S = gradient_system(Network(widths, activation=act, bias=bias), data,
                        reg=L2(Fraction(1, 10)))
    names, polys = integer_input(S)
    D = probe_dimension(polys, len(names)).hilbert.degree
    G = system_symmetry(S, names)
    rows = []
    for label, group in (("group", G), ("none", None)):
        load = load_average()
        c0, t0 = time.process_time(), time.monotonic()
        out = hybrid_solutions(polys, names, D, seed=seed, timeout=budget, symmetry=group)
        wall, cpu = time.monotonic() - t0, time.process_time() - c0
        runs = out.stats.get("numeric", [])
        rows.append({"net": name, "widths": "-".join(map(str, widths)), "degree": D,
                     "group_order": G.order if group is not None else 1, "seed": seed,
                     "symmetry": label, "certified": out.n_certified,
                     "complete": out.complete, "real": len(out.real),
                     "paths": sum(r.get("paths", 0) for r in runs),
                     "seed_paths": sum(r.get("seed_paths", 0) or 0 for r in runs),
                     "target_paths": sum(r.get("target_paths", 0) for r in runs),
                     "orbits": (out.stats.get("symmetry") or {}).get("orbits", ""),
                     "nodes": sum(r.get("nodes", 0) for r in runs),
                     "numeric_s": round(out.stats.get("numeric_time", 0.0), 2),
                     "certify_s": round(out.stats.get("certify_time", 0.0), 2),
                     "wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "load": load})
        print(rows[-1], flush=True)
    g, n = rows
    for key in ("paths", "wall_s", "certify_s"):
        g[f"{key}_ratio"] = round(n[key] / g[key], 2) if g[key] else ""
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nets", default="141,151,161,121b")
    ap.add_argument("--seeds", default="0")
    ap.add_argument("--budget", type=float, default=300.0)
    ap.add_argument("--tag", default=time.strftime("symmetry_%Y%m%d-%H%M%S"))
    args = ap.parse_args(argv)
    rows = []
    for name in args.nets.split(","):
        for seed in (int(s) for s in args.seeds.split(",")):
            rows += run(name, seed, args.budget)
    RESULTS.mkdir(exist_ok=True)
    keys = list(dict.fromkeys(k for r in rows for k in r))
    with open(RESULTS / f"{args.tag}.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=keys)
        w.writeheader()
        w.writerows(rows)
    cols = ["net", "degree", "group_order", "seed", "symmetry", "certified", "paths", "orbits",
            "numeric_s", "certify_s", "wall_s", "cpu_s", "paths_ratio", "wall_s_ratio", "load"]
    lines = ["# Symmetry: hybrid route with and without the hidden-unit group", "",
             "ratios = without / with (same seed, same process); load = uptime 1/5/15 min", "",
             "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(str(r.get(c, "")) for c in cols) + " |" for r in rows]
    (RESULTS / f"{args.tag}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
