"""Numerical solving seeded and certified by exact data (the hybrid route of ``solve``).

* :mod:`.polyeval` -- vectorised evaluation of a square polynomial system and its Jacobian
  (and its monomial program for the compiled tracker);
* :mod:`.homotopy` -- the numpy path tracker (the reference of the compiled one);
* :mod:`.tracker` -- the compiled tracker (``csrc/track.c`` via ``_track``): many paths per
  call on threads, batches spread over an executor's workers;
* :mod:`.points` -- tolerant point sets (the solution stores);
* :mod:`.monodromy` -- monodromy solving in complex floating point (approximate
  solutions only, never reported as results by themselves);
* :mod:`.certify` -- Krawczyk certification in ``acb``/``arb`` interval arithmetic:
  a unique solution in each box, boxes pairwise disjoint, real ones proven real;
* :mod:`.intervals` -- its fast path's batched kernel: outward-rounded binary64
  interval bounds of ``|I - Y J(X)|`` for many points at once, double-double ``F``.

Completeness comes from the exact side: when the number of certified, pairwise
disjoint solution boxes equals the degree of the ideal (from the Hilbert series of
a Groebner basis mod p), every solution has been found.
"""
