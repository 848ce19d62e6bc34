"""All isolated solutions of a square system by monodromy in the family ``F(x) + diag(mu) x``.

The numerical half of the hybrid route of :func:`grobnet.solve`: the exact degree
``D`` comes cheaply from a Groebner basis mod p; this module finds ``D``
approximate solutions in floating point, and :mod:`grobnet.numeric.certify` proves
each one (Krawczyk) -- completeness is the count of certified disjoint boxes
equalling ``D``.  Nothing here is a proof; misses only cost a fall-back to the
exact route.

Method.  Embed ``F`` in the parameter family ``G(x; mu) = F(x) + diag(mu) (x - c)``
(equation ``i`` gets ``mu_i (x_i - c_i)``) with a random complex centre ``c``.  A
start pair costs nothing: a random complex ``x0`` solves ``G(x; mu0) = 0`` for
``mu0_i = -F_i(x0) / (x0_i - c_i)``.  The centre matters: with ``c = 0`` the
solutions with some ``x_i = 0`` (e.g. a dead hidden unit of a network: its weights
are zero for every ``mu``) form separate components of the incidence variety that
monodromy from a start with all ``x_i != 0`` never reaches.

Monodromy runs on a small graph of parameter points (nodes) joined by directed
edges -- a straight segment one way and a bent one, through a random point, the
other way, so that every round trip is a loop that permutes the solutions.  Each
solution known at a node is tracked once along each edge leaving it, and the end
points join the solutions of the edge's target node; this costs about two paths
per solution and node at completion, several times fewer than carrying every
known solution around fresh random loops.  When no edge has work left but fewer
than ``expected`` solutions are known at the base node, a new node is added (up to
``stagnation`` times in a row without progress).  Once the base node holds
``expected`` solutions they are tracked to ``mu = 0`` (the target); diverging
paths are dropped, end points are Newton-polished on ``F`` and deduplicated; paths
that failed or jumped (two paths, one end point) trigger a second pass of all
solutions through a random detour, whose end points are united with the first.

The generic solution count of the family can exceed ``D`` (the shift adds
constant terms; a target such as a network with one shared ``lambda`` is
special): some paths then diverge as ``mu -> 0``, and monodromy goes on past
``expected`` at the base node until ``expected`` distinct finite end points are
reached, the graph stagnates, or time is up.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

import numpy as np

from .homotopy import TrackOptions, newton_polish, track
from .polyeval import PolySystem

__all__ = ["NumericSolutions", "monodromy_solve", "deduplicate", "LOOP_OPTIONS",
           "TARGET_OPTIONS"]

#: tracker settings for the monodromy loops and for the final paths to the target
LOOP_OPTIONS = TrackOptions(max_steps=400)
TARGET_OPTIONS = TrackOptions(max_steps=5000)
#: share of the time budget for the monodromy loops; the rest is for the paths to the target
LOOP_SHARE = 0.7
#: retracking of a failed or jumping path to the target
_CAREFUL = TrackOptions(tol_pred=1e-4, newton_steps=3, max_steps=20000)


@dataclass
class NumericSolutions:
    """Approximate solutions of ``F = 0``.

    ``points``: ``k x n`` complex array of distinct approximate solutions (Newton-
    polished); ``expected``: the count asked for; ``complete_count``: ``k == expected``;
    ``timed_out``: the time budget cut the search short; ``stats``: ``loops`` (rounds:
    every pending solution tracked along every edge of the monodromy graph at once), ``nodes`` (parameter points of the graph),
    ``paths`` (path segments tracked), ``diverged`` / ``failed`` paths, ``retracked``
    (failed target paths tracked again carefully), ``detours`` (extra target passes),
    ``generic`` (solutions known at the base parameter point), ``seconds``.
    """
    points: np.ndarray
    expected: int
    timed_out: bool = False
    stats: dict = field(default_factory=dict)

    @property
    def complete_count(self) -> bool:
        return len(self.points) == self.expected

    def __len__(self) -> int:
        return len(self.points)

    def __repr__(self) -> str:
        real = int(np.sum(np.all(np.abs(self.points.imag) <= 1e-8 * (1 + np.abs(self.points)),
                                 axis=1))) if len(self.points) else 0
        flag = ", timed out" if self.timed_out else ""
        return (f"NumericSolutions({len(self.points)} of {self.expected} expected, "
                f"~{real} numerically real, {self.stats.get('loops', 0)} loops, "
                f"{self.stats.get('paths', 0)} paths, {self.stats.get('seconds', 0.0):.2f} s{flag})")


def _same(a: np.ndarray, b: np.ndarray, tol: float) -> np.ndarray:
    """Row-wise ``a == b`` up to ``max_i |a_i - b_i| <= tol * (1 + max_i |a_i|)``."""
    return np.max(np.abs(a - b), axis=-1) <= tol * (1.0 + np.max(np.abs(a), axis=-1))


def deduplicate(points: np.ndarray, known: Optional[np.ndarray] = None, tol: float = 1e-6):
    """Rows of ``points`` that are distinct from each other and from the rows of ``known``
    (first occurrence kept, order preserved).

    Two points are equal when ``max_i |x_i - y_i| <= tol * (1 + max_i |x_i|)``.  Points
    are sorted along a fixed real projection (sum of real and imaginary parts), so each
    is compared only with the few whose projection is within the tolerance window.
    """
    points = np.asarray(points, dtype=np.complex128)
    if points.ndim != 2:
        raise ValueError(f"points must be a 2-d array, got shape {points.shape}")
    n = points.shape[1]
    known = (np.zeros((0, n), dtype=np.complex128) if known is None
             else np.asarray(known, dtype=np.complex128).reshape(-1, n))
    if len(points) == 0:
        return points
    allp = np.vstack([known, points])
    key = allp.real.sum(axis=1) + allp.imag.sum(axis=1)
    # |key(x) - key(y)| <= 2 n max|x - y| <= 2 n tol (1 + max(|x|, |y|))
    big = np.max(np.abs(allp), axis=1)
    order = np.argsort(key, kind="stable")
    skey = key[order]
    width = 2.0 * n * tol * (1.0 + big.max()) * 1.01
    lo = np.searchsorted(skey, key - width, side="left")
    hi = np.searchsorted(skey, key + width, side="right")
    nk = len(known)
    alive = np.ones(len(allp), dtype=bool)       # kept so far (known always kept)
    keep = []
    for k in range(nk, len(allp)):
        cand = order[lo[k]:hi[k]]
        cand = cand[(cand != k) & ((cand < nk) | ((cand < k) & alive[cand]))]
        if len(cand) and np.any(_same(allp[cand], allp[k], tol) | _same(allp[k], allp[cand], tol)):
            alive[k] = False
        else:
            keep.append(k - nk)
    return points[keep]


def _merge(known: np.ndarray, new: np.ndarray, tol: float) -> np.ndarray:
    """``known`` followed by the rows of ``new`` not already in it."""
    if len(new) == 0:
        return known
    fresh = deduplicate(new, known, tol)
    return np.vstack([known, fresh]) if len(fresh) else known


def monodromy_solve(int_polys: Sequence[dict], nvars: int, expected: int, *, seed: int = 0,
                    timeout: Optional[float] = None, progress: Optional[Callable] = None,
                    stagnation: int = 20, tol: float = 1e-6, retries: int = 2,
                    loop_options: TrackOptions = LOOP_OPTIONS,
                    target_options: TrackOptions = TARGET_OPTIONS) -> NumericSolutions:
    """Approximate all ``expected`` isolated solutions of the square system ``int_polys``.

    ``int_polys``: ``{exponent tuple: coefficient}`` dicts (as from
    :func:`grobnet.exact.lift.integer_input`); ``nvars``: number of variables (must
    equal the number of equations); ``expected``: the number of solutions sought (the
    degree ``D``); ``seed``: random seed (runs are reproducible); ``timeout``: seconds,
    after which what was found is returned with ``timed_out=True``; ``progress``:
    optional ``progress(stage, info)`` callable (stages ``monodromy-loop`` and
    ``monodromy-target``); ``stagnation``: nodes added in a row without a new solution
    before giving up;
    ``tol``: relative distance below which two points are the same solution;
    ``retries``: at most this many detour passes (all solutions at ``mu0`` sent to the
    target through a random intermediate parameter point) when a path to the target
    failed or jumped;
    ``loop_options``/``target_options``: tracker settings for the loops (a low step
    limit: an expensive path is cheaper to give up than to finish, another edge
    reaches its end point another way) and for the paths to the target.
    """
    polys = list(int_polys)
    nvars = int(nvars)
    if len(polys) != nvars:
        raise ValueError(f"the system must be square: {len(polys)} equations in {nvars} variables")
    expected = int(expected)
    if expected < 0:
        raise ValueError(f"expected must be a non-negative count, got {expected}")
    if timeout is not None and timeout <= 0:
        raise ValueError(f"timeout must be positive seconds, got {timeout}")
    system = PolySystem(polys, nvars)
    clock = time.perf_counter
    t0 = clock()
    deadline = None if timeout is None else t0 + float(timeout)
    rng = np.random.default_rng(seed)
    stats = {"loops": 0, "paths": 0, "diverged": 0, "failed": 0, "retracked": 0, "detours": 0,
             "generic": 0, "nodes": 0, "seconds": 0.0}
    careful = _CAREFUL

    def crandn(*shape):
        return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)) / np.sqrt(2)

    def out_of_time():
        return deadline is not None and clock() > deadline

    def report(stage, **info):
        if progress is not None:
            progress(stage, info)

    if expected == 0:
        stats["seconds"] = clock() - t0
        return NumericSolutions(np.zeros((0, nvars), dtype=np.complex128), 0, False, stats)

    # start pair
    center = crandn(nvars)
    while True:
        x0 = crandn(nvars)
        if np.all(np.abs(x0 - center) > 0.1):
            break
    mu0 = -system.values(x0[None, :])[0] / (x0 - center)
    mu_scale = float(np.sqrt(np.mean(np.abs(mu0) ** 2))) or 1.0
    generic = x0[None, :]                     # known solutions at mu0
    finite = np.zeros((0, nvars), dtype=np.complex128)   # target solutions found
    tracked_to_target = 0                     # generic[:tracked_to_target] already sent to mu = 0
    quiet = 0
    timed_out = False

    def run(X, a, b, opts=loop_options):
        res = track(system, X, a, b, opts, deadline=deadline, clock=clock, center=center)
        stats["paths"] += len(X)
        stats["diverged"] += int(np.sum(res.status == 1))
        stats["failed"] += int(np.sum(res.status >= 2))
        return res

    def target_pass(X, via=None):
        """Track ``X`` from ``mu0`` to ``mu = 0`` (straight, or through ``via``); paths that
        fail are tracked once more on the same route with tighter settings.  Returns the
        Newton-polished finite end points and the number of suspicious paths (failed, or
        sharing an end point with another path: a path jumped)."""
        zero = np.zeros(nvars, dtype=np.complex128)
        legs = [(mu0, zero)] if via is None else [(mu0, via), (via, zero)]
        Y = X
        failed = escaped = 0
        for a, b in legs:
            res = run(Y, a, b, target_options)
            bad = np.nonzero(res.status >= 2)[0]
            if len(bad) and not out_of_time():
                stats["retracked"] += len(bad)
                again = run(Y[bad], a, b, careful)
                res.x[bad] = again.x
                res.status[bad] = again.status
            failed += int(np.sum(res.status >= 2))
            escaped += int(np.sum(res.status == 1))
            Y = res.x[res.ok]
        ends, last = newton_polish(system, Y)
        ends = ends[last <= 1e-8]
        distinct = deduplicate(ends, tol=tol)
        suspicious = failed + int(np.sum(last > 1e-8)) + (len(ends) - len(distinct))
        if len(generic) <= expected:
            # the generic count is not above the degree: no path may go to infinity
            suspicious += escaped
        return distinct, suspicious

    def to_target():
        nonlocal finite, tracked_to_target
        X = generic[tracked_to_target:]
        tracked_to_target = len(generic)
        if len(X) == 0:
            return
        ends, suspicious = target_pass(X)
        finite = _merge(finite, ends, tol)
        detours = 0
        # a failed or jumped path lost its end point; a detour is a different path class,
        # so it is the whole set that is sent around it, and the end points are united
        while (suspicious and len(finite) < expected and detours < retries
               and not out_of_time()):
            detours += 1
            stats["detours"] += 1
            ends, suspicious = target_pass(generic, mu0 + mu_scale * crandn(nvars))
            finite = _merge(finite, ends, tol)
        report("monodromy-target", found=len(finite), expected=expected,
               generic=len(generic))

    # The monodromy graph: parameter nodes with the solutions known there, and directed
    # edges (a straight segment one way, a bent one -- through a random point -- the
    # other way, so that every pair of edges between two nodes is itself a loop).  Each
    # solution at a node is tracked once along each edge leaving it; end points join
    # the target node.  Cost at completion: about two tracked paths per solution and
    # node, instead of three per solution and loop for independent random loops.
    nodes = [mu0]
    sols = [generic]
    edges = []                   # [source, target, via or None, solutions already sent]

    def add_node(link_to):
        nodes.append(mu0 + mu_scale * crandn(nvars))
        sols.append(np.zeros((0, nvars), dtype=np.complex128))
        k = len(nodes) - 1
        for a in link_to:
            mid = 0.5 * (nodes[a] + nodes[k]) + 0.5 * mu_scale * crandn(nvars)
            edges.append([a, k, None, 0])
            edges.append([k, a, mid, 0])

    def traverse(work, opts):
        """Track ``sols[a][idx]`` along edge ``e`` for every ``(e, idx)`` in ``work`` --
        all edges in one vectorised batch per leg; new end points join the target
        nodes.  Returns whether any node grew."""
        X = np.vstack([sols[e[0]][idx] for e, idx in work])
        owner = np.concatenate([np.full(len(idx), k) for k, (e, idx) in enumerate(work)])
        ends_a, ends_b, bent = [], [], []
        for e, idx in work:
            a, b, via = e[0], e[1], e[2]
            stop = nodes[b] if via is None else via
            ends_a.append(np.broadcast_to(nodes[a], (len(idx), nvars)))
            ends_b.append(np.broadcast_to(stop, (len(idx), nvars)))
            bent.append(np.full(len(idx), via is not None))
        A, B, bent = np.vstack(ends_a), np.vstack(ends_b), np.concatenate(bent)
        res = run(X, A, B, opts)
        ok = res.ok.copy()
        X = res.x
        second = np.nonzero(ok & bent)[0]
        if len(second):
            final = np.vstack([nodes[work[k][0][1]] for k in owner[second]])
            r2 = run(X[second], B[second], final, opts)
            X[second] = r2.x
            ok[second] = r2.ok
        grew = False
        for k, (e, idx) in enumerate(work):
            good = (owner == k) & ok
            Y, last = newton_polish(system, X[good], nodes[e[1]], iterations=3, center=center)
            before = len(sols[e[1]])
            sols[e[1]] = _merge(sols[e[1]], Y[last <= 1e-8], tol)
            grew |= len(sols[e[1]]) > before
        stats["loops"] += 1
        return grew

    add_node([0])
    add_node([0, 1])
    # the loops stop at LOOP_SHARE of the budget so that what they found still reaches
    # the target (a caller may merge several cut runs)
    loop_deadline = None if deadline is None else t0 + LOOP_SHARE * float(timeout)
    while True:
        if out_of_time() or (loop_deadline is not None and clock() > loop_deadline):
            timed_out = True
            break
        work = []
        for e in edges:
            if len(sols[e[0]]) > e[3]:
                work.append((e, np.arange(e[3], len(sols[e[0]]))))
                e[3] = len(sols[e[0]])
        if not work:
            # the orbit is closed under this graph: widen it by a loop through a new
            # node.  (Giving the paths cut short by the step limit a longer second
            # chance was measured slower: those paths pass near infinity.)
            quiet += 1
            if quiet > stagnation:
                break
            add_node([0])
            continue
        before = max(len(s) for s in sols)
        traverse(work, loop_options)
        if max(len(s) for s in sols) > before:   # progress: more solutions at some node
            quiet = 0                            # than anywhere before (a new node filling
                                                 # up to the known count is not progress)
        generic = sols[0]
        report("monodromy-loop", loop=stats["loops"], known=len(generic), expected=expected)
        if len(generic) >= expected and len(generic) > tracked_to_target:
            to_target()
            if len(finite) >= expected or out_of_time():
                timed_out = out_of_time() and len(finite) < expected
                break
    stats["nodes"] = len(nodes)
    if tracked_to_target < len(generic) and not out_of_time():
        to_target()
    timed_out = timed_out and len(finite) < expected
    stats["generic"] = len(generic)
    stats["seconds"] = clock() - t0
    return NumericSolutions(finite, expected, timed_out, stats)
