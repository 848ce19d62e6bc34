/* Monomial orders on plain exponent vectors (grevlex, grlex, lex, block).
 *
 * This is the order code shared by the F4 core and by the Python boundary
 * (sorting the terms of input polynomials).  Variable 0 is the largest.
 */
#ifndef GROBNET_MONOMIAL_ORDER_H
#define GROBNET_MONOMIAL_ORDER_H

#include <stdint.h>

#define GB_MAX_BLOCKS 64

typedef enum {
    GB_ORDER_GREVLEX = 0, /* graded reverse lexicographic */
    GB_ORDER_LEX = 1,     /* pure lexicographic */
    GB_ORDER_BLOCK = 2,   /* elimination order: grevlex inside each block, blocks compared left to right */
    GB_ORDER_GRLEX = 3    /* graded lexicographic: total degree, ties by lex (sympy's grlex, flint's deglex) */
} gb_order_kind;

typedef struct {
    gb_order_kind kind;              /* which order */
    int32_t nvars;                   /* number of variables */
    int32_t nblocks;                 /* number of blocks (GB_ORDER_BLOCK only) */
    int32_t block_size[GB_MAX_BLOCKS]; /* sizes of the blocks, summing to nvars */
} gb_order;

/* Fill *ord; returns 0 on success, a negative gb error code on bad input. */
int gb_order_init(gb_order *ord, gb_order_kind kind, int32_t nvars,
                  int32_t nblocks, const int32_t *block_size);

/* Total degree of an exponent vector. */
int64_t gb_monomial_degree(const int32_t *a, int32_t nvars);

/* -1, 0, +1 as a is smaller than, equal to, larger than b. */
int gb_monomial_cmp(const gb_order *ord, const int32_t *a, const int32_t *b);

/* 1 if a divides b (componentwise a <= b), else 0. */
int gb_monomial_divides(const int32_t *a, const int32_t *b, int32_t nvars);

/* Sort the monomials exps[i*nvars .. i*nvars+nvars) for i < n in decreasing
 * order; writes the permutation into perm (perm[k] = index of the k-th
 * largest).  Returns 0, or a negative gb error code. */
int gb_monomial_sort_desc(const gb_order *ord, const int32_t *exps, int64_t n, int64_t *perm);

#endif
