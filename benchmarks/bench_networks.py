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

For every case grobnet runs ``critical_points`` (exact real critical points,
certified loss and Hessian type) in its own process, and msolve real-solves the
same system exported as an msolve file, each with the per-case ``--timeout``
(one thread each, runs never overlap; see :mod:`harness`).  The table gives
both times, the number of real critical points by kind (minimum, saddle of
index k, degenerate), whether msolve's real count agrees, and per family the
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
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

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
    data: str          # "xor" or "random:M"

    @property
    def name(self) -> str:
        net = "-".join(map(str, self.widths))
        act = {"identity": "lin", "z+z^2": "zz2"}.get(self.activation, self.activation)
        return f"{self.family}_{net}_{act}{'_b' if self.bias else ''}_{self.data.replace(':', '')}"

    def build(self):
        """``(network, data, gradient system)`` of the case (generalized L2, seed 1)."""
        from grobnet.frontend import GeneralizedL2, Network, gradient_system, random_dataset, xor
        net = Network(list(self.widths), activation=self.activation, bias=self.bias)
        if self.data == "xor":
            data = xor()
        else:
            data = random_dataset(int(self.data.split(":")[1]), net.n_inputs, net.n_outputs, seed=0,
                                  bound=3)
        return net, data, gradient_system(net, data, reg=GeneralizedL2(seed=1), name=self.name)


FAMILIES = {
    "width": [Case("width", (1, h, 1), "z+z^2", True, "random:8") for h in range(1, 6)],
    "xor": [Case("xor", (2, 2, 1), "z+z^2", True, "xor"),
            Case("xor", (2, 3, 1), "z+z^2", True, "xor")],
    "deep": [Case("deep", (1,) * (d + 1), "identity", False, "random:4") for d in range(2, 7)],
    "data": [Case("data", (2, 1, 1), "z+z^2", True, f"random:{m}") for m in (4, 8, 16, 32, 64)],
}


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
    note: str = ""
    kinds: dict = field(default_factory=dict)


# -- the worker: one grobnet run in a child process --------------------------------------

def worker(case_name: str, out: Path) -> int:
    """Run ``critical_points`` on the named case and write a JSON summary to ``out``."""
    from grobnet.analysis import critical_points
    case = next(c for cs in FAMILIES.values() for c in cs if c.name == case_name)
    _, _, system = case.build()
    t0 = time.perf_counter()
    cp = critical_points(system, digits=20)
    seconds = time.perf_counter() - t0
    kinds = Counter(p.label for p in cp.points)
    low = min((float(p.loss.mid()) for p in cp.points), default=None)
    out.write_text(json.dumps({"time": seconds, "dimension": cp.dimension, "degree": cp.degree,
                               "complete": cp.complete, "reason": cp.reason,
                               "real": len(cp.points), "kinds": dict(kinds),
                               "global_minimum": low}))
    return 0


def run_grobnet(case: Case, timeout: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-nets-") as tmp:
        out = Path(tmp) / "result.json"
        iso = run_isolated([sys.executable, str(Path(__file__).resolve()), "--worker", case.name,
                            "--out", str(out)], timeout, env=single_thread_env())
        if iso.timed_out:
            return {"status": "timeout"}
        if not out.exists():
            tail = " | ".join((iso.stderr or iso.stdout).strip().splitlines()[-2:])
            return {"status": "error", "note": tail[-200:]}
        data = json.loads(out.read_text())
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
    return {"status": "ok", "time": iso.wall, "dimension": res.dimension, "real": len(res.real)}


# -- the table ---------------------------------------------------------------------------

def measure(case: Case, timeout: float, skip_grobnet: bool, with_msolve: bool) -> Row:
    net, data, system = case.build()
    row = Row(case.name, case.family, "[" + ",".join(map(str, case.widths)) + "]",
              case.activation, case.bias, case.data, system.nvars)
    if skip_grobnet:
        row.grobnet_status = "skipped"
        row.note = "a smaller member timed out"
    else:
        g = run_grobnet(case, timeout)
        row.grobnet_status = g["status"]
        row.note = g.get("note", "") or (g.get("reason", "") if g["status"] == "incomplete" else "")
        if g["status"] in ("ok", "incomplete"):
            row.grobnet_time = round(g["time"], 3)
            row.complex_degree = g["degree"]
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
    if row.real is not None and row.msolve_real is not None and row.grobnet_status == "ok":
        row.agree = row.real == row.msolve_real
    return row


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
             "runs never overlap. Generalized L2 (seed 1), MSE. grobnet: `critical_points` "
             "(exact real critical points, certified loss and Hessian type); msolve: real "
             "solving of the same exported system.", "",
             "| case | net | act | bias | data | vars | grobnet s | msolve s | complex | real "
             "| minima | saddles (count x index) | degenerate | msolve real | agree | min loss |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        gt = _fmt(r.grobnet_time) if r.grobnet_status == "ok" else r.grobnet_status
        mt = _fmt(r.msolve_time) if r.msolve_status == "ok" else (r.msolve_status or "-")
        agree = {True: "yes", False: "**NO**", None: "-"}[r.agree]
        lines.append(f"| {r.case} | {r.network} | {r.activation} | {'yes' if r.bias else 'no'} "
                     f"| {r.data} | {r.nvars} | {gt} | {mt} | {_fmt(r.complex_degree)} "
                     f"| {_fmt(r.real)} | {_fmt(r.minima)} | {r.saddles or '-'} "
                     f"| {_fmt(r.degenerate)} | {_fmt(r.msolve_real)} | {agree} "
                     f"| {_fmt(r.global_minimum, 6)} |")
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
    ap.add_argument("--no-msolve", action="store_true", help="run grobnet only")
    ap.add_argument("--out-dir", type=Path, default=RESULTS)
    ap.add_argument("--report", type=Path, default=None, metavar="CSV",
                    help="only rewrite the markdown report of an earlier run's CSV file(s); "
                         "several CSVs joined with commas are merged, later ones win per case")
    ap.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        return worker(args.worker, args.out)
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
            row = measure(case, args.timeout, timed_out, not args.no_msolve)
            timed_out = timed_out or row.grobnet_status in ("timeout", "error")
            rows.append(row)
            print(f"{row.case:32s} grobnet {row.grobnet_status:8s} {_fmt(row.grobnet_time):>8} s "
                  f"real {_fmt(row.real):>4} | msolve {row.msolve_status:8s} "
                  f"{_fmt(row.msolve_time):>8} s real {_fmt(row.msolve_real):>4}", flush=True)
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
    print(f"wrote {base}.csv and {base}.md")
    return 1 if any(r.agree is False for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
