"""Polynomial systems as text: msolve's input format, Singular scripts, sympy expressions.

msolve's input format (also the benchmark systems' ``benchmarks/systems/*.ms``)::

    x,y,z            <- line 1: the variables, comma-separated (variable 0 is the largest)
    0                <- line 2: the characteristic, 0 (rationals) or a prime p
    x^2 + 3/4*y*z,   <- then the polynomials, comma-separated; a polynomial may
    x*y - z + 1         span several lines

Coefficients are integers or quotients of integers (``3/4*x^2``), ``^`` is
the power, ``*`` the product.  The parser is a real tokenizer and
recursive-descent parser (:mod:`grobnet.frontend.parse`), never ``eval``;
malformed input raises :class:`~grobnet.frontend.parse.PolynomialSyntaxError`
(a ``ValueError``) with the line and column of the problem.

This module knows the formats only (variables, characteristic and python-flint
polynomials in, text out and back); :class:`~grobnet.frontend.system.PolynomialSystem`
and :mod:`grobnet.frontend.io` build on it.
"""
from __future__ import annotations

import flint
import sympy

from grobnet.frontend.parse import (PolynomialSyntaxError, check_variable_names, flint_names,
                                     parse_polynomials)

__all__ = ["parse_msolve_text", "msolve_text", "singular_text", "sympy_expressions"]


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


def parse_msolve_text(text):
    """``(variables, characteristic, equations)`` of the text of an msolve input file
    (``fmpq_mpoly`` equations in a degrevlex context)."""
    if not isinstance(text, str):
        raise TypeError(f"from_msolve expects a str, not {type(text).__name__}")
    line1, line2, rest = _split_first_lines(text)
    variables = _parse_variables(line1)
    p = _parse_characteristic(line2)
    if rest is None or not rest.strip():
        raise PolynomialSyntaxError("no polynomials after the characteristic (line 3 onwards "
                                    "is empty)", 3, 1)
    ctx = flint.fmpq_mpoly_ctx.get(flint_names(variables), "degrevlex")
    return variables, p, parse_polynomials(rest, ctx, line=3, column=1)


def msolve_text(variables, characteristic, equations):
    """msolve input text: one polynomial per line, comma-terminated but the last."""
    lines = [",".join(variables), str(characteristic)]
    lines.append(",\n".join(str(f) for f in equations))
    return "\n".join(lines) + "\n"


def singular_text(variables, characteristic, equations, *, name=None, ideal_name="I",
                  ring_name="r"):
    """A Singular script: ``ring r = 0, (x,y), dp;`` then ``ideal I = ...;``.

    ``dp`` (degrevlex with the first variable largest) is grobnet's order.
    Over GF(p) the ring's characteristic is p.
    """
    header = []
    if name:
        header.append(f"// {name}")
    header.append(f"// {len(equations)} equations in {len(variables)} variables (grobnet)")
    header.append(f"ring {ring_name} = {characteristic}, ({','.join(variables)}), dp;")
    body = ",\n  ".join(str(f) for f in equations) if equations else "0"
    return "\n".join(header) + f"\nideal {ideal_name} =\n  {body};\n"


def sympy_expressions(variables, equations):
    """``(expressions, symbols)``: the equations as sympy expressions, and the sympy symbols.

    Coefficients are exact ``sympy.Rational``; over GF(p) they are the stored
    representatives in ``[0, p)``.
    """
    symbols = [sympy.Symbol(v) for v in variables]
    return [_flint_to_sympy(f, symbols) for f in equations], symbols


def _flint_to_sympy(f, symbols):
    terms = []
    for monom, c in f.terms():
        coeff = sympy.Rational(int(c.p), int(c.q))
        factors = [s ** int(e) for s, e in zip(symbols, monom) if e]
        terms.append(sympy.Mul(coeff, *factors))
    return sympy.Add(*terms)
