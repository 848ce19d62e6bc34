"""critical_points end to end, against hand-solved nets, numpy eigenvalues and gradient descent."""
import json
import random
from fractions import Fraction

import flint
import numpy as np
import pytest

from grobnet.analysis import critical_points
from grobnet.analysis.descent import gradient_descent, match_points
from grobnet.common.evaluate import PolyEvaluator, hessian_polys
from grobnet.cli import main
from grobnet.frontend import L2, Dataset, GeneralizedL2, Network, gradient_system, xor


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


# -- real critical-point counts against msolve, and gradient descent on a second net ------



def _small_gl2(n, seed):
    """Small generalized-L2 weights (k/200, k in 1..20), so the data shapes the critical set."""
    r = random.Random(seed)
    return GeneralizedL2(lams=[Fraction(r.randint(1, 20), 200) for _ in range(n)])


THREE = ([[1], [-1], [2]], [[2], [1], [3]])
SMALL_NETS = {
    "121-square": (Network([1, 2, 1], activation="square"), THREE),
    "1111-linear": (Network([1, 1, 1, 1]), THREE),
    "211-z+z^2-xor": (Network([2, 1, 1], activation="z+z^2"), xor()),
}


def _boxes_match(points, msolve_boxes):
    """Every certified box meets exactly one msolve box, and distinct boxes distinct ones."""
    used = set()
    for p in points:
        hits = [k for k, box in enumerate(msolve_boxes)
                if all(iv.overlaps(flint.arb.from_interval(a, b) if hasattr(flint.arb, "from_interval")
                                   else flint.arb((a + b) / 2, (b - a) / 2))
                       for iv, (a, b) in zip(p.solution.intervals, box))]
        if len(hits) != 1 or hits[0] in used:
            return False
        used.add(hits[0])
    return True


def _msolve_compare(system, points, msolve, tmp_path):
    from grobnet.exact.msolve_output import run_msolve
    path = tmp_path / "system.ms"
    path.write_text(system.to_msolve(integer=True))
    ms = run_msolve(str(path), command=msolve, timeout=600)
    assert ms.dimension == 0
    assert len(ms.real) == len(points)
    assert _boxes_match(points, ms.real)


@pytest.mark.parametrize("name", sorted(SMALL_NETS))
def test_real_critical_point_counts_match_msolve(name, msolve, tmp_path):
    net, data = SMALL_NETS[name]
    cp = critical_points(net, data, reg=_small_gl2(net.n_parameters, 1))
    assert cp.complete and cp.dimension == 0 and len(cp.points) >= 5
    _msolve_compare(cp.system, cp.points, msolve, tmp_path)


FIVE = ([[-1], [Fraction(-1, 2)], [0], [Fraction(1, 2)], [1]],
        [[1], [0], [Fraction(-1, 3)], [0], [1]])   # the data of the shared nn_121 files


@pytest.mark.slow
@pytest.mark.parametrize("name, reg", [("nn_121_sq_bias_l2", L2(Fraction(1, 10))),
                                       ("nn_121_sq_bias_gl2", GeneralizedL2(seed=1))])
def test_shared_network_files_match_msolve(name, reg, systems_dir, msolve, tmp_path):
    from grobnet.frontend import read_msolve
    path = systems_dir / f"{name}.ms"
    if not path.exists():
        pytest.skip(f"{name}.ms absent")
    s = gradient_system(Network([1, 2, 1], "z+z^2", bias=True), Dataset(*FIVE), reg=reg)
    assert s.integer_equations == read_msolve(path).integer_equations   # the file's system
    cp = critical_points(s, digits=20)
    assert cp.complete and cp.dimension == 0
    _msolve_compare(s, cp.points, msolve, tmp_path)


def test_gradient_descent_limits_are_found_points_on_a_second_net():
    net, data = SMALL_NETS["1111-linear"]
    cp = critical_points(net, data, reg=_small_gl2(net.n_parameters, 1))
    everything = [p.solution.floats() for p in cp.points]
    minima = [k for k, p in enumerate(cp.points) if p.label == "minimum"]
    runs = [r for r in gradient_descent(cp.system.loss, starts=40, seed=3, scale=2.0)
            if r.converged]
    assert len(runs) >= 30
    hits = match_points([r.point for r in runs], everything, tol=1e-5)
    assert None not in hits                      # grobnet missed no limit of training
    reached = {h for h in hits}
    assert reached & set(minima)
    # descent from random starts ends at minima (saddles have measure-zero basins)
    assert reached <= set(minima)


def test_progress_reports_stages_and_f4_rounds():
    seen = []
    net, data = SMALL_NETS["1111-linear"]
    critical_points(net, data, reg=_small_gl2(net.n_parameters, 1),
                    progress=lambda stage, info: seen.append((stage, dict(info))))
    stages = [s for s, _ in seen]
    for stage in ("system", "dimension", "f4-round", "solve", "hessians", "done"):
        assert stage in stages
    assert stages.index("dimension") < stages.index("solve") < stages.index("hessians")
    rnd = next(i for s, i in seen if s == "f4-round")
    assert {"round", "degree", "rows", "cols"} <= set(rnd)
    with pytest.raises(ValueError, match="progress"):
        critical_points(net, data, progress="yes")


def test_progress_can_cancel():
    class Stop(Exception):
        pass

    def stop(stage, info):
        if stage == "f4-round":
            raise Stop
    with pytest.raises(Stop):
        critical_points(*SMALL_NETS["1111-linear"], reg=L2(flint.fmpq(1, 10)), progress=stop)


def test_stderr_progress_printer_throttles_rounds_and_overwrites_on_a_terminal():
    import io

    from grobnet.analysis.progress import StderrProgress

    log = io.StringIO()
    printer = StderrProgress(log, interval=3600)
    printer("dimension", {"event": "start"})
    for k in range(5):
        printer("f4-round", {"round": k, "degree": 2, "rows": 3, "cols": 4, "of": "probe"})
    printer("done", {"seconds": 1.0})
    lines = log.getvalue().splitlines()
    assert len(lines) == 3 and "round 0" in lines[1] and "done: seconds 1.0" in lines[2]

    class Terminal(io.StringIO):
        def isatty(self):
            return True
    tty = Terminal()
    printer = StderrProgress(tty)
    for k in range(3):
        printer("f4-round", {"round": k, "degree": 2, "rows": 3, "cols": 4, "of": "probe"})
    printer("done", {})
    text = tty.getvalue()
    assert text.count("\n") == 1 and text.count("\r\x1b[K") == 3 and "round 2" in text
