"""Pictures of a loss around its critical points: the loss along lines through them.

A loss in many parameters cannot be drawn, but its restriction to a line can.
For a finite set of critical points the lines are the segments from the
lowest point (the global minimum) to each other point, extended a little on both
sides, so every critical point appears as a marked point at ``t = 0`` or
``t = 1`` and one sees the barrier between minima and the saddles between them.
For a positive-dimensional critical set (no list of points) the lines go in
random directions through witness points (slice samples, or else gradient
descent limits), and the exact critical values are drawn as horizontal lines:
the loss touches them at the witness points.

:func:`loss_lines` computes the curves (numpy only); :func:`plot_critical_points`
draws them with matplotlib, an optional dependency (``pip install matplotlib``,
or the ``bench`` extra), and raises :class:`PlotUnavailable` when it is missing.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from grobnet.analysis.descent import gradient_descent
from grobnet.common.evaluate import PolyEvaluator

__all__ = ["LossLine", "PlotUnavailable", "loss_lines", "plot_critical_points"]


class PlotUnavailable(ImportError):
    """matplotlib, needed for plots, is not installed."""


@dataclass
class LossLine:
    """The loss along ``origin + t * direction`` for the parameters ``t``.

    ``points`` are the sampled parameter vectors (one row per ``t``), ``loss`` the
    loss there; ``marks`` are ``(t, loss, label)`` of critical points on the line.
    """

    label: str
    origin: np.ndarray
    direction: np.ndarray
    t: np.ndarray
    points: np.ndarray
    loss: np.ndarray
    marks: list = field(default_factory=list)

    @property
    def distance(self) -> np.ndarray:
        """Signed Euclidean distance from ``origin`` of every sample (``t·|direction|``)."""
        return self.t * float(np.linalg.norm(self.direction))


def _short(p) -> str:
    return p.label.replace("saddle (index ", "saddle ").replace(")", "")


def _witnesses(result, seed):
    """Witness points of a positive-dimensional result: its sampled points, else descent limits."""
    if result.points:
        # one witness per loss level first, so the lines visit every critical value
        by_level: dict = {}
        for p in sorted(result.points, key=lambda q: float(q.loss.mid())):
            by_level.setdefault(round(float(p.loss.mid()), 9), []).append(p)
        order = []
        while any(by_level.values()):
            for key in list(by_level):
                if by_level[key]:
                    order.append(by_level[key].pop(0))
        return [(np.array(p.solution.floats()),
                 f"witness L={float(p.loss.mid()):.4g} ({_short(p)})") for p in order]
    runs = [r for r in gradient_descent(result.system.loss, starts=8, seed=seed, max_iter=4000)
            if r.converged]
    return [(r.point, "descent limit") for r in runs]


def _fit_direction(L, centre, direction, levels, probes: int = 41):
    """Halve ``direction`` until the loss on ``centre + [-1, 1]·direction`` stays within a few
    times the critical-value range, so a steep (high-degree) loss still shows its shape."""
    base = float(L.floats(centre))
    top = max([abs(base)] + [abs(v) for v in levels])
    cap = base + 4.0 * max(top, 0.1)
    t = np.linspace(-1.0, 1.0, probes)
    for _ in range(40):
        vals = L.floats(centre[None, :] + t[:, None] * direction[None, :])
        if np.all(np.isfinite(vals)) and vals.max() <= cap:
            break
        direction = direction / 2.0
    return direction


def loss_lines(result, *, lines: int = 6, seed: int = 0, samples: int = 201,
               extend: float = 0.25) -> list:
    """The curves of :func:`plot_critical_points` (see the module docstring) as :class:`LossLine`.

    ``result`` is a :class:`~grobnet.analysis.critical_points.CriticalPoints`; at most
    ``lines`` curves are made, each sampled at ``samples`` values of ``t``.
    """
    if lines < 1 or samples < 2:
        raise ValueError(f"need lines >= 1 and samples >= 2, got {lines} and {samples}")
    L = PolyEvaluator(result.system.loss)
    n = result.system.nvars
    rng = np.random.default_rng(seed)
    specs = []          # (label, origin, direction, t range, marks as (t, label))
    if result.dimension is None or result.dimension <= 0:      # points (None: a partial list)
        pts = sorted(result.points, key=lambda p: float(p.loss.mid()))
        if len(pts) >= 2:
            base = np.array(pts[0].solution.floats())
            for k, other in enumerate(pts[1:lines + 1], start=1):
                end = np.array(other.solution.floats())
                specs.append((f"#0 -> #{k}", base, end - base, (-extend, 1 + extend),
                              [(0.0, f"#0 {_short(pts[0])}"), (1.0, f"#{k} {_short(other)}")]))
        else:
            centre = np.array(pts[0].solution.floats()) if pts else np.zeros(n)
            marks = [(0.0, f"#0 {_short(pts[0])}")] if pts else []
            scale = max(1.0, float(np.max(np.abs(centre))))
            for k in range(lines):
                d = rng.normal(size=n)
                specs.append((f"random line {k + 1}", centre, d / np.linalg.norm(d) * scale,
                              (-1.0, 1.0), marks))
    else:
        wit = _witnesses(result, seed)
        if not wit:
            wit = [(np.zeros(n), "origin")]
        levels = [float(v) for v in result.values.values] if result.values is not None else []
        for k in range(lines):
            centre, label = wit[k % len(wit)]
            d = rng.normal(size=n)
            d = d / np.linalg.norm(d) * max(1.0, float(np.max(np.abs(centre))))
            d = _fit_direction(L, centre, d, levels)
            specs.append((f"line {k + 1} through {label}", centre, d, (-1.0, 1.0),
                          [(0.0, label)]))
    out = []
    for label, origin, direction, (a, b), marks in specs:
        t = np.linspace(a, b, samples)
        for tm, _ in marks:               # sample the marked points exactly
            t = np.union1d(t, [tm])
        points = origin[None, :] + t[:, None] * direction[None, :]
        loss = L.floats(points)
        mk = [(tm, float(loss[np.searchsorted(t, tm)]), ml) for tm, ml in marks]
        out.append(LossLine(label, origin, direction, t, points, loss, mk))
    return out


def plot_critical_points(result, path, *, lines: int = 6, seed: int = 0, samples: int = 201,
                         title: str | None = None) -> list:
    """Draw :func:`loss_lines` of ``result`` into the image file ``path`` (PNG, SVG, PDF by
    extension) and return the lines drawn."""
    try:
        import matplotlib
        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise PlotUnavailable("plotting needs matplotlib, which is not installed: "
                              "pip install matplotlib (or grobnet's 'bench' extra)") from exc
    curves = loss_lines(result, lines=lines, seed=seed, samples=samples)
    fig, ax = plt.subplots(figsize=(8, 5), dpi=110)
    try:
        marked = []
        for k, c in enumerate(curves):
            colour = f"C{k % 10}"
            scale = float(np.linalg.norm(c.direction))
            ax.plot(c.distance, c.loss, color=colour, lw=1.4, label=c.label)
            for tm, lm, text in c.marks:
                marked.append(lm)
                ax.plot([tm * scale], [lm], "o", color=colour, ms=6, mec="black", mew=0.6)
                ax.annotate(text, (tm * scale, lm), textcoords="offset points", xytext=(4, 6),
                            fontsize=7)
        levels = []
        if result.values is not None:
            for v in result.values.values:
                levels.append(float(v))
                text = str(v.exact) if v.exact is not None else f"{float(v):.6g}"
                ax.axhline(float(v), color="grey", ls="--", lw=0.9)
                ax.annotate(f"L = {text} (dim {v.dimension})", (1.0, float(v)),
                            xycoords=("axes fraction", "data"), ha="right", va="bottom",
                            fontsize=7, color="dimgrey")
        allv = np.concatenate([c.loss for c in curves])
        allv = allv[np.isfinite(allv)]
        low = min([float(allv.min())] + marked + levels)
        ref = marked + levels or [float(np.median(allv))]
        span = max(max(ref) - low, 1e-3 * max(1.0, abs(low)))
        high = max(ref) + 1.5 * span
        ax.set_ylim(low - 0.1 * span, high)
        ax.set_xlabel("distance along the line from its first marked point")
        ax.set_ylabel("loss")
        kind = "critical points" if result.dimension == 0 else \
            "certified critical points (dimension unknown)" if result.dimension is None else \
            f"positive-dimensional critical set (dimension {result.dimension})"
        ax.set_title(title or f"Loss along lines through the {kind}", fontsize=10)
        ax.legend(fontsize=7, loc="upper left")
        fig.tight_layout()
        fig.savefig(path)
    finally:
        plt.close(fig)
    return curves
