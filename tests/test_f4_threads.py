"""The F4 core with threads and with each linear-algebra kernel.

Properties: the basis (and normal forms, traces, replays) does not depend on the
number of threads nor on the kernel (AVX2 / AVX-512 where the CPU has them,
portable C otherwise); budgets, Ctrl-C and bad arguments behave as without
threads.  Oracles: msolve and sympy for the answers themselves (the threaded
runs must match them), the single-threaded portable run for the invariance.
"""
import itertools
import os
import random
import signal
import threading
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grobnet.engine import _core
from grobnet.errors import MemoryBudgetExceeded, TimeoutExceeded
from test_f4_core import _msolve_basis, as_lists, read_ms, sympy_basis

P31 = 2147483629
CONFIGS = [(1, "auto"), (2, "auto"), (4, "auto"), (2, "portable"), (3, "portable")]


def _same(A, B):
    return len(A) == len(B) and all(np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
                                    for a, b in zip(A, B))


@pytest.mark.parametrize("p", [65521, P31])
@pytest.mark.parametrize("name", ["cyclic6.ms", "katsura8.ms", "katsura9.ms",
                                  "nn_121_sq_bias_gl2.ms", "nn_121_sq_bias_l2.ms"])
def test_threads_and_kernels_give_one_basis(name, p):
    names, polys = read_ms(name, p)
    n = len(names)
    ref, _ = _core.f4(polys, n, p, threads=1, kernel="portable")
    for threads, kernel in CONFIGS:
        basis, stats = _core.f4(polys, n, p, threads=threads, kernel=kernel)
        assert _same(basis, ref), (threads, kernel)
        assert stats["basis_size"] == len(ref)


@pytest.mark.parametrize("name", ["katsura8.ms", "nn_121_sq_bias_gl2.ms"])
def test_threaded_basis_equals_msolve(name):
    names, polys = read_ms(name)
    basis, _ = _core.f4(polys, len(names), 65521, threads=2)
    theirs = _msolve_basis(name, names)
    assert sorted(as_lists(basis)) == sorted(theirs)


def _dense_quadrics(seed, nv, p=65521):
    """nv random dense quadrics in nv variables: zero-dimensional with 2^nv solutions
    (Bezout) for almost every choice, so lex and block bases stay small."""
    rng = random.Random(seed)
    mons = [m for m in itertools.product(range(3), repeat=nv) if sum(m) <= 2]
    e = np.array(mons, dtype=np.int32)
    return [(e, np.array([rng.randrange(1, p) for _ in mons], dtype=np.uint32)) for _ in range(nv)]


@pytest.mark.parametrize("order,blocks,nv", [("lex", None, 3), ("lex", None, 5),
                                             ("block", (2, 3), 5)])
def test_threads_other_orders(order, blocks, nv):
    polys = _dense_quadrics(7, nv)
    ref, _ = _core.f4(polys, nv, 65521, order, blocks, threads=1, kernel="portable")
    for threads, kernel in CONFIGS:
        basis, _ = _core.f4(polys, nv, 65521, order, blocks, threads=threads, kernel=kernel)
        assert _same(basis, ref)
    if order == "lex" and nv <= 3:
        assert as_lists(ref) == sympy_basis(polys, nv, "lex")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32), st.integers(2, 5), st.floats(0.2, 1.0), st.sampled_from([65521, P31]))
def test_random_systems_threads_match(seed, nv, density, p):
    """Random quadrics (each monomial of degree <= 2 kept with probability `density`):
    every thread count and kernel gives the portable single-threaded basis, which
    sympy confirms for up to 3 variables."""
    rng = random.Random(seed)
    mons = [m for m in itertools.product(range(3), repeat=nv) if sum(m) <= 2]
    polys = []
    for _ in range(nv):
        kept = [m for m in mons if rng.random() < density] or [mons[-1]]
        polys.append((np.array(kept, dtype=np.int32),
                      np.array([rng.randrange(1, p) for _ in kept], dtype=np.uint32)))
    ref, _ = _core.f4(polys, nv, p, threads=1, kernel="portable")
    for threads, kernel in [(2, "auto"), (3, "auto"), (2, "portable")]:
        basis, _ = _core.f4(polys, nv, p, threads=threads, kernel=kernel)
        assert _same(basis, ref)
    if nv <= 3:
        assert as_lists(ref) == sympy_basis(polys, nv, "grevlex", p)


def test_normal_forms_threads():
    names, polys = read_ms("katsura7.ms")
    n = len(names)
    basis, _ = _core.f4(polys, n, 65521)
    rng = random.Random(1)
    probes = []
    for _ in range(40):
        t = rng.randint(1, 30)
        e = np.zeros((t, n), dtype=np.int32)
        for row in e:                # terms of degree <= 6
            for _ in range(rng.randint(0, 6)):
                row[rng.randrange(n)] += 1
        probes.append((e, np.array([rng.randrange(65521) for _ in range(t)], dtype=np.uint32)))
    ref = _core.normal_forms(basis, probes, n, 65521, threads=1, kernel="portable")
    for threads, kernel in CONFIGS:
        assert _same(_core.normal_forms(basis, probes, n, 65521, threads=threads, kernel=kernel),
                     ref)
    # the inputs reduce to zero
    assert all(len(c) == 0 for _, c in _core.normal_forms(basis, polys, n, 65521, threads=2))


def test_learn_and_replay_with_threads():
    names, polys = read_ms("katsura8.ms", P31)
    n = len(names)
    plain, _ = _core.f4(polys, n, P31)
    basis, _, trace = _core.f4_learn(polys, n, P31, threads=2)
    assert _same(basis, plain)
    names, polys2 = read_ms("katsura8.ms", 2147483587)
    ref, _ = _core.f4(polys2, n, 2147483587)
    for threads in (1, 2, 4):
        replayed, _ = _core.f4_apply(trace, polys2, 2147483587, threads=threads)
        assert _same(replayed, ref)


@pytest.mark.parametrize("bad", [0, -1, 2.0, "2", True, 5000])
def test_bad_threads(bad):
    names, polys = read_ms("cyclic5.ms")
    with pytest.raises(ValueError, match="threads"):
        _core.f4(polys, len(names), 65521, threads=bad)


def test_bad_kernel():
    names, polys = read_ms("cyclic5.ms")
    with pytest.raises(ValueError, match="kernel"):
        _core.f4(polys, len(names), 65521, kernel="avx9")


def test_budgets_with_threads():
    names, polys = read_ms("katsura10.ms")
    t0 = time.monotonic()
    with pytest.raises(TimeoutExceeded):
        _core.f4(polys, len(names), 65521, threads=2, timeout=0.2)
    assert time.monotonic() - t0 < 3
    with pytest.raises(MemoryBudgetExceeded):
        _core.f4(polys, len(names), 65521, threads=2, max_memory=3_000_000)
    names, polys = read_ms("cyclic5.ms")
    ref, _ = _core.f4(polys, len(names), 65521)
    assert _same(_core.f4(polys, len(names), 65521, threads=2)[0], ref)


def test_interrupt_with_threads_is_prompt():
    names, polys = read_ms("katsura10.ms")
    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    t0 = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            _core.f4(polys, len(names), 65521, threads=2)
    finally:
        timer.cancel()
    assert time.monotonic() - t0 < 5


def test_progress_exception_with_threads():
    names, polys = read_ms("katsura8.ms")

    class Stop(Exception):
        pass

    def stop(r, *args):
        if r >= 3:
            raise Stop()

    with pytest.raises(Stop):
        _core.f4(polys, len(names), 65521, threads=2, progress=stop)


def test_modp_wrappers_pass_threads():
    from grobnet.engine import modp
    names, polys = read_ms("katsura7.ms")
    n = len(names)
    ref, _ = modp.f4(polys, n, 65521)
    assert _same(modp.f4(polys, n, 65521, threads=2)[0], ref)
    basis, _, trace = modp.f4_learn(polys, n, 65521, threads=2)
    assert _same(basis, ref)
    names, polys2 = read_ms("katsura7.ms", 32003)
    assert _same(modp.f4_apply(trace, polys2, 32003, threads=2)[0], modp.f4(polys2, n, 32003)[0])
    assert all(len(c) == 0 for _, c in modp.normal_forms(ref, polys, n, 65521, threads=2))
    with pytest.raises(ValueError, match="threads"):
        modp.f4(polys, n, 65521, threads=0)
