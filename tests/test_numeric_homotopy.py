"""Numerical solving by monodromy (grobnet.numeric): evaluation, tracking, completeness.

Oracles: sympy (values and derivatives), known solution counts (katsura-n: 2^n),
the exact solver's degree and certified real boxes, substitution (residuals).
"""
from __future__ import annotations

import time

import numpy as np
import pytest
import sympy

from grobnet.exact.examples import katsura
from grobnet.engine.convert import integer_input
from grobnet.numeric.homotopy import TrackOptions, newton_polish, track
from grobnet.numeric.monodromy import NumericSolutions, deduplicate, monodromy_solve
from grobnet.numeric.polyeval import PolySystem


def _sympy_poly(p, xs):
    return sum(int(c) * sympy.prod([x ** int(e) for x, e in zip(xs, m)]) for m, c in p.items())


def _residuals(int_polys, names, points):
    """max_i |F_i(x)| / max|coeff_i| evaluated independently with sympy at a few points."""
    xs = sympy.symbols(names)
    out = []
    for pt in points:
        sub = dict(zip(xs, [sympy.Float(v.real, 30) + sympy.I * sympy.Float(v.imag, 30)
                            for v in pt]))
        r = 0.0
        for p in int_polys:
            scale = max(abs(int(c)) for c in p.values())
            r = max(r, abs(complex(sympy.N(_sympy_poly(p, xs).subs(sub), 20))) / scale)
        out.append(r)
    return np.array(out)


# --------------------------------------------------------------------- evaluation
def test_polyeval_matches_sympy():
    rng = np.random.default_rng(3)
    n = 3
    polys = []
    for _ in range(n):
        p = {}
        for _ in range(6):
            m = tuple(int(v) for v in rng.integers(0, 4, size=n))
            p[m] = int(rng.integers(-50, 50)) or 1
        polys.append(p)
    S = PolySystem(polys, n)
    xs = sympy.symbols("a b c")
    pts = rng.standard_normal((4, n)) + 1j * rng.standard_normal((4, n))
    F, J = S.evaluate(pts)
    for k, pt in enumerate(pts):
        sub = dict(zip(xs, pt))
        for i, p in enumerate(polys):
            f = _sympy_poly(p, xs) / S.scales[i]
            assert abs(complex(f.subs(sub)) - F[k, i]) <= 1e-12 * (1 + abs(F[k, i]))
            for j in range(n):
                d = complex(sympy.diff(f, xs[j]).subs(sub))
                assert abs(d - J[k, i, j]) <= 1e-12 * (1 + abs(d))
    assert np.allclose(S.values(pts), F)


@pytest.mark.parametrize("bad, message", [
    (([{(1, 0): 1}, {(0, 1): 1}], 3), "length"),
    (([{(1, -1): 1}], 2), "negative"),
    (([], 2), "no polynomials"),
])
def test_polyeval_rejects_bad_input(bad, message):
    with pytest.raises(ValueError, match=message):
        PolySystem(*bad)


# --------------------------------------------------------------------- tracking
def test_track_follows_known_paths():
    """x^2 - 1 + mu (x - c): track both roots from mu_a to mu_b, compare with the
    quadratic formula."""
    c = 0.3 + 0.2j
    S = PolySystem([{(2,): 1, (0,): -1}], 1)
    mu_a, mu_b = np.array([0.7 - 0.4j]), np.array([-1.1 + 0.9j])

    def roots(mu):
        # x^2 + mu x - (1 + mu c) = 0
        b, cc = mu, -(1 + mu * c)
        d = np.sqrt(b * b - 4 * cc + 0j)
        return np.array([(-b + d) / 2, (-b - d) / 2])

    start = roots(mu_a[0])[:, None]
    res = track(S, start, mu_a, mu_b, center=np.array([c]))
    assert np.all(res.ok)
    got = np.sort_complex(res.x[:, 0])
    want = np.sort_complex(roots(mu_b[0]))
    assert np.allclose(got, want, atol=1e-9)


def test_newton_polish_and_deduplicate():
    S = PolySystem([{(2, 0): 1, (0, 0): -4}, {(0, 1): 1, (1, 0): -1}], 2)
    pts = np.array([[2.01, 2.0], [-1.98, -2.03], [2.0 + 1e-3j, 2.0]])
    pol, last = newton_polish(S, pts, iterations=6)
    assert np.all(last < 1e-12)
    assert np.allclose(np.sort(pol[:, 0].real), [-2, 2, 2])
    assert len(deduplicate(pol)) == 2


# --------------------------------------------------------------------- monodromy
def test_katsura5_all_32_solutions():
    _, P = katsura(5)
    names, polys = integer_input(P)
    sol = monodromy_solve(polys, len(names), 32, seed=1, timeout=60)
    assert isinstance(sol, NumericSolutions)
    assert sol.complete_count and len(sol.points) == 32 and not sol.timed_out
    assert len(deduplicate(sol.points, tol=1e-6)) == 32
    assert np.max(_residuals(polys, names, sol.points[:8])) < 1e-10
    # katsura-5 has 16 real solutions (msolve, and the exact solver's certified boxes)
    real = np.all(np.abs(sol.points.imag) < 1e-8, axis=1)
    assert int(real.sum()) == 16
    assert "32 of 32" in repr(sol)


@pytest.mark.parametrize("activation", ["identity", "square"])
def test_small_network_matches_exact_solver(activation):
    """GL2 gradient system of a [2,1,1] net with bias on XOR data (degrees 13 and 105):
    the count equals the exact degree, and every certified real box holds one numeric
    real point."""
    import grobnet
    from grobnet.frontend import GeneralizedL2, Network, gradient_system, xor

    g = gradient_system(Network([2, 1, 1], activation=activation, bias=True), xor(),
                        reg=GeneralizedL2(seed=1))
    exact = grobnet.solve(g, real=True, digits=15)
    assert exact.dimension == 0
    names, polys = integer_input(g)
    sol = monodromy_solve(polys, len(names), exact.degree, seed=0, timeout=60)
    assert sol.complete_count, sol
    assert np.max(_residuals(polys, names, sol.points[:10])) < 1e-9
    real_pts = sol.points[np.all(np.abs(sol.points.imag) < 1e-8, axis=1)].real
    assert len(real_pts) == len(exact.real)
    for box in exact.real:
        mid = np.array([float(v) for v in box.midpoint()])
        assert np.min(np.max(np.abs(real_pts - mid), axis=1)) < 1e-8


def test_timeout_returns_quickly_with_flag():
    # katsura-11 (2048 solutions) is far out of reach of 0.2 s even for the
    # compiled tracker on a fast machine (katsura-7 finished in 0.17 s on CI).
    _, P = katsura(11)
    names, polys = integer_input(P)
    t = time.perf_counter()
    sol = monodromy_solve(polys, len(names), 2048, seed=0, timeout=0.2)
    assert time.perf_counter() - t < 5.0
    assert sol.timed_out and not sol.complete_count
    assert len(sol.points) < 2048


@pytest.mark.parametrize("args, message", [
    (([{(1, 0): 1}], 2, 1), "square"),
    (([{(1, 0): 1}, {(0, 1): 1}], 3, 1), "square"),
    (([{(1, 0): 1}, {(0, 1): 1}], 2, -1), "expected"),
])
def test_monodromy_rejects_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        monodromy_solve(*args)


def test_zero_expected_and_options_validated():
    sol = monodromy_solve([{(1,): 1, (0,): -1}], 1, 0)
    assert len(sol.points) == 0 and sol.complete_count
    with pytest.raises(ValueError, match="timeout"):
        monodromy_solve([{(1,): 1, (0,): -1}], 1, 1, timeout=0)
    assert TrackOptions().max_steps > 0
