"""Vectorised evaluation of a square polynomial system and its Jacobian at many points.

The numerical route tracks hundreds of homotopy paths at once, so the system is
compiled once into arrays and then evaluated at ``P`` points per call:

* the monomials of every equation and of every partial derivative are collected
  and closed under a *parent* map (a monomial of degree ``d > 0`` is its parent,
  of degree ``d - 1``, times one variable), so all monomial values come from one
  vectorised multiplication per degree level -- about one complex product per
  monomial and point;
* every output entry (an equation value or a Jacobian entry) is a linear
  combination of monomial values: one real matrix product of the (real)
  coefficient matrix with the monomial values viewed as interleaved real and
  imaginary parts (measured faster than a sparse gather/segmented sum, and half
  the flops of a complex product).

Each equation is divided by the power of two nearest its largest absolute coefficient
(the solution set is unchanged) so that residuals of different equations are
comparable; a power of two keeps integer coefficients below 2^53 exact, which the
compiled tracker's double-double residuals rely on near ill-conditioned solutions.
"""
from __future__ import annotations

from typing import Dict, List, Sequence, Tuple

import numpy as np

__all__ = ["PolySystem"]

Poly = Dict[Tuple[int, ...], int]


class PolySystem:
    """A polynomial system ``F: C^n -> C^m`` compiled for batched evaluation.

    ``polys``: a list of ``{exponent tuple: coefficient}`` dicts (integers or floats),
    as produced by :func:`grobnet.engine.convert.integer_input`; ``nvars``: the number of
    variables (every exponent tuple must have this length).
    """

    def __init__(self, polys: Sequence[Poly], nvars: int):
        nvars = int(nvars)
        if nvars <= 0:
            raise ValueError(f"the number of variables must be positive, got {nvars}")
        polys = [{tuple(int(e) for e in m): c for m, c in dict(p).items()} for p in polys]
        if not polys:
            raise ValueError("no polynomials given")
        for i, p in enumerate(polys):
            for m in p:
                if len(m) != nvars:
                    raise ValueError(f"polynomial {i} has an exponent vector of length {len(m)}, "
                                     f"but nvars = {nvars}")
                if min(m) < 0:
                    raise ValueError(f"polynomial {i} has a negative exponent {m}")
        self.nvars = nvars
        self.neqs = len(polys)
        # scale each equation by the power of two nearest its largest coefficient (exact)
        biggest = np.array([max((abs(float(c)) for c in p.values() if c), default=1.0)
                            for p in polys])
        if np.any(biggest == 0) or not np.all(np.isfinite(biggest)):
            raise ValueError("a polynomial has non-finite coefficients")
        self.scales = np.exp2(np.round(np.log2(biggest)))
        # output rows: equation i -> row i; d F_i / d x_j -> row m + i * n + j
        rows: List[Dict[Tuple[int, ...], float]] = []
        for i, p in enumerate(polys):
            s = self.scales[i]
            rows.append({m: float(c) / s for m, c in p.items() if c})
        for i, p in enumerate(polys):
            s = self.scales[i]
            for j in range(nvars):
                d: Dict[Tuple[int, ...], float] = {}
                for m, c in p.items():
                    if c and m[j] > 0:
                        mm = m[:j] + (m[j] - 1,) + m[j + 1:]
                        d[mm] = d.get(mm, 0.0) + float(c) * m[j] / s
                rows.append(d)
        # monomials, closed under the parent map (drop one unit of the first variable present)
        monos = set()
        for r in rows:
            monos.update(r)
        stack = list(monos)
        while stack:
            m = stack.pop()
            if sum(m) == 0:
                continue
            j = next(k for k, e in enumerate(m) if e)
            par = m[:j] + (m[j] - 1,) + m[j + 1:]
            if par not in monos:
                monos.add(par)
                stack.append(par)
        monos.add((0,) * nvars)
        order = sorted(monos, key=lambda m: (sum(m), m))
        index = {m: k for k, m in enumerate(order)}
        self.monomials = order
        self.degree = max(sum(m) for m in order)
        # per degree level: (target indices, parent indices, variable indices)
        self._levels = []
        for d in range(1, self.degree + 1):
            tgt, par, var = [], [], []
            for m in order:
                if sum(m) != d:
                    continue
                j = next(k for k, e in enumerate(m) if e)
                tgt.append(index[m])
                par.append(index[m[:j] + (m[j] - 1,) + m[j + 1:]])
                var.append(j)
            if tgt:
                self._levels.append((np.array(tgt), np.array(par), np.array(var)))
        # coefficient matrix (rows x monomials), real; applied to the monomial values viewed
        # as interleaved real/imaginary parts, which is one real matrix product
        A = np.zeros((len(rows), len(order)), dtype=np.float64)
        nterms = 0
        for r, d in enumerate(rows):
            for m, c in d.items():
                if c:
                    A[r, index[m]] += c
                    nterms += 1
        self._A = A
        self._A_F = np.ascontiguousarray(A[:self.neqs])
        self._nterms = nterms
        self._program = None

    def __repr__(self) -> str:
        return (f"PolySystem({self.neqs} equations in {self.nvars} variables, degree {self.degree}, "
                f"{len(self.monomials)} monomials, {self._nterms} terms with derivatives)")

    # ------------------------------------------------------------------
    def _monomial_values(self, xt: np.ndarray) -> np.ndarray:
        """Monomial values, shape ``(M, P)``, from points transposed ``xt`` (n x P)."""
        vals = np.empty((len(self.monomials), xt.shape[1]), dtype=np.complex128)
        vals[0] = 1.0
        for tgt, par, var in self._levels:
            vals[tgt] = vals[par] * xt[var]
        return vals

    def evaluate(self, x: np.ndarray, jacobian: bool = True):
        """``F(x)`` of shape ``(P, m)`` and, if ``jacobian``, ``J(x)`` of shape ``(P, m, n)``
        at the points ``x`` (shape ``(P, n)``, complex)."""
        x = np.asarray(x, dtype=np.complex128)
        if x.ndim != 2 or x.shape[1] != self.nvars:
            raise ValueError(f"points must have shape (P, {self.nvars}), got {x.shape}")
        P = x.shape[0]
        vals = self._monomial_values(np.ascontiguousarray(x.T))
        m, n = self.neqs, self.nvars
        A = self._A if jacobian else self._A_F
        out = (A @ vals.view(np.float64)).view(np.complex128)      # rows x P
        F = out[:m].T.copy()
        if not jacobian:
            return F
        J = out[m:].reshape(m, n, P).transpose(2, 0, 1).copy()
        return F, J

    def program(self) -> tuple:
        """The system as a monomial program for the compiled tracker (``csrc/track.h``):
        ``(nvars, parent, var, row_start, term_mono, term_coef)`` -- monomial ``k`` is
        monomial ``parent[k]`` times ``x[var[k]]`` (``parent[0] = -1``: the constant 1);
        output row ``r`` (``F_i`` for ``r = i``, ``dF_i/dx_j`` for ``r = n + i n + j``,
        scaled like :meth:`evaluate`) is the sum over its terms ``row_start[r] <= t <
        row_start[r + 1]`` of ``term_coef[t]`` times monomial ``term_mono[t]``.
        Needs a square system."""
        if self.neqs != self.nvars:
            raise ValueError(f"the compiled tracker needs a square system, got {self.neqs} "
                             f"equations in {self.nvars} variables")
        if self._program is None:
            index = {m: k for k, m in enumerate(self.monomials)}
            parent = np.full(len(self.monomials), -1, dtype=np.int32)
            var = np.zeros(len(self.monomials), dtype=np.int32)
            for k, m in enumerate(self.monomials):
                if k:
                    j = next(i for i, e in enumerate(m) if e)
                    parent[k] = index[m[:j] + (m[j] - 1,) + m[j + 1:]]
                    var[k] = j
            rows, cols = np.nonzero(self._A)            # row-major: rows non-decreasing
            row_start = np.zeros(self._A.shape[0] + 1, dtype=np.int64)
            np.cumsum(np.bincount(rows, minlength=self._A.shape[0]), out=row_start[1:])
            self._program = (self.nvars, parent, var, row_start, cols.astype(np.int32),
                             np.ascontiguousarray(self._A[rows, cols]))
        return self._program

    def values(self, x: np.ndarray) -> np.ndarray:
        """``F(x)``, shape ``(P, m)`` (scaled equations)."""
        return self.evaluate(x, jacobian=False)
