"""The routes of :func:`grobnet.solve` for one variable order, and the choice between them.

* The **exact route**: the rational univariate representation lifted to Q
  (:func:`grobnet.exact.rur_lift.rational_rur`), proven over Q by substitution into every
  equation (:mod:`grobnet.exact.verify`), real roots isolated exactly.
* The **hybrid route**: the degree ``D`` from a Groebner basis mod p (the shared
  dimension probe, two independent random primes agreeing), solutions by monodromy, each
  proven by Krawczyk's test (:func:`grobnet.numeric.route.hybrid_solutions`); complete iff
  the number of certified distinct solutions equals ``D``.

``method="auto"`` prices both routes after the probe (:mod:`grobnet.solver.costs`: the
exact lift's primes grow like ``D`` times the coefficient height, monodromy's paths like
``D`` times the input's terms), runs the cheaper one first and watches it: when its
projected rest costs clearly more than the other route, it is stopped and the other runs
from the same probe (its primes, basis and F4 trace).  When the hybrid route does not
finish (``method="auto"`` or ``"hybrid"``), the exact route takes over only if its
estimate fits the time left (no timeout: :data:`~grobnet.solver.costs.FALLBACK_FLOOR`
seconds or twice the time spent); otherwise the answer is the certified part, marked
incomplete with how far it got (certified / ``D``) -- never an open-ended exact run.

Every answer then goes through :func:`_finish`: the boxes are checked against the input
(:meth:`Solutions.check`, run, not offered) and for pairwise disjointness, and with
``proof=True`` the dimension and degree are proven over Q (:mod:`grobnet.exact.proof`).
Each answer carries its :class:`~grobnet.common.guarantee.Guarantee`.
"""
from __future__ import annotations

import time

import flint

from grobnet.common.boxes import PrecisionExhausted, pairwise_disjoint
from grobnet.common.guarantee import MONTE_CARLO, PROOF, Decision, Guarantee
from grobnet.common.primes import resolve_seed
from grobnet.engine.convert import as_system, flint_names
from grobnet.errors import MemoryBudgetExceeded, TimeoutExceeded, UnluckyPrimesExhausted
from grobnet.exact.probe import MAX_PROBE_PRIMES, input_screen, probe_dimension
from grobnet.exact.proof import prove_dimension_degree
from grobnet.exact.rur_lift import NotZeroDimensional, rational_rur
from grobnet.numeric.route import HybridOutcome, hybrid_solutions, resolve_symmetry
from grobnet.parallel import engine_threads, owned_executor
from grobnet.solver.costs import (RouteWatch, SwitchRoute, certification_seconds,
                                  estimate_routes, exact_fallback_allowed)
from grobnet.solver.solutions import Solutions

__all__ = ["METHODS", "PROOF_TIMEOUT", "hybrid_budget", "solve_in_order"]

METHODS = ("auto", "exact", "hybrid")

#: Default seconds for ``proof=True`` (the Groebner basis over Q and its verification).
PROOF_TIMEOUT = 120.0

#: With a ``timeout``, ``method="auto"``/``"hybrid"`` give the dimension probe at most this
#: share of it: when its Groebner basis is out of reach (networks of degree 20,000+: F4
#: rounds of 300,000 rows, for msolve too), monodromy gets the rest without a degree and
#: its certified solutions come back, marked incomplete (:func:`_unknown_degree_answer`)
PROBE_SHARE = 0.5

#: Of the time left for a run without a degree, the share the monodromy search may use;
#: the certification of what it found (a few seconds per thousand points) gets the rest
UNKNOWN_DEGREE_TRACKING_SHARE = 0.8

_POINTS_EXACT = "each listed solution is proven by exact substitution of the RUR into every " \
                "equation over Q"
_POINTS_KRAWCZYK = "each listed solution is proven by Krawczyk's test in interval arithmetic " \
                   "(one simple solution per box, boxes pairwise disjoint)"
_REAL_BOXES = "real boxes from exact real-root isolation and interval arithmetic"


def hybrid_budget(degree: int) -> float:
    """Seconds the hybrid route may take before the exact route takes over: generous
    next to what it needs on network systems (degree 481: ~15 s, 641: ~17-45 s; a
    stalled monodromy run gets a third, the next runs from other base points the rest)."""
    return max(60.0, degree / 3.0)


def solve_in_order(system, *, real: bool = True, complex: bool = False, digits: int = 30,
                   method: str = "auto", order: str = "grevlex", seed: int | None = None,
                   linear_form=None, executor="auto", backend: str = "auto",
                   check_primes: int = 2, max_primes: int = 5000,
                   timeout: float | None = None, progress=None, proof: bool = False,
                   proof_timeout: float | None = None, symmetry="auto",
                   max_memory: int | None = None) -> Solutions:
    """:func:`grobnet.solve` with the variables in the order given (no order search);
    the options are those of :func:`grobnet.solve`."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
    t0 = time.monotonic()
    seed = resolve_seed(seed)
    try:
        names, int_polys, screen = input_screen(system)
    except ValueError as exc:
        if "all input polynomials are zero" not in str(exc):
            raise
        names = as_system(system).variables
        n = len(names)
        return Solutions(variables=names, dimension=n, degree=1, complete=False,
                         reason=f"positive-dimensional solution set (dimension {n}): every "
                                "equation is zero, so every point is a solution",
                         route="zero ideal", stats={"total_time": time.monotonic() - t0,
                                                    "seed": seed},
                         guarantee=Guarantee(PROOF, "every equation is zero"))
    common = dict(names=names, real=real, complex=complex, digits=digits, order=order,
                  seed=seed, backend=backend, timeout=timeout, t0=t0)
    if max_memory is not None and (int(max_memory) != max_memory or max_memory <= 0):
        raise ValueError(f"max_memory must be a positive number of bytes, got {max_memory!r}")
    exact_options = dict(linear_form=linear_form, executor=executor,
                         check_primes=check_primes, max_primes=max_primes,
                         max_memory=None if max_memory is None else int(max_memory))
    if method == "exact" or linear_form is not None:
        done = _exact_route(system, **common, **exact_options, progress=progress, probe=None,
                            hybrid_report=None)
    else:
        group = resolve_symmetry(system, names, int_polys, symmetry)
        done = _routes_after_probe(system, int_polys, screen, method=method, common=common,
                                   exact_options=exact_options, progress=progress,
                                   symmetry=group)
    done.stats["seed"] = seed
    return _finish(done, names, int_polys, t0=t0, timeout=timeout, seed=seed, proof=proof,
                   proof_timeout=proof_timeout)


# ------------------------------------------------------------------------ exact route
def _exact_route(system, names, *, real, complex, digits, order, seed, linear_form, executor,
                 backend, check_primes, max_primes, timeout, t0, progress, probe,
                 hybrid_report, max_memory=None) -> Solutions:
    """The RUR lifted to Q and proven, then certified real (and complex) boxes."""
    deadline = None if timeout is None else t0 + timeout
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
                           probe=probe, real_roots=real, digits=digits,
                           max_memory=max_memory)
    except NotZeroDimensional as exc:
        stats = {"total_time": time.monotonic() - t0, "probe_primes": exc.probe.primes}
        if exc.dimension < 0:
            return Solutions(variables=names, dimension=-1, degree=0, real=[],
                             complex=[] if complex else None,
                             route="leading ideal is the unit ideal", stats=stats,
                             guarantee=exc.probe.guarantee(
                                 "no solution: the ideal is the unit ideal (modulo two "
                                 "independent random primes)"))
        return Solutions(variables=names, dimension=exc.dimension, degree=exc.degree,
                         complete=False,
                         reason=f"positive-dimensional solution set (dimension "
                                f"{exc.dimension}); not solved as finite",
                         route="hilbert series", stats=stats,
                         guarantee=exc.probe.guarantee(
                             f"the solution set has dimension {exc.dimension} (degree "
                             f"{exc.degree}); it is not listed"))
    stats = {"rur_time": time.monotonic() - t0, "probe_primes": rur.probe.primes}
    for key in ("verification_time",):
        if key in rur.stats:
            stats[key] = rur.stats[key]
    if hybrid_report is not None:
        stats["hybrid"] = hybrid_report
    decision = rur.probe.decision()
    if not rur.radical:
        decision = Decision(f"{decision.what}, {rur.n_solutions} distinct solutions",
                            decision.agreeing, decision.draws, decision.pool)
    counts = Guarantee(MONTE_CARLO, f"dimension 0, degree {rur.degree}", (decision,),
                       note=rur.probe.la_note(), primes=tuple(rur.probe.primes))

    def incomplete(reason):
        return Solutions(variables=names, dimension=0, degree=rur.degree, rur=rur,
                         complete=False, reason=reason, route="rur", stats=stats,
                         guarantee=counts)

    if not rur.complete:
        return incomplete(f"RUR lift incomplete: {rur.reason}")
    t1 = time.monotonic()
    try:
        if deadline is not None and t1 > deadline:
            raise TimeoutExceeded(f"timeout={timeout} s reached before the real roots were "
                                  "isolated (the RUR is complete and verified)")
        reals = rur.real_solutions(digits, deadline=deadline) if real else None
        if progress is not None and reals is not None:
            progress("solve", {"event": "real roots", "real": len(reals)})
        stats["real_roots_time"] = time.monotonic() - t1
        comps = rur.complex_solutions(min(digits, 15), deadline=deadline) if complex else None
    except TimeoutExceeded as exc:
        stats["real_roots_time"] = time.monotonic() - t1
        reason = str(exc)
        if "timeout=" not in reason:
            reason = f"timeout={timeout} s reached during root isolation ({reason})"
        return incomplete(reason)
    except PrecisionExhausted as exc:
        return incomplete(f"root isolation: {exc}")
    stats["total_time"] = time.monotonic() - t0
    statement = (f"all {rur.n_solutions} distinct complex solutions"
                 + (f" ({len(reals)} real)" if reals is not None else "")
                 + f"; complete if the degree of the ideal is {rur.degree}")
    proven = [_POINTS_EXACT] + ([_REAL_BOXES] if real else [])
    guarantee = Guarantee(MONTE_CARLO, statement, (decision,), tuple(proven),
                          primes=tuple(rur.probe.primes))
    return Solutions(variables=names, dimension=0, degree=rur.degree, real=reals, complex=comps,
                     rur=rur, route="rur (multimodular, verified over Q)", stats=stats,
                     guarantee=guarantee)


# ------------------------------------------------------------------- route choice
def _routes_after_probe(system, int_polys, screen, *, method, common, exact_options,
                        progress, symmetry=None) -> Solutions:
    """``method="auto"`` / ``"hybrid"``: the shared probe, then the routes as the module
    docstring says (first choice by :func:`~grobnet.solver.costs.estimate_routes`,
    switches by :class:`~grobnet.solver.costs.RouteWatch`, no hopeless fall-back)."""
    names, timeout, t0 = common["names"], common["timeout"], common["t0"]
    n = len(names)

    def exact(probe, report, watch=None):
        return _exact_route(system, **common, **exact_options,
                            progress=progress if watch is None else watch, probe=probe,
                            hybrid_report=report)

    if len(int_polys) != n:                     # monodromy needs a square system
        report = {"reason": f"not square ({len(int_polys)} equations in {n} variables)"}
        return exact(None, None if method == "auto" else report)
    share = None if timeout is None else PROBE_SHARE * timeout
    try:
        probe = probe_dimension(int_polys, n, order=common["order"], backend=common["backend"],
                                seed=common["seed"],
                                deadline=None if share is None else t0 + share,
                                timeout=share, progress=progress, avoid=screen,
                                threads=engine_threads(exact_options["executor"]),
                                max_memory=exact_options["max_memory"])
    except UnluckyPrimesExhausted as exc:
        return exact(None, {"reason": f"dimension probe: {exc}"})
    except MemoryBudgetExceeded as exc:
        cut = (f"the dimension probe (F4 modulo a prime) did not fit "
               f"max_memory={exact_options['max_memory']} bytes: {exc}")
        return _unknown_degree_answer(int_polys, names, common, progress,
                                      exact_options["executor"], symmetry, cut)
    except TimeoutExceeded as exc:
        if share is None:
            raise
        cut = (f"the dimension probe (F4 modulo a prime) did not finish in its share "
               f"({share:.3g} s of timeout={timeout} s): {exc}")
        return _unknown_degree_answer(int_polys, names, common, progress,
                                      exact_options["executor"], symmetry, cut)
    hs = probe.hilbert
    if hs.dimension != 0:
        return exact(probe, None)
    if progress is not None:
        progress("solve", {"event": "probe", "dimension": 0, "degree": hs.degree})
    estimate = estimate_routes(int_polys, n, hs.degree,
                               min(im.seconds for im in probe.images))
    chosen = {"estimate": estimate.as_dict()}
    trial = estimate.exact_trial if method == "auto" else None
    if method == "auto" and (estimate.prefer == "exact" or trial is not None):
        chosen["first"] = "exact" if trial is None else f"exact (trial of {trial:.3g} s)"
        try:
            done = exact(probe, None, RouteWatch("exact", estimate, progress, limit=trial))
            done.stats["route_choice"] = chosen
            return done
        except SwitchRoute as exc:
            chosen["switched"] = exc.reason
        if trial is None:
            # exact was judged slow (not wrong): the hybrid route, and then the exact
            # route unwatched if the hybrid route does not finish and time is left
            outcome = _run_hybrid(int_polys, names, probe, common, progress,
                                  exact_options["executor"], symmetry)
            if outcome.complete:
                return _hybrid_answer(outcome, names, probe, common, chosen)
            left = _left(timeout, t0)
            if left is None or left > 0:
                chosen["fallback"] = "exact"
                done = exact(probe, {"reason": outcome.reason, **outcome.stats})
                done.stats["route_choice"] = chosen
                return done
            return _partial_answer(outcome, names, probe, common, chosen, estimate)
    chosen.setdefault("first", "hybrid")
    watch = RouteWatch("hybrid", estimate, progress) if method == "auto" else progress
    try:
        outcome = _run_hybrid(int_polys, names, probe, common, watch, exact_options["executor"],
                              symmetry)
    except SwitchRoute as exc:
        chosen["switched_back" if "switched" in chosen else "switched"] = exc.reason
        done = exact(probe, {"reason": exc.reason})
        done.stats["route_choice"] = chosen
        return done
    if outcome.complete:
        return _hybrid_answer(outcome, names, probe, common, chosen)
    elapsed = time.monotonic() - t0
    if exact_fallback_allowed(estimate, elapsed, _left(timeout, t0)):
        chosen["fallback"] = "exact"
        done = exact(probe, {"reason": outcome.reason, **outcome.stats})
        done.stats["route_choice"] = chosen
        return done
    return _partial_answer(outcome, names, probe, common, chosen, estimate)


def _unknown_degree_answer(int_polys, names, common, progress, executor, symmetry,
                           cut: str) -> Solutions:
    """The probe was cut: monodromy without a degree in the time left, every point it
    finds certified (Krawczyk), the answer incomplete with dimension and degree unknown
    (``None``): a list of proven solutions, never a claim that it is all of them."""
    left = _left(common["timeout"], common["t0"])
    if progress is not None:
        progress("solve", {"event": "probe cut", "reason": cut})
    budget = None if left is None else UNKNOWN_DEGREE_TRACKING_SHARE * left  # None: saturation
    outcome = _hybrid_call(int_polys, names, None, budget, common, progress, executor, symmetry)
    n_cert = outcome.n_certified
    stats = {"hybrid_time": time.monotonic() - common["t0"], "route_choice": {"probe": cut},
             **outcome.stats}
    guarantee = Guarantee(
        PROOF, f"{n_cert} complex solutions ({len(outcome.real)} real), each proven; the "
               "list may be incomplete: the dimension and the degree are unknown",
        proven=(_POINTS_KRAWCZYK,))
    return Solutions(variables=names, dimension=None, degree=None,
                     real=list(outcome.real) if common["real"] else None,
                     complex=list(outcome.complex) if common["complex"] else None,
                     complete=False, reason=f"{cut}; {outcome.reason}",
                     route=f"hybrid (degree unknown: {n_cert} certified)", stats=stats,
                     guarantee=guarantee)


def _left(timeout, t0):
    return None if timeout is None else timeout - (time.monotonic() - t0)


def _run_hybrid(int_polys, names, probe, common, progress, executor="auto", symmetry=None):
    """Monodromy and Krawczyk for the probe's degree, within :func:`hybrid_budget` and the
    time left of a ``timeout`` less the certification's estimated time
    (:func:`~grobnet.solver.costs.certification_seconds`).  ``executor``: ``"auto"``
    tracks in this process on every core (C threads), ``"serial"`` on one thread; a pool,
    ``"processes"`` or a Dask ``Client`` get the path batches (the same points come back,
    bit for bit).  ``symmetry``: the proven group from
    :func:`~grobnet.numeric.route.resolve_symmetry` (or ``None``)."""
    degree = probe.hilbert.degree
    budget = hybrid_budget(degree)
    left = _left(common["timeout"], common["t0"])
    if left is not None:
        # the certification runs after the tracking and is not cut: a timeout leaves it
        # its estimated time ([3,2,1] without biases, 7,341 points: answer 5.9 s past 900 s)
        certify = certification_seconds(degree, len(names))
        budget = min(budget, left - certify)
        if budget <= 0:
            return HybridOutcome(degree, False, reason=(
                f"timeout={common['timeout']} s reached after the dimension probe" if left <= 0
                else f"timeout={common['timeout']} s: the {left:.3g} s left after the dimension "
                     f"probe do not fit the tracking and certification of {degree} solutions "
                     f"(certification alone ~{certify:.3g} s)"))
    return _hybrid_call(int_polys, names, degree, budget, common, progress, executor, symmetry)


def _hybrid_call(int_polys, names, degree, budget, common, progress, executor, symmetry):
    """:func:`~grobnet.numeric.route.hybrid_solutions` on the route's executor (see
    :func:`_run_hybrid`); ``degree=None``: unknown."""
    threads = engine_threads(executor)
    if isinstance(executor, str) and executor in ("auto", "serial"):
        executor = None
    ex, owned = (None, False) if executor is None else owned_executor(executor)
    try:
        return hybrid_solutions(int_polys, names, degree, digits=common["digits"],
                                seed=common["seed"], timeout=budget, progress=progress,
                                executor=ex, threads=threads, symmetry=symmetry)
    finally:
        if owned:
            ex.close()


def _hybrid_stats(outcome, probe, common, chosen):
    return {"hybrid_time": time.monotonic() - common["t0"], "probe_prime": probe.prime,
            "probe_primes": probe.primes, "route_choice": chosen, **outcome.stats}


def _hybrid_answer(outcome, names, probe, common, chosen) -> Solutions:
    """A complete certified answer of the hybrid route."""
    degree = probe.hilbert.degree
    stats = _hybrid_stats(outcome, probe, common, chosen)
    stats["total_time"] = time.monotonic() - common["t0"]
    guarantee = probe.guarantee(
        f"all {degree} complex solutions ({len(outcome.real)} real; {degree} certified "
        f"distinct = degree); complete if the degree of the ideal is {degree}",
        proven=(_POINTS_KRAWCZYK,))
    return Solutions(variables=names, dimension=0, degree=degree,
                     real=outcome.real if common["real"] else None,
                     complex=outcome.complex if common["complex"] else None,
                     route="hybrid (monodromy + Krawczyk; certified count = degree)",
                     stats=stats, guarantee=guarantee)


def _partial_answer(outcome, names, probe, common, chosen, estimate) -> Solutions:
    """What the hybrid route certified, marked incomplete with how far it got and why
    the exact route was not run (its estimate did not fit)."""
    degree = probe.hilbert.degree
    stats = _hybrid_stats(outcome, probe, common, chosen)
    stats["total_time"] = time.monotonic() - common["t0"]
    left = _left(common["timeout"], common["t0"])
    room = (f"the {max(left, 0.0):.3g} s left of timeout={common['timeout']} s" if left is not None
            else "the fall-back budget (method='exact' runs it regardless)")
    reason = (f"{outcome.n_certified} of {degree} solutions certified by the hybrid route "
              f"({outcome.reason}); the exact route, estimated at ~{estimate.exact:.3g} s over "
              f"~{estimate.primes} primes, does not fit {room}")
    guarantee = probe.guarantee(
        f"{outcome.n_certified} of the {degree} complex solutions ({len(outcome.real)} real), "
        "each proven; the list is incomplete", proven=(_POINTS_KRAWCZYK,))
    return Solutions(variables=names, dimension=0, degree=degree,
                     real=list(outcome.real) if common["real"] else None,
                     complex=list(outcome.complex) if common["complex"] else None,
                     complete=False, reason=reason,
                     route=f"hybrid (partial: {outcome.n_certified} of {degree} certified)",
                     stats=stats, guarantee=guarantee)


# --------------------------------------------------------------- checks and proof
def _finish(sols: Solutions, names, int_polys, *, t0, timeout, seed, proof, proof_timeout):
    """Run the checks every answer goes through (module docstring), then ``proof``."""
    t1 = time.monotonic()
    ctx = flint.fmpz_mpoly_ctx.get(flint_names(names), "degrevlex")
    polys = [ctx.from_dict(f) for f in int_polys]
    problems = []
    if not sols.check(polys):
        problems.append("a solution box does not contain a zero of every equation "
                        "(Solutions.check failed)")
    for kind in ("real", "complex"):
        boxes = getattr(sols, kind)
        if boxes and not pairwise_disjoint(boxes):
            problems.append(f"two {kind} solution boxes overlap")
    sols.stats["check_time"] = time.monotonic() - t1
    if problems and sols.complete:
        sols.complete, sols.reason = False, "; ".join(problems)
    if proof and sols.dimension is None:
        sols.guarantee = sols.guarantee.with_note(
            "proof=True: not attempted (a Groebner basis modulo a prime was already out of "
            "reach; one over Q costs more)")
    elif proof:
        _prove(sols, names, int_polys, t0=t0, timeout=timeout, seed=seed,
               budget=PROOF_TIMEOUT if proof_timeout is None else proof_timeout)
    sols.stats["total_time"] = time.monotonic() - t0
    return sols


def _prove(sols: Solutions, names, int_polys, *, t0, timeout, seed, budget):
    """``proof=True``: prove dimension and degree over Q and upgrade (or correct) the
    answer's guarantee; a proof that does not finish is said so in the guarantee."""
    if timeout is not None:
        budget = min(budget, max(0.0, timeout - (time.monotonic() - t0)))
    if budget <= 0:
        sols.guarantee = sols.guarantee.with_note(
            "proof=True: no time left within timeout for the proof over Q")
        return
    outcome = prove_dimension_degree(int_polys, names, seed=seed, timeout=budget)
    sols.stats["proof"] = {"proven": outcome.proven, "seconds": outcome.seconds,
                           "reason": outcome.reason, **outcome.stats}
    if not outcome.proven:
        why = (f"too expensive: not finished within its budget of {budget:.3g} s "
               f"({outcome.reason})" if outcome.budget else outcome.reason)
        sols.guarantee = sols.guarantee.with_note(f"proof=True did not prove the counts: {why}")
        return
    proven_counts = (f"dimension {outcome.dimension}" if outcome.dimension != 0
                     else f"degree {outcome.degree}")
    basis = ("a Groebner basis over Q of the homogenized input, verified by Buchberger's "
             "criterion and input membership, Arnold's theorem with a check prime")
    claimed = (sols.dimension, sols.degree if sols.dimension >= 0 else 0)
    if claimed != (outcome.dimension, outcome.degree if outcome.dimension >= 0 else 0):
        sols.complete = False
        sols.reason = (f"proof=True: the verified Groebner basis over Q gives dimension "
                       f"{outcome.dimension}, degree {outcome.degree}, but the random primes "
                       f"gave dimension {sols.dimension}, degree {sols.degree}")
        sols.dimension, sols.degree = outcome.dimension, outcome.degree
        sols.guarantee = Guarantee(PROOF, f"{proven_counts} (proven); the listed solutions are "
                                   "proven but not complete", (),
                                   (*sols.guarantee.proven, f"{proven_counts} by {basis}"))
        return
    proven = (*sols.guarantee.proven, f"{proven_counts} by {basis}")
    if sols.dimension < 0:
        sols.guarantee = Guarantee(PROOF, "no solution (proven: the ideal is the unit ideal)",
                                   (), proven)
    elif sols.dimension > 0:
        sols.guarantee = Guarantee(PROOF, f"the solution set has dimension {sols.dimension} "
                                   f"(degree {sols.degree}, proven); it is not listed", (),
                                   proven)
    elif not sols.complete:
        sols.guarantee = Guarantee(PROOF, f"dimension 0, degree {sols.degree} (proven); the "
                                   "list is incomplete", (), proven)
    else:
        distinct = sols.rur.n_solutions if sols.rur is not None else sols.degree
        if distinct == sols.degree:
            sols.guarantee = Guarantee(
                PROOF, f"all {distinct} complex solutions, each simple: {distinct} distinct "
                       f"solutions proven and the degree {sols.degree} proven", (), proven)
        else:
            sols.guarantee = Guarantee(
                MONTE_CARLO, sols.guarantee.statement,
                (Decision(f"{distinct} distinct solutions", 2, MAX_PROBE_PRIMES,
                          sols.guarantee.decisions[0].pool),), proven,
                "proof=True proved the degree; the ideal is not radical, so the number of "
                "distinct solutions still rests on the probe's primes",
                sols.guarantee.primes)
