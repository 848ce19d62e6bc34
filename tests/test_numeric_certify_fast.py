"""The fast path of the certification: binary64 interval kernel (grobnet.numeric.intervals)
and its use in grobnet.numeric.certify (``fast=True``, the default).

Oracles outside the code under test: ``np.nextafter`` (the outward rounding must reach
past the neighbours of the rounded result), exact rational arithmetic (``Fraction``)
for the interval operations and arb evaluation at 200 bits for the Jacobian bounds; the
arb path of the certification (``fast=False``, an independent proof) for the certified
sets; the exact route (``grobnet.solve``) for the approximations.  Negative cases: a
point moved off its solution, a wrong point, two approximations of one solution.
"""
from fractions import Fraction

import flint
import numpy as np
import pytest

import grobnet
from grobnet.common.boxes import working_precision
from grobnet.engine.convert import integer_input
from grobnet.frontend import GeneralizedL2, Network, gradient_system, xor
from grobnet.frontend.io import read_msolve
from grobnet.numeric import certify, intervals
from grobnet.numeric.certify import SystemEvaluator, certify_solutions


def _perturb(points, eps, seed):
    rng = np.random.default_rng(seed)
    P = np.asarray(points, dtype=complex)
    return P + eps * (rng.standard_normal(P.shape) + 1j * rng.standard_normal(P.shape))


# ------------------------------------------------------------- rounding, intervals
def _edge_values():
    rng = np.random.default_rng(0)
    special = [0.0, -0.0, 1.0, -1.0, 0.5, 2.0 ** -1074, -(2.0 ** -1074), 2.0 ** -1022,
               2.0 ** -1022 * 0.75, 2.0 ** -1023, 3.0 * 2.0 ** -1074, 1e300, -1e300,
               np.nextafter(1.0, 2.0), np.nextafter(1.0, 0.0), 2.0 ** 52, 2.0 ** 53 + 2]
    rand = rng.standard_normal(2000) * 10.0 ** rng.integers(-300, 300, 2000)
    subn = rng.integers(1, 2 ** 52, 200) * 2.0 ** -1074
    return np.concatenate([special, rand, subn, -subn, 2.0 ** rng.integers(-1074, 1000, 200)])


def test_outward_rounding_passes_the_neighbours():
    x = _edge_values()
    assert np.all(intervals._dn(x) <= np.nextafter(x, -np.inf))
    assert np.all(intervals._up(x) >= np.nextafter(x, np.inf))
    # and not far beyond them (a few ulps)
    finite = np.abs(x) < 1e300
    assert np.all(intervals._up(x[finite]) <= np.nextafter(np.nextafter(np.nextafter(
        x[finite], np.inf), np.inf), np.inf))


def test_fpenv_check_passes_here():
    intervals.check_fpenv()


def test_interval_operations_contain_the_exact_results():
    rng = np.random.default_rng(1)
    k = 300
    a = rng.standard_normal((4, k)) * 10.0 ** rng.integers(-5, 5, (4, k))
    al, ah = np.minimum(a[0], a[1]), np.maximum(a[0], a[1])
    bl, bh = np.minimum(a[2], a[3]), np.maximum(a[2], a[3])
    ops = {"add": (intervals._add, lambda u, v: u + v), "sub": (intervals._sub, lambda u, v: u - v),
           "mul": (intervals._mul, lambda u, v: u * v)}
    for name, (iop, exact) in ops.items():
        lo, hi = iop(al, ah, bl, bh)
        for t in range(k):
            for u in (al[t], ah[t], 0.5 * (al[t] + ah[t])):
                for v in (bl[t], bh[t]):
                    e = exact(Fraction(u), Fraction(v))
                    assert Fraction(lo[t]) <= e <= Fraction(hi[t]), name


def _network_system():
    return gradient_system(Network([2, 1, 1], activation="z+z^2", bias=True), xor(),
                           reg=GeneralizedL2(seed=2))


def test_contraction_bounds_hold_at_points_of_the_box(systems_dir):
    names, polys = integer_input(read_msolve(systems_dir / "katsura6.ms"))
    n = len(names)
    ev = SystemEvaluator(polys, n)
    prog = ev._interval_program()
    rng = np.random.default_rng(2)
    centres = rng.standard_normal((6, n)) + 1j * rng.standard_normal((6, n))
    Y = rng.standard_normal((6, n, n)) + 1j * rng.standard_normal((6, n, n))
    r = np.full(6, 1e-3)
    out = intervals.contraction_bounds(prog, centres, Y, r)
    with working_precision(200):
        for p in range(6):
            lo_r, hi_r, lo_i, hi_i = (b[p] for b in out["box"])
            assert np.all(lo_r <= centres[p].real - r[p]) and np.all(hi_r >= centres[p].real + r[p])
            for _ in range(4):          # points of the box, corners included
                t = rng.uniform(0, 1, (2, n))
                t[:, :2] = np.round(t[:, :2])
                x = [flint.acb(flint.arb(lo_r[j]) + (flint.arb(hi_r[j]) - flint.arb(lo_r[j])) * t[0, j],
                               flint.arb(lo_i[j]) + (flint.arb(hi_i[j]) - flint.arb(lo_i[j])) * t[1, j])
                     for j in range(n)]
                J = ev.jacobian(x, "acb")
                C = flint.acb_mat(n, n, [int(i == j) for i in range(n) for j in range(n)]) \
                    - flint.acb_mat(n, n, Y[p].ravel().tolist()) * J
                for i in range(n):
                    total = flint.arb(0)
                    for j in range(n):
                        c = C[i, j]
                        bound = abs(c.real) + abs(c.imag)
                        assert bound <= out["cmag"][p, i, j]
                        total += abs(c.real) + abs(c.imag)
                    assert total <= out["crow"][p, i]


def test_double_double_values_are_close():
    names, polys = integer_input(_network_system())
    ev = SystemEvaluator(polys, len(names))
    prog = ev._interval_program()
    rng = np.random.default_rng(3)
    Z = rng.standard_normal((5, len(names))) + 1j * rng.standard_normal((5, len(names)))
    Fd = intervals.dd_values(prog, Z)
    with working_precision(300):
        for p in range(5):
            F = ev.values_list([flint.acb(complex(c)) for c in Z[p]])
            for i in range(len(names)):
                scale = 1 + abs(complex(F[i].mid()))
                assert abs(complex(F[i].mid()) - Fd[i, p]) <= 1e-12 * scale


# ----------------------------------------------------------------- sort and sweep
def test_sorted_sweep_finds_the_same_pairs_as_all_pairs():
    rng = np.random.default_rng(4)
    for trial in range(20):
        k, n = int(rng.integers(2, 60)), int(rng.integers(1, 4))
        mids = rng.integers(0, 6, (k, 2, n)).astype(float)
        rad = rng.uniform(0.1, 1.5, (k, 2, n))
        bounds = [np.stack([mids[i, 0] - rad[i, 0], mids[i, 0] + rad[i, 0],
                            mids[i, 1] - rad[i, 1], mids[i, 1] + rad[i, 1]]) for i in range(k)]
        brute = sorted((i, j) for i in range(k) for j in range(i + 1, k)
                       if np.all((bounds[i][0] <= bounds[j][1]) & (bounds[j][0] <= bounds[i][1])
                                 & (bounds[i][2] <= bounds[j][3]) & (bounds[j][2] <= bounds[i][3])))
        assert certify._candidate_pairs(bounds) == brute


# ------------------------------------------------- fast path against the arb path
def _same_verdicts(a, b):
    assert a.indices == b.indices
    assert a.rejected == b.rejected and a.duplicates == b.duplicates
    assert a.ambiguous == b.ambiguous and a.unclassified == b.unclassified
    assert [c.is_real for c in a.complex] == [c.is_real for c in b.complex]
    for ca, cb in zip(a.complex, b.complex):          # the same solution: boxes meet
        assert all(x.overlaps(y) for x, y in zip(ca.intervals, cb.intervals))
    for ra, rb in zip(a.real, b.real):
        assert all(x.overlaps(y) for x, y in zip(ra.intervals, rb.intervals))


@pytest.fixture(scope="module")
def solved(systems_dir):
    cache = {}

    def get(name):
        if name not in cache:
            system = _network_system() if name == "network" else \
                read_msolve(systems_dir / name)
            sols = grobnet.solve(system, complex=True, digits=15)
            assert sols.complete
            names, polys = integer_input(system)
            mids = [[complex(a.mid()) for a in c.intervals] for c in sols.complex]
            cache[name] = (names, polys, np.array(mids), sols)
        return cache[name]
    return get


@pytest.mark.parametrize("name", ["cyclic5.ms", "katsura6.ms", "katsura7.ms", "network"])
def test_fast_path_certifies_what_the_arb_path_certifies(name, solved):
    names, polys, mids, sols = solved(name)
    P = _perturb(mids, 1e-7, 5)
    fast = certify_solutions(polys, len(names), P, variables=names)
    slow = certify_solutions(polys, len(names), P, variables=names, fast=False)
    assert fast.n_certified == slow.n_certified == sols.degree
    assert fast.n_real == slow.n_real == len(sols.real) and fast.real_complete
    _same_verdicts(fast, slow)
    assert fast.stats["methods"].get("fast", 0) >= 0.9 * len(P)    # the fast path did the work
    assert "fast" not in slow.stats["methods"]


def test_wrong_and_moved_points_are_not_certified(solved):
    names, polys, mids, sols = solved("cyclic5.ms")
    good = mids[:4]
    moved = good + 1e-3                    # beyond max_move: not an approximation of it
    rng = np.random.default_rng(6)
    wrong = rng.standard_normal((4, len(names))) * 3
    res = certify_solutions(polys, len(names), np.vstack([moved, wrong]), variables=names,
                            max_move=1e-5)
    assert res.n_certified == 0 and sorted(res.rejected) == list(range(8))
    # a perturbation within max_move is certified, by the fast path
    ok = certify_solutions(polys, len(names), good + 1e-9, variables=names, max_move=1e-5)
    assert ok.n_certified == 4 and ok.stats["methods"] == {"fast": 4}


def test_two_points_of_one_solution_count_once(solved):
    names, polys, mids, sols = solved("katsura6.ms")
    P = np.vstack([mids[:10], _perturb(mids[3:6], 1e-9, 7)])
    res = certify_solutions(polys, len(names), P, variables=names)
    assert res.n_certified == 10 and res.stats["fast_certified"] == 13
    assert sorted(b for _, b in res.duplicates) == [10, 11, 12]
    assert sorted(a for a, _ in res.duplicates) == [3, 4, 5]
    assert res.ambiguous == []


def test_uniqueness_boxes_hold_the_enclosures(solved):
    names, polys, mids, sols = solved("network")
    res = certify_solutions(polys, len(names), _perturb(mids, 1e-8, 8), variables=names)
    assert res.stats["methods"].get("fast", 0) > 0
    for c, X in zip(res.complex, res.uniqueness_boxes):
        assert all(x.contains(e) for x, e in zip(X, c.intervals))
    with working_precision(200):
        for c in res.complex:
            for f in polys:
                total = flint.acb(0)
                for m, coef in f.items():
                    term = flint.acb(coef)
                    for x, e in zip(c.intervals, m):
                        term *= flint.acb(x) ** e
                    total += term
                assert total.contains(0)


def test_a_bad_floating_point_environment_falls_back_to_arb(monkeypatch, solved):
    names, polys, mids, sols = solved("cyclic5.ms")

    def refuse():
        raise intervals.FpEnvError("test")
    monkeypatch.setattr(intervals, "check_fpenv", refuse)
    res = certify_solutions(polys, len(names), mids[:6], variables=names)
    assert res.n_certified == 6 and "fast" not in res.stats["methods"]
    assert res.stats["fast_error"] == "test"


def test_parallel_equals_serial(solved):
    from grobnet.parallel import ProcessExecutor, SerialExecutor
    names, polys, mids, sols = solved("katsura7.ms")
    P = np.vstack([_perturb(mids, 1e-8, 9), mids[:3]])        # with 3 duplicates
    plain = certify_solutions(polys, len(names), P, variables=names)
    serial = certify_solutions(polys, len(names), P, variables=names, executor=SerialExecutor())
    with ProcessExecutor(2) as ex:
        par = certify_solutions(polys, len(names), P, variables=names, executor=ex)
    assert par.stats["fast_slices"] == 4 and par.stats["methods"]["fast"] > 0.9 * len(mids)
    assert par.n_certified == sols.degree and len(par.duplicates) == 3
    # bit for bit the same verdicts and boxes with no executor, 1 or 2 workers
    for other in (plain, serial):
        _same_verdicts(par, other)
        for a, b in zip(par.complex, other.complex):
            assert all(x.mid() == y.mid() and x.rad() == y.rad()
                       for x, y in zip(a.intervals, b.intervals))
        for a, b in zip(par.uniqueness_boxes, other.uniqueness_boxes):
            assert all(x.mid() == y.mid() and x.rad() == y.rad() for x, y in zip(a, b))
