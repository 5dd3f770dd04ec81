"""The layers of DESIGN.md: imports point down only, only run/ and render/ know pygame, and no
module imports itself back through others (no import cycles, late imports included).

Read from the source with ``ast`` (nothing is imported), so a late or conditional import inside
a function is caught as well as one at the top of a module. Imports under ``if TYPE_CHECKING:``
never run and are left out of the cycle check (they are still held to the layers).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "thereturn_viz"

#: What each layer may import from the package (besides itself and the package's plain modules
#: ``paths``); anything else of ours is a layer above it.
MAY_USE: dict[str, set[str]] = {
    "show": set(),
    "physics": {"show", "state"},
    "air": {"show", "state"},
    "sound": {"show"},
    "state": set(),
    "performance": {"show", "physics", "air", "sound", "state"},
    "render": {"show", "state"},
    "run": {"show", "physics", "air", "sound", "state", "performance", "render"},
    "commands": {"show", "physics", "air", "sound", "state", "performance", "render", "run"},
    "cli": {"show", "physics", "air", "sound", "state", "performance", "render", "run", "commands"},
}
NO_PYGAME = ("show", "physics", "air", "sound", "state", "performance")


def _layer(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imports(text: str, rel: Path) -> list[tuple[int, str]]:
    """(line, absolute dotted name) of everything the module at ``rel`` (in the package)
    imports, read from its source ``text``."""
    tree = ast.parse(text, str(rel))
    here = ["thereturn_viz", *rel.with_suffix("").parts[:-1]]
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            out.append((node.lineno, name))
            if not node.module:  # "from . import x" names modules, not attributes
                out += [(node.lineno, f"{name}.{a.name}") for a in node.names]
    return out


def _wrong(layer: str, imports: list[tuple[int, str]]) -> list[str]:
    """The imports a module of ``layer`` may not make."""
    wrong = []
    for line, name in imports:
        parts = name.split(".")
        if parts[0] == "pygame" and layer in NO_PYGAME:
            wrong.append(f"line {line}: pygame")
        if parts[0] != "thereturn_viz" or len(parts) < 2:
            continue
        used = parts[1]
        if used in MAY_USE and used != layer and used not in MAY_USE[layer]:
            wrong.append(f"line {line}: {name} (a layer above {layer})")
    return wrong


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if _layer(p) in MAY_USE)


def test_every_layer_is_covered() -> None:
    assert {_layer(p) for p in MODULES} == set(MAY_USE)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down_only(path: Path) -> None:
    rel = path.relative_to(PACKAGE)
    wrong = _wrong(_layer(path), _imports(path.read_text(encoding="utf-8"), rel))
    assert not wrong, f"{rel}: " + "; ".join(wrong)


def test_the_check_sees_a_wrong_import() -> None:
    """The test above can fail: physics importing pygame, render or run (late, too) is caught,
    while its own show and state imports pass."""
    text = (
        "import pygame\n"
        "from ..render import figures\n"
        "from ..show.cues import CueSheet\n"
        "from ..state import FrameState\n"
        "def late():\n"
        "    from thereturn_viz.run import cli\n"
    )
    wrong = _wrong("physics", _imports(text, Path("physics") / "bad.py"))
    assert wrong == [
        "line 1: pygame",
        "line 2: thereturn_viz.render (a layer above physics)",
        "line 6: thereturn_viz.run (a layer above physics)",
    ]


def test_the_commands_sit_above_run() -> None:
    """The command modules hand their work to run/, never the other way: they may use run/,
    and run/ importing one of them (or the command line) is caught."""
    text = "from ..commands import export\nfrom .. import cli\n"
    assert _wrong("run", _imports(text, Path("run") / "bad.py")) == [
        "line 1: thereturn_viz.commands (a layer above run)",
        "line 2: thereturn_viz.cli (a layer above run)",
    ]
    assert (
        _wrong("commands", _imports("from ..run import export\n", Path("commands") / "x.py")) == []
    )


# -- import cycles -----------------------------------------------------------------------------


def _type_checking_lines(tree: ast.Module) -> set[int]:
    """Lines of the imports inside ``if TYPE_CHECKING:`` blocks (they never run)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                for sub in ast.walk(inner):
                    if isinstance(sub, ast.Import | ast.ImportFrom):
                        lines.add(sub.lineno)
    return lines


def _module_name(rel: Path) -> str:
    parts = rel.with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(["thereturn_viz", *parts])


def import_graph(sources: dict[Path, str]) -> dict[str, set[str]]:
    """Which of the package's modules each module imports (at any point, late imports too),
    from ``sources``: the text of each module by its path relative to the package.

    An import names the deepest of our modules it reaches: ``from .x import y`` is ``.x.y``
    when that is a module, else ``.x``. ``from . import common`` in a package's module names
    ``common`` only: the package itself was imported first.
    """
    modules = {_module_name(rel) for rel in sources}
    graph: dict[str, set[str]] = {}
    for rel, text in sources.items():
        tree = ast.parse(text, str(rel))
        skip = _type_checking_lines(tree)
        here = _module_name(rel)
        named: list[str] = [name for line, name in _imports(text, rel) if line not in skip]
        for node in ast.walk(tree):  # "from .x import y": y may be a module of its own
            if isinstance(node, ast.ImportFrom) and node.module and node.lineno not in skip:
                (_, base), *_ = _imports(ast.unparse(node), rel)
                named += [f"{base}.{alias.name}" for alias in node.names]
        edges: set[str] = set()
        for name in named:
            while name not in modules and "." in name:
                name = name.rsplit(".", 1)[0]
            # a module's own packages are imported before it, whatever it names: no edge
            if name in modules and name != here and not here.startswith(name + "."):
                edges.add(name)
        graph[here] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted.

    >>> cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}})
    [['a', 'b']]
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def _sources(paths: Iterable[Path]) -> dict[Path, str]:
    return {p.relative_to(PACKAGE): p.read_text(encoding="utf-8") for p in paths}


def test_no_import_cycles() -> None:
    found = cycles(import_graph(_sources(PACKAGE.rglob("*.py"))))
    assert not found, "import cycles: " + "; ".join(" <-> ".join(c) for c in found)


def test_the_check_sees_a_cycle_behind_a_late_import() -> None:
    """The test above can fail: a cycle closed by an import inside a function is found, one
    closed only under TYPE_CHECKING is not (it never runs)."""
    sources = {
        Path("show/cues.py"): "def later():\n    from .timing import parse\n",
        Path("show/timing.py"): "from .cues import CueSheet\n",
        Path("sound/a.py"): "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from . import b\n",
        Path("sound/b.py"): "from . import a\n",
        Path("sound/c.py"): "from ..show import cues\n",
        Path("run/__init__.py"): "from . import x\n",
        Path("run/x.py"): "from . import y\n",
        Path("run/y.py"): "from .. import run\n",
    }
    graph = import_graph(sources)
    assert graph["thereturn_viz.sound.c"] == {"thereturn_viz.show.cues"}
    assert graph["thereturn_viz.sound.a"] == set()
    assert graph["thereturn_viz.run.x"] == {"thereturn_viz.run.y"}
    assert cycles(graph) == [["thereturn_viz.show.cues", "thereturn_viz.show.timing"]]
