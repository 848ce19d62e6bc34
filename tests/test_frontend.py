"""Network -> polynomial system, checked against independently derived sympy systems.

The oracle builds each network's loss directly in sympy from the documented
conventions (parameter names ``w{l}_{j}_{i}``, ``b{l}_{j}``, layers from 1, units from 0,
MSE = (1/m) sum (f - y)^2, L2 adds lam * sum theta^2) and differentiates with
``sympy.diff``; grobnet's flint-built system must agree term by term.
"""
import random
from fractions import Fraction

import flint
import numpy as np
import pytest
import sympy

from grobnet.frontend import (L2, Dataset, GeneralizedL2, Network, get_activation,
                              gradient_system, loss_polynomial, random_dataset, xor)
from grobnet.frontend.loss import as_regularization


# -- the independent sympy oracle ---------------------------------------------------

def sympy_parameters(widths, bias):
    """Parameter symbols in the documented order: per layer, per unit: weights, then bias."""
    names = []
    for l in range(1, len(widths)):
        for j in range(widths[l]):
            names += [f"w{l}_{j}_{i}" for i in range(widths[l - 1])]
            if bias:
                names.append(f"b{l}_{j}")
    return [sympy.Symbol(n) for n in names]


def sympy_loss(widths, act, bias, X, Y, lams=None, mean=True):
    """The training loss written out in sympy (act: a python function on sympy expressions)."""
    S = {str(s): s for s in sympy_parameters(widths, bias)}
    total = 0
    for x, y in zip(X, Y):
        h = [sympy.Rational(v) for v in x]
        for l in range(1, len(widths)):
            z = []
            for j in range(widths[l]):
                zj = sum(S[f"w{l}_{j}_{i}"] * h[i] for i in range(widths[l - 1]))
                if bias:
                    zj += S[f"b{l}_{j}"]
                z.append(zj)
            h = [act(v) for v in z] if l < len(widths) - 1 else z
        total += sum((hk - sympy.Rational(yk)) ** 2 for hk, yk in zip(h, y))
    if mean:
        total = total / len(X)
    if lams is not None:
        total += sum(sympy.Rational(lam) * s ** 2
                     for lam, s in zip(lams, sympy_parameters(widths, bias)))
    return sympy.expand(total)


def poly_dict(expr, syms):
    poly = sympy.Poly(expr, *syms, domain=sympy.QQ)
    return {m: Fraction(int(c.numerator), int(c.denominator)) for m, c in poly.as_dict().items()}


def flint_dict(f):
    return {tuple(int(e) for e in m): Fraction(int(c.p), int(c.q)) for m, c in f.terms()}


def assert_matches_sympy(system, widths, act, bias, X, Y, lams=None, mean=True):
    syms = sympy_parameters(widths, bias)
    assert list(system.variables) == [str(s) for s in syms]
    L = sympy_loss(widths, act, bias, X, Y, lams, mean)
    assert flint_dict(system.loss) == poly_dict(L, syms)
    assert len(system) == len(syms)
    for s, f in zip(syms, system.equations):
        assert flint_dict(f) == poly_dict(sympy.diff(L, s), syms), f"d/d{s}"


XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]]
XOR_Y = [[0], [1], [1], [0]]


# -- systems equal the sympy oracle -----------------------------------------------------

def test_seed_xor_2221_linear_matches_sympy():
    s = gradient_system(Network([2, 2, 2, 1]), xor())
    assert_matches_sympy(s, [2, 2, 2, 1], lambda z: z, False, XOR_X, XOR_Y)
    assert repr(s) == ("PolynomialSystem(10 equations in 10 variables, max degree 5, "
                       "'xor [2,2,2,1] identity')")


def test_121_square_plus_bias_l2_matches_sympy():
    X = [[-1], [Fraction(-1, 2)], [0], [Fraction(1, 2)], [1]]
    Y = [[1], [0], [Fraction(-1, 3)], [0], [1]]
    s = gradient_system(Network([1, 2, 1], "z+z^2", bias=True), Dataset(X, Y),
                        reg=L2(Fraction(1, 10)))
    assert_matches_sympy(s, [1, 2, 1], lambda z: z + z**2, True, X, Y,
                         lams=[Fraction(1, 10)] * 7)


def test_generalized_l2_with_given_weights_matches_sympy():
    lams = [Fraction(k, 7) for k in range(1, 10)]
    s = gradient_system(Network([2, 2, 1], "square", bias=True), xor(),
                        reg=GeneralizedL2(lams=lams))
    assert_matches_sympy(s, [2, 2, 1], lambda z: z**2, True, XOR_X, XOR_Y, lams=lams)


def test_generalized_l2_seed_weights_match_documented_generator():
    net = Network([2, 2, 1], "z+z^2", bias=True)
    rng = random.Random(5)
    lams = [Fraction(rng.randint(1, 1000), 1000) for _ in range(net.n_parameters)]
    s = gradient_system(net, xor(), reg=GeneralizedL2(seed=5))
    assert s.metadata["lambdas"] == [flint.fmpq(l.numerator, l.denominator) for l in lams]
    assert_matches_sympy(s, [2, 2, 1], lambda z: z + z**2, True, XOR_X, XOR_Y, lams=lams)


def test_many_points_two_outputs_tanh_sse_matches_sympy():
    # more points than monomials in x: exercises the Gram-matrix construction at full rank
    d = random_dataset(9, n_inputs=2, n_outputs=2, seed=4)
    X = [[Fraction(int(v.p), int(v.q)) for v in row] for row in d.inputs]
    Y = [[Fraction(int(v.p), int(v.q)) for v in row] for row in d.targets]
    s = gradient_system(Network([2, 1, 2], "tanh", bias=True), d, loss="sse")
    assert_matches_sympy(s, [2, 1, 2], lambda z: z - z**3 / 3, True, X, Y, mean=False)


def test_output_activation_applies_to_last_layer():
    net = Network([1, 1, 1], "square", output_activation="z+z^2")
    ctx = net.context()
    w1, w2 = ctx.gens()
    (f,) = net.symbolic_outputs([3])
    z = w2 * (3 * w1) ** 2
    assert f == z + z**2


def test_gradient_of_stored_loss_is_the_system_by_sympy_diff():
    s = gradient_system(Network([1, 2, 1], "relu", bias=True), random_dataset(6, seed=2),
                        reg=GeneralizedL2(seed=9))
    syms = [sympy.Symbol(v) for v in s.variables]
    exprs, _ = s.to_sympy()
    (loss_expr,), _ = type(s)(s.variables, [s.loss]).to_sympy()
    for sym, e in zip(syms, exprs):
        assert sympy.expand(sympy.diff(loss_expr, sym) - e) == 0


def test_integer_equations_are_positive_multiples():
    s = gradient_system(Network([1, 2, 1], "z+z^2", bias=True), random_dataset(5, seed=3),
                        reg=L2(Fraction(1, 3)))
    for f, g in zip(s.equations, s.integer_equations):
        fd, gd = flint_dict(f), {tuple(int(e) for e in m): int(c) for m, c in g.terms()}
        ratios = {Fraction(gd[m]) / c for m, c in fd.items()}
        assert set(fd) == set(gd) and len(ratios) == 1 and ratios.pop() > 0


def test_mse_is_sse_over_m():
    net, d = Network([2, 2, 1], "square"), xor()
    assert loss_polynomial(net, d, "sse") == 4 * loss_polynomial(net, d, "mse")


def test_l2_adds_lambda_sum_of_squares_including_biases():
    net, d = Network([2, 1, 1], "z+z^2", bias=True), xor()
    diff = loss_polynomial(net, d, reg=L2(Fraction(2, 3))) - loss_polynomial(net, d)
    ctx = net.context()
    assert diff == sum((flint.fmpq(2, 3) * g**2 for g in ctx.gens()), ctx.constant(0))
    assert {"b1_0", "b2_0"} <= set(net.parameters)


# -- shared systems (generated elsewhere) are reproduced exactly --------------------------

FIVE_X = [[-1], [Fraction(-1, 2)], [0], [Fraction(1, 2)], [1]]
# The 1-input files depend on the data only through sum x^k (k<=4) and sum y x^k (k<=2);
# these points and targets have exactly the file's moments (derived by hand from the files).
FIVE_Y = [[1], [0], [Fraction(-1, 3)], [0], [1]]


@pytest.mark.parametrize("name, widths, act, bias, data, reg", [
    ("nn_xor_2221_linear_seed", [2, 2, 2, 1], "identity", False, "xor", None),
    ("nn_121_sq_bias_l2", [1, 2, 1], "z+z^2", True, "five", L2(Fraction(1, 10))),
    ("nn_121_sq_bias_gl2", [1, 2, 1], "z+z^2", True, "five", GeneralizedL2(seed=1)),
    ("nn_131_sq_bias_gl2", [1, 3, 1], "z+z^2", True, "five", GeneralizedL2(seed=2)),
    ("nn_xor_221_sq_bias_gl2", [2, 2, 1], "z+z^2", True, "xor", GeneralizedL2(seed=3)),
])
def test_reproduces_shared_network_systems(systems_dir, name, widths, act, bias, data, reg):
    from grobnet.frontend import read_msolve
    path = systems_dir / f"{name}.ms"
    if not path.exists():
        pytest.skip(f"{name}.ms absent")
    ref = read_msolve(path)
    d = xor() if data == "xor" else Dataset(FIVE_X, FIVE_Y)
    s = gradient_system(Network(widths, act, bias=bias), d, reg=reg)
    assert s.variables == ref.variables
    # same equations up to a positive factor each: equal primitive integer forms
    assert s.integer_equations == ref.integer_equations


# -- networks ---------------------------------------------------------------------------

def test_parameter_names_and_order():
    net = Network([2, 2, 1], bias=True)
    assert net.parameters == ("w1_0_0", "w1_0_1", "b1_0", "w1_1_0", "w1_1_1", "b1_1",
                              "w2_0_0", "w2_0_1", "b2_0")
    assert net.n_parameters == 9
    W, b = net.layer_indices(2)
    assert W == [[6, 7]] and b == [8]
    assert Network([3, 1]).parameters == ("w1_0_0", "w1_0_1", "w1_0_2")
    assert Network("2,2,1").widths == (2, 2, 1)


def test_forward_matches_exact_symbolic_and_sympy_evaluation():
    net = Network([2, 3, 2], "sigmoid", bias=True)
    rng = np.random.default_rng(0)
    theta = [Fraction(int(k), 8) for k in rng.integers(-8, 9, net.n_parameters)]
    x = [Fraction(1, 2), Fraction(-3, 4)]
    numeric = net.forward([float(t) for t in theta], [float(v) for v in x])
    exact = [f(*[flint.fmpq(t.numerator, t.denominator) for t in theta])
             for f in net.symbolic_outputs(x)]
    # independent: sympy forward pass with the documented formula
    sig = get_activation("sigmoid").to_sympy()
    zs = sympy.Symbol("z")
    params = dict(zip(net.parameters, theta))
    h = [sympy.Rational(v) for v in x]
    for l in (1, 2):
        z = [sum(sympy.Rational(params[f"w{l}_{j}_{i}"]) * h[i] for i in range(len(h)))
             + sympy.Rational(params[f"b{l}_{j}"]) for j in range(net.widths[l])]
        h = [sig.subs(zs, v) for v in z] if l == 1 else z
    assert [Fraction(int(e.p), int(e.q)) for e in exact] == [Fraction(int(v.p), int(v.q)) for v in h]
    np.testing.assert_allclose(numeric, [float(v) for v in h], rtol=1e-12)
    batch = net.forward(dict(zip(net.parameters, map(float, theta))), np.array([[0.5, -0.75]] * 3))
    assert batch.shape == (3, 2)


@pytest.mark.parametrize("widths, exc, words", [
    ([2], ValueError, "at least two"),
    ([2, 0, 1], ValueError, "width 1 is 0"),
    ([2, -1, 1], ValueError, "width 1 is -1"),
    ([2, 1.5, 1], TypeError, "width 1"),
    ([2, 2.0, 1], TypeError, "float"),
    (["2", 1], TypeError, "width 0"),
    (None, TypeError, "widths"),
    ("2,x,1", ValueError, "'x'"),
])
def test_bad_widths(widths, exc, words):
    with pytest.raises(exc, match=words):
        Network(widths)


def test_bad_bias_flag():
    with pytest.raises(TypeError, match="bias must be True or False"):
        Network([1, 1], bias="yes")


def test_bad_parameter_vectors():
    net = Network([1, 1, 1])
    with pytest.raises(ValueError, match="3 parameter values given, the network has 2"):
        net.forward([1.0, 2.0, 3.0], [1.0])
    with pytest.raises(ValueError, match="missing parameter"):
        net.forward({"w1_0_0": 1.0}, [1.0])
    with pytest.raises(ValueError, match="does not fit 1 network inputs"):
        net.forward([1.0, 2.0], [1.0, 2.0])


# -- activations -------------------------------------------------------------------------

def test_named_activation_approximations_are_as_documented():
    z = sympy.Symbol("z")
    tanh = get_activation("tanh").to_sympy(z)
    assert sympy.expand(tanh - sympy.series(sympy.tanh(z), z, 0, 4).removeO()) == 0
    sig = get_activation("sigmoid").to_sympy(z)
    assert sympy.expand(sig - sympy.series(1 / (1 + sympy.exp(-z)), z, 0, 4).removeO()) == 0
    # relu: least-squares degree-2 fit of max(0,z) on [-1,1], from the normal equations
    a = sympy.symbols("a0:3")
    p = a[0] + a[1] * z + a[2] * z**2
    err = sympy.integrate((z - p) ** 2, (z, 0, 1)) + sympy.integrate(p**2, (z, -1, 0))
    sol = sympy.solve([sympy.diff(err, ai) for ai in a], a)
    assert sympy.expand(get_activation("relu").to_sympy(z) - p.subs(sol)) == 0
    assert get_activation("identity").is_identity()
    assert get_activation("square").to_sympy(z) == z**2
    assert get_activation("z+z^2") == get_activation([0, 1, 1]) == get_activation(z + z**2)
    assert get_activation("z - 1/3*z^3") == get_activation("tanh")
    assert get_activation(["1/2", Fraction(1, 4), 0, Fraction(-1, 48)]) == get_activation("sigmoid")


@pytest.mark.parametrize("spec, exc, words", [
    (sympy.sin(sympy.Symbol("z")), ValueError, "not a polynomial"),
    (1 / sympy.Symbol("z"), ValueError, "not a polynomial"),
    (sympy.sqrt(sympy.Symbol("z")), ValueError, "not a polynomial"),
    (sympy.pi * sympy.Symbol("z"), ValueError, "non-rational"),
    (sympy.Float(0.5) * sympy.Symbol("z"), ValueError, "float"),
    ([0.5, 1], ValueError, "float"),
    (np.array([0.0, 1.0]), ValueError, "float"),
    ("sin(z)", ValueError, "function call"),
    ("1/z", ValueError, "division by a non-constant"),
    ("z^-1", ValueError, "negative exponent"),
    ("z*y", ValueError, "unknown variable 'y'"),
    ("", ValueError, "empty"),
    ([], ValueError, "empty"),
    ([0, 0], ValueError, "zero polynomial"),
    (sympy.Symbol("x") * sympy.Symbol("z"), ValueError, "univariate"),
    (np.tanh, TypeError, "Python function"),
    (3.5, TypeError, "not understood"),
])
def test_bad_activations(spec, exc, words):
    with pytest.raises(exc, match=words):
        get_activation(spec)


# -- data --------------------------------------------------------------------------------

def test_xor_dataset():
    d = xor()
    assert (d.m, d.n_inputs, d.n_outputs) == (4, 2, 1)
    assert [[int(v) for v in r] for r in d.inputs] == XOR_X
    assert [[int(v) for v in r] for r in d.targets] == XOR_Y


def test_floats_are_exact_or_rounded_as_documented():
    d = Dataset([[0.1], [0.5]], [0.25, 3])
    assert d.inputs[0][0] == flint.fmpq(Fraction(0.1).numerator, Fraction(0.1).denominator)
    assert d.inputs[1][0] == flint.fmpq(1, 2) and d.targets[1][0] == 3
    r = Dataset(np.array([[0.1], [1 / 3]]), np.array([1.0, 2.0]), max_denominator=100)
    assert r.inputs == ((flint.fmpq(1, 10),), (flint.fmpq(1, 3),))
    assert Dataset([1, 2], [3, 4]).n_inputs == 1
    assert Dataset(np.array([[1, 2]], dtype=np.int64), [[Fraction(1, 3)]]).targets[0][0] == \
        flint.fmpq(1, 3)


@pytest.mark.parametrize("X, Y, exc, words", [
    ([], [], ValueError, "inputs are empty"),
    (np.zeros((0, 2)), np.zeros((0, 1)), ValueError, "inputs are empty"),
    ([[0, 0], [1, 1]], [[0]], ValueError, "2 data points but targets have 1"),
    ([[0, 0], [1]], [[0], [1]], ValueError, "ragged"),
    (np.zeros((2, 2, 2)), np.zeros((2, 1)), ValueError, "3 dimensions"),
    ([[[0]], [[1]]], [0, 1], ValueError, "more than two dimensions"),
    ([[0.0], [float("nan")]], [0, 1], ValueError, "NaN"),
    (np.array([[0.0], [np.inf]]), [0, 1], ValueError, r"inputs\[1, 0\] is infinite"),
    ([[0], [1]], [0, float("-inf")], ValueError, "infinite"),
    ([[0], [1]], [0, 1j], ValueError, "complex"),
    (np.array([["a"], ["b"]]), [0, 1], TypeError, "dtype"),
    ("xy", [0, 1], TypeError, "sequence"),
    ([[0], [1]], [0, "one"], ValueError, "not a number"),
    ([[], []], [0, 1], ValueError, "rows are empty"),
    ([[0], 1], [0, 1], ValueError, "mix numbers and rows"),
])
def test_bad_data(X, Y, exc, words):
    with pytest.raises(exc, match=words):
        Dataset(X, Y)


def test_data_must_fit_the_network():
    with pytest.raises(ValueError, match="data points have 2 inputs but the network"):
        gradient_system(Network([1, 1]), xor())
    with pytest.raises(ValueError, match="targets have 1 outputs but the network"):
        gradient_system(Network([2, 2]), xor())
    with pytest.raises(ValueError, match="max_denominator"):
        Dataset([1], [1], max_denominator=0)


# -- regularization and loss options ---------------------------------------------------------

def test_bad_regularization():
    net = Network([2, 1, 1])
    with pytest.raises(ValueError, match="2 weights but the network has 3 parameters"):
        gradient_system(net, xor(), reg=GeneralizedL2(lams=[1, 2]))
    with pytest.raises(ValueError, match="negative"):
        L2(-1)
    with pytest.raises(ValueError, match="float"):
        L2(0.1)
    with pytest.raises(ValueError, match=r"lams\[1\].*negative"):
        GeneralizedL2(lams=[1, -2, 3])
    with pytest.raises(ValueError, match="either lams"):
        GeneralizedL2()
    with pytest.raises(ValueError, match="unknown regularization"):
        as_regularization("l1")
    with pytest.raises(ValueError, match="unknown loss"):
        gradient_system(net, xor(), loss="mae")
    assert as_regularization("l2", lam="1/3") == L2(Fraction(1, 3))
    assert as_regularization("generalized-l2", seed=4) == GeneralizedL2(seed=4)
    assert as_regularization("none") is None


def test_metadata_records_the_problem():
    net = Network([2, 2, 1], "z+z^2", bias=True)
    s = gradient_system(net, xor(), reg=GeneralizedL2(seed=1))
    assert s.metadata["network"] == net
    assert s.metadata["data"] == xor()
    assert s.metadata["loss_kind"] == "mse"
    assert s.metadata["regularization"] == GeneralizedL2(seed=1)
    assert len(s.metadata["lambdas"]) == 9
    assert "generalized L2(seed=1)" in s.metadata["description"]


def test_build_speed_2331_with_100_points():
    import time
    net = Network([2, 3, 3, 1], "z+z^2", bias=True)
    d = random_dataset(100, n_inputs=2, n_outputs=1, seed=1)
    t = time.perf_counter()
    s = gradient_system(net, d)
    elapsed = time.perf_counter() - t
    assert len(s) == 25 and s.loss.total_degree() == 14
    assert elapsed < 10, f"building the [2,3,3,1] system took {elapsed:.1f} s"


@pytest.mark.slow
def test_build_speed_2441_with_100_points():
    import time
    net = Network([2, 4, 4, 1], "z+z^2", bias=True)
    d = random_dataset(100, n_inputs=2, n_outputs=1, seed=1)
    t = time.perf_counter()
    s = gradient_system(net, d)
    elapsed = time.perf_counter() - t
    assert len(s) == 37 and s.loss.total_degree() == 14
    assert elapsed < 30, f"building the [2,4,4,1] system took {elapsed:.1f} s"
