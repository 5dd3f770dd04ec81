"""``poses.toml``: known joints within their ranges, and inheritance that ends somewhere."""

from __future__ import annotations

from thereturn_viz.show.anatomy import JOINTS
from thereturn_viz.show.errors import Kind
from thereturn_viz.show.reading import Checker, Source
from thereturn_viz.show.validate.poses import check_poses, pose_names

from ..conftest import Files, problems, the


def _check(data: dict[str, object]) -> tuple[dict[str, tuple[float, ...]], Checker]:
    chk = Checker(Source("poses.toml", "poses"))
    return check_poses(data, chk), chk  # type: ignore[arg-type]


def test_a_pose_inherits_and_overrides() -> None:
    poses, chk = _check(
        {
            "neutral": {},
            "reach": {"l_shoulder": 170},
            "reach_bent": {"from": "reach", "l_elbow": 40},
        }
    )
    assert chk.problems == []
    bent = dict(zip(JOINTS, poses["reach_bent"], strict=True))
    assert bent["l_shoulder"] == 170.0 and bent["l_elbow"] == 40.0 and bent["waist"] == 0.0
    assert set(poses["neutral"]) == {0.0}


def test_unknown_joint_suggests_the_closest(files: Files) -> None:
    files.set("poses.toml", ("neutral", "l_sholder"), "10")
    p = the(problems(files.folder), "poses.toml", "poses.neutral.l_sholder")
    assert p.message == 'unknown joint "l_sholder"' and p.suggestion == 'did you mean "l_shoulder"?'
    assert p.kind is Kind.UNKNOWN_NAME and p.subject == "l_sholder"


def test_angle_outside_the_joints_range(files: Files) -> None:
    files.set("poses.toml", ("neutral", "l_knee"), "40")
    p = the(problems(files.folder), "poses.toml", "poses.neutral.l_knee")
    assert "from -155 to 0" in p.message and "got 40" in p.message and p.kind is Kind.RANGE
    assert p.expected == "l_knee degrees from -155 to 0"


def test_nan_and_absurd_angles(files: Files) -> None:
    files.set("poses.toml", ("neutral", "waist"), "nan")
    files.set("poses.toml", ("neutral", "l_knee"), "-" + "9" * 400)
    found = problems(files.folder)
    assert "nan (not a number)" in the(found, "poses.toml", "poses.neutral.waist").message
    assert "absurdly large" in the(found, "poses.toml", "poses.neutral.l_knee").message


def test_pose_inheritance_in_a_circle_and_from_unknown(files: Files) -> None:
    files.append("poses.toml", '[loop_a]\nfrom = "loop_b"\n\n[loop_b]\nfrom = "loop_a"')
    files.append("poses.toml", '[orphan]\nfrom = "neutrl"')
    found = problems(files.folder)
    circle = [p for p in found if p.kind is Kind.CONFLICT]
    assert len(circle) == 1 and "loop_a -> loop_b -> loop_a" in circle[0].message
    p = the(found, "poses.toml", "poses.orphan.from")
    assert p.suggestion == 'did you mean "neutral"?' and p.subject == "neutrl"


def test_a_broken_pose_breaks_its_heirs_but_keeps_its_name() -> None:
    data = {"neutral": {}, "bad": {"l_knee": 40}, "heir": {"from": "bad"}, "solo": "nope"}
    poses, chk = _check(data)
    assert set(poses) == {"neutral"}  # "bad" and its heir cannot be performed
    assert [p.key for p in chk.problems] == ["poses.solo", "poses.bad.l_knee"]
    assert set(pose_names(data)) == {"neutral", "bad", "heir"}  # keyframes may still name them


def test_neutral_is_required() -> None:
    _, chk = _check({"stand": {}})
    (p,) = chk.problems
    assert p.message == 'missing the pose "neutral"' and p.kind is Kind.MISSING
