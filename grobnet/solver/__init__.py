"""Orchestration: the user-level calls that choose and combine the routes below.

* :mod:`.solve` -- :func:`solve`, options and dispatch;
* :mod:`.routes` -- the exact and hybrid routes for one variable order, the hand-off
  between them and the route choice;
* :mod:`.orderings` -- solving under a searched variable order, cross-checked;
* :mod:`.solutions` -- the :class:`Solutions` result;
* :mod:`.groebner` -- :func:`groebner` over GF(p) and over Q.
"""
from grobnet.solver.groebner import groebner
from grobnet.solver.solutions import Solutions
from grobnet.solver.solve import solve

__all__ = ["groebner", "solve", "Solutions"]
