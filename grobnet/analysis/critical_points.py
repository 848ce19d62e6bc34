"""``critical_points``: every real critical point of a network's loss, classified.

The chain: gradient system (frontend) -> :func:`grobnet.solve` (its dimension probe
decides whether the critical set is finite; if so, certified real boxes) -> the loss
on each box (ball arithmetic) and the certified Hessian inertia; if the set is
infinite, the exact critical values by elimination
(:mod:`grobnet.analysis.critical_values`) and an honest ``complete=False`` — a
positive-dimensional critical set is never listed as if it were finite.

Two remedies for infinite critical sets are built in: ``gauge="fix-scale"`` solves
the gauge-fixed system of :mod:`grobnet.analysis.gauge` (homogeneous activations,
no regularization) and ``positive_dimensional="slices"`` adds witness points from
random affine slices (:mod:`grobnet.analysis.slices`), marked as samples.
Generalized L2 regularization (``reg="generalized-l2"``) is the third.  Progress
goes to an optional ``progress(stage, info)`` callable
(:mod:`grobnet.analysis.progress`).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import flint

from grobnet.analysis.critical_values import critical_values
from grobnet.analysis.gauge import gauge_fixed_system
from grobnet.analysis.hessian import hessian_inertia
from grobnet.analysis.progress import report
from grobnet.analysis.slices import REASON, slice_samples
from grobnet.common.evaluate import PolyEvaluator, hessian_polys
from grobnet.frontend import gradient_system
from grobnet.solver import solve

__all__ = ["CriticalPoint", "CriticalPoints", "critical_points"]


@dataclass
class CriticalPoint:
    """One real critical point: certified box, loss interval, Hessian inertia and label."""

    solution: object          # grobnet.common.boxes.RealSolution
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

    ``points``: the real critical points (finite case), or witness points when
    ``sampled`` (positive dimension with ``positive_dimensional="slices"``);
    ``dimension``: of the complex critical set; ``values``:
    :class:`~grobnet.analysis.critical_values.CriticalValues` (always computed for
    positive dimension); ``complete`` with ``reason``; ``gauge``: the
    :class:`~grobnet.analysis.gauge.GaugeFixing` when the points are those of a
    gauge-fixed system (then ``system`` is the fixed system).
    """

    system: object
    dimension: int
    degree: int
    points: list = field(default_factory=list)
    values: object = None
    complete: bool = True
    reason: str = ""
    stats: dict = field(default_factory=dict)
    gauge: object = None
    sampled: bool = False

    @property
    def global_minima(self) -> list:
        return [p for p in self.points if p.global_minimum]

    def to_records(self) -> list:
        """Plain dicts (JSON-friendly): parameters, loss, index, label, global flag.

        With a gauge, ``parameters`` are all the network's parameters (the fixed ones
        included, equal to 1), not only the fixed system's variables.
        """
        out = []
        for p in self.points:
            params = {k: float(v) for k, v in p.parameters.items()}
            if self.gauge is not None:
                full = self.gauge.full_point([params[v] for v in self.system.variables])
                params = dict(zip(self.gauge.original.variables, map(float, full)))
            out.append({"parameters": params,
                        "loss": float(p.loss.mid()), "loss_radius": float(p.loss.rad()),
                        "index": p.inertia.index if p.inertia.certified else None,
                        "label": p.label, "global_minimum": p.global_minimum})
        return out

    def summary(self) -> str:
        """A human-readable table of the result."""
        lines = [f"critical set: dimension {self.dimension}"
                 + (f", {self.degree} complex critical points (with multiplicity)"
                    if self.dimension == 0 else "")]
        if self.gauge is not None:
            lines.insert(0, f"gauge-fixed system: {self.gauge.relation}")
        if self.points:
            what = "real witness points (samples, not a complete list)" if self.sampled \
                else "real critical points"
            lines.append(f"{len(self.points)} {what}:")
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
        if self.gauge is not None and self.points:
            low = min(self.points, key=lambda q: float(q.loss.mid()))
            lines.append(f"lowest loss among the represented orbits: {low.loss.str(15, radius=False)}"
                         " (the global minimum unless a lower critical value lies where a fixed "
                         "weight is 0)")
        if self.gauge is not None and len(self.points) > 1:
            classes = self.gauge.permutation_classes([p.solution.floats() for p in self.points])
            lines.append(f"up to permutations of hidden units: {len(classes)} classes")
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
    if data is None:
        raise ValueError("critical_points(net, data, ...) needs the training data")
    return gradient_system(net_or_system, data, loss=loss, reg=reg)


def _certify(system, real_solutions, digits):
    """CriticalPoint objects (loss ball, certified inertia) for certified real boxes."""
    L = PolyEvaluator(system.loss)
    hess = [[PolyEvaluator(h) for h in row] for row in hessian_polys(system.loss)]
    prec = max(64, int(digits * 3.33) + 32)
    points = []
    with flint.ctx.workprec(prec):
        for s in real_solutions:
            points.append(CriticalPoint(s, L.arb(list(s.intervals)),
                                        hessian_inertia(hess, list(s.intervals), prec=prec)))
    return points


def _mark_global(points):
    if points:
        upper = min(float(pt.loss.mid()) + float(pt.loss.rad()) for pt in points)
        for pt in points:  # every point whose loss may equal the smallest one
            pt.global_minimum = float(pt.loss.mid()) - float(pt.loss.rad()) <= upper


def critical_points(net_or_system, data=None, *, loss: str = "mse", reg=None, digits: int = 30,
                    seed: int = 0, executor="serial", timeout: float | None = None,
                    gauge: str | None = None, positive_dimensional: str = "values",
                    progress=None) -> CriticalPoints:
    """Every real critical point of the training loss, with loss value and Hessian type.

    ``net_or_system``: a :class:`~grobnet.frontend.Network` (then ``data``, ``loss``,
    ``reg`` build the gradient system) or a ready ``PolynomialSystem`` with a ``loss``.

    ``gauge``: ``None`` (default) or ``"fix-scale"``: solve the gauge-fixed system of
    :func:`grobnet.analysis.gauge.gauge_fixed_system` instead (a network with a
    homogeneous activation and no regularization); the result lists one point per
    scaling orbit, says so in ``reason`` and carries the relation in ``gauge``.

    ``positive_dimensional``: what to do with an infinite critical set:
    ``"values"`` (default) gives the exact critical values only; ``"slices"`` adds
    real witness points from random affine slices on every level
    (:func:`grobnet.analysis.slices.slice_samples`), listed in ``points`` with
    ``sampled=True`` — samples, never a complete list.

    ``progress``: an optional ``progress(stage, info)`` callable (stages in
    :mod:`grobnet.analysis.progress`); it is also handed to :func:`grobnet.solve`.
    """
    if positive_dimensional not in ("values", "slices"):
        raise ValueError(f"positive_dimensional={positive_dimensional!r}: expected 'values' or "
                         "'slices'")
    if progress is not None and not callable(progress):
        raise ValueError(f"progress must be a callable progress(stage, info) or None, got "
                         f"{type(progress).__name__}")
    t0 = time.perf_counter()
    fixing = None
    if gauge is not None:
        if gauge != "fix-scale":
            raise ValueError(f"gauge={gauge!r}: the only gauge is 'fix-scale'")
        if data is None or hasattr(net_or_system, "equations"):
            raise ValueError("gauge='fix-scale' needs a network and its data, not a system")
        fixing = gauge_fixed_system(net_or_system, data, loss=loss, reg=reg)
        system = fixing.system
    else:
        system = _build_system(net_or_system, data, loss, reg)
    if getattr(system, "loss", None) is None:
        raise ValueError("the system has no loss polynomial; critical points need one")
    report(progress, "system", nvars=system.nvars, equations=len(system.equations))
    report(progress, "dimension", event="start")

    def relay(stage, info):
        # solve's dimension probe is the end of this computation's "dimension" stage
        if stage == "solve" and info.get("event") == "probe":
            report(progress, "dimension", event="done", dimension=info["dimension"],
                   degree=info["degree"])
            report(progress, "solve", event="start")
        elif stage == "f4-round":
            progress(stage, dict(info, of="dimension probe"))
        else:
            progress(stage, info)

    sols = solve(system, real=True, digits=digits, seed=seed, executor=executor,
                 timeout=timeout, progress=None if progress is None else relay)
    dim, deg = sols.dimension, sols.degree
    stats = {"solve": sols.stats}
    gauge_reason = "" if fixing is None else (
        f"gauge-fixed ({', '.join(fixing.fixed)} = 1): one point per scaling orbit of critical "
        "points; orbits where a fixed weight is 0 are not represented")

    def finish(result):
        result.gauge = fixing
        if fixing is not None:
            # a lower critical value may lie where a fixed weight is 0: no global claim
            for pt in result.points:
                pt.global_minimum = False
            result.complete = False
            result.reason = "; ".join(r for r in (result.reason, gauge_reason) if r)
        result.stats["total_seconds"] = time.perf_counter() - t0
        report(progress, "done", seconds=round(result.stats["total_seconds"], 3))
        return result

    if dim < 0:
        return finish(CriticalPoints(system, -1, 0, [], None, True, "", stats))
    if dim > 0:
        report(progress, "critical-values", event="start")
        values = critical_values(system, seed=seed, executor=executor, timeout=timeout,
                                 progress=progress)
        report(progress, "critical-values", event="done", values=len(values.values))
        reason = (f"positive-dimensional critical set (dimension {dim}): the points "
                  "cannot be listed; its critical values are given. Generalized L2 "
                  "regularization (reg='generalized-l2') makes it finite.")
        if positive_dimensional == "slices":
            found = slice_samples(system, values, seed=seed, digits=digits, timeout=timeout,
                                  progress=progress)
            stats["slices"] = found.slices
            points = _certify(system, [s.solution for s in found.samples], digits)
            low = values.minimum
            for pt in points:   # the smallest attained critical value is the global minimum
                pt.global_minimum = bool(low is not None and values.minimum_is_attained_global
                                         and pt.loss.overlaps(low.interval))
            reason = f"{REASON} (dimension {dim}): {len(points)} witness points; " + reason
            return finish(CriticalPoints(system, dim, deg, points, values, False, reason, stats,
                                         sampled=True))
        return finish(CriticalPoints(system, dim, deg, [], values, False, reason, stats))
    report(progress, "solve", event="done", real=len(sols.real or []))
    if not sols.complete:
        return finish(CriticalPoints(system, 0, deg, [], None, False, sols.reason, stats))
    report(progress, "hessians", points=len(sols.real))
    points = _certify(system, sols.real, digits)
    _mark_global(points)
    return finish(CriticalPoints(system, 0, deg, points, None, True, "", stats))
