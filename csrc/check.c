/* An independent check that a candidate basis G is a Groebner basis mod p.
 *
 * G is a Groebner basis when every S-pair reduces to zero modulo G, and the
 * Gebauer-Moeller criteria (pairs.c) say which pairs may be skipped: the
 * elements enter the pair set one by one by increasing leading monomial, as
 * in F4, and the pairs left are checked degree by degree in F4-style matrices
 * (symbolic.c: per lcm one generator's multiple is the known pivot of the lcm
 * column and the others are rows to reduce; every column divisible by a
 * leading monomial gets a reducer).  A round passes when no row to reduce
 * survives the reduction (no new pivot): each S-polynomial then has a standard
 * representation, which is Buchberger's criterion.  The inputs are reduced
 * the same way first, in one matrix, so that a pass also proves that they lie
 * in the ideal of G.
 *
 * Nothing of the run that produced G is used: a wrong G (a replay at an
 * unlucky prime that slipped through, a corrupted coefficient) is rejected
 * whatever produced it.  That G lies in the ideal of the inputs is not
 * checked; a trace replay builds G from combinations of the inputs only. */
#include <stdlib.h>
#include <string.h>

#include "gb_data.h"

/* Reduce the rows to reduce of the current (symbolically closed) matrix; *ok = 0
 * when one of them does not reduce to zero. */
static int reduce_to_zero(gb_ctx *c, int *ok)
{
    int err;
    double t = gb_now();
    if ((err = gb_matrix_convert(c, 1))) return err;
    c->st.time_convert += gb_now() - t;
    t = gb_now();
    if ((err = gb_linalg(c, GB_LA_ECHELON))) return err;
    c->st.time_linalg += gb_now() - t;
    if (c->mat.nnp > 0) *ok = 0;
    c->st.rounds++;
    gb_matrix_clear(c);
    return GB_OK;
}

/* The inputs, already in c->mat.tr with their columns marked, reduce to zero. */
static int check_inputs(gb_ctx *c, int *ok)
{
    int err;
    double t = gb_now();
    if ((err = gb_symbolic_close(c))) return err;
    c->st.time_symbolic += gb_now() - t;
    return reduce_to_zero(c, ok);
}

/* Every S-pair left by the criteria reduces to zero. */
static int check_pairs(gb_ctx *c, int *ok)
{
    int err;
    double t = gb_now();
    for (int32_t h = 0; h < c->bs.n; h++) {
        if ((err = gb_check(c))) return err;
        if ((err = gb_update(c, h))) return err;
    }
    c->st.time_update += gb_now() - t;
    if ((err = gb_basis_lml(c))) return err;
    while (c->ps.n > 0 && *ok) {
        int32_t degree;
        t = gb_now();
        if ((err = gb_check(c))) return err;
        if ((err = gb_select(c, &degree))) return err;
        if ((err = gb_symbolic_pairs(c))) return err;
        if ((err = gb_symbolic_close(c))) return err;
        c->st.time_symbolic += gb_now() - t;
        const int64_t rows = c->mat.nrd + c->mat.ntr, cols = c->mat.ncols;
        if ((err = reduce_to_zero(c, ok))) return err;
        if (c->opt.progress && c->opt.progress(c->opt.progress_data, c->st.rounds - 1, degree,
                                                rows, cols))
            return GB_ERR_INTERRUPT;
    }
    return GB_OK;
}

int gb_check_groebner(gb_ctx *c, int *ok)
{
    int err;
    *ok = 1;
    if (c->mat.ntr > 0) {
        if ((err = gb_basis_lml(c))) return err;
        if ((err = check_inputs(c, ok))) return err;
    }
    if (*ok) err = check_pairs(c, ok);
    else err = GB_OK;
    return err;
}
