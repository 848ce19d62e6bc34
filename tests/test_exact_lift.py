"""Multimodular Groebner bases over Q (grobnet.exact.lift, crt, primes, reduction).

Oracles: sympy's ``groebner`` over QQ, python-flint's ``fmpz_mpoly_vec.is_groebner``,
exact fractions for rational reconstruction, and a system built to be degenerate
modulo a chosen prime.
"""
from fractions import Fraction

import flint
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings, strategies as st

from grobnet.exact.crt import (RationalLifter, SequentialLifter, rational_reconstruction,
                               scaled_reconstruction)
from grobnet.exact.examples import katsura, ring
from grobnet.exact.lift import multimodular_groebner
from grobnet.common.primes import PRIME_HIGH, PRIME_LOW, PrimeStream
from grobnet.exact.reduction import is_groebner_exact

from conftest import systems_path

# Every lift test runs over the sympy reference backend and, once built, grobnet's F4.
BACKENDS = ["sympy", "engine"]
backends = pytest.mark.parametrize("backend", BACKENDS)


def _sympy_basis(polys, order):
    """sympy's reduced basis over QQ, each polynomial made monic w.r.t. ``order``."""
    names = polys[0].context().names()
    syms = sp.symbols(names)
    exprs = [sp.sympify(str(f).replace("^", "**")) for f in polys]
    G = sp.groebner(exprs, *syms, order=order, domain="QQ")
    out = set()
    for g in G.exprs:
        out.add(sp.expand(g / sp.LC(g, *syms, order=order)))
    return out


def _as_sympy(polys):
    return {sp.expand(sp.sympify(str(f).replace("^", "**"))) for f in polys}


# ------------------------------------------------------------------------- crt
@settings(max_examples=200, deadline=None)
@given(st.integers(-10**12, 10**12), st.integers(1, 10**12))
def test_rational_reconstruction_recovers_fractions(n, d):
    frac = Fraction(n, d)
    primes = PrimeStream(seed=d % 97).take(3)           # M ~ 2^92 > 2 * 10^24
    M = 1
    for p in primes:
        M *= p
    a = frac.numerator * pow(frac.denominator, -1, M) % M
    q = rational_reconstruction(a, M)
    assert q is not None and (int(q.p), int(q.q)) == (frac.numerator, frac.denominator)


def test_rational_reconstruction_fails_beyond_bound():
    p = 2147483647
    big = flint.fmpq(10**12 + 1, 10**12 + 3)      # far beyond sqrt(p/2)
    a = int(big.p) * pow(int(big.q), -1, p) % p
    q = rational_reconstruction(a, p)
    assert q is None or q != big


def test_lifter_incremental_crt_and_growth():
    """A vector may grow: a new entry was zero modulo the earlier primes."""
    primes = PrimeStream(seed=1).take(4)
    values = [Fraction(3, 7), Fraction(-5, 11), Fraction(primes[0] * 2, 5)]
    lifter = RationalLifter()
    for k, p in enumerate(primes):
        n = 2 if k == 0 else 3          # entry 2 is 0 modulo primes[0]
        lifter.add(p, [v.numerator * pow(v.denominator, -1, p) % p for v in values[:n]])
    assert lifter.reconstruct() == [flint.fmpq(v.numerator, v.denominator) for v in values]
    with pytest.raises(ValueError, match="already"):
        lifter.add(primes[0], [0] * 3)
    with pytest.raises(ValueError, match="entries"):
        lifter.add(PrimeStream(seed=9).take(1)[0], [0])


def test_lifter_reconstructs_and_agrees():
    values = [flint.fmpq(3, 7), flint.fmpq(-5, 11), flint.fmpq(0), flint.fmpq(2**40 + 1, 3**10)]
    lifter = RationalLifter()
    stream = PrimeStream(seed=5)

    def image(p):
        return [int(v.p) * pow(int(v.q), -1, p) % p for v in values]

    for p in stream.take(3):
        lifter.add(p, image(p))
    assert lifter.reconstruct() == values
    q = next(stream)
    assert lifter.agrees(q, image(q))
    assert not lifter.agrees(q, [(r + 1) % q for r in image(q)])


@settings(max_examples=300, deadline=None)
@given(st.integers(-10**60, 10**60), st.integers(1, 10**25))
def test_scaled_reconstruction_needs_the_sizes_plus_the_margin(n, d):
    q = Fraction(n, d)
    n, d = q.numerator, q.denominator
    bits = n.bit_length() + d.bit_length() + 41
    M, stream = 1, PrimeStream(seed=2)
    while M.bit_length() <= bits:
        p = next(stream)
        if d % p:
            M *= p
    y = n * pow(d, -1, M) % M
    assert scaled_reconstruction(y, M) == (n, d)
    # the cheap test finds small denominators only
    assert scaled_reconstruction(y, M, max_den_bits=64) == ((n, d) if d < 2**60 else None) \
        or d.bit_length() > 60


def test_scaled_reconstruction_rejects_noise_and_bad_moduli():
    import random
    rnd = random.Random(4)
    M = 2 ** 521 - 1
    assert sum(scaled_reconstruction(rnd.randrange(M), M) is not None for _ in range(300)) == 0
    assert scaled_reconstruction(M - 5, M) == (-5, 1)
    assert scaled_reconstruction(0, M) == (0, 1)
    with pytest.raises(ValueError):
        scaled_reconstruction(3, 1)


def _growing_denominators(seed, length=20, num_bits=300, factor_bits=30):
    """``N_k / (s_0 ... s_k)``: numerators of bounded size over denominators that gain a
    small factor per coefficient, leading coefficient first -- how a RUR polynomial's
    coefficients look from the leading one down."""
    import random
    rnd = random.Random(seed)
    out, den = [], 1
    for _ in range(length):
        den *= rnd.randrange(1, 2**factor_bits)
        out.append(Fraction(rnd.randrange(-2**num_bits, 2**num_bits), den))
    return out


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sequential_lifter_needs_fewer_primes_than_whole_fractions(seed):
    """Two polynomials (groups read from the leading coefficient down) over exact
    Fractions: the sequential lift recovers them exactly, once the modulus passes the
    largest step (numerator times new denominator), well before the largest
    coefficient's numerator times denominator; a wrong value fails agrees()."""
    f, g = _growing_denominators(seed), _growing_denominators(seed + 10, length=9)
    values = f[::-1] + g[::-1]                      # stored lowest degree first, as a RUR
    groups = [range(len(f) - 1, -1, -1), range(len(values) - 1, len(f) - 1, -1)]
    whole = max(v.numerator.bit_length() + v.denominator.bit_length() for v in values)
    lifter, stream, primes = SequentialLifter(groups), PrimeStream(seed=seed), []

    def image(p):
        return [v.numerator * pow(v.denominator, -1, p) % p for v in values]

    out = None
    while out is None:
        p = next(stream)
        lifter.add(p, image(p))
        primes.append(p)
        out = lifter.reconstruct(full=True)
    assert out == [flint.fmpq(v.numerator, v.denominator) for v in values]
    assert whole > 600 and lifter.modulus.bit_length() < 300 + 30 + 41 + 31
    q = next(stream)
    assert lifter.agrees(q, image(q))
    assert not lifter.agrees(q, [(r + 1) % q for r in image(q)])
    lifter.reset()                                  # starts again from the stored residues
    assert lifter.reconstruct() == out
    with pytest.raises(ValueError, match="already"):
        lifter.add(primes[0], image(primes[0]))
    with pytest.raises(ValueError, match="entries"):
        lifter.add(q, [0])
    with pytest.raises(ValueError, match="cover"):
        SequentialLifter([[0, 1], [1]])


@pytest.mark.parametrize("seed", [0, 1])
def test_sequential_lifter_folds_a_batch_like_one_prime_at_a_time(seed):
    """add_many (a parallel job's primes folded at once, issue 18) leaves the lifter in
    the state that adding them one by one gives -- also after entries were reconstructed
    (they leave the CRT) -- and both reconstruct the exact Fractions."""
    f, g = _growing_denominators(seed), _growing_denominators(seed + 10, length=9)
    values = f[::-1] + g[::-1]
    groups = [range(len(f) - 1, -1, -1), range(len(values) - 1, len(f) - 1, -1)]
    one, batch = SequentialLifter(groups), SequentialLifter(groups)
    stream = PrimeStream(seed=seed)

    def image(p):
        return [v.numerator * pow(v.denominator, -1, p) % p for v in values]

    out = None
    while out is None:
        ps = stream.take(3)
        for p in ps:
            one.add(p, image(p))
        batch.add_many([(p, image(p)) for p in ps])
        assert (one.modulus, one._x, one.primes) == (batch.modulus, batch._x, batch.primes)
        out = one.reconstruct(full=False)
        assert batch.reconstruct(full=False) == out
    assert out == [flint.fmpq(v.numerator, v.denominator) for v in values]
    one.reset()
    batch.reset()
    assert one.reconstruct() == batch.reconstruct() == out
    p = next(stream)
    with pytest.raises(ValueError, match="already"):
        batch.add_many([(p, image(p)), (batch.primes[0], image(batch.primes[0]))])


def test_a_full_attempt_pays_for_one_long_failure_and_still_finishes_first(monkeypatch):
    """Six polynomials whose leading coefficients have 200-bit denominators (a full
    attempt's long Euclidean sequences) and numerators of 250..750 bits, so that they
    become reconstructible at different primes, three of them with a second large new
    factor further down (the group moves, then fails): full attempts after every prime
    fail one long sequence at most (the group that failed last goes first, the groups
    after a failure only look for small factors), and still finish at the very prime
    where attempts without any cap do, with the exact values."""
    import random

    import grobnet.exact.crt as crt
    rnd = random.Random(7)
    values, groups = [], []
    for g in range(6):
        bits = 250 + 100 * ((g * 5) % 6)
        lead = Fraction(rnd.randrange(1, 2 ** bits), rnd.randrange(2 ** 199, 2 ** 200))
        poly = [lead] + [Fraction(rnd.randrange(-2 ** bits, 2 ** bits),
                                  lead.denominator * rnd.randrange(1, 2 ** 20))
                         for _ in range(5)]
        if g % 2:               # a second large new factor: the group moves, then fails
            poly[3] = Fraction(rnd.randrange(1, 2 ** (bits + 300)),
                               lead.denominator * rnd.randrange(2 ** 199, 2 ** 200))
        groups.append(range(len(values), len(values) + len(poly)))
        values += poly
    long_failures = []
    original = crt.scaled_reconstruction

    def counted(y, m, max_den_bits=None, **kw):
        out = original(y, m, max_den_bits, **kw)
        if out is None and (max_den_bits or 0) > crt.SMALL_DENOMINATOR_BITS:
            long_failures[-1] += 1
        return out
    monkeypatch.setattr(crt, "scaled_reconstruction", counted)

    def image(p):
        return [v.numerator * pow(v.denominator, -1, p) % p for v in values]

    capped, free = SequentialLifter(groups), SequentialLifter(groups)
    stream = PrimeStream(seed=3)
    out = ref = None
    while out is None or ref is None:
        p = next(stream)
        capped.add(p, image(p))
        free.add(p, image(p))
        long_failures.append(0)
        out = capped.reconstruct(full=True)
        assert long_failures[-1] <= 1
        ref = free.reconstruct(final=True)
        assert (out is None) == (ref is None), len(capped.primes)
    assert out == ref == [flint.fmpq(v.numerator, v.denominator) for v in values]
    assert sum(long_failures) >= 5                  # the test did exercise long failures


def test_sequential_check_primes_reduce_numerators_and_denominators_at_once():
    """agrees() reduces the reconstructed numerators and denominators modulo the check
    prime as two vectors: a right image agrees, one wrong residue does not, a prime
    dividing a denominator does not (its image says nothing), and a reset forgets the
    vectors with the values."""
    values = [Fraction(3, 7), Fraction(-5, 2147483647), Fraction(11), Fraction(0)]
    lifter = SequentialLifter([range(4)])
    stream = PrimeStream(seed=5)
    out = None
    while out is None:
        p = next(stream)
        lifter.add(p, [v.numerator * pow(v.denominator, -1, p) % p for v in values])
        out = lifter.reconstruct(full=True)
    assert out == [flint.fmpq(v.numerator, v.denominator) for v in values]
    q = next(stream)
    right = [v.numerator * pow(v.denominator, -1, q) % q for v in values]
    assert lifter.agrees(q, right)
    for k in range(4):
        wrong = list(right)
        wrong[k] = (wrong[k] + 1) % q
        assert not lifter.agrees(q, wrong)
    assert not lifter.agrees(2147483647, [0, 0, 11, 0])
    lifter.reset()
    assert lifter._fractions is None and lifter.reconstruct() == out
    assert lifter.agrees(q, right)


def test_prime_stream_reproducible_and_in_range():
    a, b = PrimeStream(seed=42).take(20), PrimeStream(seed=42).take(20)
    assert a == b and len(set(a)) == 20
    assert all(PRIME_LOW <= p < PRIME_HIGH and sp.isprime(p) for p in a)
    s = PrimeStream(seed=42, avoid=[a[0] * 6])
    assert s.take(1)[0] == a[1] and s.skipped == [a[0]]


# ------------------------------------------------------------------------ lift
@pytest.mark.parametrize("n", [2, 3, 4])
@pytest.mark.parametrize("seed", [0, 11])
@backends
def test_katsura_matches_sympy(n, seed, backend):
    _, polys = katsura(n)
    G = multimodular_groebner(polys, seed=seed, backend=backend)
    assert G.complete and G.verified == "probabilistic"
    assert _as_sympy(G.polys) == _sympy_basis(polys, "grevlex")
    assert G.dimension == 0 and G.degree == 2 ** n
    assert "RationalGroebnerBasis" in repr(G) and "complete" in repr(G)


@backends
def test_lex_order_matches_sympy(backend):
    _, polys = katsura(3)
    G = multimodular_groebner(polys, order="lex", backend=backend)
    assert _as_sympy(G.polys) == _sympy_basis(polys, "lex")


@backends
def test_flint_is_groebner_on_integer_basis(backend):
    _, polys = katsura(4)
    G = multimodular_groebner(polys, backend=backend, verify="exact")
    assert G.verified == "exact"
    zctx = flint.fmpz_mpoly_ctx.get(G.variables, "degrevlex")
    F = flint.fmpz_mpoly_vec([zctx.from_dict({m: int(c * 1) for m, c in f.to_dict().items()})
                             for f in polys], zctx)
    vec = flint.fmpz_mpoly_vec(G.integer_polys(zctx), zctx)
    assert vec.is_groebner(F)


small_systems = st.lists(
    st.dictionaries(st.tuples(st.integers(0, 2), st.integers(0, 2)).filter(lambda m: sum(m) <= 2),
                    st.integers(-5, 5).filter(bool), min_size=1, max_size=5),
    min_size=2, max_size=3)


@backends
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_systems, st.integers(0, 3))
def test_random_small_systems_match_sympy(backend, dicts, seed):
    ctx, _ = ring(["x", "y"])
    polys = [ctx.from_dict(d) for d in dicts]
    polys = [f for f in polys if not f.is_zero()]
    if not polys:
        return
    G = multimodular_groebner(polys, seed=seed, backend=backend)
    assert G.complete
    assert _as_sympy(G.polys) == _sympy_basis(polys, "grevlex")


def _planted_system(p):
    """Linear system with determinant p: a point over Q, no solution modulo p."""
    ctx, (x, y, z) = ring(["x", "y", "z"])
    return [x + y + z - 1, x + 2 * y + 3 * z - 2, 2 * x + 3 * y + (4 + p) * z - 5]


@backends
def test_planted_unlucky_prime_is_detected(backend):
    seed = 3
    p0 = PrimeStream(seed).take(1)[0]           # the first prime the lift will try
    polys = _planted_system(p0)
    G = multimodular_groebner(polys, seed=seed, backend=backend)
    assert p0 in G.unlucky_primes and p0 not in G.primes
    assert _as_sympy(G.polys) == _sympy_basis(polys, "grevlex")
    assert G.degree == 1


def test_exact_verification_detects_wrong_basis():
    ctx, (x, y) = ring(["x", "y"])
    assert is_groebner_exact([x ** 2 - y, x * y - 1, y ** 2 - x])
    assert not is_groebner_exact([x ** 2 - y, x * y - 1])


@backends
def test_unit_ideal(backend):
    ctx, (x, y) = ring(["x", "y"])
    G = multimodular_groebner([x * y - 1, x, y], backend=backend, verify="exact")
    assert [str(g) for g in G.polys] == ["1"] and G.dimension == -1


@backends
def test_process_executor_same_result(backend):
    _, polys = katsura(3)
    a = multimodular_groebner(polys, backend=backend, executor="serial")
    from grobnet.parallel import ProcessExecutor
    with ProcessExecutor(2) as ex:
        b = multimodular_groebner(polys, backend=backend, executor=ex)
    assert _as_sympy(a.polys) == _as_sympy(b.polys)


@backends
def test_budget_gives_incomplete_result(backend):
    _, polys = katsura(4)
    G = multimodular_groebner(polys, backend=backend, max_primes=1)
    assert not G.complete and "max_primes" in G.reason and "INCOMPLETE" in repr(G)


def test_errors():
    ctx, (x, y) = ring(["x", "y"])
    with pytest.raises(ValueError, match="verify"):
        multimodular_groebner([x - y], verify="maybe")
    with pytest.raises(ValueError, match="zero"):
        multimodular_groebner([x - x])
    with pytest.raises(ValueError, match="order"):
        multimodular_groebner([x - y], order="deglex")


@pytest.mark.slow
@pytest.mark.skipif("engine" not in BACKENDS, reason="grobnet's F4 engine is not built")
def test_katsura6_file_degree(backend="engine"):
    from grobnet.frontend.io import read_msolve
    system = read_msolve(systems_path() / "katsura6.ms")
    G = multimodular_groebner(system, backend=backend)
    assert G.complete and G.degree == 64
    zctx = flint.fmpz_mpoly_ctx.get(G.variables, "degrevlex")
    vec = flint.fmpz_mpoly_vec(G.integer_polys(zctx), zctx)
    assert vec.is_groebner(flint.fmpz_mpoly_vec(
        [zctx.from_dict(f.to_dict()) for f in system.integer_equations], zctx))


def test_exact_verification_of_a_block_order_basis():
    """verify="exact" works for block orders (python-flint has none: the order's key is used),
    the block basis eliminates x (its x-free part generates sympy's elimination ideal), and a
    tampered candidate fails Buchberger's criterion under the same key."""
    import sympy
    from grobnet.engine.modp import monomial_key
    from grobnet.exact.reduction import is_groebner_exact

    ctx = flint.fmpq_mpoly_ctx.get(("x", "y", "z"), "lex")
    x, y, z = ctx.gens()
    F = [x**2 + y*z - 2, y**2 - x*z + 1, z**2 + x - 3]
    G = multimodular_groebner(F, order="block", blocks=(1, 2), verify="exact")
    assert G.complete and G.verified == "exact"
    X, Y, Z = sympy.symbols("x y z")
    ref = sympy.groebner([X**2 + Y*Z - 2, Y**2 - X*Z + 1, Z**2 + X - 3], X, Y, Z, order="lex")
    elim_ref = [g for g in ref.exprs if not g.has(X)]
    ours = [sympy.sympify(str(g).replace("^", "**")) for g in G.polys]
    elim_ours = [g for g in ours if not g.has(X)]
    assert elim_ours
    gb_ours = sympy.groebner(elim_ours, Y, Z, order="grevlex")
    gb_ref = sympy.groebner(elim_ref, Y, Z, order="grevlex")
    assert list(gb_ours.exprs) == list(gb_ref.exprs)
    key = monomial_key("block", (1, 2))
    qctx = flint.fmpq_mpoly_ctx.get(("x", "y", "z"), "degrevlex")
    cand = [qctx.from_dict(g.to_dict()) for g in G.polys]
    assert is_groebner_exact(cand, key=key)
    assert not is_groebner_exact(cand[:1] + cand[2:], key=key)
