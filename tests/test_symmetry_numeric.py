"""Symmetry in the hybrid route (#17 item 5): one path and one Krawczyk test per orbit.

Oracles: the exact route (RUR over Q) for the real solution count, the route without
the group for the whole certified set (boxes matched one to one), hand-solved toy
systems, and hand-built permutations that are not symmetries (they must be refused
before anything is tracked or certified).
"""
from fractions import Fraction

import numpy as np
import pytest

import grobnet
from grobnet.engine.convert import integer_input
from grobnet.exact.probe import probe_dimension
from grobnet.frontend import GeneralizedL2, L2, Network, gradient_system
from grobnet.frontend.symmetry import hidden_unit_permutations
from grobnet.numeric.certify import certify_orbits, certify_solutions
from grobnet.numeric.monodromy import MonodromySolver
from grobnet.numeric.orbits import OrbitSet, check_equivariance, fixed_space, group_elements
from grobnet.numeric.route import hybrid_solutions, resolve_symmetry, system_symmetry

THREE = ([[1], [2], [-1]], [[1], [0], [2]])
FIVE = ([[-1], [Fraction(-1, 2)], [0], [Fraction(1, 2)], [1]],
        [[1], [0], [Fraction(-1, 3)], [0], [1]])


def _net_system(widths, activation, bias, data, reg):
    net = Network(widths, activation=activation, bias=bias)
    S = gradient_system(net, data, reg=reg)
    names, polys = integer_input(S)
    return net, S, names, polys


def _wrong_swap(net, n):
    """Swap the incoming weights of hidden units 0 and 1 only (not their outgoing ones):
    not a symmetry of the loss."""
    wrong = list(range(n))
    a, b = net.index("w1_0_0"), net.index("w1_1_0")
    wrong[a], wrong[b] = wrong[b], wrong[a]
    return tuple(wrong)


def _matched(boxes_a, boxes_b):
    """Each box of ``a`` overlaps exactly one of ``b`` and vice versa."""
    def hits(box, others):
        return sum(all(u.overlaps(v) for u, v in zip(box, o)) for o in others)
    return all(hits(a, boxes_b) == 1 for a in boxes_a) and \
        all(hits(b, boxes_a) == 1 for b in boxes_b)


# ---------------------------------------------------------------- exact checks
def test_a_wrong_group_is_refused_everywhere():
    net, S, names, polys = _net_system([1, 2, 1], "z+z^2", True, FIVE, L2(Fraction(1, 10)))
    n = len(names)
    (swap,) = hidden_unit_permutations(net)
    wrong = _wrong_swap(net, n)
    check_equivariance(polys, group_elements([swap], n))          # the true one passes
    with pytest.raises(ValueError, match="not a symmetry"):
        check_equivariance(polys, group_elements([wrong], n))
    with pytest.raises(ValueError, match="not a symmetry"):
        hybrid_solutions(polys, names, 465, symmetry=[wrong])
    with pytest.raises(ValueError, match="not a symmetry"):
        MonodromySolver(polys, n, 465, group=[wrong])
    with pytest.raises(ValueError, match="not a symmetry"):
        certify_orbits(polys, n, np.zeros((1, n)), [wrong])
    with pytest.raises(ValueError, match="not a symmetry"):
        grobnet.solve(S, method="hybrid", symmetry=[wrong])
    with pytest.raises(ValueError, match="symmetry must be"):
        grobnet.solve(S, method="hybrid", symmetry="yes")


def test_auto_finds_the_group_only_where_it_is_proven():
    _, S, names, polys = _net_system([1, 3, 1], "z^2", False, THREE, L2(Fraction(1, 10)))
    group = resolve_symmetry(S, names, polys, "auto")
    assert group.order == 6 and len(group.generators) == 2       # S_3
    assert resolve_symmetry(S, names, polys, None) is None
    _, S2, names2, polys2 = _net_system([1, 3, 1], "z^2", False, THREE, GeneralizedL2(seed=1))
    assert system_symmetry(S2, names2) is None
    assert resolve_symmetry(S2, names2, polys2, "auto") is None
    # the same group written over another variable order is still a proven symmetry
    rev = tuple(reversed(names))
    G = system_symmetry(S, rev)
    perm = [names.index(v) for v in rev]
    check_equivariance([{tuple(m[i] for i in perm): c for m, c in p.items()}
                        for p in (polys[i] for i in perm)], group_elements(G, len(names)))


def test_group_elements_and_fixed_space():
    assert group_elements(None, 3) is None
    assert group_elements([(0, 1, 2)], 3) is None                 # trivial group
    E = group_elements([(1, 0, 2), (1, 0, 2)], 3)
    assert E.tolist() == [[0, 1, 2], [1, 0, 2]]                  # identity first, no repeats
    # generators: the whole group they generate (S_3 from two transpositions)
    S3 = group_elements([(1, 0, 2), (0, 2, 1)], 3)
    assert len(S3) == 6 and len({tuple(g) for g in S3}) == 6
    with pytest.raises(ValueError, match="not a permutation"):
        group_elements([(0, 0, 2)], 3)
    with pytest.raises(ValueError, match="not a permutation"):
        group_elements([(1, 0)], 3)
    assert fixed_space([(1, 0, 2, 3), (0, 1, 3, 2)], 4).tolist() == [0, 0, 2, 2]


def test_orbit_set_counts_points_with_a_stabiliser_once():
    E = group_elements([(1, 0)], 2)
    S = OrbitSet(2, 1e-8, E)
    assert S.add(np.array([[1.0, 2.0], [3.0, 3.0], [2.0, 1.0 + 1e-12]])).tolist() == [0, 1, 0]
    assert len(S) == 2 and S.size == 3                           # orbits of size 2 and 1
    assert S.orbit_sizes.tolist() == [2, 1]
    assert S.find(np.array([[2.0, 1.0], [5.0, 5.0]])).tolist() == [0, -1]


# ------------------------------------------------------------- certification
def test_certify_orbits_proves_the_images():
    # x^2 + y = 3, y^2 + x = 3: the swap maps equation 0 to equation 1.  Solutions: the
    # orbit {(2, -1), (-1, 2)} and the fixed points x = y = (-1 +- sqrt 13) / 2.
    polys = [{(2, 0): 1, (0, 1): 1, (0, 0): -3}, {(0, 2): 1, (1, 0): 1, (0, 0): -3}]
    r = np.sqrt(13.0)
    fixed = [((-1 + r) / 2,) * 2, ((-1 - r) / 2,) * 2]
    reps = np.array([[2.0, -1.0], fixed[0], fixed[1], [-1.0, 2.0]]) + 1e-9
    cert = certify_orbits(polys, 2, reps, [(1, 0)], variables=("x", "y"))
    assert cert.n_certified == 4 and len(cert.real) == 4
    # the fixed points' images are proven to be the points themselves (stabilised);
    # the two representatives of the same orbit give the same two solutions
    assert cert.stats["orbits"] == 4 and cert.stats["stabilised"] == 2
    assert cert.stats["images"] == 6
    full = certify_solutions(polys, 2, np.array([[2.0, -1.0], [-1.0, 2.0], *fixed]),
                             variables=("x", "y"))
    assert _matched([s.intervals for s in cert.real], [s.intervals for s in full.real])
    # the box generated for (-1, 2) from the representative (2, -1) holds it exactly
    hit = [s for s in cert.real if all(iv.contains(v) for iv, v in zip(s.intervals, (-1, 2)))]
    assert len(hit) == 1
    with pytest.raises(ValueError, match="not a symmetry"):
        certify_orbits([polys[0], {(0, 2): 1, (1, 0): 2, (0, 0): -3}], 2, reps, [(1, 0)])


# ------------------------------------------------------------ monodromy + route
@pytest.fixture(scope="module")
def net131():
    """[1,3,1], activation z^2, no bias, plain L2: degree 105, group S_3."""
    _, S, names, polys = _net_system([1, 3, 1], "z^2", False, THREE, L2(Fraction(1, 10)))
    probe = probe_dimension(polys, len(names))
    assert probe.hilbert.dimension == 0
    return S, names, polys, probe.hilbert.degree


def test_same_certified_set_with_and_without_the_group(net131):
    S, names, polys, D = net131
    G = system_symmetry(S, names)
    assert G.order == 6
    with_g = hybrid_solutions(polys, names, D, seed=1, symmetry=G, timeout=120)
    without = hybrid_solutions(polys, names, D, seed=1, timeout=120)
    assert with_g.complete and without.complete, (with_g, without)
    assert with_g.n_certified == without.n_certified == D
    assert _matched([s.intervals for s in with_g.complex], [s.intervals for s in without.complex])
    assert _matched([s.intervals for s in with_g.real], [s.intervals for s in without.real])
    sym = with_g.stats["symmetry"]
    # one path per orbit: orbits are at most |G| = 6 points, some smaller (stabilisers)
    assert D / 6 <= sym["orbits"] < D and sym["orbits"] + sym["generated"] == D
    assert with_g.stats["certify"]["orbits"] == sym["orbits"]
    assert sym["paths"] < without.stats["numeric"][0]["paths"]
    # independent count: the exact route (RUR over Q, real roots isolated exactly)
    exact = grobnet.solve(S, method="exact", seed=1)
    assert exact.complete and len(exact.real) == len(with_g.real)


def test_solve_passes_the_group_down(net131):
    S, names, polys, D = net131
    on = grobnet.solve(S, method="hybrid", seed=2)                 # symmetry="auto"
    off = grobnet.solve(S, method="hybrid", seed=2, symmetry=None)
    assert on.complete and off.complete and on.degree == off.degree == D
    assert on.stats["symmetry"]["group_order"] == 6 and "symmetry" not in off.stats
    assert _matched([s.intervals for s in on.real], [s.intervals for s in off.real])


@pytest.mark.slow
def test_bias_net_with_and_without_the_group():
    """[1,2,1], z+z^2, bias, plain L2 (degree 465, the shared nn_121_sq_bias_l2 net)."""
    _, S, names, polys = _net_system([1, 2, 1], "z+z^2", True, FIVE, L2(Fraction(1, 10)))
    D = probe_dimension(polys, len(names)).hilbert.degree
    assert D == 465
    G = system_symmetry(S, names)
    with_g = hybrid_solutions(polys, names, D, seed=1, symmetry=G, timeout=300)
    without = hybrid_solutions(polys, names, D, seed=1, timeout=300)
    assert with_g.complete and without.complete
    assert _matched([s.intervals for s in with_g.real], [s.intervals for s in without.real])
    assert _matched([s.intervals for s in with_g.complex], [s.intervals for s in without.complex])
    assert with_g.stats["symmetry"]["paths"] < without.stats["numeric"][0]["paths"]
