/* Modular linear algebra of one F4 matrix.
 *
 * Each row to reduce is scattered into a dense int64 row and reduced column by
 * column, left to right, by the pivot of each nonzero column.  Entries stay in
 * [0, p^2): subtracting v*c (v, c < p) gives a value above -p^2, and adding p^2
 * when the sign bit is set restores the range without a branch, so the modular
 * reduction of an entry waits until its column is reached.  Known pivots share
 * their coefficient array with the basis element they are a multiple of.
 *
 * GB_LA_ECHELON: a row that does not reduce to zero is made monic and becomes
 * the pivot of its leading column at once, so later rows are reduced by it
 * too; at the end the new pivots are inter-reduced (reduced row echelon form on
 * the new columns) and returned in c->mat.np by increasing leading column.
 * GB_LA_NORMAL / GB_LA_TAIL: each row is reduced by the known pivots only and
 * np[k] receives row k's result (TAIL keeps the leading term untouched). */
#include <stdlib.h>
#include <string.h>

#include "gb_data.h"

/* Two kernels from one template.  LAZY: entries only grow (dr += (p - v) * c,
 * all terms below p^2), valid when the number of pivots times p^2 stays below
 * 2^62, i.e. for small primes such as 65521: no modular step at all until the
 * column is reached.  Otherwise entries are kept in [0, p^2) by a conditional
 * subtraction of p^2 (branch-free). */
#define GB_REDUCE_DENSE(NAME, UPDATE)                                                  \
    static int64_t NAME(gb_ctx *c, int64_t *dr, int32_t start, int32_t ncols,          \
                        const gb_row *const *pivs, int64_t cnt)                        \
    {                                                                                  \
        const int64_t p = c->p;                                                        \
        const int64_t p2 = p * p;                                                      \
        (void)p2;                                                                      \
        int32_t *gcol = c->gcol;                                                       \
        uint32_t *gcf = c->gcf;                                                        \
        int32_t hi = ncols - 1; /* last column that may be nonzero */                  \
        if (c->dense_hi >= 0) hi = c->dense_hi;                                        \
        for (int32_t i = start; i <= hi; i++) {                                        \
            int64_t v = dr[i];                                                         \
            if (!v) continue;                                                          \
            dr[i] = 0;                                                                 \
            v %= p;                                                                    \
            if (!v) continue;                                                          \
            const gb_row *pr = pivs[i];                                                \
            if (pr == NULL) {                                                          \
                gcol[cnt] = i;                                                         \
                gcf[cnt++] = (uint32_t)v;                                              \
                continue;                                                              \
            }                                                                          \
            const int32_t *pc = pr->col;                                               \
            const uint32_t *pf = pr->cf;                                               \
            const int32_t len = pr->len;                                               \
            const int64_t m = p - v;                                                   \
            (void)m;                                                                   \
            if (pc[len - 1] > hi) hi = pc[len - 1];                                    \
            int32_t t = 1;                                                             \
            for (; t + 3 < len; t += 4) {                                              \
                UPDATE(t);                                                             \
                UPDATE(t + 1);                                                         \
                UPDATE(t + 2);                                                         \
                UPDATE(t + 3);                                                         \
            }                                                                          \
            for (; t < len; t++) UPDATE(t);                                            \
        }                                                                              \
        return cnt;                                                                    \
    }

#define GB_UPDATE_LAZY(t) (dr[pc[t]] += m * (int64_t)pf[t])
#define GB_UPDATE_BOUNDED(t)                                                            \
    do {                                                                               \
        int64_t x_ = dr[pc[t]] - v * (int64_t)pf[t];                                   \
        x_ += (x_ >> 63) & p2;                                                         \
        dr[pc[t]] = x_;                                                                \
    } while (0)

GB_REDUCE_DENSE(reduce_dense_lazy, GB_UPDATE_LAZY)
GB_REDUCE_DENSE(reduce_dense_bounded, GB_UPDATE_BOUNDED)

/* Reduce the dense row dr from column `start` on by the pivots; append the
 * surviving entries (reduced mod p) to c->gcol / c->gcf after `cnt` entries and
 * zero dr as it goes.  Returns the new count. */
static int64_t reduce_dense(gb_ctx *c, int64_t *dr, int32_t start, int32_t ncols,
                            const gb_row *const *pivs, int64_t cnt)
{
    if (c->lazy) return reduce_dense_lazy(c, dr, start, ncols, pivs, cnt);
    return reduce_dense_bounded(c, dr, start, ncols, pivs, cnt);
}

/* Store c->gcol/c->gcf[0..cnt) as a new row np[k] (monic if make_monic). */
static int store_row(gb_ctx *c, gb_row *dst, int64_t cnt, int make_monic, int32_t src)
{
    dst->len = (int32_t)cnt;
    dst->src = src;
    dst->mul = 0;
    dst->col = NULL;
    dst->own = NULL;
    dst->cf = NULL;
    if (cnt == 0) return GB_OK;
    dst->col = gb_malloc(c, (size_t)cnt * sizeof(int32_t));
    dst->own = gb_malloc(c, (size_t)cnt * sizeof(uint32_t));
    if (dst->col == NULL || dst->own == NULL) return gb_alloc_error(c);
    memcpy(dst->col, c->gcol, (size_t)cnt * sizeof(int32_t));
    if (make_monic && c->gcf[0] != 1) {
        const uint64_t inv = gb_inverse(c->gcf[0], c->p);
        for (int64_t t = 0; t < cnt; t++) dst->own[t] = (uint32_t)((c->gcf[t] * inv) % c->p);
    } else {
        memcpy(dst->own, c->gcf, (size_t)cnt * sizeof(uint32_t));
    }
    dst->cf = dst->own;
    return GB_OK;
}

/* Replace pivot row i (leading column i) by its tail fully reduced by the pivots to
 * its right; rows whose tail meets no pivot are left alone. */
static int reduce_pivot_tail(gb_ctx *c, const gb_row **pivs, int32_t i)
{
    gb_row *r = (gb_row *)pivs[i];
    int64_t *dr = c->dense;
    int need = 0, err;
    for (int32_t t = 1; t < r->len && !need; t++) need = pivs[r->col[t]] != NULL;
    if (!need) return GB_OK;
    if ((err = gb_check(c))) return err;
    for (int32_t t = 1; t < r->len; t++) dr[r->col[t]] = r->cf[t];
    c->dense_hi = r->col[r->len - 1];
    c->gcol[0] = i;
    c->gcf[0] = 1;
    int64_t cnt = reduce_dense(c, dr, i + 1, c->mat.ncols, pivs, 1);
    gb_row nr;
    if ((err = store_row(c, &nr, cnt, 0, r->src))) {
        gb_free(c, nr.col);
        gb_free(c, nr.own);
        return err;
    }
    gb_free(c, r->col);
    gb_free(c, r->own);
    *r = nr;
    return GB_OK;
}

/* Normal forms: fully reduce the known pivots first, from the rightmost leading
 * column leftwards, so that each row to reduce then needs one subtraction per
 * reducible term instead of a cascade through unreduced reducer tails. */
static int reduce_known(gb_ctx *c, const gb_row **pivs)
{
    int err;
    for (int32_t i = c->mat.ncols - 1; i >= 0; i--)
        if (pivs[i] != NULL && (err = reduce_pivot_tail(c, pivs, i))) return err;
    return GB_OK;
}

static int cmp_row_lead(const void *x, const void *y)
{
    const gb_row *a = x, *b = y;
    return (a->col[0] > b->col[0]) - (a->col[0] < b->col[0]);
}

/* Inter-reduce the new pivots: from the rightmost leading column leftwards,
 * reduce each tail by the (already reduced) new pivots to its right. */
static int interreduce_new(gb_ctx *c, const gb_row **pivs, const uint8_t *isnew)
{
    int err;
    for (int32_t i = c->mat.ncols - 1; i >= 0; i--)
        if (isnew[i] && (err = reduce_pivot_tail(c, pivs, i))) return err;
    return GB_OK;
}

int gb_linalg(gb_ctx *c, gb_la_mode mode)
{
    gb_matrix *M = &c->mat;
    const int32_t ncols = M->ncols;
    int err;
    if ((err = gb_grow(c, (void **)&M->np, &M->capnp, M->ntr, sizeof(gb_row)))) return err;
    if ((err = gb_grow(c, (void **)&c->gcol, &c->gcap, ncols + 1, sizeof(int32_t)))) return err;
    if ((err = gb_grow(c, (void **)&c->gcf, &c->gcf_cap, ncols + 1, sizeof(uint32_t)))) return err;
    int64_t oldcap = c->dense_cap;
    if ((err = gb_grow(c, (void **)&c->dense, &c->dense_cap, ncols + 1, sizeof(int64_t)))) return err;
    if (c->dense_cap != oldcap) memset(c->dense, 0, (size_t)c->dense_cap * sizeof(int64_t));
    const gb_row **pivs = gb_calloc(c, (size_t)(ncols + 1) * sizeof(gb_row *));
    uint8_t *isnew = gb_calloc(c, (size_t)(ncols + 1));
    if (pivs == NULL || isnew == NULL) {
        gb_free(c, (void *)pivs);
        gb_free(c, isnew);
        return gb_alloc_error(c);
    }
    for (int64_t r = 0; r < M->nrd; r++) pivs[M->rd[r].col[0]] = &M->rd[r];
    /* a column receives at most one update per pivot: lazy accumulation is safe
     * while (pivots + 1) * p^2 < 2^62 */
    {
        const double p2 = (double)c->p * (double)c->p;
        c->lazy = (double)(M->nrd + M->ntr + ncols + 1) * p2 < 4.0e18;
    }

    if (mode == GB_LA_NORMAL && M->ntr > 0 && (err = reduce_known(c, pivs))) goto done;
    int64_t *dr = c->dense;
    for (int64_t k = 0; k < M->ntr; k++) {
        const gb_row *r = &M->tr[k];
        if ((k & 15) == 0 && (err = gb_check(c))) goto done;
        int64_t cnt = 0;
        if (r->len > 0) {
            int32_t t0 = 0, start = r->col[0];
            if (mode == GB_LA_TAIL) {
                c->gcol[0] = r->col[0];
                c->gcf[0] = r->cf[0];
                cnt = 1;
                t0 = 1;
                start = r->col[0] + 1;
            }
            for (int32_t t = t0; t < r->len; t++) dr[r->col[t]] = r->cf[t];
            c->dense_hi = r->col[r->len - 1];
            cnt = reduce_dense(c, dr, start, ncols, pivs, cnt);
        }
        if (mode == GB_LA_ECHELON) {
            if (c->tr_kept) c->tr_kept[k] = cnt > 0;
            if (cnt == 0) continue;
            gb_row *dst = &M->np[M->nnp];
            err = store_row(c, dst, cnt, 1, r->src);
            M->nnp++; /* counted even on failure so the arrays get freed */
            if (err) goto done;
            pivs[dst->col[0]] = dst;
            isnew[dst->col[0]] = 1;
        } else {
            err = store_row(c, &M->np[M->nnp], cnt, 0, r->src);
            M->nnp++;
            if (err) goto done;
        }
    }
    if (mode == GB_LA_ECHELON) {
        if ((err = interreduce_new(c, pivs, isnew))) goto done;
        qsort(M->np, (size_t)M->nnp, sizeof(gb_row), cmp_row_lead);
    }
done:
    gb_free(c, (void *)pivs);
    gb_free(c, isnew);
    return err;
}
