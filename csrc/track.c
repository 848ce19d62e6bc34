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
 * Two precisions (csrc/track_kernel.h, included twice): every leg starts in double;
 * when the corrector stalls TK_STALLS times at one step (halving in between) with
 * residuals in double-double (or the steps became tiny), double itself is the limit
 * -- condition numbers of 1e16-1e18 near large solutions of the network systems -- and
 * the leg goes on from where it stopped in long double (x87 extended, 64-bit
 * significand: factors, predictor and corrector, residuals in double-double).  The
 * next leg starts in double.
 *
 * Complex arithmetic uses C99 complex types through <tgmath.h>; the extension is built
 * with -fcx-limited-range (no NaN/Inf recovery in products and quotients: inputs are
 * finite, non-finite results are caught by the acceptance tests).
 */
#define _POSIX_C_SOURCE 200809L

#include "track.h"

#include <tgmath.h>       /* math.h and complex.h, type-generic: one kernel, two precisions */
#include <float.h>
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
#define TK_STALLS 3                /* stalled rejections (accurate residuals) before long double */
#define TK_ESCALATE 100            /* internal leg status: go on in long double */
#define TK_ESCAPE_GAP 8e-5         /* a stalled leg this close to its end (1 - t) ... */
#define TK_ESCAPE_RATE 0.75        /* ... whose |x| grew like gap^-0.75 or faster over its last
                                      two spans (gap / 4 each) escapes to infinity: diverged */

/* double-double numbers (hi + lo, |lo| <= ulp(hi)/2) for accurate residuals */
typedef struct {
    double hi, lo;
} dd;

/* a complex double-double */
typedef struct {
    dd re, im;
} cdd;

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
    atomic_llong done, nsteps, nrejected, nextended, nescalated;
} tk_run;

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

static dd two_prod(double a, double b)
{
    const double p = a * b;
    return (dd){p, fma(a, b, -p)};
}

static dd dd_mul(dd a, dd b)
{
    dd p = two_prod(a.hi, b.hi);
    return quick_two_sum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}

/* R[i] = F_i(x) + mu_i (x_i - c_i), i < n, in double-double, from the point X, the
 * differences D = x - c and mu U given as double-doubles (the two precisions' wrappers
 * below make them exactly; a double is a double-double with lo = 0, and then every
 * product here is the one of a double-double by a double) */
static void residual_dd_core(const tk_program *p, cdd *vals, const cdd *X, const cdd *D,
                             const cdd *U, cdd *R)
{
    const int32_t M = p->nmonos, n = p->nvars;
    vals[0] = (cdd){{1.0, 0.0}, {0.0, 0.0}};
    for (int32_t k = 1; k < M; k++) {
        const cdd a = vals[p->parent[k]], x = X[p->var[k]];
        vals[k].re = dd_add(dd_mul(a.re, x.re), dd_neg(dd_mul(a.im, x.im)));
        vals[k].im = dd_add(dd_mul(a.re, x.im), dd_mul(a.im, x.re));
    }
    for (int32_t i = 0; i < n; i++) {
        dd re = {0.0, 0.0}, im = {0.0, 0.0};
        for (int64_t t = p->row_start[i]; t < p->row_start[i + 1]; t++) {
            const cdd v = vals[p->term_mono[t]];
            re = dd_add(re, dd_mul_d(v.re, p->term_coef[t]));
            im = dd_add(im, dd_mul_d(v.im, p->term_coef[t]));
        }
        const cdd d = D[i], u = U[i];
        re = dd_add(re, dd_add(dd_mul(d.re, u.re), dd_neg(dd_mul(d.im, u.im))));
        im = dd_add(im, dd_add(dd_mul(d.re, u.im), dd_mul(d.im, u.re)));
        R[i] = (cdd){re, im};
    }
}

/* out[i] = F_i(x) + mu_i (x_i - c_i), i < n, evaluated in double-double and rounded;
 * tmp: 4n scratch double-doubles */
static void residual_dd(const tk_program *p, cdd *vals, cdd *tmp, const cplx *x,
                        const cplx *mu, const cplx *c, cplx *out)
{
    const int32_t n = p->nvars;
    cdd *X = tmp, *D = tmp + n, *U = tmp + 2 * n, *R = tmp + 3 * n;
    for (int32_t i = 0; i < n; i++) {
        X[i] = (cdd){{creal(x[i]), 0.0}, {cimag(x[i]), 0.0}};
        /* x - c exact as a double-double */
        D[i] = (cdd){two_sum(creal(x[i]), -creal(c[i])), two_sum(cimag(x[i]), -cimag(c[i]))};
        U[i] = (cdd){{creal(mu[i]), 0.0}, {cimag(mu[i]), 0.0}};
    }
    residual_dd_core(p, vals, X, D, U, R);
    for (int32_t i = 0; i < n; i++)
        out[i] = CMPLX(R[i].re.hi + R[i].re.lo, R[i].im.hi + R[i].im.lo);
}

/* The same residual for a point in long double (the rest of a path that double could
 * not follow): x, mu and c are split exactly into double-double (a long double has a
 * 64-bit significand, hi + lo holds it). */
static dd dd_from_ld(long double v)
{
    const double hi = (double)v;
    return (dd){hi, (double)(v - (long double)hi)};
}

static long double dd_to_ld(dd a) { return (long double)a.hi + (long double)a.lo; }

static void residual_dd_ld(const tk_program *p, cdd *vals, cdd *tmp,
                           const long double complex *x, const long double complex *mu,
                           const long double complex *c, long double complex *out)
{
    const int32_t n = p->nvars;
    cdd *X = tmp, *D = tmp + n, *U = tmp + 2 * n, *R = tmp + 3 * n;
    for (int32_t i = 0; i < n; i++) {
        X[i] = (cdd){dd_from_ld(creal(x[i])), dd_from_ld(cimag(x[i]))};
        D[i] = (cdd){dd_add(X[i].re, dd_neg(dd_from_ld(creal(c[i])))),
                     dd_add(X[i].im, dd_neg(dd_from_ld(cimag(c[i]))))};
        U[i] = (cdd){dd_from_ld(creal(mu[i])), dd_from_ld(cimag(mu[i]))};
    }
    residual_dd_core(p, vals, X, D, U, R);
    for (int32_t i = 0; i < n; i++)
        out[i] = CMPLXL(dd_to_ld(R[i].re), dd_to_ld(R[i].im));
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

/* ------------------------------------------------------------------ the kernel, twice */

#define K_REAL double
#define K_CPLX double complex
#define K_SUFFIX _d
#define K_CMPLX(re, im) CMPLX(re, im)
#define K_RESIDUAL_DD residual_dd
/* (where long double is double, as on some ARM ABIs, there is nothing to escalate to) */
#define K_CAN_ESCALATE (LDBL_MANT_DIG > DBL_MANT_DIG)
#include "track_kernel.h"

#define K_REAL long double
#define K_CPLX long double complex
#define K_SUFFIX _ld
#define K_CMPLX(re, im) CMPLXL(re, im)
#define K_RESIDUAL_DD residual_dd_ld
#define K_CAN_ESCALATE 0
#include "track_kernel.h"

/* per-thread scratch space: one per precision */
typedef struct {
    tk_work_d d;
    tk_work_ld ld;
} tk_work;

typedef struct {
    tk_run *run;
    tk_work *work;
} tk_thread;

/* the leg's parameters mua, dmu from t_from on (the whole leg if t_from = 0), in both
 * precisions' scratch spaces */
static void set_leg(tk_work *w, const cplx *a, const cplx *b, int32_t n, double t_from)
{
    for (int32_t i = 0; i < n; i++) {
        const long double complex la = a[i], lb = b[i];
        const long double complex start = la + (long double)t_from * (lb - la);
        w->ld.mua[i] = start;
        w->ld.dmu[i] = lb - start;
        w->d.mua[i] = (cplx)start;
        w->d.dmu[i] = (cplx)(lb - start);
    }
}

/* One path along its route.  Every leg starts in double; a leg whose corrector stalls
 * with accurate residuals (TK_ESCALATE) goes on in long double from where it stopped,
 * to the leg's end (and the polish, after the last leg); the next leg starts in
 * double again.  The stretches that need it are short: a pass near a parameter where
 * solutions escape to infinity, or the end at a large, ill-conditioned solution. */
static void track_path(tk_run *run, tk_work *w, int64_t q, int caller, double *last_poll)
{
    const tk_program *p = run->prog;
    const tk_options *o = run->opt;
    const int32_t n = p->nvars, L = run->nlegs;
    const int32_t *route = run->route + q * (int64_t)(L + 1);
    memcpy(w->d.x, run->x0 + q * n, sizeof(cplx) * (size_t)n);
    int32_t status = TK_SUCCESS, steps = 0, rejected = 0;
    double last = NAN;
    int extended = 0, escalated = 0, in_ld = 0;
    int32_t at = route[0];
    double reached = 0.0;
    for (int32_t l = 0; l < L && route[l + 1] >= 0; l++) {
        const cplx *a = run->params + (int64_t)route[l] * n;
        const cplx *b = run->params + (int64_t)route[l + 1] * n;
        if (in_ld) {                   /* back to double for a new leg */
            for (int32_t i = 0; i < n; i++)
                w->d.x[i] = (cplx)w->ld.x[i];
            in_ld = 0;
        }
        set_leg(w, a, b, n, 0.0);
        int32_t leg_steps = 0;
        double t_leg = 0.0;
        const double size = 1.0 + vnorm_d(w->d.x, n);
        status = track_leg_d(run, &w->d, caller, last_poll, &steps, &rejected, &leg_steps,
                             &last, &extended, size, &t_leg);
        if (status == TK_ESCALATE) {
            escalated = in_ld = 1;
            for (int32_t i = 0; i < n; i++)
                w->ld.x[i] = w->d.x[i];
            set_leg(w, a, b, n, t_leg);
            const double t0 = t_leg;
            double t_rest = 0.0;
            status = track_leg_ld(run, &w->ld, caller, last_poll, &steps, &rejected, &leg_steps,
                                  &last, &extended, size, &t_rest);
            t_leg = t0 + (1.0 - t0) * t_rest;
        }
        reached = l + t_leg;
        at = route[l + 1];
        if (status != TK_SUCCESS)
            break;
    }
    const cplx *m = run->params + (int64_t)at * n;
    if (in_ld) {
        if (status == TK_SUCCESS && o->polish > 0)
            last = polish_ld(run, &w->ld, m, o->polish, last);
        for (int32_t i = 0; i < n; i++)
            w->d.x[i] = (cplx)w->ld.x[i];
    } else if (status == TK_SUCCESS && o->polish > 0) {
        last = polish_d(run, &w->d, m, o->polish, last);
    }
    memcpy(run->x + q * n, w->d.x, sizeof(cplx) * (size_t)n);
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
    if (escalated)
        atomic_fetch_add_explicit(&run->nescalated, 1, memory_order_relaxed);
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
    work_free_d(&w->d);
    work_free_ld(&w->ld);
}

static int work_init(tk_work *w, const tk_program *p, const cplx *center)
{
    memset(w, 0, sizeof(*w));
    if (work_init_d(&w->d, p) != TK_OK || work_init_ld(&w->ld, p) != TK_OK) {
        work_free(w);
        return TK_ERR_NOMEM;
    }
    for (int32_t i = 0; center != NULL && i < p->nvars; i++) {
        w->d.center[i] = center[i];
        w->ld.center[i] = center[i];
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
    tk_work_d w;
    code = work_init_d(&w, prog);
    if (code != TK_OK)
        return code;
    const int64_t n = prog->nvars;
    const cplx *X = (const cplx *)x;
    cplx *Fo = (cplx *)F, *Jo = (cplx *)J;
    for (int64_t q = 0; q < npoints; q++) {
        eval_program_d(prog, X + q * n, w.vals, w.out, J != NULL);
        memcpy(Fo + q * n, w.out, sizeof(cplx) * (size_t)n);
        if (J != NULL)
            memcpy(Jo + q * n * n, w.out + n, sizeof(cplx) * (size_t)(n * n));
    }
    work_free_d(&w);
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
        if (work_init(&works[ready], prog, (const cplx *)center) != TK_OK)
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
    atomic_init(&run.nescalated, 0);

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
    stats->escalated = atomic_load(&run.nescalated);
    stats->timed_out = stop == 1;
    stats->interrupted = stop == 2;
    stats->threads_used = started + 1;
    return stop == 2 ? TK_ERR_INTERRUPT : TK_OK;
}
