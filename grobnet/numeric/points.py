"""Sets of approximate points with tolerant membership: the solution stores of monodromy.

Two points are *the same* when ``max_i |x_i - y_i| <= tol * (1 + max_i |x_i|)`` (for
either of the two as ``x``).  Candidates are found by sorting along a fixed real
projection ``key(x) = sum_i (a_i Re x_i + b_i Im x_i)`` with weights in ``[1/2, 1]``:
``|key(x) - key(y)| <= 2 n max_i |x_i - y_i|``, so only points whose keys lie within
``2 n tol (1 + max |x|)`` of each other are compared -- a few per point, all in
vectorised numpy (no Python loop over points).
"""
from __future__ import annotations

from typing import Optional

import numpy as np

__all__ = ["PointSet", "deduplicate"]


def _keys(points: np.ndarray, weights: np.ndarray) -> np.ndarray:
    return points.real @ weights[0] + points.imag @ weights[1]


def _same(a: np.ndarray, b: np.ndarray, tol: float) -> np.ndarray:
    """Row-wise: ``a`` and ``b`` are the same point (either side's scale)."""
    d = np.max(np.abs(a - b), axis=-1)
    scale = 1.0 + np.maximum(np.max(np.abs(a), axis=-1), np.max(np.abs(b), axis=-1))
    return d <= tol * scale


def _pairs(lo: np.ndarray, hi: np.ndarray):
    """All ``(i, k)`` with ``lo[i] <= k < hi[i]``, as two index arrays."""
    counts = np.maximum(hi - lo, 0)
    rows = np.repeat(np.arange(len(lo)), counts)
    starts = np.repeat(lo - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
    return rows, starts + np.arange(counts.sum())


class PointSet:
    """A growing set of distinct points in ``C^n`` (rows), insertion order kept.

    :meth:`add` returns, for each given point, the index of the equal point in the set
    (appending it if new), so callers keep correspondences between sets.
    """

    def __init__(self, nvars: int, tol: float = 1e-6):
        if tol <= 0:
            raise ValueError(f"tol must be positive, got {tol}")
        self.nvars = int(nvars)
        self.tol = float(tol)
        rng = np.random.default_rng(12345)          # fixed: results never depend on it
        self._w = rng.uniform(0.5, 1.0, size=(2, self.nvars))
        self._pts = np.zeros((0, self.nvars), dtype=np.complex128)
        self._keys = np.zeros(0)
        self._order = np.zeros(0, dtype=np.int64)   # indices sorted by key
        self._big = 0.0                             # max |x_i| over the set

    def __len__(self) -> int:
        return len(self._pts)

    @property
    def points(self) -> np.ndarray:
        """The distinct points, in insertion order (a view; do not modify)."""
        return self._pts

    def _width(self, big: float) -> float:
        return 2.0 * self.nvars * self.tol * (1.0 + big) * 1.01

    def find(self, points: np.ndarray) -> np.ndarray:
        """Index in the set of each point, -1 where absent."""
        points = np.asarray(points, dtype=np.complex128).reshape(-1, self.nvars)
        out = np.full(len(points), -1, dtype=np.int64)
        if len(points) == 0 or len(self._pts) == 0:
            return out
        k = _keys(points, self._w)
        big = max(self._big, float(np.max(np.abs(points))) if len(points) else 0.0)
        w = self._width(big)
        sk = self._keys[self._order]
        lo = np.searchsorted(sk, k - w, side="left")
        hi = np.searchsorted(sk, k + w, side="right")
        rows, cols = _pairs(lo, hi)
        if len(rows) == 0:
            return out
        idx = self._order[cols]
        hit = _same(points[rows], self._pts[idx], self.tol)
        rows, idx = rows[hit], idx[hit]
        # the earliest equal point of the set for each row
        best = np.full(len(points), np.iinfo(np.int64).max)
        np.minimum.at(best, rows, idx)
        found = best != np.iinfo(np.int64).max
        out[found] = best[found]
        return out

    def add(self, points: np.ndarray) -> np.ndarray:
        """Add the points not yet present; returns each point's index in the set.  Equal
        points within the batch get the index of the first of them."""
        points = np.asarray(points, dtype=np.complex128).reshape(-1, self.nvars)
        out = self.find(points)
        new = np.nonzero(out < 0)[0]
        if len(new) == 0:
            return out
        cand = points[new]
        first = _first_equal(cand, self._w, self.tol)         # within the batch
        fresh = new[first == np.arange(len(new))]
        base = len(self._pts)
        self._pts = np.vstack([self._pts, points[fresh]])
        self._keys = np.concatenate([self._keys, _keys(points[fresh], self._w)])
        self._order = np.argsort(self._keys, kind="stable")
        self._big = max(self._big, float(np.max(np.abs(points[fresh]))))
        out[new] = base + np.searchsorted(fresh, new[first])
        return out


def _first_equal(points: np.ndarray, weights: np.ndarray, tol: float) -> np.ndarray:
    """For each row, the smallest index of a row equal to it (itself if none earlier)."""
    N, n = points.shape
    first = np.arange(N)
    if N < 2:
        return first
    key = _keys(points, weights)
    order = np.argsort(key, kind="stable")
    sk = key[order]
    big = float(np.max(np.abs(points)))
    w = 2.0 * n * tol * (1.0 + big) * 1.01
    hi = np.searchsorted(sk, sk + w, side="right")
    lo = np.arange(N) + 1
    rows, cols = _pairs(lo, hi)                    # sorted positions i < k within window
    if len(rows) == 0:
        return first
    a, b = order[rows], order[cols]
    hit = _same(points[a], points[b], tol)
    a, b = a[hit], b[hit]
    lo_, hi_ = np.minimum(a, b), np.maximum(a, b)
    # a point equals an earlier one: follow to the earliest (chains resolved by repetition)
    np.minimum.at(first, hi_, lo_)
    for _ in range(64):
        nxt = first[first]
        if np.array_equal(nxt, first):
            break
        first = nxt
    return first


def deduplicate(points: np.ndarray, known: Optional[np.ndarray] = None, tol: float = 1e-6):
    """Rows of ``points`` that are distinct from each other and from the rows of ``known``
    (first occurrence kept, order preserved); equality as in :class:`PointSet`."""
    points = np.asarray(points, dtype=np.complex128)
    if points.ndim != 2:
        raise ValueError(f"points must be a 2-d array, got shape {points.shape}")
    n = points.shape[1]
    store = PointSet(n, tol)
    if known is not None:
        known = np.asarray(known, dtype=np.complex128).reshape(-1, n)
        store.add(known)
    nk = len(store)
    idx = store.add(points)
    # keep the rows that created a new entry (the first of each equal group)
    values, first = np.unique(idx, return_index=True)
    return points[np.sort(first[values >= nk])]
