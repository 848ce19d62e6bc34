"""``GroebnerBasis``: the one result type of :func:`grobnet.groebner`, over GF(p) and over Q.

Both results -- :class:`grobnet.engine.groebner.ModularGroebnerBasis` (GF(p), the C
engine) and :class:`grobnet.exact.lift.RationalGroebnerBasis` (Q, the multimodular
lift) -- subclass :class:`GroebnerBasis` and answer the same questions the same way,
after sympy's ``GroebnerBasis`` (``sympy/polys/polytools.py``):

* a sequence in sympy's order: decreasing leading monomial (``G[0]`` has the
  largest); ``len``, iteration and indexing give elements of the kind sympy's
  ``polys=`` asks for (default: the kind of the input -- sympy expressions for
  sympy expressions, sympy ``Poly`` for ``Poly``, python-flint polynomials for
  python-flint, ``PolynomialSystem`` or string input; ``reduce`` answers in the
  same kind);
* ``polys`` (python-flint, monic), ``exprs`` (sympy expressions, presented as
  sympy presents them: monic over ``QQ`` and ``GF(p)`` -- symmetric residues --,
  primitive integer polynomials over ``ZZ``), ``to_sympy()`` (sympy ``Poly``),
  ``gens`` (sympy symbols), ``domain`` (sympy's ``QQ``, ``ZZ`` or ``GF(p)``);
* equality on the ideal and the order: two results are equal when they are
  bases of the same ideal in the same variables, field and monomial order (the
  reduced basis is unique), whatever their statistics, timings or presentation;
  a list or tuple (or a sympy ``GroebnerBasis``) is equal when its elements,
  converted, are this basis in this order in one of its presentations (monic,
  or over ``ZZ`` primitive integer polynomials) -- sympy's rule;
* ``reduce`` (normal form), ``contains`` (ideal membership), ``dimension``,
  ``degree``, ``hilbert_series()``, ``is_zero_dimensional``, ``fglm(order)``
  (the basis of a zero-dimensional ideal in another order) and
  ``leading_monomials()`` (a method on both).

Differences from sympy, on purpose: ``reduce(f)`` returns the normal form only
(sympy's returns ``(quotients, remainder)``; the engine does not compute
cofactors); ``polys`` are python-flint polynomials (sympy's: ``Poly``, here
``to_sympy()``); ``order`` is a name (``"grevlex"``), not sympy's order object.

An incomplete result (``complete=False``: a prime budget ran out, an exact
verification failed) is not a basis of the ideal: its elements can be looked
at, but questions about the ideal (``reduce``, ``contains``, ``dimension``,
``fglm``, ...) raise :class:`IncompleteBasis`.
"""
from __future__ import annotations

from fractions import Fraction
from math import gcd, lcm

import sympy
from flint import fmpq_mpoly, fmpz_mpoly, nmod_mpoly

from grobnet.engine.convert import as_system, is_single_polynomial
from grobnet.engine.hilbert import hilbert_series
from grobnet.engine.options import ORDERS, normalize_order
from grobnet.errors import GrobnetError

__all__ = ["GroebnerBasis", "IncompleteBasis", "ELEMENT_KINDS"]

#: What iterating a basis gives: python-flint polynomials, sympy expressions, sympy Poly.
ELEMENT_KINDS = ("flint", "expr", "poly")


class IncompleteBasis(GrobnetError, ValueError):
    """A question about the ideal was asked of an incomplete basis (``complete=False``)."""


class GroebnerBasis:
    """A reduced Groebner basis: the interface shared by the GF(p) and the Q results.

    Subclasses provide ``variables`` (names, the first the largest), ``order`` and
    ``blocks``, ``modulus`` (``None`` over Q), ``complete``, ``reason``, ``stats``,
    ``polys`` (python-flint, monic, in sympy's order) and the hooks
    :meth:`_leads`, :meth:`_normal_forms`, :meth:`_with_order`, :meth:`_terms`.
    """

    #: presentation (set by :meth:`_present`): element kind, ZZ presentation over Q, symbols
    _kind = "flint"
    _integer = False
    _symmetric = True
    _symbols = None

    # -- hooks ----------------------------------------------------------------------------
    def _leads(self) -> list:
        """Leading exponent tuples, in basis order."""
        raise NotImplementedError

    def _normal_forms(self, system) -> list:
        """Normal forms (python-flint, in the basis' context) of an ``InputSystem``."""
        raise NotImplementedError

    def _with_order(self, order: str) -> "GroebnerBasis":
        """The reduced basis of the same ideal in the monomial order ``order``."""
        raise NotImplementedError

    def _terms(self) -> tuple:
        """The basis as a hashable tuple of term tuples ``((exponents, coefficient), ...)``
        (coefficients as ``int`` residues over GF(p), ``Fraction`` over Q), basis order."""
        raise NotImplementedError

    # -- presentation ---------------------------------------------------------------------
    def _present(self, kind: str = "flint", integer: bool = False, symbols=None,
                 symmetric: bool = True):
        """Set how the basis presents itself (see the module docstring); returns ``self``.
        ``symmetric``: over GF(p), sympy's ``symmetric=`` (residues in ``(-p/2, p/2]`` or
        in ``[0, p)`` in sympy expressions and ``Poly``)."""
        if kind not in ELEMENT_KINDS:
            raise ValueError(f"element kind must be one of {ELEMENT_KINDS}, got {kind!r}")
        if integer and self.modulus is not None:
            raise ValueError("a basis over GF(p) has no presentation over ZZ")
        self._kind, self._integer, self._symmetric = kind, bool(integer), bool(symmetric)
        self._symbols = None if symbols is None else tuple(symbols)
        self.__dict__.pop("_cache_sympy", None)
        return self

    def _presented_like(self, other: "GroebnerBasis") -> "GroebnerBasis":
        return self._present(other._kind, other._integer, other._symbols, other._symmetric)

    @property
    def gens(self) -> tuple:
        """The variables as sympy symbols (those of the input when it was sympy)."""
        if self._symbols is not None:
            return self._symbols
        return tuple(sympy.Symbol(n) for n in self.variables)

    @property
    def domain(self):
        """sympy's domain of the presentation: ``QQ``, ``ZZ`` or ``GF(p)``."""
        if self.modulus is not None:
            return sympy.GF(self.modulus, symmetric=self._symmetric)
        return sympy.ZZ if self._integer else sympy.QQ

    def to_sympy(self) -> list:
        """The basis as sympy ``Poly`` in :attr:`gens` over :attr:`domain`, in basis order
        (sympy's ``GroebnerBasis.polys``)."""
        cache = self.__dict__.get("_cache_sympy")
        if cache is None:
            cache = [self._sympy_poly(t) for t in self._presented_terms()]
            self.__dict__["_cache_sympy"] = cache
        return list(cache)

    @property
    def exprs(self) -> list:
        """The basis as sympy expressions, in basis order (sympy's ``GroebnerBasis.exprs``)."""
        if not self.variables:
            return [self._sympy_expr(t) for t in self._presented_terms()]
        return [f.as_expr() for f in self.to_sympy()]

    def _presented_terms(self) -> list:
        """Term dicts of the presentation: monic, or primitive integer over ZZ."""
        out = []
        for terms in self._terms():
            d = dict(terms)
            out.append(_primitive(d) if self._integer else d)
        return out

    def _sympy_poly(self, terms: dict, domain=None):
        """sympy ``Poly`` in :attr:`gens` of ``{exponents: int residue or Fraction}``."""
        if not self.variables:
            raise ValueError("a basis without variables has no sympy Poly form (sympy needs "
                             "generators); use exprs")
        if self.modulus is None:
            terms = {m: sympy.Rational(c.numerator, c.denominator) for m, c in terms.items()}
        return sympy.Poly.from_dict(terms, *self.gens, domain=domain or self.domain)

    def _sympy_expr(self, terms: dict):
        if self.variables:
            return self._sympy_poly(terms, sympy.QQ if self.modulus is None else None).as_expr()
        c = next(iter(terms.values()), 0)          # no variables: a constant
        if self.modulus is not None:
            c = c - self.modulus if self._symmetric and c > self.modulus // 2 else c
        return sympy.Rational(c.numerator, c.denominator) if isinstance(c, Fraction) else \
            sympy.Integer(c)

    def _element(self, kind: str):
        if kind == "flint":
            return self.polys
        if kind == "expr":
            return self.exprs
        return self.to_sympy()

    # -- sequence protocol ----------------------------------------------------------------
    def __len__(self):
        return len(self._leads())

    def __iter__(self):
        return iter(self._element(self._kind))

    def __getitem__(self, i):
        return self._element(self._kind)[i]

    def leading_monomials(self) -> list:
        """Exponent tuples of the leading monomials, in basis order (decreasing)."""
        return list(self._leads())

    # -- equality -------------------------------------------------------------------------
    def _ideal_key(self) -> tuple:
        return ("QQ" if self.modulus is None else self.modulus, tuple(self.variables),
                self.order, self.blocks, bool(self.complete))

    def __eq__(self, other):
        if isinstance(other, GroebnerBasis):
            return self._ideal_key() == other._ideal_key() and self._terms() == other._terms()
        if isinstance(other, (list, tuple)) or _is_sympy_basis(other):
            return self._equals_sequence(list(other))
        return NotImplemented

    def __hash__(self):
        return hash((self._ideal_key(), self._terms()))

    def _equals_sequence(self, items: list) -> bool:
        if len(items) != len(self):
            return False
        gens = self._symbols if self._symbols is not None else self.variables
        try:
            system = as_system(items, gens, keep_zeros=True)
        except (ValueError, TypeError):
            return False
        if system.modulus is not None and system.modulus != self.modulus:
            return False
        theirs = [_term_dict(f, self.modulus) for f in system.polys]
        if any(t is None for t in theirs):
            return False
        monic = [dict(t) for t in self._terms()]
        if theirs == monic:
            return True
        return self.modulus is None and theirs == [_primitive(t) for t in monic]

    # -- the ideal ------------------------------------------------------------------------
    def _require_complete(self, what: str):
        if not self.complete:
            raise IncompleteBasis(f"this basis is incomplete ({self.reason}): it is not a "
                                  f"Groebner basis of the ideal, so {what} cannot be answered "
                                  "from it")

    def reduce(self, f):
        """Normal form of ``f`` modulo the basis (the remainder of the division; not made
        monic), in the kind of the basis' elements.

        ``f`` is one polynomial or a sequence of them, of any kind ``groebner``
        accepts, in (a subset of) the basis' variables; a sequence gives a list.
        Unlike sympy's ``GroebnerBasis.reduce``, which returns ``(quotients,
        remainder)``, only the remainder is returned.
        """
        self._require_complete("reduce()")
        single = is_single_polynomial(f)
        system = self._input([f] if single else f)
        forms = self._normal_forms(system)
        out = [self._as_kind(r) for r in forms]
        return out[0] if single else out

    def _as_kind(self, r):
        if self._kind == "flint":
            return r
        terms = _term_dict(r, self.modulus)
        if self._kind == "expr":
            return self._sympy_expr(terms)
        dom = self.domain if self.modulus is not None else (
            sympy.ZZ if self._integer and all(c.denominator == 1 for c in terms.values())
            else sympy.QQ)
        return self._sympy_poly(terms, dom)

    def contains(self, f) -> bool:
        """Whether the ideal contains ``f`` (for a sequence: every element of it)."""
        self._require_complete("contains()")
        system = self._input([f] if is_single_polynomial(f) else f)
        return all(r.is_zero() for r in self._normal_forms(system))

    def _input(self, F):
        """``F`` converted in the basis' variables (zeros kept), or an error naming a field
        mismatch."""
        gens = self._symbols if self._symbols is not None else self.variables
        system = as_system(F, gens, keep_zeros=True)
        if system.modulus is not None and system.modulus != self.modulus:
            where = ("the basis is over the rationals" if self.modulus is None
                     else f"modulus={self.modulus} is the basis' field")
            raise ValueError(f"the polynomials are over GF({system.modulus}) but {where}")
        return system

    def hilbert_series(self):
        """Hilbert series of the ideal (from the leading monomials),
        :class:`grobnet.engine.hilbert.HilbertSeries`."""
        self._require_complete("the Hilbert series")
        return hilbert_series(self._leads(), len(self.variables))

    @property
    def dimension(self) -> int:
        """Krull dimension of the ideal: 0 for finitely many solutions, -1 for the unit
        ideal (no solution)."""
        return self.hilbert_series().dimension

    @property
    def degree(self) -> int:
        """Degree of the ideal (for dimension 0: the number of solutions with
        multiplicity; 0 for the unit ideal)."""
        return self.hilbert_series().degree

    @property
    def is_zero_dimensional(self) -> bool:
        """Whether the ideal has finitely many solutions (and at least one: the unit ideal
        is not zero-dimensional, as in sympy)."""
        return self.dimension == 0

    def fglm(self, order) -> "GroebnerBasis":
        """The reduced basis of this zero-dimensional ideal in another monomial order
        (``"lex"``, ``"grevlex"``, ... or a sympy order object), as sympy's
        ``GroebnerBasis.fglm``: ``self`` when the order is already ``order``,
        ``NotImplementedError`` for an ideal of positive dimension (sympy's rule; for
        those, ``groebner(G, order=...)`` accepts a basis as input).  The new basis is
        computed from this one (F4 in the new order, over Q multimodular); the result
        is the same reduced basis FGLM would give.
        """
        target = normalize_order(order)
        if target == "block":
            raise ValueError("fglm changes to an order without blocks: one of "
                             + ", ".join(repr(o) for o in ORDERS if o != "block")
                             + "; for a block order use groebner(G, order='block', blocks=...)")
        if target == self.order:
            return self
        self._require_complete("fglm()")
        if not self.is_zero_dimensional:
            raise NotImplementedError("Cannot convert Groebner bases of ideals with positive "
                                      "dimension (fglm needs a zero-dimensional ideal; use "
                                      "groebner(G, order=...) instead)")
        return self._with_order(target)._presented_like(self)


def _is_sympy_basis(other) -> bool:
    return isinstance(other, sympy.GroebnerBasis)


def _term_dict(f, modulus) -> dict | None:
    """``{exponents: coefficient}`` of a python-flint polynomial: residues in ``[0, p)`` over
    GF(p) (``None`` if a denominator is divisible by ``p``), ``Fraction`` over Q."""
    if modulus is None and isinstance(f, nmod_mpoly):
        return None
    out = {}
    for m, c in zip(f.monoms(), f.coeffs()):
        m = tuple(int(e) for e in m)
        if modulus is None:
            out[m] = Fraction(int(c.p), int(c.q)) if isinstance(f, fmpq_mpoly) else \
                Fraction(int(c))
        else:
            if isinstance(f, nmod_mpoly):
                r = int(c)
            elif isinstance(f, fmpz_mpoly):
                r = int(c) % modulus
            else:
                q = int(c.q) % modulus
                if q == 0:
                    return None
                r = int(c.p) * pow(q, -1, modulus) % modulus
            if r:
                out[m] = r
    return out


def _primitive(terms: dict) -> dict:
    """A monic rational polynomial times the lcm of its denominators: primitive, with a
    positive leading coefficient -- sympy's presentation of a basis over ``ZZ``."""
    den = 1
    for c in terms.values():
        den = lcm(den, c.denominator)
    out = {m: Fraction(c * den) for m, c in terms.items()}
    g = 0
    for c in out.values():
        g = gcd(g, c.numerator)
    return {m: c / g for m, c in out.items()} if g > 1 else out
