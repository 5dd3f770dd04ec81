"""``at``: what the choreography says at one moment, so a phrase can be read without arithmetic.

A choreographer asking "what happens at together+3?" had to find the keyframes around it in two
files, look each pose up in poses.toml and count bars by hand. This command answers in one go:
the time in seconds, as a cue and offset and as bar.beat; for each dancer the keyframes before
and after, with their poses, what each pose is (its comment in poses.toml), easing and effort as
written; and the holds in force.
"""

from __future__ import annotations

import argparse
import json
import re
import tomllib
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from .common import EXIT_OK, add_choreography, load, print_lines

if TYPE_CHECKING:
    from ..show.choreography import Choreography, DancerScript, Keyframe
    from ..show.cues import CueSheet

NAME = "at"
HELP = "say what happens at a time (keyframes, poses, holds)"
DESCRIPTION = (
    "Print, for a time expression (12.5, 01:23.5, together+3, together+8b, bar 40 beat 2), "
    "the seconds, cue and offset and bar.beat; for each dancer the keyframes before and after "
    "with pose, the pose's description, easing and effort; and the holds in force."
)

_RULE = re.compile(r"^#\s*-{3,}\s*(.*?)\s*$")
_HEADER = re.compile(r"^\[([A-Za-z0-9_\-]+)\]\s*(?:#\s*(.*?))?\s*$")


@dataclass(frozen=True)
class Frame:
    """One keyframe as the ``at`` command shows it: as written, and what it names."""

    index: int
    t: float
    at: str
    pose: str
    about: str
    ease: str
    effort: str


@dataclass(frozen=True)
class Hold:
    kind: str
    start: float
    end: float
    lead: str
    partner: str


@dataclass(frozen=True)
class Moment:
    t: float
    cue: str
    offset: float
    bar_beat: str
    dancers: dict[str, dict[str, Frame | None]]
    holds: tuple[Hold, ...]


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("time", metavar="TIME", help="a time: 12.5, together+3, together+8b, bar 40")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    add_choreography(p)


def run(args: argparse.Namespace) -> int:
    from ..run.args import UsageError
    from ..show.timing import TimeError, parse_time

    chor = load(args.choreography)
    try:
        t = parse_time(args.time, chor.sheet)
    except TimeError as exc:
        raise UsageError(f"at {args.time!r}: {exc}") from None
    if not 0.0 <= t <= chor.sheet.duration:
        raise UsageError(
            f"at {args.time!r}: {t:.2f} s is outside the piece (0 to {chor.sheet.duration:g} s)"
        )
    moment = moment_at(chor, t)
    print_lines(as_json(moment) if args.json else as_text(moment))
    return EXIT_OK


def pose_notes(text: str) -> dict[str, str]:
    """Each pose's one-line description, read from poses.toml's comments: a comment on its
    header line, else the comment line right above it, else the heading of its section.

    >>> doc = "# ---- standing\\n[stand]\\n\\n# arms wide\\n[open]\\n[fall] # down she goes\\n"
    >>> pose_notes(doc)
    {'stand': 'standing', 'open': 'arms wide', 'fall': 'down she goes'}
    """
    notes: dict[str, str] = {}
    section = ""
    above = ""
    for line in text.splitlines():
        stripped = line.strip()
        rule = _RULE.match(stripped)
        if rule:
            section, above = rule.group(1), ""
            continue
        header = _HEADER.match(stripped)
        if header:
            notes[header.group(1)] = header.group(2) or above or section
            above = ""
        elif stripped.startswith("#"):
            above = stripped.lstrip("#").strip()
        elif stripped:
            above = ""
    return notes


def moment_at(chor: Choreography, t: float) -> Moment:
    """What the choreography says at ``t`` seconds."""
    sheet = chor.sheet
    cue = sheet.cue_at(t)
    notes = _read_notes(chor)
    dancers = {
        name: _around(script, t, _raw_keyframes(chor, name), notes, sheet)
        for name, script in chor.dancers.items()
    }
    holds = tuple(
        Hold(c.kind, c.start, c.end, c.lead_part, c.partner_part) for c in chor.contacts_at(t)
    )
    return Moment(t, cue, t - sheet.time_of(cue), sheet.tempo.label(t), dancers, holds)


def _read_notes(chor: Choreography) -> dict[str, str]:
    try:
        return pose_notes((chor.folder / "poses.toml").read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return {}


def _raw_keyframes(chor: Choreography, name: str) -> list[dict[str, Any]]:
    """The dancer's keyframes as written (the loaded ones keep only what they mean: seconds,
    angles, stiffness); a loaded folder's keyframes match these one to one."""
    try:
        data = tomllib.loads((chor.folder / f"{name}.toml").read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return []
    raw = data.get("keyframes", [])
    return [k for k in raw if isinstance(k, dict)] if isinstance(raw, list) else []


def _around(
    script: DancerScript,
    t: float,
    raw: list[dict[str, Any]],
    notes: dict[str, str],
    sheet: CueSheet,
) -> dict[str, Frame | None]:
    from ..show.timing import parse_time

    frames = script.keyframes
    before = max((i for i, k in enumerate(frames) if k.t <= t), default=None)
    after = min((i for i, k in enumerate(frames) if k.t > t), default=None)
    # The file's tables matched to the loaded keyframes by time, not by position: a gesture's
    # table (no pose) is not a keyframe of the model, and a held keyframe is there twice (again
    # where its hold ends), so positions part company as soon as either is used.
    tables: list[tuple[float, int, dict[str, Any]]] = []
    for n, table in enumerate(raw):
        if "pose" in table and "at" in table:
            try:
                tables.append((parse_time(table["at"], sheet), n, table))
            except (ValueError, TypeError, KeyError):
                continue

    def written(k: Keyframe) -> tuple[int | None, dict[str, Any], bool]:
        """The file's index and table of ``k``, and whether ``k`` is a hold's end (the table
        written before it with the same pose)."""
        exact = [(n, tb) for at, n, tb in tables if abs(at - k.t) < 1e-6]
        if exact:
            return exact[0][0], exact[0][1], False
        held = [(n, tb) for at, n, tb in tables if at < k.t and tb.get("pose") == k.pose]
        return (held[-1][0], held[-1][1], True) if held else (None, {}, False)

    def frame(i: int | None) -> Frame | None:
        if i is None:
            return None
        k = frames[i]
        n, table, held = written(k)
        ease = k.ease if isinstance(k.ease, str) else f"[{', '.join(f'{v:g}' for v in k.ease)}]"
        at = str(table.get("at", f"{k.t:g}"))
        return Frame(
            i if n is None else n,
            k.t,
            f"{at}, held to {k.t:g} s" if held else at,
            k.pose,
            notes.get(k.pose, ""),
            ease,
            str(table.get("effort", "neutral")),
        )

    return {"before": frame(before), "after": frame(after)}


def as_json(m: Moment) -> list[str]:
    return [json.dumps(asdict(m), indent=1)]


def as_text(m: Moment) -> list[str]:
    """The moment as lines for a terminal."""
    from ..show.timing import format_clock

    sign = "+" if m.offset >= 0 else "-"
    lines = [
        f"{m.t:.3f} s  ({format_clock(m.t)})  {m.cue}{sign}{abs(m.offset):.3g}  "
        f"bar.beat {m.bar_beat}"
    ]
    for name, around in m.dancers.items():
        lines.append(f"{name}:")
        for side in ("before", "after"):
            f = around[side]
            if f is None:
                lines.append(f"  {side:<6} -")
                continue
            about = f" ({f.about})" if f.about else ""
            lines.append(
                f"  {side:<6} keyframes[{f.index}] at {f.at} ({f.t:.2f} s): {f.pose}{about}; "
                f"ease {f.ease}; effort {f.effort}"
            )
    if not m.holds:
        lines.append("holds: none")
    for h in m.holds:
        hands = f" (lead {h.lead}, partner {h.partner})" if h.lead else ""
        lines.append(f"hold: {h.kind}{hands} {h.start:.2f}-{h.end:.2f} s")
    return lines
