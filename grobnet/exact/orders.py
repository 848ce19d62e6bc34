"""Variable orders: candidates and cheap probes (the order is a knob for speed only).

The seed's sympy run answered differently under a reversed variable list.  A
Groebner basis describes the same ideal under every order, so with a complete
solver the order can only change the *time*.  This module

1. proposes candidate orders (as given, reversed, degree heuristics, network-aware
   orders from the parameter names, seeded random permutations),
2. probes each with one F4 run modulo its own random 31-bit prime (drawn from the
   run's seed, dividing no coefficient of the input) under a time budget,
3. picks the fastest, and
4. cross-checks: every probe that finished must report the same Krull dimension
   and degree (both are invariant under renaming variables).  Different orders are
   probed modulo different primes, so two agreeing probes are two independent primes
   agreeing.  When they disagree, every finished order is probed again modulo a fresh
   prime: an order whose two primes disagree met an unlucky prime (its odd one out is
   dropped), and orders that are each confirmed by two primes yet disagree with each
   other are an :class:`~grobnet.errors.OrderingMismatch` naming both orders: a bug or a
   missed solution, never something to average away.  ``OrderingChoice.invariants``
   (dimension, degree) is set only when two independent primes agree.

:func:`grobnet.solver.orderings.solve_with_orderings` (what ``grobnet.solve(...,
orderings=...)`` calls) then solves the system under the chosen order, maps the
solutions back to the original variables and -- the proof that the order changed
nothing but the time -- solves it a second time under the runner-up order and demands
the same solutions.

A candidate is a permutation ``perm`` of variable indices: position ``k`` of the
permuted system holds original variable ``perm[k]`` (position 0 is the largest).
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Sequence

import flint
import numpy as np

from grobnet.common.primes import PrimeStream, resolve_seed, screen
from grobnet.engine.modp import modp_arrays
from grobnet.errors import GrobnetError, OrderingMismatch, TimeoutExceeded
from grobnet.exact.probe import probe_prime
from grobnet.frontend.parse import flint_names
from grobnet.parallel import get_executor

__all__ = ["Candidate", "ProbeResult", "OrderingChoice", "candidate_orders", "permute_raw",
           "probe_order", "choose_order", "check_agreement", "permuted_system",
           "permute_polys", "as_candidates", "PROBE_SHARE"]

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
    prime: int = 0
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
    invariants: tuple | None = None      # (dimension, degree): two independent primes agree
    rechecks: list = field(default_factory=list)   # second probes after a disagreement
    seed: int | None = None

    def stats(self) -> dict:
        def row(r):
            return {"order": r.candidate.name, "status": r.status, "seconds": r.seconds,
                    "prime": r.prime, "max_rows": r.max_rows, "max_cols": r.max_cols,
                    "dimension": r.dimension, "degree": r.degree}
        return {"chosen_order": self.best.name, "chosen_permutation": list(self.best.perm),
                "search_seconds": self.seconds, "probe_seed": self.seed,
                "invariants": None if self.invariants is None else list(self.invariants),
                "probes": [row(r) for r in self.probes],
                "rechecks": [row(r) for r in self.rechecks]}

    def __repr__(self):
        return f"OrderingChoice(best={self.best.name!r}, {len(self.probes)} probes, {self.seconds:.3g} s)"


# ---------------------------------------------------------------------------------------------
# candidates

def _variable_profile(polys, nvars):
    """Per variable: maximal degree and number of terms it occurs in, over all polynomials
    (engine arrays ``(exps, coeffs)`` or integer dicts ``{exponents: int}``)."""
    maxdeg = np.zeros(nvars, dtype=np.int64)
    occurs = np.zeros(nvars, dtype=np.int64)
    for f in polys:
        exps = np.array(list(f), dtype=np.int64).reshape(-1, nvars) if isinstance(f, dict) \
            else f[0]
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

    ``raw`` (engine arrays or integer dicts of the polynomials) feeds the degree
    heuristics; network-aware
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

def permute_polys(int_polys, perm: Sequence[int]) -> list:
    """Integer polynomials (``{exponents: int}``) with variables reordered: new variable
    ``k`` is old variable ``perm[k]``."""
    return [{tuple(m[i] for i in perm): c for m, c in f.items()} for f in int_polys]


def probe_order(task) -> ProbeResult:
    """Run F4 modulo a prime on one candidate; a picklable module-level job for executors.

    ``task = (int_polys, nvars, candidate, prime, timeout)``: integer polynomials
    (``{exponents: int}``) in the original variable order.
    """
    int_polys, nvars, cand, prime, timeout = task
    t0 = time.perf_counter()
    try:
        raw = modp_arrays(permute_polys(int_polys, cand.perm), nvars, prime)
        image = probe_prime(raw, nvars, prime, timeout=timeout)
    except TimeoutExceeded:
        return ProbeResult(cand, "timeout", time.perf_counter() - t0, prime)
    except GrobnetError as exc:
        return ProbeResult(cand, f"error: {exc}", time.perf_counter() - t0, prime)
    st = image.stats
    return ProbeResult(cand, "ok", image.seconds, prime, rounds=int(st.get("rounds", 0)),
                       max_rows=int(st.get("max_rows", 0)), max_cols=int(st.get("max_cols", 0)),
                       basis_size=len(image.basis), dimension=image.hilbert.dimension,
                       degree=image.hilbert.degree)


def check_agreement(probes: Sequence[ProbeResult]) -> None:
    """Raise :class:`OrderingMismatch` unless every finished probe has the same (dimension, degree)."""
    done = [r for r in probes if r.ok]
    for r in done[1:]:
        if (r.dimension, r.degree) != (done[0].dimension, done[0].degree):
            a, b = done[0], r
            raise OrderingMismatch(
                f"variable orders disagree: {a.candidate.name} {list(a.candidate.perm)} gives "
                f"dimension {a.dimension}, degree {a.degree}; {b.candidate.name} "
                f"{list(b.candidate.perm)} gives dimension {b.dimension}, degree {b.degree} "
                "(each confirmed modulo two random primes). The ideal is the same under every "
                "order, so this is a bug or a missed solution.")


def as_candidates(orderings, names, raw, seed):
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


def choose_order(names: Sequence[str], int_polys, *, orderings="auto",
                 probe_timeout: float | None = 10.0, executor="serial", seed: int | None = None,
                 cross_check: bool = True, avoid: int | None = None) -> OrderingChoice:
    """Probe candidate orders of the system (integer polynomials ``{exponents: int}``)
    and pick one.

    Every candidate is probed modulo its own random prime (from ``seed``, skipping the
    prime divisors of ``avoid``, default every coefficient).  Returns the fastest
    finished probe's candidate (the earliest proposed one among those within timing
    noise of the fastest, see :func:`_fastest`).  With ``cross_check`` the finished
    probes must agree on dimension and degree (module docstring; else
    :class:`OrderingMismatch`).  If no probe finishes within ``probe_timeout`` the given
    order is chosen and the probes say so.  ``executor`` is anything
    :func:`grobnet.parallel.get_executor` accepts.
    """
    names = list(names)
    seed = resolve_seed(seed)
    cands = as_candidates(orderings, names, int_polys, seed)
    t0 = time.perf_counter()
    if len(cands) == 1:
        return OrderingChoice(cands[0], [], 0.0, seed=seed)
    stream = PrimeStream(seed, avoid=[screen(int_polys) if avoid is None else avoid],
                         label="orders")
    ex = get_executor(executor)
    n = len(names)
    probes = ex.map(probe_order, [(int_polys, n, c, next(stream), probe_timeout) for c in cands])
    choice = OrderingChoice(_fastest(probes, cands[0]), probes, 0.0, seed=seed)
    done = [r for r in probes if r.ok]
    if len({(r.dimension, r.degree) for r in done}) > 1:
        # an unlucky prime, or a bug: each finished order once more, modulo a fresh prime
        again = ex.map(probe_order, [(int_polys, n, r.candidate, next(stream), probe_timeout)
                                     for r in done])
        choice.rechecks = again
        confirmed = [b for a, b in zip(done, again)
                     if b.ok and (a.dimension, a.degree) == (b.dimension, b.degree)]
        if cross_check:
            check_agreement(confirmed)
        if confirmed:
            choice.invariants = (confirmed[0].dimension, confirmed[0].degree)
    elif len(done) >= 2:
        choice.invariants = (done[0].dimension, done[0].degree)
    choice.seconds = time.perf_counter() - t0
    return choice


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


def permuted_system(names: Sequence[str], int_polys, perm: Sequence[int]) -> list:
    """The integer polynomials (``{exponents: int}``) as ``fmpz_mpoly`` in the permuted order.

    Variable ``k`` of the result is original variable ``perm[k]`` under its own name,
    so the permuted system describes the same points with coordinates reordered.
    """
    ctx = flint.fmpz_mpoly_ctx.get(flint_names(names[i] for i in perm), "degrevlex")
    return [ctx.from_dict({tuple(m[i] for i in perm): c for m, c in f.items()}) for f in int_polys]
