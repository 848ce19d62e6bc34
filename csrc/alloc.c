/* Counted allocation: every block the core allocates goes through here, so the
 * memory budget holds and the peak-memory statistic is exact.  The counters
 * are updated atomically, so worker threads (threads.c) allocate through the
 * same context as the calling thread. */
#include <stdlib.h>
#include <string.h>

#include "gb_data.h"

#define GB_HDR 16 /* bytes in front of each block holding its size (keeps 16-byte alignment) */

/* Count n more bytes (n may be negative); 0, or the code of an exceeded budget. */
static int account(gb_ctx *c, int64_t n)
{
    const int64_t cur = __atomic_add_fetch(&c->mem_cur, n, __ATOMIC_RELAXED);
    if (n > 0 && c->opt.max_memory > 0 && cur > c->opt.max_memory) {
        __atomic_sub_fetch(&c->mem_cur, n, __ATOMIC_RELAXED);
        return GB_ERR_MEMORY_BUDGET;
    }
    int64_t peak = __atomic_load_n(&c->st.peak_memory, __ATOMIC_RELAXED);
    while (cur > peak && !__atomic_compare_exchange_n(&c->st.peak_memory, &peak, cur, 1,
                                                       __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        ;
    return GB_OK;
}

static void *fail(gb_ctx *c, int code)
{
    __atomic_store_n(&c->err, code, __ATOMIC_RELAXED);
    return NULL;
}

void *gb_malloc(gb_ctx *c, size_t n)
{
    int err = account(c, (int64_t)n);
    if (err) return fail(c, err);
    char *q = malloc(n + GB_HDR);
    if (q == NULL) {
        account(c, -(int64_t)n);
        return fail(c, GB_ERR_NOMEM);
    }
    *(size_t *)q = n;
    return q + GB_HDR;
}

void *gb_calloc(gb_ctx *c, size_t n)
{
    void *q = gb_malloc(c, n);
    if (q) memset(q, 0, n);
    return q;
}

void *gb_realloc(gb_ctx *c, void *ptr, size_t n)
{
    if (ptr == NULL) return gb_malloc(c, n);
    char *base = (char *)ptr - GB_HDR;
    const size_t old = *(size_t *)base;
    int err = account(c, (int64_t)n - (int64_t)old);
    if (err) return fail(c, err);
    char *q = realloc(base, n + GB_HDR);
    if (q == NULL) {
        account(c, (int64_t)old - (int64_t)n);
        return fail(c, GB_ERR_NOMEM);
    }
    *(size_t *)q = n;
    return q + GB_HDR;
}

void gb_free(gb_ctx *c, void *ptr)
{
    if (ptr == NULL) return;
    char *base = (char *)ptr - GB_HDR;
    account(c, -(int64_t)*(size_t *)base);
    free(base);
}

int gb_alloc_error(gb_ctx *c)
{
    int err = __atomic_load_n(&c->err, __ATOMIC_RELAXED);
    return err ? err : GB_ERR_NOMEM;
}

/* Make *ptr hold at least `need` elements of `elem` bytes (amortised doubling). */
int gb_grow(gb_ctx *c, void **ptr, int64_t *cap, int64_t need, size_t elem)
{
    if (need <= *cap) return GB_OK;
    int64_t nc = *cap > 0 ? *cap : 16;
    while (nc < need) nc *= 2;
    void *q = gb_realloc(c, *ptr, (size_t)nc * elem);
    if (q == NULL) return gb_alloc_error(c);
    *ptr = q;
    *cap = nc;
    return GB_OK;
}
