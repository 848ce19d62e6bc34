"""``Solutions``: what :func:`grobnet.solve` returns, whatever route produced it."""
from __future__ import annotations

from dataclasses import dataclass, field

from grobnet.common.evaluate import evaluate_on_box

__all__ = ["Solutions"]


@dataclass
class Solutions:
    """The answer of :func:`solve`.

    ``dimension``: -1 (no solution), 0 (finitely many) or the Krull dimension;
    ``degree``: number of complex solutions with multiplicity (dimension 0);
    ``real``: certified :class:`~grobnet.exact.realroots.RealSolution` boxes (or
    ``None`` when not computed); ``complex``: ``ComplexSolution`` boxes or
    ``None``; ``rur``: the rational univariate representation; ``complete``:
    ``False`` with a ``reason`` when anything was cut short or not solved;
    ``route``: how the solutions were certified.
    """

    variables: tuple
    dimension: int
    degree: int
    real: list | None = None
    complex: list | None = None
    rur: RationalUnivariateRepresentation | None = None
    complete: bool = True
    reason: str = ""
    route: str = ""
    stats: dict = field(default_factory=dict)

    def __iter__(self):
        return iter(self.real or [])

    def __len__(self):
        return len(self.real or [])

    def check(self, polys) -> bool:
        """Whether every polynomial of ``polys`` (fmpq/fmpz_mpoly) contains 0 over every
        real box: a necessary condition, cheap; the boxes are certified by construction."""
        return all(evaluate_on_box(f, s.intervals).contains(0)
                   for s in (self.real or []) for f in polys)

    def __repr__(self):
        if self.dimension < 0:
            body = "no solution"
        elif self.dimension > 0:
            body = f"positive-dimensional (dimension {self.dimension}, degree {self.degree})"
        else:
            body = f"{self.degree} complex solutions with multiplicity"
            if self.rur is not None:
                body += f" ({self.rur.n_solutions} distinct)"
            elif self.route.startswith("hybrid") and self.complete:
                body += f" ({self.degree} distinct, each certified)"
            if self.real is not None:
                body += f", {len(self.real)} real"
        state = "complete" if self.complete else f"INCOMPLETE: {self.reason}"
        return f"Solutions({len(self.variables)} variables, {body}; {state})"
