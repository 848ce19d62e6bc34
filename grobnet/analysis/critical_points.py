"""``critical_points``: every real critical point of a network's loss, classified.

The chain: gradient system (frontend) -> dimension of the critical set (F4 mod p,
Hilbert series) -> if finite, exact real solving (RUR + certified boxes), the loss
on each box (ball arithmetic) and the certified Hessian inertia; if infinite, the
exact critical values by elimination (:mod:`grobnet.analysis.critical_values`) and
an honest ``complete=False`` — a positive-dimensional critical set is never listed
as if it were finite.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import flint

from grobnet.analysis.evaluate import PolyEvaluator, hessian_polys
from grobnet.analysis.hessian import hessian_inertia

__all__ = ["CriticalPoint", "CriticalPoints", "critical_points"]


@dataclass
class CriticalPoint:
    """One real critical point: certified box, loss interval, Hessian inertia and label."""

    solution: object          # grobnet.exact.realroots.RealSolution
    loss: "flint.arb"
    inertia: object           # grobnet.analysis.hessian.Inertia
    global_minimum: bool = False

    @property
    def label(self) -> str:
        return self.inertia.label()

    @property
    def parameters(self) -> dict:
        """Parameter name -> float (midpoint of the certified interval)."""
        return self.solution.as_dict()

    def __repr__(self):
        star = ", global minimum" if self.global_minimum else ""
        return f"CriticalPoint(loss={self.loss.str(10, radius=False)}, {self.label}{star})"


@dataclass
class CriticalPoints:
    """All critical points of a loss (see the module docstring).

    ``points``: the real critical points (finite case); ``dimension``: of the complex
    critical set; ``values``: :class:`~grobnet.analysis.critical_values.CriticalValues`
    (always computed for positive dimension); ``complete`` with ``reason``.
    """

    system: object
    dimension: int
    degree: int
    points: list = field(default_factory=list)
    values: object = None
    complete: bool = True
    reason: str = ""
    stats: dict = field(default_factory=dict)

    @property
    def global_minima(self) -> list:
        return [p for p in self.points if p.global_minimum]

    def to_records(self) -> list:
        """Plain dicts (JSON-friendly): parameters, loss, index, label, global flag."""
        out = []
        for p in self.points:
            out.append({"parameters": {k: float(v) for k, v in p.parameters.items()},
                        "loss": float(p.loss.mid()), "loss_radius": float(p.loss.rad()),
                        "index": p.inertia.index if p.inertia.certified else None,
                        "label": p.label, "global_minimum": p.global_minimum})
        return out

    def summary(self) -> str:
        """A human-readable table of the result."""
        lines = [f"critical set: dimension {self.dimension}"
                 + (f", {self.degree} complex critical points (with multiplicity)"
                    if self.dimension == 0 else "")]
        if self.points:
            lines.append(f"{len(self.points)} real critical points:")
            lines.append(f"  {'#':>3}  {'loss':>22}  {'kind':<20}")
            for k, p in enumerate(sorted(self.points, key=lambda q: float(q.loss.mid()))):
                star = "  <- global minimum" if p.global_minimum else ""
                lines.append(f"  {k:>3}  {p.loss.str(15, radius=False):>22}  {p.label:<20}{star}")
        elif self.dimension == 0:
            lines.append("no real critical point")
        if self.values is not None:
            lines.append("critical values (roots of the loss eliminant):")
            for v in self.values.values:
                attained = {True: "attained at a real critical point",
                            False: "not attained at any real point",
                            None: "real attainment not decided"}[v.attained]
                lines.append(f"  L = {str(v.exact) if v.exact is not None else v.interval.str(15, radius=False):<24}"
                             f" level set of dimension {v.dimension}; {attained}")
            if self.values.complex_count:
                lines.append(f"  (+ {self.values.complex_count} non-real roots)")
            m = self.values.minimum
            if m is not None:
                qual = "" if self.values.minimum_is_attained_global else \
                    " (global minimum if the loss attains its infimum)"
                lines.append(f"smallest attained critical value: {m.exact if m.exact is not None else m.interval}{qual}")
        if not self.complete:
            lines.append(f"INCOMPLETE: {self.reason}")
        return "\n".join(lines)

    def __repr__(self):
        state = "complete" if self.complete else f"incomplete: {self.reason}"
        return (f"CriticalPoints(dimension {self.dimension}, {len(self.points)} real points, "
                f"{len(self.global_minima)} global minima; {state})")


def _build_system(net_or_system, data, loss, reg):
    if hasattr(net_or_system, "equations") and hasattr(net_or_system, "variables"):
        if data is not None:
            raise ValueError("pass either a PolynomialSystem or a network with data, not both")
        return net_or_system
    from grobnet.frontend import gradient_system
    if data is None:
        raise ValueError("critical_points(net, data, ...) needs the training data")
    return gradient_system(net_or_system, data, loss=loss, reg=reg)


def critical_points(net_or_system, data=None, *, loss: str = "mse", reg=None, digits: int = 30,
                    seed: int = 0, executor="serial", timeout: float | None = None) -> CriticalPoints:
    """Every real critical point of the training loss, with loss value and Hessian type.

    ``net_or_system``: a :class:`~grobnet.frontend.Network` (then ``data``, ``loss``,
    ``reg`` build the gradient system) or a ready ``PolynomialSystem`` with a ``loss``.
    """
    from grobnet.analysis.critical_values import critical_values
    from grobnet.engine import _core
    from grobnet.engine.convert import as_system, to_raw
    from grobnet.exact.hilbert import dimension_and_degree
    from grobnet.exact.solve import solve

    system = _build_system(net_or_system, data, loss, reg)
    if getattr(system, "loss", None) is None:
        raise ValueError("the system has no loss polynomial; critical points need one")
    t0 = time.perf_counter()
    p = 2147483629
    basis, _ = _core.f4(to_raw(as_system(system), p), system.nvars, p)
    dim, deg = dimension_and_degree([tuple(int(v) for v in e[0]) for e, _ in basis], system.nvars)
    stats = {"probe_seconds": time.perf_counter() - t0}
    if dim < 0:
        return CriticalPoints(system, -1, 0, [], None, True, "", stats)
    if dim > 0:
        values = critical_values(system, seed=seed, executor=executor, timeout=timeout)
        stats["total_seconds"] = time.perf_counter() - t0
        return CriticalPoints(system, dim, deg, [], values, False,
                              f"positive-dimensional critical set (dimension {dim}): the points "
                              "cannot be listed; its critical values are given. Generalized L2 "
                              "regularization (reg='generalized-l2') makes it finite.", stats)
    sols = solve(system, real=True, digits=digits, seed=seed, executor=executor, timeout=timeout)
    stats["solve"] = sols.stats
    if not sols.complete:
        return CriticalPoints(system, 0, deg, [], None, False, sols.reason, stats)
    L = PolyEvaluator(system.loss)
    hess = [[PolyEvaluator(h) for h in row] for row in hessian_polys(system.loss)]
    prec = max(64, int(digits * 3.33) + 32)
    points = []
    with flint.ctx.workprec(prec):
        for s in sols.real:
            points.append(CriticalPoint(s, L.arb(list(s.intervals)),
                                        hessian_inertia(hess, list(s.intervals), prec=prec)))
    if points:
        upper = min(float(pt.loss.mid()) + float(pt.loss.rad()) for pt in points)
        for pt in points:  # every point whose loss may equal the smallest one
            pt.global_minimum = float(pt.loss.mid()) - float(pt.loss.rad()) <= upper
    stats["total_seconds"] = time.perf_counter() - t0
    return CriticalPoints(system, 0, deg, points, None, True, "", stats)
