"""Reproducible streams of random 31-bit primes for multimodular algorithms.

Primes are drawn uniformly from ``[2^30, 2^31)`` by a ``random.Random`` seeded
by the caller, so a run is reproducible from its seed and two computations
never share state.
"""
from __future__ import annotations

import random
from typing import Iterable

import flint

__all__ = ["PrimeStream", "PRIME_LOW", "PRIME_HIGH"]

PRIME_LOW = 1 << 30
PRIME_HIGH = 1 << 31


class PrimeStream:
    """An iterator over distinct random primes in ``[2^30, 2^31)``.

    ``avoid``: integers (e.g. leading coefficients of the input) whose prime
    divisors must be skipped; skipped primes are listed in ``self.skipped``.
    """

    def __init__(self, seed: int = 0, avoid: Iterable[int] = ()):
        self._rng = random.Random(seed)
        self._seen: set[int] = set()
        self._avoid = [abs(int(a)) for a in avoid if int(a) not in (0, 1, -1)]
        self.skipped: list[int] = []

    def __iter__(self):
        return self

    def __next__(self) -> int:
        while True:
            c = self._rng.randrange(PRIME_LOW, PRIME_HIGH) | 1
            if c in self._seen or not flint.fmpz(c).is_prime():
                continue
            self._seen.add(c)
            if any(a % c == 0 for a in self._avoid):
                self.skipped.append(c)
                continue
            return c

    def take(self, k: int) -> list:
        """The next ``k`` primes."""
        return [next(self) for _ in range(k)]
