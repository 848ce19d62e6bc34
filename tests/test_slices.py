"""Random affine slices: witness points on a positive-dimensional critical set."""
import flint
import pytest
import sympy

from grobnet.analysis import critical_points
from grobnet.analysis.slices import REASON, random_slices, slice_samples
from grobnet.frontend import Network, gradient_system, xor


def sympy_gradient(system):
    """The gradient of the loss by sympy (an oracle independent of grobnet's evaluators)."""
    exprs, syms = system.to_sympy()
    loss = sympy.sympify(str(system.loss).replace("^", "**"), locals={str(v): v for v in syms})
    return sympy.lambdify(syms, [sympy.diff(loss, v) for v in syms], "mpmath"), \
        sympy.lambdify(syms, loss, "mpmath")


@pytest.fixture(scope="module")
def seed_xor():
    net = Network([2, 2, 2, 1], activation="identity")
    return net, critical_points(net, xor(), positive_dimensional="slices", seed=0)


def test_seed_xor_samples_are_critical_points_on_both_levels(seed_xor):
    import mpmath
    _, cp = seed_xor
    assert cp.dimension == 8 and cp.sampled and not cp.complete
    assert cp.reason.startswith(REASON)
    assert cp.points
    grad, loss = sympy_gradient(cp.system)
    third, half = flint.fmpq(1, 3), flint.fmpq(1, 2)
    levels = set()
    with mpmath.workdps(30):
        for p in cp.points:
            x = [mpmath.mpf(v.mid().str(40, radius=False)) for v in p.solution.intervals]
            assert max(abs(g) for g in grad(*x)) < mpmath.mpf(10) ** -15
            value = loss(*x)
            # the hand-known critical values of the seed net: 1/3 (least squares) and 1/2
            hit = [q for q in (third, half) if abs(value - mpmath.mpf(int(q.p)) / int(q.q)) < 1e-15]
            assert len(hit) == 1
            assert p.loss.overlaps(flint.arb(hit[0]))
            levels.add(hit[0])
    assert levels == {third, half}                 # every level is sampled
    assert all(p.label == "degenerate" for p in cp.points)  # orbits: zero Hessian eigenvalues


def test_samples_without_levels_lie_on_top_dimensional_components():
    s = gradient_system(Network([1, 1, 1]), ([[1]], [[1]]))    # {ab = 1} u {origin}
    found = slice_samples(s, seed=3)
    assert not found.complete and found.reason == REASON
    assert found.slices[0]["hyperplanes"] == 1
    for sample in found.samples:                 # on the curve ab = 1, loss 0
        a, b = sample.floats()
        assert a * b == pytest.approx(1.0, abs=1e-12)
        assert sample.loss.contains(0) and sample.gradient_contains_zero


def test_slices_are_seeded_affine_and_need_a_loss():
    import random
    s = gradient_system(Network([1, 1, 1]), ([[1]], [[1]]))
    a = random_slices(s, 2, random.Random(5))
    b = random_slices(s, 2, random.Random(5))
    assert a == b and all(f.total_degree() == 1 for f in a)
    with pytest.raises(ValueError, match="slices need"):
        class NoLoss:
            loss = None
        slice_samples(NoLoss())
    with pytest.raises(ValueError, match="positive_dimensional"):
        critical_points(s, positive_dimensional="everything")


def test_json_marks_samples(capsys):
    import json

    from grobnet.cli import main
    assert main(["solve", "--example", "xor", "--positive-dimensional", "slices", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["sampled"] is True and payload["complete"] is False
    assert payload["points"] and all(p["label"] == "degenerate" for p in payload["points"])
    assert {round(p["loss"], 12) for p in payload["points"]} == {round(1 / 3, 12), 0.5}
