"""Certified solution boxes, shared by the exact and the numeric routes.

A solution is reported as a *box*: one ball per variable (python-flint ``arb`` for
real solutions, ``acb`` for complex ones) that provably contains exactly one
solution.  The exact route (real-root isolation of a RUR) and the hybrid route
(Krawczyk certification of numerical solutions) both produce these types, and the
helpers that decide when a box is narrow enough live here, with one rule.

Precision: python-flint's ball arithmetic reads the global ``flint.ctx.prec``;
:func:`working_precision` sets it for the duration of a computation and restores it
afterwards (not thread-safe; processes are the unit of parallelism).
"""
from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass

import flint

__all__ = ["RealSolution", "ComplexSolution", "working_precision", "PrecisionExhausted",
           "narrow", "exact_fmpq", "fmpq_of_arb_mid", "pairwise_disjoint"]


class PrecisionExhausted(ArithmeticError):
    """The interval refinement did not reach the requested accuracy within ``max_prec`` bits."""


@contextlib.contextmanager
def working_precision(prec: int):
    """Temporarily set python-flint's arb working precision (bits)."""
    old = flint.ctx.prec
    flint.ctx.prec = int(prec)
    try:
        yield
    finally:
        flint.ctx.prec = old


def exact_fmpq(a: "flint.arb") -> "flint.fmpq":
    """The value of an exact arb (a midpoint or a radius: a dyadic number) as a rational."""
    man, exp = (int(v) for v in a.man_exp())
    return flint.fmpq(man * 2 ** exp) if exp >= 0 else flint.fmpq(man, 2 ** (-exp))


def fmpq_of_arb_mid(a: "flint.arb") -> "flint.fmpq":
    """The midpoint of a ball as an exact rational."""
    return exact_fmpq(a.mid())


def narrow(a, digits: int) -> bool:
    """Whether the radius of ``a`` (arb, or acb: both parts) is at most
    ``10^-digits * max(1, |midpoint|)``, decided exactly.  The one rule for "refined
    to ``digits`` significant digits" of every certified box."""
    if isinstance(a, flint.acb):
        return narrow(a.real, digits) and narrow(a.imag, digits)
    if not a.is_finite():
        return False
    rad, mid = a.rad(), a.mid()
    if rad.is_zero():
        return True
    scale = max(flint.fmpq(1), abs(exact_fmpq(mid)))
    return exact_fmpq(rad) * flint.fmpz(10) ** digits <= scale


@dataclass(frozen=True)
class RealSolution:
    """One real solution, certified: the box ``intervals`` contains exactly one solution.

    ``intervals``: one ``arb`` per variable; ``t``: the interval of the separating
    form at this solution.
    """

    variables: tuple
    intervals: tuple
    t: "flint.arb"

    def midpoint(self, exact: bool = True) -> tuple:
        """Centre of the box: ``fmpq`` coordinates (``exact=True``) or floats."""
        if exact:
            return tuple(fmpq_of_arb_mid(a) for a in self.intervals)
        return tuple(float(a.mid()) for a in self.intervals)

    def floats(self) -> tuple:
        """The box centre as a tuple of Python floats."""
        return self.midpoint(exact=False)

    def as_dict(self, exact: bool = False) -> dict:
        """``{variable name: midpoint}``."""
        return dict(zip(self.variables, self.midpoint(exact=exact)))

    def __iter__(self):
        return iter(self.floats())

    def __len__(self):
        return len(self.intervals)

    def __getitem__(self, i):
        return self.intervals[i]

    def width(self) -> float:
        """Largest radius of the box (an upper bound, as a float)."""
        return max((float(a.rad()) for a in self.intervals), default=0.0)

    def disjoint(self, other: "RealSolution") -> bool:
        """Whether the two boxes do not intersect (some coordinate intervals are disjoint)."""
        return any(not a.overlaps(b) for a, b in zip(self.intervals, other.intervals))

    def __repr__(self):
        parts = ", ".join(f"{v}={a.str(12, radius=False)}"
                          for v, a in zip(self.variables, self.intervals))
        return f"RealSolution({parts}; box radius <= {self.width():.1e})"


@dataclass(frozen=True)
class ComplexSolution:
    """One complex solution in a box of ``acb`` intervals (one per variable)."""

    variables: tuple
    intervals: tuple
    t: "flint.acb"
    is_real: bool

    def midpoint(self) -> tuple:
        """Box centre as Python complex numbers."""
        return tuple(complex(a.mid()) for a in self.intervals)

    def disjoint(self, other: "ComplexSolution") -> bool:
        """Whether the two boxes do not intersect (some coordinate balls are disjoint)."""
        return any(not a.overlaps(b) for a, b in zip(self.intervals, other.intervals))

    def __repr__(self):
        parts = ", ".join(f"{v}={complex(a.mid()):.6g}" for v, a in zip(self.variables, self.intervals))
        return f"ComplexSolution({parts}{', real' if self.is_real else ''})"


def pairwise_disjoint(boxes) -> bool:
    """Whether no two of the boxes (Real- or ComplexSolution) intersect.

    Sorted by the lower end of the first coordinate's real part, each box is compared
    only with the boxes whose first-coordinate intervals can still meet it (a sweep),
    so well-separated sets cost O(n log n) instead of all pairs."""
    boxes = list(boxes)
    if len(boxes) < 2:
        return True

    def span(b):
        a = b.intervals[0]
        r = a.real if isinstance(a, flint.acb) else a
        # float() rounds to nearest: one step outward keeps the bounds outward
        return (math.nextafter(float(r.lower()), -math.inf),
                math.nextafter(float(r.upper()), math.inf))

    spans = sorted(((span(b), k) for k, b in enumerate(boxes)), key=lambda t: t[0][0])
    active: list = []
    for (lo, hi), k in spans:
        active = [(h, j) for h, j in active if h >= lo]
        for _, j in active:
            if not boxes[k].disjoint(boxes[j]):
                return False
        active.append((hi, k))
    return True
