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

import time
from dataclasses import dataclass, field

import flint

from grobnet.errors import UnluckyPrimesExhausted
from grobnet.exact.hilbert import hilbert_series
from grobnet.exact.lift import integer_input
from grobnet.exact.modular import (backend_name, from_modp_dict, get_backend, leading_monomials,
                                   monomial_key)
from grobnet.exact.multimodular import run_multimodular
from grobnet.exact.multiplication import quotient_ring
from grobnet.exact.primes import PrimeStream
from grobnet.exact.rur import NotSeparating, choose_separating_form, rur_modp

__all__ = ["RationalUnivariateRepresentation", "rational_rur", "NotZeroDimensional"]


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
    int_polys, nvars, p, order, blocks, backend, form, n_solutions, known = task
    t0 = time.perf_counter()
    basis, _ = get_backend(backend).f4(_modp_input(int_polys, nvars, p, order, blocks), nvars, p,
                                       order=order, blocks=blocks)
    lms = leading_monomials(basis)
    try:
        # the normal set depends only on the leading monomials: reuse the first prime's
        mons = known[1] if known[0] == lms else None
        # the Krylov fast path (radical ideal) needs M_t only: build just the
        # matrices of the variables in the form (the trace path needs them all)
        fast = mons is not None and n_solutions == len(mons)
        ring = quotient_ring(basis, nvars, p, order, blocks, backend, monomials=mons,
                             variables=[i for i, c in enumerate(form) if c] if fast else None)
        r = rur_modp(ring, form, n_solutions)
    except (NotSeparating, ValueError, ArithmeticError) as exc:
        return p, ("bad", lms, type(exc).__name__), [], time.perf_counter() - t0
    return p, (lms, r.n_solutions), r.as_dicts(), time.perf_counter() - t0


def _probe_dimension(int_polys, nvars, order, blocks, backend, stream):
    """``(p, basis, HilbertSeries)`` for a prime whose leading monomials agree with
    another prime's (two agreeing primes out of at most five), so that a single
    unlucky prime cannot fake an empty or infinite solution set."""
    seen = []
    for _ in range(5):
        p = next(stream)
        basis, _ = get_backend(backend).f4(_modp_input(int_polys, nvars, p, order, blocks), nvars,
                                           p, order=order, blocks=blocks)
        lms = leading_monomials(basis)
        for q, b, l in seen:
            if l == lms:
                return p, basis, hilbert_series(lms, nvars)
        seen.append((p, basis, lms))
        if len(seen) == 1 and hilbert_series(lms, nvars).dimension == 0:
            return p, basis, hilbert_series(lms, nvars)     # confirmed later by the lift
    raise UnluckyPrimesExhausted("five primes gave five different leading-monomial sets")


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
                 linear_form=None, executor="serial", backend: str = "auto",
                 check_primes: int = 2, max_primes: int = 5000,
                 timeout: float | None = None) -> RationalUnivariateRepresentation:
    """The RUR over Q of a zero-dimensional system (multimodular).

    ``polys``: a PolynomialSystem over Q or a list of fmpq/fmpz_mpoly.
    ``linear_form``: integer coefficients of ``t`` (default: chosen mod p, small
    coefficients first).  ``check_primes``: fresh primes that the reconstruction
    must reproduce (probabilistic verification).  Raises
    :class:`NotZeroDimensional` when the system has no solution or infinitely many.
    """
    from grobnet.parallel import get_executor

    names, int_polys = integer_input(polys)
    nvars = len(names)
    key = monomial_key(order, blocks)
    blocks = tuple(blocks) if blocks else None
    backend = backend_name(backend)
    t_start = time.monotonic()
    leading = [max(f.items(), key=lambda kv: key(kv[0]))[1] for f in int_polys]
    stream = PrimeStream(seed, avoid=leading)

    # First primes: dimension, degree, separating form, number of distinct solutions.
    p0, basis, hs = _probe_dimension(int_polys, nvars, order, blocks, backend, stream)
    if hs.dimension != 0:
        what = "no solution" if hs.dimension < 0 else f"dimension {hs.dimension}"
        raise NotZeroDimensional(f"the system is not zero-dimensional ({what}, degree "
                                 f"{hs.degree}, modulo {p0})", hs.dimension, hs.degree)
    ring = quotient_ring(basis, nvars, p0, order, blocks, backend)
    if linear_form is None:
        form, r0 = choose_separating_form(ring, seed=seed)
    else:
        form = tuple(int(c) for c in linear_form)
        r0 = rur_modp(ring, form)
    n_solutions = r0.n_solutions
    stats = {"first_prime": p0, "first_prime_time": time.monotonic() - t_start,
             "path": r0.path, "backend": backend}

    lms0 = leading_monomials(basis)
    known = (lms0, ring.monomials)
    ex = get_executor(executor)
    loop = run_multimodular(
        _rur_image,
        lambda p: (int_polys, nvars, p, order, blocks, backend, form, n_solutions, known),
        stream, ex, needed=check_primes, max_primes=max_primes,
        timeout=None if timeout is None else max(1e-3, timeout - (time.monotonic() - t_start)),
        accept=lambda sig: sig[0] != "bad")
    stats.update(loop.stats)
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
        elim, den, *nums = [to_poly(d) for d in loop.polys]
    degree = hs.degree
    if loop.signature is not None:
        degree = hilbert_series(loop.signature[0], nvars).degree
    return RationalUnivariateRepresentation(
        names, form, elim, den, nums, degree, n_solutions, loop.primes, loop.check_primes,
        loop.unlucky_primes, loop.complete and elim is not None, loop.reason, stats)
