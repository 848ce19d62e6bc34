"""Differential checks of one polynomial system: grobnet against msolve (and sympy).

:func:`compare` runs, for one :class:`~generators.FuzzSystem` (or any
``(variables, equations)`` of ``{exponents: Fraction}`` dicts):

``modp``      the reduced grevlex basis modulo a random 31-bit prime:
              ``grobnet.groebner(..., modulus=p)`` against ``msolve -g 2`` on the
              same reduced input -- whole polynomials, not only leading monomials;
``dimension`` ``grobnet.solve``'s dimension against msolve over Q (``[-1]`` no
              solution, ``[1, ...]`` positive-dimensional) and against the
              dimension of msolve's leading monomials (computed here, by brute
              force over variable subsets);
``degree``    ``grobnet.solve``'s degree against the number of standard monomials
              of msolve's leading monomials (dimension 0), or the Hilbert degree of
              msolve's leading monomials (positive dimension);
``distinct``  the number of distinct complex solutions (the RUR's) against the
              degree of msolve's eliminating polynomial (``msolve -P 1``);
``nreal``     the number of certified real solutions against msolve's;
``points``    each grobnet real box overlaps exactly one msolve isolating box
              (a perfect matching), and contains a zero of every equation
              (interval evaluation, :meth:`Solutions.check`);
``sympy``     on tiny systems: sympy's reduced grevlex basis over Q equals
              ``grobnet.groebner``'s over Q (polynomial by polynomial), and
              sympy's zero-dimensionality, unit-ideal test and standard
              monomials agree with ``grobnet.solve``'s dimension and degree.

A run of ``grobnet.solve`` cut short (``complete=False`` for a reason other
than a positive-dimensional answer, or a :class:`~grobnet.errors.BudgetExceeded`)
is *incomplete*, never a disagreement; the checks that need the finished
answer are skipped.  An exception grobnet should not raise is an *error*; an
msolve failure or timeout skips msolve's checks (noted in ``skipped``).

msolve 0.10 sometimes takes a coordinate that does not separate the solutions
as its linear form and then merges solutions (e.g. ``x^4*y, -x^3 + 6x + y^2``:
three solutions on ``y = 0``, msolve reports one).  When a count or the points
disagree, msolve is asked again with a new smallest variable ``t`` equal to a
random linear form; if its answer changes and then agrees with grobnet in
every check, the status is ``oracle`` (msolve contradicted itself), not
``disagree``.

The same function serves the CI subset (``tests/fuzz/test_fuzz.py``), the
regression files (``test_regressions.py``) and the long runner
(``benchmarks/fuzz.py``), which also uses :func:`minimize` and
:func:`save_regression` on any disagreement.
"""
from __future__ import annotations

import ast
import os
import random
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations
from typing import Dict, List, Optional, Sequence, Tuple

import flint

from generators import FuzzSystem, from_msolve_text, to_msolve_text

__all__ = ["Comparison", "compare", "msolve_available", "MsolveQ", "run_msolve_q",
           "run_msolve_gb", "lm_dimension", "count_standard_monomials", "minimize",
           "save_regression", "STATUSES", "sympy_sized"]

STATUSES = ("agree", "disagree", "oracle", "incomplete", "error")

Poly = Dict[Tuple[int, ...], Fraction]


# --------------------------------------------------------------------------- results
@dataclass
class Comparison:
    """Outcome of :func:`compare` for one system.

    ``status``: ``agree`` (every check that ran agreed), ``disagree`` (some
    check failed: ``problems`` says which, each prefixed by the check name),
    ``oracle`` (msolve contradicted itself: its answer changed when a new
    variable equal to a random linear form was added, and grobnet agrees with
    the second answer in every check; ``reason`` keeps the first
    disagreement), ``incomplete`` (grobnet was cut short; ``reason``),
    ``error`` (grobnet raised; ``reason``).  ``checks``: names of the checks
    that ran and agreed; ``skipped``: checks not run, with why.
    """

    label: str
    kind: str
    nvars: int
    nequations: int
    status: str = "agree"
    problems: List[str] = field(default_factory=list)
    checks: List[str] = field(default_factory=list)
    skipped: List[str] = field(default_factory=list)
    reason: str = ""
    dimension: Optional[int] = None
    degree: Optional[int] = None
    n_real: Optional[int] = None
    times: Dict[str, float] = field(default_factory=dict)

    def fail(self, check: str, message: str):
        self.problems.append(f"{check}: {message}")
        self.status = "disagree"

    def ok(self, check: str):
        if check not in self.checks:
            self.checks.append(check)

    def skip(self, check: str, why: str):
        self.skipped.append(f"{check} ({why})")

    @property
    def failed_checks(self) -> List[str]:
        return sorted({p.split(":", 1)[0] for p in self.problems})

    def __repr__(self):
        extra = "; ".join(self.problems) or self.reason
        return (f"Comparison({self.label}: {self.status}, checks {','.join(self.checks)}"
                f"{' -- ' + extra if extra else ''})")


# ---------------------------------------------------------------------------- msolve
def msolve_available() -> bool:
    from grobnet._peers import msolve_command
    return msolve_command() is not None


class MsolveFailed(RuntimeError):
    """msolve crashed, timed out or printed something unparsable."""


def _run_msolve(text: str, args: Sequence[str], timeout: float) -> Tuple[str, float]:
    from grobnet._peers import msolve_command
    cmd = msolve_command()
    if cmd is None:
        raise MsolveFailed("msolve is not installed")
    exe, env = cmd
    env = dict(env, OMP_NUM_THREADS="1")
    with tempfile.TemporaryDirectory(prefix="fuzz-msolve-") as tmp:
        src, dst = os.path.join(tmp, "in.ms"), os.path.join(tmp, "out.txt")
        with open(src, "w") as fh:
            fh.write(text)
        t0 = time.perf_counter()
        try:
            proc = subprocess.run([exe, *args, "-t", "1", "-f", src, "-o", dst], env=env,
                                  capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise MsolveFailed(f"msolve timed out after {timeout} s") from None
        seconds = time.perf_counter() - t0
        if proc.returncode != 0 or not os.path.exists(dst):
            raise MsolveFailed(f"msolve exited with {proc.returncode}: "
                               f"{(proc.stderr or proc.stdout).decode(errors='replace')[-200:]}")
        with open(dst) as fh:
            return fh.read(), seconds


def _parse_msolve_poly(text: str, index: Dict[str, int], nvars: int) -> Dict[tuple, int]:
    f: Dict[tuple, int] = {}
    for sign, term in re.findall(r"([+-]?)([^+-]+)", text.replace(" ", "").replace("\n", "")):
        c = -1 if sign == "-" else 1
        m = [0] * nvars
        for factor in term.split("*"):
            if factor[0].isdigit():
                c *= int(factor)
            else:
                name, _, e = factor.partition("^")
                m[index[name]] += int(e) if e else 1
        f[tuple(m)] = f.get(tuple(m), 0) + c
    return f


def run_msolve_gb(variables, equations_modp: List[Dict[tuple, int]], p: int,
                  timeout: float = 30.0) -> Tuple[List[Dict[tuple, int]], float]:
    """msolve's reduced grevlex basis of integer polynomials mod ``p`` (``-g 2``): dicts of
    residues in ``[0, p)``, and msolve's wall time."""
    eqs = [{m: Fraction(c) for m, c in f.items()} for f in equations_modp]
    text, seconds = _run_msolve(to_msolve_text(variables, eqs, modulus=p), ["-g", "2"], timeout)
    body = "".join(ln for ln in text.splitlines(True) if not ln.startswith("#")).strip()
    if not (body.startswith("[") and body.endswith("]:")):
        raise MsolveFailed(f"unexpected msolve -g 2 output {body[:100]!r}")
    index = {v: i for i, v in enumerate(variables)}
    basis = []
    for ptext in body[1:-2].split(","):
        if ptext.strip():
            basis.append({m: c % p for m, c in _parse_msolve_poly(ptext, index, len(variables))
                          .items() if c % p})
    return basis, seconds


@dataclass
class MsolveQ:
    """msolve over Q (``-P 1``): dimension (-1, 0 or 1 meaning positive), the number of
    distinct complex solutions (degree of its eliminating polynomial), real boxes."""

    dimension: int
    n_distinct: Optional[int]
    real: list
    seconds: float


def _dyadic(v):
    if isinstance(v, tuple):
        num, base, exp = v
        return Fraction(num, base ** exp)
    return Fraction(v)


def parse_msolve_q(text: str, nvars: int, variables=None) -> MsolveQ:
    """Parse msolve's output over Q with ``-P 1``; the real boxes are returned in the order of
    ``variables`` (msolve may permute the variables, or append one of its own, for
    genericity; without ``variables`` the first ``nvars`` coordinates are taken)."""
    body = text.strip()
    if body.endswith(":"):
        body = body[:-1]
    # endpoints are written n / 2^k, and exact ones n / d (e.g. "-5 / 2")
    body = re.sub(r"(-?\d+)\s*/\s*(\d+)\s*\^\s*(\d+)", r"(\1,\2,\3)", body)
    body = re.sub(r"(-?\d+)\s*/\s*(\d+)", r"(\1,\2,1)", body)
    data = ast.literal_eval(body)
    if data == [-1]:
        return MsolveQ(-1, 0, [], 0.0)
    if data[0] == 1:
        return MsolveQ(1, None, [], 0.0)
    if data[0] != 0 or len(data) < 3:
        raise MsolveFailed(f"unrecognised msolve output {text[:80]!r}")
    param, reals = data[1], data[2]
    # param = [char, nvars, ?, variables, linear form, [1, [[deg, elim], [deg, den], ...]]];
    # the third entry is not always the multiplicity degree, so only the eliminating
    # polynomial's degree (distinct solutions) is used
    try:
        n_distinct = int(param[5][1][0][0]) if param and param[0] == 0 else None
    except (IndexError, TypeError, ValueError):
        n_distinct = None
    # msolve may reorder the variables (and append one of its own) for genericity: its
    # boxes follow the variable list of the parametrisation
    order = list(range(nvars))
    if variables is not None and len(param) > 3 and isinstance(param[3], list):
        names = [str(v) for v in param[3]]
        try:
            order = [names.index(v) for v in variables]
        except ValueError:
            raise MsolveFailed(f"msolve's variables {names} lack some of {list(variables)}") \
                from None
    boxes = reals[1] if len(reals) > 1 else []
    real = [[(_dyadic(box[k][0]), _dyadic(box[k][1])) for k in order] for box in boxes]
    return MsolveQ(0, n_distinct, real, 0.0)


def run_msolve_q(variables, equations, timeout: float = 60.0) -> MsolveQ:
    """msolve's answer over Q for ``equations`` (``{exponents: Fraction}`` dicts)."""
    text, seconds = _run_msolve(to_msolve_text(variables, equations), ["-P", "1"], timeout)
    try:
        out = parse_msolve_q(text, len(variables), tuple(variables))
    except (ValueError, SyntaxError, IndexError, TypeError) as exc:
        raise MsolveFailed(f"unparsable msolve output ({exc}): {text[:100]!r}") from None
    out.seconds = seconds
    return out


# ------------------------------------------------------------ monomial ideals (independent)
def _divides(a, b):
    return all(x <= y for x, y in zip(a, b))


def lm_dimension(lms, nvars: int) -> int:
    """Krull dimension of ``k[x]/(lms)``: the largest set of variables containing the
    support of no generator (-1 for the unit ideal).  Brute force: fine for <= 14 variables."""
    if any(sum(m) == 0 for m in lms):
        return -1
    supports = [frozenset(i for i, e in enumerate(m) if e) for m in lms]
    for size in range(nvars, -1, -1):
        for s in combinations(range(nvars), size):
            s = frozenset(s)
            if not any(sup <= s for sup in supports):
                return size
    return 0      # pragma: no cover - the empty set always qualifies


def count_standard_monomials(lms, nvars: int, limit: int = 200_000) -> int:
    """Number of monomials divisible by no element of ``lms`` (finite: dimension 0)."""
    if any(sum(m) == 0 for m in lms):
        return 0
    count, frontier, seen = 0, [(0,) * nvars], {(0,) * nvars}
    while frontier:
        m = frontier.pop()
        if any(_divides(g, m) for g in lms):
            continue
        count += 1
        if count > limit:
            raise ValueError(f"more than {limit} standard monomials")
        for i in range(nvars):
            n = m[:i] + (m[i] + 1,) + m[i + 1:]
            if n not in seen:
                seen.add(n)
                frontier.append(n)
    return count


def _grevlex_key(m):
    return (sum(m), tuple(-e for e in reversed(m)))


# -------------------------------------------------------------------------- helpers
def _flint_system(variables, equations):
    from grobnet.frontend import PolynomialSystem
    ctx = flint.fmpq_mpoly_ctx.get(tuple(variables), "degrevlex")
    eqs = [ctx.from_dict({m: flint.fmpq(c.numerator, c.denominator) for m, c in f.items()})
           for f in equations]
    return PolynomialSystem(variables, eqs)


def _reduce_modp(equations, p) -> Optional[List[Dict[tuple, int]]]:
    """Equations as residues mod ``p`` (zero ones dropped); ``None`` if ``p`` divides a
    denominator (the reduction is not defined)."""
    out = []
    for f in equations:
        g = {}
        for m, c in f.items():
            if c.denominator % p == 0:
                return None
            r = c.numerator * pow(c.denominator, -1, p) % p
            if r:
                g[m] = r
        if g:
            out.append(g)
    return out


def _random_prime(rng) -> int:
    while True:
        c = rng.randrange(1 << 30, 1 << 31) | 1
        if flint.fmpz(c).is_prime():
            return c


def sympy_sized(variables, equations) -> bool:
    """Small enough for sympy's Buchberger over Q in well under a second."""
    return (len(variables) <= 2 and len(equations) <= 3
            and max((sum(m) for f in equations for m in f), default=0) <= 2
            and all(abs(c.numerator) < 1000 and c.denominator < 1000
                    for f in equations for c in f.values()))


def _box_overlap(sol, box, slack=Fraction(1, 2 ** 80)) -> bool:
    """Whether grobnet's certified box ``sol`` (arb intervals) meets msolve's ``box``."""
    for a, (lo, hi) in zip(sol.intervals, box):
        mid = Fraction(*_fmpq_parts(a.mid()))
        rad = Fraction(*_fmpq_parts(a.rad()))
        tol = slack * (1 + abs(mid))
        if mid + rad + tol < lo or mid - rad - tol > hi:
            return False
    return True


def _fmpq_parts(x):
    """``(num, den)`` of an exact ``arb`` midpoint or radius (a dyadic number)."""
    man, exp = x.man_exp()
    man, exp = int(man), int(exp)
    return (man * 2 ** exp, 1) if exp >= 0 else (man, 2 ** (-exp))


def _perfect_matching(adj: List[List[int]], nright: int) -> bool:
    """Whether the bipartite graph (left i -> right adj[i]) has a perfect matching."""
    match = [-1] * nright

    def augment(i, seen):
        for j in adj[i]:
            if j not in seen:
                seen.add(j)
                if match[j] < 0 or augment(match[j], seen):
                    match[j] = i
                    return True
        return False

    return len(adj) == nright and all(augment(i, set()) for i in range(len(adj)))


# ----------------------------------------------------------------------------- checks
def _check_modp(res: Comparison, variables, equations, p, msolve_timeout):
    import grobnet
    red = _reduce_modp(equations, p)
    if red is None or not red:
        res.skip("modp", f"input vanishes or is undefined modulo {p}")
        return None
    ctx = flint.nmod_mpoly_ctx.get(tuple(variables), modulus=p, ordering="degrevlex")
    t0 = time.perf_counter()
    gb = grobnet.groebner([ctx.from_dict(f) for f in red], order="grevlex", modulus=p)
    res.times["grobnet_modp"] = time.perf_counter() - t0
    ours = sorted((tuple(sorted((tuple(int(e) for e in m), int(c)) for m, c in f.to_dict().items()))
                   for f in gb.polys))
    lms = [tuple(m) for m in gb.leading_monomials()]
    try:
        theirs_raw, seconds = run_msolve_gb(variables, red, p, msolve_timeout)
    except MsolveFailed as exc:
        res.skip("modp", str(exc))
        return None
    res.times["msolve_modp"] = seconds
    theirs = sorted(tuple(sorted(f.items())) for f in theirs_raw)
    their_lms = sorted((max(f, key=_grevlex_key) for f in theirs_raw), key=_grevlex_key)
    if sorted(lms, key=_grevlex_key) != their_lms:
        res.fail("modp", f"leading monomials mod {p} differ: grobnet {sorted(lms)} vs msolve "
                         f"{sorted(their_lms)}")
    elif ours != theirs:
        res.fail("modp", f"reduced bases mod {p} differ (same leading monomials)")
    else:
        res.ok("modp")
    return their_lms


def _check_sympy(res: Comparison, variables, equations):
    import sympy
    import grobnet
    gens = sympy.symbols(list(variables))
    polys = [sympy.Poly.from_dict({m: sympy.Rational(c.numerator, c.denominator)
                                   for m, c in f.items()}, *gens, domain="QQ") for f in equations]
    t0 = time.perf_counter()
    G = sympy.groebner(polys, *gens, order="grevlex", domain="QQ")
    res.times["sympy"] = time.perf_counter() - t0
    theirs = sorted(tuple(sorted((tuple(m), Fraction(int(c.numerator), int(c.denominator)))
                                 for m, c in g.terms())) for g in G.polys if not g.is_zero)
    ctx = flint.fmpq_mpoly_ctx.get(tuple(variables), "degrevlex")
    F = [ctx.from_dict({m: flint.fmpq(c.numerator, c.denominator) for m, c in f.items()})
         for f in equations]
    gq = grobnet.groebner(F, order="grevlex")
    if not getattr(gq, "complete", True):
        res.skip("sympy", f"grobnet.groebner over Q incomplete: {gq.reason}")
        return
    ours = sorted(tuple(sorted((tuple(int(e) for e in m), Fraction(int(c.p), int(c.q)))
                               for m, c in g.to_dict().items())) for g in gq.polys)
    if ours != theirs:
        res.fail("sympy", f"reduced bases over Q differ: grobnet {len(ours)} polynomials, "
                          f"sympy {len(theirs)}")
        return
    zero_dim = G.is_zero_dimensional if theirs != [(((0,) * len(variables), 1),)] else False
    if res.dimension is not None and res.dimension >= 0 and (res.dimension == 0) != zero_dim:
        res.fail("sympy", f"sympy says zero-dimensional={zero_dim}, grobnet dimension "
                          f"{res.dimension}")
        return
    if zero_dim and res.dimension == 0:
        lms = [max((tuple(m) for m, _ in g.terms()), key=_grevlex_key) for g in G.polys]
        degree = count_standard_monomials(lms, len(variables))
        if degree != res.degree:
            res.fail("sympy", f"grobnet degree {res.degree}, sympy's leading monomials give "
                              f"{degree}")
            return
    if res.dimension is not None and (res.dimension == -1) != (theirs == [(((0,) * len(variables),
                                                                           Fraction(1)),)]):
        res.fail("sympy", f"sympy's basis {'is' if res.dimension != -1 else 'is not'} [1] but "
                          f"grobnet's dimension is {res.dimension}")
        return
    res.ok("sympy")


def compare(system, *, timeout: float = 20.0, msolve_timeout: float = 60.0, prime_seed=None,
            use_msolve: Optional[bool] = None, use_sympy: Optional[bool] = None,
            digits: int = 30) -> Comparison:
    """Run every check on ``system`` (a :class:`FuzzSystem` or ``(label, variables,
    equations)``); see the module docstring.  ``timeout`` goes to ``grobnet.solve``.
    ``use_msolve`` / ``use_sympy``: ``None`` means when available / when tiny."""
    import grobnet
    from grobnet.errors import BudgetExceeded

    if isinstance(system, FuzzSystem):
        label, kind, variables, equations = system.label, system.kind, system.variables, \
            system.equations
        seed = system.seed
    else:
        label, variables, equations = system
        kind, seed = label.split("-")[0], 0
    variables, equations = tuple(variables), [dict(f) for f in equations]
    res = Comparison(label, kind, len(variables), len(equations))
    if use_msolve is None:
        use_msolve = msolve_available()
    if use_sympy is None:
        use_sympy = sympy_sized(variables, equations)
    rng = random.Random(f"prime:{label}:{prime_seed if prime_seed is not None else seed}")
    p = _random_prime(rng)

    # (a) modular bases
    their_lms = None
    if use_msolve:
        try:
            their_lms = _check_modp(res, variables, equations, p, msolve_timeout)
        except Exception as exc:        # grobnet.groebner mod p raised
            res.status, res.reason = "error", f"groebner mod {p}: {type(exc).__name__}: {exc}"
            return res
    else:
        res.skip("modp", "msolve absent")

    # (b)-(d) solve over Q
    system_q = _flint_system(variables, equations)
    t0 = time.perf_counter()
    try:
        sols = grobnet.solve(system_q, digits=digits, timeout=timeout)
    except BudgetExceeded as exc:
        res.status, res.reason = "incomplete", f"{type(exc).__name__}: {exc}"
        sols = None
    except Exception as exc:
        res.status, res.reason = "error", f"solve: {type(exc).__name__}: {exc}"
        return res
    res.times["grobnet_solve"] = time.perf_counter() - t0
    finished = False
    if sols is not None:
        res.dimension, res.degree = sols.dimension, sols.degree
        finished = sols.complete or sols.dimension > 0
        if not finished:
            res.status, res.reason = "incomplete", sols.reason or "complete=False without a reason"
        elif not sols.complete and not sols.reason:
            res.fail("flags", "complete=False without a reason")
        if sols.complete and sols.dimension > 0:
            res.fail("flags", "a positive-dimensional answer claims complete=True")
        if finished and sols.dimension == 0 and sols.real is not None:
            res.n_real = len(sols.real)

    if use_sympy and res.status != "error":
        try:
            _check_sympy(res, variables, equations)
        except Exception as exc:
            res.skip("sympy", f"{type(exc).__name__}: {exc}")

    if sols is None or not finished:
        return res

    # dimension and degree against msolve's leading monomials mod p
    if their_lms is not None:
        d = lm_dimension(their_lms, len(variables))
        if d != sols.dimension:
            res.fail("dimension", f"grobnet {sols.dimension}, msolve's leading monomials mod {p} "
                                  f"give {d}")
        else:
            res.ok("dimension")
        if d == 0:
            deg = count_standard_monomials(their_lms, len(variables))
        elif d > 0:
            from grobnet.exact.hilbert import hilbert_series
            deg = hilbert_series(their_lms, len(variables)).degree
        else:
            deg = 0
        if d == sols.dimension and deg != sols.degree:
            res.fail("degree", f"grobnet {sols.degree}, msolve's leading monomials give {deg}")
        elif d == sols.dimension:
            res.ok("degree")

    if sols.dimension == 0 and sols.real is not None:
        try:
            if not sols.check(system_q.equations):
                res.fail("points", "a real box does not contain a zero of every equation")
        except Exception as exc:
            res.skip("points-eval", f"{type(exc).__name__}: {exc}")

    if not use_msolve:
        return res
    try:
        ms = run_msolve_q(variables, equations, msolve_timeout)
    except MsolveFailed as exc:
        res.skip("msolve-Q", str(exc))
        return res
    res.times["msolve_q"] = ms.seconds
    problems = _compare_q(res, sols, ms)
    if problems and res.status == "agree" and sols.dimension == 0 and len(variables) > 1:
        # msolve sometimes takes a coordinate that does not separate the solutions as its
        # linear form (it then merges some of them).  Ask it again with a new smallest
        # variable t equal to a random linear form (so t separates them, almost surely), and
        # call the disagreement msolve's own if that answer differs from its first one and
        # agrees with grobnet's in every check
        t = "t"
        while t in variables:
            t += "_"
        form = {tuple(1 if j == i else 0 for j in range(len(variables))) + (0,):
                Fraction(-rng.randint(1, 9)) for i in range(len(variables))}
        form[(0,) * len(variables) + (1,)] = Fraction(1)
        aug_eqs = [{m + (0,): c for m, c in f.items()} for f in equations] + [form]
        try:
            ms2 = run_msolve_q(variables + (t,), aug_eqs, msolve_timeout)
        except MsolveFailed as exc:
            ms2 = None
            res.skip("msolve-Q-generic-form", str(exc))
        if ms2 is not None:
            ms2.real = [box[:-1] for box in ms2.real]
            second = Comparison(res.label, res.kind, res.nvars, res.nequations)
            if not _compare_q(second, sols, ms2):      # so msolve's two answers differ
                res.status = "oracle"
                res.reason = ("msolve contradicts itself (with t = a random linear form "
                              "added it agrees with grobnet): "
                              + "; ".join(f"{c}: {m}" for c, m in problems))
                res.checks.extend(c for c in second.checks if c not in res.checks)
                res.problems = []
                return res
    for check, message in problems:
        res.fail(check, message)
    return res


def _compare_q(res: Comparison, sols, ms: MsolveQ) -> List[Tuple[str, str]]:
    """Compare grobnet's finished answer with msolve's over Q; agreeing checks are recorded in
    ``res``, disagreements returned as ``(check, message)``."""
    problems = []
    our_dim = sols.dimension if sols.dimension <= 0 else 1
    if ms.dimension != our_dim:
        what = {-1: "no solution", 0: "finitely many", 1: "infinitely many"}[ms.dimension]
        return [("dimension", f"grobnet dimension {sols.dimension}, msolve over Q says {what}")]
    res.ok("dimension")
    if sols.dimension != 0:
        return problems
    if ms.n_distinct is not None and sols.rur is not None:
        if ms.n_distinct != sols.rur.n_solutions:
            problems.append(("distinct", f"grobnet {sols.rur.n_solutions} distinct complex "
                                         f"solutions, msolve {ms.n_distinct}"))
        else:
            res.ok("distinct")
    if sols.real is None:
        return problems
    if len(sols.real) != len(ms.real):
        problems.append(("nreal", f"grobnet {len(sols.real)} real solutions, msolve "
                                  f"{len(ms.real)}"))
        return problems
    res.ok("nreal")
    adj = [[j for j, box in enumerate(ms.real) if _box_overlap(s, box)] for s in sols.real]
    if not _perfect_matching(adj, len(ms.real)):
        bad = [i for i, a in enumerate(adj) if not a]
        problems.append(("points", f"real boxes do not match msolve's one to one (grobnet "
                                   f"boxes {bad} meet no msolve box)" if bad else
                         "real boxes do not match msolve's one to one"))
    else:
        res.ok("points")
    return problems


# ------------------------------------------------------------------- minimise and save
def minimize(variables, equations, still_fails, max_steps: int = 400):
    """Greedily drop equations, then terms, while ``still_fails(variables, equations)``.

    Returns the smallest ``(variables, equations)`` found (variables that no
    longer occur are kept: removing one changes the dimension).
    """
    eqs = [dict(f) for f in equations]
    steps = 0
    changed = True
    while changed and steps < max_steps:
        changed = False
        for i in range(len(eqs)):
            if len(eqs) <= 1:
                break
            trial = eqs[:i] + eqs[i + 1:]
            steps += 1
            if still_fails(variables, trial):
                eqs, changed = trial, True
                break
        if changed:
            continue
        for i in range(len(eqs)):
            for m in sorted(eqs[i], key=_grevlex_key):
                if len(eqs[i]) <= 1:
                    break
                trial = [dict(f) for f in eqs]
                del trial[i][m]
                steps += 1
                if still_fails(variables, trial):
                    eqs, changed = trial, True
                    break
            if changed:
                break
    return tuple(variables), eqs


def save_regression(directory, label: str, variables, equations, problems: Sequence[str]) -> str:
    """Write a disagreement as ``<directory>/<label>.ms`` (over Q) plus a comment file; returns
    the path.  msolve's format has no comments, so the problems go into ``<label>.txt``."""
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, f"{label}.ms")
    with open(path, "w") as fh:
        fh.write(to_msolve_text(variables, equations))
    with open(os.path.join(directory, f"{label}.txt"), "w") as fh:
        fh.write("\n".join(problems) + "\n")
    return path


def load_regression(path):
    """``(label, variables, equations)`` of a regression ``.ms`` file."""
    with open(path) as fh:
        variables, equations = from_msolve_text(fh.read())
    return os.path.splitext(os.path.basename(path))[0], variables, equations
