"""Random 31-bit primes for multimodular algorithms, and the seeds behind them.

Primes are drawn uniformly from the primes in ``[2^30, 2^31)`` by a ``random.Random``.
Every user-level call draws a fresh seed from ``os.urandom`` unless it is given one
(:func:`resolve_seed`), records it in its ``stats``, and derives one stream per stage
from it (``PrimeStream(seed, label="probe")``), so that

* nobody can choose an input against the primes a run will use: they are not known
  before the run (the old fixed ``seed=0`` stream was public, and inputs whose
  coefficients were divisible by its first primes got wrong answers);
* ``seed=`` replays a run exactly (same primes, same separating forms, same orders).

A prime that divides an integer the caller names (``avoid``: every coefficient of the
denominator-cleared input and every denominator, see :func:`screen`) is skipped and
listed in ``skipped``: reduction modulo it would drop a term of the input.
"""
from __future__ import annotations

import os
import random
from typing import Iterable

import flint

__all__ = ["PrimeStream", "PRIME_LOW", "PRIME_HIGH", "PRIMES_IN_RANGE", "resolve_seed",
           "screen", "admissible_primes"]

PRIME_LOW = 1 << 30
PRIME_HIGH = 1 << 31
#: The number of primes in ``[2^30, 2^31)``: pi(2^31) - pi(2^30) = 105097565 - 54400028.
PRIMES_IN_RANGE = 50_697_537


def resolve_seed(seed) -> int:
    """``seed`` as an int; ``None`` draws a fresh 63-bit seed from ``os.urandom``."""
    if seed is None:
        return int.from_bytes(os.urandom(8), "big") >> 1
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int or None, got {seed!r}")
    return seed


def screen(int_polys, denominators: Iterable[int] = ()) -> int:
    """One integer whose prime divisors are the primes to skip for this input: the product
    of the distinct nonzero coefficients of the integer polynomials (``{exponents: int}``
    dicts, or plain sequences of coefficients) and of the ``denominators`` of the rational
    input.  A prime dividing it would drop a term when the input is reduced modulo it."""
    values = {abs(int(c)) for f in int_polys
              for c in (f.values() if isinstance(f, dict) else f)}
    values.update(abs(int(d)) for d in denominators)
    return _product(sorted(v for v in values if v > 1))


def _product(values) -> int:
    """The product of the integers, by a balanced tree (fast for thousands of them)."""
    values = list(values)
    if not values:
        return 1
    while len(values) > 1:
        values = [values[i] * values[i + 1] if i + 1 < len(values) else values[i]
                  for i in range(0, len(values), 2)]
    return values[0]


def admissible_primes(screened: int) -> int:
    """A lower bound on the primes in ``[2^30, 2^31)`` that do not divide ``screened``
    (at most ``bits / 30`` of them divide it)."""
    return PRIMES_IN_RANGE - (max(int(screened), 1).bit_length() // 30 + 1)


class PrimeStream:
    """An iterator over distinct random primes in ``[2^30, 2^31)``.

    ``seed``: an int (reproducible) or ``None`` (a fresh seed from ``os.urandom``, kept in
    ``self.seed``); ``label`` names the stage, so that streams of one run drawn from one
    seed are independent (``None``: the stream of ``random.Random(seed)`` itself).
    ``avoid``: integers whose prime divisors are skipped (see :func:`screen`); skipped
    primes are listed in ``self.skipped``, handed-out ones in ``self.drawn``.
    """

    def __init__(self, seed: int | None = None, avoid: Iterable[int] = (), label: str | None = None):
        self.seed = resolve_seed(seed)
        self.label = label
        self._rng = random.Random(self.seed if label is None else f"{self.seed}/{label}")
        self._seen: set[int] = set()
        self._avoid = _product(sorted({abs(int(a)) for a in avoid} - {0, 1}))
        self.skipped: list[int] = []
        self.drawn: list[int] = []

    @property
    def pool(self) -> int:
        """A lower bound on the number of primes this stream can hand out."""
        return admissible_primes(self._avoid)

    def __iter__(self):
        return self

    def __next__(self) -> int:
        while True:
            c = self._rng.randrange(PRIME_LOW, PRIME_HIGH) | 1
            if c in self._seen or not flint.fmpz(c).is_prime():
                continue
            self._seen.add(c)
            if self._avoid % c == 0:
                self.skipped.append(c)
                continue
            self.drawn.append(c)
            return c

    def take(self, k: int) -> list:
        """The next ``k`` primes."""
        return [next(self) for _ in range(k)]
