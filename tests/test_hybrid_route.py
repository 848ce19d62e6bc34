"""The hybrid route of ``solve`` (exact degree + monodromy + Krawczyk) and its fall-back.

Oracles: the exact route (multimodular RUR, certified by exact arithmetic) on the
same systems, box by box; msolve's real-solution count when installed; and
sabotaged numerical stages (a dropped solution, a duplicated one, a wrong degree)
that must make the route fall back, never report an incomplete set as complete.
"""
from __future__ import annotations

import numpy as np
import pytest

import importlib

import grobnet
import grobnet.numeric.monodromy as monodromy
from grobnet.frontend import GeneralizedL2, Network, gradient_system, xor
from grobnet.frontend.io import read_msolve
from helpers import boxes_pair_up


@pytest.fixture(scope="module")
def katsura6(systems_dir):
    return read_msolve(systems_dir / "katsura6.ms")


@pytest.fixture(scope="module")
def katsura6_exact(katsura6):
    return grobnet.solve(katsura6, method="exact")


def test_hybrid_equals_exact_on_katsura6(katsura6, katsura6_exact):
    sols = grobnet.solve(katsura6, method="hybrid", complex=True)
    assert sols.route.startswith("hybrid") and sols.complete and sols.rur is None
    assert sols.degree == 64 == katsura6_exact.degree
    assert len(sols.complex) == 64
    assert boxes_pair_up(sols.real, katsura6_exact.real)
    assert sols.check(list(katsura6.equations))          # 0 in every equation over every box
    assert "64 distinct, each certified" in repr(sols)


def test_hybrid_on_a_small_gl2_network():
    system = gradient_system(Network([2, 1, 1], activation="square", bias=True),
                             xor(), reg=GeneralizedL2(seed=3))
    exact = grobnet.solve(system, method="exact")
    hybrid = grobnet.solve(system, method="hybrid")
    assert hybrid.complete and exact.complete
    assert hybrid.degree == exact.degree
    if hybrid.route.startswith("hybrid"):
        assert boxes_pair_up(hybrid.real, exact.real)
    else:                                  # fell back: then it is the exact answer itself
        assert "hybrid" in hybrid.stats and boxes_pair_up(hybrid.real, exact.real)


def _sabotage(monkeypatch, edit):
    """Every monodromy run loses the same solution (the first one of the first run),
    then ``edit`` adds what it likes: the route makes two runs and merges them."""
    real = monodromy.monodromy_solve
    lost = []

    def patched(*args, **kwargs):
        out = real(*args, **kwargs)
        P = np.array(out.points)
        if not lost:
            lost.append(P[0].copy())
        keep = np.max(np.abs(P - lost[0]), axis=1) > 1e-6 * max(1.0, np.max(np.abs(lost[0])))
        out.points = edit(P[keep], lost[0])
        return out

    monkeypatch.setattr(monodromy, "monodromy_solve", patched)


@pytest.mark.parametrize("edit,why", [
    (lambda P, z: P, "found 63 of 64"),                                # a solution lost
    (lambda P, z: np.vstack([P, P[:1] * (1 + 1e-9)]), "63 certified distinct"),   # a duplicate
    (lambda P, z: np.vstack([P, np.full((1, P.shape[1]), 0.123 + 0.2j)]),
     "63 certified distinct"),                                         # not a solution
])
def test_a_missed_solution_falls_back_to_the_exact_route(monkeypatch, katsura6, katsura6_exact,
                                                         edit, why):
    _sabotage(monkeypatch, edit)
    sols = grobnet.solve(katsura6, method="hybrid")
    assert sols.complete and sols.route.startswith("rur")
    assert why in sols.stats["hybrid"]["reason"]
    assert boxes_pair_up(sols.real, katsura6_exact.real)


def test_a_wrong_degree_is_never_certified_complete(monkeypatch, katsura6, katsura6_exact):
    from grobnet.solver import routes
    real = routes.hybrid_solutions

    def too_high(int_polys, variables, degree, **kw):
        return real(int_polys, variables, degree + 1, **kw)

    monkeypatch.setattr(routes, "hybrid_solutions", too_high)
    sols = grobnet.solve(katsura6, method="hybrid")
    assert sols.route.startswith("rur") and sols.degree == 64
    assert "64" in sols.stats["hybrid"]["reason"] and "65" in sols.stats["hybrid"]["reason"]
    assert boxes_pair_up(sols.real, katsura6_exact.real)


def test_method_choice_and_bad_method(katsura6):
    with pytest.raises(ValueError, match="unknown method"):
        grobnet.solve(katsura6, method="numeric")
    # auto: the cost model's choice is recorded with its estimates
    sols = grobnet.solve(katsura6)
    assert sols.complete and sols.degree == 64
    choice = sols.stats["route_choice"]
    assert choice["estimate"]["degree"] == 64
    assert sols.route.startswith("rur" if choice["first"] == "exact" else "hybrid")


def test_hybrid_leaves_non_square_and_non_finite_systems_to_the_exact_route():
    import flint
    R = flint.fmpq_mpoly_ctx.get(("x", "y"), "degrevlex")
    x, y = R.gens()
    over = grobnet.solve([x**2 - 2, y - x, x * y - 2], method="hybrid")      # 3 equations
    assert over.complete and over.route.startswith("rur") and len(over.real) == 2
    assert "not square" in over.stats["hybrid"]["reason"]
    curve = grobnet.solve([x**2 + y**2 - 1, 2 * x**2 + 2 * y**2 - 2], method="hybrid")
    assert curve.dimension == 1 and not curve.complete
    empty = grobnet.solve([x**2 + 1 - y, y, x * 0 + 1 + x - x], method="hybrid")
    assert empty.dimension == -1 and empty.complete and empty.real == []


def _msolve_boxes_match(sols, ms):
    import flint
    used = set()
    for s in sols.real:
        hits = [k for k, box in enumerate(ms.real)
                if all(iv.overlaps(flint.arb((a + b) / 2, (b - a) / 2))
                       for iv, (a, b) in zip(s.intervals, box))]
        if len(hits) != 1 or hits[0] in used:
            return False
        used.add(hits[0])
    return True


@pytest.mark.parametrize("layers,act", [([1, 1, 1], "z+z^2"), ([2, 1, 1], "z+z^2"), ([2, 1, 1], "square")])
def test_hybrid_real_points_equal_msolve_on_gl2_nets(layers, act, msolve, tmp_path):
    from grobnet.exact.msolve_output import run_msolve
    system = gradient_system(Network(layers, activation=act, bias=True), xor() if
                             layers[0] == 2 else None, reg=GeneralizedL2(seed=2)) \
        if layers[0] == 2 else gradient_system(Network(layers, activation=act, bias=True),
                                               _three_points(), reg=GeneralizedL2(seed=2))
    sols = grobnet.solve(system, method="hybrid")
    assert sols.complete and sols.route.startswith("hybrid"), sols.stats.get("hybrid")
    path = tmp_path / "system.ms"
    path.write_text(system.to_msolve(integer=True))
    ms = run_msolve(str(path), command=msolve, timeout=600)
    assert ms.dimension == 0 and len(ms.real) == len(sols.real)
    assert _msolve_boxes_match(sols, ms)


def _three_points():
    from grobnet.frontend import Dataset
    return Dataset([[-1], [0], [2]], [[1], [0], [3]])


def test_many_points_are_certified_on_a_local_pool(katsura6_exact, systems_dir, tmp_path):
    """With every core and at least CERTIFY_POOL_POINTS points the certification runs on
    a forked pool (the threshold lowered so katsura-6's 64 points qualify); the answer
    is the one certified here, and one thread never starts a pool.  The solve runs in a
    fresh interpreter: this one may hold a Dask client's threads, and fork is then
    refused (rightly)."""
    import os
    import pickle
    import subprocess
    import sys
    import grobnet.numeric.route as route
    assert route._certification_executor("x", None, 10 ** 6) == ("x", False)
    assert route._certification_executor(None, 1, 10 ** 6) == (None, False)
    assert route._certification_executor(None, None, 10) == (None, False)
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one CPU: no pool")
    script = f"""
import pickle, sys
import grobnet, grobnet.numeric.route as route
from grobnet.frontend.io import read_msolve
from grobnet.parallel import ForkedExecutor
used = []
original = route._certification_executor
def spy(*a):
    out = original(*a)
    used.append(type(out[0]).__name__)
    return out
route.CERTIFY_POOL_POINTS = 10
route._certification_executor = spy
sols = grobnet.solve(read_msolve({str(systems_dir / "katsura6.ms")!r}), method="hybrid", seed=4)
sys.stdout.buffer.write(pickle.dumps((used, sols.complete, sols.degree,
                                      sorted(r.floats() for r in sols.real))))
"""
    # the grobnet this process imported (installed or in place), whatever the directory
    home = os.path.dirname(os.path.dirname(os.path.abspath(grobnet.__file__)))
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, cwd=str(tmp_path),
                         env={**os.environ, "PYTHONPATH": home})
    assert out.returncode == 0, out.stderr.decode()[-3000:]
    used, complete, degree, real = pickle.loads(out.stdout)
    assert used == ["ForkedExecutor"] and complete and degree == 64
    assert np.allclose(real, sorted(r.floats() for r in katsura6_exact.real), atol=1e-12)


def test_a_timeout_leaves_the_certification_its_estimated_time(monkeypatch, katsura6):
    # the certification runs after the tracking and is not cut: the tracking's budget is
    # the time left less its estimate, so that the answer comes within the timeout
    from grobnet.solver import routes
    from grobnet.solver.costs import certification_seconds
    real, budgets = routes.hybrid_solutions, []

    def spy(int_polys, variables, degree, **kw):
        budgets.append(kw["timeout"])
        return real(int_polys, variables, degree, **kw)

    monkeypatch.setattr(routes, "hybrid_solutions", spy)
    monkeypatch.setattr(routes, "hybrid_budget", lambda degree: 1e9)
    t = 1000.0
    sols = grobnet.solve(katsura6, method="hybrid", timeout=t)
    assert sols.complete and sols.degree == 64
    reserve = certification_seconds(64, 7)
    assert reserve > 0 and budgets and budgets[0] <= t - reserve
    assert budgets[0] > t - reserve - 60          # (the probe took the rest)
    # without a timeout nothing is reserved: the route's own budget
    budgets.clear()
    grobnet.solve(katsura6, method="hybrid")
    assert budgets == [1e9]


def test_time_left_that_cannot_fit_the_certification_is_said(monkeypatch, katsura6):
    from grobnet.solver import routes
    monkeypatch.setattr(routes, "certification_seconds", lambda degree, nvars: 1e6)
    sols = grobnet.solve(katsura6, method="hybrid", timeout=600)
    # no tracking: the exact route takes over (within the time) or the answer says why
    reason = sols.stats.get("hybrid", {}).get("reason", "") or sols.reason
    assert "do not fit the tracking and certification of 64 solutions" in reason


def test_paths_escaping_to_infinity_are_not_followed_in_long_double(systems_dir):
    """nn_121 with plain L2 has solutions at infinity: 120-150 of its target paths escape
    like |x| ~ 1/(1 - t) and stall in double at gaps of 7e-6 to 6e-5.  They are diverged
    there (the tracker's escape test), not followed in long double: before, each took
    5,000-18,000 long double steps (2.17 M steps and 70 s for the run, now 0.41 M and
    5 s), with the same complete answer."""
    sols = grobnet.solve(read_msolve(systems_dir / "nn_121_sq_bias_l2.ms"), method="hybrid",
                         executor="serial", seed=1)
    assert sols.complete and sols.degree == 465 and len(sols.real) == 21
    stats = sols.stats["numeric"][0]
    assert stats["escalated"] <= 20, stats
    assert stats["steps"] < 1_000_000, stats
