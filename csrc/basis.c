/* Basis storage, the list of reducer candidates, and the final inter-reduction.
 *
 * Elements are appended and never moved (pairs and matrix rows name them by
 * index); an element made redundant by the pair update stays stored, because
 * pending pairs may still need it, but leaves the list of reducer candidates.
 *
 * The final inter-reduction is one more F4 matrix: every non-redundant element
 * is a row to reduce, symbolic preprocessing finds a known pivot for every
 * column divisible by a leading monomial (each element is its own pivot), and
 * each row's tail is reduced while its leading term is kept. */
#include <string.h>

#include "gb_data.h"

/* Append an element; on success the basis owns mon and cf. */
int gb_basis_add(gb_ctx *c, int32_t len, int32_t *mon, uint32_t *cf, int32_t sugar)
{
    gb_basis *B = &c->bs;
    int64_t cap = B->cap;
    if (B->n == INT32_MAX) return GB_ERR_OVERFLOW;
    int err = gb_grow(c, (void **)&B->p, &cap, (int64_t)B->n + 1, sizeof(gb_poly));
    if (err) return err;
    B->cap = (int32_t)(cap < INT32_MAX ? cap : INT32_MAX);
    gb_poly *P = &B->p[B->n++];
    P->len = len;
    P->mon = mon;
    P->cf = cf;
    P->red = 0;
    P->sugar = sugar;
    return GB_OK;
}

/* Rebuild the reducer candidates: the non-redundant elements. */
int gb_basis_lml(gb_ctx *c)
{
    gb_basis *B = &c->bs;
    int64_t cap = B->caplml, cap2 = B->caplml, cap3 = B->caplml;
    int err;
    if ((err = gb_grow(c, (void **)&B->lml, &cap, B->n, sizeof(int32_t)))) return err;
    if ((err = gb_grow(c, (void **)&B->lml_mon, &cap2, B->n, sizeof(int32_t)))) return err;
    if ((err = gb_grow(c, (void **)&B->lml_dm, &cap3, B->n, sizeof(uint32_t)))) return err;
    B->caplml = (int32_t)cap;
    int32_t k = 0;
    for (int32_t i = 0; i < B->n; i++) {
        if (B->p[i].red) continue;
        B->lml[k] = i;
        B->lml_mon[k] = B->p[i].mon[0];
        B->lml_dm[k] = c->ht.dm[B->p[i].mon[0]];
        k++;
    }
    B->nlml = k;
    return GB_OK;
}

/* Reduce the tails of the non-redundant elements; *order receives their
 * indices by increasing leading monomial (owned by the context's ibuf-free
 * scratch: c->gcol is not touched afterwards until the caller is done). */
int gb_interreduce(gb_ctx *c, int32_t **order, int32_t *n)
{
    gb_basis *B = &c->bs;
    gb_matrix *M = &c->mat;
    int err;
    if ((err = gb_basis_lml(c))) return err;
    gb_matrix_clear(c);
    for (int32_t k = 0; k < B->nlml; k++) {
        const gb_poly *P = &B->p[B->lml[k]];
        int32_t *col = gb_malloc(c, (size_t)P->len * sizeof(int32_t));
        if (col == NULL) return c->err;
        memcpy(col, P->mon, (size_t)P->len * sizeof(int32_t));
        if ((err = gb_matrix_push_tr(c, P->len, col, P->cf, NULL, B->lml[k]))) {
            gb_free(c, col);
            return err;
        }
        for (int32_t t = 0; t < P->len; t++)
            if ((err = gb_matrix_push_col(c, col[t], 1))) return err;
    }
    if ((err = gb_symbolic_close(c))) return err;
    if ((err = gb_matrix_convert(c, 0))) return err;
    if ((err = gb_linalg(c, GB_LA_TAIL))) return err;
    /* install the reduced elements */
    for (int64_t k = 0; k < M->nnp; k++) {
        gb_row *r = &M->np[k];
        gb_poly *P = &B->p[B->lml[k]];
        for (int32_t t = 0; t < r->len; t++) r->col[t] = M->cm[r->col[t]];
        gb_free(c, P->mon);
        gb_free(c, P->cf);
        P->len = r->len;
        P->mon = r->col;
        P->cf = r->own;
        r->col = NULL;
        r->own = NULL;
    }
    gb_matrix_clear(c);
    /* order by increasing leading monomial: sort the leading monomials
     * decreasingly, then read them backwards through ht.idx */
    const int32_t nb = B->nlml;
    if ((err = gb_grow(c, (void **)&c->gcol, &c->gcap, nb + 1, sizeof(int32_t)))) return err;
    int32_t *lms = c->gcol;
    for (int32_t k = 0; k < nb; k++) {
        lms[k] = B->p[B->lml[k]].mon[0];
        c->ht.idx[lms[k]] = B->lml[k] + 1;
    }
    if ((err = gb_sort_ids_desc(c, lms, nb))) {
        for (int32_t k = 0; k < nb; k++) c->ht.idx[lms[k]] = 0;
        return err;
    }
    for (int32_t k = 0; k < nb / 2; k++) {
        int32_t t = lms[k];
        lms[k] = lms[nb - 1 - k];
        lms[nb - 1 - k] = t;
    }
    for (int32_t k = 0; k < nb; k++) {
        int32_t m = lms[k];
        lms[k] = c->ht.idx[m] - 1;
        c->ht.idx[m] = 0;
    }
    *order = lms;
    *n = nb;
    return GB_OK;
}
