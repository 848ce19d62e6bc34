"""Hostile and edge input (issue 9): each case gets a clear, named error or a correct answer.

Correct answers are checked against independent oracles (sympy's Groebner bases, known facts
such as the roots of x^n - 1); errors must have the right type and a message naming the
problem.  Budget cases use small timeouts so that the whole file stays fast.
"""
from __future__ import annotations

import math
import pathlib
import time

import flint
import numpy as np
import pytest
import sympy

import grobnet as g
from grobnet.engine import _core
from conftest import systems_path

P = 65521
DATA = pathlib.Path(__file__).parent / "data"
SYSTEMS = systems_path()
x, y = sympy.symbols("x y")


def modp_dicts(basis):
    """A GF(p) GroebnerBasis as a set of frozen {monomial: int coefficient} dicts."""
    return {frozenset((tuple(m), int(c)) for m, c in f.to_dict().items()) for f in basis.polys}


def sympy_modp_dicts(exprs, gens, p, order="grevlex"):
    G = sympy.groebner(exprs, *gens, modulus=p, order=order)
    out = set()
    for f in G.exprs:
        d = sympy.Poly(f, *gens, modulus=p).as_dict()
        out.add(frozenset((tuple(m), int(c) % p) for m, c in d.items()))
    return out


def qq_dicts(basis):
    return {frozenset((tuple(m), sympy.Rational(int(c.p), int(c.q)))
                      for m, c in f.to_dict().items()) for f in basis.polys}


def sympy_qq_dicts(exprs, gens, order="grevlex"):
    G = sympy.groebner(exprs, *gens, order=order, domain=sympy.QQ)
    return {frozenset((tuple(m), sympy.Rational(c)) for m, c in
                      sympy.Poly(f, *gens, domain=sympy.QQ).as_dict().items()) for f in G.exprs}


# -- empty, zero, constant ---------------------------------------------------------------------

def test_empty_system_is_zero_ideal():
    assert len(g.groebner([], "x", modulus=P)) == 0


def test_zero_polynomials_generate_zero_ideal():
    assert len(g.groebner(["0", "0"], "x", "y", modulus=P)) == 0


def test_solve_rejects_empty_input_by_name():
    with pytest.raises(ValueError, match="no input polynomials"):
        g.solve([])


def test_nonzero_constant_is_unit_ideal_modp_and_qq():
    assert [str(f) for f in g.groebner(["3"], "x", modulus=P).polys] == ["1"]
    assert g.groebner(["3", "x - 1"], "x").polys[0] == 1


def test_inconsistent_system_solve_has_no_solutions():
    sols = g.solve(g.from_msolve("x,y\n0\nx - 1,\nx - 2\n"))
    assert sols.dimension == -1 and sols.complete and list(sols.real) == []


def test_constant_system_solve_dimension_minus_one():
    sols = g.solve(g.from_msolve("x,y\n0\n7\n"))
    assert sols.dimension == -1 and sols.complete and list(sols.real) == []


def test_zero_variables_constant():
    assert [str(f) for f in g.groebner(["5"], modulus=P).polys] == ["1"]


# -- generators and variables ------------------------------------------------------------------

def test_duplicated_generators_named():
    with pytest.raises(ValueError, match="duplicate generators: x"):
        g.groebner(["x - 1"], "x", "x", modulus=P)


def test_duplicated_variable_in_msolve_file_named():
    with pytest.raises(g.PolynomialSyntaxError, match="'x' appears twice"):
        g.from_msolve("x,x\n0\nx\n")


def test_unused_variable_gives_positive_dimension():
    sols = g.solve(g.from_msolve("x,y\n0\nx^2 - 2\n"))
    # y is free: a line over each of the 2 roots -> dimension 1, degree 2
    assert sols.dimension == 1 and sols.degree == 2
    assert not sols.complete and "positive-dimensional" in sols.reason


def test_one_variable_solve_matches_sympy():
    sols = g.solve(g.from_msolve("x\n0\nx^3 - 2*x\n"))
    roots = sorted(float(r) for r in sympy.real_roots(x**3 - 2 * x))
    got = sorted(float(s.intervals[0].mid()) for s in sols.real)
    assert sols.complete and np.allclose(got, roots)


def test_unknown_variable_in_string_named():
    with pytest.raises(ValueError, match=r"unknown variable 'z'"):
        g.groebner(["x + z"], "x", "y", modulus=P)


def test_unknown_variable_in_msolve_file_named(tmp_path):
    path = tmp_path / "bad.ms"
    path.write_text("x,y\n0\nx + z\n")
    with pytest.raises(g.PolynomialSyntaxError, match="unknown variable 'z'") as info:
        g.read_msolve(path)
    assert "line 3" in str(info.value)


# -- degrees -------------------------------------------------------------------------------------

def test_degree_zero_after_reduction_mod_p():
    # 65521*x - 1 is the constant -1 mod 65521: unit ideal
    assert [str(f) for f in g.groebner(["65521*x - 1"], "x", modulus=P).polys] == ["1"]


def test_very_high_degree_x500_minus_1():
    G = g.groebner(["x^500 - 1"], "x", modulus=P)
    assert G.leading_monomials() == [(500,)]
    sols = g.solve(g.from_msolve("x\n0\nx^500 - 1\n"))
    # x^500 = 1 has exactly the real roots +1 and -1, and 500 complex ones
    assert sols.complete and sols.degree == 500
    assert sorted(round(float(s.intervals[0].mid())) for s in sols.real) == [-1, 1]


def test_huge_exponent_string_is_rejected_fast():
    """Regression: string input used to hang in sympy's dense Poly on x^2147483647."""
    polys = (DATA / "huge_exponent_strings.txt").read_text().split("\n")
    t0 = time.perf_counter()
    with pytest.raises(ValueError, match="exponent above 65535"):
        g.groebner([f for f in polys if f], "x", "y", modulus=P)
    assert time.perf_counter() - t0 < 5


def test_huge_exponent_in_file_named():
    with pytest.raises(g.PolynomialSyntaxError, match="too large"):
        g.from_msolve("x\n0\nx^" + "9" * 5000 + "\n")


# -- huge coefficients ---------------------------------------------------------------------------

BIG = sympy.Integer(10) ** 10000 + 7


def test_10k_digit_coefficients_mod_p_match_sympy():
    F = [BIG * x**2 - 3, y - BIG * x]
    assert modp_dicts(g.groebner(F, "x", "y", modulus=P)) == sympy_modp_dicts(F, (x, y), P)


def check_qq_or_honest_timeout(F, basis_of):
    """Over Q a 10^4-digit coefficient needs ~1100 primes: grobnet must either match sympy or,
    within the budget, raise TimeoutExceeded (as over GF(p); never an empty basis)."""
    t0 = time.perf_counter()
    try:
        G = basis_of(timeout=3)
    except g.TimeoutExceeded as exc:
        assert "timeout=3" in str(exc)
        G = None
    assert time.perf_counter() - t0 < 15
    if G is not None:
        assert G.complete and qq_dicts(G) == sympy_qq_dicts(F, (x, y))


def test_10k_digit_coefficients_over_q_match_sympy_or_honest():
    F = [BIG * x**2 - 3, y - x]
    check_qq_or_honest_timeout(F, lambda **kw: g.groebner(F, "x", "y", **kw))


def test_10k_digit_coefficient_msolve_file_parses():
    """Regression: the msolve parser used int(), which refuses more than 4300 digits."""
    S = g.read_msolve(DATA / "huge_coefficient_10k_digits.msolve.txt")
    F = [BIG * x**2 - 3, y - x]
    assert modp_dicts(g.groebner(S, modulus=P)) == sympy_modp_dicts(F, (x, y), P)
    check_qq_or_honest_timeout(F, lambda **kw: g.groebner(S, **kw))


# -- moduli and orders ---------------------------------------------------------------------------

@pytest.mark.parametrize("modulus,pattern", [
    (4, "not a prime"), (65520, "not a prime"), (2**31 + 11, "below 2\\^31"),
    (1.5, "not an integer"), (2, "odd prime")])
def test_bad_modulus_named(modulus, pattern):
    with pytest.raises(ValueError, match=pattern):
        g.groebner(["x"], "x", modulus=modulus)


def test_too_large_prime_characteristic_in_file_rejected_when_computing():
    S = g.from_msolve("x,y\n2147483659\nx + y\n")
    with pytest.raises(ValueError, match="2147483659 is not a prime below 2\\^31"):
        g.groebner(S)


def test_non_prime_characteristic_in_file_named():
    with pytest.raises(g.PolynomialSyntaxError, match="characteristic 4 is not 0 and not a prime"):
        g.from_msolve("x,y\n4\nx + y\n")


def test_unknown_monomial_order_named():
    with pytest.raises(ValueError, match="unknown monomial order 'igrlex'"):
        g.groebner(["x"], "x", modulus=P, order="igrlex")
    with pytest.raises(ValueError, match="unknown monomial order 'foo'"):
        _core.f4([(np.array([[1]], dtype=np.int32), np.array([1], dtype=np.uint32))], 1, P,
                 order="foo")


def test_denominator_divisible_by_modulus_named():
    with pytest.raises(ValueError, match="denominator divisible by the modulus 65521"):
        g.groebner(["x/65521 - 1"], "x", modulus=P)


# -- malformed msolve files ----------------------------------------------------------------------

@pytest.mark.parametrize("text,pattern", [
    ("", "missing variable names"),
    ("x,y", "missing line 2"),
    ("x,y\n\n", "missing characteristic"),
    ("x,y\n0\n", "no polynomials"),
    ("x,y,\n0\nx\n", "empty variable name"),
    ("x,y\n0\nx + $y\n", "unexpected character '\\$'"),
    ("x,y\n0\nx + y,\n", "trailing comma"),
    ("x,y\n0\nx + y,,x - y\n", "empty polynomial"),
    ("x\n0\n1.5*x\n", "decimal number"),
    ("x\n0\nx^-1\n", "negative exponent"),
    ("x\n0\n1/0*x\n", "division by zero"),
    ("x\n0\nx +\n", "a term is missing"),
    ("x,y\nzero\nx\n", "characteristic must be 0 or a prime"),
])
def test_malformed_msolve_named(text, pattern):
    with pytest.raises(g.PolynomialSyntaxError, match=pattern):
        g.from_msolve(text)


# -- raw engine arrays ---------------------------------------------------------------------------

@pytest.mark.parametrize("exps,coeffs,nvars,pattern", [
    (np.array([[1.5, 0]]), np.array([1]), 2, "integer dtype"),
    (np.array([[-1, 0]], dtype=np.int32), np.array([1], dtype=np.uint32), 2, "negative exponent"),
    (np.array([[1, 0, 0]], dtype=np.int32), np.array([1], dtype=np.uint32), 2, "shape"),
    (np.array([[1, 0]], dtype=np.int32), np.array([P + 1], dtype=np.uint32), 2, "outside"),
    (np.zeros((1, 0), dtype=np.int32), np.array([1], dtype=np.uint32), 0, "nvars must be"),
])
def test_f4_core_rejects_bad_arrays(exps, coeffs, nvars, pattern):
    with pytest.raises(ValueError, match=pattern):
        _core.f4([(exps, coeffs)], nvars, P)


# -- NaN / inf / networks ------------------------------------------------------------------------

@pytest.mark.parametrize("value,pattern", [(float("nan"), "NaN"), (float("inf"), "infinite")])
def test_nan_inf_data_named(value, pattern):
    with pytest.raises(ValueError, match=pattern):
        g.Dataset([[value, 1.0]], [[1.0]])


@pytest.mark.parametrize("value", [float("nan"), -1, 0])
def test_nan_negative_zero_timeout_named(value):
    with pytest.raises(ValueError, match="timeout must be a positive number"):
        g.groebner(["x"], "x", modulus=P, timeout=value)


@pytest.mark.parametrize("widths,pattern", [([2, 0, 1], "width 1 is 0"), ([], "at least two"),
                                            ([2, -1, 1], "width 1 is -1")])
def test_bad_network_widths_named(widths, pattern):
    with pytest.raises(ValueError, match=pattern):
        g.Network(widths)


def test_empty_dataset_named():
    with pytest.raises(ValueError, match="at least one data point"):
        g.Dataset([], [])


# -- budgets -------------------------------------------------------------------------------------

needs_systems = pytest.mark.skipif(not SYSTEMS.is_dir(), reason="benchmark systems absent")


@needs_systems
def test_lex_too_large_times_out_then_process_usable():
    S = g.read_msolve(SYSTEMS / "katsura10.ms")
    t0 = time.perf_counter()
    with pytest.raises(g.TimeoutExceeded):
        g.groebner(S, order="lex", modulus=P, timeout=0.5)
    assert time.perf_counter() - t0 < 5
    F = [x**2 - 1, y - x]
    assert modp_dicts(g.groebner(F, "x", "y", modulus=P)) == sympy_modp_dicts(F, (x, y), P)


@needs_systems
def test_lex_too_large_memory_budget_then_process_usable():
    S = g.read_msolve(SYSTEMS / "katsura10.ms")
    with pytest.raises(g.MemoryBudgetExceeded):
        g.groebner(S, order="lex", modulus=P, max_memory=20_000_000)
    F = [x**3 - y, y**2 - 2]
    assert modp_dicts(g.groebner(F, "x", "y", modulus=P, order="lex")) == \
        sympy_modp_dicts(F, (x, y), P, order="lex")


@needs_systems
def test_solve_timeout_is_honest_then_process_usable():
    K = g.read_msolve(SYSTEMS / "katsura8.ms")
    t0 = time.perf_counter()
    try:
        sols = g.solve(K, timeout=0.3)
    except g.TimeoutExceeded:
        pass
    else:
        assert not sols.complete and sols.reason
    assert time.perf_counter() - t0 < 10
    sols = g.solve(g.from_msolve("x\n0\nx^2 - 2\n"))
    assert sols.complete and sorted(round(float(s.intervals[0].mid()) ** 2, 6)
                                    for s in sols.real) == [2.0, 2.0]


def test_critical_points_timeout_is_honest_then_process_usable():
    net = g.Network([1, 2, 1])
    data = g.Dataset([[0], [1], [2]], [[0], [1], [0]])
    t0 = time.perf_counter()
    try:
        cp = g.critical_points(net, data, timeout=0.01)
    except g.TimeoutExceeded:
        pass
    else:
        assert cp.complete is False and cp.reason
    assert time.perf_counter() - t0 < 20
    # a tiny finite case afterwards: loss (w - 1)^2 has the one critical point w = 1
    S = g.from_msolve("w\n0\n2*w - 2\n")
    assert g.solve(S).complete
