/* The flat C interface of grobnet's F4 engine over GF(p), p a prime below 2^31.
 *
 * Polynomials cross this boundary as plain arrays (term counts, exponent rows,
 * coefficients), so the Cython layer can call in with the GIL released.  Every
 * function returns GB_OK or a negative code from gb_errors.h; nothing here
 * exits, aborts or keeps global state: each call builds and frees its own
 * context.
 */
#ifndef GROBNET_F4_H
#define GROBNET_F4_H

#include <stdint.h>

#include "gb_errors.h"
#include "monomial_order.h"

/* Called every poll_interval seconds during a computation; a nonzero return
 * aborts it with GB_ERR_INTERRUPT (the caller keeps the reason, e.g. a pending
 * KeyboardInterrupt). */
typedef int (*gb_poll_fn)(void *data);

/* Called once per F4 round; a nonzero return aborts like gb_poll_fn. */
typedef int (*gb_progress_fn)(void *data, int64_t round, int64_t degree, int64_t rows, int64_t cols);

typedef struct {
    gb_order order;               /* monomial order (grevlex, lex or block) */
    uint32_t modulus;             /* the prime p, 2 < p < 2^31 */
    double timeout;               /* wall-clock budget in seconds, 0 = none */
    int64_t max_memory;           /* budget for the core's own allocations in bytes, 0 = none */
    double poll_interval;         /* seconds between calls of poll (0 = at every check) */
    gb_poll_fn poll;              /* interrupt poll, may be NULL */
    void *poll_data;              /* passed to poll */
    gb_progress_fn progress;      /* per-round progress report, may be NULL */
    void *progress_data;          /* passed to progress */
    int32_t threads;              /* threads for the linear algebra, the caller included; 0 or 1 = serial */
    int32_t simd;                 /* linear-algebra kernel: 0 = best the CPU has, 1 = portable C only */
    int32_t la_mode;              /* F4 rounds' linear algebra: GB_LA_EXACT, GB_LA_PROBABILISTIC, GB_LA_AUTO */
    double la_auto_work;          /* GB_LA_AUTO: rounds with rows x columns >= this are probabilistic */
    uint64_t la_seed;             /* seed of the random combinations (0: a fixed default) */
} gb_options;

/* Linear algebra of the F4 rounds (gb_options.la_mode).  Probabilistic rounds
 * reduce random combinations of the rows instead of every row (linalg.c): the
 * round's new pivots are those of exact mode unless one of the combinations that
 * reduced to zero did so by chance, which has probability at most 1/p each
 * (gb_stats.la_zero_checks counts them: a run errs with probability at most
 * la_zero_checks / p).  A learning run (gb_f4_learn) drops its trace at its first
 * probabilistic round (gb_stats.trace_dropped; *trace is then NULL).  Replays,
 * normal forms and checks are always exact. */
enum { GB_LA_EXACT = 0, GB_LA_PROBABILISTIC = 1, GB_LA_AUTO = 2 };

typedef struct {
    int64_t rounds;               /* F4 rounds (matrices reduced), input echelon included */
    int64_t max_rows;             /* most rows of one matrix */
    int64_t max_cols;             /* most columns of one matrix */
    int64_t max_nnz;              /* most nonzero entries of one matrix */
    int64_t pairs_total;          /* critical pairs created */
    int64_t pairs_removed;        /* pairs removed by the Gebauer-Moeller criteria */
    int64_t basis_size;           /* polynomials in the reduced basis */
    int64_t peak_memory;          /* most bytes the core held at once */
    double time_total;            /* seconds, whole computation */
    double time_update;           /* seconds in the pair update */
    double time_symbolic;         /* seconds in symbolic preprocessing (incl. pair selection) */
    double time_convert;          /* seconds converting hashes to columns and rows back to polynomials */
    double time_linalg;           /* seconds in the modular linear algebra */
    double time_interreduce;      /* seconds in the final inter-reduction */
    int64_t la_prob_rounds;       /* rounds reduced by random combinations */
    int64_t la_zero_checks;       /* combinations that reduced to zero (each wrong with probability <= 1/p) */
    int32_t trace_dropped;        /* 1: a learning run met a probabilistic round and dropped its trace */
} gb_stats;

/* A list of polynomials.  Input: borrowed arrays; output: owned, free with gb_polys_free. */
typedef struct {
    int64_t npolys;               /* number of polynomials */
    int32_t nvars;                /* number of variables */
    int64_t *lens;                /* terms of each polynomial */
    int32_t *exps;                /* sum(lens) rows of nvars exponents */
    uint32_t *cfs;                /* sum(lens) coefficients in [0, p) */
} gb_polys;

/* 1 if n is prime (deterministic Miller-Rabin), else 0. */
int gb_is_prime(uint64_t n);

/* Reduced Groebner basis of the input: monic, terms decreasing, polynomials by
 * increasing leading monomial.  Input terms may come in any order; zero
 * coefficients are dropped and repeated monomials combined.  On success *out
 * holds the basis ({1} if inconsistent, empty for the zero ideal). */
int gb_f4(const gb_options *opt, const gb_polys *in, gb_polys *out, gb_stats *stats);

/* Fully reduced normal forms of the polynomials in `in` with respect to the
 * Groebner basis `basis` (same order), in one batch matrix reduction.  The
 * forms are not made monic; a zero form has 0 terms. */
int gb_normal_forms(const gb_options *opt, const gb_polys *basis, const gb_polys *in,
                    gb_polys *out, gb_stats *stats);

/* *is_gb = 1 if `basis` (nonzero polynomials, any order of elements, made monic
 * here) is a Groebner basis and every polynomial of `in` reduces to zero modulo
 * it (check.c), else 0.  `in` may be empty.  randomized != 0: reduce two random
 * combinations (from `seed`) of each matrix's rows instead of every row; a wrong
 * basis then passes with probability at most (matrices) / p^2. */
int gb_check_basis(const gb_options *opt, const gb_polys *basis, const gb_polys *in,
                   int randomized, uint64_t seed, int *is_gb, gb_stats *stats);

/* Trace learning (trace.c): gb_f4_learn is gb_f4 that also records the run in
 * *trace (free with gb_trace_free); gb_f4_apply replays a trace for another
 * prime and returns GB_ERR_TRACE when this prime does not follow it (then run
 * gb_f4).  A trace is read-only while replayed: one serves concurrent calls. */
typedef struct gb_trace gb_trace;
int gb_f4_learn(const gb_options *opt, const gb_polys *in, gb_polys *out, gb_stats *stats,
                gb_trace **trace);
int gb_f4_apply(const gb_options *opt, const gb_trace *trace, const gb_polys *in, gb_polys *out,
                gb_stats *stats);
void gb_trace_free(gb_trace *trace);
int64_t gb_trace_rounds(const gb_trace *trace);
int64_t gb_trace_bytes(const gb_trace *trace);   /* memory the trace holds */

/* Free the arrays of an output list (safe on a zeroed struct). */
void gb_polys_free(gb_polys *p);

#endif
