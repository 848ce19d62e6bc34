"""The shared dimension and degree probe: F4 modulo primes, then the Hilbert series.

Every route that needs to know whether a system has no, finitely many or infinitely
many solutions (and how many, with multiplicity) asks this module: :func:`grobnet.solve`,
the critical points and values of a loss, and the variable-order probes.  A probe
computes the reduced Groebner basis modulo a random prime (recording the F4 trace for
the primes of a later lift), reads dimension and degree off the leading monomials
(:mod:`grobnet.exact.hilbert`), and -- with ``confirm`` -- demands a second prime with
the same leading monomials, so that a single unlucky prime cannot fake an empty,
finite or infinite solution set.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from grobnet.common.primes import PrimeStream
from grobnet.engine.convert import integer_input
from grobnet.engine.modp import backend_name, leading_monomials, modp_arrays, monomial_key
from grobnet.engine.tracing import new_trace_key, traced_f4
from grobnet.errors import TimeoutExceeded, UnluckyPrimesExhausted
from grobnet.exact.hilbert import hilbert_series

__all__ = ["PrimeImage", "probe_prime", "DimensionProbe", "probe_dimension", "probe_system",
           "remaining_seconds"]


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


def probe_prime(raw, nvars: int, p: int, *, order: str = "grevlex", blocks=None,
                backend: str = "auto", trace_key=None, timeout: float | None = None,
                progress=None) -> PrimeImage:
    """One prime of a probe: F4 of the engine arrays ``raw`` mod ``p`` (traced under
    ``trace_key``, see :func:`grobnet.engine.tracing.traced_f4`), then the Hilbert series
    of the leading monomials.  The one place where "a basis mod p" becomes "dimension
    and degree": the dimension probe and the variable-order probes both call it."""
    t0 = time.perf_counter()
    basis, stats, _ = traced_f4(trace_key, raw, nvars, p, order, blocks, backend,
                                timeout=timeout, progress=progress)
    lms = leading_monomials(basis)
    return PrimeImage(p, basis, lms, hilbert_series(lms, nvars), dict(stats),
                      time.perf_counter() - t0)


def _probe_dimension(int_polys, nvars, order, blocks, backend, stream, trace_key=None,
                     deadline=None, timeout=None, rounds=None, confirm=False):
    """The :class:`PrimeImage` of a prime whose leading monomials agree with another
    prime's (two agreeing primes out of at most five), so that a single unlucky prime
    cannot fake an empty or infinite solution set.  A first prime giving dimension 0 is
    accepted alone (the lift confirms it later) unless ``confirm``: the hybrid route has
    no lift and needs the degree confirmed."""
    seen = []
    for _ in range(5):
        p = next(stream)
        left = remaining_seconds(deadline, timeout, "the dimension probe")
        try:
            image = probe_prime(modp_arrays(int_polys, nvars, p, order, blocks), nvars, p,
                                order=order, blocks=blocks, backend=backend,
                                trace_key=trace_key, timeout=left, progress=rounds)
        except TimeoutExceeded:
            raise TimeoutExceeded(f"timeout={timeout} s reached during the dimension probe") \
                from None
        if any(other.leading == image.leading for other in seen):
            return image
        seen.append(image)
        if not confirm and len(seen) == 1 and image.hilbert.dimension == 0:
            return image                     # confirmed later by the lift
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
    image = _probe_dimension(int_polys, nvars, order, blocks, backend_name(backend), stream,
                             trace_key, deadline, timeout, _round_reporter(progress),
                             confirm=confirm)
    return DimensionProbe(prime=image.prime, basis=image.basis, hilbert=image.hilbert,
                          stream=stream, trace_key=trace_key)


def probe_system(system, *, order: str = "grevlex", blocks=None, seed: int = 0,
                 timeout: float | None = None, progress=None) -> DimensionProbe:
    """:func:`probe_dimension` of any input :func:`grobnet.engine.convert.integer_input`
    accepts (a ``PolynomialSystem``, python-flint or sympy polynomials, strings), with two
    primes agreeing."""
    names, int_polys = integer_input(system)
    deadline = None if timeout is None else time.monotonic() + timeout
    return probe_dimension(int_polys, len(names), order=order, blocks=blocks, seed=seed,
                           deadline=deadline, timeout=timeout, confirm=True, progress=progress)
