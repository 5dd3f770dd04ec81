"""``poses.toml``: named poses as joint angles, each optionally inheriting another (``from``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..anatomy import JOINTS, LIMITS
from ..choreography import Pose
from ..errors import Kind, describe, did_you_mean
from ..reading import Checker
from .fields import check_number


def pose_names(data: dict[str, Any]) -> set[str]:
    """The names poses.toml defines, broken ones included: a keyframe naming one of them is not
    told the name is unknown (the pose's own problem is reported in poses.toml)."""
    return {k for k, v in data.items() if isinstance(v, dict)}


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
    for name in raw:
        _check_pose(name, raw[name], raw, chk, broken)
    resolved: dict[str, Pose] = {}
    for name in raw:
        chain = _chain(name, raw, chk, broken)
        if chain is None:
            continue
        angles = [0.0] * len(JOINTS)
        for link in reversed(chain):
            for joint, value in raw[link].items():
                if joint != "from":
                    angles[JOINTS.index(joint)] = float(value)
        resolved[name] = tuple(angles)
    return resolved


def _chain(
    name: str, raw: Mapping[str, dict[str, Any]], chk: Checker, broken: set[str]
) -> list[str] | None:
    """``name`` and the poses it inherits from, nearest first; None if any link is broken.

    A circle is reported once, at the pose of the circle that sorts first."""
    chain = [name]
    while (parent := raw[chain[-1]].get("from")) is not None:
        if not isinstance(parent, str) or parent not in raw or parent in broken:
            broken.add(name)
            return None
        if parent in chain:
            if chain[0] == min(chain[chain.index(parent) :]):
                chk.add(
                    (name, "from"),
                    Kind.CONFLICT,
                    "poses inherit from each other in a circle: " + " -> ".join((*chain, parent)),
                )
            broken.add(name)
            return None
        chain.append(parent)
    return None if name in broken else chain


def _check_pose(
    name: str,
    table: dict[str, Any],
    raw: Mapping[str, Any],
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
