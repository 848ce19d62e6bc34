"""Re-check every saved fuzzing regression in ``tests/data/fuzz_regressions``.

Each ``<label>.ms`` file is a minimised system on which grobnet once disagreed
with msolve, raised, or on which msolve contradicted itself (see that
folder's README).  Every file must now pass :func:`compare.compare`: status
``agree``, or ``oracle`` (msolve contradicts itself and grobnet agrees with
msolve under the other variable order).  Files listed in ``expected.json``
also carry facts derived by hand (number of distinct and real solutions,
rational points that must lie in a real box), which are checked against
``grobnet.solve`` directly, with or without msolve.

With an empty folder the parametrized test has no case and only
``test_folder_is_readable`` runs: the check passes vacuously then (the
README says so).
"""
import json
import pathlib
from fractions import Fraction

import pytest

from compare import _flint_system, _fmpq_parts, compare, load_regression, msolve_available

FOLDER = pathlib.Path(__file__).resolve().parents[1] / "data" / "fuzz_regressions"
FILES = sorted(FOLDER.glob("*.ms"))
EXPECTED = json.loads((FOLDER / "expected.json").read_text()) \
    if (FOLDER / "expected.json").is_file() else {}


def test_folder_is_readable():
    assert FOLDER.is_dir()
    for label in EXPECTED:
        assert (FOLDER / f"{label}.ms").is_file(), f"expected.json names a missing file {label}"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_regression(path):
    label, variables, equations = load_regression(path)
    have_msolve = msolve_available()
    res = compare((label, variables, equations), timeout=120, use_msolve=have_msolve)
    assert res.status in ("agree", "oracle"), res
    if not have_msolve and label not in EXPECTED:
        pytest.skip("msolve absent and no hand-derived facts for this file")


def _contains(ball, q: Fraction) -> bool:
    """Whether the arb ``ball`` contains the rational ``q``, decided exactly (converting ``q``
    to an arb would round it at the working precision, wider than a 30-digit box)."""
    mid, rad = (Fraction(*_fmpq_parts(x)) for x in (ball.mid(), ball.rad()))
    return abs(q - mid) <= rad


@pytest.mark.parametrize("label", sorted(EXPECTED))
def test_hand_derived_facts(label):
    import grobnet

    facts = EXPECTED[label]
    _, variables, equations = load_regression(FOLDER / f"{label}.ms")
    sols = grobnet.solve(_flint_system(variables, equations))
    assert sols.complete and sols.dimension == 0, sols
    assert sols.rur.n_solutions == facts["distinct"], sols
    assert len(sols.real) == facts["real"], sols
    for point in facts.get("points", []):
        q = [Fraction(v) for v in point]
        inside = [s for s in sols.real if all(_contains(a, c) for a, c in zip(s.intervals, q))]
        assert len(inside) == 1, f"the solution {point} is in {len(inside)} real boxes"
