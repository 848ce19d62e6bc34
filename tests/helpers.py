"""Small oracles shared by several test modules (no grobnet logic in here)."""


def boxes_pair_up(a, b):
    """Whether the real solution boxes of two answers pair up one-to-one by overlap
    (brute force over small lists)."""
    if len(a) != len(b):
        return False
    free = list(range(len(b)))
    for s in a:
        hits = [j for j in free
                if all(x.overlaps(y) for x, y in zip(s.intervals, b[j].intervals))]
        if len(hits) != 1:
            return False
        free.remove(hits[0])
    return True


def system_arrays(systems_dir, name):
    """``(variables, integer polynomials)`` of ``systems_dir/name.ms``; skips the test
    when the file is missing."""
    import os

    import pytest

    from grobnet.engine.convert import integer_input
    from grobnet.frontend.io import read_msolve
    path = os.path.join(systems_dir, f"{name}.ms")
    if not os.path.exists(path):
        pytest.skip(f"{name}.ms not found")
    return integer_input(read_msolve(path))


def same_bases(A, B):
    """Whether two engine bases (lists of (exponents, coefficients) arrays) are equal."""
    import numpy as np
    return len(A) == len(B) and all(np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
                                    for a, b in zip(A, B))
