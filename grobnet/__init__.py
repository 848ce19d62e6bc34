"""grobnet: every critical point of a neural network's training loss, exactly.

Layers, bottom to top: shared types and helpers (``grobnet.common``, ``errors``,
``parallel``) -> network and polynomial system (``grobnet.frontend``) -> F4 mod p
(``grobnet.engine``) -> lift to Q, dimension, RUR, real roots (``grobnet.exact``) and
numerical solving with certification (``grobnet.numeric``) -> orchestration:
``solve``, routes, variable-order search and cross-check, ``groebner``
(``grobnet.solver``) -> critical points and values (``grobnet.analysis``) -> command
line (``grobnet.cli``).
"""
from grobnet._version import __version__
from grobnet.analysis import (CriticalPoints, CriticalValues, GaugeFixing, NotHomogeneous,
                              PlotUnavailable, SliceSamples, critical_points, critical_values,
                              gauge_fixed_system, plot_critical_points, slice_samples)
from grobnet.common.boxes import ComplexSolution, RealSolution
from grobnet.engine.basis import GroebnerBasis, IncompleteBasis
from grobnet.engine.groebner import ModularGroebnerBasis
from grobnet.errors import (BudgetExceeded, GrobnetError, InterruptedComputation,
                            MemoryBudgetExceeded, OrderingMismatch, TimeoutExceeded, TraceMismatch,
                            UnluckyPrimesExhausted)
from grobnet.exact import (NotZeroDimensional, RationalGroebnerBasis,
                           RationalUnivariateRepresentation, dimension_and_degree, hilbert_series,
                           multimodular_groebner, rational_rur)
from grobnet.frontend import (L2, Activation, Dataset, GeneralizedL2, Network,
                              PolynomialSyntaxError, PolynomialSystem, from_msolve, gradient_system,
                              loss_polynomial, read_msolve, write_msolve, xor)
from grobnet.solver import Solutions, groebner, solve

__all__ = [
    "__version__",
    # frontend
    "Network", "Activation", "Dataset", "xor", "L2", "GeneralizedL2", "gradient_system",
    "loss_polynomial", "PolynomialSystem", "PolynomialSyntaxError", "read_msolve", "from_msolve",
    "write_msolve",
    # engine and exact layer
    "groebner", "GroebnerBasis", "ModularGroebnerBasis", "IncompleteBasis", "solve", "Solutions", "RealSolution", "ComplexSolution",
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
