"""The rational univariate representation over Q by multimodular lifting.

Only the RUR is lifted, never the Groebner basis over Q (whose coefficients are
usually far larger): for each prime, F4 mod p (the engine), the multiplication
matrices and the RUR mod p for a separating form fixed on the first prime
(:mod:`grobnet.exact.rur`); the coefficient vectors are combined by CRT and
rational reconstruction (:mod:`grobnet.exact.multimodular`) until the
reconstruction reproduces fresh primes.  A form of several variables (symmetric
systems such as cyclic-n, where no variable separates) is lifted on the input with one
more variable ``T`` and the equation ``T - t`` (:func:`_form_variable_system`, msolve's
change of coordinates): multiplication by the smallest variable ``T`` is sparse, so each
prime takes power projections instead of a dense Krylov solve (cyclic-6: 6.0 -> 3.5 ms of
processor time per prime); the RUR is the same.

A prime is unlucky when its leading monomials, its number of distinct
solutions or the separation by the chosen form differ from the majority.

Truth.  The degree comes from the shared probe (two independent random primes
agreeing, :mod:`grobnet.exact.probe`); the lifted RUR is then *proven* to list
``deg elim`` distinct solutions of the input by exact substitution over Q
(:func:`grobnet.exact.verify.verify_rur`), so a wrong reconstruction can make the
answer incomplete (``verified`` False), never wrong.  When the ideal is not radical
the number of distinct solutions is read modulo the probe's two primes and must
agree.
"""
from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass, field

import flint
import numpy as np

from grobnet.common.primes import resolve_seed
from grobnet.engine.modp import backend_name, modp_arrays, monomial_key
from grobnet.engine.tracing import forget_trace, new_trace_key, traced_f4
from grobnet.errors import TimeoutExceeded
from grobnet.exact.multimodular import run_multimodular
from grobnet.exact.multiplication import quotient_ring, ring_layout
from grobnet.exact.probe import (DimensionProbe, input_screen, probe_dimension,
                                 remaining_seconds)
from grobnet.exact.realroots import (PARALLEL_MIN_DEGREE, complex_solutions, isolate_and_certify,
                                     real_solutions)
from grobnet.exact.rur import (SEQUENCE_DENSITY, NotSeparating, choose_separating_form,
                               dense_columns, distinct_solution_count,
                               rur_modp, separates)
from grobnet.exact.verify import verify_rur
from grobnet.parallel import engine_threads, owned_executor

__all__ = ["RationalUnivariateRepresentation", "rational_rur", "NotZeroDimensional"]


class NotZeroDimensional(ValueError):
    """The ideal has no solution or infinitely many: there is no RUR.

    ``dimension`` is -1 (no solution) or the Krull dimension (> 0); ``probe``: the
    :class:`~grobnet.exact.probe.DimensionProbe` that decided it.
    """

    def __init__(self, message, dimension, degree, probe=None):
        super().__init__(message)
        self.dimension = dimension
        self.degree = degree
        self.probe = probe


class _LiftContext:
    """What every prime of one RUR lift shares, kept per process (:data:`_CONTEXTS`,
    under the run's trace key): the input with its terms sorted once (each prime
    only reduces the coefficients), the first prime's leading monomials (as bytes)
    and the quotient-ring layouts built from its normal set.  ``keep``: the number
    of numerators an image reports (``None``: all; the variables of the input when the
    lift runs on the system with a form variable, :func:`_form_variable_system`)."""

    def __init__(self, static):
        (int_polys, nvars, order, blocks, backend, form, n_solutions, lead_key, monomials,
         keep, trace_key) = static
        self.nvars, self.order, self.blocks, self.backend = nvars, order, blocks, backend
        self.form, self.n_solutions, self.lead_key = form, n_solutions, lead_key
        self.keep, self.trace_key = keep, trace_key
        key = monomial_key(order, blocks)
        self.terms = []
        for f in int_polys:
            items = sorted(f.items(), key=lambda kv: key(kv[0]), reverse=True)
            exps = np.array([m for m, _ in items], dtype=np.int32).reshape(len(items), nvars)
            coeffs = [int(c) for _, c in items]
            if all(-(1 << 62) < c < (1 << 62) for c in coeffs):
                coeffs = np.array(coeffs, dtype=np.int64)
            self.terms.append((exps, coeffs))
        self.monomials = [tuple(int(e) for e in m) for m in monomials]
        self._full = None
        # a radical ideal needs M_t only: the layout of the variables in the form
        self.fast = ring_layout(self.monomials, nvars, [i for i, c in enumerate(form) if c]) \
            if n_solutions == len(self.monomials) else self.full

    @property
    def full(self):
        """The layout with every multiplication matrix (non-radical ideals)."""
        if self._full is None:
            self._full = ring_layout(self.monomials, self.nvars)
        return self._full

    def modp(self, p: int) -> list:
        """The input mod ``p`` in engine arrays (what ``modp_arrays`` gives: zero terms and
        vanishing polynomials dropped, terms in decreasing order)."""
        out = []
        for exps, coeffs in self.terms:
            c = coeffs % p if isinstance(coeffs, np.ndarray) else \
                np.array([x % p for x in coeffs], dtype=np.int64)
            keep = c != 0
            if keep.all():
                out.append((exps, c.astype(np.uint32)))
            elif keep.any():
                out.append((exps[keep], c[keep].astype(np.uint32)))
        return out


_CONTEXTS: "OrderedDict[str, _LiftContext]" = OrderedDict()
_CONTEXTS_SIZE = 4


def _context(static) -> _LiftContext:
    key = static[-1]
    ctx = _CONTEXTS.get(key)
    if ctx is None:
        ctx = _CONTEXTS[key] = _LiftContext(static)
        while len(_CONTEXTS) > _CONTEXTS_SIZE:
            _CONTEXTS.popitem(last=False)
    return ctx


def _lead_key(basis) -> bytes:
    """The leading monomials of a basis as one hashable byte string (cheap to compare)."""
    if not basis:
        return b""
    return np.ascontiguousarray(np.stack([exps[0] for exps, _ in basis]), dtype=np.int32).tobytes()


def _rur_image(task):
    """Worker: the RUR images modulo a batch of primes, each ``(p, signature, image,
    seconds)``; the signature is ``(leading monomials as bytes, distinct solutions)``.
    Module-level (picklable); the shared part of the task is built once per process."""
    static, primes = task
    ctx = _context(static)
    out = []
    for p in primes:
        t0 = time.perf_counter()
        basis, _, _ = traced_f4(ctx.trace_key, ctx.modp(p), ctx.nvars, p, ctx.order, ctx.blocks,
                                ctx.backend)
        lead = _lead_key(basis)
        try:
            # the normal set, the border and where its normal forms go depend only on the
            # leading monomials: reuse the first prime's layout.  The Krylov fast path
            # (radical ideal) needs M_t only, so its layout builds just the matrices of
            # the variables in the form (the trace path needs them all).
            layout = None
            if lead == ctx.lead_key:
                layout = ctx.fast if ctx.n_solutions == ctx.fast.dimension else ctx.full
            fast = layout is not None and layout is ctx.fast and ctx.fast is not ctx._full
            ring = quotient_ring(basis, ctx.nvars, p, ctx.order, ctx.blocks, ctx.backend,
                                 layout=layout, form=ctx.form if fast else None)
            r = rur_modp(ring, ctx.form, ctx.n_solutions)
            if ctx.keep is not None:          # the form variable's own numerator is T
                r.numerators = r.numerators[:ctx.keep]
        except (NotSeparating, ValueError, ArithmeticError) as exc:
            out.append((p, ("bad", lead, type(exc).__name__), [], time.perf_counter() - t0))
            continue
        out.append((p, (lead, r.n_solutions), r.as_image(), time.perf_counter() - t0))
    return out


def _lift(ex, static, stream, check_primes, max_primes, timeout, t_start, on_image=None,
          on_attempt=None):
    return run_multimodular(
        _rur_image, lambda ps: (static, ps), stream, ex, needed=check_primes,
        max_primes=max_primes, timeout=timeout, started=t_start,
        accept=lambda sig: sig[0] != "bad", on_image=on_image, batched=True,
        on_attempt=on_attempt, first_here=False)   # the probe learned and confirmed the trace


@dataclass
class RationalUnivariateRepresentation:
    """``x_i = numerators[i](t) / denominator(t)`` at the roots of ``elim(t)``,
    ``t = sum linear_form[i] * x_i``; polynomials are ``fmpq_poly``.

    ``degree``: solutions counted with multiplicity; ``n_solutions``: distinct
    ones (= ``elim.degree()``).  ``complete`` is ``False`` with a ``reason`` when
    the lift was cut short (then the polynomials may be missing) or when the
    verification over Q failed.  ``verified``: ``True`` when
    :func:`~grobnet.exact.verify.verify_rur` proved that the parametrization lists
    ``n_solutions`` distinct solutions of the input, ``False`` when it failed, ``None``
    when it was not run.  ``probe``: the dimension probe the degree comes from.
    """

    variables: tuple
    linear_form: tuple
    elim: flint.fmpq_poly | None
    denominator: flint.fmpq_poly | None
    numerators: list
    degree: int
    n_solutions: int
    primes: list = field(default_factory=list)
    check_primes: list = field(default_factory=list)
    unlucky_primes: list = field(default_factory=list)
    complete: bool = True
    reason: str = ""
    stats: dict = field(default_factory=dict)
    verified: bool | None = None
    probe: object = field(default=None, repr=False, compare=False)
    #: the isolating intervals of ``elim``'s real roots when a parallel lift found them
    #: while verifying (``rational_rur(real_roots=True)``), else ``None``
    isolated: list | None = field(default=None, repr=False, compare=False)
    #: ``(digits, boxes)``: the real solutions that lift certified meanwhile, else ``None``
    prepared: tuple | None = field(default=None, repr=False, compare=False)
    executor: object = field(default=None, repr=False, compare=False)

    @property
    def radical(self) -> bool:
        return self.degree == self.n_solutions

    def max_bits(self) -> int:
        """Largest numerator+denominator bit size among the coefficients."""
        polys = [self.elim, self.denominator, *self.numerators]
        return max((int(c.p).bit_length() + int(c.q).bit_length()
                    for f in polys if f is not None for c in f.coeffs()), default=0)

    def real_solutions(self, digits: int = 30, executor=None, deadline: float | None = None):
        """Certified real solution boxes (see :mod:`grobnet.exact.realroots`);
        ``deadline`` (``time.monotonic()``): :class:`~grobnet.errors.TimeoutExceeded`
        beyond it.

        ``executor``: as in :func:`rational_rur` (default: the one the lift ran on;
        ``"auto"`` means a process pool when the lift moved to one).  Large
        eliminating polynomials are isolated and refined in parallel jobs on a
        concurrent executor; the boxes are the same."""
        self._require_complete()
        if self.prepared is not None and self.prepared[0] == digits and executor is None:
            return list(self.prepared[1])
        spec = self.executor if executor is None else executor
        if spec == "auto":
            spec = "processes" if self.stats.get("parallel") else "serial"
        if spec is None or spec == "serial" or self.elim.degree() < PARALLEL_MIN_DEGREE:
            return real_solutions(self.elim, self.numerators, self.denominator,
                                  variables=self.variables, digits=digits, deadline=deadline,
                                  intervals=self.isolated)
        ex, owned = owned_executor(spec)
        try:
            return real_solutions(self.elim, self.numerators, self.denominator,
                                  variables=self.variables, digits=digits, executor=ex,
                                  deadline=deadline, intervals=self.isolated)
        finally:
            if owned:
                ex.close()

    def complex_solutions(self, digits: int = 15, deadline: float | None = None):
        """All complex solutions in pairwise disjoint ``acb`` boxes."""
        self._require_complete()
        return complex_solutions(self.elim, self.numerators, self.denominator,
                                 variables=self.variables, digits=digits, deadline=deadline)

    def _require_complete(self):
        if self.elim is None:
            raise ValueError(f"the RUR lift did not finish ({self.reason})")

    def __repr__(self):
        form = " + ".join(f"{c}*{v}" if c != 1 else v
                          for c, v in zip(self.linear_form, self.variables) if c)
        state = "complete" if self.complete else f"INCOMPLETE ({self.reason})"
        return (f"RationalUnivariateRepresentation(t = {form}, {self.n_solutions} distinct "
                f"solutions, degree {self.degree}, {len(self.primes)} primes "
                f"(+{len(self.check_primes)} checks, {len(self.unlucky_primes)} unlucky), "
                f"max coefficient {self.max_bits()} bits, {state})")


def first_form_variable(int_polys, nvars: int) -> int:
    """The variable tried first as separating form: the last one, unless another has at
    least four times its degree in the input (then the one of highest degree)."""
    degrees = [max((int(m[i]) for f in int_polys for m in f), default=0) for i in range(nvars)]
    heavy = max(range(nvars), key=lambda i: (degrees[i], i))
    return heavy if degrees[heavy] >= 4 * max(1, degrees[nvars - 1]) else nvars - 1


def rational_rur(polys, *, order: str = "grevlex", blocks=None, seed: int | None = None,
                 linear_form=None, executor="auto", backend: str = "auto",
                 check_primes: int = 2, max_primes: int = 5000,
                 timeout: float | None = None, progress=None,
                 probe: DimensionProbe | None = None,
                 verify: bool = True, real_roots: bool = False, digits: int = 30,
                 max_memory: int | None = None) -> RationalUnivariateRepresentation:
    """The RUR over Q of a zero-dimensional system (multimodular).

    ``polys``: a PolynomialSystem over Q or a list of fmpq/fmpz_mpoly.
    ``linear_form``: integer coefficients of ``t`` (default: chosen mod p, small
    coefficients first).  ``executor``: ``"auto"`` (serial, moving to a local process
    pool once the lift has run :data:`AUTO_POOL_SECONDS`), ``"serial"``, ``"processes"``, a
    Dask client or an Executor.  ``check_primes``: fresh primes that the reconstruction
    must reproduce (probabilistic verification).  ``timeout``: seconds; the lift
    stops with ``complete=False``, and :class:`~grobnet.errors.TimeoutExceeded`
    (naming the timeout) is raised when it runs out before the lift starts.  Raises
    :class:`NotZeroDimensional` when the system has no solution or infinitely many.
    ``progress``: ``progress(stage, info)`` (see :func:`grobnet.solve`),
    called in this process only.  ``probe``: a :class:`DimensionProbe` of the same
    system, order, blocks and seed already made (by :func:`probe_dimension`), reused
    instead of probing again.  ``seed``: the run's seed (``None``: a fresh one, see
    :func:`grobnet.common.primes.resolve_seed`).  ``verify``: prove the lifted RUR over Q
    (:func:`grobnet.exact.verify.verify_rur`; ``verified`` says how it went).
    ``real_roots``: on a concurrent executor, isolate the real roots of ``elim`` on the
    workers while the verification's jobs run and certify their boxes to ``digits``
    digits (kept in ``isolated`` and ``prepared`` for
    :meth:`~RationalUnivariateRepresentation.real_solutions`: what it would compute).
    ``max_memory``: bytes for the dimension probe's engine runs
    (:class:`~grobnet.errors.MemoryBudgetExceeded` beyond; the lift replays its trace).
    """
    names, int_polys, screen = input_screen(polys)
    seed = resolve_seed(seed if probe is None or seed is not None else probe.seed)
    nvars = len(names)
    blocks = tuple(blocks) if blocks else None
    backend = backend_name(backend)
    t_start = time.monotonic()
    deadline = None if timeout is None else t_start + timeout

    # First primes: dimension, degree (the probe also starts the F4 trace learning
    # shared by the primes of this run), then separating form, distinct solutions.
    if probe is None:
        probe = probe_dimension(int_polys, nvars, order=order, blocks=blocks, backend=backend,
                                seed=seed, deadline=deadline, timeout=timeout,
                                progress=progress, avoid=screen,
                                threads=engine_threads(executor), max_memory=max_memory)
    p0, basis, hs = probe.prime, probe.basis, probe.hilbert
    stream, trace_key = probe.stream, probe.trace_key
    if progress is not None:
        progress("solve", {"event": "probe", "dimension": hs.dimension, "degree": hs.degree})
    if hs.dimension != 0:
        what = "no solution" if hs.dimension < 0 else f"dimension {hs.dimension}"
        raise NotZeroDimensional(f"the system is not zero-dimensional ({what}, degree "
                                 f"{hs.degree}, modulo {p0})", hs.dimension, hs.degree, probe)
    remaining_seconds(deadline, timeout, "the first prime (quotient ring)")
    # one variable first (its matrix alone: the usual separating form, e.g. katsura-n):
    # the last one, or a variable of much higher degree (near-univariate input such as
    # x^500 - 1, y - x^3 - 2: with t = x the verification substitutes x^500 directly,
    # with t = y it raises a 500-degree rational parametrisation to the 500th power);
    # every multiplication matrix only when another form is needed
    first_var = first_form_variable(int_polys, nvars)
    last = tuple(1 if i == first_var else 0 for i in range(nvars))
    ring = quotient_ring(basis, nvars, p0, order, blocks, backend, variables=[first_var])
    remaining_seconds(deadline, timeout, "the first prime (separating form)")
    r0 = None
    if linear_form is None and separates(ring, last):
        try:
            form, r0 = choose_separating_form(ring, forms=[last], radical_tries=1,
                                              deadline=deadline, timeout=timeout)
        except (NotSeparating, ValueError):       # (an unlucky functional: the full search)
            r0 = None
    if linear_form is None and r0 is None:
        ring = quotient_ring(basis, nvars, p0, order, blocks, backend, monomials=ring.monomials)
        form, r0 = choose_separating_form(ring, seed=seed, deadline=deadline, timeout=timeout)
    elif linear_form is not None:
        ring = quotient_ring(basis, nvars, p0, order, blocks, backend, monomials=ring.monomials)
        form = tuple(int(c) for c in linear_form)
        r0 = rur_modp(ring, form)
    n_solutions = r0.n_solutions
    stats = {"first_prime": p0, "first_prime_time": time.monotonic() - t_start,
             "path": r0.path, "backend": backend, "seed": seed,
             "probe_primes": probe.primes}
    count_problem = None
    if n_solutions != hs.degree:
        # not radical: the distinct count is a second decision, read modulo the probe's
        # other prime too (collisions modulo a prime only lower it)
        count_problem = _confirm_distinct_count(probe, nvars, order, blocks, backend,
                                                n_solutions, deadline, timeout)

    lift = None
    if n_solutions == ring.dimension and \
            form_variable_worth_it(form, order, blocks, backend, ring.dimension):
        lift = _form_variable_lift(int_polys, nvars, form, r0, ring, p0, order, backend,
                                   deadline, timeout)
        stats["form_variable"] = lift is not None
    if lift is None:
        lift = _Lift(int_polys, nvars, form, basis, ring.monomials, None, trace_key)
    lead0 = _lead_key(lift.basis)
    static = (lift.polys, lift.nvars, order, blocks, backend, lift.form, n_solutions, lead0,
              np.array(lift.monomials, dtype=np.int32).reshape(len(lift.monomials), lift.nvars),
              lift.keep, lift.trace_key)
    ex, owned = owned_executor(executor)
    try:
        _context(static)            # this process's share (forked workers inherit it)
        on_image = on_attempt = None
        if progress is not None:
            def on_image(k, p):
                progress("solve", {"event": "prime", "k": k, "p": p})

            def on_attempt(k, bits, done):
                progress("solve", {"event": "reconstruction", "primes": k, "bits": bits,
                                   "reconstructed": done})
        loop = _lift(ex, static, stream, check_primes, max_primes, timeout, t_start, on_image,
                     on_attempt)
    except BaseException:
        if owned:
            ex.close()
        raise
    finally:
        forget_trace(trace_key)
        forget_trace(lift.trace_key)
        _CONTEXTS.pop(lift.trace_key, None)
    try:
        return _finish_lift(loop, ex, names, int_polys, form, n_solutions, lead0, p0, hs,
                            stats, count_problem, probe, executor, verify, deadline, timeout,
                            progress, t_start, digits if real_roots else None,
                            form_variable=lift.keep is not None)
    finally:
        if owned:
            ex.close()


def _finish_lift(loop, ex, names, int_polys, form, n_solutions, lead0, p0, hs, stats,
                 count_problem, probe, executor, verify, deadline, timeout, progress,
                 t_start, real_digits=None,
                 form_variable=False) -> RationalUnivariateRepresentation:
    """The lifted RUR from the loop's result, verified over Q (on ``ex``'s workers when it
    is concurrent: the lift's pool serves the verification, and with ``real_digits`` the
    real solutions are isolated and certified to that many digits meanwhile)."""
    nvars = len(names)
    stats.update(loop.stats)
    stats["executor"] = repr(ex)
    stats["parallel"] = bool(getattr(ex, "concurrent", False))
    if progress is not None:
        progress("solve", {"event": "rur lifted", "primes": len(loop.primes)})
    stats["lift_time"] = time.monotonic() - t_start
    # for cost models (the route choice of solve): the work of one prime, the size of the
    # answer and how fast the lift reached it (stats["progress"])
    stats["seconds_per_prime"] = stats.get("modular_time", 0.0) / max(1, stats["primes_tried"])
    stats["primes"] = len(loop.primes)
    stats["modulus_bits"] = sum(p.bit_length() for p in loop.primes)
    problem = count_problem
    # (with a form variable the leading monomials are the first prime's alone, not
    # confirmed by a second one: a majority of other primes overrules them)
    if loop.signature is not None and loop.signature != (lead0, n_solutions) and \
            (not form_variable or loop.signature[1] != n_solutions):
        stats["note"] = f"majority signature differs from the first prime {p0}"
        problem = problem or ("the lifting primes' majority disagrees with the probe's "
                              "leading monomials or distinct-solution count")
    elim = den = None
    nums = []
    if loop.polys is not None:
        def to_poly(d):
            size = 1 + max((m[0] for m in d), default=-1)
            coeffs = [flint.fmpq(0)] * size
            for (k,), c in d.items():
                coeffs[k] = c
            return flint.fmpq_poly(coeffs)
        lifted = [to_poly(d) for d in loop.polys]
        if len(lifted) == nvars + 1:          # radical: the denominator is elim'
            elim, *nums = lifted
            den = elim.derivative()
        else:
            elim, den, *nums = lifted
    if elim is not None:
        stats["rur_bits"] = max(g.numer().height_bits() + g.denom().bit_length()
                                for g in [elim, *nums])
    complete = loop.complete and elim is not None
    reason = loop.reason
    if complete and problem:
        complete, reason = False, problem
    rur = RationalUnivariateRepresentation(
        variables=names, linear_form=form, elim=elim, denominator=den, numerators=nums,
        degree=hs.degree, n_solutions=n_solutions, primes=loop.primes,
        check_primes=loop.check_primes, unlucky_primes=loop.unlucky_primes,
        complete=complete, reason=reason, stats=stats, probe=probe, executor=executor)
    if verify and complete:
        t_verify = time.monotonic()
        try:
            remaining_seconds(deadline, timeout, "the verification over Q")
            meanwhile = None
            if real_digits and stats["parallel"] and elim.degree() >= PARALLEL_MIN_DEGREE:
                def meanwhile():
                    t = time.monotonic()
                    rur.isolated, rur.prepared = _real_quietly(rur, real_digits, ex, deadline)
                    stats["isolation_time"] = time.monotonic() - t
            outcome = verify_rur(elim, den, nums, form, int_polys, deadline=deadline,
                                 timeout=timeout, executor=ex, meanwhile=meanwhile)
        except TimeoutExceeded as exc:
            rur.complete, rur.reason = False, str(exc)
            stats["verification_time"] = time.monotonic() - t_verify
        else:
            # (the real roots isolated meanwhile are counted in isolation_time)
            stats["verification_time"] = outcome.seconds - stats.get("isolation_time", 0.0)
            if outcome.ok and outcome.solutions != n_solutions:
                outcome.ok = False
                outcome.reason = (f"{outcome.solutions} distinct solutions proven, "
                                  f"{n_solutions} expected")
            rur.verified = outcome.ok
            if not outcome.ok:
                rur.complete = False
                rur.reason = f"verification over Q failed: {outcome.reason}"
            if progress is not None:
                progress("solve", {"event": "verified", "ok": outcome.ok})
    stats["total_time"] = time.monotonic() - t_start
    return rur


def _real_quietly(rur, digits, ex, deadline):
    """``(intervals, (digits, boxes))``: the real roots of ``rur`` isolated and certified
    on ``ex``'s workers (:func:`isolate_and_certify`), or ``(None, None)`` when that
    fails or runs out of time: :meth:`RationalUnivariateRepresentation.real_solutions`
    then does it itself and meets the same error where a serial run meets it."""
    try:
        intervals, boxes = isolate_and_certify(
            rur.elim, rur.numerators, rur.denominator, variables=rur.variables,
            digits=digits, executor=ex, deadline=deadline)
    except Exception:
        return None, None
    return intervals, (digits, boxes)


@dataclass
class _Lift:
    """The system a lift runs on: the input (``keep`` None), or the input with a form
    variable (:func:`_form_variable_system`); its first prime's basis and normal set,
    its linear form and the key of its F4 trace."""

    polys: list
    nvars: int
    form: tuple
    basis: list
    monomials: list
    keep: int | None
    trace_key: object


#: The lift runs on the system with a form variable from this many solutions on: below,
#: the form's dense matrix costs little per prime and the first prime's extra F4 run
#: would not pay (the degree-17 deep linear net: 10 -> 11 ms).
FORM_VARIABLE_MIN_DEGREE = 64


def form_variable_worth_it(form, order: str, blocks, backend: str, degree: int) -> bool:
    """Whether the lift may run on the system with a form variable
    (:func:`_form_variable_system`): a form of two or more variables, the grevlex order
    (the new variable is the smallest one), the C engine (F4 traces) and at least
    :data:`FORM_VARIABLE_MIN_DEGREE` solutions."""
    return (sum(1 for c in form if c) >= 2 and order == "grevlex" and not blocks
            and backend == "engine" and degree >= FORM_VARIABLE_MIN_DEGREE)


def _form_variable_system(int_polys, nvars: int, form) -> list:
    """The input with one more variable ``T`` (the last and, in grevlex, the smallest
    one) and the equation ``T - sum form[i] x_i``.

    Its solutions are those of the input with ``T = t(x)``, and the RUR of the input
    for ``t`` is the RUR of this system for ``T`` without the numerator of ``T``.  Its
    multiplication matrix by the smallest variable is sparse (most ``T b`` are again
    standard monomials or leading monomials of the basis, as in msolve's change of
    coordinates): the border normal forms are read off the basis and the RUR comes
    from power projections, where the form's own matrix (a sum of several
    multiplication matrices) is dense and needs the Krylov solve."""
    out = [{m + (0,): c for m, c in f.items()} for f in int_polys]
    eq = {tuple(1 if j == nvars else 0 for j in range(nvars + 1)): 1}
    for i, c in enumerate(form):
        if c:
            eq[tuple(1 if j == i else 0 for j in range(nvars + 1))] = -int(c)
    out.append(eq)
    return out


def _form_variable_lift(int_polys, nvars, form, r0, ring, p0, order, backend, deadline,
                        timeout):
    """A :class:`_Lift` on the system with a form variable, or ``None`` when it does not
    pay or does not agree.  Its F4 trace is learned modulo ``p0`` (the first lifting prime
    replays it under the engine's Groebner-basis check, :mod:`grobnet.engine.tracing`);
    it is used when its ring has the dimension of the input's, its RUR modulo ``p0``
    equals ``r0`` (the input's, same form: the RUR is unique) and ``M_T`` has fewer dense
    columns than ``M_t`` (the cost of each prime's RUR and normal forms)."""
    polys = _form_variable_system(int_polys, nvars, form)
    n1 = nvars + 1
    key = new_trace_key()
    left = remaining_seconds(deadline, timeout, "the first prime (form variable)")
    try:
        basis, _, _ = traced_f4(key, modp_arrays(polys, n1, p0, order), n1, p0, order, None,
                                backend, timeout=left)
        tform = tuple(1 if j == nvars else 0 for j in range(n1))
        aug = quotient_ring(basis, n1, p0, order, None, backend, variables=[nvars])
        if aug.dimension != ring.dimension:
            raise ValueError("another dimension")
        Mt = aug.array_of_linear_form(tform)
        dense = dense_columns(Mt)
        if dense > SEQUENCE_DENSITY * aug.dimension or \
                dense >= dense_columns(ring.array_of_linear_form(form)):
            raise ValueError("no sparser")
        r = rur_modp(aug, tform, aug.dimension)
        if r.elim != r0.elim or list(r.numerators[:nvars]) != list(r0.numerators):
            raise ValueError("another RUR")
    except (ValueError, ArithmeticError):
        forget_trace(key)
        return None
    except BaseException:
        forget_trace(key)
        raise
    return _Lift(polys, n1, tform, basis, aug.monomials, nvars, key)


def _confirm_distinct_count(probe, nvars, order, blocks, backend, n_solutions, deadline,
                            timeout):
    """``None`` when the probe's other prime gives ``n_solutions`` distinct solutions too,
    else the reason why the count is not confirmed."""
    for image in probe.images[:-1]:
        remaining_seconds(deadline, timeout, "the distinct-solution count")
        ring = quotient_ring(image.basis, nvars, image.prime, order, blocks, backend)
        other = distinct_solution_count(ring)
        if other != n_solutions:
            return (f"the number of distinct solutions differs modulo two primes "
                    f"({n_solutions} and {other})")
    return None
