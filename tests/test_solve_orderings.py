"""``grobnet.solve(..., orderings=...)``: search, solve under the chosen order, map back, cross-check.

Oracles: systems whose solutions are known by hand, substitution of the certified
boxes (and of the RUR's parametrization) into the ORIGINAL polynomials, box overlaps
computed here (not by the module under test), and deliberately corrupted solves
that the cross-check must catch.
"""
import importlib

import flint
import pytest

import grobnet
from grobnet.errors import OrderingMismatch
from grobnet.exact.examples import ring
from grobnet.exact.rur_lift import RationalUnivariateRepresentation
from grobnet.frontend import GeneralizedL2, Network, gradient_system, xor
from grobnet.exact.orders import permuted_system
from grobnet.solver.orderings import compare_solutions, map_solutions, solve_with_orderings
from helpers import boxes_pair_up

#: the module whose ``solve_in_order`` (one solve under one variable order) the tests wrap
GIVEN_SOLVE = importlib.import_module("grobnet.solver.orderings")


def xor221():
    return gradient_system(Network([2, 2, 1], activation="identity"), xor(), reg=GeneralizedL2(seed=1))


def names_both_orders(err, a, b):
    msg = str(err.value)
    assert a in msg and b in msg and "bug or a missed solution" in msg, msg


def test_hand_solvable_system_maps_back_under_every_order():
    # x = 1, y^2 = 4, z = x + y  ->  (1, 2, 3) and (1, -2, -1), in the ORIGINAL variable order
    ctx, (x, y, z) = ring(["x", "y", "z"])
    polys = [x - 1, y ** 2 - 4, z - x - y]
    for orderings in (["reversed"], [["z", "x", "y"]], [[1, 2, 0]], "auto", 3):
        s = grobnet.solve(polys, orderings=orderings)
        assert s.complete and s.variables == ("x", "y", "z") and s.degree == 2
        got = sorted(tuple(round(v) for v in sol.floats()) for sol in s.real)
        assert got == [(1, -2, -1), (1, 2, 3)], orderings
        for sol in s.real:
            exact = got[sol.floats()[1] > 0]
            assert all(a.contains(r) and a.rad() < 1e-25 for a, r in zip(sol.intervals, exact))
        for sol in s.real:
            assert sol.variables == ("x", "y", "z")
        assert s.check(polys)
        assert s.stats["ordering"]["cross_check"]["status"] == "agreed"


def test_rur_is_mapped_back_to_the_original_variables():
    # Substituting the mapped parametrization x_i = num_i(t)/den(t) into the original
    # polynomials must give 0 modulo elim(t); and t = sum(form_i * x_i) must hold too.
    ctx, (x, y, z) = ring(["x", "y", "z"])
    polys = [x ** 2 + y - 3, y * z - 2, x + z ** 2 - 5 * y]
    s = solve_with_orderings(polys, orderings=[[2, 0, 1]], linear_form=(1, 3, 7),
                             cross_check=False)
    rur = s.rur
    assert rur.variables == ("x", "y", "z") and tuple(rur.linear_form) == (1, 3, 7)
    assert s.stats["ordering"]["chosen_permutation"] == [2, 0, 1]
    elim, den, nums = rur.elim, rur.denominator, rur.numerators
    t = flint.fmpq_poly([0, 1])
    # t * den == sum form_i * num_i  (mod elim)
    assert (t * den - sum((c * q for c, q in zip((1, 3, 7), nums)), flint.fmpq_poly([]))) % elim == 0
    for f in polys:
        d = f.total_degree()
        acc = flint.fmpq_poly([])
        for m, c in zip(f.monoms(), f.coeffs()):
            term = flint.fmpq_poly([c]) * den ** (d - sum(m))
            for q, e in zip(nums, m):
                term *= q ** e
            acc += term
        assert acc % elim == 0
    assert s.check(polys)


def test_auto_agrees_with_given_on_a_regularized_xor_net():
    system = xor221()
    given = grobnet.solve(system)
    auto = grobnet.solve(system, orderings="auto")
    assert auto.complete and given.complete
    assert (auto.dimension, auto.degree) == (given.dimension, given.degree) == (0, 33)
    assert boxes_pair_up(auto.real, given.real)
    assert auto.check(system.equations)
    st = auto.stats["ordering"]
    assert st["chosen_order"] in [p["order"] for p in st["probes"]]
    assert len(st["probes"]) >= 5 and all(p["degree"] == 33 for p in st["probes"])
    assert all(p["seconds"] >= 0 for p in st["probes"]) and st["search_seconds"] >= 0
    cc = st["cross_check"]
    assert cc["status"] == "agreed" and cc["order"] != st["chosen_order"]
    assert cc["real_solutions"] == len(given.real) and cc["degree"] == 33


def test_complex_solutions_are_mapped_and_cross_checked():
    ctx, (x, y) = ring(["x", "y"])
    polys = [x ** 2 + 1, y - 2 * x]            # (i, 2i), (-i, -2i): no real solution
    s = grobnet.solve(polys, complex=True, orderings=["reversed", "given"])
    assert s.real == [] and len(s.complex) == 2 and s.variables == ("x", "y")
    for c in s.complex:
        xv, yv = c.intervals
        assert (yv - 2 * xv).contains(0) and (xv * xv + 1).contains(0)
    assert s.stats["ordering"]["cross_check"]["complex_solutions"] == 2


def test_no_solution_and_positive_dimension():
    ctx, (x, y) = ring(["x", "y"])
    s = grobnet.solve([x * y - 1, x], orderings="auto")
    assert s.dimension == -1 and s.real == [] and s.complete
    s = grobnet.solve([x * y, x * (y - 1)], orderings="auto")
    assert s.dimension == 1 and not s.complete and "positive-dimensional" in s.reason
    assert s.stats["ordering"]["cross_check"]["status"].startswith("skipped")


def test_one_variable_has_nothing_to_cross_check():
    ctx, (x,) = ring(["x"])
    s = grobnet.solve([x ** 2 - 2], orderings="auto")
    assert s.complete and len(s.real) == 2
    assert "one variable" in s.stats["ordering"]["cross_check"]["status"]


def _drop_real_solution_under(monkeypatch, variables):
    """Make the exact solve lose one real solution whenever it runs in ``variables`` order."""
    real_solutions = RationalUnivariateRepresentation.real_solutions

    def lossy(self, digits=30, **kw):
        sols = real_solutions(self, digits, **kw)
        return sols[1:] if tuple(self.variables) == tuple(variables) else sols

    monkeypatch.setattr(RationalUnivariateRepresentation, "real_solutions", lossy)


def test_a_solve_that_drops_a_real_solution_is_caught(monkeypatch):
    system = xor221()
    names = system.variables
    _drop_real_solution_under(monkeypatch, names[::-1])
    with pytest.raises(OrderingMismatch) as err:
        grobnet.solve(system, orderings=["given", list(names[::-1])])
    names_both_orders(err, "given [0, 1, 2, 3, 4, 5]", "user:1 [5, 4, 3, 2, 1, 0]")
    assert "3 against 2 real solutions" in str(err.value) or \
        "2 against 3 real solutions" in str(err.value)
    # the probes alone cannot see it: they only compare dimension and degree
    s = solve_with_orderings(system, orderings=["given", list(names[::-1])], cross_check=False)
    assert s.stats["ordering"]["chosen_order"] in ("given", "user:1")


def test_a_solve_with_a_moved_box_is_caught(monkeypatch):
    # same count, but one solution is somewhere else: every solve now checks its boxes
    # against the equations (Solutions.check), so the moved box is caught by the solve
    # under that order, and the cross-check does not confirm the answer
    from dataclasses import replace
    ctx, (x, y) = ring(["x", "y"])
    polys = [x ** 2 - 2, y - x - 1]
    real_solutions = RationalUnivariateRepresentation.real_solutions

    def shifted(self, digits=30, **kw):
        sols = real_solutions(self, digits, **kw)
        if self.variables == ("y", "x"):
            sols[0] = replace(sols[0], intervals=tuple(a + 1 for a in sols[0].intervals))
        return sols

    monkeypatch.setattr(RationalUnivariateRepresentation, "real_solutions", shifted)
    s = grobnet.solve(polys, orderings=["given", "reversed"])
    assert not s.complete and "Solutions.check failed" in s.reason
    # the comparison itself still refuses boxes that do not pair up
    a = grobnet.solve(polys)
    b = replace(a, real=[replace(a.real[0], intervals=tuple(v + 1 for v in a.real[0].intervals)),
                         *a.real[1:]])
    with pytest.raises(OrderingMismatch, match="do not pair up"):
        compare_solutions(a, b, "given [0, 1]", "reversed [1, 0]")


def test_a_solve_with_another_degree_is_caught(monkeypatch):
    ctx, (x, y) = ring(["x", "y"])
    polys = [x ** 2 - 2, y - x - 1]
    given_solve = GIVEN_SOLVE.solve_in_order

    def wrong_degree(polys, **kw):
        s = given_solve(polys, **kw)
        if s.variables == ("y", "x"):
            s.degree += 1
        return s

    monkeypatch.setattr(GIVEN_SOLVE, "solve_in_order", wrong_degree)
    with pytest.raises(OrderingMismatch, match=r"degree [23] against dimension 0, degree [23]") as err:
        grobnet.solve(polys, orderings=["given", "reversed"])
    names_both_orders(err, "given [0, 1]", "reversed [1, 0]")


def test_cross_check_off_runs_one_solve_and_says_so(monkeypatch):
    calls = []
    given_solve = GIVEN_SOLVE.solve_in_order

    def counting(polys, **kw):
        calls.append(polys[0].context().names())
        return given_solve(polys, **kw)

    monkeypatch.setattr(GIVEN_SOLVE, "solve_in_order", counting)
    ctx, (x, y) = ring(["x", "y"])
    s = solve_with_orderings([x ** 2 - 2, y - x - 1], orderings="auto", cross_check=False)
    assert len(calls) == 1 and s.complete and len(s.real) == 2
    assert s.stats["ordering"]["cross_check"]["status"].startswith("disabled")
    calls.clear()
    s = grobnet.solve([x ** 2 - 2, y - x - 1], orderings="auto")
    assert len(calls) == 2 and calls[0] != calls[1]


def test_unfinished_cross_check_is_not_complete(monkeypatch):
    given_solve = GIVEN_SOLVE.solve_in_order
    seen = []

    def second_cut(polys, **kw):
        s = given_solve(polys, **kw)
        seen.append(1)
        if len(seen) == 2:
            s.complete, s.reason = False, "timeout=1 s reached"
        return s

    monkeypatch.setattr(GIVEN_SOLVE, "solve_in_order", second_cut)
    ctx, (x, y) = ring(["x", "y"])
    s = grobnet.solve([x ** 2 - 2, y - x - 1], orderings=["given", "reversed"])
    assert not s.complete and "cross-check under order reversed did not finish" in s.reason
    assert len(s.real) == 2  # the answer is kept, flagged as unverified


def test_timeout_cuts_the_run_to_an_incomplete_answer(systems_dir):
    import time
    # probes of ~0.2 s each get 0.2 * 10 / 2 = 1 s; the lift (minutes) is cut.  The exact
    # route: the hybrid one (compiled monodromy, ~2 s here) now finishes within 10 s
    system = grobnet.read_msolve(systems_dir / "nn_121_sq_bias_l2.ms")
    t0 = time.monotonic()
    s = grobnet.solve(system, orderings=["given", "reversed"], timeout=10.0, method="exact")
    elapsed = time.monotonic() - t0
    assert not s.complete and s.reason and s.real is None
    assert s.dimension == 0 and s.degree == 465       # from the probes, both finished
    st = s.stats["ordering"]
    assert st["probe_timeout"] == pytest.approx(1.0)
    assert st["cross_check"]["status"].startswith("skipped")
    assert elapsed < 40


def test_a_tiny_timeout_never_gives_a_complete_answer(systems_dir):
    from grobnet.errors import TimeoutExceeded
    system = grobnet.read_msolve(systems_dir / "katsura8.ms")
    try:
        s = grobnet.solve(system, orderings="auto", timeout=0.05)
    except TimeoutExceeded as exc:     # cut before anything told the dimension
        assert "variable order" in "".join(getattr(exc, "__notes__", []))
    else:
        # nothing, or (the probe cut: degree unknown) the few solutions monodromy certified
        assert not s.complete and s.reason
        assert s.real is None or (s.degree is None and s.check(list(system.equations)))


def test_permuted_system():
    ctx, (x, y, z) = ring(["x", "y", "z"])
    from grobnet.engine.convert import integer_input
    names, ints = integer_input([x * y ** 2 - 65521 * z, x - flint.fmpq(1, 3)])
    zs = permuted_system(names, ints, (2, 0, 1))
    assert zs[0].context().names() == ("z", "x", "y")
    zz, xx, yy = zs[0].context().gens()
    assert zs[0] == xx * yy ** 2 - 65521 * zz and zs[1] == 3 * xx - 1


def test_map_solutions_rejects_a_wrong_permutation():
    ctx, (x, y) = ring(["x", "y"])
    s = grobnet.solve([x - 1, y - 2])
    with pytest.raises(ValueError, match="not the variables"):
        map_solutions(s, ("x", "y"), (1, 0))


def test_bad_options_are_clear_errors():
    ctx, (x, y) = ring(["x", "y"])
    with pytest.raises(ValueError, match="linear_form has 3 coefficients for 2 variables"):
        grobnet.solve([x - 1, y - 2], orderings="auto", linear_form=(1, 2, 3))
    with pytest.raises(ValueError, match="timeout must be positive"):
        grobnet.solve([x - 1, y - 2], orderings="auto", timeout=0)
    with pytest.raises(ValueError, match="orderings must be"):
        grobnet.solve([x - 1, y - 2], orderings="fastest")
    with pytest.raises(ValueError, match="cross_check must be"):
        solve_with_orderings([x - 1, y - 2], cross_check="twice")


def test_independent_cross_check_lets_the_second_solve_choose_its_form(monkeypatch):
    forms = []
    given_solve = GIVEN_SOLVE.solve_in_order

    def recording(polys, **kw):
        s = given_solve(polys, **kw)
        forms.append((kw["linear_form"], s.rur.linear_form, polys[0].context().names()))
        return s

    monkeypatch.setattr(GIVEN_SOLVE, "solve_in_order", recording)
    ctx, (x, y, z) = ring(["x", "y", "z"])
    polys = [x ** 2 + y - 3, y * z - 2, x + z ** 2 - 5 * y]
    s = solve_with_orderings(polys, orderings=["given", "reversed"])
    (_, first, _), (asked, second, names2) = forms
    assert names2 == ("z", "y", "x") and asked == tuple(first[::-1]) and second == asked
    assert s.stats["ordering"]["cross_check"]["mode"] == "same-form"
    forms.clear()
    s = solve_with_orderings(polys, orderings=["given", "reversed"], cross_check="independent")
    assert forms[1][0] is None and s.stats["ordering"]["cross_check"]["status"] == "agreed"
    assert s.stats["ordering"]["cross_check"]["mode"] == "independent"


def test_solve_passes_cross_check_through():
    import flint
    import grobnet
    ctx = flint.fmpq_mpoly_ctx.get(("x", "y"), "degrevlex")
    x, y = ctx.gens()
    sols = grobnet.solve([x**2 - 2, y**2 - 3], orderings="auto", cross_check=False,
                         executor="serial")
    assert sols.complete and len(sols.real) == 4
    assert sols.stats["ordering"]["cross_check"]["status"].startswith("disabled")
