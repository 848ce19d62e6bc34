"""Training data as exact rationals.

A :class:`Dataset` holds m input points (each a vector of ``n_inputs``
rationals) and their targets (``n_outputs`` rationals each), as python-flint
``fmpq``.  Inputs may be numpy arrays, nested sequences, ints, ``Fraction``,
``fmpq``, sympy Rationals or strings like ``"1/3"``.

Floats are converted to rationals **exactly** by default (``0.1`` becomes
3602879701896397/36028797018963968, the value the float really holds), so
nothing is ever silently rounded.  Pass ``max_denominator=N`` to instead take,
for each float, the closest rational with denominator at most N
(``fractions.Fraction.limit_denominator``; ``0.1`` → 1/10 for N ≥ 10) — smaller
coefficients, a much cheaper Gröbner basis, and a documented rounding.

Shapes: inputs ``(m, n_inputs)`` or ``(m,)`` (one input per point); targets
``(m, n_outputs)`` or ``(m,)``.  Empty data, mismatched lengths, ragged rows,
more than two dimensions, NaN and ±inf raise ``ValueError`` naming the problem.
"""
from __future__ import annotations

import math
import numbers
import random
from fractions import Fraction

import flint

__all__ = ["Dataset", "xor", "random_dataset", "as_dataset", "load_csv"]


def _scalar_to_fmpq(v, max_denominator, where):
    if isinstance(v, flint.fmpq):
        return v
    if isinstance(v, bool):
        return flint.fmpq(int(v))
    if isinstance(v, (int, flint.fmpz)):
        return flint.fmpq(v)
    if isinstance(v, Fraction):
        return flint.fmpq(v.numerator, v.denominator)
    if isinstance(v, numbers.Integral):
        return flint.fmpq(int(v))
    if isinstance(v, str):
        try:
            f = Fraction(v.strip())
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"{where}: {v!r} is not a number") from None
        if max_denominator is not None:
            f = f.limit_denominator(max_denominator)
        return flint.fmpq(f.numerator, f.denominator)
    if isinstance(v, complex) or (isinstance(v, numbers.Complex) and not isinstance(v, numbers.Real)):
        raise ValueError(f"{where}: {v!r} is complex; data must be real")
    try:
        import sympy
        if isinstance(v, sympy.Basic):
            if isinstance(v, sympy.Rational):
                return flint.fmpq(int(v.p), int(v.q))
            if isinstance(v, sympy.Float):
                v = float(v)
            else:
                raise ValueError(f"{where}: {v} is not a rational number")
    except ImportError:  # pragma: no cover
        pass
    if isinstance(v, numbers.Real):
        x = float(v)
        if math.isnan(x):
            raise ValueError(f"{where} is NaN")
        if math.isinf(x):
            raise ValueError(f"{where} is infinite ({x})")
        f = Fraction(x)
        if max_denominator is not None:
            f = f.limit_denominator(max_denominator)
        return flint.fmpq(f.numerator, f.denominator)
    raise TypeError(f"{where}: {v!r} of type {type(v).__name__} is not a number")


def _to_matrix(values, max_denominator, what):
    """``values`` -> tuple of row tuples of fmpq, shape (m, n); 1-D input is a column."""
    try:
        import numpy as np
        if isinstance(values, np.ndarray):
            if values.dtype.kind not in "biuf":
                if values.dtype.kind == "c":
                    raise ValueError(f"{what} are complex; data must be real")
                if values.dtype.kind != "O":
                    raise TypeError(f"{what} have dtype {values.dtype}, not numbers")
            if values.ndim == 0:
                raise ValueError(f"{what} is a single number; give one row per data point")
            if values.ndim > 2:
                raise ValueError(f"{what} have {values.ndim} dimensions, expected (m, n) or (m,)")
            if values.dtype.kind == "f":
                bad = ~np.isfinite(values)
                if bad.any():
                    idx = tuple(int(i) for i in np.argwhere(bad)[0])
                    kind = "NaN" if np.isnan(values[idx]) else "infinite"
                    raise ValueError(f"{what}[{', '.join(map(str, idx))}] is {kind}")
            values = values.tolist()
    except ImportError:  # pragma: no cover
        pass
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise TypeError(f"{what} must be a sequence or array of numbers, not {type(values).__name__}")
    rows = list(values)
    if not rows:
        raise ValueError(f"{what} are empty: at least one data point is needed")
    one_d = [not _is_sequence(r) for r in rows]
    if all(one_d):
        return tuple((_scalar_to_fmpq(r, max_denominator, f"{what}[{i}]"),)
                     for i, r in enumerate(rows))
    if any(one_d):
        raise ValueError(f"{what} mix numbers and rows; give an (m, n) array")
    width = len(rows[0])
    if width == 0:
        raise ValueError(f"{what} rows are empty: each data point needs at least one value")
    out = []
    for i, r in enumerate(rows):
        r = list(r)
        if len(r) != width:
            raise ValueError(f"{what} are ragged: row {i} has {len(r)} values, row 0 has {width}")
        for j, v in enumerate(r):
            if _is_sequence(v):
                raise ValueError(f"{what} have more than two dimensions (entry [{i}][{j}] is a "
                                 "sequence), expected (m, n) or (m,)")
        out.append(tuple(_scalar_to_fmpq(v, max_denominator, f"{what}[{i}, {j}]")
                         for j, v in enumerate(r)))
    return tuple(out)


def _is_sequence(v):
    return hasattr(v, "__len__") and not isinstance(v, (str, bytes))


class Dataset:
    """m data points ``(x_i, y_i)`` with exact rational coordinates.

    Attributes: ``inputs`` (tuple of m tuples of ``n_inputs`` fmpq), ``targets``
    (tuple of m tuples of ``n_outputs`` fmpq), ``name``.
    """

    def __init__(self, inputs, targets, name=None, max_denominator=None):
        if max_denominator is not None:
            if isinstance(max_denominator, bool) or not isinstance(max_denominator, numbers.Integral) \
                    or max_denominator < 1:
                raise ValueError(f"max_denominator must be a positive integer, got {max_denominator!r}")
            max_denominator = int(max_denominator)
        self.inputs = _to_matrix(inputs, max_denominator, "inputs")
        self.targets = _to_matrix(targets, max_denominator, "targets")
        if len(self.inputs) != len(self.targets):
            raise ValueError(f"inputs have {len(self.inputs)} data points but targets have "
                             f"{len(self.targets)}")
        self.name = name

    @property
    def m(self):
        """Number of data points."""
        return len(self.inputs)

    def __len__(self):
        return len(self.inputs)

    @property
    def n_inputs(self):
        """Dimension of an input point."""
        return len(self.inputs[0])

    @property
    def n_outputs(self):
        """Dimension of a target."""
        return len(self.targets[0])

    def as_arrays(self):
        """``(X, Y)`` as float numpy arrays of shapes (m, n_inputs) and (m, n_outputs)."""
        import numpy as np
        X = np.array([[float(v) for v in row] for row in self.inputs], dtype=float)
        Y = np.array([[float(v) for v in row] for row in self.targets], dtype=float)
        return X, Y

    def describe(self):
        """Short text: name (if any), number of points and dimensions."""
        label = f"{self.name}: " if self.name else ""
        return f"{label}{self.m} points, {self.n_inputs} inputs -> {self.n_outputs} outputs"

    def __eq__(self, other):
        if not isinstance(other, Dataset):
            return NotImplemented
        return self.inputs == other.inputs and self.targets == other.targets

    __hash__ = None

    def __repr__(self):
        return f"Dataset({self.describe()})"


def xor():
    """The XOR data set: inputs {0,1}², target x₁ XOR x₂ (4 points, in the order 00, 01, 10, 11)."""
    return Dataset([[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]], name="xor")


def random_dataset(m, n_inputs=1, n_outputs=1, seed=0, denominator=10, bound=1):
    """m random points with coordinates k/denominator, k uniform in [-bound·denominator, bound·denominator].

    Uses ``random.Random(seed)`` (reproducible across platforms and Python versions).
    Targets are drawn the same way, independently of the inputs.
    """
    for label, v in (("m", m), ("n_inputs", n_inputs), ("n_outputs", n_outputs),
                     ("denominator", denominator), ("bound", bound)):
        if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 1:
            raise ValueError(f"{label} must be a positive integer, got {v!r}")
    rng = random.Random(seed)
    lim = bound * denominator

    def draw(n):
        return [[Fraction(rng.randint(-lim, lim), denominator) for _ in range(n)] for _ in range(m)]

    X = draw(n_inputs)
    Y = draw(n_outputs)
    return Dataset(X, Y, name=f"random(m={m}, seed={seed})")


def load_csv(path, n_outputs=1, max_denominator=None):
    """Read data from a CSV file: each row the inputs then the last ``n_outputs`` targets.

    Values are parsed exactly (integers, ``p/q``, decimals as exact decimal
    fractions: ``0.1`` → 1/10, since the text is the exact value); with
    ``max_denominator`` each value is replaced by the closest rational with at most
    that denominator.  Lines starting with ``#`` and a non-numeric header line are skipped.
    """
    import csv
    rows = []
    with open(path, newline="", encoding="utf-8") as fh:
        for lineno, row in enumerate(csv.reader(fh), start=1):
            cells = [c.strip() for c in row]
            if not cells or not any(cells) or cells[0].startswith("#"):
                continue
            try:
                vals = [Fraction(c) for c in cells]
            except (ValueError, ZeroDivisionError):
                if not rows:
                    continue  # header
                raise ValueError(f"{path}, line {lineno}: non-numeric value in {row}") from None
            if max_denominator is not None:
                vals = [v.limit_denominator(max_denominator) for v in vals]
            rows.append((lineno, vals))
    if not rows:
        raise ValueError(f"{path}: no data rows")
    width = len(rows[0][1])
    if width <= n_outputs:
        raise ValueError(f"{path}: rows have {width} columns, need more than n_outputs={n_outputs}")
    for lineno, vals in rows:
        if len(vals) != width:
            raise ValueError(f"{path}, line {lineno}: {len(vals)} columns, expected {width}")
    X = [v[:width - n_outputs] for _, v in rows]
    Y = [v[width - n_outputs:] for _, v in rows]
    import os
    return Dataset(X, Y, name=os.path.basename(path))


def as_dataset(data, max_denominator=None):
    """Normalise a data specification: a :class:`Dataset`, ``"xor"``, or a pair ``(X, Y)``."""
    if isinstance(data, Dataset):
        return data
    if isinstance(data, str):
        if data.lower() == "xor":
            return xor()
        raise ValueError(f"unknown data set {data!r} (built-in: 'xor')")
    if isinstance(data, tuple) and len(data) == 2:
        return Dataset(data[0], data[1], max_denominator=max_denominator)
    raise TypeError(f"data must be a Dataset, 'xor' or a pair (inputs, targets), not "
                    f"{type(data).__name__}")
