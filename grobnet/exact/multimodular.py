"""The multimodular loop shared by every lift to Q (Groebner bases, RURs).

A *worker* maps a task for one prime to ``(p, signature, image, seconds)``:
``image`` is a list of polynomials as ``{exponent tuple: residue}`` dicts and
``signature`` a hashable summary (leading monomials, degrees) that must be the
same for all lucky primes.  :func:`run_multimodular` draws primes, runs the
worker through an executor in batches, groups images by signature, lifts the
majority group by CRT + rational reconstruction, and stops once the
reconstruction reproduces ``needed`` fresh images it was not built from.
Images whose signature differs from the majority are unlucky.
"""
from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from typing import Callable

from grobnet.errors import UnluckyPrimesExhausted
from grobnet.exact.crt import RationalLifter, SequentialLifter

__all__ = ["Shape", "DenseImage", "LoopResult", "run_multimodular", "JOB_SECONDS"]

#: Batched jobs (``run_multimodular(batched=True)``) take about this many seconds of
#: work (several primes when one is fast), so that a worker's round trip stays small.
JOB_SECONDS = 0.05

#: ... and at most this many primes (a job past the end of the lift is wasted work).
MAX_PRIMES_PER_JOB = 8


class DenseImage:
    """An image whose polynomials are univariate with a fixed number of coefficients
    each (``lengths``): one flat residue vector, no per-term dictionaries.  The RUR
    images are of this kind; :meth:`Shape.polynomials` returns them as ``{(k,): c}``.
    Their coefficients are reconstructed from the leading one down, each with the
    denominators of the ones before it (:class:`~grobnet.exact.crt.SequentialLifter`)."""

    __slots__ = ("lengths", "values")

    def __init__(self, lengths, values):
        self.lengths = tuple(int(n) for n in lengths)
        self.values = values
        if len(values) != sum(self.lengths):
            raise ValueError(f"{len(values)} residues for polynomials of lengths {self.lengths}")

    def __len__(self):
        return len(self.lengths)


class Shape:
    """The images sharing one signature, CRT-combined term by term.

    Supports may differ between primes (a coefficient can vanish mod p): a term
    first seen later was zero modulo the earlier primes.  Dense images (one fixed
    layout) go to a :class:`~grobnet.exact.crt.SequentialLifter`, created by the
    first image; dictionary images to a :class:`~grobnet.exact.crt.RationalLifter`.
    """

    def __init__(self, sig, npolys):
        self.sig = sig
        self.index = [dict() for _ in range(npolys)]    # per polynomial: monomial -> entry
        self.lifter = RationalLifter()
        self.votes = 0
        self.lengths = None      # set by the first DenseImage
        self.last_attempt = -1   # primes lifted at the last reconstruction attempt
        self.last_full = -1      # ... at the last full one (sequential lifts)

    @property
    def sequential(self) -> bool:
        return self.lengths is not None

    def _vector(self, image, grow):
        if isinstance(image, DenseImage):
            if self.lengths is None and grow and not len(self.lifter):
                self.lengths = image.lengths
                offsets = [0]
                for n in image.lengths:
                    offsets.append(offsets[-1] + n)
                self.index = [{(k,): offsets[j] + k for k in range(n)}
                              for j, n in enumerate(image.lengths)]
                # each polynomial from its leading coefficient down
                self.lifter = SequentialLifter([range(offsets[j + 1] - 1, offsets[j] - 1, -1)
                                                for j in range(len(image.lengths))])
            if image.lengths != self.lengths:
                return None
            return image.values
        if self.lengths is not None:
            return None
        n = len(self.lifter)
        extra = []
        vec = [0] * n
        if len(image) != len(self.index):
            return None
        for k, terms in enumerate(image):
            idx = self.index[k]
            for m, c in terms.items():
                i = idx.get(m)
                if i is None:
                    if not grow:
                        return None
                    i = n + len(extra)
                    idx[m] = i
                    extra.append(c)
                else:
                    vec[i] = c
        return vec + extra

    def add(self, p, image):
        vec = self._vector(image, grow=True)
        if vec is None:
            raise ValueError(f"image modulo {p} has {len(image)} polynomials, expected "
                             f"{len(self.index)}")
        self.lifter.add(p, vec)

    def add_many(self, images) -> None:
        """:meth:`add` of ``(p, image)`` pairs in order (one fold for a batch of dense
        images: :meth:`~grobnet.exact.crt.SequentialLifter.add_many`)."""
        if len(images) > 1 and all(isinstance(im, DenseImage) for _, im in images) and \
                self.sequential:
            vecs = [(p, self._vector(im, grow=True)) for p, im in images]
            if all(v is not None for _, v in vecs):
                self.lifter.add_many(vecs)
                return
        for p, image in images:
            self.add(p, image)

    def agrees(self, p, image) -> bool:
        vec = self._vector(image, grow=False)
        return vec is not None and self.lifter.agrees(p, vec)

    def reject(self) -> None:
        """The candidate reconstruction failed a check: reconstruct from scratch next time."""
        if self.sequential:
            self.lifter.reset()

    def due(self) -> bool:
        """Whether a reconstruction attempt is due now.  Sequential lifts attempt after
        every prime (a failing attempt costs a few Euclidean steps per polynomial);
        the others after every prime at first, then every n/32 primes: a failed
        attempt costs full Euclidean sequences of the hardest entries, and waiting
        overshoots by at most 1/32 of the primes."""
        n = len(self.lifter.primes)
        if self.sequential:
            return n != self.last_attempt
        return n - self.last_attempt >= max(1, n // 32)

    def reconstruct(self, final: bool = False):
        """The reconstructed vector or ``None`` (see the lifters).  A sequential lift
        makes a full attempt (every Euclidean step for a blocked coefficient) when
        ``final`` or after n/16 more primes (so it overshoots by at most 1/16 of the
        primes), a cheap one otherwise (small new denominators only)."""
        n = len(self.lifter.primes)
        self.last_attempt = n
        if self.sequential:
            full = final or n - self.last_full >= max(1, n // 16)
            if full:
                self.last_full = n
            return self.lifter.reconstruct(full=full, final=final)
        return self.lifter.reconstruct(probe=self.probe(), groups=self.groups())

    def probe(self):
        """Entries likely to be the hardest: the first and last terms of the last
        polynomials (a Groebner basis' last terms, a RUR's low-degree coefficients)."""
        return [i for idx in self.index[-3:] if idx
                for i in (min(idx.values()), max(idx.values()))]

    def groups(self):
        """Entry indices polynomial by polynomial (they share denominators), all entries covered."""
        return [sorted(idx.values()) for idx in self.index]

    def polynomials(self, values) -> list:
        """The reconstruction as ``{monomial: fmpq}`` dicts (zeros dropped)."""
        return [{m: values[i] for m, i in idx.items() if values[i] != 0} for idx in self.index]


class _Done:
    """A job already run in this process."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value

    def cancel(self) -> None:
        pass


@dataclass
class LoopResult:
    """What the loop produced: the lifted polynomials (or ``None``) and its bookkeeping."""

    polys: list | None
    signature: object
    primes: list
    check_primes: list
    unlucky_primes: list
    complete: bool
    reason: str
    stats: dict = field(default_factory=dict)


def run_multimodular(worker: Callable, make_task: Callable, stream, executor, *, needed: int = 1,
                     max_primes: int = 2000, timeout: float | None = None,
                     started: float | None = None, on_image: Callable | None = None,
                     accept: Callable | None = None, batched: bool = False,
                     on_attempt: Callable | None = None, first_here: bool = True) -> LoopResult:
    """Lift images modulo many primes to rationals (see the module docstring).

    ``make_task(p)`` builds the picklable task for prime ``p``; ``stream`` yields
    primes; ``executor`` is a :class:`grobnet.parallel.Executor`; ``needed``: fresh
    primes to reproduce before stopping; ``accept(signature)``: optional filter
    of admissible signatures (others are counted unlucky at once); ``timeout``:
    seconds from ``started`` (default: now) after which the loop stops incomplete;
    ``on_image(k, p)``: called in this process after the k-th image (progress).
    ``batched``: ``make_task`` takes a list of primes and ``worker`` returns a list of
    results, one per prime (several primes per job: fewer round trips to workers).
    ``on_attempt(primes, modulus_bits, reconstructed)``: called after each
    reconstruction attempt of a sequential lift with the fraction of the coefficients
    known (they come in growing order of size, so the curve extrapolates the primes
    still needed); also recorded in ``stats["progress"]``.

    Jobs run through ``executor.submit``: a concurrent executor keeps two jobs per
    worker in flight while this process combines the finished ones, and batched jobs
    grow to about :data:`JOB_SECONDS` of work; a job's images are folded in at once.
    Images are combined in the order of their primes whatever the executor, so every
    executor gives the same result.  ``first_here``: the first job runs in this process
    before any is submitted, so that what it sets up (an F4 trace) is inherited by
    workers forked afterwards; ``False`` when the caller set that up already (the RUR
    lift after the dimension probe), so that the workers start at once.
    """
    t_start = time.monotonic()
    # the budget runs from the caller's start (``started``, a time.monotonic() value) when
    # given, so that a reason names the timeout the user asked for
    deadline = None if timeout is None else (t_start if started is None else started) + timeout
    shapes: dict = {}
    seen: list = []
    checks: list = []
    candidate = None
    stats = {"modular_time": 0.0, "reconstruction_time": 0.0, "reconstruction_attempts": 0,
             "executor": repr(executor), "jobs": 0}
    complete, reason = True, ""
    used = 0
    votes: dict = {}          # signature -> number of primes that gave it
    inflight: deque = deque()
    per_job = 1

    def majority():
        return max(shapes.values(), key=lambda s: s.votes) if shapes else None

    def launch() -> bool:
        nonlocal used
        n = min(per_job if batched else 1, max_primes - used)
        if n <= 0:
            return False
        ps = [next(stream) for _ in range(n)]
        used += n
        inflight.append(executor.submit(worker, make_task(ps) if batched else make_task(ps[0])))
        stats["jobs"] += 1
        return True

    folding: dict = {}      # shape -> a job's images to fold, in order (one fold per job)

    def fold():
        for sh, ims in folding.items():
            sh.add_many(ims)
        folding.clear()

    try:
        if first_here and getattr(executor, "concurrent", False) and max_primes > 0:
            # the first job runs here, before any worker starts: the per-process state it
            # sets up (an F4 trace confirmed, shared data) is inherited by forked workers
            ps = [next(stream)]
            used += 1
            inflight.append(_Done(worker(make_task(ps) if batched else make_task(ps[0]))))
            stats["jobs"] += 1
        while True:
            if deadline is not None and time.monotonic() > deadline:
                complete, reason = False, f"timeout={timeout} s reached"
                break
            depth = 2 * max(1, int(getattr(executor, "workers", 1))) \
                if getattr(executor, "concurrent", False) else 1
            if candidate is not None:
                # the jobs in flight bring the checks the candidate still needs: a job
                # launched now would run after the end (katsura-9 on 2 workers: 3 of 70)
                depth = min(depth, needed - len(checks))
            while len(inflight) < depth and launch():
                pass
            if not inflight:
                complete, reason = False, f"max_primes={max_primes} reached"
                break
            out = inflight.popleft().result()
            results = out if batched else [out]
            for p, sig, image, dt in results:
                stats["modular_time"] += dt
                seen.append((p, sig))
                votes[sig] = votes.get(sig, 0) + 1
                if on_image is not None:
                    on_image(len(seen), p)
                if accept is not None and not accept(sig):
                    continue
                shape = shapes.get(sig)
                if shape is None:
                    shape = shapes[sig] = Shape(sig, len(image))
                shape.votes += 1
                if candidate is not None and candidate[0] is shape:
                    if shape.agrees(p, image):
                        checks.append((p, image))
                        continue
                    fold()
                    for q, im in checks:        # the candidate failed: fold everything in
                        shape.add(q, im)
                    checks.clear()
                    shape.reject()
                    candidate = None
                folding.setdefault(shape, []).append((p, image))
            fold()
            if batched and seen and getattr(executor, "concurrent", False):
                per_prime = stats["modular_time"] / len(seen)
                per_job = max(1, min(MAX_PRIMES_PER_JOB, int(JOB_SECONDS / max(per_prime, 1e-6))))
            best = majority()
            if best is None:
                if len(seen) > 10:
                    raise UnluckyPrimesExhausted(
                        f"none of {len(seen)} primes gave an admissible image")
                continue
            if candidate is not None and candidate[0] is not best:
                for q, im in checks:
                    candidate[0].add(q, im)
                checks.clear()
                candidate[0].reject()
                candidate = None
            if candidate is None and best.due():
                t0 = time.perf_counter()
                stats["reconstruction_attempts"] += 1
                values = best.reconstruct()
                stats["reconstruction_time"] += time.perf_counter() - t0
                if values is not None:
                    candidate = (best, values)
                if best.sequential:
                    point = (len(best.lifter.primes), best.lifter.modulus.bit_length(),
                             round(best.lifter.reconstructed(), 4))
                    stats.setdefault("progress", []).append(point)
                    if on_attempt is not None:
                        on_attempt(*point)
            if candidate is not None and len(checks) >= needed:
                break
            unlucky = len(seen) - votes.get(best.sig, 0)
            if unlucky > 10 and unlucky > len(seen) // 2:
                raise UnluckyPrimesExhausted(
                    f"{unlucky} of {len(seen)} primes disagree with the majority signature; "
                    f"the input may be degenerate modulo most primes")
    finally:
        for job in inflight:                 # results not needed (done, or stopped)
            job.cancel()

    best = majority()
    stats["total_time"] = time.monotonic() - t_start
    stats["primes_tried"] = len(seen)
    if candidate is None and best is not None:
        values = best.reconstruct(final=True)
        if values is not None:
            candidate = (best, values)
    if candidate is None:
        sig = best.sig if best is not None else None
        return LoopResult(None, sig, list(best.lifter.primes) if best else [], [],
                          [p for p, s in seen if s != sig], False,
                          reason or "no rational reconstruction yet", stats)
    shape, values = candidate
    return LoopResult(shape.polynomials(values), shape.sig, list(shape.lifter.primes),
                      [p for p, _ in checks], [p for p, s in seen if s != shape.sig],
                      complete, reason, stats)
