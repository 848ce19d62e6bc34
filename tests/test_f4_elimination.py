"""F4 under lex and elimination (block) orders on small gradient systems.

Golden case: the gradient of a [1,1,1] network with activation z+z^2, bias, three data
points and L2(1/5), plus t - L.  Under block (4,1) the engine once needed 14 s and 778
rounds with selection degrees near 14000 (sugar ran away, and reductions by elements whose
tails climb far above their leading monomials blew the degrees up); lex did not finish.
Both must now be instant.

Oracles: sympy's lex Buchberger (small cases), the degree of the grevlex basis' leading
ideal (a zero-dimensional ideal has the same number of standard monomials under every
order), and sympy's eliminant for the block order.
"""
import time

import flint
import numpy as np
import pytest
import sympy
from sympy.polys.orderings import monomial_key

from grobnet.analysis.critical_values import _extended_terms, critical_values
from grobnet.engine import _core
from grobnet.exact.hilbert import dimension_and_degree
from grobnet.frontend import L2, Network, gradient_system

P = 65521
D1 = ([[1], [-1], [2]], [[1], [0], [3]])
D2 = ([[1], [2], [-1], [0]], [[2], [1], [0], [1]])


def extended(widths, activation, bias, data, lam):
    """Integer terms of grad L and D*t - D*L (t last) and the number of variables."""
    s = gradient_system(Network(widths, activation=activation, bias=bias), data,
                        reg=L2(flint.fmpq(*lam)))
    eqs, tl = _extended_terms(s)
    return eqs + [tl], s.nvars + 1


def raw(terms, nv, p=P):
    kept = [(e, c % p) for e, c in terms if c % p]
    e = np.array([m for m, _ in kept], dtype=np.int32).reshape(len(kept), nv)
    return e, np.array([c for _, c in kept], dtype=np.uint32)


def engine(polys, nv, order, blocks=None, p=P, timeout=20.0):
    basis, st = _core.f4([raw(f, nv, p) for f in polys], nv, p, order=order, blocks=blocks,
                         timeout=timeout)
    return basis, st


def as_terms(basis):
    return [[(tuple(int(x) for x in e[i]), int(c[i])) for i in range(len(c))] for e, c in basis]


def sympy_lex(polys, nv, p=P):
    """Monic reduced lex basis from sympy, terms decreasing, by increasing leading monomial."""
    X = sympy.symbols(f"x0:{nv}")
    F = [sum(c * sympy.prod([x ** k for x, k in zip(X, m)]) for m, c in f) for f in polys]
    G = sympy.groebner(F, *X, order="lex", modulus=p)
    key = monomial_key("lex")
    out = []
    for g in G.exprs:
        terms = sorted(((m, int(c) % p) for m, c in sympy.Poly(g, *X).terms() if int(c) % p),
                       key=lambda mc: key(mc[0]), reverse=True)
        inv = pow(terms[0][1], -1, p)
        out.append([(tuple(m), c * inv % p) for m, c in terms])
    out.sort(key=lambda t: key(t[0][0]))
    return out


def lm_degree(basis, nv):
    return dimension_and_degree([tuple(int(x) for x in e[0]) for e, _ in basis], nv)


GOLDEN = ([1, 1, 1], "z+z^2", True, D1, (1, 5))
ZERO_DIM = [
    GOLDEN,
    ([1, 1, 1], "z+z^2", True, D2, (1, 7)),
    ([1, 1, 1], "tanh", True, D1, (1, 5)),
    ([1, 2, 1], "square", False, D1, (1, 2)),
    ([1, 1, 1], "square", False, D1, (1, 3)),
]
SMALL = [([1, 1, 1], "square", False, D1, (1, 3)), ([1, 1, 1], "identity", True, D1, (1, 4))]


@pytest.mark.parametrize("order", ["block", "lex"])
def test_golden_system_is_instant(order):
    polys, nv = extended(*GOLDEN)
    t0 = time.perf_counter()
    basis, st = engine(polys, nv, order, (nv - 1, 1) if order == "block" else None, timeout=10.0)
    assert time.perf_counter() - t0 < 2.0
    assert len(basis) == 5                      # x0..x3 and the eliminant in t (shape position)
    assert st["max_cols"] < 20000               # degrees stay small
    lms = [tuple(int(x) for x in e[0]) for e, _ in basis]
    assert sum(1 for m in lms if any(m[:nv - 1])) == 4


@pytest.mark.parametrize("case", ZERO_DIM, ids=lambda c: f"{c[0]}-{c[1]}-{c[2]}")
@pytest.mark.parametrize("p", [P, 1000003])
def test_lex_degree_equals_grevlex_degree(case, p):
    polys, nv = extended(*case)
    g, _ = engine(polys, nv, "grevlex", p=p)
    dim, deg = lm_degree(g, nv)
    assert dim == 0
    for order, blocks in [("lex", None), ("block", (nv - 1, 1))]:
        b, _ = engine(polys, nv, order, blocks, p=p, timeout=20.0)
        assert lm_degree(b, nv) == (0, deg), order


@pytest.mark.parametrize("case", SMALL, ids=lambda c: f"{c[0]}-{c[1]}-{c[2]}")
def test_lex_matches_sympy(case):
    polys, nv = extended(*case)
    basis, _ = engine(polys, nv, "lex")
    assert as_terms(basis) == sympy_lex(polys, nv)


@pytest.mark.parametrize("case", SMALL, ids=lambda c: f"{c[0]}-{c[1]}-{c[2]}")
def test_block_eliminant_matches_sympy(case):
    """The element of the block basis free of the first block is the monic generator of
    I ∩ k[t], which is also the smallest element of sympy's lex basis."""
    polys, nv = extended(*case)
    basis, _ = engine(polys, nv, "block", (nv - 1, 1))
    elim = [t for t in as_terms(basis) if not any(any(m[:nv - 1]) for m, _ in t)]
    expected = [t for t in sympy_lex(polys, nv) if not any(any(m[:nv - 1]) for m, _ in t)]
    assert elim == expected and len(elim) == 1


def test_block_and_lex_agree_with_each_other_on_the_eliminant():
    polys, nv = extended(*GOLDEN)
    b, _ = engine(polys, nv, "block", (nv - 1, 1))
    lx, _ = engine(polys, nv, "lex")
    only_t = lambda B: [t for t in as_terms(B) if not any(any(m[:nv - 1]) for m, _ in t)]
    assert only_t(b) == only_t(lx) and len(only_t(b)) == 1
    assert only_t(b)[0][0][0][nv - 1] <= lm_degree(engine(polys, nv, "grevlex")[0], nv)[1]


def test_critical_values_of_golden_network_is_fast():
    s = gradient_system(Network([1, 1, 1], activation="z+z^2", bias=True),
                        ([[1], [-1], [2]], [[1], [0], [3]]), reg=L2(flint.fmpq(1, 5)))
    t0 = time.perf_counter()
    cv = critical_values(s)
    assert time.perf_counter() - t0 < 30.0
    assert cv.complete and cv.values
