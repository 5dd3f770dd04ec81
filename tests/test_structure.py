"""The shape of the code, measured from the source: small modules, short functions, and
pymunk's private layer reached from one module only.

Read with ``ast`` like the layer test: nothing is imported. Each limit says why it is there, and
each check is shown to fail on a bad example.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "thereturn_viz"
SOURCES = sorted(PACKAGE.rglob("*.py"))

#: A module longer than this holds more than one concept (issue 13: seven were over 500).
MAX_MODULE_LINES = 600
#: Functions longer than this read as several steps that want names of their own ...
LONG_FUNCTION = 80
#: ... and at most this many may stay that long (a table of CLI help, a drawing pass).
MAX_LONG_FUNCTIONS = 2
#: pymunk's private layer: its C bindings and the pointers and bookkeeping of its objects.
PYMUNK_PRIVATE = {"_body", "_space", "_constraint", "_shape", "_bodies_to_check", "_removed_shapes"}


def _rel(path: Path) -> str:
    return str(path.relative_to(PACKAGE))


def long_functions(text: str, name: str) -> list[tuple[str, int]]:
    """(``name:function``, lines) of every function in ``text`` longer than LONG_FUNCTION.

    >>> body = "".join(f"    x = {i}\\n" for i in range(LONG_FUNCTION))
    >>> long_functions("def f():\\n" + body + "def g():\\n    pass\\n", "m.py")
    [('m.py:f', 81)]
    """
    out = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            lines = (node.end_lineno or node.lineno) - node.lineno + 1
            if lines > LONG_FUNCTION:
                out.append((f"{name}:{node.name}", lines))
    return out


def reaches_pymunk_private(text: str) -> bool:
    """Whether a module imports pymunk's private modules or reads its objects' private fields.

    >>> reaches_pymunk_private("from pymunk._chipmunk_cffi import lib")
    True
    >>> reaches_pymunk_private("import pymunk\\nspace = pymunk.Space()\\nspace.step(0.1)")
    False
    >>> reaches_pymunk_private("p = body._body")
    True
    """
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pymunk._"):
            return True
        if isinstance(node, ast.Import) and any(a.name.startswith("pymunk._") for a in node.names):
            return True
        if isinstance(node, ast.Attribute) and node.attr in PYMUNK_PRIVATE:
            return True
    return False


def test_no_module_is_too_long() -> None:
    long = {
        _rel(p): n
        for p in SOURCES
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def test_few_functions_are_long() -> None:
    long = [f for p in SOURCES for f in long_functions(p.read_text(encoding="utf-8"), _rel(p))]
    assert len(long) <= MAX_LONG_FUNCTIONS, f"functions over {LONG_FUNCTION} lines: {long}"


def test_one_module_reaches_pymunk_private_layer() -> None:
    reaching = [_rel(p) for p in SOURCES if reaches_pymunk_private(p.read_text(encoding="utf-8"))]
    assert len(reaching) <= 1, f"pymunk's private layer is reached from {reaching}"


def collision_handlers(text: str) -> int:
    """How many calls of pymunk's ``on_collision`` ``text`` makes. A space has one handler per
    pair of collision types, and a later call for the same pair replaces the earlier one without
    a word: physics/weight.py reads the floor's push through the space's catch-all handler, so a
    second catch-all elsewhere would silently give the trace's ``carried_n`` the stale impulses
    back (453 N off in a held frame before that reader).

    >>> collision_handlers("space.on_collision(begin=f)\\nspace.on_collision(1, 2, begin=g)")
    2
    >>> collision_handlers("space.step(0.1)")
    0
    """
    return sum(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "on_collision"
        for node in ast.walk(ast.parse(text))
    )


def test_one_collision_handler_and_it_reads_the_floor() -> None:
    handlers = {
        _rel(p): n for p in SOURCES if (n := collision_handlers(p.read_text(encoding="utf-8")))
    }
    assert handlers == {"physics/weight.py": 1}, (
        f"on_collision is called in {handlers}: a second handler may replace weight.py's "
        "catch-all; give it collision types of its own and read the floor in one place"
    )
