/* Every data structure of the F4 core, with the prototypes of the functions
 * each step file (alloc.c, context.c, threads.c, hash.c, pairs.c, symbolic.c,
 * matrix.c, linalg.c, basis.c, f4.c, trace.c, check.c) exports to the others.
 *
 * Everything a computation touches hangs off one gb_ctx, created and freed
 * by interface.c: no global mutable state, and freeing the context releases
 * all memory (and stops its worker threads) on every exit path, error or not.
 */
#ifndef GROBNET_GB_DATA_H
#define GROBNET_GB_DATA_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "gb_errors.h"
#include "grobnet_f4.h"
#include "monomial_order.h"

typedef uint16_t gb_exp;            /* one exponent in the hash table */
#define GB_MAX_EXP 65535            /* bound on every exponent of every monomial (it fits gb_exp) */
#define GB_MAX_DEGREE GB_MAX_EXP   /* old name of the same bound (trace.c's per-exponent check) */
#define GB_MAX_VARS 16384           /* bound on variables: a total degree (<= GB_MAX_VARS * GB_MAX_EXP) and a sum of two fit int32 */

/* ---- monomial hash table (hash.c) ---- */
typedef struct {
    int32_t nv;          /* number of variables */
    gb_exp *ev;          /* exponent vectors, nv per monomial; id 0 is an unused dummy */
    int32_t *deg;        /* total degree per monomial */
    uint32_t *hv;        /* hash value per monomial, linear in the exponents: h(ab) = h(a) + h(b) */
    uint32_t *dm;        /* divisibility mask per monomial (a | b implies dm[a] & ~dm[b] == 0) */
    int32_t *idx;        /* scratch per monomial: marker, then column index, while a matrix is built */
    int32_t n;           /* monomials stored, the dummy included */
    int32_t cap;         /* capacity of the per-monomial arrays */
    int32_t *map;        /* open-addressing slots holding monomial ids, 0 = empty */
    uint32_t msize;      /* number of slots, a power of two */
    int32_t mshift;      /* 32 - log2(msize), for multiplicative slot hashing */
    uint32_t *rnd;       /* random odd multiplier per variable, defines hv */
    int32_t dm_nv;       /* variables taking part in the divmask */
    int32_t dm_bits;     /* divmask bits per such variable (bit k: exponent > k) */
} gb_htable;

/* ---- polynomials and the basis (basis.c) ---- */
typedef struct {
    int32_t len;         /* number of terms */
    int32_t *mon;        /* hash ids of the terms, decreasing */
    uint32_t *cf;        /* coefficients; cf[0] == 1 for basis elements */
    int32_t red;         /* 1 once a divisor of our leading monomial makes us useless as a reducer */
    int32_t tdeg;        /* largest total degree of a term (the leading one's under grevlex) */
} gb_poly;

typedef struct {
    gb_poly *p;          /* elements, in insertion order (pairs refer to these indices) */
    int32_t n;           /* number of elements */
    int32_t cap;         /* capacity of p */
    int32_t *lml;        /* indices of the non-redundant elements (the reducer candidates) */
    int32_t *lml_mon;    /* their leading monomials */
    uint32_t *lml_dm;    /* divmasks of those leading monomials */
    int32_t nlml;        /* number of non-redundant elements */
    int32_t caplml;      /* capacity of the lml arrays */
} gb_basis;

/* ---- critical pairs (pairs.c) ---- */
typedef struct {
    int32_t i, j;        /* basis indices, i < j */
    int32_t lcm;         /* hash id of lcm(lm(g_i), lm(g_j)) */
    int32_t deg;         /* selection key: largest total degree of the pair's two rows; -1 = dropped */
    int32_t prod;        /* 1 if the leading monomials are coprime (product criterion) */
} gb_pair;

typedef struct {
    gb_pair *p;          /* the pairs */
    int64_t n;           /* number of pairs */
    int64_t cap;         /* capacity */
} gb_pairset;

/* ---- matrices (symbolic.c builds, matrix.c converts, linalg.c reduces) ---- */
typedef struct {
    int32_t len;         /* number of terms */
    int32_t *col;        /* hash ids during symbolic preprocessing, column indices afterwards (increasing) */
    const uint32_t *cf;  /* coefficients, borrowed from a basis element or input row unless own != NULL */
    uint32_t *own;       /* coefficient array owned by this row, or NULL */
    int32_t src;         /* basis index of the multiplied element, or -1 for an input row (trace) */
} gb_row;

typedef struct {
    gb_row *rd;          /* known pivots (reducers), pairwise distinct leading columns */
    int64_t nrd, caprd;  /* count and capacity of rd */
    gb_row *tr;          /* rows to reduce */
    int64_t ntr, captr;  /* count and capacity of tr */
    int32_t *cm;         /* column -> hash id (after conversion: decreasing monomials) */
    int32_t ncols;       /* number of columns */
    int64_t capc;        /* capacity of cm */
    gb_row *np;          /* rows produced by the linear algebra (own col and cf arrays) */
    int64_t nnp, capnp;  /* count and capacity of np */
    int64_t nnz;         /* nonzero entries of rd and tr */
} gb_matrix;

/* What the linear algebra does with the rows to reduce. */
typedef enum {
    GB_LA_ECHELON = 0,   /* F4 round: reduce, and echelon the rest; new pivots come out in np */
    GB_LA_NORMAL = 1,    /* normal forms: reduce each row by the known pivots only; np[k] is tr[k]'s form */
    GB_LA_TAIL = 2       /* inter-reduction: like NORMAL but each row keeps its leading term */
} gb_la_mode;

/* ---- worker threads (threads.c) ---- */
struct gb_ctx;
/* One item of a parallel job: item number `item`, run by worker `worker` (0 = the
 * calling thread); returns GB_OK or an error code, which stops the job. */
typedef int (*gb_task_fn)(struct gb_ctx *c, void *arg, int64_t item, int worker);

typedef struct {
    pthread_t *tid;      /* the worker threads */
    int nworkers;        /* workers running (threads - 1 unless creation failed) */
    pthread_mutex_t mu;  /* guards the fields below except next and err */
    pthread_cond_t wake; /* workers wait here for a job or for quit */
    pthread_cond_t done; /* the caller waits here for the workers to leave a job */
    uint64_t gen;        /* job number, bumped when a job is posted */
    int quit;            /* 1: workers exit */
    int busy;            /* workers still inside the current job */
    gb_task_fn fn;       /* the current job's item function */
    void *arg;           /* its argument */
    int64_t n;           /* its number of items */
    int64_t next;        /* next item to hand out (atomic) */
    int err;             /* first error of the job or of the caller's poll (atomic); stops handing out items */
} gb_pool;

/* Per-thread scratch of the linear algebra (linalg.c). */
typedef struct {
    uint32_t *acc;       /* GB_LANES interleaved dense rows (entry (col, lane) at col*GB_LANES+lane), zero between uses */
    int64_t acc_cap;     /* entries of acc */
    int32_t *ocol;       /* GB_LANES output column buffers, out_cap entries each */
    uint32_t *ocf;       /* GB_LANES output coefficient buffers, out_cap entries each */
    int64_t out_cap;     /* entries per lane of ocol and ocf */
} gb_scratch;

/* ---- the context of one computation (context.c) ---- */
typedef struct gb_ctx {
    gb_options opt;      /* caller's options (order, modulus, budgets, callbacks) */
    int32_t nv;          /* number of variables */
    uint32_t p;          /* the prime */
    gb_htable ht;        /* all monomials of the computation */
    gb_basis bs;         /* the basis under construction */
    gb_pairset ps;       /* pending critical pairs */
    gb_pairset sel;      /* pairs selected for the current round */
    gb_pairset np;       /* scratch: new pairs of one update */
    gb_matrix mat;       /* the current matrix */
    gb_stats st;         /* statistics, copied to the caller at the end */
    int64_t mem_cur;     /* bytes currently allocated through gb_malloc (atomic) */
    int err;             /* code of the last failed allocation, NOMEM or MEMORY_BUDGET (atomic) */
    double t0;           /* start time */
    double deadline;     /* absolute deadline, 0 = none */
    double last_poll;    /* time of the last poll callback */
    int inconsistent;    /* 1 once the constant 1 is in the ideal */
    int lazy;            /* linear algebra may accumulate without reduction (small p) */
    int32_t dense_hi;    /* last possibly nonzero column of the dense row being reduced */
    gb_exp *ubuf;        /* scratch exponent vector (multipliers, lcms) */
    int32_t *ibuf;       /* scratch int32 buffer, ibuf_cap entries */
    int64_t ibuf_cap;
    int64_t *dense;      /* dense accumulation row of the linear algebra, dense_cap entries */
    int64_t dense_cap;
    int32_t *gcol;       /* scratch columns for collecting a reduced row */
    uint32_t *gcf;       /* scratch coefficients for collecting a reduced row */
    int64_t gcap;        /* capacity of gcol */
    int64_t gcf_cap;     /* capacity of gcf */
    gb_pool *pool;       /* worker threads, NULL while serial (opt.threads <= 1, or no large matrix yet) */
    gb_scratch *scr;     /* linear-algebra scratch per thread (caller first), nscr of them */
    int nscr;            /* entries of scr */
    int nthreads;        /* threads taking part in parallel jobs, the caller included */
    int want_threads;    /* opt.threads: the pool starts with the first matrix large enough */
    gb_trace *trace;     /* learning run: the trace being recorded (trace.c), else NULL */
    uint8_t *tr_kept;    /* learning run: per row to reduce, 1 if it gave a new pivot */
    int la_prob;         /* 1: this round's linear algebra uses random combinations */
    uint64_t la_rng;     /* state of the combinations' generator (xorshift64) */
    int64_t tr_kept_cap;
} gb_ctx;

/* alloc.c (thread-safe: workers allocate through the same context) */
void *gb_malloc(gb_ctx *c, size_t n);
void *gb_calloc(gb_ctx *c, size_t n);
void *gb_realloc(gb_ctx *c, void *ptr, size_t n);
void gb_free(gb_ctx *c, void *ptr);
int gb_grow(gb_ctx *c, void **ptr, int64_t *cap, int64_t need, size_t elem);
int gb_alloc_error(gb_ctx *c);   /* code of the last failed allocation (NOMEM or MEMORY_BUDGET) */

/* threads.c */
int gb_pool_start(gb_ctx *c, int threads);
void gb_pool_stop(gb_ctx *c);
/* gb_parallel's items all on the calling thread (worker 0), polling between items. */
int gb_serial(gb_ctx *c, int64_t n, gb_task_fn fn, void *arg);
int gb_parallel(gb_ctx *c, int64_t n, gb_task_fn fn, void *arg);

/* context.c */
double gb_now(void);
int gb_check(gb_ctx *c);
uint32_t gb_inverse(uint32_t a, uint32_t p);
int gb_ctx_init(gb_ctx *c, const gb_options *opt, int32_t nvars);
void gb_ctx_free(gb_ctx *c);

/* hash.c */
int gb_ht_init(gb_ctx *c, gb_htable *h, int32_t nv);
void gb_ht_free(gb_ctx *c, gb_htable *h);
int32_t gb_ht_insert(gb_ctx *c, gb_htable *h, const gb_exp *e); /* id, or a negative error code */
int32_t gb_ht_insert_mul(gb_ctx *c, gb_htable *h, const gb_exp *u, int32_t udeg, uint32_t uh, int32_t t);
int gb_ht_divides(const gb_htable *h, int32_t a, int32_t b); /* 1 if monomial a divides monomial b */
/* id of u * t (u of degree udeg and hash uh), 0 if it is not in the table; reads
 * only, so threads may call it while nobody inserts */
int32_t gb_ht_find_mul(const gb_htable *h, const gb_exp *u, int32_t udeg, uint32_t uh, int32_t t);

static inline const gb_exp *gb_ev(const gb_htable *h, int32_t id) { return h->ev + (size_t)id * h->nv; }

/* monomial_order.c, on hash ids */
int gb_ht_cmp(const gb_order *ord, const gb_htable *h, int32_t a, int32_t b);
int gb_sort_ids_desc(gb_ctx *c, int32_t *ids, int64_t n);

/* pairs.c */
int gb_update(gb_ctx *c, int32_t h);
int gb_select(gb_ctx *c, int32_t *degree);

/* basis.c */
int gb_basis_add(gb_ctx *c, int32_t len, int32_t *mon, uint32_t *cf);
static inline int32_t gb_ecart(const gb_ctx *c, const gb_poly *P) { return P->tdeg - c->ht.deg[P->mon[0]]; }
int gb_basis_lml(gb_ctx *c);
int gb_interreduce(gb_ctx *c, int32_t **order, int32_t *n);
int gb_take_new_pivots(gb_ctx *c);

/* symbolic.c */
/* Where symbolic preprocessing puts the row (m / lm(g)) * g: a known pivot
 * (reducer != 0) or a row to reduce.  The plain functions store it in the
 * matrix (gb_matrix_add_row); the randomized check (check.c) streams it. */
typedef int (*gb_row_sink)(gb_ctx *c, int reducer, int32_t g, int32_t m, void *arg);
int gb_matrix_expand(gb_ctx *c, int32_t g, int32_t m, int32_t *col);
int gb_matrix_add_row(gb_ctx *c, int reducer, int32_t g, int32_t m);
int gb_symbolic_pairs(gb_ctx *c);
int gb_symbolic_close(gb_ctx *c);
int gb_symbolic_pairs_to(gb_ctx *c, gb_row_sink add, void *arg);
int gb_symbolic_close_to(gb_ctx *c, gb_row_sink add, void *arg);
int gb_matrix_push_col(gb_ctx *c, int32_t m, int32_t mark);

/* matrix.c */
int gb_matrix_convert(gb_ctx *c, int sort_tr);
void gb_matrix_clear(gb_ctx *c);
int gb_matrix_push_tr(gb_ctx *c, int32_t len, int32_t *col, const uint32_t *cf, uint32_t *own, int32_t src);

/* linalg.c */
int gb_linalg(gb_ctx *c, gb_la_mode mode);

/* f4.c */
int gb_f4_run(gb_ctx *c);

/* check.c */
int gb_check_groebner(gb_ctx *c, int randomized, uint64_t seed, int *ok);

/* trace.c */
gb_trace *gb_trace_new(int32_t nv, const gb_order *ord);
int gb_trace_record_round(gb_ctx *c, gb_trace *T, const uint8_t *kept);
int gb_trace_finish(gb_ctx *c, gb_trace *T);
int gb_trace_replay(gb_ctx *c, const gb_trace *T, gb_row *inputs, int64_t ninputs);

#endif
