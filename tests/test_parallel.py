"""The executor interface: serial, process pool and Dask give identical, ordered results.

Also end to end: ``grobnet.solve`` gives the same answer on every executor, with the
multimodular primes and the ordering probes running on the process pool or the Dask
cluster (a ``LocalCluster`` of 2 worker processes).
"""
import functools
import time

import pytest

import grobnet
from grobnet.frontend import GeneralizedL2, Network, gradient_system, xor

from grobnet.errors import TimeoutExceeded
from grobnet.parallel import (AutoExecutor, DaskExecutor, ProcessExecutor, SerialExecutor,
                              get_executor)

JOB = functools.partial(pow, 3)  # picklable by reference in every worker kind
ITEMS = list(range(40))
EXPECTED = [3 ** k for k in ITEMS]  # computed independently of any executor


def test_serial_process_dask_agree(pool, dask_client):
    for ex in (SerialExecutor(), pool, get_executor(dask_client)):
        assert ex.map(JOB, ITEMS) == EXPECTED, repr(ex)


def test_job_exception_propagates(pool):
    for ex in (SerialExecutor(), pool):
        with pytest.raises(ValueError):
            ex.map(int, ["1", "x", "3"])
    assert pool.map(JOB, [2]) == [9]  # the pool is usable after a failure


@pytest.mark.parametrize("kind", ["serial", "processes", "dask"])
def test_timeout_raises_and_executor_stays_usable(kind, pool, dask_client):
    ex = {"serial": SerialExecutor(), "processes": pool, "dask": get_executor(dask_client)}[kind]
    t0 = time.monotonic()
    with pytest.raises(TimeoutExceeded):
        ex.map(time.sleep, [0.05, 3.0, 3.0, 3.0], timeout=0.5)
    assert time.monotonic() - t0 < (4.0 if kind == "serial" else 2.5)
    assert ex.map(JOB, [1, 2]) == [3, 9]


def test_get_executor_normalises_and_rejects():
    assert isinstance(get_executor("serial"), SerialExecutor)
    assert isinstance(get_executor("auto"), AutoExecutor)    # serial, then a pool if long
    assert isinstance(get_executor(None), ProcessExecutor)
    ex = SerialExecutor()
    assert get_executor(ex) is ex
    with pytest.raises(ValueError, match="unknown executor 'threads'"):
        get_executor("threads")
    with pytest.raises(ValueError, match="workers must be a positive integer"):
        ProcessExecutor(0)
    with pytest.raises(TypeError, match="Client"):
        DaskExecutor(object())
    with pytest.raises(ValueError, match="timeout must be positive"):
        SerialExecutor().map(JOB, [1], timeout=0)
    assert SerialExecutor().map(JOB, []) == []


# ---------------------------------------------------------------------------------------------
# grobnet.solve on every executor

@pytest.fixture(scope="module")
def xor_system():
    # XOR net [2,2,1], identity, generalized L2: 33 complex, 3 real critical points
    return gradient_system(Network([2, 2, 1], activation="identity"), xor(), reg=GeneralizedL2(seed=1))


def _fingerprint(s):
    """Everything exact about an answer: the RUR's polynomials and the boxes' exact centres."""
    r = s.rur
    return (s.variables, s.dimension, s.degree, tuple(r.linear_form), r.elim, r.denominator,
            tuple(r.numerators), [sol.midpoint() for sol in s.real], [sol.width() for sol in s.real])


def _pair_up(a, b):
    if len(a) != len(b):
        return False
    free = list(range(len(b)))
    for s in a:
        hits = [j for j in free if all(x.overlaps(y) for x, y in zip(s.intervals, b[j].intervals))]
        if len(hits) != 1:
            return False
        free.remove(hits[0])
    return True


def test_solve_is_identical_on_serial_pool_and_dask(xor_system, pool, dask_client):
    # one seed: the same primes and separating form (each call draws fresh ones otherwise);
    # the exact route pinned (method="auto" may pick the hybrid route, which has no RUR,
    # when an executor makes path tracking cheaper)
    ref = grobnet.solve(xor_system, executor="serial", seed=7, method="exact")
    assert ref.complete and ref.degree == 33 and ref.check(xor_system.equations)
    for ex in (pool, dask_client, get_executor(dask_client)):
        s = grobnet.solve(xor_system, executor=ex, seed=7, method="exact")
        assert s.complete and _fingerprint(s) == _fingerprint(ref), repr(ex)
        assert s.rur.stats["executor"].startswith(("ProcessExecutor", "DaskExecutor"))
    assert ref.rur.stats["executor"].startswith("SerialExecutor")


def test_ordering_search_runs_probes_and_primes_on_dask(xor_system, pool, dask_client):
    distributed = pytest.importorskip("distributed")
    # one seed: the same candidate orders (random ones are dropped when they coincide with a
    # named one, so the number of probes varies with the seed) and the same primes
    ref = grobnet.solve(xor_system, orderings="auto", executor="serial", seed=11)
    with distributed.get_task_stream(dask_client) as ts:
        s = grobnet.solve(xor_system, orderings="auto", executor=dask_client, seed=11)
    keys = [str(t["key"]) for t in ts.data]
    n_probes = len(s.stats["ordering"]["probes"])
    assert sum("probe_order" in k for k in keys) == n_probes >= 5
    assert sum("_rur_image" in k for k in keys) >= 2 * 2   # two solves, >= 2 primes each
    p = grobnet.solve(xor_system, orderings="auto", executor=pool, seed=11)
    for other in (s, p):
        assert other.complete and (other.dimension, other.degree) == (ref.dimension, ref.degree)
        assert other.stats["ordering"]["cross_check"]["status"] == "agreed"
        assert _pair_up(other.real, ref.real)
        assert [r["degree"] for r in other.stats["ordering"]["probes"]] == \
               [r["degree"] for r in ref.stats["ordering"]["probes"]]
