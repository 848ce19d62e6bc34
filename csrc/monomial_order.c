/* Monomial orders on plain exponent vectors; see monomial_order.h. */
#include "monomial_order.h"
#include "gb_errors.h"
#include "gb_data.h"

#include <stdlib.h>
#include <string.h>

int gb_order_init(gb_order *ord, gb_order_kind kind, int32_t nvars,
                  int32_t nblocks, const int32_t *block_size)
{
    if (nvars < 0) return GB_ERR_ARG;
    ord->kind = kind;
    ord->nvars = nvars;
    ord->nblocks = 0;
    if (kind == GB_ORDER_GREVLEX || kind == GB_ORDER_LEX || kind == GB_ORDER_GRLEX) return GB_OK;
    if (kind != GB_ORDER_BLOCK) return GB_ERR_ORDER;
    if (nblocks < 1 || nblocks > GB_MAX_BLOCKS || block_size == NULL) return GB_ERR_ORDER;
    int64_t total = 0;
    for (int32_t i = 0; i < nblocks; i++) {
        if (block_size[i] < 1) return GB_ERR_ORDER;
        ord->block_size[i] = block_size[i];
        total += block_size[i];
    }
    if (total != nvars) return GB_ERR_ORDER;
    ord->nblocks = nblocks;
    return GB_OK;
}

int64_t gb_monomial_degree(const int32_t *a, int32_t nvars)
{
    int64_t d = 0;
    for (int32_t i = 0; i < nvars; i++) d += a[i];
    return d;
}

/* grevlex on the variable range [lo, hi) */
static int grevlex_range(const int32_t *a, const int32_t *b, int32_t lo, int32_t hi)
{
    int64_t da = 0, db = 0;
    for (int32_t i = lo; i < hi; i++) { da += a[i]; db += b[i]; }
    if (da != db) return da > db ? 1 : -1;
    for (int32_t i = hi - 1; i >= lo; i--)
        if (a[i] != b[i]) return a[i] < b[i] ? 1 : -1;
    return 0;
}

int gb_monomial_cmp(const gb_order *ord, const int32_t *a, const int32_t *b)
{
    switch (ord->kind) {
    case GB_ORDER_GRLEX: /* total degree first, equal degrees by lex */
        if (gb_monomial_degree(a, ord->nvars) != gb_monomial_degree(b, ord->nvars))
            return gb_monomial_degree(a, ord->nvars) > gb_monomial_degree(b, ord->nvars) ? 1 : -1;
        /* fall through */
    case GB_ORDER_LEX:
        for (int32_t i = 0; i < ord->nvars; i++)
            if (a[i] != b[i]) return a[i] > b[i] ? 1 : -1;
        return 0;
    case GB_ORDER_BLOCK: {
        int32_t lo = 0;
        for (int32_t k = 0; k < ord->nblocks; k++) {
            int32_t hi = lo + ord->block_size[k];
            int c = grevlex_range(a, b, lo, hi);
            if (c) return c;
            lo = hi;
        }
        return 0;
    }
    case GB_ORDER_GREVLEX:
    default:
        return grevlex_range(a, b, 0, ord->nvars);
    }
}

int gb_monomial_divides(const int32_t *a, const int32_t *b, int32_t nvars)
{
    for (int32_t i = 0; i < nvars; i++)
        if (a[i] > b[i]) return 0;
    return 1;
}

/* merge sort of indices (stable, no recursion depth issues for large n) */
int gb_monomial_sort_desc(const gb_order *ord, const int32_t *exps, int64_t n, int64_t *perm)
{
    if (n < 0) return GB_ERR_ARG;
    for (int64_t i = 0; i < n; i++) perm[i] = i;
    if (n < 2) return GB_OK;
    int64_t *tmp = malloc((size_t)n * sizeof(int64_t));
    if (tmp == NULL) return GB_ERR_NOMEM;
    const int32_t nv = ord->nvars;
    int64_t *src = perm, *dst = tmp;
    for (int64_t width = 1; width < n; width *= 2) {
        for (int64_t lo = 0; lo < n; lo += 2 * width) {
            int64_t mid = lo + width < n ? lo + width : n;
            int64_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            int64_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                /* descending: take from the right only if strictly larger */
                if (gb_monomial_cmp(ord, exps + src[j] * nv, exps + src[i] * nv) > 0)
                    dst[k++] = src[j++];
                else
                    dst[k++] = src[i++];
            }
            while (i < mid) dst[k++] = src[i++];
            while (j < hi) dst[k++] = src[j++];
        }
        int64_t *t = src; src = dst; dst = t;
    }
    if (src != perm)
        for (int64_t i = 0; i < n; i++) perm[i] = src[i];
    free(tmp);
    return GB_OK;
}

/* ---- the same orders on hash-table monomials (16-bit exponents, cached degree) ---- */

static int grevlex_range16(const gb_exp *a, const gb_exp *b, int32_t lo, int32_t hi)
{
    int32_t da = 0, db = 0;
    for (int32_t i = lo; i < hi; i++) { da += a[i]; db += b[i]; }
    if (da != db) return da > db ? 1 : -1;
    for (int32_t i = hi - 1; i >= lo; i--)
        if (a[i] != b[i]) return a[i] < b[i] ? 1 : -1;
    return 0;
}

int gb_ht_cmp(const gb_order *ord, const gb_htable *h, int32_t a, int32_t b)
{
    if (a == b) return 0;
    const gb_exp *ea = gb_ev(h, a), *eb = gb_ev(h, b);
    switch (ord->kind) {
    case GB_ORDER_GRLEX: /* total degree first, equal degrees by lex */
        if (h->deg[a] != h->deg[b]) return h->deg[a] > h->deg[b] ? 1 : -1;
        /* fall through */
    case GB_ORDER_LEX:
        for (int32_t i = 0; i < ord->nvars; i++)
            if (ea[i] != eb[i]) return ea[i] > eb[i] ? 1 : -1;
        return 0;
    case GB_ORDER_BLOCK: {
        int32_t lo = 0;
        for (int32_t k = 0; k < ord->nblocks; k++) {
            int32_t hi = lo + ord->block_size[k];
            int c = grevlex_range16(ea, eb, lo, hi);
            if (c) return c;
            lo = hi;
        }
        return 0;
    }
    case GB_ORDER_GREVLEX:
    default:
        if (h->deg[a] != h->deg[b]) return h->deg[a] > h->deg[b] ? 1 : -1;
        for (int32_t i = ord->nvars - 1; i >= 0; i--)
            if (ea[i] != eb[i]) return ea[i] < eb[i] ? 1 : -1;
        return 0;
    }
}

/* Sort hash ids decreasingly (bottom-up merge sort, scratch from the context). */
int gb_sort_ids_desc(gb_ctx *c, int32_t *ids, int64_t n)
{
    if (n < 2) return GB_OK;
    int err = gb_grow(c, (void **)&c->ibuf, &c->ibuf_cap, n, sizeof(int32_t));
    if (err) return err;
    const gb_order *ord = &c->opt.order;
    const gb_htable *h = &c->ht;
    int32_t *src = ids, *dst = c->ibuf;
    /* insertion sort runs of 16 first */
    const int64_t run = 16;
    for (int64_t lo = 0; lo < n; lo += run) {
        int64_t hi = lo + run < n ? lo + run : n;
        for (int64_t i = lo + 1; i < hi; i++) {
            int32_t x = src[i];
            int64_t j = i;
            while (j > lo && gb_ht_cmp(ord, h, src[j - 1], x) < 0) { src[j] = src[j - 1]; j--; }
            src[j] = x;
        }
    }
    for (int64_t width = run; width < n; width *= 2) {
        for (int64_t lo = 0; lo < n; lo += 2 * width) {
            int64_t mid = lo + width < n ? lo + width : n;
            int64_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            int64_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                dst[k++] = gb_ht_cmp(ord, h, src[j], src[i]) > 0 ? src[j++] : src[i++];
            while (i < mid) dst[k++] = src[i++];
            while (j < hi) dst[k++] = src[j++];
        }
        int32_t *t = src; src = dst; dst = t;
    }
    if (src != ids) memcpy(ids, src, (size_t)n * sizeof(int32_t));
    return GB_OK;
}
