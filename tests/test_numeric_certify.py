"""Krawczyk certification of approximate solutions (grobnet.numeric.certify).

Oracles, all outside the code under test:
* exact solutions known by construction: systems ``G(A x) = 0`` with ``G_i`` a product
  of linear/quadratic factors in one variable and ``A`` an integer matrix, so every
  solution is ``A^-1 u`` for roots ``u`` computed with python-flint;
* grobnet's exact route (``grobnet.solve``: RUR over Q and certified boxes) and
  msolve's real boxes for the benchmark systems (approximations are their midpoints,
  perturbed by 1e-6, so Newton has work to do);
* substitution: the system evaluated over every certified box by a tiny arb evaluator
  written here contains 0.
Negative cases: random points, a double root, duplicated approximations -- never a
false certificate.
"""
import itertools
import math

import flint
import numpy as np
import pytest

import grobnet
from grobnet.engine.convert import integer_input
from grobnet.common.boxes import ComplexSolution, RealSolution, working_precision
from grobnet.numeric.certify import CertifiedSolutions, certify_solutions, certify_system


# ------------------------------------------------------------------ helpers
def _eval_box(poly: dict, box) -> flint.acb:
    """The integer polynomial ``{exps: c}`` over a box of acb/arb intervals."""
    total = flint.acb(0)
    for m, c in poly.items():
        term = flint.acb(c)
        for x, e in zip(box, m):
            if e:
                term *= flint.acb(x) ** e
        total += term
    return total


def _perturb(points, eps, seed):
    rng = np.random.default_rng(seed)
    P = np.asarray(points, dtype=complex)
    return P + eps * (rng.standard_normal(P.shape) + 1j * rng.standard_normal(P.shape))


def _poly_mul(a: dict, b: dict) -> dict:
    out = {}
    for ma, ca in a.items():
        for mb, cb in b.items():
            m = tuple(x + y for x, y in zip(ma, mb))
            out[m] = out.get(m, 0) + ca * cb
    return {m: c for m, c in out.items() if c}


def _linear_system(A, factors):
    """Integer polynomials ``G_i(A x)`` with ``G_i(u) = prod_k factor_k(u_i)``; each factor
    is a coefficient list (constant first) of a univariate integer polynomial."""
    n = len(A)
    polys = []
    for i in range(n):
        u = {tuple(int(k == j) for k in range(n)): int(A[i][j]) for j in range(n) if A[i][j]}
        g = {(0,) * n: 1}
        for coeffs in factors[i]:
            # factor(u) by Horner on polynomial dicts
            h = {(0,) * n: coeffs[-1]}
            for c in reversed(coeffs[:-1]):
                h = _poly_mul(h, u)
                h[(0,) * n] = h.get((0,) * n, 0) + c
                h = {m: v for m, v in h.items() if v}
            g = _poly_mul(g, h)
        polys.append(g)
    return polys


def _exact_solutions(A, factors, prec=200):
    """All solutions ``x = A^-1 u`` as acb vectors (u_i runs over the roots of G_i)."""
    with working_precision(prec):
        Ainv = flint.arb_mat(A).inv()
        per_var = []
        for i in range(len(A)):
            roots = []
            for coeffs in factors[i]:
                roots += [r for r, _ in flint.fmpz_poly(coeffs).complex_roots()]
            per_var.append(roots)
        sols = []
        for us in itertools.product(*per_var):
            x = flint.acb_mat(Ainv) * flint.acb_mat(len(us), 1, list(us))
            sols.append(x.entries())
    return sols


# Two random-ish integer matrices and root structures: real roots, a conjugate pair.
_CASES = [
    ([[1, 2], [-1, 3]], [[[-2, 1], [3, 1]], [[1, 0, 1], [-5, 2]]]),
    ([[2, 1, 0], [1, -1, 1], [0, 1, 3]], [[[-1, 1], [2, 1]], [[3, 0, 1]], [[-1, 0, 2], [1, 1]]]),
]


# ------------------------------------------------------- solutions known exactly
@pytest.mark.parametrize("case", range(len(_CASES)))
def test_exactly_known_solutions(case):
    A, factors = _CASES[case]
    polys = _linear_system(A, factors)
    exact = _exact_solutions(A, factors)
    n = len(A)
    approx = _perturb([[complex(v.mid()) for v in x] for x in exact], 1e-6, case)
    res = certify_solutions(polys, n, approx, digits=40)
    assert res.n_certified == len(exact) and res.rejected == [] and res.duplicates == []
    n_real = sum(all(v.imag.contains(0) and abs(v.imag.mid()) < 1e-30 for v in x)
                 for x in exact)
    # factors with real roots only give real solutions; u^2 + b gives non-real ones
    n_real_expected = math.prod(
        sum(1 if len(c) == 2 else (2 if c[1] ** 2 - 4 * c[0] * c[2] > 0 else 0) for c in f)
        for f in factors)
    assert n_real == n_real_expected == res.n_real
    assert res.real_complete
    with working_precision(200):
        for sol, idx in zip(res.complex, res.indices):
            # the box holds the exact solution the approximation came from
            assert all(b.contains(e) for b, e in zip(sol.intervals, exact[idx]))
            assert all(b.rad() < 1e-40 * max(1, abs(b.mid())) for b in
                       [part for v in sol.intervals for part in (v.real, v.imag)])
        for r in res.real:
            assert any(all(b.contains(e.real) for b, e in zip(r.intervals, x)) for x in exact)


def test_sqrt_boxes_digits_and_form():
    polys = [{(2, 0): 1, (0, 0): -2}, {(0, 2): 1, (0, 0): -3}]
    signs = list(itertools.product([1, -1], repeat=2))
    approx = [[s * 1.4142, t * 1.7320] for s, t in signs]
    res = certify_solutions(polys, 2, approx, variables=("a", "b"), digits=60, form=[1, 2])
    assert res.n_certified == 4 and res.n_real == 4
    with working_precision(300):
        r2, r3 = flint.arb(2).sqrt(), flint.arb(3).sqrt()
        for sol, (s, t) in zip(res.real, signs):
            assert isinstance(sol, RealSolution) and sol.variables == ("a", "b")
            a, b = sol.intervals
            assert a.contains(s * r2) and b.contains(t * r3)
            assert a.rad() < flint.arb(10) ** -60 * 2 and b.rad() < flint.arb(10) ** -60 * 2
            assert sol.t.contains(s * r2 + 2 * t * r3)
    assert all(c.is_real for c in res.complex)


def test_non_real_pair_and_near_real_classification():
    # x^2 + 1 = 0, y = x: (i, i) and (-i, -i)
    res = certify_solutions([{(2, 0): 1, (0, 0): 1}, {(0, 1): 1, (1, 0): -1}], 2,
                            [[1.0000001j, 0.9999999j], [-1j, -1j]])
    assert res.n_certified == 2 and res.n_real == 0 and res.real_complete
    assert all(not c.is_real for c in res.complex)
    # 10^40 x^2 -/+ 1: roots +/-1e-20 (real) or +/-1e-20 i (non-real), tiny on purpose
    plus = certify_solutions([{(2,): 10 ** 40, (0,): 1}], 1, [[1e-20j], [-1e-20j]])
    minus = certify_solutions([{(2,): 10 ** 40, (0,): -1}], 1, [[1e-20 + 1e-27j], [-1e-20]])
    assert (plus.n_certified, plus.n_real) == (2, 0) and plus.real_complete
    assert (minus.n_certified, minus.n_real) == (2, 2)


# ------------------------------------------------------------ negative cases
def test_random_points_are_rejected():
    polys = [{(2, 0): 1, (0, 0): -2}, {(0, 2): 1, (0, 0): -3}]
    rng = np.random.default_rng(7)
    junk = rng.standard_normal((20, 2)) * 3 + 1j * rng.standard_normal((20, 2))
    good = [[1.41421, 1.73205]]
    res = certify_solutions(polys, 2, np.vstack([junk, good]))
    assert res.indices == [20] and sorted(res.rejected) == list(range(20))
    assert set(res.reasons) == set(range(20))
    bad = certify_solutions(polys, 2, [[np.nan, 1.0], [np.inf, 2.0], [1e300, 1e300]])
    assert bad.n_certified == 0 and sorted(bad.rejected) == [0, 1, 2]


@pytest.mark.parametrize("near", [[1e-6, 1.0], [0.0, 1.0], [1e-30, 1.0 + 1e-20], [-3e-4j, 1.0]])
def test_double_root_never_certified(near):
    # x^2 = 0, y = 1: one solution of multiplicity 2 (Krawczyk cannot certify it)
    res = certify_solutions([{(2, 0): 1}, {(0, 1): 1, (0, 0): -1}], 2, [near])
    assert res.n_certified == 0 and res.rejected == [0]
    # x^3 - x^2 = 0 (double root 0, simple root 1), y = 1
    res = certify_solutions([{(3, 0): 1, (2, 0): -1}, {(0, 1): 1, (0, 0): -1}], 2,
                            [near, [1.0000003, 0.9999999]])
    assert res.indices == [1] and res.rejected == [0] and res.n_real == 1


def test_duplicates_detected():
    A, factors = _CASES[1]
    polys = _linear_system(A, factors)
    exact = _exact_solutions(A, factors)
    base = np.array([[complex(v.mid()) for v in x] for x in exact])
    approx = np.vstack([_perturb(base, 1e-7, 1), _perturb(base[:3], 1e-7, 2)])
    res = certify_solutions(polys, 3, approx)
    k = len(base)
    assert res.n_certified == k and res.rejected == []
    assert sorted(res.duplicates) == [(i, k + i) for i in range(3)]
    assert sorted(res.indices) == list(range(k))


def test_errors_name_the_problem():
    sq = [{(2, 0): 1, (0, 0): -2}, {(0, 2): 1, (0, 0): -3}]
    with pytest.raises(ValueError, match="not square"):
        certify_solutions(sq[:1], 2, [[1, 1]])
    with pytest.raises(ValueError, match="k x 2"):
        certify_solutions(sq, 2, [[1, 1, 1]])
    with pytest.raises(ValueError, match="exponent"):
        certify_solutions([{(2,): 1}, {(0, 2): 1}], 2, [[1, 1]])
    with pytest.raises(ValueError, match="variable names"):
        certify_solutions(sq, 2, [[1, 1]], variables=("x",))
    with pytest.raises(ValueError, match="linear form"):
        certify_solutions(sq, 2, [[1, 1]], form=[1])
    with pytest.raises(ValueError, match="nvars"):
        certify_solutions(sq, 0, [[1, 1]])
    empty = certify_solutions(sq, 2, np.zeros((0, 2)))
    assert empty.n_certified == 0 and "0 certified" in repr(empty)


# -------------------------------------------- benchmark systems vs the exact route
@pytest.fixture(scope="module")
def exact_route(systems_dir):
    from grobnet.frontend.io import read_msolve
    cache = {}

    def get(name):
        if name not in cache:
            system = read_msolve(str(systems_dir / name))
            sols = grobnet.solve(system, complex=True, digits=15)
            assert sols.complete and sols.dimension == 0
            cache[name] = (system, sols)
        return cache[name]
    return get


@pytest.mark.parametrize("name", ["cyclic5.ms", "katsura6.ms", "cyclic6.ms"])
def test_benchmark_systems_against_exact_route(name, exact_route):
    system, exact = exact_route(name)
    names, polys = integer_input(system)
    mids = [[complex(a.mid()) for a in c.intervals] for c in exact.complex]
    res = certify_solutions(polys, len(names), _perturb(mids, 1e-6, 3), variables=names,
                            digits=30)
    assert isinstance(res, CertifiedSolutions)
    assert res.n_certified == exact.degree and res.rejected == []
    assert res.n_real == len(exact.real) and res.real_complete
    # every real box of ours meets exactly one real box of the exact route, and conversely
    hits = [[j for j, e in enumerate(exact.real)
             if all(a.overlaps(b) for a, b in zip(r.intervals, e.intervals))] for r in res.real]
    assert all(len(h) == 1 for h in hits)
    assert sorted(h[0] for h in hits) == list(range(len(exact.real)))
    # the same for the complex boxes
    chits = [[j for j, e in enumerate(exact.complex)
              if all(a.overlaps(b) for a, b in zip(c.intervals, e.intervals))]
             for c in res.complex]
    assert all(len(h) == 1 for h in chits)
    assert sorted(h[0] for h in chits) == list(range(exact.degree))
    with working_precision(128):
        for c in res.complex:
            assert isinstance(c, ComplexSolution)
            assert all(_eval_box(f, c.intervals).contains(0) for f in polys)


def test_real_count_matches_msolve(systems_dir, msolve, exact_route):
    from grobnet.exact.msolve_output import run_msolve
    system, exact = exact_route("katsura6.ms")
    names, polys = integer_input(system)
    mids = [[complex(a.mid()) for a in c.intervals] for c in exact.complex]
    res = certify_solutions(polys, len(names), _perturb(mids, 1e-6, 4), variables=names)
    ms = run_msolve(str(systems_dir / "katsura6.ms"), command=msolve, timeout=120)
    assert res.n_real == len(ms.real)


# ------------------------------------------------ ill-conditioning and precision
def test_wilkinson_polynomial_all_roots():
    # prod_{i=1}^{20} (x - i): famously ill-conditioned; float Newton is unreliable here
    w = flint.fmpz_poly([1])
    for i in range(1, 21):
        w *= flint.fmpz_poly([-i, 1])
    poly = {(e,): int(c) for e, c in enumerate(w.coeffs()) if c}
    res = certify_solutions([poly], 1, [[i + 1e-6] for i in range(1, 21)], digits=30)
    assert res.n_certified == 20 and res.n_real == 20 and res.real_complete
    for sol, idx in zip(res.real, res.indices):
        assert sol.intervals[0].contains(idx + 1)


def test_close_roots_and_many_digits():
    # 10^12 (x - 1)(x - 1 - 10^-12): two roots 1e-12 apart
    E = 10 ** 12
    res = certify_solutions([{(2,): E, (1,): -(2 * E + 1), (0,): E + 1}], 1,
                            [[1.0], [1.0 + 1e-12]])
    assert res.n_certified == 2 and res.n_real == 2
    one, other = sorted(res.real, key=lambda r: r.intervals[0].mid())
    assert one.intervals[0].contains(1)
    with working_precision(1000):
        assert other.intervals[0].contains(flint.arb(flint.fmpq(E + 1, E)))
    # 400 digits: the radius is below 10^-400 and the box still holds sqrt(2)
    res = certify_solutions([{(2,): 1, (0,): -2}], 1, [[1.4142]], digits=400)
    x = res.real[0].intervals[0]
    assert x.rad() < flint.arb(10) ** -399
    with working_precision(1500):
        assert x.contains(flint.arb(2).sqrt())


def test_max_move_guards_the_identity_of_points():
    polys = [{(2,): 1, (0,): -2}]
    far = [[1.43]]                                   # 0.016 from sqrt(2)
    assert certify_solutions(polys, 1, far).rejected == [0]
    assert certify_solutions(polys, 1, far, max_move=0.1).n_certified == 1


def test_certify_system_takes_flint_polynomials():
    ctx = flint.fmpq_mpoly_ctx.get(("u", "v"), "degrevlex")
    u, v = ctx.gens()
    system = [u * u - flint.fmpq(1, 4), u * v - 1]          # (+-1/2, +-2)
    res = certify_system(system, [[0.5001, 2.0], [-0.5, -1.9999]])
    assert res.variables == ("u", "v") and res.n_certified == 2 and res.n_real == 2
    assert res.real[0].intervals[0].contains(flint.fmpq(1, 2))
    assert res.real[1].intervals[1].contains(-2)
    with pytest.raises(ValueError, match="not square"):
        certify_system([u * u - 1], [[1.0, 1.0]])


@pytest.mark.slow
def test_network_system_all_solutions(exact_route, systems_dir, msolve):
    # degree 465, 7 variables: the exact route takes ~2 min
    from grobnet.exact.msolve_output import run_msolve
    system, exact = exact_route("nn_121_sq_bias_l2.ms")
    names, polys = integer_input(system)
    mids = [[complex(a.mid()) for a in c.intervals] for c in exact.complex]
    res = certify_solutions(polys, len(names), _perturb(mids, 1e-8, 5), variables=names)
    assert res.n_certified == exact.degree == 465 and res.real_complete
    ms = run_msolve(str(systems_dir / "nn_121_sq_bias_l2.ms"), command=msolve, timeout=600)
    assert res.n_real == len(exact.real) == len(ms.real)


def test_timeout_rejects_the_rest_with_a_reason():
    polys = [{(2,): 1, (0,): -2}]
    res = certify_solutions(polys, 1, [[1.4142], [-1.4142]], timeout=0.0)
    assert res.n_certified == 0 and res.rejected == [0, 1]
    assert all("timeout" in r for r in res.reasons.values())


def test_a_large_point_that_float_newton_spoils_is_certified_from_the_input(systems_dir):
    """A solution of nn_131 with |x| ~ 3800, as monodromy found it: float Newton moves it
    by ~0.36 to where ball Newton fails at every precision; from the input itself it
    converges from 140 bits on.  With digits=20 (start at 107 bits) the doubling
    attempts must try the input too (once they only retried float Newton's point, and
    critical_points on nn_131 certified 4865 of 4929)."""
    from grobnet.frontend.io import read_msolve
    from grobnet.numeric import certify as C
    names, polys = integer_input(read_msolve(str(systems_dir / "nn_131_sq_bias_gl2.ms")))
    point = np.array([[-2464.0058712801847 - 2615.265431897236j,
                       2751.942814804446 - 2593.0375402972604j,
                       -2617.622403581834 + 2465.9804104812547j,
                       -2605.4567071056927 - 2765.384497985215j,
                       -737.1555314189843 + 693.6262422097769j,
                       -731.8235139743988 - 777.2911241514944j,
                       -4.709988574019899 - 4.694076912298729j,
                       4.630220602210208 + 4.659728094254751j,
                       -117.95052852585367 - 117.83095856069724j,
                       142.14868495160698 - 142.57421214218957j]])
    ev = C.SystemEvaluator(polys, len(names))
    assert np.abs(C._float_newton(ev, point) - point).max() > 0.1     # the precondition
    for digits in (20, 30):
        cert = certify_solutions(polys, len(names), point, digits=digits)
        assert cert.n_certified == 1, (digits, cert.reasons)
        box = cert.complex[0] if cert.complex else cert.real[0]
        assert repr(box)


def test_float_evaluation_in_slices_is_the_same(monkeypatch):
    """``evaluate_float`` slices many points to bound its temporaries (6 GB for 33,000
    points of an 11-variable net before): the slices give the same values, bit for bit,
    checked against the unsliced evaluation and against a direct evaluation of F."""
    import grobnet.numeric.certify as cert
    A, factors = _CASES[1]
    polys = _linear_system(A, factors)
    ev = cert.SystemEvaluator(polys, 3)
    ev.prepare()
    rng = np.random.default_rng(5)
    Z = rng.normal(size=(1000, 3)) + 1j * rng.normal(size=(1000, 3))
    F0, J0 = ev.evaluate_float(Z)
    monkeypatch.setattr(cert, "FLOAT_EVAL_BYTES", 16)      # the smallest slice: 64 rows
    F1, J1 = ev.evaluate_float(Z)
    assert F1.shape == (1000, 3) and J1.shape == (1000, 3, 3)
    assert np.array_equal(F0, F1) and np.array_equal(J0, J1)
    direct = np.array([[sum(c * np.prod(z ** np.array(m)) for m, c in p.items())
                        for p in polys] for z in Z[[0, 63, 64, 999]]])
    assert np.allclose(F1[[0, 63, 64, 999]], direct, rtol=1e-12, atol=1e-9)
