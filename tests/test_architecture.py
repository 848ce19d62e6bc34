"""The shape of the package: layers import downward only, never in a circle.

Reads every module of ``grobnet/`` with :mod:`ast` (top-level and function-local
imports alike) and checks the layering of ``shared/STYLE.md``:

    base (errors, parallel, common) -> frontend -> engine -> exact | numeric
        -> solver (orchestration) -> analysis -> cli

* no module imports a module of a higher layer;
* ``exact`` and ``numeric`` are siblings: neither imports the other;
* only ``grobnet/engine/`` imports the compiled ``grobnet.engine._core``;
* no ``importlib``/``__import__`` dispatch inside the package;
* the module graph has no cycle (a package's ``__init__`` counts as a module, and
  importing ``a.b.c`` also runs ``a.b``'s ``__init__``).

The facade ``grobnet/__init__.py`` (the public API) sits above everything and is
exempt; only the command line, a client of that API, may import it.
"""
from __future__ import annotations

import ast
import pathlib

import pytest

import grobnet

#: the package the tests import (this checkout's, or an installed wheel's: its .py files are
#: the same), so that the graph is never empty when tests run outside the source tree
ROOT = pathlib.Path(grobnet.__file__).resolve().parent

#: layer of each top-level part of the package (longest prefix wins)
LAYERS = {
    "grobnet._version": 0, "grobnet.errors": 0, "grobnet._peers": 0, "grobnet.parallel": 0,
    "grobnet.common": 0,
    "grobnet.frontend": 1,
    "grobnet.engine": 2,
    "grobnet.exact": 3, "grobnet.numeric": 3,
    "grobnet.solver": 4,
    "grobnet.analysis": 5,
    "grobnet.cli": 6, "grobnet.__main__": 6,
}
SIBLINGS = {"grobnet.exact": "grobnet.numeric", "grobnet.numeric": "grobnet.exact"}


def _module_name(path: pathlib.Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict:
    return {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _imports(name: str, path: pathlib.Path, known: set) -> list:
    """``(target module, line)`` for every import in the file (resolved to modules of
    the package; ``from pkg import name`` resolves to ``pkg.name`` when that is a
    module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend((a.name, node.lineno) for a in node.names if a.name.startswith("grobnet"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if not mod.startswith("grobnet"):
                continue
            for a in node.names:
                sub = f"{mod}.{a.name}"
                out.append((sub if sub in known else mod, node.lineno))
    return out


def _layer(module: str):
    best = None
    for prefix, layer in LAYERS.items():
        if module == prefix or module.startswith(prefix + "."):
            if best is None or len(prefix) > len(best[0]):
                best = (prefix, layer)
    return best


def _graph():
    mods = _modules()
    known = set(mods)
    edges = {}
    for name, path in mods.items():
        targets = set()
        for target, line in _imports(name, path, known):
            if target == "grobnet.engine._core":
                targets.add((target, line))
                continue
            targets.add((target, line))
        edges[name] = targets
    return mods, edges


def test_every_module_has_a_layer():
    mods, _ = _graph()
    missing = [m for m in mods if m != "grobnet" and _layer(m) is None]
    assert not missing, f"modules outside every layer (add them to LAYERS): {missing}"


def test_no_upward_import_and_siblings_stay_apart():
    mods, edges = _graph()
    bad = []
    for name, targets in edges.items():
        if name == "grobnet":
            continue
        src = _layer(name)
        for target, line in targets:
            if target == "grobnet":
                if src[1] < LAYERS["grobnet.cli"]:   # the command line is a client of the API
                    bad.append(f"{name}:{line} imports the facade grobnet/__init__.py")
                continue
            dst = _layer(target)
            if dst is None:
                continue
            if dst[1] > src[1]:
                bad.append(f"{name}:{line} imports {target} (layer {dst[1]} above {src[1]})")
            if SIBLINGS.get(src[0]) == dst[0]:
                bad.append(f"{name}:{line} imports its sibling {target}")
    assert not bad, "upward imports:\n" + "\n".join(sorted(bad))


def test_only_the_engine_touches_the_compiled_core():
    mods, edges = _graph()
    bad = [f"{name}:{line}" for name, targets in edges.items() for target, line in targets
           if target == "grobnet.engine._core" and not name.startswith("grobnet.engine")]
    assert not bad, f"modules importing grobnet.engine._core outside the engine: {bad}"


def test_no_dynamic_imports_in_the_package():
    bad = []
    for name, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                f = node.func
                called = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
                if called in ("import_module", "__import__"):
                    bad.append(f"{name}:{node.lineno}")
    assert not bad, f"dynamic imports (use plain imports and dispatch tables): {bad}"


def _cycles(nodes, succ):
    """Strongly connected components with more than one node (Tarjan, iterative)."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(succ.get(root, ()))))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(succ.get(w, ())))))
                    advanced = True
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


def test_the_module_graph_has_no_cycle():
    mods, edges = _graph()
    succ = {}
    for name, targets in edges.items():
        if name == "grobnet":
            continue
        s = set()
        for target, _ in targets:
            if target not in mods or target == "grobnet":
                continue
            s.add(target)
            # importing a.b.c runs the __init__ of every enclosing package first
            parts = target.split(".")
            for k in range(2, len(parts)):
                parent = ".".join(parts[:k])
                if parent in mods and not name.startswith(parent + ".") and name != parent:
                    s.add(parent)
        succ[name] = s
    cycles = _cycles(sorted(succ), succ)
    assert not cycles, "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)


@pytest.mark.parametrize("rule", ["upward", "cycle"])
def test_the_checks_catch_what_they_should(rule):
    """The graph checks themselves are not vacuous: an upward edge and a cycle planted in
    a copy of the graph are found."""
    mods, edges = _graph()
    assert len(mods) > 40 and sum(len(t) for t in edges.values()) > 100
    if rule == "upward":
        assert _layer("grobnet.engine.modp")[1] < _layer("grobnet.solver.solve")[1]
    else:
        succ = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
        assert _cycles(sorted(succ), succ) == [["a", "b", "c"]]
