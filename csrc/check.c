/* An independent check that a candidate basis G is a Groebner basis mod p.
 *
 * G is a Groebner basis when every S-pair reduces to zero modulo G, and the
 * Gebauer-Moeller criteria (pairs.c) say which pairs may be skipped: the
 * elements enter the pair set one by one by increasing leading monomial, as
 * in F4, and the pairs left are checked degree by degree in F4-style matrices
 * (symbolic.c: per lcm one generator's multiple is the known pivot of the lcm
 * column and the others are rows to reduce; every column divisible by a
 * leading monomial gets a reducer).  A round passes when no row to reduce
 * survives the reduction (no new pivot): each S-polynomial then has a standard
 * representation, which is Buchberger's criterion.  The inputs are reduced
 * the same way first, in one matrix, so that a pass also proves that they lie
 * in the ideal of G.
 *
 * Nothing of the run that produced G is used: a wrong G (a replay at an
 * unlucky prime that slipped through, a corrupted coefficient) is rejected
 * whatever produced it.  That G lies in the ideal of the inputs is not
 * checked; a trace replay builds G from combinations of the inputs only.
 *
 * Randomized mode (randomized != 0): most of F4's time goes into rows that
 * reduce to zero, and here every row should.  So each matrix's rows to reduce
 * are replaced by two random linear combinations of them (coefficients uniform
 * mod p from a splitmix64 stream of the caller's seed), and only those are
 * reduced by the known pivots.  The remainder is linear in the coefficients, so
 * when some row has a nonzero remainder a combination reduces to zero with
 * probability at most 1/p: a wrong G passes with probability at most
 * (matrices) / p^2.  A basis that passes is accepted in both modes; only the
 * deterministic mode is a proof.
 *
 * The randomized mode builds no matrix (issue 17: the known pivots are
 * multiples of the reduced basis, whose tails are long, and the matrices of
 * the check hold every S-pair of a degree at once, so storing them took 4x
 * the memory of F4 itself).  Symbolic preprocessing is the same (same pairs,
 * same groups, same known pivots, same columns), but each row to reduce is
 * added into the two combinations as soon as it is formed and then
 * forgotten, and a known pivot is kept as (basis element, column) only.  The
 * combinations live in two dense arrays indexed by monomial id; they are
 * reduced column by column in decreasing monomial order, the known pivots'
 * terms recomputed (read-only hash look-ups, in batches shared by the
 * threads) shortly before their columns are reached.  A column
 * without a known pivot holding a nonzero entry of a combination is a
 * nonzero remainder: G fails.  This is the reduction the matrix would do,
 * with the same combinations, so the bound above is unchanged. */
#include <stdlib.h>
#include <string.h>

#include "gb_data.h"

/* Random numbers of the randomized mode (splitmix64). */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

#define GB_CHECK_COMBINATIONS 2

/* A known pivot of the randomized mode: the row (m / lm(g)) * g. */
typedef struct {
    int32_t g;              /* basis element */
    int32_t m;              /* the column (monomial id) it is the pivot of */
} gb_pivot;

/* The randomized mode's state: the combinations and the known pivots of the
 * current matrix, plus scratch. */
typedef struct {
    uint64_t *state;        /* the random stream */
    uint64_t *acc[GB_CHECK_COMBINATIONS]; /* per monomial id: the combinations' entries (sums of terms < 2p) */
    int64_t acc_cap;        /* entries of each acc (>= ht.n while a matrix is built) */
    gb_pivot *piv;          /* the known pivots of the current matrix */
    int64_t npiv, cap_piv;  /* count and capacity of piv */
    int32_t *col;           /* scratch: the columns of one row (hash ids) */
    int64_t cap_col;        /* capacity of col */
    int32_t *lead;          /* per column (after sorting): basis element of its known pivot, or -1 */
    int64_t cap_lead;       /* capacity of lead */
    uint64_t *dense[GB_CHECK_COMBINATIONS]; /* the combinations by column while they are reduced */
    int64_t cap_dense;      /* entries of each dense */
    int32_t *item;          /* a batch of the reduction: the columns of its known pivots ... */
    int64_t *off;           /* ... and where their tails' columns go in buf */
    int64_t cap_item, cap_off;
    int32_t *buf;           /* the batch's tails, as column indices */
    int64_t cap_buf;
    gb_exp *ubuf;           /* per thread: the multiplier of a known pivot */
    int64_t cap_ubuf;
    int64_t ntr;            /* rows to reduce of the current matrix */
    int64_t nnz;            /* terms of its rows (known pivots and rows to reduce) */
} gb_stream;

static void stream_free(gb_ctx *c, gb_stream *S)
{
    for (int k = 0; k < GB_CHECK_COMBINATIONS; k++) gb_free(c, S->acc[k]);
    gb_free(c, S->piv);
    gb_free(c, S->col);
    gb_free(c, S->lead);
    for (int k = 0; k < GB_CHECK_COMBINATIONS; k++) gb_free(c, S->dense[k]);
    gb_free(c, S->item);
    gb_free(c, S->off);
    gb_free(c, S->buf);
    gb_free(c, S->ubuf);
}

/* The accumulators cover every monomial id of the table (new entries zero). */
static int stream_cover(gb_ctx *c, gb_stream *S)
{
    const int64_t need = c->ht.n, old = S->acc_cap;
    if (need <= old) return GB_OK;
    int64_t cap = old;
    for (int k = 0; k < GB_CHECK_COMBINATIONS; k++) {
        cap = old;
        int err = gb_grow(c, (void **)&S->acc[k], &cap, need, sizeof(uint64_t));
        if (err) return err;
        memset(S->acc[k] + old, 0, (size_t)(cap - old) * sizeof(uint64_t));
    }
    S->acc_cap = cap;
    return GB_OK;
}

/* Add lambda_k * (the row with these columns and coefficients) into combination
 * k, for fresh random lambda_k. */
static int stream_accumulate(gb_ctx *c, gb_stream *S, const int32_t *col, const uint32_t *cf,
                             int32_t len)
{
    int err = stream_cover(c, S);
    if (err) return err;
    const uint64_t p = c->p;
    for (int k = 0; k < GB_CHECK_COMBINATIONS; k++) {
        const uint64_t lambda = next_random(S->state) % p;
        if (lambda == 0) continue;
        uint64_t *acc = S->acc[k];
        for (int32_t t = 0; t < len; t++) acc[col[t]] += (lambda * cf[t]) % p;
    }
    S->ntr++;
    S->nnz += len;
    return GB_OK;
}

/* The row sink of symbolic preprocessing (gb_data.h) in the randomized mode. */
static int stream_row(gb_ctx *c, int reducer, int32_t g, int32_t m, void *arg)
{
    gb_stream *S = arg;
    const gb_poly *P = &c->bs.p[g];
    int err = gb_grow(c, (void **)&S->col, &S->cap_col, P->len, sizeof(int32_t));
    if (err) return err;
    if ((err = gb_matrix_expand(c, g, m, S->col))) return err;
    if (!reducer) return stream_accumulate(c, S, S->col, P->cf, P->len);
    if ((err = gb_grow(c, (void **)&S->piv, &S->cap_piv, S->npiv + 1, sizeof(gb_pivot))))
        return err;
    S->piv[S->npiv].g = g;
    S->piv[S->npiv++].m = m;
    S->nnz += P->len;
    return GB_OK;
}

/* The reduction expands the known pivots in batches of at most this many terms
 * (their column indices: 8 MB), the workers sharing the hash look-ups. */
#define GB_CHECK_BATCH (1 << 21)

/* One batch of known pivots to expand (a parallel job, threads.c). */
typedef struct {
    gb_stream *S;
    const int32_t *item;    /* column of each pivot of the batch */
    const int64_t *off;     /* where its tail's columns go in S->buf */
} expand_job;

/* The column indices of the tail of the known pivot of column item[i]. */
static int expand_task(gb_ctx *c, void *arg, int64_t i, int worker)
{
    const expand_job *J = arg;
    gb_stream *S = J->S;
    const gb_htable *h = &c->ht;
    const int32_t k = J->item[i], m = c->mat.cm[k];
    const gb_poly *P = &c->bs.p[S->lead[k]];
    const int32_t lm = P->mon[0], nv = c->nv;
    const int32_t udeg = h->deg[m] - h->deg[lm];
    const uint32_t uh = h->hv[m] - h->hv[lm];
    const gb_exp *em = gb_ev(h, m), *el = gb_ev(h, lm);
    gb_exp *u = S->ubuf + (size_t)worker * nv;
    for (int32_t v = 0; v < nv; v++) u[v] = (gb_exp)(em[v] - el[v]);
    int32_t *out = S->buf + J->off[i];
    for (int32_t s = 1; s < P->len; s++) {
        const int32_t id = gb_ht_find_mul(h, u, udeg, uh, P->mon[s]);
        if (id == 0) return GB_ERR_ARG;   /* cannot happen: the pivot's terms became columns */
        out[s - 1] = h->idx[id];
    }
    return GB_OK;
}

/* Reduce the two combinations of the current (symbolically closed) matrix by
 * its known pivots; *ok = 0 when one has a nonzero remainder.  Clears the
 * matrix and the accumulators. */
static int stream_reduce(gb_ctx *c, gb_stream *S, int *ok, int64_t *rows)
{
    gb_matrix *M = &c->mat;
    gb_htable *h = &c->ht;
    const uint64_t p = c->p;
    const int32_t ncols = M->ncols;
    const int Q = GB_CHECK_COMBINATIONS;
    *rows = S->npiv + S->ntr;
    int err = stream_cover(c, S);
    double t = gb_now();
    if (!err) err = gb_sort_ids_desc(c, M->cm, ncols);
    if (!err) err = gb_grow(c, (void **)&S->lead, &S->cap_lead, (int64_t)ncols + 1, sizeof(int32_t));
    if (!err) err = gb_grow(c, (void **)&S->item, &S->cap_item, (int64_t)ncols + 1, sizeof(int32_t));
    if (!err) err = gb_grow(c, (void **)&S->off, &S->cap_off, (int64_t)ncols + 1, sizeof(int64_t));
    for (int q = 0; q < Q && !err; q++) {
        int64_t cap = S->cap_dense;
        err = gb_grow(c, (void **)&S->dense[q], &cap, (int64_t)ncols + 1, sizeof(uint64_t));
        if (q == Q - 1) S->cap_dense = cap;
    }
    if (!err && c->pool == NULL && c->want_threads > 1 && S->nnz >= GB_CHECK_BATCH / 4)
        err = gb_pool_start(c, c->want_threads);
    if (!err) err = gb_grow(c, (void **)&S->ubuf, &S->cap_ubuf, (int64_t)c->nthreads * c->nv,
                            sizeof(gb_exp));
    if (err) {
        for (int q = 0; q < Q; q++)    /* the accumulators must be left clean */
            for (int32_t k = 0; k < ncols && S->acc[q]; k++) S->acc[q][M->cm[k]] = 0;
        goto done;
    }
    /* columns in decreasing order; the combinations move to column-indexed arrays */
    for (int32_t k = 0; k < ncols; k++) {
        const int32_t m = M->cm[k];
        h->idx[m] = k;
        S->lead[k] = -1;
        for (int q = 0; q < Q; q++) {
            S->dense[q][k] = S->acc[q][m];
            S->acc[q][m] = 0;
        }
    }
    for (int64_t r = 0; r < S->npiv; r++) S->lead[h->idx[S->piv[r].m]] = S->piv[r].g;
    if (*rows > c->st.max_rows) c->st.max_rows = *rows;
    if (ncols > c->st.max_cols) c->st.max_cols = ncols;
    if (S->nnz > c->st.max_nnz) c->st.max_nnz = S->nnz;
    c->st.time_convert += gb_now() - t;
    t = gb_now();
    for (int32_t k = 0; k < ncols && !err && *ok;) {
        /* the next batch: columns k..k1-1, their pivots expanded (in parallel) */
        int64_t n = 0, terms = 0;
        int32_t k1 = k;
        for (; k1 < ncols; k1++) {
            if (S->lead[k1] < 0) continue;
            const int64_t len = c->bs.p[S->lead[k1]].len - 1;
            if (n > 0 && terms + len > GB_CHECK_BATCH) break;
            S->item[n] = k1;
            S->off[n++] = terms;
            terms += len;
        }
        if ((err = gb_grow(c, (void **)&S->buf, &S->cap_buf, terms + 1, sizeof(int32_t)))) break;
        expand_job J = {S, S->item, S->off};
        if ((err = gb_parallel(c, n, expand_task, &J))) break;
        /* then the subtractions, column by column: x[q] * (m / lm(g)) * g with
         * x[q] = -(entry), entries staying sums of terms below 2p (Shoup's product
         * by the fixed multiplier x[q]) */
        int64_t j = 0;
        for (; k < k1; k++) {
            const int32_t g = S->lead[k];
            uint64_t x[GB_CHECK_COMBINATIONS], xs[GB_CHECK_COMBINATIONS];
            int any = 0;
            for (int q = 0; q < Q; q++) {
                x[q] = S->dense[q][k] % p;
                any |= x[q] != 0;
            }
            if (!any) {
                j += g >= 0;
                continue;
            }
            if (g < 0) {            /* a nonzero remainder */
                *ok = 0;
                break;
            }
            const gb_poly *P = &c->bs.p[g];
            const int32_t *col = S->buf + S->off[j++];
            for (int q = 0; q < Q; q++) {
                x[q] = x[q] ? p - x[q] : 0;
                xs[q] = (x[q] << 32) / p;
            }
            for (int32_t s = 1; s < P->len; s++) {
                const uint64_t f = P->cf[s];
                for (int q = 0; q < Q; q++)
                    S->dense[q][col[s - 1]] += x[q] * f - ((xs[q] * f) >> 32) * p;
            }
        }
        if (!err) err = gb_check(c);
    }
    c->st.time_linalg += gb_now() - t;
done:
    c->st.rounds++;
    S->npiv = S->ntr = S->nnz = 0;
    gb_matrix_clear(c);
    return err;
}

/* Reduce the rows to reduce of the current (symbolically closed) matrix; *ok = 0
 * when one of them does not reduce to zero (deterministic mode). */
static int reduce_to_zero(gb_ctx *c, int *ok, int64_t *rows)
{
    int err;
    double t = gb_now();
    *rows = c->mat.nrd + c->mat.ntr;
    if ((err = gb_matrix_convert(c, 1))) return err;
    c->st.time_convert += gb_now() - t;
    t = gb_now();
    if ((err = gb_linalg(c, GB_LA_ECHELON))) return err;
    c->st.time_linalg += gb_now() - t;
    if (c->mat.nnp > 0) *ok = 0;
    c->st.rounds++;
    gb_matrix_clear(c);
    return GB_OK;
}

/* Symbolic closure of the current matrix, then its reduction (S != NULL: the
 * randomized mode's); the matrix had *rows rows and *cols columns. */
static int close_and_reduce(gb_ctx *c, gb_stream *S, int *ok, int64_t *rows, int64_t *cols)
{
    int err;
    double t = gb_now();
    err = S ? gb_symbolic_close_to(c, stream_row, S) : gb_symbolic_close(c);
    c->st.time_symbolic += gb_now() - t;
    if (err) return err;
    *cols = c->mat.ncols;
    return S ? stream_reduce(c, S, ok, rows) : reduce_to_zero(c, ok, rows);
}

/* The inputs, already in c->mat.tr with their columns marked, reduce to zero
 * (randomized: they go into the combinations, and the matrix forgets them). */
static int check_inputs(gb_ctx *c, gb_stream *S, int *ok)
{
    gb_matrix *M = &c->mat;
    if (S) {
        for (int64_t r = 0; r < M->ntr; r++) {
            int err = stream_accumulate(c, S, M->tr[r].col, M->tr[r].cf, M->tr[r].len);
            if (err) return err;
            gb_free(c, M->tr[r].col);
            gb_free(c, M->tr[r].own);
            M->nnz -= M->tr[r].len;
        }
        M->ntr = 0;
    }
    int64_t rows, cols;
    return close_and_reduce(c, S, ok, &rows, &cols);
}

/* Every S-pair left by the criteria reduces to zero. */
static int check_pairs(gb_ctx *c, gb_stream *S, int *ok)
{
    int err;
    double t = gb_now();
    for (int32_t h = 0; h < c->bs.n; h++) {
        if ((err = gb_check(c))) return err;
        if ((err = gb_update(c, h))) return err;
    }
    c->st.time_update += gb_now() - t;
    if ((err = gb_basis_lml(c))) return err;
    while (c->ps.n > 0 && *ok) {
        int32_t degree;
        t = gb_now();
        if ((err = gb_check(c))) return err;
        if ((err = gb_select(c, &degree))) return err;
        err = S ? gb_symbolic_pairs_to(c, stream_row, S) : gb_symbolic_pairs(c);
        c->st.time_symbolic += gb_now() - t;
        if (err) return err;
        int64_t rows = 0, cols = 0;
        if ((err = close_and_reduce(c, S, ok, &rows, &cols))) return err;
        if (c->opt.progress && c->opt.progress(c->opt.progress_data, c->st.rounds - 1, degree,
                                                rows, cols))
            return GB_ERR_INTERRUPT;
    }
    return GB_OK;
}

int gb_check_groebner(gb_ctx *c, int randomized, uint64_t seed, int *ok)
{
    int err = GB_OK;
    uint64_t rng = seed;
    gb_stream stream;
    memset(&stream, 0, sizeof stream);
    stream.state = &rng;
    gb_stream *S = randomized ? &stream : NULL;
    *ok = 1;
    if (c->mat.ntr > 0) {
        err = gb_basis_lml(c);
        if (!err) err = check_inputs(c, S, ok);
    }
    if (!err && *ok) err = check_pairs(c, S, ok);
    stream_free(c, &stream);
    return err;
}
