# C declarations of grobnet's core (csrc/).  Cython modules cimport exactly these names.
from libc.stdint cimport int32_t, int64_t, uint32_t, uint64_t

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
        GB_ORDER_GRLEX
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

cdef extern from "grobnet_f4.h":
    ctypedef int (*gb_poll_fn)(void *data) noexcept nogil
    ctypedef int (*gb_progress_fn)(void *data, int64_t round, int64_t degree, int64_t rows,
                                   int64_t cols) noexcept nogil
    ctypedef struct gb_options:
        gb_order order
        uint32_t modulus
        double timeout
        int64_t max_memory
        double poll_interval
        gb_poll_fn poll
        void *poll_data
        gb_progress_fn progress
        void *progress_data
        int32_t threads
        int32_t simd
        int32_t la_mode
        double la_auto_work
        uint64_t la_seed
    ctypedef struct gb_stats:
        int64_t rounds
        int64_t max_rows
        int64_t max_cols
        int64_t max_nnz
        int64_t pairs_total
        int64_t pairs_removed
        int64_t basis_size
        int64_t peak_memory
        double time_total
        double time_update
        double time_symbolic
        double time_convert
        double time_linalg
        double time_interreduce
        int64_t la_prob_rounds
        int64_t la_zero_checks
        int32_t trace_dropped
    ctypedef struct gb_polys:
        int64_t npolys
        int32_t nvars
        int64_t *lens
        int32_t *exps
        uint32_t *cfs
    int gb_is_prime(uint64_t n) nogil
    int gb_f4(const gb_options *opt, const gb_polys *inp, gb_polys *out, gb_stats *stats) nogil
    int gb_normal_forms(const gb_options *opt, const gb_polys *basis, const gb_polys *inp,
                        gb_polys *out, gb_stats *stats) nogil
    int gb_check_basis(const gb_options *opt, const gb_polys *basis, const gb_polys *inp,
                       int randomized, uint64_t seed, int *is_gb, gb_stats *stats) nogil
    void gb_polys_free(gb_polys *p) nogil

cdef extern from "krylov.h":
    int gb_krylov_solve(uint32_t p, int64_t D, const uint32_t *Mt, int64_t nrhs,
                        const uint32_t *rhs, uint32_t *solutions) nogil
    int gb_power_projections(uint32_t p, int64_t D, const uint32_t *Mt, const uint32_t *r,
                             int64_t nrhs, const uint32_t *rhs, uint32_t *seq,
                             uint32_t *proj) nogil
    int64_t gb_berlekamp_massey(uint32_t p, int64_t n, const uint32_t *s, uint32_t *out) nogil

cdef extern from "grobnet_f4.h":
    ctypedef struct gb_trace:
        pass
    int gb_f4_learn(const gb_options *opt, const gb_polys *inp, gb_polys *out, gb_stats *stats,
                    gb_trace **trace) nogil
    int gb_f4_apply(const gb_options *opt, const gb_trace *trace, const gb_polys *inp,
                    gb_polys *out, gb_stats *stats) nogil
    void gb_trace_free(gb_trace *trace)
    int64_t gb_trace_rounds(const gb_trace *trace)
    int64_t gb_trace_bytes(const gb_trace *trace)
