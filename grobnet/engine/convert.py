"""Boundary conversions between user input, python-flint polynomials and engine arrays.

User input (python-flint ``nmod_mpoly`` / ``fmpz_mpoly`` / ``fmpq_mpoly``, a
``PolynomialSystem``-like object, sympy expressions or strings) is turned into
an :class:`InputSystem` -- variable names plus python-flint polynomials in one
context -- by :func:`as_system`.  :func:`to_raw` reduces such a system modulo a
prime into the engine's representation, a list of ``(exps, coeffs)`` pairs
(``int32`` array of shape ``(terms, nvars)`` and ``uint32`` array of
coefficients in ``[0, p)``); :func:`from_raw` goes back to ``nmod_mpoly``.

Nothing above this module sees raw arrays, and nothing below it sees sympy.
"""
from __future__ import annotations

import dataclasses
from fractions import Fraction
from math import lcm
from numbers import Integral, Number, Rational
from typing import Optional, Sequence, Tuple

import numpy as np
import sympy
from flint import fmpq, fmpq_mpoly, fmpq_mpoly_ctx, fmpz, fmpz_mpoly, nmod_mpoly, nmod_mpoly_ctx
from sympy.polys.polyutils import _sort_gens as _sympy_sort_gens
from sympy.polys.polyutils import _unify_gens as _sympy_unify_gens
from sympy.polys.polyutils import dict_from_expr

from grobnet.frontend.parse import (NAME_RULE, flint_names, is_name, names_in, parse_polynomial,
                                    user_names)

#: python-flint polynomial types accepted as input, with the ring named in messages.
FLINT_KINDS = {nmod_mpoly: "nmod_mpoly (GF(p))", fmpz_mpoly: "fmpz_mpoly (ZZ)",
               fmpq_mpoly: "fmpq_mpoly (QQ)"}
#: python-flint context orderings used for results, by grobnet order name.  flint has no
#: block order; block results are stored in a degrevlex context (only printing and flint's
#: own leading_coefficient() depend on it -- use GroebnerBasis.leading_monomials()).
FLINT_ORDERING = {"grevlex": "degrevlex", "grlex": "deglex", "lex": "lex", "block": "degrevlex"}
#: Exponents must fit the engine's int32 exponent arrays.
_MAX_EXPONENT = 2**31 - 1

RawPoly = Tuple[np.ndarray, np.ndarray]


@dataclasses.dataclass(frozen=True)
class InputSystem:
    """Converted input: variable names and python-flint polynomials over one ring.

    Attributes
    ----------
    variables : tuple of str
        Variable names, the first the largest in every monomial order.
    polys : list
        ``fmpq_mpoly`` or ``fmpz_mpoly`` (rational input) or ``nmod_mpoly``
        (input already over GF(p)), all in one context with ``variables``
        (escaped by :func:`~grobnet.frontend.parse.flint_names`); zero
        polynomials removed unless asked to keep them.
    modulus : int or None
        The prime of input already over GF(p) (``nmod_mpoly``, a sympy ``Poly``
        over ``GF(p)``), ``None`` for rational input.
    kind : str
        What the input was, for results that answer in kind: ``"expr"`` (sympy
        expressions), ``"poly"`` (sympy ``Poly``) or ``"flint"`` (python-flint
        polynomials, a ``PolynomialSystem``, strings -- parsed straight into
        python-flint -- and numbers).
    symbols : tuple or None
        The sympy ``Symbol`` of each variable when the input or the generators
        were sympy objects (assumptions kept), else ``None``.
    """

    variables: Tuple[str, ...]
    polys: list
    modulus: Optional[int] = None
    kind: str = "flint"
    symbols: Optional[tuple] = None

    @property
    def nvars(self) -> int:
        return len(self.variables)


# ---------------------------------------------------------------------------------------------
# user input -> InputSystem

def is_single_polynomial(f) -> bool:
    """Whether ``f`` is one polynomial (not a sequence of them) for the input kinds accepted."""
    return isinstance(f, (str, sympy.Basic, sympy.Poly, *FLINT_KINDS)) or _is_number(f)


def as_system(F, gens: Sequence = (), keep_zeros: bool = False) -> InputSystem:
    """Convert any supported input to an :class:`InputSystem`.

    ``F`` is one polynomial or a sequence of them: python-flint polynomials of
    one context, sympy expressions, sympy ``Poly`` or strings (``^`` allowed),
    or a ``PolynomialSystem``-like object with ``.variables`` and ``.equations``
    (``fmpq_mpoly``), ``.integer_equations`` (``fmpz_mpoly``) or ``.polys``
    (a Groebner basis).  ``gens`` names the variables (strings or sympy
    symbols), largest first.  Without it they come from the flint context or
    the system; from the generators of sympy ``Poly`` input (unified as sympy
    unifies them, so ``Poly(f, y, x)`` computes with ``y > x``); otherwise they
    are the free symbols sorted the way sympy sorts them.  A symbol that is not
    a generator would be a parameter (a coefficient in ``QQ[a]`` or ``QQ(a)``),
    which is out of scope: that is an error saying so.  Zero polynomials are
    dropped unless ``keep_zeros`` (used to keep positions when reducing).
    Errors are ``ValueError`` / ``TypeError`` naming the offending polynomial
    or variable.
    """
    names, symbols = _gen_names(gens)
    if _is_system_like(F):
        system = _from_system_like(F, names)
    else:
        items = _as_list(F)
        if any(isinstance(f, tuple(FLINT_KINDS)) for f in items):
            system = _from_flint(items, names)
        else:
            system = _from_sympy(items, names, symbols)
    if system.symbols is None and any(s is not None for s in symbols):
        system = dataclasses.replace(system, symbols=tuple(
            s if s is not None else sympy.Symbol(n) for n, s in zip(system.variables, symbols)))
    if not keep_zeros:
        system = dataclasses.replace(system, polys=[f for f in system.polys if not f.is_zero()])
    return system


def _gen_names(gens) -> Tuple[Tuple[str, ...], tuple]:
    """``(names, symbols)`` of the generators: a name per generator, and its sympy Symbol
    (``None`` for a generator given as a string)."""
    if len(gens) == 1 and isinstance(gens[0], (list, tuple)):
        gens = tuple(gens[0])
    names, symbols = [], []
    for g in gens:
        if isinstance(g, str):
            name = g.strip()
            if not is_name(name):
                raise ValueError(f"generator {g!r} is not a valid variable name: a variable name "
                                 f"is {NAME_RULE} (or pass a sympy Symbol)")
            symbols.append(None)
        elif isinstance(g, sympy.Symbol):
            name = g.name
            symbols.append(g)
        else:
            raise ValueError(f"generator {g!r} is not a variable name or sympy Symbol")
        names.append(name)
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ValueError(f"duplicate generators: {', '.join(dup)}")
    flint_names(names)              # refuses names python-flint cannot hold
    return tuple(names), tuple(symbols)


def _is_system_like(F) -> bool:
    return hasattr(F, "variables") and (hasattr(F, "equations") or hasattr(F, "integer_equations")
                                        or hasattr(F, "polys"))


def _as_list(F) -> list:
    if isinstance(F, (str, sympy.Basic, sympy.Poly, *FLINT_KINDS)):
        return [F]
    if isinstance(F, dict) or not hasattr(F, "__iter__"):
        raise TypeError(f"expected a polynomial or a sequence of polynomials, got "
                        f"{type(F).__name__}")
    return list(F)


def _from_system_like(S, names) -> InputSystem:
    """A ``PolynomialSystem``-like object: ``.variables``, ``.equations`` (``fmpq_mpoly``),
    ``.integer_equations`` (``fmpz_mpoly``) or ``.polys`` (a Groebner basis), and
    optionally ``.characteristic`` (0 or a prime p, whose equations then hold
    coefficients already reduced modulo p) or ``.modulus``."""
    eqs = getattr(S, "equations", None)
    if eqs is None:
        eqs = getattr(S, "integer_equations", None)
    if eqs is None:
        eqs = S.polys
    eqs = list(eqs)
    variables = tuple(str(v) for v in S.variables)
    modulus = int(getattr(S, "characteristic", 0) or getattr(S, "modulus", 0) or 0) or None
    if not eqs:
        return InputSystem(names or variables, [], modulus)
    system = _from_flint(eqs, names or variables)     # matched to the variables by name
    return dataclasses.replace(system, modulus=system.modulus or modulus)


def _from_flint(items, names) -> InputSystem:
    polys = [f for f in items if isinstance(f, tuple(FLINT_KINDS))]
    kinds = {type(f) for f in polys}
    if len(kinds) > 1:
        raise ValueError("polynomials from mixed rings: "
                         + ", ".join(sorted(FLINT_KINDS[k] for k in kinds))
                         + "; convert them to one ring first")
    others = [f for f in items if not isinstance(f, tuple(FLINT_KINDS))]
    bad = [f for f in others if not _is_constant(f)]
    if bad:
        raise ValueError(f"cannot mix python-flint polynomials with {type(bad[0]).__name__} "
                         f"input ({bad[0]!r}); convert all polynomials to one kind")
    ctx = polys[0].context()
    for i, f in enumerate(polys):
        if f.context() is not ctx:
            raise ValueError(f"polynomials from different contexts: {ctx} and {f.context()} "
                             f"(polynomial {i}); use one context")
    kind = type(polys[0])
    ctx_names = user_names(ctx.names())
    modulus = int(ctx.modulus()) if kind is nmod_mpoly else None
    if others:   # numbers mixed in: constants of the same ring
        polys = [f if isinstance(f, kind) else ctx.constant(_flint_scalar(f, kind)) for f in items]
    if not names or names == ctx_names:
        return InputSystem(ctx_names, polys, modulus)
    return InputSystem(names, [_remap(f, ctx_names, names, _context_like(ctx, names))
                               for f in polys], modulus)


def _is_constant(x) -> bool:
    """An exact rational number (the constants that may be mixed into flint input)."""
    return isinstance(x, (Integral, Rational, fmpz, fmpq)) and not isinstance(x, bool)


def _is_number(x) -> bool:
    """Any number sympy can take as a constant polynomial (floats become exact rationals;
    complex ones are rejected later as non-rational coefficients)."""
    return _is_constant(x) or (isinstance(x, Number) and not isinstance(x, bool))


def _flint_scalar(c, kind):
    """A number mixed into flint input, as a scalar of that ring."""
    fr = Fraction(int(c.p), int(c.q)) if isinstance(c, fmpq) else Fraction(
        int(c) if isinstance(c, fmpz) else c)
    if kind is fmpq_mpoly:
        return fmpq(fr.numerator, fr.denominator)
    if fr.denominator != 1:
        raise ValueError(f"the rational constant {c} cannot be mixed with {FLINT_KINDS[kind]} "
                         "polynomials")
    return fr.numerator


def _context_like(ctx, names):
    ordering = ctx.ordering()
    if isinstance(ctx, nmod_mpoly_ctx):
        return nmod_mpoly_ctx.get(flint_names(names), modulus=ctx.modulus(), ordering=ordering)
    return type(ctx).get(flint_names(names), ordering=ordering)


def _remap(f, old_names, new_names, new_ctx):
    """``f`` rewritten in ``new_ctx`` whose variables are ``new_names`` (by name)."""
    used = [old_names[i] for i, d in enumerate(f.degrees()) if d > 0]
    missing = [n for n in used if n not in new_names]
    if missing:
        raise ValueError(f"variable(s) {', '.join(missing)} of {f} are not among the generators "
                         f"{', '.join(new_names)}")
    where = [new_names.index(n) if n in new_names else -1 for n in old_names]
    out = {}
    for mono, c in zip(f.monoms(), f.coeffs()):
        e = [0] * len(new_names)
        for i, k in enumerate(mono):
            if k:
                e[where[i]] = k
        out[tuple(e)] = c
    return new_ctx.from_dict(out)


# sympy / string input ------------------------------------------------------------------------

_PARAMETERS = ("symbolic parameters (coefficients in a ring such as QQ[{p}] or a fraction field "
               "such as QQ({p})) are out of scope: grobnet computes over QQ and GF(p); add "
               "{p} to the generators to treat {them} as {a}variable{s}")


def _parameters_hint(names) -> str:
    many = len(names) > 1
    return _PARAMETERS.format(p=", ".join(names), them="them" if many else "it",
                              a="" if many else "a ", s="s" if many else "")


def _from_sympy(items, names, symbols) -> InputSystem:
    """Strings (parsed by :mod:`grobnet.frontend.parse`, the one polynomial parser), sympy
    expressions or numbers, and sympy ``Poly``, in the variables ``names`` (inferred when
    empty; ``symbols``: the sympy Symbol of each given generator or ``None``)."""
    exprs, poly_gens, modulus = [], [], None
    for i, f in enumerate(items):
        if isinstance(f, str):
            exprs.append(f)
        elif isinstance(f, sympy.Poly):
            p = _poly_modulus(f, i)
            if p is not None:
                if modulus is not None and p != modulus:
                    raise ValueError(f"sympy Polys over GF({modulus}) and GF({p}) (polynomial "
                                     f"{i}); use one field")
                modulus = p
            if not names:
                _check_poly_domain(f, i)
                poly_gens.append(f.gens)
            exprs.append(f.as_expr())
        elif isinstance(f, sympy.Equality):          # sympy's Eq(lhs, rhs): lhs - rhs
            exprs.append(f.lhs - f.rhs)
        elif isinstance(f, sympy.Basic) or _is_number(f):
            exprs.append(sympy.sympify(int(f) if isinstance(f, fmpz) else
                                       sympy.Rational(int(f.p), int(f.q)) if isinstance(f, fmpq)
                                       else f))
        else:
            raise TypeError(f"polynomial {i} has unsupported type {type(f).__name__}: {f!r}")
    kind = ("poly" if any(isinstance(f, sympy.Poly) for f in items) else
            "expr" if any(isinstance(f, sympy.Basic) for f in items) else "flint")
    free = {}                                   # name -> sympy symbols of that name
    for e in exprs:
        if not isinstance(e, str):
            for sym in getattr(e, "free_symbols", ()):
                free.setdefault(sym.name, set()).add(sym)
    if names:
        syms = [s if s is not None else _symbol_named(n, free) for n, s in zip(names, symbols)]
    elif poly_gens:
        syms = list(poly_gens[0])
        for g in poly_gens[1:]:
            syms = list(_sympy_unify_gens(syms, g))
        bad = [g for g in syms if not isinstance(g, sympy.Symbol)]
        if bad:
            raise ValueError(f"generator {bad[0]} of a sympy Poly is not a symbol; grobnet's "
                             "variables are symbols")
        names = tuple(g.name for g in syms)
        _unique(syms)
    else:
        for e in exprs:
            if isinstance(e, str):
                for n in names_in(e):
                    free.setdefault(n, {sympy.Symbol(n)})
        syms = [_symbol_named(n, free) for n in free]
        syms = list(_sympy_sort_gens(sorted(syms, key=lambda s: s.name)))
        names = tuple(s.name for s in syms)
    ctx = fmpq_mpoly_ctx.get(flint_names(names), ordering="lex")
    polys = [parse_polynomial(e, ctx) if isinstance(e, str) else _expr_to_fmpq(e, syms, ctx, i)
             for i, e in enumerate(exprs)]
    return InputSystem(tuple(names), polys, modulus, kind, tuple(syms))


def _symbol_named(name, free):
    """The sympy symbol called ``name`` in the input (``Symbol(name)`` if none is)."""
    found = free.get(name, ())
    if len(found) > 1:
        raise ValueError(f"two different sympy symbols are named {name} (their assumptions "
                         f"differ: {', '.join(sorted(str(s.assumptions0) for s in found))}); "
                         "rename one, or pass the generators as Symbol objects")
    return next(iter(found)) if found else sympy.Symbol(name)


def _unique(syms):
    names = [s.name for s in syms]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ValueError(f"two different sympy symbols are named {dup[0]}; rename one")


def _poly_modulus(f, index) -> Optional[int]:
    """The prime of a sympy ``Poly`` over ``GF(p)``, ``None`` for other domains."""
    dom = f.domain
    if getattr(dom, "is_FiniteField", False):
        return int(dom.characteristic())
    return None


def _check_poly_domain(f, index):
    """A sympy ``Poly`` whose coefficients are polynomials or fractions in other symbols has
    parameters, which grobnet does not handle: say so, and what to do instead."""
    dom = f.domain
    if getattr(dom, "is_PolynomialRing", False) or getattr(dom, "is_FractionField", False):
        params = [g for g in dom.symbols]
        if all(isinstance(g, sympy.Symbol) for g in params):
            raise ValueError(f"polynomial {index} ({f}) has coefficients in {dom}: "
                             + _parameters_hint([g.name for g in params]))
        raise ValueError(f"polynomial {index} ({f}) does not have rational coefficients "
                         f"(its domain is {dom})")


def _expr_to_fmpq(expr, syms, ctx, index) -> fmpq_mpoly:
    if not isinstance(expr, sympy.Expr):
        raise ValueError(f"polynomial {index} ({expr}) is not a polynomial expression "
                         f"(it is a {type(expr).__name__})")
    unknown = sorted(expr.free_symbols - set(syms), key=lambda s: s.name)
    if unknown:
        gen_names = {s.name for s in syms}
        clash = [s.name for s in unknown if s.name in gen_names]
        if clash:
            raise ValueError(f"polynomial {index} ({expr}) uses a sympy symbol {clash[0]} that "
                             f"is not the generator {clash[0]} (their assumptions differ); use "
                             "the same Symbol object")
        raise ValueError(f"polynomial {index} ({expr}) has symbol(s) "
                         f"{', '.join(s.name for s in unknown)} that are not among the "
                         f"generators {', '.join(s.name for s in syms) or '(none)'}: "
                         + _parameters_hint([s.name for s in unknown]))
    if not expr.is_polynomial(*syms):
        raise ValueError(f"polynomial {index} ({expr}) is not a polynomial in "
                         f"{', '.join(s.name for s in syms) or 'no variables'}")
    try:
        # dict_from_expr is sparse: sympy.Poly builds a dense representation, which hangs
        # on a huge exponent such as x^2147483647 (the engine then rejects it cleanly).
        terms = ([(mono, sympy.QQ.from_sympy(c))
                  for mono, c in dict_from_expr(sympy.expand(expr), gens=tuple(syms))[0].items()]
                 if syms else [((), sympy.QQ.from_sympy(expr))])
    except Exception as exc:
        raise ValueError(f"polynomial {index} ({expr}) does not have rational coefficients: "
                         f"{exc}") from None
    out = {}
    for mono, c in terms:
        if c:
            out[tuple(int(k) for k in mono)] = fmpq(int(c.numerator), int(c.denominator))
    return ctx.from_dict(out)


def is_integral(system: InputSystem) -> bool:
    """Whether every coefficient of a rational input is an integer (sympy then presents the
    answer over ``ZZ``, otherwise over ``QQ``)."""
    for f in system.polys:
        if isinstance(f, fmpq_mpoly) and any(int(c.q) != 1 for c in f.coeffs()):
            return False
    return True


# ---------------------------------------------------------------------------------------------
# InputSystem -> integer polynomials (the input of every computation over Q)

def integer_input(F, gens: Sequence = ()) -> Tuple[Tuple[str, ...], list]:
    """``(variables, [{exponent tuple: int}])``: a system over Q with each polynomial
    scaled by the lcm of its denominators (the ideal is unchanged); zero polynomials
    dropped.  ``F`` is anything :func:`as_system` accepts (a ``PolynomialSystem``,
    python-flint ``fmpq_mpoly``/``fmpz_mpoly``, sympy expressions, strings).  Raises
    ``ValueError`` for input over GF(p) and for an input whose polynomials are all
    zero (the zero ideal)."""
    system = as_system(F, gens)
    if not system.polys and not system.variables:
        raise ValueError("no input polynomials")
    if system.modulus is not None:
        raise ValueError(f"this computation works over Q, but the input is over "
                         f"GF({system.modulus}); pass rational polynomials")
    out = []
    for f in system.polys:
        d = f.to_dict()
        den = 1
        for c in d.values():
            if isinstance(c, fmpq):
                den = lcm(den, int(c.q))
        out.append({tuple(m): (int(c.p) * (den // int(c.q)) if isinstance(c, fmpq) else int(c))
                    for m, c in d.items()})
    if not out:
        raise ValueError("all input polynomials are zero: the zero ideal needs no lifting")
    return system.variables, out


# ---------------------------------------------------------------------------------------------
# InputSystem <-> engine arrays

def to_raw(system: InputSystem, p: int, drop_zeros: bool = True) -> list:
    """The system's polynomials reduced modulo the prime ``p``, as engine arrays.

    Polynomials that vanish modulo ``p`` are dropped (they do not change the
    ideal) unless ``drop_zeros`` is false.  A rational coefficient whose
    denominator is divisible by ``p`` raises ``ValueError`` naming the
    polynomial and the coefficient.
    """
    if system.modulus is not None and system.modulus != p:
        raise ValueError(f"the polynomials are over GF({system.modulus}) but modulus={p} "
                         "was requested")
    raw = []
    for i, f in enumerate(system.polys):
        r = poly_to_raw(f, system.nvars, p, index=i)
        if r[1].shape[0] or not drop_zeros:
            raw.append(r)
    return raw


def poly_to_raw(f, nvars: int, p: int, index: int = 0) -> RawPoly:
    """One python-flint polynomial as ``(exps int32 (t, nvars), coeffs uint32 (t,))`` mod ``p``."""
    monos = f.monoms()
    coeffs = f.coeffs()
    if isinstance(f, nmod_mpoly):
        cs = [int(c) for c in coeffs]
    elif isinstance(f, fmpz_mpoly):
        cs = [int(c % p) for c in coeffs]
    else:
        cs = []
        for c in coeffs:
            q = int(c.q)
            if q % p == 0:
                raise ValueError(f"coefficient {c} of polynomial {index} ({_short(f)}) has a "
                                 f"denominator divisible by the modulus {p}")
            num = int(c.p % p)
            cs.append(num if q == 1 else num * pow(q, -1, p) % p)
    keep = [j for j, c in enumerate(cs) if c]
    if len(keep) != len(cs):
        monos = [monos[j] for j in keep]
        cs = [cs[j] for j in keep]
    exps = np.array(monos, dtype=np.int64).reshape(len(monos), nvars)
    if exps.size and exps.max() > _MAX_EXPONENT:
        raise OverflowError(f"polynomial {index} ({_short(f)}) has an exponent above 2^31-1")
    return exps.astype(np.int32), np.array(cs, dtype=np.uint32)


def from_raw(raw: Sequence[RawPoly], ctx: nmod_mpoly_ctx) -> list:
    """Engine arrays back to ``nmod_mpoly`` in ``ctx``."""
    out = []
    for exps, coeffs in raw:
        out.append(ctx.from_dict(dict(zip(map(tuple, exps.tolist()), coeffs.tolist()))))
    return out


def result_context(variables: Sequence[str], p: int, order: str) -> nmod_mpoly_ctx:
    """The ``nmod_mpoly_ctx`` results live in (see :data:`FLINT_ORDERING`)."""
    return nmod_mpoly_ctx.get(flint_names(variables), modulus=p, ordering=FLINT_ORDERING[order])


def _short(f, limit=60) -> str:
    s = str(f)
    return s if len(s) <= limit else s[:limit - 3] + "..."
