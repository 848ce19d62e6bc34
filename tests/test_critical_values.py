"""Critical values by elimination, against hand computations and sympy's lex Groebner basis."""
import flint
import pytest
import sympy

from grobnet.analysis.critical_values import critical_values
from grobnet.frontend import L2, Network, gradient_system, xor


def test_seed_xor_critical_values_are_one_third_and_one_half():
    # Independent facts: the best linear (no bias) fit of XOR is a = b = 1/3 with
    # MSE 1/3; the origin is critical with MSE = mean(y^2) = 1/2.
    s = gradient_system(Network([2, 2, 2, 1], activation="identity"), xor())
    cv = critical_values(s, descent_witnesses=False)
    assert [v.exact for v in cv.values] == [flint.fmpq(1, 3), flint.fmpq(1, 2)]
    assert cv.complex_count == 0 and cv.complete
    # the origin is an exact real critical point at level 1/2; level 1/3 has no witness yet
    assert [v.attained for v in cv.values] == [None, True]
    assert cv.minimum is None
    # gradient descent + exactly solved coordinate slices certify a real point at 1/3
    cv = critical_values(s)
    assert [v.attained for v in cv.values] == [True, True]
    assert cv.minimum.exact == flint.fmpq(1, 3)
    # W1 = W2 = I, w3 = (1/3, 1/3) realises the least-squares fit: a rational witness
    third = flint.fmpq(1, 3)
    cv = critical_values(s, witnesses=[(1, 0, 0, 1, 1, 0, 0, 1, third, third)],
                         descent_witnesses=False)
    assert [v.attained for v in cv.values] == [True, True]
    assert cv.minimum.exact == flint.fmpq(1, 3)
    assert not cv.minimum_is_attained_global  # no regularization: not guaranteed by coercivity
    assert cv.dimension > 0                   # the symmetries make the critical set infinite
    assert s.loss(*([0] * s.nvars)) == flint.fmpq(1, 2)
    assert [v.dimension for v in cv.values] == [8, 6]


def test_one_unit_linear_net_with_l2_by_hand():
    # L = (a*b - 1)^2 + lam*(a^2 + b^2) on the single point x = 1, y = 1:
    # real critical values 1 (origin) and 2*lam - lam^2 (a = b, a^2 = 1 - lam); the
    # complex points a = -b, a^2 = -1 - lam have the real value -2*lam - lam^2.
    lam = flint.fmpq(1, 10)
    s = gradient_system(Network([1, 1, 1], activation="identity"), ([[1]], [[1]]), reg=L2(lam))
    cv = critical_values(s)
    assert [v.exact for v in cv.values] == [-2 * lam - lam * lam, 2 * lam - lam * lam, flint.fmpq(1)]
    assert [v.attained for v in cv.values] == [False, True, True]
    assert all(v.dimension == 0 for v in cv.values)
    assert cv.minimum.exact == 2 * lam - lam * lam
    assert cv.minimum_is_attained_global


def test_eliminant_matches_sympy_lex_elimination():
    s = gradient_system(Network([1, 1, 1], activation="identity", bias=True),
                        ([[1], [-1], [2]], [[1], [0], [3]]), reg=L2(flint.fmpq(1, 5)))
    exprs, syms = s.to_sympy()
    t = sympy.Symbol("t_loss")
    loss = sympy.sympify(str(s.loss).replace("^", "**"), locals={str(v): v for v in syms})
    G = sympy.groebner(list(exprs) + [t - loss], *syms, t, order="lex")
    elim = [g for g in G.exprs if g.free_symbols <= {t}]
    assert len(elim) == 1
    want = sympy.Poly(elim[0], t).monic()
    got = critical_values(s).eliminant
    got_poly = sympy.Poly([int(c) for c in reversed(got.coeffs())], t).monic()
    assert got_poly == want


def test_needs_a_loss():
    class NoLoss:
        loss = None
    with pytest.raises(ValueError, match="loss polynomial"):
        critical_values(NoLoss())
