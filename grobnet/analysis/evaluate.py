"""Evaluate rational polynomials on intervals (arb) and on many float points (numpy).

The analysis layer needs two kinds of evaluation of the loss, its gradient and its
Hessian: *certified* evaluation on the isolating boxes of critical points (ball
arithmetic with python-flint's ``arb``), and fast *float* evaluation on many points
(gradient descent, plots).  :class:`PolyEvaluator` compiles an ``fmpq_mpoly`` once
into exponent/coefficient arrays and serves both.
"""
from __future__ import annotations

from typing import Sequence

import flint
import numpy as np

__all__ = ["PolyEvaluator", "gradient_polys", "hessian_polys"]


class PolyEvaluator:
    """A compiled rational polynomial in ``nvars`` variables.

    ``arb(values)`` evaluates with ball arithmetic (the result contains the exact
    value for every point of the input balls); ``floats(points)`` evaluates at the
    rows of a float array, vectorised.
    """

    def __init__(self, poly):
        terms = list(poly.terms())
        self.nvars = poly.context().nvars()
        self.exps = np.array([e for e, _ in terms], dtype=np.int64).reshape(len(terms), self.nvars)
        self.coeffs = [flint.fmpq(c) for _, c in terms]
        self._float_coeffs = np.array([float(c) for c in self.coeffs], dtype=float)
        self._maxdeg = self.exps.max(axis=0) if len(terms) else np.zeros(self.nvars, dtype=np.int64)

    def __repr__(self):
        return f"PolyEvaluator({len(self.coeffs)} terms in {self.nvars} variables)"

    def arb(self, values: Sequence) -> "flint.arb":
        """Ball enclosure of the polynomial over the balls ``values`` (at the current precision)."""
        if len(values) != self.nvars:
            raise ValueError(f"expected {self.nvars} values, got {len(values)}")
        vals = [v if isinstance(v, flint.arb) else flint.arb(v) for v in values]
        powers = []
        for v, d in zip(vals, self._maxdeg):
            row = [flint.arb(1)]
            for _ in range(int(d)):
                row.append(row[-1] * v)
            powers.append(row)
        total = flint.arb(0)
        for exp, c in zip(self.exps, self.coeffs):
            term = flint.arb(c)
            for i, e in enumerate(exp):
                if e:
                    term *= powers[i][e]
            total += term
        return total

    def floats(self, points) -> np.ndarray:
        """Values at the rows of ``points`` (shape ``(n, nvars)`` or ``(nvars,)``)."""
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
