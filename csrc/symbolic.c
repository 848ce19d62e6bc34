/* Symbolic preprocessing: which rows the matrix of a round needs.
 *
 * The selected pairs are grouped by lcm.  In each group one generator's
 * multiple (the shortest) becomes the known pivot of the lcm column and the
 * other generators' multiples become rows to reduce, so one pair costs one row.
 * Then every column monomial is examined once (c->ht.idx marks: 1 = in the
 * matrix, 2 = reducer already looked for): if the leading monomial of a
 * non-redundant basis element divides it, that element times the cofactor is
 * added as the known pivot of the column, which may add further columns.  Of
 * several such elements the one of least ecart (pairs.c) is taken, the oldest
 * among equals: its row climbs least above the column's degree.  Under grevlex
 * every ecart is 0 and the first divisor found is taken. */
#include <stdint.h>
#include <stdlib.h>

#include "gb_data.h"

int gb_matrix_push_col(gb_ctx *c, int32_t m, int32_t mark)
{
    gb_htable *h = &c->ht;
    if (h->idx[m]) return GB_OK;
    gb_matrix *M = &c->mat;
    int err = gb_grow(c, (void **)&M->cm, &M->capc, (int64_t)M->ncols + 1, sizeof(int32_t));
    if (err) return err;
    if (M->ncols == INT32_MAX) return GB_ERR_OVERFLOW;
    M->cm[M->ncols++] = m;
    h->idx[m] = mark;
    return GB_OK;
}

/* The columns of the row (m / lm(g)) * g into col (hash ids, decreasing; room
 * for g's length), every new one pushed as a column of the matrix. */
int gb_matrix_expand(gb_ctx *c, int32_t g, int32_t m, int32_t *col)
{
    gb_htable *h = &c->ht;
    const gb_poly *P = &c->bs.p[g];
    const int32_t lm = P->mon[0];
    const int32_t nv = c->nv;
    const int32_t udeg = h->deg[m] - h->deg[lm];
    const uint32_t uh = h->hv[m] - h->hv[lm];
    const gb_exp *em = gb_ev(h, m), *el = gb_ev(h, lm);
    for (int32_t v = 0; v < nv; v++) c->ubuf[v] = (gb_exp)(em[v] - el[v]);
    col[0] = m;
    for (int32_t t = 1; t < P->len; t++) {
        int32_t id = gb_ht_insert_mul(c, h, c->ubuf, udeg, uh, P->mon[t]);
        if (id < 0) return id;
        col[t] = id;
        int err;
        if (!h->idx[id] && (err = gb_matrix_push_col(c, id, 1))) return err;
    }
    return GB_OK;
}

/* Add the row (m / lm(g)) * g, as a known pivot (reducer != 0) or a row to reduce. */
int gb_matrix_add_row(gb_ctx *c, int reducer, int32_t g, int32_t m)
{
    gb_matrix *M = &c->mat;
    const gb_poly *P = &c->bs.p[g];
    int err;
    gb_row **rows = reducer ? &M->rd : &M->tr;
    int64_t *cnt = reducer ? &M->nrd : &M->ntr;
    int64_t *cap = reducer ? &M->caprd : &M->captr;
    if ((err = gb_grow(c, (void **)rows, cap, *cnt + 1, sizeof(gb_row)))) return err;
    int32_t *col = gb_malloc(c, (size_t)P->len * sizeof(int32_t));
    if (col == NULL) return gb_alloc_error(c);
    if ((err = gb_matrix_expand(c, g, m, col))) {
        gb_free(c, col);
        return err;
    }
    gb_row *r = &(*rows)[(*cnt)++];
    r->len = P->len;
    r->col = col;
    r->cf = P->cf;
    r->own = NULL;
    r->src = g;
    M->nnz += P->len;
    return GB_OK;
}

static int store_row(gb_ctx *c, int reducer, int32_t g, int32_t m, void *arg)
{
    (void)arg;
    return gb_matrix_add_row(c, reducer, g, m);
}

static int cmp_pair_lcm(const void *x, const void *y)
{
    const gb_pair *a = x, *b = y;
    if (a->lcm != b->lcm) return a->lcm < b->lcm ? -1 : 1;
    if (a->i != b->i) return a->i < b->i ? -1 : 1;
    return (a->j > b->j) - (a->j < b->j);
}

/* Rows of the selected pairs (c->sel), handed to add (see gb_data.h). */
int gb_symbolic_pairs_to(gb_ctx *c, gb_row_sink add, void *arg)
{
    gb_pair *S = c->sel.p;
    const int64_t n = c->sel.n;
    qsort(S, (size_t)n, sizeof(gb_pair), cmp_pair_lcm);
    int err;
    for (int64_t a = 0; a < n;) {
        const int32_t L = S[a].lcm;
        int64_t b = a;
        while (b < n && S[b].lcm == L) b++;
        /* distinct generators of the group, in c->gcol */
        if ((err = gb_grow(c, (void **)&c->gcol, &c->gcap, 2 * (b - a), sizeof(int32_t)))) return err;
        int32_t *gens = c->gcol;
        int64_t ng = 0;
        for (int64_t q = a; q < b; q++) {
            int32_t two[2] = {S[q].i, S[q].j};
            for (int s = 0; s < 2; s++) {
                int64_t k = 0;
                while (k < ng && gens[k] != two[s]) k++;
                if (k == ng) gens[ng++] = two[s];
            }
        }
        /* the shortest generator gives the known pivot */
        int64_t best = 0;
        for (int64_t k = 1; k < ng; k++) {
            const int32_t lk = c->bs.p[gens[k]].len, lb = c->bs.p[gens[best]].len;
            if (lk < lb || (lk == lb && gens[k] < gens[best])) best = k;
        }
        if ((err = gb_matrix_push_col(c, L, 2))) return err;
        c->ht.idx[L] = 2; /* L may already be a column (a tail term of an earlier row) */
        int32_t gb = gens[best];
        if ((err = add(c, 1, gb, L, arg))) return err;
        for (int64_t k = 0; k < ng; k++) {
            if (k == best) continue;
            /* gens lives in c->gcol, which no sink may touch */
            if ((err = add(c, 0, gens[k], L, arg))) return err;
        }
        a = b;
    }
    return GB_OK;
}

int gb_symbolic_pairs(gb_ctx *c)
{
    return gb_symbolic_pairs_to(c, store_row, NULL);
}

/* Find known pivots for every column not yet examined, until none is left; each
 * goes to add (see gb_data.h). */
int gb_symbolic_close_to(gb_ctx *c, gb_row_sink add, void *arg)
{
    gb_matrix *M = &c->mat;
    gb_htable *h = &c->ht;
    const gb_basis *B = &c->bs;
    const int32_t nv = c->nv;
    int err;
    for (int64_t k = 0; k < M->ncols; k++) {
        const int32_t m = M->cm[k];
        if (h->idx[m] == 2) continue;
        h->idx[m] = 2;
        if ((k & 255) == 0 && (err = gb_check(c))) return err;
        const uint32_t nmask = ~h->dm[m];
        const int32_t dm = h->deg[m];
        const gb_exp *em = gb_ev(h, m);
        int32_t found = -1, best = INT32_MAX;
        for (int32_t l = 0; l < B->nlml && best > 0; l++) {
            if (B->lml_dm[l] & nmask) continue;
            const int32_t lm = B->lml_mon[l];
            if (h->deg[lm] > dm) continue;
            const gb_exp *el = gb_ev(h, lm);
            int32_t v = 0;
            while (v < nv && el[v] <= em[v]) v++;
            if (v < nv) continue;
            const int32_t e = gb_ecart(c, &B->p[B->lml[l]]);
            if (e < best) {
                best = e;
                found = B->lml[l];
            }
        }
        if (found >= 0 && (err = add(c, 1, found, m, arg))) return err;
    }
    return GB_OK;
}

int gb_symbolic_close(gb_ctx *c)
{
    return gb_symbolic_close_to(c, store_row, NULL);
}
