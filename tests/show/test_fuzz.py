"""Random damage to the shipped files: every outcome is a usable choreography or a clean error.

"Usable" means every target the physics would be given is a finite number; "clean" means a
ChoreographyError whose every problem names a file of the folder and says something.
"""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thereturn_viz.paths import default_choreography
from thereturn_viz.show.choreography import Choreography
from thereturn_viz.show.errors import ChoreographyError
from thereturn_viz.show.loader import FILES, load_choreography

from .conftest import without_tempo_changes

#: Values a careless edit or a corrupted file may put where any value was.
JUNK = [
    "nan", "inf", "-inf", "1e300", "-1e300", "0", "-1", "3", "999999999999", "true", '""',
    '"open"', '"end+1"', '"open-1"', '"bar 9999"', '"bar 3 beat 7"', '"together+2.5"', '"left"',
    '"sudden sustained"', '"in_out_sine"', "[]", "[0.1, 0, 0.9, 1]", "[2, 0, 3, 1]", "{}",
    "{ a = 1 }", '"neutral"', '"stand"', '"l_hand"', '"lift"', "1979-05-27", '"\\u00e9t\\u00e9"',
    "1" + "0" * 400, "-" + "9" * 330, "1e400", '"bar 3.9"', '"01:99"', '"bar 0"', "-0.0",
    "12:30:00", "[1, 2, 3, " + "9" * 400 + "]", "8" * 5000, '"' + "x" * 200 + '"',
]  # fmt: skip


#: Ways of damaging a file; a wrong value is the commonest slip, so it comes up most often.
KINDS = ["value"] * 4 + ["key", "delete", "dup", "move", "bytes", "cut", "header"]

HEADERS = [b"[[keyframes]]", b"[[contacts]]", b"[[cue]]", b"[tempo]", b"[dancer]", b"[neutral]"]


#: Tempo changes are optional; the shipped ones are replaced by two, one of each kind (at a bar,
#: at a cue), so that their parsing is damaged too.
CHANGES = (
    b'\n[[tempo.change]]\nat = "bar 30"\nbpm = 68\n'
    b'\n[[tempo.change]]\nat = "after"\nmeter = "4/4"\n'
)


@cache
def originals() -> dict[str, bytes]:
    files = {name: (default_choreography() / name).read_bytes() for name in FILES}
    cues = without_tempo_changes(files["cues.toml"].decode()).encode()
    files["cues.toml"] = cues + CHANGES
    return files


@st.composite
def mutation(draw: st.DrawFn, text: bytes) -> bytes:
    lines = text.split(b"\n")
    kind = draw(st.sampled_from(KINDS))
    # values and keys are damaged where there are some, so that no draw is wasted on a comment
    keyed = [
        n for n, line in enumerate(lines) if b"=" in line and not line.lstrip().startswith(b"#")
    ]
    pool = keyed if kind in ("value", "key") and keyed else range(len(lines))
    i = draw(st.sampled_from(pool)) if pool else 0
    line = lines[i] if lines else b""
    if kind == "value" and b"=" in line:
        lines[i] = line.split(b"=", 1)[0] + b"= " + draw(st.sampled_from(JUNK)).encode()
    elif kind == "key" and b"=" in line:
        key, rest = line.split(b"=", 1)
        k = bytearray(key)
        if k:
            k[draw(st.integers(0, len(k) - 1))] = draw(st.sampled_from(b'xq_ .["#'))
        lines[i] = bytes(k) + b"=" + rest
    elif kind == "delete":
        del lines[i]
    elif kind == "dup":
        lines.insert(i, line)
    elif kind == "move":  # a line (a key, a header) carried elsewhere: structure, not values
        lines.insert(draw(st.integers(0, len(lines))), lines.pop(i))
    elif kind == "header":
        lines.insert(i, draw(st.sampled_from(HEADERS)))
    elif kind == "bytes":
        blob = draw(st.binary(min_size=1, max_size=6))
        joined = b"\n".join(lines)
        at = draw(st.integers(0, len(joined)))
        return joined[:at] + blob + joined[at:]
    elif kind == "cut":
        joined = b"\n".join(lines)
        return joined[: draw(st.integers(0, len(joined)))]
    return b"\n".join(lines)


@st.composite
def damaged(draw: st.DrawFn) -> dict[str, bytes]:
    files = dict(originals())
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(FILES))
        files[name] = draw(mutation(files[name]))
    return files


def check_outcome(folder: Path) -> None:
    try:
        chor = load_choreography(folder)
    except ChoreographyError as exc:
        assert exc.problems
        for p in exc.problems:
            assert Path(p.file).parent == folder or Path(p.file) == folder, p.file
            assert p.message and isinstance(str(p), str)
        return
    assert isinstance(chor, Choreography)
    times = np.linspace(0.0, chor.sheet.duration, 400)
    for script in chor.dancers.values():
        tg = script.sample(times)
        for arr in (tg.angles, tg.x, tg.y, tg.facing, tg.stiffness, tg.speed):
            assert np.isfinite(arr).all()
    for c in chor.contacts:
        assert 0.0 <= c.start < c.end <= chor.sheet.duration


@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(damaged())
def test_random_damage_gives_a_choreography_or_a_clean_error(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, data in files.items():
            (folder / name).write_bytes(data)
        check_outcome(folder)


def test_the_undamaged_files_with_tempo_changes_are_valid(tmp_path: Path) -> None:
    for name, data in originals().items():
        (tmp_path / name).write_bytes(data)
    chor = load_choreography(tmp_path)
    assert len(chor.sheet.tempo.spans) == 3
