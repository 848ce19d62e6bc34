"""Numerical solving seeded and certified by exact data (the hybrid route of ``solve``).

* :mod:`.polyeval` -- vectorised evaluation of a square polynomial system and its Jacobian;
* :mod:`.homotopy` / :mod:`.monodromy` -- path tracking and monodromy solving in complex
  floating point (approximate solutions only, never reported as results by themselves);
* :mod:`.certify` -- Krawczyk certification in ``acb``/``arb`` interval arithmetic:
  a unique solution in each box, boxes pairwise disjoint, real ones proven real.

Completeness comes from the exact side: when the number of certified, pairwise
disjoint solution boxes equals the degree of the ideal (from the Hilbert series of
a Groebner basis mod p), every solution has been found.
"""
