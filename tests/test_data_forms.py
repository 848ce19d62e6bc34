"""Training data in the forms people hold it (issue 14): samples, arrays, DataFrames, CSV.

Oracles: the XOR data written out by hand (the seed's four points), the gradient
system built from an explicit ``Dataset``, and numpy's least squares for a linear
model's unique critical point.
"""
import pathlib
from fractions import Fraction

import flint
import numpy as np
import pytest

import grobnet
from grobnet import Dataset, Network, gradient_system, xor
from grobnet.frontend.data import as_dataset, load_csv

XOR_SAMPLES = [((0, 0), (0,)), ((0, 1), (1,)), ((1, 0), (1,)), ((1, 1), (0,))]
Q = flint.fmpq


@pytest.fixture
def pd():
    """pandas (optional for grobnet, installed by the [test] extra)."""
    return pytest.importorskip("pandas", reason="pandas is not installed: pip install pandas")


def rows(d):
    return ([[Fraction(int(v.p), int(v.q)) for v in r] for r in d.inputs],
            [[Fraction(int(v.p), int(v.q)) for v in r] for r in d.targets])


# ---------------------------------------------------------------------------------------------
# each accepted form

def test_list_of_samples_is_the_xor_data():
    assert as_dataset(XOR_SAMPLES) == xor()
    assert as_dataset([list(map(list, s)) for s in XOR_SAMPLES]) == xor()     # lists, not tuples
    net = Network([2, 2, 1], activation="identity")
    assert gradient_system(net, XOR_SAMPLES).equations == gradient_system(net, xor()).equations


def test_sample_numbers_of_every_kind():
    d = as_dataset([((1, Fraction(1, 3)), 0.5), ((2, "1/3"), "-0.25"), (("2", 0.1), Q(7, 2))])
    X, Y = rows(d)
    assert X == [[1, Fraction(1, 3)], [2, Fraction(1, 3)], [2, Fraction(0.1)]]   # float: exact
    assert Y == [[Fraction(1, 2)], [Fraction(-1, 4)], [Fraction(7, 2)]]
    rounded = as_dataset([((0.1,), 1)], max_denominator=100)
    assert rows(rounded)[0] == [[Fraction(1, 10)]]


def test_scalar_samples_and_zip():
    X, Y = [0, 1, 2], [1, 3, 5]
    assert as_dataset(list(zip(X, Y))) == Dataset(X, Y)
    assert as_dataset(zip(X, Y)) == Dataset(X, Y)              # any iterable of pairs
    assert as_dataset(tuple(zip(X, Y))) == Dataset(X, Y)       # a tuple of three samples
    arr = np.array([[0, 1], [1, 3], [2, 5]])
    assert as_dataset(list(arr)) == Dataset(X, Y)              # rows of an array as samples


def test_numpy_pair_and_table():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    Y = np.array([0, 1, 1, 0])
    assert as_dataset((X, Y)) == xor()
    assert as_dataset(np.column_stack([X, Y])) == xor()        # targets: the last column
    two = as_dataset(np.array([[1, 2, 3], [4, 5, 6]]), n_outputs=2)
    assert rows(two) == ([[1], [4]], [[2, 3], [5, 6]])
    net = Network([2, 1], bias=True)
    assert gradient_system(net, np.column_stack([X, Y])).equations == \
        gradient_system(net, xor()).equations


def test_pandas_dataframe(pd):
    df = pd.DataFrame({"x1": [0, 0, 1, 1], "x2": [0, 1, 0, 1], "y": [0, 1, 1, 0]})
    assert as_dataset(df) == xor()                                        # targets last
    shuffled = df[["y", "x2", "x1"]]
    assert Dataset.from_frame(shuffled, inputs=["x1", "x2"], targets="y") == xor()
    assert Dataset.from_frame(shuffled, targets=["y"]) != xor()          # x2, x1: swapped
    assert as_dataset((df[["x1", "x2"]], df["y"])) == xor()              # a pair of columns
    strings = pd.DataFrame({"x": ["1/3", "0.5"], "y": [1, 2]})
    assert rows(as_dataset(strings)) == ([[Fraction(1, 3)], [Fraction(1, 2)]], [[1], [2]])
    net = Network([2, 2, 1])
    assert gradient_system(net, df).equations == gradient_system(net, xor()).equations


def test_csv_path(tmp_path):
    path = tmp_path / "xor.csv"
    path.write_text("# the XOR points\nx1,x2,y\n0,0,0\n0,1,1\n\n1,0,1\n1,1,0\n")
    assert as_dataset(str(path)) == xor()
    assert as_dataset(path) == xor()                                      # a pathlib.Path
    assert load_csv(path, inputs=["x2", "x1"], targets="y") == Dataset(
        [[0, 0], [1, 0], [0, 1], [1, 1]], [0, 1, 1, 0])
    assert gradient_system(Network([2, 1]), path).equations == \
        gradient_system(Network([2, 1]), xor()).equations
    exact = tmp_path / "exact.csv"
    exact.write_text("1/3,0.1\n2,-0.25\n")
    assert rows(load_csv(exact)) == ([[Fraction(1, 3)], [2]], [[Fraction(1, 10)], [Fraction(-1, 4)]])


def test_critical_points_takes_samples():
    # a linear model y = w x + b: its loss has exactly one critical point, the least
    # squares solution (numpy's lstsq is the oracle)
    samples = [(0, 1), (1, "5/2"), (2, 4), (3, 6.5)]
    cp = grobnet.critical_points(Network([1, 1], bias=True), samples)
    assert cp.complete and cp.dimension == 0 and len(cp.points) == 1
    A = np.array([[0, 1], [1, 1], [2, 1], [3, 1]], dtype=float)
    w, b = np.linalg.lstsq(A, np.array([1, 2.5, 4, 6.5]), rcond=None)[0]
    params = cp.to_records()[0]["parameters"]
    assert params == pytest.approx({"w1_0_0": w, "b1_0": b}, abs=1e-12)


# ---------------------------------------------------------------------------------------------
# errors name the sample and what was expected

@pytest.mark.parametrize("data, exc, message", [
    ([], ValueError, "no samples: give at least one"),
    ([((0, 0), (0,)), ((0, 1), (1,)), ((1,), (1,))], ValueError,
     r"sample 2: the input has 1 value, expected 2 \(as sample 0\)"),
    ([((0, 0), (0,)), ((0, 1), (1, 0))], ValueError,
     r"sample 1: the target has 2 values, expected 1 \(as sample 0\)"),
    ([((0, 0), (0,)), ((0, 1), (1,), 7)], ValueError,
     r"sample 1: expected a pair \(input, target\), got 3 items"),
    ([((0, 0), (0,)), 5], TypeError, r"sample 1: expected a pair \(input, target\), got int"),
    ([((0, 0), (0,)), ((0, "abc"), (1,))], ValueError,
     r"sample 1, input\[1\]: 'abc' is not a number \(expected an int, a Fraction"),
    ([((0, None), (0,))], TypeError, r"sample 0, input\[1\]: None of type NoneType is not a number"),
    ([((0, float("nan")), (0,))], ValueError, r"sample 0, input\[1\] is NaN"),
    ([((0, 1j), (0,))], ValueError, "complex; data must be real"),
    ([(((0, 1), 2), (0,))], ValueError, r"sample 0: input\[0\] is a sequence"),
    ([((), (0,))], ValueError, "sample 0: the input is empty"),
    ({"x": [0, 1], "y": [1, 2]}, TypeError, "data must be a list of .input, target. samples"),
    (42, TypeError, "data must be a list"),
    ("no_such_file.csv", ValueError, "neither the built-in 'xor' nor an existing CSV file"),
    (np.zeros((2, 2, 2)), ValueError, r"shape \(2, 2, 2\); expected a 2-D table"),
    (np.zeros((3, 1)), ValueError, "1 column, need more than n_outputs=1"),
    (np.array([["a", "b"]]), TypeError, "dtype <U1, not numbers"),
])
def test_bad_data_is_named(data, exc, message):
    with pytest.raises(exc, match=message):
        as_dataset(data)


def test_tuple_of_two_samples_gets_a_hint():
    with pytest.raises(ValueError, match=r"ragged.*a tuple of two items is read as \(inputs, "
                                         r"targets\); pass \(input, target\) samples as a list"):
        as_dataset((((0, 0), (0,)), ((1,), (1,))))
    # as a list the same two samples are read as samples (and are ragged by sample)
    with pytest.raises(ValueError, match="sample 1: the input has 1 value, expected 2"):
        as_dataset([((0, 0), (0,)), ((1,), (1,))])


def test_samples_must_fit_the_network():
    with pytest.raises(ValueError, match="data points have 2 inputs but the network"):
        gradient_system(Network([1, 1]), XOR_SAMPLES)


def test_dataframe_errors(pd):
    df = pd.DataFrame({"x": [0.0, 1.0], "y": [1.0, float("nan")]})
    with pytest.raises(ValueError, match=r"targets\[1, 0\] is NaN \(sample 1\)"):
        as_dataset(df)
    with pytest.raises(ValueError, match=r"target column 'z' not in the DataFrame \(its "
                                         r"columns: 'x', 'y'\)"):
        Dataset.from_frame(df, targets="z")
    with pytest.raises(ValueError, match="named both as inputs and as targets"):
        Dataset.from_frame(df, inputs=["x", "y"], targets="y")
    with pytest.raises(ValueError, match="at least one input column must remain"):
        as_dataset(df[["y"]])
    with pytest.raises(TypeError, match="pandas Series holds one column"):
        as_dataset(df["x"])
    text = pd.DataFrame({"x": ["1/3", "oops"], "y": [1, 2]})
    with pytest.raises(ValueError, match=r"inputs\[1, 0\]: 'oops' is not a number"):
        as_dataset(text)


@pytest.mark.parametrize("text, message", [
    ("x,y\n0,1\n1,abc\n", r"line 3 \(sample 1\): column 2 \('y'\) is 'abc', not a number"),
    ("0,1\nx,2\n", r"line 2 \(sample 1\): column 1 is 'x', not a number"),
    ("0,1\n1,2,3\n", r"line 2 \(sample 1\): 3 columns, expected 2 \(as sample 0, line 1\)"),
    ("# only a comment\n", "no data rows"),
    ("5\n6\n", "rows have 1 columns, need more than n_outputs=1"),
    ("a,b\n1,2\n", None),
])
def test_csv_errors(tmp_path, text, message):
    path = tmp_path / "data.csv"
    path.write_text(text)
    if message is None:                        # a header line with names is not an error
        assert rows(load_csv(path)) == ([[1]], [[2]])
        with pytest.raises(ValueError, match=r"input column 'c' not in .*data.csv \(its "
                                             r"columns: 'a', 'b'\)"):
            load_csv(path, inputs="c", targets="b")
        return
    with pytest.raises(ValueError, match=message):
        load_csv(path)


def test_csv_names_need_a_header(tmp_path):
    path = pathlib.Path(tmp_path) / "plain.csv"
    path.write_text("0,1\n1,2\n")
    with pytest.raises(ValueError, match="no header line"):
        load_csv(path, targets="y")
