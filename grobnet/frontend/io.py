"""Reading and writing polynomial systems: msolve, Singular and sympy formats.

The formats themselves are :mod:`grobnet.frontend.formats`; these are the user's
functions, on :class:`~grobnet.frontend.system.PolynomialSystem` objects and files.
Malformed input raises :class:`~grobnet.frontend.parse.PolynomialSyntaxError` (a
``ValueError``) with the line and column of the problem (and the file, when read
from one).
"""
from __future__ import annotations

import os

import flint
import sympy

from grobnet.frontend.parse import PolynomialSyntaxError, check_variable_names, flint_names
from grobnet.frontend.system import PolynomialSystem

__all__ = ["from_msolve", "read_msolve", "to_msolve", "write_msolve", "to_singular",
           "to_sympy", "from_sympy", "PolynomialSyntaxError"]


def from_msolve(text, name=None):
    """Parse the text of an msolve input file into a :class:`PolynomialSystem`."""
    return PolynomialSystem.from_msolve(text, name=name)


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
    """msolve input text for ``system`` (see :meth:`PolynomialSystem.to_msolve`)."""
    return system.to_msolve(integer=integer)


def write_msolve(system, path, integer=False):
    """Write :func:`to_msolve` text to ``path``."""
    with open(os.fspath(path), "w", encoding="utf-8") as fh:
        fh.write(to_msolve(system, integer=integer))


def to_singular(system, ideal_name="I", ring_name="r"):
    """A Singular script for ``system`` (see :meth:`PolynomialSystem.to_singular`)."""
    return system.to_singular(ideal_name=ideal_name, ring_name=ring_name)


def to_sympy(system):
    """``(expressions, symbols)`` of ``system`` (see :meth:`PolynomialSystem.to_sympy`)."""
    return system.to_sympy()


def from_sympy(exprs, symbols, characteristic=0, name=None, metadata=None):
    """Build a :class:`PolynomialSystem` from sympy polynomial expressions in ``symbols``.

    Raises ``ValueError`` when an expression is not a polynomial with rational
    coefficients in those symbols.
    """
    names = [str(s) for s in symbols]
    ctx = flint.fmpq_mpoly_ctx.get(flint_names(check_variable_names(names)), "degrevlex")
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
