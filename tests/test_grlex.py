"""The graded lexicographic order (sympy's ``grlex``, python-flint's ``deglex``).

Oracles outside grobnet: sympy's ``groebner(..., order='grlex')`` mod p and over Q,
sympy's ``grlex`` sort key and ``reduced``; python-flint's ``deglex`` contexts
(``fmpz_mpoly_vec.is_groebner`` / ``is_autoreduced`` and its own Buchberger).
"""
import itertools
import math
import pathlib
import random
from fractions import Fraction

import flint
import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings, strategies as st
from sympy.polys.orderings import grlex as sympy_grlex

from grobnet import groebner, multimodular_groebner, read_msolve
from grobnet.engine.modp import f4, modp_arrays, monomial_key
from grobnet.engine.options import normalize_options, normalize_order

PRIMES = [7, 101, 65521, 2147483647]
NAMES = ("x0", "x1", "x2", "x3")
DATA = pathlib.Path(__file__).resolve().parent / "data"
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    derandomize=True)


@st.composite
def small_systems(draw, max_vars=3, max_polys=3, max_terms=4, max_deg=3):
    nvars = draw(st.integers(1, max_vars))
    syms = sympy.symbols(NAMES[:nvars])
    monos = [m for m in itertools.product(range(max_deg + 1), repeat=nvars) if sum(m) <= max_deg]
    polys = []
    for _ in range(draw(st.integers(1, max_polys))):
        terms = draw(st.lists(st.tuples(st.sampled_from(monos), st.integers(-9, 9)),
                              min_size=1, max_size=max_terms))
        polys.append(sum((c * sympy.prod([s**e for s, e in zip(syms, m)]) for m, c in terms),
                         sympy.S.Zero))
    return polys, syms


def sympy_modp(F, syms, p):
    """sympy's reduced grlex basis mod p, as monic term sets with coefficients in [0, p)."""
    G = sympy.groebner(F, *syms, modulus=p, order="grlex")
    out = set()
    for g in G.polys:
        inv = pow(int(g.LC(order=sympy_grlex)) % p, -1, p)
        out.add(frozenset((m, int(c) * inv % p) for m, c in g.terms() if int(c) % p))
    return out, G


def sympy_rational(F, syms):
    """sympy's reduced grlex basis over Q, each element made monic, as term sets of Fractions."""
    out = set()
    for g in sympy.groebner(F, *syms, order="grlex", domain="QQ").polys:
        lc = Fraction(str(g.LC(order=sympy_grlex)))
        out.add(frozenset((m, Fraction(str(c)) / lc) for m, c in g.terms()))
    return out


def modp_canon(G):
    return {frozenset((tuple(m), int(c)) for m, c in g.to_dict().items()) for g in G.polys}


def rational_canon(G):
    return {frozenset((tuple(m), Fraction(int(c.p), int(c.q))) for m, c in g.to_dict().items())
            for g in G.polys}


# ---------------------------------------------------------------------------------------------
# names

@pytest.mark.parametrize("name", ["grlex", "GRLEX", "deglex", "glex", " GrLex "])
def test_grlex_spellings(name):
    assert normalize_order(name) == "grlex"
    assert normalize_options(order=name, modulus=7).order == "grlex"


@pytest.mark.parametrize("name", ["ilex", "igrlex", "igrevlex", "dp", "wdeg", ""])
def test_other_names_are_refused_with_the_supported_list(name):
    with pytest.raises(ValueError, match=r"unknown monomial order .*'grevlex'.*'grlex'.*'lex'"
                                         r".*'block'"):
        normalize_order(name)
    with pytest.raises(ValueError, match="supported"):
        groebner(["x - 1"], modulus=7, order=name)


# ---------------------------------------------------------------------------------------------
# the order itself: Python key and the C comparison against sympy's key

def test_sort_key_and_engine_sort_agree_with_sympy():
    rng = random.Random(5)
    monos = list({tuple(rng.randint(0, 4) for _ in range(4)) for _ in range(300)})
    expected = sorted(monos, key=sympy_grlex, reverse=True)
    assert sorted(monos, key=monomial_key("grlex"), reverse=True) == expected
    # the engine sorts the terms of its input arrays with the C comparison
    (exps, _), = modp_arrays([{m: 1 for m in monos}], 4, 65521, "grlex")
    assert [tuple(int(e) for e in row) for row in exps] == expected
    # and grlex really differs from grevlex and lex on these monomials
    assert expected != sorted(monos, key=monomial_key("grevlex"), reverse=True)
    assert expected != sorted(monos, key=monomial_key("lex"), reverse=True)


# ---------------------------------------------------------------------------------------------
# bases mod p against sympy

@settings(SETTINGS, max_examples=120)
@given(data=small_systems(), p=st.sampled_from(PRIMES))
def test_grlex_modp_equals_sympy(data, p):
    F, syms = data
    expected, _ = sympy_modp(F, syms, p)
    G = groebner(F, *syms, modulus=p, order="grlex")
    assert G.order == "grlex"
    assert modp_canon(G) == expected
    lms = G.leading_monomials()            # sympy's order: decreasing leading monomial
    assert all(sympy_grlex(a) > sympy_grlex(b) for a, b in zip(lms, lms[1:]))
    for g, lm in zip(G.polys, lms):        # the flint context is deglex: term 0 leads
        assert tuple(g.monoms()[0]) == lm


@settings(SETTINGS, max_examples=40)
@given(data=small_systems(max_polys=2), p=st.sampled_from(PRIMES), seed=st.integers(0, 10**6))
def test_grlex_reduce_equals_sympy_reduced(data, p, seed):
    F, syms = data
    rng = random.Random(seed)
    _, SG = sympy_modp(F, syms, p)
    G = groebner(F, *syms, modulus=p, order="grlex")
    r = sum((rng.randint(-5, 5) * sympy.prod([s**rng.randint(0, 4) for s in syms])
             for _ in range(3)), sympy.S.Zero)
    expected = sympy.reduced(r, SG.exprs, *syms, modulus=p, order="grlex")[1] if SG.exprs else r
    expected = {m: int(c) % p for m, c in sympy.Poly(expected, *syms, modulus=p).terms()
                if int(c) % p}
    ours = sympy.Poly(G.reduce(r), *syms, modulus=p)      # sympy input: a sympy answer
    assert {m: int(c) % p for m, c in ours.terms() if int(c) % p} == expected
    assert G.contains(F)


@pytest.mark.parametrize("seed", range(8))
def test_engine_equals_sympy_backend(seed):
    rng = random.Random(seed)
    nv = rng.randint(2, 3)
    polys = [{tuple(rng.randint(0, 2) for _ in range(nv)): rng.randint(1, 50) for _ in range(3)}
             for _ in range(nv)]
    arrays = modp_arrays(polys, nv, 101, "grlex")
    mine, _ = f4(arrays, nv, 101, "grlex")
    ref, _ = f4(arrays, nv, 101, "grlex", backend="sympy")
    assert len(mine) == len(ref)
    for (e1, c1), (e2, c2) in zip(mine, ref):
        assert np.array_equal(e1, e2) and np.array_equal(c1, c2)


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.ms")))
def test_golden_inputs_grlex_equal_sympy(name):
    system = read_msolve(DATA / name)
    p = system.characteristic or 65521
    syms = sympy.symbols(system.variables)
    exprs = [sympy.sympify(str(f).replace("^", "**"), locals=dict(zip(system.variables, syms)))
             for f in system.equations]
    expected, _ = sympy_modp(exprs, syms, p)
    assert modp_canon(groebner(system, modulus=p, order="grlex")) == expected


# ---------------------------------------------------------------------------------------------
# bases over Q against sympy and python-flint

@settings(SETTINGS, max_examples=40)
@given(data=small_systems(max_deg=2))
def test_grlex_rational_equals_sympy(data):
    F, syms = data
    G = groebner(F, *syms, order="grlex")
    assert G.complete and G.order == "grlex"
    assert rational_canon(G) == sympy_rational(F, syms)


KATSURA3 = ["x0 + 2*x1 + 2*x2 - 1", "x0^2 + 2*x1^2 + 2*x2^2 - x0",
            "2*x0*x1 + 2*x1*x2 - x1"]
CYCLIC3 = ["a + b + c", "a*b + b*c + c*a", "a*b*c - 1"]


@pytest.mark.parametrize("F", [KATSURA3, CYCLIC3], ids=["katsura3", "cyclic3"])
def test_grlex_rational_is_a_flint_deglex_basis(F):
    G = multimodular_groebner(_rational_input(F), order="grlex", verify="exact")
    assert G.complete and G.verified == "exact"
    ctx = flint.fmpz_mpoly_ctx.get(G.variables, ordering="deglex")
    # denominators cleared: the same ideal over Z[1/d], the same leading terms in deglex
    mine = [ctx.from_dict({m: int(c * _lcm_q(g)) for m, c in g.to_dict().items()})
            for g in G.polys]
    vec = flint.fmpz_mpoly_vec(mine, ctx)
    inputs = flint.fmpz_mpoly_vec([ctx.from_dict(f.to_dict()) for f in _integer_input(F, ctx)],
                                  ctx)
    assert vec.is_groebner() and vec.is_groebner(inputs)
    # flint's own Buchberger in deglex has the same leading monomials
    theirs = inputs.buchberger_naive().autoreduction()
    assert sorted(tuple(g.monoms()[0]) for g in theirs) == \
        sorted(tuple(g.monoms()[0]) for g in mine)


def _rational_input(F):
    names = tuple(sorted({str(s) for f in F for s in sympy.sympify(f.replace("^", "**"))
                          .free_symbols}))
    ctx = flint.fmpq_mpoly_ctx.get(names, "degrevlex")
    return [ctx.from_dict({m: flint.fmpq(int(c)) for m, c in
                           sympy.Poly(sympy.sympify(f.replace("^", "**")),
                                      *sympy.symbols(names)).terms()}) for f in F]


def _integer_input(F, ctx):
    syms = sympy.symbols(ctx.names())
    return [ctx.from_dict({m: int(c) for m, c in
                           sympy.Poly(sympy.sympify(f.replace("^", "**")), *syms).terms()})
            for f in F]


def _lcm_q(g):
    return math.lcm(*(int(c.q) for c in g.coeffs()))
