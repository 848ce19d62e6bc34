"""The routes of :func:`grobnet.solve` for one variable order, and the choice between them.

* The **exact route**: the rational univariate representation lifted to Q
  (:func:`grobnet.exact.rur_lift.rational_rur`), real roots isolated exactly.
* The **hybrid route**: the degree ``D`` from a Groebner basis mod p (the shared
  dimension probe, two primes agreeing), solutions by monodromy, each proven by
  Krawczyk's test (:func:`grobnet.numeric.route.hybrid_solutions`); complete iff the
  number of certified distinct solutions equals ``D``.  When it does not finish, the
  exact route takes over from the same probe (its prime, basis and F4 trace).

``method="auto"`` takes the hybrid route for square systems of degree at least
:data:`HYBRID_MIN_DEGREE`, the exact one otherwise.
"""
from __future__ import annotations

import time

from grobnet.engine.convert import as_system, integer_input
from grobnet.errors import TimeoutExceeded, UnluckyPrimesExhausted
from grobnet.exact.probe import probe_dimension
from grobnet.exact.rur_lift import NotZeroDimensional, rational_rur
from grobnet.numeric.route import hybrid_solutions
from grobnet.solver.solutions import Solutions

__all__ = ["METHODS", "HYBRID_MIN_DEGREE", "hybrid_budget", "solve_in_order"]

METHODS = ("auto", "exact", "hybrid")

#: ``method="auto"`` tries the hybrid route first for square systems of at least this
#: degree.  Below it the exact route is fast (katsura-8, degree 256: 3.5 s exact,
#: 10 s hybrid) and monodromy can stall on very symmetric systems (cyclic-6).
HYBRID_MIN_DEGREE = 400


def hybrid_budget(degree: int) -> float:
    """Seconds the hybrid route may take before the exact route takes over: generous
    next to what it needs on network systems (degree 481: ~15 s, 641: ~17-45 s; a
    stalled monodromy run gets a third, the next runs from other base points the rest)."""
    return max(60.0, degree / 3.0)


def solve_in_order(system, *, real: bool = True, complex: bool = False, digits: int = 30,
                   method: str = "auto", order: str = "grevlex", seed: int = 0,
                   linear_form=None, executor="auto", backend: str = "auto",
                   check_primes: int = 2, max_primes: int = 5000,
                   timeout: float | None = None, progress=None) -> Solutions:
    """:func:`grobnet.solve` with the variables in the order given (no order search);
    the options are those of :func:`grobnet.solve`."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
    t0 = time.monotonic()
    try:
        names, int_polys = integer_input(system)
    except ValueError as exc:
        if "all input polynomials are zero" not in str(exc):
            raise
        names = as_system(system).variables
        n = len(names)
        return Solutions(variables=names, dimension=n, degree=1, complete=False,
                         reason=f"positive-dimensional solution set (dimension {n}): every "
                                "equation is zero, so every point is a solution",
                         route="zero ideal", stats={"total_time": time.monotonic() - t0})
    probe, hybrid_report = None, None
    if method != "exact" and linear_form is None:
        done, probe, hybrid_report = _hybrid_route(
            int_polys, names, method=method, real=real, complex=complex, digits=digits,
            order=order, seed=seed, backend=backend, timeout=timeout, t0=t0, progress=progress)
        if done is not None:
            return done
    return _exact_route(system, names, real=real, complex=complex, digits=digits, order=order,
                        seed=seed, linear_form=linear_form, executor=executor, backend=backend,
                        check_primes=check_primes, max_primes=max_primes, timeout=timeout,
                        t0=t0, progress=progress, probe=probe, hybrid_report=hybrid_report)


def _exact_route(system, names, *, real, complex, digits, order, seed, linear_form, executor,
                 backend, check_primes, max_primes, timeout, t0, progress, probe,
                 hybrid_report) -> Solutions:
    """The RUR lifted to Q, then certified real (and complex) boxes."""
    try:
        left = timeout                        # the reasons name the timeout asked for
        if hybrid_report is not None and timeout is not None:
            left = timeout - (time.monotonic() - t0)
            if left <= 0:
                raise TimeoutExceeded(f"timeout={timeout} s reached during the hybrid route "
                                      f"({hybrid_report.get('reason', '')})")
        rur = rational_rur(system, order=order, seed=seed, linear_form=linear_form,
                           executor=executor, backend=backend, check_primes=check_primes,
                           max_primes=max_primes, timeout=left, progress=progress,
                           probe=probe)
    except NotZeroDimensional as exc:
        stats = {"total_time": time.monotonic() - t0}
        if exc.dimension < 0:
            return Solutions(variables=names, dimension=-1, degree=0, real=[],
                             complex=[] if complex else None,
                             route="leading ideal is the unit ideal", stats=stats)
        return Solutions(variables=names, dimension=exc.dimension, degree=exc.degree,
                         complete=False,
                         reason=f"positive-dimensional solution set (dimension "
                                f"{exc.dimension}); not solved as finite",
                         route="hilbert series", stats=stats)
    stats = {"rur_time": time.monotonic() - t0}
    if hybrid_report is not None:
        stats["hybrid"] = hybrid_report
    if not rur.complete:
        return Solutions(variables=names, dimension=0, degree=rur.degree, rur=rur,
                         complete=False, reason=f"RUR lift incomplete: {rur.reason}",
                         route="rur", stats=stats)
    if timeout is not None and time.monotonic() - t0 > timeout:
        return Solutions(variables=names, dimension=0, degree=rur.degree, rur=rur,
                         complete=False,
                         reason=f"timeout={timeout} s reached before the real roots were "
                                "isolated (the RUR is complete)", route="rur", stats=stats)
    t1 = time.monotonic()
    reals = rur.real_solutions(digits) if real else None
    if progress is not None and reals is not None:
        progress("solve", {"event": "real roots", "real": len(reals)})
    stats["real_roots_time"] = time.monotonic() - t1
    comps = rur.complex_solutions(min(digits, 15)) if complex else None
    stats["total_time"] = time.monotonic() - t0
    return Solutions(variables=names, dimension=0, degree=rur.degree, real=reals, complex=comps,
                     rur=rur, route="rur (multimodular)", stats=stats)


def _hybrid_route(int_polys, names, *, method, real, complex, digits, order, seed, backend,
                  timeout, t0, progress):
    """The hybrid route as ``(done, probe, report)``: ``done`` a certified complete
    :class:`Solutions` (else ``None``: the exact route runs), ``probe`` the dimension
    probe for the exact route to go on from (``None`` if there was none), ``report``
    why the hybrid route did not finish (``None`` when it was not taken, e.g.
    ``method="auto"`` below :data:`HYBRID_MIN_DEGREE`)."""
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
    done = Solutions(variables=names, dimension=0, degree=hs.degree,
                     real=outcome.real if real else None,
                     complex=outcome.complex if complex else None,
                     route="hybrid (monodromy + Krawczyk; certified count = degree)",
                     stats=stats)
    return done, probe, None
