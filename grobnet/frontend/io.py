"""Reading and writing polynomial systems: msolve, Singular and sympy formats.

msolve's input format (also used by ``/work/shared/systems/*.ms``)::

    x,y,z            <- line 1: the variables, comma-separated (variable 0 is the largest)
    0                <- line 2: the characteristic, 0 (rationals) or a prime p
    x^2 + 3/4*y*z,   <- then the polynomials, comma-separated; a polynomial may
    x*y - z + 1         span several lines

Coefficients are integers or quotients of integers (``3/4*x^2``), ``^`` is
the power, ``*`` the product.  The parser is a real tokenizer and
recursive-descent parser (:mod:`grobnet.frontend.parse`), never ``eval``;
malformed input raises :class:`~grobnet.frontend.parse.PolynomialSyntaxError`
(a ``ValueError``) with the line and column of the problem.
"""
from __future__ import annotations

import os

import flint

from grobnet.frontend.parse import PolynomialSyntaxError, parse_polynomials
from grobnet.frontend.system import PolynomialSystem, check_variable_names

__all__ = ["from_msolve", "read_msolve", "to_msolve", "write_msolve", "to_singular",
           "to_sympy", "from_sympy", "PolynomialSyntaxError"]


def _split_first_lines(text):
    """``(line1, line2, rest, offset_of_rest_line)`` from the text of an msolve file."""
    first_nl = text.find("\n")
    if first_nl < 0:
        return text, None, None
    second_nl = text.find("\n", first_nl + 1)
    if second_nl < 0:
        return text[:first_nl], text[first_nl + 1:], None
    return text[:first_nl], text[first_nl + 1:second_nl], text[second_nl + 1:]


def _parse_variables(line):
    line = line.rstrip("\r")
    if not line.strip():
        raise PolynomialSyntaxError("missing variable names (line 1 must list the variables, "
                                    "comma-separated)", 1, 1)
    names = []
    col = 1
    for part in line.split(","):
        stripped = part.strip()
        lead = len(part) - len(part.lstrip())
        if not stripped:
            raise PolynomialSyntaxError("empty variable name in the variable list", 1, col + lead)
        try:
            check_variable_names([stripped])
        except ValueError as exc:
            raise PolynomialSyntaxError(str(exc), 1, col + lead) from None
        if stripped in names:
            raise PolynomialSyntaxError(f"variable name '{stripped}' appears twice", 1, col + lead)
        names.append(stripped)
        col += len(part) + 1
    return names


def _parse_characteristic(line):
    if line is None:
        raise PolynomialSyntaxError("missing line 2 (the characteristic: 0 or a prime)", 2, 1)
    s = line.strip()
    if not s:
        raise PolynomialSyntaxError("missing characteristic on line 2 (0 or a prime)", 2, 1)
    col = len(line) - len(line.lstrip()) + 1
    if not s.isdigit():
        raise PolynomialSyntaxError(f"characteristic must be 0 or a prime, found '{s}'", 2, col)
    p = int(s)
    if p != 0 and not flint.fmpz(p).is_prime():
        raise PolynomialSyntaxError(f"characteristic {p} is not 0 and not a prime", 2, col)
    return p


def from_msolve(text, name=None):
    """Parse the text of an msolve input file into a :class:`PolynomialSystem`."""
    if not isinstance(text, str):
        raise TypeError(f"from_msolve expects a str, not {type(text).__name__}")
    line1, line2, rest = _split_first_lines(text)
    variables = _parse_variables(line1)
    p = _parse_characteristic(line2)
    if rest is None or not rest.strip():
        raise PolynomialSyntaxError("no polynomials after the characteristic (line 3 onwards "
                                    "is empty)", 3, 1)
    ctx = flint.fmpq_mpoly_ctx.get(tuple(variables), "degrevlex")
    equations = parse_polynomials(rest, ctx, line=3, column=1)
    return PolynomialSystem(variables, equations, characteristic=p, name=name)


def read_msolve(path, name=None):
    """Read an msolve input file; ``name`` defaults to the file's base name without extension."""
    path = os.fspath(path)
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    if name is None:
        name = os.path.splitext(os.path.basename(path))[0]
    try:
        return from_msolve(text, name=name)
    except PolynomialSyntaxError as exc:
        raise PolynomialSyntaxError(exc.reason, exc.line, exc.column, source=path) from None


def to_msolve(system, integer=False):
    """msolve input text for ``system``: one polynomial per line, comma-terminated but the last.

    With ``integer=True`` the denominator-cleared ``integer_equations`` are
    written instead of the rational equations (same solutions).
    """
    eqs = system.integer_equations if integer else system.equations
    lines = [",".join(system.variables), str(system.characteristic)]
    body = [str(f) for f in eqs]
    lines.append(",\n".join(body))
    return "\n".join(lines) + "\n"


def write_msolve(system, path, integer=False):
    """Write :func:`to_msolve` text to ``path``."""
    with open(os.fspath(path), "w", encoding="utf-8") as fh:
        fh.write(to_msolve(system, integer=integer))


def to_singular(system, ideal_name="I", ring_name="r"):
    """A Singular script: ``ring r = 0, (x,y), dp;`` then ``ideal I = ...;``.

    ``dp`` (degrevlex with the first variable largest) is grobnet's order.
    Over GF(p) the ring's characteristic is p.
    """
    header = []
    if system.name:
        header.append(f"// {system.name}")
    header.append(f"// {len(system)} equations in {system.nvars} variables (grobnet)")
    header.append(f"ring {ring_name} = {system.characteristic}, ({','.join(system.variables)}), dp;")
    body = ",\n  ".join(str(f) for f in system.equations) if system.equations else "0"
    return "\n".join(header) + f"\nideal {ideal_name} =\n  {body};\n"


def to_sympy(system):
    """``(expressions, symbols)``: the equations as sympy expressions, and the sympy symbols.

    Coefficients are exact ``sympy.Rational``; over GF(p) they are the stored
    representatives in ``[0, p)``.
    """
    import sympy
    symbols = [sympy.Symbol(v) for v in system.variables]
    exprs = [_flint_to_sympy(f, symbols) for f in system.equations]
    return exprs, symbols


def _flint_to_sympy(f, symbols):
    import sympy
    terms = []
    for monom, c in f.terms():
        coeff = sympy.Rational(int(c.p), int(c.q))
        factors = [s ** int(e) for s, e in zip(symbols, monom) if e]
        terms.append(sympy.Mul(coeff, *factors))
    return sympy.Add(*terms)


def from_sympy(exprs, symbols, characteristic=0, name=None, metadata=None):
    """Build a :class:`PolynomialSystem` from sympy polynomial expressions in ``symbols``.

    Raises ``ValueError`` when an expression is not a polynomial with rational
    coefficients in those symbols.
    """
    import sympy
    names = [str(s) for s in symbols]
    ctx = flint.fmpq_mpoly_ctx.get(tuple(check_variable_names(names)), "degrevlex")
    eqs = []
    for i, e in enumerate(exprs):
        try:
            poly = sympy.Poly(e, *symbols, domain=sympy.QQ)
        except (sympy.PolynomialError, sympy.CoercionFailed, sympy.GeneratorsNeeded) as exc:
            raise ValueError(f"expression {i} ({e}) is not a polynomial with rational "
                             f"coefficients in {names}: {exc}") from None
        eqs.append(ctx.from_dict({m: flint.fmpq(int(c.numerator), int(c.denominator))
                                  for m, c in poly.rep.to_dict().items()}))
    return PolynomialSystem(names, eqs, characteristic=characteristic, name=name,
                            metadata=metadata)
