"""Reading and writing polynomial systems (msolve, Singular, sympy) and the text parser.

Oracles: sympy's own parser (``parse_expr``) on the same text, the tiny independent
reader ``read_ms`` of conftest, known solution counts, and Singular when installed.
"""
import subprocess
from fractions import Fraction

import flint
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.parsing.sympy_parser import parse_expr

from conftest import read_ms
from grobnet._peers import singular_command
from grobnet.frontend import (PolynomialSyntaxError, PolynomialSystem, from_msolve, from_sympy,
                              parse_polynomial, read_msolve, to_msolve, write_msolve)


def as_dict(f):
    """flint polynomial -> {exponent tuple: Fraction}."""
    return {tuple(int(e) for e in m): Fraction(int(c.p), int(c.q)) if isinstance(c, flint.fmpq)
            else Fraction(int(c)) for m, c in f.terms()}


def sympy_dict(text, names):
    """The same polynomial read by sympy's parser -> {exponent tuple: Fraction}."""
    syms = sympy.symbols(names)
    local = dict(zip(names, syms))
    expr = parse_expr(text.replace("^", "**"), local_dict=local, evaluate=True)
    poly = sympy.Poly(expr, *syms, domain=sympy.QQ)
    return {m: Fraction(int(c.numerator), int(c.denominator)) for m, c in poly.as_dict().items()}


# -- every shared file loads, and agrees with sympy's reading of it ---------------------

def test_every_shared_system_loads_and_matches_sympy(systems_dir):
    files = sorted(systems_dir.glob("*.ms"))
    assert files, f"no .ms files in {systems_dir}"
    for path in files:
        system = read_msolve(path)
        variables, char, polys = read_ms(path)
        assert system.variables == variables, path.name
        assert system.characteristic == char
        assert len(system) == len(polys), path.name
        assert system.name == path.stem
        if len(path.read_text()) < 8000:   # sympy is slow on the biggest one
            for f, text in zip(system.equations, polys):
                assert as_dict(f) == sympy_dict(text, variables), path.name


def test_katsura11_loads_quickly(systems_dir):
    import time
    path = systems_dir / "katsura11.ms"
    if not path.exists():
        pytest.skip("katsura11.ms absent")
    t = time.process_time()                 # CPU time: other jobs on the machine do not count
    s = read_msolve(path)
    assert time.process_time() - t < 1.0
    assert (len(s), s.nvars, s.max_degree()) == (12, 12, 2)


def test_round_trip_every_shared_system(systems_dir):
    for path in sorted(systems_dir.glob("*.ms")):
        s = read_msolve(path)
        assert from_msolve(s.to_msolve()) == s, path.name
        t = from_msolve(s.to_msolve(integer=True))
        assert [as_dict(f) for f in t.equations] == [as_dict(g) for g in s.integer_equations]


def test_write_and_read_file(tmp_path):
    s = from_msolve("x,y\n0\n3/4*x^2 - 1/2*y,\nx*y - 2/3\n")
    path = tmp_path / "sys.ms"
    write_msolve(s, path)
    back = read_msolve(path)
    assert back == s and back.name == "sys"


# -- parser ----------------------------------------------------------------------

def test_parser_precedence_and_rationals():
    ctx = flint.fmpq_mpoly_ctx.get(("x", "y"), "degrevlex")
    x, y = ctx.gens()
    cases = {
        "3/4*x^2": flint.fmpq(3, 4) * x**2,
        "-x^2": -(x**2),
        "2*x^3/4": flint.fmpq(1, 2) * x**3,
        "(x+y)^2 - x**2": 2 * x * y + y**2,
        "x - -y": x + y,
        "1/2/3*y": flint.fmpq(1, 6) * y,
        "x^(3)": x**3,
        "  x\n*\n y ": x * y,
        "0": ctx.constant(0),
    }
    for text, expected in cases.items():
        assert parse_polynomial(text, ctx) == expected, text


def test_polynomials_may_span_lines():
    s = from_msolve("a,b\n0\na*b\n + 1,\n\nb\n-a\n")
    a, b = s.ctx.gens()
    assert s.equations == [a * b + 1, b - a]


@pytest.mark.parametrize("text, line, column, words", [
    ("x,y\n0\nx+y,", 3, 4, "trailing comma"),
    ("x,y\n0\nx+y,\n", 3, 4, "trailing comma"),
    ("x,y\n0\nx + z", 3, 5, "unknown variable 'z'"),
    ("x,y\n0\n", 3, 1, "no polynomials"),
    ("x,y\n", 2, 1, "characteristic"),
    ("x,y", 2, 1, "missing line 2"),
    ("", 1, 1, "missing variable names"),
    ("x,y\nzero\nx", 2, 1, "characteristic"),
    ("x,y\n4\nx", 2, 1, "not a prime"),
    ("x,y\n0\nx+,y", 3, 3, "missing term"),
    ("x,y\n0\nx,,y", 3, 3, "empty polynomial"),
    ("x,y\n0\nx\n,\n,y", 5, 1, "empty polynomial"),
    ("x,y\n0\nx/y", 3, 3, "division by a non-constant"),
    ("x,y\n0\nx/(1-1)", 3, 3, "division by zero"),
    ("x,y\n0\n1.5*x", 3, 1, "decimal number '1.5'"),
    ("x,y\n0\n2x", 3, 1, "without '*'"),
    ("x,y\n0\nx^-1", 3, 3, "negative exponent"),
    ("x,y\n0\nx^y", 3, 3, "exponent must be a non-negative integer"),
    ("x,y\n0\n(x+y", 3, 5, "expected ')'"),
    ("x,y\n0\nx y", 3, 3, "expected ','"),
    ("x,y\n0\nx $ y", 3, 3, "unexpected character '$'"),
    ("x,y\n0\nx^2^3", 3, 4, "repeated exponent"),
    ("x,2y\n0\nx", 1, 3, "is not valid: a variable name is"),
    ("x,,y\n0\nx", 1, 3, "empty variable name"),
    ("x, x\n0\nx", 1, 4, "appears twice"),
    ("x,y\n0\nx*()", 3, 4, "empty parentheses"),
])
def test_malformed_msolve_text_names_problem_and_position(text, line, column, words):
    with pytest.raises(PolynomialSyntaxError) as info:
        from_msolve(text)
    err = info.value
    assert isinstance(err, ValueError)
    assert words in str(err)
    assert (err.line, err.column) == (line, column), str(err)
    assert f"line {line}, column {column}" in str(err)


def test_read_msolve_error_names_file(tmp_path):
    path = tmp_path / "bad.ms"
    path.write_text("x\n0\nx+q\n")
    with pytest.raises(PolynomialSyntaxError, match=r"bad\.ms, line 3, column 3: unknown variable 'q'"):
        read_msolve(path)


def test_from_msolve_rejects_non_text():
    with pytest.raises(TypeError, match="expects a str"):
        from_msolve(b"x\n0\nx")


# -- characteristic p ----------------------------------------------------------------

def test_prime_characteristic_reduces_coefficients():
    s = from_msolve("x,y\n7\n3/4*x^2 - 1/2*y,\n14*x + 8*y\n")
    x, y = s.ctx.gens()
    # 3/4 = 3*2 = 6 mod 7; -1/2 = -4 = 3 mod 7; 14 = 0; 8 = 1
    assert s.equations == [6 * x**2 + 3 * y, y]
    assert s.characteristic == 7
    assert "GF(7)" in repr(s)
    assert from_msolve(s.to_msolve()) == s
    n = s.modular_equations()
    assert [str(f) for f in n] == ["6*x^2 + 3*y", "y"]


def test_prime_characteristic_rejects_denominator_divisible_by_p():
    with pytest.raises(ValueError, match="divisible by the characteristic 7"):
        from_msolve("x\n7\nx/14 + 1")


# -- PolynomialSystem contract -------------------------------------------------------

def test_integer_equations_are_primitive_positive_multiples(systems_dir):
    for path in sorted(systems_dir.glob("*.ms")):
        s = read_msolve(path)
        for f, g in zip(s.equations, s.integer_equations):
            fd, gd = f.to_dict(), g.to_dict()
            assert set(fd) == set(gd)
            ratios = {Fraction(int(gd[m])) / Fraction(int(fd[m].p), int(fd[m].q)) for m in fd}
            assert len(ratios) == 1 and ratios.pop() > 0
            content = 0
            import math
            for c in gd.values():
                content = math.gcd(content, int(c))
            assert content == 1


def test_integer_equations_of_rational_system():
    s = from_msolve("x,y\n0\n-3/4*x^2 + 1/6*y, 2/5")
    z = s.integer_equations
    zctx = flint.fmpz_mpoly_ctx.get(("x", "y"), "degrevlex")
    x, y = zctx.gens()
    assert z == [-9 * x**2 + 2 * y, zctx.constant(1)]


def test_system_attributes_and_repr():
    s = from_msolve("a,b,c\n0\na*b*c - 1, a + b^2\n", name="demo")
    assert s.variables == ("a", "b", "c")
    assert s.nvars == 3 and len(s) == 2
    assert s.max_degree() == 3 and s.degrees() == [3, 2]
    assert s.ctx.names() == ("a", "b", "c") and s.ctx.ordering() == flint.Ordering.degrevlex
    assert repr(s) == "PolynomialSystem(2 equations in 3 variables, max degree 3, 'demo')"
    assert s.loss is None and s.metadata == {}
    # variable 0 is the largest: a > b > c in degrevlex
    assert str(parse_polynomial("c^2 + b^2 + a^2", s.ctx)) == "a^2 + b^2 + c^2"


def test_system_constructor_validates():
    ctx = flint.fmpq_mpoly_ctx.get(("x", "y"), "degrevlex")
    other = flint.fmpq_mpoly_ctx.get(("y", "x"), "degrevlex")
    with pytest.raises(ValueError, match="over variables"):
        PolynomialSystem(["x", "y"], [other.gen(0)])
    with pytest.raises(TypeError, match="expected a python-flint"):
        PolynomialSystem(["x", "y"], ["x + y"])
    with pytest.raises(ValueError, match="appears twice"):
        PolynomialSystem(["x", "x"], [])
    with pytest.raises(ValueError, match="not 0 and not a prime"):
        PolynomialSystem(["x", "y"], [ctx.gen(0)], characteristic=12)
    with pytest.raises(TypeError, match="single string"):
        PolynomialSystem("xy", [])


def test_substitute_is_exact():
    s = from_msolve("x,y\n0\nx^2 + y^2 - 1, x - y")
    assert s.substitute([Fraction(3, 5), Fraction(4, 5)]) == [0, flint.fmpq(-1, 5)]


# -- sympy and Singular ----------------------------------------------------------------

def test_to_sympy_matches_sympy_parser(systems_dir):
    path = systems_dir / "cyclic5.ms"
    s = read_msolve(path)
    exprs, symbols = s.to_sympy()
    variables, _, polys = read_ms(path)
    assert [str(v) for v in symbols] == list(variables)
    for e, text in zip(exprs, polys):
        ref = parse_expr(text.replace("^", "**"), local_dict=dict(zip(variables, symbols)))
        assert sympy.expand(e - ref) == 0
    assert from_sympy(exprs, symbols) == s


def test_from_sympy_rejects_non_polynomials():
    x, y = sympy.symbols("x y")
    with pytest.raises(ValueError, match="not a polynomial"):
        from_sympy([sympy.sin(x)], [x, y])
    with pytest.raises(ValueError, match="not a polynomial"):
        from_sympy([sympy.pi * x], [x, y])


def test_singular_script_shape():
    s = from_msolve("x,y\n0\n3/4*x^2 - y, x*y - 1\n", name="tiny")
    text = s.to_singular()
    assert "ring r = 0, (x,y), dp;" in text
    body = text.split("ideal I =", 1)[1].strip().rstrip(";")
    assert [parse_polynomial(p, s.ctx) for p in body.split(",")] == s.equations
    assert "ring r = 7, (x,y), dp;" in from_msolve("x,y\n7\nx").to_singular()


@pytest.mark.oracle
def test_singular_reads_export_and_counts_solutions(systems_dir, tmp_path):
    exe = singular_command()
    if exe is None:
        pytest.skip("Singular is not installed (apt-get install singular)")
    s = read_msolve(systems_dir / "katsura6.ms")
    script = tmp_path / "k6.sing"
    script.write_text(s.to_singular() + "print(size(I));\nprint(vdim(std(I)));\nquit;\n")
    out = subprocess.run([exe, "-q", str(script)], capture_output=True, text=True, timeout=120)
    numbers = [line.strip() for line in out.stdout.splitlines() if line.strip()]
    assert numbers[:2] == ["7", "64"], out.stdout + out.stderr   # katsura-6: 2^6 solutions


# -- property: printing and parsing are inverse ----------------------------------------

_coeff = st.fractions(min_value=-50, max_value=50, max_denominator=30)
_monom = st.tuples(*[st.integers(0, 4)] * 3)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.dictionaries(_monom, _coeff, max_size=6), min_size=1, max_size=4))
def test_to_msolve_from_msolve_round_trip(polys):
    ctx = flint.fmpq_mpoly_ctx.get(("u", "v", "w"), "degrevlex")
    eqs = [ctx.from_dict({m: flint.fmpq(c.numerator, c.denominator) for m, c in d.items()})
           for d in polys]
    s = PolynomialSystem(("u", "v", "w"), eqs)
    back = from_msolve(to_msolve(s))
    assert back == s
    # and sympy reads our text the same way
    body = to_msolve(s).split("\n", 2)[2]
    for f, text in zip(eqs, body.split(",\n")):
        assert sympy_dict(text.strip(), ["u", "v", "w"]) == as_dict(f)


def test_pickle_round_trip_keeps_everything():
    import pickle
    from grobnet.frontend import GeneralizedL2, Network, gradient_system, xor
    s = gradient_system(Network([2, 1, 1], "z+z^2", bias=True), xor(), reg=GeneralizedL2(seed=2))
    t = pickle.loads(pickle.dumps(s))
    assert t == s and t.loss == s.loss and t.name == s.name
    assert t.metadata["network"] == s.metadata["network"]
    assert t.integer_equations == s.integer_equations
