/* Trace learning: record one F4 run, replay it for other primes.
 *
 * A multimodular computation runs F4 on the same input modulo many primes; for
 * all but finitely many of them every round builds the same matrix (same
 * rows: the same basis element times the same monomial) and finds the same
 * new leading monomials.  The learning run records, round by round, the
 * column structure of the rows the replay needs: the rows to reduce that did
 * NOT reduce to zero, and of the known pivots only those their reduction can
 * reach (the symbolic closure of those rows: a pivot is needed when its
 * column occurs in a kept row or in a needed pivot).  Each recorded row is its
 * source (a basis index, or input k as -2 - k) and its columns in the round's
 * numbering, delta-coded in LEB128 bytes; the round keeps the exponents of
 * its columns and, per new pivot, its leading column, length and a checksum
 * of its columns.
 *
 * Replaying does no hashing, no pair selection, no Gebauer-Moeller update, no
 * search for reducers and no column sort: a row is its basis element's (or
 * input's) coefficients at the recorded columns.  Only the new basis elements
 * enter the hash table (their monomials are needed by the final
 * inter-reduction).  A prime that does not follow the trace is caught: every
 * round must give new pivots with exactly the recorded leading columns and
 * supports (so every row built later from a basis element has the recorded
 * length and columns), and an input must have the recorded support; otherwise
 * the replay fails with GB_ERR_TRACE (an unlucky prime: the caller runs plain
 * F4).
 *
 * The trace is plain malloc'd data owned by the caller: it outlives the
 * learning context and is read-only when replayed, so one trace serves
 * concurrent replays. */
#include <stdlib.h>
#include <string.h>

#include "gb_data.h"

typedef struct {
    int64_t nrd, ntr, nnew;       /* recorded known pivots, kept rows to reduce, new pivots */
    int32_t ncols;                /* columns of the round's matrix */
    int32_t *src;                 /* nrd + ntr sources: basis index, or -2 - k for input k */
    int32_t *len;                 /* nrd + ntr row lengths */
    uint8_t *cols;                /* the rows' columns: per row the first column, then the gaps, LEB128 */
    int64_t ncolbytes;            /* bytes of cols */
    gb_exp *cm;                   /* ncols rows of nv exponents: the column monomials */
    int32_t *new_lead;            /* leading column of each new pivot (increasing) */
    int32_t *new_len;             /* its number of terms */
    uint64_t *new_sum;            /* checksum of its columns */
} gb_trace_round;

struct gb_trace {
    int32_t nv;
    gb_order order;
    int64_t nrounds, caprounds;
    gb_trace_round *rounds;
    int32_t nbasis;
    uint8_t *red;                 /* redundancy flag per basis element before inter-reduction */
    int inconsistent;
    int64_t bytes;                /* memory held by the trace */
};

void gb_trace_free(gb_trace *T)
{
    if (T == NULL) return;
    for (int64_t r = 0; r < T->nrounds; r++) {
        gb_trace_round *R = &T->rounds[r];
        free(R->src);
        free(R->len);
        free(R->cols);
        free(R->cm);
        free(R->new_lead);
        free(R->new_len);
        free(R->new_sum);
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

int64_t gb_trace_bytes(const gb_trace *T) { return T ? T->bytes : 0; }

/* Checksum of a row's columns (its support). */
static uint64_t support_sum(const int32_t *col, int32_t len)
{
    uint64_t h = 0xcbf29ce484222325ull ^ (uint64_t)len;
    for (int32_t t = 0; t < len; t++) h = (h ^ (uint32_t)col[t]) * 0x100000001b3ull;
    return h;
}

/* ------------------------------------------------------------- recording */

typedef struct {
    uint8_t *b;
    int64_t n, cap;
} bytebuf;

static int put_varint(bytebuf *B, uint32_t x)
{
    if (B->n + 5 > B->cap) {
        int64_t cap = B->cap ? 2 * B->cap : 4096;
        uint8_t *nb = realloc(B->b, (size_t)cap);
        if (nb == NULL) return GB_ERR_NOMEM;
        B->b = nb;
        B->cap = cap;
    }
    while (x >= 0x80) {
        B->b[B->n++] = (uint8_t)(x | 0x80);
        x >>= 7;
    }
    B->b[B->n++] = (uint8_t)x;
    return GB_OK;
}

static int put_row(bytebuf *B, const gb_row *r)
{
    int err = GB_OK;
    for (int32_t t = 0; t < r->len && !err; t++)
        err = put_varint(B, (uint32_t)(t ? r->col[t] - r->col[t - 1] : r->col[0]));
    return err;
}

/* Record the current (converted and reduced) matrix; kept[k] tells whether
 * tr[k] produced a pivot.  Called between the linear algebra and the insertion
 * of the new pivots. */
int gb_trace_record_round(gb_ctx *c, gb_trace *T, const uint8_t *kept)
{
    gb_matrix *M = &c->mat;
    const int32_t nv = c->nv, ncols = M->ncols;
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
    R->ncols = ncols;

    /* the known pivots the kept rows need: mark the columns of the kept rows, then
     * sweep left to right, a needed pivot marking its own columns */
    uint8_t *need = calloc((size_t)ncols + 1, 1);
    int32_t *lead = malloc(((size_t)ncols + 1) * sizeof(int32_t));
    bytebuf B = {NULL, 0, 0};
    int err = GB_OK;
    if (need == NULL || lead == NULL) {
        err = GB_ERR_NOMEM;
        goto done;
    }
    for (int32_t k = 0; k < ncols; k++) lead[k] = -1;
    for (int64_t k = 0; k < M->nrd; k++) lead[M->rd[k].col[0]] = (int32_t)k;
    int64_t ntr = 0;
    for (int64_t k = 0; k < M->ntr; k++) {
        if (!kept[k]) continue;
        ntr++;
        for (int32_t t = 0; t < M->tr[k].len; t++) need[M->tr[k].col[t]] = 1;
    }
    int64_t nrd = 0;
    for (int32_t k = 0; k < ncols; k++) {
        if (!need[k] || lead[k] < 0) continue;
        const gb_row *r = &M->rd[lead[k]];
        for (int32_t t = 1; t < r->len; t++) need[r->col[t]] = 1;
        nrd++;
    }
    R->nrd = nrd;
    R->ntr = ntr;
    R->nnew = M->nnp;
    const int64_t nrows = nrd + ntr;
    R->src = malloc((size_t)(nrows > 0 ? nrows : 1) * sizeof(int32_t));
    R->len = malloc((size_t)(nrows > 0 ? nrows : 1) * sizeof(int32_t));
    R->cm = malloc(((size_t)ncols + 1) * (size_t)nv * sizeof(gb_exp));
    R->new_lead = malloc((size_t)(M->nnp > 0 ? M->nnp : 1) * sizeof(int32_t));
    R->new_len = malloc((size_t)(M->nnp > 0 ? M->nnp : 1) * sizeof(int32_t));
    R->new_sum = malloc((size_t)(M->nnp > 0 ? M->nnp : 1) * sizeof(uint64_t));
    if (!R->src || !R->len || !R->cm || !R->new_lead || !R->new_len || !R->new_sum) {
        err = GB_ERR_NOMEM;
        goto done;
    }
    int64_t j = 0;
    for (int32_t k = 0; k < ncols && !err; k++) {
        if (!need[k] || lead[k] < 0) continue;
        const gb_row *r = &M->rd[lead[k]];
        R->src[j] = r->src;
        R->len[j++] = r->len;
        err = put_row(&B, r);
    }
    for (int64_t k = 0; k < M->ntr && !err; k++) {
        if (!kept[k]) continue;
        R->src[j] = M->tr[k].src;
        R->len[j++] = M->tr[k].len;
        err = put_row(&B, &M->tr[k]);
    }
    if (err) goto done;
    for (int32_t k = 0; k < ncols; k++)
        memcpy(R->cm + (size_t)k * nv, gb_ev(&c->ht, M->cm[k]), (size_t)nv * sizeof(gb_exp));
    for (int64_t k = 0; k < M->nnp; k++) {
        R->new_lead[k] = M->np[k].col[0];
        R->new_len[k] = M->np[k].len;
        R->new_sum[k] = support_sum(M->np[k].col, M->np[k].len);
    }
    /* shrink the column bytes to fit */
    if (B.n > 0) {
        uint8_t *nb = realloc(B.b, (size_t)B.n);
        if (nb) B.b = nb;
    }
    R->cols = B.b;
    R->ncolbytes = B.n;
    B.b = NULL;
    T->bytes += (int64_t)B.n + nrows * 8 + ((int64_t)ncols + 1) * nv * (int64_t)sizeof(gb_exp)
                + M->nnp * 16;
done:
    free(B.b);
    free(need);
    free(lead);
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

/* Decode one row's `len` columns from *pos (bounded by end) into col. */
static int get_row(const uint8_t **pos, const uint8_t *end, int32_t *col, int32_t len, int32_t ncols)
{
    const uint8_t *s = *pos;
    int64_t last = 0;
    for (int32_t t = 0; t < len; t++) {
        uint32_t x = 0;
        int shift = 0;
        for (;;) {
            if (s == end || shift > 28) return GB_ERR_TRACE;
            const uint8_t b = *s++;
            x |= (uint32_t)(b & 0x7f) << shift;
            if (!(b & 0x80)) break;
            shift += 7;
        }
        last = t ? last + x : x;
        if (last >= ncols || (t && x == 0)) return GB_ERR_TRACE;
        col[t] = (int32_t)last;
    }
    *pos = s;
    return GB_OK;
}

/* Put the recorded row k (known pivot if reducer) into the matrix: a basis
 * element's coefficients, or input row i's (taken over; its monomials must be
 * the recorded columns'). */
static int replay_row(gb_ctx *c, const gb_trace_round *R, int64_t k, int reducer,
                      const uint8_t **pos, const uint8_t *end, gb_row *inputs, int64_t ninputs)
{
    gb_matrix *M = &c->mat;
    const int32_t s = R->src[k], len = R->len[k];
    const uint32_t *cf;
    gb_row *in = NULL;
    if (s >= 0) {
        if (s >= c->bs.n || c->bs.p[s].len != len) return GB_ERR_TRACE;
        cf = c->bs.p[s].cf;
    } else {
        const int64_t i = -2 - (int64_t)s;
        if (reducer || i < 0 || i >= ninputs || inputs[i].len != len) return GB_ERR_TRACE;
        in = &inputs[i];
        cf = in->cf;
    }
    if (len < 1) return GB_ERR_TRACE;
    int32_t *col = gb_malloc(c, (size_t)len * sizeof(int32_t));
    if (col == NULL) return gb_alloc_error(c);
    int err = get_row(pos, end, col, len, R->ncols);
    if (!err && in) {
        /* the input's monomials (ids of this run's table) must be the recorded columns' */
        const int32_t nv = c->nv;
        for (int32_t t = 0; t < len && !err; t++)
            if (memcmp(gb_ev(&c->ht, in->col[t]), R->cm + (size_t)col[t] * nv,
                       (size_t)nv * sizeof(gb_exp)))
                err = GB_ERR_TRACE;
    }
    if (err) {
        gb_free(c, col);
        return err;
    }
    gb_row **rows = reducer ? &M->rd : &M->tr;
    int64_t *cnt = reducer ? &M->nrd : &M->ntr;
    int64_t *cap = reducer ? &M->caprd : &M->captr;
    if ((err = gb_grow(c, (void **)rows, cap, *cnt + 1, sizeof(gb_row)))) {
        gb_free(c, col);
        return err;
    }
    gb_row *r = &(*rows)[(*cnt)++];
    r->len = len;
    r->col = col;
    r->cf = cf;
    r->own = NULL;
    r->src = s;
    if (in) {
        /* the matrix owns the input's coefficients now; its monomials are done with */
        r->own = in->own;
        in->own = NULL;
        in->len = 0;
        gb_free(c, in->col);
        in->col = NULL;
    }
    M->nnz += len;
    return GB_OK;
}

/* The new pivots become basis elements: their columns are checked against the
 * recorded supports and turned into monomials of this run's table. */
static int replay_new_pivots(gb_ctx *c, const gb_trace_round *R)
{
    gb_matrix *M = &c->mat;
    const int32_t nv = c->nv;
    if (M->nnp != R->nnew) return GB_ERR_TRACE;
    for (int64_t k = 0; k < M->nnp; k++) {
        const gb_row *r = &M->np[k];
        if (r->col[0] != R->new_lead[k] || r->len != R->new_len[k]
            || support_sum(r->col, r->len) != R->new_sum[k])
            return GB_ERR_TRACE;
    }
    for (int64_t k = 0; k < M->nnp; k++) {
        gb_row *r = &M->np[k];
        for (int32_t t = 0; t < r->len; t++) {
            const int32_t id = gb_ht_insert(c, &c->ht, R->cm + (size_t)r->col[t] * nv);
            if (id < 0) return id;
            r->col[t] = id;
        }
        if (c->ht.deg[r->col[0]] == 0) c->inconsistent = 1;
        int err = gb_basis_add(c, r->len, r->col, r->own);
        if (err) return err;
        r->col = NULL;
        r->own = NULL;
    }
    return GB_OK;
}

/* Replay one recorded round; inputs[k] are the cleaned input rows. */
static int replay_round(gb_ctx *c, const gb_trace_round *R, gb_row *inputs, int64_t ninputs)
{
    gb_matrix *M = &c->mat;
    int err = GB_OK;
    double t = gb_now();
    const uint8_t *pos = R->cols, *end = R->cols + R->ncolbytes;
    M->ncols = 0; /* no column marks in the hash table: gb_matrix_clear must not look */
    for (int64_t k = 0; k < R->nrd && !err; k++)
        err = replay_row(c, R, k, 1, &pos, end, inputs, ninputs);
    for (int64_t k = 0; k < R->ntr && !err; k++)
        err = replay_row(c, R, R->nrd + k, 0, &pos, end, inputs, ninputs);
    c->st.time_symbolic += gb_now() - t;
    if (err) return err;
    M->ncols = R->ncols;
    const int64_t rows = M->nrd + M->ntr;
    if (rows > c->st.max_rows) c->st.max_rows = rows;
    if (M->ncols > c->st.max_cols) c->st.max_cols = M->ncols;
    if (M->nnz > c->st.max_nnz) c->st.max_nnz = M->nnz;
    t = gb_now();
    err = gb_linalg(c, GB_LA_ECHELON);
    c->st.time_linalg += gb_now() - t;
    M->ncols = 0;
    if (err) return err;
    t = gb_now();
    err = replay_new_pivots(c, R);
    gb_matrix_clear(c);
    c->st.time_convert += gb_now() - t;
    if (err) return err;
    if (c->opt.progress && c->opt.progress(c->opt.progress_data, c->st.rounds, 0, rows, R->ncols))
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
