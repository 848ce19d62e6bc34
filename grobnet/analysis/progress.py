"""Progress reports of long critical-point computations.

A progress callable has the signature ``progress(stage: str, info: dict)``; the
analysis layer calls it at stage boundaries and once per F4 round, and passes it
on to :func:`grobnet.solve` when that accepts one.  Stages (``info`` keys in
brackets):

``system``           the gradient system is built            [nvars, equations]
``dimension``        mod-p dimension probe starts / ends     [dimension, degree]
``f4-round``         one F4 round of the current basis        [round, degree, rows, cols, of]
``critical-values``  elimination of the loss starts / ends   [values]
``solve``            exact real solving starts / ends        [real]
``slices``           one random affine slice is solved       [level, hyperplanes, real]
``hessians``         certified Hessian inertia               [points]
``done``             the result is ready                     [seconds]

An exception raised by the callable aborts the computation (the F4 engine checks
it after every round), which is how a caller can cancel.  :class:`StderrProgress`
is the printer the command line uses.
"""
from __future__ import annotations

import sys
import time
from typing import Callable, Optional

__all__ = ["Progress", "StderrProgress", "report", "f4_callback"]

#: ``progress(stage, info)``
Progress = Callable[[str, dict], None]


def report(progress: Optional[Progress], stage: str, **info) -> None:
    """Call ``progress(stage, info)`` when a callable was given."""
    if progress is not None:
        progress(stage, info)


def f4_callback(progress: Optional[Progress], of: str):
    """An F4-engine round callback ``(round, degree, rows, cols)`` forwarding to ``progress``
    as stage ``f4-round`` (``of`` names the basis being computed), or ``None``."""
    if progress is None:
        return None

    def rounds(rnd, deg, rows, cols):
        progress("f4-round", {"round": int(rnd), "degree": int(deg), "rows": int(rows),
                              "cols": int(cols), "of": of})
    return rounds


class StderrProgress:
    """Print progress lines to a stream (default ``sys.stderr``), with elapsed seconds.

    On a terminal, F4 rounds overwrite one line; elsewhere at most one F4 line per
    ``interval`` seconds is printed, so logs stay short.
    """

    def __init__(self, stream=None, interval: float = 1.0):
        self.stream = sys.stderr if stream is None else stream
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.interval = interval
        self._t0 = time.perf_counter()
        self._last_round = -1e9
        self._open_line = False

    def _write(self, text: str, transient: bool = False) -> None:
        stamp = f"[{time.perf_counter() - self._t0:7.1f}s] "
        if self.tty:
            self.stream.write(("\r\x1b[K" if self._open_line else "") + stamp + text
                              + ("" if transient else "\n"))
            self._open_line = transient
        else:
            self.stream.write(stamp + text + "\n")
        self.stream.flush()

    def __call__(self, stage: str, info: dict) -> None:
        frequent = stage == "f4-round" or info.get("event") == "prime"
        if frequent:        # F4 rounds and primes of a lift: one transient / throttled line
            now = time.perf_counter()
            if not self.tty and now - self._last_round < self.interval:
                return
            self._last_round = now
        if stage == "f4-round":
            text = (f"  F4 ({info.get('of', '')}) round {info.get('round')}: degree "
                    f"{info.get('degree')}, matrix {info.get('rows')} x {info.get('cols')}")
        else:
            details = ", ".join(f"{k} {v}" for k, v in info.items() if k != "event")
            event = info.get("event", "")
            text = f"{stage}{(' ' + event) if event else ''}{(': ' + details) if details else ''}"
        self._write(text, transient=frequent)
