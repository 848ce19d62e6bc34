/* Matrix conversion: from hash ids to column indices and back.
 *
 * Columns are sorted once per matrix, decreasingly in the monomial order, so
 * inside the linear algebra a monomial comparison is an integer comparison
 * and the first nonzero column of a row is its leading monomial.  Rows keep
 * their entries by increasing column (multiplying by a monomial preserves the
 * order of the terms). */
#include <stdlib.h>

#include "gb_data.h"

int gb_matrix_push_tr(gb_ctx *c, int32_t len, int32_t *col, const uint32_t *cf, uint32_t *own, int32_t src)
{
    gb_matrix *M = &c->mat;
    int err = gb_grow(c, (void **)&M->tr, &M->captr, M->ntr + 1, sizeof(gb_row));
    if (err) return err;
    gb_row *r = &M->tr[M->ntr++];
    r->len = len;
    r->col = col;
    r->cf = cf;
    r->own = own;
    r->src = src;
    M->nnz += len;
    return GB_OK;
}

static int cmp_row_lead(const void *x, const void *y)
{
    const gb_row *a = x, *b = y;
    int32_t la = a->len ? a->col[0] : INT32_MAX, lb = b->len ? b->col[0] : INT32_MAX;
    if (la != lb) return la < lb ? -1 : 1;
    return (a->len > b->len) - (a->len < b->len);
}

int gb_matrix_convert(gb_ctx *c, int sort_tr)
{
    gb_matrix *M = &c->mat;
    int32_t *idx = c->ht.idx;
    int err = gb_sort_ids_desc(c, M->cm, M->ncols);
    if (err) return err;
    for (int32_t k = 0; k < M->ncols; k++) idx[M->cm[k]] = k;
    for (int64_t r = 0; r < M->nrd; r++) {
        gb_row *R = &M->rd[r];
        for (int32_t t = 0; t < R->len; t++) R->col[t] = idx[R->col[t]];
    }
    for (int64_t r = 0; r < M->ntr; r++) {
        gb_row *R = &M->tr[r];
        for (int32_t t = 0; t < R->len; t++) R->col[t] = idx[R->col[t]];
    }
    if (sort_tr) qsort(M->tr, (size_t)M->ntr, sizeof(gb_row), cmp_row_lead);
    int64_t rows = M->nrd + M->ntr;
    if (rows > c->st.max_rows) c->st.max_rows = rows;
    if (M->ncols > c->st.max_cols) c->st.max_cols = M->ncols;
    if (M->nnz > c->st.max_nnz) c->st.max_nnz = M->nnz;
    return GB_OK;
}

static void free_rows(gb_ctx *c, gb_row *rows, int64_t n)
{
    for (int64_t r = 0; r < n; r++) {
        gb_free(c, rows[r].col);
        gb_free(c, rows[r].own);
    }
}

/* Forget the matrix (keeping the arrays' capacity) and reset the column marks. */
void gb_matrix_clear(gb_ctx *c)
{
    gb_matrix *M = &c->mat;
    if (c->ht.idx)
        for (int32_t k = 0; k < M->ncols; k++) c->ht.idx[M->cm[k]] = 0;
    free_rows(c, M->rd, M->nrd);
    free_rows(c, M->tr, M->ntr);
    free_rows(c, M->np, M->nnp);
    M->nrd = M->ntr = M->nnp = 0;
    M->ncols = 0;
    M->nnz = 0;
}
