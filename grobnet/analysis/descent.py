"""Gradient descent on a polynomial loss: the reality check for the exact answer.

Training a network from many random initialisations must end near one of the
critical points grobnet found (in practice near a local minimum).  A limit point of
descent that matches none of them would mean grobnet missed a critical point.  This
module runs plain gradient descent with Armijo backtracking, vectorised over all
starting points with numpy, and matches its limits against a list of points.
"""
from __future__ import annotations

from dataclasses import dataclass

import time

import numpy as np

from grobnet.common.evaluate import PolyEvaluator, gradient_polys, hessian_polys

__all__ = ["DescentRun", "gradient_descent", "match_points"]


@dataclass
class DescentRun:
    """Where gradient descent from ``start`` ended."""

    start: np.ndarray
    point: np.ndarray
    loss: float
    gradient_norm: float
    iterations: int
    converged: bool

    def __repr__(self):
        state = "converged" if self.converged else "not converged"
        return (f"DescentRun(loss={self.loss:.6g}, |grad|={self.gradient_norm:.2e}, "
                f"{self.iterations} iterations, {state})")


def gradient_descent(loss, *, starts: int = 32, seed: int = 0, scale: float = 1.0,
                     tol: float = 1e-7, max_iter: int = 20000, initial_step: float = 1.0,
                     deadline: float | None = None) -> list:
    """Run gradient descent on the polynomial ``loss`` (an ``fmpq_mpoly``) from random starts.

    Starting points are drawn from ``N(0, scale^2)`` with a seeded generator.  Each run
    stops when the gradient norm drops below ``tol``, after ``max_iter`` steps, or when
    the line search can no longer see the loss decrease in floating point (the run is
    then reported as not converged unless its gradient is already below ``tol``).
    Floating-point loss values cannot resolve the last digits, so each run is then
    polished by Newton steps on the gradient, each accepted only if it shrinks the
    gradient norm.  ``deadline`` (``time.monotonic()``): the runs stop there (and are
    reported as they are).
    """
    if starts < 1:
        raise ValueError(f"starts must be a positive integer, got {starts!r}")
    f = PolyEvaluator(loss)
    grads = [PolyEvaluator(g) for g in gradient_polys(loss)]
    rng = np.random.default_rng(seed)
    x0 = rng.normal(0.0, scale, size=(starts, f.nvars))
    x = x0.copy()

    def grad_at(pts):
        return np.stack([g.floats(pts) for g in grads], axis=1)

    fx = f.floats(x)
    gx = grad_at(x)
    step = np.full(starts, initial_step)
    iters = np.zeros(starts, dtype=int)
    active = np.linalg.norm(gx, axis=1) >= tol
    for _ in range(max_iter):
        if not active.any() or (deadline is not None and time.monotonic() > deadline):
            break
        idx = np.nonzero(active)[0]
        g = gx[idx]
        gg = np.einsum("ij,ij->i", g, g)
        t = step[idx]
        # Armijo backtracking, vectorised: shrink the rows whose step does not decrease enough
        for _ in range(60):
            trial = x[idx] - t[:, None] * g
            ft = f.floats(trial)
            bad = ~(ft <= fx[idx] - 0.5 * t * gg) | ~np.isfinite(ft)
            if not bad.any():
                break
            t = np.where(bad, t * 0.5, t)
        stalled = bad
        trial[stalled] = x[idx][stalled]
        ft[stalled] = fx[idx][stalled]
        x[idx] = trial
        fx[idx] = ft
        gx[idx] = grad_at(trial)
        step[idx] = np.minimum(t * 2.0, 1e6)
        iters[idx] += 1
        active[idx] = (np.linalg.norm(gx[idx], axis=1) >= tol) & ~stalled
    hess = [[PolyEvaluator(h) for h in row] for row in hessian_polys(loss)]
    for i in range(starts):
        x[i], gx[i] = _newton_polish(x[i], gx[i], grads, hess)
    fx = f.floats(x)
    norms = np.linalg.norm(gx, axis=1)
    return [DescentRun(start=x0[i], point=x[i].copy(), loss=float(fx[i]), gradient_norm=float(norms[i]),
                       iterations=int(iters[i]), converged=bool(norms[i] < tol)) for i in range(starts)]


def match_points(found, reference, tol: float = 1e-4) -> list:
    """For each point in ``found``, the index of the nearest ``reference`` point within ``tol``.

    Returns ``None`` for a point that is farther than ``tol`` (max-norm) from every
    reference point.
    """
    ref = np.asarray(reference, dtype=float)
    out = []
    for p in found:
        if not len(ref):
            out.append(None)
            continue
        d = np.max(np.abs(ref - np.asarray(p, dtype=float)[None, :]), axis=1)
        k = int(np.argmin(d))
        out.append(k if d[k] <= tol else None)
    return out


def _newton_polish(x, g, grads, hess, steps: int = 20):
    """Newton steps on grad = 0 (least squares, so singular Hessians are fine), kept only
    while they reduce the gradient norm."""
    norm = np.linalg.norm(g)
    for _ in range(steps):
        if norm == 0:
            break
        h = np.array([[e.floats(x) for e in row] for row in hess])
        delta = np.linalg.lstsq(h, g, rcond=None)[0]
        trial = x - delta
        gt = np.array([q.floats(trial) for q in grads])
        nt = np.linalg.norm(gt)
        if not nt < norm:
            break
        x, g, norm = trial, gt, nt
    return x, g
