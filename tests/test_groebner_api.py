"""The user-facing Groebner API: options, input kinds, the result object, and errors.

Expected bases come from sympy's ``groebner(..., modulus=p)`` (an independent
implementation) or from hand computation; every accepted input kind runs through
the same test body.  Error tests check the exception type *and* that the
message names the problem.
"""
import math
import re

import flint
import numpy as np
import pytest
import sympy
from sympy import Rational, sin, sqrt, symbols

from grobnet.engine.convert import as_system
from grobnet.engine.groebner import GroebnerBasis
from grobnet.solver.groebner import KERNELS, groebner
from grobnet.engine.options import normalize_options
from grobnet.errors import MemoryBudgetExceeded, TimeoutExceeded

x, y, z = symbols("x y z")
P = 65521
SYMPY_ORDERS = {"grevlex": sympy.polys.orderings.grevlex, "lex": sympy.polys.orderings.lex}
#: A small zero-dimensional system used throughout (its GB has 6 elements mod 65521).
F_STR = ["x^2 + y*z - 1", "x*y - z^2 + 3", "z^3 - x - 2"]
F_SYM = [x**2 + y*z - 1, x*y - z**2 + 3, z**3 - x - 2]


def sympy_basis(F, gens, p, order="grevlex"):
    """sympy's reduced basis as a set of monic ``{exponent tuple: coefficient mod p}`` items."""
    G = sympy.groebner(F, *gens, modulus=p, order=order)
    return canon_sympy(G.polys, p, order)


def canon_sympy(polys, p, order):
    out = set()
    for g in polys:
        inv = pow(int(g.LC(order=SYMPY_ORDERS[order])) % p, -1, p)
        out.add(frozenset((m, int(c) * inv % p) for m, c in g.terms() if int(c) % p))
    return out


def canon(G):
    """Our basis as the same kind of set, read through python-flint's ``to_dict``."""
    return {frozenset((tuple(m), int(c)) for m, c in g.to_dict().items()) for g in G.polys}


# ---------------------------------------------------------------------------------------------
# options

@pytest.mark.parametrize("alias,canonical", [
    ("grevlex", "grevlex"), ("degrevlex", "grevlex"), ("drl", "grevlex"), ("DRL", "grevlex"),
    ("grlex", "grlex"), ("deglex", "grlex"),
    ("lex", "lex"), ("plex", "lex"), ("block", "block"), ("elim", "block")])
def test_order_aliases(alias, canonical):
    blocks = (1, 2) if canonical == "block" else None
    assert normalize_options(order=alias, blocks=blocks, modulus=7).order == canonical


def test_unknown_order_lists_supported():
    with pytest.raises(ValueError, match=r"unknown monomial order 'igrlex'.*'grevlex'.*'grlex'"
                                         r".*'lex'"):
        groebner(F_STR, modulus=P, order="igrlex")
    with pytest.raises(TypeError, match="order must be a string"):
        normalize_options(order=3)


@pytest.mark.parametrize("modulus,message", [
    (4294967311, "modulus 4294967311 is not a prime below 2^31"),
    (2**31 + 11, f"modulus {2**31 + 11} is not a prime below 2^31"),
    (65520, "modulus 65520 is not a prime below 2^31"),
    (1, "modulus 1 is not a prime below 2^31"),
    (0, "modulus 0 is not a prime below 2^31"),
    (-7, "modulus -7 is not a prime below 2^31"),
    (2, "modulus 2 is not supported"),
    (7.0, "modulus 7.0 is not a prime below 2^31"),
    ("7", "modulus '7' is not a prime below 2^31"),
    (True, "modulus True is not a prime below 2^31"),
])
def test_bad_modulus(modulus, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        groebner(F_STR, modulus=modulus)


@pytest.mark.parametrize("p", [3, 7, 2**31 - 1, np.int64(65521), flint.fmpz(101)])
def test_good_modulus_normalised_to_int(p):
    opts = normalize_options(modulus=p)
    assert opts.modulus == int(p) and type(opts.modulus) is int


@pytest.mark.parametrize("kwargs,message", [
    (dict(order="block"), "order='block' needs blocks"),
    (dict(order="grevlex", blocks=(1, 2)), "is not a block order"),
    (dict(order="block", blocks=(0, 3)), "positive integers"),
    (dict(order="block", blocks=(1.5, 1.5)), "positive integers"),
    (dict(order="block", blocks=()), "positive integers"),
    (dict(order="block", blocks=(1, 1)), r"block sizes \(1, 1\) sum to 2, but there are 3 "
                                         r"variables"),
    (dict(order="block", blocks=(2, 2)), r"sum to 4, but there are 3 variables"),
])
def test_bad_blocks(kwargs, message):
    with pytest.raises(ValueError, match=message):
        groebner(F_STR, modulus=P, **kwargs)


@pytest.mark.parametrize("kwargs,message", [
    (dict(timeout=-1), "timeout must be a positive number"),
    (dict(timeout="1s"), "timeout must be a positive number"),
    (dict(max_memory=0), "max_memory must be a positive number"),
    (dict(progress=3), "progress must be a callable"),
    (dict(method="magma"), r"unknown method 'magma' over GF\(p\); available: 'f4'"),
])
def test_bad_other_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        groebner(F_STR, modulus=P, **kwargs)


def test_infinite_timeout_means_none():
    assert normalize_options(timeout=math.inf).timeout is None
    assert normalize_options(timeout=2).timeout == 2.0


def test_options_replace_renormalises():
    opts = normalize_options(order="drl", modulus=7)
    assert opts.replace(order="elim", blocks=[1, 1]).blocks == (1, 1)
    with pytest.raises(ValueError):
        opts.replace(modulus=8)


def test_method_dispatch():
    assert sorted(KERNELS) == [("f4", "GF(p)"), ("f4", "QQ")]
    with pytest.raises(ValueError, match="unknown method 'nope' over QQ; available: 'f4'"):
        groebner(F_STR, method="nope")
    with pytest.raises(ValueError, match=r"unknown method 'nope' over GF\(p\)"):
        groebner(F_STR, method="nope", modulus=7)


def test_rationals_route_to_the_exact_layer(f4_engine):
    """modulus=None: sympy's basis over QQ, or a clear NotImplementedError without grobnet.exact."""
    F = [x**2 - Rational(2, 3) * y, x*y - z, z**2 - 3*x + 1]
    try:
        G = groebner(F, x, y, z)
    except NotImplementedError as exc:      # pragma: no cover - depends on the build
        assert "grobnet.exact" in str(exc) and "modulus=p" in str(exc)
        return
    expected = set()
    for g in sympy.groebner(F, x, y, z, order="grevlex").polys:
        lc = g.LC(order=SYMPY_ORDERS["grevlex"])
        expected.add(frozenset((m, (int((c / lc).p), int((c / lc).q))) for m, c in g.terms()))
    ours = {frozenset((tuple(m), (int(c.p), int(c.q))) for m, c in g.to_dict().items())
            for g in G.polys}
    assert G.complete and ours == expected
    with pytest.raises(ValueError, match="max_memory= is only supported over GF"):
        groebner(F, x, y, z, max_memory=10**9)


# ---------------------------------------------------------------------------------------------
# input kinds: one body, every kind, sympy as the oracle

class DuckSystem:
    """The smallest object groebner() accepts as a PolynomialSystem."""

    def __init__(self, variables, equations):
        self.variables = variables
        self.equations = equations


def _flint_versions(ctx_type, **kw):
    ctx = ctx_type.get(("x", "y", "z"), ordering="degrevlex", **kw)
    X, Y, Z = ctx.gens()
    return [X**2 + Y*Z - 1, X*Y - Z**2 + 3, Z**3 - X - 2]


def _frontend_system():
    system = pytest.importorskip("grobnet.frontend.system")
    return system.PolynomialSystem(("x", "y", "z"), _flint_versions(flint.fmpq_mpoly_ctx))


INPUT_KINDS = {
    "strings": lambda: F_STR,
    "strings**": lambda: [s.replace("^", "**") for s in F_STR],
    "sympy": lambda: F_SYM,
    "sympy-Poly": lambda: [sympy.Poly(f, x, y, z) for f in F_SYM],
    "fmpq_mpoly": lambda: _flint_versions(flint.fmpq_mpoly_ctx),
    "fmpz_mpoly": lambda: _flint_versions(flint.fmpz_mpoly_ctx),
    "nmod_mpoly": lambda: _flint_versions(flint.nmod_mpoly_ctx, modulus=P),
    "duck-system": lambda: DuckSystem(("x", "y", "z"), _flint_versions(flint.fmpq_mpoly_ctx)),
    "PolynomialSystem": _frontend_system,
    "tuple": lambda: tuple(F_STR),
    "generator": lambda: (s for s in F_STR),
}


@pytest.mark.parametrize("kind", sorted(INPUT_KINDS))
def test_every_input_kind_gives_sympys_basis(kind, f4_engine):
    G = groebner(INPUT_KINDS[kind](), modulus=P)
    assert isinstance(G, GroebnerBasis)
    assert G.variables == ("x", "y", "z") and G.modulus == P and G.order == "grevlex"
    assert canon(G) == sympy_basis(F_SYM, (x, y, z), P)
    assert all(isinstance(g, flint.nmod_mpoly) for g in G.polys)
    assert G.context.names() == ("x", "y", "z") and G.context.modulus() == P


def test_nmod_input_fixes_the_modulus(f4_engine):
    G = groebner(_flint_versions(flint.nmod_mpoly_ctx, modulus=101))
    assert G.modulus == 101
    assert canon(G) == sympy_basis(F_SYM, (x, y, z), 101)
    with pytest.raises(ValueError, match=r"over GF\(101\) but modulus=103 was given"):
        groebner(_flint_versions(flint.nmod_mpoly_ctx, modulus=101), modulus=103)


def test_nmod_input_with_unsupported_modulus():
    ctx = flint.nmod_mpoly_ctx.get(("x",), modulus=2**31 + 11, ordering="lex")
    with pytest.raises(ValueError, match="is not a prime below 2"):
        groebner([ctx.gens()[0] + 1])


@pytest.mark.parametrize("gens", [("x", "y", "z"), ("z", "y", "x"), (y, x, z), ("y", "z", "x")])
@pytest.mark.parametrize("order", ["grevlex", "lex"])
def test_explicit_generators_fix_the_variable_order(gens, order, f4_engine):
    names = tuple(str(g) for g in gens)
    syms = symbols(" ".join(names))
    for F in (F_STR, F_SYM, _flint_versions(flint.fmpq_mpoly_ctx)):
        G = groebner(F, *gens, modulus=P, order=order)
        assert G.variables == names
        assert canon(G) == sympy_basis(F_SYM, syms, P, order)


def test_generators_as_one_list(f4_engine):
    assert groebner(F_STR, ["z", "y", "x"], modulus=P).variables == ("z", "y", "x")


def test_inferred_generators_sorted_like_sympy():
    a, x2, x10 = symbols("a x2 x10")
    F = [x10*y - 1, x2 + a, x**2 - x10]
    expected = tuple(str(g) for g in sympy.groebner(F, modulus=7).gens)
    assert as_system(F).variables == expected == ("x", "x2", "x10", "y", "a")
    assert as_system(["x10*y - 1", "x2 + a", "x^2 - x10"]).variables == expected


def test_extra_generators_are_allowed(f4_engine):
    G = groebner(["x - 1"], "x", "y", modulus=7)
    assert G.variables == ("x", "y") and G.leading_monomials() == [(1, 0)]


def test_rational_coefficients_mapped_to_gf_p(f4_engine):
    # x/3 - 1 = (x - 3)/3, so the monic basis is x - 3 = x + 4 (mod 7)
    for F in (["x/3 - 1"], [x / 3 - 1], [Rational(1, 3) * x - 1], [0.5 * x - 2]):
        G = groebner(F, "x", modulus=7)
        lead = {(1,): 1}
        lead[(0,)] = 4 if F[0] != 0.5 * x - 2 else 3   # x/2 - 2 -> x - 4 = x + 3
        assert G.polys[0].to_dict() == lead


def test_denominator_divisible_by_p_is_named():
    with pytest.raises(ValueError, match=r"coefficient 1/14 of polynomial 1 .*divisible by the "
                                         r"modulus 7"):
        groebner(["x - 1", "x/14 + y"], modulus=7)
    ctx = flint.fmpq_mpoly_ctx.get(("x",), ordering="lex")
    with pytest.raises(ValueError, match="denominator divisible by the modulus 101"):
        groebner([ctx.gens()[0] / 101 + 1], modulus=101)


def test_polynomials_vanishing_mod_p_are_dropped(f4_engine):
    G = groebner(["7*x + 14*y", "y^2 - 1"], "x", "y", modulus=7)
    assert canon(G) == sympy_basis([y**2 - 1], (x, y), 7)


# ---------------------------------------------------------------------------------------------
# degenerate ideals (documented: empty input or only zeros -> the zero ideal, empty basis)

@pytest.mark.parametrize("F", [[], ["0"], [0, "0*x"], [sympy.S.Zero], ["x - x"]])
def test_zero_ideal_has_the_empty_basis(F):
    G = groebner(F, "x", "y", modulus=7)
    assert len(G) == 0 and list(G) == [] and G.leading_monomials() == []
    assert G.contains(0) and G.contains("0") and not G.contains("x")
    sympy_input = any(isinstance(f, sympy.Basic) for f in F)    # a sympy answer for it
    assert G.reduce("x^2 + 3") == (x**2 + 3 if sympy_input else
                                   G.context.from_dict({(2, 0): 1, (0, 0): 3}))


def test_zero_ideal_without_generators():
    G = groebner([], modulus=7)
    assert G.variables == () and len(G) == 0


@pytest.mark.parametrize("F", [["3"], [5], ["x", "x - 1"], ["x*y - 1", "y", "x^3"]])
def test_unit_ideal(F, f4_engine):
    gens = ("x", "y")
    G = groebner(F, *gens, modulus=7)
    assert [g.to_dict() for g in G.polys] == [{(0, 0): 1}]
    assert G.contains("x^9 + 2*y") and G.reduce("x^2") == 0


def test_constants_without_variables():
    G = groebner(["6"], modulus=7)
    assert G.variables == () and len(G) == 1 and G.polys[0] == 1
    assert G.contains("3")


def test_flint_zero_polynomials_and_constants(f4_engine):
    ctx = flint.fmpz_mpoly_ctx.get(("x", "y"), ordering="lex")
    X, Y = ctx.gens()
    G = groebner([X**2 - Y, ctx.constant(0), 0, X * 0], modulus=7, order="lex")
    assert canon(G) == sympy_basis([x**2 - y], (x, y), 7, "lex")
    assert len(groebner([X, 3], modulus=7)) == 1


# ---------------------------------------------------------------------------------------------
# bad input

def test_mixed_rings_are_named():
    q = flint.fmpq_mpoly_ctx.get(("x", "y"), ordering="lex").gens()[0]
    r = flint.fmpz_mpoly_ctx.get(("x", "y"), ordering="lex").gens()[1]
    with pytest.raises(ValueError, match=r"mixed rings: fmpq_mpoly \(QQ\), fmpz_mpoly \(ZZ\)"):
        groebner([q, r], modulus=7)
    with pytest.raises(ValueError, match="cannot mix python-flint polynomials with str"):
        groebner([q, "x"], modulus=7)


def test_different_contexts_are_named():
    a = flint.fmpq_mpoly_ctx.get(("x", "y"), ordering="lex").gens()[0]
    b = flint.fmpq_mpoly_ctx.get(("x", "z"), ordering="lex").gens()[1]
    with pytest.raises(ValueError, match="different contexts"):
        groebner([a, b], modulus=7)


def test_flint_variable_missing_from_generators():
    ctx = flint.fmpq_mpoly_ctx.get(("x", "y"), ordering="lex")
    X, Y = ctx.gens()
    with pytest.raises(ValueError, match=r"variable\(s\) y of .* not among the generators x, z"):
        groebner([X + Y], "x", "z", modulus=7)


@pytest.mark.parametrize("f,message", [
    (sin(x) + y, r"is not a polynomial in x, y"),
    (1 / x + y, r"is not a polynomial in x, y"),
    (sqrt(x) - y, r"is not a polynomial in x, y"),
    (x**Rational(1, 2), r"is not a polynomial"),
    (sqrt(2) * x - y, r"does not have rational coefficients"),
    (sympy.pi * y, r"does not have rational coefficients"),
    (sympy.I * x, r"does not have rational coefficients"),
    (sympy.Lt(x, y), r"is not a polynomial expression"),
])
def test_non_polynomial_sympy_input(f, message):
    with pytest.raises(ValueError, match=message):
        groebner([x - 1, f], x, y, modulus=7)


def test_non_polynomial_with_inferred_generators():
    with pytest.raises(ValueError, match="not a polynomial"):
        groebner([sin(x) + y], modulus=7)


@pytest.mark.parametrize("s,message", [
    ("x + w", r"unknown variable 'w' \(declared variables: x, y\)"),
    ("sin(x)", r"'sin\(\.\.\.\)' is a function call"),
    ("__import__('os')", r"unexpected character"),
    ("x.real", "attribute access"),
    ("2x + 1", r"number followed by a name without '\*'"),
    ("x +", "a term is missing"),
    ("1/x", r"division by a non-constant"),
    ("x^(1/2)", r"expected '\)' after exponent"),
    ("x, y", "expected one polynomial, found 2"),
    ("lambda + 1", "unknown variable 'lambda'"),     # a name like any other, not a keyword
    ("1.5*x", "decimal number"),
])
def test_bad_strings(s, message):
    with pytest.raises(ValueError, match=message):
        groebner(["x - y", s], "x", "y", modulus=7)


def test_strings_treat_sympy_names_as_variables(f4_engine):
    # I, E, S, N are sympy objects, but in a polynomial string they are variables
    G = groebner(["I^2 + 1", "E - S", "N"], modulus=7)
    assert G.variables == ("E", "I", "N", "S")


@pytest.mark.parametrize("gens,message", [
    (("x", "x"), "duplicate generators: x"),
    ((x**2,), "is not a variable name"),
    (("2x",), "not a valid variable name"),
])
def test_bad_generators(gens, message):
    with pytest.raises(ValueError, match=message):
        groebner(["x"], *gens, modulus=7)


@pytest.mark.parametrize("F", [3.5j, {"x": 1}, object(), [object()]])
def test_unsupported_types(F):
    with pytest.raises((TypeError, ValueError)):
        groebner(F, "x", modulus=7)


# ---------------------------------------------------------------------------------------------
# the result object

def test_result_attributes(f4_engine):
    G = groebner(F_STR, modulus=P)
    assert len(G) == len(G.polys) == len(list(G)) == 6
    assert G[0] == G.polys[0] and G[-1] == G.polys[-1] and G[1:3] == G.polys[1:3]
    assert G.blocks is None and G.complete is True and G.reason is None
    for key in ("rounds", "max_rows", "max_cols", "pairs_total", "basis_size", "time_api_convert"):
        assert key in G.stats, key
    assert G.stats["basis_size"] == 6
    assert all(g.leading_coefficient() == 1 for g in G.polys)   # degrevlex ctx: flint's LC
    # leading monomials in decreasing grevlex order (sympy's), equal to flint's own
    lms = G.leading_monomials()
    assert lms == [g.monoms()[0] for g in G.polys]
    key = sympy.polys.orderings.grevlex
    assert lms == sorted(lms, key=key, reverse=True)
    raw_exps, raw_coeffs = G._raw[0]
    assert raw_exps.dtype == np.int32 and raw_coeffs.dtype == np.uint32


def test_repr(f4_engine):
    G = groebner(F_STR, modulus=P)
    assert re.fullmatch(r"GroebnerBasis\(6 polys in x,y,z over GF\(65521\), grevlex"
                        r"(, \d+ rounds?)?\)", repr(G))
    B = groebner(F_STR, modulus=P, order="block", blocks=(1, 2))
    assert "block(1,2)" in repr(B)
    many = groebner([f"x{i} - {i}" for i in range(12)], modulus=P)
    assert "x0,...,x9" in repr(many) or "x0,...,x11" in repr(many)


def test_equality(f4_engine):
    A = groebner(F_STR, modulus=P)
    assert A == groebner(F_SYM, x, y, z, modulus=P)
    assert A == A.polys and A == tuple(A.polys)
    assert A != groebner(F_STR, modulus=101)
    assert A != groebner(F_STR, modulus=P, order="lex")
    assert A != groebner(F_STR, "z", "y", "x", modulus=P)
    assert A != A.polys[:-1] and A != "x"


def test_lex_result_ctx_leading_terms(f4_engine):
    G = groebner(F_STR, modulus=P, order="lex")
    assert G.context.ordering() == flint.Ordering.lex
    assert G.leading_monomials() == [g.monoms()[0] for g in G.polys]


def test_block_order_eliminates(f4_engine):
    # the block basis' elements free of x are the grevlex basis of the elimination ideal,
    # which sympy gives as the x-free part of its lex basis, re-reduced in grevlex(y, z)
    p = 101
    F = [x**2 + y*z - 1, x*y - z**2 + 3, x*z + y - 2]
    B = groebner(F, x, y, z, modulus=p, order="block", blocks=(1, 2))
    lex = sympy.groebner(F, x, y, z, modulus=p, order="lex")
    elim = [g for g in lex.exprs if x not in g.free_symbols]
    expected = sympy_basis(elim, (y, z), p, "grevlex")
    ours = {frozenset(((e[1], e[2]), c) for e, c in g.to_dict().items())
            for g, lm in zip(B.polys, B.leading_monomials()) if lm[0] == 0}
    assert ours == expected


# ---------------------------------------------------------------------------------------------
# reduce / contains

def test_reduce_input_kinds_and_shapes(f4_engine):
    G = groebner(F_STR, modulus=P)
    gens = G.context.gens()
    expected = sympy.reduced(x**5 + y, sympy.groebner(F_SYM, x, y, z, modulus=P,
                                                      order="grevlex").exprs,
                             x, y, z, modulus=P, order="grevlex")[1]
    expected = {m: int(c) % P for m, c in sympy.Poly(expected, x, y, z, modulus=P).terms()}
    q = flint.fmpq_mpoly_ctx.get(("z", "x", "y"), ordering="lex")   # other variable order
    Zq, Xq, Yq = q.gens()
    for f in ("x^5 + y", x**5 + y, gens[0]**5 + gens[1], Xq**5 + Yq):
        r = G.reduce(f)
        assert isinstance(r, flint.nmod_mpoly) and r.to_dict() == expected
    assert [r.to_dict() for r in G.reduce(["x^5 + y", "0", 7])] == [expected, {}, {(0, 0, 0): 7}]
    assert G.reduce([]) == []


def test_reduce_errors(f4_engine):
    G = groebner(F_STR, modulus=P)
    with pytest.raises(ValueError, match="unknown variable"):
        G.reduce("w + x")
    other = flint.nmod_mpoly_ctx.get(("x", "y", "z"), modulus=101, ordering="lex").gens()[0]
    with pytest.raises(ValueError, match=r"over GF\(101\) but modulus=65521"):
        G.reduce(other)
    with pytest.raises(ValueError, match="divisible by the modulus 65521"):
        G.reduce("x/65521")


def test_contains(f4_engine):
    G = groebner(F_STR, modulus=P)
    assert all(G.contains(f) for f in F_STR)
    assert G.contains(F_STR) and G.contains(list(G))
    assert G.contains("(x^2 + y*z - 1)*(x*y + 5) - (z^3 - x - 2)*z^4")
    assert not G.contains("x") and not G.contains(F_STR + ["1"])


# ---------------------------------------------------------------------------------------------
# budgets and progress (need the real C engine)

def _is_compiled(core):
    return getattr(core.f4, "__module__", "") == "grobnet.engine._core"


def test_budgets_raise_and_process_stays_usable(f4_engine, load_ms):
    if not _is_compiled(f4_engine):
        pytest.skip("stand-in engine has no budgets")
    variables, _, polys = load_ms("katsura10.ms")
    with pytest.raises(TimeoutExceeded):
        groebner(polys, *variables, modulus=P, timeout=0.05)
    assert canon(groebner(F_STR, modulus=P)) == sympy_basis(F_SYM, (x, y, z), P)
    with pytest.raises(MemoryBudgetExceeded):
        groebner(polys, *variables, modulus=P, max_memory=2**20)
    assert canon(groebner(F_STR, modulus=P)) == sympy_basis(F_SYM, (x, y, z), P)


def test_progress_is_called(f4_engine, load_ms):
    if not _is_compiled(f4_engine):
        pytest.skip("stand-in engine has no progress reports")
    variables, _, polys = load_ms("cyclic5.ms")
    seen = []
    G = groebner(polys, *variables, modulus=P, progress=lambda *args: seen.append(args))
    assert seen and len(seen) <= G.stats["rounds"] + 1 and all(len(a) == 4 for a in seen)

    class Stop(Exception):
        pass

    def stop(*args):
        raise Stop
    with pytest.raises(Stop):
        groebner(polys, *variables, modulus=P, progress=stop)
