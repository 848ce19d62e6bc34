"""Evaluate one rational polynomial: exactly, on balls, and on many float points.

Three number kinds, one evaluator: *exact* values at rational points (python-flint's
own evaluation), *certified* enclosures on boxes (ball arithmetic with ``arb`` or
``acb``: the result contains the polynomial's value at every point of the box), and
fast *float* values at many points at once (numpy).  :class:`PolyEvaluator` compiles
an ``fmpq_mpoly``/``fmpz_mpoly`` once into exponent/coefficient arrays and serves all
three; :func:`evaluate_on_box` is the one-off ball evaluation.  (Square systems with
their Jacobians, evaluated at many complex points or boxes at once, are the numeric
layer's own kernels.)
"""
from __future__ import annotations

from typing import Sequence

import flint
import numpy as np

__all__ = ["PolyEvaluator", "evaluate_on_box", "gradient_polys", "hessian_polys"]


class PolyEvaluator:
    """A compiled rational polynomial in ``nvars`` variables.

    ``exact(point)`` is the exact rational value; ``ball(values)`` (alias ``arb``)
    evaluates with ball arithmetic, real (``arb``) or complex (``acb``) as the input
    balls are (the result contains the exact value for every point of the balls);
    ``floats(points)`` evaluates at the rows of a float array, vectorised.
    """

    def __init__(self, poly):
        self.poly = poly
        terms = list(poly.terms())
        self.nvars = poly.context().nvars()
        self.exps = np.array([e for e, _ in terms], dtype=np.int64).reshape(len(terms), self.nvars)
        self.coeffs = [flint.fmpq(c) for _, c in terms]
        self._float_coeffs = None           # built by floats() (huge coefficients: inf)
        self._maxdeg = self.exps.max(axis=0) if len(terms) else np.zeros(self.nvars, dtype=np.int64)

    def __repr__(self):
        return f"PolyEvaluator({len(self.coeffs)} terms in {self.nvars} variables)"

    def exact(self, point: Sequence):
        """The exact value at a point of rationals (ints, ``fmpq``, ``Fraction``)."""
        if len(point) != self.nvars:
            raise ValueError(f"expected {self.nvars} values, got {len(point)}")
        return self.poly(*[flint.fmpq(getattr(v, "numerator", v), getattr(v, "denominator", 1))
                           if not isinstance(v, (flint.fmpq, flint.fmpz, int)) else v
                           for v in point])

    def ball(self, values: Sequence):
        """Ball enclosure of the polynomial over the balls ``values`` (at the current
        precision): ``acb`` if any value is complex, else ``arb``."""
        if len(values) != self.nvars:
            raise ValueError(f"expected {self.nvars} values, got {len(values)}")
        kind = flint.acb if any(isinstance(v, (flint.acb, complex)) for v in values) \
            else flint.arb
        vals = [v if isinstance(v, kind) else kind(v) for v in values]
        powers = []
        for v, d in zip(vals, self._maxdeg):
            row = [kind(1)]
            for _ in range(int(d)):
                row.append(row[-1] * v)
            powers.append(row)
        total = kind(0)
        for exp, c in zip(self.exps, self.coeffs):
            term = kind(c)
            for i, e in enumerate(exp):
                if e:
                    term *= powers[i][e]
            total += term
        return total

    arb = ball

    def floats(self, points) -> np.ndarray:
        """Values at the rows of ``points`` (shape ``(n, nvars)`` or ``(nvars,)``)."""
        if self._float_coeffs is None:
            self._float_coeffs = np.array([_to_float(c) for c in self.coeffs], dtype=float)
        pts = np.asarray(points, dtype=float)
        single = pts.ndim == 1
        pts = np.atleast_2d(pts)
        if pts.shape[1] != self.nvars:
            raise ValueError(f"points must have {self.nvars} columns, got shape {pts.shape}")
        if not len(self.coeffs):
            out = np.zeros(pts.shape[0])
        else:
            # (n, terms): product over variables of x_i ** e_i
            monos = np.prod(pts[:, None, :] ** self.exps[None, :, :], axis=2)
            out = monos @ self._float_coeffs
        return out[0] if single else out


def _to_float(c) -> float:
    """``float(c)`` for an ``fmpq``, +-inf beyond the float range (not an exception)."""
    try:
        return float(c)
    except OverflowError:
        return float("inf") if c > 0 else float("-inf")


def evaluate_on_box(poly, box: Sequence):
    """Enclosure of an ``fmpq_mpoly``/``fmpz_mpoly`` over a box of ``arb`` (or ``acb``)
    balls: a solution inside the box forces the result to contain 0."""
    return PolyEvaluator(poly).ball(list(box))


def gradient_polys(poly) -> list:
    """Partial derivatives of ``poly`` with respect to every variable, in order."""
    return [poly.derivative(i) for i in range(poly.context().nvars())]


def hessian_polys(poly) -> list:
    """The symmetric matrix (list of rows) of second partial derivatives of ``poly``."""
    grad = gradient_polys(poly)
    n = len(grad)
    rows = [[None] * n for _ in range(n)]
    for i in range(n):
        for j in range(i, n):
            rows[i][j] = rows[j][i] = grad[i].derivative(j)
    return rows
