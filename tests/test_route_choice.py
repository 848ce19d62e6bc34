"""``method="auto"``: the cost model, the watch that switches routes, no hopeless fall-back."""
import time

import flint
import pytest

import grobnet
from grobnet.engine.convert import integer_input
from grobnet.numeric.route import HybridOutcome
from grobnet.solver import costs, routes
from grobnet.solver.costs import RouteEstimate, RouteWatch, SwitchRoute, estimate_routes


@pytest.fixture(scope="module")
def katsura6(systems_dir):
    return grobnet.read_msolve(systems_dir / "katsura6.ms")


@pytest.fixture(scope="module")
def katsura6_exact(katsura6):
    return grobnet.solve(katsura6, method="exact")


def _system(systems_dir, name):
    names, polys = integer_input(grobnet.read_msolve(systems_dir / f"{name}.ms"))
    return names, polys


def test_estimates_follow_the_coefficient_height(systems_dir):
    # univariate x^500 - 1: the RUR is the input, a few primes; monodromy pays per root
    x = flint.fmpz_mpoly_ctx.get(("x",), "degrevlex").gens()[0]
    names, polys = integer_input([x**500 - 1])
    est = estimate_routes(polys, 1, 500, f4_seconds=1e-3)
    assert est.prefer == "exact" and est.primes < 10 and est.exact_trial is None
    # the [1,2,1] network (18-bit coefficients): RUR of ~35 bits per solution, hopeless
    names, polys = _system(systems_dir, "nn_121_sq_bias_gl2")
    est = estimate_routes(polys, len(names), 481, f4_seconds=0.5)
    assert est.prefer == "hybrid" and est.primes > 400 and est.exact_trial is None
    assert est.exact > 10 * est.hybrid
    # katsura-8: small coefficients, exact and hybrid within a small factor
    names, polys = _system(systems_dir, "katsura8")
    est = estimate_routes(polys, len(names), 256, f4_seconds=0.05)
    assert est.exact < 10 * est.hybrid and est.hybrid < 10 * est.exact
    assert "exact" in repr(est) and est.as_dict()["degree"] == 256


class _Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def _estimate(exact, hybrid, primes=10):
    return RouteEstimate(degree=100, nvars=3, height=2, terms=10, f4_seconds=0.01,
                         primes=primes, exact=exact, hybrid=hybrid)


def test_watch_switches_a_stalled_hybrid_route_only_after_the_other_estimate():
    clock, seen = _Clock(), []
    watch = RouteWatch("hybrid", _estimate(exact=5.0, hybrid=50.0),
                       lambda stage, info: seen.append(stage), clock=clock)
    clock.t = 4.0                           # far behind, but less than the exact estimate
    watch("monodromy-loop", {"known": 1, "expected": 100})
    clock.t = 6.0                           # 2 of 100 after 6 s: ~294 s more > 2 * 5 s
    with pytest.raises(SwitchRoute, match="hybrid route stopped"):
        watch("monodromy-loop", {"known": 2, "expected": 100})
    assert seen == ["monodromy-loop", "monodromy-loop"]      # events passed on first


def test_watch_lets_a_route_on_schedule_run():
    clock = _Clock()
    watch = RouteWatch("hybrid", _estimate(exact=5.0, hybrid=50.0), clock=clock)
    clock.t = 6.0                           # 60 of 100 after 6 s: 4 s more < 10 s
    watch("monodromy-loop", {"known": 60, "expected": 100})
    watch("monodromy-target", {"found": 100, "expected": 100, "known": 250})
    exact = RouteWatch("exact", _estimate(exact=5.0, hybrid=1.0, primes=10), clock=clock)
    clock.t = 7.0
    exact("solve", {"event": "prime", "k": 9})           # 1 prime more: on schedule
    clock.t = 20.0                          # past the estimate: assume half again
    with pytest.raises(SwitchRoute, match="exact route stopped"):
        exact("solve", {"event": "prime", "k": 11})


def test_watch_does_not_count_the_start_up_as_the_exact_route_rate():
    """A process pool's first batch of primes arrives late (the workers import grobnet);
    the projection runs from the first image on, so a quick route is not stopped."""
    clock = _Clock()
    watch = RouteWatch("exact", _estimate(exact=0.02, hybrid=0.9, primes=29), clock=clock)
    clock.t = 5.0                           # start-up: 2 images after 5 s
    watch("solve", {"event": "prime", "k": 1})
    watch("solve", {"event": "prime", "k": 2})
    clock.t = 5.01                          # then 2 images per 10 ms: on schedule
    watch("solve", {"event": "prime", "k": 4})
    clock.t = 6.0                           # but 1 image in 1 s more: ~25 s > 2 * 0.9 s
    with pytest.raises(SwitchRoute, match="exact route stopped"):
        watch("solve", {"event": "prime", "k": 5})


def test_watch_limit_ends_a_trial():
    clock = _Clock()
    watch = RouteWatch("exact", _estimate(exact=5.0, hybrid=50.0), clock=clock, limit=2.0)
    clock.t = 1.0
    watch("solve", {"event": "prime", "k": 1})
    clock.t = 2.5
    with pytest.raises(SwitchRoute, match="tried for 2 s"):
        watch("solve", {"event": "prime", "k": 2})


def test_auto_takes_the_exact_route_for_x500():
    x = flint.fmpq_mpoly_ctx.get(("x",), "degrevlex").gens()[0]
    sols = grobnet.solve([x**500 - 1], seed=3)
    assert sols.complete and sols.route.startswith("rur") and len(sols.real) == 2
    assert sols.stats["route_choice"]["first"] == "exact"


def test_stalled_hybrid_route_switches_to_exact(katsura6, monkeypatch):
    """A hybrid route far behind its estimate is stopped and the exact route answers
    (after a trial of the exact route, stopped too: the estimates say hybrid)."""
    monkeypatch.setattr(routes, "estimate_routes",
                        lambda *a: _estimate(exact=0.3, hybrid=0.2, primes=5))

    def stalled(int_polys, variables, degree, *, progress=None, **kw):
        for k in range(100):
            progress("monodromy-loop", {"known": 1, "expected": degree, "found": 0})
            time.sleep(0.05)
        raise AssertionError("the watch did not stop a stalled route")

    monkeypatch.setattr(routes, "hybrid_solutions", stalled)
    real_rur = routes.rational_rur

    def slowed_rur(system, *, progress=None, **kw):      # 20 ms per prime: the trial ends
        def slowed(stage, info):
            if info.get("event") == "prime":
                time.sleep(0.02)
            if progress is not None:
                progress(stage, info)
        return real_rur(system, progress=slowed, **kw)

    monkeypatch.setattr(routes, "rational_rur", slowed_rur)
    sols = grobnet.solve(katsura6, seed=1)
    assert sols.complete and sols.route.startswith("rur") and sols.degree == 64
    choice = sols.stats["route_choice"]
    assert choice["first"].startswith("exact (trial") and "tried for" in choice["switched"]
    assert "hybrid route stopped" in choice["switched_back"]


def test_slow_exact_route_switches_to_hybrid(katsura6, katsura6_exact, monkeypatch):
    monkeypatch.setattr(routes, "estimate_routes",
                        lambda *a: _estimate(exact=0.2, hybrid=0.3, primes=10))

    def slow_rur(system, *, progress=None, **kw):
        for k in range(1, 100):
            progress("solve", {"event": "prime", "k": k, "p": 0})
            time.sleep(0.2)
        raise AssertionError("the watch did not stop a slow exact route")

    monkeypatch.setattr(routes, "rational_rur", slow_rur)
    sols = grobnet.solve(katsura6, seed=1)
    assert sols.complete and sols.route.startswith("hybrid") and sols.degree == 64
    assert "exact route stopped" in sols.stats["route_choice"]["switched"]
    assert len(sols.real) == len(katsura6_exact.real)


def test_unfinished_hybrid_route_returns_its_certified_part(katsura6, katsura6_exact,
                                                           monkeypatch):
    """No hopeless fall-back: when the exact route's estimate does not fit, the answer
    is what the hybrid route certified, incomplete, with how far it got."""
    real = routes.hybrid_solutions

    def one_too_many(int_polys, variables, degree, **kw):     # tracking finds 64 of 65
        return real(int_polys, variables, degree + 1, **kw)

    monkeypatch.setattr(routes, "hybrid_solutions", one_too_many)
    monkeypatch.setattr(routes, "exact_fallback_allowed", lambda *a: False)
    sols = grobnet.solve(katsura6, method="hybrid", seed=2)
    assert not sols.complete and sols.route.startswith("hybrid (partial")
    assert "64 of 64 solutions certified" in sols.reason or "64 of 65" in sols.reason
    assert "does not fit" in sols.reason and "method='exact'" in sols.reason
    assert len(sols.real) == len(katsura6_exact.real)          # each one proven
    assert "incomplete" in sols.guarantee.statement


def test_fallback_rule():
    est = _estimate(exact=100.0, hybrid=1.0)
    assert costs.exact_fallback_allowed(est, elapsed=10.0, remaining=None)   # <= floor
    assert not costs.exact_fallback_allowed(est, elapsed=10.0, remaining=50.0)
    big = _estimate(exact=10 * costs.FALLBACK_FLOOR, hybrid=1.0)
    assert not costs.exact_fallback_allowed(big, elapsed=60.0, remaining=None)
    assert costs.exact_fallback_allowed(big, elapsed=2 * costs.FALLBACK_FLOOR * 3,
                                        remaining=None)
    assert isinstance(HybridOutcome(3, False), HybridOutcome)


def _boxes(sols):
    return sorted(tuple((float(a.lower()), float(a.upper())) for a in s.intervals)
                  for s in sols.real)


def test_hybrid_route_on_a_pool_and_on_dask_gives_the_serial_answer(katsura6, monkeypatch):
    """``executor=`` reaches the path tracking: the same certified set comes back from
    one thread, a local process pool and a Dask cluster."""
    from grobnet.numeric import tracker
    from grobnet.parallel import ProcessExecutor
    distributed = pytest.importorskip("distributed")
    monkeypatch.setattr(tracker, "LOCAL_BATCH", 8)   # katsura-6's batches go out too
    serial = grobnet.solve(katsura6, method="hybrid", executor="serial", seed=4)
    assert serial.complete and serial.route.startswith("hybrid")
    pool = ProcessExecutor(2)
    try:
        pooled = grobnet.solve(katsura6, method="hybrid", executor=pool, seed=4)
    finally:
        pool.close()
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        dasked = grobnet.solve(katsura6, method="hybrid", executor=client, seed=4)
    for other in (pooled, dasked):
        assert other.complete and other.route.startswith("hybrid")
        assert other.stats["numeric"][0]["chunks"] > 0           # batches did go out
        assert _boxes(other) == _boxes(serial)
