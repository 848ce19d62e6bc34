"""Gauge fixing: the fixed system is smaller, and its critical points are the original's."""
import flint
import numpy as np
import pytest

from grobnet.analysis import critical_points
from grobnet.common.evaluate import PolyEvaluator, gradient_polys
from grobnet.analysis.gauge import NotHomogeneous, gauge_fixed_system
from grobnet.solver.groebner import groebner
from grobnet.exact.hilbert import dimension_and_degree
from grobnet.frontend import L2, Network, xor

THREE = ([[1], [-1], [2]], [[2], [1], [3]])


def dimension(system):
    G = groebner(system, modulus=2147483629)
    return dimension_and_degree(G.leading_monomials(), system.nvars)[0]


def original_gradient_contains_zero(fixing, solution):
    """Substitute a certified box of the fixed system into the ORIGINAL gradient."""
    box = fixing.full_point(list(solution.intervals))
    with flint.ctx.workprec(128):
        box = [flint.arb(v) for v in box]
        return all(PolyEvaluator(g).arb(box).contains(0)
                   for g in gradient_polys(fixing.original.loss))


@pytest.mark.parametrize("widths, act, data", [
    ([1, 1, 1], "identity", ([[1]], [[1]])),
    ([1, 1, 1, 1], "identity", THREE),
    ([1, 1, 1, 1, 1], "identity", THREE),
    ([1, 1, 1], "square", THREE),
    ([1, 1, 1, 1], "square", THREE),
])
def test_fixed_system_is_finite_and_its_points_are_critical(widths, act, data):
    fixing = gauge_fixed_system(Network(widths, act), data)
    assert dimension(fixing.original) > 0           # the scaling orbits
    assert dimension(fixing.system) == 0
    cp = critical_points(Network(widths, act), data, gauge="fix-scale")
    assert cp.gauge.fixed == fixing.fixed and cp.system.variables == fixing.system.variables
    assert cp.dimension == 0 and cp.points and not cp.complete and "gauge-fixed" in cp.reason
    for p in cp.points:
        assert original_gradient_contains_zero(cp.gauge, p.solution)


def test_with_bias_the_bias_scales_too():
    net = Network([1, 1, 1], "square", bias=True)
    fixing = gauge_fixed_system(net, THREE)
    assert dimension(fixing.original) > 0 and dimension(fixing.system) == 0
    cp = critical_points(net, THREE, gauge="fix-scale")
    assert cp.points and all(original_gradient_contains_zero(cp.gauge, p.solution)
                             for p in cp.points)


def test_slices_of_a_still_infinite_fixed_system_are_critical_for_the_original():
    cp = critical_points(Network([1, 2, 1], "square"), THREE, gauge="fix-scale",
                         positive_dimensional="slices")
    assert cp.dimension == 1 and cp.sampled and cp.points
    assert all(original_gradient_contains_zero(cp.gauge, p.solution) for p in cp.points)


def test_one_unit_by_hand():
    # L = (a*b - 1)^2 on x = y = 1: critical set {ab = 1} u {a = b = 0}.  Fixing a = 1
    # leaves (b - 1)^2 with the single critical point b = 1: the orbit ab = 1; the origin
    # (a = 0) has no representative, as documented.
    cp = critical_points(Network([1, 1, 1]), ([[1]], [[1]]), gauge="fix-scale")
    assert cp.system.variables == ("w2_0_0",)
    assert len(cp.points) == 1 and cp.points[0].label == "minimum"
    assert cp.points[0].solution.intervals[0].contains(1)
    assert cp.points[0].loss.contains(0)
    assert cp.gauge.fixed == {"w1_0_0": 1}


def test_lower_dimensional_for_quadratic_units():
    for widths, data in (([1, 2, 1], THREE), ([2, 2, 1], xor())):
        fixing = gauge_fixed_system(Network(widths, "square"), data)
        assert dimension(fixing.system) < dimension(fixing.original)
        # the fixed loss is the original one on the slice: compare at a random point
        rng = np.random.default_rng(0)
        free = rng.normal(size=fixing.system.nvars)
        full = np.array(fixing.full_point(list(free)), dtype=float)
        assert PolyEvaluator(fixing.system.loss).floats(free) == pytest.approx(
            PolyEvaluator(fixing.original.loss).floats(full))


def test_hessian_index_agrees_with_original_on_the_transversal():
    # deep linear [1,1,1,1]: fixed system in the output weight only; a minimum of the fixed
    # loss is a minimum of the original (numpy eigenvalues: no negative one, 2 zero ones)
    from grobnet.common.evaluate import hessian_polys
    cp = critical_points(Network([1, 1, 1, 1]), THREE, gauge="fix-scale")
    H = [[PolyEvaluator(h) for h in row] for row in hessian_polys(cp.gauge.original.loss)]
    for p in cp.points:
        x = np.array(cp.gauge.full_point(p.solution.floats()), dtype=float)
        ev = np.linalg.eigvalsh(np.array([[e.floats(x) for e in row] for row in H]))
        tol = 1e-8 * max(1.0, np.abs(ev).max())
        assert int((ev < -tol).sum()) == p.inertia.index
        assert int((np.abs(ev) <= tol).sum()) == len(cp.gauge.fixed)


def test_permutation_classes_group_permuted_points():
    fixing = gauge_fixed_system(Network([2, 2, 1], "square"), xor())
    rng = np.random.default_rng(1)
    a = rng.normal(size=fixing.system.nvars)
    b = rng.normal(size=fixing.system.nvars)
    theta = np.array(fixing.full_point(list(a)), dtype=float)
    swapped = fixing.regauge(fixing.permute(theta, [(1, 0)]))
    # the network function is unchanged by the permutation
    loss = PolyEvaluator(fixing.original.loss)
    assert loss.floats(swapped) == pytest.approx(loss.floats(theta))
    free_swapped = [swapped[fixing.original.variables.index(v)] for v in fixing.system.variables]
    classes = fixing.permutation_classes([a, b, free_swapped])
    assert sorted(map(sorted, classes)) == [[0, 2], [1]]


@pytest.mark.parametrize("net, reg, words", [
    (Network([1, 2, 1], "z+z^2"), None, "not homogeneous"),
    (Network([1, 1, 1]), L2(flint.fmpq(1, 10)), "unregularized"),
])
def test_refuses_what_it_cannot_fix(net, reg, words):
    with pytest.raises(NotHomogeneous, match=words):
        gauge_fixed_system(net, THREE, reg=reg)
    with pytest.raises(ValueError, match="no hidden layer"):
        gauge_fixed_system(Network([1, 1]), THREE)
    with pytest.raises(ValueError, match="the only gauge"):
        critical_points(Network([1, 1, 1]), THREE, gauge="fix-everything")
