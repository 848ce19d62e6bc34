"""Executors: one interface for running independent jobs (primes, ordering probes).

grobnet's parallel work is embarrassingly parallel: F4 modulo many primes, or F4
under several candidate variable orders.  Every such caller goes through the small
:class:`Executor` interface defined here, so the same code runs

* serially (``"serial"``; deterministic, no start-up cost, the default for tiny jobs),
* on a local process pool (``"processes"``; the default, sized to the machine), or
* on a Dask cluster (pass a ``dask.distributed.Client``; needs ``grobnet[dask]``),
* or ``"auto"``: serially at first, moving to a forked local pool once the work proves
  long (:class:`AutoExecutor`; what the multimodular lifts use by default).

There is no home-made scheduler: the pool is :mod:`concurrent.futures`, the cluster
is Dask.  Jobs must be picklable module-level functions.  Results always come back
in submission order, so a parallel run is identical to the serial one.
:meth:`Executor.submit` starts one job and returns a handle whose ``result()`` waits
for it (a serial executor runs the job then): callers keep several jobs in flight
and combine finished ones meanwhile (the multimodular loop does).

Cancellation: a job's own budget (``timeout=`` passed into the C core) is the
primary way to stop it; the executor-level ``timeout`` of :meth:`Executor.map` is
the safety net, after which outstanding jobs are cancelled (pool workers are
terminated) and :class:`~grobnet.errors.TimeoutExceeded` is raised.  The executor
stays usable afterwards.
"""
from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import sys
import threading
import time
from typing import Any, Callable, Iterable, Sequence

from grobnet.errors import TimeoutExceeded

__all__ = ["Executor", "Job", "SerialExecutor", "ProcessExecutor", "DaskExecutor", "AutoExecutor",
           "get_executor", "owned_executor", "AUTO_POOL_SECONDS", "first_finished",
           "fork_allowed", "engine_threads"]


class Executor:
    """Runs independent jobs; subclasses implement :meth:`_run`.

    ``map(fn, items, timeout=None)`` returns ``[fn(x) for x in items]`` in order.
    """

    name = "abstract"
    workers = 1

    def map(self, fn: Callable, items: Iterable, *, timeout: float | None = None) -> list:
        """Apply ``fn`` to every item; results in input order.

        Raises :class:`TimeoutExceeded` when the whole batch takes longer than
        ``timeout`` seconds (outstanding jobs are cancelled first).  An exception
        raised by a job propagates unchanged.
        """
        items = list(items)
        if timeout is not None and timeout <= 0:
            raise ValueError(f"timeout must be positive seconds, got {timeout!r}")
        if not items:
            return []
        return self._run(fn, items, timeout)

    def _run(self, fn: Callable, items: Sequence, timeout: float | None) -> list:
        raise NotImplementedError

    def submit(self, fn: Callable, item) -> "Job":
        """Start ``fn(item)``; the handle's ``result()`` returns its value (or raises its
        exception) and ``cancel()`` drops it if it has not started.  Default: run it
        when the result is asked for."""
        return _LazyJob(fn, item)

    @property
    def concurrent(self) -> bool:
        """Whether submitted jobs run while the caller does something else."""
        return False

    def close(self) -> None:
        """Release workers (a closed executor may be used again: it restarts lazily)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return f"{type(self).__name__}(workers={self.workers})"


class Job:
    """A submitted job (see :meth:`Executor.submit`)."""

    def result(self):
        raise NotImplementedError

    def cancel(self) -> None:
        """Drop the job if it has not started (its result is then never asked for)."""

    @property
    def finished(self) -> bool:
        """Whether ``result()`` would return without waiting for a worker (a job that
        runs when asked, on a serial executor, is never finished before)."""
        return False


def first_finished(jobs: Sequence[Job], poll: float = 0.002) -> int:
    """The index of a job of ``jobs`` whose result is ready, waiting for one (the first
    if none of them runs concurrently).  For callers that keep several jobs in flight
    and combine whichever ends first (the parallel real-root isolation)."""
    if not jobs:
        raise ValueError("first_finished needs at least one job")
    if not all(isinstance(j, _FutureJob) for j in jobs):
        return 0
    while True:
        for i, j in enumerate(jobs):
            if j.finished:
                return i
        time.sleep(poll)


def fork_allowed() -> bool:
    """Whether this process may start a forked local pool: several CPUs, Linux, and a
    single thread (fork is unsafe once threads exist, e.g. a Dask client's)."""
    return ((os.cpu_count() or 1) > 1 and sys.platform.startswith("linux")
            and threading.active_count() == 1)


def engine_threads(executor) -> int | None:
    """The engine threads of a run given its ``executor=`` option: one for ``"serial"``
    (one thread throughout), ``None`` (every core) otherwise."""
    return 1 if isinstance(executor, str) and executor == "serial" else None


class _LazyJob(Job):
    """Runs in this process when its result is first asked for."""

    __slots__ = ("fn", "item", "done", "value", "seconds")

    def __init__(self, fn, item):
        self.fn, self.item, self.done, self.value, self.seconds = fn, item, False, None, 0.0

    def result(self):
        if not self.done:
            t0 = time.monotonic()
            self.value = self.fn(self.item)
            self.seconds = time.monotonic() - t0
            self.done = True
        return self.value


class _FutureJob(Job):
    """A :class:`concurrent.futures.Future` or a Dask future."""

    __slots__ = ("future",)

    def __init__(self, future):
        self.future = future

    def result(self):
        return self.future.result()

    def cancel(self) -> None:
        self.future.cancel()

    @property
    def finished(self) -> bool:
        return self.future.done()


class SerialExecutor(Executor):
    """Runs jobs one after another in this process (reproducible, no overhead)."""

    name = "serial"

    def _run(self, fn, items, timeout):
        start = time.monotonic()
        out = []
        for item in items:
            out.append(fn(item))
            if timeout is not None and time.monotonic() - start > timeout:
                remaining = len(items) - len(out)
                if remaining:
                    raise TimeoutExceeded(
                        f"serial batch exceeded {timeout:g} s with {remaining} of {len(items)} jobs left")
        return out


def _default_context():
    """Linux: fork while this process runs a single thread -- workers start at once and
    inherit the loaded modules and the per-process caches (a learned F4 trace, a lift's
    shared data), as :class:`AutoExecutor`'s pool does -- and forkserver once threads
    exist (a Dask client; fork is unsafe then).  Elsewhere spawn."""
    if sys.platform.startswith("linux"):
        if threading.active_count() == 1:
            return multiprocessing.get_context("fork")
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


class ProcessExecutor(Executor):
    """A local :class:`concurrent.futures.ProcessPoolExecutor`, created lazily and reused."""

    name = "processes"

    def __init__(self, workers: int | None = None):
        if workers is None:
            workers = os.cpu_count() or 1
        if int(workers) != workers or workers < 1:
            raise ValueError(f"workers must be a positive integer, got {workers!r}")
        self.workers = int(workers)
        self._pool: cf.ProcessPoolExecutor | None = None

    def _get_pool(self) -> cf.ProcessPoolExecutor:
        if self._pool is None:
            self._pool = cf.ProcessPoolExecutor(max_workers=self.workers, mp_context=_default_context())
        return self._pool

    def _run(self, fn, items, timeout):
        pool = self._get_pool()
        futures = [pool.submit(fn, item) for item in items]
        try:
            done, not_done = cf.wait(futures, timeout=timeout, return_when=cf.FIRST_EXCEPTION)
        except BaseException:
            self._terminate()
            raise
        failed = [f for f in done if f.exception() is not None]
        if failed:
            self._terminate()
            raise failed[0].exception()
        if not_done:
            self._terminate()
            raise TimeoutExceeded(
                f"process batch exceeded {timeout:g} s with {len(not_done)} of {len(items)} jobs unfinished")
        return [f.result() for f in futures]

    def submit(self, fn, item) -> Job:
        return _FutureJob(self._get_pool().submit(fn, item))

    @property
    def concurrent(self) -> bool:
        return True

    def _terminate(self) -> None:
        """Cancel queued jobs and kill running workers, so a stuck job cannot hold the pool."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list(getattr(pool, "_processes", {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in processes:
            if proc.is_alive():
                proc.terminate()
        for proc in processes:
            proc.join(timeout=5)

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor(Executor):
    """Runs jobs on a Dask cluster through a user-supplied ``distributed.Client``."""

    name = "dask"

    def __init__(self, client: Any):
        if not hasattr(client, "submit") or not hasattr(client, "gather"):
            raise TypeError(f"expected a dask.distributed.Client, got {type(client).__name__}")
        self.client = client
        try:
            self.workers = max(1, sum(client.nthreads().values()))
        except Exception:  # pragma: no cover - client without workers info
            self.workers = 1

    def _run(self, fn, items, timeout):
        from distributed import wait as dask_wait

        futures = [self.client.submit(fn, item, pure=False) for item in items]
        try:
            done, not_done = dask_wait(futures, timeout=timeout, return_when="ALL_COMPLETED")
        except Exception as exc:  # dask raises its own TimeoutError flavours
            self.client.cancel(futures)
            if isinstance(exc, TimeoutError) or "Timeout" in type(exc).__name__:
                raise TimeoutExceeded(f"dask batch exceeded {timeout:g} s") from None
            raise
        if not_done:  # pragma: no cover - wait raises instead on recent dask
            self.client.cancel(futures)
            raise TimeoutExceeded(f"dask batch exceeded {timeout:g} s")
        return self.client.gather(futures)

    def submit(self, fn, item) -> Job:
        return _FutureJob(self.client.submit(fn, item, pure=False))

    @property
    def concurrent(self) -> bool:
        return True

    def __repr__(self):
        return f"DaskExecutor(workers={self.workers}, scheduler={getattr(self.client, 'scheduler', None)!r})"


#: ``executor="auto"``: work starts serially and moves to a local process pool once it
#: has run this long (seconds) on a machine with several cores; short runs never pay a
#: pool's start-up.
AUTO_POOL_SECONDS = 1.0


class ForkedExecutor(ProcessExecutor):
    """A local process pool started with fork (see :class:`AutoExecutor`)."""

    name = "forked processes"

    def _get_pool(self) -> cf.ProcessPoolExecutor:
        if self._pool is None:
            self._pool = cf.ProcessPoolExecutor(
                max_workers=self.workers, mp_context=multiprocessing.get_context("fork"))
        return self._pool


class AutoExecutor(Executor):
    """Serial at first; a forked local pool once the work proves long (see
    :data:`AUTO_POOL_SECONDS`).  Fork, not forkserver: workers inherit the loaded
    modules (no start-up import) and a user's unguarded script is not re-run as
    ``__main__``.  Fork is used only from a single-threaded process on Linux, where it
    is safe; otherwise the work stays serial."""

    name = "auto"

    def __init__(self):
        self._serial = SerialExecutor()
        self._pool: ProcessExecutor | None = None
        self._elapsed = 0.0
        self.workers = 1

    def _switch(self) -> None:
        if self._pool is None and self._elapsed > AUTO_POOL_SECONDS and fork_allowed():
            self._pool = ForkedExecutor()
            self.workers = self._pool.workers

    def _run(self, fn, items, timeout):
        self._switch()
        t0 = time.monotonic()
        out = (self._pool or self._serial).map(fn, items, timeout=timeout)
        self._elapsed += time.monotonic() - t0
        return out

    def submit(self, fn, item) -> Job:
        self._switch()
        if self._pool is not None:
            return self._pool.submit(fn, item)
        return _TimedJob(self, fn, item)

    @property
    def concurrent(self) -> bool:
        return self._pool is not None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()

    def __repr__(self):
        return f"AutoExecutor({'process pool of %d' % self.workers if self._pool else 'serial'})"


class _TimedJob(_LazyJob):
    """A serial job of an :class:`AutoExecutor`: its time counts towards the switch."""

    __slots__ = ("owner",)

    def __init__(self, owner, fn, item):
        super().__init__(fn, item)
        self.owner = owner

    def result(self):
        if not self.done:
            value = super().result()
            self.owner._elapsed += self.seconds
            return value
        return self.value


def get_executor(executor: Any = None, *, workers: int | None = None) -> Executor:
    """Normalise the user's ``executor=`` option into an :class:`Executor`.

    ``None`` or ``"processes"``: a local process pool sized to the machine (or
    ``workers``); ``"serial"``: in-process; ``"auto"``: :class:`AutoExecutor`; a
    ``dask.distributed.Client``: that cluster; an :class:`Executor`: itself.
    """
    if isinstance(executor, Executor):
        return executor
    if executor is None or executor == "processes":
        return ProcessExecutor(workers)
    if executor == "serial":
        return SerialExecutor()
    if executor == "auto":
        return AutoExecutor()
    if hasattr(executor, "submit") and hasattr(executor, "gather"):
        return DaskExecutor(executor)
    raise ValueError(
        f"unknown executor {executor!r}; expected 'serial', 'processes', a dask.distributed.Client "
        "or a grobnet.parallel.Executor")


def owned_executor(executor: Any = None) -> tuple:
    """``(Executor, owned)``: :func:`get_executor` of the option, and whether the caller
    made it (and so closes it when done: a pool it started) or was handed it."""
    ex = get_executor(executor)
    return ex, ex is not executor
