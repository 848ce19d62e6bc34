/* The F4 main loop: select -> symbolic preprocessing -> convert -> reduce -> update.
 *
 * The input rows (already in c->mat.tr, cleaned by interface.c) are first
 * echelonized among themselves: round 0.  Every round then takes all pairs of
 * minimal degree (see pairs.c; under grevlex the lcm degree, the normal
 * strategy), and the new pivots of its matrix become basis elements, inserted by decreasing leading monomial through the
 * Gebauer-Moeller update.  The loop stops when no pair is left, or as soon as
 * a nonzero constant appears (the ideal is the whole ring). */
#include "gb_data.h"

/* Turn the new pivots of the matrix into basis elements, then update the pairs. */
static int insert_new_pivots(gb_ctx *c)
{
    int err;
    const int32_t first = c->bs.n;
    if ((err = gb_take_new_pivots(c))) return err;
    if (c->inconsistent) return GB_OK;
    double t = gb_now();
    for (int32_t h = first; h < c->bs.n; h++) {
        if ((err = gb_check(c))) return err;
        if ((err = gb_update(c, h))) return err;
    }
    c->st.time_update += gb_now() - t;
    return GB_OK;
}

/* Convert, reduce, insert: the part of a round after symbolic preprocessing. */
static int reduce_round(gb_ctx *c, int32_t degree)
{
    int err;
    double t = gb_now();
    if ((err = gb_matrix_convert(c, 1))) return err;
    c->st.time_convert += gb_now() - t;
    const int64_t rows = c->mat.nrd + c->mat.ntr, cols = c->mat.ncols;
    t = gb_now();
    c->la_prob = c->opt.la_mode == GB_LA_PROBABILISTIC ||
                 (c->opt.la_mode == GB_LA_AUTO && (double)rows * (double)cols >= c->opt.la_auto_work);
    if (c->la_prob) {
        c->st.la_prob_rounds++;
        if (c->trace) {
            /* a trace records which rows gave pivots: random combinations cannot say */
            gb_trace_free(c->trace);
            c->trace = NULL;
            gb_free(c, c->tr_kept);
            c->tr_kept = NULL;
            c->tr_kept_cap = 0;
            c->st.trace_dropped = 1;
        }
    }
    if (c->trace && (err = gb_grow(c, (void **)&c->tr_kept, &c->tr_kept_cap, c->mat.ntr + 1, 1)))
        return err;
    if ((err = gb_linalg(c, GB_LA_ECHELON))) return err;
    c->st.time_linalg += gb_now() - t;
    if (c->trace && (err = gb_trace_record_round(c, c->trace, c->tr_kept))) return err;
    if ((err = insert_new_pivots(c))) return err;
    if (c->opt.progress && c->opt.progress(c->opt.progress_data, c->st.rounds, degree, rows, cols))
        return GB_ERR_INTERRUPT;
    c->st.rounds++;
    return GB_OK;
}

int gb_f4_run(gb_ctx *c)
{
    int err;
    /* round 0: the input rows, no known pivots */
    int32_t degree = 0;
    for (int64_t k = 0; k < c->mat.ntr; k++) {
        const gb_row *r = &c->mat.tr[k];
        if (r->len && c->ht.deg[r->col[0]] > degree) degree = c->ht.deg[r->col[0]];
    }
    if ((err = reduce_round(c, degree))) return err;
    while (c->ps.n > 0 && !c->inconsistent) {
        double t = gb_now();
        if ((err = gb_check(c))) return err;
        if ((err = gb_select(c, &degree))) return err;
        if ((err = gb_basis_lml(c))) return err;
        if ((err = gb_symbolic_pairs(c))) return err;
        if ((err = gb_symbolic_close(c))) return err;
        c->st.time_symbolic += gb_now() - t;
        if ((err = reduce_round(c, degree))) return err;
    }
    return GB_OK;
}
