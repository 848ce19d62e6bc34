"""grobnet: every critical point of a neural network's training loss, exactly.

Pipeline: network -> polynomial system (``grobnet.frontend``) -> F4 mod p
(``grobnet.engine``) -> lift to Q, dimension, RUR, real roots (``grobnet.exact``)
-> critical points (``grobnet.analysis``).  Variable orders are searched and
cross-checked by ``grobnet.ordering``; parallel work goes through
``grobnet.parallel``.
"""
from grobnet._version import __version__
from grobnet.errors import (BudgetExceeded, GrobnetError, InterruptedComputation,
                            MemoryBudgetExceeded, OrderingMismatch, TimeoutExceeded,
                            TraceMismatch, UnluckyPrimesExhausted)
from grobnet.frontend import (L2, Activation, Dataset, GeneralizedL2, Network, PolynomialSystem,
                              PolynomialSyntaxError, from_msolve, gradient_system, loss_polynomial,
                              read_msolve, write_msolve, xor)
from grobnet.engine.groebner import GroebnerBasis, groebner
from grobnet.exact import (ComplexSolution, NotZeroDimensional, RationalGroebnerBasis,
                           RationalUnivariateRepresentation, RealSolution, Solutions,
                           dimension_and_degree, hilbert_series, multimodular_groebner,
                           rational_rur, solve)
from grobnet.analysis import (CriticalPoints, CriticalValues, GaugeFixing, NotHomogeneous,
                              PlotUnavailable, SliceSamples, critical_points, critical_values,
                              gauge_fixed_system, plot_critical_points, slice_samples)

__all__ = [
    "__version__",
    # frontend
    "Network", "Activation", "Dataset", "xor", "L2", "GeneralizedL2", "gradient_system",
    "loss_polynomial", "PolynomialSystem", "PolynomialSyntaxError", "read_msolve", "from_msolve",
    "write_msolve",
    # engine and exact layer
    "groebner", "GroebnerBasis", "solve", "Solutions", "RealSolution", "ComplexSolution",
    "multimodular_groebner", "RationalGroebnerBasis", "rational_rur",
    "RationalUnivariateRepresentation", "NotZeroDimensional", "dimension_and_degree",
    "hilbert_series",
    # analysis
    "critical_points", "CriticalPoints", "critical_values", "CriticalValues",
    "gauge_fixed_system", "GaugeFixing", "NotHomogeneous", "slice_samples", "SliceSamples",
    "plot_critical_points", "PlotUnavailable",
    # errors
    "GrobnetError", "BudgetExceeded", "TimeoutExceeded", "MemoryBudgetExceeded",
    "InterruptedComputation", "UnluckyPrimesExhausted", "OrderingMismatch", "TraceMismatch",
]
