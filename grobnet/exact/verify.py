"""Exact verification over Q that a rational univariate representation lists solutions.

A RUR ``x_i = num_i(t) / den(t)`` at the roots of ``elim(t)`` (:mod:`grobnet.exact.rur_lift`)
is lifted from images modulo primes, so it is only probably right.  This module proves,
in exact integer arithmetic, that it describes ``deg elim`` distinct solutions of the
input:

1. ``elim`` is square-free (``gcd(elim, elim') = 1``): ``deg elim`` distinct roots;
2. ``den`` has no common root with ``elim``: the parametrization is defined at each root;
3. ``sum_i c_i num_i(t) = t den(t) mod elim`` (``t = sum c_i x_i``): distinct roots give
   distinct points (the point determines ``t``);
4. every input equation vanishes: for ``f`` of degree ``d``,
   ``A_f(t) = den^d f(num_1/den, ..., num_n/den)`` is divisible by ``elim``.  When ``t`` is
   one of the variables (``t = x_k``; (3) proves ``x_k = t`` at every root), ``x_k`` is
   replaced by ``t`` itself in every equation that has it and ``d`` is the degree in the
   other variables (a univariate equation ``f(x) = 0`` becomes the division of ``f(t)``
   by ``elim``): ``t`` is tiny where ``num_k`` has the parametrization's large
   coefficients (degree-105 [2,1,1] net: 160 -> 147 products, about 20% less time).

Cost.  Reducing products modulo ``elim`` over Q makes the coefficients explode (each step
divides by the leading coefficient of ``elim``: katsura-8 took 34x its solve time that
way).  Instead, with ``E`` the primitive integer ``elim`` and ``P_i``, ``Q`` the
parametrization over a common denominator (integer polynomials), ``A_f`` is computed
*without* reduction -- a sum of products of powers of the ``P_i`` and ``Q``, shared
between monomials and equations (powers by repeated squaring, products by the prefix of
the monomial) -- and divided once by ``E`` in ``Z[t]``: ``E`` is primitive, so by Gauss's
lemma ``E`` divides ``A_f`` over Q iff the remainder over Z is zero.  katsura-8 (degree
256, 1900-bit coefficients): 0.1 s for a 3 s solve.  Only a product whose degree passes
:data:`REDUCE_FACTOR` times ``deg E`` (equations of high degree: ``x^200 - ...``) is reduced
modulo ``E`` over Q, so that no intermediate polynomial grows without bound.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from math import lcm

import flint

from grobnet.errors import TimeoutExceeded

__all__ = ["RURVerification", "verify_rur", "REDUCE_FACTOR"]

#: Products of degree beyond ``REDUCE_FACTOR * deg E`` are reduced modulo ``E`` (over Q).
REDUCE_FACTOR = 8


@dataclass
class RURVerification:
    """Outcome of :func:`verify_rur`: ``ok`` (all checks passed), ``reason`` (the first
    failed check), ``solutions`` (distinct solutions proven), ``seconds``."""

    ok: bool
    reason: str = ""
    solutions: int = 0
    seconds: float = 0.0
    stats: dict = field(default_factory=dict)


def _integer_parametrization(den, numerators):
    """``(Q, [P_i])``: ``den`` and the numerators scaled by one common denominator."""
    polys = [flint.fmpq_poly(den), *(flint.fmpq_poly(g) for g in numerators)]
    common = 1
    for g in polys:
        common = lcm(common, int(g.denom()))
    ints = [flint.fmpz_poly([int(c * common) for c in g.coeffs()]) for g in polys]
    return ints[0], ints[1:]


def _primitive(f) -> flint.fmpz_poly:
    E = flint.fmpq_poly(f).numer()
    c = E.content()
    return E // c if c != 1 else E


def verify_rur(elim, denominator, numerators, linear_form, int_polys, *,
               deadline: float | None = None, timeout=None) -> RURVerification:
    """Prove that the parametrization gives ``deg elim`` distinct solutions of every
    polynomial of ``int_polys`` (``{exponent tuple: int}``); see the module docstring.

    ``elim``, ``denominator``, ``numerators``: ``fmpq_poly``; ``linear_form``: the integer
    coefficients of ``t``.  ``deadline`` (``time.monotonic()``): raises
    :class:`~grobnet.errors.TimeoutExceeded` (naming ``timeout``) when it passes between
    two equations.
    """
    t0 = time.perf_counter()

    def done(ok, reason="", count=0):
        return RURVerification(ok, reason, count, time.perf_counter() - t0, stats)

    stats: dict = {}
    E = _primitive(elim)
    D = E.degree()
    if D < 1:
        return done(False, f"the eliminating polynomial has degree {D}")
    if E.gcd(E.derivative()).degree() > 0:
        return done(False, "the eliminating polynomial is not square-free")
    Q, P = _integer_parametrization(denominator, numerators)
    if len(P) != len(linear_form):
        return done(False, f"{len(P)} numerators for a form in {len(linear_form)} variables")
    if E.gcd(Q).degree() > 0:
        return done(False, "the denominator vanishes at a root of the eliminating polynomial")
    t = flint.fmpz_poly([0, 1])
    form = sum((int(c) * g for c, g in zip(linear_form, P) if c), flint.fmpz_poly(0)) - t * Q
    if not (form % E).is_zero():
        return done(False, "the linear form does not evaluate to t (points not separated)")
    n = len(P)
    factors = [*P, Q]                          # index n is the denominator
    Eq = flint.fmpq_poly(E)
    limit = REDUCE_FACTOR * D
    count = [0]
    unit = [i for i, c in enumerate(linear_form) if c]
    direct = unit[0] if len(unit) == 1 and int(linear_form[unit[0]]) == 1 else None
    if direct is not None:
        factors.append(t)                      # x_k = t at every root, by check 3

    def mul(a, b):
        count[0] += 1
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutExceeded(f"timeout={timeout} s reached during the verification "
                                  "over Q")
        r = a * b
        return r % Eq if r.degree() > limit else r

    powers: dict = {}

    def power(i, e):
        r = powers.get((i, e))
        if r is None:
            if i == n + 1:
                r = power_of_t(e)
            elif e == 1:
                r = factors[i]
            else:
                half = power(i, e // 2)
                r = mul(half, half)
                if e % 2:
                    r = mul(r, factors[i])
            powers[(i, e)] = r
        return r

    memo = {(): flint.fmpz_poly([1])}

    def product(key):
        r = memo.get(key)
        if r is None:
            r = power(*key[0]) if len(key) == 1 else mul(product(key[:-1]), power(*key[-1]))
            memo[key] = r
        return r

    def power_of_t(e):
        return flint.fmpz_poly([0] * e + [1])

    for j, f in enumerate(int_polys):
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutExceeded(f"timeout={timeout} s reached during the verification over Q "
                                  f"({j} of {len(int_polys)} equations checked)")
        if not f:
            continue
        # x_k = t directly wherever f has it (fewer, smaller products); the degree
        # homogenized by den then leaves x_k out
        k = direct if direct is not None and max(m[direct] for m in f) > 0 else None

        def degree(m):
            return sum(e for i, e in enumerate(m) if i != k)

        d = max(degree(m) for m in f)
        A = flint.fmpz_poly(0)
        for m, c in f.items():
            key = tuple((n + 1 if i == k else i, e) for i, e in enumerate(m) if e)
            if d > degree(m):
                key += ((n, d - degree(m)),)
            A = A + int(c) * product(tuple(sorted(key)))
        rem = A % (Eq if isinstance(A, flint.fmpq_poly) else E)
        if not rem.is_zero():
            return done(False, f"equation {j} does not vanish on the parametrization")
    stats["products"] = count[0]
    return done(True, "", D)
