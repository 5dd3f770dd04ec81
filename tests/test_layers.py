"""The layers of DESIGN.md: imports point down only, and only run/ and render/ know pygame.

Read from the source with ``ast`` (nothing is imported), so a late or conditional import inside
a function is caught as well as one at the top of a module.
"""

from __future__ import annotations

import ast
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
