/* Krylov solve for the RUR modulo p: dense linear algebra of one quotient ring.
 *
 * Given the multiplication matrix M_t of a linear form t on the normal set
 * (D x D, entries in [0, p)) and right-hand sides y_1..y_r (coordinate vectors),
 * build the Krylov basis K = [e_0, M_t e_0, ..., M_t^(D-1) e_0] and solve
 *     K s_0 = M_t^D e_0,     K s_j = y_j   (j = 1..r).
 * K is invertible iff the minimal polynomial of t has degree D (t separates
 * the solutions of a radical ideal); then s_0 holds the characteristic
 * polynomial T^D - sum_k s_0[k] T^k of t and y_j = h_j(t) with h_j the
 * polynomial whose coefficients are s_j.  This is the RUR fast path of
 * grobnet/exact/rur.py, moved to C because it runs once per prime.
 *
 * Arithmetic: matrix-vector products accumulate 62-bit products in 128-bit
 * integers and reduce once per row; the elimination multiplies by a fixed
 * factor per row operation with Shoup's precomputed quotient.  No global
 * state; every allocation is checked.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gb_errors.h"
#include "krylov.h"

/* (a * b) mod p with b' = floor(b * 2^32 / p) precomputed (Shoup). */
static inline uint32_t mul_shoup(uint32_t a, uint32_t b, uint32_t b_pre, uint32_t p)
{
    uint32_t q = (uint32_t)(((uint64_t)a * b_pre) >> 32);
    uint64_t r = (uint64_t)a * b - (uint64_t)q * p;
    return (uint32_t)(r >= p ? r - p : r);
}

static inline uint32_t shoup_pre(uint32_t b, uint32_t p)
{
    return (uint32_t)(((uint64_t)b << 32) / p);
}

static uint32_t inv_mod(uint32_t a, uint32_t p)
{
    int64_t t = 0, newt = 1, r = p, newr = a;
    while (newr != 0) {
        int64_t q = r / newr, tmp;
        tmp = t - q * newt; t = newt; newt = tmp;
        tmp = r - q * newr; r = newr; newr = tmp;
    }
    if (t < 0)
        t += p;
    return (uint32_t)t;
}

/* M_t split by columns: a column that is a unit vector e_r (x b_j is again a
 * standard monomial, the common case for a form of few variables) is stored
 * as its row r; the other columns are packed into a dense D x nd matrix. */
typedef struct {
    int64_t D, nd;
    int64_t *unit_row;       /* per column: its row if a unit column, else -1 */
    int64_t *dense_col;      /* the nd dense columns */
    uint32_t *Md;            /* D x nd, row-major: the low 16 bits of each entry */
    uint32_t *Mh;            /* D x nd, row-major: the high bits (entry >> 16) */
    uint32_t *vd;            /* scratch: v at the dense columns */
} split_matrix;

static void split_free(split_matrix *S)
{
    free(S->unit_row);
    free(S->dense_col);
    free(S->Md);
    free(S->Mh);
    free(S->vd);
}

/* Sort the columns of M into unit columns (a single entry 1: unit_row[c] = its row)
 * and dense ones (unit_row[c] = -1, listed in dense_col); returns their number. */
static int64_t classify_columns(const uint32_t *M, int64_t D, int64_t *unit_row,
                                int64_t *dense_col)
{
    int64_t nd = 0;
    for (int64_t c = 0; c < D; c++) {
        int64_t row = -1, nz = 0;
        for (int64_t r = 0; r < D && nz < 2; r++)
            if (M[r * D + c]) {
                nz++;
                row = M[r * D + c] == 1 ? r : -2;
            }
        if (nz == 1 && row >= 0) {
            unit_row[c] = row;
        } else {
            unit_row[c] = -1;
            dense_col[nd++] = c;
        }
    }
    return nd;
}

static int split_init(split_matrix *S, const uint32_t *M, int64_t D)
{
    memset(S, 0, sizeof *S);
    S->D = D;
    S->unit_row = malloc((size_t)D * sizeof(int64_t));
    S->dense_col = malloc((size_t)D * sizeof(int64_t));
    S->vd = malloc((size_t)D * sizeof(uint32_t));
    if (!S->unit_row || !S->dense_col || !S->vd) return GB_ERR_NOMEM;
    S->nd = classify_columns(M, D, S->unit_row, S->dense_col);
    S->Md = malloc((size_t)(D * (S->nd > 0 ? S->nd : 1)) * sizeof(uint32_t));
    S->Mh = malloc((size_t)(D * (S->nd > 0 ? S->nd : 1)) * sizeof(uint32_t));
    if (!S->Md || !S->Mh) return GB_ERR_NOMEM;
    for (int64_t r = 0; r < D; r++)
        for (int64_t k = 0; k < S->nd; k++) {
            uint32_t x = M[r * D + S->dense_col[k]];
            S->Md[r * S->nd + k] = x & 0xFFFFu;
            S->Mh[r * S->nd + k] = x >> 16;
        }
    return GB_OK;
}

/* Dot product of one row with vd: the entries are split into 16-bit halves so that
 * both sums stay below 2^63 for up to 2^16 terms (lo * v < 2^47, hi * v < 2^46)
 * and the loops vectorise (32 x 32 -> 64-bit products); one reduction per row.
 * Compiled for AVX2 and for the baseline, chosen at run time. */
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
static uint32_t dot_split(const uint32_t *lo, const uint32_t *hi, const uint32_t *vd, int64_t nd,
                          uint32_t p)
{
    uint64_t acc_lo = 0, acc_hi = 0;
    for (int64_t k = 0; k < nd; k++) {
        acc_lo += (uint64_t)lo[k] * vd[k];
        acc_hi += (uint64_t)hi[k] * vd[k];
    }
    return (uint32_t)((((acc_hi % p) << 16) + acc_lo % p) % p);
}

/* Columns of M_t for row-vector products u -> u M_t: a unit column c contributes
 * u[unit_row[c]], a dense column the dot product of u with it (stored
 * contiguously, split in 16-bit halves like Md/Mh). */
typedef struct {
    int64_t D, nd;
    int64_t *unit_row;       /* per column: its row if a unit column, else -1 */
    int64_t *dense_col;      /* the nd dense columns */
    uint32_t *Cd, *Ch;       /* nd x D: column k of the dense part, low / high bits */
} column_split;

static void colsplit_free(column_split *S)
{
    free(S->unit_row);
    free(S->dense_col);
    free(S->Cd);
    free(S->Ch);
}

static int colsplit_init(column_split *S, const uint32_t *M, int64_t D)
{
    memset(S, 0, sizeof *S);
    S->D = D;
    S->unit_row = malloc((size_t)D * sizeof(int64_t));
    S->dense_col = malloc((size_t)D * sizeof(int64_t));
    if (!S->unit_row || !S->dense_col) return GB_ERR_NOMEM;
    S->nd = classify_columns(M, D, S->unit_row, S->dense_col);
    const int64_t n = D * (S->nd > 0 ? S->nd : 1);
    S->Cd = malloc((size_t)n * sizeof(uint32_t));
    S->Ch = malloc((size_t)n * sizeof(uint32_t));
    if (!S->Cd || !S->Ch) return GB_ERR_NOMEM;
    for (int64_t k = 0; k < S->nd; k++)
        for (int64_t r = 0; r < D; r++) {
            uint32_t x = M[r * D + S->dense_col[k]];
            S->Cd[k * D + r] = x & 0xFFFFu;
            S->Ch[k * D + r] = x >> 16;
        }
    return GB_OK;
}

/* out = u M (row vector times matrix). */
static void vecmat(const column_split *S, const uint32_t *u, uint32_t *out, uint32_t p)
{
    const int64_t D = S->D;
    for (int64_t c = 0; c < D; c++)
        if (S->unit_row[c] >= 0) out[c] = u[S->unit_row[c]];
    for (int64_t k = 0; k < S->nd; k++)
        out[S->dense_col[k]] = dot_split(S->Cd + k * D, S->Ch + k * D, u, D, p);
}

/* out = M v. */
static void matvec(split_matrix *S, const uint32_t *v, uint32_t *out, uint32_t p)
{
    const int64_t D = S->D, nd = S->nd;
    for (int64_t k = 0; k < nd; k++) S->vd[k] = v[S->dense_col[k]];
    for (int64_t r = 0; r < D; r++)
        out[r] = dot_split(S->Md + r * nd, S->Mh + r * nd, S->vd, nd, p);
    for (int64_t c = 0; c < D; c++) {
        const int64_t r = S->unit_row[c];
        if (r >= 0) {
            uint32_t s = out[r] + v[c];
            out[r] = s >= p ? s - p : s;
        }
    }
}

/* row[k] -= f * prow[k] for k in [from, W), with f = row[c] read first and
 * the Shoup quotients of prow in pre.  Vectorised like dot_split. */
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
static void eliminate(uint32_t *row, const uint32_t *prow, const uint32_t *pre, int64_t c,
                      int64_t from, int64_t W, uint32_t p)
{
    uint32_t f = row[c];
    if (!f)
        return;
    const uint64_t nf = p - f;                /* row += (p - f) * prow */
    for (int64_t k = from; k < W; k++) {
        uint64_t q = (nf * pre[k]) >> 32;     /* Shoup: nf * prow[k] - q p lies in [0, 2p) */
        uint64_t r = nf * prow[k] - q * p;
        r = r >= p ? r - p : r;
        uint64_t s = row[k] + r;
        row[k] = (uint32_t)(s >= p ? s - p : s);
    }
}

int gb_krylov_solve(uint32_t p, int64_t D, const uint32_t *Mt, int64_t nrhs, const uint32_t *rhs,
                    uint32_t *solutions)
{
    if (p < 3 || p >= (1u << 31) || D < 1 || nrhs < 0 || !Mt || !solutions || (nrhs && !rhs))
        return GB_ERR_ARG;
    for (int64_t i = 0; i < D * D; i++)
        if (Mt[i] >= p)
            return GB_ERR_ARG;
    for (int64_t i = 0; i < D * nrhs; i++)
        if (rhs[i] >= p)
            return GB_ERR_ARG;
    const int64_t W = D + 1 + nrhs;           /* augmented row width */
    if (D > (1 << 16) || D > (INT64_MAX / 8) / W)  /* dot_split's sums stay exact up to 2^16 */
        return GB_ERR_OVERFLOW;
    uint32_t *A = malloc((size_t)(D * W) * sizeof *A);
    uint32_t *v = malloc((size_t)D * sizeof *v);
    uint32_t *w = malloc((size_t)D * sizeof *w);
    uint32_t *pre = malloc((size_t)W * sizeof *pre);
    split_matrix S;
    int code = split_init(&S, Mt, D);
    if (!code && (!A || !v || !w || !pre))
        code = GB_ERR_NOMEM;
    if (code)
        goto done;
    /* columns 0..D of A: the Krylov vectors; then the right-hand sides */
    memset(v, 0, (size_t)D * sizeof *v);
    v[0] = 1;
    for (int64_t k = 0; k <= D; k++) {
        for (int64_t r = 0; r < D; r++)
            A[r * W + k] = v[r];
        if (k < D) {
            matvec(&S, v, w, p);
            uint32_t *tmp = v; v = w; w = tmp;
        }
    }
    for (int64_t j = 0; j < nrhs; j++)
        for (int64_t r = 0; r < D; r++)
            A[r * W + D + 1 + j] = rhs[j * D + r];

    /* forward elimination on the first D columns (singular -> 1) ... */
    for (int64_t c = 0; c < D; c++) {
        int64_t piv = -1;
        for (int64_t r = c; r < D; r++)
            if (A[r * W + c]) { piv = r; break; }
        if (piv < 0) {
            code = 1;
            goto done;
        }
        if (piv != c)
            for (int64_t k = c; k < W; k++) {
                uint32_t t = A[piv * W + k];
                A[piv * W + k] = A[c * W + k];
                A[c * W + k] = t;
            }
        uint32_t *prow = A + c * W;
        uint32_t inv = inv_mod(prow[c], p), inv_pre = shoup_pre(inv, p);
        for (int64_t k = c; k < W; k++)
            prow[k] = mul_shoup(prow[k], inv, inv_pre, p);
        for (int64_t k = c; k < W; k++)
            pre[k] = shoup_pre(prow[k], p);
        for (int64_t r = c + 1; r < D; r++)
            eliminate(A + r * W, prow, pre, c, c, W, p);
    }
    /* ... then back substitution, on the right-hand sides only */
    for (int64_t c = D - 1; c > 0; c--) {
        const uint32_t *prow = A + c * W;
        for (int64_t k = D; k < W; k++)
            pre[k] = shoup_pre(prow[k], p);
        for (int64_t r = 0; r < c; r++)
            eliminate(A + r * W, prow, pre, c, D, W, p);
    }
    for (int64_t j = 0; j <= nrhs; j++)
        for (int64_t r = 0; r < D; r++)
            solutions[j * D + r] = A[r * W + D + j];
done:
    split_free(&S);
    free(A);
    free(v);
    free(w);
    free(pre);
    return code;
}

/* Power projections of the Wiedemann / sparse-FGLM route: with u_k = r M_t^k,
 *     seq[k] = u_k[0]                     (k < 2D: r M_t^k e_0 = lambda(t^k)),
 *     proj[j * D + k] = u_k . rhs_j       (k < D:  lambda(x_j t^k)),
 * lambda(a) = r . coords(a).  2D - 1 row-vector products with M_t, each costing
 * D times its number of non-unit columns: far below the D^3 of the Krylov solve
 * when M_t is sparse (the multiplication by one variable).  r: D entries < p. */
int gb_power_projections(uint32_t p, int64_t D, const uint32_t *Mt, const uint32_t *r,
                         int64_t nrhs, const uint32_t *rhs, uint32_t *seq, uint32_t *proj)
{
    if (p < 3 || p >= (1u << 31) || D < 1 || nrhs < 0 || !Mt || !r || !seq ||
        (nrhs && (!rhs || !proj)))
        return GB_ERR_ARG;
    if (D > (1 << 16))
        return GB_ERR_OVERFLOW;
    for (int64_t i = 0; i < D * D; i++)
        if (Mt[i] >= p)
            return GB_ERR_ARG;
    for (int64_t i = 0; i < D; i++)
        if (r[i] >= p)
            return GB_ERR_ARG;
    for (int64_t i = 0; i < D * nrhs; i++)
        if (rhs[i] >= p)
            return GB_ERR_ARG;
    column_split S;
    uint32_t *u = malloc((size_t)D * sizeof *u);
    uint32_t *w = malloc((size_t)D * sizeof *w);
    uint32_t *lo = malloc((size_t)(D * (nrhs > 0 ? nrhs : 1)) * sizeof *lo);
    uint32_t *hi = malloc((size_t)(D * (nrhs > 0 ? nrhs : 1)) * sizeof *hi);
    int code = colsplit_init(&S, Mt, D);
    if (!code && (!u || !w || !lo || !hi))
        code = GB_ERR_NOMEM;
    if (code)
        goto done;
    for (int64_t i = 0; i < D * nrhs; i++) {
        lo[i] = rhs[i] & 0xFFFFu;
        hi[i] = rhs[i] >> 16;
    }
    memcpy(u, r, (size_t)D * sizeof *u);
    for (int64_t k = 0; k < 2 * D; k++) {
        seq[k] = u[0];
        if (k < D)
            for (int64_t j = 0; j < nrhs; j++)
                proj[j * D + k] = dot_split(lo + j * D, hi + j * D, u, D, p);
        if (k + 1 < 2 * D) {
            vecmat(&S, u, w, p);
            uint32_t *tmp = u; u = w; w = tmp;
        }
    }
done:
    colsplit_free(&S);
    free(u);
    free(w);
    free(lo);
    free(hi);
    return code;
}

/* Berlekamp-Massey over GF(p): the minimal polynomial (monic, lowest degree
 * first, in out[0..L]) of the linearly recurrent sequence s[0..n).  Returns L
 * (its degree) or a negative GB_ERR_* code.  out needs n + 1 entries. */
int64_t gb_berlekamp_massey(uint32_t p, int64_t n, const uint32_t *s, uint32_t *out)
{
    if (p < 3 || p >= (1u << 31) || n < 0 || (n && !s) || !out)
        return GB_ERR_ARG;
    for (int64_t i = 0; i < n; i++)
        if (s[i] >= p)
            return GB_ERR_ARG;
    /* C(x) = 1 + c_1 x + ... : the connection polynomial, s_k + sum c_i s_{k-i} = 0 */
    uint32_t *C = calloc((size_t)n + 2, sizeof *C);
    uint32_t *B = calloc((size_t)n + 2, sizeof *B);
    uint32_t *T = calloc((size_t)n + 2, sizeof *T);
    if (!C || !B || !T) {
        free(C); free(B); free(T);
        return GB_ERR_NOMEM;
    }
    C[0] = B[0] = 1;
    int64_t L = 0, m = 1;
    uint64_t b = 1;
    for (int64_t k = 0; k < n; k++) {
        uint64_t d = s[k];
        for (int64_t i = 1; i <= L; i++)
            d = (d + (uint64_t)C[i] * s[k - i]) % p;
        if (d == 0) {
            m++;
            continue;
        }
        const uint64_t coef = d * inv_mod((uint32_t)b, p) % p;   /* C -= coef x^m B */
        const uint64_t neg = p - coef;
        if (2 * L <= k) {
            memcpy(T, C, (size_t)(n + 2) * sizeof *T);
            for (int64_t i = 0; i + m <= n + 1; i++)
                if (B[i]) C[i + m] = (uint32_t)((C[i + m] + neg * B[i]) % p);
            L = k + 1 - L;
            memcpy(B, T, (size_t)(n + 2) * sizeof *B);
            b = d;
            m = 1;
        } else {
            for (int64_t i = 0; i + m <= n + 1; i++)
                if (B[i]) C[i + m] = (uint32_t)((C[i + m] + neg * B[i]) % p);
            m++;
        }
    }
    /* the minimal polynomial is the reversal x^L C(1/x) */
    for (int64_t i = 0; i <= L; i++)
        out[i] = C[L - i];
    free(C); free(B); free(T);
    return L;
}

/* Degree of the minimal polynomial of s_k = r M_t^k e_0, the separation test of a
 * linear form t: degree D iff t separates the solutions of a radical ideal (for
 * all but a fraction ~D/p of the r).  Berlekamp-Massey runs along with the
 * products and stops once the linear complexity L has held for `stable` terms
 * past 2L: a form taking few values (symmetric systems) is rejected after about
 * 2L products instead of 2D.  A sequence of higher complexity gives a zero
 * discrepancy with probability 1/p per term.  Returns L or a negative GB_ERR_*. */
int64_t gb_sequence_degree(uint32_t p, int64_t D, const uint32_t *Mt, const uint32_t *r,
                           int64_t stable)
{
    if (p < 3 || p >= (1u << 31) || D < 1 || !Mt || !r || stable < 1)
        return GB_ERR_ARG;
    if (D > (1 << 16))
        return GB_ERR_OVERFLOW;
    for (int64_t i = 0; i < D * D; i++)
        if (Mt[i] >= p)
            return GB_ERR_ARG;
    for (int64_t i = 0; i < D; i++)
        if (r[i] >= p)
            return GB_ERR_ARG;
    const int64_t n = 2 * D;
    column_split S;
    uint32_t *u = malloc((size_t)D * sizeof *u);
    uint32_t *w = malloc((size_t)D * sizeof *w);
    uint32_t *s = malloc((size_t)n * sizeof *s);
    uint32_t *C = calloc((size_t)n + 2, sizeof *C);
    uint32_t *B = calloc((size_t)n + 2, sizeof *B);
    uint32_t *T = calloc((size_t)n + 2, sizeof *T);
    int64_t code = colsplit_init(&S, Mt, D);
    if (!code && (!u || !w || !s || !C || !B || !T))
        code = GB_ERR_NOMEM;
    if (code)
        goto done;
    memcpy(u, r, (size_t)D * sizeof *u);
    C[0] = B[0] = 1;
    int64_t L = 0, m = 1, zeros = 0;
    uint64_t b = 1;
    for (int64_t k = 0; k < n; k++) {
        s[k] = u[0];
        uint64_t d = s[k];
        for (int64_t i = 1; i <= L; i++)
            d = (d + (uint64_t)C[i] * s[k - i]) % p;
        if (d == 0) {
            m++;
            zeros++;
            if (zeros >= stable && k + 1 >= 2 * L + stable)
                break;
        } else {
            zeros = 0;
            const uint64_t neg = p - d * inv_mod((uint32_t)b, p) % p;   /* C -= (d/b) x^m B */
            if (2 * L <= k) {
                memcpy(T, C, (size_t)(n + 2) * sizeof *T);
                for (int64_t i = 0; i + m <= n + 1; i++)
                    if (B[i]) C[i + m] = (uint32_t)((C[i + m] + neg * B[i]) % p);
                L = k + 1 - L;
                memcpy(B, T, (size_t)(n + 2) * sizeof *B);
                b = d;
                m = 1;
            } else {
                for (int64_t i = 0; i + m <= n + 1; i++)
                    if (B[i]) C[i + m] = (uint32_t)((C[i + m] + neg * B[i]) % p);
                m++;
            }
        }
        if (k + 1 < n) {
            vecmat(&S, u, w, p);
            uint32_t *tmp = u; u = w; w = tmp;
        }
    }
    code = L;
done:
    colsplit_free(&S);
    free(u);
    free(w);
    free(s);
    free(C);
    free(B);
    free(T);
    return code;
}
