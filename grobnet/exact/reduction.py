"""Exact multivariate reduction over Q and Buchberger's criterion (verification only).

Used by ``verify="exact"`` of the multimodular lift, and for normal forms over Q
(``RationalGroebnerBasis.reduce``, :func:`normal_form`): a candidate basis ``G`` is a
Groebner basis iff every S-polynomial reduces to zero modulo ``G`` (Buchberger's
criterion; pairs with coprime leading monomials are skipped by the product
criterion), and the input lies in the ideal of ``G`` iff every input polynomial
reduces to zero.  Arithmetic is python-flint ``fmpq_mpoly``.  For grevlex, grlex and
lex the context's ordering *is* the monomial order (``degrevlex``, ``deglex``, ``lex``), so the
leading term of a polynomial is its term 0; block orders, which python-flint
does not have, pass a sort ``key`` (:func:`grobnet.engine.modp.monomial_key`)
and the leading monomial is the key's maximum.  Speed is secondary: this is a
check, not the engine.
"""
from __future__ import annotations

import time

__all__ = ["flint_ordering", "top_reduces_to_zero", "s_polynomial", "is_groebner_exact",
           "in_ideal_exact", "normal_form"]

_ORDERINGS = {"grevlex": "degrevlex", "grlex": "deglex", "lex": "lex"}


def flint_ordering(order: str) -> str:
    """python-flint's name for a grobnet monomial order (flint has no block order)."""
    try:
        return _ORDERINGS[order]
    except KeyError:
        raise NotImplementedError(
            f"exact reduction supports orders {tuple(_ORDERINGS)}, not {order!r}") from None


def _divides(a, b):
    return all(x <= y for x, y in zip(a, b))


def _lm(f, key=None):
    """Leading monomial: term 0 in the context's ordering, or the maximum under ``key``."""
    if key is None:
        return tuple(f.monomial(0))
    return max((tuple(m) for m in f.monoms()), key=key)


def _lc(f, m, key=None):
    return f.coefficient(0) if key is None else f[m]


def top_reduces_to_zero(f, basis, deadline=None, key=None) -> bool:
    """Whether ``f`` reduces to zero by top-reduction modulo ``basis`` (monic, same context).

    A nonzero polynomial whose leading monomial no basis element divides is a
    nonzero remainder, so top-reduction decides "remainder is zero".  ``key``:
    the monomial order when it is not the context's (block orders).
    """
    ctx = f.context()
    lms = [_lm(g, key) for g in basis]
    while not f.is_zero():
        m = _lm(f, key)
        for g, lm in zip(basis, lms):
            if _divides(lm, m):
                q = ctx.term(coeff=_lc(f, m, key), exp_vec=tuple(a - b for a, b in zip(m, lm)))
                f = f - q * g
                break
        else:
            return False
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutError("exact verification ran out of time")
    return True


def s_polynomial(f, g, key=None):
    """S-polynomial of two monic polynomials."""
    ctx = f.context()
    a, b = _lm(f, key), _lm(g, key)
    lcm = tuple(max(x, y) for x, y in zip(a, b))
    fa = ctx.term(exp_vec=tuple(l - x for l, x in zip(lcm, a)))
    gb = ctx.term(exp_vec=tuple(l - x for l, x in zip(lcm, b)))
    return fa * f - gb * g


def _monic(basis, key=None):
    out = []
    for g in basis:
        if g.is_zero():
            raise ValueError("a Groebner basis must not contain the zero polynomial")
        out.append(g / _lc(g, _lm(g, key), key))
    return out


def is_groebner_exact(basis, deadline=None, key=None) -> bool:
    """Buchberger's criterion over Q (product criterion applied)."""
    G = _monic(basis, key)
    lms = [_lm(g, key) for g in G]
    for i in range(len(G)):
        for j in range(i + 1, len(G)):
            if all(x == 0 or y == 0 for x, y in zip(lms[i], lms[j])):
                continue
            if not top_reduces_to_zero(s_polynomial(G[i], G[j], key), G, deadline, key):
                return False
    return True


def in_ideal_exact(polys, basis, deadline=None, key=None) -> bool:
    """Whether every polynomial of ``polys`` reduces to zero modulo the Groebner basis ``basis``."""
    G = _monic(basis, key)
    return all(top_reduces_to_zero(f, G, deadline, key) for f in polys)


def normal_form(f, basis, key=None):
    """The remainder of ``f`` on division by the Groebner basis ``basis`` (``fmpq_mpoly`` of
    one context): no term of it is divisible by a leading monomial of ``basis``, and for a
    Groebner basis it is unique (zero exactly when ``f`` is in the ideal).  ``key``: the
    monomial order when it is not the context's (block orders)."""
    ctx = f.context()
    G = _monic(basis, key)
    lms = [_lm(g, key) for g in G]
    rest = {}
    while not f.is_zero():
        m = _lm(f, key)
        c = _lc(f, m, key)
        for g, lm in zip(G, lms):
            if _divides(lm, m):
                f = f - ctx.term(coeff=c, exp_vec=tuple(a - b for a, b in zip(m, lm))) * g
                break
        else:
            rest[m] = c
            f = f - ctx.term(coeff=c, exp_vec=m)
    return ctx.from_dict(rest)
