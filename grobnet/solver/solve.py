"""``solve``: all solutions of a polynomial system over Q, certified.

The user's call: options are checked here, then the work goes either to the routes for
the variables as given (:func:`grobnet.solver.routes.solve_in_order`: the shared
dimension probe, the hybrid or the exact route) or, when variable orders are searched,
to :func:`grobnet.solver.orderings.solve_with_orderings` (probes, the solve under the
fastest order, the cross-check under another).  No solution (dimension -1) gives an
empty, complete answer; a positive-dimensional system is reported with its dimension
and degree and is never solved as if it were finite.  Every answer carries a
``guarantee`` (:class:`~grobnet.common.guarantee.Guarantee`): what is proven, and the
Monte Carlo error bound of what is not.
"""
from __future__ import annotations

from grobnet.solver.orderings import solve_with_orderings
from grobnet.solver.routes import METHODS, solve_in_order
from grobnet.solver.solutions import Solutions

__all__ = ["solve"]


def solve(system, real: bool = True, complex: bool = False, digits: int = 30, *,
          method: str = "auto",
          order: str = "grevlex", seed: int | None = None, linear_form=None,
          executor="auto", backend: str = "auto", check_primes: int = 2,
          max_primes: int = 5000, timeout: float | None = None, orderings="given",
          cross_check=True, probe_timeout: float | None = 10.0, progress=None,
          proof: bool = False, proof_timeout: float | None = None,
          symmetry="auto", max_memory: int | None = None) -> Solutions:
    """All solutions of ``system``: a ``PolynomialSystem`` over Q, python-flint
    ``fmpq_mpoly``/``fmpz_mpoly``, sympy expressions or polynomial strings.

    Truth.  The primes are random: ``seed=None`` (default) draws a fresh seed (kept in
    ``stats["seed"]``; ``seed=`` replays a run exactly), and no prime dividing a
    coefficient or denominator of the input is used.  The dimension and the degree ``D``
    are decided by two independent primes agreeing.  Every listed solution is proven
    (exact route: the RUR substituted into every equation over Q; hybrid route:
    Krawczyk's test), every box is checked against the input, and ``complete=True``
    then rests only on ``D``: ``guarantee`` says so, with the error bound
    (:mod:`grobnet.common.guarantee`).  ``proof=True`` also proves dimension and degree
    by a Groebner basis over Q verified by Buchberger's criterion
    (:mod:`grobnet.exact.proof`, within ``proof_timeout`` seconds, default
    :data:`~grobnet.solver.routes.PROOF_TIMEOUT`); the guarantee then becomes
    ``"proof"``, or says why not (too expensive, not radical).

    ``real``: certified real boxes to ``digits`` significant digits;
    ``complex``: complex boxes too.  ``method``: ``"exact"`` lifts the rational
    univariate representation (multimodular; every box from exact arithmetic);
    ``"hybrid"`` takes the degree from a Groebner basis mod p, finds the solutions
    by monodromy and proves each with Krawczyk's test, complete when the number of
    certified distinct solutions equals the degree (:mod:`grobnet.numeric.route`),
    and falls back to the exact route otherwise when that fits the budget (else the
    certified part comes back, ``complete=False``, with how far it got); ``"auto"``
    (default) prices both routes after the dimension probe and runs the cheaper one,
    switching when the running one falls far behind its estimate
    (:mod:`grobnet.solver.costs`; ``stats["route_choice"]`` shows the estimates and
    the decisions).  ``Solutions.route`` says which route certified the answer.
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
    ``"rur lifted"`` (``primes``), ``"verified"`` (``ok``) and ``"real roots"``
    (``real``).  ``timeout``: seconds for the whole call, every stage included (root
    isolation too); a cut answer has ``complete=False`` and says where.  With a
    ``timeout``, ``method="auto"``/``"hybrid"`` give the dimension probe at most half of it
    (:data:`~grobnet.solver.routes.PROBE_SHARE`); ``max_memory``: bytes for the probe's
    Groebner bases modulo a prime (the engine's allocations; ``None``: no budget).  When
    the probe does not fit either (networks of degree 20,000+), the degree is unknown:
    monodromy runs without a count in the time left and the solutions it finds come back
    certified, with ``dimension`` and ``degree`` ``None`` and ``complete=False`` (the
    exact route has no such answer: it raises
    :class:`~grobnet.errors.MemoryBudgetExceeded` / returns the timeout's incomplete
    answer).  An exception
    it raises aborts the computation.  ``symmetry`` (hybrid route): ``"auto"`` uses the
    hidden-unit permutation group of a network system with plain L2 or no
    regularization, proven exactly by :mod:`grobnet.frontend.symmetry` and again on the
    integer equations: one path tracked and one Krawczyk test per orbit, the other
    solutions generated by the group (``stats["symmetry"]``); ``None`` turns it off; a
    :class:`~grobnet.frontend.symmetry.SymmetryGroup` or a list of variable permutations
    is used after the same exact check (``ValueError`` if it is not a symmetry; only
    with ``orderings="given"``).  Other options go to
    :func:`grobnet.exact.rur_lift.rational_rur`.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
    if not (isinstance(orderings, str) and orderings == "given"):
        return solve_with_orderings(
            system, orderings=orderings, real=real, complex=complex, digits=digits, order=order,
            seed=seed, linear_form=linear_form, executor=executor, backend=backend,
            check_primes=check_primes, max_primes=max_primes, timeout=timeout,
            cross_check=cross_check, probe_timeout=probe_timeout, method=method,
            proof=proof, proof_timeout=proof_timeout, max_memory=max_memory)
    return solve_in_order(system, real=real, complex=complex, digits=digits, method=method,
                          order=order, seed=seed, linear_form=linear_form, executor=executor,
                          backend=backend, check_primes=check_primes, max_primes=max_primes,
                          timeout=timeout, progress=progress, proof=proof,
                          proof_timeout=proof_timeout, symmetry=symmetry,
                          max_memory=max_memory)
