"""The compiled path tracker: many paths per call, in C, on threads.

:class:`CompiledTracker` holds a square system as the monomial program of
``csrc/track.h`` (picklable numpy arrays, so a tracker can be shipped to process or
Dask workers) and tracks paths of the homotopy ``F(x) + diag(mu) (x - c)`` of
:mod:`grobnet.numeric.homotopy` along *routes* through a table of parameter points:
a route of two points is a straight segment, of three a bent one (two legs), of one
a Newton polish only.  The algorithm is the numpy tracker's, step for step
(Runge-Kutta predictor, Newton corrector, the same acceptance and step rules), so
:func:`grobnet.numeric.homotopy.track` stays the reference; the C version evaluates
from the compiled program, factorises the small Jacobians itself and runs each path
to its end on one of ``threads`` threads with the GIL released.  Results do not
depend on the number of threads.
"""
from __future__ import annotations

import os
import time
from typing import Optional, Sequence

import numpy as np

from grobnet.parallel import Executor, SerialExecutor

from . import _track
from .homotopy import INTERRUPTED, TrackOptions, TrackResult
from .polyeval import PolySystem

__all__ = ["CompiledTracker", "track_compiled", "track_batch", "routes"]

#: batches smaller than this run in the calling process even with a parallel executor
LOCAL_BATCH = 256
#: predictor names of TrackOptions -> codes of csrc/track.h
_PREDICTORS = {"rk4": 0, "pade": 1}


class CompiledTracker:
    """Compiled evaluation and path tracking for one square system.

    ``system``: a :class:`PolySystem`, or a list of ``{exponent tuple: coefficient}``
    dicts with ``nvars``.  Picklable (numpy arrays only).
    """

    def __init__(self, system, nvars: Optional[int] = None):
        if not isinstance(system, PolySystem):
            if nvars is None:
                raise ValueError("nvars is needed with a list of polynomials")
            system = PolySystem(system, nvars)
        self.program = system.program()
        self.nvars = system.nvars
        _track.evaluate(self.program, np.zeros((0, self.nvars)))      # checks the program

    def __repr__(self) -> str:
        return (f"CompiledTracker({self.nvars} variables, {len(self.program[1])} monomials, "
                f"{len(self.program[4])} terms with derivatives)")

    def evaluate(self, x: np.ndarray):
        """``F(x)`` (P x n) and ``J(x)`` (P x n x n) at the points ``x`` (P x n), with the
        scaled equations of :class:`PolySystem`."""
        x = np.asarray(x, dtype=np.complex128)
        if x.ndim != 2 or x.shape[1] != self.nvars:
            raise ValueError(f"points must have shape (P, {self.nvars}), got {x.shape}")
        return _track.evaluate(self.program, x)

    def track(self, x0, route, params, center, options: TrackOptions = TrackOptions(), *,
              polish: int = 0, threads: int = 1,
              timeout: Optional[float] = None) -> TrackResult:
        """Track ``x0`` (P x n) along ``route`` (P x (L+1) indices into ``params``, rows
        padded with -1) through the parameter points ``params`` (K x n); ``center``: the
        vector ``c``.  ``polish``: Newton iterations at the route's last point after a
        successful path (``residual``: the last relative correction);  ``threads``:
        worker threads;  ``timeout``: seconds, after which unfinished paths get status
        4 (interrupted) and ``stats["timed_out"]`` is set."""
        x0 = np.asarray(x0, dtype=np.complex128)
        if x0.ndim != 2 or x0.shape[1] != self.nvars:
            raise ValueError(f"start points must have shape (P, {self.nvars}), got {x0.shape}")
        route = np.asarray(route, dtype=np.int32)
        if route.ndim == 1:
            route = np.broadcast_to(route, (len(x0), len(route)))
        params = np.asarray(params, dtype=np.complex128).reshape(-1, self.nvars)
        center = np.asarray(center, dtype=np.complex128).reshape(self.nvars)
        threads = int(threads)
        if threads < 1:
            raise ValueError(f"threads must be a positive integer, got {threads}")
        if timeout is not None and timeout <= 0:
            # an exhausted budget: nothing runs, every path is interrupted
            P = len(x0)
            return TrackResult(x0.copy(), np.full(P, INTERRUPTED), np.zeros(P, np.int64),
                               np.zeros(P, np.int64), {"timed_out": True, "steps": 0},
                               np.full(P, np.nan), np.zeros(P))
        o = options
        x, status, steps, rejected, residual, progress, stats = _track.track(
            self.program, x0, route, params, center, tol_pred=o.tol_pred,
            newton_steps=o.newton_steps, h_start=o.h_start, h_min=o.h_min, h_max=o.h_max,
            max_steps=o.max_steps, blowup=o.blowup, far=o.far, polish=int(polish),
            predictor=_PREDICTORS[o.predictor],
            threads=threads, timeout=0.0 if timeout is None else float(timeout))
        return TrackResult(x, status.astype(np.int64), steps.astype(np.int64),
                           rejected.astype(np.int64), stats, residual, progress)


def track_compiled(system, x0, mu_a, mu_b, options: TrackOptions = TrackOptions(),
                   deadline=None, clock=None, center=None, threads: int = 1) -> TrackResult:
    """:func:`grobnet.numeric.homotopy.track` with the compiled tracker: the same
    arguments (``system`` a :class:`PolySystem` or a :class:`CompiledTracker`), the
    same result; ``threads``: worker threads."""
    tracker = system if isinstance(system, CompiledTracker) else CompiledTracker(system)
    n = tracker.nvars
    x0 = np.asarray(x0, dtype=np.complex128)
    if x0.ndim != 2 or x0.shape[1] != n:
        raise ValueError(f"start points must have shape (P, {n}), got {x0.shape}")
    P = len(x0)
    a = np.broadcast_to(np.asarray(mu_a, dtype=np.complex128), (P, n))
    b = np.broadcast_to(np.asarray(mu_b, dtype=np.complex128), (P, n))
    params = np.vstack([a, b])
    route = np.stack([np.arange(P), P + np.arange(P)], axis=1)
    center = np.zeros(n, dtype=np.complex128) if center is None else center
    timeout = None
    if deadline is not None:
        timeout = deadline - (clock or time.perf_counter)()
    return tracker.track(x0, route, params, center, options, threads=threads, timeout=timeout)


def routes(paths: Sequence[Sequence[int]]) -> np.ndarray:
    """A route array from a list of index lists (padded with -1)."""
    L = max(len(p) for p in paths)
    out = np.full((len(paths), L), -1, dtype=np.int32)
    for k, p in enumerate(paths):
        out[k, :len(p)] = p
    return out


def _track_chunk(job):
    """Executor job (module level, picklable): one chunk of paths on one worker.  The
    budget travels as an absolute wall-clock deadline, so a chunk that waited in the
    executor's queue does not get the whole budget again."""
    tracker, x0, route, params, center, options, polish, threads, deadline = job
    timeout = None if deadline is None else deadline - time.time()
    res = tracker.track(x0, route, params, center, options, polish=polish, threads=threads,
                        timeout=timeout)
    return res.x, res.status, res.steps, res.rejected, res.residual, res.progress, res.stats


def track_batch(tracker: CompiledTracker, x0, route, params, center,
                options: TrackOptions = TrackOptions(), *, polish: int = 0,
                executor: Optional[Executor] = None, threads: Optional[int] = None,
                timeout: Optional[float] = None) -> TrackResult:
    """:meth:`CompiledTracker.track` spread over an executor's workers.

    ``executor``: ``None`` or a serial executor run the batch here on ``threads``
    threads (default: the machine's cores); otherwise the paths are dealt round-robin
    into chunks (a few per worker, so the slow paths spread), each chunk runs on a
    worker with ``threads`` threads (default 1), and the results are put back in
    order.  Every path is computed by itself, so the results are the same whatever
    the executor, the chunking and the thread count (only a time budget cut differs).
    """
    x0 = np.asarray(x0, dtype=np.complex128)
    P = len(x0)
    route = np.asarray(route, dtype=np.int32)
    if route.ndim == 1:
        route = np.broadcast_to(route, (P, len(route)))
    if executor is None or isinstance(executor, SerialExecutor) or P < LOCAL_BATCH:
        t = threads if threads is not None else (os.cpu_count() or 1)
        return tracker.track(x0, route, params, center, options, polish=polish, threads=t,
                             timeout=timeout)
    workers = max(1, int(getattr(executor, "workers", 1)))
    chunks = min(P, 4 * workers)
    parts = [np.arange(k, P, chunks) for k in range(chunks)]
    t = threads if threads is not None else 1
    deadline = None if timeout is None else time.time() + timeout
    jobs = [(tracker, x0[idx], route[idx], params, center, options, polish, t, deadline)
            for idx in parts]
    outs = executor.map(_track_chunk, jobs)
    n = tracker.nvars
    x = np.empty((P, n), dtype=np.complex128)
    status = np.empty(P, dtype=np.int64)
    steps = np.empty(P, dtype=np.int64)
    rejected = np.empty(P, dtype=np.int64)
    residual = np.empty(P)
    progress = np.empty(P)
    stats = {"steps": 0, "rejected": 0, "extended": 0, "escalated": 0, "paths_done": 0,
             "timed_out": False, "threads": 0, "chunks": len(parts)}
    for idx, (xx, st, sp, rj, rs, pg, ss) in zip(parts, outs):
        x[idx], status[idx], steps[idx], rejected[idx] = xx, st, sp, rj
        residual[idx], progress[idx] = rs, pg
        for key in ("steps", "rejected", "extended", "escalated", "paths_done"):
            stats[key] += int(ss.get(key, 0))
        stats["timed_out"] |= bool(ss.get("timed_out", False))
        stats["threads"] += int(ss.get("threads", 0))
    return TrackResult(x, status, steps, rejected, stats, residual, progress)
