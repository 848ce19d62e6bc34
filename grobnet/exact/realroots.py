"""Certified real (and complex) solutions from a rational parametrization.

Input: an eliminating polynomial ``f(T)`` over Q and, for every variable, a
parametrization ``x_i = g_i(T) / g_0(T)`` valid at the roots of ``f`` (a
rational univariate representation, :mod:`grobnet.exact.rur`, or a lex basis in
shape position with ``g_0 = 1``).

Real solutions.  The real roots of the square-free part of ``f`` (an
``fmpz_poly``) are isolated exactly by Descartes' rule of signs on continued
fractions (Vincent--Akritas--Strzebonski, with the local-max-quadratic root
bound; beyond a node budget, clustered roots, from FLINT's certified complex
roots): every interval has rational endpoints and holds exactly one root.
Enclosures are shrunk by interval Newton in arb (after exact bisection where ``f'``
may vanish), and the parametrization is evaluated over each with arb interval
arithmetic, so every variable's interval provably contains that coordinate of the
solution.  Width and precision tighten together until every interval is narrower
than ``10^-digits`` (relative to ``max(1, |value|)``), ``g_0`` is nonzero on every
root, and the boxes are pairwise disjoint.

Complex solutions.  python-flint's ``complex_roots`` (FLINT's
``arb_fmpz_poly_complex_roots``) returns pairwise disjoint balls, each with
exactly one root; real roots come back with an exactly zero imaginary part.
The solution boxes are refined (precision and digits together) until they are
pairwise disjoint too: two solutions 1e-30 apart need more than 15 digits.
When every root is real (checked by the exact real isolation), the real boxes
are used and FLINT is not called.

Time.  Every driver takes a ``deadline`` (``time.monotonic()``) and raises
:class:`~grobnet.errors.TimeoutExceeded` once it has passed, checked between
continued-fraction nodes, between roots and between precision doublings; parallel
jobs (isolation subtrees, refinement chunks) get it as a wall-clock time and check it
alike.  FLINT's complex root isolation cannot be interrupted
(a degree-200 Wilkinson polynomial takes 9 s at any precision), so with a
deadline it runs in a forked child process that is killed when the deadline
passes.

Precision: python-flint's arb arithmetic reads the global ``flint.ctx.prec``;
:func:`grobnet.common.boxes.working_precision` sets it for the duration of a
computation and restores it afterwards (not thread-safe; processes are the unit of
parallelism here).  The result types live in :mod:`grobnet.common.boxes`.
"""
from __future__ import annotations

import math
import multiprocessing
import time
from typing import Sequence

import flint
import numpy as np

from grobnet.common.boxes import (ComplexSolution, PrecisionExhausted, RealSolution, exact_fmpq,
                                  narrow, pairwise_disjoint, working_precision)
from grobnet.errors import TimeoutExceeded
from grobnet.parallel import first_finished

__all__ = ["real_solutions", "isolate_and_certify", "complex_solutions", "isolate_real_roots",
           "refine_root", "squarefree_integer_part"]


# ----------------------------------------------------------------------- helpers
def _to_fmpq_poly(p) -> flint.fmpq_poly:
    if isinstance(p, flint.fmpq_poly):
        return p
    if isinstance(p, flint.fmpz_poly):
        return flint.fmpq_poly(p)
    return flint.fmpq_poly(list(p))


def squarefree_integer_part(f) -> flint.fmpz_poly:
    """The primitive square-free part of ``f`` (fmpq_poly/fmpz_poly/coefficient list) over Z."""
    f = _to_fmpq_poly(f)
    if f.degree() < 0:
        raise ValueError("the eliminating polynomial is zero")
    num = f.numer()
    g = num.gcd(num.derivative()) if num.degree() > 0 else flint.fmpz_poly([1])
    sq = num // g
    content = sq.content()
    if content != 1:
        sq = flint.fmpz_poly([c // content for c in sq.coeffs()])
    if sq.leading_coefficient() < 0:
        sq = -sq
    return sq


def _check_time(deadline, what):
    if deadline is not None and time.monotonic() > deadline:
        raise TimeoutExceeded(f"time budget reached during {what}")


def _to_wall(deadline):
    """A ``time.monotonic()`` deadline as a wall-clock time (``time.time()``) for a job that
    may run in another process or on another machine (monotonic clocks are not shared)."""
    return None if deadline is None else time.time() + (deadline - time.monotonic())


def _from_wall(wall):
    return None if wall is None else time.monotonic() + (wall - time.time())


def _arb_poly(p) -> flint.arb_poly:
    """``p`` with every coefficient rounded to the working precision (certified: FLINT's
    ``arb_poly_set_fmpq_poly``)."""
    return flint.arb_poly(_to_fmpq_poly(p))


def _acb_poly(p) -> flint.acb_poly:
    return flint.acb_poly(_arb_poly(p))


# ----------------------------------------------------------- real root isolation
_X_PLUS_1 = flint.fmpz_poly([1, 1])

#: With a concurrent executor, real roots of eliminating polynomials of at least this
#: degree are isolated (positive / negative) and refined (in chunks of at least
#: :data:`PARALLEL_MIN_ROOTS` roots) as parallel jobs; below, shipping the polynomials
#: costs more than the jobs save.
PARALLEL_MIN_DEGREE = 256
PARALLEL_MIN_ROOTS = 8


class _NodeBudget(Exception):
    """Descartes' isolation exceeded its node budget (clustered roots)."""


#: Pairs (negative, positive coefficient) whose local-max-quadratic terms are formed at
#: once (:func:`_positive_root_bound_bits`): the rows of a degree-50,000 polynomial are
#: taken in chunks so that the matrix stays near 8 MB.
_LMQ_CHUNK = 1 << 20


def _positive_root_bound_bits(coeffs):
    """``e`` with every positive root of ``sum coeffs[i] x^i`` below ``2^e``, or ``None``
    when there is no positive root (no coefficient of the other sign than the leading one).

    The local-max-quadratic bound of Akritas, Strzebonski and Vigklas (2008): with the
    leading coefficient made positive, each negative coefficient ``a_i`` is paired with
    every positive ``a_j`` of higher degree, ``a_j`` halved once more for each negative
    coefficient it served before (``t`` halvings in all), and the bound is
    ``max_i min_j (2^t |a_i| / a_j)^(1/(j-i))``.  Tighter than the Cauchy-type bound used
    before (katsura-9's degree-512 eliminating polynomial: 306 continued-fraction nodes
    instead of 384, 379 Taylor shifts instead of 523).  Computed on base-2 logarithms in
    double precision and rounded up past a margin far above their rounding errors, so
    the power of two is a bound."""
    d = len(coeffs) - 1
    lead = int(coeffs[d])
    hi = [int(c) for c in reversed(coeffs)] if lead > 0 else [-int(c) for c in reversed(coeffs)]
    signs = np.fromiter(((c > 0) - (c < 0) for c in hi), dtype=np.int8, count=d + 1)
    negs = np.flatnonzero(signs < 0)
    if negs.size == 0:
        return None
    poss = np.flatnonzero(signs > 0)
    logs = np.array([math.log2(abs(c)) if c else 0.0 for c in hi])
    before = np.concatenate(([0], np.cumsum(signs < 0)))      # negatives above index j
    top = 1.0 + before[negs] + logs[negs]                     # log2(2^t |a_i|) + halvings
    low = before[poss] + logs[poss]                           # ... above a_j
    best = -math.inf
    rows = max(1, _LMQ_CHUNK // poss.size)
    for lo in range(0, negs.size, rows):
        gap = (negs[lo:lo + rows, None] - poss[None, :]).astype(np.float64)
        terms = np.full(gap.shape, math.inf)
        np.divide(top[lo:lo + rows, None] - low[None, :], gap, out=terms, where=gap > 0)
        best = max(best, float(terms.min(axis=1).max()))
    return math.floor(best + 1e-9 * (1.0 + float(np.abs(logs).max()))) + 1


def _split_zero_root(sq: flint.fmpz_poly):
    """``(roots, rest)``: the root ``0`` of the square-free ``sq`` as an exact interval (if
    it is one) and ``sq`` divided by ``x`` then (a square-free ``sq`` has it at most once)."""
    coeffs = sq.coeffs()
    if coeffs and coeffs[0] == 0:
        return [(flint.fmpq(0), flint.fmpq(0))], flint.fmpz_poly(coeffs[1:])
    return [], sq


def _isolate_vas(sq: flint.fmpz_poly, budget: int, deadline=None) -> list:
    """Isolating intervals of the real roots of the square-free ``sq`` by continued
    fractions (Vincent--Akritas--Strzebonski), the positive and the negative ones
    (:func:`_isolate_vas_half`, each within ``budget`` nodes), and ``0``."""
    roots, sq = _split_zero_root(sq)
    if sq.degree() < 1:
        return roots
    for sign in (1, -1):
        roots += _isolate_vas_half(sq, sign, budget, deadline)
    return roots


def _vas_start(sq: flint.fmpz_poly, sign: int):
    """The root node of one half of :func:`_isolate_vas_half`: ``(p0, e)`` with ``p0 =
    sign * sq(sign x)`` up to sign and every positive root of ``p0`` below ``2^e``, or
    ``None`` when ``sq`` has no root of that sign."""
    p0 = sq(flint.fmpz_poly([0, sign])) if sign < 0 else sq
    e = _positive_root_bound_bits(p0.coeffs())
    return None if e is None else (p0, e)


def _isolate_vas_half(sq: flint.fmpz_poly, sign: int, budget: int, deadline=None) -> list:
    """The roots of ``sq`` (square-free, ``sq(0) != 0``) of the given sign: a node is a
    polynomial ``p`` and a Moebius map ``M(x) = (a x + b)/(c x + d)`` such that the
    roots of ``p`` in ``(0, inf)`` are the preimages of the roots of ``sign * sq(sign x)``
    in ``M((0, inf))`` (:func:`_vas_expand`).  Exact integer arithmetic throughout;
    raises :class:`_NodeBudget` after ``budget`` nodes and
    :class:`~grobnet.errors.TimeoutExceeded` past ``deadline`` (checked every 16 nodes)."""
    roots = []
    start = _vas_start(sq, sign)
    if start is None:
        return roots
    p0, e = start
    bound = flint.fmpq(2) ** e
    stack = [(p0, (1, 0, 0, 1))]
    nodes = 0
    while stack:
        nodes += 1
        if nodes > budget:
            raise _NodeBudget
        if nodes % 16 == 0:
            _check_time(deadline, "real root isolation")
        p, moebius = stack.pop()
        _vas_expand(p, moebius, sign, bound, roots, stack)
    return roots


def _vas_expand(p, moebius, sign, bound, roots, stack) -> None:
    """One node of the continued-fraction isolation: the roots it settles go to
    ``roots``, its children ``(polynomial, Moebius map)`` onto ``stack``.  Descartes'
    sign variations of ``p`` bound its positive roots (0 or 1 is exact); a node with
    more is first shifted by a power of two below its positive roots, then split into
    ``(0, 1)`` (``(x+1)^d p(1/(x+1))``) and ``(1, inf)`` (``p(x+1)``).  Sign variations
    are subadditive over such a split, so when the ``(0, 1)`` part has them all the other
    part is not computed.  ``bound``: above every positive root of the half (an interval
    ``(x, inf)`` is cut to ``(x, bound)``)."""
    a, b, c, d = moebius
    cs = p.coeffs()
    if cs[0] == 0:                                  # a root at M(0) = b/d
        roots.append(_signed_point(flint.fmpq(b, d), sign))
        cs = cs[1:]
        p = flint.fmpz_poly(cs)
    v = _variations(cs)
    if v == 0:
        return
    if v == 1:
        roots.append(_signed_interval(_moebius(a, b, c, d, bound), sign))
        return
    ebits = _positive_root_bound_bits(cs[::-1])     # 1/lower bound of the roots
    if ebits is not None and ebits < 0:             # all roots above 2^-ebits >= 2
        s = 1 << (-ebits)
        p = p(flint.fmpz_poly([s, 1]))
        a, b, c, d = a, a * s + b, c, c * s + d
        cs = p.coeffs()
        if cs[0] == 0:
            roots.append(_signed_point(flint.fmpq(b, d), sign))
            cs = cs[1:]
            p = flint.fmpz_poly(cs)
    # (0, 1): (x+1)^d p(1/(x+1)), map x -> (b x + a + b)/(d x + c + d)
    low = flint.fmpz_poly(cs[::-1])(_X_PLUS_1)
    at_one = sum(cs) == 0                           # a root at x = 1, i.e. M(1):
    if at_one:                                      # both halves have it at 0
        roots.append(_signed_point(flint.fmpq(a + b, c + d), sign))
        low = flint.fmpz_poly(low.coeffs()[1:])
    v_low = _variations(low.coeffs())
    if v_low:
        stack.append((low, (b, a + b, d, c + d)))
    if v_low < v or at_one:                         # (1, inf): p(x + 1)
        high = p(_X_PLUS_1)
        if at_one:                                  # its root at 0 is recorded
            high = flint.fmpz_poly(high.coeffs()[1:])
        stack.append((high, (a, a + b, c, c + d)))


#: A parallel isolation job (:func:`_vas_job`) hands its unexplored nodes back after this
#: many seconds, so that they are shared out again: the subtrees of clustered roots are
#: uneven, and the positive and negative halves too.
VAS_JOB_SECONDS = 0.4

#: Isolation jobs kept in flight per worker, so that a worker has its next job while the
#: caller unpacks and shares out the nodes a finished one handed back (par9's timeline:
#: with one job per worker, workers waited for that between rounds).
VAS_JOBS_PER_WORKER = 2


class _SideCertifier:
    """Certification jobs run beside a parallel isolation (:func:`_isolate_vas_parallel`):
    the roots found so far are refined on a worker that would otherwise wait for the
    last subtrees (katsura-9: the isolation leaves a worker idle at its end, and the
    refinement that followed sat behind it).  Same enclosures as :func:`real_solutions`
    computes for those intervals at ``(prec, tbits)``, so the boxes are the serial ones.

    ``full``: the polynomial :func:`isolate_real_roots` moves endpoints off
    (:func:`_off_roots`), so that an interval is the very one it returns.  The boxes
    are built here (``certifier``, a :class:`_Certifier`) as the jobs end, while the
    isolation goes on: ``boxes`` maps an interval to its box."""

    def __init__(self, executor, shared, full, prec: int, tbits: int, wall, certifier):
        self.executor, self.shared, self.full = executor, shared, full
        self.prec, self.tbits, self.wall = prec, tbits, wall
        self.certifier = certifier
        self.pending: list = []
        self.boxes: dict = {}

    def add(self, roots) -> None:
        self.pending += _off_roots_all(self.full, roots)

    def submit(self, size: int):
        """A job certifying the first ``size`` pending roots (``None`` when there are
        none)."""
        if not self.pending:
            return None
        chunk, self.pending = self.pending[:max(1, size)], self.pending[max(1, size):]
        job = self.executor.submit(_certify_job, (self.shared, chunk, self.prec, self.tbits,
                                                  self.wall))
        return chunk, job

    def collect(self, chunk, job) -> None:
        for ab, e in zip(chunk, job.result()):
            self.boxes[ab] = self.certifier.box(*e)


def _isolate_vas_parallel(sq: flint.fmpz_poly, budget: int, executor, deadline=None,
                          side: _SideCertifier | None = None) -> list:
    """:func:`_isolate_vas` as parallel jobs on ``executor``: the nodes of both halves are
    shared out among the workers, each job explores its nodes depth-first for
    :data:`VAS_JOB_SECONDS` and returns the roots found and the nodes left, which are
    shared out again.  The tree is the serial one whoever expands a node, so the roots
    (sorted by the caller) and the node counts per half (against ``budget``) are too.
    ``side``: when no node is left to share out and a worker would wait, the roots
    found so far are certified there (:class:`_SideCertifier`), shared among the
    workers that are or will soon be idle (katsura-9: the last 107 roots went to one
    worker while the other ended its isolation job and then waited); its jobs, and the
    roots the last isolation jobs found, are certified when this returns."""
    roots, sq = _split_zero_root(sq)
    if sq.degree() < 1:
        return roots
    queue = []
    for sign in (1, -1):
        start = _vas_start(sq, sign)
        if start is not None:
            queue.append(([int(c) for c in start[0].coeffs()], (1, 0, 0, 1), sign, start[1]))
    nodes = {1: 0, -1: 0}
    workers = max(1, int(getattr(executor, "workers", 1)))
    slots = VAS_JOBS_PER_WORKER * workers
    wall = _to_wall(deadline)
    inflight: list = []                 # isolation jobs
    beside: list = []                   # (chunk, job) of side certification
    try:
        while queue or inflight or beside:
            free = slots - len(inflight)
            if queue and free > 0:
                # at least one job per worker: nodes handed back by one job while the
                # others are busy are shared out, not given to a single worker
                k = min(max(free, workers), len(queue))
                left = max(1, budget - max(nodes.values()))
                inflight.extend(executor.submit(_vas_job, (queue[g::k], left, VAS_JOB_SECONDS,
                                                           wall))
                                for g in range(k))
                queue = []
            elif side is not None:
                _fill_idle(side, beside, workers - len(inflight), workers)
            if not inflight and not beside:
                break
            i = first_finished(inflight + [job for _, job in beside])
            if i >= len(inflight):              # boxes built while the isolation goes on,
                done = beside.pop(i - len(inflight))
                if not queue:                   # after the freed worker has its next job
                    _fill_idle(side, beside, workers - len(inflight), workers)
                side.collect(*done)
                continue
            found, rest, counts = inflight.pop(i).result()
            new = [(flint.fmpq(*lo), flint.fmpq(*hi)) for lo, hi in found]
            roots += new
            if side is not None:
                side.add(new)
            queue += rest
            for sign, count in counts:
                nodes[sign] += count
            if max(nodes.values()) > budget:
                raise _NodeBudget
    finally:
        for job in inflight + [job for _, job in beside]:
            job.cancel()
    return roots


def _fill_idle(side: _SideCertifier, beside: list, free: int, workers: int) -> None:
    """Certification jobs (onto ``beside``) for the workers that neither isolate nor
    certify, ``free - len(beside)`` of them: each takes a ``workers``-th of the pending
    roots (at least :data:`PARALLEL_MIN_ROOTS`), so that all workers idle at once share
    them evenly and a worker freed later still finds a share."""
    size = max(PARALLEL_MIN_ROOTS, -(-len(side.pending) // workers))
    for _ in range(free - len(beside)):
        sent = side.submit(size)
        if sent is None:
            return
        beside.append(sent)


def _vas_job(task):
    """Worker of :func:`_isolate_vas_parallel`: ``(roots, nodes left, node counts per
    sign)`` after exploring the given nodes ``(coefficients, Moebius map, sign, bound
    exponent)`` depth-first for ``seconds`` (:data:`VAS_JOB_SECONDS`) or ``limit`` nodes
    (at least one).
    Picklable input and output (python-flint polynomials do not pickle); ``wall``: the
    deadline as a wall-clock time (:func:`_to_wall`) or ``None``."""
    nodes, limit, seconds, wall = task
    deadline = _from_wall(wall)
    stop = time.monotonic() + seconds
    stack = [(flint.fmpz_poly(cs), m, sign, e) for cs, m, sign, e in nodes]
    roots, counts, done = [], {1: 0, -1: 0}, 0
    bounds = {}
    while stack:
        if done and (done >= limit or time.monotonic() > stop):
            break
        done += 1
        if done % 16 == 0:
            _check_time(deadline, "real root isolation")
        p, moebius, sign, e = stack.pop()
        counts[sign] += 1
        bound = bounds.get(e)
        if bound is None:
            bound = bounds[e] = flint.fmpq(2) ** e
        children = []
        _vas_expand(p, moebius, sign, bound, roots, children)
        stack.extend((q, m, sign, e) for q, m in children)
    return ([((int(lo.p), int(lo.q)), (int(hi.p), int(hi.q))) for lo, hi in roots],
            [([int(c) for c in p.coeffs()], m, sign, e) for p, m, sign, e in stack],
            list(counts.items()))


def _variations(cs) -> int:
    count, prev = 0, 0
    for c in cs:
        if c:
            s = 1 if c > 0 else -1
            if prev and s != prev:
                count += 1
            prev = s
    return count


def _moebius(a, b, c, d, bound):
    """The open interval between ``M(0) = b/d`` and ``M(inf) = a/c`` as ``(lo, hi)``,
    ``M(inf) = inf`` (``c = 0``) replaced by ``bound`` (above every positive root)."""
    x = flint.fmpq(b, d)
    y = flint.fmpq(a, c) if c else bound
    return (x, y) if x < y else (y, x)


def _signed_point(x, sign):
    return (x, x) if sign > 0 else (-x, -x)


def _signed_interval(ab, sign):
    lo, hi = ab
    return (lo, hi) if sign > 0 else (-hi, -lo)


def _isolate_complex(sq: flint.fmpz_poly, deadline=None) -> list:
    """Real isolating intervals from FLINT's certified complex root balls."""
    roots = []
    with working_precision(64):
        for r in _complex_roots(sq, 64, deadline):
            if not r.imag.is_zero():
                continue
            x = r.real
            mid, rad = exact_fmpq(x.mid()), exact_fmpq(x.rad())
            roots.append((mid - rad, mid + rad))
    return roots


def isolate_real_roots(f, node_budget: int | None = None, executor=None, deadline=None,
                       deflate: bool = True) -> list:
    """Disjoint isolating intervals ``(a, b)`` (``fmpq``, ``a < b``; ``a == b`` for an
    exact rational root) of the real roots of ``f``, sorted increasingly.

    First Descartes' rule of signs with continued fractions (Vincent--Akritas--
    Strzebonski, :func:`_isolate_vas`) in exact integer arithmetic on the square-free
    part; if it needs more than ``node_budget`` nodes (default ``2 deg + 64``:
    clustered roots make it slow), FLINT's certified complex root isolation
    instead (balls pairwise disjoint, one root each, real roots exactly real).
    Each interval holds exactly one root and no endpoint is a root; neighbouring
    intervals may share an endpoint (not a root).  ``executor`` (a concurrent
    :class:`grobnet.parallel.Executor`), from degree :data:`PARALLEL_MIN_DEGREE` on: the
    continued-fraction tree is explored by parallel jobs (:func:`_isolate_vas_parallel`;
    same result).  ``deadline``: see the module docstring.
    ``deflate``: when ``f(x) = g(x^k)`` (``k > 1``: symmetric systems, e.g. cyclic-n,
    whose eliminating polynomial is one in ``t^n``), the roots of ``g`` are isolated
    and mapped back (:func:`_undeflate`): a polynomial ``k`` times smaller.
    """
    return _isolate_real_roots(f, node_budget, executor, deadline, deflate)


def _isolate_real_roots(f, node_budget, executor, deadline, deflate, side=None) -> list:
    """:func:`isolate_real_roots`; ``side``: a :class:`_SideCertifier` that certifies roots
    beside a parallel continued-fraction isolation."""
    full = sq = squarefree_integer_part(f)
    if sq.degree() <= 0:
        return []
    deflated, k = sq.deflation()
    if k > 1 and deflate:
        # s = x^k packs the roots of the deflated polynomial near 0 (cyclic-6: VAS needs
        # over 300 nodes on its degree 26, where the complex isolation takes 3 ms)
        roots = _off_roots_all(deflated, _isolate_complex(deflated, deadline))
        roots.sort(key=lambda ab: ab[0])
        _check_disjoint(roots)
        return _undeflate(roots, deflated, k, deadline)
    if node_budget is None:
        node_budget = 2 * sq.degree() + 64
    try:
        if executor is not None and getattr(executor, "concurrent", False) and \
                sq.degree() >= PARALLEL_MIN_DEGREE:
            roots = _isolate_vas_parallel(sq, node_budget, executor, deadline, side)
        else:
            roots = _isolate_vas(sq, node_budget, deadline)
    except _NodeBudget:
        roots = _isolate_complex(sq, deadline)
    roots = _off_roots_all(full, roots)
    roots.sort(key=lambda ab: ab[0])
    _check_disjoint(roots)
    return roots


def _check_disjoint(roots) -> None:
    """Raise unless the sorted intervals are disjoint (a shared endpoint is allowed
    between two proper intervals: it is not a root)."""
    for (a1, b1), (a2, b2) in zip(roots, roots[1:]):
        if b1 > a2 or (b1 == a2 and (a1 == b1 or a2 == b2)):
            raise ArithmeticError("real root isolation produced overlapping intervals")


def _kth_root_bounds(x, k: int, m: int):
    """``(lo, hi)``: dyadic numbers of denominator ``2^m`` with ``lo <= x^(1/k) < hi``
    (``x >= 0`` an ``fmpq``), ``hi = lo + 2^-m``."""
    scaled = (flint.fmpz(x.p) << (m * k)) // flint.fmpz(x.q)
    r = scaled.root(k) if scaled > 0 else flint.fmpz(0)      # floor(x^(1/k) 2^m)
    den = flint.fmpz(1) << m
    return flint.fmpq(r, den), flint.fmpq(r + 1, den)


def _undeflate(roots, g, k: int, deadline=None) -> list:
    """The isolating intervals of the real roots of ``g(x^k)`` from those of ``g``
    (``roots``: sorted, disjoint, no endpoint a root; ``g(0) != 0`` since ``f`` is
    square-free of degree above 0 with ``k > 1``).

    A root ``s > 0`` of ``g`` gives ``x = s^(1/k)`` (and ``-s^(1/k)`` for even ``k``), a
    root ``s < 0`` gives ``-|s|^(1/k)`` for odd ``k`` and nothing for even ``k``.  On each
    side of 0 the map ``s -> |s|^(1/k)`` is increasing, so an interval ``(lo, hi)`` with
    ``lo^k`` and ``hi^k`` in the root-free gaps around the root's interval ``(a, b)`` of
    ``g`` holds exactly that root.  The intervals are first shrunk off each other (no shared
    endpoints, and 0 outside them), then ``lo``, ``hi`` are dyadic bounds of ``a^(1/k)``
    and ``b^(1/k)`` refined until their ``k``-th powers stay in the gaps; an exact rational
    root ``s`` with a rational ``k``-th root stays exact."""
    sides = {1: [], -1: []}
    for a, b in roots:
        if a == b:
            sides[1 if a > 0 else -1].append((abs(a), abs(a)))
            continue
        sa = None
        # off 0: bisect (the root is strictly inside and not 0, so finitely many steps
        # move both endpoints to its side)
        while a < 0 < b or a == 0 or b == 0:
            if sa is None:
                sa = _sign_right_of(g, a)
            a, b = _bisect_exact(g, a, b, sa)
        sides[1 if a > 0 else -1].append((abs(a), abs(b)) if a > 0 else (abs(b), abs(a)))
    out = []
    for sign, ivs in sides.items():
        if sign < 0 and k % 2 == 0:
            continue
        gs = g if sign > 0 else g(flint.fmpz_poly([0, -1]))
        ivs.sort(key=lambda ab: ab[0])
        # no two intervals of a side share an endpoint: shrink until there is a gap
        for i in range(1, len(ivs)):
            (pa, pb), (a, b) = ivs[i - 1], ivs[i]
            while pb >= a and pa != pb and a != b:
                if b - a >= pb - pa:
                    a, b = _bisect_exact(gs, a, b, _sign_right_of(gs, a))
                else:
                    pa, pb = _bisect_exact(gs, pa, pb, _sign_right_of(gs, pa))
            ivs[i - 1], ivs[i] = (pa, pb), (a, b)
        for i, (a, b) in enumerate(ivs):
            _check_time(deadline, "real root isolation")
            below = ivs[i - 1][1] if i else flint.fmpq(0)       # g has no root in [below, a)
            above = ivs[i + 1][0] if i + 1 < len(ivs) else None  # ... nor in (b, above]
            m = 16
            while True:
                lo, _ = _kth_root_bounds(a, k, m)                # lo^k <= a
                _, hi = _kth_root_bounds(b, k, m)                # hi^k > b
                if a == b and lo ** k == a:
                    hi = lo                                      # an exact rational root
                    break
                if lo ** k >= below and (above is None or hi ** k <= above):
                    break
                m *= 2
            if sign > 0:
                out.append((lo, hi))
            if sign < 0 or k % 2 == 0:
                out.append((-hi, -lo))
    # no endpoint is a root: lo^k and hi^k lie in root-free gaps of g, or lo = 0 (g(0) != 0)
    out.sort(key=lambda ab: ab[0])
    _check_disjoint(out)
    return out


def _bisect_exact(f, a, b, sa):
    """One exact bisection of the isolating interval ``(a, b)`` of ``f`` (sign ``sa`` just
    right of ``a``): the half with the root, or ``(m, m)`` at a rational root."""
    m = (a + b) / 2
    v = f(m)
    if v == 0:
        return m, m
    return (m, b) if (v > 0) == (sa > 0) else (a, m)


def _sign_right_of(f: flint.fmpz_poly, a) -> int:
    """Sign of ``f`` just right of ``a`` (``f`` square-free): that of ``f(a)``, or of
    ``f'(a)`` when ``a`` is a (simple) root."""
    v = f(a)
    if v == 0:
        v = f.derivative()(a)
    return 1 if v > 0 else -1


def refine_root(f: flint.fmpz_poly, a, b, width) -> tuple:
    """Bisect the isolating interval ``(a, b)`` of ``f`` (exactly one root inside,
    endpoints may be other roots) until ``b - a <= width``; exact rational arithmetic.

    Returns ``(a, b)``, or ``(r, r)`` when a bisection point is the root.
    """
    if a == b:
        return a, b
    sa = _sign_right_of(f, a)
    while b - a > width:
        m = (a + b) / 2
        fm = f(m)
        if fm == 0:
            return m, m
        if (fm > 0) == (sa > 0):
            a = m
        else:
            b = m
    return a, b


#: A prime near 2^62: ``f(u/v) mod`` it is a cheap certificate that ``u/v`` is no root.
_SCREEN_PRIME = 4611686018427387847


def _may_be_root(f: flint.fmpz_poly, fq: flint.nmod_poly, a) -> bool:
    """Whether ``a`` (an ``fmpq``) may be a root of ``f``: ``False`` is proved by
    ``f(a) != 0`` modulo :data:`_SCREEN_PRIME` (``fq``: ``f`` modulo it; the denominator
    invertible there), the exact value decides otherwise."""
    q = _SCREEN_PRIME
    den = int(a.q) % q
    if den and fq(int(a.p) % q * pow(den, -1, q) % q) != 0:
        return False
    return f(a) == 0


def _off_roots(f: flint.fmpz_poly, a, b, fq: flint.nmod_poly) -> tuple:
    """Shrink an isolating interval until neither endpoint is a root of ``f``, so that
    the closed intervals of distinct roots are disjoint.  Endpoints are screened
    modulo a prime first (:func:`_may_be_root`; ``fq``: ``f`` modulo
    :data:`_SCREEN_PRIME`): an exact evaluation of a degree-512 polynomial at a Moebius
    endpoint costs about a millisecond, the screen a few microseconds."""
    while a != b and (_may_be_root(f, fq, a) or _may_be_root(f, fq, b)):
        a, b = refine_root(f, a, b, (b - a) / 2)
    return a, b


def _off_roots_all(f: flint.fmpz_poly, roots) -> list:
    """:func:`_off_roots` of every interval (exact points kept), ``f`` reduced modulo the
    screen prime once (katsura-9: 118 reductions were 10 of the 13 ms)."""
    fq = flint.nmod_poly(f, _SCREEN_PRIME)
    return [_off_roots(f, a, b, fq) if a != b else (a, b) for a, b in roots]


def _arb_interval(a, b) -> flint.arb:
    """An arb ball containing the closed interval ``[a, b]`` (fmpq endpoints)."""
    if a == b:
        return flint.arb(a)
    return flint.arb(a).union(flint.arb(b))


# --------------------------------------------------------------------- drivers
def _check_inputs(elim, numerators, variables):
    if variables is None:
        variables = tuple(f"x{i}" for i in range(len(numerators)))
    variables = tuple(variables)
    if len(variables) != len(numerators):
        raise ValueError(f"{len(numerators)} parametrizations for {len(variables)} variables")
    return variables


def _bisect_arb(sq, fa, a, b, sa, warm=None):
    """One bisection step of the isolating interval ``(a, b)`` of ``sq`` whose sign just
    right of ``a`` is ``sa``.  The sign at the midpoint comes from the arb value
    ``fa`` (a certified enclosure at the working precision, far cheaper than exact
    rational evaluation of large coefficients), first from ``warm``'s low-precision
    polynomial when given (any certified ball that excludes 0 decides); only when
    the balls contain 0 is ``sq`` evaluated exactly.  Returns the half holding the
    root, or ``(m, m)``."""
    m = (a + b) / 2
    v = None
    if warm is not None:
        with working_precision(warm[0]):
            v = warm[1](flint.arb(m))
    if v is None or v.contains(0):
        v = fa(flint.arb(m))
    if v > 0:
        positive = True
    elif v < 0:
        positive = False
    else:
        fm = sq(m)
        if fm == 0:
            return m, m
        positive = fm > 0
    return (m, b) if positive == (sa > 0) else (a, m)


def _newton_enclosure(sq, fa, fpa, a, b, target_rad, warm=None):
    """A certified arb ball for the single root of ``sq`` in ``[a, b]`` of radius at
    most ``target_rad`` (relative to ``max(1, |root|)``), at the current precision.

    Interval Newton: with ``T`` containing the root and ``f'`` nonzero on ``T``,
    ``N(T) = m - f(m)/f'(T)`` also contains it, so ``T <- N(T) & T`` stays an
    enclosure and shrinks quadratically.  A start comes from Newton iterations from
    the midpoint (:func:`_newton_from_midpoint`); when they leave the interval, a
    few bisection steps (:func:`_bisect_arb`: signs from arb, at ``warm``'s low
    precision when it decides, exact only when the balls contain 0) narrow it and
    Newton is tried again -- or the interval itself is the start once ``f'`` keeps
    its sign on it.  ``None`` if the precision does not suffice.
    """
    if a == b:
        return flint.arb(a)
    sa = None
    # A root far below the interval's scale (e.g. near 0 in (0, bound)) needs one
    # bisection per bit between the two: allow as many as the working precision.
    steps = 200 + 2 * flint.ctx.prec
    while steps > 0:
        T = _newton_from_midpoint(fa, fpa, a, b, warm)
        if T is not None:
            return _shrink(fa, fpa, T, target_rad)
        settled = False
        if warm is not None:
            with working_precision(warm[0]):
                settled = not warm[2](_arb_interval(a, b)).contains(0)
        if settled or not fpa(_arb_interval(a, b)).contains(0):
            return _shrink(fa, fpa, _arb_interval(a, b), target_rad)
        if sa is None:
            sa = _sign_right_of(sq, a)
        for _ in range(_BISECTIONS_PER_NEWTON):
            a, b = _bisect_arb(sq, fa, a, b, sa, warm)
            steps -= 1
            if a == b:
                return flint.arb(a)
    return None


#: Bisection steps between two attempts of Newton's method from the midpoint.
_BISECTIONS_PER_NEWTON = 4


def _newton_from_midpoint(fa, fpa, a, b, warm=None):
    """A small ball inside ``[a, b]`` whose interval Newton image lies in it, or ``None``.

    Plain Newton iterations from the midpoint (on arb midpoints: a guess, not a
    proof) usually reach the root in a few steps where bisecting until ``f'``
    keeps its sign would take hundreds; the ball around the guess is then
    *certified*: ``N(T) = m - f(m)/f'(T)`` inside ``T`` proves one root in ``T``,
    the root of ``[a, b]`` since that interval isolates it.  ``warm``: optional
    ``(prec, fa, fpa)`` at a low precision for the first iterations, which only
    need to approach the root (they stop as soon as the low-precision values
    become uncertain); the working-precision iterations then take a few steps.
    """
    lo, hi = flint.arb(a), flint.arb(b)
    x = flint.arb((a + b) / 2)
    if warm is not None:
        wprec, wfa, wfpa = warm
        with working_precision(wprec):
            for _ in range(80):
                v, d = wfa(x), wfpa(x)
                if v.contains(0) or d.contains(0):
                    break
                new = flint.arb((x - v / d).mid())
                if not (new > lo and new < hi):
                    break
                x = new
    step = None
    for _ in range(80):
        d = fpa(x)
        if d.contains(0):
            return None
        new = flint.arb((x - fa(x) / d).mid())
        if not (new > lo and new < hi):
            return None
        step = abs(new - x)
        x = new
        if step.is_zero() or step.mid() < abs(x).mid() * flint.arb(2) ** (-flint.ctx.prec // 2):
            break
    else:
        return None
    r = 4 * max(step.mid(), abs(x).mid() * flint.arb(2) ** (-flint.ctx.prec // 2),
                flint.arb(2) ** (-flint.ctx.prec))
    T = flint.arb(x.mid(), r.mid())
    if not (T.lower() > lo and T.upper() < hi):
        return None
    d = fpa(T)
    if d.contains(0):
        return None
    N = flint.arb(T.mid()) - fa(flint.arb(T.mid())) / d
    return N if T.contains(N) else None


def _shrink(fa, fpa, T, target_rad):
    """Interval Newton from an enclosure ``T`` of a simple root down to ``target_rad``."""
    for _ in range(200):
        if T.rad() <= target_rad * max(flint.arb(1), abs(T.mid())):
            return T
        m = flint.arb(T.mid())
        d = fpa(T)
        if d.contains(0):
            return None
        N = m - fa(m) / d
        if not N.overlaps(T):
            return None
        new = N.intersection(T)
        if not (new.rad() < T.rad() * 0.75):
            return None
        T = new
    return None


def real_solutions(elim, numerators: Sequence, denominator=None, *, variables=None,
                   digits: int = 30, max_prec: int = 1 << 18, executor=None,
                   deadline=None, intervals=None) -> list:
    """Certified boxes for all real solutions ``x_i = numerators[i](t) / denominator(t)``,
    ``elim(t) = 0``, sorted by increasing ``t``.

    ``elim``, ``numerators``, ``denominator``: ``fmpq_poly``/``fmpz_poly`` (or
    coefficient lists, lowest degree first); ``denominator=None`` means 1.
    The real roots of ``elim`` are isolated exactly (:func:`isolate_real_roots`),
    each enclosure is shrunk by interval Newton in arb, and the parametrization
    is evaluated over it with arb; the target width and the precision grow
    together until every coordinate
    is narrower than ``10^-digits`` (relative to ``max(1, |x|)``) and the boxes are
    pairwise disjoint.  Raises
    :class:`PrecisionExhausted` beyond ``max_prec`` bits, and
    :class:`~grobnet.errors.TimeoutExceeded` past ``deadline`` (``time.monotonic()``;
    checked between roots and precision doublings, in parallel jobs too).  ``executor`` (a concurrent
    :class:`grobnet.parallel.Executor`): from degree :data:`PARALLEL_MIN_DEGREE` on,
    isolation and refinement run as parallel jobs (the boxes are the same).
    ``intervals``: what :func:`isolate_real_roots` gives for ``elim`` when already
    known, instead of isolating again.  On a concurrent executor the isolation and the
    refinement overlap: roots found are refined on workers the isolation leaves idle.
    """
    return isolate_and_certify(elim, numerators, denominator, variables=variables,
                               digits=digits, max_prec=max_prec, executor=executor,
                               deadline=deadline, intervals=intervals)[1]


def isolate_and_certify(elim, numerators: Sequence, denominator=None, *, variables=None,
                        digits: int = 30, max_prec: int = 1 << 18, executor=None,
                        deadline=None, intervals=None) -> tuple:
    """``(intervals, boxes)``: the isolating intervals of the real roots of ``elim``
    (:func:`isolate_real_roots`) and :func:`real_solutions` (same arguments), for a
    caller that keeps the intervals to certify at other precisions later (a parallel
    lift does both while it verifies)."""
    variables = _check_inputs(elim, numerators, variables)
    if digits < 1:
        raise ValueError(f"digits must be positive, got {digits}")
    sq = squarefree_integer_part(elim)
    if sq.degree() <= 0:
        return [], []
    den, nums = _parametrization(sq, numerators, denominator)
    parallel = executor is not None and getattr(executor, "concurrent", False) and \
        sq.degree() >= PARALLEL_MIN_DEGREE
    coeff_bits = max([sq.height_bits()] + [g.numer().height_bits() + g.denom().bit_length()
                                            for g in [den, *nums]])
    target_bits = int(digits * 3.33) + 16
    # The coefficient size does not set the precision needed: arb rounds each
    # coefficient to the working precision with a certified error, and what costs
    # bits is cancellation near a root, about one or two bits per degree for the
    # eliminating polynomials met here.  Each root starts there and doubles its
    # precision (and target) until certified; every result is certified whatever
    # the precision.
    prec0 = min(coeff_bits, sq.degree() // 2 + 32) + 2 * target_bits + 32
    if prec0 > max_prec:
        raise PrecisionExhausted(f"real solutions need more than max_prec={max_prec} bits")
    side = None
    if parallel:
        shared = ([int(c) for c in sq.coeffs()], _shipped(den), [_shipped(g) for g in nums],
                  variables, digits, max_prec)
        workers = max(1, int(getattr(executor, "workers", 1)))
    certifier = _Certifier(sq, den, nums, variables, digits, max_prec, deadline)
    if parallel and intervals is None:
        # ``sq`` is already the square-free part isolate_real_roots moves endpoints off
        side = _SideCertifier(executor, shared, sq, prec0, target_bits, _to_wall(deadline),
                              certifier)
    if intervals is None:
        intervals = _isolate_real_roots(sq, None, executor if parallel else None, deadline,
                                        True, side)
    known = {} if side is None else side.boxes

    def certify_all(prec, tbits):
        _check_time(deadline, "the certification of real roots")
        ready = known if (prec, tbits) == (prec0, target_bits) else {}
        todo = [ab for ab in intervals if ab not in ready]
        done = {}
        if parallel and len(todo) >= 2 * PARALLEL_MIN_ROOTS:
            size = max(PARALLEL_MIN_ROOTS, -(-len(todo) // (2 * workers)))
            chunks = [todo[i:i + size] for i in range(0, len(todo), size)]
            wall = _to_wall(deadline)
            jobs = [executor.submit(_certify_job, (shared, chunk, prec, tbits, wall))
                    for chunk in chunks]
            # each job's boxes are built here while the later jobs still run
            done = {ab: certifier.box(*e) for chunk, job in zip(chunks, jobs)
                    for ab, e in zip(chunk, job.result())}
        return [ready[ab] if ab in ready else done[ab] if ab in done
                else certifier.certify(*ab, prec, tbits) for ab in intervals]

    sols = certify_all(prec0, target_bits)
    prec, tbits = prec0, target_bits
    while not pairwise_disjoint(sols):       # rare: narrower boxes separate them
        prec, tbits = 2 * prec, 2 * tbits
        sols = certify_all(prec, tbits)
    return intervals, sols


class _Certifier:
    """Refines isolating intervals of ``sq`` into certified boxes of the parametrization
    (the arb polynomials are built once per working precision)."""

    WARM_PREC = 128

    def __init__(self, sq, den, nums, variables, digits, max_prec, deadline=None):
        self.sq, self.den, self.nums = sq, den, nums
        self.variables, self.digits, self.max_prec = variables, digits, max_prec
        self.deadline = deadline
        self.polys = {}
        self._last = None            # ((prec, lo, hi), box) of the last accepted enclosure
        with working_precision(self.WARM_PREC):
            self.warm = (self.WARM_PREC, _arb_poly(sq), _arb_poly(sq.derivative()))

    def at(self, prec):
        if prec not in self.polys:
            with working_precision(prec):
                self.polys[prec] = (_arb_poly(self.sq), _arb_poly(self.sq.derivative()),
                                    _arb_poly(self.den), [_arb_poly(g) for g in self.nums])
        return self.polys[prec]

    def certify(self, a, b, prec, tbits) -> RealSolution:
        """The box of the root in ``[a, b]``: working precision ``prec`` and Newton target
        ``2^-tbits`` (both doubled until every coordinate is narrow enough)."""
        return self.box(*self.enclose(a, b, prec, tbits))

    def enclose(self, a, b, prec, tbits) -> tuple:
        """``(prec, lo, hi)``: exact endpoints of an enclosure of the root in ``[a, b]``
        whose box at that precision is narrow enough (:meth:`box`).  Passing exact
        numbers (not arb balls, which do not pickle) lets a parallel job's result give
        the very box of a serial run."""
        while prec <= self.max_prec:
            _check_time(self.deadline, "the certification of real roots")
            fa, fpa, dpoly, npolys = self.at(prec)
            with working_precision(prec):
                t = _newton_enclosure(self.sq, fa, fpa, a, b, flint.arb(2) ** (-tbits), self.warm)
            if t is not None:
                mid, rad = exact_fmpq(t.mid()), exact_fmpq(t.rad())
                box = self.box(prec, mid - rad, mid + rad)
                if box is not None:
                    self._last = ((prec, mid - rad, mid + rad), box)
                    return prec, mid - rad, mid + rad
            prec *= 2
            tbits *= 2
        raise PrecisionExhausted(f"real solutions not certified to {self.digits} digits within "
                                 f"{self.max_prec} bits of working precision")

    def box(self, prec, lo, hi) -> RealSolution | None:
        """The parametrization over ``[lo, hi]`` at precision ``prec``, or ``None`` when a
        coordinate is not narrow enough or the denominator may vanish.  (The box that
        :meth:`enclose` just accepted is not computed again.)"""
        last = self._last
        if last is not None and last[0] == (prec, lo, hi):
            return last[1]
        _, _, dpoly, npolys = self.at(prec)
        with working_precision(prec):
            t = _arb_interval(lo, hi)
            d = dpoly(t)
            if d.contains(0):
                return None
            box = tuple(g(t) / d for g in npolys)
            if not all(narrow(x, self.digits) for x in box):
                return None
        return RealSolution(self.variables, box, t)


def _certify_job(task):
    """Worker: :meth:`_Certifier.enclose` of a chunk of isolating intervals (picklable
    input and output: python-flint polynomials and arb balls do not pickle)."""
    (sq, den, nums, variables, digits, max_prec), chunk, prec, tbits, wall = task
    certifier = _Certifier(flint.fmpz_poly(sq), _unshipped(den), [_unshipped(g) for g in nums],
                           variables, digits, max_prec, _from_wall(wall))
    return [certifier.enclose(a, b, prec, tbits) for a, b in chunk]


def _shipped(g: flint.fmpq_poly) -> tuple:
    """``g`` as ``(integer numerator coefficients, denominator)`` for a job (python-flint
    polynomials do not pickle; one denominator is 15x faster than a fraction each)."""
    return [int(c) for c in g.numer().coeffs()], int(g.denom())


def _unshipped(shipped) -> flint.fmpq_poly:
    coeffs, den = shipped
    return flint.fmpq_poly(flint.fmpz_poly(coeffs), den)


def _parametrization(sq, numerators, denominator):
    den = _to_fmpq_poly(denominator) if denominator is not None else flint.fmpq_poly([1])
    if den.is_zero() or flint.fmpq_poly(sq).gcd(den).degree() > 0:
        raise ValueError("the denominator of the parametrization vanishes at a root of the "
                         "eliminating polynomial")
    return den, [_to_fmpq_poly(g) for g in numerators]


def complex_solutions(elim, numerators: Sequence, denominator=None, *, variables=None,
                      digits: int = 15, max_prec: int = 1 << 16, deadline=None) -> list:
    """Pairwise disjoint boxes (``acb`` per variable) for all complex solutions of the
    parametrization.

    Each box contains the solution attached to one isolated root of the square-free
    part of ``elim``; ``is_real`` marks roots certified real.  Precision and digits grow
    together until every box is narrower than ``10^-digits`` and no two boxes meet.
    ``deadline``: see the module docstring.
    """
    variables = _check_inputs(elim, numerators, variables)
    sq = squarefree_integer_part(elim)
    if sq.degree() <= 0:
        return []
    den, nums = _parametrization(sq, numerators, denominator)
    if len(isolate_real_roots(sq, deadline=deadline)) == sq.degree():
        # every root is real: the real boxes are certified (and disjoint) already
        reals = real_solutions(sq, nums, den, variables=variables, digits=digits,
                               deadline=deadline)
        return [ComplexSolution(variables, tuple(flint.acb(a) for a in r.intervals),
                                flint.acb(r.t), True) for r in reals]
    prec = max(64, int(digits * 3.33) + 32)
    target = digits
    while prec <= max_prec:
        _check_time(deadline, "complex root isolation")
        with working_precision(prec):
            roots = _complex_roots(sq, prec, deadline)
            dpoly = _acb_poly(den)
            npolys = [_acb_poly(g) for g in nums]
            sols, ok = [], True
            for t in roots:
                d = dpoly(t)
                if d.contains(0):
                    ok = False
                    break
                box = tuple(g(t) / d for g in npolys)
                if not all(narrow(a, target) for a in box):
                    ok = False
                    break
                sols.append(ComplexSolution(variables, box, t, bool(t.imag.is_zero())))
            if ok and pairwise_disjoint(sols):
                return sols
            if ok:          # narrow enough but touching: two solutions closer than a box
                target = 2 * target
        prec *= 2
    raise PrecisionExhausted(f"complex solutions not refined to {digits} digits and pairwise "
                             f"disjoint within {max_prec} bits")


#: Degrees up to which FLINT's complex root isolation runs in this process even under a
#: deadline (it is fast there; above, a forked child that can be killed).
_IN_PROCESS_DEGREE = 32


def _complex_roots(sq: flint.fmpz_poly, prec: int, deadline=None) -> list:
    """FLINT's certified complex root balls of the square-free ``sq`` at precision
    ``prec``, within ``deadline`` (module docstring)."""
    if deadline is None or sq.degree() <= _IN_PROCESS_DEGREE:
        _check_time(deadline, "complex root isolation")
        with working_precision(prec):
            return [r for r, _ in sq.complex_roots()]
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutExceeded("time budget reached during complex root isolation")
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_complex_roots_child,
                        args=([int(c) for c in sq.coeffs()], prec, send), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(left):
            raise TimeoutExceeded("time budget reached during complex root isolation "
                                  f"(degree {sq.degree()})")
        status, payload = receive.recv()
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    if status != "ok":
        raise ArithmeticError(f"complex root isolation failed: {payload}")
    with working_precision(prec):
        return [flint.acb(flint.arb(*re), flint.arb(*im)) for re, im in payload]


def _complex_roots_child(coeffs, prec, conn):
    """Child process of :func:`_complex_roots`: the balls as exact (mantissa, exponent)
    pairs of midpoints and radii (arb balls do not pickle)."""
    try:
        with working_precision(prec):
            roots = [r for r, _ in flint.fmpz_poly(coeffs).complex_roots()]
            out = [tuple((tuple(int(v) for v in part.mid().man_exp()),
                          tuple(int(v) for v in part.rad().man_exp()))
                         for part in (r.real, r.imag)) for r in roots]
        conn.send(("ok", out))
    except Exception as exc:                 # noqa: BLE001 - reported to the parent
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()
