#!/usr/bin/env python
"""grobnet's benchmark suite: every engine on every system, each run isolated and checked.

    python benchmarks/run.py [--quick] [--suite classic|networks|all] [--timeout S]
                             [--engines a,b] [--mode gb|solve] [--systems n1,n2]

Each (engine, system) runs in its own process, one thread, with a per-run
timeout; wall time, peak RSS and a fingerprint of the answer are recorded.
Answers are compared across engines and any disagreement is printed loudly
and makes the exit status 2: a fast wrong answer must not pass as a win.

Writes ``benchmarks/results/<stamp>_<mode>_<suite>[_quick].{csv,md,png}``.
``--quick`` (a handful of small systems, short timeout) takes under three
minutes.  Engines that are not installed are skipped with a note.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from checkout import use_checkout_build                          # noqa: E402

use_checkout_build()                  # this checkout's grobnet if built in place, else installed

import systems as systems_mod                                  # noqa: E402
from engines import MODULUS, default_engines, get_engine      # noqa: E402
from harness import check_agreement, plan_runs, run_matrix    # noqa: E402
from report import markdown_report, plot_times, write_csv     # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
QUICK_TIMEOUT = 20.0
FULL_TIMEOUT = 600.0


class Progress:
    """A progress bar over the runs: tqdm when installed, else a plain counter on stderr."""

    def __init__(self, total: int):
        self.total, self.done = total, 0
        try:
            from tqdm import tqdm
            self.bar = tqdm(total=total, unit="run", file=sys.stderr, dynamic_ncols=True)
        except ImportError:
            self.bar = None

    def __call__(self, r) -> None:
        self.done += 1
        tag = f"{r.engine} {r.system}: {r.status}" + (f" {r.time:.3f}s" if r.time else "")
        if self.bar is not None:
            self.bar.set_postfix_str(tag, refresh=False)
            self.bar.update(1)
        else:
            print(f"[{self.done}/{self.total}] {tag}", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help=f"small systems only ({', '.join(systems_mod.QUICK)}), "
                         f"{QUICK_TIMEOUT:g} s timeout")
    ap.add_argument("--suite", choices=systems_mod.SUITES, default="all")
    ap.add_argument("--mode", choices=("gb", "solve"), default="gb",
                    help="gb: Groebner basis mod --modulus (grevlex); "
                         "solve: real solutions over Q")
    ap.add_argument("--timeout", type=float, default=None,
                    help=f"seconds per run (default {FULL_TIMEOUT:g}, "
                         f"{QUICK_TIMEOUT:g} with --quick)")
    ap.add_argument("--engines", default=None,
                    help="comma-separated (default: every engine with the mode; gb: "
                         f"{','.join(default_engines('gb'))}; solve: "
                         f"{','.join(default_engines('solve'))})")
    ap.add_argument("--systems", default=None, help="comma-separated system names (file stems)")
    ap.add_argument("--modulus", type=int, default=MODULUS)
    ap.add_argument("--all-sizes", action="store_true",
                    help="also give the naive engines (sympy, flint) the large systems")
    ap.add_argument("--out-dir", type=Path, default=RESULTS)
    ap.add_argument("--tag", default=None, help="file-name stem for the outputs")
    ap.add_argument("--no-plot", action="store_true")
    return ap.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    timeout = args.timeout or (QUICK_TIMEOUT if args.quick else FULL_TIMEOUT)
    engines = args.engines.split(",") if args.engines else default_engines(args.mode)
    for e in engines:
        get_engine(e)                                          # unknown name: clear error now
    names = args.systems.split(",") if args.systems else None
    with tempfile.TemporaryDirectory(prefix="bench-generated-") as work:
        return _run(args, timeout, engines, names, Path(work))


def _run(args, timeout, engines, names, work: Path) -> int:
    """The runs, reports and verdict of :func:`main`; ``work`` holds generated systems."""
    chosen = systems_mod.select(args.suite, quick=args.quick, names=names, workdir=work)
    if not chosen:
        print(f"no systems found for suite {args.suite!r} in {systems_mod.systems_dir()} "
              "(set GROBNET_SYSTEMS)", file=sys.stderr)
        return 1
    small = systems_mod.SMALL_QUICK if args.quick else systems_mod.SMALL
    runs, skipped = plan_runs(engines, chosen, args.mode, small=small, all_sizes=args.all_sizes)
    for e, why in skipped.items():
        print(f"note: skipping {e}: {why}", file=sys.stderr)
    print(f"{len(runs)} runs: {len(chosen)} systems x {len(engines) - len(skipped)} engines, "
          f"mode {args.mode}, timeout {timeout:g} s", file=sys.stderr)

    progress = Progress(len(runs))
    try:
        results = run_matrix(runs, args.mode, timeout, modulus=args.modulus, progress=progress)
    finally:
        progress.close()
    disagreements = check_agreement(results)

    stem = args.tag or (time.strftime("%Y%m%d-%H%M%S", time.gmtime())
                        + f"_{args.mode}_{args.suite}" + ("_quick" if args.quick else ""))
    ran = [e for e in engines if e not in skipped]
    title = (f"grobnet benchmarks: {args.mode} "
             + (f"mod {args.modulus}" if args.mode == "gb" else "over Q (real solutions)")
             + f", suite {args.suite}" + (" (quick)" if args.quick else ""))
    md = markdown_report(results, ran, title, skipped, disagreements,
                         extra=f"Per-run timeout {timeout:g} s. Times are the computation only "
                               "(see benchmarks/engines.py); ratios are grobnet time / peer time.")
    args.out_dir.mkdir(parents=True, exist_ok=True)
    csv_path = write_csv(results, args.out_dir / f"{stem}.csv")
    md_path = args.out_dir / f"{stem}.md"
    plot_note = None
    if not args.no_plot:
        plot_path = args.out_dir / f"{stem}.png"
        plot_note = plot_times(results, ran, plot_path, title=title)
        if plot_note is None:
            md += f"\n![time per system]({plot_path.name})\n"
    md_path.write_text(md, encoding="utf-8")

    print(md)
    print(f"wrote {csv_path}\nwrote {md_path}", file=sys.stderr)
    if plot_note:
        print(f"note: {plot_note}", file=sys.stderr)
    elif not args.no_plot:
        print(f"wrote {plot_path}", file=sys.stderr)
    if disagreements:
        bar = "!" * 78
        print(f"\n{bar}", file=sys.stderr)
        for d in disagreements:
            print(f"!! {d}", file=sys.stderr)
        print(bar, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
