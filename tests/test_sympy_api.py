"""The library API as a sympy user meets it (issue #19).

Oracles outside grobnet: sympy's own Groebner tests -- the functions of
``sympy/polys/tests/test_groebnertools.py`` run unchanged with their ``groebner``
replaced by grobnet (their asserts and expected bases are sympy's), the ideals and
expected values of ``test_polytools.py`` (``test_groebner``, ``test_fglm``,
``test_is_zero_dimensional``, ``test_GroebnerBasis``) asked of grobnet's API -- and
sympy's ``groebner``/``reduced``/``fglm`` computed live.
"""
import importlib

import flint
import pytest
import sympy
from sympy import GF, QQ, ZZ, Eq, Poly, symbols
from sympy.polys.orderings import grevlex, grlex, ilex, lex

import grobnet
from grobnet import GroebnerBasis, TimeoutExceeded, groebner
from grobnet.exact.examples import katsura

x, y, z, t, a, b, c, d = symbols("x y z t a b c d")
F_SYMPY_DOC = [x * y - 2 * y, 2 * y**2 - x**2]


# ---------------------------------------------------------------------------------------------
# sympy's test_groebnertools.py, run with grobnet in place of sympy's groebner

def _ring_groebner(F, R):
    """sympy's ring-level ``groebner(F, R)`` computed by grobnet: the ring's symbols,
    order object and domain are passed as sympy keywords; the answer goes back into R."""
    G = groebner([f.as_expr() for f in F], *R.symbols, order=R.order, domain=R.domain)
    assert isinstance(G, GroebnerBasis) and G.domain == R.domain
    return [R.from_expr(g) for g in G.exprs]


SYMPY_GROEBNERTOOLS = ["_do_test_groebner", "_do_test_benchmark_minpoly",
                       "test_benchmark_coloring", "_do_test_benchmark_katsura_3",
                       "_do_test_benchmark_katsura_4", "_do_test_benchmark_czichowski",
                       "_do_test_benchmark_cyclic_4"]


@pytest.mark.parametrize("name", SYMPY_GROEBNERTOOLS)
def test_sympy_groebnertools_tests_pass_with_grobnet(monkeypatch, name):
    module = importlib.import_module("sympy.polys.tests.test_groebnertools")
    calls = []

    def shim(F, R):
        calls.append(len(F))
        return _ring_groebner(F, R)

    monkeypatch.setattr(module, "groebner", shim)
    getattr(module, name)()            # sympy's asserts against sympy's expected bases
    assert calls                       # grobnet answered every one of them


# ---------------------------------------------------------------------------------------------
# sympy's test_polytools.py: test_groebner, test_fglm, test_is_zero_dimensional,
# test_GroebnerBasis -- their ideals and expected values, asked of grobnet

def test_polytools_groebner():
    assert groebner([], x, y, z) == []
    assert groebner([x**2 + 1, y**4 * x + x**3], x, y, order="lex") == [1 + x**2, -1 + y**4]
    assert groebner([x**2 + 1, y**4 * x + x**3, x * y * z**3], x, y, z, order="grevlex") == \
        [-1 + y**4, z**3, 1 + x**2]
    assert groebner([x**2 + 1, y**4 * x + x**3], x, y, order="lex", polys=True) == \
        [Poly(1 + x**2, x, y), Poly(-1 + y**4, x, y)]
    G = groebner([x**2 + 1, y**4 * x + x**3, x * y * z**3], x, y, z, order="grevlex",
                 polys=True)
    assert list(G) == [Poly(-1 + y**4, x, y, z), Poly(z**3, x, y, z), Poly(1 + x**2, x, y, z)]
    assert groebner([x**3 - 1, x**2 - 1]) == [x - 1]          # no generators: inferred
    assert groebner([Eq(x**3, 1), Eq(x**2, 1)]) == [x - 1]

    F = [3 * x**2 + y * z - 5 * x - 1, 2 * x + 3 * x * y + y**2, x - 3 * y + x * z - 2 * z**2]
    f = z**9 - x**2 * y**3 - 3 * x * y**2 * z + 11 * y * z**2 + x**2 * z**2 - 5
    # sympy's default order is lex, grobnet's grevlex: the order is passed
    G = groebner(F, x, y, z, modulus=7, symmetric=False, order="lex")
    expected = [1 + x + y + 3 * z + 2 * z**2 + 2 * z**3 + 6 * z**4 + z**5,
                1 + 3 * y + y**2 + 6 * z**2 + 3 * z**3 + 3 * z**4 + 3 * z**5 + 4 * z**6,
                1 + 4 * y + 4 * z + y * z + 4 * z**3 + z**4 + z**6,
                6 + 6 * z + z**2 + 4 * z**3 + 3 * z**4 + 6 * z**5 + 3 * z**6 + z**7]
    assert G == expected and G.exprs == expected          # symmetric=False: residues [0, p)
    Gs = groebner(F, x, y, z, modulus=7, order="lex")    # sympy's default: symmetric residues
    assert Gs.exprs != expected and Gs == expected and Gs == G     # the same basis
    # sympy's reduced() remainder is grobnet's normal form
    r = sympy.reduced(f, G.exprs, x, y, z, modulus=7, symmetric=False, order="lex")[1]
    assert Poly(G.reduce(f) - r, x, y, z, modulus=7).is_zero

    F = F_SYMPY_DOC
    assert groebner(F, x, y, order="grevlex") == [y**3 - 2 * y, x**2 - 2 * y**2, x * y - 2 * y]
    assert groebner(F, y, x, order="grevlex") == [x**3 - 2 * x**2, -x**2 + 2 * y**2, x * y - 2 * y]
    assert groebner(F, order="grevlex", field=True) == \
        [y**3 - 2 * y, x**2 - 2 * y**2, x * y - 2 * y]
    assert groebner([1], x) == [1]
    assert groebner([x**2 - 1, x**3 + 1], method="buchberger") == [x + 1]
    assert groebner([x**2 - 1, x**3 + 1], method="f5b") == [x + 1]
    with pytest.raises(ValueError, match="unknown method 'unknown'.*available: 'f4'"):
        groebner([x, y], method="unknown")


def test_polytools_fglm():
    F = [a + b + c + d, a * b + a * d + b * c + b * d, a * b * c + a * b * d + a * c * d + b * c * d,
         a * b * c * d - 1]
    G = groebner(F, a, b, c, d, order=grlex)
    B = [4 * a + 3 * d**9 - 4 * d**5 - 3 * d, 4 * b + 4 * c - 3 * d**9 + 4 * d**5 + 7 * d,
         4 * c**2 + 3 * d**10 - 4 * d**6 - 3 * d**2, 4 * c * d**4 + 4 * c - d**9 + 4 * d**5 + 5 * d,
         d**12 - d**8 - d**4 + 1]
    assert groebner(F, a, b, c, d, order=lex) == B
    assert G.fglm(lex) == B
    assert G.fglm(lex) == sympy.groebner(F, a, b, c, d, order=grlex).fglm(lex)

    F = [9 * x**8 + 36 * x**7 - 32 * x**6 - 252 * x**5 - 78 * x**4 + 468 * x**3 + 288 * x**2
         - 108 * x + 9,
         -72 * t * x**7 - 252 * t * x**6 + 192 * t * x**5 + 1260 * t * x**4 + 312 * t * x**3
         - 404 * t * x**2 - 576 * t * x + 108 * t - 72 * x**7 - 256 * x**6 + 192 * x**5
         + 1280 * x**4 + 312 * x**3 - 576 * x + 96]
    G = groebner(F, t, x, order=grlex)
    B = [203577793572507451707 * t + 627982239411707112 * x**7 - 666924143779443762 * x**6
         - 10874593056632447619 * x**5 + 5119998792707079562 * x**4
         + 72917161949456066376 * x**3 + 20362663855832380362 * x**2
         - 142079311455258371571 * x + 183756699868981873194,
         9 * x**8 + 36 * x**7 - 32 * x**6 - 252 * x**5 - 78 * x**4 + 468 * x**3 + 288 * x**2
         - 108 * x + 9]
    assert groebner(F, t, x, order=lex) == B
    assert G.fglm(lex) == B

    F = [x**2 - x - 3 * y + 1, -2 * x + y**2 + y - 1]
    G = groebner(F, x, y, order=lex)
    B = [x**2 - x - 3 * y + 1, y**2 - 2 * x + y - 1]
    assert groebner(F, x, y, order=grlex) == B
    assert G.fglm(grlex) == B
    assert G.fglm("lex") is G                        # sympy: the same basis, same order
    with pytest.raises(NotImplementedError, match="positive dimension"):
        groebner([x**3 + y**2], x, y).fglm(lex)      # sympy's rule


@pytest.mark.parametrize("F, gens, expected", [
    ([x, y], (x, y), True), ([x**3 + y**2], (x, y), False), ([x, y, z], (x, y, z), True),
    ([x, y, z], (x, y, z, t), False), ([x * y - z, y * z - x, x * y - y], (x, y, z), True),
    ([x**2 - 2 * x * z + 5, x * y**2 + y * z**3, 3 * y**2 - 8 * z**2], (x, y, z), True),
])
def test_polytools_is_zero_dimensional(F, gens, expected):
    assert sympy.polys.polytools.is_zero_dimensional(F, *gens) is expected    # the oracle
    for modulus in (None, 65521):
        G = groebner(F, *gens, modulus=modulus)
        assert G.is_zero_dimensional is expected
        assert (G.dimension == 0) is expected


def test_polytools_GroebnerBasis():
    F = F_SYMPY_DOC
    G = groebner(F, x, y, order="grevlex")
    H = [y**3 - 2 * y, x**2 - 2 * y**2, x * y - 2 * y]
    P = [Poly(h, x, y) for h in H]
    assert groebner(F + [0], x, y, order="grevlex") == G
    assert isinstance(G, GroebnerBasis) and len(G) == 3
    assert all(G[i] == H[i] and not G[i].is_Poly for i in range(3))
    assert G[1:] == H[1:] and G[:2] == H[:2]
    assert G.exprs == H and G.to_sympy() == P
    assert G.gens == (x, y) and G.domain == ZZ and G.order == "grevlex"
    assert G == H and G == tuple(H) and G == P and G == tuple(P)
    assert G != [] and G != H[::-1]
    assert G == sympy.groebner(F, x, y, order="grevlex")
    G = groebner(F, x, y, order="grevlex", polys=True)
    assert all(G[i] == P[i] and G[i].is_Poly for i in range(3))
    assert G[1:] == P[1:] and all(g.is_Poly for g in G[1:])


# ---------------------------------------------------------------------------------------------
# one interface for both fields

PUBLIC = ["__len__", "__iter__", "__getitem__", "__eq__", "reduce", "contains", "dimension",
          "degree", "is_zero_dimensional", "exprs", "to_sympy", "fglm", "leading_monomials",
          "hilbert_series", "gens", "domain", "polys", "variables", "order", "modulus",
          "complete", "stats"]


@pytest.mark.parametrize("modulus", [None, 32003])
def test_one_interface_for_both_fields(modulus):
    G = groebner(F_SYMPY_DOC, x, y, modulus=modulus)
    assert isinstance(G, GroebnerBasis)
    for name in PUBLIC:
        assert hasattr(G, name), name
    assert callable(G.leading_monomials)
    assert G.leading_monomials() == [(0, 3), (2, 0), (1, 1)]      # decreasing, as sympy
    assert (G.dimension, G.degree, G.is_zero_dimensional) == (0, 4, True)
    assert G.contains(x**3 - 4 * x) is False and G.contains(F_SYMPY_DOC[0] * x**5)
    assert sympy.expand(G.reduce(x**3) - 4 * y**2) == 0
    assert G.fglm("lex") == sympy.groebner(F_SYMPY_DOC, x, y, order="lex", modulus=modulus)


def test_equality_is_on_the_ideal_and_order_not_statistics():
    G1 = groebner(F_SYMPY_DOC, x, y)
    G2 = groebner(F_SYMPY_DOC, x, y)
    assert G1 == G2 and hash(G1) == hash(G2) and G1.stats is not G2.stats
    assert G1 == groebner(["x*y - 2*y", "2*y^2 - x^2"], "x", "y")   # any input kind
    assert G1 != groebner(F_SYMPY_DOC, y, x)                        # other variable order
    assert G1 != groebner(F_SYMPY_DOC, x, y, order="lex")           # other monomial order
    assert G1 != groebner(F_SYMPY_DOC, x, y, modulus=7)             # other field
    assert groebner(F_SYMPY_DOC, x, y, modulus=7) == groebner(F_SYMPY_DOC, x, y, modulus=7)


def test_timeouts_raise_over_both_fields():
    _, K = katsura(8)
    with pytest.raises(TimeoutExceeded, match="timeout"):
        groebner(K, timeout=0.05)                      # over Q: never an empty basis
    with pytest.raises(TimeoutExceeded):
        groebner(K, modulus=65521, timeout=0.001)


# ---------------------------------------------------------------------------------------------
# input: solve and critical_points take what groebner takes; Poly generators; parameters

@pytest.mark.parametrize("F", [
    F_SYMPY_DOC, ["x*y - 2*y", "2*y^2 - x^2"], [Poly(f, x, y) for f in F_SYMPY_DOC],
])
def test_solve_accepts_what_groebner_accepts(F):
    sols = grobnet.solve(F)
    assert sols.complete and len(sols.real) == 3            # (0, 0), (2, ±sqrt 2)
    assert groebner(F).degree == 4


@pytest.mark.parametrize("L", [x**4 - 2 * x**2 + y**2, "x^4 - 2*x^2 + y^2",
                               Poly(x**4 - 2 * x**2 + y**2, x, y)])
def test_critical_points_accepts_one_loss_polynomial(L):
    cp = grobnet.critical_points(L, order_check=False)
    assert cp.complete and len(cp.points) == 3                # (0, 0) saddle, (±1, 0) minima


def test_critical_points_refuses_a_list():
    with pytest.raises(ValueError, match="one loss polynomial.*grobnet.solve"):
        grobnet.critical_points(F_SYMPY_DOC)


def test_poly_generators_are_honoured():
    F = [Poly(x**2 + y, y, x), Poly(x * y - 2, y, x)]
    G = groebner(F, order="lex")
    assert G.gens == (y, x) and G == sympy.groebner(F, order="lex")
    assert list(G) == list(sympy.groebner(F, order="lex"))           # Poly in, Poly out
    assert all(isinstance(g, Poly) for g in G)
    # sympy unifies the generators of Polys the way sympy does
    F2 = [Poly(x**2 - 1, x), Poly(y - x, y, x)]
    assert groebner(F2, order="lex") == sympy.groebner(F2, order="lex")
    # over GF(p): the Poly's field
    Fp = [Poly(x**2 + 3, x, y, modulus=7), Poly(x * y - 1, x, y, modulus=7)]
    Gp = groebner(Fp, order="lex")
    assert Gp.modulus == 7 and Gp == sympy.groebner(Fp, order="lex")


def test_symbolic_parameters_are_out_of_scope_with_a_clear_message():
    with pytest.raises(ValueError, match=r"coefficients in ZZ\[y\].*out of scope.*add y to the "
                                         "generators"):
        groebner([Poly(x**2 + y, x)])
    with pytest.raises(ValueError, match="not among the generators x.*out of scope"):
        groebner([x**2 - y], x)
    with pytest.raises(ValueError, match="not supported.*symbolic parameters"):
        groebner([x**2 - 2], x, domain="QQ[a]")


# ---------------------------------------------------------------------------------------------
# sympy's keywords

@pytest.mark.parametrize("order", ["grevlex", "grlex", "lex", grevlex, grlex, lex])
def test_orders_by_name_or_sympy_object(order):
    G = groebner(F_SYMPY_DOC, x, y, order=order)
    name = order if isinstance(order, str) else order.alias
    assert G.order == name and G == sympy.groebner(F_SYMPY_DOC, x, y, order=name)


def test_unsupported_sympy_order_is_refused_with_the_list():
    with pytest.raises(ValueError, match="ilex is not supported; supported: 'grevlex'"):
        groebner(F_SYMPY_DOC, x, y, order=ilex)


@pytest.mark.parametrize("domain, modulus, dom", [
    (QQ, None, QQ), ("QQ", None, QQ), (ZZ, None, ZZ), ("ZZ", None, ZZ), (GF(7), 7, GF(7)),
    ("GF(7)", 7, GF(7)),
])
def test_domain_keyword(domain, modulus, dom):
    G = groebner([2 * x - 1, y**2 - 3], x, y, domain=domain) if dom != ZZ else \
        groebner([2 * x - 2, y**2 - 3], x, y, domain=domain)
    assert G.modulus == modulus and G.domain == dom


def test_domain_keyword_refusals():
    with pytest.raises(ValueError, match="domain=RR is not supported.*QQ.*GF\\(p\\)"):
        groebner([x - 1], domain=sympy.RR)
    with pytest.raises(ValueError, match="rational coefficients; use domain=QQ"):
        groebner([x - sympy.Rational(1, 2)], domain=ZZ)
    with pytest.raises(ValueError, match="asks for GF\\(7\\) but modulus=11"):
        groebner([x - 1], domain=GF(7), modulus=11)


def test_polys_keyword_and_answer_in_kind():
    assert all(isinstance(g, Poly) for g in groebner(F_SYMPY_DOC, x, y, polys=True))
    assert all(isinstance(g, sympy.Expr) for g in groebner(F_SYMPY_DOC, x, y, polys=False))
    assert all(isinstance(g, sympy.Expr) for g in groebner(F_SYMPY_DOC, x, y))
    assert all(isinstance(g, flint.fmpq_mpoly) for g in groebner(["x*y - 2*y", "x^2 - 2"]))


def test_other_keywords_are_refused_saying_what_to_pass():
    with pytest.raises(TypeError, match="does not take gens=.*positionally"):
        groebner(F_SYMPY_DOC, gens=(x, y))
    with pytest.raises(TypeError, match="does not take extension=.*keywords are order, "
                                        "modulus, domain"):
        groebner(F_SYMPY_DOC, extension=True)


# ---------------------------------------------------------------------------------------------
# names and the exponent limit

def test_names_alpha_lambda_subscripts():
    al, lam, x0 = sympy.Symbol("α"), sympy.Symbol("lambda"), sympy.Symbol("x[0]")
    F = [al**2 - lam, lam * x0 - 1, x0 - 2]
    G = groebner(F, order="lex")                   # generators sorted as sympy sorts them
    assert G == sympy.groebner(F, order="lex") and G.gens == sympy.groebner(F, order="lex").gens
    G = groebner(F, al, lam, x0, order="lex")
    H = groebner(["α^2 - lambda", "lambda*x[0] - 1", "x[0] - 2"], "α", "lambda", "x[0]",
                 order="lex")
    assert H.variables == ("α", "lambda", "x[0]") and G == H.exprs
    assert groebner(F, order="lex", modulus=7) == sympy.groebner(F, order="lex", modulus=7)
    assert len(grobnet.solve(F).real) == 2


@pytest.mark.parametrize("bad", ["x y", "x[a]", "1x", "x-1"])
def test_invalid_names_say_what_is_valid(bad):
    with pytest.raises(ValueError, match="a variable name is a letter or '_'.*'α'.*'x\\[0\\]'"):
        groebner(["x - 1"], bad)


@pytest.mark.parametrize("modulus", [None, 65521])
def test_exponent_65535_works(modulus):
    G = groebner([x**65535 - 1, y - x], x, y, modulus=modulus)
    assert G == [y**65535 - 1, x - y]
    assert G.degree == 65535


def test_exponent_above_the_limit_is_refused():
    with pytest.raises(ValueError, match="exponent above 65535"):
        groebner([x**65536 - 1, y - x], x, y, modulus=65521)


@pytest.mark.parametrize("modulus", [None, 7])
def test_a_basis_as_input_answers_as_it_does(modulus):
    G = groebner(F_SYMPY_DOC, y, x, modulus=modulus)
    H = groebner(G, order="lex")                      # another order, from the basis
    expected = sympy.groebner(F_SYMPY_DOC, y, x, order="lex", modulus=modulus)
    assert H.gens == (y, x) and H == expected and list(H) == list(expected)
