"""The choreography: poses, each dancer's keyframes and the duet's contacts, loaded and checked.

One loader serves ``check``, ``play``, ``kiosk`` and ``export``. It never raises anything but
:class:`ChoreographyError`, which carries every problem found (file, key path, expectation, hint).
Targets are sampled vectorised: :meth:`DancerScript.sample` turns an array of times into arrays of
joint angles, floor positions, facings and efforts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .anatomy import JOINTS, LIMITS
from .cues import (
    FILES,
    STORY_CUES,
    CueSheet,
    collect_cue_file,
    number_problem,
    read_source,
    stand_in_sheet,
    unknown_keys,
)
from .easing import NAMED, Ease, joint_arc, make_ease
from .effort import WORDS, Effort, parse_effort
from .errors import ChoreographyError, Problem, Source, describe, did_you_mean
from .timing import TimeError, parse_time

Arr = NDArray[np.float64]
_LO = np.array([LIMITS[j][0] for j in JOINTS])
_HI = np.array([LIMITS[j][1] for j in JOINTS])
DANCERS: tuple[str, ...] = ("lead", "partner")
CONTACT_KINDS: dict[str, tuple[str, ...]] = {
    # kind: the keys naming the body parts involved
    "hands": ("lead", "partner"),
    "waist": (),
    "lift": (),
}
HANDS = ("l_hand", "r_hand")
#: Floor positions a keyframe may use (the studio is x in [-6, 6]).
STAGE_X = (-5.5, 5.5)
#: How far (m) a keyframe may raise the pelvis (a lift, a jump) or lower it.
STAGE_Y = (-1.5, 2.5)
HEIGHT_RANGE = (1.2, 2.2)
LIFT_HEIGHT = (0.0, 2.5)
KEYFRAME_KEYS = ("at", "pose", "x", "y", "facing", "ease", "effort")
DANCER_KEYS = ("height", "enters")
CONTACT_KEYS = ("kind", "start", "end", "lead", "partner", "height")
FACINGS: dict[object, float] = {"right": 1.0, "left": -1.0, 1: 1.0, -1: -1.0}
KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Keyframe:
    t: float
    pose: str
    angles: tuple[float, ...]  # degrees, in JOINTS order
    x: float
    facing: float  # +1 right, -1 left
    y: float  # meters the pelvis is raised above its grounded height (a lift, a jump)
    ease: str | tuple[float, ...]
    effort: Effort


@dataclass(frozen=True)
class Targets:
    """Targets for an array of times: what the physics steers toward."""

    angles: Arr  # (n, len(JOINTS)) degrees
    x: Arr  # (n,)
    y: Arr  # (n,) meters above the grounded height
    facing: Arr  # (n,) from -1 to +1
    stiffness: Arr  # (n,)
    speed: Arr  # (n,)
    visible: NDArray[np.bool_]  # (n,)


@dataclass(frozen=True)
class DancerScript:
    name: str
    height: float
    enters: float
    keyframes: tuple[Keyframe, ...]
    _eases: tuple[Ease, ...] = field(default=(), repr=False, compare=False)

    def sample(self, times: Arr | float) -> Targets:
        """Targets at ``times`` (any shape flattened); each move eases into its keyframe.

        Angles turn the shorter way round where the joint's range allows it (see
        :func:`~.easing.joint_arc`); positions, lift and facing ease linearly in value.
        """
        t = np.atleast_1d(np.asarray(times, dtype=np.float64)).ravel()
        kt = np.array([k.t for k in self.keyframes])
        angles = np.array([k.angles for k in self.keyframes])
        i1 = np.clip(np.searchsorted(kt, t, side="right"), 1, len(kt) - 1)
        i0 = i1 - 1
        if len(kt) == 1:
            i0 = i1 = np.zeros_like(i1)
        span = np.maximum(kt[i1] - kt[i0], 1e-9)
        u = np.clip((t - kt[i0]) / span, 0.0, 1.0)
        u = np.where(i0 == i1, 0.0, u)
        eased = np.empty_like(u)
        for k in np.unique(i1):
            sel = i1 == k
            eased[sel] = self._eases[k](u[sel]) if self._eases else u[sel]
        e = eased[:, None]
        ang = angles[i0] + joint_arc(angles[i0], angles[i1], _LO, _HI) * e
        xs = np.array([k.x for k in self.keyframes])
        ys = np.array([k.y for k in self.keyframes])
        fac = np.array([k.facing for k in self.keyframes])
        stiff = np.array([k.effort.stiffness for k in self.keyframes])
        speed = np.array([k.effort.speed for k in self.keyframes])
        return Targets(
            angles=ang,
            x=xs[i0] + (xs[i1] - xs[i0]) * eased,
            y=ys[i0] + (ys[i1] - ys[i0]) * eased,
            facing=fac[i0] + (fac[i1] - fac[i0]) * eased,
            stiffness=stiff[i1],
            speed=speed[i1],
            visible=t >= self.enters,
        )


@dataclass(frozen=True)
class Contact:
    kind: str
    start: float
    end: float
    lead_part: str = ""
    partner_part: str = ""
    #: for a lift: how high (m) her pelvis is carried above the floor at the top
    height: float = 0.0


@dataclass(frozen=True)
class Choreography:
    folder: Path
    sheet: CueSheet
    poses: Mapping[str, tuple[float, ...]]
    dancers: Mapping[str, DancerScript]
    contacts: tuple[Contact, ...]

    def contacts_at(self, t: float) -> tuple[Contact, ...]:
        return tuple(c for c in self.contacts if c.start <= t < c.end)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


class _Collector:
    """Collects problems while parsing; the parsers return None for an unusable entry."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, src: Source, path: KeyPath, message: str, hint: str = "") -> None:
        self.problems.append(src.problem(path, message, hint))


def parse_poses(data: dict[str, Any], src: Source, out: _Collector) -> dict[str, tuple[float, ...]]:
    """Poses by name; ``from`` inherits another pose and overrides some joints."""
    raw: dict[str, dict[str, Any]] = {}
    for name, table in data.items():
        if not isinstance(table, dict):
            out.add(
                src,
                (name,),
                f"expected a [{name}] table of joint angles in degrees, got {describe(table)}",
                "a pose is a table: [reach_high] then lines like l_shoulder = 170",
            )
            continue
        raw[name] = table
    if raw and "neutral" not in raw:
        out.add(src, (), 'missing the pose "neutral"', "add an empty [neutral] table")
    resolved: dict[str, tuple[float, ...]] = {}
    broken: set[str] = set()
    for name in raw:
        _check_pose(name, raw[name], raw, src, out, broken)
    for name in raw:
        chain = [name]
        while (parent := raw[chain[-1]].get("from")) is not None:
            if not isinstance(parent, str) or parent not in raw or parent in broken:
                broken.add(name)
                break
            if parent in chain:
                if chain[0] == min(chain[chain.index(parent) :]):
                    out.add(
                        src,
                        (name, "from"),
                        "poses inherit from each other in a circle: "
                        + " -> ".join((*chain, parent)),
                    )
                broken.add(name)
                break
            chain.append(parent)
        if name in broken:
            continue
        angles = [0.0] * len(JOINTS)
        for link in reversed(chain):
            for joint, value in raw[link].items():
                if joint != "from":
                    angles[JOINTS.index(joint)] = float(value)
        resolved[name] = tuple(angles)
    return resolved


def _check_pose(
    name: str,
    table: dict[str, Any],
    raw: Mapping[str, Any],
    src: Source,
    out: _Collector,
    broken: set[str],
) -> None:
    parent = table.get("from")
    if parent is not None and (not isinstance(parent, str) or parent not in raw):
        hint = did_you_mean(parent, raw) if isinstance(parent, str) else "a pose name"
        out.add(src, (name, "from"), f"unknown pose {describe(parent)} to inherit from", hint)
        broken.add(name)
    for joint, value in table.items():
        if joint == "from":
            continue
        if joint not in JOINTS:
            out.add(
                src,
                (name, joint),
                f'unknown joint "{joint}"',
                did_you_mean(joint, JOINTS) or "joints: " + ", ".join(JOINTS),
            )
            broken.add(name)
            continue
        lo, hi = LIMITS[joint]
        bad = number_problem(value, lo, hi, f"{joint} degrees")
        if bad:
            out.add(src, (name, joint), bad, "see the joint ranges in docs/choreography.md")
            broken.add(name)


def _time(
    value: Any, sheet: CueSheet, src: Source, path: KeyPath, out: _Collector, what: str = "a time"
) -> float | None:
    if value is None:
        out.add(src, path, f"missing: {what} (seconds, a cue, cue+2 or bar 12 beat 3)")
        return None
    if not isinstance(value, str) and not _is_number(value):
        out.add(src, path, f"expected {what} (seconds or a cue expression), got {describe(value)}")
        return None
    try:
        t = parse_time(value, sheet)
    except TimeError as exc:
        out.add(src, path, str(exc))
        return None
    if not 0.0 <= t <= sheet.duration:
        shown = f"{t:.3g} s (absurd)" if abs(t) > 1e6 else f"{t:.2f} s"
        side = "before the start" if t < 0 else 'after "end"'
        out.add(src, path, f"{shown} is {side}: the piece runs from 0 to {sheet.duration:g} s")
        return None
    return t


def parse_dancer(
    name: str,
    data: dict[str, Any],
    src: Source,
    sheet: CueSheet,
    poses: Mapping[str, tuple[float, ...]],
    pose_names: set[str] | None,
    out: _Collector,
) -> DancerScript | None:
    before = len(out.problems)
    for bad_key in unknown_keys(src, data, (), ("dancer", "keyframes")):
        out.problems.append(bad_key)
    head = data.get("dancer", {})
    if not isinstance(head, dict):
        out.add(src, ("dancer",), "expected a [dancer] table with height and enters")
        head = {}
    out.problems.extend(unknown_keys(src, head, ("dancer",), DANCER_KEYS))
    height = head.get("height", 1.8 if name == "lead" else 1.65)
    bad = number_problem(height, *HEIGHT_RANGE, "a height in meters")
    if bad:
        out.add(src, ("dancer", "height"), bad)
        height = 1.75
    enters = _time(head.get("enters", 0.0), sheet, src, ("dancer", "enters"), out)
    raw = data.get("keyframes")
    if not isinstance(raw, list) or not raw:
        what = "missing" if raw is None else f"got {describe(raw)}"
        out.add(src, ("keyframes",), f"expected a list of [[keyframes]] tables, {what}")
        return None
    frames: list[Keyframe] = []
    eases: list[Ease] = []
    last_t, last_i = -math.inf, -1
    for i, kf in enumerate(raw):
        path: KeyPath = ("keyframes", i)
        if not isinstance(kf, dict):
            out.add(src, path, f"expected a [[keyframes]] table, got {describe(kf)}")
            continue
        frame = _keyframe(
            kf, path, src, sheet, poses, pose_names, out, frames[-1] if frames else None
        )
        if frame is None:
            continue
        keyframe, ease = frame
        if keyframe.t <= last_t:
            out.add(
                src,
                (*path, "at"),
                f"{keyframe.t:.2f} s is not after keyframes[{last_i}] ({last_t:.2f} s)",
                "keyframes must be in time order, each later than the one before",
            )
            continue
        last_t, last_i = keyframe.t, i
        frames.append(keyframe)
        eases.append(ease)
    if len(out.problems) > before or enters is None or not frames:
        return None
    return DancerScript(name, float(height), enters, tuple(frames), tuple(eases))


def _keyframe(
    kf: dict[str, Any],
    path: KeyPath,
    src: Source,
    sheet: CueSheet,
    poses: Mapping[str, tuple[float, ...]],
    pose_names: set[str] | None,
    out: _Collector,
    previous: Keyframe | None,
) -> tuple[Keyframe, Ease] | None:
    """One keyframe, or None after reporting everything wrong with it."""
    before = len(out.problems)
    out.problems.extend(unknown_keys(src, kf, path, KEYFRAME_KEYS))
    t = _time(kf.get("at"), sheet, src, (*path, "at"), out, "when this keyframe is reached")
    pose = kf.get("pose")
    if not isinstance(pose, str):
        what = "missing" if pose is None else f"got {describe(pose)}"
        out.add(src, (*path, "pose"), f"expected a pose name from poses.toml, {what}")
    elif pose_names is not None and pose not in pose_names:
        out.add(
            src,
            (*path, "pose"),
            f'unknown pose "{pose}"',
            did_you_mean(pose, pose_names) or "poses are defined in poses.toml",
        )
    x = kf.get("x", previous.x if previous else 0.0)
    bad = number_problem(x, *STAGE_X, "a floor position in meters")
    if bad:
        out.add(src, (*path, "x"), bad)
    y = kf.get("y", 0.0)
    bad_y = number_problem(y, *STAGE_Y, "meters above the grounded pose")
    if bad_y:
        out.add(src, (*path, "y"), bad_y)
    facing_raw = kf.get("facing", previous.facing if previous else 1.0)
    facing = None
    if isinstance(facing_raw, str | int | float) and not isinstance(facing_raw, bool):
        facing = FACINGS.get(facing_raw)
    if facing is None:
        hint = did_you_mean(facing_raw, ("left", "right")) if isinstance(facing_raw, str) else ""
        out.add(
            src, (*path, "facing"), f'expected "left" or "right", got {describe(facing_raw)}', hint
        )
    ease_raw = kf.get("ease", "in_out_sine")
    ease: Ease | None = None
    try:
        ease = make_ease(ease_raw)
    except ValueError as exc:
        hint = did_you_mean(ease_raw, NAMED) if isinstance(ease_raw, str) else ""
        out.add(src, (*path, "ease"), str(exc), hint or "names: " + ", ".join(NAMED))
    effort_raw = kf.get("effort", "neutral")
    effort: Effort | None = None
    if not isinstance(effort_raw, str):
        out.add(
            src,
            (*path, "effort"),
            f'expected words like "sustained light", got {describe(effort_raw)}',
        )
    else:
        try:
            effort = parse_effort(effort_raw)
        except ValueError as exc:
            unknown = str(exc).startswith("unknown effort word")
            word = str(exc).split('"')[1] if unknown else ""
            hint = did_you_mean(word, WORDS) if word else ""
            out.add(src, (*path, "effort"), str(exc), hint or "words: " + ", ".join(WORDS))
    if len(out.problems) > before or t is None or ease is None or effort is None:
        return None
    assert isinstance(pose, str) and facing is not None
    if pose not in poses:
        return None  # the pose itself is broken: poses.toml has the message
    spec = ease_raw if isinstance(ease_raw, str) else tuple(float(v) for v in ease_raw)
    return Keyframe(t, pose, poses[pose], float(x), facing, float(y), spec, effort), ease


def parse_contacts(
    data: dict[str, Any],
    src: Source,
    sheet: CueSheet,
    dancers: Mapping[str, DancerScript],
    out: _Collector,
) -> tuple[Contact, ...]:
    out.problems.extend(unknown_keys(src, data, (), ("contacts",)))
    raw = data.get("contacts", [])
    if not isinstance(raw, list):
        out.add(src, ("contacts",), f"expected a list of [[contacts]] tables, got {describe(raw)}")
        return ()
    contacts: list[Contact] = []
    rows: list[int] = []
    for i, c in enumerate(raw):
        path: KeyPath = ("contacts", i)
        if not isinstance(c, dict):
            out.add(src, path, f"expected a [[contacts]] table, got {describe(c)}")
            continue
        contact = _contact(c, path, src, sheet, dancers, out)
        if contact is not None:
            contacts.append(contact)
            rows.append(i)
    for i, a in enumerate(contacts):
        for j in range(i + 1, len(contacts)):
            b = contacts[j]
            if a.start < b.end and b.start < a.end and _clash(a, b):
                what = "use the same hand" if a.kind == b.kind == "hands" else "cannot overlap"
                out.add(
                    src,
                    ("contacts", rows[j]),
                    f"{b.kind} ({b.start:.1f}-{b.end:.1f} s) overlaps contacts[{rows[i]}], "
                    f"{a.kind} ({a.start:.1f}-{a.end:.1f} s): they {what}",
                    "only hand holds on different hands may overlap",
                )
    return tuple(contacts)


def _contact(
    c: dict[str, Any],
    path: KeyPath,
    src: Source,
    sheet: CueSheet,
    dancers: Mapping[str, DancerScript],
    out: _Collector,
) -> Contact | None:
    before = len(out.problems)
    out.problems.extend(unknown_keys(src, c, path, CONTACT_KEYS))
    kind = c.get("kind")
    if not isinstance(kind, str) or kind not in CONTACT_KINDS:
        what = "missing" if kind is None else f"got {describe(kind)}"
        hint = did_you_mean(kind, CONTACT_KINDS) if isinstance(kind, str) else ""
        out.add(src, (*path, "kind"), f"expected one of {', '.join(CONTACT_KINDS)}, {what}", hint)
        return None
    start = _time(c.get("start"), sheet, src, (*path, "start"), out, "when the contact starts")
    end = _time(c.get("end"), sheet, src, (*path, "end"), out, "when the contact ends")
    parts = {"lead": "", "partner": ""}
    for who in ("lead", "partner"):
        part = c.get(who)
        if who not in CONTACT_KINDS[kind]:
            if part is not None:
                out.add(src, (*path, who), f"a {kind} contact names no hands", "remove this key")
            continue
        if not isinstance(part, str) or part not in HANDS:
            what = "missing" if part is None else f"got {describe(part)}"
            hint = did_you_mean(part, HANDS) if isinstance(part, str) else ""
            out.add(
                src,
                (*path, who),
                f"expected which hand of the {who}: l_hand or r_hand, {what}",
                hint,
            )
            continue
        parts[who] = part
    height = c.get("height", 1.6 if kind == "lift" else 0.0)
    bad = number_problem(height, *LIFT_HEIGHT, "meters")
    if bad:
        out.add(src, (*path, "height"), bad)
    if start is not None and end is not None:
        if end <= start:
            out.add(
                src, (*path, "end"), f"ends at {end:.2f} s, not after its start at {start:.2f} s"
            )
        for who, script in dancers.items():
            if start < script.enters:
                out.add(
                    src,
                    (*path, "start"),
                    f"starts at {start:.2f} s, before the {who} enters ({script.enters:.2f} s)",
                )
    if len(out.problems) > before or start is None or end is None:
        return None
    return Contact(kind, start, end, parts["lead"], parts["partner"], float(height))


def _clash(a: Contact, b: Contact) -> bool:
    """Two overlapping contacts are impossible unless they are hand holds on different hands."""
    if a.kind == b.kind == "hands":
        return a.lead_part == b.lead_part or a.partner_part == b.partner_part
    return True


def load_choreography(folder: Path) -> Choreography:
    """Load and check a whole choreography folder; raise one error listing every problem."""
    folder = Path(folder)
    if not folder.is_dir():
        what = "does not exist" if not folder.exists() else "is not a folder"
        raise ChoreographyError(
            [Problem(str(folder), "", what, "pass the choreography folder, e.g. choreography/")]
        )
    out = _Collector()
    sheet, cue_problems = collect_cue_file(folder / "cues.toml")
    out.problems.extend(cue_problems)
    data: dict[str, tuple[dict[str, Any], Source]] = {}
    for name in FILES[1:]:
        try:
            data[name] = read_source(folder / name)
        except ChoreographyError as exc:
            out.problems.extend(exc.problems)
    poses: dict[str, tuple[float, ...]] = {}
    pose_names: set[str] | None = None  # None: poses.toml unreadable, so names go unchecked
    if "poses.toml" in data:
        table, src = data["poses.toml"]
        pose_names = {k for k, v in table.items() if isinstance(v, dict)}
        poses = parse_poses(table, src, out)
    stand_in = None
    if sheet is None:  # check the other files all the same, against what could be read
        stand_in = stand_in_sheet(folder / "cues.toml")
        if stand_in is None:
            raise ChoreographyError(out.problems)
        sheet = stand_in
    checked = len(out.problems)
    dancers: dict[str, DancerScript] = {}
    for who in DANCERS:
        fname = f"{who}.toml"
        if fname in data:
            table, src = data[fname]
            script = parse_dancer(who, table, src, sheet, poses, pose_names, out)
            if script is not None:
                dancers[who] = script
    contacts: tuple[Contact, ...] = ()
    if "duet.toml" in data:
        table, src = data["duet.toml"]
        contacts = parse_contacts(table, src, sheet, dancers, out)
    if stand_in is not None:
        # a cue of STORY.md that the broken sheet lost is reported there, not at every use
        lost = {n for n in STORY_CUES if n not in stand_in}
        out.problems[checked:] = [
            p for p in out.problems[checked:] if _unknown_cue(p.message) not in lost
        ]
        raise ChoreographyError(out.problems)
    if out.problems:
        raise ChoreographyError(out.problems)
    return Choreography(folder, sheet, poses, dancers, contacts)


def _unknown_cue(message: str) -> str | None:
    """The cue an "unknown cue" message names, else None.

    >>> _unknown_cue('unknown cue "togther" (did you mean "together"?)')
    'togther'
    """
    m = re.search(r'unknown cue "([^"]*)"', message)
    return m.group(1) if m else None
