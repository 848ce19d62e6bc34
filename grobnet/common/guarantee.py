"""What an answer rests on: a proof, or random primes (Monte Carlo) with an error bound.

Every result of grobnet (:class:`~grobnet.solver.solutions.Solutions`, critical points
and values) carries a :class:`Guarantee`.  Its ``kind`` is

* ``"proof"``: every claim of the result is proven -- points by exact substitution over Q
  or by Krawczyk's test in interval arithmetic, counts (degree, dimension) by a Groebner
  basis over Q verified by Buchberger's criterion (``proof=True``, see
  :mod:`grobnet.exact.proof`);
* ``"monte-carlo"``: the listed points are still proven, but a count the completeness
  rests on (the degree ``D`` of the ideal, its dimension, the number of distinct
  solutions, an eliminant) was read off Groebner bases modulo random primes.

The bound.  A prime ``p`` is *unlucky* for an input when the reduced Groebner basis of the
input modulo ``p`` does not have the leading monomials of the one over Q (or, for the
eliminant and the distinct-solution count, when its image modulo ``p`` differs from the
reduction of the rational one).  For a given input only finitely many primes are unlucky;
call ``u`` their number in ``[2^30, 2^31)`` (if they multiply to a ``b``-bit integer,
``u <= b / 30``).  A count is decided only when ``k`` (here 2) independent primes, drawn
uniformly at random from the ``N`` admissible primes of that range (about 5.07e7: those
dividing no coefficient and no denominator of the input), agree; it can be wrong only if
``k`` of the at most ``m`` primes the procedure draws are unlucky.  So

    P(wrong) <= C(m, k) * (u / N)^k,

summed over the independent decisions a result makes.  :meth:`Guarantee.error_bound`
gives the coefficient ``c`` of ``P(wrong) <= c * u^2``.

What the bound assumes: the primes are drawn uniformly (Python's ``random.Random`` seeded
from ``os.urandom``; a user-given ``seed`` makes the run reproducible -- and predictable);
the input was fixed before the seed was drawn; and the modular computations are correct
(a bug is not bad luck).  It does not assume anything about the input: ``u`` is a property
of the input, finite and usually tiny, but no a-priori bound on it is cheap to compute
(bounds from the Macaulay matrix are astronomically loose), so the bound is stated per
unlucky prime.  This is the usual standing of multimodular solvers (msolve's answers and
Singular's ``modStd`` without its final test are Monte Carlo in the same sense); the
opt-in ``proof=True`` removes the dependence on ``u`` for small and medium systems.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from math import comb

from grobnet.common.primes import PRIMES_IN_RANGE

__all__ = ["Guarantee", "Decision", "PROOF", "MONTE_CARLO"]

PROOF = "proof"
MONTE_CARLO = "monte-carlo"


@dataclass(frozen=True)
class Decision:
    """One count decided by random primes: ``what`` (e.g. "degree 256"), ``agreeing``
    primes that had to agree (``k``), at most ``draws`` primes drawn (``m``), from a pool
    of at least ``pool`` admissible primes (``N``)."""

    what: str
    agreeing: int = 2
    draws: int = 2
    pool: int = PRIMES_IN_RANGE

    def coefficient(self) -> float:
        """``c`` with ``P(this decision is wrong) <= c * u^agreeing``."""
        return comb(max(self.draws, self.agreeing), self.agreeing) / float(self.pool) ** self.agreeing


@dataclass(frozen=True)
class Guarantee:
    """What a result's claims rest on (see the module docstring).

    ``kind``: ``"proof"`` or ``"monte-carlo"``; ``statement``: what is claimed, in one
    sentence; ``decisions``: the counts decided by random primes (empty for a proof);
    ``proven``: what is proven whatever the primes; ``note``: e.g. why ``proof=True`` did
    not finish.
    """

    kind: str
    statement: str
    decisions: tuple = ()
    proven: tuple = ()
    note: str = ""
    primes: tuple = field(default=(), compare=False)

    def __post_init__(self):
        if self.kind not in (PROOF, MONTE_CARLO):
            raise ValueError(f"guarantee kind must be {PROOF!r} or {MONTE_CARLO!r}, got {self.kind!r}")

    @property
    def proof(self) -> bool:
        return self.kind == PROOF

    def error_bound(self) -> float:
        """``c`` with ``P(some claim is wrong) <= c * u^2`` (0 for a proof), where ``u`` is
        the number of unlucky primes of the input in ``[2^30, 2^31)``; decisions with more
        agreeing primes are bounded by their ``u^2`` term too (``u <= N``)."""
        if self.kind == PROOF:
            return 0.0
        total = 0.0
        for d in self.decisions:
            k = d.agreeing
            # C(m, k) (u/N)^k <= C(m, k) u^2 / N^2 for k >= 2 (u <= N); a one-prime
            # decision only gets m u / N (shown as such by short())
            total += comb(max(d.draws, k), k) / float(d.pool) ** min(k, 2)
        return total

    def short(self) -> str:
        """One line: the kind and the bound."""
        if self.kind == PROOF:
            return "proof"
        if any(d.agreeing < 2 for d in self.decisions):
            return f"monte-carlo (P(error) <= {self.error_bound():.1e}*u)"
        return f"monte-carlo (P(error) <= {self.error_bound():.1e}*u^2)"

    def __str__(self):
        text = f"{self.short()}: {self.statement}."
        if self.proven:
            text += " Proven: " + "; ".join(self.proven) + "."
        if self.kind != PROOF and self.decisions:
            counts = "; ".join(f"{d.what} ({d.agreeing} of at most {d.draws} random primes "
                               "agreeing)" for d in self.decisions)
            text += (f" Decided modulo random primes: {counts}; u = the number of primes in "
                     "[2^30, 2^31) unlucky for this input.")
        if self.note:
            text += f" Note: {self.note}."
        return text

    def as_dict(self) -> dict:
        """JSON-friendly form (the CLI's ``--json``)."""
        return {"kind": self.kind, "statement": self.statement,
                "error_bound_per_u2": self.error_bound(),
                "decisions": [{"what": d.what, "agreeing_primes": d.agreeing,
                               "max_primes_drawn": d.draws, "admissible_primes": d.pool}
                              for d in self.decisions],
                "proven": list(self.proven), "note": self.note, "primes": list(self.primes)}

    def with_note(self, note: str) -> "Guarantee":
        """The same guarantee with ``note`` appended."""
        joined = "; ".join(n for n in (self.note, note) if n)
        return Guarantee(self.kind, self.statement, self.decisions, self.proven, joined,
                         self.primes)

    @staticmethod
    def combine(statement: str, parts, proven=(), note: str = "") -> "Guarantee":
        """The guarantee of a result made of ``parts`` (Guarantees): a proof iff every part
        is; the decisions and the proven facts add up."""
        parts = [p for p in parts if p is not None]
        kind = PROOF if parts and all(p.kind == PROOF for p in parts) else MONTE_CARLO
        # one decision per claim: a claim decided twice (by other primes) is wrong only if
        # both decisions are, so keeping one of them bounds it
        kept: dict = {}
        for d in (d for p in parts for d in p.decisions):
            kept.setdefault(d.what, d)
        decisions = tuple(kept.values()) if kind != PROOF else ()
        facts = tuple(dict.fromkeys([*proven, *(f for p in parts for f in p.proven)]))
        notes = "; ".join(dict.fromkeys(n for n in [note, *(p.note for p in parts)] if n))
        primes = tuple(dict.fromkeys(q for p in parts for q in p.primes))
        return Guarantee(kind, statement, decisions, facts, notes, primes)
