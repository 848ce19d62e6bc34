"""Variable-order search: the order is a knob for speed, never for correctness.

The seed's sympy run answered differently under a reversed variable list.  A
Groebner basis describes the same ideal under every order, so with a complete
solver the order can only change the *time*.  This module

1. proposes candidate orders (as given, reversed, degree heuristics, network-aware
   orders from the parameter names, seeded random permutations),
2. probes each with a cheap F4 run modulo a small prime under a time budget,
3. picks the fastest, and
4. cross-checks: every probe that finished must report the same Krull dimension
   and degree (both are invariant under renaming variables).  A disagreement is an
   :class:`~grobnet.errors.OrderingMismatch` naming both orders: it means a bug or
   a missed solution, never something to average away.

:func:`solve_with_orderings` (what ``grobnet.solve(..., orderings=...)`` calls) then
solves the system exactly under the chosen order, maps the solutions back to the
original variables and -- the proof that the order changed nothing but the time --
solves it a second time under the runner-up order (other primes, other separating
form) and demands the same degree, the same number of distinct solutions and the
same real (and complex, if asked for) solutions: equal counts and a one-to-one
pairing of overlapping boxes.

A candidate is a permutation ``perm`` of variable indices: position ``k`` of the
permuted system holds original variable ``perm[k]`` (position 0 is the largest).
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from grobnet.errors import GrobnetError, OrderingMismatch, TimeoutExceeded

__all__ = ["Candidate", "ProbeResult", "OrderingChoice", "candidate_orders", "permute_raw",
           "probe_order", "choose_order", "check_agreement", "PROBE_MODULUS",
           "solve_with_orderings", "permuted_system", "map_solutions", "compare_solutions",
           "probe_modulus", "probe_input", "PROBE_SHARE"]

#: Prime for probes: small enough to be cheap, large enough to be lucky in practice.
PROBE_MODULUS = 65521

#: Probe times closer than this (seconds, or this fraction of the fastest) count as equal,
#: and the earlier-proposed order (the given one first) wins.  Generous on purpose: the
#: mod-p GB time predicts the exact solve's time only roughly (the separating form, and
#: with it the real-root isolation, changes with the order: on katsura-8 a 13% faster
#: probe came with a 14x slower solve), so the given order is left only for a clear gain.
NOISE_SECONDS = 0.01
NOISE_FRACTION = 0.5

#: Share of ``solve_with_orderings``'s ``timeout`` given to the probes; the rest is split
#: evenly between the solve under the chosen order and the cross-check solve.
PROBE_SHARE = 0.2

_WEIGHT = re.compile(r"^w(\d+)_(\d+)_(\d+)$")
_BIAS = re.compile(r"^b(\d+)_(\d+)$")


@dataclass(frozen=True)
class Candidate:
    """A named variable order: ``perm[k]`` is the original index of the k-th variable."""

    name: str
    perm: tuple

    def variables(self, names: Sequence[str]) -> tuple:
        """The variable names in this order."""
        return tuple(names[i] for i in self.perm)

    def __repr__(self):
        return f"Candidate({self.name!r}, {list(self.perm)})"


@dataclass
class ProbeResult:
    """Outcome of one probe: time, matrix sizes, and the invariants (dimension, degree)."""

    candidate: Candidate
    status: str                      # "ok", "timeout" or "error: ..."
    seconds: float
    rounds: int = 0
    max_rows: int = 0
    max_cols: int = 0
    basis_size: int = 0
    dimension: int | None = None
    degree: int | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def __repr__(self):
        inv = f", dim={self.dimension}, deg={self.degree}" if self.ok else ""
        return f"ProbeResult({self.candidate.name!r}, {self.status}, {self.seconds:.3g} s{inv})"


@dataclass
class OrderingChoice:
    """The chosen order and every probe behind the choice (for the result's statistics)."""

    best: Candidate
    probes: list = field(default_factory=list)
    seconds: float = 0.0

    def stats(self) -> dict:
        return {"chosen_order": self.best.name, "chosen_permutation": list(self.best.perm),
                "search_seconds": self.seconds,
                "probes": [{"order": r.candidate.name, "status": r.status, "seconds": r.seconds,
                            "max_rows": r.max_rows, "max_cols": r.max_cols,
                            "dimension": r.dimension, "degree": r.degree} for r in self.probes]}

    def __repr__(self):
        return f"OrderingChoice(best={self.best.name!r}, {len(self.probes)} probes, {self.seconds:.3g} s)"


# ---------------------------------------------------------------------------------------------
# candidates

def _variable_profile(raw, nvars):
    """Per variable: maximal degree and number of terms it occurs in, over all polynomials."""
    maxdeg = np.zeros(nvars, dtype=np.int64)
    occurs = np.zeros(nvars, dtype=np.int64)
    for exps, _ in raw:
        if exps.shape[0]:
            maxdeg = np.maximum(maxdeg, exps.max(axis=0))
            occurs += (exps > 0).sum(axis=0)
    return maxdeg, occurs


def _network_key(name):
    """(layer, unit-on-the-input-side, kind, unit) for parameter names w{l}_{j}_{i}, b{l}_{j}."""
    m = _WEIGHT.match(name)
    if m:
        layer, out, inp = map(int, m.groups())
        return layer, out, inp
    m = _BIAS.match(name)
    if m:
        layer, out = map(int, m.groups())
        return layer, out, -1
    return None


def _network_candidates(names):
    keys = [_network_key(n) for n in names]
    if any(k is None for k in keys):
        return []
    idx = range(len(names))
    input_first = sorted(idx, key=lambda i: keys[i])
    output_first = sorted(idx, key=lambda i: (-keys[i][0], keys[i][1], keys[i][2]))
    # hidden units grouped: unit j of layer l together with its outgoing weights (layer l+1, input j)
    def unit_key(i):
        layer, out, inp = keys[i]
        if inp >= 0 and layer > 1:  # outgoing weight of unit `inp` of layer-1
            return (layer - 1, inp, 1, out)
        return (layer, out, 0, inp)
    grouped = sorted(idx, key=unit_key)
    return [("network:input-first", input_first), ("network:output-first", output_first),
            ("network:units-grouped", grouped)]


def candidate_orders(names: Sequence[str], raw=None, *, random_count: int = 3, seed: int = 0) -> list:
    """Candidate variable orders for a system in variables ``names``.

    ``raw`` (engine arrays of the polynomials) feeds the degree heuristics; network-aware
    orders appear when every name is a network parameter (``w{l}_{j}_{i}``, ``b{l}_{j}``).
    Duplicate permutations are dropped, keeping the first name.
    """
    n = len(names)
    if n == 0:
        raise ValueError("a system without variables has no variable order to search")
    if random_count < 0:
        raise ValueError(f"random_count must be >= 0, got {random_count}")
    proposals = [("given", list(range(n))), ("reversed", list(range(n - 1, -1, -1)))]
    if raw is not None:
        maxdeg, occurs = _variable_profile(raw, n)
        proposals.append(("degree:high-first",
                          sorted(range(n), key=lambda i: (-maxdeg[i], -occurs[i], i))))
        proposals.append(("degree:low-first",
                          sorted(range(n), key=lambda i: (maxdeg[i], occurs[i], i))))
    proposals.extend(_network_candidates(list(names)))
    rng = np.random.default_rng(seed)
    for k in range(random_count):
        proposals.append((f"random:{seed}:{k}", [int(i) for i in rng.permutation(n)]))
    seen, out = set(), []
    for name, perm in proposals:
        t = tuple(int(i) for i in perm)
        if t not in seen:
            seen.add(t)
            out.append(Candidate(name, t))
    return out


def permute_raw(raw, perm: Sequence[int]) -> list:
    """Engine arrays with variables reordered: new column k is old column ``perm[k]``."""
    p = np.asarray(perm, dtype=np.intp)
    return [(np.ascontiguousarray(exps[:, p]), coeffs) for exps, coeffs in raw]


# ---------------------------------------------------------------------------------------------
# probes

def probe_order(task) -> ProbeResult:
    """Run F4 mod p on one candidate; a picklable module-level job for executors.

    ``task = (raw, nvars, candidate, modulus, timeout)``.
    """
    from grobnet.engine import _core
    from grobnet.exact.hilbert import dimension_and_degree

    raw, nvars, cand, modulus, timeout = task
    t0 = time.perf_counter()
    try:
        basis, st = _core.f4(permute_raw(raw, cand.perm), nvars, modulus, order="grevlex",
                             timeout=float(timeout or 0.0))
    except TimeoutExceeded:
        return ProbeResult(cand, "timeout", time.perf_counter() - t0)
    except GrobnetError as exc:
        return ProbeResult(cand, f"error: {exc}", time.perf_counter() - t0)
    seconds = time.perf_counter() - t0
    lms = [tuple(int(e) for e in exps[0]) for exps, _ in basis]
    dim, deg = dimension_and_degree(lms, nvars)
    return ProbeResult(cand, "ok", seconds, rounds=int(st.get("rounds", 0)),
                       max_rows=int(st.get("max_rows", 0)), max_cols=int(st.get("max_cols", 0)),
                       basis_size=len(basis), dimension=dim, degree=deg)


def check_agreement(probes: Sequence[ProbeResult]) -> None:
    """Raise :class:`OrderingMismatch` unless every finished probe has the same (dimension, degree)."""
    done = [r for r in probes if r.ok]
    for r in done[1:]:
        if (r.dimension, r.degree) != (done[0].dimension, done[0].degree):
            a, b = done[0], r
            raise OrderingMismatch(
                f"variable orders disagree: {a.candidate.name} {list(a.candidate.perm)} gives "
                f"dimension {a.dimension}, degree {a.degree}; {b.candidate.name} "
                f"{list(b.candidate.perm)} gives dimension {b.dimension}, degree {b.degree}. "
                "The ideal is the same under every order, so this is a bug or a missed solution.")


def _as_candidates(orderings, names, raw, seed):
    n = len(names)
    if orderings == "given":
        return [Candidate("given", tuple(range(n)))]
    if orderings == "auto":
        return candidate_orders(names, raw, seed=seed)
    if isinstance(orderings, int) and not isinstance(orderings, bool):
        if orderings < 1:
            raise ValueError(f"orderings={orderings} must be at least 1")
        return candidate_orders(names, raw, random_count=max(0, orderings - 2), seed=seed)[:orderings]
    if isinstance(orderings, (list, tuple)):
        named = {c.name: c for c in candidate_orders(names, raw, seed=seed)}
        out = []
        for k, o in enumerate(orderings):
            if isinstance(o, str):
                if o not in named:
                    raise ValueError(f"unknown order name {o!r}; known: {sorted(named)}")
                o = named[o]
            if isinstance(o, Candidate):
                perm = o.perm
                label = o.name
            else:
                items = list(o)
                if all(isinstance(v, str) for v in items):
                    unknown = [v for v in items if v not in names]
                    if unknown:
                        raise ValueError(f"order {k} names unknown variables {unknown}")
                    perm = tuple(names.index(v) for v in items)
                else:
                    perm = tuple(int(v) for v in items)
                label = f"user:{k}"
            if sorted(perm) != list(range(n)):
                raise ValueError(f"order {k} ({list(o) if not isinstance(o, Candidate) else o}) "
                                 f"is not a permutation of the {n} variables")
            out.append(Candidate(label, tuple(perm)))
        if not out:
            raise ValueError("orderings list is empty")
        return out
    raise ValueError(f"orderings must be 'auto', 'given', a positive int or a list of orders, "
                     f"got {orderings!r}")


def choose_order(names: Sequence[str], raw, *, orderings="auto", modulus: int = PROBE_MODULUS,
                 probe_timeout: float | None = 10.0, executor="serial", seed: int = 0,
                 cross_check: bool = True) -> OrderingChoice:
    """Probe candidate orders of the system (``raw`` engine arrays mod ``modulus``) and pick one.

    Returns the fastest finished probe's candidate (the earliest proposed one among
    those within timing noise of the fastest, see :func:`_fastest`).  With ``cross_check`` the finished
    probes must agree on dimension and degree (else :class:`OrderingMismatch`).  If no
    probe finishes within ``probe_timeout`` the given order is chosen and the probes say
    so.  ``executor`` is anything :func:`grobnet.parallel.get_executor` accepts.
    """
    from grobnet.parallel import get_executor

    names = list(names)
    cands = _as_candidates(orderings, names, raw, seed)
    t0 = time.perf_counter()
    if len(cands) == 1:
        return OrderingChoice(cands[0], [], 0.0)
    ex = get_executor(executor)
    tasks = [(raw, len(names), c, modulus, probe_timeout) for c in cands]
    probes = ex.map(probe_order, tasks)
    if cross_check:
        check_agreement(probes)
    return OrderingChoice(_fastest(probes, cands[0]), probes, time.perf_counter() - t0)


def _fastest(probes, default: Candidate) -> Candidate:
    """The first candidate (in proposal order) whose probe is within timing noise of the
    fastest: differences below ``max(NOISE_SECONDS, NOISE_FRACTION * fastest)`` are not
    evidence (see :data:`NOISE_FRACTION`), so the given order stays unless another is
    clearly faster, and repeated runs choose alike."""
    done = [r for r in probes if r.ok]
    if not done:
        return default
    fastest = min(r.seconds for r in done)
    slack = max(NOISE_SECONDS, NOISE_FRACTION * fastest)
    return next(r for r in done if r.seconds <= fastest + slack).candidate


# ---------------------------------------------------------------------------------------------
# exact solving under the chosen order, mapped back to the original variables, cross-checked

def probe_modulus(int_polys, start: int = PROBE_MODULUS) -> int:
    """The largest prime ``<= start`` that divides no coefficient of the integer input.

    Reduction modulo such a prime keeps every term of every polynomial, so no probe
    loses a leading term to the prime (an order-dependent kind of bad luck).
    """
    import flint

    coeffs = [c for f in int_polys for c in f.values()]
    p = int(start)
    while p >= 2:
        if flint.fmpz(p).is_prime() and all(c % p for c in coeffs):
            return p
        p -= 1
    raise ValueError(f"no probe prime below {start} divides no input coefficient")  # pragma: no cover


def _modp_raw(int_polys, nvars, p):
    """Engine arrays of the integer polynomials modulo ``p`` (zero images dropped)."""
    from grobnet.exact.modular import from_modp_dict

    raw = [from_modp_dict({m: c % p for m, c in f.items()}, nvars) for f in int_polys]
    return [r for r in raw if len(r[1])]


def probe_input(system):
    """``(variables, raw, modulus)``: a system (PolynomialSystem over Q or fmpq/fmpz_mpoly
    list) as engine arrays modulo :func:`probe_modulus`, ready for :func:`choose_order`."""
    from grobnet.exact.lift import integer_input

    names, int_polys = integer_input(system)
    p = probe_modulus(int_polys)
    return names, _modp_raw(int_polys, len(names), p), p


def permuted_system(names: Sequence[str], int_polys, perm: Sequence[int]) -> list:
    """The integer polynomials (``{exponents: int}``) as ``fmpz_mpoly`` in the permuted order.

    Variable ``k`` of the result is original variable ``perm[k]`` under its own name,
    so the permuted system describes the same points with coordinates reordered.
    """
    import flint

    ctx = flint.fmpz_mpoly_ctx.get(tuple(names[i] for i in perm), "degrevlex")
    return [ctx.from_dict({tuple(m[i] for i in perm): c for m, c in f.items()}) for f in int_polys]


def _inverse(perm):
    inv = [0] * len(perm)
    for k, i in enumerate(perm):
        inv[i] = k
    return inv


def map_solutions(sol, names: Sequence[str], perm: Sequence[int]):
    """A :class:`~grobnet.exact.solve.Solutions` of the permuted system, in the original variables.

    Real and complex boxes, the RUR's variables, linear form and parametrizations
    are put back in the original order; the rest (dimension, degree, completeness,
    statistics) is unchanged.  ``sol.variables`` must be ``names`` permuted by ``perm``.
    """
    from dataclasses import replace

    names = tuple(names)
    if tuple(sol.variables) != tuple(names[i] for i in perm):
        raise ValueError(f"solutions in variables {list(sol.variables)} are not the variables "
                         f"{list(names)} permuted by {list(perm)}")
    inv = _inverse(perm)

    def back(seq):
        return tuple(seq[inv[i]] for i in range(len(names)))

    real = None if sol.real is None else [
        replace(s, variables=names, intervals=back(s.intervals)) for s in sol.real]
    comps = None if sol.complex is None else [
        replace(s, variables=names, intervals=back(s.intervals)) for s in sol.complex]
    rur = sol.rur
    if rur is not None:
        numerators = list(back(rur.numerators)) if len(rur.numerators) == len(names) \
            else list(rur.numerators)
        rur = replace(rur, variables=names, linear_form=back(rur.linear_form),
                      numerators=numerators)
    return replace(sol, variables=names, real=real, complex=comps, rur=rur, stats=dict(sol.stats))


def _perfect_matching(left, right, overlap) -> bool:
    """Whether the boxes pair up one-to-one so that paired boxes overlap (Kuhn's augmenting paths)."""
    if len(left) != len(right):
        return False
    adj = [[j for j, r in enumerate(right) if overlap(a, r)] for a in left]
    owner = [-1] * len(right)

    def augment(i, seen):
        for j in adj[i]:
            if j not in seen:
                seen.add(j)
                if owner[j] < 0 or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    return all(augment(i, set()) for i in range(len(left)))


def _real_overlap(a, b) -> bool:
    return not a.disjoint(b)


def _complex_overlap(a, b) -> bool:
    return all(x.overlaps(y) for x, y in zip(a.intervals, b.intervals))


def _label(cand: Candidate) -> str:
    return f"{cand.name} {list(cand.perm)}"


def compare_solutions(a, b, order_a: str, order_b: str) -> dict:
    """Cross-check two solutions of one system (both in the original variables).

    They must agree on dimension and degree, on the number of distinct solutions
    (RUR), and on the real -- and, when both carry them, complex -- solutions: the
    same count and a one-to-one pairing of overlapping boxes.  (Certified boxes hold
    one solution each, so two boxes of one solution always overlap; boxes of distinct
    solutions overlap only if the solutions are closer than the box width.)  Raises
    :class:`OrderingMismatch` naming both orders; returns a summary for the statistics.
    """
    def fail(what):
        raise OrderingMismatch(
            f"variable orders disagree: {order_a} and {order_b}: {what}. The solution set is "
            "the same under every order, so this is a bug or a missed solution.")

    if (a.dimension, a.degree) != (b.dimension, b.degree):
        fail(f"dimension {a.dimension}, degree {a.degree} against dimension {b.dimension}, "
             f"degree {b.degree}")
    summary = {"dimension": a.dimension, "degree": a.degree}
    if a.rur is not None and b.rur is not None:
        if a.rur.n_solutions != b.rur.n_solutions:
            fail(f"{a.rur.n_solutions} against {b.rur.n_solutions} distinct solutions")
        summary["distinct_solutions"] = a.rur.n_solutions
    for kind, overlap in (("real", _real_overlap), ("complex", _complex_overlap)):
        sa, sb = getattr(a, kind), getattr(b, kind)
        if sa is None or sb is None:
            continue
        if len(sa) != len(sb):
            fail(f"{len(sa)} against {len(sb)} {kind} solutions")
        if not _perfect_matching(sa, sb, overlap):
            fail(f"the {len(sa)} {kind} solutions do not pair up: some box of one order "
                 "overlaps no box of the other")
        summary[f"{kind}_solutions"] = len(sa)
    return summary


def _runner_up(choice: OrderingChoice, cands, n):
    """The order for the cross-check solve: the fastest other finished probe, else the next
    candidate, else the reversed (or given) order; ``None`` for a single variable."""
    best = choice.best.perm
    for r in sorted((r for r in choice.probes if r.ok), key=lambda r: r.seconds):
        if r.candidate.perm != best:
            return r.candidate
    for c in cands:
        if c.perm != best:
            return c
    if n < 2:
        return None
    rev = tuple(range(n - 1, -1, -1))
    return Candidate("reversed", rev) if rev != best else Candidate("given", tuple(range(n)))


def _solve_under(cand, names, int_polys, invariants, *, seed, linear_form, timeout, **options):
    """The exact solve (``orderings="given"``) of the system permuted by ``cand``, in the
    permuted variables.  A timeout raised inside becomes an incomplete answer; any other
    error propagates with a note naming the order."""
    import importlib

    given = importlib.import_module("grobnet.exact.solve")
    form = None if linear_form is None else tuple(int(linear_form[i]) for i in cand.perm)
    polys = permuted_system(names, int_polys, cand.perm)
    try:
        return given.solve(polys, orderings="given", seed=seed, linear_form=form,
                           timeout=timeout, **options)
    except TimeoutExceeded as exc:
        if invariants is None:
            exc.add_note(f"while solving under variable order {_label(cand)}")
            raise
        dim, deg = invariants
        return given.Solutions(tuple(names[i] for i in cand.perm), dim, deg, None, None, None,
                               False, f"timeout: {exc}", "", {})
    except Exception as exc:
        exc.add_note(f"while solving under variable order {_label(cand)}")
        raise


def solve_with_orderings(system, orderings="auto", real: bool = True, complex: bool = False,
                         digits: int = 30, *, order: str = "grevlex", seed: int = 0,
                         linear_form=None, executor="auto", backend: str = "auto",
                         check_primes: int = 2, max_primes: int = 5000,
                         timeout: float | None = None, cross_check=True,
                         probe_timeout: float | None = 10.0, method: str = "auto"):
    """Solve ``system`` exactly under the fastest of several variable orders, cross-checked.

    What ``grobnet.solve(system, orderings=...)`` runs for ``orderings`` other than
    ``"given"``: ``"auto"`` (every candidate of :func:`candidate_orders`), an int
    (that many candidates) or a list of orders (variable names, index permutations,
    candidate names or :class:`Candidate`).

    1. Probes: F4 modulo a small prime (:func:`probe_modulus`) under every candidate,
       each within ``probe_timeout`` seconds; finished probes must agree on dimension
       and degree (:func:`check_agreement`).
    2. The exact solve under the fastest order; solutions are mapped back to the
       original variables (:func:`map_solutions`), so the answer looks exactly as if
       the system had been solved as given.
    3. With ``cross_check`` (the default), a second exact solve under the runner-up
       order (the next fastest probe; the reversed order if only one was given), with
       other primes (``seed + 1``), and :func:`compare_solutions`: a disagreement
       raises :class:`OrderingMismatch` naming both orders.  ``True`` (or
       ``"same-form"``) reuses the first solve's separating form (in the original
       variables): the second Groebner bases, multiplication matrices and lift are
       computed afresh under the other order, but the real-root isolation costs the
       same, so the cross-check costs about one more solve.  ``"independent"`` lets the
       second solve choose its own form: it also exercises the root isolation
       differently, but its cost can differ widely (katsura-8: 18 s under the given
       order, 246 s under the reversed one, whose form isolates roots 60x slower).
       ``False`` skips the second solve when time matters more than the proof (the
       probes are still compared).

    ``timeout`` (seconds) is split: :data:`PROBE_SHARE` of it for the probes, the
    rest evenly between the two solves (the first may use what the probes left).  A
    cut solve returns ``complete=False`` with a ``reason`` (dimension and degree from
    the probes); an unfinished cross-check also returns ``complete=False`` (the answer
    is kept, but is not verified).  Cut before anything determined the dimension (no
    probe finished, the solve's own dimension probe cut), the run raises
    :class:`~grobnet.errors.TimeoutExceeded` as ``orderings="given"`` does.
    ``method`` is passed to each solve (``"auto"``, ``"exact"`` or ``"hybrid"``).
    ``executor`` (anything :func:`grobnet.parallel.get_executor` accepts: ``"auto"``,
    ``"serial"``, ``"processes"``, an Executor or a ``dask.distributed.Client``) runs
    the probes and the multimodular primes; with ``"auto"`` the probes run serially and
    each lift decides for itself (:mod:`grobnet.exact.rur_lift`).  Other options go to
    :func:`grobnet.exact.solve.solve`.

    ``result.stats["ordering"]`` holds the chosen order, every probe's timing and
    invariants, the solve times and the cross-check's outcome.
    """
    from grobnet.exact.lift import integer_input
    from grobnet.parallel import Executor, get_executor

    t0 = time.monotonic()
    if timeout is not None and timeout <= 0:
        raise ValueError(f"timeout must be positive seconds, got {timeout!r}")
    if not (isinstance(cross_check, bool) or cross_check in ("same-form", "independent")):
        raise ValueError(f"cross_check must be True, False, 'same-form' or 'independent', "
                         f"got {cross_check!r}")
    deadline = None if timeout is None else t0 + float(timeout)
    names, int_polys = integer_input(system)
    n = len(names)
    if linear_form is not None and len(linear_form) != n:
        raise ValueError(f"linear_form has {len(linear_form)} coefficients for {n} variables")
    ex = get_executor(executor)             # for the probes ("auto": serial)
    owned = not isinstance(executor, Executor)
    # the lifts get the same executor object (one pool for both solves), except "auto",
    # which the lift itself turns into "serial first, a process pool once it runs long"
    lift_ex = executor if isinstance(executor, str) and executor == "auto" else ex
    options = dict(real=real, complex=complex, digits=digits, method=method, order=order,
                   executor=lift_ex,
                   backend=backend, check_primes=check_primes, max_primes=max_primes)
    try:
        p = probe_modulus(int_polys)
        raw = _modp_raw(int_polys, n, p)
        cands = _as_candidates(orderings, list(names), raw, seed)
        per_probe = probe_timeout
        if deadline is not None:
            rounds = -(-len(cands) // max(1, ex.workers))
            share = PROBE_SHARE * float(timeout) / rounds
            per_probe = share if per_probe is None else min(per_probe, share)
        choice = choose_order(names, raw, orderings=cands, modulus=p, probe_timeout=per_probe,
                              executor=ex, seed=seed, cross_check=True)
        best = choice.best
        second = _runner_up(choice, cands, n) if cross_check else None
        finished = [r for r in choice.probes if r.ok]
        invariants = (finished[0].dimension, finished[0].degree) if finished else None
        ostats = choice.stats()
        ostats.update(probe_modulus=p, probe_timeout=per_probe,
                      chosen_variables=list(best.variables(names)))

        t1 = time.monotonic()
        budget = None
        if deadline is not None:
            budget = max(1e-3, (deadline - t1) / (2 if second is not None else 1))
        main = _solve_under(best, names, int_polys, invariants, seed=seed,
                            linear_form=linear_form, timeout=budget, **options)
        result = map_solutions(main, names, best.perm)
        ostats["solve_seconds"] = time.monotonic() - t1
        if invariants is not None and result.complete and invariants != (result.dimension,
                                                                         result.degree):
            # the same prime serves every probe: a prime unlucky for the ideal (not for an
            # order) shifts all probes alike, while the solve votes over many primes
            ostats["note"] = (f"probes modulo {p} gave dimension {invariants[0]}, degree "
                              f"{invariants[1]}; the multimodular solve gives "
                              f"{result.dimension}, {result.degree} (probe prime unlucky)")
        result.stats = {**main.stats, "ordering": ostats}

        if not cross_check:
            ostats["cross_check"] = {"status": "disabled (cross_check=False)"}
        elif second is None:
            ostats["cross_check"] = {"status": "skipped: one variable has only one order"}
        elif not result.complete:
            ostats["cross_check"] = {"status": "skipped: the solve under the chosen order "
                                               "is incomplete"}
        else:
            t2 = time.monotonic()
            left = None if deadline is None else deadline - t2
            if left is not None and left <= 0:
                check = None
                why = f"timeout={timeout} s used up by the probes and the first solve"
            else:
                form = linear_form
                if cross_check != "independent" and result.rur is not None:
                    form = result.rur.linear_form     # the same t, in the original variables
                try:
                    check = _solve_under(second, names, int_polys, invariants, seed=seed + 1,
                                         linear_form=form, timeout=left, **options)
                    why = check.reason
                except TimeoutExceeded as exc:     # keep the first answer, flagged
                    check, why = None, str(exc)
            seconds = time.monotonic() - t2
            info = {"order": second.name, "permutation": list(second.perm), "seconds": seconds,
                    "mode": "independent" if cross_check == "independent" else "same-form"}
            if check is None or not check.complete:
                info["status"] = f"not finished: {why}"
                ostats["cross_check"] = info
                result.complete = False
                result.reason = (f"cross-check under order {second.name} did not finish ({why}); "
                                 f"the answer under order {best.name} is not verified")
            else:
                summary = compare_solutions(result, map_solutions(check, names, second.perm),
                                            _label(best), _label(second))
                info.update(summary, status="agreed")
                ostats["cross_check"] = info
        result.stats["total_time"] = time.monotonic() - t0
        return result
    finally:
        if owned:
            ex.close()
