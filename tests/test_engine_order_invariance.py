"""The F4 engine's answer must not depend on the variable order.

Renaming variables changes the Groebner basis but not the Krull dimension nor the
degree of the ideal; known counts (katsura-n: 2^n, cyclic-5: 70) are the oracle.
"""
import numpy as np
import pytest

from grobnet.engine import _core
from grobnet.engine.convert import as_system, to_raw
from grobnet.exact.hilbert import dimension_and_degree
from grobnet.frontend.io import read_msolve


@pytest.mark.parametrize("name,degree", [("katsura6.ms", 64), ("katsura7.ms", 128), ("cyclic5.ms", 70)])
@pytest.mark.parametrize("modulus", [65521, 2147483629])
def test_degree_is_the_same_under_every_variable_order(systems_dir, name, degree, modulus):
    s = read_msolve(systems_dir / name)
    raw = to_raw(as_system(s), modulus)
    n = s.nvars
    rng = np.random.default_rng(11)
    perms = [list(range(n)), list(range(n))[::-1]] + [list(rng.permutation(n)) for _ in range(4)]
    for perm in perms:
        permuted = [(np.ascontiguousarray(e[:, perm]), c) for e, c in raw]
        basis, _ = _core.f4(permuted, n, modulus)
        lms = [tuple(int(v) for v in exps[0]) for exps, _ in basis]
        assert dimension_and_degree(lms, n) == (0, degree), f"variable order {perm}"
