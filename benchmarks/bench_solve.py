#!/usr/bin/env python
"""Real solving over Q: grobnet against msolve, one thread each, with issue 5's targets.

    python benchmarks/bench_solve.py [--timeout S] [--systems a,b] [--tag STEM]

Runs the benchmark harness (``run.py --mode solve``: every run in its own
process, one thread, wall time of the computation, answers fingerprinted and
compared) on katsura-6..9, cyclic-5/6, the ``nn_*`` systems and the seed's XOR net
with generalized L2 (``gen_seed_xor_2221_gl2``, degree 641: issue 7), then prints the
grobnet/msolve time ratio per system and whether each target holds:
<= 3x msolve on katsura-8 and cyclic-6, faster than msolve on
``nn_121_sq_bias_gl2`` and ``nn_121_sq_bias_l2``, identical real-solution counts.
Ratios come from one run of both solvers on the same machine (machines are noisy).

The cost of the verification (issue 16: the RUR substituted into every equation over Q,
every box checked against the input), measured two ways in the same run: the share of
grobnet's own time its statistics attribute to it (``verification_time`` +
``check_time``: exact, same process), and grobnet against ``grobnet-noverify`` (the same
solve with the verification switched off, another process: noisy).  Target: at most 10%
on the suite.  The machine load (``uptime``) before and after is written next to the
numbers.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import run as run_mod                                                # noqa: E402

SYSTEMS = ["katsura6", "katsura7", "katsura8", "katsura9", "cyclic5", "cyclic6",
           "nn_121_sq_bias_l2", "nn_121_sq_bias_gl2", "nn_131_sq_bias_gl2",
           "nn_xor_221_sq_bias_gl2", "gen_seed_xor_2221_gl2"]
#: system -> largest admissible grobnet/msolve time ratio
TARGETS = {"katsura8": 3.0, "cyclic6": 3.0, "nn_121_sq_bias_gl2": 1.0, "nn_121_sq_bias_l2": 1.0}
#: largest admissible share of grobnet's time spent verifying (issue 16)
VERIFY_TARGET = 0.10


def targets_table(csv_path: Path) -> str:
    """Markdown: per system the two times, their ratio, the counts and the target verdict."""
    rows = {}
    with open(csv_path, newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            rows.setdefault(r["system"], {})[r["engine"]] = r
    out = ["| system | grobnet s | msolve s | ratio | real solutions (grobnet / msolve) | target |",
           "|---|---|---|---|---|---|"]
    for name in SYSTEMS:
        if name not in rows:
            continue
        g, m = rows[name].get("grobnet", {}), rows[name].get("msolve", {})
        tg, tm = _time(g), _time(m)
        ratio = f"{tg / tm:.2f}" if tg and tm else "-"
        counts = f"{_count(g)} / {_count(m)}"
        target = TARGETS.get(name)
        if target is None:
            verdict = ""
        elif tg and tm:
            same = _count(g) == _count(m)
            verdict = ("met" if tg / tm <= target and same else "MISSED") + f" (<= {target:g}x)"
        else:
            verdict = f"MISSED (no time: grobnet {g.get('status', '-')}, msolve {m.get('status', '-')})"
        out.append(f"| {name} | {_fmt(tg, g)} | {_fmt(tm, m)} | {ratio} | {counts} | {verdict} |")
    return "\n".join(out)


def _verification_seconds(r):
    """Seconds grobnet's own statistics attribute to the verification, or ``None``."""
    if not r.get("stats"):
        return None
    stats = json.loads(r["stats"])
    return float(stats.get("verification_time") or 0.0) + float(stats.get("check_time") or 0.0)


def verification_table(csv_path: Path) -> str:
    """Markdown: per system grobnet's time, its verification share (own statistics), the
    time without verification and the difference, and the suite's totals."""
    rows = {}
    with open(csv_path, newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            rows.setdefault(r["system"], {})[r["engine"]] = r
    out = ["| system | grobnet s | of which verification s (share) | without verification s "
           "| difference | grobnet/msolve |", "|---|---|---|---|---|---|"]
    total = verified = with_t = without_t = 0.0
    for name in SYSTEMS:
        if name not in rows:
            continue
        g, n, m = (rows[name].get(e, {}) for e in ("grobnet", "grobnet-noverify", "msolve"))
        tg, tn, tm = _time(g), _time(n), _time(m)
        v = _verification_seconds(g) if tg else None
        share = f"{v:.3f} ({100 * v / tg:.1f}%)" if v is not None else "-"
        diff = f"{100 * (tg - tn) / tn:+.1f}%" if tg and tn else "-"
        ratio = f"{tg / tm:.2f}" if tg and tm else "-"
        out.append(f"| {name} | {_fmt(tg, g)} | {share} | {_fmt(tn, n)} | {diff} | {ratio} |")
        if tg and v is not None:
            total += tg
            verified += v
        if tg and tn:
            with_t += tg
            without_t += tn
    if total:
        verdict = "met" if verified / total <= VERIFY_TARGET else "MISSED"
        out.append(f"| **suite** | {total:.2f} | {verified:.3f} ({100 * verified / total:.1f}%: "
                   f"{verdict}, <= {100 * VERIFY_TARGET:g}%) | {without_t:.2f} | "
                   + (f"{100 * (with_t - without_t) / without_t:+.1f}%" if without_t else "-")
                   + " | |")
    return "\n".join(out)


def _uptime() -> str:
    try:
        with open("/proc/loadavg", encoding="utf-8") as fh:
            return "load average " + " ".join(fh.read().split()[:3])
    except OSError:
        return "load average unknown"


def _time(r):
    return float(r["time_s"]) if r.get("status") == "ok" and r.get("time_s") else None


def _fmt(t, r):
    return f"{t:.2f}" if t else r.get("status", "-")


def _count(r):
    return r.get("n_real", "-") or "-"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--timeout", type=float, default=600.0)
    ap.add_argument("--systems", default=",".join(SYSTEMS))
    ap.add_argument("--tag", default=None)
    args = ap.parse_args(argv)
    tag = args.tag or ("solve_" + __import__("time").strftime("%Y%m%d-%H%M%S"))
    load_before = _uptime()
    code = run_mod.main(["--mode", "solve", "--engines", "grobnet,grobnet-noverify,msolve",
                         "--systems", args.systems, "--timeout", str(args.timeout),
                         "--tag", tag])
    load_after = _uptime()
    csv_path = run_mod.RESULTS / f"{tag}.csv"
    if csv_path.exists():
        table = targets_table(csv_path)
        verify = verification_table(csv_path)
        text = ("\n## Targets (issue 5)\n\n" + table
                + "\n\n## Cost of the verification (issue 16)\n\n" + verify
                + f"\n\nMachine: {load_before} before the runs, {load_after} after.\n")
        print(text)
        with open(run_mod.RESULTS / f"{tag}.md", "a", encoding="utf-8") as fh:
            fh.write(text)
    return code


if __name__ == "__main__":
    sys.exit(main())
