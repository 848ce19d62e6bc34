"""The ``grobnet`` command line: ``solve --example xor`` and ``system`` export."""
import io
import subprocess
import sys

import pytest

from grobnet import cli
from grobnet.frontend import from_msolve, parse_polynomial, read_msolve


def run(argv):
    out = io.StringIO()
    status = cli.main(argv, out=out)
    return status, out.getvalue()


def test_solve_example_xor_describes_the_seed_system():
    status, text = run(["solve", "--example", "xor"])
    assert status == 0
    assert "[2,2,2,1] identity, no bias" in text
    assert "xor: 4 points, 2 inputs -> 1 outputs" in text
    assert "MSE" in text
    assert "10 equations in 10 variables" in text
    assert "10 of degree 5" in text
    assert "184 in all" in text            # terms of the seed's system (as in the shared .ms file)


def test_solve_example_counts_match_shared_file(systems_dir):
    path = systems_dir / "nn_xor_2221_linear_seed.ms"
    if not path.exists():
        pytest.skip("seed system absent")
    ref = read_msolve(path)
    _, text = run(["solve", "--example", "xor"])
    assert f"{ref.n_terms()} in all" in text


def test_system_export_reproduces_shared_xor_gl2(tmp_path, systems_dir):
    path = systems_dir / "nn_xor_221_sq_bias_gl2.ms"
    if not path.exists():
        pytest.skip("nn_xor_221_sq_bias_gl2.ms absent")
    out = tmp_path / "xor221.ms"
    status, text = run(["system", "--net", "2,2,1", "--activation", "z+z^2", "--bias",
                        "--data", "xor", "--reg", "generalized-l2", "--seed", "3",
                        "--format", "msolve", "-o", str(out)])
    assert status == 0 and "wrote PolynomialSystem(9 equations in 9 variables" in text
    mine, ref = read_msolve(out), read_msolve(path)
    assert mine.variables == ref.variables
    assert mine.integer_equations == ref.integer_equations


def test_system_to_stdout_and_integer_form():
    status, text = run(["system", "--net", "2,1,1", "--reg", "l2", "--lam", "1/3"])
    assert status == 0
    s = from_msolve(text)
    assert s.variables == ("w1_0_0", "w1_0_1", "w2_0_0")
    # d/dw2 of (1/4) sum (w2 (w1.x) - y)^2 + 1/3 |theta|^2, XOR data, by hand:
    assert s.equations[2] == parse_polynomial(
        "w1_0_0^2*w2_0_0 + w1_0_0*w1_0_1*w2_0_0 + w1_0_1^2*w2_0_0 - 1/2*w1_0_0 - 1/2*w1_0_1"
        " + 2/3*w2_0_0", s.ctx)
    status, text = run(["system", "--net", "2,1,1", "--reg", "l2", "--lam", "1/3", "--integer"])
    assert "/" not in text.split("\n", 2)[2]


def test_system_singular_and_sympy_formats():
    status, text = run(["system", "--net", "1,1,1", "--activation", "square", "--bias",
                        "--data", "random:3:1", "--format", "singular"])
    assert status == 0
    assert "ring r = 0, (w1_0_0,b1_0,w2_0_0,b2_0), dp;" in text
    assert "ideal I =" in text
    status, text = run(["system", "--net", "1,1,1", "--format", "sympy", "--data", "random:3"])
    assert "**" in text and "# variables: w1_0_0, w2_0_0" in text


def test_data_from_csv(tmp_path):
    csv = tmp_path / "d.csv"
    csv.write_text("x,y\n0,1\n1/2,0.25\n1,0\n")
    status, text = run(["system", "--net", "1,1", "--data", str(csv), "--loss", "sse"])
    assert status == 0
    s = from_msolve(text)
    # d/dw of sum (w x - y)^2 = 2 w sum x^2 - 2 sum x y = 5/2 w - 1/4
    assert s.equations == [parse_polynomial("5/2*w1_0_0 - 1/4", s.ctx)]


@pytest.mark.parametrize("argv, words", [
    (["system"], "give --net"),
    (["system", "--net", "2,0,1"], "width 1 is 0"),
    (["system", "--net", "1,1"], "data points have 2 inputs"),
    (["system", "--net", "2,1", "--activation", "sin(z)"], "function call"),
    (["system", "--net", "2,1", "--reg", "l2", "--lam", "0.1"], "decimal"),
    (["system", "--net", "2,1", "--data", "nosuchfile.csv"], "neither 'xor'"),
    (["system", "--net", "2,1", "--data", "random:x"], "random:M"),
    (["system", "--net", "2,1", "--format", "singular", "--integer"], "--integer"),
])
def test_bad_options_exit_with_message(argv, words, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(argv, out=io.StringIO())
    assert info.value.code == 2
    assert words in capsys.readouterr().err


def test_console_entry_point_runs(tmp_path):
    # run the grobnet these tests import (installed or in-place build), not whatever the
    # current directory holds: the source tree of a fresh clone has no compiled core
    import os

    import grobnet
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(grobnet.__file__)))
    out = subprocess.run([sys.executable, "-m", "grobnet", "solve", "--example", "xor"],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stderr
    assert "10 equations in 10 variables" in out.stdout


# -- solve: --plot, --progress, --gauge, --positive-dimensional ---------------------------

def _csv(tmp_path):
    csv = tmp_path / "d.csv"
    csv.write_text("1,2\n-1,1\n2,3\n")
    return str(csv)


def test_solve_plot_writes_png(tmp_path):
    pytest.importorskip("matplotlib")
    png = tmp_path / "loss.png"
    status, text = run(["solve", "--net", "1,1,1", "--data", _csv(tmp_path), "--reg", "l2",
                        "--lam", "1/20", "--plot", str(png), "--no-progress"])
    assert status == 0 and f"plot written to {png}" in text
    assert png.read_bytes()[:4] == b"\x89PNG" and png.stat().st_size > 1000


def test_solve_plot_without_matplotlib_is_a_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib", None)    # import matplotlib -> ImportError
    with pytest.raises(SystemExit) as info:
        cli.main(["solve", "--net", "1,1", "--data", _csv(tmp_path), "--plot",
                  str(tmp_path / "x.png")], out=io.StringIO())
    assert info.value.code == 2
    assert "needs matplotlib" in capsys.readouterr().err


def test_solve_progress_goes_to_stderr(tmp_path, capsys):
    status, text = run(["solve", "--net", "1,1,1", "--data", _csv(tmp_path), "--reg", "l2",
                        "--progress"])
    err = capsys.readouterr().err
    assert status == 0
    for stage in ("system", "dimension", "F4", "solve", "hessians", "done"):
        assert stage in err
    assert "F4" not in text                       # stdout keeps only the answer
    run(["solve", "--net", "1,1,1", "--data", _csv(tmp_path), "--reg", "l2", "--no-progress"])
    assert capsys.readouterr().err == ""


def test_solve_gauge_fix_scale(tmp_path):
    status, text = run(["solve", "--net", "1,1,1,1", "--data", _csv(tmp_path), "--gauge",
                        "fix-scale"])
    assert status == 0
    assert "gauge-fixed system" in text and "w1_0_0, w2_0_0" in text
    assert "dimension 0" in text and "INCOMPLETE: gauge-fixed" in text
    status, text = run(["solve", "--example", "xor"])
    assert "--gauge fix-scale" in text and "--positive-dimensional slices" in text


@pytest.mark.parametrize("argv, words", [
    (["solve", "--net", "1,2,1", "--activation", "z+z^2", "--gauge", "fix-scale"],
     "not homogeneous"),
    (["solve", "--net", "1,1,1", "--reg", "l2", "--gauge", "fix-scale"], "unregularized"),
])
def test_solve_gauge_refusals(argv, words, tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(argv + ["--data", _csv(tmp_path)], out=io.StringIO())
    assert info.value.code == 2 and words in capsys.readouterr().err


def test_example_takes_the_regularization_its_remedy_recommends():
    from grobnet.frontend import GeneralizedL2, Network, gradient_system, xor
    args = cli.build_parser().parse_args(
        ["solve", "--example", "xor", "--reg", "generalized-l2", "--seed", "1"])
    problem = cli.problem_from_args(args)
    assert isinstance(problem.reg, GeneralizedL2) and "generalized-l2" in problem.label
    expected = gradient_system(Network([2, 2, 2, 1], activation="identity"), xor(),
                               reg=GeneralizedL2(seed=1))
    assert [str(f) for f in problem.system().equations] == [str(f) for f in expected.equations]
    plain = cli.problem_from_args(cli.build_parser().parse_args(["solve", "--example", "xor"]))
    assert plain.system().nvars == 10 and "generalized" not in plain.label
