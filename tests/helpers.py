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
