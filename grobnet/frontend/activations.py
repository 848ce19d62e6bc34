"""Polynomial activation functions with exact rational coefficients.

A network's loss is a polynomial only when its activation is, so grobnet's
activations are univariate polynomials σ(z) = c₀ + c₁z + … + c_d z^d with
rational cᵢ.  :func:`get_activation` accepts

* an :class:`Activation`;
* a name from :data:`NAMED_ACTIVATIONS`;
* a polynomial in ``z`` written as text (``"z+z^2"``, ``"z - 1/3*z^3"``),
  read by grobnet's own parser (no ``eval``);
* a sympy expression in one symbol (``z + z**2``);
* a coefficient list, lowest degree first (``[0, 1, 1]`` is z + z²).

Named activations and the approximations behind the smooth/non-smooth ones
(all exact rationals, chosen low-degree so the gradient systems stay small):

=============  ==================================  =================================================
name           polynomial                          what it is
=============  ==================================  =================================================
``identity``   z                                   linear network (alias ``linear``)
``square``     z²                                  quadratic activation
``z+z^2``      z + z²                              the simplest non-homogeneous polynomial activation
``tanh``       z − z³/3                            Taylor polynomial of tanh at 0, degree 3
``sigmoid``    1/2 + z/4 − z³/48                   Taylor polynomial of 1/(1+e^{−z}) at 0, degree 3
``relu``       3/32 + z/2 + 15/32·z²               least-squares (L², uniform weight) approximation
                                                   of max(0, z) on [−1, 1] by a degree-2 polynomial
=============  ==================================  =================================================

Coefficients must be exact rationals: ints, ``fractions.Fraction``,
``flint.fmpq``/``fmpz``, sympy Rationals, or strings such as ``"1/3"``.
**Floats are rejected** (``ValueError``): a float coefficient almost always
stands for a decimal (0.1) whose exact binary value has a 2⁵⁵ denominator
that would bloat every Gröbner basis computation; write ``Fraction(1, 10)``
or ``"1/10"`` instead.  Irrational constants (π, √2) and non-polynomial
expressions (sin z, 1/z, √z) are rejected with a ``ValueError`` naming the
problem.
"""
from __future__ import annotations

import numbers
from fractions import Fraction
from types import MappingProxyType

import flint
import numpy as np
import sympy

from grobnet.frontend.parse import PolynomialSyntaxError, parse_polynomial

__all__ = ["Activation", "get_activation", "NAMED_ACTIVATIONS", "to_fmpq"]


def to_fmpq(value, what="coefficient"):
    """Exact conversion of an int/Fraction/fmpq/fmpz/sympy Rational/"p/q" string to ``fmpq``.

    Floats and anything non-rational raise ``ValueError``/``TypeError`` naming ``what``.
    """
    if isinstance(value, flint.fmpq):
        return value
    if isinstance(value, bool):
        raise TypeError(f"{what} {value!r} is a bool, not a number")
    if isinstance(value, (int, flint.fmpz)):
        return flint.fmpq(value)
    if isinstance(value, Fraction):
        return flint.fmpq(value.numerator, value.denominator)
    if isinstance(value, numbers.Integral):  # numpy integers
        return flint.fmpq(int(value))
    if isinstance(value, str):
        try:
            f = Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"{what} {value!r} is not a rational number like '3' or '1/3'") from None
        if "." in value or "e" in value.lower():
            raise ValueError(f"{what} {value!r} is a decimal; write it as a quotient "
                             f"(e.g. '{f.numerator}/{f.denominator}')")
        return flint.fmpq(f.numerator, f.denominator)
    if isinstance(value, (float, numbers.Real)) and not _is_sympy(value):
        raise ValueError(f"{what} {value!r} is a float: activation coefficients must be exact "
                         f"rationals (use fractions.Fraction or a string such as '1/10')")
    if _is_sympy(value):
        if isinstance(value, sympy.Rational):
            return flint.fmpq(int(value.p), int(value.q))
        if isinstance(value, sympy.Float):
            raise ValueError(f"{what} {value} is a float: activation coefficients must be exact "
                             "rationals (use sympy.Rational)")
        raise ValueError(f"{what} {value} is not a rational number")
    raise TypeError(f"{what} {value!r} of type {type(value).__name__} is not a rational number")


def _is_sympy(value):
    return isinstance(value, sympy.Basic)


class Activation:
    """A univariate polynomial σ(z) with rational coefficients.

    ``coefficients`` are ``fmpq``, lowest degree first, without trailing zeros.
    Calling an activation evaluates it on numbers, numpy arrays or python-flint
    polynomials (Horner's rule, exact for exact inputs).
    """

    __slots__ = ("coefficients", "name")

    def __init__(self, coefficients, name=None):
        coeffs = [to_fmpq(c, "activation coefficient") for c in coefficients]
        while coeffs and coeffs[-1] == 0:
            coeffs.pop()
        if not coeffs:
            raise ValueError("activation is the zero polynomial: every network output would be "
                             "constant")
        self.coefficients = tuple(coeffs)
        self.name = name if name is not None else self._default_name()

    @property
    def degree(self):
        """Degree of σ."""
        return len(self.coefficients) - 1

    def is_identity(self):
        """True when σ(z) = z."""
        return self.coefficients == (flint.fmpq(0), flint.fmpq(1))

    def __call__(self, z):
        """σ(z) by Horner's rule; ``z`` may be a number, numpy array or flint polynomial."""
        if self.is_identity():
            return z
        float_mode = _is_float_like(z)
        coeffs = [float(c) for c in self.coefficients] if float_mode else self.coefficients
        acc = coeffs[-1]
        for c in reversed(coeffs[:-1]):
            acc = acc * z + c
        if not float_mode and self.degree == 0:
            return acc + 0 * z
        return acc

    def derivative(self):
        """σ' as an :class:`Activation` (``None`` if σ is constant)."""
        d = [c * k for k, c in enumerate(self.coefficients)][1:]
        if not d or all(c == 0 for c in d):
            return None
        return Activation(d, name=f"({self.name})'")

    def to_sympy(self, z=None):
        """σ as a sympy expression in ``z`` (default ``Symbol('z')``)."""
        z = sympy.Symbol("z") if z is None else z
        return sum((sympy.Rational(int(c.p), int(c.q)) * z ** k
                    for k, c in enumerate(self.coefficients)), sympy.Integer(0))

    def polynomial_string(self):
        """σ(z) written as text, e.g. ``'z^2 + z'``."""
        ctx = flint.fmpq_mpoly_ctx.get(("z",), "degrevlex")
        return str(ctx.from_dict({(k,): c for k, c in enumerate(self.coefficients) if c != 0}))

    def _default_name(self):
        return self.polynomial_string()

    def __eq__(self, other):
        if not isinstance(other, Activation):
            return NotImplemented
        return self.coefficients == other.coefficients

    def __hash__(self):
        return hash(self.coefficients)

    def __repr__(self):
        poly = self.polynomial_string()
        if self.name == poly:
            return f"Activation({poly!r})"
        return f"Activation({self.name!r}: {poly})"


def _is_float_like(z):
    return isinstance(z, (float, np.ndarray, np.generic))


_F = Fraction

#: name -> (coefficients low to high, description); read-only.
NAMED_ACTIVATIONS = MappingProxyType({
    "identity": ((0, 1), "identity z (linear network)"),
    "linear": ((0, 1), "identity z (linear network)"),
    "square": ((0, 0, 1), "z^2"),
    "z+z^2": ((0, 1, 1), "z + z^2"),
    "tanh": ((0, 1, 0, _F(-1, 3)), "degree-3 Taylor polynomial of tanh at 0: z - z^3/3"),
    "sigmoid": ((_F(1, 2), _F(1, 4), 0, _F(-1, 48)),
                "degree-3 Taylor polynomial of the logistic sigmoid at 0: 1/2 + z/4 - z^3/48"),
    "relu": ((_F(3, 32), _F(1, 2), _F(15, 32)),
             "degree-2 least-squares approximation of max(0,z) on [-1,1]: 3/32 + z/2 + 15/32 z^2"),
})


def get_activation(spec):
    """Normalise an activation specification into an :class:`Activation` (see module doc)."""
    if isinstance(spec, Activation):
        return spec
    if isinstance(spec, str):
        key = spec.strip()
        compact = key.replace(" ", "").replace("**", "^")
        if key.lower() in NAMED_ACTIVATIONS:
            coeffs, _ = NAMED_ACTIVATIONS[key.lower()]
            return Activation(coeffs, name=key.lower())
        if compact in NAMED_ACTIVATIONS:
            coeffs, _ = NAMED_ACTIVATIONS[compact]
            return Activation(coeffs, name=compact)
        return _from_text(key)
    if _is_sympy(spec):
        return _from_sympy(spec)
    if isinstance(spec, (list, tuple)):
        if not spec:
            raise ValueError("activation coefficient list is empty")
        return Activation(spec)
    if isinstance(spec, np.ndarray):
        if spec.dtype.kind == "f":
            raise ValueError("activation coefficients are floats: give exact rationals "
                             "(fractions.Fraction, int, or strings like '1/3')")
        return Activation(list(spec))
    if callable(spec):
        raise TypeError(f"activation {spec!r} is a Python function; grobnet needs a polynomial "
                        "(a name, a polynomial in z as text, a sympy expression or coefficients)")
    raise TypeError(f"activation {spec!r} of type {type(spec).__name__} is not understood; "
                    f"give a name ({', '.join(NAMED_ACTIVATIONS)}), a polynomial in z, a sympy "
                    "expression or a coefficient list")


def _from_text(text):
    if not text:
        raise ValueError("activation is an empty string")
    try:
        poly = parse_polynomial(text, ("z",))
    except PolynomialSyntaxError as exc:
        raise ValueError(f"activation {text!r} is neither a known name "
                         f"({', '.join(NAMED_ACTIVATIONS)}) nor a polynomial in z with rational "
                         f"coefficients: {exc.reason}") from None
    coeffs = [flint.fmpq(0)] * (max(poly.total_degree(), 0) + 1)
    for (k,), c in poly.terms():
        coeffs[int(k)] = c
    return Activation(coeffs, name=text.replace(" ", ""))


def _from_sympy(expr):
    free = sorted(expr.free_symbols, key=str)
    if len(free) > 1:
        raise ValueError(f"activation {expr} has several variables {free}; it must be univariate")
    if expr.has(sympy.Float):
        raise ValueError(f"activation {expr} has float coefficients: use exact rationals "
                         "(sympy.Rational)")
    z = free[0] if free else sympy.Symbol("z")
    try:
        poly = sympy.Poly(expr, z)
    except sympy.PolynomialError as exc:
        raise ValueError(f"activation {expr} is not a polynomial in {z}: {exc}") from None
    if poly.get_domain() not in (sympy.ZZ, sympy.QQ):
        raise ValueError(f"activation {expr} has a non-rational coefficient (domain "
                         f"{poly.get_domain()}); coefficients must be exact rationals")
    coeffs = [0] * (poly.degree() + 1) if poly.degree() >= 0 else [0]
    for (k,), c in poly.terms():
        coeffs[k] = sympy.Rational(c)
    return Activation(coeffs, name=str(expr).replace(" ", "").replace("**", "^"))
