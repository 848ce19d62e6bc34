"""Which grobnet the benchmarks run: this checkout's when it is built in place, else the installed one.

A fresh clone installed with ``pip install .`` has no compiled extensions in its source
tree, so its ``grobnet/`` folder must not shadow the installed package; a
developer's checkout built with ``python setup.py build_ext --inplace`` is
measured as it is, before any installed copy.  Every script calls
:func:`use_checkout_build` before it imports grobnet, and so do the child
processes (``worker.py``, ``bench_networks.py --worker``), so that a parent and
its children always run the same grobnet.
"""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


#: the compiled extensions an in-place build puts into the source tree (setup.py builds both)
EXTENSIONS = (("engine", "_core"), ("numeric", "_track"))


def checkout_is_built() -> bool:
    """Whether this checkout holds every compiled extension (an in-place build): the F4
    core in ``grobnet/engine`` and the path tracker in ``grobnet/numeric``."""
    def built(folder, name):
        where = REPO / "grobnet" / folder
        return any(where.glob(f"{name}*.so")) or any(where.glob(f"{name}*.pyd"))
    return all(built(folder, name) for folder, name in EXTENSIONS)


def use_checkout_build() -> bool:
    """Put this checkout first on ``sys.path`` when it is built in place; returns whether it did."""
    if not checkout_is_built():
        return False
    root = str(REPO)
    if root in sys.path:
        sys.path.remove(root)
    sys.path.insert(0, root)
    return True
