"""Developer benchmark of the F4 core against msolve (not a test).

    python benchmarks/dev_f4_core.py [-r REPEATS] [-p PRIME] [system ...]

For each system of ``benchmarks/systems`` (default: katsura-9, katsura-10, cyclic-7)
it times ``grobnet.engine._core.f4`` (grevlex) and ``msolve -g 2 -t 1`` on the same
input reduced mod the prime, alternating the two so both see the same machine load,
and prints the median times, their ratio, and whether both reduced bases agree
(leading monomials, and the whole bases).  msolve's time includes its process start
and file I/O (a few ms).
"""
import argparse
import os
import re
import statistics
import subprocess
import tempfile
import time

import numpy as np
import sympy

from grobnet._peers import msolve_command
from grobnet.engine import _core

HERE = os.path.dirname(os.path.abspath(__file__))
SYSTEMS = os.environ.get("GROBNET_SYSTEMS") or os.path.join(HERE, "systems")


def read_ms(path, p):
    lines = [ln.strip() for ln in open(path) if ln.strip()]
    names = [v.strip() for v in lines[0].split(",")]
    gens = sympy.symbols(names)
    polys = []
    for s in "".join(lines[2:]).replace("^", "**").split(","):
        if s.strip():
            f = sympy.Poly(sympy.sympify(s, locals=dict(zip(names, gens))), *gens)
            terms = f.terms()
            e = np.array([m for m, c in terms], dtype=np.int32).reshape(len(terms), len(names))
            c = np.array([int(c) % p for m, c in terms], dtype=np.uint32)
            polys.append((e, c))
    return names, polys


def msolve_basis(path, names, p, tmp):
    exe, env = msolve_command()
    lines = open(path).read().splitlines()
    lines[1] = str(p)
    src, dst = os.path.join(tmp, "in.ms"), os.path.join(tmp, "out")
    with open(src, "w") as fh:
        fh.write("\n".join(lines) + "\n")
    t = time.perf_counter()
    subprocess.run([exe, "-g", "2", "-t", "1", "-f", src, "-o", dst], env=env, check=True,
                   capture_output=True)
    dt = time.perf_counter() - t
    out = open(dst).read()
    index = {v: i for i, v in enumerate(names)}
    basis = []
    for ps in out[out.index("[") + 1:out.rindex("]")].split(","):
        terms = []
        for c, mon in re.findall(r"([+-]?\d+)((?:\*\w+\^\d+)*)", ps.strip()):
            e = [0] * len(names)
            for v, d in re.findall(r"\*(\w+)\^(\d+)", mon):
                e[index[v]] += int(d)
            terms.append((tuple(e), int(c) % p))
        basis.append(terms)
    return dt, basis


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("systems", nargs="*", default=["katsura9", "katsura10", "cyclic7"])
    ap.add_argument("-r", "--repeats", type=int, default=3)
    ap.add_argument("-p", "--prime", type=int, default=65521)
    args = ap.parse_args()
    have_msolve = msolve_command() is not None
    print(f"{'system':<12}{'grobnet s':>11}{'msolve s':>10}{'ratio':>7}  same LM  same basis  stats")
    for name in args.systems:
        path = os.path.join(SYSTEMS, name if name.endswith(".ms") else name + ".ms")
        names, polys = read_ms(path, args.prime)
        ours, theirs = [], []
        with tempfile.TemporaryDirectory() as tmp:
            for _ in range(args.repeats):
                t = time.perf_counter()
                basis, stats = _core.f4(polys, len(names), args.prime)
                ours.append(time.perf_counter() - t)
                if have_msolve:
                    dt, mb = msolve_basis(path, names, args.prime, tmp)
                    theirs.append(dt)
        mine = [[(tuple(int(x) for x in e[i]), int(c[i])) for i in range(len(c))] for e, c in basis]
        to, tm = statistics.median(ours), statistics.median(theirs) if theirs else float("nan")
        same_lm = have_msolve and [q[0][0] for q in mine] == [q[0][0] for q in mb]
        same = have_msolve and mine == mb
        brief = {k: stats[k] for k in ("rounds", "max_rows", "max_cols", "basis_size")}
        brief.update({k: round(stats[k], 3) for k in ("time_symbolic", "time_linalg", "time_update")})
        print(f"{name:<12}{to:>11.3f}{tm:>10.3f}{to / tm:>7.2f}  {str(same_lm):<8} {str(same):<11} {brief}")


if __name__ == "__main__":
    main()
