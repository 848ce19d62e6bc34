"""The engine's public door: Groebner bases, traces and kernels over GF(p).

Everything above the engine that needs a computation modulo a prime calls the
functions of this module (re-exported by :mod:`grobnet.engine`); nothing outside
``grobnet/engine/`` imports the compiled ``_core``.  A polynomial is a pair
``(exps, coeffs)``: an ``int32`` array of shape ``(terms, nvars)`` and a ``uint32``
array of coefficients in ``[0, p)``, terms in decreasing order, variable 0 largest.
Bases are reduced, monic and sorted by increasing leading monomial.

* :func:`f4`, :func:`normal_forms` -- a basis mod p and normal forms by it;
* :func:`f4_learn`, :func:`f4_apply` -- a traced run and its replay for other
  primes (the per-process cache of a multimodular run is :mod:`.tracing`);
  :func:`check_groebner` -- an independent check that a (replayed) basis is a
  Groebner basis of the input mod p; :func:`default_threads`;
* :func:`krylov_solve`, :func:`power_projections`, :func:`berlekamp_massey`,
  :func:`sequence_degree` -- the RUR kernels mod p;
* :func:`modp_arrays` -- the one conversion of integer polynomials
  (``{exponent tuple: int}``) into engine arrays mod p; :func:`to_modp` for
  python-flint polynomials; :func:`monomial_key` -- the monomial orders as sort keys.

``backend=`` selects who computes: ``"engine"`` (grobnet's F4 in C; ``"auto"``
means it) or ``"sympy"`` (a slow pure-Python reference on sympy's Buchberger code,
an independent oracle for tests).  Backends are named by strings so that a job can
be shipped to another process.
"""
from __future__ import annotations

import os
import time
from typing import Callable, Sequence

import flint
import numpy as np
import sympy
from sympy.polys.groebnertools import groebner as _sympy_groebner

from grobnet.engine import _core
from grobnet.engine._core import (berlekamp_massey, is_prime, krylov_solve, power_projections,
                                  sequence_degree)

__all__ = [
    "BACKENDS", "ORDERS", "backend_name", "f4", "normal_forms", "f4_learn", "f4_apply",
    "check_groebner", "default_threads",
    "krylov_solve", "power_projections", "berlekamp_massey", "sequence_degree", "is_prime",
    "monomial_key", "sort_terms", "modp_arrays", "to_modp", "from_modp_dict", "modp_to_dict",
    "leading_monomials", "BadPrimeError",
]

BACKENDS = ("auto", "engine", "sympy")
ORDERS = ("grevlex", "grlex", "lex", "block")


class BadPrimeError(ValueError):
    """The prime divides a denominator of the input, so the input has no image mod p."""


# ----------------------------------------------------------------------------- orders
def _grevlex_key(m):
    return (sum(m), tuple(-e for e in reversed(m)))


def _lex_key(m):
    return tuple(m)


def _grlex_key(m):
    return (sum(m), tuple(m))


def monomial_key(order: str = "grevlex", blocks: Sequence[int] | None = None) -> Callable:
    """A sort key on exponent tuples: ``key(a) < key(b)`` iff ``a < b`` in the order.

    ``"block"`` is the elimination order of the engine: grevlex on each block of
    consecutive variables (sizes ``blocks``), blocks compared lexicographically.
    """
    if order == "grevlex":
        return _grevlex_key
    if order == "lex":
        return _lex_key
    if order == "grlex":
        return _grlex_key
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
        if order not in ("grevlex", "grlex", "lex"):
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
           max_memory=0, progress=None, threads=1):
        t0 = time.perf_counter()
        R = self._ring(nvars, modulus, order)
        F = [self._to_ring(R, p) for p in polys]
        F = [f for f in F if f]
        G = _sympy_groebner(F, R, method="buchberger") if F else []
        basis = [self._from_ring(g.monic(), nvars, modulus, order) for g in G]
        key = monomial_key(order, blocks)
        basis.sort(key=lambda b: key(tuple(int(e) for e in b[0][0])))
        return basis, {"backend": self.name, "time": time.perf_counter() - t0}

    def normal_forms(self, basis, polys, nvars, modulus, order="grevlex", blocks=None, threads=1):
        R = self._ring(nvars, modulus, order)
        G = [self._to_ring(R, b) for b in basis]
        out = []
        for p in polys:
            f = self._to_ring(R, p)
            r = f.rem(G) if G else f
            out.append(self._from_ring(r, nvars, modulus, order))
        return out



_SYMPY = SympyBackend()


def backend_name(name: str = "auto") -> str:
    """Resolve ``"auto"`` to ``"engine"``; check the name."""
    if name not in BACKENDS:
        raise ValueError(f"unknown backend {name!r}; expected one of {BACKENDS}")
    return "engine" if name == "auto" else name


def _backend(name: str):
    return _core if backend_name(name) == "engine" else _SYMPY


#: ``linear_algebra=`` of :func:`f4` / :func:`f4_learn` (see their docstrings)
LINEAR_ALGEBRA = ("exact", "probabilistic", "auto")


def _check_linear_algebra(linear_algebra: str) -> None:
    if linear_algebra not in LINEAR_ALGEBRA:
        raise ValueError(f"unknown linear_algebra {linear_algebra!r}; expected one of "
                         f"{LINEAR_ALGEBRA}")


def f4(polys, nvars: int, modulus: int, order: str = "grevlex", blocks=None, *,
       timeout: float | None = None, max_memory: int | None = None, progress=None,
       backend: str = "auto", threads: int = 1, linear_algebra: str = "exact",
       la_seed: int | None = None):
    """``(basis, stats)``: the reduced Groebner basis of ``polys`` (engine arrays) mod
    ``modulus``.  ``timeout`` seconds / ``max_memory`` bytes raise
    :class:`~grobnet.errors.TimeoutExceeded` / :class:`~grobnet.errors.MemoryBudgetExceeded`;
    ``progress(round, degree, rows, cols)`` is called after every F4 round (an
    exception it raises aborts the run).  ``threads``: threads of the engine's linear
    algebra, this one included (the basis does not depend on it; the sympy backend
    ignores it).

    ``linear_algebra`` (engine only): ``"exact"`` reduces every row of every F4 matrix;
    ``"probabilistic"`` reduces random combinations of each chunk of rows until one
    vanishes (Monte Carlo: the basis is wrong with probability at most
    ``stats["la_zero_checks"] / modulus``; 2.5x faster F4 on nn_131, whose late rounds
    reduce thousands of rows to zero); ``"auto"`` makes only the large rounds
    (rows x columns >= ``grobnet.engine._core.LA_AUTO_WORK``) probabilistic.
    ``la_seed``: seed of the combinations (``None``: a fixed one)."""
    _check_linear_algebra(linear_algebra)
    if backend_name(backend) != "engine":
        return _SYMPY.f4(polys, nvars, modulus, order=order, blocks=blocks,
                         timeout=float(timeout or 0.0), max_memory=int(max_memory or 0),
                         progress=progress, threads=threads)
    return _core.f4(polys, nvars, modulus, order=order, blocks=blocks,
                    timeout=float(timeout or 0.0), max_memory=int(max_memory or 0),
                    progress=progress, threads=threads, linear_algebra=linear_algebra,
                    la_seed=la_seed)


def normal_forms(basis, polys, nvars: int, modulus: int, order: str = "grevlex", blocks=None, *,
                 backend: str = "auto", threads: int = 1) -> list:
    """Normal forms of ``polys`` modulo the reduced basis ``basis`` (not made monic);
    ``threads`` as for :func:`f4`."""
    return _backend(backend).normal_forms(basis, polys, nvars, modulus, order=order,
                                          blocks=blocks, threads=threads)


def f4_learn(polys, nvars: int, modulus: int, order: str = "grevlex", blocks=None, *,
             timeout: float | None = None, max_memory: int | None = None, progress=None,
             threads: int = 1, linear_algebra: str = "exact", la_seed: int | None = None):
    """``(basis, stats, trace)``: :func:`f4` by the C engine, recording the run in
    ``trace`` (an opaque object, not picklable) for :func:`f4_apply`.  A trace needs
    exact rounds: with ``linear_algebra`` ``"auto"`` or ``"probabilistic"`` the first
    probabilistic round drops it (``trace`` is ``None``, ``stats["trace_dropped"]``)."""
    _check_linear_algebra(linear_algebra)
    return _core.f4_learn(polys, nvars, modulus, order, blocks, float(timeout or 0.0),
                          int(max_memory or 0), progress, threads=threads,
                          linear_algebra=linear_algebra, la_seed=la_seed)


def f4_apply(trace, polys, modulus: int, *, timeout: float | None = None,
             max_memory: int | None = None, threads: int = 1):
    """``(basis, stats)``: replay ``trace`` for another prime; raises
    :class:`~grobnet.errors.TraceMismatch` when this prime does not follow it."""
    return _core.f4_apply(trace, polys, modulus, float(timeout or 0.0), int(max_memory or 0),
                          threads=threads)


def check_groebner(basis, polys, nvars: int, p: int, order: str = "grevlex", blocks=None, *,
                   threads: int = 1, timeout: float | None = None,
                   max_memory: int | None = None, seed: int | None = None,
                   progress=None) -> bool:
    """True when ``basis`` is a Groebner basis mod ``p`` (for ``order``) and every
    polynomial of ``polys`` reduces to zero modulo it, proved by the C engine
    independently of how ``basis`` was computed: every S-pair left by the
    Gebauer-Moeller criteria and every input reduce to zero in F4-style matrices.
    With ``basis`` from :func:`f4_apply` (combinations of the inputs) this proves that
    it is the Groebner basis of the ideal of ``polys`` mod ``p``.  ``threads``,
    ``timeout``, ``max_memory`` as for :func:`f4`.  ``seed=None`` reduces every row (a
    proof); an integer seed reduces two random linear combinations of each matrix's
    rows instead (2-4x cheaper, and it stores no matrix: its memory stays near the
    basis's own; a wrong basis passes with probability at most matrices / p^2).  ``progress(matrix, degree, rows, cols)`` is called after every
    matrix (the inputs' first, degree 0)."""
    ok, _ = _core.check_basis(basis, polys, nvars, p, order, blocks, float(timeout or 0.0),
                              int(max_memory or 0), progress, threads=threads, seed=seed)
    return ok


def default_threads(cap: int = 4) -> int:
    """Engine threads for a caller that owns the machine's cores (the dimension probe,
    :func:`grobnet.solve`): the CPUs this process may run on, at most ``cap``.  The
    engine functions themselves default to one thread (workers of a process pool run
    many of them side by side)."""
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        n = os.cpu_count() or 1
    return max(1, min(int(cap), n))


def modp_arrays(int_polys, nvars: int, p: int, order: str = "grevlex", blocks=None) -> list:
    """Integer polynomials (``{exponent tuple: int}``) reduced mod ``p`` into engine
    arrays sorted in ``order``; polynomials that vanish mod ``p`` are dropped."""
    out = []
    for f in int_polys:
        terms = {m: c % p for m, c in f.items() if c % p}
        if terms:
            out.append(_dict_to_arrays(terms, nvars, order, blocks))
    return out
