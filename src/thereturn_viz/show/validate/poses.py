"""``poses.toml``: named poses as joint angles, each optionally inheriting another (``from``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..anatomy import JOINTS, LIMITS
from ..choreography import Pose
from ..errors import Kind, Names, describe, did_you_mean
from ..reading import Checker
from .fields import check_number


def pose_names(data: dict[str, Any]) -> Names:
    """The names poses.toml defines, broken ones included: a keyframe naming one of them is not
    told the name is unknown (the pose's own problem is reported in poses.toml)."""
    return Names(k for k, v in data.items() if isinstance(v, dict))


def check_poses(data: dict[str, Any], chk: Checker) -> dict[str, Pose]:
    """Poses by name, every problem reported; a broken pose (or one inheriting from it) is left
    out. ``from`` inherits another pose and overrides some joints."""
    raw: dict[str, dict[str, Any]] = {}
    for name, table in data.items():
        if not isinstance(table, dict):
            chk.add(
                (name,),
                Kind.TYPE,
                f"expected a [{name}] table of joint angles in degrees, got {describe(table)}",
                "a pose is a table: [reach_high] then lines like l_shoulder = 170",
            )
            continue
        raw[name] = table
    if raw and "neutral" not in raw:
        chk.add((), Kind.MISSING, 'missing the pose "neutral"', "add an empty [neutral] table")
    broken: set[str] = set()
    names = Names(raw)
    for name in raw:
        _check_pose(name, raw[name], names, chk, broken)
    return resolve(raw, broken, chk).poses


@dataclass
class Resolution:
    """The poses resolved through their ``from`` chains, and how many links were followed to
    resolve them: each pose is resolved once and remembered, so that a chain of n poses each
    inheriting the one before costs n steps, not n squared (4,000 such poses took 188 s)."""

    poses: dict[str, Pose] = field(default_factory=dict)
    steps: int = 0


def resolve(raw: Mapping[str, dict[str, Any]], broken: set[str], chk: Checker) -> Resolution:
    """Every pose of ``raw`` not broken, nor inheriting (at any distance) from a broken pose, an
    unknown one or a circle; ``broken`` grows by those left out. A circle is reported once, at
    its pose that sorts first, in the order of the file."""
    out = Resolution()
    failed: set[str] = set()
    circles: dict[str, str] = {}
    for name in raw:
        path: list[str] = []
        on_path: dict[str, int] = {}
        here: str | None = name
        ok = True
        # walk up until a pose already known (resolved or failed), a root, or a circle
        while here is not None and here not in out.poses and here not in failed:
            out.steps += 1
            if here in on_path:
                circle = path[on_path[here] :]
                first = min(circle)
                turn = circle[circle.index(first) :] + circle[: circle.index(first)]
                circles[first] = " -> ".join((*turn, first))
                ok = False
                break
            on_path[here] = len(path)
            path.append(here)
            if here in broken:
                ok = False
                break
            parent = raw[here].get("from")
            if parent is None:
                break
            if not isinstance(parent, str) or parent not in raw:
                ok = False
                break
            here = parent
        if here is not None and here in failed:
            ok = False
        if not ok:
            failed.update(path)
            broken.update(path)
            continue
        # resolve back down the path, each pose from its (now resolved) parent
        for link in reversed(path):
            parent = raw[link].get("from")
            angles = list(out.poses[parent]) if parent is not None else [0.0] * len(JOINTS)
            for joint, value in raw[link].items():
                if joint != "from":
                    angles[JOINTS.index(joint)] = float(value)
            out.poses[link] = tuple(angles)
    for name in raw:
        if name in circles:
            chk.add(
                (name, "from"),
                Kind.CONFLICT,
                "poses inherit from each other in a circle: " + circles[name],
            )
    return out


def _check_pose(
    name: str,
    table: dict[str, Any],
    raw: Names,
    chk: Checker,
    broken: set[str],
) -> None:
    parent = table.get("from")
    if parent is not None and (not isinstance(parent, str) or parent not in raw):
        hint = did_you_mean(parent, raw) if isinstance(parent, str) else "a pose name"
        chk.add(
            (name, "from"),
            Kind.UNKNOWN_NAME if isinstance(parent, str) else Kind.TYPE,
            f"unknown pose {describe(parent)} to inherit from",
            hint,
            expected="a pose of poses.toml",
            subject=parent if isinstance(parent, str) else "",
        )
        broken.add(name)
    for joint, value in table.items():
        if joint == "from":
            continue
        if joint not in JOINTS:
            chk.add(
                (name, joint),
                Kind.UNKNOWN_NAME,
                f'unknown joint "{joint}"',
                did_you_mean(joint, JOINTS) or "joints: " + ", ".join(JOINTS),
                expected="a joint: " + ", ".join(JOINTS),
                subject=joint,
            )
            broken.add(name)
            continue
        lo, hi = LIMITS[joint]
        hint = "see the joint ranges in docs/choreography.md"
        if not check_number(chk, (name, joint), value, lo, hi, f"{joint} degrees", hint):
            broken.add(name)
