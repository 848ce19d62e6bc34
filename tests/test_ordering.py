"""Variable-order search: candidates, probes, and the cross-check that catches a wrong answer."""
import pytest

from grobnet.engine.convert import as_system, integer_input, to_raw
from grobnet.errors import OrderingMismatch
from grobnet.engine import tracing
from grobnet.exact.orders import (Candidate, candidate_orders, check_agreement, choose_order,
                                  permute_polys, permute_raw, probe_order)
from grobnet.frontend.io import read_msolve
from grobnet.parallel import ProcessExecutor

P = 2147483647


def _raw(path):
    s = read_msolve(path)
    return s.variables, to_raw(as_system(s), P)


def _ints(path):
    return integer_input(read_msolve(path))


def test_candidates_are_distinct_permutations(systems_dir):
    names, raw = _raw(systems_dir / "nn_121_sq_bias_gl2.ms")
    cands = candidate_orders(names, raw, random_count=4, seed=2)
    perms = [c.perm for c in cands]
    assert len(set(perms)) == len(perms)
    assert all(sorted(p) == list(range(len(names))) for p in perms)
    kinds = {c.name.split(":")[0] for c in cands}
    assert {"given", "reversed", "degree", "network", "random"} <= kinds
    # network orders follow the layers: every layer-1 parameter before any layer-2 one
    first = next(c for c in cands if c.name == "network:input-first").variables(names)
    layers = [int(v[1]) for v in first]
    assert layers == sorted(layers)
    # plain names give no network candidates; seeds are reproducible
    plain = candidate_orders(("x", "y", "z"), None, random_count=2, seed=5)
    assert not any(c.name.startswith("network") for c in plain)
    assert plain == candidate_orders(("x", "y", "z"), None, random_count=2, seed=5)


@pytest.mark.parametrize("name,dim,deg", [("katsura6.ms", 0, 64), ("cyclic5.ms", 0, 70)])
def test_every_order_gives_the_known_degree(systems_dir, name, dim, deg):
    names, ints = _ints(systems_dir / name)
    choice = choose_order(names, ints, orderings="auto", seed=1)
    assert len(choice.probes) >= 5
    assert all(r.ok and (r.dimension, r.degree) == (dim, deg) for r in choice.probes)
    assert choice.best in [r.candidate for r in choice.probes]
    assert choice.stats()["chosen_order"] == choice.best.name
    # every order modulo its own random prime; agreeing orders confirm the invariants
    primes = [r.prime for r in choice.probes]
    assert len(set(primes)) == len(primes) and min(primes) >= 2 ** 30
    assert choice.invariants == (dim, deg)


def test_corrupted_probe_is_caught(systems_dir, monkeypatch):
    """A bug under one order (every run of the reversed order loses a basis element) is an
    OrderingMismatch, even though disagreeing probes are first probed again."""
    names, ints = _ints(systems_dir / "katsura6.ms")
    real_f4 = tracing.f4
    calls = []

    def dropping_f4(polys, nvars, modulus, **kw):
        basis, stats = real_f4(polys, nvars, modulus, **kw)
        calls.append(1)
        if len(calls) % 2 == 0:      # the second order's runs lose a basis element
            basis = basis[:-1]
        return basis, stats

    monkeypatch.setattr(tracing, "f4", dropping_f4)
    with pytest.raises(OrderingMismatch, match=r"given \[0, 1, .*\] gives .*; user:1 \[6, 5, .*\] gives"):
        choose_order(names, ints, orderings=["given", list(reversed(range(len(names))))],
                     executor="serial")


def test_an_unlucky_order_probe_is_outvoted(systems_dir, monkeypatch):
    """One bad prime under one order is probed again modulo a fresh prime, not reported as
    a mismatch."""
    names, ints = _ints(systems_dir / "katsura6.ms")
    real_f4 = tracing.f4
    calls = []

    def once_dropping_f4(polys, nvars, modulus, **kw):
        basis, stats = real_f4(polys, nvars, modulus, **kw)
        calls.append(1)
        return (basis[:-1] if len(calls) == 2 else basis), stats

    monkeypatch.setattr(tracing, "f4", once_dropping_f4)
    choice = choose_order(names, ints, orderings=["given", list(reversed(range(len(names))))],
                          executor="serial")
    assert choice.invariants == (0, 64) and len(choice.rechecks) == 2


def test_serial_and_process_pool_probe_the_same_invariants(systems_dir):
    names, ints = _ints(systems_dir / "katsura6.ms")
    cands = candidate_orders(names, ints, random_count=2, seed=3)
    tasks = [(ints, len(names), c, P, 30.0) for c in cands]
    serial = [probe_order(t) for t in tasks]
    with ProcessExecutor(2) as ex:
        pooled = ex.map(probe_order, tasks)
    assert [(r.candidate, r.dimension, r.degree, r.basis_size) for r in serial] == \
           [(r.candidate, r.dimension, r.degree, r.basis_size) for r in pooled]


def test_probe_over_budget_is_reported_not_hung(systems_dir):
    names, ints = _ints(systems_dir / "katsura8.ms")
    r = probe_order((ints, len(names), Candidate("given", tuple(range(len(names)))), P, 1e-4))
    assert r.status == "timeout" and not r.ok
    check_agreement([r])  # unfinished probes take no part in the cross-check


def test_permute_raw_renames_variables():
    import numpy as np
    raw = [(np.array([[1, 2, 3]], dtype=np.int32), np.array([5], dtype=np.uint32))]
    (exps, coeffs), = permute_raw(raw, (2, 0, 1))
    assert exps.tolist() == [[3, 1, 2]] and coeffs.tolist() == [5]
    assert permute_polys([{(1, 2, 3): 5}], (2, 0, 1)) == [{(3, 1, 2): 5}]


def test_bad_orderings_are_clear_errors():
    names = ("x", "y")
    with pytest.raises(ValueError, match="not a permutation"):
        choose_order(names, [], orderings=[[0, 0]])
    with pytest.raises(ValueError, match="unknown variables"):
        choose_order(names, [], orderings=[["x", "q"]])
    with pytest.raises(ValueError, match="orderings must be"):
        choose_order(names, [], orderings="fastest")
    with pytest.raises(ValueError, match="at least 1"):
        choose_order(names, [], orderings=0)
    with pytest.raises(ValueError, match="without variables"):
        candidate_orders((), None)


def test_choice_ignores_timing_noise_but_not_real_differences():
    from grobnet.exact.orders import NOISE_SECONDS, ProbeResult, _fastest
    a, b, c = (Candidate(n, p) for n, p in (("given", (0, 1)), ("reversed", (1, 0)),
                                             ("other", (1, 0))))
    # sub-noise differences: the earliest proposed order wins (stable across runs)
    noisy = [ProbeResult(a, "ok", 0.004), ProbeResult(b, "ok", 0.001)]
    assert _fastest(noisy, a) == a and 0.003 < NOISE_SECONDS
    # a real difference (2 s against 1 s) picks the faster order
    real = [ProbeResult(a, "ok", 2.0), ProbeResult(b, "ok", 1.0), ProbeResult(c, "ok", 1.05)]
    assert _fastest(real, a) == b
    # unfinished probes never win; none finished: the default
    assert _fastest([ProbeResult(a, "timeout", 0.1), ProbeResult(b, "ok", 5.0)], a) == b
    assert _fastest([ProbeResult(a, "timeout", 0.1)], c) == c
