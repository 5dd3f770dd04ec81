"""Gestures (keyframes of a few joints laid over the phrase) and holds (how long a keyframe
stays, in counts): what the targets do, what ``check`` says, and how the editing commands
carry them. Each test builds its own small folder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from thereturn_viz.cli import main
from thereturn_viz.paths import default_choreography
from thereturn_viz.show.anatomy import JOINTS
from thereturn_viz.show.choreography import Choreography
from thereturn_viz.show.errors import ChoreographyError
from thereturn_viz.show.loader import load_choreography

from .test_edit import DUET, LEAD, _partner

GESTURE = """
# a gesture: the right arm rises for a bar over the phrase
[[keyframes]]
at = "together+2bar"
joints = { r_shoulder = 160, r_elbow = 20 }
hold = "1bar"
"""


def _folder(tmp_path: Path, lead: str) -> Path:
    shipped = default_choreography()
    tmp_path.mkdir(parents=True, exist_ok=True)
    for name in ("cues.toml", "poses.toml"):
        (tmp_path / name).write_bytes((shipped / name).read_bytes())
    (tmp_path / "lead.toml").write_text(lead)
    (tmp_path / "partner.toml").write_text(_partner())
    (tmp_path / "duet.toml").write_text(DUET)
    return tmp_path


def _with_gesture(text: str = GESTURE) -> str:
    """LEAD with ``text`` put after the keyframe at together+4b (in time order)."""
    mark = "\n[[keyframes]]\nat = 'together+2bar+3b'"
    assert mark in LEAD
    return LEAD.replace(mark, "\n" + text.strip("\n") + "\n" + mark)


def _problems(folder: Path) -> list[str]:
    with pytest.raises(ChoreographyError) as caught:
        load_choreography(folder)
    return [str(p) for p in caught.value.problems]


def _angle(chor: Choreography, t: float, joint: str) -> float:
    return float(chor.dancers["lead"].sample(t).angles[0, JOINTS.index(joint)])


def test_a_gesture_moves_its_joints_only_and_gives_the_body_back_to_the_phrase(
    tmp_path: Path,
) -> None:
    plain = load_choreography(_folder(tmp_path / "a", LEAD))
    chor = load_choreography(_folder(tmp_path / "b", _with_gesture()))
    sheet, lead = chor.sheet, chor.dancers["lead"]
    (g,) = lead.gestures
    reached = sheet.tempo.after_bars(sheet.time_of("together"), 2)
    assert g.t == pytest.approx(reached)
    assert g.end == pytest.approx(sheet.tempo.after_bars(reached, 1))
    assert g.start == pytest.approx(sheet.tempo.after_beats(sheet.time_of("together"), 4))
    assert g.release == pytest.approx(g.end + (g.t - g.start))
    held = np.linspace(g.t, g.end, 7)
    got, base = lead.sample(held).angles, plain.dancers["lead"].sample(held).angles
    r_sh, r_el = JOINTS.index("r_shoulder"), JOINTS.index("r_elbow")
    assert np.allclose(got[:, r_sh], 160) and np.allclose(got[:, r_el], 20)
    others = [j for j in range(len(JOINTS)) if j not in (r_sh, r_el)]
    assert np.allclose(got[:, others], base[:, others])
    outside = np.array([g.start - 1.0, g.start, g.release, g.release + 2.0])
    assert np.allclose(lead.sample(outside).angles, plain.dancers["lead"].sample(outside).angles)
    half = lead.sample((g.start + g.t) / 2).angles[0, r_sh]
    assert min(160, base[0, r_sh]) < half < max(160, base[0, r_sh]) or base[0, r_sh] == 160


def test_a_keyframe_holds_its_pose_for_the_counts_it_says(tmp_path: Path) -> None:
    held = LEAD.replace(
        'pose = "breathe_in"\n', 'pose = "breathe_in"\nhold = "4b"  # stay a little\n'
    )
    chor = load_choreography(_folder(tmp_path, held))
    sheet, lead = chor.sheet, chor.dancers["lead"]
    t = sheet.tempo.after_beats(sheet.time_of("together"), 4)
    end = sheet.tempo.after_beats(t, 4)
    pose = np.array(chor.poses["breathe_in"])
    assert np.allclose(lead.sample(np.linspace(t, end, 5)).angles, pose)
    later = (end + sheet.tempo.after_beats(sheet.time_of("together"), 9)) / 2
    assert not np.allclose(lead.sample(later).angles[0], pose)  # then on to the next


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (GESTURE.replace("r_elbow", "r_elbw"), 'unknown joint "r_elbw" (did you mean "r_elbow"?)'),
        (GESTURE.replace("160", "260"), "r_shoulder"),
        (GESTURE.replace('"1bar"', '"two"'), 'cannot read amount "two"'),
        (GESTURE.replace('"1bar"', '"-1b"'), "a hold must be longer than 0"),
        (GESTURE + "x = 1.0\n", "x"),
        (GESTURE.replace("joints = {", "joints = 3 #"), "expected a table of joint angles"),
    ],
)
def test_check_names_what_is_wrong_with_a_gesture(tmp_path: Path, text: str, says: str) -> None:
    problems = _problems(_folder(tmp_path, _with_gesture(text)))
    assert len(problems) == 1 and says in problems[0] and "lead.keyframes[3]" in problems[0]


def test_a_keyframe_inside_a_hold_is_out_of_order(tmp_path: Path) -> None:
    held = LEAD.replace('pose = "breathe_in"\n', 'pose = "breathe_in"\nhold = "3bar"\n')
    (problem,) = _problems(_folder(tmp_path, held))
    assert "lead.keyframes[3].at: together+2bar+3b (128.44 s) is not after" in problem
    assert "(where its hold ends: together+4b (123.75 s) + 3bar = 132.19 s)" in problem


def test_a_gesture_needs_a_phrase_under_it(tmp_path: Path) -> None:
    first = LEAD.replace(
        "# the opening\n", "# the opening\n" + GESTURE.replace("together+2bar", "open")
    )
    problems = _problems(_folder(tmp_path, first))
    assert any("needs a keyframe with a pose before it" in p for p in problems)


def test_shift_and_mirror_carry_a_gesture(tmp_path: Path) -> None:
    folder = _folder(tmp_path, _with_gesture())
    before = {n: (folder / n).read_bytes() for n in ("lead.toml", "duet.toml")}
    span = ["lead", "--choreography", str(folder), "--from", "together+1b", "--to"]
    assert main(["shift", *span, "together+3bar", "--by", "+2b"]) == 0
    text = (folder / "lead.toml").read_text()
    assert 'at = "together+2bar+2b"\njoints = { r_shoulder = 160, r_elbow = 20 }' in text
    assert main(["shift", *span, "together+3bar+2b", "--by", "-2b"]) == 0
    assert {n: (folder / n).read_bytes() for n in before} == before
    assert main(["mirror", *span, "together+3bar"]) == 0
    chor = load_choreography(folder)
    (g,) = chor.dancers["lead"].gestures
    assert [JOINTS[j] for j in g.joints] == sorted(["l_shoulder", "l_elbow"], key=JOINTS.index)


def test_copies_before_a_gesture_leave_the_place_of_the_keyframe_after_it(tmp_path: Path) -> None:
    late = GESTURE.replace("together+2bar", "together+50")
    folder = _folder(tmp_path, LEAD.replace("\n# ---- after the phrase", late + "\n# ---- after"))
    heartbeat = load_choreography(folder).dancers["lead"].sample(200.0)
    argv = ["copy", "lead", "--choreography", str(folder), "--from", "open", "--to", "open"]
    assert main([*argv, "--at", "together+40"]) == 0
    chor = load_choreography(folder)
    (g,) = chor.dancers["lead"].gestures
    assert g.start == pytest.approx(160.0)  # the copy is the keyframe the gesture rises from
    after = chor.dancers["lead"].sample(200.0)
    assert after.x[0] == pytest.approx(heartbeat.x[0]) and after.facing[0] == heartbeat.facing[0]
