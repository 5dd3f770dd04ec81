"""The pose editor's model: which pose is edited, the angle a drag bends a joint to (inside its
range, the right way round on either facing), the history, and poses.toml written back."""

from __future__ import annotations

import difflib
import math
from pathlib import Path

import pytest

from thereturn_viz.show.anatomy import JOINTS, LIMITS, SEGMENTS
from thereturn_viz.show.edit import EditError
from thereturn_viz.show.loader import load_choreography
from thereturn_viz.show.posing import Handle, PoseSession, handles, load_edited, skeleton

HIP = (0.5, 0.95)


def _session(folder: Path) -> PoseSession:
    return PoseSession(folder, load_choreography(folder))


def _grab(session: PoseSession, pose: str, joint: str, facing: float) -> Handle:
    """Take hold of ``joint`` at the first of the lead's keyframes that dances ``pose``."""
    t = next(k.t for k in session.choreography.dancers["lead"].keyframes if k.pose == pose)
    bones = skeleton(session.angles(pose), 1.8, HIP, facing)
    h = next(h for h in handles("lead", bones) if h.joint == joint)
    session.grab(h, t, h.tip, facing)
    assert session.held is not None and session.held.pose == pose
    return h


def _turn(
    pivot: tuple[float, float], point: tuple[float, float], degrees: float
) -> tuple[float, float]:
    a = math.radians(degrees)
    x, y = point[0] - pivot[0], point[1] - pivot[1]
    return (
        pivot[0] + x * math.cos(a) - y * math.sin(a),
        pivot[1] + x * math.sin(a) + y * math.cos(a),
    )


def _diff(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="")
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]


def test_the_pose_in_force_is_the_last_keyframe_at_or_before_the_time(folder: Path) -> None:
    session = _session(folder)
    keys = session.choreography.dancers["lead"].keyframes
    k = keys[5]
    assert session.in_force("lead", k.t).index == 5
    assert session.in_force("lead", (k.t + keys[6].t) / 2).index == 5
    assert session.in_force("lead", k.t - 1e-3).index == 4
    assert session.in_force("lead", -1.0).index == 0  # before the first: the first
    line = session.in_force("lead", k.t).describe(session.uses(k.pose))
    assert '"open+12.5"' in line and f'pose "{k.pose}"' in line and "keyframes use it" in line


def test_a_gesture_in_the_file_is_not_a_keyframe_with_a_pose(folder: Path) -> None:
    """The keyframe in force is named by its table in the file, gestures counted there."""
    lead = folder / "lead.toml"
    text = lead.read_text()
    second = text.index("[[keyframes]]", text.index("[[keyframes]]") + 1)  # open+3's table
    gesture = '[[keyframes]]\nat = "open+1"\njoints = { r_shoulder = 40 }\n\n'
    held = text[second:].replace('at = "open+3"\n', 'at = "open+3"\nhold = 1.5\n', 1)
    lead.write_text(text[:second] + gesture + held)
    session = _session(folder)
    assert len(session.choreography.dancers["lead"].gestures) == 1
    k = session.in_force("lead", 3.0)  # "open+3": the second keyframe with a pose, the third table
    assert (k.index, k.table, k.written) == (1, 2, "open+3")
    assert k.describe(1).startswith('lead.keyframes[2] at "open+3"')
    k = session.in_force("lead", 5.0)  # its hold ended at 4.5: in the model, a keyframe again
    assert (k.index, k.table, k.written) == (2, 2, "open+3")
    k = session.in_force("lead", 6.0)
    assert (k.index, k.table, k.written) == (3, 3, "open+6")


@pytest.mark.parametrize("facing", [1.0, -1.0])
@pytest.mark.parametrize("joint", ["l_elbow", "r_knee", "waist", "l_shoulder"])
def test_a_drag_turns_the_segment_toward_the_pointer(
    folder: Path, facing: float, joint: str
) -> None:
    """Whichever way the figure faces, the dragged segment ends where the pointer turned it."""
    session = _session(folder)
    h = _grab(session, "stand", joint, facing)
    lo, hi = LIMITS[joint]
    now = session.poses["stand"][JOINTS.index(joint)]
    # turn by 20 degrees the way that stays inside the range
    turn = 20.0 if (now + 20.0 * facing <= hi and now + 20.0 * facing >= lo) else -20.0
    for step in range(1, 5):  # in small moves, as a pointer goes
        session.drag(_turn(h.pivot, h.tip, turn * step / 4))
    moved = session.angles("stand")
    segment = next(s.name for s in SEGMENTS if s.joint == joint)
    a, b = skeleton(moved, 1.8, HIP, facing)[segment]
    want = math.atan2(h.tip[1] - h.pivot[1], h.tip[0] - h.pivot[0]) + math.radians(turn)
    got = math.atan2(b[1] - a[1], b[0] - a[0])
    assert abs(math.remainder(got - want, math.tau)) < math.radians(1.0)  # whole degrees
    assert moved[JOINTS.index(joint)] == now + round(turn * facing)


def test_a_drag_stops_at_the_joints_range_and_comes_back_at_once(folder: Path) -> None:
    session = _session(folder)
    h = _grab(session, "stand", "l_elbow", 1.0)
    for step in range(1, 13):  # 240 degrees back: far past the straight arm (0)
        value = session.drag(_turn(h.pivot, h.tip, -20.0 * step))
        assert value is not None and 0 <= value <= 150
    assert value == 0
    back = session.drag(_turn(h.pivot, h.tip, -20.0 * 12 + 10.0))  # a little the other way
    assert back == 10  # not after unwinding the 228 degrees past the stop


def test_undo_and_redo_step_through_the_drags(folder: Path) -> None:
    session = _session(folder)
    original = session.text()
    values = []
    for joint in ("l_elbow", "r_knee"):
        h = _grab(session, "stand", joint, 1.0)
        values.append(session.drag(_turn(h.pivot, h.tip, -15.0)))
        assert session.release() is not None
    assert session.dirty and len(session.changed()) == 2
    undone = session.undo()
    assert undone is not None and undone.joint == "r_knee"
    assert session.poses["stand"][JOINTS.index("r_knee")] == -2.0  # as the file has it
    assert session.poses["stand"][JOINTS.index("l_elbow")] == values[0]
    assert session.undo() is not None and session.undo() is None
    assert session.text() == original and not session.dirty
    assert session.redo() is not None
    assert session.poses["stand"][JOINTS.index("l_elbow")] == values[0]
    h = _grab(session, "stand", "head", 1.0)  # a new drag forgets what was undone
    session.drag(_turn(h.pivot, h.tip, 10.0))
    session.release()
    assert session.redo() is None


def test_a_grab_that_moves_nothing_is_no_step(folder: Path) -> None:
    session = _session(folder)
    h = _grab(session, "stand", "l_elbow", 1.0)
    session.drag(_turn(h.pivot, h.tip, 0.2))  # less than half a degree
    assert session.release() is None and not session.done


def test_saving_changes_one_line_and_keeps_every_comment(folder: Path) -> None:
    path = folder / "poses.toml"
    before = path.read_text()
    session = _session(folder)
    h = _grab(session, "listen", "r_elbow", 1.0)  # listen's r_elbow is stand's (10)
    session.drag(_turn(h.pivot, h.tip, 30.0))
    session.release()
    h = _grab(session, "stand", "l_knee", 1.0)
    session.drag(_turn(h.pivot, h.tip, 25.0))
    session.release()
    assert session.save().startswith("saved poses.toml")
    after = path.read_text()
    # stand's own l_knee rewritten on its line; r_elbow written into listen (it inherited it)
    assert sorted(_diff(before, after)) == ["+l_knee = 0", "+r_elbow = 40", "-l_knee = -4"]
    assert "l_wrist = 15\nr_elbow = 40\n\n" in after
    assert [ln for ln in before.splitlines() if ln.startswith("#")] == [
        ln for ln in after.splitlines() if ln.startswith("#")
    ]
    poses = load_choreography(folder).poses
    assert poses["listen"][JOINTS.index("r_elbow")] == 40.0
    assert poses["stand"][JOINTS.index("l_knee")] == 0.0  # stopped at the range's end
    assert poses["stand_weight_back"][JOINTS.index("l_knee")] == 0.0  # inherits it
    assert not list(folder.glob(".*.edit"))  # no temporary file left behind


def test_undoing_every_drag_after_a_save_gives_the_file_back_byte_for_byte(
    folder: Path,
) -> None:
    path = folder / "poses.toml"
    original = path.read_bytes()
    session = _session(folder)
    for pose, joint in (("listen", "r_elbow"), ("stand", "waist"), ("stand", "l_elbow")):
        h = _grab(session, pose, joint, -1.0)
        session.drag(_turn(h.pivot, h.tip, 12.0))
        assert session.release() is not None
    session.save()
    assert path.read_bytes() != original
    while session.undo() is not None:
        pass
    assert session.save().startswith("saved")
    assert path.read_bytes() == original
    assert session.save().startswith("nothing to save")


def test_a_save_keeps_what_a_text_editor_saved_meanwhile(folder: Path) -> None:
    path = folder / "poses.toml"
    session = _session(folder)
    h = _grab(session, "stand", "l_elbow", 1.0)
    session.drag(_turn(h.pivot, h.tip, 10.0))
    session.release()
    path.write_text(path.read_text().replace("[look_down]\n", "[look_down]\n# a note\n"))
    session.save()
    text = path.read_text()
    assert "[look_down]\n# a note\n" in text and "l_elbow = 22" in text


def test_a_save_the_folder_would_fail_with_is_refused_and_writes_nothing(folder: Path) -> None:
    path = folder / "poses.toml"
    before = path.read_text()
    session = _session(folder)
    h = _grab(session, "stand", "l_elbow", 1.0)
    session.drag(_turn(h.pivot, h.tip, 10.0))
    session.release()
    lead = folder / "lead.toml"  # broken meanwhile in another file
    lead.write_text(lead.read_text().replace('pose = "stand"', 'pose = "stnad"', 1))
    with pytest.raises(EditError, match="stnad"):
        session.save()
    assert path.read_text() == before


def test_the_edited_choreography_loads_from_a_scratch_copy(folder: Path) -> None:
    session = _session(folder)
    h = _grab(session, "stand", "l_elbow", 1.0)
    session.drag(_turn(h.pivot, h.tip, 10.0))
    session.release()
    before = (folder / "poses.toml").read_text()
    chor = load_edited(folder, session.text())
    assert chor.folder == folder and (folder / "poses.toml").read_text() == before
    first = chor.dancers["lead"].keyframes[0]
    assert first.pose == "stand" and first.angles[JOINTS.index("l_elbow")] == 22.0
