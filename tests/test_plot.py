"""Plots of the loss along lines through critical points (skipped without matplotlib)."""
import flint
import numpy as np
import pytest

from grobnet.analysis import critical_points
from grobnet.analysis.plot import loss_lines, plot_critical_points
from grobnet.frontend import L2, Network, xor

pytest.importorskip("matplotlib")


def exact_loss(system, x):
    """The loss at a float point, exactly (floats converted to rationals): an oracle
    independent of the vectorised evaluator the plot uses."""
    return float(system.loss(*[flint.fmpq(*float(v).as_integer_ratio()) for v in x]))


def float_error_bound(system, x):
    """A bound on the rounding error of evaluating the loss in floating point at ``x``:
    a small multiple of eps times the sum of the absolute values of its terms (far from the
    origin, e.g. |x| ~ 45 on a slice witness, the terms cancel and a fixed relative tolerance
    would test luck, not the evaluator)."""
    ax = [abs(float(v)) for v in x]
    size = sum(abs(float(c)) * float(np.prod([a ** int(e) for a, e in zip(ax, m)]))
               for m, c in system.loss.terms())
    return 64 * np.finfo(float).eps * size + 1e-12


def check_curves(result, curves):
    for c in curves:
        assert np.allclose(c.points, c.origin[None, :] + c.t[:, None] * c.direction[None, :])
        for k in (0, len(c.t) // 3, len(c.t) - 1):
            exact = exact_loss(result.system, c.points[k])
            assert abs(c.loss[k] - exact) <= float_error_bound(result.system, c.points[k])
        for tm, lm, _ in c.marks:   # a mark may be a float witness (~sqrt(eps) accurate
            # on a singular component) labelled with its exact critical value; its loss is
            # the evaluator's at that float point (CI: 6.5e-8 off at a far witness)
            x = c.origin + tm * c.direction
            assert abs(lm - exact_loss(result.system, x)) <= \
                float_error_bound(result.system, x)


def test_finite_set_segments_join_the_minimum_to_every_point(tmp_path):
    cp = critical_points(Network([1, 1, 1]), ([[1]], [[1]]), reg=L2(flint.fmpq(1, 10)))
    path = tmp_path / "loss.png"
    curves = plot_critical_points(cp, str(path))
    assert path.stat().st_size > 1000 and path.read_bytes()[:4] == b"\x89PNG"
    assert len(curves) == len(cp.points) - 1
    lowest = min(cp.points, key=lambda p: float(p.loss.mid()))
    ends = {tuple(np.round(c.origin + c.direction, 9)) for c in curves}
    others = {tuple(np.round(p.solution.floats(), 9)) for p in cp.points if p is not lowest}
    assert ends == others
    for c in curves:   # the marked points are the critical points, with their certified loss
        assert np.allclose(c.origin, lowest.solution.floats())
        assert c.marks[0][1] == pytest.approx(float(lowest.loss.mid()))
    check_curves(cp, curves)


def test_positive_dimensional_lines_through_witnesses(tmp_path):
    cp = critical_points(Network([2, 2, 2, 1]), xor(), positive_dimensional="slices")
    path = tmp_path / "xor.png"
    curves = plot_critical_points(cp, str(path), lines=4)
    assert path.stat().st_size > 1000
    assert len(curves) == 4
    for c in curves:   # each line passes through a witness at t = 0, on a critical value
        assert c.marks[0][0] == 0.0
        # witnesses are float points; on a degenerate (singular) component Newton's method
        # converges only to ~sqrt(eps) (seen: 2.2e-8 off 1/3 with a random slice seed)
        assert any(abs(c.marks[0][1] - float(v)) < 1e-6 for v in cp.values.values)
    check_curves(cp, curves)


def test_single_point_and_bad_arguments():
    cp = critical_points(Network([1, 1]), ([[1], [2]], [[1], [3]]))   # convex: one minimum
    assert len(cp.points) == 1
    curves = loss_lines(cp, lines=3)
    assert len(curves) == 3 and all(c.marks[0][0] == 0.0 for c in curves)
    check_curves(cp, curves)
    with pytest.raises(ValueError, match="lines >= 1"):
        loss_lines(cp, lines=0)
