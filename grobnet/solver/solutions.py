"""``Solutions``: what :func:`grobnet.solve` returns, whatever route produced it."""
from __future__ import annotations

from dataclasses import dataclass, field

from grobnet.common.boxes import working_precision
from grobnet.common.evaluate import PolyEvaluator
from grobnet.common.guarantee import Guarantee

__all__ = ["Solutions"]


@dataclass
class Solutions:
    """The answer of :func:`solve`.

    ``dimension``: -1 (no solution), 0 (finitely many) or the Krull dimension;
    ``degree``: number of complex solutions with multiplicity (dimension 0); both
    ``None`` when unknown (the dimension probe was cut by the timeout: the listed
    solutions are proven, ``complete`` is ``False``);
    ``real``: certified :class:`~grobnet.common.boxes.RealSolution` boxes (or
    ``None`` when not computed); ``complex``: ``ComplexSolution`` boxes or
    ``None``; ``rur``: the rational univariate representation; ``complete``:
    ``False`` with a ``reason`` when anything was cut short, not solved or not
    verified; ``route``: how the solutions were certified; ``guarantee``: what the
    answer rests on (:class:`~grobnet.common.guarantee.Guarantee`: ``"proof"``, or
    ``"monte-carlo"`` with its error bound); ``stats["seed"]`` replays the run.
    """

    variables: tuple
    dimension: int | None
    degree: int | None
    real: list | None = None
    complex: list | None = None
    rur: RationalUnivariateRepresentation | None = None
    complete: bool = True
    reason: str = ""
    route: str = ""
    stats: dict = field(default_factory=dict)
    guarantee: Guarantee | None = None

    def __iter__(self):
        return iter(self.real or [])

    def __len__(self):
        return len(self.real or [])

    def check(self, polys) -> bool:
        """Whether every polynomial of ``polys`` (fmpq/fmpz_mpoly) contains 0 over every
        real and complex box: a necessary condition, cheap, run by :func:`solve` on every
        answer (the boxes are certified by construction; this catches a box that does not
        belong to the system)."""
        evaluators = [PolyEvaluator(f) for f in polys]
        with working_precision(64):       # enclosures at any precision contain the value
            return all(e.ball(list(s.intervals)).contains(0)
                       for s in [*(self.real or []), *(self.complex or [])] for e in evaluators)

    def _body(self) -> str:
        if self.dimension is None:
            body = "dimension and degree unknown"
            if self.complex is not None:
                body += f", {len(self.complex)} certified complex solutions"
            if self.real is not None:
                body += f", {len(self.real)} certified real"
            return body
        if self.dimension < 0:
            return "no solution"
        if self.dimension > 0:
            return f"positive-dimensional (dimension {self.dimension}, degree {self.degree})"
        body = f"{self.degree} complex solutions with multiplicity"
        if self.rur is not None:
            body += f" ({self.rur.n_solutions} distinct)"
        elif self.route.startswith("hybrid") and self.complete:
            body += f" ({self.degree} distinct, each certified)"
        if self.real is not None:
            body += f", {len(self.real)} real"
        return body

    def summary(self) -> str:
        """A few lines: the answer, whether it is complete, and what it rests on."""
        lines = [f"{len(self.variables)} variables: {self._body()}",
                 "complete" if self.complete else f"INCOMPLETE: {self.reason}"]
        if self.route:
            lines.append(f"route: {self.route}")
        if self.guarantee is not None:
            lines.append(f"guarantee: {self.guarantee}")
        return "\n".join(lines)

    def __repr__(self):
        state = "complete" if self.complete else f"INCOMPLETE: {self.reason}"
        if self.guarantee is not None:
            state += f"; {self.guarantee.short()}"
        return f"Solutions({len(self.variables)} variables, {self._body()}; {state})"
