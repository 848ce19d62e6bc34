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
 * deterministic mode is a proof. */
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

/* Replace the rows to reduce of the converted matrix by GB_CHECK_COMBINATIONS
 * random linear combinations of them (see the top of the file). */
static int combine_rows(gb_ctx *c, uint64_t *state)
{
    gb_matrix *M = &c->mat;
    const int64_t ncomb = GB_CHECK_COMBINATIONS;
    if (M->ntr <= ncomb) return GB_OK;
    const uint64_t p = c->p;
    const int32_t ncols = M->ncols;
    uint64_t *acc = gb_malloc(c, (size_t)(ncols > 0 ? ncols : 1) * sizeof(uint64_t));
    gb_row rows[GB_CHECK_COMBINATIONS];
    memset(rows, 0, sizeof rows);
    int err = acc == NULL ? gb_alloc_error(c) : GB_OK;
    for (int64_t k = 0; k < ncomb && !err; k++) {
        memset(acc, 0, (size_t)ncols * sizeof(uint64_t));
        int32_t lo = ncols, hi = -1;
        for (int64_t r = 0; r < M->ntr; r++) {
            if ((r & 1023) == 0 && (err = gb_check(c))) break;
            const gb_row *R = &M->tr[r];
            if (R->len == 0) continue;
            const uint64_t lambda = next_random(state) % p;
            if (lambda == 0) continue;
            if (R->col[0] < lo) lo = R->col[0];
            if (R->col[R->len - 1] > hi) hi = R->col[R->len - 1];
            for (int32_t t = 0; t < R->len; t++)
                acc[R->col[t]] = (acc[R->col[t]] + lambda * R->cf[t]) % p;
        }
        if (err) break;
        int32_t len = 0;
        for (int32_t j = lo; j <= hi; j++) len += acc[j] != 0;
        rows[k].src = -1;
        if (len == 0) continue;
        rows[k].col = gb_malloc(c, (size_t)len * sizeof(int32_t));
        rows[k].own = gb_malloc(c, (size_t)len * sizeof(uint32_t));
        if (rows[k].col == NULL || rows[k].own == NULL) {
            err = gb_alloc_error(c);
            break;
        }
        rows[k].cf = rows[k].own;
        for (int32_t j = lo; j <= hi; j++)
            if (acc[j]) {
                rows[k].col[rows[k].len] = j;
                rows[k].own[rows[k].len++] = (uint32_t)acc[j];
            }
    }
    gb_free(c, acc);
    if (err) {
        for (int64_t k = 0; k < ncomb; k++) {
            gb_free(c, rows[k].col);
            gb_free(c, rows[k].own);
        }
        return err;
    }
    /* the old rows go, the combinations take their place */
    for (int64_t r = 0; r < M->ntr; r++) {
        gb_free(c, M->tr[r].col);
        gb_free(c, M->tr[r].own);
        M->nnz -= M->tr[r].len;
    }
    M->ntr = 0;
    for (int64_t k = 0; k < ncomb; k++) {
        if (rows[k].len == 0) continue;
        M->tr[M->ntr++] = rows[k];
        M->nnz += rows[k].len;
    }
    return GB_OK;
}

/* Reduce the rows to reduce of the current (symbolically closed) matrix (or, with
 * state != NULL, random combinations of them); *ok = 0 when one of them does not
 * reduce to zero. */
static int reduce_to_zero(gb_ctx *c, uint64_t *state, int *ok)
{
    int err;
    double t = gb_now();
    if ((err = gb_matrix_convert(c, state == NULL))) return err;
    if (state != NULL && (err = combine_rows(c, state))) return err;
    c->st.time_convert += gb_now() - t;
    t = gb_now();
    if ((err = gb_linalg(c, GB_LA_ECHELON))) return err;
    c->st.time_linalg += gb_now() - t;
    if (c->mat.nnp > 0) *ok = 0;
    c->st.rounds++;
    gb_matrix_clear(c);
    return GB_OK;
}

/* The inputs, already in c->mat.tr with their columns marked, reduce to zero. */
static int check_inputs(gb_ctx *c, uint64_t *state, int *ok)
{
    int err;
    double t = gb_now();
    if ((err = gb_symbolic_close(c))) return err;
    c->st.time_symbolic += gb_now() - t;
    return reduce_to_zero(c, state, ok);
}

/* Every S-pair left by the criteria reduces to zero. */
static int check_pairs(gb_ctx *c, uint64_t *state, int *ok)
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
        if ((err = gb_symbolic_pairs(c))) return err;
        if ((err = gb_symbolic_close(c))) return err;
        c->st.time_symbolic += gb_now() - t;
        const int64_t rows = c->mat.nrd + c->mat.ntr, cols = c->mat.ncols;
        if ((err = reduce_to_zero(c, state, ok))) return err;
        if (c->opt.progress && c->opt.progress(c->opt.progress_data, c->st.rounds - 1, degree,
                                                rows, cols))
            return GB_ERR_INTERRUPT;
    }
    return GB_OK;
}

int gb_check_groebner(gb_ctx *c, int randomized, uint64_t seed, int *ok)
{
    int err;
    uint64_t rng = seed, *state = randomized ? &rng : NULL;
    *ok = 1;
    if (c->mat.ntr > 0) {
        if ((err = gb_basis_lml(c))) return err;
        if ((err = check_inputs(c, state, ok))) return err;
    }
    if (*ok) err = check_pairs(c, state, ok);
    else err = GB_OK;
    return err;
}
