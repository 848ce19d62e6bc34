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
from math import gcd, lcm

import flint

from grobnet.common.guarantee import MONTE_CARLO, Decision, Guarantee
from grobnet.common.primes import PrimeStream
from grobnet.engine.modp import (backend_name, leading_monomials, modp_arrays, modp_to_dict,
                                 monomial_key)
from grobnet.engine.tracing import forget_trace, new_trace_key, traced_f4
from grobnet.exact.hilbert import hilbert_series
from grobnet.exact.multimodular import run_multimodular
from grobnet.exact.probe import input_screen
from grobnet.exact.reduction import flint_ordering, in_ideal_exact, is_groebner_exact
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
@dataclass
class RationalGroebnerBasis:
    """A reduced Groebner basis over Q obtained by multimodular lifting.

    ``polys`` are monic ``fmpq_mpoly`` sorted by increasing leading monomial
    (in a python-flint context over the input variables; for ``order="block"``
    the context ordering is only used for printing).  ``complete`` is ``False``
    with a ``reason`` when the lift stopped early (prime or time budget).
    """

    polys: list
    variables: tuple
    order: str
    blocks: tuple | None
    leading_monomials: tuple
    primes: list = field(default_factory=list)
    check_primes: list = field(default_factory=list)
    unlucky_primes: list = field(default_factory=list)
    bad_primes: list = field(default_factory=list)
    verified: str | None = None
    complete: bool = True
    reason: str = ""
    stats: dict = field(default_factory=dict)

    def __len__(self):
        return len(self.polys)

    def __iter__(self):
        return iter(self.polys)

    def __getitem__(self, i):
        return self.polys[i]

    def integer_polys(self, ctx=None):
        """The basis as primitive ``fmpz_mpoly`` (denominators cleared, content removed)."""
        if ctx is None:
            ctx = flint.fmpz_mpoly_ctx.get(self.variables, _storage_ordering(self.order))
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

    def hilbert_series(self):
        """Hilbert series of the ideal (from the leading monomials)."""
        return hilbert_series(self.leading_monomials, len(self.variables))

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

    @property
    def dimension(self):
        return self.hilbert_series().dimension

    @property
    def degree(self):
        return self.hilbert_series().degree

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
    max_primes, timeout : budgets; when exhausted the result has ``complete=False``

    Raises :class:`~grobnet.errors.UnluckyPrimesExhausted` if most primes disagree
    so often that no majority emerges within ``max_primes``.
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
    stats = dict(loop.stats, backend=backend, seed=stream.seed)
    ctx = flint.fmpq_mpoly_ctx.get(names, _storage_ordering(order))
    gpolys = [ctx.from_dict(d) for d in loop.polys] if loop.polys is not None else []
    result = RationalGroebnerBasis(
        polys=gpolys, variables=names, order=order, blocks=blocks,
        leading_monomials=loop.signature, primes=loop.primes, check_primes=loop.check_primes,
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
        qctx = flint.fmpq_mpoly_ctx.get(names, "degrevlex" if vkey else flint_ordering(order))
        G = [qctx.from_dict(f.to_dict()) for f in gpolys]
        F = [qctx.from_dict(f) for f in int_polys]
        try:
            ok = is_groebner_exact(G, deadline, vkey) and in_ideal_exact(F, G, deadline, vkey)
        except TimeoutError:
            result.complete, result.reason = False, "timeout during exact verification"
            ok = None
        stats["exact_verification_time"] = time.perf_counter() - t0
        if ok is False:
            result.complete = False
            result.reason = "exact verification failed (candidate is not a Groebner basis of the input)"
            result.verified = None
        elif ok:
            result.verified = "exact"
    stats["total_time"] = time.monotonic() - t_start
    return result
