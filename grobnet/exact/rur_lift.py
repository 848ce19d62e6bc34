"""The rational univariate representation over Q by multimodular lifting.

Only the RUR is lifted, never the Groebner basis over Q (whose coefficients are
usually far larger): for each prime, F4 mod p (the engine), the multiplication
matrices and the RUR mod p for a separating form fixed on the first prime
(:mod:`grobnet.exact.rur`); the coefficient vectors are combined by CRT and
rational reconstruction (:mod:`grobnet.exact.multimodular`) until the
reconstruction reproduces fresh primes.

A prime is unlucky when its leading monomials, its number of distinct
solutions or the separation by the chosen form differ from the majority.
"""
from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import sys
import threading
import time
from dataclasses import dataclass, field

import flint

from grobnet.errors import TimeoutExceeded, UnluckyPrimesExhausted
from grobnet.exact.hilbert import hilbert_series
from grobnet.exact.lift import integer_input
from grobnet.exact.modular import backend_name, from_modp_dict, leading_monomials, monomial_key
from grobnet.exact.multimodular import run_multimodular
from grobnet.exact.multiplication import quotient_ring, ring_layout
from grobnet.exact.primes import PrimeStream
from grobnet.exact.rur import NotSeparating, choose_separating_form, rur_modp
from grobnet.exact.tracing import forget_trace, new_trace_key, traced_f4

__all__ = ["RationalUnivariateRepresentation", "rational_rur", "NotZeroDimensional",
           "DimensionProbe", "probe_dimension"]


class NotZeroDimensional(ValueError):
    """The ideal has no solution or infinitely many: there is no RUR.

    ``dimension`` is -1 (no solution) or the Krull dimension (> 0).
    """

    def __init__(self, message, dimension, degree):
        super().__init__(message)
        self.dimension = dimension
        self.degree = degree


def _modp_input(int_polys, nvars, p, order, blocks):
    polys = [from_modp_dict({m: c % p for m, c in f.items()}, nvars, order, blocks)
             for f in int_polys]
    return [f for f in polys if len(f[1])]


def _rur_image(task):
    """Worker: the RUR mod one prime as dicts, with its signature. Module-level (picklable)."""
    int_polys, nvars, p, order, blocks, backend, form, n_solutions, known, trace_key = task
    t0 = time.perf_counter()
    basis, _, _ = traced_f4(trace_key, _modp_input(int_polys, nvars, p, order, blocks), nvars, p,
                            order, blocks, backend)
    lms = leading_monomials(basis)
    try:
        # the normal set, the border and where its normal forms go depend only on the
        # leading monomials: reuse the first prime's layout.  The Krylov fast path
        # (radical ideal) needs M_t only, so its layout builds just the matrices of
        # the variables in the form (the trace path needs them all).
        layout = None
        if known[0] == lms:
            layout = known[1] if n_solutions == known[1].dimension else known[2]
        fast = layout is not None and layout is known[1] and known[1] is not known[2]
        ring = quotient_ring(basis, nvars, p, order, blocks, backend, layout=layout,
                             form=form if fast else None)
        r = rur_modp(ring, form, n_solutions)
    except (NotSeparating, ValueError, ArithmeticError) as exc:
        return p, ("bad", lms, type(exc).__name__), [], time.perf_counter() - t0
    return p, (lms, r.n_solutions), r.as_image(), time.perf_counter() - t0


def _remaining(deadline, timeout, stage):
    """Seconds left before ``deadline`` (None: no budget); raises TimeoutExceeded naming the
    requested ``timeout`` and the ``stage`` when none are left."""
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutExceeded(f"timeout={timeout} s reached during {stage}")
    return left


def _probe_dimension(int_polys, nvars, order, blocks, backend, stream, trace_key=None,
                     deadline=None, timeout=None, rounds=None, confirm=False):
    """``(p, basis, HilbertSeries)`` for a prime whose leading monomials agree with
    another prime's (two agreeing primes out of at most five), so that a single
    unlucky prime cannot fake an empty or infinite solution set.  A first prime
    giving dimension 0 is accepted alone (the lift confirms it later) unless
    ``confirm``: the hybrid route has no lift and needs the degree confirmed."""
    seen = []
    for _ in range(5):
        p = next(stream)
        left = _remaining(deadline, timeout, "the dimension probe")
        try:
            basis, _, _ = traced_f4(trace_key, _modp_input(int_polys, nvars, p, order, blocks),
                                    nvars, p, order, blocks, backend, timeout=left,
                                    progress=rounds)
        except TimeoutExceeded:
            raise TimeoutExceeded(f"timeout={timeout} s reached during the dimension probe") \
                from None
        lms = leading_monomials(basis)
        for q, b, l in seen:
            if l == lms:
                return p, basis, hilbert_series(lms, nvars)
        seen.append((p, basis, lms))
        if not confirm and len(seen) == 1 and hilbert_series(lms, nvars).dimension == 0:
            return p, basis, hilbert_series(lms, nvars)     # confirmed later by the lift
    raise UnluckyPrimesExhausted("five primes gave five different leading-monomial sets")


@dataclass
class DimensionProbe:
    """A finished dimension probe handed from :func:`grobnet.solve`'s hybrid route to
    :func:`rational_rur`: the prime and basis, the Hilbert series, the prime stream
    (positioned after the probe's primes) and the F4 trace key (learned and confirmed
    by the probe, so that the lift replays from its first prime)."""

    prime: int
    basis: list
    hilbert: object
    stream: object
    trace_key: object


def _round_reporter(progress):
    """The F4 round callback of the dimension probe reporting to ``progress`` (or ``None``)."""
    if progress is None:
        return None

    def rounds(rnd, deg, rows, cols):
        progress("f4-round", {"round": int(rnd), "degree": int(deg), "rows": int(rows),
                              "cols": int(cols), "of": "solve: dimension probe"})
    return rounds


def probe_dimension(int_polys, nvars, *, order="grevlex", blocks=None, backend="auto", seed=0,
                    deadline=None, timeout=None, confirm=True, progress=None) -> DimensionProbe:
    """Dimension and degree of ``int_polys`` (integer dicts) from F4 modulo primes; with
    ``confirm`` two primes must agree on the leading monomials (see
    :func:`_probe_dimension`).  The result can be passed to :func:`rational_rur`.
    ``progress``: as in :func:`rational_rur` (stage ``"f4-round"``)."""
    key = monomial_key(order, blocks)
    leading = [max(f.items(), key=lambda kv: key(kv[0]))[1] for f in int_polys]
    stream = PrimeStream(seed, avoid=leading)
    trace_key = new_trace_key()
    p, basis, hs = _probe_dimension(int_polys, nvars, order, blocks, backend_name(backend),
                                    stream, trace_key, deadline, timeout,
                                    _round_reporter(progress), confirm=confirm)
    return DimensionProbe(p, basis, hs, stream, trace_key)


#: ``executor="auto"``: the lift starts serially and moves to a local process pool once
#: it has run this long (seconds) on a machine with several cores; short lifts never
#: pay a pool's start-up.
AUTO_POOL_SECONDS = 1.0


class _AutoExecutor:
    """Serial at first; a forked local pool once the lift proves long (see
    :data:`AUTO_POOL_SECONDS`).  Fork, not forkserver: workers inherit the loaded
    modules (no start-up import) and a user's unguarded script is not re-run as
    ``__main__``.  Fork is used only from a single-threaded process on Linux, where it
    is safe; otherwise the lift stays serial."""

    def __init__(self):
        from grobnet.parallel import SerialExecutor
        self._serial = SerialExecutor()
        self._pool = None
        self._elapsed = 0.0
        self.workers = 1

    def _pool_allowed(self):
        return ((os.cpu_count() or 1) > 1 and sys.platform.startswith("linux")
                and threading.active_count() == 1)

    def map(self, fn, items, *, timeout=None):
        if self._pool is None and self._elapsed > AUTO_POOL_SECONDS and self._pool_allowed():
            self._pool = _forked_pool_class()()
            self.workers = self._pool.workers
        t0 = time.monotonic()
        out = (self._pool or self._serial).map(fn, items, timeout=timeout)
        self._elapsed += time.monotonic() - t0
        return out

    def close(self):
        if self._pool is not None:
            self._pool.close()

    def __repr__(self):
        return f"AutoExecutor({'process pool of %d' % self.workers if self._pool else 'serial'})"


def _lift_executor(executor):
    """``(Executor, owned)``: the executor of the lift; ``owned`` ones are closed after it."""
    from grobnet.parallel import get_executor
    if isinstance(executor, str) and executor == "auto":
        return _AutoExecutor(), True
    if isinstance(executor, str):
        return get_executor(executor), executor == "processes"
    return get_executor(executor), False


def _forked_pool_class():
    from grobnet.parallel import ProcessExecutor

    class ForkedPool(ProcessExecutor):
        """A local process pool started with fork (see :class:`_AutoExecutor`)."""

        def _get_pool(self):
            if self._pool is None:
                self._pool = cf.ProcessPoolExecutor(
                    max_workers=self.workers, mp_context=multiprocessing.get_context("fork"))
            return self._pool

    return ForkedPool


def _lift(ex, int_polys, nvars, order, blocks, backend, form, n_solutions, known, stream,
          check_primes, max_primes, timeout, t_start, trace_key, on_image=None):
    return run_multimodular(
        _rur_image,
        lambda p: (int_polys, nvars, p, order, blocks, backend, form, n_solutions, known,
                   trace_key),
        stream, ex, needed=check_primes, max_primes=max_primes, timeout=timeout, started=t_start,
        accept=lambda sig: sig[0] != "bad", on_image=on_image)


@dataclass
class RationalUnivariateRepresentation:
    """``x_i = numerators[i](t) / denominator(t)`` at the roots of ``elim(t)``,
    ``t = sum linear_form[i] * x_i``; polynomials are ``fmpq_poly``.

    ``degree``: solutions counted with multiplicity; ``n_solutions``: distinct
    ones (= ``elim.degree()``).  ``complete`` is ``False`` with a ``reason`` when
    the lift was cut short (then the polynomials may be missing).
    """

    variables: tuple
    linear_form: tuple
    elim: flint.fmpq_poly | None
    denominator: flint.fmpq_poly | None
    numerators: list
    degree: int
    n_solutions: int
    primes: list = field(default_factory=list)
    check_primes: list = field(default_factory=list)
    unlucky_primes: list = field(default_factory=list)
    complete: bool = True
    reason: str = ""
    stats: dict = field(default_factory=dict)

    @property
    def radical(self) -> bool:
        return self.degree == self.n_solutions

    def max_bits(self) -> int:
        """Largest numerator+denominator bit size among the coefficients."""
        polys = [self.elim, self.denominator, *self.numerators]
        return max((int(c.p).bit_length() + int(c.q).bit_length()
                    for f in polys if f is not None for c in f.coeffs()), default=0)

    def real_solutions(self, digits: int = 30):
        """Certified real solution boxes (see :mod:`grobnet.exact.realroots`)."""
        from grobnet.exact.realroots import real_solutions
        self._require_complete()
        return real_solutions(self.elim, self.numerators, self.denominator,
                              variables=self.variables, digits=digits)

    def complex_solutions(self, digits: int = 15):
        """All complex solutions in ``acb`` boxes."""
        from grobnet.exact.realroots import complex_solutions
        self._require_complete()
        return complex_solutions(self.elim, self.numerators, self.denominator,
                                 variables=self.variables, digits=digits)

    def _require_complete(self):
        if self.elim is None:
            raise ValueError(f"the RUR lift did not finish ({self.reason})")

    def __repr__(self):
        form = " + ".join(f"{c}*{v}" if c != 1 else v
                          for c, v in zip(self.linear_form, self.variables) if c)
        state = "complete" if self.complete else f"INCOMPLETE ({self.reason})"
        return (f"RationalUnivariateRepresentation(t = {form}, {self.n_solutions} distinct "
                f"solutions, degree {self.degree}, {len(self.primes)} primes "
                f"(+{len(self.check_primes)} checks, {len(self.unlucky_primes)} unlucky), "
                f"max coefficient {self.max_bits()} bits, {state})")


def rational_rur(polys, *, order: str = "grevlex", blocks=None, seed: int = 0,
                 linear_form=None, executor="auto", backend: str = "auto",
                 check_primes: int = 2, max_primes: int = 5000,
                 timeout: float | None = None, progress=None,
                 probe: DimensionProbe | None = None) -> RationalUnivariateRepresentation:
    """The RUR over Q of a zero-dimensional system (multimodular).

    ``polys``: a PolynomialSystem over Q or a list of fmpq/fmpz_mpoly.
    ``linear_form``: integer coefficients of ``t`` (default: chosen mod p, small
    coefficients first).  ``executor``: ``"auto"`` (serial, moving to a local process
    pool once the lift has run :data:`AUTO_POOL_SECONDS`), ``"serial"``, ``"processes"``, a
    Dask client or an Executor.  ``check_primes``: fresh primes that the reconstruction
    must reproduce (probabilistic verification).  ``timeout``: seconds; the lift
    stops with ``complete=False``, and :class:`~grobnet.errors.TimeoutExceeded`
    (naming the timeout) is raised when it runs out before the lift starts.  Raises
    :class:`NotZeroDimensional` when the system has no solution or infinitely many.
    ``progress``: ``progress(stage, info)`` (see :func:`grobnet.exact.solve.solve`),
    called in this process only.  ``probe``: a :class:`DimensionProbe` of the same
    system, order, blocks and seed already made (by :func:`probe_dimension`), reused
    instead of probing again.
    """
    names, int_polys = integer_input(polys)
    nvars = len(names)
    blocks = tuple(blocks) if blocks else None
    backend = backend_name(backend)
    t_start = time.monotonic()
    deadline = None if timeout is None else t_start + timeout

    # First primes: dimension, degree (the probe also starts the F4 trace learning
    # shared by the primes of this run), then separating form, distinct solutions.
    if probe is None:
        probe = probe_dimension(int_polys, nvars, order=order, blocks=blocks, backend=backend,
                                seed=seed, deadline=deadline, timeout=timeout, confirm=False,
                                progress=progress)
    p0, basis, hs = probe.prime, probe.basis, probe.hilbert
    stream, trace_key = probe.stream, probe.trace_key
    if progress is not None:
        progress("solve", {"event": "probe", "dimension": hs.dimension, "degree": hs.degree})
    if hs.dimension != 0:
        what = "no solution" if hs.dimension < 0 else f"dimension {hs.dimension}"
        raise NotZeroDimensional(f"the system is not zero-dimensional ({what}, degree "
                                 f"{hs.degree}, modulo {p0})", hs.dimension, hs.degree)
    _remaining(deadline, timeout, "the first prime (quotient ring)")
    ring = quotient_ring(basis, nvars, p0, order, blocks, backend)
    _remaining(deadline, timeout, "the first prime (separating form)")
    if linear_form is None:
        form, r0 = choose_separating_form(ring, seed=seed, deadline=deadline, timeout=timeout)
    else:
        form = tuple(int(c) for c in linear_form)
        r0 = rur_modp(ring, form)
    n_solutions = r0.n_solutions
    stats = {"first_prime": p0, "first_prime_time": time.monotonic() - t_start,
             "path": r0.path, "backend": backend}

    lms0 = leading_monomials(basis)
    fast_layout = ring_layout(ring.monomials, nvars, [i for i, c in enumerate(form) if c]) \
        if n_solutions == ring.dimension else ring.layout
    known = (lms0, fast_layout, ring.layout)
    ex, owned = _lift_executor(executor)
    try:
        on_image = None if progress is None else \
            (lambda k, p: progress("solve", {"event": "prime", "k": k, "p": p}))
        loop = _lift(ex, int_polys, nvars, order, blocks, backend, form, n_solutions, known, stream,
                     check_primes, max_primes, timeout, t_start, trace_key, on_image)
    finally:
        if owned:
            ex.close()
        forget_trace(trace_key)
    stats.update(loop.stats)
    stats["executor"] = repr(ex)
    if progress is not None:
        progress("solve", {"event": "rur lifted", "primes": len(loop.primes)})
    stats["total_time"] = time.monotonic() - t_start
    if loop.signature is not None and loop.signature != (lms0, n_solutions):
        stats["note"] = f"majority signature differs from the first prime {p0}"
    elim = den = None
    nums = []
    if loop.polys is not None:
        def to_poly(d):
            size = 1 + max((m[0] for m in d), default=-1)
            coeffs = [flint.fmpq(0)] * size
            for (k,), c in d.items():
                coeffs[k] = c
            return flint.fmpq_poly(coeffs)
        lifted = [to_poly(d) for d in loop.polys]
        if len(lifted) == nvars + 1:          # radical: the denominator is elim'
            elim, *nums = lifted
            den = elim.derivative()
        else:
            elim, den, *nums = lifted
    degree = hs.degree
    if loop.signature is not None:
        degree = hilbert_series(loop.signature[0], nvars).degree
    return RationalUnivariateRepresentation(
        names, form, elim, den, nums, degree, n_solutions, loop.primes, loop.check_primes,
        loop.unlucky_primes, loop.complete and elim is not None, loop.reason, stats)
