"""The pose editor's model: the joint a pointer holds, the angle it bends to, the undo history,
and poses.toml written back with every comment and blank line kept.

``play``'s edit mode (``run/posing.py``) reads events and draws; everything it decides is here,
so that it can be tested without a window. What is edited is the pose of the keyframe in force
for a dancer at the paused time: the last keyframe at or before it (the first one before the
first). Changes are kept as joint values of named poses; a drag is one step of the history. The
text to save is always the file on disk with those values set (a key the pose did not have is
added before the comments that close its table, and taken out again when undone), so that
undoing every drag and saving gives the file back byte for byte, even after a save in between.
"""

from __future__ import annotations

import math
import tempfile
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tomlkit.items import Item, Table

from .anatomy import JOINTS, LIMITS, SEGMENTS
from .choreography import Choreography, Keyframe, Pose
from .edit import (
    BOM,
    Edit,
    EditError,
    as_text,
    parse_document,
    save,
    set_keeping_trivia,
    verify,
)
from .kinematics import forward
from .loader import FILES, load_choreography
from .reading import Checker, Source
from .timing import format_clock, parse_time
from .validate.poses import check_poses

Point = tuple[float, float]
POSES = "poses.toml"
#: A grabbed dot: the dots within this many pixels of the nearest one count as on top of it,
#: and a click there again takes the next of them (left and right limbs overlap in profile).
SAME_PLACE = 3.0


@dataclass(frozen=True)
class Handle:
    """A dot of the edited skeleton: the far end (``tip``) of the segment that ``joint`` turns
    about ``pivot``. Dragging the dot bends that joint."""

    dancer: str
    joint: str
    pivot: Point
    tip: Point


def skeleton(
    angles: Sequence[float], height: float, hip: Point, facing: float
) -> dict[str, tuple[Point, Point]]:
    """Each segment's ends for a pose placed at ``hip``, in profile (``facing`` read as -1 or +1:
    a pose is written, and so edited, as the figure stands facing one side)."""
    side = 1.0 if facing >= 0 else -1.0
    return {name: (a, b) for name, (a, b, _) in forward(angles, height, hip, side).items()}


def handles(dancer: str, bones: Mapping[str, tuple[Point, Point]]) -> list[Handle]:
    """One dot per joint, at the far end of the segment it turns."""
    return [Handle(dancer, s.joint, bones[s.name][0], bones[s.name][1]) for s in SEGMENTS]


def pick(dots: Sequence[Point], at: Point, radius: float, last: int | None = None) -> int | None:
    """The index of the dot under ``at`` (within ``radius``), or None. Where several lie on top
    of one another and the one taken ``last`` is among them, the next of them: a second click on
    the same place takes the other limb.

    >>> pick([(0, 0), (10, 0), (1, 0)], (0.5, 0), 4.0)
    0
    >>> pick([(0, 0), (10, 0), (1, 0)], (0.5, 0), 4.0, last=0)
    2
    >>> pick([(0, 0)], (9, 9), 4.0) is None
    True
    """
    near = sorted((math.dist(p, at), i) for i, p in enumerate(dots) if math.dist(p, at) <= radius)
    if not near:
        return None
    same = [i for d, i in near if d - near[0][0] <= SAME_PLACE]
    if last in same and len(same) > 1:
        return same[(same.index(last) + 1) % len(same)]
    return near[0][1]


def within(joint: str, degrees: float) -> int:
    """``degrees`` as a whole number inside ``joint``'s range (a pose is written in whole
    degrees).

    >>> within("l_elbow", 151.2), within("l_elbow", -3), within("l_knee", -42.4)
    (150, 0, -42)
    """
    lo, hi = LIMITS[joint]
    return int(min(max(round(degrees), lo), hi))


def turned(pivot: Point, before: Point, after: Point) -> float:
    """The angle (degrees, counter-clockwise, in (-180, 180]) from ``before`` to ``after`` seen
    from ``pivot``.

    >>> turned((0, 0), (1, 0), (0, 1)), turned((0, 0), (0, 1), (1, 0))
    (90.0, -90.0)
    """
    a = math.atan2(before[1] - pivot[1], before[0] - pivot[0])
    b = math.atan2(after[1] - pivot[1], after[0] - pivot[0])
    d = math.degrees(b - a)
    return d - 360.0 if d > 180.0 else d + 360.0 if d <= -180.0 else d


@dataclass(frozen=True)
class Change:
    """One drag: a joint of a pose from ``before`` to ``after`` (None: not written in the pose,
    inherited)."""

    pose: str
    joint: str
    before: float | None
    after: float | None


@dataclass
class Grab:
    """A joint held by the pointer: where it turns, where the pointer was, and the angle so far
    (unrounded, kept inside the range at every move so that moving back bends back at once)."""

    dancer: str
    keyframe: int
    pose: str
    joint: str
    pivot: Point
    pointer: Point
    facing: float
    before: float | None
    angle: float

    @property
    def value(self) -> int:
        return within(self.joint, self.angle)


@dataclass(frozen=True)
class InForce:
    """The keyframe of a dancer in force at a time, and how it is written."""

    dancer: str
    index: int  # among the dancer's keyframes with a pose
    keyframe: Keyframe
    written: str  # its ``at`` as the file has it
    table: int  # its [[keyframes]] table in the file, counted from 0 as check's key paths

    def describe(self, uses: int) -> str:
        others = f", {uses} keyframes use it" if uses > 1 else ""
        return (
            f'{self.dancer}.keyframes[{self.table}] at "{self.written}" '
            f'({format_clock(self.keyframe.t)}), pose "{self.keyframe.pose}"{others}'
        )


def resolve_poses(text: str, file: str = POSES) -> dict[str, Pose]:
    """The poses of a poses.toml text, each resolved through its ``from`` chain."""
    return check_poses(tomllib.loads(text.removeprefix(BOM)), Checker(Source(file, "poses", text)))


@dataclass
class PoseSession:
    """Edits of the poses of one choreography folder: what is held, the values set, undo/redo."""

    folder: Path
    choreography: Choreography
    #: (pose, joint) -> the value the file should have (None: the key taken out)
    values: dict[tuple[str, str], float | None] = field(default_factory=dict)
    undone: list[Change] = field(default_factory=list)
    done: list[Change] = field(default_factory=list)
    held: Grab | None = None
    _disk: str = field(default="", init=False)
    _raw: dict[str, Any] = field(default_factory=dict, init=False)
    #: per dancer, each keyframe's time, [[keyframes]] table number in its file, ``at``, pose
    _written: dict[str, list[tuple[float, int, str, str]]] = field(default_factory=dict, init=False)
    poses: dict[str, Pose] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self._read_disk()
        self.follow(self.choreography)

    def follow(self, choreography: Choreography) -> None:
        """Edit the keyframes of ``choreography`` (a reload of the folder), the edits kept."""
        self.choreography = choreography
        for who in choreography.dancers:
            table = tomllib.loads((self.folder / f"{who}.toml").read_text(encoding="utf-8-sig"))
            # the file's tables with a pose, by time: a gesture (no pose) is not a keyframe of
            # the model, and a held keyframe is there twice (again where its hold ends)
            self._written[who] = [
                (parse_time(k["at"], choreography.sheet), i, str(k["at"]), str(k["pose"]))
                for i, k in enumerate(table.get("keyframes", []))
                if "pose" in k and "at" in k
            ]

    def _read_disk(self) -> None:
        self._disk = (self.folder / POSES).read_text(encoding="utf-8")
        self._raw = tomllib.loads(self._disk.removeprefix(BOM))
        self.poses = resolve_poses(self.text())

    # -- what is edited ------------------------------------------------------------------------

    def in_force(self, dancer: str, t: float) -> InForce:
        """The keyframe of ``dancer`` in force at ``t``: the last at or before it."""
        keys = self.choreography.dancers[dancer].keyframes
        index = max((i for i, k in enumerate(keys) if k.t <= t + 1e-6), default=0)
        k = keys[index]
        tables = self._written.get(dancer, [])
        _, table, at, _ = max(
            (w for w in tables if w[0] <= k.t + 1e-6), default=(k.t, index, f"{k.t:g}", "")
        )
        return InForce(dancer, index, k, at, table)

    def uses(self, pose: str) -> int:
        """How many keyframes (of both dancers) dance ``pose``: an edit changes all of them."""
        return sum(w[3] == pose for tables in self._written.values() for w in tables)

    def angles(self, pose: str) -> Pose:
        """``pose`` as edited so far, with the joint held now at its value."""
        angles = self.poses[pose]
        g = self.held
        if g is None or g.pose != pose:
            return angles
        out = list(angles)
        out[JOINTS.index(g.joint)] = float(g.value)
        return tuple(out)

    def own(self, pose: str, joint: str) -> float | None:
        """What ``pose`` itself writes for ``joint`` now (None: it inherits it)."""
        if (pose, joint) in self.values:
            return self.values[(pose, joint)]
        value = self._raw.get(pose, {}).get(joint)
        return None if value is None else float(value)

    # -- a drag ----------------------------------------------------------------------------

    def grab(self, handle: Handle, t: float, pointer: Point, facing: float) -> Grab:
        """Take hold of ``handle``'s joint in the pose of its dancer's keyframe in force."""
        kf = self.in_force(handle.dancer, t)
        pose = kf.keyframe.pose
        angle = self.angles(pose)[JOINTS.index(handle.joint)]
        side = 1.0 if facing >= 0 else -1.0
        self.held = Grab(
            handle.dancer,
            kf.index,
            pose,
            handle.joint,
            handle.pivot,
            pointer,
            side,
            self.own(pose, handle.joint),
            angle,
        )
        return self.held

    def drag(self, pointer: Point) -> int | None:
        """The held joint turned as the pointer turned about it; its new value (None: nothing
        held). A figure facing left is the mirror image: its angles turn the other way."""
        g = self.held
        if g is None:
            return None
        lo, hi = LIMITS[g.joint]
        step = turned(g.pivot, g.pointer, pointer) * g.facing
        g.angle = min(max(g.angle + step, lo), hi)
        g.pointer = pointer
        return g.value

    def release(self) -> Change | None:
        """Let go: the drag becomes one step of the history if it changed anything."""
        g, self.held = self.held, None
        if g is None:
            return None
        now = self.poses[g.pose][JOINTS.index(g.joint)]
        if float(g.value) == now:
            return None
        change = Change(g.pose, g.joint, g.before, float(g.value))
        self._apply(change.pose, change.joint, change.after)
        self.done.append(change)
        self.undone.clear()
        return change

    def undo(self) -> Change | None:
        if self.held is not None or not self.done:
            return None
        change = self.done.pop()
        self._apply(change.pose, change.joint, change.before)
        self.undone.append(change)
        return change

    def redo(self) -> Change | None:
        if self.held is not None or not self.undone:
            return None
        change = self.undone.pop()
        self._apply(change.pose, change.joint, change.after)
        self.done.append(change)
        return change

    def _apply(self, pose: str, joint: str, value: float | None) -> None:
        self.values[(pose, joint)] = value
        self.poses = resolve_poses(self.text())

    # -- the file --------------------------------------------------------------------------

    def text(self, disk: str | None = None) -> str:
        """poses.toml (``disk``, else as last read) with the values set: each changed value
        keeps its line's comment and spacing; the others are left as they are."""
        base = self._disk if disk is None else disk
        if not self.values:
            return base
        doc = parse_document(base)
        for (pose, joint), value in self.values.items():
            table = doc.get(pose)
            if not isinstance(table, Table):
                continue  # the pose is gone from the file: nothing to set
            old = table.get(joint)
            old_value = old.unwrap() if isinstance(old, Item) else old
            if value is None:
                if old is not None:
                    del table[joint]
            elif old_value is None or float(old_value) != value:
                set_keeping_trivia(
                    table, joint, int(value) if value == int(value) else float(value)
                )
        return as_text(doc, base)

    @property
    def dirty(self) -> bool:
        """Changes not saved yet."""
        return self.text() != self._disk

    def changed(self) -> list[str]:
        """``pose.joint old -> new`` for every value that differs from the file on disk."""
        out = []
        for (pose, joint), value in self.values.items():
            old = self._raw.get(pose, {}).get(joint)
            if (None if old is None else float(old)) != value:
                was = "inherited" if old is None else f"{old:g}"
                now = "inherited" if value is None else f"{value:g}"
                out.append(f"{pose}.{joint} {was} -> {now}")
        return out

    def save(self) -> str:
        """Write the edited poses.toml: checked with the rest of the folder in a scratch copy as
        ``check`` would, then written under a temporary name, read back and renamed (as
        ``shift`` does). The file on disk is read again first, so that what was saved to it
        meanwhile from a text editor is kept. Raises :class:`EditError` listing the problems."""
        if self.held is not None:
            raise EditError("let go of the joint first")
        disk = (self.folder / POSES).read_text(encoding="utf-8")
        if disk != self._disk:
            self._disk, self._raw = disk, tomllib.loads(disk.removeprefix(BOM))
        text = self.text()
        if text == disk:
            return "nothing to save: poses.toml is as edited"
        changed = self.changed()
        edit = Edit({POSES: text}, keyframes=0, holds=0)
        problems = verify(self.folder, edit)
        if problems:
            raise EditError("; ".join(p.text() for p in problems[:3]))
        save(self.folder, edit)
        self._read_disk()
        return f"saved poses.toml: {', '.join(changed)}"


def load_edited(folder: Path, poses_text: str) -> Choreography:
    """The choreography of ``folder`` as it will be with ``poses_text`` saved: loaded and
    checked from a scratch copy (the folder itself is not touched), its ``folder`` the real one.
    """
    with tempfile.TemporaryDirectory(prefix="thereturn-pose-") as scratch:
        tmp = Path(scratch)
        for name in FILES:
            text = poses_text if name == POSES else (folder / name).read_text(encoding="utf-8")
            (tmp / name).write_text(text, encoding="utf-8")
        chor = load_choreography(tmp)
    return replace(chor, folder=folder)


def pose_points(
    session: PoseSession, dancer: str, t: float, hip: Point, facing: float
) -> dict[str, tuple[Point, Point]]:
    """The skeleton of ``dancer``'s pose in force at ``t`` as edited, placed at ``hip``."""
    kf = session.in_force(dancer, t)
    height = session.choreography.dancers[dancer].height
    return skeleton(session.angles(kf.keyframe.pose), height, hip, facing)
