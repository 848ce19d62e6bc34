/* Krylov solve for the RUR modulo p (see krylov.c). */
#ifndef GROBNET_KRYLOV_H
#define GROBNET_KRYLOV_H
#include <stdint.h>

/* Solve K s_0 = M_t^D e_0 and K s_j = y_j for the Krylov matrix K of M_t and e_0.
 * Mt: D x D row-major, entries < p; rhs: nrhs vectors of length D (contiguous);
 * solutions: (nrhs + 1) x D, s_0 first.  Returns GB_OK, 1 when K is singular
 * (the minimal polynomial of t has degree < D), or a GB_ERR_* code. */
int gb_krylov_solve(uint32_t p, int64_t D, const uint32_t *Mt, int64_t nrhs,
                    const uint32_t *rhs, uint32_t *solutions);

/* Power projections r M_t^k e_0 (k < 2D) and r M_t^k . rhs_j (k < D): see krylov.c.
 * seq: 2D entries; proj: nrhs x D.  Returns GB_OK or a GB_ERR_* code. */
int gb_power_projections(uint32_t p, int64_t D, const uint32_t *Mt, const uint32_t *r,
                         int64_t nrhs, const uint32_t *rhs, uint32_t *seq, uint32_t *proj);

/* Minimal polynomial of s[0..n) by Berlekamp-Massey: coefficients (monic, lowest
 * first) in out[0..L], returns L or a negative GB_ERR_* code; out: n + 1 entries. */
int64_t gb_berlekamp_massey(uint32_t p, int64_t n, const uint32_t *s, uint32_t *out);

/* Degree of the minimal polynomial of r M_t^k e_0, with early exit once the linear
 * complexity has held for `stable` terms past twice itself: see krylov.c. */
int64_t gb_sequence_degree(uint32_t p, int64_t D, const uint32_t *Mt, const uint32_t *r,
                           int64_t stable);

#endif
