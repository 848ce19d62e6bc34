"""Predictor-corrector path tracking for the parameter homotopy ``F(x) + diag(mu) (x - c)``.

The homotopy between two parameter points ``mu_a`` and ``mu_b`` (complex vectors, one
per equation) with a fixed centre ``c`` is

    H(x, t) = F(x) + diag(mu(t)) (x - c),    mu(t) = (1 - t) mu_a + t mu_b,   t in [0, 1],

so equation ``i`` gets ``mu_i(t) (x_i - c_i)``.  For generic complex ``mu_a``, ``mu_b`` the
segment between them misses the (complex codimension one) discriminant with
probability one, so every regular solution at ``mu_a`` continues to one at ``mu_b``.

All paths are tracked at once, each with its own ``t`` and step ``h``: one
iteration evaluates the system and solves the Jacobian systems for every active
path in a few vectorised calls.  Predictor: classical Runge-Kutta (order 4) on
``dx/dt = -H_x^{-1} H_t``; corrector: Newton at the new ``t``.  A step is accepted
when the first Newton correction is small (the predictor error, so the path stayed
in its basin) and the second one contracts; the step then grows as the fifth root
of the error margin, and halves on rejection.  Corrections are measured in the
weighted norm ``max_i |dx_i| / max(1, |x_i|)`` (relative in large coordinates,
absolute in small ones, as HomotopyContinuation.jl's weighted norm): with a
Euclidean norm relative to ``|x|``, a path where some coordinates are ~100 and
others ~0.1 accepted predictor errors as large as the small coordinates and left
Newton's basin.  Paths whose ``|x|`` explodes or whose step collapses are flagged,
not reported.

Floating point only: the results are approximations, which the certification
(:mod:`grobnet.numeric.certify`) proves or rejects.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from .polyeval import PolySystem

__all__ = ["TrackOptions", "TrackResult", "track", "newton_polish", "SUCCESS", "DIVERGED",
           "STEP_FAILURE", "MAX_STEPS", "INTERRUPTED"]

# path status codes (shared with the compiled tracker, csrc/track.h)
SUCCESS, DIVERGED, STEP_FAILURE, MAX_STEPS, INTERRUPTED = 0, 1, 2, 3, 4


@dataclass(frozen=True)
class TrackOptions:
    """Tuning of :func:`track`.

    ``tol_pred``: largest accepted first Newton correction ``max_i |dx_i| / max(1, |x_i|)``;
    ``newton_steps``: corrector iterations per step; ``h_start``/``h_min``: initial and
    smallest step in ``t``; ``max_steps``: per path; ``blowup``: ``|x|`` beyond which a
    path is declared diverging; ``far``: a path whose step collapses (or that runs out of
    steps) with ``|x| > far * (1 + |x_start|)`` is declared diverging too -- a path
    escaping to infinity becomes too ill-conditioned for double precision long before
    ``blowup``; ``predictor``: ``"rk4"`` (both trackers) or ``"pade"`` (the compiled
    tracker only: a Pade (2,1) approximant per coordinate from the path's Taylor
    coefficients, which steps past near-poles where Runge-Kutta crawls).
    """
    tol_pred: float = 1e-3
    newton_steps: int = 2
    h_start: float = 0.02
    h_min: float = 1e-12
    h_max: float = 0.25
    max_steps: int = 3000
    blowup: float = 1e8
    far: float = 50.0
    predictor: str = "rk4"

    def __post_init__(self):
        if self.predictor not in ("rk4", "pade"):
            raise ValueError(f"unknown predictor {self.predictor!r}; expected 'rk4' or 'pade'")


@dataclass
class TrackResult:
    """End points ``x`` (P x n), per-path ``status`` (0 success, 1 diverged, 2 step failure,
    3 step limit, 4 interrupted by the time budget) and counters; ``residual`` and
    ``progress`` (compiled tracker only): the last relative Newton correction at each end
    point, and how far each path got (legs completed plus t on its last leg)."""
    x: np.ndarray
    status: np.ndarray
    steps: np.ndarray
    rejected: np.ndarray
    stats: dict = field(default_factory=dict)
    residual: Optional[np.ndarray] = None
    progress: Optional[np.ndarray] = None

    @property
    def ok(self) -> np.ndarray:
        return self.status == SUCCESS


def _solve(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Batched ``A^{-1} b`` (A: P x n x n, b: P x n); singular systems give non-finite rows."""
    try:
        return np.linalg.solve(A, b[..., None])[..., 0]
    except np.linalg.LinAlgError:
        out = np.empty_like(b)
        for k in range(A.shape[0]):
            try:
                out[k] = np.linalg.solve(A[k], b[k])
            except np.linalg.LinAlgError:
                out[k] = np.nan
        return out


def _norm(v: np.ndarray) -> np.ndarray:
    return np.sqrt((v.real ** 2 + v.imag ** 2).sum(axis=-1))


def _wnorm(v: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """Row-wise ``max_i |v_i| / max(1, |ref_i|)`` (NaN if any entry is NaN)."""
    return np.max(np.abs(v) / np.maximum(1.0, np.abs(ref)), axis=-1)


class _Homotopy:
    """``H(x, t)`` and its derivatives for one segment ``mu_a -> mu_b``."""

    def __init__(self, system: PolySystem, mu_a, mu_b, npaths: int, center=None):
        n = system.nvars
        self.system = system
        self.center = (np.zeros(n, dtype=np.complex128) if center is None
                       else np.asarray(center, dtype=np.complex128))
        try:
            self.mu_a = np.broadcast_to(np.asarray(mu_a, dtype=np.complex128), (npaths, n))
            self.dmu = np.broadcast_to(np.asarray(mu_b, dtype=np.complex128), (npaths, n)) \
                - self.mu_a
        except ValueError:
            raise ValueError(f"parameters must have shape ({n},) or ({npaths}, {n}), got "
                             f"{np.shape(mu_a)} and {np.shape(mu_b)}") from None
        self.diag = np.arange(n)

    def newton_data(self, x, t, rows):
        """``H(x, t)`` and ``H_x(x, t)`` for the paths ``rows``."""
        F, J = self.system.evaluate(x)
        mu = self.mu_a[rows] + t[:, None] * self.dmu[rows]
        F += mu * (x - self.center)
        J[:, self.diag, self.diag] += mu
        return F, J

    def velocity(self, x, t, rows):
        """``dx/dt = -H_x^{-1} H_t`` with ``H_t = dmu * (x - c)``."""
        _, J = self.newton_data(x, t, rows)
        return -_solve(J, self.dmu[rows] * (x - self.center))


def track(system: PolySystem, x0, mu_a, mu_b, options: TrackOptions = TrackOptions(),
          deadline=None, clock=None, center=None) -> TrackResult:
    """Track the solutions ``x0`` (P x n) of ``H(x, 0) = 0`` to ``t = 1``.

    ``mu_a``, ``mu_b``: shape ``(n,)`` (one segment for all paths) or ``(P, n)`` (one
    segment per path, so paths of different segments share the vectorised work);
    ``center``: the vector ``c`` of the family (zero when omitted).
    ``deadline``/``clock``: stop (remaining paths get status 4) when ``clock() > deadline``.
    """
    if options.predictor != "rk4":
        raise ValueError(f"the numpy tracker has only the rk4 predictor, not {options.predictor!r}")
    x = np.array(x0, dtype=np.complex128, copy=True)
    if x.ndim != 2 or x.shape[1] != system.nvars:
        raise ValueError(f"start points must have shape (P, {system.nvars}), got {x.shape}")
    P = x.shape[0]
    H = _Homotopy(system, mu_a, mu_b, P, center)
    o = options
    t = np.zeros(P)
    h = np.full(P, o.h_start)
    status = np.full(P, -1, dtype=np.int64)
    steps = np.zeros(P, dtype=np.int64)
    rejected = np.zeros(P, dtype=np.int64)
    start_size = 1.0 + _norm(x)
    iterations = 0
    while True:
        act = np.nonzero(status < 0)[0]
        if len(act) == 0:
            break
        if deadline is not None and clock() > deadline:
            status[act] = INTERRUPTED
            break
        iterations += 1
        xa, ta = x[act], t[act]
        ha = np.minimum(h[act], 1.0 - ta)
        hc = ha[:, None]
        # RK4 predictor
        k1 = H.velocity(xa, ta, act)
        k2 = H.velocity(xa + 0.5 * hc * k1, ta + 0.5 * ha, act)
        k3 = H.velocity(xa + 0.5 * hc * k2, ta + 0.5 * ha, act)
        t1 = ta + ha
        k4 = H.velocity(xa + hc * k3, t1, act)
        xp = xa + hc / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
        # Newton corrector
        norms = []
        for _ in range(o.newton_steps):
            Fv, Jv = H.newton_data(xp, t1, act)
            dx = _solve(Jv, Fv)
            xp = xp - dx
            norms.append(_wnorm(dx, xa))
        d1 = norms[0]
        good = np.isfinite(d1) & (d1 <= o.tol_pred)
        if len(norms) > 1:
            d2 = norms[1]
            good &= (d2 <= 0.25 * d1) | (d2 <= 1e-10)
        good &= np.all(np.isfinite(xp), axis=1)
        # accept
        acc = act[good]
        x[acc] = xp[good]
        t[acc] = np.where(1.0 - t1[good] < 1e-14, 1.0, t1[good])
        steps[act] += 1
        ratio = np.maximum(d1[good], 1e-16) / o.tol_pred
        grow = np.clip(0.8 * ratio ** (-0.2), 1.0, 2.5)
        h[acc] = np.minimum(ha[good] * grow, o.h_max)
        # reject
        rej = act[~good]
        rejected[rej] += 1
        h[rej] = ha[~good] * 0.5
        # classify
        done = acc[t[acc] >= 1.0]
        status[done] = SUCCESS
        big = acc[_norm(x[acc]) > o.blowup]
        status[big] = DIVERGED
        status[rej[h[rej] < o.h_min]] = STEP_FAILURE
        live = status < 0
        status[live & (steps >= o.max_steps)] = MAX_STEPS
        stuck = act[(status[act] == STEP_FAILURE) | (status[act] == MAX_STEPS)]
        status[stuck[_norm(x[stuck]) > o.far * start_size[stuck]]] = DIVERGED
    return TrackResult(x, status, steps, rejected, {"iterations": iterations})


def newton_polish(system: PolySystem, x, mu=None, iterations: int = 4, center=None):
    """A few Newton steps on ``F(x) + mu (x - c) = 0`` (``mu`` = 0 when omitted); returns the
    points and the size of the last correction (``max_i |dx_i| / max(1, |x_i|)``)."""
    x = np.array(x, dtype=np.complex128, copy=True)
    if len(x) == 0:
        return x, np.zeros(0)
    n = system.nvars
    diag = np.arange(n)
    last = np.full(len(x), np.inf)
    for _ in range(iterations):
        F, J = system.evaluate(x)
        if mu is not None:
            F += mu * (x if center is None else x - center)
            J[:, diag, diag] += mu
        dx = _solve(J, F)
        ok = np.all(np.isfinite(dx), axis=1)
        x[ok] -= dx[ok]
        last = np.where(ok, _wnorm(dx, x), np.inf)
    return x, last
