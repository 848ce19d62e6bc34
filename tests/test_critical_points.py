"""critical_points end to end, against hand-solved nets, numpy eigenvalues and gradient descent."""
import json

import flint
import numpy as np
import pytest

from grobnet.analysis import critical_points
from grobnet.analysis.descent import gradient_descent, match_points
from grobnet.analysis.evaluate import PolyEvaluator, hessian_polys
from grobnet.cli import main
from grobnet.frontend import L2, Network, gradient_system, xor


@pytest.fixture(scope="module")
def one_unit():
    # L = (a*b - 1)^2 + (a^2 + b^2)/10 on x = 1, y = 1.  By hand: the origin (L = 1, Hessian
    # [[1/5, -2], [-2, 1/5]]: a saddle) and a = b = +-sqrt(9/10) (L = 19/100, minima).
    s = gradient_system(Network([1, 1, 1], activation="identity"), ([[1]], [[1]]),
                        reg=L2(flint.fmpq(1, 10)))
    return s, critical_points(s, digits=25)


def test_hand_solved_net(one_unit):
    s, cp = one_unit
    assert cp.complete and cp.dimension == 0 and len(cp.points) == 3
    by_loss = sorted(cp.points, key=lambda p: float(p.loss.mid()))
    assert [p.label for p in by_loss] == ["minimum", "minimum", "saddle (index 1)"]
    assert all(p.loss.overlaps(flint.arb(flint.fmpq(19, 100))) for p in by_loss[:2])
    assert by_loss[2].loss.overlaps(flint.arb(1))
    r = float(np.sqrt(0.9))
    coords = sorted(tuple(round(v, 12) for v in p.solution.floats()) for p in by_loss[:2])
    assert coords == [(-round(r, 12),) * 2, (round(r, 12),) * 2]
    assert [p.global_minimum for p in by_loss] == [True, True, False]


def test_labels_agree_with_numpy_eigenvalues_and_loss_evaluation(one_unit):
    s, cp = one_unit
    hess = [[PolyEvaluator(h) for h in row] for row in hessian_polys(s.loss)]
    for p in cp.points:
        x = np.array(p.solution.floats())
        h = np.array([[e.floats(x) for e in row] for row in hess])
        assert int((np.linalg.eigvalsh(h) < 0).sum()) == p.inertia.index
        assert float(p.loss.mid()) == pytest.approx(float(PolyEvaluator(s.loss).floats(x)), abs=1e-12)


def test_gradient_descent_ends_at_a_found_minimum(one_unit):
    s, cp = one_unit
    minima = [p.solution.floats() for p in cp.points if p.label == "minimum"]
    runs = [r for r in gradient_descent(s.loss, starts=24, seed=7) if r.converged]
    assert runs
    everything = [p.solution.floats() for p in cp.points]
    assert None not in match_points([r.point for r in runs], everything, tol=1e-5)
    assert any(m is not None for m in match_points([r.point for r in runs], minima, tol=1e-5))


def test_positive_dimensional_is_reported_not_listed():
    cp = critical_points(Network([2, 2, 2, 1], activation="identity"), xor())
    assert cp.dimension == 8 and not cp.complete and cp.points == []
    assert "positive-dimensional" in cp.reason
    assert [str(v.exact) for v in cp.values.values] == ["1/3", "1/2"]
    text = cp.summary()
    assert "dimension 8" in text and "1/3" in text and "INCOMPLETE" in text


def test_cli_example_explains_and_json(capsys):
    assert main(["solve", "--example", "xor"]) == 0
    out = capsys.readouterr().out
    assert "1/3" in out and "1/2" in out and "generalized L2" in out and "641" in out


def test_cli_json_on_a_finite_case(tmp_path, capsys):
    csv = tmp_path / "d.csv"
    csv.write_text("1,1\n")
    assert main(["solve", "--net", "1,1,1", "--data", str(csv), "--reg", "l2", "--lam", "1/10",
                 "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["dimension"] == 0 and payload["complete"] and len(payload["points"]) == 3
    assert sorted(p["label"] for p in payload["points"]) == ["minimum", "minimum", "saddle (index 1)"]


def test_bad_calls():
    with pytest.raises(ValueError, match="needs the training data"):
        critical_points(Network([1, 1, 1]))
