"""Run msolve as an external oracle and parse its real-solution output.

msolve (GPL) is never grobnet's engine; tests and benchmarks compare against it.
Its output for a system over Q is ``[0, [1, [sol, sol, ...]]]:`` where each
``sol`` lists one isolating interval ``[a, b]`` per variable with dyadic
endpoints written ``n / 2^k``; ``[-1]:`` means no complex solution and
``[1, nvars, -1, []]:`` a positive-dimensional set.
"""
from __future__ import annotations

import ast
import os
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass

import flint

from grobnet._peers import msolve_command

__all__ = ["MsolveResult", "parse_real_solutions", "run_msolve"]


@dataclass
class MsolveResult:
    """``dimension`` (-1, 0 or 1 for "positive"), real solution boxes (fmpq pairs), time."""

    dimension: int
    real: list
    seconds: float

    def __repr__(self):
        return f"MsolveResult(dimension={self.dimension}, {len(self.real)} real solutions, {self.seconds:.2f} s)"


def _value(v):
    if isinstance(v, tuple):
        num, den = v
        return flint.fmpq(num, den)
    return flint.fmpq(v)


def parse_real_solutions(text: str) -> MsolveResult:
    """Parse msolve's output text (see the module docstring)."""
    body = text.strip()
    if body.endswith(":"):
        body = body[:-1]
    # dyadic endpoints "n / 2^k" and exact rational ones "n / d" become (n, d) pairs
    body = re.sub(r"(-?\d+)\s*/\s*2\^(\d+)", lambda m: f"({m[1]},{2 ** int(m[2])})", body)
    body = re.sub(r"(-?\d+)\s*/\s*(\d+)", r"(\1,\2)", body)
    data = ast.literal_eval(body)
    if data == [-1]:
        return MsolveResult(-1, [], 0.0)
    if data[0] == 1:
        return MsolveResult(1, [], 0.0)
    if data[0] != 0:
        raise ValueError(f"unrecognised msolve output starting with {text[:40]!r}")
    sols = data[1][1] if len(data[1]) > 1 else []
    real = [[(_value(a), _value(b)) for a, b in sol] for sol in sols]
    return MsolveResult(0, real, 0.0)


def run_msolve(path: str, threads: int = 1, timeout: float = 600.0, command=None):
    """Real solutions of the msolve file ``path`` by msolve, or ``None`` if msolve is absent."""
    if command is None:
        command = msolve_command()
    if command is None:
        return None
    exe, env = command
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.txt")
        t0 = time.perf_counter()
        subprocess.run([exe, "-t", str(threads), "-f", path, "-o", out], env=env, check=True,
                       capture_output=True, timeout=timeout)
        seconds = time.perf_counter() - t0
        with open(out) as fh:
            res = parse_real_solutions(fh.read())
    res.seconds = seconds
    return res
