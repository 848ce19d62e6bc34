"""Symmetries of a gradient system: permutations of the variables that map it to itself.

Permuting the hidden units of a layer (a unit's incoming weights and bias together
with its outgoing weights) does not change the network's function, so with plain L2
regularization (one lambda for every parameter) or none it does not change the loss
``L`` either.  Then ``L(g theta) = L(theta)`` for the permutation ``g`` of the
parameters, and differentiating gives ``grad L(g theta) = g grad L(theta)`` (``g`` is a
permutation matrix, orthogonal): ``g`` maps critical points to critical points.

Nothing here is taken on trust: :func:`system_symmetries` keeps a candidate ``g`` only
after checking exactly (python-flint polynomial identities) that ``L o g = L`` when the
system has a loss, and in any case that ``g`` permutes the gradient equations:
``f_i o g = f_{s(i)}`` for a permutation ``s`` of the equations.  The second identity
alone already proves that ``g`` maps the solution set to itself (``f(g x) = 0`` for
every equation iff ``f(x) = 0`` for every equation).  Generalized L2 (one random
lambda per parameter) breaks these symmetries, and the check finds that.

Candidates come from the network's structure (:func:`hidden_unit_permutations`: the
adjacent transpositions of each hidden layer, which generate the full symmetric group
``S_h`` of that layer).  :class:`SymmetryGroup` holds the proven generators, the group
they generate (its elements, enumerated by closure while the group is small) and
orbits of points (numpy arrays, for the numerical solvers).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

__all__ = ["SymmetryGroup", "hidden_unit_permutations", "system_symmetries",
           "apply_permutation"]

#: the closure of the generators is enumerated up to this many elements
MAX_GROUP_ORDER = 50_000


def _check_permutation(perm, n):
    perm = tuple(int(i) for i in perm)
    if sorted(perm) != list(range(n)):
        raise ValueError(f"{perm} is not a permutation of {n} variables")
    return perm


def apply_permutation(poly, perm: Sequence[int]):
    """``poly o g``: the polynomial ``x -> poly(g x)`` where ``(g x)_i = x_{perm[i]}``.

    ``poly`` is an ``fmpq_mpoly``/``fmpz_mpoly``; the result lives in the same context.
    A monomial ``prod x_i^{e_i}`` becomes ``prod x_{perm[i]}^{e_i}``.
    """
    n = len(perm)
    out = {}
    for mono, c in zip(poly.monoms(), poly.coeffs()):
        e = [0] * n
        for i, k in enumerate(mono):
            if k:
                e[perm[i]] += k
        out[tuple(e)] = c
    return poly.context().from_dict(out)


def hidden_unit_permutations(net) -> list:
    """Candidate generators: for each hidden layer ``l`` and each pair of adjacent units
    ``(j, j+1)``, the permutation of the parameters swapping the two units (incoming
    weights and bias of layer ``l``, outgoing weights of layer ``l+1``).  They generate
    ``S_h`` on each hidden layer of width ``h``."""
    names = list(net.parameters)
    n = len(names)
    gens = []
    for layer in range(1, net.n_layers):            # hidden layers only
        W, b = net.layer_indices(layer)
        Wout, _ = net.layer_indices(layer + 1)
        for j in range(net.widths[layer] - 1):
            perm = list(range(n))

            def swap(a, c):
                perm[a], perm[c] = perm[c], perm[a]

            for i in range(net.widths[layer - 1]):
                swap(W[j][i], W[j + 1][i])
            if b is not None:
                swap(b[j], b[j + 1])
            for k in range(net.widths[layer + 1]):
                swap(Wout[k][j], Wout[k][j + 1])
            gens.append(tuple(perm))
    return gens


def _equation_permutation(equations, perm):
    """``s`` with ``f_i o g == f_{s(i)}`` for every equation, or ``None``."""
    index = {}
    for k, f in enumerate(equations):
        index.setdefault(str(f), []).append(k)
    s = []
    for f in equations:
        g = apply_permutation(f, perm)
        hits = [k for k in index.get(str(g), []) if equations[k] == g]
        if not hits:
            return None
        s.append(hits[0])
    return tuple(s) if len(set(s)) == len(s) else None


@dataclass
class SymmetryGroup:
    """A group of variable permutations that map a system's solution set to itself.

    ``generators``: permutations ``perm`` acting by ``(g x)_i = x_{perm[i]}``, each
    proven (see the module docstring); ``proof``: one line per generator saying what
    was checked; ``elements``: the whole group (closure of the generators, identity
    first), or ``None`` when it has more than :data:`MAX_GROUP_ORDER` elements.
    """

    nvars: int
    generators: tuple
    proof: list = field(default_factory=list)
    elements: tuple | None = None

    def __post_init__(self):
        self.generators = tuple(_check_permutation(g, self.nvars) for g in self.generators)
        if self.elements is None:
            self.elements = _closure(self.generators, self.nvars)

    @property
    def order(self) -> int | None:
        """Number of elements (``None`` if not enumerated)."""
        return None if self.elements is None else len(self.elements)

    @property
    def trivial(self) -> bool:
        return not self.generators

    def orbit(self, point) -> np.ndarray:
        """The images ``g x`` of one point (a 1-d array) under every element, as rows
        (duplicates kept: a point fixed by some ``g`` appears more than once)."""
        x = np.asarray(point)
        if self.elements is None:
            raise ValueError("the group is too large to enumerate its orbits")
        return np.stack([x[list(g)] for g in self.elements])

    def orbits(self, points) -> np.ndarray:
        """All images of the rows of ``points`` (``k x n``), stacked (``k |G| x n``)."""
        P = np.asarray(points)
        if len(P) == 0:
            return P.reshape(0, self.nvars)
        return np.vstack([P[:, list(g)] for g in self.elements])

    def invariant(self, vector) -> np.ndarray:
        """The average of ``g v`` over the group: a vector fixed by every element (for
        parameters of a homotopy family that must commute with the action)."""
        v = np.asarray(vector)
        return np.mean(np.stack([v[list(g)] for g in self.elements]), axis=0)

    def __repr__(self):
        order = self.order if self.order is not None else f">{MAX_GROUP_ORDER}"
        return f"SymmetryGroup({len(self.generators)} generators, order {order}, {self.nvars} variables)"


def _closure(generators, n):
    identity = tuple(range(n))
    seen = {identity: None}
    frontier = [identity]
    while frontier:
        nxt = []
        for h in frontier:
            for g in generators:
                # composition: (g . h) x = g(h x): (h x)_i = x_{h[i]}, then take index g[i]
                gh = tuple(h[g[i]] for i in range(n))
                if gh not in seen:
                    seen[gh] = None
                    if len(seen) > MAX_GROUP_ORDER:
                        return None
                    nxt.append(gh)
        frontier = nxt
    return tuple(seen)


def system_symmetries(system, candidates: Sequence[Sequence[int]] | None = None) -> SymmetryGroup:
    """The proven symmetry group of ``system`` among ``candidates`` (default: the hidden
    unit permutations of ``system.metadata["network"]``, none for other systems).

    A candidate is kept when it permutes the equations exactly (and, if the system has a
    loss, leaves the loss unchanged); the others are dropped.  ``SymmetryGroup.proof``
    says what was checked for each kept generator.
    """
    n = system.nvars
    if candidates is None:
        net = (getattr(system, "metadata", None) or {}).get("network")
        candidates = hidden_unit_permutations(net) if net is not None else []
    kept, proof = [], []
    loss = getattr(system, "loss", None)
    eqs = list(system.equations)
    for perm in candidates:
        perm = _check_permutation(perm, n)
        if perm == tuple(range(n)):
            continue
        if loss is not None and apply_permutation(loss, perm) != loss:
            continue
        s = _equation_permutation(eqs, perm)
        if s is None:
            continue
        moved = [system.variables[i] for i in range(n) if perm[i] != i]
        proof.append(f"x -> x[{list(perm)}] (moves {', '.join(moved)}): "
                     + ("L(g x) = L(x) and " if loss is not None else "")
                     + "every equation f_i(g x) equals f_s(i)(x) exactly")
        kept.append(perm)
    return SymmetryGroup(n, tuple(kept), proof)
