"""Turn run results into a CSV, markdown tables (times, grobnet/peer ratios, memory) and a plot.

Everything here is presentation: the numbers come from :mod:`harness`.
"""
from __future__ import annotations

import csv
import json
import os
import platform
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from harness import RunResult

__all__ = ["write_csv", "markdown_report", "time_table", "memory_table", "plot_times",
           "machine_description", "CSV_FIELDS", "format_time", "format_ratio"]

CSV_FIELDS = ("system", "suite", "mode", "engine", "status", "time_s", "wall_s", "rss_mb",
              "base_rss_mb", "timeout_s", "dimension", "degree", "n_real", "n_lead",
              "lead_digest", "domain", "agrees", "disagrees_with", "note", "error", "stats")


def _row(r: RunResult) -> dict:
    fp = r.fingerprint
    return {
        "system": r.system, "suite": r.suite, "mode": r.mode, "engine": r.engine,
        "status": r.status,
        "time_s": "" if r.time is None else f"{r.time:.6f}",
        "wall_s": "" if r.wall is None else f"{r.wall:.4f}",
        "rss_mb": "" if r.rss_mb is None else r.rss_mb,
        "base_rss_mb": "" if r.base_rss_mb is None else r.base_rss_mb,
        "timeout_s": "" if r.timeout is None else r.timeout,
        "dimension": "" if fp is None or fp.dimension is None else fp.dimension,
        "degree": "" if fp is None or fp.degree is None else fp.degree,
        "n_real": "" if fp is None or fp.n_real is None else fp.n_real,
        "n_lead": "" if fp is None or fp.lead is None else len(fp.lead),
        "lead_digest": "" if fp is None else fp.lead_digest(),
        "domain": "" if fp is None else fp.domain,
        "agrees": {None: "", True: "yes", False: "NO"}[r.agrees],
        "disagrees_with": " ".join(r.disagrees_with),
        "note": r.note, "error": r.error,
        "stats": json.dumps(r.stats, sort_keys=True) if r.stats else "",
    }


def write_csv(results: Sequence[RunResult], path: Path) -> Path:
    """One line per run, columns :data:`CSV_FIELDS`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=CSV_FIELDS)
        w.writeheader()
        for r in results:
            w.writerow(_row(r))
    return path


def format_time(r: Optional[RunResult]) -> str:
    """A table cell for one run's time: ``0.123``, ``timeout (>600 s)``, ``error`` or ``—``."""
    if r is None:
        return "—"
    if r.status == "timeout":
        return f"timeout (>{r.timeout:g} s)"
    if r.status != "ok":
        return "error"
    mark = "" if r.agrees is not False else " **DISPUTED**"   # differs from most other answers
    return f"{r.time:.3f}{mark}"


def format_ratio(ours: Optional[RunResult], peer: Optional[RunResult]) -> str:
    """``ours.time / peer.time`` to two significant digits, with bounds when one timed out."""
    if ours is None or peer is None:
        return "—"
    if ours.status == "ok" and peer.status == "ok":
        if peer.time <= 0:
            return "—"
        return _ratio(ours.time / peer.time)
    if ours.status == "ok" and peer.status == "timeout":
        return "<" + _ratio(ours.time / peer.timeout)
    if ours.status == "timeout" and peer.status == "ok" and peer.time > 0:
        return ">" + _ratio(ours.timeout / peer.time)
    return "—"


def _ratio(x: float) -> str:
    """Two significant digits, without exponent notation for large ratios (240, not 2.4e+02)."""
    return f"{x:.0f}" if x >= 100 else f"{x:.2g}"


def _index(results):
    by: Dict[str, Dict[str, RunResult]] = {}
    order: List[str] = []
    for r in results:
        if r.system not in by:
            order.append(r.system)
        by.setdefault(r.system, {})[r.engine] = r
    return order, by


def _answer(rs: Dict[str, RunResult]) -> str:
    """The answer all agreeing engines gave, or a loud mark when they did not agree."""
    fps = [r.fingerprint for r in rs.values() if r.status == "ok" and r.fingerprint]
    if not fps:
        return "—"
    if any(r.disagrees_with for r in rs.values()):
        return "**DISAGREE**"
    best = max(fps, key=lambda f: len(f.summary()))
    return best.summary()


def time_table(results: Sequence[RunResult], engines: Sequence[str], reference: str = "grobnet"
               ) -> str:
    """Markdown: one row per system, seconds per engine, then ``reference``/peer ratios."""
    order, by = _index(results)
    engines = [e for e in engines if any(e in by[s] for s in order)]
    peers = [e for e in engines if e != reference] if reference in engines else []
    head = ["system"] + [f"{e} (s)" for e in engines] + [f"{reference}/{p}" for p in peers]
    head.append("answer")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for s in order:
        rs = by[s]
        cells = [s] + [format_time(rs.get(e)) for e in engines]
        cells += [format_ratio(rs.get(reference), rs.get(p)) for p in peers]
        cells.append(_answer(rs))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def memory_table(results: Sequence[RunResult], engines: Sequence[str]) -> str:
    """Markdown: peak RSS (MB) per system and engine.

    In-process engines (grobnet, sympy, flint) include the Python interpreter
    and its imports; for them the cell also shows ``(+growth)``, the peak
    minus the worker's RSS just before the computation.
    """
    order, by = _index(results)
    engines = [e for e in engines if any(e in by[s] for s in order)]
    head = ["system"] + [f"{e} (MB)" for e in engines]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for s in order:
        cells = [s]
        for e in engines:
            r = by[s].get(e)
            if r is None or r.rss_mb is None or r.status != "ok":
                cells.append("—")
            elif r.base_rss_mb is not None:
                cells.append(f"{r.rss_mb:.0f} (+{max(r.rss_mb - r.base_rss_mb, 0):.0f})")
            else:
                cells.append(f"{r.rss_mb:.0f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine_description() -> str:
    """CPU model, core count, memory and OS, for the header of every report."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as fh:
            kb = int(fh.readline().split()[1])
            mem = f", {kb / 2**20:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (f"{cpu}, {os.cpu_count()} logical cores{mem}, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}; every run on one thread")


def markdown_report(results: Sequence[RunResult], engines: Sequence[str], title: str,
                    skipped: Dict[str, str], disagreements: Sequence, extra: str = "") -> str:
    """The markdown report: machine, skipped engines, disagreements, time and memory tables."""
    parts = [f"# {title}", "", f"Machine: {machine_description()}.", ""]
    if extra:
        parts += [extra, ""]
    if disagreements:
        parts += ["## DISAGREEMENTS (a fast wrong answer is still wrong)", ""]
        parts += [f"- {d}" for d in disagreements] + [""]
    if skipped:
        parts += ["Skipped engines: " + "; ".join(f"{e}: {why}" for e, why in skipped.items()),
                  ""]
    failed = [r for r in results if r.status == "error"]
    if failed:
        parts += ["Errors: " + "; ".join(f"{r.engine} on {r.system}: {r.error}" for r in failed),
                  ""]
    parts += ["## Time (seconds)", "", time_table(results, engines), "",
              "## Peak memory (RSS)", "", memory_table(results, engines), ""]
    return "\n".join(parts)


def plot_times(results: Sequence[RunResult], engines: Sequence[str], path: Path,
               title: str = "") -> Optional[str]:
    """Time vs problem (log scale), one line per engine, saved to ``path``.

    Returns ``None`` on success, or a note saying why no plot was made
    (matplotlib missing, nothing to plot).
    """
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib not installed: no plot (pip install matplotlib)"
    order, by = _index(results)
    if not order:
        return "no results to plot"
    fig, ax = plt.subplots(figsize=(max(6.0, 0.7 * len(order) + 2), 4.5))
    x = list(range(len(order)))
    plotted = False
    for e in engines:
        # NaN where the engine did not run or failed: the line breaks there instead of
        # joining two systems it skipped between
        ys = [by[s][e].time if e in by[s] and by[s][e].status == "ok" and by[s][e].time > 0
              else float("nan") for s in order]
        if any(y == y for y in ys):
            ax.plot(x, ys, marker="o", label=e)
            plotted = True
    if not plotted:
        plt.close(fig)
        return "no successful run to plot"
    ax.set_yscale("log")
    ax.set_xticks(x)
    ax.set_xticklabels(order, rotation=35, ha="right")
    ax.set_ylabel("time (s, log scale)")
    ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize="small")
    fig.tight_layout()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return None
