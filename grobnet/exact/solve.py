"""``solve``: all solutions of a polynomial system over Q, exactly.

The chain: F4 mod p -> Hilbert series of the leading monomials (dimension,
degree) -> for a zero-dimensional system, the RUR lifted to Q -> certified real
boxes (and complex boxes on request).  No solution (dimension -1) gives an
empty, complete answer; a positive-dimensional system is reported with its
dimension and degree and is never solved as if it were finite.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from grobnet.errors import TimeoutExceeded
from grobnet.exact.realroots import evaluate_on_box
from grobnet.exact.rur_lift import NotZeroDimensional, RationalUnivariateRepresentation, rational_rur

__all__ = ["Solutions", "solve"]


@dataclass
class Solutions:
    """The answer of :func:`solve`.

    ``dimension``: -1 (no solution), 0 (finitely many) or the Krull dimension;
    ``degree``: number of complex solutions with multiplicity (dimension 0);
    ``real``: certified :class:`~grobnet.exact.realroots.RealSolution` boxes (or
    ``None`` when not computed); ``complex``: ``ComplexSolution`` boxes or
    ``None``; ``rur``: the rational univariate representation; ``complete``:
    ``False`` with a ``reason`` when anything was cut short or not solved;
    ``route``: how the solutions were certified.
    """

    variables: tuple
    dimension: int
    degree: int
    real: list | None = None
    complex: list | None = None
    rur: RationalUnivariateRepresentation | None = None
    complete: bool = True
    reason: str = ""
    route: str = ""
    stats: dict = field(default_factory=dict)

    def __iter__(self):
        return iter(self.real or [])

    def __len__(self):
        return len(self.real or [])

    def check(self, polys) -> bool:
        """Whether every polynomial of ``polys`` (fmpq/fmpz_mpoly) contains 0 over every
        real box: a necessary condition, cheap; the boxes are certified by construction."""
        return all(evaluate_on_box(f, s.intervals).contains(0)
                   for s in (self.real or []) for f in polys)

    def __repr__(self):
        if self.dimension < 0:
            body = "no solution"
        elif self.dimension > 0:
            body = f"positive-dimensional (dimension {self.dimension}, degree {self.degree})"
        else:
            body = f"{self.degree} complex solutions with multiplicity"
            if self.rur is not None:
                body += f" ({self.rur.n_solutions} distinct)"
            elif self.route.startswith("hybrid") and self.complete:
                body += f" ({self.degree} distinct, each certified)"
            if self.real is not None:
                body += f", {len(self.real)} real"
        state = "complete" if self.complete else f"INCOMPLETE: {self.reason}"
        return f"Solutions({len(self.variables)} variables, {body}; {state})"


#: ``method="auto"`` tries the hybrid route first for square systems of at least this
#: degree.  Below it the exact route is fast (katsura-8, degree 256: 3.5 s exact,
#: 10 s hybrid) and monodromy can stall on very symmetric systems (cyclic-6).
HYBRID_MIN_DEGREE = 400


def hybrid_budget(degree: int) -> float:
    """Seconds the hybrid route may take before the exact route takes over: generous
    next to what it needs on network systems (degree 481: ~15 s, 641: ~17-45 s; a
    stalled monodromy run gets a third, the next runs from other base points the rest)."""
    return max(60.0, degree / 3.0)


METHODS = ("auto", "exact", "hybrid")


def solve(system, real: bool = True, complex: bool = False, digits: int = 30, *,
          method: str = "auto",
          order: str = "grevlex", seed: int = 0, linear_form=None, executor="auto",
          backend: str = "auto", check_primes: int = 2, max_primes: int = 5000,
          timeout: float | None = None, orderings="given", cross_check=True,
          probe_timeout: float | None = 10.0, progress=None) -> Solutions:
    """All solutions of ``system`` (a PolynomialSystem over Q or a list of fmpq/fmpz_mpoly).

    ``real``: certified real boxes to ``digits`` significant digits;
    ``complex``: complex boxes too.  ``method``: ``"exact"`` lifts the rational
    univariate representation (multimodular; every box from exact arithmetic);
    ``"hybrid"`` takes the degree from a Groebner basis mod p, finds the solutions
    by monodromy and proves each with Krawczyk's test, complete when the number of
    certified distinct solutions equals the degree (:mod:`grobnet.numeric.route`),
    and falls back to the exact route otherwise; ``"auto"`` (default) is hybrid
    for square systems of degree at least :data:`HYBRID_MIN_DEGREE`, else exact.
    ``Solutions.route`` says which route certified the answer.
    ``orderings``: ``"given"`` solves with the
    variables as given; ``"auto"``, an int or a list of orders searches variable
    orders and cross-checks them (:func:`grobnet.ordering.solve_with_orderings`,
    which also takes ``cross_check`` and ``probe_timeout``).
    ``progress``: an optional ``progress(stage, info)`` callable, called in this
    process: stage ``"f4-round"`` (``round, degree, rows, cols, of``) for the
    dimension probe, stage ``"solve"`` with ``info["event"]`` ``"probe"``
    (``dimension, degree``), ``"prime"`` (``k, p``: the k-th prime of the lift),
    ``"rur lifted"`` (``primes``) and ``"real roots"`` (``real``).  An exception
    it raises aborts the computation.  Other options go to :func:`rational_rur`.
    """
    from grobnet.exact.lift import integer_input

    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
    if not (isinstance(orderings, str) and orderings == "given"):
        from grobnet.ordering import solve_with_orderings
        return solve_with_orderings(
            system, orderings=orderings, real=real, complex=complex, digits=digits, order=order,
            seed=seed, linear_form=linear_form, executor=executor, backend=backend,
            check_primes=check_primes, max_primes=max_primes, timeout=timeout,
            cross_check=cross_check, probe_timeout=probe_timeout, method=method)

    t0 = time.monotonic()
    try:
        names, int_polys = integer_input(system)
    except ValueError as exc:
        if "all input polynomials are zero" not in str(exc):
            raise
        names = tuple(system.variables) if hasattr(system, "variables") else \
            tuple(list(system)[0].context().names())
        n = len(names)
        return Solutions(names, n, 1, None, None, None, False,
                         f"positive-dimensional solution set (dimension {n}): every equation is "
                         "zero, so every point is a solution", "zero ideal",
                         {"total_time": time.monotonic() - t0})
    done, probe, hybrid_stats = None, None, None
    if method != "exact" and linear_form is None:
        done, probe, hybrid_stats = _hybrid_route(int_polys, names, method, real, complex,
                                                  digits, order, seed, backend, timeout, t0,
                                                  progress)
        if done is not None:
            return done
    try:
        left = timeout                        # the reasons name the timeout asked for
        if hybrid_stats is not None and timeout is not None:
            left = timeout - (time.monotonic() - t0)
            if left <= 0:
                raise TimeoutExceeded(f"timeout={timeout} s reached during the hybrid route "
                                      f"({hybrid_stats.get('reason', '')})")
        rur = rational_rur(system, order=order, seed=seed, linear_form=linear_form,
                           executor=executor, backend=backend, check_primes=check_primes,
                           max_primes=max_primes, timeout=left, progress=progress,
                           probe=probe)
    except NotZeroDimensional as exc:
        if exc.dimension < 0:
            return Solutions(names, -1, 0, [], [] if complex else None, None, True, "",
                             "leading ideal is the unit ideal",
                             {"total_time": time.monotonic() - t0})
        return Solutions(names, exc.dimension, exc.degree, None, None, None, False,
                         f"positive-dimensional solution set (dimension {exc.dimension}); "
                         "not solved as finite", "hilbert series",
                         {"total_time": time.monotonic() - t0})
    stats = {"rur_time": time.monotonic() - t0}
    if hybrid_stats is not None:
        stats["hybrid"] = hybrid_stats
    if not rur.complete:
        return Solutions(names, 0, rur.degree, None, None, rur, False,
                         f"RUR lift incomplete: {rur.reason}", "rur", stats)
    if timeout is not None and time.monotonic() - t0 > timeout:
        return Solutions(names, 0, rur.degree, None, None, rur, False,
                         f"timeout={timeout} s reached before the real roots were isolated "
                         "(the RUR is complete)", "rur", stats)
    t1 = time.monotonic()
    reals = rur.real_solutions(digits) if real else None
    if progress is not None and reals is not None:
        progress("solve", {"event": "real roots", "real": len(reals)})
    stats["real_roots_time"] = time.monotonic() - t1
    comps = rur.complex_solutions(min(digits, 15)) if complex else None
    stats["total_time"] = time.monotonic() - t0
    return Solutions(names, 0, rur.degree, reals, comps, rur, True, "", "rur (multimodular)", stats)


def _hybrid_route(int_polys, names, method, real, complex, digits, order, seed, backend, timeout,
                  t0, progress):
    """The hybrid route (see :mod:`grobnet.numeric.route`) as ``(done, probe, report)``:
    ``done`` a certified complete :class:`Solutions` (else ``None``: the exact route
    runs), ``probe`` the dimension probe for the exact route to go on from (``None``
    if there was none), ``report`` why the hybrid route did not finish (``None`` when
    it was not taken, e.g. ``method="auto"`` below :data:`HYBRID_MIN_DEGREE`)."""
    from grobnet.errors import UnluckyPrimesExhausted
    from grobnet.exact.rur_lift import probe_dimension
    from grobnet.numeric.route import hybrid_solutions

    n = len(names)
    if len(int_polys) != n:
        report = {"reason": f"not square ({len(int_polys)} equations in {n} variables)"}
        return None, None, (None if method == "auto" else report)
    deadline = None if timeout is None else t0 + timeout
    try:
        probe = probe_dimension(int_polys, n, order=order, backend=backend, seed=seed,
                                deadline=deadline, timeout=timeout, progress=progress)
    except UnluckyPrimesExhausted as exc:
        return None, None, {"reason": f"dimension probe: {exc}"}
    p, hs = probe.prime, probe.hilbert
    if hs.dimension != 0 or (method == "auto" and hs.degree < HYBRID_MIN_DEGREE):
        return None, probe, None
    if progress is not None:
        progress("solve", {"event": "probe", "dimension": 0, "degree": hs.degree})
    left = hybrid_budget(hs.degree)
    if deadline is not None:
        left = min(left, deadline - time.monotonic())
        if left <= 0:
            return None, probe, {"reason": f"timeout={timeout} s reached after the "
                                           "dimension probe"}
    outcome = hybrid_solutions(int_polys, names, hs.degree, digits=digits, seed=seed,
                               timeout=left, progress=progress)
    stats = {"hybrid_time": time.monotonic() - t0, "probe_prime": p, **outcome.stats}
    if not outcome.complete:
        return None, probe, {"reason": outcome.reason, **stats}
    stats["total_time"] = time.monotonic() - t0
    return Solutions(names, 0, hs.degree, outcome.real if real else None,
                     outcome.complex if complex else None, None, True, "",
                     "hybrid (monodromy + Krawczyk; certified count = degree)", stats), \
        probe, None
