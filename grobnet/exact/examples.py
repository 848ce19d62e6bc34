"""Classic benchmark ideals (katsura-n, cyclic-n) as python-flint polynomials over Q.

Small generators for tests, examples and benchmarks; their complex solution
counts are known (katsura-n: 2^n, cyclic-5: 70, cyclic-6: 156).
"""
from __future__ import annotations

import flint

__all__ = ["katsura", "cyclic", "ring"]


def ring(names, order: str = "degrevlex"):
    """An ``fmpq_mpoly_ctx`` on ``names`` (variable 0 largest) and its generators."""
    ctx = flint.fmpq_mpoly_ctx.get(tuple(names), order)
    return ctx, ctx.gens()


def katsura(n: int):
    """Katsura-n in variables ``u0..un``: ``(ctx, [n+1 polynomials])``, 2^n solutions."""
    ctx, u = ring([f"u{i}" for i in range(n + 1)])

    def U(i):
        i = abs(i)
        return u[i] if i <= n else ctx.from_dict({})

    polys = [sum((U(i) for i in range(-n, n + 1)), ctx.from_dict({})) - 1]
    for m in range(n):
        polys.append(sum((U(i) * U(m - i) for i in range(-n, n + 1)), ctx.from_dict({})) - U(m))
    return ctx, polys


def cyclic(n: int):
    """Cyclic-n in variables ``x0..x(n-1)``: ``(ctx, [n polynomials])``."""
    ctx, x = ring([f"x{i}" for i in range(n)])
    zero = ctx.from_dict({})
    polys = []
    for k in range(1, n):
        s = zero
        for i in range(n):
            term = ctx.from_dict({(0,) * n: 1})
            for j in range(k):
                term = term * x[(i + j) % n]
            s = s + term
        polys.append(s)
    prod = ctx.from_dict({(0,) * n: 1})
    for i in range(n):
        prod = prod * x[i]
    polys.append(prod - 1)
    return ctx, polys
