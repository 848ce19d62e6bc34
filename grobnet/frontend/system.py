"""``PolynomialSystem``: the contract between the frontend and the solver.

A polynomial system is a list of polynomials in named variables over ℚ
(characteristic 0) or GF(p).  Variable 0 is the *largest* variable in every
monomial order (degrevlex with the variables in the given order, as in
Singular's ``dp`` and msolve).  Equations are python-flint ``fmpq_mpoly`` over
a degrevlex ``fmpq_mpoly_ctx``; ``integer_equations`` are the same equations
scaled by positive integers so that their coefficients are coprime integers
(same solutions, what an F4 engine over GF(p) wants).

Over GF(p) (``characteristic = p``) coefficients are stored reduced to
integers in ``[0, p)`` (a rational ``a/b`` becomes ``a·b⁻¹ mod p``), so that
every representation of the system agrees modulo p.
"""
from __future__ import annotations

import math
import numbers
from fractions import Fraction

import flint
import sympy

from grobnet.frontend.formats import (msolve_text, parse_msolve_text, singular_text,
                                      sympy_expressions)
from grobnet.frontend.parse import check_variable_names, flint_names

__all__ = ["PolynomialSystem", "check_variable_names"]

def _check_characteristic(p):
    if isinstance(p, bool) or not isinstance(p, int):
        if not isinstance(p, numbers.Integral):
            raise TypeError(f"characteristic must be an integer, not {type(p).__name__}")
        p = int(p)
    if p < 0:
        raise ValueError(f"characteristic {p} is negative")
    if p != 0 and not flint.fmpz(p).is_prime():
        raise ValueError(f"characteristic {p} is not 0 and not a prime")
    return p


def _to_fmpq_mpoly(f, ctx, index):
    """Convert ``f`` (fmpq_mpoly / fmpz_mpoly / nmod_mpoly / number) into an fmpq_mpoly over ``ctx``."""
    if isinstance(f, flint.fmpq_mpoly):
        if f.context() is ctx:
            return f
        names = f.context().names()
    elif isinstance(f, (flint.fmpz_mpoly, flint.nmod_mpoly)):
        names = f.context().names()
    elif isinstance(f, (int, flint.fmpz, flint.fmpq)) and not isinstance(f, bool):
        return ctx.constant(flint.fmpq(f))
    else:
        raise TypeError(f"equation {index} is a {type(f).__name__}; expected a python-flint "
                        "fmpq_mpoly or fmpz_mpoly")
    if tuple(names) != ctx.names():
        raise ValueError(f"equation {index} is over variables {tuple(names)}, "
                         f"expected {ctx.names()}")
    return ctx.from_dict({m: flint.fmpq(int(c)) if isinstance(c, flint.nmod) else c
                          for m, c in f.to_dict().items()})


def _residues(f, p, index):
    """``{monomial: residue in [1, p)}`` of the rational polynomial ``f`` modulo the prime ``p``."""
    out = {}
    for m, c in f.to_dict().items():
        num, den = int(c.p), int(c.q)
        if den % p == 0:
            raise ValueError(f"equation {index}: coefficient {c} has a denominator divisible "
                             f"by the characteristic {p}")
        r = num * pow(den, -1, p) % p
        if r:
            out[m] = r
    return out


def _reduce_mod(f, ctx, p, index):
    """``f`` with its coefficients reduced to integers in [0, p), in the rational context ``ctx``."""
    return ctx.from_dict({m: flint.fmpq(r) for m, r in _residues(f, p, index).items()})


class PolynomialSystem:
    """A list of polynomial equations ``f = 0`` in named variables, plus provenance.

    Attributes
    ----------
    variables : tuple of str
        Variable names in order; variable 0 is the largest in every monomial order.
    ctx : flint.fmpq_mpoly_ctx
        The degrevlex context with those names.
    equations : list of flint.fmpq_mpoly
        The equations (over GF(p): coefficients reduced into ``[0, p)``).
    characteristic : int
        0 (rationals) or a prime p.
    loss : flint.fmpq_mpoly or None
        For a network's gradient system, the loss whose partial derivatives
        (in variable order) are ``equations``.
    metadata : dict
        Provenance: network description, data, loss kind, regularisation, ...
    name : str or None
        A short label shown in ``repr``.
    """

    def __init__(self, variables, equations, characteristic=0, loss=None, metadata=None,
                 name=None):
        self.variables = check_variable_names(variables)
        self.characteristic = _check_characteristic(characteristic)
        self.ctx = flint.fmpq_mpoly_ctx.get(flint_names(self.variables), "degrevlex")
        eqs = [_to_fmpq_mpoly(f, self.ctx, i) for i, f in enumerate(equations)]
        if self.characteristic:
            eqs = [_reduce_mod(f, self.ctx, self.characteristic, i) for i, f in enumerate(eqs)]
        self.equations = eqs
        self.loss = None if loss is None else _to_fmpq_mpoly(loss, self.ctx, "loss")
        self.metadata = dict(metadata or {})
        self.name = name
        self._integer_equations = None

    # -- basic protocol ------------------------------------------------------
    @property
    def nvars(self):
        """Number of variables."""
        return len(self.variables)

    def __len__(self):
        return len(self.equations)

    def __iter__(self):
        return iter(self.equations)

    def __getitem__(self, i):
        return self.equations[i]

    def max_degree(self):
        """Largest total degree of an equation (0 for an empty or constant system)."""
        return max((max(f.total_degree(), 0) for f in self.equations), default=0)

    def degrees(self):
        """Total degree of each equation (-1 for a zero polynomial)."""
        return [f.total_degree() for f in self.equations]

    def n_terms(self):
        """Total number of terms over all equations."""
        return sum(len(f) for f in self.equations)

    def __repr__(self):
        field = "" if self.characteristic == 0 else f" over GF({self.characteristic})"
        label = f", {self.name!r}" if self.name else ""
        eq = "equation" if len(self) == 1 else "equations"
        var = "variable" if self.nvars == 1 else "variables"
        return (f"PolynomialSystem({len(self)} {eq} in {self.nvars} {var}{field}, "
                f"max degree {self.max_degree()}{label})")

    def __eq__(self, other):
        """Same variables (in order), characteristic and equations (in order)."""
        if not isinstance(other, PolynomialSystem):
            return NotImplemented
        return (self.variables == other.variables
                and self.characteristic == other.characteristic
                and len(self.equations) == len(other.equations)
                and all(f == g for f, g in zip(self.equations, other.equations)))

    __hash__ = None

    def summary(self):
        """A few lines for people: provenance, sizes, degrees, number of terms."""
        lines = [repr(self)]
        desc = self.metadata.get("description")
        if desc:
            lines.append(f"  what:       {desc}")
        field = "rationals (characteristic 0)" if self.characteristic == 0 else \
            f"GF({self.characteristic})"
        lines.append(f"  field:      {field}")
        shown = ", ".join(self.variables[:12]) + (", ..." if self.nvars > 12 else "")
        lines.append(f"  variables:  {self.nvars} ({shown}); degrevlex, first variable largest")
        degs = self.degrees()
        hist = {}
        for d in degs:
            hist[d] = hist.get(d, 0) + 1
        deg_text = ", ".join(f"{n} of degree {d}" for d, n in sorted(hist.items(), reverse=True))
        lines.append(f"  equations:  {len(self)} ({deg_text})")
        lines.append(f"  terms:      {self.n_terms()} in all, at most "
                     f"{max((len(f) for f in self.equations), default=0)} in one equation")
        if self.loss is not None:
            lines.append(f"  loss:       degree {self.loss.total_degree()}, {len(self.loss)} terms")
        return "\n".join(lines)

    # -- pickling (python-flint polynomials do not pickle) --------------------
    def __getstate__(self):
        def pack(f):
            return None if f is None else [(tuple(int(e) for e in m), int(c.p), int(c.q))
                                           for m, c in f.terms()]
        return {"variables": self.variables, "characteristic": self.characteristic,
                "equations": [pack(f) for f in self.equations], "loss": pack(self.loss),
                "metadata": self.metadata, "name": self.name}

    def __setstate__(self, state):
        self.variables = tuple(state["variables"])
        self.characteristic = state["characteristic"]
        self.ctx = flint.fmpq_mpoly_ctx.get(flint_names(self.variables), "degrevlex")

        def unpack(terms):
            return None if terms is None else self.ctx.from_dict(
                {m: flint.fmpq(p, q) for m, p, q in terms})
        self.equations = [unpack(t) for t in state["equations"]]
        self.loss = unpack(state["loss"])
        self.metadata = state["metadata"]
        self.name = state["name"]
        self._integer_equations = None

    # -- derived forms -----------------------------------------------------
    @property
    def integer_equations(self):
        """Equations as ``fmpz_mpoly``: each times a positive rational making it primitive.

        Over ℚ: multiplied by the lcm of its denominators and divided by the gcd
        of the resulting numerators (a positive factor, so the sign is kept and
        the solutions are the same).  Over GF(p): the stored representatives in
        ``[0, p)`` (scaling is not needed there).
        """
        if self._integer_equations is None:
            zctx = flint.fmpz_mpoly_ctx.get(flint_names(self.variables), "degrevlex")
            out = []
            for f in self.equations:
                coeffs = f.coeffs()
                if self.characteristic == 0 and coeffs:
                    den = math.lcm(*(int(c.q) for c in coeffs))
                    nums = [int(c.p) * (den // int(c.q)) for c in coeffs]
                    g = math.gcd(*nums)
                    ints = [v // g for v in nums]
                else:
                    ints = [int(c.p) for c in coeffs]
                out.append(zctx.from_dict(dict(zip(f.monoms(), ints))))
            self._integer_equations = out
        return list(self._integer_equations)

    def modular_equations(self, p=None):
        """Equations as ``nmod_mpoly`` modulo the prime ``p`` (default: the characteristic).

        Raises ``ValueError`` when ``p`` divides a denominator (an unlucky prime for
        this input) or when ``p`` is not prime.
        """
        if p is None:
            p = self.characteristic
        if not p:
            raise ValueError("modular_equations needs a prime p for a system over the rationals")
        p = _check_characteristic(p)
        if self.characteristic and p != self.characteristic:
            raise ValueError(f"system is over GF({self.characteristic}), cannot reduce modulo {p}")
        nctx = flint.nmod_mpoly_ctx.get(flint_names(self.variables), modulus=p,
                                        ordering="degrevlex")
        return [nctx.from_dict(_residues(f, p, i)) for i, f in enumerate(self.equations)]

    # -- text formats (grobnet.frontend.formats) --------------------------
    def to_msolve(self, integer=False):
        """The system in msolve's input format; with ``integer=True`` the
        denominator-cleared ``integer_equations`` (same solutions)."""
        eqs = self.integer_equations if integer else self.equations
        return msolve_text(self.variables, self.characteristic, eqs)

    def to_singular(self, ideal_name="I", ring_name="r"):
        """A Singular script defining the ring (``dp``: grobnet's grevlex) and the ideal."""
        return singular_text(self.variables, self.characteristic, self.equations,
                             name=self.name, ideal_name=ideal_name, ring_name=ring_name)

    def to_sympy(self):
        """``(expressions, symbols)``: the equations as sympy expressions and the symbols in order."""
        return sympy_expressions(self.variables, self.equations)

    @classmethod
    def from_msolve(cls, text, name=None):
        """Parse msolve-format text (see :mod:`grobnet.frontend.formats`)."""
        variables, p, equations = parse_msolve_text(text)
        return cls(variables, equations, characteristic=p, name=name)

    def substitute(self, point):
        """Values of the equations at ``point`` (a sequence of numbers, one per variable), exactly.

        Numbers may be int, ``fmpq``, ``fractions.Fraction`` or anything ``fmpq`` accepts.
        """
        vals = [_as_fmpq(v) for v in point]
        if len(vals) != self.nvars:
            raise ValueError(f"point has {len(vals)} coordinates, system has {self.nvars} variables")
        out = [f(*vals) for f in self.equations]
        if self.characteristic:
            p = self.characteristic
            out = [flint.fmpq(int(v.p) * pow(int(v.q), -1, p) % p) for v in out]
        return out


def _as_fmpq(v):
    if isinstance(v, flint.fmpq):
        return v
    if isinstance(v, (int, flint.fmpz)) and not isinstance(v, bool):
        return flint.fmpq(v)
    if isinstance(v, Fraction):
        return flint.fmpq(v.numerator, v.denominator)
    if isinstance(v, sympy.Rational):
        return flint.fmpq(int(v.p), int(v.q))
    raise TypeError(f"coordinate {v!r} is not an exact rational (int, Fraction, fmpq)")
