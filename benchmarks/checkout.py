"""Which grobnet the benchmarks run: this checkout's when it is built in place, else the installed one.

A fresh clone installed with ``pip install .`` has no compiled core in its source
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


def checkout_is_built() -> bool:
    """Whether this checkout's ``grobnet/engine`` holds a compiled core (an in-place build)."""
    engine = REPO / "grobnet" / "engine"
    return any(engine.glob("_core*.so")) or any(engine.glob("_core*.pyd"))


def use_checkout_build() -> bool:
    """Put this checkout first on ``sys.path`` when it is built in place; returns whether it did."""
    if not checkout_is_built():
        return False
    root = str(REPO)
    if root in sys.path:
        sys.path.remove(root)
    sys.path.insert(0, root)
    return True
