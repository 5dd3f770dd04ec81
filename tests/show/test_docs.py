"""docs/choreography.md against the code: its examples load, its tables list what the code knows.

A choreographer learns the format from that page, so a key, a range or a name it shows that the
loader would reject is a bug, caught here rather than in a rehearsal.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from thereturn_viz.show.anatomy import LIMITS
from thereturn_viz.show.easing import NAMED
from thereturn_viz.show.effort import WORDS
from thereturn_viz.show.errors import ChoreographyError
from thereturn_viz.show.loader import load_choreography, load_cues
from thereturn_viz.show.validate.cues import CUE_KEYS
from thereturn_viz.show.validate.dancer import DANCER_KEYS
from thereturn_viz.show.validate.duet import CONTACT_KEYS
from thereturn_viz.show.validate.gesture import GESTURE_KEYS, is_gesture
from thereturn_viz.show.validate.keyframe import KEYFRAME_KEYS
from thereturn_viz.show.validate.tempo import CHANGE_KEYS, TEMPO_KEYS

DOC = Path(__file__).resolve().parents[2] / "docs" / "choreography.md"


@cache
def doc() -> str:
    return DOC.read_text()


def toml_blocks() -> list[str]:
    return re.findall(r"```toml\n(.*?)```", doc(), re.S)


def section(title: str) -> str:
    start = doc().index(title)
    end = doc().find("\n## ", start + len(title))
    return doc()[start : end if end > 0 else None]


def test_every_toml_example_is_toml_with_keys_the_loader_knows() -> None:
    blocks = toml_blocks()
    assert len(blocks) >= 6
    for block in blocks:
        data = tomllib.loads(block)
        for table, known in (
            ("keyframes", KEYFRAME_KEYS),
            ("contacts", CONTACT_KEYS),
            ("cue", CUE_KEYS),
        ):
            for entry in data.get(table, []):
                keys = GESTURE_KEYS if table == "keyframes" and is_gesture(entry) else known
                assert set(entry) <= set(keys), (table, entry)
        assert set(data.get("dancer", {})) <= set(DANCER_KEYS)
        tempo = data.get("tempo", {})
        assert set(tempo) <= set(TEMPO_KEYS)
        for change in tempo.get("change", []):
            assert set(change) <= set(CHANGE_KEYS)


def _worked_example(folder: Path, shipped: Path) -> dict[str, Any]:
    """The worked example written into a copy of the shipped cue sheet and pose library."""
    blocks = re.findall(r"```toml\n(.*?)```", section("## A worked example"), re.S)
    poses, dancers = blocks
    partner, lead = dancers.split("# lead.toml")
    folder.mkdir()
    shutil.copyfile(shipped / "cues.toml", folder / "cues.toml")
    (folder / "poses.toml").write_text((shipped / "poses.toml").read_text() + "\n" + poses)
    (folder / "partner.toml").write_text(partner)
    (folder / "lead.toml").write_text(lead)
    (folder / "duet.toml").write_text("# no contacts in this example\n")
    return {"lead": lead, "partner": partner}


def test_the_worked_example_loads_and_dances_as_described(
    tmp_path: Path, choreography_dir: Path
) -> None:
    folder = tmp_path / "example"
    _worked_example(folder, choreography_dir)
    chor = load_choreography(folder)
    sheet = chor.sheet
    (reach,) = chor.dancers["partner"].keyframes
    retreat, bend = chor.dancers["lead"].keyframes
    assert reach.t == sheet.time_of("conversation") and reach.pose == "reach_toward"
    assert retreat.t == sheet.time_of("conversation") + 1.5 and retreat.x == -1.4
    assert bend.pose == "bend_toward" and bend.x == retreat.x  # x carries over
    # "bends toward her on a downbeat, three seconds on"
    downbeats = sheet.tempo.downbeats(retreat.t, sheet.duration)
    assert min(abs(d - bend.t) for d in downbeats) < 1e-9
    assert bend.t - retreat.t == pytest.approx(3.0, abs=0.25)


def test_the_documented_typo_message_is_the_real_one(
    tmp_path: Path, choreography_dir: Path
) -> None:
    folder = tmp_path / "example"
    files = _worked_example(folder, choreography_dir)
    (folder / "lead.toml").write_text(files["lead"].replace('"retreat"', '"retreet"'))
    with pytest.raises(ChoreographyError) as exc:
        load_choreography(folder)
    (problem,) = exc.value.problems
    m = re.search(r"`lead\.toml:…: (lead\.keyframes)\[\d+\](\.pose: .*?)`", doc())
    assert m, "the doc no longer shows the typo message"
    assert str(problem).endswith(m.group(2)) and problem.key.startswith(m.group(1))


def test_the_tempo_example_reads_as_the_doc_says(tmp_path: Path, choreography_dir: Path) -> None:
    block = next(b for b in toml_blocks() if "[[tempo.change]]" in b)
    tempo = block[: block.index("[[cue]]")]
    shipped = (choreography_dir / "cues.toml").read_text()
    head, rest = shipped.split("[tempo]", 1)
    cues = rest[rest.index("[[cue]]") :]
    (tmp_path / "cues.toml").write_text(head + tempo + "\n" + cues)
    sheet = load_cues(tmp_path / "cues.toml")
    first, at_bar, at_cue = sheet.tempo.spans
    assert first.t == sheet.time_of("first_note") and first.beats_per_bar == 3
    assert at_bar.bar == 40 and at_bar.bpm == 68
    assert at_cue.t == sheet.time_of("music_resumes") and at_cue.bpm == 60
    assert at_cue.beats_per_bar == 4 and sheet.tempo.label(at_cue.t).endswith(".1")


def test_the_joint_table_gives_the_codes_ranges() -> None:
    rows = re.findall(r"^\| (`[a-z_]+`(?:, `[a-z_]+`)?) \|.*\| (-?\d+) … (-?\d+) \|$", doc(), re.M)
    documented = {
        name.strip("`"): (float(lo), float(hi))
        for names, lo, hi in rows
        for name in names.split(", ")
    }
    assert documented == LIMITS


def test_the_easing_names_and_effort_words_are_the_codes() -> None:
    line = re.search(r"Easing names: (.*?)\.\n\n", doc(), re.S)
    assert line
    assert re.findall(r"`([a-z_]+)`", line.group(1)) == list(NAMED)
    efforts = section("### Efforts")
    table = re.findall(r"^\| \w+ \| `(\w+)` / `(\w+)` \|", efforts, re.M)
    words = {w for pair in table for w in pair} | {"neutral"}
    assert "`neutral`" in efforts and words == set(WORDS)


def test_the_story_page_lists_every_cue_at_its_time_in_order() -> None:
    """docs/story.md is the piece in the repository's own words: its cue table must be the
    sheet's, so a cue moved or renamed there is caught here."""
    from thereturn_viz.paths import default_choreography
    from thereturn_viz.show.cues import STORY_CUES

    text = (DOC.parent / "story.md").read_text()
    rows = re.findall(r"^\| `(\w+)` \| (\d\d):(\d\d) \| ([\d.-]+) \|", text, re.M)
    sheet = load_cues(default_choreography() / "cues.toml")
    assert tuple(name for name, *_ in rows) == STORY_CUES
    for name, minutes, seconds, bar_beat in rows:
        assert int(minutes) * 60 + int(seconds) == round(sheet.time_of(name)), name
        assert bar_beat == sheet.tempo.label(sheet.time_of(name)), name
    for word in ("studio", "mirror", "score", "heartbeat"):
        assert word in text
