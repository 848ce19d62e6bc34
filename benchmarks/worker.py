"""Child-process entry point: run ONE engine on ONE system and write the outcome as JSON.

The harness (:mod:`harness`) starts this script once per (engine, system) in a
fresh process, so that a crash, a leak or a runaway computation in one engine
cannot affect the next run, and so that peak memory is per run.  Usage::

    python benchmarks/worker.py --engine msolve --mode gb --system cyclic5.ms \\
        --suite classic --modulus 65521 --out result.json

The JSON holds ``status`` ("ok", "timeout" or "error"), ``time`` (seconds of the
computation), ``rss_kb`` (peak RSS of the computing process), ``base_rss_kb``
(the worker's peak before the computation, for in-process engines),
``fingerprint``, ``stats``, ``note`` and ``error``.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import traceback
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from checkout import use_checkout_build          # noqa: E402

use_checkout_build()                             # the same grobnet as the harness's scripts

from engines import MODULUS, ExternalTimeout, get_engine   # noqa: E402
from systems import BenchSystem                  # noqa: E402


def run(engine_name: str, mode: str, system: BenchSystem, modulus: int, timeout) -> dict:
    """Outcome of one run as a JSON-ready dict (errors are caught and reported, not raised)."""
    engine = get_engine(engine_name)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        outcome = engine.run(mode, system, modulus=modulus, timeout=timeout)
    except ExternalTimeout as exc:               # the solver's own budget ran out first
        return {"status": "timeout", "error": str(exc)}
    except Exception as exc:                     # any engine failure is a result, not a crash
        return {"status": "error", "error": f"{type(exc).__name__}: {exc}",
                "traceback": traceback.format_exc(limit=5)}
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    in_process = outcome.rss_kb is None
    return {"status": "ok", "time": outcome.time,
            "rss_kb": own if in_process else outcome.rss_kb,
            "base_rss_kb": base if in_process else None,
            "fingerprint": outcome.fingerprint.to_json(), "stats": outcome.stats,
            "note": outcome.note or outcome.fingerprint.note}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engine", required=True)
    ap.add_argument("--mode", choices=("gb", "solve"), default="gb")
    ap.add_argument("--system", required=True, type=Path)
    ap.add_argument("--suite", default="classic")
    ap.add_argument("--modulus", type=int, default=MODULUS)
    ap.add_argument("--timeout", type=float, default=None)
    ap.add_argument("--out", required=True, type=Path)
    args = ap.parse_args(argv)
    system = BenchSystem(args.system.stem, args.system, args.suite)
    result = run(args.engine, args.mode, system, args.modulus, args.timeout)
    tmp = args.out.with_suffix(args.out.suffix + ".part")
    tmp.write_text(json.dumps(result), encoding="utf-8")
    os.replace(tmp, args.out)                    # the harness never reads a half-written file
    return 0


if __name__ == "__main__":
    sys.exit(main())
