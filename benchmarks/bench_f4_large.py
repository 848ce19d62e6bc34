#!/usr/bin/env python
"""F4 mod p on the large systems, grobnet threads=1/2 vs msolve -t 1/-t 2 (issue #17).

    python benchmarks/bench_f4_large.py [--systems nn_131_sq_bias_gl2,...] [--threads 1,2]
                                        [--prime 65521] [--timeout S] [--probe]

Every run is its own process, one after the other, with its address space capped
(``--max-memory-gb``, default 8).  grobnet: ``grobnet.engine.modp.f4`` on the
engine arrays (conversion not timed), wall and CPU seconds of the call; msolve:
``msolve -g 2 -t T`` on the same file with the same characteristic, wall time of
the program and CPU time of the child (``getrusage``).  Both answers' leading
monomials are compared (a mismatch is printed as **NO**).  The 1-minute load
average is recorded before each run: on a shared machine the ratios of adjacent
runs are the meaningful numbers, not the seconds.

``--probe`` adds, per system, the dimension probe's second prime both ways at one
thread: a fresh F4 at a second prime vs the replay of the first prime's trace plus
the randomized Groebner-basis check (``grobnet.engine.tracing``'s ``"checked"``).

Writes ``benchmarks/results/<stamp>_f4_large.{csv,md}``.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from checkout import use_checkout_build                          # noqa: E402

use_checkout_build()                  # this checkout's grobnet if built in place, else installed

DEFAULT_SYSTEMS = ("nn_131_sq_bias_gl2", "nn_xor_221_sq_bias_gl2", "katsura11")
RESULTS = HERE / "results"
P2 = 2147483587          # the probe's "second prime" (31 bits, as the probe draws)
P1 = 2147483629          # its "first prime" (the learned trace)


def _limit(gb):
    def apply():
        lim = int(gb * 2 ** 30)
        resource.setrlimit(resource.RLIMIT_AS, (lim, lim))
    return apply


def _worker(args) -> None:
    """In a child process: one grobnet measurement, printed as JSON."""
    from grobnet.engine.convert import integer_input
    from grobnet.engine.modp import (check_groebner, f4, f4_apply, f4_learn,
                                     leading_monomials, modp_arrays)
    from grobnet.frontend.io import read_msolve

    names, ints = integer_input(read_msolve(str(HERE / "systems" / f"{args.system}.ms")))
    n = len(names)
    out = {}
    if args.what == "f4":
        raw = modp_arrays(ints, n, args.prime)
        w, c = time.perf_counter(), time.process_time()
        basis, stats = f4(raw, n, args.prime, threads=args.worker_threads, backend="engine")
        out.update(wall=time.perf_counter() - w, cpu=time.process_time() - c,
                   size=len(basis), lead=[list(map(int, m)) for m in leading_monomials(basis)],
                   linalg=stats.get("time_linalg"), symbolic=stats.get("time_symbolic"))
    else:                                                     # the probe's second prime
        _, _, trace = f4_learn(modp_arrays(ints, n, P1), n, P1)
        raw = modp_arrays(ints, n, P2)
        w, c = time.perf_counter(), time.process_time()
        plain, _ = f4(raw, n, P2, backend="engine")
        out.update(f4_wall=time.perf_counter() - w, f4_cpu=time.process_time() - c)
        w, c = time.perf_counter(), time.process_time()
        replayed, _ = f4_apply(trace, raw, P2)
        out.update(replay_wall=time.perf_counter() - w, replay_cpu=time.process_time() - c)
        w, c = time.perf_counter(), time.process_time()
        ok = check_groebner(replayed, raw, n, P2, seed=12345)
        out.update(check_wall=time.perf_counter() - w, check_cpu=time.process_time() - c,
                   ok=bool(ok), same=leading_monomials(plain) == leading_monomials(replayed))
    print("RESULT " + json.dumps(out), flush=True)


def _grobnet(system, threads, prime, what, timeout, mem):
    cmd = [sys.executable, __file__, "--worker", system, "--what", what, "--prime", str(prime),
           "--worker-threads", str(threads)]
    try:
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                             preexec_fn=_limit(mem))
    except subprocess.TimeoutExpired:
        return {"status": "timeout"}
    for line in run.stdout.splitlines():
        if line.startswith("RESULT "):
            return {"status": "ok", **json.loads(line[7:])}
    return {"status": f"failed ({run.returncode}): {run.stderr.strip()[-200:]}"}


def _msolve(system, threads, prime, timeout, mem):
    from engines import parse_msolve_gb, with_characteristic
    from grobnet._peers import msolve_command
    found = msolve_command()
    if found is None:
        return {"status": "msolve not installed"}
    path, env = found
    text = (HERE / "systems" / f"{system}.ms").read_text()
    variables = [v.strip() for v in text.splitlines()[0].split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-f4-large-") as tmp:
        src, dst = os.path.join(tmp, "in.ms"), os.path.join(tmp, "out.txt")
        Path(src).write_text(with_characteristic(text, prime))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        w = time.perf_counter()
        try:
            run = subprocess.run([path, "-g", "2", "-t", str(threads), "-f", src, "-o", dst],
                                 env=env, capture_output=True, text=True, timeout=timeout,
                                 preexec_fn=_limit(mem))
        except subprocess.TimeoutExpired:
            return {"status": "timeout"}
        wall = time.perf_counter() - w
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if run.returncode != 0:
            return {"status": f"failed ({run.returncode})"}
        lead = parse_msolve_gb(Path(dst).read_text(), variables)
    return {"status": "ok", "wall": wall,
            "cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
            "size": len(lead), "lead": sorted(list(map(int, m)) for m in lead)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--systems", default=",".join(DEFAULT_SYSTEMS))
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--prime", type=int, default=65521)
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--max-memory-gb", type=float, default=8.0)
    ap.add_argument("--probe", action="store_true")
    ap.add_argument("--worker")
    ap.add_argument("--what", default="f4")
    ap.add_argument("--worker-threads", type=int, default=1)
    args = ap.parse_args()
    if args.worker:
        args.system = args.worker
        _worker(args)
        return 0

    from report import machine_description
    stamp = time.strftime("%Y%m%d-%H%M%S")
    rows, probe_rows = [], []
    for system in args.systems.split(","):
        for t in (int(x) for x in args.threads.split(",")):
            load = os.getloadavg()[0]
            g = _grobnet(system, t, args.prime, "f4", args.timeout, args.max_memory_gb)
            load2 = os.getloadavg()[0]
            m = _msolve(system, t, args.prime, args.timeout, args.max_memory_gb)
            load3 = os.getloadavg()[0]
            same = ("—" if g["status"] != "ok" or m["status"] != "ok" else
                    "yes" if sorted(g["lead"]) == m["lead"] else "**NO**")
            ratio = g["wall"] / m["wall"] if g["status"] == m["status"] == "ok" else None
            row = {"system": system, "threads": t, "prime": args.prime,
                   "grobnet_wall": g.get("wall"), "grobnet_cpu": g.get("cpu"),
                   "msolve_wall": m.get("wall"), "msolve_cpu": m.get("cpu"),
                   "ratio_wall": ratio,
                   "ratio_cpu": (g["cpu"] / m["cpu"] if ratio is not None else None),
                   "basis": g.get("size"), "msolve_basis": m.get("size"), "same_lead": same,
                   "load_before": load, "load_mid": load2, "load_after": load3,
                   "grobnet_status": g["status"], "msolve_status": m["status"]}
            rows.append(row)
            print(json.dumps(row), flush=True)
        if args.probe:
            load = os.getloadavg()[0]
            r = _grobnet(system, 1, P2, "probe", args.timeout, args.max_memory_gb)
            r.update(system=system, load_before=load, load_after=os.getloadavg()[0])
            probe_rows.append(r)
            print(json.dumps(r), flush=True)

    RESULTS.mkdir(exist_ok=True)
    base = RESULTS / f"{stamp}_f4_large"
    with open(f"{base}.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)

    def f(x, d=2):
        return "—" if x is None else f"{x:.{d}f}"
    lines = [f"# F4 mod {args.prime}: grobnet vs msolve, {stamp}", "",
             f"Machine: {machine_description().replace('; every run on one thread', '')}", "",
             "| system | threads | grobnet wall s (CPU) | msolve wall s (CPU) | ratio wall | "
             "ratio CPU | basis | same LMs | load 1 min (before/mid/after) |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['system']} | {r['threads']} | {f(r['grobnet_wall'])} "
                     f"({f(r['grobnet_cpu'])}) | {f(r['msolve_wall'])} ({f(r['msolve_cpu'])}) | "
                     f"{f(r['ratio_wall'])} | {f(r['ratio_cpu'])} | {r['basis']} | "
                     f"{r['same_lead']} | {f(r['load_before'], 1)}/{f(r['load_mid'], 1)}/"
                     f"{f(r['load_after'], 1)} |")
        if r["grobnet_status"] != "ok" or r["msolve_status"] != "ok":
            lines.append(f"|  | status: grobnet {r['grobnet_status']}, msolve "
                         f"{r['msolve_status']} | | | | | | | |")
    if probe_rows:
        lines += ["", "Probe's second prime (one thread, 31-bit primes): fresh F4 vs trace "
                  "replay + randomized GB check", "",
                  "| system | F4 CPU s | replay CPU s | check CPU s | (replay+check)/F4 | "
                  "check passed | load |", "|---|---|---|---|---|---|---|"]
        for r in probe_rows:
            if r.get("status") != "ok":
                lines.append(f"| {r['system']} | {r.get('status')} | | | | | |")
                continue
            q = (r["replay_cpu"] + r["check_cpu"]) / r["f4_cpu"]
            lines.append(f"| {r['system']} | {f(r['f4_cpu'])} | {f(r['replay_cpu'])} | "
                         f"{f(r['check_cpu'])} | {f(q)} | {r['ok'] and r['same']} | "
                         f"{f(r['load_before'], 1)}/{f(r['load_after'], 1)} |")
    Path(f"{base}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"wrote {base}.csv and {base}.md")
    return 2 if any(r["same_lead"] == "**NO**" for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
