/* The computation context: creation and release, and modular arithmetic helpers.
 * See gb_data.h for the struct; the counted allocator is in alloc.c, the clock and
 * the interrupt / timeout polling in poll.c. */
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__   /* defined by stdlib.h */
#include <malloc.h>
#endif

#include "gb_data.h"

/* A computation that held at least this much gives the freed heap back to the
 * system when it ends (glibc keeps it otherwise: after a large F4 run a process
 * stayed hundreds of MB above what it used, issue 17). */
#define GB_TRIM_AFTER (64LL << 20)

/* a^-1 mod p for 0 < a < p, by the extended Euclidean algorithm. */
uint32_t gb_inverse(uint32_t a, uint32_t p)
{
    int64_t r0 = p, r1 = a, s0 = 0, s1 = 1;
    while (r1 != 0) {
        int64_t q = r0 / r1, t;
        t = r0 - q * r1; r0 = r1; r1 = t;
        t = s0 - q * s1; s0 = s1; s1 = t;
    }
    if (s0 < 0) s0 += p;
    return (uint32_t)s0;
}

static uint64_t mulmod64(uint64_t a, uint64_t b, uint64_t n)
{
    return (uint64_t)(((unsigned __int128)a * b) % n);
}

static uint64_t powmod64(uint64_t b, uint64_t e, uint64_t n)
{
    uint64_t r = 1;
    b %= n;
    while (e) {
        if (e & 1) r = mulmod64(r, b, n);
        b = mulmod64(b, b, n);
        e >>= 1;
    }
    return r;
}

int gb_is_prime(uint64_t n)
{
    static const uint64_t bases[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
    if (n < 2) return 0;
    for (int i = 0; i < 12; i++) {
        if (n == bases[i]) return 1;
        if (n % bases[i] == 0) return 0;
    }
    uint64_t d = n - 1;
    int s = 0;
    while ((d & 1) == 0) { d >>= 1; s++; }
    for (int i = 0; i < 12; i++) {
        uint64_t x = powmod64(bases[i], d, n);
        if (x == 1 || x == n - 1) continue;
        int composite = 1;
        for (int r = 1; r < s; r++) {
            x = mulmod64(x, x, n);
            if (x == n - 1) { composite = 0; break; }
        }
        if (composite) return 0;
    }
    return 1;
}

int gb_ctx_init(gb_ctx *c, const gb_options *opt, int32_t nvars)
{
    memset(c, 0, sizeof(*c));
    c->opt = *opt;
    c->nv = nvars;
    c->p = opt->modulus;
    c->t0 = gb_now();
    c->last_poll = c->t0;
    c->deadline = opt->timeout > 0 ? c->t0 + opt->timeout : 0;
    if (nvars < 1 || nvars > GB_MAX_VARS || opt->order.nvars != nvars) return GB_ERR_ARG;
    if (opt->modulus <= 2 || opt->modulus >= (1u << 31) || !gb_is_prime(opt->modulus))
        return GB_ERR_MODULUS;
    if (opt->la_mode < GB_LA_EXACT || opt->la_mode > GB_LA_AUTO || !(opt->la_auto_work >= 0.0))
        return GB_ERR_ARG;
    /* xorshift64 needs a nonzero state; mixing in p makes every prime's combinations differ */
    c->la_rng = (opt->la_seed ? opt->la_seed : 0x9E3779B97F4A7C15ull) ^ ((uint64_t)opt->modulus << 17);
    if (c->la_rng == 0) c->la_rng = 0x2545F4914F6CDD1Dull;
    c->nthreads = 1;
    c->ubuf = gb_calloc(c, (size_t)nvars * sizeof(gb_exp));
    if (c->ubuf == NULL) return gb_alloc_error(c);
    int err = gb_ht_init(c, &c->ht, nvars);
    if (err) return err;
    /* the worker pool starts lazily (linalg.c): small computations never create threads */
    c->want_threads = opt->threads;
    return GB_OK;
}

void gb_ctx_free(gb_ctx *c)
{
    if (c->scr) {
        for (int k = 0; k < c->nscr; k++) {
            gb_free(c, c->scr[k].acc);
            gb_free(c, c->scr[k].ocol);
            gb_free(c, c->scr[k].ocf);
        }
        gb_free(c, c->scr);
        c->scr = NULL;
        c->nscr = 0;
    }
    gb_pool_stop(c);
    gb_matrix_clear(c);
    gb_free(c, c->mat.rd);
    gb_free(c, c->mat.tr);
    gb_free(c, c->mat.np);
    gb_free(c, c->mat.cm);
    for (int32_t i = 0; i < c->bs.n; i++) {
        gb_free(c, c->bs.p[i].mon);
        gb_free(c, c->bs.p[i].cf);
    }
    gb_free(c, c->bs.p);
    gb_free(c, c->bs.lml);
    gb_free(c, c->bs.lml_mon);
    gb_free(c, c->bs.lml_dm);
    gb_free(c, c->ps.p);
    gb_free(c, c->sel.p);
    gb_free(c, c->np.p);
    gb_free(c, c->ubuf);
    gb_free(c, c->ibuf);
    gb_free(c, c->dense);
    gb_free(c, c->gcol);
    gb_free(c, c->gcf);
    gb_free(c, c->tr_kept);
    gb_ht_free(c, &c->ht);
    memset(&c->mat, 0, sizeof(c->mat));
    memset(&c->bs, 0, sizeof(c->bs));
#ifdef __GLIBC__
    if (c->st.peak_memory >= GB_TRIM_AFTER) malloc_trim(0);
#endif
}
