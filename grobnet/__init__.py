"""grobnet: every critical point of a neural network's training loss, exactly.

Pipeline: network -> polynomial system (``grobnet.frontend``) -> F4 mod p
(``grobnet.engine``) -> lift to Q, dimension, RUR, real roots (``grobnet.exact``)
-> critical points (``grobnet.analysis``).
"""
from grobnet._version import __version__
from grobnet.errors import (BudgetExceeded, GrobnetError, InterruptedComputation,
                            MemoryBudgetExceeded, OrderingMismatch, TimeoutExceeded,
                            UnluckyPrimesExhausted)

__all__ = [
    "__version__",
    "GrobnetError", "BudgetExceeded", "TimeoutExceeded", "MemoryBudgetExceeded",
    "InterruptedComputation", "UnluckyPrimesExhausted", "OrderingMismatch",
]
