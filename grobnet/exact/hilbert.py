"""Hilbert series of monomial ideals, for the exact layer.

The implementation is :mod:`grobnet.engine.hilbert` (one layer down, so that the
Groebner basis results of both fields answer ``dimension`` and ``degree``); this
module re-exports it under its old name.
"""
from grobnet.engine.hilbert import (HilbertSeries, TooManyMonomials, dimension_and_degree,
                                    hilbert_numerator, hilbert_series, standard_monomials)

__all__ = ["HilbertSeries", "hilbert_numerator", "hilbert_series", "dimension_and_degree",
           "standard_monomials", "TooManyMonomials"]
