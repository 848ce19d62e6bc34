# cython: language_level=3
"""Thin wrapper of the compiled path tracker (``csrc/track.c``).

A separate extension from the F4 engine (``grobnet.engine._core``): the numeric
layer owns its kernel and never reaches into the engine.  Arrays cross as numpy
arrays; the program arrays come from :class:`grobnet.numeric.tracker.CompiledSystem`.
All work runs with the GIL released; Python's signal handlers run from the C poll.
"""
import numpy as np
cimport numpy as cnp
from cpython.exc cimport PyErr_CheckSignals
from libc.stdint cimport int32_t, int64_t

cnp.import_array()

cdef extern from "track.h":
    int TK_OK, TK_ERR_NOMEM, TK_ERR_INPUT, TK_ERR_INTERRUPT
    ctypedef int (*tk_poll_fn)(void *data) noexcept nogil
    ctypedef struct tk_program:
        int32_t nvars
        int32_t nmonos
        const int32_t *parent
        const int32_t *var
        const int64_t *row_start
        const int32_t *term_mono
        const double *term_coef
    ctypedef struct tk_options:
        double tol_pred
        int32_t newton_steps
        double h_start
        double h_min
        double h_max
        int32_t max_steps
        double blowup
        double far
        int32_t polish
        int32_t predictor
        int32_t threads
        double timeout
        double poll_interval
        tk_poll_fn poll
        void *poll_data
    ctypedef struct tk_stats:
        int64_t paths_done
        int64_t steps
        int64_t rejected
        int64_t extended
        int64_t escalated
        int32_t timed_out
        int32_t interrupted
        int32_t threads_used
    int tk_program_check(const tk_program *prog) nogil
    int tk_evaluate(const tk_program *prog, int64_t npoints, const double *x, double *F,
                    double *J) nogil
    int tk_track(const tk_program *prog, const tk_options *opt, int64_t npaths, int32_t nlegs,
                 const double *x0, const int32_t *route, int64_t nparams, const double *params,
                 const double *center, double *x, int32_t *status, int32_t *steps,
                 int32_t *rejected, double *residual, double *progress,
                 tk_stats *stats) nogil

POLL_INTERVAL = 0.02      # seconds between interrupt polls from C


cdef int _poll_cb(void *data) noexcept nogil:
    """Called from C (GIL released) by the calling thread: run Python's signal handlers."""
    with gil:
        try:
            PyErr_CheckSignals()
        except BaseException as exc:
            (<list>data)[0] = exc
            return 1
    return 0


cdef void _raise_for(int code, str what) except *:
    if code == TK_OK:
        return
    if code == TK_ERR_NOMEM:
        raise MemoryError(f"{what}: out of memory")
    if code == TK_ERR_INPUT:
        raise ValueError(f"{what}: inconsistent program, route or option "
                         "(index out of range, parent not before its monomial, bad option)")
    raise RuntimeError(f"{what}: error code {code}")


cdef class _Program:
    """Keeps the program arrays alive and a C view on them."""
    cdef tk_program prog
    cdef object keep

    def __cinit__(self, int nvars, parent, var, row_start, term_mono, term_coef):
        cdef cnp.ndarray[int32_t, ndim=1, mode="c"] par = np.ascontiguousarray(parent, np.int32)
        cdef cnp.ndarray[int32_t, ndim=1, mode="c"] va = np.ascontiguousarray(var, np.int32)
        cdef cnp.ndarray[int64_t, ndim=1, mode="c"] rs = np.ascontiguousarray(row_start, np.int64)
        cdef cnp.ndarray[int32_t, ndim=1, mode="c"] tm = np.ascontiguousarray(term_mono, np.int32)
        cdef cnp.ndarray[double, ndim=1, mode="c"] tc = np.ascontiguousarray(term_coef, np.float64)
        if nvars < 1:
            raise ValueError(f"the number of variables must be positive, got {nvars}")
        if par.shape[0] < 1 or va.shape[0] != par.shape[0]:
            raise ValueError(f"parent and var must have the same positive length, got "
                             f"{par.shape[0]} and {va.shape[0]}")
        if rs.shape[0] != nvars + nvars * nvars + 1:
            raise ValueError(f"row_start must have n + n^2 + 1 = {nvars + nvars * nvars + 1} "
                             f"entries, got {rs.shape[0]}")
        if tm.shape[0] != tc.shape[0] or rs[rs.shape[0] - 1] != tm.shape[0]:
            raise ValueError(f"term arrays of lengths {tm.shape[0]} and {tc.shape[0]} do not "
                             f"match row_start's total {rs[rs.shape[0] - 1]}")
        self.keep = (par, va, rs, tm, tc)
        self.prog.nvars = nvars
        self.prog.nmonos = <int32_t>par.shape[0]
        self.prog.parent = &par[0]
        self.prog.var = &va[0]
        self.prog.row_start = &rs[0]
        self.prog.term_mono = &tm[0] if tm.shape[0] else NULL
        self.prog.term_coef = &tc[0] if tc.shape[0] else NULL
        _raise_for(tk_program_check(&self.prog), "compiled system")


def evaluate(program, x):
    """``(F, J)`` at the points ``x`` (P x n complex): F (P x n), J (P x n x n)."""
    cdef _Program pr = _Program(*program)
    cdef int n = pr.prog.nvars
    cdef cnp.ndarray[cnp.complex128_t, ndim=2, mode="c"] X = np.ascontiguousarray(x, np.complex128)
    if X.shape[1] != n:
        raise ValueError(f"points must have shape (P, {n}), got {X.shape[0], X.shape[1]}")
    cdef int64_t P = X.shape[0]
    cdef cnp.ndarray[cnp.complex128_t, ndim=2, mode="c"] F = np.empty((P, n), np.complex128)
    cdef cnp.ndarray[cnp.complex128_t, ndim=3, mode="c"] J = np.empty((P, n, n), np.complex128)
    cdef int code
    if P == 0:
        return F, J
    with nogil:
        code = tk_evaluate(&pr.prog, P, <double *>&X[0, 0], <double *>&F[0, 0],
                           <double *>&J[0, 0, 0])
    _raise_for(code, "evaluate")
    return F, J


def track(program, x0, route, params, center, *, double tol_pred, int newton_steps,
          double h_start, double h_min, double h_max, int max_steps, double blowup, double far,
          int polish=0, int threads=1, double timeout=0.0, int predictor=0):
    """Track the paths ``x0`` (P x n) along ``route`` (P x (L+1) int, -1 padded) through
    the parameter table ``params`` (K x n); ``center`` (n).  Returns ``(x, status,
    steps, rejected, residual, progress, stats)``.  ``timeout``: seconds (0 = none); unfinished
    paths then have status 4.  A KeyboardInterrupt during the run is re-raised."""
    cdef _Program pr = _Program(*program)
    cdef int n = pr.prog.nvars
    cdef cnp.ndarray[cnp.complex128_t, ndim=2, mode="c"] X = np.array(x0, np.complex128,
                                                                      order="C", copy=True)
    cdef cnp.ndarray[int32_t, ndim=2, mode="c"] R = np.ascontiguousarray(route, np.int32)
    cdef cnp.ndarray[cnp.complex128_t, ndim=2, mode="c"] M = np.ascontiguousarray(params,
                                                                                 np.complex128)
    cdef cnp.ndarray[cnp.complex128_t, ndim=1, mode="c"] C = np.ascontiguousarray(center,
                                                                                 np.complex128)
    if X.ndim != 2 or X.shape[1] != n:
        raise ValueError(f"start points must have shape (P, {n})")
    cdef int64_t P = X.shape[0]
    if R.shape[0] != P or R.shape[1] < 1:
        raise ValueError(f"route must have shape ({P}, L + 1), got {(R.shape[0], R.shape[1])}")
    if M.shape[1] != n or M.shape[0] < 1:
        raise ValueError(f"params must have shape (K, {n}), got {(M.shape[0], M.shape[1])}")
    if C.shape[0] != n:
        raise ValueError(f"center must have {n} entries, got {C.shape[0]}")
    if threads < 1:
        raise ValueError(f"threads must be a positive integer, got {threads}")
    cdef cnp.ndarray[int32_t, ndim=1] status = np.empty(P, np.int32)
    cdef cnp.ndarray[int32_t, ndim=1] steps = np.empty(P, np.int32)
    cdef cnp.ndarray[int32_t, ndim=1] rejected = np.empty(P, np.int32)
    cdef cnp.ndarray[double, ndim=1] residual = np.empty(P, np.float64)
    cdef cnp.ndarray[double, ndim=1] progress = np.zeros(P, np.float64)
    cdef tk_options o
    o.tol_pred = tol_pred
    o.newton_steps = newton_steps
    o.h_start = h_start
    o.h_min = h_min
    o.h_max = h_max
    o.max_steps = max_steps
    o.blowup = blowup
    o.far = far
    o.polish = polish
    o.predictor = predictor
    o.threads = threads
    o.timeout = timeout
    o.poll_interval = POLL_INTERVAL
    holder = [None]
    o.poll = _poll_cb
    o.poll_data = <void *>holder
    cdef tk_stats st
    cdef int code
    if P == 0:
        return X, status, steps, rejected, residual, progress, {"steps": 0, "rejected": 0,
                                                     "timed_out": False, "threads": 0}
    cdef int32_t L = <int32_t>(R.shape[1] - 1)
    cdef int64_t K = M.shape[0]
    with nogil:
        code = tk_track(&pr.prog, &o, P, L, <double *>&X[0, 0], &R[0, 0], K,
                        <double *>&M[0, 0], <double *>&C[0], <double *>&X[0, 0], &status[0],
                        &steps[0], &rejected[0], &residual[0], &progress[0], &st)
    if code == TK_ERR_INTERRUPT and holder[0] is not None:
        raise holder[0]
    _raise_for(code, "track")
    return X, status, steps, rejected, residual, progress, {
        "steps": int(st.steps), "rejected": int(st.rejected), "timed_out": bool(st.timed_out),
        "threads": int(st.threads_used), "paths_done": int(st.paths_done),
        "extended": int(st.extended), "escalated": int(st.escalated)}
