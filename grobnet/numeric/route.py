"""The hybrid route of :func:`grobnet.solve`: exact degree, numerical solutions, proofs.

1. The degree ``D`` of the ideal (solutions counted with multiplicity) comes from
   the Hilbert series of a Groebner basis modulo a prime, confirmed by a second
   prime with the same leading monomials (the caller's dimension probe).
2. Approximate solutions come from monodromy and path tracking in floating point
   (:mod:`grobnet.numeric.monodromy`) -- never reported by themselves.
3. Each approximation is certified in interval arithmetic (:mod:`grobnet.numeric.certify`):
   a box with exactly one solution, simple; boxes pairwise disjoint; real ones
   proven real.

Completeness: ``N`` pairwise disjoint boxes, each with one solution, are ``N``
distinct solutions; there are at most ``D`` of them, counted with multiplicity.
So ``N == D`` proves that every solution is in a box (and that all are simple).
With a symmetry group (``symmetry=``: permutations of the variables that permute
the equations alike, proven exactly on the integer polynomials), monodromy tracks one
point per orbit (:mod:`grobnet.numeric.monodromy`) and the certification proves one
box per orbit and maps it by the group (:func:`grobnet.numeric.certify.certify_orbits`);
the count check is the same.  :func:`system_symmetry` finds the group of a network's
gradient system (plain L2 or no regularization: the hidden-unit permutations, proven
by :func:`grobnet.frontend.symmetry.system_symmetries`).
Otherwise the route reports itself incomplete, with the solutions it did certify,
and :func:`grobnet.solve` falls back to the exact route (the multimodular RUR) when
that fits its budget: the hybrid route can only make a solve faster, never less
certain.  Why it pays on network systems: the RUR of
their ideals needs coefficients of 8,000 to 14,000 bits, while path tracking and
interval Newton only see the solutions themselves.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from grobnet.engine.modp import default_threads
from grobnet.errors import TimeoutExceeded
from grobnet.frontend.symmetry import SymmetryGroup, system_symmetries
from grobnet.numeric import certify, monodromy
from grobnet.numeric.orbits import group_generators, proven_elements
from grobnet.numeric.points import deduplicate
from grobnet.parallel import ForkedExecutor, fork_allowed

__all__ = ["HybridOutcome", "hybrid_solutions", "system_symmetry", "resolve_symmetry",
           "ATTEMPTS"]

#: monodromy runs (from different base points) before the route gives up; a run keeps
#: the whole remaining budget (it widens its own graph when it stalls), the next one
#: starts only if a run stopped early without reaching the degree
ATTEMPTS = 3

#: With the degree unknown (``degree=None``), monodromy stops after this many new
#: parameter nodes in a row without a new solution (each costs ~3 N paths for N found):
#: evidence of saturation, not a proof of completeness
UNKNOWN_DEGREE_STAGNATION = 3

#: With no executor and every core (``threads=None``), the certification of at least this
#: many points runs on a forked local pool of :func:`~grobnet.engine.modp.default_threads`
#: workers (its fast path is per point; nn_131's 4929 points took 6 s on one core).
CERTIFY_POOL_POINTS = 1000


def _certification_executor(executor, threads, npoints):
    """``(executor, owned)`` for the certification of ``npoints`` points: the given one,
    else a forked pool when the run owns several cores and the points are many (see
    :data:`CERTIFY_POOL_POINTS`; fork only from a single-threaded process), else
    ``None`` (here)."""
    if executor is not None or threads is not None or npoints < CERTIFY_POOL_POINTS:
        return executor, False
    workers = default_threads()
    if workers < 2 or not fork_allowed():
        return None, False
    return ForkedExecutor(workers), True


@dataclass
class HybridOutcome:
    """What the hybrid route proved.

    ``complete``: the certified solutions are all of them (count == degree);
    ``real`` / ``complex``: certified boxes (``complex`` holds every solution,
    real ones included); ``n_certified``: pairwise distinct certified solutions;
    ``reason``: why it is incomplete; ``stats``: timings and counts.
    """

    degree: int | None
    complete: bool
    real: list = field(default_factory=list)
    complex: list = field(default_factory=list)
    n_certified: int = 0
    reason: str = ""
    stats: dict = field(default_factory=dict)

    def __repr__(self):
        state = "complete" if self.complete else f"INCOMPLETE ({self.reason})"
        of = "an unknown number of" if self.degree is None else self.degree
        return (f"HybridOutcome({self.n_certified} of {of} solutions certified, "
                f"{len(self.real)} real; {state})")


def system_symmetry(system, variables) -> SymmetryGroup | None:
    """The proven symmetry group of ``system`` with its permutations over ``variables``
    (the order of the integer polynomials the route works on), or ``None`` (no network
    in the system's metadata, generalized L2, nothing proven, a group too large to
    enumerate, or a variable order the group cannot be translated to).  The
    permutations are proven twice: by :func:`grobnet.frontend.symmetry.system_symmetries`
    on the system's own polynomials, and again by :func:`hybrid_solutions` on the
    integer ones."""
    metadata = getattr(system, "metadata", None) or {}
    net = metadata.get("network")
    if net is None or not hasattr(system, "equations") or \
            tuple(getattr(net, "parameters", ())) != tuple(system.variables):
        return None                 # e.g. a gauge-fixed system: other variables
    group = system_symmetries(system)
    if group.trivial or group.elements is None:
        return None
    own, variables = tuple(system.variables), tuple(variables)
    if own == variables:
        return group
    if sorted(own) != sorted(variables):
        return None
    # the same permutation written in the other variable order: (g x)_i = x_{g[i]}
    # with x_i the variable own[i] is x'_{pos[i]} in the order ``variables``
    pos = [variables.index(v) for v in own]
    gens = []
    for g in group.generators:
        h = [0] * len(own)
        for i, gi in enumerate(g):
            h[pos[i]] = pos[gi]
        gens.append(tuple(h))
    return SymmetryGroup(len(own), tuple(gens), list(group.proof))


def resolve_symmetry(system, variables, int_polys, symmetry="auto"):
    """The group the hybrid route uses for ``symmetry`` (the option of
    :func:`grobnet.solve`): ``"auto"`` -- the proven hidden-unit group of a network
    system with plain L2 or no regularization (:func:`system_symmetry`), kept only if
    it also permutes ``int_polys`` exactly, else ``None``; ``None``/``False`` -- none;
    a :class:`~grobnet.frontend.symmetry.SymmetryGroup` or a sequence of permutations of
    ``variables`` -- that group, after the exact check (``ValueError`` if it is not a
    symmetry of ``int_polys``).  Returns a
    :class:`~grobnet.frontend.symmetry.SymmetryGroup` (generators and elements) or
    ``None``."""
    n = len(variables)
    if symmetry is None or symmetry is False:
        return None
    if isinstance(symmetry, str):
        if symmetry != "auto":
            raise ValueError(f"symmetry must be 'auto', None or a group, got {symmetry!r}")
        try:
            return _proven_group(int_polys, system_symmetry(system, variables), n)
        except ValueError:
            # proven on the system's own equations but not on these integer ones (an
            # equation scaled or ordered otherwise): no symmetry rather than an error
            return None
    return _proven_group(int_polys, symmetry, n)


def _proven_group(int_polys, group, n) -> SymmetryGroup | None:
    """``group`` as a :class:`SymmetryGroup` (its generators and all its elements) after
    the exact check of the generators on ``int_polys``; ``None`` if trivial."""
    elements = proven_elements(int_polys, group, n)
    if elements is None:
        return None
    identity = tuple(range(n))
    gens = tuple(g for g in dict.fromkeys(group_generators(group, n)) if g != identity)
    return SymmetryGroup(n, gens, list(getattr(group, "proof", [])),
                         tuple(tuple(int(i) for i in g) for g in elements))


def hybrid_solutions(int_polys, variables, degree: int | None, *, digits: int = 30,
                     seed: int = 0,
                     timeout: float | None = None, progress=None, executor=None,
                     threads: int | None = None, symmetry=None) -> HybridOutcome:
    """Certified solutions of a square zero-dimensional system of known ``degree``.

    ``degree=None``: the degree is unknown (its Groebner basis is out of reach): one
    monodromy run until :data:`UNKNOWN_DEGREE_STAGNATION` new parameter nodes in a row
    bring no new solution (or the timeout), then every point found is certified; the
    outcome is never complete (no count to reach) and its reason says how the search
    ended.

    ``int_polys``: integer polynomials (``{exponent tuple: int}``, as from
    :func:`grobnet.engine.convert.integer_input`); ``variables``: their names;
    ``timeout``: seconds for the monodromy runs (the certification runs after them in
    any case: :func:`grobnet.solve` leaves it its estimated time out of a timeout);
    ``executor`` / ``threads``: where the path tracking runs (see
    :class:`grobnet.numeric.monodromy.MonodromySolver`; by default here, on all cores); a
    given executor also runs the certification's fast path (by default a forked pool on
    every core from :data:`CERTIFY_POOL_POINTS` points on); ``symmetry``:
    ``None`` or a symmetry group of the system (a
    :class:`grobnet.frontend.symmetry.SymmetryGroup` or its elements, permutations of
    ``variables``), used to track one point per orbit and to certify one box per
    orbit; ``stats["symmetry"]`` then gives the group order, the orbits tracked to
    the target, the solutions generated as images and the paths saved.  Never raises
    on a numerical failure (a non-square system included): the outcome is then
    incomplete with the reason; raises ``ValueError`` when ``symmetry`` is not a
    symmetry of ``int_polys`` (checked exactly).
    """
    t0 = time.monotonic()
    n = len(variables)
    group = _proven_group(int_polys, symmetry, n) if symmetry is not None else None
    elements = None if group is None else group.elements
    unknown = degree is None
    if not unknown and degree <= 0:
        return HybridOutcome(degree, False, reason=f"degree {degree}: nothing to track")
    of_degree = "an unknown number of" if unknown else str(degree)
    stats: dict = {"numeric": []}
    points = reps = None
    found = None
    extra = {"stagnation": UNKNOWN_DEGREE_STAGNATION} if unknown else {}
    for attempt in range(1 if unknown else ATTEMPTS):
        left = None if timeout is None else timeout - (time.monotonic() - t0)
        if left is not None and left <= 0:
            break
        try:
            found = monodromy.monodromy_solve(int_polys, n, degree, seed=seed + attempt,
                                              timeout=left, progress=progress,
                                              executor=executor, threads=threads,
                                              group=group, **extra)
        except (ValueError, ArithmeticError, FloatingPointError, TimeoutExceeded) as exc:
            return HybridOutcome(degree, False, reason=f"numerical solving failed: {exc}",
                                 stats={"numeric_time": time.monotonic() - t0})
        stats["numeric"].append(dict(found.stats))
        # a second run starts elsewhere (another base point of the monodromy): its new
        # points are merged (numerically equal ones dropped; the certification still
        # proves the merged set distinct), and the runs stop once together they reach D
        points = found.points if points is None else \
            np.vstack([points, deduplicate(found.points, known=points)])
        if found.representatives is not None:
            reps = found.representatives if reps is None else \
                np.vstack([reps, found.representatives])
        if unknown or len(points) >= degree or found.timed_out:
            break
    stats["numeric_time"] = time.monotonic() - t0
    if elements is not None:
        runs = stats["numeric"]
        stats["symmetry"] = {"group_order": len(elements),
                             "orbits": sum(r.get("orbits", 0) for r in runs),
                             "generated": sum(r.get("generated", 0) for r in runs),
                             "paths": sum(r.get("paths", 0) for r in runs),
                             "paths_saved": sum(r.get("paths_saved", 0) for r in runs)}
    if points is None:
        points = np.zeros((0, n), dtype=complex)
    if progress is not None:
        progress("solve", {"event": "numeric", "found": len(points), "degree": degree})
    # no time check here: the certification costs a few seconds next to the tracking,
    # the runs' merged points may well be complete, and a partial set is certified too
    # (an incomplete answer still lists what is proven)
    t1 = time.monotonic()
    if len(points) == 0:
        return HybridOutcome(degree, False, reason=f"path tracking found 0 of {of_degree} "
                                                   "solutions", stats=stats)
    cex, owned = _certification_executor(
        executor, threads, len(points) if elements is None else len(reps))
    try:
        if elements is not None:
            cert = certify.certify_orbits(int_polys, n, reps, group,
                                          variables=tuple(variables), digits=digits,
                                          executor=cex)
        else:
            cert = certify.certify_solutions(int_polys, n, points, variables=tuple(variables),
                                             digits=digits, executor=cex)
    finally:
        if owned:
            cex.close()
    stats["certify"] = dict(cert.stats)
    stats["certify_time"] = time.monotonic() - t1
    n_cert = cert.n_certified
    if progress is not None:
        progress("solve", {"event": "certified", "certified": n_cert, "degree": degree})
    if unknown:
        ended = ("the monodromy search was cut by its time budget" if found.timed_out else
                 f"the monodromy search saturated ({UNKNOWN_DEGREE_STAGNATION} new parameter "
                 f"nodes in a row brought no new solution: evidence, not a proof)")
        why = (f"degree unknown: {n_cert} distinct solutions certified of {len(points)} "
               f"found; {ended}")
        return HybridOutcome(None, False, list(cert.real), list(cert.complex), n_cert, why,
                             stats)
    if n_cert != degree or not cert.real_complete:
        why = (f"path tracking found {len(points)} of {degree} solutions"
               if len(points) < degree else
               f"{n_cert} certified distinct solutions for degree {degree}"
               if n_cert != degree else "some solutions not classified as real or non-real")
        return HybridOutcome(degree, False, list(cert.real), list(cert.complex), n_cert, why,
                             stats)
    return HybridOutcome(degree, True, list(cert.real), list(cert.complex), n_cert, "", stats)
