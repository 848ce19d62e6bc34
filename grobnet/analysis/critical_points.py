"""``critical_points``: every real critical point of a network's loss, classified.

The chain: gradient system (frontend) -> :func:`grobnet.solve` (its dimension probe
decides whether the critical set is finite; if so, certified real boxes) -> the loss
on each box (ball arithmetic) and the certified Hessian inertia; if the set is
infinite, the exact critical values by elimination
(:mod:`grobnet.analysis.critical_values`) and an honest ``complete=False`` — a
positive-dimensional critical set is never listed as if it were finite.

Truth: the solve's primes are random (``seed=None`` draws a fresh seed, kept in
``stats["seed"]``); the result's ``guarantee`` says what is proven and what rests on
random primes (:mod:`grobnet.common.guarantee`); ``proof=True`` asks for a proof of the
counts; ``order_check`` (default on) probes the dimension and degree again under a random
other variable order and other primes (:func:`grobnet.solver.orderings.probe_cross_check`).
A point is labelled "global minimum" only when that is proven: the loss is coercive
(:func:`~grobnet.analysis.critical_values.loss_is_coercive`) and the list is complete;
otherwise the lowest points are only "lowest critical points".

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

from grobnet.analysis.critical_values import critical_values, loss_is_coercive
from grobnet.analysis.gauge import gauge_fixed_system
from grobnet.analysis.hessian import hessian_inertia
from grobnet.analysis.progress import report
from grobnet.analysis.slices import REASON, slice_samples
from grobnet.common.evaluate import PolyEvaluator, hessian_polys
from grobnet.common.guarantee import Guarantee
from grobnet.common.primes import resolve_seed
from grobnet.engine.convert import as_system, is_single_polynomial
from grobnet.errors import TimeoutExceeded
from grobnet.frontend import PolynomialSystem, gradient_system
from grobnet.solver import solve
from grobnet.solver.orderings import probe_cross_check

__all__ = ["CriticalPoint", "CriticalPoints", "critical_points", "ORDER_CHECK_SECONDS"]

#: Least seconds the order cross-check may take (it gets as long as the solve took).
ORDER_CHECK_SECONDS = 10.0


@dataclass
class CriticalPoint:
    """One real critical point: certified box, loss interval, Hessian inertia and label.

    ``lowest``: its loss may be the smallest among the listed points; ``global_minimum``:
    that, *and* proven to be the global minimum of the loss (coercive loss, complete list).
    """

    solution: object          # grobnet.common.boxes.RealSolution
    loss: "flint.arb"
    inertia: object           # grobnet.analysis.hessian.Inertia
    global_minimum: bool = False
    lowest: bool = False

    @property
    def label(self) -> str:
        return self.inertia.label()

    @property
    def parameters(self) -> dict:
        """Parameter name -> float (midpoint of the certified interval)."""
        return self.solution.as_dict()

    def __repr__(self):
        star = ", global minimum" if self.global_minimum else \
            ", lowest critical point" if self.lowest else ""
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
    gauge-fixed system (then ``system`` is the fixed system); ``guarantee``: what the
    answer rests on (:class:`~grobnet.common.guarantee.Guarantee`).
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
    guarantee: Guarantee | None = None

    @property
    def global_minima(self) -> list:
        return [p for p in self.points if p.global_minimum]

    @property
    def lowest_points(self) -> list:
        return [p for p in self.points if p.lowest]

    def to_records(self) -> list:
        """Plain dicts (JSON-friendly): parameters, loss, index, label, lowest and global flags.

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
                        "label": p.label, "lowest": p.lowest,
                        "global_minimum": p.global_minimum})
        return out

    def summary(self) -> str:
        """A human-readable table of the result."""
        lines = [f"critical set: dimension {self.dimension}"
                 + (f", {self.degree} complex critical points (with multiplicity)"
                    if self.dimension == 0 else "")
                 if self.dimension is not None else
                 "critical set: dimension and degree unknown (the dimension probe did not "
                 "finish)"]
        if self.gauge is not None:
            lines.insert(0, f"gauge-fixed system: {self.gauge.relation}")
        if self.points:
            what = "real witness points (samples, not a complete list)" if self.sampled \
                else "real critical points" if self.complete else \
                "certified real critical points (not a complete list)"
            lines.append(f"{len(self.points)} {what}:")
            lines.append(f"  {'#':>3}  {'loss':>22}  {'kind':<20}")
            for k, p in enumerate(sorted(self.points, key=lambda q: float(q.loss.mid()))):
                star = "  <- global minimum" if p.global_minimum else \
                    "  <- lowest critical point" if p.lowest and self.complete else \
                    "  <- lowest of the listed points" if p.lowest else ""
                lines.append(f"  {k:>3}  {p.loss.str(15, radius=False):>22}  {p.label:<20}{star}")
        elif self.dimension == 0 and self.complete:
            lines.append("no real critical point")
        elif self.dimension == 0 or self.dimension is None:
            lines.append("no certified real critical point found (the list is incomplete)")
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
                qual = " (the global minimum: the loss is coercive)" \
                    if self.values.minimum_is_attained_global and self.values.complete else \
                    " (lowest critical value; the global minimum only if the loss attains " \
                    "its infimum, which is not proven here)"
                lines.append(f"smallest attained critical value: {m.exact if m.exact is not None else m.interval}{qual}")
        if self.gauge is not None and self.points:
            low = min(self.points, key=lambda q: float(q.loss.mid()))
            lines.append(f"lowest loss among the represented orbits: {low.loss.str(15, radius=False)}"
                         " (not proven to be the global minimum: a lower critical value may lie "
                         "where a fixed weight is 0)")
        if self.gauge is not None and len(self.points) > 1:
            classes = self.gauge.permutation_classes([p.solution.floats() for p in self.points])
            lines.append(f"up to permutations of hidden units: {len(classes)} classes")
        if not self.complete:
            lines.append(f"INCOMPLETE: {self.reason}")
        if self.guarantee is not None:
            lines.append(f"guarantee: {self.guarantee}")
        return "\n".join(lines)

    def __repr__(self):
        state = "complete" if self.complete else f"incomplete: {self.reason}"
        if self.guarantee is not None:
            state += f"; {self.guarantee.short()}"
        return (f"CriticalPoints(dimension {self.dimension}, {len(self.points)} real points, "
                f"{len(self.global_minima)} global minima; {state})")


def _build_system(net_or_system, data, loss, reg):
    if hasattr(net_or_system, "equations") and hasattr(net_or_system, "variables"):
        if data is not None:
            raise ValueError("pass either a PolynomialSystem or a network with data, not both")
        return net_or_system
    if is_single_polynomial(net_or_system):
        if data is not None:
            raise ValueError("a loss polynomial needs no data: pass either a polynomial or a "
                             "network with data")
        return _loss_system(net_or_system)
    if isinstance(net_or_system, (list, tuple)):
        raise ValueError("critical_points takes one loss polynomial (sympy expression, Poly, "
                         "string or python-flint polynomial), a PolynomialSystem with a loss, "
                         "or a network with data; for the solutions of a system of equations "
                         "use grobnet.solve")
    if data is None:
        raise ValueError("critical_points(net, data, ...) needs the training data")
    return gradient_system(net_or_system, data, loss=loss, reg=reg)


def _loss_system(f):
    """The gradient system of one loss polynomial ``f`` (any kind ``groebner`` accepts), in
    its variables (sorted as sympy sorts them, or those of its python-flint context)."""
    system = as_system([f])
    if system.modulus is not None:
        raise ValueError(f"the loss is over GF({system.modulus}); critical points are real: "
                         "pass a polynomial with rational coefficients")
    if not system.polys or system.nvars == 0:
        raise ValueError("the loss is a constant: every point is critical")
    L = system.polys[0]
    if not isinstance(L, flint.fmpq_mpoly):
        L = flint.fmpq_mpoly_ctx.get(L.context().names(), "degrevlex").from_dict(
            {m: flint.fmpq(int(c)) for m, c in L.to_dict().items()})
    return PolynomialSystem(system.variables, [L.derivative(j) for j in range(system.nvars)],
                            loss=L, name="gradient of the loss")


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


def _mark_lowest(points, proven_global: bool):
    """Flag every point whose loss may equal the smallest one as ``lowest``, and as
    ``global_minimum`` too when ``proven_global`` (coercive loss, complete list: the
    global minimum is attained at a critical point, hence at a listed one)."""
    if points:
        upper = min(float(pt.loss.mid()) + float(pt.loss.rad()) for pt in points)
        for pt in points:
            pt.lowest = float(pt.loss.mid()) - float(pt.loss.rad()) <= upper
            pt.global_minimum = pt.lowest and proven_global


def critical_points(net_or_system, data=None, *, loss: str = "mse", reg=None, digits: int = 30,
                    seed: int | None = None, executor="auto", timeout: float | None = None,
                    gauge: str | None = None, positive_dimensional: str = "values",
                    progress=None, proof: bool = False, proof_timeout: float | None = None,
                    order_check: bool = True, symmetry="auto",
                    max_memory: int | None = None) -> CriticalPoints:
    """Every real critical point of the training loss, with loss value and Hessian type.

    ``net_or_system``: a :class:`~grobnet.frontend.Network` (then ``data``, ``loss``,
    ``reg`` build the gradient system), a ready ``PolynomialSystem`` with a ``loss``, or
    one loss polynomial of any kind :func:`grobnet.groebner` accepts (sympy expression or
    ``Poly``, string, python-flint polynomial; its critical points are those of the
    polynomial in its variables).
    ``data`` as people hold it: a list of ``(input, target)`` samples such as
    ``[((0, 0), (0,)), ((0, 1), (1,)), ...]``, a pair ``(inputs, targets)``, a 2-D
    numpy array or pandas DataFrame (targets last), a CSV path, ``"xor"`` or a
    :class:`~grobnet.frontend.Dataset` (see :func:`grobnet.frontend.data.as_dataset`).

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

    ``seed``: the run's seed (``None``: a fresh one, in ``stats["seed"]``; ``seed=``
    replays a run).  ``executor``: as in :func:`grobnet.solve` (default ``"auto"``:
    every core, a local process pool once a lift runs long; ``"serial"``: one thread,
    a pool, ``"processes"`` or a Dask ``Client``; the answer does not depend on it).
    ``proof``, ``proof_timeout``, ``timeout``, ``max_memory``: as in :func:`grobnet.solve`;
    when its dimension probe does not fit them (networks of degree 20,000+) the real
    critical points monodromy found and Krawczyk proved come back with their loss and
    type, ``dimension`` and ``degree`` ``None``, ``complete=False`` and no global claim.
    ``order_check``: probe dimension and degree again under a random other variable
    order modulo other primes; a disagreement makes the result incomplete.
    ``symmetry``: as in :func:`grobnet.solve` (``"auto"``: with plain L2 or no
    regularization the hidden-unit permutations, proven exactly, let the hybrid route
    track and certify one critical point per orbit; ``None``: off).
    """
    if positive_dimensional not in ("values", "slices"):
        raise ValueError(f"positive_dimensional={positive_dimensional!r}: expected 'values' or "
                         "'slices'")
    if progress is not None and not callable(progress):
        raise ValueError(f"progress must be a callable progress(stage, info) or None, got "
                         f"{type(progress).__name__}")
    t0 = time.perf_counter()
    seed = resolve_seed(seed)
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
                 timeout=timeout, progress=None if progress is None else relay, proof=proof,
                 proof_timeout=proof_timeout, symmetry=symmetry, max_memory=max_memory)
    dim, deg = sols.dimension, sols.degree
    stats = {"solve": sols.stats, "seed": seed}
    check_problem = ""
    # an unknown dimension (the solve's probe was cut) has nothing to cross-check
    order_check = order_check and dim is not None
    if order_check:
        # another order can make F4 much slower: the check gets as long as the solve took
        # (at least ORDER_CHECK_SECONDS), within what is left of ``timeout``
        budget = max(ORDER_CHECK_SECONDS, time.perf_counter() - t0)
        if timeout is not None:
            budget = min(budget, max(1e-3, timeout - (time.perf_counter() - t0)))
        check = probe_cross_check(system, dim, deg, seed=seed, timeout=budget)
        stats["order_check"] = check
        if check["agrees"] is False:
            check_problem = (f"order cross-check: under variable order {check['order']} two "
                             f"other primes give dimension {check['dimension']}, degree "
                             f"{check['degree']} (the solve: dimension {dim}, degree {deg})")
    gauge_reason = "" if fixing is None else (
        f"gauge-fixed ({', '.join(fixing.fixed)} = 1): one point per scaling orbit of critical "
        "points; orbits where a fixed weight is 0 are not represented")

    def finish(result, guarantee=None):
        result.gauge = fixing
        result.guarantee = guarantee or sols.guarantee
        if check_problem:
            result.complete = False
            result.reason = "; ".join(r for r in (result.reason, check_problem) if r)
            for pt in result.points:          # not proven complete: no global claim
                pt.global_minimum = False
        elif order_check and result.guarantee is not None:
            check = stats["order_check"]
            if check["agrees"]:
                result.guarantee = result.guarantee.with_note(
                    f"dimension and degree confirmed under variable order {check['order']} "
                    "modulo two other primes")
            elif check["agrees"] is None and "one variable" not in check["status"]:
                result.guarantee = result.guarantee.with_note(
                    f"the order cross-check did not finish ({check['status']})")
        if fixing is not None:
            # a lower critical value may lie where a fixed weight is 0: no global claim
            for pt in result.points:
                pt.global_minimum = False
            result.complete = False
            result.reason = "; ".join(r for r in (result.reason, gauge_reason) if r)
        result.stats["total_seconds"] = time.perf_counter() - t0
        report(progress, "done", seconds=round(result.stats["total_seconds"], 3))
        return result

    if dim is not None and dim < 0:
        return finish(CriticalPoints(system, -1, 0, [], None, sols.complete, sols.reason,
                                     stats))
    if dim is not None and dim > 0:
        report(progress, "critical-values", event="start")
        left = None if timeout is None else max(1e-3, timeout - (time.perf_counter() - t0))
        try:
            values = critical_values(system, seed=seed, executor=executor, timeout=left,
                                     progress=progress)
        except TimeoutExceeded as exc:
            return finish(CriticalPoints(system, dim, deg, [], None, False,
                                         f"positive-dimensional critical set (dimension {dim});"
                                         f" its critical values were not finished: {exc}",
                                         stats))
        parts = Guarantee.combine(
            f"the critical set has dimension {dim}; {values.guarantee.statement}",
            [sols.guarantee, values.guarantee])
        report(progress, "critical-values", event="done", values=len(values.values))
        reason = (f"positive-dimensional critical set (dimension {dim}): the points "
                  "cannot be listed; its critical values are given. Generalized L2 "
                  "regularization (reg='generalized-l2') makes it finite.")
        if positive_dimensional == "slices":
            left = None if timeout is None else max(1e-3, timeout - (time.perf_counter() - t0))
            found = slice_samples(system, values, seed=seed, digits=digits, timeout=left,
                                  progress=progress)
            stats["slices"] = found.slices
            points = _certify(system, [s.solution for s in found.samples], digits)
            low = values.minimum
            for pt in points:   # the smallest attained critical value: the lowest (global
                # minimum when proven: coercive loss, all critical values found)
                pt.lowest = bool(low is not None and pt.loss.overlaps(low.interval))
                pt.global_minimum = pt.lowest and values.minimum_is_attained_global \
                    and values.complete
            reason = f"{REASON} (dimension {dim}): {len(points)} witness points; " + reason
            return finish(CriticalPoints(system, dim, deg, points, values, False, reason, stats,
                                         sampled=True), parts)
        return finish(CriticalPoints(system, dim, deg, [], values, False, reason, stats), parts)
    report(progress, "solve", event="done", real=len(sols.real or []))
    if not sols.complete:
        # a partial answer (cut by the timeout; with dim None the degree is unknown too):
        # its certified real points with their loss and Hessian type, no global claim
        points = _certify(system, sols.real, digits) if sols.real else []
        _mark_lowest(points, proven_global=False)
        return finish(CriticalPoints(system, dim, deg, points, None, False, sols.reason, stats))
    report(progress, "hessians", points=len(sols.real))
    points = _certify(system, sols.real, digits)
    _mark_lowest(points, proven_global=loss_is_coercive(system))
    return finish(CriticalPoints(system, 0, deg, points, None, True, "", stats))
