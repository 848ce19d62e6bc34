"""Solving without a degree: when the dimension probe (F4 modulo a prime) does not finish
in its share of the ``timeout`` (``routes.PROBE_SHARE``; networks of degree 20,000+),
monodromy runs without a count and what it finds is certified and returned, with the
dimension and degree unknown and ``complete=False``.

Oracles: the exact route on the same systems (box by box), Krawczyk's test (every listed
box), and the flags: never complete, never a global-minimum claim."""
from __future__ import annotations

import pytest

import grobnet
import grobnet.solver.routes as routes
from grobnet.engine.convert import integer_input
from grobnet.exact.examples import katsura
from grobnet.frontend import GeneralizedL2, Network, gradient_system, xor
from grobnet.numeric.monodromy import monodromy_solve
from grobnet.numeric.route import hybrid_solutions
from helpers import boxes_pair_up


@pytest.fixture
def cut_probe(monkeypatch):
    """The probe's share of any timeout is (almost) nothing: it is always cut."""
    monkeypatch.setattr(routes, "PROBE_SHARE", 1e-9)


def _katsura(n):
    _, polys = katsura(n)
    names, int_polys = integer_input(polys)[:2]
    return polys, names, int_polys


def test_monodromy_without_a_count_saturates():
    _, names, int_polys = _katsura(4)
    found = monodromy_solve(int_polys, len(names), None, seed=3, stagnation=3)
    assert found.expected is None and not found.complete_count and not found.timed_out
    assert len(found) == 16                      # katsura-4: 2^4, all found by saturation
    assert "unknown number" in repr(found)


def test_hybrid_without_degree_certifies_but_is_never_complete():
    polys, names, int_polys = _katsura(5)
    outcome = hybrid_solutions(int_polys, names, None, seed=1)
    assert outcome.degree is None and not outcome.complete
    assert outcome.n_certified == 32 == len(outcome.complex)
    assert "degree unknown" in outcome.reason and "not a proof" in outcome.reason
    exact = grobnet.solve(polys, method="exact")
    assert boxes_pair_up(outcome.real, exact.real)


def test_solve_with_the_probe_cut(cut_probe):
    polys, _, _ = _katsura(5)
    sols = grobnet.solve(polys, timeout=120, seed=2, complex=True)
    assert sols.dimension is None and sols.degree is None and not sols.complete
    assert "dimension probe" in sols.reason and "degree unknown" in sols.reason
    assert sols.route.startswith("hybrid (degree unknown")
    assert sols.guarantee.kind == "proof" and "may be incomplete" in sols.guarantee.statement
    assert len(sols.complex) == 32 and sols.check(list(polys))
    exact = grobnet.solve(polys, method="exact")
    assert boxes_pair_up(sols.real, exact.real)
    assert "dimension and degree unknown" in repr(sols) and "INCOMPLETE" in sols.summary()


def test_solve_with_the_probe_cut_and_proof(cut_probe):
    polys, _, _ = _katsura(3)
    sols = grobnet.solve(polys, timeout=60, seed=2, proof=True)
    assert sols.dimension is None and not sols.complete
    assert "not attempted" in sols.guarantee.note


def test_without_timeout_the_probe_is_never_cut(cut_probe):
    polys, _, _ = _katsura(3)
    sols = grobnet.solve(polys, seed=2)
    assert sols.complete and sols.degree == 8


def test_critical_points_with_the_probe_cut(cut_probe):
    system = gradient_system(Network([2, 1, 1], activation="square", bias=True),
                             xor(), reg=GeneralizedL2(seed=3))
    full = grobnet.critical_points(system, seed=1)
    part = grobnet.critical_points(system, seed=1, timeout=120)
    assert full.complete and not part.complete
    assert part.dimension is None and part.degree is None
    assert not any(p.global_minimum for p in part.points)
    assert "order_check" not in part.stats
    # the listed points are certified critical points of the loss, with their type
    assert len(part.points) == len(full.points)
    key = lambda p: float(p.loss.mid())                                   # noqa: E731
    for a, b in zip(sorted(part.points, key=key), sorted(full.points, key=key)):
        assert a.loss.overlaps(b.loss) and a.label == b.label
    text = part.summary()
    assert "dimension and degree unknown" in text and "not a complete list" in text
    assert "global minimum" not in text.replace("INCOMPLETE", "")


def test_max_memory_cuts_the_probe_to_an_unknown_degree():
    polys, _, _ = _katsura(6)
    sols = grobnet.solve(polys, seed=4, max_memory=20_000)         # 20 kB: F4 cannot fit
    assert sols.dimension is None and not sols.complete
    assert "max_memory=20000" in sols.reason
    exact = grobnet.solve(polys, method="exact", seed=4)
    assert boxes_pair_up(sols.real, exact.real)
    with pytest.raises(grobnet.MemoryBudgetExceeded):
        grobnet.solve(polys, method="exact", seed=4, max_memory=20_000)
    roomy = grobnet.solve(polys, seed=4, max_memory=2 ** 30)
    assert roomy.complete and roomy.degree == 64
    with pytest.raises(ValueError, match="max_memory"):
        grobnet.solve(polys, max_memory=-1)


def test_loop_rounds_keep_time_for_the_target():
    """Near the end of a search cut by time, a loop round takes only the paths whose new
    base solutions can still be sent to the target after those not sent yet (at the
    seconds per path seen so far), paths into the base node first; none: the target
    pass, then the end (timed out), instead of spending the rest on points that never
    reach the target (a [3,2,1] run once returned nothing: its 21,111 base solutions
    were all found by a loop round that ran into the deadline)."""
    import numpy as np
    from grobnet.numeric.monodromy import MonodromySolver
    _, names, int_polys = _katsura(4)
    solver = MonodromySolver(int_polys, len(names), None, seed=1, timeout=100.0)
    solver.start_pair()
    for k in range(1, 3):
        solver.add_node(list(range(k)))
    edges = solver.edges
    into_base = next(e for e in edges if e.a == 0)         # backward: into node 0
    other = next(e for e in edges if 0 not in (e.a, e.b))
    work = [(other, True, np.arange(50)), (into_base, False, np.arange(30)),
            (into_base, True, np.arange(40))]
    solver.stats.update(loop_paths=100, loop_seconds=1.0, target_paths=100,
                        target_seconds=1.0)                  # 0.02 s per path in all
    solver.deadline = solver.clock() + 1.0                   # room for ~50 paths
    fitting = solver._fitting(work)
    assert fitting[0][0] is into_base and not fitting[0][1]  # into the base node first
    assert list(fitting[0][2]) == list(range(30))
    assert sum(len(i) for _, _, i in fitting) in range(45, 51)
    assert all(len(i) for _, _, i in fitting)
    solver.deadline = solver.clock() + 1e-3                  # not one path fits
    assert solver._fitting(work) == []
    # before the first target pass a target path counts as two loop paths
    solver.stats.update(target_paths=0, target_seconds=0.0)
    solver.deadline = solver.clock() + 1.5                   # 0.03 s per path: ~50
    assert sum(len(i) for _, _, i in solver._fitting(work)) in range(45, 51)
    # the base solutions not sent yet are paid for first: 40 unsent (0.8 s) leave ~23
    solver.sent = len(solver.sols[0]) - 40                # (as if 40 were waiting)
    assert sum(len(i) for _, _, i in solver._fitting(work)) in range(20, 24)
    solver.deadline = None                                   # no budget: everything
    assert solver._fitting(work) is work
