"""Run engines on systems, each in its own process with a timeout, and check their answers agree.

:func:`run_isolated` is the primitive: start a command in a new session
(process group), kill the whole group when the timeout passes, and measure the
exit with ``wait4`` (wall time and the peak RSS of the process and its reaped
children).  :func:`run_one` uses it to run :mod:`worker` for one
(engine, system, mode); :func:`run_matrix` runs every pair in sequence (the
machine's cores are shared: runs never overlap, so one does not slow another)
and :func:`check_agreement` compares the fingerprints of every system's
answers, engine against engine.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence

from engines import MODULUS, get_engine, single_thread_env
from fingerprint import Fingerprint, find_disagreements

__all__ = ["Isolated", "RunResult", "run_isolated", "run_one", "run_matrix", "check_agreement",
           "plan_runs", "WORKER"]

WORKER = Path(__file__).resolve().parent / "worker.py"

#: statuses of a run: "ok", "timeout", "error" (the engine failed or the worker crashed)
STATUSES = ("ok", "timeout", "error")


@dataclass
class Isolated:
    """A finished (or killed) child process."""

    timed_out: bool
    returncode: Optional[int]
    wall: float
    maxrss_kb: int
    stdout: str
    stderr: str


def run_isolated(cmd: Sequence[str], timeout: float, env: Optional[dict] = None,
                 cwd: Optional[str] = None) -> Isolated:
    """Run ``cmd`` in its own process group; after ``timeout`` seconds kill the whole group.

    Never hangs on a runaway child: the kill is SIGKILL to the group, so
    grandchildren (msolve started by the worker) die with it.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(list(cmd), stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                env=env, cwd=cwd, start_new_session=True)
        fired = threading.Event()

        def _kill_group():
            fired.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:       # already gone
                pass

        timer = threading.Timer(timeout, _kill_group)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:                # Ctrl-C: leave no runaway solver behind
            _kill_group()
            os.waitpid(proc.pid, 0)
            raise
        finally:
            timer.cancel()
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        # a child that finished on its own just as the timer fired did not time out
        timed_out = fired.is_set() and proc.returncode == -signal.SIGKILL
        if not fired.is_set():               # clean up any grandchild left behind
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        out.seek(0)
        err.seek(0)
        return Isolated(timed_out, proc.returncode, wall, usage.ru_maxrss,
                        out.read().decode(errors="replace"), err.read().decode(errors="replace"))


@dataclass
class RunResult:
    """One (engine, system, mode) run as the tables and the CSV see it."""

    system: str
    suite: str
    mode: str
    engine: str
    status: str                                   #: "ok", "timeout" or "error"
    time: Optional[float] = None                  #: seconds of the computation (see engines)
    wall: Optional[float] = None                  #: seconds of the whole worker process
    rss_mb: Optional[float] = None                #: peak RSS of the computing process
    base_rss_mb: Optional[float] = None           #: in-process engines: worker RSS before it
    fingerprint: Optional[Fingerprint] = None
    timeout: Optional[float] = None
    note: str = ""
    error: str = ""
    stats: Dict = field(default_factory=dict)
    agrees: Optional[bool] = None                 #: set by check_agreement (None: alone)
    disagrees_with: List[str] = field(default_factory=list)   #: engines whose answer differs


def _mb(kb):
    return None if kb is None else round(kb / 1024.0, 1)


def run_one(engine: str, system, mode: str = "gb", timeout: float = 600.0,
            modulus: int = MODULUS, python: str = sys.executable) -> RunResult:
    """Run one engine on one system in a fresh worker process (one thread) with ``timeout``."""
    base = RunResult(system.name, system.suite, mode, engine, "error", timeout=timeout)
    with tempfile.TemporaryDirectory(prefix="bench-run-") as tmp:
        out = Path(tmp) / "result.json"
        cmd = [python, str(WORKER), "--engine", engine, "--mode", mode, "--system",
               str(system.path), "--suite", system.suite, "--modulus", str(modulus),
               "--timeout", str(timeout), "--out", str(out)]
        iso = run_isolated(cmd, timeout, env=single_thread_env())
        base.wall = round(iso.wall, 4)
        if iso.timed_out:
            base.status = "timeout"
            base.error = f"killed after {timeout:g} s"
            return base
        if not out.exists():
            tail = (iso.stderr or iso.stdout).strip().splitlines()[-3:]
            base.error = f"worker exited with {iso.returncode} and no result: {' | '.join(tail)}"
            base.rss_mb = _mb(iso.maxrss_kb)
            return base
        data = json.loads(out.read_text(encoding="utf-8"))
    base.status = data["status"]
    base.error = data.get("error", "")
    base.note = data.get("note", "") or ""
    if base.status == "ok":
        base.time = data["time"]
        base.rss_mb = _mb(data.get("rss_kb"))
        base.base_rss_mb = _mb(data.get("base_rss_kb"))
        base.fingerprint = Fingerprint.from_json(data["fingerprint"])
        base.stats = data.get("stats") or {}
    return base


def plan_runs(engines: Sequence[str], systems: Sequence, mode: str,
              small: Iterable[str] = (), all_sizes: bool = False):
    """``(runs, skipped)``: the (engine, system) pairs to run and ``{engine: reason}`` skipped.

    Engines that are unavailable or lack ``mode`` are skipped with their
    reason; slow (naive) engines only get the systems named in ``small``
    unless ``all_sizes``.
    """
    small = set(small)
    runs, skipped = [], {}
    for name in engines:
        eng = get_engine(name)
        reason = eng.unavailable(mode)
        if reason is not None:
            skipped[name] = reason
            continue
        for s in systems:
            if eng.slow and not all_sizes and s.name not in small:
                continue
            runs.append((name, s))
    return runs, skipped


def run_matrix(runs, mode: str, timeout: float, modulus: int = MODULUS,
               progress: Optional[Callable[[RunResult], None]] = None) -> List[RunResult]:
    """Run every ``(engine, system)`` of ``runs`` in turn; ``progress(result)`` after each."""
    results = []
    for engine, system in runs:
        r = run_one(engine, system, mode=mode, timeout=timeout, modulus=modulus)
        results.append(r)
        if progress is not None:
            progress(r)
    return results


def check_agreement(results: List[RunResult]) -> list:
    """Compare the answers on every (system, mode); mark each result and return the disagreements.

    Fingerprints are compared engine against engine on the fields both know.
    ``disagrees_with`` names the engines a result differs from; ``agrees`` is
    ``False`` for a *suspect* -- a result that differs from most of the other
    answers, or from the only other one (so with two engines both are suspect,
    and with three or more the odd one out is) -- ``True`` otherwise, and
    ``None`` for a lone answer.
    """
    groups: Dict[tuple, Dict[str, RunResult]] = {}
    for r in results:
        if r.status == "ok" and r.fingerprint is not None:
            groups.setdefault((r.system, r.mode), {})[r.engine] = r
    disagreements = []
    for (system, mode), by_engine in groups.items():
        found = find_disagreements(system, mode, {e: r.fingerprint for e, r in by_engine.items()})
        disagreements += found
        others = len(by_engine) - 1
        for e, r in by_engine.items():
            r.disagrees_with = sorted({d.engine_b for d in found if d.engine_a == e}
                                      | {d.engine_a for d in found if d.engine_b == e})
            n = len(r.disagrees_with)
            r.agrees = None if others == 0 else not (2 * n > others or (others == 1 and n))
    return disagreements
