"""The shared dimension and degree probe: F4 modulo random primes, then the Hilbert series.

Every route that needs to know whether a system has no, finitely many or infinitely
many solutions (and how many, with multiplicity) asks this module: :func:`grobnet.solve`,
the critical points and values of a loss, and the variable-order probes.  A probe
computes the reduced Groebner basis modulo random primes (recording the F4 trace for the
primes of a later lift) and reads dimension and degree off the leading monomials
(:mod:`grobnet.exact.hilbert`).  It accepts an answer only when two *independent* primes
give the same leading monomials (at most :data:`MAX_PROBE_PRIMES` are drawn), so that a
single unlucky prime can neither fake an empty, finite or infinite solution set nor a
wrong degree; the error bound this gives is :meth:`DimensionProbe.guarantee`.

Independence.  An image obtained by *replaying* another prime's F4 trace is not by itself
an independent confirmation: rows that vanished at the learning prime are skipped, so an
unlucky trace reproduces its unlucky basis.  Only images computed independently of the
trace count (:func:`is_independent`): full F4 runs, and replays that passed the engine's
Groebner-basis check (every S-pair and every input reduces to zero modulo the replayed
basis, :func:`grobnet.engine.modp.check_groebner`; a replay is made of combinations of the
inputs, so a basis that passes is the reduced basis of that prime whatever the trace was).
The trace cache (:mod:`grobnet.engine.tracing`) computes the prime after the learning one
that way (``how="checked"``), which is what the probe's second prime is, and falls back to
plain F4 when the replay breaks the trace or fails the check.  The check is randomized
(two random combinations of each matrix's rows): a wrong basis passes with probability
below matrices / p^2, negligible next to the two-prime bound.

Large systems.  F4 rounds with rows x columns >= ``LA_AUTO_WORK`` (1e8) reduce random
combinations of their rows instead of every row (:func:`grobnet.engine.modp.f4`,
``linear_algebra="auto"``): the late rounds of the network systems reduce thousands of
rows to zero (nn_131: 5,054 rows for 334 new pivots), and F4 mod p takes 12 s instead of
30 s there.  Such a run records no trace, so both primes are full, independent runs (no
replay, no check), and each basis is wrong with probability at most (its zero
combinations) / p; a wrong answer needs both to be wrong with the same leading
monomials, at most the product of the two bounds (``DimensionProbe.la_note``).

Threads.  :func:`probe_dimension` and :func:`probe_system` own the machine for their F4
runs: ``threads=None`` uses :func:`grobnet.engine.modp.default_threads` (the CPUs
available, at most 4); :func:`probe_prime` (run inside executors by the order probes)
uses one thread unless told otherwise.  With two threads or more, the second prime does
not wait for the first: it runs beside it from the start, on a thread of its own (one
engine thread; the GIL is released inside the engine), as a full independent F4 run.  When
the first run keeps its trace (no Monte Carlo round) and the two agree, the trace is
confirmed (:func:`grobnet.engine.tracing.confirm_trace`) and a lift replays it at once;
when the first run drops its trace, both are the full independent runs they have to be
anyway.  katsura-9: probe 0.28 -> 0.20 s; nn_131: unchanged (the two runs overlapped from
its first Monte Carlo round before).  On one thread the second prime is the checked replay
of the first's trace (cheaper in processor time: 0.5-0.85 of a full run).  The two runs
hold their matrices at the same time (peak memory up to twice one run's).
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from grobnet.common.guarantee import MONTE_CARLO, Decision, Guarantee
from grobnet.common.primes import PrimeStream, resolve_seed, screen
from grobnet.engine.convert import as_system, integer_input
from grobnet.engine.modp import backend_name, default_threads, leading_monomials, modp_arrays
from grobnet.engine.tracing import confirm_trace, new_trace_key, traced_f4
from grobnet.errors import TimeoutExceeded, UnluckyPrimesExhausted
from grobnet.exact.hilbert import hilbert_series

__all__ = ["PrimeImage", "probe_prime", "DimensionProbe", "probe_dimension", "probe_system",
           "remaining_seconds", "is_independent", "INDEPENDENT", "MAX_PROBE_PRIMES",
           "input_screen"]

#: How an image was computed (``traced_f4``'s ``how``) when it is a full F4 run or a checked
#: replay, hence an independent witness of its prime's leading monomials.  ``"replayed"``
#: is not (see the module docstring).
INDEPENDENT = frozenset({"learned", "checked", "confirmed", "plain", "fallback"})

#: A probe draws at most this many primes to find two agreeing ones.
MAX_PROBE_PRIMES = 5

#: The probe's F4 linear algebra: ``"auto"`` reduces the rounds with rows x columns >=
#: ``grobnet.engine._core.LA_AUTO_WORK`` by random combinations (Monte Carlo; module
#: docstring), the small ones (every round of katsura-9, cyclic-6, the degree <= 641
#: networks) exactly, so their trace is kept for a lift.
PROBE_LINEAR_ALGEBRA = "auto"


def is_independent(image) -> bool:
    """Whether a :class:`PrimeImage` was computed independently of any trace (a full F4
    run or a replay that passed the Groebner-basis check)."""
    return image.how in INDEPENDENT


def input_screen(system):
    """``(variables, integer polynomials, screen)`` of any input
    :func:`~grobnet.engine.convert.integer_input` accepts; ``screen`` is the integer whose
    prime divisors no prime of a run may be (every coefficient after clearing
    denominators, and every denominator: :func:`grobnet.common.primes.screen`)."""
    names, int_polys = integer_input(system)
    denominators = set()
    for f in as_system(system).polys:
        for c in f.coeffs():
            q = getattr(c, "q", None)
            if q is not None and int(q) > 1:
                denominators.add(int(q))
    return names, int_polys, screen(int_polys, denominators)


def remaining_seconds(deadline, timeout, stage):
    """Seconds left before ``deadline`` (None: no budget); raises TimeoutExceeded naming the
    requested ``timeout`` and the ``stage`` when none are left."""
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutExceeded(f"timeout={timeout} s reached during {stage}")
    return left


@dataclass
class PrimeImage:
    """F4 modulo one prime: the reduced basis, its leading monomials, the Hilbert series
    they give (dimension and degree), the engine's statistics and the seconds taken."""

    prime: int
    basis: list
    leading: tuple
    hilbert: object
    stats: dict
    seconds: float
    how: str = "plain"


def probe_prime(raw, nvars: int, p: int, *, order: str = "grevlex", blocks=None,
                backend: str = "auto", trace_key=None, timeout: float | None = None,
                progress=None, threads: int = 1, linear_algebra: str = "exact",
                seen=(), max_memory: int | None = None) -> PrimeImage:
    """One prime of a probe: F4 of the engine arrays ``raw`` mod ``p`` (traced under
    ``trace_key``, see :func:`grobnet.engine.tracing.traced_f4`), then the Hilbert series
    of the leading monomials.  The one place where "a basis mod p" becomes "dimension
    and degree": the dimension probe and the variable-order probes both call it.
    ``threads``: the engine's threads; ``linear_algebra``: of its F4 runs (see
    :func:`grobnet.engine.tracing.traced_f4`).  ``seen``: earlier images; the Hilbert
    series of one with the same leading monomials is the same and is not computed again
    (katsura-9: 0.06 s of a 0.35 s probe).  ``max_memory``: bytes for each engine run."""
    t0 = time.perf_counter()
    basis, stats, how = traced_f4(trace_key, raw, nvars, p, order, blocks, backend,
                                  timeout=timeout, progress=progress, threads=threads,
                                  linear_algebra=linear_algebra, max_memory=max_memory)
    lms = leading_monomials(basis)
    hs = next((im.hilbert for im in seen if im.leading == lms), None)
    return PrimeImage(p, basis, lms, hilbert_series(lms, nvars) if hs is None else hs,
                      dict(stats), time.perf_counter() - t0, how)


def _prime_image(job, p, *, trace_key, timeout, progress, threads, linear_algebra, seen=()):
    """:func:`probe_prime` of the probe's ``job`` = ``(integer polynomials, nvars, order,
    blocks, backend, max_memory)`` modulo ``p``."""
    int_polys, nvars, order, blocks, backend, max_memory = job
    return probe_prime(modp_arrays(int_polys, nvars, p, order, blocks), nvars, p, order=order,
                       blocks=blocks, backend=backend, trace_key=trace_key, timeout=timeout,
                       progress=progress, threads=threads, linear_algebra=linear_algebra,
                       seen=seen, max_memory=max_memory)


class _Cancelled(Exception):
    """Raised inside a companion prime's F4 run to stop it (see :class:`_CompanionPrime`)."""


class _CompanionPrime:
    """The probe's next prime, run beside the current one (module docstring, "Threads"):
    :meth:`start` draws it and runs its F4 on a daemon thread with one engine thread;
    :meth:`result` waits for that image (``None`` if it never started); :meth:`cancel`
    stops the run at its next round."""

    def __init__(self, job, stream, deadline, timeout, linear_algebra):
        self._job = job
        self._stream, self._deadline, self._timeout = stream, deadline, timeout
        self._linear_algebra = linear_algebra
        self._cancel = threading.Event()
        self._thread = None
        self._out = None

    def start(self):
        p = next(self._stream)
        left = remaining_seconds(self._deadline, self._timeout, "the dimension probe")
        self._thread = threading.Thread(target=self._run, args=(p, left), daemon=True,
                                        name=f"grobnet-probe-prime-{p}")
        self._thread.start()

    def _stop_if_cancelled(self, *_round):
        if self._cancel.is_set():
            raise _Cancelled()

    def _run(self, p, left):
        try:
            self._out = _prime_image(self._job, p, trace_key=None, timeout=left,
                                     progress=self._stop_if_cancelled, threads=1,
                                     linear_algebra=self._linear_algebra)
        except BaseException as exc:     # handed to the probe's thread by result()
            self._out = exc

    @property
    def started(self) -> bool:
        return self._thread is not None

    def cancel(self):
        self._cancel.set()

    def result(self):
        if self._thread is None:
            return None
        try:
            self._thread.join()
        except BaseException:            # Ctrl-C while waiting: stop the companion too
            self.cancel()
            raise
        if isinstance(self._out, BaseException):
            raise self._out
        return self._out


def _probe_dimension(int_polys, nvars, order, blocks, backend, stream, trace_key=None,
                     deadline=None, timeout=None, rounds=None, threads=1,
                     linear_algebra=PROBE_LINEAR_ALGEBRA, max_memory=None):
    """``(images, draws)``: two :class:`PrimeImage` of independent primes (see
    :func:`is_independent`)
    with the same leading monomials, the last one drawn last, and the number of primes
    drawn (at most :data:`MAX_PROBE_PRIMES`).  With ``threads >= 2`` the second prime runs
    beside the first (:class:`_CompanionPrime`); each of the two runs then gets half of
    ``max_memory`` (bytes of the engine's allocations, ``None``: no budget)."""
    job = (int_polys, nvars, order, blocks, backend, max_memory)
    if max_memory and threads >= 2:
        job = job[:-1] + (max(1, int(max_memory) // 2),)
    seen = []
    companion = None
    for draws in range(1, MAX_PROBE_PRIMES + 1):
        try:
            if companion is not None and companion.started:
                image = companion.result()
                companion = None
            else:
                p = next(stream)
                left = remaining_seconds(deadline, timeout, "the dimension probe")
                companion = (_CompanionPrime(job, stream, deadline, timeout, linear_algebra)
                             if threads >= 2 and draws < MAX_PROBE_PRIMES else None)
                if companion is not None:
                    companion.start()
                try:
                    image = _prime_image(job, p, trace_key=trace_key, timeout=left,
                                         progress=rounds, threads=threads,
                                         linear_algebra=linear_algebra, seen=tuple(seen))
                except BaseException:
                    if companion is not None:
                        companion.cancel()
                    raise
        except TimeoutExceeded:
            raise TimeoutExceeded(f"timeout={timeout} s reached during the dimension probe") \
                from None
        if not is_independent(image):       # a replay confirms nothing (module docstring)
            continue
        for other in seen:
            if other.leading == image.leading:
                if companion is not None:   # not needed: two primes agree already
                    companion.cancel()
                if trace_key is not None:   # an independent prime agrees with the trace's
                    confirm_trace(trace_key, image.leading)
                return [other, image], draws
        seen.append(image)
    raise UnluckyPrimesExhausted(f"{MAX_PROBE_PRIMES} primes gave no two equal "
                                 "leading-monomial sets")


@dataclass
class DimensionProbe:
    """A finished dimension probe: the two agreeing images (``images``; ``prime``,
    ``basis`` and ``hilbert`` are the last one's), the prime stream (positioned after the
    probe's primes), the F4 trace key (learned and confirmed by the probe, so that a lift
    replays from its first prime), the number of primes drawn and the run's seed.  It can
    be handed from :func:`grobnet.solve`'s hybrid route to :func:`rational_rur`."""

    prime: int
    basis: list
    hilbert: object
    stream: object
    trace_key: object
    images: list = field(default_factory=list)
    draws: int = 2
    seed: int | None = None

    @property
    def primes(self) -> list:
        return [im.prime for im in self.images]

    def decision(self) -> Decision:
        """The count this probe decided, for a :class:`~grobnet.common.guarantee.Guarantee`."""
        hs = self.hilbert
        what = ("no solution" if hs.dimension < 0 else
                f"degree {hs.degree}" if hs.dimension == 0 else
                f"dimension {hs.dimension}, degree {hs.degree}")
        return Decision(what, agreeing=len(self.images), draws=MAX_PROBE_PRIMES,
                        pool=self.stream.pool)

    def la_note(self) -> str:
        """What the Monte Carlo linear algebra of large F4 rounds adds to the error
        bound (empty when every round was exact; module docstring)."""
        bounds = [im.stats.get("la_zero_checks", 0) / im.prime for im in self.images
                  if im.stats.get("la_prob_rounds", 0)]
        if not bounds:
            return ""
        both = 1.0
        for b in bounds:
            both *= b
        if len(bounds) < len(self.images):
            both = max(bounds)
        return (f"large F4 rounds reduced random combinations of their rows (Monte Carlo "
                f"linear algebra): a wrong degree needs both bases wrong, probability <= "
                f"{both:.1e}")

    def guarantee(self, statement: str, proven=()) -> Guarantee:
        """A Monte Carlo guarantee resting on this probe alone."""
        return Guarantee(MONTE_CARLO, statement, (self.decision(),), tuple(proven),
                         note=self.la_note(), primes=tuple(self.primes))


def _round_reporter(progress):
    """The F4 round callback of the dimension probe reporting to ``progress`` (or ``None``)."""
    if progress is None:
        return None

    def rounds(rnd, deg, rows, cols):
        progress("f4-round", {"round": int(rnd), "degree": int(deg), "rows": int(rows),
                              "cols": int(cols), "of": "solve: dimension probe"})
    return rounds


def probe_dimension(int_polys, nvars, *, order="grevlex", blocks=None, backend="auto",
                    seed=None, deadline=None, timeout=None, progress=None,
                    avoid=None, threads=None,
                    linear_algebra: str = PROBE_LINEAR_ALGEBRA,
                    max_memory: int | None = None) -> DimensionProbe:
    """Dimension and degree of ``int_polys`` (integer dicts) from F4 modulo random primes,
    two independent ones agreeing on the leading monomials (see :func:`_probe_dimension`).
    ``seed``: the run's seed (``None``: a fresh one); ``avoid``: the integer whose prime
    divisors are skipped (default: every coefficient of ``int_polys``; see
    :func:`input_screen`).  The result can be passed to :func:`rational_rur`.
    ``progress``: as in :func:`rational_rur` (stage ``"f4-round"``); ``threads``: the
    engine's threads (``None``: :func:`grobnet.engine.modp.default_threads`);
    ``linear_algebra``: of the F4 runs (default ``"auto"``, module docstring);
    ``max_memory``: bytes for the engine's allocations in the probe
    (:class:`~grobnet.errors.MemoryBudgetExceeded` beyond; ``None``: no budget)."""
    seed = resolve_seed(seed)
    threads = default_threads() if threads is None else int(threads)
    if threads < 1:
        raise ValueError(f"threads must be a positive integer, got {threads}")
    stream = PrimeStream(seed, avoid=[screen(int_polys) if avoid is None else avoid],
                         label="probe")
    trace_key = new_trace_key()
    images, draws = _probe_dimension(int_polys, nvars, order, blocks, backend_name(backend),
                                     stream, trace_key, deadline, timeout,
                                     _round_reporter(progress), threads, linear_algebra,
                                     max_memory)
    last = images[-1]
    return DimensionProbe(prime=last.prime, basis=last.basis, hilbert=last.hilbert,
                          stream=stream, trace_key=trace_key, images=images, draws=draws,
                          seed=seed)


def probe_system(system, *, order: str = "grevlex", blocks=None, seed: int | None = None,
                 timeout: float | None = None, progress=None,
                 threads: int | None = None) -> DimensionProbe:
    """:func:`probe_dimension` of any input :func:`grobnet.engine.convert.integer_input`
    accepts (a ``PolynomialSystem``, python-flint or sympy polynomials, strings), with two
    independent random primes agreeing; ``threads`` as for :func:`probe_dimension`."""
    names, int_polys, avoid = input_screen(system)
    deadline = None if timeout is None else time.monotonic() + timeout
    return probe_dimension(int_polys, len(names), order=order, blocks=blocks, seed=seed,
                           deadline=deadline, timeout=timeout, progress=progress, avoid=avoid,
                           threads=threads)
