"""Fingerprints of a solver's answer, and their comparison across engines.

A benchmark that only times solvers rewards a fast wrong answer.  Every run
therefore records a :class:`Fingerprint` of what it computed, from which two
engines' answers can be compared without trusting either:

* a Groebner basis (grevlex) is summarised by the *minimal generators of its
  leading-monomial ideal*.  They do not depend on whether the engine returns a
  reduced, minimal or redundant basis, and they determine the Krull dimension
  and, for a zero-dimensional ideal, the degree (number of standard monomials,
  i.e. of complex solutions counted with multiplicity);
* a real solve is summarised by whether the ideal is finite and how many real
  solutions were isolated.

Two fingerprints *agree* when every field that both of them know is equal.
The ``domain`` (``GF(65521)`` or ``Q``) is recorded but not compared: a basis
over Q and one modulo a lucky prime have the same leading monomials, and a
disagreement between them is still worth a loud flag (an unlucky prime is
rare at 65521 and the flag says which domains were involved).

Exponent vectors are tuples of ints, variable 0 the largest (msolve's and
Singular's ``dp`` convention).
"""
from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field, fields
from typing import Iterable, Optional, Sequence

import numpy as np

__all__ = ["Fingerprint", "grevlex_key", "leading_monomial", "minimal_generators",
           "krull_dimension", "count_standard_monomials", "from_leading_monomials",
           "differences", "Disagreement", "find_disagreements"]

#: fields compared between fingerprints (``domain`` and ``note`` are descriptive only)
COMPARED = ("lead", "dimension", "degree", "positive_dimensional", "n_real")

#: standard-monomial counting stops here (the count is then reported as unknown)
MAX_STANDARD_MONOMIALS = 2_000_000

#: Krull dimension by subset enumeration is done up to this many variables
MAX_VARS_FOR_DIMENSION = 20


def grevlex_key(e: Sequence[int]):
    """Sort key with ``a > b`` in grevlex (variable 0 largest) iff ``key(a) > key(b)``.

    Higher total degree wins; on a tie the monomial with the *smaller* exponent
    in the last variable where they differ is the larger one.
    """
    return (sum(e), tuple(-x for x in reversed(e)))


def leading_monomial(monomials: Iterable[Sequence[int]]):
    """The grevlex-largest of ``monomials`` (as a tuple), whatever order they come in."""
    return tuple(max(monomials, key=grevlex_key))


def _divides(a, b) -> bool:
    return all(x <= y for x, y in zip(a, b))


def minimal_generators(monomials: Iterable[Sequence[int]]) -> tuple:
    """Minimal generators of the monomial ideal spanned by ``monomials``, sorted by grevlex.

    Duplicates and multiples of other generators are dropped, so a reduced
    basis, a minimal one and a redundant one give the same answer.
    """
    gens = sorted({tuple(int(x) for x in m) for m in monomials}, key=grevlex_key)
    kept: list = []
    for m in gens:                         # a divisor of m has degree <= deg m: already seen
        if not any(_divides(k, m) for k in kept):
            kept.append(m)
    return tuple(kept)


def krull_dimension(gens: Sequence[Sequence[int]], nvars: int) -> Optional[int]:
    """Krull dimension of the monomial ideal with generators ``gens`` (-1 for the unit ideal).

    It is the largest number of variables none of whose subsets carries the
    support of a generator (a maximal independent set).  ``None`` when there
    are more than :data:`MAX_VARS_FOR_DIMENSION` variables.
    """
    gens = list(gens)
    if any(sum(m) == 0 for m in gens):
        return -1
    if nvars > MAX_VARS_FOR_DIMENSION:
        return None
    supports = {sum(1 << i for i, x in enumerate(m) if x) for m in gens}
    for size in range(nvars, -1, -1):
        for subset in itertools.combinations(range(nvars), size):
            mask = sum(1 << i for i in subset)
            if all(s & ~mask for s in supports):
                return size
    return 0  # unreachable: the empty set is independent once the ideal is proper


def count_standard_monomials(gens: Sequence[Sequence[int]], nvars: int) -> Optional[int]:
    """Number of monomials divisible by no generator (the degree of a zero-dimensional ideal).

    ``None`` when the set is infinite (a variable has no pure power among the
    generators) or larger than :data:`MAX_STANDARD_MONOMIALS`.  Enumerates
    the staircase depth-first, each monomial once (variables raised in
    non-decreasing index order).
    """
    gens = [tuple(m) for m in gens]
    if any(sum(m) == 0 for m in gens):
        return 0
    for i in range(nvars):
        if not any(m[i] > 0 and sum(m) == m[i] for m in gens):
            return None
    g = np.asarray(gens, dtype=np.int64)                 # (k, n)
    step = np.eye(nvars, dtype=np.int64)                 # row i raises variable i
    count = 0
    stack = [(np.zeros(nvars, dtype=np.int64), 0)]
    while stack:
        mono, first = stack.pop()
        count += 1
        if count > MAX_STANDARD_MONOMIALS:
            return None
        succ = mono[None, :] + step[first:]              # (n - first, n) successors
        divisible = (g[None, :, :] <= succ[:, None, :]).all(axis=2).any(axis=1)
        for j in np.flatnonzero(~divisible):
            stack.append((succ[j], first + int(j)))
    return count


@dataclass(frozen=True)
class Fingerprint:
    """What an engine answered, in a form comparable across engines.

    Every field but ``domain`` and ``note`` may be ``None`` ("this engine does
    not tell"); only fields known on both sides are compared.
    """

    lead: Optional[tuple] = None                  #: minimal generators of the leading ideal
    dimension: Optional[int] = None               #: Krull dimension, -1 for no solution
    degree: Optional[int] = None                  #: complex solutions with multiplicity (dim 0)
    positive_dimensional: Optional[bool] = None   #: infinitely many complex solutions
    n_real: Optional[int] = None                  #: number of real solutions (finite case)
    domain: str = ""                              #: "GF(p)" or "Q": where the answer lives
    note: str = field(default="", compare=False)  #: free text (e.g. "naive Buchberger over Q")

    def lead_digest(self) -> str:
        """Short stable hash of :attr:`lead` for tables ("" when unknown)."""
        if self.lead is None:
            return ""
        text = ";".join(",".join(map(str, m)) for m in self.lead)
        return hashlib.sha1(text.encode()).hexdigest()[:10]

    def summary(self) -> str:
        """One-line description, e.g. ``deg=70 dim=0 lm=32#1a2b3c4d5e``."""
        parts = []
        if self.dimension is not None:
            parts.append(f"dim={self.dimension}")
        elif self.positive_dimensional is not None:
            parts.append("dim>0" if self.positive_dimensional else "dim<=0")
        if self.degree is not None:
            parts.append(f"deg={self.degree}")
        if self.n_real is not None:
            parts.append(f"real={self.n_real}")
        if self.lead is not None:
            parts.append(f"lm={len(self.lead)}#{self.lead_digest()}")
        return " ".join(parts) or "-"

    def to_json(self) -> dict:
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        if self.lead is not None:
            d["lead"] = [list(m) for m in self.lead]
        return d

    @classmethod
    def from_json(cls, d: Optional[dict]) -> Optional["Fingerprint"]:
        if d is None:
            return None
        d = dict(d)
        if d.get("lead") is not None:
            d["lead"] = tuple(tuple(m) for m in d["lead"])
        return cls(**d)


def from_leading_monomials(monomials: Iterable[Sequence[int]], nvars: int, domain: str,
                           note: str = "") -> Fingerprint:
    """Fingerprint of a grevlex Groebner basis given the leading monomials of its elements."""
    lead = minimal_generators(monomials)
    if not lead:                                  # zero ideal: the whole affine space
        return Fingerprint(lead=(), dimension=nvars, positive_dimensional=nvars > 0,
                           domain=domain, note=note)
    dim = krull_dimension(lead, nvars)
    degree = count_standard_monomials(lead, nvars) if dim in (0, -1) else None
    positive = None if dim is None else dim > 0
    if dim is None:                               # too many variables for the subset search
        deg = count_standard_monomials(lead, nvars)
        if deg is not None:
            degree, positive = deg, False
    return Fingerprint(lead=lead, dimension=dim, degree=degree, positive_dimensional=positive,
                       domain=domain, note=note)


def differences(a: Fingerprint, b: Fingerprint) -> list:
    """Names of the compared fields known to both ``a`` and ``b`` whose values differ."""
    out = []
    for name in COMPARED:
        x, y = getattr(a, name), getattr(b, name)
        if x is not None and y is not None and x != y:
            out.append(name)
    return out


@dataclass(frozen=True)
class Disagreement:
    """Two engines answered the same question differently."""

    system: str
    mode: str
    engine_a: str
    engine_b: str
    fields: tuple
    detail: str

    def __str__(self) -> str:
        return (f"DISAGREEMENT on {self.system} ({self.mode}): {self.engine_a} vs "
                f"{self.engine_b} differ in {', '.join(self.fields)}: {self.detail}")


def find_disagreements(system: str, mode: str, answers: dict) -> list:
    """All pairs of engines in ``answers`` (engine -> Fingerprint) whose fingerprints differ.

    Engines are compared pairwise, so with three engines where one is wrong
    the wrong one appears in two disagreements and the others in one each.
    """
    names = sorted(answers)
    out = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            fa, fb = answers[a], answers[b]
            diff = differences(fa, fb)
            if diff:
                detail = f"{a}: {fa.summary()} [{fa.domain}] / {b}: {fb.summary()} [{fb.domain}]"
                out.append(Disagreement(system, mode, a, b, tuple(diff), detail))
    return out
