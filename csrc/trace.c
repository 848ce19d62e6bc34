/* Trace learning: record one F4 run, replay it for other primes.
 *
 * A multimodular computation runs F4 on the same input modulo many primes; for
 * all but finitely many of them every round builds the same matrix (same
 * rows: the same basis element times the same monomial) and finds the same
 * new leading monomials.  The learning run records, round by round, the known
 * pivots and the rows to reduce that did NOT reduce to zero, with the leading
 * monomials of the new pivots, and at the end which basis elements were
 * redundant.  Replaying skips pair selection, the Gebauer-Moeller update, the
 * search for reducers and every row that reduces to zero; it checks that each
 * round yields exactly the recorded leading monomials and fails with
 * GB_ERR_TRACE otherwise (an unlucky prime: the caller runs plain F4).
 *
 * Rows are recorded by (basis index, multiplier exponents), or by input index
 * for the input rows of round 0.  The trace is plain malloc'd data owned by the
 * caller: it outlives the learning context and is read-only when replayed, so
 * one trace serves concurrent replays. */
#include <stdlib.h>
#include <string.h>

#include "gb_data.h"

typedef struct {
    int64_t nrd, ntr, nnew;
    int32_t *rd_src, *tr_src;     /* basis index, or -2 - k for input polynomial k */
    gb_exp *rd_mul, *tr_mul;      /* nv exponents per row: the multiplier */
    gb_exp *new_lm;               /* nv exponents per new pivot, by increasing column */
} gb_trace_round;

struct gb_trace {
    int32_t nv;
    gb_order order;
    int64_t nrounds, caprounds;
    gb_trace_round *rounds;
    int32_t nbasis;
    uint8_t *red;                 /* redundancy flag per basis element before inter-reduction */
    int inconsistent;
};

void gb_trace_free(gb_trace *T)
{
    if (T == NULL) return;
    for (int64_t r = 0; r < T->nrounds; r++) {
        gb_trace_round *R = &T->rounds[r];
        free(R->rd_src);
        free(R->tr_src);
        free(R->rd_mul);
        free(R->tr_mul);
        free(R->new_lm);
    }
    free(T->rounds);
    free(T->red);
    free(T);
}

gb_trace *gb_trace_new(int32_t nv, const gb_order *ord)
{
    gb_trace *T = calloc(1, sizeof *T);
    if (T == NULL) return NULL;
    T->nv = nv;
    T->order = *ord;
    return T;
}

int64_t gb_trace_rounds(const gb_trace *T) { return T ? T->nrounds : 0; }

static int copy_exps(gb_ctx *c, gb_exp **dst, int64_t n, const int32_t *ids)
{
    const int32_t nv = c->nv;
    *dst = malloc((size_t)(n > 0 ? n : 1) * (size_t)nv * sizeof(gb_exp));
    if (*dst == NULL) return GB_ERR_NOMEM;
    for (int64_t k = 0; k < n; k++)
        memcpy(*dst + k * nv, gb_ev(&c->ht, ids[k]), (size_t)nv * sizeof(gb_exp));
    return GB_OK;
}

/* Record the rows of the current (converted) matrix; kept[k] tells whether
 * tr[k] produced a pivot.  Called between the linear algebra and the insertion. */
int gb_trace_record_round(gb_ctx *c, gb_trace *T, const uint8_t *kept)
{
    gb_matrix *M = &c->mat;
    if (T->nrounds == T->caprounds) {
        int64_t cap = T->caprounds ? 2 * T->caprounds : 16;
        gb_trace_round *nr = realloc(T->rounds, (size_t)cap * sizeof *nr);
        if (nr == NULL) return GB_ERR_NOMEM;
        T->rounds = nr;
        T->caprounds = cap;
    }
    gb_trace_round *R = &T->rounds[T->nrounds];
    memset(R, 0, sizeof *R);
    T->nrounds++;
    int64_t ntr = 0;
    for (int64_t k = 0; k < M->ntr; k++) ntr += kept[k] != 0;
    R->nrd = M->nrd;
    R->ntr = ntr;
    R->nnew = M->nnp;
    const int64_t most = M->nrd > ntr ? (M->nrd > M->nnp ? M->nrd : M->nnp) : (ntr > M->nnp ? ntr : M->nnp);
    int32_t *ids = malloc((size_t)(most > 0 ? most : 1) * sizeof(int32_t));
    R->rd_src = malloc((size_t)(M->nrd > 0 ? M->nrd : 1) * sizeof(int32_t));
    R->tr_src = malloc((size_t)(ntr > 0 ? ntr : 1) * sizeof(int32_t));
    if (!ids || !R->rd_src || !R->tr_src) {
        free(ids);
        return GB_ERR_NOMEM;
    }
    int err;
    for (int64_t k = 0; k < M->nrd; k++) {
        R->rd_src[k] = M->rd[k].src;
        ids[k] = M->rd[k].mul;
    }
    if ((err = copy_exps(c, &R->rd_mul, M->nrd, ids))) goto done;
    int64_t j = 0;
    for (int64_t k = 0; k < M->ntr; k++) {
        if (!kept[k]) continue;
        R->tr_src[j] = M->tr[k].src;
        ids[j++] = M->tr[k].mul;
    }
    if ((err = copy_exps(c, &R->tr_mul, ntr, ids))) goto done;
    for (int64_t k = 0; k < M->nnp; k++) ids[k] = M->cm[M->np[k].col[0]];
    err = copy_exps(c, &R->new_lm, M->nnp, ids);
done:
    free(ids);
    return err;
}

int gb_trace_finish(gb_ctx *c, gb_trace *T)
{
    T->inconsistent = c->inconsistent;
    T->nbasis = c->bs.n;
    T->red = malloc((size_t)(c->bs.n > 0 ? c->bs.n : 1));
    if (T->red == NULL) return GB_ERR_NOMEM;
    for (int32_t i = 0; i < c->bs.n; i++) T->red[i] = (uint8_t)(c->bs.p[i].red != 0);
    return GB_OK;
}

/* --------------------------------------------------------------- replay */

/* Hash id of mul * lm(g), or a negative code. */
static int32_t product_id(gb_ctx *c, int32_t g, const gb_exp *mul)
{
    const gb_exp *el = gb_ev(&c->ht, c->bs.p[g].mon[0]);
    for (int32_t v = 0; v < c->nv; v++) {
        uint32_t e = (uint32_t)mul[v] + el[v];
        if (e > GB_MAX_DEGREE) return GB_ERR_OVERFLOW;
        c->ubuf[v] = (gb_exp)e;
    }
    return gb_ht_insert(c, &c->ht, c->ubuf);
}

static int add_basis_row(gb_ctx *c, int reducer, int32_t g, const gb_exp *mul)
{
    if (g < 0 || g >= c->bs.n) return GB_ERR_TRACE;
    int32_t m = product_id(c, g, mul);
    if (m < 0) return m;
    int err = gb_matrix_push_col(c, m, 1);
    if (err) return err;
    return gb_matrix_add_row(c, reducer, g, m);
}

/* Replay one recorded round; inputs[k] are the cleaned input rows (taken over). */
static int replay_round(gb_ctx *c, const gb_trace_round *R, gb_row *inputs, int64_t ninputs)
{
    const int32_t nv = c->nv;
    gb_matrix *M = &c->mat;
    int err;
    double t = gb_now();
    for (int64_t k = 0; k < R->nrd; k++)
        if ((err = add_basis_row(c, 1, R->rd_src[k], R->rd_mul + k * nv))) return err;
    for (int64_t k = 0; k < R->ntr; k++) {
        const int32_t s = R->tr_src[k];
        if (s >= 0) {
            if ((err = add_basis_row(c, 0, s, R->tr_mul + k * nv))) return err;
            continue;
        }
        const int64_t i = -2 - (int64_t)s;
        if (i < 0 || i >= ninputs || inputs[i].len == 0) return GB_ERR_TRACE;
        gb_row *in = &inputs[i];
        if ((err = gb_matrix_push_tr(c, in->len, in->col, in->cf, in->own, s))) return err;
        const int32_t *col = in->col, len = in->len;
        in->len = 0;                       /* the matrix owns the arrays now */
        in->col = NULL;
        in->own = NULL;
        for (int32_t u = 0; u < len; u++)
            if ((err = gb_matrix_push_col(c, col[u], 1))) return err;
    }
    c->st.time_symbolic += gb_now() - t;
    t = gb_now();
    if ((err = gb_matrix_convert(c, 0))) return err;
    c->st.time_convert += gb_now() - t;
    t = gb_now();
    const int64_t rows = M->nrd + M->ntr, cols = M->ncols;
    if ((err = gb_linalg(c, GB_LA_ECHELON))) return err;
    c->st.time_linalg += gb_now() - t;
    if (M->nnp != R->nnew) return GB_ERR_TRACE;
    for (int64_t k = 0; k < M->nnp; k++) {
        const gb_exp *e = gb_ev(&c->ht, M->cm[M->np[k].col[0]]);
        if (memcmp(e, R->new_lm + k * nv, (size_t)nv * sizeof(gb_exp))) return GB_ERR_TRACE;
    }
    if ((err = gb_take_new_pivots(c))) return err;
    if (c->opt.progress && c->opt.progress(c->opt.progress_data, c->st.rounds, 0, rows, cols))
        return GB_ERR_INTERRUPT;
    c->st.rounds++;
    return gb_check(c);
}

int gb_trace_replay(gb_ctx *c, const gb_trace *T, gb_row *inputs, int64_t ninputs)
{
    int err;
    if (T->nv != c->nv || T->order.kind != c->opt.order.kind) return GB_ERR_TRACE;
    for (int64_t r = 0; r < T->nrounds; r++)
        if ((err = replay_round(c, &T->rounds[r], inputs, ninputs))) return err;
    if (c->inconsistent != T->inconsistent || c->bs.n != T->nbasis) return GB_ERR_TRACE;
    for (int32_t i = 0; i < c->bs.n; i++) c->bs.p[i].red = T->red[i];
    return GB_OK;
}
