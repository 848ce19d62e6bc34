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
              b"", _normal_set(int_polys, n), key)
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
    halves, refinement chunks) all stop at the deadline (issue 16 in issue 18's drivers).
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
        rr._isolate_half_job((coeffs, 1, 10_000, wall))
    intervals = rr.isolate_real_roots(f)
    shared = (coeffs, [(1, 1)], [[(0, 1), (1, 1)]], ("x",), 30, 1 << 18)
    with pytest.raises(TimeoutExceeded):
        rr._certify_job((shared, intervals[:4], 256, 116, wall))
    # with time left the parallel boxes are the serial ones
    serial = rr.real_solutions(f, nums)
    parallel = rr.real_solutions(f, nums, executor=pool, deadline=time.monotonic() + 600)
    assert len(serial) == len(parallel) == 40
    assert all(a.t.mid() == b.t.mid() and a.t.rad() == b.t.rad() for a, b in zip(serial, parallel))
