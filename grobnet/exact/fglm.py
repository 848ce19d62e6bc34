"""FGLM: change of order to lex for a zero-dimensional ideal over GF(p).

From the multiplication matrices of ``A = GF(p)[x]/I`` (:mod:`.multiplication`),
monomials are visited in increasing lex order (next candidate: the smallest
``x_i * s`` over the lex staircase found so far that no new leading monomial
divides); each candidate's coordinate vector ``M_i coords(s)`` is reduced
against the vectors of the staircase.  A dependency ``m = sum c_j s_j`` is a new
element ``m - sum c_j s_j`` of the reduced lex basis; otherwise ``m`` joins the
staircase (Faugere, Gianni, Lazard, Mora 1993).  Cost ``O(n D^3)`` in Python
integers: a second route and a cross-check for the RUR, not the fast path.
"""
from __future__ import annotations

from grobnet.engine.modp import from_modp_dict, monomial_key
from grobnet.exact.multiplication import QuotientRing

__all__ = ["fglm_lex", "is_shape_position"]


def _divides(a, b):
    return all(x <= y for x, y in zip(a, b))


def fglm_lex(ring: QuotientRing) -> list:
    """The reduced lex Groebner basis (engine array format, increasing leading
    monomials, monic, terms decreasing) of the ideal behind ``ring``."""
    p, D, n = ring.modulus, ring.dimension, ring.nvars
    mats = [ring.arrays[i].tolist()
            for i in range(n)]
    lex = monomial_key("lex")

    def mul(i, vec):
        M = mats[i]
        return [sum(M[r][c] * vec[c] for c in range(D) if vec[c]) % p for r in range(D)]

    # Echelon rows: pivot column -> (row vector, combination of staircase elements).
    pivots: dict[int, tuple] = {}
    stair: list[tuple] = []           # lex staircase monomials, in order found
    coords: dict[tuple, list] = {}    # monomial -> coordinate vector in A
    leads: list[tuple] = []
    basis = []

    def reduce(vec):
        """Reduce ``vec``; return (residual, combination dict staircase_index -> coeff)."""
        vec = list(vec)
        comb = {}
        for col in sorted(pivots):
            c = vec[col]
            if c:
                row, rcomb = pivots[col]
                for k in range(D):
                    if row[k]:
                        vec[k] = (vec[k] - c * row[k]) % p
                for j, a in rcomb.items():
                    comb[j] = (comb.get(j, 0) + c * a) % p
        return vec, comb

    one = tuple([0] * n)
    unit = [0] * D
    unit[ring.index[one]] = 1
    candidates = {one: unit}
    while candidates:
        m = min(candidates, key=lex)
        vec = candidates.pop(m)
        res, comb = reduce(vec)
        col = next((k for k in range(D) if res[k]), None)
        if col is None:
            # m = sum comb[j] * stair[j]  ->  basis element m - sum ...
            terms = {m: 1}
            for j, a in comb.items():
                if a:
                    terms[stair[j]] = (terms.get(stair[j], 0) - a) % p
            leads.append(m)
            basis.append(from_modp_dict(terms, n, "lex"))
            candidates = {c: v for c, v in candidates.items() if not _divides(m, c)}
            continue
        inv = pow(res[col], -1, p)
        row = [(x * inv) % p for x in res]
        j = len(stair)
        stair.append(m)
        coords[m] = vec
        # the new row represents  (m - sum comb) / res[col]
        rcomb = {k: (-a * inv) % p for k, a in comb.items() if a}
        rcomb[j] = inv
        # eliminate the new pivot column from the older rows (keep them reduced)
        for c2, (r2, comb2) in list(pivots.items()):
            f = r2[col]
            if f:
                r2 = [(x - f * y) % p for x, y in zip(r2, row)]
                comb2 = dict(comb2)
                for k, a in rcomb.items():
                    comb2[k] = (comb2.get(k, 0) - f * a) % p
                pivots[c2] = (r2, comb2)
        pivots[col] = (row, rcomb)
        for i in range(n):
            c = m[:i] + (m[i] + 1,) + m[i + 1:]
            if c not in candidates and not any(_divides(l, c) for l in leads):
                candidates[c] = mul(i, vec)
    basis.sort(key=lambda b: lex(tuple(int(e) for e in b[0][0])))
    return basis


def is_shape_position(lex_basis, nvars: int) -> bool:
    """Whether a reduced lex basis has the shape ``x_i - h_i(x_n), f(x_n)`` (i < n)."""
    if len(lex_basis) != nvars:
        return False
    for exps, _ in lex_basis:
        lead = tuple(int(e) for e in exps[0])
        support = [i for i, e in enumerate(lead) if e]
        if len(support) != 1:
            return False
        i = support[0]
        if i < nvars - 1 and lead[i] != 1:
            return False
        for row in exps[1:]:
            if any(int(e) for e in row[:nvars - 1]):
                return False
    return True
