"""Exceptions raised by grobnet.

Every error a user can trigger has a typed exception whose message names the
problem; the C core returns error codes that the Cython layer maps onto these.
"""


class GrobnetError(Exception):
    """Base class of grobnet's own errors."""


class BudgetExceeded(GrobnetError):
    """A time or memory budget given by the caller ran out; the process stays usable."""


class TimeoutExceeded(BudgetExceeded, TimeoutError):
    """The time budget (``timeout=``) ran out."""


class MemoryBudgetExceeded(BudgetExceeded, MemoryError):
    """The memory budget (``max_memory=``) ran out."""


class InterruptedComputation(GrobnetError, KeyboardInterrupt):
    """The computation was interrupted (Ctrl-C)."""


class UnluckyPrimesExhausted(GrobnetError):
    """Too many primes were unlucky for the multimodular lift to finish."""


class OrderingMismatch(GrobnetError):
    """Two variable orders gave different solution sets: a bug or a missed solution."""


class TraceMismatch(GrobnetError):
    """A recorded F4 trace does not fit this prime (an unlucky prime, or other input):
    the caller runs plain F4 instead."""
