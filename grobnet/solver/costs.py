"""The cost model behind ``method="auto"``: which route first, and when to switch.

:func:`grobnet.solve` has two routes for a square zero-dimensional system of degree ``D``
(:mod:`grobnet.solver.routes`).  Their costs grow in different directions:

* the **exact route** lifts a rational univariate representation whose coefficients
  have about ``D * (h + c)`` bits (``h``: bits of the input's coefficients; arithmetic
  Bezout bounds grow like ``D * h``), so it needs that many bits of primes, and each
  prime costs an F4 trace replay plus ``O(D^2 n)`` linear algebra.  It is cheap for
  small coefficients (katsura, cyclic, univariate ``x^500 - 1``) and hopeless for the
  network systems (random weights: 14-18-bit coefficients, RUR coefficients of
  10,000+ bits at ``D`` ~ 500, a million bits at ``D`` ~ 5,000);
* the **hybrid route** tracks paths: its cost grows like ``D`` times the cost of a path
  (the number of terms), and it does not see coefficient sizes at all; but monodromy
  can stall on very symmetric systems (roots of unity, cyclic-n).

:func:`estimate_routes` prices both from what the shared dimension probe measured (its
F4 seconds per prime and ``D``) and the input's shape; the constants below were fitted
on katsura-6..9, cyclic-5/6, ``x^500 - 1`` and the [1,2,1] / [1,3,1] / XOR [2,2,1]
network systems (ratios, not absolute times, matter: both estimates scale with the same
machine).  An estimate is only a first guess, so :class:`RouteWatch` watches the
route that runs (monodromy's solutions found per second; the exact lift's seconds per
prime) and raises :class:`SwitchRoute` when the projected rest of the running route
costs clearly more than the other route's whole estimate.  A route stopped this way is
not an answer: the other route then runs from the same probe.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass

from grobnet.exact.rur_lift import first_form_variable

__all__ = ["RouteEstimate", "estimate_routes", "RouteWatch", "SwitchRoute",
           "exact_fallback_allowed", "FALLBACK_FLOOR"]

#: bits of primes the lift needs per solution:
#: ``SLOPE * sum_i (h_i + BASE) / d_i * (1 + EXCESS * log2(B / D))`` over the equations
#: (height ``h_i`` bits, degree ``d_i``; ``B = prod d_i`` the Bezout number).  The sum is
#: the shape of arithmetic Bezout bounds (the eliminant's height is at most about
#: ``B * sum_i h_i / d_i``); the excess factor grows with how far ``D`` falls below
#: ``B`` (network gradients: ``B / D`` ~ 10^2-10^4, their RUR coefficients are larger
#: per solution).  Fitted on the sequential lifter: katsura-8/9 (h = 2, B = D) need
#: 3.5-4 bits per solution, the [2,1,1] nets (h = 16) about 33, univariate input ~2h/d
BITS_SLOPE = 0.35
BITS_BASE = 0.3
BITS_EXCESS = 0.32
#: bits a prime contributes to the modulus (31-bit primes, a safety margin off)
PRIME_BITS = 30.0
#: share of the probe's full F4 run that a trace replay costs
REPLAY_SHARE = 0.5
#: seconds per prime of the RUR's linear algebra, per ``D^2 * n``
RUR_SECONDS = 4e-8
#: seconds of the verification over Q per ``D^2 * bits per solution * (d - 1)^2`` (``d``:
#: the largest equation degree; the substituted parametrisation raised to ``d``):
#: half the exact route's time on the [2,1,1] nets, negligible on katsura
VERIFY_SECONDS = 2e-7
#: seconds of real-root isolation per ``D^2 * bits per solution``
ROOTS_SECONDS = 2e-9
#: seconds of monodromy per solution on one thread (its loops' paths included; the
#: compiled tracker spends 2.5-5 ms per solution on katsura-8/9, the [1,2,1] and [2,1,1]
#: nets alike: bench_solve --auto, 2026-12-04)
PATH_SECONDS = 3e-3
#: fixed seconds of the hybrid route (start system, first loops, certification set-up):
#: on small systems the exact route wins whatever the timings of the probe say
HYBRID_BASE = 0.05
#: seconds of Krawczyk certification per solution and ``n^2``
CERT_SECONDS = 1.5e-5
#: when the hybrid route is preferred but the exact estimate is within this factor,
#: the exact route gets a trial first (estimates of the RUR's size are pessimistic for
#: near-univariate systems: ``x^500 - 1`` lifts in 3 primes) ...
TRIAL_RATIO = 10.0
#: ... of this share of the hybrid estimate
TRIAL_SHARE = 0.1
#: a route is switched when its projected remaining cost exceeds this many times the
#: other route's estimate (hysteresis: estimates are rough)
SWITCH_FACTOR = 2.0
#: seconds of the exact route a fall-back after an unfinished hybrid route may always
#: take (no timeout given); beyond it, only if at most twice the time already spent
FALLBACK_FLOOR = 300.0


class SwitchRoute(Exception):
    """Raised by :class:`RouteWatch` from inside a route (through its ``progress``
    callback) to stop it: the other route is expected to be much cheaper."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class RouteEstimate:
    """Estimated seconds of each route for one system (after the dimension probe).

    ``primes``: primes the exact lift is expected to need; ``exact`` / ``hybrid``:
    seconds; ``prefer``: ``"exact"`` or ``"hybrid"``; the other fields are the inputs."""

    degree: int
    nvars: int
    height: int
    terms: int
    f4_seconds: float
    primes: int
    exact: float
    hybrid: float

    @property
    def prefer(self) -> str:
        return "exact" if self.exact <= self.hybrid else "hybrid"

    @property
    def exact_trial(self) -> float | None:
        """Seconds of exact route to try before the preferred hybrid route, or ``None``
        (no trial: exact preferred, or hopeless by :data:`TRIAL_RATIO`)."""
        if self.prefer == "exact" or self.exact > TRIAL_RATIO * self.hybrid:
            return None
        return TRIAL_SHARE * self.hybrid

    def as_dict(self) -> dict:
        return {"degree": self.degree, "height_bits": self.height, "terms": self.terms,
                "f4_seconds": round(self.f4_seconds, 4), "primes": self.primes,
                "exact_seconds": round(self.exact, 3), "hybrid_seconds": round(self.hybrid, 3),
                "prefer": self.prefer, "exact_trial": self.exact_trial}

    def __repr__(self):
        return (f"RouteEstimate(D={self.degree}, exact ~{self.exact:.3g} s over "
                f"~{self.primes} primes, hybrid ~{self.hybrid:.3g} s: {self.prefer})")


def input_height(int_polys) -> int:
    """Bits of the largest coefficient of the integer polynomials ``int_polys``."""
    return max((abs(int(c)).bit_length() for f in int_polys for c in f.values()), default=1)


def bits_per_solution(int_polys, degree: int | None = None) -> float:
    """Bits of primes the exact lift needs per solution (see :data:`BITS_SLOPE`);
    ``degree``: ``D`` (``None``: taken as the Bezout number, no excess)."""
    total, log_bezout = 0.0, 0.0
    for f in int_polys:
        if not f:
            continue
        h = max(abs(int(c)).bit_length() for c in f.values())
        d = max(1, max(int(sum(m)) for m in f))
        total += (h + BITS_BASE) / d
        log_bezout += math.log2(d)
    excess = 0.0 if not degree else max(0.0, log_bezout - math.log2(max(1, degree)))
    return BITS_SLOPE * total * (1.0 + BITS_EXCESS * excess)


def certification_seconds(degree: int, nvars: int) -> float:
    """Estimated seconds of the Krawczyk certification of ``degree`` points in ``nvars``
    variables (:data:`CERT_SECONDS`; measured 5.5-6 s for nn_131's 4,929 points on two
    cores, estimated 7.4 s): the hybrid route runs it after the tracking, without a time
    check of its own, so a ``timeout`` leaves it this much."""
    return degree * CERT_SECONDS * nvars * nvars


def exact_seconds_per_prime(degree: int, nvars: int, f4_seconds: float) -> float:
    """Seconds per prime of the exact lift: a trace replay and the RUR's linear algebra."""
    return REPLAY_SHARE * f4_seconds + RUR_SECONDS * degree * degree * nvars


def estimate_routes(int_polys, nvars: int, degree: int, f4_seconds: float) -> RouteEstimate:
    """Price the two routes for a zero-dimensional system of degree ``degree`` whose
    F4 run modulo one prime took ``f4_seconds`` (the probe's cheaper image)."""
    h = input_height(int_polys)
    terms = sum(len(f) for f in int_polys)
    bits = bits_per_solution(int_polys, degree)
    primes = int(math.ceil(degree * bits / PRIME_BITS)) + 2
    # the degree of the equations in the parametrised variables (the variable tried
    # first as separating form is substituted directly: x^500 - 1 costs nothing)
    k = first_form_variable(int_polys, nvars)
    top = max((int(sum(m)) - int(m[k]) for f in int_polys for m in f), default=1)
    exact = (primes * exact_seconds_per_prime(degree, nvars, f4_seconds)
             + ROOTS_SECONDS * degree * degree * bits
             + VERIFY_SECONDS * degree * degree * bits * (top - 1) ** 2)
    hybrid = HYBRID_BASE + degree * PATH_SECONDS + certification_seconds(degree, nvars)
    return RouteEstimate(degree, nvars, h, terms, f4_seconds, primes, exact, hybrid)


def exact_fallback_allowed(estimate: RouteEstimate, elapsed: float,
                           remaining: float | None) -> bool:
    """Whether the exact route may run after the hybrid route did not finish: within
    the time left when there is a timeout, else at most :data:`FALLBACK_FLOOR` seconds
    or twice the time already spent (never an open-ended run the estimate calls
    hopeless; the caller returns the certified part instead)."""
    if remaining is not None:
        return estimate.exact <= remaining
    return estimate.exact <= max(FALLBACK_FLOOR, 2.0 * elapsed)


class RouteWatch:
    """A ``progress`` wrapper that watches the running route and stops it.

    ``route``: ``"hybrid"`` or ``"exact"`` (the one running); ``other``: the estimated
    seconds of the other route.  Events are passed on to ``progress`` first.  The
    hybrid route is judged on monodromy's events (``known`` solutions of ``expected``),
    the exact route on its ``prime`` events against the estimated number of primes.
    The watch never judges before the running route has spent ``other`` seconds (the
    estimate may be pessimistic about the other route, never worth a premature
    switch), so ``auto`` costs at most about ``1 + SWITCH_FACTOR`` times the faster
    route when the first guess is wrong.  ``limit``: seconds after which the route is
    stopped whatever its progress (a trial)."""

    def __init__(self, route: str, estimate: RouteEstimate, progress=None, *,
                 limit: float | None = None, clock=time.monotonic):
        self.route, self.estimate, self.progress, self.clock = route, estimate, progress, clock
        self.limit = limit
        self.other = estimate.hybrid if route == "exact" else estimate.exact
        self.t0 = clock()
        self.known = 0
        self.primes = 0
        self.first: tuple | None = None     # (time, primes) of the exact route's first image
        self.decision: str | None = None

    def __call__(self, stage, info):
        if self.progress is not None:
            self.progress(stage, info)
        if self.route == "hybrid" and stage.startswith("monodromy"):
            expected = int(info.get("expected", self.estimate.degree) or 1)
            known = int(info.get("known", info.get("found", 0)) or 0)
            self.known = min(max(self.known, known), expected)
            self._judge(self.known, expected, "solutions")
        elif self.route == "exact" and stage == "solve" and info.get("event") == "prime":
            self.primes = max(self.primes, int(info.get("k", 0)))
            total = self.estimate.primes
            if self.primes >= total:           # the estimate was low: assume half again
                total = int(1.5 * self.primes) + 1
            if self.first is None:
                # the wait for the first images is start-up (a process pool's workers
                # importing grobnet, the F4 trace learnt once), not the rate of the rest
                self.first = (self.clock(), self.primes)
            self._judge(self.primes, total, "primes", since=self.first)

    def _judge(self, done: int, total: int, unit: str, since: tuple | None = None):
        """``since``: ``(time, done)`` from which the rate is measured (default: the start)."""
        elapsed = self.clock() - self.t0
        if self.limit is not None and elapsed > self.limit:
            self.decision = (f"{self.route} route tried for {self.limit:.3g} s ({done} of "
                             f"~{total} {unit}); the other route estimated at "
                             f"{self.other:.3g} s")
            raise SwitchRoute(self.decision)
        if elapsed < self.other or elapsed < 1.0:
            return
        t1, done1 = (self.t0, 0) if since is None else since
        if done <= done1 or self.clock() <= t1:
            return                          # no rate yet
        rate = (done - done1) / (self.clock() - t1)
        remaining = math.inf if rate <= 0 else (total - done) / rate
        if remaining > SWITCH_FACTOR * self.other:
            self.decision = (f"{self.route} route stopped after {elapsed:.3g} s ({done} of "
                             f"~{total} {unit}; ~{remaining:.3g} s more projected, the other "
                             f"route estimated at {self.other:.3g} s)")
            raise SwitchRoute(self.decision)
