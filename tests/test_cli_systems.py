"""The command line on polynomial system files: ``solve --system``, ``roots``, ``groebner``.

Oracles: solutions known in closed form (checked against the printed decimal
intervals with exact rational arithmetic), known degrees, sympy's reduced Groebner
bases, and the round trip of ``groebner -o`` through the msolve reader.
"""
import io
import json
import os
import subprocess
import sys
from fractions import Fraction

import pytest
import sympy

import grobnet
from grobnet import cli


def run(argv):
    out = io.StringIO()
    status = cli.main(argv, out=out)
    return status, out.getvalue()


def fails(argv, capsys, code=2):
    with pytest.raises(SystemExit) as info:
        cli.main(argv, out=io.StringIO())
    assert info.value.code == code
    return capsys.readouterr().err


@pytest.fixture
def ms(tmp_path):
    """Write an msolve-format file: ``ms("x,y", "x^2-2, y^2-3")``."""
    def write(variables, polys, characteristic=0, name="sys.ms"):
        path = tmp_path / name
        path.write_text(f"{variables}\n{characteristic}\n{polys}\n")
        return str(path)
    return write


# ---------------------------------------------------------------------------------------------
# argument level

def test_parser_reads_the_new_commands():
    p = cli.build_parser()
    a = p.parse_args(["solve", "--system", "k.ms", "--method", "exact", "--complex", "--json"])
    assert (a.system, a.method, a.complex, a.json) == ("k.ms", "exact", True, True)
    a = p.parse_args(["roots", "k.ms", "--digits", "12", "--seed", "3"])
    assert (a.file, a.digits, a.seed, a.method) == ("k.ms", 12, 3, "auto")
    a = p.parse_args(["groebner", "-", "--order", "grlex", "--blocks", "2,1", "-p", "7", "-o",
                      "gb.ms", "--leading-monomials"])
    assert (a.file, a.order, a.blocks, a.modulus, a.output, a.leading_monomials) == \
        ("-", "grlex", "2,1", 7, "gb.ms", True)


def test_help_names_every_command(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    text = capsys.readouterr().out
    for command in ("solve", "roots", "groebner", "system"):
        assert command in text


@pytest.mark.parametrize("extra, words", [
    (["--net", "2,1"], "--net describes a network problem"),
    (["--example", "xor", "--reg", "l2"], "--example, --reg describe a network problem"),
    (["--gauge", "fix-scale"], "--gauge describes"),
])
def test_system_and_network_options_do_not_mix(ms, capsys, extra, words):
    err = fails(["solve", "--system", ms("x", "x-1")] + extra, capsys)
    assert words in err


def test_method_needs_a_system(capsys):
    assert "apply to --system" in fails(["solve", "--example", "xor", "--method", "exact"],
                                         capsys)


@pytest.mark.parametrize("argv, words", [
    (["groebner", "{f}", "--order", "igrlex"], "unknown monomial order 'igrlex'; supported: "
                                               "'grevlex'"),
    (["groebner", "{f}", "--order", "block", "--blocks", "x"], "--blocks 'x'"),
    (["groebner", "{f}", "--order", "block", "--blocks", "1,1,1"], "sum to 3"),
    (["groebner", "{f}", "-p", "12"], "modulus 12 is not a prime"),
    (["roots", "{f}", "--digits", "0"], "--digits must be a positive integer"),
    (["roots", "no_such_file.ms"], "No such file"),
    (["groebner", "no_such_file.ms"], "No such file"),
])
def test_bad_arguments_exit_2_with_a_message(ms, capsys, argv, words):
    f = ms("x,y", "x^2 + y^2 - 1,\nx - y")
    err = fails([a.replace("{f}", f) for a in argv], capsys)
    assert words in err


def test_syntax_errors_name_the_place(ms, capsys):
    err = fails(["roots", ms("x,y", "x^2 + * y")], capsys)
    assert "sys.ms" in err and "line 3" in err


def test_roots_refuses_a_prime_field(ms, capsys):
    err = fails(["roots", ms("x,y", "x^2 - 2, y - 1", characteristic=65521)], capsys)
    assert "over GF(65521)" in err and "grobnet groebner" in err


def test_timeout_exits_3(capsys, systems_dir):
    err = fails(["groebner", str(systems_dir / "cyclic7.ms"), "-p", "65521", "--timeout",
                 "0.001"], capsys, code=3)
    assert "stopped" in err and "time" in err


# ---------------------------------------------------------------------------------------------
# end to end: solutions

def test_roots_intervals_hold_the_known_solutions(ms):
    status, text = run(["roots", ms("x,y", "x^2 - 2,\ny^2 - 3"), "--digits", "25"])
    assert status == 0
    head, names, *rows = text.strip().split("\n")
    assert head.startswith("# sys: dimension 0, degree 4") and "4 real; complete" in head
    assert names == "x,y" and len(rows) == 4
    signs = set()
    for row in rows:
        (xl, xu), (yl, yu) = [tuple(Fraction(v) for v in c.strip(" []").split(","))
                              for c in row.split("], [")]
        sx, sy = (1 if xl > 0 else -1), (1 if yl > 0 else -1)
        assert xl * xu > 0 and yl * yu > 0                    # isolated away from 0
        assert min(xl * xl, xu * xu) <= 2 <= max(xl * xl, xu * xu)
        assert min(yl * yl, yu * yu) <= 3 <= max(yl * yl, yu * yu)
        assert abs(xu - xl) <= Fraction(1, 10**24) and abs(yu - yl) <= Fraction(1, 10**24)
        signs.add((sx, sy))
    assert signs == {(1, 1), (1, -1), (-1, 1), (-1, -1)}


def test_solve_system_json_fields(ms):
    status, text = run(["solve", "--system", ms("x,y", "x^2 + y^2 - 1,\nx - y"), "--json",
                        "--digits", "20"])
    assert status == 0
    r = json.loads(text)
    assert (r["dimension"], r["degree"], r["n_real"], r["complete"]) == (0, 2, 2, True)
    assert r["variables"] == ["x", "y"] and r["equations"] == 2 and r["route"]
    assert r["reason"] is None and r["complex"] is None
    assert set(r["timings"]) >= {"read", "solve", "total"}
    for point in r["real"]:
        x, y = point["x"], point["y"]
        lo, hi = Fraction(x["lower"]), Fraction(x["upper"])
        assert lo <= Fraction(x["value"]) <= hi or abs(float(x["value"]) - float(lo)) < 1e-19
        assert min(lo * lo, hi * hi) <= Fraction(1, 2) <= max(lo * lo, hi * hi)
        assert x == y                                         # the solutions have x = y


def test_solve_system_table_and_complex(ms):
    status, text = run(["solve", "--system", ms("x,y", "x^2 + 1,\ny - 1"), "--complex",
                        "--digits", "10"])
    assert status == 0
    assert "dimension 0, degree 2 (complex solutions with multiplicity), 0 real" in text
    assert "complete:  yes" in text and "route:" in text and "time:" in text
    assert "2 non-real solutions" in text
    assert "+ 1.000000000*I" in text and "- 1.000000000*I" in text
    status, text = run(["solve", "--system", ms("x,y", "x^2 + 1,\ny - 1"), "--complex",
                        "--json"])
    r = json.loads(text)
    ims = sorted(Fraction(p["x"]["im"]["value"]) for p in r["complex"])
    assert len(ims) == 2 and abs(ims[0] + 1) < Fraction(1, 10**25) and abs(ims[1] - 1) < \
        Fraction(1, 10**25)


def test_positive_dimensional_and_inconsistent_systems(ms):
    status, text = run(["solve", "--system", ms("x,y", "x^2 + y^2 - 1"), "--json"])
    r = json.loads(text)
    assert (r["dimension"], r["degree"], r["complete"]) == (1, 2, False)
    assert "positive-dimensional" in r["reason"]
    status, text = run(["solve", "--system", ms("x,y", "x^2 + y^2 - 1")])
    assert "positive-dimensional: dimension 1, degree 2" in text and "complete:  NO" in text
    status, text = run(["roots", ms("x", "x - 1,\nx - 2")])
    assert status == 0 and "no solution" in text and text.strip().endswith("x")


def test_solve_system_known_degree_from_the_benchmarks(systems_dir):
    status, text = run(["solve", "--system", str(systems_dir / "katsura6.ms"), "--json",
                        "--digits", "10"])
    r = json.loads(text)
    assert r["degree"] == 64 and r["complete"] and r["n_real"] == len(r["real"]) > 0
    system = grobnet.read_msolve(systems_dir / "katsura6.ms")
    # every printed box, evaluated in the equations at its midpoint, nearly vanishes
    for point in r["real"]:
        values = {v: float(point[v]["value"]) for v in r["variables"]}
        expr = [sympy.sympify(str(f).replace("^", "**")) for f in system.equations]
        assert all(abs(float(e.subs(values))) < 1e-8 for e in expr)


def test_stdin_input(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("x\n0\nx^2 - x\n"))
    status, text = run(["roots", "-"])
    assert status == 0 and "degree 2" in text and "[0, 0]" in text and "[1, 1]" in text


# ---------------------------------------------------------------------------------------------
# end to end: Groebner bases against sympy

F = "x^2 + y*z - 2,\nx*y + z^2 - 3,\nx*z + y^2 - x - 1"


@pytest.mark.parametrize("order", ["grevlex", "grlex", "lex"])
def test_groebner_over_q_equals_sympy(ms, order):
    gens = sympy.symbols("x y z")
    status, text = run(["groebner", ms("x,y,z", F), "--order", order, "--json"])
    r = json.loads(text)
    assert r["field"] == "QQ" and r["order"] == order and r["complete"]
    mine = {sympy.expand(sympy.sympify(f.replace("^", "**"))) for f in r["polynomials"]}
    G = sympy.groebner([sympy.sympify(f.replace("^", "**")) for f in F.split(",")], *gens,
                       order=order)
    expected = {sympy.expand(g / sympy.Poly(g, *gens).LC(order=order)) for g in G.exprs}
    assert mine == expected
    assert r["dimension"] == 0 and r["degree"] == 8     # Bezout number, no solution at infinity


@pytest.mark.parametrize("order", ["grevlex", "grlex", "lex"])
def test_groebner_mod_p_and_leading_monomials_equal_sympy(ms, order):
    gens = sympy.symbols("x y z")
    exprs = [sympy.sympify(f.replace("^", "**")) for f in F.split(",")]
    G = sympy.groebner(exprs, *gens, order=order, modulus=101)
    lms = sorted(sympy.Poly(g, *gens).monoms(order=order)[0] for g in G.exprs)
    status, text = run(["groebner", ms("x,y,z", F), "--order", order, "-p", "101",
                        "--leading-monomials"])
    assert status == 0 and "over GF(101), order " + order in text
    printed = [line for line in text.splitlines() if not line.startswith("#")]
    assert sorted(tuple(sympy.Poly(sympy.sympify(m.replace("^", "**")), *gens).monoms()[0])
                  for m in printed) == lms
    assert len(printed) == len(lms)


def test_groebner_output_file_round_trips(ms, tmp_path):
    out = tmp_path / "gb.ms"
    status, text = run(["groebner", ms("x,y,z", F, characteristic=65521), "-o", str(out)])
    assert status == 0 and f"written to {out}" in text
    basis = grobnet.read_msolve(out)
    assert basis.characteristic == 65521 and basis.variables == ("x", "y", "z")
    G = grobnet.groebner(basis)                       # a reduced basis is its own basis
    assert len(G.polys) == len(basis.equations)
    again = grobnet.groebner(grobnet.read_msolve(ms("x,y,z", F, characteristic=65521,
                                                       name="again.ms")))
    assert [str(g) for g in G.polys] == [str(g) for g in again.polys]


def test_console_script_roots(ms, tmp_path):
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(grobnet.__file__)))
    out = subprocess.run([sys.executable, "-m", "grobnet", "roots", ms("x", "x^3 - 3*x + 1")],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stderr
    assert "degree 3" in out.stdout and len(out.stdout.strip().split("\n")) == 5


def test_max_memory_too_small_for_the_probe_gives_certified_roots_unknown_degree(systems_dir):
    """``--max-memory`` below what the probe's F4 needs: the degree is unknown, the roots
    monodromy found come back certified and the answer says it is incomplete."""
    status, text = run(["roots", str(systems_dir / "katsura6.ms"), "--max-memory", "0.02",
                        "--json", "--seed", "5"])
    assert status == 0
    r = json.loads(text)
    assert r["dimension"] is None and r["degree"] is None and r["complete"] is False
    assert "max_memory" in r["reason"] and r["n_real"] == 32        # katsura-6: 32 real
    status, text = run(["roots", str(systems_dir / "katsura6.ms"), "--max-memory", "0.02"])
    assert status == 0 and "dimension and degree unknown" in text and "INCOMPLETE" in text
