"""Trace learning (learn once, replay per prime), the Krylov kernel of the RUR,
maximal-quotient reconstruction and the lift's automatic executor.

Oracles: plain F4 of the same prime (the replay must give the identical basis),
python-flint's ``nmod_mat.solve`` for the Krylov system, exact fractions for the
reconstruction, and known solution counts / serial results for solve.
"""
import os
import random

import flint
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import grobnet
from grobnet.engine import _core
from grobnet.errors import TraceMismatch
from grobnet.exact.crt import maximal_quotient_reconstruction
from grobnet.engine.convert import integer_input
from grobnet.common.primes import PrimeStream
from grobnet.engine.modp import modp_arrays
from grobnet.engine.tracing import forget_trace, new_trace_key, traced_f4
from grobnet.frontend.io import read_msolve
from helpers import same_bases, system_arrays


# ------------------------------------------------------------------ trace replay
@pytest.mark.parametrize("name,order,blocks", [
    ("cyclic5", "grevlex", None), ("cyclic5", "lex", None), ("katsura6", "grevlex", None),
    ("katsura6", "block", (4, 3)), ("cyclic6", "grevlex", None)])
def test_replay_equals_plain_f4(systems_dir, name, order, blocks):
    names, ip = system_arrays(systems_dir, name)
    n = len(names)
    stream = PrimeStream(5)
    p0 = next(stream)
    basis0, _, trace = _core.f4_learn(modp_arrays(ip, n, p0, order, blocks), n, p0, order, blocks)
    plain0, _ = _core.f4(modp_arrays(ip, n, p0, order, blocks), n, p0, order, blocks)
    assert same_bases(basis0, plain0) and trace.rounds > 0
    for _ in range(4):
        p = next(stream)
        inp = modp_arrays(ip, n, p, order, blocks)
        replayed, _ = _core.f4_apply(trace, inp, p)
        plain, _ = _core.f4(inp, n, p, order, blocks)
        assert same_bases(replayed, plain)


@pytest.mark.parametrize("name", ["cyclic5", "katsura6"])
def test_replay_at_small_primes_is_plain_f4_or_a_clean_mismatch(systems_dir, name):
    """Small primes make coefficients vanish often: in an input, in an intermediate
    basis element (its support then differs from the recorded one, so the rows
    built from it later would land in the wrong columns), or in the final basis.
    Every replay must either equal plain F4 or raise TraceMismatch."""
    names, ip = system_arrays(systems_dir, name)
    n = len(names)
    p0 = 2147483629
    _, _, trace = _core.f4_learn(modp_arrays(ip, n, p0, "grevlex", None), n, p0)
    outcomes = {"same": 0, "mismatch": 0}
    for p in [q for q in range(7, 3000) if all(q % d for d in range(2, int(q ** 0.5) + 1))]:
        inp = modp_arrays(ip, n, p, "grevlex", None)
        plain, _ = _core.f4(inp, n, p)
        try:
            replayed, _ = _core.f4_apply(trace, inp, p)
        except TraceMismatch:
            outcomes["mismatch"] += 1
            continue
        assert same_bases(replayed, plain), p
        outcomes["same"] += 1
    assert outcomes["same"] > 0 and outcomes["mismatch"] > 0, outcomes


small_system = st.lists(
    st.dictionaries(st.tuples(*[st.integers(0, 2)] * 3), st.integers(-9, 9), min_size=1, max_size=5),
    min_size=2, max_size=4)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_system, st.sampled_from(["grevlex", "lex"]))
def test_replay_is_plain_f4_or_a_clean_mismatch(polys, order):
    ip = [{m: c for m, c in f.items() if c} for f in polys]
    ip = [f for f in ip if f]
    if not ip:
        return
    p0, p1 = 1000003, 2147483629
    learned, _, trace = _core.f4_learn(modp_arrays(ip, 3, p0, order, None), 3, p0, order)
    # a different prime, and a different system (perturbed coefficients) with the same trace
    for p, sys_ in ((p1, ip), (p1, [{m: c * (k + 2) + 1 for m, c in f.items()}
                                    for k, f in enumerate(ip)])):
        inp = modp_arrays(sys_, 3, p, order, None)
        plain, _ = _core.f4(inp, 3, p, order)
        try:
            replayed, _ = _core.f4_apply(trace, inp, p)
        except TraceMismatch:
            continue
        if sys_ is ip:
            assert same_bases(replayed, plain)
        else:
            # a replay that goes through on another system computes genuine ideal elements
            # with the recorded leading monomials: when those match plain F4's, so does the basis
            if [tuple(e[0]) for e, _ in replayed] == [tuple(e[0]) for e, _ in plain]:
                assert same_bases(replayed, plain)


def test_trace_mismatch_on_a_different_shape():
    x = lambda *e: tuple(e)  # noqa: E731
    p = 65521
    a = [{x(2, 0): 1, x(0, 1): p - 1}, {x(1, 1): 1, x(0, 0): p - 3}]          # x^2 - y, xy - 3
    b = [{x(2, 0): 1, x(0, 1): p - 1}, {x(0, 2): 1, x(0, 0): p - 3}]          # x^2 - y, y^2 - 3
    _, _, trace = _core.f4_learn(modp_arrays(a, 2, p, "grevlex", None), 2, p)
    with pytest.raises(TraceMismatch):
        _core.f4_apply(trace, modp_arrays(b, 2, p, "grevlex", None), p)
    # the process stays usable, and a pickled trace is refused with a clear error
    assert _core.f4_apply(trace, modp_arrays(a, 2, p, "grevlex", None), p)[0]
    import pickle
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(trace)


def test_traced_f4_learns_confirms_then_replays(systems_dir):
    names, ip = system_arrays(systems_dir, "katsura6")
    n, key = len(names), new_trace_key()
    stream = PrimeStream(9)
    hows = []
    try:
        for _ in range(4):
            p = next(stream)
            inp = modp_arrays(ip, n, p, "grevlex", None)
            basis, _, how = traced_f4(key, inp, n, p, "grevlex", None, "engine")
            assert same_bases(basis, _core.f4(inp, n, p, "grevlex")[0])
            hows.append(how)
    finally:
        forget_trace(key)
    assert hows == ["learned", "checked", "replayed", "replayed"]
    assert traced_f4(None, modp_arrays(ip, n, 65521, "grevlex", None), n, 65521)[2] == "plain"


def test_an_unconfirmed_trace_is_never_replayed():
    # learned on a prime where the input degenerates (p divides a coefficient): the next
    # prime disagrees, so it learns anew instead of replaying the degenerate run
    x = lambda *e: tuple(e)  # noqa: E731
    ip = [{x(2, 0): 1, x(0, 1): 7}, {x(1, 1): 5, x(0, 0): -3}]
    key = new_trace_key()
    try:
        inp5 = modp_arrays(ip, 2, 5, "grevlex", None)
        assert traced_f4(key, inp5, 2, 5, "grevlex", None, "engine")[2] == "learned"
        p = 65521
        inp = modp_arrays(ip, 2, p, "grevlex", None)
        basis, _, how = traced_f4(key, inp, 2, p, "grevlex", None, "engine")
        assert how == "learned" and same_bases(basis, _core.f4(inp, 2, p)[0])
    finally:
        forget_trace(key)


# ------------------------------------------------------------------ Krylov kernel
@pytest.mark.parametrize("D,unit_every", [(1, 0), (7, 0), (40, 0), (40, 3), (90, 2)])
def test_krylov_solve_matches_flint(D, unit_every):
    p = 2147483629
    rng = np.random.default_rng(D + unit_every)
    M = rng.integers(0, p, (D, D))
    if unit_every:
        # like a multiplication matrix: b_c * t = b_(c+1) for many c (unit columns)
        for c in range(0, D - 1):
            if c % unit_every:
                M[:, c] = 0
                M[c + 1, c] = 1
    y = rng.integers(0, p, (2, D))
    S = _core.krylov_solve(M, y, p)
    Mf = flint.nmod_mat(M.tolist(), p)
    v = flint.nmod_mat(D, 1, p)
    v[0, 0] = 1
    cols = []
    for _ in range(D + 1):
        cols.append([int(v[r, 0]) for r in range(D)])
        v = Mf * v
    K = flint.nmod_mat([[cols[k][r] for k in range(D)] for r in range(D)], p)
    rhs = flint.nmod_mat([[cols[D][r]] + [int(y[j][r]) for j in range(2)] for r in range(D)], p)
    if K.rank() < D:
        assert S is None and not unit_every
        return
    X = K.solve(rhs)
    assert all(int(X[r, j]) == int(S[j][r]) for r in range(D) for j in range(3))


def test_krylov_solve_singular_and_bad_input():
    p = 65521
    assert _core.krylov_solve(np.eye(4, dtype=np.int64), np.ones((1, 4)), p) is None
    with pytest.raises(ValueError, match="square"):
        _core.krylov_solve(np.zeros((2, 3)), np.zeros((1, 2)), p)
    with pytest.raises(ValueError, match=r"\[0, 65521\)"):
        _core.krylov_solve(np.full((2, 2), p), np.zeros((1, 2)), p)
    with pytest.raises(ValueError):
        _core.krylov_solve(np.eye(2), np.zeros((1, 2)), 65520)


# ------------------------------------------------------------------ reconstruction
@settings(max_examples=300, deadline=None)
@given(st.integers(-10**40, 10**40), st.integers(1, 10**8))
def test_maximal_quotient_needs_about_the_product_of_sizes(n, d):
    q = flint.fmpq(n, d)
    n, d = int(q.p), int(q.q)
    bits = n.bit_length() + d.bit_length() + 45
    stream, M, ps = PrimeStream(1), 1, []
    while M.bit_length() <= bits:
        p = next(stream)
        if d % p:
            ps.append(p)
            M *= p
    a = n * pow(d, -1, M) % M
    assert maximal_quotient_reconstruction(a, M) == q


def test_maximal_quotient_rejects_noise():
    rnd = random.Random(3)
    M = 2 ** 127 - 1
    hits = sum(maximal_quotient_reconstruction(rnd.randrange(M), M) is not None for _ in range(200))
    assert hits <= 2
    with pytest.raises(ValueError):
        maximal_quotient_reconstruction(3, 1)


# ------------------------------------------------------------------ solve: routes agree
def test_solve_auto_and_serial_agree(systems_dir):
    S = read_msolve(os.path.join(systems_dir, "katsura6.ms"))
    auto = grobnet.solve(S, executor="auto", digits=20)
    serial = grobnet.solve(S, executor="serial", digits=20)
    assert auto.degree == serial.degree == 64 and auto.complete and serial.complete
    assert len(auto.real) == len(serial.real) == 32
    assert auto.rur.elim == serial.rur.elim


# ------------------------------------------------------------ power projections
@pytest.mark.parametrize("D,unit_every", [(1, 0), (7, 0), (30, 2), (64, 3)])
def test_power_projections_match_numpy_and_bm_gives_the_charpoly(D, unit_every):
    p = 2_147_483_629
    rng = np.random.default_rng(D)
    M = rng.integers(0, p, (D, D))
    for c in range(0, D, unit_every or D + 1):       # some unit columns (the sparse split)
        M[:, c] = 0
        M[(c + 1) % D, c] = 1
    r = rng.integers(0, p, D)
    X = rng.integers(0, p, (3, D))
    seq, proj = _core.power_projections(M, r, X, p)
    u = [int(x) for x in r]
    Mi = [[int(x) for x in row] for row in M]
    for k in range(2 * D):
        assert int(seq[k]) == u[0]
        if k < D:
            for j in range(3):
                assert int(proj[j, k]) == sum(a * int(b) for a, b in zip(u, X[j])) % p
        u = [sum(u[i] * Mi[i][c] for i in range(D)) % p for c in range(D)]
    # a random dense matrix has minimal polynomial = characteristic polynomial
    f = _core.berlekamp_massey(seq, p)
    assert f == [int(c) for c in flint.nmod_mat(Mi, p).minpoly().coeffs()]


def test_berlekamp_massey_small_cases_and_bad_input():
    p = 1_000_003
    assert _core.berlekamp_massey([1, 1, 2, 3, 5, 8, 13, 21], p) == [p - 1, p - 1, 1]
    assert _core.berlekamp_massey([2, 6, 18, 54], p) == [p - 3, 1]
    assert _core.berlekamp_massey([0, 0, 0, 0], p) == [1]
    assert _core.berlekamp_massey([], p) == [1]
    with pytest.raises(ValueError):
        _core.berlekamp_massey([p], p)
    with pytest.raises(ValueError):
        _core.power_projections(np.eye(3, dtype=np.int64), [1, 2], [], p)


@pytest.mark.parametrize("name,var", [("katsura6", 6), ("cyclic5", 4), ("nn_121_sq_bias_l2", 6)])
def test_sequence_path_equals_krylov_path(systems_dir, name, var):
    from grobnet.exact import rur
    from grobnet.exact.multiplication import quotient_ring
    names, ip = integer_input(read_msolve(systems_dir / f"{name}.ms"))
    n, p = len(names), 2_147_483_587
    basis, _, _ = traced_f4(None, modp_arrays(ip, n, p, "grevlex", None), n, p)
    ring = quotient_ring(basis, n, p)
    forms = [tuple(int(i == var) for i in range(n)), tuple(range(1, n + 1))]
    for form in forms:
        Mt = ring.array_of_linear_form(form)
        a, b = rur._sequence_path(ring, form, Mt), rur._fast_path(ring, form, Mt)
        assert (a is None) == (b is None)
        if a is not None:
            assert a.as_dicts() == b.as_dicts()
            if ring.dimension <= 100:     # and it is right: x_i f'(t) = num_i(t) in A
                def apply(poly, v):           # coords(poly(t) * v) by Horner with M_t
                    out = np.zeros(len(v), dtype=object)
                    for c in reversed([int(x) for x in poly.coeffs()]):
                        out = (Mt.astype(object).dot(out) + c * v) % p
                    return out
                one = np.zeros(ring.dimension, dtype=object)
                one[0] = 1
                for i in range(n):
                    xi = np.array([int(x) for x in ring.variable_coords[i]], dtype=object)
                    assert (apply(a.denominator, xi) == apply(a.numerators[i], one)).all()
