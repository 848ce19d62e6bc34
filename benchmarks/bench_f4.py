#!/usr/bin/env python
"""The F4 issue's benchmark: grobnet vs msolve (and sympy, python-flint) on GB mod 65521.

    python benchmarks/bench_f4.py [--systems cyclic5,...] [--timeout S] [--slow-timeout S]

grobnet (``grobnet.groebner``), msolve (``-g 2 -t 1``), sympy and python-flint's
naive Buchberger on cyclic-5/6/7 and katsura-6..11 modulo 65521, one thread
each, every run in its own process (:mod:`harness`).  sympy and python-flint
only get the small systems, with ``--slow-timeout``.  Prints a table of times,
grobnet/msolve ratios, peak memory and whether msolve's leading monomials
match grobnet's, then the issue's target (ratio <= 3 on katsura-9, katsura-10
and cyclic-7, answers matching).  Exit status 2 when any answers disagree.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from checkout import use_checkout_build                          # noqa: E402

use_checkout_build()                  # this checkout's grobnet if built in place, else installed

import systems as systems_mod                        # noqa: E402
from engines import MODULUS, get_engine              # noqa: E402
from harness import check_agreement, run_one         # noqa: E402
from report import format_ratio, format_time, machine_description, write_csv  # noqa: E402

DEFAULT_SYSTEMS = ("cyclic5", "cyclic6", "cyclic7", "katsura6", "katsura7", "katsura8",
                   "katsura9", "katsura10", "katsura11")
TARGETS = ("katsura9", "katsura10", "cyclic7")
TARGET_RATIO = 3.0
RESULTS = Path(__file__).resolve().parent / "results"


def _mb(r):
    """Peak RSS in MB; for in-process runs also ``(+growth)`` over the worker's baseline."""
    if r is None or r.status != "ok" or r.rss_mb is None:
        return "—"
    if r.base_rss_mb is None:
        return f"{r.rss_mb:.0f}"
    return f"{r.rss_mb:.0f} (+{max(r.rss_mb - r.base_rss_mb, 0):.0f})"


def _match(ours, theirs):
    """Whether the two answers' leading monomials agree ("yes", "NO" or "—")."""
    if ours is None or theirs is None or ours.status != "ok" or theirs.status != "ok":
        return "—"
    return "yes" if ours.fingerprint.lead == theirs.fingerprint.lead else "**NO**"


def _msolve_f4(r):
    """msolve's own F4 timer (10 ms resolution) as ``(cell, seconds or None)``."""
    if r is None or r.status != "ok" or "f4_elapsed" not in r.stats:
        return "—", None
    t = r.stats["f4_elapsed"]
    return (f"{t:.2f}", t) if t > 0 else ("<0.01", None)


def table(by, names, engines, ref="grobnet", peer="msolve"):
    """Markdown table: times, grobnet/msolve ratios, peak memory, leading-monomial match, degree.

    ``msolve F4`` is msolve's own timer around its F4 run (``-v 1``), i.e. without
    process start-up and without printing the basis; the ratio against it is
    the stricter one.
    """
    head = (["system"] + [f"{e} (s)" for e in engines] + [f"{peer} F4 (s)", f"{ref}/{peer}",
                                                          f"{ref}/{peer} F4"]
            + [f"{e} (MB)" for e in (ref, peer)] + [f"LM match {peer}", "degree"])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for s in names:
        rs = by.get(s, {})
        ok = [r for r in rs.values() if r.status == "ok" and r.fingerprint is not None]
        degree = next((str(r.fingerprint.degree) for r in ok if r.fingerprint.degree is not None),
                      "—")
        f4_cell, f4 = _msolve_f4(rs.get(peer))
        ours = rs.get(ref)
        strict = (f"{ours.time / f4:.2g}" if f4 and ours is not None and ours.status == "ok"
                  else "—")
        cells = ([s] + [format_time(rs.get(e)) for e in engines]
                 + [f4_cell, format_ratio(ours, rs.get(peer)), strict]
                 + [_mb(ours), _mb(rs.get(peer))]
                 + [_match(ours, rs.get(peer)), degree])
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def target_lines(by, ref="grobnet", peer="msolve"):
    """One line per target system: ratio, and whether the target (<= 3, same answer) holds."""
    out = []
    for s in TARGETS:
        a, b = by.get(s, {}).get(ref), by.get(s, {}).get(peer)
        if a is None or b is None or a.status != "ok" or b.status != "ok":
            out.append(f"- {s}: not measured")
            continue
        ratio = a.time / b.time
        strict = (f", {a.time / b.stats['f4_elapsed']:.2f} against msolve's own F4 timer"
                  if b.stats.get("f4_elapsed") else "")
        same = a.fingerprint.lead == b.fingerprint.lead
        ok = ratio <= TARGET_RATIO and same
        out.append(f"- {s}: {ref}/{peer} = {ratio:.2f}{strict}, answers "
                   f"{'match' if same else 'DIFFER'}: {'PASS' if ok else 'FAIL'}")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--systems", default=",".join(DEFAULT_SYSTEMS))
    ap.add_argument("--engines", default="grobnet,msolve,sympy,flint")
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds per grobnet/msolve run")
    ap.add_argument("--slow-timeout", type=float, default=60.0,
                    help="seconds per sympy/flint run (small systems only)")
    ap.add_argument("--modulus", type=int, default=MODULUS)
    ap.add_argument("--out-dir", type=Path, default=RESULTS)
    args = ap.parse_args(argv)

    names = args.systems.split(",")
    chosen = systems_mod.select("all", names=names)
    engines = args.engines.split(",")
    runnable = []
    for e in engines:
        why = get_engine(e).unavailable("gb")
        if why:
            print(f"note: skipping {e}: {why}", file=sys.stderr)
        else:
            runnable.append(e)
    results = []
    for s in chosen:
        for e in runnable:
            eng = get_engine(e)
            if eng.slow and s.name not in systems_mod.SMALL:
                continue
            timeout = args.slow_timeout if eng.slow else args.timeout
            r = run_one(e, s, mode="gb", timeout=timeout, modulus=args.modulus)
            results.append(r)
            print(f"{s.name:>10} {e:>8}: {r.status:7} "
                  + (f"{r.time:.3f} s" if r.time is not None else r.error[:100]),
                  file=sys.stderr, flush=True)
    disagreements = check_agreement(results)
    by = {}
    for r in results:
        by.setdefault(r.system, {})[r.engine] = r

    md = "\n".join([
        f"# F4 benchmark: Groebner basis mod {args.modulus} (grevlex), one thread", "",
        f"Machine: {machine_description()}.", "",
        table(by, [s.name for s in chosen], runnable), "",
        "Target (issue: F4 engine): grobnet/msolve <= 3 with the same leading monomials:",
        *target_lines(by), ""])
    if disagreements:
        md += "\n## DISAGREEMENTS\n\n" + "\n".join(f"- {d}" for d in disagreements) + "\n"
    stem = time.strftime("%Y%m%d-%H%M%S", time.gmtime()) + "_f4"
    write_csv(results, args.out_dir / f"{stem}.csv")
    (args.out_dir / f"{stem}.md").write_text(md, encoding="utf-8")
    print(md)
    print(f"wrote {args.out_dir / stem}.csv and .md", file=sys.stderr)
    if disagreements:
        print("!" * 78 + "\n!! answers DISAGREE: " + "; ".join(map(str, disagreements))
              + "\n" + "!" * 78, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
