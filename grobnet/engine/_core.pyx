# cython: language_level=3
"""Thin typed wrappers over grobnet's C core (``csrc/``).

Polynomials cross this boundary as ``(exps, coeffs)`` numpy arrays; only
``grobnet/engine/`` imports this module.  Errors from C come back as integer
codes and are raised here as typed Python exceptions.
"""
import operator

import numpy as np
cimport numpy as cnp
from libc.stdint cimport int32_t, int64_t, uint32_t, uint64_t
from cpython.exc cimport PyErr_CheckSignals
from cpython.pycapsule cimport PyCapsule_GetPointer, PyCapsule_New
from libc.stdlib cimport free

from grobnet.errors import (GrobnetError, InterruptedComputation, MemoryBudgetExceeded,
                            TimeoutExceeded, TraceMismatch)

cnp.import_array()

_ORDER_KINDS = {"grevlex": GB_ORDER_GREVLEX, "grlex": GB_ORDER_GRLEX, "lex": GB_ORDER_LEX,
                "block": GB_ORDER_BLOCK}


cdef int raise_for_code(int code) except -1:
    """Map a C error code to a typed Python exception."""
    if code == GB_OK:
        return 0
    if code == GB_ERR_NOMEM:
        raise MemoryError("grobnet core: out of memory")
    if code == GB_ERR_ARG:
        raise ValueError("grobnet core: invalid argument")
    if code == GB_ERR_ORDER:
        raise ValueError("grobnet core: unknown or malformed monomial order")
    if code == GB_ERR_MODULUS:
        raise ValueError("grobnet core: modulus is not a prime below 2^31")
    if code == GB_ERR_OVERFLOW:
        raise OverflowError("grobnet core: exponent overflow")
    if code == GB_ERR_INTERRUPT:
        raise KeyboardInterrupt("grobnet core: computation interrupted")
    if code == GB_ERR_TIMEOUT:
        raise TimeoutExceeded("grobnet core: time budget exceeded")
    if code == GB_ERR_MEMORY_BUDGET:
        raise MemoryBudgetExceeded("grobnet core: memory budget exceeded")
    if code == GB_ERR_TRACE:
        raise TraceMismatch("grobnet core: the F4 trace does not fit this input/prime")
    raise GrobnetError(f"grobnet core: error code {code}")


cdef int make_order(gb_order *ord, str order, int nvars, object blocks) except -1:
    """Fill a C order struct from the Python description (name and block sizes)."""
    cdef int32_t sizes[64]
    cdef int nb = 0
    if order not in _ORDER_KINDS:
        raise ValueError(f"unknown monomial order {order!r}; expected one of {sorted(_ORDER_KINDS)}")
    if order == "block":
        blocks = tuple(int(b) for b in (blocks or ()))
        if not 1 <= len(blocks) <= GB_MAX_BLOCKS:
            raise ValueError(f"a block order needs 1..{GB_MAX_BLOCKS} blocks, got {len(blocks)}")
        if any(b < 1 for b in blocks) or sum(blocks) != nvars:
            raise ValueError(f"block sizes {blocks} must be positive and sum to the {nvars} variables")
        nb = len(blocks)
        for i in range(nb):
            sizes[i] = blocks[i]
    raise_for_code(gb_order_init(ord, _ORDER_KINDS[order], nvars, nb, sizes))
    return 0


def sort_monomials(exps, str order="grevlex", blocks=None):
    """Permutation sorting the rows of ``exps`` (an ``(n, nvars)`` integer array) decreasingly.

    Uses the C core's monomial comparison, so the Python side and the F4 engine
    agree on every order.
    """
    cdef cnp.ndarray[int32_t, ndim=2, mode="c"] e = np.ascontiguousarray(exps, dtype=np.int32)
    cdef int64_t n = e.shape[0]
    cdef gb_order ord
    make_order(&ord, order, <int>e.shape[1], blocks)
    cdef cnp.ndarray[int64_t, ndim=1] perm = np.empty(n, dtype=np.int64)
    cdef int code
    if n == 0:
        return perm
    with nogil:
        code = gb_monomial_sort_desc(&ord, &e[0, 0], n, &perm[0])
    raise_for_code(code)
    return perm


def compare_monomials(a, b, str order="grevlex", blocks=None):
    """-1, 0 or 1 as monomial ``a`` is smaller than, equal to, or larger than ``b``."""
    cdef cnp.ndarray[int32_t, ndim=1] x = np.ascontiguousarray(a, dtype=np.int32)
    cdef cnp.ndarray[int32_t, ndim=1] y = np.ascontiguousarray(b, dtype=np.int32)
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"monomials of different lengths {x.shape[0]} and {y.shape[0]}")
    cdef gb_order ord
    make_order(&ord, order, <int>x.shape[0], blocks)
    if x.shape[0] == 0:
        return 0
    return gb_monomial_cmp(&ord, &x[0], &y[0])


# ---------------------------------------------------------------------------
# F4 over GF(p)
# ---------------------------------------------------------------------------

_MAX_EXP = 65535          # bound on every exponent inside the core (GB_MAX_EXP: 16-bit exponents)
_MAX_VARS = 16384         # bound on the number of variables (GB_MAX_VARS: 32-bit total degrees)
_POLL_INTERVAL = 0.005    # seconds between interrupt polls from C


cdef int _poll_cb(void *data) noexcept nogil:
    """Called from C with the GIL released: run Python's signal handlers."""
    with gil:
        try:
            PyErr_CheckSignals()
        except BaseException as exc:
            (<list>data)[0] = exc
            return 1
    return 0


cdef int _progress_cb(void *data, int64_t rnd, int64_t deg, int64_t rows, int64_t cols) noexcept nogil:
    """Called from C once per F4 round: forward to the user's progress callable."""
    with gil:
        holder = <list>data
        try:
            holder[1](rnd, deg, rows, cols)
        except BaseException as exc:
            holder[0] = exc
            return 1
    return 0


cdef uint32_t _check_modulus(object modulus) except 0:
    """The modulus as a C integer, or ValueError naming it."""
    try:
        p = int(modulus)
    except (TypeError, ValueError):
        raise ValueError(f"modulus {modulus!r} is not an integer") from None
    if p <= 2 or p >= 2 ** 31 or not gb_is_prime(<uint64_t>p):
        raise ValueError(f"modulus {p} is not a prime between 2 and 2^31")
    return <uint32_t>p


def _as_int_array(x, str what):
    """x as an ndarray of an integer dtype, else ValueError naming `what`."""
    a = np.asarray(x)
    if a.dtype.kind not in "iu":
        if a.size == 0:
            return a.astype(np.int64)
        raise ValueError(f"{what} must have an integer dtype, got {a.dtype}")
    return a


def _span(arrays, dtype):
    """One array viewing ``arrays`` concatenated when they lie back to back, in order,
    in one C-contiguous buffer of ``dtype`` (a basis from :func:`_unpack`), else None."""
    first = arrays[0]
    if first.size == 0:
        return None
    base = first.base if first.base is not None else first
    if not isinstance(base, np.ndarray) or base.dtype != dtype or not base.flags.c_contiguous:
        return None
    start = pos = first.__array_interface__["data"][0]
    for a in arrays:
        if a.dtype != dtype or not a.flags.c_contiguous:
            return None
        if (a.base if a.base is not None else a) is not base:
            return None
        if a.__array_interface__["data"][0] != pos:
            return None
        pos += a.nbytes
    size = np.dtype(dtype).itemsize
    i0 = (start - base.__array_interface__["data"][0]) // size
    flat = base.reshape(-1)[i0:i0 + (pos - start) // size]
    return flat.reshape((-1,) + first.shape[1:])


def _pack(polys, int nvars, uint32_t p, str what):
    """Concatenate a list of (exps, coeffs) into the flat arrays of a gb_polys."""
    if nvars > _MAX_VARS:
        raise ValueError(f"{nvars} variables: the engine takes at most {_MAX_VARS}")
    if isinstance(polys, (str, bytes)):
        raise ValueError(f"{what} must be a list of (exps, coeffs) pairs")
    polys = list(polys)
    cdef Py_ssize_t n = len(polys), k
    lens = np.zeros(n, dtype=np.int64)
    elist, clist = [], []
    for k in range(n):
        item = polys[k]
        try:
            e, c = item
        except (TypeError, ValueError):
            raise ValueError(f"{what}[{k}] must be a pair (exps, coeffs)") from None
        e = _as_int_array(e, f"{what}[{k}] exponents")
        c = _as_int_array(c, f"{what}[{k}] coefficients")
        if c.ndim != 1:
            raise ValueError(f"{what}[{k}] coefficients must be 1-dimensional, got shape {c.shape}")
        t = c.shape[0]
        if t == 0 and e.size == 0:
            continue
        if e.ndim != 2 or e.shape[0] != t or e.shape[1] != nvars:
            raise ValueError(f"{what}[{k}] exponents must have shape ({t}, {nvars}), got {e.shape}")
        lens[k] = t
        elist.append(e)
        clist.append(c)
    if elist:
        # value checks once over all terms (per-polynomial checks dominated small batches);
        # a basis the engine returned is one buffer already (_unpack): no copy then
        e = _span(elist, np.int32)
        if e is None:
            e = np.concatenate(elist) if len(elist) > 1 else elist[0]
        c = _span(clist, np.uint32)
        if c is None:
            c = np.concatenate(clist) if len(clist) > 1 else clist[0]
        ends = np.cumsum(lens)
        def owner(bad):
            return int(np.searchsorted(ends, int(np.argmax(bad)), side="right"))
        # min / max first: no temporary as large as the input unless a value is bad
        if e.size and e.min() < 0:
            raise ValueError(f"{what}[{owner((e < 0).any(axis=1))}] has a negative exponent")
        if e.size and e.max() > _MAX_EXP:
            raise ValueError(f"{what}[{owner((e > _MAX_EXP).any(axis=1))}] has an exponent "
                             f"above {_MAX_EXP} (the engine stores exponents in 16 bits)")
        if c.size and (c.min() < 0 or c.max() >= p):
            raise ValueError(f"{what}[{owner((c < 0) | (c >= p))}] has a coefficient "
                             f"outside [0, {p})")
        exps = np.ascontiguousarray(e, dtype=np.int32)
        cfs = np.ascontiguousarray(c, dtype=np.uint32)
    else:
        exps = np.zeros((1, nvars), dtype=np.int32)
        cfs = np.zeros(1, dtype=np.uint32)
    return lens, exps, cfs


cdef void _free_capsule(object capsule) noexcept:
    free(PyCapsule_GetPointer(capsule, NULL))


cdef object _adopt(void *data, int ndim, cnp.npy_intp *dims, int typenum):
    """An ndarray over the C core's malloc'd ``data``, which it frees when it dies."""
    arr = cnp.PyArray_SimpleNewFromData(ndim, dims, typenum, data)
    cnp.set_array_base(arr, PyCapsule_New(data, NULL, _free_capsule))
    return arr


cdef list _unpack(gb_polys *out, int nvars):
    """A C result as a list of (exps int32 (t, nvars), coeffs uint32 (t,)): views into two
    arrays that take over the C core's output buffers (no copy: a large basis would
    otherwise exist twice at the end of a run)."""
    cdef int64_t n = out.npolys, total = 0, k
    for k in range(n):
        total += out.lens[k]
    cdef cnp.npy_intp dims[2]
    dims[0] = total
    dims[1] = nvars
    exps = _adopt(out.exps, 2, dims, cnp.NPY_INT32)
    out.exps = NULL
    cfs = _adopt(out.cfs, 1, dims, cnp.NPY_UINT32)
    out.cfs = NULL
    res = []
    cdef int64_t off = 0
    for k in range(n):
        res.append((exps[off:off + out.lens[k]], cfs[off:off + out.lens[k]]))
        off += out.lens[k]
    return res


cdef dict _stats_dict(gb_stats *st):
    return {
        "rounds": st.rounds, "max_rows": st.max_rows, "max_cols": st.max_cols,
        "max_nnz": st.max_nnz, "pairs_total": st.pairs_total,
        "pairs_removed": st.pairs_removed, "basis_size": st.basis_size,
        "peak_memory": st.peak_memory, "time_total": st.time_total,
        "time_update": st.time_update, "time_symbolic": st.time_symbolic,
        "time_convert": st.time_convert, "time_linalg": st.time_linalg,
        "time_interreduce": st.time_interreduce,
        "la_prob_rounds": st.la_prob_rounds, "la_zero_checks": st.la_zero_checks,
        "trace_dropped": bool(st.trace_dropped),
    }


cdef tuple _packed_input(gb_polys *P, object polys, int nvars, uint32_t p, str what):
    """Validate and pack ``polys`` (:func:`_pack`) and point ``P`` at the arrays; the
    caller keeps the returned arrays alive while C reads ``P``."""
    lens, exps, cfs = _pack(polys, nvars, p, what)
    _point_at(P, lens, exps, cfs, nvars)
    return lens, exps, cfs


_KERNELS = {"auto": 0, "portable": 1}

#: ``linear_algebra=`` of the F4 runs -> ``gb_options.la_mode`` (csrc/grobnet_f4.h)
LINEAR_ALGEBRA = {"exact": 0, "probabilistic": 1, "auto": 2}

#: ``linear_algebra="auto"``: rounds with rows x columns at least this are probabilistic
#: (measured, 2 threads: nn_xor_221 F4 35.5 s exact, 28.2 s at 4e8, 16.8 s at 1e8, 15.9 s at 2e7;
#: katsura-9 keeps every round exact, so its trace, up to 1e8; katsura-10 0.94 -> 0.45 s)
LA_AUTO_WORK = 1.0e8


cdef int _setup_la(gb_options *opt, str linear_algebra, object la_seed,
                   double la_auto_work) except -1:
    """Fill the linear-algebra options (``exact`` for every caller that does not ask)."""
    if linear_algebra not in LINEAR_ALGEBRA:
        raise ValueError(f"unknown linear_algebra {linear_algebra!r}; expected one of "
                         f"{sorted(LINEAR_ALGEBRA)}")
    if not la_auto_work >= 0:
        raise ValueError(f"la_auto_work must be >= 0, got {la_auto_work}")
    opt.la_mode = LINEAR_ALGEBRA[linear_algebra]
    opt.la_auto_work = la_auto_work
    opt.la_seed = 0 if la_seed is None else (int(la_seed) % (1 << 64))
    return 0


cdef int _setup(gb_options *opt, int nvars, object modulus, str order, object blocks,
                double timeout, long long max_memory, list holder, object progress,
                object threads=1, str kernel="auto") except -1:
    """Validate the common arguments and fill the C options."""
    try:
        nthreads = operator.index(threads)
    except TypeError:
        nthreads = None
    if isinstance(threads, bool) or nthreads is None or not 1 <= nthreads <= 1024:
        raise ValueError(f"threads must be an integer between 1 and 1024, got {threads!r}")
    if kernel not in _KERNELS:
        raise ValueError(f"unknown kernel {kernel!r}; expected one of {sorted(_KERNELS)}")
    opt.threads = nthreads
    opt.simd = _KERNELS[kernel]
    _setup_la(opt, "exact", None, 0.0)
    if nvars < 1:
        raise ValueError(f"nvars must be at least 1, got {nvars}")
    if timeout < 0:
        raise ValueError(f"timeout must be >= 0 seconds, got {timeout}")
    if max_memory < 0:
        raise ValueError(f"max_memory must be >= 0 bytes, got {max_memory}")
    if progress is not None and not callable(progress):
        raise ValueError("progress must be callable or None")
    opt.modulus = _check_modulus(modulus)
    make_order(&opt.order, order, nvars, blocks)
    opt.timeout = timeout
    opt.max_memory = max_memory
    opt.poll_interval = _POLL_INTERVAL
    opt.poll = _poll_cb
    opt.poll_data = <void *>holder
    opt.progress = NULL
    if progress is not None:
        opt.progress = _progress_cb
    opt.progress_data = <void *>holder
    return 0


cdef int _raise_run_error(int code, list holder, uint32_t p) except -1:
    """Raise the pending Python exception of a callback, or the one for `code`."""
    if holder[0] is not None:
        exc = holder[0]
        holder[0] = None
        raise exc
    if code == GB_ERR_ARG:
        raise ValueError(f"invalid polynomial input (a coefficient not below the modulus {p}, "
                         "a negative exponent, or bad sizes)")
    if code == GB_ERR_OVERFLOW:
        raise ValueError(f"overflow: a monomial with an exponent above {_MAX_EXP} arose (the "
                         "engine stores exponents in 16 bits), or the monomial table outgrew "
                         "2^30 entries")
    return raise_for_code(code)


cdef list _collect(int code, list holder, uint32_t p, gb_polys *out, int nvars):
    """The C result as Python ``(exps, coeffs)`` pairs, or the run's error raised; ``out`` is freed."""
    try:
        if code != GB_OK:
            _raise_run_error(code, holder, p)
        return _unpack(out, nvars)
    finally:
        gb_polys_free(out)


cdef void _point_at(gb_polys *P, int64_t[::1] lens, int32_t[:, ::1] exps, uint32_t[::1] cfs,
                    int nvars):
    """Make the C view ``P`` point into packed arrays (the caller keeps them alive)."""
    P.npolys = lens.shape[0]
    P.nvars = nvars
    P.lens = &lens[0] if P.npolys > 0 else NULL
    P.exps = &exps[0, 0]
    P.cfs = &cfs[0]


def f4(polys, int nvars, modulus, str order="grevlex", blocks=None,
       double timeout=0.0, long long max_memory=0, progress=None, threads=1, str kernel="auto",
       str linear_algebra="exact", la_seed=None, double la_auto_work=LA_AUTO_WORK):
    """Reduced Groebner basis of ``polys`` over GF(modulus) by F4.

    ``polys`` is a list of ``(exps, coeffs)`` with ``exps`` an int32 array of shape
    ``(t, nvars)`` and ``coeffs`` a uint32 array of ``t`` values in ``[0, p)``, terms in
    any order.  Returns ``(basis, stats)``: the monic reduced basis, each polynomial
    as ``(exps, coeffs)`` with terms decreasing, polynomials by increasing leading
    monomial, and a dict of statistics.  Raises TimeoutExceeded / MemoryBudgetExceeded
    when ``timeout`` seconds / ``max_memory`` bytes run out, KeyboardInterrupt on Ctrl-C.

    ``threads``: threads for the linear algebra, this one included (the basis is the
    same for every count).  ``kernel``: ``"auto"`` uses the CPU's SIMD kernels (AVX2 /
    AVX-512 where present), ``"portable"`` only plain C (same results; for tests).

    ``linear_algebra``: ``"exact"`` (every row reduced), ``"probabilistic"`` (every
    round reduces random combinations of its rows: Monte Carlo, the basis is wrong with
    probability at most ``stats["la_zero_checks"] / modulus``), ``"auto"`` (rounds with
    rows x columns >= ``la_auto_work`` probabilistic, the others exact); ``la_seed``:
    the combinations' seed (``None``: a fixed one).  See csrc/grobnet_f4.h.
    """
    cdef gb_options opt
    cdef gb_polys inp, out
    cdef gb_stats st
    cdef list holder = [None, progress]
    _setup(&opt, nvars, modulus, order, blocks, timeout, max_memory, holder, progress, threads,
           kernel)
    _setup_la(&opt, linear_algebra, la_seed, la_auto_work)
    packed = _packed_input(&inp, polys, nvars, opt.modulus, "polys")
    cdef int code
    with nogil:
        code = gb_f4(&opt, &inp, &out, &st)
    return _collect(code, holder, opt.modulus, &out, nvars), _stats_dict(&st)


def normal_forms(basis, polys, int nvars, modulus, str order="grevlex", blocks=None, threads=1,
                 str kernel="auto"):
    """Fully reduced normal forms of ``polys`` modulo the Groebner basis ``basis``.

    Both are lists of ``(exps, coeffs)`` as for :func:`f4`; ``basis`` must be a
    Groebner basis for the same order (e.g. f4's output).  All forms come from one
    batch matrix reduction.  Returns one ``(exps, coeffs)`` per input polynomial,
    terms decreasing, not made monic (a zero form has 0 rows).  ``threads``, ``kernel``:
    as for :func:`f4`.
    """
    cdef gb_options opt
    cdef gb_polys bs, inp, out
    cdef gb_stats st
    cdef list holder = [None, None]
    _setup(&opt, nvars, modulus, order, blocks, 0.0, 0, holder, None, threads, kernel)
    packed_basis = _packed_input(&bs, basis, nvars, opt.modulus, "basis")
    packed = _packed_input(&inp, polys, nvars, opt.modulus, "polys")
    cdef int code
    with nogil:
        code = gb_normal_forms(&opt, &bs, &inp, &out, &st)
    return _collect(code, holder, opt.modulus, &out, nvars)


def check_basis(basis, polys, int nvars, modulus, str order="grevlex", blocks=None,
                double timeout=0.0, long long max_memory=0, progress=None, threads=1,
                str kernel="auto", seed=None):
    """``(is_gb, stats)``: whether ``basis`` is a Groebner basis mod ``modulus`` whose
    ideal contains every polynomial of ``polys``, by an independent check (every
    S-pair left by the Gebauer-Moeller criteria and every input reduce to zero in
    F4-style matrices; see ``csrc/check.c``).  ``basis`` (nonzero polynomials, in any
    order, need not be monic) and ``polys`` are lists of ``(exps, coeffs)`` as for
    :func:`f4`; budgets, ``progress`` (per matrix), ``threads`` and ``kernel`` as there.
    ``seed``: ``None`` reduces every row (a proof); an integer reduces two random
    combinations of each matrix's rows drawn from it (a wrong basis passes with
    probability at most matrices / modulus^2).
    """
    cdef gb_options opt
    cdef gb_polys bs, inp
    cdef gb_stats st
    cdef int ok = 0
    cdef list holder = [None, progress]
    cdef int randomized = seed is not None
    cdef uint64_t rseed = 0 if seed is None else (int(seed) % (1 << 64))
    _setup(&opt, nvars, modulus, order, blocks, timeout, max_memory, holder, progress, threads,
           kernel)
    packed_basis = _packed_input(&bs, basis, nvars, opt.modulus, "basis")
    packed = _packed_input(&inp, polys, nvars, opt.modulus, "polys")
    cdef int code
    with nogil:
        code = gb_check_basis(&opt, &bs, &inp, randomized, rseed, &ok, &st)
    if code != GB_OK:
        _raise_run_error(code, holder, opt.modulus)
    return bool(ok), _stats_dict(&st)


def is_prime(n):
    """Deterministic primality test of the C core (for n < 2^64)."""
    n = int(n)
    if n < 0 or n >= 2 ** 64:
        raise ValueError(f"{n} is outside [0, 2^64)")
    return bool(gb_is_prime(<uint64_t>n))


def krylov_solve(Mt, rhs, modulus):
    """Krylov solve of the RUR fast path modulo a prime ``p < 2^31``.

    ``Mt``: the ``D x D`` multiplication matrix of a linear form ``t`` (entries in
    ``[0, p)``); ``rhs``: ``r x D`` coordinate vectors.  With ``K = [e_0, M_t e_0,
    ..., M_t^(D-1) e_0]`` returns the ``(r + 1) x D`` uint32 array whose row 0
    solves ``K s = M_t^D e_0`` (the characteristic polynomial of ``t`` is
    ``T^D - sum_k s[k] T^k``) and row ``j`` solves ``K s = rhs[j-1]``; ``None``
    when ``K`` is singular (the minimal polynomial of ``t`` has degree below ``D``).
    """
    cdef uint32_t p = _check_modulus(modulus)
    cdef cnp.ndarray[uint32_t, ndim=2, mode="c"] M = np.ascontiguousarray(Mt, dtype=np.uint32)
    cdef int64_t D = M.shape[0]
    if M.ndim != 2 or M.shape[1] != D or D < 1:
        raise ValueError(f"Mt must be a non-empty square matrix, got shape {np.shape(Mt)}")
    R_arr = np.ascontiguousarray(rhs, dtype=np.uint32).reshape(-1, D) if len(rhs) else \
        np.zeros((0, D), dtype=np.uint32)
    cdef cnp.ndarray[uint32_t, ndim=2, mode="c"] R = R_arr
    cdef int64_t nrhs = R.shape[0]
    if (np.asarray(Mt) >= p).any() or (R_arr >= p).any():
        raise ValueError(f"entries must lie in [0, {p})")
    cdef cnp.ndarray[uint32_t, ndim=2, mode="c"] S = np.zeros((nrhs + 1, D), dtype=np.uint32)
    cdef const uint32_t *rp = &R[0, 0] if nrhs else NULL
    cdef int code
    with nogil:
        code = gb_krylov_solve(p, D, &M[0, 0], nrhs, rp, &S[0, 0])
    if code == 1:
        return None
    raise_for_code(code)
    return S


def power_projections(Mt, r, rhs, modulus):
    """Power projections of a multiplication matrix modulo a prime ``p < 2^31``.

    With ``u_k = r M_t^k`` (row vectors), returns ``(seq, proj)``: ``seq[k] =
    u_k[0]`` for ``k < 2D`` and ``proj[j, k] = u_k . rhs[j]`` for ``k < D`` (uint32
    arrays).  The sequence's minimal polynomial (:func:`berlekamp_massey`) is the
    one of ``t`` for a random ``r``, and ``proj`` gives the parametrizations
    (see ``grobnet.exact.rur``); the cost is ``2D`` sparse vector-matrix products.
    """
    cdef uint32_t p = _check_modulus(modulus)
    cdef cnp.ndarray[uint32_t, ndim=2, mode="c"] M = np.ascontiguousarray(Mt, dtype=np.uint32)
    cdef int64_t D = M.shape[0]
    if M.ndim != 2 or M.shape[1] != D or D < 1:
        raise ValueError(f"Mt must be a non-empty square matrix, got shape {np.shape(Mt)}")
    cdef cnp.ndarray[uint32_t, ndim=1, mode="c"] rv = np.ascontiguousarray(r, dtype=np.uint32)
    if rv.shape[0] != D:
        raise ValueError(f"r has {rv.shape[0]} entries for a {D} x {D} matrix")
    R_arr = np.ascontiguousarray(rhs, dtype=np.uint32).reshape(-1, D) if len(rhs) else \
        np.zeros((0, D), dtype=np.uint32)
    cdef cnp.ndarray[uint32_t, ndim=2, mode="c"] R = R_arr
    cdef int64_t nrhs = R.shape[0]
    if (np.asarray(Mt) >= p).any() or (R_arr >= p).any() or (rv >= p).any():
        raise ValueError(f"entries must lie in [0, {p})")
    cdef cnp.ndarray[uint32_t, ndim=1, mode="c"] seq = np.zeros(2 * D, dtype=np.uint32)
    cdef cnp.ndarray[uint32_t, ndim=2, mode="c"] proj = np.zeros((max(nrhs, 1), D),
                                                                  dtype=np.uint32)
    cdef const uint32_t *rp = &R[0, 0] if nrhs else NULL
    cdef int code
    with nogil:
        code = gb_power_projections(p, D, &M[0, 0], &rv[0], nrhs, rp, &seq[0], &proj[0, 0])
    raise_for_code(code)
    return seq, proj[:nrhs]


def berlekamp_massey(seq, modulus):
    """Minimal polynomial of a linearly recurrent sequence modulo ``p < 2^31``.

    Returns its coefficients (monic, lowest degree first) as a list of ints; the
    answer is the true minimal polynomial when its degree is at most half the
    sequence length.
    """
    cdef uint32_t p = _check_modulus(modulus)
    cdef cnp.ndarray[uint32_t, ndim=1, mode="c"] s = np.ascontiguousarray(seq, dtype=np.uint32)
    if (s >= p).any():
        raise ValueError(f"entries must lie in [0, {p})")
    cdef int64_t n = s.shape[0]
    cdef cnp.ndarray[uint32_t, ndim=1, mode="c"] out = np.zeros(n + 1, dtype=np.uint32)
    cdef const uint32_t *sp = &s[0] if n else NULL
    cdef int64_t L
    with nogil:
        L = gb_berlekamp_massey(p, n, sp, &out[0])
    if L < 0:
        raise_for_code(<int>L)
    return [int(c) for c in out[:L + 1]]


cdef class F4Trace:
    """A recorded F4 run (see ``csrc/trace.c``): replay it with :func:`f4_apply` for
    other primes.  Holds C memory; not picklable (each process learns its own)."""

    cdef gb_trace *ptr
    cdef readonly int nvars
    cdef readonly str order
    cdef readonly object blocks

    def __dealloc__(self):
        gb_trace_free(self.ptr)
        self.ptr = NULL

    @property
    def rounds(self):
        return gb_trace_rounds(self.ptr)

    @property
    def memory(self):
        """Bytes the trace holds (rows' columns, column monomials, new pivots)."""
        return gb_trace_bytes(self.ptr)

    def __reduce__(self):
        raise TypeError("an F4Trace holds C memory and cannot be pickled; learn it in each process")

    def __repr__(self):
        return f"F4Trace({self.nvars} variables, order={self.order!r}, {self.rounds} rounds)"


def f4_learn(polys, int nvars, modulus, str order="grevlex", blocks=None, double timeout=0.0,
             long long max_memory=0, progress=None, threads=1, str kernel="auto",
             str linear_algebra="exact", la_seed=None, double la_auto_work=LA_AUTO_WORK):
    """:func:`f4` that also records the run: returns ``(basis, stats, F4Trace)``, the
    trace ``None`` when a probabilistic round dropped it (``stats["trace_dropped"]``;
    ``linear_algebra`` as for :func:`f4`)."""
    cdef gb_options opt
    cdef gb_polys inp, out
    cdef gb_stats st
    cdef gb_trace *tr = NULL
    cdef list holder = [None, progress]
    _setup(&opt, nvars, modulus, order, blocks, timeout, max_memory, holder, progress, threads,
           kernel)
    _setup_la(&opt, linear_algebra, la_seed, la_auto_work)
    packed = _packed_input(&inp, polys, nvars, opt.modulus, "polys")
    cdef int code
    with nogil:
        code = gb_f4_learn(&opt, &inp, &out, &st, &tr)   # on failure tr stays NULL
    basis = _collect(code, holder, opt.modulus, &out, nvars)
    if tr == NULL:                                     # dropped by a probabilistic round
        return basis, _stats_dict(&st), None
    cdef F4Trace trace = F4Trace.__new__(F4Trace)
    trace.ptr = tr
    trace.nvars = nvars
    trace.order = order
    trace.blocks = tuple(blocks) if blocks else None
    return basis, _stats_dict(&st), trace


def f4_apply(F4Trace trace, polys, modulus, double timeout=0.0, long long max_memory=0,
             threads=1, str kernel="auto"):
    """Replay ``trace`` on ``polys`` modulo ``modulus``: ``(basis, stats)`` as :func:`f4`.

    Raises :class:`~grobnet.errors.TraceMismatch` when this prime (or input) does not
    follow the recorded run; the caller then runs :func:`f4`.
    """
    if trace is None or trace.ptr == NULL:
        raise ValueError("an empty F4Trace")
    cdef gb_options opt
    cdef gb_polys inp, out
    cdef gb_stats st
    cdef list holder = [None, None]
    _setup(&opt, trace.nvars, modulus, trace.order, trace.blocks, timeout, max_memory, holder,
           None, threads, kernel)
    packed = _packed_input(&inp, polys, trace.nvars, opt.modulus, "polys")
    cdef int code
    with nogil:
        code = gb_f4_apply(&opt, trace.ptr, &inp, &out, &st)
    return _collect(code, holder, opt.modulus, &out, trace.nvars), _stats_dict(&st)


# ---------------------------------------------------------------------------
# RUR kernels of the exact route (csrc/krylov.c): separation test
# ---------------------------------------------------------------------------
cdef extern from "krylov.h":
    int64_t gb_sequence_degree(uint32_t p, int64_t D, const uint32_t *Mt, const uint32_t *r,
                               int64_t stable) nogil


def sequence_degree(Mt, r, modulus, int stable=4):
    """Degree of the minimal polynomial of ``s_k = r M_t^k e_0`` modulo a prime
    ``p < 2^31`` (Berlekamp-Massey run along with the products, stopping once the
    linear complexity has held for ``stable`` terms past twice itself).  For a
    random ``r`` this is the degree of the minimal polynomial of ``t``: ``D`` iff
    ``t`` separates the solutions of a radical ideal."""
    cdef uint32_t p = _check_modulus(modulus)
    cdef cnp.ndarray[uint32_t, ndim=2, mode="c"] M = np.ascontiguousarray(Mt, dtype=np.uint32)
    cdef int64_t D = M.shape[0]
    if M.ndim != 2 or M.shape[1] != D or D < 1:
        raise ValueError(f"Mt must be a non-empty square matrix, got shape {np.shape(Mt)}")
    cdef cnp.ndarray[uint32_t, ndim=1, mode="c"] rv = np.ascontiguousarray(r, dtype=np.uint32)
    if rv.shape[0] != D:
        raise ValueError(f"r has {rv.shape[0]} entries for a {D} x {D} matrix")
    if stable < 1:
        raise ValueError(f"stable must be positive, got {stable}")
    if (np.asarray(Mt) >= p).any() or (rv >= p).any():
        raise ValueError(f"entries must lie in [0, {p})")
    cdef int64_t L
    with nogil:
        L = gb_sequence_degree(p, D, &M[0, 0], &rv[0], stable)
    if L < 0:
        raise_for_code(<int>L)
    return int(L)
