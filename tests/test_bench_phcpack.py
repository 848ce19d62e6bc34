"""PHCpack as a benchmark peer: its input writer, its output parser, and a live run.

The parser is checked on the summary blocks PHCpack writes (the black box solves the
solutions with zero coordinates as a separate list, whose counts must be added); the
live run (skipped without ``phc``: Debian package ``phcpack``) compares PHCpack's
counts on katsura-6 with the known ones (64 complex solutions, 32 real), with the
engine's fixed seed (PHCpack's clock seed once lost one of the 64 paths in CI).
"""
import sys
from pathlib import Path

import flint
import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

import engines  # noqa: E402
import systems  # noqa: E402

SUMMARY = """A list of {n} solutions has been refined :
Number of regular solutions     : {reg}.
Number of singular solutions    : {sing}.
Number of real solutions        : {real}.
Number of complex solutions     : {cplx}.
Number of clustered solutions   : 0.
Number of solutions at infinity : {inf}.
Number of failures              : 0.
"""


def test_input_renames_variables_and_keeps_integer_coefficients():
    ctx = flint.fmpz_mpoly_ctx.get(("w1_0_0", "b1_0"), "degrevlex")
    a, b = ctx.gens()
    text = engines.phc_input([3 * a ** 2 * b - b + 12, -a], 2)
    assert text.splitlines() == ["2 2", "3*x1^2*x2 - x2 + 12;", "- x1;"]


def test_parser_adds_the_lists_of_one_run():
    out = ("ROOT COUNTS :\n" + SUMMARY.format(n=10, reg=10, sing=0, real=8, cplx=2, inf=0)
           + "\nTHE SOLUTIONS :\n" + SUMMARY.format(n=54, reg=53, sing=1, real=24, cplx=30, inf=0))
    assert engines.parse_phc(out) == {"regular": 63, "singular": 1, "real": 32, "complex": 32,
                                      "infinity": 0}
    with pytest.raises(engines.EngineFailed, match="no refined solution list"):
        engines.parse_phc("PHCpack crashed")


def test_runs_are_seeded_unless_asked_not_to_be():
    assert engines.get_engine("phcpack").seed == 1
    assert engines.PhcEngine(17891).command("in", "out")[1:] == ["-017891", "-b", "in", "out"]
    assert engines.PhcEngine(None).command("in", "out")[1:] == ["-b", "in", "out"]
    for bad in (-1, 2.5, "7"):
        with pytest.raises((ValueError, TypeError)):
            engines.PhcEngine(bad)


@pytest.mark.skipif(engines.phc_command() is None,
                    reason="PHCpack not installed (Debian package phcpack)")
def test_live_run_on_katsura6_finds_the_known_counts():
    k6 = next(s for s in systems.select("classic") if s.name == "katsura6")
    out = engines.get_engine("phcpack").solve(k6, timeout=120)
    assert out.fingerprint.degree == 64 and out.fingerprint.n_real == 32
    assert out.stats["seed"] == 1, "PHCpack did not use the seed it was given"
