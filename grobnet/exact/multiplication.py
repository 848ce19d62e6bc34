"""Multiplication matrices of a zero-dimensional quotient ring over GF(p).

For a zero-dimensional ideal ``I`` with Groebner basis ``G`` mod p, the
standard monomials ``b_0 = 1 < b_1 < ... < b_{D-1}`` (the normal set, from the
leading monomials) are a basis of ``A = GF(p)[x]/I``, ``D`` being the degree.
Multiplication by ``x_i`` is the ``D x D`` matrix ``M_i`` whose column ``j``
holds the coordinates of ``NF(x_i * b_j)``: so ``M_i @ coords(f) =
coords(NF(x_i f))``.

Only the "border" products ``x_i * b_j`` that are not themselves standard need
a reduction; they go to the backend's batch ``normal_forms`` in one call.
Matrices are python-flint ``nmod_mat`` (dense, C arithmetic).
"""
from __future__ import annotations

import flint
import numpy as np

from grobnet.common.arrays import sorted_unique
from grobnet.engine.modp import leading_monomials, normal_forms
from grobnet.exact.hilbert import standard_monomials

__all__ = ["QuotientRing", "RingLayout", "quotient_ring", "ring_layout"]


class QuotientRing:
    """``GF(p)[x]/I`` for a zero-dimensional ``I``: its normal set and multiplication matrices.

    ``monomials[j]`` is the exponent tuple of basis element ``b_j`` (increasing in
    the order, ``b_0 = 1``).  ``arrays[i]`` is ``M_{x_i}`` as an ``int64`` numpy
    array with entries in ``[0, p)``; ``matrices[i]`` the same as an ``nmod_mat``
    (built on first use: the RUR fast path only needs ``M_t`` and column 0).
    ``form_array``: ``(form, M_t)`` when only one linear form's matrix was built
    (``quotient_ring(form=...)``; ``arrays`` is then all ``None``).
    """

    def __init__(self, modulus, nvars, order, monomials, arrays, variable_coords=None,
                 form_array=None):
        self.modulus = int(modulus)
        self.nvars = int(nvars)
        self.order = order
        self.monomials = list(monomials)
        self.arrays = arrays
        self.index = {m: j for j, m in enumerate(self.monomials)}
        self._matrices = None
        if variable_coords is None:
            variable_coords = [A[:, 0] for A in arrays]
        self.variable_coords = variable_coords
        self.form_array = form_array

    @property
    def complete(self) -> bool:
        """Whether every ``M_{x_i}`` was built (see ``quotient_ring(variables=...)``)."""
        return all(A is not None for A in self.arrays)

    def _array(self, i: int) -> np.ndarray:
        A = self.arrays[i]
        if A is None:
            raise ValueError(f"M_x{i} was not built (quotient_ring(variables=...) left it out)")
        return A

    @property
    def dimension(self) -> int:
        """``D = dim A``, the number of solutions counted with multiplicity."""
        return len(self.monomials)

    @property
    def matrices(self) -> list:
        """``[M_{x_0}, ..., M_{x_{n-1}}]`` as ``nmod_mat``."""
        if self._matrices is None:
            self._matrices = [flint.nmod_mat(self._array(i).tolist(), self.modulus)
                              for i in range(self.nvars)]
        return self._matrices

    def array_of_linear_form(self, coeffs) -> np.ndarray:
        """``M_t`` for ``t = sum coeffs[i] * x_i`` (integer coefficients), int64 in ``[0, p)``."""
        p = self.modulus
        if self.form_array is not None and \
                self.form_array[0] == tuple(int(c) % p for c in coeffs):
            return self.form_array[1]
        acc = np.zeros((self.dimension, self.dimension), dtype=np.int64)
        for i, c in enumerate(coeffs):
            c = int(c) % p
            if c:
                acc = (acc + c * self._array(i)) % p      # c * A < 2^62 and acc < 2^31: no overflow
        return acc

    def matrix_of_linear_form(self, coeffs) -> flint.nmod_mat:
        """``M_t`` for ``t = sum coeffs[i] * x_i`` as an ``nmod_mat``."""
        return flint.nmod_mat(self.array_of_linear_form(coeffs).tolist(), self.modulus)

    def coordinates_of_variable(self, i: int) -> list:
        """``coords(NF(x_i))`` as a list of ``D`` ints (column 0 of ``M_{x_i}``)."""
        return [int(v) for v in self.variable_coords[i]]

    def unit(self, j: int) -> flint.nmod_mat:
        """The coordinate column of ``b_j``."""
        v = flint.nmod_mat(self.dimension, 1, self.modulus)
        v[j, 0] = 1
        return v

    def __repr__(self):
        return (f"QuotientRing(GF({self.modulus}), {self.nvars} variables, order={self.order!r}, "
                f"dimension {self.dimension})")


class ModMatVec:
    """``v -> A v mod p`` for an int64 matrix with entries in ``[0, p)``, ``p < 2^31``, in numpy.

    ``A`` is split as ``A_hi 2^16 + A_lo`` so that every int64 dot product stays
    below ``2^63`` for dimensions below ``2^15``.  (Integer matrix-vector products
    avoid BLAS thread start-up, which dominated float64 limb versions here.)
    """

    def __init__(self, A: np.ndarray, p: int):
        if A.shape[0] >= 1 << 15:
            raise OverflowError("ModMatVec supports dimensions below 2^15")
        A = np.asarray(A, dtype=np.int64)
        self.p = int(p)
        self.lo = A & 0xFFFF
        self.hi = A >> 16

    def __call__(self, v: np.ndarray) -> np.ndarray:
        p = self.p
        return ((self.hi @ v) % p * 65536 + self.lo @ v) % p


def _keys(exps, weights):
    return np.asarray(exps, dtype=np.int64) @ weights


def _border_normal_forms(basis, layout, nvars, modulus, order, blocks, backend) -> list:
    """``NF(m)`` for every border monomial ``m`` as ``(exps, coeffs)``, in layout order.

    A border monomial that is the leading monomial of an element ``g`` of the
    reduced basis has ``NF(m) = m - g``: minus the tail of ``g``, whose terms are
    standard.  For the multiplication by one variable that is nearly every border
    monomial; only the others go to the backend's ``normal_forms``.
    """
    p = int(modulus)
    bases = layout.bases
    heads = {}
    for k, (exps, coeffs) in enumerate(basis):
        lm = np.asarray(exps[0], dtype=np.int64)
        if len(coeffs) and int(coeffs[0]) == 1 and (lm < bases).all():
            heads[int(lm @ layout.weights)] = k
    forms = [None] * len(layout.border_keys)
    rest = []
    for j, key in enumerate(layout.border_keys.tolist()):
        k = heads.get(key)
        if k is None:
            rest.append(j)
            continue
        exps, coeffs = basis[k]
        tail = np.asarray(coeffs[1:], dtype=np.int64)
        forms[j] = (np.asarray(exps)[1:], (p - tail) % p)
    if rest:
        computed = normal_forms(basis, [layout.border_polys[j] for j in rest], nvars, modulus,
                                order=order, blocks=blocks, backend=backend)
        for j, form in zip(rest, computed):
            forms[j] = form
    return forms


def quotient_ring(basis, nvars: int, modulus: int, order: str = "grevlex", blocks=None,
                  backend="auto", limit: int = 100_000, monomials=None,
                  variables=None, layout: RingLayout | None = None,
                  form=None) -> QuotientRing:
    """Normal set and multiplication matrices of the variables from a reduced GB mod p.

    ``basis``: the engine's reduced basis (list of ``(exps, coeffs)``);
    ``monomials``: its normal set if already known (e.g. from another prime with
    the same leading monomials).  ``variables``: indices of the matrices to build
    (default all); the others are left ``None`` in ``arrays`` (only their
    coordinate columns ``coords(NF(x_i))`` are computed), which saves most of the
    normal forms when only ``M_t`` of a sparse linear form is needed.  ``form``:
    integer coefficients of a linear form ``t`` whose variables are all built;
    then only ``M_t`` is assembled (kept for :meth:`QuotientRing.array_of_linear_form`)
    and ``arrays`` stays ``None``: one ``D x D`` array instead of one per variable.  Raises
    :class:`~grobnet.exact.hilbert.TooManyMonomials` if the ideal is not
    zero-dimensional (or the normal set exceeds ``limit``) and ``ValueError`` for
    the unit ideal (empty normal set).
    """
    if layout is None:
        if monomials is None:
            monomials = standard_monomials(leading_monomials(basis), nvars, limit=limit,
                                           order=order, blocks=blocks)
        layout = ring_layout(monomials, nvars, variables)
    mons, D, built, lookup = layout.monomials, layout.dimension, layout.built, layout.lookup
    mon_keys, weights = layout.mon_keys, layout.weights
    shifted_idx, outside, border_keys = layout.shifted_idx, layout.outside, layout.border_keys
    if form is not None:
        form = tuple(int(c) % modulus for c in form)
        if len(form) != nvars or any(c and i not in built for i, c in enumerate(form)):
            raise ValueError("form must have one coefficient per variable, nonzero only on "
                             "the built variables")
        Mt = np.zeros((D, D), dtype=np.int64)
        first_col = [np.zeros(D, dtype=np.int64) for _ in range(nvars)]

        def put(i, rows, cols, vals):     # (rows, cols) distinct for one variable
            if form[i]:
                Mt[rows, cols] = (Mt[rows, cols] + form[i] * vals) % modulus
            at0 = cols == 0
            first_col[i][rows[at0]] = vals[at0] if np.ndim(vals) else vals
    else:
        matrices_np = [np.zeros((D, D), dtype=np.int64) if i in built else None
                       for i in range(nvars)]

        def put(i, rows, cols, vals):
            matrices_np[i][rows, cols] = vals
    coords_np = [np.zeros(D, dtype=np.int64) for _ in range(nvars)]
    for i in range(nvars):
        idx = shifted_idx[i]
        if i not in built:
            if idx[0] >= 0:
                coords_np[i][idx[0]] = 1
            continue
        inside = np.nonzero(idx >= 0)[0]
        put(i, idx[inside], inside, 1)
    if len(border_keys):
        forms = _border_normal_forms(basis, layout, nvars, modulus, order, blocks, backend)
        lengths = np.array([len(c) for _, c in forms], dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        nonempty = [e for e, c in forms if len(c)]
        if nonempty:
            all_rows = lookup(_keys(np.concatenate(nonempty), weights))
            all_vals = np.concatenate([np.asarray(c, dtype=np.int64) for _, c in forms if len(c)])
        else:
            all_rows = all_vals = np.zeros(0, dtype=np.int64)
        if (all_rows < 0).any():
            raise ArithmeticError("a normal form contains a non-standard monomial: the "
                                  "basis is not a reduced Groebner basis")
        for i in range(nvars):
            js = outside[i]
            if not len(js):
                continue
            ks = np.searchsorted(border_keys, mon_keys[js] + weights[i])
            lens = lengths[ks]
            total = int(lens.sum())
            if not total:
                continue
            cols = np.repeat(js, lens)
            offs = np.arange(total) - np.repeat(np.cumsum(lens) - lens, lens)
            pos = np.repeat(starts[ks], lens) + offs
            if i in built:
                put(i, all_rows[pos], cols, all_vals[pos])
            else:
                coords_np[i][all_rows[pos]] = all_vals[pos]     # js == [0]: column 0 only
    if form is not None:
        coords = [first_col[i] if i in built else coords_np[i] for i in range(nvars)]
        ring = QuotientRing(modulus, nvars, order, mons, [None] * nvars, coords,
                            form_array=(form, Mt))
    else:
        coords = [matrices_np[i][:, 0] if i in built else coords_np[i] for i in range(nvars)]
        ring = QuotientRing(modulus, nvars, order, mons, matrices_np, coords)
    ring.layout = layout
    return ring


class RingLayout:
    """Everything of :func:`quotient_ring` that depends only on the normal set (and the
    variables whose matrices are built), not on the prime: monomial keys, the
    border and where each border normal form goes.  Reused across the primes of
    a multimodular run (they share their leading monomials)."""

    def __init__(self, monomials, nvars: int, variables=None):
        mons = [tuple(m) for m in monomials]
        if not mons:
            raise ValueError("the ideal is the whole ring (no solutions): no quotient to represent")
        D = len(mons)
        M = np.array(mons, dtype=np.int64).reshape(D, nvars)
        bases = M.max(axis=0) + 2
        weights = np.ones(nvars, dtype=np.int64)
        for i in range(1, nvars):
            weights[i] = weights[i - 1] * bases[i - 1]
        if float(np.prod(bases.astype(float))) > 2.0 ** 62:
            raise OverflowError("normal set too spread out to index monomials in 64 bits")
        if variables is not None and any(mons[0]):
            raise ValueError("the normal set must start with the monomial 1")
        self.monomials, self.dimension, self.nvars = mons, D, nvars
        self.weights = weights
        self.bases = bases
        self.mon_keys = mon_keys = _keys(M, weights)
        self._order_idx = np.argsort(mon_keys)
        self._sorted_keys = mon_keys[self._order_idx]
        self.built = built = list(range(nvars)) if variables is None else \
            sorted({int(i) for i in variables})
        # variables whose matrix is not built still need coords(NF(x_i)) = M_{x_i} e_0:
        # their border is at most the single monomial x_i (b_0 = 1 has key 0)
        self.shifted_idx = [self.lookup(mon_keys + weights[i]) if i in built
                            else self.lookup(weights[i:i + 1]) for i in range(nvars)]
        self.outside = [np.nonzero(idx < 0)[0] for idx in self.shifted_idx]
        self.border_keys = sorted_unique(np.concatenate([mon_keys[js] + weights[i]
                                                         for i, js in enumerate(self.outside)]))
        # decode the border keys back into exponent vectors (mixed radix)
        B = np.zeros((len(self.border_keys), nvars), dtype=np.int64)
        rest = self.border_keys.copy()
        for i in range(nvars - 1, -1, -1):
            B[:, i] = rest // weights[i]
            rest = rest % weights[i]
        one = np.ones(1, dtype=np.uint32)
        self.border_polys = [(row.astype(np.int32).reshape(1, nvars), one) for row in B]

    def lookup(self, keys):
        """Index in the normal set of each key, -1 when not standard."""
        pos = np.searchsorted(self._sorted_keys, keys)
        pos = np.minimum(pos, self.dimension - 1)
        found = self._sorted_keys[pos] == keys
        return np.where(found, self._order_idx[pos], -1)

    def __repr__(self):
        return (f"RingLayout(dimension {self.dimension}, {self.nvars} variables, "
                f"{len(self.border_keys)} border monomials)")


def ring_layout(monomials, nvars: int, variables=None) -> RingLayout:
    """The prime-independent part of :func:`quotient_ring` (see :class:`RingLayout`)."""
    return RingLayout(monomials, nvars, variables)
