/* The flat C interface (grobnet_f4.h): arrays in, arrays out.
 *
 * Each call validates its input, builds a context, runs, copies the result out
 * with plain malloc (freed by gb_polys_free) and frees the context, on every
 * path.  Input polynomials are cleaned here: terms sorted decreasingly, equal
 * monomials combined, zero coefficients dropped. */
#include <stdlib.h>
#include <string.h>

#include "gb_data.h"

/* Clean polynomial number k of `in` (its terms start at term offset `off`):
 * on success *len terms, *mon hash ids (decreasing) and *cf coefficients,
 * both allocated through the context (NULL when the polynomial is zero). */
static int clean_poly(gb_ctx *c, const gb_polys *in, int64_t k, int64_t off,
                      int32_t *len, int32_t **mon, uint32_t **cf)
{
    const int32_t nv = c->nv;
    const int64_t t = in->lens[k];
    int32_t *idx = c->ht.idx;
    *len = 0;
    *mon = NULL;
    *cf = NULL;
    if (t == 0) return GB_OK;
    if (t > INT32_MAX) return GB_ERR_ARG;
    int32_t *ids = gb_malloc(c, (size_t)t * sizeof(int32_t));
    uint32_t *acc = gb_malloc(c, (size_t)t * sizeof(uint32_t));
    if (ids == NULL || acc == NULL) {
        gb_free(c, ids);
        gb_free(c, acc);
        return gb_alloc_error(c);
    }
    int err = GB_OK;
    int32_t u = 0; /* distinct monomials so far; idx[id] = position + 1 while we run */
    for (int64_t s = 0; s < t; s++) {
        const int32_t *e = in->exps + (off + s) * nv;
        const uint32_t a = in->cfs[off + s];
        if (a >= c->p) { err = GB_ERR_ARG; break; }
        for (int32_t v = 0; v < nv; v++) {
            if (e[v] < 0) { err = GB_ERR_ARG; break; }
            if (e[v] > GB_MAX_EXP) { err = GB_ERR_OVERFLOW; break; }
            c->ubuf[v] = (gb_exp)e[v];
        }
        if (err) break;
        int32_t id = gb_ht_insert(c, &c->ht, c->ubuf);
        if (id < 0) { err = id; break; }
        idx = c->ht.idx;
        if (idx[id]) {
            uint32_t *x = &acc[idx[id] - 1];
            *x = (uint32_t)(((uint64_t)*x + a) % c->p);
        } else {
            ids[u] = id;
            acc[u] = a;
            idx[id] = ++u;
        }
    }
    idx = c->ht.idx; /* the table may have moved even if the last insert failed */
    if (!err) {
        /* keep the nonzero ones, then sort decreasingly and fetch their coefficients */
        int32_t w = 0;
        for (int32_t s = 0; s < u; s++) {
            if (acc[s] == 0) idx[ids[s]] = 0;
            else ids[w++] = ids[s];
        }
        u = w;
        err = gb_sort_ids_desc(c, ids, u);
        if (!err && u > 0) {
            *mon = gb_malloc(c, (size_t)u * sizeof(int32_t));
            *cf = gb_malloc(c, (size_t)u * sizeof(uint32_t));
            if (*mon == NULL || *cf == NULL) err = gb_alloc_error(c);
            else {
                for (int32_t s = 0; s < u; s++) {
                    (*mon)[s] = ids[s];
                    (*cf)[s] = acc[idx[ids[s]] - 1];
                }
                *len = u;
            }
        }
    }
    for (int32_t s = 0; s < u; s++) idx[ids[s]] = 0;
    if (err) {
        gb_free(c, *mon);
        gb_free(c, *cf);
        *mon = NULL;
        *cf = NULL;
        *len = 0;
    }
    gb_free(c, ids);
    gb_free(c, acc);
    return err;
}

/* Register the monomials of all rows to reduce as matrix columns. */
static int push_tr_cols(gb_ctx *c)
{
    int err;
    for (int64_t k = 0; k < c->mat.ntr; k++) {
        const gb_row *r = &c->mat.tr[k];
        for (int32_t t = 0; t < r->len; t++)
            if ((err = gb_matrix_push_col(c, r->col[t], 1))) return err;
    }
    return GB_OK;
}

static int check_polys(const gb_polys *in, int32_t nvars)
{
    if (in == NULL || in->npolys < 0 || in->nvars != nvars) return GB_ERR_ARG;
    if (in->npolys > 0 && in->lens == NULL) return GB_ERR_ARG;
    int64_t total = 0;
    for (int64_t k = 0; k < in->npolys; k++) {
        if (in->lens[k] < 0) return GB_ERR_ARG;
        total += in->lens[k];
    }
    if (total > 0 && (in->exps == NULL || in->cfs == NULL)) return GB_ERR_ARG;
    return GB_OK;
}

/* Copy the listed elements (or the constant 1) out with plain malloc. */
static int write_out(gb_ctx *c, const gb_poly *P, const int32_t *which, int32_t n, gb_polys *out)
{
    const int32_t nv = c->nv;
    int64_t total = 0;
    for (int32_t k = 0; k < n; k++) total += P[which ? which[k] : k].len;
    out->npolys = n;
    out->nvars = nv;
    out->lens = malloc((size_t)(n > 0 ? n : 1) * sizeof(int64_t));
    out->exps = malloc((size_t)(total > 0 ? total : 1) * nv * sizeof(int32_t));
    out->cfs = malloc((size_t)(total > 0 ? total : 1) * sizeof(uint32_t));
    if (!out->lens || !out->exps || !out->cfs) {
        gb_polys_free(out);
        return GB_ERR_NOMEM;
    }
    int64_t o = 0;
    for (int32_t k = 0; k < n; k++) {
        const gb_poly *Q = &P[which ? which[k] : k];
        out->lens[k] = Q->len;
        for (int32_t t = 0; t < Q->len; t++, o++) {
            const gb_exp *e = gb_ev(&c->ht, Q->mon[t]);
            for (int32_t v = 0; v < nv; v++) out->exps[o * nv + v] = e[v];
            out->cfs[o] = Q->cf[t];
        }
    }
    return GB_OK;
}

void gb_polys_free(gb_polys *p)
{
    if (p == NULL) return;
    free(p->lens);
    free(p->exps);
    free(p->cfs);
    p->lens = NULL;
    p->exps = NULL;
    p->cfs = NULL;
    p->npolys = 0;
}

static void finish_stats(gb_ctx *c, gb_stats *stats)
{
    c->st.time_total = gb_now() - c->t0;
    if (stats) *stats = c->st;
}

/* The reduced basis from the finished run: {1}, or the inter-reduced minimal elements. */
static int finish_basis(gb_ctx *c, gb_polys *out)
{
    int err;
    if (c->inconsistent) {
        /* the reduced basis is {1} */
        uint32_t one = 1;
        for (int32_t v = 0; v < c->nv; v++) c->ubuf[v] = 0;
        int32_t id = gb_ht_insert(c, &c->ht, c->ubuf);
        if (id < 0) return id;
        gb_poly P = {1, &id, &one, 0, 0};
        c->st.basis_size = 1;
        return write_out(c, &P, NULL, 1, out);
    }
    double t = gb_now();
    int32_t *order, n;
    if ((err = gb_interreduce(c, &order, &n))) return err;
    c->st.time_interreduce += gb_now() - t;
    c->st.basis_size = n;
    return write_out(c, c->bs.p, order, n, out);
}

static int run_f4(gb_ctx *c, const gb_polys *in, gb_polys *out)
{
    int err;
    int64_t off = 0;
    for (int64_t k = 0; k < in->npolys; off += in->lens[k], k++) {
        int32_t len;
        int32_t *mon;
        uint32_t *cf;
        if ((err = clean_poly(c, in, k, off, &len, &mon, &cf))) return err;
        if (len == 0) continue;
        /* src -2 - k names input polynomial k (a trace replays it from there) */
        if ((err = gb_matrix_push_tr(c, len, mon, cf, cf, (int32_t)(-2 - k)))) {
            gb_free(c, mon);
            gb_free(c, cf);
            return err;
        }
    }
    /* mark the columns only now: clean_poly borrows ht.idx */
    if ((err = push_tr_cols(c))) return err;
    if (c->mat.ntr == 0) return write_out(c, NULL, NULL, 0, out);
    if ((err = gb_f4_run(c))) return err;
    if (c->trace && (err = gb_trace_finish(c, c->trace))) return err;
    return finish_basis(c, out);
}

int gb_f4(const gb_options *opt, const gb_polys *in, gb_polys *out, gb_stats *stats)
{
    if (opt == NULL || out == NULL) return GB_ERR_ARG;
    memset(out, 0, sizeof(*out));
    gb_ctx c;
    int err = gb_ctx_init(&c, opt, opt->order.nvars);
    if (!err) err = check_polys(in, c.nv);
    if (!err) err = run_f4(&c, in, out);
    finish_stats(&c, stats);
    gb_ctx_free(&c);
    return err;
}

/* Common start of a traced run: clear the output, build the context, check the
 * input (input indices must fit the rows' int32 source tags). */
static int open_traced_run(gb_ctx *c, const gb_options *opt, const gb_polys *in, gb_polys *out)
{
    memset(out, 0, sizeof(*out));
    int err = gb_ctx_init(c, opt, opt->order.nvars);
    if (!err) err = check_polys(in, c->nv);
    if (!err && in->npolys > INT32_MAX - 2) err = GB_ERR_ARG;
    return err;
}

int gb_f4_learn(const gb_options *opt, const gb_polys *in, gb_polys *out, gb_stats *stats,
                gb_trace **trace)
{
    if (opt == NULL || out == NULL || trace == NULL) return GB_ERR_ARG;
    *trace = NULL;
    gb_ctx c;
    int err = open_traced_run(&c, opt, in, out);
    if (!err && (c.trace = gb_trace_new(c.nv, &opt->order)) == NULL) err = GB_ERR_NOMEM;
    if (!err) err = run_f4(&c, in, out);
    finish_stats(&c, stats);
    if (err) gb_trace_free(c.trace);
    else *trace = c.trace;
    c.trace = NULL;
    gb_ctx_free(&c);
    return err;
}

/* Replay `trace` on the input: clean every input polynomial (kept aside as rows,
 * handed to the matrix of round 0 as the trace asks), replay, finish as gb_f4. */
static int apply_f4(gb_ctx *c, const gb_trace *trace, const gb_polys *in, gb_polys *out,
                    gb_row *inputs)
{
    int err;
    int64_t off = 0;
    for (int64_t k = 0; k < in->npolys; off += in->lens[k], k++) {
        int32_t len;
        int32_t *mon;
        uint32_t *cf;
        if ((err = clean_poly(c, in, k, off, &len, &mon, &cf))) return err;
        inputs[k].len = len;
        inputs[k].col = mon;
        inputs[k].cf = cf;
        inputs[k].own = cf;
    }
    if ((err = gb_trace_replay(c, trace, inputs, in->npolys))) return err;
    return finish_basis(c, out);
}

int gb_f4_apply(const gb_options *opt, const gb_trace *trace, const gb_polys *in, gb_polys *out,
                gb_stats *stats)
{
    if (opt == NULL || out == NULL || trace == NULL) return GB_ERR_ARG;
    gb_ctx c;
    int err = open_traced_run(&c, opt, in, out);
    gb_row *inputs = NULL;
    if (!err) {
        inputs = calloc((size_t)(in->npolys > 0 ? in->npolys : 1), sizeof(gb_row));
        if (inputs == NULL) err = GB_ERR_NOMEM;
    }
    if (!err) err = apply_f4(&c, trace, in, out, inputs);
    if (err) gb_polys_free(out);
    if (inputs)
        for (int64_t k = 0; k < in->npolys; k++) {
            gb_free(&c, inputs[k].col);
            gb_free(&c, inputs[k].own);
        }
    free(inputs);
    finish_stats(&c, stats);
    gb_ctx_free(&c);
    return err;
}

/* The polynomials of ``basis``, cleaned and made monic, as elements of c's basis. */
static int load_monic_basis(gb_ctx *c, const gb_polys *basis)
{
    int err;
    int64_t off = 0;
    for (int64_t k = 0; k < basis->npolys; off += basis->lens[k], k++) {
        int32_t len;
        int32_t *mon;
        uint32_t *cf;
        if ((err = clean_poly(c, basis, k, off, &len, &mon, &cf))) return err;
        if (len == 0) continue;
        if (cf[0] != 1) {
            const uint64_t inv = gb_inverse(cf[0], c->p);
            for (int32_t t = 0; t < len; t++) cf[t] = (uint32_t)((cf[t] * inv) % c->p);
        }
        if ((err = gb_basis_add(c, len, mon, cf))) {
            gb_free(c, mon);
            gb_free(c, cf);
            return err;
        }
    }
    return GB_OK;
}

static int run_nf(gb_ctx *c, const gb_polys *basis, const gb_polys *in, gb_polys *out)
{
    int err;
    int64_t off = 0;
    if ((err = load_monic_basis(c, basis))) return err;
    if ((err = gb_basis_lml(c))) return err;
    off = 0;
    for (int64_t k = 0; k < in->npolys; off += in->lens[k], k++) {
        int32_t len;
        int32_t *mon;
        uint32_t *cf;
        if ((err = clean_poly(c, in, k, off, &len, &mon, &cf))) return err;
        if ((err = gb_matrix_push_tr(c, len, mon, cf, cf, -1))) {
            gb_free(c, mon);
            gb_free(c, cf);
            return err;
        }
    }
    /* mark the columns only now: clean_poly borrows ht.idx */
    if ((err = push_tr_cols(c))) return err;
    double t = gb_now();
    if ((err = gb_symbolic_close(c))) return err;
    c->st.time_symbolic += gb_now() - t;
    t = gb_now();
    if ((err = gb_matrix_convert(c, 0))) return err;
    c->st.time_convert += gb_now() - t;
    t = gb_now();
    if ((err = gb_linalg(c, GB_LA_NORMAL))) return err;
    c->st.time_linalg += gb_now() - t;
    gb_matrix *M = &c->mat;
    /* back to hash ids, then out */
    for (int64_t k = 0; k < M->nnp; k++) {
        gb_row *r = &M->np[k];
        for (int32_t s = 0; s < r->len; s++) r->col[s] = M->cm[r->col[s]];
    }
    int64_t n = M->nnp;
    if (n > INT32_MAX) return GB_ERR_OVERFLOW;
    gb_poly *P = gb_malloc(c, (size_t)(n > 0 ? n : 1) * sizeof(gb_poly));
    if (P == NULL) return gb_alloc_error(c);
    for (int64_t k = 0; k < n; k++) {
        P[k].len = M->np[k].len;
        P[k].mon = M->np[k].col;
        P[k].cf = M->np[k].own;
        P[k].red = 0;
    }
    err = write_out(c, P, NULL, (int32_t)n, out);
    gb_free(c, P);
    return err;
}

int gb_normal_forms(const gb_options *opt, const gb_polys *basis, const gb_polys *in,
                    gb_polys *out, gb_stats *stats)
{
    if (opt == NULL || out == NULL) return GB_ERR_ARG;
    memset(out, 0, sizeof(*out));
    gb_ctx c;
    int err = gb_ctx_init(&c, opt, opt->order.nvars);
    if (!err) err = check_polys(basis, c.nv);
    if (!err) err = check_polys(in, c.nv);
    if (!err) err = run_nf(&c, basis, in, out);
    finish_stats(&c, stats);
    gb_ctx_free(&c);
    return err;
}

/* Merge sort of basis indices by decreasing leading monomial (ties keep their order). */
static int sort_by_lead_desc(gb_ctx *c, int32_t *ids, int32_t n)
{
    int32_t *tmp = gb_malloc(c, (size_t)(n > 0 ? n : 1) * sizeof(int32_t));
    if (tmp == NULL) return gb_alloc_error(c);
    int32_t *src = ids, *dst = tmp;
    for (int32_t w = 1; w < n; w *= 2) {
        for (int32_t lo = 0; lo < n; lo += 2 * w) {
            const int32_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            int32_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                dst[k++] = gb_ht_cmp(&c->opt.order, &c->ht, c->bs.p[src[j]].mon[0],
                                     c->bs.p[src[i]].mon[0]) > 0 ? src[j++] : src[i++];
            while (i < mid) dst[k++] = src[i++];
            while (j < hi) dst[k++] = src[j++];
        }
        int32_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != ids) memcpy(ids, src, (size_t)n * sizeof(int32_t));
    gb_free(c, tmp);
    return GB_OK;
}

static int run_check(gb_ctx *c, const gb_polys *basis, const gb_polys *in, int randomized,
                     uint64_t seed, int *is_gb)
{
    int err;
    /* the candidate, monic, then re-stored by decreasing leading monomial (the order
     * in which the pair update expects the elements of one round) */
    if ((err = load_monic_basis(c, basis))) return err;
    const int32_t n = c->bs.n;
    int32_t *ids = gb_malloc(c, (size_t)(n > 0 ? n : 1) * sizeof(int32_t));
    gb_poly *P = gb_malloc(c, (size_t)(n > 0 ? n : 1) * sizeof(gb_poly));
    if (ids == NULL || P == NULL) {
        gb_free(c, ids);
        gb_free(c, P);
        return gb_alloc_error(c);
    }
    for (int32_t k = 0; k < n; k++) ids[k] = k;
    err = sort_by_lead_desc(c, ids, n);
    if (!err) {
        for (int32_t k = 0; k < n; k++) P[k] = c->bs.p[ids[k]];
        memcpy(c->bs.p, P, (size_t)n * sizeof(gb_poly));
    }
    gb_free(c, ids);
    gb_free(c, P);
    if (err) return err;
    int64_t off = 0;
    for (int64_t k = 0; k < in->npolys; off += in->lens[k], k++) {
        int32_t len;
        int32_t *mon;
        uint32_t *cf;
        if ((err = clean_poly(c, in, k, off, &len, &mon, &cf))) return err;
        if (len == 0) continue;
        if ((err = gb_matrix_push_tr(c, len, mon, cf, cf, -1))) {
            gb_free(c, mon);
            gb_free(c, cf);
            return err;
        }
    }
    /* mark the columns only now: clean_poly borrows ht.idx */
    if ((err = push_tr_cols(c))) return err;
    return gb_check_groebner(c, randomized, seed, is_gb);
}

int gb_check_basis(const gb_options *opt, const gb_polys *basis, const gb_polys *in,
                   int randomized, uint64_t seed, int *is_gb, gb_stats *stats)
{
    if (opt == NULL || is_gb == NULL) return GB_ERR_ARG;
    *is_gb = 0;
    gb_ctx c;
    int err = gb_ctx_init(&c, opt, opt->order.nvars);
    if (!err) err = check_polys(basis, c.nv);
    if (!err) err = check_polys(in, c.nv);
    if (!err) err = run_check(&c, basis, in, randomized, seed, is_gb);
    if (err) *is_gb = 0;
    c.st.basis_size = c.bs.n;
    finish_stats(&c, stats);
    gb_ctx_free(&c);
    return err;
}
