"""Exact computations over Q: multimodular lifting, dimension and degree, RUR, real roots.

Stages (each a module with one job):

* :mod:`.hilbert` -- Hilbert series of the leading monomials: dimension, degree,
  normal set;
* :mod:`.probe` -- the shared dimension/degree probe (F4 modulo random primes);
* :mod:`.orders` -- candidate variable orders and their probes;
* :mod:`.crt`, :mod:`.multimodular` -- CRT and rational reconstruction, the lifting
  loop with unlucky-prime detection;
* :mod:`.lift` -- reduced Groebner bases over Q (:func:`multimodular_groebner`);
* :mod:`.multiplication`, :mod:`.fglm`, :mod:`.rur`, :mod:`.rur_lift` --
  multiplication matrices, FGLM to lex, the RUR mod p and over Q;
* :mod:`.realroots` -- certified real (and complex) solution boxes;
* :mod:`.reduction` -- exact reduction over Q (verification);
* :mod:`.msolve_output` -- reading msolve's answers (for comparisons with the peer).

The GF(p) engine is reached through :mod:`grobnet.engine`; solving with a choice of
routes is the orchestration layer's job (:mod:`grobnet.solver`).
"""
from grobnet.exact.hilbert import HilbertSeries, dimension_and_degree, hilbert_series
from grobnet.exact.lift import RationalGroebnerBasis, multimodular_groebner
from grobnet.exact.rur_lift import (NotZeroDimensional, RationalUnivariateRepresentation,
                                    rational_rur)

__all__ = [
    "HilbertSeries", "hilbert_series", "dimension_and_degree",
    "RationalGroebnerBasis", "multimodular_groebner",
    "RationalUnivariateRepresentation", "rational_rur", "NotZeroDimensional",
]
