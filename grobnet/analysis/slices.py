"""Witness points of a positive-dimensional critical set, from random affine slices.

A critical set ``V = {∇L = 0}`` of dimension ``d`` cannot be listed, but it can be
*sampled*: intersecting it with ``d`` generic affine hyperplanes ``a_i·θ = b_i``
leaves finitely many points on every ``d``-dimensional component (a generic
linear space of codimension ``d`` meets a ``d``-dimensional variety in
``degree`` points and misses lower-dimensional ones).  Doing this on every
*level* ``{h(L) = 0}`` of the critical values, with as many hyperplanes as that
level's dimension, samples every level, not only the largest component.

The hyperplanes have random rational coefficients (seeded, so runs repeat).  The
sliced system is solved exactly with :func:`grobnet.solve`; its real
solutions are certified boxes of genuine critical points (the system contains
``∇L = 0``).  Each box is re-checked: the gradient of ``L`` must contain 0 on it
(ball arithmetic) and its loss ball must meet the level's critical value.

What this does *not* give: a complete list (the result is marked as samples);
real points on a component whose real part the random real slice happens to
miss (another ``tries`` with other hyperplanes may hit it); components of a
level below that level's dimension.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

import flint

from grobnet.analysis.progress import report
from grobnet.common.evaluate import PolyEvaluator, gradient_polys
from grobnet.common.primes import resolve_seed
from grobnet.exact.probe import probe_system
from grobnet.solver import solve

__all__ = ["SliceSample", "SliceSamples", "random_slices", "slice_samples"]

REASON = "samples from random affine slices"


@dataclass
class SliceSample:
    """One real critical point found on a slice: its certified box (a ``RealSolution`` of the
    sliced system, coordinates in the original variable order), its loss ball, and the
    level it was sampled on (``None`` when sliced without levels)."""

    solution: object
    loss: "flint.arb"
    level: object = None
    gradient_contains_zero: bool = True

    def floats(self):
        return self.solution.floats()


@dataclass
class SliceSamples:
    """Witness points on a positive-dimensional critical set (never a complete list)."""

    samples: list
    slices: list = field(default_factory=list)   # per slice: dict(level, hyperplanes, real, ...)
    complete: bool = False
    reason: str = REASON

    def __len__(self):
        return len(self.samples)

    def __repr__(self):
        return f"SliceSamples({len(self.samples)} real witness points on {len(self.slices)} slices)"


def random_slices(system, count: int, rng: random.Random, height: int = 16) -> list:
    """``count`` affine equations ``Σ a_j θ_j - b`` with random rationals ``a_j, b`` in
    ``[-1, 1]`` of denominator at most ``height`` (``fmpq_mpoly`` in ``system.ctx``)."""
    def coeff():
        return flint.fmpq(rng.randint(-height, height), rng.randint(1, height))

    gens = system.ctx.gens()
    out = []
    for _ in range(count):
        f = system.ctx.from_dict({}) + coeff()
        for x in gens:
            f += coeff() * x
        out.append(f)
    return out


def _compose_factor(h, L):
    """``h(L)`` for an integer univariate ``h`` and a polynomial ``L``, by Horner's rule."""
    coeffs = [int(c) for c in h.coeffs()]
    acc = L * 0 + coeffs[-1]
    for c in reversed(coeffs[:-1]):
        acc = acc * L + c
    return acc


def slice_samples(system, values=None, *, seed: int | None = None, tries: int = 2,
                  digits: int = 30,
                  timeout: float | None = None, progress=None) -> SliceSamples:
    """Sample real critical points of ``system.loss`` by random affine slices.

    ``values``: :class:`~grobnet.analysis.critical_values.CriticalValues` of the same
    system; then every level ``h(L) = 0`` of dimension ``d_h`` is sliced by ``d_h``
    hyperplanes (levels are the eliminant's irreducible factors with real roots).
    Without ``values`` the whole critical set is sliced by ``dim V`` hyperplanes
    (top-dimensional components only).  Each level gets up to ``tries`` slices until
    one has a real point.  Returns :class:`SliceSamples` (``complete=False``).
    """
    if getattr(system, "loss", None) is None:
        raise ValueError("slices need the system's loss polynomial (system.loss is None)")
    seed = resolve_seed(seed)          # None: a fresh one (the primes of the solves too)
    rng = random.Random(seed)
    grads = [PolyEvaluator(g) for g in gradient_polys(system.loss)]
    L = PolyEvaluator(system.loss)
    if values is not None:
        levels = []
        for v in values.values:
            if not any(v.factor == h for h, _, _ in levels):
                levels.append((v.factor, v.dimension, [w for w in values.values
                                                       if w.factor == v.factor]))
    else:
        dim = probe_system(system, seed=seed).hilbert.dimension
        levels = [(None, dim, [])]
    prec = max(64, int(digits * 3.33) + 32)
    samples, slices = [], []
    t_end = None if timeout is None else time.monotonic() + timeout
    for h, dim, level_values in levels:
        if dim < 0:
            continue
        for attempt in range(max(1, tries)):
            left = None if t_end is None else max(1.0, t_end - time.monotonic())
            eqs = list(system.equations) + random_slices(system, dim, rng)
            if h is not None:
                eqs.append(_compose_factor(h, system.loss))
            label = None if h is None else ", ".join(
                str(v.exact) if v.exact is not None else v.interval.str(10, radius=False)
                for v in level_values)
            record = {"level": label, "hyperplanes": dim,
                      "attempt": attempt}
            try:
                sols = solve(eqs, real=True, digits=digits, seed=seed, timeout=left)
            except Exception as exc:          # a hard or degenerate slice is skipped, and said so
                record.update(real=0, note=f"{type(exc).__name__}: {exc}")
                slices.append(record)
                report(progress, "slices", **{k: v for k, v in record.items() if k != "note"})
                continue
            if sols.dimension != 0 or not sols.complete:
                record.update(real=0, note=sols.reason or f"dimension {sols.dimension}")
                slices.append(record)
                report(progress, "slices", level=record["level"], hyperplanes=dim, real=0)
                continue
            found = []
            with flint.ctx.workprec(prec):
                for s in sols.real:
                    box = list(s.intervals)
                    loss = L.arb(box)
                    zero = all(g.arb(box).contains(0) for g in grads)
                    level = next((v for v in level_values if loss.overlaps(v.interval)), None)
                    found.append(SliceSample(s, loss, level, zero))
            record.update(real=len(found), degree=sols.degree)
            slices.append(record)
            report(progress, "slices", level=record["level"], hyperplanes=dim, real=len(found))
            samples.extend(found)
            if found:
                break
    return SliceSamples(samples, slices)
