"""Exact solving over Q: multimodular lifting, dimension and degree, RUR, certified real roots.

Stages (each a module with one job):

* :mod:`.modular` -- the door to a GF(p) Groebner engine (grobnet's F4, or a
  sympy reference), conversions and monomial orders;
* :mod:`.hilbert` -- Hilbert series of the leading monomials: dimension, degree,
  normal set;
* :mod:`.primes`, :mod:`.crt`, :mod:`.multimodular` -- random primes, CRT and
  rational reconstruction, the lifting loop with unlucky-prime detection;
* :mod:`.lift` -- reduced Groebner bases over Q (:func:`multimodular_groebner`);
* :mod:`.multiplication`, :mod:`.fglm`, :mod:`.rur`, :mod:`.rur_lift` --
  multiplication matrices, FGLM to lex, the RUR mod p and over Q;
* :mod:`.realroots` -- certified real (and complex) solution boxes;
* :mod:`.solve` -- :func:`solve`, the whole chain.

Submodules are imported lazily by their users; this package only re-exports the
public entry points.
"""
from grobnet.exact.hilbert import HilbertSeries, dimension_and_degree, hilbert_series
from grobnet.exact.lift import RationalGroebnerBasis, multimodular_groebner
from grobnet.exact.realroots import ComplexSolution, RealSolution
from grobnet.exact.rur_lift import (NotZeroDimensional, RationalUnivariateRepresentation,
                                    rational_rur)
from grobnet.exact.solve import Solutions, solve

__all__ = [
    "HilbertSeries", "hilbert_series", "dimension_and_degree",
    "RationalGroebnerBasis", "multimodular_groebner",
    "RationalUnivariateRepresentation", "rational_rur", "NotZeroDimensional",
    "RealSolution", "ComplexSolution", "Solutions", "solve",
]
