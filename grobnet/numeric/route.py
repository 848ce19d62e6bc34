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

from grobnet.errors import TimeoutExceeded
from grobnet.numeric import certify, monodromy

__all__ = ["HybridOutcome", "hybrid_solutions", "ATTEMPTS"]

#: monodromy runs (from different base points) before the route gives up; a run keeps
#: the whole remaining budget (it widens its own graph when it stalls), the next one
#: starts only if a run stopped early without reaching the degree
ATTEMPTS = 3


@dataclass
class HybridOutcome:
    """What the hybrid route proved.

    ``complete``: the certified solutions are all of them (count == degree);
    ``real`` / ``complex``: certified boxes (``complex`` holds every solution,
    real ones included); ``n_certified``: pairwise distinct certified solutions;
    ``reason``: why it is incomplete; ``stats``: timings and counts.
    """

    degree: int
    complete: bool
    real: list = field(default_factory=list)
    complex: list = field(default_factory=list)
    n_certified: int = 0
    reason: str = ""
    stats: dict = field(default_factory=dict)

    def __repr__(self):
        state = "complete" if self.complete else f"INCOMPLETE ({self.reason})"
        return (f"HybridOutcome({self.n_certified} of {self.degree} solutions certified, "
                f"{len(self.real)} real; {state})")


def hybrid_solutions(int_polys, variables, degree: int, *, digits: int = 30, seed: int = 0,
                     timeout: float | None = None, progress=None, executor=None,
                     threads: int | None = None) -> HybridOutcome:
    """Certified solutions of a square zero-dimensional system of known ``degree``.

    ``int_polys``: integer polynomials (``{exponent tuple: int}``, as from
    :func:`grobnet.engine.convert.integer_input`); ``variables``: their names;
    ``timeout``: seconds for the monodromy runs (the certification, a few seconds, runs
    after them in any case); ``executor`` / ``threads``: where the path tracking runs
    (see :class:`grobnet.numeric.monodromy.MonodromySolver`; by default here, on all
    cores).  Never raises on a numerical failure (a non-square system included): the
    outcome is then incomplete with the reason.
    """
    t0 = time.monotonic()
    n = len(variables)
    if degree <= 0:
        return HybridOutcome(degree, False, reason=f"degree {degree}: nothing to track")
    stats: dict = {"numeric": []}
    points = None
    for attempt in range(ATTEMPTS):
        left = None if timeout is None else timeout - (time.monotonic() - t0)
        if left is not None and left <= 0:
            break
        try:
            found = monodromy.monodromy_solve(int_polys, n, degree, seed=seed + attempt,
                                              timeout=left, progress=progress,
                                              executor=executor, threads=threads)
        except (ValueError, ArithmeticError, FloatingPointError, TimeoutExceeded) as exc:
            return HybridOutcome(degree, False, reason=f"numerical solving failed: {exc}",
                                 stats={"numeric_time": time.monotonic() - t0})
        stats["numeric"].append(dict(found.stats))
        # a second run starts elsewhere (another base point of the monodromy): its points
        # are merged, duplicates are told apart by the certification
        points = found.points if points is None else np.vstack([points, found.points])
        if len(found.points) >= degree or found.timed_out:
            break
    stats["numeric_time"] = time.monotonic() - t0
    if points is None:
        points = np.zeros((0, n), dtype=complex)
    if progress is not None:
        progress("solve", {"event": "numeric", "found": len(points), "degree": degree})
    # no time check here: the certification costs a few seconds next to the tracking,
    # the runs' merged points may well be complete, and a partial set is certified too
    # (an incomplete answer still lists what is proven)
    t1 = time.monotonic()
    if len(points) == 0:
        return HybridOutcome(degree, False, reason=f"path tracking found 0 of {degree} "
                                                   "solutions", stats=stats)
    cert = certify.certify_solutions(int_polys, n, points, variables=tuple(variables),
                                     digits=digits)
    stats["certify"] = dict(cert.stats)
    stats["certify_time"] = time.monotonic() - t1
    n_cert = cert.n_certified
    if progress is not None:
        progress("solve", {"event": "certified", "certified": n_cert, "degree": degree})
    if n_cert != degree or not cert.real_complete:
        why = (f"path tracking found {len(points)} of {degree} solutions"
               if len(points) < degree else
               f"{n_cert} certified distinct solutions for degree {degree}"
               if n_cert != degree else "some solutions not classified as real or non-real")
        return HybridOutcome(degree, False, list(cert.real), list(cert.complex), n_cert, why,
                             stats)
    return HybridOutcome(degree, True, list(cert.real), list(cert.complex), n_cert, "", stats)
