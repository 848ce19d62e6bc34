"""Critical points of growing networks: grobnet against msolve, with counts by kind.

    python benchmarks/bench_networks.py                        # every family, 600 s per case
    python benchmarks/bench_networks.py --timeout 60           # a first, quick table
    python benchmarks/bench_networks.py --families width,deep --timeout 120
    python benchmarks/bench_networks.py --families width --only 1-2-1 --timeout 600

Families (MSE loss, generalized L2 with per-weight weights from seed 1, random
data of seed 0 with coordinates k/10 in [-3, 3] -- on [-1, 1] the regularization
dominates and the origin is often the only real critical point):

``width``   [1,h,1], activation z+z^2, bias, 8 points, h = 1..5
``xor``     XOR [2,2,1] and [2,3,1], z+z^2, bias, the 4 XOR points
``deep``    deep linear [1,1,...,1] (identity, no bias), depth 2..6, 4 points
``data``    [2,1,1], z+z^2, bias, m = 4, 8, 16, 32, 64 points
``scale``   issue 17's ladder toward degree 20,000+: [1,2,1], [1,3,1] on the five points of
            the shared ``nn_1h1`` files, XOR [2,2,1] (these three are the shared systems
            exactly), [3,2,1] on 6 random points, XOR [2,3,1], [1,4,1], [2,2,2,1] (no
            bias) on XOR, [1,5,1]; all z+z^2, generalized L2
``nobias``  the same nets without biases (session 13): [1,h,1], h = 4..7, on the five
            points (D = 853, 2,721, 8,413, then about 3.1x per unit of width: such a net
            computes A x + B x^2, the data only set the loss in (A, B)), [3,2,1] on 6
            random points (D = 7,349), XOR [2,3,1] (D = 7,909)

Peers: msolve (real solving over Q) and PHCpack (``phc -b``, numerical; Debian
``phcpack``), each in its own process with the same timeout.  Peak memory is the
computing process's own (``wait4``; grobnet's process-pool workers are not counted).
With matplotlib, a log-log plot of time against degree is written next to the table.

For every case grobnet runs ``critical_points`` (exact real critical points,
certified loss and Hessian type) in its own process, and msolve real-solves the
same system exported as an msolve file, each with the per-case ``--timeout``
(one thread each, runs never overlap; see :mod:`harness`).  The table gives
both times, the number of real critical points by kind (minimum, saddle of
index k, degenerate), whether msolve's and PHCpack's real counts agree, and per family the
largest network grobnet solved within the timeout.  Within a family the cases
grow; after grobnet's first timeout the larger members are not run (marked
``skipped``), msolve still is.

Results: ``benchmarks/results/networks_<stamp>.{csv,md}``.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
import time
from collections import Counter
from fractions import Fraction
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from checkout import use_checkout_build  # noqa: E402

use_checkout_build()                     # this checkout's grobnet if built in place

from engines import single_thread_env   # noqa: E402
from harness import run_isolated        # noqa: E402

RESULTS = HERE / "results"


@dataclass(frozen=True)
class Case:
    """One network problem of a family."""

    family: str
    widths: tuple
    activation: str
    bias: bool
    data: str          # "xor", "five" (the shared files' points) or "random:M"
    reg_seed: int = 1  # seed of the generalized L2 weights

    @property
    def name(self) -> str:
        net = "-".join(map(str, self.widths))
        act = {"identity": "lin", "z+z^2": "zz2"}.get(self.activation, self.activation)
        seed = f"_s{self.reg_seed}" if self.reg_seed != 1 else ""
        return (f"{self.family}_{net}_{act}{'_b' if self.bias else ''}"
                f"_{self.data.replace(':', '')}{seed}")

    def build(self):
        """``(network, data, gradient system)`` of the case (generalized L2, seed 1)."""
        from grobnet.frontend import (Dataset, GeneralizedL2, Network, gradient_system,
                                      random_dataset, xor)
        net = Network(list(self.widths), activation=self.activation, bias=self.bias)
        if self.data == "xor":
            data = xor()
        elif self.data == "five":
            data = Dataset(FIVE_X, FIVE_Y)
        else:
            data = random_dataset(int(self.data.split(":")[1]), net.n_inputs, net.n_outputs, seed=0,
                                  bound=3)
        return net, data, gradient_system(net, data, reg=GeneralizedL2(seed=self.reg_seed),
                                          name=self.name)


#: the points of the shared ``nn_1h1_*`` systems (same moments as the files; see
#: tests/test_frontend.py::test_reproduces_shared_network_systems)
FIVE_X = [[-1], [Fraction(-1, 2)], [0], [Fraction(1, 2)], [1]]
FIVE_Y = [[1], [0], [Fraction(-1, 3)], [0], [1]]


FAMILIES = {
    "width": [Case("width", (1, h, 1), "z+z^2", True, "random:8") for h in range(1, 6)],
    "xor": [Case("xor", (2, 2, 1), "z+z^2", True, "xor"),
            Case("xor", (2, 3, 1), "z+z^2", True, "xor")],
    "deep": [Case("deep", (1,) * (d + 1), "identity", False, "random:4") for d in range(2, 7)],
    "data": [Case("data", (2, 1, 1), "z+z^2", True, f"random:{m}") for m in (4, 8, 16, 32, 64)],
    "scale": [Case("scale", (1, 2, 1), "z+z^2", True, "five", 1),       # = nn_121_sq_bias_gl2
              Case("scale", (1, 3, 1), "z+z^2", True, "five", 2),       # = nn_131_sq_bias_gl2
              Case("scale", (2, 2, 1), "z+z^2", True, "xor", 3),        # = nn_xor_221_sq_bias_gl2
              Case("scale", (3, 2, 1), "z+z^2", True, "random:6"),
              Case("scale", (2, 3, 1), "z+z^2", True, "xor"),
              Case("scale", (1, 4, 1), "z+z^2", True, "five"),
              Case("scale", (2, 2, 2, 1), "z+z^2", False, "xor"),
              Case("scale", (1, 5, 1), "z+z^2", True, "five")],
    "nobias": [Case("nobias", (1, h, 1), "z+z^2", False, "five") for h in (4, 5, 6, 7)] +
              [Case("nobias", (3, 2, 1), "z+z^2", False, "random:6"),
               Case("nobias", (2, 3, 1), "z+z^2", False, "xor")],
}
#: families whose members grow strictly: after grobnet's first timeout the rest is skipped
GROWING = ("width", "xor", "deep", "data")


@dataclass
class Row:
    """One line of the table."""

    case: str
    family: str
    network: str
    activation: str
    bias: bool
    data: str
    nvars: int
    grobnet_status: str = ""
    grobnet_time: float | None = None
    complex_degree: int | None = None
    real: int | None = None
    minima: int | None = None
    saddles: str = ""
    degenerate: int | None = None
    global_minimum: float | None = None
    msolve_status: str = ""
    msolve_time: float | None = None
    msolve_real: int | None = None
    agree: bool | None = None
    grobnet_rss_mb: float | None = None
    msolve_rss_mb: float | None = None
    phc_status: str = ""
    phc_time: float | None = None
    phc_degree: int | None = None
    phc_real: int | None = None
    phc_rss_mb: float | None = None
    route: str = ""
    certified: int | None = None
    load: str = ""
    note: str = ""
    kinds: dict = field(default_factory=dict)


# -- the worker: one grobnet run in a child process --------------------------------------

def worker(case_name: str, out: Path, timeout: float | None = None,
           max_memory_mb: float | None = None) -> int:
    """Run ``critical_points`` on the named case and write a JSON summary to ``out``.

    The summary is rewritten at every stage (degree found, numerical solutions found,
    certified), so that a run killed at the harness's timeout still says how far it got;
    ``timeout`` (a little under the harness's) lets grobnet return its certified part
    itself (``complete=False``, "k of D certified"); ``max_memory_mb``: the engine's
    budget for the dimension probe (beyond it, or half the timeout, the degree is unknown
    and the certified part comes back)."""
    from grobnet.analysis import critical_points
    case = next(c for cs in FAMILIES.values() for c in cs if c.name == case_name)
    _, _, system = case.build()
    t0 = time.perf_counter()
    state = {"time": None, "stages": {}, "complete": False, "finished": False}

    def dump():
        tmp = out.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, default=repr))
        os.replace(tmp, out)

    def progress(stage, info):
        if stage == "f4-round":
            state["last_f4_round"] = [info.get(k) for k in ("round", "degree", "rows", "cols")]
            return
        now = round(time.perf_counter() - t0, 2)
        event = info.get("event", "") if isinstance(info, dict) else ""
        key = f"{stage}:{event}" if event else stage
        state["stages"].setdefault(key, now)
        if stage == "dimension" and event == "done":
            state["degree"] = int(info["degree"])
            state["dimension"] = int(info["dimension"])
        if event == "numeric":
            state["found"] = int(info["found"])
        if event == "certified":
            state["certified"] = int(info["certified"])
        if event == "probe cut":
            state["probe_cut"] = info.get("reason", "")
        dump()

    try:
        cp = critical_points(system, digits=20, timeout=timeout, progress=progress,
                             max_memory=None if max_memory_mb is None else
                             int(max_memory_mb * 2 ** 20))
    except Exception as exc:              # a timeout inside grobnet: keep how far it got
        state["error"] = f"{type(exc).__name__}: {exc}"[:300]
        state["time"] = time.perf_counter() - t0
        dump()
        return 0
    seconds = time.perf_counter() - t0
    kinds = Counter(p.label for p in cp.points)
    low = min((float(p.loss.mid()) for p in cp.points), default=None)
    solve_stats = (cp.stats.get("solve") or {}) if isinstance(cp.stats, dict) else {}
    state.update({"time": seconds, "dimension": cp.dimension, "degree": cp.degree,
                  "complete": cp.complete, "reason": cp.reason, "finished": True,
                  "real": len(cp.points), "kinds": dict(kinds), "global_minimum": low,
                  "route": _route(solve_stats.get("route_choice")),
                  "route_choice": solve_stats.get("route_choice")})
    if cp.complete and cp.degree is not None and "certified" not in state:
        state["certified"] = int(cp.degree)
    dump()
    return 0


def _route(choice) -> str:
    """A short account of ``stats["route_choice"]``: the first route, a switch, a fall-back."""
    if not choice:
        return ""
    text = str(choice.get("first", ""))
    if "switched" in choice:
        text += " -> switched"
    if "switched_back" in choice:
        text += " -> back"
    if "fallback" in choice:
        text += f" -> {choice['fallback']} (fall-back)"
    return text


#: seconds before the harness's kill at which grobnet is asked to stop by itself
GRACE = 0.05


def run_grobnet(case: Case, timeout: float, max_memory_mb: float | None = None) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-nets-") as tmp:
        out = Path(tmp) / "result.json"
        inner = max(1.0, timeout * (1 - GRACE) - 5)
        iso = run_isolated([sys.executable, str(Path(__file__).resolve()), "--worker", case.name,
                            "--out", str(out), "--worker-timeout", str(inner)]
                           + ([] if max_memory_mb is None else
                              ["--worker-max-memory", str(max_memory_mb)]), timeout,
                           env=single_thread_env())
        data = json.loads(out.read_text()) if out.exists() else {}
        data["rss_mb"] = iso.maxrss_kb / 1024
        if iso.timed_out or (data and not data.get("finished")):
            data["status"] = "timeout"
            where = [f"{k} at {v:g} s" for k, v in data.get("stages", {}).items()]
            data["note"] = ("; ".join(where[-2:]) + "; " if where else "") + (
                data.get("error") or f"killed at {timeout:g} s") + (
                f"; last F4 round (round, degree, rows, cols) {data['last_f4_round']}"
                if "last_f4_round" in data and "degree" not in data else "")
            return data
        if not data:
            tail = " | ".join((iso.stderr or iso.stdout).strip().splitlines()[-2:])
            return {"status": "error", "note": tail[-200:], "rss_mb": data.get("rss_mb")}
    data["status"] = "ok" if data["complete"] else "incomplete"
    return data


def run_msolve(system, timeout: float) -> dict:
    from grobnet._peers import msolve_command
    from grobnet.exact.msolve_output import parse_real_solutions
    cmd = msolve_command()
    if cmd is None:
        return {"status": "absent"}
    exe, env = cmd
    with tempfile.TemporaryDirectory(prefix="bench-nets-ms-") as tmp:
        src, dst = os.path.join(tmp, "in.ms"), os.path.join(tmp, "out.txt")
        Path(src).write_text(system.to_msolve(integer=True))
        iso = run_isolated([exe, "-t", "1", "-f", src, "-o", dst], timeout,
                           env=single_thread_env(env))
        if iso.timed_out:
            return {"status": "timeout"}
        if iso.returncode != 0 or not os.path.exists(dst):
            return {"status": "error", "note": (iso.stderr or "")[-200:]}
        res = parse_real_solutions(Path(dst).read_text())
    return {"status": "ok", "time": iso.wall, "dimension": res.dimension, "real": len(res.real),
            "rss_mb": iso.maxrss_kb / 1024}


def run_phc(system, timeout: float) -> dict:
    """PHCpack's black box on the integer equations (numerical: counts are not certified)."""
    from engines import parse_phc, phc_command, phc_input
    exe = phc_command()
    if exe is None:
        return {"status": "absent"}
    with tempfile.TemporaryDirectory(prefix="bench-nets-phc-") as tmp:
        src, dst = os.path.join(tmp, "in.phc"), os.path.join(tmp, "out.phc")
        Path(src).write_text(phc_input(list(system.integer_equations), system.nvars))
        iso = run_isolated([exe, "-b", src, dst], timeout, env=single_thread_env(), cwd=tmp)
        if iso.timed_out:
            return {"status": "timeout"}
        try:
            counts = parse_phc(Path(dst).read_text(errors="replace"))
        except Exception as exc:             # no summary: a crash or an unfinished run
            return {"status": "error", "note": str(exc)[-200:]}
    return {"status": "ok", "time": iso.wall, "degree": counts["regular"] + counts["singular"],
            "real": counts["real"], "rss_mb": iso.maxrss_kb / 1024}


# -- the table ---------------------------------------------------------------------------

def measure(case: Case, timeout: float, skip_grobnet: bool, with_msolve: bool,
            with_phc: bool = True, max_memory_mb: float | None = None) -> Row:
    net, data, system = case.build()
    row = Row(case.name, case.family, "[" + ",".join(map(str, case.widths)) + "]",
              case.activation, case.bias, case.data, system.nvars)
    row.load = " ".join(f"{x:.1f}" for x in os.getloadavg())   # 1/5/15-min load at the start
    if skip_grobnet:
        row.grobnet_status = "skipped"
        row.note = "a smaller member timed out"
    else:
        g = run_grobnet(case, timeout, max_memory_mb)
        row.grobnet_status = g["status"]
        row.grobnet_rss_mb = _round(g.get("rss_mb"))
        row.route = g.get("route", "") or ""
        row.note = g.get("note", "") or (g.get("reason", "") if g["status"] == "incomplete" else "")
        row.complex_degree = g.get("degree")          # known once the probe is done
        row.certified = g.get("certified")
        if g["status"] in ("ok", "incomplete"):
            row.grobnet_time = round(g["time"], 3)
            row.real = g["real"]
            row.kinds = g["kinds"]
            row.minima = g["kinds"].get("minimum", 0)
            sad = sorted((k, v) for k, v in g["kinds"].items() if k.startswith("saddle"))
            row.saddles = ", ".join(f"{v}x{k.split('index ')[1].rstrip(')')}" for k, v in sad)
            row.degenerate = sum(v for k, v in g["kinds"].items()
                                 if k in ("degenerate", "undetermined"))
            row.global_minimum = g["global_minimum"]
    if with_msolve:
        m = run_msolve(system, timeout)
        row.msolve_status = m["status"]
        if m["status"] == "ok":
            row.msolve_time = round(m["time"], 3)
            row.msolve_real = m["real"] if m["dimension"] == 0 else None
            row.msolve_rss_mb = _round(m.get("rss_mb"))
    if with_phc:
        ph = run_phc(system, timeout)
        row.phc_status = ph["status"]
        if ph["status"] == "ok":
            row.phc_time = round(ph["time"], 3)
            row.phc_degree, row.phc_real = ph["degree"], ph["real"]
            row.phc_rss_mb = _round(ph.get("rss_mb"))
    # every peer that finished must give grobnet's real count (PHCpack is numerical: a
    # disagreement there is worth a look, not a proof)
    peers = [r for r in (row.msolve_real, row.phc_real) if r is not None]
    if row.real is not None and peers and row.grobnet_status == "ok":
        row.agree = all(r == row.real for r in peers)
    return row


def _round(v):
    return None if v is None else round(float(v), 1)


def _fmt(v, digits=2):
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def markdown(rows, timeout: float, stamp: str) -> str:
    import platform
    lines = [f"# Critical points of network families ({stamp})", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores (shared), Python "
             f"{platform.python_version()}. Per-case timeout {timeout:g} s, one thread per solver, "
             "runs never overlap. Generalized L2, MSE. grobnet: `critical_points` "
             "(every complex critical point certified or the answer marked incomplete; exact "
             "real critical points with certified loss and Hessian type); msolve: real "
             "solving of the same exported system; PHCpack: `phc -b` (numerical, not "
             "certified). Peak memory in MB (the computing process). certified: solutions grobnet "
             "proved (Krawczyk or exact), out of the degree; degree is grobnet's (two primes), "
             "also when the run timed out after the probe. load: 1/5/15-minute load average "
             "when the case started.", "",
             "| case | net | data | vars | grobnet s | msolve s | phc s | degree | phc finite "
             "| certified | real | msolve real | phc real | agree | minima "
             "| saddles (count x index) | degenerate | min loss | grobnet MB | msolve MB | phc MB "
             "| route | load |",
             "|" + "---|" * 23]
    for r in rows:
        gt = (_fmt(r.grobnet_time) if r.grobnet_status == "ok" else
              f"{_fmt(r.grobnet_time)} (incomplete)" if r.grobnet_status == "incomplete" else
              r.grobnet_status)
        mt = _fmt(r.msolve_time) if r.msolve_status == "ok" else (r.msolve_status or "-")
        pt = _fmt(r.phc_time) if r.phc_status == "ok" else (r.phc_status or "-")
        agree = {True: "yes", False: "**NO**", None: "-"}[r.agree]
        lines.append(f"| {r.case} | {r.network} | {r.data} | {r.nvars} | {gt} | {mt} | {pt} "
                     f"| {_fmt(r.complex_degree)} | {_fmt(r.phc_degree)} "
                     f"| {_fmt(r.certified)} | {_fmt(r.real)} "
                     f"| {_fmt(r.msolve_real)} | {_fmt(r.phc_real)} | {agree} "
                     f"| {_fmt(r.minima)} | {r.saddles or '-'} | {_fmt(r.degenerate)} "
                     f"| {_fmt(r.global_minimum, 6)} | {_fmt(r.grobnet_rss_mb, 0)} "
                     f"| {_fmt(r.msolve_rss_mb, 0)} | {_fmt(r.phc_rss_mb, 0)} "
                     f"| {r.route or '-'} | {r.load or '-'} |")
    lines += ["", f"## Largest network solved within {timeout:g} s", "",
              "| family | grobnet | msolve |", "|---|---|---|"]
    for fam in dict.fromkeys(r.family for r in rows):
        mine = [r for r in rows if r.family == fam]     # in growing order

        def best(ok):
            return next((r for r in reversed(mine) if ok(r)), None)
        g = best(lambda r: r.grobnet_status == "ok")
        m = best(lambda r: r.msolve_status == "ok")
        lines.append(f"| {fam} | {g.network + ' ' + g.data + f' ({g.nvars} vars)' if g else 'none'} "
                     f"| {m.network + ' ' + m.data + f' ({m.nvars} vars)' if m else 'none'} |")
    notes = [f"* {r.case}: {r.note}" for r in rows if r.note]
    if notes:
        lines += ["", "## Notes", ""] + notes
    return "\n".join(lines) + "\n"


def plot_times(rows, path: Path):
    """Log-log plot of time against the degree (complex critical points) for each solver;
    returns a note when matplotlib is missing (the table is written anyway)."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib not installed: no plot (pip install matplotlib)"
    fig, ax = plt.subplots(figsize=(7, 5))
    for label, attr, status, marker in (("grobnet", "grobnet_time", "grobnet_status", "o"),
                                        ("msolve", "msolve_time", "msolve_status", "s"),
                                        ("PHCpack", "phc_time", "phc_status", "^")):
        pts = sorted((r.complex_degree, getattr(r, attr)) for r in rows
                     if r.complex_degree and getattr(r, status) == "ok" and getattr(r, attr))
        if pts:
            ax.plot(*zip(*pts), marker=marker, label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("degree (complex critical points)")
    ax.set_ylabel("seconds (one thread each)")
    ax.set_title("Critical points of network losses: time against degree")
    ax.grid(True, which="both", alpha=0.3)
    if ax.lines:
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return None


def read_rows(path) -> list:
    """The rows of a CSV written by :func:`main`."""
    def value(name, text):
        kind = Row.__dataclass_fields__[name].type
        if name == "kinds":
            return json.loads(text or "{}")
        if text == "":
            return "" if kind == "str" else None
        if "bool" in kind:
            return text == "True"
        if "int" in kind:
            return int(text)
        if "float" in kind:
            return float(text)
        return text
    with open(path, newline="") as fh:
        return [Row(**{k: value(k, v) for k, v in rec.items()}) for rec in csv.DictReader(fh)]


def rewrite_report(paths, timeout: float) -> int:
    """Markdown for the merged rows of ``paths`` (a later file's row replaces an earlier one's),
    written next to the last CSV."""
    merged: dict = {}
    for path in paths:
        for row in read_rows(path):
            merged[row.case] = row
    order = [c.name for cs in FAMILIES.values() for c in cs]
    rows = sorted(merged.values(), key=lambda r: order.index(r.case) if r.case in order else 1e9)
    out = Path(paths[-1]).with_suffix(".md")
    out.write_text(markdown(rows, timeout, Path(paths[-1]).stem.replace("networks_", "")))
    plot_times(rows, out.with_suffix(".png"))
    print(f"wrote {out}")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timeout", type=float, default=600.0,
                    help="seconds per case and solver (default 600)")
    ap.add_argument("--families", default=",".join(FAMILIES),
                    help=f"comma-separated subset of {', '.join(FAMILIES)}")
    ap.add_argument("--only", default=None, metavar="TEXT",
                    help="run only the cases whose name contains TEXT (e.g. 1-2-1)")
    ap.add_argument("--no-msolve", action="store_true", help="do not run msolve")
    ap.add_argument("--no-phc", action="store_true", help="do not run PHCpack")
    ap.add_argument("--max-memory", type=float, default=None, metavar="MB",
                    help="grobnet's engine budget for the dimension probe (critical_points("
                         "max_memory=)); beyond it the degree is unknown and the certified "
                         "part comes back")
    ap.add_argument("--out-dir", type=Path, default=RESULTS)
    ap.add_argument("--report", type=Path, default=None, metavar="CSV",
                    help="only rewrite the markdown report of an earlier run's CSV file(s); "
                         "several CSVs joined with commas are merged, later ones win per case")
    ap.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--worker-timeout", type=float, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--worker-max-memory", type=float, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        return worker(args.worker, args.out, args.worker_timeout, args.worker_max_memory)
    if args.report:
        return rewrite_report(str(args.report).split(","), args.timeout)
    fams = [f.strip() for f in args.families.split(",") if f.strip()]
    unknown = [f for f in fams if f not in FAMILIES]
    if unknown:
        ap.error(f"unknown families {unknown}; expected some of {', '.join(FAMILIES)}")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    rows = []
    for fam in fams:
        timed_out = False
        for case in FAMILIES[fam]:
            if args.only and args.only not in case.name:
                continue
            row = measure(case, args.timeout, timed_out, not args.no_msolve, not args.no_phc,
                          args.max_memory)
            if fam in GROWING:
                timed_out = timed_out or row.grobnet_status in ("timeout", "error")
            rows.append(row)
            print(f"{row.case:32s} grobnet {row.grobnet_status:8s} {_fmt(row.grobnet_time):>8} s "
                  f"D {_fmt(row.complex_degree):>6} cert {_fmt(row.certified):>6} "
                  f"real {_fmt(row.real):>4} | msolve {row.msolve_status:8s} "
                  f"{_fmt(row.msolve_time):>8} s real {_fmt(row.msolve_real):>4} | phc "
                  f"{row.phc_status:8s} {_fmt(row.phc_time):>8} s", flush=True)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    base = args.out_dir / f"networks_{stamp}"
    with open(base.with_suffix(".csv"), "w", newline="") as fh:
        fields = [f for f in Row.__dataclass_fields__ if f != "kinds"] + ["kinds"]
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        for r in rows:
            d = asdict(r)
            d["kinds"] = json.dumps(d["kinds"])
            w.writerow(d)
    base.with_suffix(".md").write_text(markdown(rows, args.timeout, stamp))
    note = plot_times(rows, base.with_suffix(".png"))
    print(f"wrote {base}.csv and {base}.md" + (f" ({note})" if note else f" and {base}.png"))
    return 1 if any(r.agree is False for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
