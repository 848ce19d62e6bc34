"""Training data as exact rationals, from the forms people hold it in.

A :class:`Dataset` holds m input points (each a vector of ``n_inputs``
rationals) and their targets (``n_outputs`` rationals each), as python-flint
``fmpq``.  :func:`as_dataset` (what ``gradient_system(net, data)`` and
``critical_points(net, data)`` call) accepts:

* a list of ``(input, target)`` samples, each part a number or a sequence:
  ``[((0, 0), (0,)), ((0, 1), (1,)), ((1, 0), (1,)), ((1, 1), (0,))]`` (any
  iterable of pairs, e.g. ``zip(X, Y)``);
* a pair ``(inputs, targets)`` -- a *tuple* of two arrays or nested sequences
  (a tuple of two items is always read this way; samples go in a list);
* a 2-D numpy array or a pandas DataFrame (pandas is optional, never imported
  here) whose last ``n_outputs`` columns are the targets -- or
  :meth:`Dataset.from_frame` with named ``inputs=`` / ``targets=`` columns;
* a CSV path (``str`` or ``os.PathLike``; :func:`load_csv`), ``"xor"``, a ``Dataset``.

Numbers may be ints, ``Fraction``, ``fmpq``, sympy Rationals, floats or strings
like ``"1/3"`` or ``"0.25"``.  Floats are converted to rationals **exactly** by
default (``0.1`` becomes 3602879701896397/36028797018963968, the value the float
really holds), so nothing is ever silently rounded.  Pass ``max_denominator=N``
to instead take, for each float, the closest rational with denominator at most N
(``fractions.Fraction.limit_denominator``; ``0.1`` → 1/10 for N ≥ 10) — smaller
coefficients, a much cheaper Gröbner basis, and a documented rounding.

Shapes: inputs ``(m, n_inputs)`` or ``(m,)`` (one input per point); targets
``(m, n_outputs)`` or ``(m,)``.  Empty data, mismatched lengths, ragged samples,
more than two dimensions, non-numeric entries, NaN and ±inf raise ``ValueError``
(``TypeError`` for a wrong kind of object) naming the sample and what was expected.
"""
from __future__ import annotations

import csv
import math
import numbers
import os
import random
from fractions import Fraction

import flint
import numpy as np
import sympy

__all__ = ["Dataset", "xor", "random_dataset", "as_dataset", "load_csv"]

#: What a single number may be, for error messages.
_NUMBER_KINDS = "an int, a Fraction, a float or a string like '1/3'"


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
            raise ValueError(f"{where}: {v!r} is not a number (expected {_NUMBER_KINDS})") \
                from None
        if max_denominator is not None:
            f = f.limit_denominator(max_denominator)
        return flint.fmpq(f.numerator, f.denominator)
    if isinstance(v, complex) or (isinstance(v, numbers.Complex) and not isinstance(v, numbers.Real)):
        raise ValueError(f"{where}: {v!r} is complex; data must be real")
    if isinstance(v, sympy.Basic):
        if isinstance(v, sympy.Rational):
            return flint.fmpq(int(v.p), int(v.q))
        if not isinstance(v, sympy.Float):
            raise ValueError(f"{where}: {v} is not a rational number")
        v = float(v)
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
    raise TypeError(f"{where}: {v!r} of type {type(v).__name__} is not a number "
                    f"(expected {_NUMBER_KINDS})")


def _is_pandas(obj) -> bool:
    """A pandas object (DataFrame, Series), recognised without importing pandas."""
    return type(obj).__module__.split(".")[0] == "pandas" and hasattr(obj, "to_numpy")


def _to_matrix(values, max_denominator, what):
    """``values`` -> tuple of row tuples of fmpq, shape (m, n); 1-D input is a column."""
    if _is_pandas(values):
        values = values.to_numpy()
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
                raise ValueError(f"{what}[{', '.join(map(str, idx))}] is {kind} (sample {idx[0]})")
        values = values.tolist()
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
        number, row = one_d.index(True), one_d.index(False)
        raise ValueError(f"{what} mix numbers and rows (sample {number} is a number, sample "
                         f"{row} a row); give an (m, n) array")
    width = len(rows[0])
    if width == 0:
        raise ValueError(f"{what} rows are empty: each data point needs at least one value")
    out = []
    for i, r in enumerate(rows):
        r = list(r)
        if len(r) != width:
            raise ValueError(f"{what} are ragged: sample {i} has {len(r)} values, expected "
                             f"{width} (as sample 0)")
        for j, v in enumerate(r):
            if _is_sequence(v):
                raise ValueError(f"{what} have more than two dimensions (entry [{i}][{j}] is a "
                                 "sequence), expected (m, n) or (m,)")
        out.append(tuple(_scalar_to_fmpq(v, max_denominator, f"{what}[{i}, {j}]")
                         for j, v in enumerate(r)))
    return tuple(out)


def _is_sequence(v):
    return hasattr(v, "__len__") and not isinstance(v, (str, bytes))


def _sample_part(part, i, role, max_denominator):
    """One input or target of sample ``i`` as a tuple of fmpq (a number is a 1-vector)."""
    if _is_pandas(part) or isinstance(part, np.ndarray):
        part = np.asarray(part).tolist()
    if not _is_sequence(part):
        return (_scalar_to_fmpq(part, max_denominator, f"sample {i}, {role}"),)
    values = list(part)
    if not values:
        raise ValueError(f"sample {i}: the {role} is empty; expected at least one number")
    for j, v in enumerate(values):
        if _is_sequence(v):
            raise ValueError(f"sample {i}: {role}[{j}] is a sequence; expected the {role} to be "
                             "a number or a flat sequence of numbers")
    return tuple(_scalar_to_fmpq(v, max_denominator, f"sample {i}, {role}[{j}]")
                 for j, v in enumerate(values))


def _from_samples(samples, max_denominator):
    """``(inputs, targets)`` row tuples from an iterable of ``(input, target)`` samples."""
    X, Y = [], []
    for i, sample in enumerate(samples):
        if _is_pandas(sample) or isinstance(sample, np.ndarray):
            sample = np.asarray(sample, dtype=object).tolist()
        if not _is_sequence(sample) or isinstance(sample, dict):
            raise TypeError(f"sample {i}: expected a pair (input, target), got "
                            f"{type(sample).__name__} {sample!r}")
        if len(sample) != 2:
            raise ValueError(f"sample {i}: expected a pair (input, target), got {len(sample)} "
                             f"items {_short(sample)}")
        x = _sample_part(sample[0], i, "input", max_denominator)
        y = _sample_part(sample[1], i, "target", max_denominator)
        if X and len(x) != len(X[0]):
            raise ValueError(f"sample {i}: the input has {len(x)} value{'s' * (len(x) != 1)}, "
                             f"expected {len(X[0])} (as sample 0)")
        if Y and len(y) != len(Y[0]):
            raise ValueError(f"sample {i}: the target has {len(y)} value{'s' * (len(y) != 1)}, "
                             f"expected {len(Y[0])} (as sample 0)")
        X.append(x)
        Y.append(y)
    if not X:
        raise ValueError("the data has no samples: give at least one (input, target) pair")
    return X, Y


def _short(v, limit=60):
    text = repr(v)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _split_columns(array, n_outputs, what):
    """Inputs and targets of a 2-D table whose last ``n_outputs`` columns are the targets."""
    if array.ndim != 2:
        raise ValueError(f"{what} has shape {array.shape}; expected a 2-D table, one row per "
                         "sample, the inputs then the targets")
    if array.shape[1] <= n_outputs:
        raise ValueError(f"{what} has {array.shape[1]} column{'s' * (array.shape[1] != 1)}, "
                         f"need more than n_outputs={n_outputs} (the inputs, then the targets)")
    return array[:, :array.shape[1] - n_outputs], array[:, array.shape[1] - n_outputs:]


class Dataset:
    """m data points ``(x_i, y_i)`` with exact rational coordinates.

    Attributes: ``inputs`` (tuple of m tuples of ``n_inputs`` fmpq), ``targets``
    (tuple of m tuples of ``n_outputs`` fmpq), ``name``.
    """

    def __init__(self, inputs, targets, name=None, max_denominator=None):
        max_denominator = _check_max_denominator(max_denominator)
        self.inputs = _to_matrix(inputs, max_denominator, "inputs")
        self.targets = _to_matrix(targets, max_denominator, "targets")
        if len(self.inputs) != len(self.targets):
            raise ValueError(f"inputs have {len(self.inputs)} data points but targets have "
                             f"{len(self.targets)}")
        self.name = name

    @classmethod
    def from_samples(cls, samples, name=None, max_denominator=None) -> "Dataset":
        """A data set from ``(input, target)`` samples, e.g. ``[((0, 1), (1,)), ...]``.

        Each input and target is a number or a flat sequence of numbers; every sample
        must have as many input and target values as sample 0.
        """
        max_denominator = _check_max_denominator(max_denominator)
        if isinstance(samples, (str, bytes, dict)) or not hasattr(samples, "__iter__"):
            raise TypeError(f"samples must be an iterable of (input, target) pairs, not "
                            f"{type(samples).__name__}")
        X, Y = _from_samples(samples, max_denominator)
        return cls(X, Y, name=name)

    @classmethod
    def from_frame(cls, frame, inputs=None, targets=None, n_outputs=1, name=None,
                   max_denominator=None) -> "Dataset":
        """A data set from a pandas DataFrame (or any table with ``columns`` and ``to_numpy``).

        ``targets``: a column name or a list of them (default: the last ``n_outputs``
        columns); ``inputs``: likewise (default: every column that is not a target).
        """
        if not hasattr(frame, "columns") or not hasattr(frame, "to_numpy"):
            raise TypeError(f"expected a pandas DataFrame, not {type(frame).__name__}")
        columns = list(frame.columns)
        ins, outs = _select_columns(columns, inputs, targets, n_outputs, "the DataFrame")
        table = frame.to_numpy()
        return cls(table[:, ins], table[:, outs], name=name, max_denominator=max_denominator)

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


def load_csv(path, n_outputs=1, max_denominator=None, inputs=None, targets=None):
    """Read data from a CSV file: one sample per row, the inputs then the last ``n_outputs`` targets.

    Values are parsed exactly (integers, ``p/q``, decimals as exact decimal
    fractions: ``0.1`` → 1/10, since the text is the exact value); with
    ``max_denominator`` each value is replaced by the closest rational with at most
    that denominator.  Empty lines and lines starting with ``#`` are skipped; a first
    line whose cells are all non-numeric is a header of column names, which
    ``inputs=`` / ``targets=`` (a name or a list of names) may then select from.
    """
    header, rows = None, []
    with open(path, newline="", encoding="utf-8") as fh:
        for lineno, row in enumerate(csv.reader(fh), start=1):
            cells = [c.strip() for c in row]
            if not cells or not any(cells) or cells[0].startswith("#"):
                continue
            vals = [_csv_number(c) for c in cells]
            if header is None and not rows and all(v is None for v in vals):
                header = cells
                continue
            if None in vals:
                j = vals.index(None)
                column = f"column {j + 1}" + (f" ({header[j]!r})" if header and j < len(header)
                                               else "")
                raise ValueError(f"{path}, line {lineno} (sample {len(rows)}): {column} is "
                                 f"{cells[j]!r}, not a number (expected an integer, p/q or a "
                                 "decimal)")
            if max_denominator is not None:
                vals = [v.limit_denominator(max_denominator) for v in vals]
            rows.append((lineno, vals))
    if not rows:
        raise ValueError(f"{path}: no data rows")
    width = len(rows[0][1])
    for k, (lineno, vals) in enumerate(rows):
        if len(vals) != width:
            raise ValueError(f"{path}, line {lineno} (sample {k}): {len(vals)} columns, expected "
                             f"{width} (as sample 0, line {rows[0][0]})")
    if header is not None and len(header) != width:
        raise ValueError(f"{path}: the header names {len(header)} columns but the rows have {width}")
    if inputs is not None or targets is not None:
        if header is None:
            raise ValueError(f"{path}: inputs=/targets= name columns, but the file has no "
                             "header line")
        ins, outs = _select_columns(header, inputs, targets, n_outputs, str(path))
    else:
        if width <= n_outputs:
            raise ValueError(f"{path}: rows have {width} columns, need more than "
                             f"n_outputs={n_outputs}")
        ins, outs = list(range(width - n_outputs)), list(range(width - n_outputs, width))
    X = [[v[j] for j in ins] for _, v in rows]
    Y = [[v[j] for j in outs] for _, v in rows]
    return Dataset(X, Y, name=os.path.basename(path))


def _csv_number(cell):
    try:
        return Fraction(cell)
    except (ValueError, ZeroDivisionError):
        return None


def _select_columns(columns, inputs, targets, n_outputs, where):
    """Indices of the input and target columns of a table with column names ``columns``.

    ``targets`` / ``inputs``: a name or a list of names; by default the targets are the
    last ``n_outputs`` columns and the inputs every other column."""
    if len(set(columns)) != len(columns):
        raise ValueError(f"{where} has repeated column names: {columns}")

    def pick(spec, role):
        names = [spec] if isinstance(spec, str) or not _is_sequence(spec) else list(spec)
        if not names:
            raise ValueError(f"no {role} columns given")
        missing = [c for c in names if c not in columns]
        if missing:
            raise ValueError(f"{role} column{'s' * (len(missing) != 1)} "
                             f"{', '.join(map(repr, missing))} not in {where} (its columns: "
                             f"{', '.join(map(repr, columns))})")
        return [columns.index(c) for c in names]

    if targets is None:
        if isinstance(n_outputs, bool) or not isinstance(n_outputs, numbers.Integral) \
                or not 1 <= n_outputs < len(columns):
            raise ValueError(f"{where} has {len(columns)} columns; the last n_outputs={n_outputs} "
                             "are the targets and at least one input column must remain (or "
                             "name inputs= and targets=)")
        targets = columns[len(columns) - n_outputs:]
    outs = pick(targets, "target")
    ins = pick([c for c in columns if columns.index(c) not in outs] if inputs is None else inputs,
               "input")
    both = [columns[j] for j in ins if j in outs]
    if both:
        raise ValueError(f"columns {both} of {where} are named both as inputs and as targets")
    return ins, outs


def as_dataset(data, max_denominator=None, n_outputs=None):
    """Normalise training data in any of the forms of the module doc into a :class:`Dataset`.

    ``n_outputs`` (the network's, when known; default 1) says how many trailing columns
    of a single table (2-D array, DataFrame, CSV file) are targets.
    """
    if isinstance(data, Dataset):
        return data
    n_out = 1 if n_outputs is None else n_outputs
    if isinstance(data, (str, os.PathLike)):
        if isinstance(data, str) and data.strip().lower() == "xor":
            return xor()
        if os.path.isfile(data):
            return load_csv(data, n_outputs=n_out, max_denominator=max_denominator)
        raise ValueError(f"data {str(data)!r} is neither the built-in 'xor' nor an existing "
                         "CSV file")
    if _is_pandas(data):
        if hasattr(data, "columns"):
            return Dataset.from_frame(data, n_outputs=n_out, max_denominator=max_denominator)
        raise TypeError(f"a pandas {type(data).__name__} holds one column; give a DataFrame "
                        "(inputs then targets), or a pair (inputs, targets)")
    if isinstance(data, np.ndarray):
        X, Y = _split_columns(data, n_out, "the data array")
        return Dataset(X, Y, max_denominator=max_denominator)
    if isinstance(data, tuple) and len(data) == 2:
        try:
            return Dataset(data[0], data[1], max_denominator=max_denominator)
        except (ValueError, TypeError) as exc:
            if all(_is_sequence(part) and len(part) == 2 for part in data):
                raise type(exc)(f"{exc} (a tuple of two items is read as (inputs, targets); "
                                "pass (input, target) samples as a list)") from None
            raise
    if isinstance(data, (dict, bytes)) or not hasattr(data, "__iter__"):
        raise TypeError(f"data must be a list of (input, target) samples, a pair (inputs, "
                        f"targets), a 2-D array or DataFrame, a CSV path, 'xor' or a Dataset, "
                        f"not {type(data).__name__}")
    return Dataset.from_samples(data, max_denominator=max_denominator)


def _check_max_denominator(max_denominator):
    if max_denominator is None:
        return None
    if isinstance(max_denominator, bool) or not isinstance(max_denominator, numbers.Integral) \
            or max_denominator < 1:
        raise ValueError(f"max_denominator must be a positive integer, got {max_denominator!r}")
    return int(max_denominator)
