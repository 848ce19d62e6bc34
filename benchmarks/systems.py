"""The benchmark systems: where they live, which suite each belongs to, how to load one.

Systems are msolve-format files (``*.ms``) shipped with the repository in
``benchmarks/systems/``; ``$GROBNET_SYSTEMS`` may point to another folder.

Suites
------
``classic``   cyclic-n and katsura-n, the standard F4 yardsticks.
``networks``  the ``nn_*`` gradient systems of small neural networks, plus
              the generated network families of :func:`network_families`.
``all``       both.

``--quick`` runs a fixed handful of the smallest systems of the chosen
suites (:data:`QUICK`), so that the whole harness finishes in minutes.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

__all__ = ["BenchSystem", "systems_dir", "discover", "select", "network_families",
           "SUITES", "QUICK", "SMALL", "SMALL_QUICK"]

SUITES = ("classic", "networks", "all")

#: systems of the quick run (missing ones are skipped silently)
QUICK = ("cyclic5", "cyclic6", "katsura6", "katsura7", "nn_121_sq_bias_l2")

#: systems small enough for the naive engines (sympy, python-flint's Buchberger):
#: sympy needs ~16 s on katsura-6 and python-flint times out on cyclic-6 and katsura-7
SMALL = ("cyclic5", "katsura6", "gen_111_sq_bias_gl2", "gen_deeplin_d2_gl2",
         "gen_deeplin_d3_gl2")

#: the naive engines' share of a quick run
SMALL_QUICK = ("cyclic5",)


@dataclass(frozen=True)
class BenchSystem:
    """One benchmark system: a name, the msolve file, and its suite."""

    name: str
    path: Path
    suite: str        # "classic" or "networks"

    def load(self):
        """The system as a ``grobnet.frontend.PolynomialSystem`` (rational equations)."""
        from grobnet.frontend.io import read_msolve
        return read_msolve(self.path, name=self.name)

    def text(self) -> str:
        """The msolve file's text."""
        return self.path.read_text(encoding="utf-8")

    def variables(self) -> List[str]:
        """The variable names of line 1, variable 0 the largest (cheap: no parsing of the rest)."""
        with open(self.path, encoding="utf-8") as fh:
            return [v.strip() for v in fh.readline().split(",")]

    @property
    def size_key(self):
        """Sort key putting families together and smaller members first (katsura6 < katsura10)."""
        m = re.match(r"(.*?)(\d+)$", self.name)
        return (self.suite, m.group(1), int(m.group(2))) if m else (self.suite, self.name, 0)


def systems_dir() -> Path:
    """The folder of ``*.ms`` files: ``$GROBNET_SYSTEMS`` or ``benchmarks/systems`` (shipped)."""
    env = os.environ.get("GROBNET_SYSTEMS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent / "systems"


def _suite_of(name: str) -> str:
    return "networks" if name.startswith("nn_") else "classic"


def discover(directory: Optional[Path] = None) -> List[BenchSystem]:
    """Every ``*.ms`` file in ``directory`` (default :func:`systems_dir`), by family and size.

    A missing folder gives an empty list, not an error: the caller reports it.
    """
    d = Path(directory) if directory is not None else systems_dir()
    if not d.is_dir():
        return []
    found = [BenchSystem(p.stem, p, _suite_of(p.stem)) for p in d.glob("*.ms")]
    return sorted(found, key=lambda s: s.size_key)


#: generated families: name -> (widths, activation, bias, data points or "xor"); all with
#: generalized L2
FAMILIES = {
    **{f"gen_1{h}1_sq_bias_gl2": ((1, h, 1), "z+z^2", True, 5) for h in (1, 2, 3)},
    **{f"gen_deeplin_d{d}_gl2": ((1,) * (d + 1), "identity", False, 4) for d in (2, 3, 4, 5)},
    **{f"gen_121_sq_bias_gl2_m{m}": ((1, 2, 1), "z+z^2", True, m) for m in (4, 16, 64)},
    # the seed's net (issue 7): XOR [2,2,2,1], identity, no bias; degree 641
    "gen_seed_xor_2221_gl2": ((2, 2, 2, 1), "identity", False, "xor"),
    # issue 18's network systems: [2,1,1] with bias, z^2 and z + z^2 (degree 105 each),
    # deep linear [2,2,2] without bias (degree 225)
    "gen_211_z2_bias_gl2": ((2, 1, 1), "square", True, 5),
    "gen_211_sq_bias_gl2": ((2, 1, 1), "z+z^2", True, 5),
    "gen_deeplin_222_gl2": ((2, 2, 2), "identity", False, 4),
}


def network_families(workdir: Path, names: Optional[List[str]] = None) -> List[BenchSystem]:
    """Generated network systems (growing width, depth, data size) for the ``networks`` suite.

    Each family member of :data:`FAMILIES` is built with ``grobnet.frontend``
    (random data of seed 0, generalized L2 of seed 1, MSE loss), written as an
    msolve file in ``workdir`` and returned as a ``networks`` system, so every
    engine runs on it unchanged.  This is the hook where larger families
    (the networks issue's [1,h,1] up to h = 5, XOR [2,3,1], data sizes to 64)
    are added: one line in :data:`FAMILIES` each.
    """
    from grobnet.frontend import GeneralizedL2, Network, gradient_system, random_dataset, xor
    from grobnet.frontend.io import write_msolve
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    out = []
    for name, (widths, activation, bias, m) in FAMILIES.items():
        if names is not None and name not in names:
            continue
        net = Network(widths, activation=activation, bias=bias)
        data = xor() if m == "xor" else \
            random_dataset(m, n_inputs=widths[0], n_outputs=widths[-1], seed=0)
        system = gradient_system(net, data, reg=GeneralizedL2(seed=1), name=name)
        path = workdir / f"{name}.ms"
        write_msolve(system, path, integer=True)
        out.append(BenchSystem(name, path, "networks"))
    return out


def select(suite: str = "all", quick: bool = False, names: Optional[List[str]] = None,
           directory: Optional[Path] = None, workdir: Optional[Path] = None) -> List[BenchSystem]:
    """The systems of ``suite``; only :data:`QUICK` ones with ``quick``, ``names`` if given."""
    if suite not in SUITES:
        raise ValueError(f"unknown suite {suite!r}; expected one of {SUITES}")
    chosen = [s for s in discover(directory) if suite == "all" or s.suite == suite]
    if suite in ("networks", "all") and workdir is not None and not quick:
        chosen += network_families(workdir)
    if quick:
        chosen = [s for s in chosen if s.name in QUICK]
    if names:
        wanted = set(names)
        unknown = wanted - {s.name for s in chosen}
        if unknown:
            raise ValueError(f"no system named {sorted(unknown)} in suite {suite!r} "
                             f"(folder {directory or systems_dir()})")
        chosen = [s for s in chosen if s.name in wanted]
    return chosen
