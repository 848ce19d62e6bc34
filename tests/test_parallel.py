"""The executor interface: serial, process pool and Dask give identical, ordered results."""
import functools
import time

import pytest

from grobnet.errors import TimeoutExceeded
from grobnet.parallel import (DaskExecutor, ProcessExecutor, SerialExecutor,
                              get_executor)

JOB = functools.partial(pow, 3)  # picklable by reference in every worker kind
ITEMS = list(range(40))
EXPECTED = [3 ** k for k in ITEMS]  # computed independently of any executor


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


@pytest.fixture(scope="module")
def pool():
    ex = ProcessExecutor(2)
    yield ex
    ex.close()


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
