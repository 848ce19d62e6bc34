"""Certify approximate solutions of a square polynomial system with Krawczyk's test.

The hybrid route of :func:`grobnet.solve` takes the exact degree ``D`` of a
zero-dimensional ideal from a Groebner basis mod p and approximate complex
solutions from a numerical method (floating point, never trusted).  This module
turns each approximation into a proof, or rejects it:

1. **Polish.**  Newton's method in numpy ``complex128`` (all points at once),
   then the chord method (fixed float inverse Jacobian) with residuals in ``acb``
   at the working precision; Newton with ball Jacobians at doubling precisions
   when that fails.  A point whose certified solution lies further than
   ``max_move`` (relative) from the input approximation is rejected: it was not
   an approximation of that solution.
2. **Krawczyk.**  With ``y`` the polished point, ``Y`` ~ ``J(y)^-1`` (any matrix)
   and the box ``X = y + r * (square of half-side r in every coordinate)``,

       K(X) = y - Y F(y) + (I - Y J(X)) (X - y).

   Every solution in ``X`` lies in ``K(X)`` (mean value form; ``X`` is convex),
   and ``K(X)`` inside the interior of ``X`` proves that ``X`` holds **exactly one**
   solution and that ``J`` is nonsingular on ``X`` (Krawczyk 1969, Moore 1977,
   Rump's complex version): the solution is simple.  ``F(y)`` and ``J(X)`` are
   evaluated with ball arithmetic (python-flint ``acb``), so the test is rigorous.
   A multiple root is never certified: ``J`` is singular there.
3. **Real or not.**  If ``K(X)`` excludes 0 from the imaginary interval of some
   coordinate, the solution is not real.  Otherwise the same test runs in real
   ``arb`` arithmetic on a real box ``R`` inside ``X``: success proves a real
   solution in ``R``, and as ``X`` holds only one solution, it is that one.
   Points neither proven real nor proven non-real at the highest precision tried
   are listed in ``unclassified`` (they are certified solutions all the same).
4. **Distinct.**  Solution enclosures (``K(X)``, or the real ``K(R)``) are compared
   by sort and sweep: sorted on one coordinate (outward-rounded float bounds), each
   box meets only the following boxes that overlap it there, then all coordinates
   are compared (numpy), and overlaps are confirmed in arb.
   An enclosure inside another point's uniqueness box ``X`` is the same solution:
   a duplicate.  Overlaps that are neither are reported as ``ambiguous`` and the
   later point is not counted (so the count stays a proven lower bound).

**Fast path** (``fast=True``, the default; :func:`_certify_fast`).  The same proof,
cheaper.  For all points at once: Newton steps with ``F`` in double-double arithmetic
(untrusted) bring float centres ``y`` next to the solutions, and
:func:`grobnet.numeric.intervals.contraction_bounds` bounds ``|I - Y J(X)|`` over a
box ``X`` around each ``y`` in outward-rounded binary64 interval arithmetic (row sums
``<= 1/2`` required).  Then per point, in arb: one evaluation of ``F`` at the centre
gives Krawczyk's operator for every box inside ``X`` (the Jacobian term is bounded
by those row sums), so one evaluation proves ``X' = y +- r/2`` holds exactly one
solution (the uniqueness box) and a box a few times the Newton correction holds it
(the enclosure, narrow to ``digits``); chord steps repeat this while it is not narrow
yet.  Real or not: a point whose refined centre is (nearly) real is tested with a real
centre, so ``X'`` is closed under complex conjugation -- the system has real
coefficients, so its one solution equals its conjugate: real; otherwise an enclosure
excluding the real axis in some coordinate proves non-real.  Points the fast path
does not certify and classify take the arb path above; the verdicts mean the same.

So the ``n_certified`` solutions are pairwise distinct and each exists: when the
count equals the degree of the ideal, every solution was found (and all are
simple).  Widths tighten with the precision until every coordinate's radius is
below ``10^-digits`` relative to ``max(1, |value|)``.

Precision: python-flint's arb arithmetic reads the global ``flint.ctx.prec``;
:func:`grobnet.common.boxes.working_precision` sets it for the duration of a
computation (not thread-safe; processes are the unit of parallelism).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Sequence

import flint
import numpy as np

from grobnet.common.boxes import ComplexSolution, RealSolution, narrow, working_precision
from grobnet.engine.convert import integer_input
from grobnet.numeric import intervals
from grobnet.parallel import owned_executor

from .orbits import proven_elements, row_keys

__all__ = ["certify_solutions", "certify_orbits", "certify_system", "CertifiedSolutions",
           "SystemEvaluator", "krawczyk"]


# ------------------------------------------------------------------ evaluation
class SystemEvaluator:
    """``F`` and its Jacobian ``J`` of a square integer system, over points or boxes.

    All monomials of the system and of its first derivatives (the downward
    closure of the support) sit in one table ``t``, each the product of an
    earlier entry with one variable; ``F`` and ``J`` are then matrix products with
    integer coefficient matrices: ``F = C t`` (``n x M``) and, column by column,
    ``J[:, j] = D_j t_j`` over the ``M_j`` monomials of ``dF/dx_j`` (the stacked
    ``n^2 x M`` matrix would be ~98% zeros on network systems).  One Python
    multiplication per monomial, the rest in C.  The same tables serve numpy
    (``complex128``, many points at once; sparse products), ``acb`` (complex
    balls) and ``arb`` (real balls).
    """

    def __init__(self, int_polys: Sequence[dict], nvars: int):
        self.nvars = n = int(nvars)
        self.neqs = len(int_polys)
        support = set()
        for f in int_polys:
            support.update(f)
        closure = {(0,) * n}
        stack = list(support)
        while stack:
            m = stack.pop()
            if m in closure:
                continue
            closure.add(m)
            for v, e in enumerate(m):
                if e:
                    stack.append(m[:v] + (e - 1,) + m[v + 1:])
        monos = sorted(closure, key=lambda m: (sum(m), m))
        index = {m: i for i, m in enumerate(monos)}
        parents = []                    # (parent index, variable) for monomials 1..M-1
        for m in monos[1:]:
            v = next(v for v, e in enumerate(m) if e)
            parents.append((index[m[:v] + (m[v] - 1,) + m[v + 1:]], v))
        self.monomials = monos
        self.parents = parents
        C, D = {}, {}                   # sparse: (row, monomial index) -> integer coefficient
        for i, f in enumerate(int_polys):
            for m, c in f.items():
                c = int(c)
                key = (i, index[m])
                C[key] = C.get(key, 0) + c
                for j, e in enumerate(m):
                    if e:
                        key = (i * n + j, index[m[:j] + (e - 1,) + m[j + 1:]])
                        D[key] = D.get(key, 0) + c * e
        self._C = [(r, col, c) for (r, col), c in C.items() if c]
        self._D = [(r, col, c) for (r, col), c in D.items() if c]
        self._mats = {}
        # float path: sparse (row, column, coefficient) arrays sorted by row; no BLAS
        # (multithreaded BLAS is slow on these small products on a loaded machine)
        self._sparse_f = {}
        self.float_ok = True
        for name, entries, nrows in (("C", self._C, self.neqs), ("D", self._D, self.neqs * n)):
            entries = sorted(entries)
            rows = np.array([e[0] for e in entries], dtype=np.int64)
            cols = np.array([e[1] for e in entries], dtype=np.int64)
            try:
                coefs = np.array([float(e[2]) for e in entries], dtype=np.float64)
            except OverflowError:
                coefs = np.full(len(entries), np.inf)
            if not np.all(np.isfinite(coefs)):
                self.float_ok = False
            starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]]) if len(rows) else rows
            self._sparse_f[name] = (nrows, rows[starts] if len(rows) else rows, starts, cols,
                                    coefs)

    # -- balls -----------------------------------------------------------------
    def _matrices(self, kind):
        """Coefficient matrices as ``arb_mat``/``acb_mat`` (integers: exact), built once."""
        mats = self._mats.get(kind)
        if mats is None:
            Mat = flint.acb_mat if kind == "acb" else flint.arb_mat
            conv = flint.acb if kind == "acb" else flint.arb
            M = len(self.monomials)
            n, m = self.nvars, self.neqs
            bits = max((abs(c).bit_length() for _, _, c in self._C + self._D), default=1)
            with working_precision(bits + 8):          # integer entries stored exactly
                C = Mat(m, M)
                for r, col, c in self._C:
                    C[r, col] = conv(c)
                # column j of J: an m x M_j matrix over the M_j monomials of dF/dx_j
                columns = []
                for j in range(n):
                    entries = [(r // n, col, c) for r, col, c in self._D if r % n == j]
                    monos = sorted({col for _, col, _ in entries})
                    pos = {col: i for i, col in enumerate(monos)}
                    A = Mat(m, len(monos)) if monos else None
                    for i, col, c in entries:
                        A[i, pos[col]] = conv(c)
                    columns.append((monos, A))
            mats = (C, columns)
            self._mats[kind] = mats
        return mats

    def _interval_program(self):
        """The binary64 interval program (:mod:`grobnet.numeric.intervals`), or None
        when a coefficient exceeds the float range."""
        if "interval" not in self._mats:
            prog = intervals.IntervalProgram(self)
            self._mats["interval"] = prog if prog.usable else None
        return self._mats["interval"]

    def prepare(self):
        """Build the ball coefficient matrices now (else on first use)."""
        self._matrices("acb")
        self._matrices("arb")

    def table(self, xs: Sequence, kind: str = "acb") -> list:
        """Every monomial of the closure over the box ``xs`` (balls containing the ranges)."""
        table = [flint.acb(1) if kind == "acb" else flint.arb(1)]
        for p, v in self.parents:
            table.append(table[p] * xs[v])
        return table

    def values(self, xs: Sequence, kind: str = "acb", table=None):
        """``F`` over the box ``xs`` as an ``n x 1`` ball matrix (contains the exact range)."""
        Mat = flint.acb_mat if kind == "acb" else flint.arb_mat
        table = self.table(xs, kind) if table is None else table
        return self._matrices(kind)[0] * Mat(len(table), 1, table)

    def jacobian(self, xs: Sequence, kind: str = "acb", table=None):
        """``J`` over the box ``xs`` as an ``n x n`` ball matrix (contains the exact range)."""
        Mat = flint.acb_mat if kind == "acb" else flint.arb_mat
        table = self.table(xs, kind) if table is None else table
        flat = []
        for monos, A in self._matrices(kind)[1]:
            if A is None:
                flat.extend([table[0] * 0] * self.neqs)
            else:
                flat.extend((A * Mat(len(monos), 1, [table[c] for c in monos])).entries())
        return Mat(self.nvars, self.neqs, flat).transpose()

    def values_list(self, xs: Sequence, kind: str = "acb") -> list:
        """``F`` over the box ``xs`` as a list of balls: sparse sums over the terms
        (cheaper than :meth:`values` on one point; the same enclosure semantics)."""
        rows = self._mats.get("rows")
        if rows is None:
            rows = [([], []) for _ in range(self.neqs)]
            for r, col, c in self._C:
                rows[r][0].append(col)
                rows[r][1].append(flint.fmpz(c))
            # the monomials F needs, each with its chain of parents (not the whole
            # closure, which also serves the Jacobian): ~30% fewer products
            need = set()
            for _, col, _ in self._C:
                while col and col not in need:
                    need.add(col)
                    col = self.parents[col - 1][0]
            chain = [(m, self.parents[m - 1][0], self.parents[m - 1][1]) for m in sorted(need)]
            self._mats["rows"] = rows = (rows, chain)
        rows, chain = rows
        table = [flint.acb(1) if kind == "acb" else flint.arb(1)] * len(self.monomials)
        for m, p, v in chain:
            table[m] = table[p] * xs[v]
        zero = flint.acb(0) if kind == "acb" else flint.arb(0)
        out = []
        for cols, coefs in rows:
            acc = zero
            for col, c in zip(cols, coefs):
                acc = acc + table[col] * c
            out.append(acc)
        return out

    def evaluate(self, xs: Sequence, kind: str = "acb"):
        """``(F, J)`` over the box ``xs`` (``acb`` or ``arb`` per coordinate), as an
        ``n x 1`` and an ``n x n`` matrix of balls that contain the exact ranges."""
        table = self.table(xs, kind)
        return self.values(xs, kind, table), self.jacobian(xs, kind, table)

    # -- floats ----------------------------------------------------------------
    def _sparse_product(self, name, T):
        nrows, urows, starts, cols, coefs = self._sparse_f[name]
        out = np.zeros((nrows, T.shape[1]), dtype=np.complex128)
        if len(cols):
            out[urows] = np.add.reduceat(coefs[:, None] * T[cols], starts, axis=0)
        return out

    def evaluate_float(self, Z: np.ndarray):
        """``(F, J)`` at the rows of ``Z`` (``k x n`` complex): ``k x n`` and ``k x n x n``.
        In slices of rows whose temporaries stay below :data:`FLOAT_EVAL_BYTES` (the
        Jacobian's terms times the points: 6 GB for 33,000 points of an 11-variable net)."""
        k = Z.shape[0]
        widest = max(len(self.monomials), *(len(self._sparse_f[m][3]) for m in "CD"))
        rows = max(64, FLOAT_EVAL_BYTES // (16 * max(1, widest)))
        if k <= rows:
            return self._evaluate_float(Z)
        F = np.empty((k, self.neqs), dtype=np.complex128)
        J = np.empty((k, self.neqs, self.nvars), dtype=np.complex128)
        for s in range(0, k, rows):
            F[s:s + rows], J[s:s + rows] = self._evaluate_float(Z[s:s + rows])
        return F, J

    def _evaluate_float(self, Z: np.ndarray):
        k = Z.shape[0]
        T = np.empty((len(self.monomials), k), dtype=np.complex128)
        T[0] = 1.0
        for i, (p, v) in enumerate(self.parents, start=1):
            T[i] = T[p] * Z[:, v]
        F = self._sparse_product("C", T).T
        J = self._sparse_product("D", T).T.reshape(k, self.neqs, self.nvars)
        return F, J


#: bytes of the temporaries of one :meth:`SystemEvaluator.evaluate_float` slice
FLOAT_EVAL_BYTES = 1 << 26

# -------------------------------------------------------------------- results
@dataclass
class CertifiedSolutions:
    """The verdict of :func:`certify_solutions` on a list of approximations.

    ``complex``: one :class:`ComplexSolution` per distinct certified solution
    (real ones included, with ``is_real=True`` and exactly zero imaginary
    parts); ``indices[i]``: the input point that certified ``complex[i]``;
    ``uniqueness_boxes[i]``: the box (``acb`` per variable) proven to contain no
    other solution; ``real``: the :class:`RealSolution` boxes of the solutions
    proven real; ``unclassified``: positions in ``complex`` of solutions neither
    proven real nor non-real (``is_real=False`` there means "not proven real");
    ``rejected``: input indices not certified, with ``reasons``;
    ``duplicates``: ``(kept, dropped)`` input index pairs proven to be the same
    solution; ``ambiguous``: pairs whose boxes overlap but could not be proven
    equal or distinct (the second is not counted); ``elements[i]``: for
    :func:`certify_orbits`, the group element (row index, 0 = identity) mapping the
    certified representative ``indices[i]`` to solution ``i`` (0 throughout
    otherwise).  ``stats``: timings and counts (``orbits``, ``images`` and
    ``stabilised`` with a group: representatives certified, distinct boxes after
    mapping, images proven equal to another image of the same representative).
    """

    variables: tuple
    complex: list
    real: list
    indices: list
    uniqueness_boxes: list
    unclassified: list
    rejected: list
    reasons: dict
    duplicates: list
    ambiguous: list
    stats: dict = field(default_factory=dict)
    elements: list = field(default_factory=list)

    @property
    def n_certified(self) -> int:
        """Number of distinct solutions certified (pairwise disjoint enclosures)."""
        return len(self.complex)

    @property
    def n_real(self) -> int:
        return len(self.real)

    @property
    def real_complete(self) -> bool:
        """Whether every certified solution was classified as real or non-real."""
        return not self.unclassified

    def __len__(self):
        return len(self.complex)

    def __repr__(self):
        parts = [f"{self.n_certified} certified ({self.n_real} real, "
                 f"{self.n_certified - self.n_real - len(self.unclassified)} non-real"]
        if self.unclassified:
            parts[0] += f", {len(self.unclassified)} unclassified"
        parts[0] += ")"
        parts.append(f"{len(self.rejected)} rejected")
        parts.append(f"{len(self.duplicates)} duplicates")
        if self.ambiguous:
            parts.append(f"{len(self.ambiguous)} ambiguous")
        tm = self.stats.get("total_time")
        if tm is not None:
            parts.append(f"{tm:.2f} s")
        return f"CertifiedSolutions({len(self.variables)} variables: {', '.join(parts)})"


# ------------------------------------------------------------------ Krawczyk
def _ball(kind, r):
    """A ball centred at 0 with radius ``r`` (a square of half-side ``r`` for acb)."""
    b = flint.arb(0, r)
    return flint.acb(b, b) if kind == "acb" else b


def _identity(kind, n):
    Mat = flint.acb_mat if kind == "acb" else flint.arb_mat
    return Mat(n, n, [int(i == j) for i in range(n) for j in range(n)])


def krawczyk(ev: SystemEvaluator, y: Sequence, r, Fy, Y, kind: str = "acb",
             jac_prec: int | None = None):
    """Krawczyk's test on the box ``X = y + ball(r)`` (``r``: a float or exact arb).

    ``y``: exact centre (``acb``/``arb`` balls of radius 0); ``Fy``: ``F(y)`` as an
    ``n x 1`` ball matrix; ``Y``: any ``n x n`` matrix of the same kind (an
    approximate inverse of ``J(y)``); ``jac_prec``: precision (bits) for the term
    ``(I - Y J(X)) (X - y)``, which only needs to be small, not accurate (default:
    the current precision).  Returns ``(X, K)`` -- the box and the Krawczyk image,
    lists of balls -- when ``K`` lies in the interior of ``X`` (then ``X`` holds
    exactly one solution, it lies in ``K``, and ``J`` is nonsingular on ``X``),
    else ``None``.
    """
    n = ev.nvars
    Mat = flint.acb_mat if kind == "acb" else flint.arb_mat
    b = _ball(kind, r)
    X = [yi + b for yi in y]
    d = Mat(n, 1, [X[i] - y[i] for i in range(n)])
    centre = Mat(n, 1, list(y)) - Y * Fy
    with working_precision(jac_prec or flint.ctx.prec):
        JX = ev.jacobian(X, kind)
        Md = (_identity(kind, n) - Y * JX) * d
    K = (centre + Md).entries()
    if kind == "acb":
        ok = all(x.real.contains_interior(k.real) and x.imag.contains_interior(k.imag)
                 for x, k in zip(X, K))
    else:
        ok = all(x.contains_interior(k) for x, k in zip(X, K))
    return (X, K) if ok else None


def _upper(a):
    """An exact ``arb`` upper bound of ``|a|`` (a ball), or ``None`` when not finite.
    (``arb`` magnitudes, not floats: high precisions reach far below 1e-308.)"""
    u = a.abs_upper() if isinstance(a, flint.acb) else abs(a).upper()
    return u if u.is_finite() else None


def _max_upper(values):
    m = flint.arb(0)
    for v in values:
        u = _upper(v)
        if u is None:
            return None
        if u > m:
            m = u
    return m


def _scale(y):
    """``max(1, |y|_inf)`` as an exact arb, ``None`` if not finite."""
    m = _max_upper(y)
    return None if m is None else (m if m > 1 else flint.arb(1))


def _pow2(e: int) -> flint.arb:
    return flint.arb(2) ** int(e)


def _try_radii(ev, y, Fy, Y, kind, prec, jac_prec=None):
    """Krawczyk on boxes of growing radius around ``y``: ``(y, X, K)`` or ``None``.

    The radius starts at a few times the size of the Newton correction ``Y F(y)``
    (which bounds the distance to the solution when the test succeeds), floored
    at the noise of the working precision."""
    step, scale = _max_upper((Y * Fy).entries()), _scale(y)
    if step is None or scale is None:
        return None
    base = max(step, scale * _pow2(12 - prec))
    for factor in (4, 256):
        out = krawczyk(ev, y, base * factor, Fy, Y, kind, jac_prec)
        if out is not None:
            return y, out[0], out[1]
    return None


def _strayed(y, leash) -> bool:
    """Whether the iterate ``y`` left the ball ``leash = (anchor, radius)`` (or None)."""
    if leash is None:
        return False
    anchor, radius = leash
    return max(abs(complex(yi.mid()) - a) for yi, a in zip(y, anchor)) > radius


def _certify_chord(ev, y, Yf, kind, prec, max_iter, digits, rho=1.0, leash=None):
    """Fast path: the chord method (Newton with the fixed float approximate inverse
    ``Yf`` of the Jacobian) with residuals ``F(y)`` in ball arithmetic at ``prec``
    bits, then Krawczyk with ``Y = Yf`` and ``J(X)`` at 64 bits.

    Convergence is linear at a rate ``rho`` ~ cond(J) * 2^-53, estimated from
    successive steps (``rho`` is the initial guess).  The Krawczyk image has
    radius about ``rho * r`` for a box of radius ``r`` ~ the last step, so the
    iteration stops as soon as that is below ``10^-digits``, or at the
    precision's noise.  Returns ``(y, X, K, rho)`` or ``None`` (ill-conditioned
    points then go to :func:`_certify_newton`), also when an iterate leaves
    ``leash`` (``(anchor, radius)``: the input was no approximation of a solution)."""
    if Yf is None or not np.all(np.isfinite(Yf)):
        return None
    n = ev.nvars
    Mat = flint.acb_mat if kind == "acb" else flint.arb_mat
    Y = Mat(n, n, Yf.ravel().tolist())
    goal = _pow2(-math.ceil(digits * math.log2(10)) - 6 - n.bit_length())
    last = None
    F = None
    for _ in range(max_iter):
        F = ev.values(y, kind)
        delta = (Y * F).entries()
        step, scale = _max_upper(delta), _scale(y)
        if step is None or scale is None:
            return None
        if last is not None and last > 0:
            rho = max(float(step / last), 2.0 ** -52)
        if (step <= scale * _pow2(8 - prec) or step * flint.arb(rho) <= goal
                or (last is not None and step * 4 > last)):
            break
        last = step
        y = [(yi - di.mid()).mid() for yi, di in zip(y, delta)]
        if _strayed(y, leash):
            return None
        F = None
    if F is None:
        F = ev.values(y, kind)
    out = _try_radii(ev, y, F, Y, kind, prec, jac_prec=64)
    return None if out is None else out + (rho,)


def _certify_newton(ev, y, kind, prec, max_iter, leash=None):
    """Robust path: Newton with the Jacobian in ball arithmetic at ``prec`` bits, then
    Krawczyk with a ``prec``-bit approximate inverse: ``(y, X, K, 1.0)`` or ``None``
    (also when an iterate leaves ``leash``)."""
    last = None
    n = ev.nvars
    F = J = None
    for _ in range(max_iter):
        F, J = ev.evaluate(y, kind)
        try:
            delta = J.mid().solve(F.mid(), algorithm="approx").entries()
        except (ZeroDivisionError, ValueError):
            return None
        step, scale = _max_upper(delta), _scale(y)
        if step is None or scale is None:
            return None
        if step <= scale * _pow2(8 - prec) or (last is not None and step * 2 > last):
            break
        last = step
        y = [(yi - di).mid() for yi, di in zip(y, delta)]
        if _strayed(y, leash):
            return None
        F = None
    if F is None:
        F, J = ev.evaluate(y, kind)
    try:
        Y = J.mid().solve(_identity(kind, n), algorithm="approx")
    except (ZeroDivisionError, ValueError):
        return None
    out = _try_radii(ev, y, F, Y, kind, prec)
    return None if out is None else out + (1.0,)


def _contains_box(outer, inner) -> bool:
    return all(o.contains(i) for o, i in zip(outer, inner))


@dataclass
class _Point:
    """One certified point: uniqueness box ``X``, enclosure ``E`` (acb), real
    enclosure (arb) when proven real, whether classified, precision, centre."""
    index: int
    X: list
    E: list
    real: list | None
    classified: bool
    prec: int
    centre: list
    narrow: bool
    method: str
    radius: float = 0.0        # fast path: the kernel's radius r (X' = centre +- r/2)
    element: int = 0           # certify_orbits: the group element that made this image


def _images(certified: list, elements: np.ndarray) -> tuple:
    """Each certified point followed by its distinct images under the group elements
    (rows, identity first): the boxes permuted, ``(g X)_i = X_{g[i]}`` (see
    :func:`certify_orbits` for why they are certified).  Returns ``(points, same)``:
    ``same`` counts the images dropped as the same solution as an earlier image of the
    same point -- proven, not guessed: ``g E`` inside ``h X`` puts ``g x*`` in a box
    whose only solution is ``h x*``.  (A point fixed by a subgroup ``H`` has only
    ``|G|/|H|`` distinct images; without this step the distinctness check would meet
    ``|H|`` copies of each and compare them pairwise.)"""
    out, same = [], 0
    for pt in certified:
        mids = np.array([complex(e.mid()) for e in pt.E])
        C = mids[elements]                                   # image centres, |G| x n
        grid = 1e-8 * (1.0 + float(np.max(np.abs(C))))
        _, cls = np.unique(row_keys(C, grid), return_inverse=True)
        cls = np.asarray(cls).reshape(-1)
        kept: dict = {}                   # class -> image kept for it
        for e, g in enumerate(elements):
            g = [int(i) for i in g]
            if e == 0:
                img = pt
            else:
                img = replace(pt, X=[pt.X[i] for i in g], E=[pt.E[i] for i in g],
                              real=None if pt.real is None else [pt.real[i] for i in g],
                              centre=[pt.centre[i] for i in g], element=e)
            other = kept.get(int(cls[e]))
            if other is not None and _contains_box(other.X, img.E):
                same += 1
                continue
            if other is None:
                kept[int(cls[e])] = img
            out.append(img)
    return out, same


def _classify(ev, yc, X, K, Yf_real, prec, digits, rho):
    """``(real enclosure or None, classified)`` for a solution certified in ``X``
    (centre ``yc``, Krawczyk image ``K``; ``rho``: the chord method's contraction
    rate there, a starting guess for the real one)."""
    if any(not k.imag.contains(0) for k in K):
        return None, True                                  # proven non-real
    ry = [yi.real.mid() for yi in yc]
    for method in ("chord", "newton"):
        if method == "chord":
            out = _certify_chord(ev, ry, Yf_real, "arb", prec, 3, digits, rho)
        else:
            out = _certify_newton(ev, ry, "arb", prec, 3)
        if out is not None:
            _, R, KR, _ = out
            # a real solution lies in KR; inside X it is X's only solution
            if _contains_box(X, [flint.acb(a) for a in KR]):
                return KR, True
    return None, False


def _certify_point(ev, z, raw, Yf, Yf_real, digits, prec0, max_prec, max_iter, leash=None):
    """Certify one approximation: ``z`` is it after float Newton (complex128 row),
    ``raw`` as given.  Returns a ``_Point`` or a string saying why not.

    Attempts, cheapest first: the chord fast path from ``z``; Newton in ball
    arithmetic from ``z``, then from ``raw`` (float Newton can be led astray
    where float evaluation is inaccurate); then Newton at doubling precisions
    from the best point so far (none yet: from ``z``, then from ``raw``).  The best
    certified result is kept.  Iterates leaving ``leash`` (``(anchor, radius)``) abandon
    an attempt."""
    best = None
    failure = "Krawczyk test failed (singular or ill-conditioned, or not near a solution)"
    attempts = [(prec0, "chord", z), (prec0, "newton", z)]
    if not np.array_equal(z, raw):
        attempts.append((prec0, "newton", raw))
    p = 2 * prec0
    while p <= max_prec:
        attempts.append((p, "newton", None))
        if not np.array_equal(z, raw):
            # float Newton can move a large point (|x| ~ 3800 on nn_131) to where the
            # ball Newton fails at every precision, while the input converges from 140
            # bits on: with no point certified yet, the next precision tries the input too
            attempts.append((p, "newton-raw", raw))
        p *= 2
    for prec, method, start in attempts:
        if method == "newton-raw":
            if best is not None:
                continue
            method = "newton"
        with working_precision(prec):
            if start is None:
                y = best.centre if best is not None else [flint.acb(complex(c)) for c in z]
            else:
                y = [flint.acb(complex(c)) for c in start]
            if method == "chord":
                out = _certify_chord(ev, y, Yf, "acb", prec, max_iter, digits, leash=leash)
            else:
                out = _certify_newton(ev, y, "acb", prec, max_iter, leash=leash)
            if out is None:
                continue
            yc, X, K, rho = out
            real_E, classified = _classify(ev, yc, X, K, Yf_real, prec, digits, rho)
            E = [flint.acb(a) for a in real_E] if real_E is not None else K
            pt = _Point(-1, X, E, real_E, classified, prec, yc,
                        all(narrow(e, digits) for e in E), method)
            if classified and pt.narrow:
                return pt
            if best is None or classified or not best.classified:
                best = pt
            failure = "not classified as real or non-real" if not classified \
                else f"box not narrowed to {digits} digits"
    return best if best is not None else failure


# ------------------------------------------------------------ float polishing
def _float_newton(ev, Z, iters=12):
    """Newton in complex128 on all rows of ``Z``; each row stops when its step stops
    shrinking or reaches rounding level.  Returns the polished copy."""
    Z = Z.copy()
    k = Z.shape[0]
    active = np.all(np.isfinite(Z), axis=1)
    last = np.full(k, np.inf)
    with np.errstate(all="ignore"):
        for _ in range(iters):
            idx = np.nonzero(active)[0]
            if idx.size == 0:
                break
            F, J = ev.evaluate_float(Z[idx])
            steps = np.full((idx.size, ev.nvars), np.nan, dtype=np.complex128)
            good = (np.all(np.isfinite(J.reshape(idx.size, -1)), axis=1)
                    & np.all(np.isfinite(F), axis=1))
            gi = np.nonzero(good)[0]
            if gi.size:
                try:
                    steps[gi] = np.linalg.solve(J[gi], F[gi][..., None])[..., 0]
                except np.linalg.LinAlgError:
                    for g in gi:
                        try:
                            steps[g] = np.linalg.solve(J[g], F[g])
                        except np.linalg.LinAlgError:
                            pass
            size = np.max(np.abs(steps), axis=1)
            scale = np.maximum(1.0, np.max(np.abs(Z[idx]), axis=1))
            ok = np.isfinite(size) & (size <= last[idx])
            upd = idx[ok]
            Z[upd] -= steps[ok]
            last[upd] = size[ok]
            done = ~ok | (size <= 1e-14 * scale)
            active[idx[done]] = False
    return Z


def _float_inverses(ev, Z, real: bool = False) -> list:
    """Approximate inverses of ``J`` at the rows of ``Z`` (at ``Re Z`` with real
    matrices when ``real``): a list with ``None`` where singular or not finite."""
    k = Z.shape[0]
    if k == 0 or not ev.float_ok:
        return [None] * k
    with np.errstate(all="ignore"):
        Zf = np.where(np.isfinite(Z), Z, 0)
        _, J = ev.evaluate_float(Zf.real.astype(np.complex128) if real else Zf)
        if real:
            J = J.real
        try:
            inv = np.linalg.inv(J)
            out = list(inv)
        except np.linalg.LinAlgError:
            out = []
            for Jm in J:
                try:
                    out.append(np.linalg.inv(Jm))
                except np.linalg.LinAlgError:
                    out.append(None)
    return [m if m is not None and np.all(np.isfinite(m)) else None for m in out]


# ------------------------------------------------------------------ fast path
#: points per call of the binary64 interval kernel (memory: ~ 40 * monomials * batch bytes)
FAST_BATCH = 2048
#: Newton steps in double-double arithmetic before the interval kernel
DD_NEWTON = 1


def _inside(ball, lo: float, hi: float) -> bool:
    """Whether the ball lies in the float interval ``[lo, hi]`` (decided rigorously)."""
    return bool(ball.lower() >= lo) and bool(ball.upper() <= hi)


def _narrow_quick(a, digits: int) -> bool:
    """:func:`grobnet.common.boxes.narrow` with a float pre-check (a factor 2 of room
    covers the conversions' rounding; overflow, underflow or doubt: the exact test)."""
    if isinstance(a, flint.acb):
        return _narrow_quick(a.real, digits) and _narrow_quick(a.imag, digits)
    if digits <= 300:
        rad, mid = float(a.rad()), abs(float(a.mid()))
        if (0 < rad < 1e300 and math.isfinite(mid)
                and rad * 10.0 ** digits <= 0.5 * max(1.0, mid)):
            return True
    return narrow(a, digits)


def _square(y, r):
    """The box ``y + [-r, r] (1 + i)`` (``r`` a float) and a bound of its radii as
    stored (python-flint rounds radii up)."""
    X = [yi + flint.acb(flint.arb(0, r), flint.arb(0, r)) for yi in y]
    return X, _max_upper([x.real.rad() for x in X] + [x.imag.rad() for x in X])


def _narrow_fast(ev, y, Yf, crow, box, r, real, prec, digits, max_iter, leash):
    """Certify and tighten, in arb, a solution near ``y`` inside the kernel's box.

    ``Yf``: the kernel's matrix ``Y``; ``crow[i]``: a bound of ``sum_j |c_ij|`` over
    ``I - Y J(X)`` on the kernel's float box ``X`` (bounds ``box``, radius ``r``).
    For any box ``X'`` inside ``X`` centred at ``y``, Krawczyk's image is then
    ``y - Y F(y) + crow * rad(X') [-1, 1](1 + i)`` -- one evaluation of ``F``, no
    Jacobian.  At each chord iterate ``y`` (``y <- mid(y - Y F(y))``) the test runs
    on ``X' = y +- r/2`` (uniqueness box: exactly one solution) and on a box ``X''``
    a few times the Newton correction (the tight enclosure ``K''``).  ``real``: keep
    ``y`` real; then ``X'`` is closed under complex conjugation and, the system having
    real coefficients, its one solution is real.  Returns ``(y, X', K'', is_real)`` or
    ``None`` (the arb path takes over): ``is_real`` False means proven non-real."""
    n = ev.nvars
    # Y exactly (faster through real matrices than from a list of Python complex)
    Y = (flint.acb_mat(flint.arb_mat(n, n, Yf.real.ravel().tolist()))
         + flint.acb_mat(flint.arb_mat(n, n, Yf.imag.ravel().tolist())) * flint.acb(0, 1))
    unit = flint.arb(0, 1)
    cm = [flint.arb(float(c)) for c in crow]
    cmax = max(float(c) for c in crow)
    for _ in range(max_iter):
        if real:
            y = [flint.acb(yi.real) for yi in y]
        F = ev.values_list(y)
        d = (Y * flint.acb_mat(n, 1, F)).entries()
        rho, scale = _max_upper(d), _scale(y)
        if rho is None or scale is None:
            return None
        Xp, rp = _square(y, r / 2)
        if rp is not None and all(_inside(x.real, box[0][i], box[1][i])
                                  and _inside(x.imag, box[2][i], box[3][i])
                                  for i, x in enumerate(Xp)):
            t = float(max(4 * rho, scale * _pow2(10 - flint.ctx.prec)))
            rr_f = math.ldexp(1.0, math.frexp(t)[1] + 1) if math.isfinite(t) and t > 0 else 0.0
            # skip while K'' cannot be narrow yet (a float estimate of its width)
            w = cmax * rr_f
            if 0 < rr_f < r / 4 and (w == 0 or math.log10(w) + digits
                                     <= math.log10(0.5 * float(scale))):
                K1 = []
                for i in range(n):
                    e = unit * (cm[i] * rp)
                    K1.append(y[i] - d[i] + flint.acb(e, e))
                Xpp, rr = _square(y, rr_f)
                # X'' inside X' (same centre; the radii of X' are >= r/2 as stored):
                # crow bounds I - Y J on X'' as well
                if (rr is not None and rr < r / 2
                        and all(x.real.contains_interior(k.real)
                                and x.imag.contains_interior(k.imag) for x, k in zip(Xp, K1))):
                    K = []
                    for i in range(n):
                        e = unit * (cm[i] * rr)
                        K.append(y[i] - d[i] + flint.acb(e, e))
                    if (all(x.real.contains_interior(k.real) and x.imag.contains_interior(k.imag)
                            for x, k in zip(Xpp, K))
                            and all(_narrow_quick(k, digits) for k in K)):
                        if real:
                            return y, Xp, K, True
                        if any(not k.imag.contains(0) for k in K):
                            return y, Xp, K, False
                        return None                   # not classified: the arb path
        y = [(yi - di.mid()).mid() for yi, di in zip(y, d)]
        if _strayed(y, leash):
            return None
    return None


def _times(Ys, V):
    """Rows ``Ys[p] @ V[p]`` (``k x n x n`` times ``k x n``), summed in a fixed order
    (elementwise numpy only: the result of a point does not depend on the batch)."""
    out = np.zeros(V.shape, dtype=np.complex128)
    for j in range(V.shape[1]):
        out += Ys[:, :, j] * V[:, j][:, None]
    return out


def _dd_values_batched(prog, Z):
    """:func:`intervals.dd_values` in slices of :data:`FAST_BATCH` points (memory)."""
    parts = []
    for s in range(0, max(1, Z.shape[0]), FAST_BATCH):
        F = intervals.dd_values(prog, Z[s:s + FAST_BATCH])
        if F is None:
            return None
        parts.append(F)
    return np.concatenate(parts, axis=1)


def _certify_fast(ev, P, Z, todo, scale0, digits, prec, max_prec, max_iter, max_move,
                  deadline=None):
    """The fast path on the points ``todo`` (indices into ``P``; ``Z``: float Newton
    iterates): Newton steps with ``F`` in double-double arithmetic and bounds of
    ``|I - Y J(X)|`` in binary64 interval arithmetic for all points at once (:mod:`grobnet.numeric.intervals`), then
    :func:`_narrow_fast` per point.  ``{index: _Point}`` for the points it certified
    and classified (the others go to the arb path), and stats."""
    t0 = time.monotonic()
    stats = {"fast_candidates": len(todo)}
    done: dict = {}
    prog = ev._interval_program() if len(todo) else None
    if prog is None:
        return done, stats
    n = ev.nvars
    todo = np.asarray(todo, dtype=np.int64)
    zc = Z[todo]

    def inverses(Yl):
        return np.stack([Y if Y is not None else np.full((n, n), np.nan)
                         for Y in Yl]).astype(np.complex128)

    Ys = inverses(_float_inverses(ev, zc))
    shift = np.full(zc.shape, np.nan, dtype=np.complex128)
    # Newton with F in double-double (untrusted): float Newton stalls at cond(J) * 2^-53,
    # this reaches the float next to the solution (then the shift is a last correction)
    for it in range(DD_NEWTON + 1):
        Fd = _dd_values_batched(prog, zc)
        if Fd is None:
            break
        with np.errstate(all="ignore"):
            shift = _times(Ys, Fd.T)
            if it < DD_NEWTON:
                znew = zc - shift
                fine = np.all(np.isfinite(znew), axis=1)
                zc[fine] = znew[fine]
                Ys = inverses(_float_inverses(ev, zc))
    scale = np.maximum(1.0, np.max(np.abs(zc), axis=1))
    with np.errstate(all="ignore"):
        dist = np.where(np.all(np.isfinite(shift), axis=1), np.max(np.abs(shift), axis=1), 0.0)
        # a power of two >= the larger of 4 |shift| and the float noise (frexp: exact)
        e = np.frexp(np.maximum(np.maximum(4 * dist, scale * 2.0 ** -44), 1e-300))[1]
    r = np.ldexp(1.0, e.astype(np.int64))
    crow = np.full((len(todo), n), np.inf)
    box = [np.zeros((len(todo), n)) for _ in range(4)]
    pending = np.nonzero(np.all(np.isfinite(Ys.reshape(len(todo), -1)), axis=1))[0]
    for attempt in range(2):          # then a box 256 times smaller (smaller |I - Y J|)
        again = []
        for s in range(0, pending.size, FAST_BATCH):
            idx = pending[s:s + FAST_BATCH]
            out = intervals.contraction_bounds(prog, zc[idx], Ys[idx], r[idx])
            good = np.all(out["crow"] <= 0.5, axis=1)
            crow[idx[good]] = out["crow"][good]
            for j in range(4):
                box[j][idx[good]] = out["box"][j][good]
            again.append(idx[~good])
        pending = np.concatenate(again) if again else pending[:0]
        r[pending] /= 256
        pending = pending[r[pending] >= 4 * dist[pending]]
    ok = np.all(crow <= 0.5, axis=1)
    stats["fast_kernel_ok"] = int(ok.sum())
    t1 = time.monotonic()
    stats["fast_kernel_time"] = t1 - t0
    for j in np.nonzero(ok)[0]:
        if deadline is not None and time.monotonic() > deadline:
            break
        i = int(todo[j])
        leash = (P[i], 2 * max_move * scale0[i])
        real = bool(np.max(np.abs((zc[j] - shift[j]).imag)) <= r[j] / 16)
        for p in sorted({prec, max(prec, min(2 * prec, max_prec))}):   # more bits: cancellation
            with working_precision(p):
                y = [flint.acb(complex(c)) for c in zc[j]]
                if np.all(np.isfinite(shift[j])):
                    y = [(yi - flint.acb(complex(c))).mid() for yi, c in zip(y, shift[j])]
                out = _narrow_fast(ev, y, Ys[j], crow[j], [b[j] for b in box], r[j], real, p,
                                   digits, max_iter, leash)
            if out is not None:
                break
        if out is None:
            continue
        with working_precision(p):
            y, Xp, K, is_real = out
            move = max(abs(complex(yi.mid()) - complex(q)) for yi, q in zip(y, P[i]))
            if move > max_move * scale0[i]:
                continue
            reals = [k.real for k in K] if is_real else None
            E = [flint.acb(a) for a in reals] if is_real else K
            done[i] = _Point(i, Xp, E, reals, True, p, y, True, "fast", float(r[j]))
    stats["fast_certified"] = len(done)
    stats["fast_narrow_time"] = time.monotonic() - t1
    return done, stats


def _dyadic(a: "flint.arb") -> tuple:
    """An exact arb (a midpoint or radius) as ``(mantissa, exponent)`` Python ints."""
    man, exp = a.man_exp()
    return int(man), int(exp)


def _from_dyadic(man: int, exp: int) -> "flint.arb":
    """The exact arb ``man * 2^exp`` (python-flint sets a ``(man, exp)`` pair exactly,
    at any working precision)."""
    return flint.arb((int(man), int(exp)))


def _ball_data(b: "flint.arb") -> tuple:
    return _dyadic(b.mid()), _dyadic(b.rad())


def _ball_from_data(data) -> "flint.arb":
    """A ball containing the ball of :func:`_ball_data` (python-flint may round the
    radius up when rebuilding: the result then contains the original, never less)."""
    (mm, me), (rm, re) = data
    return flint.arb(_from_dyadic(mm, me), _from_dyadic(rm, re))


def _fast_chunk(job):
    """Worker of the parallel fast path: :func:`_certify_fast` on a slice of the
    points; the certified points as plain data (exact centres, balls as dyadic
    midpoints and radii), rebuilt by :func:`_rebuild_fast` in the caller."""
    (int_polys, nvars, P, Z, todo, scale0, digits, prec, max_prec, max_iter, max_move,
     deadline_left) = job
    ev = SystemEvaluator(int_polys, nvars)
    deadline = None if deadline_left is None else time.monotonic() + deadline_left
    done, stats = _certify_fast(ev, P, Z, todo, scale0, digits, prec, max_prec, max_iter,
                                max_move, deadline)
    return [_point_data(pt) for pt in done.values()], stats


def _point_data(pt) -> tuple:
    """A fast-path point as plain data: exact centre, radius, enclosure balls as
    dyadic midpoints and radii (what :func:`_rebuild_fast` takes)."""
    centre = [(_dyadic(c.real.mid()), _dyadic(c.imag.mid())) for c in pt.centre]
    E = [(_ball_data(e.real), _ball_data(e.imag)) for e in pt.E]
    return (pt.index, pt.prec, centre, pt.radius, E, pt.real is not None)


def _rebuild_fast(item, digits):
    """A :class:`_Point` from :func:`_fast_chunk`'s data, or None when the rebuilt
    enclosure no longer passes the checks (then the arb path takes the point).  The
    uniqueness box ``X'`` is recomputed from the exact centre as the worker made it;
    the enclosure is rebuilt as a ball containing the worker's."""
    i, prec, centre, r, E, is_real = item
    with working_precision(prec):
        y = [flint.acb(_from_dyadic(*re), _from_dyadic(*im)) for re, im in centre]
        Xp, _ = _square(y, r / 2)
        K = [flint.acb(_ball_from_data(re), _ball_from_data(im)) for re, im in E]
        if not (all(_narrow_quick(k, digits) for k in K) and _contains_box(Xp, K)):
            return None
        if is_real:
            reals = [k.real for k in K]
            return _Point(i, Xp, [flint.acb(a) for a in reals], reals, True, prec, y, True,
                          "fast")
        if not any(not k.imag.contains(0) for k in K):
            return None
        return _Point(i, Xp, K, None, True, prec, y, True, "fast")


def _certify_fast_parallel(executor, int_polys, nvars, P, Z, todo, scale0, digits, prec,
                           max_prec, max_iter, max_move, deadline):
    """:func:`_certify_fast` on slices of ``todo`` through ``executor`` (2 slices per
    worker); the points are rebuilt here (:func:`_rebuild_fast`).  The slicing does
    not change any point's verdict: every step of the fast path is per point."""
    ex, owned = owned_executor(executor)
    try:
        parts = max(1, min(len(todo), 2 * max(1, int(getattr(ex, "workers", 1) or 1))))
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        jobs = []
        for chunk in np.array_split(np.asarray(todo, dtype=np.int64), parts):
            if chunk.size:
                jobs.append((int_polys, nvars, P, Z, [int(i) for i in chunk], scale0,
                             digits, prec, max_prec, max_iter, max_move, left))
        results = ex.map(_fast_chunk, jobs)
    finally:
        if owned:
            ex.close()
    done: dict = {}
    stats: dict = {"fast_candidates": len(todo), "fast_slices": len(jobs)}
    for items, st in results:
        for key in ("fast_kernel_ok", "fast_certified"):
            stats[key] = stats.get(key, 0) + st.get(key, 0)
        for key in ("fast_kernel_time", "fast_narrow_time"):
            stats[key] = max(stats.get(key, 0.0), st.get(key, 0.0))
        for item in items:
            pt = _rebuild_fast(item, digits)
            if pt is not None:
                done[pt.index] = pt
    stats["fast_rebuilt"] = len(done)
    return done, stats


# -------------------------------------------------------------------- driver
def _check_inputs(int_polys, nvars, points, variables, form):
    if not isinstance(nvars, (int, np.integer)) or nvars < 1:
        raise ValueError(f"nvars must be a positive integer, got {nvars!r}")
    nvars = int(nvars)
    int_polys = list(int_polys)
    if len(int_polys) != nvars:
        raise ValueError(f"the system is not square: {len(int_polys)} equations in {nvars} "
                         "variables (Krawczyk certification needs n equations in n unknowns)")
    normalised = []
    for i, f in enumerate(int_polys):
        if not isinstance(f, dict):
            raise ValueError(f"equation {i} is a {type(f).__name__}, expected a dict "
                             "{exponent tuple: int} (see grobnet.engine.convert.integer_input)")
        for m, c in f.items():
            if len(m) != nvars:
                raise ValueError(f"equation {i} has the exponent {m} of length {len(m)}, "
                                 f"expected {nvars}")
            if any(int(e) < 0 for e in m):
                raise ValueError(f"equation {i} has a negative exponent {m}")
            if int(c) != c:
                raise ValueError(f"equation {i} has a non-integer coefficient {c!r}")
        normalised.append({tuple(int(e) for e in m): int(c) for m, c in f.items() if c})
    int_polys = normalised
    P = np.asarray(points, dtype=np.complex128)
    if P.size == 0:
        P = P.reshape(0, nvars)
    if P.ndim != 2 or P.shape[1] != nvars:
        raise ValueError(f"points must be a k x {nvars} array, got shape {P.shape}")
    if variables is None:
        variables = tuple(f"x{i}" for i in range(nvars))
    variables = tuple(variables)
    if len(variables) != nvars:
        raise ValueError(f"{len(variables)} variable names for {nvars} variables")
    if form is None:
        form = [1] + [0] * (nvars - 1)
    form = list(form)
    if len(form) != nvars:
        raise ValueError(f"the linear form has {len(form)} coefficients for {nvars} variables")
    qform = []
    for c in form:
        if isinstance(c, Fraction):
            c = flint.fmpq(c.numerator, c.denominator)
        elif isinstance(c, (int, np.integer)):
            c = flint.fmpq(int(c))
        elif not isinstance(c, (flint.fmpq, flint.fmpz)):
            raise ValueError(f"linear form coefficients must be integers or rationals, got {c!r}")
        qform.append(c)
    return int_polys, nvars, P, variables, qform


def _form_value(qform, box, kind):
    conv = flint.acb if kind == "acb" else flint.arb
    t = conv(0)
    for c, x in zip(qform, box):
        if c != 0:
            t += conv(flint.arb(c)) * x
    return t


def _outward_bounds(E):
    """Float bounds ``(lo_re, hi_re, lo_im, hi_im)`` (rows) of an acb box, rounded
    outwards with room to spare (a prefilter: it must never separate overlapping
    boxes); infinite where the conversion overflows."""
    n = len(E)
    b = np.empty((4, n))
    with np.errstate(all="ignore"):
        for j, e in enumerate(E):
            for row, part in ((0, e.real), (2, e.imag)):
                m, r = float(part.mid()), float(part.rad())
                slack = (abs(m) + r) * 1e-15 + 1e-300
                lo, hi = m - r - slack, m + r + slack
                if not (math.isfinite(lo) and math.isfinite(hi)):
                    lo, hi = -math.inf, math.inf
                b[row, j], b[row + 1, j] = lo, hi
    return b


def _candidate_pairs(bounds):
    """Index pairs ``(i, j)``, ``i < j``, whose float boxes overlap in every coordinate,
    sorted.  Sort and sweep: the boxes are sorted by their lower bound in the one
    coordinate (real or imaginary part) that separates them best; each box is then
    compared with the following boxes only while their lower bounds do not exceed its
    upper bound -- every overlapping pair is met, and for separated solutions (boxes
    much smaller than their distances) each box meets only a few neighbours."""
    k = len(bounds)
    if k < 2:
        return []
    B = np.stack(bounds)                         # k x 4 x n
    n = B.shape[2]
    with np.errstate(all="ignore"):
        lo = np.concatenate([B[:, 0], B[:, 2]], axis=1)          # k x 2n
        hi = np.concatenate([B[:, 1], B[:, 3]], axis=1)
        mid = np.where(np.isfinite(lo + hi), 0.5 * lo + 0.5 * hi, 0.0)
        width = np.where(np.isfinite(hi - lo), hi - lo, np.inf)
        spread = np.ptp(mid, axis=0) / (np.median(width, axis=0) + 1e-300)
    c = int(np.nanargmax(np.where(np.isfinite(spread), spread, -1.0)))
    order = np.argsort(lo[:, c], kind="stable")
    slo, shi = lo[order, c], hi[order, c]
    pairs = []
    for a in range(k):
        # boxes b > a (in sorted order) with slo[b] <= shi[a]: a contiguous run
        end = int(np.searchsorted(slo, shi[a], side="right"))
        if end <= a + 1:
            continue
        i = order[a]
        js = order[a + 1:end]
        ov = np.all((lo[js] <= hi[i]) & (lo[i] <= hi[js]), axis=1)
        for j in js[ov]:
            pairs.append((int(min(i, j)), int(max(i, j))))
    pairs.sort()
    return pairs


def certify_solutions(int_polys, nvars: int, points, *, variables=None, digits: int = 30,
                      form=None, prec: int | None = None, max_prec: int | None = None,
                      max_move: float = 1e-3, max_iter: int = 8,
                      timeout: float | None = None, fast: bool = True,
                      executor=None) -> CertifiedSolutions:
    """Certify approximate solutions ``points`` (``k x nvars`` complex) of a square system.

    ``int_polys``: integer polynomials as ``{exponent tuple: int}`` dicts, as
    returned by :func:`grobnet.engine.convert.integer_input`; ``variables``: names
    (default ``x0, x1, ...``); ``digits``: every output interval's radius is at
    most ``10^-digits * max(1, |value|)``; ``form``: integer/rational coefficients
    of the linear form whose value over each box is the solutions' ``t``
    (default: the first coordinate); ``prec``: starting working precision in bits
    (default ``digits * log2(10) + 40``), doubled on failure up to ``max_prec``
    (default ``4 * prec``); ``max_move``: a point is rejected when its certified
    solution lies further than ``max_move * max(1, |point|)`` from it;
    ``max_iter``: Newton/chord steps per attempt; ``timeout``: seconds, after
    which the remaining points are rejected with the reason "timeout"; ``fast``:
    try the batched binary64 interval kernel (:mod:`grobnet.numeric.intervals`)
    first, the arb path only for the points it does not certify and classify (the
    verdicts mean the same either way; ``stats["methods"]["fast"]`` counts them);
    ``executor``: run the fast path on slices of the points there (see
    :func:`grobnet.parallel.get_executor`; ``None``: here).  The verdicts do not depend
    on the executor or its number of workers.

    Every reported solution is proven: its uniqueness box holds exactly one
    solution of the system, which is simple; reported real solutions are proven
    real, the others (outside ``unclassified``) proven non-real; reported
    solutions are pairwise distinct.  A point is never silently dropped: it is
    certified, a duplicate, ambiguous, or rejected with a reason.  Completeness
    is the caller's check: ``n_certified`` equal to the degree of the ideal.
    See the module docstring for the method.

    Raises ``ValueError`` naming the problem for a non-square system, points of
    the wrong shape, exponent tuples of the wrong length, bad names or form.
    """
    return _certify(int_polys, nvars, points, None, variables=variables, digits=digits,
                    form=form, prec=prec, max_prec=max_prec, max_move=max_move,
                    max_iter=max_iter, timeout=timeout, fast=fast, executor=executor)


def certify_orbits(int_polys, nvars: int, representatives, group, **options
                   ) -> CertifiedSolutions:
    """Certify the orbits of ``representatives`` under a symmetry group of the system:
    one Krawczyk test per representative, every other box obtained by permutation.

    ``group``: a :class:`grobnet.frontend.symmetry.SymmetryGroup` or its elements
    (permutations ``g`` of the variables acting by ``(g x)_i = x_{g[i]}``);
    ``options``: those of :func:`certify_solutions`.  The result is that of
    :func:`certify_solutions` on all the images: ``elements[i]`` says which group
    element (a row of :func:`grobnet.numeric.orbits.group_elements`, 0 = identity)
    mapped the certified representative ``indices[i]`` to solution ``i``.

    **Why an image box is certified.**  First, ``f_i(g x) = f_{g[i]}(x)`` is proven for
    every equation and every generator, exactly on these integer polynomials
    (:func:`grobnet.numeric.orbits.check_equivariance`); as vectors, ``F(g x) = g F(x)``
    with ``g`` also permuting the equations, and ``g`` is invertible.  The identity
    passes to products (``F(g h x) = g F(h x) = g h F(x)``), so it holds for every
    element (:func:`grobnet.numeric.orbits.proven_elements`).  Let the
    Krawczyk test prove that the box ``X`` holds exactly one solution ``x*``, that it
    lies in the enclosure ``E`` and that ``J`` is nonsingular on ``X``.  For the
    permuted box ``gX = {g x : x in X}`` (coordinate ``i`` is ``X_{g[i]}``): a point
    ``y = g x`` of ``gX`` is a solution iff ``g F(x) = 0`` iff ``x`` is a solution, so
    ``gX`` holds exactly one solution, ``g x*``, and it lies in ``gE``.  Differentiating
    ``F(g x) = g F(x)`` gives ``J(g x) = P J(x) P^-1`` (``P`` the permutation matrix of
    ``g``): nonsingular on ``gX``, so ``g x*`` is simple.  A real box (``x*`` real)
    maps to a real box and ``g x*`` is real; an imaginary part that excludes 0 in
    some coordinate of ``E`` does so in ``gE``: non-real.  Then the distinctness
    check runs on *all* boxes as in :func:`certify_solutions` (an image enclosure
    inside another uniqueness box is the same solution -- e.g. ``g x* = x*`` when ``g``
    fixes ``x*``; overlaps proven neither way are ambiguous and not counted), so
    ``n_certified`` pairwise distinct solutions are proven and the completeness
    check stays ``n_certified == degree``.

    Raises ``ValueError`` when an element is not a symmetry of the system (or not a
    permutation), besides the errors of :func:`certify_solutions`.
    """
    elements = proven_elements(int_polys, group, int(nvars))
    return _certify(int_polys, nvars, representatives, elements, **options)


def _certify(int_polys, nvars, points, elements, *, variables=None, digits: int = 30,
             form=None, prec: int | None = None, max_prec: int | None = None,
             max_move: float = 1e-3, max_iter: int = 8, timeout: float | None = None,
             fast: bool = True, executor=None) -> CertifiedSolutions:
    """:func:`certify_solutions` (``elements`` None) or :func:`certify_orbits` (the
    group's elements, proven by the caller): the Krawczyk tests, the images, the
    distinctness check, the results."""
    t0 = time.monotonic()
    int_polys, nvars, P, variables, qform = _check_inputs(int_polys, nvars, points, variables,
                                                          form)
    if not isinstance(digits, (int, np.integer)) or digits < 1:
        raise ValueError(f"digits must be a positive integer, got {digits!r}")
    if prec is None:
        prec = max(64, int(math.ceil(digits * math.log2(10))) + 40)
    if not isinstance(prec, (int, np.integer)) or prec < 32:
        raise ValueError(f"prec must be an integer number of bits >= 32, got {prec!r}")
    prec = int(prec)
    if max_prec is None:
        max_prec = 4 * prec
    if not max_move > 0:
        raise ValueError(f"max_move must be positive, got {max_move!r}")
    ev = SystemEvaluator(int_polys, nvars)
    k = P.shape[0]
    if k:
        ev.prepare()
    stats = {"points": k, "prec": prec, "monomials": len(ev.monomials),
             "setup_time": time.monotonic() - t0}

    rejected, reasons = [], {}
    finite = np.all(np.isfinite(P), axis=1)
    Z = _float_newton(ev, P) if ev.float_ok else P.copy()
    scale0 = np.maximum(1.0, np.max(np.abs(np.where(np.isfinite(P), P, 0)), axis=1)) \
        if k else np.zeros(0)
    t1 = time.monotonic()
    stats["float_newton_time"] = t1 - t0 - stats["setup_time"]

    deadline = None if timeout is None else t0 + timeout
    fast_done: dict = {}
    if fast and ev.float_ok and k:
        todo = [i for i in range(k) if finite[i] and np.all(np.isfinite(Z[i]))
                and np.max(np.abs(Z[i] - P[i])) <= max_move * scale0[i]]
        try:
            if executor is None:
                fast_done, fstats = _certify_fast(ev, P, Z, todo, scale0, digits, prec,
                                                  max_prec, max_iter, max_move, deadline)
                # the same round trip as results from workers, so that the boxes do not
                # depend on the executor, bit for bit
                rebuilt = (_rebuild_fast(_point_data(pt), digits) for pt in fast_done.values())
                fast_done = {pt.index: pt for pt in rebuilt if pt is not None}
            else:
                fast_done, fstats = _certify_fast_parallel(
                    executor, int_polys, nvars, P, Z, todo, scale0, digits, prec,
                    max_prec, max_iter, max_move, deadline)
        except intervals.FpEnvError as exc:       # all points take the arb path
            fstats = {"fast_error": str(exc)}
        stats.update(fstats)

    # float inverses for the arb path, only where the fast path did not finish
    rest = [i for i in range(k) if i not in fast_done]
    Yf, Yf_real = [None] * k, [None] * k
    if rest:
        for i, Y, Yr in zip(rest, _float_inverses(ev, Z[rest]),
                            _float_inverses(ev, Z[rest], real=True)):
            Yf[i], Yf_real[i] = Y, Yr

    certified: list[_Point] = []
    for i in range(k):
        if i in fast_done:
            certified.append(fast_done[i])
            continue
        if timeout is not None and time.monotonic() - t0 > timeout:
            rejected.append(i)
            reasons[i] = f"timeout={timeout} s reached before this point was certified"
            continue
        if not finite[i]:
            rejected.append(i)
            reasons[i] = "not a finite point"
            continue
        z = Z[i]
        if not np.all(np.isfinite(z)) or np.max(np.abs(z - P[i])) > max_move * scale0[i]:
            z = P[i]                       # float Newton went astray: start from the input
        leash = (P[i], 2 * max_move * scale0[i])
        out = _certify_point(ev, z, P[i], Yf[i], Yf_real[i], digits, prec, max_prec, max_iter,
                             leash)
        if isinstance(out, str):
            rejected.append(i)
            reasons[i] = out
            continue
        move = max(abs(complex(yi.mid()) - complex(p)) for yi, p in zip(out.centre, P[i]))
        if move > max_move * scale0[i]:
            rejected.append(i)
            reasons[i] = "Newton moved too far from the approximation (not near a solution)"
            continue
        out.index = i
        certified.append(out)
    t2 = time.monotonic()
    stats["krawczyk_time"] = t2 - t1
    if elements is not None:
        stats["orbits"] = len(certified)
        certified, stats["stabilised"] = _images(certified, elements)
        stats["images"] = len(certified)

    # -- distinctness ------------------------------------------------------------
    bounds = [_outward_bounds(pt.E) for pt in certified]
    pairs = _candidate_pairs(bounds)
    dropped = set()
    duplicates, ambiguous = [], []
    for a, b in pairs:
        if a in dropped or b in dropped:
            continue
        A, B = certified[a], certified[b]
        if not all(x.overlaps(y) for x, y in zip(A.E, B.E)):
            continue
        if _contains_box(A.X, B.E) or _contains_box(B.X, A.E):
            duplicates.append((A.index, B.index))
        else:
            ambiguous.append((A.index, B.index))
        dropped.add(b)
    stats["candidate_pairs"] = len(pairs)
    stats["disjointness_time"] = time.monotonic() - t2

    sols, reals, indices, ubox, unclassified, images = [], [], [], [], [], []
    precs, methods = {}, {}
    for j, pt in enumerate(certified):
        if j in dropped:
            continue
        precs[pt.prec] = precs.get(pt.prec, 0) + 1
        methods[pt.method] = methods.get(pt.method, 0) + 1
        with working_precision(pt.prec):
            if pt.real is not None:
                t = _form_value(qform, pt.real, "arb")
                reals.append(RealSolution(variables, tuple(pt.real), t))
                sols.append(ComplexSolution(variables, tuple(pt.E), flint.acb(t), True))
            else:
                if not pt.classified:
                    unclassified.append(len(sols))
                sols.append(ComplexSolution(variables, tuple(pt.E),
                                            _form_value(qform, pt.E, "acb"), False))
        indices.append(pt.index)
        images.append(pt.element)
        ubox.append(tuple(pt.X))
    stats["precisions"] = precs            # working precision (bits) -> solutions
    stats["methods"] = methods             # "chord" (fast path) / "newton" -> solutions
    stats["coarse"] = sum(1 for pt in certified if not pt.narrow)
    stats["total_time"] = time.monotonic() - t0
    return CertifiedSolutions(variables, sols, reals, indices, ubox, unclassified, rejected,
                              reasons, duplicates, ambiguous, stats, images)


def certify_system(system, points, **options) -> CertifiedSolutions:
    """:func:`certify_solutions` for a ``PolynomialSystem`` over Q or a list of
    python-flint ``fmpq_mpoly``/``fmpz_mpoly`` (denominators cleared by
    :func:`grobnet.engine.convert.integer_input`; variable names from the system)."""
    names, polys = integer_input(system)
    options.setdefault("variables", names)
    return certify_solutions(polys, len(names), points, **options)
