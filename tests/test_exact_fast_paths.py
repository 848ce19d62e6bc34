"""The fast paths of the exact route give the same answers as the slow ones.

* the sequential reconstruction (:class:`grobnet.exact.crt.SequentialLifter`, leading
  coefficients first) gives the RUR that the term-by-term reconstruction
  (:class:`grobnet.exact.crt.RationalLifter`, the lift of Groebner bases) gives from
  images modulo other primes;
* a RUR is the same for a given linear form whatever the executor (serial, process
  pool, Dask ``LocalCluster``), and so are the certified boxes, bit for bit (large
  eliminating polynomials are isolated and refined in parallel jobs);
* the exact and hybrid routes certify the same solutions (boxes paired by overlap),
  and their count is msolve's.

Oracles: the independent reconstruction above, msolve's real-solution counts, the
hybrid route (monodromy + Krawczyk), and substitution of the boxes into the system.
"""
import pytest

import grobnet
from grobnet.common.primes import PrimeStream
from grobnet.engine.convert import integer_input
from grobnet.engine.tracing import forget_trace, new_trace_key
from grobnet.exact.multimodular import DenseImage, run_multimodular
from grobnet.exact.rur_lift import _CONTEXTS, _context, _rur_image, rational_rur
from grobnet.frontend import GeneralizedL2, Network, gradient_system, random_dataset
from grobnet.frontend.io import read_msolve
from grobnet.parallel import SerialExecutor, get_executor

import flint
import numpy as np


def _net(widths, activation, bias, m, seed=0):
    net = Network(widths, activation=activation, bias=bias)
    data = random_dataset(m, n_inputs=widths[0], n_outputs=widths[-1], seed=seed)
    return gradient_system(net, data, reg=GeneralizedL2(seed=1))


def _as_dicts(task):
    """The RUR worker's images as per-term dictionaries: run_multimodular then lifts
    them with the term-by-term RationalLifter (the Groebner-basis path)."""
    out = []
    for p, sig, image, dt in _rur_image(task):
        if isinstance(image, DenseImage):
            polys, k = [], 0
            for n in image.lengths:
                polys.append({(j,): int(image.values[k + j]) for j in range(n)
                              if image.values[k + j]})
                k += n
            image = polys
        out.append((p, sig, image, dt))
    return out


def _independent_lift(system, rur):
    """The RUR of ``system`` for ``rur``'s linear form, lifted term by term from images
    modulo primes that ``rur`` did not use."""
    names, int_polys = integer_input(system)
    n = len(names)
    key = new_trace_key()
    static = (int_polys, n, "grevlex", None, "engine", tuple(rur.linear_form), rur.n_solutions,
              b"", _normal_set(int_polys, n), None, key)
    used = set(rur.primes) | set(rur.check_primes)
    stream = (p for p in PrimeStream(seed=12345) if p not in used)
    try:
        _context(static)
        loop = run_multimodular(_as_dicts, lambda ps: (static, ps), stream, SerialExecutor(),
                                needed=2, max_primes=2000, batched=True,
                                accept=lambda sig: sig[0] != "bad")
    finally:
        _CONTEXTS.pop(key, None)
        forget_trace(key)
    assert loop.complete and loop.polys is not None
    return [flint.fmpq_poly([d.get((k,), 0) for k in range(1 + max((m[0] for m in d), default=0))])
            for d in loop.polys]


def _normal_set(int_polys, n):
    from grobnet.engine.modp import f4, leading_monomials, modp_arrays
    from grobnet.exact.hilbert import standard_monomials
    p = 2147483629
    G, _ = f4(modp_arrays(int_polys, n, p), n, p)
    mons = standard_monomials(leading_monomials(G), n)
    return np.array(mons, dtype=np.int32).reshape(len(mons), n)


CASES = {
    "katsura6": lambda d: read_msolve(d / "katsura6.ms"),
    "cyclic5": lambda d: read_msolve(d / "cyclic5.ms"),
    "net_211_z2_bias": lambda d: _net((2, 1, 1), "square", True, 5),
    "deep_linear_1111": lambda d: _net((1, 1, 1, 1), "identity", False, 4),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_sequential_reconstruction_equals_term_by_term(name, systems_dir):
    system = CASES[name](systems_dir)
    rur = rational_rur(system, executor="serial")
    assert rur.complete
    lifted = _independent_lift(system, rur)
    if rur.radical:
        assert len(lifted) == 1 + len(rur.numerators)
        assert lifted[0] == rur.elim and lifted[1:] == list(rur.numerators)
    else:
        assert lifted == [rur.elim, rur.denominator, *rur.numerators]


def _exact(s):
    """The RUR and the boxes of an answer, exactly (arb balls by mantissa and exponent)."""
    r = s.rur

    def ball(x):
        return x.mid().man_exp(), x.rad().man_exp()

    return (tuple(r.linear_form), r.elim, r.denominator, tuple(r.numerators),
            [(tuple(ball(x) for x in b.intervals), ball(b.t)) for b in s.real])


@pytest.mark.slow
@pytest.mark.parametrize("name", ["katsura8", "net_211_z2_bias"])
def test_serial_pool_and_dask_give_the_same_rur_and_boxes(name, systems_dir, pool, dask_client):
    """katsura-8 (degree 256: its real roots are isolated and refined in parallel jobs)
    and the [2,1,1] z^2 net with bias (degree 105)."""
    system = read_msolve(systems_dir / "katsura8.ms") if name == "katsura8" else \
        _net((2, 1, 1), "square", True, 5)
    ref = grobnet.solve(system, method="exact", executor="serial")
    assert ref.complete and ref.check(system.equations)
    for ex in (pool, dask_client, get_executor(dask_client)):
        s = grobnet.solve(system, method="exact", executor=ex)
        assert s.complete and _exact(s) == _exact(ref), repr(ex)
        assert s.rur.stats["parallel"]


def _paired(a, b):
    if len(a) != len(b):
        return False
    free = list(range(len(b)))
    for s in a:
        hits = [j for j in free if all(x.overlaps(y) for x, y in zip(s.intervals, b[j].intervals))]
        if len(hits) != 1:
            return False
        free.remove(hits[0])
    return True


@pytest.mark.parametrize("widths, activation, bias", [((1, 2, 1), "square", False),
                                                      ((1, 1, 1, 1, 1), "identity", False)])
def test_exact_and_hybrid_routes_certify_the_same_solutions(widths, activation, bias):
    system = _net(widths, activation, bias, 4)
    exact = grobnet.solve(system, method="exact", executor="serial", complex=True)
    hybrid = grobnet.solve(system, method="hybrid", complex=True)
    assert exact.complete and hybrid.complete and hybrid.route.startswith("hybrid")
    assert exact.degree == hybrid.degree == len(exact.complex) == len(hybrid.complex)
    assert _paired(exact.real, hybrid.real)
    assert exact.check(system.equations) and hybrid.check(system.equations)


@pytest.mark.parametrize("name", ["katsura6", "cyclic5"])
def test_real_solution_counts_match_msolve(name, systems_dir, msolve):
    from grobnet.exact.msolve_output import run_msolve
    s = grobnet.solve(read_msolve(systems_dir / f"{name}.ms"), method="exact", executor="serial")
    out = run_msolve(str(systems_dir / f"{name}.ms"), command=msolve)
    assert s.complete and out.dimension == 0 and len(s.real) == len(out.real)


def test_real_root_drivers_honour_deadlines_serially_and_in_parallel_jobs(pool, monkeypatch):
    """Continued-fraction isolation, Newton refinement and their parallel jobs (isolation
    subtrees, refinement chunks) all stop at the deadline (issue 16 in issue 18's drivers).
    The parallel thresholds are lowered so that a degree-40 polynomial takes that path."""
    import time
    from grobnet.errors import TimeoutExceeded
    from grobnet.exact import realroots as rr
    monkeypatch.setattr(rr, "PARALLEL_MIN_DEGREE", 16)
    monkeypatch.setattr(rr, "PARALLEL_MIN_ROOTS", 2)
    f = flint.fmpz_poly.chebyshev_t(40)          # 40 real roots in (-1, 1)
    nums = [flint.fmpq_poly([0, 1])]
    past = time.monotonic() - 1
    with pytest.raises(TimeoutExceeded):
        rr.isolate_real_roots(f, deadline=past)
    for ex in (None, pool):
        with pytest.raises(TimeoutExceeded):
            rr.real_solutions(f, nums, executor=ex, deadline=past)
    # the jobs themselves (run here: as a job that started before the deadline passed)
    wall = time.time() - 1
    coeffs = [int(c) for c in f.coeffs()]
    with pytest.raises(TimeoutExceeded):
        rr._vas_job(([(coeffs, (1, 0, 0, 1), 1, 1)], 10_000, 1.0, wall))
    intervals = rr.isolate_real_roots(f)
    shared = (coeffs, ([1], 1), [([0, 1], 1)], ("x",), 30, 1 << 18)
    with pytest.raises(TimeoutExceeded):
        rr._certify_job((shared, intervals[:4], 256, 116, wall))
    # with time left the parallel boxes are the serial ones
    serial = rr.real_solutions(f, nums)
    parallel = rr.real_solutions(f, nums, executor=pool, deadline=time.monotonic() + 600)
    assert len(serial) == len(parallel) == 40
    assert all(a.t.mid() == b.t.mid() and a.t.rad() == b.t.rad() for a, b in zip(serial, parallel))


def _executors(pool, dask_client):
    return (pool, dask_client, get_executor(dask_client))


@pytest.mark.parametrize("budget", [None, 40])
def test_parallel_isolation_gives_the_serial_intervals(pool, dask_client, monkeypatch, budget):
    """The continued-fraction tree explored by parallel jobs (issue 18: nodes handed back
    after a time slice and shared out again) gives the serial intervals, a root at 0
    included (it used to send such polynomials down the serial path), and the same
    fall-back to complex isolation when the node budget runs out (budget 40 < the
    tree).  Oracle besides the serial run: the roots of T_41 are cos((2k+1) pi / 82)."""
    import math
    from grobnet.exact import realroots as rr
    monkeypatch.setattr(rr, "PARALLEL_MIN_DEGREE", 16)
    monkeypatch.setattr(rr, "VAS_JOB_SECONDS", 0.0)     # hand back after every node
    f = flint.fmpz_poly.chebyshev_t(41)                  # 41 real roots, 0 among them
    assert f.coeffs()[0] == 0
    serial = rr.isolate_real_roots(f, node_budget=budget)
    assert len(serial) == 41
    for (a, b), k in zip(serial, range(40, -1, -1)):
        assert float(a) - 1e-12 <= math.cos((2 * k + 1) * math.pi / 82) <= float(b) + 1e-12
    for ex in _executors(pool, dask_client):
        assert rr.isolate_real_roots(f, node_budget=budget, executor=ex) == serial, repr(ex)


def _corrupted(rur, k):
    """The numerators of ``rur`` with numerator ``k`` moved off the solutions."""
    nums = list(rur.numerators)
    nums[k] = nums[k] + rur.elim.derivative() * flint.fmpq(1, 7) + 1
    return nums


def test_parallel_verification_gives_the_serial_outcome(systems_dir, pool, dask_client):
    """Check 4 of the verification over Q split into parallel jobs (issue 18) proves what
    the serial run proves, and a corrupted parametrization fails at the same (first)
    equation with the same reason.  Oracle: the serial verification, and exact
    substitution (a numerator off by a non-multiple of elim cannot satisfy the
    equation that is linear in that variable)."""
    from grobnet.engine.convert import integer_input
    from grobnet.exact.verify import verify_rur
    system = read_msolve(systems_dir / "katsura6.ms")
    _, int_polys = integer_input(system)
    rur = rational_rur(system, executor="serial")
    assert rur.complete and rur.verified
    args = (rur.elim, rur.denominator)
    for nums in (list(rur.numerators), _corrupted(rur, 2), _corrupted(rur, 5)):
        ref = verify_rur(*args, nums, rur.linear_form, int_polys)
        for ex in (pool, get_executor(dask_client)):
            out = verify_rur(*args, nums, rur.linear_form, int_polys, executor=ex)
            assert (out.ok, out.reason, out.solutions) == (ref.ok, ref.reason, ref.solutions)
            assert out.stats["jobs"] > 1
    assert ref.ok is False and "equation" in ref.reason
    # the checks made in this process while the jobs run: not square-free
    bad = verify_rur(rur.elim * flint.fmpq_poly([1, 1]) ** 2, rur.denominator,
                     list(rur.numerators), rur.linear_form, int_polys, executor=pool)
    assert not bad.ok and "square-free" in bad.reason


def test_parallel_verification_honours_the_deadline(systems_dir, pool):
    import time
    from grobnet.engine.convert import integer_input
    from grobnet.errors import TimeoutExceeded
    from grobnet.exact import verify
    system = read_msolve(systems_dir / "katsura6.ms")
    _, int_polys = integer_input(system)
    rur = rational_rur(system, executor="serial")
    with pytest.raises(TimeoutExceeded, match="timeout=7"):
        verify.verify_rur(rur.elim, rur.denominator, rur.numerators, rur.linear_form,
                          int_polys, deadline=time.monotonic() - 1, timeout=7, executor=pool)
    # a job started before the deadline passed stops at it too
    E = verify._primitive(rur.elim)
    Q, P = verify._integer_parametrization(rur.denominator, rur.numerators)
    factors, n, direct = verify._factors(Q, P, rur.linear_form)
    shared = ([int(c) for c in E.coeffs()], [[int(c) for c in g.coeffs()] for g in factors],
              n, direct, 8 * E.degree())
    with pytest.raises(TimeoutExceeded, match="timeout=7"):
        verify._exact_job((shared, {1: int_polys[1]}, [1], time.time() - 1, 7, len(int_polys)))
    assert verify._exact_job((shared, {1: int_polys[1]}, [1], None, 7, len(int_polys)))[0] \
        is None


def test_parallel_lift_isolates_the_real_roots_while_verifying(systems_dir, pool, dask_client,
                                                              monkeypatch):
    """On a concurrent executor the exact route isolates and certifies the real roots while
    the verification's jobs run (issue 18); the intervals are the serial ones and so are
    the RUR and the boxes.  Thresholds lowered so that katsura-6 (degree 64) takes that path."""
    from grobnet.exact import realroots as rr
    from grobnet.exact import rur_lift
    for module in (rr, rur_lift):
        monkeypatch.setattr(module, "PARALLEL_MIN_DEGREE", 16)
    monkeypatch.setattr(rr, "PARALLEL_MIN_ROOTS", 2)
    system = read_msolve(systems_dir / "katsura6.ms")
    ref = grobnet.solve(system, method="exact", executor="serial", seed=3)
    assert ref.complete and ref.rur.isolated is None and len(ref.real) > 0
    for ex in (pool, dask_client):
        s = grobnet.solve(system, method="exact", executor=ex, seed=3)
        assert s.complete and s.rur.verified
        assert s.rur.isolated == rr.isolate_real_roots(ref.rur.elim), repr(ex)
        # the boxes were certified meanwhile too, at the digits solve asked for
        assert s.rur.prepared is not None and len(s.rur.prepared[1]) == len(ref.real)
        assert _exact(s) == _exact(ref), repr(ex)
    # without real roots asked for, nothing is isolated ahead
    s = grobnet.solve(system, method="exact", executor=pool, seed=3, real=False)
    assert s.complete and s.rur.isolated is None and s.rur.prepared is None


# ----------------------------------------------------- the form variable (issue 18)
def test_form_variable_lift_gives_the_rur_of_the_plain_lift(systems_dir, monkeypatch):
    """cyclic-5: no single variable separates, so the form has several variables and the
    lift runs on the system with ``T - t`` (sparse ``M_T``, power projections).  The RUR
    for that form is unique: the plain lift (the form's own dense matrix, Krylov solve)
    of the same seed must give it coefficient for coefficient."""
    from grobnet.exact import rur_lift
    system = read_msolve(systems_dir / "cyclic5.ms")
    fast = rational_rur(system, executor="serial", seed=7)
    assert fast.complete and fast.verified and fast.stats.get("form_variable") is True
    assert sum(1 for c in fast.linear_form if c) >= 2
    monkeypatch.setattr(rur_lift, "form_variable_worth_it", lambda *a: False)
    plain = rational_rur(system, executor="serial", seed=7)
    assert plain.complete and "form_variable" not in plain.stats
    assert plain.linear_form == fast.linear_form
    assert plain.elim == fast.elim and list(plain.numerators) == list(fast.numerators)


def test_form_variable_system_has_the_solutions_and_t():
    """``x^2 - 2, y^2 - 3`` with ``t = x + 2y``: the extra equation is ``T - x - 2y`` and
    every solution of the input, with ``T = t(x, y)``, solves the new system."""
    from grobnet.exact.rur_lift import _form_variable_system
    polys = [{(2, 0): 1, (0, 0): -2}, {(0, 2): 1, (0, 0): -3}]
    out = _form_variable_system(polys, 2, (1, 2))
    assert out[:2] == [{(2, 0, 0): 1, (0, 0, 0): -2}, {(0, 2, 0): 1, (0, 0, 0): -3}]
    assert out[2] == {(0, 0, 1): 1, (1, 0, 0): -1, (0, 1, 0): -2}
    import sympy
    x, y = sympy.sqrt(2), -sympy.sqrt(3)
    for f in out:
        value = sum(c * x**m[0] * y**m[1] * (x + 2 * y)**m[2] for m, c in f.items())
        assert sympy.simplify(value) == 0


def test_form_variable_refused_when_its_rur_differs(systems_dir):
    """The first prime's RUR on the system with the form variable must be the input's
    (the same form): with a wrong reference it is refused and its F4 trace dropped."""
    from grobnet.engine import tracing
    from grobnet.exact.multiplication import quotient_ring
    from grobnet.exact.probe import probe_dimension
    from grobnet.exact.rur import rur_modp
    from grobnet.exact.rur_lift import _form_variable_lift
    names, int_polys = integer_input(read_msolve(systems_dir / "cyclic5.ms"))
    n = len(names)
    probe = probe_dimension(int_polys, n, seed=3)
    p = probe.prime
    ring = quotient_ring(probe.basis, n, p)
    form = (1, -2, 3, 2, -1)
    r0 = rur_modp(ring, form, ring.dimension)
    before = set(tracing._cache)
    ok = _form_variable_lift(int_polys, n, form, r0, ring, p, "grevlex", "engine", None, None)
    assert ok is not None and ok.keep == n and ok.nvars == n + 1
    tracing.forget_trace(ok.trace_key)
    r0.elim = r0.elim + 1                      # a wrong reference
    assert _form_variable_lift(int_polys, n, form, r0, ring, p, "grevlex", "engine", None,
                               None) is None
    assert set(tracing._cache) == before
    forget_trace(probe.trace_key)


def test_form_variable_lift_is_the_same_on_a_process_pool(systems_dir, pool):
    """Forked workers replay the form variable's trace (or learn their own): the same RUR
    and boxes as the serial run."""
    system = read_msolve(systems_dir / "cyclic5.ms")
    ref = grobnet.solve(system, method="exact", executor="serial", seed=5)
    s = grobnet.solve(system, method="exact", executor=pool, seed=5)
    assert ref.rur.stats.get("form_variable") and s.rur.stats.get("form_variable")
    assert ref.complete and s.complete and _exact(s) == _exact(ref)


def test_form_variable_only_where_it_pays():
    from grobnet.exact.rur_lift import FORM_VARIABLE_MIN_DEGREE as D, form_variable_worth_it
    assert form_variable_worth_it((1, 2, 0), "grevlex", None, "engine", D)
    assert not form_variable_worth_it((0, 1, 0), "grevlex", None, "engine", D)   # one variable
    assert not form_variable_worth_it((1, 2, 0), "grevlex", None, "engine", D - 1)
    assert not form_variable_worth_it((1, 2, 0), "lex", None, "engine", D)
    assert not form_variable_worth_it((1, 2, 0), "grevlex", (1, 2), "engine", D)
    assert not form_variable_worth_it((1, 2, 0), "grevlex", None, "sympy", D)


class _CountingPool(SerialExecutor):
    """Seen by the lift as a concurrent executor of two workers (its jobs run when their
    result is asked for, :meth:`Executor.submit`); it counts the submissions."""

    concurrent, workers = True, 2
    submitted = 0

    def submit(self, fn, item):
        self.submitted += 1
        return super().submit(fn, item)


def _rational_vector_image(primes):
    values = [flint.fmpq(10 ** 40 + 7, 3), flint.fmpq(-(10 ** 35), 7), flint.fmpq(1, 11)]
    # (0.1 s of work each: one prime per job)
    return [(p, "sig", DenseImage([3], [int(v.p) * pow(int(v.q), -1, p) % p for v in values]),
             0.1) for p in primes]


def test_a_lift_launches_no_job_once_its_candidate_waits_for_checks():
    # the jobs in flight when the candidate appears bring its checks: one launched after
    # that would run past the end of the lift (katsura-9 on 2 workers: 3 of 70 images)
    pool = _CountingPool()
    loop = run_multimodular(_rational_vector_image, lambda ps: ps, iter(PrimeStream(seed=3)),
                            pool, needed=2, batched=True, first_here=False)
    assert loop.complete and loop.polys[0][(0,)] == flint.fmpq(10 ** 40 + 7, 3)
    assert len(loop.check_primes) == 2
    depth = 2 * pool.workers
    # the candidate came from the images before the checks; at most `depth` jobs were in
    # flight then, two of them were the checks
    assert pool.submitted - loop.stats["primes_tried"] <= depth - 2
