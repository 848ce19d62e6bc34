"""Truth of ``complete=True`` (issue 16): adversarial systems built against the prime choice.

The old code drew every prime from the public stream ``PrimeStream(seed=0)`` and screened
only leading coefficients, so inputs whose coefficients were divisible by its first primes
(products of the first two or eight of them, ``N/(N+1)``, unlucky primes hiding a curve)
got wrong answers marked complete.  Here every such system must get, from the default
calls, either the right answer -- checked against sympy's Groebner bases (dimension,
degree) and msolve (real solutions) -- or ``complete=False`` with a reason.  Never a wrong
answer marked complete.
"""
import itertools
import time

import flint
import pytest
import sympy

import grobnet
from grobnet.common.guarantee import Decision, Guarantee
from grobnet.common.primes import PRIMES_IN_RANGE, PrimeStream
from grobnet.exact.msolve_output import run_msolve
from grobnet.exact.probe import probe_dimension
from grobnet.exact.verify import verify_rur
from grobnet.frontend import L2, Network
from grobnet.frontend.system import PolynomialSystem

#: The primes the old fixed stream handed out first (``random.Random(0)``; the stream
#: with ``label=None`` is that generator, unchanged).
OLD = PrimeStream(seed=0).take(8)
N2 = OLD[0] * OLD[1]
N8 = 1
for _p in OLD:
    N8 *= _p


def _adversarial():
    """name -> (equations, variables): each fooled the old code (see the module docstring)."""
    cases = {}
    for tag, N in (("N2", N2), ("N8", N8)):
        # modulo the old primes: the unit ideal ("no solution"); over Q: x^3 = N, 3 solutions
        cases[f"unit_{tag}"] = ([f"x^2 - {N}*y", "x*y - 1"], "xy")
        # modulo them: 4 solutions; over Q: 2 (the third equation is N(x - y) mod the rest)
        cases[f"extra_{tag}"] = (["x^2 - 1", "y^2 - 1", f"x^2 - 1 + {N}*x - {N}*y"], "xy")
        cases[f"frac_{tag}"] = (["x^2 - 1", "y^2 - 1", f"x^2 - 1 + {N}/{N + 1}*(x - y)"], "xy")
        # square: modulo them 2 solutions, over Q 4 (the hybrid route certified 2 of them)
        cases[f"lost_{tag}"] = (["x^2 - 1", f"x*y - 1 + {N}*(y^2 - 1)"], "xy")
        # modulo them a curve, over Q finite
        cases[f"posdim_{tag}"] = (["x^2 - 1", f"x*(x - 1) + {N}*(y^2 - 2)"], "xy")
    # a curve hidden behind unlucky primes that divide no coefficient: (a y - z, y - z + 1)
    # is the unit ideal modulo every prime dividing a - 1, a line over Q
    for tag, a in (("p1", OLD[0] + 1), ("p1p2", N2 + 1)):
        line = [f"{a}*y - z", "y - z + 1"]
        point = ["x - 1", "y - 2", "z - 3"]
        cases[f"curve_{tag}"] = ([f"({j})*({k})" for j in line for k in point], "xyz")
    return cases


CASES = _adversarial()


def _sympy_truth(eqs, names):
    """(dimension flag, degree): -1 no solution, 0 finite with its degree (counted from the
    leading monomials of sympy's grevlex basis), 1 positive-dimensional."""
    gens = sympy.symbols(list(names))
    G = sympy.groebner([sympy.sympify(e.replace("^", "**")) for e in eqs], *gens,
                       order="grevlex")
    if list(G.exprs) == [1]:
        return -1, 0
    if not G.is_zero_dimensional:
        return 1, None
    lms = [sympy.Poly(g, *gens).monoms(order="grevlex")[0] for g in G.exprs]
    bound = [max(m[i] for m in lms if all(m[j] == 0 for j in range(len(gens)) if j != i))
             for i in range(len(gens))]
    count = sum(1 for e in itertools.product(*(range(b) for b in bound))
                if not any(all(e[i] >= m[i] for i in range(len(gens))) for m in lms))
    return 0, count


def _sympy_real_count(eqs, names):
    """Real solutions from sympy's lex basis in shape position (x_i - h_i(t), g(t)):
    the real roots of g.  ``None`` when the basis is not in that shape."""
    gens = sympy.symbols(list(names))
    G = sympy.groebner([sympy.sympify(e.replace("^", "**")) for e in eqs], *gens, order="lex")
    *others, last = [sympy.Poly(g, *gens) for g in G.exprs]
    if len(others) != len(gens) - 1 or last.free_symbols - {gens[-1]}:
        return None
    if any(g.degree(gens[i]) != 1 or not sympy.Poly(g.as_expr(), gens[i]).LC().is_number
           for i, g in enumerate(others)):
        return None
    return len(sympy.real_roots(sympy.Poly(last.as_expr(), gens[-1])))


def _msolve_real_count(eqs, names, msolve, tmp_path):
    """Real solutions by msolve; sympy (shape position) where msolve fails (its root
    refinement aborts on some of these 250-bit coefficients)."""
    import subprocess
    from grobnet.engine.convert import integer_input
    variables, ints = integer_input(eqs, list(names))
    ctx = flint.fmpz_mpoly_ctx.get(variables, "degrevlex")
    text = ",".join(variables) + "\n0\n" + ",\n".join(str(ctx.from_dict(f)).replace("**", "^")
                                                       for f in ints) + "\n"
    path = tmp_path / "system.ms"
    path.write_text(text)
    try:
        return len(run_msolve(str(path), command=msolve, timeout=120).real)
    except subprocess.CalledProcessError:
        count = _sympy_real_count(eqs, names)
        assert count is not None, "neither msolve nor sympy's shape basis gave an oracle"
        return count


def _assert_true_or_flagged(s, truth, real_count=None):
    """The one property: complete answers are right, others say why."""
    if not s.complete:
        assert s.reason, "an incomplete answer must say why"
        return
    dim, degree = truth
    assert (-1 if s.dimension < 0 else 0 if s.dimension == 0 else 1) == dim
    if dim == 0:
        assert s.degree == degree
        if real_count is not None and s.real is not None:
            assert len(s.real) == real_count
    assert s.guarantee is not None and s.guarantee.kind in ("proof", "monte-carlo")


def test_the_old_streams_primes_are_what_the_attack_used():
    assert all(2 ** 30 <= p < 2 ** 31 and flint.fmpz(p).is_prime() for p in OLD)
    assert OLD[:2] == [1277389331, 2024418569]


@pytest.mark.parametrize("name", sorted(CASES))
def test_adversarial_systems_exact_route(name, msolve, tmp_path):
    eqs, names = CASES[name]
    truth = _sympy_truth(eqs, names)
    real = _msolve_real_count(eqs, names, msolve, tmp_path) if truth[0] == 0 else None
    s = grobnet.solve(_system(eqs, names), method="exact")
    _assert_true_or_flagged(s, truth, real)
    # the old primes are screened out: they divide a coefficient (or are unlucky but never
    # drawn by a fresh seed)
    assert not set(OLD) & set(s.stats.get("probe_primes", []))


@pytest.mark.parametrize("name", sorted(n for n in CASES if n.startswith("lost")))
def test_adversarial_square_systems_hybrid_route(name, msolve, tmp_path):
    eqs, names = CASES[name]
    truth = _sympy_truth(eqs, names)
    assert truth == (0, 4)
    s = grobnet.solve(_system(eqs, names), method="hybrid", complex=True)
    _assert_true_or_flagged(s, truth, _msolve_real_count(eqs, names, msolve, tmp_path))
    assert s.complete and len(s.complex) == 4


def _system(eqs, names):
    from grobnet.engine.convert import as_system
    return as_system(eqs, list(names)).polys


def test_a_prime_dividing_any_coefficient_or_denominator_is_never_used():
    seed = 12345
    wanted = PrimeStream(seed, label="probe").take(3)
    # the probe's first three primes divide a non-leading coefficient, a denominator
    # and a coefficient of the cleared polynomial: all three are skipped
    eqs = [f"x^2 + {wanted[0]}*y - 1", f"y^2 - x/{wanted[1]} - {wanted[2]}/7"]
    s = grobnet.solve(_system(eqs, "xy"), seed=seed)
    used = set(s.stats["probe_primes"]) | set(s.rur.primes) | set(s.rur.check_primes)
    assert not used & set(wanted)


def test_seed_replays_a_run_and_none_draws_a_fresh_one():
    eqs = _system(["x^2 + y^2 - 4", "x*y - 1"], "xy")
    a = grobnet.solve(eqs)
    b = grobnet.solve(eqs)
    assert a.stats["seed"] != b.stats["seed"]
    assert a.stats["probe_primes"] != b.stats["probe_primes"]
    c = grobnet.solve(eqs, seed=a.stats["seed"])
    assert c.stats["probe_primes"] == a.stats["probe_primes"]
    assert c.rur.primes == a.rur.primes and c.rur.linear_form == a.rur.linear_form


def test_the_probe_decides_with_two_independent_primes():
    from grobnet.engine.convert import integer_input
    names, ints = integer_input(["x^2 - 2", "y^2 - 3"])
    probe = probe_dimension(ints, 2)
    assert len(probe.images) == 2 and probe.images[0].prime != probe.images[1].prime
    assert all(im.how in ("learned", "checked", "confirmed", "plain") for im in probe.images)
    assert probe.images[0].leading == probe.images[1].leading


# ----------------------------------------------------------------------- verification
def test_exact_route_answers_are_verified_over_q():
    s = grobnet.solve(_system(["x^2 + y^2 - 4", "x*y - 1", ], "xy"))
    assert s.complete and s.rur.verified is True and "verification_time" in s.stats
    assert s.guarantee.kind == "monte-carlo"
    assert any("exact substitution" in p for p in s.guarantee.proven)


def test_verification_rejects_a_wrong_parametrization():
    s = grobnet.solve(_system(["x^2 - 2", "y - x - 1"], "xy"))
    r = s.rur
    from grobnet.engine.convert import integer_input
    _, ints = integer_input(_system(["x^2 - 2", "y - x - 1"], "xy"))
    ok = verify_rur(r.elim, r.denominator, r.numerators, r.linear_form, ints)
    assert ok.ok and ok.solutions == 2
    wrong = [r.numerators[0] + flint.fmpq_poly([1, 0]), r.numerators[1]]
    bad = verify_rur(r.elim, r.denominator, wrong, r.linear_form, ints)
    assert not bad.ok and "does not vanish" in bad.reason or "linear form" in bad.reason
    assert not verify_rur(r.elim ** 2, r.denominator, r.numerators, r.linear_form, ints).ok


def test_a_wrong_lift_is_reported_incomplete(monkeypatch):
    """If the lift reconstructs a wrong RUR, the substitution over Q catches it."""
    from grobnet.exact import rur_lift
    real_lift = rur_lift._lift

    def corrupt(*args, **kw):
        loop = real_lift(*args, **kw)
        if loop.polys is not None:
            last = loop.polys[-1]
            k = next(iter(last))
            last[k] = last[k] + 1
        return loop

    monkeypatch.setattr(rur_lift, "_lift", corrupt)
    s = grobnet.solve(_system(["x^2 + y^2 - 4", "x*y - 1"], "xy"), method="exact")
    assert not s.complete and "verification over Q failed" in s.reason


def test_every_answer_is_checked_against_the_input(monkeypatch):
    from dataclasses import replace
    from grobnet.exact.rur_lift import RationalUnivariateRepresentation
    real = RationalUnivariateRepresentation.real_solutions

    def moved(self, digits=30, **kw):
        sols = real(self, digits, **kw)
        return [replace(sols[0], intervals=tuple(a + 1 for a in sols[0].intervals)), *sols[1:]]

    monkeypatch.setattr(RationalUnivariateRepresentation, "real_solutions", moved)
    s = grobnet.solve(_system(["x^2 - 2", "y - x - 1"], "xy"))
    assert not s.complete and "Solutions.check failed" in s.reason


# --------------------------------------------------------------------------- guarantee
def test_the_monte_carlo_bound():
    d = Decision("degree 4", agreeing=2, draws=5, pool=PRIMES_IN_RANGE)
    assert d.coefficient() == pytest.approx(10 / PRIMES_IN_RANGE ** 2)
    g = Guarantee("monte-carlo", "x", (d,))
    assert g.error_bound() == pytest.approx(3.9e-15, rel=0.01)
    assert "u^2" in g.short() and "unlucky" in str(g)
    assert Guarantee("proof", "y").error_bound() == 0
    with pytest.raises(ValueError):
        Guarantee("probably", "z")


def test_guarantee_shows_in_repr_summary_and_json(tmp_path):
    import json
    from grobnet.cli import main
    s = grobnet.solve(_system(["x^2 - 2", "y^2 - 3"], "xy"))
    assert "monte-carlo" in repr(s) and "guarantee:" in s.summary()
    out = tmp_path / "out.txt"
    with open(out, "w") as fh:
        main(["solve", "--net", "1,1,1", "--data", "random:3:1", "--reg", "l2", "--json"],
             out=fh)
    payload = json.loads(out.read_text())
    assert payload["guarantee"]["kind"] in ("proof", "monte-carlo")
    assert payload["seed"] is not None and payload["order_check"]["agrees"] is True


# ------------------------------------------------------------------------------ proof
def test_proof_makes_small_answers_proofs():
    s = grobnet.solve(_system(["x^2 + y^2 - 4", "x*y - 1"], "xy"), proof=True)
    assert s.complete and s.guarantee.kind == "proof" and s.guarantee.error_bound() == 0
    assert s.stats["proof"]["proven"]
    none = grobnet.solve(_system(CASES["unit_N2"][0][:1] + ["x - 1", "x - 2"], "xy"),
                         proof=True)
    assert none.dimension == -1 and none.guarantee.kind == "proof"


def test_proof_of_the_hidden_curve():
    eqs, names = CASES["curve_p1"]
    s = grobnet.solve(_system(eqs, names), proof=True)
    assert s.dimension == 1 and not s.complete and s.guarantee.kind == "proof"


def test_proof_that_is_too_expensive_says_so():
    s = grobnet.solve(_system(["x^2 + y^2 - 4", "x*y - 1"], "xy"), proof=True,
                      proof_timeout=1e-9)
    assert s.complete and s.guarantee.kind == "monte-carlo"
    assert "proof=True" in s.guarantee.note


def test_proof_module_rejects_the_inhomogeneous_counterexample():
    """Arnold's check without homogenization would accept G = {x} for this input."""
    from grobnet.engine.convert import integer_input
    from grobnet.exact.proof import prove_dimension_degree
    q = OLD[0]
    names, ints = integer_input(_system([f"x*({q + 1}*y - z)", "x*(y - z + 1)"], "xyz"))
    res = prove_dimension_degree(ints, names)
    truth = _sympy_truth([f"x*({q + 1}*y - z)", "x*(y - z + 1)"], "xyz")
    assert res.proven and res.dimension == 2 and truth[0] == 1


# ------------------------------------------------------------------- critical points
def _loss_system(expr, names):
    ctx = flint.fmpq_mpoly_ctx.get(tuple(names), "degrevlex")
    gens = sympy.symbols(list(names))
    poly = sympy.Poly(sympy.sympify(expr), *gens)
    L = ctx.from_dict({m: flint.fmpq(int(c.p), int(c.q)) for m, c in poly.terms()})
    return PolynomialSystem(tuple(names), [L.derivative(v) for v in names], loss=L)


def test_critical_points_of_the_issues_loss():
    """``x^2 y - 2x + (2147483629/2) y^2``: the old one-prime probe said "no critical
    point, complete"; sympy: three, one real."""
    system = _loss_system("x**2*y - 2*x + 2147483629/2*y**2", "xy")
    truth = _sympy_truth([str(f) for f in system.equations], "xy")
    cp = grobnet.critical_points(system)
    assert truth == (0, 3)
    assert cp.complete and cp.dimension == 0 and cp.degree == 3 and len(cp.points) == 1
    assert cp.stats["order_check"]["agrees"] is True
    # cubic in x: unbounded below, so the one point is only the lowest, not a minimum
    assert not cp.global_minima and cp.points[0].lowest
    assert "global minimum" not in cp.summary() and "lowest critical point" in cp.summary()


@pytest.mark.parametrize("expr,names", [("x**3 - 3*x", "x"), ("x**3 - x*y + y**2", "xy")])
def test_unbounded_losses_have_no_global_minimum(expr, names):
    cp = grobnet.critical_points(_loss_system(expr, names))
    assert cp.complete and len(cp.points) == 2
    assert not cp.global_minima and any(p.lowest for p in cp.points)
    assert "<- global minimum" not in cp.summary()


def test_a_coercive_loss_gets_its_global_minimum():
    net = Network([1, 1, 1], activation="identity")
    data = ([[-1], [0], [1]], [[1], [0], [1]])
    cp = grobnet.critical_points(net, data, reg=L2(flint.fmpq(1, 10)))
    assert cp.complete and cp.global_minima
    assert all(p.lowest for p in cp.global_minima)
    assert "<- global minimum" in cp.summary()


def test_the_order_cross_check_flags_a_disagreement(monkeypatch):
    import importlib
    cp_module = importlib.import_module("grobnet.analysis.critical_points")

    def disagreeing(system, dimension, degree, **kw):
        return {"order": "random:x", "permutation": [1, 0], "dimension": dimension,
                "degree": degree + 1, "agrees": False, "status": "DISAGREES"}

    monkeypatch.setattr(cp_module, "probe_cross_check", disagreeing)
    cp = grobnet.critical_points(_loss_system("x**4 + y**4 - x*y", "xy"))
    assert not cp.complete and "order cross-check" in cp.reason
    assert not cp.global_minima


# ------------------------------------------------------------------------- time, boxes
def test_timeout_is_honoured_in_complex_root_isolation():
    ctx = flint.fmpz_mpoly_ctx.get(("x",), "degrevlex")
    x, = ctx.gens()
    f = x ** 2 + 1
    for i in range(1, 201):
        f = f * (x - i)
    t0 = time.monotonic()
    s = grobnet.solve([f], complex=True, digits=100, timeout=3)
    elapsed = time.monotonic() - t0
    assert elapsed < 6, elapsed                # FLINT alone takes 9 s and more here
    assert not s.complete and "timeout" in s.reason


def test_complex_boxes_are_pairwise_disjoint():
    from grobnet.common.boxes import pairwise_disjoint
    # roots 1 +- 1e-30 i, and the same two points in a second coordinate
    eqs = _system(["10^60*x^2 - 2*10^60*x + 10^60 + 1", "y - x^2"], "xy")
    s = grobnet.solve(eqs, complex=True)
    assert s.complete and len(s.complex) == 2 and pairwise_disjoint(s.complex)


# -------------------------------------------------------------------------- slow extras
@pytest.mark.parametrize("k", [2, 3, 4, 5])
def test_adversarial_products_of_more_old_primes(k, msolve, tmp_path):
    N = 1
    for p in OLD[:k]:
        N *= p
    for eqs in (["x^2 - 1", "y^2 - 1", f"x^2 - 1 + {N}*x - {N}*y"],
                [f"x^2 - {N}*y", "x*y - 1"], ["x^2 - 1", f"x*y - 1 + {N}*(y^2 - 1)"]):
        truth = _sympy_truth(eqs, "xy")
        for method in ("exact", "auto"):
            s = grobnet.solve(_system(eqs, "xy"), method=method)
            _assert_true_or_flagged(s, truth, _msolve_real_count(eqs, "xy", msolve, tmp_path))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["katsura6", "cyclic5"])
def test_proof_of_benchmark_systems(name, systems_dir):
    system = grobnet.read_msolve(str(systems_dir / f"{name}.ms"))
    s = grobnet.solve(system, proof=True, proof_timeout=300)
    assert s.complete and s.guarantee.kind == "proof", s.guarantee
