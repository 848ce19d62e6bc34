"""The independent Groebner-basis check (``_core.check_basis``, ``modp.check_groebner``).

Properties: it accepts the bases of F4 and of trace replays (whose correctness
sympy / msolve confirm in test_f4_core), and rejects a basis with a corrupted
coefficient, a missing element, or an input outside its ideal.  Oracle for the
random cases: python-flint's ``fmpz_mpoly_vec.is_groebner`` over Q on candidates
built by flint's Buchberger (reduced bases, corrupted or incomplete ones, the
input itself, bases with an extra element), checked by the engine mod a large
prime.
"""
import itertools
import random
import time

import numpy as np
import pytest
import flint
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from grobnet.engine import _core, modp
from grobnet.errors import TimeoutExceeded
from test_f4_core import read_ms

P31 = 2147483629


def _corrupt(basis, k, t, p):
    """Copy of ``basis`` with coefficient t of element k changed."""
    out = [(e.copy(), c.copy()) for e, c in basis]
    out[k][1][t] = (int(out[k][1][t]) + 1 + k) % p or 1
    return out


@pytest.mark.parametrize("p", [65521, P31])
@pytest.mark.parametrize("name", ["cyclic5.ms", "cyclic6.ms", "katsura7.ms", "katsura8.ms",
                                  "nn_121_sq_bias_gl2.ms", "nn_121_sq_bias_l2.ms"])
def test_check_accepts_f4_and_rejects_corruption(name, p):
    names, polys = read_ms(name, p)
    n = len(names)
    basis, _ = _core.f4(polys, n, p)
    for seed in (None, 11):                                       # proof / randomized
        assert modp.check_groebner(basis, polys, n, p, seed=seed)
        assert modp.check_groebner(basis[::-1], polys, n, p, seed=seed)    # element order is free
        assert modp.check_groebner(basis, [], n, p, seed=seed)    # G alone is a basis
        rng = random.Random(hash(name) % 1000)
        for _ in range(3):
            k = rng.randrange(len(basis))
            if len(basis[k][1]) < 2:
                continue
            t = rng.randrange(1, len(basis[k][1]))                # a tail coefficient
            assert not modp.check_groebner(_corrupt(basis, k, t, p), polys, n, p, seed=seed)
        assert not modp.check_groebner(basis[:-1], polys, n, p, seed=seed)    # an element missing
        # an input outside the ideal: a standard monomial (its own normal form)
        std = _standard_monomial(basis, n)
        outside = polys + [(np.array([std], dtype=np.int32), np.array([1], dtype=np.uint32))]
        assert not modp.check_groebner(basis, outside, n, p, seed=seed)
    if name.startswith(("cyclic", "katsura7")):
        # the basis of all inputs but the last (positive-dimensional: small systems only)
        part, _ = _core.f4(polys[:-1], n, p)
        assert not modp.check_groebner(part, polys, n, p)
        assert modp.check_groebner(part, polys[:-1], n, p)


def _standard_monomial(basis, n):
    """A monomial no leading monomial of ``basis`` divides (the largest such of degree 2
    or less, else 1; the basis is not {1})."""
    lms = [tuple(int(x) for x in e[0]) for e, _ in basis]
    for m in sorted(itertools.product(range(3), repeat=n), key=sum, reverse=True):
        if sum(m) <= 2 and not any(all(a <= b for a, b in zip(lm, m)) for lm in lms):
            return m
    return (0,) * n


@pytest.mark.parametrize("name", ["katsura8.ms", "nn_121_sq_bias_gl2.ms"])
def test_check_accepts_replayed_bases_with_threads(name):
    names, polys = read_ms(name, P31)
    n = len(names)
    _, _, trace = _core.f4_learn(polys, n, P31)
    p2 = 2147483587
    names, polys2 = read_ms(name, p2)
    replayed, _ = _core.f4_apply(trace, polys2, p2)
    for threads, seed in ((1, None), (2, None), (3, None), (2, 5)):
        assert modp.check_groebner(replayed, polys2, n, p2, threads=threads, seed=seed)
        assert not modp.check_groebner(_corrupt(replayed, 1, 1, p2), polys2, n, p2,
                                       threads=threads, seed=seed)


@pytest.mark.parametrize("name,threads", [("katsura8.ms", 1), ("katsura9.ms", 2),
                                          ("nn_121_sq_bias_gl2.ms", 2)])
def test_randomized_check_builds_no_matrix_and_still_rejects(name, threads):
    """The randomized mode streams its rows into the two combinations and keeps each known
    pivot as (element, column) only (csrc/check.c): it must see the same matrices as the
    deterministic mode (same rows and columns), hold far less memory, and still reject
    every non-Groebner input, for any seed -- a missing element anywhere, one corrupted
    tail coefficient, an input outside the ideal -- also with threads (katsura9's
    matrices are large enough for the parallel expansion of the known pivots)."""
    names, polys = read_ms(name, P31)
    n = len(names)
    basis, _ = _core.f4(polys, n, P31)
    ok, proof = _core.check_basis(basis, polys, n, P31, threads=threads)
    assert ok
    for seed in range(4):
        ok, st = _core.check_basis(basis, polys, n, P31, threads=threads, seed=seed)
        assert ok
        assert (st["rounds"], st["max_rows"], st["max_cols"], st["max_nnz"]) == \
            (proof["rounds"], proof["max_rows"], proof["max_cols"], proof["max_nnz"])
        assert st["peak_memory"] < proof["peak_memory"]
        rng = random.Random(seed)
        k = rng.randrange(1, len(basis) - 1)
        assert not modp.check_groebner(basis[:k] + basis[k + 1:], polys, n, P31,
                                       threads=threads, seed=seed)
        k = max(range(len(basis)), key=lambda i: len(basis[i][1]))     # longest element
        t = rng.randrange(1, len(basis[k][1]))
        assert not modp.check_groebner(_corrupt(basis, k, t, P31), polys, n, P31,
                                       threads=threads, seed=seed)
        std = _standard_monomial(basis, n)
        outside = polys + [(np.array([std], dtype=np.int32), np.array([1], dtype=np.uint32))]
        assert not modp.check_groebner(basis, outside, n, P31, threads=threads, seed=seed)


def test_engine_bases_are_one_buffer_and_pack_without_copy():
    """A basis from the engine is a list of views into two arrays that own the C core's
    output (no copy at the boundary), and packing it back for the check is a view too;
    a basis assembled from separate arrays is packed by concatenation, with the same
    answers."""
    names, polys = read_ms("katsura7.ms", P31)
    n = len(names)
    basis, _ = _core.f4(polys, n, P31)
    owner = basis[0][0].base
    assert owner is not None and all(e.base is owner for e, _ in basis)
    lens, exps, cfs = _core._pack(basis, n, P31, "basis")
    assert np.shares_memory(exps, owner) and np.shares_memory(cfs, basis[0][1].base)
    assert exps.shape == (sum(len(c) for _, c in basis), n)
    copies = [(e.copy(), c.copy()) for e, c in basis]
    _, exps2, cfs2 = _core._pack(copies, n, P31, "basis")
    assert not np.shares_memory(exps2, owner)
    assert np.array_equal(exps, exps2) and np.array_equal(cfs, cfs2)
    del owner, exps, cfs, lens
    kept = basis[3]                           # a view keeps the whole output alive
    del basis, copies
    import gc
    gc.collect()
    again, _ = _core.f4(polys, n, P31)
    assert np.array_equal(kept[0], again[3][0]) and np.array_equal(kept[1], again[3][1])
    assert modp.check_groebner(again, polys, n, P31, seed=3)
    assert modp.check_groebner([(e.copy(), c.copy()) for e, c in again], polys, n, P31, seed=3)
    with pytest.raises(ValueError, match="negative exponent"):
        bad = [(e.copy(), c.copy()) for e, c in again]
        bad[2][0][1, 0] = -1
        _core._pack(bad, n, P31, "basis")
    with pytest.raises(ValueError, match=r"basis\[4\] has a coefficient"):
        bad = [(e.copy(), c.copy()) for e, c in again]
        bad[4][1][0] = P31
        _core._pack(bad, n, P31, "basis")


def _dense_quadrics(seed, nv, p):
    rng = random.Random(seed)
    mons = [m for m in itertools.product(range(3), repeat=nv) if sum(m) <= 2]
    e = np.array(mons, dtype=np.int32)
    return [(e, np.array([rng.randrange(1, p) for _ in mons], dtype=np.uint32)) for _ in range(nv)]


@pytest.mark.parametrize("order,blocks", [("lex", None), ("block", (2, 2))])
def test_check_other_orders(order, blocks):
    polys = _dense_quadrics(3, 4, 65521)
    basis, _ = _core.f4(polys, 4, 65521, order, blocks)
    assert modp.check_groebner(basis, polys, 4, 65521, order, blocks)
    assert not modp.check_groebner(_corrupt(basis, 0, 1, 65521), polys, 4, 65521, order, blocks)
    # the grevlex basis is not a lex basis of this zero-dimensional ideal
    grevlex, _ = _core.f4(polys, 4, 65521)
    assert not modp.check_groebner(grevlex, polys, 4, 65521, order, blocks)


def _flint_candidate(F, kind, pick):
    """A candidate basis over Z built from the flint vector F: its reduced basis
    (kind 0), that basis with a coefficient changed (1), without one element (2),
    F itself (3), or the basis plus a combination of its elements (4)."""
    G = F.buchberger_naive().autoreduction()
    polys = [g.to_dict() for g in G]
    if kind == 1:
        terms = [(k, m) for k, g in enumerate(polys) for m in g]
        k, m = terms[pick % len(terms)]
        polys[k][m] += 1 + pick % 3
    elif kind == 2 and len(polys) > 1:
        del polys[pick % len(polys)]
    elif kind == 3:
        polys = [f.to_dict() for f in F]
    elif kind == 4:
        ctx = F[0].context()
        x = ctx.gens()
        extra = G[pick % len(G)] * x[pick % len(x)] + G[(pick + 1) % len(G)]
        polys.append(extra.to_dict())
    return [{tuple(m): int(c) for m, c in g.items() if int(c)} for g in polys]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32), st.integers(2, 3), st.floats(0.3, 1.0), st.integers(0, 4),
       st.integers(0, 1000))
def test_check_matches_flint_is_groebner(seed, nv, density, kind, pick):
    """Oracle: python-flint's fmpz_mpoly_vec.is_groebner over Q (every S-pair and
    every input reduces to zero); the engine checks the same candidate mod a large
    prime, which agrees unless the prime is unlucky (a leading coefficient it
    divides is excluded; any other coincidence is far less likely than 1e-6)."""
    p = P31
    rng = random.Random(seed)
    mons = [m for m in itertools.product(range(3), repeat=nv) if sum(m) <= 2]
    ints = []
    for _ in range(nv):
        kept = [m for m in mons if rng.random() < density] or [mons[-1]]
        ints.append({m: rng.choice([-1, 1]) * rng.randrange(1, 6) for m in kept})
    ctx = flint.fmpz_mpoly_ctx.get(tuple(f"x{i}" for i in range(nv)), "degrevlex")
    F = flint.fmpz_mpoly_vec([ctx.from_dict(f) for f in ints], ctx)
    cand = _flint_candidate(F, kind, pick)
    cand = [g for g in cand if g]
    C = flint.fmpz_mpoly_vec([ctx.from_dict(g) for g in cand], ctx)
    assume(all(int(g.leading_coefficient()) % p for g in C))
    G = modp.modp_arrays(cand, nv, p)
    got = modp.check_groebner(G, modp.modp_arrays(ints, nv, p), nv, p)
    assert got == C.is_groebner(F)
    assert modp.check_groebner(G, [], nv, p) == C.is_groebner()
    # the randomized check errs with probability below matrices / p^2 (~1e-17 here)
    assert modp.check_groebner(G, modp.modp_arrays(ints, nv, p), nv, p, seed=seed) == got
    if kind in (0, 4):
        assert got


def test_check_budget_and_bad_input():
    names, polys = read_ms("katsura10.ms")
    n = len(names)
    basis, _ = _core.f4(polys, n, 65521)
    t0 = time.monotonic()
    with pytest.raises(TimeoutExceeded):
        modp.check_groebner(basis, polys, n, 65521, threads=2, timeout=0.05)
    assert time.monotonic() - t0 < 3
    with pytest.raises(ValueError, match="threads"):
        modp.check_groebner(basis, polys, n, 65521, threads=0)
    with pytest.raises(ValueError):
        modp.check_groebner(basis, polys, n, 65520)


# ------------------------------------------------------- the check in the trace cache and probe
def test_an_unlucky_trace_replays_silently_and_the_check_catches_it():
    """Learned at p1 where x + y and x + (p1 + 1) y coincide: at p2 the replay follows the
    trace without a mismatch and gives the learning prime's leading monomials, but it is
    not the basis mod p2.  The check rejects it (both modes), so the trace cache runs
    plain F4, sees other leading monomials and learns anew."""
    from grobnet.engine.tracing import forget_trace, new_trace_key, traced_f4
    p1, p2 = 65521, P31
    ints = [{(1, 0): 1, (0, 1): 1}, {(1, 0): 1, (0, 1): p1 + 1}]
    b1, _, trace = modp.f4_learn(modp.modp_arrays(ints, 2, p1), 2, p1)
    in2 = modp.modp_arrays(ints, 2, p2)
    replayed, _ = modp.f4_apply(trace, in2, p2)
    assert modp.leading_monomials(replayed) == modp.leading_monomials(b1)
    assert not modp.check_groebner(replayed, in2, 2, p2)
    assert not modp.check_groebner(replayed, in2, 2, p2, seed=1)
    key = new_trace_key()
    try:
        assert traced_f4(key, modp.modp_arrays(ints, 2, p1), 2, p1, backend="engine")[2] == "learned"
        basis, _, how = traced_f4(key, in2, 2, p2, backend="engine")
        assert how == "learned"
        assert modp.leading_monomials(basis) == modp.leading_monomials(modp.f4(in2, 2, p2)[0])
    finally:
        forget_trace(key)


@pytest.mark.parametrize("name", ["katsura7", "nn_121_sq_bias_gl2"])
def test_probe_second_prime_is_a_checked_replay(name, systems_dir):
    from grobnet.engine.convert import integer_input
    from grobnet.exact.probe import is_independent, probe_dimension
    from grobnet.frontend.io import read_msolve
    names, ints = integer_input(read_msolve(f"{systems_dir}/{name}.ms"))
    results = []
    for threads in (1, 2):
        probe = probe_dimension(ints, len(names), seed=123, threads=threads)
        # two threads: the second prime is a full run beside the first (probe.py, "Threads")
        assert [im.how for im in probe.images] == ["learned",
                                                   "checked" if threads == 1 else "plain"]
        assert all(is_independent(im) for im in probe.images)
        # the checked replay is the reduced basis mod its prime: plain F4 agrees
        last = probe.images[-1]
        plain, _ = modp.f4(modp.modp_arrays(ints, len(names), last.prime), len(names), last.prime)
        assert modp.leading_monomials(plain) == last.leading
        assert all(np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
                   for a, b in zip(plain, last.basis)) and len(plain) == len(last.basis)
        results.append((probe.primes, probe.hilbert.dimension, probe.hilbert.degree))
    assert results[0] == results[1]
    with pytest.raises(ValueError, match="threads"):
        probe_dimension(ints, len(names), seed=1, threads=0)
