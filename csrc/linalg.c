/* Modular linear algebra of one F4 matrix.
 *
 * Rows are reduced into dense accumulators, column by column from left to
 * right: at a column with a pivot the pivot's multiple is subtracted; at a
 * column without one the entry is part of the result.  Known pivots share
 * their coefficient arrays with the basis elements they are multiples of.
 *
 * Blocked kernel.  GB_LANES = 16 rows are reduced together, their 32-bit
 * accumulators interleaved (entry (column, lane) at column * GB_LANES + lane,
 * one 64-byte cache line per column): a pivot row is read once for all lanes
 * and each of its terms updates one cache line, with SIMD where the CPU has it
 * (AVX2 / AVX-512, chosen at run time; a portable C kernel from the same
 * template otherwise).  Entries stay in [0, 2p) and each update is one
 * modular multiply-subtract by Shoup's method: the lane's multiplier v comes
 * with v' = floor(v 2^32 / p), and for a pivot coefficient f the quotient
 * q = floor(v' f / 2^32) makes r = v f - q p (computed mod 2^32) lie in
 * [0, 2p) -- no 64-bit accumulators and no reduction step per column, so a
 * 64-byte line holds 16 rows instead of 8 (the large rounds are bound by the
 * accumulators' memory traffic).  Lanes whose entry at the pivot's column is
 * zero get a zero multiplier.
 *
 * GB_LA_ECHELON (an F4 round) takes the rows to reduce in chunks of GB_CHUNK:
 * the rows of a chunk are reduced, in parallel blocks, by every pivot known at
 * the start of the chunk (the matrix's known pivots and the new pivots of
 * earlier chunks); then, in row order, each surviving row is reduced by the
 * new pivots of its own chunk and, if it does not vanish, made monic and
 * becomes a new pivot.  So row k gives a new pivot exactly when it is
 * independent of the known pivots and of rows 0..k-1, whatever the number of
 * threads.  At the end every new pivot's tail is reduced by the other new
 * pivots (in parallel; the result, the reduced row echelon form on the new
 * columns, is unique), and they come out in c->mat.np by increasing leading
 * column.
 *
 * GB_LA_NORMAL / GB_LA_TAIL: each row is reduced by the known pivots only and
 * np[k] receives row k's result (TAIL keeps the leading term untouched).
 * NORMAL first reduces the known pivots' tails, from the rightmost leading
 * column leftwards, so each row then needs one subtraction per reducible term. */
#include <stdlib.h>
#include <string.h>

#include "gb_data.h"

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define GB_X86_SIMD 1
#include <immintrin.h>
#endif

#define GB_LANES 16   /* rows per block of the blocked kernel (16 x 32 bits = one cache line) */
#define GB_CHUNK 256  /* rows to reduce per echelon chunk (fixed: results never depend on threads) */

/* What a reduction reads, shared by the threads. */
typedef struct {
    uint32_t p;              /* the prime */
    uint64_t pinv;           /* floor((2^64 - 1) / p), for gb_mod and Shoup's precomputation */
    const gb_row **pivs;     /* pivot row of each column, or NULL */
} gb_red;

/* Where the blocked kernel writes each lane's surviving entries. */
typedef struct {
    int32_t *col[GB_LANES];  /* columns, increasing */
    uint32_t *cf[GB_LANES];  /* coefficients in [1, p) */
    int64_t cnt[GB_LANES];   /* entries written */
} gb_lanes_out;

/* a mod p for any 64-bit a (one Barrett step with floor(2^64 / p), one correction). */
static inline uint64_t gb_mod(uint64_t a, uint64_t p, uint64_t pinv)
{
    const uint64_t q = (uint64_t)(((unsigned __int128)a * pinv) >> 64);
    const uint64_t r = a - q * p;
    return r >= p ? r - p : r;
}

/* Shoup's precomputation floor(v 2^32 / p) for 0 <= v < p < 2^31. */
static inline uint32_t gb_shoup(uint32_t v, uint32_t p, uint64_t pinv)
{
    const uint64_t x = (uint64_t)v << 32;
    uint64_t q = (uint64_t)(((unsigned __int128)x * pinv) >> 64); /* q or q - 1 */
    if (x - q * p >= p) q++;
    return (uint32_t)q;
}

/* ------------------------------------------------------------------ kernels */

/* The blocked kernel: scan columns lo..hi (hi grows with the pivots applied) of
 * the GB_LANES interleaved accumulators, zeroing them as it goes.  At a pivot's
 * column the lane values v[] (in [0, p)) and their Shoup companions w[] are set
 * and APPLY subtracts v times the pivot row (columns pc, coefficients pf, len
 * terms; the leading term is skipped) from the accumulators. */
#define GB_BLOCK_KERNEL(NAME, ATTR, APPLY)                                                  \
    ATTR static void NAME(const gb_red *R, uint32_t *acc, int32_t lo, int32_t hi,           \
                          gb_lanes_out *o)                                                  \
    {                                                                                       \
        const uint32_t p = R->p;                                                            \
        const uint64_t pinv = R->pinv;                                                      \
        const int32_t t0 = 1;                                                               \
        uint32_t v[GB_LANES] __attribute__((aligned(64)));                                  \
        uint32_t w[GB_LANES] __attribute__((aligned(64)));                                  \
        for (int32_t i = lo; i <= hi; i++) {                                                \
            uint32_t *a = acc + (size_t)i * GB_LANES;                                       \
            uint32_t any = 0;                                                               \
            for (int j = 0; j < GB_LANES; j++) any |= a[j];                                 \
            if (!any) continue;                                                             \
            any = 0;                                                                        \
            for (int j = 0; j < GB_LANES; j++) {                                            \
                const uint32_t x = a[j] >= p ? a[j] - p : a[j];                             \
                v[j] = x;                                                                   \
                a[j] = 0;                                                                   \
                any |= x;                                                                   \
            }                                                                               \
            if (!any) continue;                                                             \
            const gb_row *pr = R->pivs[i];                                                  \
            if (pr == NULL) {                                                               \
                for (int j = 0; j < GB_LANES; j++)                                          \
                    if (v[j]) {                                                             \
                        o->col[j][o->cnt[j]] = i;                                           \
                        o->cf[j][o->cnt[j]++] = v[j];                                       \
                    }                                                                       \
                continue;                                                                   \
            }                                                                               \
            const int32_t *pc = pr->col;                                                    \
            const uint32_t *pf = pr->cf;                                                    \
            const int32_t len = pr->len;                                                    \
            if (pc[len - 1] > hi) hi = pc[len - 1];                                         \
            for (int j = 0; j < GB_LANES; j++) w[j] = v[j] ? gb_shoup(v[j], p, pinv) : 0;   \
            APPLY                                                                           \
        }                                                                                   \
    }

/* Portable: b = b - r, plus 2p when that borrowed, with r = v f - q p in [0, 2p). */
#define GB_APPLY_C                                                                          \
    for (int32_t t = t0; t < len; t++) {                                                    \
        uint32_t *b = acc + (size_t)pc[t] * GB_LANES;                                       \
        const uint32_t f = pf[t];                                                           \
        for (int j = 0; j < GB_LANES; j++) {                                                \
            const uint32_t q = (uint32_t)(((uint64_t)w[j] * f) >> 32);                      \
            const uint32_t r = v[j] * f - q * p;                                            \
            const uint32_t y = b[j];                                                        \
            b[j] = y - r + (y < r ? 2 * p : 0);                                             \
        }                                                                                   \
    }

GB_BLOCK_KERNEL(block_c, , GB_APPLY_C)

#ifdef GB_X86_SIMD
/* AVX2: a column's 16 lanes are two 256-bit vectors; 32-bit products' high halves
 * come from two _mm256_mul_epu32 (even and odd lanes), and y < r (unsigned) from a
 * signed comparison after flipping the sign bits. */
#define GB_APPLY_AVX2                                                                       \
    {                                                                                       \
        const __m256i P = _mm256_set1_epi32((int)p), P2 = _mm256_set1_epi32((int)(2 * p));  \
        const __m256i S = _mm256_set1_epi32(INT32_MIN);                                     \
        __m256i V[2], W[2], Wo[2];                                                          \
        for (int u = 0; u < 2; u++) {                                                       \
            V[u] = _mm256_load_si256((const __m256i *)(v + 8 * u));                         \
            W[u] = _mm256_load_si256((const __m256i *)(w + 8 * u));                         \
            Wo[u] = _mm256_srli_epi64(W[u], 32);                                            \
        }                                                                                   \
        for (int32_t t = t0; t < len; t++) {                                                \
            __m256i *b = (__m256i *)(acc + (size_t)pc[t] * GB_LANES);                       \
            const __m256i F = _mm256_set1_epi32((int)pf[t]);                                \
            for (int u = 0; u < 2; u++) {                                                   \
                const __m256i he = _mm256_srli_epi64(_mm256_mul_epu32(W[u], F), 32);        \
                const __m256i ho = _mm256_mul_epu32(Wo[u], F);                              \
                const __m256i q = _mm256_blend_epi32(he, ho, 0xAA);                         \
                const __m256i r = _mm256_sub_epi32(_mm256_mullo_epi32(V[u], F),             \
                                                   _mm256_mullo_epi32(q, P));               \
                const __m256i y = _mm256_load_si256(b + u);                                 \
                const __m256i lt = _mm256_cmpgt_epi32(_mm256_xor_si256(r, S),               \
                                                      _mm256_xor_si256(y, S));              \
                _mm256_store_si256(b + u, _mm256_add_epi32(_mm256_sub_epi32(y, r),          \
                                                           _mm256_and_si256(lt, P2)));      \
            }                                                                               \
        }                                                                                   \
    }

/* AVX-512: a column's 16 lanes are one 512-bit vector. */
#define GB_APPLY_AVX512                                                                     \
    {                                                                                       \
        const __m512i P = _mm512_set1_epi32((int)p), P2 = _mm512_set1_epi32((int)(2 * p));  \
        const __m512i V = _mm512_load_si512((const void *)v);                               \
        const __m512i W = _mm512_load_si512((const void *)w);                               \
        const __m512i Wo = _mm512_srli_epi64(W, 32);                                        \
        for (int32_t t = t0; t < len; t++) {                                                \
            void *b = acc + (size_t)pc[t] * GB_LANES;                                       \
            const __m512i F = _mm512_set1_epi32((int)pf[t]);                                \
            const __m512i he = _mm512_srli_epi64(_mm512_mul_epu32(W, F), 32);               \
            const __m512i ho = _mm512_mul_epu32(Wo, F);                                     \
            const __m512i q = _mm512_mask_blend_epi32(0xAAAA, he, ho);                      \
            const __m512i r = _mm512_sub_epi32(_mm512_mullo_epi32(V, F),                    \
                                               _mm512_mullo_epi32(q, P));                   \
            const __m512i y = _mm512_load_si512(b);                                         \
            const __m512i x = _mm512_sub_epi32(y, r);                                       \
            _mm512_store_si512(b, _mm512_mask_add_epi32(x, _mm512_cmplt_epu32_mask(y, r),   \
                                                        x, P2));                            \
        }                                                                                   \
    }

GB_BLOCK_KERNEL(block_avx2, __attribute__((target("avx2"))), GB_APPLY_AVX2)
GB_BLOCK_KERNEL(block_avx512, __attribute__((target("avx512f"))), GB_APPLY_AVX512)
#endif

/* The combination loader of the probabilistic mode: subtract from the GB_LANES
 * interleaved accumulators (entries in [0, 2p)) the rows rows[0..n), row i times
 * the lane multipliers coef[i * GB_LANES + j] (in [1, p)): lane j receives the
 * combination -sum_i coef[i][j] rows[i].  The same update as the kernels' APPLY,
 * on every term (t0 = 0). */
#define GB_LOAD_KERNEL(NAME, ATTR, APPLY)                                                   \
    ATTR static void NAME(uint32_t p, uint64_t pinv, uint32_t *acc, const gb_row *rows,     \
                          int64_t n, const uint32_t *coef)                                  \
    {                                                                                       \
        const int32_t t0 = 0;                                                               \
        uint32_t v[GB_LANES] __attribute__((aligned(64)));                                  \
        uint32_t w[GB_LANES] __attribute__((aligned(64)));                                  \
        for (int64_t i = 0; i < n; i++) {                                                   \
            const gb_row *pr = &rows[i];                                                    \
            if (pr->len == 0) continue;                                                     \
            for (int j = 0; j < GB_LANES; j++) {                                            \
                v[j] = coef[i * GB_LANES + j];                                              \
                w[j] = gb_shoup(v[j], p, pinv);                                             \
            }                                                                               \
            const int32_t *pc = pr->col;                                                    \
            const uint32_t *pf = pr->cf;                                                    \
            const int32_t len = pr->len;                                                    \
            APPLY                                                                           \
        }                                                                                   \
    }

typedef void (*gb_load_fn)(uint32_t p, uint64_t pinv, uint32_t *acc, const gb_row *rows,
                           int64_t n, const uint32_t *coef);

GB_LOAD_KERNEL(load_c, , GB_APPLY_C)
#ifdef GB_X86_SIMD
GB_LOAD_KERNEL(load_avx2, __attribute__((target("avx2"))), GB_APPLY_AVX2)
GB_LOAD_KERNEL(load_avx512, __attribute__((target("avx512f"))), GB_APPLY_AVX512)
#endif

static gb_load_fn pick_loader(int simd)
{
#ifdef GB_X86_SIMD
    if (simd != 1) {
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx512f")) return load_avx512;
        if (__builtin_cpu_supports("avx2")) return load_avx2;
    }
#else
    (void)simd;
#endif
    return load_c;
}

typedef void (*gb_block_fn)(const gb_red *R, uint32_t *acc, int32_t lo, int32_t hi,
                            gb_lanes_out *o);

/* The blocked kernel for this CPU (simd = 1: portable C only). */
static gb_block_fn pick_kernel(int simd)
{
#ifdef GB_X86_SIMD
    if (simd != 1) {
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx512f")) return block_avx512;
        if (__builtin_cpu_supports("avx2")) return block_avx2;
    }
#else
    (void)simd;
#endif
    return block_c;
}

/* One-row kernel, for the serial steps.  Reduce the dense row dr from column
 * `start` on by the pivots; append the surviving entries (reduced mod p) to
 * c->gcol / c->gcf after `cnt` entries and zero dr as it goes.  Returns the
 * new count. */
#define GB_REDUCE_DENSE(NAME, UPDATE)                                                  \
    static int64_t NAME(gb_ctx *c, int64_t *dr, int32_t start, const gb_row *const *pivs, \
                        int64_t cnt)                                                   \
    {                                                                                  \
        const int64_t p = c->p;                                                        \
        const int64_t p2 = p * p;                                                      \
        const uint64_t pinv = UINT64_MAX / (uint64_t)p;                                \
        (void)p2;                                                                      \
        int32_t *gcol = c->gcol;                                                       \
        uint32_t *gcf = c->gcf;                                                        \
        int32_t hi = c->dense_hi; /* last column that may be nonzero */                \
        for (int32_t i = start; i <= hi; i++) {                                        \
            int64_t v = dr[i];                                                         \
            if (!v) continue;                                                          \
            dr[i] = 0;                                                                 \
            v = (int64_t)gb_mod((uint64_t)v, (uint64_t)p, pinv);                       \
            if (!v) continue;                                                          \
            const gb_row *pr = pivs[i];                                                \
            if (pr == NULL) {                                                          \
                gcol[cnt] = i;                                                         \
                gcf[cnt++] = (uint32_t)v;                                              \
                continue;                                                              \
            }                                                                          \
            const int32_t *pc = pr->col;                                               \
            const uint32_t *pf = pr->cf;                                               \
            const int32_t len = pr->len;                                               \
            const int64_t m = p - v;                                                   \
            (void)m;                                                                   \
            if (pc[len - 1] > hi) hi = pc[len - 1];                                    \
            int32_t t = 1;                                                             \
            for (; t + 3 < len; t += 4) {                                              \
                UPDATE(t);                                                             \
                UPDATE(t + 1);                                                         \
                UPDATE(t + 2);                                                         \
                UPDATE(t + 3);                                                         \
            }                                                                          \
            for (; t < len; t++) UPDATE(t);                                            \
        }                                                                              \
        return cnt;                                                                    \
    }

#define GB_UPDATE_LAZY(t) (dr[pc[t]] += m * (int64_t)pf[t])
#define GB_UPDATE_BOUNDED(t)                                                            \
    do {                                                                               \
        int64_t x_ = dr[pc[t]] - v * (int64_t)pf[t];                                   \
        x_ += (x_ >> 63) & p2;                                                         \
        dr[pc[t]] = x_;                                                                \
    } while (0)

GB_REDUCE_DENSE(reduce_dense_lazy, GB_UPDATE_LAZY)
GB_REDUCE_DENSE(reduce_dense_bounded, GB_UPDATE_BOUNDED)

static int64_t reduce_dense(gb_ctx *c, int64_t *dr, int32_t start, const gb_row *const *pivs,
                            int64_t cnt)
{
    if (c->lazy) return reduce_dense_lazy(c, dr, start, pivs, cnt);
    return reduce_dense_bounded(c, dr, start, pivs, cnt);
}

/* ------------------------------------------------------------- row storage */

/* Store cols/cfs[0..cnt) as the row *dst (own arrays; monic if make_monic). */
static int store_row(gb_ctx *c, gb_row *dst, const int32_t *cols, const uint32_t *cfs,
                     int64_t cnt, int make_monic, int32_t src)
{
    dst->len = (int32_t)cnt;
    dst->src = src;
    dst->col = NULL;
    dst->own = NULL;
    dst->cf = NULL;
    if (cnt == 0) return GB_OK;
    dst->col = gb_malloc(c, (size_t)cnt * sizeof(int32_t));
    dst->own = gb_malloc(c, (size_t)cnt * sizeof(uint32_t));
    if (dst->col == NULL || dst->own == NULL) return gb_alloc_error(c);
    memcpy(dst->col, cols, (size_t)cnt * sizeof(int32_t));
    if (make_monic && cfs[0] != 1) {
        const uint64_t inv = gb_inverse(cfs[0], c->p);
        for (int64_t t = 0; t < cnt; t++) dst->own[t] = (uint32_t)((cfs[t] * inv) % c->p);
    } else {
        memcpy(dst->own, cfs, (size_t)cnt * sizeof(uint32_t));
    }
    dst->cf = dst->own;
    return GB_OK;
}

static void free_row(gb_ctx *c, gb_row *r)
{
    gb_free(c, r->col);
    gb_free(c, r->own);
    r->col = NULL;
    r->own = NULL;
    r->cf = NULL;
    r->len = 0;
}

/* Make every thread's scratch fit a matrix of ncols columns. */
static int prepare_scratch(gb_ctx *c, int32_t ncols)
{
    if (c->nscr < c->nthreads) {
        /* first use, or the pool has just started: one entry per thread, old ones kept */
        gb_scratch *S = gb_calloc(c, (size_t)c->nthreads * sizeof(gb_scratch));
        if (S == NULL) return gb_alloc_error(c);
        if (c->scr) memcpy(S, c->scr, (size_t)c->nscr * sizeof(gb_scratch));
        gb_free(c, c->scr);
        c->scr = S;
        c->nscr = c->nthreads;
    }
    const int64_t need = ((int64_t)ncols + 1) * GB_LANES;
    for (int k = 0; k < c->nthreads; k++) {
        gb_scratch *S = &c->scr[k];
        if (S->acc_cap < need) {
            /* over-allocate by a cache line so that acc can be aligned to 64 bytes */
            const int64_t cap = need > 2 * S->acc_cap ? need : 2 * S->acc_cap;
            gb_free(c, S->acc);
            S->acc_cap = 0;
            S->acc = gb_calloc(c, (size_t)(cap + 16) * sizeof(uint32_t));
            if (S->acc == NULL) return gb_alloc_error(c);
            S->acc_cap = cap;
        }
        if (S->out_cap < ncols + 1) {
            const int64_t cap = ncols + 1 > 2 * S->out_cap ? ncols + 1 : 2 * S->out_cap;
            gb_free(c, S->ocol);
            gb_free(c, S->ocf);
            S->out_cap = 0;
            S->ocol = gb_malloc(c, (size_t)cap * GB_LANES * sizeof(int32_t));
            S->ocf = gb_malloc(c, (size_t)cap * GB_LANES * sizeof(uint32_t));
            if (S->ocol == NULL || S->ocf == NULL) return gb_alloc_error(c);
            S->out_cap = cap;
        }
    }
    return GB_OK;
}

static uint32_t *aligned_acc(const gb_scratch *S)
{
    uintptr_t a = (uintptr_t)S->acc;
    return (uint32_t *)((a + 63) & ~(uintptr_t)63);
}

/* ------------------------------------------------------------ block jobs */

/* A parallel job: reduce rows[0..nrows) by the pivots, GB_LANES rows per item. */
typedef struct {
    gb_red red;              /* prime and pivots */
    gb_block_fn kern;        /* the blocked kernel */
    const gb_row *rows;      /* the rows to reduce */
    int64_t nrows;           /* their number */
    int keep_lead;           /* 1: each row's first term is kept and only its tail reduced */
    int make_monic;          /* 1: results are made monic */
    gb_row *out;             /* out[k] receives the result of rows[k] (own arrays, len 0 if zero) */
} block_job;

static int block_task(gb_ctx *c, void *arg, int64_t item, int worker)
{
    block_job *J = arg;
    gb_scratch *S = &c->scr[worker];
    uint32_t *acc = aligned_acc(S);
    const int64_t k0 = item * GB_LANES;
    const int64_t k1 = k0 + GB_LANES < J->nrows ? k0 + GB_LANES : J->nrows;
    const int t0 = J->keep_lead ? 1 : 0;
    gb_lanes_out o;
    int32_t lo = INT32_MAX, hi = -1;
    for (int j = 0; j < GB_LANES; j++) {
        o.col[j] = S->ocol + (size_t)j * S->out_cap;
        o.cf[j] = S->ocf + (size_t)j * S->out_cap;
        o.cnt[j] = 0;
    }
    for (int64_t k = k0; k < k1; k++) {
        const gb_row *r = &J->rows[k];
        const int j = (int)(k - k0);
        if (r->len == 0) continue;
        if (t0) {
            o.col[j][0] = r->col[0];
            o.cf[j][0] = r->cf[0];
            o.cnt[j] = 1;
        }
        if (r->len <= t0) continue;
        for (int32_t t = t0; t < r->len; t++) acc[(size_t)r->col[t] * GB_LANES + j] = r->cf[t];
        if (r->col[t0] < lo) lo = r->col[t0];
        if (r->col[r->len - 1] > hi) hi = r->col[r->len - 1];
    }
    if (hi >= 0) J->kern(&J->red, acc, lo, hi, &o);
    int err = GB_OK;
    for (int64_t k = k0; k < k1; k++) {
        const int j = (int)(k - k0);
        int e = store_row(c, &J->out[k], o.col[j], o.cf[j], o.cnt[j], J->make_monic,
                          J->rows[k].src);
        if (e && !err) err = e;
    }
    return err;
}

/* Below this many rows x columns a block job runs on the calling thread: waking the
 * workers and waiting for them to leave the job costs more than such a job (tens of
 * microseconds on an idle machine, up to a scheduler time slice, ~50 ms measured,
 * on a loaded one, which made threads=2 slower than one thread on small systems). */
#define GB_PARALLEL_MIN_WORK 4000000.0

/* Run a block job over all rows. */
static int run_blocks(gb_ctx *c, block_job *J)
{
    const int64_t n = (J->nrows + GB_LANES - 1) / GB_LANES;
    if ((double)J->nrows * (double)c->mat.ncols < GB_PARALLEL_MIN_WORK)
        return gb_serial(c, n, block_task, J);
    return gb_parallel(c, n, block_task, J);
}

/* -------------------------------------------------------- serial helpers */

/* Replace pivot row i (leading column i) by its tail fully reduced by the pivots to
 * its right; rows whose tail meets no pivot are left alone. */
static int reduce_pivot_tail(gb_ctx *c, const gb_row **pivs, int32_t i)
{
    gb_row *r = (gb_row *)pivs[i];
    int64_t *dr = c->dense;
    int need = 0, err;
    for (int32_t t = 1; t < r->len && !need; t++) need = pivs[r->col[t]] != NULL;
    if (!need) return GB_OK;
    if ((err = gb_check(c))) return err;
    for (int32_t t = 1; t < r->len; t++) dr[r->col[t]] = r->cf[t];
    c->dense_hi = r->col[r->len - 1];
    c->gcol[0] = i;
    c->gcf[0] = 1;
    int64_t cnt = reduce_dense(c, dr, i + 1, pivs, 1);
    gb_row nr;
    if ((err = store_row(c, &nr, c->gcol, c->gcf, cnt, 0, r->src))) {
        free_row(c, &nr);
        return err;
    }
    free_row(c, r);
    *r = nr;
    return GB_OK;
}

/* Normal forms: fully reduce the known pivots first, from the rightmost leading
 * column leftwards. */
static int reduce_known(gb_ctx *c, const gb_row **pivs)
{
    int err;
    for (int32_t i = c->mat.ncols - 1; i >= 0; i--)
        if (pivs[i] != NULL && (err = reduce_pivot_tail(c, pivs, i))) return err;
    return GB_OK;
}

static int cmp_row_lead(const void *x, const void *y)
{
    const gb_row *a = x, *b = y;
    return (a->col[0] > b->col[0]) - (a->col[0] < b->col[0]);
}

/* The serial step of a chunk: rows res[0..n) (reduced by the pivots known at the
 * start of the chunk) become new pivots in order, each reduced by the new pivots
 * of the chunk before it; kept[k] (if not NULL) tells whether res[k] did. */
static int echelon_chunk(gb_ctx *c, const gb_row **pivs, gb_row *res, int64_t n, uint8_t *kept)
{
    gb_matrix *M = &c->mat;
    int64_t *dr = c->dense;
    int64_t fresh = 0; /* new pivots of this chunk so far */
    int err;
    for (int64_t k = 0; k < n; k++) {
        gb_row *r = &res[k];
        if (kept) kept[k] = 0;
        if (r->len == 0) continue;
        if ((k & 15) == 0 && (err = gb_check(c))) return err;
        gb_row *dst = &M->np[M->nnp];
        if (fresh == 0) {
            /* nothing new to reduce by: the row is a new pivot as it is */
            *dst = *r;
            r->col = NULL;
            r->own = NULL;
            r->len = 0;
            M->nnp++;
            if (dst->own[0] != 1) {
                const uint64_t inv = gb_inverse(dst->own[0], c->p);
                for (int32_t t = 0; t < dst->len; t++)
                    dst->own[t] = (uint32_t)((dst->own[t] * inv) % c->p);
            }
        } else {
            for (int32_t t = 0; t < r->len; t++) dr[r->col[t]] = r->cf[t];
            c->dense_hi = r->col[r->len - 1];
            const int32_t start = r->col[0], src = r->src;
            free_row(c, r);
            int64_t cnt = reduce_dense(c, dr, start, pivs, 0);
            if (cnt == 0) continue;
            err = store_row(c, dst, c->gcol, c->gcf, cnt, 1, src);
            M->nnp++; /* counted even on failure so the arrays get freed */
            if (err) return err;
        }
        pivs[dst->col[0]] = dst;
        fresh++;
        if (kept) kept[k] = 1;
    }
    return GB_OK;
}

/* Reduce every new pivot's tail by the new pivots (they are zero at the known
 * pivots' columns already), in parallel; the reduced rows replace the old ones
 * once all are done. */
static int interreduce_new(gb_ctx *c, block_job *J)
{
    gb_matrix *M = &c->mat;
    if (M->nnp < 2) return GB_OK;
    gb_row *out = gb_calloc(c, (size_t)M->nnp * sizeof(gb_row));
    if (out == NULL) return gb_alloc_error(c);
    J->rows = M->np;
    J->nrows = M->nnp;
    J->keep_lead = 1;
    J->make_monic = 0;
    J->out = out;
    int err = run_blocks(c, J);
    for (int64_t k = 0; k < M->nnp; k++) {
        if (!err) {
            free_row(c, &M->np[k]);
            M->np[k] = out[k];
        } else {
            free_row(c, &out[k]);
        }
    }
    gb_free(c, out);
    return err;
}

/* ---------------------------------------------- probabilistic echelon */

/* Rows to reduce per chunk of the probabilistic mode: combinations of a chunk cost
 * about one block of the exact mode each (loading a row is one pass over it, like
 * applying a pivot), so a chunk of GB_PROB_CHUNK rows and rank r costs about
 * (r + GB_LANES) / GB_LANES blocks instead of GB_PROB_CHUNK / GB_LANES. */
#define GB_PROB_CHUNK 1024

static inline uint64_t la_next(gb_ctx *c)
{
    uint64_t x = c->la_rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c->la_rng = x;
    return x;
}

/* A batch job of the probabilistic mode: item b loads GB_LANES random combinations
 * of the chunk's rows (multipliers coef + b * n * GB_LANES) and reduces them. */
typedef struct {
    block_job *J;            /* prime, pivots, kernel */
    gb_load_fn load;         /* the combination loader */
    const gb_row *rows;      /* the chunk */
    int64_t n;               /* its rows */
    int32_t lo, hi;          /* first and last column of its rows */
    const uint32_t *coef;    /* per batch: n * GB_LANES multipliers in [1, p) */
    gb_row *out;             /* per batch: GB_LANES results */
} combo_job;

static int combo_task(gb_ctx *c, void *arg, int64_t item, int worker)
{
    combo_job *Q = arg;
    gb_scratch *S = &c->scr[worker];
    uint32_t *acc = aligned_acc(S);
    gb_lanes_out o;
    for (int j = 0; j < GB_LANES; j++) {
        o.col[j] = S->ocol + (size_t)j * S->out_cap;
        o.cf[j] = S->ocf + (size_t)j * S->out_cap;
        o.cnt[j] = 0;
    }
    Q->load(c->p, Q->J->red.pinv, acc, Q->rows, Q->n, Q->coef + item * Q->n * GB_LANES);
    Q->J->kern(&Q->J->red, acc, Q->lo, Q->hi, &o);
    int err = GB_OK;
    for (int j = 0; j < GB_LANES; j++) {
        int e = store_row(c, &Q->out[item * GB_LANES + j], o.col[j], o.cf[j], o.cnt[j], 0,
                          Q->rows[0].src);
        if (e && !err) err = e;
    }
    return err;
}

/* GB_LA_ECHELON by random combinations.  Chunk by chunk (rows sorted by leading
 * column), batches of GB_LANES uniform random combinations of the chunk's rows (one
 * batch per thread at a time) are reduced by every pivot known so far, then
 * echeloned in order as echelon_chunk does; the chunk is done once a combination
 * reduces to zero.  While the chunk's rows are not all in the span of the pivots, a
 * combination reduces to zero with probability at most 1/p (its coefficients are
 * independent of the pivots it is reduced by), so the new pivots span the exact
 * mode's except with probability at most (zero combinations) / p; the final
 * inter-reduction then makes them the same reduced echelon form. */
static int linalg_echelon_prob(gb_ctx *c, const gb_row **pivs, block_job *J)
{
    gb_matrix *M = &c->mat;
    const int nb = c->pool != NULL && c->nthreads > 1 ? c->nthreads : 1;
    const int64_t nres = (int64_t)nb * GB_LANES;
    int err = GB_OK;
    gb_row *res = gb_calloc(c, (size_t)nres * sizeof(gb_row));
    uint32_t *coef = gb_malloc(c, (size_t)nb * GB_PROB_CHUNK * GB_LANES * sizeof(uint32_t));
    uint8_t *kept = gb_malloc(c, (size_t)nres);
    if (res == NULL || coef == NULL || kept == NULL) err = gb_alloc_error(c);
    combo_job Q;
    Q.J = J;
    Q.load = pick_loader(c->opt.simd);
    Q.coef = coef;
    Q.out = res;
    const uint64_t pm1 = c->p - 1;
    for (int64_t k0 = 0; k0 < M->ntr && !err; k0 += GB_PROB_CHUNK) {
        const int64_t n = M->ntr - k0 < GB_PROB_CHUNK ? M->ntr - k0 : GB_PROB_CHUNK;
        Q.rows = M->tr + k0;
        Q.n = n;
        Q.lo = INT32_MAX;
        Q.hi = -1;
        for (int64_t i = 0; i < n; i++) {
            const gb_row *r = &Q.rows[i];
            if (r->len == 0) continue;
            if (r->col[0] < Q.lo) Q.lo = r->col[0];
            if (r->col[r->len - 1] > Q.hi) Q.hi = r->col[r->len - 1];
        }
        if (Q.hi < 0) continue;                   /* only empty rows */
        for (;;) {
            if ((err = gb_check(c))) break;
            for (int64_t q = 0; q < (int64_t)nb * n * GB_LANES; q++)
                coef[q] = (uint32_t)(1 + la_next(c) % pm1);
            err = nb > 1 ? gb_parallel(c, nb, combo_task, &Q) : gb_serial(c, 1, combo_task, &Q);
            if (!err) err = echelon_chunk(c, pivs, res, nres, kept);
            for (int64_t k = 0; k < nres; k++) free_row(c, &res[k]);
            if (err) break;
            int64_t zeros = 0;
            for (int64_t k = 0; k < nres; k++) zeros += !kept[k];
            c->st.la_zero_checks += zeros;
            if (zeros) break;                     /* the chunk's span is captured */
        }
    }
    gb_free(c, kept);
    gb_free(c, coef);
    gb_free(c, res);
    if (!err) err = interreduce_new(c, J);
    if (!err) qsort(M->np, (size_t)M->nnp, sizeof(gb_row), cmp_row_lead);
    return err;
}

/* ------------------------------------------------------------- the driver */

static int linalg_echelon(gb_ctx *c, const gb_row **pivs, block_job *J)
{
    gb_matrix *M = &c->mat;
    int err = GB_OK;
    gb_row *res = gb_calloc(c, (size_t)GB_CHUNK * sizeof(gb_row));
    if (res == NULL) return gb_alloc_error(c);
    J->keep_lead = 0;
    J->make_monic = 0;
    J->out = res;
    for (int64_t k0 = 0; k0 < M->ntr && !err; k0 += GB_CHUNK) {
        const int64_t n = M->ntr - k0 < GB_CHUNK ? M->ntr - k0 : GB_CHUNK;
        J->rows = M->tr + k0;
        J->nrows = n;
        err = run_blocks(c, J);
        if (!err) err = echelon_chunk(c, pivs, res, n, c->tr_kept ? c->tr_kept + k0 : NULL);
        for (int64_t k = 0; k < n; k++) free_row(c, &res[k]);
    }
    gb_free(c, res);
    if (!err) err = interreduce_new(c, J);
    if (!err) qsort(M->np, (size_t)M->nnp, sizeof(gb_row), cmp_row_lead);
    return err;
}

int gb_linalg(gb_ctx *c, gb_la_mode mode)
{
    gb_matrix *M = &c->mat;
    const int32_t ncols = M->ncols;
    int err;
    if ((err = gb_grow(c, (void **)&M->np, &M->capnp, M->ntr, sizeof(gb_row)))) return err;
    if ((err = gb_grow(c, (void **)&c->gcol, &c->gcap, ncols + 1, sizeof(int32_t)))) return err;
    if ((err = gb_grow(c, (void **)&c->gcf, &c->gcf_cap, ncols + 1, sizeof(uint32_t)))) return err;
    int64_t oldcap = c->dense_cap;
    if ((err = gb_grow(c, (void **)&c->dense, &c->dense_cap, ncols + 1, sizeof(int64_t)))) return err;
    if (c->dense_cap != oldcap) memset(c->dense, 0, (size_t)c->dense_cap * sizeof(int64_t));
    /* the workers start with the first matrix worth them (see GB_PARALLEL_MIN_WORK) */
    if (c->pool == NULL && c->want_threads > 1
        && (double)(M->nrd + M->ntr) * (double)ncols >= GB_PARALLEL_MIN_WORK
        && (err = gb_pool_start(c, c->want_threads)))
        return err;
    if ((err = prepare_scratch(c, ncols))) return err;
    const gb_row **pivs = gb_calloc(c, (size_t)(ncols + 1) * sizeof(gb_row *));
    if (pivs == NULL) return gb_alloc_error(c);
    for (int64_t r = 0; r < M->nrd; r++) pivs[M->rd[r].col[0]] = &M->rd[r];
    /* one-row kernel: a column receives at most one update per pivot, so lazy
     * accumulation (entries below (columns + 1) p^2) is safe while that stays below 2^62 */
    const double p2 = (double)c->p * (double)c->p;
    c->lazy = (double)(ncols + 1) * p2 < 4.0e18;

    block_job J;
    memset(&J, 0, sizeof J);
    J.red.p = c->p;
    J.red.pinv = UINT64_MAX / c->p;
    J.red.pivs = pivs;
    J.kern = pick_kernel(c->opt.simd);

    if (mode == GB_LA_ECHELON) {
        err = c->la_prob ? linalg_echelon_prob(c, pivs, &J) : linalg_echelon(c, pivs, &J);
    } else {
        if (mode == GB_LA_NORMAL && M->ntr > 0) err = reduce_known(c, pivs);
        if (!err) {
            memset(M->np, 0, (size_t)M->ntr * sizeof(gb_row));
            M->nnp = M->ntr; /* so that every result gets freed, also on failure */
            J.rows = M->tr;
            J.nrows = M->ntr;
            J.keep_lead = mode == GB_LA_TAIL;
            J.make_monic = 0;
            J.out = M->np;
            err = run_blocks(c, &J);
        }
    }
    gb_free(c, (void *)pivs);
    return err;
}
