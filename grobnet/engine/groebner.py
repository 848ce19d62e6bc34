"""Groebner bases over GF(p): the kernel :func:`f4_modp` and its result, ``ModularGroebnerBasis``
(a :class:`grobnet.engine.basis.GroebnerBasis`, the interface shared with the rationals).

:func:`grobnet.groebner` (in :mod:`grobnet.solver.groebner`) normalises the options,
converts the input and dispatches: over GF(p) to :func:`f4_modp` here (the C F4
engine through :mod:`grobnet.engine.modp`), over the rationals to the exact layer's
multimodular lift.
"""
from __future__ import annotations

import time
from typing import Optional

import numpy as np

from grobnet.engine.basis import GroebnerBasis
from grobnet.engine.convert import InputSystem, from_raw, result_context, to_raw
from grobnet.engine.modp import f4, normal_forms
from grobnet.engine.options import Options

__all__ = ["GroebnerBasis", "ModularGroebnerBasis", "f4_modp", "run_f4"]


def f4_modp(system: InputSystem, options: Options,
            convert_time: float = 0.0) -> "ModularGroebnerBasis":
    """Kernel ``("f4", "GF(p)")``: the C F4 engine on ``system`` mod ``options.modulus``."""
    t0 = time.perf_counter()
    raw = to_raw(system, options.modulus)
    convert_time += time.perf_counter() - t0
    if not raw:                       # zero ideal: nothing to compute
        basis, stats = [], {}
    elif system.nvars == 0:           # only nonzero constants: the unit ideal
        basis, stats = [_one(0)], {}
    else:
        basis, stats = run_f4(raw, system.nvars, options)
    stats = dict(stats)
    stats["time_api_convert"] = convert_time
    return ModularGroebnerBasis(basis, system.variables, options, stats)


def run_f4(raw, nvars: int, options: Options):
    """``(basis, stats)`` from the C engine for engine arrays ``raw`` (the raw layer that the
    multimodular lift calls once per prime, without any python-flint conversion)."""
    return f4(raw, nvars, options.modulus, order=options.order, blocks=options.blocks,
              timeout=options.timeout, max_memory=options.max_memory, progress=options.progress)


def _one(nvars: int):
    return np.zeros((1, nvars), dtype=np.int32), np.ones(1, dtype=np.uint32)


class ModularGroebnerBasis(GroebnerBasis):
    """A reduced Groebner basis over GF(p), as computed by :func:`grobnet.groebner`.

    The interface (sequence in sympy's order, equality, ``reduce``, ``contains``,
    ``dimension``, ``fglm``, sympy presentations, ...) is the one of
    :class:`grobnet.engine.basis.GroebnerBasis`, shared with the rational result.

    Attributes
    ----------
    polys : list of flint.nmod_mpoly
        Monic polynomials sorted by decreasing leading monomial (sympy's order),
        in :attr:`context` (an ``nmod_mpoly_ctx`` with the variable names).
    variables : tuple of str
        Variable names, the first the largest.
    order, blocks, modulus :
        The monomial order (``"grevlex"``, ``"grlex"``, ``"lex"`` or ``"block"``), its block
        sizes (``None`` unless block) and the prime.
    stats : dict
        The engine's statistics (rounds, matrix sizes, pairs, per-phase times,
        peak memory) plus ``time_api_convert``: seconds spent converting the
        input to engine arrays and the result to python-flint.
    complete : bool
        Always ``True`` here: an interrupted run raises instead of returning.
    reason : str or None
        Why the result is incomplete (``None`` when complete).

    Notes
    -----
    python-flint has no block order: block results live in a degrevlex
    context, so flint's own notion of a leading term can differ from the
    basis order; :meth:`leading_monomials` always follows the basis order.
    """

    complete = True
    reason: Optional[str] = None

    def __init__(self, raw, variables, options: Options, stats=None):
        # engine order: increasing leading monomial (the public sequence is the reverse)
        self._raw = [(np.asarray(e, dtype=np.int32), np.asarray(c, dtype=np.uint32))
                     for e, c in raw]
        self._variables = tuple(variables)
        self._options = options
        self._stats = dict(stats or {})
        self._polys = None
        self._term_tuple = None

    # -- attributes ---------------------------------------------------------------------------
    @property
    def variables(self):
        return self._variables

    @property
    def order(self) -> str:
        return self._options.order

    @property
    def blocks(self):
        return self._options.blocks

    @property
    def modulus(self) -> int:
        return self._options.modulus

    @property
    def options(self) -> Options:
        """The normalised options of the computation (reused by :meth:`reduce`)."""
        return self._options

    @property
    def stats(self) -> dict:
        return self._stats

    @property
    def context(self):
        """The ``nmod_mpoly_ctx`` of :attr:`polys`."""
        return result_context(self._variables, self.modulus, self.order)

    @property
    def polys(self) -> list:
        """The basis as monic ``nmod_mpoly``, in basis order (decreasing leading monomial)."""
        if self._polys is None:      # converted on first use: the raw layers never pay for it
            t0 = time.perf_counter()
            self._polys = from_raw(self._raw[::-1], self.context)
            self._stats["time_api_convert"] = self._stats.get("time_api_convert", 0.0) + (
                time.perf_counter() - t0)
        return list(self._polys)

    # -- hooks of GroebnerBasis ---------------------------------------------------------------
    def _leads(self) -> list:
        return [tuple(int(k) for k in e[0]) for e, _ in reversed(self._raw)]

    def _terms(self) -> tuple:
        if self._term_tuple is None:
            self._term_tuple = tuple(
                tuple((tuple(row), c) for row, c in zip(e.tolist(), cf.tolist()))
                for e, cf in reversed(self._raw))
        return self._term_tuple

    def _normal_forms(self, system) -> list:
        raw = to_raw(system, self.modulus, drop_zeros=False)
        return from_raw(self._raw_normal_forms(raw), self.context)

    def _with_order(self, order: str) -> "ModularGroebnerBasis":
        options = self._options.replace(order=order, blocks=None)
        if not self._raw or not self._variables:      # zero or unit ideal: the same basis
            return ModularGroebnerBasis(self._raw, self._variables, options, {})
        basis, stats = run_f4(self._raw, len(self._variables), options)
        return ModularGroebnerBasis(basis, self._variables, options, stats)

    def __repr__(self):
        n = len(self)
        names = self._variables
        shown = ",".join(names) if len(names) <= 8 else f"{names[0]},...,{names[-1]}"
        order = self.order if self.order != "block" else (
            "block(" + ",".join(map(str, self.blocks)) + ")")
        rounds = self._stats.get("rounds")
        tail = f", {rounds} round{'s' * (rounds != 1)}" if rounds is not None else ""
        return (f"GroebnerBasis({n} poly{'s' * (n != 1)} in {shown or '()'} over "
                f"GF({self.modulus}), {order}{tail})")

    def _raw_normal_forms(self, raw):
        nvars = len(self._variables)
        if not self._raw:                 # zero ideal: everything is its own normal form
            return list(raw)
        if nvars == 0:                    # unit ideal without variables
            return [_zero(0) for _ in raw]
        todo = [i for i, (_, c) in enumerate(raw) if c.shape[0]]
        forms = [_zero(nvars) for _ in raw]
        if todo:
            done = normal_forms(self._raw, [raw[i] for i in todo], nvars, self.modulus,
                                order=self.order, blocks=self.blocks)
            for i, r in zip(todo, done):
                forms[i] = r
        return forms


def _zero(nvars: int):
    return np.zeros((0, nvars), dtype=np.int32), np.zeros(0, dtype=np.uint32)
