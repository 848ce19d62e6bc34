/* Basis storage, the list of reducer candidates, and the final inter-reduction.
 *
 * Elements are appended and never moved (pairs and matrix rows name them by
 * index); an element made redundant by the pair update stays stored, because
 * pending pairs may still need it, but leaves the list of reducer candidates.
 *
 * The final inter-reduction first keeps only the elements of minimal leading
 * monomial (the pair update may have kept a divisible element of small ecart as
 * a reducer, see pairs.c).  Under grevlex it is then one more F4 matrix: every
 * element is a row to reduce, symbolic preprocessing finds a known pivot for
 * every column divisible by a leading monomial (each element is its own pivot),
 * and each row's tail is reduced while its leading term is kept.  Under lex and
 * block orders the reducers' own tails would have to be reduced through the
 * same matrix, and the columns this drags in grow with the degrees of those
 * tails; so there the elements are reduced one by one by increasing leading
 * monomial, each by the already reduced smaller ones, whose tails are standard
 * monomials. */
#include <string.h>

#include "gb_data.h"

/* Append an element; on success the basis owns mon and cf. */
int gb_basis_add(gb_ctx *c, int32_t len, int32_t *mon, uint32_t *cf)
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
    P->tdeg = 0;
    for (int32_t t = 0; t < len; t++)
        if (c->ht.deg[mon[t]] > P->tdeg) P->tdeg = c->ht.deg[mon[t]];
    return GB_OK;
}

/* Append the new pivots of the matrix to the basis (columns back to hash ids; a
 * constant pivot marks the ideal inconsistent) and clear the matrix. */
int gb_take_new_pivots(gb_ctx *c)
{
    gb_matrix *M = &c->mat;
    int err;
    double t = gb_now();
    for (int64_t k = 0; k < M->nnp; k++) {
        gb_row *r = &M->np[k];
        for (int32_t s = 0; s < r->len; s++) r->col[s] = M->cm[r->col[s]];
        if (c->ht.deg[r->col[0]] == 0) c->inconsistent = 1;
        if ((err = gb_basis_add(c, r->len, r->col, r->own))) return err;
        r->col = NULL;
        r->own = NULL;
    }
    gb_matrix_clear(c);
    c->st.time_convert += gb_now() - t;
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

/* Mark redundant every element whose leading monomial another non-redundant
 * element's divides (of equal leading monomials the later one is kept). */
static void keep_minimal(gb_ctx *c)
{
    gb_basis *B = &c->bs;
    for (int32_t i = 0; i < B->n; i++) {
        if (B->p[i].red) continue;
        const int32_t li = B->p[i].mon[0];
        for (int32_t j = 0; j < B->n; j++) {
            if (j != i && !B->p[j].red && gb_ht_divides(&c->ht, B->p[j].mon[0], li)) {
                B->p[i].red = 1;
                break;
            }
        }
    }
}

/* Put element k of the basis as a row to reduce into the (empty) matrix. */
static int push_element(gb_ctx *c, int32_t k)
{
    const gb_poly *P = &c->bs.p[k];
    int err;
    int32_t *col = gb_malloc(c, (size_t)P->len * sizeof(int32_t));
    if (col == NULL) return gb_alloc_error(c);
    memcpy(col, P->mon, (size_t)P->len * sizeof(int32_t));
    if ((err = gb_matrix_push_tr(c, P->len, col, P->cf, NULL, k))) {
        gb_free(c, col);
        return err;
    }
    for (int32_t t = 0; t < P->len; t++)
        if ((err = gb_matrix_push_col(c, col[t], 1))) return err;
    return GB_OK;
}

/* Reduce the tails of the rows to reduce by the reducer candidates (c->bs.lml)
 * and install each result in the basis element the row came from. */
static int reduce_tails(gb_ctx *c)
{
    gb_basis *B = &c->bs;
    gb_matrix *M = &c->mat;
    int err;
    if ((err = gb_symbolic_close(c))) return err;
    if ((err = gb_matrix_convert(c, 0))) return err;
    if ((err = gb_linalg(c, GB_LA_TAIL))) return err;
    for (int64_t k = 0; k < M->nnp; k++) {
        gb_row *r = &M->np[k];
        gb_poly *P = &B->p[M->tr[k].src];
        for (int32_t t = 0; t < r->len; t++) r->col[t] = M->cm[r->col[t]];
        gb_free(c, P->mon);
        gb_free(c, P->cf);
        P->len = r->len;
        P->mon = r->col;
        P->cf = r->own;
        P->tdeg = 0;
        for (int32_t t = 0; t < P->len; t++)
            if (c->ht.deg[P->mon[t]] > P->tdeg) P->tdeg = c->ht.deg[P->mon[t]];
        r->col = NULL;
        r->own = NULL;
    }
    gb_matrix_clear(c);
    return GB_OK;
}

/* Indices of the reducer candidates by increasing leading monomial, into ids
 * (nb entries): sort the leading monomials decreasingly, read them backwards
 * through ht.idx. */
static int sort_increasing(gb_ctx *c, int32_t *ids, int32_t nb)
{
    const gb_basis *B = &c->bs;
    for (int32_t k = 0; k < nb; k++) {
        ids[k] = B->p[B->lml[k]].mon[0];
        c->ht.idx[ids[k]] = B->lml[k] + 1;
    }
    int err = gb_sort_ids_desc(c, ids, nb);
    for (int32_t k = 0; k < nb / 2 && !err; k++) {
        int32_t t = ids[k];
        ids[k] = ids[nb - 1 - k];
        ids[nb - 1 - k] = t;
    }
    for (int32_t k = 0; k < nb; k++) {
        const int32_t m = err ? B->p[B->lml[k]].mon[0] : ids[k];
        ids[k] = c->ht.idx[m] - 1;
        c->ht.idx[m] = 0;
    }
    return err;
}

/* Reduce the tails of the minimal elements; *order receives their indices by
 * increasing leading monomial (in c->gcol, valid until the next use of the
 * context's scratch). */
int gb_interreduce(gb_ctx *c, int32_t **order, int32_t *n)
{
    gb_basis *B = &c->bs;
    int err;
    keep_minimal(c);
    if ((err = gb_basis_lml(c))) return err;
    gb_matrix_clear(c);
    const int32_t nb = B->nlml;
    int32_t *ids = gb_malloc(c, (size_t)(nb > 0 ? nb : 1) * sizeof(int32_t));
    if (ids == NULL) return gb_alloc_error(c);
    if ((err = sort_increasing(c, ids, nb))) goto done;
    if (c->opt.order.kind == GB_ORDER_GREVLEX) {
        for (int32_t k = 0; k < nb && !err; k++) err = push_element(c, B->lml[k]);
        if (!err) err = reduce_tails(c);
    } else {
        /* reducer candidates: the first k elements by increasing leading monomial */
        for (int32_t k = 0; k < nb; k++) {
            B->lml[k] = ids[k];
            B->lml_mon[k] = B->p[ids[k]].mon[0];
            B->lml_dm[k] = c->ht.dm[B->lml_mon[k]];
        }
        for (int32_t k = 1; k < nb && !err; k++) {
            if ((err = gb_check(c))) break;
            B->nlml = k;
            if (!(err = push_element(c, ids[k]))) err = reduce_tails(c);
        }
        B->nlml = nb;
    }
    if (!err) err = gb_grow(c, (void **)&c->gcol, &c->gcap, nb + 1, sizeof(int32_t));
    if (!err) {
        memcpy(c->gcol, ids, (size_t)nb * sizeof(int32_t));
        *order = c->gcol;
        *n = nb;
    }
done:
    gb_free(c, ids);
    return err;
}
