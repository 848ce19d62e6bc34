#!/usr/bin/env python
"""The ordering issue's benchmark: how much does the variable order matter, and what does
the search cost?

    python benchmarks/bench_orderings.py [--systems nn_121_sq_bias_l2,katsura8]
        [--gb-timeout S] [--solve-timeout S] [--no-solve] [--repeat R] [--seed N]

For every ``nn_*`` system of the benchmark folder and katsura-8 (default):

1. The search as ``grobnet.solve(..., orderings="auto")`` runs it
   (:func:`grobnet.exact.orders.choose_order`, serial): F4 modulo a random prime (one
   per order) under every candidate order, each with ``--gb-timeout`` seconds.  A probe *is* the mod-p
   Groebner basis under that order, so the probes give the per-order GB times, and
   the search's wall time is its overhead.  Orders that finished are rerun
   ``--repeat - 1`` times and keep their least time (the first run in a process pays
   for warm-up, and the given order always runs first); the picked order is the
   search's own pick from its first run.
2. The exact solve (multimodular RUR and real roots,
   ``solve_with_orderings(orderings=[order], cross_check=False)``) under the given
   order, the picked one, and the orders with the best and the worst GB time, each in
   a separate process killed after ``--solve-timeout`` seconds (skipped for orders
   whose GB did not finish: their solve would not either).

Reported per system: GB time under the given / picked / best / worst order, the
spread worst/best, the search's overhead (its time over the picked order's GB time and
over the picked order's solve time) and the solve times.  Writes
``benchmarks/results/orderings_<stamp>.{csv,md}`` (one CSV line per order and stage).
"""
from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from checkout import use_checkout_build  # noqa: E402

use_checkout_build()   # this checkout's grobnet if built in place (also for the pool's processes)

from report import machine_description  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_EXTRA = ("katsura8",)
FIELDS = ["system", "nvars", "stage", "order", "permutation", "status", "seconds", "max_rows",
          "max_cols", "dimension", "degree", "real", "picked"]


def systems_folder() -> Path:
    env = os.environ.get("GROBNET_SYSTEMS")
    return Path(env) if env else Path(__file__).resolve().parent / "systems"


def default_systems(folder: Path) -> list:
    return sorted(p.stem for p in folder.glob("nn_*.ms")) + list(DEFAULT_EXTRA)


def solve_job(task):
    """Worker (separate process): the exact solve under one order; plain data back."""
    path, perm = task
    from grobnet.frontend.io import read_msolve
    from grobnet.solver.orderings import solve_with_orderings

    system = read_msolve(path)
    t0 = time.perf_counter()
    s = solve_with_orderings(system, orderings=[list(perm)], cross_check=False, executor="serial")
    seconds = time.perf_counter() - t0
    done = s.complete or s.dimension > 0       # a positive-dimensional answer is final too
    return {"status": "ok" if done else f"incomplete: {s.reason}", "seconds": seconds,
            "dimension": s.dimension, "degree": s.degree,
            "real": None if s.real is None else len(s.real)}


def timed_solve(path, perm, timeout):
    """``solve_job`` in a fresh one-worker pool, killed after ``timeout`` seconds."""
    from grobnet.errors import TimeoutExceeded
    from grobnet.parallel import ProcessExecutor

    with ProcessExecutor(1) as ex:
        t0 = time.perf_counter()
        try:
            return ex.map(solve_job, [(str(path), tuple(perm))], timeout=timeout)[0]
        except TimeoutExceeded:
            return {"status": "timeout", "seconds": time.perf_counter() - t0}
        except Exception as exc:   # a failing solve is a result of the benchmark, not its end
            return {"status": f"error: {type(exc).__name__}: {exc}",
                    "seconds": time.perf_counter() - t0}


def bench_system(name, folder, gb_timeout, solve_timeout, seed, repeat, log):
    from grobnet.frontend.io import read_msolve
    from grobnet.exact.orders import choose_order, probe_order
    from grobnet.exact.probe import input_screen

    path = folder / f"{name}.ms"
    names, ints, avoid = input_screen(read_msolve(str(path)))
    choice = choose_order(names, ints, orderings="auto", probe_timeout=gb_timeout,
                          executor="serial", seed=seed, avoid=avoid)
    # per-order GB time: the least over the search's probe and ``repeat - 1`` reruns (the
    # first run of a process pays for warm-up, and the given order always runs first)
    best_times = {r.candidate: r.seconds for r in choice.probes if r.ok}
    for _ in range(repeat - 1):
        for r in choice.probes:
            if r.ok:
                again = probe_order((ints, len(names), r.candidate, r.prime, gb_timeout))
                if again.ok:
                    best_times[r.candidate] = min(best_times[r.candidate], again.seconds)
    choice.probes = [replace(r, seconds=best_times[r.candidate]) if r.ok else r
                     for r in choice.probes]
    rows = []
    for r in choice.probes:
        rows.append({"system": name, "nvars": len(names), "stage": "gb", "order": r.candidate.name,
                     "permutation": " ".join(map(str, r.candidate.perm)), "status": r.status,
                     "seconds": f"{r.seconds:.4f}", "max_rows": r.max_rows,
                     "max_cols": r.max_cols, "dimension": r.dimension, "degree": r.degree,
                     "real": "", "picked": int(r.candidate == choice.best)})
        log(f"  gb {r.candidate.name:24s} {r.status:8s} {r.seconds:8.3f} s")
    rows.append({"system": name, "nvars": len(names), "stage": "search", "order": choice.best.name,
                 "permutation": " ".join(map(str, choice.best.perm)), "status": "ok",
                 "seconds": f"{choice.seconds:.4f}", "picked": 1})
    ok = [r for r in choice.probes if r.ok]
    summary = {"system": name, "nvars": len(names), "candidates": len(choice.probes),
               "finished": len(ok), "picked": choice.best.name, "search": choice.seconds,
               "degree": ok[0].degree if ok else None, "dimension": ok[0].dimension if ok else None,
               "gb": {r.candidate.name: (r.seconds if r.ok else None) for r in choice.probes}}
    if ok:
        best = min(ok, key=lambda r: r.seconds)
        worst = max(choice.probes, key=lambda r: r.seconds if r.ok else float("inf"))
        summary.update(best=best.candidate.name, worst=worst.candidate.name,
                       worst_finished=worst.ok)
    summary["solve"] = {}
    if solve_timeout and ok:
        wanted = ["given", choice.best.name, summary["best"], summary["worst"]]
        by_name = {r.candidate.name: r for r in choice.probes}
        for order in dict.fromkeys(wanted):
            probe = by_name[order]
            if not probe.ok:
                continue
            res = timed_solve(path, probe.candidate.perm, solve_timeout)
            summary["solve"][order] = res
            log(f"  solve {order:21s} {res['status'][:40]:8s} {res['seconds']:8.2f} s")
            rows.append({"system": name, "nvars": len(names), "stage": "solve", "order": order,
                         "permutation": " ".join(map(str, probe.candidate.perm)),
                         "status": res["status"], "seconds": f"{res['seconds']:.3f}",
                         "dimension": res.get("dimension"), "degree": res.get("degree"),
                         "real": res.get("real"),
                         "picked": int(probe.candidate == choice.best)})
    return rows, summary


def _t(x, timeout=None):
    if x is None:
        return f"> {timeout:g}" if timeout else "—"
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


def _solve_cell(res, timeout):
    if res is None:
        return "—"
    if res["status"] == "timeout":
        return f"> {timeout:g}"
    if res["status"].startswith("error"):
        return "**" + res["status"].split(":")[1].strip() + "**"
    if res["status"] != "ok":
        return "incomplete"
    return _t(res["seconds"])


def markdown(summaries, gb_timeout, solve_timeout, stamp) -> str:
    lines = [f"# Variable-order search ({stamp})", "", machine_description(), "",
             f"GB: F4 modulo the probe prime (65521 unless it divides a coefficient), one probe "
             f"per candidate order, serial, budget {gb_timeout:g} s each; the search's time is "
             f"the sum of its probes plus the choice.  Solve: exact multimodular solve (RUR + "
             f"certified real roots) under one order, without cross-check, killed after "
             f"{solve_timeout:g} s.  Spread = worst / best finished GB time "
             f"(`>` when the worst order ran out of budget).", "",
             "| system | vars | dim / degree | orders (finished) | GB given (s) | GB picked (s) "
             "[order] | GB best (s) [order] | GB worst (s) [order] | spread | search (s) | "
             "search / GB picked | solve given (s) | solve picked (s) | solve best-GB (s) | "
             "solve worst-GB (s) | search / solve picked |",
             "|" + "---|" * 16]
    for s in summaries:
        gb = s["gb"]
        if s.get("best") is None:
            lines.append(f"| {s['system']} | {s['nvars']} | — | {s['candidates']} (0) | "
                         f"> {gb_timeout:g} | — | — | — | — | {_t(s['search'])} |"
                         + " — |" * 6)
            continue
        best, worst, picked = gb[s["best"]], gb[s["worst"]], gb[s["picked"]]
        spread = (f"{worst / best:.2g}" if s["worst_finished"] and best > 0
                  else f"> {gb_timeout / best:.2g}" if best > 0 else "—")
        sol = s["solve"]
        picked_solve = sol.get(s["picked"])
        ratio = (f"{s['search'] / picked_solve['seconds']:.2g}"
                 if picked_solve and picked_solve["status"] == "ok" else "—")
        lines.append(
            f"| {s['system']} | {s['nvars']} | {s['dimension']} / {s['degree']} | "
            f"{s['candidates']} ({s['finished']}) | {_t(gb.get('given'), gb_timeout)} | "
            f"{_t(picked)} [{s['picked']}] | {_t(best)} [{s['best']}] | "
            f"{_t(worst if s['worst_finished'] else None, gb_timeout)} [{s['worst']}] | {spread} | "
            f"{_t(s['search'])} | {s['search'] / picked:.2g} | "
            f"{_solve_cell(sol.get('given'), solve_timeout)} | "
            f"{_solve_cell(picked_solve, solve_timeout)} | "
            f"{_solve_cell(sol.get(s['best']), solve_timeout)} | "
            f"{_solve_cell(sol.get(s['worst']), solve_timeout)} | {ratio} |")
    lines += ["", "Per-order GB times: see the CSV (stage `gb`, one line per candidate order)."]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--systems", help="comma-separated names (default: nn_* and katsura8)")
    ap.add_argument("--gb-timeout", type=float, default=20.0, help="budget per probe (s)")
    ap.add_argument("--solve-timeout", type=float, default=60.0, help="budget per exact solve (s)")
    ap.add_argument("--no-solve", action="store_true", help="only the mod-p probes")
    ap.add_argument("--repeat", type=int, default=2,
                    help="runs per finished order; the GB time is the least (default 2)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the random candidate orders")
    ap.add_argument("--out", default=str(RESULTS), help="results folder")
    args = ap.parse_args(argv)
    folder = systems_folder()
    names = args.systems.split(",") if args.systems else default_systems(folder)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    solve_timeout = 0.0 if args.no_solve else args.solve_timeout
    rows, summaries = [], []
    for name in names:
        print(f"{name}:", flush=True)
        r, s = bench_system(name, folder, args.gb_timeout, solve_timeout, args.seed,
                            max(1, args.repeat), lambda m: print(m, flush=True))
        rows += r
        summaries.append(s)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / f"orderings_{stamp}.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=FIELDS)
        w.writeheader()
        for row in rows:
            w.writerow({k: row.get(k, "") for k in FIELDS})
    md = markdown(summaries, args.gb_timeout, solve_timeout, stamp)
    (out / f"orderings_{stamp}.md").write_text(md, encoding="utf-8")
    print(md)
    print(f"wrote {out / f'orderings_{stamp}.csv'} and .md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
