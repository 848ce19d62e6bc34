/* Compiled path tracking for the parameter homotopy F(x) + diag(mu) (x - c).
 *
 * The numeric half of grobnet's hybrid route tracks thousands of solution paths of
 *
 *     H(x, t) = F(x) + diag(mu(t)) (x - c),   mu(t) = mu_a + t (mu_b - mu_a),  t in [0, 1],
 *
 * between parameter points mu_a, mu_b in C^n (one per equation; c a fixed centre).
 * This file is the flat C interface of that tracker; it is separate from the F4
 * engine (grobnet_f4.h) and shares nothing with it.
 *
 * The system F: C^n -> C^n and its Jacobian are evaluated from a compact monomial
 * program (tk_program): monomial k is monomial parent[k] times x[var[k]] (so all
 * monomial values cost one complex product each), and every output -- the n
 * values F_i, then the n*n entries dF_i/dx_j row by row -- is a real linear
 * combination of monomial values.
 *
 * Each path follows a route of parameter points (indices into a table): one leg
 * per consecutive pair, tracked from t = 0 to t = 1 with a classical Runge-Kutta
 * predictor and a Newton corrector under adaptive steps (the algorithm of the
 * numpy tracker grobnet/numeric/homotopy.py, step for step).  A straight segment
 * is a route of two points, a bent one of three.  After the last leg the end
 * point may be polished by Newton steps on the system at the route's last point.
 * Residuals are evaluated in double, or in double-double once a path's corrector
 * stalls on rounding noise (ill-conditioned stretches) and always in the polish; a
 * path whose corrector still stalls goes on in long double (x87 extended precision:
 * factors and all) to its end -- Jacobians with condition numbers of 1e16-1e18 near
 * large solutions, where double cannot contract Newton's corrections at all.
 *
 * Paths are independent: they are handed out to threads one at a time, and every
 * path is computed by one thread in its own workspace, so results do not depend on
 * the number of threads.  Nothing here keeps global state, exits or aborts; every
 * allocation is checked; the wall-clock budget and an interrupt poll are honoured
 * between steps.  Complex numbers cross the interface as interleaved
 * (real, imaginary) double pairs, the layout of C99 double complex and numpy's
 * complex128.
 */
#ifndef GROBNET_TRACK_H
#define GROBNET_TRACK_H

#include <stdint.h>

/* return codes */
#define TK_OK 0
#define TK_ERR_NOMEM (-1)      /* an allocation failed */
#define TK_ERR_INPUT (-2)      /* inconsistent program, route or option */
#define TK_ERR_INTERRUPT (-3)  /* the poll callback asked to stop (e.g. Ctrl-C) */

/* predictors */
#define TK_RK4 0               /* classical Runge-Kutta (the numpy tracker's) */
#define TK_PADE 1              /* Pade (2,1) from the Taylor coefficients of the path, per coordinate */

/* path status codes (as the numpy tracker) */
#define TK_SUCCESS 0           /* reached t = 1 on every leg */
#define TK_DIVERGED 1          /* |x| beyond blowup, or stuck far from where it started */
#define TK_STEP_FAILURE 2      /* the step size fell below h_min */
#define TK_MAX_STEPS 3         /* max_steps steps on one leg */
#define TK_INTERRUPTED 4       /* stopped by the time budget or the interrupt poll */

/* Called by the calling thread about every poll_interval seconds; nonzero stops
 * the run (unfinished paths get TK_INTERRUPTED, the call returns TK_ERR_INTERRUPT). */
typedef int (*tk_poll_fn)(void *data);

typedef struct {
    int32_t nvars;             /* n: variables, and equations */
    int32_t nmonos;            /* monomials; monomial 0 is the constant 1 */
    const int32_t *parent;     /* [nmonos] monomial k = monomial parent[k] * x[var[k]]; parent[k] < k */
    const int32_t *var;        /* [nmonos] variable index of that product (ignored for k = 0) */
    const int64_t *row_start;  /* [n + n*n + 1] terms of output r are row_start[r] .. row_start[r+1]-1 */
    const int32_t *term_mono;  /* [nterms] monomial of each term */
    const double *term_coef;   /* [nterms] real coefficient of each term */
} tk_program;

typedef struct {
    double tol_pred;           /* largest accepted first Newton correction, max_i |dx_i| / max(1, |x_i|) */
    int32_t newton_steps;      /* corrector iterations per step (>= 1) */
    double h_start;            /* first step in t of each leg */
    double h_min;              /* a step below this is a step failure */
    double h_max;              /* largest step in t */
    int32_t max_steps;         /* steps per leg before TK_MAX_STEPS */
    double blowup;             /* |x| beyond this: diverged */
    double far;                /* stuck with |x| > far (1 + |x_leg_start|): diverged */
    int32_t polish;            /* Newton iterations at the route's last point after success */
    int32_t predictor;         /* TK_RK4 or TK_PADE */
    int32_t threads;           /* worker threads (>= 1; the caller's thread is one of them) */
    double timeout;            /* wall-clock budget in seconds, 0 = none */
    double poll_interval;      /* seconds between poll calls (0 = at every step) */
    tk_poll_fn poll;           /* interrupt poll, may be NULL */
    void *poll_data;           /* passed to poll */
} tk_options;

typedef struct {
    int64_t paths_done;        /* paths that reached a final status other than TK_INTERRUPTED */
    int64_t steps;             /* predictor-corrector steps, all paths */
    int64_t rejected;          /* rejected steps, all paths */
    int64_t extended;          /* paths that switched to double-double residuals */
    int64_t escalated;         /* paths that went on in long double (double ran out of digits) */
    int32_t timed_out;         /* the budget ran out */
    int32_t interrupted;       /* the poll asked to stop */
    int32_t threads_used;      /* threads that ran (thread creation may fail: fewer) */
} tk_stats;

/* Check a program: sizes positive, parent[k] < k, indices in range, row_start
 * non-decreasing from 0.  TK_OK or TK_ERR_INPUT. */
int tk_program_check(const tk_program *prog);

/* F (npoints x n) and, if J is not NULL, the Jacobian (npoints x n x n, row-major)
 * at the points x (npoints x n); complex as interleaved doubles. */
int tk_evaluate(const tk_program *prog, int64_t npoints, const double *x, double *F, double *J);

/* Track npaths paths.
 *   x0: npaths x n start points;  route: npaths x (nlegs + 1) indices into params, a
 *   route ending early is padded with -1 (a route of one point tracks nothing and
 *   only polishes);  params: nparams x n parameter points;  center: n.
 * Out: x (npaths x n; may alias x0), status, steps and rejected steps per path, and
 * residual: the last Newton correction max_i |dx_i| / max(1, |x_i|) at the end point
 * (of the polish if any, else of the last corrector step; NaN if none); progress
 * (may be NULL): how far each path got, legs completed plus t on the last leg.
 * Returns TK_OK (also when the budget ran out: see stats->timed_out), or an error. */
int tk_track(const tk_program *prog, const tk_options *opt, int64_t npaths, int32_t nlegs,
             const double *x0, const int32_t *route, int64_t nparams, const double *params,
             const double *center, double *x, int32_t *status, int32_t *steps,
             int32_t *rejected, double *residual, double *progress, tk_stats *stats);

#endif /* GROBNET_TRACK_H */
