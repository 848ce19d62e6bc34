"""Monte Carlo linear algebra of F4 rounds (``linear_algebra="probabilistic"``/``"auto"``).

Oracle: the exact F4 of the same prime.  When the random combinations capture every
chunk's span the round's reduced echelon form is unique, so the bases must be
*identical* (a missed pivot would change them).  Also: a learning run drops its trace
at its first probabilistic round, the dimension probe of a system whose rounds are all
probabilistic gives the same dimension and degree from two independent full runs, and
bad options are refused.
"""
import time

import pytest

from grobnet.engine import _core
from grobnet.engine.modp import f4, f4_learn, modp_arrays
from grobnet.engine.tracing import forget_trace, new_trace_key, traced_f4
from grobnet.exact.probe import probe_dimension
from helpers import same_bases, system_arrays

P = 2147483629


@pytest.mark.parametrize("name", ["katsura6", "katsura7", "katsura8", "cyclic5", "cyclic6",
                                  "nn_121_sq_bias_l2"])
@pytest.mark.parametrize("threads", [1, 2])
def test_probabilistic_equals_exact(systems_dir, name, threads):
    names, polys = system_arrays(systems_dir, name)
    A = modp_arrays(polys, len(names), P, "grevlex", None)
    exact, st0 = f4(A, len(names), P, threads=threads)
    assert st0["la_prob_rounds"] == 0 and st0["la_zero_checks"] == 0
    for seed in (None, 1, 2):
        prob, st = f4(A, len(names), P, threads=threads, linear_algebra="probabilistic",
                      la_seed=seed)
        assert st["la_prob_rounds"] == st["rounds"]          # every round, the input's too
        assert st["la_zero_checks"] >= st["rounds"] - 1     # each chunk ends on a zero
        assert same_bases(prob, exact), (name, threads, seed)


def test_portable_kernel_and_auto_threshold(systems_dir):
    names, polys = system_arrays(systems_dir, "katsura8")
    n = len(names)
    A = modp_arrays(polys, n, P, "grevlex", None)
    exact, _ = _core.f4(A, n, P)
    prob, st = _core.f4(A, n, P, kernel="portable", linear_algebra="probabilistic")
    assert same_bases(prob, exact) and st["la_prob_rounds"] > 0
    # auto: only rounds at or above the threshold are probabilistic
    _, st_all = _core.f4(A, n, P, linear_algebra="auto", la_auto_work=0.0)
    _, st_none = _core.f4(A, n, P, linear_algebra="auto", la_auto_work=1e18)
    _, st_some = _core.f4(A, n, P, linear_algebra="auto", la_auto_work=1e5)
    assert st_all["la_prob_rounds"] == st_all["rounds"]
    assert st_none["la_prob_rounds"] == 0
    assert 0 < st_some["la_prob_rounds"] < st_some["rounds"]


def test_learning_run_drops_its_trace(systems_dir):
    names, polys = system_arrays(systems_dir, "katsura7")
    n = len(names)
    A = modp_arrays(polys, n, P, "grevlex", None)
    exact, _ = f4(A, n, P)
    basis, st, trace = f4_learn(A, n, P)
    assert trace is not None and not st["trace_dropped"]
    basis, st, trace = f4_learn(A, n, P, linear_algebra="probabilistic")
    assert trace is None and st["trace_dropped"] and same_bases(basis, exact)
    # a trace kept up to a late threshold is dropped there, the basis is unchanged
    basis, st, trace = _core.f4_learn(A, n, P, linear_algebra="auto", la_auto_work=1e5)
    assert trace is None and st["trace_dropped"] and same_bases(basis, exact)
    # traced_f4: nothing is cached, so every prime is an independent full run
    key = new_trace_key()
    try:
        for q in (P, 2147483587):
            B = modp_arrays(polys, n, q, "grevlex", None)
            _, _, how = traced_f4(key, B, n, q, linear_algebra="probabilistic")
            assert how == "plain"
    finally:
        forget_trace(key)


def test_probe_with_probabilistic_rounds(systems_dir):
    names, polys = system_arrays(systems_dir, "katsura7")
    exact = probe_dimension(polys, len(names), seed=5, linear_algebra="exact")
    prob = probe_dimension(polys, len(names), seed=5, linear_algebra="probabilistic")
    assert (prob.hilbert.dimension, prob.hilbert.degree) == (0, 128)
    assert prob.hilbert.degree == exact.hilbert.degree
    assert all(im.how == "plain" for im in prob.images)
    assert prob.trace_key is not None
    assert exact.la_note() == ""
    note = prob.guarantee("degree 128").note
    assert "Monte Carlo linear algebra" in note and "<=" in note


def test_bad_options_are_refused(systems_dir):
    names, polys = system_arrays(systems_dir, "katsura6")
    n = len(names)
    A = modp_arrays(polys, n, P, "grevlex", None)
    with pytest.raises(ValueError, match="linear_algebra"):
        f4(A, n, P, linear_algebra="sloppy")
    with pytest.raises(ValueError, match="linear_algebra"):
        f4_learn(A, n, P, linear_algebra="")
    with pytest.raises(ValueError, match="la_auto_work"):
        _core.f4(A, n, P, linear_algebra="auto", la_auto_work=-1.0)


def _spy_companions(monkeypatch):
    """Record every companion prime the probe starts (module docstring of probe.py)."""
    from grobnet.exact import probe as probe_mod
    started = []
    original = probe_mod._CompanionPrime.start

    def start(self):
        original(self)
        started.append(self)
    monkeypatch.setattr(probe_mod._CompanionPrime, "start", start)
    return started


@pytest.mark.parametrize("name,degree", [("katsura7", 128), ("cyclic6", 156)])
def test_second_prime_runs_beside_the_first(systems_dir, monkeypatch, name, degree):
    """Two threads and Monte Carlo rounds: the second prime starts during the first run,
    and the probe gives the answer (same primes, same leading monomials) of the sequential
    probe on one thread."""
    names, polys = system_arrays(systems_dir, name)
    started = _spy_companions(monkeypatch)
    one = probe_dimension(polys, len(names), seed=7, threads=1, linear_algebra="probabilistic")
    assert started == []
    two = probe_dimension(polys, len(names), seed=7, threads=2, linear_algebra="probabilistic")
    assert len(started) == 1 and not started[0]._thread.is_alive()
    assert (two.hilbert.dimension, two.hilbert.degree) == (0, degree)
    assert two.primes == one.primes and two.draws == one.draws == 2
    assert [im.leading for im in two.images] == [im.leading for im in one.images]
    assert all(im.how == "plain" for im in two.images)


def test_small_systems_confirm_the_trace_beside_the_first_prime(systems_dir, monkeypatch):
    """No Monte Carlo round: on one thread the second prime is the checked replay of the
    first's trace; with two threads it is a full run beside the first, which confirms the
    trace (the next prime replays it without a check), same primes and answer."""
    from grobnet.engine import tracing
    names, polys = system_arrays(systems_dir, "katsura7")
    started = _spy_companions(monkeypatch)
    one = probe_dimension(polys, len(names), seed=7, threads=1)
    assert started == [] and [im.how for im in one.images] == ["learned", "checked"]
    two = probe_dimension(polys, len(names), seed=7, threads=2)
    assert len(started) == 1 and [im.how for im in two.images] == ["learned", "plain"]
    assert two.primes == one.primes and two.hilbert.degree == one.hilbert.degree == 128
    A = modp_arrays(polys, len(names), P, "grevlex", None)
    basis, _, how = tracing.traced_f4(two.trace_key, A, len(names), P)
    assert how == "replayed"
    # a disagreeing set of leading monomials confirms nothing
    key = tracing.new_trace_key()
    tracing.traced_f4(key, A, len(names), P)
    assert not tracing.confirm_trace(key, ((0,) * len(names),))
    assert tracing.traced_f4(key, A, len(names), P)[2] == "checked"
    tracing.forget_trace(key)
    tracing.forget_trace(two.trace_key)


def test_a_failing_first_prime_stops_its_companion(systems_dir, monkeypatch):
    """An exception in the first run (here from the progress callback, as Ctrl-C or a
    timeout would) cancels the companion, whose thread then ends at its next round."""
    names, polys = system_arrays(systems_dir, "katsura8")
    started = _spy_companions(monkeypatch)
    rounds = []

    def progress(stage, info):
        rounds.append(info["round"])
        if len(rounds) == 4:
            raise RuntimeError("stop here")
    with pytest.raises(RuntimeError, match="stop here"):
        probe_dimension(polys, len(names), seed=3, threads=2, progress=progress,
                        linear_algebra="probabilistic")
    assert len(started) == 1 and started[0]._cancel.is_set()
    started[0]._thread.join(timeout=30)
    assert not started[0]._thread.is_alive()


def test_probe_timeout_with_a_companion(systems_dir):
    names, polys = system_arrays(systems_dir, "katsura9")
    from grobnet.errors import TimeoutExceeded
    with pytest.raises(TimeoutExceeded, match="dimension probe"):
        probe_dimension(polys, len(names), seed=3, threads=2, timeout=0.05,
                        deadline=time.monotonic() + 0.05,
                        linear_algebra="probabilistic")
