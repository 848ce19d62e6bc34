"""The compiled path tracker and monodromy on it (grobnet.numeric.tracker / .monodromy).

Oracles: the numpy tracker (the reference implementation of the same rules) on the
same start points; numpy's polynomial roots and sympy resultants for small systems;
known solution counts (x^n - 1, katsura-n: 2^n, cyclic-5: 70, cyclic-6: 156, the GL2
net's degree from the exact solver); substitution into the system with sympy.
"""
from __future__ import annotations

import time

import numpy as np
import pytest
import sympy

from grobnet.exact.examples import cyclic, katsura
from grobnet.engine.convert import integer_input
from grobnet.frontend.io import read_msolve
from grobnet.numeric import _track
from grobnet.numeric.homotopy import TrackOptions, track
from grobnet.numeric.monodromy import MonodromyOptions, MonodromySolver, monodromy_solve
from grobnet.numeric.points import PointSet, deduplicate
from grobnet.numeric.polyeval import PolySystem
from grobnet.numeric.tracker import CompiledTracker, track_batch, track_compiled
from grobnet.parallel import ProcessExecutor, SerialExecutor, get_executor


def _crandn(rng, *shape):
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)) / np.sqrt(2)


def _start_pairs(S, rng, P):
    """P random points x0, a centre c and the per-path parameters mu0 they solve."""
    n = S.nvars
    c = _crandn(rng, n)
    x0 = _crandn(rng, P, n)
    mu0 = -S.values(x0) / (x0 - c)
    return x0, mu0, c


def _katsura(n):
    _, P = katsura(n)
    return integer_input(P)


def _sympy_residual(polys, names, point):
    xs = sympy.symbols(names)
    sub = {x: sympy.Float(v.real, 30) + sympy.I * sympy.Float(v.imag, 30) for x, v in zip(xs, point)}
    worst = 0.0
    for p in polys:
        expr = sum(int(c) * sympy.prod([x ** int(e) for x, e in zip(xs, m)]) for m, c in p.items())
        scale = max(abs(int(c)) for c in p.values())
        worst = max(worst, abs(complex(sympy.N(expr.subs(sub), 20))) / scale)
    return worst


def _pair_up(a, b, tol=1e-8):
    """Every row of ``a`` has a row of ``b`` within ``tol`` (relative), one to one."""
    if len(a) != len(b):
        return False
    used = np.zeros(len(b), dtype=bool)
    for x in a:
        d = np.max(np.abs(b - x), axis=1) / (1 + np.max(np.abs(x)))
        d[used] = np.inf
        k = int(np.argmin(d))
        if d[k] > tol:
            return False
        used[k] = True
    return True


# --------------------------------------------------------------------- the compiled kernel
def test_compiled_evaluation_equals_numpy_evaluation():
    names, polys = _katsura(6)
    S = PolySystem(polys, len(names))
    T = CompiledTracker(S)
    x = _crandn(np.random.default_rng(0), 7, len(names))
    F, J = S.evaluate(x)
    F2, J2 = T.evaluate(x)
    assert np.allclose(F, F2, rtol=1e-13, atol=1e-13) and np.allclose(J, J2, rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize("system", ["katsura6", "nn_121_sq_bias_gl2"])
def test_compiled_tracker_follows_the_numpy_tracker(system, systems_dir):
    """Same start points, same segments: same statuses and the same end points."""
    names, polys = integer_input(read_msolve(systems_dir / f"{system}.ms"))
    S = PolySystem(polys, len(names))
    rng = np.random.default_rng(4)
    x0, mu0, c = _start_pairs(S, rng, 60)
    mu1 = np.sqrt(np.mean(np.abs(mu0) ** 2)) * _crandn(rng, len(names))
    opts = TrackOptions(max_steps=400)
    ref = track(S, x0, mu0, mu1, opts, center=c)
    got = track_compiled(S, x0, mu0, mu1, opts, center=c, threads=2)
    assert np.array_equal(ref.status, got.status)
    ok = ref.status == 0
    assert ok.sum() >= 50
    assert np.max(np.abs(ref.x[ok] - got.x[ok]) / (1 + np.abs(ref.x[ok]))) < 1e-8


def test_pade_predictor_reaches_the_same_end_points(systems_dir):
    """The Pade predictor (compiled only) against Runge-Kutta on the same segments."""
    names, polys = integer_input(read_msolve(systems_dir / "nn_121_sq_bias_gl2.ms"))
    S = PolySystem(polys, len(names))
    T = CompiledTracker(S)
    rng = np.random.default_rng(6)
    x0, mu0, c = _start_pairs(S, rng, 200)
    params = np.vstack([mu0, 2 * np.sqrt(np.mean(np.abs(mu0) ** 2)) * _crandn(rng, 1, len(names))])
    route = np.stack([np.arange(200), np.full(200, 200)], axis=1)
    rk = T.track(x0, route, params, c, TrackOptions(max_steps=2000), polish=3)
    pa = T.track(x0, route, params, c, TrackOptions(max_steps=2000, predictor="pade"), polish=3)
    both = (rk.status == 0) & (pa.status == 0)
    assert both.sum() >= 180
    assert np.max(np.abs(rk.x[both] - pa.x[both]) / (1 + np.abs(rk.x[both]))) < 1e-8


def test_predictor_option_is_checked():
    with pytest.raises(ValueError, match="unknown predictor"):
        TrackOptions(predictor="euler")
    S = PolySystem([{(2,): 1, (0,): -1}], 1)
    with pytest.raises(ValueError, match="only the rk4"):
        track(S, np.ones((1, 1)), [1.0], [2.0], TrackOptions(predictor="pade"))


def test_results_do_not_depend_on_the_thread_count():
    names, polys = _katsura(7)
    T = CompiledTracker(polys, len(names))
    S = PolySystem(polys, len(names))
    x0, mu0, c = _start_pairs(S, np.random.default_rng(1), 300)
    params = np.vstack([mu0, np.zeros((1, len(names)))])
    route = np.stack([np.arange(300), np.full(300, 300)], axis=1)
    runs = [T.track(x0, route, params, c, TrackOptions(max_steps=2000, predictor=pred), polish=2,
                    threads=k) for pred in ("rk4", "pade") for k in (1, 2, 3)]
    for r in runs[4:]:
        assert np.array_equal(r.x, runs[3].x) and np.array_equal(r.steps, runs[3].steps)
    runs = runs[:3]
    for r in runs[1:]:
        assert np.array_equal(r.x, runs[0].x) and np.array_equal(r.status, runs[0].status)
        assert np.array_equal(r.steps, runs[0].steps)


def test_tracking_x_squared_minus_one_along_a_bent_route():
    """x^2 - 1 + mu (x - c): two legs through a via point, against the quadratic formula."""
    c = 0.3 + 0.2j
    T = CompiledTracker([{(2,): 1, (0,): -1}], 1)
    mus = np.array([[0.7 - 0.4j], [0.1 + 1.5j], [-1.1 + 0.9j]])

    def roots(mu):
        d = np.sqrt(mu * mu + 4 * (1 + mu * c) + 0j)
        return np.array([(-mu + d) / 2, (-mu - d) / 2])

    res = T.track(roots(mus[0, 0])[:, None], [0, 1, 2], mus, np.array([c]), polish=2)
    assert np.all(res.status == 0) and np.all(res.progress == 2.0)
    assert np.all(res.residual < 1e-12)
    assert np.allclose(np.sort_complex(res.x[:, 0]), np.sort_complex(roots(mus[2, 0])), atol=1e-10)


def test_polish_only_route_and_timeout_flag():
    names, polys = _katsura(7)
    T = CompiledTracker(polys, len(names))
    S = PolySystem(polys, len(names))
    x0, mu0, c = _start_pairs(S, np.random.default_rng(2), 4)
    noisy = x0 * (1 + 1e-6)
    res = T.track(noisy, np.arange(4)[:, None], mu0, c, polish=3)   # routes of one point
    assert np.all(res.status == 0) and np.allclose(res.x, x0, atol=1e-12)
    many = np.repeat(x0, 2000, axis=0)
    params = np.vstack([np.repeat(mu0, 2000, axis=0), np.zeros((1, len(names)))])
    route = np.stack([np.arange(8000), np.full(8000, 8000)], axis=1)
    t = time.perf_counter()
    res = T.track(many, route, params, c, TrackOptions(max_steps=5000), timeout=0.05)
    assert time.perf_counter() - t < 2.0
    assert res.stats["timed_out"] and np.any(res.status == 4)


@pytest.mark.parametrize("route, message", [
    ([[0, 5]], "inconsistent"),          # parameter index out of range
    ([[0, -1, 1]], "inconsistent"),      # a route resuming after its end
])
def test_bad_routes_are_clear_errors(route, message):
    T = CompiledTracker([{(2,): 1, (0,): -1}], 1)
    with pytest.raises(ValueError, match=message):
        T.track(np.ones((1, 1)), route, np.ones((2, 1)), np.zeros(1))


def test_bad_programs_and_options_are_clear_errors():
    with pytest.raises(ValueError, match="parent"):
        _track.evaluate((1, [-1, 1], [0, 0], [0, 0, 0], [], []), np.zeros((1, 1)))
    T = CompiledTracker([{(2,): 1, (0,): -1}], 1)
    with pytest.raises(ValueError, match="threads"):
        T.track(np.ones((1, 1)), [0, 1], np.ones((2, 1)), np.zeros(1), threads=0)
    with pytest.raises(ValueError, match="inconsistent"):
        T.track(np.ones((1, 1)), [0, 1], np.ones((2, 1)), np.zeros(1),
                TrackOptions(tol_pred=-1.0))


def test_point_set_and_deduplicate():
    rng = np.random.default_rng(0)
    X = _crandn(rng, 500, 6) * 10
    store = PointSet(6)
    assert np.array_equal(store.add(X), np.arange(500))
    again = store.add(np.vstack([X[:10] * (1 + 1e-9), X[:3] + 1e-3]))
    assert np.array_equal(again[:10], np.arange(10)) and np.all(again[10:] >= 500)
    assert len(store) == 503 and np.array_equal(store.find(X[5:7]), [5, 6])
    assert len(deduplicate(np.vstack([X, X[::-1] * (1 - 1e-9)]))) == 500


# --------------------------------------------------------------------- monodromy
def test_roots_of_unity():
    """Univariate: each triangle loop is one transposition, so many loops are needed
    (a generous ``stagnation``)."""
    for n in (1, 3, 5, 8):
        p = {(n,): 1, (0,): -1}
        sol = monodromy_solve([p], 1, n, seed=n, stagnation=40)
        assert sol.complete_count
        want = np.exp(2j * np.pi * np.arange(n) / n)
        assert _pair_up(sol.points[:, 0:1], want[:, None])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_small_random_dense_systems_against_resultants(seed):
    """Two dense random quadrics in (x, y): 4 solutions; x from the resultant's roots."""
    rng = np.random.default_rng(seed)
    monos = [(i, j) for i in range(3) for j in range(3) if i + j <= 2]
    polys = [{m: int(rng.integers(-9, 10)) or 1 for m in monos} for _ in range(2)]
    x, y = sympy.symbols("x y")
    f = [sum(c * x ** m[0] * y ** m[1] for m, c in p.items()) for p in polys]
    res = sympy.Poly(sympy.resultant(f[0], f[1], y), x)
    xs = np.roots([float(c) for c in res.all_coeffs()])
    sol = monodromy_solve(polys, 2, len(xs), seed=seed)
    assert sol.complete_count
    assert _pair_up(sol.points[:, :1], xs[:, None], tol=1e-7)
    for pt in sol.points:
        assert _sympy_residual(polys, ["x", "y"], pt) < 1e-10


@pytest.mark.parametrize("n", [5, 7, 8])
def test_katsura_has_2_to_the_n_solutions(n):
    names, polys = _katsura(n)
    sol = monodromy_solve(polys, len(names), 2 ** n, seed=n, timeout=120)
    assert sol.complete_count and not sol.timed_out
    assert len(deduplicate(sol.points, tol=1e-6)) == 2 ** n
    for pt in sol.points[:3]:
        assert _sympy_residual(polys, names, pt) < 1e-10
    if n == 5:     # 16 real (msolve)
        assert int(np.sum(np.all(np.abs(sol.points.imag) < 1e-8, axis=1))) == 16


@pytest.mark.parametrize("n, count", [(5, 70), (6, 156)])
def test_cyclic(n, count):
    """cyclic-6's generic count in the family exceeds 156: paths diverge at the target."""
    _, P = cyclic(n)
    names, polys = integer_input(P)
    sol = monodromy_solve(polys, len(names), count, seed=0, timeout=120)
    assert sol.complete_count, sol


def test_gl2_network_reaches_its_degree(systems_dir):
    """nn_121 GL2: degree 481 (the README's table of the exact solver)."""
    names, polys = integer_input(read_msolve(systems_dir / "nn_121_sq_bias_gl2.ms"))
    sol = monodromy_solve(polys, len(names), 481, seed=0, timeout=120)
    assert sol.complete_count, sol
    for pt in sol.points[:2]:
        assert _sympy_residual(polys, names, pt) < 1e-9


@pytest.mark.slow
@pytest.mark.parametrize("system, degree", [("nn_xor_221_sq_bias_gl2", 4289),
                                            ("nn_131_sq_bias_gl2", 4929)])
def test_degree_5000_networks_reach_their_degree(system, degree, systems_dir):
    """The issue-17 systems (degrees from the mod-p basis, benchmarks/systems/README.md):
    ~35-55 s each on a loaded 2-core machine (benchmarks/bench_tracking.py)."""
    names, polys = integer_input(read_msolve(systems_dir / f"{system}.ms"))
    sol = monodromy_solve(polys, len(names), degree, seed=0, timeout=600)
    assert sol.complete_count, sol
    assert len(deduplicate(sol.points, tol=1e-6)) == degree
    for pt in sol.points[:2]:
        assert _sympy_residual(polys, names, pt) < 1e-9


def test_progress_reports_found_over_expected():
    names, polys = _katsura(6)
    seen = []
    sol = monodromy_solve(polys, len(names), 64, seed=0,
                          progress=lambda stage, info: seen.append((stage, dict(info))))
    assert sol.complete_count
    assert {s for s, _ in seen} == {"monodromy-loop", "monodromy-target"}
    assert all(info["expected"] == 64 for _, info in seen)
    assert seen[-1][1]["found"] == 64


def test_timeout_gives_a_flagged_partial_result():
    names, polys = _katsura(11)
    t = time.perf_counter()
    sol = monodromy_solve(polys, len(names), 2048, seed=0, timeout=0.3)
    assert time.perf_counter() - t < 3.0
    assert sol.timed_out and not sol.complete_count and len(sol.points) < 2048
    assert "timed out" in repr(sol)


def test_options_are_validated():
    with pytest.raises(ValueError, match="nodes"):
        MonodromyOptions(nodes=1)
    with pytest.raises(TypeError, match="unknown monodromy option"):
        monodromy_solve([{(1,): 1, (0,): -1}], 1, 1, stagnaton=3)
    with pytest.raises(ValueError, match="threads"):
        MonodromySolver([{(1,): 1, (0,): -1}], 1, 1, threads=0)


# --------------------------------------------------------------------- executors
def test_serial_pool_and_dask_give_the_same_points(dask_client):
    """Every path is computed by itself and merged in a fixed order: the same run on
    any executor returns the same array, bit for bit."""
    names, polys = _katsura(7)
    runs = {}
    pool = ProcessExecutor(2)
    try:
        for name, ex in (("serial", SerialExecutor()), ("pool", pool),
                         ("dask", get_executor(dask_client))):
            runs[name] = monodromy_solve(polys, len(names), 128, seed=3, executor=ex)
    finally:
        pool.close()
    assert runs["serial"].complete_count
    assert runs["pool"].stats["chunks"] > 0 and runs["dask"].stats["chunks"] > 0
    for name in ("pool", "dask"):
        assert np.array_equal(runs[name].points, runs["serial"].points), name


def test_track_batch_chunks_equal_one_call():
    names, polys = _katsura(6)
    T = CompiledTracker(polys, len(names))
    S = PolySystem(polys, len(names))
    x0, mu0, c = _start_pairs(S, np.random.default_rng(5), 600)
    params = np.vstack([mu0, np.zeros((1, len(names)))])
    route = np.stack([np.arange(600), np.full(600, 600)], axis=1)
    one = T.track(x0, route, params, c, polish=2)
    pool = ProcessExecutor(2)
    try:
        spread = track_batch(T, x0, route, params, c, polish=2, executor=pool)
    finally:
        pool.close()
    assert spread.stats["chunks"] == 8
    assert np.array_equal(one.x, spread.x) and np.array_equal(one.status, spread.status)


# --------------------------------------------------------------------- rescue of target paths
def _sabotage(monkeypatch, count, *, also_first_rescue=False):
    """Make the target paths (and their retries along other final directions) of the
    first ``count`` base solutions fail, as ill-conditioned end points do on nn_131;
    with ``also_first_rescue`` the careful rerun of the same route fails too, so only
    the detour through a random point can bring them."""
    real = MonodromySolver._track

    def track(self, x0, route, options):
        res = real(self, x0, route, options)
        x0 = np.asarray(x0)
        victims = self.sols[0].points[:count]
        hit = np.array([np.any(np.all(np.abs(victims - x) <= 1e-12, axis=1)) for x in x0])
        if options is self.options.target_options:
            hit &= np.asarray(route)[:, -1] == self.zero
        elif options is self.options.rescue_options and also_first_rescue:
            hit &= np.asarray(route)[:, 1] == self.direction
        else:
            return res
        res.status[hit] = 2                           # step failure
        self.stats["sabotaged"] = self.stats.get("sabotaged", 0) + int(np.sum(hit))
        return res

    monkeypatch.setattr(MonodromySolver, "_track", track)


@pytest.mark.parametrize("detour", [False, True])
def test_failed_target_paths_are_rescued_without_more_loops(monkeypatch, detour):
    """The generic solutions are complete but some target paths fail on every final
    direction: the solver stops looping (no loop can bring anything), re-tracks just
    those base solutions carefully -- along a detour through a random point when the
    same route fails again -- and reaches all D, reporting the rescue."""
    names, polys = _katsura(6)
    _sabotage(monkeypatch, 5, also_first_rescue=detour)
    seen = []
    # passes=0: the sabotage follows the base solution on every route, which the full
    # passes (tested below) would not see as failures
    sol = monodromy_solve(polys, len(names), 64, seed=0, passes=0,
                          progress=lambda stage, info: seen.append((stage, dict(info))))
    assert sol.complete_count, sol
    assert sol.stats["sabotaged"] >= 5 and sol.stats["recovered"] >= 5
    assert sol.stats["rescue_rounds"] == (2 if detour else 1)
    assert len(deduplicate(sol.points, tol=1e-6)) == 64
    # no loop after the generic set was complete
    loops = [info for stage, info in seen if stage == "monodromy-loop"]
    done = next(k for k, info in enumerate(loops) if info["known"] == 64)
    assert done == len(loops) - 1
    rescue = [info for stage, info in seen if stage == "monodromy-target" and "rescue" in info]
    assert rescue and rescue[-1]["found"] == 64 and rescue[0]["retracked"] >= 5
    # the points are those of an undisturbed run (the rescue keeps what was found)
    monkeypatch.undo()
    plain = monodromy_solve(polys, len(names), 64, seed=0)
    assert _pair_up(sol.points, plain.points, tol=1e-8)


def test_without_rescue_the_solver_stops_instead_of_looping(monkeypatch):
    """``rescue_rounds=0``: the same failures leave the run short, and it ends at once
    (the old solver looped and added nodes until stagnation)."""
    names, polys = _katsura(6)
    _sabotage(monkeypatch, 5)
    seen = []
    sol = monodromy_solve(polys, len(names), 64, seed=0, rescue_rounds=0, passes=0,
                          progress=lambda stage, info: seen.append((stage, dict(info))))
    assert len(sol.points) == 59 and not sol.timed_out
    assert sol.stats["rescue_paths"] == 0 and sol.stats["generic"] == 64
    loops = [info["known"] for stage, info in seen if stage == "monodromy-loop"]
    assert loops.index(64) == len(loops) - 1          # no loop after the generic set


# --------------------------------------------------------------------- full target passes
def _spoil_first_route(monkeypatch, count, mode):
    """Spoil the first route's target paths (``base -> first final direction -> 0``) of
    the first ``count`` base solutions, as on nn_131 GL2: ``"fail"`` -- the path fails
    (every re-try of it on that route too, careful ones included); ``"jump"`` -- the path
    "succeeds" onto the end point of another base solution's path (two paths converging
    to one target point).  Routes along other final directions are left alone."""
    real = MonodromySolver._track

    def track(self, x0, route, options):
        res = real(self, x0, route, options)
        route = np.asarray(route)
        if self.direction is None or route.shape[1] < 3:
            return res
        victims = self.sols[0].points[:count]
        x0 = np.asarray(x0)
        hit = np.array([np.any(np.all(np.abs(victims - x) <= 1e-12, axis=1)) for x in x0])
        hit &= (route[:, 1] == self.direction) & (route[:, 2] == self.zero)
        if not np.any(hit):
            return res
        if mode == "fail":
            res.status[hit] = 2                       # step failure
        else:
            good = np.nonzero(~hit & (res.status == 0))[0]
            res.x[hit] = res.x[good[0]]               # all onto one other path's end
            res.status[hit] = 0
            res.residual[hit] = 0.0
        self.stats["spoiled"] = self.stats.get("spoiled", 0) + int(np.sum(hit))
        return res

    monkeypatch.setattr(MonodromySolver, "_track", track)


@pytest.mark.parametrize("mode", ["fail", "jump"])
def test_full_pass_recovers_target_points_of_a_spoiled_route(monkeypatch, mode):
    """Target paths lost on the first route (failed, or jumped onto another path's end
    point) come back from one whole pass of the base solutions along a fresh final
    direction -- no careful rescue, no loop after the generic set was complete -- and
    the points are those of an undisturbed run."""
    names, polys = _katsura(6)
    _spoil_first_route(monkeypatch, 6, mode)
    seen = []
    sol = monodromy_solve(polys, len(names), 64, seed=0,
                          progress=lambda stage, info: seen.append((stage, dict(info))))
    assert sol.stats["spoiled"] >= 6
    assert sol.complete_count, sol
    assert sol.stats["passes"] == 1 and 0 < sol.stats["pass_paths"] <= 64
    # (some victims may be mended before, by re-tries of failed paths on other routes)
    assert sol.stats["pass_found"] >= 1
    assert sol.stats["rescue_rounds"] == 0
    loops = [info for stage, info in seen if stage == "monodromy-loop"]
    assert next(k for k, info in enumerate(loops) if info["known"] == 64) == len(loops) - 1
    monkeypatch.undo()
    plain = monodromy_solve(polys, len(names), 64, seed=0)
    assert plain.complete_count and _pair_up(sol.points, plain.points, tol=1e-8)


def test_a_pass_stops_once_the_count_is_reached(monkeypatch):
    """A full pass runs in batches and sends no more once the target count is reached
    (the last pass of nn_131 looked for a single point among 4929 paths)."""
    names, polys = _katsura(6)
    _spoil_first_route(monkeypatch, 6, "fail")
    seen = []
    sol = monodromy_solve(polys, len(names), 64, seed=0,
                          progress=lambda stage, info: seen.append((stage, dict(info))))
    assert sol.complete_count and sol.stats["passes"] == 1
    passes = [info for stage, info in seen if "full_pass" in info]
    assert len(passes) == 1 and passes[0]["paths"] == sol.stats["pass_paths"]
    assert sol.stats["pass_paths"] < 64            # seed 0: the fifth of 8 batches completes it
    assert sol.stats["pass_paths"] % 8 == 0


def test_without_passes_a_jumped_route_needs_the_rescue(monkeypatch):
    """The same jumps with ``passes=0``: the rescue re-tracks both members of each pair
    carefully on the first route (still spoiled) and then goes around by a detour --
    the old way; the run still ends complete, by the rescue and no pass."""
    names, polys = _katsura(6)
    _spoil_first_route(monkeypatch, 6, "jump")
    sol = monodromy_solve(polys, len(names), 64, seed=0, passes=0)
    assert sol.stats["passes"] == 0 and sol.stats["rescue_rounds"] >= 1
    assert sol.stats["rescue_paths"] >= 6


#: one of the 64 largest critical points of nn_131 GL2 (|x| ~ 3,800; cond(F_x) ~ 5e17),
#: from a complete monodromy run (certified there by Krawczyk's test)
_NN131_LARGE_POINT = [
    -2464.0058712801847 - 2615.265431897236j, 2751.942814804446 - 2593.037540297261j,
    -2617.622403581834 + 2465.980410481255j, -2605.456707105693 - 2765.384497985215j,
    -737.1555314189843 + 693.6262422097768j, -731.8235139743988 - 777.2911241514944j,
    -4.7099885740198975 - 4.694076912298729j, 4.630220602210206 + 4.659728094254752j,
    -117.95052852585366 - 117.83095856069724j, 142.14868495160698 - 142.5742121421896j]


@pytest.mark.skipif(np.finfo(np.longdouble).nmant <= 52,
                    reason="long double is double on this platform: nothing to escalate to")
def test_ill_conditioned_stretch_goes_on_in_long_double(systems_dir):
    """Near a large solution of nn_131 double runs out of digits (cond ~ 5e17: Newton's
    corrections do not contract even with double-double residuals) and the tracker went
    on with steps of ~1e-7 (12,718 steps for this loop at 0c118ee); the path now goes on
    in long double and the loop 0 -> mu1 -> 0 comes back to its start in 1,243."""
    names, polys = integer_input(read_msolve(systems_dir / "nn_131_sq_bias_gl2.ms"))
    tr = CompiledTracker(polys, len(names))
    x0 = np.array([_NN131_LARGE_POINT])
    rng = np.random.default_rng(0)
    n = len(names)
    mu1 = 1e-3 * np.exp(1j * rng.uniform(-1, 1, n))    # a short way out, and back
    params = np.vstack([np.zeros(n), mu1])
    opts = TrackOptions(max_steps=30000, predictor="pade", far=1e6)
    res = tr.track(x0, [0, 1, 0], params, np.zeros(n), opts, polish=3)
    assert res.status[0] == 0, res.status
    assert res.stats["escalated"] == 1
    assert np.max(np.abs(res.x[0] - x0[0]) / np.maximum(1, np.abs(x0[0]))) < 1e-10
    assert res.residual[0] < 1e-12          # the polish's last correction: x0 is a solution
    assert res.steps[0] < 5000, res.steps            # double alone: 12,718


def test_well_conditioned_paths_stay_in_double():
    """Escalation is for stalls that halving cannot cure: katsura-5's paths never need it."""
    names, polys = _katsura(5)
    sol = monodromy_solve(polys, len(names), 32, seed=0)
    assert sol.complete_count
    tr = CompiledTracker(polys, len(names))
    rng = np.random.default_rng(1)
    n = len(names)
    mu = _crandn(rng, n)
    c = _crandn(rng, n)
    # the solutions of mu = 0, out to a random mu and back
    res = tr.track(sol.points, [0, 1, 0], np.vstack([np.zeros(n), mu]), c,
                   TrackOptions(predictor="pade"), polish=2)
    assert np.all(res.status == 0)
    assert res.stats["escalated"] == 0
    assert _pair_up(res.x, sol.points)
