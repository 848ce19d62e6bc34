"""Certified evaluation, Hessian inertia and gradient descent, against numpy and hand-made cases."""
import flint
import numpy as np
import pytest

from grobnet.analysis.descent import gradient_descent, match_points
from grobnet.common.evaluate import PolyEvaluator, hessian_polys
from grobnet.analysis.hessian import hessian_inertia, inertia_from_charpoly

CTX = flint.fmpq_mpoly_ctx.get(("x", "y", "z"), "degrevlex")
X, Y, Z = CTX.gens()


def test_arb_evaluation_encloses_exact_value():
    p = X ** 3 * Y - flint.fmpq(1, 3) * Y * Z + 7 * Z ** 2 - 2
    ev = PolyEvaluator(p)
    pt = (flint.fmpq(3, 7), flint.fmpq(-5, 2), flint.fmpq(1, 11))
    exact = p(*pt)
    with flint.ctx.workprec(100):
        ball = ev.arb([flint.arb(v) for v in pt])
    with flint.ctx.workprec(300):
        assert ball.contains(flint.arb(exact))
    assert ball.rad() < 1e-25
    assert ev.floats(np.array([[float(v) for v in pt]]))[0] == pytest.approx(float(exact))


def test_float_evaluation_matches_numpy_formula():
    p = 3 * X ** 2 * Y - Y * Z + 5
    rng = np.random.default_rng(1)
    pts = rng.normal(size=(20, 3))
    want = 3 * pts[:, 0] ** 2 * pts[:, 1] - pts[:, 1] * pts[:, 2] + 5
    np.testing.assert_allclose(PolyEvaluator(p).floats(pts), want)
    with pytest.raises(ValueError, match="3 columns"):
        PolyEvaluator(p).floats(np.zeros((2, 2)))


def _inertia_of(poly, point):
    rows = [[PolyEvaluator(h) for h in row] for row in hessian_polys(poly)]
    return hessian_inertia(rows, [flint.arb(flint.fmpq(v)) for v in point])


@pytest.mark.parametrize("poly,label,index", [
    (X ** 2 + Y ** 2 + Z ** 2, "minimum", 0),
    (-(X ** 2) - Y ** 2 - Z ** 2, "maximum", 3),
    (X ** 2 - Y ** 2 + 3 * Z ** 2, "saddle (index 1)", 1),
    (X * Y + Z ** 2, "saddle (index 1)", 1),        # zero diagonal, indefinite
    (X ** 2 - Y ** 2 - Z ** 2 + X * Y, "saddle (index 2)", 2),
])
def test_inertia_of_quadratics(poly, label, index):
    inertia = _inertia_of(poly, (0, 0, 0))
    assert inertia.certified and inertia.label() == label and inertia.index == index
    # independent check: numpy eigenvalues of the (constant) Hessian
    h = np.array([[float(e.arb([0, 0, 0]).mid()) for e in row]
                  for row in [[PolyEvaluator(q) for q in r] for r in hessian_polys(poly)]])
    assert int((np.linalg.eigvalsh(h) < 0).sum()) == index


def test_singular_hessian_is_degenerate_not_guessed():
    inertia = _inertia_of(X ** 2 + Y ** 4 - Z ** 2, (0, 0, 0))  # eigenvalues 2, 0, -2
    assert inertia.degenerate and not inertia.certified
    assert inertia.label() == "degenerate"
    assert (inertia.negative, inertia.zero, inertia.positive) == (1, 1, 1)


def test_random_symmetric_matrices_match_numpy():
    rng = np.random.default_rng(5)
    for _ in range(30):
        n = int(rng.integers(1, 6))
        a = rng.integers(-5, 6, size=(n, n))
        h = a + a.T
        if abs(np.linalg.det(h)) < 0.5:
            continue
        cp = flint.arb_mat([[int(v) for v in row] for row in h]).charpoly().coeffs()
        inertia = inertia_from_charpoly(cp)
        assert inertia.certified
        eig = np.linalg.eigvalsh(h)
        assert (inertia.negative, inertia.positive) == (int((eig < 0).sum()), int((eig > 0).sum()))


def test_wide_balls_are_not_certified():
    # det(sI - H) with a constant term whose sign is unknown
    cp = [flint.arb(0, 1), flint.arb(0), flint.arb(1)]
    assert inertia_from_charpoly(cp).degenerate


def test_gradient_descent_finds_the_minima_of_a_double_well():
    loss = (X ** 2 - 1) ** 2 + (Y - 2) ** 2 + Z ** 2  # minima at (+-1, 2, 0), saddle at (0, 2, 0)
    runs = gradient_descent(loss, starts=16, seed=3)
    assert all(r.converged for r in runs)
    matches = match_points([r.point for r in runs], [(1, 2, 0), (-1, 2, 0)], tol=1e-6)
    assert None not in matches and set(matches) == {0, 1}
    assert match_points([(5, 5, 5)], [(1, 2, 0)]) == [None]
