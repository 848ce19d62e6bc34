"""Symmetries of gradient systems: proven exactly, and the critical set is invariant.

Oracles: the exact critical points of a small net with plain L2 (grobnet's exact route,
checked elsewhere against msolve) must be permuted among themselves by every proven
generator (box overlaps computed here); numeric evaluation of ``f(g x)`` against
``(f o g)(x)``; hand-built wrong candidates that must be rejected.
"""
from fractions import Fraction

import flint
import numpy as np
import pytest

import grobnet
from grobnet.common.evaluate import PolyEvaluator
from grobnet.frontend import GeneralizedL2, L2, Network, gradient_system, xor
from grobnet.frontend.symmetry import (SymmetryGroup, apply_permutation,
                                       hidden_unit_permutations, system_symmetries)

DATA = ([[1], [0], [Fraction(-1, 3)], [0], [1]], [[1], [0], [Fraction(-1, 3)], [0], [1]])


def test_hidden_unit_swaps_are_proven_for_plain_l2_and_none():
    net = Network([1, 3, 1], activation="z+z^2", bias=True)
    for reg in (L2(Fraction(1, 10)), None):
        G = system_symmetries(gradient_system(net, DATA, reg=reg))
        assert len(G.generators) == 2 and G.order == 6          # S_3 on the hidden layer
        assert all("L(g x) = L(x)" in line for line in G.proof)


def test_generalized_l2_breaks_the_symmetry():
    net = Network([1, 3, 1], activation="z+z^2", bias=True)
    G = system_symmetries(gradient_system(net, DATA, reg=GeneralizedL2(seed=1)))
    assert G.trivial and G.order == 1


def test_two_hidden_layers_give_a_product_group():
    net = Network([2, 2, 2, 1])
    G = system_symmetries(gradient_system(net, xor(), reg=L2(Fraction(1, 10))))
    assert len(G.generators) == 2 and G.order == 4              # S_2 x S_2


def test_a_wrong_candidate_is_rejected():
    net = Network([1, 2, 1], activation="z+z^2", bias=True)
    S = gradient_system(net, DATA, reg=L2(Fraction(1, 10)))
    (swap,) = hidden_unit_permutations(net)
    # swap only the incoming weights of the two units, not their outgoing weights
    wrong = list(range(S.nvars))
    a, b = net.index("w1_0_0"), net.index("w1_1_0")
    wrong[a], wrong[b] = wrong[b], wrong[a]
    G = system_symmetries(S, candidates=[swap, tuple(wrong)])
    assert G.generators == (swap,)


def test_apply_permutation_is_composition_with_the_action():
    ctx = flint.fmpq_mpoly_ctx.get(("x", "y", "z"), "degrevlex")
    x, y, z = ctx.gens()
    f = x ** 2 * y + 3 * z - x * z ** 3
    perm = (2, 0, 1)                  # (g v)_i = v_{perm[i]}
    g_f = apply_permutation(f, perm)
    rng = np.random.default_rng(0)
    for _ in range(5):
        v = rng.standard_normal(3)
        gv = v[list(perm)]
        assert np.isclose(PolyEvaluator(g_f).floats(v), PolyEvaluator(f).floats(gv))


def test_exact_critical_points_are_permuted_among_themselves():
    net = Network([1, 2, 1], activation="z+z^2")
    S = gradient_system(net, ([[1], [2], [-1]], [[1], [0], [2]]), reg=L2(Fraction(1, 10)))
    G = system_symmetries(S)
    sols = grobnet.solve(S, method="exact")
    assert sols.complete and len(sols.real) > 2
    boxes = [s.intervals for s in sols.real]
    for g in G.generators:
        for box in boxes:
            image = tuple(box[i] for i in g)
            hits = [b for b in boxes if all(u.overlaps(v) for u, v in zip(image, b))]
            assert len(hits) == 1


def test_orbits_and_invariant_vectors():
    G = SymmetryGroup(3, ((1, 0, 2),))
    assert G.order == 2
    pts = np.array([[1.0, 2.0, 3.0]])
    assert G.orbits(pts).tolist() == [[1.0, 2.0, 3.0], [2.0, 1.0, 3.0]]
    v = G.invariant(np.array([1.0, 3.0, 5.0]))
    assert v.tolist() == [2.0, 2.0, 5.0]
    with pytest.raises(ValueError, match="not a permutation"):
        SymmetryGroup(3, ((0, 0, 1),))
