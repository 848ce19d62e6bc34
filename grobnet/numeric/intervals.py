"""Bounds for Krawczyk's test on many points at once, in outward-rounded binary64
interval arithmetic (the fast path of :mod:`grobnet.numeric.certify`).

numpy arrays hold one interval per point (the last axis runs over the points), so
every operation below is one numpy call for a whole batch.  Complex numbers are
rectangles ``[re_lo, re_hi] + i [im_lo, im_hi]``.

**Rounding.**  numpy's ``+``, ``-``, ``*`` on ``float64`` are the IEEE 754 operations;
in the default mode roundTiesToEven the computed result is the floating-point number
*nearest* the exact one (IEEE 754-2008, clauses 4.3.1 and 5.4.1; with gradual
underflow the subnormal numbers are floating-point numbers too, clause 3.3).  So when
the computed result ``f`` is finite, the exact result lies between the predecessor
and the successor of ``f``: it cannot lie beyond a neighbour of ``f``, else that
neighbour would be nearer.  Every bound below is computed with one operation and
then moved outwards past that neighbour by the formula of Rump, Zimmermann, Boldo and
Melquiond (see :func:`_dn`, :func:`_up`; checked against ``np.nextafter`` by the
tests); negation, ``abs``, ``min`` and ``max`` are exact.  The rule needs the rounding
mode to be to-nearest and subnormals not flushed to zero: :func:`check_fpenv` tests
both (with numpy, on arrays and scalars) and :func:`contraction_bounds` refuses to run
otherwise (:class:`FpEnvError`).  Overflow gives ``inf``/``nan`` bounds; such a point
gets infinite bounds, i.e. no certificate.

**What is computed.**  For a box ``X`` around a floating-point centre ``y`` and any
complex matrix ``Y`` (an approximate inverse of ``J(y)``): ``cmag[i, j]``, an upper
bound of ``|Re c| + |Im c|`` over the interval entry ``c`` of ``I - Y J(X)``, where
``J(X)`` is an interval evaluation of the Jacobian (a straight-line program: every
monomial the product of an earlier one and a variable, then sparse sums).  As
``J(X')`` lies in ``J(X)`` for every box ``X'`` inside ``X``, the same bounds serve
Krawczyk's operator ``K(X') = y' - Y F(y') + (I - Y J(X'))(X' - y')`` for any such
``X'`` and centre ``y'``: with ``X' - y'`` inside ``[-r, r](1 + i)``, both parts of row
``i`` of the last term are at most ``sum_j cmag[i, j] r``.  The caller evaluates
``F(y')`` in arb at any precision and never needs a Jacobian over a box in arb.

:func:`dd_values` evaluates ``F`` in double-double arithmetic (about 106 bits,
untrusted): a Newton step with it brings float centres next to the solutions.
"""
from __future__ import annotations

import numpy as np

__all__ = ["check_fpenv", "FpEnvError", "IntervalProgram", "contraction_bounds", "dd_values"]

_NEG, _POS = -np.inf, np.inf


class FpEnvError(RuntimeError):
    """The floating-point environment does not round to nearest with gradual underflow."""


# Rump, Zimmermann, Boldo, Melquiond, "Computing predecessor and successor in rounding
# to nearest", BIT Numer. Math. 49 (2009) 419-431, Theorem 2.2 / Algorithm 2: in binary64
# with rounding to nearest, for finite c, e = fl(fl(phi |c|) + eta) with phi = u (1 + 2u),
# u = 2^-53, eta = 2^-1074 gives fl(c - e) <= pred(c) and fl(c + e) >= succ(c).  Four
# vectorised operations instead of np.nextafter (15x slower in numpy).
_PHI = float.fromhex("0x1.0000000000001p-53")    # u (1 + 2u) = 2^-53 + 2^-105
_ETA = float.fromhex("0x0.0000000000001p-1022")  # 2^-1074


def _dn(x):
    """A float <= the predecessor of ``x`` (so <= the exact value ``x`` rounds)."""
    return x - (np.abs(x) * _PHI + _ETA)


def _up(x):
    """A float >= the successor of ``x``."""
    return x + (np.abs(x) * _PHI + _ETA)


def check_fpenv() -> None:
    """Raise :class:`FpEnvError` unless numpy's float64 arithmetic rounds to nearest
    and keeps subnormals (no flush-to-zero, no denormals-are-zero).  Tested on arrays
    long enough for numpy's vector loops and on scalars, at run time."""
    ulp = float.fromhex("0x1p-52")
    tiny = float.fromhex("0x1p-1022")            # smallest normal
    sub = float.fromhex("0x0.0000000000001p-1022")  # smallest subnormal
    for size in (1, 67):
        one = np.ones(size)
        checks = [
            np.all(one + 0.75 * ulp == 1 + ulp),      # up to nearest (not down, not to zero)
            np.all(one + 0.25 * ulp == one),          # down to nearest (not up)
            np.all(-one - 0.75 * ulp == -1 - ulp),
            np.all(-one - 0.25 * ulp == -one),
            np.all(one * tiny * 0.5 == float.fromhex("0x0.8p-1022")),  # no flush-to-zero
            np.all((one * sub) * 2.0 == 2 * sub),     # subnormal inputs kept (no DAZ)
            np.all(np.nextafter(one, 2.0) == 1 + ulp),
        ]
        if not all(bool(c) for c in checks):
            raise FpEnvError("floating-point environment is not round-to-nearest with "
                             "gradual underflow; the binary64 interval kernel cannot run")


# ----------------------------------------------------------- interval operations
def _add(al, ah, bl, bh):
    return _dn(al + bl), _up(ah + bh)


def _sub(al, ah, bl, bh):
    return _dn(al - bh), _up(ah - bl)


def _mul(al, ah, bl, bh):
    p, q, s, t = al * bl, al * bh, ah * bl, ah * bh
    lo = np.minimum(np.minimum(p, q), np.minimum(s, t))
    hi = np.maximum(np.maximum(p, q), np.maximum(s, t))
    return _dn(lo), _up(hi)


def _pmul(a, bl, bh):
    """Exact float (array) ``a`` times the interval ``[bl, bh]``."""
    p, q = a * bl, a * bh
    return _dn(np.minimum(p, q)), _up(np.maximum(p, q))


def _cmul(x, y):
    """Complex rectangles (tuples of 4 bound arrays) multiplied."""
    xrl, xrh, xil, xih = x
    yrl, yrh, yil, yih = y
    a = _mul(xrl, xrh, yrl, yrh)
    b = _mul(xil, xih, yil, yih)
    c = _mul(xrl, xrh, yil, yih)
    d = _mul(xil, xih, yrl, yrh)
    return _sub(*a, *b) + _add(*c, *d)


def _mag(lo, hi):
    return np.maximum(np.abs(lo), np.abs(hi))


def _coef_bounds(c: int):
    """Floats ``lo <= c <= hi`` (equal when ``c`` is exact in binary64);
    ``OverflowError`` when ``c`` is beyond the float range."""
    f = float(c)                     # Python rounds int -> float to nearest
    if int(f) == c:
        return f, f
    return float(_dn(f)), float(_up(f))


class IntervalProgram:
    """The straight-line program of :class:`grobnet.numeric.certify.SystemEvaluator`
    (its monomial table and sparse coefficient lists) with coefficients as float
    intervals.  ``usable`` is false when a coefficient exceeds the float range."""

    def __init__(self, ev):
        self.n = ev.nvars
        self.neqs = ev.neqs
        self.parents = list(ev.parents)
        self.nmonos = len(ev.monomials)
        self.usable = True
        try:
            self.F_slots = self._slots(ev._C)
            self.J_slots = self._slots(ev._D)
        except OverflowError:
            self.usable = False

    @staticmethod
    def _slots(entries):
        """Terms grouped by their position within their row: slot s holds the s-th
        term of every row that has one (rows, columns, coefficient bounds)."""
        rows: dict = {}
        for r, col, c in sorted(entries):
            rows.setdefault(r, []).append((col, _coef_bounds(int(c))))
        slots = []
        s = 0
        while True:
            part = [(r, terms[s]) for r, terms in rows.items() if len(terms) > s]
            if not part:
                break
            slots.append((np.array([r for r, _ in part], dtype=np.int64),
                          np.array([t[0] for _, t in part], dtype=np.int64),
                          np.array([t[1][0] for _, t in part])[:, None],
                          np.array([t[1][1] for _, t in part])[:, None]))
            s += 1
        return slots

    def table(self, box):
        """Interval values of every monomial over ``box`` (4 bound arrays ``n x k``:
        re_lo, re_hi, im_lo, im_hi): 4 bound arrays ``M x k``."""
        k = box[0].shape[1]
        T = tuple(np.empty((self.nmonos, k)) for _ in box)
        T[0][0], T[1][0], T[2][0], T[3][0] = 1.0, 1.0, 0.0, 0.0
        for m, (p, v) in enumerate(self.parents, start=1):
            out = _cmul(tuple(t[p] for t in T), tuple(b[v] for b in box))
            for t, o in zip(T, out):
                t[m] = o
        return T

    @staticmethod
    def _sums(slots, nrows, T):
        """Sparse sums ``sum_col coef * T[col]`` per row, outward rounded."""
        k = T[0].shape[1]
        acc = [np.zeros((nrows, k)) for _ in T]
        for rows, cols, clo, chi in slots:
            parts = []
            for lo_i in range(0, len(T), 2):             # real part, then imaginary part
                tl, th = T[lo_i][cols], T[lo_i + 1][cols]
                if np.array_equal(clo, chi):
                    pl, ph = _pmul(clo, tl, th)
                else:
                    pl, ph = _mul(np.broadcast_to(clo, tl.shape), np.broadcast_to(chi, tl.shape),
                                  tl, th)
                sl, sh = _add(acc[lo_i][rows], acc[lo_i + 1][rows], pl, ph)
                parts.append((lo_i, sl, sh))
            for lo_i, sl, sh in parts:
                acc[lo_i][rows] = sl
                acc[lo_i + 1][rows] = sh
        return acc

    def values(self, T):
        """``F`` as a tuple of ``n x k`` bound arrays from a monomial table."""
        return self._sums(self.F_slots, self.neqs, T)

    def jacobian(self, T):
        """``J`` as a tuple of ``n x n x k`` bound arrays (row ``i``: equation)."""
        acc = self._sums(self.J_slots, self.neqs * self.n, T)
        return [a.reshape(self.neqs, self.n, -1) for a in acc]


def _point_times(Yr, Yi, V):
    """``Y V`` for a point matrix ``Y`` (real and imaginary parts ``n x n x k``) and
    an interval matrix ``V`` (4 bound arrays ``n x n x k``), outward rounded."""
    n = Yr.shape[0]
    out = None
    for l in range(n):
        a, b = Yr[:, l][:, None], Yi[:, l][:, None]          # n x 1 x k
        vl = [v[l][None] for v in V]                            # 1 x n x k
        term = (_sub(*_pmul(a, vl[0], vl[1]), *_pmul(b, vl[2], vl[3]))
                + _add(*_pmul(a, vl[2], vl[3]), *_pmul(b, vl[0], vl[1])))
        if out is None:
            out = term
        else:
            out = _add(out[0], out[1], term[0], term[1]) + _add(out[2], out[3], term[2], term[3])
    return out


def contraction_bounds(prog: IntervalProgram, centres, inverses, radii):
    """Bounds of ``|I - Y J(X)|`` over ``k`` boxes at once.

    ``centres``: ``k x n`` complex128, the exact centres ``y``; ``inverses``:
    ``k x n x n`` complex matrices ``Y`` (any matrices; rows with non-finite entries
    give non-finite bounds); ``radii``: ``k`` positive floats ``r``.  The box ``X`` of
    a point is the float box ``[lo, hi]`` per coordinate and part, with
    ``lo <= y - r`` and ``hi >= y + r`` (outward-rounded ``fl(y -+ r)``).

    Returns a dict: ``box`` (4 arrays ``k x n``: re_lo, re_hi, im_lo, im_hi), ``cmag``
    (``k x n x n``: ``cmag[i, j] >= |Re c| + |Im c|`` for every ``c`` in the interval
    entry ``(i, j)`` of ``I - Y J(X)``, so also over any box inside ``X``) and ``crow``
    (``k x n``: upper bounds of the row sums of ``cmag``); non-finite where the float
    range was exceeded.
    """
    check_fpenv()
    Yc = np.asarray(inverses, dtype=np.complex128)
    yc = np.asarray(centres, dtype=np.complex128)
    k, n = yc.shape
    r = np.asarray(radii, dtype=np.float64)[None, :]
    with np.errstate(all="ignore"):
        parts = [yc.real.T.copy(), yc.imag.T.copy()]
        box = tuple(b for p in parts for b in (_dn(p - r), _up(p + r)))
        J = prog.jacobian(prog.table(box))
        Yr = np.moveaxis(Yc.real, 0, -1)                            # n x n x k
        Yi = np.moveaxis(Yc.imag, 0, -1)
        YJ = _point_times(Yr, Yi, J)                                # n x n x k bounds
        # C = I - Y J(X): negation is exact; the diagonal of the real part is 1 - [..]
        cl, ch = -YJ[1], -YJ[0]
        idx = np.arange(n)
        cl[idx, idx] = _dn(1.0 - YJ[1][idx, idx])
        ch[idx, idx] = _up(1.0 - YJ[0][idx, idx])
        cmag = _up(_mag(cl, ch) + _mag(YJ[2], YJ[3]))
        bad = ~np.all(np.isfinite(cmag), axis=(0, 1))
        cmag[:, :, bad] = np.inf
        crow = np.zeros((n, k))
        for j in range(n):
            crow = _up(crow + cmag[:, j])
    return {"box": [a.T for a in box], "cmag": np.moveaxis(cmag, -1, 0), "crow": crow.T}


# ------------------------------------------------- double-double evaluation (not rigorous)
# Error-free transformations (Knuth's TwoSum, Dekker's split and TwoProduct) give F at a
# floating-point point to about 106 bits, for many points at once.  Used only to move a
# centre closer to the solution before the rigorous test in arb: nothing here is
# trusted, a poor result costs time, never soundness.
def _two_sum(a, b):
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _quick(a, b):
    s = a + b
    return s, b - (s - a)


def _split(a):
    c = 134217729.0 * a            # 2^27 + 1
    hi = c - (c - a)
    return hi, a - hi


def _dd_mul_d(xh, xl, b):
    """Double-double ``(xh, xl)`` times double ``b``."""
    p = xh * b
    ah, al = _split(xh)
    bh, bl = _split(b)
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    return _quick(p, e + xl * b)


def _dd_add(xh, xl, yh, yl):
    s, e = _two_sum(xh, yh)
    return _quick(s, e + (xl + yl))


def dd_values(prog: IntervalProgram, centres):
    """``F`` at the rows of ``centres`` (``k x n`` complex128) in double-double
    arithmetic: ``n x k`` complex128 (the leading parts), or None when a coefficient
    is not exact in binary64.  Not rigorous (see above)."""
    if any(not np.array_equal(clo, chi) for _, _, clo, chi in prog.F_slots):
        return None
    k = centres.shape[0]
    xr, xi = centres.real.T, centres.imag.T
    M = prog.nmonos
    Th = [np.empty((M, k)), np.empty((M, k))]        # re, im: leading parts
    Tl = [np.empty((M, k)), np.empty((M, k))]        # trailing parts
    Th[0][0], Th[1][0], Tl[0][0], Tl[1][0] = 1.0, 0.0, 0.0, 0.0
    with np.errstate(all="ignore"):
        for m, (p, v) in enumerate(prog.parents, start=1):
            a = _dd_mul_d(Th[0][p], Tl[0][p], xr[v])
            b = _dd_mul_d(Th[1][p], Tl[1][p], xi[v])
            c = _dd_mul_d(Th[0][p], Tl[0][p], xi[v])
            d = _dd_mul_d(Th[1][p], Tl[1][p], xr[v])
            Th[0][m], Tl[0][m] = _dd_add(a[0], a[1], -b[0], -b[1])
            Th[1][m], Tl[1][m] = _dd_add(c[0], c[1], d[0], d[1])
        acc = [np.zeros((prog.neqs, k)) for _ in range(4)]   # re hi, re lo, im hi, im lo
        for rows, cols, coef, _ in prog.F_slots:
            for j in (0, 1):
                h, l = _dd_mul_d(Th[j][cols], Tl[j][cols], coef)
                acc[2 * j][rows], acc[2 * j + 1][rows] = _dd_add(acc[2 * j][rows],
                                                                 acc[2 * j + 1][rows], h, l)
    return (acc[0] + acc[1]) + 1j * (acc[2] + acc[3])
