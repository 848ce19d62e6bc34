"""The compiled core is importable and its monomial orders agree with sympy's."""
import itertools
import random

import pytest
from sympy.polys.orderings import grevlex as sympy_grevlex, lex as sympy_lex

from grobnet.engine import _core


def _sympy_sorted(monos, key):
    return sorted(monos, key=key, reverse=True)


@pytest.mark.parametrize("order,key", [("grevlex", sympy_grevlex), ("lex", sympy_lex)])
def test_sort_matches_sympy(order, key):
    rng = random.Random(7)
    for nvars in (1, 2, 3, 5):
        monos = list({tuple(rng.randint(0, 4) for _ in range(nvars)) for _ in range(60)})
        perm = _core.sort_monomials(monos, order)
        ours = [monos[i] for i in perm]
        assert ours == _sympy_sorted(monos, key)


def test_block_order_is_elimination():
    # x0 > x1 | x2: anything with x0 or x1 beats any pure-x2 monomial
    monos = [(0, 0, 9), (1, 0, 0), (0, 1, 0), (0, 0, 1)]
    perm = _core.sort_monomials(monos, "block", blocks=(2, 1))
    assert [monos[i] for i in perm][-2:] == [(0, 0, 9), (0, 0, 1)]
    # inside a block, grevlex
    for a, b in itertools.permutations(monos[:3], 2):
        c = _core.compare_monomials(a, b, "block", blocks=(2, 1))
        assert c == -_core.compare_monomials(b, a, "block", blocks=(2, 1))


def test_bad_order_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown monomial order"):
        _core.sort_monomials([(1, 2)], "degrevlexx")
    with pytest.raises(ValueError, match="sum to the 3 variables"):
        _core.sort_monomials([(1, 2, 3)], "block", blocks=(1, 1))
