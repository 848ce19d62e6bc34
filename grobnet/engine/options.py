"""Option normalisation for every Groebner entry point, in one place.

``groebner()``, ``GroebnerBasis.reduce()`` and the later layers (multimodular
lift, ordering search) all turn the user's keyword arguments into one frozen
:class:`Options` record through :func:`normalize_options`, so an alias, a
default or an error message is decided exactly once.  Checks that need the
number of variables (block sizes) are done by :meth:`Options.bind`, once the
input has been converted and the variables are known.
"""
from __future__ import annotations

import dataclasses
import math
import numbers
import operator
from typing import Callable, Optional, Tuple

import sympy
from flint import fmpz
from sympy.polys.orderings import MonomialOrder

#: Canonical order names and the spellings accepted for each (sympy's ``grevlex``,
#: ``grlex``, ``lex``; python-flint's ``degrevlex``, ``deglex``; Macaulay2's ``GLex``).
ORDER_ALIASES = {
    "grevlex": "grevlex", "degrevlex": "grevlex", "drl": "grevlex",
    "grlex": "grlex", "deglex": "grlex", "glex": "grlex",
    "lex": "lex", "plex": "lex",
    "block": "block", "elim": "block", "elimination": "block",
}
#: The canonical names, in the order error messages list them.
ORDERS = ("grevlex", "grlex", "lex", "block")
#: sympy's spellings of ``method=``: they name sympy's own algorithms.  grobnet runs F4
#: for them: the reduced Groebner basis is unique, so the answer is the same.
METHOD_ALIASES = {"buchberger": "f4", "f5b": "f4"}
#: Largest modulus the engine accepts (exclusive): coefficients are stored in 32 bits
#: and products accumulated in 64 bits.
MODULUS_BOUND = 2**31


@dataclasses.dataclass(frozen=True)
class Options:
    """Normalised options of one Groebner computation.

    Attributes
    ----------
    order : str
        ``"grevlex"``, ``"grlex"`` (degree, then lex), ``"lex"`` or ``"block"``.
    blocks : tuple of int or None
        Block sizes for ``order="block"`` (grevlex inside each block, the blocks
        eliminated left to right); ``None`` for the other orders.
    modulus : int or None
        A prime ``2 < p < 2^31``, or ``None`` for the rationals.
    method : str
        Name of the algorithm (a key of :data:`grobnet.solver.groebner.KERNELS`).
    timeout : float or None
        Wall-clock budget in seconds (``None``: unlimited).
    max_memory : int or None
        Memory budget in bytes (``None``: unlimited).
    progress : callable or None
        Called by the engine after each round as ``progress(round, degree, rows, cols)``.
    integer : bool or None
        Over the rationals, present the basis as sympy does over ``ZZ`` (primitive
        integer polynomials) instead of ``QQ`` (monic): ``domain=ZZ`` gives
        ``True``, ``domain=QQ`` ``False``; ``None`` follows sympy (``ZZ`` when every
        input coefficient is an integer).  The computation is the same.
    polys : bool or None
        sympy's ``polys=``: iterating the result gives sympy ``Poly`` (``True``)
        or sympy expressions (``False``); ``None`` answers in the kind of the
        input (python-flint polynomials for python-flint, system or string input).
    """

    order: str = "grevlex"
    blocks: Optional[Tuple[int, ...]] = None
    modulus: Optional[int] = None
    method: str = "f4"
    timeout: Optional[float] = None
    max_memory: Optional[int] = None
    progress: Optional[Callable] = None
    integer: Optional[bool] = None
    polys: Optional[bool] = None

    @property
    def domain(self) -> str:
        """``"GF(p)"`` for a prime field, ``"QQ"`` for the rationals (dispatch key)."""
        return "QQ" if self.modulus is None else "GF(p)"

    def bind(self, nvars: int, input_modulus: Optional[int] = None) -> "Options":
        """The options completed and checked against the converted input.

        ``nvars`` is the number of variables; ``input_modulus`` the prime of
        input already over GF(p) (``nmod_mpoly``), which becomes the modulus
        when none was given and must agree with it otherwise.  Raises
        ``ValueError`` when block sizes do not sum to ``nvars`` or the moduli
        disagree.
        """
        if self.order == "block" and sum(self.blocks) != nvars:
            raise ValueError(f"block sizes {self.blocks} sum to {sum(self.blocks)}, "
                             f"but there are {nvars} variables")
        if input_modulus is not None:
            if self.integer:
                raise ValueError(f"the polynomials are over GF({input_modulus}), which has no "
                                 "presentation over ZZ (domain=ZZ)")
            if self.modulus is None:
                return self.replace(modulus=input_modulus)
            if self.modulus != input_modulus:
                raise ValueError(f"the polynomials are over GF({input_modulus}) but "
                                 f"modulus={self.modulus} was given")
        return self

    def replace(self, **changes) -> "Options":
        """A copy with some options changed, normalised again."""
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        fields.update(changes)
        return normalize_options(**fields)


def normalize_options(order="grevlex", blocks=None, modulus=None, method="f4", timeout=None,
                      max_memory=None, progress=None, integer=None, polys=None,
                      domain=None) -> Options:
    """Validate and canonicalise user options into an :class:`Options` record.

    ``domain`` is sympy's keyword (``QQ``, ``ZZ``, ``GF(p)``, as sympy domains or
    strings); it sets ``modulus`` and ``integer`` and must agree with them when
    they are given too.  Every error is a ``ValueError`` (or ``TypeError`` for a
    wrong type) whose message names the offending value and says what is valid.
    """
    order = normalize_order(order)
    modulus = normalize_modulus(modulus)
    integer = _normalize_flag("integer", integer)
    if domain is not None:
        field, domain_integer = normalize_domain(domain)
        if modulus is not None and field != modulus:
            asked = "the rationals" if field is None else f"GF({field})"
            raise ValueError(f"domain={_domain_str(domain)} asks for {asked} but modulus="
                             f"{modulus} for GF({modulus}); pass one of them")
        if integer is not None and integer != domain_integer:
            raise ValueError(f"domain={_domain_str(domain)} contradicts integer={integer}")
        modulus, integer = field, domain_integer
    if modulus is not None and integer:
        raise ValueError(f"integer=True presents a basis over ZZ; GF({modulus}) has no such "
                         "presentation")
    return Options(order=order, blocks=normalize_blocks(order, blocks),
                   modulus=modulus, method=normalize_method(method),
                   timeout=_normalize_budget("timeout", timeout, float),
                   max_memory=_normalize_budget("max_memory", max_memory, int),
                   progress=_normalize_progress(progress), integer=integer,
                   polys=_normalize_flag("polys", polys))


#: sympy's order objects (``sympy.polys.orderings``) by their ``alias``.
SYMPY_ORDER_NAMES = {"lex": "lex", "grlex": "grlex", "grevlex": "grevlex"}


def normalize_order(order) -> str:
    """Canonical name of a monomial order (``"grevlex"``, ``"grlex"``, ``"lex"`` or ``"block"``).

    ``order`` is a name (any spelling of :data:`ORDER_ALIASES`, case-insensitive) or
    one of sympy's order objects (``sympy.polys.orderings.lex``, ``grlex``,
    ``grevlex``), which is mapped to its name.  sympy's other names (``ilex``,
    ``igrlex``, ``igrevlex``: inverse orders, not well-orders) and anything else are
    refused with the list of what is supported.
    """
    if isinstance(order, MonomialOrder):
        alias = getattr(order, "alias", None)
        name = SYMPY_ORDER_NAMES.get(alias)
        if name is None or name not in ORDER_ALIASES:
            raise ValueError(f"sympy's monomial order {order} is not supported; supported: "
                             + _supported() + " (sympy's ProductOrder elimination orders: "
                             "order='block' with blocks=(n1, n2, ...), grevlex in each block)")
        return ORDER_ALIASES[name]
    if not isinstance(order, str):
        raise TypeError(f"order must be a string (a name such as 'grevlex') or one of sympy's "
                        f"order objects (sympy.polys.orderings.lex, grevlex), got "
                        f"{type(order).__name__}")
    key = order.strip().lower()
    if key not in ORDER_ALIASES:
        raise ValueError(f"unknown monomial order {order!r}; supported: " + _supported())
    return ORDER_ALIASES[key]


def _supported() -> str:
    return (", ".join(_describe(o) for o in ORDERS) + "; 'block' needs blocks=(n1, n2, ...); "
            "sympy's order objects lex, grevlex" + (", grlex" if "grlex" in ORDERS else ""))


def _describe(order: str) -> str:
    aliases = [a for a, o in ORDER_ALIASES.items() if o == order and a != order]
    return f"{order!r} (or {', '.join(map(repr, aliases))})" if aliases else repr(order)


def normalize_blocks(order: str, blocks) -> Optional[Tuple[int, ...]]:
    """Block sizes as a tuple of positive ints for a block order, ``None`` otherwise."""
    if order != "block":
        if blocks is not None:
            raise ValueError(f"blocks={blocks!r} given, but order {order!r} is not a block order; "
                             "use order='block'")
        return None
    if blocks is None:
        raise ValueError("order='block' needs blocks=(n1, n2, ...), the number of variables "
                         "in each block")
    try:
        sizes = tuple(operator.index(b) for b in blocks)
    except TypeError:
        sizes = None
    if not sizes or any(b < 1 for b in sizes):
        raise ValueError(f"blocks must be a non-empty sequence of positive integers, "
                         f"got {blocks!r}")
    return sizes


def normalize_modulus(modulus) -> Optional[int]:
    """``None`` (the rationals) or a prime ``2 < p < 2^31`` as a Python int."""
    if modulus is None:
        return None
    if isinstance(modulus, bool) or not isinstance(modulus, (numbers.Integral, fmpz)):
        raise ValueError(f"modulus {modulus!r} is not a prime below 2^31 (not an integer)")
    p = int(modulus)
    if p == 2:
        raise ValueError("modulus 2 is not supported: the engine needs an odd prime below 2^31")
    if not (2 < p < MODULUS_BOUND and fmpz(p).is_prime()):
        raise ValueError(f"modulus {p} is not a prime below 2^31")
    return p


def normalize_method(method) -> str:
    """Method name, lower-cased; sympy's ``"buchberger"`` and ``"f5b"`` are mapped to
    ``"f4"`` (:data:`METHOD_ALIASES`); whether a name exists is decided by the
    dispatch table."""
    if not isinstance(method, str) or not method.strip():
        raise ValueError(f"method must be a non-empty string, got {method!r}")
    key = method.strip().lower()
    return METHOD_ALIASES.get(key, key)


def normalize_domain(domain) -> Tuple[Optional[int], bool]:
    """sympy's ``domain=`` as ``(modulus, integer)``: ``QQ`` -> ``(None, False)``, ``ZZ`` ->
    ``(None, True)``, ``GF(p)`` -> ``(p, False)``.

    ``domain`` is a sympy domain (``sympy.QQ``, ``sympy.ZZ``, ``sympy.GF(p)``) or a
    string (``"QQ"``, ``"Q"``, ``"ZZ"``, ``"Z"``, ``"GF(p)"``, ``"FF(p)"``).  Other
    domains -- floating point, algebraic extensions, polynomial rings and fraction
    fields (symbolic parameters) -- are refused with what to pass instead.
    """
    text = _domain_str(domain)
    if isinstance(domain, str):
        key = domain.replace(" ", "")
        upper = key.upper()
        if upper in ("QQ", "Q"):
            return None, False
        if upper in ("ZZ", "Z"):
            return None, True
        if (upper.startswith("GF(") or upper.startswith("FF(")) and upper.endswith(")"):
            inner = key[3:-1]
            if not inner.isdigit():
                raise ValueError(f"domain={text}: the modulus of GF(p) must be a prime, got "
                                 f"{inner!r}")
            return normalize_modulus(int(inner)), False
    elif isinstance(domain, sympy.polys.domains.Domain):
        if getattr(domain, "is_FiniteField", False):
            return normalize_modulus(int(domain.characteristic())), False
        if getattr(domain, "is_QQ", False):
            return None, False
        if getattr(domain, "is_ZZ", False):
            return None, True
    else:
        raise TypeError(f"domain must be a sympy domain (QQ, ZZ, GF(p)) or its name, got "
                        f"{type(domain).__name__}")
    raise ValueError(f"domain={text} is not supported: grobnet computes exactly over QQ "
                     "(domain=QQ, or domain=ZZ to present the basis with integer coefficients "
                     "as sympy does) and over GF(p) (domain=GF(p) or modulus=p, an odd prime "
                     "below 2^31); symbolic parameters (ZZ[a], QQ(a)) are out of scope: add "
                     "them to the generators")


def _domain_str(domain) -> str:
    return str(domain) if not isinstance(domain, str) else repr(domain)


def _normalize_flag(name, value) -> Optional[bool]:
    if value is None or isinstance(value, bool):
        return value
    raise ValueError(f"{name} must be True, False or None, got {value!r}")


def _normalize_budget(name, value, kind):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a positive number or None, got {value!r}")
    if not (value > 0) or (kind is float and not math.isfinite(value)):
        if value == math.inf:
            return None
        raise ValueError(f"{name} must be a positive number or None, got {value!r}")
    return kind(value)


def _normalize_progress(progress):
    if progress is not None and not callable(progress):
        raise ValueError(f"progress must be a callable or None, got {type(progress).__name__}")
    return progress
