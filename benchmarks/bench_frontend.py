"""Time the frontend: network -> gradient system, python-flint vs a sympy construction.

For each case the same system is built twice in this run:

* **grobnet**: ``gradient_system`` (python-flint arithmetic, Gram-matrix loss, flint
  ``derivative``);
* **sympy expand**: the textbook construction — sympy expressions for the network, the
  loss ``(1/m) Σ (f(xᵢ) − yᵢ)²`` expanded point by point with ``sympy.expand``, then
  ``sympy.diff`` for each parameter and ``Poly`` conversion;
* **sympy ring**: the same point-by-point construction with sympy's sparse polynomials
  (``sympy.polys.rings.ring`` over QQ, ``PolyElement.diff``) — sympy's fastest route.

The sympy construction runs in a child process limited to ``--sympy-budget`` seconds.
When it finishes, the two systems are compared term by term (``same`` column).  When
it does not, its time is *extrapolated* linearly from the points it expanded within the
budget (marked ``est``; a lower bound, since the final differentiation is not counted),
or, if not even one point was expanded, reported as the budget itself (marked ``>``, a
lower bound).  Ratios are sympy time / grobnet time.

Usage::

    python benchmarks/bench_frontend.py              # all cases, sympy budget 60 s
    python benchmarks/bench_frontend.py --quick      # small cases only
    python benchmarks/bench_frontend.py --json out.json
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from fractions import Fraction

import sympy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from checkout import use_checkout_build  # noqa: E402

use_checkout_build()                     # this checkout's grobnet if built in place

from grobnet.frontend import (L2, Dataset, GeneralizedL2, Network, gradient_system,  # noqa: E402
                              random_dataset, xor)


def _sympy_ring_worker(net, data, lams, conn):
    """Child process: the same construction with sympy's sparse polynomials (``ring``)."""
    from sympy.polys.orderings import grevlex
    from sympy.polys.rings import ring
    t0 = time.perf_counter()
    R, *gens = ring(",".join(net.parameters), sympy.QQ, grevlex)
    S = dict(zip(net.parameters, gens))
    coeffs = [sympy.QQ(int(c.p), int(c.q)) for c in net.activation.coefficients]

    def act(v):
        acc = R(coeffs[-1])
        for c in reversed(coeffs[:-1]):
            acc = acc * v + c
        return acc

    total = R(0)
    for k, (x, y) in enumerate(zip(data.inputs, data.targets), start=1):
        h = [sympy.QQ(int(v.p), int(v.q)) for v in x]
        for l in range(1, net.n_layers + 1):
            zs = []
            for j in range(net.widths[l]):
                zj = R(0)
                for i in range(net.widths[l - 1]):
                    zj += S[f"w{l}_{j}_{i}"] * h[i]
                if net.bias:
                    zj += S[f"b{l}_{j}"]
                zs.append(zj)
            h = [act(v) for v in zs] if l < net.n_layers else zs
        for hk, yk in zip(h, y):
            r = hk - sympy.QQ(int(yk.p), int(yk.q))
            total += r * r
        conn.send(("point", k, time.perf_counter() - t0))
    L = total * sympy.QQ(1, data.m)
    if lams is not None:
        for lam, g in zip(lams, gens):
            L += g * g * sympy.QQ(int(lam.p), int(lam.q))
    eqs = [L.diff(g) for g in gens]
    elapsed = time.perf_counter() - t0
    dicts = [{m: (int(c.numerator), int(c.denominator)) for m, c in p.items()} for p in eqs]
    conn.send(("done", elapsed, dicts))


def _sympy_worker(net, data, lams, conn):
    """Child process: build the system with sympy expressions, reporting progress."""
    t0 = time.perf_counter()
    syms = sympy.symbols(net.parameters)
    S = dict(zip(net.parameters, syms))
    z = sympy.Symbol("z")
    act = net.activation.to_sympy(z)
    total = sympy.Integer(0)
    for k, (x, y) in enumerate(zip(data.inputs, data.targets), start=1):
        h = [sympy.Rational(int(v.p), int(v.q)) for v in x]
        for l in range(1, net.n_layers + 1):
            zs = []
            for j in range(net.widths[l]):
                zj = sum(S[f"w{l}_{j}_{i}"] * h[i] for i in range(net.widths[l - 1]))
                if net.bias:
                    zj += S[f"b{l}_{j}"]
                zs.append(zj)
            h = [act.subs(z, v) for v in zs] if l < net.n_layers else zs
        r = sum((hk - sympy.Rational(int(yk.p), int(yk.q))) ** 2 for hk, yk in zip(h, y))
        total += sympy.expand(r)
        conn.send(("point", k, time.perf_counter() - t0))
    L = total / data.m
    if lams is not None:
        L += sum(sympy.Rational(int(l.p), int(l.q)) * s ** 2 for l, s in zip(lams, syms))
    L = sympy.expand(L)
    eqs = [sympy.Poly(sympy.diff(L, s), *syms, domain=sympy.QQ) for s in syms]
    elapsed = time.perf_counter() - t0
    dicts = [{m: (int(c.numerator), int(c.denominator)) for m, c in p.as_dict().items()}
             for p in eqs]
    conn.send(("done", elapsed, dicts))


def sympy_gradient_system(net, data, lams, budget, worker=_sympy_worker):
    """Build the gradient system with sympy in a child process limited to ``budget`` seconds.

    Returns ``(dicts or None, seconds, kind)`` with kind ``"exact"`` (finished),
    ``"estimate"`` (extrapolated linearly from the points expanded in time; a lower
    bound, the final differentiation is not counted) or ``"timeout"`` (not even one point
    expanded: the seconds are the budget, a lower bound).
    """
    import multiprocessing as mp
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=worker, args=(net, data, lams, child), daemon=True)
    t0 = time.perf_counter()
    proc.start()
    child.close()
    last = None
    try:
        while True:
            remaining = budget - (time.perf_counter() - t0)
            if remaining <= 0 or not parent.poll(remaining):
                break
            try:
                msg = parent.recv()
            except EOFError:
                break
            if msg[0] == "done":
                proc.join()
                return msg[2], msg[1], "exact"
            last = msg
    finally:
        if proc.is_alive():
            proc.terminate()
            proc.join()
    if last is None:
        return None, budget, "timeout"
    _, k, elapsed = last
    return None, elapsed * data.m / k, "estimate"


CASES = [
    # name, widths, activation, bias, data factory, regularization
    ("seed xor [2,2,2,1] linear", [2, 2, 2, 1], "identity", False, xor, None),
    ("[1,2,1] z+z^2 bias 5pts L2", [1, 2, 1], "z+z^2", True,
     lambda: Dataset([[-1], [Fraction(-1, 2)], [0], [Fraction(1, 2)], [1]],
                     [[1], [0], [Fraction(-1, 3)], [0], [1]]), L2(Fraction(1, 10))),
    ("xor [2,2,1] z+z^2 bias gen-L2", [2, 2, 1], "z+z^2", True, xor, GeneralizedL2(seed=3)),
    ("[2,3,1] z+z^2 bias 20pts gen-L2", [2, 3, 1], "z+z^2", True,
     lambda: random_dataset(20, 2, 1, seed=1), GeneralizedL2(seed=1)),
    ("[2,3,3,1] z+z^2 bias 100pts", [2, 3, 3, 1], "z+z^2", True,
     lambda: random_dataset(100, 2, 1, seed=1), None),
    ("[2,4,4,1] z+z^2 bias 100pts", [2, 4, 4, 1], "z+z^2", True,
     lambda: random_dataset(100, 2, 1, seed=1), None),
]


def same_system(system, dicts):
    """Term-by-term equality of grobnet's equations and sympy's (as exponent -> (p, q))."""
    for f, d in zip(system.equations, dicts):
        mine = {tuple(int(e) for e in m): Fraction(int(c.p), int(c.q)) for m, c in f.terms()}
        theirs = {m: Fraction(p, q) for m, (p, q) in d.items()}
        if mine != theirs:
            return False
    return len(system.equations) == len(dicts)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="only the small cases")
    ap.add_argument("--sympy-budget", type=float, default=60.0,
                    help="seconds of sympy expansion per case before extrapolating (default 60)")
    ap.add_argument("--json", default=None, help="write the results to this file")
    args = ap.parse_args(argv)
    cases = CASES[:4] if args.quick else CASES
    rows = []
    print(f"{'case':34s} {'params':>6s} {'terms':>9s} {'grobnet s':>9s} "
          f"{'expand s':>11s} {'ratio':>7s} {'ring s':>11s} {'ratio':>7s}  same")
    marks = {"exact": "    ", "estimate": " est", "timeout": "   >"}
    for name, widths, act, bias, make_data, reg in cases:
        net = Network(widths, act, bias=bias)
        data = make_data()
        t = time.perf_counter()
        system = gradient_system(net, data, reg=reg)
        t_flint = time.perf_counter() - t
        lams = system.metadata["lambdas"]
        row = dict(case=name, parameters=net.n_parameters, terms=system.n_terms(),
                   loss_terms=len(system.loss), grobnet_seconds=round(t_flint, 4))
        same = []
        text = []
        for label, worker in (("expand", _sympy_worker), ("ring", _sympy_ring_worker)):
            dicts, t_sympy, kind = sympy_gradient_system(net, data, lams, args.sympy_budget,
                                                         worker)
            if kind == "exact":
                same.append(same_system(system, dicts))
            row.update({f"sympy_{label}_seconds": round(t_sympy, 3),
                        f"sympy_{label}_kind": kind,
                        f"ratio_{label}": round(t_sympy / t_flint, 1)})
            text.append(f"{t_sympy:7.2f}{marks[kind]} {t_sympy / t_flint:7.0f}")
        row["same"] = all(same) if same else None
        rows.append(row)
        print(f"{name:34s} {net.n_parameters:6d} {system.n_terms():9d} {t_flint:9.3f} "
              f"{' '.join(text)}  {'-' if row['same'] is None else row['same']}", flush=True)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(rows, fh, indent=1)
    return rows


if __name__ == "__main__":
    main()
