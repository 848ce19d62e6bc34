"""Chinese remaindering and rational reconstruction of coefficient vectors.

A multimodular computation produces the same vector of rational numbers modulo
many primes.  :class:`RationalLifter` accumulates the images by incremental
CRT (Garner's step ``X <- X + M * ((r - X) / M mod p)``) and recovers the
rationals by rational reconstruction, remembering values that already
reconstructed so that later attempts only redo the unstable entries.

Rational reconstruction of ``a mod m`` finds ``n/d`` with ``n = a*d mod m``,
``|n| <= N``, ``0 < d <= D``; with ``N = D = floor(sqrt((m-1)/2))`` the answer is
unique when it exists (Wang's bound).  The extended Euclidean algorithm on
``(m, a)`` stopped at the first remainder ``<= N`` gives it.  Entries are
reconstructed after multiplying by the lcm of the denominators found so far
(coefficients of one Groebner basis or RUR share most of their denominator),
which lets them succeed with fewer primes.

:class:`SequentialLifter` is the variant for vectors made of polynomials whose
coefficients are read in a fixed order, the leading one first (RUR images): each
coefficient is reconstructed *times the product of the denominators found before
it in its polynomial* (:func:`scaled_reconstruction`), and is final as soon as it
is known.  The denominators of a RUR polynomial grow gradually from the
leading coefficient down, so every step only has to find a small new factor: on
katsura-8 the largest step needs 826 bits where the coefficient alone
(numerator and denominator) needs 1917, and the lift about half the primes.
"""
from __future__ import annotations

from math import gcd, isqrt
from typing import Iterable, Sequence

import flint
import numpy

__all__ = ["rational_reconstruction", "maximal_quotient_reconstruction", "RationalLifter",
           "SequentialLifter", "scaled_reconstruction", "symmetric_mod"]

#: Margin of maximal-quotient reconstruction: a quotient below 2^MARGIN_BITS is
#: not trusted.  A random residue passes with probability about bits(m) / 2^MARGIN_BITS;
#: a wrong pass is caught by the fresh-prime checks of the multimodular loop.
MARGIN_BITS = 20

#: :func:`scaled_reconstruction` accepts ``n/d`` once ``bits(n) + bits(d)`` is at least
#: this many bits below ``bits(m)``: a random residue passes with probability about
#: ``bits(m) 2^-SCALED_MARGIN_BITS``.
SCALED_MARGIN_BITS = 2 * MARGIN_BITS

#: The cheap attempts of :class:`SequentialLifter` look for new denominator factors
#: of at most this many bits (a few dozen Euclidean steps instead of all of them).
SMALL_DENOMINATOR_BITS = 64


def _residue_array(r, p: int):
    """The residues ``r`` (a sequence of integers or an integer array) reduced modulo the
    prime ``p < 2^31`` as an int64 array (products of two residues fit int64)."""
    if not 2 <= p < 1 << 31:
        raise ValueError(f"the CRT folds primes below 2^31, got {p}")
    if isinstance(r, numpy.ndarray) and (r.dtype.kind == "i" or
                                         (r.dtype.kind == "u" and r.dtype.itemsize < 8)):
        return r.astype(numpy.int64) % p
    return numpy.array([int(v) % p for v in r], dtype=numpy.int64)


def symmetric_mod(a: int, m: int) -> int:
    """``a mod m`` in ``(-m/2, m/2]``."""
    a %= m
    return a - m if 2 * a > m else a


def rational_reconstruction(a: int, m: int, num_bound: int | None = None,
                            den_bound: int | None = None):
    """The rational ``n/d`` with ``n = a*d (mod m)``, ``|n| <= num_bound``,
    ``0 < d <= den_bound`` and ``gcd(d, m) == 1``, as an ``fmpq``; ``None`` if none.

    Bounds default to ``floor(sqrt((m-1)/2))`` each, which makes the answer unique.
    """
    if m < 2:
        raise ValueError(f"modulus must be at least 2, got {m}")
    if num_bound is None:
        num_bound = isqrt((m - 1) // 2)
    if den_bound is None:
        den_bound = num_bound
    a %= m
    r0, r1 = m, a
    t0, t1 = 0, 1
    while r1 > num_bound:
        q = r0 // r1
        r0, r1 = r1, r0 - q * r1
        t0, t1 = t1, t0 - q * t1
    if t1 == 0 or abs(t1) > den_bound:
        return None
    if t1 < 0:
        r1, t1 = -r1, -t1
    if gcd(t1, m) != 1 or gcd(r1, t1) != 1:
        return None
    return flint.fmpq(r1, t1)


def maximal_quotient_reconstruction(a: int, m: int, margin_bits: int = MARGIN_BITS):
    """Monagan's maximal-quotient rational reconstruction of ``a mod m``, or ``None``.

    Wang's balanced bounds need ``m > 2 max(|n|, d)^2``; this needs only about
    ``m > 2 |n| d 2^margin_bits``, which almost halves the primes when numerators
    and denominators have different sizes (the usual case for Groebner bases and
    RURs).  The extended Euclidean sequence of ``(m, a)`` is run to the end and
    the convergent just before the largest quotient is returned if that quotient
    exceeds ``2^margin_bits`` and the result satisfies ``n = a d mod m``.
    """
    if m < 2:
        raise ValueError(f"modulus must be at least 2, got {m}")
    a %= m
    if a == 0:
        return flint.fmpq(0)
    # a small integer (or minus one) is its own best answer: the first quotient is huge
    r0, r1 = m, a
    t0, t1 = 0, 1
    best_q = 0
    best = None
    while r1:
        q = r0 // r1
        if q > best_q:
            best_q = q
            best = (r1, t1)
        r0, r1 = r1, r0 - q * r1
        t0, t1 = t1, t0 - q * t1
    if best is None or best_q.bit_length() <= margin_bits:
        return None
    n, d = best
    if d < 0:
        n, d = -n, -d
    if gcd(d, m) != 1 or gcd(n, d) != 1 or (n - a * d) % m:
        return None
    return flint.fmpq(n, d)


def scaled_reconstruction(y: int, m: int, max_den_bits: int | None = None,
                          margin_bits: int = SCALED_MARGIN_BITS):
    """``(n, d)`` with ``n = d*y (mod m)``, ``d > 0``, ``gcd(n, d) = gcd(d, m) = 1`` and
    ``bits(n) + bits(d) <= bits(m) - margin_bits``, or ``None``.

    The pair is the first convergent of the extended Euclidean sequence of ``(m, y)``
    that small: a true ``n/d`` with ``2 |n| d < m`` is a convergent (Wang), and
    ``margin_bits`` bounds the chance that an earlier one is small by accident.
    Integers (``d = 1``, either sign) are found in at most two steps.
    ``max_den_bits``: give up once the denominators pass this size (a cheap test
    for a small ``d``; the full sequence costs about ``bits(m)`` steps).
    """
    if m < 2:
        raise ValueError(f"modulus must be at least 2, got {m}")
    y %= m
    if y == 0:
        return 0, 1
    limit = m.bit_length() - margin_bits
    r0, r1 = m, y
    t0, t1 = 0, 1
    while r1:
        if r1.bit_length() + t1.bit_length() <= limit:
            n, d = (r1, t1) if t1 > 0 else (-r1, -t1)
            if d == 1 or (gcd(d, m) == 1 and gcd(n, d) == 1):
                return n, d
            return None
        if max_den_bits is not None and t1.bit_length() > max_den_bits:
            return None
        q, r = divmod(r0, r1)
        r0, r1 = r1, r
        t0, t1 = t1, t0 - q * t1
    return None


class SequentialLifter:
    """CRT and rational reconstruction of a vector made of ``groups`` of entries, each
    group read in a fixed order (a polynomial's coefficients, the leading one first).

    Entry ``k`` of a group is reconstructed as ``y / den`` where ``den`` is the product
    of the denominators found for the entries before it and ``y = x * den mod m``
    (:func:`scaled_reconstruction`), so it only has to find the new factor of its
    denominator.  A reconstructed entry is final unless the candidate fails a check
    (see :meth:`reset`); the CRT goes on over every entry (one vector operation per
    prime, :meth:`_fold`), and the residues of every prime are kept so that
    :meth:`reset` can start again from the full modulus.
    """

    def __init__(self, groups):
        self.groups = [[int(i) for i in g] for g in groups]
        self.n = sum(len(g) for g in self.groups)
        if sorted(i for g in self.groups for i in g) != list(range(self.n)):
            raise ValueError("groups must cover the entries 0..n-1 once each")
        self.modulus = 1
        self.primes: list[int] = []
        self._seen = set()
        self._images: list = []
        self.reset()

    def __len__(self):
        return self.n

    def reset(self) -> None:
        """Forget every reconstruction (a candidate failed a check): the CRT of all
        entries is rebuilt from the stored residues and reconstruction starts again."""
        self._done = [None] * self.n
        self._fractions = None       # (numerators, denominators) for agrees()
        self._hard = None            # the group whose entry failed the last full attempt
        self._front = [0] * len(self.groups)
        self._den = [1] * len(self.groups)
        self._pending = list(range(self.n))
        self._x = flint.fmpz_poly()
        primes, images = self.primes, self._images
        self.modulus, self.primes, self._images = 1, [], []
        for p, r in zip(primes, images):
            self._fold(p, r)

    def add(self, p: int, residues) -> None:
        """Fold in the image ``residues`` (``n`` residues) modulo the prime ``p`` (not used before)."""
        self.add_many([(p, residues)])

    def add_many(self, images) -> None:
        """:meth:`add` of several ``(p, residues)`` (a parallel job's primes), in order;
        nothing is folded when one of them is invalid."""
        images = [(int(p), r) for p, r in images]
        ps = [p for p, _ in images]
        if len(set(ps)) != len(ps) or any(p in self._seen for p in ps):
            raise ValueError(f"a prime of {ps} was already added")
        for p, r in images:
            if len(r) != self.n:
                raise ValueError(f"image modulo {p} has {len(r)} entries, expected {self.n}")
        arrays = [(p, _residue_array(r, p)) for p, r in images]
        for p, _ in arrays:
            self._seen.add(p)
        for j in range(0, len(arrays) - 1, 2):
            self._fold_pair(*arrays[j], *arrays[j + 1])
        if len(arrays) % 2:
            self._fold(*arrays[-1])

    def _fold_pair(self, p1: int, r1, p2: int, r2) -> None:
        """:meth:`_fold` of two primes at once: their residues are combined modulo
        ``q = p1 p2 < 2^62`` in int64 (every product stays below ``2^62``), then one
        :meth:`_garner` step modulo ``q`` instead of two (a parallel job's primes: the deep
        linear net's 2,026 entries of up to 5,400 bits, 1.24 -> 0.71 ms per prime in the
        parent, which shares the two cores with the workers)."""
        u = (r2 - r1) % p2 * pow(p1, -1, p2) % p2
        self._garner(p1 * p2, r1 + p1 * u)                 # the residues modulo p1 p2
        self.primes += [p1, p2]
        self._images += [r1, r2]

    def _fold(self, p: int, r) -> None:
        """Fold in the residues ``r`` (an int64 array) modulo the prime ``p``."""
        self._garner(p, r)
        self.primes.append(p)
        self._images.append(r)

    def _garner(self, q: int, r) -> None:
        """Garner's step on every entry at once, ``X <- X + M k`` with ``k = (r - X) / M
        mod q`` for a word-size ``q`` coprime to ``M`` (``r``: the residues modulo ``q``
        as an int64 array).  ``X`` is an ``fmpz_poly`` whose coefficients are the entries:
        FLINT reduces it modulo ``q`` (composite or not) and computes ``k``, a few C calls
        instead of a Python loop of big-number operations (katsura-9's RUR, 5,600 entries
        of up to 2,000 bits: 10 ms -> 5 ms per prime).  Entries already reconstructed are
        folded too; only :meth:`reset` reads them again, and it refolds everything."""
        M = self.modulus
        if M == 1:
            self._x = flint.fmpz_poly(r.tolist())
        else:
            k = (flint.nmod_poly(r.tolist(), q) - flint.nmod_poly(self._x, q)) * \
                pow(M % q, -1, q)
            self._x += flint.fmpz_poly([int(c) for c in k.coeffs()]) * M
        self.modulus = M * q

    def reconstruct(self, full: bool = True, final: bool = False):
        """All entries as ``fmpq``, or ``None`` while some entry does not reconstruct.

        Every group advances as far as it can.  ``full=False`` only looks for new
        denominator factors below ``2^SMALL_DENOMINATOR_BITS`` (a few dozen Euclidean
        steps per blocked group instead of about ``bits(m)``); ``full=True`` for those
        up to ``sqrt(m)`` (half the steps: a new factor larger than the numerator is
        unusual, and waits for ``final=True``, which takes any).

        A full attempt pays its ``bits(m) / 2`` steps for one blocked entry at most: it
        starts with the group that failed the last one (``_hard``), and once an entry
        fails, the groups after it only look for small new factors; when ``_hard``
        moves, even in a cheap attempt, the groups after it look for large ones.  So the
        attempt at which every entry reconstructs still reconstructs them all, and
        before it the others mostly failed anyway (the deep linear net's RUR, 9
        polynomials whose entries all reconstruct within the last few primes: 549 failed
        full sequences, 0.13 s of the parent's time, before; a pool's parent competes
        with both workers for the two cores)."""
        M = self.modulus
        if M == 1:
            return None
        big = None if final else M.bit_length() // 2 + SMALL_DENOMINATOR_BITS
        wide = final or full            # the next group may look for large new factors
        long_failed = False
        hard, x, done = self._hard, self._x, self._done
        Mz = flint.fmpz(M)          # x[i] * den mod M in FLINT: 6 us, not 38 (5,400 bits)
        moved = False
        order = range(len(self.groups))
        if hard is not None and not final:
            order = [hard] + [gi for gi in order if gi != hard]
        for gi in order:
            group = self.groups[gi]
            k, den = self._front[gi], flint.fmpz(self._den[gi])
            start = k
            cap = big if wide else SMALL_DENOMINATOR_BITS
            while k < len(group):
                i = group[k]
                nd = scaled_reconstruction(int(x[i] * den % Mz), M, cap)
                if nd is None:
                    if wide and not final:      # the one long failure of this attempt
                        wide, long_failed, self._hard = False, True, gi
                    break
                n, d = nd
                done[i] = flint.fmpq(n, d * den)
                if d != 1:
                    den *= d
                k += 1
            if k != start:
                moved = True
                self._front[gi], self._den[gi] = k, den
                if gi == hard and not final and not long_failed:
                    # the group that blocked the last full attempt moved: the others may
                    # be ready too, so they look for large factors in this attempt
                    wide = True
            if k == len(group) and self._hard == gi:
                self._hard = None
        if moved:
            self._fractions = None
            self._pending = [i for gi, g in enumerate(self.groups) for i in g[self._front[gi]:]]
        return None if self._pending else list(done)

    def reconstructed(self) -> float:
        """The fraction of the entries reconstructed so far."""
        return 1.0 - len(self._pending) / self.n if self.n else 1.0

    def agrees(self, p: int, residues) -> bool:
        """Whether the reconstruction reduces to ``residues`` modulo ``p`` (``False``
        while it is incomplete or when ``p`` divides a denominator)."""
        if self._pending or len(residues) != self.n:
            return False
        if self._fractions is None:
            # numerators and denominators as two vectors, reduced modulo each check
            # prime by FLINT (deep linear net, 2,026 entries: 8.5 -> 1.8 ms per prime)
            self._fractions = (flint.fmpz_poly([q.p for q in self._done]),
                               flint.fmpz_poly([q.q for q in self._done]))
        nums, dens = self._fractions
        r = _residue_array(residues, p)

        def reduced(poly):
            out = numpy.zeros(self.n, dtype=numpy.int64)
            c = flint.nmod_poly(poly, p).coeffs()
            out[:len(c)] = [int(v) for v in c]
            return out
        d = reduced(dens)
        return bool(d.all()) and bool((reduced(nums) == r * d % p).all())


class RationalLifter:
    """A growing vector of residues modulo a growing product of primes.

    ``add(p, residues)`` folds in one more image (a vector may grow: new entries
    were zero modulo the earlier primes); ``reconstruct()`` returns the vector of
    rationals or ``None`` while some entry does not reconstruct; ``agrees(p,
    residues)`` tells whether the last reconstruction reproduces an image that
    was not used.
    """

    def __init__(self):
        self.modulus = 1
        self.primes: list[int] = []
        self.values: list[int] = []
        self._cache: list = []
        self._hardest: int | None = None     # the entry that failed last: probed first

    def __len__(self):
        return len(self.values)

    def add(self, p: int, residues: Sequence[int]) -> None:
        """Fold in the image ``residues`` modulo the prime ``p`` (not used before)."""
        if p in self.primes:
            raise ValueError(f"prime {p} was already added")
        n = len(residues)
        if n < len(self.values):
            raise ValueError(f"image modulo {p} has {n} entries, expected at least "
                             f"{len(self.values)}")
        if n > len(self.values):
            extra = n - len(self.values)
            self.values.extend([0] * extra)
            self._cache.extend([None] * extra)
        M = self.modulus
        if M == 1:
            self.values = [int(r) % p for r in residues]
        else:
            minv = pow(M % p, -1, p)
            vals = self.values
            for i, r in enumerate(residues):
                x = vals[i]
                k = (int(r) - x) * minv % p
                if k:
                    vals[i] = x + M * k
        self.modulus = M * p
        self.primes.append(p)

    def _reconstruct_one(self, i, den, M, bound):
        q = self._cache[i]
        x = self.values[i]
        if q is not None and (int(q.p) - x * int(q.q)) % M == 0:
            return q
        if den != 1:
            # with the running denominator the entry is usually an integer: a wrong
            # value (den not a multiple of its denominator) gives y uniform mod M, so
            # |y| < M / 2^(2 margin) is a false positive with probability 2^(1 - 2 margin)
            # (and the check primes verify the whole reconstruction anyway)
            y = symmetric_mod(x * den, M)
            if abs(y).bit_length() + 2 * MARGIN_BITS < M.bit_length():
                return flint.fmpq(y, den)
        return maximal_quotient_reconstruction(x, M)

    def reconstruct(self, probe: Iterable[int] = (), groups: Sequence[Sequence[int]] | None = None):
        """All entries as ``fmpq`` (cached), or ``None`` if one does not reconstruct yet.

        ``probe``: indices tried first, so a hopeless attempt fails cheaply.
        ``groups``: index lists sharing a denominator (e.g. one polynomial each);
        the running denominator is reset between groups.  Default: one group.
        """
        M = self.modulus
        if M == 1:
            return None
        bound = isqrt((M - 1) // 2)
        cap = M.bit_length() - 2 * MARGIN_BITS    # beyond this no entry can reconstruct
        probe = [i for i in probe if 0 <= i < len(self.values)]
        if self._hardest is not None:
            probe.insert(0, self._hardest)
        for i in probe:
            if self._reconstruct_one(i, 1, M, bound) is None:
                self._hardest = i
                return None
        if groups is None:
            groups = [range(len(self.values))]
        out = [None] * len(self.values)
        for group in groups:
            den = 1
            for i in group:
                q = self._reconstruct_one(i, den, M, bound)
                if q is None:
                    self._hardest = i
                    return None
                self._cache[i] = q
                out[i] = q
                qd = int(q.q)
                if den % qd:
                    den = den * qd // gcd(den, qd)
                    if den.bit_length() > cap:      # a denominator this large cannot help
                        den = 1
        if any(v is None for v in out):
            raise ValueError("groups must cover every entry")
        return out

    def agrees(self, p: int, residues: Sequence[int]) -> bool:
        """Whether the cached reconstruction reduces to ``residues`` modulo ``p``.

        ``False`` as well when some entry has no reconstruction yet, when lengths
        differ, or when ``p`` divides a denominator.
        """
        if len(residues) != len(self._cache):
            return False
        for q, r in zip(self._cache, residues):
            if q is None:
                return False
            d = int(q.q) % p
            if d == 0:
                return False
            if int(q.p) * pow(d, -1, p) % p != int(r) % p:
                return False
        return True
