"""Groebner bases over Q by multimodular lifting of GF(p) bases.

The reduced Groebner basis over Q is computed modulo many random 31-bit primes
(by the engine, :mod:`grobnet.engine.modp`), and each coefficient is
recovered by Chinese remaindering and rational reconstruction
(:mod:`grobnet.exact.crt`).

Unlucky primes.  For all but finitely many primes the reduced basis mod p is the
image of the basis over Q; the others usually betray themselves by a different
set of leading monomials.  Images are grouped by leading-monomial set and the
largest group (the majority) is lifted; images outside it are reported as
unlucky.  Primes dividing any coefficient or denominator of the input are skipped
outright (``bad_primes``); the primes are random (``seed=None``: a fresh seed, kept
in ``stats["seed"]``).

Termination and verification.  After each batch of primes the majority group is
reconstructed; the candidate must then reproduce the bases of fresh primes it
was not built from: ``check_primes`` of them for stability, plus
``verify_primes`` more with ``verify="probabilistic"`` (the default).  A failed
check folds that prime into the CRT and lifting goes on.  ``verify="exact"``
additionally checks over Q that the candidate is a Groebner basis (Buchberger's
criterion) and that every input polynomial reduces to zero by it, which proves
``G`` is a Groebner basis of an ideal containing the input; equality with the
input ideal then rests on the mod-p images (``G`` mod p is the Groebner basis of
the input mod p for the lifted primes).

Parallelism.  The primes of a batch run through an executor (``map`` of a
module-level function over picklable tasks; see :mod:`grobnet.parallel`), so a
process pool or a Dask cluster gives the same result as a serial run.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from math import gcd, lcm

import flint

from grobnet.common.guarantee import MONTE_CARLO, Decision, Guarantee
from grobnet.common.primes import PrimeStream
from grobnet.engine.basis import GroebnerBasis
from grobnet.engine.modp import (backend_name, leading_monomials, modp_arrays, modp_to_dict,
                                 monomial_key)
from grobnet.engine.tracing import forget_trace, new_trace_key, traced_f4
from grobnet.errors import TimeoutExceeded
from grobnet.exact.multimodular import run_multimodular
from grobnet.exact.probe import input_screen
from grobnet.exact.reduction import (flint_ordering, in_ideal_exact, is_groebner_exact,
                                     normal_form)
from grobnet.frontend.parse import flint_names
from grobnet.parallel import get_executor

__all__ = ["RationalGroebnerBasis", "multimodular_groebner", "VERIFY_MODES"]

VERIFY_MODES = ("probabilistic", "exact", None)


# ---------------------------------------------------------------- one prime (worker)
def _modular_image(task):
    """Worker: reduced GB of the integer input mod one prime. Module-level (picklable)."""
    int_polys, nvars, p, order, blocks, backend, trace_key = task
    t0 = time.perf_counter()
    basis, stats, _ = traced_f4(trace_key, modp_arrays(int_polys, nvars, p, order, blocks), nvars,
                                p, order, blocks, backend)
    return p, leading_monomials(basis), [modp_to_dict(b) for b in basis], time.perf_counter() - t0


# ------------------------------------------------------------------------ result
@dataclass(eq=False, repr=False)
class RationalGroebnerBasis(GroebnerBasis):
    """A reduced Groebner basis over Q obtained by multimodular lifting.

    The interface (sequence in sympy's order, equality on the ideal, ``reduce``,
    ``contains``, ``dimension``, ``fglm``, sympy presentations, ...) is the one of
    :class:`grobnet.engine.basis.GroebnerBasis`, shared with the GF(p) result.

    ``polys`` are monic ``fmpq_mpoly`` sorted by decreasing leading monomial
    (sympy's order; in a python-flint context over the input variables; for
    ``order="block"`` the context ordering is only used for printing), ``leads``
    their leading exponents.  ``complete`` is ``False`` with a ``reason`` when the
    lift stopped early (prime budget; a timeout raises
    :class:`~grobnet.errors.TimeoutExceeded`) or its exact verification failed; such
    a basis answers no question about the ideal.
    """

    polys: list
    variables: tuple
    order: str
    blocks: tuple | None
    leads: tuple
    primes: list = field(default_factory=list)
    check_primes: list = field(default_factory=list)
    unlucky_primes: list = field(default_factory=list)
    bad_primes: list = field(default_factory=list)
    verified: str | None = None
    complete: bool = True
    reason: str = ""
    stats: dict = field(default_factory=dict)

    #: over the rationals (the GF(p) result's prime)
    modulus = None

    # -- hooks of GroebnerBasis ---------------------------------------------------------------
    def _leads(self) -> list:
        return [tuple(int(e) for e in m) for m in self.leads]

    def _terms(self) -> tuple:
        cached = self.__dict__.get("_term_tuple")
        if cached is None or cached[0] is not self.polys:
            terms = tuple(tuple((tuple(int(e) for e in m), Fraction(int(c.p), int(c.q)))
                                for m, c in zip(f.monoms(), f.coeffs())) for f in self.polys)
            cached = (self.polys, terms)
            self.__dict__["_term_tuple"] = cached
        return cached[1]

    def _normal_forms(self, system) -> list:
        key = monomial_key(self.order, self.blocks) if self.order == "block" else None
        ctx = flint.fmpq_mpoly_ctx.get(flint_names(self.variables),
                                       "degrevlex" if key else flint_ordering(self.order))
        G = [ctx.from_dict(g.to_dict()) for g in self.polys]
        out_ctx = flint.fmpq_mpoly_ctx.get(flint_names(self.variables),
                                           _storage_ordering(self.order))
        out = []
        for f in system.polys:
            d = {m: (c if isinstance(c, flint.fmpq) else flint.fmpq(int(c)))
                 for m, c in f.to_dict().items()}
            r = normal_form(ctx.from_dict(d), G, key) if G else ctx.from_dict(d)
            out.append(out_ctx.from_dict(r.to_dict()))
        return out

    def _with_order(self, order: str) -> "RationalGroebnerBasis":
        ctx = flint.fmpq_mpoly_ctx.get(flint_names(self.variables), "degrevlex")
        if not self.polys:
            return RationalGroebnerBasis([], self.variables, order, None, ())
        return multimodular_groebner([ctx.from_dict(g.to_dict()) for g in self.polys], order)

    # -- Q-specific ---------------------------------------------------------------------------
    def integer_polys(self, ctx=None):
        """The basis as primitive ``fmpz_mpoly`` (denominators cleared, content removed)."""
        if ctx is None:
            ctx = flint.fmpz_mpoly_ctx.get(flint_names(self.variables),
                                           _storage_ordering(self.order))
        out = []
        for f in self.polys:
            d = f.to_dict()
            den = 1
            for c in d.values():
                den = lcm(den, int(c.q))
            g = ctx.from_dict({m: int(c.p) * (den // int(c.q)) for m, c in d.items()})
            content = 0
            for c in g.coeffs():
                content = gcd(content, int(c))
            out.append(g / content if content > 1 else g)
        return out

    @property
    def guarantee(self) -> Guarantee:
        """What the basis rests on: it reproduced the bases modulo fresh random primes
        (Monte Carlo, :mod:`grobnet.common.guarantee`); with ``verified="exact"`` it is also
        proven to be a Groebner basis of an ideal containing the input (equality with the
        input ideal is :func:`grobnet.exact.proof.prove_dimension_degree`'s business)."""
        proven = ("a Groebner basis over Q (Buchberger's criterion) of an ideal containing "
                  "the input",) if self.verified == "exact" else ()
        tried = int(self.stats.get("primes_tried", len(self.primes) + len(self.check_primes)))
        # the primes after the first two replay its F4 trace: only two are independent
        agreeing = min(2, len(self.primes) + len(self.check_primes))
        return Guarantee(MONTE_CARLO, "the reduced Groebner basis of the input ideal",
                         (Decision("the lifted basis", max(1, agreeing), max(tried, 1)),),
                         proven, primes=tuple(self.primes))

    def __repr__(self):
        bits = max((int(c.p).bit_length() + int(c.q).bit_length()
                    for f in self.polys for c in f.coeffs()), default=0)
        state = "complete" if self.complete else f"INCOMPLETE ({self.reason})"
        return (f"RationalGroebnerBasis({len(self.polys)} polynomials in {len(self.variables)} "
                f"variables, order={self.order!r}, {len(self.primes)} primes "
                f"(+{len(self.check_primes)} checks, {len(self.unlucky_primes)} unlucky), "
                f"max coefficient {bits} bits, verified={self.verified!r}, {state})")


def _storage_ordering(order):
    return {"lex": "lex", "grlex": "deglex"}.get(order, "degrevlex")


# ------------------------------------------------------------------- main driver
def multimodular_groebner(polys, order: str = "grevlex", *, blocks=None, seed: int | None = None,
                          verify: str | None = "probabilistic", executor="serial",
                          backend: str = "auto", max_primes: int = 2000, check_primes: int = 1,
                          verify_primes: int = 2, timeout: float | None = None
                          ) -> RationalGroebnerBasis:
    """The reduced Groebner basis over Q of ``polys`` by multimodular lifting.

    Parameters
    ----------
    polys : PolynomialSystem or list of fmpq_mpoly / fmpz_mpoly
    order : "grevlex", "lex" or "block" (with ``blocks``: sizes of the variable blocks)
    seed : seeds the random primes (reproducible); ``None``: a fresh seed (``stats["seed"]``)
    verify : "probabilistic" (``verify_primes`` extra fresh primes must be reproduced),
        "exact" (also Buchberger's criterion and input membership over Q), or None
    executor : "serial" (default), "processes", a Dask client or a
        :class:`grobnet.parallel.Executor`; primes of one batch run through it
    backend : GF(p) engine, see :mod:`grobnet.engine.modp`
    max_primes : prime budget; when exhausted the result has ``complete=False`` (and
        answers no question about the ideal)
    timeout : seconds; running out raises :class:`~grobnet.errors.TimeoutExceeded`
        (during the lift or the exact verification), as over GF(p)

    The basis is sorted by decreasing leading monomial (sympy's order).  Raises
    :class:`~grobnet.errors.UnluckyPrimesExhausted` if most primes disagree so often
    that no majority emerges within ``max_primes``.
    """
    if verify not in VERIFY_MODES:
        raise ValueError(f"verify must be one of {VERIFY_MODES}, got {verify!r}")
    if check_primes < 1:
        raise ValueError(f"check_primes must be at least 1, got {check_primes}")
    names, int_polys, screen = input_screen(polys)
    nvars = len(names)
    key = monomial_key(order, blocks)
    blocks = tuple(blocks) if blocks else None
    backend = backend_name(backend)
    stream = PrimeStream(seed, avoid=[screen])
    ex = get_executor(executor)
    needed = check_primes + (verify_primes if verify in ("probabilistic", "exact") else 0)
    t_start = time.monotonic()
    trace_key = new_trace_key()        # F4 trace learning across the primes of this run
    try:
        loop = run_multimodular(
            _modular_image, lambda p: (int_polys, nvars, p, order, blocks, backend, trace_key),
            stream, ex, needed=needed, max_primes=max_primes, timeout=timeout)
    finally:
        forget_trace(trace_key)
    if not loop.complete and loop.reason.startswith("timeout"):
        raise TimeoutExceeded(f"Groebner basis over Q: {loop.reason} after "
                              f"{len(loop.primes)} primes")
    stats = dict(loop.stats, backend=backend, seed=stream.seed)
    ctx = flint.fmpq_mpoly_ctx.get(flint_names(names), _storage_ordering(order))
    # the loop's images are in the engine's order (increasing): sympy's order is the reverse
    gpolys = [ctx.from_dict(d) for d in loop.polys][::-1] if loop.polys is not None else []
    leads = tuple(reversed(loop.signature)) if gpolys else ()
    result = RationalGroebnerBasis(
        polys=gpolys, variables=names, order=order, blocks=blocks,
        leads=leads, primes=loop.primes, check_primes=loop.check_primes,
        unlucky_primes=loop.unlucky_primes, bad_primes=list(stream.skipped), verified=None,
        complete=loop.complete, reason=loop.reason, stats=stats)
    complete = loop.complete
    if complete:
        result.verified = "probabilistic" if verify in ("probabilistic", "exact") else None
    if complete and verify == "exact":
        deadline = None if timeout is None else t_start + timeout
        t0 = time.perf_counter()
        # block orders have no python-flint ordering: reduce by the order's sort key
        vkey = key if order == "block" else None
        qctx = flint.fmpq_mpoly_ctx.get(flint_names(names),
                                        "degrevlex" if vkey else flint_ordering(order))
        G = [qctx.from_dict(f.to_dict()) for f in gpolys]
        F = [qctx.from_dict(f) for f in int_polys]
        try:
            ok = is_groebner_exact(G, deadline, vkey) and in_ideal_exact(F, G, deadline, vkey)
        except TimeoutError:
            raise TimeoutExceeded(f"Groebner basis over Q: timeout={timeout} s reached during "
                                  "the exact verification") from None
        stats["exact_verification_time"] = time.perf_counter() - t0
        if ok is False:
            result.complete = False
            result.reason = "exact verification failed (candidate is not a Groebner basis of the input)"
            result.verified = None
        elif ok:
            result.verified = "exact"
    stats["total_time"] = time.monotonic() - t_start
    return result
