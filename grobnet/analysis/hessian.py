"""Certified Hessian inertia: how many eigenvalues are negative, zero, positive.

A critical point is a minimum, a saddle of index k, or a maximum according to the
signs of its Hessian's eigenvalues.  The point is known only as an isolating box,
so the Hessian is known as a matrix of balls.  We decide the signs from the
characteristic polynomial ``p(s) = det(s I - H)``: a symmetric matrix has only real
eigenvalues, and for a real-rooted polynomial Descartes' rule of signs is *exact*:
the number of positive roots equals the number of sign changes of the
coefficients, the number of negative roots that of ``p(-s)``, and the multiplicity
of 0 is the number of vanishing low-order coefficients.

Coefficients whose ball contains 0 are handled soundly: a real-rooted polynomial
with ``p(0) != 0`` cannot have a zero coefficient between two of the same sign
(Newton's inequalities), so an uncertain coefficient between opposite signs changes
no count, and one between equal signs means "refine the box".  When ``p(0)`` itself
cannot be separated from 0, a zero eigenvalue cannot be excluded and the point is
reported *degenerate* — never guessed.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import flint

__all__ = ["Inertia", "inertia_from_charpoly", "hessian_inertia", "label_for"]


@dataclass(frozen=True)
class Inertia:
    """Eigenvalue sign counts of a symmetric matrix.

    ``certified`` is True when the counts are proven.  When a zero eigenvalue cannot
    be excluded, ``degenerate`` is True, ``zero`` is the number of eigenvalues that may
    vanish, and ``negative``/``positive`` count the other eigenvalues *assuming* those
    vanish exactly (the usual case of a singular Hessian); ``certified`` is then False.
    """

    negative: int
    zero: int
    positive: int
    certified: bool
    degenerate: bool

    @property
    def index(self) -> int:
        """Morse index: the number of negative eigenvalues."""
        return self.negative

    def label(self) -> str:
        return label_for(self)


def label_for(inertia: Inertia) -> str:
    """'minimum', 'maximum', 'saddle (index k)', 'degenerate' or 'undetermined'."""
    if inertia.degenerate:
        return "degenerate"
    if not inertia.certified:
        return "undetermined"
    if inertia.negative == 0:
        return "minimum"
    if inertia.positive == 0:
        return "maximum"
    return f"saddle (index {inertia.negative})"


def _sign(ball) -> int | None:
    """+1 / -1 when the ball excludes 0, None when it contains 0."""
    if ball > 0:
        return 1
    if ball < 0:
        return -1
    return None


def _sign_changes(signs: Sequence[int | None]) -> int | None:
    """Sign changes of a real-rooted polynomial's coefficients with nonzero constant term.

    ``None`` entries are coefficients of unknown sign; the count is still certain when
    each lies between neighbours of opposite signs.  Returns None when it is not.
    """
    n = len(signs)
    for k, s in enumerate(signs):
        if s is None:
            if k == 0 or k == n - 1:
                return None
            left, right = signs[k - 1], signs[k + 1]
            if left is None or right is None or left == right:
                return None
    known = [s for s in signs if s is not None]
    return sum(1 for a, b in zip(known, known[1:]) if a != b)


def inertia_from_charpoly(coeffs: Sequence) -> Inertia:
    """Inertia from the ball coefficients ``c_0..c_n`` (low to high) of ``det(sI - H)``."""
    n = len(coeffs) - 1
    if n < 0:
        raise ValueError("empty characteristic polynomial")
    signs = [_sign(flint.arb(c)) for c in coeffs]
    if signs[-1] != 1:
        raise ValueError("a characteristic polynomial must be monic")
    # multiplicity of the eigenvalue 0: leading run of coefficients that may vanish
    maybe_zero = 0
    while maybe_zero < n and signs[maybe_zero] is None:
        maybe_zero += 1
    if maybe_zero:
        # Eigenvalue 0 cannot be excluded; count the others as if the k uncertain
        # low-order coefficients were exactly 0, i.e. from p(s) / s^k.
        rest = signs[maybe_zero:]
        pos = _sign_changes(rest)
        neg = _sign_changes([s if s is None or (k % 2 == 0) else -s for k, s in enumerate(rest)])
        return Inertia(negative=neg if neg is not None else 0, zero=maybe_zero,
                       positive=pos if pos is not None else 0, certified=False, degenerate=True)
    pos = _sign_changes(signs)
    neg = _sign_changes([s if s is None or (k % 2 == 0) else -s for k, s in enumerate(signs)])
    if pos is None or neg is None or pos + neg != n:
        return Inertia(negative=0, zero=0, positive=0, certified=False, degenerate=False)
    return Inertia(negative=neg, zero=0, positive=pos, certified=True, degenerate=False)


def hessian_inertia(hessian_rows: Sequence[Sequence], point: Sequence, prec: int = 128) -> Inertia:
    """Certified inertia of a polynomial Hessian over a box.

    ``hessian_rows`` is a symmetric matrix of :class:`~grobnet.common.evaluate.PolyEvaluator`
    (or anything with an ``arb(values)`` method); ``point`` the balls of the box.
    """
    n = len(hessian_rows)
    if any(len(row) != n for row in hessian_rows):
        raise ValueError("the Hessian must be a square matrix")
    with flint.ctx.workprec(prec):
        vals = [flint.arb(v) for v in point]
        entries = [[None] * n for _ in range(n)]
        for i in range(n):
            for j in range(i, n):
                entries[i][j] = entries[j][i] = hessian_rows[i][j].arb(vals)
        charpoly = flint.arb_mat(entries).charpoly()
        return inertia_from_charpoly(charpoly.coeffs())
