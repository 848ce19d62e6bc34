"""``solve``: all solutions of a polynomial system over Q, certified.

The user's call: options are checked here, then the work goes either to the routes for
the variables as given (:func:`grobnet.solver.routes.solve_in_order`: the shared
dimension probe, the hybrid or the exact route) or, when variable orders are searched,
to :func:`grobnet.solver.orderings.solve_with_orderings` (probes, the solve under the
fastest order, the cross-check under another).  No solution (dimension -1) gives an
empty, complete answer; a positive-dimensional system is reported with its dimension
and degree and is never solved as if it were finite.
"""
from __future__ import annotations

from grobnet.solver.orderings import solve_with_orderings
from grobnet.solver.routes import METHODS, solve_in_order
from grobnet.solver.solutions import Solutions

__all__ = ["solve"]


def solve(system, real: bool = True, complex: bool = False, digits: int = 30, *,
          method: str = "auto",
          order: str = "grevlex", seed: int = 0, linear_form=None, executor="auto",
          backend: str = "auto", check_primes: int = 2, max_primes: int = 5000,
          timeout: float | None = None, orderings="given", cross_check=True,
          probe_timeout: float | None = 10.0, progress=None) -> Solutions:
    """All solutions of ``system``: a ``PolynomialSystem`` over Q, python-flint
    ``fmpq_mpoly``/``fmpz_mpoly``, sympy expressions or polynomial strings.

    ``real``: certified real boxes to ``digits`` significant digits;
    ``complex``: complex boxes too.  ``method``: ``"exact"`` lifts the rational
    univariate representation (multimodular; every box from exact arithmetic);
    ``"hybrid"`` takes the degree from a Groebner basis mod p, finds the solutions
    by monodromy and proves each with Krawczyk's test, complete when the number of
    certified distinct solutions equals the degree (:mod:`grobnet.numeric.route`),
    and falls back to the exact route otherwise; ``"auto"`` (default) is hybrid
    for square systems of degree at least :data:`~grobnet.solver.routes.HYBRID_MIN_DEGREE`,
    else exact.  ``Solutions.route`` says which route certified the answer.
    ``orderings``: ``"given"`` solves with the variables as given; ``"auto"``, an int
    or a list of orders searches variable orders and cross-checks them
    (:func:`grobnet.solver.orderings.solve_with_orderings`, which also takes
    ``cross_check`` and ``probe_timeout``).
    ``executor``: ``"auto"`` (serial, then a local process pool once a lift runs
    long), ``"serial"``, ``"processes"``, a ``dask.distributed.Client`` or a
    :class:`grobnet.parallel.Executor`.
    ``progress``: an optional ``progress(stage, info)`` callable, called in this
    process: stage ``"f4-round"`` (``round, degree, rows, cols, of``) for the
    dimension probe, stage ``"solve"`` with ``info["event"]`` ``"probe"``
    (``dimension, degree``), ``"prime"`` (``k, p``: the k-th prime of the lift),
    ``"rur lifted"`` (``primes``) and ``"real roots"`` (``real``).  An exception
    it raises aborts the computation.  Other options go to
    :func:`grobnet.exact.rur_lift.rational_rur`.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
    if not (isinstance(orderings, str) and orderings == "given"):
        return solve_with_orderings(
            system, orderings=orderings, real=real, complex=complex, digits=digits, order=order,
            seed=seed, linear_form=linear_form, executor=executor, backend=backend,
            check_primes=check_primes, max_primes=max_primes, timeout=timeout,
            cross_check=cross_check, probe_timeout=probe_timeout, method=method)
    return solve_in_order(system, real=real, complex=complex, digits=digits, method=method,
                          order=order, seed=seed, linear_form=linear_form, executor=executor,
                          backend=backend, check_primes=check_primes, max_primes=max_primes,
                          timeout=timeout, progress=progress)
