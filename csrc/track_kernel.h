/* The tracker's arithmetic kernel, written once for two precisions.
 *
 * csrc/track.c includes this file twice: with K_REAL = double (suffix _d) for every
 * path, and with K_REAL = long double (suffix _ld, x87 extended: 64-bit significand,
 * unit roundoff 5.4e-20) for the stretches where double runs out of digits.  Both
 * follow the same rules (see track.c); only the type of the numbers differs (and the
 * double-double residual, K_RESIDUAL_DD, takes its point in that type).
 *
 * Why a second precision: on the network systems some paths pass close to parameters
 * where solutions escape to infinity, and their Jacobians reach condition numbers of
 * 1e16-1e18 there (|x| ~ 10^3, equations of degree 5: entries from 1 to 1e13).  With
 * factors in double, Newton's corrections do not contract at all (cond * eps >= 1),
 * double-double residuals do not help (the factors are the problem), and the tracker
 * crawls: 14,000-30,000+ steps of ~1e-8 in t per path, half of them rejected (nn_131:
 * the 64 largest critical points, |x| ~ 3,800, cond ~ 5e17).  In long double the
 * same corrections contract (cond * eps ~ 0.03) and with double-double residuals the
 * corrector converges again: those paths take 2,000-11,000 steps instead.
 *
 * Included with: K_REAL, K_CPLX, K_SUFFIX, K_CMPLX(re, im), K_RESIDUAL_DD and
 * K_CAN_ESCALATE (whether a stalled leg may return TK_ESCALATE); the file defines
 * tk_work<suffix> (the scratch space) and the <name><suffix> functions, and undefines
 * these parameters and its own helper macros at the end, so that the next inclusion
 * starts clean. */

#define K_CAT2(a, b) a##b
#define K_CAT(a, b) K_CAT2(a, b)
#define KF(name) K_CAT(name, K_SUFFIX)

typedef K_REAL KF(kreal);
typedef K_CPLX KF(kcplx);

/* per-thread scratch space of one precision */
typedef struct {
    KF(kcplx) *vals;               /* [nmonos] monomial values */
    KF(kcplx) *out;                /* [n + n*n] F then the Jacobian */
    KF(kcplx) *lu;                 /* [n*n] factorised H_x */
    int32_t *piv;                  /* [n] row pivots */
    int lu_valid;                  /* lu holds the factors of the last factorisation */
    KF(kcplx) *x, *y, *xp, *rhs, *mu;  /* [n] each: point, stage point, prediction, rhs, mu(t) */
    KF(kcplx) *k[4];               /* [n] each: Runge-Kutta stages, or Taylor coefficients 1..3 */
    KF(kcplx) *ser[3];             /* [nmonos] each: Taylor coefficients 1..3 of the monomials */
    KF(kcplx) *mua, *dmu;          /* [n] each: leg start parameter and leg direction */
    KF(kcplx) *center;             /* [n] the centre c in this precision */
    cdd *vals_dd;                  /* [nmonos] monomial values in double-double (residuals) */
    cdd *pt_dd;                    /* [4n] x, x - c, mu and F + mu (x - c) in double-double */
} KF(tk_work);

static void KF(work_free)(KF(tk_work) *w)
{
    if (w == NULL)
        return;
    free(w->vals);
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
    free(w->center);
    for (int i = 0; i < 4; i++)
        free(w->k[i]);
    for (int i = 0; i < 3; i++)
        free(w->ser[i]);
    free(w->vals_dd);
    free(w->pt_dd);
    memset(w, 0, sizeof(*w));
}

static int KF(work_init)(KF(tk_work) *w, const tk_program *p)
{
    const size_t n = (size_t)p->nvars, M = (size_t)p->nmonos, z = sizeof(KF(kcplx));
    memset(w, 0, sizeof(*w));
    w->vals = malloc(z * M);
    w->out = malloc(z * (n + n * n));
    w->lu = malloc(z * n * n);
    w->piv = malloc(sizeof(int32_t) * n);
    w->x = malloc(z * n);
    w->y = malloc(z * n);
    w->xp = malloc(z * n);
    w->rhs = malloc(z * n);
    w->mu = malloc(z * n);
    w->mua = malloc(z * n);
    w->dmu = malloc(z * n);
    w->center = malloc(z * n);
    int ok = w->vals && w->out && w->lu && w->piv && w->x && w->y && w->xp && w->rhs && w->mu &&
             w->mua && w->dmu && w->center;
    for (int i = 0; i < 4; i++) {
        w->k[i] = malloc(z * n);
        ok = ok && w->k[i] != NULL;
    }
    for (int i = 0; i < 3; i++) {
        w->ser[i] = malloc(z * M);
        ok = ok && w->ser[i] != NULL;
    }
    w->vals_dd = malloc(sizeof(cdd) * M);
    w->pt_dd = malloc(sizeof(cdd) * 4 * n);
    ok = ok && w->vals_dd != NULL && w->pt_dd != NULL;
    if (!ok) {
        KF(work_free)(w);
        return TK_ERR_NOMEM;
    }
    return TK_OK;
}

/* out[0..n) = F(x); with the Jacobian, out[n + i n + j] = dF_i/dx_j */
static void KF(eval_program)(const tk_program *p, const KF(kcplx) *x, KF(kcplx) *vals,
                             KF(kcplx) *out, int jacobian)
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
        KF(kcplx) s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
        int64_t t = p->row_start[r];
        const int64_t end = p->row_start[r + 1];
        for (; t + 4 <= end; t += 4) {
            s0 += (KF(kreal))coef[t] * vals[mono[t]];
            s1 += (KF(kreal))coef[t + 1] * vals[mono[t + 1]];
            s2 += (KF(kreal))coef[t + 2] * vals[mono[t + 2]];
            s3 += (KF(kreal))coef[t + 3] * vals[mono[t + 3]];
        }
        for (; t < end; t++)
            s0 += (KF(kreal))coef[t] * vals[mono[t]];
        out[r] = (s0 + s1) + (s2 + s3);
    }
}

static KF(kreal) KF(abs2)(KF(kcplx) z) { return creal(z) * creal(z) + cimag(z) * cimag(z); }

static KF(kreal) KF(vnorm)(const KF(kcplx) *v, int32_t n)
{
    KF(kreal) s = 0.0;
    for (int32_t i = 0; i < n; i++)
        s += KF(abs2)(v[i]);
    return sqrt(s);
}

/* max_i |v_i| / max(1, |ref_i|): relative in each large coordinate, absolute in small
 * ones (so a network's small weights are not judged on the scale of its large ones) */
static double KF(wnorm)(const KF(kcplx) *v, const KF(kcplx) *ref, int32_t n)
{
    KF(kreal) m = 0.0;
    for (int32_t i = 0; i < n; i++) {
        const KF(kreal) r = fmax((KF(kreal))1.0, KF(abs2)(ref[i]));
        const KF(kreal) q = KF(abs2)(v[i]) / r;
        if (!(q <= m))                 /* also propagates NaN */
            m = q;
    }
    return (double)sqrt(m);
}

/* LU with partial pivoting in place (row-major n x n); 0 on success, 1 if singular */
static int KF(lu_factor)(KF(kcplx) *A, int32_t *piv, int32_t n)
{
    for (int32_t k = 0; k < n; k++) {
        int32_t p = k;
        KF(kreal) best = KF(abs2)(A[(int64_t)k * n + k]);
        for (int32_t i = k + 1; i < n; i++) {
            const KF(kreal) a = KF(abs2)(A[(int64_t)i * n + k]);
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
                const KF(kcplx) tmp = A[(int64_t)k * n + j];
                A[(int64_t)k * n + j] = A[(int64_t)p * n + j];
                A[(int64_t)p * n + j] = tmp;
            }
        }
        const KF(kcplx) inv = (KF(kreal))1.0 / A[(int64_t)k * n + k];
        const KF(kcplx) *rowk = A + (int64_t)k * n;
        for (int32_t i = k + 1; i < n; i++) {
            KF(kcplx) *rowi = A + (int64_t)i * n;
            const KF(kcplx) l = rowi[k] * inv;
            rowi[k] = l;
            for (int32_t j = k + 1; j < n; j++)
                rowi[j] -= l * rowk[j];
        }
    }
    return 0;
}

/* b <- A^{-1} b with the factors of lu_factor */
static void KF(lu_solve)(const KF(kcplx) *A, const int32_t *piv, int32_t n, KF(kcplx) *b)
{
    for (int32_t k = 0; k < n; k++) {
        if (piv[k] != k) {
            const KF(kcplx) tmp = b[k];
            b[k] = b[piv[k]];
            b[piv[k]] = tmp;
        }
    }
    for (int32_t i = 1; i < n; i++) {
        KF(kcplx) s = b[i];
        const KF(kcplx) *row = A + (int64_t)i * n;
        for (int32_t j = 0; j < i; j++)
            s -= row[j] * b[j];
        b[i] = s;
    }
    for (int32_t i = n - 1; i >= 0; i--) {
        KF(kcplx) s = b[i];
        const KF(kcplx) *row = A + (int64_t)i * n;
        for (int32_t j = i + 1; j < n; j++)
            s -= row[j] * b[j];
        b[i] = s / row[i];
    }
}

/* ------------------------------------------------------------------ homotopy */

/* mu = mua + t dmu; evaluates F and factorises H_x = F_x + diag(mu) at x.
 * Returns 0, or 1 if H_x is singular. */
static int KF(factor_at)(const tk_program *p, KF(tk_work) *w, const KF(kcplx) *x, double t)
{
    const int32_t n = p->nvars;
    KF(eval_program)(p, x, w->vals, w->out, 1);
    memcpy(w->lu, w->out + n, sizeof(KF(kcplx)) * (size_t)n * (size_t)n);
    for (int32_t i = 0; i < n; i++) {
        w->mu[i] = w->mua[i] + (KF(kreal))t * w->dmu[i];
        w->lu[(int64_t)i * n + i] += w->mu[i];
    }
    return KF(lu_factor)(w->lu, w->piv, n);
}

static void KF(fill_nan)(KF(kcplx) *v, int32_t n)
{
    for (int32_t i = 0; i < n; i++)
        v[i] = K_CMPLX(NAN, NAN);
}

/* v = dx/dt = -H_x^{-1} dmu (x - c) */
static void KF(velocity)(const tk_program *p, KF(tk_work) *w, const KF(kcplx) *x, double t,
                         KF(kcplx) *v)
{
    const int32_t n = p->nvars;
    w->lu_valid = !KF(factor_at)(p, w, x, t);
    if (!w->lu_valid) {
        KF(fill_nan)(v, n);
        return;
    }
    for (int32_t i = 0; i < n; i++)
        v[i] = -w->dmu[i] * (x[i] - w->center[i]);
    KF(lu_solve)(w->lu, w->piv, n, v);
}

/* one Newton step on H(., t) in place (the residual in double-double if extended, in
 * the double kernel); refactor: with H_x factorised at x, else with the factors in
 * w->lu (a chord step: only F is evaluated); returns wnorm(dx, ref) (NaN if H_x is
 * singular; x unchanged) */
static double KF(newton_step)(const tk_program *p, KF(tk_work) *w, KF(kcplx) *x, double t,
                              int extended, const KF(kcplx) *ref, int refactor)
{
    const int32_t n = p->nvars;
    if (refactor) {
        w->lu_valid = !KF(factor_at)(p, w, x, t);
        if (!w->lu_valid)
            return NAN;
    } else {
        if (!w->lu_valid)
            return NAN;
        for (int32_t i = 0; i < n; i++)
            w->mu[i] = w->mua[i] + (KF(kreal))t * w->dmu[i];
        if (!extended)                 /* (the double-double residual evaluates F itself) */
            KF(eval_program)(p, x, w->vals, w->out, 0);
    }
    if (extended) {
        K_RESIDUAL_DD(p, w->vals_dd, w->pt_dd, x, w->mu, w->center, w->rhs);
    } else {
        for (int32_t i = 0; i < n; i++)
            w->rhs[i] = w->out[i] + w->mu[i] * (x[i] - w->center[i]);
    }
    KF(lu_solve)(w->lu, w->piv, n, w->rhs);
    for (int32_t i = 0; i < n; i++)
        x[i] -= w->rhs[i];
    return KF(wnorm)(w->rhs, ref, n);
}

static int KF(all_finite)(const KF(kcplx) *v, int32_t n)
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
static void KF(taylor23)(const tk_program *p, KF(tk_work) *w, const KF(kcplx) *x,
                         const KF(kcplx) *x1, KF(kcplx) *x2, KF(kcplx) *x3)
{
    const int32_t M = p->nmonos, n = p->nvars;
    KF(kcplx) *s1 = w->ser[0], *s2 = w->ser[1], *s3 = w->ser[2];
    const KF(kcplx) *v0 = w->vals;
    s1[0] = s2[0] = s3[0] = 0.0;
    for (int32_t k = 1; k < M; k++) {          /* orders 1 and 2 with x2 = 0 */
        const int32_t a = p->parent[k], j = p->var[k];
        s1[k] = s1[a] * x[j] + v0[a] * x1[j];
        s2[k] = s2[a] * x[j] + s1[a] * x1[j];
    }
    for (int32_t i = 0; i < n; i++) {
        KF(kcplx) f = 0.0;
        for (int64_t t = p->row_start[i]; t < p->row_start[i + 1]; t++)
            f += (KF(kreal))p->term_coef[t] * s2[p->term_mono[t]];
        x2[i] = -(f + w->dmu[i] * x1[i]);
    }
    KF(lu_solve)(w->lu, w->piv, n, x2);
    for (int32_t k = 1; k < M; k++) {          /* order 2 with x2, order 3 with x3 = 0 */
        const int32_t a = p->parent[k], j = p->var[k];
        s3[k] = s3[a] * x[j] + s2[a] * x1[j] + s1[a] * x2[j];
        s2[k] = s2[a] * x[j] + s1[a] * x1[j] + v0[a] * x2[j];
    }
    for (int32_t i = 0; i < n; i++) {
        KF(kcplx) f = 0.0;
        for (int64_t t = p->row_start[i]; t < p->row_start[i + 1]; t++)
            f += (KF(kreal))p->term_coef[t] * s3[p->term_mono[t]];
        x3[i] = -(f + w->dmu[i] * x2[i]);
    }
    KF(lu_solve)(w->lu, w->piv, n, x3);
}

/* Pade (2,1) approximant of each coordinate at step h: (a0 + a1 h + a2 h^2) / (1 + b h)
 * with b = -x3 / x2 -- exact for a simple pole, which is how a path passing near
 * infinity looks; the Taylor polynomial where x2 vanishes */
static void KF(pade_predict)(int32_t n, const KF(kcplx) *x, const KF(kcplx) *x1,
                             const KF(kcplx) *x2, const KF(kcplx) *x3, double step,
                             KF(kcplx) *xp)
{
    const KF(kreal) h = step;
    for (int32_t i = 0; i < n; i++) {
        if (KF(abs2)(x2[i]) > 0.0) {
            const KF(kcplx) b = -x3[i] / x2[i];
            xp[i] = (x[i] + (x1[i] + b * x[i]) * h + (x2[i] + b * x1[i]) * (h * h)) /
                    ((KF(kreal))1.0 + b * h);
        } else {
            xp[i] = x[i] + h * (x1[i] + h * (x2[i] + h * x3[i]));
        }
    }
}

/* Track w->x along one leg (w->mua, w->dmu set) from t = 0; *leg_steps counts the
 * leg's steps (it may start above 0: the rest of a leg begun in double), start_size
 * is 1 + |x| at the leg's start (for the far test).  Returns the
 * status, or TK_ESCALATE (double kernel only) when double has run out of digits: the
 * corrector stalls even with double-double residuals, or the steps became tiny -- the
 * caller tracks the rest of the leg from *t_reached in long double.  *last_dx gets the
 * relative size of the last corrector step. */
static int32_t KF(track_leg)(tk_run *run, KF(tk_work) *w, int caller, double *last_poll,
                             int32_t *steps, int32_t *rejected, int32_t *leg_steps,
                             double *last_dx, int *extended, double start_size,
                             double *t_reached)
{
    const tk_program *p = run->prog;
    const tk_options *o = run->opt;
    const int32_t n = p->nvars;
    KF(kcplx) *x = w->x, *y = w->y, *xp = w->xp, **k = w->k;
    double t = 0.0, h = o->h_start;
    int have_k1 = 0, stalls = 0;      /* stalled rejections since the last accepted step */
#if K_CAN_ESCALATE
    /* growth of |x| as the gap 1 - t shrinks, at checkpoints a factor 4 apart in the gap:
     * the rates d log|x| / d log(1/gap) of the last two spans tell a path escaping to
     * infinity (see the stall below) */
    double ck_gap = 1.0, ck_norm = (double)KF(vnorm)(x, n), rate_prev = 0.0, rate_last = 0.0;
#endif
    for (;;) {
        *t_reached = t;
        if (should_stop(run, caller, last_poll))
            return TK_INTERRUPTED;
        const double ha = fmin(h, 1.0 - t), t1 = t + ha;
        const KF(kreal) hk = ha;
        const int pade = o->predictor == TK_PADE;
        if (!have_k1) {
            KF(velocity)(p, w, x, t, k[0]);
            if (pade)
                KF(taylor23)(p, w, x, k[0], k[1], k[2]);
            have_k1 = 1;
        }
        if (pade) {
            KF(pade_predict)(n, x, k[0], k[1], k[2], ha, xp);
        } else {
            for (int32_t i = 0; i < n; i++)
                y[i] = x[i] + (KF(kreal))0.5 * hk * k[0][i];
            KF(velocity)(p, w, y, t + 0.5 * ha, k[1]);
            for (int32_t i = 0; i < n; i++)
                y[i] = x[i] + (KF(kreal))0.5 * hk * k[1][i];
            KF(velocity)(p, w, y, t + 0.5 * ha, k[2]);
            for (int32_t i = 0; i < n; i++)
                y[i] = x[i] + hk * k[2][i];
            KF(velocity)(p, w, y, t1, k[3]);
            for (int32_t i = 0; i < n; i++)
                xp[i] = x[i] + hk / (KF(kreal))6.0 *
                                   (k[0][i] + (KF(kreal))2.0 * k[1][i] +
                                    (KF(kreal))2.0 * k[2][i] + k[3][i]);
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
            const double d = KF(newton_step)(p, w, xp, t1, *extended, x, !pade || it == 0);
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
        const int good = converged && KF(all_finite)(xp, n);
        (*leg_steps)++;
        (*steps)++;
        int32_t status = -1;
        if (good) {
            stalls = 0;
            memcpy(x, xp, sizeof(KF(kcplx)) * (size_t)n);
            t = (1.0 - t1 < 1e-14) ? 1.0 : t1;
            const double ratio = fmax(d1, 1e-16) / o->tol_pred;
            const double grow = fmin(fmax(0.8 * pow(ratio, o->predictor == TK_PADE ? -0.25 : -0.2),
                                          1.0), 2.5);
            h = fmin(ha * grow, o->h_max);
            have_k1 = 0;
            *last_dx = last;
            if (t >= 1.0)
                status = TK_SUCCESS;
            const double norm = (double)KF(vnorm)(x, n);
            if (norm > o->blowup)
                status = TK_DIVERGED;
#if K_CAN_ESCALATE
            if (t < 1.0 && 1.0 - t <= 0.25 * ck_gap) {
                const double gap = 1.0 - t;
                rate_prev = rate_last;
                rate_last = log(fmax(norm, DBL_MIN) / fmax(ck_norm, DBL_MIN)) / log(ck_gap / gap);
                ck_gap = gap;
                ck_norm = norm;
            }
#endif
        } else if (!*extended && (stalled || ha < TK_TINY_STEP)) {
            /* Newton stopped contracting at a correction so small that rounding noise
             * in the residual is the likely cause (or the steps became tiny): retry
             * the same step with residuals in double-double */
            (*rejected)++;
            *extended = 1;
        } else if (K_CAN_ESCALATE && *extended && (ha < TK_TINY_STEP ||
                                                    (stalled && ++stalls >= TK_STALLS))) {
            /* stalled again and again with accurate residuals, halving after halving
             * (a predictor off the basin would have been cured by the first ones): the
             * factors in double are the limit; the caller goes on from t in long double */
            (*rejected)++;
            *t_reached = t;
            /* a path escaping to infinity at the leg's end (|x| ~ 1/gap over the last
             * two spans) would crawl on in long double too: nn_121 L2's 144 such paths
             * took 5,000-18,000 long double steps each (3x the whole run's time) for
             * |x| 6,000 -> 26,000 at t = 1 - 4e-6; they stall at gaps of 7e-6 to 6e-5
             * with rates of 1.0.  The paths to nn_131's large solutions (|x| ~ 3,800,
             * a pole just beyond t = 1) grow alike but stall earlier, at gaps of 1e-4
             * to 1e-3, and need long double to arrive: they escalate. */
#if K_CAN_ESCALATE
            if (1.0 - t < TK_ESCAPE_GAP && rate_last > TK_ESCAPE_RATE &&
                rate_prev > TK_ESCAPE_RATE)
                return TK_DIVERGED;
#endif
            return TK_ESCALATE;
        } else {
            (*rejected)++;
            h = ha * 0.5;
            if (h < o->h_min)
                status = TK_STEP_FAILURE;
        }
        if (status < 0 && *leg_steps >= o->max_steps)
            status = TK_MAX_STEPS;
        if ((status == TK_STEP_FAILURE || status == TK_MAX_STEPS) &&
            (double)KF(vnorm)(x, n) > o->far * start_size)
            status = TK_DIVERGED;
        if (status >= 0) {
            *t_reached = t;
            return status;
        }
    }
}

/* Newton polish at the parameter m, in place on w->x (residuals in double-double);
 * returns the last relative correction (INFINITY if a step failed; last if iters = 0) */
static double KF(polish)(tk_run *run, KF(tk_work) *w, const cplx *m, int32_t iters, double last)
{
    const tk_program *p = run->prog;
    const int32_t n = p->nvars;
    for (int32_t i = 0; i < n; i++) {
        w->mua[i] = m[i];
        w->dmu[i] = 0.0;
    }
    for (int32_t it = 0; it < iters; it++) {
        memcpy(w->y, w->x, sizeof(KF(kcplx)) * (size_t)n);
        const double d = KF(newton_step)(p, w, w->y, 0.0, 1, w->x, 1);
        if (!isfinite(d) || !KF(all_finite)(w->y, n))
            return INFINITY;
        memcpy(w->x, w->y, sizeof(KF(kcplx)) * (size_t)n);
        last = d;
    }
    return last;
}

#undef KF
#undef K_CAT
#undef K_CAT2
#undef K_REAL
#undef K_CPLX
#undef K_SUFFIX
#undef K_CMPLX
#undef K_RESIDUAL_DD
#undef K_CAN_ESCALATE
