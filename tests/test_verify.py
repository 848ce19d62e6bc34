"""The verification over Q of a lifted RUR (grobnet.exact.verify): both proofs of check 4
(exact Horner expansion, multimodular CRT of the quotients) accept a correct RUR and
reject a corrupted one; the a-priori bound of the multimodular proof dominates the exact
numerator; the CRT of the multimodular proof."""
from __future__ import annotations

import random
import time
from math import lcm

import flint
import pytest

from grobnet.engine.convert import as_system, integer_input
from grobnet.errors import TimeoutExceeded
from grobnet.exact import verify as V
from grobnet.exact.rur_lift import rational_rur
from grobnet.exact.verify import exact_numerator, numerator_bound, verify_rur

SYSTEMS = {
    "circle": (["x^2 + y^2 - 4", "x*y - 1"], "xy", (0, 1)),
    "circle5": (["x^2 + y^2 - 5", "x*y - 1"], "xy", (0, 1)),
    "three": (["x^2 + y^2 + z^2 - 6", "x*y + z - 3", "x + y*z - 2"], "xyz", (1, 1, 1)),
    "cubic": (["x^3 - 2*x*y + 3", "y^2 - x - 7"], "xy", (0, 1)),
}


def _rur(name, form=None):
    eqs, names, default_form = SYSTEMS[name]
    polys = as_system(eqs, list(names)).polys
    rur = rational_rur(polys, seed=7, linear_form=form or default_form, verify=False)
    assert rur.complete
    _, ints = integer_input(as_system(eqs, list(names)))
    return rur, ints


def _args(rur):
    return rur.elim, rur.denominator, rur.numerators, rur.linear_form


def _bump(g, common):
    """``g`` with its constant coefficient moved by ``1/common``: one unit in the last
    place of the integer parametrization."""
    return g + flint.fmpq_poly([flint.fmpq(1, common)])


def _common(rur):
    return lcm(*(int(flint.fmpq_poly(g).denom()) for g in [rur.denominator, *rur.numerators]))


@pytest.mark.parametrize("name", ["circle", "three", "cubic"])
@pytest.mark.parametrize("method", ["exact", "modular"])
def test_a_correct_rur_is_proven(name, method):
    rur, ints = _rur(name)
    out = verify_rur(*_args(rur), ints, method=method)
    assert out.ok, out.reason
    assert out.solutions == rur.n_solutions == rur.elim.degree()
    if method == "modular":
        assert out.stats["modular_equations"] == len(ints) and out.stats["exact_equations"] == 0
        assert out.stats["modulus_bits"] > out.stats["bound_bits"]
    else:
        assert out.stats["exact_equations"] == len(ints)


@pytest.mark.parametrize("name", ["circle", "three", "cubic"])
@pytest.mark.parametrize("method", ["exact", "modular"])
def test_a_coefficient_changed_by_one_unit_is_rejected(name, method):
    rur, ints = _rur(name)
    common = _common(rur)
    # a variable outside the linear form: only check 4 can see the change
    i = [k for k, c in enumerate(rur.linear_form) if c == 0]
    i = i[0] if i else 0
    nums = list(rur.numerators)
    nums[i] = _bump(nums[i], common)
    out = verify_rur(rur.elim, rur.denominator, nums, rur.linear_form, ints, method=method)
    assert not out.ok
    assert "does not vanish" in out.reason or "linear form" in out.reason
    if method == "modular" and "does not vanish" in out.reason:
        assert "remainder modulo a prime" in out.reason      # a remainder mod p refutes
    # the eliminating polynomial moved by one unit
    E = V._primitive(rur.elim)
    bad = flint.fmpq_poly(E + 1)
    out = verify_rur(bad, rur.denominator, rur.numerators, rur.linear_form, ints, method=method)
    assert not out.ok


@pytest.mark.parametrize("method", ["exact", "modular"])
def test_the_rur_of_another_system_is_rejected(method):
    other, _ = _rur("circle5")
    _, ints = _rur("circle")
    out = verify_rur(*_args(other), ints, method=method)
    assert other.elim.degree() == 4
    assert not out.ok and "does not vanish" in out.reason
    if method == "modular":
        assert "remainder modulo a prime" in out.reason


def test_symmetric_crt():
    rng = random.Random(11)
    primes = [p for p in range(10 ** 6, 10 ** 6 + 400) if flint.fmpz(p).is_prime()][:8]
    M = 1
    for p in primes:
        M *= p
    want = [rng.randint(-(M // 2) + 1, M // 2) for _ in range(9)]
    S, modulus = V._symmetric_crt([[c % p for c in want] for p in primes], primes)
    assert modulus == M and S == flint.fmpz_poly(want)


@pytest.mark.parametrize("name", ["circle", "three", "cubic"])
def test_the_bound_dominates_the_exact_numerator(name):
    rur, ints = _rur(name)
    bounds = numerator_bound(rur.denominator, rur.numerators, rur.linear_form, ints)
    Q, P = V._integer_parametrization(rur.denominator, rur.numerators)
    factors, n, direct = V._factors(Q, P, rur.linear_form)
    for j, f in enumerate(ints):
        N = exact_numerator(rur.denominator, rur.numerators, rur.linear_form, ints, j)
        top = max((abs(int(c)) for c in N.coeffs()), default=0)
        one = sum(abs(int(c)) for c in N.coeffs())
        assert bounds[j] >= one >= top and bounds[j] > 0
        # the two expansions of N_f (straight-line program, Horner) agree
        assert V._horner(V._horner_terms(f, len(factors), n, direct), factors,
                         lambda a, b: a * b) == N


def test_the_bound_on_hand_made_factors():
    # f = 3 x0^2 x1 - 5 x1 + 7 with x_i = P_i / Q: N = 3 P0^2 P1 - 5 P1 Q^2 + 7 Q^3
    P0 = flint.fmpq_poly([2, -3, 1])
    P1 = flint.fmpq_poly([-1, 0, 4])
    Q = flint.fmpq_poly([5, 1])
    f = {(2, 1): 3, (0, 1): -5, (0, 0): 7}
    N = 3 * P0 ** 2 * P1 - 5 * P1 * Q ** 2 + 7 * Q ** 3
    assert exact_numerator(Q, [P0, P1], (1, 1), [f], 0) == N.numer()
    bound = numerator_bound(Q, [P0, P1], (1, 1), [f])[0]
    assert bound == 3 * 6 ** 2 * 5 + 5 * 5 * 6 ** 2 + 7 * 6 ** 3
    assert bound >= max(abs(int(c)) for c in N.numer().coeffs())


@pytest.mark.parametrize("method", ["exact", "modular"])
def test_high_degree_products_are_reduced_and_still_proven(monkeypatch, method):
    monkeypatch.setattr(V, "REDUCE_FACTOR", 1)
    rur, ints = _rur("three")
    out = verify_rur(*_args(rur), ints, method=method)
    assert out.ok, out.reason
    assert out.stats["exact_equations"] >= 1      # reduced over Q: the exact route
    nums = list(rur.numerators)
    nums[0] = _bump(nums[0], _common(rur))
    assert not verify_rur(rur.elim, rur.denominator, nums, rur.linear_form, ints,
                          method=method).ok


@pytest.mark.parametrize("method", ["exact", "modular"])
def test_a_passed_deadline_raises(method):
    rur, ints = _rur("three")
    with pytest.raises(TimeoutExceeded, match="timeout=1"):
        verify_rur(*_args(rur), ints, method=method, deadline=time.monotonic() - 1, timeout=1)


def test_unknown_method():
    rur, ints = _rur("circle")
    with pytest.raises(ValueError, match="method"):
        verify_rur(*_args(rur), ints, method="fast")


def test_near_univariate_input_takes_its_heavy_variable_as_form():
    """x^500 - 1, y - x^3 - 2: t = x (degree 500) rather than the last variable, so the
    verification substitutes x^500 directly (was ~20 s through the parametrisation)."""
    import flint

    import grobnet
    from grobnet.exact.rur_lift import first_form_variable
    R = flint.fmpq_mpoly_ctx.get(("x", "y"), "degrevlex")
    x, y = R.gens()
    assert first_form_variable([{(500, 0): 1, (0, 0): -1}, {(0, 1): 1, (3, 0): -1}], 2) == 0
    assert first_form_variable([{(2, 0): 1}, {(0, 2): 1}], 2) == 1      # ties: the last
    sols = grobnet.solve([x**500 - 1, y - x**3 - 2], method="exact", seed=1)
    assert sols.complete and sols.degree == 500 and len(sols.real) == 2
    assert tuple(int(c) for c in sols.rur.linear_form) == (1, 0)


def test_halves_multiply_and_add_like_the_polynomials():
    rng = random.Random(5)
    for _ in range(20):
        g, h = (flint.fmpz_poly([rng.randint(-9, 9) for _ in range(rng.randint(1, 9))])
                for _ in range(2))
        G, H = V._Halves.split(g), V._Halves.split(h)

        def join(X):
            # sum_a t^a H_a(t^2)
            return sum((flint.fmpz_poly([c for x in k.coeffs() for c in (x, 0)]).left_shift(a)
                        for a, k in X.parts.items()), flint.fmpz_poly(0))
        assert join(G * H) == g * h and join(G + H) == g + h
        assert (G * H).degree() == (g * h).degree()


@pytest.mark.parametrize("name", ["circle", "three"])
def test_the_sign_symmetric_route_agrees_with_the_plain_one(monkeypatch, name):
    """circle (t = y; (x, y) -> (-x, -y)) has a sign symmetry in E and every factor,
    three has none.  With the symmetry, check 4 runs on the halves t^a H(t^2); a change that
    keeps the parity (an odd coefficient of an odd numerator) is still rejected, and the
    outcome is the one of the plain expansion."""
    rur, ints = _rur(name)
    Q, P = V._integer_parametrization(rur.denominator, rur.numerators)
    E = V._primitive(rur.elim)
    symmetric = V._parity(E) is not None and all(V._parity(g) is not None for g in [Q, *P])
    assert symmetric == (name == "circle")
    common = _common(rur)
    cases = [rur.numerators]
    for i, g in enumerate(rur.numerators):
        a = V._parity(flint.fmpq_poly(g).numer())
        bump = flint.fmpq_poly([0] * (2 if a == 0 else 1) + [flint.fmpq(1, common)])
        cases.append([*rur.numerators[:i], g + bump, *rur.numerators[i + 1:]])
    outcomes = [verify_rur(rur.elim, rur.denominator, nums, rur.linear_form, ints).reason
                for nums in cases]
    assert outcomes[0] == "" and all(o for o in outcomes[1:])
    # circle: x is outside the form, only check 4 sees its change
    assert any("does not vanish" in o for o in outcomes) == symmetric
    monkeypatch.setattr(V, "_parity", lambda g: None)
    assert outcomes == [verify_rur(rur.elim, rur.denominator, nums, rur.linear_form,
                                   ints).reason for nums in cases]
