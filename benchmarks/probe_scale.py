"""Degree D of the ``scale`` family cases (issue 17): one F4 mod a 31-bit prime + Hilbert series.

    python benchmarks/probe_scale.py CASE_SUBSTRING [--timeout 600]
    python benchmarks/probe_scale.py deep --net 1,1,1,1 [--no-bias] [--data five]

Prints one JSON line per case: nvars, F4 seconds (wall and CPU: on a loaded machine CPU
is the comparable one), rounds, largest matrix, peak RSS, dimension,
degree (or "timeout").  ``--threads`` (default 1) for the linear algebra; no trace, no second prime (D is not cross-checked here;
grobnet.solve's probe does that with two primes).
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from checkout import use_checkout_build  # noqa: E402

use_checkout_build()

import bench_networks as bn  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("only", help="a substring of the scale cases' names; with --net, a name")
    ap.add_argument("--net", help="another network instead: widths, e.g. 1,1,1,1 (z+z^2, "
                                  "generalized L2; --no-bias, --data)")
    ap.add_argument("--no-bias", action="store_true")
    ap.add_argument("--data", default="five", help="five, xor or random:M")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--prime", type=int, default=2147483629)
    ap.add_argument("--threads", type=int, default=1,
                    help="threads of the engine's linear algebra (the basis does not depend on it)")
    args = ap.parse_args()
    from grobnet.engine.convert import integer_input
    from grobnet.engine.modp import f4, leading_monomials, modp_arrays
    from grobnet.errors import TimeoutExceeded
    from grobnet.exact.hilbert import hilbert_series
    cases = bn.FAMILIES["scale"] if args.net is None else \
        [bn.Case(args.only, tuple(int(w) for w in args.net.split(",")), "z+z^2",
                 not args.no_bias, args.data)]
    for case in cases:
        if args.net is None and args.only not in case.name:
            continue
        _, _, system = case.build()
        names, polys = integer_input(system)
        n = len(names)
        raw = modp_arrays(polys, n, args.prime)
        rounds = []

        def prog(r, d, rows, cols):
            rounds.append((r, d, rows, cols, round(time.perf_counter() - t0, 1)))
            print("round", *rounds[-1], "rss_mb",
                  round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                  file=sys.stderr, flush=True)
        t0, c0 = time.perf_counter(), time.process_time()
        rec = {"case": case.name, "threads": args.threads, "nvars": n, "max_deg": max(sum(m) for f in polys for m in f)}
        try:
            basis, stats = f4(raw, n, args.prime, timeout=args.timeout, progress=prog,
                               threads=args.threads)
            rec["f4_s"] = round(time.perf_counter() - t0, 2)
            rec["f4_cpu_s"] = round(time.process_time() - c0, 2)
            hs = hilbert_series(leading_monomials(basis), n)
            rec.update(dimension=int(hs.dimension), degree=int(hs.degree), basis_len=len(basis))
        except TimeoutExceeded:
            rec["f4_s"] = f"timeout>{args.timeout:g}"
            rec["f4_cpu_s"] = round(time.process_time() - c0, 2)
        rec["rounds"] = len(rounds)
        big = max(rounds, key=lambda x: x[2] * x[3], default=None)
        rec["largest_matrix"] = big
        rec["last_round"] = rounds[-1] if rounds else None
        rec["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        print(json.dumps(rec, default=int), flush=True)


if __name__ == "__main__":
    main()
