/* Critical pairs: the Gebauer-Moeller update and the selection by degree.
 *
 * gb_update(c, h) inserts the pairs of a new basis element h:
 *   1. new pairs (i, h) for every non-redundant i < h;
 *   2. chain criterion on the old pairs (i, j): drop it when lm(h) divides
 *      lcm(i, j) and both lcm(i, h) and lcm(j, h) differ from it;
 *   3. among the new pairs: drop (i, h) when some other new lcm properly divides
 *      lcm(i, h); of the new pairs sharing one lcm keep one, or none if any of
 *      them has coprime leading monomials (product criterion);
 *   4. mark redundant the elements whose leading monomial lm(h) divides, unless
 *      such an element has the smaller ecart (see below).
 * New elements of one round are inserted by decreasing leading monomial, so an
 * element is never inserted after one whose leading monomial divides its own
 * (the situation the criteria assume).
 *
 * The degree of a pair is the largest total degree of the two rows it puts in
 * the matrix, (lcm / lm(g)) * g for both generators g: deg(lcm) - deg(lm(g)) +
 * tdeg(g).  gb_select takes all pairs of the smallest degree.  Under grevlex
 * tdeg(g) = deg(lm(g)) and this is the normal strategy (the lcm degree).  Under
 * lex and block orders a tail may be of much higher degree than its leading
 * monomial, so the lcm degree would feed low-degree pairs that make huge rows;
 * the row degree measures the real work.  (Sugar, the degree a homogenised run
 * would see, only grows along a computation and ran away to degrees in the
 * thousands on small elimination problems.)
 *
 * The ecart of an element, tdeg - deg(lm), is how far its tail climbs above its
 * leading monomial.  Every reduction by an element of large ecart raises the
 * degree of the row being reduced, and under lex or block orders a chain of such
 * reductions ran to degrees in the thousands.  So an element stays a reducer
 * candidate when a new element's leading monomial divides its own but the new
 * element has the larger ecart (it leaves the basis only at the end, see
 * basis.c), and symbolic preprocessing prefers reducers of least ecart.  Under
 * grevlex every ecart is 0 and nothing changes. */
#include <stdlib.h>
#include <string.h>

#include "gb_data.h"

static int cmp_pair_lcm(const void *x, const void *y)
{
    const gb_pair *a = x, *b = y;
    if (a->lcm != b->lcm) return a->lcm < b->lcm ? -1 : 1;
    if (a->i != b->i) return a->i < b->i ? -1 : 1;
    return (a->j > b->j) - (a->j < b->j);
}

/* 1 if lcm(lm_a, lm_h) has exactly the exponents of monomial L. */
static int lcm_equals(const gb_htable *ht, int32_t a, int32_t h, int32_t L)
{
    const gb_exp *ea = gb_ev(ht, a), *eh = gb_ev(ht, h), *el = gb_ev(ht, L);
    for (int32_t v = 0; v < ht->nv; v++) {
        gb_exp m = ea[v] > eh[v] ? ea[v] : eh[v];
        if (m != el[v]) return 0;
    }
    return 1;
}

/* Selection key of the pair (i, h) with lcm of total degree dl (see above). */
static int32_t pair_degree(const gb_ctx *c, int32_t i, int32_t h, int32_t dl)
{
    const gb_poly *Pi = &c->bs.p[i], *Ph = &c->bs.p[h];
    const int32_t di = dl + gb_ecart(c, Pi), dh = dl + gb_ecart(c, Ph);
    return di > dh ? di : dh;
}

int gb_update(gb_ctx *c, int32_t h)
{
    gb_basis *B = &c->bs;
    gb_htable *ht = &c->ht;
    const int32_t nv = c->nv;
    const int32_t lh = B->p[h].mon[0];
    int err;

    /* 1. new pairs */
    if ((err = gb_grow(c, (void **)&c->np.p, &c->np.cap, h + 1, sizeof(gb_pair)))) return err;
    gb_pair *np = c->np.p;
    int64_t k = 0;
    for (int32_t i = 0; i < h; i++) {
        if (B->p[i].red) continue;
        const int32_t li = B->p[i].mon[0];
        const gb_exp *ei = gb_ev(ht, li), *eh = gb_ev(ht, lh);
        int prod = 1;
        for (int32_t v = 0; v < nv; v++) {
            if (ei[v] && eh[v]) prod = 0;
            c->ubuf[v] = ei[v] > eh[v] ? ei[v] : eh[v];
        }
        int32_t L = gb_ht_insert(c, ht, c->ubuf);
        if (L < 0) return L;
        np[k].i = i;
        np[k].j = h;
        np[k].lcm = L;
        np[k].deg = pair_degree(c, i, h, ht->deg[L]);
        np[k].prod = prod;
        k++;
    }
    c->st.pairs_total += k;

    /* 2. chain criterion on the old pairs */
    gb_pair *P = c->ps.p;
    int64_t n = c->ps.n, w = 0;
    for (int64_t q = 0; q < n; q++) {
        const int32_t L = P[q].lcm;
        if (gb_ht_divides(ht, lh, L) && !lcm_equals(ht, B->p[P[q].i].mon[0], lh, L)
            && !lcm_equals(ht, B->p[P[q].j].mon[0], lh, L))
            continue;
        P[w++] = P[q];
    }
    c->st.pairs_removed += n - w;
    c->ps.n = w;

    /* 3. criteria among the new pairs: proper divisibility of lcms */
    for (int64_t a = 0; a < k; a++) {
        const int32_t La = np[a].lcm;
        for (int64_t b = 0; b < k; b++) {
            const int32_t Lb = np[b].lcm;
            if (Lb != La && gb_ht_divides(ht, Lb, La)) {
                np[a].deg = -1;
                break;
            }
        }
    }
    /* equal lcms: keep one, none if any is coprime */
    int64_t m = 0;
    for (int64_t a = 0; a < k; a++)
        if (np[a].deg >= 0) np[m++] = np[a];
    c->st.pairs_removed += k - m;
    qsort(np, (size_t)m, sizeof(gb_pair), cmp_pair_lcm);
    if ((err = gb_grow(c, (void **)&c->ps.p, &c->ps.cap, c->ps.n + m, sizeof(gb_pair)))) return err;
    for (int64_t a = 0; a < m;) {
        int64_t b = a;
        int anyprod = 0;
        while (b < m && np[b].lcm == np[a].lcm) anyprod |= np[b++].prod;
        if (!anyprod) c->ps.p[c->ps.n++] = np[a];
        c->st.pairs_removed += anyprod ? b - a : b - a - 1;
        a = b;
    }

    /* 4. redundancy: keep an element of smaller ecart as a reducer */
    const int32_t eh = gb_ecart(c, &B->p[h]);
    for (int32_t i = 0; i < h; i++) {
        if (B->p[i].red) continue;
        const int32_t li = B->p[i].mon[0];
        if (gb_ht_divides(ht, lh, li) && gb_ecart(c, &B->p[i]) >= eh) B->p[i].red = 1;
    }
    return GB_OK;
}

int gb_select(gb_ctx *c, int32_t *degree)
{
    gb_pair *P = c->ps.p;
    const int64_t n = c->ps.n;
    int32_t dmin = INT32_MAX;
    for (int64_t q = 0; q < n; q++)
        if (P[q].deg < dmin) dmin = P[q].deg;
    int64_t cnt = 0;
    for (int64_t q = 0; q < n; q++)
        if (P[q].deg == dmin) cnt++;
    int err = gb_grow(c, (void **)&c->sel.p, &c->sel.cap, cnt, sizeof(gb_pair));
    if (err) return err;
    int64_t w = 0, s = 0;
    for (int64_t q = 0; q < n; q++) {
        if (P[q].deg == dmin) c->sel.p[s++] = P[q];
        else P[w++] = P[q];
    }
    c->ps.n = w;
    c->sel.n = s;
    *degree = dmin;
    return GB_OK;
}
