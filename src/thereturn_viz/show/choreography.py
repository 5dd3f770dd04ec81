"""The choreography: poses, each dancer's keyframes and the duet's contacts, loaded and checked.

One loader serves ``check``, ``play``, ``kiosk`` and ``export``. It never raises anything but
:class:`ChoreographyError`, which carries every problem found (file, key path, expectation, hint).
Targets are sampled vectorised: :meth:`DancerScript.sample` turns an array of times into arrays of
joint angles, floor positions, facings and efforts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .anatomy import JOINTS, LIMITS
from .cues import CueSheet, load_cues, read_toml
from .easing import Ease, make_ease, shortest_arc
from .effort import Effort, parse_effort
from .errors import ChoreographyError, Problem, did_you_mean
from .timing import TimeError, parse_time

Arr = NDArray[np.float64]
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
KEYFRAME_KEYS = ("at", "pose", "x", "y", "facing", "ease", "effort")
FILES = ("cues.toml", "poses.toml", "lead.toml", "partner.toml", "duet.toml")


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
        """Targets at ``times`` (any shape flattened); each move eases into its keyframe."""
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
        ang = shortest_arc(angles[i0], angles[i1], e)
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


def _finite(v: Any) -> bool:
    return _is_number(v) and math.isfinite(float(v))


class _Collector:
    """Collects problems while parsing; the parsers return None for an unusable entry."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: str, key: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(file, key, message, hint))


def parse_poses(data: dict[str, Any], file: str, out: _Collector) -> dict[str, tuple[float, ...]]:
    """Poses by name; ``from`` inherits another pose and overrides some joints."""
    raw: dict[str, dict[str, Any]] = {}
    for name, table in data.items():
        if not isinstance(table, dict):
            out.add(file, name, "expected a [pose] table of joint angles in degrees")
            continue
        raw[name] = table
    resolved: dict[str, tuple[float, ...]] = {}

    def resolve(name: str, chain: tuple[str, ...]) -> tuple[float, ...] | None:
        if name in resolved:
            return resolved[name]
        table = raw[name]
        base: tuple[float, ...] = tuple(0.0 for _ in JOINTS)
        parent = table.get("from")
        if parent is not None:
            if not isinstance(parent, str) or parent not in raw:
                hint = did_you_mean(str(parent), raw) if isinstance(parent, str) else ""
                out.add(file, f"{name}.from", f"unknown pose {parent!r} to inherit from", hint)
                return None
            if parent in chain:
                out.add(
                    file,
                    f"{name}.from",
                    "poses inherit from each other in a circle: " + " -> ".join((*chain, parent)),
                )
                return None
            got = resolve(parent, (*chain, parent))
            if got is None:
                return None
            base = got
        angles = list(base)
        ok = True
        for joint, value in table.items():
            if joint == "from":
                continue
            key = f"{name}.{joint}"
            if joint not in JOINTS:
                out.add(
                    file,
                    key,
                    f'unknown joint "{joint}"',
                    did_you_mean(joint, JOINTS) or "joints: " + ", ".join(JOINTS),
                )
                ok = False
                continue
            if not _finite(value):
                out.add(file, key, f"expected an angle in degrees, got {value!r}")
                ok = False
                continue
            lo, hi = LIMITS[joint]
            if not lo <= float(value) <= hi:
                out.add(file, key, f"{value} degrees is outside {joint}'s range [{lo}, {hi}]")
                ok = False
                continue
            angles[JOINTS.index(joint)] = float(value)
        if not ok:
            return None
        resolved[name] = tuple(angles)
        return resolved[name]

    for name in raw:
        resolve(name, (name,))
    return resolved


def _time(value: Any, sheet: CueSheet, file: str, key: str, out: _Collector) -> float | None:
    if not isinstance(value, str) and not _is_number(value):
        out.add(file, key, f"expected a time (seconds or a cue expression), got {value!r}")
        return None
    try:
        t = parse_time(value, sheet)
    except TimeError as exc:
        out.add(file, key, str(exc))
        return None
    if not 0.0 <= t <= sheet.duration:
        out.add(file, key, f"{t:.2f} s is outside the piece (0 to {sheet.duration:g} s)")
        return None
    return t


def parse_dancer(
    name: str,
    data: dict[str, Any],
    file: str,
    sheet: CueSheet,
    poses: Mapping[str, tuple[float, ...]],
    pose_names: set[str],
    out: _Collector,
) -> DancerScript | None:
    head = data.get("dancer", {})
    if not isinstance(head, dict):
        out.add(file, "dancer", "expected a [dancer] table with height and enters")
        head = {}
    height = head.get("height", 1.8 if name == "lead" else 1.65)
    if not _finite(height) or not 1.2 <= float(height) <= 2.2:
        out.add(file, "dancer.height", f"expected a height in meters (1.2 to 2.2), got {height!r}")
        height = 1.75
    enters = _time(head.get("enters", 0.0), sheet, file, "dancer.enters", out)
    raw = data.get("keyframes")
    if not isinstance(raw, list) or not raw:
        out.add(file, "keyframes", "expected a list of [[keyframes]] tables", "at least one")
        return None
    frames: list[Keyframe] = []
    eases: list[Ease] = []
    before = len(out.problems)
    last_t = -math.inf
    for i, kf in enumerate(raw):
        key = f"{name}.keyframes[{i}]"
        if not isinstance(kf, dict):
            out.add(file, key, "expected a table with at, pose, x, facing")
            continue
        unknown = set(kf) - set(KEYFRAME_KEYS)
        for extra in sorted(unknown):
            out.add(
                file, f"{key}.{extra}", f'unknown key "{extra}"', did_you_mean(extra, KEYFRAME_KEYS)
            )
        if "at" not in kf:
            out.add(file, f"{key}.at", "missing: when this keyframe is reached")
            continue
        t = _time(kf["at"], sheet, file, f"{key}.at", out)
        pose = kf.get("pose")
        if not isinstance(pose, str):
            out.add(file, f"{key}.pose", f"expected a pose name, got {pose!r}")
            continue
        if pose not in pose_names:
            out.add(file, f"{key}.pose", f'unknown pose "{pose}"', did_you_mean(pose, pose_names))
            continue
        x = kf.get("x", frames[-1].x if frames else 0.0)
        if not _finite(x) or not STAGE_X[0] <= float(x) <= STAGE_X[1]:
            out.add(file, f"{key}.x", f"expected meters in [{STAGE_X[0]}, {STAGE_X[1]}], got {x!r}")
            continue
        y = kf.get("y", 0.0)
        if not _finite(y) or not -1.5 <= float(y) <= 2.5:
            out.add(
                file, f"{key}.y", f"expected meters above the floor pose in [-1.5, 2.5], got {y!r}"
            )
            continue
        facing_raw = kf.get("facing", frames[-1].facing if frames else 1.0)
        facing = {"right": 1.0, "left": -1.0, 1: 1.0, -1: -1.0}.get(facing_raw)
        if facing is None or isinstance(facing_raw, bool):
            out.add(file, f"{key}.facing", f'expected "left" or "right", got {facing_raw!r}')
            continue
        ease_raw = kf.get("ease", "in_out_sine")
        try:
            ease = make_ease(ease_raw)
        except ValueError as exc:
            hint = did_you_mean(ease_raw, _ease_names()) if isinstance(ease_raw, str) else ""
            out.add(file, f"{key}.ease", str(exc), hint)
            continue
        effort_raw = kf.get("effort", "neutral")
        if not isinstance(effort_raw, str):
            out.add(
                file, f"{key}.effort", f'expected words like "sustained light", got {effort_raw!r}'
            )
            continue
        try:
            effort = parse_effort(effort_raw)
        except ValueError as exc:
            word = str(exc).split('"')[1] if '"' in str(exc) else ""
            out.add(file, f"{key}.effort", str(exc), did_you_mean(word, _effort_words()))
            continue
        if t is None or pose not in poses:
            continue
        if t <= last_t:
            out.add(
                file,
                f"{key}.at",
                f"{t:.2f} s is not after the previous keyframe ({last_t:.2f} s)",
                "keyframes must be in time order",
            )
            continue
        last_t = t
        ease_spec = ease_raw if isinstance(ease_raw, str) else tuple(float(v) for v in ease_raw)
        frames.append(Keyframe(t, pose, poses[pose], float(x), facing, float(y), ease_spec, effort))
        eases.append(ease)
    if len(out.problems) > before or enters is None or not frames:
        return None
    return DancerScript(name, float(height), enters, tuple(frames), tuple(eases))


def _ease_names() -> list[str]:
    from .easing import NAMED

    return list(NAMED)


def _effort_words() -> list[str]:
    from .effort import WORDS

    return list(WORDS)


def parse_contacts(
    data: dict[str, Any], file: str, sheet: CueSheet, out: _Collector
) -> tuple[Contact, ...]:
    raw = data.get("contacts", [])
    if not isinstance(raw, list):
        out.add(file, "contacts", "expected a list of [[contacts]] tables")
        return ()
    contacts: list[Contact] = []
    for i, c in enumerate(raw):
        key = f"duet.contacts[{i}]"
        if not isinstance(c, dict):
            out.add(file, key, "expected a table with kind, start, end")
            continue
        kind = c.get("kind")
        if kind not in CONTACT_KINDS:
            out.add(
                file,
                f"{key}.kind",
                f"expected one of {', '.join(CONTACT_KINDS)}, got {kind!r}",
                did_you_mean(str(kind), CONTACT_KINDS),
            )
            continue
        start = _time(c.get("start"), sheet, file, f"{key}.start", out)
        end = _time(c.get("end"), sheet, file, f"{key}.end", out)
        parts = {"lead": "", "partner": ""}
        for who in CONTACT_KINDS[kind]:
            part = c.get(who)
            if part not in HANDS:
                out.add(file, f"{key}.{who}", f"expected l_hand or r_hand, got {part!r}")
                continue
            parts[who] = part
        if start is None or end is None:
            continue
        if end <= start:
            out.add(file, f"{key}.end", f"ends at {end:.2f} s, not after its start {start:.2f} s")
            continue
        height = c.get("height", 1.6 if kind == "lift" else 0.0)
        if not _finite(height) or not 0.0 <= float(height) <= 2.5:
            out.add(file, f"{key}.height", f"expected meters from 0 to 2.5, got {height!r}")
            continue
        contacts.append(Contact(kind, start, end, parts["lead"], parts["partner"], float(height)))
    for i, a in enumerate(contacts):
        for b in contacts[i + 1 :]:
            if a.start < b.end and b.start < a.end and _clash(a, b):
                out.add(
                    file,
                    "duet.contacts",
                    f"{a.kind} ({a.start:.1f}-{a.end:.1f} s) and "
                    f"{b.kind} ({b.start:.1f}-{b.end:.1f} s) overlap and use the same hand",
                )
    return tuple(contacts)


def _clash(a: Contact, b: Contact) -> bool:
    """Two overlapping contacts are impossible unless they are hand holds on different hands."""
    if a.kind == b.kind == "hands":
        return a.lead_part == b.lead_part or a.partner_part == b.partner_part
    return True


def load_choreography(folder: Path) -> Choreography:
    """Load and check a whole choreography folder; raise one error listing every problem."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ChoreographyError(
            [
                Problem(
                    str(folder),
                    "",
                    "not a folder",
                    "pass the choreography folder, e.g. choreography/",
                )
            ]
        )
    out = _Collector()
    sheet = None
    try:
        sheet = load_cues(folder / "cues.toml")
    except ChoreographyError as exc:
        out.problems.extend(exc.problems)
    data: dict[str, dict[str, Any]] = {}
    for name in FILES[1:]:
        try:
            data[name] = read_toml(folder / name)
        except ChoreographyError as exc:
            out.problems.extend(exc.problems)
    if sheet is None:
        raise ChoreographyError(out.problems)
    poses: dict[str, tuple[float, ...]] = {}
    pose_names: set[str] = set()
    if "poses.toml" in data:
        pose_names = {k for k, v in data["poses.toml"].items() if isinstance(v, dict)}
        poses = parse_poses(data["poses.toml"], str(folder / "poses.toml"), out)
    dancers: dict[str, DancerScript] = {}
    for who in DANCERS:
        fname = f"{who}.toml"
        if fname in data:
            script = parse_dancer(
                who, data[fname], str(folder / fname), sheet, poses, pose_names, out
            )
            if script is not None:
                dancers[who] = script
    contacts: tuple[Contact, ...] = ()
    if "duet.toml" in data:
        contacts = parse_contacts(data["duet.toml"], str(folder / "duet.toml"), sheet, out)
    if out.problems:
        raise ChoreographyError(out.problems)
    return Choreography(folder, sheet, poses, dancers, contacts)
