"""Rational univariate representation (RUR) of a zero-dimensional ideal, mod p and over Q.

For a separating linear form ``t = sum c_i x_i`` (distinct values at distinct
solutions) the RUR is

    f(T) = prod_alpha (T - t(alpha))                       (square-free, degree d)
    g_v(T) = sum_alpha mu_alpha v(alpha) prod_{beta != alpha} (T - t(beta))
    x_i(alpha) = g_{x_i}(t(alpha)) / g_1(t(alpha)),

``d`` being the number of distinct solutions and ``mu_alpha`` the multiplicities
(Rouillier 1999).  It is unique given ``t``, so its images mod p of lucky
primes lift to Q by CRT and rational reconstruction.  For a radical ideal
``g_1 = f'``.

Computation mod p, from the multiplication matrices (:mod:`.multiplication`):

* fast path (radical ideal, ``t`` separating): the minimal polynomial of ``M_t``
  has degree ``D = dim A`` and is square-free.  This is the separation test
  used first: ``D`` distinct eigenvalues of ``M_t`` means ``D`` distinct
  solutions, all separated by ``t``.  Then ``1, t, ..., t^(D-1)`` is a basis of
  ``A``, the Krylov system ``K h_i = coords(x_i)`` gives ``x_i = h_i(t)``, and
  ``g_{x_i} = h_i f' mod f``, ``g_1 = f'``.
* general path (multiple solutions): ``d`` is the rank of the Hermite trace
  matrix ``H_jk = Tr(M_{b_j b_k})`` (characteristic 0 or p large), ``t`` is
  separating iff ``deg sqfree(minpoly(M_t)) == d`` (minimal polynomial from
  the Krylov sequence of ``1``), and with the trace vector
  ``tau_j = Tr(M_{b_j})`` the numerators are
  ``g_v(T) = sum_{i<d} Tr(M_{v t^i}) Q_i(T)``, ``Q_i = sum_{k>i} a_k T^(k-i-1)``
  for ``f = sum a_k T^k``.

The separating form is chosen mod p on the first prime: single variables first
(last variable first; few variables keep the lifted RUR small and each prime
cheap), then sums of two variables, then random forms with small distinct integer
coefficients (:func:`candidate_forms`); each is tested by the degree of a
Krylov sequence's minimal polynomial, which rejects a form taking few values
early (:func:`separates`).
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass

import flint
import numpy as np

from grobnet.engine.modp import (berlekamp_massey, krylov_solve, power_projections,
                                 sequence_degree)
from grobnet.errors import TimeoutExceeded
from grobnet.exact.multimodular import DenseImage
from grobnet.exact.multiplication import ModMatVec, QuotientRing

__all__ = ["ModularRUR", "NotSeparating", "rur_modp", "candidate_forms", "separates", "dense_columns",
           "choose_separating_form", "distinct_solution_count", "trace_vector"]


class NotSeparating(ValueError):
    """The linear form takes the same value at two distinct solutions (mod p)."""


@dataclass
class ModularRUR:
    """The RUR modulo one prime; polynomials are ``nmod_poly``.

    ``elim`` monic square-free of degree ``n_solutions``; ``denominator`` = g_1;
    ``numerators[i]`` = g_{x_i}.  ``degree`` is ``dim A`` (with multiplicity).
    """

    modulus: int
    linear_form: tuple
    elim: flint.nmod_poly
    denominator: flint.nmod_poly
    numerators: list
    degree: int
    n_solutions: int
    path: str

    @property
    def radical(self) -> bool:
        return self.degree == self.n_solutions

    def as_image(self):
        """``[elim, (denominator,) *numerators]`` as one dense residue vector (for
        lifting).  For a radical ideal the denominator is ``elim'``, over Q as well,
        and is not lifted."""
        d = self.n_solutions
        parts = [np.array([int(c) for c in self.elim.coeffs()], dtype=np.int64)]
        others = self.numerators if self.radical else [self.denominator, *self.numerators]
        for poly in others:
            v = np.zeros(d, dtype=np.int64)
            c = [int(x) for x in poly.coeffs()]
            v[:len(c)] = c
            parts.append(v)
        return DenseImage([d + 1] + [d] * len(others), np.concatenate(parts))

    def as_dicts(self) -> list:
        """``[elim, denominator, *numerators]`` as ``{(k,): residue}`` dicts (for lifting)."""
        out = []
        for poly in [self.elim, self.denominator, *self.numerators]:
            out.append({(k,): int(c) for k, c in enumerate(poly.coeffs()) if int(c)})
        return out


# ------------------------------------------------------------------ linear algebra
def _row(D, j, p):
    r = flint.nmod_mat(1, D, p)
    r[0, j] = 1
    return r


def trace_vector(ring: QuotientRing) -> flint.nmod_mat:
    """``tau`` (a ``1 x D`` row): ``tau_j = Tr(M_{b_j})``.

    Uses ``Tr(M_{b_j}) = sum_k [NF(b_j b_k)]_k = sum_k (e_k^T M_{b_k})_j``:
    the rows ``e_k^T M_{b_k}`` are products of ``deg(b_k)`` multiplication matrices.
    """
    D, p = ring.dimension, ring.modulus
    tau = flint.nmod_mat(1, D, p)
    for k, m in enumerate(ring.monomials):
        r = _row(D, k, p)
        for i, e in enumerate(m):
            for _ in range(e):
                r = r * ring.matrices[i]
        tau = tau + r
    return tau


def _hermite_rank(ring: QuotientRing, tau) -> int:
    """Rank of ``H_jk = Tr(M_{b_j b_k})``: the number of distinct solutions."""
    p = ring.modulus
    rows = {}
    for j, m in enumerate(ring.monomials):      # increasing order: a parent comes first
        if j == 0:
            rows[m] = tau
            continue
        i = next(i for i in range(len(m) - 1, -1, -1) if m[i])
        parent = m[:i] + (m[i] - 1,) + m[i + 1:]
        rows[m] = rows[parent] * ring.matrices[i]
    H = flint.nmod_mat([[int(x) for x in rows[m].entries()] for m in ring.monomials], p)
    return H.rank()


def distinct_solution_count(ring: QuotientRing) -> int:
    """Number of distinct solutions (rank of the Hermite trace form mod p)."""
    return _hermite_rank(ring, trace_vector(ring))


def _sqfree(f: flint.nmod_poly) -> flint.nmod_poly:
    g = f.gcd(f.derivative())
    return f if g.degree() == 0 else f // g


def _monic(f: flint.nmod_poly) -> flint.nmod_poly:
    lc = int(f.leading_coefficient())
    return f if lc == 1 else f * pow(lc, -1, f.modulus())


# ------------------------------------------------------------------ one prime
def _fast_path(ring: QuotientRing, form, Mt: np.ndarray) -> ModularRUR | None:
    """Radical + separating test and RUR by the Krylov basis ``1, t, ..., t^(D-1)``.

    ``K = [e_0, M_t e_0, ..., M_t^(D-1) e_0]`` is invertible iff the minimal
    polynomial of ``M_t`` has degree ``D``; then one solve ``K [c | h_1 .. h_n] =
    [M_t^D e_0 | coords(x_1) .. coords(x_n)]`` gives the characteristic polynomial
    ``f = T^D - sum c_k T^k`` and ``x_i = h_i(t)``.
    """
    D, p = ring.dimension, ring.modulus
    X = np.vstack([ring.variable_coords[i] for i in range(ring.nvars)])
    S = krylov_solve(Mt, X, p)            # C core: Krylov basis and one elimination
    if S is None:
        return None                      # K singular: minpoly of M_t has degree < D
    f = flint.nmod_poly([(p - int(c)) % p for c in S[0]] + [1], p)
    fp = f.derivative()
    if f.gcd(fp).degree() != 0:
        return None                      # a repeated eigenvalue: not radical or not separating
    nums = []
    for i in range(ring.nvars):
        h = flint.nmod_poly(S[i + 1].tolist(), p)
        nums.append((h * fp) % f)
    return ModularRUR(p, tuple(form), f, fp, nums, D, D, "krylov")


#: The power-projection route is used when at most this fraction of the columns of
#: ``M_t`` are dense (its ``2D`` products then cost less than the Krylov solve).
SEQUENCE_DENSITY = 0.5


def dense_columns(Mt: np.ndarray) -> int:
    """Number of columns of ``M_t`` that are not unit vectors (the cost of a product)."""
    nonzero = np.count_nonzero(Mt, axis=0)
    unit = (nonzero == 1) & (Mt.max(axis=0) == 1)
    return int(Mt.shape[1] - np.count_nonzero(unit))


def _random_vector(n: int, p: int) -> np.ndarray:
    """``n`` pseudo-random residues mod ``p`` seeded by ``p`` (splitmix64 in numpy:
    reproducible, and no ``numpy.random`` import on the first call of a process)."""
    with np.errstate(over="ignore"):
        z = (np.arange(1, n + 1, dtype=np.uint64) + np.uint64(p)) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z ^= z >> np.uint64(31)
    return (z % np.uint64(p)).astype(np.int64)


def _sequence_path(ring: QuotientRing, form, Mt: np.ndarray) -> ModularRUR | None:
    """The RUR from power projections (the Wiedemann / sparse-FGLM route).

    For a random functional ``lambda(a) = r . coords(a)``: ``s_k = lambda(t^k)``
    (``k < 2D``) has minimal polynomial ``f`` (Berlekamp-Massey), of degree ``D``
    iff ``t`` separates the solutions of a radical ideal (for all but a fraction
    ``~D/p`` of the ``r``).  Writing ``lambda = sum_z c_z ev_z``, the polynomial
    part ``N_v`` of ``f(T) sum_k lambda(v t^k) T^(-k-1)`` is ``sum_z c_z v(z)
    f(T)/(T - t(z))``, so ``x_i = N_{x_i}/N_1`` at every root and the RUR
    numerators are ``N_{x_i} f' N_1^(-1) mod f``.  Costs ``2D`` sparse products
    with ``M_t`` and ``O(D^2)`` more, instead of the Krylov solve's ``D^3``.
    ``None`` when this ``r`` or form does not give degree ``D`` (the caller
    falls back to the Krylov solve, which decides).
    """
    D, p = ring.dimension, ring.modulus
    X = np.vstack([ring.variable_coords[i] for i in range(ring.nvars)])
    r = _random_vector(D, p)
    seq, proj = power_projections(Mt, r, X, p)
    coeffs = berlekamp_massey(seq, p)
    if len(coeffs) != D + 1:
        return None
    f = flint.nmod_poly(coeffs, p)
    fp = f.derivative()
    if f.gcd(fp).degree() != 0:
        return None

    # polynomial parts: N[m] = sum_k f_(m+k+1) s_k is coefficient D + m of f times the
    # reversed sequence (a middle product: one FLINT multiplication per polynomial)
    def part(values):
        return (f * flint.nmod_poly(values[::-1].tolist(), p)).right_shift(D)

    n1 = part(seq[:D])
    g, inv, _ = n1.xgcd(f)
    if g.degree() != 0:
        return None                       # an unlucky r: some c_z vanished
    scale = (fp * inv * pow(int(g.coeffs()[0]), -1, p)) % f
    nums = [(part(proj[i]) * scale) % f for i in range(ring.nvars)]
    return ModularRUR(p, tuple(form), f, fp, nums, D, D, "sequence")


def _krylov_columns(Mt, p: int, D: int) -> np.ndarray:
    """The Krylov vectors ``e_0, M_t e_0, ..., M_t^D e_0`` as the columns of a ``D x (D+1)`` array."""
    matvec = ModMatVec(Mt, p)
    cols = np.zeros((D, D + 1), dtype=np.int64)
    v = np.zeros(D, dtype=np.int64)
    v[0] = 1
    for k in range(D + 1):
        cols[:, k] = v
        v = matvec(v)
    return cols


def _krylov_minpoly(ring: QuotientRing, Mt_array: np.ndarray) -> flint.nmod_poly:
    """Minimal polynomial of ``M_t`` as the annihilator of ``e_0 = coords(1)``.

    ``1`` generates ``A`` as an ``A``-module, so ``g(M_t) e_0 = 0`` iff ``g(t) = 0``
    in ``A`` iff ``g(M_t) = 0``.  The first ``r`` Krylov vectors are independent and
    the next one is their combination given by the reduced echelon form.
    """
    D, p = ring.dimension, ring.modulus
    cols = _krylov_columns(Mt_array, p, D)
    r = flint.nmod_mat(cols.tolist(), p).rank()
    E, rank = flint.nmod_mat(cols[:, :r + 1].tolist(), p).rref()
    if rank != r:
        raise ArithmeticError("Krylov rank mismatch")
    # column r = sum_k E[k, r] * column k  (pivots are the first r columns)
    return flint.nmod_poly([(-int(E[k, r])) % p for k in range(r)] + [1], p)


def _trace_path(ring: QuotientRing, form, Mt, d: int, tau, Mt_array=None) -> ModularRUR:
    D, p = ring.dimension, ring.modulus
    if Mt_array is None:
        Mt_array = np.array([[int(x) for x in row] for row in Mt.tolist()], dtype=np.int64)
    f = _monic(_sqfree(_krylov_minpoly(ring, Mt_array)))
    if f.degree() != d:
        raise NotSeparating(f"linear form {tuple(form)} takes {f.degree()} values at {d} "
                            f"distinct solutions (mod {p})")
    a = [int(c) for c in f.coeffs()]           # a[0..d], a[d] = 1
    # Q_i(T) = sum_{k=i+1}^{d} a_k T^(k-i-1)
    Q = [flint.nmod_poly(a[i + 1:], p) for i in range(d)]
    # w_i = tau^T M_t^i ; Tr(M_{v t^i}) = w_i . coords(v)
    ws = []
    w = tau
    for _ in range(d):
        ws.append(w)
        w = w * Mt
    W = flint.nmod_mat([[int(x) for x in wi.entries()] for wi in ws], p)    # d x D
    V = flint.nmod_mat(D, ring.nvars + 1, p)
    V[0, 0] = 1
    for i in range(ring.nvars):
        col = ring.coordinates_of_variable(i)
        for r in range(D):
            V[r, i + 1] = col[r]
    S = W * V                                  # S[i, v] = Tr(M_{v t^i})
    polys = []
    for v in range(ring.nvars + 1):
        g = flint.nmod_poly([0], p)
        for i in range(d):
            s = int(S[i, v])
            if s:
                g = g + Q[i] * s
        polys.append(g)
    return ModularRUR(p, tuple(form), f, polys[0], polys[1:], D, d, "trace")


def rur_modp(ring: QuotientRing, form, n_solutions: int | None = None, tau=None) -> ModularRUR:
    """The RUR mod p for the linear form ``form`` (one integer per variable).

    ``n_solutions``: the number of distinct solutions if known (else the fast
    path is tried and, failing it, the Hermite rank is computed).  Raises
    :class:`NotSeparating` if ``form`` does not separate the solutions.
    """
    if len(form) != ring.nvars:
        raise ValueError(f"linear form has {len(form)} coefficients for {ring.nvars} variables")
    D = ring.dimension
    Mt_array = ring.array_of_linear_form(form)
    if n_solutions is None or n_solutions == D:
        r = None
        if dense_columns(Mt_array) <= SEQUENCE_DENSITY * D:
            r = _sequence_path(ring, form, Mt_array)
        if r is None:
            r = _fast_path(ring, form, Mt_array)
        if r is not None:
            return r
        if n_solutions == D:
            raise NotSeparating(f"linear form {tuple(form)} does not separate the {D} solutions "
                                f"(mod {ring.modulus})")
    if tau is None:
        tau = trace_vector(ring)
    if n_solutions is None:
        n_solutions = _hermite_rank(ring, tau)
        if n_solutions == D:
            raise NotSeparating(f"linear form {tuple(form)} does not separate the {D} solutions "
                                f"(mod {ring.modulus})")
    return _trace_path(ring, form, flint.nmod_mat(Mt_array.tolist(), ring.modulus), n_solutions,
                       tau, Mt_array)


# ------------------------------------------------------------ choosing the form
def candidate_forms(nvars: int, seed: int = 0, count: int = 40):
    """Linear forms to try, sparse ones first: the single variables (the last one
    first: the sparsest multiplication matrix and usually the smallest RUR), the
    sums ``x_{n-1} + x_j``, then random forms with distinct coefficients in
    ``[-k, k]`` (``k = max(2, n/2)``, then growing) alternating with the other sums
    ``x_i + x_j``.

    A form of few variables needs the multiplication matrices of those variables
    only and gives smaller coefficients (deep linear [2,2,2] net: 181 primes for
    ``x_0 + x_2`` against 233 for a random form of six variables); the separation
    test rejects a form that takes few values (symmetric systems: cyclic-n, where
    only random forms separate) after a fraction of its cost.
    """
    last = nvars - 1
    singles = [tuple(1 if j == i else 0 for j in range(nvars)) for i in range(last, -1, -1)]
    with_last = [tuple(1 if k in (last, j) else 0 for k in range(nvars))
                 for j in range(last - 1, -1, -1)]
    pairs = [tuple(1 if k in (i, j) else 0 for k in range(nvars))
             for i in range(last - 1, -1, -1) for j in range(i - 1, -1, -1)]
    rng = random.Random(seed)
    randoms, k = [], max(2, (nvars + 1) // 2)
    while len(randoms) < count:
        # distinct coefficients: a form with two equal ones is invariant under swapping
        # their variables, the symmetry of many systems (cyclic-n, hidden units)
        randoms.append(tuple(rng.sample(range(-k, k + 1), nvars)))
        if len(randoms) % 4 == 0:
            k = min(k + 1, 50)
    out = singles + with_last
    for i in range(max(len(pairs), len(randoms))):
        if i < len(randoms):
            out.append(randoms[i])
        if i < len(pairs):
            out.append(pairs[i])
    seen, uniq = set(), []
    for f in out:
        if any(f) and f not in seen:
            seen.add(f)
            uniq.append(f)
    return uniq


def separates(ring: QuotientRing, form, Mt: np.ndarray | None = None) -> bool:
    """Whether ``form`` takes ``D = dim A`` distinct values (a radical ideal, ``t``
    separating), from the minimal polynomial of the sequence ``r M_t^k e_0``
    (:func:`~grobnet.engine.modp.sequence_degree`): a form taking few values is
    rejected after about twice that many products.  A ``False`` can be wrong with
    probability about ``D/p`` (an unlucky ``r``); a ``True`` is not."""
    if Mt is None:
        Mt = ring.array_of_linear_form(form)
    D, p = ring.dimension, ring.modulus
    return sequence_degree(Mt, _random_vector(D, p), p) == D


def choose_separating_form(ring: QuotientRing, forms=None, seed: int = 0, radical_tries: int = 32,
                           deadline: float | None = None, timeout: float | None = None):
    """``(form, ModularRUR)`` for the first separating form of ``forms`` mod p.

    The first ``radical_tries`` forms (at least all single variables and sums with the
    last one) are tested assuming a radical ideal: :func:`separates` (minimal
    polynomial of ``M_t`` of degree ``D``, early exit), then the sequence or Krylov
    RUR, whose elimination polynomial must be square-free (FLINT's
    ``nmod_mat.minpoly`` is avoided, it is very slow on derogatory matrices, which
    is what a non-separating form gives).  If none passes, the
    number ``d`` of distinct solutions is computed once (Hermite rank) and the
    forms are tested against it.  ``deadline`` (a time.monotonic() value): raise
    :class:`~grobnet.errors.TimeoutExceeded` naming ``timeout`` once it passes.
    """
    forms = list(forms) if forms is not None else candidate_forms(ring.nvars, seed)
    D = ring.dimension
    # the structured forms come first: test them all under the radical assumption
    radical_tries = max(radical_tries, 2 * ring.nvars + 8)

    def check_time():
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutExceeded(f"timeout={timeout} s reached while choosing a separating form")

    for form in forms[:radical_tries]:
        check_time()
        Mt = ring.array_of_linear_form(form)
        if not separates(ring, form, Mt):
            continue
        r = None
        if dense_columns(Mt) <= SEQUENCE_DENSITY * D:
            r = _sequence_path(ring, form, Mt)
        if r is None:
            r = _fast_path(ring, form, Mt)
        if r is not None:
            return form, r
    tau = trace_vector(ring)
    d = _hermite_rank(ring, tau)
    for k, form in enumerate(forms):
        if d == D and k < radical_tries:
            continue
        check_time()
        try:
            if d == D:
                r = _fast_path(ring, form, ring.array_of_linear_form(form))
                if r is not None:
                    return form, r
                continue
            return form, rur_modp(ring, form, d, tau)
        except NotSeparating:
            continue
    raise NotSeparating(f"none of {len(forms)} linear forms separates the {d} distinct "
                        f"solutions mod {ring.modulus}")
