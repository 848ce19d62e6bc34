"""Seeded random polynomial systems for differential fuzzing.

Every generator is a function ``gen(rng) -> (variables, equations)`` where
``rng`` is a ``random.Random`` and ``equations`` are ``{exponent tuple:
Fraction}`` dicts -- plain Python, independent of grobnet, so that a bug in
grobnet's own representation cannot hide in the inputs.  :func:`generate`
turns ``(kind, seed)`` into a :class:`FuzzSystem` deterministically (same
kind and seed, same system, on every platform and Python version:
``random.Random`` with an integer seed is stable).

Kinds (the shapes in issue 9), all sized so that msolve and grobnet each solve
one in well under two seconds:

``dense``         2-4 variables, square (sometimes one extra equation), every monomial up
                  to degree 2-4 (zero-dimensional, or empty when overdetermined)
``sparse``        3-5 variables, square, 2-5 terms per equation (any dimension)
``triangular``    x_i^d_i + (terms in later variables): zero-dimensional, sometimes with
                  repeated roots (non-radical)
``posdim``        fewer equations than variables, or equations sharing a common factor
``inconsistent``  f, g and a*f + b*g + 1 mixed by an invertible combination (no solution)
``huge``          dense, coefficients of 30 to 200 decimal digits
``tiny``          dense, rational coefficients with 20- to 60-digit denominators
``manyvars``      6-8 variables of degree 1-2 (mostly linear)
``highdeg``       1-2 variables of degree 6-16
``network``       gradient systems of random small networks (``grobnet.frontend``)
``tinysympy``     2 variables, degree <= 2, small coefficients (sympy-sized)

``network`` is the one kind that calls grobnet (its frontend builds the
system); its equations are converted to the same plain dicts.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product
from typing import Callable, Dict, List, Tuple

__all__ = ["FuzzSystem", "KINDS", "generate", "systems", "to_msolve_text", "monomials_upto",
           "from_msolve_text"]

Poly = Dict[Tuple[int, ...], Fraction]


@dataclass
class FuzzSystem:
    """One random system: ``kind``, ``seed``, variable names and ``{exponents: Fraction}`` dicts."""

    kind: str
    seed: int
    variables: Tuple[str, ...]
    equations: List[Poly]
    note: str = ""
    meta: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.kind}-{self.seed}"

    @property
    def nvars(self) -> int:
        return len(self.variables)

    def max_coefficient_digits(self) -> int:
        return max((max(len(str(abs(c.numerator))), len(str(c.denominator)))
                    for f in self.equations for c in f.values()), default=0)

    def __repr__(self):
        return (f"FuzzSystem({self.label}: {len(self.equations)} equations in {self.nvars} "
                f"variables{', ' + self.note if self.note else ''})")


# ---------------------------------------------------------------------- helpers
def _names(n: int) -> Tuple[str, ...]:
    return tuple(f"x{i}" for i in range(n))


def monomials_upto(n: int, d: int) -> List[Tuple[int, ...]]:
    """All exponent tuples in ``n`` variables of total degree ``<= d``."""
    return [m for m in product(range(d + 1), repeat=n) if sum(m) <= d]


def _clean(f: Poly) -> Poly:
    return {m: c for m, c in f.items() if c != 0}


def _add(f: Poly, g: Poly, scale=1) -> Poly:
    out = dict(f)
    for m, c in g.items():
        out[m] = out.get(m, 0) + scale * c
    return _clean(out)


def _mul(f: Poly, g: Poly) -> Poly:
    out: Poly = {}
    for m1, c1 in f.items():
        for m2, c2 in g.items():
            m = tuple(a + b for a, b in zip(m1, m2))
            out[m] = out.get(m, 0) + c1 * c2
    return _clean(out)


def _small(rng, bound=9) -> Fraction:
    c = 0
    while c == 0:
        c = rng.randint(-bound, bound)
    return Fraction(c)


def _random_poly(rng, n, d, nterms=None, coeff=_small, top=True) -> Poly:
    """A random polynomial of degree ``<= d``: all monomials (``nterms=None``) or ``nterms`` of
    them; with ``top`` at least one term has degree exactly ``d``."""
    mons = monomials_upto(n, d)
    if nterms is not None:
        mons = rng.sample(mons, min(nterms, len(mons)))
    f = {m: coeff(rng) for m in mons}
    if top and not any(sum(m) == d for m in f):
        tops = [m for m in monomials_upto(n, d) if sum(m) == d]
        f[rng.choice(tops)] = coeff(rng)
    return _clean(f)


# ------------------------------------------------------------------- generators
def gen_dense(rng):
    n = rng.choice([2, 2, 3, 3, 4])
    d = {2: rng.choice([2, 3, 4]), 3: rng.choice([2, 2, 3]), 4: 2}[n]
    k = n + (1 if rng.random() < 0.15 else 0)       # sometimes overdetermined
    return _names(n), [_random_poly(rng, n, d) for _ in range(k)], f"dense degree {d}"


def gen_sparse(rng):
    n = rng.choice([3, 4, 5])
    d = 2 if n > 3 else rng.choice([2, 3])
    eqs = [_random_poly(rng, n, d, nterms=rng.randint(2, 5)) for _ in range(n)]
    return _names(n), eqs, f"sparse degree {d}"


def gen_triangular(rng):
    n = rng.choice([2, 3, 3, 4])
    eqs = []
    degs = []
    for i in range(n):
        d = rng.randint(1, 3 if n > 2 else 4)
        degs.append(d)
        lead = tuple(d if j == i else 0 for j in range(n))
        if rng.random() < 0.25:
            # (x_i - a)^2 * (...) : a repeated root makes the ideal non-radical
            a = Fraction(rng.randint(-3, 3))
            lin = {tuple(1 if j == i else 0 for j in range(n)): Fraction(1), (0,) * n: -a}
            f = _mul(lin, lin)
            if d > 2:
                rest = {tuple(d - 2 if j == i else 0 for j in range(n)): Fraction(1),
                        (0,) * n: _small(rng)}
                f = _mul(f, rest)
        else:
            f = {lead: _small(rng)}
        # lower terms in later variables (and x_i of lower degree)
        tail_vars = list(range(i, n))
        for _ in range(rng.randint(1, 4)):
            m = [0] * n
            budget = rng.randint(0, max(0, d - 1))
            for _ in range(budget):
                m[rng.choice(tail_vars)] += 1
            if m[i] >= d:
                continue
            f = _add(f, {tuple(m): _small(rng)})
        eqs.append(f)
    rng.shuffle(eqs)
    return _names(n), eqs, "triangular degrees " + ",".join(map(str, degs))


def gen_posdim(rng):
    n = rng.choice([3, 3, 4])
    if rng.random() < 0.5:
        k = rng.randint(1, n - 1)
        eqs = [_random_poly(rng, n, 2, nterms=rng.randint(3, 6)) for _ in range(k)]
        return _names(n), eqs, "underdetermined"
    g = _random_poly(rng, n, 1, nterms=rng.randint(2, 3))
    eqs = [_mul(g, _random_poly(rng, n, rng.randint(1, 2), nterms=rng.randint(2, 4)))
           for _ in range(n)]
    return _names(n), eqs, "common linear factor"


def gen_inconsistent(rng):
    n = rng.choice([2, 3, 4])
    f = _random_poly(rng, n, 2, nterms=rng.randint(2, 5))
    g = _random_poly(rng, n, 2, nterms=rng.randint(2, 5))
    a = _random_poly(rng, n, 1, nterms=2)
    b = _random_poly(rng, n, 1, nterms=2)
    h = _add(_add(_mul(a, f), _mul(b, g)), {(0,) * n: Fraction(1)})
    gens = [f, g, h]
    # mix by a unimodular (upper unitriangular) integer matrix: same ideal
    mixed = []
    for i in range(len(gens)):
        p = dict(gens[i])
        for j in range(i + 1, len(gens)):
            p = _add(p, gens[j], rng.randint(-2, 2))
        mixed.append(p)
    rng.shuffle(mixed)
    return _names(n), [p for p in mixed if p], "f, g, a*f + b*g + 1 mixed"


def _huge(rng) -> Fraction:
    digits = rng.randint(30, 200)
    c = rng.randint(10 ** (digits - 1), 10 ** digits - 1)
    return Fraction(c if rng.random() < 0.5 else -c)


def gen_huge(rng):
    n = rng.choice([2, 2, 3])
    eqs = [_random_poly(rng, n, 2, nterms=rng.randint(3, 6), coeff=_huge) for _ in range(n)]
    return _names(n), eqs, "coefficients of 30-200 digits"


def _tiny(rng) -> Fraction:
    digits = rng.randint(20, 60)
    q = rng.randint(10 ** (digits - 1), 10 ** digits - 1)
    return Fraction(rng.choice([-1, 1]) * rng.randint(1, 99), q)


def gen_tiny(rng):
    n = rng.choice([2, 2, 3])
    eqs = []
    for _ in range(n):
        f = _random_poly(rng, n, 2, nterms=rng.randint(3, 6), coeff=_tiny)
        # some ordinary coefficients too, so the scales differ wildly within one equation
        for m in rng.sample(list(f), k=max(1, len(f) // 2)):
            f[m] = _small(rng)
        eqs.append(f)
    return _names(n), eqs, "rational coefficients with 20-60 digit denominators"


def gen_manyvars(rng):
    n = rng.randint(6, 8)
    nquad = rng.randint(1, 2)
    eqs = [_random_poly(rng, n, 1, nterms=rng.randint(2, 4)) for _ in range(n - nquad)]
    eqs += [_random_poly(rng, n, 2, nterms=rng.randint(2, 4)) for _ in range(nquad)]
    rng.shuffle(eqs)
    return _names(n), eqs, f"{n} variables, {nquad} quadratic"


def gen_highdeg(rng):
    n = rng.choice([1, 2, 2])
    if n == 1:
        d = rng.randint(6, 16)
        f = _random_poly(rng, 1, d, nterms=rng.randint(2, 6))
        return _names(1), [f], f"univariate degree {d}"
    d1, d2 = rng.randint(3, 8), rng.randint(2, 5)
    eqs = [_random_poly(rng, 2, d1, nterms=rng.randint(2, 5)),
           _random_poly(rng, 2, d2, nterms=rng.randint(2, 5))]
    return _names(2), eqs, f"degrees {d1}, {d2}"


_NETWORKS = [  # (widths, activation, bias): small gradient systems (<= 6 parameters)
    ([1, 1, 1], "square", True), ([1, 1, 1], "z+z^2", True), ([1, 2, 1], "identity", False),
    ([1, 2, 1], "square", False), ([1, 2, 1], "z+z^2", False), ([2, 1, 1], "z+z^2", False),
    ([2, 1, 1], "square", True), ([1, 1, 1], "tanh", False), ([1, 1, 1], "sigmoid", True),
    ([2, 2, 1], "identity", False), ([1, 1, 2], "z+z^2", False),
]


def gen_network(rng):
    while True:
        variables, eqs, note = _network_system(rng)
        if eqs:          # a loss independent of every parameter has no equations: draw again
            return variables, eqs, note


def _network_system(rng):
    from grobnet.frontend import GeneralizedL2, L2, Network, gradient_system, random_dataset

    widths, act, bias = rng.choice(_NETWORKS)
    net = Network(widths, act, bias=bias)
    m = rng.randint(1, 4)
    data = random_dataset(m, n_inputs=widths[0], n_outputs=widths[-1], seed=rng.randrange(10 ** 6),
                          denominator=rng.choice([2, 4, 10]))
    choice = rng.random()
    if choice < 0.55:
        reg = GeneralizedL2(seed=rng.randrange(10 ** 6))
    elif choice < 0.75:
        reg = L2(Fraction(1, rng.choice([2, 10, 100])))
    else:
        reg = None
    loss = rng.choice(["mse", "sse"])
    system = gradient_system(net, data, loss=loss, reg=reg)
    eqs = [{tuple(int(e) for e in mon): Fraction(int(c.p), int(c.q)) for mon, c in f.terms()}
           for f in system.equations]
    eqs = [f for f in eqs if f]
    note = (f"net {widths} {act}{' bias' if bias else ''}, {m} points, {loss}, "
            f"{reg.describe() if reg is not None else 'no reg'}")
    return tuple(net.parameters), eqs, note


def gen_tinysympy(rng):
    n = 2
    k = rng.choice([1, 2, 2, 3])
    eqs = [_random_poly(rng, n, rng.choice([1, 2, 2]), nterms=rng.randint(2, 4),
                        coeff=lambda r: _small(r, 5)) for _ in range(k)]
    return _names(n), eqs, f"{k} equations, sympy-sized"


KINDS: Dict[str, Callable] = {
    "dense": gen_dense, "sparse": gen_sparse, "triangular": gen_triangular, "posdim": gen_posdim,
    "inconsistent": gen_inconsistent, "huge": gen_huge, "tiny": gen_tiny,
    "manyvars": gen_manyvars, "highdeg": gen_highdeg, "network": gen_network,
    "tinysympy": gen_tinysympy,
}


def generate(kind: str, seed: int) -> FuzzSystem:
    """The system of ``kind`` for ``seed`` (deterministic)."""
    try:
        gen = KINDS[kind]
    except KeyError:
        raise ValueError(f"unknown fuzz kind {kind!r}; known: {', '.join(KINDS)}") from None
    rng = random.Random(f"{kind}:{seed}")
    variables, eqs, note = gen(rng)
    eqs = [_clean(f) for f in eqs]
    eqs = [f for f in eqs if f]
    if not eqs:
        raise AssertionError(f"generator {kind} produced no nonzero equation for seed {seed}")
    return FuzzSystem(kind, seed, tuple(variables), eqs, note)


def systems(count: int, seed: int = 0, kinds=None):
    """``count`` systems cycling over ``kinds`` (default all), seeds ``seed, seed+1, ...``."""
    kinds = list(kinds or KINDS)
    for i in range(count):
        yield generate(kinds[i % len(kinds)], seed + i // len(kinds))


# ------------------------------------------------------------------------ msolve text
def _coeff_text(c: Fraction) -> str:
    return str(c.numerator) if c.denominator == 1 else f"{c.numerator}/{c.denominator}"


def _poly_text(f: Poly, variables, modulus=None) -> str:
    terms = []
    for m, c in sorted(f.items(), reverse=True):
        if modulus is not None:
            c = Fraction(c.numerator * pow(c.denominator, -1, modulus) % modulus)
            if c == 0:
                continue
        mono = "*".join(f"{v}^{e}" if e > 1 else v for v, e in zip(variables, m) if e)
        ct = _coeff_text(c)
        if not mono:
            terms.append(ct)
        elif c == 1:
            terms.append(mono)
        elif c == -1:
            terms.append("-" + mono)
        else:
            terms.append(f"{ct}*{mono}")
    text = "+".join(terms).replace("+-", "-")
    return text or "0"


def to_msolve_text(variables, equations, modulus=None) -> str:
    """msolve input text; ``modulus``: a prime to reduce the coefficients to (characteristic p)."""
    body = ",\n".join(_poly_text(f, variables, modulus) for f in equations)
    return f"{','.join(variables)}\n{0 if modulus is None else modulus}\n{body}\n"


def from_msolve_text(text: str):
    """``(variables, [Poly])`` of msolve input text over Q (a small independent reader)."""
    import re

    first, second, rest = (text.split("\n", 2) + ["", ""])[:3]
    variables = tuple(v.strip() for v in first.split(",") if v.strip())
    if int(second.strip()) != 0:
        raise ValueError("fuzz regression files are over Q (characteristic 0)")
    index = {v: i for i, v in enumerate(variables)}
    out = []
    for ptext in rest.replace("\n", "").split(","):
        ptext = ptext.replace(" ", "")
        if not ptext:
            continue
        f: Poly = {}
        for sign, term in re.findall(r"([+-]?)([^+-]+)", ptext):
            c = Fraction(-1 if sign == "-" else 1)
            m = [0] * len(variables)
            for factor in term.split("*"):
                if factor[0].isdigit():
                    c *= Fraction(factor)
                else:
                    name, _, e = factor.partition("^")
                    m[index[name]] += int(e) if e else 1
            f[tuple(m)] = f.get(tuple(m), 0) + c
        out.append(_clean(f))
    return variables, out
