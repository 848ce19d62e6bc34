"""Solving under a searched variable order, mapped back and cross-checked.

The seed's sympy run answered differently under a reversed variable list.  A
Groebner basis describes the same ideal under every order, so with a complete
solver the order can only change the *time*.  :func:`solve_with_orderings` (what
``grobnet.solve(..., orderings=...)`` runs) probes candidate orders
(:mod:`grobnet.exact.orders`), solves under the fastest, maps the solutions back to
the original variables and -- the proof that the order changed nothing but the time
-- solves a second time under the runner-up order (other primes) and demands the
same degree, the same number of distinct solutions and the same real (and complex,
if asked for) solutions: equal counts and a one-to-one pairing of overlapping boxes.
A disagreement raises :class:`~grobnet.errors.OrderingMismatch` naming both orders.
"""
from __future__ import annotations

import time
from dataclasses import replace
from typing import Sequence

from grobnet.common.guarantee import MONTE_CARLO, Decision, Guarantee
from grobnet.common.primes import resolve_seed
from grobnet.errors import GrobnetError, OrderingMismatch, TimeoutExceeded
from grobnet.exact.orders import (PROBE_SHARE, Candidate, OrderingChoice, as_candidates,
                                  candidate_orders, choose_order, permute_polys,
                                  permuted_system)
from grobnet.exact.probe import input_screen, probe_dimension
from grobnet.parallel import Executor, get_executor
from grobnet.solver.routes import solve_in_order
from grobnet.solver.solutions import Solutions

__all__ = ["solve_with_orderings", "map_solutions", "compare_solutions", "probe_cross_check"]


def _inverse(perm):
    inv = [0] * len(perm)
    for k, i in enumerate(perm):
        inv[i] = k
    return inv


def map_solutions(sol, names: Sequence[str], perm: Sequence[int]):
    """A :class:`~grobnet.solver.solutions.Solutions` of the permuted system, in the original variables.

    Real and complex boxes, the RUR's variables, linear form and parametrizations
    are put back in the original order; the rest (dimension, degree, completeness,
    statistics) is unchanged.  ``sol.variables`` must be ``names`` permuted by ``perm``.
    """
    names = tuple(names)
    if tuple(sol.variables) != tuple(names[i] for i in perm):
        raise ValueError(f"solutions in variables {list(sol.variables)} are not the variables "
                         f"{list(names)} permuted by {list(perm)}")
    inv = _inverse(perm)

    def back(seq):
        return tuple(seq[inv[i]] for i in range(len(names)))

    real = None if sol.real is None else [
        replace(s, variables=names, intervals=back(s.intervals)) for s in sol.real]
    comps = None if sol.complex is None else [
        replace(s, variables=names, intervals=back(s.intervals)) for s in sol.complex]
    rur = sol.rur
    if rur is not None:
        numerators = list(back(rur.numerators)) if len(rur.numerators) == len(names) \
            else list(rur.numerators)
        rur = replace(rur, variables=names, linear_form=back(rur.linear_form),
                      numerators=numerators)
    return replace(sol, variables=names, real=real, complex=comps, rur=rur, stats=dict(sol.stats))


def _perfect_matching(left, right, overlap) -> bool:
    """Whether the boxes pair up one-to-one so that paired boxes overlap (Kuhn's augmenting paths)."""
    if len(left) != len(right):
        return False
    adj = [[j for j, r in enumerate(right) if overlap(a, r)] for a in left]
    owner = [-1] * len(right)

    def augment(i, seen):
        for j in adj[i]:
            if j not in seen:
                seen.add(j)
                if owner[j] < 0 or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    return all(augment(i, set()) for i in range(len(left)))


def _real_overlap(a, b) -> bool:
    return not a.disjoint(b)


def _complex_overlap(a, b) -> bool:
    return all(x.overlaps(y) for x, y in zip(a.intervals, b.intervals))


def _label(cand: Candidate) -> str:
    return f"{cand.name} {list(cand.perm)}"


def compare_solutions(a, b, order_a: str, order_b: str) -> dict:
    """Cross-check two solutions of one system (both in the original variables).

    They must agree on dimension and degree, on the number of distinct solutions
    (RUR), and on the real -- and, when both carry them, complex -- solutions: the
    same count and a one-to-one pairing of overlapping boxes.  (Certified boxes hold
    one solution each, so two boxes of one solution always overlap; boxes of distinct
    solutions overlap only if the solutions are closer than the box width.)  Raises
    :class:`OrderingMismatch` naming both orders; returns a summary for the statistics.
    """
    def fail(what):
        raise OrderingMismatch(
            f"variable orders disagree: {order_a} and {order_b}: {what}. The solution set is "
            "the same under every order, so this is a bug or a missed solution.")

    if (a.dimension, a.degree) != (b.dimension, b.degree):
        fail(f"dimension {a.dimension}, degree {a.degree} against dimension {b.dimension}, "
             f"degree {b.degree}")
    summary = {"dimension": a.dimension, "degree": a.degree}
    if a.rur is not None and b.rur is not None:
        if a.rur.n_solutions != b.rur.n_solutions:
            fail(f"{a.rur.n_solutions} against {b.rur.n_solutions} distinct solutions")
        summary["distinct_solutions"] = a.rur.n_solutions
    for kind, overlap in (("real", _real_overlap), ("complex", _complex_overlap)):
        sa, sb = getattr(a, kind), getattr(b, kind)
        if sa is None or sb is None:
            continue
        if len(sa) != len(sb):
            fail(f"{len(sa)} against {len(sb)} {kind} solutions")
        if not _perfect_matching(sa, sb, overlap):
            fail(f"the {len(sa)} {kind} solutions do not pair up: some box of one order "
                 "overlaps no box of the other")
        summary[f"{kind}_solutions"] = len(sa)
    return summary


def _runner_up(choice: OrderingChoice, cands, n):
    """The order for the cross-check solve: the fastest other finished probe, else the next
    candidate, else the reversed (or given) order; ``None`` for a single variable."""
    best = choice.best.perm
    for r in sorted((r for r in choice.probes if r.ok), key=lambda r: r.seconds):
        if r.candidate.perm != best:
            return r.candidate
    for c in cands:
        if c.perm != best:
            return c
    if n < 2:
        return None
    rev = tuple(range(n - 1, -1, -1))
    return Candidate("reversed", rev) if rev != best else Candidate("given", tuple(range(n)))


def _solve_under(cand, names, int_polys, invariants, *, seed, linear_form, timeout,
                 invariants_guarantee=None, **options):
    """The exact solve (``orderings="given"``) of the system permuted by ``cand``, in the
    permuted variables.  A timeout raised inside becomes an incomplete answer; any other
    error propagates with a note naming the order."""
    form = None if linear_form is None else tuple(int(linear_form[i]) for i in cand.perm)
    polys = permuted_system(names, int_polys, cand.perm)
    try:
        return solve_in_order(polys, seed=seed, linear_form=form, timeout=timeout, **options)
    except TimeoutExceeded as exc:
        if invariants is None:
            exc.add_note(f"while solving under variable order {_label(cand)}")
            raise
        dim, deg = invariants
        return Solutions(variables=tuple(names[i] for i in cand.perm), dimension=dim,
                         degree=deg, complete=False, reason=f"timeout: {exc}",
                         guarantee=invariants_guarantee)
    except Exception as exc:
        exc.add_note(f"while solving under variable order {_label(cand)}")
        raise


def solve_with_orderings(system, orderings="auto", real: bool = True, complex: bool = False,
                         digits: int = 30, *, order: str = "grevlex", seed: int | None = None,
                         linear_form=None, executor="auto", backend: str = "auto",
                         check_primes: int = 2, max_primes: int = 5000,
                         timeout: float | None = None, cross_check=True,
                         probe_timeout: float | None = 10.0, method: str = "auto",
                         proof: bool = False, proof_timeout: float | None = None,
                         max_memory: int | None = None):
    """Solve ``system`` exactly under the fastest of several variable orders, cross-checked.

    What ``grobnet.solve(system, orderings=...)`` runs for ``orderings`` other than
    ``"given"``: ``"auto"`` (every candidate of :func:`grobnet.exact.orders.candidate_orders`), an int
    (that many candidates) or a list of orders (variable names, index permutations,
    candidate names or :class:`Candidate`).

    1. Probes: F4 modulo a random prime (one per candidate) under every candidate,
       each within ``probe_timeout`` seconds; finished probes must agree on dimension
       and degree (:func:`grobnet.exact.orders.choose_order`: a disagreement is probed
       again modulo fresh primes before it is called a mismatch).
    2. The exact solve under the fastest order; solutions are mapped back to the
       original variables (:func:`map_solutions`), so the answer looks exactly as if
       the system had been solved as given.
    3. With ``cross_check`` (the default), a second exact solve under the runner-up
       order (the next fastest probe; the reversed order if only one was given), with
       other primes (``seed + 1``), and :func:`compare_solutions`: a disagreement
       raises :class:`OrderingMismatch` naming both orders.  ``True`` (or
       ``"same-form"``) reuses the first solve's separating form (in the original
       variables): the second Groebner bases, multiplication matrices and lift are
       computed afresh under the other order, but the real-root isolation costs the
       same, so the cross-check costs about one more solve.  ``"independent"`` lets the
       second solve choose its own form: it also exercises the root isolation
       differently, but its cost can differ widely (katsura-8: 18 s under the given
       order, 246 s under the reversed one, whose form isolates roots 60x slower).
       ``False`` skips the second solve when time matters more than the proof (the
       probes are still compared).

    ``timeout`` (seconds) is split: :data:`PROBE_SHARE` of it for the probes, the
    rest evenly between the two solves (the first may use what the probes left).  A
    cut solve returns ``complete=False`` with a ``reason`` (dimension and degree from
    the probes); an unfinished cross-check also returns ``complete=False`` (the answer
    is kept, but is not verified).  Cut before anything determined the dimension (no
    probe finished, the solve's own dimension probe cut), the run raises
    :class:`~grobnet.errors.TimeoutExceeded` as ``orderings="given"`` does.
    ``method`` is passed to each solve (``"auto"``, ``"exact"`` or ``"hybrid"``).
    ``executor`` (anything :func:`grobnet.parallel.get_executor` accepts: ``"auto"``,
    ``"serial"``, ``"processes"``, an Executor or a ``dask.distributed.Client``) runs
    the probes and the multimodular primes; with ``"auto"`` the probes run serially and
    each lift decides for itself (:class:`grobnet.parallel.AutoExecutor`).  Other options go to
    :func:`grobnet.solve`.

    ``proof``, ``proof_timeout``: as in :func:`grobnet.solve`, for the solve under the
    chosen order.  ``result.stats["ordering"]`` holds the chosen order, every probe's
    prime, timing and invariants, the solve times and the cross-check's outcome.
    """
    t0 = time.monotonic()
    if timeout is not None and timeout <= 0:
        raise ValueError(f"timeout must be positive seconds, got {timeout!r}")
    if not (isinstance(cross_check, bool) or cross_check in ("same-form", "independent")):
        raise ValueError(f"cross_check must be True, False, 'same-form' or 'independent', "
                         f"got {cross_check!r}")
    deadline = None if timeout is None else t0 + float(timeout)
    seed = resolve_seed(seed)
    names, int_polys, avoid = input_screen(system)
    n = len(names)
    if linear_form is not None and len(linear_form) != n:
        raise ValueError(f"linear_form has {len(linear_form)} coefficients for {n} variables")
    ex = get_executor(executor)             # for the probes ("auto": serial)
    owned = not isinstance(executor, Executor)
    # the lifts get the same executor object (one pool for both solves), except "auto",
    # which the lift itself turns into "serial first, a process pool once it runs long"
    lift_ex = executor if isinstance(executor, str) and executor == "auto" else ex
    options = dict(real=real, complex=complex, digits=digits, method=method, order=order,
                   executor=lift_ex,
                   backend=backend, check_primes=check_primes, max_primes=max_primes,
                   max_memory=max_memory)
    try:
        cands = as_candidates(orderings, list(names), int_polys, seed)
        per_probe = probe_timeout
        if deadline is not None:
            rounds = -(-len(cands) // max(1, ex.workers))
            share = PROBE_SHARE * float(timeout) / rounds
            per_probe = share if per_probe is None else min(per_probe, share)
        choice = choose_order(names, int_polys, orderings=cands, probe_timeout=per_probe,
                              executor=ex, seed=seed, cross_check=True, avoid=avoid)
        best = choice.best
        second = _runner_up(choice, cands, n) if cross_check else None
        invariants = choice.invariants
        inv_guarantee = None
        if invariants is not None:
            primes = tuple(r.prime for r in (*choice.probes, *choice.rechecks) if r.ok)
            inv_guarantee = Guarantee(
                MONTE_CARLO, f"dimension {invariants[0]}, degree {invariants[1]} (variable-"
                "order probes)", (_orders_decision(invariants, len(choice.probes)
                                                   + len(choice.rechecks)),), primes=primes)
        ostats = choice.stats()
        ostats.update(probe_timeout=per_probe, chosen_variables=list(best.variables(names)))

        t1 = time.monotonic()
        budget = None
        if deadline is not None:
            budget = max(1e-3, (deadline - t1) / (2 if second is not None else 1))
        main = _solve_under(best, names, int_polys, invariants, seed=seed,
                            linear_form=linear_form, timeout=budget,
                            invariants_guarantee=inv_guarantee, proof=proof,
                            proof_timeout=proof_timeout, **options)
        result = map_solutions(main, names, best.perm)
        ostats["solve_seconds"] = time.monotonic() - t1
        if invariants is not None and result.complete and invariants != (result.dimension,
                                                                         result.degree):
            # two independent primes under the probes' orders against two under the
            # solve's: one pair was unlucky (or a bug) -- the answer is not trusted
            result.complete = False
            result.reason = (f"the variable-order probes gave dimension {invariants[0]}, "
                             f"degree {invariants[1]}; the solve gives {result.dimension}, "
                             f"{result.degree}")
        result.stats = {**main.stats, "ordering": ostats}

        if not cross_check:
            ostats["cross_check"] = {"status": "disabled (cross_check=False)"}
        elif second is None:
            ostats["cross_check"] = {"status": "skipped: one variable has only one order"}
        elif not result.complete:
            ostats["cross_check"] = {"status": "skipped: the solve under the chosen order "
                                               "is incomplete"}
        else:
            t2 = time.monotonic()
            left = None if deadline is None else deadline - t2
            if left is not None and left <= 0:
                check = None
                why = f"timeout={timeout} s used up by the probes and the first solve"
            else:
                form = linear_form
                if cross_check != "independent" and result.rur is not None:
                    form = result.rur.linear_form     # the same t, in the original variables
                try:
                    check = _solve_under(second, names, int_polys, invariants, seed=seed + 1,
                                         linear_form=form, timeout=left,
                                         invariants_guarantee=inv_guarantee, **options)
                    why = check.reason
                except TimeoutExceeded as exc:     # keep the first answer, flagged
                    check, why = None, str(exc)
            seconds = time.monotonic() - t2
            info = {"order": second.name, "permutation": list(second.perm), "seconds": seconds,
                    "mode": "independent" if cross_check == "independent" else "same-form"}
            if check is None or not check.complete:
                info["status"] = f"not finished: {why}"
                ostats["cross_check"] = info
                result.complete = False
                result.reason = (f"cross-check under order {second.name} did not finish ({why}); "
                                 f"the answer under order {best.name} is not verified")
            else:
                summary = compare_solutions(result, map_solutions(check, names, second.perm),
                                            _label(best), _label(second))
                info.update(summary, status="agreed")
                ostats["cross_check"] = info
        result.stats["total_time"] = time.monotonic() - t0
        return result
    finally:
        if owned:
            ex.close()


def _orders_decision(invariants, probes):
    """The order probes' decision: two agreeing primes among the ``probes`` drawn."""
    return Decision(f"dimension {invariants[0]}, degree {invariants[1]}", 2, max(2, probes))


#: Mixed into the seed of :func:`probe_cross_check` (its primes differ from the solve's).
_CROSS = 0x5EED_C0DE


def probe_cross_check(system, dimension: int, degree: int, *, seed: int | None = None,
                      timeout: float | None = None) -> dict:
    """The cheap order cross-check of :func:`grobnet.critical_points` and the CLI: the
    dimension probe (two independent random primes agreeing, none shared with the
    solve's: another stream) under a random variable order other than the given one,
    compared with the ``dimension`` and ``degree`` an answer claims (both are invariant
    under renaming variables).  Returns ``{"order", "permutation", "primes",
    "dimension", "degree", "agrees", "seconds"}``; ``agrees`` is ``None`` when the probe
    did not finish (``"status"`` says why)."""
    t0 = time.monotonic()
    seed = resolve_seed(seed)
    names, int_polys, avoid = input_screen(system)
    n = len(names)
    info = {"seed": seed}
    if n < 2:
        return {**info, "agrees": None, "status": "one variable has only one order",
                "seconds": 0.0}
    cands = [c for c in candidate_orders(names, None, random_count=4, seed=seed)
             if c.name.startswith("random") and c.perm != tuple(range(n))]
    cand = cands[0] if cands else Candidate("reversed", tuple(range(n - 1, -1, -1)))
    info.update(order=cand.name, permutation=list(cand.perm))
    deadline = None if timeout is None else t0 + timeout
    try:
        # seed ^ _CROSS: the probe's own stream, so no prime is shared with a solve run
        # from ``seed``
        probe = probe_dimension(permute_polys(int_polys, cand.perm), n, seed=seed ^ _CROSS,
                                deadline=deadline, timeout=timeout, avoid=avoid)
    except GrobnetError as exc:                      # timeout, unlucky primes: reported
        return {**info, "agrees": None, "status": f"not finished: {exc}",
                "seconds": time.monotonic() - t0}
    hs = probe.hilbert
    got = (hs.dimension, hs.degree if hs.dimension >= 0 else 0)
    want = (dimension, degree if dimension >= 0 else 0)
    return {**info, "primes": probe.primes, "dimension": hs.dimension, "degree": hs.degree,
            "agrees": got == want, "status": "agreed" if got == want else "DISAGREES",
            "seconds": time.monotonic() - t0}
