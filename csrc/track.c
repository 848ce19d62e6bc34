/* Compiled path tracking for F(x) + diag(mu) (x - c); see track.h.
 *
 * One path at a time per thread:  for each leg of its route, t runs from 0 to 1 by
 * adaptive steps.  A step of size h from (x, t):
 *   predictor   classical Runge-Kutta on dx/dt = -H_x^{-1} H_t, H_t = dmu (x - c);
 *   corrector   Newton iterations on H(., t + h): at least newton_steps, at most
 *               TK_NEWTON_MAX, until the estimated remaining error is below TK_ACCURACY;
 *   accepted    when the first correction is at most tol_pred (the predictor stayed in
 *               the basin), every later one shrinks by 4 (or is below TK_ACCURACY) and
 *               the corrector converged; corrections are measured in the weighted norm
 *               max_i |dx_i| / max(1, |x_i|); the step then grows by
 *               clip(0.8 r^(-1/5), 1, 2.5) with r = first correction / tol_pred;
 *               rejected steps halve h.
 * These are the rules of grobnet/numeric/homotopy.py, so both trackers follow the
 * same paths; k1 of a rejected step is reused (same x, same t).
 *
 * The Pade predictor (TK_PADE, the default of monodromy) replaces the Runge-Kutta
 * stages by the Taylor coefficients x1..x3 of the path at (x, t), computed from the
 * monomial program (one factorisation, two Leibniz passes), and a Pade (2,1)
 * approximant per coordinate; the idea is HomotopyContinuation.jl's (MIT; S. Timme,
 * "Mixed precision path tracking for polynomial homotopy continuation", Adv. Comput.
 * Math. 2021), the code is ours.  Its first corrector step refactorises at the
 * prediction, the next ones are chord steps (only F is evaluated).
 *
 * Complex arithmetic uses C99 double complex; the extension is built with
 * -fcx-limited-range (no NaN/Inf recovery in products and quotients: inputs are
 * finite, non-finite results are caught by the acceptance tests).
 */
#define _POSIX_C_SOURCE 200809L

#include "track.h"

#include <complex.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef double complex cplx;

#define TK_MAX_VARS 4096           /* n*n Jacobian entries must stay addressable */
#define TK_NEWTON_MAX 5            /* corrector iterations per step at most */
#define TK_ACCURACY 1e-9           /* corrector target (weighted norm, see wnorm) */
#define TK_NOISE_SUSPECT 1e-6      /* no contraction below this correction: suspect rounding */
#define TK_TINY_STEP 1e-9          /* steps in t this small also switch to accurate residuals */

/* double-double numbers (hi + lo, |lo| <= ulp(hi)/2) for accurate residuals */
typedef struct {
    double hi, lo;
} dd;

/* a complex double-double */
typedef struct {
    dd re, im;
} cdd;

/* per-thread scratch space */
typedef struct {
    cplx *vals;                    /* [nmonos] monomial values */
    cdd *vals_dd;                  /* [nmonos] monomial values in double-double (residuals) */
    cplx *out;                     /* [n + n*n] F then the Jacobian */
    cplx *lu;                      /* [n*n] factorised H_x */
    int32_t *piv;                  /* [n] row pivots */
    int lu_valid;                  /* lu holds the factors of the last factorisation */
    cplx *x, *y, *xp, *rhs, *mu;   /* [n] each: point, stage point, predicted point, rhs, mu(t) */
    cplx *k[4];                    /* [n] each: Runge-Kutta stages, or Taylor coefficients 1..3 */
    cplx *ser[3];                  /* [nmonos] each: Taylor coefficients 1..3 of the monomials */
    cplx *mua, *dmu;               /* [n] each: leg start parameter and leg direction */
} tk_work;

/* shared state of one tk_track call */
typedef struct {
    const tk_program *prog;
    const tk_options *opt;
    int64_t npaths;
    int32_t nlegs;
    const cplx *x0, *params, *center;
    const int32_t *route;
    cplx *x;
    int32_t *status, *steps, *rejected;
    double *residual;
    double *progress;              /* may be NULL */
    double deadline;               /* monotonic seconds, 0 = none */
    atomic_llong next;             /* next path to hand out */
    atomic_int stop;               /* 0 running, 1 out of time, 2 interrupted */
    atomic_llong done, nsteps, nrejected, nextended;
} tk_run;

typedef struct {
    tk_run *run;
    tk_work *work;
} tk_thread;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ------------------------------------------------------------------ program */

int tk_program_check(const tk_program *p)
{
    if (p == NULL || p->nvars < 1 || p->nvars > TK_MAX_VARS || p->nmonos < 1 ||
        p->parent == NULL || p->var == NULL || p->row_start == NULL)
        return TK_ERR_INPUT;
    const int64_t n = p->nvars, rows = n + n * n;
    for (int32_t k = 1; k < p->nmonos; k++) {
        if (p->parent[k] < 0 || p->parent[k] >= k || p->var[k] < 0 || p->var[k] >= n)
            return TK_ERR_INPUT;
    }
    if (p->row_start[0] != 0)
        return TK_ERR_INPUT;
    for (int64_t r = 0; r < rows; r++) {
        if (p->row_start[r + 1] < p->row_start[r])
            return TK_ERR_INPUT;
    }
    const int64_t nterms = p->row_start[rows];
    if (nterms > 0 && (p->term_mono == NULL || p->term_coef == NULL))
        return TK_ERR_INPUT;
    for (int64_t t = 0; t < nterms; t++) {
        if (p->term_mono[t] < 0 || p->term_mono[t] >= p->nmonos || !isfinite(p->term_coef[t]))
            return TK_ERR_INPUT;
    }
    return TK_OK;
}

/* out[0..n) = F(x); with the Jacobian, out[n + i n + j] = dF_i/dx_j */
static void eval_program(const tk_program *p, const cplx *x, cplx *vals, cplx *out, int jacobian)
{
    const int32_t M = p->nmonos, n = p->nvars;
    const int64_t rows = jacobian ? (int64_t)n + (int64_t)n * n : n;
    vals[0] = 1.0;
    for (int32_t k = 1; k < M; k++)
        vals[k] = vals[p->parent[k]] * x[p->var[k]];
    const int32_t *mono = p->term_mono;
    const double *coef = p->term_coef;
    for (int64_t r = 0; r < rows; r++) {
        /* four independent sums: the additions of one long row do not wait on each other */
        cplx s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
        int64_t t = p->row_start[r];
        const int64_t end = p->row_start[r + 1];
        for (; t + 4 <= end; t += 4) {
            s0 += coef[t] * vals[mono[t]];
            s1 += coef[t + 1] * vals[mono[t + 1]];
            s2 += coef[t + 2] * vals[mono[t + 2]];
            s3 += coef[t + 3] * vals[mono[t + 3]];
        }
        for (; t < end; t++)
            s0 += coef[t] * vals[mono[t]];
        out[r] = (s0 + s1) + (s2 + s3);
    }
}

/* ------------------------------------------------------------------ accurate residuals
 *
 * Near an ill-conditioned solution (cond(H_x) up to ~1e12, e.g. two hidden units of a
 * network nearly equal) the residual H(x, t) evaluated in double is mostly rounding
 * noise: Newton's corrections stall at cond * eps and the tracker rejects every step.
 * Newton with the residual in double-double and the Jacobian in double converges to
 * full double accuracy as long as cond * eps < 1 (mixed-precision iterative
 * refinement).  So a path whose corrector stops contracting switches to residuals in
 * double-double (Dekker/Knuth error-free transformations), and every final polish
 * uses them. */

static dd two_sum(double a, double b)
{
    const double s = a + b, bb = s - a;
    return (dd){s, (a - (s - bb)) + (b - bb)};
}

static dd quick_two_sum(double a, double b)
{
    const double s = a + b;
    return (dd){s, b - (s - a)};
}

static dd dd_add(dd a, dd b)
{
    dd s = two_sum(a.hi, b.hi);
    return quick_two_sum(s.hi, s.lo + a.lo + b.lo);
}

static dd dd_neg(dd a) { return (dd){-a.hi, -a.lo}; }

static dd dd_mul_d(dd a, double b)
{
    const double p = a.hi * b;
    return quick_two_sum(p, fma(a.hi, b, -p) + a.lo * b);
}

/* out[i] = F_i(x) + mu_i (x_i - c_i), i < n, evaluated in double-double and rounded */
static void residual_dd(const tk_program *p, cdd *vals, const cplx *x, const cplx *mu,
                        const cplx *c, cplx *out)
{
    const int32_t M = p->nmonos, n = p->nvars;
    vals[0] = (cdd){{1.0, 0.0}, {0.0, 0.0}};
    for (int32_t k = 1; k < M; k++) {
        const cdd a = vals[p->parent[k]];
        const double xr = creal(x[p->var[k]]), xi = cimag(x[p->var[k]]);
        vals[k].re = dd_add(dd_mul_d(a.re, xr), dd_neg(dd_mul_d(a.im, xi)));
        vals[k].im = dd_add(dd_mul_d(a.re, xi), dd_mul_d(a.im, xr));
    }
    for (int32_t i = 0; i < n; i++) {
        dd re = {0.0, 0.0}, im = {0.0, 0.0};
        for (int64_t t = p->row_start[i]; t < p->row_start[i + 1]; t++) {
            const cdd v = vals[p->term_mono[t]];
            re = dd_add(re, dd_mul_d(v.re, p->term_coef[t]));
            im = dd_add(im, dd_mul_d(v.im, p->term_coef[t]));
        }
        /* mu (x - c) with x - c exact as a double-double */
        const dd dr = two_sum(creal(x[i]), -creal(c[i])), di = two_sum(cimag(x[i]), -cimag(c[i]));
        const double mr = creal(mu[i]), mi = cimag(mu[i]);
        re = dd_add(re, dd_add(dd_mul_d(dr, mr), dd_neg(dd_mul_d(di, mi))));
        im = dd_add(im, dd_add(dd_mul_d(dr, mi), dd_mul_d(di, mr)));
        out[i] = CMPLX(re.hi + re.lo, im.hi + im.lo);
    }
}

/* ------------------------------------------------------------------ dense linear algebra */

static double abs2(cplx z) { return creal(z) * creal(z) + cimag(z) * cimag(z); }

static double vnorm(const cplx *v, int32_t n)
{
    double s = 0.0;
    for (int32_t i = 0; i < n; i++)
        s += abs2(v[i]);
    return sqrt(s);
}

/* max_i |v_i| / max(1, |ref_i|): relative in each large coordinate, absolute in small
 * ones (so a network's small weights are not judged on the scale of its large ones) */
static double wnorm(const cplx *v, const cplx *ref, int32_t n)
{
    double m = 0.0;
    for (int32_t i = 0; i < n; i++) {
        const double r = fmax(1.0, abs2(ref[i]));
        const double q = abs2(v[i]) / r;
        if (!(q <= m))                 /* also propagates NaN */
            m = q;
    }
    return sqrt(m);
}

/* LU with partial pivoting in place (row-major n x n); 0 on success, 1 if singular */
static int lu_factor(cplx *A, int32_t *piv, int32_t n)
{
    for (int32_t k = 0; k < n; k++) {
        int32_t p = k;
        double best = abs2(A[(int64_t)k * n + k]);
        for (int32_t i = k + 1; i < n; i++) {
            const double a = abs2(A[(int64_t)i * n + k]);
            if (a > best) {
                best = a;
                p = i;
            }
        }
        if (!(best > 0.0) || !isfinite(best))
            return 1;
        piv[k] = p;
        if (p != k) {
            for (int32_t j = 0; j < n; j++) {
                const cplx tmp = A[(int64_t)k * n + j];
                A[(int64_t)k * n + j] = A[(int64_t)p * n + j];
                A[(int64_t)p * n + j] = tmp;
            }
        }
        const cplx inv = 1.0 / A[(int64_t)k * n + k];
        const cplx *rowk = A + (int64_t)k * n;
        for (int32_t i = k + 1; i < n; i++) {
            cplx *rowi = A + (int64_t)i * n;
            const cplx l = rowi[k] * inv;
            rowi[k] = l;
            for (int32_t j = k + 1; j < n; j++)
                rowi[j] -= l * rowk[j];
        }
    }
    return 0;
}

/* b <- A^{-1} b with the factors of lu_factor */
static void lu_solve(const cplx *A, const int32_t *piv, int32_t n, cplx *b)
{
    for (int32_t k = 0; k < n; k++) {
        if (piv[k] != k) {
            const cplx tmp = b[k];
            b[k] = b[piv[k]];
            b[piv[k]] = tmp;
        }
    }
    for (int32_t i = 1; i < n; i++) {
        cplx s = b[i];
        const cplx *row = A + (int64_t)i * n;
        for (int32_t j = 0; j < i; j++)
            s -= row[j] * b[j];
        b[i] = s;
    }
    for (int32_t i = n - 1; i >= 0; i--) {
        cplx s = b[i];
        const cplx *row = A + (int64_t)i * n;
        for (int32_t j = i + 1; j < n; j++)
            s -= row[j] * b[j];
        b[i] = s / row[i];
    }
}

/* ------------------------------------------------------------------ homotopy */

/* mu = mua + t dmu; evaluates F and factorises H_x = F_x + diag(mu) at x.
 * Returns 0, or 1 if H_x is singular. */
static int factor_at(const tk_program *p, tk_work *w, const cplx *x, double t)
{
    const int32_t n = p->nvars;
    eval_program(p, x, w->vals, w->out, 1);
    memcpy(w->lu, w->out + n, sizeof(cplx) * (size_t)n * (size_t)n);
    for (int32_t i = 0; i < n; i++) {
        w->mu[i] = w->mua[i] + t * w->dmu[i];
        w->lu[(int64_t)i * n + i] += w->mu[i];
    }
    return lu_factor(w->lu, w->piv, n);
}

static void fill_nan(cplx *v, int32_t n)
{
    for (int32_t i = 0; i < n; i++)
        v[i] = CMPLX(NAN, NAN);
}

/* v = dx/dt = -H_x^{-1} dmu (x - c) */
static void velocity(const tk_program *p, tk_work *w, const cplx *center, const cplx *x,
                     double t, cplx *v)
{
    const int32_t n = p->nvars;
    w->lu_valid = !factor_at(p, w, x, t);
    if (!w->lu_valid) {
        fill_nan(v, n);
        return;
    }
    for (int32_t i = 0; i < n; i++)
        v[i] = -w->dmu[i] * (x[i] - center[i]);
    lu_solve(w->lu, w->piv, n, v);
}

/* one Newton step on H(., t) in place, the residual in double-double if extended;
 * refactor: with H_x factorised at x, else with the factors in w->lu (a chord step:
 * only F is evaluated); returns wnorm(dx, ref) (NaN if H_x is singular; x unchanged) */
static double newton_step(const tk_program *p, tk_work *w, const cplx *center, cplx *x, double t,
                          int extended, const cplx *ref, int refactor)
{
    const int32_t n = p->nvars;
    if (refactor) {
        w->lu_valid = !factor_at(p, w, x, t);
        if (!w->lu_valid)
            return NAN;
    } else {
        if (!w->lu_valid)
            return NAN;
        for (int32_t i = 0; i < n; i++)
            w->mu[i] = w->mua[i] + t * w->dmu[i];
        if (!extended)
            eval_program(p, x, w->vals, w->out, 0);
    }
    if (extended)
        residual_dd(p, w->vals_dd, x, w->mu, center, w->rhs);
    else
        for (int32_t i = 0; i < n; i++)
            w->rhs[i] = w->out[i] + w->mu[i] * (x[i] - center[i]);
    lu_solve(w->lu, w->piv, n, w->rhs);
    for (int32_t i = 0; i < n; i++)
        x[i] -= w->rhs[i];
    return wnorm(w->rhs, ref, n);
}

static int all_finite(const cplx *v, int32_t n)
{
    for (int32_t i = 0; i < n; i++)
        if (!isfinite(creal(v[i])) || !isfinite(cimag(v[i])))
            return 0;
    return 1;
}

/* Taylor coefficients x2, x3 of the path x(t + s) = x + x1 s + x2 s^2 + x3 s^3 + ...
 * through (x, t), given x1 = dx/dt and H_x factorised at (x, t) by the velocity call
 * just before (w->vals: the monomials at x).  The coefficient of s^k of
 * H(x(s), t + s) = F(x(s)) + mu(t + s) (x(s) - c) vanishes:
 *     H_x x_k + [F(x(s))]_k (x_k left out) + dmu x_(k-1) = 0,
 * and [F(x(s))]_k comes from the monomials' Taylor coefficients, each monomial being
 * its parent times one coordinate series (Leibniz rule). */
static void taylor23(const tk_program *p, tk_work *w, const cplx *x, const cplx *x1, cplx *x2,
                     cplx *x3)
{
    const int32_t M = p->nmonos, n = p->nvars;
    cplx *s1 = w->ser[0], *s2 = w->ser[1], *s3 = w->ser[2];
    const cplx *v0 = w->vals;
    s1[0] = s2[0] = s3[0] = 0.0;
    for (int32_t k = 1; k < M; k++) {          /* orders 1 and 2 with x2 = 0 */
        const int32_t a = p->parent[k], j = p->var[k];
        s1[k] = s1[a] * x[j] + v0[a] * x1[j];
        s2[k] = s2[a] * x[j] + s1[a] * x1[j];
    }
    for (int32_t i = 0; i < n; i++) {
        cplx f = 0.0;
        for (int64_t t = p->row_start[i]; t < p->row_start[i + 1]; t++)
            f += p->term_coef[t] * s2[p->term_mono[t]];
        x2[i] = -(f + w->dmu[i] * x1[i]);
    }
    lu_solve(w->lu, w->piv, n, x2);
    for (int32_t k = 1; k < M; k++) {          /* order 2 with x2, order 3 with x3 = 0 */
        const int32_t a = p->parent[k], j = p->var[k];
        s3[k] = s3[a] * x[j] + s2[a] * x1[j] + s1[a] * x2[j];
        s2[k] = s2[a] * x[j] + s1[a] * x1[j] + v0[a] * x2[j];
    }
    for (int32_t i = 0; i < n; i++) {
        cplx f = 0.0;
        for (int64_t t = p->row_start[i]; t < p->row_start[i + 1]; t++)
            f += p->term_coef[t] * s3[p->term_mono[t]];
        x3[i] = -(f + w->dmu[i] * x2[i]);
    }
    lu_solve(w->lu, w->piv, n, x3);
}

/* Pade (2,1) approximant of each coordinate at step h: (a0 + a1 h + a2 h^2) / (1 + b h)
 * with b = -x3 / x2 -- exact for a simple pole, which is how a path passing near
 * infinity looks; the Taylor polynomial where x2 vanishes */
static void pade_predict(int32_t n, const cplx *x, const cplx *x1, const cplx *x2,
                         const cplx *x3, double h, cplx *xp)
{
    for (int32_t i = 0; i < n; i++) {
        if (abs2(x2[i]) > 0.0) {
            const cplx b = -x3[i] / x2[i];
            xp[i] = (x[i] + (x1[i] + b * x[i]) * h + (x2[i] + b * x1[i]) * (h * h)) / (1.0 + b * h);
        } else {
            xp[i] = x[i] + h * (x1[i] + h * (x2[i] + h * x3[i]));
        }
    }
}

/* stop flag, deadline and (caller only) the poll; nonzero when the run must stop */
static int should_stop(tk_run *run, int caller, double *last_poll)
{
    if (atomic_load_explicit(&run->stop, memory_order_relaxed))
        return 1;
    const tk_options *o = run->opt;
    if (run->deadline > 0.0 || (caller && o->poll != NULL)) {
        const double t = now_seconds();
        if (run->deadline > 0.0 && t > run->deadline) {
            int expected = 0;
            atomic_compare_exchange_strong(&run->stop, &expected, 1);
            return 1;
        }
        if (caller && o->poll != NULL && t - *last_poll >= o->poll_interval) {
            *last_poll = t;
            if (o->poll(o->poll_data)) {
                atomic_store(&run->stop, 2);
                return 1;
            }
        }
    }
    return 0;
}

/* Track w->x along one leg (w->mua, w->dmu set).  Returns the status; *last_dx gets
 * the relative size of the last corrector step. */
static int32_t track_leg(tk_run *run, tk_work *w, int caller, double *last_poll,
                         int32_t *steps, int32_t *rejected, double *last_dx, int *extended,
                         double *t_reached)
{
    const tk_program *p = run->prog;
    const tk_options *o = run->opt;
    const int32_t n = p->nvars;
    const cplx *c = run->center;
    cplx *x = w->x, *y = w->y, *xp = w->xp, **k = w->k;
    const double start_size = 1.0 + vnorm(x, n);
    double t = 0.0, h = o->h_start;
    int have_k1 = 0;
    int32_t leg_steps = 0;
    for (;;) {
        *t_reached = t;
        if (should_stop(run, caller, last_poll))
            return TK_INTERRUPTED;
        const double ha = fmin(h, 1.0 - t), t1 = t + ha;
        const int pade = o->predictor == TK_PADE;
        if (!have_k1) {
            velocity(p, w, c, x, t, k[0]);
            if (pade)
                taylor23(p, w, x, k[0], k[1], k[2]);
            have_k1 = 1;
        }
        if (pade) {
            pade_predict(n, x, k[0], k[1], k[2], ha, xp);
        } else {
            for (int32_t i = 0; i < n; i++)
                y[i] = x[i] + 0.5 * ha * k[0][i];
            velocity(p, w, c, y, t + 0.5 * ha, k[1]);
            for (int32_t i = 0; i < n; i++)
                y[i] = x[i] + 0.5 * ha * k[1][i];
            velocity(p, w, c, y, t + 0.5 * ha, k[2]);
            for (int32_t i = 0; i < n; i++)
                y[i] = x[i] + ha * k[2][i];
            velocity(p, w, c, y, t1, k[3]);
            for (int32_t i = 0; i < n; i++)
                xp[i] = x[i] + ha / 6.0 * (k[0][i] + 2.0 * k[1][i] + 2.0 * k[2][i] + k[3][i]);
        }
        /* corrector: at least newton_steps iterations, then more (up to TK_NEWTON_MAX)
         * until the remaining error, estimated as d_k^2 / d_(k-1) under quadratic
         * convergence, is below TK_ACCURACY; every correction after the first must
         * shrink by 4 (or be below TK_ACCURACY).  Two fixed iterations were not enough:
         * an accepted point could keep an error near the second correction, the
         * errors piled up, and the path ended outside Newton's basin. */
        double d1 = NAN, prev = NAN, last = NAN;
        int converged = 0, stalled = 0;
        for (int32_t it = 0; it < TK_NEWTON_MAX; it++) {
            /* Runge-Kutta: full Newton steps (the numpy tracker's rules); Pade: a full
             * step at the prediction, then chord steps on its factors */
            const double d = newton_step(p, w, c, xp, t1, *extended, x, !pade || it == 0);
            if (!isfinite(d))
                break;
            last = d;
            if (it == 0) {
                d1 = d;
                if (d > o->tol_pred)
                    break;
                if (o->newton_steps == 1) {
                    converged = 1;
                    break;
                }
            } else {
                if (d > 0.25 * prev && d > TK_ACCURACY) {
                    stalled = prev <= TK_NOISE_SUSPECT;
                    break;
                }
                if (it + 1 >= o->newton_steps && (d <= TK_ACCURACY || d * d <= TK_ACCURACY * prev)) {
                    converged = 1;
                    break;
                }
            }
            prev = d;
        }
        const int good = converged && all_finite(xp, n);
        leg_steps++;
        (*steps)++;
        int32_t status = -1;
        if (good) {
            memcpy(x, xp, sizeof(cplx) * (size_t)n);
            t = (1.0 - t1 < 1e-14) ? 1.0 : t1;
            const double ratio = fmax(d1, 1e-16) / o->tol_pred;
            const double grow = fmin(fmax(0.8 * pow(ratio, o->predictor == TK_PADE ? -0.25 : -0.2),
                                          1.0), 2.5);
            h = fmin(ha * grow, o->h_max);
            have_k1 = 0;
            *last_dx = last;
            if (t >= 1.0)
                status = TK_SUCCESS;
            if (vnorm(x, n) > o->blowup)
                status = TK_DIVERGED;
        } else if (!*extended && (stalled || ha < TK_TINY_STEP)) {
            /* Newton stopped contracting at a correction so small that rounding noise
             * in the residual is the likely cause (or the steps became tiny): retry
             * the same step with residuals in double-double */
            (*rejected)++;
            *extended = 1;
        } else {
            (*rejected)++;
            h = ha * 0.5;
            if (h < o->h_min)
                status = TK_STEP_FAILURE;
        }
        if (status < 0 && leg_steps >= o->max_steps)
            status = TK_MAX_STEPS;
        if ((status == TK_STEP_FAILURE || status == TK_MAX_STEPS) &&
            vnorm(x, n) > o->far * start_size)
            status = TK_DIVERGED;
        if (status >= 0) {
            *t_reached = t;
            return status;
        }
    }
}

static void track_path(tk_run *run, tk_work *w, int64_t q, int caller, double *last_poll)
{
    const tk_program *p = run->prog;
    const tk_options *o = run->opt;
    const int32_t n = p->nvars, L = run->nlegs;
    const int32_t *route = run->route + q * (int64_t)(L + 1);
    memcpy(w->x, run->x0 + q * n, sizeof(cplx) * (size_t)n);
    int32_t status = TK_SUCCESS, steps = 0, rejected = 0;
    double last = NAN;
    int extended = 0;
    int32_t at = route[0];
    double reached = 0.0, t_leg = 0.0;
    for (int32_t l = 0; l < L && route[l + 1] >= 0; l++) {
        const cplx *a = run->params + (int64_t)route[l] * n;
        const cplx *b = run->params + (int64_t)route[l + 1] * n;
        for (int32_t i = 0; i < n; i++) {
            w->mua[i] = a[i];
            w->dmu[i] = b[i] - a[i];
        }
        t_leg = 0.0;
        status = track_leg(run, w, caller, last_poll, &steps, &rejected, &last, &extended,
                           &t_leg);
        reached = l + t_leg;
        at = route[l + 1];
        if (status != TK_SUCCESS)
            break;
    }
    if (status == TK_SUCCESS && o->polish > 0) {
        const cplx *m = run->params + (int64_t)at * n;
        for (int32_t i = 0; i < n; i++) {
            w->mua[i] = m[i];
            w->dmu[i] = 0.0;
        }
        for (int32_t it = 0; it < o->polish; it++) {
            memcpy(w->y, w->x, sizeof(cplx) * (size_t)n);
            const double d = newton_step(p, w, run->center, w->y, 0.0, 1, w->x, 1);
            if (!isfinite(d) || !all_finite(w->y, n)) {
                last = INFINITY;
                break;
            }
            memcpy(w->x, w->y, sizeof(cplx) * (size_t)n);
            last = d;
        }
    }
    memcpy(run->x + q * n, w->x, sizeof(cplx) * (size_t)n);
    run->status[q] = status;
    run->steps[q] = steps;
    run->rejected[q] = rejected;
    run->residual[q] = last;
    if (run->progress != NULL)
        run->progress[q] = reached;
    if (status != TK_INTERRUPTED)
        atomic_fetch_add_explicit(&run->done, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&run->nsteps, steps, memory_order_relaxed);
    atomic_fetch_add_explicit(&run->nrejected, rejected, memory_order_relaxed);
    if (extended)
        atomic_fetch_add_explicit(&run->nextended, 1, memory_order_relaxed);
}

static void run_paths(tk_run *run, tk_work *w, int caller)
{
    double last_poll = now_seconds();
    for (;;) {
        if (atomic_load_explicit(&run->stop, memory_order_relaxed))
            return;
        const int64_t q = atomic_fetch_add(&run->next, 1);
        if (q >= run->npaths)
            return;
        track_path(run, w, q, caller, &last_poll);
    }
}

static void *thread_main(void *arg)
{
    tk_thread *th = (tk_thread *)arg;
    run_paths(th->run, th->work, 0);
    return NULL;
}

/* ------------------------------------------------------------------ workspaces */

static void work_free(tk_work *w)
{
    if (w == NULL)
        return;
    free(w->vals);
    free(w->vals_dd);
    free(w->out);
    free(w->lu);
    free(w->piv);
    free(w->x);
    free(w->y);
    free(w->xp);
    free(w->rhs);
    free(w->mu);
    free(w->mua);
    free(w->dmu);
    for (int i = 0; i < 4; i++)
        free(w->k[i]);
    for (int i = 0; i < 3; i++)
        free(w->ser[i]);
    memset(w, 0, sizeof(*w));
}

static int work_init(tk_work *w, const tk_program *p)
{
    const size_t n = (size_t)p->nvars;
    memset(w, 0, sizeof(*w));
    w->vals = malloc(sizeof(cplx) * (size_t)p->nmonos);
    w->vals_dd = malloc(sizeof(cdd) * (size_t)p->nmonos);
    w->out = malloc(sizeof(cplx) * (n + n * n));
    w->lu = malloc(sizeof(cplx) * n * n);
    w->piv = malloc(sizeof(int32_t) * n);
    w->x = malloc(sizeof(cplx) * n);
    w->y = malloc(sizeof(cplx) * n);
    w->xp = malloc(sizeof(cplx) * n);
    w->rhs = malloc(sizeof(cplx) * n);
    w->mu = malloc(sizeof(cplx) * n);
    w->mua = malloc(sizeof(cplx) * n);
    w->dmu = malloc(sizeof(cplx) * n);
    int ok = w->vals && w->vals_dd && w->out && w->lu && w->piv && w->x && w->y && w->xp && w->rhs &&
             w->mu && w->mua && w->dmu;
    for (int i = 0; i < 4; i++) {
        w->k[i] = malloc(sizeof(cplx) * n);
        ok = ok && w->k[i] != NULL;
    }
    for (int i = 0; i < 3; i++) {
        w->ser[i] = malloc(sizeof(cplx) * (size_t)p->nmonos);
        ok = ok && w->ser[i] != NULL;
    }
    if (!ok) {
        work_free(w);
        return TK_ERR_NOMEM;
    }
    return TK_OK;
}

/* ------------------------------------------------------------------ public entry points */

int tk_evaluate(const tk_program *prog, int64_t npoints, const double *x, double *F, double *J)
{
    int code = tk_program_check(prog);
    if (code != TK_OK)
        return code;
    if (npoints < 0 || (npoints > 0 && (x == NULL || F == NULL)))
        return TK_ERR_INPUT;
    tk_work w;
    code = work_init(&w, prog);
    if (code != TK_OK)
        return code;
    const int64_t n = prog->nvars;
    const cplx *X = (const cplx *)x;
    cplx *Fo = (cplx *)F, *Jo = (cplx *)J;
    for (int64_t q = 0; q < npoints; q++) {
        eval_program(prog, X + q * n, w.vals, w.out, J != NULL);
        memcpy(Fo + q * n, w.out, sizeof(cplx) * (size_t)n);
        if (J != NULL)
            memcpy(Jo + q * n * n, w.out + n, sizeof(cplx) * (size_t)(n * n));
    }
    work_free(&w);
    return TK_OK;
}

static int options_check(const tk_options *o)
{
    if (o == NULL)
        return TK_ERR_INPUT;
    if (!(o->tol_pred > 0.0) || o->newton_steps < 1 || !(o->h_start > 0.0) ||
        !(o->h_min >= 0.0) || !(o->h_max > 0.0) || o->max_steps < 1 || !(o->blowup > 0.0) ||
        !(o->far > 0.0) || o->polish < 0 || (o->predictor != TK_RK4 && o->predictor != TK_PADE) || o->threads < 1 || !(o->timeout >= 0.0) ||
        !(o->poll_interval >= 0.0) || !isfinite(o->tol_pred) || !isfinite(o->h_start) ||
        !isfinite(o->h_max) || !isfinite(o->timeout) || !isfinite(o->poll_interval))
        return TK_ERR_INPUT;
    return TK_OK;
}

int tk_track(const tk_program *prog, const tk_options *opt, int64_t npaths, int32_t nlegs,
             const double *x0, const int32_t *route, int64_t nparams, const double *params,
             const double *center, double *x, int32_t *status, int32_t *steps,
             int32_t *rejected, double *residual, double *progress, tk_stats *stats)
{
    int code = tk_program_check(prog);
    if (code != TK_OK)
        return code;
    if ((code = options_check(opt)) != TK_OK)
        return code;
    if (npaths < 0 || nlegs < 0 || nparams < 0 || center == NULL || stats == NULL)
        return TK_ERR_INPUT;
    memset(stats, 0, sizeof(*stats));
    if (npaths == 0)
        return TK_OK;
    if (x0 == NULL || route == NULL || params == NULL || x == NULL || status == NULL ||
        steps == NULL || rejected == NULL || residual == NULL)
        return TK_ERR_INPUT;
    const int64_t n = prog->nvars;
    for (int64_t q = 0; q < npaths; q++) {
        const int32_t *r = route + q * (int64_t)(nlegs + 1);
        if (r[0] < 0 || r[0] >= nparams)
            return TK_ERR_INPUT;
        int ended = 0;
        for (int32_t l = 1; l <= nlegs; l++) {
            if (r[l] == -1)
                ended = 1;
            else if (ended || r[l] < 0 || r[l] >= nparams)
                return TK_ERR_INPUT;
        }
    }
    /* every path starts as "not run": its start point, no steps */
    if (x != x0)
        memcpy(x, x0, sizeof(cplx) * (size_t)(npaths * n));
    for (int64_t q = 0; q < npaths; q++) {
        status[q] = TK_INTERRUPTED;
        steps[q] = 0;
        rejected[q] = 0;
        residual[q] = NAN;
        if (progress != NULL)
            progress[q] = 0.0;
    }

    int32_t T = opt->threads;
    if ((int64_t)T > npaths)
        T = (int32_t)npaths;
    tk_work *works = calloc((size_t)T, sizeof(tk_work));
    tk_thread *ths = calloc((size_t)T, sizeof(tk_thread));
    pthread_t *tids = calloc((size_t)T, sizeof(pthread_t));
    if (works == NULL || ths == NULL || tids == NULL) {
        free(works);
        free(ths);
        free(tids);
        return TK_ERR_NOMEM;
    }
    int32_t ready = 0;
    for (; ready < T; ready++) {
        if (work_init(&works[ready], prog) != TK_OK)
            break;
    }
    if (ready == 0) {
        free(works);
        free(ths);
        free(tids);
        return TK_ERR_NOMEM;
    }
    T = ready;                     /* fewer workspaces: fewer threads, same results */

    tk_run run;
    memset(&run, 0, sizeof(run));
    run.prog = prog;
    run.opt = opt;
    run.npaths = npaths;
    run.nlegs = nlegs;
    /* x0 is copied into x above and read from there: x may alias x0 */
    run.x0 = (const cplx *)x;
    run.params = (const cplx *)params;
    run.center = (const cplx *)center;
    run.route = route;
    run.x = (cplx *)x;
    run.status = status;
    run.steps = steps;
    run.rejected = rejected;
    run.residual = residual;
    run.progress = progress;
    run.deadline = opt->timeout > 0.0 ? now_seconds() + opt->timeout : 0.0;
    atomic_init(&run.next, 0);
    atomic_init(&run.stop, 0);
    atomic_init(&run.done, 0);
    atomic_init(&run.nsteps, 0);
    atomic_init(&run.nrejected, 0);
    atomic_init(&run.nextended, 0);

    int32_t started = 0;
    for (int32_t i = 1; i < T; i++) {
        ths[i].run = &run;
        ths[i].work = &works[i];
        if (pthread_create(&tids[i], NULL, thread_main, &ths[i]) != 0)
            break;
        started++;
    }
    run_paths(&run, &works[0], 1);
    for (int32_t i = 1; i <= started; i++)
        pthread_join(tids[i], NULL);

    for (int32_t i = 0; i < ready; i++)
        work_free(&works[i]);
    free(works);
    free(ths);
    free(tids);

    const int stop = atomic_load(&run.stop);
    stats->paths_done = atomic_load(&run.done);
    stats->steps = atomic_load(&run.nsteps);
    stats->rejected = atomic_load(&run.nrejected);
    stats->extended = atomic_load(&run.nextended);
    stats->timed_out = stop == 1;
    stats->interrupted = stop == 2;
    stats->threads_used = started + 1;
    return stop == 2 ? TK_ERR_INTERRUPT : TK_OK;
}
