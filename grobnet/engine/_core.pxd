# C declarations of grobnet's core (csrc/).  Cython modules cimport exactly these names.
from libc.stdint cimport int32_t, int64_t, uint32_t

cdef extern from "gb_errors.h":
    int GB_OK
    int GB_ERR_NOMEM
    int GB_ERR_ARG
    int GB_ERR_ORDER
    int GB_ERR_MODULUS
    int GB_ERR_OVERFLOW
    int GB_ERR_INTERRUPT
    int GB_ERR_TIMEOUT
    int GB_ERR_MEMORY_BUDGET
    int GB_ERR_TRACE

cdef extern from "monomial_order.h":
    ctypedef enum gb_order_kind:
        GB_ORDER_GREVLEX
        GB_ORDER_LEX
        GB_ORDER_BLOCK
    int GB_MAX_BLOCKS
    ctypedef struct gb_order:
        gb_order_kind kind
        int32_t nvars
        int32_t nblocks
        int32_t block_size[64]
    int gb_order_init(gb_order *ord, gb_order_kind kind, int32_t nvars,
                      int32_t nblocks, const int32_t *block_size)
    int64_t gb_monomial_degree(const int32_t *a, int32_t nvars)
    int gb_monomial_cmp(const gb_order *ord, const int32_t *a, const int32_t *b)
    int gb_monomial_divides(const int32_t *a, const int32_t *b, int32_t nvars)
    int gb_monomial_sort_desc(const gb_order *ord, const int32_t *exps, int64_t n, int64_t *perm) nogil
