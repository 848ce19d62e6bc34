"""The one door between ``grobnet.exact`` and a Groebner engine over GF(p).

Everything in ``grobnet.exact`` that needs a Groebner basis or normal forms
modulo a prime goes through :func:`get_backend`.  A backend is any object with
the two functions of the engine contract::

    f4(polys, nvars, modulus, order="grevlex", blocks=None, timeout=0.0,
       max_memory=0, progress=None) -> (basis, stats)
    normal_forms(basis, polys, nvars, modulus, order="grevlex", blocks=None)
       -> list of polys

where a polynomial is a pair ``(exps, coeffs)``: an ``int32`` array of shape
``(terms, nvars)`` and a ``uint32`` array of coefficients in ``[0, p)``, terms
in decreasing order, variable 0 largest.  The basis is the reduced monic
Groebner basis, sorted by increasing leading monomial.

Two backends exist: ``"engine"`` (grobnet's F4 in C, ``grobnet.engine._core``)
and ``"sympy"`` (a slow pure-Python reference built on sympy, used when the C
extension is missing and as an independent oracle in tests).  ``"auto"`` picks
the engine when it is importable.  Backends are named by strings so that a
computation can be shipped to another process.

The module also holds the conversions between python-flint polynomials and the
array form, and the monomial orders as Python sort keys.
"""
from __future__ import annotations

import importlib
import time
from typing import Callable, Sequence

import numpy as np
import flint

__all__ = [
    "BACKENDS", "get_backend", "backend_name", "monomial_key", "sort_terms",
    "to_modp", "from_modp_dict", "leading_monomials", "modp_to_dict",
    "BadPrimeError",
]

BACKENDS = ("auto", "engine", "sympy")
ORDERS = ("grevlex", "lex", "block")


class BadPrimeError(ValueError):
    """The prime divides a denominator of the input, so the input has no image mod p."""


# ----------------------------------------------------------------------------- orders
def _grevlex_key(m):
    return (sum(m), tuple(-e for e in reversed(m)))


def _lex_key(m):
    return tuple(m)


def monomial_key(order: str = "grevlex", blocks: Sequence[int] | None = None) -> Callable:
    """A sort key on exponent tuples: ``key(a) < key(b)`` iff ``a < b`` in the order.

    ``"block"`` is the elimination order of the engine: grevlex on each block of
    consecutive variables (sizes ``blocks``), blocks compared lexicographically.
    """
    if order == "grevlex":
        return _grevlex_key
    if order == "lex":
        return _lex_key
    if order == "block":
        if not blocks:
            raise ValueError("order='block' needs blocks=[sizes of the variable blocks]")
        bounds, start = [], 0
        for b in blocks:
            bounds.append((start, start + int(b)))
            start += int(b)

        def key(m):
            return tuple(_grevlex_key(tuple(m[a:b])) for a, b in bounds)
        return key
    raise ValueError(f"unknown monomial order {order!r}; expected one of {ORDERS}")


def sort_terms(terms: dict, order: str = "grevlex", blocks=None) -> list:
    """Terms ``{exponent tuple: coefficient}`` as a list sorted decreasingly in ``order``."""
    key = monomial_key(order, blocks)
    return sorted(terms.items(), key=lambda kv: key(kv[0]), reverse=True)


# ------------------------------------------------------------------------ conversions
def _dict_to_arrays(terms: dict, nvars: int, order: str, blocks) -> tuple:
    items = sort_terms(terms, order, blocks)
    exps = np.array([m for m, _ in items], dtype=np.int32).reshape(len(items), nvars)
    coeffs = np.array([c for _, c in items], dtype=np.uint32)
    return exps, coeffs


def from_modp_dict(terms: dict, nvars: int, order="grevlex", blocks=None) -> tuple:
    """``{exponents: residue}`` (zero residues dropped) -> ``(exps, coeffs)`` sorted."""
    return _dict_to_arrays({m: c for m, c in terms.items() if c}, nvars, order, blocks)


def to_modp(poly, modulus: int, order="grevlex", blocks=None) -> tuple:
    """Image modulo ``modulus``, in array form, of a python-flint ``fmpz_mpoly`` /
    ``fmpq_mpoly`` or of a nonempty ``{exponent tuple: int or fmpq}`` dict.

    Raises :class:`BadPrimeError` when ``modulus`` divides a denominator.
    """
    if isinstance(poly, dict):
        items, nvars = poly.items(), len(next(iter(poly))) if poly else None
        if nvars is None:
            raise ValueError("to_modp of an empty dict: pass nvars via a flint polynomial")
    else:
        items, nvars = poly.to_dict().items(), poly.context().nvars()
    terms = {}
    for m, c in items:
        if isinstance(c, flint.fmpq):
            den = int(c.q) % modulus
            if den == 0:
                raise BadPrimeError(f"prime {modulus} divides the denominator {c.q}")
            r = int(c.p) * pow(den, -1, modulus) % modulus
        else:
            r = int(c) % modulus
        if r:
            terms[tuple(m)] = r
    return _dict_to_arrays(terms, nvars, order, blocks)


def modp_to_dict(poly) -> dict:
    """``(exps, coeffs)`` -> ``{exponent tuple: int residue}``."""
    exps, coeffs = poly
    return {tuple(int(e) for e in row): int(c) for row, c in zip(exps, coeffs)}


def leading_monomials(basis) -> tuple:
    """The leading exponent tuples of a basis in array form (first term of each)."""
    return tuple(tuple(int(e) for e in exps[0]) for exps, _ in basis if len(exps))


# --------------------------------------------------------------------------- backends
class SympyBackend:
    """Reference GF(p) backend on sympy's Groebner code: slow, but independent of grobnet.

    Same signatures as the engine; ``order='block'``, ``timeout``, ``max_memory``
    and ``progress`` are not supported (the last three are accepted and ignored).
    """

    name = "sympy"

    @staticmethod
    def _ring(nvars, modulus, order):
        import sympy
        if order not in ("grevlex", "lex"):
            raise NotImplementedError(f"the sympy reference backend has no order {order!r}")
        gens = sympy.symbols(f"x0:{nvars}")
        dom = sympy.GF(modulus, symmetric=False)
        return sympy.polys.rings.ring(gens, dom, order)[0]

    @staticmethod
    def _to_ring(R, poly):
        exps, coeffs = poly
        return R.from_dict({tuple(int(e) for e in row): int(c) for row, c in zip(exps, coeffs)})

    @staticmethod
    def _from_ring(f, nvars, modulus, order):
        terms = {tuple(m): int(c) % modulus for m, c in f.terms()}
        return from_modp_dict(terms, nvars, order)

    def f4(self, polys, nvars, modulus, order="grevlex", blocks=None, timeout=0.0,
           max_memory=0, progress=None):
        from sympy.polys.groebnertools import groebner as _gb
        t0 = time.perf_counter()
        R = self._ring(nvars, modulus, order)
        F = [self._to_ring(R, p) for p in polys]
        F = [f for f in F if f]
        G = _gb(F, R, method="buchberger") if F else []
        basis = [self._from_ring(g.monic(), nvars, modulus, order) for g in G]
        key = monomial_key(order, blocks)
        basis.sort(key=lambda b: key(tuple(int(e) for e in b[0][0])))
        return basis, {"backend": self.name, "time": time.perf_counter() - t0}

    def normal_forms(self, basis, polys, nvars, modulus, order="grevlex", blocks=None):
        R = self._ring(nvars, modulus, order)
        G = [self._to_ring(R, b) for b in basis]
        out = []
        for p in polys:
            f = self._to_ring(R, p)
            r = f.rem(G) if G else f
            out.append(self._from_ring(r, nvars, modulus, order))
        return out


def _engine_module():
    try:
        core = importlib.import_module("grobnet.engine._core")
    except ImportError:
        return None
    return core if hasattr(core, "f4") and hasattr(core, "normal_forms") else None


def backend_name(name: str = "auto") -> str:
    """Resolve ``"auto"`` to ``"engine"`` (C F4 available) or ``"sympy"``."""
    if name not in BACKENDS:
        raise ValueError(f"unknown backend {name!r}; expected one of {BACKENDS}")
    if name == "auto":
        return "engine" if _engine_module() is not None else "sympy"
    return name


def get_backend(name: str = "auto"):
    """The backend object for ``name`` (see the module docstring)."""
    name = backend_name(name)
    if name == "engine":
        core = _engine_module()
        if core is None:
            raise ImportError("grobnet.engine._core has no f4/normal_forms; build the extension "
                              "(python setup.py build_ext --inplace) or use backend='sympy'")
        return core
    return SympyBackend()
