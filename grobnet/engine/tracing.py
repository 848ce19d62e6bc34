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
basis.  So a trace is replayed freely only after one more prime has the same
leading monomials, computed independently of the trace (two unlucky primes
agreeing is negligible).  That second prime is a replay followed by the engine's
Groebner-basis check (:func:`~grobnet.engine.modp.check_groebner`, randomized:
every S-pair and every input must reduce to zero modulo the replayed basis): a
replay is a set of combinations of the inputs, so a basis that passes is the
reduced Groebner basis mod that prime whatever the trace was, and the check costs
less than F4 (no row echelon, only two combinations per matrix are reduced).  A
replay that breaks the trace or fails the check is redone by plain F4, and a
disagreeing prime learns a new trace.

Traces hold C memory and are not picklable, so each process learns its own on
its first prime and keeps it in a small per-process cache under a key chosen by
the driver of the run (a fresh token per run: two runs never share a trace).
Only the C engine backend records traces; other backends run plain F4.
"""
from __future__ import annotations

import secrets
import threading
import time
import uuid
from collections import OrderedDict

from grobnet.engine.modp import backend_name, check_groebner, f4, f4_apply, f4_learn
from grobnet.errors import TimeoutExceeded, TraceMismatch

__all__ = ["new_trace_key", "traced_f4", "forget_trace", "confirm_trace"]

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


def confirm_trace(key: str, leading) -> bool:
    """Mark the trace of ``key`` confirmed when ``leading`` (the leading exponents of a
    basis mod another prime, computed independently of the trace) are its learned
    prime's: replays then start without the check.  Whether it was."""
    with _lock:
        entry = _cache.get(key)
        if entry is None or tuple(tuple(int(x) for x in e) for e in leading) != entry.leading:
            return False
        entry.confirmed = True
        return True


def traced_f4(key: str | None, polys, nvars: int, p: int, order: str = "grevlex", blocks=None,
              backend: str = "auto", timeout: float | None = None, progress=None,
              threads: int = 1, linear_algebra: str = "exact",
              max_memory: int | None = None):
    """``(basis, stats, how)``: the reduced basis mod ``p`` as the backend's ``f4``.

    ``how`` is ``"learned"`` (this call recorded the trace of ``key``),
    ``"checked"`` (the trace's replay passed the Groebner-basis check and has the
    learned prime's leading monomials: replays start), ``"confirmed"`` (plain F4,
    after a replay that broke the trace or failed the check, agreed with the learned
    prime: replays start), ``"replayed"``, ``"plain"`` (no trace: other backend or
    ``key`` is None) or ``"fallback"`` (the prime broke the trace; plain F4 ran).
    Every ``how`` but ``"replayed"`` is a basis computed independently of the trace.
    ``timeout``: seconds for the engine (:class:`~grobnet.errors.TimeoutExceeded`
    beyond); ``progress``: the engine's per-round callback ``(round, degree, rows,
    cols)`` for full runs; ``threads``: the engine's threads; ``max_memory``: bytes of
    the engine's own allocations per run (:class:`~grobnet.errors.MemoryBudgetExceeded`
    beyond).

    ``linear_algebra``: of the full F4 runs (:func:`grobnet.engine.modp.f4`).  With
    ``"auto"`` a learning run whose rounds grow large drops its trace (random
    combinations cannot say which rows gave pivots): nothing is cached for ``key``,
    ``how`` is ``"plain"`` (an independent full run), and the next prime of ``key``
    learns again -- the dimension probe of a large system thus computes two
    independent Monte Carlo bases instead of one exact basis, a checked replay and
    the Groebner-basis check.
    """
    name = backend_name(backend)
    if key is None or name != "engine":
        kw = {"threads": threads, "linear_algebra": linear_algebra} if name == "engine" else {}
        basis, stats = f4(polys, nvars, p, order=order, blocks=blocks, timeout=timeout,
                          max_memory=max_memory, progress=progress, backend=name, **kw)
        return basis, stats, "plain"
    budget = None if timeout is None else max(float(timeout), 1e-6)
    with _lock:
        entry = _cache.get(key)
        if entry is not None:
            _cache.move_to_end(key)
    if entry is not None and entry.confirmed:
        try:
            basis, stats = f4_apply(entry.trace, polys, p, timeout=budget, threads=threads,
                                    max_memory=max_memory)
            return basis, stats, "replayed"
        except TraceMismatch:
            basis, stats = f4(polys, nvars, p, order=order, blocks=blocks, timeout=budget,
                              threads=threads, linear_algebra=linear_algebra,
                              max_memory=max_memory)
            return basis, stats, "fallback"
    if entry is not None:
        t0 = time.monotonic()
        checked = _checked_replay(entry, polys, nvars, p, order, blocks, budget, threads,
                                  max_memory)
        if checked is not None:
            entry.confirmed = True
            return checked[0], checked[1], "checked"
        if budget is not None:
            budget = max(budget - (time.monotonic() - t0), 1e-6)
        basis, stats = f4(polys, nvars, p, order=order, blocks=blocks, timeout=budget,
                          progress=progress, threads=threads, linear_algebra=linear_algebra,
                          max_memory=max_memory)
        if _leading(basis) == entry.leading:
            entry.confirmed = True
            return basis, stats, "confirmed"
    basis, stats, trace = f4_learn(polys, nvars, p, order, blocks, timeout=budget,
                                   progress=progress, threads=threads,
                                   linear_algebra=linear_algebra, max_memory=max_memory)
    if trace is None:                   # dropped by a probabilistic round: nothing to cache
        return basis, stats, "plain"
    with _lock:
        _cache[key] = _Entry(trace, _leading(basis))
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return basis, stats, "learned"


def _checked_replay(entry, polys, nvars, p, order, blocks, budget, threads, max_memory=None):
    """``(basis, stats)`` of the replay of ``entry``'s trace mod ``p`` when it follows
    the trace, passes the randomized Groebner-basis check (fresh random combinations:
    a wrong basis passes with probability below 1e-15 at primes above 2^30) and has
    the learned leading monomials; else None (the caller runs plain F4)."""
    t0 = time.monotonic()
    try:
        basis, stats = f4_apply(entry.trace, polys, p, timeout=budget, threads=threads,
                                max_memory=max_memory)
    except TraceMismatch:
        return None
    if _leading(basis) != entry.leading:
        return None
    left = None if budget is None else budget - (time.monotonic() - t0)
    if left is not None and left <= 0:
        raise TimeoutExceeded("timeout reached while checking a replayed basis")
    if not check_groebner(basis, polys, nvars, p, order, blocks, threads=threads,
                          timeout=left, seed=secrets.randbits(64), max_memory=max_memory):
        return None
    stats = dict(stats)
    stats["time_total"] = time.monotonic() - t0
    stats["checked"] = True
    return basis, stats


class _Entry:
    """A learned trace, the leading monomials of its prime, and whether another
    prime confirmed them."""

    __slots__ = ("trace", "leading", "confirmed")

    def __init__(self, trace, leading):
        self.trace, self.leading, self.confirmed = trace, leading, False


def _leading(basis):
    return tuple(tuple(int(x) for x in e[0]) for e, _ in basis)
