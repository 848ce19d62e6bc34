"""Exact critical values of a loss, also when the critical set is infinite.

Networks have continuous symmetries, so the critical set ``V = {grad L = 0}`` is
often positive-dimensional and cannot be listed point by point.  The loss is
nevertheless constant on every irreducible component of ``V``, so it takes finitely
many *critical values*.  They are the roots of the generator ``g(t)`` of the
elimination ideal

    (grad L, t - L(theta))  ∩  Q[t],

computed with an elimination (block) order theta > t: F4 modulo many primes, CRT and
rational reconstruction of ``g``'s coefficients (unlucky primes, whose ``g`` has
another degree, are outvoted), then certified real-root isolation.  For every
irreducible factor ``h`` of ``g`` the dimension of ``V ∩ {h(L) = 0}`` (over the
complex numbers) is read off a Groebner basis of ``(grad L, t - L, h(t))``.

The lift is verified probabilistically: the reconstructed ``g`` must reproduce the
eliminant modulo fresh primes it was not built from.  The primes are random (``seed=None``
draws a fresh seed, kept in ``stats["seed"]``), and every dimension -- of the critical set
and of each level -- is decided by two independent primes agreeing; the result's
``guarantee`` states the Monte Carlo bound.

"The smallest attained critical value is the global minimum" holds when the loss attains
its infimum.  It is claimed (``minimum_is_attained_global``) only when that is proven: the
loss is a sum of squares plus L2 or generalized-L2 regularization with every weight
positive, hence coercive (:func:`loss_is_coercive`).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from fractions import Fraction

import flint
import numpy as np

from grobnet.analysis.descent import gradient_descent
from grobnet.analysis.progress import report
from grobnet.common.evaluate import PolyEvaluator, hessian_polys
from grobnet.common.guarantee import MONTE_CARLO, Decision, Guarantee
from grobnet.common.primes import PrimeStream, resolve_seed, screen
from grobnet.engine.modp import f4, modp_arrays
from grobnet.errors import GrobnetError, TimeoutExceeded, UnluckyPrimesExhausted
from grobnet.exact.hilbert import dimension_and_degree
from grobnet.exact.multimodular import run_multimodular
from grobnet.exact.probe import MAX_PROBE_PRIMES, probe_dimension
from grobnet.parallel import owned_executor
from grobnet.solver import solve

__all__ = ["CriticalValue", "CriticalValues", "critical_values", "loss_is_coercive"]


def loss_is_coercive(system) -> bool:
    """Whether the loss of ``system`` is proven coercive (so it attains its infimum, at a
    critical point): a network's MSE/SSE (a sum of squares, bounded below) plus L2 or
    generalized-L2 regularization with every weight positive (``L >= min λ |θ|^2``).
    Systems not built by :func:`grobnet.frontend.gradient_system` are not known to be."""
    meta = getattr(system, "metadata", None) or {}
    lams = meta.get("lambdas")
    return bool(meta.get("network") is not None and meta.get("loss_kind") in ("mse", "sse")
                and lams and len(lams) == system.nvars and all(lam > 0 for lam in lams))


@dataclass(frozen=True)
class CriticalValue:
    """One real root of the eliminant: an isolating interval, its exact form if rational,
    the dimension of the (complex) critical set at that level, and whether a *real*
    critical point attains it.

    A real root of the eliminant may be the loss value of non-real critical points
    only, so ``attained`` is ``True`` (a certified real critical point at this level
    was found), ``False`` (proven: the level has no real critical point) or ``None``
    (not decided; happens on positive-dimensional levels without a witness point).
    """

    interval: "flint.arb"
    exact: "flint.fmpq | None"
    factor: "flint.fmpz_poly"
    dimension: int
    attained: "bool | None" = None

    def __float__(self):
        return float(self.exact) if self.exact is not None else float(self.interval.mid())

    def __repr__(self):
        v = str(self.exact) if self.exact is not None else self.interval.str(15, radius=False)
        real = {True: "attained", False: "not attained at real points",
                None: "real attainment undecided"}[self.attained]
        return f"CriticalValue({v}, dimension {self.dimension}, {real})"


@dataclass
class CriticalValues:
    """All critical values of a loss (see the module docstring).

    ``values`` are the real ones in increasing order; ``complex_count`` counts the
    non-real roots of the eliminant.  ``minimum`` is the smallest real critical value
    attained at a real critical point, which is the global minimum of the loss whenever
    the loss attains its infimum; ``minimum_is_attained_global`` says whether that is
    proven here (:func:`loss_is_coercive`).  ``guarantee``: what the values rest on.
    """

    eliminant: "flint.fmpz_poly"
    values: list
    complex_count: int
    dimension: int
    minimum_is_attained_global: bool
    primes: list = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    complete: bool = True
    reason: str = ""
    guarantee: Guarantee | None = None

    @property
    def minimum(self):
        for v in self.values:
            if v.attained is True:
                return v
            if v.attained is None:
                return None
        return None

    @property
    def attained_values(self):
        """The values certified to be taken at real critical points."""
        return [v for v in self.values if v.attained is True]

    def __repr__(self):
        vals = ", ".join(repr(v) for v in self.values)
        return (f"CriticalValues([{vals}], critical set of dimension {self.dimension}, "
                f"{self.complex_count} non-real)")


def _extended_terms(system):
    """Integer terms of the gradient equations and of ``D*t - D*L``, in n+1 variables (t last)."""
    n = system.nvars
    eqs = [[(tuple(e) + (0,), int(c)) for e, c in f.terms()] for f in system.integer_equations]
    L = system.loss
    den = math.lcm(*(int(c.q) for c in L.coeffs())) if L.coeffs() else 1
    tl = [(tuple(e) + (0,), -int(c * den)) for e, c in L.terms()]
    tl.append(((0,) * n + (1,), den))
    return eqs, tl


def _eliminant_image(task):
    """Worker: the monic generator of the elimination ideal modulo one prime."""
    terms, n, p, timeout = task
    t0 = time.perf_counter()
    raw = modp_arrays([dict(f) for f in terms], n + 1, p, "block", (n, 1))
    basis, _ = f4(raw, n + 1, p, order="block", blocks=(n, 1), timeout=timeout)
    univariate = [(e, c) for e, c in basis if not e[:, :n].any()]
    dt = time.perf_counter() - t0
    if len(univariate) != 1:
        return p, ("no-eliminant", len(univariate)), [], dt
    e, c = univariate[0]
    image = [{(int(d),): int(v) for d, v in zip(e[:, n], c)}]
    return p, ("deg", int(e[0, n])), image, dt


def _left(deadline, what):
    """Seconds left before ``deadline`` (``None``: no budget); TimeoutExceeded when none."""
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutExceeded(f"time budget reached during {what}")
    return left


def _factor_dimension(terms, n, factor, stream, deadline=None):
    """``(dimension, primes drawn)``: the Krull dimension of (grad L, t - L, factor(t)),
    over the n+1 variables, from two primes of ``stream`` giving the same leading
    monomials (at most :data:`~grobnet.exact.probe.MAX_PROBE_PRIMES` drawn)."""
    coeffs = [int(c) for c in factor.coeffs()]
    h = [((0,) * n + (k,), c) for k, c in enumerate(coeffs) if c]
    polys = [dict(f) for f in terms + [h]]
    seen = []
    for draws in range(1, MAX_PROBE_PRIMES + 1):
        p = next(stream)
        basis, _ = f4(modp_arrays(polys, n + 1, p), n + 1, p,
                      timeout=_left(deadline, "the dimension of a level"))
        lms = tuple(tuple(int(v) for v in e[0]) for e, _ in basis)
        if lms in seen:
            return dimension_and_degree(lms, n + 1)[0], draws
        seen.append(lms)
    raise UnluckyPrimesExhausted(f"{MAX_PROBE_PRIMES} primes gave no two equal leading-"
                                 "monomial sets for a level of the critical set")


def _level_real_values(terms, n, factor, seed, deadline=None):
    """Certified t-intervals of the real critical points on the zero-dimensional level
    ``factor(L) = 0``, by exact real solving of (grad L, t - L, factor(t))."""
    ctx = flint.fmpz_mpoly_ctx.get(tuple(f"x{i}" for i in range(n)) + ("t",), "degrevlex")
    coeffs = [int(c) for c in factor.coeffs()]
    h = [((0,) * n + (k,), c) for k, c in enumerate(coeffs) if c]
    polys = [ctx.from_dict(dict(f)) for f in terms + [h]]
    sols = solve(polys, real=True, digits=15, seed=seed,
                 timeout=_left(deadline, "the real points of a level"))
    if not sols.complete or sols.dimension != 0:
        return None
    return [s.intervals[n] for s in sols.real]


def _rational_witnesses(system, points):
    """Exact loss values at the candidate points where the gradient vanishes exactly."""
    out = []
    for pt in points:
        q = [flint.fmpq(v) for v in pt]
        if all(f(*q) == 0 for f in system.equations):
            out.append(system.loss(*q))
    return out


def _slice_witnesses(system, undecided, seed, starts=8, max_slices=4, deadline=None):
    """Certified real critical points near gradient-descent limits, by exact solving of
    coordinate slices.

    At a limit point x* on a d-dimensional piece of the critical set, fixing d well
    chosen coordinates to nearby rationals leaves a zero-dimensional system whose real
    solutions (certified boxes) are genuine real critical points.  Returns their loss
    balls.  Only used for levels whose real attainment is otherwise undecided.
    """
    runs = [r for r in gradient_descent(system.loss, starts=starts, seed=seed,
                                        deadline=deadline) if r.converged]
    hess = [[PolyEvaluator(h) for h in row] for row in hessian_polys(system.loss)]
    L = PolyEvaluator(system.loss)
    gens = system.ctx.gens()
    balls, tried = [], 0
    for run in runs:
        if tried >= max_slices:
            break
        if not any(abs(run.loss - float(v)) < 1e-6 for v in undecided):
            continue
        x = run.point
        h = np.array([[e.floats(x) for e in row] for row in hess])
        w, v = np.linalg.eigh(h)
        null = v[:, np.abs(w) < 1e-6 * max(1.0, np.abs(w).max())]
        fixed = []
        basis = null.copy()
        for _ in range(null.shape[1]):          # greedy: coordinates spanning the null space
            i = int(np.argmax(np.linalg.norm(basis, axis=1)))
            fixed.append(i)
            row = basis[i] / np.linalg.norm(basis[i])
            basis = basis - np.outer(basis @ row, row)
        tried += 1
        slice_eqs = list(system.equations)
        for i in fixed:
            q = Fraction(float(x[i])).limit_denominator(64)
            slice_eqs.append(gens[i] - flint.fmpq(q.numerator, q.denominator))
        left = 30.0 if deadline is None else min(30.0, deadline - time.monotonic())
        if left <= 0:
            break
        try:
            sols = solve(slice_eqs, real=True, digits=15, seed=seed, timeout=left)
        except Exception:   # a slice that is not zero-dimensional or too hard: no witness
            continue
        if sols.complete and sols.dimension == 0:
            balls.extend(L.arb(list(sol.intervals)) for sol in sols.real)
    return balls


def critical_values(system, *, seed: int | None = None, executor="serial", digits: int = 30,
                    timeout: float | None = None, max_primes: int = 500,
                    witnesses=(), descent_witnesses: bool = True,
                    progress=None) -> CriticalValues:
    """Exact critical values of ``system.loss`` on the critical set ``system.equations = 0``.

    ``system`` is a :class:`~grobnet.frontend.system.PolynomialSystem` with a ``loss``.
    Returns :class:`CriticalValues`; ``complete`` is False (with a reason) when the
    lift was cut short by ``timeout`` or ``max_primes``.  Real attainment is decided by
    exact real solving on zero-dimensional levels and by exact checks of rational
    candidate points (the origin and ``witnesses``) on the others; with
    ``descent_witnesses``, gradient descent plus exact solving of coordinate slices
    (:func:`_slice_witnesses`) supplies certified real points for the remaining levels.
    ``progress(stage, info)`` (optional) hears the stage boundaries (stage
    ``critical-values``, ``info["event"]``: ``eliminant``, ``prime`` (k-th prime of the
    lift), ``eliminant lifted``, ``level``, ``witnesses``).
    """
    if getattr(system, "loss", None) is None:
        raise ValueError("critical values need the system's loss polynomial (system.loss is None)")
    n = system.nvars
    seed = resolve_seed(seed)
    deadline = None if timeout is None else time.monotonic() + timeout
    eqs, tl = _extended_terms(system)
    terms = eqs + [tl]
    t0 = time.perf_counter()
    ex, owned = owned_executor(executor)
    avoid = screen([[c for _, c in f] for f in terms])
    stream = PrimeStream(seed, avoid=[avoid], label="eliminant")
    budget = float(timeout) if timeout else 0.0
    report(progress, "critical-values", event="eliminant", variables=n + 1)
    tried = []

    def task(p):
        tried.append(p)
        report(progress, "critical-values", event="prime", k=len(tried), p=p)
        return terms, n, p, budget

    try:
        res = run_multimodular(_eliminant_image, task, stream, ex,
                               needed=2, max_primes=max_primes, timeout=timeout,
                               accept=lambda sig: sig[0] == "deg")
    finally:
        if owned:
            ex.close()
    if res.polys is None:
        raise GrobnetError(f"the eliminant of the loss could not be lifted to Q: {res.reason}")
    coeffs = res.polys[0]
    degree = max(m[0] for m in coeffs)
    qpoly = flint.fmpq_poly([coeffs.get((k,), 0) for k in range(degree + 1)])
    g = qpoly.numer()
    g = g // g.content()
    report(progress, "critical-values", event="eliminant lifted", degree=g.degree(),
           primes=len(res.primes))
    # dimension of the whole critical set: the shared probe (two primes agreeing)
    grad = [f for f in ({e[:n]: c for e, c in f} for f in eqs) if f]
    probe = probe_dimension(grad, n, seed=seed, deadline=deadline, timeout=timeout) \
        if grad else None
    dim = probe.hilbert.dimension if probe is not None else n
    cut = ""
    levels = PrimeStream(seed, avoid=[avoid], label="levels")
    decisions = [Decision(f"the eliminant (degree {g.degree()})", 2,
                          max(2, int(res.stats.get("primes_tried", 2))), stream.pool)]
    if probe is not None:
        decisions.append(probe.decision())
    values, nonreal = [], 0
    witnessed = set(_rational_witnesses(system, [(0,) * n] + [tuple(w) for w in witnesses]))
    _, factors = g.factor()
    prec = max(64, int(digits * 3.33) + 32)
    with flint.ctx.workprec(prec):
        for h, _mult in factors:
            roots = [r for r, _ in h.complex_roots()]
            real = [r.real for r in roots if r.imag.is_zero()]
            nonreal += len(roots) - len(real)
            if not real:
                continue
            try:
                fdim, draws = _factor_dimension(terms, n, h, levels, deadline)
            except TimeoutExceeded as exc:
                cut = f"timeout={timeout} s reached ({exc}); not every level was examined"
                break
            decisions.append(Decision(f"dimension {fdim} of a level", 2, MAX_PROBE_PRIMES,
                                      levels.pool))
            report(progress, "critical-values", event="level", factor_degree=h.degree(),
                   dimension=fdim)
            exact = flint.fmpq(-h.coeffs()[0], h.coeffs()[1]) if h.degree() == 1 else None
            try:
                level_ts = _level_real_values(terms, n, h, seed, deadline) if fdim == 0 \
                    else None
            except TimeoutExceeded:
                level_ts = None                  # attainment left undecided
            for r in real:
                if level_ts is not None:
                    attained = any(r.overlaps(tv) for tv in level_ts)
                elif exact is not None and exact in witnessed:
                    attained = True
                else:
                    attained = None
                values.append(CriticalValue(r, exact, h, fdim, attained))
    values.sort(key=lambda v: float(v))
    undecided = [v for v in values if v.attained is None]
    if undecided and descent_witnesses and not cut:
        report(progress, "critical-values", event="witnesses", undecided=len(undecided))
        balls = _slice_witnesses(system, undecided, seed, deadline=deadline)
        with flint.ctx.workprec(prec):
            for k, v in enumerate(values):
                if v.attained is None and any(b.overlaps(v.interval) and not any(
                        b.overlaps(o.interval) for o in values if o is not v) for b in balls):
                    values[k] = CriticalValue(v.interval, v.exact, v.factor, v.dimension, True)
    stats = dict(res.stats)
    stats["seconds"] = time.perf_counter() - t0
    stats["seed"] = seed
    guarantee = Guarantee(
        MONTE_CARLO, f"the {len(values)} real critical values are the real roots of the "
        "eliminant; a value marked attained has a certified real critical point",
        tuple(decisions), ("real roots of the eliminant isolated exactly",
                           "attained values: certified real critical points"),
        note=probe.la_note() if probe is not None else "", primes=tuple(res.primes))
    return CriticalValues(eliminant=g, values=values, complex_count=nonreal, dimension=dim,
                          minimum_is_attained_global=loss_is_coercive(system),
                          primes=res.primes, stats=stats, complete=res.complete and not cut,
                          reason=res.reason or cut, guarantee=guarantee)
