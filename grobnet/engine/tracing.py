"""F4 modulo many primes with trace learning: learn once, replay for the others.

A multimodular run computes the same Groebner basis modulo many primes.  The
engine can record one F4 run (which rows each matrix has, which of them give
new pivots) and replay it for another prime, skipping pair handling, the
search for reducers and every row that reduces to zero (``csrc/trace.c``):
3-4x faster per prime on katsura-8 and the network systems.  A prime that does
not follow the trace (unlucky) is detected by the engine and computed by plain
F4, so results never depend on the trace.

The prime a trace is learned on must itself be lucky: a row that vanished there
would be missing from the trace and every replay would reproduce the unlucky
basis.  So a trace is replayed only after one more prime, computed by plain F4,
has the same leading monomials (two unlucky primes agreeing is negligible);
until then each call runs plain F4, and a disagreeing prime learns a new trace.

Traces hold C memory and are not picklable, so each process learns its own on
its first prime and keeps it in a small per-process cache under a key chosen by
the driver of the run (a fresh token per run: two runs never share a trace).
Only the C engine backend records traces; other backends run plain F4.
"""
from __future__ import annotations

import threading
import uuid
from collections import OrderedDict

from grobnet.engine.modp import backend_name, f4, f4_apply, f4_learn
from grobnet.errors import TraceMismatch

__all__ = ["new_trace_key", "traced_f4", "forget_trace"]

_CACHE_SIZE = 8
_cache: "OrderedDict[str, _Entry]" = OrderedDict()     # per process: key -> learned trace
_lock = threading.Lock()


def new_trace_key() -> str:
    """A key naming the trace of one multimodular run."""
    return uuid.uuid4().hex


def forget_trace(key: str) -> None:
    """Drop this process's trace for ``key`` (the run is over)."""
    with _lock:
        _cache.pop(key, None)


def traced_f4(key: str | None, polys, nvars: int, p: int, order: str = "grevlex", blocks=None,
              backend: str = "auto", timeout: float | None = None, progress=None):
    """``(basis, stats, how)``: the reduced basis mod ``p`` as the backend's ``f4``.

    ``how`` is ``"learned"`` (this call recorded the trace of ``key``),
    ``"confirmed"`` (plain F4 agreed with the learned prime: replays start),
    ``"replayed"``, ``"plain"`` (no trace: other backend or ``key`` is None) or
    ``"fallback"`` (the prime broke the trace; plain F4 ran).  ``timeout``: seconds
    for the engine (:class:`~grobnet.errors.TimeoutExceeded` beyond); ``progress``:
    the engine's per-round callback ``(round, degree, rows, cols)`` for full runs.
    """
    name = backend_name(backend)
    if key is None or name != "engine":
        basis, stats = f4(polys, nvars, p, order=order, blocks=blocks, timeout=timeout,
                          progress=progress, backend=name)
        return basis, stats, "plain"
    budget = None if timeout is None else max(float(timeout), 1e-6)
    with _lock:
        entry = _cache.get(key)
        if entry is not None:
            _cache.move_to_end(key)
    if entry is not None and entry.confirmed:
        try:
            basis, stats = f4_apply(entry.trace, polys, p, timeout=budget)
            return basis, stats, "replayed"
        except TraceMismatch:
            basis, stats = f4(polys, nvars, p, order=order, blocks=blocks, timeout=budget)
            return basis, stats, "fallback"
    if entry is not None:
        basis, stats = f4(polys, nvars, p, order=order, blocks=blocks, timeout=budget,
                          progress=progress)
        if _leading(basis) == entry.leading:
            entry.confirmed = True
            return basis, stats, "confirmed"
    basis, stats, trace = f4_learn(polys, nvars, p, order, blocks, timeout=budget,
                                   progress=progress)
    with _lock:
        _cache[key] = _Entry(trace, _leading(basis))
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return basis, stats, "learned"


class _Entry:
    """A learned trace, the leading monomials of its prime, and whether another
    prime confirmed them."""

    __slots__ = ("trace", "leading", "confirmed")

    def __init__(self, trace, leading):
        self.trace, self.leading, self.confirmed = trace, leading, False


def _leading(basis):
    return tuple(tuple(int(x) for x in e[0]) for e, _ in basis)
