# cython: language_level=3
"""Thin typed wrappers over grobnet's C core (``csrc/``).

Only this module touches raw arrays; everything above it speaks python-flint
polynomials.  Errors from C come back as integer codes and are raised here as
typed Python exceptions.
"""
import numpy as np
cimport numpy as cnp
from libc.stdint cimport int32_t, int64_t

from grobnet.errors import (GrobnetError, InterruptedComputation, MemoryBudgetExceeded,
                            TimeoutExceeded)

cnp.import_array()

_ORDER_KINDS = {"grevlex": GB_ORDER_GREVLEX, "lex": GB_ORDER_LEX, "block": GB_ORDER_BLOCK}


cdef int raise_for_code(int code) except -1:
    """Map a C error code to a typed Python exception."""
    if code == GB_OK:
        return 0
    if code == GB_ERR_NOMEM:
        raise MemoryError("grobnet core: out of memory")
    if code == GB_ERR_ARG:
        raise ValueError("grobnet core: invalid argument")
    if code == GB_ERR_ORDER:
        raise ValueError("grobnet core: unknown or malformed monomial order")
    if code == GB_ERR_MODULUS:
        raise ValueError("grobnet core: modulus is not a prime below 2^31")
    if code == GB_ERR_OVERFLOW:
        raise OverflowError("grobnet core: exponent overflow")
    if code == GB_ERR_INTERRUPT:
        raise KeyboardInterrupt("grobnet core: computation interrupted")
    if code == GB_ERR_TIMEOUT:
        raise TimeoutExceeded("grobnet core: time budget exceeded")
    if code == GB_ERR_MEMORY_BUDGET:
        raise MemoryBudgetExceeded("grobnet core: memory budget exceeded")
    raise GrobnetError(f"grobnet core: error code {code}")


cdef int make_order(gb_order *ord, str order, int nvars, object blocks) except -1:
    """Fill a C order struct from the Python description (name and block sizes)."""
    cdef int32_t sizes[64]
    cdef int nb = 0
    if order not in _ORDER_KINDS:
        raise ValueError(f"unknown monomial order {order!r}; expected one of {sorted(_ORDER_KINDS)}")
    if order == "block":
        blocks = tuple(int(b) for b in (blocks or ()))
        if not 1 <= len(blocks) <= GB_MAX_BLOCKS:
            raise ValueError(f"a block order needs 1..{GB_MAX_BLOCKS} blocks, got {len(blocks)}")
        if any(b < 1 for b in blocks) or sum(blocks) != nvars:
            raise ValueError(f"block sizes {blocks} must be positive and sum to the {nvars} variables")
        nb = len(blocks)
        for i in range(nb):
            sizes[i] = blocks[i]
    raise_for_code(gb_order_init(ord, _ORDER_KINDS[order], nvars, nb, sizes))
    return 0


def sort_monomials(exps, str order="grevlex", blocks=None):
    """Permutation sorting the rows of ``exps`` (an ``(n, nvars)`` integer array) decreasingly.

    Uses the C core's monomial comparison, so the Python side and the F4 engine
    agree on every order.
    """
    cdef cnp.ndarray[int32_t, ndim=2, mode="c"] e = np.ascontiguousarray(exps, dtype=np.int32)
    cdef int64_t n = e.shape[0]
    cdef gb_order ord
    make_order(&ord, order, <int>e.shape[1], blocks)
    cdef cnp.ndarray[int64_t, ndim=1] perm = np.empty(n, dtype=np.int64)
    cdef int code
    if n == 0:
        return perm
    with nogil:
        code = gb_monomial_sort_desc(&ord, &e[0, 0], n, &perm[0])
    raise_for_code(code)
    return perm


def compare_monomials(a, b, str order="grevlex", blocks=None):
    """-1, 0 or 1 as monomial ``a`` is smaller than, equal to, or larger than ``b``."""
    cdef cnp.ndarray[int32_t, ndim=1] x = np.ascontiguousarray(a, dtype=np.int32)
    cdef cnp.ndarray[int32_t, ndim=1] y = np.ascontiguousarray(b, dtype=np.int32)
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"monomials of different lengths {x.shape[0]} and {y.shape[0]}")
    cdef gb_order ord
    make_order(&ord, order, <int>x.shape[0], blocks)
    if x.shape[0] == 0:
        return 0
    return gb_monomial_cmp(&ord, &x[0], &y[0])
