"""Verification over Q that a rational univariate representation lists solutions.

A RUR ``x_i = num_i(t) / den(t)`` at the roots of ``elim(t)`` (:mod:`grobnet.exact.rur_lift`)
is lifted from images modulo primes, so it is only probably right.  This module proves,
with integer arithmetic whose every step is exact, that it describes ``deg elim`` distinct
solutions of the input:

1. ``elim`` is square-free (``gcd(elim, elim') = 1``): ``deg elim`` distinct roots;
2. ``den`` has no common root with ``elim``: the parametrization is defined at each root;
3. ``sum_i c_i num_i(t) = t den(t) mod elim`` (``t = sum c_i x_i``): distinct roots give
   distinct points (the point determines ``t``);
4. every input equation vanishes: for ``f`` of degree ``d``,
   ``N_f(t) = den^d f(num_1/den, ..., num_n/den)`` is divisible by ``elim``.  When ``t`` is
   one of the variables (``t = x_k``; (3) proves ``x_k = t`` at every root), ``x_k`` is
   replaced by ``t`` itself in every equation that has it and ``d`` is the degree in the
   other variables (a univariate equation ``f(x) = 0`` becomes the division of ``f(t)``
   by ``elim``): ``t`` is tiny where ``num_k`` has the parametrization's large
   coefficients.

With ``E`` the primitive integer ``elim`` and ``P_i``, ``Q`` the parametrization over a
common denominator (integer polynomials), ``N_f = sum_m c_m prod_i P_i^{m_i} Q^{d-|m|}`` is
in ``Z[t]``, and since ``E`` is primitive, Gauss's lemma says that ``E`` divides ``N_f``
over Q iff ``N_f = E S`` for some ``S`` in ``Z[t]``.  Check 4 is made one of two ways,
both proofs:

* **exact** (``method="auto"``, the default): ``N_f`` is expanded in ``Z[t]`` by a
  multivariate Horner scheme in the factors (``g = g_0 + F_v g_1``, ``F_v`` the factor in
  the most monomials: each product is a partial sum times one small factor, so few
  products have the size of ``N_f``; 3x less time than the products of whole monomials
  on the degree-105 [2,1,1] z+z^2 net) and divided by ``E`` once in ``Z[t]`` (remainder
  zero iff ``E`` divides ``N_f``); with a sign symmetry ``t -> -t`` (``E`` and every
  factor even or odd) on the halves ``t^a H(t^2)``, products and division of half the
  length (:func:`_run_exact`).  Only a product whose degree passes :data:`REDUCE_FACTOR` times ``deg E``
  (equations of high degree: ``x^200 - ...``) is reduced modulo ``E`` over Q, so that no
  intermediate polynomial grows without bound.
* **multimodular** (``method="modular"``; equations with no product beyond
  ``REDUCE_FACTOR deg E``): for primes ``p`` not dividing ``lc(E)``, the straight-line
  program of the monomials (:class:`_Plan`: powers by repeated squaring, products by the
  prefix of the monomial, shared between equations) runs on the images of ``P_i``, ``Q``
  in ``F_p[t]``, which gives ``N_f mod p`` exactly (reduction mod ``p`` is a ring
  morphism); ``E_p`` must divide it (a remainder *proves* that ``E`` does not divide
  ``N_f``: ``N_f = E S`` would give ``N_f mod p = E_p (S mod p)``, and the division by
  ``E_p`` is unique).  The quotients ``S_p`` are combined by the CRT into ``S_M``
  (symmetric residues modulo ``M = prod p``).  Then ``N_f - E S_M = 0 mod M``
  coefficient-wise, and every coefficient of ``N_f - E S_M`` is at most
  ``B_f + ||E||_1 ||S_M||_inf`` in absolute value, where ``B_f = sum_m |c_m| prod_i
  ||P_i||_1^{m_i} ||Q||_1^{d-|m|} >= ||N_f||_1 >= ||N_f||_inf`` (triangle inequality and
  ``||AB||_1 <= ||A||_1 ||B||_1``; :func:`numerator_bound`, from the norms of the factors,
  never by expanding).  Primes are added until ``M > 2 (B_f + ||E||_1 ||S_M||_inf)``: a
  multiple of ``M`` below ``M/2`` in absolute value is 0, so ``N_f = E S_M`` over Z.
  Should the CRT not settle after a few rounds (it does whenever ``E`` divides ``N_f``),
  the equation is proven exactly.

Why the exact route is the default.  ``B_f`` is about ``||N_f||`` (degree-105 net:
16,300 bits, 264 primes of 62 bits; the true height 16,295), so the multimodular route
computes every product at the size of ``N_f`` (264 images), where the exact Horner scheme
reaches that size only in its last products; word-size ``nmod_poly`` products also pack
each 62-bit residue into a ~130-bit slot.  Measured (interleaved runs, median of 3, load
6-9 on 2 cores; seconds): degree-105 net: products of whole monomials (before) 2.84,
multimodular 3.38, exact Horner 1.21; degree-225 deep linear net 3.20 / 2.99 / 2.29;
katsura-8 0.20 / 0.27 / 0.16.  The multimodular route stays as an independent proof
(tests, cross-checks).

Parallel (issue 18).  With a concurrent executor, check 4 of the exact route runs as jobs,
the equations split between them (each costs about the same: degree-225 net 8 x 0.125 s),
while this process makes checks 1-3; the outcome is the serial one (the first failing
equation is the least index any job reports).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from math import lcm

import flint

from grobnet.errors import TimeoutExceeded

__all__ = ["RURVerification", "verify_rur", "REDUCE_FACTOR", "numerator_bound"]

#: Products of degree beyond ``REDUCE_FACTOR * deg E`` are reduced modulo ``E`` (over Q).
REDUCE_FACTOR = 8

#: Primes of the multimodular route: below ``2**PRIME_BITS`` (machine words for nmod_poly).
PRIME_BITS = 62


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
    ints = [(g * common).numer() for g in polys]     # g * common is in Z[t]
    return ints[0], ints[1:]


def _primitive(f) -> flint.fmpz_poly:
    E = flint.fmpq_poly(f).numer()
    c = E.content()
    return E // c if c != 1 else E


def _norm1(g) -> int:
    return sum(abs(int(c)) for c in g.coeffs())


class _Plan:
    """The straight-line program that builds every ``N_f`` from the factors.

    Slots ``0 .. len(factors) - 1`` are the factors (``P_0 .. P_{n-1}``, ``Q`` at ``n``, and
    ``t`` at ``n + 1`` when ``t`` is a variable); ``ops[i] = (a, b)`` makes slot
    ``len(factors) + i`` as the product of slots ``a`` and ``b`` (``a, b`` earlier).
    ``equations[j]``: ``None`` (an empty equation) or the list of ``(c, slot)`` with
    ``N_j = sum c * slot``.  ``degree[s]``, ``norm[s]``: an upper bound on the degree and the
    1-norm of slot ``s`` (products of the factors' degrees and 1-norms).
    """

    def __init__(self, int_polys, factors, n, direct):
        self.n_factors = len(factors)
        self.degree = [max(g.degree(), 0) for g in factors]
        self.norm = [_norm1(g) for g in factors]
        self.ops: list = []
        self.equations: list = []
        powers: dict = {}
        memo: dict = {}

        def mul(a, b):
            self.ops.append((a, b))
            self.degree.append(self.degree[a] + self.degree[b])
            self.norm.append(self.norm[a] * self.norm[b])
            return len(self.degree) - 1

        def power(i, e):
            s = powers.get((i, e))
            if s is None:
                if e == 1:
                    s = i
                else:
                    half = power(i, e // 2)
                    s = mul(half, half)
                    if e % 2:
                        s = mul(s, i)
                powers[(i, e)] = s
            return s

        def product(key):
            s = memo.get(key)
            if s is None:
                s = power(*key[0]) if len(key) == 1 else mul(product(key[:-1]),
                                                             power(*key[-1]))
                memo[key] = s
            return s

        for f in int_polys:
            if not f:
                self.equations.append(None)
                continue
            # x_k = t directly wherever f has it (fewer, smaller products); the degree
            # homogenized by den then leaves x_k out
            k = direct if direct is not None and max(m[direct] for m in f) > 0 else None

            def degree(m):
                return sum(e for i, e in enumerate(m) if i != k)

            d = max(degree(m) for m in f)
            terms = []
            for m, c in f.items():
                key = tuple((n + 1 if i == k else i, e) for i, e in enumerate(m) if e)
                if d > degree(m):
                    key += ((n, d - degree(m)),)
                terms.append((int(c), product(tuple(sorted(key))) if key else None))
            self.equations.append(terms)

    def closure(self, js) -> list:
        """The indices of the ops that the equations ``js`` need, in program order."""
        need = set()
        stack = [s for j in js for _, s in (self.equations[j] or ()) if s is not None]
        base = self.n_factors
        while stack:
            s = stack.pop()
            if s >= base and s - base not in need:
                need.add(s - base)
                stack.extend(self.ops[s - base])
        return sorted(need)

    def bound(self, j) -> int:
        """``B_j = sum |c| * norm(slot)`` >= the 1-norm of ``N_j`` >= its largest coefficient."""
        return sum(abs(c) * (1 if s is None else self.norm[s]) for c, s in self.equations[j])

    def degree_of(self, j) -> int:
        return max((0 if s is None else self.degree[s]) for _, s in self.equations[j])


def numerator_bound(denominator, numerators, linear_form, int_polys) -> list:
    """For each equation, the bound ``B_f`` on the coefficients of ``N_f`` (see the module
    docstring) that the multimodular route relies on (``0`` for an empty equation)."""
    Q, P = _integer_parametrization(denominator, numerators)
    factors, n, direct = _factors(Q, P, linear_form)
    plan = _Plan(int_polys, factors, n, direct)
    return [0 if plan.equations[j] is None else plan.bound(j) for j in range(len(int_polys))]


def exact_numerator(denominator, numerators, linear_form, int_polys, j) -> flint.fmpz_poly:
    """``N_f`` of equation ``j`` expanded over Z (for tests of :func:`numerator_bound`)."""
    Q, P = _integer_parametrization(denominator, numerators)
    factors, n, direct = _factors(Q, P, linear_form)
    plan = _Plan(int_polys, factors, n, direct)
    regs = list(factors)
    for a, b in plan.ops:
        regs.append(regs[a] * regs[b])
    return _combine(plan.equations[j], regs, flint.fmpz_poly)


def _factors(Q, P, linear_form):
    n = len(P)
    unit = [i for i, c in enumerate(linear_form) if c]
    direct = unit[0] if len(unit) == 1 and int(linear_form[unit[0]]) == 1 else None
    factors = [*P, Q]                          # index n is the denominator
    if direct is not None:
        factors.append(flint.fmpz_poly([0, 1]))  # x_k = t at every root, by check 3
    return factors, n, direct


def _combine(terms, regs, kind, *args):
    acc = kind(0, *args)
    for c, s in terms:
        acc = acc + (kind(c, *args) if s is None else c * regs[s])
    return acc


def _primes(avoid: int):
    """Primes below ``2**PRIME_BITS``, downwards, skipping the divisors of ``avoid``."""
    p = flint.fmpz(2 ** PRIME_BITS - 1)
    while True:
        p = p - 2
        if p.is_prime() and avoid % int(p) != 0:
            yield int(p)


def _symmetric_crt(residues, primes):
    """The polynomial with the coefficients congruent to ``residues[i]`` (lists of ints)
    modulo ``primes[i]``, in ``(-M/2, M/2]`` (``M`` their product); and ``M``."""
    M = 1
    for p in primes:
        M *= p
    acc = flint.fmpz_poly(0)
    for r, p in zip(residues, primes):
        w = M // p
        w *= pow(w % p, -1, p)
        acc += flint.fmpz_poly(r) * w
    half = M // 2
    out = []
    for c in acc.coeffs():
        c = int(c) % M
        out.append(c - M if c > half else c)
    return flint.fmpz_poly(out), M


def _horner_terms(f, n_factors, n, direct):
    """Equation ``f`` as ``{exponents over the factors: c}`` (homogenized by ``Q``)."""
    k = direct if direct is not None and max(m[direct] for m in f) > 0 else None

    def degree(m):
        return sum(e for i, e in enumerate(m) if i != k)

    d = max(degree(m) for m in f)
    out: dict = {}
    for m, c in f.items():
        ex = [0] * n_factors
        for i, e in enumerate(m):
            ex[n + 1 if i == k else i] += e
        ex[n] += d - degree(m)
        key = tuple(ex)
        out[key] = out.get(key, 0) + int(c)
    return out


def _horner(terms, factors, mul, powers=None, const=flint.fmpz_poly):
    """``sum c prod factors^ex`` by a multivariate Horner scheme: ``g = g_0 + F_v^e g_1``
    with ``v`` the factor in the most terms and ``e`` its least positive exponent
    (``F_v^e`` by repeated squaring, kept in ``powers``), recursively.  Every product is a
    partial sum times a power of one (small) factor, so only a few products have the size
    of the result -- about 3x less time than the products of whole monomials on the
    degree-105 net -- and ``x^200 - ...`` takes 8 squarings, not 200 products."""
    if powers is None:
        powers = {}
    zero = (0,) * len(factors)
    c0 = terms.pop(zero, 0)
    if not terms:
        return const(c0)
    counts = [0] * len(factors)
    for ex in terms:
        for v, e in enumerate(ex):
            if e:
                counts[v] += 1
    v = max(range(len(factors)), key=counts.__getitem__)
    e = min(ex[v] for ex in terms if ex[v])
    g1, g0 = {}, {}
    for ex, c in terms.items():
        if ex[v]:
            g1[ex[:v] + (ex[v] - e,) + ex[v + 1:]] = c
        else:
            g0[ex] = c
    r = mul(_power(factors, v, e, mul, powers), _horner(g1, factors, mul, powers, const))
    if c0:
        g0[zero] = c0
    return r + _horner(g0, factors, mul, powers, const) if g0 else r


def _power(factors, v, e, mul, powers):
    r = powers.get((v, e))
    if r is None:
        if e == 1:
            r = factors[v]
        else:
            half = _power(factors, v, e // 2, mul, powers)
            r = mul(half, half)
            if e % 2:
                r = mul(r, factors[v])
        powers[(v, e)] = r
    return r


class _Halves:
    """A polynomial ``sum_a t^a H_a(t^2)`` (``a`` in 0, 1) kept as its halves ``{a: H_a}``
    (zero halves left out): a product of two polynomials of one parity each is one
    product of half the length (:func:`_run_exact` with a sign symmetry ``t -> -t``)."""

    __slots__ = ("parts",)
    _s = flint.fmpz_poly([0, 1])

    def __init__(self, parts):
        self.parts = {a: h for a, h in parts.items() if not h.is_zero()}

    @classmethod
    def split(cls, g):
        c = g.coeffs()
        return cls({0: flint.fmpz_poly(c[0::2]), 1: flint.fmpz_poly(c[1::2])})

    @classmethod
    def constant(cls, c):
        return cls({0: flint.fmpz_poly(c)})

    def __mul__(self, other):
        out: dict = {}
        for a, h in self.parts.items():
            for b, k in other.parts.items():
                g = h * k
                if a + b == 2:                 # t^2 = s
                    g = g.left_shift(1)
                c = (a + b) % 2
                out[c] = out[c] + g if c in out else g
        return _Halves(out)

    def __add__(self, other):
        out = dict(self.parts)
        for a, h in other.parts.items():
            out[a] = out[a] + h if a in out else h
        return _Halves(out)

    def degree(self) -> int:
        return max((2 * h.degree() + a for a, h in self.parts.items()), default=-1)


def _parity(g):
    """``0`` (even) or ``1`` (odd) when ``g`` has one parity (the zero polynomial: even),
    else ``None``."""
    c = g.coeffs()
    if not any(c[1::2]):
        return 0
    if not any(c[0::2]):
        return 1
    return None


def _run_exact(int_polys, factors, n, direct, js, E, limit, check_deadline, count):
    """``None`` when ``E`` divides every ``N_j`` (j in ``js``) expanded exactly
    (:func:`_horner`), else the first ``j`` that it does not divide.

    A sign symmetry ``t -> -t`` (issue 18).  When ``E`` and every factor are even or odd
    (the [2,1,1] z^2 nets: the parametrization is equivariant under the sign of the
    weights that ``t`` carries), every polynomial is kept as its halves ``t^a H_a(t^2)``
    (:class:`_Halves`): each product is one of half the length.  The proof is unchanged:
    ``E(-t) = +-E(t)``, so ``E`` divides ``N(t)`` iff it divides ``N(-t)``, iff it divides
    both halves ``(N(t) +- N(-t)) / 2``; and with ``E = t^e G(t^2)`` and ``s = t^2``, the
    quotient of ``t^a H(t^2)`` by ``E`` (unique) has the parity ``a - e``, which gives
    ``E | t^a H(t^2)`` iff ``s^[e > a] G`` divides ``H`` in ``Z[s]`` (primitive, as ``E`` is:
    remainder zero iff divisible).  The reduction modulo ``E`` of a product of degree beyond
    ``limit`` is the same rule: the remainder of ``t^a H(t^2)`` is ``t^a R(t^2)``, ``R`` the
    remainder of ``H`` modulo ``s^[e > a] G``.  Measured on the degree-105 [2,1,1] z^2 net
    (182 products, five divisions of degree ~520 by 105, ~8,500-bit coefficients;
    ``verify_rur`` alone, best of 3, quiet machine): 0.235 s -> 0.115 s; the exact route
    0.475 s -> 0.365 s against msolve's 0.261 s (medians of 5 bench_solve runs, load 0.3-0.5).
    """
    e = _parity(E)
    if e is not None and all(_parity(g) is not None for g in factors):
        G = flint.fmpz_poly(E.coeffs()[e::2])
        divisor = {a: G.left_shift(1) if e > a else G for a in (0, 1)}
        divisor_q = {a: flint.fmpq_poly(g) for a, g in divisor.items()}
        factors = [_Halves.split(g) for g in factors]
        const = _Halves.constant

        def reduce(r, exact):
            return _Halves({a: h % (divisor[a] if exact and not isinstance(h, flint.fmpq_poly)
                                    else divisor_q[a]) for a, h in r.parts.items()})

        def divides(A):
            return not reduce(A, True).parts
    else:
        Eq = flint.fmpq_poly(E)
        const = flint.fmpz_poly

        def reduce(r, exact):
            return r % (E if exact and not isinstance(r, flint.fmpq_poly) else Eq)

        def divides(A):
            return reduce(A, True).is_zero()
    powers: dict = {}

    def mul(a, b):
        count[0] += 1
        check_deadline()
        r = a * b
        return reduce(r, False) if r.degree() > limit else r

    for j in js:
        check_deadline(j)
        A = _horner(_horner_terms(int_polys[j], len(factors), n, direct), factors, mul,
                    powers, const)
        if not divides(A):
            return j
    return None


def _run_modular(plan, factors, js, E, check_deadline, stats, max_rounds=4):
    """Multimodular proof that ``E`` divides ``N_j`` for ``j`` in ``js`` (module docstring).

    Returns ``(failed, unsettled)``: ``failed`` the first ``j`` proven not divisible
    (``None`` if none), ``unsettled`` the equations whose CRT did not settle (to be proven
    exactly).
    """
    E1 = _norm1(E)
    bound = {j: plan.bound(j) for j in js}
    # first target: M > 2 (B + ||E||_1 ||S||) with ||S|| <= 2^16 B / ||E||_1 assumed; the
    # check below decides, and asks for more primes if the guess was short
    target = {j: bound[j].bit_length() + 18 for j in js}
    rounds = {j: 0 for j in js}
    residues = {j: [] for j in js}
    used: list = []
    active = list(js)
    unsettled = []
    primes = _primes(int(E.coeffs()[-1]))
    stats["bound_bits"] = max(bound[j].bit_length() for j in js)
    while active:
        ops = plan.closure(active)
        bits = sum(q.bit_length() for q in used)
        goal = min(target[j] for j in active)
        while bits < goal:
            p = next(primes)
            check_deadline()
            regs = [flint.nmod_poly(g, p) for g in factors]
            regs.extend([None] * len(plan.ops))
            base = plan.n_factors
            for i in ops:
                a, b = plan.ops[i]
                regs[base + i] = regs[a] * regs[b]
            Ep = flint.nmod_poly(E, p)
            for j in active:
                N = _combine(plan.equations[j], regs, flint.nmod_poly, p)
                S, R = divmod(N, Ep)
                if not R.is_zero():
                    stats["primes"] = len(used) + 1
                    return j, []
                residues[j].append([int(c) for c in S.coeffs()])
            used.append(p)
            bits += p.bit_length()
        still = []
        for j in active:
            if target[j] > bits:
                still.append(j)
                continue
            k = len(residues[j])
            S, M = _symmetric_crt(residues[j], used[:k])
            top = max((abs(int(c)) for c in S.coeffs()), default=0)
            need = 2 * (bound[j] + E1 * top)
            if M > need:
                continue                                   # proven: N_j = E S over Z
            rounds[j] += 1
            if rounds[j] >= max_rounds:
                unsettled.append(j)
            else:
                target[j] = max(target[j], need.bit_length() + 1)
                still.append(j)
        active = still
    stats["primes"] = len(used)
    stats["modulus_bits"] = sum(p.bit_length() for p in used)
    return None, unsettled


#: Parallel verification: at most this many jobs per worker (equations grouped), so that
#: each job ships the factors once for several equations when there are many.
JOBS_PER_WORKER = 2


def verify_rur(elim, denominator, numerators, linear_form, int_polys, *,
               deadline: float | None = None, timeout=None,
               method: str = "auto", executor=None, meanwhile=None) -> RURVerification:
    """Prove that the parametrization gives ``deg elim`` distinct solutions of every
    polynomial of ``int_polys`` (``{exponent tuple: int}``); see the module docstring.

    ``elim``, ``denominator``, ``numerators``: ``fmpq_poly``; ``linear_form``: the integer
    coefficients of ``t``.  ``deadline`` (``time.monotonic()``): raises
    :class:`~grobnet.errors.TimeoutExceeded` (naming ``timeout``) when it passes between
    two products or primes.  ``method``: ``"auto"`` or ``"exact"`` (check 4 by exact
    expansion), ``"modular"`` (multimodular proof of every equation that has no product of
    degree beyond :data:`REDUCE_FACTOR` ``deg E``, the others exactly).  ``executor`` (a
    concurrent :class:`grobnet.parallel.Executor`; ``"auto"``/``"exact"`` only): check 4
    runs as parallel jobs, the equations split between them, while this process makes
    checks 1-3; the outcome (the first failing check, the first failing equation) is the
    serial one.  ``meanwhile``: called in this process, when check 4 runs as jobs, once
    checks 1-3 passed (more work for the same workers while the jobs run: a parallel lift
    isolates the real roots).
    ``stats``: ``products`` (exact route), ``modular_equations``,
    ``exact_equations``, ``primes``, ``modulus_bits``, ``bound_bits`` (multimodular route),
    ``jobs`` (parallel jobs).
    """
    if method not in ("auto", "modular", "exact"):
        raise ValueError(f"method must be 'auto', 'exact' or 'modular', not {method!r}")
    t0 = time.perf_counter()

    def done(ok, reason="", count=0):
        return RURVerification(ok, reason, count, time.perf_counter() - t0, stats)

    stats: dict = {}
    E = _primitive(elim)
    D = E.degree()
    if D < 1:
        return done(False, f"the eliminating polynomial has degree {D}")
    Q, P = _integer_parametrization(denominator, numerators)
    if len(P) != len(linear_form):
        return done(False, f"{len(P)} numerators for a form in {len(linear_form)} variables")
    factors, n, direct = _factors(Q, P, linear_form)
    limit = REDUCE_FACTOR * D
    js = [j for j, f in enumerate(int_polys) if f]
    jobs = []
    if method != "modular" and len(js) > 1 and getattr(executor, "concurrent", False):
        # the expansions start on the workers now; checks 1-3 run here meanwhile
        jobs = _submit_exact(executor, int_polys, factors, n, direct, js, E, limit,
                             deadline, timeout)
        stats["jobs"] = len(jobs)
    try:
        return _verify(done, stats, E, D, Q, P, factors, n, direct, limit, js, jobs,
                       linear_form, int_polys, method, deadline, timeout, meanwhile)
    finally:
        for job in jobs:
            job.cancel()


def _verify(done, stats, E, D, Q, P, factors, n, direct, limit, js, jobs, linear_form,
            int_polys, method, deadline, timeout, meanwhile=None):
    """Checks 1-4 of :func:`verify_rur`, check 4 by the parallel ``jobs`` if any."""
    if E.gcd(E.derivative()).degree() > 0:
        return done(False, "the eliminating polynomial is not square-free")
    if E.gcd(Q).degree() > 0:
        return done(False, "the denominator vanishes at a root of the eliminating polynomial")
    t = flint.fmpz_poly([0, 1])
    form = sum((int(c) * g for c, g in zip(linear_form, P) if c), flint.fmpz_poly(0)) - t * Q
    if not (form % E).is_zero():
        return done(False, "the linear form does not evaluate to t (points not separated)")
    if jobs:
        if meanwhile is not None:
            meanwhile()
        failed, products = None, 0
        for job in jobs:                # each job's first failure; the first one overall
            first, count = job.result()
            products += count
            if first is not None and (failed is None or first < failed):
                failed = first
        stats.update(modular_equations=0, exact_equations=len(js), products=products)
        if failed is not None:
            return done(False, f"equation {failed} does not vanish on the parametrization")
        return done(True, "", D)
    modular = []
    if method == "modular":
        plan = _Plan(int_polys, factors, n, direct)
        modular = [j for j in js if plan.degree_of(j) <= limit]
    exact = [j for j in js if j not in modular]

    def check_deadline(j=None):
        if deadline is not None and time.monotonic() > deadline:
            where = "" if j is None else f" ({j} of {len(int_polys)} equations checked)"
            raise TimeoutExceeded(f"timeout={timeout} s reached during the verification "
                                  f"over Q{where}")

    unsettled = []
    if modular:
        failed, unsettled = _run_modular(plan, factors, modular, E, check_deadline, stats)
        if failed is not None:
            return done(False, f"equation {failed} does not vanish on the parametrization "
                               f"(remainder modulo a prime)")
    exact = sorted(exact + unsettled)
    stats["modular_equations"] = len(modular) - len(unsettled)
    stats["exact_equations"] = len(exact)
    count = [0]
    if exact:
        failed = _run_exact(int_polys, factors, n, direct, exact, E, limit, check_deadline,
                            count)
        if failed is not None:
            return done(False, f"equation {failed} does not vanish on the parametrization")
    stats["products"] = count[0]
    return done(True, "", D)


def _submit_exact(executor, int_polys, factors, n, direct, js, E, limit, deadline, timeout):
    """Parallel check 4: the equations ``js`` in groups (every ``k``-th one: neighbours
    often cost alike), one :func:`_exact_job` each."""
    workers = max(1, int(getattr(executor, "workers", 1)))
    k = min(len(js), JOBS_PER_WORKER * workers)
    shared = ([int(c) for c in E.coeffs()], [[int(c) for c in g.coeffs()] for g in factors],
              n, direct, limit)
    wall = None if deadline is None else time.time() + (deadline - time.monotonic())
    return [executor.submit(_exact_job, (shared, {j: int_polys[j] for j in js[g::k]},
                                         js[g::k], wall, timeout, len(int_polys)))
            for g in range(k)]


def _exact_job(task):
    """Worker: ``(first equation of the group that E does not divide, or None; products)``
    by :func:`_run_exact` (picklable input: coefficient lists, the group's equations by
    index; ``wall``: the deadline as a wall-clock time, or ``None``)."""
    (E, factors, n, direct, limit), polys, group, wall, timeout, total = task
    E = flint.fmpz_poly(E)
    factors = [flint.fmpz_poly(g) for g in factors]

    def check_deadline(j=None):
        if wall is not None and time.time() > wall:
            where = "" if j is None else f" ({j} of {total} equations checked)"
            raise TimeoutExceeded(f"timeout={timeout} s reached during the verification "
                                  f"over Q{where}")

    count = [0]
    return _run_exact(polys, factors, n, direct, group, E, limit, check_deadline, count), \
        count[0]
