/* Monomial hash table with divisibility masks.
 *
 * Every monomial of a computation is stored once and named by its id.  The
 * hash value is linear in the exponents (a random multiplier per variable),
 * so the hash of a product u*t is h(u) + h(t) and multiplying a polynomial by
 * a monomial costs one addition and one probe per term.  Slots are found by
 * multiplicative hashing of that value and linear probing; the table doubles
 * at half load.
 *
 * The divmask has dm_bits bits for each of the first dm_nv variables, bit k
 * set when the exponent exceeds k; a | b implies dm(a) is a subset of dm(b),
 * which rejects most non-divisors with one AND. */
#include <string.h>

#include "gb_data.h"

static uint32_t divmask(const gb_htable *h, const gb_exp *e)
{
    uint32_t m = 0;
    int bit = 0;
    for (int32_t v = 0; v < h->dm_nv; v++)
        for (int32_t k = 0; k < h->dm_bits; k++, bit++)
            if (e[v] > k) m |= 1u << bit;
    return m;
}

int gb_ht_init(gb_ctx *c, gb_htable *h, int32_t nv)
{
    memset(h, 0, sizeof(*h));
    h->nv = nv;
    h->cap = 1 << 12;
    h->msize = 1 << 13;
    h->mshift = 32 - 13;
    h->ev = gb_calloc(c, (size_t)h->cap * nv * sizeof(gb_exp));
    h->deg = gb_calloc(c, (size_t)h->cap * sizeof(int32_t));
    h->hv = gb_calloc(c, (size_t)h->cap * sizeof(uint32_t));
    h->dm = gb_calloc(c, (size_t)h->cap * sizeof(uint32_t));
    h->idx = gb_calloc(c, (size_t)h->cap * sizeof(int32_t));
    h->map = gb_calloc(c, (size_t)h->msize * sizeof(int32_t));
    h->rnd = gb_malloc(c, (size_t)nv * sizeof(uint32_t));
    if (!h->ev || !h->deg || !h->hv || !h->dm || !h->idx || !h->map || !h->rnd) return gb_alloc_error(c);
    uint64_t s = 0x9E3779B97F4A7C15ull; /* fixed seed: runs are reproducible */
    for (int32_t v = 0; v < nv; v++) {
        s += 0x9E3779B97F4A7C15ull; /* splitmix64 */
        uint64_t z = s;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        h->rnd[v] = (uint32_t)z | 1u;
    }
    if (nv <= 32) {
        h->dm_nv = nv;
        h->dm_bits = 32 / nv;
    } else {
        h->dm_nv = 32;
        h->dm_bits = 1;
    }
    h->n = 1; /* id 0 is the dummy */
    return GB_OK;
}

void gb_ht_free(gb_ctx *c, gb_htable *h)
{
    gb_free(c, h->ev);
    gb_free(c, h->deg);
    gb_free(c, h->hv);
    gb_free(c, h->dm);
    gb_free(c, h->idx);
    gb_free(c, h->map);
    gb_free(c, h->rnd);
    memset(h, 0, sizeof(*h));
}

static inline uint32_t slot(const gb_htable *h, uint32_t hv)
{
    return (hv * 0x9E3779B1u) >> h->mshift;
}

/* Room for one more monomial: grow the arrays, rehash at half load. */
static int reserve(gb_ctx *c, gb_htable *h)
{
    if (h->n >= h->cap) {
        int32_t nc = h->cap * 2;
        if (nc <= 0 || nc > (1 << 30)) return GB_ERR_OVERFLOW;
        void *p;
        if (!(p = gb_realloc(c, h->ev, (size_t)nc * h->nv * sizeof(gb_exp)))) return gb_alloc_error(c);
        h->ev = p;
        if (!(p = gb_realloc(c, h->deg, (size_t)nc * sizeof(int32_t)))) return gb_alloc_error(c);
        h->deg = p;
        if (!(p = gb_realloc(c, h->hv, (size_t)nc * sizeof(uint32_t)))) return gb_alloc_error(c);
        h->hv = p;
        if (!(p = gb_realloc(c, h->dm, (size_t)nc * sizeof(uint32_t)))) return gb_alloc_error(c);
        h->dm = p;
        if (!(p = gb_realloc(c, h->idx, (size_t)nc * sizeof(int32_t)))) return gb_alloc_error(c);
        h->idx = p;
        h->cap = nc;
    }
    if ((uint32_t)h->n * 2 >= h->msize) {
        uint32_t ns = h->msize * 2;
        int32_t *map = gb_calloc(c, (size_t)ns * sizeof(int32_t));
        if (map == NULL) return gb_alloc_error(c);
        gb_free(c, h->map);
        h->map = map;
        h->msize = ns;
        h->mshift -= 1;
        uint32_t mask = ns - 1;
        for (int32_t id = 1; id < h->n; id++) {
            uint32_t pos = slot(h, h->hv[id]);
            while (map[pos]) pos = (pos + 1) & mask;
            map[pos] = id;
        }
    }
    return GB_OK;
}

static int32_t store(gb_htable *h, uint32_t pos, uint32_t hv, int32_t deg)
{
    int32_t id = h->n++;
    h->map[pos] = id;
    h->hv[id] = hv;
    h->deg[id] = deg;
    h->dm[id] = divmask(h, gb_ev(h, id));
    h->idx[id] = 0;
    return id;
}

int32_t gb_ht_insert(gb_ctx *c, gb_htable *h, const gb_exp *e)
{
    int err = reserve(c, h);
    if (err) return err;
    const int32_t nv = h->nv;
    uint32_t hv = 0;
    int32_t deg = 0;
    for (int32_t v = 0; v < nv; v++) {
        hv += h->rnd[v] * e[v];
        deg += e[v];
    }
    const uint32_t mask = h->msize - 1;
    uint32_t pos = slot(h, hv);
    for (;; pos = (pos + 1) & mask) {
        int32_t id = h->map[pos];
        if (!id) break;
        if (h->hv[id] != hv || h->deg[id] != deg) continue;
        if (memcmp(gb_ev(h, id), e, (size_t)nv * sizeof(gb_exp)) == 0) return id;
    }
    memcpy(h->ev + (size_t)h->n * nv, e, (size_t)nv * sizeof(gb_exp));
    return store(h, pos, hv, deg);
}

int32_t gb_ht_insert_mul(gb_ctx *c, gb_htable *h, const gb_exp *u, int32_t udeg, uint32_t uh, int32_t t)
{
    const int32_t deg = udeg + h->deg[t];
    const int32_t nv = h->nv;
    if (deg > GB_MAX_EXP) { /* only then can one exponent of the product exceed GB_MAX_EXP */
        const gb_exp *e0 = gb_ev(h, t);
        for (int32_t v = 0; v < nv; v++)
            if ((int32_t)u[v] + e0[v] > GB_MAX_EXP) return GB_ERR_OVERFLOW;
    }
    if (h->n >= h->cap || (uint32_t)h->n * 2 >= h->msize) {
        int err = reserve(c, h);
        if (err) return err;
    }
    const uint32_t hv = uh + h->hv[t];
    const uint32_t mask = h->msize - 1;
    const gb_exp *et = gb_ev(h, t);
    uint32_t pos = slot(h, hv);
    for (;; pos = (pos + 1) & mask) {
        int32_t id = h->map[pos];
        if (!id) break;
        if (h->hv[id] != hv || h->deg[id] != deg) continue;
        const gb_exp *ei = gb_ev(h, id);
        int32_t v = 0;
        while (v < nv && ei[v] == (gb_exp)(u[v] + et[v])) v++;
        if (v == nv) return id;
    }
    gb_exp *en = h->ev + (size_t)h->n * nv;
    for (int32_t v = 0; v < nv; v++) en[v] = (gb_exp)(u[v] + et[v]);
    return store(h, pos, hv, deg);
}

int32_t gb_ht_find_mul(const gb_htable *h, const gb_exp *u, int32_t udeg, uint32_t uh, int32_t t)
{
    const int32_t deg = udeg + h->deg[t];
    const int32_t nv = h->nv;
    const uint32_t hv = uh + h->hv[t];
    const uint32_t mask = h->msize - 1;
    const gb_exp *et = gb_ev(h, t);
    for (uint32_t pos = slot(h, hv);; pos = (pos + 1) & mask) {
        const int32_t id = h->map[pos];
        if (!id) return 0;
        if (h->hv[id] != hv || h->deg[id] != deg) continue;
        const gb_exp *ei = gb_ev(h, id);
        int32_t v = 0;
        while (v < nv && ei[v] == (gb_exp)(u[v] + et[v])) v++;
        if (v == nv) return id;
    }
}

int gb_ht_divides(const gb_htable *h, int32_t a, int32_t b)
{
    if (h->dm[a] & ~h->dm[b]) return 0;
    if (h->deg[a] > h->deg[b]) return 0;
    const gb_exp *ea = gb_ev(h, a), *eb = gb_ev(h, b);
    for (int32_t v = 0; v < h->nv; v++)
        if (ea[v] > eb[v]) return 0;
    return 1;
}
