"""grobnet's Groebner bases over GF(p) against oracles outside grobnet.

* sympy's Buchberger (``groebner(..., modulus=p)``) on hundreds of small random systems,
  several primes (7 up to 2^31 - 1) and both orders: identical monic reduced bases;
  sympy's ``reduced`` for normal forms.
* python-flint over Q: bases certified by ``fmpz_mpoly_vec.is_groebner`` /
  ``is_autoreduced`` that are *monic with integer coefficients* are Groebner bases modulo
  every prime (division by monic integer polynomials never leaves Z, so the integer
  standard representations of the S-polynomials survive reduction mod p), and so is a
  generating set obtained from them by a unimodular (unit triangular) change of
  generators.  Such a basis is therefore the expected answer mod every p, even p = 7.
* known degrees of the benchmark systems (cyclic-5: 70, cyclic-6: 156, katsura-n: 2^n,
  cyclic-7: 924), counted as standard monomials of our leading monomials.
* msolve ``-g 1`` (leading ideal mod 65521) on the same files, when msolve is installed.
"""
import itertools
import random
import subprocess

import flint
import pytest
import sympy
from hypothesis import HealthCheck, given, settings, strategies as st
from sympy.polys.orderings import grevlex as sympy_grevlex, lex as sympy_lex

from grobnet.solver.groebner import groebner

pytestmark = pytest.mark.usefixtures("f4_engine")

PRIMES = [7, 101, 65521, 2147483629, 2147483647]
SYMPY_ORDERS = SYMPY_ORDER_KEYS = {"grevlex": sympy_grevlex, "lex": sympy_lex}
FLINT_ORDERINGS = {"grevlex": "degrevlex", "lex": "lex"}
NAMES = ("x0", "x1", "x2", "x3")


# ---------------------------------------------------------------------------------------------
# helpers (canonical forms independent of grobnet's conversions where it matters)

def sympy_canon(F, syms, p, order):
    """sympy's reduced basis as a set of monic term sets with coefficients in [0, p)."""
    G = sympy.groebner(F, *syms, modulus=p, order=order)
    out = set()
    for g in G.polys:
        inv = pow(int(g.LC(order=SYMPY_ORDERS[order])) % p, -1, p)
        out.add(frozenset((m, int(c) * inv % p) for m, c in g.terms() if int(c) % p))
    return out, G


def our_canon(G):
    return {frozenset((tuple(m), int(c)) for m, c in g.to_dict().items()) for g in G.polys}


def standard_monomials(lms, nvars, limit=10**6):
    """The monomials divisible by no leading monomial (None if there are infinitely many)."""
    if any(sum(m) == 0 for m in lms):
        return []
    for i in range(nvars):      # zero-dimensional iff every variable has a pure power
        if not any(m[i] > 0 and sum(m) == m[i] for m in lms):
            return None
    seen, todo = {(0,) * nvars}, [(0,) * nvars]
    while todo:
        m = todo.pop()
        for i in range(nvars):
            n = m[:i] + (m[i] + 1,) + m[i + 1:]
            if n not in seen and not any(all(a >= b for a, b in zip(n, l)) for l in lms):
                seen.add(n)
                todo.append(n)
                assert len(seen) < limit
    return sorted(seen)


@st.composite
def small_systems(draw, max_vars=3, max_polys=3, max_terms=4, max_deg=3, coeff=st.integers(-9, 9)):
    """Small random polynomial systems as sympy expressions with their symbols."""
    nvars = draw(st.integers(1, max_vars))
    syms = sympy.symbols(NAMES[:nvars])
    monos = [m for m in itertools.product(range(max_deg + 1), repeat=nvars) if sum(m) <= max_deg]
    polys = []
    for _ in range(draw(st.integers(1, max_polys))):
        terms = draw(st.lists(st.tuples(st.sampled_from(monos), coeff), min_size=1,
                              max_size=max_terms))
        polys.append(sum((c * sympy.prod([s**e for s, e in zip(syms, m)]) for m, c in terms),
                         sympy.S.Zero))
    return polys, syms


SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    derandomize=True)


# ---------------------------------------------------------------------------------------------
# sympy

@settings(SETTINGS, max_examples=150)
@given(data=small_systems(), p=st.sampled_from(PRIMES))
def test_grevlex_equals_sympy(data, p):
    F, syms = data
    expected, _ = sympy_canon(F, syms, p, "grevlex")
    G = groebner(F, *syms, modulus=p, order="grevlex")
    assert our_canon(G) == expected
    _check_shape(G, "grevlex")


@settings(SETTINGS, max_examples=100)
@given(data=small_systems(max_deg=2), p=st.sampled_from(PRIMES))
def test_lex_equals_sympy(data, p):
    F, syms = data
    expected, _ = sympy_canon(F, syms, p, "lex")
    G = groebner(F, *syms, modulus=p, order="lex")
    assert our_canon(G) == expected
    _check_shape(G, "lex")


@settings(SETTINGS, max_examples=60)
@given(data=small_systems(coeff=st.integers(0, 2**31 - 2)), p=st.sampled_from(PRIMES[2:]))
def test_large_coefficients_equal_sympy(data, p):
    F, syms = data
    expected, _ = sympy_canon(F, syms, p, "grevlex")
    assert our_canon(groebner(F, *syms, modulus=p)) == expected


def _check_shape(G, order):
    """Monic, sorted by strictly decreasing leading monomial (sympy's order), leading
    monomial first."""
    key = SYMPY_ORDER_KEYS[order]
    lms = G.leading_monomials()
    assert all(key(a) > key(b) for a, b in zip(lms, lms[1:]))
    for (exps, coeffs), lm in zip(G._raw[::-1], lms):
        assert int(coeffs[0]) == 1 and tuple(exps[0]) == lm
        assert all(key(tuple(a)) > key(tuple(b)) for a, b in zip(exps, exps[1:]))
        assert all(0 < int(c) < G.modulus for c in coeffs)


# ---------------------------------------------------------------------------------------------
# reduce / contains against sympy's reduced()

@settings(SETTINGS, max_examples=60)
@given(data=small_systems(max_vars=3, max_polys=2), p=st.sampled_from(PRIMES),
       order=st.sampled_from(["grevlex", "lex"]), seed=st.integers(0, 10**6))
def test_reduce_and_contains_against_sympy(data, p, order, seed):
    F, syms = data
    rng = random.Random(seed)
    _, SG = sympy_canon(F, syms, p, order)
    G = groebner(F, *syms, modulus=p, order=order)

    def rand_poly(deg):
        return sum((rng.randint(-5, 5) * sympy.prod([s**rng.randint(0, deg) for s in syms])
                    for _ in range(3)), sympy.S.Zero)

    # every generator, and random combinations of them, are in the ideal
    assert G.contains(F) and all(G.reduce(f) == 0 for f in F)
    combo = sympy.expand(sum(rand_poly(2) * f for f in F))
    assert G.contains(combo)
    # the normal form of a random polynomial is sympy's remainder
    r = rand_poly(4)
    expected = sympy.reduced(r, SG.exprs, *syms, modulus=p, order=order)[1] if SG.exprs else r
    expected = {m: int(c) % p for m, c in sympy.Poly(expected, *syms, modulus=p).terms()
                if int(c) % p}
    ours = sympy.Poly(G.reduce(r), *syms, modulus=p)      # sympy input: a sympy answer
    assert {m: int(c) % p for m, c in ours.terms() if int(c) % p} == expected
    assert G.contains(r) == (not expected)


# ---------------------------------------------------------------------------------------------
# python-flint: monic integer Groebner bases are the answer modulo every prime

def _monic_integer_basis(vec):
    """The elements of a flint vector with leading coefficient +-1 made monic, or None."""
    out = []
    for g in vec:
        lc = g.leading_coefficient()
        if lc not in (1, -1):
            return None
        out.append(g if lc == 1 else -g)
    return out


def _binomial_ideal_basis(rng, ctx, nvars):
    """Reduced GB over Q (certified by flint) of a random pure-difference binomial ideal."""
    gens = ctx.gens()

    def mono():
        return ctx.from_dict({tuple(rng.randint(0, 2) for _ in range(nvars)): 1})
    F = [mono() - mono() for _ in range(rng.randint(2, 3))]
    F = [f for f in F if not f.is_zero()] or [gens[0] - gens[-1]]
    vec = flint.fmpz_mpoly_vec(F, ctx).buchberger_naive()
    return flint.fmpz_mpoly_vec(list(vec), ctx).autoreduction(groebner=True)


def _shape_basis(rng, ctx, nvars):
    """A random lex basis in shape position: x_last^d + ..., x_i - a_i(x_last)."""
    gens = ctx.gens()
    t = gens[-1]
    d = rng.randint(1, 4)
    elim = t**d + sum(rng.randint(-9, 9) * t**k for k in range(d))
    rest = [gens[i] - sum(rng.randint(-9, 9) * t**k for k in range(d)) for i in range(nvars - 1)]
    return flint.fmpz_mpoly_vec(rest + [elim], ctx)


def _unimodular_mix(rng, ctx, G):
    """Generators f_i = g_i + sum_{j<i} h_ij g_j (same ideal over Z and mod every p),
    presented in a shuffled order."""
    nvars = ctx.nvars()

    def small():
        return ctx.from_dict({tuple(rng.randint(0, 1) for _ in range(nvars)): rng.randint(-3, 3)
                              for _ in range(2)})
    F = [g + sum((small() * G[j] for j in range(i)), ctx.from_dict({})) for i, g in enumerate(G)]
    rng.shuffle(F)
    return F


@pytest.mark.parametrize("seed", range(40))
def test_flint_certified_monic_bases(seed):
    rng = random.Random(seed)
    nvars = rng.randint(2, 4)
    names = NAMES[:nvars]
    kind = "binomial" if seed % 2 == 0 else "shape"
    order = "grevlex" if kind == "binomial" and seed % 4 == 0 else "lex"
    ctx = flint.fmpz_mpoly_ctx.get(names, ordering=FLINT_ORDERINGS[order])
    vec = (_binomial_ideal_basis if kind == "binomial" else _shape_basis)(rng, ctx, nvars)
    G0 = _monic_integer_basis(vec)
    if G0 is None:
        pytest.skip("flint's basis is not monic over Z")   # never happens for these families
    cert = flint.fmpz_mpoly_vec(G0, ctx)
    assert cert.is_groebner() and cert.is_autoreduced()
    F = _unimodular_mix(rng, ctx, G0)
    assert cert.is_groebner(flint.fmpz_mpoly_vec(F, ctx))
    for p in PRIMES:
        expected = {frozenset((tuple(m), int(c) % p) for m, c in zip(g.monoms(), g.coeffs())
                              if int(c) % p) for g in G0}
        G = groebner(F, modulus=p, order=order)
        assert G.variables == names
        assert our_canon(G) == expected, (p, order, F)


# ---------------------------------------------------------------------------------------------
# benchmark systems: known degrees and msolve's leading ideal

DEGREES = {"cyclic5.ms": 70, "cyclic6.ms": 156, "katsura6.ms": 64, "katsura7.ms": 128,
           "katsura8.ms": 256}
SLOW_DEGREES = {"cyclic7.ms": 924, "katsura9.ms": 512, "katsura10.ms": 1024,
                "katsura11.ms": 2048}
MSOLVE_FAST = ["cyclic5.ms", "cyclic6.ms", "katsura6.ms", "katsura7.ms", "katsura8.ms",
               "nn_121_sq_bias_l2.ms", "nn_121_sq_bias_gl2.ms", "nn_xor_2221_linear_seed.ms"]
MSOLVE_SLOW = ["cyclic7.ms", "katsura9.ms", "katsura10.ms"]
P = 65521


def _degree_case(load_ms, name, degree):
    variables, _, polys = load_ms(name)
    G = groebner(polys, *variables, modulus=P)
    std = standard_monomials(G.leading_monomials(), len(variables))
    assert std is not None and len(std) == degree
    # every generator reduces to zero: the basis really belongs to this system
    assert G.contains(polys)


@pytest.mark.parametrize("name", sorted(DEGREES))
def test_known_degree(load_ms, name):
    _degree_case(load_ms, name, DEGREES[name])


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SLOW_DEGREES))
def test_known_degree_slow(load_ms, name):
    _degree_case(load_ms, name, SLOW_DEGREES[name])


def msolve_leading_monomials(msolve, variables, polys, p, tmp_path):
    """Leading monomials (exponent tuples, msolve's order) of msolve -g 1 modulo p."""
    path, env = msolve
    src, out = tmp_path / "in.ms", tmp_path / "out.txt"
    src.write_text(",".join(variables) + f"\n{p}\n" + ",\n".join(polys) + "\n")
    subprocess.run([path, "-g", "1", "-f", str(src), "-o", str(out)], env=env, check=True,
                   timeout=600, capture_output=True)
    text = out.read_text()
    body = text[text.index("["):text.rindex("]")].strip("[]")
    index = {v: i for i, v in enumerate(variables)}
    lms = []
    for mono in body.split(","):
        e = [0] * len(variables)
        for factor in mono.strip().split("*"):
            if factor and factor != "1":
                name, _, power = factor.partition("^")
                e[index[name.strip()]] += int(power or 1)
        lms.append(tuple(e))
    return lms


def _msolve_case(msolve, load_ms, name, tmp_path):
    variables, _, polys = load_ms(name)
    G = groebner(polys, *variables, modulus=P)
    # msolve lists the basis by increasing leading monomial, grobnet in sympy's order
    assert G.leading_monomials()[::-1] == msolve_leading_monomials(msolve, variables, polys, P,
                                                                   tmp_path)


@pytest.mark.oracle
@pytest.mark.parametrize("name", MSOLVE_FAST)
def test_leading_ideal_equals_msolve(msolve, load_ms, name, tmp_path):
    _msolve_case(msolve, load_ms, name, tmp_path)


@pytest.mark.oracle
@pytest.mark.slow
@pytest.mark.parametrize("name", MSOLVE_SLOW)
def test_leading_ideal_equals_msolve_slow(msolve, load_ms, name, tmp_path):
    _msolve_case(msolve, load_ms, name, tmp_path)


@pytest.mark.oracle
@settings(SETTINGS, max_examples=30)
@given(data=small_systems(max_vars=4, max_polys=4, max_deg=3))
def test_random_leading_ideals_equal_msolve(msolve, tmp_path_factory, data):
    F, syms = data
    variables = tuple(s.name for s in syms)
    polys = [str(sympy.expand(f)).replace("**", "^") for f in F]
    polys = [q for q in polys if q != "0"]
    if not polys:       # msolve needs a polynomial; the zero ideal is tested elsewhere
        return
    G = groebner(polys, *variables, modulus=P)
    theirs = msolve_leading_monomials(msolve, variables, polys, P, tmp_path_factory.mktemp("ms"))
    assert G.leading_monomials()[::-1] == theirs


# ---------------------------------------------------------------------------------------------
# golden inputs: every engine bug found leaves a small .ms file in tests/data/ (see its README)

DATA = __import__("pathlib").Path(__file__).parent / "data"


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.ms")))
def test_golden_inputs_equal_sympy(name):
    from conftest import read_ms
    variables, p, polys = read_ms(DATA / name)
    syms = sympy.symbols(variables)
    exprs = [sympy.sympify(q.replace("^", "**"), locals=dict(zip(variables, syms))) for q in polys]
    for order in ("grevlex", "lex"):
        expected, _ = sympy_canon(exprs, syms, p, order)
        assert our_canon(groebner(polys, *variables, modulus=p, order=order)) == expected, order
