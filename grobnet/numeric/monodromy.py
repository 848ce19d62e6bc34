"""All isolated solutions of a square system by monodromy in the family ``F(x) + diag(mu) (x - c)``.

The numerical half of the hybrid route of :func:`grobnet.solve`: the exact degree
``D`` comes cheaply from a Groebner basis mod p; this module finds ``D`` approximate
solutions in floating point, and :mod:`grobnet.numeric.certify` proves each one
(Krawczyk) -- completeness is the count of certified disjoint boxes equalling ``D``.
Nothing here is a proof; a miss only costs a fall-back or an incomplete result.

**Family.**  ``G(x; mu) = F(x) + diag(mu) (x - c)`` (equation ``i`` gets
``mu_i (x_i - c_i)``) with a random complex centre ``c``.  A start pair costs nothing:
a random ``x0`` solves ``G(x; mu0) = 0`` for ``mu0_i = -F_i(x0) / (x0_i - c_i)``.  For
``x_i != c_i`` the parameter is determined by ``x``, so the incidence variety is
irreducible and monodromy acts transitively on the solutions over a generic ``mu``
(their number ``N >= D``; ``N = D`` on the network systems measured).  For a gradient
system (``F`` = gradient of a loss, equations scaled by positive factors) ``G`` is the
gradient of the loss plus ``sum_i mu_i (x_i - c_i)^2 / 2``: a ``mu`` with positive real
parts *adds* regularization, while one near ``-2 lambda_i`` cancels a weight's
regularization and sends solutions to infinity.

**Graph** (after Duff, Hill, Jensen, Lee, Leykin, Sommars, "Solving polynomial systems
via homotopy continuation and monodromy", IMA J. Numer. Anal. 2019, and the
``monodromy_solve`` of HomotopyContinuation.jl, MIT): parameter nodes joined by
straight segments; each edge keeps the correspondence between the solutions known at
its two ends, and every solution not yet matched across an edge is tracked along it.
Cycles of the graph (triangles of the complete graph) are the monodromy loops.  At
closure each edge has carried each solution once, in one direction: about
``E * N`` paths for ``E`` edges -- a third of the cost of a straight-and-bent pair of
directed edges per node pair (a bent edge passes far more ill-conditioned regions).
When the graph closes short of the goal a node is added, linked to the base node and
one other (a new triangle); ``stagnation`` such nodes in a row without progress end
the search.

**Target.**  Solutions at the base node go to ``mu = 0`` by a route whose last leg
comes in along a direction with positive real parts (phases within
``final_phase`` radians): on network systems a straight segment from a random
complex ``mu0`` crosses the cancellation points near the target and loses hundreds of
paths to infinity.  A path that reaches the per-chunk step limit is resumed from where
it stopped, in later chunks, while the budget lasts; a path that fails is sent along
a new final direction (at most ``directions`` of them).

**Why monodromy stalled on nn_131 GL2 (4768 of 4929 before).**  Diagnosed with the
compiled tracker: (1) the end-point test (last Newton correction <= 1e-8 in double)
dropped ~60 distinct target solutions that are merely ill-conditioned (two hidden
units nearly equal, condition numbers 1e9--1e11): residuals in double-double fix it;
(2) with a Euclidean step norm relative to ``|x|`` a path with coordinates ~100 and
~0.1 accepted predictor errors of the size of the small coordinates, left Newton's
basin and stalled: a weighted norm and a corrector iterated to convergence fix it;
(3) hundreds of paths pass near poles (coordinates growing like ``1/(t - t*)`` where
the segment passes close to a parameter at which solutions escape to infinity), where
Runge-Kutta needs thousands of steps: the Pade (2,1) predictor of the compiled
tracker steps past them; (4) the straight last segment to the target crossed such
escape points: a final direction with positive real parts (added regularization)
avoids them; (5) a 3-node graph with bent return edges closed at ~4700-4780 generic
solutions: the 4-node straight-edge graph (and widening) reaches the generic count
(4929 = D for this family).  The tolerance of the duplicate test was not the cause
(the found solutions are distinct at 1e-3 relative).

**The last 64 of nn_131 (issue 17, session 6).**  With the generic set complete
(``N = D = 4929``: three more nodes found no 4930th), every route from the base to
``0`` is a bijection, yet each route reached only 4865: 64 target solutions are
*large* (``|x| ~ 3500-3800`` from starts at ``|x| ~ 4``) and their paths need
14,000-17,000 steps.  The tracker's ``far`` test (a path out of steps beyond
``far (1 + |x_start|)`` is diverging) ended them at the first chunk, so they were
never resumed; re-sending one such base solution alone along another final direction
lands it (another route = another bijection) mostly on a point already found -- the
"pairs of paths converging to one target point" seen before -- and the careful rescue
of the same route diverged again (65 of 65).  Now the target chunks have ``far=1e6``
(``blowup`` still ends escaping paths) and, once the generic set is complete, whole
passes of every base solution along fresh final directions (:meth:`full_pass`) come
before the rescue: per direction, 62-63 of the 64 large ones arrive with the step
allowance (measured on three directions).

**Why those paths crawled (session 12).**  Near the large solutions, and where a
segment passes close to a parameter at which solutions escape to infinity (on these
nets ``mu_i`` near ``-2 lambda_i`` for a small regularization weight ``lambda_i``), the
Jacobians reach condition numbers of 1e16-1e18.  Newton's corrections in double then do
not contract at all, double-double residuals do not help (the factors are the limit),
and the only steps accepted were those whose prediction was already accurate to the
corrector's 1e-9: steps of ~1e-7 in ``t``.  The compiled tracker now goes on in long
double (factors and all, residuals in double-double) when the corrector stalls three
times at one step with accurate residuals; those paths take 2,000-11,000 steps instead of
14,000-30,000, and a full pass brings 63-64 of the 64 (three directions: 64 / 64 / 63,
before 64 / 62 / 62) in less time (8-23 s instead of 12-34 s on 2 threads).

**Time.**  ``timeout`` is honoured by every tracking batch (the C tracker stops
within a step); the target pass also starts once ``target_share`` of the budget is
gone, so a cut run still returns what it found, flagged ``timed_out``; and a loop
round takes only the paths whose new base solutions can still reach the target in the
time left, after those not sent yet (:meth:`MonodromySolver._fitting`).

**Symmetry** (``group=``: permutations ``g`` of the variables with
``F(g x) = g F(x)``, proven exactly on the integer polynomials by
:func:`grobnet.numeric.orbits.check_equivariance`; for networks with plain L2 or no
regularization, the hidden-unit permutations of :mod:`grobnet.frontend.symmetry`).
``G(g x; mu) = g G(x; mu)`` holds when ``mu`` and ``c`` are fixed by the group, so
the centre, every node, every final direction (and every stop on a segment between
them) are drawn from the invariant subspace.  There ``g`` maps the solutions at a node
to solutions at the same node, and maps a path to a path: the image of a tracked
path is the path of the image.  So each node stores orbits (an
:class:`~grobnet.numeric.orbits.OrbitSet`: one representative per orbit, tracked;
the other images added without tracking) and each edge keeps its correspondence
between orbits -- the equivalence classes of HomotopyContinuation.jl's
``monodromy_solve(...; group_action=...)`` (MIT).  Paths per solution drop by the
orbit size, up to ``|G|``.

Two things change with the restriction.  (1) The generic solution count ``N_inv``
over the invariant subspace lies between ``D`` and the count ``N`` over all ``mu``
(``0`` lies in the subspace, so ``D <= N_inv``; a generic invariant ``mu`` is a point
of the full space, so ``N_inv <= N``); on the network systems measured ``N_inv = D``
(e.g. [1,2,1], z+z^2, bias, plain L2: 465 over invariant parameters, 481 over all).  (2) Monodromy is
no longer transitive: a path over invariant parameters keeps its stabiliser
(``g x(t)`` is a path with the same start when ``g x(0) = x(0)``, so it is ``x(t)``),
so solutions with two hidden units equal never meet the generic ones.  Each such
stratum needs its own start: the invariant base node gets its solutions by *seed
paths* from random start pairs ``(x0, mu0(x0))`` with ``x0`` in the fixed space
``V^H`` of a random subgroup ``H`` (generated by 0-3 random elements): ``mu0(x0)``
is then ``H``-invariant, the segment to the base node stays so, and the seed lands in
``V^H``.  Seeds go in at the start (``seeds`` of them) and again at every stall
(``2 seeds``); a new node is added only when the seeds bring no new orbit.  Nothing of this is a proof; completeness stays the certified
count (:func:`grobnet.numeric.certify.certify_orbits` certifies one box per orbit
and maps it by the group).

**Parallel.**  Each round (all pending edge paths, or a target chunk) is one batch for
:func:`grobnet.numeric.tracker.track_batch`: threads of the C tracker, or chunks on
an executor's workers (process pool, Dask).  Paths are computed independently and
merged in a fixed order, so serial, pool and Dask runs return the same points.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field, replace
from typing import Callable, Optional, Sequence

import numpy as np

from grobnet.parallel import Executor, get_executor

from .homotopy import DIVERGED, INTERRUPTED, MAX_STEPS, SUCCESS, TrackOptions
from .orbits import OrbitSet, fixed_space, proven_elements
from .points import PointSet, deduplicate
from .polyeval import PolySystem
from .tracker import CompiledTracker, track_batch

__all__ = ["NumericSolutions", "MonodromyOptions", "MonodromySolver", "monodromy_solve",
           "deduplicate", "LOOP_OPTIONS", "TARGET_OPTIONS"]

#: tracker settings for the monodromy loops (an expensive loop path is cheaper to give
#: up: another edge reaches its end point), for one chunk of a path to the target and
#: for the second try of a failed loop path.  The Pade predictor: paths of the network
#: systems pass near poles (a coordinate blowing up like 1/(t - t*) as the segment
#: passes close to a parameter where solutions escape to infinity); Runge-Kutta crawls
#: there, a rational predictor steps past (nn_131 GL2: target pass 4280 -> 4823 of
#: 4929 in a third of the steps, full run complete).
LOOP_OPTIONS = TrackOptions(max_steps=400, predictor="pade")
#: ``far=1e6`` on the target paths: on nn_131 GL2 64 of the 4929 target solutions are
#: large (``|x| ~ 3500-3800``, the paths start at ``|x| ~ 4``); with the default ``far``
#: (50) the first chunk's step limit met them past ``50 (1 + |x_start|)`` and declared
#: them diverging, so no chunk resumed them and no route, retry or rescue ever reached
#: those 64 points (the "stall at 4865 / 4928 of 4929" of issue 17).  ``blowup`` still
#: ends paths that do escape.  Their paths took 14,000-30,000 steps in double (Newton
#: cannot contract at condition numbers of 1e16-1e18); with the tracker's long double
#: stretches they take 2,000-11,000, so a chunk is 6,000 steps and a path gets 12,000
#: (``MonodromyOptions.target_steps``): one that crawls past that is cheaper to find on
#: a full pass along another route than to follow (see :meth:`MonodromySolver.full_pass`).
TARGET_OPTIONS = TrackOptions(max_steps=6000, predictor="pade", far=1e6)
RETRY_OPTIONS = TrackOptions(max_steps=1200, predictor="pade")
#: tracker settings of the rescue rounds (target paths of a complete generic set that
#: failed on every final direction): a tenth of the predictor tolerance, steps of at
#: most 0.05, a Newton step more and many more steps per leg -- a few dozen paths, so
#: the cost does not matter, and the ill-conditioned end points of the network systems
#: (two hidden units nearly equal) need the small steps near ``t = 1``.
RESCUE_OPTIONS = TrackOptions(max_steps=20000, predictor="pade", tol_pred=1e-4, h_max=0.05,
                              newton_steps=3, h_start=0.005)
#: tracker settings of a full target pass along a fresh final direction (see
#: :meth:`MonodromySolver.full_pass`): the target chunk's settings in one chunk of the
#: whole step allowance (12,000 steps: the paths to the large solutions of nn_131 need
#: 2,000-11,000 with long double stretches), no resume.  Its own object, so that a test
#: can tell the passes from the first route's chunks.
PASS_OPTIONS = TrackOptions(max_steps=12000, predictor="pade", far=1e6)

#: batches of a full pass (see :meth:`MonodromySolver.full_pass`): the pass stops after
#: the batch that completes the target count
PASS_PARTS = 8

#: stands for ``expected`` when the degree is unknown (no count is ever reached)
UNKNOWN_COUNT = sys.maxsize

# correspondence states of an edge end: not tracked yet, path failed, failed twice
_UNKNOWN, _FAILED, _GIVEN_UP = -1, -2, -3


@dataclass(frozen=True)
class MonodromyOptions:
    """Tuning of :class:`MonodromySolver`.

    ``nodes``: parameter points of the initial complete graph; ``node_scale``: their
    offsets from the base point in units of ``rms |mu0|``; ``stagnation``: nodes added
    in a row without progress before giving up; ``tol``: relative distance below which
    two points are one solution; ``accept``: largest last Newton correction (weighted
    norm, after a double-double polish) of an accepted end point; ``loop_options`` /
    ``target_options``: tracker settings of loop paths and of one chunk of a target
    path; ``retry_options``: settings of the second try of failed loop paths; ``target_steps``: steps a target path may take over all its chunks;
    ``directions``: final-leg directions tried for a failing target path;
    ``final_phase``: largest phase (radians) of the final direction's entries;
    ``target_share``: share of the budget after which the target pass starts even if
    the loops are not done; ``seeds``: with a symmetry group, start paths sent into the
    base node at the start and at every stall (see :class:`MonodromySolver`);
    ``rescue_options`` / ``rescue_rounds``: tracker settings and number of tries of the
    rescue of target paths once the generic solutions are complete (see
    :meth:`MonodromySolver.rescue`); ``passes`` / ``pass_options``: full target passes
    along fresh final directions, and their tracker settings, run before the rescue
    once the generic solutions are complete (see :meth:`MonodromySolver.full_pass`).
    """
    nodes: int = 4
    node_scale: float = 2.0
    stagnation: int = 10
    tol: float = 1e-6
    accept: float = 1e-8
    loop_options: TrackOptions = LOOP_OPTIONS
    target_options: TrackOptions = TARGET_OPTIONS
    retry_options: TrackOptions = RETRY_OPTIONS
    target_steps: int = 12000
    directions: int = 3
    final_phase: float = 1.0
    target_share: float = 0.6
    seeds: int = 8
    rescue_options: TrackOptions = RESCUE_OPTIONS
    rescue_rounds: int = 4
    passes: int = 3
    pass_options: TrackOptions = PASS_OPTIONS

    def __post_init__(self):
        if self.nodes < 2:
            raise ValueError(f"nodes must be at least 2, got {self.nodes}")
        for name in ("node_scale", "tol", "accept", "final_phase"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")
        if self.stagnation < 0 or self.directions < 1 or self.target_steps < 1 or self.seeds < 1:
            raise ValueError("stagnation must be >= 0, directions, target_steps and seeds >= 1")
        if self.rescue_rounds < 0 or self.passes < 0:
            raise ValueError(f"rescue_rounds and passes must be >= 0, got "
                             f"{self.rescue_rounds} and {self.passes}")
        if not 0 < self.target_share <= 1:
            raise ValueError(f"target_share must be in (0, 1], got {self.target_share}")


@dataclass
class NumericSolutions:
    """Approximate solutions of ``F = 0``.

    ``points``: ``k x n`` complex array of distinct approximate solutions (Newton-
    polished); ``expected``: the count asked for (``None``: unknown); ``complete_count``:
    ``k == expected``;
    ``timed_out``: the time budget cut the search short (a partial result);
    ``stats``: ``loops`` (rounds of edge tracking), ``nodes``, ``paths`` (path
    segments tracked), ``steps``, ``escalated`` (paths that went on in long double
    where double ran out of digits), ``diverged`` / ``failed`` paths, ``jumps`` (two
    paths of one edge ending at one point), ``loop_retries`` (second tries of failed
    loop paths),
    ``generic`` (solutions known at the base node), ``target_paths``, ``resumed``
    (target paths continued after a chunk), ``retried`` (target paths sent along
    another final direction), ``chunks`` (batch chunks run on executor workers),
    ``rescue_rounds`` / ``rescue_paths`` / ``recovered`` (rescue of the target paths
    of a complete generic set: batches, paths, target points they added),
    ``loop_seconds`` / ``target_seconds`` (tracking time of loops / target paths),
    ``seconds`` (all); with a group also ``group_order``, ``orbits`` (orbits found at the
    target, one path each), ``seed_paths``, ``generated`` (target points added as
    images, not tracked), ``paths_saved`` (paths of the images of the tracked
    representatives: what the same graph costs more without the group).
    ``representatives``: with a group, one point per orbit (rows of ``k' x n``; the
    orbits of these rows are ``points``), else ``None``.
    """
    points: np.ndarray
    expected: Optional[int]
    timed_out: bool = False
    stats: dict = field(default_factory=dict)
    representatives: Optional[np.ndarray] = None

    @property
    def complete_count(self) -> bool:
        return self.expected is not None and len(self.points) == self.expected

    def __len__(self) -> int:
        return len(self.points)

    def __repr__(self) -> str:
        real = int(np.sum(np.all(np.abs(self.points.imag) <= 1e-8 * (1 + np.abs(self.points)),
                                 axis=1))) if len(self.points) else 0
        flag = ", timed out" if self.timed_out else ""
        of = "an unknown number" if self.expected is None else self.expected
        return (f"NumericSolutions({len(self.points)} of {of} expected, "
                f"~{real} numerically real, {self.stats.get('loops', 0)} loops, "
                f"{self.stats.get('paths', 0)} paths, {self.stats.get('seconds', 0.0):.2f} s{flag})")


@dataclass
class _Edge:
    """A straight segment between nodes ``a`` and ``b``; ``fwd[i]``: index at ``b`` of
    the image of solution ``i`` at ``a`` (or _UNKNOWN, _FAILED, _GIVEN_UP after a second
    failure), ``bwd`` the other way."""
    a: int
    b: int
    fwd: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    bwd: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


@dataclass
class _TargetPath:
    """Target paths in flight: current points, their route rows (parameter indices),
    the base solution each came from, steps so far and the final direction used."""
    x: np.ndarray
    route: np.ndarray
    origin: np.ndarray
    steps: np.ndarray
    direction: np.ndarray


class MonodromySolver:
    """Monodromy solving of one square system; see the module docstring.

    ``int_polys``: ``{exponent tuple: coefficient}`` dicts; ``nvars``: variables (=
    equations); ``expected``: the number of solutions sought (the degree ``D``), or
    ``None`` when it is unknown: the search then ends when ``stagnation`` nodes in a row
    bring no new solution (or at the timeout), which proves nothing about completeness;
    ``seed``: random seed (runs are reproducible); ``timeout``: seconds; ``progress``:
    optional ``progress(stage, info)`` callable (stages ``monodromy-loop`` and
    ``monodromy-target``, ``info["found"]`` / ``info["expected"]``); ``executor``: where
    tracking batches run (``None``/``"serial"``: here, on threads; ``"processes"``, a
    :class:`grobnet.parallel.Executor` or a Dask ``Client``); ``threads``: C tracker
    threads per batch (serial) or per worker job; ``options``: :class:`MonodromyOptions`;
    ``group``: ``None`` or a symmetry group of the system (a
    :class:`grobnet.frontend.symmetry.SymmetryGroup` or its elements, permutations of
    the variables), used as the module docstring says; ``ValueError`` if it does not
    map the equations as it maps the variables (checked exactly).
    """

    def __init__(self, int_polys: Sequence[dict], nvars: int, expected: Optional[int], *,
                 seed: int = 0,
                 timeout: Optional[float] = None, progress: Optional[Callable] = None,
                 executor=None, threads: Optional[int] = None,
                 options: MonodromyOptions = MonodromyOptions(), group=None):
        polys = list(int_polys)
        self.nvars = int(nvars)
        if len(polys) != self.nvars:
            raise ValueError(f"the system must be square: {len(polys)} equations in "
                             f"{self.nvars} variables")
        # expected=None: the degree is unknown (its Groebner basis is out of reach); the
        # loops run until ``stagnation`` nodes in a row bring nothing or time is up, and
        # no count can say the set is complete
        self.unknown = expected is None
        self.expected = UNKNOWN_COUNT if self.unknown else int(expected)
        if self.expected < 0:
            raise ValueError(f"expected must be a non-negative count or None, got {expected}")
        if timeout is not None and timeout <= 0:
            raise ValueError(f"timeout must be positive seconds, got {timeout}")
        if threads is not None and int(threads) < 1:
            raise ValueError(f"threads must be a positive integer, got {threads}")
        self.elements = proven_elements(polys, group, self.nvars)
        if self.elements is not None:
            labels = fixed_space(self.elements, self.nvars)
            # entries of an averaged random vector, rescaled to unit variance per orbit
            self._orbit_weight = np.sqrt(np.bincount(labels)[labels])
        self.system = PolySystem(polys, self.nvars)
        self.tracker = CompiledTracker(self.system)
        self.options = options
        self.progress = progress
        self.executor: Executor = get_executor("serial" if executor is None else executor)
        self.threads = None if threads is None else int(threads)
        self.rng = np.random.default_rng(seed)
        self.clock = time.perf_counter
        self.t0 = self.clock()
        self.timeout = None if timeout is None else float(timeout)
        self.deadline = None if timeout is None else self.t0 + float(timeout)
        self.stats = {"loops": 0, "nodes": 0, "paths": 0, "steps": 0, "diverged": 0,
                      "failed": 0, "jumps": 0, "generic": 0, "target_paths": 0, "resumed": 0,
                      "retried": 0, "loop_retries": 0, "chunks": 0, "loop_seconds": 0.0,
                      "target_seconds": 0.0, "seconds": 0.0, "rescue_rounds": 0,
                      "rescue_paths": 0, "recovered": 0, "passes": 0, "pass_paths": 0,
                      "pass_found": 0, "loop_paths": 0, "escalated": 0}
        if self.elements is not None:
            self.stats.update(group_order=len(self.elements), orbits=0, seed_paths=0,
                              generated=0, paths_saved=0)
        self.params: list = []              # parameter table: nodes, directions, stops, 0
        self.nodes: list = []               # parameter-table index of each node
        self.sols: list = []                # PointSet per node
        self.edges: list = []
        self.target = self._store()
        self.sent = 0                       # base solutions sent to the target so far
        self.direction: Optional[int] = None  # parameter index of the first final direction
        self.inflight: Optional[_TargetPath] = None
        self.failed_targets: dict = {}      # base index -> directions tried so far
        self.reached: dict = {}             # base index -> index (class) of its target point
        self.rescue_tries: dict = {}        # base index -> rescue tries so far
        self.escaping = False               # a rescue path diverged (generic count > D)
        self.loops_again = False            # loops resumed after a complete generic set
        self.timed_out = False

    # ------------------------------------------------------------------ helpers
    def _crandn(self, *shape) -> np.ndarray:
        return (self.rng.standard_normal(shape) + 1j * self.rng.standard_normal(shape)) / np.sqrt(2)

    def _store(self):
        """An empty solution store: a :class:`PointSet`, or an :class:`OrbitSet` with a group."""
        if self.elements is None:
            return PointSet(self.nvars, self.options.tol)
        return OrbitSet(self.nvars, self.options.tol, self.elements)

    @staticmethod
    def _size(store) -> int:
        """Distinct points in a store (whole orbits for an :class:`OrbitSet`)."""
        return store.size if isinstance(store, OrbitSet) else len(store)

    def _invariant(self, v: np.ndarray) -> np.ndarray:
        """The average of ``g v`` over the group (``v`` itself without one)."""
        return v if self.elements is None else np.mean(v[self.elements], axis=0)

    def _direction(self) -> np.ndarray:
        """A random complex direction for parameters (invariant under the group, each
        entry of unit variance)."""
        v = self._crandn(self.nvars)
        return v if self.elements is None else self._invariant(v) * self._orbit_weight

    def _left(self) -> Optional[float]:
        return None if self.deadline is None else self.deadline - self.clock()

    def _out_of_time(self) -> bool:
        return self.deadline is not None and self.clock() >= self.deadline

    def _param(self, mu: np.ndarray) -> int:
        self.params.append(np.asarray(mu, dtype=np.complex128))
        return len(self.params) - 1

    def _report(self, stage: str, **info) -> None:
        if self.progress is not None:
            self.progress(stage, {"found": self._size(self.target),
                                  "expected": None if self.unknown else self.expected, **info})

    def _track(self, x0, route, options: TrackOptions):
        """One batch on the executor (time budget passed down); counts paths and steps."""
        left = self._left()
        res = track_batch(self.tracker, x0, route, np.array(self.params), self.center, options,
                          polish=3, executor=self.executor, threads=self.threads,
                          timeout=None if left is None else max(left, 1e-3))
        self.stats["paths"] += len(x0)
        self.stats["steps"] += int(res.stats.get("steps", 0))
        self.stats["escalated"] += int(res.stats.get("escalated", 0))
        self.stats["chunks"] += int(res.stats.get("chunks", 0))
        self.stats["diverged"] += int(np.sum(res.status == DIVERGED))
        self.stats["failed"] += int(np.sum((res.status != SUCCESS) & (res.status != DIVERGED)
                                           & (res.status != INTERRUPTED)))
        if res.stats.get("timed_out"):
            self.timed_out = True
        return res

    def _accepted(self, res) -> np.ndarray:
        return (res.status == SUCCESS) & (res.residual <= self.options.accept)

    # ------------------------------------------------------------------ named steps
    def start_pair(self) -> None:
        """A random point ``x0``, centre ``c`` and the parameter ``mu0`` they solve; the
        base node holds ``x0``; ``0`` (the target) joins the parameter table.

        Of a few random candidates ``x0`` the one whose ``rms |mu0|`` is closest (in log
        scale) to the typical size of the Jacobian's diagonal is kept: a huge ``mu0``
        (``F(x0)`` large, e.g. ``x^20 - 1`` at ``|x0| = 1.7``) makes ``mu (x - c)`` dominate,
        isolates the solution near ``c`` and leaves loops of the node scale unable to
        reach it; a tiny one puts the base next to the target.

        With a group the centre is invariant, the base node is the invariant part of
        that ``mu0`` (no longer solved by ``x0``), and :meth:`seed` brings its first
        solutions."""
        n = self.nvars
        self.center = self._direction()
        x0, mu0, size = self._start_candidate(None, want=None)
        self.scale = size
        self.zero = self._param(np.zeros(n, dtype=np.complex128))
        self.sols.append(self._store())
        if self.elements is None:
            self.nodes.append(self._param(mu0))
            self.sols[0].add(x0[None, :])
            return
        base = self._invariant(mu0)
        self.nodes.append(self._param(base))
        rms = float(np.sqrt(np.mean(np.abs(base) ** 2)))
        if np.isfinite(rms) and rms > 0:
            self.scale = rms
        for _ in range(4):                  # a start whose seeds all fail: seed again
            self.seed(self.options.seeds)
            if len(self.sols[0]) or self._out_of_time():
                break

    def _start_candidate(self, labels: Optional[np.ndarray], want: Optional[float]):
        """``(x0, mu0, rms|mu0|)``: of 16 random points ``x0`` (constant on each class of
        ``labels``, i.e. in that fixed space, when given) the one whose ``mu0`` solving
        ``G(x0; mu0) = 0`` has the size closest (log scale) to ``want`` (default: the
        median size of the Jacobian's diagonal)."""
        n = self.nvars
        cand = np.zeros((0, n), dtype=np.complex128)
        for _ in range(100):
            cand = self._crandn(16, n)
            if labels is not None:
                cand = cand[:, labels]
            cand = cand[np.all(np.abs(cand - self.center) > 0.1, axis=1)]
            if len(cand):
                break
        if len(cand) == 0:                                     # pragma: no cover
            raise ArithmeticError("no start point away from the centre")
        F, J = self.system.evaluate(cand)
        with np.errstate(all="ignore"):
            mus = -F / (cand - self.center)
        size = np.sqrt(np.mean(np.abs(mus) ** 2, axis=1))
        if want is None:
            diag = np.median(np.abs(J[:, np.arange(n), np.arange(n)]), axis=1)
            want = float(np.median(diag[diag > 0])) if np.any(diag > 0) else 1.0
        ok = np.isfinite(size) & (size > 0)
        gap = np.where(ok, np.abs(np.log(np.where(ok, size, 1.0) / want)), np.inf)
        k = int(np.argmin(gap))
        return cand[k], mus[k], (float(size[k]) if ok[k] else 1.0)

    def seed(self, count: int) -> int:
        """Send ``count`` seed paths into the base node (with a group): seed ``s`` starts
        at a random ``x0`` in the fixed space of the subgroup generated by ``s mod 4``
        random elements, from the ``mu0`` that ``x0`` solves (invariant under that
        subgroup), so it ends on a solution with at least that stabiliser.  Returns the
        number of new orbits at the base node."""
        X, R = [], []
        others = np.arange(1, len(self.elements))
        for s in range(count):
            k = min(s % 4, len(others))
            chosen = self.elements[self.rng.choice(others, size=k, replace=False)] if k else \
                np.zeros((0, self.nvars), dtype=np.int64)
            labels = fixed_space(chosen, self.nvars) if k else None
            x0, mu0, _ = self._start_candidate(labels, want=self.scale)
            X.append(x0)
            R.append([self._param(mu0), self.nodes[0]])
        t = self.clock()
        res = self._track(np.array(X), np.array(R), self.options.retry_options)
        self.stats["loop_seconds"] += self.clock() - t
        self.stats["seed_paths"] += count
        ok = self._accepted(res)
        before = len(self.sols[0])
        if np.any(ok):
            self.sols[0].add(res.x[ok])
        self.stats["generic"] = self._size(self.sols[0])
        return len(self.sols[0]) - before

    def add_node(self, link_to: Sequence[int], spread: float = 0.0) -> int:
        """A new random parameter node joined by straight edges to the nodes ``link_to``,
        offset from the base by ``node_scale * rms|mu0|`` times ``10^u``, ``u`` uniform in
        ``(-spread, spread)`` (loops of several sizes encircle different branch points)."""
        mu0 = self.params[self.nodes[0]]
        size = self.options.node_scale * self.scale * 10.0 ** self.rng.uniform(-spread, spread)
        mu = mu0 + size * self._direction()
        self.nodes.append(self._param(mu))
        self.sols.append(self._store())
        k = len(self.nodes) - 1
        for a in link_to:
            self.edges.append(_Edge(a, k))
        self.stats["nodes"] = len(self.nodes)
        return k

    def pending(self) -> list:
        """``(edge, forward, source indices)`` for every solution not yet carried across
        an edge it touches."""
        work = []
        for e in self.edges:
            na, nb = len(self.sols[e.a]), len(self.sols[e.b])
            if len(e.fwd) < na:
                e.fwd = np.concatenate([e.fwd, np.full(na - len(e.fwd), _UNKNOWN)])
            if len(e.bwd) < nb:
                e.bwd = np.concatenate([e.bwd, np.full(nb - len(e.bwd), _UNKNOWN)])
            for forward, m in ((True, e.fwd), (False, e.bwd)):
                idx = np.nonzero(m == _UNKNOWN)[0]
                if len(idx):
                    work.append((e, forward, idx))
        return work

    def failed_loops(self) -> list:
        """Work items for the loop paths that failed once (mostly cut by the step limit),
        now marked as given up if they fail again."""
        work = []
        for e in self.edges:
            for forward, m in ((True, e.fwd), (False, e.bwd)):
                idx = np.nonzero(m == _FAILED)[0]
                if len(idx):
                    m[idx] = _GIVEN_UP
                    work.append((e, forward, idx))
        return work

    def _fitting(self, work: list) -> list:
        """The part of the loop ``work`` whose new base solutions can still be sent to
        the target in the time left, after the base solutions not sent yet (at the loop
        and target seconds per path seen so far; a target path counted as two loop paths
        before the first target pass), paths into the base node first: their end points
        go to the target next.  Without this a loop round near the end of a search cut
        by time (degree unknown) used the rest of the budget and none of the solutions
        it found reached the target ([3,2,1]: 4,759 of 37,676 lost; with another seed
        all 21,111, the answer empty)."""
        left = self._left()
        loops = self.stats["loop_paths"] + self.stats.get("seed_paths", 0)
        if left is None or not loops:
            return work
        per_loop = self.stats["loop_seconds"] / loops
        targets = (self.stats["target_paths"] + self.stats["pass_paths"]
                   + self.stats["rescue_paths"])
        per_target = self.stats["target_seconds"] / targets if targets else 2 * per_loop
        unsent = len(self.sols[0]) - self.sent
        room = int((left - unsent * per_target) / (per_loop + per_target))
        fitting = []
        for e, forward, idx in sorted(work, key=lambda w: (w[0].b if w[1] else w[0].a) != 0):
            if room <= 0:
                break
            fitting.append((e, forward, idx[:room]))
            room -= len(fitting[-1][2])
        return fitting

    def loop_round(self, work: list, options: Optional[TrackOptions] = None) -> bool:
        """Track every pending solution across its edge (one batch); end points join the
        node at the other end and fix the edge's correspondence.  Returns whether some
        node grew."""
        X = np.vstack([self.sols[e.a if fw else e.b].points[idx] for e, fw, idx in work])
        if self.elements is not None:
            self.stats["paths_saved"] += int(sum(
                np.sum(self.sols[e.a if fw else e.b].orbit_sizes[idx] - 1) for e, fw, idx in work))
        R = np.concatenate([np.tile([self.nodes[e.a], self.nodes[e.b]] if fw else
                                    [self.nodes[e.b], self.nodes[e.a]], (len(idx), 1))
                            for e, fw, idx in work])
        t = self.clock()
        res = self._track(X, R, options or self.options.loop_options)
        self.stats["loop_seconds"] += self.clock() - t
        self.stats["loop_paths"] += len(X)
        ok = self._accepted(res)
        grew = False
        at = 0
        for e, fw, idx in work:
            sl = slice(at, at + len(idx))
            at += len(idx)
            node = e.b if fw else e.a
            good = ok[sl]
            stopped = res.status[sl] == INTERRUPTED
            src = e.fwd if fw else e.bwd
            src[idx[~good & ~stopped]] = np.where(src[idx[~good & ~stopped]] == _GIVEN_UP,
                                                  _GIVEN_UP, _FAILED)
            if not np.any(good):
                continue
            before = len(self.sols[node])
            j = self.sols[node].add(res.x[sl][good])
            grew |= len(self.sols[node]) > before
            i = idx[good]
            src[i] = j
            # the reverse map of this edge, grown to the node's new size
            rev = e.bwd if fw else e.fwd
            grown = np.concatenate([rev, np.full(len(self.sols[node]) - len(rev), _UNKNOWN)])
            free = grown[j] == _UNKNOWN
            self.stats["jumps"] += int(np.sum(~free & (grown[j] != i) & (grown[j] != _FAILED)))
            grown[j[free]] = i[free]
            if fw:
                e.bwd = grown
            else:
                e.fwd = grown
        self.stats["loops"] += 1
        self.stats["generic"] = self._size(self.sols[0])
        self._report("monodromy-loop", loop=self.stats["loops"], known=self.stats["generic"],
                     nodes=len(self.nodes))
        return grew

    def _final_direction(self) -> int:
        """A final-leg direction: entries of size rms|mu0| with phases in
        ``(-final_phase, final_phase)`` (positive real parts: added regularization)."""
        phase = self.rng.uniform(-self.options.final_phase, self.options.final_phase, self.nvars)
        return self._param(self.scale * np.exp(1j * self._invariant(phase)))

    def target_pass(self) -> None:
        """Send the base solutions not yet sent to the target (``mu = 0``) along
        ``base -> final direction -> 0``."""
        base = self.sols[0].points
        idx = np.arange(self.sent, len(base))
        self.sent = len(base)
        if len(idx) == 0:
            return
        if self.direction is None:
            self.direction = self._final_direction()
        route = np.tile([self.nodes[0], self.direction, self.zero], (len(idx), 1))
        self._launch(base[idx], route, idx, np.full(len(idx), self.direction))

    def _launch(self, X, route, origin, direction) -> None:
        paths = _TargetPath(np.asarray(X), np.asarray(route, dtype=np.int32), origin,
                            np.zeros(len(X), dtype=np.int64), direction)
        self.stats["target_paths"] += len(X)
        self._run_target(paths)

    def _run_target(self, paths: _TargetPath) -> None:
        """One chunk of target tracking; finished paths join the target set, paths that
        hit the chunk's step limit (or the budget) are kept to resume, failures are
        noted for another final direction."""
        if self.elements is not None:
            self.stats["paths_saved"] += int(np.sum(self.sols[0].orbit_sizes[paths.origin] - 1))
        t = self.clock()
        res = self._track(paths.x, paths.route, self.options.target_options)
        self.stats["target_seconds"] += self.clock() - t
        ok = self._accepted(res)
        if np.any(ok):
            j = self.target.add(res.x[ok])
            for o, k in zip(paths.origin[ok], j):
                self.failed_targets.pop(int(o), None)
                self.reached[int(o)] = int(k)
        steps = paths.steps + res.steps
        resume = ((res.status == MAX_STEPS) | (res.status == INTERRUPTED)) & \
            (steps < self.options.target_steps)
        failed = ~ok & ~resume
        for o, d in zip(paths.origin[failed], paths.direction[failed]):
            self.failed_targets.setdefault(int(o), set()).add(int(d))
        if np.any(resume):
            self._park(paths, res, resume, steps)
        self._report("monodromy-target", generic=self._size(self.sols[0]),
                     waiting=0 if self.inflight is None else len(self.inflight.x))

    def _park(self, paths: _TargetPath, res, keep: np.ndarray, steps: np.ndarray) -> None:
        """Store paths to resume: each restarts at the parameter where it stopped."""
        rows = []
        for k in np.nonzero(keep)[0]:
            route = [r for r in paths.route[k] if r >= 0]
            done = int(np.floor(res.progress[k]))
            t = res.progress[k] - done
            if done >= len(route) - 1:          # interrupted after the last leg: nothing left
                done, t = len(route) - 2, 1.0
            a, b = self.params[route[done]], self.params[route[done + 1]]
            stop = self._param(a + t * (b - a))
            rest = [stop] + route[done + 1:]
            rows.append(rest + [-1] * (3 - len(rest)))
        parked = _TargetPath(res.x[keep], np.array(rows, dtype=np.int32), paths.origin[keep],
                             steps[keep], paths.direction[keep])
        if self.inflight is None:
            self.inflight = parked
        else:
            f = self.inflight
            self.inflight = _TargetPath(np.vstack([f.x, parked.x]),
                                        np.vstack([f.route, parked.route]),
                                        np.concatenate([f.origin, parked.origin]),
                                        np.concatenate([f.steps, parked.steps]),
                                        np.concatenate([f.direction, parked.direction]))

    def resume_target(self) -> bool:
        """Continue the parked target paths for one more chunk; whether there were any."""
        if self.inflight is None:
            return False
        paths, self.inflight = self.inflight, None
        self.stats["resumed"] += len(paths.x)
        self._run_target(paths)
        return True

    def retry_failed(self) -> bool:
        """Send base solutions whose target path failed along a new final direction
        (each at most ``directions`` times); whether any was sent."""
        todo = [o for o, tried in sorted(self.failed_targets.items())
                if len(tried) < self.options.directions]
        if not todo:
            return False
        d = self._final_direction()
        for o in todo:
            self.failed_targets[o].add(d)
        origin = np.array(todo, dtype=np.int64)
        self.stats["retried"] += len(origin)
        route = np.tile([self.nodes[0], d, self.zero], (len(origin), 1))
        self._launch(self.sols[0].points[origin], route, origin, np.full(len(origin), d))
        return True

    def full_pass(self) -> bool:
        """Send *every* base solution to the target along a fresh final direction
        (``base -> d' -> 0``), in ``PASS_PARTS`` batches with ``pass_options`` and no
        resume, until the target count is reached; the end points join the target set.
        At most ``passes`` times, once the generic solutions are complete and some target
        point is still missing; whether a pass ran.

        Why all of them: another route from the base to ``0`` is another bijection
        between the base and the target solutions (the two routes differ by a loop
        around branch points, which permutes the solutions).  A failed path re-sent
        alone on a new route lands, measured on nn_131, mostly on a target point that
        another base solution already reached -- the "pairs converging to one point"
        of issue 17 -- and a careful re-run of the same route diverges again (those
        paths pass next to a pole; 65 of 65 on nn_131 seed 1, even at 20000 steps).
        On a fresh route each missing target point is the end of some path that
        succeeds with the probability of any path (~99 % there): one capped pass of
        all 4929 paths (13 s on 2 threads) brought 64 of the 65 missing points, so
        the misses fall geometrically with the passes.  These paths do not touch the
        first route's bookkeeping (``reached``, ``failed_targets``) used by
        :meth:`rescue`."""
        if self.stats["passes"] >= self.options.passes or self._out_of_time():
            return False
        base = self.sols[0].points
        if len(base) == 0:
            return False
        d = self._final_direction()
        route = np.tile([self.nodes[0], d, self.zero], (len(base), 1))
        before = self._size(self.target)
        sent = 0
        # in PASS_PARTS batches, and no further once the target count is reached: the
        # last pass of a run often looks for one or two points (nn_131: 32 s for one)
        for part in np.array_split(np.arange(len(base)), min(PASS_PARTS, len(base))):
            if self.elements is not None:
                self.stats["paths_saved"] += int(np.sum(self.sols[0].orbit_sizes[part] - 1))
            t = self.clock()
            res = self._track(base[part], route[part], self.options.pass_options)
            self.stats["target_seconds"] += self.clock() - t
            sent += len(part)
            ok = self._accepted(res)
            if np.any(ok):
                self.target.add(res.x[ok])
            if self._size(self.target) >= self.expected or self._out_of_time():
                break
        self.stats["passes"] += 1
        self.stats["pass_paths"] += sent
        self.stats["pass_found"] += self._size(self.target) - before
        self._report("monodromy-target", generic=self._size(self.sols[0]), waiting=0,
                     full_pass=self.stats["passes"], paths=sent,
                     recovered=self._size(self.target) - before)
        return True

    def missing_targets(self) -> np.ndarray:
        """Base solutions (sorted indices) sent to the target that have no target point
        of their own: their path failed (on every direction tried so far), or it ended
        on a point that another base solution's path reached too (one of them jumped).
        Paths still in flight are not counted."""
        flying = set() if self.inflight is None else {int(o) for o in self.inflight.origin}
        owners: dict = {}
        for o, k in self.reached.items():
            owners.setdefault(k, []).append(o)
        shared = {o for os in owners.values() if len(os) > 1 for o in os}
        return np.array([o for o in range(self.sent) if o not in flying and
                         (o not in self.reached or o in shared)], dtype=np.int64)

    def rescue(self) -> bool:
        """One rescue round for the base solutions without a target point of their own
        (:meth:`missing_targets`), each at most ``rescue_rounds`` times; whether any
        path was tracked.  Meant for a complete generic set, where a missing target
        point is a tracking failure that more monodromy loops cannot mend.

        A base solution's first try runs its first route (``base -> first final
        direction -> 0``) again with the careful ``rescue_options``; later tries go
        another way too, ``base -> d' -> 0`` with ``d'`` a random complex point near
        the first direction ``d`` (a tenth of ``rms |mu0|`` away: the detour misses,
        with probability one, the parameters where paths of the first route meet or
        turn ill-conditioned).  The detour is kept thin because a route around a
        branch point permutes the solutions (monodromy): a wide detour (a random
        intermediate point of the node scale) sends a base solution to *another* base
        solution's target point, measured to land mostly on points already found.
        One point per round, drawn from the seeded generator (invariant under the
        group), so runs stay reproducible.  New target points are added to those
        already there; a diverging path is noted (base solutions that escape to
        infinity at the target: a generic count above ``D``)."""
        rounds = self.options.rescue_rounds
        todo = [int(o) for o in self.missing_targets() if self.rescue_tries.get(int(o), 0) < rounds]
        if not todo:
            return False
        first = [o for o in todo if self.rescue_tries.get(o, 0) == 0]
        later = [o for o in todo if self.rescue_tries.get(o, 0) > 0]
        rows = [[self.nodes[0], self.direction, self.zero, -1]] * len(first)
        if later:
            near = self._param(self.params[self.direction] + 0.1 * self.scale * self._direction())
            rows += [[self.nodes[0], near, self.zero, -1]] * len(later)
        origin = np.array(first + later, dtype=np.int64)
        for o in origin:
            self.rescue_tries[int(o)] = self.rescue_tries.get(int(o), 0) + 1
        self.stats["rescue_rounds"] += 1
        self.stats["rescue_paths"] += len(origin)
        if self.elements is not None:
            self.stats["paths_saved"] += int(np.sum(self.sols[0].orbit_sizes[origin] - 1))
        before = self._size(self.target)
        t = self.clock()
        res = self._track(self.sols[0].points[origin], np.array(rows, dtype=np.int32),
                          self.options.rescue_options)
        self.stats["target_seconds"] += self.clock() - t
        ok = self._accepted(res)
        if np.any(ok):
            size = len(self.target)
            j = self.target.add(res.x[ok])
            for o, k in zip(origin[ok], j):
                if k >= size:                   # a new point (a known one: the path jumped)
                    self.failed_targets.pop(int(o), None)
                    self.reached[int(o)] = int(k)
        # a careful path diverged: its base solution may escape to infinity (a generic
        # count above D), the loops may still find the missing ones.  Restricting this
        # to base solutions without any target point fails on cyclic-5 (N > D = 70:
        # escaping paths jump onto other solutions' target points)
        self.escaping |= bool(np.any(res.status == DIVERGED))
        self.stats["recovered"] += self._size(self.target) - before
        self._report("monodromy-target", generic=self._size(self.sols[0]), waiting=0,
                     rescue=self.stats["rescue_rounds"], retracked=len(origin),
                     recovered=self._size(self.target) - before)
        return True

    def widen(self) -> None:
        """Add a node linked to the base node and two others (two new triangles), at a
        random scale within a decade of the initial nodes'."""
        k = min(2, len(self.nodes) - 1)
        others = self.rng.choice(np.arange(1, len(self.nodes)), size=k, replace=False)
        self.add_node([0] + [int(o) for o in others], spread=1.0)

    # ------------------------------------------------------------------ driver
    def solve(self) -> NumericSolutions:
        """Run until ``expected`` distinct target solutions are found, the search
        stagnates, or the budget is gone."""
        if self.expected == 0:
            return self.result()
        self.start_pair()
        for k in range(1, self.options.nodes):
            self.add_node(list(range(k)))
        quiet = 0
        best = (0, 0)
        while self._size(self.target) < self.expected:
            if self._out_of_time():
                self.timed_out = True
                break
            work = self.pending()
            late = self.timeout is not None and \
                self.clock() - self.t0 >= self.options.target_share * self.timeout
            # with the generic solutions complete (their count N = D on the systems
            # measured) loops find nothing more: a missing target point is a failed
            # target path, for the retries and the rescue below.  The loops go on only
            # if the rescue sees paths escape to infinity, or more than D generic
            # solutions are known (N > D: the missing ones may be still unknown).
            complete = self._size(self.sols[0]) >= self.expected
            fitting = self._fitting(work) if work else []
            if fitting and not late and not (complete and not self.loops_again):
                self.loop_round(fitting)
                if self._size(self.sols[0]) >= self.expected and len(self.sols[0]) > self.sent:
                    self.target_pass()
                continue
            if len(self.sols[0]) > self.sent:
                self.target_pass()
                continue
            if self.resume_target():
                continue
            # with the generic set complete every target point is the end of some
            # path on any route: whole passes along fresh routes, not single failed
            # paths re-sent (see full_pass); the rescue after them
            if complete and self.full_pass():
                continue
            if self.retry_failed():
                continue
            if complete and self.rescue():
                continue
            if complete and not self.loops_again:
                if not self.escaping and self._size(self.sols[0]) == self.expected:
                    break                       # nothing left that could bring a point
                self.loops_again = True
                continue
            if work:                            # late, or no loop round fits the time left
                if not fitting:                 # what they would find could not reach 0
                    self.timed_out = True
                    break
                self.loop_round(fitting)
                continue
            retry = self.failed_loops()
            if retry:
                # the last solutions hide behind paths cut by the step limit: a second,
                # longer try of those few paths is far cheaper than a new node (~3 N paths)
                self.stats["loop_retries"] += sum(len(i) for _, _, i in retry)
                self.loop_round(retry, self.options.retry_options)
                continue
            now = (max(self._size(s) for s in self.sols), self._size(self.target))
            # loops resumed on a generic set of exactly D (a rescue path diverged): two
            # new nodes without a new solution end the run -- on nn_131 thirty more
            # loops found nothing -- so the hybrid route's next run (another base
            # point, other routes) gets the budget; its points are merged
            limit = self.options.stagnation
            if self.loops_again and self._size(self.sols[0]) == self.expected:
                limit = min(limit, 2)
            if now > best:
                best, quiet = now, 0
            else:
                quiet += 1
                if quiet > limit:
                    break
            if self.elements is not None and self.seed(2 * self.options.seeds):
                # a stratum (stabiliser type) the loops cannot reach from the others:
                # seeds (a few paths) brought new orbits; they cross the graph first,
                # a new node (~3 paths per orbit) only when seeds bring nothing
                continue
            self.widen()
        return self.result()

    def result(self) -> NumericSolutions:
        self.stats["generic"] = self._size(self.sols[0]) if self.sols else 0
        self.stats["nodes"] = len(self.nodes)
        self.stats["seconds"] = self.clock() - self.t0
        reps = None
        if isinstance(self.target, OrbitSet):
            points = self.target.all.points.copy()
            reps = self.target.points.copy()
            self.stats["orbits"] = len(reps)
            self.stats["generated"] = len(points) - len(reps)
        else:
            points = self.target.points.copy()
        timed_out = self.timed_out and len(points) < self.expected
        return NumericSolutions(points, None if self.unknown else self.expected, timed_out,
                                dict(self.stats), reps)


def monodromy_solve(int_polys: Sequence[dict], nvars: int, expected: Optional[int], *,
                    seed: int = 0,
                    timeout: Optional[float] = None, progress: Optional[Callable] = None,
                    executor=None, threads: Optional[int] = None,
                    options: Optional[MonodromyOptions] = None, group=None,
                    **overrides) -> NumericSolutions:
    """Approximate all ``expected`` isolated solutions of the square system ``int_polys``
    (``{exponent tuple: coefficient}`` dicts in ``nvars`` variables) by monodromy;
    see :class:`MonodromySolver` for the arguments (``group``: a symmetry group).  ``overrides``: fields of
    :class:`MonodromyOptions` (e.g. ``stagnation=3``, ``tol=1e-8``)."""
    opts = options if options is not None else MonodromyOptions()
    if overrides:
        unknown = set(overrides) - set(MonodromyOptions.__dataclass_fields__)
        if unknown:
            raise TypeError(f"unknown monodromy option(s): {', '.join(sorted(unknown))}")
        opts = replace(opts, **overrides)
    return MonodromySolver(int_polys, nvars, expected, seed=seed, timeout=timeout,
                           progress=progress, executor=executor, threads=threads,
                           options=opts, group=group).solve()
